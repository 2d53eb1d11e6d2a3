/* health.c: /health (the process answers) and /ready (it can serve jobs:
 * the store answers), for load balancers and orchestrators. Both are open:
 * no key, no rate limit (server.c's admit). */
#include <microhttpd.h>

#include <jansson.h>

#include "http/http_int.h"
#include "jobs/jobs.h"

enum MHD_Result http__health(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    (void)sv;
    return http__respond_json(c, cx, 200, json_pack("{s:s}", "status", "ok"));
}

enum MHD_Result http__ready(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    bool ok = jobs_ready(sv->jobs);
    return http__respond_json(
        c, cx, ok ? 200 : 503,
        json_pack("{s:s, s:b}", "status", ok ? "ready" : "unavailable", "store", ok));
}
