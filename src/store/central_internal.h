/* central_internal.h — what centralstore.c, central_rows.c and the other
 * central_*.c files share: the store handle (a db.h connection) and the row
 * types of the public structs.
 * Private to src/store. */
#ifndef XIAOAN_CENTRAL_INTERNAL_H
#define XIAOAN_CENTRAL_INTERNAL_H

#include "db.h"

#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/mem.h"

/* The next registration number of one (county, year), known in this
 * transaction (central_loop.c). */
struct cs_regnext {
    char *county;
    int64_t year, seq;
};

struct xa_cstore {
    struct db *db;
    char *path;
    struct db_schema schema; /* central_schema, maybe with fewer migrations (tests) */
    /* inside xa_cstore_begin's transaction: the numbers taken so far are
     * cached in regnext (nobody else can write until it ends) */
    int in_txn;
    struct cs_regnext *regnext;
    size_t nregnext;
    uint64_t number_lookups; /* next numbers looked up in the store (xa_cstore_stats) */
};

/* Forget the cached next registration numbers and leave the transaction
 * (every end of a transaction calls it). */
void cs_regnext_clear(xa_cstore *s);

/* The bundle and anomaly rows (central_rows.c), also listed by central_visits.c. */
extern const struct db_rowtype cs_bundle_row, cs_anomaly_row;
/* A visit with its record, and a list of strings (one text column, char *
 * elements: free with xa_strv_free), also read by central_loop.c. */
extern const struct db_rowtype cs_visit_row, cs_string_row;

/* xa_now() as RFC 3339 at +08:00 (the office's time), into out. */
void cs_now_text(char out[XA_RFC3339_MAX]);

/* Insert a hazard row (xa_cstore_hazard_add); with its registration when
 * number is not NULL (the number, its county, year and seq, the interim
 * measure).  *added (may be NULL) 0 when the id was there already. */
struct cs_number {
    const char *number, *county, *interim, *registered;
    int64_t year, seq;
};
xa_code cs_hazard_insert(xa_cstore *s, const struct xa_chazard *h, const struct cs_number *number,
                         int *added, xa_err *err);

/* Every row of a db_select on type t into *out (a new array) and *n. */
xa_code cs_list(xa_cstore *s, const struct db_rowtype *t, const char *rest,
                const struct db_arg *args, size_t nargs, void *out, size_t *n, xa_err *err);
/* One row of a db_select on type t into row; XA_ENOTFOUND (with the message
 * fmt, one %s for key) when there is none. */
xa_code cs_get(xa_cstore *s, const struct db_rowtype *t, const char *rest, const char *key,
               const char *fmt, void *row, xa_err *err);
/* Does a query with one text parameter find a row? */
xa_code cs_exists(xa_cstore *s, const char *sql, const char *key, int *yes, xa_err *err);
/* The first column of a query with one text parameter as a new string (NULL when no row). */
xa_code cs_text(xa_cstore *s, const char *sql, const char *key, char **out, xa_err *err);
/* The first column of a query as a number (0 when no row). */
xa_code cs_int(xa_cstore *s, const char *sql, const struct db_arg *args, size_t nargs,
               int64_t *out, xa_err *err);

/* The two text columns of every row of sql ("SELECT a, b FROM ...") as two new
 * parallel arrays of new strings (SQL NULL: ""); *n rows.  Free with xa_strv_free each. */
xa_code cs_pairs(xa_cstore *s, const char *sql, const struct db_arg *args, size_t nargs,
                 char ***a, char ***b, size_t *n, xa_err *err);

#endif
