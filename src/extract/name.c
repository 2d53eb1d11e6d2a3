/* name.c: the company's name, as the company writes it.
 *
 * Candidates come from where sites put their own name: schema.org
 * Organization name, og:site_name, application-name, the logo's alt text,
 * the copyright holder, and a title segment that matches the domain. Page
 * titles, headings and slogans are never names by themselves: a title
 * segment counts only when the domain (or another source) confirms it.
 * Each candidate scores its source's reliability, plus agreement with the
 * domain and with the other sources, minus what makes it look like a
 * slogan or a page title; the best one above a floor wins.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <pcre2.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/str.h"
#include "extract/extract_int.h"

#define MAX_CANDIDATES 16
#define MAX_NAME 80

enum source { SRC_JSONLD, SRC_OG, SRC_APP, SRC_LOGO, SRC_COPYRIGHT, SRC_TITLE, SRC_N };
static const int source_weight[SRC_N] = {5, 4, 2, 3, 3, 2};

struct candidate {
    char *name;
    enum source src;
    int score;
    bool beside_generic; /* a title segment next to "Home", "Contact us"...: the site's name */
};

static pcre2_code *re_copyright;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compile_all(void)
{
    /* "© 2024 Acme Plumbing, Inc. All rights reserved." -> "Acme Plumbing, Inc" */
    re_copyright = extract__compile(
        "(?:©|\\(c\\)|copyright)(?:\\s*(?:©|\\(c\\)|copyright))*\\s*(?:\\d{4}\\s*(?:[-–—]\\s*"
        "(?:\\d{4}|present)\\s*)?)?,?\\s*(?:by\\s+)?([^\\n|.•]{2,80}?)\\s*(?:[.|•]|,?\\s*all "
        "rights|\\s+-\\s|\\n|$)",
        PCRE2_CASELESS);
}

/* Decodes the HTML entities structured data sometimes carries verbatim
 * ("Aztec Plumbing &amp; Drains"). */
static void decode_entities(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if (*r == '&') {
            char *semi = strchr(r, ';');
            if (semi && semi - r < 12) {
                unsigned cp = 0;
                if (r[1] == '#') {
                    cp = (unsigned)strtoul(r + (r[2] == 'x' || r[2] == 'X' ? 3 : 2), NULL,
                                           r[2] == 'x' || r[2] == 'X' ? 16 : 10);
                } else {
                    char name[16];
                    snprintf(name, sizeof name, "%.*s", (int)(semi - r - 1), r + 1);
                    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
                    cp = e ? e->value : 0;
                }
                if (cp > 0 && cp < 0x110000 && (cp < 0xD800 || cp > 0xDFFF)) { /* no halves */
                    /* UTF-8: never longer than the entity it replaces */
                    if (cp < 0x80) {
                        *w++ = (char)cp;
                    } else if (cp < 0x800) {
                        *w++ = (char)(0xC0 | cp >> 6);
                        *w++ = (char)(0x80 | (cp & 0x3F));
                    } else if (cp < 0x10000) {
                        *w++ = (char)(0xE0 | cp >> 12);
                        *w++ = (char)(0x80 | (cp >> 6 & 0x3F));
                        *w++ = (char)(0x80 | (cp & 0x3F));
                    } else {
                        *w++ = (char)(0xF0 | cp >> 18);
                        *w++ = (char)(0x80 | (cp >> 12 & 0x3F));
                        *w++ = (char)(0x80 | (cp >> 6 & 0x3F));
                        *w++ = (char)(0x80 | (cp & 0x3F));
                    }
                    r = semi + 1;
                    continue;
                }
            }
        }
        *w++ = *r++;
    }
    *w = '\0';
}

/* The initials of a name's words: "Blue Cross Blue Shield" -> "bcbs". */
static void initials(const char *s, char *out, size_t n)
{
    size_t k = 0;
    bool start = true;
    for (; *s && k + 1 < n; s++) {
        if (isalnum((unsigned char)*s)) {
            if (start)
                out[k++] = (char)tolower((unsigned char)*s);
            start = false;
        } else {
            start = *s != '\'';
        }
    }
    out[k] = '\0';
}

/* Whether a name and the domain's label ("termiopest") are the same
 * company: one holds the other, or the label is the name's initials. */
static bool matches_label(const char *name, const char *label)
{
    if (!*label)
        return false;
    char sq[256], in[64];
    str_alnum_key(name, sq, sizeof sq);
    initials(name, in, sizeof in);
    if (!*sq)
        return false;
    if (strlen(sq) >= 3 && (strstr(sq, label) || strstr(label, sq)))
        return true;
    return strlen(in) >= 2 && (strcmp(in, label) == 0 ||
                               (strlen(label) >= 3 && strncmp(in, label, strlen(label)) == 0));
}

static bool same_company(const char *a, const char *b)
{
    char x[256], y[256];
    str_alnum_key(a, x, sizeof x);
    str_alnum_key(b, y, sizeof y);
    return *x && *y && strlen(x) >= 3 && strlen(y) >= 3 && (strstr(x, y) || strstr(y, x));
}

