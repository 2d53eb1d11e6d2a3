/* pipeline.c: the job state machine of pipeline.h.
 *
 * intake -> queries (an LLM's, else keywords) -> search (a round of every
 * query, at once on web providers) -> sites, best first by reciprocal-rank
 * fusion, handed to a pool of workers that each read one site (fetch from
 * the web, or the corpus for the local provider; the provider's own reading
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
 * Locks: j->lock guards the job's state; j->ev_lock numbers and sends
 * events (taken inside j->lock, never around it); j->store_lock guards the
 * store connection (corpus reads, the provider cache).
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
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
#include "enrich/enrich.h"
#include "extract/extract.h"
#include "fetch/fetch.h"
#include "llm/llm.h"
#include "net/url.h"
#include "pipeline/pipeline.h"
#include "query/query.h"
#include "search/search.h"

#define RESULTS_PER_QUERY 10
#define MAX_PAGES_PER_SITE 6
#define MAX_SEARCH_THREADS 16
#define BORDERLINE 0.15      /* around the threshold, the LLM may change the verdict */
#define LLM_CALL_TOKENS 1500 /* what one analysis is likely to cost, reserved before it */
#define RICH_TEXT 3000       /* bytes of text with no pain found: worth an LLM's reading */
/* A page linking to this many other sites lists companies. Real company
 * pages link out too (partners, clients, integrations): of the 181 business
 * pages of tests/realpages, 12 link to more than 8 other sites, 1 to 25 or
 * more; a directory's listing links to dozens. */
#define DIRECTORY_SITES 25
#define SAMPLE_NOTICE                                                                              \
    "These companies are fictional: their sites are on the reserved .example domain, as in the "   \
    "sample corpus bundled with Prospect. For real leads, set TAVILY_API_KEY or SEARXNG_URL, or "  \
    "index your own pages or WARC files with `prospect index`."

enum stage { ST_QUERIES, ST_SEARCH, ST_FETCH, ST_EXTRACT, ST_ENRICH, ST_N };
static const char *const stage_names[ST_N] = {"queries", "search", "fetch", "extract", "enrich"};

/* What reading a site came to, applied in the sites' order (commit). */
enum verdict {
    V_NOTHING, /* finished before a restart, or dropped */
    V_SKIP,    /* not a lead: why says so */
    V_GONE,    /* a resumed lead whose site could not be read again */
    V_LEAD,    /* a lead, scored */
};

struct outcome {
    enum verdict v;
    enum stage stage; /* of a skip: where it was decided */
    char why[256];
    struct extract_lead lead;
    struct enrich_result r;
    bool analysed, stored;
};

struct site {
    char *site, *url, *title, *snippet;
    char *content; /* the provider's reading of url, or NULL */
    char **more;
    size_t nmore;
    double rrf;   /* its best reciprocal rank over the queries */
    double votes; /* the sum of the others: more queries found it */
    int best_rank;
    bool done; /* read; its outcome waits for the sites before it */
    struct outcome out;
};

/* A lead below the qualification threshold, kept in case the sources hold
 * too few qualified ones. */
struct reserve {
    size_t site; /* index: the site array grows (and moves) with each search */
    struct extract_lead lead;
    struct enrich_result r;
    bool analysed; /* by the LLM */
};

struct job {
    const struct request *req;
    const struct pipeline_options *opt;
    pthread_mutex_t lock, ev_lock, store_lock;
    pthread_cond_t site_done; /* a worker finished a site */
    struct upstream_cache cache;
    int64_t seq;
    int64_t started_mono, now_ms;
    struct site *sites;
    size_t nsites, cap, next;
    size_t committed; /* sites whose outcome is applied, in order */
    bool flushing;    /* a worker is applying outcomes */
    struct reserve *reserves;
    size_t nreserves;
    int leads, enriched, failed, qualified, skipped;
    int leads_llm, leads_heuristic, leads_from_snippet, quotes_dropped;
    struct search_provider *search;
    struct llm *llm;
    struct llm_usage usage;
    int64_t tokens_reserved; /* by LLM calls under way */
    bool dense_failed;       /* embeddings failed once: said, not repeated */
    bool sample_said;        /* the sample corpus's notice went out */
    bool policy_all, policy_none;
    struct enrich_context *ec;
    struct fetch_options fo;
    int64_t search_calls, fetches, fetch_status[FETCH_NSTATUS], provider_pages;
    int64_t stage_ms[ST_N];
    json_t *degradations;
    json_t *queries;
    const char *stopped_by;
    /* A resumed job: what it stored before the restart. */
    json_t *stored_queries;
    bool single;        /* pipeline_enrich: one given site, its lead whatever its score */
    char **resumed_ids; /* lead ids */
    int *resumed_stage; /* events stored of each: 1 generated, 2 started, 3 ended */
    size_t nresumed;
};

/* ---- events ---- */

static struct event_head head(const struct job *j)
{
    return (struct event_head){j->req->job_id, j->req->user_id, clock_now_ms()};
}

static void emit(struct job *j, enum event_type t, json_t *ev)
{
    pthread_mutex_lock(&j->ev_lock);
    j->seq++;
    if (j->opt->emit)
        j->opt->emit(j->opt->emit_ctx, j->seq, t, ev);
    pthread_mutex_unlock(&j->ev_lock);
    json_decref(ev);
}

static double progress(const struct job *j)
{
    int want = j->req->ctx.max_leads_to_generate;
    int have = __atomic_load_n(&j->leads, __ATOMIC_RELAXED);
    double p = 0.15 + 0.8 * (double)(have < want ? have : want) / (double)want;
    return p > 0.95 ? 0.95 : p;
}

static void status(struct job *j, const char *stage, double prog, json_t *extra, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

static void status(struct job *j, const char *stage, double prog, json_t *extra, const char *fmt,
                   ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct event_head h = head(j);
    json_t *ev = event_status_update(&h, msg, stage, prog);
    if (extra) {
        const char *k;
        json_t *v;
        json_object_foreach (extra, k, v)
            json_object_set(ev, k, v);
        json_decref(extra);
    }
    emit(j, EVENT_STATUS_UPDATE, ev);
}

static void degrade(struct job *j, const char *stage, const char *what, const char *fallback)
{
    pthread_mutex_lock(&j->lock);
    json_array_append_new(j->degradations, json_pack("{s:s, s:s, s:s}", "stage", stage, "what",
                                                     what, "fallback", fallback));
    pthread_mutex_unlock(&j->lock);
    status(j, stage, -1, json_pack("{s:b}", "degraded", 1), "%s; %s", what, fallback);
}

/* ---- stop conditions ---- */

static int64_t llm_tokens(const struct job *j)
{
    return __atomic_load_n(&j->usage.tokens_in, __ATOMIC_RELAXED) +
           __atomic_load_n(&j->usage.tokens_out, __ATOMIC_RELAXED);
}

/* With j->lock held. */
static bool stop_locked(struct job *j)
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
    else if (b->llm_tokens && llm_tokens(j) >= b->llm_tokens)
        j->stopped_by = "llm_token_budget";
    return j->stopped_by != NULL;
}

