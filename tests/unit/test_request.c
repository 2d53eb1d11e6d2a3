/* test_request.c: the request parser's accepted forms, defaults and
 * normalisation. (The rejected forms are data-driven cases in
 * tests/cases/request/, run through the real binary.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "model/request.h"

static int parse(const char *body, unsigned flags, struct request *r, struct problems *p)
{
    struct request_limits lim;
    request_limits_default(&lim);
    return request_parse(body, strlen(body), &lim, flags, r, p);
}

static void seed_example_parses(void **state)
{
    (void)state;
    FILE *f = fopen(PROSPECT_SOURCE_DIR "/examples/seed-request.json", "rb");
    assert_non_null(f);
    char body[8192];
    size_t n = fread(body, 1, sizeof body - 1, f);
    fclose(f);
    body[n] = '\0';
    struct request r;
    struct problems p = {0};
    assert_int_equal(parse(body, 0, &r, &p), 0);
    assert_int_equal(p.n, 0);
    assert_string_equal(r.job_id, "job_456");
    assert_false(r.job_id_generated);
    assert_string_equal(r.user_id, "user_123");
    assert_string_equal(r.ctx.business_description, "AI-powered CRM solutions for SMBs");
    assert_int_equal(r.ctx.max_leads_to_generate, 5);
    assert_int_equal(r.ctx.industry_focus.n, 3);
    assert_string_equal(r.ctx.pain_points.v[1], "Poor lead tracking");
    assert_string_equal(r.ctx.competitors.v[0], "Salesforce");
    assert_string_equal(r.user_search_query, "companies looking for CRM automation");

    /* The normalised form round-trips. */
    json_t *j = request_to_json(&r);
    char *s = json_dumps(j, JSON_COMPACT);
    struct request r2;
    assert_int_equal(parse(s, 0, &r2, &p), 0);
    assert_string_equal(r2.ctx.location, "United States, Canada");
    assert_int_equal(r2.ctx.max_leads_to_generate, 5);
    request_release(&r2);
    free(s);
    json_decref(j);
    request_release(&r);
}

static void defaults_and_generated_ids(void **state)
{
    (void)state;
    struct request r;
    struct problems p = {0};
    assert_int_equal(parse("{\"user_search_query\":\"  dentists in Ohio  \"}", 0, &r, &p), 0);
    assert_int_equal(r.ctx.max_leads_to_generate, REQUEST_DEFAULT_MAX_LEADS);
    assert_string_equal(r.user_search_query, "dentists in Ohio"); /* trimmed */
    assert_string_equal(r.user_id, "anonymous");
    assert_true(r.job_id_generated);
    assert_int_equal(strlen(r.job_id), 4 + 24);
    assert_true(strncmp(r.job_id, "job_", 4) == 0);
    assert_string_equal(r.ctx.location, "");
    assert_int_equal(r.ctx.pain_points.n, 0);
    char first[64];
    snprintf(first, sizeof first, "%s", r.job_id);
    request_release(&r);
    assert_int_equal(parse("{\"user_search_query\":\"x\"}", 0, &r, &p), 0);
    assert_string_not_equal(first, r.job_id);
    request_release(&r);
}

static void nulls_and_blank_items(void **state)
{
    (void)state;
    struct request r;
    struct problems p = {0};
    const char *body = "{\"business_context\":{\"ideal_customer\":\"clinics\",\"location\":null,"
                       "\"pain_points\":[\"  no-shows \",\"\",\"  \"],\"competitors\":null},"
                       "\"job_id\":null,\"unknown\":{\"deep\":[1,2]}}";
    assert_int_equal(parse(body, 0, &r, &p), 0);
    assert_int_equal(r.ctx.pain_points.n, 1);
    assert_string_equal(r.ctx.pain_points.v[0], "no-shows");
    assert_int_equal(r.ctx.competitors.n, 0);
    assert_true(r.job_id_generated);
    request_release(&r);
}

static void bare_context_needs_the_flag(void **state)
{
    (void)state;
    struct request r;
    struct problems p = {0};
    const char *bare =
        "{\"business_description\":\"payroll software\",\"max_leads_to_generate\":3}";
    assert_int_equal(parse(bare, REQUEST_ALLOW_BARE, &r, &p), 0);
    assert_string_equal(r.ctx.business_description, "payroll software");
    assert_int_equal(r.ctx.max_leads_to_generate, 3);
    request_release(&r);
    /* Without the flag a bare context is a request with no business context. */
    assert_int_equal(parse(bare, 0, &r, &p), CORE_EINVAL);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.v[0].path, "business_context");
    problems_release(&p);
}

