/* central_rows.c — the merged data of the central store: bundles, visits
 * and their decoded rows (answers, hazards, hazard events), anomalies,
 * quarantine, briefs sent, the report queries and the content digest.
 * Each row struct is one table of columns (DB_COL): the generic reader and
 * free of db.c do the rest, and the SELECT lists come from the tables. */
#include "central_internal.h"

#include "xiaoan/clock.h"
#include "xiaoan/ids.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ---- bundles ---------------------------------------------------------------------- */

/* A bundle (the table as "b"; central_visits.c joins it to bundle_visits). */
static const struct db_col bundle_cols[] = {
    DB_COL(struct xa_cbundle, hash, DB_C_TEXT0, "b.hash"),
    DB_COL(struct xa_cbundle, sender, DB_C_TEXT0, "b.sender"),
    DB_COL(struct xa_cbundle, seq, DB_C_INT64, "b.seq"),
    DB_COL(struct xa_cbundle, prev, DB_C_TEXT, "b.prev"),
    DB_COL(struct xa_cbundle, created, DB_C_TEXT0, "b.created"),
    DB_COL(struct xa_cbundle, created_at, DB_C_INT64, "b.created_at"),
    DB_COL(struct xa_cbundle, file, DB_C_TEXT0, "b.file"),
    DB_COL(struct xa_cbundle, visits, DB_C_INT64, "b.visits"),
    DB_COL(struct xa_cbundle, received, DB_C_TEXT0, "b.received"),
    DB_COL(struct xa_cbundle, content, DB_C_TEXT, "b.content"),
};
const struct db_rowtype cs_bundle_row = DB_ROWTYPE(struct xa_cbundle, bundle_cols);

xa_code xa_cstore_bundle_known(xa_cstore *s, const char *hash, int *yes, xa_err *err)
{
    return cs_exists(s, "SELECT 1 FROM bundles WHERE hash = ?", hash, yes, err);
}

xa_code xa_cstore_bundle_by_content(xa_cstore *s, const char *content, char hash[65], int *yes,
                                    xa_err *err)
{
    db_stmt *st;
    int row;
    hash[0] = '\0';
    *yes = 0;
    xa_code c = db_first(s->db, &st, &row, NULL, "SELECT hash FROM bundles WHERE content = ?",
                         DB_ARGS(db_text(content)), err);
    if (c != XA_OK)
        return c;
    if (row) {
        const char *h = db_col_text(st, 0);
        snprintf(hash, 65, "%s", h ? h : "");
        *yes = 1;
    }
    db_release(st);
    return XA_OK;
}

xa_code xa_cstore_bundle_add(xa_cstore *s, const struct xa_cbundle *b, xa_err *err)
{
    return db_exec(s->db, NULL,
                   "INSERT INTO bundles (hash, sender, seq, prev, created, created_at, file,"
                   " visits, received, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT DO NOTHING",
                   DB_ARGS(db_text(b->hash), db_text(b->sender), db_int(b->seq),
                           db_text(b->prev), db_text(b->created), db_int(b->created_at),
                           db_text(b->file), db_int(b->visits), db_text(b->received),
                           db_text(b->content)),
                   NULL, err);
}

xa_code xa_cstore_bundles(xa_cstore *s, const char *sender, struct xa_cbundle **out, size_t *n,
                          xa_err *err)
{
    if (sender)
        return cs_list(s, &cs_bundle_row,
                       "FROM bundles b WHERE b.sender = ? ORDER BY b.sender, b.seq, b.hash",
                       DB_ARGS(db_text(sender)), out, n, err);
    return cs_list(s, &cs_bundle_row, "FROM bundles b ORDER BY b.sender, b.seq, b.hash",
                   DB_NOARGS, out, n, err);
}

void xa_cbundles_free(struct xa_cbundle *v, size_t n)
{
    db_rows_free(&cs_bundle_row, v, n);
}

/* Link a visit to a bundle.  A visit carried by several bundles (a split
 * export repeats its record) keeps its findings under the first of them by
 * (seq, hash), whichever arrived first, so every merge order gives the same
 * rows.  A finding names the first of the bundles linked so far (it is made
 * with the visit's first bundle and moved by each later link), so the first
 * of them all is the earlier of that one and this one: found through the
 * findings' visit index, without looking for the visit's other bundles
 * (bundle_visits has no index by visit). */
xa_code xa_cstore_bundle_visit(xa_cstore *s, const char *bundle, const char *visit, xa_err *err)
{
    int64_t changed = 0;
    xa_code c = db_exec(s->db, NULL,
                        "INSERT INTO bundle_visits (bundle, visit) VALUES (?, ?) "
                        "ON CONFLICT DO NOTHING",
                        DB_ARGS(db_text(bundle), db_text(visit)), &changed, err);
    if (c == XA_OK && changed)
        c = db_exec(s->db, NULL,
                    "UPDATE anomalies SET bundle = ?1 WHERE visit = ?2 AND bundle IS NOT NULL"
                    " AND kind <> 'conflict' AND (SELECT seq, hash FROM bundles WHERE hash = ?1)"
                    " < (SELECT seq, hash FROM bundles WHERE hash = anomalies.bundle)",
                    DB_ARGS(db_text(bundle), db_text(visit)), NULL, err);
    return c;
}

/* The first link of a visit stored by this very merge: no anomaly can name
 * it with a bundle yet (they are added after this link, with this bundle),
 * so the re-pointing UPDATE above — a scan of the anomalies, which have no
 * index on visit — is not needed. */
