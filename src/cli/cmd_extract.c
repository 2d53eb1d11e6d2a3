/* cmd_extract.c: `prospect extract FILE.html|URL...`: the lead fields of
 * pages, one JSON object per input, with the status of each e-mail address
 * (mailcheck.h) against the page's site. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "core/alloc.h"
#include "core/str.h"
#include "extract/extract.h"
#include "fetch/fetch.h"
#include "mailcheck/mailcheck.h"
#include "net/url.h"

#define EXTRACT_READ_MAX (8u * 1024 * 1024)

static void print_text(const struct extract_page *p, const struct mail_check *checks)
{
    printf("url:          %s\n", p->url ? p->url : "-");
    printf("title:        %s\n", p->title ? p->title : "-");
    printf("company:      %s\n", p->company_name ? p->company_name : "-");
    printf("industry:     %s\n", p->industry ? p->industry : "-");
    printf("size:         %s\n", p->company_size ? p->company_size : "-");
    for (size_t i = 0; i < p->nemails; i++) {
        printf("email:        %s %s (", p->emails[i].address, mail_status_name(checks[i].status));
        for (size_t k = 0; k < checks[i].nreasons; k++)
            printf("%s%s", k ? ", " : "", checks[i].reasons[k]);
        printf(")\n");
    }
    for (size_t i = 0; i < p->phones.n; i++)
        printf("phone:        %s\n", p->phones.v[i]);
    for (size_t i = 0; i < p->social_network.n; i++)
        printf("%-13s %s\n", p->social_network.v[i], p->social_url.v[i]);
    for (size_t i = 0; i < p->technologies.n; i++)
        printf("technology:   %s\n", p->technologies.v[i]);
    for (size_t i = 0; i < p->nlinks; i++)
        printf("link:         %s %s\n", extract_link_kind_name(p->links[i].kind), p->links[i].url);
    printf("\n");
}

static int emit(const struct mailcheck_options *mo, const char *html, size_t len,
                const char *charset, const char *url, bool json, bool many, bool all_text,
                const char *input)
{
    struct extract_doc *d = NULL;
    struct err e = {0};
    if (extract_parse(html, len, charset, url, &d, &e)) {
        fprintf(stderr, "prospect extract: %s: %s\n", input, e.msg);
        return CLI_FAIL;
    }
    struct extract_page p;
    extract_page(d, NULL, &p);
    if (all_text) { /* the floor of main-text evaluation: every visible word */
        struct extract_text t;
        extract_text(d, &t);
        free(p.main_text);
        p.main_text = t.text;
        t.text = NULL;
        extract_text_release(&t);
    }
    const char **emails = xcalloc(p.nemails + 1, sizeof *emails);
    struct mail_check *checks = xcalloc(p.nemails + 1, sizeof *checks);
    for (size_t i = 0; i < p.nemails; i++)
        emails[i] = p.emails[i].address;
    char *site = url ? url_site(url) : NULL;
    mailcheck_run(mo, emails, p.nemails, site, checks);
    free(site);
    if (json) {
        json_t *o = extract_page_json(&p);
        json_object_set_new(o, "email_checks", mail_checks_json(checks, p.nemails));
        json_dumpf(o, stdout, (many ? JSON_COMPACT : JSON_INDENT(2)) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(o);
    } else {
        print_text(&p, checks);
    }
    for (size_t i = 0; i < p.nemails; i++)
        mail_check_release(&checks[i]);
    free(checks);
    free(emails);
    extract_page_release(&p);
    extract_doc_free(d);
    return CLI_OK;
}

struct slot {
    struct fetch_result *out; /* NULL for a file input */
};

static void on_fetched(void *ctx, const char *url, struct fetch_result *r)
{
    (void)url;
    struct slot *s = ctx;
    *s->out = *r;
    r->final_url = NULL; /* moved into the slot */
    r->body = NULL;
}

int cli__cmd_extract(struct cli *cli)
{
    const char *format = "json", *url = NULL;
    bool all_text = false;
    const char **inputs = calloc((size_t)cli->argc, sizeof *inputs);
    size_t n = 0;
    int rc = CLI_OK;
    for (int i = 1; i < cli->argc; i++) {
        int m = cli__option(cli, &i, "format", &format);
        if (!m)
            m = cli__option(cli, &i, "url", &url);
        if (m < 0) {
            rc = CLI_USAGE;
            goto out;
        }
        if (m)
            continue;
        if (strcmp(cli->argv[i], "--all-text") == 0) {
            all_text = true;
            continue;
        }
        if (cli->argv[i][0] == '-' && cli->argv[i][1]) {
            rc = cli__usage_error("extract", "unknown option %s", cli->argv[i]);
            goto out;
        }
        inputs[n++] = cli->argv[i];
    }
    bool json = strcmp(format, "json") == 0;
    struct mailcheck_options mo;
    mailcheck_options_from_config(&cli->cfg, &mo);
    if (!json && strcmp(format, "text") != 0) {
        rc = cli__usage_error("extract", "--format must be json or text, not '%s'", format);
        goto out;
    }
    if (n == 0) {
        rc = cli__usage_error("extract", "expects HTML files or URLs");
        goto out;
    }
    if (url && n > 1) {
        rc = cli__usage_error("extract", "--url names the address of a single input file");
        goto out;
    }
    /* URLs are fetched together, by one fetcher (one robots.txt per host,
     * the configured concurrency), then printed in input order. */
    struct fetch_result *results = calloc(n, sizeof *results);
    struct fetch_options opt;
    fetch_options_from_config(&cli->cfg, &opt);
    struct fetcher *f = fetch_new(&opt);
    struct slot *slots = calloc(n, sizeof *slots);
    for (size_t i = 0; i < n; i++) {
        if (str_has_prefix(inputs[i], "http://") || str_has_prefix(inputs[i], "https://")) {
            slots[i].out = &results[i];
            fetch_add(f, inputs[i], on_fetched, &slots[i]);
        }
    }
    fetch_wait(f);
    fetch_free(f);
    for (size_t i = 0; i < n; i++) {
        int one;
        if (slots[i].out) {
            struct fetch_result r = results[i];
            if (r.status != FETCH_OK) {
                fprintf(stderr, "prospect extract: %s: %s%s%s\n", inputs[i],
                        fetch_status_name(r.status), r.detail[0] ? ": " : "", r.detail);
                one = CLI_FAIL;
            } else {
                one = emit(&mo, r.body, r.body_len, r.charset, r.final_url, json, n > 1, all_text,
                           inputs[i]);
            }
            fetch_result_release(&r);
        } else {
            char *html = NULL;
            size_t len = 0;
            one = cli__read_file(inputs[i], EXTRACT_READ_MAX, &html, &len);
            if (one == CLI_OK)
                one = emit(&mo, html, len, NULL, url, json, n > 1, all_text, inputs[i]);
            free(html);
        }
        if (one != CLI_OK)
            rc = one;
    }
    free(slots);
    free(results);
out:
    free(inputs);
    return rc;
}
