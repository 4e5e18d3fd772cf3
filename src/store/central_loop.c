/* central_loop.c — the rectification loop's rows in the central store:
 * registration numbers and interim measures (in the hazard's row since
 * migration 7), the office's
 * actions (hazard_actions), notices (notices, notice_hazards), and the
 * queries the loop derives states from (field events with their visit's
 * school, follow-ups next to the hazards they name).  Migration 2.
 * Like the rest of the central store, each row struct is one table of
 * columns (DB_COL): db_select builds the SELECT list from it, db_rows reads
 * and db_rows_free frees (db.c); nothing here reads a column by hand. */
#include "central_internal.h"

#include "xiaoan/clock.h"
#include "xiaoan/loopstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first column of every row of sql as new strings (SQL NULL: ""), at
 * most max of them (0: all), in the query's order; *ids NULL when none. */
static xa_code strings(xa_cstore *s, const char *sql, const struct db_arg *args, size_t nargs,
                       size_t max, char ***ids, size_t *n, xa_err *err)
{
    db_stmt *st;
    void *v;
    *ids = NULL;
    *n = 0;
    xa_code c = db_query(s->db, &st, NULL, sql, args, nargs, err);
    if (c != XA_OK || (c = db_rows(st, &cs_string_row, &v, n, err)) != XA_OK)
        return c;
    char **got = v;
    if (max && *n > max) {
        for (size_t i = max; i < *n; i++)
            free(got[i]);
        *n = max;
    }
    if (*n)
        *ids = got;
    else
        free(got);
    return XA_OK;
}

/* ---- registration numbers ---------------------------------------------------- */

/* Kept in the hazard's own row since migration 7 (number, number_county,
 * number_year, number_seq, interim, registered; NULL until registered). */
static const struct db_col reg_cols[] = {
    DB_COL(struct xa_creg, hazard, DB_C_TEXT0, "id"),
    DB_COL(struct xa_creg, number, DB_C_TEXT0, "number"),
    DB_COL(struct xa_creg, county, DB_C_TEXT0, "number_county"),
    DB_COL(struct xa_creg, year, DB_C_INT64, "number_year"),
    DB_COL(struct xa_creg, seq, DB_C_INT64, "number_seq"),
    DB_COL(struct xa_creg, interim, DB_C_TEXT0, "interim"),
    DB_COL(struct xa_creg, registered, DB_C_TEXT0, "registered"),
};
static const struct db_rowtype reg_row = DB_ROWTYPE(struct xa_creg, reg_cols);

void xa_creg_free(struct xa_creg *r)
{
    db_row_clear(&reg_row, r);
}

void xa_cregs_free(struct xa_creg *v, size_t n)
{
    db_rows_free(&reg_row, v, n);
}

xa_code xa_cstore_reg_get(xa_cstore *s, const char *hazard, struct xa_creg *out, xa_err *err)
{
    return cs_get(s, &reg_row, "FROM hazards WHERE id = ? AND number IS NOT NULL", hazard,
                  "hazard %s has no registration number", out, err);
}

xa_code xa_cstore_regs(xa_cstore *s, struct xa_creg **out, size_t *n, xa_err *err)
{
    return cs_list(s, &reg_row, "FROM hazards WHERE number IS NOT NULL ORDER BY id", DB_NOARGS,
                   out, n, err);
}

void cs_regnext_clear(xa_cstore *s)
{
    for (size_t i = 0; i < s->nregnext; i++)
        free(s->regnext[i].county);
    free(s->regnext);
    s->regnext = NULL;
    s->nregnext = 0;
    s->in_txn = 0;
}

/* More (county, year) pairs than this in one transaction: the cache starts
 * again (each lookup is a linear search; a hostile bundle's visits may name
 * any number of counties). */
#define REGNEXT_MAX 64

/* The next seq of (county, year): MAX(seq) + 1 of the numbers stored, as
 * before; inside a transaction the first lookup of a pair is remembered and
 * later ones count on from it (no statement per hazard).  *slot (NULL when
 * not cached) is the cache entry to advance once the number is taken. */
