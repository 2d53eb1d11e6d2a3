/* classify.c: what kind of company a page describes: its size (headcount
 * phrases or schema.org numberOfEmployees), founding year and the
 * technologies it loads (script, link, form and iframe addresses matched
 * against fingerprints of CRMs, marketing automation, chat, analytics,
 * e-commerce and CMS products). Its trade is src/industry's. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <pcre2.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "extract/extract_int.h"

/* ---- size and founding year ---- */

static pcre2_code *re_size, *re_range, *re_founded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Every pattern here is matched without regard to case. */
static pcre2_code *compile(const char *p)
{
    return extract__compile(p, PCRE2_CASELESS);
}

static void compile_all(void)
{
    /* "a team of 45", "45 employees", "our 12-person team", "more than 200 staff" */
    re_size = compile("(?:(more than|over|nearly|almost|about|around|some|\\bover)\\s+)?"
                      "\\b(\\d{1,3}(?:,\\d{3})?|\\d{1,6})\\+?\\s*(?:-\\s*person\\s+team|"
                      "(?:full[- ]time\\s+)?(?:employees|people|staff|team members|specialists|"
                      "professionals|colleagues|engineers|experts|consultants|mitarbeiter|salariés|"
                      "medewerkers))|team of (?:(more than|over|about|around)\\s+)?(\\d{1,6})");
    re_range =
        compile("\\b(\\d{1,5})\\s*(?:-|–|to|and)\\s*(\\d{1,5})\\s+(?:employees|people|staff)");
    re_founded =
        compile("(?:founded|established|since|est\\.?|gegründet|fondée?|fundada|"
                "opgericht|started)\\s+(?:in\\s+)?(?:\\w+\\s+)?((?:17|18|19|20)\\d{2})\\b");
}

static int num(const char *text, PCRE2_SIZE *ov, int group)
{
    if (ov[2 * group] == PCRE2_UNSET)
        return 0;
    char tmp[16];
    size_t k = 0;
    for (PCRE2_SIZE i = ov[2 * group]; i < ov[2 * group + 1] && k + 1 < sizeof tmp; i++)
        if (isdigit((unsigned char)text[i]))
            tmp[k++] = text[i];
    tmp[k] = '\0';
    return (int)strtol(tmp, NULL, 10);
}

void extract__size(const struct extract_meta *m, const char *text, struct extract_page *pg)
{
    pthread_once(&once, compile_all);
    char buf[64];
    if (m->employees_min > 0) {
        pg->employees = m->employees_min;
        if (m->employees_max > m->employees_min)
            snprintf(buf, sizeof buf, "%d-%d employees", m->employees_min, m->employees_max);
        else
            snprintf(buf, sizeof buf, "%d employees", m->employees_min);
        pg->company_size = xstrdup(buf);
    } else {
        size_t len = strlen(text);
        pcre2_match_data *md = pcre2_match_data_create(8, NULL);
        if (pcre2_match(re_range, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, md, NULL) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            int lo = num(text, ov, 1), hi = num(text, ov, 2);
            if (lo > 0 && hi > lo) {
                snprintf(buf, sizeof buf, "%d-%d employees", lo, hi);
                pg->company_size = xstrdup(buf);
                pg->employees = (lo + hi) / 2;
            }
        }
        if (!pg->company_size &&
            pcre2_match(re_size, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, md, NULL) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            int n = num(text, ov, 2);
            bool more = ov[2] != PCRE2_UNSET || ov[6] != PCRE2_UNSET;
            if (!n)
                n = num(text, ov, 4);
            if (n > 1 && n < 5000000) {
                snprintf(buf, sizeof buf, "%d%s employees", n, more ? "+" : "");
                pg->company_size = xstrdup(buf);
                pg->employees = n;
            }
        }
        pcre2_match_data_free(md);
    }
    pg->founded = m->founded;
    if (!pg->founded) {
        pcre2_match_data *md = pcre2_match_data_create(4, NULL);
        if (pcre2_match(re_founded, (PCRE2_SPTR)text, strlen(text), 0, PCRE2_NO_UTF_CHECK, md,
                        NULL) >= 0) {
            int y = num(text, pcre2_get_ovector_pointer(md), 1);
            if (y >= 1700 && y <= 2100)
                pg->founded = y;
        }
        pcre2_match_data_free(md);
    }
}

/* ---- intermediaries ---- */

