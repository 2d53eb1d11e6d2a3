/* jobs_int.h: what the files of the job manager share: the manager, a job,
 * and the steps each file offers the others.
 *
 * jobs.c      the manager's start and stop, and the API of jobs.h that
 *             submits, cancels, deletes and reads jobs
 * queue.c     the jobs queued and running here, and the workers running them
 * writer.c    the writer thread: stores each event, then hands it to fan-out
 * fanout.c    subscriptions: a job's events as SSE frames for its streams
 * lease.c     scale-out (a PostgreSQL store): claims, the heartbeat renewing
 *             leases, the listener following the events of other nodes' jobs
 * recovery.c  what a restart finds unfinished (one node, its own store)
 * audit.c     the audit log: one line per job that ran here
 * bench.c     the benchmark hooks of jobs_bench.h
 *
 * Threads: N workers run pipelines; one writer owns the write connection of
 * the store; the webhook sender has its own. A worker's events go to the
 * writer's queue; the writer stores each one (with its webhook delivery, in
 * one transaction), then appends it to the subscribers of its job, wakes
 * them and kicks the sender. The writer also purges expired jobs.
 * One mutex (lock) guards the queues, the registry of jobs, the
 * subscriptions and the figures; the read connection (replays, status) has
 * its own (rlock). Lock order: lock, then rlock; the wake and suspend
 * callbacks run under lock.
 */
#ifndef PROSPECT_JOBS_INT_H
#define PROSPECT_JOBS_INT_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/buf.h"
#include "jobs/jobs.h"
#include "model/request.h"
#include "store/store.h"
#include "webhook/webhook.h"

#define MAX_WORKERS 64

struct job {
    char *id, *owner;
    struct request req;
    volatile sig_atomic_t cancel;
    bool running;
    bool resume;       /* left unfinished by a restart: continue from the store */
    bool lost;         /* scale-out: another worker took it over; store nothing more */
    int64_t bench_seq; /* a benchmark job's last seq */
    struct job *next;
};

struct write_item; /* writer.c: an event or a status change to store */

struct jobs {
    const struct config *cfg;
    struct store *wst, *rst;
    pthread_mutex_t lock, rlock;
    pthread_cond_t wcond, jcond, hcond;
    struct write_item *q_head, *q_tail;
    struct job *pending, *active;
    struct jobs_sub *subs;
    pthread_t writer, workers[MAX_WORKERS];
    int nworkers;
    bool stopping;
    struct jobs_stats stats;
    struct webhook_sender *webhooks; /* NULL: webhooks off */
    int audit_fd;                    /* PROSPECT_AUDIT_LOG, or stderr */
    /* Scale-out (a PostgreSQL store): jobs are claimed from the database
     * with a lease a heartbeat renews; a listener follows every job's
     * events for the streams of this node. */
    bool distributed;
    char node[64];
    struct store *lst, *hst; /* the listener's and the heartbeat's connections */
    pthread_t listener, heartbeat;
    bool has_listener, has_heartbeat, has_writer;
    int64_t next_purge_mono;
};

/* ---- audit.c ---- */

/* jobs__audit_open(j, e): opens PROSPECT_AUDIT_LOG for appending into
 * j->audit_fd (stderr when unset). CORE_EIO when it cannot be opened. */
int jobs__audit_open(struct jobs *j, struct err *e) __attribute__((warn_unused_result));

/* jobs__audit_close(j): closes the audit log (not stderr). */
void jobs__audit_close(struct jobs *j);

/* jobs__audit(j, jb, leads, outcome, ms): writes the audit line of job jb,
 * which ran here for ms with leads found; outcome is that of its last event,
 * or NULL when a shutdown stopped it ("interrupted"). Worker thread. */
void jobs__audit(struct jobs *j, const struct job *jb, int64_t leads, const char *outcome,
                 int64_t ms);

/* ---- queue.c ---- */

