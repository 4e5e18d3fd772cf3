/* county.h — the county-level divisions of Lishui (丽水市) and 市直 (schools
 * run by the city bureau itself): their names, administrative codes, the
 * short names used in hazard registration numbers, the names people type
 * for them, and the one order in which every listing shows them.
 *
 * The table is fixed: 市直 first, then the nine divisions by their
 * administrative code (GB/T 2260) — 莲都区 331102, 青田县 331121, 缙云县
 * 331122, 遂昌县 331123, 松阳县 331124, 云和县 331125, 庆元县 331126,
 * 景宁畲族自治县 331127, 龙泉市 331181.  市直 carries 331100, the code of
 * 丽水市 itself, so "by code" and "市直 first" are the same order.
 *
 * Accepted spellings (xa_county_find): the full name (莲都区), the short
 * name (莲都), the short name with the other suffixes people write (景宁县,
 * 龙泉县), the code (331102), the pinyin key (liandu; any case), and for
 * 市直 also 市直属, 丽水市直, 市本级.  Anything else is unknown: the roster
 * loader refuses it at FILE:LINE:COLUMN and --county options refuse it with
 * the list of names. */
#ifndef XIAOAN_COUNTY_H
#define XIAOAN_COUNTY_H

#include <stddef.h>

typedef struct xa_county {
    const char *name;   /* the full name stored everywhere: 莲都区, 市直 */
    const char *code;   /* administrative code: 331102; 331100 for 市直 */
    const char *abbr;   /* short name for registration numbers: 莲都, 景宁, 市直 */
    const char *pinyin; /* ASCII key for terminals without an input method: liandu */
    const char *name_en; /* English: Liandu District */
} xa_county;

#define XA_NCOUNTIES 10 /* 市直 + nine divisions */

/* The table, in display order (index 0 is 市直). */
const xa_county *xa_county_at(size_t i);

/* The county a name stands for (any accepted spelling, white space around
 * it ignored), or NULL. */
const xa_county *xa_county_find(const char *name);

/* The full name for an accepted spelling ("景宁" -> "景宁畲族自治县"), or
 * NULL when unknown. */
const char *xa_county_normalise(const char *name);

/* Position of a county in display order: 0 for 市直, 1..9 by code; an
 * unknown name (an old record) is XA_NCOUNTIES, after every known one. */
int xa_county_rank(const char *name);

/* qsort-style order of two county names: by rank, then (two unknown
 * names) by strcmp.  NULL sorts as "". */
int xa_county_cmp(const char *a, const char *b);

/* The short name for a registration number (莲都-2026-0012); for an
 * unknown name, the name itself. */
const char *xa_county_abbr(const char *name);

/* "市直, 莲都区, 青田县, …, 龙泉市" for messages. */
const char *xa_county_names(void);

#endif
