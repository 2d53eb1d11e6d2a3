/* kinds.c: the kinds of customer a user's phrase lists ("Plumbers, car
 * washes, florists and hair salons" is four), each with its codes (none
 * for a kind the index does not know).
 *
 * Items are split at commas, semicolons and slashes; an item is split at
 * "and"/"or"/"&" only when it names nothing whole ("heating and air
 * conditioning" stays one trade, "florists and hair salons" is two). An
 * item is read without what qualifies it ("in Texas", "with 10-100
 * employees") when that still names a trade.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/request.h" /* (first: its jansson.h before banned.h) */
#include "industry/industry_int.h"

static void trim(char *s)
{
    size_t n = strlen(s), lead = strspn(s, " \t\n.:-");
    memmove(s, s + lead, n - lead + 1);
    /* ", and mental health practices" */
    static const char *const joins[] = {"and ", "or ", "& ", NULL};
    for (const char *const *j = joins; *j; j++)
        if (strncasecmp(s, *j, strlen(*j)) == 0)
            memmove(s, s + strlen(*j), strlen(s + strlen(*j)) + 1);
    n = strlen(s);
    while (n && strchr(" \t\n.:-", s[n - 1]))
        s[--n] = '\0';
}

/* The item without its qualifier: "dentists in Ohio" -> "dentists". */
static bool cut_qualifier(const char *item, char *out, size_t cap)
{
    static const char *const words[] = {" in ",     " with ",    " that ",    " who ",
                                        " which ",  " looking ", " needing ", " across ",
                                        " based ",  " near ",    " having ",  " using ",
                                        " around ", " within ",  " (",        NULL};
    const char *cut = NULL;
    for (const char *const *w = words; *w; w++) {
        const char *hit = strcasestr(item, *w);
        if (hit && (!cut || hit < cut))
            cut = hit;
    }
    if (!cut || cut == item)
        return false;
    snprintf(out, cap, "%.*s", (int)(cut - item), item);
    trim(out);
    return *out != '\0';
}

/* Adds item as a kind, with its codes (none when the index names no trade
 * for it: "license plate makers" is still a kind to search for). */
static void add_kind(const char *item, struct industry_kind *out, size_t *n, size_t max)
{
    if (*n >= max)
        return;
    struct industry_kind *k = &out[*n];
    char head[INDUSTRY_KIND_NAME];
    /* the head first: "dentists in Ohio" is dentists; "SMBs with 10-100
     * employees in tech" names its trade only whole */
    bool cut = cut_qualifier(item, head, sizeof head);
    if (cut && (k->ncodes = industry_codes_of(head, k->codes, INDUSTRY_MAX_CODES)) > 0) {
        snprintf(k->name, sizeof k->name, "%s", head);
    } else {
        k->ncodes = industry_codes_of(item, k->codes, INDUSTRY_MAX_CODES);
        snprintf(k->name, sizeof k->name, "%s", k->ncodes || !cut ? item : head);
    }
    for (size_t i = 0; i < *n; i++)
        if (strcasecmp(out[i].name, k->name) == 0)
            return; /* named twice */
    (*n)++;
}

/* Whether item names one trade surely as a whole ("heating and air
 * conditioning companies"), so that its "and" is not a list's. */
static bool whole_trade(const char *item)
{
    struct industry_code c[INDUSTRY_MAX_CODES];
    size_t n = industry_codes_of(item, c, INDUSTRY_MAX_CODES);
    return n && c[0].score >= 0.7;
}

static const char *const joins[] = {" and ", " or ", " & ", " + ", NULL};

/* The first join in s, and its length in *len; NULL when none. */
static char *first_join(const char *s, size_t *len)
{
    char *cut = NULL;
    for (const char *const *j = joins; *j; j++) {
        char *hit = strcasestr(s, *j);
        if (hit && (!cut || hit < cut)) {
            cut = hit;
            *len = strlen(*j);
        }
    }
    return cut;
}

/* Reads one item of a list ("florists and hair salons"; "dentists in Ohio
 * and plumbers") into kinds. */
