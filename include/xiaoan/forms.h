/* forms.h — checklists (forms): loading and validating them from CSV or
 * JSON, their content hash, and which items apply to which school.
 *
 * A folder of forms is forms/index.csv (one row per form: id, version,
 * titles, category, scope) plus forms/<id>.csv (one row per item).  The
 * format is written up in docs/forms.md.  Every problem found is recorded
 * as its own "FILE:LINE:COLUMN: message" in an xa_problems list (csvtab.h)
 * and the call returns XA_EFORMAT; nothing half-valid is handed out.
 *
 * The content hash is BLAKE2b-256 over the canonical JSON (json.h) of
 * xa_form_to_json's object without its "hash" member.  It ignores how the
 * CSV was written (BOM, CRLF, quoting, column order, white space around
 * fields, flag order, 一般/重大 for general/major) and changes with any
 * change of content.  Forms travel in briefs as that JSON. */
#ifndef XIAOAN_FORMS_H
#define XIAOAN_FORMS_H

#include "xiaoan/csvtab.h"
#include "xiaoan/error.h"
#include "xiaoan/vocab.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* ---- school types, profile flags, categories --------------------------- */

/* Key, Chinese label.  New types go at the end: a form's scope travels as
 * keys in this order and is part of its content hash.  TUTORING is not a
 * school but a place the bureau also inspects (面向中小学生的校外培训机构);
 * it falls under every form whose scope is empty ("every kind of place"). */
#define XA_SCHOOL_TYPES(X)                        \
    X(KINDERGARTEN, "kindergarten", "幼儿园")      \
    X(PRIMARY, "primary", "小学")                  \
    X(JUNIOR, "junior", "初中")                    \
    X(SENIOR, "senior", "高中")                    \
    X(NINE_YEAR, "nine-year", "九年一贯制")        \
    X(COMPLETE, "complete", "完全中学")            \
    X(VOCATIONAL, "vocational", "中职")            \
    X(SPECIAL, "special", "特殊教育")              \
    X(HIGHER, "higher", "高校")                    \
    X(TWELVE_YEAR, "twelve-year", "十二年一贯制")  \
    X(TEACHING_POINT, "teaching-point", "教学点")  \
    X(TUTORING, "tutoring", "校外培训机构")

#define XA_ST_ENUM_(name, key, zh) XA_SCHOOL_##name,
typedef enum { XA_SCHOOL_TYPES(XA_ST_ENUM_) XA_SCHOOL_NTYPES } xa_school_type;
#undef XA_ST_ENUM_

/* A set of school types (a form's scope): bit (1u << type); 0 = all. */
typedef uint32_t xa_scope;
#define XA_SCOPE_BIT(t) (1u << (t))

/* Profile flags: what a school has and which stages it teaches.  An item
 * applies to a school when its `applies` mask is 0 or shares a bit with the
 * school's profile.  KINDERGARTEN is also set by a 附设幼儿班 (a primary
 * or central school with a kindergarten class); PRIVATE is 民办; TUTORING
 * is a 校外培训机构.  New flags go at the end (hash stability). */
#define XA_PROFILE_FLAGS(X)        \
    X(BOARDING, "boarding")         \
    X(CANTEEN, "canteen")           \
    X(LAB, "lab")                   \
    X(BUS, "bus")                   \
    X(KINDERGARTEN, "kindergarten") \
    X(PRIMARY, "primary")           \
    X(JUNIOR, "junior")             \
    X(SENIOR, "senior")             \
    X(VOCATIONAL, "vocational")     \
    X(SPECIAL, "special")           \
    X(HIGHER, "higher")             \
    X(PRIVATE, "private")           \
    X(TUTORING, "tutoring")

#define XA_PF_IDX_(name, key) XA_PF_IDX_##name,
enum { XA_PROFILE_FLAGS(XA_PF_IDX_) XA_PF_NFLAGS };
#undef XA_PF_IDX_
#define XA_PF_BIT_(name, key) XA_PF_##name = 1u << XA_PF_IDX_##name,
enum { XA_PROFILE_FLAGS(XA_PF_BIT_) };
#undef XA_PF_BIT_

typedef uint32_t xa_profile;

/* Categories (xa_category) and severities (xa_severity) are vocab.h's. */

/* Key ("nine-year") and Chinese label ("九年一贯制") of a school type. */
const char *xa_school_type_key(xa_school_type t);
const char *xa_school_type_label(xa_school_type t);
/* Parse a key (any case) or a Chinese label; 0 when unknown. */
int xa_school_type_parse(const char *s, xa_school_type *out);
/* The stage flags a type implies: nine-year = primary|junior, complete =
 * junior|senior, twelve-year = primary|junior|senior, teaching-point =
 * primary, tutoring = the tutoring flag, the others their own flag. */
