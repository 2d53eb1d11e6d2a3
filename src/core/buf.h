/* buf.h: a growable byte buffer with a hard cap, always NUL-terminated.
 *
 * Every buffer filled from input (request bodies, pages, upstream answers,
 * client queues) has a cap; appending past it fails with CORE_ETOOBIG and
 * leaves the contents unchanged. Thread: owned by one thread at a time.
 */
#ifndef PROSPECT_CORE_BUF_H
#define PROSPECT_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len; /* bytes used, without the terminator */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on len; 0 means SIZE_MAX */
};

/* buf_init(b, max): an empty buffer that may hold up to max bytes (0: no cap). */
void buf_init(struct buf *b, size_t max);

/* buf_release(b): frees the storage; b is empty and reusable afterwards. */
void buf_release(struct buf *b);

/* buf_reset(b): empties b, keeping its storage. */
void buf_reset(struct buf *b);

/* buf_append(b, p, n), buf_puts(b, s), buf_putc(b, c), buf_printf(b, fmt, ...):
 * append; 0, or CORE_ETOOBIG when the cap would be passed (b unchanged). */
int buf_append(struct buf *b, const void *p, size_t n) __attribute__((warn_unused_result));
int buf_puts(struct buf *b, const char *s) __attribute__((warn_unused_result));
int buf_putc(struct buf *b, char c) __attribute__((warn_unused_result));
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), warn_unused_result));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0), warn_unused_result));

/* buf_cstr(b): the contents as a C string, "" when empty; borrowed until the
 * next change to b. */
const char *buf_cstr(const struct buf *b);

/* buf_detach(b): hands the contents (never NULL) to the caller, who frees it;
 * b is left empty. */
char *buf_detach(struct buf *b);

#include "core/banned.h"
#endif
