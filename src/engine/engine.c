/* engine.c: the loop of engine.h: libuv owns the sockets and timers,
 * libcurl's multi-socket interface drives the transfers on them.
 *
 * Other threads hand work over through a locked queue and a uv_async_t;
 * only the loop's thread touches the multi handle, the polls and the
 * timers. The loop is started once (pthread_once) and never stopped: it
 * holds no resources a process exit must release.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "core/alloc.h"
#include "core/log.h"
#include "engine/engine.h"

enum op_kind { OP_TRANSFER, OP_CALL, OP_AFTER };

struct op {
    enum op_kind kind;
    CURL *easy;
    engine_done_fn done;
    engine_fn fn;
    void *ctx;
    int64_t ms;
    struct op *next;
};

/* A socket libcurl asked us to watch. */
struct sock {
    uv_poll_t poll;
    curl_socket_t fd;
};

struct timer {
    uv_timer_t t;
    engine_fn fn;
    void *ctx;
};

static struct {
    uv_loop_t loop;
    uv_async_t wake;
    uv_timer_t curl_timer;
    CURLM *multi;
    pthread_t thread;
    pthread_mutex_t lock; /* the queue */
    struct op *head, *tail;
    struct engine_stats st; /* under lock */
} E;

static pthread_once_t start_once = PTHREAD_ONCE_INIT, curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void engine_curl_init(void)
{
    pthread_once(&curl_once, curl_init_once);
}

/* ---- on the loop ---- */

static void check_done(void)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(E.multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        CURL *easy = m->easy_handle;
        CURLcode cc = m->data.result;
        struct op *o = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&o);
        curl_multi_remove_handle(E.multi, easy);
        pthread_mutex_lock(&E.lock);
        E.st.running--;
        pthread_mutex_unlock(&E.lock);
        o->done(o->ctx, easy, cc);
        free(o);
    }
}

static void on_poll(uv_poll_t *p, int status, int events)
{
    struct sock *s = p->data;
    int flags = 0;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    int running;
    curl_multi_socket_action(E.multi, s->fd, flags, &running);
    check_done();
}

static void on_curl_timer(uv_timer_t *t)
{
    (void)t;
    int running;
    curl_multi_socket_action(E.multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done();
}

static void sock_closed(uv_handle_t *h)
{
    free(h->data);
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)easy;
    (void)userp;
    struct sock *s = socketp;
    if (what == CURL_POLL_REMOVE) {
        if (s) {
            uv_poll_stop(&s->poll);
            uv_close((uv_handle_t *)&s->poll, sock_closed);
            curl_multi_assign(E.multi, fd, NULL);
        }
        return 0;
    }
    if (!s) {
        s = xcalloc(1, sizeof *s);
        s->fd = fd;
        if (uv_poll_init_socket(&E.loop, &s->poll, fd)) {
            free(s);
            return -1;
        }
        s->poll.data = s;
        curl_multi_assign(E.multi, fd, s);
    }
    int events = 0;
    if (what & CURL_POLL_IN)
        events |= UV_READABLE;
    if (what & CURL_POLL_OUT)
        events |= UV_WRITABLE;
    uv_poll_start(&s->poll, events, on_poll);
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    (void)userp;
    if (timeout_ms < 0)
        uv_timer_stop(&E.curl_timer);
    else /* 0 too goes through the loop: socket_action may not recurse */
        uv_timer_start(&E.curl_timer, on_curl_timer, (uint64_t)timeout_ms, 0);
    return 0;
}

static void timer_closed(uv_handle_t *h)
{
    free(h->data);
}

static void on_after(uv_timer_t *t)
{
    struct timer *tm = t->data;
    tm->fn(tm->ctx);
    uv_close((uv_handle_t *)&tm->t, timer_closed);
}

