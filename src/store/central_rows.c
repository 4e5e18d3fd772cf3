/* central_rows.c — the merged data of the central store: bundles, visits
 * and their decoded rows (answers, hazards, hazard events), anomalies,
 * quarantine, briefs sent, the report queries and the content digest. */
#include "central_internal.h"

#include "xiaoan/clock.h"
#include "xiaoan/ids.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Grow an array by doubling (count k, capacity *cap). */
static void *grow(void *v, size_t k, size_t *cap, size_t size)
{
    if (k < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 16;
    return xa_realloc(v, *cap * size);
}

/* ---- bundles ---------------------------------------------------------------------- */

xa_code xa_cstore_bundle_known(xa_cstore *s, const char *hash, int *yes, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, "SELECT 1 FROM bundles WHERE hash = ?", "s", hash);
    if (c != XA_OK)
        return c;
    c = cs_step(s, st, yes, err);
    cs_release(s, st);
    return c;
}

xa_code xa_cstore_bundle_add(xa_cstore *s, const struct xa_cbundle *b, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO bundles (hash, sender, seq, prev, created, created_at, file,"
                   " visits, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT DO NOTHING",
                   "ssissisis", b->hash, b->sender, b->seq, b->prev, b->created, b->created_at,
                   b->file, b->visits, b->received);
}

/* One row of BUNDLE_SQL. */
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

/* xa_cbundles_free as a cs_drop_fn. */
static void drop_bundles(void *v, size_t n)
{
    xa_cbundles_free(v, n);
}

xa_code xa_cstore_bundles(xa_cstore *s, const char *sender, struct xa_cbundle **out, size_t *n,
                          xa_err *err)
{
    sqlite3_stmt *st;
#define BUNDLE_SQL \
    "SELECT hash, sender, seq, prev, created, created_at, file, visits, received FROM bundles"
    xa_code c = sender ? cs_query(s, &st, err,
                                  BUNDLE_SQL " WHERE sender = ? ORDER BY sender, seq, hash", "s",
                                  sender)
                       : cs_prep(s, BUNDLE_SQL " ORDER BY sender, seq, hash", &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_bundle, drop_bundles, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

void xa_cbundles_free(struct xa_cbundle *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].hash);
        free(v[i].sender);
        free(v[i].prev);
        free(v[i].created);
        free(v[i].file);
        free(v[i].received);
    }
    free(v);
}

xa_code xa_cstore_bundle_visit(xa_cstore *s, const char *bundle, const char *visit, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO bundle_visits (bundle, visit) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   "ss", bundle, visit);
}

/* The first column of a row as a string. */
static void read_string(sqlite3_stmt *st, void *elem)
{
    *(char **)elem = cs_col0(st, 0);
}

/* xa_strv_free as a cs_drop_fn. */
static void drop_strings(void *v, size_t n)
{
    xa_strv_free(v, n);
}

xa_code xa_cstore_bundle_visits(xa_cstore *s, const char *bundle, char ***ids, size_t *n,
                                xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT visit FROM bundle_visits WHERE bundle = ? ORDER BY visit", "s",
                         bundle);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **ids, read_string, drop_strings, &v, n, err)) == XA_OK)
        *ids = v;
    return c;
}

/* ---- visits ------------------------------------------------------------------------- */

xa_code xa_cstore_visit_hash(xa_cstore *s, const char *id, char **hash, xa_err *err)
{
    sqlite3_stmt *st;
    *hash = NULL;
    xa_code c = cs_query(s, &st, err, "SELECT hash FROM visits WHERE id = ?", "s", id);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK && row)
        *hash = cs_col0(st, 0);
    cs_release(s, st);
    return c;
}

#define VISIT_COLS                                                                          \
    "id, inspector, seq, prev, hash, record, school, school_name, county, kind, arrived," \
    " arrived_at, sealed, sealed_at, corrects, received"

