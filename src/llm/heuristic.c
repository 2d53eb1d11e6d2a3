/* heuristic.c: the heuristic analyst as a backend like the others: the
 * verdict of every lead is enrich's scoring, and no task goes out, so it
 * opens with no key and reads no page (reads is false). */
#include "llm/llm_int.h"

static int heuristic_open(const struct config *cfg, struct llm *l, struct err *e)
{
    (void)cfg;
    (void)l;
    (void)e;
    return 0;
}

const struct llm_ops llm__heuristic_ops = {
    .name = "heuristic",
    .reads = false,
    .open = heuristic_open,
};
