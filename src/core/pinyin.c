/* pinyin.c — readings of Han characters and the pinyin search of names (see
 * pinyin.h).  The table itself is generated at build time
 * ($(BUILD)/gen/pinyin_data.c from Unihan); this file only reads it. */
#include "xiaoan/pinyin.h"

#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

size_t xa_pinyin_readings(uint32_t cp, const char *out[4])
{
    size_t lo = 0, hi = xa_pinyin_nentries;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (xa_pinyin_table[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= xa_pinyin_nentries || xa_pinyin_table[lo].cp != cp)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < 4 && xa_pinyin_table[lo].syl[i]; i++)
        out[n++] = xa_pinyin_syllables[xa_pinyin_table[lo].syl[i]];
    return n;
}

char *xa_pinyin_key(const char *text)
{
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "");
    size_t len = strlen(text), i = 0;
    while (i < len) {
        uint32_t cp;
        i += xa_utf8_decode(text + i, len - i, &cp, NULL);
        const char *r[4];
        size_t n = 0;
        char one[2] = {0, 0};
        if (cp < 128 && isalnum((int)cp)) {
            one[0] = (char)tolower((int)cp);
            r[0] = one;
            n = 1;
        } else {
            n = xa_pinyin_readings(cp, r);
        }
        if (!n)
            continue;
        if (b.len)
            xa_buf_putc(&b, ' ');
        for (size_t k = 0; k < n; k++) {
            if (k)
                xa_buf_putc(&b, '/');
            xa_buf_puts(&b, r[k]);
        }
    }
    return xa_buf_steal(&b);
}

/* Does query letter q stand for reading letter r?  (u for v: people type lu for lü.) */
static int letter_eq(char q, char r)
{
    return q == r || (q == 'u' && r == 'v');
}

/* Match q against the characters from key onwards (key at a character's
 * start): the character takes a non-empty prefix of one reading, the rest
 * of the query goes on with the next character. */
static int match_from(const char *key, const char *q)
{
    if (!*q)
        return 1;
    if (!*key)
        return 0;
    const char *end = key + strcspn(key, " ");
    const char *next = *end ? end + 1 : end;
    for (const char *r = key; r < end;) {
        const char *rend = r + strcspn(r, "/ ");
        if (rend > end)
            rend = end;
        size_t k = 0;
        while (r + k < rend && q[k] && letter_eq(q[k], r[k])) {
            k++;
            if (match_from(next, q + k))
                return 1;
        }
        r = rend < end ? rend + 1 : end;
    }
    return 0;
}

int xa_pinyin_match(const char *key, const char *query)
{
    char q[128];
    size_t n = 0;
    for (const char *p = query; *p && n + 1 < sizeof q; p++)
        if (isalnum((unsigned char)*p))
            q[n++] = (char)tolower((unsigned char)*p);
    q[n] = '\0';
    if (!n)
        return 0;
    for (const char *k = key; *k;) {
        if (match_from(k, q))
            return 1;
        k += strcspn(k, " ");
        if (*k)
            k++;
    }
    return 0;
}

/* ---- a school's search strings (the picker's filter, the brief's table) ---- */

/* Bumped when what xa_search_hay or xa_search_pinyin make changes. */
#define SEARCH_FORMAT 1

char *xa_search_hay(const char *code, const char *name, const char *county, const char *pinyin)
{
    char *h = xa_asprintf("%s\x1f%s\x1f%s\x1f%s", code ? code : "", name ? name : "",
                          county ? county : "", pinyin ? pinyin : "");
    for (char *p = h; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return h;
}

char *xa_search_pinyin(const char *name, const char *county)
{
    char *both = xa_asprintf("%s %s", name ? name : "", county ? county : "");
    char *key = xa_pinyin_key(both);
    free(both);
    return key;
}

uint32_t xa_search_stamp(void)
{
    /* FNV-1a over the format and the readings table's shape and ends: a
     * table generated from other Unihan data changes it. */
    uint32_t h = 2166136261u;
    uint32_t v[] = {SEARCH_FORMAT, xa_pinyin_nentries, xa_pinyin_nsyllables,
                    xa_pinyin_nentries ? xa_pinyin_table[0].cp : 0,
                    xa_pinyin_nentries ? xa_pinyin_table[xa_pinyin_nentries - 1].cp : 0,
                    xa_pinyin_nentries ? xa_pinyin_table[xa_pinyin_nentries / 2].syl[0] : 0};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        for (int b = 0; b < 4; b++) {
            h ^= (v[i] >> (8 * b)) & 0xff;
            h *= 16777619u;
        }
    return h;
}
