/* test_core.c: unit tests of the core module: capped buffers, strict number
 * parsing, UTF-8 checks, timestamps and the logger's secret redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"

static void buf_respects_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345"), 0);
    assert_int_equal(buf_puts(&b, "6789"), CORE_ETOOBIG);
    assert_string_equal(buf_cstr(&b), "12345"); /* unchanged after a refused append */
    assert_int_equal(buf_printf(&b, "%d", 678), 0);
    assert_string_equal(buf_cstr(&b), "12345678");
    assert_int_equal(buf_putc(&b, 'x'), CORE_ETOOBIG);
    char *s = buf_detach(&b);
    assert_string_equal(s, "12345678");
    assert_int_equal(b.len, 0);
    free(s);
    assert_string_equal(buf_cstr(&b), "");
    buf_release(&b);
}

static void str_to_i64_is_strict(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_equal(str_to_i64("5001", &v), 0);
    assert_int_equal(v, 5001);
    assert_int_equal(str_to_i64("-7", &v), 0);
    assert_int_equal(v, -7);
    assert_int_equal(str_to_i64("abc", &v), CORE_EINVAL);
    assert_int_equal(str_to_i64("12abc", &v), CORE_EINVAL);
    assert_int_equal(str_to_i64(" 12", &v), CORE_EINVAL);
    assert_int_equal(str_to_i64("", &v), CORE_EINVAL);
    assert_int_equal(str_to_i64("99999999999999999999", &v), CORE_EINVAL);
}

static void str_to_bool_accepts_common_words(void **state)
{
    (void)state;
    bool b = false;
    assert_int_equal(str_to_bool("TRUE", &b), 0);
    assert_true(b);
    assert_int_equal(str_to_bool("off", &b), 0);
    assert_false(b);
    assert_int_equal(str_to_bool("maybe", &b), CORE_EINVAL);
}

static void utf8_check_finds_bad_bytes(void **state)
{
    (void)state;
    size_t bad = 0;
    assert_true(str_utf8_check("caf\xc3\xa9 \xf0\x9f\x98\x80", 10, &bad));
    assert_false(str_utf8_check("ab\xff", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(str_utf8_check("\xc0\xaf", 2, &bad));     /* overlong '/' */
    assert_false(str_utf8_check("\xed\xa0\x80", 3, &bad)); /* surrogate */
    assert_false(str_utf8_check("\xe2\x82", 2, &bad));     /* truncated */
    assert_int_equal(str_utf8_len("caf\xc3\xa9"), 4);
}

static void clock_formats_utc_with_millis(void **state)
{
    (void)state;
    char ts[CLOCK_ISO_LEN];
    clock_format_iso(1705314600000, ts);
    assert_string_equal(ts, "2024-01-15T10:30:00.000Z");
    clock_format_iso(1705314675123, ts);
    assert_string_equal(ts, "2024-01-15T10:31:15.123Z");
    clock_format_iso(0, ts);
    assert_string_equal(ts, "1970-01-01T00:00:00.000Z");
}

static void random_hex_is_hex_and_varies(void **state)
{
    (void)state;
    char a[33], b[33];
    str_random_hex(a, 16);
    str_random_hex(b, 16);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "0123456789abcdef"), 32);
    assert_string_not_equal(a, b);
}

static char *capture_log(enum log_format fmt, const char *secret)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    log_setup(LOG_DEBUG, fmt, f);
    log_add_secret(secret);
    log_info("calling upstream", LOG_S("key", secret), LOG_S("note", "has spaces \"q\""),
             LOG_I("n", 42), LOG_B("ok", 1));
    log_debug("plain");
    log_setup(LOG_INFO, LOG_FORMAT_LOGFMT, NULL);
    log_clear_secrets();
    long size = ftell(f);
    rewind(f);
    char *s = calloc(1, (size_t)size + 1);
    assert_int_equal(fread(s, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    return s;
}

static void log_redacts_secrets_logfmt(void **state)
{
    (void)state;
    char *s = capture_log(LOG_FORMAT_LOGFMT, "tvly-SECRET-123456");
    assert_null(strstr(s, "tvly-SECRET-123456"));
    assert_non_null(strstr(s, "key=[redacted]"));
    assert_non_null(strstr(s, "level=info msg=\"calling upstream\""));
    assert_non_null(strstr(s, "note=\"has spaces \\\"q\\\"\""));
    assert_non_null(strstr(s, " n=42 ok=true\n"));
    assert_non_null(strstr(s, "level=debug msg=plain\n"));
    free(s);
}

static void log_json_lines(void **state)
{
    (void)state;
    char *s = capture_log(LOG_FORMAT_JSON, "sk-abcdefgh");
    assert_null(strstr(s, "sk-abcdefgh"));
    assert_non_null(
        strstr(s, "\"level\":\"info\",\"msg\":\"calling upstream\",\"key\":\"[redacted]\""));
    assert_non_null(strstr(s, "\"n\":42,\"ok\":true}\n"));
    free(s);
}

static void log_level_threshold(void **state)
{
    (void)state;
    enum log_level l;
    assert_int_equal(log_level_parse("warn", &l), 0);
    assert_int_equal(l, LOG_WARN);
    assert_int_equal(log_level_parse("loud", &l), CORE_EINVAL);
    log_setup(LOG_WARN, LOG_FORMAT_LOGFMT, NULL);
    assert_false(log_enabled(LOG_INFO));
    assert_true(log_enabled(LOG_ERROR));
    log_setup(LOG_INFO, LOG_FORMAT_LOGFMT, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_respects_cap),
        cmocka_unit_test(str_to_i64_is_strict),
        cmocka_unit_test(str_to_bool_accepts_common_words),
        cmocka_unit_test(utf8_check_finds_bad_bytes),
        cmocka_unit_test(clock_formats_utc_with_millis),
        cmocka_unit_test(random_hex_is_hex_and_varies),
        cmocka_unit_test(log_redacts_secrets_logfmt),
        cmocka_unit_test(log_json_lines),
        cmocka_unit_test(log_level_threshold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
