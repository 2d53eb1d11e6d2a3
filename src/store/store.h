/* store.h: Prospect's storage, behind one interface whatever the backend.
 *
 * The backend is picked from the target: a file path is SQLite (WAL, the
 * embedded default); postgres://... is PostgreSQL (scale-out). Migrations
 * ship inside the binary as .sql files and are applied on open. A store handle
 * is one connection: one thread uses it at a time.
 */
#ifndef PROSPECT_STORE_H
#define PROSPECT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;

/* store_open(target, out, e): opens (creating when needed) and migrates.
 * The caller closes *out with store_close. Errors: CORE_EIO (cannot open or
 * migrate; e says why), CORE_EUNSUP (a backend not built in). */
int store_open(const char *target, struct store **out, struct err *e)
    __attribute__((warn_unused_result));

/* store_is_shared(target): whether target names a store several nodes
 * share (PostgreSQL), which scale-out (workers, API-only nodes) needs. */
bool store_is_shared(const char *target);

/* store_close(s): closes; NULL is fine. */
void store_close(struct store *s);

/* store_backend(s): "sqlite" or "postgres". Static string. */
const char *store_backend(const struct store *s);

/* store_begin/store_commit/store_rollback(s, e): an explicit transaction,
 * for batches (indexing thousands of pages in one commit). */
int store_begin(struct store *s, struct err *e) __attribute__((warn_unused_result));
int store_commit(struct store *s, struct err *e) __attribute__((warn_unused_result));
void store_rollback(struct store *s);

/* ---- corpus: the local search engine's pages ---- */

struct store_doc {
    const char *url;  /* unique key */
    const char *site; /* registrable domain */
    const char *title;
    const char *headings; /* one per line */
    const char *body;     /* visible text */
    const char *hash;     /* content hash (hex) of the page as fetched */
    const char *html;     /* the page's bytes as fetched, kept compressed */
    size_t html_len;
    const char *charset; /* the charset they were read in */
    int64_t fetched_at;  /* epoch ms, 0 when unknown */
};

enum store_put { STORE_ADDED, STORE_UPDATED, STORE_UNCHANGED };

/* store_corpus_put(s, doc, result, e): adds or replaces the page at doc->url;
 * a page whose hash is unchanged is left alone (*result STORE_UNCHANGED).
 * doc is borrowed for the call. */
int store_corpus_put(struct store *s, const struct store_doc *doc, enum store_put *result,
                     struct err *e) __attribute__((warn_unused_result));

/* store_corpus_hash(s, url, hash, e): copies the stored content hash of url
 * into hash (65 bytes), or "" when the corpus lacks url; lets an indexer skip
 * an unchanged page before parsing it. */
int store_corpus_hash(struct store *s, const char *url, char hash[65], struct err *e)
    __attribute__((warn_unused_result));

/* store_corpus_stats(s, docs, sites, e): how many pages and sites. */
int store_corpus_stats(struct store *s, int64_t *docs, int64_t *sites, struct err *e)
    __attribute__((warn_unused_result));

struct store_hit {
    int64_t id;               /* for store_corpus_snippet */
    char *url, *site, *title; /* owned */
    double score;             /* BM25, higher is better */
};

struct store_hits {
    struct store_hit *v;
    size_t n;
};

/* Field weights of the ranking: a title word counts more than a body word. */
#define STORE_WEIGHT_TITLE 8.0
#define STORE_WEIGHT_HEADINGS 3.0
#define STORE_WEIGHT_BODY 1.0

/* store_corpus_search(s, terms, nterms, max, out, e): pages matching any of
 * the terms (each a word or phrase; stemmed like the index), best first by
 * BM25 with the field weights above, at most max. out is filled (release
 * with store_hits_release) even when empty. */
int store_corpus_search(struct store *s, const char *const *terms, size_t nterms, size_t max,
                        struct store_hits *out, struct err *e) __attribute__((warn_unused_result));

void store_hits_release(struct store_hits *h);

/* store_corpus_snippet(s, terms, nterms, id, out, e): a short extract of page
 * id's text around the terms, which the caller frees ("" when none match).
 * Separate from the search, because it re-reads the page: callers ask only
 * for the pages they show. */
int store_corpus_snippet(struct store *s, const char *const *terms, size_t nterms, int64_t id,
                         char **out, struct err *e) __attribute__((warn_unused_result));

/* store_corpus_page(s, url, html, len, charset, e): the stored bytes of a
 * page (NUL-terminated) and the charset they were read in (64 bytes), which
 * the caller frees; CORE_ENOTFOUND when the corpus lacks it. */
int store_corpus_page(struct store *s, const char *url, char **html, size_t *len, char charset[64],
                      struct err *e) __attribute__((warn_unused_result));

/* ---- jobs, events, leads ---- */

struct store_job {
    char *id, *user_id, *owner, *status, *request, *summary; /* owned; summary may be NULL */
    int64_t created_at, started_at, finished_at, leads, last_seq;
};

void store_job_release(struct store_job *j);

