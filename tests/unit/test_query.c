/* test_query.c: keyword query generation for the example contexts against
 * golden files (tests/golden/queries/), determinism, limits and the
 * strategies each context must produce. PROSPECT_UPDATE_GOLDEN=1 rewrites. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "query/query.h"

static void load(const char *example, struct request *r)
{
    char path[512];
    snprintf(path, sizeof path, PROSPECT_SOURCE_DIR "/examples/%s.json", example);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char body[16384];
    size_t n = fread(body, 1, sizeof body, f);
    fclose(f);
    struct request_limits lim;
    request_limits_default(&lim);
    struct problems p = {0};
    assert_int_equal(request_parse(body, n, &lim, 0, r, &p), 0);
}

static void render(const struct query_list *q, struct buf *out)
{
    for (size_t i = 0; i < q->n; i++)
        assert_int_equal(
            buf_printf(out, "%s\t%s\n", query_strategy_name(q->v[i].strategy), q->v[i].text), 0);
}

static void golden(const char *example)
{
    struct request r;
    load(example, &r);
    struct query_list q;
    query_generate(&r, 0, true, &q);
    struct buf got;
    buf_init(&got, 0);
    render(&q, &got);
    char path[512];
    snprintf(path, sizeof path, PROSPECT_SOURCE_DIR "/tests/golden/queries/%s.txt", example);
    if (getenv("PROSPECT_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        fputs(buf_cstr(&got), f);
        fclose(f);
    } else {
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char want[8192];
        size_t n = fread(want, 1, sizeof want - 1, f);
        want[n] = '\0';
        fclose(f);
        assert_string_equal(buf_cstr(&got), want);
    }
    /* Every strategy the context allows is present; nothing repeats. */
    bool seen[QUERY_NSTRATEGIES] = {false};
    for (size_t i = 0; i < q.n; i++) {
        seen[q.v[i].strategy] = true;
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(q.v[i].text, q.v[k].text);
    }
    assert_true(seen[QUERY_INDUSTRY] && seen[QUERY_PAIN] && seen[QUERY_SIGNAL]);
    /* Kinds of customer are searched in the context's location, where the
     * provider can use one; what the user sells heads no query. */
    for (size_t i = 0; i < q.n; i++)
        if ((q.v[i].strategy == QUERY_INDUSTRY || q.v[i].strategy == QUERY_CUSTOMER) &&
            *r.ctx.location)
            assert_non_null(strstr(q.v[i].text, r.ctx.location));
    assert_int_equal(seen[QUERY_USER], *r.user_search_query != '\0');
    if (*r.user_search_query)
        assert_string_equal(q.v[0].text, r.user_search_query);
    /* Deterministic. */
    struct query_list again;
    query_generate(&r, 0, true, &again);
    struct buf got2;
    buf_init(&got2, 0);
    render(&again, &got2);
    assert_string_equal(buf_cstr(&got), buf_cstr(&got2));
    query_list_release(&again);
    buf_release(&got2);
    buf_release(&got);
    query_list_release(&q);
    request_release(&r);
}

static void seed_example(void **state)
{
    (void)state;
    golden("seed-request");
}

static void clinic_example(void **state)
{
    (void)state;
    golden("clinic-security");
}

static void fleet_example(void **state)
{
    (void)state;
    golden("fleet-eu");
}

static void key_terms_are_weighted_and_clean(void **state)
{
    (void)state;
    struct request r;
    load("seed-request", &r);
    struct query_terms t;
    query_key_terms(&r.ctx, 1, &t);
    assert_true(t.n > 0);
    assert_string_equal(t.v[0].word, "crm"); /* in both descriptions */
    for (size_t i = 0; i < t.n; i++) {
        assert_string_not_equal(t.v[i].word, "powered"); /* filler */
        assert_string_not_equal(t.v[i].word, "with");    /* stop word */
        if (i)
            assert_true(t.v[i - 1].weight >= t.v[i].weight);
    }
    query_terms_release(&t);
    request_release(&r);
}

/* "Plumbers, car washes, florists and hair salons" is four kinds, each a
 * query of its own with its name whole; without a place for the local
 * corpus, in the location for the web. */
static void one_query_per_kind(void **state)
{
    (void)state;
    struct request_limits lim;
    request_limits_default(&lim);
    struct problems p = {0};
    struct request r;
    const char *body =
        "{\"business_context\":{\"business_description\":\"Missed-call text-back "
        "software\",\"ideal_customer\":\"Plumbers, car washes, florists and hair "
        "salons\",\"industry_focus\":[\"Home services\"],\"location\":\"Springfield, "
        "IL\",\"pain_points\":[\"Missed calls\"]}}";
    assert_int_equal(request_parse(body, strlen(body), &lim, 0, &r, &p), 0);
    static const char *const want[] = {"Plumbers", "car washes", "florists", "hair salons",
                                       "Home services"};
    for (int place = 0; place < 2; place++) {
        struct query_list q;
        query_generate(&r, 0, place, &q);
        assert_true(q.n >= 6);
        for (size_t i = 0; i < 5; i++) {
            char expect[128];
            snprintf(expect, sizeof expect, "%s%s", want[i], place ? " in Springfield, IL" : "");
            assert_string_equal(q.v[i].text, expect);
            assert_int_equal(q.v[i].strategy, i < 4 ? QUERY_CUSTOMER : QUERY_INDUSTRY);
        }
        for (size_t i = 0; i < q.n; i++)
            assert_null(strstr(q.v[i].text, "text-back")); /* the product heads nothing */
        assert_string_equal(q.v[5].text, "Plumbers Missed calls");
        query_list_release(&q);
    }
    request_release(&r);
}

static void limits_and_sparse_contexts(void **state)
{
    (void)state;
    struct request_limits lim;
    request_limits_default(&lim);
    struct problems p = {0};
    struct request r;
    const char *only_desc =
        "{\"business_context\":{\"business_description\":\"Payroll software for "
        "restaurants and cafes\"}}";
    assert_int_equal(request_parse(only_desc, strlen(only_desc), &lim, 0, &r, &p), 0);
    struct query_list q;
    query_generate(&r, 3, true, &q);
    /* no ideal customer: the kinds the description is for */
    assert_int_equal(q.n, 2);
    assert_string_equal(q.v[0].text, "restaurants");
    assert_string_equal(q.v[1].text, "cafes");
    query_list_release(&q);
    request_release(&r);

    struct request seed;
    load("seed-request", &seed);
    query_generate(&seed, 3, true, &q);
    assert_int_equal(q.n, 3);
    json_t *j = query_list_to_json(&q);
    assert_int_equal(json_array_size(j), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "strategy")),
                        "user");
    json_decref(j);
    query_list_release(&q);
    request_release(&seed);
}

static void strategy_names_round_trip(void **state)
{
    (void)state;
    for (int s = 0; s < QUERY_NSTRATEGIES; s++)
        assert_int_equal(query_strategy_of(query_strategy_name((enum query_strategy)s), QUERY_PAIN),
                         s);
    assert_int_equal(query_strategy_of("sideways", QUERY_SIGNAL), QUERY_SIGNAL);
    assert_int_equal(query_strategy_of(NULL, QUERY_USER), QUERY_USER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_example),
        cmocka_unit_test(clinic_example),
        cmocka_unit_test(fleet_example),
        cmocka_unit_test(key_terms_are_weighted_and_clean),
        cmocka_unit_test(one_query_per_kind),
        cmocka_unit_test(limits_and_sparse_contexts),
        cmocka_unit_test(strategy_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
