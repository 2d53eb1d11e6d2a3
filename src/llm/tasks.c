/* tasks.c: what Prospect asks an LLM, each task with its schema: query
 * generation, quick qualification from a snippet, and the retrieval-
 * augmented analysis of a lead whose quotes must be verbatim. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "llm/llm.h"

#define ANALYSE_PASSAGES 24

static const char *const SYSTEM =
    "You are a B2B sales researcher. You judge companies only by the text you are given and "
    "answer only with JSON that matches the schema.";

static int put_list(struct buf *b, const char *label, const struct strlist *l)
{
    if (!l->n)
        return 0;
    int rc = buf_printf(b, "%s:", label);
    for (size_t i = 0; i < l->n; i++)
        rc |= buf_printf(b, "%s %s", i ? ";" : "", l->v[i]);
    return rc | buf_puts(b, "\n");
}

/* The business context, as the prompts show it. */
static int put_context(struct buf *b, const struct business_context *bc)
{
    int rc = buf_printf(b, "What we sell: %s\nValue proposition: %s\nIdeal customer: %s\n",
                        bc->product_service_description, bc->value_proposition, bc->ideal_customer);
    if (*bc->business_description)
        rc |= buf_printf(b, "About us: %s\n", bc->business_description);
    if (*bc->target_market)
        rc |= buf_printf(b, "Target market: %s\n", bc->target_market);
    if (*bc->location)
        rc |= buf_printf(b, "Location: %s\n", bc->location);
    rc |= put_list(b, "Pain points we solve", &bc->pain_points);
    rc |= put_list(b, "Industries", &bc->industry_focus);
    rc |= put_list(b, "Competitors", &bc->competitors);
    return rc;
}

/* Sends one task: the prompt in b and the schema (both consumed) to the
 * LLM; the valid answer in *out. */
static int ask(struct llm *l, const struct upstream_cache *cache, const char *task, json_t *schema,
               struct buf *b, json_t **out, struct llm_usage *u, struct err *e)
{
    *out = NULL;
    int rc = llm_json(l, cache, task, SYSTEM, buf_cstr(b), schema, out, u, e);
    buf_release(b);
    json_decref(schema);
    return rc;
}

static json_t *str_schema(int max)
{
    return json_pack("{s:s, s:i}", "type", "string", "maxLength", max);
}

static json_t *str_array(int max_items, int max_len)
{
    return json_pack("{s:s, s:i, s:o}", "type", "array", "maxItems", max_items, "items",
                     str_schema(max_len));
}

int llm_queries(struct llm *l, const struct upstream_cache *cache, const struct request *req,
                struct llm_usage *u, json_t **out, struct err *e)
{
    json_t *schema = json_pack(
        "{s:s, s:{s:{s:s, s:i, s:i, s:{s:s, s:{s:o, s:{s:s, s:[s,s,s,s]}}, s:[s,s], s:b}}}, "
        "s:[s], s:b}",
        "type", "object", "properties", "queries", "type", "array", "minItems", 1, "maxItems", 8,
        "items", "type", "object", "properties", "query", str_schema(200), "strategy", "type",
        "string", "enum", "industry", "pain", "signal", "location", "required", "query", "strategy",
        "additionalProperties", 0, "required", "queries", "additionalProperties", 0);
    struct buf b;
    buf_init(&b, 0);
    int rc = put_context(&b, &req->ctx);
    if (*req->user_search_query)
        rc |= buf_printf(&b, "The user's own search: %s\n", req->user_search_query);
    rc |=
        buf_puts(&b, "\nWrite 4 to 6 web search queries that find the websites of companies that "
                     "could buy from us, each of a different strategy: industry (the ideal "
                     "customer's kind of company), pain (a pain point in the customer's own "
                     "words), signal (a buying signal: hiring, migrating, replacing a tool), "
                     "location (customers in our market). Queries must find company websites, not "
                     "articles, directories or our competitors. Keep each under 12 words.");
    (void)rc;
    json_t *v;
    if ((rc = ask(l, cache, "business_context_to_query_agent", schema, &b, &v, u, e)))
        return rc;
    *out = json_incref(json_object_get(v, "queries"));
    json_decref(v);
    return 0;
}

