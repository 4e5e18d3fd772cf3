/* central_visits.c — the office's view of stored visits: filtered lists
 * with inspector names and answer/hazard/follow-up counts, one visit with
 * its signed record, the bundles that carried it and the anomalies that
 * name it (`central visits`, `central visit`, the period report). */
#include "central_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A visit with its inspector's name and its counts; the record column is
 * the signed record or NULL (it is large: only read when asked). */
#define VISIT_ROW_COLS(REC, ANSWERS, HAZARDS, FOLLOWUPS, CORRECTED)                                                              \
    {                                                                                         \
        DB_COL(struct xa_cvisit_row, v.id, DB_C_TEXT0, "v.id"),                               \
        DB_COL(struct xa_cvisit_row, v.inspector, DB_C_TEXT0, "v.inspector"),                 \
        DB_COL(struct xa_cvisit_row, v.seq, DB_C_INT64, "v.seq"),                             \
        DB_COL(struct xa_cvisit_row, v.prev, DB_C_TEXT, "v.prev"),                            \
        DB_COL(struct xa_cvisit_row, v.hash, DB_C_TEXT0, "v.hash"),                           \
        DB_COL(struct xa_cvisit_row, v.record, DB_C_TEXT, REC),                            \
        DB_COL(struct xa_cvisit_row, v.school, DB_C_TEXT0, "v.school"),                       \
        DB_COL(struct xa_cvisit_row, v.school_name, DB_C_TEXT0,                               \
               "COALESCE(sc.name, v.school_name)"),                                           \
        DB_COL(struct xa_cvisit_row, v.county, DB_C_TEXT0, "COALESCE(sc.county, v.county)"),  \
        DB_COL(struct xa_cvisit_row, v.kind, DB_C_TEXT0, "v.kind"),                           \
        DB_COL(struct xa_cvisit_row, v.arrived, DB_C_TEXT0, "v.arrived"),                     \
        DB_COL(struct xa_cvisit_row, v.arrived_at, DB_C_INT64, "v.arrived_at"),               \
        DB_COL(struct xa_cvisit_row, v.sealed, DB_C_TEXT0, "v.sealed"),                       \
        DB_COL(struct xa_cvisit_row, v.sealed_at, DB_C_INT64, "v.sealed_at"),                 \
        DB_COL(struct xa_cvisit_row, v.corrects, DB_C_TEXT, "v.corrects"),                    \
        DB_COL(struct xa_cvisit_row, v.received, DB_C_TEXT0, "v.received"),                   \
        DB_COL(struct xa_cvisit_row, inspector_name, DB_C_TEXT0, "i.name"),                   \
        DB_COL(struct xa_cvisit_row, answers, DB_C_INT64, ANSWERS),                           \
        DB_COL(struct xa_cvisit_row, hazards, DB_C_INT64, HAZARDS),                           \
        DB_COL(struct xa_cvisit_row, followups, DB_C_INT64, FOLLOWUPS),                       \
        DB_COL(struct xa_cvisit_row, corrected_by, DB_C_TEXT, CORRECTED),                     \
    }
#define COUNTS                                                                  \
    "(SELECT count(*) FROM answers a WHERE a.visit = v.id)", "COALESCE(hz.n, 0)", \
        "COALESCE(fu.n, 0)", "cr.id"
/* With the record or not (it is large), with the counts or not (they cost). */
#define VISIT_ROW_COLS_(...) VISIT_ROW_COLS(__VA_ARGS__) /* expands COUNTS first */
static const struct db_col row_cols[] = VISIT_ROW_COLS_("v.record", COUNTS);
static const struct db_col row_cols_brief[] = VISIT_ROW_COLS_("NULL", COUNTS);
static const struct db_col row_cols_nocount[] = VISIT_ROW_COLS("v.record", "0", "0", "0", "NULL");
static const struct db_col row_cols_bare[] = VISIT_ROW_COLS("NULL", "0", "0", "0", "NULL");
static const struct db_rowtype visit_rows[2][2] = {
    {DB_ROWTYPE(struct xa_cvisit_row, row_cols_bare),
     DB_ROWTYPE(struct xa_cvisit_row, row_cols_nocount)},
    {DB_ROWTYPE(struct xa_cvisit_row, row_cols_brief), DB_ROWTYPE(struct xa_cvisit_row, row_cols)},
};
#define visit_row (visit_rows[1][1])

