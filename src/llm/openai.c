/* openai.c: the OpenAI-compatible backend (OpenAI, Ollama, llama.cpp,
 * vLLM): chat completions with a strict json_schema response_format,
 * /embeddings, and an exhausted quota's 429 read as final. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "llm/llm_int.h"

#define DEFAULT_MODEL "gpt-4.1-mini"

/* OpenAI: a 429 for an exhausted quota is billing, not load. */
static enum upstream_verdict openai_classify(long status, const char *body, int64_t *delay_ms)
{
    if (status == 429 && body && strstr(body, "insufficient_quota"))
        return UPSTREAM_FINAL;
    return upstream_classify_http(status, body, delay_ms);
}

static int openai_open(const struct config *cfg, struct llm *l, struct err *e)
{
    (void)e;
    l->model = xstrdup(*cfg->llm_model ? cfg->llm_model : DEFAULT_MODEL);
    l->base_url =
        xstrdup(*cfg->openai_base_url ? cfg->openai_base_url : "https://api.openai.com/v1");
    l->openai_api = strstr(l->base_url, "api.openai.com") != NULL;
    struct upstream_options o;
    upstream_options_from_config(cfg, "openai", (int)cfg->llm_rpm, &o);
    /* Ollama ignores the key and llama.cpp may not need one; send one only
     * when there is one. */
    char *auth =
        *cfg->openai_api_key ? xasprintf("Authorization: Bearer %s", cfg->openai_api_key) : NULL;
    o.secret = cfg->openai_api_key;
    o.classify = openai_classify;
    o.auth_header = auth;
    l->up = upstream_shared(&o);
    free(auth);
    return 0;
}

static char *task_url(const struct llm *l)
{
    return xasprintf("%s/chat/completions", l->base_url);
}

static char *task_body(const struct llm *l, const char *task, const char *system,
                       const char *prompt, json_t *schema, int max_tokens)
{
    /* temperature is always sent: Ollama would force 1.0 otherwise. */
    json_t *b =
        json_pack("{s:s, s:f, s:[{s:s, s:s}, {s:s, s:s}], s:{s:s, s:{s:s, s:b, s:O}}}", "model",
                  l->model, "temperature", 0.2, "messages", "role", "system", "content", system,
                  "role", "user", "content", prompt, "response_format", "type", "json_schema",
                  "json_schema", "name", task, "strict", 1, "schema", schema);
    json_object_set_new(b, l->openai_api ? "max_completion_tokens" : "max_tokens",
                        json_integer(max_tokens));
    return llm__dump(b);
}

static char *answer_text(json_t *reply, struct llm_usage *u, bool *truncated, char *why, size_t n)
{
    *truncated = false;
    json_t *um = json_object_get(reply, "usage");
    llm__tokens(u, json_integer_value(json_object_get(um, "prompt_tokens")),
                json_integer_value(json_object_get(um, "completion_tokens")));
    json_t *c = json_array_get(json_object_get(reply, "choices"), 0);
    json_t *msg = json_object_get(c, "message");
    const char *refusal = json_string_value(json_object_get(msg, "refusal"));
    const char *finish = json_string_value(json_object_get(c, "finish_reason"));
    const char *content = json_string_value(json_object_get(msg, "content"));
    if (refusal) {
        snprintf(why, n, "the model refused: %.120s", refusal);
        return NULL;
    }
    if (finish && strcmp(finish, "length") == 0) {
        *truncated = true;
        snprintf(why, n, "the answer was cut off at the token limit");
        return NULL;
    }
    if (!content) {
        snprintf(why, n, "no content in the answer");
        return NULL;
    }
    return xstrdup(content);
}

static char *embed_url(const struct llm *l)
{
    return xasprintf("%s/embeddings", l->base_url);
}

static char *embed_body(const struct llm *l, const char *const *texts, size_t n, bool query)
{
    (void)query;
    json_t *in = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(in, json_string(texts[i]));
    json_t *b = json_pack("{s:s, s:o, s:s}", "model", l->embed_model, "input", in,
                          "encoding_format", "float");
    return llm__dump(b);
}

static int embeddings(json_t *reply, size_t n, float *out, size_t *dim, struct err *e)
{
    /* OpenAI-compatible servers say which input each vector is for. */
    return llm__vectors("openai", json_object_get(reply, "data"), "embedding", true, n, out, dim,
                        e);
}

const struct llm_ops llm__openai_ops = {
    .name = "openai",
    .reads = true,
    .open = openai_open,
    .task_url = task_url,
    .task_body = task_body,
    .answer_text = answer_text,
    .embed_url = embed_url,
    .embed_body = embed_body,
    .embeddings = embeddings,
};
