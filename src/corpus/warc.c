/* warc.c: the WARC record reader and HTTP response parser of warc.h.
 *
 * Files go through zlib's gz* interface, which reads both plain files and
 * concatenated gzip members, so per-record compression needs no special
 * case. Everything else is plain byte handling with explicit caps.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "corpus/warc.h"

#define WARC_MAX_LINE 16384
#define WARC_MAX_HEADERS 256

struct warc_reader {
    gzFile gz;       /* file input, or NULL */
    const char *mem; /* memory input */
    size_t mem_len, mem_pos;
    char buf[65536];
    size_t len, pos; /* unread bytes are buf[pos..len) */
    int64_t offset;  /* stream offset of buf[pos] */
    bool eof, failed;
    int64_t line_start; /* stream offset of the last line read */
    bool pending;       /* a version line was consumed by resync */
    int64_t pending_offset;
    size_t max_record;
};

int warc_open_file(const char *path, size_t max_record, struct warc_reader **out, struct err *e)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return err_set(e, CORE_EIO, "cannot open: %s", errno ? strerror(errno) : "out of memory");
    gzbuffer(gz, 128 * 1024);
    struct warc_reader *r = xcalloc(1, sizeof *r);
    r->gz = gz;
    r->max_record = max_record;
    *out = r;
    return 0;
}

void warc_open_mem(const char *data, size_t len, size_t max_record, struct warc_reader **out)
{
    struct warc_reader *r = xcalloc(1, sizeof *r);
    r->mem = data;
    r->mem_len = len;
    r->max_record = max_record;
    *out = r;
}

void warc_close(struct warc_reader *r)
{
    if (!r)
        return;
    if (r->gz)
        gzclose(r->gz);
    free(r);
}

/* Makes at least one unread byte available; false at the end or on error. */
static bool fill(struct warc_reader *r)
{
    if (r->pos < r->len)
        return true;
    if (r->eof || r->failed)
        return false;
    r->pos = r->len = 0;
    if (r->gz) {
        int n = gzread(r->gz, r->buf, sizeof r->buf);
        if (n < 0) {
            r->failed = true;
            return false;
        }
        if (n == 0) {
            /* zlib reports a gzip stream cut short only through gzerror */
            int zerr = Z_OK;
            gzerror(r->gz, &zerr);
            if (zerr != Z_OK && zerr != Z_STREAM_END)
                r->failed = true;
            else
                r->eof = true;
            return false;
        }
        r->len = (size_t)n;
    } else {
        size_t n = r->mem_len - r->mem_pos;
        if (n > sizeof r->buf)
            n = sizeof r->buf;
        if (n == 0) {
            r->eof = true;
            return false;
        }
        memcpy(r->buf, r->mem + r->mem_pos, n);
        r->mem_pos += n;
        r->len = n;
    }
    return true;
}

/* Reads one line (without CR/LF) into line. 1: a line; 0: end of input;
 * -1: the line exceeds the cap (the rest of it is consumed). */
static int read_line(struct warc_reader *r, struct buf *line)
{
    buf_reset(line);
    r->line_start = r->offset;
    bool any = false, too_long = false;
    while (fill(r)) {
        any = true;
        char *start = r->buf + r->pos;
        char *nl = memchr(start, '\n', r->len - r->pos);
        size_t n = nl ? (size_t)(nl - start) : r->len - r->pos;
        if (!too_long && buf_append(line, start, n))
            too_long = true;
        r->pos += n + (nl ? 1 : 0);
        r->offset += (int64_t)(n + (nl ? 1 : 0));
        if (nl)
            break;
    }
    if (!any)
        return 0;
    if (line->len && line->data[line->len - 1] == '\r')
        line->data[--line->len] = '\0';
    return too_long ? -1 : 1;
}

/* Copies n bytes into out (when not NULL) or skips them; false if the input
 * ends first. */
static bool read_bytes(struct warc_reader *r, char *out, size_t n)
{
    while (n) {
        if (!fill(r))
            return false;
        size_t k = r->len - r->pos < n ? r->len - r->pos : n;
        if (out) {
            memcpy(out, r->buf + r->pos, k);
            out += k;
        }
        r->pos += k;
        r->offset += (int64_t)k;
        n -= k;
    }
    return true;
}

static bool header_is(const char *line, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncasecmp(line, name, n) != 0 || line[n] != ':')
        return false;
    const char *v = line + n + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    *value = v;
    return true;
}

void warc_record_release(struct warc_record *rec)
{
    free(rec->target_uri);
    free(rec->date);
    free(rec->content_type);
    free(rec->block);
    memset(rec, 0, sizeof *rec);
}

/* After a damaged record: skip to the next line that starts a record; that
 * line is then already consumed (r->pending). */
