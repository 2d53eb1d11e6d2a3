/* test_webhook.c: the Standard Webhooks signer against the reference
 * vector, secrets that are refused without being quoted, stable ids, the
 * retry schedule's syntax, and the outbox in a real SQLite store: a job's
 * deliveries come out one at a time in seq order, retries wait for their
 * time, dead letters and a disabled receiver let nothing more out, enabling
 * it queues them again, and retention purges only old finished jobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "core/clock.h"
#include "store/store.h"
#include "webhook/webhook.h"

/* reference/upstream-apis.md section 5, computed with Python's hmac. */
#define VEC_SECRET "whsec_bGVhZGdlbi10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5YWI="
#define VEC_BODY                                                                                   \
    "{\"type\":\"lead.created\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"id\":\"L1\"}}"
#define VEC_SIG "v1,L/qFPG7hEEmPh3s5Y9FPjT3WjQi7wX+VXtdcRKoJ2eA="

static void signs_the_reference_vector(void **state)
{
    (void)state;
    unsigned char key[64];
    size_t len = 0;
    struct err e = {0};
    assert_int_equal(webhook_key(VEC_SECRET, key, &len, &e), 0);
    assert_int_equal(len, 32);
    assert_memory_equal(key, "leadgen-test-secret-0123456789ab", 32);
    char sig[WEBHOOK_SIGNATURE_MAX];
    webhook_sign(key, len, "msg_test_001", 1767225600, VEC_BODY, strlen(VEC_BODY), sig);
    assert_string_equal(sig, VEC_SIG);
    /* One byte more of body, another signature. */
    webhook_sign(key, len, "msg_test_001", 1767225600, VEC_BODY " ", strlen(VEC_BODY) + 1, sig);
    assert_string_not_equal(sig, VEC_SIG);
    /* The prefix is optional, as in the reference libraries. */
    assert_int_equal(webhook_key(&VEC_SECRET[6], key, &len, &e), 0);
    assert_int_equal(len, 32);
}

static void refuses_bad_secrets_without_quoting_them(void **state)
{
    (void)state;
    const char *bad[] = {"", "whsec_", "whsec_not*base64!", "whsec_abc", "whsec_QUJD=A==",
                         /* 66 bytes: longer than the scheme allows */
                         ("whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1"
                          "hZWkFCQ0RFRkdISUpLTE1OT1A=")};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        unsigned char key[64];
        size_t len;
        struct err e = {0};
        assert_int_equal(webhook_key(bad[i], key, &len, &e), CORE_EINVAL);
        assert_non_null(strstr(e.msg, "WEBHOOK_SECRET"));
        if (strlen(bad[i]) > 6)
            assert_null(strstr(e.msg, bad[i] + 6));
    }
}

static void ids_are_stable_and_distinct(void **state)
{
    (void)state;
    char a[40], b[40], c[40], d[40];
    webhook_id("job.1", 7, a);
    webhook_id("job.1", 7, b);
    webhook_id("job.1", 8, c);
    webhook_id("job.17", 7 - 6, d); /* "job.1" "7" and "job.17" "1" must differ */
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d);
    assert_int_equal(strlen(a), 36);
    assert_null(strchr(a, '.'));
}

