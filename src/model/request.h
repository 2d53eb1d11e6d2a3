/* request.h: the seed's prospecting request, parsed and validated.
 *
 * Parsing collects every problem with its JSON path and a plain reason
 * ("business_context.max_leads_to_generate: must be an integer from 1 to
 * 100") instead of stopping at the first, so a client fixes everything in one
 * round. Unknown fields are ignored. Thread: any (no shared state).
 */
#ifndef PROSPECT_MODEL_REQUEST_H
#define PROSPECT_MODEL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#define REQUEST_DEFAULT_MAX_LEADS 10
#define REQUEST_MAX_ID_CHARS 128

struct strlist {
    char **v; /* owned strings */
    size_t n;
};

struct business_context {
    char *business_description; /* every string is owned, trimmed, never NULL */
    char *product_service_description;
    char *value_proposition;
    char *ideal_customer;
    struct strlist industry_focus;
    struct strlist pain_points;
    struct strlist competitors;
    char *target_market;
    char *location;
    int max_leads_to_generate;
};

struct request {
    struct business_context ctx;
    char *user_id; /* "anonymous" when absent */
    char *job_id;  /* generated ("job_" + 24 hex digits) when absent */
    char *user_search_query;
    bool job_id_generated;
    /* companies the user already has (a CRM's): domains, URLs or e-mail
     * addresses, matched by registrable domain; never fetched or returned */
    struct strlist exclude_domains;
    /* companies to enrich, as the user gave them (domains, URLs or
     * host:port), in their order: a job of these alone, no search; see
     * request_target_url */
    struct strlist companies;
};

/* request_names_domain(s): whether s can name a company's domain: a
 * domain, a URL or an e-mail address. */
bool request_names_domain(const char *s);

/* The most exclude_domains one request may list. */
#define REQUEST_MAX_EXCLUDE 20000

/* The most companies one request may enrich. */
#define REQUEST_MAX_COMPANIES 1000

/* request_target_url(s, why, n): the URL a company target stands for:
 * "acme.com" and "acme.com/about" over https, "host:8080" over http (a
 * port but 443's), a URL as it is (http or https only). NULL, with why,
 * for anything else: an e-mail address, a word without a dot, another
 * scheme, a bad port. Caller frees. */
char *request_target_url(const char *s, char *why, size_t n);
struct request_limits {
    size_t max_body_bytes;
    size_t max_string_chars;
    size_t max_list_items;
    int max_depth;
    int max_leads;
};

struct problem {
    char *path;    /* "business_context.pain_points[2]", or "body" */
    char *message; /* "must be a string" */
};

struct problems {
    struct problem *v;
    size_t n, cap;
};

/* Accept a bare business context (the object itself, no envelope). */
#define REQUEST_ALLOW_BARE 1u

/* request_limits_default(lim): the built-in limits (64 KiB body, 2000
 * characters, 50 items, depth 16, 100 leads). */
void request_limits_default(struct request_limits *lim);

/* request_parse(body, len, lim, flags, out, probs): parses and validates.
 * Returns 0 with *out filled (release it with request_release), or
 * CORE_EINVAL with every problem appended to probs (out then holds nothing).
 * body is borrowed for the call and need not be NUL-terminated. */
int request_parse(const char *body, size_t len, const struct request_limits *lim, unsigned flags,
                  struct request *out, struct problems *probs) __attribute__((warn_unused_result));

/* request_release(r): frees every string of r. */
void request_release(struct request *r);

/* request_to_json(r): the normalised request in the seed's shape; new
 * reference owned by the caller. */
json_t *request_to_json(const struct request *r);

/* problems_add(p, path, fmt, ...): appends a problem (copies its strings). */
void problems_add(struct problems *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* problems_release(p): frees every problem; p is empty afterwards. */
void problems_release(struct problems *p);

/* problems_to_json(p): {"error":"invalid_request","message":...,"problems":
 * [{"path":...,"message":...}]}; new reference owned by the caller. */
json_t *problems_to_json(const struct problems *p);

/* problems_print(p, out): one "path: message" line per problem. */
void problems_print(const struct problems *p, FILE *out);

#include "core/banned.h"
#endif