xa_code xa_cstore_bundle_visit_new(xa_cstore *s, const char *bundle, const char *visit,
                                   xa_err *err)
{
    return db_exec(s->db, NULL,
                   "INSERT INTO bundle_visits (bundle, visit) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   DB_ARGS(db_text(bundle), db_text(visit)), NULL, err);
}

/* A list of strings is a row of one text column (named "visit" for
 * db_select on bundle_visits; db_rows reads any one-column query with it). */
static const struct db_col string_cols[] = {{"visit", DB_C_TEXT0, 0, sizeof(char *)}};
const struct db_rowtype cs_string_row = {sizeof(char *), string_cols, 1};

xa_code xa_cstore_bundle_visits(xa_cstore *s, const char *bundle, char ***ids, size_t *n,
                                xa_err *err)
{
    return cs_list(s, &cs_string_row, "FROM bundle_visits WHERE bundle = ? ORDER BY visit",
                   DB_ARGS(db_text(bundle)), ids, n, err);
}

/* ---- visits ------------------------------------------------------------------------- */

static const struct db_col visit_cols[] = {
    DB_COL(struct xa_cvisit, id, DB_C_TEXT0, "id"),
    DB_COL(struct xa_cvisit, inspector, DB_C_TEXT0, "inspector"),
    DB_COL(struct xa_cvisit, seq, DB_C_INT64, "seq"),
    DB_COL(struct xa_cvisit, prev, DB_C_TEXT, "prev"),
    DB_COL(struct xa_cvisit, hash, DB_C_TEXT0, "hash"),
    DB_COL(struct xa_cvisit, record, DB_C_TEXT0, "record"),
    DB_COL(struct xa_cvisit, school, DB_C_TEXT0, "school"),
    DB_COL(struct xa_cvisit, school_name, DB_C_TEXT0, "school_name"),
    DB_COL(struct xa_cvisit, county, DB_C_TEXT0, "county"),
    DB_COL(struct xa_cvisit, kind, DB_C_TEXT0, "kind"),
    DB_COL(struct xa_cvisit, arrived, DB_C_TEXT0, "arrived"),
    DB_COL(struct xa_cvisit, arrived_at, DB_C_INT64, "arrived_at"),
    DB_COL(struct xa_cvisit, sealed, DB_C_TEXT0, "sealed"),
    DB_COL(struct xa_cvisit, sealed_at, DB_C_INT64, "sealed_at"),
    DB_COL(struct xa_cvisit, corrects, DB_C_TEXT, "corrects"),
    DB_COL(struct xa_cvisit, received, DB_C_TEXT0, "received"),
};
const struct db_rowtype cs_visit_row = DB_ROWTYPE(struct xa_cvisit, visit_cols);

xa_code xa_cstore_visit_hash(xa_cstore *s, const char *id, char **hash, xa_err *err)
{
    return cs_text(s, "SELECT hash FROM visits WHERE id = ?", id, hash, err);
}

xa_code xa_cstore_visit_hash_school(xa_cstore *s, const char *id, const char *school,
                                    char **hash, int *school_known, xa_err *err)
{
    db_stmt *st;
    int row;
    *hash = NULL;
    *school_known = 0;
    xa_code c = db_first(s->db, &st, &row, NULL,
                         "SELECT (SELECT hash FROM visits WHERE id = ?),"
                         " EXISTS (SELECT 1 FROM schools WHERE code = ?)",
                         DB_ARGS(db_text(id), db_text(school)), err);
    if (c != XA_OK)
        return c;
    if (row) {
        const char *h = db_col_text(st, 0);
        *hash = h ? xa_strdup(h) : NULL;
        *school_known = db_col_int(st, 1) != 0;
    }
    db_release(st);
    return XA_OK;
}

xa_code xa_cstore_visit_add(xa_cstore *s, const struct xa_cvisit *v, xa_err *err)
{
    return db_exec(s->db, NULL,
                   "INSERT INTO visits (id, inspector, seq, prev, hash, record, school,"
                   " school_name, county, kind, arrived, arrived_at, sealed, sealed_at, corrects,"
                   " received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   DB_ARGS(db_text(v->id), db_text(v->inspector), db_int(v->seq),
                           db_text(v->prev), db_text(v->hash), db_text(v->record),
                           db_text(v->school), db_text(v->school_name ? v->school_name : ""),
                           db_text(v->county ? v->county : ""), db_text(v->kind),
                           db_text(v->arrived), db_int(v->arrived_at), db_text(v->sealed),
                           db_int(v->sealed_at), db_text(v->corrects), db_text(v->received)),
                   NULL, err);
}

xa_code xa_cstore_visit_form_add(xa_cstore *s, const char *visit, const char *form,
                                 int64_t version, const char *hash, xa_err *err)
{
    return db_exec(s->db, NULL,
                   "INSERT INTO visit_forms (visit, form, version, hash) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT DO NOTHING",
                   DB_ARGS(db_text(visit), db_text(form), db_int(version), db_text(hash)), NULL,
                   err);
}

xa_code xa_cstore_visits(xa_cstore *s, const char *inspector, struct xa_cvisit **out, size_t *n,
                         xa_err *err)
{
    if (inspector)
        return cs_list(s, &cs_visit_row, "FROM visits WHERE inspector = ? ORDER BY arrived_at, id",
                       DB_ARGS(db_text(inspector)), out, n, err);
    return cs_list(s, &cs_visit_row, "FROM visits ORDER BY arrived_at, id", DB_NOARGS, out, n, err);
}

void xa_cvisits_free(struct xa_cvisit *v, size_t n)
{
    db_rows_free(&cs_visit_row, v, n);
}

