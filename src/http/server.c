/* server.c: the HTTP front end of server.h on libmicrohttpd (epoll, one
 * internal thread, suspend/resume for streams): the server's lifecycle, a
 * connection's state, and the route table the request callback walks.
 *
 * A request is admitted once its headers are in (CORS, API key, request
 * rate), and routed once its body is in (bodies are capped; the cap is
 * checked against Content-Length first). The handlers live one file per
 * resource (jobs_routes.c, execute.c, static.c, health.c, metrics.c,
 * mcp_http.c); answers come from respond.c, event streams from sse.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/sig.h"
#include "core/str.h"
#include "http/access.h"
#include "http/http_int.h"
#include "http/server.h"
#include "jobs/jobs.h"
#include "store/store.h"

#define KEEPALIVE_S 15

/* ---- the route table ---- */

/* Every route of the API. A path's rows are tried in order; the first of
 * them names the route of a 405. */
static const struct http_route routes[] = {
    {M_ANY, "/health", R_HEALTH, http__health, 0},
    {M_ANY, "/ready", R_READY, http__ready, 0},
    {M_ANY, "/metrics", R_METRICS, http__metrics, 0},
    {M_ANY, "/mcp", R_MCP, http__mcp, 0},
    {M_ANY, "/openapi.json", R_OPENAPI, http__static, 0},
    {M_GET, "/", R_PAGE, http__static, F_NO_405},
    {M_GET, "/index.html", R_PAGE, http__static, F_NO_405},
    {M_GET, "/app.js", R_PAGE, http__static, F_NO_405},
    {M_GET, "/app.css", R_PAGE, http__static, F_NO_405},
    {M_POST, "/api/v2/execute_streaming_prospect", R_EXECUTE, http__execute, F_JSON_BODY},
    {M_POST, "/api/v2/jobs", R_JOBS_CREATE, http__jobs_create, F_JSON_BODY},
    {M_GET, "/api/v2/jobs", R_JOBS_CREATE, http__jobs_list, 0},
    {M_POST, "/api/v2/enrich", R_ENRICH, http__enrich, F_JSON_BODY},
    {M_GET, "/api/v2/jobs/{id}", R_JOB, http__job_status, 0},
    {M_DELETE, "/api/v2/jobs/{id}", R_JOB_CANCEL, http__job_cancel, 0},
    {M_GET, "/api/v2/jobs/{id}/events", R_JOB_EVENTS, http__job_events, 0},
    {M_GET, "/api/v2/jobs/{id}/leads", R_JOB_LEADS, http__job_leads, 0},
    {M_DELETE, "/api/v2/jobs/{id}/data", R_JOB_DATA, http__job_data, 0},
};

/* The bench routes of a test build (NULL in production). */
static const struct http_route *bench_routes;
static size_t n_bench_routes;

void http__set_bench_routes(const struct http_route *v, size_t n)
{
    bench_routes = v;
    n_bench_routes = n;
}

static unsigned method_bit(const char *method)
{
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
        return M_GET;
    if (strcmp(method, "POST") == 0)
        return M_POST;
    return strcmp(method, "DELETE") == 0 ? M_DELETE : M_OTHER;
}

/* The length of the job id at the start of s: 0 when it is empty or too long. */
static size_t id_len(const char *s)
{
    size_t k = strcspn(s, "/");
    return k < REQUEST_MAX_ID_CHARS + 1 ? k : 0;
}

/* Whether url matches path; fills cx->id for an {id}, cx->tail for a final *. */
static bool path_match(const char *path, const char *url, struct conn *cx)
{
    for (;;) {
        if (strncmp(path, "{id}", 4) == 0) {
            size_t k = id_len(url);
            if (!k)
                return false;
            memcpy(cx->id, url, k);
            cx->id[k] = '\0';
            path += 4;
            url += k;
        } else if (strcmp(path, "*") == 0) {
            cx->tail = url;
            return true;
        } else if (*path != *url) {
            return false;
        } else if (!*path) {
            return true;
        } else {
            path++;
            url++;
        }
    }
}

