/* run_outbox.c: webhooks from `prospect run`, as the server sends them.
 *
 * When webhooks are on (WEBAPP_WEBHOOK_ENABLED), the run is a job of the
 * store like a server's: each event is stored with its delivery in the
 * outbox, in one transaction, and the process's webhook sender delivers it
 * with the same ids, signatures, order and retries. At the end the command
 * waits for the job's deliveries while their next attempt is near; what is
 * still pending stays in the outbox, where the next `prospect serve` on the
 * same store delivers it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/cli_int.h"
#include "core/clock.h"
#include "model/event.h"
#include "store/store.h"
#include "webhook/webhook.h"

/* How long the end of a run waits for its deliveries at most. */
#define WAIT_MAX_MS 30000

struct cli_outbox {
    const struct config *cfg;
    struct store *st; /* the events' own connection: the job's is the pipeline's */
    struct webhook_sender *sender;
    char *job_id;
    int failures; /* events that could not be stored */
};

int cli__outbox_open(const struct config *cfg, const struct request *req, struct cli_outbox **out)
{
    *out = NULL;
    if (!cfg->webhook_enabled)
        return CLI_OK;
    struct cli_outbox *ob = calloc(1, sizeof *ob);
    struct err e = {0};
    if (!ob)
        return CLI_FAIL;
    ob->cfg = cfg;
    if (store_open(cfg->db, &ob->st, &e)) {
        fprintf(stderr, "prospect run: store %s: %s\n", cfg->db, e.msg);
        free(ob);
        return CLI_FAIL;
    }
    json_t *jr = request_to_json(req);
    char *body = json_dumps(jr, JSON_COMPACT);
    json_decref(jr);
    int rc = store_job_create(ob->st, req->job_id, req->user_id, "", body ? body : "{}", &e);
    free(body);
    if (rc == CORE_EEXIST) {
        fprintf(stderr,
                "prospect run: job %s was already run on this store, and its webhooks went out "
                "under its id; give the request a new job_id\n",
                req->job_id);
        store_close(ob->st);
        free(ob);
        return CLI_USAGE;
    }
    if (!rc)
        rc = store_job_status(ob->st, req->job_id, "running", NULL, &e);
    if (!rc)
        rc = webhook_sender_start(cfg, &ob->sender, &e);
    if (rc) {
        fprintf(stderr, "prospect run: webhooks: %s\n", e.msg);
        store_close(ob->st);
        free(ob);
        return rc == CORE_EINVAL ? CLI_USAGE : CLI_FAIL;
    }
    ob->job_id = strdup(req->job_id);
    *out = ob;
    return CLI_OK;
}

void cli__outbox_event(struct cli_outbox *ob, int64_t seq, enum event_type type, const json_t *ev)
{
    if (!ob)
        return;
    char *data = event_dump(ev);
    struct err e = {0};
    if (store_event_append(ob->st, ob->job_id, seq, event_type_name(type), data,
                           ob->cfg->webhook_url, &e)) {
        if (!ob->failures++)
            fprintf(stderr, "prospect run: an event could not be stored for its webhook: %s\n",
                    e.msg);
    } else {
        webhook_sender_kick(ob->sender);
    }
    free(data);
    if (type == EVENT_PIPELINE_END || type == EVENT_PIPELINE_ERROR) {
        bool cancelled =
            type == EVENT_PIPELINE_END && !json_is_true(json_object_get(ev, "success"));
        const char *outcome = type == EVENT_PIPELINE_ERROR ? "failed"
                              : cancelled                  ? "cancelled"
                                                           : "succeeded";
        char *sum = json_dumps(json_object_get(ev, "summary"), JSON_COMPACT);
        if (store_job_status(ob->st, ob->job_id, outcome, sum, &e))
            fprintf(stderr, "prospect run: the job's end could not be stored: %s\n", e.msg);
        free(sum);
    }
}

int cli__outbox_close(struct cli_outbox *ob, const volatile sig_atomic_t *interrupted)
{
    if (!ob)
        return CLI_OK;
    struct store_outbox_counts c = {0};
    struct err e = {0};
    int64_t until = clock_mono_ms() + WAIT_MAX_MS;
    int rc = 0;
    while (!(rc = store_outbox_counts(ob->st, ob->job_id, &c, &e)) && c.pending > 0 &&
           clock_mono_ms() < until && !*interrupted) {
        struct timespec ts = {0, 50 * 1000000}; /* the sender works; this only watches */
        nanosleep(&ts, NULL);
    }
    webhook_sender_stop(ob->sender);
    if (rc)
        fprintf(stderr, "prospect run: webhooks: %s\n", e.msg);
    else
        fprintf(stderr,
                "prospect run: webhooks: %lld delivered, %lld pending (the next `prospect serve` "
                "on this store sends them), %lld dead-lettered, %lld held for a disabled "
                "receiver\n",
                (long long)c.delivered, (long long)c.pending, (long long)c.dead,
                (long long)c.disabled);
    store_close(ob->st);
    free(ob->job_id);
    int failures = ob->failures;
    free(ob);
    return rc || failures ? CLI_FAIL : CLI_OK;
}
