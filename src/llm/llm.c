/* llm.c: what every LLM backend shares: the choice and opening of one, the
 * schema check, a task's call with its repair retry (waited for, or not),
 * and embeddings in batches. The wire formats are the backends' (gemini.c,
 * openai.c); the heuristic analyst is a backend with no calls. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "llm/llm_int.h"

#define MAX_OUTPUT_TOKENS 2048

const char *llm_choice(const struct config *cfg, char *why, size_t n)
{
    if (strcmp(cfg->llm, "auto") != 0) {
        snprintf(why, n, "forced by PROSPECT_LLM or --llm");
        return cfg->llm;
    }
    if (*cfg->google_api_key || *cfg->gemini_api_key) {
        snprintf(why, n, "%s is set", *cfg->google_api_key ? "GOOGLE_API_KEY" : "GEMINI_API_KEY");
        return "gemini";
    }
    if (*cfg->openai_base_url || *cfg->openai_api_key) {
        snprintf(why, n, "%s is set", *cfg->openai_base_url ? "OPENAI_BASE_URL" : "OPENAI_API_KEY");
        return "openai";
    }
    snprintf(why, n, "no LLM is configured");
    return "heuristic";
}

static const struct llm_ops *const backends[] = {&llm__gemini_ops, &llm__openai_ops,
                                                 &llm__heuristic_ops};

int llm_open(const struct config *cfg, struct llm **out, struct err *e)
{
    char why[128];
    const char *name = llm_choice(cfg, why, sizeof why);
    const struct llm_ops *ops = &llm__heuristic_ops;
    for (size_t i = 0; i < sizeof backends / sizeof *backends; i++)
        if (strcmp(backends[i]->name, name) == 0)
            ops = backends[i];
    struct llm *l = xcalloc(1, sizeof *l);
    l->ops = ops;
    l->ttl_s = cfg->cache_ttl_s;
    int rc = ops->open(cfg, l, e);
    if (rc) { /* the heuristic analyst stands in; the caller says so */
        free(l->model);
        free(l->base_url);
        memset(l, 0, sizeof *l);
        l->ops = &llm__heuristic_ops;
    }
    l->embed_model = xstrdup(l->ops->reads ? cfg->embed_model : "");
    size_t n = l->base_url ? strlen(l->base_url) : 0;
    while (n && l->base_url[n - 1] == '/')
        l->base_url[--n] = '\0';
    *out = l;
    return rc;
}

void llm_free(struct llm *l)
{
    if (!l)
        return;
    free(l->model);
    free(l->base_url);
    free(l->embed_model);
    free(l);
}

const char *llm_name(const struct llm *l)
{
    return l ? l->ops->name : "heuristic";
}

const char *llm_model(const struct llm *l)
{
    return l && l->model ? l->model : "";
}

bool llm_reads(const struct llm *l)
{
    return l && l->ops->reads;
}

/* ---- the schema check ---- */

static bool type_is(const json_t *v, const char *t)
{
    if (!strcmp(t, "object"))
        return json_is_object(v);
    if (!strcmp(t, "array"))
        return json_is_array(v);
    if (!strcmp(t, "string"))
        return json_is_string(v);
    if (!strcmp(t, "number"))
        return json_is_number(v);
    if (!strcmp(t, "integer"))
        return json_is_integer(v);
    if (!strcmp(t, "boolean"))
        return json_is_boolean(v);
    if (!strcmp(t, "null"))
        return json_is_null(v);
    return false;
}

