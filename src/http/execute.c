/* execute.c: the seed's endpoint, POST /api/v2/execute_streaming_prospect:
 * starts a job like POST /api/v2/jobs, then answers with its events as a
 * stream (DESIGN.md's contract). The job outlives a client that hangs up;
 * its events stay at /api/v2/jobs/{id}/events.
 */
#include <microhttpd.h>

#include "http/http_int.h"
#include "model/request.h"

enum MHD_Result http__execute(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    struct request req;
    enum MHD_Result ret;
    if (http__job_submit(sv, c, cx, false, &req, &ret))
        return ret;
    ret = http__stream(sv, c, cx, req.job_id, 0);
    request_release(&req);
    return ret;
}