static xa_code next_seq(xa_cstore *s, const char *county, int64_t year, int64_t *seq,
                        struct cs_regnext **slot, xa_err *err)
{
    *slot = NULL;
    if (s->in_txn)
        for (size_t i = 0; i < s->nregnext; i++)
            if (s->regnext[i].year == year && !strcmp(s->regnext[i].county, county)) {
                *seq = s->regnext[i].seq;
                *slot = &s->regnext[i];
                return XA_OK;
            }
    s->number_lookups++;
    xa_code c = cs_int(s,
                       "SELECT COALESCE(MAX(number_seq), 0) + 1 FROM hazards"
                       " WHERE number_county = ? AND number_year = ?",
                       DB_ARGS(db_text(county), db_int(year)), seq, err);
    if (c != XA_OK || !s->in_txn)
        return c;
    if (s->nregnext == REGNEXT_MAX) {
        int keep = s->in_txn;
        cs_regnext_clear(s);
        s->in_txn = keep;
    }
    s->regnext = xa_reallocarray(s->regnext, s->nregnext + 1, sizeof *s->regnext);
    struct cs_regnext *r = &s->regnext[s->nregnext++];
    r->county = xa_strdup(county);
    r->year = year;
    r->seq = *seq;
    *slot = r;
    return XA_OK;
}

/* The number as users know it: 莲都-2026-0012. */
static char *format_number(const char *county, int64_t year, int64_t seq)
{
    return xa_asprintf("%s-%lld-%04lld", county, (long long)year, (long long)seq);
}

xa_code xa_cstore_hazard_add_registered(xa_cstore *s, const struct xa_chazard *h,
                                        const char *county, int64_t year, const char *interim,
                                        int *added, xa_err *err)
{
    struct cs_regnext *slot;
    int64_t seq = 0;
    xa_code c = next_seq(s, county, year, &seq, &slot, err);
    if (c != XA_OK)
        return c;
    char *num = format_number(county, year, seq);
    char now[XA_RFC3339_MAX];
    cs_now_text(now);
    struct cs_number n = {num, county, interim, now, year, seq};
    int in = 0;
    c = cs_hazard_insert(s, h, &n, &in, err);
    free(num);
    if (c == XA_OK && in && slot)
        slot->seq = seq + 1; /* taken; an id there already took none */
    if (c == XA_OK && added)
        *added = in;
    return c;
}

xa_code xa_cstore_hazard_register(xa_cstore *s, const char *hazard, const char *county,
                                  int64_t year, const char *interim, char **number,
                                  xa_err *err)
{
    struct xa_creg have;
    xa_err e;
    xa_code c = xa_cstore_reg_get(s, hazard, &have, &e);
    if (c == XA_OK) {
        if (number)
            *number = xa_strdup(have.number);
        xa_creg_free(&have);
        return XA_OK;
    }
    if (c != XA_ENOTFOUND) {
        if (err)
            *err = e;
        return c;
    }
    struct cs_regnext *slot;
    int64_t seq = 0, changes = 0;
    if ((c = next_seq(s, county, year, &seq, &slot, err)) != XA_OK)
        return c;
    char *num = format_number(county, year, seq);
    char now[XA_RFC3339_MAX];
    cs_now_text(now);
    c = db_exec(s->db, NULL,
                "UPDATE hazards SET number = ?, number_county = ?, number_year = ?,"
                " number_seq = ?, interim = ?, registered = ? WHERE id = ? AND number IS NULL",
                DB_ARGS(db_text(num), db_text(county), db_int(year), db_int(seq),
                        db_text(interim ? interim : ""), db_text(now), db_text(hazard)),
                &changes, err);
    if (c == XA_OK && !changes)
        c = xa_fail(err, XA_ENOTFOUND, "no hazard %s", hazard);
    if (c == XA_OK && slot)
        slot->seq = seq + 1;
    if (c == XA_OK && number)
        *number = num;
    else
        free(num);
    return c;
}