static int check(const json_t *s, const json_t *v, const char *path, char *why, size_t n)
{
    json_t *type = json_object_get(s, "type");
    if (json_is_string(type) && !type_is(v, json_string_value(type))) {
        snprintf(why, n, "%s: expected %s", path, json_string_value(type));
        return -1;
    }
    if (json_is_array(type)) {
        bool ok = false;
        size_t i;
        json_t *t;
        json_array_foreach (type, i, t)
            ok |= json_is_string(t) && type_is(v, json_string_value(t));
        if (!ok) {
            snprintf(why, n, "%s: wrong type", path);
            return -1;
        }
    }
    json_t *en = json_object_get(s, "enum");
    if (json_is_array(en)) {
        bool ok = false;
        size_t i;
        json_t *x;
        json_array_foreach (en, i, x)
            ok |= json_equal(x, v);
        if (!ok) {
            snprintf(why, n, "%s: not one of the allowed values", path);
            return -1;
        }
    }
    if (json_is_number(v)) {
        json_t *mn = json_object_get(s, "minimum"), *mx = json_object_get(s, "maximum");
        double d = json_number_value(v);
        if ((json_is_number(mn) && d < json_number_value(mn)) ||
            (json_is_number(mx) && d > json_number_value(mx))) {
            snprintf(why, n, "%s: %g is out of range", path, d);
            return -1;
        }
    }
    if (json_is_string(v)) {
        json_t *ml = json_object_get(s, "maxLength");
        if (json_is_integer(ml) && json_string_length(v) > (size_t)json_integer_value(ml)) {
            snprintf(why, n, "%s: too long", path);
            return -1;
        }
    }
    if (json_is_array(v)) {
        json_t *mn = json_object_get(s, "minItems"), *mx = json_object_get(s, "maxItems");
        size_t len = json_array_size(v);
        if ((json_is_integer(mn) && len < (size_t)json_integer_value(mn)) ||
            (json_is_integer(mx) && len > (size_t)json_integer_value(mx))) {
            snprintf(why, n, "%s: %zu items is out of range", path, len);
            return -1;
        }
        json_t *items = json_object_get(s, "items");
        size_t i;
        json_t *x;
        if (json_is_object(items))
            json_array_foreach (v, i, x) {
                char sub[256];
                snprintf(sub, sizeof sub, "%s[%zu]", path, i);
                if (check(items, x, sub, why, n))
                    return -1;
            }
    }
    if (json_is_object(v)) {
        json_t *props = json_object_get(s, "properties");
        size_t i;
        json_t *r;
        json_array_foreach (json_object_get(s, "required"), i, r)
            if (json_is_string(r) && !json_object_get(v, json_string_value(r))) {
                snprintf(why, n, "%s.%s: missing", path, json_string_value(r));
                return -1;
            }
        const char *k;
        json_t *x;
        json_object_foreach ((json_t *)v, k, x) {
            json_t *ps = json_object_get(props, k);
            char sub[256];
            snprintf(sub, sizeof sub, "%s.%s", path, k);
            if (!ps) {
                if (json_is_false(json_object_get(s, "additionalProperties"))) {
                    snprintf(why, n, "%s: not allowed", sub);
                    return -1;
                }
                continue;
            }
            if (check(ps, x, sub, why, n))
                return -1;
        }
    }
    return 0;
}

int llm_schema_check(const json_t *schema, const json_t *v, char *why, size_t n)
{
    return check(schema, v, "$", why, n);
}

/* ---- one call ---- */

char *llm__answer_text(bool gemini, json_t *reply, struct llm_usage *u, bool *truncated, char *why,
                       size_t n)
{
    const struct llm_ops *ops = gemini ? &llm__gemini_ops : &llm__openai_ops;
    return ops->answer_text(reply, u, truncated, why, n);
}

/* One task's call: its request, the repair prompt after a rejected
 * answer, the answer. */
struct task_call {
    struct llm *l;
    const struct upstream_cache *cache;
    char *task, *system, *prompt, *repair, *url;
    json_t *schema;
    int attempt, max_tokens;
    struct llm_usage *u, scratch;
    struct upstream_response r;
    struct err *e;
    llm_json_fn done; /* NULL: waited for */
    void *ctx;
};

static void task_init(struct task_call *c, struct llm *l, const struct upstream_cache *cache,
                      const char *task, const char *system, const char *prompt, json_t *schema,
                      struct llm_usage *u, struct err *e)
{
    *c = (struct task_call){.l = l,
                            .cache = cache,
                            .task = xstrdup(task),
                            .system = xstrdup(system),
                            .prompt = xstrdup(prompt),
                            .schema = json_incref(schema),
                            .max_tokens = MAX_OUTPUT_TOKENS,
                            .u = u,
                            .e = e};
    if (!c->u)
        c->u = &c->scratch;
    c->url = l->ops->task_url(l);
}

static void task_release(struct task_call *c)
{
    free(c->task);
    free(c->system);
    free(c->prompt);
    free(c->repair);
    free(c->url);
    json_decref(c->schema);
}

