/* tools.c: the prospect_* tools of the MCP server, each a row of tools[]
 * (name, title, description, input and output schemas, annotations, the
 * function). Arguments are checked against the input schema first; a
 * failure a model can fix is an isError result with a hint; every result
 * is structuredContent plus the same JSON as text.
 *
 * The tools use the engine the HTTP API uses: jobs go through the job
 * manager (so they show in /api/v2/jobs, subject to keys), a company is
 * enriched as a job of given companies, run in the call, searches and pages go through the
 * configured providers, the fetcher and its address guard.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "corpus/corpus.h"
#include "extract/extract.h"
#include "fetch/fetch.h"
#include "llm/llm.h"
#include "mcp/mcp_int.h"
#include "model/lead.h"
#include "model/request.h"
#include "pipeline/pipeline.h"
#include "query/query.h"
#include "search/search.h"
#include "store/store.h"

/* ---- schemas ---- */

#define S_STR "{\"type\":\"string\"}"
#define S_STRS "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"
#define S_CONTEXT                                                                                  \
    "{\"type\":\"object\",\"description\":\"What the user sells and to whom. At least one of "     \
    "business_description or ideal_customer (or user_search_query).\",\"properties\":{"            \
    "\"business_description\":{\"type\":\"string\",\"description\":\"What the business does\"},"   \
    "\"product_service_description\":" S_STR ",\"value_proposition\":" S_STR                       \
    ",\"ideal_customer\":{\"type\":\"string\",\"description\":\"Who buys, e.g. SMBs with 10-100 "  \
    "employees in tech\"},\"industry_focus\":" S_STRS ",\"pain_points\":{\"type\":\"array\","      \
    "\"items\":{\"type\":\"string\"},\"description\":\"Pains the product solves; leads are "       \
    "scored on evidence of them\"},\"competitors\":" S_STRS ",\"target_market\":" S_STR            \
    ",\"location\":" S_STR "}}"
#define S_LEAD_SUMMARY                                                                             \
    "{\"type\":\"object\",\"required\":[\"lead_id\",\"company_name\",\"website\"],"                \
    "\"properties\":{\"lead_id\":" S_STR ",\"company_name\":" S_STR ",\"website\":" S_STR          \
    ",\"industry\":" S_STR ",\"company_size\":" S_STR ",\"emails\":" S_STRS ",\"phones\":" S_STRS  \
    ",\"prospect_score\":{\"type\":[\"number\",\"null\"]},\"qualified\":{\"type\":[\"boolean\","   \
    "\"null\"]},\"summary\":" S_STR ",\"contact\":{\"type\":\"object\",\"description\":\"The "     \
    "most senior person the site names (e-mail empty when it shows none)\",\"properties\":{"       \
    "\"name\":" S_STR ",\"title\":" S_STR ",\"email\":" S_STR "}},\"found_by\":" S_STR             \
    ",\"attribution\":{\"type\":"                                                                  \
    "\"string\",\"description\":\"The credit the lead's data needs (OpenStreetMap's): show it "    \
    "with the lead\"}}}"

/* ---- results ---- */

