/* central_visits.c — the office's view of stored visits: filtered lists
 * with inspector names and answer/hazard/follow-up counts, one visit with
 * its signed record, the bundles that carried it and the anomalies that
 * name it (`central visits`, `central visit`, the period report). */
#include "central_internal.h"

#include <stdlib.h>
#include <string.h>

#define ROW_SQL                                                                                  \
    "SELECT v.id, v.inspector, v.seq, v.prev, v.hash, %s, v.school,"                            \
    " COALESCE(sc.name, v.school_name), COALESCE(sc.county, v.county), v.kind, v.arrived,"      \
    " v.arrived_at, v.sealed, v.sealed_at, v.corrects, v.received, i.name,"                     \
    " %s FROM visits v LEFT JOIN schools sc ON sc.code = v.school"                              \
    " LEFT JOIN inspectors i ON i.fingerprint = v.inspector %s"

/* The counts of a list, and the joins they need. */
#define COUNT_COLS                                                                               \
    "(SELECT count(*) FROM answers a WHERE a.visit = v.id), COALESCE(hz.n, 0), COALESCE(fu.n, 0)"
#define COUNT_JOINS                                                                              \
    " LEFT JOIN (SELECT visit, count(*) AS n FROM hazards GROUP BY visit) hz ON hz.visit = v.id" \
    " LEFT JOIN (SELECT visit, count(*) AS n FROM hazard_events WHERE kind = 'follow-up'"       \
    " GROUP BY visit) fu ON fu.visit = v.id"

/* One row of ROW_SQL. */
static void read_row(sqlite3_stmt *st, void *elem)
{
    struct xa_cvisit_row *r = elem;
    struct xa_cvisit *x = &r->v;
    x->id = cs_col0(st, 0);
    x->inspector = cs_col0(st, 1);
    x->seq = cs_int(st, 2);
    x->prev = cs_col(st, 3);
    x->hash = cs_col0(st, 4);
    x->record = cs_col(st, 5);
    x->school = cs_col0(st, 6);
    x->school_name = cs_col0(st, 7);
    x->county = cs_col0(st, 8);
    x->kind = cs_col0(st, 9);
    x->arrived = cs_col0(st, 10);
    x->arrived_at = cs_int(st, 11);
    x->sealed = cs_col0(st, 12);
    x->sealed_at = cs_int(st, 13);
    x->corrects = cs_col(st, 14);
    x->received = cs_col0(st, 15);
    r->inspector_name = cs_col0(st, 16);
    r->answers = cs_int(st, 17);
    r->hazards = cs_int(st, 18);
    r->followups = cs_int(st, 19);
}

/* xa_cvisit_rows_free as a cs_drop_fn. */
static void drop_rows(void *v, size_t n)
{
    xa_cvisit_rows_free(v, n);
}

xa_code xa_cstore_visit_rows(xa_cstore *s, const struct xa_cvisit_filter *f,
                             struct xa_cvisit_row **out, size_t *n, xa_err *err)
{
    char *sql = xa_asprintf(ROW_SQL " WHERE (?1 IS NULL OR v.school = ?1)"
                                    " AND (?2 IS NULL OR v.inspector = ?2)"
                                    " AND (?3 IS NULL OR COALESCE(sc.county, v.county) = ?3)"
                                    " AND (?4 = 0 OR v.arrived_at >= ?4)"
                                    " AND (?5 = 0 OR v.arrived_at < ?5)"
                                    " ORDER BY v.arrived_at, v.id",
                            f->with_record ? "v.record" : "NULL",
                            f->no_counts ? "0, 0, 0" : COUNT_COLS, f->no_counts ? "" : COUNT_JOINS);
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, sql, "sssii", f->school, f->inspector, f->county,
                         f->from_at, f->to_at);
    free(sql);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_row, drop_rows, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

xa_code xa_cstore_visit_row(xa_cstore *s, const char *id, struct xa_cvisit_row *out,
                            xa_err *err)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(id);
    if (len < 6 || len > 64 || strspn(id, "0123456789abcdefABCDEF") != len)
        return xa_fail(err, XA_EUSAGE, "'%s' is not a visit id (hex digits, at least 6)", id);
    char *lo = xa_strdup(id);
    for (char *p = lo; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    char *pattern = xa_asprintf("%s%%", lo);
    char *sql = xa_asprintf(ROW_SQL " WHERE v.id LIKE ?1 ORDER BY v.id LIMIT 2", "v.record",
                            COUNT_COLS, COUNT_JOINS);
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, sql, "s", pattern);
    free(sql);
    free(pattern);
    if (c != XA_OK) {
        free(lo);
        return c;
    }
    void *v;
    size_t n = 0;
    if ((c = cs_rows(s, st, sizeof *out, read_row, drop_rows, &v, &n, err)) != XA_OK) {
        free(lo);
        return c;
    }
    struct xa_cvisit_row *rows = v;
    if (n == 1) {
        *out = rows[0];
        free(rows);
    } else {
        c = n ? xa_fail(err, XA_EUSAGE, "visit id '%s' is ambiguous: give more digits", id)
              : xa_fail(err, XA_ENOTFOUND, "no visit %s in the store", lo);
        xa_cvisit_rows_free(rows, n);
    }
    free(lo);
    return c;
}

