/* lease.c: scale-out, when the store is PostgreSQL and several processes
 * share it. The database is the queue: a worker claims the oldest job no
 * live worker holds, with a lease; a heartbeat renews the leases of this
 * node's jobs (and so learns of a takeover or of a cancel asked elsewhere);
 * a listener follows the events of jobs other nodes run, for the streams
 * this node serves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "jobs/jobs_int.h"
#include "model/event.h"

void jobs__deadline_in(struct timespec *t, int64_t ms)
{
    clock_gettime(CLOCK_REALTIME, t);
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

/* ---- claims ---- */

struct job *jobs__claim(struct jobs *j, struct store *st)
{
    struct store_job sj = {0};
    bool resumed = false, cancel = false;
    struct err e = {0};
    int rc = store_job_claim(st, j->node, j->cfg->lease_ms, &sj, &resumed, &cancel, &e);
    if (rc) {
        if (rc != CORE_ENOTFOUND)
            log_error("could not claim a job", LOG_S("error", e.msg));
        return NULL;
    }
    struct job *jb = xcalloc(1, sizeof *jb);
    if (jobs__parse_stored(sj.request, &jb->req)) {
        log_error("a claimed job's request cannot be read; it is ended", LOG_S("job_id", sj.id));
        jobs__enqueue(j, sj.id, 0, "failed", NULL);
        request_release(&jb->req);
        free(jb);
        store_job_release(&sj);
        return NULL;
    }
    jb->id = xstrdup(sj.id);
    jb->owner = xstrdup(sj.owner);
    jb->resume = resumed;
    jb->cancel = cancel;
    log_info(resumed ? "job reclaimed from a worker whose lease expired" : "job claimed",
             LOG_S("job_id", sj.id), LOG_S("node", j->node));
    pthread_mutex_lock(&j->lock);
    j->stats.claimed++;
    j->stats.reclaimed += resumed;
    pthread_mutex_unlock(&j->lock);
    store_job_release(&sj);
    return jb;
}

/* ---- the heartbeat ---- */

/* Scale-out: renews the leases of this node's jobs. A job another worker
 * took over (this node stalled past its lease) stops and stores nothing
 * more; a cancel asked on another node reaches the job here. */
static void *heartbeat_main(void *arg)
{
    struct jobs *j = arg;
    pthread_mutex_lock(&j->lock);
    while (!j->stopping) {
        struct timespec until;
        jobs__deadline_in(&until, j->cfg->lease_ms / 3);
        pthread_cond_timedwait(&j->hcond, &j->lock, &until);
        if (j->stopping)
            break;
        size_t n = 0;
        for (struct job *jb = j->active; jb; jb = jb->next)
            n++;
        char **ids = xcalloc(n + 1, sizeof *ids);
        n = 0;
        for (struct job *jb = j->active; jb; jb = jb->next)
            ids[n++] = xstrdup(jb->id);
        pthread_mutex_unlock(&j->lock);
        for (size_t i = 0; i < n; i++) {
            bool cancel = false;
            struct err e = {0};
            int rc = store_job_renew(j->hst, ids[i], j->node, j->cfg->lease_ms, &cancel, &e);
            pthread_mutex_lock(&j->lock);
            for (struct job *jb = j->active; jb; jb = jb->next) {
                if (strcmp(jb->id, ids[i]) != 0)
                    continue;
                if (rc == CORE_ENOTFOUND) {
                    jb->lost = true;
                    jb->cancel = 1;
                    log_warn("lost a job's lease to another worker; stopping it here",
                             LOG_S("job_id", jb->id));
                } else if (!rc && cancel) {
                    jb->cancel = 1;
                }
            }
            j->stats.renewals += rc == 0;
            pthread_mutex_unlock(&j->lock);
            free(ids[i]);
        }
        free(ids);
        pthread_mutex_lock(&j->lock);
    }
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

/* ---- the listener ---- */

/* Scale-out: the events of jobs other nodes run, for this node's streams.
 * A job's announcement (pg_notify) makes the listener read what its
 * subscribers have not had yet from the stored log, so replay and live
 * tail are one mechanism; every 2 s it also looks without one, in case an
 * announcement was missed. */
struct tail_ev {
    int64_t seq;
    char *type;
    struct buf frame;
    int64_t lag_ms; /* from the event's timestamp to now */
    struct tail_ev *next;
};

/* The epoch ms of an event's "timestamp" (ISO 8601 UTC, as event.c writes
 * it), or 0. */
static int64_t event_ms(const char *data)
{
    json_t *ev = json_loads(data, 0, NULL);
    const char *t = json_string_value(json_object_get(ev, "timestamp"));
    struct tm tm = {0};
    int ms = 0;
    int64_t at = 0;
    if (t && sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) == 7) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        at = (int64_t)timegm(&tm) * 1000 + ms;
    }
    json_decref(ev);
    return at;
}

