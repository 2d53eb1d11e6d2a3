/* respond.c: the answers every route gives the same way: JSON bodies,
 * {error, message} errors, 429 with Retry-After, a masked 5xx whose detail
 * goes to the log, a failed job lookup, and the CORS headers of an answer
 * to an allowed origin. Each records the status in the request's conn for
 * /metrics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "core/log.h"
#include "core/str.h"
#include "http/http_int.h"

void http__decorate(struct MHD_Response *r, const struct conn *cx)
{
    if (!cx->origin)
        return;
    MHD_add_response_header(r, "Access-Control-Allow-Origin", cx->origin);
    MHD_add_response_header(r, "Access-Control-Expose-Headers",
                            "Location, Retry-After, Mcp-Session-Id");
    MHD_add_response_header(r, "Vary", "Origin");
}

enum MHD_Result http__respond_with(struct MHD_Connection *c, struct conn *cx, unsigned status,
                                   const char *type, const char *body, size_t len, const char *name,
                                   const char *value)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (status == 405)
        MHD_add_response_header(r, "Allow", "GET, POST, DELETE, OPTIONS");
    if (name)
        MHD_add_response_header(r, name, value);
    http__decorate(r, cx);
    cx->status = status;
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result http__respond(struct MHD_Connection *c, struct conn *cx, unsigned status,
                              const char *type, const char *body, size_t len)
{
    return http__respond_with(c, cx, status, type, body, len, NULL, NULL);
}

enum MHD_Result http__error_with(struct MHD_Connection *c, struct conn *cx, unsigned status,
                                 const char *code, const char *message, const char *name,
                                 const char *value)
{
    json_t *j = json_pack("{s:s, s:s}", "error", code, "message", message);
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    enum MHD_Result ret =
        http__respond_with(c, cx, status, "application/json", s, strlen(s), name, value);
    free(s);
    return ret;
}

enum MHD_Result http__too_many(struct MHD_Connection *c, struct conn *cx, int64_t retry_s,
                               const char *code, const char *what)
{
    char msg[200], after[24];
    snprintf(msg, sizeof msg, "%s; retry in %lld s", what, (long long)retry_s);
    snprintf(after, sizeof after, "%lld", (long long)retry_s);
    return http__error_with(c, cx, 429, code, msg, "Retry-After", after);
}

enum MHD_Result http__respond_json(struct MHD_Connection *c, struct conn *cx, unsigned status,
                                   json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    enum MHD_Result ret = http__respond(c, cx, status, "application/json", s, strlen(s));
    free(s);
    return ret;
}

enum MHD_Result http__error(struct MHD_Connection *c, struct conn *cx, unsigned status,
                            const char *code, const char *message)
{
    return http__respond_json(c, cx, status,
                              json_pack("{s:s, s:s}", "error", code, "message", message));
}

enum MHD_Result http__internal(struct MHD_Connection *c, struct conn *cx, const char *detail)
{
    char id[17];
    str_random_hex(id, 8);
    log_error("internal error", LOG_S("error_id", id), LOG_S("detail", detail));
    return http__respond_json(c, cx, 500,
                              json_pack("{s:s, s:s}", "error", "internal_error", "error_id", id));
}

enum MHD_Result http__job_failed(struct MHD_Connection *c, struct conn *cx, int rc,
                                 const struct err *e)
{
    if (rc == CORE_EBUSY)
        return http__error(c, cx, 409, "job_running", e->msg);
    return rc == CORE_ENOTFOUND ? http__error(c, cx, 404, "not_found", "no such job")
                                : http__internal(c, cx, e->msg);
}
