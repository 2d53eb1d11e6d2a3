/* llm.h: the LLM providers (Gemini generateContent, OpenAI-compatible chat
 * completions: OpenAI, Ollama, llama.cpp, vLLM) and the tasks Prospect gives
 * them, each with a JSON schema.
 *
 * Every answer is constrained by its schema on the wire and validated
 * against it here; an answer that is not valid JSON, breaks the schema or
 * was cut off gets one repair retry, then the caller falls back to the
 * heuristic path. Quotes an LLM offers as evidence are kept only when they
 * are verbatim in the lead's passages. Calls go through upstream.h.
 * Thread: an llm is shared by the threads of a job; usage counters are
 * updated atomically.
 */
#ifndef PROSPECT_LLM_H
#define PROSPECT_LLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config/config.h"
#include "core/err.h"
#include "enrich/enrich.h"
#include "model/request.h"
#include "upstream/upstream.h"

struct llm;

/* llm_choice(cfg, why, n): "heuristic", "gemini" or "openai": the forced
 * PROSPECT_LLM, or with "auto" Gemini when GOOGLE_API_KEY or GEMINI_API_KEY
 * is set, an OpenAI-compatible server when OPENAI_BASE_URL or
 * OPENAI_API_KEY is, else the heuristic analyst. Static string. */
const char *llm_choice(const struct config *cfg, char *why, size_t n);

/* llm_open(cfg, out, e): the chosen backend (gemini, openai, or the
 * heuristic analyst, a backend that reads nothing). CORE_EINVAL when a
 * forced provider lacks its key: *out is then the heuristic analyst. */
int llm_open(const struct config *cfg, struct llm **out, struct err *e)
    __attribute__((warn_unused_result));
void llm_free(struct llm *l);

/* llm_reads(l): whether l is a model that reads pages and answers tasks
 * (false for the heuristic analyst, and NULL). */
bool llm_reads(const struct llm *l);
const char *llm_name(const struct llm *l);
const char *llm_model(const struct llm *l);

struct llm_usage {
    int64_t calls, tokens_in, tokens_out, cache_hits, repairs, failures, embed_calls;
};

/* The most dimensions an embedding may have. */
#define LLM_MAX_DIM 4096

/* llm_embeds(l): whether an embedding model is configured
 * (PROSPECT_EMBED_MODEL) for the provider. */
bool llm_embeds(const struct llm *l);

/* llm_embed(l, cache, texts, n, query, out, dim, u, e): one vector per text,
 * L2-normalised, in order (Gemini batchEmbedContents with task type
 * RETRIEVAL_QUERY or RETRIEVAL_DOCUMENT; OpenAI-compatible /embeddings).
 * *out holds n * *dim floats; the caller frees it. */
int llm_embed(struct llm *l, const struct upstream_cache *cache, const char *const *texts, size_t n,
              bool query, float **out, size_t *dim, struct llm_usage *u, struct err *e)
    __attribute__((warn_unused_result));

/* llm_json(l, cache, task, system, prompt, schema, out, u, e): one task's
 * answer, valid against schema, in *out (new reference). u accumulates
 * usage (may be NULL). Errors: CORE_EUPSTREAM (the provider failed),
 * CORE_EPARSE (no valid answer after the repair retry). */
int llm_json(struct llm *l, const struct upstream_cache *cache, const char *task,
             const char *system, const char *prompt, json_t *schema, json_t **out,
             struct llm_usage *u, struct err *e) __attribute__((warn_unused_result));

/* Called once when an asynchronous task ends: rc as llm_json's, the
 * answer (new reference) or NULL; on a thread of the call pool. */
typedef void (*llm_json_fn)(void *ctx, int rc, json_t *answer);

/* llm_json_async(l, cache, task, system, prompt, schema, u, e, done, ctx):
 * llm_json without a waiting thread; the strings and schema are copied
 * (referenced); cache, u and e must stay valid until done. CORE_EUNSUP
 * at once (done is not called) for the heuristic analyst. */
int llm_json_async(struct llm *l, const struct upstream_cache *cache, const char *task,
                   const char *system, const char *prompt, json_t *schema, struct llm_usage *u,
                   struct err *e, llm_json_fn done, void *ctx) __attribute__((warn_unused_result));

