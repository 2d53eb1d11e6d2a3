/* jobs.c: the job manager of jobs.h: its start and stop, and the calls that
 * submit, cancel and delete jobs, read them through the read connection, and
 * count. The threads and the streams are the other files' (jobs_int.h says
 * which file holds what).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "jobs/jobs_int.h"
#include "store/store.h"
#include "webhook/webhook.h"

int jobs_new(const struct config *cfg, int workers, struct jobs **out, struct err *e)
{
    struct jobs *j = xcalloc(1, sizeof *j);
    j->cfg = cfg;
    int rc = store_open(cfg->db, &j->wst, e);
    if (!rc)
        rc = store_open(cfg->db, &j->rst, e);
    if (rc) {
        store_close(j->wst);
        free(j);
        return rc;
    }
    rc = jobs__audit_open(j, e);
    if (!rc && cfg->webhook_enabled)
        rc = webhook_sender_start(cfg, &j->webhooks, e);
    if (rc) {
        jobs__audit_close(j);
        store_close(j->wst);
        store_close(j->rst);
        free(j);
        return rc;
    }
    pthread_mutex_init(&j->lock, NULL);
    pthread_mutex_init(&j->rlock, NULL);
    pthread_cond_init(&j->wcond, NULL);
    pthread_cond_init(&j->jcond, NULL);
    pthread_cond_init(&j->hcond, NULL);
    j->distributed = strcmp(store_backend(j->rst), "postgres") == 0;
    if (j->distributed) {
        /* Workers on other nodes take over what a dead node left (leases):
         * nothing to recover here. */
        if (jobs__lease_start(j, workers, e)) {
            webhook_sender_stop(j->webhooks);
            jobs__audit_close(j);
            store_close(j->wst);
            store_close(j->rst);
            free(j);
            return CORE_EIO;
        }
    } else {
        jobs__recover(j);
    }
    j->has_writer = pthread_create(&j->writer, NULL, jobs__writer_main, j) == 0;
    int want = workers < 0 ? 0 : workers > MAX_WORKERS ? MAX_WORKERS : workers;
    if (!want && !j->distributed)
        want = 1; /* only a shared store has API-only nodes */
    for (int i = 0; i < want; i++)
        if (pthread_create(&j->workers[j->nworkers], NULL, jobs__worker_main, j) == 0)
            j->nworkers++;
    if (!j->has_writer || (want && !j->nworkers)) {
        jobs_free(j);
        return err_set(e, CORE_EINTERNAL, "cannot start the job manager's threads");
    }
    if (j->nworkers < want)
        log_warn("fewer job workers than asked", LOG_I("started", j->nworkers),
                 LOG_I("asked", want));
    *out = j;
    return 0;
}

void jobs_free(struct jobs *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    j->stopping = true;
    for (struct job *jb = j->active; jb; jb = jb->next)
        jb->cancel = 1; /* ends at its next step; its last events are not stored */
    pthread_cond_broadcast(&j->jcond);
    pthread_cond_broadcast(&j->hcond);
    pthread_mutex_unlock(&j->lock);
    for (int i = 0; i < j->nworkers; i++)
        pthread_join(j->workers[i], NULL);
    jobs__lease_stop(j);
    pthread_mutex_lock(&j->lock);
    pthread_cond_broadcast(&j->wcond);
    pthread_mutex_unlock(&j->lock);
    if (j->has_writer)
        pthread_join(j->writer, NULL); /* drains the queue first */
    webhook_sender_stop(j->webhooks);
    jobs__audit_close(j);
    while (j->pending) {
        struct job *jb = j->pending;
        j->pending = jb->next;
        jobs__job_free(jb);
    }
    while (j->active) { /* benchmark jobs: no worker owns them */
        struct job *jb = j->active;
        j->active = jb->next;
        jobs__job_free(jb);
    }
    store_close(j->wst);
    store_close(j->rst);
    pthread_mutex_destroy(&j->lock);
    pthread_mutex_destroy(&j->rlock);
    pthread_cond_destroy(&j->wcond);
    pthread_cond_destroy(&j->jcond);
    pthread_cond_destroy(&j->hcond);
    free(j);
}

static void copy_request(struct request *dst, const struct request *src)
{
    json_t *jr = request_to_json(src);
    char *s = json_dumps(jr, JSON_COMPACT);
    if (jobs__parse_stored(s, dst)) /* cannot fail: src was valid */
        abort();
    free(s);
    json_decref(jr);
}

