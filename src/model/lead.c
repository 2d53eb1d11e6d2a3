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

static const char *first(const json_t *a)
{
    const json_t *v = json_array_get(a, 0);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* The site without scheme, "www." or path: what a CRM calls the domain. */
static void bare(struct lead_view *v)
{
    const char *h = *v->site ? v->site : v->website;
    const char *sch = strstr(h, "://");
    h = sch ? sch + 3 : h;
    if (strncmp(h, "www.", 4) == 0)
        h += 4;
    snprintf(v->domain, sizeof v->domain, "%.*s", (int)strcspn(h, "/?#:"), h);
}

/* Every string of a, joined with "; ". */
static void joined(const json_t *a, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *s = json_string_value(json_array_get(a, i));
        if (s)
            k += (size_t)snprintf(out + (k < n ? k : n), k < n ? n - k : 0, "%s%s", k ? "; " : "",
                                  s);
    }
}

static int seniority_rank(const char *s)
{
    static const char *const order[] = {"owner", "c_level", "vp", "director", "manager", "staff"};
    for (int i = 0; i < 6; i++)
        if (!strcmp(s, order[i]))
            return i;
    return 6;
}

static void top_contact(struct lead_view *v)
{
    const json_t *best = NULL;
    int rank = 0;
    for (size_t i = 0; i < json_array_size(v->people); i++) {
        const json_t *p = json_array_get(v->people, i);
        int r = seniority_rank(str_of(p, "seniority"));
        if (json_is_object(p) && *str_of(p, "name") && (!best || r < rank)) {
            best = p;
            rank = r;
        }
    }
    v->contact_name = str_of(best, "name");
    v->contact_first = str_of(best, "first_name");
    v->contact_last = str_of(best, "last_name");
    if (!*v->contact_last) { /* "Madonna": Salesforce requires a last name */
        v->contact_last = v->contact_first;
        v->contact_first = "";
    }
    v->contact_title = str_of(best, "title");
    v->contact_seniority = str_of(best, "seniority");
    v->contact_email = str_of(best, "email");
    v->contact_linkedin = str_of(best, "linkedin");
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
    out->email = first(out->emails);
    out->phone = first(out->phones);
    out->people = json_object_get(x, "people");
    if (!json_is_array(out->people))
        out->people = NULL;
    top_contact(out);
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
    /* a place with no website has a key, not a domain */
    out->site = json_is_true(json_object_get(d, "no_website")) ? "" : str_of(d, "site");
    out->attribution = str_of(d, "attribution");
    joined(json_object_get(d, "found_by"), out->found_by, sizeof out->found_by);
    size_t k = 0, at;
    json_t *chk;
    json_array_foreach (json_object_get(d, "email_checks"), at, chk)
        if (k < sizeof out->email_status)
            k += (size_t)snprintf(out->email_status + k, sizeof out->email_status - k, "%s%s: %s",
                                  k ? "; " : "", str_of(chk, "email"), str_of(chk, "status"));
    out->description = str_of(d, "description");
    out->founded = str_of(d, "founded");
    out->naics = str_of(json_object_get(d, "naics"), "code");
    out->source_url = str_of(lead, "source_url");
    bare(out);
    json_t *parts = json_object_get(d, "address_parts");
    out->street = str_of(parts, "street");
    out->city = str_of(parts, "city");
    out->region = str_of(parts, "region");
    out->postal_code = str_of(parts, "postal_code");
    out->address_country = str_of(parts, "country");
    if (!*out->address_country)
        out->address_country = out->country;
    /* the strongest evidence: the first quote behind the highest score */
    static const char *const dims[] = {"pain_alignment_score", "buying_intent_score",
                                       "urgency_score", "icp_fit_score"};
    double best = -1;
    out->evidence = out->evidence_url = "";
    for (size_t i = 0; i < 4; i++) {
        json_t *ev = json_array_get(json_object_get(json_object_get(ai, "evidence"), dims[i]), 0);
        double v = num_of(ai, dims[i]);
        if (ev && v > best) {
            best = v;
            out->evidence = str_of(ev, "quote");
            out->evidence_url = str_of(ev, "url");
        }
    }
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

/* The one count of employees a CRM takes: "38 employees" gives 38; a range
 * gives nothing (it is no count). */
static void employees(const char *size, char *out, size_t n)
{
    out[0] = '\0';
    const char *d = size + strcspn(size, "0123456789");
    if (!*d)
        return;
    size_t k = 0;
    char digits[16];
    for (; (*d >= '0' && *d <= '9') || (*d == ',' && d[1] >= '0' && d[1] <= '9'); d++)
        if (*d != ',' && k + 1 < sizeof digits)
            digits[k++] = *d;
    digits[k] = '\0';
    while (*d == ' ' || *d == '+')
        d++;
    if (*d == '-' || strncmp(d, "to ", 3) == 0 || strncmp(d, "\xe2\x80\x93", 3) == 0)
        return;
    snprintf(out, n, "%s", digits);
}

int lead_csv_profile_parse(const char *name, enum lead_csv_profile *out)
{
    static const char *const names[] = {"prospect", "hubspot", "salesforce"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum lead_csv_profile)i;
            return 0;
        }
    return CORE_EINVAL;
}

