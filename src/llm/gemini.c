/* gemini.c: the Gemini backend: generateContent with responseJsonSchema,
 * batchEmbedContents, and Gemini's own reading of a 429 (a daily quota is
 * final; RetryInfo says how long to wait otherwise). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "llm/llm_int.h"

#define DEFAULT_MODEL "gemini-3.5-flash"

/* Gemini: a quota per day is spent until midnight Pacific; RetryInfo says
 * how long to wait otherwise. */
static enum upstream_verdict gemini_classify(long status, const char *body, int64_t *delay_ms)
{
    if (status != 429)
        return upstream_classify_http(status, body, delay_ms);
    json_t *j = json_loads(body, 0, NULL);
    enum upstream_verdict v = UPSTREAM_RETRY;
    size_t i, k;
    json_t *d, *viol;
    json_array_foreach (json_object_get(json_object_get(j, "error"), "details"), i, d) {
        const char *type = json_string_value(json_object_get(d, "@type"));
        if (!type)
            continue;
        if (strstr(type, "RetryInfo")) {
            const char *s = json_string_value(json_object_get(d, "retryDelay"));
            if (s)
                *delay_ms = (int64_t)(strtod(s, NULL) * 1000);
        } else if (strstr(type, "QuotaFailure")) {
            json_array_foreach (json_object_get(d, "violations"), k, viol) {
                const char *q = json_string_value(json_object_get(viol, "quotaId"));
                if (q && strstr(q, "PerDay"))
                    v = UPSTREAM_FINAL;
            }
        }
    }
    json_decref(j);
    return v;
}

static int gemini_open(const struct config *cfg, struct llm *l, struct err *e)
{
    const char *key = *cfg->google_api_key ? cfg->google_api_key : cfg->gemini_api_key;
    if (!*key)
        return err_set(e, CORE_EINVAL, "the gemini LLM needs GOOGLE_API_KEY or GEMINI_API_KEY");
    l->model = xstrdup(*cfg->llm_model ? cfg->llm_model : DEFAULT_MODEL);
    l->base_url = xstrdup(cfg->gemini_base_url);
    struct upstream_options o;
    upstream_options_from_config(cfg, "gemini", (int)cfg->llm_rpm, &o);
    char *auth = xasprintf("x-goog-api-key: %s", key);
    o.secret = key;
    o.classify = gemini_classify;
    o.auth_header = auth;
    l->up = upstream_shared(&o);
    free(auth);
    return 0;
}

static char *task_url(const struct llm *l)
{
    return xasprintf("%s/v1beta/models/%s:generateContent", l->base_url, l->model);
}

static char *task_body(const struct llm *l, const char *task, const char *system,
                       const char *prompt, json_t *schema, int max_tokens)
{
    (void)l;
    (void)task;
    json_t *b =
        json_pack("{s:{s:[{s:s}]}, s:[{s:s, s:[{s:s}]}], s:{s:s, s:O, s:i}}", "systemInstruction",
                  "parts", "text", system, "contents", "role", "user", "parts", "text", prompt,
                  "generationConfig", "responseMimeType", "application/json", "responseJsonSchema",
                  schema, "maxOutputTokens", max_tokens);
    return llm__dump(b);
}

static char *answer_text(json_t *reply, struct llm_usage *u, bool *truncated, char *why, size_t n)
{
    *truncated = false;
    json_t *um = json_object_get(reply, "usageMetadata");
    llm__tokens(u, json_integer_value(json_object_get(um, "promptTokenCount")),
                json_integer_value(json_object_get(um, "candidatesTokenCount")) +
                    json_integer_value(json_object_get(um, "thoughtsTokenCount")));
    const char *block =
        json_string_value(json_object_get(json_object_get(reply, "promptFeedback"), "blockReason"));
    json_t *c = json_array_get(json_object_get(reply, "candidates"), 0);
    if (!c) {
        snprintf(why, n, "no candidate%s%s", block ? ": prompt blocked for " : "",
                 block ? block : "");
        return NULL;
    }
    const char *finish = json_string_value(json_object_get(c, "finishReason"));
    struct buf b;
    buf_init(&b, 0);
    size_t i;
    json_t *part;
    json_array_foreach (json_object_get(json_object_get(c, "content"), "parts"), i, part) {
        if (json_is_true(json_object_get(part, "thought")))
            continue;
        const char *t = json_string_value(json_object_get(part, "text"));
        if (t && buf_puts(&b, t)) {
            buf_release(&b);
            return NULL;
        }
    }
    if (!finish || strcmp(finish, "STOP") != 0) {
        *truncated = finish && strcmp(finish, "MAX_TOKENS") == 0;
        snprintf(why, n, "the answer ended with %s", finish ? finish : "no finish reason");
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b);
}

static char *embed_url(const struct llm *l)
{
    return xasprintf("%s/v1beta/models/%s:batchEmbedContents", l->base_url, l->embed_model);
}

static char *embed_body(const struct llm *l, const char *const *texts, size_t n, bool query)
{
    json_t *reqs = json_array();
    char *model = xasprintf("models/%s", l->embed_model);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(reqs, json_pack("{s:s, s:{s:[{s:s}]}, s:s, s:i}", "model", model,
                                              "content", "parts", "text", texts[i], "taskType",
                                              query ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT",
                                              "outputDimensionality", 768));
    free(model);
    json_t *b = json_pack("{s:o}", "requests", reqs);
    return llm__dump(b);
}

static int embeddings(json_t *reply, size_t n, float *out, size_t *dim, struct err *e)
{
    return llm__vectors("gemini", json_object_get(reply, "embeddings"), "values", false, n, out,
                        dim, e);
}

const struct llm_ops llm__gemini_ops = {
    .name = "gemini",
    .reads = true,
    .open = gemini_open,
    .task_url = task_url,
    .task_body = task_body,
    .answer_text = answer_text,
    .embed_url = embed_url,
    .embed_body = embed_body,
    .embeddings = embeddings,
};
