/* fetch.c: the page fetcher of fetch.h on libcurl's multi interface.
 *
 * Requests wait in a queue of our own and start only within the global and
 * per-host limits, so that a transfer's timeout measures the transfer, not
 * time spent waiting for a slot. A host's first page waits for its
 * robots.txt, fetched once through the same guarded path. The guard lives in
 * the open-socket callback: it sees the address libcurl is about to connect
 * to (after DNS, for every redirect hop and every address tried), which is
 * the only place a check cannot be fooled by DNS rebinding.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "fetch/fetch.h"
#include "net/url.h"

#define ROBOTS_MAX (512 * 1024)

static const char *const status_names[FETCH_NSTATUS] = {
    "ok",      "empty",     "blocked",  "rate_limited",    "challenge",
    "timeout", "too_large", "not_html", "refused_address", "error"};

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
}

/* ---- the address guard ---- */

static bool v4_allowed(uint32_t a, bool allow_loopback)
{
    static const struct {
        uint32_t net, mask;
    } denied[] = {
        {0x00000000, 0xFF000000}, /* 0.0.0.0/8 "this network" */
        {0x0A000000, 0xFF000000}, /* 10/8 */
        {0x64400000, 0xFFC00000}, /* 100.64/10 CGNAT */
        {0xA9FE0000, 0xFFFF0000}, /* 169.254/16 link-local, cloud metadata */
        {0xAC100000, 0xFFF00000}, /* 172.16/12 */
        {0xC0000000, 0xFFFFFF00}, /* 192.0.0/24 IETF protocol assignments */
        {0xC0000200, 0xFFFFFF00}, /* 192.0.2/24 TEST-NET-1 */
        {0xC0A80000, 0xFFFF0000}, /* 192.168/16 */
        {0xC6120000, 0xFFFE0000}, /* 198.18/15 benchmarking */
        {0xC6336400, 0xFFFFFF00}, /* 198.51.100/24 TEST-NET-2 */
        {0xCB007100, 0xFFFFFF00}, /* 203.0.113/24 TEST-NET-3 */
        {0xE0000000, 0xF0000000}, /* 224/4 multicast */
        {0xF0000000, 0xF0000000}, /* 240/4 reserved, broadcast */
    };
    if ((a & 0xFF000000) == 0x7F000000) /* 127/8 */
        return allow_loopback;
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
        if ((a & denied[i].mask) == denied[i].net)
            return false;
    return true;
}

bool fetch_address_allowed(const struct sockaddr *sa, bool allow_loopback)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return v4_allowed(ntohl(in->sin_addr.s_addr), allow_loopback);
    }
    if (sa->sa_family != AF_INET6)
        return false;
    const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    static const unsigned char zero[16];
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    static const unsigned char nat64[12] = {0x00, 0x64, 0xFF, 0x9B};
    if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) /* :: and ::1 */
        return b[15] == 1 && allow_loopback;
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0 || memcmp(b, zero, 12) == 0) {
        uint32_t v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
        return v4_allowed(v4, allow_loopback); /* IPv4-mapped, NAT64, IPv4-compatible */
    }
    if ((b[0] & 0xFE) == 0xFC) /* fc00::/7 unique local (fd00:ec2::254) */
        return false;
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) /* fe80::/10 link-local */
        return false;
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) /* fec0::/10 site-local (deprecated) */
        return false;
    if (b[0] == 0xFF) /* multicast */
        return false;
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) /* documentation */
        return false;
    if (b[0] == 0x01 && b[1] == 0x00 && memcmp(b + 2, zero, 6) == 0) /* 100::/64 discard */
        return false;
    return true;
}

/* ---- robots.txt ---- */

/* Pattern with '*' (any run) and a final '$' (end), from the path's start. */
static bool robots_match(const char *pat, size_t plen, const char *path)
{
    const char *p = pat, *end = pat + plen, *s = path;
    const char *star = NULL, *resume = NULL;
    while (true) {
        if (p < end && *p == '$' && p + 1 == end)
            return *s == '\0';
        if (p == end)
            return true; /* a prefix match is a match */
        if (p < end && *p == '*') {
            star = ++p;
            resume = s;
            continue;
        }
        if (*s && *p == *s) {
            p++;
            s++;
            continue;
        }
        if (star && *resume) {
            p = star;
            s = ++resume;
            continue;
        }
        return false;
    }
}

