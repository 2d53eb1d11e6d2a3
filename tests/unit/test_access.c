/* test_access.c: API keys (inline and from a file of digests), errors that
 * never quote a secret, the bearer check and its use of a constant-time
 * comparison, token buckets per client with Retry-After, and CORS origins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "http/access.h"

static struct access *open_with(const char *keys, const char *origins, int64_t rpm, int64_t jpm,
                                struct err *e, int *rc)
{
    struct config cfg = {
        .api_keys = keys, .cors_origins = origins, .rate_requests = rpm, .rate_jobs = jpm};
    struct access *a = NULL;
    *rc = access_new(&cfg, &a, e);
    return a;
}

static void checks_bearer_keys(void **state)
{
    (void)state;
    struct err e = {0};
    int rc;
    struct access *a =
        open_with("alice:alice-secret-0123456789,bob:bob-secret-0123456789abc", "", 0, 0, &e, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(access_keys(a), 2);
    char name[ACCESS_NAME_MAX];
    assert_int_equal(access_check(a, "Bearer alice-secret-0123456789", name), 0);
    assert_string_equal(name, "alice");
    assert_int_equal(access_check(a, "bearer  bob-secret-0123456789abc ", name), 0);
    assert_string_equal(name, "bob");
    const char *wrong[] = {"Bearer alice-secret-012345678", "Bearer alice-secret-0123456789x",
                           "Bearer bob-secret-0123456789ab", "Bearer ALICE-SECRET-0123456789"};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++)
        assert_int_equal(access_check(a, wrong[i], name), CORE_ENOTFOUND);
    const char *malformed[] = {
        NULL, "", "Bearer", "Bearer   ", "Basic YWxpY2U6eA==", "alice-secret-0123456789"};
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++)
        assert_int_equal(access_check(a, malformed[i], name), CORE_EINVAL);
    access_free(a);
}

static void reads_a_file_of_digests(void **state)
{
    (void)state;
    char path[] = "/tmp/prospect-keys-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* sha256("team-a-secret-value-42") */
    const char *text = "# name:sha256 of the secret\n\n"
                       "team-a:F6A83A65F66CA7356403F44F7265B45FF177819DE3C64D8E98433B086B4C1189\n"
                       "  ops:0000000000000000000000000000000000000000000000000000000000000000  \n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char at[64];
    snprintf(at, sizeof at, "@%s", path);
    struct err e = {0};
    int rc;
    struct access *a = open_with(at, "", 0, 0, &e, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(access_keys(a), 2);
    char name[ACCESS_NAME_MAX];
    assert_int_equal(access_check(a, "Bearer team-a-secret-value-42", name), 0);
    assert_string_equal(name, "team-a");
    assert_int_equal(access_check(a, "Bearer team-a-secret-value-43", name), CORE_ENOTFOUND);
    access_free(a);

    /* A malformed line is named by its number. */
    fd = open(path, O_WRONLY | O_TRUNC);
    const char *bad = "ok:0000000000000000000000000000000000000000000000000000000000000000\n"
                      "broken:abc\n";
    assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
    close(fd);
    a = open_with(at, "", 0, 0, &e, &rc);
    assert_int_equal(rc, CORE_EINVAL);
    assert_null(a);
    assert_non_null(strstr(e.msg, "line 2"));
    unlink(path);
    a = open_with("@/nonexistent/keys", "", 0, 0, &e, &rc);
    assert_int_equal(rc, CORE_EIO);
}

static void refuses_bad_keys_without_quoting_secrets(void **state)
{
    (void)state;
    const char *bad[] = {"nocolon-secret-0123456789", "a:short", "bad name:secret-0123456789ab",
                         "a:secret-0123456789ab,a:other-secret-0123456789", ":secret-0123456789ab"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct err e = {0};
        int rc;
        struct access *a = open_with(bad[i], "", 0, 0, &e, &rc);
        assert_int_equal(rc, CORE_EINVAL);
        assert_null(a);
        assert_non_null(strstr(e.msg, "PROSPECT_API_KEYS"));
        assert_null(strstr(e.msg, "secret-0123456789"));
        assert_null(strstr(e.msg, "short"));
    }
}

