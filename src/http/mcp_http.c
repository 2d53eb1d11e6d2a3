/* mcp_http.c: MCP over Streamable HTTP at /mcp (reference/mcp.md 1.5).
 *
 * POST carries one JSON-RPC message: a notification or response gets 202;
 * a request gets its answer as application/json, or, for a tool call, as a
 * text/event-stream of its notifications then its response. initialize
 * starts a session (Mcp-Session-Id, 128 random bits); every later message
 * must name it (400 without, 404 for an unknown or another key's one).
 * DELETE ends a session; GET is 405 (no server-initiated stream). Host and
 * Origin are checked against DNS rebinding (403), MCP-Protocol-Version
 * against the versions spoken (400), API keys as on /api.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "http/http_int.h"
#include "mcp/mcp.h"

#define MAX_SESSIONS 4096
#define SESSION_IDLE_MS (3600 * 1000LL)

struct sess {
    char id[33];
    char owner[ACCESS_NAME_MAX];
    struct mcp_session *s;
    int64_t used_ms;
    struct sess *next;
};

struct mcp_http {
    pthread_mutex_t lock;
    struct sess *list;
    int n;
};

/* ---- one request's answer, fed by the engine from any thread ---- */

struct answer {
    pthread_mutex_t lock;
    struct buf sse; /* event: message frames */
    char *json;     /* the response itself, for a plain JSON answer */
    bool ended;     /* the final message is in */
    bool suspended; /* the connection waits for bytes */
    bool gone;      /* MHD freed the response: never resume again */
    int refs;       /* the engine's and the transport's */
    struct MHD_Connection *c;
};

static void answer_unref(struct answer *a)
{
    pthread_mutex_lock(&a->lock);
    bool last = --a->refs == 0;
    pthread_mutex_unlock(&a->lock);
    if (!last)
        return;
    pthread_mutex_destroy(&a->lock);
    buf_release(&a->sse);
    free(a->json);
    free(a);
}

static void answer_send(void *ctx, const char *json, bool final)
{
    struct answer *a = ctx;
    pthread_mutex_lock(&a->lock);
    if (json) {
        if (buf_puts(&a->sse, "event: message\ndata: ") || buf_puts(&a->sse, json) ||
            buf_puts(&a->sse, "\n\n"))
            log_warn("an MCP answer could not be buffered");
        if (final) {
            free(a->json);
            a->json = xstrdup(json);
        }
    }
    if (final)
        a->ended = true;
    if (a->suspended && !a->gone) {
        a->suspended = false;
        MHD_resume_connection(a->c);
    }
    pthread_mutex_unlock(&a->lock);
    if (final)
        answer_unref(a); /* the engine is done with it */
}

static ssize_t answer_read(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    struct answer *a = cls;
    pthread_mutex_lock(&a->lock);
    size_t n = a->sse.len < max ? a->sse.len : max;
    if (n) {
        memcpy(out, a->sse.data, n);
        memmove(a->sse.data, a->sse.data + n, a->sse.len - n + 1);
        a->sse.len -= n;
    }
    bool end = !n && a->ended;
    if (!n && !end) {
        a->suspended = true;
        MHD_suspend_connection(a->c); /* under the lock: a wake cannot slip in between */
    }
    pthread_mutex_unlock(&a->lock);
    return n ? (ssize_t)n : end ? MHD_CONTENT_READER_END_OF_STREAM : 0;
}

static void answer_free(void *cls)
{
    struct answer *a = cls;
    pthread_mutex_lock(&a->lock);
    a->gone = true;
    pthread_mutex_unlock(&a->lock);
    answer_unref(a);
}

/* ---- sessions ---- */

int http__mcp_new(struct server *sv, struct err *e)
{
    int rc = mcp_new(sv->cfg, sv->jobs, &sv->mcp, e);
    if (rc)
        return rc;
    sv->mcp_sessions = xcalloc(1, sizeof *sv->mcp_sessions);
    pthread_mutex_init(&sv->mcp_sessions->lock, NULL);
    return 0;
}

