/* metrics.c: /metrics in Prometheus's text format: the HTTP routes' counts
 * and latencies, jobs, streams, webhooks, the providers, the outbound I/O
 * engine and the page cache, and the process's CPU and memory. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "core/buf.h"
#include "engine/engine.h"
#include "fetch/fetch.h"
#include "http/http_int.h"
#include "jobs/jobs.h"
#include "pipeline/pipeline.h"
#include "upstream/upstream.h"

static const char *const route_names[R_N] = {"/api/v2/execute_streaming_prospect",
                                             "/api/v2/jobs",
                                             "/api/v2/enrich",
                                             "/api/v2/jobs/{id}",
                                             "/api/v2/jobs/{id}/events",
                                             "/api/v2/jobs/{id}/leads",
                                             "/api/v2/jobs/{id} DELETE",
                                             "/api/v2/jobs/{id}/data DELETE",
                                             "/mcp",
                                             "/health",
                                             "/ready",
                                             "/metrics",
                                             "/openapi.json",
                                             "/ (web page)",
                                             "other"};

static const double buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof buckets / sizeof *buckets)

static struct {
    pthread_mutex_t lock;
    int64_t by_status[R_N][6]; /* 1xx..5xx, index status/100 */
    int64_t hist[R_N][NBUCKETS + 1];
    double sum[R_N];
    int64_t count[R_N];
} metrics = {.lock = PTHREAD_MUTEX_INITIALIZER};

void http__observe(enum route r, unsigned status, double seconds)
{
    pthread_mutex_lock(&metrics.lock);
    metrics.by_status[r][status / 100 < 6 ? status / 100 : 5]++;
    size_t b = 0;
    while (b < NBUCKETS && seconds > buckets[b])
        b++;
    metrics.hist[r][b]++;
    metrics.sum[r] += seconds;
    metrics.count[r]++;
    pthread_mutex_unlock(&metrics.lock);
}
static void upstream_lines(void *ctx, const struct upstream_stats *u)
{
    struct buf *b = ctx;
    static const char *const outcomes[] = {"ok",        "failed",       "retry",
                                           "cache_hit", "breaker_open", "replayed"};
    int64_t v[] = {u->ok, u->failed, u->retries, u->cache_hits, u->breaker_open, u->replayed};
    int rc = 0;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        rc |= buf_printf(b, "prospect_upstream_calls_total{provider=\"%s\",outcome=\"%s\"} %lld\n",
                         u->name, outcomes[i], (long long)v[i]);
    (void)rc;
}

/* The process's outbound side: the engine, the page fetcher, the page cache. */
static int outbound_lines(struct buf *b)
{
    struct engine_stats es;
    struct fetch_stats fs;
    struct pipeline_page_stats ps;
    engine_stats(&es);
    fetch_stats(&fs);
    pipeline_page_stats(&ps);
    return buf_printf(
        b,
        "# HELP prospect_outbound_transfers_total HTTP transfers the I/O engine ran.\n"
        "# TYPE prospect_outbound_transfers_total counter\n"
        "prospect_outbound_transfers_total %lld\n"
        "# HELP prospect_outbound_transfers_running Transfers under way now.\n"
        "# TYPE prospect_outbound_transfers_running gauge\n"
        "prospect_outbound_transfers_running %lld\n"
        "# HELP prospect_fetch_requests_total Page fetches by what became of them.\n"
        "# TYPE prospect_fetch_requests_total counter\n"
        "prospect_fetch_requests_total{kind=\"sent\"} %lld\n"
        "prospect_fetch_requests_total{kind=\"robots\"} %lld\n"
        "prospect_fetch_requests_total{kind=\"shared\"} %lld\n"
        "prospect_fetch_requests_total{kind=\"crawl_delayed\"} %lld\n"
        "prospect_fetch_requests_total{kind=\"cancelled\"} %lld\n"
        "# HELP prospect_page_cache_total Pages by where they came from (PROSPECT_PAGE_TTL_S).\n"
        "# TYPE prospect_page_cache_total counter\n"
        "prospect_page_cache_total{outcome=\"hit\"} %lld\n"
        "prospect_page_cache_total{outcome=\"revalidated\"} %lld\n"
        "prospect_page_cache_total{outcome=\"fetched\"} %lld\n"
        "prospect_page_cache_total{outcome=\"stored\"} %lld\n"
        "prospect_page_cache_total{outcome=\"no_store\"} %lld\n"
        "# HELP prospect_pages_extracted_total Pages extracted, and readings another job's "
        "extraction of the same page served.\n"
        "# TYPE prospect_pages_extracted_total counter\n"
        "prospect_pages_extracted_total{kind=\"extracted\"} %lld\n"
        "prospect_pages_extracted_total{kind=\"shared\"} %lld\n",
        (long long)es.transfers, (long long)es.running, (long long)fs.requests,
        (long long)fs.robots, (long long)fs.coalesced, (long long)fs.crawl_delayed,
        (long long)fs.cancelled, (long long)ps.hits, (long long)ps.revalidated,
        (long long)ps.fetched, (long long)ps.stored, (long long)ps.not_stored,
        (long long)ps.extracted, (long long)ps.extract_shared);
}