/* One link of a chain: seq, id, prev, hash (a bundle's id is its hash). */
static const struct db_col link_cols[] = {
    DB_COL(struct xa_clink, seq, DB_C_INT64, "seq"),
    DB_COL(struct xa_clink, id, DB_C_TEXT0, "id"),
    DB_COL(struct xa_clink, prev, DB_C_TEXT, "prev"),
    DB_COL(struct xa_clink, hash, DB_C_TEXT0, "hash"),
};
static const struct db_rowtype link_row = DB_ROWTYPE(struct xa_clink, link_cols);
static const struct db_col bundle_link_cols[] = {
    DB_COL(struct xa_clink, seq, DB_C_INT64, "seq"),
    DB_COL(struct xa_clink, id, DB_C_TEXT0, "hash"),
    DB_COL(struct xa_clink, prev, DB_C_TEXT, "prev"),
    DB_COL(struct xa_clink, hash, DB_C_TEXT0, "hash"),
};
static const struct db_rowtype bundle_link_row = DB_ROWTYPE(struct xa_clink, bundle_link_cols);

xa_code xa_cstore_visit_chain(xa_cstore *s, const char *inspector, struct xa_clink **out,
                              size_t *n, xa_err *err)
{
    return cs_list(s, &link_row, "FROM visits WHERE inspector = ? ORDER BY seq, id",
                   DB_ARGS(db_text(inspector)), out, n, err);
}

xa_code xa_cstore_bundle_chain(xa_cstore *s, const char *sender, struct xa_clink **out,
                               size_t *n, xa_err *err)
{
    return cs_list(s, &bundle_link_row, "FROM bundles WHERE sender = ? ORDER BY seq, hash",
                   DB_ARGS(db_text(sender)), out, n, err);
}

/* The links of a chain (table t, owner column who) from the nearest seq below
 * lo to the nearest above hi, both included when there is one. */
static xa_code chain_near(xa_cstore *s, const struct db_rowtype *t, const char *rest,
                          const char *who, int64_t lo, int64_t hi, struct xa_clink **out,
                          size_t *n, xa_err *err)
{
    return cs_list(s, t, rest,
                   DB_ARGS(db_text(who), db_text(who), db_int(lo), db_int(lo), db_text(who),
                           db_int(hi), db_int(hi)),
                   out, n, err);
}

xa_code xa_cstore_visit_chain_near(xa_cstore *s, const char *inspector, int64_t lo, int64_t hi,
                                   struct xa_clink **out, size_t *n, xa_err *err)
{
    return chain_near(s, &link_row,
                      "FROM visits WHERE inspector = ? AND seq BETWEEN"
                      " coalesce((SELECT max(seq) FROM visits WHERE inspector = ? AND seq < ?), ?)"
                      " AND coalesce((SELECT min(seq) FROM visits WHERE inspector = ? AND seq > ?),"
                      " ?) ORDER BY seq, id",
                      inspector, lo, hi, out, n, err);
}

xa_code xa_cstore_bundle_chain_near(xa_cstore *s, const char *sender, int64_t lo, int64_t hi,
                                    struct xa_clink **out, size_t *n, xa_err *err)
{
    return chain_near(s, &bundle_link_row,
                      "FROM bundles WHERE sender = ? AND seq BETWEEN"
                      " coalesce((SELECT max(seq) FROM bundles WHERE sender = ? AND seq < ?), ?)"
                      " AND coalesce((SELECT min(seq) FROM bundles WHERE sender = ? AND seq > ?),"
                      " ?) ORDER BY seq, hash",
                      sender, lo, hi, out, n, err);
}

void xa_clinks_free(struct xa_clink *v, size_t n)
{
    db_rows_free(&link_row, v, n);
}

/* The answers insert for 1, 4 or 16 rows: one statement for many rows
 * spends the statement's fixed cost (bind, step, reset) once a batch.  It
 * pays because a visit's answers sit together in both B-trees: a statement
 * of several rows makes SQLite keep a statement journal (a copy of every
 * page it touches, to undo the statement alone), which costs little for
 * two or three pages but about three times the CPU of single inserts when
 * the rows have random keys (events, hazards: one INSERT each). */
#define ANSWER_ROW "(?, ?, ?, ?, ?, ?, ?, ?)"
#define ANSWER_ROWS4 ANSWER_ROW ", " ANSWER_ROW ", " ANSWER_ROW ", " ANSWER_ROW
#define ANSWER_ROWS16 ANSWER_ROWS4 ", " ANSWER_ROWS4 ", " ANSWER_ROWS4 ", " ANSWER_ROWS4
#define ANSWER_INSERT(rows)                                                                  \
    "INSERT INTO answers (visit, form, code, result, value, text, note, location) VALUES " rows \
    " ON CONFLICT DO NOTHING"

xa_code xa_cstore_answers_add(xa_cstore *s, const struct xa_canswer *a, size_t n, xa_err *err)
{
    struct db_arg args[16 * 8];
    xa_code c = XA_OK;
    while (n && c == XA_OK) {
        size_t k = n >= 16 ? 16 : n >= 4 ? 4 : 1;
        for (size_t i = 0; i < k; i++) {
            struct db_arg *r = &args[i * 8];
            r[0] = db_text(a[i].visit);
            r[1] = db_text(a[i].form);
            r[2] = db_text(a[i].code);
            r[3] = db_text(a[i].result);
            r[4] = db_int_or_null(a[i].value, a[i].has_value);
            r[5] = db_text(a[i].text);
            r[6] = db_text(a[i].note ? a[i].note : "");
            r[7] = db_text(a[i].location ? a[i].location : "");
        }
        const char *sql = k == 16  ? ANSWER_INSERT(ANSWER_ROWS16)
                          : k == 4 ? ANSWER_INSERT(ANSWER_ROWS4)
                                   : ANSWER_INSERT(ANSWER_ROW);
        c = db_exec(s->db, NULL, sql, args, k * 8, NULL, err);
        a += k;
        n -= k;
    }
    return c;
}

