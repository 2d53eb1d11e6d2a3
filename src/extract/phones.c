/* phones.c: a page's phone numbers, in E.164: tel: links, structured data
 * and the visible text, through libphonenumber.
 *
 * A national number needs its country. The caller says what the page told
 * it (address, domain, another page of the site); when it said nothing, the
 * numbers written with +CC on the page name it; failing that, numbers
 * grouped the North American way ("(480) 470-1670", "800-555-0199") are
 * read as such, since that grouping is distinctive, and others are left
 * alone rather than guessed. Numbers in text must be grouped the way their
 * country writes them, so dates and identifiers do not pass; a bare run of
 * digits counts only after a phone label. Numbers labelled fax are not
 * phones.
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
#include "extract/extract_int.h"
#include "extract/phone.h"

#define MAX_PHONES 10
#define LOOK_BACK 32 /* bytes before a number searched for its label */

static pcre2_code *re_nanp, *re_label, *re_date;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compile_all(void)
{
    /* (480) 470-1670, 480-470-1670, 480.470.1670, 1-800-555-0199, +1 480 470 1670 */
    re_nanp =
        extract__compile("^(?:\\+?1[ .\\-]?)?(?:\\(\\d{3}\\)[ .\\-]?|\\d{3}[ .\\-])\\d{3}[ .\\-]"
                         "\\d{4}$",
                         0);
    /* the labels a number can carry; group 1 marks a fax */
    re_label =
        extract__compile("(?<![a-z])(?:(fax|facsimile|telefax|f)|phone|telephone|tel|call|"
                         "ph|mobile|cell|t|p|m|toll[- ]free|text|sms|whatsapp|office|main|"
                         "hotline|direct|contact|dial|reach)(?:\\s+(?:us|me|number|line|no\\.?|#))?"
                         "\\s*(?:[.:#]|\\bis\\b|\\bat\\b|\\bon\\b)?\\s*$",
                         PCRE2_CASELESS);
    /* 04/21/2020, 2025-10-31 20:19, 12.05.2026: dates and times, not numbers */
    re_date = extract__compile("\\d{1,4}[-./]\\d{1,2}[-./]\\d{2,4}|\\d{1,2}:\\d{2}", 0);
}

enum label { LABEL_NONE, LABEL_PHONE, LABEL_FAX };

/* The label right before a number, on its line ("Fax: ", "T. ", "Call "). */
static enum label label_before(const char *text, size_t start)
{
    size_t from = start > LOOK_BACK ? start - LOOK_BACK : 0;
    for (size_t i = start; i > from; i--)
        if (text[i - 1] == '\n') {
            from = i;
            break;
        }
    /* skip separators and an opening bracket between label and number */
    size_t end = start;
    while (end > from && strchr(" \t:|-(", text[end - 1]))
        end--;
    if (end == from)
        return LABEL_NONE;
    pcre2_match_data *md = pcre2_match_data_create(2, NULL);
    int rc = pcre2_match(re_label, (PCRE2_SPTR)(text + from), end - from, 0, PCRE2_NO_UTF_CHECK, md,
                         NULL);
    enum label l = LABEL_NONE;
    if (rc >= 0)
        l = pcre2_get_ovector_pointer(md)[2] != PCRE2_UNSET ? LABEL_FAX : LABEL_PHONE;
    pcre2_match_data_free(md);
    return l;
}

static void add_phone(struct extract_page *pg, const char *e164)
{
    if (!e164)
        return;
    for (size_t i = 0; i < pg->phones.n; i++)
        if (strcmp(pg->phones.v[i], e164) == 0)
            return;
    if (pg->phones.n >= MAX_PHONES)
        return;
    pg->phones.v = xrealloc(pg->phones.v, (pg->phones.n + 1) * sizeof *pg->phones.v);
    pg->phones.v[pg->phones.n++] = xstrdup(e164);
}

static bool matches(pcre2_code *re, const char *s, size_t n)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    bool ok = pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, md, NULL) >= 0;
    pcre2_match_data_free(md);
    return ok;
}

struct scan {
    void (*emit)(void *ctx, const char *e164, size_t start, size_t end);
    void *ctx;
    const char *text;   /* the window the matcher saw */
    size_t base;        /* its offset in the whole text */
    bool nanp;          /* national numbers are North American */
    char regions[8][3]; /* of numbers written with +CC (the country pass) */
    int counts[8];
    size_t nregions;
    bool country_pass;
    size_t emitted;  /* numbers given to emit */
    size_t done_end; /* where the last one ended, in the whole text */
};

