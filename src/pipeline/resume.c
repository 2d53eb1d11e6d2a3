/* resume.c: a job resumed after a restart: the events it stored before
 * (its queries, its leads and how far each got), so that nothing is sent
 * twice and every lead still ends with its three events. */
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

void pipeline__lead_id_of(const struct site *s, char *out, size_t n)
{
    size_t k = (size_t)snprintf(out, n, "lead_");
    for (const char *p = s->site; *p && k + 1 < n; p++)
        out[k++] = isalnum((unsigned char)*p) ? *p : '-';
    out[k] = '\0';
    if (s->dup_of && k < n) /* a company given twice: its second row is its own */
        snprintf(out + k, n - k, "-%d", s->best_rank);
}

/* ---- resuming ---- */

/* The stored stage of a resumed lead: 0 (none), 1 generated, 2 started, 3
 * ended; *slot indexes it. */
int pipeline__resumed_stage(const struct job *j, const char *lead_id, size_t *slot)
{
    for (size_t i = 0; i < j->nresumed; i++)
        if (strcmp(j->resumed_ids[i], lead_id) == 0) {
            if (slot)
                *slot = i;
            return j->resumed_stage[i];
        }
    return 0;
}

int pipeline__site_stage(struct job *j, const struct site *s)
{
    if (!j->nresumed)
        return 0;
    char lead_id[160];
    pipeline__lead_id_of(s, lead_id, sizeof lead_id);
    pthread_mutex_lock(&j->lock);
    int stage = pipeline__resumed_stage(j, lead_id, NULL);
    pthread_mutex_unlock(&j->lock);
    return stage;
}

static int load_event(void *ctx, int64_t seq, const char *type, const char *data)
{
    struct job *j = ctx;
    j->seq = seq;
    struct event_view v;
    if (event_view_decode(type, data, &v)) { /* not ours to judge: skipped */
        event_view_release(&v);
        return 0;
    }
    const char *lead_id = v.lead_id;
    size_t slot = 0;
    bool status = v.type == EVENT_STATUS_UPDATE;
    if (status && !strcmp(v.stage, "queries") && v.queries && !j->stored_queries) {
        j->stored_queries = json_incref(v.queries);
    } else if (status && !strcmp(v.stage, "search") && v.sites) {
        json_decref(j->stored_sites); /* each round's list holds the one before */
        j->stored_sites = json_incref(v.sites);
        j->stored_rounds++;
    } else if (*lead_id && v.type == EVENT_LEAD_GENERATED &&
               !pipeline__resumed_stage(j, lead_id, NULL)) {
        j->resumed_ids = xrealloc(j->resumed_ids, (j->nresumed + 1) * sizeof *j->resumed_ids);
        j->resumed_stage = xrealloc(j->resumed_stage, (j->nresumed + 1) * sizeof(int));
        j->resumed_ids[j->nresumed] = xstrdup(lead_id);
        j->resumed_stage[j->nresumed++] = 1;
        j->leads++;
    } else if (*lead_id && v.type == EVENT_LEAD_ENRICHMENT_START &&
               pipeline__resumed_stage(j, lead_id, &slot) == 1) {
        j->resumed_stage[slot] = 2;
    } else if (*lead_id && v.type == EVENT_LEAD_ENRICHMENT_END &&
               pipeline__resumed_stage(j, lead_id, &slot) == 2) {
        j->resumed_stage[slot] = 3;
        if (v.success) {
            j->enriched++;
            j->qualified += v.lead.prospect >= (double)j->opt->cfg->qualify_threshold / 100.0;
            if (*v.lead.analyst && strcmp(v.lead.analyst, "heuristic") != 0)
                j->leads_llm++;
            else
                j->leads_heuristic++;
        } else {
            j->failed++;
        }
    }
    event_view_release(&v);
    return 0;
}

/* Reads what a resumed job stored; false when it stored nothing (it starts
 * afresh). */
bool pipeline__load_resumed(struct job *j)
{
    struct err e = {0};
    if (store_events_after(j->opt->store, j->req->job_id, 0, load_event, j, &e)) {
        log_error("could not read a resumed job's events", LOG_S("job_id", j->req->job_id),
                  LOG_S("error", e.msg));
        return false;
    }
    return j->seq > 0;
}

/* A resumed lead whose site gave nothing this time: its missing events,
 * ending in lead_enrichment_end with success false. */
void pipeline__end_resumed_lead(struct job *j, size_t slot, const char *why)
{
    const char *lead_id = j->resumed_ids[slot];
    struct event_head h = pipeline__head(j);
    if (j->resumed_stage[slot] < 2) {
        json_t *start = event_lead_enrichment_start(&h, lead_id);
        json_object_set_new(start, "agent_name", json_string("ProspectIntelligenceAgent"));
        pipeline__emit(j, EVENT_LEAD_ENRICHMENT_START, start);
    }
    struct event_scores sc = {0};
    json_t *end = event_lead_enrichment_end(&h, lead_id, false, "", &sc, NULL, NULL);
    json_object_set_new(end, "agent_name", json_string("ProspectIntelligenceAgent"));
    json_object_set_new(end, "error_type", json_string("unreachable"));
    json_object_set_new(end, "error_message", json_string(why));
    pthread_mutex_lock(&j->lock);
    j->resumed_stage[slot] = 3;
    j->failed++;
    pthread_mutex_unlock(&j->lock);
    pipeline__emit(j, EVENT_LEAD_ENRICHMENT_END, end);
}
