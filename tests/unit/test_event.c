/* test_event.c: each event constructor against its golden JSON in
 * tests/golden/events/, the seed's required fields, and SSE framing.
 * PROSPECT_UPDATE_GOLDEN=1 rewrites the golden files (review the diff). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "model/event.h"

#define GOLDEN PROSPECT_SOURCE_DIR "/tests/golden/events/"

static const struct event_head H = {"job_456", "user_123", 1705314600000};

static void check_golden(const char *name, const char *actual)
{
    char path[512];
    snprintf(path, sizeof path, GOLDEN "%s", name);
    if (getenv("PROSPECT_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(actual, f);
        fclose(f);
        return;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("missing golden file %s", path);
    char want[16384];
    size_t n = fread(want, 1, sizeof want - 1, f);
    fclose(f);
    want[n] = '\0';
    assert_string_equal(actual, want);
}

static void check_event(const char *name, json_t *ev, const char *const *required)
{
    for (const char *const *k = required; *k; k++)
        if (!json_object_get(ev, *k))
            fail_msg("%s lacks %s", name, *k);
    static const char *const common[] = {"event_type", "timestamp", "job_id", "user_id", NULL};
    for (const char *const *k = common; *k; k++)
        if (!json_is_string(json_object_get(ev, *k)))
            fail_msg("%s lacks %s", name, *k);
    char *s = event_dump(ev);
    char *line = malloc(strlen(s) + 2);
    memcpy(line, s, strlen(s));
    memcpy(line + strlen(s), "\n", 2);
    check_golden(name, line);
    free(line);
    free(s);
    json_decref(ev);
}

static void pipeline_start(void **state)
{
    (void)state;
    static const char *const req[] = {"initial_query", "max_leads_to_generate", NULL};
    check_event("pipeline_start.json",
                event_pipeline_start(&H, "SMB tech companies looking for CRM automation", 5), req);
}

static void status_update(void **state)
{
    (void)state;
    static const char *const req[] = {"status_message", NULL};
    check_event("status_update.json",
                event_status_update(&H, "Searching with 4 queries", "search", 0.25), req);
    check_event("status_update_minimal.json", event_status_update(&H, "Working", NULL, -1), req);
}

static void lead_generated(void **state)
{
    (void)state;
    static const char *const req[] = {"lead_id", "lead_data", "source_url", "agent_name", NULL};
    const char *emails[] = {"info@techstart.example"};
    const char *phones[] = {"+15550123"};
    struct event_lead lead = {
        .company_name = "TechStart Solutions",
        .website = "https://techstart.example",
        .description = "Growing software company seeking CRM automation",
        .industry = "Technology",
        .company_size = "50-100 employees",
        .emails = emails,
        .nemails = 1,
        .phones = phones,
        .nphones = 1,
        .qualification_summary = "High-potential lead with clear CRM needs",
    };
    json_t *extra =
        json_pack("{s:{s:s}}", "provenance", "contact_emails", "https://techstart.example/contact");
    json_t *ev = event_lead_generated(&H, "lead_789", &lead, "https://techstart.example",
                                      EVENT_AGENT_HARVESTER, extra);
    json_t *ae = json_object_get(json_object_get(ev, "lead_data"), "adk1_enrichment");
    static const char *const fields[] = {"industry", "company_size", "contact_emails",
                                         "contact_phones", "qualification_summary"};
    for (size_t i = 0; i < 5; i++)
        assert_non_null(json_object_get(ae, fields[i]));
    check_event("lead_generated.json", ev, req);
}

/* The lead's people go into adk1_enrichment, after the seed's fields,
 * which stay as they were. */
static void lead_generated_people(void **state)
{
    (void)state;
    const char *emails[] = {"jane.roe@techstart.example"};
    struct event_lead lead = {.company_name = "TechStart Solutions",
                              .emails = emails,
                              .nemails = 1,
                              .qualification_summary = "Fits"};
    json_t *plain = event_lead_generated(&H, "lead_1", &lead, "https://techstart.example",
                                         EVENT_AGENT_HARVESTER, NULL);
    lead.people = json_pack("[{s:s, s:s, s:s, s:s}]", "name", "Jane Roe", "title", "CEO", "email",
                            "jane.roe@techstart.example", "email_status", "valid");
    json_t *ev = event_lead_generated(&H, "lead_1", &lead, "https://techstart.example",
                                      EVENT_AGENT_HARVESTER, NULL);
    json_t *ae = json_object_get(json_object_get(ev, "lead_data"), "adk1_enrichment");
    static const char *const order[] = {"industry",       "company_size",          "contact_emails",
                                        "contact_phones", "qualification_summary", "people"};
    size_t k = 0;
    const char *key;
    json_t *v = NULL;
    json_object_foreach (ae, key, v)
        assert_string_equal(key, order[k++]);
    assert_int_equal(k, 6);
    json_t *jane = json_array_get(json_object_get(ae, "people"), 0);
    assert_string_equal(json_string_value(json_object_get(jane, "title")), "CEO");
    json_object_del(ae, "people"); /* without it, the event is the seed's */
    char *a = event_dump(plain), *b = event_dump(ev);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(lead.people);
    json_decref(plain);
    json_decref(ev);
}

