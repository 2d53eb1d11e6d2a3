/* err.h: error codes and the optional message that travels with them.
 *
 * Functions return 0 or a negative CORE_E* code; when a caller passes a
 * struct err, the function that found the problem fills a short message,
 * which the boundary (CLI, HTTP handler) logs or shows once.
 */
#ifndef PROSPECT_CORE_ERR_H
#define PROSPECT_CORE_ERR_H

#include <stddef.h>

enum {
    CORE_OK = 0,
    CORE_EINVAL = -1,  /* bad input or argument */
    CORE_ETOOBIG = -2, /* a cap would be passed */
    CORE_EIO = -3,     /* operating system I/O failed */
    CORE_ENOTFOUND = -4,
    CORE_EPARSE = -5, /* malformed data */
    CORE_EUNSUP = -6, /* valid but not supported */
    CORE_ECANCELED = -7,
    CORE_ETIMEOUT = -8,
    CORE_EUPSTREAM = -9, /* a remote service failed */
    CORE_EEXIST = -10,
    CORE_EINTERNAL = -11,
    CORE_EBUSY = -12, /* in use now: try again later */
};

struct err {
    int code;
    char msg[256];
};

/* err_set(e, code, fmt, ...): fills e (when not NULL) and returns code, so a
 * failure is `return err_set(e, CORE_EINVAL, "...")`. */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* err_str(code): a static name for a code ("invalid argument", ...). */
const char *err_str(int code);

#include "core/banned.h"
#endif
