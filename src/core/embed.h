/* embed.h: files compiled into the binary by cmake/embed.cmake. */
#ifndef PROSPECT_CORE_EMBED_H
#define PROSPECT_CORE_EMBED_H

#include <stdbool.h>
#include <stddef.h>

struct embed_file {
    const char *name;          /* path relative to the embedded folder */
    const unsigned char *data; /* NUL-terminated, static */
    size_t len;                /* without the terminator */
};

/* A file's lines, sorted bytewise; blank lines and lines starting with #
 * left out. Each points into the embedded file, ended by its newline (not
 * NUL); the array is kept for the process's life. */
struct embed_list {
    const char **v;
    size_t n;
};

/* embed_lines(files, name, out): the lines of the file called name among
 * files (an embed.cmake array); empty when there is none. */
void embed_lines(const struct embed_file *files, const char *name, struct embed_list *out);

/* embed_list_has(l, s): whether s (NUL-terminated, no newline) is one of
 * l's lines. */
bool embed_list_has(const struct embed_list *l, const char *s);

#endif
