/* run.c: the job state machine of pipeline.h.
 *
 * intake -> queries (an LLM's, else keywords) -> search (a round of every
 * query, at once on web providers) -> sites, best first by reciprocal-rank
 * fusion, read side by side (site.c: from the web through the process's
 * engine, or the corpus for the local provider; the provider's own reading
 * when a fetch fails; the search snippet when nothing can be read) ->
 * extract -> lead -> enrich (the heuristic scores every lead; the LLM is
 * asked where it can change the outcome) -> emitted at once, until
 * max_leads_to_generate qualified leads exist, the candidates run out (a
 * deeper search is tried once), a budget is spent, or the job is cancelled.
 *
 * Same input, same leads: sites are read at once, but what each came to is
 * applied in the sites' order (a lead emitted, kept in reserve, skipped),
 * so the leads and their order never depend on which site answered first.
 *
 * A job holds one thread, its own: the sites' steps run on the process's
 * pools and their fetches on the engine, so jobs add no threads.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "corpus/corpus.h"
#include "engine/pool.h"
#include "net/url.h"
#include "pipeline/pipeline_int.h"
#include "query/query.h"

#define MAX_SEARCH_CALLS 16 /* queries of a round in flight at once */
#define CONTEXT_RESULTS 5   /* a context's search: places per query's results */

/* ---- stop conditions ---- */

int64_t pipeline__llm_tokens(const struct job *j)
{
    return __atomic_load_n(&j->usage.tokens_in, __ATOMIC_RELAXED) +
           __atomic_load_n(&j->usage.tokens_out, __ATOMIC_RELAXED);
}

/* With j->lock held. */
bool pipeline__stop_locked(struct job *j)
{
    const struct pipeline_budget *b = &j->opt->budget;
    if (j->stopped_by)
        return true;
    if (j->opt->cancel && *j->opt->cancel)
        j->stopped_by = "cancelled";
    else if (b->seconds && clock_mono_ms() - j->started_mono > b->seconds * 1000)
        j->stopped_by = "time_budget";
    else if (b->fetches && j->fetches >= b->fetches)
        j->stopped_by = "fetch_budget";
    else if (b->llm_tokens && pipeline__llm_tokens(j) >= b->llm_tokens)
        j->stopped_by = "llm_token_budget";
    if (j->stopped_by && j->fetcher) /* its transfers stop now, not when they end */
        fetch_cancel(j->fetcher);
    return j->stopped_by != NULL;
}

bool pipeline__should_stop(struct job *j)
{
    pthread_mutex_lock(&j->lock);
    bool stop = pipeline__stop_locked(j);
    pthread_mutex_unlock(&j->lock);
    return stop;
}

bool pipeline__cancelled(const struct job *j)
{
    return j->opt->cancel && *j->opt->cancel;
}

/* Whether the job searches the web (else the corpus, or no provider at all). */
bool pipeline__web(const struct job *j)
{
    return j->search && search_is_web(j->search);
}

/* ---- search ---- */

static struct site *site_of(struct job *j, const char *site)
{
    for (size_t i = 0; i < j->nsites; i++)
        if (strcmp(j->sites[i].site, site) == 0)
            return &j->sites[i];
    return NULL;
}

static int cmp_site(const void *a, const void *b)
{
    const struct site *x = a, *y = b;
    if (x->rrf != y->rrf)
        return x->rrf > y->rrf ? -1 : 1;
    if (x->votes != y->votes)
        return x->votes > y->votes ? -1 : 1;
    return strcmp(x->site, y->site);
}

/* A round's queries in flight (on the engine, no thread waits for them),
 * and the count of those still running. */
struct round {
    pthread_mutex_t lock;
    pthread_cond_t done;
    size_t left;
};

/* One query of a round (or, for a provider of contexts, the context). */
struct one_search {
    struct round *round;
    const char *query; /* NULL: the business context */
    struct search_results r;
    struct err e;
    int rc;
};

static void searched(void *arg, int rc)
{
    struct one_search *o = arg;
    o->rc = rc;
    pthread_mutex_lock(&o->round->lock);
    if (--o->round->left == 0)
        pthread_cond_signal(&o->round->done);
    pthread_mutex_unlock(&o->round->lock);
}

