/* search_web.c: the web search providers: Tavily (/search with advanced
 * depth and raw content; /extract for pages whose own fetch failed) and
 * SearXNG's JSON API. Both go through upstream.h; wire formats per
 * reference/upstream-apis.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "core/alloc.h"
#include "core/log.h"
#include "search/search_int.h"

const char *const search_excluded_sites[] = {"linkedin.com",
                                             "facebook.com",
                                             "twitter.com",
                                             "x.com",
                                             "instagram.com",
                                             "youtube.com",
                                             "tiktok.com",
                                             "pinterest.com",
                                             "reddit.com",
                                             "medium.com",
                                             "wikipedia.org",
                                             "crunchbase.com",
                                             "glassdoor.com",
                                             "indeed.com",
                                             "yelp.com",
                                             "yellowpages.com",
                                             "g2.com",
                                             "capterra.com",
                                             "clutch.co",
                                             "trustpilot.com",
                                             "bloomberg.com",
                                             "reuters.com",
                                             "forbes.com",
                                             "techcrunch.com",
                                             "businessinsider.com",
                                             "amazon.com",
                                             "ebay.com",
                                             "github.com",
                                             "google.com",
                                             "apple.com",
                                             "zoominfo.com",
                                             "dnb.com",
                                             "bbb.org",
                                             "angel.co",
                                             "wellfound.com",
                                             "producthunt.com",
                                             "quora.com",
                                             "stackoverflow.com",
                                             "apollo.io",
                                             "owler.com",
                                             NULL};

void search__web_release(struct web *w)
{
    free(w->base_url);
    pthread_mutex_destroy(&w->lock);
}

static void web_free(struct search_provider *p)
{
    search__web_release((struct web *)p);
    free(p);
}

void search__web_usage(const struct search_provider *p, double *credits, int64_t *cache_hits)
{
    struct web *w = (struct web *)p;
    pthread_mutex_lock(&w->lock);
    *credits = w->credits;
    *cache_hits = w->cache_hits;
    pthread_mutex_unlock(&w->lock);
}

/* Credits of an answer (none when it came from the cache). */
static void add_credits(struct web *w, json_t *answer, double otherwise)
{
    if (json_is_true(json_object_get(answer, "_cached")))
        return;
    json_t *c = json_object_get(json_object_get(answer, "usage"), "credits");
    pthread_mutex_lock(&w->lock);
    w->credits += json_is_number(c) ? json_number_value(c) : otherwise;
    pthread_mutex_unlock(&w->lock);
}

char *search__base_url(const char *url)
{
    char *s = xstrdup(url);
    size_t n = strlen(s);
    while (n && s[n - 1] == '/')
        s[--n] = '\0';
    return s;
}

void search__web_init(struct web *w, const struct search_ops *ops, const struct config *cfg,
                      const struct upstream_cache *cache, const char *base_url)
{
    w->base.ops = ops;
    w->base_url = search__base_url(base_url);
    if (cache)
        w->cache = *cache;
    w->ttl_s = cfg->cache_ttl_s;
    pthread_mutex_init(&w->lock, NULL);
}

static struct web *web_new(const struct search_ops *ops, const struct config *cfg,
                           const struct upstream_cache *cache, const char *base_url)
{
    struct web *w = xcalloc(1, sizeof *w);
    search__web_init(w, ops, cfg, cache, base_url);
    return w;
}

json_t *search__answer(struct web *w, const char *name, int rc, struct upstream_response *r,
                       struct err *e)
{
    json_t *j = NULL;
    if (r->cached) {
        pthread_mutex_lock(&w->lock);
        w->cache_hits++;
        pthread_mutex_unlock(&w->lock);
    }
    if (rc == 0) {
        json_error_t je;
        j = json_loadb(buf_cstr(&r->body), r->body.len, 0, &je);
        if (!j || !json_is_object(j)) {
            json_decref(j);
            j = NULL;
            err_set(e, CORE_EPARSE, "%s: malformed JSON answer (%s)", name, je.text);
        } else if (r->cached) {
            json_object_set_new(j, "_cached", json_true());
        }
    }
    upstream_response_release(r);
    return j;
}

static json_t *answer_of(struct web *w, int rc, struct upstream_response *r, struct err *e)
{
    return search__answer(w, upstream_name(w->up), rc, r, e);
}

struct upstream_request search__request(struct web *w, const char *method, const char *url,
                                        const char *body)
{
    return (struct upstream_request){method,   url,      body,
                                     "search", w->ttl_s, w->cache.st ? &w->cache : NULL};
}

/* The JSON answer of a call, or NULL with e set. */
static json_t *call(struct web *w, const char *method, const char *url, const char *body,
                    struct err *e)
{
    struct upstream_request rq = search__request(w, method, url, body);
    struct upstream_response r;
    int rc = upstream_call(w->up, &rq, &r, e);
    return answer_of(w, rc, &r, e);
}

