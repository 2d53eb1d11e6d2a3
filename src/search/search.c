/* search.c: dispatch to the provider's ops, and result lists. */
#include <stdlib.h>

#include "search/search_int.h"

int search_run(struct search_provider *p, const char *query, size_t limit,
               struct search_results *out, struct err *e)
{
    return p->ops->run(p, query, limit, out, e);
}

const char *search_provider_name(const struct search_provider *p)
{
    return p->ops->name;
}

void search_provider_free(struct search_provider *p)
{
    if (p)
        p->ops->free(p);
}

void search_results_release(struct search_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct search_result *s = &r->v[i];
        free(s->url);
        free(s->site);
        free(s->title);
        free(s->snippet);
        for (size_t k = 0; k < s->nmore; k++)
            free(s->more[k]);
        free(s->more);
    }
    free(r->v);
    r->v = NULL;
    r->n = 0;
}
