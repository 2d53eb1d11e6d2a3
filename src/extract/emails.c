/* emails.c: e-mail addresses of a page: mailto: links, structured data,
 * plain text, "name [at] domain [dot] com" forms, HTML entities (decoded
 * by the parser) and Cloudflare's e-mail protection.
 *
 * Visible text runs inline elements together ("info@acme.com" in one span,
 * "Call us" in the next), so an address found in text must end in a real
 * top-level domain (the public suffix list): "acme.comcall" is cut back to
 * "acme.com". Placeholders ("you@example.com") and asset names
 * ("logo@2x.png") are not addresses.
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
#include "net/url.h"

#define MAX_EMAILS 20

static pcre2_code *re_email, *re_obf_at, *re_obf_dot;
static pthread_once_t re_once = PTHREAD_ONCE_INIT;

static void compile_all(void)
{
    re_email = extract__compile("(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]{1,64}@"
                                "(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?\\.)+"
                                "[A-Za-z]{2,24}(?![A-Za-z0-9\\-])",
                                0);
    /* "name [at] domain", "name(at)domain", "name AT domain" */
    /* bare words only in capitals: "book directly at acme.com" is a sentence */
    re_obf_at = extract__compile(
        "\\s*[\\[\\(\\{<]\\s*(?:at|@)\\s*[\\]\\)\\}>]\\s*|(?-i:\\s+AT\\s+)", PCRE2_CASELESS);
    re_obf_dot = extract__compile(
        "\\s*[\\[\\(\\{<]\\s*(?:dot|\\.)\\s*[\\]\\)\\}>]\\s*|(?-i:\\s+DOT\\s+)", PCRE2_CASELESS);
}

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
/* Whether ext[0, n) is a file's extension ("logo@2x.png"), not a domain's. */
static bool asset(const char *ext, size_t n)
{
    static const char *const assets[] = {"png", "jpg", "jpeg", "gif", "svg", "webp", "css",
                                         "js",  "ico", "avif", "pdf", "mp4", NULL};
    for (const char *const *a = assets; *a; a++)
        if (strlen(*a) == n && strncasecmp(ext, *a, n) == 0)
            return true;
    return false;
}

static bool placeholder(const char *local, const char *domain)
{
    static const char *const locals[] = {"you",      "your",     "yourname",           "name",
                                         "email",    "user",     "username",           "someone",
                                         "john.doe", "jane.doe", "firstname.lastname", "example",
                                         "johndoe",  "janedoe",  "first.last",         NULL};
    static const char *const domains[] = {"example.com",
                                          "example.org",
                                          "example.net",
                                          "domain.com",
                                          "email.com",
                                          "yourdomain.com",
                                          "yourcompany.com",
                                          "company.com",
                                          "sentry.io",
                                          "wixpress.com",
                                          "sentry-next.wixpress.com",
                                          "mysite.com",
                                          "website.com",
                                          "address.com",
                                          NULL};
    for (const char *const *p = locals; *p; p++)
        if (strcasecmp(local, *p) == 0)
            return true;
    for (const char *const *p = domains; *p; p++)
        if (strcasecmp(domain, *p) == 0)
            return true;
    const char *tld = strrchr(domain, '.');
    return tld && asset(tld + 1, strlen(tld + 1));
}

bool extract_email_role(const char *local)
{
    static const char *const roles[] = {"info",      "hello",
                                        "contact",   "sales",
                                        "support",   "office",
                                        "admin",     "team",
                                        "enquiries", "inquiries",
                                        "enquiry",   "mail",
                                        "service",   "help",
                                        "marketing", "hr",
                                        "jobs",      "careers",
                                        "press",     "media",
                                        "billing",   "accounts",
                                        "privacy",   "legal",
                                        "webmaster", "kontakt",
                                        "bonjour",   "hola",
                                        "post",      "reception",
                                        "bookings",  "booking",
                                        "orders",    "customerservice",
                                        "feedback",  "partners",
                                        "general",   "studio",
                                        "welcome",   NULL};
    for (const char *const *p = roles; *p; p++)
        if (strcasecmp(local, *p) == 0)
            return true;
    return false;
}

void extract__add_email(struct extract_page *pg, const char *raw, const char *site)
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
    m->role = extract_email_role(e);
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

char *extract__percent_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return out;
}

/* The length of an address found in text once its domain ends in a real
 * top-level domain: the whole match, a shorter one when the next block's
 * word ran into it ("acme.comcall": "acme.com"), or 0. */
static size_t real_end(const char *m, size_t n)
{
    size_t dot = n;
    while (dot > 0 && m[dot - 1] != '.')
        dot--;
    if (dot == 0)
        return 0;
    const char *tld = m + dot;
    size_t len = n - dot;
    if (url_is_tld(tld, len))
        return n;
    if (asset(tld, len))
        return 0; /* "logo@2x.png" */
    /* the next word ran in: at least two letters of it after a real TLD */
    for (size_t k = len - 2; k >= 2; k--)
        if (url_is_tld(tld, k))
            return dot + k;
    return 0;
}

