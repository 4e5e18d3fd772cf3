/* csvtab.h — CSV tables as Excel and WPS write them, and the list of
 * problems found in them.
 *
 * The forms layer reads three kinds of table (the forms index, a form, the
 * school roster) with the same rules: UTF-8 (an optional BOM is skipped),
 * RFC 4180 quoting (libcsv in strict mode), LF, CRLF or CR line ends, a
 * header row whose names are matched to a column spec case-insensitively
 * and in any order, every field trimmed of ASCII white space and its line
 * ends normalised to "\n".  Blank rows and rows of empty fields are
 * skipped; lines starting with '#' before the header are comments when the
 * caller allows them.
 *
 * Problems are collected, not returned one at a time: each is
 * "FILE:LINE:COLUMN: message" where LINE is the 1-based physical line on
 * which the field starts and COLUMN the 1-based field number (the
 * spreadsheet column: 1 = A).  A whole-file problem uses 1:1, a header
 * problem the header's line. */
#ifndef XIAOAN_CSVTAB_H
#define XIAOAN_CSVTAB_H

#include "xiaoan/error.h"

#include <stddef.h>

/* ---- problems ---------------------------------------------------------- */

#define XA_PROBLEMS_LIMIT 100

typedef struct xa_problem {
    char *file;  /* as the caller named it ("forms/fire.csv", "<brief>") */
    size_t line; /* 1-based */
    size_t col;  /* 1-based field number */
    char *msg;   /* one line, sanitised */
} xa_problem;

/* A list of problems; zero-initialise (limit 0 means XA_PROBLEMS_LIMIT).
 * Problems beyond the limit are only counted in `dropped`. */
typedef struct xa_problems {
    xa_problem *v;
    size_t n;
    size_t alloc;
    size_t limit;
    size_t dropped;
} xa_problems;

#define XA_PROBLEMS_INIT {NULL, 0, 0, 0, 0}

/* Release what the list holds; it is empty and reusable afterwards (the
 * struct is the caller's: _clear). */
void xa_problems_clear(xa_problems *p);

/* Record one problem (p may be NULL: nothing happens). */
void xa_problem_add(xa_problems *p, const char *file, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Problems recorded, including the dropped ones. */
size_t xa_problems_count(const xa_problems *p);

/* "FILE:LINE:COLUMN: message" as a new string. */
char *xa_problem_str(const xa_problem *pr);

/* Order the problems from index `from` on by file, line and column; equal
 * ones keep their order. */
void xa_problems_sort(xa_problems *p, size_t from);

/* Fill err with XA_EFORMAT: the first problem recorded at or after index
 * `from`, plus "(and N more problems)" when there are more.  Returns
 * XA_EFORMAT. */
xa_code xa_problems_fail(const xa_problems *p, size_t from, xa_err *err);

/* ---- tables ------------------------------------------------------------ */

#define XA_CSV_FIELD_MAX (64 * 1024) /* bytes in one field */
#define XA_CSV_FIELDS_MAX 256        /* fields in one row */

/* One column the caller understands; `required` columns must be in the
 * header (their values may still be empty: the caller decides). */
typedef struct xa_csv_col {
    const char *name;
    int required;
} xa_csv_col;

/* One data row, indexed by the caller's column spec. */
typedef struct xa_csv_row {
    const char *file;
    xa_problems *probs;
    size_t line;             /* line on which the row starts */
    const char *const *val;  /* trimmed value; NULL when the column is absent */
    const size_t *col;       /* 1-based field number; 0 when absent */
    const size_t *lines;     /* line on which the field starts */
} xa_csv_row;

/* Called once per well-formed data row (right field count, valid UTF-8,
 * no control characters). */
typedef void (*xa_csv_row_fn)(void *ctx, const xa_csv_row *row);

/* What a read saw. */
typedef struct xa_csv_stats {
    size_t header_line; /* 0 when there was no header */
    size_t rows;        /* data rows, including the malformed ones */
} xa_csv_stats;

#define XA_CSV_COMMENTS 1u /* '#' lines before the header are comments */

/* Read a table from memory, calling fn for each data row and recording
 * every problem (an empty file is one).  Never fails otherwise. */
void xa_csv_read(const char *file, const char *bytes, size_t len, const xa_csv_col *cols,
                 size_t ncols, unsigned flags, xa_csv_row_fn fn, void *ctx, xa_problems *probs,
                 xa_csv_stats *stats);

/* The value of column c of row ("" when the column is absent). */
const char *xa_csv_val(const xa_csv_row *row, size_t c);

/* Record a problem located at column c of row (the row start and column 1
 * when the column is absent). */
void xa_csv_problem(const xa_csv_row *row, size_t c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Is s free of control characters (tab and newline allowed)? */
int xa_csv_text_ok(const char *s);

/* A whole number 0..max in ASCII digits only (no sign, no spaces). */
int xa_csv_count(const char *s, long max, long *out);

/* Keys that must be unique in a table (item codes, school codes): add each
 * with where it was seen, then check once at the end. */
typedef struct xa_csv_keys {
    struct xa_csv_key *v;
    size_t n, alloc;
} xa_csv_keys;

#define XA_CSV_KEYS_INIT {NULL, 0, 0}

void xa_csv_keys_add(xa_csv_keys *k, const char *key, size_t line, size_t col);

/* Record "duplicate WHAT 'KEY' (first on line N)" at every repeat, then
 * empty k (probs may be NULL to just empty it). */
void xa_csv_keys_check(xa_csv_keys *k, const char *file, const char *what, xa_problems *probs);

/* A table saved by Excel or WPS on a Chinese Windows as "CSV (逗号分隔)" is
 * in the system's "ANSI" code page, GB18030 (GBK), not UTF-8.  When bytes
 * are not valid UTF-8 but are valid GB18030, convert them (iconv) into out
 * (a NUL-terminated UTF-8 copy) and return 1; otherwise return 0 and leave
 * out alone (UTF-8, with or without a BOM, is read as is; anything else is
 * reported by the reader at the bad bytes). */
struct xa_buf;
int xa_csv_from_gb18030(const char *bytes, size_t len, struct xa_buf *out);

/* A value fit to quote in a message: sanitised and cut to 40 columns, in
 * buf (size bytes).  Returns buf. */
const char *xa_csv_show(const char *s, char *buf, size_t size);

#endif
