/* test_enrich.c: the intended behaviour of the heuristic intelligence: a
 * passage meeting a pain point raises pain alignment, a competitor's script
 * raises buying intent, a company outside the location scores lower on ICP
 * fit, a page without signals scores low with no evidence, and every quote
 * is verbatim. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "enrich/enrich.h"

#define NOW 1795478400000 /* 2026-11-24 */

static struct request req;

static int setup(void **state)
{
    (void)state;
    const char *body =
        "{\"business_context\":{\"business_description\":\"AI-powered CRM for SMBs\","
        "\"product_service_description\":\"Intelligent CRM with automation\","
        "\"ideal_customer\":\"SMBs with 10-100 employees in tech\","
        "\"industry_focus\":[\"Technology\",\"SaaS\"],"
        "\"pain_points\":[\"Manual data entry\",\"Poor lead tracking\"],"
        "\"competitors\":[\"Salesforce\",\"HubSpot\"],\"location\":\"United States, Canada\"}}";
    struct request_limits lim;
    request_limits_default(&lim);
    struct problems p = {0};
    return request_parse(body, strlen(body), &lim, 0, &req, &p);
}

static int teardown(void **state)
{
    (void)state;
    request_release(&req);
    return 0;
}

static void lead_of(struct extract_lead *l, const char *html)
{
    struct extract_doc *d;
    struct err e;
    assert_int_equal(extract_parse(html, strlen(html), NULL, "https://acme.example/", &d, &e), 0);
    struct extract_page p;
    extract_page(d, NULL, &p);
    extract_lead_init(l, "acme.example");
    extract_lead_add(l, &p);
    extract_page_release(&p);
    extract_doc_free(d);
}

static struct enrich_result score(const char *html)
{
    struct enrich_weights w = {0.3, 0.25, 0.15, 0.3, 0.45};
    struct enrich_context *c = enrich_context_new(&req.ctx, &w, NOW);
    struct extract_lead l;
    lead_of(&l, html);
    struct enrich_result r;
    enrich_lead(c, &l, &r);
    /* every quote verbatim in the page text */
    struct enrich_score *all[] = {&r.pain, &r.intent, &r.urgency, &r.icp};
    for (size_t s = 0; s < 4; s++)
        for (size_t i = 0; i < all[s]->nev; i++)
            if (all[s]->ev[i].quote)
                assert_non_null(strstr(l.page_texts.v[0], all[s]->ev[i].quote));
    extract_lead_release(&l);
    enrich_context_free(c);
    return r;
}

#define BASE_HEAD "<html><head><title>Acme Cloud | Software</title>"
#define BASE_BODY                                                                                  \
    "<p>Acme Cloud builds project management software for agencies.</p>"                           \
    "<p>We are a team of 40 people.</p>"                                                           \
    "<address>12 Main Street, Austin, TX 78701, United States</address>"

static void pain_passage_raises_pain_alignment(void **state)
{
    (void)state;
    struct enrich_result without = score(BASE_HEAD "</head><body>" BASE_BODY "</body></html>");
    struct enrich_result with = score(
        BASE_HEAD "</head><body>" BASE_BODY "<p>Our account managers spend hours on manual data "
                  "entry after every call.</p></body></html>");
    assert_true(with.pain.value > without.pain.value);
    assert_true(with.pain.nev == 1);
    assert_string_equal(with.pain.ev[0].signal, "pain:Manual data entry");
    assert_string_equal(with.pain.ev[0].url, "https://acme.example/");
    assert_true(with.prospect > without.prospect);
    enrich_result_release(&without);
    enrich_result_release(&with);
}

static void competitor_script_raises_intent(void **state)
{
    (void)state;
    struct enrich_result without = score(BASE_HEAD "</head><body>" BASE_BODY "</body></html>");
    struct enrich_result with =
        score(BASE_HEAD "<script src=\"https://js.hs-scripts.com/1.js\">"
                        "</script></head><body>" BASE_BODY "</body></html>");
    assert_true(with.intent.value > without.intent.value);
    assert_int_equal(with.intent.nev, 1);
    assert_null(with.intent.ev[0].quote); /* seen in markup, not quoted */
    assert_string_equal(with.intent.ev[0].signal, "competitor_technology:HubSpot");
    enrich_result_release(&without);
    enrich_result_release(&with);
}

