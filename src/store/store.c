/* store.c: picks the backend for a target and dispatches to its tables
 * (store_int.h); pages are compressed here, once for both backends. */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/str.h"
#include "store/store_int.h"

/* A page fetched is at most PROSPECT_FETCH_MAX_BYTES (64 MiB at most). */
#define STORE_PAGE_MAX ((size_t)64 << 20)

bool store_is_shared(const char *target)
{
    return str_has_prefix(target, "postgres://") || str_has_prefix(target, "postgresql://");
}

int store_open(const char *target, struct store **out, struct err *e)
{
    if (store_is_shared(target))
        return store__pg_ops.open(target, out, e);
    return store__sqlite_ops.open(target, out, e);
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

const char *store_backend(const struct store *s)
{
    return s->ops->name;
}

int store_begin(struct store *s, struct err *e)
{
    return s->ops->begin(s, e);
}

int store_commit(struct store *s, struct err *e)
{
    return s->ops->commit(s, e);
}

void store_rollback(struct store *s)
{
    s->ops->rollback(s);
}

int store_corpus_put(struct store *s, const struct store_doc *doc, enum store_put *result,
                     struct err *e)
{
    return s->ops->corpus->corpus_put(s, doc, result, e);
}

int store_corpus_hash(struct store *s, const char *url, char hash[65], struct err *e)
{
    return s->ops->corpus->corpus_hash(s, url, hash, e);
}

int store_corpus_stats(struct store *s, int64_t *docs, int64_t *sites, struct err *e)
{
    return s->ops->corpus->corpus_stats(s, docs, sites, e);
}

int store_corpus_search(struct store *s, const char *const *terms, size_t nterms, size_t max,
                        struct store_hits *out, struct err *e)
{
    return s->ops->corpus->corpus_search(s, terms, nterms, max, out, e);
}

void store_hits_release(struct store_hits *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].url);
        free(h->v[i].site);
        free(h->v[i].title);
    }
    free(h->v);
    h->v = NULL;
    h->n = 0;
}

int store_corpus_snippet(struct store *s, const char *const *terms, size_t nterms, int64_t id,
                         char **out, struct err *e)
{
    return s->ops->corpus->corpus_snippet(s, terms, nterms, id, out, e);
}

int store_corpus_page(struct store *s, const char *url, char **html, size_t *len, char charset[64],
                      struct err *e)
{
    return s->ops->corpus->corpus_page(s, url, html, len, charset, e);
}

void store_job_release(struct store_job *j)
{
    free(j->id);
    free(j->user_id);
    free(j->owner);
    free(j->status);
    free(j->request);
    free(j->summary);
    memset(j, 0, sizeof *j);
}

int store_job_create(struct store *s, const char *id, const char *user_id, const char *owner,
                     const char *request_json, struct err *e)
{
    return s->ops->jobs->job_create(s, id, user_id, owner, request_json, e);
}

int store_job_status(struct store *s, const char *id, const char *status, const char *summary_json,
                     struct err *e)
{
    return s->ops->jobs->job_status(s, id, status, summary_json, e);
}

int store_job_get(struct store *s, const char *id, struct store_job *out, struct err *e)
{
    return s->ops->jobs->job_get(s, id, out, e);
}

int store_event_append(struct store *s, const char *job_id, int64_t seq, const char *type,
                       const char *data, const char *webhook_url, struct err *e)
{
    return s->ops->jobs->event_append(s, job_id, seq, type, data, webhook_url, e);
}

int store_events_after(struct store *s, const char *job_id, int64_t after, store_event_fn fn,
                       void *ctx, struct err *e)
{
    return s->ops->jobs->events_after(s, job_id, after, fn, ctx, e);
}

int store_leads(struct store *s, const char *job_id, store_event_fn fn, void *ctx, struct err *e)
{
    return s->ops->jobs->leads(s, job_id, fn, ctx, e);
}

int store_jobs_unfinished(struct store *s, store_event_fn fn, void *ctx, struct err *e)
{
    return s->ops->jobs->jobs_unfinished(s, fn, ctx, e);
}

int store_jobs_list(struct store *s, const char *owner, size_t limit, store_job_fn fn, void *ctx,
                    struct err *e)
{
    return s->ops->jobs->jobs_list(s, owner, limit, fn, ctx, e);
}

int store_job_delete(struct store *s, const char *id, struct err *e)
{
    return s->ops->jobs->job_delete(s, id, e);
}

int store_jobs_purge(struct store *s, int64_t before_ms, int64_t *purged, struct err *e)
{
    return s->ops->jobs->jobs_purge(s, before_ms, purged, e);
}

/* Scale-out needs a shared database: a backend without it has no queue
 * table, and says so. */
static int unsupported(const struct store *s, struct err *e)
{
    return err_set(e, CORE_EUNSUP, "the %s store has no job queue: use PROSPECT_DB=postgres://...",
                   s->ops->name);
}

int store_job_claim(struct store *s, const char *worker, int64_t lease_ms, struct store_job *out,
                    bool *resumed, bool *cancel, struct err *e)
{
    const struct store_queue_ops *q = s->ops->queue;
    return q ? q->job_claim(s, worker, lease_ms, out, resumed, cancel, e) : unsupported(s, e);
}