#define ROW_FROM                                                  \
    "FROM visits v LEFT JOIN schools sc ON sc.code = v.school"   \
    " LEFT JOIN inspectors i ON i.fingerprint = v.inspector"
/* The joins the counts need. */
#define COUNT_JOINS                                                                              \
    " LEFT JOIN (SELECT visit, count(*) AS n FROM hazards GROUP BY visit) hz ON hz.visit = v.id" \
    " LEFT JOIN (SELECT visit, count(*) AS n FROM hazard_events WHERE kind = 'follow-up'"       \
    " GROUP BY visit) fu ON fu.visit = v.id"                                                     \
    " LEFT JOIN (SELECT corrects, min(id) AS id FROM visits WHERE corrects IS NOT NULL"          \
    " GROUP BY corrects) cr ON cr.corrects = v.id"
#define ROW_WHERE                                                    \
    " WHERE (?1 IS NULL OR v.school = ?1)"                           \
    " AND (?2 IS NULL OR v.inspector = ?2)"                          \
    " AND (?3 IS NULL OR COALESCE(sc.county, v.county) = ?3)"        \
    " AND (?4 = 0 OR v.arrived_at >= ?4)"                            \
    " AND (?5 = 0 OR v.arrived_at < ?5)"                             \
    " ORDER BY v.arrived_at, v.id"

xa_code xa_cstore_visit_rows(xa_cstore *s, const struct xa_cvisit_filter *f,
                             struct xa_cvisit_row **out, size_t *n, xa_err *err)
{
    return cs_list(s, &visit_rows[!f->no_counts][!!f->with_record],
                   f->no_counts ? ROW_FROM ROW_WHERE : ROW_FROM COUNT_JOINS ROW_WHERE,
                   DB_ARGS(db_text(f->school), db_text(f->inspector), db_text(f->county),
                           db_int(f->from_at), db_int(f->to_at)),
                   out, n, err);
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
    struct xa_cvisit_row *rows = NULL;
    size_t n = 0;
    xa_code c = cs_list(s, &visit_row, ROW_FROM COUNT_JOINS " WHERE v.id LIKE ?1 ORDER BY v.id LIMIT 2",
                        DB_ARGS(db_text(pattern)), &rows, &n, err);
    free(pattern);
    if (c == XA_OK && n == 1) {
        *out = rows[0];
        free(rows);
    } else if (c == XA_OK) {
        c = n ? xa_fail(err, XA_EUSAGE, "visit id '%s' is ambiguous: give more digits", id)
              : xa_fail(err, XA_ENOTFOUND, "no visit %s in the store", lo);
        xa_cvisit_rows_free(rows, n);
    }
    free(lo);
    return c;
}

void xa_cvisit_row_clear(struct xa_cvisit_row *r)
{
    db_row_clear(&visit_row, r);
}

void xa_cvisit_rows_free(struct xa_cvisit_row *v, size_t n)
{
    db_rows_free(&visit_row, v, n);
}

xa_code xa_cstore_visit_bundles(xa_cstore *s, const char *visit, struct xa_cbundle **out,
                                size_t *n, xa_err *err)
{
    return cs_list(s, &cs_bundle_row,
                   "FROM bundles b JOIN bundle_visits bv ON bv.bundle = b.hash WHERE bv.visit = ?"
                   " ORDER BY b.seq, b.hash",
                   DB_ARGS(db_text(visit)), out, n, err);
}