/* ---- the readers of providers' replies, exposed for the fuzz target ---- */

/* llm__answer_text(gemini, reply, u, truncated, why, n): the answer's text
 * of a Gemini generateContent or OpenAI chat/completions reply (the caller
 * frees it); NULL with why when there is none, it was refused, blocked or
 * cut off (*truncated). Counts tokens into u. */
char *llm__answer_text(bool gemini, json_t *reply, struct llm_usage *u, bool *truncated, char *why,
                       size_t n);

/* llm__embeddings(gemini, reply, n, out, dim, e): the n vectors of an
 * embeddings reply into out (room for n * LLM_MAX_DIM floats), each
 * L2-normalised; *dim is fixed by the first vector when 0. CORE_EPARSE for a
 * reply of another shape, count or size (over LLM_MAX_DIM included). */
int llm__embeddings(bool gemini, json_t *reply, size_t n, float *out, size_t *dim, struct err *e);

/* llm_schema_check(schema, v, why, n): 0 when v satisfies schema (the
 * subset the tasks use: type (with "null"), properties, required,
 * additionalProperties false, items, enum, minItems, maxItems, minimum,
 * maximum, maxLength); else -1 with the first problem and its path. */
int llm_schema_check(const json_t *schema, const json_t *v, char *why, size_t n);

/* ---- tasks ---- */

/* llm_queries(l, cache, req, u, out, e): business_context_to_query_agent:
 * 3 to 8 queries of different strategies, as a JSON array of
 * {query, strategy} (new reference). */
int llm_queries(struct llm *l, const struct upstream_cache *cache, const struct request *req,
                struct llm_usage *u, json_t **out, struct err *e)
    __attribute__((warn_unused_result));

/* llm_qualify(l, cache, bc, url, title, snippet, u, fit, reason, e): quick
 * qualification of a search result from its snippet alone: *fit in [0, 1]
 * and a one-line reason (caller frees). */
int llm_qualify(struct llm *l, const struct upstream_cache *cache,
                const struct business_context *bc, const char *url, const char *title,
                const char *snippet, struct llm_usage *u, double *fit, char **reason, struct err *e)
    __attribute__((warn_unused_result));

/* llm_analyse(l, cache, bc, ec, lead, u, r, dropped, e): analysis, scores
 * and insights from the lead's retrieved passages; r (the heuristic result)
 * is updated in place: scores the LLM backs with verbatim quotes replace
 * the heuristic ones, its insights and analysis replace theirs. *dropped
 * counts the quotes that were not verbatim. */
int llm_analyse(struct llm *l, const struct upstream_cache *cache,
                const struct business_context *bc, const struct enrich_context *ec,
                const struct extract_lead *lead, struct llm_usage *u, struct enrich_result *r,
                int *dropped, struct err *e) __attribute__((warn_unused_result));

/* Called once when an asynchronous task ends, with the result the waiting
 * function would return; on a thread of the call pool. */
typedef void (*llm_done_fn)(void *ctx, int rc);

/* llm_qualify_async(...): llm_qualify without a waiting thread; every
 * pointer must stay valid until done. */
int llm_qualify_async(struct llm *l, const struct upstream_cache *cache,
                      const struct business_context *bc, const char *url, const char *title,
                      const char *snippet, struct llm_usage *u, double *fit, char **reason,
                      struct err *e, llm_done_fn done, void *ctx)
    __attribute__((warn_unused_result));

/* llm_analyse_async(...): llm_analyse without a waiting thread: the
 * request is made now (an error then is returned, and done is not called),
 * the answer filed into r before done; lead, ec, r and the other pointers
 * must stay valid until done. */
int llm_analyse_async(struct llm *l, const struct upstream_cache *cache,
                      const struct business_context *bc, const struct enrich_context *ec,
                      const struct extract_lead *lead, struct llm_usage *u, struct enrich_result *r,
                      int *dropped, struct err *e, llm_done_fn done, void *ctx)
    __attribute__((warn_unused_result));

#include "core/banned.h"
#endif
