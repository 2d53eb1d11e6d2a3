/* search.c: the choice of provider, dispatch to its ops, and result lists. */
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "net/url.h"
#include "search/search_int.h"

const char *search_choice(const struct config *cfg, char *why, size_t n)
{
    const char *want = cfg->search;
    if (strcmp(want, "auto") != 0) {
        snprintf(why, n, "forced by PROSPECT_SEARCH or --search");
        return want;
    }
    if (*cfg->tavily_api_key) {
        snprintf(why, n, "TAVILY_API_KEY is set");
        return "tavily";
    }
    if (*cfg->searxng_url) {
        snprintf(why, n, "SEARXNG_URL is set");
        return "searxng";
    }
    snprintf(why, n, "no search provider is configured");
    return "local";
}

/* One web provider by its name. */
static int open_one(const struct config *cfg, const char *name, const struct upstream_cache *cache,
                    struct search_provider **out, struct err *e)
{
    if (strcmp(name, "tavily") == 0) {
        if (!*cfg->tavily_api_key)
            return err_set(e, CORE_EINVAL, "the tavily search provider needs TAVILY_API_KEY");
        search_tavily_open(cfg, cache, out);
        return 0;
    }
    if (strcmp(name, "searxng") == 0) {
        if (!*cfg->searxng_url)
            return err_set(e, CORE_EINVAL, "the searxng search provider needs SEARXNG_URL");
        search_searxng_open(cfg, cache, out);
        return 0;
    }
    if (strcmp(name, "osm") == 0)
        return search_osm_open(cfg, cache, out, e);
    if (strcmp(name, "wikidata") == 0)
        return search_wikidata_open(cfg, cache, out, e);
    return err_set(e, CORE_EINVAL,
                   "'%s' cannot be one of several search providers at once "
                   "(only web ones can: tavily, searxng, osm, wikidata)",
                   name);
}

int search_open(const struct config *cfg, struct store *st, const struct upstream_cache *cache,
                struct search_provider **out, struct err *e)
{
    char why[128];
    const char *name = search_choice(cfg, why, sizeof why);
    *out = NULL;
    if (strcmp(name, "local") == 0) {
        search_local_open(st, out);
        return 0;
    }
    if (!strchr(name, ','))
        return open_one(cfg, name, cache, out, e);
    struct search_provider **v = NULL;
    size_t n = 0;
    for (const char *p = name;;) {
        size_t k = strcspn(p, ",");
        char one[32];
        snprintf(one, sizeof one, "%.*s", (int)(k < sizeof one ? k : sizeof one - 1), p);
        bool again = false;
        for (size_t i = 0; i < n; i++)
            again = again || strcmp(search_provider_name(v[i]), one) == 0;
        v = xrealloc(v, (n + 1) * sizeof *v);
        if (!again && open_one(cfg, one, cache, &v[n], e) == 0)
            n++;
        else if (!again) {
            for (size_t i = 0; i < n; i++)
                search_provider_free(v[i]);
            free(v);
            return CORE_EINVAL;
        }
        if (!p[k])
            break;
        p += k + 1;
    }
    search__multi_open(v, n, out);
    return 0;
}

/* A search waited for: the asynchronous path's end, signalled. */
struct waited {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    int rc;
};

