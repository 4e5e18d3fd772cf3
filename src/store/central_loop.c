/* central_loop.c — the rectification loop's rows in the central store:
 * registration numbers and interim measures (hazard_registry), the office's
 * actions (hazard_actions), notices (notices, notice_hazards), and the
 * queries the loop derives states from (field events with their visit's
 * school, follow-ups next to the hazards they name).  Migration 2. */
#include "central_internal.h"

#include <stdarg.h>

#include "xiaoan/clock.h"
#include "xiaoan/loopstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "lq.h"

/* ---- registration numbers ---------------------------------------------------- */

static void read_reg(db_stmt *st, void *elem)
{
    struct xa_creg *r = elem;
    r->hazard = lq_col0(st, 0);
    r->number = lq_col0(st, 1);
    r->county = lq_col0(st, 2);
    r->year = lq_int(st, 3);
    r->seq = lq_int(st, 4);
    r->interim = lq_col0(st, 5);
    r->registered = lq_col0(st, 6);
}

void xa_creg_free(struct xa_creg *r)
{
    if (!r)
        return;
    free(r->hazard);
    free(r->number);
    free(r->county);
    free(r->interim);
    free(r->registered);
    memset(r, 0, sizeof *r);
}

void xa_cregs_free(struct xa_creg *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        xa_creg_free(&v[i]);
    free(v);
}

static void drop_regs(void *v, size_t n) { xa_cregs_free(v, n); }

#define REG_COLS "hazard, number, county, year, seq, interim, registered"

xa_code xa_cstore_reg_get(xa_cstore *s, const char *hazard, struct xa_creg *out, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err, "SELECT " REG_COLS " FROM hazard_registry WHERE hazard = ?",
                         "s", hazard);
    if (c != XA_OK)
        return c;
    int row = 0;
    memset(out, 0, sizeof *out);
    if ((c = lq_step(s, st, &row, err)) == XA_OK) {
        if (row)
            read_reg(st, out);
        else
            c = xa_fail(err, XA_ENOTFOUND, "hazard %s has no registration number", hazard);
    }
    lq_release(s, st);
    return c;
}

xa_code xa_cstore_regs(xa_cstore *s, struct xa_creg **out, size_t *n, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT " REG_COLS " FROM hazard_registry ORDER BY hazard", NULL);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = lq_rows(s, st, sizeof **out, read_reg, drop_regs, &v, n, err)) == XA_OK)
        *out = v;
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
    return xa_cstore_hazard_register_new(s, hazard, county, year, interim, number, err);
}

xa_code xa_cstore_hazard_register_new(xa_cstore *s, const char *hazard, const char *county,
                                      int64_t year, const char *interim, char **number,
                                      xa_err *err)
{
    xa_code c;
    db_stmt *st;
    if ((c = lq_query(s, &st, err,
                      "SELECT COALESCE(MAX(seq), 0) + 1 FROM hazard_registry"
                      " WHERE county = ? AND year = ?",
                      "si", county, year)) != XA_OK)
        return c;
    int row = 0;
    c = lq_step(s, st, &row, err);
    int64_t seq = row ? lq_int(st, 0) : 1;
    lq_release(s, st);
    if (c != XA_OK)
        return c;
    char *num = xa_asprintf("%s-%lld-%04lld", county, (long long)year, (long long)seq);
    char *now = lq_now();
    c = lq_exec(s, err,
                "INSERT INTO hazard_registry (" REG_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                "sssiiss", hazard, num, county, year, seq, interim ? interim : "", now);
    free(now);
    if (c == XA_OK && number)
        *number = num;
    else
        free(num);
    return c;
}

static void read_unreg(db_stmt *st, void *elem)
{
    struct xa_cunreg *u = elem;
    u->hazard = lq_col0(st, 0);
    u->county = lq_col0(st, 1);
    u->found = lq_col0(st, 2);
}

void xa_cunregs_free(struct xa_cunreg *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].hazard);
        free(v[i].county);
        free(v[i].found);
    }
    free(v);
}

static void drop_unregs(void *v, size_t n) { xa_cunregs_free(v, n); }

