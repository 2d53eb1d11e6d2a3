/* writer.c: the log writer. One thread owns the store's write connection:
 * it stores each event a job sends (with its webhook delivery, in one
 * transaction) before it hands the event to the job's streams, so that a
 * stream never shows what the log lacks; it also stores status changes and
 * purges the jobs past PROSPECT_RETENTION_DAYS, hourly.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "jobs/jobs_int.h"
#include "model/event.h"

#define PURGE_EVERY_MS (3600 * 1000LL)

struct write_item {
    char *job_id;
    int64_t seq; /* 0: a status change */
    char *type;  /* event type, or the new status */
    char *data;  /* event JSON, or the summary JSON (may be NULL) */
    struct write_item *next;
};

void jobs__enqueue(struct jobs *j, const char *job_id, int64_t seq, const char *type,
                   const char *data)
{
    struct write_item *it = xcalloc(1, sizeof *it);
    it->job_id = xstrdup(job_id);
    it->seq = seq;
    it->type = xstrdup(type);
    it->data = data ? xstrdup(data) : NULL;
    pthread_mutex_lock(&j->lock);
    if (j->q_tail)
        j->q_tail->next = it;
    else
        j->q_head = it;
    j->q_tail = it;
    pthread_cond_signal(&j->wcond);
    pthread_mutex_unlock(&j->lock);
}

/* Deletes the jobs that finished more than PROSPECT_RETENTION_DAYS ago. */
static void purge(struct jobs *j)
{
    j->next_purge_mono = clock_mono_ms() + PURGE_EVERY_MS;
    int64_t n = 0;
    struct err e = {0};
    int64_t before = clock_now_ms() - j->cfg->retention_days * 86400 * 1000LL;
    if (store_jobs_purge(j->wst, before, &n, &e))
        log_error("could not purge old jobs", LOG_S("error", e.msg));
    else if (n)
        log_info("purged jobs past their retention", LOG_I("jobs", n),
                 LOG_I("retention_days", j->cfg->retention_days));
}

void *jobs__writer_main(void *arg)
{
    struct jobs *j = arg;
    const char *webhook_url = j->cfg->webhook_enabled ? j->cfg->webhook_url : NULL;
    pthread_mutex_lock(&j->lock);
    for (;;) {
        while (!j->q_head && !j->stopping) {
            if (j->cfg->retention_days && clock_mono_ms() >= j->next_purge_mono) {
                pthread_mutex_unlock(&j->lock);
                purge(j);
                pthread_mutex_lock(&j->lock);
                continue;
            }
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 60; /* to look at the purge clock now and then */
            pthread_cond_timedwait(&j->wcond, &j->lock, &until);
        }
        if (!j->q_head)
            break;
        struct write_item *it = j->q_head;
        j->q_head = it->next;
        if (!j->q_head)
            j->q_tail = NULL;
        pthread_mutex_unlock(&j->lock);

        struct err e = {0};
        int rc = it->seq ? store_event_append(j->wst, it->job_id, it->seq, it->type, it->data,
                                              webhook_url, &e)
                         : store_job_status(j->wst, it->job_id, it->type, it->data, &e);
        if (rc)
            log_error("store write failed", LOG_S("job_id", it->job_id), LOG_S("error", e.msg));
        else if (it->seq)
            webhook_sender_kick(j->webhooks);

        struct buf frame; /* one frame for every subscriber */
        buf_init(&frame, 0);
        if (it->seq && !rc && event_sse_frame(&frame, it->seq, it->type, it->data))
            rc = CORE_ETOOBIG;
        pthread_mutex_lock(&j->lock);
        if (it->seq && !rc) {
            j->stats.events_stored++;
            jobs__fanout(j, it->job_id, it->seq, it->type, &frame);
        }
        buf_release(&frame);
        free(it->job_id);
        free(it->type);
        free(it->data);
        free(it);
    }
    pthread_mutex_unlock(&j->lock);
    return NULL;
}
