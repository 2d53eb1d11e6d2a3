/* http_int.h: what the files of src/http share: the server, a request's
 * state, the route table's rows, the answer helpers (JSON, errors, CORS
 * headers) and the handlers, one file per resource. */
#ifndef PROSPECT_HTTP_INT_H
#define PROSPECT_HTTP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>
#include <jansson.h>

#include "config/config.h"
#include "core/buf.h"
#include "http/access.h"
#include "jobs/jobs.h"
#include "model/request.h"

struct mcp;
struct mcp_http;

enum route {
    R_EXECUTE,
    R_JOBS_CREATE,
    R_ENRICH,
    R_JOB,
    R_JOB_EVENTS,
    R_JOB_LEADS,
    R_JOB_CANCEL,
    R_JOB_DATA,
    R_MCP,
    R_HEALTH,
    R_READY,
    R_METRICS,
    R_OPENAPI,
    R_PAGE,
    R_OTHER,
    R_N
};

struct server {
    const struct config *cfg;
    struct jobs *jobs;
    struct access *access;
    struct request_limits lim;
    bool bench; /* bench routes registered and PROSPECT_BENCH_ROUTES=1 */
    struct mcp *mcp;
    struct mcp_http *mcp_sessions;
};

struct conn {
    struct buf body;
    bool too_large, rejected;
    int64_t started;
    enum route route;
    unsigned status;
    char key[ACCESS_NAME_MAX]; /* the API key's name; "" without keys */
    char addr[64];             /* the client's address */
    char *origin;              /* an allowed CORS origin that asked, or NULL */
    /* Set when the request is routed; url and method are libmicrohttpd's,
     * valid until the request completes. */
    const char *url, *method;
    char id[REQUEST_MAX_ID_CHARS + 1]; /* the job id of the path's {id}, or "" */
    const char *tail;                  /* what the path's final * matched (in url) */
};

/* ---- the route table (server.c) ---- */

/* The methods a route answers; HEAD is answered as GET. */
enum { M_GET = 1, M_POST = 2, M_DELETE = 4, M_OTHER = 8, M_ANY = 15 };

enum {
    /* The body is JSON: 415 without that Content-Type and 413 for a
     * Content-Length over the cap, both before the body is read. */
    F_JSON_BODY = 1,
    /* Another method finds nothing (404), instead of 405 with the methods. */
    F_NO_405 = 2,
};

/* A route's handler: answers the request, its body in cx->body. */
typedef enum MHD_Result (*http_handler)(struct server *sv, struct MHD_Connection *c,
                                        struct conn *cx);

/* One row of the route table. path is literal but for one {id} segment, a
 * job id (copied to cx->id), or a final * that matches the rest of the URL
 * (cx->tail). A URL that reaches an {id} names a job: unless the id is well
 * formed and the caller may see the job, the answer is 404 "no such job",
 * whatever follows it. */
struct http_route {
    unsigned methods; /* M_* */
    const char *path;
    enum route route; /* what /metrics counts the answer under */
    http_handler handler;
    unsigned flags; /* F_* */
};

/* http__set_bench_routes(v, n): routes a test build adds after the table's
 * (bench_routes.c, linked only into prospect-test); v is borrowed for the
 * process's life. They are walked only with PROSPECT_BENCH_ROUTES=1 too.
 * Thread: call before http_serve. */
void http__set_bench_routes(const struct http_route *v, size_t n);

/* http__take(sv, cx, kind, retry_s): takes a token of kind from the
 * caller's key and address buckets; false (with *retry_s) when one is empty. */
bool http__take(struct server *sv, struct conn *cx, enum access_kind kind, int64_t *retry_s);

/* ---- handlers: health.c ---- */

/* /health: 200 {"status": "ok"} while the process answers. */
enum MHD_Result http__health(struct server *sv, struct MHD_Connection *c, struct conn *cx);

/* /ready: 200 when the store answers, else 503. */
enum MHD_Result http__ready(struct server *sv, struct MHD_Connection *c, struct conn *cx);

/* ---- static.c ---- */

/* The embedded file that answers cx->url: the web page's and openapi.json. */
enum MHD_Result http__static(struct server *sv, struct MHD_Connection *c, struct conn *cx);

/* ---- execute.c ---- */

/* POST /api/v2/execute_streaming_prospect: a new job, answered as its stream. */
enum MHD_Result http__execute(struct server *sv, struct MHD_Connection *c, struct conn *cx);

/* ---- jobs_routes.c: /api/v2/jobs ---- */

/* http__job_visible(sv, cx, id): whether the caller may see job id (always
 * without API keys; with keys, only its key's jobs). */
bool http__job_visible(struct server *sv, const struct conn *cx, const char *id);