static void searched(void *ctx, int rc)
{
    struct waited *w = ctx;
    pthread_mutex_lock(&w->lock);
    w->rc = rc;
    w->done = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

int search_run(struct search_provider *p, const char *query, size_t limit,
               struct search_results *out, struct err *e)
{
    *out = (struct search_results){0};
    if (!p->ops->run_async)
        return p->ops->run(p, query, limit, out, e);
    /* A web provider's one path: its asynchronous one, waited for here (never
     * from the call pool, which ends it). */
    struct waited w = {.done = false};
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    int rc = p->ops->run_async(p, query, limit, out, e, searched, &w);
    pthread_mutex_lock(&w.lock);
    while (!rc && !w.done)
        pthread_cond_wait(&w.cond, &w.lock);
    pthread_mutex_unlock(&w.lock);
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
    return rc ? rc : w.rc;
}

int search_run_async(struct search_provider *p, const char *query, size_t limit,
                     struct search_results *out, struct err *e, search_done_fn done, void *ctx)
{
    *out = (struct search_results){0};
    if (!search_takes_queries(p))
        return err_set(e, CORE_EUNSUP, "%s answers a business context, not queries", p->ops->name);
    if (p->ops->run_async)
        return p->ops->run_async(p, query, limit, out, e, done, ctx);
    int rc = p->ops->run(p, query, limit, out, e);
    done(ctx, rc);
    return 0;
}

bool search_takes_queries(const struct search_provider *p)
{
    int m = search__multi_takes(p, false);
    return m >= 0 ? m : p->ops->run || p->ops->run_async;
}

bool search_takes_context(const struct search_provider *p)
{
    int m = search__multi_takes(p, true);
    return m >= 0 ? m : p->ops->context_async != NULL;
}

int search_context_async(struct search_provider *p, const struct business_context *bc, size_t limit,
                         struct search_results *out, struct err *e, search_done_fn done, void *ctx)
{
    *out = (struct search_results){0};
    if (!p->ops->context_async)
        return err_set(e, CORE_EUNSUP, "%s answers queries, not a business context", p->ops->name);
    return p->ops->context_async(p, bc, limit, out, e, done, ctx);
}

const char *search_provider_name(const struct search_provider *p)
{
    const char *several = search__multi_name(p);
    return several ? several : p->ops->name;
}

bool search_is_web(const struct search_provider *p)
{
    return p->ops->web;
}

int search_extract(struct search_provider *p, const char *url, char **text, struct err *e)
{
    *text = NULL;
    if (!p->ops->extract)
        return err_set(e, CORE_EUNSUP, "%s cannot read pages", p->ops->name);
    return p->ops->extract(p, url, text, e);
}

void search_usage(const struct search_provider *p, double *credits, int64_t *cache_hits)
{
    *credits = 0;
    *cache_hits = 0;
    if (p->ops->usage)
        p->ops->usage(p, credits, cache_hits);
}

void search_provider_free(struct search_provider *p)
{
    if (p)
        p->ops->free(p);
}

void search__add(struct search_results *out, size_t limit, const char *url, const char *title,
                 const char *snippet, const char *content, double score)
{
    char *site = url_site(url);
    if (!site)
        return;
    for (size_t k = 0; k < out->n; k++)
        if (strcmp(out->v[k].site, site) == 0) {
            struct search_result *same = &out->v[k];
            same->more = xrealloc(same->more, (same->nmore + 1) * sizeof *same->more);
            same->more[same->nmore++] = xstrdup(url);
            free(site);
            return;
        }
    if (out->n >= limit) {
        free(site);
        return;
    }
    out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
    struct search_result *r = &out->v[out->n++];
    memset(r, 0, sizeof *r);
    r->url = xstrdup(url);
    r->site = site;
    r->title = xstrdup(title ? title : "");
    r->snippet = xstrdup(snippet ? snippet : "");
    r->content = content && *content ? xstrdup(content) : NULL;
    r->score = score;
}

void search__add_place(struct search_results *out, size_t limit, const char *key, const char *url,
                       const char *title, const char *snippet)
{
    if (out->n >= limit)
        return;
    out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
    struct search_result *r = &out->v[out->n++];
    memset(r, 0, sizeof *r);
    r->url = xstrdup(url);
    r->site = xstrdup(key);
    r->title = xstrdup(title ? title : "");
    r->snippet = xstrdup(snippet ? snippet : "");
    r->no_site = true;
}

void search_results_release(struct search_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct search_result *s = &r->v[i];
        free(s->url);
        free(s->site);
        free(s->title);
        free(s->snippet);
        free(s->content);
        free(s->providers);
        for (size_t k = 0; k < s->nmore; k++)
            free(s->more[k]);
        free(s->more);
    }
    free(r->v);
    free(r->note);
    r->v = NULL;
    r->n = 0;
    r->note = NULL;
}
