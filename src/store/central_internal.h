/* central_internal.h — what centralstore.c and central_rows.c share: the
 * store handle and the small SQLite helpers.  Private to src/store. */
#ifndef XIAOAN_CENTRAL_INTERNAL_H
#define XIAOAN_CENTRAL_INTERNAL_H

#include "xiaoan/centralstore.h"
#include "xiaoan/mem.h"

#include <sqlite3.h>
#include <stdarg.h>

/* Prepared statements are kept and reused (preparing is most of the cost of
 * a one-row insert): cs_prep hands out a cached statement whose SQL text is
 * the same and not in use, cs_release resets it for the next caller. */
#define CS_CACHE 48

struct cs_cached {
    sqlite3_stmt *st;
    int busy;
};

struct xa_cstore {
    sqlite3 *db;
    char *path;
    struct cs_cached cache[CS_CACHE];
    size_t ncache, evict;
};

/* XA_EDB (or XA_ENOSPC) with SQLite's message after `what`. */
xa_code cs_dbfail(xa_cstore *s, xa_err *err, const char *what);
/* A prepared statement for sql (cached, see above); give it back with
 * cs_release, never sqlite3_finalize. */
xa_code cs_prep(xa_cstore *s, const char *sql, sqlite3_stmt **st, xa_err *err);
/* Give back a statement of cs_prep / cs_query: reset and kept when cached,
 * finalized otherwise (NULL is fine). */
void cs_release(xa_cstore *s, sqlite3_stmt *st);
/* Finalize every cached statement (before closing the database). */
void cs_cache_clear(xa_cstore *s);
/* Bind by a type string: 's' text or NULL, 'i' int64_t, 'I' int64_t + int has. */
void cs_vbind(sqlite3_stmt *st, const char *types, va_list ap);
/* Prepare and bind. */
xa_code cs_query(xa_cstore *s, sqlite3_stmt **st, xa_err *err, const char *sql,
                 const char *types, ...);
/* Prepare, bind, run to the end; a constraint violation is XA_EEXIST. */
xa_code cs_exec(xa_cstore *s, xa_err *err, const char *sql, const char *types, ...);
/* Step: *row 1 for a row, 0 at the end. */
xa_code cs_step(xa_cstore *s, sqlite3_stmt *st, int *row, xa_err *err);
/* Fill one element of a row array from the current row of st / free n rows of an array. */
typedef void (*cs_read_fn)(sqlite3_stmt *st, void *elem);
typedef void (*cs_drop_fn)(void *v, size_t n);
/* Step st to its end, each row read into a new zeroed size-byte element of *out (never NULL,
 * *n rows), then cs_release; on failure the rows read are dropped and nothing is set. */
xa_code cs_rows(xa_cstore *s, sqlite3_stmt *st, size_t size, cs_read_fn read, cs_drop_fn drop,
                void **out, size_t *n, xa_err *err);
/* Column as a new string (NULL for SQL NULL) / never NULL / int64. */
char *cs_col(sqlite3_stmt *st, int i);
char *cs_col0(sqlite3_stmt *st, int i);
int64_t cs_int(sqlite3_stmt *st, int i);
/* xa_now() as RFC 3339 at +08:00, new string. */
char *cs_now_text(void);

#endif