void xa_cvisit_rows_free(struct xa_cvisit_row *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        struct xa_cvisit *x = &v[i].v;
        free(x->id);
        free(x->inspector);
        free(x->prev);
        free(x->hash);
        free(x->record);
        free(x->school);
        free(x->school_name);
        free(x->county);
        free(x->kind);
        free(x->arrived);
        free(x->sealed);
        free(x->corrects);
        free(x->received);
        free(v[i].inspector_name);
    }
    free(v);
}

/* One bundle row. */
static void read_bundle(sqlite3_stmt *st, void *elem)
{
    struct xa_cbundle *b = elem;
    b->hash = cs_col0(st, 0);
    b->sender = cs_col0(st, 1);
    b->seq = cs_int(st, 2);
    b->prev = cs_col(st, 3);
    b->created = cs_col0(st, 4);
    b->created_at = cs_int(st, 5);
    b->file = cs_col0(st, 6);
    b->visits = cs_int(st, 7);
    b->received = cs_col0(st, 8);
}

static void drop_bundles(void *v, size_t n)
{
    xa_cbundles_free(v, n);
}

xa_code xa_cstore_visit_bundles(xa_cstore *s, const char *visit, struct xa_cbundle **out,
                                size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT b.hash, b.sender, b.seq, b.prev, b.created, b.created_at, b.file,"
                         " b.visits, b.received FROM bundles b"
                         " JOIN bundle_visits bv ON bv.bundle = b.hash WHERE bv.visit = ?"
                         " ORDER BY b.seq, b.hash",
                         "s", visit);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_bundle, drop_bundles, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

/* One anomaly row. */
static void read_anomaly(sqlite3_stmt *st, void *elem)
{
    struct xa_canomaly *a = elem;
    a->id = cs_col0(st, 0);
    a->kind = cs_col0(st, 1);
    a->inspector = cs_col(st, 2);
    a->visit = cs_col(st, 3);
    a->bundle = cs_col(st, 4);
    a->detail = cs_col0(st, 5);
    a->detected = cs_col0(st, 6);
}

static void drop_anomalies(void *v, size_t n)
{
    xa_canomalies_free(v, n);
}

xa_code xa_cstore_visit_anomalies(xa_cstore *s, const char *visit, const char *inspector,
                                  struct xa_canomaly **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT id, kind, inspector, visit, bundle, detail, detected"
                         " FROM anomalies WHERE visit = ?1 OR (visit IS NULL AND inspector = ?2)"
                         " ORDER BY kind, detail, id",
                         "ss", visit, inspector);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_anomaly, drop_anomalies, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

/* ---- the rows a period report reads (few columns, only what can matter) ------------ */

/* One light hazard row. */
static void read_light_hazard(sqlite3_stmt *st, void *elem)
{
    struct xa_chazard *h = elem;
    h->id = cs_col0(st, 0);
    h->school = cs_col0(st, 1);
    h->category = cs_col0(st, 2);
    h->severity = cs_col0(st, 3);
    h->description = cs_col0(st, 4);
    h->deadline = cs_col0(st, 5);
    h->found = cs_col0(st, 6);
    h->found_at = cs_int(st, 7);
    h->state = cs_col0(st, 8);
    h->closed = cs_col(st, 9);
    h->closed_at = cs_int(st, 10);
    h->school_name = cs_col0(st, 11);
    h->county = cs_col0(st, 12);
}

static void drop_hazards(void *v, size_t n)
{
    xa_chazards_free(v, n);
}

xa_code xa_cstore_period_hazards(xa_cstore *s, const char *county, int64_t from_at, int64_t to_at,
                                 struct xa_chazard **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(
        s, &st, err,
        "SELECT h.id, h.school, h.category, h.severity, h.description, h.deadline, h.found,"
        " h.found_at, h.state, h.closed, h.closed_at, COALESCE(sc.name, v.school_name),"
        " COALESCE(sc.county, v.county)"
        " FROM hazards h JOIN visits v ON v.id = h.visit LEFT JOIN schools sc ON sc.code = h.school"
        " WHERE (?1 IS NULL OR COALESCE(sc.county, v.county) = ?1) AND h.found_at < ?3"
        " AND NOT (h.state = 'closed' AND h.closed_at IS NOT NULL AND h.closed_at < ?2)"
        " ORDER BY h.found_at, h.id",
        "sii", county, from_at, to_at);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_light_hazard, drop_hazards, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

/* One light visit row. */
static void read_light_visit(sqlite3_stmt *st, void *elem)
{
    struct xa_cvisit_row *r = elem;
    r->v.school = cs_col0(st, 0);
    r->v.county = cs_col0(st, 1);
    r->v.kind = cs_col0(st, 2);
    r->v.arrived_at = cs_int(st, 3);
}

xa_code xa_cstore_period_visits(xa_cstore *s, const char *county, int64_t to_at,
                                struct xa_cvisit_row **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT v.school, COALESCE(sc.county, v.county), v.kind, v.arrived_at"
                         " FROM visits v LEFT JOIN schools sc ON sc.code = v.school"
                         " WHERE (?1 IS NULL OR COALESCE(sc.county, v.county) = ?1)"
                         " AND v.arrived_at < ?2 ORDER BY v.arrived_at, v.id",
                         "si", county, to_at);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_light_visit, drop_rows, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}
