/* event.c: event constructors and SSE framing (event.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "model/event.h"

static const char *names[EVENT_NTYPES] = {
    [EVENT_PIPELINE_START] = "pipeline_start",
    [EVENT_STATUS_UPDATE] = "status_update",
    [EVENT_LEAD_GENERATED] = "lead_generated",
    [EVENT_LEAD_ENRICHMENT_START] = "lead_enrichment_start",
    [EVENT_LEAD_ENRICHMENT_END] = "lead_enrichment_end",
    [EVENT_PIPELINE_END] = "pipeline_end",
    [EVENT_PIPELINE_ERROR] = "pipeline_error",
};

const char *event_type_name(enum event_type t)
{
    return (unsigned)t < EVENT_NTYPES ? names[t] : "unknown";
}

int event_type_parse(const char *name, enum event_type *out)
{
    for (int i = 0; i < EVENT_NTYPES; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = (enum event_type)i;
            return 0;
        }
    }
    return CORE_EINVAL;
}

static json_t *str_or_empty(const char *s)
{
    return json_string(s ? s : "");
}

static json_t *head(const struct event_head *h, enum event_type t)
{
    char ts[CLOCK_ISO_LEN];
    clock_format_iso(h->ts_ms, ts);
    json_t *ev = json_object();
    json_object_set_new(ev, "event_type", json_string(names[t]));
    json_object_set_new(ev, "timestamp", json_string(ts));
    json_object_set_new(ev, "job_id", str_or_empty(h->job_id));
    json_object_set_new(ev, "user_id", str_or_empty(h->user_id));
    return ev;
}

static double clamp01(double x)
{
    if (isnan(x) || x < 0)
        return 0;
    return x > 1 ? 1 : x;
}

/* Scores are rounded to 3 decimals so that the wire form is stable. */
static json_t *score(double x)
{
    return json_real(round(clamp01(x) * 1000.0) / 1000.0);
}

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, str_or_empty(v[i]));
    return a;
}

/* Adds extra's fields to obj without replacing the seed's; steals extra. */
static void merge(json_t *obj, json_t *extra)
{
    if (!extra)
        return;
    const char *key;
    json_t *val;
    json_object_foreach (extra, key, val) {
        if (!json_object_get(obj, key))
            json_object_set(obj, key, val);
    }
    json_decref(extra);
}

json_t *event_pipeline_start(const struct event_head *h, const char *initial_query,
                             int max_leads_to_generate)
{
    json_t *ev = head(h, EVENT_PIPELINE_START);
    json_object_set_new(ev, "initial_query", str_or_empty(initial_query));
    json_object_set_new(ev, "max_leads_to_generate", json_integer(max_leads_to_generate));
    return ev;
}

json_t *event_status_update(const struct event_head *h, const char *message, const char *stage,
                            double progress)
{
    json_t *ev = head(h, EVENT_STATUS_UPDATE);
    json_object_set_new(ev, "status_message", str_or_empty(message));
    if (stage)
        json_object_set_new(ev, "stage", json_string(stage));
    if (progress >= 0)
        json_object_set_new(ev, "progress", score(progress));
    return ev;
}

json_t *event_lead_generated(const struct event_head *h, const char *lead_id,
                             const struct event_lead *lead, const char *source_url,
                             const char *agent_name, json_t *extra)
{
    json_t *ev = head(h, EVENT_LEAD_GENERATED);
    json_object_set_new(ev, "lead_id", str_or_empty(lead_id));
    json_t *enrich = json_object();
    json_object_set_new(enrich, "industry", str_or_empty(lead->industry));
    json_object_set_new(enrich, "company_size", str_or_empty(lead->company_size));
    json_object_set_new(enrich, "contact_emails", str_array(lead->emails, lead->nemails));
    json_object_set_new(enrich, "contact_phones", str_array(lead->phones, lead->nphones));
    json_object_set_new(enrich, "qualification_summary", str_or_empty(lead->qualification_summary));
    if (lead->people)
        json_object_set(enrich, "people", lead->people);
    json_t *data = json_object();
    json_object_set_new(data, "company_name", str_or_empty(lead->company_name));
    json_object_set_new(data, "website", str_or_empty(lead->website));
    json_object_set_new(data, "description", str_or_empty(lead->description));
    json_object_set_new(data, "adk1_enrichment", enrich);
    merge(data, extra);
    json_object_set_new(ev, "lead_data", data);
    json_object_set_new(ev, "source_url", str_or_empty(source_url));
    json_object_set_new(ev, "agent_name", str_or_empty(agent_name));
    return ev;
}

json_t *event_lead_enrichment_start(const struct event_head *h, const char *lead_id)
{
    json_t *ev = head(h, EVENT_LEAD_ENRICHMENT_START);
    json_object_set_new(ev, "lead_id", str_or_empty(lead_id));
    return ev;
}

