/* pool.c: the fixed pools of pool.h: a locked FIFO and a condition per
 * pool. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/log.h"
#include "engine/pool.h"

#define MAX_THREADS 64

struct task {
    pool_fn fn;
    void *ctx;
    struct task *next;
};

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct task *head, *tail;
    size_t nthreads;
    pthread_once_t once;
};

static struct pool pools[POOL_N] = {
    {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, PTHREAD_ONCE_INIT},
    {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, PTHREAD_ONCE_INIT},
};
static size_t calls_threads = 8;

void pool_configure(size_t calls)
{
    if (calls >= 1 && calls <= MAX_THREADS)
        calls_threads = calls;
}

static void *pool_main(void *arg)
{
    struct pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head)
            pthread_cond_wait(&p->ready, &p->lock);
        struct task *t = p->head;
        p->head = t->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        t->fn(t->ctx);
        free(t);
        pthread_mutex_lock(&p->lock);
    }
    return NULL;
}

static void start(struct pool *p, size_t want)
{
    if (want < 1)
        want = 1;
    if (want > MAX_THREADS)
        want = MAX_THREADS;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (size_t i = 0; i < want; i++) {
        pthread_t th;
        int rc = pthread_create(&th, &attr, pool_main, p);
        if (rc) {
            log_warn("fewer pool threads than asked", LOG_I("started", (int64_t)i),
                     LOG_I("asked", (int64_t)want));
            break;
        }
        p->nthreads++;
    }
    pthread_attr_destroy(&attr);
}

static void start_cpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    start(&pools[POOL_CPU], n > 0 ? (size_t)n : 2);
}

static void start_calls(void)
{
    start(&pools[POOL_CALLS], calls_threads);
}

size_t pool_size(enum pool_kind kind)
{
    struct pool *p = &pools[kind];
    pthread_once(&p->once, kind == POOL_CPU ? start_cpu : start_calls);
    return p->nthreads;
}

void pool_submit(enum pool_kind kind, pool_fn fn, void *ctx)
{
    struct pool *p = &pools[kind];
    if (!pool_size(kind)) {
        fn(ctx);
        return;
    }
    struct task *t = xcalloc(1, sizeof *t);
    t->fn = fn;
    t->ctx = ctx;
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = t;
    else
        p->head = t;
    p->tail = t;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
}
