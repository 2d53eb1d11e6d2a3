/* country.c: which country a page's company is in, for national phone
 * numbers and for location fit: country names and codes, country-code
 * top-level domains, language tags and currencies. The order of the clues
 * is page.c's; this file only reads each one. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/str.h"
#include "extract/extract_int.h"

struct country {
    const char *code;
    const char *names; /* '|'-separated, lower case */
};

static const struct country countries[] = {
    {"US", "united states|united states of america|usa|u.s.a.|u.s."},
    {"CA", "canada"},
    {"GB", "united kingdom|uk|u.k.|great britain|england|scotland|wales|northern ireland"},
    {"IE", "ireland|éire|republic of ireland"},
    {"AU", "australia"},
    {"NZ", "new zealand|aotearoa"},
    {"DE", "germany|deutschland"},
    {"FR", "france"},
    {"NL", "netherlands|the netherlands|nederland|holland"},
    {"BE", "belgium|belgië|belgique"},
    {"LU", "luxembourg"},
    {"CH", "switzerland|schweiz|suisse|svizzera"},
    {"AT", "austria|österreich"},
    {"ES", "spain|españa"},
    {"PT", "portugal"},
    {"IT", "italy|italia"},
    {"SE", "sweden|sverige"},
    {"NO", "norway|norge"},
    {"DK", "denmark|danmark"},
    {"FI", "finland|suomi"},
    {"IS", "iceland|ísland"},
    {"PL", "poland|polska"},
    {"CZ", "czech republic|czechia|česko"},
    {"SK", "slovakia"},
    {"HU", "hungary"},
    {"RO", "romania"},
    {"BG", "bulgaria"},
    {"GR", "greece"},
    {"HR", "croatia"},
    {"SI", "slovenia"},
    {"EE", "estonia"},
    {"LV", "latvia"},
    {"LT", "lithuania"},
    {"UA", "ukraine"},
    {"TR", "turkey|türkiye"},
    {"IL", "israel"},
    {"AE", "united arab emirates|uae|u.a.e."},
    {"SA", "saudi arabia"},
    {"EG", "egypt"},
    {"ZA", "south africa"},
    {"NG", "nigeria"},
    {"KE", "kenya"},
    {"IN", "india"},
    {"PK", "pakistan"},
    {"SG", "singapore"},
    {"MY", "malaysia"},
    {"PH", "philippines"},
    {"ID", "indonesia"},
    {"TH", "thailand"},
    {"VN", "vietnam|viet nam"},
    {"HK", "hong kong"},
    {"CN", "china"},
    {"JP", "japan"},
    {"KR", "south korea|korea"},
    {"TW", "taiwan"},
    {"MX", "mexico|méxico"},
    {"BR", "brazil|brasil"},
    {"AR", "argentina"},
    {"CL", "chile"},
    {"CO", "colombia"},
    {"PE", "peru|perú"},
};

const char *extract_country_code(const char *s)
{
    char *t = str_trim_dup(s);
    size_t n = strlen(t);
    while (n && (t[n - 1] == '.' || t[n - 1] == ','))
        t[--n] = '\0';
    if (n == 3 && strcmp(t, "USA") != 0) { /* ISO alpha-3 in structured data */
        static const char *const three[][2] = {{"GBR", "GB"}, {"CAN", "CA"}, {"AUS", "AU"},
                                               {"DEU", "DE"}, {"FRA", "FR"}, {"IRL", "IE"},
                                               {"NZL", "NZ"}, {"NLD", "NL"}, {"IND", "IN"}};
        for (size_t i = 0; i < sizeof three / sizeof *three; i++)
            if (strcmp(t, three[i][0]) == 0) {
                free(t);
                return three[i][1];
            }
    }
    const char *found = NULL;
    for (size_t i = 0; i < sizeof countries / sizeof *countries && !found; i++) {
        if (strcmp(t, countries[i].code) == 0) /* "DE"; "de" and "no" are words */
            found = countries[i].code;
        for (const char *p = countries[i].names; *p && !found;) {
            size_t len = strcspn(p, "|");
            if (n == len && strncasecmp(t, p, len) == 0)
                found = countries[i].code;
            p += len + (p[len] == '|');
        }
    }
    free(t);
    return found;
}