static bool should_stop(struct job *j)
{
    pthread_mutex_lock(&j->lock);
    bool stop = stop_locked(j);
    pthread_mutex_unlock(&j->lock);
    return stop;
}

static bool cancelled(const struct job *j)
{
    return j->opt->cancel && *j->opt->cancel;
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

/* One query of a round, run on its own thread for web providers. */
struct one_search {
    struct job *j;
    const char *query;
    size_t limit;
    struct search_results r;
    struct err e;
    int rc;
};

static void *search_one(void *arg)
{
    struct one_search *o = arg;
    o->rc = search_run(o->j->search, o->query, o->limit, &o->r, &o->e);
    return NULL;
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
        if (s) {
            if (s - j->sites >= (ptrdiff_t)j->next) {
                s->votes += rrf < s->rrf ? rrf : s->rrf;
                if (rrf > s->rrf)
                    s->rrf = rrf;
            }
            continue;
        }
        if (j->nsites == j->cap) {
            j->cap = j->cap ? j->cap * 2 : 64;
            j->sites = xrealloc(j->sites, j->cap * sizeof *j->sites);
        }
        s = &j->sites[j->nsites++];
        memset(s, 0, sizeof *s);
        s->site = xstrdup(x->site);
        s->url = xstrdup(x->url);
        s->title = xstrdup(x->title ? x->title : "");
        s->snippet = xstrdup(x->snippet ? x->snippet : "");
        s->content = x->content ? xstrdup(x->content) : NULL;
        s->rrf = rrf;
        s->best_rank = (int)k + 1;
        s->more = xcalloc(x->nmore + 1, sizeof *s->more);
        for (size_t m = 0; m < x->nmore && m < 2; m++)
            s->more[s->nmore++] = xstrdup(x->more[m]);
        added++;
    }
    return added;
}

/* Runs every query with limit results each (at once on a web provider, in
 * turn on the local one, whose store is one connection). Returns the new
 * sites, or -1 when every query failed. Called with no worker running. */
static int search_round(struct job *j, const struct query_list *q, size_t limit)
{
    int64_t t0 = clock_mono_ms();
    size_t n = q->n;
    if (j->search_calls + (int64_t)n > j->opt->budget.search_calls) {
        n = j->opt->budget.search_calls > j->search_calls
                ? (size_t)(j->opt->budget.search_calls - j->search_calls)
                : 0;
        j->stopped_by = "search_budget";
    }
    if (n > MAX_SEARCH_THREADS)
        n = MAX_SEARCH_THREADS;
    struct one_search *o = xcalloc(n ? n : 1, sizeof *o);
    pthread_t *th = xcalloc(n ? n : 1, sizeof *th);
    bool web = search_is_web(j->search);
    for (size_t i = 0; i < n; i++) {
        o[i] = (struct one_search){.j = j, .query = q->v[i].text, .limit = limit};
        if (!web || pthread_create(&th[i], NULL, search_one, &o[i]))
            search_one(&o[i]), th[i] = 0;
    }
    j->search_calls += (int64_t)n;
    int added = 0, failures = 0;
    for (size_t i = 0; i < n; i++) {
        if (th[i])
            pthread_join(th[i], NULL);
        if (o[i].rc) {
            failures++;
            log_warn("search failed", LOG_S("query", o[i].query), LOG_S("error", o[i].e.msg));
            char what[400];
            snprintf(what, sizeof what, "Search for \"%s\" failed (%s)", o[i].query, o[i].e.msg);
            degrade(j, "search", what, "going on with the other queries");
            continue;
        }
        added += merge(j, &o[i].r);
        search_results_release(&o[i].r);
    }
    free(o);
    free(th);
    if (j->nsites > j->next)
        qsort(j->sites + j->next, j->nsites - j->next, sizeof *j->sites, cmp_site);
    j->stage_ms[ST_SEARCH] += clock_mono_ms() - t0;
    if (n && (size_t)failures == n)
        return -1;
    return added;
}

/* ---- one site: its pages, its lead ---- */

static bool seen(char **urls, size_t n, const char *url)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(urls[i], url) == 0)
            return true;
    return false;
}

/* Whether name (a site's label, a company's name) is a listed competitor's. */
static bool is_competitor(const struct job *j, const char *name)
{
    char key[128], comp[128];
    str_alnum_key(name, key, sizeof key);
    for (size_t i = 0; *key && i < j->req->ctx.competitors.n; i++) {
        str_alnum_key(j->req->ctx.competitors.v[i], comp, sizeof comp);
        if (strcmp(comp, key) == 0)
            return true;
    }
    return false;
}

static bool excluded(const struct job *j, const char *site, char *why, size_t n)
{
    for (const char *const *p = search_excluded_sites; *p; p++)
        if (strcmp(site, *p) == 0) {
            snprintf(why, n, "a directory, social network or news site");
            return true;
        }
    /* A competitor's own site: "HubSpot" and hubspot.com. */
    char label[128];
    size_t k = strcspn(site, ".");
    snprintf(label, sizeof label, "%.*s", (int)(k < sizeof label ? k : sizeof label - 1), site);
    if (is_competitor(j, label)) {
        snprintf(why, n, "a listed competitor");
        return true;
    }
    return false;
}

/* Why a page says its site is not a lead, or NULL. */
static const char *not_a_lead(const struct extract_page *p)
{
    for (size_t i = 0; i < p->page_types.n; i++) {
        const char *t = p->page_types.v[i];
        /* a news article is a publisher's, unless it is the company's own
         * press release: a NewsMediaOrganization says which */
        if (!strcmp(t, "NewsMediaOrganization") || !strcmp(t, "ReportageNewsArticle"))
            return "a news article";
        if (!strcmp(t, "JobPosting"))
            return "a job posting";
        if (!strcmp(t, "ProfilePage"))
            return "a social network profile";
        if (!strcmp(t, "ItemList") || !strcmp(t, "SearchResultsPage"))
            return "a directory or listing";
    }
    if (p->is_profile)
        return "a social network profile";
    if (p->outbound_hosts >= DIRECTORY_SITES)
        return "a directory or listing (it links to many other companies)";
    if (p->intermediary)
        return "a directory or marketplace (it puts customers in touch with other businesses)";
    return NULL;
}

static void add_lead_fields(json_t *extra, const struct extract_lead *l)
{
    json_t *lj = extract_lead_json(l);
    static const char *const keys[] = {"site",         "address", "country", "naics",      "social",
                                       "technologies", "pages",   "founded", "provenance", NULL};
    for (const char *const *k = keys; *k; k++)
        json_object_set(extra, *k, json_object_get(lj, *k));
    json_decref(lj);
}

