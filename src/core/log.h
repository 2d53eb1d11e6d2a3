/* log.h: levelled, structured logging to stderr (logfmt or JSON lines).
 *
 * A line is a message plus typed key/value fields:
 *     log_info("corpus indexed", LOG_I("pages", n), LOG_S("db", path));
 * Secrets registered with log_add_secret() are replaced by "[redacted]"
 * wherever they would appear in a line. Thread: any (lines are written whole).
 */
#ifndef PROSPECT_CORE_LOG_H
#define PROSPECT_CORE_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };
enum log_format { LOG_FORMAT_LOGFMT, LOG_FORMAT_JSON };

enum { LOG__END, LOG__STR, LOG__INT, LOG__DBL, LOG__BOOL };
struct log_field {
    const char *key;
    int type;
    const char *s;
    int64_t i;
    double d;
};

#define LOG_S(k, v) ((struct log_field){.key = (k), .type = LOG__STR, .s = (v)})
#define LOG_I(k, v) ((struct log_field){.key = (k), .type = LOG__INT, .i = (int64_t)(v)})
#define LOG_F(k, v) ((struct log_field){.key = (k), .type = LOG__DBL, .d = (double)(v)})
#define LOG_B(k, v) ((struct log_field){.key = (k), .type = LOG__BOOL, .i = !!(v)})

#define LOG__EMIT(lvl, msg, ...)                                                                   \
    log__emit((lvl), (msg), (const struct log_field[]){__VA_ARGS__ __VA_OPT__(, ){0}})
#define log_debug(msg, ...) LOG__EMIT(LOG_DEBUG, msg __VA_OPT__(, ) __VA_ARGS__)
#define log_info(msg, ...) LOG__EMIT(LOG_INFO, msg __VA_OPT__(, ) __VA_ARGS__)
#define log_warn(msg, ...) LOG__EMIT(LOG_WARN, msg __VA_OPT__(, ) __VA_ARGS__)
#define log_error(msg, ...) LOG__EMIT(LOG_ERROR, msg __VA_OPT__(, ) __VA_ARGS__)

/* log_setup(level, format, out): sets the threshold, the line format and the
 * stream (borrowed; NULL means stderr). Call before other threads log. */
void log_setup(enum log_level level, enum log_format format, FILE *out);

/* log_level_parse(s, out), log_format_parse(s, out): names to values
 * ("debug", "info", "warn", "error", "off"; "logfmt", "json"). 0 or CORE_EINVAL. */
int log_level_parse(const char *s, enum log_level *out) __attribute__((warn_unused_result));
int log_format_parse(const char *s, enum log_format *out) __attribute__((warn_unused_result));

/* log_enabled(level): whether a line at this level would be written. */
bool log_enabled(enum log_level level);

/* log_add_secret(s): copies s; from now on it is redacted from every line.
 * Values shorter than 4 bytes are ignored (they would redact ordinary words). */
void log_add_secret(const char *s);

/* log_clear_secrets(): forgets every registered secret (tests, reload). */
void log_clear_secrets(void);

void log__emit(enum log_level level, const char *msg, const struct log_field *fields);

#include "core/banned.h"
#endif