/* A new candidate at the end of the list, with room for two more pages. */
static struct site *add_site(struct job *j, const char *site, const char *url, const char *title,
                             const char *snippet)
{
    if (j->nsites == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 64;
        j->sites = xrealloc(j->sites, j->cap * sizeof *j->sites);
    }
    struct site *s = &j->sites[j->nsites++];
    memset(s, 0, sizeof *s);
    s->site = xstrdup(site);
    s->url = xstrdup(url);
    s->title = xstrdup(title ? title : "");
    s->snippet = xstrdup(snippet ? snippet : "");
    s->more = xcalloc(3, sizeof *s->more);
    return s;
}

/* The candidates, in their order, as a status_update carries them: a job
 * resumed after a restart reads them again instead of searching. */
static json_t *sites_json(const struct job *j)
{
    json_t *a = json_array();
    for (size_t i = 0; i < j->nsites; i++) {
        const struct site *s = &j->sites[i];
        json_t *more = json_array();
        for (size_t m = 0; m < s->nmore; m++)
            json_array_append_new(more, json_string(s->more[m]));
        json_t *x = json_pack("{s:s, s:s, s:s, s:s, s:o}", "site", s->site, "url", s->url, "title",
                              s->title, "snippet", s->snippet, "more", more);
        if (s->providers)
            json_object_set_new(x, "providers", json_string(s->providers));
        if (s->attribution)
            json_object_set_new(x, "attribution", json_string(s->attribution));
        if (s->no_site)
            json_object_set_new(x, "no_site", json_true());
        if (s->naics[0])
            json_object_set_new(x, "naics", json_string(s->naics));
        json_array_append_new(a, x);
    }
    return a;
}

/* The candidates a resumed job stored before its restart, those it does
 * not have yet, in their order. Returns how many joined. */
static int restore_sites(struct job *j)
{
    int added = 0;
    size_t i;
    json_t *x;
    json_array_foreach (j->stored_sites, i, x) {
        const char *site = json_string_value(json_object_get(x, "site"));
        const char *url = json_string_value(json_object_get(x, "url"));
        if (!site || !url || site_of(j, site))
            continue;
        struct site *s = add_site(j, site, url, json_string_value(json_object_get(x, "title")),
                                  json_string_value(json_object_get(x, "snippet")));
        const char *by = json_string_value(json_object_get(x, "providers"));
        s->providers = by ? xstrdup(by) : NULL;
        s->attribution =
            json_is_string(json_object_get(x, "attribution")) ? SEARCH_OSM_ATTRIBUTION : NULL;
        s->no_site = json_is_true(json_object_get(x, "no_site"));
        const char *code = json_string_value(json_object_get(x, "naics"));
        snprintf(s->naics, sizeof s->naics, "%s", code && strlen(code) == 6 ? code : "");
        size_t m;
        json_t *u;
        json_array_foreach (json_object_get(x, "more"), m, u)
            if (json_is_string(u) && s->nmore < 2)
                s->more[s->nmore++] = xstrdup(json_string_value(u));
        s->best_rank = (int)i + 1;
        added++;
    }
    return added;
}

/* Adds the comma list by to s's providers, each name once. */
static void add_providers(struct site *s, const char *by)
{
    for (const char *p = by; *p;) {
        size_t k = strcspn(p, ",");
        bool have = false;
        for (const char *q = s->providers; q && *q && !have;) {
            size_t m = strcspn(q, ",");
            have = m == k && strncmp(p, q, k) == 0;
            q += m + (q[m] == ',');
        }
        if (!have) {
            char *joined = s->providers ? xasprintf("%s,%.*s", s->providers, (int)k, p)
                                        : xasprintf("%.*s", (int)k, p);
            free(s->providers);
            s->providers = joined;
        }
        p += k + (p[k] == ',');
    }
}

/* Files a query's results: new sites join the candidates; a site seen
 * before and not started yet moves up by its fused rank. */