/* Where url reaches the {id} of some route (the job id starts there), or NULL. */
static const char *job_id_at(const char *url)
{
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        const char *at = strstr(routes[i].path, "{id}");
        if (at && strncmp(url, routes[i].path, (size_t)(at - routes[i].path)) == 0)
            return url + (at - routes[i].path);
    }
    return NULL;
}

/* The row for cx->url and method m, or NULL; *path_hit: the first row whose
 * path matched whatever its methods (NULL: none did). */
static const struct http_route *route_find(const struct server *sv, struct conn *cx, unsigned m,
                                           const struct http_route **path_hit)
{
    const struct {
        const struct http_route *v;
        size_t n;
    } tables[] = {{routes, sizeof routes / sizeof *routes},
                  {bench_routes, sv->bench ? n_bench_routes : 0}};
    *path_hit = NULL;
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            const struct http_route *r = &tables[t].v[i];
            if (!path_match(r->path, cx->url, cx))
                continue;
            if (r->methods & m)
                return r;
            if (!*path_hit)
                *path_hit = r;
        }
    return NULL;
}

/* 405 for a path that has rows, none for the method: "use GET or POST". */
static enum MHD_Result not_allowed(struct MHD_Connection *c, struct conn *cx,
                                   const struct http_route *hit)
{
    unsigned methods = 0;
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
        if (strcmp(routes[i].path, hit->path) == 0)
            methods |= routes[i].methods;
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{M_GET, "GET"}, {M_POST, "POST"}, {M_DELETE, "DELETE"}};
    char msg[40] = "use";
    const char *sep = " ";
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (methods & names[i].bit) {
            size_t k = strlen(msg);
            snprintf(msg + k, sizeof msg - k, "%s%s", sep, names[i].name);
            sep = " or ";
        }
    return http__error(c, cx, 405, "method_not_allowed", msg);
}

/* The walk: the job id's check, then the row of the path and method. */
static enum MHD_Result route(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    const char *at = job_id_at(cx->url);
    if (at) {
        size_t k = id_len(at);
        memcpy(cx->id, at, k);
        cx->id[k] = '\0';
        if (!k || !http__job_visible(sv, cx, cx->id)) {
            cx->route = R_OTHER; /* another key's job is answered as no job */
            return http__error(c, cx, 404, "not_found", "no such job");
        }
    }
    const struct http_route *hit, *r = route_find(sv, cx, method_bit(cx->method), &hit);
    if (r) {
        cx->route = r->route;
        return r->handler(sv, c, cx);
    }
    if (hit && !(hit->flags & F_NO_405)) {
        cx->route = hit->route;
        return not_allowed(c, cx, hit);
    }
    cx->route = R_OTHER;
    return http__error(c, cx, 404, "not_found", "no such resource");
}

/* ---- a connection ---- */

bool http__take(struct server *sv, struct conn *cx, enum access_kind kind, int64_t *retry_s)
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

static bool json_content(struct MHD_Connection *c)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    return ct && strncasecmp(ct, "application/json", 16) == 0;
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
    if (!open && !http__take(sv, cx, ACCESS_REQUEST, &retry_s)) {
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
        cx->url = url;
        const struct http_route *hit, *r = route_find(sv, cx, method_bit(method), &hit);
        if (r && (r->flags & F_JSON_BODY)) {
            cx->route = r->route;
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
    cx->url = url;
    cx->method = method;
    return route(sv, c, cx);
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
    struct server sv = {.cfg = cfg, .bench = bench && strcmp(bench, "1") == 0 && bench_routes};
    if (sv.bench)
        log_warn("benchmark routes are on (PROSPECT_BENCH_ROUTES=1): not for production");
    else if (bench && strcmp(bench, "1") == 0)
        log_warn("PROSPECT_BENCH_ROUTES=1 is ignored: only prospect-test has the benchmark routes");
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
