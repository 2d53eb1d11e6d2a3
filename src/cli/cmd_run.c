/* cmd_run.c: `prospect run`, the main job on the command line, and the
 * running and printing it shares with `prospect enrich`: a progress bar on
 * stderr, then the leads as a table, NDJSON events, JSON or CSV; webhooks
 * as the server sends them when they are on (run_outbox.c). Ctrl-C stops
 * the job cleanly and prints what was found. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <utf8proc.h>

#include "cli/cli_int.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/str.h"
#include "model/lead.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

enum format { F_TABLE, F_NDJSON, F_JSON, F_CSV };

struct printer {
    enum format format;
    FILE *out;
    bool progress; /* a bar on stderr */
    json_t *leads; /* lead_id -> {lead_data, final_package, source_url} */
    json_t *order; /* lead ids in order */
    json_t *last;  /* pipeline_end or pipeline_error */
    int width;
    struct cli_outbox *outbox; /* webhooks, when they are on */
    double shown;              /* the progress bar's furthest point */
    enum lead_csv_profile profile;
    bool given;      /* companies to enrich: their order, and why one failed */
    const char *cmd; /* run or enrich */
};

static void bar(struct printer *p, double progress, const char *msg)
{
    if (!p->progress)
        return;
    /* Steps report their own progress, and sites finish out of order: the
     * bar shows the furthest point reached, never going back. */
    if (progress < p->shown)
        progress = p->shown;
    p->shown = progress;
    int fill = (int)(progress * 24);
    char b[25];
    for (int i = 0; i < 24; i++)
        b[i] = i < fill ? '#' : '.';
    b[24] = '\0';
    fprintf(stderr, "\r\033[K[%s] %3d%% %.*s", b, (int)(progress * 100), p->width, msg);
    fflush(stderr);
}

static void on_event(void *ctx, int64_t seq, enum event_type type, json_t *ev)
{
    struct printer *p = ctx;
    cli__outbox_event(p->outbox, seq, type, ev);
    if (p->format == F_NDJSON) {
        json_t *copy = json_deep_copy(ev);
        json_object_set_new(copy, "seq", json_integer(seq));
        char *s = event_dump(copy); /* as the server stores and sends it */
        fprintf(p->out, "%s\n", s);
        fflush(p->out);
        free(s);
        json_decref(copy);
    }
    const char *id = json_string_value(json_object_get(ev, "lead_id"));
    switch (type) {
    case EVENT_STATUS_UPDATE: {
        json_t *pr = json_object_get(ev, "progress");
        const char *msg = json_string_value(json_object_get(ev, "status_message"));
        if (p->progress)
            bar(p, pr ? json_number_value(pr) : 0, msg);
        else if (p->format != F_NDJSON) /* progress on stderr, one line per step */
            fprintf(stderr, "prospect: %s\n", msg);
        break;
    }
    case EVENT_LEAD_GENERATED:
        json_object_set_new(p->leads, id,
                            json_pack("{s:s, s:O, s:O}", "lead_id", id, "lead_data",
                                      json_object_get(ev, "lead_data"), "source_url",
                                      json_object_get(ev, "source_url")));
        json_array_append_new(p->order, json_string(id));
        bar(p, 0, "");
        break;
    case EVENT_LEAD_ENRICHMENT_END: {
        json_t *l = json_object_get(p->leads, id);
        if (!l)
            break;
        /* the API's shape of a lead: its success, and why it failed */
        bool success = json_is_true(json_object_get(ev, "success"));
        json_object_set(l, "final_package", json_object_get(ev, "final_package"));
        json_object_set_new(l, "success", json_boolean(success));
        if (!success)
            json_object_set_new(l, "error",
                                json_pack("{s:O?, s:O?}", "type", json_object_get(ev, "error_type"),
                                          "message", json_object_get(ev, "error_message")));
        break;
    }
    case EVENT_PIPELINE_END:
    case EVENT_PIPELINE_ERROR:
        json_decref(p->last);
        p->last = json_incref(ev);
        break;
    default: break;
    }
}

/* The value at "a.b.c" in nested objects, or NULL. */
static json_t *at(json_t *o, const char *path)
{
    char key[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        o = json_object_get(o, key);
        path += n + (path[n] == '.');
    }
    return o;
}

static const char *str_at(json_t *o, const char *path)
{
    json_t *v = at(o, path);
    return json_is_string(v) ? json_string_value(v) : "";
}

static double num_at(json_t *o, const char *path)
{
    json_t *v = at(o, path);
    return json_is_number(v) ? json_number_value(v) : 0;
}

/* The table's columns, in display cells (SCORE follows). */
static const int widths[] = {26, 30, 24, 15, 34, 15};

/* Writes s in exactly width display cells and a space: cut with an
 * ellipsis when longer, padded when shorter. Wide characters count two. */
