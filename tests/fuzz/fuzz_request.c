/* fuzz_request.c: libFuzzer target for the request parser and validator,
 * in both envelope and bare-context modes, and the event/SSE encoders fed
 * with whatever the parser accepted. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "model/event.h"
#include "model/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct request_limits lim;
    request_limits_default(&lim);
    for (unsigned flags = 0; flags <= REQUEST_ALLOW_BARE; flags += REQUEST_ALLOW_BARE) {
        struct request r;
        struct problems p = {0};
        if (request_parse((const char *)data, size, &lim, flags, &r, &p) == 0) {
            struct event_head h = {r.job_id, r.user_id, 0};
            json_t *ev = event_pipeline_start(&h, r.user_search_query, r.ctx.max_leads_to_generate);
            char *s = event_dump(ev);
            struct buf b;
            buf_init(&b, 1 << 20);
            if (event_sse_frame(&b, 1, r.ctx.business_description, s) == 0 && b.len == 0)
                abort(); /* a frame always has content */
            buf_release(&b);
            free(s);
            json_decref(ev);
            json_t *j = request_to_json(&r);
            json_decref(j);
            request_release(&r);
        } else if (p.n == 0) {
            abort(); /* a rejection always names a problem */
        }
        json_t *pj = problems_to_json(&p);
        json_decref(pj);
        problems_release(&p);
    }
    return 0;
}