static void resync(struct warc_reader *r, struct buf *line)
{
    int rc;
    while ((rc = read_line(r, line)) != 0) {
        if (rc > 0 && strncmp(line->data, "WARC/", 5) == 0) {
            r->pending = true;
            r->pending_offset = r->line_start;
            return;
        }
    }
}

int warc_next(struct warc_reader *r, struct warc_record *rec, struct err *e)
{
    memset(rec, 0, sizeof *rec);
    struct buf line;
    buf_init(&line, WARC_MAX_LINE);
    int rc;

    if (r->pending) {
        r->pending = false;
        rec->offset = r->pending_offset;
    } else {
        do { /* blank lines between records */
            rc = read_line(r, &line);
        } while (rc > 0 && line.len == 0);
        if (rc == 0) {
            buf_release(&line);
            if (r->failed)
                return err_set(e, CORE_EIO,
                               "the file is damaged or truncated (decompression failed)");
            return 0;
        }
        rec->offset = r->line_start;
        if (rc < 0 || strncmp(line.data, "WARC/", 5) != 0) {
            err_set(e, CORE_EPARSE, "no WARC record at offset %lld", (long long)rec->offset);
            resync(r, &line);
            buf_release(&line);
            return CORE_EPARSE;
        }
    }

    int64_t length = -1;
    int nheaders = 0;
    while ((rc = read_line(r, &line)) > 0 && line.len > 0) {
        if (++nheaders > WARC_MAX_HEADERS)
            break;
        const char *v;
        if (header_is(line.data, "Content-Length", &v)) {
            char *end;
            errno = 0;
            long long n = strtoll(v, &end, 10);
            if (!errno && end != v && n >= 0)
                length = n;
        } else if (header_is(line.data, "WARC-Type", &v)) {
            snprintf(rec->type, sizeof rec->type, "%.31s", v);
        } else if (header_is(line.data, "WARC-Target-URI", &v)) {
            free(rec->target_uri);
            /* Some writers wrap the URI in angle brackets (WARC/1.0 grammar). */
            size_t n = strlen(v);
            if (n >= 2 && v[0] == '<' && v[n - 1] == '>')
                rec->target_uri = xstrndup(v + 1, n - 2);
            else
                rec->target_uri = xstrdup(v);
        } else if (header_is(line.data, "WARC-Date", &v)) {
            free(rec->date);
            rec->date = xstrdup(v);
        } else if (header_is(line.data, "Content-Type", &v)) {
            free(rec->content_type);
            rec->content_type = xstrdup(v);
        }
    }
    int result;
    if (rc <= 0 || nheaders > WARC_MAX_HEADERS || length < 0) {
        result =
            err_set(e, CORE_EPARSE, "damaged WARC header at offset %lld%s", (long long)rec->offset,
                    rc == 0      ? " (file ends)"
                    : length < 0 ? " (no Content-Length)"
                                 : "");
        if (rc != 0)
            resync(r, &line);
        goto fail;
    }
    if ((uint64_t)length > r->max_record) {
        bool whole = read_bytes(r, NULL, (size_t)length);
        result = err_set(e, whole ? CORE_ETOOBIG : CORE_EPARSE,
                         "record at offset %lld is %lld bytes; the limit is %zu%s",
                         (long long)rec->offset, (long long)length, r->max_record,
                         whole ? " (skipped)" : " (and the file ends inside it)");
        goto fail;
    }
    rec->block = xmalloc((size_t)length + 1);
    if (!read_bytes(r, rec->block, (size_t)length)) {
        result = err_set(e, r->failed ? CORE_EIO : CORE_EPARSE,
                         "record at offset %lld is truncated (%lld bytes announced)",
                         (long long)rec->offset, (long long)length);
        goto fail;
    }
    rec->block[length] = '\0';
    rec->block_len = (size_t)length;
    if (!rec->target_uri)
        rec->target_uri = xstrdup("");
    if (!rec->date)
        rec->date = xstrdup("");
    if (!rec->content_type)
        rec->content_type = xstrdup("");
    buf_release(&line);
    return 1;
fail:
    buf_release(&line);
    warc_record_release(rec);
    return result;
}

/* ---- HTTP responses inside records ---- */

static int dechunk(const char *p, size_t n, size_t max, struct buf *out)
{
    size_t i = 0;
    while (i < n) {
        char *end;
        errno = 0;
        unsigned long long size = strtoull(p + i, &end, 16);
        if (end == p + i || errno)
            return CORE_EPARSE;
        const char *nl = memchr(end, '\n', n - (size_t)(end - p));
        if (!nl)
            return CORE_EPARSE;
        i = (size_t)(nl - p) + 1;
        if (size == 0)
            return 0;
        if (size > n - i) /* a truncated last chunk: keep what is there */
            size = n - i;
        if (out->len + size > max)
            size = max - out->len;
        if (buf_append(out, p + i, (size_t)size))
            return CORE_ETOOBIG;
        if (out->len >= max)
            return 0;
        i += (size_t)size;
        while (i < n && (p[i] == '\r' || p[i] == '\n'))
            i++;
    }
    return 0;
}

