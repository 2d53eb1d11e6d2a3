/* pipeline.c: the job state machine of pipeline.h.
 *
 * intake -> queries -> search -> (per site, best first) fetch -> extract ->
 * lead -> enrich, until max_leads_to_generate leads exist, the candidates
 * run out (a deeper search is tried once), a budget is spent, or the job is
 * cancelled. Sites are handled best first by reciprocal-rank fusion of
 * their ranks across the queries, so the first leads are the most relevant.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "corpus/corpus.h"
#include "enrich/enrich.h"
#include "extract/extract.h"
#include "fetch/fetch.h"
#include "net/url.h"
#include "pipeline/pipeline.h"
#include "query/query.h"
#include "search/search.h"

#define RESULTS_PER_QUERY 10
#define MAX_PAGES_PER_SITE 6

enum stage { ST_QUERIES, ST_SEARCH, ST_FETCH, ST_EXTRACT, ST_ENRICH, ST_N };
static const char *const stage_names[ST_N] = {"queries", "search", "fetch", "extract", "enrich"};

struct site {
    char *site, *url, *title;
    char **more;
    size_t nmore;
    double rrf; /* reciprocal-rank fusion over the queries */
    int best_rank;
};

/* A lead below the qualification threshold, kept in case the sources hold
 * too few qualified ones. */
struct reserve {
    size_t site; /* index: the site array grows (and moves) with each search */
    struct extract_lead lead;
    struct enrich_result r;
};

struct job {
    const struct request *req;
    struct reserve *reserves;
    size_t nreserves;
    const struct pipeline_options *opt;
    int64_t seq;
    int64_t started_mono;
    struct site *sites;
    size_t nsites, cap, next;
    int leads, enriched, failed, qualified, skipped;
    struct search_provider *search;
    struct enrich_context *ec;
    int64_t search_calls, fetches, fetch_status[FETCH_NSTATUS];
    int64_t stage_ms[ST_N];
    json_t *degradations;
    json_t *queries;
    const char *stopped_by;
    int64_t now_ms;
};

/* ---- events ---- */

static struct event_head head(const struct job *j)
{
    return (struct event_head){j->req->job_id, j->req->user_id, clock_now_ms()};
}

static void emit(struct job *j, enum event_type t, json_t *ev)
{
    j->seq++;
    if (j->opt->emit)
        j->opt->emit(j->opt->emit_ctx, j->seq, t, ev);
    json_decref(ev);
}

static double progress(const struct job *j)
{
    int want = j->req->ctx.max_leads_to_generate;
    double p = 0.15 + 0.8 * (double)(j->leads < want ? j->leads : want) / (double)want;
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
    json_array_append_new(j->degradations, json_pack("{s:s, s:s, s:s}", "stage", stage, "what",
                                                     what, "fallback", fallback));
    status(j, stage, -1, json_pack("{s:b}", "degraded", 1), "%s; %s", what, fallback);
}

/* ---- stop conditions ---- */

static bool should_stop(struct job *j)
{
    if (j->stopped_by)
        return true;
    if (j->opt->cancel && *j->opt->cancel)
        j->stopped_by = "cancelled";
    else if (j->opt->budget.seconds &&
             clock_mono_ms() - j->started_mono > j->opt->budget.seconds * 1000)
        j->stopped_by = "time_budget";
    else if (j->opt->budget.fetches && j->fetches >= j->opt->budget.fetches)
        j->stopped_by = "fetch_budget";
    return j->stopped_by != NULL;
}

/* ---- search ---- */

/* Sites that are never leads: social networks, directories, news, job
 * boards, marketplaces, encyclopaedias. Matched on the registrable domain. */
static const char *const not_leads[] = {"linkedin.com",
                                        "facebook.com",
                                        "twitter.com",
                                        "x.com",
                                        "instagram.com",
                                        "youtube.com",
                                        "tiktok.com",
                                        "pinterest.com",
                                        "reddit.com",
                                        "medium.com",
                                        "wikipedia.org",
                                        "crunchbase.com",
                                        "glassdoor.com",
                                        "indeed.com",
                                        "yelp.com",
                                        "yellowpages.com",
                                        "g2.com",
                                        "capterra.com",
                                        "clutch.co",
                                        "trustpilot.com",
                                        "bloomberg.com",
                                        "reuters.com",
                                        "forbes.com",
                                        "techcrunch.com",
                                        "businessinsider.com",
                                        "amazon.com",
                                        "ebay.com",
                                        "github.com",
                                        "google.com",
                                        "apple.com",
                                        "zoominfo.com",
                                        "dnb.com",
                                        "bbb.org",
                                        "angel.co",
                                        "wellfound.com",
                                        "producthunt.com",
                                        "quora.com",
                                        "stackoverflow.com",
                                        "apollo.io",
                                        "owler.com",
                                        NULL};

