/* parsed.c: pages extracted once for every job that reads them.
 *
 * Extraction is most of a job's CPU, and jobs searching alike read the
 * same pages at about the same time. An extracted page is immutable, so
 * it is kept here under its URL, a hash of its bytes and the country hint
 * it was read with, and lent to whoever reads the same page next; the
 * last LRU_MAX pages are kept, each while someone holds it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "core/alloc.h"
#include "pipeline/pipeline_int.h"

#define LRU_MAX 256

struct parsed {
    char *url;
    uint64_t hash;
    char hint[3];
    struct extract_page page;
    int refs;                   /* holders; the cache itself is one while the page is listed */
    struct parsed *prev, *next; /* newest first */
};

static struct {
    pthread_mutex_t lock;
    struct parsed *head, *tail;
    size_t n;
    int64_t hits, misses;
} C = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void unref_locked(struct parsed *x)
{
    if (--x->refs > 0)
        return;
    extract_page_release(&x->page);
    free(x->url);
    free(x);
}

static void unlink_locked(struct parsed *x)
{
    if (x->prev)
        x->prev->next = x->next;
    else
        C.head = x->next;
    if (x->next)
        x->next->prev = x->prev;
    else
        C.tail = x->prev;
    x->prev = x->next = NULL;
    C.n--;
}

static void push_locked(struct parsed *x)
{
    x->next = C.head;
    if (C.head)
        C.head->prev = x;
    C.head = x;
    if (!C.tail)
        C.tail = x;
    C.n++;
}

static struct parsed *find_locked(const char *url, uint64_t hash, const char *hint)
{
    for (struct parsed *x = C.head; x; x = x->next)
        if (x->hash == hash && strcmp(x->hint, hint) == 0 && strcmp(x->url, url) == 0)
            return x;
    return NULL;
}

const struct extract_page *pipeline__parsed_get(const char *html, size_t len, const char *charset,
                                                const char *url, const char *hint)
{
    uint64_t hash = XXH3_64bits(html, len);
    const char *h = hint ? hint : "";
    pthread_mutex_lock(&C.lock);
    struct parsed *x = find_locked(url, hash, h);
    if (x) {
        x->refs++;
        unlink_locked(x); /* the most recent now */
        push_locked(x);
        C.hits++;
        pthread_mutex_unlock(&C.lock);
        return &x->page;
    }
    C.misses++;
    pthread_mutex_unlock(&C.lock);

    struct extract_doc *d = NULL;
    struct err e = {0};
    if (extract_parse(html, len, charset, url, &d, &e))
        return NULL;
    x = xcalloc(1, sizeof *x);
    x->url = xstrdup(url);
    x->hash = hash;
    memcpy(x->hint, h, strlen(h) < 3 ? strlen(h) + 1 : 3);
    x->hint[2] = '\0';
    extract_page(d, hint, &x->page);
    extract_doc_free(d);
    x->refs = 2; /* the cache's and the caller's */

    pthread_mutex_lock(&C.lock);
    struct parsed *other = find_locked(url, hash, h);
    if (other) { /* another job extracted it meanwhile: one copy is enough */
        other->refs++;
        x->refs = 1; /* never listed: the caller's was the only hold */
        unref_locked(x);
        x = other;
    } else {
        push_locked(x);
        while (C.n > LRU_MAX) {
            struct parsed *old = C.tail;
            unlink_locked(old);
            unref_locked(old);
        }
    }
    pthread_mutex_unlock(&C.lock);
    return &x->page;
}

void pipeline__parsed_put(const struct extract_page *p)
{
    if (!p)
        return;
    struct parsed *x = (struct parsed *)((char *)p - offsetof(struct parsed, page));
    pthread_mutex_lock(&C.lock);
    unref_locked(x);
    pthread_mutex_unlock(&C.lock);
}

void pipeline__parsed_stats(int64_t *hits, int64_t *misses)
{
    pthread_mutex_lock(&C.lock);
    *hits = C.hits;
    *misses = C.misses;
    pthread_mutex_unlock(&C.lock);
}