static int inflate_body(const char *p, size_t n, size_t max, struct buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) /* gzip or zlib, detected */
        return CORE_EPARSE;
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    char chunk[32768];
    int rc = 0;
    for (;;) {
        z.next_out = (Bytef *)chunk;
        z.avail_out = sizeof chunk;
        int zr = inflate(&z, Z_NO_FLUSH);
        size_t got = sizeof chunk - z.avail_out;
        if (got) {
            if (out->len + got > max)
                got = max - out->len;
            if (buf_append(out, chunk, got) || out->len >= max)
                break;
        }
        if (zr == Z_STREAM_END)
            break;
        if (zr != Z_OK) {
            rc = out->len ? 0 : CORE_EPARSE; /* keep what a truncated stream gave */
            break;
        }
        if (z.avail_in == 0)
            break;
    }
    inflateEnd(&z);
    return rc;
}

static void media_type(const char *v, struct http_response *out)
{
    size_t n = strcspn(v, ";");
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (n >= sizeof out->content_type)
        n = sizeof out->content_type - 1;
    for (size_t i = 0; i < n; i++)
        out->content_type[i] = (char)tolower((unsigned char)v[i]);
    out->content_type[n] = '\0';
    const char *cs = strcasestr(v, "charset=");
    if (cs) {
        cs += 8;
        while (*cs == '"' || *cs == '\'' || *cs == ' ')
            cs++;
        size_t k = 0;
        while (cs[k] && k + 1 < sizeof out->charset &&
               (isalnum((unsigned char)cs[k]) || strchr("-_.:", cs[k])))
            k++;
        memcpy(out->charset, cs, k);
        out->charset[k] = '\0';
    }
}

int http_response_parse(const char *block, size_t len, size_t max_body, struct http_response *out,
                        struct err *e)
{
    memset(out, 0, sizeof *out);
    if (len < 12 || strncmp(block, "HTTP/", 5) != 0)
        return err_set(e, CORE_EPARSE, "not an HTTP response");
    const char *sp = memchr(block, ' ', len < 16 ? len : 16);
    if (!sp || !isdigit((unsigned char)sp[1]) || !isdigit((unsigned char)sp[2]) ||
        !isdigit((unsigned char)sp[3]))
        return err_set(e, CORE_EPARSE, "bad HTTP status line");
    out->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');

    bool chunked = false;
    char encoding[32] = "";
    size_t i = (size_t)((const char *)memchr(block, '\n', len) - block);
    if (i >= len)
        return err_set(e, CORE_EPARSE, "HTTP headers never end");
    i++;
    for (;;) {
        const char *nl = memchr(block + i, '\n', len - i);
        if (!nl)
            return err_set(e, CORE_EPARSE, "HTTP headers never end");
        size_t n = (size_t)(nl - (block + i));
        if (n && block[i + n - 1] == '\r')
            n--;
        if (n == 0) {
            i = (size_t)(nl - block) + 1;
            break;
        }
        char line[1024];
        size_t k = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, block + i, k);
        line[k] = '\0';
        const char *v;
        if (header_is(line, "Content-Type", &v))
            media_type(v, out);
        else if (header_is(line, "Transfer-Encoding", &v))
            chunked = strcasestr(v, "chunked") != NULL;
        else if (header_is(line, "Content-Encoding", &v))
            snprintf(encoding, sizeof encoding, "%.31s", v);
        i = (size_t)(nl - block) + 1;
    }

    struct buf body, plain;
    buf_init(&body, 0);
    buf_init(&plain, 0);
    const char *p = block + i;
    size_t n = len - i;
    if (chunked && dechunk(p, n, max_body, &plain) == 0) {
        p = plain.data ? plain.data : "";
        n = plain.len;
    }
    int rc = 0;
    if (strcasecmp(encoding, "gzip") == 0 || strcasecmp(encoding, "x-gzip") == 0 ||
        strcasecmp(encoding, "deflate") == 0) {
        if (inflate_body(p, n, max_body, &body))
            rc = err_set(e, CORE_EPARSE, "body announced as %s does not decompress", encoding);
    } else {
        rc = buf_append(&body, p, n < max_body ? n : max_body) ? CORE_ETOOBIG : 0;
    }
    buf_release(&plain);
    if (rc) {
        buf_release(&body);
        return rc;
    }
    out->body_len = body.len;
    out->body = buf_detach(&body);
    return 0;
}

void http_response_release(struct http_response *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}
