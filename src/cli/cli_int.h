/* cli_int.h: what the command files of src/cli share. */
#ifndef PROSPECT_CLI_INT_H
#define PROSPECT_CLI_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cli/cli.h"
#include "config/config.h"
#include "model/event.h"
#include "model/request.h"

struct cli {
    struct config cfg;
    int argc; /* the command's own arguments; argv[0] is the command name */
    char **argv;
};

struct command {
    const char *name;
    int (*run)(struct cli *cli);
    const char *summary; /* one line for `prospect --help` */
    const char *usage;   /* the command's help text */
};

/* The command implementations. */
int cli__cmd_validate(struct cli *cli);
int cli__cmd_config(struct cli *cli);
int cli__cmd_index(struct cli *cli);
int cli__cmd_search(struct cli *cli);
int cli__cmd_queries(struct cli *cli);
int cli__cmd_extract(struct cli *cli);
int cli__cmd_run(struct cli *cli);
int cli__cmd_enrich(struct cli *cli);
int cli__cmd_serve(struct cli *cli);
int cli__cmd_webhooks(struct cli *cli);
int cli__cmd_mcp(struct cli *cli);
int cli__cmd_worker(struct cli *cli);

struct request;
struct problems;

/* cli__parse_request(cli, path, req, probs): reads path ("-": standard
 * input) and parses it as a request or a bare business context, with the
 * configured limits. CLI_OK with *req filled (release it); CLI_USAGE with
 * probs filled; CLI_FAIL when the file cannot be read. */
int cli__parse_request(struct cli *cli, const char *path, struct request *req,
                       struct problems *probs);

/* cli__read_file(path, max, out, len): reads a whole file ("-" is stdin) of
 * at most max bytes into a NUL-terminated buffer the caller frees. Prints the
 * reason and returns CLI_FAIL (unreadable) or CLI_USAGE (too large). */
int cli__read_file(const char *path, size_t max, char **out, size_t *len);

/* cli__usage_error(cmd, fmt, ...): prints "prospect CMD: <message>" and a
 * pointer to the command's help; returns CLI_USAGE. */
int cli__usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* cli__option(cli, i, name, value): when argv[*i] is --name VALUE or
 * --name=VALUE, sets *value (borrowed from argv), moves *i to the value's
 * index and returns 1; returns 0 for any other argument, and -1 (after
 * printing why) when the value is missing. */
int cli__option(struct cli *cli, int *i, const char *name, const char **value);

/* ---- cmd_run.c: a job run and its leads printed (run, enrich) ---- */

/* How a job's leads are printed: --format, --csv-profile, --output. */
struct cli_output {
    const char *format, *profile, *output; /* borrowed from argv; NULL: not given */
};

/* cli__output_option(cli, i, o): cli__option for the three options of o. */
int cli__output_option(struct cli *cli, int *i, struct cli_output *o);

/* cli__run_job(cli, cmd, o, req): runs req with a progress bar on a
 * terminal, webhooks when they are on, Ctrl-C stopping cleanly, and prints
 * its leads as o says: the table best first for a search, in the order
 * given for companies to enrich (a company that failed says why). CLI_OK,
 * CLI_USAGE (a bad option, said) or CLI_FAIL. req stays the caller's. */
int cli__run_job(struct cli *cli, const char *cmd, const struct cli_output *o, struct request *req);

/* ---- domains_file.c ---- */

/* What a file of companies is for. */
enum domains_use {
    DOMAINS_EXCLUDE, /* exclude_domains: an unreadable row is skipped, and said */
    DOMAINS_TARGETS, /* companies to enrich: an unreadable row is an error */
};

/* cli__read_domains(cmd, path, use, out): appends to out the companies a
 * file lists: a CSV (a CRM's export) by its domain, website or e-mail
 * column, found by the header, or one per line. Blank rows are counted on
 * stderr; as targets, an e-mail address stands for its domain. CLI_OK,
 * CLI_USAGE (no such column, not CSV, a bad target row) or CLI_FAIL
 * (unreadable), said on stderr. */
int cli__read_domains(const char *cmd, const char *path, enum domains_use use, struct strlist *out);

/* ---- run_outbox.c: webhooks from `prospect run` ---- */

struct cli_outbox;

/* cli__outbox_open(cfg, req, out): with webhooks on, stores the run as a
 * job and starts the webhook sender; *out NULL when they are off. CLI_OK,
 * CLI_USAGE (a job id already run on this store, a bad webhook setting) or
 * CLI_FAIL, said on stderr. */
int cli__outbox_open(const struct config *cfg, const struct request *req, struct cli_outbox **out);

/* cli__outbox_event(ob, seq, type, ev): stores the event with its delivery.
 * NULL ob does nothing. Called one event at a time. */
void cli__outbox_event(struct cli_outbox *ob, int64_t seq, enum event_type type, const json_t *ev);

/* cli__outbox_close(ob, interrupted): waits a while for the job's
 * deliveries, says where they stand, frees ob. NULL is fine. */
int cli__outbox_close(struct cli_outbox *ob, const volatile sig_atomic_t *interrupted);

#include "core/banned.h"
#endif