/* A page from text that a provider read (markdown) or a search snippet:
 * paragraphs, with markdown links kept as links, so that extraction finds
 * the contacts and the contact pages in it. */
static char *text_page(const char *title, const char *text)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_puts(&b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>");
    for (int pass = 0; pass < 2; pass++) {
        const char *p = pass ? text : title ? title : ""; /* no title: a page enriched alone */
        if (pass)
            rc |= buf_puts(&b, "</title></head><body><main><p>");
        while (*p) {
            const char *close, *paren;
            if (pass && *p == '[' && (close = strstr(p, "](")) && (paren = strchr(close, ')')) &&
                !memchr(p, '\n', (size_t)(paren - p))) {
                rc |= buf_puts(&b, "<a href=\"");
                for (const char *u = close + 2; u < paren; u++)
                    rc |= *u == '"' ? buf_puts(&b, "%22") : buf_putc(&b, *u);
                rc |= buf_puts(&b, "\">");
                for (const char *t = p + 1; t < close; t++)
                    rc |= *t == '<'   ? buf_puts(&b, "&lt;")
                          : *t == '&' ? buf_puts(&b, "&amp;")
                                      : buf_putc(&b, *t);
                rc |= buf_puts(&b, "</a>");
                p = paren + 1;
                continue;
            }
            switch (*p) {
            case '<': rc |= buf_puts(&b, "&lt;"); break;
            case '>': rc |= buf_puts(&b, "&gt;"); break;
            case '&': rc |= buf_puts(&b, "&amp;"); break;
            case '\n': rc |= buf_puts(&b, pass ? "</p>\n<p>" : " "); break;
            default: rc |= buf_putc(&b, *p);
            }
            p++;
        }
    }
    rc |= buf_puts(&b, "</p></main></body></html>");
    (void)rc;
    return buf_detach(&b);
}

static void fetched(void *ctx, const char *url, struct fetch_result *r)
{
    (void)url;
    struct fetch_result *out = ctx;
    *out = *r;
    r->final_url = NULL; /* moved */
    r->body = NULL;
}

/* Reads pages urls[from, to) into res: from the web with the site's own
 * fetcher, or from the corpus. */
/* Whether the job searches the web (else the corpus, or no provider at all). */
static bool web(const struct job *j)
{
    return j->search && search_is_web(j->search);
}

static void read_pages(struct job *j, struct fetcher **f, char **urls, size_t from, size_t to,
                       struct fetch_result *res)
{
    for (size_t k = from; k < to; k++) {
        memset(&res[k], 0, sizeof res[k]);
        res[k].status = FETCH_ERROR;
        snprintf(res[k].detail, sizeof res[k].detail, "not fetched (the job stopped)");
    }
    if (!web(j)) { /* the corpus; a single site also from the web when the corpus lacks it */
        for (size_t k = from; k < to; k++) {
            struct err e = {0};
            pthread_mutex_lock(&j->store_lock);
            int rc = store_corpus_page(j->opt->store, urls[k], &res[k].body, &res[k].body_len,
                                       res[k].charset, &e);
            pthread_mutex_unlock(&j->store_lock);
            res[k].status = rc == 0 ? FETCH_OK : FETCH_ERROR;
        }
        if (!j->single)
            return;
    }
    if (!*f)
        *f = fetch_new(&j->fo);
    for (size_t k = from; k < to; k++)
        if (res[k].status != FETCH_OK)
            fetch_add(*f, urls[k], fetched, &res[k]);
    while (fetch_perform(*f, 100) > 0 && !cancelled(j))
        ;
}

/* The lead's verdict: the heuristic's, and the LLM's where the policy asks. */
static bool borderline(const struct job *j, const struct extract_lead *l,
                       const struct enrich_result *r)
{
    if (j->policy_all)
        return true;
    double thr = (double)j->opt->cfg->qualify_threshold / 100.0;
    if (fabs(r->prospect - thr) <= BORDERLINE)
        return true;
    size_t text = 0;
    for (size_t i = 0; i < l->page_texts.n; i++)
        text += strlen(l->page_texts.v[i]);
    return r->pain.nev == 0 && text >= RICH_TEXT;
}

/* Asks the LLM to analyse a lead; on failure the heuristic result stands
 * and the fallback is announced. Returns whether the LLM's analysis is in. */
static bool analyse(struct job *j, const struct site *s, const struct extract_lead *l,
                    struct enrich_result *r)
{
    if (!j->llm || j->policy_none)
        return false;
    /* Calls run at once, so each reserves its likely cost: the budget
     * bounds what is spent, not only what was spent before the call. */
    pthread_mutex_lock(&j->lock);
    int64_t budget = j->opt->budget.llm_tokens;
    bool go = !stop_locked(j) &&
              (!budget || llm_tokens(j) + j->tokens_reserved + LLM_CALL_TOKENS <= budget);
    if (go)
        j->tokens_reserved += LLM_CALL_TOKENS;
    else if (!j->stopped_by)
        j->stopped_by = "llm_token_budget";
    pthread_mutex_unlock(&j->lock);
    if (!go)
        return false;
    int64_t t0 = clock_mono_ms();
    struct err e = {0};
    int dropped = 0;
    int rc = llm_analyse(j->llm, &j->cache, &j->req->ctx, j->ec, l, &j->usage, r, &dropped, &e);
    pthread_mutex_lock(&j->lock);
    j->tokens_reserved -= LLM_CALL_TOKENS;
    j->stage_ms[ST_ENRICH] += clock_mono_ms() - t0;
    j->quotes_dropped += dropped;
    pthread_mutex_unlock(&j->lock);
    if (rc) {
        char what[400];
        snprintf(what, sizeof what, "The LLM analysis of %s failed (%s)", s->site, e.msg);
        degrade(j, "enrich", what, "keeping the heuristic scores");
        return false;
    }
    if (dropped)
        status(j, "enrich", progress(j),
               json_pack("{s:s, s:i}", "site", s->site, "quotes_dropped", dropped),
               "Dropped %d quote%s of the LLM's about %s: not verbatim in its pages", dropped,
               dropped == 1 ? "" : "s", s->site);
    return true;
}

static void lead_id_of(const struct site *s, char *out, size_t n)
{
    size_t k = (size_t)snprintf(out, n, "lead_");
    for (const char *p = s->site; *p && k + 1 < n; p++)
        out[k++] = isalnum((unsigned char)*p) ? *p : '-';
    out[k] = '\0';
}

/* ---- resuming ---- */

/* The stored stage of a resumed lead: 0 (none), 1 generated, 2 started, 3
 * ended; *slot indexes it. */
