/* industry_int.h: what the files of src/industry share: the tables of
 * terms.c (sector titles, schema.org types, broad terms) for naics.c. */
#ifndef PROSPECT_INDUSTRY_INT_H
#define PROSPECT_INDUSTRY_INT_H

#include "industry/industry.h"

/* industry__schema_code(type): the NAICS code a schema.org type settles
 * ("Plumber": "238220"), or NULL for types that say nothing of the trade
 * ("Organization", "LocalBusiness"). */
const char *industry__schema_code(const char *type);

/* industry__schema_type(i): the i-th schema.org type of the table, in
 * strcmp's order; NULL past its end (for the tests). */
const char *industry__schema_type(size_t i);

/* industry__broad(phrase, out, max, whole): the code prefixes of the broad
 * terms ("SaaS", "Home services", "Healthcare") and sector titles found in
 * phrase (lower case); returns how many (0 when it names none). *whole (may
 * be NULL) tells whether they cover every word of phrase. */
size_t industry__broad(const char *phrase, struct industry_code *out, size_t max, bool *whole);

/* industry__sector_title(two): the official title of a sector ("23"). */
const char *industry__sector_title(const char *two);

/* industry__sector_of(code, out): the sector a code belongs to, the first
 * two digits with the split sectors joined ("32", "33" -> "31"). */
void industry__sector_of(const char *code, char out[3]);

#endif
