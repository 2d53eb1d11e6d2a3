/* contacts.c: e-mail addresses (mailto:, plain, "[at]"/"[dot]" forms, HTML
 * entities, Cloudflare email protection), phone numbers (tel: links and
 * text, through libphonenumber), social profiles and the postal address.
 *
 * Patterns are PCRE2, compiled once (JIT where available). Every address
 * is validated and every number normalised before it counts.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <pcre2.h>

#include "core/alloc.h"
#include "core/str.h"
#include "extract/extract_int.h"
#include "extract/phone.h"
#include "net/url.h"

#define MAX_EMAILS 20
#define MAX_PHONES 10

static pcre2_code *re_email, *re_obf_at, *re_obf_dot, *re_postal;
static pthread_once_t re_once = PTHREAD_ONCE_INIT;

static pcre2_code *compile(const char *pattern, uint32_t flags)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, flags | PCRE2_UTF,
                                   &code, &off, NULL);
    if (!re) {
        fprintf(stderr, "prospect: bad built-in pattern at %zu: %s\n", (size_t)off, pattern);
        abort();
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* optional: falls back to the interpreter */
    return re;
}

static void compile_all(void)
{
    re_email = compile("(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]{1,64}@"
                       "(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}"
                       "(?![A-Za-z0-9\\-])",
                       0);
    /* "name [at] domain", "name(at)domain", "name AT domain" */
    re_obf_at =
        compile("\\s*[\\[\\(\\{<]\\s*(?:at|@)\\s*[\\]\\)\\}>]\\s*|\\s+AT\\s+", PCRE2_CASELESS);
    re_obf_dot =
        compile("\\s*[\\[\\(\\{<]\\s*(?:dot|\\.)\\s*[\\]\\)\\}>]\\s*|\\s+DOT\\s+", PCRE2_CASELESS);
    /* postal codes of the common formats: US ZIP (with state), Canada, UK,
     * Ireland (Eircode), Netherlands, and five-digit European codes */
    re_postal = compile(
        "\\b(?:[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?|[A-Z]{2}\\s+[A-Z]\\d[A-Z]\\s?\\d[A-Z]\\d"
        "|[A-Z]{1,2}\\d[A-Z\\d]?\\s\\d[A-Z]{2}|[AC-FHKNPRTV-Y]\\d{2}\\s[0-9AC-FHKNPRTV-Y]{4}"
        "|\\d{4}\\s?[A-Z]{2}|\\d{3}\\s\\d{2}|[A-Z]{2,3}\\s\\d{4}|\\d{4,5})\\b",
        0);
}

/* ---- e-mail ---- */

static bool atext(unsigned char c)
{
    return isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~-", c);
}

bool extract_email_valid(const char *s)
{
    const char *at = strrchr(s, '@');
    if (!at || at == s || strchr(s, '@') != at)
        return false;
    size_t local = (size_t)(at - s), dlen = strlen(at + 1);
    if (local > 64 || dlen == 0 || dlen > 253 || local + 1 + dlen > 254)
        return false;
    if (s[0] == '.' || at[-1] == '.')
        return false;
    for (const char *p = s; p < at; p++) {
        if (*p == '.' ? p[1] == '.' : !atext((unsigned char)*p))
            return false;
    }
    /* domain: labels of letters, digits and hyphens; 2+ labels; alphabetic TLD */
    const char *d = at + 1;
    int labels = 0;
    const char *label = d;
    for (const char *p = d;; p++) {
        if (*p == '.' || !*p) {
            size_t n = (size_t)(p - label);
            if (n == 0 || n > 63 || label[0] == '-' || p[-1] == '-')
                return false;
            labels++;
            if (!*p)
                break;
            label = p + 1;
        } else if (!isalnum((unsigned char)*p) && *p != '-') {
            return false;
        }
    }
    if (labels < 2)
        return false;
    bool alpha = strncasecmp(label, "xn--", 4) == 0;
    if (!alpha) {
        alpha = strlen(label) >= 2;
        for (const char *p = label; *p && alpha; p++)
            alpha = isalpha((unsigned char)*p);
    }
    return alpha;
}

