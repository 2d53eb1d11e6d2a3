/* warc.h: a streaming reader of WARC files (ISO 28500, WARC/1.0 and 1.1),
 * plain or gzip-compressed record by record (as Common Crawl ships them),
 * and the parser of the HTTP response a WARC record holds.
 *
 * Records are read one at a time with a cap on their size, so a file of any
 * length streams in bounded memory. A damaged record is reported and the
 * reader resynchronises on the next "WARC/" line when it can. Thread: a
 * reader belongs to one thread.
 */
#ifndef PROSPECT_CORPUS_WARC_H
#define PROSPECT_CORPUS_WARC_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct warc_reader;

/* warc_open_file(path, max_record, out, e): opens path (.warc or .warc.gz).
 * Records larger than max_record bytes are skipped and reported. */
int warc_open_file(const char *path, size_t max_record, struct warc_reader **out, struct err *e)
    __attribute__((warn_unused_result));

/* warc_open_mem(data, len, max_record, out): a reader over uncompressed WARC
 * bytes (borrowed until warc_close). */
void warc_open_mem(const char *data, size_t len, size_t max_record, struct warc_reader **out);

void warc_close(struct warc_reader *r);

struct warc_record {
    char type[32];      /* WARC-Type: "response", "resource", "request", ... */
    char *target_uri;   /* WARC-Target-URI (owned; "" when absent) */
    char *date;         /* WARC-Date (owned; "" when absent) */
    char *content_type; /* Content-Type of the block (owned; "" when absent) */
    char *block;        /* the record's block (owned, NUL-terminated) */
    size_t block_len;
    int64_t offset; /* where the record started in the (uncompressed) stream */
};

/* warc_next(r, rec, e): reads the next record into rec (release it with
 * warc_record_release). Returns 1 for a record, 0 at the end of the input,
 * CORE_EPARSE for a damaged record (e says what and where; the next call
 * goes on after it when the reader could resynchronise), CORE_ETOOBIG for a
 * skipped oversized record, CORE_EIO when the input cannot be read further. */
int warc_next(struct warc_reader *r, struct warc_record *rec, struct err *e)
    __attribute__((warn_unused_result));

void warc_record_release(struct warc_record *rec);

struct http_response {
    int status;
    char content_type[128]; /* media type, lower case, without parameters */
    char charset[64];       /* from Content-Type, "" when absent */
    char *body;             /* decoded (de-chunked, decompressed); owned */
    size_t body_len;
};

/* http_response_parse(block, len, max_body, out, e): parses an HTTP/1.x
 * response (status line, headers, body), undoing chunked transfer encoding
 * and gzip/deflate content encoding; the body is capped at max_body bytes.
 * 0, or CORE_EPARSE with e saying why. Release out with
 * http_response_release. */
int http_response_parse(const char *block, size_t len, size_t max_body, struct http_response *out,
                        struct err *e) __attribute__((warn_unused_result));

void http_response_release(struct http_response *r);

#include "core/banned.h"
#endif