void http__metrics_text(struct jobs *jobs, struct buf *out)
{
    struct buf b = *out;
    int rc = buf_puts(
        &b, "# HELP prospect_http_requests_total HTTP requests by route and status class.\n"
            "# TYPE prospect_http_requests_total counter\n");
    pthread_mutex_lock(&metrics.lock);
    for (int r = 0; r < R_N; r++)
        for (int s = 1; s < 6; s++)
            if (metrics.by_status[r][s])
                rc |= buf_printf(
                    &b, "prospect_http_requests_total{route=\"%s\",status=\"%dxx\"} %lld\n",
                    route_names[r], s, (long long)metrics.by_status[r][s]);
    rc |= buf_puts(
        &b, "# HELP prospect_http_request_duration_seconds Time to answer (stream: to its start).\n"
            "# TYPE prospect_http_request_duration_seconds histogram\n");
    for (int r = 0; r < R_N; r++) {
        if (!metrics.count[r])
            continue;
        int64_t cum = 0;
        for (size_t k = 0; k <= NBUCKETS; k++) {
            cum += metrics.hist[r][k];
            if (k < NBUCKETS)
                rc |= buf_printf(
                    &b,
                    "prospect_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lld\n",
                    route_names[r], buckets[k], (long long)cum);
            else
                rc |= buf_printf(&b,
                                 "prospect_http_request_duration_seconds_bucket{route=\"%s\",le=\"+"
                                 "Inf\"} %lld\n",
                                 route_names[r], (long long)cum);
        }
        rc |=
            buf_printf(&b,
                       "prospect_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                       "prospect_http_request_duration_seconds_count{route=\"%s\"} %lld\n",
                       route_names[r], metrics.sum[r], route_names[r], (long long)metrics.count[r]);
    }
    pthread_mutex_unlock(&metrics.lock);
    rc |= outbound_lines(&b);
    struct jobs_stats st;
    jobs_stats(jobs, &st);
    rc |= buf_printf(&b,
                     "# HELP prospect_sse_streams_open Event streams open.\n# TYPE "
                     "prospect_sse_streams_open gauge\n"
                     "prospect_sse_streams_open %lld\n"
                     "# HELP prospect_jobs Jobs by state.\n# TYPE prospect_jobs gauge\n"
                     "prospect_jobs{state=\"queued\"} %lld\nprospect_jobs{state=\"running\"} %lld\n"
                     "# HELP prospect_jobs_finished_total Jobs finished by outcome.\n# TYPE "
                     "prospect_jobs_finished_total counter\n"
                     "prospect_jobs_finished_total{outcome=\"succeeded\"} %lld\n"
                     "prospect_jobs_finished_total{outcome=\"failed\"} %lld\n"
                     "prospect_jobs_finished_total{outcome=\"cancelled\"} %lld\n"
                     "# HELP prospect_events_stored_total Events written to the job logs.\n# TYPE "
                     "prospect_events_stored_total counter\n"
                     "prospect_events_stored_total %lld\n",
                     (long long)st.streams, (long long)st.queued, (long long)st.running,
                     (long long)st.succeeded, (long long)st.failed, (long long)st.cancelled,
                     (long long)st.events_stored);
    if (st.distributed)
        rc |= buf_printf(
            &b,
            "# HELP prospect_node_jobs_claimed_total Jobs this node claimed from the queue.\n"
            "# TYPE prospect_node_jobs_claimed_total counter\n"
            "prospect_node_jobs_claimed_total %lld\n"
            "# HELP prospect_node_jobs_reclaimed_total Claimed jobs whose worker had died.\n"
            "# TYPE prospect_node_jobs_reclaimed_total counter\n"
            "prospect_node_jobs_reclaimed_total %lld\n"
            "# HELP prospect_node_lease_renewals_total Leases this node renewed.\n"
            "# TYPE prospect_node_lease_renewals_total counter\n"
            "prospect_node_lease_renewals_total %lld\n"
            "# HELP prospect_node_notifications_total Event announcements received.\n"
            "# TYPE prospect_node_notifications_total counter\n"
            "prospect_node_notifications_total %lld\n"
            "# HELP prospect_node_notify_lag_seconds Time from an event to its delivery here "
            "through an announcement.\n# TYPE prospect_node_notify_lag_seconds summary\n"
            "prospect_node_notify_lag_seconds_sum %.3f\n"
            "prospect_node_notify_lag_seconds_count %lld\n",
            (long long)st.claimed, (long long)st.reclaimed, (long long)st.renewals,
            (long long)st.notifications, (double)st.tail_lag_ms / 1000.0,
            (long long)st.tail_events);
    if (st.webhooks)
        rc |= buf_printf(
            &b,
            "# HELP prospect_webhook_attempts_total Webhook attempts by outcome since start.\n"
            "# TYPE prospect_webhook_attempts_total counter\n"
            "prospect_webhook_attempts_total{outcome=\"delivered\"} %lld\n"
            "prospect_webhook_attempts_total{outcome=\"failed\"} %lld\n"
            "prospect_webhook_attempts_total{outcome=\"gone\"} %lld\n"
            "# HELP prospect_webhook_dead_letters_total Deliveries dead-lettered since start.\n"
            "# TYPE prospect_webhook_dead_letters_total counter\n"
            "prospect_webhook_dead_letters_total %lld\n"
            "# HELP prospect_webhook_outbox Deliveries in the outbox by state.\n"
            "# TYPE prospect_webhook_outbox gauge\n"
            "prospect_webhook_outbox{state=\"pending\"} %lld\n"
            "prospect_webhook_outbox{state=\"dead\"} %lld\n",
            (long long)st.webhooks_delivered, (long long)st.webhooks_failed_attempts,
            (long long)st.webhooks_disabled, (long long)st.webhooks_dead,
            (long long)st.webhooks_pending, (long long)st.webhooks_dead_total);
    rc |= buf_puts(&b, "# HELP prospect_upstream_calls_total Provider calls by outcome (retries "
                       "and cache hits included).\n# TYPE prospect_upstream_calls_total counter\n");
    upstream_stats_each(upstream_lines, &b);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    long rss_pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        long size;
        if (fscanf(f, "%ld %ld", &size, &rss_pages) != 2)
            rss_pages = 0;
        fclose(f);
    }
    rc |= buf_printf(&b,
                     "# HELP process_cpu_seconds_total CPU time used.\n# TYPE "
                     "process_cpu_seconds_total counter\n"
                     "process_cpu_seconds_total %.3f\n"
                     "# HELP process_resident_memory_bytes Resident memory.\n# TYPE "
                     "process_resident_memory_bytes gauge\n"
                     "process_resident_memory_bytes %ld\n",
                     cpu, rss_pages * sysconf(_SC_PAGESIZE));
    (void)rc; /* a cut answer is still a valid exposition */
    *out = b;
}

enum MHD_Result http__metrics(struct server *sv, struct MHD_Connection *c, struct conn *cx)
{
    struct buf b;
    buf_init(&b, 0);
    http__metrics_text(sv->jobs, &b);
    enum MHD_Result ret =
        http__respond(c, cx, 200, "text/plain; version=0.0.4", buf_cstr(&b), b.len);
    buf_release(&b);
    return ret;
}
