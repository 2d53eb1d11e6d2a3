/* address.c: a company's postal address, from its structured data
 * (schema.org PostalAddress, read by meta.c; hCard), its <address>
 * element, or its text, in the formats real sites write:
 *
 *   US   "18625 S 187th Pl Suite B104, Queen Creek, AZ 85142"
 *   CA   "100 King St W, Toronto, ON M5X 1A9"
 *   UK   "10 Downing Street, London SW1A 2AA"
 *   AU   "1 Martin Place, Sydney NSW 2000"
 *   EU   "Hauptstraße 5, 10115 Berlin", "1012 AB Amsterdam"
 *
 * An address is found by its anchor, the part no other text looks like (a
 * region and a postal code, or a postal code of a distinctive shape), and
 * read outwards from it: the locality before the anchor, the street before
 * the locality (the previous line when the address spans blocks). Where
 * several addresses stand on a page, the one with a street, near a phone
 * number, wins.
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
#include "core/buf.h"
#include "core/str.h"
#include "extract/extract_int.h"

#define US_STATES                                                                                  \
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|"   \
    "NJ|"                                                                                          \
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|VI|GU"
#define US_STATE_NAMES                                                                             \
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|District of "        \
    "Columbia|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|" \
    "Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New "  \
    "Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|"   \
    "Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|" \
    "Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico"
#define CA_PROVINCES "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT"
#define CA_CODE "[ABCEGHJ-NPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z][ \\t]?\\d[ABCEGHJ-NPRSTV-Z]\\d"
#define CA_PROVINCE_NAMES                                                                          \
    "Alberta|British Columbia|Manitoba|New Brunswick|Newfoundland and Labrador|Newfoundland|Nova " \
    "Scotia|Northwest Territories|Nunavut|Ontario|Prince Edward Island|Quebec|Québec|"            \
    "Saskatchewan|Yukon"
#define AU_STATES                                                                                  \
    "NSW|VIC|QLD|WA|SA|TAS|ACT|NT|New South Wales|Victoria|Queensland|Western Australia|South "    \
    "Australia|Tasmania"

enum kind { US, CA, AU, UK, IE, EU, NKINDS };

/* Anchors, for text (region abbreviations in capitals, as printed) and for
 * a string known to be an address (any case). Groups: 1 region, 2 code. */
static pcre2_code *re_anchor[NKINDS], *re_anchor_any[2];
/* The same anchors of US, CA and AU addresses read code first, for long
 * texts: a region name may start at any word, a postal code is rare. The
 * region is then looked for right before the code. */