int store_job_renew(struct store *s, const char *id, const char *worker, int64_t lease_ms,
                    bool *cancel, struct err *e)
{
    const struct store_queue_ops *q = s->ops->queue;
    return q ? q->job_renew(s, id, worker, lease_ms, cancel, e) : unsupported(s, e);
}

int store_job_request_cancel(struct store *s, const char *id, struct err *e)
{
    const struct store_queue_ops *q = s->ops->queue;
    return q ? q->job_request_cancel(s, id, e) : unsupported(s, e);
}

int store_jobs_active(struct store *s, const char *owner, int64_t *n, struct err *e)
{
    const struct store_queue_ops *q = s->ops->queue;
    return q ? q->jobs_active(s, owner, n, e) : unsupported(s, e);
}

int store_wait_event(struct store *s, int timeout_ms, char *job_id, size_t n, struct err *e)
{
    const struct store_queue_ops *q = s->ops->queue;
    return q ? q->wait_event(s, timeout_ms, job_id, n, e) : unsupported(s, e);
}

int store_outbox_due(struct store *s, int64_t now_ms, size_t max, store_delivery_fn fn, void *ctx,
                     int64_t *next_ms, struct err *e)
{
    return s->ops->outbox->outbox_due(s, now_ms, max, fn, ctx, next_ms, e);
}

int store_outbox_mark(struct store *s, const char *job_id, int64_t seq, enum store_outcome outcome,
                      int64_t attempts, int64_t next_ms, const char *error, struct err *e)
{
    return s->ops->outbox->outbox_mark(s, job_id, seq, outcome, attempts, next_ms, error, e);
}

int store_outbox_disable(struct store *s, const char *url, const char *reason, struct err *e)
{
    return s->ops->outbox->outbox_disable(s, url, reason, e);
}

int store_outbox_enable(struct store *s, const char *url, bool redeliver_dead, int64_t *requeued,
                        struct err *e)
{
    return s->ops->outbox->outbox_enable(s, url, redeliver_dead, requeued, e);
}

int store_outbox_disabled(struct store *s, const char *url, char *reason, size_t n, struct err *e)
{
    return s->ops->outbox->outbox_disabled(s, url, reason, n, e);
}

void store__count_state(struct store_outbox_counts *out, const char *state, int64_t n)
{
    if (strcmp(state, "pending") == 0)
        out->pending = n;
    else if (strcmp(state, "delivered") == 0)
        out->delivered = n;
    else if (strcmp(state, "dead") == 0)
        out->dead = n;
    else
        out->disabled = n;
}

int store_outbox_counts(struct store *s, const char *job_id, struct store_outbox_counts *out,
                        struct err *e)
{
    return s->ops->outbox->outbox_counts(s, job_id, out, e);
}

int store_cache_get(struct store *s, const char *key, int64_t now_ms, char **value, size_t *len,
                    struct err *e)
{
    return s->ops->cache->cache_get(s, key, now_ms, value, len, e);
}

int store_cache_put(struct store *s, const char *key, const char *kind, const char *value,
                    size_t len, int64_t expires_ms, struct err *e)
{
    return s->ops->cache->cache_put(s, key, kind, value, len, expires_ms, e);
}

/* ---- pages ---- */

int store_page_get(struct store *s, const char *url, struct store_page *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    size_t size = 0;
    int rc = s->ops->cache->page_get(s, url, out, &size, e);
    if (rc)
        return rc;
    if (size > STORE_PAGE_MAX) {
        store_page_release(out);
        return err_set(e, CORE_EIO, "the stored page of %s claims %zu bytes", url, size);
    }
    char *page = xmalloc(size + 1);
    uLongf n = (uLongf)size;
    if (uncompress((Bytef *)page, &n, (const Bytef *)out->body, (uLong)out->len) != Z_OK ||
        n != size) {
        free(page);
        store_page_release(out);
        return err_set(e, CORE_EIO, "the stored page of %s is damaged", url);
    }
    page[size] = '\0';
    free(out->body);
    out->body = page;
    out->len = size;
    return 0;
}

int store_page_put(struct store *s, const char *url, const struct store_page *p, int64_t ttl_s,
                   struct err *e)
{
    if (p->len > STORE_PAGE_MAX)
        return err_set(e, CORE_EINVAL, "%s is too large to keep", url);
    uLongf zlen = compressBound((uLong)p->len);
    char *z = xmalloc(zlen);
    if (compress2((Bytef *)z, &zlen, (const Bytef *)p->body, (uLong)p->len, Z_BEST_SPEED) != Z_OK) {
        free(z);
        return err_set(e, CORE_EINTERNAL, "compressing %s failed", url);
    }
    struct store_page c = *p;
    c.body = z;
    c.len = (size_t)zlen;
    int64_t purge_before = clock_now_ms() - (ttl_s + 7 * 86400) * 1000;
    int rc = s->ops->cache->page_put(s, url, &c, p->len, purge_before, e);
    free(z);
    return rc;
}

int store_page_touch(struct store *s, const char *url, int64_t fetched_at, struct err *e)
{
    return s->ops->cache->page_touch(s, url, fetched_at, e);
}

int store_page_stats(struct store *s, int64_t *pages, int64_t *hits, struct err *e)
{
    return s->ops->cache->page_stats(s, pages, hits, e);
}

void store_page_release(struct store_page *p)
{
    free(p->final_url);
    free(p->body);
    p->final_url = p->body = NULL;
    p->len = 0;
}
