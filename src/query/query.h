/* query.h: search queries from a business context, without an LLM.
 *
 * The keyword strategy of business_context_to_query_agent: weighted,
 * stemmed key terms (stop words and marketing filler removed) become several
 * queries of different strategies: the user's own query, industry and
 * customer, each pain point, buying signals, location. Deterministic: the
 * same context always gives the same queries. Thread: any.
 */
#ifndef PROSPECT_QUERY_H
#define PROSPECT_QUERY_H

#include <stddef.h>

#include <jansson.h>

#include "model/request.h"

enum query_strategy {
    QUERY_USER,     /* the user's own query, as given */
    QUERY_COMBINED, /* the user's query with the context's key terms */
    QUERY_INDUSTRY, /* industry and ideal customer */
    QUERY_PAIN,     /* one pain point */
    QUERY_SIGNAL,   /* buying signals: looking for, migrating, replacing a competitor */
    QUERY_LOCATION, /* customer terms in a place */
    QUERY_NSTRATEGIES
};

struct query {
    char *text;
    enum query_strategy strategy;
};

struct query_list {
    struct query *v;
    size_t n;
};

struct query_term {
    char *word; /* the most common surface form, lower case */
    char *stem;
    double weight;
};

struct query_terms {
    struct query_term *v; /* heaviest first; ties alphabetical */
    size_t n;
};

#define QUERY_DEFAULT_MAX 8

/* query_key_terms(ctx, which, out): the weighted key terms of the context's
 * customer side (which = 0: ideal customer, industries, market) or product
 * side (which = 1: what the user sells). Release with query_terms_release. */
void query_key_terms(const struct business_context *ctx, int which, struct query_terms *out);
void query_terms_release(struct query_terms *t);

/* query_generate(req, max, out): up to max queries (QUERY_DEFAULT_MAX when
 * 0), distinct, in a fixed strategy order. Release with
 * query_list_release. */
void query_generate(const struct request *req, size_t max, struct query_list *out);
void query_list_release(struct query_list *l);

/* query_strategy_name(s): "user", "combined", "industry", "pain", "signal",
 * "location". Static string. */
const char *query_strategy_name(enum query_strategy s);

/* query_list_to_json(l): [{"query":..., "strategy":...}]; new reference. */
json_t *query_list_to_json(const struct query_list *l);

#include "core/banned.h"
#endif
