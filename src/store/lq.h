/* lq.h — small query helpers on the db layer (db.h) with the shape the
 * older central store code had (type-string binds, rows read by a callback).
 * Private to src/store. */
#ifndef XIAOAN_STORE_LQ_H
#define XIAOAN_STORE_LQ_H

#include "central_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- this file's small query helpers on the db layer (db.h) ---------------- */

/* Bind by a type string: 's' text (NULL binds NULL), 'i' int64. */
static inline xa_code lq_vquery(xa_cstore *s, db_stmt **st, xa_err *err, const char *sql,
                         const char *types, va_list ap)
{
    struct db_arg a[16];
    size_t n = 0;
    for (int i = 0; types && types[i] && n < 16; i++)
        a[n++] = types[i] == 's' ? db_text(va_arg(ap, const char *)) : db_int(va_arg(ap, int64_t));
    return db_query(s->db, st, NULL, sql, n ? a : NULL, n, err);
}

static inline xa_code lq_query(xa_cstore *s, db_stmt **st, xa_err *err, const char *sql,
                        const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    xa_code c = lq_vquery(s, st, err, sql, types, ap);
    va_end(ap);
    return c;
}

static inline xa_code lq_exec(xa_cstore *s, xa_err *err, const char *sql, const char *types, ...)
{
    db_stmt *st;
    va_list ap;
    va_start(ap, types);
    xa_code c = lq_vquery(s, &st, err, sql, types, ap);
    va_end(ap);
    if (c != XA_OK)
        return c;
    int row;
    c = db_step(st, &row, err);
    db_release(st);
    return c;
}

static inline xa_code lq_step(xa_cstore *s, db_stmt *st, int *row, xa_err *err)
{
    (void)s;
    return db_step(st, row, err);
}

static inline void lq_release(xa_cstore *s, db_stmt *st)
{
    (void)s;
    db_release(st);
}

static inline char *lq_col(db_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    return t ? xa_strdup(t) : NULL;
}

static inline char *lq_col0(db_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    return xa_strdup(t ? t : "");
}

static inline int64_t lq_int(db_stmt *st, int i)
{
    return db_col_int(st, i);
}

static inline char *lq_now(void)
{
    char t[XA_RFC3339_MAX];
    cs_now_text(t);
    return xa_strdup(t);
}

typedef void (*lq_read_fn)(db_stmt *st, void *elem);
typedef void (*lq_drop_fn)(void *v, size_t n);

/* Every row of st read into a new array (released either way). */
static inline xa_code lq_rows(xa_cstore *s, db_stmt *st, size_t size, lq_read_fn read, lq_drop_fn drop,
                       void **out, size_t *n, xa_err *err)
{
    (void)s;
    size_t cap = 16, k = 0;
    unsigned char *v = xa_calloc(cap, size);
    int row;
    xa_code c;
    while ((c = db_step(st, &row, err)) == XA_OK && row) {
        if (k == cap) {
            v = xa_reallocarray(v, cap * 2, size);
            memset(v + cap * size, 0, cap * size);
            cap *= 2;
        }
        read(st, v + k++ * size);
    }
    db_release(st);
    if (c != XA_OK) {
        drop(v, k);
        return c;
    }
    *out = v;
    *n = k;
    return XA_OK;
}


#endif
