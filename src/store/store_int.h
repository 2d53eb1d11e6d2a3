/* store_int.h: the backend ops tables behind store.h.
 *
 * A backend is one connection table (struct store_ops) pointing to one
 * table per concern: the corpus, jobs and their events, the webhook outbox,
 * the caches (providers' answers and fetched pages), and the job queue of
 * scale-out. Each backend keeps one file per table.
 */
#ifndef PROSPECT_STORE_INT_H
#define PROSPECT_STORE_INT_H

#include "store/store.h"

/* The corpus: the local search engine's pages. */
struct store_corpus_ops {
    int (*corpus_put)(struct store *s, const struct store_doc *doc, enum store_put *result,
                      struct err *e);
    int (*corpus_hash)(struct store *s, const char *url, char hash[65], struct err *e);
    int (*corpus_stats)(struct store *s, int64_t *docs, int64_t *sites, struct err *e);
    int (*corpus_search)(struct store *s, const char *const *terms, size_t nterms, size_t max,
                         struct store_hits *out, struct err *e);
    int (*corpus_snippet)(struct store *s, const char *const *terms, size_t nterms, int64_t id,
                          char **out, struct err *e);
    int (*corpus_page)(struct store *s, const char *url, char **html, size_t *len, char charset[64],
                       struct err *e);
};

/* Jobs, their events and leads. */
struct store_jobs_ops {
    int (*job_create)(struct store *s, const char *id, const char *user_id, const char *owner,
                      const char *request, struct err *e);
    int (*job_status)(struct store *s, const char *id, const char *status, const char *summary,
                      struct err *e);
    int (*job_get)(struct store *s, const char *id, struct store_job *out, struct err *e);
    int (*event_append)(struct store *s, const char *job_id, int64_t seq, const char *type,
                        const char *data, const char *webhook_url, struct err *e);
    int (*events_after)(struct store *s, const char *job_id, int64_t after, store_event_fn fn,
                        void *ctx, struct err *e);
    int (*leads)(struct store *s, const char *job_id, store_event_fn fn, void *ctx, struct err *e);
    int (*jobs_unfinished)(struct store *s, store_event_fn fn, void *ctx, struct err *e);
    int (*jobs_list)(struct store *s, const char *owner, size_t limit, store_job_fn fn, void *ctx,
                     struct err *e);
    int (*job_delete)(struct store *s, const char *id, struct err *e);
    int (*jobs_purge)(struct store *s, int64_t before_ms, int64_t *purged, struct err *e);
};

/* The outbox: webhook deliveries and disabled receivers. */
struct store_outbox_ops {
    int (*outbox_due)(struct store *s, int64_t now_ms, size_t max, store_delivery_fn fn, void *ctx,
                      int64_t *next_ms, struct err *e);
    int (*outbox_mark)(struct store *s, const char *job_id, int64_t seq, enum store_outcome outcome,
                       int64_t attempts, int64_t next_ms, const char *error, struct err *e);
    int (*outbox_disable)(struct store *s, const char *url, const char *reason, struct err *e);
    int (*outbox_enable)(struct store *s, const char *url, bool redeliver_dead, int64_t *requeued,
                         struct err *e);
    int (*outbox_disabled)(struct store *s, const char *url, char *reason, size_t n, struct err *e);
    int (*outbox_counts)(struct store *s, const char *job_id, struct store_outbox_counts *out,
                         struct err *e);
};

/* The caches: providers' answers, and fetched pages. */
struct store_cache_ops {
    int (*cache_get)(struct store *s, const char *key, int64_t now_ms, char **value, size_t *len,
                     struct err *e);
    int (*cache_put)(struct store *s, const char *key, const char *kind, const char *value,
                     size_t len, int64_t expires_ms, struct err *e);
    /* pages: body is the compressed blob of len bytes; *size the page's */
    int (*page_get)(struct store *s, const char *url, struct store_page *out, size_t *size,
                    struct err *e);
    int (*page_put)(struct store *s, const char *url, const struct store_page *p, size_t size,
                    int64_t purge_before_ms, struct err *e);
    int (*page_touch)(struct store *s, const char *url, int64_t fetched_at, struct err *e);
    int (*page_stats)(struct store *s, int64_t *pages, int64_t *hits, struct err *e);
};

/* The job queue of scale-out: leases on jobs, cancel requests across
 * nodes, and announcements of stored events. Only a shared store has it. */
struct store_queue_ops {
    int (*job_claim)(struct store *s, const char *worker, int64_t lease_ms, struct store_job *out,
                     bool *resumed, bool *cancel, struct err *e);
    int (*job_renew)(struct store *s, const char *id, const char *worker, int64_t lease_ms,
                     bool *cancel, struct err *e);
    int (*job_request_cancel)(struct store *s, const char *id, struct err *e);
    int (*jobs_active)(struct store *s, const char *owner, int64_t *n, struct err *e);
    int (*wait_event)(struct store *s, int timeout_ms, char *job_id, size_t n, struct err *e);
};

/* A backend: its connection, and a table per concern (all set but queue,
 * which is NULL when the backend has no job queue: store.c then answers
 * CORE_EUNSUP). */
struct store_ops {
    const char *name;
    int (*open)(const char *target, struct store **out, struct err *e);
    void (*close)(struct store *s);
    int (*begin)(struct store *s, struct err *e);
    int (*commit)(struct store *s, struct err *e);
    void (*rollback)(struct store *s);
    const struct store_corpus_ops *corpus;
    const struct store_jobs_ops *jobs;
    const struct store_outbox_ops *outbox;
    const struct store_cache_ops *cache;
    const struct store_queue_ops *queue;
};

/* store__count_state(out, state, n): files the count of deliveries in
 * outbox state (pending, delivered, dead, disabled). */
void store__count_state(struct store_outbox_counts *out, const char *state, int64_t n);

/* Every backend's handle starts with this. */
struct store {
    const struct store_ops *ops;
};

extern const struct store_ops store__sqlite_ops;
extern const struct store_ops store__pg_ops;

#endif