static void cell(FILE *out, const char *s, int width)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    int used = 0, total = 0;
    size_t cut = 0; /* bytes that fit in width - 1 cells, room for the ellipsis */
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    for (utf8proc_ssize_t at = 0; at < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(u + at, len - at, &c);
        if (k <= 0)
            break;
        int w = c < 0x20 ? 0 : utf8proc_charwidth(c);
        if (total + w <= width - 1) {
            cut = (size_t)(at + k);
            used = total + w;
        }
        total += w;
        at += k;
    }
    if (total <= width) {
        fputs(s, out);
        used = total;
    } else {
        fwrite(s, 1, cut, out);
        fputs("\u2026", out);
        used += 1;
    }
    for (; used < width + 1; used++)
        fputc(' ', out);
}

struct row {
    size_t at;
    struct lead_view v;
};

static int by_score(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->v.prospect != y->v.prospect)
        return x->v.prospect > y->v.prospect ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

static void print_leads(struct printer *p)
{
    size_t i;
    json_t *id;
    if (p->format == F_JSON) {
        json_t *arr = json_array();
        json_array_foreach (p->order, i, id)
            json_array_append(arr, json_object_get(p->leads, json_string_value(id)));
        json_t *out = json_pack("{s:o, s:O}", "leads", arr, "end", p->last ? p->last : json_null());
        json_dumpf(out, p->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', p->out);
        json_decref(out);
        return;
    }
    if (p->format == F_CSV) { /* the same rows as the API's */
        struct buf b;
        buf_init(&b, 0);
        int rc = lead_csv_header(p->profile, &b);
        json_array_foreach (p->order, i, id)
            rc |= lead_csv_row(p->profile, json_object_get(p->leads, json_string_value(id)), &b);
        (void)rc; /* no cap on b */
        fwrite(b.data ? b.data : "", 1, b.len, p->out);
        buf_release(&b);
        return;
    }
    if (p->format != F_TABLE)
        return;
    static const char *const heads[] = {"COMPANY", "WEBSITE", "INDUSTRY", "SIZE", "EMAIL", "PHONE"};
    for (size_t k = 0; k < 6; k++)
        cell(p->out, heads[k], widths[k]);
    fprintf(p->out, "%5s\n", "SCORE");
    /* Best first; leads of the same score keep the order they came in. */
    size_t n = json_array_size(p->order);
    struct row *rows = xcalloc(n ? n : 1, sizeof *rows);
    json_array_foreach (p->order, i, id) {
        rows[i].at = i;
        lead_view(json_object_get(p->leads, json_string_value(id)), &rows[i].v);
    }
    if (!p->given) /* the user's own list keeps its order */
        qsort(rows, n, sizeof *rows, by_score);
    for (size_t r = 0; r < n; r++) {
        const struct lead_view *v = &rows[r].v;
        json_t *l =
            json_object_get(p->leads, json_string_value(json_array_get(p->order, rows[r].at)));
        if (json_is_false(json_object_get(l, "success"))) {
            cell(p->out, v->company_name, widths[0]);
            cell(p->out, v->domain, widths[1]);
            fprintf(p->out, "failed (%s): %s\n", str_at(l, "error.type"),
                    str_at(l, "error.message"));
            continue;
        }
        const char *cells[] = {v->company_name, v->domain, v->industry,
                               v->company_size, v->email,  v->phone};
        for (size_t k = 0; k < 6; k++)
            cell(p->out, cells[k], widths[k]);
        fprintf(p->out, "%5.2f\n", v->prospect);
    }
    const char *credit = "";
    for (size_t r = 0; r < n && !*credit; r++)
        credit = rows[r].v.attribution;
    if (*credit) /* OpenStreetMap's data is ODbL: credited with the leads */
        fprintf(p->out, "Data: %s\n", credit);
    free(rows);
    if (p->last) {
        const char *type = str_at(p->last, "event_type");
        int leads = (int)num_at(p->last, "leads_generated");
        if (!strcmp(type, "pipeline_error"))
            fprintf(stderr, "prospect %s: %s\n", p->cmd, str_at(p->last, "error_message"));
        else if (p->given)
            fprintf(stderr, "%d compan%s in %.1f s: %d enriched (%d qualified), %d failed\n", leads,
                    leads == 1 ? "y" : "ies", num_at(p->last, "duration_ms") / 1000.0,
                    (int)num_at(p->last, "leads_enriched"),
                    (int)num_at(p->last, "summary.leads_qualified"),
                    (int)num_at(p->last, "leads_failed"));
        else
            fprintf(stderr, "%d lead%s in %.1f s (%d qualified)\n", leads, leads == 1 ? "" : "s",
                    num_at(p->last, "duration_ms") / 1000.0,
                    (int)num_at(p->last, "summary.leads_qualified"));
    }
}

int cli__output_option(struct cli *cli, int *i, struct cli_output *o)
{
    int m = cli__option(cli, i, "format", &o->format);
    if (!m)
        m = cli__option(cli, i, "csv-profile", &o->profile);
    if (!m)
        m = cli__option(cli, i, "output", &o->output);
    return m;
}

/* The printer of o's choices; CLI_USAGE (said) for a bad one. */
static int printer_of(const char *cmd, const struct cli_output *o, struct printer *p)
{
    *p = (struct printer){.format = F_TABLE, .out = stdout, .width = 60};
    if (o->format) {
        static const char *const names[] = {"table", "ndjson", "json", "csv"};
        int f = -1;
        for (int k = 0; k < 4; k++)
            if (strcmp(o->format, names[k]) == 0)
                f = k;
        if (f < 0)
            return cli__usage_error(cmd, "--format must be table, ndjson, json or csv, not '%s'",
                                    o->format);
        p->format = (enum format)f;
    }
    if (o->profile) {
        if (lead_csv_profile_parse(o->profile, &p->profile))
            return cli__usage_error(cmd,
                                    "--csv-profile must be prospect, hubspot or salesforce, "
                                    "not '%s'",
                                    o->profile);
        if (o->format && p->format != F_CSV)
            return cli__usage_error(cmd, "--csv-profile goes with --format csv");
        p->format = F_CSV;
    }
    return CLI_OK;
}

int cli__run_job(struct cli *cli, const char *cmd, const struct cli_output *o, struct request *req)
{
    struct printer p;
    int rc = printer_of(cmd, o, &p);
    if (rc != CLI_OK)
        return rc;
    p.given = req->companies.n > 0;
    p.cmd = cmd;
    struct store *st = NULL;
    struct err e = {0};
    if (store_open(cli->cfg.db, &st, &e)) {
        fprintf(stderr, "prospect %s: store %s: %s\n", cmd, cli->cfg.db, e.msg);
        return CLI_FAIL;
    }
    if (o->output) {
        p.out = fopen(o->output, "w");
        if (!p.out) {
            fprintf(stderr, "prospect %s: cannot write %s: %m\n", cmd, o->output);
            store_close(st);
            return CLI_FAIL;
        }
    }
    rc = cli__outbox_open(&cli->cfg, req, &p.outbox);
    if (rc != CLI_OK) {
        if (o->output)
            fclose(p.out);
        store_close(st);
        return rc;
    }
    p.progress = isatty(STDERR_FILENO);
    p.leads = json_object();
    p.order = json_array();

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    struct pipeline_options opt = {
        .cfg = &cli->cfg, .store = st, .emit = on_event, .emit_ctx = &p, .cancel = &interrupted};
    pipeline_budget_from_config(&cli->cfg, &opt.budget);
    int prc = pipeline_run(req, &opt);
    if (p.progress)
        fputs("\r\033[K", stderr);
    print_leads(&p);
    if (prc == CORE_ECANCELED)
        fprintf(stderr, "prospect %s: interrupted; the leads found so far are above\n", cmd);
    rc = prc == 0 ? CLI_OK : CLI_FAIL;
    if (cli__outbox_close(p.outbox, &interrupted) != CLI_OK)
        rc = CLI_FAIL;

    if (o->output)
        fclose(p.out);
    json_decref(p.leads);
    json_decref(p.order);
    json_decref(p.last);
    store_close(st);
    return rc;
}

int cli__cmd_run(struct cli *cli)
{
    const char *path = NULL, *query = NULL, *max_s = NULL, *exclude = NULL;
    struct cli_output o = {0};
    for (int i = 1; i < cli->argc; i++) {
        int m = cli__output_option(cli, &i, &o);
        if (!m)
            m = cli__option(cli, &i, "query", &query);
        if (!m)
            m = cli__option(cli, &i, "max-leads", &max_s);
        if (!m)
            m = cli__option(cli, &i, "exclude", &exclude);
        if (m < 0)
            return CLI_USAGE;
        if (m)
            continue;
        if (cli->argv[i][0] == '-' && strcmp(cli->argv[i], "-") != 0)
            return cli__usage_error("run", "unknown option %s", cli->argv[i]);
        if (path)
            return cli__usage_error("run", "expects one request file");
        path = cli->argv[i];
    }
    struct printer check;
    if (printer_of("run", &o, &check) != CLI_OK)
        return CLI_USAGE;
    if (!path)
        return cli__usage_error("run", "expects a request file (or - for standard input)");
    int64_t max_leads = 0;
    if (max_s && (str_to_i64(max_s, &max_leads) || max_leads < 1 || max_leads > cli->cfg.max_leads))
        return cli__usage_error("run", "--max-leads must be an integer from 1 to %lld",
                                (long long)cli->cfg.max_leads);

    struct request req;
    struct problems probs = {0};
    int rc = cli__parse_request(cli, path, &req, &probs);
    if (rc != CLI_OK) {
        problems_print(&probs, stderr);
        problems_release(&probs);
        return rc;
    }
    if (query) {
        free(req.user_search_query);
        req.user_search_query = str_trim_dup(query);
    }
    if (max_leads)
        req.ctx.max_leads_to_generate = (int)max_leads;
    if (exclude)
        rc = cli__read_domains("run", exclude, DOMAINS_EXCLUDE, &req.exclude_domains);
    if (rc == CLI_OK)
        rc = cli__run_job(cli, "run", &o, &req);
    request_release(&req);
    return rc;
}
