/* alloc.h: allocation wrappers that abort on out-of-memory.
 *
 * Callers check sizes that come from input against their caps before calling
 * these; running out of memory is not an error Prospect recovers from.
 * Thread: any.
 */
#ifndef PROSPECT_CORE_ALLOC_H
#define PROSPECT_CORE_ALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* xmalloc(n), xcalloc(n, size), xrealloc(p, n): like the libc calls, but never
 * return NULL (they abort with a message). The caller frees the result. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

/* xstrdup(s), xstrndup(s, n): a copy the caller frees; xstrdup(NULL) is NULL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* xasprintf(fmt, ...), xvasprintf(fmt, ap): a formatted string the caller
 * frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#include "core/banned.h"
#endif
