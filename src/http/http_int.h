/* http_int.h: what the files of src/http share: the server, a request's
 * state, and the answer helpers (JSON, errors, CORS headers). */
#ifndef PROSPECT_HTTP_INT_H
#define PROSPECT_HTTP_INT_H

#include <stdbool.h>
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
    bool bench; /* PROSPECT_BENCH_ROUTES=1: the benchmark's publish routes */
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
};

/* ---- metrics.c ---- */

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

/* http__mcp(sv, c, cx, method): answers a request to /mcp (its body in cx). */
enum MHD_Result http__mcp(struct server *sv, struct MHD_Connection *c, struct conn *cx,
                          const char *method);

#include "core/banned.h"
#endif
