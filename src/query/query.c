/* query.c: keyword query generation (query.h).
 *
 * Terms are counted by stem across the context's fields, each field with a
 * weight (the ideal customer and industries say most about whom to find),
 * after dropping stop words, numbers and words that describe any company
 * ("solutions", "leading", "powered"). Queries are then assembled from
 * templates per strategy, so each one looks for leads in a different way.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/str.h"
#include "query/query.h"
#include "text/text.h"

static const char *const strategy_names[QUERY_NSTRATEGIES] = {"user", "combined", "industry",
                                                              "pain", "signal",   "location"};

const char *query_strategy_name(enum query_strategy s)
{
    return (unsigned)s < QUERY_NSTRATEGIES ? strategy_names[s] : "unknown";
}

/* Words that say nothing about which company to look for. Sorted. */
static const char *const filler[] = {
    "advanced",   "ai",           "based",         "best",         "business",
    "businesses", "client",       "clients",       "companies",    "company",
    "customer",   "customers",    "effective",     "efficiency",   "efficient",
    "employee",   "employees",    "enterprise",    "enterprises",  "firm",
    "firms",      "focus",        "focused",       "help",         "helps",
    "ideal",      "improve",      "increase",      "innovative",   "intelligent",
    "leading",    "market",       "markets",       "medium",       "modern",
    "new",        "organisation", "organisations", "organization", "organizations",
    "powered",    "provider",     "providers",     "service",      "services",
    "size",       "sized",        "small",         "smart",        "sme",
    "smes",       "smb",          "smbs",          "solution",     "solutions",
    "team",       "teams",        "tool",          "tools",        "top",
    "use",        "using",        "world",
};

static bool is_filler(const char *tok, size_t len)
{
    return text_in_sorted(filler, sizeof filler / sizeof *filler, tok, len);
}

struct counter {
    struct text_stemmer *stem;
    struct query_terms *terms;
    size_t cap;
    double weight;
};

static int count_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    (void)start;
    (void)end;
    struct counter *c = ctx;
    if (len < 2 || text_is_stopword(tok, len) || is_filler(tok, len) ||
        isdigit((unsigned char)tok[0]))
        return 0;
    size_t slen;
    const char *s = text_stem(c->stem, tok, len, &slen);
    struct query_terms *t = c->terms;
    for (size_t i = 0; i < t->n; i++) {
        if (strlen(t->v[i].stem) == slen && memcmp(t->v[i].stem, s, slen) == 0) {
            t->v[i].weight += c->weight;
            /* keep the shortest surface form: "lead" over "leads" */
            if (len < strlen(t->v[i].word)) {
                free(t->v[i].word);
                t->v[i].word = xstrndup(tok, len);
            }
            return 0;
        }
    }
    if (t->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        t->v = xrealloc(t->v, c->cap * sizeof *t->v);
    }
    t->v[t->n].word = xstrndup(tok, len);
    t->v[t->n].stem = xstrndup(s, slen);
    t->v[t->n].weight = c->weight;
    t->n++;
    return 0;
}

static void count(struct counter *c, const char *text, double weight)
{
    c->weight = weight;
    text_tokenize(text, strlen(text), count_token, c);
}

static int cmp_term(const void *a, const void *b)
{
    const struct query_term *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return strcmp(x->word, y->word);
}

void query_key_terms(const struct business_context *ctx, int which, struct query_terms *out)
{
    out->v = NULL;
    out->n = 0;
    struct counter c = {text_stemmer_new(), out, 0, 0};
    if (which == 0) {
        count(&c, ctx->ideal_customer, 3);
        for (size_t i = 0; i < ctx->industry_focus.n; i++)
            count(&c, ctx->industry_focus.v[i], 3);
        count(&c, ctx->target_market, 1);
    } else {
        count(&c, ctx->product_service_description, 3);
        count(&c, ctx->business_description, 2);
        count(&c, ctx->value_proposition, 1);
    }
    text_stemmer_free(c.stem);
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_term);
}

void query_terms_release(struct query_terms *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].word);
        free(t->v[i].stem);
    }
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* Candidate queries of one strategy, in order of preference. */
struct bucket {
    char *v[8];
    size_t n;
};

static void bucket_add(struct bucket *b, struct buf *q)
{
    if (b->n < sizeof b->v / sizeof *b->v && q->len)
        b->v[b->n++] = str_trim_dup(buf_cstr(q));
    buf_reset(q);
}

struct stems {
    struct text_stemmer *st;
    char seen[32][TEXT_MAX_TOKEN + 1];
    size_t n;
};

static int note_stem(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    (void)start;
    (void)end;
    struct stems *s = ctx;
    size_t slen;
    const char *stem = text_stem(s->st, tok, len, &slen);
    if (s->n < 32 && slen <= TEXT_MAX_TOKEN) {
        memcpy(s->seen[s->n], stem, slen);
        s->seen[s->n++][slen] = '\0';
    }
    return 0;
}

/* Appends up to n of terms (from skip on) whose stems q does not hold yet,
 * so that "Healthcare" is not followed by "healthcare". */
static void append_terms(struct buf *q, const struct query_terms *t, size_t skip, size_t n,
                         struct text_stemmer *st)
{
    struct stems s = {.st = st, .n = 0};
    text_tokenize(q->data ? q->data : "", q->len, note_stem, &s);
    size_t added = 0;
    for (size_t i = skip; i < t->n && added < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < s.n && !dup; k++)
            dup = strcmp(s.seen[k], t->v[i].stem) == 0;
        if (dup)
            continue;
        if ((q->len && buf_putc(q, ' ')) || buf_puts(q, t->v[i].word))
            return;
        added++;
    }
}