xa_code xa_cstore_visit_add(xa_cstore *s, const struct xa_cvisit *v, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO visits (" VISIT_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                   " ?, ?, ?, ?, ?, ?)",
                   "ssissssssssisiss", v->id, v->inspector, v->seq, v->prev, v->hash, v->record,
                   v->school, v->school_name ? v->school_name : "", v->county ? v->county : "",
                   v->kind, v->arrived, v->arrived_at, v->sealed, v->sealed_at, v->corrects,
                   v->received);
}

xa_code xa_cstore_visit_form_add(xa_cstore *s, const char *visit, const char *form,
                                 int64_t version, const char *hash, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO visit_forms (visit, form, version, hash) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT DO NOTHING",
                   "ssis", visit, form, version, hash);
}

/* One row of VISIT_COLS. */
static void read_visit(sqlite3_stmt *st, void *elem)
{
    struct xa_cvisit *x = elem;
    x->id = cs_col0(st, 0);
    x->inspector = cs_col0(st, 1);
    x->seq = cs_int(st, 2);
    x->prev = cs_col(st, 3);
    x->hash = cs_col0(st, 4);
    x->record = cs_col0(st, 5);
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
}

/* xa_cvisits_free as a cs_drop_fn. */
static void drop_visits(void *v, size_t n)
{
    xa_cvisits_free(v, n);
}

xa_code xa_cstore_visits(xa_cstore *s, const char *inspector, struct xa_cvisit **out, size_t *n,
                         xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = inspector
                    ? cs_query(s, &st, err,
                               "SELECT " VISIT_COLS " FROM visits WHERE inspector = ?"
                               " ORDER BY arrived_at, id",
                               "s", inspector)
                    : cs_prep(s, "SELECT " VISIT_COLS " FROM visits ORDER BY arrived_at, id", &st,
                              err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_visit, drop_visits, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

void xa_cvisits_free(struct xa_cvisit *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        struct xa_cvisit *x = &v[i];
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
    }
    free(v);
}

/* One link of a chain: seq, id, prev, hash. */
static void read_link(sqlite3_stmt *st, void *elem)
{
    struct xa_clink *l = elem;
    l->seq = cs_int(st, 0);
    l->id = cs_col0(st, 1);
    l->prev = cs_col(st, 2);
    l->hash = cs_col0(st, 3);
}

/* xa_clinks_free as a cs_drop_fn. */
static void drop_links(void *v, size_t n)
{
    xa_clinks_free(v, n);
}

/* The chain of a prepared statement's rows. */
static xa_code links(xa_cstore *s, sqlite3_stmt *st, struct xa_clink **out, size_t *n,
                     xa_err *err)
{
    void *v;
    xa_code c = cs_rows(s, st, sizeof **out, read_link, drop_links, &v, n, err);
    if (c == XA_OK)
        *out = v;
    return c;
}

xa_code xa_cstore_visit_chain(xa_cstore *s, const char *inspector, struct xa_clink **out,
                              size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT seq, id, prev, hash FROM visits WHERE inspector = ?"
                         " ORDER BY seq, id",
                         "s", inspector);
    return c != XA_OK ? c : links(s, st, out, n, err);
}

xa_code xa_cstore_bundle_chain(xa_cstore *s, const char *sender, struct xa_clink **out,
                               size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT seq, hash, prev, hash FROM bundles WHERE sender = ?"
                         " ORDER BY seq, hash",
                         "s", sender);
    return c != XA_OK ? c : links(s, st, out, n, err);
}

void xa_clinks_free(struct xa_clink *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].prev);
        free(v[i].hash);
    }
    free(v);
}

xa_code xa_cstore_answer_add(xa_cstore *s, const struct xa_canswer *a, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO answers (visit, form, code, result, value, text, note, location)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                   "ssssIsss", a->visit, a->form, a->code, a->result, a->value, a->has_value,
                   a->text, a->note ? a->note : "", a->location ? a->location : "");
}

