/* test_pipeline.c: the job in-process: cancellation ends it with
 * pipeline_end and what was found, several jobs run at once on their own
 * threads, and the event order holds for each. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"
#include "corpus/corpus.h"
#include "pipeline/pipeline.h"

static char db[64];
static struct config cfg;

struct collected {
    int n, leads, starts, ends;
    enum event_type last;
    int64_t last_seq;
    bool order_ok;
    volatile sig_atomic_t *cancel_after_first_lead;
};

static void collect(void *ctx, int64_t seq, enum event_type t, json_t *ev)
{
    (void)ev;
    struct collected *c = ctx;
    c->order_ok = c->order_ok && seq == c->last_seq + 1 && (c->n > 0 || t == EVENT_PIPELINE_START);
    c->last_seq = seq;
    c->n++;
    c->last = t;
    c->leads += t == EVENT_LEAD_GENERATED;
    c->starts += t == EVENT_LEAD_ENRICHMENT_START;
    c->ends += t == EVENT_LEAD_ENRICHMENT_END;
    if (t == EVENT_LEAD_ENRICHMENT_END && c->cancel_after_first_lead)
        *c->cancel_after_first_lead = 1;
}

static int load(const char *name, struct request *r)
{
    char path[512];
    snprintf(path, sizeof path, PROSPECT_SOURCE_DIR "/examples/%s.json", name);
    FILE *f = fopen(path, "rb");
    char body[8192];
    size_t n = fread(body, 1, sizeof body, f);
    fclose(f);
    struct request_limits lim;
    request_limits_default(&lim);
    struct problems p = {0};
    return request_parse(body, n, &lim, 0, r, &p);
}

static int setup(void **state)
{
    (void)state;
    log_setup(LOG_ERROR, LOG_FORMAT_LOGFMT, NULL);
    snprintf(db, sizeof db, "/tmp/prospect-pipeline-%d.db", (int)getpid());
    setenv("PROSPECT_SAMPLE_CORPUS", PROSPECT_SAMPLE_CORPUS_DIR, 1);
    struct err e = {0};
    if (config_load(&cfg, NULL, NULL, NULL, 0, &e))
        return -1;
    struct store *st;
    if (store_open(db, &st, &e))
        return -1;
    bool indexed;
    int rc = corpus_ensure_sample(st, NULL, &indexed, &e);
    store_close(st);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", db, db, db);
    config_release(&cfg);
    return system(cmd);
}

static void cancellation_keeps_what_was_found(void **state)
{
    (void)state;
    struct request req;
    assert_int_equal(load("seed-request", &req), 0);
    req.ctx.max_leads_to_generate = 10;
    struct store *st;
    struct err e;
    assert_int_equal(store_open(db, &st, &e), 0);
    volatile sig_atomic_t cancel = 0;
    struct collected c = {.order_ok = true, .cancel_after_first_lead = &cancel};
    struct pipeline_options opt = {
        .cfg = &cfg, .store = st, .emit = collect, .emit_ctx = &c, .cancel = &cancel};
    pipeline_budget_from_config(&cfg, &opt.budget);
    assert_int_equal(pipeline_run(&req, &opt), CORE_ECANCELED);
    assert_true(c.order_ok);
    assert_int_equal(c.last, EVENT_PIPELINE_END);
    /* Stopped after the first lead: only the sites already being read by
     * the other workers may add theirs; every lead emitted is complete. */
    assert_in_range(c.leads, 1, 4);
    assert_int_equal(c.ends, c.leads);
    store_close(st);
    request_release(&req);
}

struct thread_job {
    const char *example;
    struct collected c;
    int rc;
};

static void *run_one(void *arg)
{
    struct thread_job *t = arg;
    struct request req;
    if (load(t->example, &req)) {
        t->rc = -1;
        return NULL;
    }
    struct store *st;
    struct err e;
    if (store_open(db, &st, &e)) {
        t->rc = -1;
        request_release(&req);
        return NULL;
    }
    t->c.order_ok = true;
    struct pipeline_options opt = {.cfg = &cfg, .store = st, .emit = collect, .emit_ctx = &t->c};
    pipeline_budget_from_config(&cfg, &opt.budget);
    t->rc = pipeline_run(&req, &opt);
    store_close(st);
    request_release(&req);
    return NULL;
}

static void jobs_run_at_once(void **state)
{
    (void)state;
    struct thread_job jobs[4] = {{.example = "seed-request"},
                                 {.example = "clinic-security"},
                                 {.example = "fleet-eu"},
                                 {.example = "seed-request"}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, run_one, &jobs[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(jobs[i].rc, 0);
        assert_true(jobs[i].c.order_ok);
        assert_int_equal(jobs[i].c.last, EVENT_PIPELINE_END);
        assert_true(jobs[i].c.leads >= 5);
        assert_int_equal(jobs[i].c.leads, jobs[i].c.ends);
    }
    /* the same request gives the same leads */
    assert_int_equal(jobs[0].c.leads, jobs[3].c.leads);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cancellation_keeps_what_was_found),
        cmocka_unit_test(jobs_run_at_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