static void every_problem_is_reported(void **state)
{
    (void)state;
    struct request r;
    struct problems p = {0};
    const char *body =
        "{\"business_context\":{\"business_description\":7,\"pain_points\":[1,\"x\",2],"
        "\"max_leads_to_generate\":500},\"job_id\":\"a b\"}";
    assert_int_equal(parse(body, 0, &r, &p), CORE_EINVAL);
    assert_int_equal(p.n, 5);
    assert_string_equal(p.v[0].path, "business_context.business_description");
    assert_string_equal(p.v[1].path, "business_context.pain_points[0]");
    assert_string_equal(p.v[2].path, "business_context.pain_points[2]");
    assert_string_equal(p.v[3].path, "business_context.max_leads_to_generate");
    assert_string_equal(p.v[3].message, "must be an integer from 1 to 100");
    assert_string_equal(p.v[4].path, "job_id");
    json_t *j = problems_to_json(&p);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid_request");
    assert_int_equal(json_array_size(json_object_get(j, "problems")), 5);
    json_decref(j);
    problems_release(&p);
}

static void limits_are_configurable(void **state)
{
    (void)state;
    struct request_limits lim;
    request_limits_default(&lim);
    lim.max_leads = 1000;
    lim.max_string_chars = 5;
    struct request r;
    struct problems p = {0};
    const char *ok = "{\"business_context\":{\"business_description\":\"caf\xc3\xa9s\","
                     "\"max_leads_to_generate\":700}}";
    /* "cafés" is 5 characters but 6 bytes: the limit counts characters. */
    assert_int_equal(request_parse(ok, strlen(ok), &lim, 0, &r, &p), 0);
    assert_int_equal(r.ctx.max_leads_to_generate, 700);
    request_release(&r);
}

/* A company target stands for one site's URL; anything else says why. */
static void company_targets(void **state)
{
    (void)state;
    static const char *const good[][2] = {
        {"acme.com", "https://acme.com/"},
        {"Acme.COM/about", "https://acme.com/about"},
        {"shop.acme.co.uk:8080", "http://shop.acme.co.uk:8080/"},
        {"acme.com:443", "https://acme.com/"},
        {"http://acme.com/x?y=1", "http://acme.com/x?y=1"},
        {"HTTPS://www.acme.com", "https://www.acme.com/"},
    };
    char why[160];
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char *url = request_target_url(good[i][0], why, sizeof why);
        assert_non_null(url);
        assert_string_equal(url, good[i][1]);
        free(url);
    }
    static const char *const bad[][2] = {
        {"acme", "no domain name"},     {"jane@acme.com", "e-mail address"},
        {"ftp://acme.com", "ftp URL"},  {"acme.com:0", "bad port"},
        {"acme.com:99999", "bad port"}, {"acme .com", "has a space"},
        {".com", "no domain name"},     {"", "empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_null(request_target_url(bad[i][0], why, sizeof why));
        assert_non_null(strstr(why, bad[i][1]));
    }
}

/* Companies make a request of their own: no context needed, each bad one
 * named by its index, and they survive the stored form. */
static void companies_parse_and_round_trip(void **state)
{
    (void)state;
    struct request r;
    struct problems p = {0};
    assert_int_equal(parse("{\"companies\":[\"acme.com\",\"b.example:81\"]}", 0, &r, &p), 0);
    assert_int_equal(r.companies.n, 2);
    assert_string_equal(r.companies.v[1], "b.example:81");
    json_t *j = request_to_json(&r);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    struct request again;
    assert_int_equal(parse(s, 0, &again, &p), 0);
    assert_int_equal(again.companies.n, 2);
    assert_string_equal(again.companies.v[0], "acme.com");
    free(s);
    request_release(&again);
    request_release(&r);
    assert_int_equal(parse("{\"companies\":[\"acme.com\",\"nope\",7]}", 0, &r, &p), CORE_EINVAL);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.v[0].path, "companies[1]");
    assert_string_equal(p.v[1].path, "companies[2]");
    problems_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_example_parses),
        cmocka_unit_test(defaults_and_generated_ids),
        cmocka_unit_test(nulls_and_blank_items),
        cmocka_unit_test(bare_context_needs_the_flag),
        cmocka_unit_test(every_problem_is_reported),
        cmocka_unit_test(limits_are_configurable),
        cmocka_unit_test(company_targets),
        cmocka_unit_test(companies_parse_and_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
