/* fuzz_extract.c: libFuzzer target for HTML extraction: parsing, main text,
 * every lead field, lead assembly and the JSON output. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "extract/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct extract_doc *d;
    struct err e;
    if (extract_parse((const char *)data, size, NULL, "https://fuzz.example/contact", &d, &e))
        return 0;
    struct extract_page p;
    extract_page(d, "US", &p);
    json_t *j = extract_page_json(&p);
    char *s = json_dumps(j, JSON_COMPACT);
    if (!s)
        abort(); /* the output is always valid JSON */
    free(s);
    json_decref(j);
    struct extract_lead l;
    extract_lead_init(&l, "fuzz.example");
    extract_lead_add(&l, &p);
    json_decref(extract_lead_json(&l));
    extract_lead_release(&l);
    extract_page_release(&p);
    extract_doc_free(d);
    return 0;
}