/* store_job_create(s, id, user_id, owner, request_json, e): a queued job;
 * owner names the API key that started it ("" when keys are off).
 * CORE_EEXIST when the id is taken. */
int store_job_create(struct store *s, const char *id, const char *user_id, const char *owner,
                     const char *request_json, struct err *e) __attribute__((warn_unused_result));

/* store_job_status(s, id, status, summary_json, e): moves a job on
 * ("running" sets started_at; "succeeded", "failed", "cancelled" set
 * finished_at); summary_json may be NULL. */
int store_job_status(struct store *s, const char *id, const char *status, const char *summary_json,
                     struct err *e) __attribute__((warn_unused_result));

/* store_job_get(s, id, out, e): CORE_ENOTFOUND when there is no such job. */
int store_job_get(struct store *s, const char *id, struct store_job *out, struct err *e)
    __attribute__((warn_unused_result));

/* store_event_append(s, job_id, seq, type, data, webhook_url, e): one event
 * (with, for lead events, the lead row, and when webhook_url is not NULL its
 * delivery in the outbox) in one transaction; data is the event's JSON on
 * one line. */
int store_event_append(struct store *s, const char *job_id, int64_t seq, const char *type,
                       const char *data, const char *webhook_url, struct err *e)
    __attribute__((warn_unused_result));

/* Called per stored event with its seq and JSON (borrowed for the call);
 * a non-zero return stops the iteration. */
typedef int (*store_event_fn)(void *ctx, int64_t seq, const char *type, const char *data);

/* store_events_after(s, job_id, after, fn, ctx, e): the events with
 * seq > after, in order. */
int store_events_after(struct store *s, const char *job_id, int64_t after, store_event_fn fn,
                       void *ctx, struct err *e) __attribute__((warn_unused_result));

/* store_leads(s, job_id, fn, ctx, e): the job's leads in order (seq is the
 * lead's position, data its JSON). */
int store_leads(struct store *s, const char *job_id, store_event_fn fn, void *ctx, struct err *e)
    __attribute__((warn_unused_result));

/* store_jobs_unfinished(s, fn, ctx, e): ids of jobs left queued or running
 * (after a crash), as data with seq 0. */
int store_jobs_unfinished(struct store *s, store_event_fn fn, void *ctx, struct err *e)
    __attribute__((warn_unused_result));

typedef int (*store_job_fn)(void *ctx, const struct store_job *j);

/* store_jobs_list(s, owner, limit, fn, ctx, e): the newest jobs first, at
 * most limit, those of owner only (NULL: everyone's); j is borrowed for
 * the call; a non-zero return stops. */
int store_jobs_list(struct store *s, const char *owner, size_t limit, store_job_fn fn, void *ctx,
                    struct err *e) __attribute__((warn_unused_result));

/* store_job_delete(s, id, e): the job and everything stored of it (events,
 * leads, deliveries). CORE_ENOTFOUND when there is no such job. */
int store_job_delete(struct store *s, const char *id, struct err *e)
    __attribute__((warn_unused_result));

/* store_jobs_purge(s, before_ms, purged, e): deletes the jobs that finished
 * before before_ms, as store_job_delete; *purged says how many. */
int store_jobs_purge(struct store *s, int64_t before_ms, int64_t *purged, struct err *e)
    __attribute__((warn_unused_result));

/* ---- the job queue of scale-out (PostgreSQL; CORE_EUNSUP on SQLite) ---- */

/* store_job_claim(s, worker, lease_ms, out, resumed, cancel, e): takes the
 * oldest job that is queued, or running under an expired lease (its worker
 * died), for worker, leased until now + lease_ms (FOR UPDATE SKIP LOCKED:
 * two workers never take the same job). *resumed when it had run before
 * (continue from its events); *cancel when a cancel was asked.
 * CORE_ENOTFOUND when there is none. */
int store_job_claim(struct store *s, const char *worker, int64_t lease_ms, struct store_job *out,
                    bool *resumed, bool *cancel, struct err *e) __attribute__((warn_unused_result));

/* store_job_renew(s, id, worker, lease_ms, cancel, e): extends worker's
 * lease on job id; CORE_ENOTFOUND when the job is no longer worker's. */
int store_job_renew(struct store *s, const char *id, const char *worker, int64_t lease_ms,
                    bool *cancel, struct err *e) __attribute__((warn_unused_result));

/* store_job_request_cancel(s, id, e): asks whichever node runs job id to
 * stop; CORE_ENOTFOUND when it is not queued or running. */
int store_job_request_cancel(struct store *s, const char *id, struct err *e)
    __attribute__((warn_unused_result));

/* store_jobs_active(s, owner, n, e): owner's jobs queued or running, on
 * every node. */
int store_jobs_active(struct store *s, const char *owner, int64_t *n, struct err *e)
    __attribute__((warn_unused_result));

/* store_wait_event(s, timeout_ms, job_id, n, e): the next announcement
 * that a job stored an event (LISTEN on the connection's first call): 0
 * with the job's id, CORE_ETIMEOUT, or CORE_EIO when the connection failed. */
