/* log.c: the structured logger of log.h.
 *
 * Each line is built in a local buffer, scrubbed of registered secrets, and
 * written with one fwrite under a mutex, so concurrent lines never interleave.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"

#define LOG_LINE_MAX (64 * 1024)
#define LOG_MAX_SECRETS 64

static enum log_level threshold = LOG_INFO;
static enum log_format format = LOG_FORMAT_LOGFMT;
static FILE *stream;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *secrets[LOG_MAX_SECRETS];
static size_t nsecrets;

static const char *level_names[] = {"debug", "info", "warn", "error", "off"};

void log_setup(enum log_level level, enum log_format fmt, FILE *out)
{
    threshold = level;
    format = fmt;
    stream = out;
}

int log_level_parse(const char *s, enum log_level *out)
{
    for (int i = LOG_DEBUG; i <= LOG_OFF; i++) {
        if (str_eq_nocase(s, level_names[i])) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    if (str_eq_nocase(s, "warning")) {
        *out = LOG_WARN;
        return 0;
    }
    return CORE_EINVAL;
}

int log_format_parse(const char *s, enum log_format *out)
{
    if (str_eq_nocase(s, "logfmt") || str_eq_nocase(s, "text"))
        *out = LOG_FORMAT_LOGFMT;
    else if (str_eq_nocase(s, "json"))
        *out = LOG_FORMAT_JSON;
    else
        return CORE_EINVAL;
    return 0;
}

bool log_enabled(enum log_level level)
{
    return level != LOG_OFF && level >= threshold;
}

void log_add_secret(const char *s)
{
    if (!s || strlen(s) < 4)
        return;
    pthread_mutex_lock(&lock);
    bool known = false;
    for (size_t i = 0; i < nsecrets; i++)
        known = known || strcmp(secrets[i], s) == 0;
    if (!known && nsecrets < LOG_MAX_SECRETS)
        secrets[nsecrets++] = xstrdup(s);
    pthread_mutex_unlock(&lock);
}

void log_clear_secrets(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nsecrets; i++)
        free(secrets[i]);
    nsecrets = 0;
    pthread_mutex_unlock(&lock);
}

/* Appends s as a JSON string body (without quotes) or a logfmt value. */
static void put_escaped(struct buf *b, const char *s, bool json)
{
    bool quote = json || *s == '\0';
    for (const char *p = s; !quote && *p; p++)
        quote = *p == ' ' || *p == '=' || *p == '"' || (unsigned char)*p < 0x20;
    int rc = 0;
    if (quote)
        rc |= buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            rc |= buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            rc |= buf_puts(b, "\\n");
        else if (*p == '\t')
            rc |= buf_puts(b, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            rc |= buf_printf(b, "\\u%04x", *p);
        else
            rc |= buf_putc(b, (char)*p);
    }
    if (quote)
        rc |= buf_putc(b, '"');
    (void)rc; /* a line past the cap is written truncated */
}

static void put_field(struct buf *b, const struct log_field *f, bool json)
{
    int rc = buf_puts(b, json ? ",\"" : " ");
    rc |= buf_puts(b, f->key);
    rc |= buf_puts(b, json ? "\":" : "=");
    switch (f->type) {
    case LOG__STR:
        if (f->s)
            put_escaped(b, f->s, json);
        else
            rc |= buf_puts(b, json ? "null" : "\"\"");
        break;
    case LOG__INT: rc |= buf_printf(b, "%lld", (long long)f->i); break;
    case LOG__DBL: rc |= buf_printf(b, "%.6g", f->d); break;
    case LOG__BOOL: rc |= buf_puts(b, f->i ? "true" : "false"); break;
    }
    (void)rc;
}

static void scrub(struct buf *line)
{
    for (size_t i = 0; i < nsecrets; i++) {
        size_t n = strlen(secrets[i]);
        char *hit;
        while ((hit = strstr(line->data, secrets[i])) != NULL) {
            static const char mask[] = "[redacted]";
            size_t off = (size_t)(hit - line->data);
            struct buf out;
            buf_init(&out, 0);
            int rc = buf_append(&out, line->data, off);
            rc |= buf_puts(&out, mask);
            rc |= buf_puts(&out, hit + n);
            (void)rc;
            buf_release(line);
            *line = out;
        }
    }
}

void log__emit(enum log_level level, const char *msg, const struct log_field *fields)
{
    if (!log_enabled(level))
        return;
    bool json = format == LOG_FORMAT_JSON;
    char ts[CLOCK_ISO_LEN];
    clock_format_iso(clock_now_ms(), ts);

    struct buf line;
    buf_init(&line, LOG_LINE_MAX);
    int rc;
    if (json) {
        rc = buf_printf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":", ts, level_names[level]);
        put_escaped(&line, msg, true);
    } else {
        rc = buf_printf(&line, "ts=%s level=%s msg=", ts, level_names[level]);
        put_escaped(&line, msg, false);
    }
    for (const struct log_field *f = fields; f && f->key; f++)
        put_field(&line, f, json);
    rc |= buf_puts(&line, json ? "}\n" : "\n");
    (void)rc;

    pthread_mutex_lock(&lock);
    scrub(&line);
    FILE *out = stream ? stream : stderr;
    fwrite(line.data, 1, line.len, out);
    if (line.data[line.len - 1] != '\n') /* cut at the cap */
        fputc('\n', out);
    fflush(out);
    pthread_mutex_unlock(&lock);
    buf_release(&line);
}