bool fetch_robots_allowed(const char *robots, const char *agent, const char *path)
{
    /* Two passes: rules of groups naming our agent; if none, of '*'. */
    for (int pass = 0; pass < 2; pass++) {
        bool group_applies = false, in_agents = false, any_group = false;
        size_t best_len = 0;
        bool best_allow = true, matched = false;
        for (const char *line = robots; *line;) {
            size_t len = strcspn(line, "\r\n");
            const char *hash = memchr(line, '#', len);
            size_t n = hash ? (size_t)(hash - line) : len;
            const char *colon = memchr(line, ':', n);
            if (colon) {
                size_t klen = (size_t)(colon - line);
                while (klen && isspace((unsigned char)line[klen - 1]))
                    klen--;
                const char *v = colon + 1;
                while (v < line + n && isspace((unsigned char)*v))
                    v++;
                size_t vlen = (size_t)(line + n - v);
                while (vlen && isspace((unsigned char)v[vlen - 1]))
                    vlen--;
                if (klen == 10 && strncasecmp(line, "user-agent", 10) == 0) {
                    if (!in_agents)
                        group_applies = false;
                    in_agents = true;
                    bool star = vlen == 1 && *v == '*';
                    size_t alen = strlen(agent);
                    bool ours = !star && vlen == alen && strncasecmp(v, agent, alen) == 0;
                    if (pass == 0 ? ours : star)
                        group_applies = any_group = true;
                } else if ((klen == 5 && strncasecmp(line, "allow", 5) == 0) ||
                           (klen == 8 && strncasecmp(line, "disallow", 8) == 0)) {
                    in_agents = false;
                    bool allow = klen == 5;
                    if (group_applies && vlen > 0 && robots_match(v, vlen, path) &&
                        (vlen > best_len || (vlen == best_len && allow))) {
                        best_len = vlen;
                        best_allow = allow;
                        matched = true;
                    }
                } else {
                    in_agents = false;
                }
            }
            line += len;
            while (*line == '\r' || *line == '\n')
                line++;
        }
        if (any_group)
            return matched ? best_allow : true;
    }
    return true;
}

/* ---- the fetcher ---- */

struct host {
    char *origin; /* scheme://host[:port] */
    int active;
    enum { ROBOTS_UNKNOWN, ROBOTS_FETCHING, ROBOTS_KNOWN } robots_state;
    char *robots;       /* the text, when fetched */
    bool robots_denied; /* unavailable (5xx, network): fetch nothing */
    char robots_why[128];
};

struct job {
    struct fetcher *f;
    char *url;
    struct host *host;
    fetch_done_fn fn;
    void *ctx;
    bool is_robots;
    struct job *next;                /* in the pending or finished queue */
    struct job *run_prev, *run_next; /* in the running list */
    CURL *easy;
    struct buf body;
    struct fetch_result res;
    bool refused, too_large, not_html, hop_ok;
    char content_type[128];
    char errbuf[CURL_ERROR_SIZE];
    int64_t started;
};

struct fetcher {
    struct fetch_options opt;
    char *agent_token; /* the robots.txt product token */
    CURLM *multi;
    struct job *pending, *pending_tail;
    struct job *finished, *finished_tail;
    struct job *running; /* transfers in libcurl */
    int active;
    struct host **hosts;
    size_t nhosts;
    struct curl_slist *headers;
};

static void push(struct job **head, struct job **tail, struct job *j)
{
    j->next = NULL;
    if (*tail)
        (*tail)->next = j;
    else
        *head = j;
    *tail = j;
}

static void job_free(struct job *j)
{
    if (j->easy) {
        curl_multi_remove_handle(j->f->multi, j->easy);
        curl_easy_cleanup(j->easy);
    }
    buf_release(&j->body);
    fetch_result_release(&j->res);
    free(j->url);
    free(j);
}

struct fetcher *fetch_new(const struct fetch_options *opt)
{
    static bool global_init;
    if (!global_init) { /* once per process, before any thread uses curl */
        curl_global_init(CURL_GLOBAL_DEFAULT);
        global_init = true;
    }
    struct fetcher *f = xcalloc(1, sizeof *f);
    f->opt = *opt;
    f->opt.user_agent = xstrdup(opt->user_agent ? opt->user_agent : "Prospect/0.1");
    size_t n = strcspn(f->opt.user_agent, "/ ");
    f->agent_token = xstrndup(f->opt.user_agent, n);
    if (f->opt.max_total < 1)
        f->opt.max_total = 1;
    if (f->opt.per_host < 1)
        f->opt.per_host = 1;
    f->multi = curl_multi_init();
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->opt.per_host);
    f->headers = curl_slist_append(NULL, "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
    f->headers = curl_slist_append(f->headers, "Accept-Language: en;q=1.0, *;q=0.5");
    return f;
}

