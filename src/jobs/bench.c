/* bench.c: the benchmark hooks of jobs_bench.h. A benchmark job sits in the
 * list of running jobs with no worker (jobs_free frees it); its events go
 * through the writer and the fan-out like a pipeline's.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "jobs/jobs_bench.h"
#include "jobs/jobs_int.h"
#include "model/event.h"

int jobs_bench_open(struct jobs *j, const char *id, struct err *e)
{
    pthread_mutex_lock(&j->rlock);
    int rc = store_job_create(j->rst, id, "bench", "", "{}", e);
    pthread_mutex_unlock(&j->rlock);
    if (rc)
        return rc;
    struct job *jb = xcalloc(1, sizeof *jb);
    jb->id = xstrdup(id);
    jb->running = true;
    pthread_mutex_lock(&j->lock);
    jb->next = j->active; /* live, with no worker: nothing ends it */
    j->active = jb;
    pthread_mutex_unlock(&j->lock);
    return 0;
}

int jobs_bench_publish(struct jobs *j, const char *id, const char *message)
{
    int64_t seq = 0;
    pthread_mutex_lock(&j->lock);
    for (struct job *jb = j->active; jb; jb = jb->next)
        if (strcmp(jb->id, id) == 0)
            seq = ++jb->bench_seq;
    pthread_mutex_unlock(&j->lock);
    if (!seq)
        return CORE_ENOTFOUND;
    struct event_head h = {id, "bench", clock_now_ms()};
    json_t *ev = event_status_update(&h, message, "bench", -1);
    char *data = event_dump(ev);
    jobs__enqueue(j, id, seq, "status_update", data);
    free(data);
    json_decref(ev);
    return 0;
}