/* ---- hazards and events ------------------------------------------------------------------ */

xa_code xa_cstore_hazard_add(xa_cstore *s, const struct xa_chazard *h, int *added, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, "SELECT 1 FROM hazards WHERE id = ?", "s", h->id);
    if (c != XA_OK)
        return c;
    int row = 0;
    c = cs_step(s, st, &row, err);
    cs_release(s, st);
    if (c != XA_OK)
        return c;
    if (row) {
        if (added)
            *added = 0;
        return XA_OK;
    }
#define Z(x) ((x) ? (x) : "")
    c = cs_exec(s, err,
                "INSERT INTO hazards (id, visit, inspector, school, form, code, category,"
                " severity, description, location, requirement, deadline, responsible,"
                " measures, notes, rectified_on_site, found, found_at, state, rechecks)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 0)",
                "sssssssssssssssisi", h->id, h->visit, h->inspector, h->school, Z(h->form),
                Z(h->code), Z(h->category), Z(h->severity), Z(h->description), Z(h->location),
                Z(h->requirement), Z(h->deadline), Z(h->responsible), Z(h->measures),
                Z(h->notes), (int64_t)!!h->rectified_on_site, h->found, h->found_at);
#undef Z
    if (c == XA_OK && added)
        *added = 1;
    return c;
}

xa_code xa_cstore_hazard_visit(xa_cstore *s, const char *id, char **visit, xa_err *err)
{
    sqlite3_stmt *st;
    *visit = NULL;
    xa_code c = cs_query(s, &st, err, "SELECT visit FROM hazards WHERE id = ?", "s", id);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK && row)
        *visit = cs_col0(st, 0);
    cs_release(s, st);
    return c;
}

xa_code xa_cstore_hazard_set_state(xa_cstore *s, const struct xa_chazard *h, xa_err *err)
{
    return cs_exec(s, err,
                   "UPDATE hazards SET state = ?, closed = ?, closed_at = ?, rechecks = ?,"
                   " last_check = ?, last_verdict = ?, last_checker = ? WHERE id = ?",
                   "ssIissss", h->state, h->closed, h->closed_at, h->closed != NULL, h->rechecks,
                   h->last_check, h->last_verdict, h->last_checker, h->id);
}

#define HAZARD_SQL                                                                              \
    "SELECT h.id, h.visit, h.inspector, h.school, h.form, h.code, h.category, h.severity,"    \
    " h.description, h.location, h.requirement, h.deadline, h.responsible, h.measures,"       \
    " h.notes, h.rectified_on_site, h.found, h.found_at, h.state, h.closed, h.closed_at,"     \
    " h.rechecks, h.last_check, h.last_verdict, h.last_checker,"                              \
    " COALESCE(sc.name, v.school_name), COALESCE(sc.county, v.county), i.name, ic.name"       \
    " FROM hazards h JOIN visits v ON v.id = h.visit"                                         \
    " LEFT JOIN schools sc ON sc.code = h.school"                                             \
    " LEFT JOIN inspectors i ON i.fingerprint = h.inspector"                                  \
    " LEFT JOIN inspectors ic ON ic.fingerprint = h.last_checker"

