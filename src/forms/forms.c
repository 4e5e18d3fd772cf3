/* forms.c — checklists: the vocabularies of forms (school types, profile
 * flags, item types; categories and severities are vocab.h's), reading forms/index.csv and
 * forms/<id>.csv, the same validation for forms arriving as JSON, the
 * content hash, and which items apply to which school (forms.h).
 *
 * One row validator serves both ways in: a JSON item is turned into the
 * strings a CSV row would hold and checked by the same code, so a form
 * means the same thing (and hashes the same) however it travelled. */
#include "xiaoan/forms.h"

#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- vocabularies ------------------------------------------------------ */

#define XA_ST_KEY_(name, key, zh) key,
#define XA_ST_ZH_(name, key, zh) zh,
static const char *const school_keys[] = {XA_SCHOOL_TYPES(XA_ST_KEY_)};
static const char *const school_labels[] = {XA_SCHOOL_TYPES(XA_ST_ZH_)};
#define XA_PF_KEY_(name, key) key,
static const char *const flag_keys[] = {XA_PROFILE_FLAGS(XA_PF_KEY_)};
static const char *const type_keys[] = {"check", "count", "text"};
#define XA_RULE_KEY_(name, key, zh) key,
#define XA_RULE_ZH_(name, key, zh) zh,
static const char *const rule_keys[] = {"", XA_COUNT_RULES(XA_RULE_KEY_)};
static const char *const rule_labels[] = {"", XA_COUNT_RULES(XA_RULE_ZH_)};

/* Key of a school type. */
const char *xa_school_type_key(xa_school_type t)
{
    return (unsigned)t < XA_SCHOOL_NTYPES ? school_keys[t] : "?";
}

/* Chinese label of a school type. */
const char *xa_school_type_label(xa_school_type t)
{
    return (unsigned)t < XA_SCHOOL_NTYPES ? school_labels[t] : "?";
}

/* A school type from its key or Chinese label. */
int xa_school_type_parse(const char *s, xa_school_type *out)
{
    for (int t = 0; t < XA_SCHOOL_NTYPES; t++)
        if (!strcasecmp(s, school_keys[t]) || !strcmp(s, school_labels[t])) {
            *out = (xa_school_type)t;
            return 1;
        }
    return 0;
}

/* The stage flags of a school type. */
xa_profile xa_school_type_profile(xa_school_type t)
{
    switch (t) {
    case XA_SCHOOL_KINDERGARTEN: return XA_PF_KINDERGARTEN;
    case XA_SCHOOL_PRIMARY: return XA_PF_PRIMARY;
    case XA_SCHOOL_JUNIOR: return XA_PF_JUNIOR;
    case XA_SCHOOL_SENIOR: return XA_PF_SENIOR;
    case XA_SCHOOL_NINE_YEAR: return XA_PF_PRIMARY | XA_PF_JUNIOR;
    case XA_SCHOOL_COMPLETE: return XA_PF_JUNIOR | XA_PF_SENIOR;
    case XA_SCHOOL_VOCATIONAL: return XA_PF_VOCATIONAL;
    case XA_SCHOOL_SPECIAL: return XA_PF_SPECIAL;
    case XA_SCHOOL_HIGHER: return XA_PF_HIGHER;
    case XA_SCHOOL_TWELVE_YEAR: return XA_PF_PRIMARY | XA_PF_JUNIOR | XA_PF_SENIOR;
    case XA_SCHOOL_TEACHING_POINT: return XA_PF_PRIMARY;
    case XA_SCHOOL_TUTORING: return XA_PF_TUTORING;
    default: return 0;
    }
}

/* Key of profile flag number index. */
const char *xa_profile_flag_key(int index)
{
    return index >= 0 && index < XA_PF_NFLAGS ? flag_keys[index] : "?";
}

/* A profile flag bit from its key. */
int xa_profile_flag_parse(const char *s, xa_profile *bit)
{
    for (int i = 0; i < XA_PF_NFLAGS; i++)
        if (!strcasecmp(s, flag_keys[i])) {
            *bit = 1u << i;
            return 1;
        }
    return 0;
}

/* Key of an item type. */
const char *xa_item_type_key(xa_item_type t)
{
    return (unsigned)t <= XA_ITEM_TEXT ? type_keys[t] : "?";
}

/* Key of a count rule ("" for none). */
const char *xa_count_rule_key(xa_count_rule r)
{
    return (unsigned)r < XA_RULE_N ? rule_keys[r] : "?";
}

/* Chinese description of a count rule. */
const char *xa_count_rule_label(xa_count_rule r)
{
    return (unsigned)r < XA_RULE_N ? rule_labels[r] : "?";
}

/* A count rule from its key. */
int xa_count_rule_parse(const char *s, xa_count_rule *out)
{
    for (int r = 1; r < XA_RULE_N; r++)
        if (!strcasecmp(s, rule_keys[r])) {
            *out = (xa_count_rule)r;
            return 1;
        }
    return 0;
}

/* The rule's minimum for a school.  guards: GB/T 29315-2022's staffing of
 * 专职保安员 by 非寄宿生 (students - boarders): < 100 -> 1, >= 1000 -> 3 plus
 * one per further 500; the 100..999 band is 2 (docs/forms.md §3a).
 * night-staff: one person awake on duty per 200 boarders, at least one. */
int xa_count_rule_min(xa_count_rule r, const xa_facts *facts, long *out)
{
    switch (r) {
    case XA_RULE_GUARDS: {
        if (!facts || facts->students < 0)
            return 0;
        long day = facts->students - (facts->boarders > 0 ? facts->boarders : 0);
        if (day < 0)
            day = 0;
        *out = day < 100 ? 1 : day < 1000 ? 2 : 3 + (day - 1000) / 500;
        return 1;
    }
    case XA_RULE_NIGHT_STAFF:
        if (!facts || facts->boarders < 0)
            return 0;
        *out = facts->boarders == 0 ? 0 : (facts->boarders + 199) / 200;
        return 1;
    default: return 0;
    }
}

/* ---- small parsers ----------------------------------------------------- */

