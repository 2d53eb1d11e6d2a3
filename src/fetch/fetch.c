/* fetch.c: the page fetcher of fetch.h on the process's I/O engine.
 *
 * Requests from every job wait in one queue of our own, on the engine's
 * thread, and start only within the global and per-host limits, so that a
 * transfer's timeout measures the transfer, not time spent waiting for a
 * slot. A host's first page waits for its robots.txt, fetched once per
 * process through the same guarded path; its Crawl-delay is a timer. A URL
 * already queued or running for another job gets a second waiter, not a
 * second request. The guard lives in
 * the open-socket callback: it sees the address libcurl is about to connect
 * to (after DNS, for every redirect hop and every address tried), which is
 * the only place a check cannot be fooled by DNS rebinding.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <xxhash.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "engine/engine.h"
#include "fetch/fetch.h"
#include "net/url.h"

#define ROBOTS_MAX (512 * 1024)
/* Answers kept in memory for other jobs: at most this long, this many
 * bytes and this many; the store's page cache is the long-lived one. */
#define REUSE_MAX_MS (10 * 60 * 1000)
#define REUSE_MAX_BYTES ((size_t)32 << 20)
#define REUSE_MAX_ENTRIES 4096
#define WATCH_MS 100
#define HOST_BUCKETS 4096

static const char *const status_names[FETCH_NSTATUS] = {
    "ok",        "empty",    "blocked",         "rate_limited", "challenge",    "timeout",
    "too_large", "not_html", "refused_address", "error",        "not_modified", "cancelled"};

const char *fetch_status_name(enum fetch_status s)
{
    return (unsigned)s < FETCH_NSTATUS ? status_names[s] : "error";
}

void fetch_options_from_config(const struct config *cfg, struct fetch_options *out)
{
    out->max_total = (int)cfg->fetch_concurrency;
    out->per_host = (int)cfg->fetch_per_host;
    out->connect_timeout_ms = (long)cfg->fetch_connect_timeout_ms;
    out->timeout_ms = (long)cfg->fetch_timeout_ms;
    out->max_redirects = 5;
    out->max_body = (size_t)cfg->fetch_max_bytes;
    out->user_agent = cfg->user_agent;
    out->robots = cfg->fetch_robots;
    out->allow_loopback = cfg->fetch_allow_private;
    out->cancel = NULL;
    int64_t ttl_ms = cfg->page_ttl_s * 1000;
    out->reuse_ms = ttl_ms < REUSE_MAX_MS ? ttl_ms : REUSE_MAX_MS;
}

/* ---- the fetcher ---- */

/* Crawl-delay above this is read as this: a site asking for minutes
 * between pages would hold a job for an hour. */
#define MAX_CRAWL_DELAY_MS 10000
#define ROBOTS_TTL_MS (24 * 3600 * 1000)

struct fetcher {
    struct fetch_options opt; /* the user agent owned */
    char *agent_token;        /* the robots.txt product token */
    int cancelled;            /* atomic */
    pthread_mutex_t lock;
    pthread_cond_t idle;
    int outstanding; /* fetches whose callback has not returned */
};

/* Everything below lives on the engine's thread. */

struct host {
    char *origin; /* scheme://host[:port] */
    int active;
    enum { ROBOTS_UNKNOWN, ROBOTS_FETCHING, ROBOTS_KNOWN } robots_state;
    char *robots;       /* the text, when fetched */
    bool robots_denied; /* unavailable (5xx, network): fetch nothing */
    char robots_why[128];
    int64_t robots_at, delay_ms, next_start_ms;
    bool kick_set;      /* a timer will look at the queue when the delay is over */
    struct host *chain; /* the next in its bucket */
};

struct waiter {
    struct fetcher *f;
    fetch_done_fn fn;
    void *ctx;
    struct waiter *next;
};