static bool identifier_before(const char *text, size_t start)
{
    /* "Order 4155550142", "VAT no. ...": identifiers that look like numbers */
    static const char *const words[] = {
        "order",   "invoice", "vat",    "iban",  "ref", "isbn", "reg", "id",      "no.", "nr",
        "account", "tax",     "ein",    "siret", "kvk", "hrb",  "ust", "license", "lic", "sku",
        "item",    "model",   "serial", "npi",   "dot", "mc",   "abn", "acn",     NULL};
    size_t from = start > 16 ? start - 16 : 0;
    char before[17];
    memcpy(before, text + from, start - from);
    before[start - from] = '\0';
    for (const char *const *w = words; *w; w++) {
        char *hit = strcasestr(before, *w);
        if (hit && (hit == before || !isalpha((unsigned char)hit[-1])) &&
            !isalpha((unsigned char)hit[strlen(*w)]))
            return true;
    }
    return false;
}

static void on_number(void *ctx, const char *e164, size_t start, size_t end)
{
    struct scan *s = ctx;
    const char *raw = s->text + start;
    size_t n = end - start;
    if (s->country_pass) { /* only notes where +CC numbers belong */
        char r[3];
        phone_region_of(e164, r);
        if (raw[0] != '+' || !strcmp(r, "ZZ"))
            return;
        size_t i = 0;
        while (i < s->nregions && strcmp(s->regions[i], r) != 0)
            i++;
        if (i == s->nregions && s->nregions < 8)
            memcpy(s->regions[s->nregions++], r, 3);
        if (i < 8)
            s->counts[i]++;
        return;
    }
    enum label l = label_before(s->text, start);
    if (l == LABEL_FAX || (l == LABEL_NONE && identifier_before(s->text, start)))
        return; /* "Phone No.: ..." is a phone, "Order No. ..." is not */
    bool plain = raw[0] != '+' && strspn(raw, "0123456789") == n;
    if (plain && l != LABEL_PHONE)
        return; /* "4804701670" alone may be anything */
    /* written with its country code, or dialled abroad from North America
     * ("011 ...") or Europe ("00 ..."): the number's own plan decides */
    bool international = raw[0] == '+' || (raw[0] == '(' && raw[1] == '+') ||
                         !strncmp(raw, "011", 3) || !strncmp(raw, "00", 2);
    if (!international && !plain) {
        if (s->nanp && !matches(re_nanp, raw, n))
            return; /* North American numbers have one grouping */
        if (matches(re_date, raw, n))
            return;
    }
    if (s->base + start < s->done_end)
        return; /* seen already, in the window of the run before */
    s->emit(s->ctx, e164, s->base + start, s->base + end);
    s->emitted++;
    s->done_end = s->base + end;
}

/* libphonenumber is thorough and slow; it only sees the stretches of text
 * that could hold a number (7 to 20 digits among separators), with the
 * line's text before them for the label. */
static void scan_text(struct scan *s, const char *text, const char *region)
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
        if (digits < 7 || p - start > 200)
            continue;
        if (s->country_pass && !memchr(start, '+', (size_t)(p - start)))
            continue; /* only numbers written with +CC name a country */
        const char *w = start - (start - text > LOOK_BACK ? LOOK_BACK : start - text);
        while (w < start && ((unsigned char)*w & 0xC0) == 0x80) /* a UTF-8 boundary */
            w++;
        s->text = w;
        s->base = (size_t)(w - text);
        /* A number the matcher refuses with what follows ("(914) 349-8600
         * 04/21/2020" reads as a date) is tried again without the tail. */
        const char *end = p;
        int tries_left = s->country_pass || digits <= 10 ? 1 : 4; /* a tail needs digits */
        for (int tries = 0; tries < tries_left && end > start; tries++) {
            size_t before = s->emitted;
            phone_find(w, (size_t)(end - w), region, on_number, s);
            if (s->emitted > before)
                break;
            while (end > start && end[-1] != ' ')
                end--;
            while (end > start && end[-1] == ' ')
                end--;
        }
    }
}