static const struct db_col unreg_cols[] = {
    DB_COL(struct xa_cunreg, hazard, DB_C_TEXT0, "h.id"),
    DB_COL(struct xa_cunreg, county, DB_C_TEXT0, "v.county"),
    DB_COL(struct xa_cunreg, found, DB_C_TEXT0, "h.found"),
};
static const struct db_rowtype unreg_row = DB_ROWTYPE(struct xa_cunreg, unreg_cols);

void xa_cunregs_free(struct xa_cunreg *v, size_t n)
{
    db_rows_free(&unreg_row, v, n);
}

xa_code xa_cstore_unregistered(xa_cstore *s, struct xa_cunreg **out, size_t *n, xa_err *err)
{
    return cs_list(s, &unreg_row,
                   "FROM hazards h JOIN visits v ON v.id = h.visit"
                   " WHERE h.number IS NULL ORDER BY h.found_at, h.id",
                   DB_NOARGS, out, n, err);
}

/* Is s lower-case hex (upper case accepted) of at least min characters? */
static int hexish(const char *s, size_t min)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char ch = s[n];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            return 0;
    }
    return n >= min;
}

/* Lower-case copy of a hex string. */
static char *lower(const char *s)
{
    char *l = xa_strdup(s);
    for (char *p = l; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    return l;
}

/* Ids of table (hazards, visits) equal to the hex text or starting with it,
 * sorted, at most max. */
static xa_code ids_by_prefix(xa_cstore *s, const char *sql, const char *text, size_t max,
                             char ***ids, size_t *n, xa_err *err)
{
    char *l = lower(text);
    char *pat = xa_asprintf("%s%%", l);
    xa_code c = strings(s, sql, DB_ARGS(db_text(l), db_text(pat)), max, ids, n, err);
    free(pat);
    free(l);
    return c;
}

/* Are [p, end) 1 to 18 decimal digits?  Their value into *v. */
static int digits(const char *p, const char *end, int64_t *v)
{
    if (end <= p || end - p > 18)
        return 0;
    *v = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        *v = *v * 10 + (*p - '0');
    }
    return 1;
}

/* The parts of a registration number county-year-seq (format_number), read
 * from the right (a county name may hold '-'); 0 when text is not one. */
static int number_parts(const char *text, size_t *county_len, int64_t *year, int64_t *seq)
{
    const char *end = text + strlen(text), *d2 = strrchr(text, '-');
    if (!d2 || d2 == text)
        return 0;
    const char *d1 = d2 - 1;
    while (d1 > text && *d1 != '-')
        d1--;
    if (d1 == text || !digits(d1 + 1, d2, year) || !digits(d2 + 1, end, seq))
        return 0;
    *county_len = (size_t)(d1 - text);
    return 1;
}

xa_code xa_cstore_hazard_find(xa_cstore *s, const char *text, size_t max, char ***ids,
                              size_t *n, xa_err *err)
{
    /* a number through its parts' unique index (migration 8); the stored
     * number must be the text itself (0012, not 12) */
    size_t cl;
    int64_t year, seq;
    xa_code c = XA_OK;
    *ids = NULL;
    *n = 0;
    if (number_parts(text, &cl, &year, &seq))
        c = strings(s,
                    "SELECT id FROM hazards WHERE number_county = ? AND number_year = ?"
                    " AND number_seq = ? AND number = ?",
                    DB_ARGS(db_textn(text, cl), db_int(year), db_int(seq), db_text(text)), max,
                    ids, n, err);
    if (c != XA_OK || *n > 0 || !hexish(text, 4))
        return c;
    return ids_by_prefix(s, "SELECT id FROM hazards WHERE id = ? OR id LIKE ? ORDER BY id", text,
                         max, ids, n, err);
}

/* ---- office actions ------------------------------------------------------------------ */