static void outside_location_lowers_icp(void **state)
{
    (void)state;
    struct enrich_result inside = score(BASE_HEAD "</head><body>" BASE_BODY "</body></html>");
    struct enrich_result outside = score(
        BASE_HEAD "</head><body><p>Acme Cloud builds project management software for "
                  "agencies.</p><p>We are a team of 40 people.</p>"
                  "<address>Friedrichstraße 12, 10117 Berlin, Germany</address></body></html>");
    assert_true(outside.icp.value < inside.icp.value);
    assert_true(inside.icp.value > 0.9);
    enrich_result_release(&inside);
    enrich_result_release(&outside);
}

static void no_signals_scores_low(void **state)
{
    (void)state;
    struct enrich_result r =
        score("<html><head><title>Home</title></head><body><p>Lorem ipsum dolor sit amet, "
              "consectetur adipiscing elit.</p></body></html>");
    assert_int_equal(r.pain.nev, 0);
    assert_int_equal(r.intent.nev, 0);
    assert_int_equal(r.urgency.nev, 0);
    assert_true(r.pain.value == 0 && r.intent.value == 0 && r.urgency.value == 0);
    assert_true(r.prospect < 0.2);
    assert_false(r.qualified);
    assert_true(r.ninsights >= 2 && r.ninsights <= 5);
    enrich_result_release(&r);
}

static void signals_and_urgency(void **state)
{
    (void)state;
    struct enrich_result r = score(
        BASE_HEAD
        "</head><body>" BASE_BODY "<p>We are hiring a Sales Operations Manager to own our CRM.</p>"
        "<p>Request for proposals: CRM platform. Submissions are due by 15 January 2027.</p>"
        "<p>In October 2026 we raised a $4M Series A.</p></body></html>");
    assert_true(r.intent.value > 0.6);
    assert_true(r.urgency.value >= 0.5);
    bool rfp = false, deadline = false;
    for (size_t i = 0; i < r.intent.nev; i++)
        rfp = rfp || strcmp(r.intent.ev[i].signal, "request_for_proposals") == 0;
    for (size_t i = 0; i < r.urgency.nev; i++)
        deadline = deadline || strcmp(r.urgency.ev[i].signal, "deadline") == 0;
    assert_true(rfp && deadline);
    assert_true(r.qualified);
    json_t *lead_extra, *intel_extra;
    struct extract_lead l;
    lead_of(&l, "<html><body><p>x</p></body></html>");
    enrich_package(&l, &r, &lead_extra, &intel_extra);
    assert_non_null(json_object_get(json_object_get(intel_extra, "evidence"), "urgency_score"));
    assert_non_null(json_object_get(lead_extra, "analysis"));
    json_decref(lead_extra);
    json_decref(intel_extra);
    extract_lead_release(&l);
    enrich_result_release(&r);
}

static void deterministic(void **state)
{
    (void)state;
    const char *html =
        BASE_HEAD "</head><body>" BASE_BODY
                  "<p>Leads fall through the cracks when we are busy.</p></body></html>";
    struct enrich_result a = score(html), b = score(html);
    assert_true(a.prospect == b.prospect);
    assert_string_equal(a.summary, b.summary);
    enrich_result_release(&a);
    enrich_result_release(&b);
}

/* Scores a page against another context, with the default weights. */
static struct enrich_result score_for(const char *context, const char *html)
{
    struct request r;
    struct request_limits lim;
    request_limits_default(&lim);
    struct problems p = {0};
    assert_int_equal(request_parse(context, strlen(context), &lim, 0, &r, &p), 0);
    struct enrich_weights w = {15, 10, 5, 70, 0.5};
    struct enrich_context *c = enrich_context_new(&r.ctx, &w, NOW);
    struct extract_lead l;
    lead_of(&l, html);
    struct enrich_result out;
    enrich_lead(c, &l, &out);
    extract_lead_release(&l);
    enrich_context_free(c);
    request_release(&r);
    return out;
}

