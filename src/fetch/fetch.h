/* fetch.h: the page fetcher: pages and robots.txt over the process's one
 * I/O engine (engine/engine.h), polite and guarded across every job.
 *
 * Limits: transfers at once in the whole process and per host, whichever
 * job asks (the first fetcher made sets them); robots.txt is fetched once
 * per host and process, obeyed for our user agent, its Crawl-delay kept
 * between the starts of two requests to the host; connect and total
 * timeouts, at most 5 redirects, a body cap (the transfer is aborted past
 * it). The same URL asked for by several jobs at once is fetched once, and
 * its answer serves them for a few minutes from memory (the page cache of
 * the store, in the pipeline, keeps pages longer). The
 * address guard refuses loopback, private, link-local, CGNAT, multicast,
 * unspecified and cloud-metadata addresses, IPv4 and IPv6 (IPv4-mapped
 * included), checked on the address actually connected to, redirects
 * included, so DNS rebinding cannot pass it. Every fetch ends in exactly
 * one status.
 * Thread: a fetcher may be used from any thread; its callbacks run on the
 * engine's thread and must not block.
 */
#ifndef PROSPECT_FETCH_H
#define PROSPECT_FETCH_H

#include <signal.h>
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
    FETCH_NOT_MODIFIED,    /* 304 to a conditional request: the caller's copy holds */
    FETCH_CANCELLED,       /* the fetcher was cancelled first */
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
    /* For the page cache: the validators and whether it may be kept. */
    char etag[256], last_modified[64];
    bool no_store;  /* Cache-Control: no-store (or private) */
    bool coalesced; /* answered by a transfer another fetch had started */
};

struct fetch_options {
    int max_total; /* transfers at once */
    int per_host;  /* transfers at once to one host */
    long connect_timeout_ms;
    long timeout_ms;
    long max_redirects;
    size_t max_body;
    const char *user_agent;
    bool robots;                         /* obey robots.txt */
    bool allow_loopback;                 /* PROSPECT_FETCH_ALLOW_PRIVATE=1, for tests only */
    const volatile sig_atomic_t *cancel; /* borrowed; non-zero stops this fetcher's fetches */
    int64_t reuse_ms; /* a URL answered this recently is answered again from memory; 0: never */
};

/* fetch_options_from_config(cfg, out): the configured limits. */
void fetch_options_from_config(const struct config *cfg, struct fetch_options *out);

/* fetch_status_name(s): "ok", "empty", "blocked", "rate_limited",
 * "challenge", "timeout", "too_large", "not_html", "refused_address",
 * "error". Static string. */
const char *fetch_status_name(enum fetch_status s);

struct fetcher;

/* Called once per fetch with its result, borrowed for the call (take what
 * you keep: move body and final_url out and set them NULL). Runs on the
 * engine's thread: it must be quick and must not block. */
typedef void (*fetch_done_fn)(void *ctx, const char *url, struct fetch_result *r);

/* fetch_new(opt): a fetcher, the handle of one caller's fetches; opt is
 * copied (the user agent too). The first fetcher of the process sets the
 * process-wide limits (max_total, per_host). */
struct fetcher *fetch_new(const struct fetch_options *opt);

/* fetch_free(f): cancels what is pending or running and waits until every
 * callback of f has returned. Not from a callback. NULL is fine. */
void fetch_free(struct fetcher *f);

/* fetch_add(f, url, fn, ctx): queues url. fn is called exactly once, on the
 * engine's thread. A URL that is not http(s) is answered FETCH_ERROR. */
void fetch_add(struct fetcher *f, const char *url, fetch_done_fn fn, void *ctx);

/* fetch_add_conditional(f, url, etag, last_modified, fn, ctx): fetch_add
 * with If-None-Match / If-Modified-Since (either may be NULL or ""); an
 * unchanged page is answered FETCH_NOT_MODIFIED without a body. */
void fetch_add_conditional(struct fetcher *f, const char *url, const char *etag,
                           const char *last_modified, fetch_done_fn fn, void *ctx);

/* fetch_cancel(f): f's pending fetches end FETCH_CANCELLED at once, its
 * running transfers are aborted (a transfer another fetcher also waits for
 * goes on for it). Later fetch_adds end FETCH_CANCELLED too. */
void fetch_cancel(struct fetcher *f);

/* fetch_wait(f): waits until every fetch added to f has called back. Not
 * from a callback. */
void fetch_wait(struct fetcher *f);

/* fetch_one(cfg, url, out): one fetch with the configured options, waited
 * for. Release out with fetch_result_release. */
void fetch_one(const struct config *cfg, const char *url, struct fetch_result *out);

/* Counters of the process's page fetching, for /metrics. */
struct fetch_stats {
    int64_t requests, coalesced, robots, crawl_delayed, cancelled, not_modified;
};
void fetch_stats(struct fetch_stats *out);

void fetch_result_release(struct fetch_result *r);

/* fetch_address_allowed(sa, allow_loopback): the guard's verdict on an
 * address (struct sockaddr_in / sockaddr_in6). */
struct sockaddr;
bool fetch_address_allowed(const struct sockaddr *sa, bool allow_loopback);

/* fetch_robots_allowed(robots, agent, path): whether robots.txt text lets
 * agent (a product token, "Prospect") fetch path. */
bool fetch_robots_allowed(const char *robots, const char *agent, const char *path);

/* fetch_robots_delay_ms(robots, agent): the Crawl-delay the text asks of
 * agent (its own group, else '*'), in milliseconds; 0 when none. */
int64_t fetch_robots_delay_ms(const char *robots, const char *agent);

#include "core/banned.h"
#endif