static const struct db_col act_cols[] = {
    DB_COL(struct xa_caction, id, DB_C_INT64, "id"),
    DB_COL(struct xa_caction, hazard, DB_C_TEXT0, "hazard"),
    DB_COL(struct xa_caction, kind, DB_C_TEXT0, "kind"),
    DB_COL(struct xa_caction, at, DB_C_TEXT0, "at"),
    DB_COL(struct xa_caction, at_epoch, DB_C_INT64, "at_epoch"),
    DB_COL(struct xa_caction, date, DB_C_TEXT, "date"),
    DB_COL(struct xa_caction, verdict, DB_C_TEXT, "verdict"),
    DB_COL(struct xa_caction, level, DB_C_INT64, "level"),
    DB_COL(struct xa_caction, by, DB_C_TEXT0, "by_name"),
    DB_COL(struct xa_caction, note, DB_C_TEXT0, "note"),
    DB_COL(struct xa_caction, notice, DB_C_TEXT, "notice"),
};
static const struct db_rowtype act_row = DB_ROWTYPE(struct xa_caction, act_cols);

void xa_cactions_free(struct xa_caction *v, size_t n)
{
    db_rows_free(&act_row, v, n);
}

xa_code xa_cstore_action_add(xa_cstore *s, const struct xa_caction *a, xa_err *err)
{
    char now[XA_RFC3339_MAX];
    const char *at = a->at;
    int64_t epoch = a->at_epoch;
    if (!at) {
        int off;
        cs_now_text(now);
        at = now;
        if (xa_time_parse(at, &epoch, &off, err) != XA_OK)
            return XA_EFORMAT;
    }
    return db_exec(s->db, NULL,
                   "INSERT INTO hazard_actions (id, hazard, kind, at, at_epoch, date, verdict,"
                   " level, by_name, note, notice)"
                   " SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                   " FROM hazard_actions",
                   DB_ARGS(db_text(a->hazard), db_text(a->kind), db_text(at), db_int(epoch),
                           db_text(a->date), db_text(a->verdict), db_int(a->level),
                           db_text(a->by ? a->by : ""), db_text(a->note ? a->note : ""),
                           db_text(a->notice)),
                   NULL, err);
}

xa_code xa_cstore_actions(xa_cstore *s, const char *hazard, struct xa_caction **out, size_t *n,
                          xa_err *err)
{
    if (hazard)
        return cs_list(s, &act_row,
                       "FROM hazard_actions WHERE hazard = ? ORDER BY hazard, at_epoch, id",
                       DB_ARGS(db_text(hazard)), out, n, err);
    return cs_list(s, &act_row, "FROM hazard_actions ORDER BY hazard, at_epoch, id", DB_NOARGS,
                   out, n, err);
}

/* ---- field events ------------------------------------------------------------------------ */

static const struct db_col field_cols[] = {
    DB_COL(struct xa_cfield, hazard, DB_C_TEXT0, "e.hazard"),
    DB_COL(struct xa_cfield, visit, DB_C_TEXT0, "e.visit"),
    DB_COL(struct xa_cfield, kind, DB_C_TEXT0, "e.kind"),
    DB_COL(struct xa_cfield, verdict, DB_C_TEXT, "e.verdict"),
    DB_COL(struct xa_cfield, at, DB_C_TEXT0, "e.at"),
    DB_COL(struct xa_cfield, at_epoch, DB_C_INT64, "e.at_epoch"),
    DB_COL(struct xa_cfield, inspector, DB_C_TEXT0, "e.inspector"),
    DB_COL(struct xa_cfield, inspector_name, DB_C_TEXT, "i.name"),
    DB_COL(struct xa_cfield, note, DB_C_TEXT0, "e.note"),
    DB_COL(struct xa_cfield, school, DB_C_TEXT0, "v.school"),
};
static const struct db_rowtype field_row = DB_ROWTYPE(struct xa_cfield, field_cols);