const char *extract__country_of_host(const char *host)
{
    /* ".uk" is GB; generic and vanity domains (.io, .co, .ai, .tv) say nothing */
    static const char *const map[][2] = {
        {"uk", "GB"}, {"de", "DE"}, {"fr", "FR"}, {"nl", "NL"}, {"ie", "IE"}, {"es", "ES"},
        {"se", "SE"}, {"au", "AU"}, {"ca", "CA"}, {"us", "US"}, {"it", "IT"}, {"pt", "PT"},
        {"be", "BE"}, {"ch", "CH"}, {"at", "AT"}, {"dk", "DK"}, {"no", "NO"}, {"fi", "FI"},
        {"pl", "PL"}, {"nz", "NZ"}, {"in", "IN"}, {"sg", "SG"}, {"za", "ZA"}, {"mx", "MX"},
        {"br", "BR"}, {"jp", "JP"}, {"is", "IS"}, {"cz", "CZ"}, {"sk", "SK"}, {"hu", "HU"},
        {"ro", "RO"}, {"gr", "GR"}, {"lt", "LT"}, {"lv", "LV"}, {"ee", "EE"}, {"lu", "LU"},
        {"il", "IL"}, {"ae", "AE"}, {"hk", "HK"}, {"my", "MY"}, {"ph", "PH"}, {"ar", "AR"},
        {"cl", "CL"}, {"ua", "UA"}, {"tr", "TR"}, {"kr", "KR"}, {"cn", "CN"}, {"eg", "EG"},
    };
    const char *dot = host ? strrchr(host, '.') : NULL;
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcasecmp(dot + 1, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

const char *extract__country_of_lang(const char *lang)
{
    /* "en-GB", "de_AT": the region part; a bare language says too little */
    if (!lang || strlen(lang) != 5 || (lang[2] != '-' && lang[2] != '_'))
        return NULL;
    char cc[3] = {(char)toupper((unsigned char)lang[3]), (char)toupper((unsigned char)lang[4]), 0};
    return extract_country_code(cc);
}

/* Whether the currency code at hit[0, n) of text is a word of its own next
 * to an amount ("USD 49", "49.00 CAD", "CAD$49"). */
static bool price_code(const char *text, const char *hit, size_t n)
{
    if ((hit > text && isalpha((unsigned char)hit[-1])) || isalpha((unsigned char)hit[n]))
        return false;
    const char *after = hit + n + strspn(hit + n, " $\xc2\xa0");
    const char *before = hit;
    while (before > text && (before[-1] == ' ' || (unsigned char)before[-1] == 0xa0 ||
                             (unsigned char)before[-1] == 0xc2))
        before--;
    return isdigit((unsigned char)*after) || (before > text && isdigit((unsigned char)before[-1]));
}

/* Prices name a country where the currency has one home. Tried in order:
 * the distinctive marks first, the bare dollar last. */
const char *extract__country_of_currency(const char *text)
{
    static const struct {
        const char *mark, *code;
    } marks[] = {
        {"£", "GB"},   {"GBP", "GB"}, {"A$", "AU"},  {"AUD", "AU"}, {"C$", "CA"},  {"CAD", "CA"},
        {"NZ$", "NZ"}, {"NZD", "NZ"}, {"₹", "IN"},   {"INR", "IN"}, {"US$", "US"}, {"USD", "US"},
        {"CHF", "CH"}, {"SEK", "SE"}, {"NOK", "NO"}, {"DKK", "DK"}, {"zł", "PL"},  {"PLN", "PL"},
    };
    if (!text)
        return NULL;
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *hit = strstr(text, marks[i].mark);
        bool code =
            isupper((unsigned char)marks[i].mark[0]) && isupper((unsigned char)marks[i].mark[1]);
        /* a currency code is a price's: "USD 49", "49 CAD"; not "USDA",
         * nor "CAD drawings" */
        while (hit && code && !price_code(text, hit, strlen(marks[i].mark)))
            hit = strstr(hit + 1, marks[i].mark);
        if (hit)
            return marks[i].code;
    }
    /* "$49/month": a dollar price with nothing else said is most often American */
    for (const char *p = strchr(text, '$'); p; p = strchr(p + 1, '$'))
        if (isdigit((unsigned char)p[1]) && (p == text || !isalpha((unsigned char)p[-1])))
            return "US";
    return NULL;
}

/* First-level regions of the countries whose addresses name them: US
 * states, Canadian provinces and territories, Australian states. */
static const struct {
    const char *code, *abbr, *name;
} regions[] = {
    {"US-AL", "AL", "Alabama"},
    {"US-AK", "AK", "Alaska"},
    {"US-AZ", "AZ", "Arizona"},
    {"US-AR", "AR", "Arkansas"},
    {"US-CA", "CA", "California"},
    {"US-CO", "CO", "Colorado"},
    {"US-CT", "CT", "Connecticut"},
    {"US-DE", "DE", "Delaware"},
    {"US-DC", "DC", "District of Columbia"},
    {"US-FL", "FL", "Florida"},
    {"US-GA", "GA", "Georgia"},
    {"US-HI", "HI", "Hawaii"},
    {"US-ID", "ID", "Idaho"},
    {"US-IL", "IL", "Illinois"},
    {"US-IN", "IN", "Indiana"},
    {"US-IA", "IA", "Iowa"},
    {"US-KS", "KS", "Kansas"},
    {"US-KY", "KY", "Kentucky"},
    {"US-LA", "LA", "Louisiana"},
    {"US-ME", "ME", "Maine"},
    {"US-MD", "MD", "Maryland"},
    {"US-MA", "MA", "Massachusetts"},
    {"US-MI", "MI", "Michigan"},
    {"US-MN", "MN", "Minnesota"},
    {"US-MS", "MS", "Mississippi"},
    {"US-MO", "MO", "Missouri"},
    {"US-MT", "MT", "Montana"},
    {"US-NE", "NE", "Nebraska"},
    {"US-NV", "NV", "Nevada"},
    {"US-NH", "NH", "New Hampshire"},
    {"US-NJ", "NJ", "New Jersey"},
    {"US-NM", "NM", "New Mexico"},
    {"US-NY", "NY", "New York"},
    {"US-NC", "NC", "North Carolina"},
    {"US-ND", "ND", "North Dakota"},
    {"US-OH", "OH", "Ohio"},
    {"US-OK", "OK", "Oklahoma"},
    {"US-OR", "OR", "Oregon"},
    {"US-PA", "PA", "Pennsylvania"},
    {"US-RI", "RI", "Rhode Island"},
    {"US-SC", "SC", "South Carolina"},
    {"US-SD", "SD", "South Dakota"},
    {"US-TN", "TN", "Tennessee"},
    {"US-TX", "TX", "Texas"},
    {"US-UT", "UT", "Utah"},
    {"US-VT", "VT", "Vermont"},
    {"US-VA", "VA", "Virginia"},
    {"US-WA", "WA", "Washington"},
    {"US-WV", "WV", "West Virginia"},
    {"US-WI", "WI", "Wisconsin"},
    {"US-WY", "WY", "Wyoming"},
    {"US-PR", "PR", "Puerto Rico"},
    {"CA-AB", "AB", "Alberta"},
    {"CA-BC", "BC", "British Columbia"},
    {"CA-MB", "MB", "Manitoba"},
    {"CA-NB", "NB", "New Brunswick"},
    {"CA-NL", "NL", "Newfoundland and Labrador"},
    {"CA-NS", "NS", "Nova Scotia"},
    {"CA-NT", "NT", "Northwest Territories"},
    {"CA-NU", "NU", "Nunavut"},
    {"CA-ON", "ON", "Ontario"},
    {"CA-PE", "PE", "Prince Edward Island"},
    {"CA-QC", "QC", "Quebec"},
    {"CA-SK", "SK", "Saskatchewan"},
    {"CA-YT", "YT", "Yukon"},
    {"AU-NSW", "NSW", "New South Wales"},
    {"AU-VIC", "VIC", "Victoria"},
    {"AU-QLD", "QLD", "Queensland"},
    {"AU-WA", "WA", "Western Australia"},
    {"AU-SA", "SA", "South Australia"},
    {"AU-TAS", "TAS", "Tasmania"},
    {"AU-ACT", "ACT", "Australian Capital Territory"},
    {"AU-NT", "NT", "Northern Territory"},
};

const char *extract_region_code(const char *s, const char *country)
{
    if (!s)
        return NULL;
    char *t = str_trim_dup(s);
    size_t n = strlen(t);
    while (n && (t[n - 1] == '.' || t[n - 1] == ','))
        t[--n] = '\0';
    if (n == 4 && t[1] == '.' && t[3] == '.') { /* "N.Y." */
        t[1] = t[2];
        t[2] = '\0';
    }
    const char *found = NULL;
    for (size_t i = 0; i < sizeof regions / sizeof *regions && !found; i++) {
        if (country && strncmp(regions[i].code, country, 2) != 0)
            continue;
        /* abbreviations in capitals only: "in", "or", "me" are words */
        if (strcmp(t, regions[i].abbr) == 0 || strcasecmp(t, regions[i].name) == 0)
            found = regions[i].code;
    }
    free(t);
    return found;
}
