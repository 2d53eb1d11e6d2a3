/* search_int.h: the provider ops table behind search.h. */
#ifndef PROSPECT_SEARCH_INT_H
#define PROSPECT_SEARCH_INT_H

#include <pthread.h>

#include <jansson.h>

#include "search/search.h"

struct search_ops {
    const char *name;
    /* the corpus: a search on the caller's thread (NULL for web providers) */
    int (*run)(struct search_provider *p, const char *query, size_t limit,
               struct search_results *out, struct err *e);
    /* web providers: the search on the engine, done on the call pool */
    int (*run_async)(struct search_provider *p, const char *query, size_t limit,
                     struct search_results *out, struct err *e, search_done_fn done, void *ctx);
    void (*free)(struct search_provider *p);
    int (*extract)(struct search_provider *p, const char *url, char **text, struct err *e);
    void (*usage)(const struct search_provider *p, double *credits, int64_t *cache_hits);
    /* context providers: the kinds of customer of a business context, in its place */
    int (*context_async)(struct search_provider *p, const struct business_context *bc, size_t limit,
                         struct search_results *out, struct err *e, search_done_fn done, void *ctx);
    bool web;
};

/* search__web_results(answer, limit, raw, out): the results of a Tavily or
 * SearXNG search answer ({"results":[{url, title, content, score,
 * raw_content}]}; raw_content only when raw), filed with search__add.
 * Any JSON is safe to pass (the fuzz target does). */
void search__web_results(json_t *answer, size_t limit, bool raw, struct search_results *out);

/* search__tavily_extracted(answer, text, e): the page text of a Tavily
 * /extract answer (the caller frees it), or CORE_EUPSTREAM with the reason
 * failed_results gives. */
int search__tavily_extracted(json_t *answer, char **text, struct err *e);

/* search__add(out, cap, url, title, snippet, content, score): files one
 * page under its site (a new result, or a further page of a site already
 * in out, which keeps rank order); pages of no site are dropped. */
void search__add(struct search_results *out, size_t limit, const char *url, const char *title,
                 const char *snippet, const char *content, double score);

struct search_provider {
    const struct search_ops *ops;
};

/* What the web providers share: their upstream, base URL, cache and
 * usage. A provider's own struct starts with it. */
struct web {
    struct search_provider base;
    struct upstream *up;
    char *base_url;
    struct upstream_cache cache; /* copied; st NULL: none */
    int64_t ttl_s;
    pthread_mutex_t lock;
    double credits;
    int64_t cache_hits;
};

/* search__base_url(url): a copy of url without its trailing slashes. */
char *search__base_url(const char *url);
void search__web_init(struct web *w, const struct search_ops *ops, const struct config *cfg,
                      const struct upstream_cache *cache, const char *base_url);
void search__web_release(struct web *w);
void search__web_usage(const struct search_provider *p, double *credits, int64_t *cache_hits);
/* A GET or POST of url, cached as a search for the configured time. */
struct upstream_request search__request(struct web *w, const char *method, const char *url,
                                        const char *body);
/* The JSON object of an answer that ended with rc (r is released), or
 * NULL with e set (name says whose answer was malformed). */
json_t *search__answer(struct web *w, const char *name, int rc, struct upstream_response *r,
                       struct err *e);

/* search__add_place(out, limit, key, url, title, snippet): a place with no
 * website of its own, filed under key (unique per place); its snippet is
 * all a lead will have. */
void search__add_place(struct search_results *out, size_t limit, const char *key, const char *url,
                       const char *title, const char *snippet);

/* search__osm_results(answer, limit, out), search__wikidata_results(...):
 * the candidates of an Overpass JSON answer (its elements) and of a SPARQL
 * JSON answer (its bindings), filed with search__add (no kind known).
 * Any JSON is safe to pass (the fuzz target does). */
void search__osm_results(json_t *answer, size_t limit, struct search_results *out);
void search__wikidata_results(json_t *answer, size_t limit, struct search_results *out);

/* search__open_user_agent(cfg, provider, out, n, e): the User-Agent the
 * open services (OSM's, Wikidata's) want: ours with a contact; CORE_EINVAL
 * saying why when PROSPECT_CONTACT is unset. */
int search__open_user_agent(const struct config *cfg, const char *provider, char *out, size_t n,
                            struct err *e);
int search_osm_open(const struct config *cfg, const struct upstream_cache *cache,
                    struct search_provider **out, struct err *e);
int search_wikidata_open(const struct config *cfg, const struct upstream_cache *cache,
                         struct search_provider **out, struct err *e);

/* search__multi_open(v, n, out): providers v (taken, n of them) at once;
 * search__multi_name gives "tavily+osm" (NULL for another provider), and
 * search__multi_takes whether any takes queries or a context (-1: not
 * several providers). */
void search__multi_open(struct search_provider **v, size_t n, struct search_provider **out);
const char *search__multi_name(const struct search_provider *p);
int search__multi_takes(const struct search_provider *p, bool context);

void search_tavily_open(const struct config *cfg, const struct upstream_cache *cache,
                        struct search_provider **out);
void search_searxng_open(const struct config *cfg, const struct upstream_cache *cache,
                         struct search_provider **out);

#endif