/* One row of HAZARD_SQL. */
static void read_hazard(sqlite3_stmt *st, void *elem)
{
    struct xa_chazard *h = elem;
    h->id = cs_col0(st, 0);
    h->visit = cs_col0(st, 1);
    h->inspector = cs_col0(st, 2);
    h->school = cs_col0(st, 3);
    h->form = cs_col0(st, 4);
    h->code = cs_col0(st, 5);
    h->category = cs_col0(st, 6);
    h->severity = cs_col0(st, 7);
    h->description = cs_col0(st, 8);
    h->location = cs_col0(st, 9);
    h->requirement = cs_col0(st, 10);
    h->deadline = cs_col0(st, 11);
    h->responsible = cs_col0(st, 12);
    h->measures = cs_col0(st, 13);
    h->notes = cs_col0(st, 14);
    h->rectified_on_site = (int)cs_int(st, 15);
    h->found = cs_col0(st, 16);
    h->found_at = cs_int(st, 17);
    h->state = cs_col0(st, 18);
    h->closed = cs_col(st, 19);
    h->closed_at = cs_int(st, 20);
    h->rechecks = cs_int(st, 21);
    h->last_check = cs_col(st, 22);
    h->last_verdict = cs_col(st, 23);
    h->last_checker = cs_col(st, 24);
    h->school_name = cs_col0(st, 25);
    h->county = cs_col0(st, 26);
    h->inspector_name = cs_col0(st, 27);
    h->last_checker_name = cs_col(st, 28);
}

xa_code xa_cstore_hazard_get(xa_cstore *s, const char *id, struct xa_chazard *out, xa_err *err)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    xa_code c = cs_query(s, &st, err, HAZARD_SQL " WHERE h.id = ?", "s", id);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK) {
        if (row)
            read_hazard(st, out);
        else
            c = xa_fail(err, XA_ENOTFOUND, "no hazard %s", id);
    }
    cs_release(s, st);
    return c;
}

/* xa_chazards_free as a cs_drop_fn. */
static void drop_hazards(void *v, size_t n)
{
    xa_chazards_free(v, n);
}

xa_code xa_cstore_hazards(xa_cstore *s, const char *county, const char *state,
                          struct xa_chazard **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c;
    const char *order = " ORDER BY h.found_at, h.id";
    if (county && state)
        c = cs_query(s, &st, err,
                     HAZARD_SQL " WHERE COALESCE(sc.county, v.county) = ? AND h.state = ?"
                                " ORDER BY h.found_at, h.id",
                     "ss", county, state);
    else if (county)
        c = cs_query(s, &st, err,
                     HAZARD_SQL " WHERE COALESCE(sc.county, v.county) = ?"
                                " ORDER BY h.found_at, h.id",
                     "s", county);
    else if (state)
        c = cs_query(s, &st, err, HAZARD_SQL " WHERE h.state = ? ORDER BY h.found_at, h.id", "s",
                     state);
    else {
        char *sql = xa_asprintf("%s%s", HAZARD_SQL, order);
        c = cs_prep(s, sql, &st, err);
        free(sql);
    }
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_hazard, drop_hazards, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

xa_code xa_cstore_hazards_each(xa_cstore *s, const char *county, const char *state,
                               int (*fn)(const struct xa_chazard *h, void *ctx), void *ctx,
                               xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         HAZARD_SQL " WHERE (?1 IS NULL OR COALESCE(sc.county, v.county) = ?1)"
                                    " AND (?2 IS NULL OR h.state = ?2) ORDER BY h.found_at, h.id",
                         "ss", county, state);
    if (c != XA_OK)
        return c;
    int row = 1;
    while ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        struct xa_chazard h;
        memset(&h, 0, sizeof h);
        read_hazard(st, &h);
        int stop = fn(&h, ctx);
        xa_chazard_free(&h);
        if (stop)
            break;
    }
    cs_release(s, st);
    return c;
}

void xa_chazard_free(struct xa_chazard *h)
{
    if (!h)
        return;
    char **f[] = {&h->id,          &h->visit,        &h->inspector,    &h->school,
                  &h->form,        &h->code,         &h->category,     &h->severity,
                  &h->description, &h->location,     &h->requirement,  &h->deadline,
                  &h->responsible, &h->measures,     &h->notes,        &h->found,
                  &h->state,       &h->closed,       &h->last_check,   &h->last_verdict,
                  &h->last_checker, &h->school_name, &h->county,       &h->inspector_name,
                  &h->last_checker_name};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        free(*f[i]);
        *f[i] = NULL;
    }
}

void xa_chazards_free(struct xa_chazard *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        xa_chazard_free(&v[i]);
    free(v);
}

