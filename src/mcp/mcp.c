/* mcp.c: the protocol engine of mcp.h: JSON-RPC framing, the lifecycle,
 * sessions, and tool calls on their own threads with progress, logging and
 * cancellation. The tools themselves are in tools.c.
 *
 * A session counts its references: the transport's, and one per call under
 * way, so closing a session while a call runs cancels the call and frees
 * the session when the call's final message is out.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "mcp/mcp_int.h"

static const char *const versions[] = {MCP_PROTOCOL_LATEST, "2025-06-18", "2025-03-26",
                                       "2024-11-05"};

/* Syslog levels, lowest first, as logging/setLevel names them. */
static const char *const levels[] = {"debug", "info",     "notice", "warning",
                                     "error", "critical", "alert",  "emergency"};

#define MAX_CALLS 64 /* tool calls under way in one process */

static int active_calls; /* atomic */

struct call_link {
    struct mcp_call *c;
    struct call_link *next;
};

struct mcp_session {
    struct mcp *m;
    char *owner;
    char version[16];
    bool initialized;
    int log_level; /* index in levels; -1: no logging until asked */
    pthread_mutex_t lock;
    int refs;
    bool closed;
    struct call_link *calls;
};

bool mcp_version_supported(const char *v)
{
    for (size_t i = 0; v && i < sizeof versions / sizeof *versions; i++)
        if (strcmp(v, versions[i]) == 0)
            return true;
    return false;
}

int mcp_new(const struct config *cfg, struct jobs *jobs, struct mcp **out, struct err *e)
{
    (void)e;
    struct mcp *m = xcalloc(1, sizeof *m);
    m->cfg = cfg;
    m->jobs = jobs;
    const char *t = getenv("PROSPECT_MCP_TEST_TOOLS");
    bool asked = t && strcmp(t, "1") == 0;
    m->test_tools = asked && mcp__has_test_tools();
    if (m->test_tools)
        log_warn("MCP test tools are listed (PROSPECT_MCP_TEST_TOOLS=1): not for production");
    else if (asked)
        log_warn("PROSPECT_MCP_TEST_TOOLS=1 is ignored: only prospect-test has the test tools");
    pthread_mutex_init(&m->lock, NULL);
    *out = m;
    return 0;
}

bool mcp_wait_idle(struct mcp *m, int64_t timeout_ms)
{
    (void)m;
    int64_t until = clock_mono_ms() + timeout_ms;
    while (__atomic_load_n(&active_calls, __ATOMIC_RELAXED) > 0) {
        if (clock_mono_ms() >= until)
            return false;
        struct timespec t = {0, 20 * 1000000L};
        nanosleep(&t, NULL);
    }
    return true;
}

void mcp_free(struct mcp *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m);
}

struct mcp_session *mcp_session_new(struct mcp *m, const char *owner)
{
    struct mcp_session *s = xcalloc(1, sizeof *s);
    s->m = m;
    s->owner = xstrdup(owner ? owner : "");
    s->log_level = -1;
    s->refs = 1;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

static void unref(struct mcp_session *s)
{
    pthread_mutex_lock(&s->lock);
    bool last = --s->refs == 0;
    pthread_mutex_unlock(&s->lock);
    if (!last)
        return;
    pthread_mutex_destroy(&s->lock);
    free(s->owner);
    free(s);
}

void mcp_session_hold(struct mcp_session *s)
{
    pthread_mutex_lock(&s->lock);
    s->refs++;
    pthread_mutex_unlock(&s->lock);
}

void mcp_session_release(struct mcp_session *s)
{
    unref(s);
}

void mcp_session_close(struct mcp_session *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->closed = true;
    for (struct call_link *l = s->calls; l; l = l->next)
        l->c->cancel = 1;
    pthread_mutex_unlock(&s->lock);
    unref(s);
}

const char *mcp_session_version(const struct mcp_session *s)
{
    return s->version;
}

const char *mcp_session_owner(const struct mcp_session *s)
{
    return s->owner;
}

/* ---- messages ---- */

static void send_json(const struct mcp_out *out, json_t *msg, bool final)
{
    char *s = json_dumps(msg, JSON_COMPACT);
    out->send(out->ctx, s, final);
    free(s);
    json_decref(msg);
}

static json_t *response(json_t *id, json_t *result)
{
    return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "result",
                     result);
}

static json_t *rpc_error(json_t *id, int code, const char *message)
{
    return json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                     "error", "code", code, "message", message);
}

/* ---- calls ---- */

void mcp__progress(struct mcp_call *c, double progress, double total, const char *message)
{
    if (!c->progress_token || c->cancel)
        return;
    if (progress <= c->last_progress)
        progress = c->last_progress + 1e-3; /* progress must increase */
    c->last_progress = progress;
    json_t *params =
        json_pack("{s:O, s:f}", "progressToken", c->progress_token, "progress", progress);
    if (total > 0)
        json_object_set_new(params, "total", json_real(total));
    if (message)
        json_object_set_new(params, "message", json_string(message));
    send_json(&c->out,
              json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", "notifications/progress",
                        "params", params),
              false);
}