/* ---- hazards and events ------------------------------------------------------------------ */

/* A hazard with its school, county and inspector names (HAZARD_FROM). */
static const struct db_col hazard_cols[] = {
    DB_COL(struct xa_chazard, id, DB_C_TEXT0, "h.id"),
    DB_COL(struct xa_chazard, visit, DB_C_TEXT0, "h.visit"),
    DB_COL(struct xa_chazard, inspector, DB_C_TEXT0, "h.inspector"),
    DB_COL(struct xa_chazard, school, DB_C_TEXT0, "h.school"),
    DB_COL(struct xa_chazard, form, DB_C_TEXT0, "h.form"),
    DB_COL(struct xa_chazard, code, DB_C_TEXT0, "h.code"),
    DB_COL(struct xa_chazard, category, DB_C_TEXT0, "h.category"),
    DB_COL(struct xa_chazard, severity, DB_C_TEXT0, "h.severity"),
    DB_COL(struct xa_chazard, description, DB_C_TEXT0, "h.description"),
    DB_COL(struct xa_chazard, location, DB_C_TEXT0, "h.location"),
    DB_COL(struct xa_chazard, requirement, DB_C_TEXT0, "h.requirement"),
    DB_COL(struct xa_chazard, deadline, DB_C_TEXT0, "h.deadline"),
    DB_COL(struct xa_chazard, responsible, DB_C_TEXT0, "h.responsible"),
    DB_COL(struct xa_chazard, measures, DB_C_TEXT0, "h.measures"),
    DB_COL(struct xa_chazard, notes, DB_C_TEXT0, "h.notes"),
    DB_COL(struct xa_chazard, rectified_on_site, DB_C_INT, "h.rectified_on_site"),
    DB_COL(struct xa_chazard, found, DB_C_TEXT0, "h.found"),
    DB_COL(struct xa_chazard, found_at, DB_C_INT64, "h.found_at"),
    DB_COL(struct xa_chazard, state, DB_C_TEXT0, "h.state"),
    DB_COL(struct xa_chazard, closed, DB_C_TEXT, "h.closed"),
    DB_COL(struct xa_chazard, closed_at, DB_C_INT64, "h.closed_at"),
    DB_COL(struct xa_chazard, rechecks, DB_C_INT64, "h.rechecks"),
    DB_COL(struct xa_chazard, last_check, DB_C_TEXT, "h.last_check"),
    DB_COL(struct xa_chazard, last_verdict, DB_C_TEXT, "h.last_verdict"),
    DB_COL(struct xa_chazard, last_checker, DB_C_TEXT, "h.last_checker"),
    DB_COL(struct xa_chazard, school_name, DB_C_TEXT0, "COALESCE(sc.name, v.school_name)"),
    DB_COL(struct xa_chazard, county, DB_C_TEXT0, "COALESCE(sc.county, v.county)"),
    DB_COL(struct xa_chazard, inspector_name, DB_C_TEXT0, "i.name"),
    DB_COL(struct xa_chazard, last_checker_name, DB_C_TEXT, "ic.name"),
};
static const struct db_rowtype hazard_row = DB_ROWTYPE(struct xa_chazard, hazard_cols);
/* The hazards table's own columns: the first 25 of hazard_cols (no joins). */
static const struct db_rowtype hazard_own_row = {sizeof(struct xa_chazard), hazard_cols, 25};
#define HAZARD_FROM                                                \
    "FROM hazards h JOIN visits v ON v.id = h.visit"               \
    " LEFT JOIN schools sc ON sc.code = h.school"                  \
    " LEFT JOIN inspectors i ON i.fingerprint = h.inspector"       \
    " LEFT JOIN inspectors ic ON ic.fingerprint = h.last_checker"

xa_code cs_hazard_insert(xa_cstore *s, const struct xa_chazard *h, const struct cs_number *number,
                         int *added, xa_err *err)
{
    /* one statement: a hazard already there is left as it is; the derived
     * fields as given (state NULL: open, nothing derived yet); the
     * registration in the same row (migration 7) */
    int64_t changes = 0;
    int st = h->state != NULL;
    const struct cs_number *n = number;
#define Z(x) db_text((x) ? (x) : "")
    xa_code c = db_exec(s->db, NULL,
                "INSERT INTO hazards (id, visit, inspector, school, form, code, category,"
                " severity, description, location, requirement, deadline, responsible,"
                " measures, notes, rectified_on_site, found, found_at, state, closed, closed_at,"
                " rechecks, last_check, last_verdict, last_checker, number, number_county,"
                " number_year, number_seq, interim, registered)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                DB_ARGS(db_text(h->id), db_text(h->visit), db_text(h->inspector),
                        db_text(h->school), Z(h->form), Z(h->code), Z(h->category),
                        Z(h->severity), Z(h->description), Z(h->location), Z(h->requirement),
                        Z(h->deadline), Z(h->responsible), Z(h->measures), Z(h->notes),
                        db_int(!!h->rectified_on_site), db_text(h->found), db_int(h->found_at),
                        db_text(st ? h->state : XA_HSTATE_OPEN), db_text(st ? h->closed : NULL),
                        db_int_or_null(h->closed_at, st && h->closed),
                        db_int(st ? h->rechecks : 0), db_text(st ? h->last_check : NULL),
                        db_text(st ? h->last_verdict : NULL),
                        db_text(st ? h->last_checker : NULL), db_text(n ? n->number : NULL),
                        db_text(n ? n->county : NULL), db_int_or_null(n ? n->year : 0, n != NULL),
                        db_int_or_null(n ? n->seq : 0, n != NULL),
                        db_text(n ? (n->interim ? n->interim : "") : NULL),
                        db_text(n ? n->registered : NULL)),
                &changes, err);