/* Is s non-empty and made of digits, '-' and lower-case (upper: upper-case) ASCII letters? */
static int only_chars(const char *s, int upper)
{
    if (!*s)
        return 0;
    for (; *s; s++) {
        char c = *s;
        int ok = (c >= '0' && c <= '9') || c == '-' ||
                 (upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z'));
        if (!ok)
            return 0;
    }
    return 1;
}

/* Split a ';' (or full-width '；') separated list; calls fn on each trimmed,
 * non-empty token.  fn returns 0 for an unknown token, which is reported. */
static int parse_list(const xa_csv_row *row, size_t c, const char *what, const char *known,
                      int (*fn)(const char *tok, uint32_t *acc), uint32_t *out)
{
    const char *s = xa_csv_val(row, c);
    uint32_t acc = 0;
    int ok = 1;
    char shown[160];
    while (*s) {
        size_t n = 0;
        while (s[n] && s[n] != ';' && strncmp(s + n, "；", 3))
            n++;
        char *tok = xa_strndup(s, n);
        char *a = tok, *b = tok + strlen(tok);
        while (*a == ' ' || *a == '\t' || *a == '\n')
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n'))
            *--b = '\0';
        if (*a && !fn(a, &acc)) {
            xa_csv_problem(row, c, "unknown %s '%s' (known: %s)", xa_tr(what),
                           xa_csv_show(a, shown, sizeof shown), known);
            ok = 0;
        }
        free(tok);
        s += n;
        if (*s == ';')
            s++;
        else if (*s)
            s += 3;
    }
    *out = acc;
    return ok;
}

/* parse_list callback for profile flags. */
static int flag_tok(const char *tok, uint32_t *acc)
{
    xa_profile bit;
    if (!xa_profile_flag_parse(tok, &bit))
        return 0;
    *acc |= bit;
    return 1;
}

/* parse_list callback for school types. */
static int type_tok(const char *tok, uint32_t *acc)
{
    xa_school_type t;
    if (!xa_school_type_parse(tok, &t))
        return 0;
    *acc |= XA_SCOPE_BIT(t);
    return 1;
}

/* "a, b, c" of a key table, written into buf (for messages). */
static const char *known_list(const char *const *keys, size_t n, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", keys[i]);
    return buf;
}

/* ---- the index --------------------------------------------------------- */

enum { I_ID, I_VERSION, I_TITLE, I_TITLE_EN, I_CATEGORY, I_SCOPE, I_NCOLS };
static const xa_csv_col index_cols[I_NCOLS] = {
    {"id", 1}, {"version", 1}, {"title", 1}, {"title_en", 0}, {"category", 1}, {"scope", 0},
};

struct index_entry {
    char *id;           /* as written, even when invalid */
    int ok;             /* the row is valid */
    int version;
    char *title, *title_en;
    xa_category category;
    xa_scope scope;
    size_t line, id_col;
};

struct index_ctx {
    struct index_entry *v;
    size_t n, alloc;
};

/* Check the form-describing fields of a row (an index row, or the top of a
 * form's JSON); fills e and returns 1 when they are valid. */
static int check_info(const xa_csv_row *row, struct index_entry *e)
{
    char shown[160], known[512];
    int ok = 1;
    const char *id = xa_csv_val(row, I_ID);
    if (!*id) {
        xa_csv_problem(row, I_ID, "id is empty");
        ok = 0;
    } else if (strlen(id) > XA_ID_MAX || !only_chars(id, 0)) {
        xa_csv_problem(row, I_ID, "id '%s' must be 1 to %d of a-z, 0-9 and '-'",
                       xa_csv_show(id, shown, sizeof shown), XA_ID_MAX);
        ok = 0;
    }
    const char *ver = xa_csv_val(row, I_VERSION);
    long v = 0;
    if (!xa_csv_count(ver, 1000000, &v) || v < 1) {
        xa_csv_problem(row, I_VERSION, "version '%s' is not a positive whole number",
                       xa_csv_show(ver, shown, sizeof shown));
        ok = 0;
    }
    if (!*xa_csv_val(row, I_TITLE)) {
        xa_csv_problem(row, I_TITLE, "title is empty");
        ok = 0;
    }
    const char *cat = xa_csv_val(row, I_CATEGORY);
    if (!xa_category_parse(cat, &e->category)) {
        xa_buf kb = XA_BUF_INIT;
        xa_vocab_keys(&xa_vocab_categories, &kb);
        snprintf(known, sizeof known, "%s", kb.data);
        xa_buf_clear(&kb);
        if (*cat)
            xa_csv_problem(row, I_CATEGORY, "unknown category '%s' (known: %s)",
                           xa_csv_show(cat, shown, sizeof shown), known);
        else
            xa_csv_problem(row, I_CATEGORY, "category is empty (known: %s)", known);
        ok = 0;
    }
    known_list(school_keys, XA_SCHOOL_NTYPES, known, sizeof known);
    ok &= parse_list(row, I_SCOPE, N_("school type"), known, type_tok, &e->scope);
    e->ok = ok;
    e->version = (int)v;
    e->id = xa_strdup(id);
    e->title = xa_strdup(xa_csv_val(row, I_TITLE));
    e->title_en = xa_strdup(xa_csv_val(row, I_TITLE_EN));
    e->line = row->line;
    e->id_col = row->col[I_ID];
    return ok;
}

/* Free the strings of an index entry. */
static void entry_free(struct index_entry *e)
{
    free(e->id);
    free(e->title);
    free(e->title_en);
}

/* Row callback for index.csv. */
static void index_row(void *ctx, const xa_csv_row *row)
{
    struct index_ctx *ic = ctx;
    struct index_entry e;
    memset(&e, 0, sizeof e);
    check_info(row, &e);
    for (size_t i = 0; i < ic->n && *e.id; i++)
        if (!strcmp(ic->v[i].id, e.id)) {
            xa_csv_problem(row, I_ID, "form '%s' is listed twice (first on line %zu)", e.id,
                           ic->v[i].line);
            e.ok = 0;
            break;
        }
    if (ic->n == ic->alloc) {
        ic->alloc = ic->alloc ? ic->alloc * 2 : 16;
        ic->v = xa_reallocarray(ic->v, ic->alloc, sizeof *ic->v);
    }
    ic->v[ic->n++] = e;
}

/* ---- form rows --------------------------------------------------------- */

enum {
    F_SECTION, F_CODE, F_TYPE, F_TEXT, F_TEXT_EN, F_SEVERITY,
    F_BASIS, F_HINT, F_APPLIES, F_MIN, F_MAX, F_RULE, F_SAME_AS, F_PROVENANCE, F_NCOLS
};
static const xa_csv_col form_cols[F_NCOLS] = {
    {"section", 1}, {"code", 1},  {"type", 1},    {"text", 1}, {"text_en", 0}, {"severity", 1},
    {"basis", 0},   {"hint", 0},  {"applies", 0}, {"min", 0},  {"max", 0},     {"rule", 0},
    {"same_as", 0}, {"provenance", 0},
};
/* Columns from F_RULE on are optional in an item's JSON and written only
 * when set, so forms made before them keep their hashes. */
#define F_FIRST_OPTIONAL F_RULE

struct form_ctx {
    xa_form *f;
    size_t alloc;
    xa_csv_keys codes;
    char *section;      /* the last section written, repeated by empty cells */
    int too_many;
};

/* Parse a severity word. */
static int parse_severity(const char *s, xa_severity *out)
{
    int id = xa_vocab_parse(&xa_vocab_severities, s);
    if (id < 0)
        return 0;
    *out = (xa_severity)id;
    return 1;
}

/* Check min or max of a row; 1 when absent or valid. */
static int check_bound(const xa_csv_row *row, size_t c, int type_ok, xa_item_type type,
                       int *has, long *v)
{
    char shown[160];
    const char *s = xa_csv_val(row, c);
    *has = 0;
    if (!*s)
        return 1;
    if (type_ok && type != XA_ITEM_COUNT) {
        xa_csv_problem(row, c, "%s is only for count items", form_cols[c].name);
        return 0;
    }
    if (!xa_csv_count(s, XA_COUNT_MAX, v)) {
        xa_csv_problem(row, c, "%s '%s' is not a whole number from 0 to %ld", form_cols[c].name,
                       xa_csv_show(s, shown, sizeof shown), XA_COUNT_MAX);
        return 0;
    }
    *has = 1;
    return 1;
}

/* Release the strings of an item. */
static void item_clear(xa_item *it)
{
    free(it->section);
    free(it->code);
    free(it->text);
    free(it->text_en);
    free(it->basis);
    free(it->hint);
    free(it->same_as);
    free(it->provenance);
}

/* Every profile flag some school in the scope can have: the stages of its
 * types plus what any school may have (facilities, 民办), plus a
 * kindergarten class where a type may run one (附设幼儿班). */
static xa_profile scope_profile(xa_scope scope)
{
    xa_profile p = XA_PF_BOARDING | XA_PF_CANTEEN | XA_PF_LAB | XA_PF_BUS | XA_PF_PRIVATE;
    for (int t = 0; t < XA_SCHOOL_NTYPES; t++)
        if (!scope || (scope & XA_SCOPE_BIT(t))) {
            xa_profile tp = xa_school_type_profile((xa_school_type)t);
            p |= tp;
            if (tp & (XA_PF_PRIMARY | XA_PF_SPECIAL))
                p |= XA_PF_KINDERGARTEN;
        }
    return p;
}

/* Row callback for a form: validate the row and keep it as an item. */
static void form_row(void *ctx, const xa_csv_row *row)
{
    struct form_ctx *fc = ctx;
    xa_form *f = fc->f;
    char shown[160], known[256];
    xa_item it;
    memset(&it, 0, sizeof it);
    int ok = 1;

    const char *section = xa_csv_val(row, F_SECTION);
    if (*section) {
        free(fc->section);
        fc->section = xa_strdup(section);
    } else if (fc->section) {
        section = fc->section;
    } else if (row->col[F_SECTION]) {
        xa_csv_problem(row, F_SECTION, "section is empty and there is no row above to repeat");
        ok = 0;
    }

    const char *code = xa_csv_val(row, F_CODE);
    if (row->col[F_CODE]) {
        if (!*code) {
            xa_csv_problem(row, F_CODE, "code is empty");
            ok = 0;
        } else if (strlen(code) > XA_CODE_MAX || !only_chars(code, 1)) {
            xa_csv_problem(row, F_CODE, "code '%s' must be 1 to %d of A-Z, 0-9 and '-'",
                           xa_csv_show(code, shown, sizeof shown), XA_CODE_MAX);
            ok = 0;
        } else {
            xa_csv_keys_add(&fc->codes, code, row->lines[F_CODE], row->col[F_CODE]);
        }
    }

    const char *type = xa_csv_val(row, F_TYPE);
    int type_ok = 0;
    for (int t = 0; t <= XA_ITEM_TEXT; t++)
        if (!strcasecmp(type, type_keys[t])) {
            it.type = (xa_item_type)t;
            type_ok = 1;
        }
    if (!type_ok && row->col[F_TYPE]) {
        if (*type)
            xa_csv_problem(row, F_TYPE, "unknown type '%s' (known: check, count, text)",
                           xa_csv_show(type, shown, sizeof shown));
        else
            xa_csv_problem(row, F_TYPE, "type is empty (check, count or text)");
    }
    ok &= type_ok;

    if (!*xa_csv_val(row, F_TEXT) && row->col[F_TEXT]) {
        xa_csv_problem(row, F_TEXT, "text is empty");
        ok = 0;
    }

    const char *sev = xa_csv_val(row, F_SEVERITY);
    if (*sev && !parse_severity(sev, &it.severity)) {
        xa_csv_problem(row, F_SEVERITY,
                       "unknown severity '%s' (general, major, advice, 一般, 重大 or 建议)",
                       xa_csv_show(sev, shown, sizeof shown));
        ok = 0;
    } else if (type_ok && it.type == XA_ITEM_TEXT && *sev) {
        xa_csv_problem(row, F_SEVERITY, "severity must be empty for a text item");
        ok = 0;
    } else if (type_ok && it.type != XA_ITEM_TEXT && !*sev && row->col[F_SEVERITY]) {
        xa_csv_problem(row, F_SEVERITY, "severity is empty (general, major or advice)");
        ok = 0;
    }

    known_list(flag_keys, XA_PF_NFLAGS, known, sizeof known);
    if (!parse_list(row, F_APPLIES, N_("flag"), known, flag_tok, &it.applies)) {
        ok = 0;
    } else if (it.applies && !(it.applies & scope_profile(f->scope))) {
        xa_csv_problem(row, F_APPLIES, "applies to no school in the form's scope (see index.csv)");
        ok = 0;
    }

    int min_ok = check_bound(row, F_MIN, type_ok, it.type, &it.has_min, &it.min);
    int max_ok = check_bound(row, F_MAX, type_ok, it.type, &it.has_max, &it.max);
    ok &= min_ok & max_ok;
    if (it.has_min && it.has_max && it.min > it.max) {
        xa_csv_problem(row, F_MAX, "min %ld is greater than max %ld", it.min, it.max);
        ok = 0;
    }

    const char *rule = xa_csv_val(row, F_RULE);
    if (*rule && !xa_count_rule_parse(rule, &it.rule)) {
        xa_csv_problem(row, F_RULE, "unknown rule '%s' (known: guards, night-staff)",
                       xa_csv_show(rule, shown, sizeof shown));
        ok = 0;
    } else if (*rule && type_ok && it.type != XA_ITEM_COUNT) {
        xa_csv_problem(row, F_RULE, "rule is only for count items");
        ok = 0;
    }

    /* same_as: "form-id/CODE" of the item this one repeats. */
    const char *same = xa_csv_val(row, F_SAME_AS);
    if (*same) {
        const char *slash = strchr(same, '/');
        char *fid = slash ? xa_strndup(same, (size_t)(slash - same)) : NULL;
        int good = slash && strlen(fid) <= XA_ID_MAX && only_chars(fid, 0) &&
                   strlen(slash + 1) <= XA_CODE_MAX && only_chars(slash + 1, 1);
        free(fid);
        if (!good) {
            xa_csv_problem(row, F_SAME_AS, "same_as '%s' is not FORM-ID/CODE (e.g. fire-buildings/FB-17)",
                           xa_csv_show(same, shown, sizeof shown));
            ok = 0;
        } else if (!strncmp(same, f->id, strlen(f->id)) && same[strlen(f->id)] == '/') {
            xa_csv_problem(row, F_SAME_AS, "same_as names this form: merge the two items instead");
            ok = 0;
        }
    }

    if (f->nitems >= XA_FORM_ITEMS_MAX) {
        if (!fc->too_many)
            xa_csv_problem(row, F_CODE, "more than %d items", XA_FORM_ITEMS_MAX);
        fc->too_many = 1;
        ok = 0;
    }
    if (!ok)
        return;
    it.section = xa_strdup(section);
    it.code = xa_strdup(code);
    it.text = xa_strdup(xa_csv_val(row, F_TEXT));
    it.text_en = xa_strdup(xa_csv_val(row, F_TEXT_EN));
    it.basis = xa_strdup(xa_csv_val(row, F_BASIS));
    it.hint = xa_strdup(xa_csv_val(row, F_HINT));
    it.same_as = xa_strdup(same);
    it.provenance = xa_strdup(xa_csv_val(row, F_PROVENANCE));
    it.line = row->line;
    it.basis_col = row->col[F_BASIS];
    it.min_col = row->col[F_MIN];
    it.same_as_col = row->col[F_SAME_AS];
    it.section_col = row->col[F_SECTION];
    it.text_col = row->col[F_TEXT];
    it.text_en_col = row->col[F_TEXT_EN];
    it.hint_col = row->col[F_HINT];
    if (f->nitems == fc->alloc) {
        fc->alloc = fc->alloc ? fc->alloc * 2 : 32;
        f->items = xa_reallocarray(f->items, fc->alloc, sizeof *f->items);
    }
    f->items[f->nitems++] = it;
    if (it.severity == XA_SEV_MAJOR)
        f->nmajor++;
}

/* ---- forms ------------------------------------------------------------- */

/* Free a form and everything in it. */
void xa_form_free(xa_form *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nitems; i++)
        item_clear(&f->items[i]);
    free(f->items);
    free(f->id);
    free(f->title);
    free(f->title_en);
    free(f->file);
    free(f);
}