static int resumed_stage(const struct job *j, const char *lead_id, size_t *slot)
{
    for (size_t i = 0; i < j->nresumed; i++)
        if (strcmp(j->resumed_ids[i], lead_id) == 0) {
            if (slot)
                *slot = i;
            return j->resumed_stage[i];
        }
    return 0;
}

static int site_stage(struct job *j, const struct site *s)
{
    if (!j->nresumed)
        return 0;
    char lead_id[160];
    lead_id_of(s, lead_id, sizeof lead_id);
    pthread_mutex_lock(&j->lock);
    int stage = resumed_stage(j, lead_id, NULL);
    pthread_mutex_unlock(&j->lock);
    return stage;
}

static int load_event(void *ctx, int64_t seq, const char *type, const char *data)
{
    struct job *j = ctx;
    j->seq = seq;
    json_t *ev = json_loads(data, 0, NULL);
    const char *lead_id = json_string_value(json_object_get(ev, "lead_id"));
    const char *stage = json_string_value(json_object_get(ev, "stage"));
    json_t *queries = json_object_get(ev, "queries");
    size_t slot = 0;
    if (strcmp(type, "status_update") == 0 && stage && strcmp(stage, "queries") == 0 &&
        json_is_array(queries) && !j->stored_queries) {
        j->stored_queries = json_incref(queries);
    } else if (lead_id && strcmp(type, "lead_generated") == 0 && !resumed_stage(j, lead_id, NULL)) {
        j->resumed_ids = xrealloc(j->resumed_ids, (j->nresumed + 1) * sizeof *j->resumed_ids);
        j->resumed_stage = xrealloc(j->resumed_stage, (j->nresumed + 1) * sizeof(int));
        j->resumed_ids[j->nresumed] = xstrdup(lead_id);
        j->resumed_stage[j->nresumed++] = 1;
        j->leads++;
    } else if (lead_id && strcmp(type, "lead_enrichment_start") == 0 &&
               resumed_stage(j, lead_id, &slot) == 1) {
        j->resumed_stage[slot] = 2;
    } else if (lead_id && strcmp(type, "lead_enrichment_end") == 0 &&
               resumed_stage(j, lead_id, &slot) == 2) {
        j->resumed_stage[slot] = 3;
        if (json_is_true(json_object_get(ev, "success"))) {
            j->enriched++;
            json_t *intel = json_object_get(
                json_object_get(json_object_get(ev, "final_package"), "analyzed_lead"),
                "ai_intelligence");
            double score = json_number_value(json_object_get(intel, "prospect_score"));
            j->qualified += score >= (double)j->opt->cfg->qualify_threshold / 100.0;
            const char *analyst = json_string_value(json_object_get(intel, "analyst"));
            if (analyst && strcmp(analyst, "heuristic") != 0)
                j->leads_llm++;
            else
                j->leads_heuristic++;
        } else {
            j->failed++;
        }
    }
    json_decref(ev);
    return 0;
}

/* Reads what a resumed job stored; false when it stored nothing (it starts
 * afresh). */
static bool load_resumed(struct job *j)
{
    struct err e = {0};
    if (store_events_after(j->opt->store, j->req->job_id, 0, load_event, j, &e)) {
        log_error("could not read a resumed job's events", LOG_S("job_id", j->req->job_id),
                  LOG_S("error", e.msg));
        return false;
    }
    return j->seq > 0;
}

/* A resumed lead whose site gave nothing this time: its missing events,
 * ending in lead_enrichment_end with success false. */
static void end_resumed_lead(struct job *j, size_t slot, const char *why)
{
    const char *lead_id = j->resumed_ids[slot];
    struct event_head h = head(j);
    if (j->resumed_stage[slot] < 2) {
        json_t *start = event_lead_enrichment_start(&h, lead_id);
        json_object_set_new(start, "agent_name", json_string("ProspectIntelligenceAgent"));
        emit(j, EVENT_LEAD_ENRICHMENT_START, start);
    }
    struct event_scores sc = {0};
    json_t *end = event_lead_enrichment_end(&h, lead_id, false, "", &sc, NULL, NULL);
    json_object_set_new(end, "agent_name", json_string("ProspectIntelligenceAgent"));
    json_object_set_new(end, "error_message", json_string(why));
    pthread_mutex_lock(&j->lock);
    j->resumed_stage[slot] = 3;
    j->failed++;
    pthread_mutex_unlock(&j->lock);
    emit(j, EVENT_LEAD_ENRICHMENT_END, end);
}

/* lead_generated and lead_enrichment_start (those a resumed lead has not
 * stored yet); with j->lock held, so that the count of leads and the events
 * agree. */
static void emit_generated(struct job *j, const struct site *s, const struct extract_lead *l)
{
    char lead_id[160];
    lead_id_of(s, lead_id, sizeof lead_id);
    size_t slot = 0;
    int stored = resumed_stage(j, lead_id, &slot);
    if (stored) {
        if (stored < 2) {
            struct event_head h = head(j);
            json_t *start = event_lead_enrichment_start(&h, lead_id);
            json_object_set_new(start, "agent_name", json_string("ProspectIntelligenceAgent"));
            emit(j, EVENT_LEAD_ENRICHMENT_START, start);
        }
        j->resumed_stage[slot] = 3; /* its end follows */
        return;
    }
    const char **emails = xcalloc(l->emails.n + 1, sizeof *emails);
    const char **phones = xcalloc(l->phones.n + 1, sizeof *phones);
    for (size_t i = 0; i < l->emails.n; i++)
        emails[i] = l->emails.v[i].value;
    for (size_t i = 0; i < l->phones.n; i++)
        phones[i] = l->phones.v[i].value;
    char *summary = enrich_summary(j->ec, l);
    struct event_lead el = {
        .company_name = l->company_name.value ? l->company_name.value : s->site,
        .website = l->website,
        .description = l->description.value,
        .industry = l->industry.value,
        .company_size = l->company_size.value,
        .emails = emails,
        .nemails = l->emails.n,
        .phones = phones,
        .nphones = l->phones.n,
        .qualification_summary = summary,
    };
    json_t *extra = json_object();
    add_lead_fields(extra, l);
    struct event_head h = head(j);
    emit(j, EVENT_LEAD_GENERATED,
         event_lead_generated(&h, lead_id, &el, s->url, EVENT_AGENT_HARVESTER, extra));
    __atomic_fetch_add(&j->leads, 1, __ATOMIC_RELAXED);
    free(summary);
    free(emails);
    free(phones);

    h = head(j);
    json_t *start = event_lead_enrichment_start(&h, lead_id);
    json_object_set_new(start, "agent_name", json_string("ProspectIntelligenceAgent"));
    emit(j, EVENT_LEAD_ENRICHMENT_START, start);
}