/* The request of the current attempt (the caller frees the body). */
static struct upstream_request task_request(struct task_call *c)
{
    const char *p = c->attempt ? c->repair : c->prompt;
    struct llm *l = c->l;
    char *body = l->ops->task_body(l, c->task, c->system, p, c->schema, c->max_tokens);
    __atomic_fetch_add(&c->u->calls, 1, __ATOMIC_RELAXED);
    return (struct upstream_request){"POST", c->url, body, "llm", l->ttl_s, c->cache};
}

/* Judges an attempt's answer (rc: the call's result): the valid answer
 * (new reference), or NULL with *rc set; *again when a repair is worth a
 * try, its prompt then ready. */
static json_t *task_judge(struct task_call *c, int *rc, bool *again)
{
    struct upstream_response *r = &c->r;
    *again = false;
    if (r->cached)
        __atomic_fetch_add(&c->u->cache_hits, 1, __ATOMIC_RELAXED);
    if (*rc) {
        upstream_response_release(r);
        return NULL; /* the provider failed: the discipline already retried */
    }
    char why[256] = "";
    json_t *reply = json_loadb(buf_cstr(&r->body), r->body.len, 0, NULL);
    upstream_response_release(r);
    bool truncated = false;
    char *text = reply ? c->l->ops->answer_text(reply, c->u, &truncated, why, sizeof why) : NULL;
    if (!reply)
        snprintf(why, sizeof why, "the reply is not JSON");
    json_decref(reply);
    json_t *v = NULL;
    if (text) {
        json_error_t je;
        v = json_loads(text, JSON_DECODE_ANY, &je);
        if (!v)
            snprintf(why, sizeof why, "the answer is not valid JSON (%s)", je.text);
        else if (llm_schema_check(c->schema, v, why, sizeof why)) {
            json_decref(v);
            v = NULL;
        }
    }
    free(text);
    if (v)
        return v;
    *rc = err_set(c->e, CORE_EPARSE, "%s %s: %s", llm_name(c->l), c->task, why);
    if (c->attempt == 0) {
        __atomic_fetch_add(&c->u->repairs, 1, __ATOMIC_RELAXED);
        if (truncated)
            c->max_tokens *= 2;
        c->repair = xasprintf("%s\n\nYour previous answer was rejected: %s. Answer again with "
                              "only one JSON value that matches the schema.",
                              c->prompt, why);
        log_info("repairing an LLM answer", LOG_S("task", c->task), LOG_S("why", why));
        c->attempt++;
        *again = true;
    }
    return NULL;
}

int llm_json(struct llm *l, const struct upstream_cache *cache, const char *task,
             const char *system, const char *prompt, json_t *schema, json_t **out,
             struct llm_usage *u, struct err *e)
{
    *out = NULL;
    if (!llm_reads(l))
        return err_set(e, CORE_EUNSUP, "the heuristic analyst answers no %s task", task);
    struct task_call c;
    task_init(&c, l, cache, task, system, prompt, schema, u, e);
    json_t *v = NULL;
    int rc;
    bool again = true;
    while (again) {
        struct upstream_request rq = task_request(&c);
        rc = upstream_call(l->up, &rq, &c.r, e);
        free((char *)rq.body);
        v = task_judge(&c, &rc, &again);
    }
    if (rc)
        __atomic_fetch_add(&c.u->failures, 1, __ATOMIC_RELAXED);
    task_release(&c);
    *out = v;
    return rc;
}

static void task_send(struct task_call *c);

static void task_answered(void *ctx, int rc)
{
    struct task_call *c = ctx;
    bool again;
    json_t *v = task_judge(c, &rc, &again);
    if (again) {
        task_send(c);
        return;
    }
    if (rc)
        __atomic_fetch_add(&c->u->failures, 1, __ATOMIC_RELAXED);
    c->done(c->ctx, rc, v);
    task_release(c);
    free(c);
}

static void task_send(struct task_call *c)
{
    struct upstream_request rq = task_request(c);
    upstream_call_async(c->l->up, &rq, &c->r, c->e, task_answered, c);
    free((char *)rq.body); /* copied */
}

int llm_json_async(struct llm *l, const struct upstream_cache *cache, const char *task,
                   const char *system, const char *prompt, json_t *schema, struct llm_usage *u,
                   struct err *e, llm_json_fn done, void *ctx)
{
    if (!llm_reads(l))
        return err_set(e, CORE_EUNSUP, "the heuristic analyst answers no %s task", task);
    struct task_call *c = xmalloc(sizeof *c);
    task_init(c, l, cache, task, system, prompt, schema, u, e);
    c->done = done;
    c->ctx = ctx;
    task_send(c);
    return 0;
}