/* A new form holding the index data. */
static xa_form *form_new(const xa_form_info *info)
{
    xa_form *f = xa_calloc(1, sizeof *f);
    f->id = xa_strdup(info->id);
    f->version = info->version;
    f->title = xa_strdup(info->title);
    f->title_en = xa_strdup(info->title_en ? info->title_en : "");
    f->category = info->category;
    f->scope = info->scope;
    return f;
}

/* The keys of the bits set in mask, as a JSON array. */
static json_t *keys_json(uint32_t mask, const char *const *keys, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        if (mask & (1u << i))
            json_array_append_new(a, json_string(keys[i]));
    return a;
}

/* The form as JSON, without its hash. */
static json_t *form_json_body(const xa_form *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("form"));
    json_object_set_new(o, "id", json_string(f->id));
    json_object_set_new(o, "version", json_integer(f->version));
    json_object_set_new(o, "title", json_string(f->title));
    json_object_set_new(o, "title_en", json_string(f->title_en));
    json_object_set_new(o, "category", json_string(xa_category_key(f->category)));
    json_object_set_new(o, "scope", keys_json(f->scope, school_keys, XA_SCHOOL_NTYPES));
    json_t *items = json_array();
    for (size_t i = 0; i < f->nitems; i++) {
        const xa_item *it = &f->items[i];
        json_t *j = json_object();
        json_object_set_new(j, "section", json_string(it->section));
        json_object_set_new(j, "code", json_string(it->code));
        json_object_set_new(j, "type", json_string(xa_item_type_key(it->type)));
        json_object_set_new(j, "text", json_string(it->text));
        json_object_set_new(j, "text_en", json_string(it->text_en));
        json_object_set_new(j, "severity", it->severity == XA_SEV_NONE
                                               ? json_null()
                                               : json_string(xa_severity_key(it->severity)));
        json_object_set_new(j, "basis", json_string(it->basis));
        json_object_set_new(j, "hint", json_string(it->hint));
        json_object_set_new(j, "applies", keys_json(it->applies, flag_keys, XA_PF_NFLAGS));
        json_object_set_new(j, "min", it->has_min ? json_integer(it->min) : json_null());
        json_object_set_new(j, "max", it->has_max ? json_integer(it->max) : json_null());
        if (it->rule != XA_RULE_NONE)
            json_object_set_new(j, "rule", json_string(xa_count_rule_key(it->rule)));
        if (*it->same_as)
            json_object_set_new(j, "same_as", json_string(it->same_as));
        if (*it->provenance)
            json_object_set_new(j, "provenance", json_string(it->provenance));
        json_array_append_new(items, j);
    }
    json_object_set_new(o, "items", items);
    return o;
}