xa_code xa_cstore_visit_anomalies(xa_cstore *s, const char *visit, const char *inspector,
                                  struct xa_canomaly **out, size_t *n, xa_err *err)
{
    return cs_list(s, &cs_anomaly_row,
                   "FROM anomalies WHERE visit = ?1 OR (visit IS NULL AND inspector = ?2)"
                   " ORDER BY kind, detail, id",
                   DB_ARGS(db_text(visit), db_text(inspector)), out, n, err);
}

/* ---- the rows a period report reads (few columns, streamed, nothing copied) --------- */

/* The text of column i, "" for NULL. */
static const char *col0(db_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    return t ? t : "";
}

xa_code xa_cstore_period_hazards_each(xa_cstore *s, const char *county, int64_t from_at,
                                      int64_t to_at,
                                      int (*fn)(const struct xa_cperiod_hazard *h, void *ctx),
                                      void *ctx, xa_err *err)
{
    /* the registration number is in the row (migration 7): no lookup a
     * hazard; the visit is read only for a school missing from the roster (COALESCE
     * evaluates its second argument only when the first is NULL); no ORDER
     * BY: a temporary B-tree of 300,000 rows cost more than the scan, the
     * report sorts the few rows it lists (issue 13) */
    db_stmt *st;
    xa_code c = db_query(
        s->db, &st, "period hazards",
        "SELECT h.id, h.school,"
        " COALESCE(sc.name, (SELECT v.school_name FROM visits v WHERE v.id = h.visit)),"
        " COALESCE(sc.county, (SELECT v.county FROM visits v WHERE v.id = h.visit)),"
        " h.category, h.severity, h.description, h.deadline, h.found_at,"
        " h.state = 'closed' AND h.closed_at IS NOT NULL, h.closed_at, h.found, h.number"
        " FROM hazards h LEFT JOIN schools sc ON sc.code = h.school"
        " WHERE h.found_at < ?3"
        " AND NOT (h.state = 'closed' AND h.closed_at IS NOT NULL AND h.closed_at < ?2)"
        " AND (?1 IS NULL OR COALESCE(sc.county, (SELECT v.county FROM visits v"
        " WHERE v.id = h.visit)) = ?1)",
        DB_ARGS(db_text(county), db_int(from_at), db_int(to_at)), err);
    if (c != XA_OK)
        return c;
    int row = 1, stop = 0;
    while (!stop && (c = db_step(st, &row, err)) == XA_OK && row) {
        struct xa_cperiod_hazard h = {
            .id = col0(st, 0), .school = col0(st, 1), .school_name = col0(st, 2),
            .county = col0(st, 3), .category = col0(st, 4), .severity = col0(st, 5),
            .description = col0(st, 6), .deadline = col0(st, 7), .found_at = db_col_int(st, 8),
            .closed = db_col_int(st, 9) != 0, .closed_at = db_col_int(st, 10),
            .found = col0(st, 11), .number = col0(st, 12)};
        stop = fn(&h, ctx);
    }
    db_release(st);
    return c;
}

xa_code xa_cstore_period_visits_each(xa_cstore *s, const char *county, int64_t to_at,
                                     int (*fn)(const struct xa_cperiod_visit *v, void *ctx),
                                     void *ctx, xa_err *err)
{
    db_stmt *st;
    xa_code c = db_query(s->db, &st, "period visits",
                         "SELECT v.school, COALESCE(sc.county, v.county), v.kind, v.arrived_at"
                         " FROM visits v LEFT JOIN schools sc ON sc.code = v.school"
                         " WHERE v.arrived_at < ?2 AND (?1 IS NULL OR COALESCE(sc.county, v.county) = ?1)",
                         DB_ARGS(db_text(county), db_int(to_at)), err);
    if (c != XA_OK)
        return c;
    int row = 1, stop = 0;
    while (!stop && (c = db_step(st, &row, err)) == XA_OK && row) {
        struct xa_cperiod_visit v = {.school = col0(st, 0), .county = col0(st, 1),
                                     .kind = col0(st, 2), .arrived_at = db_col_int(st, 3)};
        stop = fn(&v, ctx);
    }
    db_release(st);
    return c;
}