static void emit_enriched(struct job *j, const struct site *s, const struct extract_lead *l,
                          const struct enrich_result *r, bool analysed)
{
    char lead_id[160];
    lead_id_of(s, lead_id, sizeof lead_id);
    json_t *lead_extra, *intel_extra;
    enrich_package(l, r, &lead_extra, &intel_extra);
    json_object_set_new(intel_extra, "analyst",
                        json_string(analysed ? llm_name(j->llm) : "heuristic"));
    struct event_scores sc = {
        .prospect = r->prospect,
        .buying_intent = r->intent.value,
        .pain_alignment = r->pain.value,
        .urgency = r->urgency.value,
        .insights = (const char *const *)r->insights,
        .ninsights = r->ninsights,
    };
    struct event_head h = head(j);
    json_t *end = event_lead_enrichment_end(&h, lead_id, true,
                                            l->company_name.value ? l->company_name.value : s->site,
                                            &sc, lead_extra, intel_extra);
    json_object_set_new(end, "agent_name", json_string("ProspectIntelligenceAgent"));
    pthread_mutex_lock(&j->lock);
    j->enriched++;
    j->qualified += r->qualified;
    if (analysed)
        j->leads_llm++;
    else
        j->leads_heuristic++;
    pthread_mutex_unlock(&j->lock);
    emit(j, EVENT_LEAD_ENRICHMENT_END, end);
}

/* A lead from the search result alone (no page could be read): its title
 * and snippet, qualified quickly by the LLM when there is one. */
static bool snippet_lead(const struct site *s, struct extract_lead *lead)
{
    if (!*s->snippet)
        return false;
    char *html = text_page(s->title, s->snippet);
    struct extract_doc *d = NULL;
    struct err e = {0};
    bool ok = extract_parse(html, strlen(html), "utf-8", s->url, &d, &e) == 0;
    if (ok) {
        struct extract_page p;
        extract_page(d, NULL, &p);
        extract_lead_add(lead, &p);
        extract_page_release(&p);
        extract_doc_free(d);
    }
    free(html);
    return ok;
}

static void quick_qualify(struct job *j, const struct site *s, struct enrich_result *r,
                          bool *analysed)
{
    if (!j->llm || j->policy_none)
        return;
    double fit = 0;
    char *reason = NULL;
    struct err e = {0};
    if (llm_qualify(j->llm, &j->cache, &j->req->ctx, s->url, s->title, s->snippet, &j->usage, &fit,
                    &reason, &e)) {
        char what[400];
        snprintf(what, sizeof what, "Quick qualification of %s failed (%s)", s->site, e.msg);
        degrade(j, "enrich", what, "keeping the heuristic scores of its snippet");
        return;
    }
    /* The snippet is the page text here: the quote is verbatim. */
    enrich_evidence_put(&r->icp, s->snippet, s->url, "llm:quick_qualification");
    r->icp.value = fit;
    enrich_rescore(j->ec, r);
    free(r->summary);
    r->summary = reason;
    *analysed = true;
}

/* Reads a site's pages (its best result, its home page, the pages its links
 * name: contact, imprint, about, team, careers) in waves, assembles the
 * lead and, if it is one, emits and enriches it. */
static void process_site(struct job *j, struct site *s)
{
    int64_t t0 = clock_mono_ms();
    char *urls[MAX_PAGES_PER_SITE + 8];
    struct fetch_result res[MAX_PAGES_PER_SITE + 8];
    size_t nurls = 0, done_upto = 0;
    urls[nurls++] = xstrdup(s->url);
    char *home = url_resolve(s->url, "/");
    if (home && !seen(urls, nurls, home))
        urls[nurls++] = home;
    else
        free(home);
    for (size_t i = 0; i < s->nmore && nurls < MAX_PAGES_PER_SITE; i++)
        if (!seen(urls, nurls, s->more[i]))
            urls[nurls++] = xstrdup(s->more[i]);

    struct extract_lead lead;
    extract_lead_init(&lead, s->site);
    char country[3] = "";
    const char *reject = NULL;
    int pages = 0, links_taken = 0;
    int max_links = (int)j->opt->cfg->fetch_max_links;
    int64_t extract_ms = 0;
    struct fetcher *f = NULL;
    while (done_upto < nurls && !reject && !should_stop(j)) {
        /* A wave: every page known so far, within the fetch budget. */
        pthread_mutex_lock(&j->lock);
        int64_t left = j->opt->budget.fetches - j->fetches;
        size_t to = nurls;
        if (j->opt->budget.fetches && left < (int64_t)(to - done_upto))
            to = done_upto + (size_t)(left > 0 ? left : 0);
        j->fetches += (int64_t)(to - done_upto);
        pthread_mutex_unlock(&j->lock);
        if (to == done_upto)
            break;
        read_pages(j, &f, urls, done_upto, to, res);
        for (size_t k = done_upto; k < to; k++) {
            pthread_mutex_lock(&j->lock);
            j->fetch_status[res[k].status]++;
            pthread_mutex_unlock(&j->lock);
            char *html = res[k].body;
            size_t len = res[k].body_len;
            const char *charset = res[k].charset;
            res[k].body = NULL;
            if (!html && k == 0 && web(j)) {
                /* The page the search found failed: the provider's reading. */
                char *text = s->content ? xstrdup(s->content) : NULL;
                struct err e = {0};
                if (!text && search_extract(j->search, urls[0], &text, &e) && e.code != CORE_EUNSUP)
                    log_info("provider could not read the page", LOG_S("url", urls[0]),
                             LOG_S("error", e.msg));
                if (text) {
                    html = text_page(s->title, text);
                    len = strlen(html);
                    charset = "utf-8";
                    free(text);
                    pthread_mutex_lock(&j->lock);
                    j->provider_pages++;
                    pthread_mutex_unlock(&j->lock);
                }
            }
            if (html) {
                int64_t e0 = clock_mono_ms();
                struct extract_doc *d = NULL;
                struct err e = {0};
                if (extract_parse(html, len, charset, urls[k], &d, &e) == 0) {
                    struct extract_page p;
                    extract_page(d, country[0] ? country : NULL, &p);
                    if (!country[0] && p.country[0])
                        memcpy(country, p.country, 3);
                    const char *why = not_a_lead(&p);
                    if (why && k == 0)
                        reject = why; /* the page the search found decides */
                    extract_lead_add(&lead, &p);
                    pages++;
                    for (size_t i = 0; i < p.nlinks && links_taken < max_links; i++) {
                        if (nurls >= MAX_PAGES_PER_SITE || seen(urls, nurls, p.links[i].url))
                            continue;
                        urls[nurls++] = xstrdup(p.links[i].url);
                        links_taken++;
                    }
                    extract_page_release(&p);
                    extract_doc_free(d);
                }
                extract_ms += clock_mono_ms() - e0;
                free(html);
            }
            fetch_result_release(&res[k]);
        }
        done_upto = to;
    }
    fetch_free(f);
    bool from_snippet = false;
    if (!reject && pages == 0 && web(j) && !should_stop(j))
        from_snippet = snippet_lead(s, &lead);

    pthread_mutex_lock(&j->lock);
    j->stage_ms[ST_EXTRACT] += extract_ms;
    j->stage_ms[ST_FETCH] += clock_mono_ms() - t0 - extract_ms;
    pthread_mutex_unlock(&j->lock);
    struct outcome *o = &s->out;
    o->stored = site_stage(j, s) != 0;
    if (!reject && lead.company_name.value && is_competitor(j, lead.company_name.value))
        reject = "a listed competitor (by its name)"; /* getjobber.com is Jobber */
    if (reject || (pages == 0 && !from_snippet)) {
        o->v = o->stored ? V_GONE : V_SKIP;
        o->stage = ST_EXTRACT;
        if (o->v == V_GONE) /* a lead before the restart */
            snprintf(o->why, sizeof o->why, "%s after the restart",
                     reject ? reject : "its site could not be read again");
        else
            snprintf(o->why, sizeof o->why, "%s", reject ? reject : "no page could be read");
        extract_lead_release(&lead);
        goto out;
    }
    /* The heuristic scores every lead (milliseconds); the LLM reads the
     * leads whose verdict it can change before they are emitted. */
    int64_t e0 = clock_mono_ms();
    enrich_lead(j->ec, &lead, &o->r);
    pthread_mutex_lock(&j->lock);
    j->stage_ms[ST_ENRICH] += clock_mono_ms() - e0;
    pthread_mutex_unlock(&j->lock);
    o->analysed = false;
    if (from_snippet) {
        quick_qualify(j, s, &o->r, &o->analysed);
        pthread_mutex_lock(&j->lock);
        j->leads_from_snippet++;
        pthread_mutex_unlock(&j->lock);
    } else if (borderline(j, &lead, &o->r)) { /* here, so that calls run side by side */
        o->analysed = analyse(j, s, &lead, &o->r);
    }
    o->v = V_LEAD;
    o->lead = lead;
out:
    for (size_t i = 0; i < nurls; i++)
        free(urls[i]);
}