#undef Z
    if (c == XA_OK && added)
        *added = changes > 0;
    return c;
}

xa_code xa_cstore_hazard_add(xa_cstore *s, const struct xa_chazard *h, int *added, xa_err *err)
{
    return cs_hazard_insert(s, h, NULL, added, err);
}

xa_code xa_cstore_hazard_has_events(xa_cstore *s, const char *id, int *yes, xa_err *err)
{
    return cs_exists(s, "SELECT 1 FROM hazard_events WHERE hazard = ? LIMIT 1", id, yes, err);
}

xa_code xa_cstore_hazard_visit(xa_cstore *s, const char *id, char **visit, xa_err *err)
{
    return cs_text(s, "SELECT visit FROM hazards WHERE id = ?", id, visit, err);
}

xa_code xa_cstore_hazard_set_state(xa_cstore *s, const struct xa_chazard *h, xa_err *err)
{
    return db_exec(s->db, NULL,
                   "UPDATE hazards SET state = ?, closed = ?, closed_at = ?, rechecks = ?,"
                   " last_check = ?, last_verdict = ?, last_checker = ? WHERE id = ?",
                   DB_ARGS(db_text(h->state), db_text(h->closed),
                           db_int_or_null(h->closed_at, h->closed != NULL), db_int(h->rechecks),
                           db_text(h->last_check), db_text(h->last_verdict),
                           db_text(h->last_checker), db_text(h->id)),
                   NULL, err);
}

xa_code xa_cstore_hazard_get(xa_cstore *s, const char *id, struct xa_chazard *out, xa_err *err)
{
    return cs_get(s, &hazard_row, HAZARD_FROM " WHERE h.id = ?", id, "no hazard %s", out, err);
}

xa_code xa_cstore_hazard_own(xa_cstore *s, const char *id, struct xa_chazard *out, xa_err *err)
{
    return cs_get(s, &hazard_own_row, "FROM hazards h WHERE h.id = ?", id, "no hazard %s", out,
                  err);
}

xa_code xa_cstore_hazards(xa_cstore *s, const char *county, const char *state,
                          struct xa_chazard **out, size_t *n, xa_err *err)
{
#define ORDER " ORDER BY h.found_at, h.id"
    if (county && state)
        return cs_list(s, &hazard_row,
                       HAZARD_FROM " WHERE COALESCE(sc.county, v.county) = ? AND h.state = ?" ORDER,
                       DB_ARGS(db_text(county), db_text(state)), out, n, err);
    if (county)
        return cs_list(s, &hazard_row, HAZARD_FROM " WHERE COALESCE(sc.county, v.county) = ?" ORDER,
                       DB_ARGS(db_text(county)), out, n, err);
    if (state)
        return cs_list(s, &hazard_row, HAZARD_FROM " WHERE h.state = ?" ORDER,
                       DB_ARGS(db_text(state)), out, n, err);
    return cs_list(s, &hazard_row, HAZARD_FROM ORDER, DB_NOARGS, out, n, err);
#undef ORDER
}

xa_code xa_cstore_hazards_each(xa_cstore *s, const char *county, const char *state,
                               int (*fn)(const struct xa_chazard *h, void *ctx), void *ctx,
                               xa_err *err)
{
    db_stmt *st;
    xa_code c = db_select(s->db, &st, &hazard_row,
                          HAZARD_FROM " WHERE (?1 IS NULL OR COALESCE(sc.county, v.county) = ?1)"
                                      " AND (?2 IS NULL OR h.state = ?2) ORDER BY h.found_at, h.id",
                          DB_ARGS(db_text(county), db_text(state)), err);
    if (c != XA_OK)
        return c;
    int row = 1, stop = 0;
    while (!stop && (c = db_step(st, &row, err)) == XA_OK && row) {
        struct xa_chazard h;
        db_read(st, &hazard_row, &h);
        stop = fn(&h, ctx);
        xa_chazard_clear(&h);
    }
    db_release(st);
    return c;
}

void xa_chazard_clear(struct xa_chazard *h)
{
    db_row_clear(&hazard_row, h);
}

void xa_chazards_free(struct xa_chazard *v, size_t n)
{
    db_rows_free(&hazard_row, v, n);
}

static const struct db_col event_cols[] = {
    DB_COL(struct xa_cevent, hazard, DB_C_TEXT0, "hazard"),
    DB_COL(struct xa_cevent, visit, DB_C_TEXT0, "visit"),
    DB_COL(struct xa_cevent, kind, DB_C_TEXT0, "kind"),
    DB_COL(struct xa_cevent, verdict, DB_C_TEXT, "verdict"),
    DB_COL(struct xa_cevent, at, DB_C_TEXT0, "at"),
    DB_COL(struct xa_cevent, at_epoch, DB_C_INT64, "at_epoch"),
    DB_COL(struct xa_cevent, inspector, DB_C_TEXT0, "inspector"),
    DB_COL(struct xa_cevent, note, DB_C_TEXT0, "note"),
};
static const struct db_rowtype event_row = DB_ROWTYPE(struct xa_cevent, event_cols);

xa_code xa_cstore_event_add(xa_cstore *s, const struct xa_cevent *e, xa_err *err)
{
    return db_exec(s->db, NULL,
                   "INSERT INTO hazard_events (hazard, visit, kind, verdict, at, at_epoch,"
                   " inspector, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                   DB_ARGS(db_text(e->hazard), db_text(e->visit), db_text(e->kind),
                           db_text(e->verdict), db_text(e->at), db_int(e->at_epoch),
                           db_text(e->inspector), db_text(e->note ? e->note : "")),
                   NULL, err);
}

