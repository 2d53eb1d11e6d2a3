/* phone.h: phone numbers in text, found and normalised to E.164 by Google's
 * libphonenumber (through the C++ shim phone.cc), so that dates, prices and
 * identifiers that merely look like numbers are rejected by the same rules
 * the phone industry uses. Thread: any.
 */
#ifndef PROSPECT_EXTRACT_PHONE_H
#define PROSPECT_EXTRACT_PHONE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Called for each number found: its E.164 form and its byte range in text. */
typedef void (*phone_found_fn)(void *ctx, const char *e164, size_t start, size_t end);

/* phone_find(text, len, region, fn, ctx): finds valid numbers in UTF-8
 * text (libphonenumber's VALID leniency: phones.c checks the grouping
 * itself). region is the ISO 3166 code numbers without a country code
 * belong to ("US", "DE"); "ZZ" or NULL accepts only numbers written with
 * +CC. */
void phone_find(const char *text, size_t len, const char *region, phone_found_fn fn, void *ctx);

/* phone_parse(s, region, out): parses one number (a tel: link's); 0 with the
 * E.164 form in out (32 bytes), or -1 when it is not a valid number. */
int phone_parse(const char *s, const char *region, char out[32]);

/* phone_region_of(e164, out): the region a number belongs to ("US"), or
 * "ZZ"; out holds 3 bytes. */
void phone_region_of(const char *e164, char out[3]);

#ifdef __cplusplus
}
#endif
#endif