xa_code xa_cstore_unregistered(xa_cstore *s, struct xa_cunreg **out, size_t *n, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT h.id, v.county, h.found FROM hazards h"
                         " JOIN visits v ON v.id = h.visit"
                         " LEFT JOIN hazard_registry r ON r.hazard = h.id"
                         " WHERE r.hazard IS NULL ORDER BY h.found_at, h.id",
                         NULL);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = lq_rows(s, st, sizeof **out, read_unreg, drop_unregs, &v, n, err)) == XA_OK)
        *out = v;
    return c;
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

/* Collect the first column of a query's rows as strings (at most max). */
static xa_code strings(xa_cstore *s, db_stmt *st, size_t max, char ***ids, size_t *n,
                       xa_err *err)
{
    char **v = NULL;
    size_t k = 0;
    int row;
    xa_code c;
    while ((c = lq_step(s, st, &row, err)) == XA_OK && row) {
        if (k < max || max == 0) {
            v = xa_reallocarray(v, k + 1, sizeof *v);
            v[k++] = lq_col0(st, 0);
        }
    }
    lq_release(s, st);
    if (c != XA_OK) {
        xa_strv_free(v, k);
        return c;
    }
    *ids = v;
    *n = k;
    return XA_OK;
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

xa_code xa_cstore_hazard_find(xa_cstore *s, const char *text, size_t max, char ***ids,
                              size_t *n, xa_err *err)
{
    db_stmt *st;
    *ids = NULL;
    *n = 0;
    xa_code c = lq_query(s, &st, err,
                         "SELECT h.id FROM hazards h JOIN hazard_registry r ON r.hazard = h.id"
                         " WHERE r.number = ?",
                         "s", text);
    if (c != XA_OK || (c = strings(s, st, max, ids, n, err)) != XA_OK || *n > 0)
        return c;
    if (!hexish(text, 4))
        return XA_OK;
    char *l = lower(text);
    char *pat = xa_asprintf("%s%%", l);
    c = lq_query(s, &st, err, "SELECT id FROM hazards WHERE id = ? OR id LIKE ? ORDER BY id", "ss",
                 l, pat);
    if (c == XA_OK)
        c = strings(s, st, max, ids, n, err);
    free(pat);
    free(l);
    return c;
}

/* ---- office actions ------------------------------------------------------------------ */

#define ACT_COLS "id, hazard, kind, at, at_epoch, date, verdict, level, by_name, note, notice"

static void read_action(db_stmt *st, void *elem)
{
    struct xa_caction *a = elem;
    a->id = lq_int(st, 0);
    a->hazard = lq_col0(st, 1);
    a->kind = lq_col0(st, 2);
    a->at = lq_col0(st, 3);
    a->at_epoch = lq_int(st, 4);
    a->date = lq_col(st, 5);
    a->verdict = lq_col(st, 6);
    a->level = lq_int(st, 7);
    a->by = lq_col0(st, 8);
    a->note = lq_col0(st, 9);
    a->notice = lq_col(st, 10);
}

void xa_cactions_free(struct xa_caction *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].hazard);
        free(v[i].kind);
        free(v[i].at);
        free(v[i].date);
        free(v[i].verdict);
        free(v[i].by);
        free(v[i].note);
        free(v[i].notice);
    }
    free(v);
}

static void drop_actions(void *v, size_t n) { xa_cactions_free(v, n); }

xa_code xa_cstore_action_add(xa_cstore *s, const struct xa_caction *a, xa_err *err)
{
    char *now = a->at ? NULL : lq_now();
    const char *at = a->at ? a->at : now;
    int64_t epoch = a->at_epoch;
    if (!a->at) {
        int off;
        if (xa_time_parse(at, &epoch, &off, err) != XA_OK) {
            free(now);
            return XA_EFORMAT;
        }
    }
    xa_code c = lq_exec(s, err,
                        "INSERT INTO hazard_actions (" ACT_COLS ")"
                        " SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                        " FROM hazard_actions",
                        "sssississs", a->hazard, a->kind, at, epoch, a->date, a->verdict,
                        a->level, a->by ? a->by : "", a->note ? a->note : "", a->notice);
    free(now);
    return c;
}

