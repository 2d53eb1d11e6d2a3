/* pipeline.h: one prospecting job, end to end: intake, query generation,
 * search, fetch, extraction, lead assembly, enrichment, end. The only module
 * that knows the order of the stages.
 *
 * A job emits events through a sink, numbered from 1 in a consistent order:
 * pipeline_start first; for each lead lead_generated, then
 * lead_enrichment_start, then lead_enrichment_end; pipeline_end or
 * pipeline_error last. A lead is emitted as soon as its own pages are
 * extracted, and enriched at once. Stages that fail fall back and say so in
 * a status_update; only a job that can produce nothing ends in
 * pipeline_error. Budgets (search calls, fetches, LLM tokens, wall time) and
 * cancellation end a job gracefully with the leads found so far.
 * Thread: a job runs on the calling thread; its sites (up to
 * PROSPECT_SITE_CONCURRENCY at once) are read on the process's fixed pools
 * and its fetches run on the process's I/O engine, so many jobs at once
 * add no threads but their own. Each job has its own store handle. The
 * sink is called from any thread, one call at a time.
 */
#ifndef PROSPECT_PIPELINE_H
#define PROSPECT_PIPELINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "config/config.h"
#include "model/event.h"
#include "model/request.h"
#include "store/store.h"

/* Receives every event of a job, in order. ev is borrowed for the call;
 * seq starts at 1. Called on the job's thread. */
typedef void (*pipeline_emit_fn)(void *ctx, int64_t seq, enum event_type type, json_t *ev);

struct pipeline_budget {
    int64_t search_calls; /* queries sent to the search provider */
    int64_t fetches;      /* pages fetched (or read from the corpus) */
    int64_t seconds;      /* wall time */
    int64_t llm_tokens;   /* LLM tokens in and out; 0: no limit */
};

struct pipeline_options {
    const struct config *cfg; /* borrowed for the run */
    struct store *store;      /* borrowed: the corpus, for the local provider */
    pipeline_emit_fn emit;
    void *emit_ctx;
    volatile sig_atomic_t *cancel; /* non-zero: stop at the next step (may be NULL) */
    struct pipeline_budget budget;
    int64_t now_ms; /* 0: the clock; tests fix it for recency */
    bool resume;    /* continue the job stored in store (after a restart) */
};

/* pipeline_budget_from_config(cfg, out): the configured budgets. */
void pipeline_budget_from_config(const struct config *cfg, struct pipeline_budget *out);

/* pipeline_run(req, opt): runs the job to its end. With opt->resume, the
 * job's stored events are read first: numbering continues after the last
 * one, pipeline_start is not sent again, the stored queries are reused, and
 * sites whose lead was finished are not read again; a lead cut off between
 * its events is completed (or ended with success false when its site can
 * no longer be read), so each lead still has its three events. Returns 0 when the job
 * ended with pipeline_end (even with fewer leads than asked), CORE_ECANCELED
 * when it was cancelled (it still ended with pipeline_end), or the error
 * that ended it in pipeline_error (CORE_ENOTFOUND: nothing found; ...).
 *
 * A request with companies is a job of those alone, with no search: each
 * company's site is read (the corpus first, else the web), and each has its
 * three lead events in the order given, whatever its score. A company that
 * gives no lead still has them: a lead named by its domain, and a
 * lead_enrichment_end with success false, error_type (unreachable, blocked,
 * not_a_company_site, competitor, excluded, duplicate, stopped) and
 * error_message. Such a job ends in pipeline_end. */
int pipeline_run(const struct request *req, const struct pipeline_options *opt);

/* Pages of the page cache (PROSPECT_PAGE_TTL_S) in this process: served
 * from the store, confirmed by a 304, fetched, stored, and not stored
 * (Cache-Control: no-store or private); pages extracted, and extractions
 * another job's reading of the same page spared. */
struct pipeline_page_stats {
    int64_t hits, revalidated, fetched, stored, not_stored;
    int64_t extracted, extract_shared;
};
void pipeline_page_stats(struct pipeline_page_stats *out);

#include "core/banned.h"
#endif
