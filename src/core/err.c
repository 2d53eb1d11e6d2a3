/* err.c: error names and the err_set helper of err.h. */
#include <stdarg.h>
#include <stdio.h>

#include "core/err.h"

int err_set(struct err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        e->code = code;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *err_str(int code)
{
    switch (code) {
    case CORE_OK: return "ok";
    case CORE_EINVAL: return "invalid argument";
    case CORE_ETOOBIG: return "too large";
    case CORE_EIO: return "input/output error";
    case CORE_ENOTFOUND: return "not found";
    case CORE_EPARSE: return "malformed data";
    case CORE_EUNSUP: return "not supported";
    case CORE_ECANCELED: return "canceled";
    case CORE_ETIMEOUT: return "timed out";
    case CORE_EUPSTREAM: return "upstream failure";
    case CORE_EEXIST: return "already exists";
    case CORE_EINTERNAL: return "internal error";
    case CORE_EBUSY: return "busy";
    }
    return "unknown error";
}
