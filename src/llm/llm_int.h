/* llm_int.h: what the LLM backends share: the handle and the ops table a
 * backend fills (one file each: gemini.c, openai.c, heuristic.c). */
#ifndef PROSPECT_LLM_INT_H
#define PROSPECT_LLM_INT_H

#include <stdbool.h>

#include <jansson.h>

#include "llm/llm.h"

struct llm_ops;

struct llm {
    const struct llm_ops *ops;
    char *model, *base_url, *embed_model;
    bool openai_api;     /* api.openai.com: max_completion_tokens, not max_tokens */
    struct upstream *up; /* NULL for the heuristic analyst */
    int64_t ttl_s;
};

struct llm_ops {
    const char *name;
    /* a model that reads pages and answers tasks; false: the heuristic
     * analyst, whose verdict is enrich's, and which has no call below */
    bool reads;
    /* fills l (model, base URL, the upstream with its key); CORE_EINVAL
     * when the key it needs is missing */
    int (*open)(const struct config *cfg, struct llm *l, struct err *e);
    /* a task: its URL and body (the caller frees both) */
    char *(*task_url)(const struct llm *l);
    char *(*task_body)(const struct llm *l, const char *task, const char *system,
                       const char *prompt, json_t *schema, int max_tokens);
    /* the reply's answer text (the caller frees it), or NULL with why */
    char *(*answer_text)(json_t *reply, struct llm_usage *u, bool *truncated, char *why, size_t n);
    /* embeddings: the URL and body of a batch, and the reply's vectors */
    char *(*embed_url)(const struct llm *l);
    char *(*embed_body)(const struct llm *l, const char *const *texts, size_t n, bool query);
    int (*embeddings)(json_t *reply, size_t n, float *out, size_t *dim, struct err *e);
};

extern const struct llm_ops llm__gemini_ops, llm__openai_ops, llm__heuristic_ops;

/* llm__dump(b): a request body's compact JSON (the caller frees it); b is
 * taken. */
char *llm__dump(json_t *b);

/* llm__tokens(u, in, out): counts a reply's tokens into u. */
void llm__tokens(struct llm_usage *u, int64_t in, int64_t out);

/* llm__vectors(name, list, field, index, n, out, dim, e): the n vectors of
 * an embeddings reply's list (each item's field; index: whether items say
 * which input they are for), L2-normalised into out. */
int llm__vectors(const char *name, json_t *list, const char *field, bool index, size_t n,
                 float *out, size_t *dim, struct err *e);

#include "core/banned.h"
#endif
