/* words.c: the word lists the people extractor tests names with: common
 * English words that are never names ("Meet The Team" against "Monica
 * Frame"), and given names. Both are derived at build time from Debian's
 * wamerican and miscfiles by scripts/gen-common-words.py and compiled into
 * the binary. */
#include <pthread.h>

#include "core/embed.h"
#include "extract/extract_int.h"

extern const struct embed_file extract__words_data[]; /* common-words.txt, given-names.txt */

static struct embed_list common, given;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    embed_lines(extract__words_data, "common-words.txt", &common);
    embed_lines(extract__words_data, "given-names.txt", &given);
}

/* Whether s[0..n), lower-cased, is on the list: ASCII letters only, as the
 * lists are. */
static bool listed(const struct embed_list *l, const char *s, size_t n)
{
    char low[48];
    if (n == 0 || n >= sizeof low)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            return false; /* accents, digits, apostrophes: never in the lists */
        low[i] = c;
    }
    low[n] = '\0';
    pthread_once(&once, load);
    return embed_list_has(l, low);
}

bool extract__common_word(const char *s, size_t n)
{
    return listed(&common, s, n);
}

bool extract__given_name(const char *s, size_t n)
{
    return listed(&given, s, n);
}