int jobs_submit(struct jobs *j, const struct request *req, const char *owner, struct err *e)
{
    json_t *jr = request_to_json(req);
    char *s = json_dumps(jr, JSON_COMPACT);
    json_decref(jr);
    /* The job row is written here, synchronously, so that a duplicate id is
     * answered at once; the writer thread owns every later write. */
    pthread_mutex_lock(&j->rlock);
    int rc = store_job_create(j->rst, req->job_id, req->user_id, owner, s, e);
    pthread_mutex_unlock(&j->rlock);
    free(s);
    if (rc)
        return rc;
    if (j->distributed) { /* the database is the queue: a worker of any node claims it */
        pthread_mutex_lock(&j->lock);
        j->stats.submitted++;
        pthread_cond_signal(&j->jcond);
        pthread_mutex_unlock(&j->lock);
        return 0;
    }
    struct job *jb = xcalloc(1, sizeof *jb);
    jb->id = xstrdup(req->job_id);
    jb->owner = xstrdup(owner);
    copy_request(&jb->req, req);
    jobs__queue(j, jb);
    return 0;
}

/* Whether job id is queued or running anywhere: here, or with a shared
 * store on any node. */
static bool job_live(struct jobs *j, const char *id, const struct store_job *sj)
{
    pthread_mutex_lock(&j->lock);
    bool live = jobs__live_locked(j, id, sj);
    pthread_mutex_unlock(&j->lock);
    return live;
}

int jobs_visible(struct jobs *j, const char *id, const char *owner)
{
    struct store_job sj = {0};
    struct err e = {0};
    pthread_mutex_lock(&j->rlock);
    int rc = store_job_get(j->rst, id, &sj, &e);
    pthread_mutex_unlock(&j->rlock);
    if (!rc && strcmp(sj.owner, owner) != 0)
        rc = CORE_ENOTFOUND;
    store_job_release(&sj);
    return rc;
}

int jobs_active(struct jobs *j, const char *owner)
{
    if (j->distributed) {
        int64_t all = 0;
        struct err e = {0};
        pthread_mutex_lock(&j->rlock);
        if (store_jobs_active(j->rst, owner, &all, &e))
            log_warn("could not count a key's jobs", LOG_S("error", e.msg));
        pthread_mutex_unlock(&j->rlock);
        return (int)all;
    }
    int n = 0;
    pthread_mutex_lock(&j->lock);
    struct job *lists[] = {j->active, j->pending};
    for (int l = 0; l < 2; l++)
        for (struct job *jb = lists[l]; jb; jb = jb->next)
            n += jb->owner && strcmp(jb->owner, owner) == 0;
    pthread_mutex_unlock(&j->lock);
    return n;
}

int jobs_delete(struct jobs *j, const char *id, struct err *e)
{
    struct store_job sj = {0};
    pthread_mutex_lock(&j->rlock);
    int got = store_job_get(j->rst, id, &sj, e);
    pthread_mutex_unlock(&j->rlock);
    bool live = job_live(j, id, got ? NULL : &sj);
    store_job_release(&sj);
    if (live)
        return err_set(e, CORE_EBUSY, "job %s is still running: cancel it first", id);
    pthread_mutex_lock(&j->rlock);
    int rc = store_job_delete(j->rst, id, e);
    pthread_mutex_unlock(&j->rlock);
    if (!rc)
        log_info("job deleted on request", LOG_S("job_id", id));
    return rc;
}

int jobs_cancel(struct jobs *j, const char *id)
{
    int rc = CORE_ENOTFOUND;
    if (j->distributed) { /* whichever node runs it sees the flag at its next renewal */
        struct err e = {0};
        pthread_mutex_lock(&j->rlock);
        if (store_job_request_cancel(j->rst, id, &e) == 0)
            rc = 0;
        pthread_mutex_unlock(&j->rlock);
    }
    pthread_mutex_lock(&j->lock);
    struct job *lists[] = {j->active, j->pending};
    for (int l = 0; l < 2; l++)
        for (struct job *jb = lists[l]; jb; jb = jb->next)
            if (strcmp(jb->id, id) == 0) {
                jb->cancel = 1;
                rc = 0;
            }
    pthread_mutex_unlock(&j->lock);
    return rc;
}

int jobs_status(struct jobs *j, const char *id, json_t **out, struct err *e)
{
    struct store_job sj = {0};
    pthread_mutex_lock(&j->rlock);
    int rc = store_job_get(j->rst, id, &sj, e);
    pthread_mutex_unlock(&j->rlock);
    if (rc)
        return rc;
    json_error_t jerr;
    json_t *summary = sj.summary ? json_loads(sj.summary, 0, &jerr) : NULL;
    json_t *request = json_loads(sj.request, 0, &jerr);
    *out = json_pack(
        "{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:s}", "job_id", sj.id, "user_id",
        sj.user_id, "status", sj.status, "created_at", (json_int_t)sj.created_at, "started_at",
        (json_int_t)sj.started_at, "finished_at", (json_int_t)sj.finished_at, "leads",
        (json_int_t)sj.leads, "last_event_id", (json_int_t)sj.last_seq, "summary",
        summary ? summary : json_null(), "request", request ? request : json_null(), "events", "");
    char events[300];
    snprintf(events, sizeof events, "/api/v2/jobs/%s/events", sj.id);
    json_object_set_new(*out, "events", json_string(events));
    struct store_outbox_counts oc;
    pthread_mutex_lock(&j->rlock);
    int orc = store_outbox_counts(j->rst, id, &oc, e);
    pthread_mutex_unlock(&j->rlock);
    if (!orc && (oc.pending || oc.delivered || oc.dead || oc.disabled))
        json_object_set_new(*out, "webhooks",
                            json_pack("{s:I, s:I, s:I, s:I}", "pending", (json_int_t)oc.pending,
                                      "delivered", (json_int_t)oc.delivered, "dead_letters",
                                      (json_int_t)oc.dead, "disabled", (json_int_t)oc.disabled));
    store_job_release(&sj);
    return 0;
}

