/* central_assign.c — the central store's draws, assignments and their
 * teams, inspectors' home counties and schools' tiers (cstore_assign.h).
 * The tables come from the store's migration 2 (centralstore.c); rows are
 * read through their column tables (db.h). */
#include "central_internal.h"

#include "xiaoan/cstore_assign.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- draws ------------------------------------------------------------------------ */

static const struct db_col draw_cols[] = {
    DB_COL(struct xa_cdraw, id, DB_C_TEXT0, "id"),
    DB_COL(struct xa_cdraw, commitment, DB_C_TEXT0, "commitment"),
    DB_COL(struct xa_cdraw, seed, DB_C_SECRET, "seed"),
    DB_COL(struct xa_cdraw, plan_hash, DB_C_TEXT0, "plan_hash"),
    DB_COL(struct xa_cdraw, kind, DB_C_TEXT0, "kind"),
    DB_COL(struct xa_cdraw, created, DB_C_TEXT0, "created"),
    DB_COL(struct xa_cdraw, beacon, DB_C_TEXT, "beacon"),
    DB_COL(struct xa_cdraw, revealed, DB_C_TEXT, "revealed"),
};
static const struct db_rowtype draw_row = DB_ROWTYPE(struct xa_cdraw, draw_cols);

xa_code xa_cstore_draw_add(xa_cstore *s, const struct xa_cdraw *d, xa_err *err)
{
    return db_exec(s->db, NULL,
                   "INSERT INTO draws (id, commitment, seed, plan_hash, kind, created, beacon,"
                   " revealed) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                   DB_ARGS(db_text(d->id), db_text(d->commitment), db_text(d->seed),
                           db_text(d->plan_hash), db_text(d->kind), db_text(d->created)),
                   NULL, err);
}

xa_code xa_cstore_draw_get(xa_cstore *s, const char *id, struct xa_cdraw *out, xa_err *err)
{
    return cs_get(s, &draw_row, "FROM draws WHERE id = ?", id, "no draw %s in the store", out,
                  err);
}

xa_code xa_cstore_draw_reveal(xa_cstore *s, const char *id, const char *beacon, xa_err *err)
{
    char now[XA_RFC3339_MAX];
    cs_now_text(now);
    int64_t changed = 0;
    xa_code c = db_exec(s->db, NULL,
                        "UPDATE draws SET beacon = ?, revealed = ? WHERE id = ? AND revealed IS NULL",
                        DB_ARGS(db_text(beacon), db_text(now), db_text(id)), &changed, err);
    if (c == XA_OK && changed != 1)
        c = xa_fail(err, XA_ESTATE, "draw %s is unknown or revealed already", id);
    return c;
}

void xa_cdraw_clear(struct xa_cdraw *d)
{
    db_row_clear(&draw_row, d);
}

/* ---- assignments -------------------------------------------------------------------- */

xa_code xa_cstore_assign_add(xa_cstore *s, const struct xa_cassign *a, xa_err *err)
{
    xa_code c = db_exec(s->db, NULL,
                        "INSERT INTO assignments (id, draw, school, kind, due, forms, created,"
                        " visit, done, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
                        DB_ARGS(db_text(a->id), db_text(a->draw), db_text(a->school),
                                db_text(a->kind), db_text(a->due), db_text(a->forms),
                                db_text(a->created)),
                        NULL, err);
    for (size_t m = 0; m < a->nteam && c == XA_OK; m++)
        c = db_exec(s->db, NULL,
                    "INSERT INTO assignment_team (assignment, pos, inspector) VALUES (?, ?, ?)",
                    DB_ARGS(db_text(a->id), db_int((int64_t)m), db_text(a->team[m])), NULL, err);
    return c;
}

/* The columns of an assignment; the team is read by read_team. */
static const struct db_col assign_cols[] = {
    DB_COL(struct xa_cassign, id, DB_C_TEXT0, "a.id"),
    DB_COL(struct xa_cassign, draw, DB_C_TEXT0, "a.draw"),
    DB_COL(struct xa_cassign, school, DB_C_TEXT0, "a.school"),
    DB_COL(struct xa_cassign, kind, DB_C_TEXT0, "a.kind"),
    DB_COL(struct xa_cassign, due, DB_C_TEXT, "a.due"),
    DB_COL(struct xa_cassign, forms, DB_C_TEXT0, "a.forms"),
    DB_COL(struct xa_cassign, created, DB_C_TEXT0, "a.created"),
    DB_COL(struct xa_cassign, visit, DB_C_TEXT, "a.visit"),
    DB_COL(struct xa_cassign, done, DB_C_TEXT, "a.done"),
    DB_COL(struct xa_cassign, school_name, DB_C_TEXT0, "COALESCE(sc.name, a.school)"),
    DB_COL(struct xa_cassign, county, DB_C_TEXT0, "COALESCE(sc.county, '')"),
};
static const struct db_rowtype assign_row = DB_ROWTYPE(struct xa_cassign, assign_cols);

