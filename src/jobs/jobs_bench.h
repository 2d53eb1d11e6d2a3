/* jobs_bench.h: benchmark hooks of the job manager, for bench/sse.sh: jobs
 * that run no pipeline, whose events a benchmark sends, to measure the
 * writer and the fan-out alone. The server offers them only with
 * PROSPECT_BENCH_ROUTES=1. Thread: any.
 */
#ifndef PROSPECT_JOBS_BENCH_H
#define PROSPECT_JOBS_BENCH_H

#include "core/err.h"
#include "jobs/jobs.h"

/* jobs_bench_open(j, id, e): a job that runs no pipeline and stays live, so
 * that streams follow it until the process stops. */
int jobs_bench_open(struct jobs *j, const char *id, struct err *e)
    __attribute__((warn_unused_result));

/* jobs_bench_publish(j, id, message): appends a status_update carrying
 * message to such a job, through the writer like any event. */
int jobs_bench_publish(struct jobs *j, const char *id, const char *message);

#include "core/banned.h"
#endif
