/* pipeline_int.h: what the files of the pipeline share: a job's state and
 * the steps each file offers the others.
 *
 * run.c      the job: intake, queries, search rounds, the sites' schedule, end
 * site.c     reading one site: its pages in waves, the page cache, extraction
 * verdict.c  what a site came to: not a lead, a lead and its scores (and the
 *            LLM's), applied in the sites' order, the reserve
 * parsed.c   pages extracted once for every job that reads them
 * resume.c   a job resumed after a restart: what it stored before
 * summary.c  the summary of pipeline_end, and the events' common parts
 *
 * Threads: a job's own thread runs run.c; a site's steps run on the
 * process's pools (engine/pool.h), its fetches on the engine. Locks: j->lock
 * guards the job's state; j->ev_lock numbers and sends events (taken inside
 * j->lock, never around it); j->store_lock guards the store connection.
 */
#ifndef PROSPECT_PIPELINE_INT_H
#define PROSPECT_PIPELINE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "enrich/enrich.h"
#include "extract/extract.h"
#include "fetch/fetch.h"
#include "llm/llm.h"
#include "pipeline/pipeline.h"
#include "search/search.h"
#include "upstream/upstream.h"

#define RESULTS_PER_QUERY 10
#define MAX_PAGES_PER_SITE 6
#define BORDERLINE 0.15      /* around the threshold, the LLM may change the verdict */
#define LLM_CALL_TOKENS 1500 /* what one analysis is likely to cost, reserved before it */
#define RICH_TEXT 3000       /* bytes of text with no pain found: worth an LLM's reading */
/* A page linking to this many other sites lists companies. Real company
 * pages link out too (partners, clients, integrations): of the 181 business
 * pages of tests/realpages, 12 link to more than 8 other sites, 1 to 25 or
 * more; a directory's listing links to dozens. */
#define DIRECTORY_SITES 25

enum stage { ST_QUERIES, ST_SEARCH, ST_FETCH, ST_EXTRACT, ST_ENRICH, ST_N };
extern const char *const pipeline__stage_names[ST_N];

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
    /* of a skip of a company the user gave: unreachable, blocked,
     * not_a_company_site, competitor, excluded, duplicate or stopped */
    const char *fail_type;
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
    size_t dup_of;           /* a given company already in the list: 1 + that one's index */
    char *providers;         /* the search providers that found it, comma-separated */
    const char *attribution; /* static: the credit its provider's data needs, or NULL */
    bool no_site;            /* a place with no website: its lead is its snippet */
    char naics[7];           /* the trade its provider files it under, or "" */
    json_t *email_checks;    /* its lead's addresses' statuses (mailcheck.h), or NULL */
    bool done;               /* read; its outcome waits for the sites before it */
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
    pthread_cond_t site_done; /* a site's reading ended */
    struct upstream_cache cache;
    int64_t seq;
    int64_t started_mono, now_ms;
    struct site *sites;
    size_t nsites, cap, next;
    size_t committed; /* sites whose outcome is applied, in order */
    bool flushing;    /* a thread is applying outcomes */
    size_t reading;   /* sites being read now */
    struct reserve *reserves;
    size_t nreserves;
    int want; /* leads wanted: max_leads_to_generate, or one per given company */
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
    struct fetcher *fetcher; /* the job's fetches, on the process's engine */
    char **exclusions;       /* the request's exclude_domains as registrable domains, sorted */
    size_t nexclusions;
    int excluded; /* atomic: candidates they kept out */
    int64_t search_calls, fetches, fetch_status[FETCH_NSTATUS], provider_pages;
    int64_t stage_ms[ST_N];
    json_t *degradations;
    json_t *queries;
    const char *stopped_by;
    /* A resumed job: what it stored before the restart. */
    json_t *stored_queries;
    json_t *stored_sites; /* the candidates after its last search round */
    int stored_rounds;    /* search rounds it made */
    bool context_spent;   /* the provider's places for the context are all in */
    bool given;           /* the request's companies: each its row, whatever came of it */
    char **resumed_ids;   /* lead ids */
    int *resumed_stage;   /* events stored of each: 1 generated, 2 started, 3 ended */
    size_t nresumed;
};