/* A query under way without a waiting thread: one call (Tavily) or a
 * chain of pages (SearXNG). */
struct run {
    struct web *w;
    size_t limit;
    struct search_results *out;
    struct err *e;
    int page, pages; /* SearXNG */
    char *query;     /* SearXNG: escaped */
    struct upstream_response r;
    search_done_fn done;
    void *ctx;
};

static struct run *run_new(struct search_provider *p, size_t limit, struct search_results *out,
                           struct err *e, search_done_fn done, void *ctx)
{
    struct run *x = xcalloc(1, sizeof *x);
    *x = (struct run){
        .w = (struct web *)p, .limit = limit, .out = out, .e = e, .done = done, .ctx = ctx};
    *out = (struct search_results){0};
    return x;
}

static void run_end(struct run *x, int rc)
{
    if (rc)
        search_results_release(x->out);
    x->done(x->ctx, rc);
    free(x->query);
    free(x);
}

/* ---- Tavily ---- */

/* 432 and 433 are spent credits: final, like 401 and 403. */
static enum upstream_verdict tavily_classify(long status, const char *body, int64_t *delay_ms)
{
    if (status == 432 || status == 433)
        return UPSTREAM_FINAL;
    return upstream_classify_http(status, body, delay_ms);
}

/* The body of a Tavily search (the caller frees it). */
static char *tavily_body(const char *query, size_t limit)
{
    json_t *ex = json_array();
    for (const char *const *s = search_excluded_sites; *s; s++)
        json_array_append_new(ex, json_string(*s));
    /* Results come per page; ask for more pages than sites wanted. */
    size_t want = limit * 2 > 20 ? 20 : limit * 2;
    json_t *body = json_pack("{s:s, s:s, s:i, s:I, s:s, s:s, s:o, s:b}", "query", query,
                             "search_depth", "advanced", "chunks_per_source", 3, "max_results",
                             (json_int_t)want, "include_raw_content", "markdown", "topic",
                             "general", "exclude_domains", ex, "include_usage", 1);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    return text;
}

static void tavily_answered(void *ctx, int rc)
{
    struct run *x = ctx;
    json_t *j = answer_of(x->w, rc, &x->r, x->e);
    if (j) {
        add_credits(x->w, j, 2);
        search__web_results(j, x->limit, true, x->out);
        json_decref(j);
    }
    run_end(x, j ? 0 : x->e->code ? x->e->code : CORE_EUPSTREAM);
}

static int tavily_run_async(struct search_provider *p, const char *query, size_t limit,
                            struct search_results *out, struct err *e, search_done_fn done,
                            void *ctx)
{
    if (!*query)
        return err_set(e, CORE_EINVAL, "empty query");
    struct run *x = run_new(p, limit, out, e, done, ctx);
    struct web *w = x->w;
    char *text = tavily_body(query, limit);
    char *url = xasprintf("%s/search", w->base_url);
    struct upstream_request rq = search__request(w, "POST", url, text);
    upstream_call_async(w->up, &rq, &x->r, e, tavily_answered, x);
    free(url);
    free(text);
    return 0;
}

void search__web_results(json_t *answer, size_t limit, bool raw, struct search_results *out)
{
    size_t i;
    json_t *r;
    json_array_foreach (json_object_get(answer, "results"), i, r) {
        const char *u = json_string_value(json_object_get(r, "url"));
        if (!u)
            continue;
        json_t *sc = json_object_get(r, "score");
        search__add(out, limit, u, json_string_value(json_object_get(r, "title")),
                    json_string_value(json_object_get(r, "content")),
                    raw ? json_string_value(json_object_get(r, "raw_content")) : NULL,
                    json_is_number(sc) ? json_number_value(sc) : 0);
    }
}

int search__tavily_extracted(json_t *answer, char **text, struct err *e)
{
    /* A 200 may hold no result: the reason is in failed_results. */
    const char *raw = json_string_value(
        json_object_get(json_array_get(json_object_get(answer, "results"), 0), "raw_content"));
    if (raw && *raw) {
        *text = xstrdup(raw);
        return 0;
    }
    const char *why = json_string_value(
        json_object_get(json_array_get(json_object_get(answer, "failed_results"), 0), "error"));
    return err_set(e, CORE_EUPSTREAM, "tavily could not read the page: %s",
                   why ? why : "no content");
}