/* Compute the content hash of f. */
xa_code xa_form_rehash(xa_form *f, xa_err *err)
{
    json_t *body = form_json_body(f);
    xa_buf b = XA_BUF_INIT;
    xa_code c = xa_json_canonical(body, &b, err);
    json_decref(body);
    if (c == XA_OK) {
        crypto_generichash(f->hash, sizeof f->hash, (const unsigned char *)b.data, b.len, NULL,
                           0);
        sodium_bin2hex(f->hash_hex, sizeof f->hash_hex, f->hash, sizeof f->hash);
    }
    xa_buf_clear(&b);
    return c;
}

/* The form as JSON with its hash. */
json_t *xa_form_to_json(const xa_form *f)
{
    json_t *o = form_json_body(f);
    json_object_set_new(o, "hash", json_string(f->hash_hex));
    return o;
}

/* Read the item rows of a form CSV into f. */
static void read_items(xa_form *f, const char *file, const char *bytes, size_t len,
                       xa_problems *probs)
{
    struct form_ctx fc;
    memset(&fc, 0, sizeof fc);
    fc.f = f;
    xa_csv_stats st;
    xa_csv_read(file, bytes, len, form_cols, F_NCOLS, XA_CSV_COMMENTS, form_row, &fc, probs, &st);
    xa_csv_keys_check(&fc.codes, file, N_("code"), probs);
    free(fc.section);
    if (st.header_line && st.rows == 0)
        xa_problem_add(probs, file, st.header_line, 1, "form has no items");
}

/* The base name of path without its ".csv". */
static char *stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && !strcasecmp(base + n - 4, ".csv"))
        n -= 4;
    return xa_strndup(base, n);
}