/* ---- embeddings ---- */

#define EMBED_BATCH 100

bool llm_embeds(const struct llm *l)
{
    return llm_reads(l) && *l->embed_model;
}

/* One batch: texts[0, n) into out (n * dim floats, dim fixed by the first). */
static int embed_batch(struct llm *l, const struct upstream_cache *cache, const char *const *texts,
                       size_t n, bool query, float *out, size_t *dim, struct err *e)
{
    char *url = l->ops->embed_url(l);
    char *body = l->ops->embed_body(l, texts, n, query);
    struct upstream_request rq = {"POST", url, body, "embed", l->ttl_s, cache};
    struct upstream_response r;
    int rc = upstream_call(l->up, &rq, &r, e);
    free(body);
    free(url);
    json_t *j = rc ? NULL : json_loadb(buf_cstr(&r.body), r.body.len, 0, NULL);
    upstream_response_release(&r);
    if (rc)
        return rc;
    rc = l->ops->embeddings(j, n, out, dim, e);
    json_decref(j);
    return rc;
}

int llm__embeddings(bool gemini, json_t *j, size_t n, float *out, size_t *dim, struct err *e)
{
    const struct llm_ops *ops = gemini ? &llm__gemini_ops : &llm__openai_ops;
    return ops->embeddings(j, n, out, dim, e);
}

char *llm__dump(json_t *b)
{
    char *s = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    return s;
}

void llm__tokens(struct llm_usage *u, int64_t in, int64_t out)
{
    __atomic_fetch_add(&u->tokens_in, in, __ATOMIC_RELAXED);
    __atomic_fetch_add(&u->tokens_out, out, __ATOMIC_RELAXED);
}

int llm__vectors(const char *name, json_t *list, const char *field, bool index, size_t n,
                 float *out, size_t *dim, struct err *e)
{
    int rc = json_array_size(list) == n
                 ? 0
                 : err_set(e, CORE_EPARSE, "%s: %zu embeddings for %zu texts", name,
                           json_array_size(list), n);
    for (size_t i = 0; i < n && !rc; i++) {
        json_t *item = json_array_get(list, i);
        json_t *v = json_object_get(item, field);
        size_t at = i;
        if (index && json_is_integer(json_object_get(item, "index")))
            at = (size_t)json_integer_value(json_object_get(item, "index"));
        if (!*dim)
            *dim = json_array_size(v);
        if (!*dim || *dim > LLM_MAX_DIM || json_array_size(v) != *dim || at >= n) {
            rc = err_set(e, CORE_EPARSE, "%s: malformed embedding", name);
            break;
        }
        double norm = 0;
        for (size_t k = 0; k < *dim; k++) {
            double x = json_number_value(json_array_get(v, k));
            out[at * *dim + k] = (float)x;
            norm += x * x;
        }
        norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
        for (size_t k = 0; k < *dim; k++)
            out[at * *dim + k] = (float)(out[at * *dim + k] * norm);
    }
    return rc;
}

int llm_embed(struct llm *l, const struct upstream_cache *cache, const char *const *texts, size_t n,
              bool query, float **out, size_t *dim, struct llm_usage *u, struct err *e)
{
    struct llm_usage scratch = {0};
    if (!u)
        u = &scratch;
    *out = NULL;
    *dim = 0;
    if (!llm_embeds(l))
        return err_set(e, CORE_EUNSUP, "no embedding model is configured");
    float *all = NULL;
    int rc = 0;
    for (size_t at = 0; at < n && !rc; at += EMBED_BATCH) {
        size_t k = n - at < EMBED_BATCH ? n - at : EMBED_BATCH;
        size_t d = *dim;
        float *part = xcalloc(k * (d ? d : LLM_MAX_DIM), sizeof *part);
        __atomic_fetch_add(&u->embed_calls, 1, __ATOMIC_RELAXED);
        rc = embed_batch(l, cache, texts + at, k, query, part, &d, e);
        if (!rc) {
            if (!all)
                all = xcalloc(n * d, sizeof *all);
            memcpy(all + at * d, part, k * d * sizeof *part);
            *dim = d;
        }
        free(part);
    }
    if (rc)
        free(all);
    else
        *out = all;
    return rc;
}