static pcre2_code *re_code[3], *re_region[3];
#define REGION_BEFORE                                                                              \
    48 /* bytes before a code a region may start ("Newfoundland and Labrador, ") */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compile_all(void)
{
    static const char *const pat[NKINDS] = {
        [US] = "(?<![\\w-])(" US_STATES "|[A-Z]\\.[A-Z]\\.|(?i:" US_STATE_NAMES "))\\.?,?[ \\t]+"
               "(\\d{5}(?:-\\d{4})?)(?![\\w-])",
        [CA] = "(?<![\\w-])(" CA_PROVINCES "|(?i:" CA_PROVINCE_NAMES "))\\.?,?[ \\t]+"
               "(" CA_CODE ")(?![\\w-])",
        [AU] = "(?<![\\w-])(" AU_STATES ")\\.?,?[ \\t]+(\\d{4})(?![\\w-])",
        /* the region group stays empty: UK postcodes name no county */
        [UK] = "(?<![\\w-])()((?:[A-PR-UWYZ][A-HK-Y]?\\d[A-Z\\d]?)[ \\t]?\\d[ABD-HJLNP-UW-Z]{2})"
               "(?![\\w-])",
        /* Eircode "D02 X285": a letter in its last part keeps dates and
         * model numbers out */
        [IE] = "(?<![\\w-])()((?:[AC-FHKNPRTV-Y]\\d{2}|D6W)[ \\t]?(?=[0-9]{0,3}[AC-FHKNPRTV-Y])"
               "[0-9AC-FHKNPRTV-Y]{4})(?![\\w-])",
        /* "10115 Berlin", "1012 AB Amsterdam", after a comma or a line start */
        [EU] = "(?:^|,[ \\t]*|\\n)()(\\d{5}|[1-9]\\d{3}(?:[ \\t]?[A-Z]{2})?)[ \\t]+"
               "(?=\\p{Lu}[\\p{L}'\\-]+)",
    };
    for (int k = 0; k < NKINDS; k++)
        re_anchor[k] = extract__compile(pat[k], PCRE2_MULTILINE);
    static const char *const code[3] = {
        [US] = "(?<![\\w-])(\\d{5}(?:-\\d{4})?)(?![\\w-])",
        [CA] = "(?<![\\w-])(" CA_CODE ")(?![\\w-])",
        [AU] = "(?<![\\w-])(\\d{4})(?![\\w-])",
    };
    static const char *const region[3] = {
        [US] =
            "(?<![\\w-])(" US_STATES "|[A-Z]\\.[A-Z]\\.|(?i:" US_STATE_NAMES "))\\.?,?[ \\t]+\\z",
        [CA] = "(?<![\\w-])(" CA_PROVINCES "|(?i:" CA_PROVINCE_NAMES "))\\.?,?[ \\t]+\\z",
        [AU] = "(?<![\\w-])(" AU_STATES ")\\.?,?[ \\t]+\\z",
    };
    for (int k = 0; k < 3; k++) {
        re_code[k] = extract__compile(code[k], 0);
        re_region[k] = extract__compile(region[k], 0);
    }
    re_anchor_any[US] =
        extract__compile("(?<![\\w-])(" US_STATES "|[A-Z]\\.[A-Z]\\.|" US_STATE_NAMES
                         ")\\.?,?\\s+(\\d{5}(?:-?\\d{4})?)(?![\\w-])",
                         PCRE2_CASELESS);
    re_anchor_any[CA] = extract__compile("(?<![\\w-])(" CA_PROVINCES "|" CA_PROVINCE_NAMES
                                         ")\\.?,?\\s+([a-z]\\d[a-z]\\s?\\d[a-z]\\d)"
                                         "(?![\\w-])",
                                         PCRE2_CASELESS);
}

/* ---- words of streets ---- */

/* A token lower-cased without its dots and commas ("N.W." -> "nw"). */
static void token_key(const char *w, size_t n, char *t, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        if (w[i] != '.' && w[i] != ',')
            t[k++] = (char)tolower((unsigned char)w[i]);
    t[k] = '\0';
}

static bool key_in(const char *t, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(t, *list) == 0)
            return true;
    return false;
}

/* Street types (USPS, Canada Post, Royal Mail, Australia Post), which end
 * a street's name, and unit designators, which the unit's id follows. */
static const char *const street_types[] = {
    "st",         "street", "ave",     "avenue",   "av",       "rd",        "road",    "blvd",
    "boulevard",  "dr",     "drive",   "ln",       "lane",     "way",       "ct",      "court",
    "pl",         "place",  "pkwy",    "parkway",  "pky",      "hwy",       "highway", "cir",
    "circle",     "ter",    "terrace", "trl",      "trail",    "sq",        "square",  "plaza",
    "plz",        "xing",   "cres",    "crescent", "broadway", "turnpike",  "tpke",    "expy",
    "expressway", "fwy",    "freeway", "route",    "rte",      "esplanade", "pde",     "parade",
    "ctr",        "pkway",  "run",     "loop",     NULL};
static const char *const units[] = {
    "suite", "ste", "unit", "apt",  "apartment", "floor", "fl",  "bldg", "building", "room",
    "rm",    "box", "lot",  "trlr", "dept",      "level", "lvl", "shop", "#",        NULL};
static const char *const directions[] = {"n", "s", "e", "w", "ne", "nw", "se", "sw", NULL};
static const char *const spelled[] = {"north", "south", "east", "west", NULL};

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)s[i]))
            return true;
    return false;
}

/* Past what a part without a number may still hold of its street before
 * the city: a unit and its id, a direction ("Ste B Alpharetta", "NW
 * Atlanta"). */