static bool excluded(const struct job *j, const char *site, char *why, size_t n)
{
    for (const char *const *p = not_leads; *p; p++)
        if (strcmp(site, *p) == 0) {
            snprintf(why, n, "%s is a directory, social network or news site", site);
            return true;
        }
    /* A competitor's own site: "HubSpot" and hubspot.com. */
    char label[128];
    size_t k = 0;
    for (const char *p = site; *p && *p != '.' && k + 1 < sizeof label; p++)
        if (isalnum((unsigned char)*p))
            label[k++] = (char)tolower((unsigned char)*p);
    label[k] = '\0';
    for (size_t i = 0; i < j->req->ctx.competitors.n; i++) {
        char comp[128];
        size_t m = 0;
        for (const char *p = j->req->ctx.competitors.v[i]; *p && m + 1 < sizeof comp; p++)
            if (isalnum((unsigned char)*p))
                comp[m++] = (char)tolower((unsigned char)*p);
        comp[m] = '\0';
        if (m && strcmp(comp, label) == 0) {
            snprintf(why, n, "%s is a listed competitor", site);
            return true;
        }
    }
    return false;
}

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
    return strcmp(x->site, y->site);
}

/* Runs every query with limit results each; new sites join the candidates
 * (those not started yet are re-ordered by their fused rank). */
static int search_round(struct job *j, const struct query_list *q, size_t limit)
{
    int64_t t0 = clock_mono_ms();
    int added = 0, failures = 0;
    for (size_t i = 0; i < q->n && !should_stop(j); i++) {
        if (j->search_calls >= j->opt->budget.search_calls) {
            j->stopped_by = "search_budget";
            break;
        }
        j->search_calls++;
        struct search_results r;
        struct err e = {0};
        if (search_run(j->search, q->v[i].text, limit, &r, &e)) {
            failures++;
            log_warn("search failed", LOG_S("query", q->v[i].text), LOG_S("error", e.msg));
            continue;
        }
        for (size_t k = 0; k < r.n; k++) {
            struct site *s = site_of(j, r.v[k].site);
            double rrf = 1.0 / (60.0 + (double)k + 1.0);
            if (s) {
                if (s - j->sites >= (ptrdiff_t)j->next) /* not started: may move up */
                    s->rrf += rrf;
                continue;
            }
            if (j->nsites == j->cap) {
                j->cap = j->cap ? j->cap * 2 : 64;
                j->sites = xrealloc(j->sites, j->cap * sizeof *j->sites);
            }
            s = &j->sites[j->nsites++];
            memset(s, 0, sizeof *s);
            s->site = xstrdup(r.v[k].site);
            s->url = xstrdup(r.v[k].url);
            s->title = xstrdup(r.v[k].title);
            s->rrf = rrf;
            s->best_rank = (int)k + 1;
            s->more = xcalloc(r.v[k].nmore + 1, sizeof *s->more);
            for (size_t m = 0; m < r.v[k].nmore && m < 2; m++)
                s->more[s->nmore++] = xstrdup(r.v[k].more[m]);
            added++;
        }
        search_results_release(&r);
    }
    if (j->nsites > j->next)
        qsort(j->sites + j->next, j->nsites - j->next, sizeof *j->sites, cmp_site);
    j->stage_ms[ST_SEARCH] += clock_mono_ms() - t0;
    if (failures && (size_t)failures == q->n)
        return -1;
    return added;
}

/* ---- one site: its pages, its lead ---- */

/* The page at url, from the corpus (the local provider's "web"). */
static int get_page(struct job *j, const char *url, char **html, size_t *len, char charset[64])
{
    j->fetches++;
    struct err e = {0};
    int rc = store_corpus_page(j->opt->store, url, html, len, charset, &e);
    j->fetch_status[rc == 0 ? FETCH_OK : FETCH_ERROR]++;
    return rc;
}

