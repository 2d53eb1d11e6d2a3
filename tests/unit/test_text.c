/* test_text.c: the tokenizer (offsets, folding, accents, limits), stop
 * words and Snowball stemming shared by the index, queries and retrieval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"

struct toks {
    char out[1024];
    size_t n;
    size_t starts[64], ends[64];
};

static int collect(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct toks *t = ctx;
    size_t used = strlen(t->out);
    snprintf(t->out + used, sizeof t->out - used, "%s%.*s", used ? "|" : "", (int)len, tok);
    if (t->n < 64) {
        t->starts[t->n] = start;
        t->ends[t->n] = end;
    }
    t->n++;
    return 0;
}

static struct toks tokenize(const char *s)
{
    struct toks t;
    memset(&t, 0, sizeof t);
    assert_int_equal(text_tokenize(s, strlen(s), collect, &t), 0);
    return t;
}

static void splits_and_folds(void **state)
{
    (void)state;
    struct toks t = tokenize("Hello, World! E-mail: info@Acme.example; 10-100 staff");
    assert_string_equal(t.out, "hello|world|e|mail|info|acme|example|10|100|staff");
    assert_int_equal(t.starts[1], 7);
    assert_int_equal(t.ends[1], 12);
}

static void unicode_words(void **state)
{
    (void)state;
    /* accents removed, case folded (ß -> ss), CJK kept as letters */
    struct toks t = tokenize("Café MÜNCHEN Straße \xe6\x9d\xb1\xe4\xba\xac naïve");
    assert_string_equal(t.out, "cafe|munchen|strasse|\xe6\x9d\xb1\xe4\xba\xac|naive");
    /* byte offsets are into the original text */
    assert_int_equal(t.starts[0], 0);
    assert_int_equal(t.ends[0], 5); /* "Café" is 5 bytes */
}

static void invalid_utf8_separates(void **state)
{
    (void)state;
    struct toks t = tokenize("abc\xff\xfe"
                             "def\xc3");
    assert_string_equal(t.out, "abc|def");
}

static void long_runs_are_cut(void **state)
{
    (void)state;
    char s[200];
    memset(s, 'a', 150);
    s[150] = '\0';
    struct toks t = tokenize(s);
    assert_int_equal(t.n, 3); /* 64 + 64 + 22 */
}

static int stop_after_two(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    (void)tok;
    (void)len;
    (void)start;
    (void)end;
    int *n = ctx;
    return ++*n == 2 ? 42 : 0;
}

static void callback_can_stop(void **state)
{
    (void)state;
    int n = 0;
    assert_int_equal(text_tokenize("one two three", 13, stop_after_two, &n), 42);
    assert_int_equal(n, 2);
}

static void stop_words(void **state)
{
    (void)state;
    assert_true(text_is_stopword("the", 3));
    assert_true(text_is_stopword("with", 4));
    assert_true(text_is_stopword("your", 4));
    assert_false(text_is_stopword("crm", 3));
    assert_false(text_is_stopword("th", 2));
    assert_false(text_is_stopword("theirx", 6));
}

static void stems(void **state)
{
    (void)state;
    struct text_stemmer *st = text_stemmer_new();
    size_t n;
    const char *s = text_stem(st, "spreadsheets", 12, &n);
    assert_int_equal(n, 11);
    assert_memory_equal(s, "spreadsheet", 11);
    s = text_stem(st, "tracking", 8, &n);
    assert_memory_equal(s, "track", 5);
    assert_int_equal(n, 5);
    s = text_stem(st, "deliveries", 10, &n);
    assert_memory_equal(s, "deliveri", n);
    s = text_stem(st, "2026", 4, &n); /* numbers are left alone */
    assert_memory_equal(s, "2026", 4);
    text_stemmer_free(st);
    text_stemmer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_and_folds),
        cmocka_unit_test(unicode_words),
        cmocka_unit_test(invalid_utf8_separates),
        cmocka_unit_test(long_runs_are_cut),
        cmocka_unit_test(callback_can_stop),
        cmocka_unit_test(stop_words),
        cmocka_unit_test(stems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
