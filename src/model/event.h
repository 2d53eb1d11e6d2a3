/* event.h: the pipeline's events (DESIGN.md section 1.1) and their SSE framing.
 *
 * One constructor per event type; each produces exactly the seed's field set
 * (event_type, timestamp, job_id, user_id, then the type's own fields) plus
 * the optional extensions named in its contract. Constructors return a new
 * jansson reference owned by the caller. Thread: any.
 */
#ifndef PROSPECT_MODEL_EVENT_H
#define PROSPECT_MODEL_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "model/lead.h"

enum event_type {
    EVENT_PIPELINE_START,
    EVENT_STATUS_UPDATE,
    EVENT_LEAD_GENERATED,
    EVENT_LEAD_ENRICHMENT_START,
    EVENT_LEAD_ENRICHMENT_END,
    EVENT_PIPELINE_END,
    EVENT_PIPELINE_ERROR,
    EVENT_NTYPES
};

/* The seed's agent names, kept so that its webapp keeps working. */
#define EVENT_AGENT_QUERY "business_context_to_query_agent"
#define EVENT_AGENT_HARVESTER "ADK1HarvesterAgent"

/* What every event carries. Strings are borrowed for the call. */
struct event_head {
    const char *job_id;
    const char *user_id;
    int64_t ts_ms; /* epoch milliseconds, rendered as ISO 8601 UTC */
};

/* The lead_data of lead_generated. Strings may be NULL (rendered as "").
 * people (borrowed, may be NULL: the key is left out) goes in
 * adk1_enrichment beside the seed's fields. */
struct event_lead {
    const char *company_name;
    const char *website;
    const char *description;
    const char *industry;
    const char *company_size;
    const char *const *emails;
    size_t nemails;
    const char *const *phones;
    size_t nphones;
    const char *qualification_summary;
    json_t *people; /* [{name, title, seniority, department, email, ...}] */
};

/* The seed's four scores of lead_enrichment_end; each is clamped to [0, 1]. */
struct event_scores {
    double prospect;
    double buying_intent;
    double pain_alignment;
    double urgency;
    const char *const *insights;
    size_t ninsights;
};

/* The counts of pipeline_end. */
struct event_counts {
    int64_t leads_generated;
    int64_t leads_enriched;
    int64_t leads_failed;
    int64_t duration_ms;
};

/* event_type_name(t): the wire name ("lead_generated"). Static string. */
const char *event_type_name(enum event_type t);

/* event_type_parse(name, out): 0, or CORE_EINVAL for an unknown name. */
int event_type_parse(const char *name, enum event_type *out) __attribute__((warn_unused_result));

json_t *event_pipeline_start(const struct event_head *h, const char *initial_query,
                             int max_leads_to_generate);

/* stage may be NULL; progress < 0 means unknown (the field is left out). */
json_t *event_status_update(const struct event_head *h, const char *message, const char *stage,
                            double progress);

/* extra (stolen, may be NULL) is merged into lead_data: fields a later
 * issue adds (provenance, address, social) without changing the seed's. */
json_t *event_lead_generated(const struct event_head *h, const char *lead_id,
                             const struct event_lead *lead, const char *source_url,
                             const char *agent_name, json_t *extra);

json_t *event_lead_enrichment_start(const struct event_head *h, const char *lead_id);

/* extra (stolen, may be NULL) is merged into final_package.analyzed_lead;
 * extra_intel (stolen, may be NULL) into its ai_intelligence. */
json_t *event_lead_enrichment_end(const struct event_head *h, const char *lead_id, bool success,
                                  const char *company_name, const struct event_scores *scores,
                                  json_t *extra, json_t *extra_intel);

/* summary (stolen, may be NULL) is added as "summary". */
json_t *event_pipeline_end(const struct event_head *h, bool success,
                           const struct event_counts *counts, json_t *summary);

json_t *event_pipeline_error(const struct event_head *h, const char *error_message,
                             const char *error_type, const char *stage);

/* A stored event read back (the job's log): its type and the fields the
 * log's readers use. Strings and arrays are borrowed from root. */
struct event_view {
    enum event_type type;
    json_t *root;                            /* owned */
    const char *lead_id, *stage, *timestamp; /* "" when absent */
    json_t *queries, *sites;                 /* a status_update's, or NULL */
    bool success;                            /* a lead_enrichment_end's or pipeline_end's */
    struct lead_view lead;                   /* a lead event's lead (final_package and all) */
};

/* event_view_decode(type, data, out): reads one stored event. CORE_EINVAL
 * for an unknown type, CORE_EPARSE for data that is not a JSON object;
 * release out with event_view_release either way. */
int event_view_decode(const char *type, const char *data, struct event_view *out)
    __attribute__((warn_unused_result));
void event_view_release(struct event_view *v);

/* event_dump(ev): compact one-line JSON; the caller frees it. */
char *event_dump(const json_t *ev);

/* event_sse_frame(out, id, type, data): appends one SSE event:
 * "id: <id>\nevent: <type>\ndata: <line>\n...\n". Each line of data (split on
 * CRLF, CR or LF) gets its own data: line; CR/LF in type are dropped. id < 0
 * leaves the id line out. 0 or CORE_ETOOBIG (out's cap). */
int event_sse_frame(struct buf *out, int64_t id, const char *type, const char *data)
    __attribute__((warn_unused_result));

/* event_sse_comment(out, text): appends ": <text>\n\n" (keep-alive); text's
 * line breaks become spaces. 0 or CORE_ETOOBIG. */
int event_sse_comment(struct buf *out, const char *text) __attribute__((warn_unused_result));

#include "core/banned.h"
#endif
