/* cmd_worker.c: `prospect worker`, a node that only runs jobs: it claims
 * them from the shared PostgreSQL store (FOR UPDATE SKIP LOCKED), keeps a
 * lease on each, delivers webhooks, and stops cleanly on SIGTERM (its jobs
 * stay running in the store; another worker takes them over when their
 * lease expires). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jobs/jobs.h"
#include "store/store.h"

#include "cli/cli_int.h"
#include "core/log.h"
#include "core/sig.h"

int cli__cmd_worker(struct cli *cli)
{
    if (cli->argc > 1)
        return cli__usage_error("worker", "unexpected argument '%s'", cli->argv[1]);
    if (!store_is_shared(cli->cfg.db))
        return cli__usage_error("worker", "a worker needs the store it shares with the API nodes: "
                                          "PROSPECT_DB=postgres://...");
    sigset_t set;
    sig_block_stop(&set);
    struct jobs *j = NULL;
    struct err e = {0};
    if (jobs_new(&cli->cfg, (int)cli->cfg.job_concurrency, &j, &e)) {
        fprintf(stderr, "prospect worker: %s\n", e.msg);
        return CLI_FAIL;
    }
    for (;;) {
        struct timespec every = {60, 0};
        int sig = sigtimedwait(&set, NULL, &every);
        struct jobs_stats st;
        jobs_stats(j, &st);
        if (sig == SIGINT || sig == SIGTERM) {
            log_info("worker stopping", LOG_I("signal", sig));
            break;
        }
        log_info("worker", LOG_I("claimed", st.claimed), LOG_I("reclaimed", st.reclaimed),
                 LOG_I("running", st.running), LOG_I("succeeded", st.succeeded),
                 LOG_I("failed", st.failed), LOG_I("lease_renewals", st.renewals));
    }
    jobs_free(j);
    return CLI_OK;
}