void mcp__log(struct mcp_call *c, int level, json_t *data)
{
    pthread_mutex_lock(&c->s->lock);
    bool on = c->s->log_level >= 0 && level >= c->s->log_level;
    pthread_mutex_unlock(&c->s->lock);
    if (on && !c->cancel)
        send_json(&c->out,
                  json_pack("{s:s, s:s, s:{s:s, s:s, s:O}}", "jsonrpc", "2.0", "method",
                            "notifications/message", "params", "level", levels[level], "logger",
                            "prospect", "data", data),
                  false);
    json_decref(data);
}

static void *call_main(void *arg)
{
    struct mcp_call *c = arg;
    json_t *result = mcp__tool_call(c);
    if (c->cancel) {
        json_decref(result);
        c->out.send(c->out.ctx, NULL, true); /* cancelled: no response */
    } else if (json_is_integer(json_object_get(result, "_rpc_error"))) {
        int code = (int)json_integer_value(json_object_get(result, "_rpc_error"));
        const char *msg = json_string_value(json_object_get(result, "message"));
        send_json(&c->out, rpc_error(c->id, code, msg ? msg : "error"), true);
        json_decref(result);
    } else {
        send_json(&c->out, response(c->id, result), true); /* response() takes result */
    }
    struct mcp_session *s = c->s;
    pthread_mutex_lock(&s->lock);
    for (struct call_link **l = &s->calls; *l; l = &(*l)->next)
        if ((*l)->c == c) {
            struct call_link *dead = *l;
            *l = dead->next;
            free(dead);
            break;
        }
    pthread_mutex_unlock(&s->lock);
    json_decref(c->id);
    json_decref(c->args);
    json_decref(c->progress_token);
    free(c->name);
    free(c);
    __atomic_fetch_sub(&active_calls, 1, __ATOMIC_RELAXED);
    unref(s);
    return NULL;
}

static enum mcp_result start_call(struct mcp_session *s, json_t *id, json_t *params,
                                  const struct mcp_out *out)
{
    const char *name = json_string_value(json_object_get(params, "name"));
    json_t *args = json_object_get(params, "arguments");
    if (!name) {
        send_json(out, rpc_error(id, -32602, "tools/call needs a tool name"), true);
        return MCP_ANSWERED;
    }
    if (!mcp__tool_known(s->m, name)) {
        char msg[200];
        snprintf(msg, sizeof msg, "unknown tool: %.120s (tools/list names them)", name);
        send_json(out, rpc_error(id, -32602, msg), true);
        return MCP_ANSWERED;
    }
    if (args && !json_is_object(args)) {
        send_json(out, rpc_error(id, -32602, "arguments must be an object"), true);
        return MCP_ANSWERED;
    }
    if (__atomic_add_fetch(&active_calls, 1, __ATOMIC_RELAXED) > MAX_CALLS) {
        __atomic_fetch_sub(&active_calls, 1, __ATOMIC_RELAXED);
        send_json(out, rpc_error(id, -32000, "too many tool calls under way; try again shortly"),
                  true);
        return MCP_ANSWERED;
    }
    struct mcp_call *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->m = s->m;
    c->id = json_incref(id);
    c->name = xstrdup(name);
    c->args = args ? json_incref(args) : json_object();
    json_t *tok = json_object_get(json_object_get(params, "_meta"), "progressToken");
    c->progress_token =
        tok && (json_is_string(tok) || json_is_integer(tok)) ? json_incref(tok) : NULL;
    c->last_progress = -1;
    c->out = *out;
    struct call_link *l = xcalloc(1, sizeof *l);
    l->c = c;
    pthread_mutex_lock(&s->lock);
    s->refs++;
    l->next = s->calls;
    s->calls = l;
    pthread_mutex_unlock(&s->lock);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    if (pthread_create(&t, &attr, call_main, c))
        call_main(c); /* no thread to spare: run it here */
    pthread_attr_destroy(&attr);
    return MCP_PENDING;
}

static void cancel_call(struct mcp_session *s, json_t *request_id)
{
    pthread_mutex_lock(&s->lock);
    for (struct call_link *l = s->calls; l; l = l->next)
        if (json_equal(l->c->id, request_id))
            l->c->cancel = 1;
    pthread_mutex_unlock(&s->lock);
}

/* ---- requests ---- */