/* Parse one form CSV. */
xa_code xa_form_parse(const char *file, const char *bytes, size_t len, const xa_form_info *info,
                      xa_form **out, xa_problems *probs, xa_err *err)
{
    xa_problems local = XA_PROBLEMS_INIT;
    xa_problems *pp = probs ? probs : &local;
    size_t from = xa_problems_count(pp);
    char *id = NULL;
    xa_form_info def;
    *out = NULL;
    if (!info) {
        id = stem(file);
        def = (xa_form_info){id, 1, id, "", XA_CAT_GENERAL, 0};
        info = &def;
    }
    xa_form *f = form_new(info);
    f->file = xa_strdup(file);
    free(id);
    xa_code c = XA_OK;
    if (len > XA_FORM_FILE_MAX)
        xa_problem_add(pp, file, 1, 1, "file is larger than %u bytes", XA_FORM_FILE_MAX);
    else
        read_items(f, file, bytes, len, pp);
    if (xa_problems_count(pp) > from) {
        xa_problems_sort(pp, from);
        c = xa_problems_fail(pp, from, err);
    } else {
        c = xa_form_rehash(f, err);
    }
    if (c != XA_OK)
        xa_form_free(f);
    else
        *out = f;
    xa_problems_clear(&local);
    return c;
}

/* ---- forms from JSON --------------------------------------------------- */

/* Is every key of obj in the NULL-terminated list? Names the first stranger. */
static int keys_known(const json_t *obj, const char *const *known, const char **bad)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        int hit = 0;
        for (size_t i = 0; known[i]; i++)
            hit |= !strcmp(k, known[i]);
        if (!hit) {
            *bad = k;
            return 0;
        }
    }
    return 1;
}

/* The string form of member key of obj as a CSV cell would hold it:
 * strings as is, integers in decimal, null as "", arrays of strings joined
 * with ';'.  Types outside `allow` ("s", "i", "n", "a") are errors. */
static xa_code json_cell(const json_t *obj, const char *key, const char *allow, char **out,
                         xa_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return xa_fail(err, XA_EFORMAT, "missing field '%s'", key);
    if (json_is_string(v) && strchr(allow, 's')) {
        if (!xa_csv_text_ok(json_string_value(v)))
            return xa_fail(err, XA_EFORMAT, "field '%s' holds a control character", key);
        *out = xa_strdup(json_string_value(v));
    } else if (json_is_integer(v) && strchr(allow, 'i')) {
        *out = xa_asprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_null(v) && strchr(allow, 'n')) {
        *out = xa_strdup("");
    } else if (json_is_array(v) && strchr(allow, 'a')) {
        xa_buf b = XA_BUF_INIT;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            const char *s = json_string_value(e);
            if (!s || !*s || strchr(s, ';') || strstr(s, "；") || !xa_csv_text_ok(s)) {
                xa_buf_clear(&b);
                return xa_fail(err, XA_EFORMAT, "field '%s' must be an array of single keys",
                               key);
            }
            xa_buf_printf(&b, "%s%s", i ? ";" : "", s);
        }
        *out = xa_buf_steal(&b);
    } else {
        return xa_fail(err, XA_EFORMAT, "field '%s' has the wrong type", key);
    }
    return XA_OK;
}

/* Fill vals[ncols] from obj's members of the same names; fails on the first
 * missing or mistyped one, except that members from column `optional` on
 * may be absent ("").  allow[c] is json_cell's type list. */
static xa_code json_cells(const json_t *obj, const xa_csv_col *cols, const char *const *allow,
                          size_t ncols, size_t optional, char **vals, xa_err *err)
{
    for (size_t c = 0; c < ncols; c++) {
        if (c >= optional && !json_object_get(obj, cols[c].name)) {
            vals[c] = xa_strdup("");
            continue;
        }
        xa_code rc = json_cell(obj, cols[c].name, allow[c], &vals[c], err);
        if (rc != XA_OK)
            return rc;
    }
    return XA_OK;
}

/* Free cells from json_cells. */
static void cells_free(char **vals, size_t n)
{
    for (size_t c = 0; c < n; c++)
        free(vals[c]);
}

/* A synthetic row over JSON values: the column number is the spec index + 1
 * and the "line" the item number, so messages can name both. */
static void json_row(xa_csv_row *row, char **vals, size_t *col, size_t *lines, size_t n,
                     size_t number, xa_problems *probs)
{
    for (size_t c = 0; c < n; c++) {
        col[c] = c + 1;
        lines[c] = number;
    }
    *row = (xa_csv_row){"<json>", probs, number, (const char *const *)vals, col, lines};
}

/* Turn the first problem of a JSON check into err. */
static xa_code json_problem(const xa_problems *p, const xa_csv_col *cols, const char *where,
                            xa_err *err)
{
    const xa_problem *pr = &p->v[0];
    return xa_fail(err, XA_EFORMAT, "%s, field '%s': %s", where, cols[pr->col - 1].name,
                   pr->msg);
}

/* Read the items array of a form's JSON into f. */
static xa_code items_from_json(xa_form *f, const json_t *items, xa_err *err)
{
    static const char *const item_keys[] = {"section", "code",    "type",  "text",    "text_en",
                                            "severity", "basis",  "hint",  "applies", "min",
                                            "max",     "rule",    "same_as", "provenance", NULL};
    static const char *const allow[F_NCOLS] = {"s", "s", "s", "s", "s", "sn", "s",
                                               "s", "a", "in", "in", "s", "s", "s"};
    struct form_ctx fc;
    memset(&fc, 0, sizeof fc);
    fc.f = f;
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_code c = XA_OK;
    size_t i;
    json_t *j;
    json_array_foreach(items, i, j) {
        char where[128], *vals[F_NCOLS] = {0};
        size_t col[F_NCOLS], lines[F_NCOLS];
        const char *bad = NULL;
        snprintf(where, sizeof where, "form %s item %zu", f->id, i + 1);
        if (!json_is_object(j)) {
            c = xa_fail(err, XA_EFORMAT, "%s is not an object", where);
        } else if (!keys_known(j, item_keys, &bad)) {
            c = xa_fail(err, XA_EFORMAT, "%s has an unknown field '%s'", where, bad);
        } else if ((c = json_cells(j, form_cols, allow, F_NCOLS, F_FIRST_OPTIONAL, vals, err)) != XA_OK) {
            xa_err_prefix(err, "%s", where);
        }
        if (c != XA_OK) {
            cells_free(vals, F_NCOLS);
            break;
        }
        xa_csv_row row;
        json_row(&row, vals, col, lines, F_NCOLS, i + 1, &probs);
        form_row(&fc, &row);
        cells_free(vals, F_NCOLS);
        if (probs.n) {
            c = json_problem(&probs, form_cols, where, err);
            break;
        }
    }
    if (c == XA_OK) {
        xa_csv_keys_check(&fc.codes, "<json>", "code", &probs);
        if (probs.n)
            c = xa_fail(err, XA_EFORMAT, "form %s item %zu: %s", f->id, probs.v[0].line,
                        probs.v[0].msg);
        else if (!f->nitems)
            c = xa_fail(err, XA_EFORMAT, "form %s has no items", f->id);
    }
    xa_csv_keys_check(&fc.codes, "<json>", "code", NULL);
    free(fc.section);
    xa_problems_clear(&probs);
    return c;
}

