/* fuzz_config.c: libFuzzer target for the configuration loader: any bytes
 * as a --config file (KEY=VALUE lines, quotes, comments, export) go through
 * the whole layered load and validation, which either succeeds or names
 * the problem. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/config.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/prospect-fuzz-config-%d", (int)getpid());
        log_setup(LOG_OFF, LOG_FORMAT_LOGFMT, stderr);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    struct config c;
    struct err e = {0};
    if (config_load(&c, path, NULL, NULL, 0, &e) == 0)
        config_release(&c);
    else if (!e.msg[0])
        abort();         /* a failure always says why */
    log_clear_secrets(); /* the secrets it registered, so memory stays flat */
    return 0;
}