void fetch_free(struct fetcher *f)
{
    if (!f)
        return;
    struct job *lists[] = {f->pending, f->finished};
    for (size_t i = 0; i < 2; i++) {
        for (struct job *j = lists[i], *next; j; j = next) {
            next = j->next;
            job_free(j);
        }
    }
    for (struct job *j = f->running, *next; j; j = next) {
        next = j->run_next;
        job_free(j); /* removes its handle from the multi */
    }
    for (size_t i = 0; i < f->nhosts; i++) {
        free(f->hosts[i]->origin);
        free(f->hosts[i]->robots);
        free(f->hosts[i]);
    }
    free(f->hosts);
    curl_multi_cleanup(f->multi);
    curl_slist_free_all(f->headers);
    free((char *)f->opt.user_agent);
    free(f->agent_token);
    free(f);
}

static struct host *host_for(struct fetcher *f, const char *url)
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
    for (size_t i = 0; i < f->nhosts; i++) {
        if (strcmp(f->hosts[i]->origin, origin) == 0) {
            free(origin);
            return f->hosts[i];
        }
    }
    struct host *h = xcalloc(1, sizeof *h);
    h->origin = origin;
    f->hosts = xrealloc(f->hosts, (f->nhosts + 1) * sizeof *f->hosts);
    f->hosts[f->nhosts++] = h;
    return h;
}

static void finish(struct fetcher *f, struct job *j, enum fetch_status s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void finish(struct fetcher *f, struct job *j, enum fetch_status s, const char *fmt, ...)
{
    j->res.status = s;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(j->res.detail, sizeof j->res.detail, fmt, ap);
        va_end(ap);
    }
    if (!j->res.final_url)
        j->res.final_url = xstrdup(j->url);
    push(&f->finished, &f->finished_tail, j);
}

void fetch_add(struct fetcher *f, const char *url, fetch_done_fn fn, void *ctx)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->f = f;
    j->url = xstrdup(url);
    j->fn = fn;
    j->ctx = ctx;
    buf_init(&j->body, f->opt.max_body);
    char *norm = url_normalize(url);
    j->host = norm ? host_for(f, norm) : NULL;
    free(norm);
    if (!j->host) {
        finish(f, j, FETCH_ERROR, "not an http(s) URL");
        return;
    }
    push(&f->pending, &f->pending_tail, j);
}

/* ---- libcurl callbacks ---- */

static curl_socket_t on_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct job *j = clientp;
    (void)purpose;
    if (!fetch_address_allowed(&a->addr, j->f->opt.allow_loopback)) {
        char ip[INET6_ADDRSTRLEN] = "?";
        if (a->family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)&a->addr)->sin_addr, ip, sizeof ip);
        else if (a->family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&a->addr)->sin6_addr, ip, sizeof ip);
        j->refused = true;
        snprintf(j->res.detail, sizeof j->res.detail,
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

static size_t on_header(char *data, size_t size, size_t n, void *clientp)
{
    struct job *j = clientp;
    size_t len = size * n;
    if (len > 5 && strncmp(data, "HTTP/", 5) == 0) { /* a new hop: its own headers */
        const char *sp = memchr(data, ' ', len);
        j->hop_ok = sp && sp[1] == '2';
        j->content_type[0] = '\0';
        return len;
    }
    if (len > 13 && strncasecmp(data, "content-type:", 13) == 0) {
        const char *v = data + 13;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t k = (size_t)(data + len - v);
        while (k && (v[k - 1] == '\r' || v[k - 1] == '\n' || v[k - 1] == ' '))
            k--;
        snprintf(j->content_type, sizeof j->content_type, "%.*s", (int)k, v);
        /* Only HTML is kept: stop a 2xx answer of another type at once. */
        if (!j->is_robots && j->hop_ok && *j->content_type && !html_type(j->content_type)) {
            j->not_html = true;
            return 0;
        }
    }
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *clientp)
{
    struct job *j = clientp;
    if (buf_append(&j->body, data, size * n)) {
        j->too_large = true;
        return 0; /* aborts the transfer */
    }
    return size * n;
}

static void start(struct fetcher *f, struct job *j)
{
    CURL *e = curl_easy_init();
    j->easy = e;
    j->started = clock_mono_ms();
    curl_easy_setopt(e, CURLOPT_URL, j->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, f->opt.max_redirects);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl decodes */
    curl_easy_setopt(e, CURLOPT_USERAGENT, f->opt.user_agent);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, f->headers);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->opt.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->opt.timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, j);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->body.max);
    curl_multi_add_handle(f->multi, e);
    f->active++;
    j->host->active++;
    j->run_prev = NULL;
    j->run_next = f->running;
    if (f->running)
        f->running->run_prev = j;
    f->running = j;
}

