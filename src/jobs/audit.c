/* audit.c: the audit log (PROSPECT_AUDIT_LOG, or stderr): one JSON line per
 * job that ran here, saying who ran what (a digest of the business context,
 * not the context itself), how long it took and how it ended. Each line is
 * one write(2), so that the lines of concurrent workers never interleave.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "core/clock.h"
#include "core/log.h"
#include "jobs/jobs_int.h"

int jobs__audit_open(struct jobs *j, struct err *e)
{
    const char *path = j->cfg->audit_log;
    j->audit_fd = STDERR_FILENO;
    if (*path && (j->audit_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0)
        return err_set(e, CORE_EIO, "PROSPECT_AUDIT_LOG: cannot open %s: %s", path,
                       strerror(errno));
    return 0;
}

void jobs__audit_close(struct jobs *j)
{
    if (j->audit_fd > STDERR_FILENO)
        close(j->audit_fd);
}

void jobs__audit(struct jobs *j, const struct job *jb, int64_t leads, const char *outcome,
                 int64_t ms)
{
    json_t *ctx = request_to_json(&jb->req);
    char *s = json_dumps(json_object_get(ctx, "business_context"), JSON_COMPACT);
    unsigned char d[32];
    unsigned int dlen = sizeof d;
    EVP_Digest(s ? s : "", s ? strlen(s) : 0, d, &dlen, EVP_sha256(), NULL);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    free(s);
    json_decref(ctx);
    char when[CLOCK_ISO_LEN];
    clock_format_iso(clock_now_ms(), when);
    json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "time", when, "key",
                             jb->owner, "user_id", jb->req.user_id, "job_id", jb->id,
                             "context_sha256", hex, "leads", (json_int_t)leads, "duration_ms",
                             (json_int_t)ms, "outcome", outcome ? outcome : "interrupted");
    char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(line);
    size_t n = strlen(text);
    text[n] = '\n'; /* one write of the whole line: lines never interleave */
    if (write(j->audit_fd, text, n + 1) != (ssize_t)(n + 1))
        log_error("could not write the audit line", LOG_S("job_id", jb->id));
    free(text);
}