static size_t skip_unit(const char *s, size_t from, size_t to)
{
    const char *p = s + from, *end = s + to;
    for (int tok = 0; tok < 2 && p < end; tok++) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        const char *w = p;
        while (p < end && !isspace((unsigned char)*p))
            p++;
        char t[32];
        token_key(w, (size_t)(p - w), t, sizeof t);
        if (key_in(t, directions) && tok == 0)
            return (size_t)(p - s);
        if (!key_in(t, units))
            return (size_t)(w - s);
        while (p < end && isspace((unsigned char)*p)) /* the unit's id */
            p++;
        while (p < end && !isspace((unsigned char)*p))
            p++;
        return (size_t)(p - s);
    }
    return from;
}

/* Where the locality starts in s[from, to), a street line that runs into
 * its city ("2751 S Dixie Hwy West Palm Beach"): after the last word that
 * belongs to the street (a number, a street type, a unit and its id, a
 * direction next to them). Returns to when the whole is street. */
static size_t locality_start(const char *s, size_t from, size_t to)
{
    size_t loc = from;
    enum { T_OTHER, T_STREET } prev = T_OTHER;
    bool after_unit = false;
    const char *p = s + from, *end = s + to;
    while (p < end) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        const char *w = p;
        while (p < end && !isspace((unsigned char)*p))
            p++;
        if (p == w)
            break;
        char t[32];
        token_key(w, (size_t)(p - w), t, sizeof t);
        const char *next = p;
        while (next < end && isspace((unsigned char)*next))
            next++;
        const char *nw = next;
        while (nw < end && !isspace((unsigned char)*nw))
            nw++;
        char nt[32];
        token_key(next, (size_t)(nw - next), nt, sizeof nt);
        bool street = has_digit(w, (size_t)(p - w)) || key_in(t, street_types) ||
                      key_in(t, units) || after_unit ||
                      (key_in(t, directions) && prev == T_STREET) ||
                      (key_in(t, spelled) && (prev == T_STREET && *nt && key_in(nt, street_types)));
        after_unit = key_in(t, units) && strcmp(t, "#") != 0;
        if (street) {
            loc = (size_t)(p - s);
            prev = T_STREET;
        } else {
            prev = T_OTHER;
        }
    }
    return loc;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && (isspace((unsigned char)*s) || strchr(",-|:", *s)))
        s++, n--;
    while (n && (isspace((unsigned char)s[n - 1]) || strchr(",-|:", s[n - 1])))
        n--;
    char *out = xstrndup(s, n);
    for (char *p = out; *p; p++) /* blocks joined into one line */
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    return out;
}

/* Splits what precedes an anchor ("18625 S 187th Pl Suite B104, Queen
 * Creek") into street and locality. */
static void street_and_locality(const char *s, size_t n, struct extract_address *a)
{
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ','))
        n--;
    /* the locality is the last comma- or line-separated part; a part with a
     * number is a street that runs into its city ("12 Main St Springfield") */
    size_t cut = n;
    while (cut > 0 && s[cut - 1] != ',' && s[cut - 1] != '\n')
        cut--;
    size_t loc_start =
        has_digit(s + cut, n - cut) ? locality_start(s, cut, n) : skip_unit(s, cut, n);
    if (loc_start < n) {
        char *loc = trim_dup(s + loc_start, n - loc_start);
        if (*loc && strlen(loc) <= 40 && !has_digit(loc, strlen(loc)))
            a->locality = loc;
        else
            free(loc);
    }
    size_t street_end = a->locality ? loc_start : n;
    /* the street starts at its number ("Termio Pest Control, 18625 S ...") */
    size_t st = street_end;
    while (st > 0 && s[st - 1] != '\n')
        st--;
    const char *line = s + st;
    size_t len = street_end - st;
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        bool word_start = i == 0 || isspace((unsigned char)line[i - 1]) || line[i - 1] == ',';
        if (word_start &&
            (isdigit((unsigned char)line[i]) || strncasecmp(line + i, "p.o.", 4) == 0 ||
             strncasecmp(line + i, "po box", 6) == 0)) {
            from = i;
            break;
        }
        if (i + 1 == len)
            from = len;
    }
    if (from == len) { /* no number on this line: the line before may hold it */
        size_t prev_end = st ? st - 1 : 0, prev = prev_end;
        while (prev > 0 && s[prev - 1] != '\n')
            prev--;
        if (st && has_digit(s + prev, prev_end - prev) && prev_end - prev < 80) {
            line = s + prev;
            len = street_end - prev;
            from = 0;
            while (from < len && !isdigit((unsigned char)line[from]))
                from++;
        }
    }
    if (from < len) {
        char *street = trim_dup(line + from, len - from);
        if (*street && strlen(street) <= 120)
            a->street = street;
        else
            free(street);
    }
}