/* One transfer, waiting or running, and the fetches it answers. */
struct req {
    char *url;
    struct host *host;
    struct waiter *waiters;
    struct fetch_options opt; /* of the fetcher that asked first (user agent owned) */
    char *agent_token;
    bool is_robots, running, aborting;
    char *etag, *last_modified; /* a conditional request: never shared */
    struct req *prev, *next;    /* the live list, in arrival order */
    CURL *easy;
    struct curl_slist *headers;
    struct buf body;
    struct fetch_result res;
    bool refused, too_large, not_html, hop_ok;
    char content_type[128];
    char errbuf[CURL_ERROR_SIZE];
    int64_t started;
};

/* A recent answer, for the next fetch of its URL. */
struct recent {
    char *url;
    bool robots, allow_loopback; /* the options that shape an answer */
    size_t max_body;
    struct fetch_result res;
    int64_t at;
    struct recent *next; /* newer first */
};

static struct {
    pthread_mutex_t lock; /* limits (set once) and stats */
    int max_total, per_host;
    bool limits_set;
    struct fetch_stats st;
    /* the engine's thread only: */
    int active;
    struct req *head, *tail;
    struct host *hosts[HOST_BUCKETS]; /* by a hash of the origin: a server meets many */
    struct curl_slist *accept;
    struct recent *recent;
    bool watching; /* the watch timer is set */
} F = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void count(int64_t *field)
{
    pthread_mutex_lock(&F.lock);
    (*field)++;
    pthread_mutex_unlock(&F.lock);
}

void fetch_stats(struct fetch_stats *out)
{
    pthread_mutex_lock(&F.lock);
    *out = F.st;
    pthread_mutex_unlock(&F.lock);
}

struct fetcher *fetch_new(const struct fetch_options *opt)
{
    engine_curl_init();
    struct fetcher *f = xcalloc(1, sizeof *f);
    f->opt = *opt;
    f->opt.user_agent = xstrdup(opt->user_agent ? opt->user_agent : "Prospect/0.1");
    f->agent_token = xstrndup(f->opt.user_agent, strcspn(f->opt.user_agent, "/ "));
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->idle, NULL);
    pthread_mutex_lock(&F.lock);
    if (!F.limits_set) {
        F.max_total = opt->max_total < 1 ? 1 : opt->max_total;
        F.per_host = opt->per_host < 1 ? 1 : opt->per_host;
        F.limits_set = true;
    }
    pthread_mutex_unlock(&F.lock);
    return f;
}

static bool is_cancelled(const struct fetcher *f)
{
    return __atomic_load_n(&f->cancelled, __ATOMIC_ACQUIRE) || (f->opt.cancel && *f->opt.cancel);
}

static void live_unlink(struct req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        F.head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    else
        F.tail = r->prev;
    r->prev = r->next = NULL;
}

static void live_append(struct req *r)
{
    r->prev = F.tail;
    r->next = NULL;
    if (F.tail)
        F.tail->next = r;
    else
        F.head = r;
    F.tail = r;
}

static void req_free(struct req *r)
{
    if (r->easy)
        curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->headers);
    buf_release(&r->body);
    fetch_result_release(&r->res);
    free(r->etag);
    free(r->last_modified);
    free((char *)r->opt.user_agent);
    free(r->agent_token);
    free(r->url);
    free(r);
}

static void req_set_options(struct req *r, const struct fetch_options *o)
{
    r->opt = *o;
    r->opt.user_agent = xstrdup(o->user_agent);
    r->opt.cancel = NULL; /* the waiters' own fetchers say when they stop */
    r->agent_token = xstrndup(o->user_agent, strcspn(o->user_agent, "/ "));
}

/* Calls one waiter back with res (borrowed) and retires it. */
static void answer(struct waiter *w, const char *url, struct fetch_result *res)
{
    struct fetcher *f = w->f;
    w->fn(w->ctx, url, res);
    free(w);
    pthread_mutex_lock(&f->lock);
    if (--f->outstanding == 0)
        pthread_cond_broadcast(&f->idle);
    pthread_mutex_unlock(&f->lock);
}

static void answer_status(struct waiter *w, const char *url, enum fetch_status s, const char *why)
{
    struct fetch_result res = {.status = s};
    snprintf(res.detail, sizeof res.detail, "%s", why);
    res.final_url = xstrdup(url);
    if (s == FETCH_CANCELLED)
        count(&F.st.cancelled);
    answer(w, url, &res);
    fetch_result_release(&res);
}