/* http__job_submit(sv, c, cx, list, req, ret): what every way of starting
 * a job shares: the job rate and the key's job limit, the body parsed into
 * *req (with list, its companies are required), the job handed to the
 * manager. 0: submitted, and *req is the caller's to request_release;
 * otherwise the request was answered (*ret: 429, 400, 409, 500) and *req
 * holds nothing. */
int http__job_submit(struct server *sv, struct MHD_Connection *c, struct conn *cx, bool list,
                     struct request *req, enum MHD_Result *ret) __attribute__((warn_unused_result));

enum MHD_Result http__jobs_create(struct server *sv, struct MHD_Connection *c, struct conn *cx);
enum MHD_Result http__enrich(struct server *sv, struct MHD_Connection *c, struct conn *cx);
enum MHD_Result http__jobs_list(struct server *sv, struct MHD_Connection *c, struct conn *cx);
enum MHD_Result http__job_status(struct server *sv, struct MHD_Connection *c, struct conn *cx);
enum MHD_Result http__job_cancel(struct server *sv, struct MHD_Connection *c, struct conn *cx);
enum MHD_Result http__job_events(struct server *sv, struct MHD_Connection *c, struct conn *cx);
enum MHD_Result http__job_leads(struct server *sv, struct MHD_Connection *c, struct conn *cx);
enum MHD_Result http__job_data(struct server *sv, struct MHD_Connection *c, struct conn *cx);

/* ---- metrics.c ---- */

/* /metrics: http__metrics_text as text/plain. */
enum MHD_Result http__metrics(struct server *sv, struct MHD_Connection *c, struct conn *cx);

/* http__observe(r, status, seconds): counts one answer of route r. */
void http__observe(enum route r, unsigned status, double seconds);

/* http__metrics_text(jobs, b): appends the metrics in Prometheus's text
 * exposition format to b. */
void http__metrics_text(struct jobs *jobs, struct buf *b);

/* ---- respond.c: answers; each sets cx->status for /metrics ---- */

/* http__respond_with(c, cx, status, type, body, len, name, value): an
 * answer (body copied) with one optional extra header (name NULL: none). */
enum MHD_Result http__respond_with(struct MHD_Connection *c, struct conn *cx, unsigned status,
                                   const char *type, const char *body, size_t len, const char *name,
                                   const char *value);

/* http__respond(c, cx, status, type, body, len): the same without the header. */
enum MHD_Result http__respond(struct MHD_Connection *c, struct conn *cx, unsigned status,
                              const char *type, const char *body, size_t len);

/* http__respond_json(c, cx, status, j): a JSON answer (j stolen). */
enum MHD_Result http__respond_json(struct MHD_Connection *c, struct conn *cx, unsigned status,
                                   json_t *j);

/* http__error(c, cx, status, code, message): {"error": code, "message": message}. */
enum MHD_Result http__error(struct MHD_Connection *c, struct conn *cx, unsigned status,
                            const char *code, const char *message);

/* http__error_with(...): the same with one extra header. */
enum MHD_Result http__error_with(struct MHD_Connection *c, struct conn *cx, unsigned status,
                                 const char *code, const char *message, const char *name,
                                 const char *value);

/* http__too_many(c, cx, retry_s, code, what): 429 with Retry-After. */
enum MHD_Result http__too_many(struct MHD_Connection *c, struct conn *cx, int64_t retry_s,
                               const char *code, const char *what);

/* http__internal(c, cx, detail): a 500; detail goes to the log under a
 * random id, the client gets only the id. */
enum MHD_Result http__internal(struct MHD_Connection *c, struct conn *cx, const char *detail);

/* http__job_failed(c, cx, rc, e): a failed call of the job manager: 409
 * for CORE_EBUSY, 404 for an unknown job, else http__internal. */
enum MHD_Result http__job_failed(struct MHD_Connection *c, struct conn *cx, int rc,
                                 const struct err *e);

/* http__decorate(r, cx): the CORS headers of an answer to an allowed origin. */
void http__decorate(struct MHD_Response *r, const struct conn *cx);

/* ---- sse.c ---- */

/* http__stream(sv, c, cx, job_id, after): answers with job_id's events
 * after event id `after` as text/event-stream, then its live tail; an
 * unknown job gets http__job_failed. */
enum MHD_Result http__stream(struct server *sv, struct MHD_Connection *c, struct conn *cx,
                             const char *job_id, int64_t after);

/* ---- mcp_http.c: MCP over Streamable HTTP at /mcp ---- */

/* http__mcp_new(sv, e): the MCP engine and its session table. */
int http__mcp_new(struct server *sv, struct err *e) __attribute__((warn_unused_result));
void http__mcp_free(struct server *sv);

/* http__mcp(sv, c, cx): answers a request to /mcp (its body in cx). */
enum MHD_Result http__mcp(struct server *sv, struct MHD_Connection *c, struct conn *cx);

#include "core/banned.h"
#endif