xa_code xa_cstore_events(xa_cstore *s, const char *hazard, struct xa_cevent **out, size_t *n,
                         xa_err *err)
{
    return cs_list(s, &event_row,
                   "FROM hazard_events WHERE hazard = ? ORDER BY at_epoch, kind, visit",
                   DB_ARGS(db_text(hazard)), out, n, err);
}

void xa_cevents_free(struct xa_cevent *v, size_t n)
{
    db_rows_free(&event_row, v, n);
}

/* ---- anomalies and quarantine --------------------------------------------------------------- */

static const struct db_col anomaly_cols[] = {
    DB_COL(struct xa_canomaly, id, DB_C_TEXT0, "id"),
    DB_COL(struct xa_canomaly, kind, DB_C_TEXT0, "kind"),
    DB_COL(struct xa_canomaly, inspector, DB_C_TEXT, "inspector"),
    DB_COL(struct xa_canomaly, visit, DB_C_TEXT, "visit"),
    DB_COL(struct xa_canomaly, bundle, DB_C_TEXT, "bundle"),
    DB_COL(struct xa_canomaly, detail, DB_C_TEXT0, "detail"),
    DB_COL(struct xa_canomaly, detected, DB_C_TEXT0, "detected"),
};
const struct db_rowtype cs_anomaly_row = DB_ROWTYPE(struct xa_canomaly, anomaly_cols);

xa_code xa_cstore_anomaly_add(xa_cstore *s, const struct xa_canomaly *a, xa_err *err)
{
    char now[XA_RFC3339_MAX];
    cs_now_text(now);
    return db_exec(s->db, NULL,
                   "INSERT INTO anomalies (id, kind, inspector, visit, bundle, detail,"
                   " detected) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                   DB_ARGS(db_text(a->id), db_text(a->kind), db_text(a->inspector),
                           db_text(a->visit), db_text(a->bundle), db_text(a->detail),
                           db_text(a->detected ? a->detected : now)),
                   NULL, err);
}

xa_code xa_cstore_anomaly_clear(xa_cstore *s, const char *kind, const char *inspector,
                                xa_err *err)
{
    return db_exec(s->db, NULL, "DELETE FROM anomalies WHERE kind = ? AND inspector = ?",
                   DB_ARGS(db_text(kind), db_text(inspector)), NULL, err);
}

xa_code xa_cstore_anomaly_drop(xa_cstore *s, const char *id, xa_err *err)
{
    return db_exec(s->db, NULL, "DELETE FROM anomalies WHERE id = ?", DB_ARGS(db_text(id)), NULL,
                   err);
}

/* The drop for 1, 4 or 16 ids (the answers' batching: one statement's
 * fixed cost a batch). */
#define DROP_IDS4 "?, ?, ?, ?"
#define DROP_IDS16 DROP_IDS4 ", " DROP_IDS4 ", " DROP_IDS4 ", " DROP_IDS4
#define DROP_IN(ids) "DELETE FROM anomalies WHERE id IN (" ids ")"

xa_code xa_cstore_anomaly_drop_each(xa_cstore *s, char *const *ids, size_t n, xa_err *err)
{
    struct db_arg args[16];
    xa_code c = XA_OK;
    while (n && c == XA_OK) {
        size_t k = n >= 16 ? 16 : n >= 4 ? 4 : 1;
        for (size_t i = 0; i < k; i++)
            args[i] = db_text(ids[i]);
        const char *sql = k == 16 ? DROP_IN(DROP_IDS16) : k == 4 ? DROP_IN(DROP_IDS4) : DROP_IN("?");
        c = db_exec(s->db, NULL, sql, args, k, NULL, err);
        ids += k;
        n -= k;
    }
    return c;
}

xa_code xa_cstore_anomalies_resolve(xa_cstore *s, xa_err *err)
{
    xa_code c = db_exec(s->db, NULL,
                        "DELETE FROM anomalies WHERE kind = 'unknown-school' AND visit IN"
                        " (SELECT v.id FROM visits v JOIN schools sc ON sc.code = v.school)",
                        DB_NOARGS, NULL, err);
    if (c == XA_OK)
        c = db_exec(s->db, NULL,
                    "DELETE FROM anomalies WHERE kind = 'unknown-form' AND visit IS NOT NULL"
                    " AND NOT EXISTS (SELECT 1 FROM visit_forms vf WHERE vf.visit = anomalies.visit"
                    " AND NOT EXISTS (SELECT 1 FROM forms f WHERE f.id = vf.form"
                    " AND f.version = vf.version AND f.hash = vf.hash))",
                    DB_NOARGS, NULL, err);
    return c;
}

xa_code xa_cstore_anomalies(xa_cstore *s, struct xa_canomaly **out, size_t *n, xa_err *err)
{
    return cs_list(s, &cs_anomaly_row, "FROM anomalies ORDER BY inspector, kind, detail, id",
                   DB_NOARGS, out, n, err);
}

void xa_canomalies_free(struct xa_canomaly *v, size_t n)
{
    db_rows_free(&cs_anomaly_row, v, n);
}

static const struct db_col quarantine_cols[] = {
    DB_COL(struct xa_cquarantine, id, DB_C_TEXT0, "id"),
    DB_COL(struct xa_cquarantine, file, DB_C_TEXT0, "file"),
    DB_COL(struct xa_cquarantine, path, DB_C_TEXT0, "path"),
    DB_COL(struct xa_cquarantine, hash, DB_C_TEXT0, "hash"),
    DB_COL(struct xa_cquarantine, reason, DB_C_TEXT0, "reason"),
    DB_COL(struct xa_cquarantine, received, DB_C_TEXT0, "received"),
};
static const struct db_rowtype quarantine_row = DB_ROWTYPE(struct xa_cquarantine, quarantine_cols);

