/* mailcheck.h: whether an e-mail address found on a page will reach
 * someone: a status (valid, risky, invalid, unknown) with its reasons.
 *
 * The checks: the address's syntax (RFC 5321/5322, as extraction reads
 * it); whether its domain takes mail (MX records, else A or AAAA as RFC
 * 5321 allows, asked of DNS with c-ares, at once, within a deadline, kept
 * for their TTL); a role account (info@, sales@); a free-mail provider; a
 * disposable-mail domain; whether the domain is the company's own site.
 * Mailboxes are never probed over SMTP: that gets the sender blocklisted,
 * and catch-all domains make the answer meaningless. With no DNS answer
 * (no network, a timeout) an address is unknown, never invalid.
 * Thread: any; the DNS cache is shared by the process.
 */
#ifndef PROSPECT_MAILCHECK_H
#define PROSPECT_MAILCHECK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config/config.h"

enum mail_status { MAIL_VALID, MAIL_RISKY, MAIL_INVALID, MAIL_UNKNOWN };

#define MAIL_MAX_REASONS 6

struct mail_check {
    char *email; /* owned, lower case */
    enum mail_status status;
    const char *reasons[MAIL_MAX_REASONS]; /* static: "mx", "role_account", ... */
    size_t nreasons;
};

struct mailcheck_options {
    const char *servers; /* "host:port,..." (PROSPECT_DNS_SERVERS); "": the system's */
    int64_t timeout_ms;  /* for one batch of lookups */
    size_t max_domains;  /* domains asked in one batch; the others are unknown */
    bool dns;            /* false: no lookups at all (every domain unknown) */
};

/* mailcheck_options_from_config(cfg, out): PROSPECT_DNS_SERVERS,
 * PROSPECT_DNS_TIMEOUT_MS, PROSPECT_MAIL_CHECKS. */
void mailcheck_options_from_config(const struct config *cfg, struct mailcheck_options *out);

/* mailcheck_run(o, emails, n, site, out): the checks of n addresses (their
 * domains asked at once) for the company at site (its registrable domain,
 * may be NULL); out[i] is emails[i]'s, released with mail_check_release. */
void mailcheck_run(const struct mailcheck_options *o, const char *const *emails, size_t n,
                   const char *site, struct mail_check *out);
void mail_check_release(struct mail_check *c);

const char *mail_status_name(enum mail_status s);

/* mail_checks_json(v, n): [{email, status, reasons: [...]}]; new reference. */
json_t *mail_checks_json(const struct mail_check *v, size_t n);

#include "core/banned.h"
#endif
