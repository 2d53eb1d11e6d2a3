/* jobs_routes.c: the job API, /api/v2/jobs: start a job (202 and where to
 * follow it; /api/v2/enrich starts one of given companies), list the caller's jobs, a job's status,
 * cancel it, its events as a stream with replay, its leads as JSON or CSV, and deleting its data.
 *
 * A route with {id} is reached only once server.c found the job id well
 * formed and visible to the caller (http__job_visible): another key's job
 * is answered as no job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "core/buf.h"
#include "core/str.h"
#include "http/http_int.h"
#include "jobs/jobs.h"
#include "model/lead.h"
#include "model/request.h"

bool http__job_visible(struct server *sv, const struct conn *cx, const char *id)
{
    return !access_keys(sv->access) || jobs_visible(sv->jobs, id, cx->key) == 0;
}

int http__job_submit(struct server *sv, struct MHD_Connection *c, struct conn *cx, bool list,
                     struct request *req, enum MHD_Result *ret)
{
    int64_t retry_s = 0;
    if (!http__take(sv, cx, ACCESS_JOB, &retry_s)) {
        *ret = http__too_many(c, cx, retry_s, "rate_limited",
                              "too many jobs started (PROSPECT_RATE_JOBS)");
        return CORE_EBUSY;
    }
    if (*cx->key && sv->cfg->max_jobs_per_key &&
        jobs_active(sv->jobs, cx->key) >= sv->cfg->max_jobs_per_key) {
        char what[160];
        snprintf(what, sizeof what,
                 "key %s has %lld jobs queued or running, its limit (PROSPECT_MAX_JOBS_PER_KEY)",
                 cx->key, (long long)sv->cfg->max_jobs_per_key);
        *ret = http__too_many(c, cx, 10, "too_many_jobs", what);
        return CORE_EBUSY;
    }
    struct problems probs = {0};
    int rc = request_parse(buf_cstr(&cx->body), cx->body.len, &sv->lim, 0, req, &probs);
    if (rc == 0 && list && req->companies.n == 0) {
        problems_add(&probs, "companies",
                     "is required: a list of the companies to enrich (domains, URLs or host:port)");
        request_release(req);
        rc = CORE_EINVAL;
    }
    if (rc) {
        *ret = http__respond_json(c, cx, 400, problems_to_json(&probs));
        problems_release(&probs);
        return CORE_EINVAL;
    }
    struct err e = {0};
    rc = jobs_submit(sv->jobs, req, cx->key, &e);
    if (rc == CORE_EEXIST) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "job %s exists; watch it at /api/v2/jobs/%s/events, or send a new job_id",
                 req->job_id, req->job_id);
        *ret = http__error(c, cx, 409, "job_exists", msg);
    } else if (rc) {
        *ret = http__internal(c, cx, e.msg);
    }
    if (rc)
        request_release(req);
    return rc;
}

/* 202 with the job's URLs; the job runs on without a client. */
static enum MHD_Result job_created(struct server *sv, struct MHD_Connection *c, struct conn *cx,
                                   bool list)
{
    struct request req;
    enum MHD_Result ret;
    if (http__job_submit(sv, c, cx, list, &req, &ret))
        return ret;
    char events[300], status[300];
    snprintf(events, sizeof events, "/api/v2/jobs/%s/events", req.job_id);
    snprintf(status, sizeof status, "/api/v2/jobs/%s", req.job_id);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "job_id", req.job_id, "status", "queued",
                          "status_url", status, "events_url", events);
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Location", status);
    http__decorate(r, cx);
    cx->status = 202;
    ret = MHD_queue_response(c, 202, r);
    MHD_destroy_response(r);
    request_release(&req);
    return ret;
}

/* POST /api/v2/jobs: a search (or, with companies, an enrichment). */
enum MHD_Result http__jobs_create(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    return job_created(sv, c, cx, false);
}

/* POST /api/v2/enrich: the companies of the body, enriched as a job. */
enum MHD_Result http__enrich(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    return job_created(sv, c, cx, true);
}

/* GET /api/v2/jobs?limit=N: the newest jobs, the caller's own when keys are on. */
enum MHD_Result http__jobs_list(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    int64_t n = 50;
    if (lim && (str_to_i64(lim, &n) || n < 1 || n > 500))
        return http__error(c, cx, 400, "bad_limit", "limit must be an integer from 1 to 500");
    json_t *list;
    struct err e = {0};
    int rc = jobs_list(sv->jobs, access_keys(sv->access) ? cx->key : NULL, (size_t)n, &list, &e);
    if (rc)
        return http__internal(c, cx, e.msg);
    return http__respond_json(c, cx, 200, json_pack("{s:o}", "jobs", list));
}

