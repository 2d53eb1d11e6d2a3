/* search_int.h: the provider ops table behind search.h. */
#ifndef PROSPECT_SEARCH_INT_H
#define PROSPECT_SEARCH_INT_H

#include "search/search.h"

struct search_ops {
    const char *name;
    int (*run)(struct search_provider *p, const char *query, size_t limit,
               struct search_results *out, struct err *e);
    void (*free)(struct search_provider *p);
    int (*extract)(struct search_provider *p, const char *url, char **text, struct err *e);
    void (*usage)(const struct search_provider *p, double *credits, int64_t *cache_hits);
    bool web;
};

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
