/* fuzz_fields.c: libFuzzer target for the text readers a page's words reach
 * directly: phone numbers in running text, postal addresses written as one
 * line, region names, and the industry phrase index (a user's phrase and a
 * page's text). The input is NUL-terminated and split at its first newline:
 * the region or phrase, then the text. Like page text, it must be valid
 * UTF-8 (the readers match with PCRE2 in UTF mode without checking). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "extract/extract.h"
#include "industry/industry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_phone(void *ctx, const char *e164, size_t start, size_t end)
{
    size_t len = *(size_t *)ctx;
    if (!e164 || e164[0] != '+' || start > end || end > len)
        abort(); /* a number is E.164 and its range lies in the text */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!str_utf8_check((const char *)data, size, NULL))
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char *text = strchr(s, '\n');
    const char *head = s;
    if (text)
        *text++ = '\0';
    else
        text = s;
    size_t len = strlen(text);

    extract_phones_text(text, head[0] ? head : NULL, on_phone, &len);
    extract_phones_text(text, NULL, on_phone, &len);
    struct extract_address a;
    if (extract_address_parse(text, &a) == 0)
        extract_address_release(&a);
    (void)extract_region_code(head, NULL);

    struct industry_code codes[8];
    (void)industry_codes_of(head, codes, 8);
    struct industry_doc doc = {.name = head, .title = head, .text = text};
    size_t n = industry_classify(&doc, codes, 8);
    if (n > 8)
        abort();
    free(s);
    return 0;
}