#define HOME_SERVICES                                                                              \
    "{\"business_context\":{\"business_description\":\"Missed-call text-back for trades\","        \
    "\"ideal_customer\":\"Plumbers, car washes, florists and hair salons\","                       \
    "\"pain_points\":[\"Missed calls\"],\"location\":\"United States\"}}"

#define PLUMBER_PAGE(extra)                                                                        \
    "<html><head><title>Plumber in Springfield | Rivera Plumbing</title>"                          \
    "<meta name=description content=\"Licensed plumbers for drain cleaning, water heaters "        \
    "and leak repair in Springfield.\"></head><body><h1>Plumbing services</h1>"                    \
    "<p>Our licensed plumbers fix leaks, clear drains and install water heaters.</p>" extra        \
    "<address>12 Main St, Springfield, IL 62701</address></body></html>"

/* Fit first: the ideal customer qualifies although its pages name no pain;
 * a company of another trade does not, whatever it says. */
static void fit_qualifies_without_pains(void **state)
{
    (void)state;
    struct enrich_result r = score_for(HOME_SERVICES, PLUMBER_PAGE(""));
    assert_int_equal(r.pain.nev, 0);
    assert_true(r.icp.value > 0.9);
    assert_true(r.qualified);
    bool trade = false;
    for (size_t i = 0; i < r.icp.nev; i++)
        trade = trade || (strcmp(r.icp.ev[i].signal, "industry:238220") == 0 && r.icp.ev[i].shows &&
                          strstr(r.icp.ev[i].shows, "Plumbers"));
    assert_true(trade);
    enrich_result_release(&r);

    struct enrich_result other =
        score_for(HOME_SERVICES,
                  "<html><head><title>Rivera Law | Personal injury attorneys</title></head><body>"
                  "<h1>Personal injury lawyers</h1><p>Our attorneys win car accident cases.</p>"
                  "<p>We still miss calls from clients and lose cases to slow follow-up.</p>"
                  "<address>12 Main St, Springfield, IL 62701</address></body></html>");
    assert_false(other.qualified);
    assert_true(other.icp.value < 0.5);
    enrich_result_release(&other);
}

/* A vendor's pages name its customers' trade: an accounting software is
 * no accounting firm, a software for plumbers no plumber. */
static void vendors_are_not_their_customers(void **state)
{
    (void)state;
    struct enrich_result r = score_for(
        HOME_SERVICES,
        "<html><head><title>PipeBook | Plumbing software: scheduling and invoicing</title>"
        "</head><body><nav>Pricing Log in Sign up Free trial</nav>"
        "<h1>Scheduling software for plumbers</h1><p>PipeBook is field service software for "
        "plumbing contractors and plumbers: online booking, dispatch and invoicing.</p>"
        "<p>Start free. Plans from $29 a month. Get started today.</p>"
        "<address>12 Main St, Springfield, IL 62701</address></body></html>");
    assert_true(r.industry_fit < 0.5);
    assert_false(r.qualified);
    enrich_result_release(&r);
    struct enrich_result plumber = score_for(HOME_SERVICES, PLUMBER_PAGE(""));
    assert_true(plumber.industry_fit >= 0.99);
    enrich_result_release(&plumber);
}

/* A contact line is no evidence of a pain, although it shares its words. */
static void contact_lines_are_no_evidence(void **state)
{
    (void)state;
    struct enrich_result r =
        score_for(HOME_SERVICES, PLUMBER_PAGE("<p>Call us on 404-555-0182.</p><p>Missed calls? "
                                              "Call 404-555-0199</p>"));
    assert_int_equal(r.pain.nev, 0);
    enrich_result_release(&r);
    /* a sentence that speaks about the pain is */
    struct enrich_result met = score_for(
        HOME_SERVICES, PLUMBER_PAGE("<p>We still miss calls when the whole crew is out on jobs, "
                                    "and those missed calls are lost customers.</p>"));
    assert_int_equal(met.pain.nev, 1);
    assert_string_equal(met.pain.ev[0].signal, "pain:Missed calls");
    assert_non_null(strstr(met.pain.ev[0].quote, "miss calls"));
    enrich_result_release(&met);
    /* a date is no phone number */
    struct enrich_result dated = score_for(
        HOME_SERVICES, PLUMBER_PAGE("<p>Since 2026-10-02 we still miss calls when the crew is "
                                    "out, and those missed calls are lost customers.</p>"));
    assert_int_equal(dated.pain.nev, 1);
    enrich_result_release(&dated);
}