static void parses_schedules(void **state)
{
    (void)state;
    int64_t ms[CONFIG_MAX_DURATIONS];
    assert_int_equal(config_durations("5s,30s,2m,1h,1d,250ms,1.5s, 3", ms, CONFIG_MAX_DURATIONS),
                     8);
    int64_t want[] = {5000, 30000, 120000, 3600000, 86400000, 250, 1500, 3000};
    for (int i = 0; i < 8; i++)
        assert_int_equal(ms[i], want[i]);
    assert_int_equal(config_durations("", ms, CONFIG_MAX_DURATIONS), 0);
    const char *bad[] = {"5x", "-1s", "5s,", ",5s", "s", "1e400s", "400d", "5s;6s"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(config_durations(bad[i], ms, CONFIG_MAX_DURATIONS), -1);
    assert_int_equal(config_durations("1s,1s,1s", ms, 2), -1);
}

/* ---- the outbox ---- */

struct seen {
    char job[8][32];
    int64_t seq[8];
    int n;
};

static int collect(void *ctx, const struct store_delivery *d)
{
    struct seen *s = ctx;
    snprintf(s->job[s->n], sizeof s->job[0], "%s", d->job_id);
    s->seq[s->n++] = d->seq;
    return s->n == 8;
}

static struct seen due(struct store *st, int64_t now, int64_t *next)
{
    struct seen s = {0};
    struct err e = {0};
    int64_t ignored;
    assert_int_equal(store_outbox_due(st, now, 8, collect, &s, next ? next : &ignored, &e), 0);
    return s;
}

static void outbox_orders_retries_and_dead_letters(void **state)
{
    (void)state;
    char path[] = "/tmp/prospect-test-outbox-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct store *st = NULL;
    struct err e = {0};
    assert_int_equal(store_open(path, &st, &e), 0);
    const char *url = "http://127.0.0.1:9/hook";
    for (int j = 0; j < 2; j++) {
        const char *id = j ? "b" : "a";
        assert_int_equal(store_job_create(st, id, "u", "", "{}", &e), 0);
        for (int seq = 1; seq <= 3; seq++)
            assert_int_equal(store_event_append(st, id, seq, "status_update", "{}", url, &e), 0);
    }
    /* An event stored without a URL has no delivery. */
    assert_int_equal(store_job_create(st, "c", "u", "", "{}", &e), 0);
    assert_int_equal(store_event_append(st, "c", 1, "status_update", "{}", NULL, &e), 0);

    int64_t now = clock_now_ms() + 1000, next = 0;
    struct seen s = due(st, now, &next);
    assert_int_equal(s.n, 2); /* each job's first, and only that */
    for (int i = 0; i < 2; i++)
        assert_int_equal(s.seq[i], 1);
    assert_true(next > 0 && next <= now);

    /* a's 1 fails and waits; b's 1 is delivered, so b's 2 is next. */
    assert_int_equal(store_outbox_mark(st, "a", 1, STORE_RETRY, 1, now + 60000, "HTTP 500", &e), 0);
    assert_int_equal(store_outbox_mark(st, "b", 1, STORE_DELIVERED, 1, 0, NULL, &e), 0);
    s = due(st, now, &next);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.job[0], "b");
    assert_int_equal(s.seq[0], 2);
    s = due(st, now + 60000, NULL); /* a's retry is due, and a's 2 still waits behind it */
    assert_int_equal(s.n, 2);
    assert_true((strcmp(s.job[0], "a") == 0 && s.seq[0] == 1) ||
                (strcmp(s.job[1], "a") == 0 && s.seq[1] == 1));

    /* A dead letter lets the job's next event go. */
    assert_int_equal(store_outbox_mark(st, "a", 1, STORE_DEAD, 4, 0, "HTTP 500", &e), 0);
    s = due(st, now, NULL);
    assert_int_equal(s.n, 2);
    struct store_outbox_counts c;
    assert_int_equal(store_outbox_counts(st, "a", &c, &e), 0);
    assert_int_equal(c.dead, 1);
    assert_int_equal(c.pending, 2);

    /* 410: nothing more goes to the receiver, later events included... */
    assert_int_equal(store_outbox_disable(st, url, "the receiver answered 410 Gone", &e), 0);
    assert_int_equal(due(st, now, NULL).n, 0);
    assert_int_equal(store_event_append(st, "b", 4, "status_update", "{}", url, &e), 0);
    assert_int_equal(due(st, now, NULL).n, 0);
    char why[64];
    assert_int_equal(store_outbox_disabled(st, url, why, sizeof why, &e), 0);
    assert_non_null(strstr(why, "410"));
    assert_int_equal(store_outbox_counts(st, NULL, &c, &e), 0);
    assert_int_equal(c.disabled, 5);
    /* ...until it is enabled again, dead letters included on request. */
    int64_t n = 0;
    assert_int_equal(store_outbox_enable(st, url, true, &n, &e), 0);
    assert_int_equal(n, 6);
    assert_int_equal(store_outbox_disabled(st, url, why, sizeof why, &e), CORE_ENOTFOUND);
    s = due(st, clock_now_ms() + 1000, NULL);
    assert_int_equal(s.n, 2);

    /* Retention: only jobs finished before the cutoff go, with everything. */
    assert_int_equal(store_job_status(st, "a", "succeeded", NULL, &e), 0);
    assert_int_equal(store_jobs_purge(st, clock_now_ms() - 3600000, &n, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_jobs_purge(st, clock_now_ms() + 1000, &n, &e), 0);
    assert_int_equal(n, 1); /* a; b and c never finished */
    struct store_job sj = {0};
    assert_int_equal(store_job_get(st, "a", &sj, &e), CORE_ENOTFOUND);
    assert_int_equal(store_outbox_counts(st, "a", &c, &e), 0);
    assert_int_equal(c.pending + c.delivered + c.dead + c.disabled, 0);
    assert_int_equal(store_job_delete(st, "b", &e), 0);
    assert_int_equal(store_job_delete(st, "b", &e), CORE_ENOTFOUND);
    assert_int_equal(store_outbox_counts(st, NULL, &c, &e), 0);
    assert_int_equal(c.pending + c.delivered + c.dead + c.disabled, 0);
    assert_int_equal(store_job_get(st, "c", &sj, &e), 0);
    store_job_release(&sj);

    store_close(st);
    unlink(path);
    char side[sizeof path + 8];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signs_the_reference_vector),
        cmocka_unit_test(refuses_bad_secrets_without_quoting_them),
        cmocka_unit_test(ids_are_stable_and_distinct),
        cmocka_unit_test(parses_schedules),
        cmocka_unit_test(outbox_orders_retries_and_dead_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