static void copy_result(struct fetch_result *to, const struct fetch_result *from)
{
    *to = *from;
    to->final_url = from->final_url ? xstrdup(from->final_url) : NULL;
    to->body = NULL;
    to->body_len = from->body ? from->body_len : 0;
    if (from->body) {
        to->body = xmalloc(from->body_len + 1);
        memcpy(to->body, from->body, from->body_len + 1);
    }
}

/* Answers every waiter of a finished request: the others get copies, then
 * the first gets the result itself (a callback may take its body). */
static void deliver(struct req *r)
{
    if (!r->res.final_url)
        r->res.final_url = xstrdup(r->url);
    struct waiter *first = r->waiters;
    r->waiters = NULL;
    if (!first)
        return;
    for (struct waiter *w = first->next, *next; w; w = next) {
        next = w->next;
        struct fetch_result copy;
        copy_result(&copy, &r->res);
        copy.coalesced = true;
        answer(w, r->url, &copy);
        fetch_result_release(&copy);
    }
    answer(first, r->url, &r->res);
}

static struct host *host_for(const char *url)
{
    CURLU *u = curl_url();
    char *origin = NULL, *scheme = NULL, *hostname = NULL, *port = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &hostname, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
            origin = xasprintf("%s://%s:%s", scheme, hostname, port);
        else
            origin = xasprintf("%s://%s", scheme, hostname);
        for (char *p = origin; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    curl_free(scheme);
    curl_free(hostname);
    curl_free(port);
    curl_url_cleanup(u);
    if (!origin)
        return NULL;
    struct host **bucket = &F.hosts[XXH3_64bits(origin, strlen(origin)) % HOST_BUCKETS];
    for (struct host *h = *bucket; h; h = h->chain) {
        if (strcmp(h->origin, origin) == 0) {
            free(origin);
            return h;
        }
    }
    struct host *h = xcalloc(1, sizeof *h);
    h->origin = origin;
    h->chain = *bucket;
    *bucket = h;
    return h;
}

/* ---- libcurl callbacks ---- */

static curl_socket_t on_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct req *r = clientp;
    (void)purpose;
    if (!fetch_address_allowed(&a->addr, r->opt.allow_loopback)) {
        char ip[INET6_ADDRSTRLEN] = "?";
        if (a->family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)&a->addr)->sin_addr, ip, sizeof ip);
        else if (a->family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&a->addr)->sin6_addr, ip, sizeof ip);
        r->refused = true;
        snprintf(r->res.detail, sizeof r->res.detail,
                 "refused to connect to %s (a private, loopback, link-local or reserved address)",
                 ip);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

static bool html_type(const char *t)
{
    return strncasecmp(t, "text/html", 9) == 0 || strncasecmp(t, "application/xhtml+xml", 21) == 0;
}

/* The value of header line data if its name is name ("etag:"), trimmed,
 * into out; false when it is another header. */
static bool header_value(const char *data, size_t len, const char *name, char *out, size_t n)
{
    size_t k = strlen(name);
    if (len <= k || strncasecmp(data, name, k) != 0)
        return false;
    const char *v = data + k;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t m = (size_t)(data + len - v);
    while (m && (v[m - 1] == '\r' || v[m - 1] == '\n' || v[m - 1] == ' '))
        m--;
    snprintf(out, n, "%.*s", (int)(m < n ? m : n - 1), v);
    return true;
}