xa_code xa_cstore_actions(xa_cstore *s, const char *hazard, struct xa_caction **out, size_t *n,
                          xa_err *err)
{
    db_stmt *st;
    xa_code c = hazard ? lq_query(s, &st, err,
                                  "SELECT " ACT_COLS " FROM hazard_actions WHERE hazard = ?"
                                  " ORDER BY hazard, at_epoch, id",
                                  "s", hazard)
                       : lq_query(s, &st, err,
                                  "SELECT " ACT_COLS " FROM hazard_actions"
                                  " ORDER BY hazard, at_epoch, id",
                                  NULL);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = lq_rows(s, st, sizeof **out, read_action, drop_actions, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

/* ---- field events ------------------------------------------------------------------------ */

#define FIELD_SQL                                                                         \
    "SELECT e.hazard, e.visit, e.kind, e.verdict, e.at, e.at_epoch, e.inspector, i.name," \
    " e.note, v.school FROM hazard_events e JOIN visits v ON v.id = e.visit"              \
    " LEFT JOIN inspectors i ON i.fingerprint = e.inspector"

static void read_field(db_stmt *st, void *elem)
{
    struct xa_cfield *f = elem;
    f->hazard = lq_col0(st, 0);
    f->visit = lq_col0(st, 1);
    f->kind = lq_col0(st, 2);
    f->verdict = lq_col(st, 3);
    f->at = lq_col0(st, 4);
    f->at_epoch = lq_int(st, 5);
    f->inspector = lq_col0(st, 6);
    f->inspector_name = lq_col(st, 7);
    f->note = lq_col0(st, 8);
    f->school = lq_col0(st, 9);
}

void xa_cfields_free(struct xa_cfield *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].hazard);
        free(v[i].visit);
        free(v[i].kind);
        free(v[i].verdict);
        free(v[i].at);
        free(v[i].inspector);
        free(v[i].inspector_name);
        free(v[i].note);
        free(v[i].school);
    }
    free(v);
}

static void drop_fields(void *v, size_t n) { xa_cfields_free(v, n); }

xa_code xa_cstore_field_events(xa_cstore *s, const char *hazard, struct xa_cfield **out,
                               size_t *n, xa_err *err)
{
    db_stmt *st;
    xa_code c = hazard ? lq_query(s, &st, err,
                                  FIELD_SQL " WHERE e.hazard = ?"
                                            " ORDER BY e.hazard, e.at_epoch, e.kind, e.visit",
                                  "s", hazard)
                       : lq_query(s, &st, err,
                                  FIELD_SQL " ORDER BY e.hazard, e.at_epoch, e.kind, e.visit",
                                  NULL);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = lq_rows(s, st, sizeof **out, read_field, drop_fields, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

static void read_fcheck(db_stmt *st, void *elem)
{
    struct xa_cfcheck *f = elem;
    f->hazard = lq_col0(st, 0);
    f->visit = lq_col0(st, 1);
    f->inspector = lq_col0(st, 2);
    f->at = lq_col0(st, 3);
    f->at_epoch = lq_int(st, 4);
    f->school = lq_col0(st, 5);
    f->known = db_col_text(st, 6) != NULL;
    f->hazard_school = lq_col(st, 6);
    f->hazard_found = lq_col(st, 7);
    f->hazard_found_at = lq_int(st, 8);
    f->hazard_visit = lq_col(st, 9);
}

void xa_cfchecks_free(struct xa_cfcheck *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].hazard);
        free(v[i].visit);
        free(v[i].inspector);
        free(v[i].at);
        free(v[i].school);
        free(v[i].hazard_school);
        free(v[i].hazard_found);
        free(v[i].hazard_visit);
    }
    free(v);
}

static void drop_fchecks(void *v, size_t n) { xa_cfchecks_free(v, n); }

