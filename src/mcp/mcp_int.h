/* mcp_int.h: what the protocol engine (mcp.c), the tools (tools.c, and
 * the test build's test_tools.c) and the stdio transport (stdio.c) share. */
#ifndef PROSPECT_MCP_INT_H
#define PROSPECT_MCP_INT_H

#include <pthread.h>
#include <signal.h>

#include <jansson.h>

#include "mcp/mcp.h"

struct mcp {
    const struct config *cfg;
    struct jobs *jobs;
    bool test_tools; /* test tools registered and PROSPECT_MCP_TEST_TOOLS=1 */
    pthread_mutex_t lock;
};

/* One tools/call under way, on its own thread. */
struct mcp_call {
    struct mcp *m;
    struct mcp_session *s;
    json_t *id, *args, *progress_token; /* progress_token may be NULL */
    char *name;
    double last_progress;
    volatile sig_atomic_t cancel; /* notifications/cancelled, or the session closed */
    struct mcp_out out;
};

/* Log levels of mcp__log, as in logging/setLevel. */
enum { MCP_DEBUG, MCP_INFO, MCP_NOTICE, MCP_WARNING, MCP_ERROR };

/* mcp__progress(c, progress, total, message): notifications/progress when
 * the call has a token (progress is kept increasing); total 0: unknown. */
void mcp__progress(struct mcp_call *c, double progress, double total, const char *message);

/* mcp__log(c, level, data): notifications/message when the session's
 * level lets it through; data is stolen. */
void mcp__log(struct mcp_call *c, int level, json_t *data);

/* mcp_session_owner(s): the API key the session's jobs belong to. */
const char *mcp_session_owner(const struct mcp_session *s);

bool mcp__method_known(const char *method);

/* ---- tools.c: the tools ---- */

typedef json_t *(*mcp_tool_fn)(struct mcp_call *c);

/* One tool: a row of a tool table. */
struct mcp_tool {
    const char *name, *title, *description;
    const char *input, *output; /* JSON Schema text; output may be NULL */
    bool read_only, destructive, idempotent, open_world;
    mcp_tool_fn fn; /* the call's result, as mcp__tool_call returns it */
};

/* mcp__set_test_tools(v, n): the tools a test build offers after ours
 * (test_tools.c, linked only into prospect-test), v borrowed for the
 * process's life; an engine lists them only with PROSPECT_MCP_TEST_TOOLS=1
 * as well. Thread: call before the first mcp_new. */
void mcp__set_test_tools(const struct mcp_tool *v, size_t n);

/* mcp__has_test_tools(): whether a test build registered its tools. */
bool mcp__has_test_tools(void);

bool mcp__tool_known(const struct mcp *m, const char *name);
json_t *mcp__tools_list(const struct mcp *m);
/* mcp__tool_call(c): the call's result ({content, structuredContent?,
 * isError?}), or {"_rpc_error": code, "message": ...} for a protocol error;
 * new reference. Runs on the call's thread; checks c->cancel between steps. */
json_t *mcp__tool_call(struct mcp_call *c);

#include "core/banned.h"
#endif
