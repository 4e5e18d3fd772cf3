/* central_internal.h — what centralstore.c and central_rows.c share: the
 * store handle and the small SQLite helpers.  Private to src/store. */
#ifndef XIAOAN_CENTRAL_INTERNAL_H
#define XIAOAN_CENTRAL_INTERNAL_H

#include "xiaoan/centralstore.h"
#include "xiaoan/mem.h"

#include <sqlite3.h>
#include <stdarg.h>

struct xa_cstore {
    sqlite3 *db;
    char *path;
};

/* XA_EDB (or XA_ENOSPC) with SQLite's message after `what`. */
xa_code cs_dbfail(xa_cstore *s, xa_err *err, const char *what);
xa_code cs_prep(xa_cstore *s, const char *sql, sqlite3_stmt **st, xa_err *err);
/* Bind by a type string: 's' text or NULL, 'i' int64_t, 'I' int64_t + int has. */
void cs_vbind(sqlite3_stmt *st, const char *types, va_list ap);
/* Prepare and bind. */
xa_code cs_query(xa_cstore *s, sqlite3_stmt **st, xa_err *err, const char *sql,
                 const char *types, ...);
/* Prepare, bind, run to the end; a constraint violation is XA_EEXIST. */
xa_code cs_exec(xa_cstore *s, xa_err *err, const char *sql, const char *types, ...);
/* Step: *row 1 for a row, 0 at the end. */
xa_code cs_step(xa_cstore *s, sqlite3_stmt *st, int *row, xa_err *err);
/* Column as a new string (NULL for SQL NULL) / never NULL / int64. */
char *cs_col(sqlite3_stmt *st, int i);
char *cs_col0(sqlite3_stmt *st, int i);
int64_t cs_int(sqlite3_stmt *st, int i);
/* xa_now() as RFC 3339 at +08:00, new string. */
char *cs_now_text(void);

#endif