static int words(const char *s)
{
    int n = 0;
    bool in = false;
    for (; *s; s++) {
        bool w = !isspace((unsigned char)*s);
        n += w && !in;
        in = w;
    }
    return n;
}

static bool generic(const char *s)
{
    static const char *const g[] = {"home",
                                    "homepage",
                                    "home page",
                                    "about",
                                    "about us",
                                    "contact",
                                    "contact us",
                                    "welcome",
                                    "careers",
                                    "jobs",
                                    "news",
                                    "blog",
                                    "impressum",
                                    "imprint",
                                    "team",
                                    "our team",
                                    "privacy",
                                    "logo",
                                    "menu",
                                    "search",
                                    "login",
                                    "shop",
                                    "store",
                                    "services",
                                    "site",
                                    "website",
                                    "main",
                                    "index",
                                    "untitled",
                                    "default",
                                    "return to homepage",
                                    "back to home",
                                    "go to homepage",
                                    "go to home page",
                                    "return to home",
                                    NULL};
    for (const char *const *p = g; *p; p++)
        if (strcasecmp(s, *p) == 0)
            return true;
    return false;
}

/* Words that make a phrase a description rather than a name. */
static bool sloganish(const char *s)
{
    static const char *const w[] = {" best ", " top ", " near ", " in your ", " for your ",
                                    " we ",   " our ", " your ", " how ",     " why ",
                                    " free ", "?",     "!",      " the #",    NULL};
    char padded[MAX_NAME * 2 + 3];
    snprintf(padded, sizeof padded, " %s ", s);
    for (const char *const *p = w; *p; p++)
        if (strcasestr(padded, *p))
            return true;
    return false;
}

static void add(struct candidate *c, size_t *n, const char *raw, enum source src)
{
    if (!raw || *n >= MAX_CANDIDATES)
        return;
    char *s = str_trim_dup(raw);
    decode_entities(s);
    /* one line, single spaces */
    char *w = s;
    bool space = false;
    for (char *r = s; *r; r++) {
        if (isspace((unsigned char)*r)) {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
    size_t len = strlen(s);
    while (len && strchr(",;:-|", s[len - 1]))
        s[--len] = '\0';
    if (!len || len > MAX_NAME || generic(s)) {
        free(s);
        return;
    }
    c[(*n)++] = (struct candidate){s, src, 0, false};
}

/* The title's segments ("Plumbing Tips | Aztec Plumbing & Drains"). */
static void title_segments(struct candidate *c, size_t *n, const char *title)
{
    static const char *const seps[] = {
        " | ", " - ", " – ", " — ", " :: ", ": ", " · ", " • ", NULL};
    char *copy = xstrdup(title);
    char *p = copy;
    size_t first = *n;
    int parts = 0, generic_parts = 0;
    for (; *p && parts < 8; parts++) {
        char *cut = NULL;
        size_t seplen = 0;
        for (const char *const *s = seps; *s; s++) {
            char *hit = strstr(p, *s);
            if (hit && (!cut || hit < cut)) {
                cut = hit;
                seplen = strlen(*s);
            }
        }
        if (cut)
            *cut = '\0';
        char *t = str_trim_dup(p);
        generic_parts += generic(t);
        free(t);
        add(c, n, p, SRC_TITLE);
        if (!cut) {
            parts++;
            break;
        }
        p = cut + seplen;
    }
    /* "Acme Plumbing | Home", "Contact Us - Acme Plumbing" */
    if (parts == 2 && generic_parts == 1 && *n == first + 1)
        c[first].beside_generic = true;
    free(copy);
}

/* Whether a link goes to a site's home page ("/", "https://acme.com/"). */
static bool home_href(const char *href)
{
    if (!strcmp(href, "/") || !strcmp(href, "./") || !strcmp(href, "/index.html"))
        return true;
    const char *host = strstr(href, "://");
    if (!host || strncasecmp(href, "http", 4) != 0)
        return false;
    const char *path = strchr(host + 3, '/');
    return !path || !path[1];
}

/* The logo's alt text ("Acme Plumbing logo"): the first image in a link to
 * the home page, or whose class, id, src or alt says logo. */
static void logo_alt(struct candidate *c, size_t *n, const struct extract_doc *d)
{
    for (size_t k = 0; k < d->nnodes; k++) {
        if (d->nodes[k].tag != EXTRACT_TAG_IMG)
            continue;
        xmlNodePtr x = d->nodes[k].node;
        const char *alt = extract__attr(x, "alt");
        if (!alt || !*alt)
            continue;
        const char *attrs[] = {extract__attr(x, "class"), extract__attr(x, "id"),
                               extract__attr(x, "src"), alt};
        bool logo = false;
        for (size_t i = 0; i < 4 && !logo; i++)
            logo = attrs[i] && strcasestr(attrs[i], "logo");
        for (xmlNodePtr a = x->parent; !logo && a && a->type == XML_ELEMENT_NODE; a = a->parent)
            if (extract__name_is(a, "a")) {
                const char *href = extract__attr(a, "href");
                logo = href && home_href(href);
                break;
            }
        if (!logo)
            continue;
        /* "Acme Plumbing logo", "Logo of Acme", "Acme - Logo" */
        char *t = xstrdup(alt);
        char *hit = t;
        while ((hit = strcasestr(hit, "logo")) != NULL) { /* the word, not "Biologos" */
            bool word =
                (hit == t || !isalnum((unsigned char)hit[-1])) && !isalnum((unsigned char)hit[4]);
            if (word)
                memmove(hit, hit + 4, strlen(hit + 4) + 1);
            else
                hit += 4;
        }
        char *trimmed = str_trim_dup(t);
        if (strncasecmp(trimmed, "of ", 3) == 0)
            memmove(trimmed, trimmed + 3, strlen(trimmed + 3) + 1);
        add(c, n, trimmed, SRC_LOGO);
        free(trimmed);
        free(t);
        return; /* the first logo is the site's own */
    }
}

static void copyright(struct candidate *c, size_t *n, const char *text)
{
    size_t len = strlen(text);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re_copyright, NULL);
    /* the last one: the footer's */
    PCRE2_SIZE at = PCRE2_UNSET, end = 0;
    for (size_t off = 0; off < len && pcre2_match(re_copyright, (PCRE2_SPTR)text, len, off,
                                                  PCRE2_NO_UTF_CHECK, md, NULL) >= 0;) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[2] != PCRE2_UNSET) {
            at = ov[2];
            end = ov[3];
        }
        off = ov[1] > off ? ov[1] : off + 1;
    }
    pcre2_match_data_free(md);
    if (at == PCRE2_UNSET)
        return;
    char *holder = xstrndup(text + at, end - at);
    /* "2024 Acme" (a second year) is Acme, "3M" and "37signals" stay; ", Inc"
     * kept; "All Rights Reserved" cut */
    char *h = holder;
    while (isdigit((unsigned char)h[0]) && isdigit((unsigned char)h[1]) &&
           isdigit((unsigned char)h[2]) && isdigit((unsigned char)h[3]) &&
           !isalnum((unsigned char)h[4]))
        h += 4 + strspn(h + 4, " ,-\xe2\x80\x93");
    char *all = strcasestr(h, "all rights");
    if (all)
        *all = '\0';
    size_t hl = strlen(h); /* "Acme 2024": the year again, after the name */
    while (hl && !isalnum((unsigned char)h[hl - 1]))
        hl--;
    if (hl > 5 && h[hl - 5] == ' ' && strspn(h + hl - 4, "0123456789") >= 4)
        h[hl - 5] = '\0';
    bool letters = false;
    for (const char *p = h; *p && !letters; p++)
        letters = isalpha((unsigned char)*p);
    if (letters && words(h) <= 8)
        add(c, n, h, SRC_COPYRIGHT);
    free(holder);
}