static void unlink_running(struct fetcher *f, struct job *j)
{
    if (j->run_prev)
        j->run_prev->run_next = j->run_next;
    else
        f->running = j->run_next;
    if (j->run_next)
        j->run_next->run_prev = j->run_prev;
    j->run_prev = j->run_next = NULL;
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

static void classify(struct fetcher *f, struct job *j, CURLcode cc)
{
    long code = 0;
    char *eff = NULL;
    long redirects = 0;
    curl_off_t retry = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &eff);
    curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &retry);
    j->res.http_code = (int)code;
    j->res.final_url = xstrdup(eff ? eff : j->url);
    j->res.redirects = (int)redirects;
    j->res.elapsed_ms = clock_mono_ms() - j->started;
    j->res.retry_after_s = (int64_t)retry;
    const char *ct = j->content_type;
    const char *cs = strcasestr(ct, "charset=");
    if (cs) {
        cs += 8;
        size_t k = strcspn(cs, "; \"'");
        snprintf(j->res.charset, sizeof j->res.charset, "%.*s", (int)k, cs);
    }
    if (j->refused)
        return finish(f, j, FETCH_REFUSED_ADDRESS, NULL);
    if (j->too_large || cc == CURLE_FILESIZE_EXCEEDED)
        return finish(f, j, FETCH_TOO_LARGE, "the page is larger than %zu bytes", j->body.max);
    if (j->not_html)
        return finish(f, j, FETCH_NOT_HTML, "content type %s", ct);
    if (cc == CURLE_OPERATION_TIMEDOUT)
        return finish(f, j, FETCH_TIMEOUT, "no complete answer within %ld ms", f->opt.timeout_ms);
    if (cc == CURLE_TOO_MANY_REDIRECTS)
        return finish(f, j, FETCH_ERROR, "more than %ld redirects", f->opt.max_redirects);
    if (cc != CURLE_OK)
        return finish(f, j, FETCH_ERROR, "%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc));
    const char *body = j->body.data ? j->body.data : "";
    size_t len = j->body.len;
    if (code == 429)
        return finish(f, j, FETCH_RATE_LIMITED, "HTTP 429%s", retry ? " with Retry-After" : "");
    if ((code == 401 || code == 403 || code == 503) && looks_like_challenge(body, len))
        return finish(f, j, FETCH_CHALLENGE, "HTTP %ld bot check", code);
    if (code == 401 || code == 403)
        return finish(f, j, FETCH_BLOCKED, "HTTP %ld", code);
    if (code < 200 || code > 299)
        return finish(f, j, FETCH_ERROR, "HTTP %ld", code);
    if (len == 0 || blank(body, len))
        return finish(f, j, FETCH_EMPTY, "HTTP %ld with no content", code);
    if (len < 32768 && looks_like_challenge(body, len))
        return finish(f, j, FETCH_CHALLENGE, "a bot-check page");
    if (!*ct) { /* no type given: sniff */
        size_t n = len < 1024 ? len : 1024;
        char *head = xstrndup(body, n);
        bool html = strcasestr(head, "<html") || strcasestr(head, "<!doctype html") ||
                    strcasestr(head, "<body") || strcasestr(head, "<head");
        free(head);
        if (!html)
            return finish(f, j, FETCH_NOT_HTML, "no content type, and it does not look like HTML");
    }
    j->res.body_len = len;
    j->res.body = buf_detach(&j->body);
    finish(f, j, FETCH_OK, NULL);
}

static void robots_done(struct fetcher *f, struct job *j, CURLcode cc)
{
    struct host *h = j->host;
    long code = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
    h->robots_state = ROBOTS_KNOWN;
    if (j->refused) { /* the pages will be refused by the guard too */
        h->robots = xstrdup("");
    } else if (cc == CURLE_OK && code >= 200 && code <= 299) {
        h->robots = buf_detach(&j->body);
    } else if (cc == CURLE_OK && code >= 400 && code <= 499) {
        h->robots = xstrdup(""); /* no robots.txt: everything allowed */
    } else {
        /* 5xx or no answer: the site may be down or protecting itself */
        h->robots_denied = true;
        snprintf(h->robots_why, sizeof h->robots_why, "robots.txt unavailable (%s)",
                 cc != CURLE_OK ? curl_easy_strerror(cc) : "server error");
    }
    log_debug("robots.txt", LOG_S("origin", h->origin), LOG_I("http", code),
              LOG_B("denied", h->robots_denied));
    curl_multi_remove_handle(f->multi, j->easy);
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
    job_free(j);
}