/* Each profile's CRM columns, the company's then its contact's (the
 * labels each CRM's contact import maps: README, CSV profiles); NULL ends
 * them. */
#define CRM_COLS 24
static const char *const crm_cols[][CRM_COLS] = {
    [LEAD_CSV_PROSPECT] = {"Company Name",
                           "Domain",
                           "Website",
                           "Industry",
                           "NAICS",
                           "Company Size",
                           "Employees",
                           "Founded",
                           "Street",
                           "City",
                           "Region",
                           "Postal Code",
                           "Country",
                           "LinkedIn",
                           "Description",
                           "Contact First Name",
                           "Contact Last Name",
                           "Contact Title",
                           "Contact Seniority",
                           "Contact Email",
                           "Contact LinkedIn",
                           NULL},
    [LEAD_CSV_HUBSPOT] = {"Company name", "Company Domain Name", "Website URL", "Phone Number",
                          "Street Address", "City", "State/Region", "Postal Code", "Country/Region",
                          "Industry", "Number of Employees", "Description", "First Name",
                          "Last Name", "Job Title", "Email", NULL},
    [LEAD_CSV_SALESFORCE] = {"Account Name", "Website", "Phone", "Billing Street", "Billing City",
                             "Billing State/Province", "Billing Zip/Postal Code", "Billing Country",
                             "Industry", "Employees", "Description", "First Name", "Last Name",
                             "Title", "Email", NULL},
};

/* Prospect's own columns, after every profile's. */
static const char *const own_cols[] = {
    "Prospect Score", "Pain Alignment", "Buying Intent", "Urgency",  "ICP Fit",      "Qualified",
    "Emails",         "Email Status",   "Phones",        "Evidence", "Evidence URL", "Source URL",
    "Summary",        "Found By",       "Attribution",   NULL};

int lead_csv_header(enum lead_csv_profile profile, struct buf *b)
{
    int rc = 0;
    for (const char *const *c = crm_cols[profile]; *c; c++)
        rc |= field(b, *c, false);
    for (const char *const *c = own_cols; *c; c++)
        rc |= field(b, *c, c[1] == NULL);
    return rc ? CORE_ETOOBIG : 0;
}

int lead_csv_row(enum lead_csv_profile profile, const json_t *lead, struct buf *b)
{
    struct lead_view v;
    lead_view(lead, &v);
    char emp[16], emails[2048], phones[1024], sc[5][16] = {"", "", "", "", ""};
    employees(v.company_size, emp, sizeof emp);
    joined(v.emails, emails, sizeof emails);
    joined(v.phones, phones, sizeof phones);
    double scores[] = {v.prospect, v.pain, v.intent, v.urgency, v.icp};
    for (int k = 0; k < 5 && v.scored; k++)
        snprintf(sc[k], sizeof sc[k], "%.2f", scores[k]);
    const char *crm[3][CRM_COLS] = {
        [LEAD_CSV_PROSPECT] = {v.company_name,
                               v.domain,
                               v.website,
                               v.industry,
                               v.naics,
                               v.company_size,
                               emp,
                               v.founded,
                               v.street,
                               v.city,
                               v.region,
                               v.postal_code,
                               v.address_country,
                               v.linkedin,
                               v.description,
                               v.contact_first,
                               v.contact_last,
                               v.contact_title,
                               v.contact_seniority,
                               v.contact_email,
                               v.contact_linkedin},
        [LEAD_CSV_HUBSPOT] = {v.company_name, v.domain, v.website, v.phone, v.street, v.city,
                              v.region, v.postal_code, v.address_country, v.industry, emp,
                              v.description, v.contact_first, v.contact_last, v.contact_title,
                              v.contact_email},
        [LEAD_CSV_SALESFORCE] = {v.company_name, v.website, v.phone, v.street, v.city, v.region,
                                 v.postal_code, v.address_country, v.industry, emp, v.description,
                                 v.contact_first, v.contact_last, v.contact_title, v.contact_email},
    };
    const char *own[] = {
        sc[0],      sc[1],          sc[2],
        sc[3],      sc[4],          v.qualified < 0 ? "" : v.qualified ? "yes" : "no",
        emails,     v.email_status, phones,
        v.evidence, v.evidence_url, v.source_url,
        v.summary,  v.found_by,     v.attribution};
    int rc = 0;
    for (size_t k = 0; crm_cols[profile][k]; k++)
        rc |= field(b, crm[profile][k] ? crm[profile][k] : "", false);
    size_t n = sizeof own / sizeof *own;
    for (size_t k = 0; k < n; k++)
        rc |= field(b, own[k], k + 1 == n);
    return rc ? CORE_ETOOBIG : 0;
}
