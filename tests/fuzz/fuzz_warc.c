/* fuzz_warc.c: libFuzzer target for the WARC record reader and the HTTP
 * response parser behind `prospect index`. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "corpus/warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct warc_reader *r;
    warc_open_mem((const char *)data, size, 1 << 20, &r);
    struct warc_record rec;
    struct err e;
    int got, n = 0;
    while ((got = warc_next(r, &rec, &e)) != 0 && n++ < 1000) {
        if (got < 0) {
            if (got == CORE_EIO)
                break;
            continue;
        }
        struct http_response resp;
        if (http_response_parse(rec.block, rec.block_len, 1 << 20, &resp, &e) == 0) {
            if (resp.body_len > (1 << 20))
                abort(); /* the cap holds */
            http_response_release(&resp);
        }
        warc_record_release(&rec);
    }
    warc_close(r);
    return 0;
}
