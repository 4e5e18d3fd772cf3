/* roster.h — the school roster (the bureau's own school list): loading and
 * validating it from CSV, a school's profile for form applicability, its
 * JSON form (schools travel in briefs) and finding a school by typing.
 *
 * Columns (any order, names matched case-insensitively): code, name,
 * county, type are required; boarding, canteen, lab, bus, students,
 * address, pinyin, school_id (学校标识码), private (民办),
 * kindergarten_class (附设幼儿班), boarders (寄宿生数), tier (重点/薄弱/一般)
 * are optional.  County is one of county.h's (stored as the full name).  The CSV rules and the problem list are
 * those of csvtab.h; docs/forms.md describes the values. */
#ifndef XIAOAN_ROSTER_H
#define XIAOAN_ROSTER_H

#include "xiaoan/csvtab.h"
#include "xiaoan/error.h"
#include "xiaoan/forms.h"

#include <jansson.h>
#include <stddef.h>

#define XA_SCHOOL_CODE_MAX 32
#define XA_SCHOOL_ID_LEN 10 /* 学校标识码: exactly ten digits */

/* The bureau's risk tier for the draw (重点 / 薄弱 / 一般); default normal. */
typedef enum { XA_TIER_NORMAL, XA_TIER_WEAK, XA_TIER_KEY } xa_tier;

const char *xa_tier_key(xa_tier t);   /* "normal", "weak", "key" */
const char *xa_tier_label(xa_tier t); /* "一般", "薄弱", "重点" */
/* Parse a key (any case) or a Chinese label; 0 when unknown. */
int xa_tier_parse(const char *s, xa_tier *out);
#define XA_PINYIN_MAX 64
#define XA_STUDENTS_MAX 1000000L
#define XA_ROSTER_FILE_MAX (8u << 20)

typedef struct xa_school {
    char *code;      /* [A-Za-z0-9-]+, unique in the roster */
    char *name;
    char *county;
    xa_school_type type;
    int boarding, canteen, lab, bus; /* 0 or 1 */
    long students;   /* -1 when unknown */
    char *address;   /* "" when not given */
    char *pinyin;    /* lower-case initials, "" when not given */
    char *school_id; /* 学校标识码 (ten digits) or "" when not given */
    int private_;    /* 民办: 0 or 1 */
    int kindergarten_class; /* 附设幼儿班: kindergarten items apply too */
    long boarders;   /* 寄宿生数; -1 when unknown (0 when not boarding) */
    xa_tier tier;    /* the draw's risk tier */
    size_t line;     /* source line; 0 when read from JSON */
} xa_school;

typedef struct xa_roster {
    xa_school *schools; /* in file order */
    size_t n;
    int gb18030;        /* xa_roster_load: the file was GB18030 ("ANSI") and was converted */
} xa_roster;

/* Parse a roster CSV from memory, `file` naming it in messages.  Problems
 * go to probs (may be NULL), the first to err; XA_EFORMAT when any. */
xa_code xa_roster_parse(const char *file, const char *bytes, size_t len, xa_roster **out,
                        xa_problems *probs, xa_err *err);

/* Read and parse a roster file: UTF-8 with or without a BOM, or GB18030
 * (what Excel/WPS on a Chinese Windows save as "CSV"), converted to UTF-8
 * and noted in (*out)->gb18030. */
xa_code xa_roster_load(const char *path, xa_roster **out, xa_problems *probs, xa_err *err);

void xa_roster_free(xa_roster *r);

/* The school with this code, or NULL. */
const xa_school *xa_roster_find(const xa_roster *r, const char *code);

/* The school's profile: its type's stage flags plus boarding, canteen, lab,
 * bus, private, and kindergarten for a 附设幼儿班. */
xa_profile xa_school_profile(const xa_school *s);

/* Does the school match what an inspector typed?  Empty matches all; else
 * a case-insensitive substring of the code, name, county or pinyin. */
int xa_school_matches(const xa_school *s, const char *query);

/* {"type":"school", "code", "name", "county", "school_type" (key),
 * "boarding", "canteen", "lab", "bus" (booleans), "students" (integer or
 * null), "address", "pinyin", "school_id", "private", "kindergarten_class"
 * (booleans), "boarders" (integer or null), "tier" (key)} (new reference).
 * On reading, the members after "pinyin" are optional (older briefs). */
json_t *xa_school_to_json(const xa_school *s);

/* A school from such an object, validated as a CSV row would be; every
 * member is required, unknown members are errors.  Clear with
 * xa_school_clear. */
xa_code xa_school_from_json(const json_t *obj, xa_school *out, xa_err *err);

/* The members of a school object in the order xa_school_from_texts takes
 * them (XA_SCHOOL_NMEMBERS; "type", always "school", is not among them),
 * and the kind of value each holds. */
#define XA_SCHOOL_NMEMBERS 16
extern const char *const xa_school_members[XA_SCHOOL_NMEMBERS];
enum xa_school_member_kind { XA_SM_TEXT, XA_SM_FLAG, XA_SM_NUMBER };
enum xa_school_member_kind xa_school_member_kind(size_t i);
/* The first member an older brief may lack (read as ""). */
#define XA_SCHOOL_FIRST_OPTIONAL 11

/* A school from its members' values as text, in xa_school_members order
 * (a flag "1"/"0", a number its digits, "" for null or a missing optional
 * member; NULL for a missing member): the checks of xa_school_from_json
 * for a reader that has no parsed object (the brief's compact table). */
xa_code xa_school_from_texts(const char *const vals[XA_SCHOOL_NMEMBERS], xa_school *out,
                             xa_err *err);

/* The numbers a count item's rule needs (forms.h xa_facts) from a school. */
xa_facts xa_school_facts(const xa_school *s);

/* Free the strings of a school (not the struct). */
void xa_school_clear(xa_school *s);

#endif
