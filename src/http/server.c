/* server.c: the HTTP front end of server.h on libmicrohttpd (epoll, one
 * internal thread, suspend/resume for streams).
 *
 * A request is routed once its body is in (bodies are capped; the cap is
 * checked against Content-Length first). Answers come from respond.c, event
 * streams from sse.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/sig.h"
#include "core/str.h"
#include "http/access.h"
#include "http/http_int.h"
#include "http/server.h"
#include "store/store.h"
#include "jobs/jobs.h"
#include "upstream/upstream.h"
#include "model/request.h"

extern const struct embed_file http__assets[];

#define KEEPALIVE_S 15

/* ---- handlers ---- */

static bool json_content(struct MHD_Connection *c)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    return ct && strncasecmp(ct, "application/json", 16) == 0;
}

/* Takes a token of kind from the caller's key and address buckets. */
static bool take(struct server *sv, struct conn *cx, enum access_kind kind, int64_t *retry_s)
{
    char who[ACCESS_NAME_MAX + 80];
    if (*cx->key) {
        snprintf(who, sizeof who, "key:%s", cx->key);
        if (!access_take(sv->access, kind, who, retry_s))
            return false;
    }
    snprintf(who, sizeof who, "ip:%s", cx->addr);
    return access_take(sv->access, kind, who, retry_s);
}

static enum MHD_Result start_job(struct server *sv, struct MHD_Connection *c, struct conn *cx,
                                 bool streaming)
{
    int64_t retry_s = 0;
    if (!take(sv, cx, ACCESS_JOB, &retry_s))
        return http__too_many(c, cx, retry_s, "rate_limited",
                              "too many jobs started (PROSPECT_RATE_JOBS)");
    if (*cx->key && sv->cfg->max_jobs_per_key &&
        jobs_active(sv->jobs, cx->key) >= sv->cfg->max_jobs_per_key) {
        char what[160];
        snprintf(what, sizeof what,
                 "key %s has %lld jobs queued or running, its limit (PROSPECT_MAX_JOBS_PER_KEY)",
                 cx->key, (long long)sv->cfg->max_jobs_per_key);
        return http__too_many(c, cx, 10, "too_many_jobs", what);
    }
    struct request req;
    struct problems probs = {0};
    if (request_parse(buf_cstr(&cx->body), cx->body.len, &sv->lim, 0, &req, &probs)) {
        enum MHD_Result ret = http__respond_json(c, cx, 400, problems_to_json(&probs));
        problems_release(&probs);
        return ret;
    }
    struct err e = {0};
    int rc = jobs_submit(sv->jobs, &req, cx->key, &e);
    enum MHD_Result ret;
    if (rc == CORE_EEXIST) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "job %s exists; watch it at /api/v2/jobs/%s/events, or send a new job_id",
                 req.job_id, req.job_id);
        ret = http__error(c, cx, 409, "job_exists", msg);
    } else if (rc) {
        ret = http__internal(c, cx, e.msg);
    } else if (streaming) {
        ret = http__stream(sv, c, cx, req.job_id, 0);
    } else {
        char events[300], status[300];
        snprintf(events, sizeof events, "/api/v2/jobs/%s/events", req.job_id);
        snprintf(status, sizeof status, "/api/v2/jobs/%s", req.job_id);
        json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "job_id", req.job_id, "status", "queued",
                              "status_url", status, "events_url", events);
        struct MHD_Response *r;
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        r = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(r, "Content-Type", "application/json");
        MHD_add_response_header(r, "Location", status);
        http__decorate(r, cx);
        cx->status = 202;
        ret = MHD_queue_response(c, 202, r);
        MHD_destroy_response(r);
    }
    request_release(&req);
    return ret;
}