static bool is_nanp(const char *region)
{
    return !strcmp(region, "US") || !strcmp(region, "CA");
}

static void page_emit(void *ctx, const char *e164, size_t start, size_t end)
{
    (void)start;
    (void)end;
    add_phone(ctx, e164);
}

void extract_phones_text(const char *text, const char *region,
                         void (*fn)(void *ctx, const char *e164, size_t start, size_t end),
                         void *ctx)
{
    pthread_once(&once, compile_all);
    bool guessed = !region || !*region;
    const char *r = guessed ? "US" : region;
    struct scan s = {.emit = fn, .ctx = ctx, .nanp = guessed || is_nanp(r)};
    scan_text(&s, text, r);
}

void extract__phones(const struct extract_doc *d, const struct extract_meta *m, const char *text,
                     const char *country, const char *fallback, struct extract_page *pg,
                     char found_country[3])
{
    pthread_once(&once, compile_all);
    found_country[0] = '\0';
    /* tel: links (the number, and the text around for a fax label) */
    struct extract_list tels = {NULL, 0};
    for (size_t x = 0; x < d->nnodes && tels.n < MAX_PHONES * 2; x++) {
        if (d->nodes[x].tag != EXTRACT_TAG_A)
            continue;
        const char *h = extract__attr(d->nodes[x].node, "href");
        while (h && isspace((unsigned char)*h))
            h++;
        if (!h || strncasecmp(h, "tel:", 4) != 0)
            continue;
        char *label = extract__node_text(d, x, 128);
        bool fax = strcasestr(label, "fax") != NULL;
        free(label);
        if (fax)
            continue;
        tels.v = xrealloc(tels.v, (tels.n + 1) * sizeof *tels.v);
        tels.v[tels.n++] = extract__percent_decode(h + 4, strlen(h + 4));
    }

    /* The region national numbers belong to. */
    char region[3] = "";
    bool guessed = false;
    if (country && strlen(country) == 2)
        memcpy(region, country, 3);
    if (!region[0]) { /* numbers written with +CC name it */
        struct scan cs = {.country_pass = true};
        scan_text(&cs, text, "ZZ");
        char e164[32];
        for (size_t i = 0; i < tels.n; i++)
            if (tels.v[i][0] == '+' && phone_parse(tels.v[i], "ZZ", e164) == 0) {
                cs.text = e164;
                on_number(&cs, e164, 0, strlen(e164));
            }
        /* the country most of them share; offices abroad listed alike say none */
        int best = 0, all = 0;
        for (size_t i = 0; i < cs.nregions; i++) {
            all += cs.counts[i];
            if (cs.counts[i] > best) {
                best = cs.counts[i];
                memcpy(region, cs.regions[i], 3);
            }
        }
        if (2 * best <= all)
            region[0] = '\0';
        if (region[0])
            memcpy(found_country, region, 3);
    }
    if (!region[0] && fallback && strlen(fallback) == 2)
        memcpy(region, fallback, 3);
    if (!region[0]) {
        memcpy(region, "US", 3);
        guessed = true;
    }

    char e164[32];
    struct scan s = {.emit = page_emit, .ctx = pg, .nanp = guessed || is_nanp(region)};
    for (size_t i = 0; i < m->phones.n; i++)
        if (phone_parse(m->phones.v[i], region, e164) == 0)
            add_phone(pg, e164);
    for (size_t i = 0; i < tels.n; i++) {
        const char *t = tels.v[i];
        size_t digits = 0;
        for (const char *p = t; *p; p++)
            digits += isdigit((unsigned char)*p) != 0;
        /* a tel: link is a phone; a guessed region still wants 10 or 11 digits */
        const char *first = t + strcspn(t, "0123456789");
        bool fits = !guessed || t[0] == '+' || digits == 10 || (digits == 11 && *first == '1');
        if (fits && phone_parse(t, region, e164) == 0)
            add_phone(pg, e164);
        free(tels.v[i]);
    }
    free(tels.v);
    scan_text(&s, text, region);

    /* North American numbers read by the guess tell the country too. */
    if (guessed && !found_country[0] && pg->phones.n) {
        char r[3];
        phone_region_of(pg->phones.v[0], r);
        if (strcmp(r, "ZZ") != 0)
            memcpy(found_country, r, 3);
    }
}