static void run_op(struct op *o)
{
    switch (o->kind) {
    case OP_TRANSFER:
        curl_easy_setopt(o->easy, CURLOPT_PRIVATE, o);
        pthread_mutex_lock(&E.lock);
        E.st.transfers++;
        if (++E.st.running > E.st.peak_running)
            E.st.peak_running = E.st.running;
        pthread_mutex_unlock(&E.lock);
        if (curl_multi_add_handle(E.multi, o->easy) != CURLM_OK) {
            pthread_mutex_lock(&E.lock);
            E.st.running--;
            pthread_mutex_unlock(&E.lock);
            o->done(o->ctx, o->easy, CURLE_FAILED_INIT);
            free(o);
        }
        return; /* freed when it ends */
    case OP_CALL: o->fn(o->ctx); break;
    case OP_AFTER: {
        struct timer *tm = xcalloc(1, sizeof *tm);
        tm->fn = o->fn;
        tm->ctx = o->ctx;
        uv_timer_init(&E.loop, &tm->t);
        tm->t.data = tm;
        uv_timer_start(&tm->t, on_after, (uint64_t)(o->ms > 0 ? o->ms : 0), 0);
        break;
    }
    }
    free(o);
}

static void on_wake(uv_async_t *a)
{
    (void)a;
    pthread_mutex_lock(&E.lock);
    struct op *o = E.head;
    E.head = E.tail = NULL;
    pthread_mutex_unlock(&E.lock);
    while (o) {
        struct op *next = o->next;
        run_op(o);
        o = next;
    }
}

static void *loop_main(void *arg)
{
    (void)arg;
    uv_run(&E.loop, UV_RUN_DEFAULT);
    return NULL;
}

static void start(void)
{
    engine_curl_init();
    pthread_mutex_init(&E.lock, NULL);
    uv_loop_init(&E.loop);
    uv_async_init(&E.loop, &E.wake, on_wake);
    uv_timer_init(&E.loop, &E.curl_timer);
    E.multi = curl_multi_init();
    curl_multi_setopt(E.multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(E.multi, CURLMOPT_TIMERFUNCTION, on_timer);
    /* The loop must exist before anything is queued on it; without it no
     * outbound call could ever finish, so failing to start it is fatal. */
    if (pthread_create(&E.thread, NULL, loop_main, NULL)) {
        log_error("cannot start the outbound I/O thread");
        abort();
    }
}

void engine_abort(CURL *easy)
{
    struct op *o = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&o);
    if (!o || curl_multi_remove_handle(E.multi, easy) != CURLM_OK)
        return;
    pthread_mutex_lock(&E.lock);
    E.st.running--;
    pthread_mutex_unlock(&E.lock);
    o->done(o->ctx, easy, CURLE_ABORTED_BY_CALLBACK);
    free(o);
}

/* ---- from any thread ---- */

static void submit(struct op *o)
{
    pthread_once(&start_once, start);
    pthread_mutex_lock(&E.lock);
    if (E.tail)
        E.tail->next = o;
    else
        E.head = o;
    E.tail = o;
    pthread_mutex_unlock(&E.lock);
    uv_async_send(&E.wake);
}

void engine_transfer(CURL *easy, engine_done_fn done, void *ctx)
{
    struct op *o = xcalloc(1, sizeof *o);
    *o = (struct op){.kind = OP_TRANSFER, .easy = easy, .done = done, .ctx = ctx};
    submit(o);
}

void engine_call(engine_fn fn, void *ctx)
{
    struct op *o = xcalloc(1, sizeof *o);
    *o = (struct op){.kind = OP_CALL, .fn = fn, .ctx = ctx};
    submit(o);
}

void engine_after(int64_t ms, engine_fn fn, void *ctx)
{
    struct op *o = xcalloc(1, sizeof *o);
    *o = (struct op){.kind = OP_AFTER, .fn = fn, .ctx = ctx, .ms = ms};
    submit(o);
}

bool engine_on_loop(void)
{
    return E.thread && pthread_equal(pthread_self(), E.thread);
}

struct waiter {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    CURLcode cc;
};

static void waited(void *ctx, CURL *easy, CURLcode cc)
{
    (void)easy;
    struct waiter *w = ctx;
    pthread_mutex_lock(&w->lock);
    w->cc = cc;
    w->done = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

CURLcode engine_perform(CURL *easy)
{
    if (engine_on_loop()) /* would wait for itself */
        return CURLE_FAILED_INIT;
    struct waiter w = {.done = false};
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    engine_transfer(easy, waited, &w);
    pthread_mutex_lock(&w.lock);
    while (!w.done)
        pthread_cond_wait(&w.cond, &w.lock);
    pthread_mutex_unlock(&w.lock);
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
    return w.cc;
}

void engine_stats(struct engine_stats *out)
{
    pthread_once(&start_once, start);
    pthread_mutex_lock(&E.lock);
    *out = E.st;
    pthread_mutex_unlock(&E.lock);
}