/* Starts what the limits allow, oldest first. */
static void start_pending(struct fetcher *f)
{
    struct job *prev = NULL, *j = f->pending;
    while (j && f->active < f->opt.max_total) {
        struct job *next = j->next;
        struct host *h = j->host;
        bool take = false;
        if (f->opt.robots && h->robots_state == ROBOTS_UNKNOWN) {
            struct job *r = xcalloc(1, sizeof *r);
            r->f = f;
            r->url = xasprintf("%s/robots.txt", h->origin);
            r->host = h;
            r->is_robots = true;
            buf_init(&r->body, ROBOTS_MAX);
            h->robots_state = ROBOTS_FETCHING;
            start(f, r);
        } else if (!f->opt.robots || h->robots_state == ROBOTS_KNOWN) {
            take = true;
        }
        if (take) {
            /* unlink j from the queue */
            if (prev)
                prev->next = next;
            else
                f->pending = next;
            if (f->pending_tail == j)
                f->pending_tail = prev;
            char *path = url_path(j->url);
            if (f->opt.robots && h->robots_denied)
                finish(f, j, FETCH_BLOCKED, "%s", h->robots_why);
            else if (f->opt.robots &&
                     !fetch_robots_allowed(h->robots, f->agent_token, path ? path : "/"))
                finish(f, j, FETCH_BLOCKED, "disallowed by robots.txt for %s", f->agent_token);
            else if (h->active < f->opt.per_host)
                start(f, j);
            else { /* host busy: back in the queue, keep order */
                j->next = next;
                if (prev)
                    prev->next = j;
                else
                    f->pending = j;
                if (!next)
                    f->pending_tail = j;
                prev = j;
            }
            free(path);
        } else {
            prev = j;
        }
        j = next;
    }
}

int fetch_perform(struct fetcher *f, int wait_ms)
{
    start_pending(f);
    if (f->active > 0 || !f->finished) {
        int running = 0;
        curl_multi_perform(f->multi, &running);
        if (!f->finished)
            curl_multi_poll(f->multi, NULL, 0, f->active > 0 ? wait_ms : 0, NULL);
        curl_multi_perform(f->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
            if (m->msg != CURLMSG_DONE)
                continue;
            struct job *j = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            CURLcode cc = m->data.result;
            f->active--;
            j->host->active--;
            unlink_running(f, j);
            if (j->is_robots) {
                robots_done(f, j, cc);
            } else {
                classify(f, j, cc);
                curl_multi_remove_handle(f->multi, j->easy);
                curl_easy_cleanup(j->easy);
                j->easy = NULL;
            }
        }
        start_pending(f);
    }
    /* Callbacks last, so that they may queue new fetches. */
    while (f->finished) {
        struct job *j = f->finished;
        f->finished = j->next;
        if (!f->finished)
            f->finished_tail = NULL;
        j->fn(j->ctx, j->url, &j->res);
        job_free(j);
    }
    int n = f->active;
    for (struct job *j = f->pending; j; j = j->next)
        n++;
    return n;
}

void fetch_wakeup(struct fetcher *f)
{
    curl_multi_wakeup(f->multi);
}

void fetch_result_release(struct fetch_result *r)
{
    free(r->final_url);
    free(r->body);
    r->final_url = NULL;
    r->body = NULL;
    r->body_len = 0;
}

struct one {
    struct fetch_result *out;
    bool done;
};

static void one_done(void *ctx, const char *url, struct fetch_result *r)
{
    (void)url;
    struct one *o = ctx;
    *o->out = *r;
    r->final_url = NULL; /* moved */
    r->body = NULL;
    o->done = true;
}

void fetch_one(const struct config *cfg, const char *url, struct fetch_result *out)
{
    memset(out, 0, sizeof *out);
    struct fetch_options opt;
    fetch_options_from_config(cfg, &opt);
    struct fetcher *f = fetch_new(&opt);
    struct one o = {out, false};
    fetch_add(f, url, one_done, &o);
    while (!o.done && fetch_perform(f, 200) >= 0)
        ;
    fetch_free(f);
}
