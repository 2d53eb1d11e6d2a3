/* fuzz_event.c: libFuzzer target for the event encoders: SSE framing of any
 * type and data (newlines, CR, NUL-free text of any length), SSE comments,
 * event type names, and events built from arbitrary strings, which must
 * always dump to one line of valid JSON. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Two strings split at the first NUL: a type or name, and data. */
    char *copy = malloc(size + 2);
    memcpy(copy, data, size);
    copy[size] = copy[size + 1] = '\0';
    const char *a = copy, *b = copy + strlen(copy) + (strlen(copy) < size ? 1 : 0);
    struct buf out;
    buf_init(&out, 1 << 20);
    int64_t seq = size ? data[0] : 0;
    if (event_sse_frame(&out, seq, a, b) == 0) {
        /* A frame ends with an empty line, and every line is a field. */
        if (out.len < 2 || out.data[out.len - 1] != '\n' || out.data[out.len - 2] != '\n')
            abort();
        for (size_t i = 0; i + 1 < out.len; i++)
            if (out.data[i] == '\r')
                abort();
    }
    buf_release(&out);
    buf_init(&out, 1 << 20);
    if (event_sse_comment(&out, a) == 0 && (out.len == 0 || out.data[0] != ':'))
        abort();
    buf_release(&out);
    enum event_type t;
    if (event_type_parse(a, &t) == 0 && strcmp(event_type_name(t), a) != 0)
        abort();
    struct event_head h = {a, b, (int64_t)size * 1000003};
    const char *list[] = {a, b};
    json_t *people = json_pack("[{s:s, s:n}]", "name", "Jane Roe", "title");
    struct event_lead lead = {a, b, a, b, a, list, 2, list, 2, b, size % 2 ? people : NULL};
    struct event_scores sc = {(double)size / 7.0, -1, 2, 0.5, list, 2};
    json_t *evs[] = {event_pipeline_start(&h, b, (int)size),
                     event_status_update(&h, b, a, (double)size / 100.0),
                     event_lead_generated(&h, a, &lead, b, a, NULL),
                     event_lead_enrichment_end(&h, a, size % 2, b, &sc, NULL, NULL),
                     event_pipeline_error(&h, b, a, a)};
    for (size_t i = 0; i < sizeof evs / sizeof *evs; i++) {
        char *s = event_dump(evs[i]);
        if (!s || strchr(s, '\n'))
            abort(); /* SSE data must be one line */
        json_t *back = json_loads(s, 0, NULL);
        if (!back)
            abort();
        json_decref(back);
        free(s);
        json_decref(evs[i]);
    }
    json_decref(people);
    free(copy);
    return 0;
}