/* Addresses that are placeholders or assets, not contacts. */
static bool placeholder(const char *local, const char *domain)
{
    static const char *const locals[] = {"you",      "your",     "yourname",           "name",
                                         "email",    "user",     "username",           "someone",
                                         "john.doe", "jane.doe", "firstname.lastname", "example",
                                         NULL};
    static const char *const domains[] = {"example.com",     "example.org", "example.net",
                                          "domain.com",      "email.com",   "yourdomain.com",
                                          "yourcompany.com", "company.com", "sentry.io",
                                          "wixpress.com",    NULL};
    static const char *const assets[] = {"png", "jpg", "jpeg", "gif",  "svg", "webp",
                                         "css", "js",  "ico",  "avif", NULL};
    for (const char *const *p = locals; *p; p++)
        if (strcasecmp(local, *p) == 0)
            return true;
    for (const char *const *p = domains; *p; p++)
        if (strcasecmp(domain, *p) == 0)
            return true;
    const char *tld = strrchr(domain, '.');
    for (const char *const *p = assets; tld && *p; p++)
        if (strcasecmp(tld + 1, *p) == 0)
            return true;
    return false;
}

static bool is_role(const char *local)
{
    static const char *const roles[] = {
        "info",     "hello",     "contact",   "sales",     "support", "office",
        "admin",    "team",      "enquiries", "inquiries", "enquiry", "mail",
        "service",  "help",      "marketing", "hr",        "jobs",    "careers",
        "press",    "media",     "billing",   "accounts",  "privacy", "legal",
        "noreply",  "no-reply",  "webmaster", "kontakt",   "bonjour", "hola",
        "post",     "reception", "bookings",  "booking",   "orders",  "customerservice",
        "feedback", "partners",  "general",   "studio",    "welcome", NULL};
    for (const char *const *p = roles; *p; p++)
        if (strcasecmp(local, *p) == 0)
            return true;
    return false;
}

static void add_email(struct extract_page *pg, const char *raw, const char *site)
{
    if (strncasecmp(raw, "mailto:", 7) == 0) /* JSON-LD often carries the link form */
        raw += 7;
    char *e = str_trim_dup(raw);
    for (char *p = e; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    char *at = strchr(e, '@');
    bool ok = at && extract_email_valid(e);
    if (ok) {
        *at = '\0';
        ok = !placeholder(e, at + 1) && strncmp(e, "noreply", 7) && strncmp(e, "no-reply", 8);
        *at = '@';
    }
    for (size_t i = 0; ok && i < pg->nemails; i++)
        ok = strcmp(pg->emails[i].address, e) != 0;
    if (!ok || pg->nemails >= MAX_EMAILS) {
        free(e);
        return;
    }
    pg->emails = xrealloc(pg->emails, (pg->nemails + 1) * sizeof *pg->emails);
    struct extract_email *m = &pg->emails[pg->nemails++];
    m->address = e;
    at = strchr(e, '@');
    *at = '\0';
    m->role = is_role(e);
    *at = '@';
    const char *dom = at + 1;
    size_t dl = strlen(dom), sl = site ? strlen(site) : 0;
    m->on_domain = site && (strcmp(dom, site) == 0 || (dl > sl && dom[dl - sl - 1] == '.' &&
                                                       strcmp(dom + dl - sl, site) == 0));
}

static int hexval(char c)
{
    return isdigit((unsigned char)c)    ? c - '0'
           : isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10
                                        : -1;
}

/* Cloudflare email protection: hex; the first byte is the XOR key. */
static char *cf_decode(const char *hex)
{
    size_t n = strlen(hex);
    if (n < 4 || n % 2 || n > 512)
        return NULL;
    int key = hexval(hex[0]) * 16 + hexval(hex[1]);
    char *out = xmalloc(n / 2);
    size_t k = 0;
    for (size_t i = 2; i < n; i += 2) {
        int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);
        if (hi < 0 || lo < 0 || key < 0) {
            free(out);
            return NULL;
        }
        out[k++] = (char)((hi * 16 + lo) ^ key);
    }
    out[k] = '\0';
    return out;
}

static char *percent_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return out;
}