xa_code xa_cstore_event_add(xa_cstore *s, const struct xa_cevent *e, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO hazard_events (hazard, visit, kind, verdict, at, at_epoch,"
                   " inspector, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                   "sssssiss", e->hazard, e->visit, e->kind, e->verdict, e->at, e->at_epoch,
                   e->inspector, e->note ? e->note : "");
}

/* One hazard event row. */
static void read_event(sqlite3_stmt *st, void *elem)
{
    struct xa_cevent *e = elem;
    e->hazard = cs_col0(st, 0);
    e->visit = cs_col0(st, 1);
    e->kind = cs_col0(st, 2);
    e->verdict = cs_col(st, 3);
    e->at = cs_col0(st, 4);
    e->at_epoch = cs_int(st, 5);
    e->inspector = cs_col0(st, 6);
    e->note = cs_col0(st, 7);
}

/* xa_cevents_free as a cs_drop_fn. */
static void drop_events(void *v, size_t n)
{
    xa_cevents_free(v, n);
}

xa_code xa_cstore_events(xa_cstore *s, const char *hazard, struct xa_cevent **out, size_t *n,
                         xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT hazard, visit, kind, verdict, at, at_epoch, inspector, note"
                         " FROM hazard_events WHERE hazard = ? ORDER BY at_epoch, kind, visit",
                         "s", hazard);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_event, drop_events, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

void xa_cevents_free(struct xa_cevent *v, size_t n)
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
        free(v[i].note);
    }
    free(v);
}

/* ---- anomalies and quarantine --------------------------------------------------------------- */

xa_code xa_cstore_anomaly_add(xa_cstore *s, const struct xa_canomaly *a, xa_err *err)
{
    char *now = a->detected ? NULL : cs_now_text();
    xa_code c = cs_exec(s, err,
                        "INSERT INTO anomalies (id, kind, inspector, visit, bundle, detail,"
                        " detected) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        "sssssss", a->id, a->kind, a->inspector, a->visit, a->bundle, a->detail,
                        a->detected ? a->detected : now);
    free(now);
    return c;
}

xa_code xa_cstore_anomaly_clear(xa_cstore *s, const char *kind, const char *inspector,
                                xa_err *err)
{
    return cs_exec(s, err, "DELETE FROM anomalies WHERE kind = ? AND inspector = ?", "ss", kind,
                   inspector);
}

xa_code xa_cstore_anomalies_resolve(xa_cstore *s, xa_err *err)
{
    xa_code c = cs_exec(s, err,
                        "DELETE FROM anomalies WHERE kind = 'unknown-school' AND visit IN"
                        " (SELECT v.id FROM visits v JOIN schools sc ON sc.code = v.school)",
                        NULL);
    if (c == XA_OK)
        c = cs_exec(s, err,
                    "DELETE FROM anomalies WHERE kind = 'unknown-form' AND visit IS NOT NULL"
                    " AND NOT EXISTS (SELECT 1 FROM visit_forms vf WHERE vf.visit = anomalies.visit"
                    " AND NOT EXISTS (SELECT 1 FROM forms f WHERE f.id = vf.form"
                    " AND f.version = vf.version AND f.hash = vf.hash))",
                    NULL);
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

/* xa_canomalies_free as a cs_drop_fn. */
static void drop_anomalies(void *v, size_t n)
{
    xa_canomalies_free(v, n);
}

xa_code xa_cstore_anomalies(xa_cstore *s, struct xa_canomaly **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s,
                        "SELECT id, kind, inspector, visit, bundle, detail, detected FROM anomalies"
                        " ORDER BY inspector, kind, detail, id",
                        &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_anomaly, drop_anomalies, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

void xa_canomalies_free(struct xa_canomaly *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].kind);
        free(v[i].inspector);
        free(v[i].visit);
        free(v[i].bundle);
        free(v[i].detail);
        free(v[i].detected);
    }
    free(v);
}