#define FIELD_FROM                                            \
    "FROM hazard_events e JOIN visits v ON v.id = e.visit" \
    " LEFT JOIN inspectors i ON i.fingerprint = e.inspector"

void xa_cfields_free(struct xa_cfield *v, size_t n)
{
    db_rows_free(&field_row, v, n);
}

xa_code xa_cstore_field_events(xa_cstore *s, const char *hazard, struct xa_cfield **out,
                               size_t *n, xa_err *err)
{
    if (hazard)
        return cs_list(s, &field_row,
                       FIELD_FROM " WHERE e.hazard = ?"
                                  " ORDER BY e.hazard, e.at_epoch, e.kind, e.visit",
                       DB_ARGS(db_text(hazard)), out, n, err);
    return cs_list(s, &field_row, FIELD_FROM " ORDER BY e.hazard, e.at_epoch, e.kind, e.visit",
                   DB_NOARGS, out, n, err);
}

/* A follow-up next to the hazard it names: the hazard's columns are NULL
 * (and known 0) when the store does not have it. */
static const struct db_col fcheck_cols[] = {
    DB_COL(struct xa_cfcheck, hazard, DB_C_TEXT0, "e.hazard"),
    DB_COL(struct xa_cfcheck, visit, DB_C_TEXT0, "e.visit"),
    DB_COL(struct xa_cfcheck, inspector, DB_C_TEXT0, "e.inspector"),
    DB_COL(struct xa_cfcheck, at, DB_C_TEXT0, "e.at"),
    DB_COL(struct xa_cfcheck, at_epoch, DB_C_INT64, "e.at_epoch"),
    DB_COL(struct xa_cfcheck, school, DB_C_TEXT0, "v.school"),
    DB_COL(struct xa_cfcheck, known, DB_C_INT, "CASE WHEN h.school IS NULL THEN 0 ELSE 1 END"),
    DB_COL(struct xa_cfcheck, hazard_school, DB_C_TEXT, "h.school"),
    DB_COL(struct xa_cfcheck, hazard_found, DB_C_TEXT, "h.found"),
    DB_COL(struct xa_cfcheck, hazard_found_at, DB_C_INT64, "h.found_at"),
    DB_COL(struct xa_cfcheck, hazard_visit, DB_C_TEXT, "h.visit"),
};
static const struct db_rowtype fcheck_row = DB_ROWTYPE(struct xa_cfcheck, fcheck_cols);

#define FCHECK_FROM                                                                 \
    "FROM hazard_events e JOIN visits v ON v.id = e.visit"                          \
    " LEFT JOIN hazards h ON h.id = e.hazard"

void xa_cfchecks_free(struct xa_cfcheck *v, size_t n)
{
    db_rows_free(&fcheck_row, v, n);
}

xa_code xa_cstore_followup_checks(xa_cstore *s, struct xa_cfcheck **out, size_t *n, xa_err *err)
{
    return cs_list(s, &fcheck_row, FCHECK_FROM " WHERE e.kind = ? ORDER BY e.hazard, e.visit",
                   DB_ARGS(db_text(XA_EV_FOLLOWUP)), out, n, err);
}

xa_code xa_cstore_followup_checks_of(xa_cstore *s, const char *hazard, struct xa_cfcheck **out,
                                     size_t *n, xa_err *err)
{
    return cs_list(s, &fcheck_row,
                   FCHECK_FROM " WHERE e.hazard = ? AND e.kind = ? ORDER BY e.visit",
                   DB_ARGS(db_text(hazard), db_text(XA_EV_FOLLOWUP)), out, n, err);
}

xa_code xa_cstore_anomaly_ids(xa_cstore *s, const char *kind, char ***ids, size_t *n,
                              xa_err *err)
{
    return strings(s, "SELECT id FROM anomalies WHERE kind = ? ORDER BY id",
                   DB_ARGS(db_text(kind)), 0, ids, n, err);
}