static void emails_in_text(struct extract_page *pg, const char *text, const char *site)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re_email, NULL);
    size_t len = strlen(text), off = 0;
    while (off < len &&
           pcre2_match(re_email, (PCRE2_SPTR)text, len, off, PCRE2_NO_UTF_CHECK, md, NULL) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        char *e = xstrndup(text + ov[0], ov[1] - ov[0]);
        add_email(pg, e, site);
        free(e);
        off = ov[1] > off ? ov[1] : off + 1;
    }
    pcre2_match_data_free(md);
}

/* "name [at] domain [dot] com" -> "name@domain.com", then the plain pattern. */
static void obfuscated_emails(struct extract_page *pg, const char *text, const char *site)
{
    if (!strcasestr(text, "at") && !strchr(text, '@'))
        return;
    size_t len = strlen(text);
    char *cur = xstrdup(text);
    pcre2_code *res[] = {re_obf_at, re_obf_dot};
    const char *with[] = {"@", "."};
    for (int i = 0; i < 2; i++) {
        PCRE2_SIZE outlen = len + 1;
        char *out = xmalloc(outlen);
        int rc = pcre2_substitute(res[i], (PCRE2_SPTR)cur, PCRE2_ZERO_TERMINATED, 0,
                                  PCRE2_SUBSTITUTE_GLOBAL | PCRE2_NO_UTF_CHECK, NULL, NULL,
                                  (PCRE2_SPTR)with[i], 1, (PCRE2_UCHAR *)out, &outlen);
        if (rc > 0) {
            free(cur);
            cur = out;
        } else {
            free(out);
        }
    }
    if (strcmp(cur, text) != 0)
        emails_in_text(pg, cur, site);
    free(cur);
}

/* ---- phones ---- */

struct phone_ctx {
    struct extract_page *pg;
    const char *text;
};

static void add_phone(struct extract_page *pg, const char *e164)
{
    for (size_t i = 0; i < pg->phones.n; i++)
        if (strcmp(pg->phones.v[i], e164) == 0)
            return;
    if (pg->phones.n >= MAX_PHONES)
        return;
    pg->phones.v = xrealloc(pg->phones.v, (pg->phones.n + 1) * sizeof *pg->phones.v);
    pg->phones.v[pg->phones.n++] = xstrdup(e164);
}

static void on_phone(void *ctx, const char *e164, size_t start, size_t end)
{
    (void)end;
    struct phone_ctx *c = ctx;
    /* identifiers that look like numbers: "Order 4155550142", "VAT no. ..." */
    static const char *const idwords[] = {"order", "invoice", "vat", "iban", "ref",     "isbn",
                                          "reg",   "id",      "no.", "nr",   "account", "tax",
                                          "ein",   "siret",   "kvk", "hrb",  "ust",     NULL};
    size_t from = start > 16 ? start - 16 : 0;
    char before[17];
    memcpy(before, c->text + from, start - from);
    before[start - from] = '\0';
    for (const char *const *w = idwords; *w; w++) {
        char *hit = strcasestr(before, *w);
        if (hit && (hit == before || !isalpha((unsigned char)hit[-1])) &&
            !isalpha((unsigned char)hit[strlen(*w)]))
            return;
    }
    add_phone(c->pg, e164);
}

/* libphonenumber is thorough and slow; it only sees the stretches of text
 * that could hold a number (7 to 20 digits among separators), with a little
 * context before them for its own checks and ours. */
static void find_phones(struct extract_page *pg, const char *text, const char *region)
{
    const char *p = text;
    while (*p) {
        if (!isdigit((unsigned char)*p) && *p != '+' && *p != '(') {
            p++;
            continue;
        }
        const char *start = p;
        int digits = 0;
        while (*p && (isdigit((unsigned char)*p) || strchr(" +()-./\t", *p))) {
            digits += isdigit((unsigned char)*p) != 0;
            p++;
        }
        if (digits < 7 || digits > 20)
            continue;
        const char *w = start - (start - text > 24 ? 24 : start - text);
        while (w < start && ((unsigned char)*w & 0xC0) == 0x80) /* a UTF-8 boundary */
            w++;
        struct phone_ctx pc = {pg, w};
        phone_find(w, (size_t)(p - w), region, on_phone, &pc);
    }
}

