/* str.h: small string helpers: strict number parsing, UTF-8 checks, trimming,
 * random identifiers. Thread: any.
 */
#ifndef PROSPECT_CORE_STR_H
#define PROSPECT_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* str_to_i64(s, out): parses a whole decimal integer (optional sign, no
 * spaces, no trailing text, no overflow). 0 or CORE_EINVAL. */
int str_to_i64(const char *s, int64_t *out) __attribute__((warn_unused_result));

/* str_to_bool(s, out): true/false, 1/0, yes/no, on/off (any case). 0 or
 * CORE_EINVAL. */
int str_to_bool(const char *s, bool *out) __attribute__((warn_unused_result));

/* str_eq_nocase(a, b): ASCII case-insensitive equality. */
bool str_eq_nocase(const char *a, const char *b);

/* str_has_prefix(s, prefix). */
bool str_has_prefix(const char *s, const char *prefix);

/* str_utf8_check(p, n, bad): true when p[0..n) is valid UTF-8 (no overlongs,
 * no surrogates, nothing past U+10FFFF); on false *bad (if not NULL) is the
 * offset of the first bad byte. */
bool str_utf8_check(const char *p, size_t n, size_t *bad);

/* str_utf8_len(s): the number of code points in a valid UTF-8 string. */
size_t str_utf8_len(const char *s);

/* str_is_blank(s): NULL, empty, or only ASCII white space. */
bool str_is_blank(const char *s);

/* str_alnum_key(s, out, n): s's ASCII letters and digits in lower case,
 * cut to fit out (n bytes): "Housecall Pro" and "housecall-pro" give
 * "housecallpro". */
void str_alnum_key(const char *s, char *out, size_t n);

/* str_count_words(s): the runs of non-space bytes in s. */
size_t str_count_words(const char *s);

/* str_trim_dup(s): a copy without leading/trailing ASCII white space; the
 * caller frees it. */
char *str_trim_dup(const char *s);

/* str_random_hex(out, nbytes): writes 2*nbytes hex digits of OS randomness
 * and a NUL into out (which holds 2*nbytes+1 bytes). */
void str_random_hex(char *out, size_t nbytes);

#include "core/banned.h"
#endif