/* Directories, marketplaces and lead networks speak of the businesses they
 * put customers in touch with. Each kind of such phrase counts once: one
 * that connects or matches customers with others, or names its network,
 * counts 1; "find a contractor" or "compare quotes", common on any site,
 * counts half. Two make the page an intermediary's. */
struct cue {
    const char *pattern;
    int weight; /* in halves */
};

static const struct cue middle[] = {
    {"\\bconnects? (?:you|customers|homeowners|businesses|clients|patients) (?:with|to)\\b", 2},
    {"\\b(?:match(?:es|ed)? you with|get matched)\\b", 2},
    {"\\b(?:(?:our|a|the) network of(?: \\w+){0,3} (?:pros|professionals|contractors|movers|"
     "providers|vendors|experts|agencies|companies|businesses|lawyers|attorneys|doctors|dentists|"
     "therapists|counselors)|in our network)\\b",
     2},
    {"\\b(?:business|company|contractor|provider|vendor|supplier) directory\\b", 2},
    {"\\bfind (?:a|an|local|top|the best|trusted|qualified|certified) (?:\\w+ )?(?:pros?|"
     "professionals?|contractors?|providers?|compan(?:y|ies)|agenc(?:y|ies)|movers?|plumbers?|"
     "electricians?|dentists?|lawyers?|attorneys?|cleaners?|installers?|therapists?)\\b",
     1},
    {"\\b(?:claim (?:this|your) (?:listing|business|profile)|(?:add|list) your business)\\b", 2},
    {"\\b(?:compare(?: \\d+)?|get (?:up to |at least )?(?:\\d+|two|three|four|five|multiple|"
     "several)) (?:\\w+ )?(?:quotes|prices|rates|providers|companies|offers|pros)\\b",
     1},
    /* the other side of a marketplace: it recruits the businesses it lists */
    {"\\b(?:become an? (?:\\w+ )?(?:pro|tasker)|become an? (?:service )?provider|"
     "join our (?:pro |provider |contractor )?network)\\b",
     2},
    {"\\bbrowse (?:\\w+ ){0,2}(?:listings|directory|companies|businesses)\\b", 1},
};

#define NMIDDLE (sizeof middle / sizeof *middle)

/* A publisher (a news site, a magazine, a blog that lives on advertising
 * and affiliate links) writes about trades it does not practise; a store
 * sells goods it may not make. Each kind of cue counts once, in halves as
 * above; four halves settle it. */
static const struct cue publisher_cues[] = {
    {"\\b(?:advertise (?:with|on) us|media kit)\\b", 2},
    {"\\b(?:editorial (?:policy|guidelines|standards|team|independence|process|staff)|our "
     "editors|editor[- ]in[- ]chief|contributing (?:writer|editor)|staff writer)\\b",
     1}, /* firms that market with content have editorial teams too */
    {"\\b(?:affiliate (?:disclosure|commissions?)|we may (?:earn|receive) (?:a )?(?:small )?"
     "(?:commission|compensation))\\b",
     2},
    {"\\bsponsored (?:content|posts?|stories)\\b", 1},
    {"\\b(?:latest|top|breaking) (?:news|stories|headlines|reviews)\\b", 1},
    {"\\bnewsletters?\\b", 1},
    {"\\b(?:written|reviewed|fact[- ]checked|edited) by\\b", 1},
};
static const struct cue store_cues[] = {
    {"\\badd to (?:cart|bag|basket)\\b", 2},
    {"\\bfree (?:shipping|delivery)\\b", 1},
    {"\\bcheckout\\b", 1},
    {"\\b(?:in stock|out of stock|sold out)\\b", 1},
    {"\\b(?:returns? (?:policy|& exchanges)|easy returns|free returns)\\b", 1},
    {"\\bshop (?:now|all|by)\\b", 1},
};
#define NPUBLISHER (sizeof publisher_cues / sizeof *publisher_cues)
#define NSTORE (sizeof store_cues / sizeof *store_cues)

/* What a site sells, by the words of its menus and calls to action: a
 * product has prices, plans, sign-ups and trials; a service firm shows its
 * clients, its work and asks for a quote. Each cue counts once. */
static const char *const product_cues[] = {"\\bpricing\\b",
                                           "\\bfree trial\\b",
                                           "\\bsign up\\b",
                                           "\\blog ?in\\b",
                                           "\\bget started\\b",
                                           "\\b(?:start|try)(?: it)?(?: for)? free\\b",
                                           "\\b(?:request|get|book) a demo\\b",
                                           "\\bplans\\b"};
