/* recovery.c: what a restart finds. With its own store, a process that
 * crashed or was stopped left jobs queued or running; at the next start
 * queued ones are queued again and running ones resume from their stored
 * events, or end in pipeline_error keeping their leads (PROSPECT_RECOVERY).
 * With a shared store there is nothing to do here: leases hand a dead
 * node's jobs to the others (lease.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "jobs/jobs_int.h"
#include "model/event.h"

struct unfinished {
    char **ids, **statuses;
    int64_t *last_seq;
    size_t n;
};

static int add_unfinished(void *ctx, int64_t last_seq, const char *status, const char *id)
{
    struct unfinished *u = ctx;
    u->ids = xrealloc(u->ids, (u->n + 1) * sizeof *u->ids);
    u->statuses = xrealloc(u->statuses, (u->n + 1) * sizeof *u->statuses);
    u->last_seq = xrealloc(u->last_seq, (u->n + 1) * sizeof *u->last_seq);
    u->ids[u->n] = xstrdup(id);
    u->statuses[u->n] = xstrdup(status);
    u->last_seq[u->n++] = last_seq;
    return 0;
}

/* Ends a job a restart found unfinished with pipeline_error, keeping what
 * it stored (PROSPECT_RECOVERY=fail, or a request that cannot be read). */
static void end_interrupted(struct jobs *j, const struct store_job *sj, const char *why)
{
    struct event_head h = {sj->id, sj->user_id, clock_now_ms()};
    char msg[400];
    snprintf(msg, sizeof msg,
             "The server stopped while this job ran (%s); the %lld lead%s found before are kept. "
             "Start the job again to look for more.",
             why, (long long)sj->leads, sj->leads == 1 ? "" : "s");
    json_t *ev = event_pipeline_error(&h, msg, "interrupted", "recovery");
    json_t *summary = json_pack("{s:I, s:b}", "leads_kept", (json_int_t)sj->leads, "recovered", 1);
    json_object_set(ev, "summary", summary);
    char *data = event_dump(ev);
    char *sum = json_dumps(summary, JSON_COMPACT);
    jobs__enqueue(j, sj->id, sj->last_seq + 1, "pipeline_error", data);
    jobs__enqueue(j, sj->id, 0, "failed", sum);
    free(data);
    free(sum);
    json_decref(summary);
    json_decref(ev);
}

void jobs__recover(struct jobs *j)
{
    struct unfinished u = {0};
    struct err e = {0};
    if (store_jobs_unfinished(j->rst, add_unfinished, &u, &e))
        log_error("could not look for unfinished jobs", LOG_S("error", e.msg));
    bool resume = strcmp(j->cfg->recovery, "resume") == 0;
    int64_t resumed = 0, ended = 0;
    for (size_t i = 0; i < u.n; i++) {
        struct store_job sj = {0};
        if (store_job_get(j->rst, u.ids[i], &sj, &e) == 0) {
            struct job *jb = xcalloc(1, sizeof *jb);
            bool was_running = strcmp(u.statuses[i], "running") == 0;
            if ((was_running && !resume) || jobs__parse_stored(sj.request, &jb->req)) {
                end_interrupted(j, &sj,
                                was_running && !resume ? "PROSPECT_RECOVERY=fail"
                                                       : "its request could not be read");
                request_release(&jb->req);
                free(jb);
                ended++;
            } else {
                jb->id = xstrdup(sj.id);
                jb->owner = xstrdup(sj.owner);
                jb->resume = was_running;
                jobs__queue(j, jb);
                resumed++;
            }
        }
        store_job_release(&sj);
        free(u.ids[i]);
        free(u.statuses[i]);
    }
    free(u.ids);
    free(u.statuses);
    free(u.last_seq);
    if (resumed || ended)
        log_info("unfinished jobs found at start", LOG_I("continued", resumed),
                 LOG_I("ended", ended), LOG_S("recovery", j->cfg->recovery));
}