void http__mcp_free(struct server *sv)
{
    struct mcp_http *h = sv->mcp_sessions;
    if (!h)
        return;
    while (h->list) {
        struct sess *x = h->list;
        h->list = x->next;
        mcp_session_close(x->s);
        free(x);
    }
    if (!mcp_wait_idle(sv->mcp, 10000))
        log_warn("MCP tool calls still running at shutdown");
    pthread_mutex_destroy(&h->lock);
    free(h);
    sv->mcp_sessions = NULL;
    mcp_free(sv->mcp);
    sv->mcp = NULL;
}

/* With h->lock held: the least recently used session goes first. */
static void evict(struct mcp_http *h, int64_t now)
{
    struct sess **oldest = NULL;
    for (struct sess **p = &h->list; *p;) {
        if (now - (*p)->used_ms > SESSION_IDLE_MS) {
            struct sess *x = *p;
            *p = x->next;
            mcp_session_close(x->s);
            free(x);
            h->n--;
            continue;
        }
        if (!oldest || (*p)->used_ms < (*oldest)->used_ms)
            oldest = p;
        p = &(*p)->next;
    }
    if (h->n >= MAX_SESSIONS && oldest) {
        struct sess *x = *oldest;
        *oldest = x->next;
        mcp_session_close(x->s);
        free(x);
        h->n--;
    }
}

static struct sess *session_new(struct server *sv, const char *owner)
{
    struct mcp_http *h = sv->mcp_sessions;
    struct sess *x = xcalloc(1, sizeof *x);
    str_random_hex(x->id, 16);
    snprintf(x->owner, sizeof x->owner, "%s", owner);
    x->s = mcp_session_new(sv->mcp, owner);
    x->used_ms = clock_mono_ms();
    pthread_mutex_lock(&h->lock);
    evict(h, x->used_ms);
    x->next = h->list;
    h->list = x;
    h->n++;
    pthread_mutex_unlock(&h->lock);
    return x;
}

/* The session named id for owner, or NULL; with remove, taken out of the
 * table (the caller frees it), else its engine session held for the caller
 * (release it): another HTTP thread may end it meanwhile. */
static struct sess *session_find(struct server *sv, const char *id, const char *owner, bool remove,
                                 struct mcp_session **held)
{
    struct mcp_http *h = sv->mcp_sessions;
    pthread_mutex_lock(&h->lock);
    struct sess *found = NULL;
    for (struct sess **p = &h->list; *p; p = &(*p)->next)
        if (strcmp((*p)->id, id) == 0 && strcmp((*p)->owner, owner) == 0) {
            found = *p;
            found->used_ms = clock_mono_ms();
            if (remove) {
                *p = found->next;
                h->n--;
            } else {
                mcp_session_hold(found->s);
                *held = found->s;
            }
            break;
        }
    pthread_mutex_unlock(&h->lock);
    return found;
}

/* ---- checks ---- */

static bool loopback_name(const char *host, size_t n)
{
    static const char *const names[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n && strncasecmp(host, names[i], n) == 0)
            return true;
    return false;
}

/* A Host header ("name:port") that names this machine. */
static bool loopback_host(const char *host)
{
    if (!host)
        return false;
    const char *end = host[0] == '[' ? strchr(host, ']') : strchr(host, ':');
    size_t n = end ? (size_t)(end - host) + (host[0] == '[') : strlen(host);
    return loopback_name(host, n);
}

/* An Origin ("scheme://host:port") that is this machine, or allowed. */
static bool origin_ok(struct server *sv, const char *origin)
{
    if (!origin)
        return true; /* not a browser */
    if (access_origin_allowed(sv->access, origin))
        return true;
    const char *h = strstr(origin, "://");
    return h && loopback_host(h + 3);
}

static bool loopback_bind(const struct config *cfg)
{
    return strncmp(cfg->bind, "127.", 4) == 0 || strcmp(cfg->bind, "::1") == 0;
}