/* A result: structuredContent and the same JSON as text (stolen). */
static json_t *ok(json_t *structured)
{
    char *text = json_dumps(structured, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_t *r = json_pack("{s:[{s:s, s:s}], s:o}", "content", "type", "text", "text", text,
                          "structuredContent", structured);
    free(text);
    return r;
}

/* A failure the model can mend: isError with what went wrong and a hint. */
static json_t *fail(const char *what, const char *hint)
{
    char text[1200];
    snprintf(text, sizeof text, "%s%s%s", what, hint ? "\nFix: " : "", hint ? hint : "");
    return json_pack("{s:[{s:s, s:s}], s:b}", "content", "type", "text", "text", text, "isError",
                     1);
}

/* The string at v, or def. */
static const char *str_or(json_t *v, const char *def)
{
    const char *s = json_string_value(v);
    return s ? s : def;
}

/* A new reference to the array at v, or an empty array. */
static json_t *array_or_empty(json_t *v)
{
    return json_is_array(v) ? json_incref(v) : json_array();
}

static const char *arg_str(struct mcp_call *c, const char *name)
{
    const char *v = json_string_value(json_object_get(c->args, name));
    return v ? v : "";
}

static int64_t arg_int(struct mcp_call *c, const char *name, int64_t def)
{
    json_t *v = json_object_get(c->args, name);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

static void nap(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* body (stolen) parsed as the API parses a request, within the server's
 * limits; NULL on success, else an isError result naming each problem
 * after intro, with fix. */
static json_t *parse_body(struct mcp_call *c, json_t *body, const char *intro, const char *fix,
                          struct request *out)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    const struct config *cfg = c->m->cfg;
    struct request_limits lim = {(size_t)cfg->max_body_bytes, (size_t)cfg->max_string_chars,
                                 (size_t)cfg->max_list_items, (int)cfg->max_json_depth,
                                 (int)cfg->max_leads};
    struct problems p = {0};
    json_t *err = NULL;
    if (request_parse(s, strlen(s), &lim, 0, out, &p)) {
        char what[1000];
        snprintf(what, sizeof what, "%s", intro);
        for (size_t i = 0; i < p.n; i++) {
            size_t k = strlen(what);
            snprintf(what + k, sizeof what - k, " %s: %s;", p.v[i].path, p.v[i].message);
        }
        err = fail(what, fix);
    }
    problems_release(&p);
    free(s);
    return err;
}

/* The request of a business context argument, validated like the API's. */
static json_t *parse_context(struct mcp_call *c, int max_leads, struct request *out)
{
    json_t *ctx = json_deep_copy(json_object_get(c->args, "business_context"));
    if (!ctx)
        ctx = json_object();
    if (max_leads > 0)
        json_object_set_new(ctx, "max_leads_to_generate", json_integer(max_leads));
    json_t *body = json_pack("{s:o, s:s}", "business_context", ctx, "user_id", "mcp");
    const char *q = arg_str(c, "user_search_query");
    if (*q)
        json_object_set_new(body, "user_search_query", json_string(q));
    return parse_body(c, body, "The business context is not valid:",
                      "correct those fields (see the input schema) and call again", out);
}

/* A lead's short form from its stored JSON ({lead_id, lead_data,
 * final_package?}) or from a lead_generated event. */
static json_t *lead_summary(json_t *l)
{
    struct lead_view v;
    lead_view(l, &v);
    json_t *out = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "lead_id", v.lead_id, "company_name",
        v.company_name, "website", v.website, "industry", v.industry, "company_size",
        v.company_size, "emails", array_or_empty(v.emails), "phones", array_or_empty(v.phones),
        "prospect_score", v.intel ? json_real(v.prospect) : json_null(), "qualified",
        v.qualified < 0 ? json_null() : json_boolean(v.qualified), "summary", v.summary);
    if (*v.contact_name) /* the person a salesperson would write to */
        json_object_set_new(out, "contact",
                            json_pack("{s:s, s:s, s:s}", "name", v.contact_name, "title",
                                      v.contact_title, "email", v.contact_email));
    if (*v.found_by)
        json_object_set_new(out, "found_by", json_string(v.found_by));
    if (*v.attribution) /* OpenStreetMap's data is ODbL: credited wherever it is shown */
        json_object_set_new(out, "attribution", json_string(v.attribution));
    return out;
}

/* The job's stored leads, if owner may see them; NULL with *err set. */
static json_t *visible_leads(struct mcp_call *c, const char *job_id, json_t **err)
{
    *err = NULL;
    if (!*job_id || jobs_visible(c->m->jobs, job_id, mcp_session_owner(c->s))) {
        char what[300];
        snprintf(what, sizeof what, "There is no job %.200s.", job_id);
        *err = fail(what, "use a job_id that prospect_find_leads returned");
        return NULL;
    }
    json_t *leads = NULL;
    struct err e = {0};
    if (jobs_leads(c->m->jobs, job_id, &leads, &e)) {
        *err = fail(e.msg, "try again");
        return NULL;
    }
    return leads;
}

/* A store connection for one call; with no web search configured, an empty
 * corpus is filled with the sample corpus first (as `prospect search`
 * does), so that the tools work offline on a fresh machine. */
static int open_store(struct mcp_call *c, struct store **st, struct err *e)
{
    int rc = store_open(c->m->cfg->db, st, e);
    char why[128];
    if (rc || strcmp(search_choice(c->m->cfg, why, sizeof why), "local") != 0)
        return rc;
    bool indexed = false;
    pthread_mutex_lock(&c->m->lock); /* one indexer at a time */
    rc = corpus_ensure_sample(*st, NULL, &indexed, e);
    pthread_mutex_unlock(&c->m->lock);
    if (indexed)
        mcp__log(c, MCP_NOTICE,
                 json_string("the local corpus was empty: the sample corpus is indexed"));
    if (rc) {
        store_close(*st);
        *st = NULL;
    }
    return rc;
}

/* ---- prospect_find_leads ---- */

struct follow {
    json_t *leads; /* lead summaries in order */
    int64_t after;
    const char *status; /* static */
    char message[300];
    char notice[512]; /* the sample corpus answered: its companies are fictional */
    bool done;
};

static int on_job_event(void *ctx, int64_t seq, const char *type, const char *data)
{
    struct follow *f = ctx;
    f->after = seq;
    json_t *ev = json_loads(data, 0, NULL);
    if (strcmp(type, "lead_generated") == 0) {
        json_array_append_new(f->leads, lead_summary(ev));
    } else if (strcmp(type, "lead_enrichment_end") == 0) {
        size_t i;
        json_t *l;
        json_array_foreach (f->leads, i, l) {
            if (!json_equal(json_object_get(l, "lead_id"), json_object_get(ev, "lead_id")))
                continue;
            struct lead_view v;
            lead_view(ev, &v);
            json_object_set_new(l, "prospect_score", json_real(v.prospect));
            json_object_set_new(l, "qualified",
                                v.qualified < 0 ? json_null() : json_boolean(v.qualified));
            if (v.intel && *v.summary)
                json_object_set_new(l, "summary", json_string(v.summary));
        }
    } else if (strcmp(type, "status_update") == 0) {
        snprintf(f->message, sizeof f->message, "%s",
                 str_or(json_object_get(ev, "status_message"), ""));
        if (json_is_true(json_object_get(ev, "sample_corpus")))
            snprintf(f->notice, sizeof f->notice, "%s",
                     str_or(json_object_get(ev, "status_message"), ""));
    } else if (strcmp(type, "pipeline_end") == 0 || strcmp(type, "pipeline_error") == 0) {
        f->done = true;
        f->status = strcmp(type, "pipeline_end") == 0 ? "succeeded" : "failed";
        snprintf(f->message, sizeof f->message, "%s",
                 str_or(json_object_get(ev, "error_message"), "The job is finished."));
    }
    json_decref(ev);
    return 0;
}

static json_t *find_leads(struct mcp_call *c)
{
    int64_t want = arg_int(c, "max_leads", 0);
    int64_t wait_s = arg_int(c, "wait_seconds", 20);
    struct request req;
    json_t *err = parse_context(c, (int)want, &req);
    if (err)
        return err;
    want = req.ctx.max_leads_to_generate;
    struct err e = {0};
    if (jobs_submit(c->m->jobs, &req, mcp_session_owner(c->s), &e)) {
        request_release(&req);
        return fail(e.msg, "try again in a moment");
    }
    char job_id[REQUEST_MAX_ID_CHARS + 1];
    snprintf(job_id, sizeof job_id, "%s", req.job_id);
    request_release(&req);
    mcp__log(c, MCP_INFO, json_pack("{s:s, s:s}", "event", "job started", "job_id", job_id));

    struct follow f = {.leads = json_array(), .status = "running"};
    int64_t deadline = clock_mono_ms() + wait_s * 1000;
    size_t seen = 0;
    char last_message[300] = "";
    while (!f.done && !c->cancel) {
        if (jobs_events(c->m->jobs, job_id, f.after, on_job_event, &f, &e))
            break;
        if (strcmp(f.message, last_message) != 0 || json_array_size(f.leads) != seen) {
            seen = json_array_size(f.leads);
            snprintf(last_message, sizeof last_message, "%s", f.message);
            char msg[400];
            snprintf(msg, sizeof msg, "%zu of %lld leads: %s", seen, (long long)want, f.message);
            mcp__progress(c, (double)seen, (double)want, msg);
            mcp__log(c, MCP_INFO, json_pack("{s:s, s:s}", "job_id", job_id, "status", f.message));
        }
        if (f.done || clock_mono_ms() >= deadline)
            break;
        nap(200);
    }
    if (c->cancel) { /* the caller gave up on it: so do we */
        if (jobs_cancel(c->m->jobs, job_id) == 0)
            log_info("MCP call cancelled; its job is cancelled", LOG_S("job_id", job_id));
        json_decref(f.leads);
        return json_object();
    }
    char message[600];
    snprintf(message, sizeof message,
             f.done ? "%s Found %zu leads; prospect_job_leads pages through them with contacts, "
                      "prospect_explain_score shows the evidence of a lead's scores."
                    : "%sThe job runs on (%zu leads so far): call prospect_job_status or "
                      "prospect_job_leads with this job_id in a few seconds.",
             f.done ? f.message : "", json_array_size(f.leads));
    json_t *out = json_pack("{s:s, s:s, s:b, s:i, s:I, s:o, s:s}", "job_id", job_id, "status",
                            f.status, "done", f.done, "leads_found", (int)json_array_size(f.leads),
                            "max_leads", (json_int_t)want, "leads", f.leads, "message", message);
    if (*f.notice)
        json_object_set_new(out, "notice", json_string(f.notice));
    return ok(out);
}

/* ---- jobs ---- */

static json_t *job_status(struct mcp_call *c)
{
    const char *id = arg_str(c, "job_id");
    json_t *err = NULL, *leads = visible_leads(c, id, &err);
    if (!leads)
        return err;
    json_decref(leads);
    json_t *st = NULL;
    struct err e = {0};
    if (jobs_status(c->m->jobs, id, &st, &e))
        return fail(e.msg, "try again");
    json_t *sum = json_object_get(st, "summary");
    json_t *out = json_pack(
        "{s:s, s:s, s:I, s:I, s:I, s:I}", "job_id", id, "status",
        json_string_value(json_object_get(st, "status")), "leads",
        (json_int_t)json_integer_value(json_object_get(st, "leads")), "created_at",
        (json_int_t)json_integer_value(json_object_get(st, "created_at")), "finished_at",
        (json_int_t)json_integer_value(json_object_get(st, "finished_at")), "last_event_id",
        (json_int_t)json_integer_value(json_object_get(st, "last_event_id")));
    if (json_is_object(sum)) {
        json_t *brief = json_object();
        const char *keys[] = {"leads_requested", "leads_qualified", "duration_ms", "stopped_by",
                              "degradations",    "error_message",   "leads_kept"};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            if (json_object_get(sum, keys[i]))
                json_object_set(brief, keys[i], json_object_get(sum, keys[i]));
        json_object_set_new(out, "summary", brief);
    }
    json_decref(st);
    return ok(out);
}

static json_t *job_leads(struct mcp_call *c)
{
    const char *id = arg_str(c, "job_id");
    json_t *err = NULL, *leads = visible_leads(c, id, &err);
    if (!leads)
        return err;
    size_t offset = (size_t)arg_int(c, "offset", 0), limit = (size_t)arg_int(c, "limit", 10);
    bool detailed = strcmp(arg_str(c, "detail"), "detailed") == 0;
    json_t *page = json_array();
    size_t total = json_array_size(leads);
    for (size_t i = offset; i < total && i < offset + limit; i++) {
        json_t *l = json_array_get(leads, i);
        json_array_append_new(page, detailed ? json_incref(l) : lead_summary(l));
    }
    json_decref(leads);
    size_t next = offset + limit;
    return ok(json_pack("{s:s, s:I, s:I, s:o, s:o}", "job_id", id, "total", (json_int_t)total,
                        "offset", (json_int_t)offset, "leads", page, "next_offset",
                        next < total ? json_integer((json_int_t)next) : json_null()));
}

static const char *const score_names[][2] = {{"pain_alignment_score", "pain alignment"},
                                             {"buying_intent_score", "buying intent"},
                                             {"urgency_score", "urgency"},
                                             {"icp_fit_score", "ideal-customer fit"}};

/* The scores of an analyzed lead with their evidence. */
static json_t *explain(json_t *pkg)
{
    json_t *ai = json_object_get(pkg, "ai_intelligence");
    json_t *ev = json_object_get(ai, "evidence");
    json_t *scores = json_array();
    for (size_t i = 0; i < sizeof score_names / sizeof *score_names; i++) {
        json_t *v = json_object_get(ai, score_names[i][0]);
        if (!json_is_number(v))
            continue;
        json_t *quotes = json_object_get(ev, score_names[i][0]);
        json_array_append_new(scores,
                              json_pack("{s:s, s:s, s:f, s:o}", "score", score_names[i][0], "label",
                                        score_names[i][1], "value", json_number_value(v),
                                        "evidence", array_or_empty(quotes)));
    }
    json_t *ins = array_or_empty(json_object_get(ai, "predictive_insights"));
    return json_pack("{s:s, s:f, s:o, s:o, s:s, s:s}", "company_name",
                     str_or(json_object_get(pkg, "company_name"), ""), "prospect_score",
                     json_number_value(json_object_get(ai, "prospect_score")), "scores", scores,
                     "insights", ins, "summary",
                     str_or(json_object_get(ai, "qualification_summary"), ""), "analyst",
                     str_or(json_object_get(ai, "analyst"), ""));
}

static json_t *explain_score(struct mcp_call *c)
{
    const char *id = arg_str(c, "job_id"), *lead_id = arg_str(c, "lead_id");
    json_t *err = NULL, *leads = visible_leads(c, id, &err);
    if (!leads)
        return err;
    json_t *found = NULL;
    size_t i;
    json_t *l;
    json_array_foreach (leads, i, l)
        if (strcmp(str_or(json_object_get(l, "lead_id"), ""), lead_id) == 0)
            found = l;
    json_t *pkg = json_object_get(json_object_get(found, "final_package"), "analyzed_lead");
    json_t *r;
    if (!found) {
        char what[300];
        snprintf(what, sizeof what, "Job %.100s has no lead %.100s.", id, lead_id);
        r = fail(what, "use a lead_id from prospect_job_leads or prospect_find_leads");
    } else if (!pkg) {
        r = fail("This lead is not scored yet.", "call again when the job has scored it");
    } else {
        json_t *x = explain(pkg);
        json_object_set_new(x, "lead_id", json_string(lead_id));
        json_object_set_new(x, "qualified",
                            json_boolean(json_is_true(json_object_get(pkg, "qualified"))));
        r = ok(x);
    }
    json_decref(leads);
    return r;
}

/* ---- one company ---- */

/* The most companies one call enriches: a call waits for them all (the
 * HTTP API's POST /api/v2/enrich takes up to REQUEST_MAX_COMPANIES as a job). */
#define MCP_MAX_COMPANIES 50

/* The rows of an enrichment as its events come. */
struct collect {
    struct mcp_call *c;
    json_t *leads; /* lead_generated events, in order */
    json_t *ends;  /* lead_enrichment_end by lead_id */
    int total, done;
};

static void on_enrich_event(void *ctx, int64_t seq, enum event_type type, json_t *ev)
{
    (void)seq;
    struct collect *k = ctx;
    const char *id = json_string_value(json_object_get(ev, "lead_id"));
    if (type == EVENT_LEAD_GENERATED) {
        json_array_append(k->leads, ev);
    } else if (type == EVENT_LEAD_ENRICHMENT_END && id) {
        json_object_set(k->ends, id, ev);
        char what[300];
        snprintf(what, sizeof what, "%s: %s", str_or(json_object_get(ev, "company_name"), id),
                 json_is_true(json_object_get(ev, "success"))
                     ? "enriched"
                     : str_or(json_object_get(ev, "error_message"), "failed"));
        mcp__progress(k->c, (double)++k->done, (double)k->total, what);
    }
}

/* One company's row: its fields, and its scores when a context was given;
 * or success false with why. */
static json_t *enriched_row(const char *target, json_t *lead, json_t *end, bool scored)
{
    json_t *out = lead_summary(lead);
    json_object_set_new(out, "target", json_string(target));
    bool success = end && json_is_true(json_object_get(end, "success"));
    json_object_set_new(out, "success", json_boolean(success));
    if (!success) {
        json_object_set_new(out, "error_type",
                            json_string(str_or(json_object_get(end, "error_type"), "stopped")));
        json_object_set_new(out, "error_message",
                            json_string(str_or(json_object_get(end, "error_message"),
                                               "the enrichment did not finish")));
        json_object_set_new(out, "prospect_score", json_null());
        json_object_set_new(out, "qualified", json_null());
        return out;
    }
    json_t *d = json_object_get(lead, "lead_data");
    json_object_set_new(out, "description",
                        json_string(str_or(json_object_get(d, "description"), "")));
    json_t *pkg = json_object_get(json_object_get(end, "final_package"), "analyzed_lead");
    if (scored && pkg) {
        json_t *x = explain(pkg);
        json_object_set_new(out, "prospect_score",
                            json_incref(json_object_get(x, "prospect_score")));
        json_object_set_new(out, "qualified",
                            json_boolean(json_is_true(json_object_get(pkg, "qualified"))));
        json_object_set(out, "scores", json_object_get(x, "scores"));
        json_object_set(out, "insights", json_object_get(x, "insights"));
        json_object_set(out, "summary", json_object_get(x, "summary"));
        json_decref(x);
    } else {
        json_object_set_new(out, "prospect_score", json_null());
        json_object_set_new(out, "qualified", json_null());
    }
    return out;
}

/* prospect_enrich_companies (a list) and prospect_enrich_company (one, by
 * url or domain): a job of the given companies, run in the call, one row
 * per company in the order given. */
static json_t *enrich_companies(struct mcp_call *c)
{
    json_t *list = json_object_get(c->args, "companies");
    json_t *targets = json_array();
    if (json_is_array(list)) {
        json_array_extend(targets, list);
    } else {
        const char *url = arg_str(c, "url"), *domain = arg_str(c, "domain");
        if (*url || *domain)
            json_array_append_new(targets, json_string(*url ? url : domain));
    }
    size_t n = json_array_size(targets);
    if (n == 0 || n > MCP_MAX_COMPANIES) {
        json_decref(targets);
        char what[200];
        snprintf(what, sizeof what, "Give from 1 to %d companies (got %zu).", MCP_MAX_COMPANIES, n);
        return fail(what, "pass companies: [\"example.com\", \"https://...\"]; for a longer "
                          "list, POST it to /api/v2/enrich");
    }
    json_t *ctx = json_object_get(c->args, "business_context");
    bool scored = json_object_size(ctx) > 0;
    json_t *body = json_pack("{s:O, s:o, s:s}", "business_context", ctx ? ctx : json_null(),
                             "companies", targets, "user_id", "mcp");
    struct request req;
    json_t *err = parse_body(c, body, "The companies or the business context are not valid:",
                             "give each company as a domain (example.com), a URL or host:port, "
                             "and correct the fields named",
                             &req);
    if (err)
        return err;
    const struct config *cfg = c->m->cfg;
    struct store *st = NULL;
    struct err e = {0};
    if (open_store(c, &st, &e)) {
        request_release(&req);
        return fail(e.msg, "check PROSPECT_DB");
    }
    struct collect k = {.c = c, .leads = json_array(), .ends = json_object(), .total = (int)n};
    struct pipeline_options opt = {
        .cfg = cfg, .store = st, .emit = on_enrich_event, .emit_ctx = &k, .cancel = &c->cancel};
    pipeline_budget_from_config(cfg, &opt.budget);
    int rc = pipeline_run(&req, &opt);
    store_close(st);
    json_t *rows = json_array();
    int enriched = 0;
    for (size_t i = 0; i < json_array_size(k.leads) && i < req.companies.n; i++) {
        json_t *lead = json_array_get(k.leads, i);
        json_t *end = json_object_get(k.ends, json_string_value(json_object_get(lead, "lead_id")));
        json_t *row = enriched_row(req.companies.v[i], lead, end, scored);
        enriched += json_is_true(json_object_get(row, "success"));
        json_array_append_new(rows, row);
    }
    json_t *r;
    if (rc == CORE_ECANCELED)
        r = fail("The enrichment was cancelled.", NULL);
    else if (json_array_size(rows) < req.companies.n)
        r = fail("The enrichment ended early; some companies have no row.",
                 "try again, or with fewer companies");
    else
        r = ok(json_pack("{s:b, s:i, s:i, s:o}", "scored", scored, "enriched", enriched, "failed",
                         (int)json_array_size(rows) - enriched, "companies", json_incref(rows)));
    json_decref(rows);
    json_decref(k.leads);
    json_decref(k.ends);
    request_release(&req);
    return r;
}

static json_t *enrich_company(struct mcp_call *c)
{
    const char *target = *arg_str(c, "url") ? arg_str(c, "url") : arg_str(c, "domain");
    if (!*target)
        return fail("Give the company's url or its domain.", "pass url (https://...) or domain");
    json_t *r = enrich_companies(c);
    json_t *sc = json_object_get(r, "structuredContent");
    if (!sc)
        return r;
    json_t *row = json_incref(json_array_get(json_object_get(sc, "companies"), 0));
    json_object_set(row, "scored", json_object_get(sc, "scored"));
    json_decref(r);
    if (json_is_true(json_object_get(row, "success")))
        return ok(row);
    char what[600];
    snprintf(what, sizeof what, "No company could be read at %.200s: %s", target,
             str_or(json_object_get(row, "error_message"), "it gave no lead"));
    json_decref(row);
    return fail(what, "check the address (the site must answer over http or https and not be on "
                      "a private network), or try its home page");
}

/* ---- single steps ---- */

static json_t *generate_queries(struct mcp_call *c)
{
    struct request req;
    json_t *err = parse_context(c, 0, &req);
    if (err)
        return err;
    struct query_list q;
    query_generate(&req, (size_t)arg_int(c, "max", QUERY_DEFAULT_MAX), true, &q);
    json_t *list = query_list_to_json(&q);
    query_list_release(&q);
    request_release(&req);
    return ok(json_pack("{s:s, s:o}", "method", "keywords", "queries", list));
}

static json_t *search(struct mcp_call *c)
{
    const char *query = arg_str(c, "query");
    if (!*query)
        return fail("The query is empty.", "pass the words to search for");
    struct store *st = NULL;
    struct err e = {0};
    if (open_store(c, &st, &e))
        return fail(e.msg, "check PROSPECT_DB");
    struct search_provider *p = NULL;
    json_t *r;
    if (search_open(c->m->cfg, st, NULL, &p, &e)) {
        r = fail(e.msg, "configure a search provider, or index pages with `prospect index`");
    } else {
        struct search_results res = {0};
        if (search_run(p, query, (size_t)arg_int(c, "limit", 10), &res, &e)) {
            r = fail(e.msg, "try again later, or another query");
        } else {
            json_t *list = json_array();
            for (size_t i = 0; i < res.n; i++)
                json_array_append_new(
                    list, json_pack("{s:s, s:s, s:s, s:s}", "url", res.v[i].url, "site",
                                    res.v[i].site, "title", res.v[i].title ? res.v[i].title : "",
                                    "snippet", res.v[i].snippet ? res.v[i].snippet : ""));
            r = ok(json_pack("{s:s, s:s, s:o}", "provider", search_provider_name(p), "query", query,
                             "results", list));
            search_results_release(&res);
        }
        search_provider_free(p);
    }
    store_close(st);
    return r;
}

static void on_page(void *ctx, const char *url, struct fetch_result *r)
{
    (void)url;
    *(struct fetch_result *)ctx = *r;
    memset(r, 0, sizeof *r);
}

static json_t *extract_page_tool(struct mcp_call *c)
{
    const char *url = arg_str(c, "url");
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return fail("The url must start with http:// or https://.", "pass a full page address");
    struct fetch_result res = {0};
    char charset[64] = "";
    struct store *st = NULL;
    struct err e = {0};
    if (open_store(c, &st, &e) == 0) { /* the corpus may have it */
        if (store_corpus_page(st, url, &res.body, &res.body_len, charset, &e) == 0)
            res.status = FETCH_OK;
        store_close(st);
    }
    if (!res.body) {
        struct fetch_options fo;
        fetch_options_from_config(c->m->cfg, &fo);
        fo.cancel = &c->cancel;
        struct fetcher *f = fetch_new(&fo);
        fetch_add(f, url, on_page, &res);
        fetch_wait(f);
        fetch_free(f);
    }
    if (!res.body || res.status != FETCH_OK) {
        char what[400];
        snprintf(what, sizeof what, "The page could not be read (%s%s%s).",
                 fetch_status_name(res.status), res.detail[0] ? ": " : "", res.detail);
        fetch_result_release(&res);
        return fail(what, "check the address; pages on private networks are never fetched");
    }
    extract_init();
    struct extract_doc *d = NULL;
    json_t *r;
    if (extract_parse(res.body, res.body_len, res.charset[0] ? res.charset : charset,
                      res.final_url ? res.final_url : url, &d, &e)) {
        r = fail(e.msg, "pass an HTML page");
    } else {
        struct extract_page p;
        extract_page(d, NULL, &p);
        r = ok(json_pack("{s:s, s:o}", "url", url, "page", extract_page_json(&p)));
        extract_page_release(&p);
        extract_doc_free(d);
    }
    fetch_result_release(&res);
    return r;
}

/* ---- the table ---- */

#define JOB_ID_ARG                                                                                 \
    "\"job_id\":{\"type\":\"string\",\"description\":\"A job id from prospect_find_leads\"}"

static const struct mcp_tool tools[] = {
    {"prospect_find_leads", "Find leads for a business",
     "Starts a prospecting job for a business context: Prospect turns it into search queries, "
     "searches the web (or its local corpus), reads each company's site, extracts contacts, size "
     "and industry, and scores each company against the context with quoted evidence. Returns the "
     "job_id at once, after waiting up to wait_seconds (default 20) for early leads, with the "
     "leads found so far (name, website, contacts, prospect_score). Sends progress notifications "
     "when asked. Use prospect_job_status and prospect_job_leads to follow a job that is still "
     "running; the job also shows in the HTTP API.",
     "{\"type\":\"object\",\"required\":[\"business_context\"],\"properties\":{"
     "\"business_context\":" S_CONTEXT ",\"user_search_query\":{\"type\":\"string\","
     "\"description\":\"Optional search words of your own\"},\"max_leads\":{\"type\":\"integer\","
     "\"minimum\":1,\"maximum\":100,\"description\":\"Leads wanted (default 10)\"},"
     "\"wait_seconds\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":300,\"description\":"
     "\"How long to wait for the job before returning (default 20)\"}}}",
     "{\"type\":\"object\",\"required\":[\"job_id\",\"status\",\"done\",\"leads_found\","
     "\"leads\",\"message\"],\"properties\":{\"job_id\":" S_STR ",\"status\":" S_STR
     ",\"done\":{\"type\":\"boolean\"},\"leads_found\":{\"type\":\"integer\"},\"max_leads\":"
     "{\"type\":\"integer\"},\"leads\":{\"type\":\"array\",\"items\":" S_LEAD_SUMMARY
     "},\"message\":" S_STR ",\"notice\":{\"type\":\"string\",\"description\":\"Said when the "
     "leads are fictional (the bundled sample corpus answered): tell the user\"}}}",
     false, false, false, true, find_leads},
    {"prospect_job_status", "Status of a job",
     "The state of a job started by prospect_find_leads (or the HTTP API): queued, running, "
     "succeeded, failed or cancelled, how many leads it has, and at the end a brief summary "
     "(leads qualified, duration, degradations). Cheap: poll it every few seconds while a job "
     "runs.",
     "{\"type\":\"object\",\"required\":[\"job_id\"],\"properties\":{" JOB_ID_ARG "}}",
     "{\"type\":\"object\",\"required\":[\"job_id\",\"status\",\"leads\"],\"properties\":{"
     "\"job_id\":" S_STR ",\"status\":{\"type\":\"string\",\"enum\":[\"queued\",\"running\","
     "\"succeeded\",\"failed\",\"cancelled\"]},\"leads\":{\"type\":\"integer\"},\"created_at\":"
     "{\"type\":\"integer\"},\"finished_at\":{\"type\":\"integer\"},\"last_event_id\":"
     "{\"type\":\"integer\"},\"summary\":{\"type\":\"object\"}}}",
     true, false, true, false, job_status},
    {"prospect_job_leads", "Leads of a job",
     "The leads of a job, in the order they were found, a page at a time (offset, limit up to "
     "50). detail concise (default) gives name, website, industry, size, emails, phones, "
     "prospect_score and a one-line summary; detailed gives every field, the final package and "
     "the evidence. next_offset is null on the last page.",
     "{\"type\":\"object\",\"required\":[\"job_id\"],\"properties\":{" JOB_ID_ARG
     ",\"offset\":{\"type\":\"integer\",\"minimum\":0},\"limit\":{\"type\":\"integer\","
     "\"minimum\":1,\"maximum\":50},\"detail\":{\"type\":\"string\",\"enum\":[\"concise\","
     "\"detailed\"]}}}",
     "{\"type\":\"object\",\"required\":[\"job_id\",\"total\",\"offset\",\"leads\","
     "\"next_offset\"],\"properties\":{\"job_id\":" S_STR ",\"total\":{\"type\":\"integer\"},"
     "\"offset\":{\"type\":\"integer\"},\"leads\":{\"type\":\"array\",\"items\":{\"type\":"
     "\"object\"}},\"next_offset\":{\"type\":[\"integer\",\"null\"]}}}",
     true, false, true, false, job_leads},
    {"prospect_explain_score", "Explain a lead's scores",
     "Why a lead scored as it did: each score (pain alignment, buying intent, urgency, "
     "ideal-customer fit) with the sentences quoted from the company's own pages and their "
     "URLs, the insights, and who analysed it (an LLM or the built-in rules). Use it before "
     "telling a user why a company is a good lead.",
     "{\"type\":\"object\",\"required\":[\"job_id\",\"lead_id\"],\"properties\":{" JOB_ID_ARG
     ",\"lead_id\":{\"type\":\"string\",\"description\":\"A lead_id from the job's leads\"}}}",
     "{\"type\":\"object\",\"required\":[\"lead_id\",\"company_name\",\"prospect_score\","
     "\"scores\"],\"properties\":{\"lead_id\":" S_STR ",\"company_name\":" S_STR
     ",\"prospect_score\":{\"type\":\"number\"},\"qualified\":{\"type\":\"boolean\"},"
     "\"scores\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"score\","
     "\"value\",\"evidence\"],\"properties\":{\"score\":" S_STR ",\"label\":" S_STR
     ",\"value\":{\"type\":\"number\"},\"evidence\":{\"type\":\"array\",\"items\":{\"type\":"
     "\"object\"}}}}},\"insights\":" S_STRS ",\"summary\":" S_STR ",\"analyst\":" S_STR "}}",
     true, false, true, false, explain_score},
    {"prospect_enrich_company", "Enrich one company",
     "Reads one company's website (by url or domain): its name, description, industry, size, "
     "emails and phones; with a business_context, also its scores against it with quoted "
     "evidence. Use it for a company you already know; use prospect_find_leads to discover new "
     "ones. Pages on private networks are never fetched.",
     "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\",\"description\":"
     "\"The company's site, https://...\"},\"domain\":{\"type\":\"string\",\"description\":"
     "\"Or its domain, e.g. example.com\"},\"business_context\":" S_CONTEXT "}}",
     "{\"type\":\"object\",\"required\":[\"lead_id\",\"company_name\",\"website\",\"scored\"],"
     "\"properties\":{\"lead_id\":" S_STR ",\"company_name\":" S_STR ",\"website\":" S_STR
     ",\"description\":" S_STR ",\"industry\":" S_STR ",\"company_size\":" S_STR
     ",\"emails\":" S_STRS ",\"phones\":" S_STRS
     ",\"scored\":{\"type\":\"boolean\"},\"prospect_score\":{"
     "\"type\":[\"number\",\"null\"]},\"qualified\":{\"type\":[\"boolean\",\"null\"]},"
     "\"scores\":{\"type\":\"array\"},\"insights\":" S_STRS ",\"summary\":" S_STR "}}",
     true, false, true, true, enrich_company},
    {"prospect_enrich_companies", "Enrich a list of companies",
     "Reads each company of a list you already have (domains, URLs or host:port, up to 50): its "
     "name, description, industry, size, emails and phones; with a business_context, also its "
     "scores against it with quoted evidence. One row per company in the order given, whether "
     "it qualifies or not; a company that could not be read has success false, error_type "
     "(unreachable, blocked, not_a_company_site, competitor, duplicate, stopped) and "
     "error_message. Progress is reported per company.",
     "{\"type\":\"object\",\"required\":[\"companies\"],\"properties\":{\"companies\":{"
     "\"type\":\"array\",\"minItems\":1,\"maxItems\":50,\"items\":{\"type\":\"string\"},"
     "\"description\":\"Domains (example.com), URLs or host:port\"},\"business_context\":" S_CONTEXT
     "}}",
     "{\"type\":\"object\",\"required\":[\"scored\",\"enriched\",\"failed\",\"companies\"],"
     "\"properties\":{\"scored\":{\"type\":\"boolean\"},\"enriched\":{\"type\":\"integer\"},"
     "\"failed\":{\"type\":\"integer\"},\"companies\":{\"type\":\"array\",\"items\":{"
     "\"type\":\"object\",\"required\":[\"target\",\"success\",\"lead_id\",\"company_name\","
     "\"website\"],\"properties\":{\"target\":" S_STR ",\"success\":{\"type\":\"boolean\"},"
     "\"lead_id\":" S_STR ",\"company_name\":" S_STR ",\"website\":" S_STR ",\"error_type\":" S_STR
     ",\"error_message\":" S_STR ",\"description\":" S_STR ",\"industry\":" S_STR
     ",\"emails\":" S_STRS ",\"phones\":" S_STRS
     ",\"prospect_score\":{\"type\":[\"number\",\"null\"]},\"qualified\":{\"type\":["
     "\"boolean\",\"null\"]},\"scores\":{\"type\":\"array\"},\"insights\":" S_STRS
     ",\"summary\":" S_STR "}}}}}",
     true, false, true, true, enrich_companies},
    {"prospect_generate_queries", "Generate search queries",
     "The search queries Prospect would make from a business context (by keyword strategy: the "
     "user's own, combined, industry, pain, signal, location). Use it to see or refine how a "
     "context will be searched before starting a job.",
     "{\"type\":\"object\",\"required\":[\"business_context\"],\"properties\":{"
     "\"business_context\":" S_CONTEXT ",\"user_search_query\":" S_STR ",\"max\":{\"type\":"
     "\"integer\",\"minimum\":1,\"maximum\":20}}}",
     "{\"type\":\"object\",\"required\":[\"queries\"],\"properties\":{\"method\":" S_STR
     ",\"queries\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"query\","
     "\"strategy\"],\"properties\":{\"query\":" S_STR ",\"strategy\":" S_STR "}}}}}",
     true, false, true, false, generate_queries},
    {"prospect_search", "Search for companies",
     "One search with the configured provider (Tavily, SearXNG, or the local corpus), one result "
     "per site: url, site, title, snippet. Use prospect_find_leads for the whole job; this is "
     "the single step.",
     "{\"type\":\"object\",\"required\":[\"query\"],\"properties\":{\"query\":{\"type\":"
     "\"string\",\"description\":\"Words to search for\"},\"limit\":{\"type\":\"integer\","
     "\"minimum\":1,\"maximum\":20}}}",
     "{\"type\":\"object\",\"required\":[\"provider\",\"results\"],\"properties\":{"
     "\"provider\":" S_STR ",\"query\":" S_STR ",\"results\":{\"type\":\"array\",\"items\":{"
     "\"type\":\"object\",\"required\":[\"url\",\"site\"],\"properties\":{\"url\":" S_STR
     ",\"site\":" S_STR ",\"title\":" S_STR ",\"snippet\":" S_STR "}}}}}",
     true, false, true, true, search},
    {"prospect_extract_page", "Extract a page",
     "Reads one web page (politely: robots.txt, size and time limits, never private addresses) "
     "and returns what Prospect extracts from it: title, company name, description, main text, "
     "emails, phones, social links, address, industry, size, technologies, and where each came "
     "from.",
     "{\"type\":\"object\",\"required\":[\"url\"],\"properties\":{\"url\":{\"type\":\"string\","
     "\"description\":\"The page, http:// or https://\"}}}",
     "{\"type\":\"object\",\"required\":[\"url\",\"page\"],\"properties\":{\"url\":" S_STR
     ",\"page\":{\"type\":\"object\"}}}",
     true, false, true, true, extract_page_tool},
};

#define NTOOLS (sizeof tools / sizeof *tools)

/* The test build's tools (test_tools.c), offered after ours; none in prospect. */
static const struct mcp_tool *test_tools;
static size_t n_test_tools;

void mcp__set_test_tools(const struct mcp_tool *v, size_t n)
{
    test_tools = v;
    n_test_tools = n;
}

bool mcp__has_test_tools(void)
{
    return n_test_tools > 0;
}

/* Tool i of all of them: ours, then the test build's. */
static const struct mcp_tool *tool_at(size_t i)
{
    return i < NTOOLS ? &tools[i] : &test_tools[i - NTOOLS];
}

/* How many tools m offers (the test build's only with m->test_tools). */
static size_t tools_offered(const struct mcp *m)
{
    return NTOOLS + (m->test_tools ? n_test_tools : 0);
}

static json_t *(*schemas)[2]; /* by tool_at index: input, output (or NULL) */
static pthread_once_t schemas_once = PTHREAD_ONCE_INIT;

static void load_schemas(void)
{
    schemas = xcalloc(NTOOLS + n_test_tools, sizeof *schemas);
    for (size_t i = 0; i < NTOOLS + n_test_tools; i++) {
        const struct mcp_tool *t = tool_at(i);
        json_error_t je;
        schemas[i][0] = json_loads(t->input, 0, &je);
        schemas[i][1] = t->output ? json_loads(t->output, 0, &je) : NULL;
        if (!schemas[i][0] || (t->output && !schemas[i][1])) {
            log_error("an MCP tool schema does not parse", LOG_S("tool", t->name),
                      LOG_S("error", je.text));
            abort(); /* a bug in a tool table, caught by every test */
        }
    }
}

static const struct mcp_tool *find(const struct mcp *m, const char *name, size_t *at)
{
    for (size_t i = 0; i < tools_offered(m); i++)
        if (strcmp(tool_at(i)->name, name) == 0) {
            *at = i;
            return tool_at(i);
        }
    return NULL;
}

bool mcp__tool_known(const struct mcp *m, const char *name)
{
    size_t at;
    return find(m, name, &at) != NULL;
}

json_t *mcp__tools_list(const struct mcp *m)
{
    pthread_once(&schemas_once, load_schemas);
    json_t *list = json_array();
    for (size_t i = 0; i < tools_offered(m); i++) {
        const struct mcp_tool *t = tool_at(i);
        json_t *o = json_pack("{s:s, s:s, s:s, s:O, s:{s:s, s:b, s:b, s:b, s:b}}", "name", t->name,
                              "title", t->title, "description", t->description, "inputSchema",
                              schemas[i][0], "annotations", "title", t->title, "readOnlyHint",
                              t->read_only, "destructiveHint", t->destructive, "idempotentHint",
                              t->idempotent, "openWorldHint", t->open_world);
        if (schemas[i][1])
            json_object_set(o, "outputSchema", schemas[i][1]);
        json_array_append_new(list, o);
    }
    return list;
}

json_t *mcp__tool_call(struct mcp_call *c)
{
    pthread_once(&schemas_once, load_schemas);
    size_t at = 0;
    const struct mcp_tool *t = find(c->m, c->name, &at);
    if (!t)
        return json_pack("{s:i, s:s}", "_rpc_error", -32602, "message", "unknown tool");
    char why[300];
    if (llm_schema_check(schemas[at][0], c->args, why, sizeof why)) {
        char what[400];
        snprintf(what, sizeof what, "Invalid arguments: %s", why);
        return fail(what, "see the tool's inputSchema");
    }
    int64_t t0 = clock_mono_ms();
    json_t *r = t->fn(c);
    log_info("MCP tool call", LOG_S("tool", t->name), LOG_I("ms", clock_mono_ms() - t0),
             LOG_S("outcome", c->cancel                                     ? "cancelled"
                              : json_is_true(json_object_get(r, "isError")) ? "error"
                                                                            : "ok"));
    return r;
}
