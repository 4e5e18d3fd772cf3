/* pinyin.h — finding a school by pinyin: 龙泉市实验小学 by `longquan`, `lq`,
 * `lqsy` or `longq`.  The readings come from Unicode's Unihan database
 * (tools/gen_pinyin.awk turns Debian's unicode-data into a table at build
 * time), every reading of a 多音字 counted (长 matches chang and zhang), tones
 * dropped, ü written v (u also matches it). */
#ifndef XIAOAN_PINYIN_H
#define XIAOAN_PINYIN_H

#include <stddef.h>
#include <stdint.h>

/* The generated table: syllables (index 0 is empty), one entry per Han
 * character with up to four syllable indexes, sorted by code point. */
struct xa_pinyin_entry {
    uint32_t cp;
    uint16_t syl[4];
};
extern const char xa_pinyin_syllables[][8];
extern const unsigned xa_pinyin_nsyllables;
extern const struct xa_pinyin_entry xa_pinyin_table[];
extern const unsigned xa_pinyin_nentries;

/* The readings of one character (most common first); returns how many (0-4). */
size_t xa_pinyin_readings(uint32_t cp, const char *out[4]);

/* A search key for text: per character its readings joined by '/', characters
 * separated by ' ' (an ASCII letter or digit stands for itself, lower case;
 * anything else is left out).  "长安2校" → "chang/zhang an 2 xiao".  Free with free(). */
char *xa_pinyin_key(const char *text);

/* Does query (letters and digits, any case) match the key?  It matches when,
 * starting at some character, each following character takes a non-empty
 * prefix of one of its readings and together they spell the query:
 * `lq`, `longquan`, `longq`, `lquan` all find 龙泉. */
int xa_pinyin_match(const char *key, const char *query);

/* A school's search strings, as the school picker's filter (tui.h
 * xa_filter) searches them and the brief's school table keeps them:
 * the haystack "code\x1fname\x1fcounty\x1fpinyin" in ASCII lower case, and
 * the pinyin key of "name county".  Free with free(). */
char *xa_search_hay(const char *code, const char *name, const char *county, const char *pinyin);
char *xa_search_pinyin(const char *name, const char *county);
/* Changes when the two strings above would come out otherwise (another
 * format, another readings table): a table that keeps them records it. */
uint32_t xa_search_stamp(void);

#endif
