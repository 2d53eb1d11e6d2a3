/* embed.h: files compiled into the binary by cmake/embed.cmake. */
#ifndef PROSPECT_CORE_EMBED_H
#define PROSPECT_CORE_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *name;          /* path relative to the embedded folder */
    const unsigned char *data; /* NUL-terminated, static */
    size_t len;                /* without the terminator */
};

#endif
