/* cmd_webhooks.c: `prospect webhooks`, the webhook outbox for operators:
 * how many deliveries are pending, delivered, dead-lettered or held for a
 * disabled receiver, and `enable` to send to a receiver again (after it
 * answered 410 Gone), optionally re-driving its dead letters. */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "store/store.h"

int cli__cmd_webhooks(struct cli *cli)
{
    const char *action = "status", *url = NULL;
    bool dead = false;
    for (int i = 1; i < cli->argc; i++) {
        const char *a = cli->argv[i];
        if (strcmp(a, "--redeliver-dead") == 0)
            dead = true;
        else if (a[0] == '-')
            return cli__usage_error("webhooks", "unknown option '%s'", a);
        else if (i == 1)
            action = a;
        else if (!url)
            url = a;
        else
            return cli__usage_error("webhooks", "unexpected argument '%s'", a);
    }
    bool enable = strcmp(action, "enable") == 0;
    if (!enable && strcmp(action, "status") != 0)
        return cli__usage_error("webhooks", "unknown action '%s' (status or enable)", action);
    if (!enable && (url || dead))
        return cli__usage_error("webhooks", "status takes no argument");
    if (enable && !url)
        url = cli->cfg.webhook_url;
    if (enable && !*url)
        return cli__usage_error("webhooks", "enable needs a URL (or WEBAPP_WEBHOOK_URL)");

    struct store *st = NULL;
    struct err e = {0};
    if (store_open(cli->cfg.db, &st, &e)) {
        fprintf(stderr, "prospect webhooks: %s\n", e.msg);
        return CLI_FAIL;
    }
    int rc = CLI_OK;
    if (enable) {
        int64_t n = 0;
        if (store_outbox_enable(st, url, dead, &n, &e)) {
            fprintf(stderr, "prospect webhooks: %s\n", e.msg);
            rc = CLI_FAIL;
        } else {
            printf("enabled; %lld deliver%s queued again (a running server sends them at once)\n",
                   (long long)n, n == 1 ? "y" : "ies");
        }
    } else {
        struct store_outbox_counts c;
        char why[256];
        if (store_outbox_counts(st, NULL, &c, &e)) {
            fprintf(stderr, "prospect webhooks: %s\n", e.msg);
            rc = CLI_FAIL;
        } else {
            printf("pending %lld\ndelivered %lld\ndead_letters %lld\ndisabled %lld\n",
                   (long long)c.pending, (long long)c.delivered, (long long)c.dead,
                   (long long)c.disabled);
            if (*cli->cfg.webhook_url &&
                store_outbox_disabled(st, cli->cfg.webhook_url, why, sizeof why, &e) == 0)
                printf("receiver disabled: %s (prospect webhooks enable)\n", why);
        }
    }
    store_close(st);
    return rc;
}