static int merge(struct job *j, const struct search_results *r)
{
    int added = 0;
    for (size_t k = 0; k < r->n; k++) {
        const struct search_result *x = &r->v[k];
        struct site *s = site_of(j, x->site);
        /* Sites go by their best rank in any query, so that every kind of
         * customer gets its best sites read first; a page that every query
         * finds (a directory of all trades) gains only on ties. */
        double rrf = 1.0 / (60.0 + (double)k + 1.0);
        const char *by = x->providers ? x->providers : search_provider_name(j->search);
        if (s) {
            add_providers(s, by); /* found again, perhaps by another provider */
            if (!s->attribution)
                s->attribution = x->attribution;
            if (s - j->sites >= (ptrdiff_t)j->next) {
                s->votes += rrf < s->rrf ? rrf : s->rrf;
                if (rrf > s->rrf)
                    s->rrf = rrf;
            }
            continue;
        }
        s = add_site(j, x->site, x->url, x->title, x->snippet);
        s->content = x->content ? xstrdup(x->content) : NULL;
        add_providers(s, by);
        s->attribution = x->attribution;
        s->no_site = x->no_site;
        memcpy(s->naics, x->naics, sizeof s->naics);
        s->rrf = rrf;
        s->best_rank = (int)k + 1;
        for (size_t m = 0; m < x->nmore && m < 2; m++)
            s->more[s->nmore++] = xstrdup(x->more[m]);
        added++;
    }
    return added;
}

/* Runs every query with limit results each (at once on a web provider, in
 * turn on the local one, whose store is one connection, on this thread). Returns the new
 * sites, or -1 when every query failed. Called with no site being read. */
static int search_round(struct job *j, const struct query_list *q, size_t limit)
{
    int64_t t0 = clock_mono_ms();
    /* a context's places are asked again, for more, only when the last
     * answer was full */
    bool context = search_takes_context(j->search) && !j->context_spent;
    size_t n = (search_takes_queries(j->search) ? q->n : 0) + context;
    if (j->search_calls + (int64_t)n > j->opt->budget.search_calls) {
        n = j->opt->budget.search_calls > j->search_calls
                ? (size_t)(j->opt->budget.search_calls - j->search_calls)
                : 0;
        j->stopped_by = "search_budget";
    }
    if (n > MAX_SEARCH_CALLS)
        n = MAX_SEARCH_CALLS;
    struct one_search *o = xcalloc(n ? n : 1, sizeof *o);
    struct round round = {.left = n};
    pthread_mutex_init(&round.lock, NULL);
    pthread_cond_init(&round.done, NULL);
    for (size_t i = 0; i < n; i++) {
        /* the context first: its places are the kinds asked for, in the place */
        bool ctx = context && i == 0;
        o[i] = (struct one_search){.round = &round, .query = ctx ? NULL : q->v[i - context].text};
        int rc =
            ctx ? search_context_async(j->search, &j->req->ctx, limit * CONTEXT_RESULTS, &o[i].r,
                                       &o[i].e, searched, &o[i])
                : search_run_async(j->search, o[i].query, limit, &o[i].r, &o[i].e, searched, &o[i]);
        if (rc) /* refused at once: no callback comes */
            searched(&o[i], rc);
    }
    pthread_mutex_lock(&round.lock);
    while (round.left > 0)
        pthread_cond_wait(&round.done, &round.lock);
    pthread_mutex_unlock(&round.lock);
    pthread_cond_destroy(&round.done);
    pthread_mutex_destroy(&round.lock);
    j->search_calls += (int64_t)n;
    int added = 0, failures = 0;
    for (size_t i = 0; i < n; i++) {
        const char *asked = o[i].query ? o[i].query : "the kinds of customer in the place";
        if (o[i].rc) {
            failures++;
            log_warn("search failed", LOG_S("query", asked), LOG_S("error", o[i].e.msg));
            char what[400];
            snprintf(what, sizeof what, "Search for %s%s%s failed (%s)", o[i].query ? "\"" : "",
                     asked, o[i].query ? "\"" : "", o[i].e.msg);
            pipeline__degrade(j, "search", what, "going on with the other queries");
            continue;
        }
        if (!o[i].query && o[i].r.n < limit * CONTEXT_RESULTS)
            j->context_spent = true; /* all there is: a deeper round would ask the same */
        if (o[i].r.note) {
            char what[600];
            snprintf(what, sizeof what, "A search provider failed (%s)", o[i].r.note);
            pipeline__degrade(j, "search", what, "going on with the others' answers");
        }
        added += merge(j, &o[i].r);
        search_results_release(&o[i].r);
    }
    free(o);
    if (j->nsites > j->next)
        qsort(j->sites + j->next, j->nsites - j->next, sizeof *j->sites, cmp_site);
    j->stage_ms[ST_SEARCH] += clock_mono_ms() - t0;
    if (n && (size_t)failures == n)
        return -1;
    return added;
}
/* Dense similarity for retrieval (enrich_dense_fn): cosine of the query's
 * embedding with each passage's. A failure leaves retrieval lexical and is
 * announced once. */