xa_code xa_cstore_quarantine_add(xa_cstore *s, const struct xa_cquarantine *q, xa_err *err)
{
    char now[XA_RFC3339_MAX];
    cs_now_text(now);
    return db_exec(s->db, NULL,
                   "INSERT INTO quarantine (id, file, path, hash, reason, received)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   DB_ARGS(db_text(q->id), db_text(q->file), db_text(q->path), db_text(q->hash),
                           db_text(q->reason), db_text(q->received ? q->received : now)),
                   NULL, err);
}

xa_code xa_cstore_quarantine(xa_cstore *s, struct xa_cquarantine **out, size_t *n, xa_err *err)
{
    return cs_list(s, &quarantine_row, "FROM quarantine ORDER BY received, id", DB_NOARGS, out, n,
                   err);
}

xa_code xa_cstore_quarantine_delete(xa_cstore *s, const char *id, xa_err *err)
{
    return db_exec(s->db, NULL, "DELETE FROM quarantine WHERE id = ?", DB_ARGS(db_text(id)),
                   NULL, err);
}

void xa_cquarantine_free(struct xa_cquarantine *v, size_t n)
{
    db_rows_free(&quarantine_row, v, n);
}

/* ---- briefs --------------------------------------------------------------------------------- */

xa_code xa_cstore_brief_last(xa_cstore *s, const char *inspector, int64_t *seq, char **prev,
                             xa_err *err)
{
    db_stmt *st;
    int row;
    *seq = 0;
    *prev = NULL;
    xa_code c = db_first(s->db, &st, &row, NULL,
                         "SELECT seq, hash FROM briefs WHERE inspector = ?"
                         " ORDER BY seq DESC, hash LIMIT 1",
                         DB_ARGS(db_text(inspector)), err);
    if (c != XA_OK)
        return c;
    if (row) {
        const char *h = db_col_text(st, 1);
        *seq = db_col_int(st, 0);
        *prev = xa_strdup(h ? h : "");
    }
    db_release(st);
    return XA_OK;
}

xa_code xa_cstore_brief_add(xa_cstore *s, const struct xa_cbrief *b, xa_err *err)
{
    return db_exec(s->db, NULL,
                   "INSERT INTO briefs (hash, inspector, seq, prev, created, file, schools, forms,"
                   " hazards, receipts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   DB_ARGS(db_text(b->hash), db_text(b->inspector), db_int(b->seq),
                           db_text(b->prev), db_text(b->created), db_text(b->file),
                           db_int(b->schools), db_int(b->forms), db_int(b->hazards),
                           db_int(b->receipts)),
                   NULL, err);
}

/* ---- reports ------------------------------------------------------------------------------------ */

/* A count grouped by two keys: columns a, b, COUNT(*) of the query. */
static const struct db_col count_cols[] = {
    DB_COL(struct xa_ccount, a, DB_C_TEXT0, "a"),
    DB_COL(struct xa_ccount, b, DB_C_TEXT0, "b"),
    DB_COL(struct xa_ccount, n, DB_C_INT64, "n"),
};
static const struct db_rowtype count_row = DB_ROWTYPE(struct xa_ccount, count_cols);

xa_code xa_cstore_count_visits(xa_cstore *s, struct xa_ccount **out, size_t *n, xa_err *err)
{
    return cs_list(s, &count_row,
                   "FROM (SELECT COALESCE(sc.county, v.county) AS a, v.kind AS b, COUNT(*) AS n"
                   " FROM visits v LEFT JOIN schools sc ON sc.code = v.school"
                   " GROUP BY COALESCE(sc.county, v.county), v.kind) t ORDER BY a, b",
                   DB_NOARGS, out, n, err);
}

xa_code xa_cstore_count_hazards(xa_cstore *s, struct xa_ccount **out, size_t *n, xa_err *err)
{
    return cs_list(s, &count_row,
                   "FROM (SELECT category AS a, severity AS b, COUNT(*) AS n FROM hazards"
                   " GROUP BY category, severity) t ORDER BY a, b",
                   DB_NOARGS, out, n, err);
}

void xa_ccounts_free(struct xa_ccount *v, size_t n)
{
    db_rows_free(&count_row, v, n);
}

/* A school with the time of its last visit; `last` is formatted after reading. */
static const struct db_col lastvisit_cols[] = {
    DB_COL(struct xa_clastvisit, code, DB_C_TEXT0, "sc.code"),
    DB_COL(struct xa_clastvisit, name, DB_C_TEXT0, "sc.name"),
    DB_COL(struct xa_clastvisit, county, DB_C_TEXT0, "sc.county"),
    DB_COL(struct xa_clastvisit, last_at, DB_C_INT64, "COALESCE(MAX(v.arrived_at), 0)"),
    /* COUNT(v.id) > 0 as a flag, read into `last` as NULL ("0" rows) or text */
    DB_COL(struct xa_clastvisit, last, DB_C_TEXT, "CASE WHEN COUNT(v.id) > 0 THEN '' END"),
};
static const struct db_rowtype lastvisit_row = DB_ROWTYPE(struct xa_clastvisit, lastvisit_cols);