/* ---- social profiles ---- */

/* Whether path starts with one of the '|'-separated prefixes. */
static bool path_is(const char *path, const char *bad)
{
    while (*bad) {
        size_t k = strcspn(bad, "|");
        if (strncasecmp(path, bad, k) == 0)
            return true;
        bad += k + (bad[k] == '|');
    }
    return false;
}

static void add_social(struct extract_page *pg, const char *href)
{
    /* network host, name, and paths that are share buttons or site pages */
    static const struct {
        const char *host, *network, *bad;
    } nets[] = {
        {"linkedin.com", "linkedin", "/share|/sharing|/feed|/login"},
        {"twitter.com", "x", "/intent|/share|/home|/hashtag|/search|/i/"},
        {"x.com", "x", "/intent|/share|/home|/hashtag|/search|/i/"},
        {"facebook.com", "facebook", "/sharer|/share|/dialog|/plugins|/tr|/login"},
        {"instagram.com", "instagram", "/p/|/reel|/explore"},
        {"youtube.com", "youtube", "/watch|/embed|/results"},
        {"github.com", "github", "/login|/features|/about"},
    };
    char *host = url_host(href);
    if (!host)
        return;
    char *h = host;
    if (strncmp(h, "www.", 4) == 0 || strncmp(h, "mobile.", 7) == 0)
        h = strchr(h, '.') + 1;
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++) {
        if (strcmp(h, nets[i].host) != 0)
            continue;
        char *path = url_path(href);
        bool ok = path && strlen(path) > 1 && !path_is(path, nets[i].bad);
        bool dup = false;
        for (size_t k = 0; k < pg->social_network.n; k++)
            dup = dup || strcmp(pg->social_network.v[k], nets[i].network) == 0;
        if (ok && !dup) {
            char *clean = url_normalize(href);
            if (clean) {
                char *q = strpbrk(clean, "?#");
                if (q)
                    *q = '\0';
                size_t n = pg->social_network.n;
                pg->social_network.v = xrealloc(pg->social_network.v, (n + 1) * sizeof(char *));
                pg->social_url.v = xrealloc(pg->social_url.v, (n + 1) * sizeof(char *));
                pg->social_network.v[n] = xstrdup(nets[i].network);
                pg->social_url.v[n] = clean;
                pg->social_network.n = pg->social_url.n = n + 1;
            }
        }
        free(path);
        break;
    }
    free(host);
}

/* ---- postal address ---- */

struct country {
    const char *code;
    const char *names; /* '|'-separated, lower case */
};

static const struct country countries[] = {
    {"US", "united states|united states of america|usa|u.s.a.|u.s."},
    {"CA", "canada"},
    {"GB", "united kingdom|uk|great britain|england|scotland|wales|northern ireland"},
    {"DE", "germany|deutschland"},
    {"FR", "france"},
    {"NL", "netherlands|the netherlands|nederland|holland"},
    {"IE", "ireland|éire"},
    {"ES", "spain|españa"},
    {"SE", "sweden|sverige"},
    {"AU", "australia"},
    {"NZ", "new zealand"},
    {"IT", "italy|italia"},
    {"PT", "portugal"},
    {"BE", "belgium|belgië|belgique"},
    {"CH", "switzerland|schweiz|suisse"},
    {"AT", "austria|österreich"},
    {"DK", "denmark|danmark"},
    {"NO", "norway|norge"},
    {"FI", "finland|suomi"},
    {"PL", "poland|polska"},
    {"IN", "india"},
    {"SG", "singapore"},
    {"ZA", "south africa"},
    {"MX", "mexico|méxico"},
    {"BR", "brazil|brasil"},
    {"JP", "japan"},
};

