/* fanout.c: subscriptions. A stream of a job's events as SSE bytes: the
 * stored events it has not had (replayed from the log), then the live tail
 * the writer (or, with a shared store, the listener) fans out, capped per
 * subscriber: one that falls too far behind is ended with a note saying
 * where to resume.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "jobs/jobs_int.h"
#include "model/event.h"

struct jobs_sub {
    struct jobs *j;
    char *job_id;
    int64_t sent; /* last seq appended */
    struct buf out;
    size_t max;
    bool ended, suspended;
    jobs_wake_fn wake, suspend;
    void *ctx;
    struct jobs_sub *prev, *next;
};

static bool terminal(const char *type)
{
    return strcmp(type, "pipeline_end") == 0 || strcmp(type, "pipeline_error") == 0;
}

/* Appends an event, framed once by the caller, to one subscriber (lock held). */
static void deliver(struct jobs_sub *s, int64_t seq, const char *type, const struct buf *frame)
{
    if (s->ended || seq != s->sent + 1)
        return; /* ended, or already replayed */
    if (buf_append(&s->out, frame->data, frame->len)) {
        /* Too far behind: a last word (past the cap) and the end. */
        size_t keep = s->out.max;
        s->out.max = s->out.len + 256;
        char note[160];
        snprintf(note, sizeof note, "stream too slow; reconnect with Last-Event-ID: %lld",
                 (long long)s->sent);
        if (event_sse_comment(&s->out, note))
            log_warn("could not end a slow stream politely");
        s->out.max = keep;
        s->ended = true;
    } else {
        s->sent = seq;
        if (terminal(type))
            s->ended = true;
    }
}

static void wake(struct jobs_sub *s)
{
    if (s->suspended) {
        s->suspended = false;
        s->wake(s->ctx);
    }
}

void jobs__fanout(struct jobs *j, const char *job_id, int64_t seq, const char *type,
                  const struct buf *frame)
{
    for (struct jobs_sub *s = j->subs; s; s = s->next)
        if (strcmp(s->job_id, job_id) == 0) {
            deliver(s, seq, type, frame);
            wake(s);
        }
}

int64_t jobs__followed_from(struct jobs *j, const char *job_id)
{
    int64_t from = -1;
    for (struct jobs_sub *s = j->subs; s; s = s->next)
        if (!s->ended && strcmp(s->job_id, job_id) == 0 && (from < 0 || s->sent < from))
            from = s->sent;
    return from;
}

char **jobs__followed_jobs(struct jobs *j, size_t *n)
{
    size_t cap = 0;
    char **ids = NULL;
    *n = 0;
    for (struct jobs_sub *s = j->subs; s; s = s->next)
        if (!s->ended) {
            if (*n == cap)
                ids = xrealloc(ids, (cap = cap ? 2 * cap : 64) * sizeof *ids);
            ids[(*n)++] = xstrdup(s->job_id);
        }
    return ids;
}

static int replay_one(void *ctx, int64_t seq, const char *type, const char *data)
{
    struct jobs_sub *s = ctx;
    struct buf frame;
    buf_init(&frame, 0);
    if (event_sse_frame(&frame, seq, type, data) == 0)
        deliver(s, seq, type, &frame);
    buf_release(&frame);
    return s->ended;
}

int jobs_subscribe(struct jobs *j, const char *id, int64_t after, size_t max_buffer,
                   jobs_wake_fn wakefn, jobs_wake_fn suspend, void *ctx, struct jobs_sub **out,
                   struct err *e)
{
    struct jobs_sub *s = xcalloc(1, sizeof *s);
    s->j = j;
    s->job_id = xstrdup(id);
    s->sent = after < 0 ? 0 : after;
    s->max = max_buffer;
    buf_init(&s->out, 0); /* replay is unbounded; the live tail is capped */
    s->wake = wakefn;
    s->suspend = suspend;
    s->ctx = ctx;
    int rc = buf_puts(&s->out, "retry: 3000\n\n") ? CORE_ETOOBIG : 0;

    pthread_mutex_lock(&j->lock);
    struct store_job sj = {0};
    pthread_mutex_lock(&j->rlock);
    if (!rc)
        rc = store_job_get(j->rst, id, &sj, e);
    if (!rc)
        rc = store_events_after(j->rst, id, s->sent, replay_one, s, e);
    pthread_mutex_unlock(&j->rlock);
    if (!rc && !s->ended) {
        if (!jobs__live_locked(j, id,
                               &sj)) { /* finished elsewhere, or left unfinished by a crash */
            if (event_sse_comment(&s->out, "this job is not running on this server"))
                log_warn("could not add a comment");
            s->ended = true;
        }
    }
    s->out.max = s->out.len + max_buffer;
    if (!rc) {
        s->next = j->subs;
        if (j->subs)
            j->subs->prev = s;
        j->subs = s;
        j->stats.streams++;
    }
    pthread_mutex_unlock(&j->lock);
    store_job_release(&sj);
    if (rc) {
        buf_release(&s->out);
        free(s->job_id);
        free(s);
        return rc;
    }
    *out = s;
    return 0;
}

size_t jobs_sub_read(struct jobs_sub *s, char *buf, size_t max, bool *ended)
{
    pthread_mutex_lock(&s->j->lock);
    size_t n = s->out.len < max ? s->out.len : max;
    if (n) {
        memcpy(buf, s->out.data, n);
        memmove(s->out.data, s->out.data + n, s->out.len - n + 1);
        s->out.len -= n;
    }
    *ended = s->ended && s->out.len == 0;
    if (!n && !*ended && s->suspend) {
        s->suspended = true;
        s->suspend(s->ctx); /* under the lock: a wake cannot slip in between */
    }
    pthread_mutex_unlock(&s->j->lock);
    return n;
}

void jobs_unsubscribe(struct jobs_sub *s)
{
    if (!s)
        return;
    struct jobs *j = s->j;
    pthread_mutex_lock(&j->lock);
    if (s->prev)
        s->prev->next = s->next;
    else
        j->subs = s->next;
    if (s->next)
        s->next->prev = s->prev;
    j->stats.streams--;
    pthread_mutex_unlock(&j->lock);
    buf_release(&s->out);
    free(s->job_id);
    free(s);
}

void jobs_comment_all(struct jobs *j, const char *text, bool end)
{
    pthread_mutex_lock(&j->lock);
    for (struct jobs_sub *s = j->subs; s; s = s->next) {
        if (s->ended)
            continue;
        size_t keep = s->out.max;
        s->out.max = s->out.len + strlen(text) + 8; /* a comment always fits */
        if (event_sse_comment(&s->out, text))
            log_warn("could not add a comment");
        s->out.max = keep;
        if (end)
            s->ended = true;
        wake(s);
    }
    pthread_mutex_unlock(&j->lock);
}
