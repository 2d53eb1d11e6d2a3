/* pool.h: the process's fixed thread pools, so that the number of threads
 * does not grow with the number of jobs or sites.
 *
 * POOL_CPU runs parsing, extraction and scoring: one thread per core.
 * POOL_CALLS runs the few steps that must wait for a provider's answer
 * (a search query, an LLM verdict): PROSPECT_CALL_THREADS threads, whose
 * waiting is on the engine, not on a socket of their own.
 * Tasks run in the order given; a pool starts on first use and lives as
 * long as the process.
 * Thread: any thread may submit.
 */
#ifndef PROSPECT_POOL_H
#define PROSPECT_POOL_H

#include <stddef.h>

enum pool_kind { POOL_CPU, POOL_CALLS, POOL_N };

typedef void (*pool_fn)(void *ctx);

/* pool_submit(kind, fn, ctx): runs fn(ctx) on a thread of the pool. When
 * no thread of the pool could be started, fn runs on the caller's thread. */
void pool_submit(enum pool_kind kind, pool_fn fn, void *ctx);

/* pool_size(kind): its threads (starting the pool). */
size_t pool_size(enum pool_kind kind);

/* pool_configure(calls): the number of POOL_CALLS threads, before first
 * use (later calls change nothing). */
void pool_configure(size_t calls);

#include "core/banned.h"
#endif
