/* search_int.h: the provider ops table behind search.h. */
#ifndef PROSPECT_SEARCH_INT_H
#define PROSPECT_SEARCH_INT_H

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

void search_tavily_open(const struct config *cfg, const struct upstream_cache *cache,
                        struct search_provider **out);
void search_searxng_open(const struct config *cfg, const struct upstream_cache *cache,
                         struct search_provider **out);

struct search_provider {
    const struct search_ops *ops;
};

#endif