static void read_item(char *item, struct industry_kind *out, size_t *n, size_t max)
{
    size_t jl = 0;
    char *join = first_join(item, &jl);
    char head[INDUSTRY_KIND_NAME];
    bool qualified = cut_qualifier(item, head, sizeof head);
    if (!qualified)
        snprintf(head, sizeof head, "%s", item);
    if (!join) {
        add_kind(item, out, n, max);
        return;
    }
    if (qualified && !first_join(head, &(size_t){0})) {
        /* the join lies in the qualifier: "dentists in Ohio and Indiana" is
         * one kind, "dentists in Ohio and plumbers" two */
        char rest[INDUSTRY_KIND_NAME];
        snprintf(rest, sizeof rest, "%s", join + jl);
        trim(rest);
        *join = '\0';
        add_kind(item, out, n, max);
        if (whole_trade(rest))
            read_item(rest, out, n, max);
        return;
    }
    if (whole_trade(head)) { /* "heating and air conditioning companies" */
        add_kind(item, out, n, max);
        return;
    }
    /* "florists and hair salons": each side on its own */
    for (char *rest = item; *rest;) {
        char *cut = first_join(rest, &jl);
        if (cut)
            *cut = '\0';
        char part[INDUSTRY_KIND_NAME];
        snprintf(part, sizeof part, "%s", rest);
        trim(part);
        /* a part that is only a modifier of the last ("pediatric and
         * specialty clinics") names no trade of its own surely */
        if (*part && (!cut || whole_trade(part)))
            add_kind(part, out, n, max);
        if (!cut)
            break;
        rest = cut + jl;
    }
}

size_t industry_kinds(const char *text, struct industry_kind *out, size_t max)
{
    size_t n = 0;
    if (!text)
        return 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, ",;/|\n");
        char item[INDUSTRY_KIND_NAME];
        snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1), p);
        trim(item);
        p += len + (p[len] != '\0');
        if (*item)
            read_item(item, out, &n, max);
    }
    return n;
}

/* Drops the kinds of out[from, *n) named before them in out[0, from). */
static void drop_repeated(struct industry_kind *out, bool *from_focus, size_t from, size_t *n)
{
    size_t kept = from;
    for (size_t k = from; k < *n; k++) {
        bool seen = false;
        for (size_t i = 0; i < from && !seen; i++)
            seen = strcasecmp(out[i].name, out[k].name) == 0;
        if (!seen) {
            from_focus[kept] = from_focus[k];
            out[kept++] = out[k];
        }
    }
    *n = kept;
}

size_t industry_customer_kinds(const char *const *focus, size_t nfocus, const char *ideal,
                               const char *const *fallbacks, size_t nfallbacks,
                               struct industry_kind *out, size_t max, bool *from_focus)
{
    size_t n = 0;
    for (size_t i = 0; i < nfocus && n < max; i++) {
        size_t before = n;
        n += industry_kinds(focus[i], out + n, max - n);
        for (size_t k = before; k < n; k++)
            from_focus[k] = true;
        drop_repeated(out, from_focus, before, &n);
    }
    size_t before = n;
    n += industry_kinds(ideal, out + n, max - n);
    for (size_t k = before; k < n; k++)
        from_focus[k] = false;
    drop_repeated(out, from_focus, before, &n); /* "Dentists" and "dentists in Ohio" */
    for (size_t f = 0; f < nfallbacks && !n; f++) {
        const char *t = fallbacks[f];
        const char *for_ = t ? strcasestr(t, " for ") : NULL;
        n = industry_kinds(for_ ? for_ + 5 : t, out, max);
        /* a fallback counts only where it names a trade the index knows */
        size_t known = 0;
        for (size_t k = 0; k < n; k++)
            if (out[k].ncodes)
                out[known++] = out[k];
        n = known;
        for (size_t k = 0; k < n; k++)
            from_focus[k] = false;
    }
    return n;
}

size_t industry_context_kinds(const struct business_context *bc, struct industry_kind *out,
                              bool *from_focus)
{
    const char *fallbacks[] = {bc->target_market, bc->business_description,
                               bc->product_service_description};
    return industry_customer_kinds((const char *const *)bc->industry_focus.v, bc->industry_focus.n,
                                   bc->ideal_customer, fallbacks, 3, out, INDUSTRY_MAX_KINDS,
                                   from_focus);
}