/* The ISO code for a country name or code ("Germany", "DE", "U.S."). */
const char *extract__country_code(const char *s)
{
    char *t = str_trim_dup(s);
    for (char *p = t; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    const char *found = NULL;
    for (size_t i = 0; i < sizeof countries / sizeof *countries && !found; i++) {
        if (strcasecmp(t, countries[i].code) == 0)
            found = countries[i].code;
        for (const char *n = countries[i].names; *n && !found;) {
            size_t len = strcspn(n, "|");
            if (strlen(t) == len && strncmp(t, n, len) == 0)
                found = countries[i].code;
            n += len + (n[len] == '|');
        }
    }
    free(t);
    return found;
}

/* Parses "street, [city,] [ST] postcode city, Country" loosely. */
static void parse_address(struct extract_address *a, const char *text)
{
    char *copy = xstrdup(text);
    char *parts[12];
    size_t n = 0;
    for (char *p = copy; *p && n < 12;) {
        size_t k = strcspn(p, ",\n");
        char save = p[k];
        p[k] = '\0';
        char *t = str_trim_dup(p);
        if (*t)
            parts[n++] = t;
        else
            free(t);
        if (!save)
            break;
        p += k + 1;
    }
    if (n >= 2) {
        const char *code = extract__country_code(parts[n - 1]);
        size_t last = n;
        if (code) {
            a->country = xstrdup(code);
            last = n - 1;
        }
        if (strpbrk(parts[0], "0123456789"))
            a->street = xstrdup(parts[0]);
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(re_postal, NULL);
        for (size_t i = a->street ? 1 : 0; i < last && !a->postal_code; i++) {
            size_t len = strlen(parts[i]);
            if (pcre2_match(re_postal, (PCRE2_SPTR)parts[i], len, 0, PCRE2_NO_UTF_CHECK, md, NULL) <
                0)
                continue;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            char *code_txt = xstrndup(parts[i] + ov[0], ov[1] - ov[0]);
            /* "CA 94103": a region before the code */
            if (isupper((unsigned char)code_txt[0]) && isupper((unsigned char)code_txt[1]) &&
                code_txt[2] == ' ' &&
                (isdigit((unsigned char)code_txt[3]) || strlen(code_txt) > 6)) {
                a->region = xstrndup(code_txt, 2);
                a->postal_code = xstrdup(code_txt + 3);
            } else if (strlen(code_txt) > 4 && isupper((unsigned char)code_txt[0]) &&
                       isupper((unsigned char)code_txt[1]) && isupper((unsigned char)code_txt[2]) &&
                       code_txt[3] == ' ') {
                a->region = xstrndup(code_txt, 3);
                a->postal_code = xstrdup(code_txt + 4);
            } else {
                a->postal_code = xstrdup(code_txt);
            }
            /* the locality is the rest of this part, or the part before */
            char *rest = xstrdup(parts[i]);
            memmove(rest + ov[0], rest + ov[1], strlen(rest + ov[1]) + 1);
            char *loc = str_trim_dup(rest);
            free(rest);
            if (*loc)
                a->locality = loc;
            else {
                free(loc);
                if (i > (a->street ? 1u : 0u))
                    a->locality = xstrdup(parts[i - 1]);
            }
            free(code_txt);
        }
        pcre2_match_data_free(md);
        if (!a->locality && last >= 2 && a->street)
            a->locality = xstrdup(parts[last - 1]);
    }
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    free(copy);
}

/* An address-like line of visible text: digits and a country at its end. */
static char *address_line(const char *text)
{
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > 12 && len < 200 && memchr(line, ',', len)) {
            const char *comma = line + len;
            while (comma > line && comma[-1] != ',')
                comma--;
            char *tail = xstrndup(comma, (size_t)(line + len - comma));
            bool country = extract__country_code(tail) != NULL;
            free(tail);
            bool digit = false;
            for (size_t i = 0; i < len && !digit; i++)
                digit = isdigit((unsigned char)line[i]);
            if (country && digit)
                return xstrndup(line, len);
        }
        line += len + (line[len] == '\n');
    }
    return NULL;
}

