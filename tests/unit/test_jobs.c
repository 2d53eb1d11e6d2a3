/* test_jobs.c: the server's job manager without HTTP: a subscriber that
 * does not read is cut at its buffer with a comment naming the last id
 * sent, and resuming after that id gives the rest: nothing lost, nothing
 * twice. */
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
#include "jobs/jobs.h"

static void nothing(void *ctx)
{
    (void)ctx;
}

static char *drain(struct jobs_sub *s, size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    bool ended = false;
    for (int spins = 0; !ended && spins < 20000; spins++) {
        size_t got = jobs_sub_read(s, out + n, cap - n - 1, &ended);
        n += got;
        if (!got && !ended)
            usleep(1000);
    }
    assert_true(ended);
    out[n] = '\0';
    *len = n;
    return out;
}

static int wait_done(struct jobs *j, const char *id)
{
    for (int i = 0; i < 3000; i++) {
        json_t *st;
        struct err e;
        if (jobs_status(j, id, &st, &e) == 0) {
            const char *s = json_string_value(json_object_get(st, "status"));
            bool done = strcmp(s, "succeeded") == 0 || strcmp(s, "failed") == 0;
            json_decref(st);
            if (done)
                return 0;
        }
        usleep(10000);
    }
    return -1;
}

static void slow_subscriber_is_cut_and_resumes(void **state)
{
    (void)state;
    char db[64];
    snprintf(db, sizeof db, "/tmp/prospect-jobs-%d.db", (int)getpid());
    char *env[] = {NULL, NULL};
    char dbvar[96];
    snprintf(dbvar, sizeof dbvar, "PROSPECT_DB=%s", db);
    env[0] = dbvar;
    setenv("PROSPECT_SAMPLE_CORPUS", PROSPECT_SAMPLE_CORPUS_DIR, 1);
    struct config cfg;
    struct err e = {0};
    assert_int_equal(config_load(&cfg, NULL, env, NULL, 0, &e), 0);
    struct jobs *j;
    assert_int_equal(jobs_new(&cfg, 2, &j, &e), 0);

    const char *body = "{\"user_search_query\":\"dental practice patients\",\"job_id\":\"slow1\"}";
    struct request_limits lim;
    request_limits_default(&lim);
    struct request req;
    struct problems p = {0};
    assert_int_equal(request_parse(body, strlen(body), &lim, 0, &req, &p), 0);
    assert_int_equal(jobs_submit(j, &req, "", &e), 0);
    assert_int_equal(jobs_submit(j, &req, "", &e), CORE_EEXIST);
    request_release(&req);

    /* A subscriber with room for 2 KiB that reads nothing until the job ends. */
    struct jobs_sub *slow;
    assert_int_equal(jobs_subscribe(j, "slow1", 0, 2048, nothing, nothing, NULL, &slow, &e), 0);
    assert_int_equal(wait_done(j, "slow1"), 0);
    size_t n;
    char *first = drain(slow, &n);
    jobs_unsubscribe(slow);
    const char *cut = strstr(first, ": stream too slow; reconnect with Last-Event-ID: ");
    assert_non_null(cut);
    long last = strtol(cut + strlen(": stream too slow; reconnect with Last-Event-ID: "), NULL, 10);
    assert_true(last >= 1);

    /* Resuming after that id: the rest, ending with the last event. */
    struct jobs_sub *again;
    assert_int_equal(jobs_subscribe(j, "slow1", last, 1 << 20, nothing, nothing, NULL, &again, &e),
                     0);
    char *rest = drain(again, &n);
    jobs_unsubscribe(again);
    long expect = last + 1;
    for (const char *q = rest; (q = strstr(q, "\nid: ")) != NULL; q++)
        assert_int_equal(strtol(q + 5, NULL, 10), expect++);
    assert_non_null(strstr(rest, "event: pipeline_end"));
    json_t *st;
    assert_int_equal(jobs_status(j, "slow1", &st, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(st, "last_event_id")), expect - 1);
    json_decref(st);

    struct jobs_sub *none;
    assert_int_equal(jobs_subscribe(j, "nope", 0, 1024, nothing, nothing, NULL, &none, &e),
                     CORE_ENOTFOUND);
    free(first);
    free(rest);
    jobs_free(j);
    config_release(&cfg);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", db, db, db);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    log_setup(LOG_ERROR, LOG_FORMAT_LOGFMT, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slow_subscriber_is_cut_and_resumes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
