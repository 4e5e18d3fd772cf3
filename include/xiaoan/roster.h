/* roster.h — the school roster (the bureau's own school list): loading and
 * validating it from CSV, a school's profile for form applicability, its
 * JSON form (schools travel in briefs) and finding a school by typing.
 *
 * Columns (any order, names matched case-insensitively): code, name,
 * county, type are required; boarding, canteen, lab, bus, students,
 * address, pinyin are optional.  The CSV rules and the problem list are
 * those of csvtab.h; docs/forms.md describes the values. */
#ifndef XIAOAN_ROSTER_H
#define XIAOAN_ROSTER_H

#include "xiaoan/csvtab.h"
#include "xiaoan/error.h"
#include "xiaoan/forms.h"

#include <jansson.h>
#include <stddef.h>

#define XA_SCHOOL_CODE_MAX 32
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
    size_t line;     /* source line; 0 when read from JSON */
} xa_school;

typedef struct xa_roster {
    xa_school *schools; /* in file order */
    size_t n;
} xa_roster;

/* Parse a roster CSV from memory, `file` naming it in messages.  Problems
 * go to probs (may be NULL), the first to err; XA_EFORMAT when any. */
xa_code xa_roster_parse(const char *file, const char *bytes, size_t len, xa_roster **out,
                        xa_problems *probs, xa_err *err);

/* Read and parse a roster file. */
xa_code xa_roster_load(const char *path, xa_roster **out, xa_problems *probs, xa_err *err);

void xa_roster_free(xa_roster *r);

/* The school with this code, or NULL. */
const xa_school *xa_roster_find(const xa_roster *r, const char *code);

/* The school's profile: its type's stage flags plus boarding, canteen, lab
 * and bus. */
xa_profile xa_school_profile(const xa_school *s);

/* Does the school match what an inspector typed?  Empty matches all; else
 * a case-insensitive substring of the code, name, county or pinyin. */
int xa_school_matches(const xa_school *s, const char *query);

/* {"type":"school", "code", "name", "county", "school_type" (key),
 * "boarding", "canteen", "lab", "bus" (booleans), "students" (integer or
 * null), "address", "pinyin"} (new reference). */
json_t *xa_school_to_json(const xa_school *s);

/* A school from such an object, validated as a CSV row would be; every
 * member is required, unknown members are errors.  Clear with
 * xa_school_clear. */
xa_code xa_school_from_json(const json_t *obj, xa_school *out, xa_err *err);

/* Free the strings of a school (not the struct). */
void xa_school_clear(xa_school *s);

#endif