/* A form from its JSON object. */
xa_code xa_form_from_json(const json_t *obj, xa_form **out, xa_err *err)
{
    static const char *const form_keys[] = {"type",     "id",    "version", "title", "title_en",
                                            "category", "scope", "items",   "hash",  NULL};
    static const char *const allow[I_NCOLS] = {"s", "i", "s", "s", "s", "a"};
    *out = NULL;
    const char *bad = NULL, *type = NULL, *hash = NULL;
    json_t *items = NULL;
    if (!json_is_object(obj))
        return xa_fail(err, XA_EFORMAT, "form JSON is not an object");
    if (!keys_known(obj, form_keys, &bad))
        return xa_fail(err, XA_EFORMAT, "form JSON has an unknown field '%s'", bad);
    if (xa_json_str(obj, "type", &type, err) != XA_OK || strcmp(type, "form") != 0)
        return xa_fail(err, XA_EFORMAT, "form JSON: field 'type' must be \"form\"");
    xa_code c;
    if ((c = xa_json_str(obj, "hash", &hash, err)) != XA_OK ||
        (c = xa_json_arr(obj, "items", &items, err)) != XA_OK)
        return xa_err_prefixed(c, err, "form JSON");

    char *vals[I_NCOLS] = {0};
    c = json_cells(obj, index_cols, allow, I_NCOLS, I_NCOLS, vals, err);
    if (c != XA_OK) {
        cells_free(vals, I_NCOLS);
        return xa_err_prefixed(c, err, "form JSON");
    }
    xa_problems probs = XA_PROBLEMS_INIT;
    size_t col[I_NCOLS], lines[I_NCOLS];
    xa_csv_row row;
    struct index_entry e;
    memset(&e, 0, sizeof e);
    json_row(&row, vals, col, lines, I_NCOLS, 1, &probs);
    xa_form *f = NULL;
    if (!check_info(&row, &e)) {
        c = json_problem(&probs, index_cols, "form JSON", err);
    } else {
        xa_form_info info = {e.id, e.version, e.title, e.title_en, e.category, e.scope};
        f = form_new(&info);
        c = items_from_json(f, items, err);
        if (c == XA_OK)
            c = xa_form_rehash(f, err);
        if (c == XA_OK && strcmp(hash, f->hash_hex) != 0)
            c = xa_fail(err, XA_EFORMAT, "form %s: hash does not match its content", f->id);
    }
    entry_free(&e);
    cells_free(vals, I_NCOLS);
    xa_problems_clear(&probs);
    if (c != XA_OK) {
        xa_form_free(f);
        return c;
    }
    *out = f;
    return XA_OK;
}

/* ---- applicability ----------------------------------------------------- */

/* Does the item apply to a school with this profile? */
int xa_item_applies(const xa_item *item, xa_profile profile)
{
    return item->applies == 0 || (item->applies & profile) != 0;
}

/* Is the school type in the form's scope? */
int xa_form_in_scope(const xa_form *f, xa_school_type type)
{
    return f->scope == 0 || (f->scope & XA_SCOPE_BIT(type)) != 0;
}

/* The items that apply to a profile. */
size_t xa_form_applicable(const xa_form *f, xa_profile profile, size_t *idx)
{
    size_t n = 0;
    for (size_t i = 0; i < f->nitems; i++)
        if (xa_item_applies(&f->items[i], profile)) {
            if (idx)
                idx[n] = i;
            n++;
        }
    return n;
}

/* The item with this code. */
const xa_item *xa_form_item(const xa_form *f, const char *code)
{
    for (size_t i = 0; i < f->nitems; i++)
        if (!strcmp(f->items[i].code, code))
            return &f->items[i];
    return NULL;
}

/* The range of a count item at a school. */
int xa_item_range(const xa_item *it, const xa_facts *facts, xa_range *out)
{
    out->has_min = it->has_min;
    out->min = it->min;
    out->has_max = it->has_max;
    out->max = it->max;
    if (it->rule == XA_RULE_NONE)
        return 0;
    long m;
    if (!xa_count_rule_min(it->rule, facts, &m))
        return 1;
    if (!out->has_min || m > out->min) {
        out->has_min = 1;
        out->min = m;
    }
    if (out->has_max && out->max < out->min)
        out->max = out->min;
    return 0;
}

/* Does s hold a provenance word? */
int xa_text_has_provenance(const char *s)
{
    static const char *const words[] = {"推定", "二手来源", "外地地方性要求", "◇", "参照"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(s, words[i]))
            return 1;
    return 0;
}

/* The editor's remarks xa_text_editor_note looks for.  Chinese words match
 * as they are; the ASCII ones without regard to case.  Left out on purpose
 * because inspectors' own words use them: 核对 (verify), 原文为 (quoting a
 * criterion), 参照 (as an instruction), 备注 (the answer's note field). */
static const char *const editor_words[] = {
    "原文未", "后文未见", "未读到", "以下未见", "见提示", "待核", "待定", "待补",
    "推定", "二手来源", "条款已核", "条款未核", "外地地方性要求", "◇", "转载", "出处",
    "编者", "编注", "…", "【", "】", "？？", "...", "??", "TODO", "FIXME", "TBD", "XXX",
    "see hint", "see the hint", "source text", "placeholder", "to be confirmed",
    "to be checked", "(sic)"};

/* Does s hold word at p, case-insensitively for ASCII letters? */
static int word_at(const char *p, const char *word)
{
    for (; *word; p++, word++) {
        unsigned char a = (unsigned char)*p, b = (unsigned char)*word;
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

/* The first editor's remark word in s, or NULL. */
const char *xa_text_editor_note(const char *s)
{
    if (!s)
        return NULL;
    for (const char *p = s; *p; p++)
        for (size_t i = 0; i < sizeof editor_words / sizeof *editor_words; i++)
            if (word_at(p, editor_words[i]))
                return editor_words[i];
    return NULL;
}

/* Does "form/CODE" name item it of form f? */
static int names_item(const char *ref, const xa_form *f, const xa_item *it)
{
    size_t n = strlen(f->id);
    return !strncmp(ref, f->id, n) && ref[n] == '/' && !strcmp(ref + n + 1, it->code);
}

/* The same_as group of an item among some forms. */
size_t xa_item_group(const xa_form *const *forms, size_t n, const xa_form *f, const xa_item *it,
                     xa_item_ref *out, size_t max)
{
    /* The group's key: the item named by same_as, or the item itself. */
    char *key = *it->same_as ? xa_strdup(it->same_as) : xa_asprintf("%s/%s", f->id, it->code);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const xa_form *g = forms[i];
        for (size_t j = 0; g && j < g->nitems; j++) {
            const xa_item *x = &g->items[j];
            int member = (x == it) || names_item(key, g, x) || !strcmp(x->same_as, key);
            if (!member)
                continue;
            if (k < max)
                out[k] = (xa_item_ref){g, x};
            k++;
        }
    }
    free(key);
    return k;
}

/* ---- a folder of forms ------------------------------------------------- */

/* Free a form set. */
void xa_form_set_free(xa_form_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        xa_form_free(s->forms[i]);
    free(s->forms);
    for (size_t i = 0; i < s->ngb18030; i++)
        free(s->gb18030[i]);
    free(s->gb18030);
    free(s->dir);
    free(s);
}

/* The form with this id. */
const xa_form *xa_form_set_find(const xa_form_set *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->forms[i]->id, id))
            return s->forms[i];
    return NULL;
}

