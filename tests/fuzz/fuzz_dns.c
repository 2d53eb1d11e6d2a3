/* fuzz_dns.c: libFuzzer target for the TTL reader of DNS answers
 * (mailcheck/dns.c), which reads what a DNS server sent: any bytes must
 * give -1 or a TTL from 0 to a day, never a read outside them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailcheck/mailcheck_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly size bytes, so that ASan sees any read past it */
    unsigned char *m = malloc(size ? size : 1);
    memcpy(m, data, size);
    int ttl = mailcheck__answer_ttl(m, (int)(size > 65535 ? 65535 : size));
    if (ttl < -1 || ttl > 86400)
        abort();
    free(m);
    return 0;
}