void extract__contacts(const struct extract_doc *d, const struct extract_meta *m,
                       const char *visible_text, const char *site, struct extract_page *pg)
{
    pthread_once(&re_once, compile_all);
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    char *address_el = NULL;
    struct extract_list tels = {NULL, 0};
    for (xmlNodePtr x = root; x; x = extract__next(x, root, false)) {
        if (x->type != XML_ELEMENT_NODE)
            continue;
        const char *cf = x->properties ? extract__attr(x, "data-cfemail") : NULL;
        if (cf) {
            char *e = cf_decode(cf);
            if (e)
                add_email(pg, e, site);
            free(e);
        }
        if (extract__name_is(x, "address") && !address_el)
            address_el = extract__node_text(x, 1024);
        if (!extract__name_is(x, "a"))
            continue;
        xmlChar *href = xmlGetProp(x, (const xmlChar *)"href");
        if (!href)
            continue;
        const char *h = (const char *)href;
        while (isspace((unsigned char)*h))
            h++;
        if (strncasecmp(h, "mailto:", 7) == 0) {
            size_t n = strcspn(h + 7, "?");
            char *dec = percent_decode(h + 7, n);
            for (char *p = dec; *p;) { /* mailto:a@x,b@y */
                size_t k = strcspn(p, ",;");
                char save = p[k];
                p[k] = '\0';
                add_email(pg, p, site);
                if (!save)
                    break;
                p += k + 1;
            }
            free(dec);
        } else if (strncasecmp(h, "tel:", 4) == 0) {
            /* parsed once the country is known */
            if (tels.n < MAX_PHONES) {
                tels.v = xrealloc(tels.v, (tels.n + 1) * sizeof *tels.v);
                tels.v[tels.n++] = percent_decode(h + 4, strlen(h + 4));
            }
        } else if (strstr(h, "/cdn-cgi/l/email-protection#")) {
            char *e = cf_decode(strchr(h, '#') + 1);
            if (e)
                add_email(pg, e, site);
            free(e);
        } else if (strncasecmp(h, "http", 4) == 0) {
            add_social(pg, h);
        }
        xmlFree(href);
    }
    if (m->email)
        add_email(pg, m->email, site);
    emails_in_text(pg, visible_text, site);
    obfuscated_emails(pg, visible_text, site);
    for (size_t i = 0; i < m->same_as.n; i++)
        add_social(pg, m->same_as.v[i]);

    /* The address first: it tells the country, which national numbers need. */
    struct extract_address *a = &pg->address;
    if (m->address.street || m->address.locality || m->address.postal_code) {
        a->street = m->address.street ? xstrdup(m->address.street) : NULL;
        a->locality = m->address.locality ? xstrdup(m->address.locality) : NULL;
        a->region = m->address.region ? xstrdup(m->address.region) : NULL;
        a->postal_code = m->address.postal_code ? xstrdup(m->address.postal_code) : NULL;
        const char *code = m->address.country ? extract__country_code(m->address.country) : NULL;
        a->country = code ? xstrdup(code) : m->address.country ? xstrdup(m->address.country) : NULL;
    } else {
        char *line = address_el        ? xstrdup(address_el)
                     : m->address_text ? xstrdup(m->address_text)
                                       : address_line(visible_text);
        if (line)
            parse_address(a, line);
        free(line);
    }
    free(address_el);
    if (a->country && strlen(a->country) == 2 && !pg->country[0])
        memcpy(pg->country, a->country, 3);
    if (!pg->country[0] && a->postal_code && a->region && strlen(a->region) == 2) {
        /* "MA 02110" is American, "ON M5V 2T6" Canadian, even unnamed */
        const char *pc = a->postal_code;
        size_t n = strlen(pc);
        bool zip = n >= 5 && isdigit((unsigned char)pc[0]) && isdigit((unsigned char)pc[4]);
        bool canadian = n >= 6 && isalpha((unsigned char)pc[0]) && isdigit((unsigned char)pc[1]);
        if (zip || canadian)
            memcpy(pg->country, zip ? "US" : "CA", 3);
    }

    const char *region = pg->country[0] ? pg->country : "ZZ";
    char e164[32];
    if (m->telephone && phone_parse(m->telephone, region, e164) == 0)
        add_phone(pg, e164);
    for (size_t i = 0; i < tels.n; i++) {
        if (phone_parse(tels.v[i], region, e164) == 0)
            add_phone(pg, e164);
        free(tels.v[i]);
    }
    free(tels.v);
    find_phones(pg, visible_text, region);
}
