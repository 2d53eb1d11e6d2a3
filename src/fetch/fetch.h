/* fetch.h: the page fetcher: libcurl multi, event-driven (no thread per
 * request), polite and guarded.
 *
 * Limits: transfers at once and per host, connect and total timeouts, at
 * most 5 redirects, a body cap (the transfer is aborted past it). robots.txt
 * is fetched once per host and obeyed for our user agent. The address guard
 * refuses loopback, private, link-local, CGNAT, multicast, unspecified and
 * cloud-metadata addresses, IPv4 and IPv6 (IPv4-mapped included), checked on
 * the address actually connected to, redirects included, so DNS rebinding
 * cannot pass it. Every fetch ends in exactly one status.
 * Thread: a fetcher belongs to the thread that drives it.
 */
#ifndef PROSPECT_FETCH_H
#define PROSPECT_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

enum fetch_status {
    FETCH_OK,
    FETCH_EMPTY,        /* 2xx without content */
    FETCH_BLOCKED,      /* 401/403, or disallowed by robots.txt */
    FETCH_RATE_LIMITED, /* 429 */
    FETCH_CHALLENGE,    /* a bot-check page */
    FETCH_TIMEOUT,
    FETCH_TOO_LARGE, /* past the body cap */
    FETCH_NOT_HTML,
    FETCH_REFUSED_ADDRESS, /* the address guard said no */
    FETCH_ERROR,           /* DNS, connection, TLS, 4xx/5xx, too many redirects */
    FETCH_NSTATUS
};

struct fetch_result {
    enum fetch_status status;
    int http_code;   /* 0 when no answer */
    char *final_url; /* after redirects (owned) */
    char *body;      /* NUL-terminated (owned), NULL unless FETCH_OK */
    size_t body_len;
    char charset[64]; /* from Content-Type, "" when absent */
    char detail[256]; /* why, for anything but FETCH_OK */
    int redirects;
    int64_t elapsed_ms;
    int64_t retry_after_s; /* from a 429's Retry-After, else 0 */
};

struct fetch_options {
    int max_total; /* transfers at once */
    int per_host;  /* transfers at once to one host */
    long connect_timeout_ms;
    long timeout_ms;
    long max_redirects;
    size_t max_body;
    const char *user_agent;
    bool robots;         /* obey robots.txt */
    bool allow_loopback; /* PROSPECT_FETCH_ALLOW_PRIVATE=1, for tests only */
};

/* fetch_options_from_config(cfg, out): the configured limits. */
void fetch_options_from_config(const struct config *cfg, struct fetch_options *out);

/* fetch_status_name(s): "ok", "empty", "blocked", "rate_limited",
 * "challenge", "timeout", "too_large", "not_html", "refused_address",
 * "error". Static string. */
const char *fetch_status_name(enum fetch_status s);

struct fetcher;

/* Called once per fetch with its result, borrowed for the call (take what
 * you keep: fetch_result_steal_body). Runs on the driving thread. */
typedef void (*fetch_done_fn)(void *ctx, const char *url, struct fetch_result *r);

/* fetch_new(opt): a fetcher; opt is copied (the user agent too). */
struct fetcher *fetch_new(const struct fetch_options *opt);

/* fetch_free(f): cancels what is pending (their callbacks are not called). */
void fetch_free(struct fetcher *f);

/* fetch_add(f, url, fn, ctx): queues url. fn is called exactly once, from
 * fetch_perform, unless fetch_free comes first. A URL that is not http(s)
 * is answered at once with FETCH_ERROR (through fn, from the next
 * fetch_perform). */
void fetch_add(struct fetcher *f, const char *url, fetch_done_fn fn, void *ctx);

/* fetch_perform(f, wait_ms): does the I/O that is ready (waiting up to
 * wait_ms for some), starts queued transfers within the limits, and calls
 * the callbacks of finished ones. Returns the number of fetches still
 * queued or running. */
int fetch_perform(struct fetcher *f, int wait_ms);

/* fetch_wakeup(f): makes a fetch_perform waiting on another thread return. */
void fetch_wakeup(struct fetcher *f);

/* fetch_one(cfg, url, out): one fetch with the configured options, driven
 * to its end. Release out with fetch_result_release. */
void fetch_one(const struct config *cfg, const char *url, struct fetch_result *out);

void fetch_result_release(struct fetch_result *r);

/* fetch_address_allowed(sa, allow_loopback): the guard's verdict on an
 * address (struct sockaddr_in / sockaddr_in6). */
struct sockaddr;
bool fetch_address_allowed(const struct sockaddr *sa, bool allow_loopback);

/* fetch_robots_allowed(robots, agent, path): whether robots.txt text lets
 * agent (a product token, "Prospect") fetch path. */
bool fetch_robots_allowed(const char *robots, const char *agent, const char *path);

#include "core/banned.h"
#endif