xa_code xa_cstore_quarantine_add(xa_cstore *s, const struct xa_cquarantine *q, xa_err *err)
{
    char *now = q->received ? NULL : cs_now_text();
    xa_code c = cs_exec(s, err,
                        "INSERT INTO quarantine (id, file, path, hash, reason, received)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        "ssssss", q->id, q->file, q->path, q->hash, q->reason,
                        q->received ? q->received : now);
    free(now);
    return c;
}

/* One quarantine row. */
static void read_quarantined(sqlite3_stmt *st, void *elem)
{
    struct xa_cquarantine *q = elem;
    q->id = cs_col0(st, 0);
    q->file = cs_col0(st, 1);
    q->path = cs_col0(st, 2);
    q->hash = cs_col0(st, 3);
    q->reason = cs_col0(st, 4);
    q->received = cs_col0(st, 5);
}

/* xa_cquarantine_free as a cs_drop_fn. */
static void drop_quarantine(void *v, size_t n)
{
    xa_cquarantine_free(v, n);
}

xa_code xa_cstore_quarantine(xa_cstore *s, struct xa_cquarantine **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s,
                        "SELECT id, file, path, hash, reason, received FROM quarantine"
                        " ORDER BY received, id",
                        &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_quarantined, drop_quarantine, &v, n, err)) ==
        XA_OK)
        *out = v;
    return c;
}

void xa_cquarantine_free(struct xa_cquarantine *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].file);
        free(v[i].path);
        free(v[i].hash);
        free(v[i].reason);
        free(v[i].received);
    }
    free(v);
}

/* ---- briefs --------------------------------------------------------------------------------- */

xa_code xa_cstore_brief_last(xa_cstore *s, const char *inspector, int64_t *seq, char **prev,
                             xa_err *err)
{
    sqlite3_stmt *st;
    *seq = 0;
    *prev = NULL;
    xa_code c = cs_query(s, &st, err,
                         "SELECT seq, hash FROM briefs WHERE inspector = ?"
                         " ORDER BY seq DESC, hash LIMIT 1",
                         "s", inspector);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        *seq = cs_int(st, 0);
        *prev = cs_col0(st, 1);
    }
    cs_release(s, st);
    return c;
}

xa_code xa_cstore_brief_add(xa_cstore *s, const struct xa_cbrief *b, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO briefs (hash, inspector, seq, prev, created, file, schools, forms,"
                   " hazards, receipts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "ssisssiiii", b->hash, b->inspector, b->seq, b->prev, b->created, b->file,
                   b->schools, b->forms, b->hazards, b->receipts);
}

/* ---- reports ------------------------------------------------------------------------------------ */

/* One count row: a, b, COUNT(*). */
static void read_count(sqlite3_stmt *st, void *elem)
{
    struct xa_ccount *r = elem;
    r->a = cs_col0(st, 0);
    r->b = cs_col0(st, 1);
    r->n = cs_int(st, 2);
}

/* xa_ccounts_free as a cs_drop_fn. */
static void drop_counts(void *v, size_t n)
{
    xa_ccounts_free(v, n);
}

/* The rows of a count query (sql without parameters). */
static xa_code counts(xa_cstore *s, const char *sql, struct xa_ccount **out, size_t *n,
                      xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s, sql, &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_count, drop_counts, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

xa_code xa_cstore_count_visits(xa_cstore *s, struct xa_ccount **out, size_t *n, xa_err *err)
{
    return counts(s,
                  "SELECT COALESCE(sc.county, v.county) AS county, v.kind, COUNT(*)"
                  " FROM visits v LEFT JOIN schools sc ON sc.code = v.school"
                  " GROUP BY COALESCE(sc.county, v.county), v.kind ORDER BY 1, 2",
                  out, n, err);
}

xa_code xa_cstore_count_hazards(xa_cstore *s, struct xa_ccount **out, size_t *n, xa_err *err)
{
    return counts(s,
                  "SELECT category, severity, COUNT(*) FROM hazards"
                  " GROUP BY category, severity ORDER BY 1, 2",
                  out, n, err);
}

void xa_ccounts_free(struct xa_ccount *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].a);
        free(v[i].b);
    }
    free(v);
}

