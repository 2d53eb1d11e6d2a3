/* search_int.h: the provider ops table behind search.h. */
#ifndef PROSPECT_SEARCH_INT_H
#define PROSPECT_SEARCH_INT_H

#include "search/search.h"

struct search_ops {
    const char *name;
    int (*run)(struct search_provider *p, const char *query, size_t limit,
               struct search_results *out, struct err *e);
    void (*free)(struct search_provider *p);
};

struct search_provider {
    const struct search_ops *ops;
};

#endif
