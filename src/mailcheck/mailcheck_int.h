/* mailcheck_int.h: what the files of mailcheck share. */
#ifndef PROSPECT_MAILCHECK_INT_H
#define PROSPECT_MAILCHECK_INT_H

#include "mailcheck/mailcheck.h"

/* What DNS says of a domain's mail. */
enum mail_domain {
    MAIL_DOMAIN_UNKNOWN,      /* no answer: no network, a timeout, SERVFAIL */
    MAIL_DOMAIN_MX,           /* MX records */
    MAIL_DOMAIN_ADDRESS_ONLY, /* no MX, but A or AAAA: the implicit MX of RFC 5321 */
    MAIL_DOMAIN_NO_MAIL,      /* no MX, A or AAAA, or a null MX (RFC 7505) */
    MAIL_DOMAIN_NXDOMAIN,     /* the domain does not exist */
};

/* mailcheck__resolve(o, domains, n, out): each domain's verdict, from the
 * cache or asked at once within o->timeout_ms (dns.c). */
void mailcheck__resolve(const struct mailcheck_options *o, const char *const *domains, size_t n,
                        enum mail_domain *out);

/* mailcheck__answer_ttl(msg, len): the smallest TTL of a DNS answer's
 * records (capped at a day), or -1 when it has none or is malformed. Any
 * bytes are safe to pass (the fuzz target does). */
int mailcheck__answer_ttl(const unsigned char *msg, int len);

#endif