static bool seen(char **urls, size_t n, const char *url)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(urls[i], url) == 0)
            return true;
    return false;
}

/* Why a page says its site is not a lead, or NULL. */
static const char *not_a_lead(const struct extract_page *p)
{
    for (size_t i = 0; i < p->page_types.n; i++) {
        const char *t = p->page_types.v[i];
        if (!strcmp(t, "NewsArticle") || !strcmp(t, "ReportageNewsArticle"))
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
    if (p->outbound_hosts >= 8)
        return "a directory or listing (it links to many other companies)";
    return NULL;
}

static void add_lead_fields(json_t *extra, const struct extract_lead *l)
{
    json_t *lj = extract_lead_json(l);
    static const char *const keys[] = {"site",  "address", "country",    "social", "technologies",
                                       "pages", "founded", "provenance", NULL};
    for (const char *const *k = keys; *k; k++)
        json_object_set(extra, *k, json_object_get(lj, *k));
    json_decref(lj);
}

static void emit_lead(struct job *j, struct site *s, struct extract_lead *l,
                      struct enrich_result *r)
{
    char lead_id[160];
    size_t k = (size_t)snprintf(lead_id, sizeof lead_id, "lead_");
    for (const char *p = s->site; *p && k + 1 < sizeof lead_id; p++)
        lead_id[k++] = isalnum((unsigned char)*p) ? *p : '-';
    lead_id[k] = '\0';

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
    j->leads++;
    free(summary);
    free(emails);
    free(phones);

    h = head(j);
    json_t *start = event_lead_enrichment_start(&h, lead_id);
    json_object_set_new(start, "agent_name", json_string("ProspectIntelligenceAgent"));
    emit(j, EVENT_LEAD_ENRICHMENT_START, start);

    json_t *lead_extra, *intel_extra;
    enrich_package(l, r, &lead_extra, &intel_extra);
    struct event_scores sc = {
        .prospect = r->prospect,
        .buying_intent = r->intent.value,
        .pain_alignment = r->pain.value,
        .urgency = r->urgency.value,
        .insights = (const char *const *)r->insights,
        .ninsights = r->ninsights,
    };
    h = head(j);
    json_t *end = event_lead_enrichment_end(&h, lead_id, true,
                                            l->company_name.value ? l->company_name.value : s->site,
                                            &sc, lead_extra, intel_extra);
    json_object_set_new(end, "agent_name", json_string("ProspectIntelligenceAgent"));
    emit(j, EVENT_LEAD_ENRICHMENT_END, end);
    j->enriched++;
    j->qualified += r->qualified;
}

/* Reads a site's pages (its best result, its home page, the pages its links
 * name: contact, imprint, about, team, careers), assembles the lead and, if
 * it is one, emits and enriches it. */
static void process_site(struct job *j, struct site *s)
{
    int64_t t0 = clock_mono_ms();
    char *urls[MAX_PAGES_PER_SITE + 8];
    size_t nurls = 0, next = 0;
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
    while (next < nurls && !should_stop(j)) {
        const char *url = urls[next++];
        char *html = NULL, charset[64] = "";
        size_t len = 0;
        if (get_page(j, url, &html, &len, charset))
            continue;
        int64_t e0 = clock_mono_ms();
        struct extract_doc *d = NULL;
        struct err e = {0};
        if (extract_parse(html, len, charset, url, &d, &e) == 0) {
            struct extract_page p;
            extract_page(d, country[0] ? country : NULL, &p);
            if (!country[0] && p.country[0])
                memcpy(country, p.country, 3);
            const char *why = not_a_lead(&p);
            if (why && pages == 0)
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
        if (reject)
            break;
    }
    j->stage_ms[ST_EXTRACT] += extract_ms;
    j->stage_ms[ST_FETCH] += clock_mono_ms() - t0 - extract_ms;
    if (reject || pages == 0) {
        j->skipped++;
        status(j, "extract", progress(j), json_pack("{s:s}", "site", s->site), "Skipped %s: %s",
               s->site, reject ? reject : "no page could be read");
        extract_lead_release(&lead);
    } else {
        /* The heuristic scores every lead first (milliseconds); qualified
         * leads are emitted at once, the others kept in reserve. */
        int64_t e0 = clock_mono_ms();
        struct enrich_result r;
        enrich_lead(j->ec, &lead, &r);
        j->stage_ms[ST_ENRICH] += clock_mono_ms() - e0;
        if (r.qualified) {
            emit_lead(j, s, &lead, &r);
            enrich_result_release(&r);
            extract_lead_release(&lead);
        } else {
            j->reserves = xrealloc(j->reserves, (j->nreserves + 1) * sizeof *j->reserves);
            j->reserves[j->nreserves++] = (struct reserve){(size_t)(s - j->sites), lead, r};
            status(j, "enrich", progress(j),
                   json_pack("{s:s, s:f}", "site", s->site, "prospect_score", r.prospect),
                   "Kept %s in reserve: score %.2f is below the qualification threshold %.2f",
                   s->site, r.prospect, (double)j->opt->cfg->qualify_threshold / 100.0);
        }
    }
    for (size_t i = 0; i < nurls; i++)
        free(urls[i]);
}

/* ---- the job ---- */

void pipeline_budget_from_config(const struct config *cfg, struct pipeline_budget *out)
{
    out->search_calls = cfg->budget_search_calls;
    out->fetches = cfg->budget_fetches;
    out->seconds = cfg->budget_seconds;
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
    return json_pack(
        "{s:i, s:i, s:i, s:i, s:o, s:o, s:{s:s, s:I}, s:{s:s, s:I}, s:I, s:o, s:o, s:s*, "
        "s:I}",
        "leads_requested", j->req->ctx.max_leads_to_generate, "leads_qualified", j->qualified,
        "sites_considered", (int)j->next, "sites_skipped", j->skipped, "stage_ms", timings,
        "fetches", fetch, "search", "provider", search_provider_name(j->search), "calls",
        (json_int_t)j->search_calls, "llm", "provider", "heuristic", "calls", (json_int_t)0,
        "cache_hits", (json_int_t)0, "degradations", json_incref(j->degradations), "queries",
        json_incref(j->queries), "stopped_by", j->stopped_by, "duration_ms", (json_int_t)duration);
}

static int open_search(struct job *j)
{
    const char *want = j->opt->cfg->search;
    if (strcmp(want, "auto") != 0 && strcmp(want, "local") != 0) {
        char what[160];
        snprintf(what, sizeof what, "The %s search provider is not available in this build", want);
        degrade(j, "search", what, "searching the local corpus instead");
    }
    bool indexed = false;
    struct err e = {0};
    int64_t docs = 0, sites = 0;
    if (store_corpus_stats(j->opt->store, &docs, &sites, &e) == 0 && docs == 0) {
        status(j, "search", 0.08, NULL,
               "The local corpus is empty: indexing the bundled sample corpus");
        if (corpus_ensure_sample(j->opt->store, NULL, &indexed, &e))
            return CORE_ENOTFOUND;
    }
    search_local_open(j->opt->store, &j->search);
    return 0;
}

int pipeline_run(const struct request *req, const struct pipeline_options *opt)
{
    struct job j = {.req = req, .opt = opt};
    j.started_mono = clock_mono_ms();
    j.degradations = json_array();
    j.now_ms = opt->now_ms ? opt->now_ms : clock_now_ms();
    const struct business_context *bc = &req->ctx;
    int want = bc->max_leads_to_generate;
    int rc = 0;

    struct event_head h = head(&j);
    const char *initial = *req->user_search_query     ? req->user_search_query
                          : *bc->business_description ? bc->business_description
                                                      : bc->ideal_customer;
    emit(&j, EVENT_PIPELINE_START, event_pipeline_start(&h, initial, want));
    status(&j, "intake", 0.02, NULL, "Request accepted: up to %d leads", want);

    /* Queries. */
    int64_t t0 = clock_mono_ms();
    struct query_list q;
    query_generate(req, 0, &q);
    j.queries = query_list_to_json(&q);
    j.stage_ms[ST_QUERIES] = clock_mono_ms() - t0;
    json_t *qextra = json_pack("{s:O, s:s, s:s}", "queries", j.queries, "agent_name",
                               EVENT_AGENT_QUERY, "method", "keywords");
    status(&j, "queries", 0.05, qextra, "Generated %zu search queries", q.n);

    struct enrich_weights w = {(double)opt->cfg->weight_pain, (double)opt->cfg->weight_intent,
                               (double)opt->cfg->weight_urgency, (double)opt->cfg->weight_icp,
                               (double)opt->cfg->qualify_threshold / 100.0};
    j.ec = enrich_context_new(bc, &w, j.now_ms);

    const char *error_type = NULL, *error_stage = NULL;
    char error_msg[512] = "";
    if (open_search(&j)) {
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
        size_t limit = round == 0 ? RESULTS_PER_QUERY : RESULTS_PER_QUERY * 4;
        if (round == 1)
            status(&j, "search", progress(&j), NULL,
                   "Found %d of %d leads; searching deeper (%zu results per query)", j.leads, want,
                   limit);
        int added = search_round(&j, &q, limit);
        if (added < 0 && round == 0) {
            error_type = "search_failed";
            error_stage = "search";
            snprintf(error_msg, sizeof error_msg,
                     "Every search query failed. Check the search provider settings "
                     "(PROSPECT_SEARCH) and try again.");
            rc = CORE_EUPSTREAM;
            goto end;
        }
        status(&j, "search", 0.12,
               json_pack("{s:i, s:i}", "candidates", (int)(j.nsites - j.next), "new_sites",
                         added > 0 ? added : 0),
               "Search found %d new candidate site%s", added > 0 ? added : 0,
               added == 1 ? "" : "s");
        while (j.next < j.nsites && j.leads < want && !should_stop(&j)) {
            struct site *s = &j.sites[j.next++];
            char why[256];
            if (excluded(&j, s->site, why, sizeof why)) {
                j.skipped++;
                status(&j, "search", progress(&j), json_pack("{s:s}", "site", s->site),
                       "Skipped %s", why);
                continue;
            }
            process_site(&j, s);
        }
    }
    /* Too few qualified leads: the best of the rest, said as such. */
    if (j.leads < want && j.nreserves &&
        (!j.stopped_by || strcmp(j.stopped_by, "cancelled") != 0)) {
        for (size_t a = 1; a < j.nreserves; a++) /* best first, stable */
            for (size_t b = a; b > 0 && j.reserves[b].r.prospect > j.reserves[b - 1].r.prospect;
                 b--) {
                struct reserve t = j.reserves[b];
                j.reserves[b] = j.reserves[b - 1];
                j.reserves[b - 1] = t;
            }
        /* ...but not the unrelated: half the threshold is the floor. */
        double floor = (double)j.opt->cfg->qualify_threshold / 200.0;
        int usable = 0;
        while (usable < (int)j.nreserves && j.reserves[usable].r.prospect >= floor)
            usable++;
        int add = want - j.leads < usable ? want - j.leads : usable;
        if (add > 0)
            status(&j, "enrich", progress(&j), NULL,
                   "Only %d qualified lead%s found; adding the %d best below the threshold",
                   j.leads, j.leads == 1 ? "" : "s", add);
        for (int a = 0; a < add; a++)
            emit_lead(&j, &j.sites[j.reserves[a].site], &j.reserves[a].lead, &j.reserves[a].r);
    }
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
        bool cancelled = j.stopped_by && strcmp(j.stopped_by, "cancelled") == 0;
        emit(&j, EVENT_PIPELINE_END, event_pipeline_end(&h, !cancelled, &c, summary(&j, duration)));
        if (cancelled)
            rc = CORE_ECANCELED;
    }
    query_list_release(&q);
    enrich_context_free(j.ec);
    search_provider_free(j.search);
    for (size_t i = 0; i < j.nsites; i++) {
        free(j.sites[i].site);
        free(j.sites[i].url);
        free(j.sites[i].title);
        for (size_t m = 0; m < j.sites[i].nmore; m++)
            free(j.sites[i].more[m]);
        free(j.sites[i].more);
    }
    free(j.sites);
    for (size_t i = 0; i < j.nreserves; i++) {
        extract_lead_release(&j.reserves[i].lead);
        enrich_result_release(&j.reserves[i].r);
    }
    free(j.reserves);
    json_decref(j.degradations);
    json_decref(j.queries);
    return rc;
}
