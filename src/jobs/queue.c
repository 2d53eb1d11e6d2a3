/* queue.c: the jobs queued and running here, and the worker threads that
 * run them. A worker takes the next job (from the local queue, or with a
 * shared store one it claims from the database), runs its pipeline, hands
 * each event to the writer and writes the job's audit line.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "jobs/jobs_int.h"
#include "model/event.h"
#include "pipeline/pipeline.h"

void jobs__job_free(struct job *jb)
{
    free(jb->id);
    free(jb->owner);
    request_release(&jb->req);
    free(jb);
}

int jobs__parse_stored(const char *json, struct request *out)
{
    struct request_limits lim = {.max_body_bytes = (size_t)-1 / 2,
                                 .max_string_chars = (size_t)-1 / 2,
                                 .max_list_items = (size_t)-1 / 2,
                                 .max_depth = 64,
                                 .max_leads = 1 << 30};
    struct problems p = {0};
    int rc = request_parse(json, strlen(json), &lim, 0, out, &p);
    problems_release(&p);
    return rc;
}

void jobs__queue(struct jobs *j, struct job *jb)
{
    pthread_mutex_lock(&j->lock);
    struct job **tail = &j->pending;
    while (*tail)
        tail = &(*tail)->next;
    *tail = jb;
    j->stats.submitted++;
    j->stats.queued++;
    pthread_cond_signal(&j->jcond);
    pthread_mutex_unlock(&j->lock);
}

static bool live_here(struct jobs *j, const char *id)
{
    struct job *lists[] = {j->active, j->pending};
    for (int l = 0; l < 2; l++)
        for (struct job *jb = lists[l]; jb; jb = jb->next)
            if (strcmp(jb->id, id) == 0)
                return true;
    return false;
}

bool jobs__live_locked(struct jobs *j, const char *id, const struct store_job *sj)
{
    if (live_here(j, id))
        return true;
    return j->distributed && sj &&
           (strcmp(sj->status, "queued") == 0 || strcmp(sj->status, "running") == 0);
}

/* ---- the workers ---- */

struct run_ctx {
    struct jobs *j;
    struct job *jb;
    const char *id;
    int64_t leads;
    const char *outcome; /* of the last event; NULL: none (stopped by a shutdown) */
};

static void on_event(void *ctx, int64_t seq, enum event_type type, json_t *ev)
{
    struct run_ctx *rc = ctx;
    pthread_mutex_lock(&rc->j->lock);
    bool stopping = rc->j->stopping || rc->jb->lost;
    pthread_mutex_unlock(&rc->j->lock);
    if (stopping)
        return; /* shutting down (the job stays "running", to resume), or taken over */
    char *s = event_dump(ev);
    jobs__enqueue(rc->j, rc->id, seq, event_type_name(type), s);
    free(s);
    rc->leads += type == EVENT_LEAD_GENERATED;
    if (type == EVENT_PIPELINE_END || type == EVENT_PIPELINE_ERROR) {
        json_t *summary = json_object_get(ev, "summary");
        char *sum = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
        bool cancelled =
            type == EVENT_PIPELINE_END && !json_is_true(json_object_get(ev, "success"));
        rc->outcome = type == EVENT_PIPELINE_ERROR ? "failed"
                      : cancelled                  ? "cancelled"
                                                   : "succeeded";
        jobs__enqueue(rc->j, rc->id, 0, rc->outcome, sum);
        free(sum);
    }
}

/* The next job for a worker (lock held; NULL when stopping): the local
 * queue's, or with a shared store one claimed from it, polling while none
 * is free (a job submitted here wakes this node's workers at once). */
static struct job *next_job(struct jobs *j, struct store *st)
{
    while (!j->stopping) {
        if (!j->distributed) {
            if (j->pending) {
                struct job *jb = j->pending;
                j->pending = jb->next;
                j->stats.queued--;
                return jb;
            }
            pthread_cond_wait(&j->jcond, &j->lock);
            continue;
        }
        pthread_mutex_unlock(&j->lock);
        struct job *jb = jobs__claim(j, st);
        pthread_mutex_lock(&j->lock);
        if (jb)
            return jb;
        struct timespec until;
        jobs__deadline_in(&until, 300);
        pthread_cond_timedwait(&j->jcond, &j->lock, &until);
    }
    return NULL;
}

void *jobs__worker_main(void *arg)
{
    struct jobs *j = arg;
    struct store *st = NULL;
    struct err e = {0};
    if (store_open(j->cfg->db, &st, &e)) {
        log_error("a worker cannot open the store", LOG_S("error", e.msg));
        return NULL;
    }
    pthread_mutex_lock(&j->lock);
    for (;;) {
        struct job *jb = next_job(j, st);
        if (!jb)
            break;
        jb->running = true;
        jb->next = j->active;
        j->active = jb;
        j->stats.running++;
        pthread_mutex_unlock(&j->lock);

        if (!j->distributed) /* a claim marks it running in the database */
            jobs__enqueue(j, jb->id, 0, "running", NULL);
        struct run_ctx rc = {j, jb, jb->id, 0, NULL};
        int64_t t0 = clock_mono_ms();
        struct pipeline_options opt = {.cfg = j->cfg,
                                       .store = st,
                                       .emit = on_event,
                                       .emit_ctx = &rc,
                                       .cancel = &jb->cancel,
                                       .resume = jb->resume};
        pipeline_budget_from_config(j->cfg, &opt.budget);
        int r = pipeline_run(&jb->req, &opt);
        log_info("job finished", LOG_S("job_id", jb->id), LOG_I("rc", r));
        jobs__audit(j, jb, rc.leads, rc.outcome, clock_mono_ms() - t0);

        pthread_mutex_lock(&j->lock);
        j->stats.running--;
        if (r == 0)
            j->stats.succeeded++;
        else if (r == CORE_ECANCELED)
            j->stats.cancelled++;
        else
            j->stats.failed++;
        for (struct job **p = &j->active; *p; p = &(*p)->next)
            if (*p == jb) {
                *p = jb->next;
                break;
            }
        jobs__job_free(jb);
    }
    pthread_mutex_unlock(&j->lock);
    store_close(st);
    return NULL;
}