/* The street of an EU address: the part right before its postal code, name
 * then number ("Hauptstraße 5, 10115 Berlin"; "Am Markt 12\n80331 München"). */
static void eu_street(const char *s, size_t n, struct extract_address *a)
{
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ','))
        n--;
    size_t cut = n;
    while (cut > 0 && s[cut - 1] != ',' && s[cut - 1] != '\n')
        cut--;
    char *street = trim_dup(s + cut, n - cut);
    size_t len = strlen(street);
    if (len && len <= 80 && has_digit(street, len))
        a->street = street;
    else
        free(street);
}

static void set_country(struct extract_address *a, enum kind k)
{
    static const char *const codes[NKINDS] = {"US", "CA", "AU", "GB", "IE", NULL};
    if (!a->country && codes[k])
        a->country = xstrdup(codes[k]);
}

/* Reads an address around its anchor in s: the region at [rs, re), the
 * postal code at [cs, ce). */
static void read_around(const char *s, size_t rs, size_t re, size_t cs, size_t ce, enum kind k,
                        struct extract_address *a)
{
    a->postal_code = xstrndup(s + cs, ce - cs);
    for (char *p = a->postal_code; *p; p++)
        *p = *p == '\t' ? ' ' : (char)toupper((unsigned char)*p);
    if (re > rs) {
        a->region = xstrndup(s + rs, re - rs);
        if (re - rs == 4 && a->region[1] == '.' && a->region[3] == '.') { /* "N.Y." is "NY" */
            a->region[1] = a->region[2];
            a->region[2] = '\0';
        }
    }
    size_t pl = strlen(a->postal_code);
    if (pl == 9 && strspn(a->postal_code, "0123456789") == 9) { /* ZIP+4 written solid */
        char *z = xasprintf("%.5s-%s", a->postal_code, a->postal_code + 5);
        free(a->postal_code);
        a->postal_code = z;
    }
    size_t before = k == EU || k == UK || k == IE ? cs : rs;
    if (k == EU) { /* "10115 Berlin": the locality follows the code */
        const char *p = s + ce;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, ",\n(");
        while (n && isspace((unsigned char)p[n - 1]))
            n--;
        if (n && n <= 40)
            a->locality = xstrndup(p, n);
        eu_street(s, before, a);
        return;
    }
    street_and_locality(s, before, a);
    set_country(a, k);
}

/* The country named right after the anchor ("..., 10115 Berlin, Germany"). */
static const char *country_after(const char *s, size_t from)
{
    const char *p = s + from;
    for (int part = 0; part < 2 && *p; part++) {
        p += strspn(p, " ,\t\n");
        size_t n = strcspn(p, ",\n");
        if (n && n < 40) {
            char *t = xstrndup(p, n);
            const char *code = extract_country_code(t);
            free(t);
            if (code)
                return code;
        }
        p += n;
    }
    return NULL;
}

