/* access.h: who may use the server and how much: API keys, rate limits
 * (token buckets per key and per client address), and the browser origins
 * allowed by CORS. Internal to src/http.
 * Thread: every function may be called from any thread.
 */
#ifndef PROSPECT_HTTP_ACCESS_H
#define PROSPECT_HTTP_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "core/err.h"

#define ACCESS_NAME_MAX 64 /* a key's name, NUL included */

struct access;

/* access_new(cfg, out, e): reads PROSPECT_API_KEYS: "name:secret,..." or
 * "@FILE" of "name:sha256-hex" lines (# comments, blank lines). Only
 * SHA-256 digests of the secrets are kept. CORE_EINVAL names the entry (by
 * position or line, never its secret) that is malformed or repeated;
 * CORE_EIO for an unreadable file. */
int access_new(const struct config *cfg, struct access **out, struct err *e)
    __attribute__((warn_unused_result));

void access_free(struct access *a);

/* access_keys(a): how many keys there are (0: the API is open). */
int access_keys(const struct access *a);

/* access_check(a, authorization, name): the key named by an Authorization
 * header ("Bearer <secret>"): 0 with its name copied, or CORE_EINVAL (no
 * bearer token) or CORE_ENOTFOUND (no such key). The token's digest is
 * compared with every key's in constant time, so the answer's timing says
 * nothing about which key (or which prefix) came close. */
int access_check(const struct access *a, const char *authorization, char name[ACCESS_NAME_MAX]);

enum access_kind { ACCESS_REQUEST, ACCESS_JOB };

/* access_take(a, kind, who, retry_after_s): takes a token from who's bucket
 * of that kind (who: "key:NAME" or "ip:ADDRESS"); false, with the seconds
 * until one is free, when it is empty. Always true when that limit is 0. */
bool access_take(struct access *a, enum access_kind kind, const char *who, int64_t *retry_after_s);

/* access_origin_allowed(a, origin): whether PROSPECT_CORS_ORIGINS lets a
 * page from origin call the API. */
bool access_origin_allowed(const struct access *a, const char *origin);

#include "core/banned.h"
#endif
