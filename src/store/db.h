/* db.h — the one database layer under the field store and the central store
 * (private to src/store).  It owns the connection: opening with the
 * application id, the forward migrations and the pragmas; the one mapping
 * of database failures to xa_code and a one-line message; a cache of
 * prepared statements; typed binds; rows read through column descriptors;
 * transactions, and the audited transaction that ends with an audit row.
 *
 * This is the seam for a second backend (PostgreSQL through libpq for a
 * city-wide central store): nothing outside db.c includes sqlite3.h or says
 * PRAGMA.  The stores above it write portable SQL only ('?' placeholders,
 * INSERT ... ON CONFLICT, standard types, explicit keys). */
#ifndef XIAOAN_STORE_DB_H
#define XIAOAN_STORE_DB_H

#include "xiaoan/error.h"

#include <stddef.h>
#include <stdint.h>

struct db;
typedef struct db_stmt db_stmt;

/* What a store is, for db_open. */
struct db_schema {
    const char *label; /* "field store", "central store": said in messages */
    /* PRAGMA application_id written when the file is made and checked at
     * every open; 0 for a store that has none (field.db predates it). */
    int32_t app_id;
    /* migrations[v] is a NULL-terminated list of statements that brings the
     * schema (PRAGMA user_version) from v to v + 1; never edit one that
     * shipped, append a new one. */
    const char *const *const *migrations;
    int nmigrations;
    int secure_delete; /* overwrite deleted content (the field store's secrets) */
    int cache_kib;     /* the page cache (PRAGMA cache_size, KiB; 0: SQLite's 2 MiB) */
    /* For db_end_audited: an INSERT that takes (at, command, summary). */
    const char *audit_sql;
};

/* Open path (which must exist; fresh = the caller just made it empty):
 * pragmas, application id, migrations.  XA_EFORMAT when the file is not
 * this kind of store, XA_ESTATE when its schema is newer than this build. */
xa_code db_open(const char *path, const struct db_schema *schema, int fresh, struct db **out,
                xa_err *err);
/* Roll back what is open, finalize the statements and close (NULL is fine). */
void db_close(struct db *d);

/* The one error mapper: an SQLite result code as an xa_code with a message
 * naming the store and what it was doing.  A full disk (also a write refused
 * with ENOSPC/EFBIG/EDQUOT) is XA_ENOSPC "disk full ..."; a busy store says
 * another xiaoan is using it; a unique or key constraint is XA_EEXIST, a
 * trigger's refusal XA_ESTATE. */
xa_code db_fail(struct db *d, int rc, const char *what, xa_err *err);

/* ---- binds ---- */

enum db_argtype { DB_A_NULL, DB_A_INT, DB_A_TEXT, DB_A_BLOB };
struct db_arg {
    enum db_argtype type;
    int64_t i;
    const void *p; /* text (NUL-terminated unless n != (size_t)-1) or blob */
    size_t n;
};
/* Typed binds: the compiler checks each value against its function. */
static inline struct db_arg db_int(int64_t v)
{
    struct db_arg a = {DB_A_INT, v, NULL, 0};
    return a;
}
/* Text; NULL binds SQL NULL. */
static inline struct db_arg db_text(const char *s)
{
    struct db_arg a = {s ? DB_A_TEXT : DB_A_NULL, 0, s, (size_t)-1};
    return a;
}
/* Text of n bytes. */
static inline struct db_arg db_textn(const char *s, size_t n)
{
    struct db_arg a = {DB_A_TEXT, 0, s, n};
    return a;
}
static inline struct db_arg db_blob(const void *p, size_t n)
{
    struct db_arg a = {DB_A_BLOB, 0, p, n};
    return a;
}
/* v, or SQL NULL when has is 0. */
static inline struct db_arg db_int_or_null(int64_t v, int has)
{
    struct db_arg a = {has ? DB_A_INT : DB_A_NULL, v, NULL, 0};
    return a;
}
/* The argument list of a query: DB_ARGS(db_text(id), db_int(rev)), or DB_NOARGS. */
#define DB_ARGS(...)                           \
    (const struct db_arg[]){__VA_ARGS__},      \
        sizeof((const struct db_arg[]){__VA_ARGS__}) / sizeof(struct db_arg)
#define DB_NOARGS NULL, 0

/* ---- statements ---- */

/* A prepared statement for sql with args bound.  Statements are cached by
 * their SQL text and reused (preparing is most of the cost of a one-row
 * insert); give it back with db_release.  what (NULL: "reading"/"writing")
 * names the work in error messages. */
xa_code db_query(struct db *d, db_stmt **st, const char *what, const char *sql,
                 const struct db_arg *args, size_t nargs, xa_err *err);