static const char *const service_cues[] = {"\\bcase stud(?:y|ies)\\b",
                                           "\\bportfolio\\b",
                                           "\\bour (?:work|clients)\\b",
                                           "\\bhire (?:us|our|dedicated)\\b",
                                           "\\b(?:get|request) a (?:free )?quote\\b",
                                           "\\bdedicated teams?\\b",
                                           "\\bfree consultation\\b",
                                           "\\bagency\\b"};
#define NPRODUCT (sizeof product_cues / sizeof *product_cues)
#define NSERVICE (sizeof service_cues / sizeof *service_cues)

/* Each cue is a pattern of its own: PCRE2 finds a literal's first letter
 * fast, and one pattern of many alternatives would try them all at every
 * word.
 *
 * But a caseless 's' or 'k' has a third form in Unicode (U+017F, U+212A),
 * which keeps PCRE2 from its fast search for the first letter and makes it
 * try the pattern at every letter of its start set. So each cue also has a
 * case-sensitive twin, matched against the text lower-cased in ASCII when
 * the text holds neither of those two characters: then the twin matches
 * exactly where the cue does (no other ASCII letter has a non-ASCII case
 * variant, and folding A-Z changes no \w, \b, \d or \s). A twin is made
 * only of a pattern whose letters outside escapes are lower-case ASCII and
 * which sets no options inside. */
struct cue_re {
    pcre2_code *re;   /* the caseless pattern */
    pcre2_code *twin; /* the case-sensitive one, or NULL */
};

static struct cue_re re_middle[NMIDDLE], re_product[NPRODUCT], re_service[NSERVICE],
    re_publisher[NPUBLISHER], re_store[NSTORE];
static pthread_once_t cues_once = PTHREAD_ONCE_INIT;

static bool twin_safe(const char *p)
{
    for (const char *c = p; *c; c++) {
        if ((unsigned char)*c >= 0x80 || (*c >= 'A' && *c <= 'Z'))
            return false;
        if (*c == '(' && ((c[1] == '?' && (isalpha((unsigned char)c[2]) || c[2] == '-' ||
                                           c[2] == '^' || c[2] == '\'')) ||
                          c[1] == '*'))
            return false; /* an option setting, a named group, a verb: keep it simple */
        if (*c == '\\' && c[1]) {
            if (!strchr("bBwWdDsS.-+?*()[]{}|^$&/\\ ", c[1]))
                return false; /* \p, \x, \Q...: not read here */
            c++;
        }
    }
    return true;
}

static struct cue_re compile_cue(const char *p)
{
    struct cue_re c = {compile(p), twin_safe(p) ? extract__compile(p, 0) : NULL};
    return c;
}

static void compile_cues(void)
{
    for (size_t i = 0; i < NMIDDLE; i++)
        re_middle[i] = compile_cue(middle[i].pattern);
    for (size_t i = 0; i < NPRODUCT; i++)
        re_product[i] = compile_cue(product_cues[i]);
    for (size_t i = 0; i < NSERVICE; i++)
        re_service[i] = compile_cue(service_cues[i]);
    for (size_t i = 0; i < NPUBLISHER; i++)
        re_publisher[i] = compile_cue(publisher_cues[i].pattern);
    for (size_t i = 0; i < NSTORE; i++)
        re_store[i] = compile_cue(store_cues[i].pattern);
}

/* The text the cues read, and its ASCII-lower-cased copy when the twins
 * may read that instead (NULL otherwise). */
struct subject {
    const char *text;
    char *folded;
    size_t len;
    pcre2_match_data *md;
};

static void subject_init(struct subject *s, const char *text)
{
    s->text = text;
    s->len = strlen(text);
    s->folded = NULL;
    s->md = pcre2_match_data_create(1, NULL);
    if (memmem(text, s->len, "\xC5\xBF", 2) || memmem(text, s->len, "\xE2\x84\xAA", 3))
        return; /* U+017F or U+212A: only the caseless patterns read it right */
    s->folded = xmalloc(s->len + 1);
    for (size_t i = 0; i <= s->len; i++)
        s->folded[i] = text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i];
}

static void subject_release(struct subject *s)
{
    free(s->folded);
    pcre2_match_data_free(s->md);
}

