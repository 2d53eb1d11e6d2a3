/* test_warc.c: the WARC reader (records, resynchronisation after damage,
 * truncation, the size cap) and the HTTP response parser (status, media
 * type, charset, chunked transfer, gzip content). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "core/buf.h"
#include "corpus/warc.h"

static void add_record(struct buf *w, const char *type, const char *uri, const char *ctype,
                       const char *block, size_t len)
{
    assert_int_equal(buf_printf(w,
                                "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\n"
                                "WARC-Date: 2026-03-01T12:00:00Z\r\nContent-Type: %s\r\n"
                                "Content-Length: %zu\r\n\r\n",
                                type, uri, ctype, len),
                     0);
    assert_int_equal(buf_append(w, block, len), 0);
    assert_int_equal(buf_puts(w, "\r\n\r\n"), 0);
}

static size_t gzip(const char *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return len;
}

static void reads_records_and_resyncs(void **state)
{
    (void)state;
    struct buf w, http;
    buf_init(&w, 0);
    buf_init(&http, 0);
    add_record(&w, "warcinfo", "", "application/warc-fields", "software: test\r\n", 16);

    /* A response with a gzip body sent in two chunks, in Latin-1. */
    const char *page = "<html><head><title>Caf\xe9</title></head><body>Hello</body></html>";
    unsigned char gz[512];
    size_t gzlen = gzip(page, strlen(page), gz, sizeof gz);
    size_t half = gzlen / 2;
    assert_int_equal(
        buf_printf(&http,
                   "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n"
                   "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n%zx\r\n",
                   half),
        0);
    assert_int_equal(buf_append(&http, gz, half), 0);
    assert_int_equal(buf_printf(&http, "\r\n%zx\r\n", gzlen - half), 0);
    assert_int_equal(buf_append(&http, gz + half, gzlen - half), 0);
    assert_int_equal(buf_puts(&http, "\r\n0\r\n\r\n"), 0);
    add_record(&w, "response", "<https://cafe.example/>", "application/http; msgtype=response",
               http.data, http.len);

    assert_int_equal(buf_puts(&w, "this is not a record\r\nnor this\r\n"), 0);
    add_record(&w, "resource", "https://b.example/", "text/html", "<p>b</p>", 8);
    assert_int_equal(buf_puts(&w, "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 500\r\n\r\n"
                                  "cut short"),
                     0);

    struct warc_reader *r;
    warc_open_mem(w.data, w.len, 1 << 20, &r);
    struct warc_record rec;
    struct err e = {0};
    assert_int_equal(warc_next(r, &rec, &e), 1);
    assert_string_equal(rec.type, "warcinfo");
    assert_int_equal(rec.offset, 0);
    warc_record_release(&rec);

    assert_int_equal(warc_next(r, &rec, &e), 1);
    assert_string_equal(rec.type, "response");
    assert_string_equal(rec.target_uri, "https://cafe.example/"); /* brackets removed */
    assert_string_equal(rec.date, "2026-03-01T12:00:00Z");
    struct http_response resp;
    assert_int_equal(http_response_parse(rec.block, rec.block_len, 1 << 20, &resp, &e), 0);
    assert_int_equal(resp.status, 200);
    assert_string_equal(resp.content_type, "text/html");
    assert_string_equal(resp.charset, "ISO-8859-1");
    assert_int_equal(resp.body_len, strlen(page));
    assert_memory_equal(resp.body, page, strlen(page));
    http_response_release(&resp);
    warc_record_release(&rec);

    assert_int_equal(warc_next(r, &rec, &e), CORE_EPARSE);
    assert_non_null(strstr(e.msg, "no WARC record at offset"));
    assert_int_equal(warc_next(r, &rec, &e), 1); /* resynchronised */
    assert_string_equal(rec.type, "resource");
    assert_string_equal(rec.block, "<p>b</p>");
    warc_record_release(&rec);

    assert_int_equal(warc_next(r, &rec, &e), CORE_EPARSE);
    assert_non_null(strstr(e.msg, "truncated"));
    assert_int_equal(warc_next(r, &rec, &e), 0);
    warc_close(r);
    buf_release(&w);
    buf_release(&http);
}

static void oversized_records_are_skipped(void **state)
{
    (void)state;
    struct buf w;
    buf_init(&w, 0);
    char big[4096];
    memset(big, 'x', sizeof big);
    add_record(&w, "resource", "https://big.example/", "text/html", big, sizeof big);
    add_record(&w, "resource", "https://small.example/", "text/html", "ok", 2);
    struct warc_reader *r;
    warc_open_mem(w.data, w.len, 1024, &r);
    struct warc_record rec;
    struct err e = {0};
    assert_int_equal(warc_next(r, &rec, &e), CORE_ETOOBIG);
    assert_non_null(strstr(e.msg, "the limit is 1024"));
    assert_int_equal(warc_next(r, &rec, &e), 1);
    assert_string_equal(rec.target_uri, "https://small.example/");
    warc_record_release(&rec);
    assert_int_equal(warc_next(r, &rec, &e), 0);
    warc_close(r);
    buf_release(&w);
}

static void missing_length_is_damage(void **state)
{
    (void)state;
    const char *w = "WARC/1.0\r\nWARC-Type: response\r\n\r\nbody\r\n\r\n";
    struct warc_reader *r;
    warc_open_mem(w, strlen(w), 1024, &r);
    struct warc_record rec;
    struct err e = {0};
    assert_int_equal(warc_next(r, &rec, &e), CORE_EPARSE);
    assert_non_null(strstr(e.msg, "no Content-Length"));
    assert_int_equal(warc_next(r, &rec, &e), 0);
    warc_close(r);
}

static void http_parse_errors(void **state)
{
    (void)state;
    struct http_response resp;
    struct err e = {0};
    const char *bad[] = {"", "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 abc\r\n\r\n",
                         "HTTP/1.1 200 OK\r\nContent-Type: text/html"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(http_response_parse(bad[i], strlen(bad[i]), 100, &resp, &e), CORE_EPARSE);
    const char *cut = "HTTP/1.0 404 Not Found\nContent-Type: TEXT/HTML;charset=\"utf-8\"\n\n"
                      "0123456789";
    assert_int_equal(http_response_parse(cut, strlen(cut), 4, &resp, &e), 0);
    assert_int_equal(resp.status, 404);
    assert_string_equal(resp.content_type, "text/html");
    assert_string_equal(resp.charset, "utf-8");
    assert_int_equal(resp.body_len, 4); /* capped */
    http_response_release(&resp);
    const char *notgz = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nplain text";
    assert_int_equal(http_response_parse(notgz, strlen(notgz), 100, &resp, &e), CORE_EPARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_records_and_resyncs),
        cmocka_unit_test(oversized_records_are_skipped),
        cmocka_unit_test(missing_length_is_damage),
        cmocka_unit_test(http_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