static int dense(void *ctx, const char *query, const char *const *passages, size_t n, double *sims)
{
    struct job *j = ctx;
    if (!n || pipeline__should_stop(j))
        return -1;
    float *q = NULL, *p = NULL;
    size_t dq = 0, dp = 0;
    struct err e = {0};
    int rc = llm_embed(j->llm, &j->cache, &query, 1, true, &q, &dq, &j->usage, &e);
    if (!rc)
        rc = llm_embed(j->llm, &j->cache, passages, n, false, &p, &dp, &j->usage, &e);
    if (!rc && dq != dp)
        rc = err_set(&e, CORE_EPARSE, "embeddings of %zu and %zu dimensions", dq, dp);
    for (size_t i = 0; i < n && !rc; i++) {
        double dot = 0;
        for (size_t k = 0; k < dq; k++)
            dot += (double)q[k] * (double)p[i * dq + k];
        sims[i] = dot > 0 ? dot : 0;
    }
    free(q);
    free(p);
    if (rc && !__atomic_exchange_n(&j->dense_failed, true, __ATOMIC_RELAXED)) {
        char what[400];
        snprintf(what, sizeof what, "Embeddings failed (%s)", e.msg);
        pipeline__degrade(j, "enrich", what, "retrieving passages by words alone");
    }
    return rc ? -1 : 0;
}

/* ---- the sites ---- */

/* Sites read ahead of the last one applied: enough to replace those that
 * will not make it, not so many that the job reads far more sites than it
 * needs. */
static bool room_for_site(const struct job *j)
{
    size_t need = (size_t)(j->want - j->leads);
    return j->next - j->committed < 2 * need + 2;
}

/* Reads the candidates, up to PROSPECT_SITE_CONCURRENCY at once, until
 * enough leads exist, a stop condition holds or the candidates run out;
 * returns when no site is being read. */
static void run_sites(struct job *j)
{
    size_t limit = (size_t)j->opt->cfg->site_concurrency;
    if (!pipeline__web(j) && !j->given && limit > 4)
        limit = 4; /* corpus reads share one store connection: a few suffice */
    pthread_mutex_lock(&j->lock);
    for (;;) {
        while (!pipeline__stop_locked(j) && j->leads < j->want && j->next < j->nsites &&
               j->reading < limit && room_for_site(j)) {
            struct site *s = &j->sites[j->next++];
            j->reading++;
            pthread_mutex_unlock(&j->lock);
            pipeline__read_site(j, s);
            pthread_mutex_lock(&j->lock);
        }
        if (j->reading == 0)
            break;
        pthread_cond_wait(&j->site_done, &j->lock);
    }
    pthread_mutex_unlock(&j->lock);
}

/* ---- the job ---- */

void pipeline_budget_from_config(const struct config *cfg, struct pipeline_budget *out)
{
    out->search_calls = cfg->budget_search_calls;
    out->fetches = cfg->budget_fetches;
    out->seconds = cfg->budget_seconds;
    out->llm_tokens = cfg->budget_llm_tokens;
}

#define SAMPLE_NOTICE                                                                              \
    "These companies are fictional: their sites are on the reserved .example domain, as in the "   \
    "sample corpus bundled with Prospect. For real leads, set TAVILY_API_KEY or SEARXNG_URL, or "  \
    "index your own pages or WARC files with `prospect index`."