static int tavily_extract(struct search_provider *p, const char *page, char **text, struct err *e)
{
    struct web *w = (struct web *)p;
    json_t *body = json_pack("{s:[s], s:s, s:s, s:b}", "urls", page, "extract_depth", "basic",
                             "format", "markdown", "include_usage", 1);
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    char *url = xasprintf("%s/extract", w->base_url);
    json_t *j = call(w, "POST", url, s, e);
    free(url);
    free(s);
    if (!j)
        return e && e->code ? e->code : CORE_EUPSTREAM;
    add_credits(w, j, 0.2);
    int rc = search__tavily_extracted(j, text, e);
    json_decref(j);
    return rc;
}

static const struct search_ops tavily_ops = {
    .run_async = tavily_run_async,
    .name = "tavily",
    .free = web_free,
    .extract = tavily_extract,
    .usage = search__web_usage,
    .web = true,
};

void search_tavily_open(const struct config *cfg, const struct upstream_cache *cache,
                        struct search_provider **out)
{
    struct web *w = web_new(&tavily_ops, cfg, cache, cfg->tavily_base_url);
    struct upstream_options o;
    upstream_options_from_config(cfg, "tavily", (int)cfg->search_rpm, &o);
    char *auth = xasprintf("Authorization: Bearer %s", cfg->tavily_api_key);
    o.secret = cfg->tavily_api_key;
    o.auth_header = auth;
    o.classify = tavily_classify;
    w->up = upstream_shared(&o);
    free(auth);
    *out = &w->base;
}

/* ---- SearXNG ---- */

/* Files one SearXNG page's answer j (taken; NULL: the call failed).
 * Returns whether to ask for the next page; *rc is set when the first
 * page failed. */
static bool searxng_page(struct web *w, json_t *j, int page, size_t limit,
                         struct search_results *out, struct err *e, int *rc)
{
    (void)w;
    if (!j) {
        if (page == 1) {
            *rc = e && e->code ? e->code : CORE_EUPSTREAM;
            if (e && strstr(e->msg, "HTTP 403"))
                err_set(e, *rc,
                        "searxng refused the JSON format (HTTP 403): add json to "
                        "search.formats in its settings.yml");
        }
        return false;
    }
    size_t i;
    json_t *r;
    json_array_foreach (json_object_get(j, "unresponsive_engines"), i, r)
        log_warn("searxng engine unresponsive",
                 LOG_S("engine", json_string_value(json_array_get(r, 0))),
                 LOG_S("reason", json_string_value(json_array_get(r, 1))));
    size_t before = out->n;
    search__web_results(j, limit, false, out);
    bool empty = json_array_size(json_object_get(j, "results")) == 0 || out->n == before;
    json_decref(j);
    return !empty && out->n < limit;
}

static char *searxng_url(struct web *w, const char *escaped, int page)
{
    return xasprintf("%s/search?q=%s&format=json&categories=general&pageno=%d", w->base_url,
                     escaped, page);
}

static void searxng_send(struct run *x);

static void searxng_answered(void *ctx, int rc)
{
    struct run *x = ctx;
    json_t *j = answer_of(x->w, rc, &x->r, x->e);
    int first_rc = 0;
    if (searxng_page(x->w, j, x->page, x->limit, x->out, x->e, &first_rc) && x->page < x->pages) {
        x->page++;
        searxng_send(x);
        return;
    }
    run_end(x, first_rc);
}

static void searxng_send(struct run *x)
{
    char *url = searxng_url(x->w, x->query, x->page);
    struct upstream_request rq = search__request(x->w, "GET", url, NULL);
    upstream_call_async(x->w->up, &rq, &x->r, x->e, searxng_answered, x);
    free(url);
}

static int searxng_pages(size_t limit)
{
    int pages = (int)((limit + 9) / 10); /* about ten results a page */
    return pages > 3 ? 3 : pages;
}

static int searxng_run_async(struct search_provider *p, const char *query, size_t limit,
                             struct search_results *out, struct err *e, search_done_fn done,
                             void *ctx)
{
    if (!*query)
        return err_set(e, CORE_EINVAL, "empty query");
    struct run *x = run_new(p, limit, out, e, done, ctx);
    char *q = curl_easy_escape(NULL, query, 0);
    x->page = 1;
    x->pages = searxng_pages(limit);
    x->query = xstrdup(q);
    curl_free(q);
    searxng_send(x);
    return 0;
}

static const struct search_ops searxng_ops = {
    .run_async = searxng_run_async,
    .name = "searxng",
    .free = web_free,
    .usage = search__web_usage,
    .web = true,
};

void search_searxng_open(const struct config *cfg, const struct upstream_cache *cache,
                         struct search_provider **out)
{
    struct web *w = web_new(&searxng_ops, cfg, cache, cfg->searxng_url);
    struct upstream_options o;
    upstream_options_from_config(cfg, "searxng", (int)cfg->search_rpm, &o);
    w->up = upstream_shared(&o);
    *out = &w->base;
}