static json_t *initialize(struct mcp_session *s, json_t *params)
{
    const char *asked = json_string_value(json_object_get(params, "protocolVersion"));
    const char *v = mcp_version_supported(asked) ? asked : MCP_PROTOCOL_LATEST;
    pthread_mutex_lock(&s->lock);
    snprintf(s->version, sizeof s->version, "%s", v);
    s->initialized = true;
    pthread_mutex_unlock(&s->lock);
    return json_pack(
        "{s:s, s:{s:{s:b}, s:{}}, s:{s:s, s:s, s:s}, s:s}", "protocolVersion", v, "capabilities",
        "tools", "listChanged", 0, "logging", "serverInfo", "name", "prospect", "title",
        "Prospect lead generation", "version", "0.1.0", "instructions",
        "Prospect finds B2B companies that match a business context and qualifies each with "
        "evidence-backed scores. Start with prospect_find_leads (it returns a job_id at once and "
        "may wait a little for early leads); follow with prospect_job_status and "
        "prospect_job_leads; prospect_explain_score shows the quoted evidence behind a lead's "
        "scores. prospect_enrich_companies reads and qualifies a list of companies you already "
        "have (prospect_enrich_company, one). "
        "prospect_generate_queries, prospect_search and prospect_extract_page expose single "
        "steps.");
}

static bool initialized(struct mcp_session *s)
{
    pthread_mutex_lock(&s->lock);
    bool yes = s->initialized;
    pthread_mutex_unlock(&s->lock);
    return yes;
}

enum mcp_result mcp_handle(struct mcp_session *s, const char *msg, size_t len,
                           const struct mcp_out *out, bool *is_initialize)
{
    if (is_initialize)
        *is_initialize = false;
    json_error_t je;
    json_t *m = json_loadb(msg, len, 0, &je);
    if (!m) {
        char why[200];
        snprintf(why, sizeof why, "parse error: %s", je.text);
        send_json(out, rpc_error(NULL, -32700, why), true);
        return MCP_ANSWERED;
    }
    enum mcp_result r = MCP_ANSWERED;
    json_t *id = json_object_get(m, "id");
    const char *method = json_string_value(json_object_get(m, "method"));
    json_t *params = json_object_get(m, "params");
    bool valid_id = id && (json_is_string(id) || json_is_integer(id));
    if (!json_is_object(m) || !json_is_string(json_object_get(m, "jsonrpc")) ||
        strcmp(json_string_value(json_object_get(m, "jsonrpc")), "2.0") != 0) {
        send_json(out,
                  rpc_error(valid_id ? id : NULL, -32600,
                            json_is_array(m) ? "batches are not supported: send one message"
                                             : "not a JSON-RPC 2.0 message"),
                  true);
    } else if (!method) {
        r = MCP_NONE; /* a response to us (we send no requests): nothing to do */
    } else if (!id) { /* a notification */
        if (strcmp(method, "notifications/cancelled") == 0)
            cancel_call(s, json_object_get(params, "requestId"));
        r = MCP_NONE;
    } else if (!valid_id) {
        send_json(out, rpc_error(NULL, -32600, "id must be a string or an integer"), true);
    } else if (params && !json_is_object(params)) {
        send_json(out, rpc_error(id, -32602, "params must be an object"), true);
    } else if (strcmp(method, "initialize") == 0) {
        if (is_initialize)
            *is_initialize = true;
        send_json(out, response(id, initialize(s, params)), true);
    } else if (strcmp(method, "ping") == 0) {
        send_json(out, response(id, json_object()), true);
    } else if (!mcp__method_known(method)) {
        char why[200];
        snprintf(why, sizeof why, "method not found: %.120s", method);
        send_json(out, rpc_error(id, -32601, why), true);
    } else if (!initialized(s)) {
        send_json(out, rpc_error(id, -32002, "the session is not initialized: send initialize"),
                  true);
    } else if (strcmp(method, "tools/list") == 0) {
        json_t *cursor = json_object_get(params, "cursor");
        if (cursor && !json_is_null(cursor))
            send_json(out, rpc_error(id, -32602, "invalid cursor: the list has one page"), true);
        else
            send_json(out, response(id, json_pack("{s:o}", "tools", mcp__tools_list(s->m))), true);
    } else if (strcmp(method, "logging/setLevel") == 0) {
        const char *level = json_string_value(json_object_get(params, "level"));
        int k = -1;
        for (int i = 0; level && i < (int)(sizeof levels / sizeof *levels); i++)
            if (strcmp(level, levels[i]) == 0)
                k = i;
        if (k < 0) {
            send_json(out, rpc_error(id, -32602, "level must be a syslog level such as info"),
                      true);
        } else {
            pthread_mutex_lock(&s->lock);
            s->log_level = k;
            pthread_mutex_unlock(&s->lock);
            send_json(out, response(id, json_object()), true);
        }
    } else { /* tools/call */
        r = start_call(s, id, params, out);
    }
    json_decref(m);
    return r;
}

bool mcp__method_known(const char *method)
{
    static const char *const known[] = {"initialize", "ping", "tools/list", "tools/call",
                                        "logging/setLevel"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(method, known[i]) == 0)
            return true;
    return false;
}