int extract_address_parse(const char *s, struct extract_address *a)
{
    pthread_once(&once, compile_all);
    memset(a, 0, sizeof *a);
    size_t len = strlen(s);
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    int rc = -1;
    /* the last anchor: a region and code end the address */
    for (int k = 0; k < NKINDS && rc; k++) {
        pcre2_code *re = k < 2 ? re_anchor_any[k] : re_anchor[k];
        size_t off = 0, last_s = SIZE_MAX;
        PCRE2_SIZE ov[6] = {0};
        while (off <= len &&
               pcre2_match(re, (PCRE2_SPTR)s, len, off, PCRE2_NO_UTF_CHECK, md, NULL) >= 0) {
            memcpy(ov, pcre2_get_ovector_pointer(md), sizeof ov);
            last_s = ov[0];
            off = ov[1] > off ? ov[1] : off + 1;
        }
        if (last_s == SIZE_MAX)
            continue;
        if (k == EU && !country_after(s, ov[1]) && !strchr(s, ','))
            continue; /* "2019 Annual": too weak alone */
        read_around(s, ov[2], ov[3], ov[4], ov[5], (enum kind)k, a);
        const char *c = country_after(s, ov[5]);
        if (c && !a->country)
            a->country = xstrdup(c);
        rc = 0;
    }
    pcre2_match_data_free(md);
    if (rc)
        extract_address_release(a);
    return rc;
}

/* ---- finding the address of a page ---- */

struct candidate {
    struct extract_address a;
    int score;
};

/* Whether text[from, to) reads like a street line: a house number and a
 * few letters, short. */
static bool street_line(const char *text, size_t from, size_t to)
{
    size_t letters = 0, digits = 0;
    for (size_t i = from; i < to; i++) {
        letters += isalpha((unsigned char)text[i]) != 0;
        digits += isdigit((unsigned char)text[i]) != 0;
    }
    return digits >= 1 && digits <= 5 && letters >= 4 && to - from < 80;
}

/* Whether text[from, to) ends in a month and a day ("Published on Oct 21"),
 * as a date before its year does. */
static bool month_day_before(const char *text, size_t from, size_t to)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    size_t e = to;
    while (e > from && isdigit((unsigned char)text[e - 1]))
        e--;
    if (e == to || to - e > 2 || e == from || text[e - 1] != ' ')
        return false;
    size_t w = --e;
    while (w > from && isalpha((unsigned char)text[w - 1]))
        w--;
    for (size_t i = 0; i < 12; i++)
        if (e - w >= 3 && strncasecmp(text + w, months[i], 3) == 0)
            return true;
    return false;
}

/* An EU postal code follows its street: on the same line after a comma
 * ("Hauptstraße 5, 10115 Berlin") or starting a line below it ("Helperpark
 * 282A" / "9723ZA Groningen"), where it is no year ("2025 Acme"). */
static bool eu_street_before(const char *text, size_t at, size_t cs, size_t ce)
{
    if (text[at] == '\n') /* the match began with the line break */
        at++;
    size_t line = at;
    while (line > 0 && text[line - 1] != '\n')
        line--;
    bool year = ce - cs == 4 && (!strncmp(text + cs, "19", 2) || !strncmp(text + cs, "20", 2));
    if (text[at] == ',') /* "Meir 12, 2000 Antwerpen": a street, then the code */
        return street_line(text, line, at) && !(year && month_day_before(text, line, at));
    if (year)
        return false; /* a line that starts with a year: "2025 Acme GmbH" */
    for (int up = 0; up < 2 && line > 0; up++) { /* the two lines above */
        size_t end = line - 1, start = end;
        while (start > 0 && text[start - 1] != '\n')
            start--;
        if (street_line(text, start, end))
            return true;
        line = start;
    }
    return false;
}

static bool phone_near(const char *text, size_t at)
{
    /* digits of a phone number within a few lines of the anchor */
    size_t from = at > 300 ? at - 300 : 0;
    int run = 0;
    for (size_t i = from; text[i] && i < at + 300; i++) {
        if (isdigit((unsigned char)text[i]))
            run++;
        else if (!strchr(" -.()+", text[i]))
            run = 0;
        if (run >= 10)
            return true;
    }
    return false;
}

/* A line that reads like an address ending in its country ("357 Dame
 * Street, Dublin, Ireland"), for formats without a known anchor. */