xa_code xa_cstore_anomaly_del(xa_cstore *s, const char *id, xa_err *err)
{
    return db_exec(s->db, NULL, "DELETE FROM anomalies WHERE id = ?", DB_ARGS(db_text(id)), NULL,
                   err);
}

static const struct db_col meta_cols[] = {
    DB_COL(struct xa_chmeta, hazard, DB_C_TEXT0, "h.id"),
    DB_COL(struct xa_chmeta, kind, DB_C_TEXT0, "v.kind"),
    DB_COL(struct xa_chmeta, version, DB_C_INT64, "COALESCE(vf.version, 0)"),
};
static const struct db_rowtype meta_row = DB_ROWTYPE(struct xa_chmeta, meta_cols);

void xa_chmetas_free(struct xa_chmeta *v, size_t n)
{
    db_rows_free(&meta_row, v, n);
}

xa_code xa_cstore_hazard_meta(xa_cstore *s, struct xa_chmeta **out, size_t *n, xa_err *err)
{
    return cs_list(s, &meta_row,
                   "FROM hazards h JOIN visits v ON v.id = h.visit"
                   " LEFT JOIN visit_forms vf ON vf.visit = h.visit AND vf.form = h.form"
                   " ORDER BY h.id",
                   DB_NOARGS, out, n, err);
}

/* ---- notices ------------------------------------------------------------------------------- */

static const struct db_col notice_cols[] = {
    DB_COL(struct xa_cnotice, number, DB_C_TEXT0, "number"),
    DB_COL(struct xa_cnotice, year, DB_C_INT64, "year"),
    DB_COL(struct xa_cnotice, seq, DB_C_INT64, "seq"),
    DB_COL(struct xa_cnotice, school, DB_C_TEXT0, "school"),
    DB_COL(struct xa_cnotice, issued, DB_C_TEXT0, "issued"),
    DB_COL(struct xa_cnotice, doc, DB_C_TEXT0, "doc"),
    DB_COL(struct xa_cnotice, created, DB_C_TEXT0, "created"),
};
static const struct db_rowtype notice_row = DB_ROWTYPE(struct xa_cnotice, notice_cols);

xa_code xa_cstore_notice_next(xa_cstore *s, int64_t year, int64_t *seq, xa_err *err)
{
    return cs_int(s, "SELECT COALESCE(MAX(seq), 0) + 1 FROM notices WHERE year = ?",
                  DB_ARGS(db_int(year)), seq, err);
}

xa_code xa_cstore_notice_add(xa_cstore *s, const struct xa_cnotice *nt, char *const *hazards,
                             size_t nhazards, xa_err *err)
{
    char now[XA_RFC3339_MAX];
    cs_now_text(now);
    xa_code c = db_exec(s->db, NULL,
                        "INSERT INTO notices (number, year, seq, school, issued, doc, created)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        DB_ARGS(db_text(nt->number), db_int(nt->year), db_int(nt->seq),
                                db_text(nt->school), db_text(nt->issued), db_text(nt->doc),
                                db_text(now)),
                        NULL, err);
    for (size_t i = 0; i < nhazards && c == XA_OK; i++)
        c = db_exec(s->db, NULL,
                    "INSERT INTO notice_hazards (notice, hazard, position) VALUES (?, ?, ?)",
                    DB_ARGS(db_text(nt->number), db_text(hazards[i]), db_int((int64_t)(i + 1))),
                    NULL, err);
    return c;
}

xa_code xa_cstore_notice_get(xa_cstore *s, const char *number, struct xa_cnotice *out,
                             xa_err *err)
{
    return cs_get(s, &notice_row, "FROM notices WHERE number = ?", number,
                  "unknown notice '%s'", out, err);
}

void xa_cnotice_free(struct xa_cnotice *nt)
{
    db_row_clear(&notice_row, nt);
}