/* Says once, when the local corpus answered with sites on .example (a name
 * no real company can hold, RFC 2606), that the leads are fictional. A
 * resumed job said it before its restart. */
static void sample_notice(struct job *j)
{
    if (j->sample_said || pipeline__web(j) || j->stored_queries)
        return;
    for (size_t i = 0; i < j->nsites && !j->sample_said; i++) {
        size_t n = strlen(j->sites[i].site);
        j->sample_said = n > 8 && strcmp(j->sites[i].site + n - 8, ".example") == 0;
    }
    if (j->sample_said)
        pipeline__status(j, "search", 0.12, json_pack("{s:b}", "sample_corpus", 1), "%s",
                         SAMPLE_NOTICE);
}

/* The search provider; a forced one that cannot open falls back to the
 * local corpus, said as such. */
static int open_search(struct job *j)
{
    struct err e = {0};
    if (search_open(j->opt->cfg, j->opt->store, &j->cache, &j->search, &e)) {
        pipeline__degrade(j, "search", e.msg, "searching the local corpus instead");
        search_local_open(j->opt->store, &j->search);
    }
    if (search_is_web(j->search))
        return 0;
    bool indexed = false;
    int64_t docs = 0, sites = 0;
    if (store_corpus_stats(j->opt->store, &docs, &sites, &e) == 0 && docs == 0) {
        pipeline__status(j, "search", 0.08, NULL,
                         "The local corpus is empty: indexing the bundled sample corpus");
        if (corpus_ensure_sample(j->opt->store, NULL, &indexed, &e))
            return CORE_ENOTFOUND;
    }
    return 0;
}

/* Appends the {query, strategy} objects of a (an LLM's or a stored list). */
static void add_queries(struct query_list *q, json_t *a)
{
    q->v = xrealloc(q->v, (q->n + json_array_size(a) + 1) * sizeof *q->v);
    size_t i;
    json_t *x;
    json_array_foreach (a, i, x) {
        const char *text = json_string_value(json_object_get(x, "query"));
        const char *st = json_string_value(json_object_get(x, "strategy"));
        if (!text || !*text)
            continue;
        q->v[q->n++] = (struct query){xstrdup(text), query_strategy_of(st, QUERY_INDUSTRY)};
    }
}

/* The queries: the LLM's with the user's own first, else keywords. */
static void make_queries(struct job *j, struct query_list *q)
{
    int64_t t0 = clock_mono_ms();
    if (j->stored_queries) {
        *q = (struct query_list){0};
        add_queries(q, j->stored_queries);
        j->queries = query_list_to_json(q);
        pipeline__status(j, "queries", 0.05, json_pack("{s:s}", "method", "resumed"),
                         "Reusing the %zu search queries made before the restart", q->n);
        return;
    }
    query_generate(j->req, 0, pipeline__web(j), q);
    const char *method = "keywords";
    json_t *lq = NULL;
    struct err e = {0};
    if (llm_reads(j->llm) && !j->policy_none) {
        if (llm_queries(j->llm, &j->cache, j->req, &j->usage, &lq, &e) == 0) {
            /* Keep the user's own queries; the LLM's replace the rest. */
            size_t keep = 0;
            for (size_t i = 0; i < q->n; i++) {
                if (q->v[i].strategy == QUERY_USER || q->v[i].strategy == QUERY_COMBINED)
                    q->v[keep++] = q->v[i];
                else
                    free(q->v[i].text);
            }
            q->n = keep;
            add_queries(q, lq);
            json_decref(lq);
            method = "llm";
        } else {
            char what[400];
            snprintf(what, sizeof what, "Query generation by the LLM failed (%s)", e.msg);
            pipeline__degrade(j, "queries", what, "using keyword queries");
        }
    }
    j->queries = query_list_to_json(q);
    j->stage_ms[ST_QUERIES] = clock_mono_ms() - t0;
    json_t *qextra = json_pack("{s:O, s:s, s:s}", "queries", j->queries, "agent_name",
                               EVENT_AGENT_QUERY, "method", method);
    pipeline__status(j, "queries", 0.05, qextra, "Generated %zu search queries", q->n);
}

