/* test_upstream.c: the pacing rules of upstream.h (backoff with full
 * jitter, server delays first, Retry-After in both forms), the default
 * judge of answers, and the schema check every LLM answer passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "llm/llm.h"
#include "upstream/upstream.h"

static void backoff_doubles_with_a_cap(void **state)
{
    (void)state;
    /* rnd just below 1: the cap itself. */
    assert_int_equal(upstream_delay_ms(1, 100, 10000, -1, 0.999999), 99);
    assert_int_equal(upstream_delay_ms(2, 100, 10000, -1, 0.999999), 199);
    assert_int_equal(upstream_delay_ms(3, 100, 10000, -1, 0.999999), 399);
    assert_int_equal(upstream_delay_ms(20, 100, 1000, -1, 0.999999), 999);
    assert_int_equal(upstream_delay_ms(3, 100, 10000, -1, 0.0), 0); /* full jitter */
    /* A server-given delay wins, within the cap. */
    assert_int_equal(upstream_delay_ms(1, 100, 10000, 2500, 0.5), 2500);
    assert_int_equal(upstream_delay_ms(1, 100, 10000, 999999, 0.5), 10000);
}

static void retry_after_forms(void **state)
{
    (void)state;
    assert_int_equal(upstream_retry_after_ms(" 3\r\n", 0), 3000);
    assert_int_equal(upstream_retry_after_ms("0", 0), 0);
    assert_int_equal(upstream_retry_after_ms("soon", 0), -1);
    assert_int_equal(upstream_retry_after_ms("3x", 0), -1);
    /* An HTTP date 10 s after now. */
    assert_int_equal(upstream_retry_after_ms("Thu, 01 Jan 2026 00:00:10 GMT", 1767225600), 10000);
    assert_int_equal(upstream_retry_after_ms("Thu, 01 Jan 2026 00:00:10 GMT", 1767225700), 0);
}

static void default_judge(void **state)
{
    (void)state;
    int64_t d = -1;
    assert_int_equal(upstream_classify_http(200, "", &d), UPSTREAM_OK);
    assert_int_equal(upstream_classify_http(429, "", &d), UPSTREAM_RETRY);
    assert_int_equal(upstream_classify_http(503, "", &d), UPSTREAM_RETRY);
    assert_int_equal(upstream_classify_http(408, "", &d), UPSTREAM_RETRY);
    assert_int_equal(upstream_classify_http(401, "", &d), UPSTREAM_FINAL);
    assert_int_equal(upstream_classify_http(404, "", &d), UPSTREAM_FINAL);
}

static void schema_check(void **state)
{
    (void)state;
    json_t *schema = json_loads(
        "{\"type\":\"object\",\"properties\":{\"fit\":{\"type\":\"number\",\"minimum\":0,"
        "\"maximum\":1},\"tags\":{\"type\":\"array\",\"maxItems\":2,\"items\":{\"type\":"
        "\"string\",\"enum\":[\"a\",\"b\"]}},\"note\":{\"type\":[\"string\",\"null\"]}},"
        "\"required\":[\"fit\",\"tags\"],\"additionalProperties\":false}",
        0, NULL);
    assert_non_null(schema);
    char why[256];
    const char *good[] = {"{\"fit\":0.5,\"tags\":[\"a\"]}",
                          "{\"fit\":1,\"tags\":[],\"note\":null}"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_loads(good[i], 0, NULL);
        assert_int_equal(llm_schema_check(schema, v, why, sizeof why), 0);
        json_decref(v);
    }
    const struct {
        const char *json, *why;
    } bad[] = {
        {"{\"tags\":[]}", "$.fit: missing"},
        {"{\"fit\":1.5,\"tags\":[]}", "$.fit: 1.5 is out of range"},
        {"{\"fit\":\"high\",\"tags\":[]}", "$.fit: expected number"},
        {"{\"fit\":0,\"tags\":[\"c\"]}", "$.tags[0]: not one of the allowed values"},
        {"{\"fit\":0,\"tags\":[\"a\",\"b\",\"a\"]}", "$.tags: 3 items is out of range"},
        {"{\"fit\":0,\"tags\":[],\"extra\":1}", "$.extra: not allowed"},
        {"{\"fit\":0,\"tags\":[],\"note\":3}", "$.note: wrong type"},
        {"[1]", "$: expected object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *v = json_loads(bad[i].json, JSON_DECODE_ANY, NULL);
        assert_int_equal(llm_schema_check(schema, v, why, sizeof why), -1);
        assert_string_equal(why, bad[i].why);
        json_decref(v);
    }
    json_decref(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backoff_doubles_with_a_cap),
        cmocka_unit_test(retry_after_forms),
        cmocka_unit_test(default_judge),
        cmocka_unit_test(schema_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