json_t *event_lead_enrichment_end(const struct event_head *h, const char *lead_id, bool success,
                                  const char *company_name, const struct event_scores *s,
                                  json_t *extra, json_t *extra_intel)
{
    json_t *ev = head(h, EVENT_LEAD_ENRICHMENT_END);
    json_object_set_new(ev, "lead_id", str_or_empty(lead_id));
    json_object_set_new(ev, "success", json_boolean(success));
    json_t *intel = json_object();
    json_object_set_new(intel, "prospect_score", score(s->prospect));
    json_object_set_new(intel, "buying_intent_score", score(s->buying_intent));
    json_object_set_new(intel, "pain_alignment_score", score(s->pain_alignment));
    json_object_set_new(intel, "urgency_score", score(s->urgency));
    json_object_set_new(intel, "predictive_insights", str_array(s->insights, s->ninsights));
    merge(intel, extra_intel);
    json_t *lead = json_object();
    json_object_set_new(lead, "company_name", str_or_empty(company_name));
    json_object_set_new(lead, "ai_intelligence", intel);
    merge(lead, extra);
    json_t *pkg = json_object();
    json_object_set_new(pkg, "analyzed_lead", lead);
    json_object_set_new(ev, "final_package", pkg);
    return ev;
}

json_t *event_pipeline_end(const struct event_head *h, bool success, const struct event_counts *c,
                           json_t *summary)
{
    json_t *ev = head(h, EVENT_PIPELINE_END);
    json_object_set_new(ev, "success", json_boolean(success));
    json_object_set_new(ev, "leads_generated", json_integer(c->leads_generated));
    json_object_set_new(ev, "leads_enriched", json_integer(c->leads_enriched));
    json_object_set_new(ev, "leads_failed", json_integer(c->leads_failed));
    json_object_set_new(ev, "duration_ms", json_integer(c->duration_ms));
    if (summary)
        json_object_set_new(ev, "summary", summary);
    return ev;
}

json_t *event_pipeline_error(const struct event_head *h, const char *error_message,
                             const char *error_type, const char *stage)
{
    json_t *ev = head(h, EVENT_PIPELINE_ERROR);
    json_object_set_new(ev, "error_message", str_or_empty(error_message));
    json_object_set_new(ev, "error_type", str_or_empty(error_type));
    json_object_set_new(ev, "stage", str_or_empty(stage));
    return ev;
}

char *event_dump(const json_t *ev)
{
    return json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
}

int event_sse_frame(struct buf *out, int64_t id, const char *type, const char *data)
{
    size_t mark = out->len;
    int rc = 0;
    if (id >= 0)
        rc |= buf_printf(out, "id: %lld\n", (long long)id);
    if (type && *type) {
        rc |= buf_puts(out, "event: ");
        for (const char *p = type; *p; p++)
            if (*p != '\n' && *p != '\r')
                rc |= buf_putc(out, *p);
        rc |= buf_putc(out, '\n');
    }
    const char *p = data ? data : "";
    for (;;) {
        size_t n = strcspn(p, "\r\n");
        rc |= buf_puts(out, "data: ");
        rc |= buf_append(out, p, n);
        rc |= buf_putc(out, '\n');
        p += n;
        if (!*p)
            break;
        p += (p[0] == '\r' && p[1] == '\n') ? 2 : 1;
    }
    rc |= buf_putc(out, '\n');
    if (rc) { /* leave no half event behind */
        out->len = mark;
        if (out->data)
            out->data[mark] = '\0';
        return CORE_ETOOBIG;
    }
    return 0;
}

int event_sse_comment(struct buf *out, const char *text)
{
    size_t mark = out->len;
    int rc = buf_puts(out, ": ");
    for (const char *p = text; *p; p++)
        rc |= buf_putc(out, (*p == '\n' || *p == '\r') ? ' ' : *p);
    rc |= buf_puts(out, "\n\n");
    if (rc) {
        out->len = mark;
        if (out->data)
            out->data[mark] = '\0';
        return CORE_ETOOBIG;
    }
    return 0;
}

int event_view_decode(const char *type, const char *data, struct event_view *out)
{
    memset(out, 0, sizeof *out);
    out->lead_id = out->stage = out->timestamp = "";
    lead_view(NULL, &out->lead);
    int rc = event_type_parse(type, &out->type);
    if (rc)
        return rc;
    out->root = json_loads(data, 0, NULL);
    if (!json_is_object(out->root))
        return CORE_EPARSE;
    json_t *r = out->root;
    const char *s;
    if ((s = json_string_value(json_object_get(r, "lead_id"))))
        out->lead_id = s;
    if ((s = json_string_value(json_object_get(r, "stage"))))
        out->stage = s;
    if ((s = json_string_value(json_object_get(r, "timestamp"))))
        out->timestamp = s;
    json_t *q = json_object_get(r, "queries"), *si = json_object_get(r, "sites");
    out->queries = json_is_array(q) ? q : NULL;
    out->sites = json_is_array(si) ? si : NULL;
    out->success = json_is_true(json_object_get(r, "success"));
    lead_view(r, &out->lead);
    return 0;
}

void event_view_release(struct event_view *v)
{
    json_decref(v->root);
    v->root = NULL;
}