xa_code xa_cstore_followup_checks(xa_cstore *s, struct xa_cfcheck **out, size_t *n, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT e.hazard, e.visit, e.inspector, e.at, e.at_epoch, v.school,"
                         " h.school, h.found, h.found_at, h.visit FROM hazard_events e"
                         " JOIN visits v ON v.id = e.visit LEFT JOIN hazards h ON h.id = e.hazard"
                         " WHERE e.kind = ? ORDER BY e.hazard, e.visit",
                         "s", XA_EV_FOLLOWUP);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = lq_rows(s, st, sizeof **out, read_fcheck, drop_fchecks, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

xa_code xa_cstore_followup_checks_of(xa_cstore *s, const char *hazard, struct xa_cfcheck **out,
                                     size_t *n, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT e.hazard, e.visit, e.inspector, e.at, e.at_epoch, v.school,"
                         " h.school, h.found, h.found_at, h.visit FROM hazard_events e"
                         " JOIN visits v ON v.id = e.visit LEFT JOIN hazards h ON h.id = e.hazard"
                         " WHERE e.hazard = ? AND e.kind = ? ORDER BY e.visit",
                         "ss", hazard, XA_EV_FOLLOWUP);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = lq_rows(s, st, sizeof **out, read_fcheck, drop_fchecks, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

xa_code xa_cstore_anomaly_ids(xa_cstore *s, const char *kind, char ***ids, size_t *n,
                              xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err, "SELECT id FROM anomalies WHERE kind = ? ORDER BY id", "s",
                         kind);
    if (c != XA_OK)
        return c;
    return strings(s, st, 0, ids, n, err);
}

xa_code xa_cstore_anomaly_del(xa_cstore *s, const char *id, xa_err *err)
{
    return lq_exec(s, err, "DELETE FROM anomalies WHERE id = ?", "s", id);
}

static void read_meta(db_stmt *st, void *elem)
{
    struct xa_chmeta *m = elem;
    m->hazard = lq_col0(st, 0);
    m->kind = lq_col0(st, 1);
    m->version = lq_int(st, 2);
}

void xa_chmetas_free(struct xa_chmeta *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].hazard);
        free(v[i].kind);
    }
    free(v);
}

static void drop_metas(void *v, size_t n) { xa_chmetas_free(v, n); }

xa_code xa_cstore_hazard_meta(xa_cstore *s, struct xa_chmeta **out, size_t *n, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT h.id, v.kind, COALESCE(vf.version, 0) FROM hazards h"
                         " JOIN visits v ON v.id = h.visit"
                         " LEFT JOIN visit_forms vf ON vf.visit = h.visit AND vf.form = h.form"
                         " ORDER BY h.id",
                         NULL);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = lq_rows(s, st, sizeof **out, read_meta, drop_metas, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

/* ---- notices ------------------------------------------------------------------------------- */

xa_code xa_cstore_notice_next(xa_cstore *s, int64_t year, int64_t *seq, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err, "SELECT COALESCE(MAX(seq), 0) + 1 FROM notices WHERE year = ?",
                         "i", year);
    if (c != XA_OK)
        return c;
    int row = 0;
    c = lq_step(s, st, &row, err);
    *seq = row ? lq_int(st, 0) : 1;
    lq_release(s, st);
    return c;
}

xa_code xa_cstore_notice_add(xa_cstore *s, const struct xa_cnotice *nt, char *const *hazards,
                             size_t nhazards, xa_err *err)
{
    char *now = lq_now();
    xa_code c = lq_exec(s, err,
                        "INSERT INTO notices (number, year, seq, school, issued, doc, created)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        "siissss", nt->number, nt->year, nt->seq, nt->school, nt->issued, nt->doc,
                        now);
    free(now);
    for (size_t i = 0; i < nhazards && c == XA_OK; i++)
        c = lq_exec(s, err,
                    "INSERT INTO notice_hazards (notice, hazard, position) VALUES (?, ?, ?)",
                    "ssi", nt->number, hazards[i], (int64_t)(i + 1));
    return c;
}

xa_code xa_cstore_notice_get(xa_cstore *s, const char *number, struct xa_cnotice *out,
                             xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT number, year, seq, school, issued, doc, created FROM notices"
                         " WHERE number = ?",
                         "s", number);
    if (c != XA_OK)
        return c;
    int row = 0;
    memset(out, 0, sizeof *out);
    if ((c = lq_step(s, st, &row, err)) == XA_OK) {
        if (row) {
            out->number = lq_col0(st, 0);
            out->year = lq_int(st, 1);
            out->seq = lq_int(st, 2);
            out->school = lq_col0(st, 3);
            out->issued = lq_col0(st, 4);
            out->doc = lq_col0(st, 5);
            out->created = lq_col0(st, 6);
        } else {
            c = xa_fail(err, XA_ENOTFOUND, "unknown notice '%s'", number);
        }
    }
    lq_release(s, st);
    return c;
}

void xa_cnotice_free(struct xa_cnotice *nt)
{
    if (!nt)
        return;
    free(nt->number);
    free(nt->school);
    free(nt->issued);
    free(nt->doc);
    free(nt->created);
    memset(nt, 0, sizeof *nt);
}