static void enrichment(void **state)
{
    (void)state;
    static const char *const req_start[] = {"lead_id", NULL};
    check_event("lead_enrichment_start.json", event_lead_enrichment_start(&H, "lead_789"),
                req_start);
    static const char *const req_end[] = {"lead_id", "success", "final_package", NULL};
    const char *insights[] = {"High alignment with CRM automation needs",
                              "Growing team indicates scaling challenges"};
    struct event_scores s = {.prospect = 0.85,
                             .buying_intent = 0.7,
                             .pain_alignment = 1.7, /* clamped to 1 */
                             .urgency = -0.2,       /* clamped to 0 */
                             .insights = insights,
                             .ninsights = 2};
    json_t *extra_intel = json_pack("{s:f, s:s}", "icp_fit_score", 0.5, "prospect_score",
                                    "must not replace the seed's field");
    json_t *ev = event_lead_enrichment_end(
        &H, "lead_789", true, "TechStart Solutions", &s,
        json_pack("{s:s}", "website", "https://techstart.example"), extra_intel);
    json_t *ai = json_object_get(
        json_object_get(json_object_get(ev, "final_package"), "analyzed_lead"), "ai_intelligence");
    assert_true(json_is_real(json_object_get(ai, "prospect_score")));
    assert_true(json_real_value(json_object_get(ai, "pain_alignment_score")) == 1.0);
    check_event("lead_enrichment_end.json", ev, req_end);
}

static void pipeline_end_and_error(void **state)
{
    (void)state;
    static const char *const req_end[] = {"success",      "leads_generated", "leads_enriched",
                                          "leads_failed", "duration_ms",     NULL};
    struct event_counts c = {5, 4, 1, 8123};
    check_event("pipeline_end.json",
                event_pipeline_end(&H, true, &c, json_pack("{s:i}", "queries", 4)), req_end);
    static const char *const req_err[] = {"error_message", "error_type", "stage", NULL};
    check_event("pipeline_error.json",
                event_pipeline_error(&H, "No search results: check the search provider settings",
                                     "search_failed", "search"),
                req_err);
}

static void type_names_round_trip(void **state)
{
    (void)state;
    for (int t = 0; t < EVENT_NTYPES; t++) {
        enum event_type back;
        assert_int_equal(event_type_parse(event_type_name((enum event_type)t), &back), 0);
        assert_int_equal(back, t);
    }
    enum event_type x;
    assert_int_equal(event_type_parse("lead_created", &x), CORE_EINVAL);
}

static void sse_framing(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(event_sse_frame(&b, 1, "pipeline_start", "{\"a\":1}"), 0);
    assert_int_equal(
        event_sse_frame(&b, 2, "status\nupdate", "line one\nline two\r\nthree\rfour\n"), 0);
    assert_int_equal(event_sse_frame(&b, -1, NULL, ""), 0);
    assert_int_equal(event_sse_comment(&b, "keep-alive\nx"), 0);
    check_golden("stream.sse", buf_cstr(&b));
    buf_release(&b);

    /* A frame that does not fit leaves the buffer as it was. */
    buf_init(&b, 16);
    assert_int_equal(buf_puts(&b, "x"), 0);
    assert_int_equal(event_sse_frame(&b, 3, "lead_generated", "{\"long\":\"payload\"}"),
                     CORE_ETOOBIG);
    assert_string_equal(buf_cstr(&b), "x");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pipeline_start),
        cmocka_unit_test(status_update),
        cmocka_unit_test(lead_generated),
        cmocka_unit_test(lead_generated_people),
        cmocka_unit_test(enrichment),
        cmocka_unit_test(pipeline_end_and_error),
        cmocka_unit_test(type_names_round_trip),
        cmocka_unit_test(sse_framing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