int store_wait_event(struct store *s, int timeout_ms, char *job_id, size_t n, struct err *e)
    __attribute__((warn_unused_result));

/* ---- outbox: webhook deliveries ---- */

struct store_delivery {
    const char *job_id, *url, *type, *data; /* borrowed for the callback */
    int64_t seq, attempts;
};

typedef int (*store_delivery_fn)(void *ctx, const struct store_delivery *d);

/* store_outbox_due(s, now_ms, max, fn, ctx, next_ms, e): the first pending
 * delivery of each job (deliveries go in seq order), those due by now_ms,
 * oldest first, at most max; *next_ms is when the earliest pending one is
 * due (0 when none is pending). */
int store_outbox_due(struct store *s, int64_t now_ms, size_t max, store_delivery_fn fn, void *ctx,
                     int64_t *next_ms, struct err *e) __attribute__((warn_unused_result));

enum store_outcome { STORE_DELIVERED, STORE_RETRY, STORE_DEAD };

/* store_outbox_mark(s, job_id, seq, outcome, attempts, next_ms, error, e):
 * the result of an attempt: delivered, retried at next_ms, or dead (a dead
 * letter: no attempt is left). error may be NULL. */
int store_outbox_mark(struct store *s, const char *job_id, int64_t seq, enum store_outcome outcome,
                      int64_t attempts, int64_t next_ms, const char *error, struct err *e)
    __attribute__((warn_unused_result));

/* store_outbox_disable(s, url, reason, e): nothing more goes to url (it
 * answered 410 Gone): its pending deliveries, and later ones, are kept as
 * "disabled". */
int store_outbox_disable(struct store *s, const char *url, const char *reason, struct err *e)
    __attribute__((warn_unused_result));

/* store_outbox_enable(s, url, redeliver_dead, requeued, e): sends to url
 * again: its disabled deliveries (and dead letters, when redeliver_dead) go
 * back to pending, due now; *requeued says how many. */
int store_outbox_enable(struct store *s, const char *url, bool redeliver_dead, int64_t *requeued,
                        struct err *e) __attribute__((warn_unused_result));

/* store_outbox_disabled(s, url, reason, n, e): CORE_ENOTFOUND when url is
 * enabled, else 0 with the reason it was disabled copied into reason. */
int store_outbox_disabled(struct store *s, const char *url, char *reason, size_t n, struct err *e)
    __attribute__((warn_unused_result));

struct store_outbox_counts {
    int64_t pending, delivered, dead, disabled;
};

/* store_outbox_counts(s, job_id, out, e): deliveries by state, of one job,
 * or of all when job_id is NULL. */
int store_outbox_counts(struct store *s, const char *job_id, struct store_outbox_counts *out,
                        struct err *e) __attribute__((warn_unused_result));

/* ---- cache: providers' answers ---- */

/* store_cache_get(s, key, now_ms, value, len, e): the cached value of key
 * (NUL-terminated, the caller frees) unless it expired by now_ms;
 * CORE_ENOTFOUND when there is none. */
int store_cache_get(struct store *s, const char *key, int64_t now_ms, char **value, size_t *len,
                    struct err *e) __attribute__((warn_unused_result));

/* store_cache_put(s, key, kind, value, len, expires_ms, e): stores or
 * replaces key; expired entries of any key are purged now and then. */
int store_cache_put(struct store *s, const char *key, const char *kind, const char *value,
                    size_t len, int64_t expires_ms, struct err *e)
    __attribute__((warn_unused_result));

/* ---- pages: fetched pages shared by jobs (the page cache) ---- */

struct store_page {
    char *final_url; /* owned */
    char *body;      /* owned, NUL-terminated */
    size_t len;
    char charset[64], etag[256], last_modified[64];
    int64_t fetched_at; /* epoch ms of the last answer from the site */
    int http_code;      /* 200, or 404/410 for a page that is not there (no body) */
};

/* store_page_get(s, url, out, e): the stored page fetched from url, however
 * old (the caller judges freshness by out->fetched_at); CORE_ENOTFOUND when
 * none. Release out with store_page_release. */
int store_page_get(struct store *s, const char *url, struct store_page *out, struct err *e)
    __attribute__((warn_unused_result));

/* store_page_put(s, url, p, e): stores or replaces the page of url. Pages
 * not answered for a week past ttl_s go now and then. */
int store_page_put(struct store *s, const char *url, const struct store_page *p, int64_t ttl_s,
                   struct err *e) __attribute__((warn_unused_result));

/* store_page_touch(s, url, fetched_at, e): counts a use of the stored page
 * (a hit); fetched_at > 0 also renews it (the site answered 304). */
int store_page_touch(struct store *s, const char *url, int64_t fetched_at, struct err *e)
    __attribute__((warn_unused_result));

/* store_page_stats(s, pages, hits, e): pages kept and the hits they had. */
int store_page_stats(struct store *s, int64_t *pages, int64_t *hits, struct err *e)
    __attribute__((warn_unused_result));

void store_page_release(struct store_page *p);

#include "core/banned.h"
#endif