xa_code xa_cstore_last_visits(xa_cstore *s, struct xa_clastvisit **out, size_t *n, xa_err *err)
{
    struct xa_clastvisit *v;
    xa_code c = cs_list(s, &lastvisit_row,
                        "FROM schools sc LEFT JOIN visits v ON v.school = sc.code"
                        " GROUP BY sc.code, sc.name, sc.county ORDER BY sc.county, sc.code",
                        DB_NOARGS, &v, n, err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < *n; i++) {
        char t[XA_RFC3339_MAX];
        xa_time_format(v[i].last_at, XA_CST_OFFSET, t);
        xa_cstore_str_set(&v[i].last, v[i].last ? t : NULL);
        if (!v[i].last)
            v[i].last_at = 0;
    }
    *out = v;
    return XA_OK;
}

void xa_clastvisits_free(struct xa_clastvisit *v, size_t n)
{
    db_rows_free(&lastvisit_row, v, n);
}
/* The tables, and which of their columns are times of receipt. */
struct digest_table {
    const char *table;
    const char *skip; /* comma-separated column names left out of the digest */
};
static const struct digest_table digest_tables[] = {
    {"settings", ""},
    {"office", ""},
    {"inspectors", ""},
    {"schools", ""},
    {"forms", "imported"},
    {"bundles", "received"},
    {"visits", "received"},
    {"bundle_visits", ""},
    {"visit_forms", ""},
    {"answers", ""},
    /* registration numbers follow the order hazards arrived in: not content */
    {"hazards", "number,number_seq,registered"},
    {"hazard_events", ""},
    {"anomalies", "detected"},
    {"briefs", ""},
    {"draws", "created,revealed"},
    {"assignments", "created"},
    {"assignment_team", ""},
    {"hazard_actions", ""},
    {"notices", "created"},
    {"notice_hazards", ""},
};

xa_code xa_cstore_inspector_visits(xa_cstore *s, const char *fingerprint, int64_t *n,
                                   xa_err *err)
{
    return cs_int(s, "SELECT COUNT(*) FROM visits WHERE inspector = ?",
                  DB_ARGS(db_text(fingerprint)), n, err);
}

xa_code xa_cstore_count(xa_cstore *s, const char *table, int64_t *n, xa_err *err)
{
    static const char *const known[] = {"audit", "quarantine"};
    int ok = 0;
    for (size_t i = 0; i < sizeof digest_tables / sizeof digest_tables[0]; i++)
        ok |= !strcmp(table, digest_tables[i].table);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ok |= !strcmp(table, known[i]);
    if (!ok)
        return xa_fail(err, XA_EUSAGE, "no table '%s'", table);
    char *sql = xa_asprintf("SELECT COUNT(*) FROM %s", table);
    xa_code c = cs_int(s, sql, DB_NOARGS, n, err);
    free(sql);
    return c;
}

/* Is name one of the comma-separated names in list? */
static int in_list(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        size_t l = strcspn(p, ",");
        if (l == len && !strncmp(p, name, len))
            return 1;
        p += l + (p[l] == ',');
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The digest over a list of tables. */
static xa_code digest_of(xa_cstore *s, const struct digest_table *tables, size_t ntables,
                         char out[65], xa_err *err)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    xa_code c = XA_OK;
    for (size_t t = 0; t < ntables && c == XA_OK; t++) {
        char *sql = xa_asprintf("SELECT * FROM %s", tables[t].table);
        db_stmt *st;
        c = db_query(s->db, &st, NULL, sql, DB_NOARGS, err);
        free(sql);
        if (c != XA_OK)
            break;
        size_t cap = 0, k = 0;
        char **rows = NULL;
        int row, ncol = db_col_count(st);
        while ((c = db_step(st, &row, err)) == XA_OK && row) {
            xa_buf b = XA_BUF_INIT;
            for (int i = 0; i < ncol; i++) {
                const char *name = db_col_name(st, i);
                if (in_list(tables[t].skip, name))
                    continue;
                enum db_type type = db_col_type(st, i);
                const char *text = db_col_text(st, i);
                /* length-prefixed so no value can imitate a separator */
                if (type == DB_NULL)
                    xa_buf_printf(&b, "%s=N;", name);
                else
                    xa_buf_printf(&b, "%s=%d:%zu:%s;", name, (int)type, strlen(text ? text : ""),
                                  text ? text : "");
            }
            if (k == cap) {
                cap = cap ? cap * 2 : 16;
                rows = xa_reallocarray(rows, cap, sizeof *rows);
            }
            rows[k++] = xa_buf_steal(&b);
        }
        db_release(st);
        if (c == XA_OK) {
            if (k)
                qsort(rows, k, sizeof *rows, cmp_str);
            char head[128];
            snprintf(head, sizeof head, "table %s %zu\n", tables[t].table, k);
            crypto_generichash_update(&h, (const unsigned char *)head, strlen(head));
            for (size_t i = 0; i < k; i++) {
                crypto_generichash_update(&h, (const unsigned char *)rows[i], strlen(rows[i]));
                crypto_generichash_update(&h, (const unsigned char *)"\n", 1);
            }
        }
        xa_strv_free(rows, k);
    }
    if (c != XA_OK)
        return c;
    unsigned char d[32];
    crypto_generichash_final(&h, d, sizeof d);
    xa_hex_encode(d, sizeof d, out);
    return XA_OK;
}

xa_code xa_cstore_digest(xa_cstore *s, char out[65], xa_err *err)
{
    return digest_of(s, digest_tables, sizeof digest_tables / sizeof digest_tables[0], out, err);
}

xa_code xa_cstore_digest_all(xa_cstore *s, char out[65], xa_err *err)
{
    enum { N = sizeof digest_tables / sizeof digest_tables[0] };
    struct digest_table all[N + 2];
    memcpy(all, digest_tables, sizeof digest_tables);
    all[N].table = "audit";
    all[N].skip = "id,at";
    all[N + 1].table = "quarantine";
    all[N + 1].skip = "id,path,received";
    return digest_of(s, all, N + 2, out, err);
}