xa_profile xa_school_type_profile(xa_school_type t);

/* Key of a profile flag given its bit index (0..XA_PF_NFLAGS-1). */
const char *xa_profile_flag_key(int index);
/* Parse a flag key (any case) into its bit; 0 when unknown. */
int xa_profile_flag_parse(const char *s, xa_profile *bit);


/* ---- forms ------------------------------------------------------------- */

typedef enum { XA_ITEM_CHECK, XA_ITEM_COUNT, XA_ITEM_TEXT } xa_item_type;

const char *xa_item_type_key(xa_item_type t);     /* "check" */

/* What a count rule needs to know about the school; -1 = not known. */
typedef struct xa_facts {
    long students; /* 在校生 */
    long boarders; /* 寄宿生; 0 for a school without boarding */
} xa_facts;

/* Count rules: a minimum that depends on the school (docs/forms.md §3a).
 * Key, Chinese description. */
#define XA_COUNT_RULES(X)                                                                  \
    X(GUARDS, "guards",                                                                    \
      "专职保安员：非寄宿生不足100人≥1名，100～999人≥2名，1000人及以上≥3名并每增500人增1名") \
    X(NIGHT_STAFF, "night-staff", "夜间在岗值守人员：寄宿生每200人≥1名（不足200人按1名）")

#define XA_RULE_ENUM_(name, key, zh) XA_RULE_##name,
typedef enum { XA_RULE_NONE, XA_COUNT_RULES(XA_RULE_ENUM_) XA_RULE_N } xa_count_rule;
#undef XA_RULE_ENUM_

const char *xa_count_rule_key(xa_count_rule r);   /* "guards"; "" for none */
const char *xa_count_rule_label(xa_count_rule r); /* the Chinese description */
/* Parse a rule key (any case); 0 when unknown. */
int xa_count_rule_parse(const char *s, xa_count_rule *out);
/* The rule's minimum for a school; 0 when the number it needs is unknown
 * (then *out is untouched). */
int xa_count_rule_min(xa_count_rule r, const xa_facts *facts, long *out);

#define XA_ID_MAX 64         /* form id bytes */
#define XA_CODE_MAX 32       /* item code bytes */
#define XA_FORM_ITEMS_MAX 10000
#define XA_FORM_FILE_MAX (8u << 20)
#define XA_COUNT_MAX 1000000000L

typedef struct xa_item {
    char *section;      /* never empty: an empty cell repeats the row above */
    char *code;         /* [A-Z0-9-]+, unique in the form */
    xa_item_type type;
    char *text;         /* never empty */
    char *text_en;      /* "" when not given; so are basis and hint */
    xa_severity severity; /* XA_SEV_NONE exactly for text items */
    char *basis;
    char *hint;
    xa_profile applies; /* 0 = every school */
    int has_min, has_max; /* count items only */
    long min, max;        /* 0..XA_COUNT_MAX, min <= max */
    xa_count_rule rule; /* count items: a minimum from the school's numbers */
    char *same_as;      /* "form-id/CODE" this item repeats, or "" */
    char *provenance;   /* how sure the basis is (推定：…, 二手来源：…), or "" */
    size_t line;        /* source line in the CSV; 0 when read from JSON */
    /* Spreadsheet columns (1 = A) of basis, min, same_as and of what the
     * inspector reads in the CSV, for xa_form_set_lint's messages; 0 when
     * read from JSON. */
    size_t basis_col, min_col, same_as_col;
    size_t section_col, text_col, text_en_col, hint_col;
} xa_item;

/* The acceptable range of a count item at a school: the item's min and max,
 * and the rule's minimum when it has one and the school's numbers are
 * known (the larger minimum wins).  Returns 1 when a rule could not be
 * applied because the roster does not give the number it needs. */
typedef struct xa_range {
    int has_min, has_max;
    long min, max;
} xa_range;
int xa_item_range(const xa_item *it, const xa_facts *facts, xa_range *out);

/* Provenance words that must never appear in a basis (it is a citation
 * only): 推定, 二手来源, 外地地方性要求, ◇, 参照.  1 when s holds one. */
int xa_text_has_provenance(const char *s);

/* An editor's note, a placeholder or a remark about the sources (原文未见,
 * 见提示, 待核, 推定, 二手来源, ……, 【…】, TODO, "see hint") in text the
 * inspector reads on screen, in notices and in reports (an item's section,
 * text, text_en, hint and basis): those remarks belong in provenance.  The
 * word found, or NULL. */
const char *xa_text_editor_note(const char *s);