static int address_line(const char *text, struct extract_address *a)
{
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        const char *comma = len > 12 && len < 200 ? memchr(line, ',', len) : NULL;
        if (comma && has_digit(line, len)) {
            const char *last = line + len;
            while (last > line && last[-1] != ',')
                last--;
            char *tail = xstrndup(last, (size_t)(line + len - last));
            const char *code = extract_country_code(tail);
            free(tail);
            if (code) {
                memset(a, 0, sizeof *a);
                a->country = xstrdup(code);
                street_and_locality(line, (size_t)(last - line), a);
                return 0;
            }
        }
        line += len + (line[len] == '\n');
    }
    return -1;
}

/* The next anchor of kind k in text at or after *off: its match, region
 * and code ranges in ov (as re_anchor[k]'s groups); *off moves past it. */
static bool next_anchor(enum kind k, const char *text, size_t len, size_t *off,
                        pcre2_match_data *md, PCRE2_SIZE ov[6])
{
    if (k > AU) { /* anchored on their code already */
        if (pcre2_match(re_anchor[k], (PCRE2_SPTR)text, len, *off, PCRE2_NO_UTF_CHECK, md, NULL) <
            0)
            return false;
        memcpy(ov, pcre2_get_ovector_pointer(md), 6 * sizeof *ov);
        *off = ov[1] > *off ? ov[1] : *off + 1;
        return true;
    }
    while (*off < len && pcre2_match(re_code[k], (PCRE2_SPTR)text, len, *off, PCRE2_NO_UTF_CHECK,
                                     md, NULL) >= 0) {
        PCRE2_SIZE *c = pcre2_get_ovector_pointer(md);
        size_t cs = c[2], ce = c[3];
        *off = ce > *off ? ce : *off + 1;
        size_t from = cs > REGION_BEFORE ? cs - REGION_BEFORE : 0;
        if (pcre2_match(re_region[k], (PCRE2_SPTR)text, cs, from, PCRE2_NO_UTF_CHECK, md, NULL) < 0)
            continue;
        PCRE2_SIZE *r = pcre2_get_ovector_pointer(md);
        ov[0] = r[0];
        ov[1] = ce;
        ov[2] = r[2];
        ov[3] = r[3];
        ov[4] = cs;
        ov[5] = ce;
        return true;
    }
    return false;
}

/* The best address in visible text (one line per block), or -1. */
static int address_in_text(const char *text, struct extract_address *out)
{
    pthread_once(&once, compile_all);
    size_t len = strlen(text);
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    struct candidate best = {.score = -1};
    int found = 0;
    for (int k = 0; k < NKINDS; k++) {
        size_t off = 0;
        PCRE2_SIZE ov[6];
        while (off < len && found < 64 && next_anchor((enum kind)k, text, len, &off, md, ov)) {
            found++;
            /* the address: its anchor's line and up to two lines before */
            size_t start = ov[0];
            for (int lines = 0; start > 0 && lines < 3; start--)
                if (text[start - 1] == '\n' && ++lines == 3)
                    break;
            size_t end = ov[1];
            if (k == EU) /* its locality follows the code */
                end += strcspn(text + end, "\n");
            char *window = xstrndup(text + start, end - start);
            struct candidate c = {.score = 0};
            size_t shift = start;
            read_around(window, ov[2] - shift, ov[3] - shift, ov[4] - shift, ov[5] - shift,
                        (enum kind)k, &c.a);
            free(window);
            const char *country = country_after(text, ov[1]);
            if (k == EU && !country && !eu_street_before(text, ov[0], ov[4], ov[5])) {
                extract_address_release(&c.a);
                continue;
            }
            if (country && !c.a.country)
                c.a.country = xstrdup(country);
            c.score = (c.a.street ? 4 : 0) + (c.a.locality ? 2 : 0) +
                      (phone_near(text, ov[0]) ? 1 : 0) + (k == EU ? -2 : 0);
            if (c.score > best.score) {
                extract_address_release(&best.a);
                best = c;
            } else {
                extract_address_release(&c.a);
            }
        }
    }
    pcre2_match_data_free(md);
    if (best.score < 0)
        return address_line(text, out);
    *out = best.a;
    return 0;
}

