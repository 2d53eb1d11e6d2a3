/* summary.c: the parts every event of a job shares (numbering, status
 * updates, fallbacks said once) and the summary that pipeline_end carries. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "pipeline/pipeline_int.h"

const char *const pipeline__stage_names[ST_N] = {"queries", "search", "fetch", "extract", "enrich"};

struct event_head pipeline__head(const struct job *j)
{
    return (struct event_head){j->req->job_id, j->req->user_id, clock_now_ms()};
}

void pipeline__emit(struct job *j, enum event_type t, json_t *ev)
{
    pthread_mutex_lock(&j->ev_lock);
    j->seq++;
    if (j->opt->emit)
        j->opt->emit(j->opt->emit_ctx, j->seq, t, ev);
    pthread_mutex_unlock(&j->ev_lock);
    json_decref(ev);
}

double pipeline__progress(const struct job *j)
{
    int want = j->want;
    int have = __atomic_load_n(&j->leads, __ATOMIC_RELAXED);
    double p = 0.15 + 0.8 * (double)(have < want ? have : want) / (double)want;
    return p > 0.95 ? 0.95 : p;
}

void pipeline__status(struct job *j, const char *stage, double prog, json_t *extra, const char *fmt,
                      ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct event_head h = pipeline__head(j);
    json_t *ev = event_status_update(&h, msg, stage, prog);
    if (extra) {
        const char *k;
        json_t *v;
        json_object_foreach (extra, k, v)
            json_object_set(ev, k, v);
        json_decref(extra);
    }
    pipeline__emit(j, EVENT_STATUS_UPDATE, ev);
}

void pipeline__degrade(struct job *j, const char *stage, const char *what, const char *fallback)
{
    pthread_mutex_lock(&j->lock);
    json_array_append_new(j->degradations, json_pack("{s:s, s:s, s:s}", "stage", stage, "what",
                                                     what, "fallback", fallback));
    pthread_mutex_unlock(&j->lock);
    pipeline__status(j, stage, -1, json_pack("{s:b}", "degraded", 1), "%s; %s", what, fallback);
}

json_t *pipeline__summary(struct job *j, int64_t duration)
{
    json_t *timings = json_object();
    for (int s = 0; s < ST_N; s++)
        json_object_set_new(timings, pipeline__stage_names[s], json_integer(j->stage_ms[s]));
    json_t *fetch = json_object();
    for (int s = 0; s < FETCH_NSTATUS; s++)
        json_object_set_new(fetch, fetch_status_name((enum fetch_status)s),
                            json_integer(j->fetch_status[s]));
    json_object_set_new(fetch, "read_by_provider", json_integer(j->provider_pages));
    double credits = 0;
    int64_t search_hits = 0;
    if (j->search)
        search_usage(j->search, &credits, &search_hits);
    const struct llm_usage *u = &j->usage;
    json_t *sum = json_pack(
        "{s:i, s:i, s:i, s:i, s:o, s:o, s:{s:s, s:I, s:f, s:I}, "
        "s:{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:{s:i, s:i, s:i}, s:i, s:I, s:o, s:o, "
        "s:s*, s:I}",
        "leads_requested", j->want, "leads_qualified", j->qualified, "sites_considered",
        (int)j->next, "sites_skipped", j->skipped, "stage_ms", timings, "fetches", fetch, "search",
        "provider", j->search ? search_provider_name(j->search) : "none", "calls",
        (json_int_t)j->search_calls, "credits", credits, "cache_hits", (json_int_t)search_hits,
        "llm", "provider", llm_name(j->llm), "model", llm_model(j->llm), "calls",
        (json_int_t)u->calls, "tokens_in", (json_int_t)u->tokens_in, "tokens_out",
        (json_int_t)u->tokens_out, "cache_hits", (json_int_t)u->cache_hits, "repairs",
        (json_int_t)u->repairs, "failures", (json_int_t)u->failures, "embed_calls",
        (json_int_t)u->embed_calls, "leads_by_path", "llm", j->leads_llm, "heuristic",
        j->leads_heuristic, "snippet", j->leads_from_snippet, "quotes_dropped", j->quotes_dropped,
        "cache_hits", (json_int_t)(search_hits + u->cache_hits), "degradations",
        json_incref(j->degradations), "queries", json_incref(j->queries), "stopped_by",
        j->stopped_by, "duration_ms", (json_int_t)duration);
    if (sum && j->given) /* the user's own list */
        json_object_set_new(sum, "companies", json_integer((json_int_t)j->nsites));
    if (sum && j->nexclusions) /* what the user's own list kept out */
        json_object_set_new(sum, "sites_excluded",
                            json_integer(__atomic_load_n(&j->excluded, __ATOMIC_RELAXED)));
    if (!sum) { /* a format mistake must not lose pipeline_end */
        log_error("job summary could not be built", LOG_S("job_id", j->req->job_id));
        sum = json_object();
    }
    return sum;
}
