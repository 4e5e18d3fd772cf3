/* filter.c — the school picker's incremental filter (see tui.h).  No curses
 * here: the unit test times it with 20,000 schools. */
#include "xiaoan/tui.h"

#include "xiaoan/mem.h"
#include "xiaoan/pinyin.h"

#include <stdlib.h>
#include <string.h>

/* ASCII lower case in place (Chinese has no case; bytes >= 0x80 stay). */
static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Free entry i's strings when they are the filter's own. */
static void entry_drop(xa_filter *f, size_t i)
{
    if (f->own[i]) {
        free(f->hay[i]);
        free(f->py[i]);
    }
    f->hay[i] = f->py[i] = NULL;
    f->own[i] = 0;
}

void xa_filter_init(xa_filter *f, size_t n)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    if (n) { /* one mapping (20,000 schools: 0.5 MB; huge pages, few page faults) */
        char *m = xa_big_alloc(n * (sizeof *f->hay + sizeof *f->py + sizeof *f->match + 1),
                               &f->map);
        f->hay = (char **)(void *)m;
        f->py = f->hay + n;
        f->match = (size_t *)(void *)(f->py + n);
        f->own = (unsigned char *)(f->match + n);
    }
    f->query = xa_strdup("");
    for (size_t i = 0; i < n; i++)
        f->match[i] = i;
    f->nmatch = n;
}

void xa_filter_set(xa_filter *f, size_t i, const char *code, const char *name,
                   const char *county, const char *pinyin)
{
    if (i >= f->n)
        return;
    entry_drop(f, i);
    f->hay[i] = xa_search_hay(code, name, county, pinyin);
    /* Full pinyin and any mix of initials and syllables, from Unihan's
     * readings: longquan, lq, longq all find 龙泉. */
    f->py[i] = xa_search_pinyin(name, county);
    f->own[i] = 1;
}

void xa_filter_borrow(xa_filter *f, size_t i, const char *hay, const char *py)
{
    if (i >= f->n)
        return;
    entry_drop(f, i);
    f->hay[i] = (char *)hay; /* never written to, never freed: own[i] is 0 */
    f->py[i] = (char *)py;
}

/* Is the word plain ASCII letters and digits (a pinyin query)? */
static int is_pinyin_word(const char *w)
{
    for (; *w; w++)
        if (!((*w >= 'a' && *w <= 'z') || (*w >= '0' && *w <= '9')))
            return 0;
    return 1;
}

/* Does every space-separated word of q occur in hay, or spell the name in pinyin? */
static int matches(const char *hay, const char *py, const char *q)
{
    while (*q) {
        while (*q == ' ')
            q++;
        size_t len = strcspn(q, " ");
        if (!len)
            break;
        char word[256];
        if (len >= sizeof word)
            len = sizeof word - 1;
        memcpy(word, q, len);
        word[len] = '\0';
        if (!strstr(hay, word) && !(py && is_pinyin_word(word) && xa_pinyin_match(py, word)))
            return 0;
        q += strcspn(q, " ");
    }
    return 1;
}

void xa_filter_apply(xa_filter *f, const char *query)
{
    char *q = xa_strdup(query ? query : "");
    lower_ascii(q);
    /* A longer query matches a subset of what its prefix matched. */
    int narrow = strncmp(q, f->query, strlen(f->query)) == 0;
    size_t out = 0;
    if (narrow) {
        for (size_t j = 0; j < f->nmatch; j++) {
            size_t i = f->match[j];
            if (f->hay[i] && matches(f->hay[i], f->py[i], q))
                f->match[out++] = i;
        }
    } else {
        for (size_t i = 0; i < f->n; i++)
            if (f->hay[i] && matches(f->hay[i], f->py[i], q))
                f->match[out++] = i;
    }
    f->nmatch = out;
    free(f->query);
    f->query = q;
}

void xa_filter_free(xa_filter *f)
{
    for (size_t i = 0; i < f->n; i++)
        entry_drop(f, i);
    xa_big_free(&f->map);
    free(f->query);
    memset(f, 0, sizeof *f);
}
