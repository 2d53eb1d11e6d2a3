/* stdio.c: `prospect mcp`, the MCP server on standard input and output.
 *
 * One JSON-RPC message per line in; one per line out, each written whole
 * under a lock (tool calls answer from their own threads). Nothing but
 * messages goes to stdout: logs go to stderr. At end of input the calls
 * under way are cancelled, the process waits for them (a few seconds at
 * most) and exits; jobs it started stay in the store, resumable.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "mcp/mcp_int.h"

#define MAX_LINE (4 * 1024 * 1024)

struct out {
    pthread_mutex_t lock;
    pthread_cond_t idle;
    int pending; /* requests not yet answered */
};

static void write_all(const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w <= 0)
            return; /* the client is gone */
        s += w;
        n -= (size_t)w;
    }
}

static void send_line(void *ctx, const char *json, bool final)
{
    struct out *o = ctx;
    pthread_mutex_lock(&o->lock);
    if (json) {
        size_t n = strlen(json);
        char *line = xmalloc(n + 1);
        memcpy(line, json, n);
        line[n] = '\n';
        write_all(line, n + 1); /* one write: lines never interleave */
        free(line);
    }
    if (final && --o->pending == 0)
        pthread_cond_broadcast(&o->idle);
    pthread_mutex_unlock(&o->lock);
}

int mcp_stdio(const struct config *cfg)
{
    struct jobs *jobs = NULL;
    struct mcp *m = NULL;
    struct err e = {0};
    if (jobs_new(cfg, (int)cfg->job_concurrency, &jobs, &e) || mcp_new(cfg, jobs, &m, &e)) {
        fprintf(stderr, "prospect mcp: %s\n", e.msg);
        jobs_free(jobs);
        return 1;
    }
    log_info("MCP on stdio", LOG_S("db", cfg->db));
    struct mcp_session *s = mcp_session_new(m, "");
    struct out o = {.pending = 0};
    pthread_mutex_init(&o.lock, NULL);
    pthread_cond_init(&o.idle, NULL);
    struct mcp_out out = {send_line, &o};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!n)
            continue;
        if (n > MAX_LINE) {
            send_line(&o,
                      "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
                      "\"message\":\"message too large\"}}",
                      false);
            continue;
        }
        pthread_mutex_lock(&o.lock);
        o.pending++; /* before the answer can come back from another thread */
        pthread_mutex_unlock(&o.lock);
        if (mcp_handle(s, line, (size_t)n, &out, NULL) == MCP_NONE) {
            pthread_mutex_lock(&o.lock);
            o.pending--;
            pthread_mutex_unlock(&o.lock);
        }
    }
    free(line);
    /* End of input: stop the calls under way and let them finish. */
    mcp_session_close(s);
    pthread_mutex_lock(&o.lock);
    int64_t until = clock_mono_ms() + 10000;
    while (o.pending > 0 && clock_mono_ms() < until) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += 100 * 1000000L;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_sec++;
            t.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&o.idle, &o.lock, &t);
    }
    bool drained = o.pending == 0;
    pthread_mutex_unlock(&o.lock);
    if (!drained) {
        log_warn("tool calls did not end in time; exiting anyway");
        _exit(0); /* their threads still hold the engine */
    }
    mcp_free(m);
    jobs_free(jobs);
    pthread_mutex_destroy(&o.lock);
    pthread_cond_destroy(&o.idle);
    return 0;
}
