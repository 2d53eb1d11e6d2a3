/* enrich.h: lead intelligence without an LLM: evidence-backed scores,
 * analysis, insights and the final package of lead_enrichment_end.
 *
 * A lead's page texts are split into sentence passages that keep their URL
 * and character offsets. Each pain point, the value proposition and the
 * ideal customer retrieve their best passages (BM25 over the lead's own
 * passages, stemmed, expanded with the context's terms; an embedding
 * provider can add dense similarity through enrich_dense_fn without changing
 * callers). Signals found in passages give four scores in [0, 1] (pain
 * alignment, buying intent, urgency, ICP fit) and their weighted mix,
 * prospect_score. Every score lists its evidence: a quote that is a
 * verbatim substring of its page's text, the page's URL and the signal; a
 * score without evidence is low, never explained by invention.
 * docs/scoring.md documents every signal, weight and threshold.
 * Thread: an enrich_context is read-only once built and may be shared.
 */
#ifndef PROSPECT_ENRICH_H
#define PROSPECT_ENRICH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "extract/extract.h"
#include "model/request.h"

/* Optional dense similarity: fills sims[i] in [0, 1] for each passage
 * against the query, 0 on success. NULL in the context: lexical only. */
typedef int (*enrich_dense_fn)(void *ctx, const char *query, const char *const *passages, size_t n,
                               double *sims);

struct enrich_weights {
    double pain, intent, urgency, icp; /* normalised to sum 1 */
    double qualify;                    /* prospect_score threshold of "qualified" */
};

struct enrich_context;

/* enrich_context_new(bc, w, now_ms): what scoring needs from a business
 * context (stems of each pain point, competitors, industries, size range,
 * countries), computed once per job. now_ms dates recency. The caller frees
 * it with enrich_context_free; bc and w are copied. */
struct enrich_context *enrich_context_new(const struct business_context *bc,
                                          const struct enrich_weights *w, int64_t now_ms);
void enrich_context_free(struct enrich_context *ctx);

/* enrich_context_set_dense(ctx, fn, data): adds dense similarity. */
void enrich_context_set_dense(struct enrich_context *ctx, enrich_dense_fn fn, void *data);

struct enrich_evidence {
    char *quote;  /* verbatim from the page's text, or NULL (signal from markup) */
    char *url;    /* the page */
    char *signal; /* "pain:Manual data entry", "hiring", "competitor_technology:HubSpot", ... */
    char *detail; /* for a NULL quote: what was seen */
    char *shows;  /* what it shows, in words ("its trade is ..."), or NULL: said by its signal */
};

struct enrich_score {
    double value; /* [0, 1] */
    struct enrich_evidence *ev;
    size_t nev;
};

struct enrich_result {
    struct enrich_score pain, intent, urgency, icp;
    double prospect;
    double industry_fit; /* how near the lead's trade is to the kinds of customer
                            named, in [0, 1]; -1 when its trade is unknown */
    bool qualified;
    char **insights; /* 2 to 5 sentences, each from evidence */
    size_t ninsights;
    char *summary;    /* one line for lead_generated's qualification_summary */
    json_t *analysis; /* {sector, services[], challenges[]}; owned */
};

/* enrich_lead(ctx, lead, out): scores one lead. Deterministic. Release out
 * with enrich_result_release. */
void enrich_lead(const struct enrich_context *ctx, const struct extract_lead *lead,
                 struct enrich_result *out);
void enrich_result_release(struct enrich_result *r);

/* enrich_summary(ctx, lead): the one-line qualification summary from the
 * lead's own data, before enrichment (for lead_generated); caller frees. */
char *enrich_summary(const struct enrich_context *ctx, const struct extract_lead *lead);

/* enrich_package(lead, r): the fields analyzed_lead gains beyond the seed's
 * (website, industry, company_size, location, contacts, technologies,
 * analysis) and those ai_intelligence gains (icp_fit_score, evidence):
 * *lead_extra and *intel_extra are new references. */
void enrich_package(const struct extract_lead *lead, const struct enrich_result *r,
                    json_t **lead_extra, json_t **intel_extra);

/* ---- the LLM path: retrieval, evidence, rescoring ---- */

/* enrich_evidence_put(s, quote, url, signal): puts a quote first among s's
 * evidence (the caller has checked it is verbatim in url's text); the
 * weakest evidence goes when the list is full. */
void enrich_evidence_put(struct enrich_score *s, const char *quote, const char *url,
                         const char *signal);

/* enrich_rescore(ctx, r): prospect_score and qualified again from the four
 * scores (after an analyst changed them). */
void enrich_rescore(const struct enrich_context *ctx, struct enrich_result *r);

/* ---- passages and retrieval (exposed for tests and the LLM path) ---- */

struct enrich_passage {
    const char *url;   /* borrowed from the lead */
    const char *text;  /* the page's text (borrowed) */
    size_t start, end; /* the passage is text[start, end) */
};

struct enrich_passages {
    struct enrich_passage *v;
    size_t n;
};

/* enrich_split(lead, out): the sentence passages of every page text. */
void enrich_split(const struct extract_lead *lead, struct enrich_passages *out);
void enrich_passages_release(struct enrich_passages *p);

/* enrich_retrieve(ctx, ps, k, idx): the indices of at most k passages of ps
 * most relevant to the context (its pain points, what the user sells, the
 * ideal customer), best first, plus the opening passages of the first page
 * (who the company is); returns how many. */
size_t enrich_retrieve(const struct enrich_context *ctx, const struct enrich_passages *ps, size_t k,
                       size_t *idx);

#include "core/banned.h"
#endif