static enum MHD_Result rpc_error(struct MHD_Connection *c, struct conn *cx, unsigned status,
                                 int code, const char *message)
{
    return http__respond_json(c, cx, status,
                              json_pack("{s:s, s:n, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", "error",
                                        "code", code, "message", message));
}

/* ---- the route ---- */

enum MHD_Result http__mcp(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    const char *method = cx->method;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (loopback_bind(sv->cfg) && !loopback_host(host))
        return http__error(c, cx, 403, "forbidden_host",
                           "this server answers only requests for localhost (DNS rebinding "
                           "protection)");
    if (!origin_ok(sv, origin))
        return http__error(c, cx, 403, "origin_not_allowed",
                           "this Origin may not use /mcp (PROSPECT_CORS_ORIGINS)");
    const char *sid = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Mcp-Session-Id");
    if (strcmp(method, "DELETE") == 0) {
        struct sess *x = sid ? session_find(sv, sid, cx->key, true, NULL) : NULL;
        if (!x)
            return http__error(c, cx, sid ? 404 : 400, sid ? "unknown_session" : "no_session",
                               sid ? "no such MCP session" : "send Mcp-Session-Id");
        mcp_session_close(x->s);
        free(x);
        return http__respond_with(c, cx, 204, "application/json", "", 0, NULL, NULL);
    }
    if (strcmp(method, "POST") != 0)
        return http__error_with(c, cx, 405, "method_not_allowed",
                                "POST messages; DELETE ends a session (no GET stream)", "Allow",
                                "POST, DELETE");
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0)
        return http__error(c, cx, 415, "unsupported_media_type",
                           "send JSON-RPC as Content-Type: application/json");
    const char *pv = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "MCP-Protocol-Version");
    if (pv && !mcp_version_supported(pv))
        return rpc_error(c, cx, 400, -32600, "unsupported MCP-Protocol-Version");

    json_t *msg = json_loadb(buf_cstr(&cx->body), cx->body.len, 0, NULL);
    const char *m = json_string_value(json_object_get(msg, "method"));
    bool init = m && strcmp(m, "initialize") == 0;
    json_decref(msg);
    if (!msg)
        return rpc_error(c, cx, 400, -32700, "parse error: the body is not JSON");
    struct mcp_session *session = NULL;
    char new_id[33] = "";
    if (init) {
        struct sess *x = session_new(sv, cx->key);
        snprintf(new_id, sizeof new_id, "%s", x->id);
        session = x->s;
        mcp_session_hold(session);
    } else if (!sid) {
        return rpc_error(c, cx, 400, -32600, "Mcp-Session-Id header missing: initialize first");
    } else if (!session_find(sv, sid, cx->key, false, &session)) {
        return rpc_error(c, cx, 404, -32600, "unknown MCP session: initialize again");
    }

    struct answer *a = xcalloc(1, sizeof *a);
    pthread_mutex_init(&a->lock, NULL);
    buf_init(&a->sse, 0);
    a->refs = 2;
    a->c = c;
    struct mcp_out out = {answer_send, a};
    enum mcp_result r = mcp_handle(session, buf_cstr(&cx->body), cx->body.len, &out, NULL);
    mcp_session_release(session);
    enum MHD_Result ret;
    if (r == MCP_NONE) {
        answer_unref(a); /* the engine's: it sends nothing */
        ret = http__respond_with(c, cx, 202, "application/json", "", 0, NULL, NULL);
        answer_unref(a);
    } else if (r == MCP_ANSWERED) {
        const char *body = a->json ? a->json : "";
        ret = http__respond_with(c, cx, 200, "application/json", body, strlen(body),
                                 init ? "Mcp-Session-Id" : NULL, init ? new_id : NULL);
        answer_unref(a);
    } else {
        struct MHD_Response *resp =
            MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, answer_read, a, answer_free);
        MHD_add_response_header(resp, "Content-Type", "text/event-stream");
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        http__decorate(resp, cx);
        cx->status = 200;
        ret = MHD_queue_response(c, 200, resp);
        MHD_destroy_response(resp);
    }
    return ret;
}