/* GET /api/v2/jobs/{id} */
enum MHD_Result http__job_status(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    json_t *status;
    struct err e = {0};
    int rc = jobs_status(sv->jobs, cx->id, &status, &e);
    if (rc)
        return http__job_failed(c, cx, rc, &e);
    return http__respond_json(c, cx, 200, status);
}

/* DELETE /api/v2/jobs/{id}: 202 while the job stops; 409 when it does not
 * run here. */
enum MHD_Result http__job_cancel(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    json_t *status;
    struct err e = {0};
    int rc = jobs_status(sv->jobs, cx->id, &status, &e);
    if (rc)
        return http__job_failed(c, cx, rc, &e);
    json_decref(status);
    if (jobs_cancel(sv->jobs, cx->id))
        return http__error(c, cx, 409, "not_running", "the job is not running on this server");
    return http__respond_json(c, cx, 202,
                              json_pack("{s:s, s:s}", "job_id", cx->id, "status", "cancelling"));
}

/* GET /api/v2/jobs/{id}/events: replay after Last-Event-ID (or ?after=),
 * then the live tail. */
enum MHD_Result http__job_events(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    const char *last = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
    const char *after = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
    int64_t n = 0;
    const char *v = last ? last : after;
    if (v && (str_to_i64(v, &n) || n < 0))
        return http__error(c, cx, 400, "bad_event_id",
                           "Last-Event-ID and after must be a non-negative integer");
    return http__stream(sv, c, cx, cx->id, n);
}

/* DELETE /api/v2/jobs/{id}/data: the job, its events and leads, forgotten. */
enum MHD_Result http__job_data(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    struct err e = {0};
    int rc = jobs_delete(sv->jobs, cx->id, &e);
    if (rc)
        return http__job_failed(c, cx, rc, &e);
    return http__respond_json(c, cx, 200, json_pack("{s:s, s:b}", "job_id", cx->id, "deleted", 1));
}

/* ---- GET /api/v2/jobs/{id}/leads[?format=json|csv][&profile=][&ids=] ---- */

/* Whether lead l is one of ids (comma-separated lead ids; NULL: all). */
static bool lead_chosen(const json_t *l, const char *ids)
{
    if (!ids)
        return true;
    const char *id = json_string_value(json_object_get(l, "lead_id"));
    size_t n = id ? strlen(id) : 0;
    for (const char *p = ids; n && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && memcmp(p, id, n) == 0)
            return true;
        p += k + (p[k] == ',');
    }
    return false;
}

enum MHD_Result http__job_leads(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    const char *id = cx->id;
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    bool csv = format && strcmp(format, "csv") == 0;
    if (format && !csv && strcmp(format, "json") != 0)
        return http__error(c, cx, 400, "bad_format", "format must be json or csv");
    const char *pname = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "profile");
    enum lead_csv_profile profile = LEAD_CSV_PROSPECT;
    if (pname && (!csv || lead_csv_profile_parse(pname, &profile)))
        return http__error(c, cx, 400, "bad_profile",
                           "profile must be prospect, hubspot or salesforce, with format=csv");
    /* the rows a user selected on the page */
    const char *ids = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ids");
    json_t *arr;
    struct err e = {0};
    int rc = jobs_leads(sv->jobs, id, &arr, &e);
    if (rc)
        return http__job_failed(c, cx, rc, &e);
    for (size_t k = json_array_size(arr); k-- > 0;)
        if (!lead_chosen(json_array_get(arr, k), ids))
            json_array_remove(arr, k);
    if (!csv)
        return http__respond_json(c, cx, 200, json_pack("{s:s, s:o}", "job_id", id, "leads", arr));
    struct buf b; /* the same rows as the CLI's, and the page's export */
    buf_init(&b, 0);
    rc = lead_csv_header(profile, &b);
    size_t i;
    json_t *l;
    json_array_foreach (arr, i, l)
        rc |= lead_csv_row(profile, l, &b);
    (void)rc; /* no cap on b */
    json_decref(arr);
    enum MHD_Result ret = http__respond(c, cx, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
    buf_release(&b);
    return ret;
}