/* jobs__job_free(jb): frees a job that is in no list. */
void jobs__job_free(struct job *jb);

/* jobs__parse_stored(json, out): reads a request this server validated and
 * stored before (it may exceed limits lowered since) into out, which the
 * caller releases (request_release) even on failure. 0, or request_parse's
 * error. */
int jobs__parse_stored(const char *json, struct request *out) __attribute__((warn_unused_result));

/* jobs__queue(j, jb): appends jb (taken) to the local queue, counts it
 * submitted and wakes a worker. Takes j->lock. */
void jobs__queue(struct jobs *j, struct job *jb);

/* jobs__live_locked(j, id, sj): whether job id is queued or running: here,
 * or with a shared store on any node (sj: its stored row, or NULL). With
 * j->lock held. */
bool jobs__live_locked(struct jobs *j, const char *id, const struct store_job *sj);

/* jobs__worker_main(j): a worker thread: runs jobs until j->stopping. */
void *jobs__worker_main(void *arg);

/* ---- writer.c ---- */

/* jobs__enqueue(j, job_id, seq, type, data): hands the writer an event
 * (seq > 0: its type and JSON) or a status change of the job (seq 0: the
 * new status in type, the summary JSON in data, or NULL). Copies its
 * arguments. Takes j->lock. */
void jobs__enqueue(struct jobs *j, const char *job_id, int64_t seq, const char *type,
                   const char *data);

/* jobs__writer_main(j): the writer thread: stores what jobs__enqueue
 * queued, in order, then fans each stored event out; purges expired jobs.
 * Drains its queue once j->stopping, then ends. */
void *jobs__writer_main(void *arg);

/* ---- fanout.c ---- */

/* jobs__fanout(j, job_id, seq, type, frame): appends event seq of job_id,
 * framed once by the caller, to each of the job's streams that has had the
 * events before it, and wakes them. Borrows frame. With j->lock held. */
void jobs__fanout(struct jobs *j, const char *job_id, int64_t seq, const char *type,
                  const struct buf *frame);

/* jobs__followed_from(j, job_id): the last event seq that the least advanced
 * of job_id's unended streams has had; -1 when no stream follows it. With
 * j->lock held. */
int64_t jobs__followed_from(struct jobs *j, const char *job_id);

/* jobs__followed_jobs(j, n): the job ids unended streams follow, one per
 * stream (repeats included), in a new array the caller frees (each id too);
 * NULL when *n is 0. With j->lock held. */
char **jobs__followed_jobs(struct jobs *j, size_t *n);

/* ---- lease.c ---- */

/* jobs__deadline_in(t, ms): t becomes the CLOCK_REALTIME time ms from now,
 * for pthread_cond_timedwait. */
void jobs__deadline_in(struct timespec *t, int64_t ms);

/* jobs__lease_start(j, workers, e): names this node, opens the listener's
 * and the heartbeat's connections and starts the listener (and, with
 * workers, the heartbeat). CORE_EIO when a connection cannot be opened
 * (nothing is left open or started then). */
int jobs__lease_start(struct jobs *j, int workers, struct err *e)
    __attribute__((warn_unused_result));

/* jobs__lease_stop(j): joins the heartbeat and the listener (after
 * j->stopping was set and hcond broadcast) and closes their connections.
 * Does nothing without a shared store. */
void jobs__lease_stop(struct jobs *j);

/* jobs__claim(j, st): the oldest job no live worker holds, claimed for this
 * node on the worker's connection st, as a new job the caller owns; NULL
 * when none is free (or on an error, logged). */
struct job *jobs__claim(struct jobs *j, struct store *st);

/* ---- recovery.c ---- */

/* jobs__recover(j): finds the jobs a crash or a stop left queued or
 * running: queued ones are queued again; running ones resume from their
 * stored events, or end (PROSPECT_RECOVERY). Before the writer and the
 * workers start; one node with its own store only. */
void jobs__recover(struct jobs *j);

#include "core/banned.h"
#endif