/* A character of re_email's local part, [A-Za-z0-9._%+-] (in ASCII
 * whatever the locale). */
static bool local_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '%' || c == '+' || c == '-';
}

/* The first re_email match at or after off, as pcre2_match from off would
 * find it, without its trial at every letter of the text: a match is a
 * run of 1 to 64 local-part characters that does not follow another one
 * (the lookbehind) and ends at an '@', so each '@' has one place a match
 * may start, where the pattern is tried anchored. */
static bool next_email(const char *text, size_t len, size_t off, pcre2_match_data *md)
{
    for (const char *at = text + off; (at = memchr(at, '@', len - (size_t)(at - text))) != NULL;
         at++) {
        const char *p = at;
        while (p > text && at - p <= 64 && local_char(p[-1]))
            p--;
        if (p == at || at - p > 64 || (p > text && local_char(p[-1])) || (size_t)(p - text) < off)
            continue;
        if (pcre2_match(re_email, (PCRE2_SPTR)text, len, (size_t)(p - text),
                        PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK, md, NULL) >= 0)
            return true;
    }
    return false;
}

static void emails_in_text(struct extract_page *pg, const char *text, const char *site)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re_email, NULL);
    size_t len = strlen(text), off = 0;
    while (off < len && next_email(text, len, off, md)) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t from = ov[0], n = real_end(text + ov[0], ov[1] - ov[0]);
        /* "(480) 470-1670info@acme.com": a phone number ran into it */
        size_t k = 0, digits = 0;
        while (from + k < ov[1] && strchr("0123456789-.()", text[from + k]))
            digits += isdigit((unsigned char)text[from + (k++)]) != 0;
        if (digits >= 4 && isalpha((unsigned char)text[from + k]) && k < n) {
            from += k;
            n -= k;
        }
        if (n) {
            char *e = xstrndup(text + from, n);
            extract__add_email(pg, e, site);
            free(e);
        }
        off = ov[1] > off ? ov[1] : off + 1;
    }
    pcre2_match_data_free(md);
}

/* Whether text may hold an obfuscated address: "[at]", "(@)", " AT ". */
static bool obfuscated_at(const char *text)
{
    if (strstr(text, " AT "))
        return true;
    for (const char *p = text; (p = strpbrk(p, "])}>")) != NULL; p++) {
        const char *q = p;
        while (q > text && q[-1] == ' ')
            q--;
        if ((q > text && q[-1] == '@') || (q - text >= 2 && tolower((unsigned char)q[-1]) == 't' &&
                                           tolower((unsigned char)q[-2]) == 'a'))
            return true;
    }
    return false;
}

/* "name [at] domain [dot] com" -> "name@domain.com", then the plain pattern. */
static void obfuscated_emails(struct extract_page *pg, const char *text, const char *site)
{
    if (!obfuscated_at(text))
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

void extract__emails(const struct extract_doc *d, const struct extract_meta *m,
                     const char *visible_text, const char *site, struct extract_page *pg)
{
    pthread_once(&re_once, compile_all);
    for (size_t i = 0; i < d->nnodes; i++) {
        /* any element may carry data-cfemail; only links carry mailto: */
        uint16_t f = d->nodes[i].flags;
        if (!(f & EXTRACT_N_ATTRS) ||
            (!(f & EXTRACT_N_CFEMAIL) && d->nodes[i].tag != EXTRACT_TAG_A))
            continue;
        xmlNodePtr x = d->nodes[i].node;
        const char *cf = f & EXTRACT_N_CFEMAIL ? extract__attr(x, "data-cfemail") : NULL;
        if (cf) {
            char *e = cf_decode(cf);
            if (e)
                extract__add_email(pg, e, site);
            free(e);
        }
        if (d->nodes[i].tag != EXTRACT_TAG_A)
            continue;
        const char *h = extract__attr(x, "href");
        if (!h)
            continue;
        while (isspace((unsigned char)*h))
            h++;
        if (strncasecmp(h, "mailto:", 7) == 0) {
            size_t n = strcspn(h + 7, "?");
            char *dec = extract__percent_decode(h + 7, n);
            for (char *p = dec; *p;) { /* mailto:a@x,b@y */
                size_t k = strcspn(p, ",;");
                char save = p[k];
                p[k] = '\0';
                extract__add_email(pg, p, site);
                if (!save)
                    break;
                p += k + 1;
            }
            free(dec);
        } else if (strstr(h, "/cdn-cgi/l/email-protection#")) {
            char *e = cf_decode(strchr(h, '#') + 1);
            if (e)
                extract__add_email(pg, e, site);
            free(e);
        }
    }
    for (size_t i = 0; i < m->emails.n; i++)
        extract__add_email(pg, m->emails.v[i], site);
    emails_in_text(pg, visible_text, site);
    obfuscated_emails(pg, visible_text, site);
}
