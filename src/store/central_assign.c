/* central_assign.c — the central store's draws, assignments and their
 * teams, inspectors' home counties and schools' tiers (cstore_assign.h).
 * The tables come from the store's migration 2 (centralstore.c). */
#include "central_internal.h"

#include "xiaoan/cstore_assign.h"

#include <sodium.h>

#include <stdlib.h>
#include <string.h>

/* ---- draws ------------------------------------------------------------------------ */

xa_code xa_cstore_draw_add(xa_cstore *s, const struct xa_cdraw *d, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO draws (id, commitment, seed, plan_hash, kind, created, beacon,"
                   " revealed) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                   "ssssss", d->id, d->commitment, d->seed, d->plan_hash, d->kind, d->created);
}

xa_code xa_cstore_draw_get(xa_cstore *s, const char *id, struct xa_cdraw *out, xa_err *err)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    xa_code c = cs_query(s, &st, err,
                         "SELECT id, commitment, seed, plan_hash, kind, created, beacon, revealed"
                         " FROM draws WHERE id = ?",
                         "s", id);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        out->id = cs_col0(st, 0);
        out->commitment = cs_col0(st, 1);
        out->seed = cs_col0(st, 2);
        out->plan_hash = cs_col0(st, 3);
        out->kind = cs_col0(st, 4);
        out->created = cs_col0(st, 5);
        out->beacon = cs_col(st, 6);
        out->revealed = cs_col(st, 7);
    } else if (c == XA_OK) {
        c = xa_fail(err, XA_ENOTFOUND, "no draw %s in the store", id);
    }
    cs_release(s, st);
    return c;
}

xa_code xa_cstore_draw_reveal(xa_cstore *s, const char *id, const char *beacon, xa_err *err)
{
    char *now = cs_now_text();
    xa_code c = cs_exec(s, err,
                        "UPDATE draws SET beacon = ?, revealed = ? WHERE id = ? AND revealed IS NULL",
                        "sss", beacon, now, id);
    free(now);
    if (c == XA_OK && sqlite3_changes(s->db) != 1)
        c = xa_fail(err, XA_ESTATE, "draw %s is unknown or revealed already", id);
    return c;
}

void xa_cdraw_free(struct xa_cdraw *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->commitment);
    if (d->seed) {
        sodium_memzero(d->seed, strlen(d->seed));
        free(d->seed);
    }
    free(d->plan_hash);
    free(d->kind);
    free(d->created);
    free(d->beacon);
    free(d->revealed);
    memset(d, 0, sizeof *d);
}

/* ---- assignments -------------------------------------------------------------------- */

xa_code xa_cstore_assign_add(xa_cstore *s, const struct xa_cassign *a, xa_err *err)
{
    xa_code c = cs_exec(s, err,
                        "INSERT INTO assignments (id, draw, school, kind, due, forms, created,"
                        " visit, done, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
                        "sssssss", a->id, a->draw, a->school, a->kind, a->due, a->forms,
                        a->created);
    for (size_t m = 0; m < a->nteam && c == XA_OK; m++)
        c = cs_exec(s, err,
                    "INSERT INTO assignment_team (assignment, pos, inspector) VALUES (?, ?, ?)",
                    "sis", a->id, (int64_t)m, a->team[m]);
    return c;
}

static void read_assign(sqlite3_stmt *st, void *elem)
{
    struct xa_cassign *a = elem;
    a->id = cs_col0(st, 0);
    a->draw = cs_col0(st, 1);
    a->school = cs_col0(st, 2);
    a->kind = cs_col0(st, 3);
    a->due = cs_col(st, 4);
    a->forms = cs_col0(st, 5);
    a->created = cs_col0(st, 6);
    a->visit = cs_col(st, 7);
    a->done = cs_col(st, 8);
    a->school_name = cs_col0(st, 9);
    a->county = cs_col0(st, 10);
}

static void drop_assigns(void *v, size_t n)
{
    xa_cassigns_free(v, n);
}

/* Fill the team (fingerprints and names) of one assignment. */
static xa_code read_team(xa_cstore *s, struct xa_cassign *a, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT t.inspector, COALESCE(i.name, t.inspector) FROM assignment_team t"
                         " LEFT JOIN inspectors i ON i.fingerprint = t.inspector"
                         " WHERE t.assignment = ? ORDER BY t.pos",
                         "s", a->id);
    if (c != XA_OK)
        return c;
    int row;
    while ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        a->team = xa_realloc(a->team, (a->nteam + 1) * sizeof *a->team);
        a->team_names = xa_realloc(a->team_names, (a->nteam + 1) * sizeof *a->team_names);
        a->team[a->nteam] = cs_col0(st, 0);
        a->team_names[a->nteam++] = cs_col0(st, 1);
    }
    cs_release(s, st);
    return c;
}

