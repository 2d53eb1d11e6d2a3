/* test_fields.c: table-driven tests of two field readers on public case
 * sets copied into tests/data/ with their licences:
 *   - phone numbers in text (Microsoft Recognizers-Text's English cases):
 *     sentences without a number must give none; numbers written with a
 *     country code or in North American groups must be found, on their
 *     exact span;
 *   - US postal addresses (datamade/usaddress's 1,513 labelled strings):
 *     postal code, state and city of every address that has them.
 * Each prints its agreement figures; the floors are what the readers are
 * held to. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "extract/extract.h"
#include "extract/phone.h"

#define PHONE_CASES PROSPECT_SOURCE_DIR "/tests/data/phone-cases/English-PhoneNumberModel.json"
#define ADDRESS_CASES PROSPECT_SOURCE_DIR "/tests/data/address-cases/labeled.xml"

struct found {
    size_t start[16], end[16];
    size_t n;
};

static void on_phone(void *ctx, const char *e164, size_t start, size_t end)
{
    (void)e164;
    struct found *f = ctx;
    if (f->n < 16) {
        f->start[f->n] = start;
        f->end[f->n++] = end;
    }
}

/* Whether a case's number is one a page reader must find: a real number
 * (most cases use made-up ones such as "123 456 7890", which no country's
 * plan allows), with its country code or in North American form. */
static bool must_find(const char *text)
{
    char e164[32];
    return phone_parse(text, "US", e164) == 0;
}

static void phone_cases(void **state)
{
    (void)state;
    json_error_t err;
    json_t *cases = json_load_file(PHONE_CASES, 0, &err);
    assert_non_null(cases);
    int negatives = 0, clean = 0, wanted = 0, exact = 0, overlap = 0, found_any = 0, positives = 0;
    size_t i;
    json_t *c;
    json_array_foreach (cases, i, c) {
        const char *input = json_string_value(json_object_get(c, "Input"));
        json_t *results = json_object_get(c, "Results");
        struct found f = {.n = 0};
        extract_phones_text(input, NULL, on_phone, &f);
        if (!json_array_size(results)) {
            negatives++;
            if (f.n == 0)
                clean++;
            else
                print_message("not a phone, found one: %s\n", input);
            continue;
        }
        positives++;
        found_any += f.n > 0;
        json_t *r = json_array_get(results, 0);
        const char *want = json_string_value(json_object_get(r, "Text"));
        /* some cases give no Start: the text's first place in the input */
        json_t *js = json_object_get(r, "Start");
        const char *at = strstr(input, want);
        size_t start = json_is_integer(js) ? (size_t)json_integer_value(js)
                       : at                ? (size_t)(at - input)
                                           : 0;
        if (!must_find(want))
            continue;
        wanted++;
        bool hit = false, same = false;
        size_t end = start + strlen(want);
        for (size_t k = 0; k < f.n; k++) {
            same = same || (f.start[k] == start && f.end[k] == end);
            hit = hit || (f.start[k] < end && f.end[k] > start);
        }
        exact += same;
        overlap += hit;
        if (!hit)
            print_message("missed %s in: %s\n", want, input);
    }
    print_message("phone cases: %d of %d sentences without a number clean; of %d real numbers, %d "
                  "found (%d on their exact span); %d of %d sentences with a number, real or "
                  "made up, gave one\n",
                  clean, negatives, wanted, overlap, exact, found_any, positives);
    json_decref(cases);
    assert_true(negatives > 40 && wanted > 60);
    assert_true(clean >= negatives * 95 / 100);
    assert_true(overlap >= wanted * 90 / 100);
}

/* ---- addresses ---- */

static void append(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(dst);
    snprintf(dst + n, cap - n, "%s%s", n ? " " : "", s);
}

static void strip(char *s) /* trailing punctuation of a token: "Evanston," */
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ',' || s[n - 1] == '.'))
        s[--n] = '\0';
}

