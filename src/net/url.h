/* url.h: URLs as Prospect needs them: parse, resolve, normalise, and the
 * registrable domain ("site") that leads are deduplicated by.
 *
 * Parsing is libcurl's URL API; registrable domains come from libpsl with
 * the system's public suffix list (the built-in list when that is missing).
 * Thread: any.
 */
#ifndef PROSPECT_NET_URL_H
#define PROSPECT_NET_URL_H

#include <stdbool.h>

/* url_normalize(url): an absolute http(s) URL in canonical form (scheme and
 * host lower-case, default port and fragment dropped, empty path "/"), which
 * the caller frees; NULL when url is not an absolute http(s) URL. */
char *url_normalize(const char *url);

/* url_resolve(base, ref): ref resolved against base and normalised; the
 * caller frees it; NULL when the result is not http(s). */
char *url_resolve(const char *base, const char *ref);

/* url_host(url): the lower-case host, which the caller frees; NULL when url
 * has none. */
char *url_host(const char *url);

/* url_site_of_host(host): the registrable domain of host ("shop.acme.co.uk"
 * -> "acme.co.uk"); for IP addresses and single labels the host itself. The
 * caller frees it. */
char *url_site_of_host(const char *host);

/* url_site(url): url_site_of_host of url's host; NULL when url has no host. */
char *url_site(const char *url);

/* url_path(url): the path and query ("/about?x=1"), which the caller frees;
 * NULL when url does not parse. */
char *url_path(const char *url);

/* url_is_tld(label, n): whether label[0..n) is a top-level domain of the
 * public suffix list ("com", "uk", "xn--p1ai"), or one reserved for
 * examples and tests ("example", "test"); case-insensitive. */
bool url_is_tld(const char *label, size_t n);

#include "core/banned.h"
#endif
