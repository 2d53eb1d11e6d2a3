/* mcp.h: Prospect for AI agents over the Model Context Protocol
 * (reference/mcp.md): the initialize lifecycle (2025-11-25, accepting
 * 2025-06-18, 2025-03-26 and 2024-11-05), ping, logging, progress,
 * cancellation, and the prospect_* tools, which use the same job manager,
 * store and providers as the HTTP API. Transport-free: `prospect mcp`
 * (stdio, mcp_stdio) and `/mcp` on `prospect serve` (Streamable HTTP, in
 * src/http) feed it one JSON-RPC message at a time.
 * Thread: a session's messages may come from any thread; tool calls run on
 * their own threads.
 */
#ifndef PROSPECT_MCP_H
#define PROSPECT_MCP_H

#include <stdbool.h>

#include <jansson.h>

#include "config/config.h"
#include "core/err.h"
#include "jobs/jobs.h"

#define MCP_PROTOCOL_LATEST "2025-11-25"

struct mcp;
struct mcp_session;

/* Where a request's messages go: notifications (final false), then its
 * response (final true, exactly once; json NULL when the call was
 * cancelled, which gets no response). json is borrowed for the call. The
 * transport keeps ctx alive until the final call. */
struct mcp_out {
    void (*send)(void *ctx, const char *json, bool final);
    void *ctx;
};

/* mcp_new(cfg, jobs, out, e): the engine over a running job manager (both
 * borrowed for its life). In prospect-test (mcp/test_tools.h) and with
 * PROSPECT_MCP_TEST_TOOLS=1 in the environment it also lists the
 * conformance suite's test tools. */
int mcp_new(const struct config *cfg, struct jobs *jobs, struct mcp **out, struct err *e)
    __attribute__((warn_unused_result));

/* mcp_wait_idle(m, timeout_ms): waits until no tool call runs; false when
 * some still did after timeout_ms. */
bool mcp_wait_idle(struct mcp *m, int64_t timeout_ms);

/* mcp_free(m): after every session is closed and mcp_wait_idle. NULL is fine. */
void mcp_free(struct mcp *m);

/* mcp_session_new(m, owner): a client's session; owner names its API key
 * ("" without keys): its jobs are that key's. */
struct mcp_session *mcp_session_new(struct mcp *m, const char *owner);

/* mcp_session_close(s): cancels the session's calls under way and frees it
 * once they have ended (their final send still comes). NULL is fine. */
void mcp_session_close(struct mcp_session *s);

/* mcp_session_hold(s), mcp_session_release(s): keep a session alive while
 * a message is handled on another thread than the one that may close it. */
void mcp_session_hold(struct mcp_session *s);
void mcp_session_release(struct mcp_session *s);

/* mcp_session_version(s): the protocol version agreed at initialize ("" before). */
const char *mcp_session_version(const struct mcp_session *s);

/* mcp_version_supported(v): whether v is a version this server speaks. */
bool mcp_version_supported(const char *v);

enum mcp_result {
    MCP_NONE,     /* a notification or a response: nothing to answer */
    MCP_ANSWERED, /* the response was sent before mcp_handle returned */
    MCP_PENDING,  /* a tool call runs: its messages come later, from its thread */
};

/* mcp_handle(s, msg, len, out): one JSON-RPC message from the client.
 * Malformed JSON is answered -32700, a batch -32600, an unknown method
 * -32601 (before initialize too), anything but ping before initialize
 * -32002... through out. *is_initialize is set when msg was an initialize
 * request (HTTP starts a session on it); may be NULL. */
enum mcp_result mcp_handle(struct mcp_session *s, const char *msg, size_t len,
                           const struct mcp_out *out, bool *is_initialize);

/* mcp_stdio(cfg): `prospect mcp`: one session on standard input and
 * output (one message per line; logs on stderr) until end of input.
 * Returns the exit code. */
int mcp_stdio(const struct config *cfg);

#include "core/banned.h"
#endif
