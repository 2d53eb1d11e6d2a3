/* sse.c: a job's events as a text/event-stream answer. The bytes come from
 * a jobs_sub (jobs.h); a stream with nothing to send is suspended until the
 * job's writer wakes it, so an idle stream holds no thread.
 */
#include <stdlib.h>

#include <microhttpd.h>

#include "core/alloc.h"
#include "http/http_int.h"
#include "jobs/jobs.h"

#define STREAM_BUFFER (256 * 1024) /* bytes a slow stream may fall behind */

struct stream {
    struct MHD_Connection *c;
    struct jobs_sub *sub;
};

static void stream_wake(void *ctx)
{
    MHD_resume_connection(((struct stream *)ctx)->c);
}

static void stream_suspend(void *ctx)
{
    MHD_suspend_connection(((struct stream *)ctx)->c);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct stream *s = cls;
    bool ended = false;
    size_t n = jobs_sub_read(s->sub, buf, max, &ended);
    if (n)
        return (ssize_t)n;
    return ended ? MHD_CONTENT_READER_END_OF_STREAM : 0; /* 0: suspended until woken */
}

static void stream_free(void *cls)
{
    struct stream *s = cls;
    jobs_unsubscribe(s->sub);
    free(s);
}

enum MHD_Result http__stream(struct server *sv, struct MHD_Connection *c, struct conn *cx,
                             const char *job_id, int64_t after)
{
    struct stream *s = xcalloc(1, sizeof *s);
    s->c = c;
    struct err e = {0};
    int rc = jobs_subscribe(sv->jobs, job_id, after, STREAM_BUFFER, stream_wake, stream_suspend, s,
                            &s->sub, &e);
    if (rc) {
        free(s);
        return http__job_failed(c, cx, rc, &e);
    }
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 2048, stream_read, s, stream_free);
    MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    http__decorate(r, cx);
    cx->status = 200;
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}