static size_t on_header(char *data, size_t size, size_t n, void *clientp)
{
    struct req *r = clientp;
    size_t len = size * n;
    char cc[256];
    if (len > 5 && strncmp(data, "HTTP/", 5) == 0) { /* a new hop: its own headers */
        const char *sp = memchr(data, ' ', len);
        r->hop_ok = sp && sp[1] == '2';
        r->content_type[0] = '\0';
        r->res.etag[0] = r->res.last_modified[0] = '\0';
        r->res.no_store = false;
        return len;
    }
    if (header_value(data, len, "content-type:", r->content_type, sizeof r->content_type)) {
        /* Only HTML is kept: stop a 2xx answer of another type at once. */
        if (!r->is_robots && r->hop_ok && *r->content_type && !html_type(r->content_type)) {
            r->not_html = true;
            return 0;
        }
    } else if (header_value(data, len, "cache-control:", cc, sizeof cc)) {
        if (strcasestr(cc, "no-store") || strcasestr(cc, "private"))
            r->res.no_store = true;
    } else if (!header_value(data, len, "etag:", r->res.etag, sizeof r->res.etag)) {
        header_value(data, len, "last-modified:", r->res.last_modified,
                     sizeof r->res.last_modified);
    }
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *clientp)
{
    struct req *r = clientp;
    if (buf_append(&r->body, data, size * n)) {
        r->too_large = true;
        return 0; /* aborts the transfer */
    }
    return size * n;
}

/* Whether nobody wants the answer any more. */
static bool unwanted(struct req *r)
{
    if (r->is_robots)
        return false;
    for (struct waiter *w = r->waiters; w; w = w->next)
        if (!is_cancelled(w->f))
            return false;
    return true;
}

static int on_progress(void *clientp, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    struct req *r = clientp;
    r->aborting = r->aborting || unwanted(r);
    return r->aborting ? 1 : 0;
}

static void transfer_done(void *ctx, CURL *easy, CURLcode cc);
static void watch(void *ctx);

static void start(struct req *r)
{
    CURL *e = curl_easy_init();
    const struct fetch_options *o = &r->opt;
    r->easy = e;
    r->running = true;
    r->started = clock_mono_ms();
    buf_init(&r->body, r->is_robots ? ROBOTS_MAX : o->max_body);
    if (!F.accept) {
        F.accept =
            curl_slist_append(NULL, "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
        F.accept = curl_slist_append(F.accept, "Accept-Language: en;q=1.0, *;q=0.5");
    }
    struct curl_slist *headers = F.accept;
    if (r->etag || r->last_modified) {
        r->headers = curl_slist_append(NULL, "Accept: text/html,application/xhtml+xml;q=0.9");
        r->headers = curl_slist_append(r->headers, "Accept-Language: en;q=1.0, *;q=0.5");
        char line[400];
        if (r->etag) {
            snprintf(line, sizeof line, "If-None-Match: %s", r->etag);
            r->headers = curl_slist_append(r->headers, line);
        }
        if (r->last_modified) {
            snprintf(line, sizeof line, "If-Modified-Since: %s", r->last_modified);
            r->headers = curl_slist_append(r->headers, line);
        }
        headers = r->headers;
    }
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, o->max_redirects);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl decodes */
    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, r);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, r);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->body.max);
    F.active++;
    r->host->active++;
    count(r->is_robots ? &F.st.robots : &F.st.requests);
    engine_transfer(e, transfer_done, r);
    if (!F.watching) {
        F.watching = true;
        engine_after(WATCH_MS, watch, NULL);
    }
}
static const char *const challenge_markers[] = {"cf-browser-verification",
                                                "challenge-platform",
                                                "cf_chl_opt",
                                                "just a moment...",
                                                "attention required! | cloudflare",
                                                "_incapsula_resource",
                                                "px-captcha",
                                                "captcha-delivery.com",
                                                "ddos-guard",
                                                "please verify you are a human",
                                                "are you a robot",
                                                "checking your browser",
                                                NULL};

static bool looks_like_challenge(const char *body, size_t len)
{
    size_t n = len < 65536 ? len : 65536;
    char *low = xstrndup(body, n);
    for (char *p = low; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    bool hit = false;
    for (const char *const *m = challenge_markers; *m && !hit; m++)
        hit = strstr(low, *m) != NULL;
    free(low);
    return hit;
}

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)p[i]))
            return false;
    return true;
}

static void finish(struct req *r, enum fetch_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void finish(struct req *r, enum fetch_status s, const char *fmt, ...)
{
    r->res.status = s;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->res.detail, sizeof r->res.detail, fmt, ap);
        va_end(ap);
    }
}

