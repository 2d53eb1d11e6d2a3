/* test_industry.c: NAICS codes from the official index: users' phrases
 * (kinds of customer, broad terms, lists), pages' words, the code tree's
 * distances, titles, and the sortedness the lookups rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "industry/industry.h"
#include "industry/industry_int.h"

/* Whether phrase's codes hold one under want. */
static bool names(const char *phrase, const char *want)
{
    struct industry_code c[INDUSTRY_MAX_CODES];
    size_t n = industry_codes_of(phrase, c, INDUSTRY_MAX_CODES);
    for (size_t i = 0; i < n; i++)
        if (industry_similarity(c[i].code, want) == 1.0 ||
            industry_similarity(want, c[i].code) == 1.0)
            return true;
    if (n == 0 || getenv("VERBOSE"))
        print_message("%s: %zu codes, first %s\n", phrase, n, n ? c[0].code : "-");
    return false;
}

static void kinds_of_customer(void **state)
{
    (void)state;
    assert_true(names("plumbers", "238220"));
    assert_true(names("car washes", "811192"));
    assert_true(names("florists", "453110"));
    assert_true(names("hair salons", "812112"));
    assert_true(names("dentists", "621210"));
    assert_true(names("pest control companies", "561710"));
    assert_true(names("electricians", "238210"));
    assert_true(names("roofers", "238160")); /* an agent noun the index lacks: "roofing" */
    assert_true(names("veterinarians", "541940"));
    assert_true(names("landscapers", "561730"));
    assert_true(names("accountants", "5412"));
    assert_true(names("restaurants", "7225"));
    /* broad terms and sectors */
    assert_true(names("SaaS", "5112"));
    assert_true(names("IT consulting", "5415")); /* "IT" in capitals is no pronoun */
    assert_true(names("Home services", "238"));
    assert_true(names("Healthcare", "62"));
    assert_true(names("Retail", "44"));
    assert_true(names("Manufacturing", "31"));
    assert_true(names("law firms", "5411"));
    assert_true(names("dental practices", "6212"));
    assert_true(names("marketing agencies", "5418"));
    /* words joined by hyphens, as users write them */
    assert_true(names("E-commerce", "4541"));
    assert_true(names("Non-profit organizations", "813"));
    assert_true(names("owner-operated plumbers", "238220"));
    /* nothing made up */
    struct industry_code c[INDUSTRY_MAX_CODES];
    assert_int_equal(industry_codes_of("zqxj vbnm", c, INDUSTRY_MAX_CODES), 0);
    assert_int_equal(industry_codes_of("", c, INDUSTRY_MAX_CODES), 0);
}

static void lists_split_into_kinds(void **state)
{
    (void)state;
    struct industry_kind k[8];
    size_t n = industry_kinds("Plumbers, car washes, florists and hair salons", k, 8);
    assert_int_equal(n, 4);
    assert_string_equal(k[0].name, "Plumbers");
    assert_string_equal(k[1].name, "car washes");
    assert_string_equal(k[2].name, "florists");
    assert_string_equal(k[3].name, "hair salons");
    for (size_t i = 0; i < n; i++)
        assert_true(k[i].ncodes > 0);
    /* a qualifier is not part of the kind; one trade's "and" is not a list */
    n = industry_kinds("Dental practices in Ohio", k, 8);
    assert_int_equal(n, 1);
    assert_string_equal(k[0].name, "Dental practices");
    n = industry_kinds("heating and air conditioning companies", k, 8);
    assert_int_equal(n, 1);
    /* a kind the index does not know is still a kind, without codes */
    n = industry_kinds("license plate makers", k, 8);
    assert_int_equal(n, 1);
    /* the fallbacks of a context without an ideal customer */
    bool focus[8];
    const char *fb[] = {"", "Payroll software for restaurants and cafes"};
    n = industry_customer_kinds(NULL, 0, "", fb, 2, k, 8, focus);
    assert_int_equal(n, 2);
    assert_string_equal(k[0].name, "restaurants");
    /* a join in the qualifier: a second kind only when it names a trade */
    n = industry_kinds("dentists in Ohio and plumbers", k, 8);
    assert_int_equal(n, 2);
    assert_string_equal(k[0].name, "dentists");
    assert_string_equal(k[1].name, "plumbers");
    n = industry_kinds("Dental practices in Ohio and Indiana", k, 8);
    assert_int_equal(n, 1);
    assert_string_equal(k[0].name, "Dental practices");
    /* a kind named in the focus and again by the ideal customer is one */
    const char *dentists[] = {"Dentists"};
    n = industry_customer_kinds(dentists, 1, "dentists in Ohio, orthodontists", NULL, 0, k, 8,
                                focus);
    assert_int_equal(n, 2);
    assert_true(focus[0] && !focus[1]);
    assert_string_equal(k[1].name, "orthodontists");
}

static void pages_read_their_trade(void **state)
{
    (void)state;
    struct industry_code c[INDUSTRY_MAX_CODES];
    struct industry_doc plumber = {
        .name = "Aztec Plumbing & Drains",
        .title = "Emergency Plumber in Fort Myers | Aztec Plumbing & Drains",
        .description = "Licensed plumbers for drain cleaning, water heater installation and "
                       "repiping in Fort Myers.",
        .headings = "Plumbing services\nDrain cleaning\nWater heaters",
        .text = "Our licensed plumbers fix leaks, clear drains and install water heaters.",
    };
    size_t n = industry_classify(&plumber, c, INDUSTRY_MAX_CODES);
    assert_true(n > 0);
    assert_string_equal(c[0].code, "238220");
    assert_true(c[0].score >= 0.6);
    /* a schema.org trade type settles it */
    const char *types[] = {"Organization", "Florist"};
    struct industry_doc florist = {.types = types, .ntypes = 2, .title = "Welcome"};
    n = industry_classify(&florist, c, INDUSTRY_MAX_CODES);
    assert_true(n > 0);
    assert_string_equal(c[0].code, "453110");
    /* a page that says nothing of a trade gives no code */
    struct industry_doc empty = {.title = "Home", .text = "Welcome. Read more. Contact us."};
    assert_int_equal(industry_classify(&empty, c, INDUSTRY_MAX_CODES), 0);
}