/* qsort order of strings. */
static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Report each *.csv of dir (other than index.csv) the index does not list. */
static xa_code check_unlisted(const char *dir, const struct index_ctx *ic, xa_problems *probs,
                              xa_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return xa_fail_errno(err, errno, "cannot list %s", dir);
    char **names = NULL;
    size_t n = 0, alloc = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        size_t len = strlen(nm);
        if (nm[0] == '.' || !strncmp(nm, "~$", 2) || len < 5 ||
            strcasecmp(nm + len - 4, ".csv") != 0 || !strcasecmp(nm, "index.csv"))
            continue;
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 16;
            names = xa_reallocarray(names, alloc, sizeof *names);
        }
        names[n++] = xa_strdup(nm);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, str_cmp);
    for (size_t i = 0; i < n; i++) {
        char *id = stem(names[i]);
        int listed = 0;
        for (size_t k = 0; k < ic->n && !listed; k++)
            listed = !strcmp(ic->v[k].id, id) && !strcmp(names[i] + strlen(id), ".csv");
        if (!listed) {
            char *path = xa_path_join(dir, names[i]);
            xa_problem_add(probs, path, 1, 1, "form file is not listed in index.csv");
            free(path);
        }
        free(id);
        free(names[i]);
    }
    free(names);
    return XA_OK;
}

/* Convert a GB18030 file's bytes in b to UTF-8 and remember its name. */
static void note_encoding(xa_form_set *set, const char *path, xa_buf *b)
{
    if (!b->data || !xa_csv_from_gb18030(b->data, b->len, b))
        return;
    set->gb18030 = xa_reallocarray(set->gb18030, set->ngb18030 + 1, sizeof *set->gb18030);
    set->gb18030[set->ngb18030++] = xa_strdup(path);
}

/* Load index.csv and every form of a folder. */
xa_code xa_form_set_load(const char *dir, xa_form_set **out, xa_problems *probs, xa_err *err)
{
    xa_problems local = XA_PROBLEMS_INIT;
    xa_problems *pp = probs ? probs : &local;
    size_t from = xa_problems_count(pp);
    *out = NULL;
    char *d = xa_strdup(dir);
    for (size_t n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
        d[n - 1] = '\0';
    char *index_path = xa_path_join(d, "index.csv");
    xa_buf buf = XA_BUF_INIT;
    struct index_ctx ic;
    memset(&ic, 0, sizeof ic);
    xa_form_set *set = xa_calloc(1, sizeof *set);
    set->dir = d;
    xa_code c = xa_read_file(index_path, XA_FORM_FILE_MAX, &buf, err);
    if (c != XA_OK)
        goto done;
    xa_csv_stats st;
    note_encoding(set, index_path, &buf);
    xa_csv_read(index_path, buf.data ? buf.data : "", buf.len, index_cols, I_NCOLS,
                XA_CSV_COMMENTS, index_row, &ic, pp, &st);
    if (st.header_line && st.rows == 0)
        xa_problem_add(pp, index_path, st.header_line, 1, "index lists no forms");
    xa_problems_sort(pp, from);
    set->forms = xa_calloc(ic.n ? ic.n : 1, sizeof *set->forms);
    for (size_t i = 0; i < ic.n; i++) {
        struct index_entry *e = &ic.v[i];
        if (!e->ok)
            continue;
        char *name = xa_asprintf("%s.csv", e->id);
        char *path = xa_path_join(d, name);
        xa_err ferr;
        xa_buf_reset(&buf);
        if (!xa_path_exists(path)) {
            xa_problem_add(pp, index_path, e->line, e->id_col, "no form file %s for form '%s'",
                           name, e->id);
        } else if (xa_read_file(path, XA_FORM_FILE_MAX, &buf, &ferr) != XA_OK) {
            xa_problem_add(pp, path, 1, 1, "%s", xa_err_msg(&ferr));
        } else {
            note_encoding(set, path, &buf);
            xa_form_info info = {e->id,       e->version,  e->title,
                                 e->title_en, e->category, e->scope};
            xa_form *f = NULL;
            if (xa_form_parse(path, buf.data ? buf.data : "", buf.len, &info, &f, pp, &ferr) ==
                XA_OK)
                set->forms[set->n++] = f;
            else if (ferr.code != XA_EFORMAT)
                xa_problem_add(pp, path, 1, 1, "%s", xa_err_msg(&ferr));
        }
        free(name);
        free(path);
    }
    c = check_unlisted(d, &ic, pp, err);
    if (c == XA_OK && xa_problems_count(pp) > from)
        c = xa_problems_fail(pp, from, err);
done:
    for (size_t i = 0; i < ic.n; i++)
        entry_free(&ic.v[i]);
    free(ic.v);
    xa_buf_clear(&buf);
    free(index_path);
    if (c != XA_OK)
        xa_form_set_free(set);
    else
        *out = set;
    xa_problems_clear(&local);
    return c;
}

/* ---- checks on a whole set (forms check) --------------------------------- */

/* Does a basis cite a clause: 第…条/款/项/章/节, §, 附录, or a numbered
 * clause of a standard (8.1.6)? */
static int cites_clause(const char *b)
{
    static const char *const marks[] = {"条", "款", "项", "§", "附录", "章", "节"};
    if (strstr(b, "第"))
        for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
            if (strstr(b, marks[i]))
                return 1;
    if (strstr(b, "§") || strstr(b, "附录"))
        return 1;
    for (const char *p = b; *p; p++)
        if (p[0] >= '0' && p[0] <= '9' && p[1] == '.' && p[2] >= '0' && p[2] <= '9')
            return 1;
    return 0;
}

/* Is the provenance 推定 with a reason after it? */
static int inferred_with_reason(const char *prov)
{
    const char *p = strstr(prov, "推定");
    if (!p)
        return 0;
    p += strlen("推定");
    while (*p == ' ' || !strncmp(p, "：", 3) || *p == ':' || !strncmp(p, "（", 3) ||
           !strncmp(p, "◇", 3))
        p += *p == ' ' || *p == ':' ? 1 : 3;
    return strlen(p) >= 6; /* at least two characters of reason */
}

/* Record a problem at an item's line (column: the spreadsheet column of
 * that field is not kept, so the field's place in the standard layout). */
static void item_problem(xa_problems *probs, const xa_form *f, const xa_item *it, size_t col,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void item_problem(xa_problems *probs, const xa_form *f, const xa_item *it, size_t col,
                         const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, xa_tr(fmt), ap);
    va_end(ap);
    xa_problem_add(probs, f->file ? f->file : f->id, it->line ? it->line : 1, col ? col : 1,
                   "%s: %s", it->code, msg);
}

/* The text of an item reduced for comparison: no white space or
 * punctuation that people vary. */
static char *squash(const char *s)
{
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "");
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            xa_buf_printf(&b, "%c", *s);
    return xa_buf_steal(&b);
}