static bool cue_in(const struct cue_re *c, const struct subject *s)
{
    if (c->twin && s->folded)
        return pcre2_match(c->twin, (PCRE2_SPTR)s->folded, s->len, 0, PCRE2_NO_UTF_CHECK, s->md,
                           NULL) >= 0;
    return pcre2_match(c->re, (PCRE2_SPTR)s->text, s->len, 0, PCRE2_NO_UTF_CHECK, s->md, NULL) >= 0;
}

/* Whether the weights of the cues that match reach need. Weights are
 * positive, so it stops as soon as the answer is known either way: the
 * matches reach it, or the cues left could not. */
static bool halves_reach(const struct cue_re *re, const struct cue *cues, size_t n, int need,
                         const struct subject *s)
{
    int halves = 0, left = 0;
    for (size_t i = 0; i < n; i++)
        left += cues[i].weight;
    for (size_t i = 0; i < n && halves < need && halves + left >= need; i++) {
        left -= cues[i].weight;
        halves += cue_in(&re[i], s) ? cues[i].weight : 0;
    }
    return halves >= need;
}

void extract__intermediary(const char *text, struct extract_page *pg)
{
    pthread_once(&cues_once, compile_cues);
    struct subject s;
    subject_init(&s, text);
    pg->intermediary = halves_reach(re_middle, middle, NMIDDLE, 4, &s);
    subject_release(&s);
}

/* ---- product or service ---- */

static int offering_of(int p, int s)
{
    return p >= 3 && p > s + 1 ? 1 : s >= 2 && s > p ? -1 : 0;
}

/* Whether offering_of is the same for every count the cues left may bring. */
static bool offering_known(int p, int p_left, int s, int s_left)
{
    int first = offering_of(p, s);
    for (int i = 0; i <= p_left; i++)
        for (int j = 0; j <= s_left; j++)
            if (offering_of(p + i, s + j) != first)
                return false;
    return true;
}

int extract__offering(const char *text)
{
    pthread_once(&cues_once, compile_cues);
    struct subject sub;
    subject_init(&sub, text);
    int p = 0, s = 0;
    for (size_t i = 0; i < NPRODUCT + NSERVICE; i++) {
        int p_left = i < NPRODUCT ? (int)(NPRODUCT - i) : 0;
        int s_left = i < NPRODUCT ? (int)NSERVICE : (int)(NPRODUCT + NSERVICE - i);
        if (offering_known(p, p_left, s, s_left))
            break;
        if (i < NPRODUCT)
            p += cue_in(&re_product[i], &sub);
        else
            s += cue_in(&re_service[i - NPRODUCT], &sub);
    }
    subject_release(&sub);
    return offering_of(p, s);
}

void extract__model(const char *text, bool article, bool *publisher, bool *store)
{
    pthread_once(&cues_once, compile_cues);
    struct subject s;
    subject_init(&s, text);
    /* on an article page one strong cue is enough: a company's own blog
     * has newsletters and bylines too, but rarely editors, advertisers or
     * affiliate links */
    int strong = 0, all = 0, left = 0, strong_left = 0;
    for (size_t i = 0; i < NPUBLISHER; i++) {
        left += publisher_cues[i].weight;
        strong_left += publisher_cues[i].weight >= 2;
    }
    for (size_t i = 0; i < NPUBLISHER; i++) {
        /* known either way? (weights are positive) */
        if (all >= 4 || (article && strong))
            break;
        if (all + left < 4 && (!article || !strong_left))
            break;
        left -= publisher_cues[i].weight;
        strong_left -= publisher_cues[i].weight >= 2;
        if (cue_in(&re_publisher[i], &s)) {
            all += publisher_cues[i].weight;
            strong += publisher_cues[i].weight >= 2;
        }
    }
    *publisher = all >= 4 || (article && strong);
    *store = halves_reach(re_store, store_cues, NSTORE, 4, &s);
    subject_release(&s);
}

/* ---- technologies ---- */

struct fingerprint {
    const char *name;
    const char *patterns; /* lower-case substrings, '|'-separated */
};

