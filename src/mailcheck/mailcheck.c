/* mailcheck.c: an address's status from its checks (mailcheck.h). The
 * free-mail and disposable-mail domains are open data sets compiled into
 * the binary from data/email/ (see its README for their origin). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/embed.h"
#include "extract/extract.h"
#include "mailcheck/mailcheck_int.h"

extern const struct embed_file mail__data[]; /* data/email/, embedded */

/* ---- the domain lists ---- */

static struct embed_list freemail, disposable;

static void load_lists(void)
{
    embed_lines(mail__data, "freemail.txt", &freemail);
    embed_lines(mail__data, "disposable.txt", &disposable);
}

/* Whether domain, or a domain it lies under, is in the list. */
static bool listed(const struct embed_list *l, const char *domain)
{
    for (const char *d = domain; d; d = strchr(d, '.') ? strchr(d, '.') + 1 : NULL)
        if (embed_list_has(l, d))
            return true;
    return false;
}

/* ---- checks ---- */

void mailcheck_options_from_config(const struct config *cfg, struct mailcheck_options *out)
{
    *out = (struct mailcheck_options){.servers = cfg->dns_servers,
                                      .timeout_ms = cfg->dns_timeout_ms,
                                      .max_domains = 32,
                                      .dns = cfg->dns_timeout_ms > 0};
}

const char *mail_status_name(enum mail_status s)
{
    static const char *const names[] = {"valid", "risky", "invalid", "unknown"};
    return names[s];
}

static void because(struct mail_check *c, const char *reason)
{
    if (c->nreasons < MAIL_MAX_REASONS)
        c->reasons[c->nreasons++] = reason;
}

/* Worsens c's status to s (unknown stands above valid and risky: nothing
 * was learnt of the domain; invalid above all). */
static void at_least(struct mail_check *c, enum mail_status s)
{
    static const int rank[] = {
        [MAIL_VALID] = 0, [MAIL_RISKY] = 1, [MAIL_UNKNOWN] = 2, [MAIL_INVALID] = 3};
    if (rank[s] > rank[c->status])
        c->status = s;
}

void mailcheck_run(const struct mailcheck_options *o, const char *const *emails, size_t n,
                   const char *site, struct mail_check *out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load_lists);
    const char **domains = xcalloc(n ? n : 1, sizeof *domains);
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        struct mail_check *c = &out[i];
        *c = (struct mail_check){.status = MAIL_VALID};
        c->email = xstrdup(emails[i]);
        for (char *p = c->email; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        const char *at = strrchr(c->email, '@');
        if (!at || !extract_email_valid(c->email)) {
            because(c, "syntax");
            c->status = MAIL_INVALID;
            continue;
        }
        bool seen = false;
        for (size_t k = 0; k < nd && !seen; k++)
            seen = strcmp(domains[k], at + 1) == 0;
        if (!seen && o->dns)
            domains[nd++] = at + 1;
    }
    enum mail_domain *verdicts = xcalloc(nd ? nd : 1, sizeof *verdicts);
    if (nd)
        mailcheck__resolve(o, domains, nd, verdicts);
    for (size_t i = 0; i < n; i++) {
        struct mail_check *c = &out[i];
        if (c->status == MAIL_INVALID)
            continue;
        const char *domain = strrchr(c->email, '@') + 1;
        enum mail_domain v = MAIL_DOMAIN_UNKNOWN;
        for (size_t k = 0; k < nd; k++)
            if (strcmp(domains[k], domain) == 0)
                v = verdicts[k];
        if (listed(&disposable, domain)) {
            because(c, "disposable");
            at_least(c, MAIL_INVALID);
        }
        switch (v) {
        case MAIL_DOMAIN_MX: because(c, "mx"); break;
        case MAIL_DOMAIN_ADDRESS_ONLY:
            because(c, "no_mx_address_only");
            at_least(c, MAIL_RISKY);
            break;
        case MAIL_DOMAIN_NO_MAIL:
            because(c, "domain_takes_no_mail");
            at_least(c, MAIL_INVALID);
            break;
        case MAIL_DOMAIN_NXDOMAIN:
            because(c, "no_such_domain");
            at_least(c, MAIL_INVALID);
            break;
        case MAIL_DOMAIN_UNKNOWN:
            because(c, o->dns ? "dns_unanswered" : "dns_not_asked");
            at_least(c, MAIL_UNKNOWN);
            break;
        }
        char local[128];
        snprintf(local, sizeof local, "%.*s", (int)(domain - 1 - c->email), c->email);
        if (extract_email_role(local)) {
            because(c, "role_account");
            at_least(c, MAIL_RISKY);
        }
        if (listed(&freemail, domain)) {
            because(c, "free_mail");
            at_least(c, MAIL_RISKY);
        }
        if (site && *site) {
            size_t dl = strlen(domain), sl = strlen(site);
            bool own = strcmp(domain, site) == 0 ||
                       (dl > sl && domain[dl - sl - 1] == '.' && !strcmp(domain + dl - sl, site));
            because(c, own ? "company_domain" : "other_domain");
            if (!own)
                at_least(c, MAIL_RISKY);
        }
    }
    free(verdicts);
    free(domains);
}

void mail_check_release(struct mail_check *c)
{
    free(c->email);
    c->email = NULL;
}

json_t *mail_checks_json(const struct mail_check *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *why = json_array();
        for (size_t k = 0; k < v[i].nreasons; k++)
            json_array_append_new(why, json_string(v[i].reasons[k]));
        json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "email", v[i].email, "status",
                                           mail_status_name(v[i].status), "reasons", why));
    }
    return a;
}