/* The lint checks of a loaded set. */
size_t xa_form_set_lint(const xa_form_set *s, xa_problems *probs)
{
    size_t before = xa_problems_count(probs);
    for (size_t i = 0; i < s->n; i++) {
        const xa_form *f = s->forms[i];
        for (size_t j = 0; j < f->nitems; j++) {
            const xa_item *it = &f->items[j];
            /* What the inspector reads holds the check, never a remark
             * about where it came from (text items too). */
            const struct {
                const char *name, *val;
                size_t col;
            } seen[] = {{"section", it->section, it->section_col},
                        {"text", it->text, it->text_col},
                        {"text_en", it->text_en, it->text_en_col},
                        {"hint", it->hint, it->hint_col},
                        {"basis", it->basis, it->basis_col}};
            for (size_t k = 0; k < sizeof seen / sizeof *seen; k++) {
                const char *w = xa_text_editor_note(seen[k].val);
                /* The basis's provenance words have their own message below. */
                if (w && !(k == 4 && xa_text_has_provenance(it->basis)))
                    item_problem(probs, f, it, seen[k].col,
                                 "the %s holds an editor's note ('%s'): inspectors read it on "
                                 "screen and in notices; keep the check there and put remarks "
                                 "about the sources in provenance",
                                 seen[k].name, w);
            }
            if (it->type == XA_ITEM_TEXT)
                continue;
            if (it->type == XA_ITEM_COUNT && !it->has_min && !it->has_max &&
                it->rule == XA_RULE_NONE)
                item_problem(probs, f, it, it->min_col,
                             "count item has no range: give min, max or a rule (or make it a "
                             "text item)");
            if (!*it->basis && it->severity != XA_SEV_ADVICE)
                item_problem(probs, f, it, it->basis_col,
                             "no basis: an item without one is 建议项 (severity advice), not a "
                             "hazard");
            if (xa_text_has_provenance(it->basis))
                item_problem(probs, f, it, it->basis_col,
                             "the basis holds provenance words (推定, 二手来源, 外地地方性要求, ◇, "
                             "参照): keep the citation in basis and the rest in provenance");
            if (it->severity == XA_SEV_MAJOR && !cites_clause(it->basis) &&
                !inferred_with_reason(it->provenance))
                item_problem(probs, f, it, it->basis_col,
                             "major item cites no clause and its provenance is not 推定 with a "
                             "reason");
            if (*it->same_as) {
                const char *slash = strchr(it->same_as, '/');
                char *fid = xa_strndup(it->same_as, (size_t)(slash - it->same_as));
                const xa_form *g = xa_form_set_find(s, fid);
                const xa_item *t = g ? xa_form_item(g, slash + 1) : NULL;
                if (!t)
                    item_problem(probs, f, it, it->same_as_col, "same_as names no item: %s",
                                 it->same_as);
                else if (*t->same_as)
                    item_problem(probs, f, it, it->same_as_col,
                                 "same_as names %s, which itself repeats %s: name %s",
                                 it->same_as, t->same_as, t->same_as);
                else if (t->type != it->type)
                    item_problem(probs, f, it, it->same_as_col,
                                 "same_as names %s, an item of another type", it->same_as);
                free(fid);
            }
        }
    }
    /* The same text in two forms with no same_as between them. */
    size_t total = 0;
    for (size_t i = 0; i < s->n; i++)
        total += s->forms[i]->nitems;
    char **sq = xa_calloc(total ? total : 1, sizeof *sq);
    size_t base_i = 0;
    for (size_t i = 0; i < s->n; base_i += s->forms[i]->nitems, i++)
        for (size_t j = 0; j < s->forms[i]->nitems; j++)
            sq[base_i + j] = squash(s->forms[i]->items[j].text);
    base_i = 0;
    for (size_t i = 0; i < s->n; base_i += s->forms[i]->nitems, i++) {
        const xa_form *f = s->forms[i];
        for (size_t j = 0; j < f->nitems; j++) {
            const xa_item *a = &f->items[j];
            if (a->type == XA_ITEM_TEXT)
                continue;
            size_t base_k = base_i + f->nitems;
            for (size_t k = i + 1; k < s->n; base_k += s->forms[k]->nitems, k++) {
                const xa_form *g = s->forms[k];
                for (size_t l = 0; l < g->nitems; l++) {
                    const xa_item *b = &g->items[l];
                    if (b->type == XA_ITEM_TEXT || strcmp(sq[base_i + j], sq[base_k + l]) != 0)
                        continue;
                    xa_item_ref grp[64];
                    const xa_form *both[2] = {f, g};
                    size_t n = xa_item_group(both, 2, f, a, grp, 64);
                    int linked = 0;
                    for (size_t m = 0; m < n && m < 64; m++)
                        linked |= grp[m].item == b;
                    if (!linked)
                        item_problem(probs, g, b, b->same_as_col,
                                     "asks the same as %s/%s: link them with same_as", f->id,
                                     a->code);
                }
            }
        }
    }
    for (size_t i = 0; i < total; i++)
        free(sq[i]);
    free(sq);
    return xa_problems_count(probs) - before;
}

/* Figures of a set. */
void xa_form_set_stats(const xa_form_set *s, xa_form_stats *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < s->n; i++)
        for (size_t j = 0; j < s->forms[i]->nitems; j++) {
            const xa_item *it = &s->forms[i]->items[j];
            out->items++;
            if (it->type == XA_ITEM_TEXT)
                continue;
            out->checkable++;
            out->major += it->severity == XA_SEV_MAJOR;
            out->advice += it->severity == XA_SEV_ADVICE;
            out->inferred += strstr(it->provenance, "推定") != NULL;
            out->secondary += strstr(it->provenance, "二手来源") != NULL;
        }
}
