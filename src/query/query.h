/* query.h: search queries from a business context, without an LLM.
 *
 * The keyword strategy of business_context_to_query_agent: queries that
 * look for the customer, not the seller. The user's own query first, then
 * one query per kind of customer the context names (industry focus items,
 * kinds the ideal customer lists), then a pain point and a buying signal
 * anchored in the first kind; weighted key terms stand in when the context
 * names no kind. Deterministic: the same context always gives the same
 * queries. Thread: any.
 */
#ifndef PROSPECT_QUERY_H
#define PROSPECT_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "model/request.h"

enum query_strategy {
    QUERY_USER,     /* the user's own query, as given */
    QUERY_COMBINED, /* the user's query with the first kind of customer */
    QUERY_INDUSTRY, /* one industry_focus item */
    QUERY_CUSTOMER, /* one kind of customer the ideal customer names */
    QUERY_PAIN,     /* a pain point of the first kind of customer */
    QUERY_SIGNAL,   /* a buying signal: leaving a competitor */
    QUERY_LOCATION, /* customer terms in a place (an LLM's queries may use it) */
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

#define QUERY_DEFAULT_MAX 10

/* query_key_terms(ctx, which, out): the weighted key terms of the context's
 * customer side (which = 0: ideal customer, industries, market) or product
 * side (which = 1: what the user sells). Release with query_terms_release. */
void query_key_terms(const struct business_context *ctx, int which, struct query_terms *out);
void query_terms_release(struct query_terms *t);

/* query_generate(req, max, place, out): up to max queries (QUERY_DEFAULT_MAX
 * when 0), distinct, in a fixed order: the user's, one per kind of
 * customer, a pain, a signal. place: the provider can use a location (a web
 * search), so kinds are searched "in <location>". Release with
 * query_list_release. */
void query_generate(const struct request *req, size_t max, bool place, struct query_list *out);
void query_list_release(struct query_list *l);

/* query_strategy_name(s): "user", "combined", "industry", "customer", "pain",
 * "signal", "location". Static string. */
const char *query_strategy_name(enum query_strategy s);

/* query_strategy_of(name, fallback): the strategy a name gives (an LLM's or
 * a stored query's), fallback for NULL or a name it does not know. */
enum query_strategy query_strategy_of(const char *name, enum query_strategy fallback);

/* query_list_to_json(l): [{"query":..., "strategy":...}]; new reference. */
json_t *query_list_to_json(const struct query_list *l);

#include "core/banned.h"
#endif