char *extract__company_name(const struct extract_doc *d, const struct extract_meta *m,
                            const char *title, const char *text, const char *site)
{
    pthread_once(&once, compile_all);
    struct candidate c[MAX_CANDIDATES];
    size_t n = 0;
    add(c, &n, m->name, SRC_JSONLD);
    add(c, &n, m->og_site_name, SRC_OG);
    add(c, &n, m->app_name, SRC_APP);
    logo_alt(c, &n, d);
    copyright(c, &n, text);
    if (title)
        title_segments(c, &n, title);
    char label[128] = "";
    if (site) {
        char first[128];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(site, "."), site);
        str_alnum_key(first, label, sizeof label);
    }
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        struct candidate *x = &c[i];
        bool domain = matches_label(x->name, label);
        int agree = 0;
        for (size_t k = 0; k < n; k++)
            if (k != i && c[k].src != x->src && same_company(x->name, c[k].name))
                agree++;
        /* a title segment is a name only when something confirms it */
        if (x->src == SRC_TITLE && !domain && !agree && !x->beside_generic)
            continue;
        int sc = source_weight[x->src] + (domain ? 3 : 0) + 2 * (agree > 2 ? 2 : agree) +
                 (x->beside_generic ? 2 : 0);
        int nw = words(x->name);
        if (nw > 6)
            sc -= 3 + (nw - 6);
        if (sloganish(x->name))
            sc -= 4;
        if (title && strcasecmp(x->name, title) == 0 && x->src != SRC_JSONLD && !domain)
            sc -= 3; /* the whole title: a page's title, not a name */
        if (*label && !domain && strchr(x->name, '.') && !strchr(x->name, ' '))
            sc -= 2; /* "other-site.com" */
        x->score = sc;
        if (sc >= 3 && (best < 0 || sc > c[best].score))
            best = (int)i;
    }
    char *out = NULL;
    if (best >= 0) {
        out = c[best].name;
        c[best].name = NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(c[i].name);
    return out;
}