static void classify(struct req *r, CURLcode cc)
{
    long code = 0;
    char *eff = NULL;
    long redirects = 0;
    curl_off_t retry = 0;
    const struct fetch_options *o = &r->opt;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &eff);
    curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &retry);
    r->res.http_code = (int)code;
    r->res.final_url = xstrdup(eff ? eff : r->url);
    r->res.redirects = (int)redirects;
    r->res.elapsed_ms = clock_mono_ms() - r->started;
    r->res.retry_after_s = (int64_t)retry;
    const char *ct = r->content_type;
    const char *cs = strcasestr(ct, "charset=");
    if (cs) {
        cs += 8;
        size_t k = strcspn(cs, "; \"'");
        snprintf(r->res.charset, sizeof r->res.charset, "%.*s", (int)k, cs);
    }
    if (r->aborting)
        return finish(r, FETCH_CANCELLED, "the fetch was cancelled");
    if (r->refused)
        return finish(r, FETCH_REFUSED_ADDRESS, NULL);
    if (r->too_large || cc == CURLE_FILESIZE_EXCEEDED)
        return finish(r, FETCH_TOO_LARGE, "the page is larger than %zu bytes", r->body.max);
    if (r->not_html)
        return finish(r, FETCH_NOT_HTML, "content type %s", ct);
    if (cc == CURLE_OPERATION_TIMEDOUT)
        return finish(r, FETCH_TIMEOUT, "no complete answer within %ld ms", o->timeout_ms);
    if (cc == CURLE_TOO_MANY_REDIRECTS)
        return finish(r, FETCH_ERROR, "more than %ld redirects", o->max_redirects);
    if (cc != CURLE_OK)
        return finish(r, FETCH_ERROR, "%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(cc));
    const char *body = r->body.data ? r->body.data : "";
    size_t len = r->body.len;
    if (code == 304 && (r->etag || r->last_modified)) {
        count(&F.st.not_modified);
        return finish(r, FETCH_NOT_MODIFIED, "HTTP 304");
    }
    if (code == 429)
        return finish(r, FETCH_RATE_LIMITED, "HTTP 429%s", retry ? " with Retry-After" : "");
    if ((code == 401 || code == 403 || code == 503) && looks_like_challenge(body, len))
        return finish(r, FETCH_CHALLENGE, "HTTP %ld bot check", code);
    if (code == 401 || code == 403)
        return finish(r, FETCH_BLOCKED, "HTTP %ld", code);
    if (code < 200 || code > 299)
        return finish(r, FETCH_ERROR, "HTTP %ld", code);
    if (len == 0 || blank(body, len))
        return finish(r, FETCH_EMPTY, "HTTP %ld with no content", code);
    if (len < 32768 && looks_like_challenge(body, len))
        return finish(r, FETCH_CHALLENGE, "a bot-check page");
    if (!*ct) { /* no type given: sniff */
        size_t n = len < 1024 ? len : 1024;
        char *head = xstrndup(body, n);
        bool html = strcasestr(head, "<html") || strcasestr(head, "<!doctype html") ||
                    strcasestr(head, "<body") || strcasestr(head, "<head");
        free(head);
        if (!html)
            return finish(r, FETCH_NOT_HTML, "no content type, and it does not look like HTML");
    }
    r->res.body_len = len;
    r->res.body = buf_detach(&r->body);
    finish(r, FETCH_OK, NULL);
}

static void robots_done(struct req *r, CURLcode cc)
{
    struct host *h = r->host;
    long code = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
    h->robots_state = ROBOTS_KNOWN;
    h->robots_at = clock_mono_ms();
    h->robots_denied = false;
    free(h->robots);
    h->robots = NULL;
    if (r->refused) { /* the pages will be refused by the guard too */
        h->robots = xstrdup("");
    } else if (cc == CURLE_OK && code >= 200 && code <= 299) {
        h->robots = buf_detach(&r->body);
    } else if (cc == CURLE_OK && code >= 400 && code <= 499) {
        h->robots = xstrdup(""); /* no robots.txt: everything allowed */
    } else {
        /* 5xx or no answer: the site may be down or protecting itself */
        h->robots_denied = true;
        snprintf(h->robots_why, sizeof h->robots_why, "robots.txt unavailable (%s)",
                 cc != CURLE_OK ? curl_easy_strerror(cc) : "server error");
    }
    if (h->robots) {
        h->delay_ms = fetch_robots_delay_ms(h->robots, r->agent_token);
        if (h->delay_ms > MAX_CRAWL_DELAY_MS)
            h->delay_ms = MAX_CRAWL_DELAY_MS;
    }
    log_debug("robots.txt", LOG_S("origin", h->origin), LOG_I("http", code),
              LOG_B("denied", h->robots_denied), LOG_I("crawl_delay_ms", h->delay_ms));
}