/* Step: *row 1 for a row, 0 at the end. */
xa_code db_step(db_stmt *st, int *row, xa_err *err);
/* Reset and keep a cached statement, finalize another (NULL is fine). */
void db_release(db_stmt *st);
/* Prepare, bind, run to the end, release; *changes (may be NULL) = rows changed. */
xa_code db_exec(struct db *d, const char *what, const char *sql, const struct db_arg *args,
                size_t nargs, int64_t *changes, xa_err *err);
/* Prepare, bind, step once: *row says whether st is on a row (release it either way). */
xa_code db_first(struct db *d, db_stmt **st, int *row, const char *what, const char *sql,
                 const struct db_arg *args, size_t nargs, xa_err *err);

/* Columns of the current row.  Text is NULL for SQL NULL and lives until
 * the next step or release. */
int64_t db_col_int(db_stmt *st, int i);
const char *db_col_text(db_stmt *st, int i);
const void *db_col_blob(db_stmt *st, int i, size_t *len);
int db_col_count(db_stmt *st);
const char *db_col_name(db_stmt *st, int i);
/* The value's type: these numbers are part of the central store's digest. */
enum db_type { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };
enum db_type db_col_type(db_stmt *st, int i);

/* ---- rows through column descriptors ---- */

enum db_ctype {
    DB_C_TEXT,   /* char * (const char * in the struct), NULL for SQL NULL */
    DB_C_TEXT0,  /* the same, "" for SQL NULL */
    DB_C_INT64,  /* int64_t */
    DB_C_INT,    /* int */
    DB_C_CHARS,  /* char[size], cut to fit */
    DB_C_SECRET, /* like DB_C_TEXT0, wiped before it is freed */
};
/* One column: its SQL expression, how it is stored and where in the struct. */
struct db_col {
    const char *sql;
    enum db_ctype type;
    size_t off, size;
};
#define DB_COL(T, member, type, sql) {sql, type, offsetof(T, member), sizeof(((T *)0)->member)}
/* A row type: the struct's size and its columns, in SELECT order. */
struct db_rowtype {
    size_t size;
    const struct db_col *cols;
    size_t ncols;
};
#define DB_ROWTYPE(T, cols) {sizeof(T), cols, sizeof cols / sizeof cols[0]}

/* "SELECT col, col, ... " followed by rest ("FROM t WHERE ..."), prepared and bound.
 * t must live as long as the connection (a static table): the text built for
 * (t, rest) is kept and reused. */
xa_code db_select(struct db *d, db_stmt **st, const struct db_rowtype *t, const char *rest,
                  const struct db_arg *args, size_t nargs, xa_err *err);
/* Read the current row's first t->ncols columns into row (zeroed first). */
void db_read(db_stmt *st, const struct db_rowtype *t, void *row);
/* Free what row's text columns hold and zero it (the struct itself is the caller's). */
void db_row_clear(const struct db_rowtype *t, void *row);
/* Clear n rows of an array and free the array (NULL is fine). */
void db_rows_free(const struct db_rowtype *t, void *v, size_t n);
/* Step st to its end, each row into a new element (*out never NULL on
 * success), then release; on failure nothing is set. */
xa_code db_rows(db_stmt *st, const struct db_rowtype *t, void **out, size_t *n, xa_err *err);
/* Step st once into row (*found 0 and row zeroed at the end), then release. */
xa_code db_row(db_stmt *st, const struct db_rowtype *t, void *row, int *found, xa_err *err);

/* ---- transactions ---- */

/* BEGIN IMMEDIATE: the write lock up front, so a busy store fails here and
 * not half way through. */
xa_code db_begin(struct db *d, const char *what, xa_err *err);
/* COMMIT; rolled back when it fails. */
xa_code db_commit(struct db *d, const char *what, xa_err *err);
/* ROLLBACK if a transaction is open (never fails). */
void db_rollback(struct db *d);
/* End a transaction: c is how the work went; commit when XA_OK, else roll
 * back.  Returns the first failure. */
xa_code db_end(struct db *d, xa_code c, const char *what, xa_err *err);
/* The same, first appending the audit row (now, command, summary) when c is
 * XA_OK and summary is non-NULL: what was done is recorded in the same
 * transaction as doing it, or neither is. */
xa_code db_end_audited(struct db *d, xa_code c, const char *command, const char *summary,
                       xa_err *err);

/* ---- what the statements did ---- */

/* Counters since the store was opened: statements run (each released
 * statement counts once), rows stepped through in full-table scans
 * (SQLite's FULLSCAN_STEP: a query without an index to use), pages written
 * to the log and pages read from the file (the page cache's misses). */
struct db_stats {
    uint64_t statements, fullscan_steps, pages_written, pages_read;
};
void db_stats(struct db *d, struct db_stats *out);

/* ---- what only this backend has ---- */

/* Move the write-ahead log into the file and empty it (after a rewrap, so
 * an old secret does not linger in the log). */
void db_checkpoint(struct db *d);
/* Tests: cap the file at pages pages so a full disk can be provoked. */
xa_code db_debug_max_pages(struct db *d, int64_t pages, xa_err *err);

#endif
