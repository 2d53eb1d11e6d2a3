/* bench_routes.c: bench/sse.sh's routes (bench_routes.h): a live job that
 * the benchmark publishes into while thousands of streams follow it at
 * /api/v2/jobs/ID/events. Test build only; /metrics counts them as
 * "other". */
#include <microhttpd.h>

#include <jansson.h>

#include "core/buf.h"
#include "http/bench_routes.h"
#include "http/http_int.h"
#include "jobs/jobs.h"
#include "jobs/jobs_bench.h"

static enum MHD_Result answer(struct MHD_Connection *c, struct conn *cx, int rc)
{
    return rc ? http__error(c, cx, rc == CORE_ENOTFOUND ? 404 : 409, "bench", "no")
              : http__respond_json(c, cx, 200, json_pack("{s:s}", "status", "ok"));
}

static enum MHD_Result bench_open(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    struct err e = {0};
    return answer(c, cx, jobs_bench_open(sv->jobs, cx->tail, &e));
}

static enum MHD_Result bench_publish(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    return answer(c, cx, jobs_bench_publish(sv->jobs, cx->tail, buf_cstr(&cx->body)));
}

/* The ID is the rest of the path, as the benchmark sends it. */
static const struct http_route bench_routes[] = {
    {M_POST, "/bench/open/*", R_OTHER, bench_open, F_NO_405},
    {M_POST, "/bench/publish/*", R_OTHER, bench_publish, F_NO_405},
};

void http_bench_routes_register(void)
{
    http__set_bench_routes(bench_routes, sizeof bench_routes / sizeof *bench_routes);
}