/* The quick qualification's schema and prompt (into b). */
static json_t *qualify_prompt(const struct business_context *bc, const char *url, const char *title,
                              const char *snippet, struct buf *b)
{
    buf_init(b, 0);
    int rc = put_context(b, bc);
    rc |= buf_printf(b,
                     "\nA search result:\nURL: %s\nTitle: %s\nSnippet: %s\n\nFrom this alone, "
                     "how well does this company fit as our customer (fit 0 to 1)? Give the "
                     "reason in one sentence.",
                     url, title, snippet);
    (void)rc;
    return json_pack("{s:s, s:{s:{s:s, s:i, s:i}, s:o}, s:[s,s], s:b}", "type", "object",
                     "properties", "fit", "type", "number", "minimum", 0, "maximum", 1, "reason",
                     str_schema(300), "required", "fit", "reason", "additionalProperties", 0);
}

int llm_qualify(struct llm *l, const struct upstream_cache *cache,
                const struct business_context *bc, const char *url, const char *title,
                const char *snippet, struct llm_usage *u, double *fit, char **reason, struct err *e)
{
    struct buf b;
    json_t *schema = qualify_prompt(bc, url, title, snippet, &b);
    json_t *v;
    int rc = ask(l, cache, "quick_qualification", schema, &b, &v, u, e);
    if (rc)
        return rc;
    *fit = json_number_value(json_object_get(v, "fit"));
    *reason = xstrdup(json_string_value(json_object_get(v, "reason")));
    json_decref(v);
    return 0;
}

struct qualify_call {
    double *fit;
    char **reason;
    llm_done_fn done;
    void *ctx;
};

static void qualified(void *ctx, int rc, json_t *v)
{
    struct qualify_call *q = ctx;
    if (!rc) {
        *q->fit = json_number_value(json_object_get(v, "fit"));
        *q->reason = xstrdup(json_string_value(json_object_get(v, "reason")));
    }
    json_decref(v);
    q->done(q->ctx, rc);
    free(q);
}

int llm_qualify_async(struct llm *l, const struct upstream_cache *cache,
                      const struct business_context *bc, const char *url, const char *title,
                      const char *snippet, struct llm_usage *u, double *fit, char **reason,
                      struct err *e, llm_done_fn done, void *ctx)
{
    struct buf b;
    json_t *schema = qualify_prompt(bc, url, title, snippet, &b);
    struct qualify_call *q = xcalloc(1, sizeof *q);
    *q = (struct qualify_call){fit, reason, done, ctx};
    int rc = llm_json_async(l, cache, "quick_qualification", SYSTEM, buf_cstr(&b), schema, u, e,
                            qualified, q);
    buf_release(&b);
    json_decref(schema);
    if (rc)
        free(q);
    return rc;
}

static json_t *score_schema(void)
{
    return json_pack("{s:s, s:{s:{s:s, s:i, s:i}, s:{s:s, s:i, s:{s:s, s:{s:{s:s}, s:o}, s:[s,s], "
                     "s:b}}}, s:[s,s], s:b}",
                     "type", "object", "properties", "score", "type", "number", "minimum", 0,
                     "maximum", 1, "evidence", "type", "array", "maxItems", 4, "items", "type",
                     "object", "properties", "passage", "type", "integer", "quote", str_schema(400),
                     "required", "passage", "quote", "additionalProperties", 0, "required", "score",
                     "evidence", "additionalProperties", 0);
}

static const char *const dims[] = {"pain_alignment", "buying_intent", "urgency", "icp_fit"};

/* The page text a passage belongs to, for the verbatim check. */
static const char *page_text(const struct extract_lead *lead, const char *url)
{
    for (size_t i = 0; i < lead->pages.n && i < lead->page_texts.n; i++)
        if (strcmp(lead->pages.v[i], url) == 0)
            return lead->page_texts.v[i];
    return NULL;
}