/* ---- summary.c: events ---- */

struct event_head pipeline__head(const struct job *j);
/* Numbers and sends ev (taken). */
void pipeline__emit(struct job *j, enum event_type t, json_t *ev);
double pipeline__progress(const struct job *j);
/* A status_update; extra (taken, may be NULL) adds its keys. */
void pipeline__status(struct job *j, const char *stage, double prog, json_t *extra, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));
/* A fallback taken, said in a status_update and kept for the summary. */
void pipeline__degrade(struct job *j, const char *stage, const char *what, const char *fallback);
json_t *pipeline__summary(struct job *j, int64_t duration);

/* ---- run.c: stop conditions ---- */

int64_t pipeline__llm_tokens(const struct job *j);
/* Whether the job must stop (cancel, a budget); with j->lock held. */
bool pipeline__stop_locked(struct job *j);
bool pipeline__should_stop(struct job *j);
bool pipeline__cancelled(const struct job *j);
/* Whether the job searches the web (else the corpus, or no provider at all). */
bool pipeline__web(const struct job *j);

/* ---- site.c ---- */

/* pipeline__read_site(j, s): reads site s on the pools and the engine, then
 * commits its outcome and decrements j->reading (which the caller
 * incremented) under j->lock, signalling j->site_done. Returns at once;
 * j->lock must not be held. */
void pipeline__read_site(struct job *j, struct site *s);

/* ---- verdict.c ---- */

bool pipeline__is_competitor(const struct job *j, const char *name);
/* The request's exclude_domains as sorted registrable domains (and their
 * release). pipeline__excluded says why a site is never read (why, and
 * its type: excluded, not_a_company_site or competitor), or NULL; it
 * counts each site exclude_domains keep out. */
void pipeline__exclusions_init(struct job *j);
void pipeline__exclusions_release(struct job *j);
const char *pipeline__excluded(struct job *j, const char *site, char *why, size_t n);
const char *pipeline__not_a_lead(const struct extract_page *p);
bool pipeline__borderline(const struct job *j, const struct extract_lead *l,
                          const struct enrich_result *r);
bool pipeline__analyse_begin(struct job *j);
bool pipeline__analyse_end(struct job *j, const struct site *s, int rc, int dropped,
                           int64_t took_ms, const struct err *e);
bool pipeline__quick_qualified(struct job *j, const struct site *s, struct enrich_result *r, int rc,
                               double fit, char *reason, const struct err *e);
void pipeline__emit_generated(struct job *j, const struct site *s, const struct extract_lead *l);
/* A given company that gave no lead: its row all the same, with why. */
void pipeline__emit_failed(struct job *j, const struct site *s, const struct outcome *o);
void pipeline__emit_enriched(struct job *j, const struct site *s, const struct extract_lead *l,
                             const struct enrich_result *r, bool analysed);
/* Marks s read and applies every outcome next in order; with j->lock held. */
void pipeline__commit(struct job *j, struct site *s);
void pipeline__add_reserves(struct job *j);

/* ---- parsed.c: pages extracted once for every job ---- */

/* pipeline__parsed_get(html, len, charset, url, hint): the extracted page of
 * html (borrowed) read as url with the country hint (may be NULL): from the
 * cache when any job extracted the same bytes, else extracted now. NULL when
 * the HTML cannot be parsed. Give it back with pipeline__parsed_put; it must
 * not be changed. */
const struct extract_page *pipeline__parsed_get(const char *html, size_t len, const char *charset,
                                                const char *url, const char *hint);
void pipeline__parsed_put(const struct extract_page *p);
void pipeline__parsed_stats(int64_t *hits, int64_t *misses);

/* ---- resume.c ---- */

void pipeline__lead_id_of(const struct site *s, char *out, size_t n);
int pipeline__resumed_stage(const struct job *j, const char *lead_id, size_t *slot);
int pipeline__site_stage(struct job *j, const struct site *s);
bool pipeline__load_resumed(struct job *j);
void pipeline__end_resumed_lead(struct job *j, size_t slot, const char *why);

#include "core/banned.h"
#endif