/* The check compares digests with CRYPTO_memcmp over every key; a plain
 * comparison there would leak, by timing, how much of a key was right. */
static void compares_in_constant_time(void **state)
{
    (void)state;
    FILE *f = fopen(PROSPECT_SOURCE_DIR "/src/http/access.c", "r");
    assert_non_null(f);
    static char src[65536];
    size_t n = fread(src, 1, sizeof src - 1, f);
    fclose(f);
    src[n] = '\0';
    const char *fn = strstr(src, "\nint access_check(");
    assert_non_null(fn);
    const char *end = strstr(fn, "\n}\n");
    assert_non_null(end);
    char body[4096];
    size_t len = (size_t)(end - fn) < sizeof body - 1 ? (size_t)(end - fn) : sizeof body - 1;
    memcpy(body, fn, len);
    body[len] = '\0';
    assert_non_null(strstr(body, "CRYPTO_memcmp("));
    assert_null(strstr(body, " memcmp("));
    assert_null(strstr(body, "strcmp("));
    assert_null(strstr(body, "break;")); /* every key is compared */
}

static void buckets_refill_per_client(void **state)
{
    (void)state;
    struct err e = {0};
    int rc;
    struct access *a = open_with("", "", 3, 1, &e, &rc);
    assert_int_equal(rc, 0);
    int64_t retry = 0;
    for (int i = 0; i < 3; i++)
        assert_true(access_take(a, ACCESS_REQUEST, "ip:10.0.0.1", &retry));
    assert_false(access_take(a, ACCESS_REQUEST, "ip:10.0.0.1", &retry));
    assert_true(retry >= 19 && retry <= 20);                            /* a token every 20 s */
    assert_true(access_take(a, ACCESS_REQUEST, "ip:10.0.0.2", &retry)); /* another client */
    assert_true(access_take(a, ACCESS_JOB, "ip:10.0.0.1", &retry));     /* another kind */
    assert_false(access_take(a, ACCESS_JOB, "ip:10.0.0.1", &retry));
    assert_true(retry >= 59 && retry <= 60);
    /* Many clients: the table stays bounded and keeps working. */
    char who[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(who, sizeof who, "ip:192.0.2.%d", i);
        assert_true(access_take(a, ACCESS_REQUEST, who, &retry));
    }
    access_free(a);
    a = open_with("", "", 0, 0, &e, &rc); /* 0: no limit */
    for (int i = 0; i < 1000; i++)
        assert_true(access_take(a, ACCESS_REQUEST, "ip:10.0.0.1", &retry));
    access_free(a);
}

static void allows_listed_origins(void **state)
{
    (void)state;
    struct err e = {0};
    int rc;
    struct access *a =
        open_with("", "https://app.example.com, http://localhost:3000/", 0, 0, &e, &rc);
    assert_true(access_origin_allowed(a, "https://app.example.com"));
    assert_true(access_origin_allowed(a, "http://localhost:3000"));
    assert_false(access_origin_allowed(a, "https://evil.example.com"));
    assert_false(access_origin_allowed(a, "https://app.example.com.evil.net"));
    assert_false(access_origin_allowed(a, NULL));
    access_free(a);
    a = open_with("", "", 0, 0, &e, &rc);
    assert_false(access_origin_allowed(a, "https://app.example.com"));
    access_free(a);
    a = open_with("", "*", 0, 0, &e, &rc);
    assert_true(access_origin_allowed(a, "https://anything.example"));
    access_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checks_bearer_keys),
        cmocka_unit_test(reads_a_file_of_digests),
        cmocka_unit_test(refuses_bad_keys_without_quoting_secrets),
        cmocka_unit_test(compares_in_constant_time),
        cmocka_unit_test(buckets_refill_per_client),
        cmocka_unit_test(allows_listed_origins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
