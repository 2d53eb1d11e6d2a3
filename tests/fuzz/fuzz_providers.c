/* fuzz_providers.c: libFuzzer target for the readers of providers' JSON
 * answers: Tavily and SearXNG search results, Overpass elements, SPARQL
 * bindings, Tavily /extract, Gemini and
 * OpenAI-compatible replies, both embeddings shapes, and the schema check
 * an LLM's answer must pass. Any bytes an upstream could send go in. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "llm/llm.h"
#include "search/search_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static float vectors[4 * LLM_MAX_DIM];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!j)
        return 0;
    struct search_results r = {0};
    search__web_results(j, 10, true, &r);
    search_results_release(&r);
    search__web_results(j, 3, false, &r);
    search_results_release(&r);
    search__osm_results(j, 20, &r);
    search_results_release(&r);
    search__wikidata_results(j, 20, &r);
    search_results_release(&r);
    char *text = NULL;
    struct err e = {0};
    if (search__tavily_extracted(j, &text, &e) == 0)
        free(text);
    for (int gemini = 0; gemini < 2; gemini++) {
        struct llm_usage u = {0};
        bool truncated;
        char why[200];
        free(llm__answer_text(gemini, j, &u, &truncated, why, sizeof why));
        for (size_t n = 1; n <= 4; n++) {
            size_t dim = 0;
            (void)llm__embeddings(gemini, j, n, vectors, &dim, &e);
        }
    }
    /* The shape of a task's answer: an object with required fields, enums,
     * bounded arrays and numbers. */
    static json_t *schema;
    if (!schema)
        schema = json_loads(
            "{\"type\":\"object\",\"required\":[\"scores\",\"insights\"],\"properties\":{"
            "\"scores\":{\"type\":\"object\",\"properties\":{\"pain\":{\"type\":\"number\","
            "\"minimum\":0,\"maximum\":1}}},\"insights\":{\"type\":\"array\",\"maxItems\":5,"
            "\"items\":{\"type\":\"string\",\"maxLength\":300}},\"strategy\":{\"type\":"
            "\"string\",\"enum\":[\"industry\",\"pain\"]}}}",
            0, NULL);
    char why[200];
    (void)llm_schema_check(schema, j, why, sizeof why);
    json_decref(j);
    return 0;
}
