/* lead.h: a lead read back, from a stored lead ({lead_id, lead_data,
 * final_package, ...}), the CLI's collected events, or a lead event: the
 * one place that walks lead_data and final_package.analyzed_lead, and the
 * one lead-to-CSV-row function every front end uses.
 * Thread: pure functions.
 */
#ifndef PROSPECT_MODEL_LEAD_H
#define PROSPECT_MODEL_LEAD_H

#include <stdbool.h>

#include <jansson.h>

#include "core/buf.h"

/* The fields of a lead; strings and arrays are borrowed from the JSON and
 * valid while it lives; a missing string is "". */
struct lead_view {
    const char *lead_id, *company_name, *website, *industry, *company_size;
    const char *address, *country, *linkedin, *summary, *analyst;
    json_t *emails, *phones; /* arrays, or NULL */
    json_t *intel;           /* final_package.analyzed_lead.ai_intelligence, or NULL */
    bool scored;             /* enriched: the scores below are its */
    double prospect, pain, intent, urgency, icp;
    int qualified; /* 1, 0, or -1 when the lead does not say */
};

/* lead_view(lead, out): reads lead (borrowed). */
void lead_view(const json_t *lead, struct lead_view *out);

/* lead_csv_header(b) / lead_csv_row(lead, b): the CSV of leads (RFC 4180,
 * CRLF-free: a line per row): company, website, industry, size, the first
 * e-mail and phone, address, country, LinkedIn, the five scores and the
 * summary. 0 or CORE_ETOOBIG (b's cap). */
int lead_csv_header(struct buf *b) __attribute__((warn_unused_result));
int lead_csv_row(const json_t *lead, struct buf *b) __attribute__((warn_unused_result));

#include "core/banned.h"
#endif