/* Applies one score of the answer to s: its verbatim quotes, else the lower
 * of the two values (a rise needs evidence). Returns the quotes dropped. */
static int apply_score(json_t *a, const char *dim, const struct enrich_passages *ps,
                       const size_t *idx, size_t nidx, const struct extract_lead *lead,
                       struct enrich_score *s)
{
    json_t *o = json_object_get(a, dim);
    double v = json_number_value(json_object_get(o, "score"));
    int dropped = 0, kept = 0;
    size_t i;
    json_t *ev;
    char signal[64];
    snprintf(signal, sizeof signal, "llm:%s", dim);
    json_array_foreach (json_object_get(o, "evidence"), i, ev) {
        const char *quote = json_string_value(json_object_get(ev, "quote"));
        json_int_t n = json_integer_value(json_object_get(ev, "passage"));
        const char *url = NULL;
        if (n >= 1 && (size_t)n <= nidx)
            url = ps->v[idx[n - 1]].url;
        const char *text = url ? page_text(lead, url) : NULL;
        if (!quote || strlen(quote) < 12 || !text || !strstr(text, quote)) {
            dropped++;
            continue;
        }
        enrich_evidence_put(s, quote, url, signal);
        kept++;
    }
    if (kept || v < s->value)
        s->value = v;
    return dropped;
}

/* A lead's analysis: the passages it quotes from, the schema, the prompt. */
struct analysis {
    struct enrich_passages ps;
    size_t idx[ANALYSE_PASSAGES], nidx;
    json_t *schema;
    struct buf prompt;
};

static int analysis_init(struct analysis *an, const struct business_context *bc,
                         const struct enrich_context *ec, const struct extract_lead *lead,
                         struct err *e)
{
    enrich_split(lead, &an->ps);
    an->nidx = enrich_retrieve(ec, &an->ps, ANALYSE_PASSAGES, an->idx);
    if (!an->nidx) {
        enrich_passages_release(&an->ps);
        return err_set(e, CORE_ENOTFOUND, "the lead has no text to analyse");
    }
    an->schema = json_pack(
        "{s:s, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}, s:[s,s,s,s,s,s,s,s,s], s:b}",
        "type", "object", "properties", "sector", str_schema(120), "services", str_array(8, 120),
        "challenges", str_array(6, 200), "pain_alignment", score_schema(), "buying_intent",
        score_schema(), "urgency", score_schema(), "icp_fit", score_schema(), "insights",
        str_array(5, 300), "summary", str_schema(300), "required", "sector", "services",
        "challenges", "pain_alignment", "buying_intent", "urgency", "icp_fit", "insights",
        "summary", "additionalProperties", 0);
    struct buf *b = &an->prompt;
    buf_init(b, 0);
    int rc = put_context(b, bc);
    rc |= buf_printf(b, "\nThe company %s (%s). Passages from its website:\n",
                     lead->company_name.value ? lead->company_name.value : lead->site,
                     lead->website ? lead->website : lead->site);
    for (size_t i = 0; i < an->nidx; i++) {
        const struct enrich_passage *p = &an->ps.v[an->idx[i]];
        rc |= buf_printf(b, "[%zu] (%s) %.*s\n", i + 1, p->url, (int)(p->end - p->start),
                         p->text + p->start);
    }
    rc |= buf_puts(
        b, "\nScore this company as our customer, each score from 0 to 1: pain_alignment (it "
           "has the pains we solve), buying_intent (it is looking for, hiring for or evaluating "
           "what we sell), urgency (deadlines, growth, recent change), icp_fit (it is our ideal "
           "customer). Back every score with evidence: the passage number and a quote copied "
           "exactly, character for character, from that passage. A score you cannot back must "
           "be low. Name its sector, services and challenges, 2 to 5 insights a salesperson "
           "can act on, and a one-line summary.");
    (void)rc;
    return 0;
}