/* One school with the time of its last visit (none when it has no visit). */
static void read_lastvisit(sqlite3_stmt *st, void *elem)
{
    struct xa_clastvisit *l = elem;
    l->code = cs_col0(st, 0);
    l->name = cs_col0(st, 1);
    l->county = cs_col0(st, 2);
    if (cs_int(st, 4) > 0) {
        char t[XA_RFC3339_MAX];
        l->last_at = cs_int(st, 3);
        xa_time_format(l->last_at, XA_CST_OFFSET, t);
        l->last = xa_strdup(t);
    } else {
        l->last_at = 0;
        l->last = NULL;
    }
}

/* xa_clastvisits_free as a cs_drop_fn. */
static void drop_lastvisits(void *v, size_t n)
{
    xa_clastvisits_free(v, n);
}

xa_code xa_cstore_last_visits(xa_cstore *s, struct xa_clastvisit **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s,
                        "SELECT sc.code, sc.name, sc.county, MAX(v.arrived_at), COUNT(v.id)"
                        " FROM schools sc LEFT JOIN visits v ON v.school = sc.code"
                        " GROUP BY sc.code, sc.name, sc.county ORDER BY sc.county, sc.code",
                        &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_lastvisit, drop_lastvisits, &v, n, err)) ==
        XA_OK)
        *out = v;
    return c;
}

void xa_clastvisits_free(struct xa_clastvisit *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].name);
        free(v[i].county);
        free(v[i].last);
    }
    free(v);
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
    {"hazards", ""},
    {"hazard_events", ""},
    {"anomalies", "detected"},
    {"briefs", ""},
    {"draws", "created,revealed"},
    {"assignments", "created"},
    {"assignment_team", ""},
};

xa_code xa_cstore_inspector_visits(xa_cstore *s, const char *fingerprint, int64_t *n,
                                   xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, "SELECT COUNT(*) FROM visits WHERE inspector = ?", "s",
                         fingerprint);
    if (c != XA_OK)
        return c;
    int row = 0;
    c = cs_step(s, st, &row, err);
    *n = row ? cs_int(st, 0) : 0;
    cs_release(s, st);
    return c;
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
    sqlite3_stmt *st;
    xa_code c = cs_prep(s, sql, &st, err);
    free(sql);
    if (c != XA_OK)
        return c;
    int row = 0;
    c = cs_step(s, st, &row, err);
    *n = row ? cs_int(st, 0) : 0;
    cs_release(s, st);
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
        sqlite3_stmt *st;
        c = cs_prep(s, sql, &st, err);
        free(sql);
        if (c != XA_OK)
            break;
        size_t cap = 0, k = 0;
        char **rows = NULL;
        int row, ncol = sqlite3_column_count(st);
        while ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
            xa_buf b = XA_BUF_INIT;
            for (int i = 0; i < ncol; i++) {
                const char *name = sqlite3_column_name(st, i);
                if (in_list(tables[t].skip, name))
                    continue;
                int type = sqlite3_column_type(st, i);
                const char *text = (const char *)sqlite3_column_text(st, i);
                /* length-prefixed so no value can imitate a separator */
                if (type == SQLITE_NULL)
                    xa_buf_printf(&b, "%s=N;", name);
                else
                    xa_buf_printf(&b, "%s=%d:%zu:%s;", name, type, strlen(text ? text : ""),
                                  text ? text : "");
            }
            rows = grow(rows, k, &cap, sizeof *rows);
            rows[k++] = xa_buf_steal(&b);
        }
        cs_release(s, st);
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