static int collect_tail(void *ctx, int64_t seq, const char *type, const char *data)
{
    struct tail_ev **tail = ctx;
    struct tail_ev *t = xcalloc(1, sizeof *t);
    t->seq = seq;
    t->type = xstrdup(type);
    int64_t at = event_ms(data);
    t->lag_ms = at ? clock_now_ms() - at : 0;
    buf_init(&t->frame, 0);
    if (event_sse_frame(&t->frame, seq, type, data))
        log_warn("an event could not be framed");
    *tail = t;
    return 0;
}

static int append_tail(void *ctx, int64_t seq, const char *type, const char *data)
{
    struct tail_ev ***end = ctx;
    collect_tail(*end, seq, type, data);
    *end = &(**end)->next;
    return 0;
}

static void tail_job(struct jobs *j, const char *job_id)
{
    pthread_mutex_lock(&j->lock);
    int64_t from = jobs__followed_from(j, job_id);
    pthread_mutex_unlock(&j->lock);
    if (from < 0)
        return; /* nobody here follows it */
    struct tail_ev *head = NULL, **end = &head;
    struct err e = {0};
    if (store_events_after(j->lst, job_id, from, append_tail, &end, &e))
        log_warn("could not read a job's new events", LOG_S("error", e.msg));
    pthread_mutex_lock(&j->lock);
    for (struct tail_ev *t = head; t; t = t->next) {
        jobs__fanout(j, job_id, t->seq, t->type, &t->frame);
        j->stats.tail_events++;
        j->stats.tail_lag_ms += t->lag_ms;
    }
    pthread_mutex_unlock(&j->lock);
    while (head) {
        struct tail_ev *t = head;
        head = t->next;
        buf_release(&t->frame);
        free(t->type);
        free(t);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void *listener_main(void *arg)
{
    struct jobs *j = arg;
    int64_t next_sweep = clock_mono_ms() + 2000;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        bool stop = j->stopping;
        pthread_mutex_unlock(&j->lock);
        if (stop)
            break;
        char job_id[REQUEST_MAX_ID_CHARS + 1];
        struct err e = {0};
        if (!j->lst && store_open(j->cfg->db, &j->lst, &e)) {
            struct timespec nap = {1, 0};
            nanosleep(&nap, NULL);
            continue;
        }
        int rc = store_wait_event(j->lst, 250, job_id, sizeof job_id, &e);
        if (rc == 0) {
            tail_job(j, job_id);
            pthread_mutex_lock(&j->lock);
            j->stats.notifications++;
            pthread_mutex_unlock(&j->lock);
        } else if (rc != CORE_ETIMEOUT) {
            log_error("event announcements failed; reconnecting", LOG_S("error", e.msg));
            store_close(j->lst);
            j->lst = NULL;
            continue;
        }
        if (clock_mono_ms() >= next_sweep && j->lst) { /* whatever an announcement missed */
            next_sweep = clock_mono_ms() + 2000;
            size_t n = 0;
            pthread_mutex_lock(&j->lock);
            char **ids = jobs__followed_jobs(j, &n);
            pthread_mutex_unlock(&j->lock);
            /* Thousands of streams may follow one job: each job once. */
            if (n)
                qsort(ids, n, sizeof *ids, cmp_str);
            for (size_t i = 0; i < n; i++)
                if (i == 0 || strcmp(ids[i - 1], ids[i]) != 0)
                    tail_job(j, ids[i]);
            for (size_t i = 0; i < n; i++)
                free(ids[i]);
            free(ids);
        }
    }
    return NULL;
}

/* ---- start and stop ---- */

int jobs__lease_start(struct jobs *j, int workers, struct err *e)
{
    char host[64] = "node", hex[9];
    gethostname(host, sizeof host - 1);
    str_random_hex(hex, 4);
    snprintf(j->node, sizeof j->node, "%.40s-%d-%s", host, (int)getpid(), hex);
    if (store_open(j->cfg->db, &j->lst, e) || store_open(j->cfg->db, &j->hst, e)) {
        /* without a heartbeat, leases would lapse under running jobs */
        store_close(j->lst);
        j->lst = NULL;
        return CORE_EIO;
    }
    j->has_listener = pthread_create(&j->listener, NULL, listener_main, j) == 0;
    if (workers > 0)
        j->has_heartbeat = pthread_create(&j->heartbeat, NULL, heartbeat_main, j) == 0;
    log_info("jobs are shared through the database", LOG_S("node", j->node),
             LOG_I("workers", workers));
    return 0;
}

void jobs__lease_stop(struct jobs *j)
{
    if (j->has_heartbeat)
        pthread_join(j->heartbeat, NULL);
    if (j->has_listener)
        pthread_join(j->listener, NULL);
    store_close(j->lst);
    store_close(j->hst);
    j->lst = j->hst = NULL;
}