/* The words real sites use that the index reads another way. */
static void pages_read_as_real_sites_write(void **state)
{
    (void)state;
    struct industry_code c[INDUSTRY_MAX_CODES];
    /* "IT" in capitals is information technology; the pronoun is not */
    struct industry_doc it = {
        .title = "IT Consulting Services | Acme",
        .headings = "IT consulting\nManaged IT services",
        .text = "Our IT consultants plan, build and run your systems.",
    };
    size_t n = industry_classify(&it, c, INDUSTRY_MAX_CODES);
    assert_true(n > 0);
    assert_memory_equal(c[0].code, "5415", 4);
    struct industry_doc career = {
        .title = "Pros and Cons of Consulting: Is It a Good Fit for You?",
        .text = "Consulting is demanding. Is it for you? It pays well, but it is hard.",
    };
    n = industry_classify(&career, c, INDUSTRY_MAX_CODES);
    for (size_t i = 0; i < n; i++)
        assert_memory_not_equal(c[i].code, "541512", 6);
    assert_true(names("IT consulting firms", "5415"));
    /* an article on a topic says little of its publisher's trade: the
     * company's name says more ("Pediatric") */
    struct industry_doc blog = {
        .name = "Frontier Pediatric Partners",
        .title = "Tips for Sleep Training Your Toddler",
        .text = "Sleep training helps toddlers settle. Keep a bedtime routine.",
        .article = true,
    };
    n = industry_classify(&blog, c, INDUSTRY_MAX_CODES);
    assert_true(n > 0);
    assert_string_equal(c[0].code, "621111");
    /* the name settles a tie, and what it settles against is no close
     * second: a school of electrical work is a school */
    struct industry_doc school = {
        .name = "Capital Electric Education",
        .title = "Fundamentals of Electrical Work - Capital Electric Education",
        .headings = "Electrical work courses\nElectrician apprenticeship training\n"
                    "Continuing education for electricians",
        .text = "Our electrical work course prepares apprentices for the electrician "
                "apprenticeship training exam, with continuing education for licensed "
                "electricians.",
    };
    n = industry_classify(&school, c, INDUSTRY_MAX_CODES);
    assert_true(n > 0);
    assert_memory_equal(c[0].code, "61", 2);
    for (size_t i = 1; i < n; i++)
        if (c[i].code[0] == '2' && c[i].code[1] == '3')
            assert_true(c[i].score < 0.8 * c[0].score);
    /* a publisher's trade is publishing, a store's retail */
    struct industry_doc news = {
        .title = "How plumbers price a water heater install",
        .text = "Plumbers charge by the hour for water heater installation.",
        .article = true,
        .publisher = true,
    };
    n = industry_classify(&news, c, INDUSTRY_MAX_CODES);
    assert_true(n > 0);
    assert_string_equal(c[0].code, "519130");
    struct industry_doc shop = {
        .title = "Mesh Office Chair",
        .text = "Ergonomic mesh office chair with lumbar support.",
        .store = true,
    };
    n = industry_classify(&shop, c, INDUSTRY_MAX_CODES);
    assert_true(n > 0);
    assert_true(c[0].code[0] == '4' && (c[0].code[1] == '4' || c[0].code[1] == '5'));
    /* healthcare is health care: not youth centres and day care */
    struct industry_code h[INDUSTRY_MAX_CODES];
    n = industry_codes_of("Healthcare", h, INDUSTRY_MAX_CODES);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++)
        assert_true(industry_similarity("624110", h[i].code) == 0.0 ||
                    strcmp(h[i].code, "62") != 0);
    assert_true(names("Healthcare", "621210"));
    assert_false(names("Healthcare", "624110"));
}

static void tree_distance_and_titles(void **state)
{
    (void)state;
    assert_true(industry_similarity("238220", "238220") == 1.0);
    assert_true(industry_similarity("238220", "238") == 1.0);
    assert_true(industry_similarity("238220", "23") == 1.0);
    assert_true(industry_similarity("238220", "238210") == 0.75);
    assert_true(industry_similarity("541110", "541211") == 0.3); /* lawyers are no accountants */
    assert_true(industry_similarity("238220", "621210") == 0.0);
    assert_true(industry_similarity("331110", "31") == 1.0); /* 31-33 is one sector */
    assert_string_equal(industry_sector("238220"), "Construction");
    assert_string_equal(industry_title("23"), "Construction");
    assert_true(strlen(industry_title("621210")) > 0);
    assert_string_equal(industry_title("999999"), "");
    /* every schema.org type settles a code the index names, in a table
     * binary search can read */
    for (size_t i = 0; industry__schema_type(i); i++) {
        const char *type = industry__schema_type(i);
        if (i)
            assert_true(strcmp(industry__schema_type(i - 1), type) < 0);
        assert_non_null(industry__schema_code(type));
        if (strlen(industry_title(industry__schema_code(type))) == 0)
            fail_msg("%s: code %s has no title", type, industry__schema_code(type));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_of_customer),
        cmocka_unit_test(lists_split_into_kinds),
        cmocka_unit_test(pages_read_their_trade),
        cmocka_unit_test(pages_read_as_real_sites_write),
        cmocka_unit_test(tree_distance_and_titles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