xa_code xa_cstore_assigns(xa_cstore *s, const char *inspector, int open_only,
                          struct xa_cassign **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(
        s, &st, err,
        "SELECT a.id, a.draw, a.school, a.kind, a.due, a.forms, a.created, a.visit, a.done,"
        " COALESCE(sc.name, a.school), COALESCE(sc.county, '') FROM assignments a"
        " LEFT JOIN schools sc ON sc.code = a.school"
        " WHERE (? IS NULL OR a.id IN (SELECT assignment FROM assignment_team WHERE inspector = ?))"
        " AND (? = 0 OR a.visit IS NULL)"
        " ORDER BY a.due IS NULL, a.due, a.school, a.id",
        "ssi", inspector, inspector, (int64_t)open_only);
    if (c != XA_OK)
        return c;
    void *v;
    size_t k = 0;
    if ((c = cs_rows(s, st, sizeof **out, read_assign, drop_assigns, &v, &k, err)) != XA_OK)
        return c;
    struct xa_cassign *a = v;
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
    sqlite3_stmt *st;
    *known = *in_team = 0;
    xa_code c = cs_query(s, &st, err,
                         "SELECT (SELECT COUNT(*) FROM assignments WHERE id = ?),"
                         " (SELECT COUNT(*) FROM assignment_team t JOIN assignments a"
                         " ON a.id = t.assignment WHERE t.assignment = ? AND t.inspector = ?"
                         " AND a.school = ?)",
                         "ssss", id, id, inspector, school);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        *known = cs_int(st, 0) > 0;
        *in_team = cs_int(st, 1) > 0;
    }
    cs_release(s, st);
    if (c != XA_OK || !*known || !*in_team)
        return c;
    /* The earliest (sealed_at, visit) of the visits naming it wins, so the
     * result does not depend on the order bundles were merged in. */
    return cs_exec(s, err,
                   "UPDATE assignments SET visit = ?, done = ?, done_at = ? WHERE id = ?"
                   " AND (visit IS NULL OR done_at > ? OR (done_at = ? AND visit > ?))",
                   "ssisiis", visit, sealed, sealed_at, id, sealed_at, sealed_at, visit);
}

void xa_cassign_free(struct xa_cassign *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->draw);
    free(a->school);
    free(a->kind);
    free(a->due);
    free(a->forms);
    free(a->created);
    free(a->visit);
    free(a->done);
    free(a->school_name);
    free(a->county);
    for (size_t m = 0; m < a->nteam; m++) {
        free(a->team[m]);
        if (a->team_names)
            free(a->team_names[m]);
    }
    free(a->team);
    free(a->team_names);
    memset(a, 0, sizeof *a);
}

void xa_cassigns_free(struct xa_cassign *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        xa_cassign_free(&v[i]);
    free(v);
}

/* ---- inspectors' counties, schools' tiers ------------------------------------------- */

xa_code xa_cstore_inspector_county_set(xa_cstore *s, const char *fingerprint, const char *county,
                                       xa_err *err)
{
    xa_code c = cs_exec(s, err, "UPDATE inspectors SET county = ? WHERE fingerprint = ?", "ss",
                        county, fingerprint);
    if (c == XA_OK && sqlite3_changes(s->db) != 1)
        c = xa_fail(err, XA_ENOTFOUND, "inspector %s is not enrolled", fingerprint);
    return c;
}

xa_code xa_cstore_inspector_county(xa_cstore *s, const char *fingerprint, char **county,
                                   xa_err *err)
{
    sqlite3_stmt *st;
    *county = NULL;
    xa_code c = cs_query(s, &st, err, "SELECT county FROM inspectors WHERE fingerprint = ?", "s",
                         fingerprint);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK && row)
        *county = cs_col(st, 0);
    else if (c == XA_OK)
        c = xa_fail(err, XA_ENOTFOUND, "inspector %s is not enrolled", fingerprint);
    cs_release(s, st);
    return c;
}

xa_code xa_cstore_school_tier_set(xa_cstore *s, const char *code, const char *tier, xa_err *err)
{
    return cs_exec(s, err, "UPDATE schools SET tier = ? WHERE code = ?", "ss", tier, code);
}

xa_code xa_cstore_school_tiers(xa_cstore *s, char ***codes, char ***tiers, size_t *n,
                               xa_err *err)
{
    sqlite3_stmt *st;
    *codes = *tiers = NULL;
    *n = 0;
    xa_code c = cs_query(s, &st, err, "SELECT code, tier FROM schools ORDER BY code", NULL);
    if (c != XA_OK)
        return c;
    int row;
    size_t k = 0;
    char **a = NULL, **b = NULL;
    while ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        a = xa_realloc(a, (k + 1) * sizeof *a);
        b = xa_realloc(b, (k + 1) * sizeof *b);
        a[k] = cs_col0(st, 0);
        b[k++] = cs_col0(st, 1);
    }
    cs_release(s, st);
    if (c != XA_OK) {
        xa_strv_free(a, k);
        xa_strv_free(b, k);
        return c;
    }
    *codes = a;
    *tiers = b;
    *n = k;
    return XA_OK;
}