/* Applies one site's outcome: its events, its place among the leads or
 * the reserve. With j->lock held; released while events go out. */
static void apply(struct job *j, struct site *s)
{
    struct outcome *o = &s->out;
    if (o->v == V_SKIP) {
        j->skipped++;
        pthread_mutex_unlock(&j->lock);
        if (!cancelled(j))
            status(j, stage_names[o->stage], progress(j), json_pack("{s:s}", "site", s->site),
                   "Skipped %s: %s", s->site, o->why);
        pthread_mutex_lock(&j->lock);
    } else if (o->v == V_GONE) {
        size_t slot = 0;
        char lead_id[160];
        lead_id_of(s, lead_id, sizeof lead_id);
        resumed_stage(j, lead_id, &slot);
        pthread_mutex_unlock(&j->lock);
        end_resumed_lead(j, slot, o->why);
        pthread_mutex_lock(&j->lock);
    } else if (o->v == V_LEAD) {
        struct enrich_result *r = &o->r;
        /* a budget that ran out keeps what was read; a cancel does not */
        bool emitted =
            o->stored || j->single ||
            (r->qualified && j->leads < j->req->ctx.max_leads_to_generate && !cancelled(j));
        if (emitted) {
            emit_generated(j, s, &o->lead); /* a resumed lead is finished whatever its score now */
            pthread_mutex_unlock(&j->lock);
            emit_enriched(j, s, &o->lead, r, o->analysed);
            enrich_result_release(r);
            extract_lead_release(&o->lead);
            pthread_mutex_lock(&j->lock);
        } else if (!r->qualified) {
            j->reserves = xrealloc(j->reserves, (j->nreserves + 1) * sizeof *j->reserves);
            j->reserves[j->nreserves++] =
                (struct reserve){(size_t)(s - j->sites), o->lead, *r, o->analysed};
            double score = r->prospect; /* the reserve owns lead and r now */
            pthread_mutex_unlock(&j->lock);
            status(j, "enrich", progress(j),
                   json_pack("{s:s, s:f}", "site", s->site, "prospect_score", score),
                   "Kept %s in reserve: score %.2f is below the qualification threshold %.2f",
                   s->site, score, (double)j->opt->cfg->qualify_threshold / 100.0);
            pthread_mutex_lock(&j->lock);
        } else { /* qualified, but enough leads exist already */
            enrich_result_release(r);
            extract_lead_release(&o->lead);
        }
    }
    o->v = V_NOTHING;
}

/* Marks site s read and applies every outcome that is next in order, one
 * worker at a time: the leads are those of the first sites in search order
 * that qualify, in that order, whatever the order the workers finish in.
 * With j->lock held. */
static void commit(struct job *j, struct site *s)
{
    s->done = true;
    if (j->flushing)
        return; /* the worker applying outcomes will reach this one */
    j->flushing = true;
    while (j->committed < j->next && j->sites[j->committed].done)
        apply(j, &j->sites[j->committed++]);
    j->flushing = false;
    pthread_cond_broadcast(&j->site_done);
}

/* Dense similarity for retrieval (enrich_dense_fn): cosine of the query's
 * embedding with each passage's. A failure leaves retrieval lexical and is
 * announced once. */
static int dense(void *ctx, const char *query, const char *const *passages, size_t n, double *sims)
{
    struct job *j = ctx;
    if (!n || should_stop(j))
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
        degrade(j, "enrich", what, "retrieving passages by words alone");
    }
    return rc ? -1 : 0;
}

/* ---- the workers ---- */

/* Sites read ahead of the last one applied: enough to replace those that
 * will not make it, not so many that the job reads far more sites than it
 * needs. */
static bool room_for_site(const struct job *j)
{
    size_t need = (size_t)(j->req->ctx.max_leads_to_generate - j->leads);
    return j->next - j->committed < 2 * need + 2;
}