static const char *const state_names[][2] = {
    {"AL", "alabama"},        {"AK", "alaska"},        {"AZ", "arizona"},
    {"AR", "arkansas"},       {"CA", "california"},    {"CO", "colorado"},
    {"CT", "connecticut"},    {"DE", "delaware"},      {"FL", "florida"},
    {"GA", "georgia"},        {"HI", "hawaii"},        {"ID", "idaho"},
    {"IL", "illinois"},       {"IN", "indiana"},       {"IA", "iowa"},
    {"KS", "kansas"},         {"KY", "kentucky"},      {"LA", "louisiana"},
    {"ME", "maine"},          {"MD", "maryland"},      {"MA", "massachusetts"},
    {"MI", "michigan"},       {"MN", "minnesota"},     {"MS", "mississippi"},
    {"MO", "missouri"},       {"MT", "montana"},       {"NE", "nebraska"},
    {"NV", "nevada"},         {"NH", "new hampshire"}, {"NJ", "new jersey"},
    {"NM", "new mexico"},     {"NY", "new york"},      {"NC", "north carolina"},
    {"ND", "north dakota"},   {"OH", "ohio"},          {"OK", "oklahoma"},
    {"OR", "oregon"},         {"PA", "pennsylvania"},  {"RI", "rhode island"},
    {"SC", "south carolina"}, {"SD", "south dakota"},  {"TN", "tennessee"},
    {"TX", "texas"},          {"UT", "utah"},          {"VT", "vermont"},
    {"VA", "virginia"},       {"WA", "washington"},    {"WV", "west virginia"},
    {"WI", "wisconsin"},      {"WY", "wyoming"},       {"DC", "district of columbia"},
};

static bool same_state(const char *a, const char *b)
{
    if (strcasecmp(a, b) == 0)
        return true;
    for (size_t i = 0; i < sizeof state_names / sizeof *state_names; i++) {
        bool ma = !strcasecmp(a, state_names[i][0]) || !strcasecmp(a, state_names[i][1]);
        bool mb = !strcasecmp(b, state_names[i][0]) || !strcasecmp(b, state_names[i][1]);
        if (ma && mb)
            return true;
    }
    return false;
}

static void address_cases(void **state)
{
    (void)state;
    xmlDocPtr doc = xmlReadFile(ADDRESS_CASES, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    int with_zip = 0, zip_ok = 0, with_state = 0, state_ok = 0, with_city = 0, city_ok = 0;
    for (xmlNodePtr a = xmlDocGetRootElement(doc)->children; a; a = a->next) {
        if (a->type != XML_ELEMENT_NODE)
            continue;
        char whole[1024] = "", zip[256] = "", st[64] = "", city[256] = "";
        for (xmlNodePtr c = a->children; c; c = c->next) {
            xmlChar *t = xmlNodeGetContent(c);
            if (!t)
                continue;
            char tok[256];
            snprintf(tok, sizeof tok, "%s", (const char *)t);
            xmlFree(t);
            if (c->type == XML_TEXT_NODE) {
                continue; /* the spaces between tags */
            }
            append(whole, sizeof whole, tok);
            strip(tok);
            const char *tag = (const char *)c->name;
            if (!strcmp(tag, "ZipCode"))
                snprintf(zip, sizeof zip, "%s", tok);
            else if (!strcmp(tag, "StateName"))
                append(st, sizeof st, tok);
            else if (!strcmp(tag, "PlaceName"))
                append(city, sizeof city, tok);
        }
        /* the strings a page shows: a state and a ZIP code end them */
        if (!*zip || !*st)
            continue;
        struct extract_address got;
        bool parsed = extract_address_parse(whole, &got) == 0;
        with_zip++;
        with_state++;
        if (parsed && got.postal_code && strncasecmp(got.postal_code, zip, 5) == 0)
            zip_ok++;
        else
            print_message("zip: '%s' -> %s\n", whole,
                          parsed && got.postal_code ? got.postal_code : "-");
        if (parsed && got.region && same_state(got.region, st))
            state_ok++;
        else
            print_message("state: '%s' -> %s\n", whole, parsed && got.region ? got.region : "-");
        if (*city) {
            with_city++;
            if (parsed && got.locality && strcasecmp(got.locality, city) == 0)
                city_ok++;
            else
                print_message("city: '%s' -> %s\n", whole,
                              parsed && got.locality ? got.locality : "-");
        }
        if (parsed)
            extract_address_release(&got);
    }
    xmlFreeDoc(doc);
    print_message("address cases: postal code %d of %d, state %d of %d, city %d of %d\n", zip_ok,
                  with_zip, state_ok, with_state, city_ok, with_city);
    assert_true(with_zip > 800);
    assert_true(zip_ok >= with_zip * 97 / 100);
    assert_true(state_ok >= with_state * 96 / 100);
    assert_true(city_ok >= with_city * 83 / 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phone_cases),
        cmocka_unit_test(address_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