/* What every job starts with; job_end undoes it. */
static void job_start(struct job *j, const struct request *req, const struct pipeline_options *opt)
{
    *j = (struct job){.req = req, .opt = opt, .want = req->ctx.max_leads_to_generate};
    pthread_mutex_init(&j->lock, NULL);
    pthread_mutex_init(&j->ev_lock, NULL);
    pthread_mutex_init(&j->store_lock, NULL);
    pthread_cond_init(&j->site_done, NULL);
    if (opt->cfg->cache_ttl_s > 0)
        j->cache = (struct upstream_cache){opt->store, &j->store_lock};
    j->started_mono = clock_mono_ms();
    j->degradations = json_array();
    j->now_ms = opt->now_ms ? opt->now_ms : clock_now_ms();
    j->policy_all = strcmp(opt->cfg->llm_policy, "all") == 0;
    j->policy_none = strcmp(opt->cfg->llm_policy, "none") == 0;
    struct fetch_options fo;
    fetch_options_from_config(opt->cfg, &fo);
    fo.cancel = opt->cancel;
    j->fetcher = fetch_new(&fo);
    pipeline__exclusions_init(j);
    pool_configure((size_t)opt->cfg->call_threads);
    extract_init(); /* before the sites are parsed at once */
}

/* The analyst of a job: the LLM's (else the heuristic's), and the scoring
 * context. */
static void job_analyst(struct job *j)
{
    struct err e = {0};
    if (llm_open(j->opt->cfg, &j->llm, &e))
        pipeline__degrade(j, "intake", e.msg, "using the heuristic analyst");
    const struct config *cfg = j->opt->cfg;
    struct enrich_weights w = {(double)cfg->weight_pain, (double)cfg->weight_intent,
                               (double)cfg->weight_urgency, (double)cfg->weight_icp,
                               (double)cfg->qualify_threshold / 100.0};
    j->ec = enrich_context_new(&j->req->ctx, &w, j->now_ms);
    if (llm_embeds(j->llm) && !j->policy_none)
        enrich_context_set_dense(j->ec, dense, j);
}

static void job_end(struct job *j)
{
    fetch_free(j->fetcher);
    pipeline__exclusions_release(j);
    enrich_context_free(j->ec);
    search_provider_free(j->search);
    llm_free(j->llm);
    for (size_t i = 0; i < j->nsites; i++) {
        struct site *s = &j->sites[i];
        free(s->site);
        free(s->url);
        free(s->title);
        free(s->snippet);
        free(s->content);
        free(s->providers);
        json_decref(s->email_checks);
        for (size_t m = 0; m < s->nmore; m++)
            free(s->more[m]);
        free(s->more);
        if (s->out.v == V_LEAD) { /* read, never applied */
            extract_lead_release(&s->out.lead);
            enrich_result_release(&s->out.r);
        }
    }
    free(j->sites);
    for (size_t i = 0; i < j->nreserves; i++) {
        extract_lead_release(&j->reserves[i].lead);
        enrich_result_release(&j->reserves[i].r);
    }
    free(j->reserves);
    json_decref(j->degradations);
    json_decref(j->queries);
    json_decref(j->stored_queries);
    json_decref(j->stored_sites);
    for (size_t i = 0; i < j->nresumed; i++)
        free(j->resumed_ids[i]);
    free(j->resumed_ids);
    free(j->resumed_stage);
    pthread_mutex_destroy(&j->lock);
    pthread_mutex_destroy(&j->ev_lock);
    pthread_mutex_destroy(&j->store_lock);
    pthread_cond_destroy(&j->site_done);
}

/* The request's companies as the job's sites, in their order; a company
 * named again is read once, and its later rows say so. */
static void given_sites(struct job *j)
{
    const struct strlist *c = &j->req->companies;
    for (size_t i = 0; i < c->n; i++) {
        char why[160];
        char *url = request_target_url(c->v[i], why, sizeof why); /* checked by request_parse */
        char *site = url ? url_site(url) : NULL;
        if (!site && url)
            site = url_host(url); /* an address, or a name with no registrable domain */
        struct site *s = add_site(j, site ? site : c->v[i], url ? url : c->v[i], "", "");
        s->best_rank = (int)i + 1;
        for (size_t k = 0; k + 1 < j->nsites && !s->dup_of; k++)
            if (strcmp(j->sites[k].site, s->site) == 0)
                s->dup_of = k + 1;
        free(url);
        free(site);
    }
}