/* Location items: "United States, Canada" -> "United States", "Canada". */
static size_t split_places(const char *s, char places[][64], size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        size_t k = strcspn(s, ",;/|");
        const char *p = s;
        size_t len = k;
        while (len && isspace((unsigned char)*p))
            p++, len--;
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len && len < 64) {
            memcpy(places[n], p, len);
            places[n][len] = '\0';
            n++;
        }
        s += k;
        if (*s)
            s++;
    }
    return n;
}

/* Adds a query unless the list is full or holds the same text already. */
static void take(struct query_list *out, size_t max, enum query_strategy s, char *text)
{
    bool dup = !*text;
    for (size_t i = 0; !dup && i < out->n; i++)
        dup = strcasecmp(out->v[i].text, text) == 0;
    if (dup || out->n >= max) {
        free(text);
        return;
    }
    out->v[out->n].text = text;
    out->v[out->n].strategy = s;
    out->n++;
}

void query_generate(const struct request *req, size_t max, struct query_list *out)
{
    const struct business_context *ctx = &req->ctx;
    if (!max)
        max = QUERY_DEFAULT_MAX;
    out->v = xcalloc(max, sizeof *out->v);
    out->n = 0;
    struct query_terms cust, prod;
    query_key_terms(ctx, 0, &cust);
    query_key_terms(ctx, 1, &prod);
    struct text_stemmer *st = text_stemmer_new();
    struct bucket b[QUERY_NSTRATEGIES];
    memset(b, 0, sizeof b);
    struct buf q;
    buf_init(&q, 1024);
    const char *industry = ctx->industry_focus.n ? ctx->industry_focus.v[0] : NULL;
    int rc = 0;

    /* The user's own words, alone and with the context's. */
    if (*req->user_search_query) {
        rc |= buf_puts(&q, req->user_search_query);
        bucket_add(&b[QUERY_USER], &q);
        rc |= buf_puts(&q, req->user_search_query);
        append_terms(&q, &cust, 0, 2, st);
        bucket_add(&b[QUERY_COMBINED], &q);
    }
    /* Industry and customer: one query per industry. */
    for (size_t i = 0; i < ctx->industry_focus.n && i < 3; i++) {
        rc |= buf_puts(&q, ctx->industry_focus.v[i]);
        append_terms(&q, &cust, 0, 3, st);
        bucket_add(&b[QUERY_INDUSTRY], &q);
    }
    if (!ctx->industry_focus.n && cust.n) {
        append_terms(&q, &cust, 0, 4, st);
        bucket_add(&b[QUERY_INDUSTRY], &q);
    }
    /* Each pain point, anchored in the industry or the customer. */
    for (size_t i = 0; i < ctx->pain_points.n && i < 4; i++) {
        rc |= buf_puts(&q, ctx->pain_points.v[i]);
        if (industry)
            rc |= buf_printf(&q, " %s", industry);
        else
            append_terms(&q, &cust, 0, 1, st);
        bucket_add(&b[QUERY_PAIN], &q);
    }
    /* Buying signals: looking for what the user sells, moving off
     * spreadsheets, hiring; and leaving a competitor. */
    if (prod.n) {
        if (industry)
            rc |= buf_printf(&q, "%s ", industry);
        rc |= buf_puts(&q, "companies looking for");
        append_terms(&q, &prod, 0, 2, st);
        rc |= buf_puts(&q, " evaluating migrating from spreadsheets hiring");
        bucket_add(&b[QUERY_SIGNAL], &q);
    }
    for (size_t i = 0; i < ctx->competitors.n && i < 2; i++) {
        rc |= buf_printf(&q, "%s alternative switching from %s", ctx->competitors.v[i],
                         ctx->competitors.v[i]);
        if (industry)
            rc |= buf_printf(&q, " %s", industry);
        bucket_add(&b[QUERY_SIGNAL], &q);
    }
    /* Location: the customer in each named place. */
    char places[4][64];
    size_t nplaces = split_places(*ctx->location ? ctx->location : ctx->target_market, places, 4);
    for (size_t i = 0; i < nplaces; i++) {
        if (industry)
            rc |= buf_puts(&q, industry);
        append_terms(&q, &cust, 0, 2, st);
        rc |= buf_printf(&q, " %s", places[i]);
        bucket_add(&b[QUERY_LOCATION], &q);
    }
    /* Nothing but a description: its own key terms. */
    if (!b[QUERY_USER].n && !b[QUERY_INDUSTRY].n && !b[QUERY_PAIN].n) {
        append_terms(&q, &prod, 0, 5, st);
        bucket_add(&b[QUERY_INDUSTRY], &q);
    }
    (void)rc; /* a query cut at the cap is still a query */

    /* The user's queries first, then one of each other strategy in turn, so
     * that a short list still searches in every way. */
    size_t next[QUERY_NSTRATEGIES] = {0};
    for (int s = QUERY_USER; s <= QUERY_COMBINED; s++)
        for (; next[s] < b[s].n; next[s]++)
            take(out, max, (enum query_strategy)s, b[s].v[next[s]]);
    for (bool more = true; more;) {
        more = false;
        for (int s = QUERY_INDUSTRY; s < QUERY_NSTRATEGIES; s++) {
            if (next[s] < b[s].n) {
                take(out, max, (enum query_strategy)s, b[s].v[next[s]++]);
                more = true;
            }
        }
    }
    buf_release(&q);
    text_stemmer_free(st);
    query_terms_release(&cust);
    query_terms_release(&prod);
}

void query_list_release(struct query_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].text);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

json_t *query_list_to_json(const struct query_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "query", l->v[i].text, "strategy",
                                           query_strategy_name(l->v[i].strategy)));
    return a;
}