/* hCard: class="adr" with street-address, locality, region, postal-code,
 * country-name inside. */
static bool has_class(xmlNodePtr n, const char *cls)
{
    const char *c = extract__attr(n, "class");
    size_t k = strlen(cls);
    for (const char *p = c; p && (p = strstr(p, cls)) != NULL; p += k)
        if ((p == c || isspace((unsigned char)p[-1])) && (!p[k] || isspace((unsigned char)p[k])))
            return true;
    return false;
}

static int address_hcard(const struct extract_doc *d, struct extract_address *a)
{
    const struct extract_node *nodes = d->nodes;
    const unsigned with_attrs = EXTRACT_N_ELEMENT | EXTRACT_N_ATTRS;
    for (size_t x = 0; x < d->nnodes; x++) {
        /* EXTRACT_N_ADR: "adr" occurs in the class, a word of it or not */
        if (!(nodes[x].flags & EXTRACT_N_ADR) || !has_class(nodes[x].node, "adr"))
            continue;
        static const char *const classes[] = {"street-address", "locality", "region", "postal-code",
                                              "country-name"};
        char **slots[] = {&a->street, &a->locality, &a->region, &a->postal_code, &a->country};
        for (size_t y = x + 1; y < nodes[x].end; y++)
            for (size_t i = 0; i < 5; i++)
                if ((nodes[y].flags & with_attrs) == with_attrs &&
                    has_class(nodes[y].node, classes[i]) && !*slots[i]) {
                    char *t = extract__node_text(d, y, 256);
                    if (*t)
                        *slots[i] = t;
                    else
                        free(t);
                }
        if (a->postal_code || a->locality)
            return 0;
        extract_address_release(a);
    }
    return -1;
}

/* Fills a's missing parts from b. */
static void fill_from(struct extract_address *a, const struct extract_address *b)
{
    char **dst[] = {&a->street, &a->locality, &a->region, &a->postal_code, &a->country};
    char *const src[] = {b->street, b->locality, b->region, b->postal_code, b->country};
    for (size_t i = 0; i < 5; i++)
        if (!*dst[i] && src[i])
            *dst[i] = xstrdup(src[i]);
}

/* The address of the page's markup and text, without structured data. */
static int address_of_page(const struct extract_doc *d, const char *text, struct extract_address *a)
{
    memset(a, 0, sizeof *a);
    if (address_hcard(d, a) == 0)
        return 0;
    for (size_t x = 0; x < d->nnodes; x++) {
        if (d->nodes[x].tag != EXTRACT_TAG_ADDRESS)
            continue;
        char *t = extract__node_text(d, x, 2048);
        int rc = address_in_text(t, a);
        free(t);
        if (rc == 0)
            return 0;
    }
    if (address_in_text(text, a) == 0)
        return 0;
    memset(a, 0, sizeof *a);
    return -1;
}

void extract__address(const struct extract_doc *d, const struct extract_meta *m, const char *text,
                      struct extract_address *a)
{
    memset(a, 0, sizeof *a);
    /* 1. schema.org PostalAddress, or an address given as one string there */
    if (m->address.street || m->address.locality || m->address.postal_code) {
        a->street = m->address.street ? xstrdup(m->address.street) : NULL;
        a->locality = m->address.locality ? xstrdup(m->address.locality) : NULL;
        a->region = m->address.region ? xstrdup(m->address.region) : NULL;
        a->postal_code = m->address.postal_code ? xstrdup(m->address.postal_code) : NULL;
        const char *code = m->address.country ? extract_country_code(m->address.country) : NULL;
        a->country = code ? xstrdup(code) : m->address.country ? xstrdup(m->address.country) : NULL;
    } else if (m->address_text) {
        extract_address_parse(m->address_text, a);
    }
    if (a->postal_code)
        return;
    /* 2. hCard, <address>, the text; a partial structured address fills in */
    struct extract_address b;
    if (address_of_page(d, text, &b) == 0) {
        fill_from(&b, a);
        extract_address_release(a);
        *a = b;
    }
}