/* A job of the request's companies: each read, scored and given its row
 * in the order given; no search. The rows a stop left unread are given
 * with why (a cancel ends the job where it is). */
static void run_given(struct job *j)
{
    j->given = true;
    j->want = (int)j->req->companies.n;
    /* a web provider reads a page whose fetch fails, as in a search; with
     * none, the corpus answers for the sites it holds (the sample corpus
     * on a fresh machine), the web for the others */
    open_search(j);
    if (!pipeline__web(j)) {
        search_provider_free(j->search);
        j->search = NULL;
    }
    given_sites(j);
    j->queries = json_array(); /* none: the summary says so */
    size_t dups = 0;
    for (size_t i = 0; i < j->nsites; i++)
        dups += j->sites[i].dup_of != 0;
    pipeline__status(j, "fetch", 0.1,
                     json_pack("{s:i, s:i}", "companies", j->want, "repeated", (int)dups),
                     "Enriching %d compan%s in the order given%s", j->want,
                     j->want == 1 ? "y" : "ies", dups ? " (some named more than once)" : "");
    run_sites(j);
    if (pipeline__cancelled(j))
        return;
    for (size_t i = j->next; i < j->nsites; i++) {
        struct site *s = &j->sites[i];
        if (pipeline__site_stage(j, s)) /* a resumed lead: ended below */
            continue;
        struct outcome o = {.v = V_SKIP, .fail_type = "stopped"};
        snprintf(o.why, sizeof o.why, "not read: the job stopped (%s)",
                 j->stopped_by ? j->stopped_by : "stopped");
        pipeline__emit_failed(j, s, &o);
    }
}