xa_code xa_cstore_notice_number(xa_cstore *s, int64_t year, int64_t seq, char **number,
                                xa_err *err)
{
    *number = NULL;
    db_stmt *st;
    xa_code c = lq_query(s, &st, err, "SELECT number FROM notices WHERE year = ? AND seq = ?",
                         "ii", year, seq);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = lq_step(s, st, &row, err)) == XA_OK && row)
        *number = lq_col0(st, 0);
    lq_release(s, st);
    return c;
}

xa_code xa_cstore_notice_hazards(xa_cstore *s, const char *number, char ***ids, size_t *n,
                                 xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT hazard FROM notice_hazards WHERE notice = ? ORDER BY position",
                         "s", number);
    if (c != XA_OK)
        return c;
    return strings(s, st, 0, ids, n, err);
}

xa_code xa_cstore_noticed(xa_cstore *s, char ***ids, size_t *n, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT DISTINCT hazard FROM notice_hazards ORDER BY hazard", NULL);
    if (c != XA_OK)
        return c;
    return strings(s, st, 0, ids, n, err);
}

/* ---- visits ------------------------------------------------------------------------------------ */

xa_code xa_cstore_visit_find(xa_cstore *s, const char *text, size_t max, char ***ids, size_t *n,
                             xa_err *err)
{
    *ids = NULL;
    *n = 0;
    if (!hexish(text, 4))
        return XA_OK;
    char *l = lower(text);
    char *pat = xa_asprintf("%s%%", l);
    db_stmt *st;
    xa_code c = lq_query(s, &st, err, "SELECT id FROM visits WHERE id = ? OR id LIKE ? ORDER BY id",
                         "ss", l, pat);
    if (c == XA_OK)
        c = strings(s, st, max, ids, n, err);
    free(pat);
    free(l);
    return c;
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
 * the records that have some. */
xa_code xa_cstore_visits_with_attachments(xa_cstore *s, char ***ids, size_t *n, xa_err *err)
{
    *ids = NULL;
    *n = 0;
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT id FROM visits WHERE instr(record, '\"attachments\":[{') > 0"
                         " ORDER BY id",
                         "");
    if (c == XA_OK)
        c = strings(s, st, 0, ids, n, err);
    return c;
}

static void read_visit_row(db_stmt *st, void *elem)
{
    struct xa_cvisit *x = elem;
    x->id = lq_col0(st, 0);
    x->inspector = lq_col0(st, 1);
    x->seq = lq_int(st, 2);
    x->prev = lq_col(st, 3);
    x->hash = lq_col0(st, 4);
    x->record = lq_col0(st, 5);
    x->school = lq_col0(st, 6);
    x->school_name = lq_col0(st, 7);
    x->county = lq_col0(st, 8);
    x->kind = lq_col0(st, 9);
    x->arrived = lq_col0(st, 10);
    x->arrived_at = lq_int(st, 11);
    x->sealed = lq_col0(st, 12);
    x->sealed_at = lq_int(st, 13);
    x->corrects = lq_col(st, 14);
    x->received = lq_col0(st, 15);
}

static void drop_visit_rows(void *v, size_t n) { xa_cvisits_free(v, n); }

xa_code xa_cstore_visit_get(xa_cstore *s, const char *id, struct xa_cvisit **out, xa_err *err)
{
    db_stmt *st;
    xa_code c = lq_query(s, &st, err,
                         "SELECT id, inspector, seq, prev, hash, record, school, school_name,"
                         " county, kind, arrived, arrived_at, sealed, sealed_at, corrects, received"
                         " FROM visits WHERE id = ?",
                         "s", id);
    if (c != XA_OK)
        return c;
    void *v;
    size_t n = 0;
    if ((c = lq_rows(s, st, sizeof **out, read_visit_row, drop_visit_rows, &v, &n, err)) != XA_OK)
        return c;
    if (n == 0) {
        xa_cvisits_free(v, 0);
        return xa_fail(err, XA_ENOTFOUND, "unknown visit '%s'", id);
    }
    *out = v;
    return XA_OK;
}

char *xa_cstore_inspector_name(xa_cstore *s, const char *fingerprint)
{
    db_stmt *st;
    if (lq_query(s, &st, NULL, "SELECT name FROM inspectors WHERE fingerprint = ?", "s",
                 fingerprint) != XA_OK)
        return NULL;
    int row = 0;
    char *name = NULL;
    if (lq_step(s, st, &row, NULL) == XA_OK && row)
        name = lq_col0(st, 0);
    lq_release(s, st);
    return name;
}