/* A job's name for people: the user's query, else what their business
 * does, else whom it sells to (borrowed from req), else the size of the
 * list it enriches (written in buf). */
static const char *job_title(const json_t *req, char *buf, size_t n)
{
    const json_t *ctx = json_object_get(req, "business_context");
    const char *texts[] = {json_string_value(json_object_get(req, "user_search_query")),
                           json_string_value(json_object_get(ctx, "business_description")),
                           json_string_value(json_object_get(ctx, "ideal_customer"))};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (texts[i] && *texts[i])
            return texts[i];
    size_t k = json_array_size(json_object_get(req, "companies"));
    buf[0] = '\0';
    if (k)
        snprintf(buf, n, "Enrich %zu compan%s", k, k == 1 ? "y" : "ies");
    return buf;
}

static int add_job(void *ctx, const struct store_job *sj)
{
    json_t *req = json_loads(sj->request, 0, NULL);
    char buf[64];
    const char *title = job_title(req, buf, sizeof buf);
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s}", "job_id", sj->id,
                                         "user_id", sj->user_id, "status", sj->status, "created_at",
                                         (json_int_t)sj->created_at, "finished_at",
                                         (json_int_t)sj->finished_at, "leads",
                                         (json_int_t)sj->leads, "title", title));
    json_decref(req);
    return 0;
}

int jobs_events(struct jobs *j, const char *id, int64_t after, store_event_fn fn, void *ctx,
                struct err *e)
{
    pthread_mutex_lock(&j->rlock);
    int rc = store_events_after(j->rst, id, after, fn, ctx, e);
    pthread_mutex_unlock(&j->rlock);
    return rc;
}

int jobs_list(struct jobs *j, const char *owner, size_t limit, json_t **out, struct err *e)
{
    json_t *arr = json_array();
    pthread_mutex_lock(&j->rlock);
    int rc = store_jobs_list(j->rst, owner, limit, add_job, arr, e);
    pthread_mutex_unlock(&j->rlock);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

static int add_lead(void *ctx, int64_t seq, const char *id, const char *data)
{
    (void)seq;
    (void)id;
    json_error_t jerr;
    json_t *l = json_loads(data, 0, &jerr);
    if (l)
        json_array_append_new(ctx, l);
    return 0;
}

int jobs_leads(struct jobs *j, const char *id, json_t **out, struct err *e)
{
    struct store_job sj = {0};
    pthread_mutex_lock(&j->rlock);
    int rc = store_job_get(j->rst, id, &sj, e);
    json_t *arr = json_array();
    if (!rc)
        rc = store_leads(j->rst, id, add_lead, arr, e);
    pthread_mutex_unlock(&j->rlock);
    store_job_release(&sj);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

bool jobs_ready(struct jobs *j)
{
    int64_t docs, sites;
    struct err e;
    pthread_mutex_lock(&j->rlock);
    bool ok = store_corpus_stats(j->rst, &docs, &sites, &e) == 0;
    pthread_mutex_unlock(&j->rlock);
    return ok;
}

void jobs_stats(struct jobs *j, struct jobs_stats *out)
{
    pthread_mutex_lock(&j->lock);
    *out = j->stats;
    pthread_mutex_unlock(&j->lock);
    out->webhooks = j->webhooks != NULL;
    out->distributed = j->distributed;
    struct webhook_stats ws;
    webhook_sender_stats(j->webhooks, &ws);
    out->webhooks_delivered = ws.delivered;
    out->webhooks_failed_attempts = ws.failed_attempts;
    out->webhooks_dead = ws.dead;
    out->webhooks_disabled = ws.disabled;
    struct store_outbox_counts oc = {0};
    struct err e;
    pthread_mutex_lock(&j->rlock);
    if (j->webhooks && store_outbox_counts(j->rst, NULL, &oc, &e))
        log_warn("could not count webhook deliveries", LOG_S("error", e.msg));
    pthread_mutex_unlock(&j->rlock);
    out->webhooks_pending = oc.pending;
    out->webhooks_dead_total = oc.dead;
}