typedef struct xa_form {
    char *id;           /* [a-z0-9-]+ */
    int version;        /* >= 1 */
    char *title;
    char *title_en;     /* may be "" */
    xa_category category;
    xa_scope scope;     /* 0 = all school types */
    xa_item *items;
    size_t nitems;
    size_t nmajor;      /* items of severity major */
    unsigned char hash[32];
    char hash_hex[65];  /* lower-case hex; listings show the first 16 */
    char *file;         /* the CSV it came from, or NULL */
} xa_form;

/* What index.csv says about a form; strings are borrowed. */
typedef struct xa_form_info {
    const char *id;
    int version;
    const char *title;
    const char *title_en;
    xa_category category;
    xa_scope scope;
} xa_form_info;

/* Parse one form's CSV (bytes, len) named `file` in messages.  info gives
 * the index data; NULL means: id = the file's base name without ".csv",
 * version 1, title = id, category general, all school types.  Problems go
 * to probs (may be NULL) and the first one to err. */
xa_code xa_form_parse(const char *file, const char *bytes, size_t len, const xa_form_info *info,
                      xa_form **out, xa_problems *probs, xa_err *err);

/* The form as a JSON object {"type":"form", "id", "version", "title",
 * "title_en", "category", "scope": [...], "items": [{...}], "hash"} (new
 * reference).  Item members: section, code, type, text, text_en, severity
 * (null for text items), basis, hint, applies [...], min, max (null when
 * not set). */
json_t *xa_form_to_json(const xa_form *f);

/* The form from such an object, validated exactly as the CSV would be;
 * every member is required, unknown members are errors, and "hash" must
 * match the content. */
xa_code xa_form_from_json(const json_t *obj, xa_form **out, xa_err *err);

/* Compute f->hash and f->hash_hex from its content. */
xa_code xa_form_rehash(xa_form *f, xa_err *err);

void xa_form_free(xa_form *f);

/* Does item apply to a school with this profile? */
int xa_item_applies(const xa_item *item, xa_profile profile);

/* Does the form's scope include this school type? */
int xa_form_in_scope(const xa_form *f, xa_school_type type);

/* Indexes of the items that apply to a profile, in form order, into idx
 * (room for f->nitems; may be NULL to count only).  Returns the count. */
size_t xa_form_applicable(const xa_form *f, xa_profile profile, size_t *idx);

/* The item with this code, or NULL. */
const xa_item *xa_form_item(const xa_form *f, const char *code);

/* An item of some form: what same_as groups hold. */
typedef struct xa_item_ref {
    const xa_form *form;
    const xa_item *item;
} xa_item_ref;

/* The items among forms[0..n) that ask the same question as `it` of form
 * `f` (its same_as group: it, the item it names, and every item naming
 * the same one), `it` included, in forms order, into out (room for max).
 * Returns how many there are (may exceed max). */
size_t xa_item_group(const xa_form *const *forms, size_t n, const xa_form *f, const xa_item *it,
                     xa_item_ref *out, size_t max);

/* ---- a folder of forms ------------------------------------------------- */

typedef struct xa_form_set {
    xa_form **forms;    /* in index order */
    size_t n;
    char *dir;
    char **gb18030;     /* files that were GB18030 ("ANSI") and were converted */
    size_t ngb18030;
} xa_form_set;

/* Load DIR/index.csv and every form it lists.  Also a problem: an index
 * row whose file is missing, a *.csv in DIR that the index does not list.
 * On XA_EFORMAT *out stays NULL and probs holds every problem. */
xa_code xa_form_set_load(const char *dir, xa_form_set **out, xa_problems *probs, xa_err *err);

void xa_form_set_free(xa_form_set *s);

/* The form with this id, or NULL. */
const xa_form *xa_form_set_find(const xa_form_set *s, const char *id);

/* The checks `forms check` adds on a loaded set (docs/forms.md §4a): every
 * count has a range or a rule; an item with an empty basis is 建议项
 * (advice), never a hazard; no basis holds provenance words; every same_as
 * names an existing item of the same type that does not itself repeat
 * another, and no two items of different forms share their text without
 * one; every major item cites a clause (第…条, §, 第…项, a numbered clause)
 * or its provenance is 推定 with a reason.  Problems go to probs at the
 * item's file:line:column; returns how many were added. */
size_t xa_form_set_lint(const xa_form_set *s, xa_problems *probs);

/* Figures for the listing. */
typedef struct xa_form_stats {
    size_t items;     /* every item */
    size_t checkable; /* check and count items */
    size_t major, advice;
    size_t inferred;  /* checkable items whose provenance is 推定 */
    size_t secondary; /* checkable items whose provenance is 二手来源 */
} xa_form_stats;
void xa_form_set_stats(const xa_form_set *s, xa_form_stats *out);

#endif