static void csv_field(struct buf *b, const char *s, bool last)
{
    int rc = 0;
    if (strpbrk(s, ",\"\n\r")) {
        rc |= buf_putc(b, '"');
        for (const char *p = s; *p; p++)
            rc |= *p == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *p);
        rc |= buf_putc(b, '"');
    } else {
        rc |= buf_puts(b, s);
    }
    rc |= buf_putc(b, last ? '\n' : ',');
    (void)rc;
}

static const char *jstr(json_t *o, const char *a, const char *b)
{
    json_t *v = json_object_get(o, a);
    if (b)
        v = json_object_get(v, b);
    return json_is_string(v) ? json_string_value(v) : "";
}

static enum MHD_Result leads(struct server *sv, struct MHD_Connection *c, struct conn *cx,
                             const char *id)
{
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    bool csv = format && strcmp(format, "csv") == 0;
    if (format && !csv && strcmp(format, "json") != 0)
        return http__error(c, cx, 400, "bad_format", "format must be json or csv");
    json_t *arr;
    struct err e = {0};
    int rc = jobs_leads(sv->jobs, id, &arr, &e);
    if (rc)
        return http__job_failed(c, cx, rc, &e);
    if (!csv)
        return http__respond_json(c, cx, 200, json_pack("{s:s, s:o}", "job_id", id, "leads", arr));
    struct buf b;
    buf_init(&b, 0);
    static const char *const cols[] = {
        "Lead ID", "Company Name", "Website",        "Industry", "Company Size",
        "Email",   "Phone",        "Prospect Score", "Summary",  NULL};
    for (const char *const *col = cols; *col; col++)
        csv_field(&b, *col, col[1] == NULL);
    size_t i;
    json_t *l;
    json_array_foreach (arr, i, l) {
        json_t *d = json_object_get(l, "lead_data"), *ae = json_object_get(d, "adk1_enrichment");
        json_t *ai =
            json_object_get(json_object_get(json_object_get(l, "final_package"), "analyzed_lead"),
                            "ai_intelligence");
        char score[16];
        json_t *ps = json_object_get(ai, "prospect_score");
        snprintf(score, sizeof score, "%s", "");
        if (json_is_number(ps))
            snprintf(score, sizeof score, "%.2f", json_number_value(ps));
        json_t *em = json_array_get(json_object_get(ae, "contact_emails"), 0);
        json_t *ph = json_array_get(json_object_get(ae, "contact_phones"), 0);
        const char *row[] = {jstr(l, "lead_id", NULL),
                             jstr(d, "company_name", NULL),
                             jstr(d, "website", NULL),
                             jstr(ae, "industry", NULL),
                             jstr(ae, "company_size", NULL),
                             json_is_string(em) ? json_string_value(em) : "",
                             json_is_string(ph) ? json_string_value(ph) : "",
                             score,
                             jstr(ai, "qualification_summary", NULL)};
        for (size_t k = 0; k < sizeof row / sizeof *row; k++)
            csv_field(&b, row[k], k + 1 == sizeof row / sizeof *row);
    }
    json_decref(arr);
    enum MHD_Result ret = http__respond(c, cx, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
    buf_release(&b);
    return ret;
}

static enum MHD_Result prometheus(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    struct buf b;
    buf_init(&b, 0);
    http__metrics_text(sv->jobs, &b);
    enum MHD_Result ret =
        http__respond(c, cx, 200, "text/plain; version=0.0.4", buf_cstr(&b), b.len);
    buf_release(&b);
    return ret;
}

/* "/api/v2/jobs/ID[/events|/leads]": copies ID, returns the rest. */
static const char *job_path(const char *url, char *id, size_t n)
{
    const char *p = url + strlen("/api/v2/jobs/");
    size_t k = strcspn(p, "/");
    if (k == 0 || k >= n)
        return NULL;
    memcpy(id, p, k);
    id[k] = '\0';
    return p + k;
}

/* A file shipped in the binary; the page's files may only load each other. */
static enum MHD_Result asset(struct MHD_Connection *c, struct conn *cx, const char *name,
                             const char *type)
{
    const struct embed_file *f = http__assets;
    while (f->name && strcmp(f->name, name) != 0)
        f++;
    if (!f->name)
        return http__error(c, cx, 404, "not_found", "not in this build");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    http__decorate(r, cx);
    cx->status = 200;
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result route(struct server *sv, struct MHD_Connection *c, struct conn *cx,
                             const char *url, const char *method)
{
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0, del = strcmp(method, "DELETE") == 0;
    if (strcmp(url, "/health") == 0) {
        cx->route = R_HEALTH;
        return http__respond_json(c, cx, 200, json_pack("{s:s}", "status", "ok"));
    }
    if (strcmp(url, "/ready") == 0) {
        cx->route = R_READY;
        bool ok = jobs_ready(sv->jobs);
        return http__respond_json(
            c, cx, ok ? 200 : 503,
            json_pack("{s:s, s:b}", "status", ok ? "ready" : "unavailable", "store", ok));
    }
    if (strcmp(url, "/metrics") == 0) {
        cx->route = R_METRICS;
        return prometheus(sv, c, cx);
    }
    if (strcmp(url, "/mcp") == 0) {
        cx->route = R_MCP;
        return http__mcp(sv, c, cx, method);
    }
    if (strcmp(url, "/openapi.json") == 0) {
        cx->route = R_OPENAPI;
        return asset(c, cx, "openapi.json", "application/json");
    }
    if (get && (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0)) {
        cx->route = R_PAGE;
        return asset(c, cx, "index.html", "text/html; charset=utf-8");
    }
    if (get && strcmp(url, "/app.js") == 0) {
        cx->route = R_PAGE;
        return asset(c, cx, "app.js", "text/javascript; charset=utf-8");
    }
    if (get && strcmp(url, "/app.css") == 0) {
        cx->route = R_PAGE;
        return asset(c, cx, "app.css", "text/css; charset=utf-8");
    }
    if (sv->bench && post && strncmp(url, "/bench/", 7) == 0) {
        /* /bench/open/ID and /bench/publish/ID, for bench/sse.sh only */
        bool open = strncmp(url, "/bench/open/", 12) == 0;
        const char *id = url + (open ? 12 : strncmp(url, "/bench/publish/", 15) == 0 ? 15 : 0);
        struct err e = {0};
        int rc = id == url ? CORE_ENOTFOUND
                 : open    ? jobs_bench_open(sv->jobs, id, &e)
                           : jobs_bench_publish(sv->jobs, id, buf_cstr(&cx->body));
        return rc ? http__error(c, cx, rc == CORE_ENOTFOUND ? 404 : 409, "bench", "no")
                  : http__respond_json(c, cx, 200, json_pack("{s:s}", "status", "ok"));
    }
    if (strcmp(url, "/api/v2/execute_streaming_prospect") == 0) {
        cx->route = R_EXECUTE;
        return post ? start_job(sv, c, cx, true)
                    : http__error(c, cx, 405, "method_not_allowed", "use POST");
    }
    if (strcmp(url, "/api/v2/jobs") == 0) {
        cx->route = R_JOBS_CREATE;
        if (post)
            return start_job(sv, c, cx, false);
        if (!get)
            return http__error(c, cx, 405, "method_not_allowed", "use GET or POST");
        const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
        int64_t n = 50;
        if (lim && (str_to_i64(lim, &n) || n < 1 || n > 500))
            return http__error(c, cx, 400, "bad_limit", "limit must be an integer from 1 to 500");
        json_t *list;
        struct err e = {0};
        int rc =
            jobs_list(sv->jobs, access_keys(sv->access) ? cx->key : NULL, (size_t)n, &list, &e);
        if (rc)
            return http__internal(c, cx, e.msg);
        return http__respond_json(c, cx, 200, json_pack("{s:o}", "jobs", list));
    }
    if (strncmp(url, "/api/v2/jobs/", 13) == 0) {
        char id[REQUEST_MAX_ID_CHARS + 1];
        const char *rest = job_path(url, id, sizeof id);
        if (!rest || (access_keys(sv->access) && jobs_visible(sv->jobs, id, cx->key))) {
            cx->route = R_OTHER; /* another key's job is answered as no job */
            return http__error(c, cx, 404, "not_found", "no such job");
        }
        if (strcmp(rest, "/events") == 0) {
            cx->route = R_JOB_EVENTS;
            if (!get)
                return http__error(c, cx, 405, "method_not_allowed", "use GET");
            const char *last = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
            const char *after = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
            int64_t n = 0;
            const char *v = last ? last : after;
            if (v && (str_to_i64(v, &n) || n < 0))
                return http__error(c, cx, 400, "bad_event_id",
                                   "Last-Event-ID and after must be a non-negative integer");
            return http__stream(sv, c, cx, id, n);
        }
        if (strcmp(rest, "/leads") == 0) {
            cx->route = R_JOB_LEADS;
            return get ? leads(sv, c, cx, id)
                       : http__error(c, cx, 405, "method_not_allowed", "use GET");
        }
        if (strcmp(rest, "/data") == 0) {
            cx->route = R_JOB_DATA;
            if (!del)
                return http__error(c, cx, 405, "method_not_allowed", "use DELETE");
            struct err e = {0};
            int rc = jobs_delete(sv->jobs, id, &e);
            if (rc)
                return http__job_failed(c, cx, rc, &e);
            return http__respond_json(c, cx, 200,
                                      json_pack("{s:s, s:b}", "job_id", id, "deleted", 1));
        }
        if (*rest) {
            cx->route = R_OTHER;
            return http__error(c, cx, 404, "not_found", "no such resource");
        }
        if (del) {
            cx->route = R_JOB_CANCEL;
            json_t *status;
            struct err e = {0};
            int rc = jobs_status(sv->jobs, id, &status, &e);
            if (rc)
                return http__job_failed(c, cx, rc, &e);
            json_decref(status);
            if (jobs_cancel(sv->jobs, id))
                return http__error(c, cx, 409, "not_running",
                                   "the job is not running on this server");
            return http__respond_json(
                c, cx, 202, json_pack("{s:s, s:s}", "job_id", id, "status", "cancelling"));
        }
        cx->route = R_JOB;
        if (!get)
            return http__error(c, cx, 405, "method_not_allowed", "use GET or DELETE");
        json_t *status;
        struct err e = {0};
        int rc = jobs_status(sv->jobs, id, &status, &e);
        if (rc)
            return http__job_failed(c, cx, rc, &e);
        return http__respond_json(c, cx, 200, status);
    }
    cx->route = R_OTHER;
    return http__error(c, cx, 404, "not_found", "no such resource");
}

static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, n, "unknown");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

/* A CORS preflight: 204 with what the API accepts, for an allowed origin. */
static enum MHD_Result preflight(struct MHD_Connection *c, struct conn *cx, const char *origin)
{
    if (origin && !cx->origin) {
        char msg[300];
        snprintf(msg, sizeof msg, "origin %.200s is not allowed (PROSPECT_CORS_ORIGINS)", origin);
        return http__error(c, cx, 403, "origin_not_allowed", msg);
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Allow", "GET, POST, DELETE, OPTIONS");
    if (cx->origin) {
        MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
        MHD_add_response_header(r, "Access-Control-Allow-Headers",
                                "Authorization, Content-Type, Last-Event-ID, Mcp-Session-Id, "
                                "MCP-Protocol-Version");
        MHD_add_response_header(r, "Access-Control-Max-Age", "600");
    }
    http__decorate(r, cx);
    cx->status = 204;
    enum MHD_Result ret = MHD_queue_response(c, 204, r);
    MHD_destroy_response(r);
    return ret;
}

/* What is checked once the headers are in: CORS, the API key, the request
 * rate. Sets cx->rejected when it answered. */
static enum MHD_Result admit(struct server *sv, struct MHD_Connection *c, struct conn *cx,
                             const char *url, const char *method)
{
    client_address(c, cx->addr, sizeof cx->addr);
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (access_origin_allowed(sv->access, origin))
        cx->origin = xstrdup(origin);
    if (strcmp(method, "OPTIONS") == 0) {
        cx->rejected = true;
        return preflight(c, cx, origin);
    }
    bool open = strcmp(url, "/health") == 0 || strcmp(url, "/ready") == 0;
    bool keyed = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/mcp") == 0 ||
                 (sv->cfg->metrics_auth && strcmp(url, "/metrics") == 0);
    if (keyed && access_keys(sv->access)) {
        const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        int rc = access_check(sv->access, auth, cx->key);
        if (rc) {
            cx->rejected = true;
            return http__error_with(c, cx, 401, "unauthorized",
                                    rc == CORE_EINVAL
                                        ? "send the API key as Authorization: Bearer KEY"
                                        : "the API key is not valid",
                                    "WWW-Authenticate", "Bearer realm=\"prospect\"");
        }
    }
    int64_t retry_s = 0;
    if (!open && !take(sv, cx, ACCESS_REQUEST, &retry_s)) {
        cx->rejected = true;
        return http__too_many(c, cx, retry_s, "rate_limited",
                              "too many requests (PROSPECT_RATE_REQUESTS)");
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct server *sv = cls;
    struct conn *cx = *con_cls;
    if (!cx) { /* headers are in; the body, if any, comes next */
        cx = xcalloc(1, sizeof *cx);
        cx->started = clock_mono_ms();
        cx->route = R_OTHER;
        buf_init(&cx->body, sv->lim.max_body_bytes);
        *con_cls = cx;
        enum MHD_Result admitted = admit(sv, c, cx, url, method);
        if (cx->rejected)
            return admitted; /* answered already */
        if (strcmp(method, "POST") == 0 &&
            (strcmp(url, "/api/v2/jobs") == 0 ||
             strcmp(url, "/api/v2/execute_streaming_prospect") == 0)) {
            cx->route = strcmp(url, "/api/v2/jobs") == 0 ? R_JOBS_CREATE : R_EXECUTE;
            const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
            int64_t n = 0;
            if (!json_content(c)) {
                cx->rejected = true;
                return http__error(c, cx, 415, "unsupported_media_type",
                                   "send the request as Content-Type: application/json");
            }
            if (len && str_to_i64(len, &n) == 0 && (uint64_t)n > sv->lim.max_body_bytes) {
                cx->rejected = true;
                char msg[160];
                snprintf(msg, sizeof msg, "the body is %lld bytes; the limit is %zu bytes",
                         (long long)n, sv->lim.max_body_bytes);
                return http__error(c, cx, 413, "payload_too_large", msg);
            }
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cx->too_large && buf_append(&cx->body, upload, *upload_size))
            cx->too_large = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (cx->rejected)
        return MHD_YES;
    if (cx->too_large) {
        char msg[160];
        snprintf(msg, sizeof msg, "the body is larger than %zu bytes", sv->lim.max_body_bytes);
        return http__error(c, cx, 413, "payload_too_large", msg);
    }
    return route(sv, c, cx, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct conn *cx = *con_cls;
    if (!cx)
        return;
    http__observe(cx->route, cx->status ? cx->status : 500,
                  (double)(clock_mono_ms() - cx->started) / 1000.0);
    buf_release(&cx->body);
    free(cx->origin);
    free(cx);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_debug("libmicrohttpd", LOG_S("message", msg));
}

int http_serve(const struct config *cfg, bool no_worker, struct err *e)
{
    if (no_worker && !store_is_shared(cfg->db))
        return err_set(e, CORE_EINVAL,
                       "--no-worker needs a store shared with worker nodes: "
                       "PROSPECT_DB=postgres://...");
    sigset_t set; /* signals go to this thread's sigtimedwait, not to a random thread */
    sig_block_stop(&set);

    const char *bench = getenv("PROSPECT_BENCH_ROUTES");
    struct server sv = {.cfg = cfg, .bench = bench && strcmp(bench, "1") == 0};
    if (sv.bench)
        log_warn("benchmark routes are on (PROSPECT_BENCH_ROUTES=1): not for production");
    sv.lim = (struct request_limits){
        .max_body_bytes = (size_t)cfg->max_body_bytes,
        .max_string_chars = (size_t)cfg->max_string_chars,
        .max_list_items = (size_t)cfg->max_list_items,
        .max_depth = (int)cfg->max_json_depth,
        .max_leads = (int)cfg->max_leads,
    };
    int rc = access_new(cfg, &sv.access, e);
    if (rc)
        return rc;
    if ((rc = jobs_new(cfg, no_worker ? 0 : (int)cfg->job_concurrency, &sv.jobs, e))) {
        access_free(sv.access);
        return rc;
    }
    if ((rc = http__mcp_new(&sv, e))) {
        jobs_free(sv.jobs);
        access_free(sv.access);
        return rc;
    }
    bool loopback = strncmp(cfg->bind, "127.", 4) == 0 || strcmp(cfg->bind, "::1") == 0;
    if (access_keys(sv.access))
        log_info("API keys required on /api", LOG_I("keys", access_keys(sv.access)),
                 LOG_S("metrics", cfg->metrics_auth ? "key required" : "open"));
    else if (loopback)
        log_info(
            "no API keys (PROSPECT_API_KEYS): the API is open, so it listens on loopback only");
    else
        log_warn("no API keys (PROSPECT_API_KEYS) and not on loopback: anyone who reaches this "
                 "address can use the API",
                 LOG_S("bind", cfg->bind));

    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    struct sockaddr_in *in4 = (struct sockaddr_in *)&addr;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&addr;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, cfg->bind, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, cfg->bind, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)cfg->port);
        flags |= MHD_USE_IPv6;
    } else {
        http__mcp_free(&sv);
        jobs_free(sv.jobs);
        access_free(sv.access);
        return err_set(e, CORE_EINVAL, "PROSPECT_BIND: '%s' is not an IP address", cfg->bind);
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, &sv, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)cfg->conn_memory, MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout_s,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_connections_per_ip,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->http_threads, MHD_OPTION_EXTERNAL_LOGGER,
        mhd_log, NULL, MHD_OPTION_END);
    if (!d) {
        http__mcp_free(&sv);
        jobs_free(sv.jobs);
        access_free(sv.access);
        return err_set(e, CORE_EIO, "cannot listen on %s:%lld: %s", cfg->bind, (long long)cfg->port,
                       strerror(errno));
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_info("listening", LOG_S("bind", cfg->bind), LOG_I("port", info ? info->port : cfg->port),
             LOG_S("db", cfg->db));

    for (;;) {
        struct timespec ts = {KEEPALIVE_S, 0};
        int sig = sigtimedwait(&set, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM) {
            log_info("shutting down", LOG_I("signal", sig));
            break;
        }
        jobs_comment_all(sv.jobs, "keep-alive", false);
    }
    MHD_socket listen = MHD_quiesce_daemon(d); /* no new connections */
    if (listen != MHD_INVALID_SOCKET)
        close(listen);
    jobs_comment_all(sv.jobs, "server shutting down; reconnect with Last-Event-ID", true);
    for (int i = 0; i < 20; i++) { /* let the streams say goodbye */
        struct jobs_stats st;
        jobs_stats(sv.jobs, &st);
        if (st.streams == 0)
            break;
        struct timespec nap = {0, 50 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    MHD_stop_daemon(d);
    http__mcp_free(&sv); /* cancels MCP calls and waits for them */
    jobs_free(sv.jobs);
    access_free(sv.access);
    return 0;
}