static void start_pending(void);

/* Ends the running transfers nobody wants any more. Their handles are
 * gathered first: each abort runs transfer_done, which changes the list. */
static void abort_unwanted(void)
{
    size_t n = 0;
    for (struct req *r = F.head; r; r = r->next)
        n += r->running && !r->aborting && unwanted(r);
    if (!n)
        return;
    CURL **easy = xcalloc(n, sizeof *easy);
    size_t k = 0;
    for (struct req *r = F.head; r && k < n; r = r->next)
        if (r->running && !r->aborting && unwanted(r)) {
            r->aborting = true;
            easy[k++] = r->easy;
        }
    for (size_t i = 0; i < k; i++)
        engine_abort(easy[i]);
    free(easy);
}

/* Every WATCH_MS while transfers run: those no fetcher wants any more (a
 * job cancelled through its flag) are ended now, not when the site answers:
 * libcurl calls the progress callback only when the socket stirs. */
static void watch(void *ctx)
{
    (void)ctx;
    F.watching = false;
    abort_unwanted();
    start_pending(); /* drops the waiting ones nobody wants */
    if (F.active > 0 && !F.watching) {
        F.watching = true;
        engine_after(WATCH_MS, watch, NULL);
    }
}

static void kick(void *ctx)
{
    struct host *h = ctx;
    h->kick_set = false;
    start_pending();
}

/* Whether r may start now, given its host; false keeps it queued. Ends it
 * (from the queue) when robots.txt refuses it. */
static bool ready(struct req *r, bool *ended)
{
    struct host *h = r->host;
    *ended = false;
    if (r->opt.robots) {
        if (h->robots_state == ROBOTS_KNOWN && h->active == 0 &&
            clock_mono_ms() - h->robots_at > ROBOTS_TTL_MS)
            h->robots_state = ROBOTS_UNKNOWN; /* a long-lived server reads it again */
        if (h->robots_state == ROBOTS_UNKNOWN) {
            struct req *rb = xcalloc(1, sizeof *rb);
            rb->url = xasprintf("%s/robots.txt", h->origin);
            rb->host = h;
            req_set_options(rb, &r->opt);
            rb->is_robots = true;
            h->robots_state = ROBOTS_FETCHING;
            live_append(rb);
            start(rb);
            return false;
        }
        if (h->robots_state == ROBOTS_FETCHING)
            return false;
        char *path = url_path(r->url);
        bool allowed =
            fetch_robots_allowed(h->robots ? h->robots : "", r->agent_token, path ? path : "/");
        free(path);
        if (h->robots_denied || !allowed) {
            if (h->robots_denied) /* the site is down or not there: not a refusal */
                finish(r, FETCH_ERROR, "%s", h->robots_why);
            else
                finish(r, FETCH_BLOCKED, "disallowed by robots.txt for %s", r->agent_token);
            *ended = true;
            return false;
        }
    }
    if (h->active >= F.per_host)
        return false;
    int64_t now = clock_mono_ms();
    if (h->delay_ms && now < h->next_start_ms) {
        if (!h->kick_set) {
            h->kick_set = true;
            count(&F.st.crawl_delayed);
            engine_after(h->next_start_ms - now, kick, h);
        }
        return false;
    }
    h->next_start_ms = now + h->delay_ms;
    return true;
}

