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
    const char *site; /* the registrable domain, bare ("acme.co.uk") */
    const char *description, *founded, *naics, *source_url;
    const char *street, *city, *region, *postal_code, *address_country; /* the address's parts */
    const char *evidence, *evidence_url; /* the quote behind the highest score, and its page */
    const char *attribution;             /* the credit its source's data needs ("" none) */
    char found_by[128];                  /* the search providers that found it, "; "-joined */
    char email_status[1024];             /* "a@b.com: valid; c@d.com: risky" */
    json_t *emails, *phones;             /* arrays, or NULL */
    const char *email, *phone;           /* the first of each, "" when none */
    json_t *people;                      /* adk1_enrichment.people, or NULL */
    /* The contact a CRM row names: the most senior of its people (owner,
     * c_level, vp, director, manager, staff, then those without a title),
     * the first named among equals; a one-word name is a last name, which
     * Salesforce requires. Its own address only, never a guessed one. */
    const char *contact_name, *contact_first, *contact_last, *contact_title, *contact_seniority;
    const char *contact_email, *contact_linkedin;
    char domain[256]; /* bare: no scheme, "www." or path (the site, else the website's) */
    json_t *intel;    /* final_package.analyzed_lead.ai_intelligence, or NULL */
    bool scored;      /* enriched: the scores below are its */
    double prospect, pain, intent, urgency, icp;
    int qualified; /* 1, 0, or -1 when the lead does not say */
};

/* lead_view(lead, out): reads lead (borrowed). */
void lead_view(const json_t *lead, struct lead_view *out);

/* The CSV profiles: the columns a CRM's import takes as they are, then
 * Prospect's own. */
enum lead_csv_profile {
    LEAD_CSV_PROSPECT,   /* every field */
    LEAD_CSV_HUBSPOT,    /* HubSpot's company and contact import labels */
    LEAD_CSV_SALESFORCE, /* Salesforce's Account and Contact import labels */
};

/* lead_csv_profile_parse(name, out): "prospect", "hubspot", "salesforce";
 * CORE_EINVAL for another name. */
int lead_csv_profile_parse(const char *name, enum lead_csv_profile *out)
    __attribute__((warn_unused_result));

/* lead_csv_header(profile, b) / lead_csv_row(profile, lead, b): the CSV of
 * leads (RFC 4180, a line per row). A profile's CRM columns end with its
 * contact's (lead_view's contact_*: first and last name, title, e-mail;
 * seniority and LinkedIn in Prospect's profile). After them come
 * Prospect's: the five scores, qualified, every e-mail and phone joined
 * with "; " (and each address's status), the strongest evidence and its
 * page, the source URL, the
 * search providers that found it and the credit their data needs
 * (OpenStreetMap's). Domains are bare. 0 or CORE_ETOOBIG (b's cap). */
int lead_csv_header(enum lead_csv_profile profile, struct buf *b)
    __attribute__((warn_unused_result));
int lead_csv_row(enum lead_csv_profile profile, const json_t *lead, struct buf *b)
    __attribute__((warn_unused_result));

#include "core/banned.h"
#endif