/* Fill the team (fingerprints and names) of one assignment. */
static xa_code read_team(xa_cstore *s, struct xa_cassign *a, xa_err *err)
{
    return cs_pairs(s,
                    "SELECT t.inspector, COALESCE(i.name, t.inspector) FROM assignment_team t"
                    " LEFT JOIN inspectors i ON i.fingerprint = t.inspector"
                    " WHERE t.assignment = ? ORDER BY t.pos",
                    DB_ARGS(db_text(a->id)), &a->team, &a->team_names, &a->nteam, err);
}

xa_code xa_cstore_assigns(xa_cstore *s, const char *inspector, int open_only,
                          struct xa_cassign **out, size_t *n, xa_err *err)
{
    struct xa_cassign *a;
    size_t k = 0;
    xa_code c = cs_list(
        s, &assign_row,
        "FROM assignments a LEFT JOIN schools sc ON sc.code = a.school"
        " WHERE (?1 IS NULL OR a.id IN (SELECT assignment FROM assignment_team WHERE inspector = ?1))"
        " AND (?2 = 0 OR a.visit IS NULL)"
        " ORDER BY a.due IS NULL, a.due, a.school, a.id",
        DB_ARGS(db_text(inspector), db_int(open_only)), &a, &k, err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < k && c == XA_OK; i++)
        c = read_team(s, &a[i], err);
    if (c != XA_OK) {
        xa_cassigns_free(a, k);
        return c;
    }
    *out = a;
    *n = k;
    return XA_OK;
}

xa_code xa_cstore_assign_visit(xa_cstore *s, const char *id, const char *visit,
                               const char *inspector, const char *school, const char *sealed,
                               int64_t sealed_at, int *known, int *in_team, xa_err *err)
{
    int64_t k = 0, t = 0;
    *known = *in_team = 0;
    xa_code c = cs_int(s, "SELECT COUNT(*) FROM assignments WHERE id = ?", DB_ARGS(db_text(id)),
                       &k, err);
    if (c == XA_OK && k)
        c = cs_int(s,
                   "SELECT COUNT(*) FROM assignment_team t JOIN assignments a"
                   " ON a.id = t.assignment WHERE t.assignment = ? AND t.inspector = ?"
                   " AND a.school = ?",
                   DB_ARGS(db_text(id), db_text(inspector), db_text(school)), &t, err);
    *known = k > 0;
    *in_team = t > 0;
    if (c != XA_OK || !*known || !*in_team)
        return c;
    /* The earliest (sealed_at, visit) of the visits naming it wins, so the
     * result does not depend on the order bundles were merged in. */
    return db_exec(s->db, NULL,
                   "UPDATE assignments SET visit = ?1, done = ?2, done_at = ?3 WHERE id = ?4"
                   " AND (visit IS NULL OR done_at > ?3 OR (done_at = ?3 AND visit > ?1))",
                   DB_ARGS(db_text(visit), db_text(sealed), db_int(sealed_at), db_text(id)), NULL,
                   err);
}

void xa_cassign_clear(struct xa_cassign *a)
{
    if (!a)
        return;
    xa_strv_free(a->team, a->nteam);
    xa_strv_free(a->team_names, a->team_names ? a->nteam : 0);
    db_row_clear(&assign_row, a);
}

void xa_cassigns_free(struct xa_cassign *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        xa_cassign_clear(&v[i]);
    free(v);
}

/* ---- inspectors' counties, schools' tiers ------------------------------------------- */

xa_code xa_cstore_inspector_county_set(xa_cstore *s, const char *fingerprint, const char *county,
                                       xa_err *err)
{
    int64_t changed = 0;
    xa_code c = db_exec(s->db, NULL, "UPDATE inspectors SET county = ? WHERE fingerprint = ?",
                        DB_ARGS(db_text(county), db_text(fingerprint)), &changed, err);
    if (c == XA_OK && changed != 1)
        c = xa_fail(err, XA_ENOTFOUND, "inspector %s is not enrolled", fingerprint);
    return c;
}

xa_code xa_cstore_inspector_county(xa_cstore *s, const char *fingerprint, char **county,
                                   xa_err *err)
{
    db_stmt *st;
    int row;
    *county = NULL;
    xa_code c = db_first(s->db, &st, &row, NULL,
                         "SELECT county FROM inspectors WHERE fingerprint = ?",
                         DB_ARGS(db_text(fingerprint)), err);
    if (c != XA_OK)
        return c;
    const char *v = row ? db_col_text(st, 0) : NULL;
    if (v)
        *county = xa_strdup(v);
    db_release(st);
    if (!row)
        c = xa_fail(err, XA_ENOTFOUND, "inspector %s is not enrolled", fingerprint);
    return c;
}

xa_code xa_cstore_school_tier_set(xa_cstore *s, const char *code, const char *tier, xa_err *err)
{
    return db_exec(s->db, NULL, "UPDATE schools SET tier = ? WHERE code = ?",
                   DB_ARGS(db_text(tier), db_text(code)), NULL, err);
}

xa_code xa_cstore_school_tiers(xa_cstore *s, char ***codes, char ***tiers, size_t *n,
                               xa_err *err)
{
    return cs_pairs(s, "SELECT code, tier FROM schools ORDER BY code", DB_NOARGS, codes, tiers, n,
                    err);
}
