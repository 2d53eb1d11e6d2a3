/* jobs.h: the job manager of `prospect serve`: jobs run on a small pool of
 * worker threads; their events go to one writer thread, which stores each
 * event (the job's log) before it hands it to the job's subscribers, so a
 * subscriber that joins late, reconnects or is slow loses nothing: it
 * replays from the log, then follows the live tail.
 * Thread: every function may be called from any thread.
 */
#ifndef PROSPECT_JOBS_H
#define PROSPECT_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config/config.h"
#include "core/err.h"
#include "model/request.h"
#include "store/store.h"

struct jobs;

/* jobs_new(cfg, workers, out, e): opens the audit log (PROSPECT_AUDIT_LOG:
 * one JSON line per finished job: time, key, user_id, job_id, SHA-256 of
 * the business context, leads, duration, outcome), opens the store (cfg->db, borrowed for the
 * manager's life), starts the webhook sender when webhooks are on, finds
 * the jobs a crash or stop left unfinished (queued ones are queued again;
 * running ones resume from their stored events, or end in pipeline_error
 * keeping their leads: PROSPECT_RECOVERY), and starts the writer and the
 * workers. The writer purges jobs past PROSPECT_RETENTION_DAYS hourly. */
int jobs_new(const struct config *cfg, int workers, struct jobs **out, struct err *e)
    __attribute__((warn_unused_result));

/* jobs_free(j): stops: running jobs are stopped without a last event, so
 * that the store keeps them as "running" (resumable); queued ones stay
 * queued. Frees the manager once its threads are done. NULL is fine. */
void jobs_free(struct jobs *j);

/* jobs_submit(j, req, owner, e): stores the job (queued) and queues it;
 * owner names the API key that started it ("" without keys). CORE_EEXIST
 * when the job id is taken. req is copied. */
int jobs_submit(struct jobs *j, const struct request *req, const char *owner, struct err *e)
    __attribute__((warn_unused_result));

/* jobs_visible(j, id, owner): 0 when job id exists and owner started it,
 * else CORE_ENOTFOUND (another key's job is as good as none). */
int jobs_visible(struct jobs *j, const char *id, const char *owner);

/* jobs_active(j, owner): jobs of owner queued or running here. */
int jobs_active(struct jobs *j, const char *owner);

/* jobs_delete(j, id, e): deletes a finished job and all its data (events,
 * leads, deliveries). CORE_EBUSY while it runs here; CORE_ENOTFOUND. */
int jobs_delete(struct jobs *j, const char *id, struct err *e) __attribute__((warn_unused_result));

/* jobs_cancel(j, id): asks a running or queued job to stop. 0, or
 * CORE_ENOTFOUND when this process runs no such job. */
int jobs_cancel(struct jobs *j, const char *id);

/* jobs_status(j, id, out, e): the job as JSON (id, user, status, times,
 * leads, last event id, summary), new reference; CORE_ENOTFOUND. */
int jobs_status(struct jobs *j, const char *id, json_t **out, struct err *e)
    __attribute__((warn_unused_result));

/* jobs_events(j, id, after, fn, ctx, e): the stored events of job id with
 * seq > after, in order (store_events_after on the manager's reader). */
int jobs_events(struct jobs *j, const char *id, int64_t after, store_event_fn fn, void *ctx,
                struct err *e) __attribute__((warn_unused_result));

/* jobs_list(j, owner, limit, out, e): the newest jobs (of owner; NULL:
 * everyone's) as a JSON array of {job_id, user_id, status, created_at,
 * finished_at, leads, title}; new reference. The title names the job for
 * people: the request's user_search_query, else its business_description,
 * else its ideal_customer, else "Enrich N companies". */
int jobs_list(struct jobs *j, const char *owner, size_t limit, json_t **out, struct err *e)
    __attribute__((warn_unused_result));

/* jobs_leads(j, id, out, e): the job's leads as a JSON array; new reference. */
int jobs_leads(struct jobs *j, const char *id, json_t **out, struct err *e)
    __attribute__((warn_unused_result));

/* jobs_ready(j): whether the store answers. */
bool jobs_ready(struct jobs *j);

/* ---- subscriptions: a job's event stream as SSE bytes ---- */

struct jobs_sub;

/* A subscriber's callbacks, called under the manager's lock: suspend when a
 * read finds nothing yet (from jobs_sub_read's thread), wake when bytes
 * arrive for a suspended subscriber (from any thread). */
typedef void (*jobs_wake_fn)(void *ctx);

/* jobs_subscribe(j, id, after, max_buffer, wake, suspend, ctx, out, e): the
 * events of job id with seq > after (replayed from the store), then the
 * live tail, as SSE frames. A subscriber that falls max_buffer bytes behind
 * is ended with a final comment (it may resume by id). CORE_ENOTFOUND for an
 * unknown job. Free with jobs_unsubscribe (no callback comes after it). */
int jobs_subscribe(struct jobs *j, const char *id, int64_t after, size_t max_buffer,
                   jobs_wake_fn wake, jobs_wake_fn suspend, void *ctx, struct jobs_sub **out,
                   struct err *e) __attribute__((warn_unused_result));

/* jobs_sub_read(s, buf, max, ended): copies up to max pending bytes; *ended
 * when no more will come (the job's last event was sent, or the stream was
 * cut). When nothing is pending it calls the suspend callback. Returns the
 * number of bytes copied. */
size_t jobs_sub_read(struct jobs_sub *s, char *buf, size_t max, bool *ended);

void jobs_unsubscribe(struct jobs_sub *s);

/* jobs_comment_all(j, text, end): appends an SSE comment to every stream
 * (keep-alive; shutdown), ending them when end. */
void jobs_comment_all(struct jobs *j, const char *text, bool end);

struct jobs_stats {
    int64_t submitted, running, queued, succeeded, failed, cancelled;
    int64_t streams, events_stored;
    bool webhooks; /* on */
    int64_t webhooks_delivered, webhooks_failed_attempts, webhooks_dead, webhooks_disabled;
    int64_t webhooks_pending, webhooks_dead_total;       /* in the outbox now */
    bool distributed;                                    /* jobs shared through PostgreSQL */
    int64_t claimed, reclaimed, renewals, notifications; /* this node's, scale-out */
    int64_t tail_events, tail_lag_ms; /* events read after an announcement; their total lag */
};

void jobs_stats(struct jobs *j, struct jobs_stats *out);

#include "core/banned.h"
#endif