int pipeline_run(const struct request *req, const struct pipeline_options *opt)
{
    struct job j;
    job_start(&j, req, opt);
    const struct business_context *bc = &req->ctx;
    int want = req->companies.n ? (int)req->companies.n : bc->max_leads_to_generate;
    int rc = 0;

    struct event_head h = pipeline__head(&j);
    char given[64];
    snprintf(given, sizeof given, "Enrich %d compan%s", want, want == 1 ? "y" : "ies");
    const char *initial = req->companies.n            ? given
                          : *req->user_search_query   ? req->user_search_query
                          : *bc->business_description ? bc->business_description
                                                      : bc->ideal_customer;
    if (opt->resume && pipeline__load_resumed(&j)) {
        pipeline__status(&j, "intake", 0.02,
                         json_pack("{s:b, s:i}", "resumed", 1, "leads_kept", j.leads),
                         "Resumed after a restart: %d lead%s kept, continuing after event %lld",
                         j.leads, j.leads == 1 ? "" : "s", (long long)j.seq);
    } else {
        pipeline__emit(&j, EVENT_PIPELINE_START, event_pipeline_start(&h, initial, want));
        if (req->companies.n)
            pipeline__status(&j, "intake", 0.02, NULL, "Request accepted: %d compan%s to enrich",
                             want, want == 1 ? "y" : "ies");
        else
            pipeline__status(&j, "intake", 0.02, NULL, "Request accepted: up to %d leads", want);
    }

    job_analyst(&j);
    struct query_list q = {0};
    const char *error_type = NULL, *error_stage = NULL;
    char error_msg[512] = "";
    if (req->companies.n) {
        run_given(&j);
        goto ended;
    }
    /* the provider first: a web search is asked for kinds in a place */
    int search_rc = open_search(&j);
    make_queries(&j, &q);
    if (search_rc) {
        error_type = "search_unavailable";
        error_stage = "search";
        snprintf(error_msg, sizeof error_msg,
                 "No search provider is usable: the local corpus is empty and the sample corpus "
                 "is missing. Index pages with `prospect index`, or configure TAVILY_API_KEY or "
                 "SEARXNG_URL.");
        rc = CORE_ENOTFOUND;
        goto end;
    }

    /* Search, then sites best first; one deeper search when short. */
    for (int round = 0; round < 2 && j.leads < want && !pipeline__should_stop(&j); round++) {
        size_t limit = round == 0 ? RESULTS_PER_QUERY : RESULTS_PER_QUERY * 2;
        if (round == 1)
            pipeline__status(&j, "search", pipeline__progress(&j), NULL,
                             "Found %d of %d leads; searching deeper (%zu results per query)",
                             j.leads, want, limit);
        if (round < j.stored_rounds) { /* searched before the restart */
            int added = restore_sites(&j);
            pipeline__status(
                &j, "search", 0.12,
                json_pack("{s:i, s:i}", "candidates", (int)(j.nsites - j.next), "new_sites", added),
                "Reusing the %d candidate site%s found before the restart", added,
                added == 1 ? "" : "s");
            run_sites(&j);
            continue;
        }
        int added = search_round(&j, &q, limit);
        if (added < 0 && round == 0) {
            error_type = "search_failed";
            error_stage = "search";
            snprintf(error_msg, sizeof error_msg,
                     "Every search query failed (%s). Check the search provider settings "
                     "(PROSPECT_SEARCH and its key or URL) and try again.",
                     search_provider_name(j.search));
            rc = CORE_EUPSTREAM;
            goto end;
        }
        json_t *found = json_pack("{s:i, s:i, s:o}", "candidates", (int)(j.nsites - j.next),
                                  "new_sites", added > 0 ? added : 0, "sites", sites_json(&j));
        for (size_t i = j.next; i < j.nsites; i++)
            if (j.sites[i].attribution) { /* the credit the data shown needs */
                json_object_set_new(found, "attribution", json_string(j.sites[i].attribution));
                break;
            }
        pipeline__status(&j, "search", 0.12, found, "Search found %d new candidate site%s",
                         added > 0 ? added : 0, added == 1 ? "" : "s");
        sample_notice(&j);
        run_sites(&j);
    }
    if (j.leads < want && j.nreserves && !pipeline__cancelled(&j))
        pipeline__add_reserves(&j);
ended:
    for (size_t i = 0; i < j.nresumed; i++) /* resumed leads this run did not reach */
        if (j.resumed_stage[i] < 3)
            pipeline__end_resumed_lead(&j, i, "its site was not found again after the restart");
    if (j.leads == 0 && !j.stopped_by && !j.given) {
        error_type = "no_results";
        error_stage = "search";
        snprintf(error_msg, sizeof error_msg,
                 "No company matching this business context was found. Broaden the ideal customer "
                 "or industries, add a search query, or index more pages with `prospect index`.");
        rc = CORE_ENOTFOUND;
        goto end;
    }
    if (j.leads < want && !j.stopped_by && !j.given)
        pipeline__status(
            &j, "end", 0.98, NULL,
            "Found %d of the %d leads asked for: the sources hold no more matching companies",
            j.leads, want);
    if (j.stopped_by)
        pipeline__status(&j, "end", 0.98, json_pack("{s:s}", "stopped_by", j.stopped_by),
                         "Stopped (%s) with %d lead%s found", j.stopped_by, j.leads,
                         j.leads == 1 ? "" : "s");

end:;
    int64_t duration = clock_mono_ms() - j.started_mono;
    h = pipeline__head(&j);
    if (error_type) {
        json_t *ev = event_pipeline_error(&h, error_msg, error_type, error_stage);
        json_object_set_new(ev, "summary", pipeline__summary(&j, duration));
        pipeline__emit(&j, EVENT_PIPELINE_ERROR, ev);
    } else {
        struct event_counts c = {j.leads, j.enriched, j.failed, duration};
        bool stopped = j.stopped_by && strcmp(j.stopped_by, "cancelled") == 0;
        pipeline__emit(&j, EVENT_PIPELINE_END,
                       event_pipeline_end(&h, !stopped, &c, pipeline__summary(&j, duration)));
        if (stopped)
            rc = CORE_ECANCELED;
    }
    query_list_release(&q);
    job_end(&j);
    return rc;
}