xa_code xa_cstore_notice_number(xa_cstore *s, int64_t year, int64_t seq, char **number,
                                xa_err *err)
{
    char **ids = NULL;
    size_t n = 0;
    *number = NULL;
    xa_code c = strings(s, "SELECT number FROM notices WHERE year = ? AND seq = ?",
                        DB_ARGS(db_int(year), db_int(seq)), 1, &ids, &n, err);
    if (c == XA_OK && n)
        *number = ids[0];
    free(ids);
    return c;
}

xa_code xa_cstore_notice_hazards(xa_cstore *s, const char *number, char ***ids, size_t *n,
                                 xa_err *err)
{
    return strings(s, "SELECT hazard FROM notice_hazards WHERE notice = ? ORDER BY position",
                   DB_ARGS(db_text(number)), 0, ids, n, err);
}

xa_code xa_cstore_noticed(xa_cstore *s, char ***ids, size_t *n, xa_err *err)
{
    return strings(s, "SELECT DISTINCT hazard FROM notice_hazards ORDER BY hazard", DB_NOARGS, 0,
                   ids, n, err);
}

/* ---- visits ---------------------------------------------------------------------------- */

xa_code xa_cstore_visit_find(xa_cstore *s, const char *text, size_t max, char ***ids, size_t *n,
                             xa_err *err)
{
    *ids = NULL;
    *n = 0;
    if (!hexish(text, 4))
        return XA_OK;
    return ids_by_prefix(s, "SELECT id FROM visits WHERE id = ? OR id LIKE ? ORDER BY id", text,
                         max, ids, n, err);
}

/* One lookup for every command that takes a visit id or its prefix: the
 * notice's --visit and central attachments answer alike. */
xa_code xa_cstore_visit_one(xa_cstore *s, const char *text, char **id, xa_err *err)
{
    char **ids = NULL;
    size_t n = 0;
    *id = NULL;
    xa_code c = xa_cstore_visit_find(s, text, 2, &ids, &n, err);
    if (c != XA_OK)
        return c;
    if (n == 1) {
        *id = ids[0];
        ids[0] = NULL;
    } else if (n == 0) {
        c = xa_fail(err, XA_ENOTFOUND, "unknown visit '%s'", text);
    } else {
        c = xa_fail(err, XA_EUSAGE, "'%s' names more than one visit: give more of the id", text);
    }
    xa_strv_free(ids, n);
    return c;
}

/* Ids of the visits whose signed record lists attachments, sorted: a text
 * match on the canonical record ("attachments":[{), so a ledger parses only
 * the records that have some; an inspector's only (through the visits'
 * inspector index) for that inspector's brief. */
xa_code xa_cstore_visits_with_attachments(xa_cstore *s, const char *inspector, char ***ids,
                                          size_t *n, xa_err *err)
{
    if (inspector)
        return strings(s,
                       "SELECT id FROM visits WHERE inspector = ?"
                       " AND instr(record, '\"attachments\":[{') > 0 ORDER BY id",
                       DB_ARGS(db_text(inspector)), 0, ids, n, err);
    return strings(s,
                   "SELECT id FROM visits WHERE instr(record, '\"attachments\":[{') > 0"
                   " ORDER BY id",
                   DB_NOARGS, 0, ids, n, err);
}

xa_code xa_cstore_visit_get(xa_cstore *s, const char *id, struct xa_cvisit **out, xa_err *err)
{
    size_t n = 0;
    xa_code c = cs_list(s, &cs_visit_row, "FROM visits WHERE id = ?", DB_ARGS(db_text(id)), out,
                        &n, err);
    if (c == XA_OK && n == 0) {
        xa_cvisits_free(*out, 0);
        *out = NULL;
        c = xa_fail(err, XA_ENOTFOUND, "unknown visit '%s'", id);
    }
    return c;
}

char *xa_cstore_inspector_name(xa_cstore *s, const char *fingerprint)
{
    char *name = NULL;
    if (cs_text(s, "SELECT name FROM inspectors WHERE fingerprint = ?", fingerprint, &name,
                NULL) != XA_OK)
        return NULL;
    return name;
}