static const struct fingerprint fingerprints[] = {
    {"HubSpot", "js.hs-scripts.com|js.hsforms.net|hs-analytics.net|hubspot.com|hs-banner.com"},
    {"Salesforce", "webto.salesforce.com|force.com/|salesforce.com/"},
    {"Pardot", "pardot.com|pi.pardot"},
    {"Pipedrive", "pipedrive.com"},
    {"Zoho CRM", "zoho.com|zohopublic|zohocdn"},
    {"Marketo", "munchkin.marketo.net|marketo.com|mktoforms"},
    {"Mailchimp", "chimpstatic.com|list-manage.com|mailchimp.com"},
    {"ActiveCampaign", "activehosted.com|trackcmp.net"},
    {"Klaviyo", "klaviyo.com"},
    {"Intercom", "widget.intercom.io|intercomcdn.com"},
    {"Drift", "js.driftt.com|drift.com/"},
    {"Zendesk", "zdassets.com|zendesk.com|zopim"},
    {"LiveChat", "livechatinc.com"},
    {"Tawk.to", "embed.tawk.to"},
    {"Crisp", "client.crisp.chat"},
    {"Freshworks", "freshchat|freshdesk|freshworks"},
    {"Google Analytics", "googletagmanager.com/gtag|google-analytics.com"},
    {"Google Tag Manager", "googletagmanager.com/gtm.js|googletagmanager.com/ns.html"},
    {"Matomo", "matomo"},
    {"Plausible", "plausible.io"},
    {"Hotjar", "hotjar.com"},
    {"Segment", "cdn.segment.com"},
    {"Mixpanel", "mixpanel.com"},
    {"Meta Pixel", "connect.facebook.net"},
    {"LinkedIn Insight", "snap.licdn.com"},
    {"Calendly", "calendly.com"},
    {"WordPress", "/wp-content/|/wp-includes/|wordpress"},
    {"Shopify", "cdn.shopify.com|myshopify.com"},
    {"Wix", "wixstatic.com|static.parastorage.com"},
    {"Squarespace", "squarespace.com"},
    {"Webflow", "webflow.com|website-files.com"},
    {"Drupal", "drupal.settings|/sites/default/files|drupal"},
    {"Joomla", "/media/jui/|joomla"},
    {"WooCommerce", "woocommerce"},
    {"Magento", "mage/|magento"},
    {"BigCommerce", "bigcommerce.com"},
    {"Stripe", "js.stripe.com"},
    {"Cloudflare", "/cdn-cgi/"},
    {"reCAPTCHA", "google.com/recaptcha"},
};

static void add_tech(struct extract_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], name) == 0)
            return;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(name);
}

void extract__technologies(const struct extract_doc *d, const struct extract_meta *m,
                           struct extract_page *pg)
{
    /* One lower-case haystack of every address the page loads or posts to. */
    struct buf hay;
    buf_init(&hay, 1 << 20);
    static const char *const attrs[] = {"src", "href", "action", "data-src", NULL};
    for (size_t i = 0; i < d->nnodes; i++) {
        uint8_t tag = d->nodes[i].tag;
        bool script = tag == EXTRACT_TAG_SCRIPT;
        if (!script && tag != EXTRACT_TAG_LINK && tag != EXTRACT_TAG_FORM &&
            tag != EXTRACT_TAG_IFRAME && tag != EXTRACT_TAG_IMG)
            continue;
        xmlNodePtr x = d->nodes[i].node;
        for (const char *const *a = attrs; *a; a++) {
            const char *v = extract__attr(x, *a);
            if (v && (buf_puts(&hay, v) || buf_putc(&hay, '\n')))
                break;
        }
        if (script && x->children && x->children->content) { /* inline loaders */
            const char *body = (const char *)x->children->content;
            size_t n = strlen(body);
            if (buf_append(&hay, body, n > 4096 ? 4096 : n) || buf_putc(&hay, '\n'))
                break;
        }
    }
    if (m->generator && (buf_puts(&hay, m->generator) || buf_putc(&hay, '\n')))
        buf_reset(&hay);
    for (char *p = hay.data; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; i < sizeof fingerprints / sizeof *fingerprints && hay.len; i++) {
        const char *pat = fingerprints[i].patterns;
        while (*pat) {
            size_t k = strcspn(pat, "|");
            char one[64]; /* at most 63 bytes of it, as ever */
            size_t n = k < sizeof one - 1 ? k : sizeof one - 1;
            memcpy(one, pat, n);
            one[n] = '\0';
            if (strstr(hay.data, one)) {
                add_tech(&pg->technologies, fingerprints[i].name);
                break;
            }
            pat += k + (pat[k] == '|');
        }
    }
    buf_release(&hay);
}