static void analysis_release(struct analysis *an)
{
    enrich_passages_release(&an->ps);
    json_decref(an->schema);
    buf_release(&an->prompt);
}

/* Files the answer a into r: scores backed by verbatim quotes, insights,
 * the analysis and the summary. Returns the quotes dropped. */
static int analysis_apply(struct analysis *an, json_t *a, const struct enrich_context *ec,
                          const struct extract_lead *lead, struct enrich_result *r)
{
    int dropped = 0;
    struct enrich_score *scores[] = {&r->pain, &r->intent, &r->urgency, &r->icp};
    for (size_t d = 0; d < 4; d++)
        dropped += apply_score(a, dims[d], &an->ps, an->idx, an->nidx, lead, scores[d]);
    enrich_rescore(ec, r);
    json_t *ins = json_object_get(a, "insights");
    if (json_array_size(ins)) {
        for (size_t i = 0; i < r->ninsights; i++)
            free(r->insights[i]);
        free(r->insights);
        r->ninsights = 0;
        r->insights = xcalloc(json_array_size(ins), sizeof *r->insights);
        size_t i;
        json_t *x;
        json_array_foreach (ins, i, x)
            r->insights[r->ninsights++] = xstrdup(json_string_value(x));
    }
    json_decref(r->analysis);
    r->analysis = json_pack("{s:O, s:O, s:O, s:s}", "sector", json_object_get(a, "sector"),
                            "services", json_object_get(a, "services"), "challenges",
                            json_object_get(a, "challenges"), "source", "llm");
    free(r->summary);
    r->summary = xstrdup(json_string_value(json_object_get(a, "summary")));
    return dropped;
}

int llm_analyse(struct llm *l, const struct upstream_cache *cache,
                const struct business_context *bc, const struct enrich_context *ec,
                const struct extract_lead *lead, struct llm_usage *u, struct enrich_result *r,
                int *dropped, struct err *e)
{
    *dropped = 0;
    struct analysis an;
    int rc = analysis_init(&an, bc, ec, lead, e);
    if (rc)
        return rc;
    json_t *a = NULL;
    rc = llm_json(l, cache, "lead_analysis", SYSTEM, buf_cstr(&an.prompt), an.schema, &a, u, e);
    if (!rc)
        *dropped = analysis_apply(&an, a, ec, lead, r);
    json_decref(a);
    analysis_release(&an);
    return rc;
}

struct analyse_call {
    struct analysis an;
    const struct enrich_context *ec;
    const struct extract_lead *lead;
    struct enrich_result *r;
    int *dropped;
    llm_done_fn done;
    void *ctx;
};

static void analysed(void *ctx, int rc, json_t *a)
{
    struct analyse_call *c = ctx;
    if (!rc)
        *c->dropped = analysis_apply(&c->an, a, c->ec, c->lead, c->r);
    json_decref(a);
    analysis_release(&c->an);
    c->done(c->ctx, rc);
    free(c);
}

int llm_analyse_async(struct llm *l, const struct upstream_cache *cache,
                      const struct business_context *bc, const struct enrich_context *ec,
                      const struct extract_lead *lead, struct llm_usage *u, struct enrich_result *r,
                      int *dropped, struct err *e, llm_done_fn done, void *ctx)
{
    *dropped = 0;
    struct analyse_call *c = xcalloc(1, sizeof *c);
    int rc = analysis_init(&c->an, bc, ec, lead, e);
    if (rc) {
        free(c);
        return rc;
    }
    c->ec = ec;
    c->lead = lead;
    c->r = r;
    c->dropped = dropped;
    c->done = done;
    c->ctx = ctx;
    rc = llm_json_async(l, cache, "lead_analysis", SYSTEM, buf_cstr(&c->an.prompt), c->an.schema, u,
                        e, analysed, c);
    if (rc) {
        analysis_release(&c->an);
        free(c);
    }
    return rc;
}