/* A buying signal is the company's own: advice to the reader, a pitch,
 * or news about another company is none. */
static void signals_are_said_of_itself(void **state)
{
    (void)state;
    struct enrich_result advice = score_for(
        HOME_SERVICES,
        PLUMBER_PAGE("<p>If you are looking for a new plumber, evaluate how they handle missed "
                     "calls.</p><p>Consider replacing your old water heater before the end of the "
                     "year.</p><p>Hiring a plumber for missed calls on a weekend costs more.</p>"
                     "<p>Acme Plumbing raised new funding and is expanding to Ohio.</p>"));
    assert_int_equal(advice.intent.nev, 0);
    assert_int_equal(advice.urgency.nev, 0);
    enrich_result_release(&advice);
    struct enrich_result own = score_for(
        HOME_SERVICES,
        PLUMBER_PAGE("<p>We are evaluating a new phone system because we keep missing calls on "
                     "busy days.</p><p>We are hiring two apprentice plumbers.</p>"));
    bool evaluating = false, hiring = false;
    for (size_t i = 0; i < own.intent.nev; i++) {
        evaluating = evaluating || !strcmp(own.intent.ev[i].signal, "evaluating_or_migrating");
        hiring = hiring || !strncmp(own.intent.ev[i].signal, "hiring", 6);
    }
    assert_true(evaluating && hiring);
    enrich_result_release(&own);
}

#define PLUMBERS_IN(where)                                                                         \
    "{\"business_context\":{\"business_description\":\"Dispatch software\","                       \
    "\"ideal_customer\":\"Plumbers\",\"location\":\"" where "\"}}"

static bool located(const char *context, const char *address)
{
    char html[1024];
    snprintf(html, sizeof html,
             "<html><head><title>Rivera Plumbing | Plumbers</title></head><body>"
             "<h1>Plumbing services</h1><p>Our licensed plumbers fix leaks and clear drains.</p>"
             "<address>%s</address></body></html>",
             address);
    struct enrich_result r = score_for(context, html);
    bool found = false;
    for (size_t i = 0; i < r.icp.nev; i++)
        found = found || strcmp(r.icp.ev[i].signal, "location") == 0;
    enrich_result_release(&r);
    return found;
}

/* Places as users write them: country codes in a list, a state after its
 * city; "DE" in a list of countries is Germany, not Delaware. */
static void locations_as_written(void **state)
{
    (void)state;
    const char *berlin = "Hauptstra\xc3\x9f"
                         "e 5, 10115 Berlin, Germany";
    const char *illinois = "12 Main St, Springfield, IL 62701";
    const char *austin = "500 Congress Ave, Austin, TX 78701";
    assert_true(located(PLUMBERS_IN("DE, AT, CH"), berlin));
    assert_false(located(PLUMBERS_IN("DE, AT, CH"), illinois));
    assert_true(located(PLUMBERS_IN("Italy, Germany"), berlin));
    assert_true(located(PLUMBERS_IN("Austin, TX"), austin));
    assert_false(located(PLUMBERS_IN("Austin, TX"), illinois));
    assert_true(located(PLUMBERS_IN("Texas, Illinois"), illinois));
    assert_true(located(PLUMBERS_IN("US, CA"), illinois)); /* Canada, not California */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pain_passage_raises_pain_alignment),
        cmocka_unit_test(competitor_script_raises_intent),
        cmocka_unit_test(outside_location_lowers_icp),
        cmocka_unit_test(no_signals_scores_low),
        cmocka_unit_test(signals_and_urgency),
        cmocka_unit_test(deterministic),
        cmocka_unit_test(fit_qualifies_without_pains),
        cmocka_unit_test(vendors_are_not_their_customers),
        cmocka_unit_test(contact_lines_are_no_evidence),
        cmocka_unit_test(locations_as_written),
        cmocka_unit_test(signals_are_said_of_itself),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