/* Starts what the limits allow, oldest first. */
static void start_pending(void)
{
    for (struct req *r = F.head, *next; r && F.active < F.max_total; r = next) {
        next = r->next;
        if (r->running)
            continue;
        if (unwanted(r)) { /* its jobs stopped while it waited */
            for (struct waiter *w = r->waiters, *wn; w; w = wn) {
                wn = w->next;
                answer_status(w, r->url, FETCH_CANCELLED, "the fetch was cancelled");
            }
            r->waiters = NULL;
            live_unlink(r);
            req_free(r);
            continue;
        }
        bool ended = false;
        if (ready(r, &ended)) {
            start(r);
        } else if (ended) {
            live_unlink(r);
            deliver(r);
            req_free(r);
        }
        /* robots.txt may have been appended and started: next is still right */
    }
}

/* ---- answers kept for other jobs ---- */

static void recent_free(struct recent *x)
{
    fetch_result_release(&x->res);
    free(x->url);
    free(x);
}

/* Keeps a copy of r's answer, newest first, within the caps. */
static void remember(const struct req *r)
{
    enum fetch_status st = r->res.status;
    if (r->opt.reuse_ms <= 0 || r->etag || r->last_modified || st == FETCH_CANCELLED ||
        st == FETCH_TIMEOUT || st == FETCH_RATE_LIMITED || (st == FETCH_OK && r->res.no_store))
        return;
    struct recent *x = xcalloc(1, sizeof *x);
    x->url = xstrdup(r->url);
    x->robots = r->opt.robots;
    x->allow_loopback = r->opt.allow_loopback;
    x->max_body = r->opt.max_body;
    copy_result(&x->res, &r->res);
    x->at = clock_mono_ms();
    x->next = F.recent;
    F.recent = x;
    /* the oldest go first: cut the list where the caps are reached */
    size_t bytes = 0, n = 0;
    for (struct recent **p = &F.recent; *p; p = &(*p)->next) {
        bytes += (*p)->res.body_len;
        if (++n > REUSE_MAX_ENTRIES || bytes > REUSE_MAX_BYTES) {
            for (struct recent *y = *p, *next; y; y = next) {
                next = y->next;
                recent_free(y);
            }
            *p = NULL;
            break;
        }
    }
}

/* A recent answer to url under options o, or NULL. */
static const struct recent *recall(const char *url, const struct fetch_options *o)
{
    int64_t now = clock_mono_ms();
    for (struct recent *x = F.recent; x; x = x->next) {
        if (now - x->at > o->reuse_ms)
            return NULL; /* the rest are older */
        if (strcmp(x->url, url) == 0 && x->robots == o->robots &&
            x->allow_loopback == o->allow_loopback && x->max_body == o->max_body)
            return x;
    }
    return NULL;
}

static void transfer_done(void *ctx, CURL *easy, CURLcode cc)
{
    struct req *r = ctx;
    (void)easy;
    F.active--;
    r->host->active--;
    live_unlink(r);
    if (r->is_robots)
        robots_done(r, cc);
    else {
        classify(r, cc);
        if (r->res.status == FETCH_CANCELLED) /* only cancelled fetchers' waiters are left */
            for (struct waiter *w = r->waiters; w; w = w->next)
                count(&F.st.cancelled);
        remember(r);
        deliver(r);
    }
    req_free(r);
    start_pending();
}

/* ---- requests handed over to the engine ---- */

static bool same_options(const struct fetch_options *a, const struct fetch_options *b)
{
    return a->robots == b->robots && a->allow_loopback == b->allow_loopback &&
           a->max_body == b->max_body && a->timeout_ms == b->timeout_ms &&
           strcmp(a->user_agent, b->user_agent) == 0;
}

