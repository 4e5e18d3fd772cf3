/* county.c — the fixed table of Lishui's county-level divisions plus 市直:
 * names, codes, short names, accepted spellings, display order
 * (county.h).  One table, so the roster, --county options, the ledger,
 * reports and registration numbers can never disagree about a county. */
#include "xiaoan/county.h"

#include <string.h>
#include <strings.h>

/* Display order = code order; 市直 carries 丽水市's own code 331100. */
static const xa_county counties[XA_NCOUNTIES] = {
    {"市直", "331100", "市直", "shizhi", "city-level (Lishui bureau)"},
    {"莲都区", "331102", "莲都", "liandu", "Liandu District"},
    {"青田县", "331121", "青田", "qingtian", "Qingtian County"},
    {"缙云县", "331122", "缙云", "jinyun", "Jinyun County"},
    {"遂昌县", "331123", "遂昌", "suichang", "Suichang County"},
    {"松阳县", "331124", "松阳", "songyang", "Songyang County"},
    {"云和县", "331125", "云和", "yunhe", "Yunhe County"},
    {"庆元县", "331126", "庆元", "qingyuan", "Qingyuan County"},
    {"景宁畲族自治县", "331127", "景宁", "jingning", "Jingning She Autonomous County"},
    {"龙泉市", "331181", "龙泉", "longquan", "Longquan City"},
};

/* Further spellings people write, beyond name, abbr, code and pinyin. */
static const struct {
    const char *alias;
    int index;
} aliases[] = {
    {"市直属", 0},     {"市直属学校", 0}, {"丽水市直", 0},       {"市本级", 0},
    {"丽水市本级", 0}, {"景宁县", 8},     {"景宁自治县", 8},
};

/* Entry i of the table. */
const xa_county *xa_county_at(size_t i)
{
    return i < XA_NCOUNTIES ? &counties[i] : NULL;
}

/* Index of the county s (exact, already trimmed) names, or -1. */
static int lookup(const char *s, size_t n)
{
    for (int i = 0; i < XA_NCOUNTIES; i++) {
        const xa_county *c = &counties[i];
        const char *forms[] = {c->name, c->abbr, c->code};
        for (size_t k = 0; k < sizeof forms / sizeof *forms; k++)
            if (strlen(forms[k]) == n && !memcmp(forms[k], s, n))
                return i;
        if (strlen(c->pinyin) == n && !strncasecmp(c->pinyin, s, n))
            return i;
    }
    for (size_t k = 0; k < sizeof aliases / sizeof *aliases; k++)
        if (strlen(aliases[k].alias) == n && !memcmp(aliases[k].alias, s, n))
            return aliases[k].index;
    return -1;
}

/* The county a name stands for. */
const xa_county *xa_county_find(const char *name)
{
    if (!name)
        return NULL;
    const char *a = name, *b = name + strlen(name);
    while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n' || b[-1] == '\r'))
        b--;
    int i = lookup(a, (size_t)(b - a));
    /* "丽水市莲都区", "浙江省丽水市景宁县": the city (and province) prefix. */
    static const char *const prefixes[] = {"浙江省丽水市", "丽水市"};
    for (size_t k = 0; i < 0 && k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t p = strlen(prefixes[k]);
        if ((size_t)(b - a) > p && !memcmp(a, prefixes[k], p))
            i = lookup(a + p, (size_t)(b - a) - p);
    }
    return i < 0 ? NULL : &counties[i];
}

/* The full name for an accepted spelling. */
const char *xa_county_normalise(const char *name)
{
    const xa_county *c = xa_county_find(name);
    return c ? c->name : NULL;
}

/* Position in display order; unknown after all known. */
int xa_county_rank(const char *name)
{
    const xa_county *c = xa_county_find(name);
    return c ? (int)(c - counties) : XA_NCOUNTIES;
}

/* Order of two county names. */
int xa_county_cmp(const char *a, const char *b)
{
    int ra = xa_county_rank(a), rb = xa_county_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return ra == XA_NCOUNTIES ? strcmp(a ? a : "", b ? b : "") : 0;
}

/* Short name for registration numbers. */
const char *xa_county_abbr(const char *name)
{
    const xa_county *c = xa_county_find(name);
    return c ? c->abbr : (name ? name : "");
}

/* The list of full names, for messages. */
const char *xa_county_names(void)
{
    return "市直, 莲都区, 青田县, 缙云县, 遂昌县, 松阳县, 云和县, 庆元县, 景宁畲族自治县, 龙泉市";
}
