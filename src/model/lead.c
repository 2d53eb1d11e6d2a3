/* lead.c: reading a lead's JSON back (lead.h), and its CSV row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "model/lead.h"

static const char *str_of(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static double num_of(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

void lead_view(const json_t *lead, struct lead_view *out)
{
    memset(out, 0, sizeof *out);
    json_t *d = json_object_get(lead, "lead_data");
    json_t *x = json_object_get(d, "adk1_enrichment");
    json_t *an = json_object_get(json_object_get(lead, "final_package"), "analyzed_lead");
    json_t *ai = json_object_get(an, "ai_intelligence");
    out->lead_id = str_of(lead, "lead_id");
    out->company_name = str_of(d, "company_name");
    out->website = str_of(d, "website");
    out->industry = str_of(x, "industry");
    out->company_size = str_of(x, "company_size");
    out->address = str_of(d, "address");
    out->country = str_of(d, "country");
    out->linkedin = str_of(json_object_get(d, "social"), "linkedin");
    out->emails = json_object_get(x, "contact_emails");
    out->phones = json_object_get(x, "contact_phones");
    out->intel = ai;
    out->analyst = str_of(ai, "analyst");
    out->scored = json_is_number(json_object_get(ai, "prospect_score"));
    out->prospect = num_of(ai, "prospect_score");
    out->pain = num_of(ai, "pain_alignment_score");
    out->intent = num_of(ai, "buying_intent_score");
    out->urgency = num_of(ai, "urgency_score");
    out->icp = num_of(ai, "icp_fit_score");
    json_t *q = json_object_get(an, "qualified");
    out->qualified = json_is_boolean(q) ? json_is_true(q) : -1;
    out->summary = str_of(ai, "qualification_summary");
    if (!*out->summary)
        out->summary = str_of(x, "qualification_summary");
}

static int field(struct buf *b, const char *s, bool last)
{
    int rc = 0;
    if (strpbrk(s, ",\"\n\r")) {
        rc |= buf_putc(b, '"');
        for (const char *c = s; *c; c++)
            rc |= *c == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *c);
        rc |= buf_putc(b, '"');
    } else {
        rc |= buf_puts(b, s);
    }
    return rc | buf_putc(b, last ? '\n' : ',');
}

static const char *first(const json_t *a)
{
    const json_t *v = json_array_get(a, 0);
    return json_is_string(v) ? json_string_value(v) : "";
}

int lead_csv_header(struct buf *b)
{
    static const char *const cols[] = {
        "Company Name", "Website",        "Industry",       "Company Size",
        "Email",        "Phone",          "Address",        "Country",
        "LinkedIn",     "Prospect Score", "Pain Alignment", "Buying Intent",
        "Urgency",      "ICP Fit",        "Summary",        NULL};
    int rc = 0;
    for (const char *const *c = cols; *c; c++)
        rc |= field(b, *c, c[1] == NULL);
    return rc ? CORE_ETOOBIG : 0;
}

int lead_csv_row(const json_t *lead, struct buf *b)
{
    struct lead_view v;
    lead_view(lead, &v);
    char sc[5][16] = {"", "", "", "", ""};
    double scores[] = {v.prospect, v.pain, v.intent, v.urgency, v.icp};
    for (int k = 0; k < 5 && v.scored; k++)
        snprintf(sc[k], sizeof sc[k], "%.2f", scores[k]);
    const char *row[] = {v.company_name,  v.website, v.industry, v.company_size, first(v.emails),
                         first(v.phones), v.address, v.country,  v.linkedin,     sc[0],
                         sc[1],           sc[2],     sc[3],      sc[4],          v.summary};
    int rc = 0;
    size_t n = sizeof row / sizeof *row;
    for (size_t k = 0; k < n; k++)
        rc |= field(b, row[k], k + 1 == n);
    return rc ? CORE_ETOOBIG : 0;
}