static void add_on_loop(void *ctx)
{
    struct req *r = ctx;
    struct waiter *w = r->waiters;
    if (is_cancelled(w->f)) {
        answer_status(w, r->url, FETCH_CANCELLED, "the fetch was cancelled");
        r->waiters = NULL;
        req_free(r);
        return;
    }
    char *norm = url_normalize(r->url);
    r->host = norm ? host_for(norm) : NULL;
    free(norm);
    if (!r->host) {
        answer_status(w, r->url, FETCH_ERROR, "not an http(s) URL");
        r->waiters = NULL;
        req_free(r);
        return;
    }
    const struct recent *x = !r->etag && !r->last_modified ? recall(r->url, &r->opt) : NULL;
    if (x) { /* another job's answer of a moment ago */
        struct fetch_result copy;
        copy_result(&copy, &x->res);
        copy.coalesced = true;
        count(&F.st.coalesced);
        answer(w, r->url, &copy);
        fetch_result_release(&copy);
        r->waiters = NULL;
        req_free(r);
        return;
    }
    if (!r->etag && !r->last_modified) { /* another job's transfer of it answers both */
        for (struct req *o = F.head; o; o = o->next) {
            if (o->is_robots || o->aborting || o->etag || o->last_modified ||
                strcmp(o->url, r->url) != 0 || !same_options(&o->opt, &r->opt))
                continue;
            w->next = o->waiters;
            o->waiters = w;
            r->waiters = NULL;
            req_free(r);
            count(&F.st.coalesced);
            return;
        }
    }
    live_append(r);
    start_pending();
}

void fetch_add_conditional(struct fetcher *f, const char *url, const char *etag,
                           const char *last_modified, fetch_done_fn fn, void *ctx)
{
    struct req *r = xcalloc(1, sizeof *r);
    struct waiter *w = xcalloc(1, sizeof *w);
    *w = (struct waiter){f, fn, ctx, NULL};
    r->url = xstrdup(url);
    r->waiters = w;
    req_set_options(r, &f->opt);
    if (etag && *etag)
        r->etag = xstrdup(etag);
    if (last_modified && *last_modified)
        r->last_modified = xstrdup(last_modified);
    pthread_mutex_lock(&f->lock);
    f->outstanding++;
    pthread_mutex_unlock(&f->lock);
    engine_call(add_on_loop, r);
}

void fetch_add(struct fetcher *f, const char *url, fetch_done_fn fn, void *ctx)
{
    fetch_add_conditional(f, url, NULL, NULL, fn, ctx);
}

/* Takes the cancelled fetchers' waiters off every request, and stops the
 * transfers nobody waits for any more. */
static void sweep(void *ctx)
{
    (void)ctx;
    for (struct req *r = F.head, *next; r; r = next) {
        next = r->next;
        if (r->is_robots)
            continue;
        struct waiter **pw = &r->waiters;
        while (*pw) {
            struct waiter *w = *pw;
            if (is_cancelled(w->f)) {
                *pw = w->next;
                answer_status(w, r->url, FETCH_CANCELLED, "the fetch was cancelled");
            } else {
                pw = &w->next;
            }
        }
        if (r->waiters)
            continue;
        if (!r->running) {
            live_unlink(r);
            req_free(r);
        }
    }
    abort_unwanted();
}

void fetch_cancel(struct fetcher *f)
{
    __atomic_store_n(&f->cancelled, 1, __ATOMIC_RELEASE);
    engine_call(sweep, NULL);
}

void fetch_wait(struct fetcher *f)
{
    pthread_mutex_lock(&f->lock);
    while (f->outstanding > 0)
        pthread_cond_wait(&f->idle, &f->lock);
    pthread_mutex_unlock(&f->lock);
}

void fetch_free(struct fetcher *f)
{
    if (!f)
        return;
    fetch_cancel(f);
    fetch_wait(f);
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->idle);
    free((char *)f->opt.user_agent);
    free(f->agent_token);
    free(f);
}

void fetch_result_release(struct fetch_result *r)
{
    free(r->final_url);
    free(r->body);
    r->final_url = NULL;
    r->body = NULL;
    r->body_len = 0;
}

static void one_done(void *ctx, const char *url, struct fetch_result *r)
{
    (void)url;
    struct fetch_result *out = ctx;
    *out = *r;
    r->final_url = NULL; /* moved */
    r->body = NULL;
}

void fetch_one(const struct config *cfg, const char *url, struct fetch_result *out)
{
    memset(out, 0, sizeof *out);
    struct fetch_options opt;
    fetch_options_from_config(cfg, &opt);
    struct fetcher *f = fetch_new(&opt);
    fetch_add(f, url, one_done, out);
    fetch_wait(f);
    fetch_free(f);
}
