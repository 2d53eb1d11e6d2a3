/* fuzz_charset.c: libFuzzer target for charset detection and conversion:
 * the first input byte picks a declared charset (as an HTTP header would
 * give it), the rest is the page. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const charsets[] = {NULL,         "UTF-8",    "ISO-8859-1", "windows-1252",
                                           "Shift_JIS",  "UTF-16LE", "GB18030",    "KOI8-R",
                                           "no-such-cs", "UTF-16BE", "EUC-JP",     ""};
    if (size < 1)
        return 0;
    const char *cs = charsets[data[0] % (sizeof charsets / sizeof *charsets)];
    char sniffed[64];
    extract_sniff_charset((const char *)data + 1, size - 1, sniffed, sizeof sniffed);
    if (strlen(sniffed) >= sizeof sniffed)
        abort();
    struct extract_doc *d;
    struct err e;
    if (extract_parse((const char *)data + 1, size - 1, cs, NULL, &d, &e))
        return 0;
    struct extract_text t;
    extract_text(d, &t);
    extract_text_release(&t);
    extract_doc_free(d);
    return 0;
}