static void *worker(void *arg)
{
    struct job *j = arg;
    pthread_mutex_lock(&j->lock);
    for (;;) {
        bool go =
            !stop_locked(j) && j->leads < j->req->ctx.max_leads_to_generate && j->next < j->nsites;
        if (!go)
            break;
        if (!room_for_site(j)) {
            pthread_cond_wait(&j->site_done, &j->lock);
            continue;
        }
        struct site *s = &j->sites[j->next++];
        pthread_mutex_unlock(&j->lock);
        if (site_stage(j, s) == 3) {
            s->out.v = V_NOTHING; /* finished before the restart */
        } else if (excluded(j, s->site, s->out.why, sizeof s->out.why)) {
            s->out.v = V_SKIP;
            s->out.stage = ST_SEARCH;
        } else {
            process_site(j, s);
        }
        pthread_mutex_lock(&j->lock);
        commit(j, s); /* wakes the workers waiting for room */
    }
    pthread_cond_broadcast(&j->site_done); /* the others may stop too */
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

/* Reads the candidates with up to PROSPECT_SITE_CONCURRENCY workers until
 * enough leads exist or the candidates run out. */
static void run_workers(struct job *j)
{
    size_t n = (size_t)j->opt->cfg->site_concurrency;
    if (n > j->nsites - j->next)
        n = j->nsites - j->next;
    if (!search_is_web(j->search) && n > 4)
        n = 4; /* corpus reads share one store connection: a few workers suffice */
    pthread_t *th = xcalloc(n ? n : 1, sizeof *th);
    size_t started = 0;
    for (size_t i = 0; i < n; i++)
        if (pthread_create(&th[started], NULL, worker, j) == 0)
            started++;
    if (!started)
        worker(j);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
}

/* ---- the job ---- */

void pipeline_budget_from_config(const struct config *cfg, struct pipeline_budget *out)
{
    out->search_calls = cfg->budget_search_calls;
    out->fetches = cfg->budget_fetches;
    out->seconds = cfg->budget_seconds;
    out->llm_tokens = cfg->budget_llm_tokens;
}

static json_t *summary(struct job *j, int64_t duration)
{
    json_t *timings = json_object();
    for (int s = 0; s < ST_N; s++)
        json_object_set_new(timings, stage_names[s], json_integer(j->stage_ms[s]));
    json_t *fetch = json_object();
    for (int s = 0; s < FETCH_NSTATUS; s++)
        json_object_set_new(fetch, fetch_status_name((enum fetch_status)s),
                            json_integer(j->fetch_status[s]));
    json_object_set_new(fetch, "read_by_provider", json_integer(j->provider_pages));
    double credits = 0;
    int64_t search_hits = 0;
    if (j->search)
        search_usage(j->search, &credits, &search_hits);
    const struct llm_usage *u = &j->usage;
    json_t *sum = json_pack(
        "{s:i, s:i, s:i, s:i, s:o, s:o, s:{s:s, s:I, s:f, s:I}, "
        "s:{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:{s:i, s:i, s:i}, s:i, s:I, s:o, s:o, "
        "s:s*, s:I}",
        "leads_requested", j->req->ctx.max_leads_to_generate, "leads_qualified", j->qualified,
        "sites_considered", (int)j->next, "sites_skipped", j->skipped, "stage_ms", timings,
        "fetches", fetch, "search", "provider",
        j->search ? search_provider_name(j->search) : "none", "calls", (json_int_t)j->search_calls,
        "credits", credits, "cache_hits", (json_int_t)search_hits, "llm", "provider",
        llm_name(j->llm), "model", llm_model(j->llm), "calls", (json_int_t)u->calls, "tokens_in",
        (json_int_t)u->tokens_in, "tokens_out", (json_int_t)u->tokens_out, "cache_hits",
        (json_int_t)u->cache_hits, "repairs", (json_int_t)u->repairs, "failures",
        (json_int_t)u->failures, "embed_calls", (json_int_t)u->embed_calls, "leads_by_path", "llm",
        j->leads_llm, "heuristic", j->leads_heuristic, "snippet", j->leads_from_snippet,
        "quotes_dropped", j->quotes_dropped, "cache_hits",
        (json_int_t)(search_hits + u->cache_hits), "degradations", json_incref(j->degradations),
        "queries", json_incref(j->queries), "stopped_by", j->stopped_by, "duration_ms",
        (json_int_t)duration);
    if (!sum) { /* a format mistake must not lose pipeline_end */
        log_error("job summary could not be built", LOG_S("job_id", j->req->job_id));
        sum = json_object();
    }
    return sum;
}

/* Says once, when the local corpus answered with sites on .example (a name
 * no real company can hold, RFC 2606), that the leads are fictional. A
 * resumed job said it before its restart. */
static void sample_notice(struct job *j)
{
    if (j->sample_said || web(j) || j->stored_queries)
        return;
    for (size_t i = 0; i < j->nsites && !j->sample_said; i++) {
        size_t n = strlen(j->sites[i].site);
        j->sample_said = n > 8 && strcmp(j->sites[i].site + n - 8, ".example") == 0;
    }
    if (j->sample_said)
        status(j, "search", 0.12, json_pack("{s:b}", "sample_corpus", 1), "%s", SAMPLE_NOTICE);
}

/* The search provider; a forced one that cannot open falls back to the
 * local corpus, said as such. */
static int open_search(struct job *j)
{
    struct err e = {0};
    if (search_open(j->opt->cfg, j->opt->store, &j->cache, &j->search, &e)) {
        degrade(j, "search", e.msg, "searching the local corpus instead");
        search_local_open(j->opt->store, &j->search);
    }
    if (search_is_web(j->search))
        return 0;
    bool indexed = false;
    int64_t docs = 0, sites = 0;
    if (store_corpus_stats(j->opt->store, &docs, &sites, &e) == 0 && docs == 0) {
        status(j, "search", 0.08, NULL,
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
        status(j, "queries", 0.05, json_pack("{s:s}", "method", "resumed"),
               "Reusing the %zu search queries made before the restart", q->n);
        return;
    }
    query_generate(j->req, 0, web(j), q);
    const char *method = "keywords";
    json_t *lq = NULL;
    struct err e = {0};
    if (j->llm && !j->policy_none) {
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
            degrade(j, "queries", what, "using keyword queries");
        }
    }
    j->queries = query_list_to_json(q);
    j->stage_ms[ST_QUERIES] = clock_mono_ms() - t0;
    json_t *qextra = json_pack("{s:O, s:s, s:s}", "queries", j->queries, "agent_name",
                               EVENT_AGENT_QUERY, "method", method);
    status(j, "queries", 0.05, qextra, "Generated %zu search queries", q->n);
}

/* Too few qualified leads: the best of the rest, said as such. */
static void add_reserves(struct job *j)
{
    int want = j->req->ctx.max_leads_to_generate;
    for (size_t a = 1; a < j->nreserves; a++) /* best first, stable */
        for (size_t b = a; b > 0 && j->reserves[b].r.prospect > j->reserves[b - 1].r.prospect;
             b--) {
            struct reserve t = j->reserves[b];
            j->reserves[b] = j->reserves[b - 1];
            j->reserves[b - 1] = t;
        }
    /* ...but not the unrelated: half the threshold is the floor, and the
     * company's trade must be near a kind of customer named (a company of
     * another trade, or one whose trade its pages do not tell, is none of
     * the best) */
    double floor = (double)j->opt->cfg->qualify_threshold / 200.0;
    size_t *pick = xcalloc(j->nreserves ? j->nreserves : 1, sizeof *pick), npick = 0;
    for (size_t a = 0; a < j->nreserves && (int)npick < want - j->leads; a++) {
        const struct enrich_result *r = &j->reserves[a].r;
        if (r->prospect >= floor && r->industry_fit >= 0.5)
            pick[npick++] = a;
    }
    if (npick)
        status(j, "enrich", progress(j), NULL,
               "Only %d qualified lead%s found; adding the %zu best below the threshold", j->leads,
               j->leads == 1 ? "" : "s", npick);
    for (size_t a = 0; a < npick; a++) {
        struct reserve *rv = &j->reserves[pick[a]];
        pthread_mutex_lock(&j->lock);
        emit_generated(j, &j->sites[rv->site], &rv->lead);
        pthread_mutex_unlock(&j->lock);
        emit_enriched(j, &j->sites[rv->site], &rv->lead, &rv->r, rv->analysed);
    }
    free(pick);
}

/* What every job starts with; job_end undoes it. */
static void job_start(struct job *j, const struct request *req, const struct pipeline_options *opt)
{
    *j = (struct job){.req = req, .opt = opt};
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
    fetch_options_from_config(opt->cfg, &j->fo);
    extract_init(); /* before the workers parse at once */
}

/* The analyst of a job: the LLM's (else the heuristic's), and the scoring
 * context. */
static void job_analyst(struct job *j)
{
    struct err e = {0};
    if (llm_open(j->opt->cfg, &j->llm, &e))
        degrade(j, "intake", e.msg, "using the heuristic analyst");
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
    for (size_t i = 0; i < j->nresumed; i++)
        free(j->resumed_ids[i]);
    free(j->resumed_ids);
    free(j->resumed_stage);
    pthread_mutex_destroy(&j->lock);
    pthread_mutex_destroy(&j->ev_lock);
    pthread_mutex_destroy(&j->store_lock);
    pthread_cond_destroy(&j->site_done);
}

int pipeline_enrich(const struct request *req, const char *url, const struct pipeline_options *opt)
{
    char *site = url_site(url);
    if (!site)
        return CORE_EINVAL;
    struct job j;
    job_start(&j, req, opt);
    j.single = true;
    job_analyst(&j);
    /* a web provider reads the page when its fetch fails, as in a job */
    struct err e = {0};
    if (search_open(opt->cfg, opt->store, &j.cache, &j.search, &e) == 0 &&
        !search_is_web(j.search)) {
        search_provider_free(j.search);
        j.search = NULL;
    }
    j.sites = xcalloc(1, sizeof *j.sites);
    j.sites[0] = (struct site){.site = site, .url = xstrdup(url), .best_rank = 1};
    j.nsites = j.cap = j.next = 1;
    process_site(&j, &j.sites[0]);
    pthread_mutex_lock(&j.lock);
    commit(&j, &j.sites[0]);
    pthread_mutex_unlock(&j.lock);
    int rc = j.leads ? 0 : CORE_ENOTFOUND;
    job_end(&j);
    return rc;
}

int pipeline_run(const struct request *req, const struct pipeline_options *opt)
{
    struct job j;
    job_start(&j, req, opt);
    const struct business_context *bc = &req->ctx;
    int want = bc->max_leads_to_generate;
    int rc = 0;

    struct event_head h = head(&j);
    const char *initial = *req->user_search_query     ? req->user_search_query
                          : *bc->business_description ? bc->business_description
                                                      : bc->ideal_customer;
    if (opt->resume && load_resumed(&j)) {
        status(&j, "intake", 0.02, json_pack("{s:b, s:i}", "resumed", 1, "leads_kept", j.leads),
               "Resumed after a restart: %d lead%s kept, continuing after event %lld", j.leads,
               j.leads == 1 ? "" : "s", (long long)j.seq);
    } else {
        emit(&j, EVENT_PIPELINE_START, event_pipeline_start(&h, initial, want));
        status(&j, "intake", 0.02, NULL, "Request accepted: up to %d leads", want);
    }

    job_analyst(&j);
    struct query_list q = {0};
    const char *error_type = NULL, *error_stage = NULL;
    char error_msg[512] = "";
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
    for (int round = 0; round < 2 && j.leads < want && !should_stop(&j); round++) {
        size_t limit = round == 0 ? RESULTS_PER_QUERY : RESULTS_PER_QUERY * 2;
        if (round == 1)
            status(&j, "search", progress(&j), NULL,
                   "Found %d of %d leads; searching deeper (%zu results per query)", j.leads, want,
                   limit);
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
        status(&j, "search", 0.12,
               json_pack("{s:i, s:i}", "candidates", (int)(j.nsites - j.next), "new_sites",
                         added > 0 ? added : 0),
               "Search found %d new candidate site%s", added > 0 ? added : 0,
               added == 1 ? "" : "s");
        sample_notice(&j);
        run_workers(&j);
    }
    if (j.leads < want && j.nreserves && !cancelled(&j))
        add_reserves(&j);
    for (size_t i = 0; i < j.nresumed; i++) /* resumed leads this run did not reach */
        if (j.resumed_stage[i] < 3)
            end_resumed_lead(&j, i, "its site was not found again after the restart");
    if (j.leads == 0 && !j.stopped_by) {
        error_type = "no_results";
        error_stage = "search";
        snprintf(error_msg, sizeof error_msg,
                 "No company matching this business context was found. Broaden the ideal customer "
                 "or industries, add a search query, or index more pages with `prospect index`.");
        rc = CORE_ENOTFOUND;
        goto end;
    }
    if (j.leads < want && !j.stopped_by)
        status(&j, "end", 0.98, NULL,
               "Found %d of the %d leads asked for: the sources hold no more matching companies",
               j.leads, want);
    if (j.stopped_by)
        status(&j, "end", 0.98, json_pack("{s:s}", "stopped_by", j.stopped_by),
               "Stopped (%s) with %d lead%s found", j.stopped_by, j.leads, j.leads == 1 ? "" : "s");

end:;
    int64_t duration = clock_mono_ms() - j.started_mono;
    h = head(&j);
    if (error_type) {
        json_t *ev = event_pipeline_error(&h, error_msg, error_type, error_stage);
        json_object_set_new(ev, "summary", summary(&j, duration));
        emit(&j, EVENT_PIPELINE_ERROR, ev);
    } else {
        struct event_counts c = {j.leads, j.enriched, j.failed, duration};
        bool stopped = j.stopped_by && strcmp(j.stopped_by, "cancelled") == 0;
        emit(&j, EVENT_PIPELINE_END, event_pipeline_end(&h, !stopped, &c, summary(&j, duration)));
        if (stopped)
            rc = CORE_ECANCELED;
    }
    query_list_release(&q);
    job_end(&j);
    return rc;
}
