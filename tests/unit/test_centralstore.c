/* test_centralstore.c — the central store (schema, rows, digest), the
 * closed loop of hazards, the ledger and the report, with rows inserted
 * through the store API (no crypto involved). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers/ok_fx.h"
#include "helpers/unit_fx.h"

#include <jansson.h>
#include <sqlite3.h>

#include "xiaoan/i18n.h"
#include "xiaoan/central.h"
#include "xiaoan/report.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/utf8.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    assert_int_equal(fx_tmpdir(tmpdir, sizeof tmpdir, "cstore"), 0);
    setenv("XIAOAN_NOW", "2026-12-20T10:00:00+08:00", 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(fx_rmrf(tmpdir), 0);
    return 0;
}

static char *path_of(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static xa_cstore *fresh(const char *name)
{
    xa_cstore *s = NULL;
    xa_err e;
    if (xa_cstore_create(path_of(name), &s, &e) != XA_OK)
        fail_msg("create: %s", e.msg);
    return s;
}

static void create_open(void **state)
{
    (void)state;
    xa_err e;
    xa_cstore *s = fresh("a.db");
    struct stat st;
    assert_int_equal(stat(path_of("a.db"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    xa_cstore_close(s);
    /* again: refused */
    assert_int_equal(xa_cstore_create(path_of("a.db"), &s, &e), XA_EEXIST);
    /* reopen */
    OK(xa_cstore_open(path_of("a.db"), &s, E));
    int64_t v;
    OK(xa_cstore_setting_int(s, "deadline.general", 0, &v, E));
    assert_int_equal(v, 15);
    OK(xa_cstore_setting_int(s, "deadline.major", 0, &v, E));
    assert_int_equal(v, 30);
    OK(xa_cstore_setting_set(s, "deadline.major", "10", E));
    OK(xa_cstore_setting_int(s, "deadline.major", 0, &v, E));
    assert_int_equal(v, 10);
    OK(xa_cstore_setting_int(s, "nope", 7, &v, E));
    assert_int_equal(v, 7);
    xa_cstore_close(s);
    /* schema version recorded */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("a.db"), &db), SQLITE_OK);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), XA_CSTORE_SCHEMA);
    sqlite3_finalize(q);
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    /* a newer schema is refused */
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(xa_cstore_open(path_of("a.db"), &s, &e), XA_ESTATE);
    assert_non_null(strstr(e.msg, "newer"));
    /* missing file, not a store */
    assert_int_equal(xa_cstore_open(path_of("none.db"), &s, &e), XA_ENOTFOUND);
    FILE *f = fopen(path_of("junk.db"), "w");
    fputs("this is not sqlite at all, just text padding padding padding padding padding", f);
    fclose(f);
    assert_int_equal(xa_cstore_open(path_of("junk.db"), &s, &e), XA_EFORMAT);
    /* another SQLite file is not a central store */
    assert_int_equal(sqlite3_open(path_of("other.db"), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(xa_cstore_open(path_of("other.db"), &s, &e), XA_EFORMAT);
}

/* Migration 6 (issue 17): a store made before it (schema 5) gains the
 * indexes the merge's lookups use when it is opened. */
static void migration6_indexes(void **state)
{
    (void)state;
    xa_cstore *s = NULL;
    OK(xa_cstore_create_at(path_of("m6.db"), 5, &s, E));
    xa_cstore_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("m6.db"), &db), SQLITE_OK);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'anomalies_visit'",
                       -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0); /* schema 5: not yet */
    sqlite3_finalize(q);
    sqlite3_close(db);
    OK(xa_cstore_open(path_of("m6.db"), &s, E));
    xa_cstore_close(s);
    assert_int_equal(sqlite3_open(path_of("m6.db"), &db), SQLITE_OK);
    sqlite3_prepare_v2(db,
                       "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
                       " WHERE name IN ('bundles_sender', 'anomalies_visit') ORDER BY name)",
                       -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "anomalies_visit,bundles_sender");
    sqlite3_finalize(q);
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), XA_CSTORE_SCHEMA);
    sqlite3_finalize(q);
    /* the bundle chain of a sender is found through the index */
    sqlite3_prepare_v2(db,
                       "EXPLAIN QUERY PLAN SELECT seq FROM bundles WHERE sender = 'x'"
                       " AND seq BETWEEN 1 AND 3",
                       -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(q, 3), "bundles_sender"));
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* One text value of a query on the raw file (NULL: no row). */
static char *raw_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    char *out = NULL;
    if (sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(q, 0);
        out = xa_strdup(t ? (const char *)t : "(null)");
    }
    sqlite3_finalize(q);
    return out;
}

static void expect_raw(sqlite3 *db, const char *sql, const char *want)
{
    char *got = raw_text(db, sql);
    if (!got || !strstr(got, want))
        fail_msg("%s: got %s, want %s", sql, got ? got : "no row", want);
    free(got);
}

/* The first row of an EXPLAIN QUERY PLAN names want. */
static void expect_plan(sqlite3 *db, const char *sql, const char *want)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    const char *plan = (const char *)sqlite3_column_text(q, 3);
    if (!plan || !strstr(plan, want))
        fail_msg("%s: plan %s, want %s", sql, plan ? plan : "(none)", want);
    sqlite3_finalize(q);
}

/* A new hazard h of visit v1 (for the registration tests). */
static void new_hazard(struct xa_chazard *h, const char *id)
{
    memset(h, 0, sizeof *h);
    h->id = id;
    h->visit = "v1";
    h->inspector = "fp1";
    h->school = "3311020001";
    h->form = "fire-buildings";
    h->code = "FB-03";
    h->category = "fire";
    h->severity = "general";
    h->description = "消防通道堆放杂物";
    h->location = "";
    h->requirement = "";
    h->deadline = "2025-04-01";
    h->responsible = "";
    h->measures = "";
    h->notes = "";
    h->found = "2025-03-01T09:00:00+08:00";
    h->found_at = 1740790800;
}

static void expect_number(xa_cstore *s, const char *hazard, const char *number)
{
    struct xa_creg r;
    OK(xa_cstore_reg_get(s, hazard, &r, E));
    assert_string_equal(r.number, number);
    xa_creg_free(&r);
}

/* Migrations 7 and 8 (issue 17): a store made by schema 6 (registration numbers in
 * hazard_registry) keeps every number, county, year, seq, interim measure
 * and time when the numbers move into the hazards' rows; the table is gone;
 * the numbers stay unique; new numbers go on from the migrated ones. */
static void migration7_numbers_in_hazard_rows(void **state)
{
    (void)state;
    xa_cstore *s = NULL;
    OK(xa_cstore_create_at(path_of("m7.db"), 6, &s, E));
    xa_cstore_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("m7.db"), &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(
        db,
        "INSERT INTO visits VALUES ('v1', 'fp1', 1, NULL, 'h', '{}', '3311020001', '丽水一中',"
        " '莲都区', 'random', '2026-03-01T09:00:00+08:00', 1772326800,"
        " '2026-03-01T10:00:00+08:00', 1772330400, NULL, '2026-03-02T10:00:00+08:00');"
        "INSERT INTO hazards (id, visit, inspector, school, form, code, category, severity,"
        " description, location, requirement, deadline, responsible, measures, notes,"
        " rectified_on_site, found, found_at, state, rechecks) VALUES"
        " ('h1', 'v1', 'fp1', '3311020001', 'f', 'c', 'fire', 'general', 'd', '', '', '2026-04-01',"
        "  '', '', '', 0, '2026-03-01T09:00:00+08:00', 1772326800, 'open', 0),"
        " ('h2', 'v1', 'fp1', '3311020001', 'f', 'c', 'fire', 'major', 'd', '', '', '2026-04-01',"
        "  '', '', '', 0, '2026-03-01T09:00:00+08:00', 1772326800, 'open', 0),"
        " ('h3', 'v1', 'fp1', '3311020001', 'f', 'c', 'fire', 'general', 'd', '', '', '2025-04-01',"
        "  '', '', '', 0, '2025-03-01T09:00:00+08:00', 1740790800, 'open', 0),"
        " ('h4', 'v1', 'fp1', '3311020001', 'f', 'c', 'fire', 'general', 'd', '', '', '2026-04-01',"
        "  '', '', '', 0, '2026-03-01T09:00:00+08:00', 1772326800, 'open', 0);"
        "INSERT INTO hazard_registry VALUES"
        " ('h2', '莲都-2026-0002', '莲都', 2026, 2, '', '2026-03-02T10:00:01+08:00'),"
        " ('h1', '莲都-2026-0001', '莲都', 2026, 1, '设置围挡', '2026-03-02T10:00:00+08:00'),"
        " ('h3', '青田-2025-0007', '青田', 2025, 7, '', '2025-03-02T10:00:00+08:00');",
        NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("old rows: %s", err);
    sqlite3_close(db);

    OK(xa_cstore_open(path_of("m7.db"), &s, E));
    struct xa_creg r;
    OK(xa_cstore_reg_get(s, "h1", &r, E));
    assert_string_equal(r.number, "莲都-2026-0001");
    assert_string_equal(r.county, "莲都");
    assert_int_equal(r.year, 2026);
    assert_int_equal(r.seq, 1);
    assert_string_equal(r.interim, "设置围挡");
    assert_string_equal(r.registered, "2026-03-02T10:00:00+08:00");
    xa_creg_free(&r);
    expect_number(s, "h2", "莲都-2026-0002");
    expect_number(s, "h3", "青田-2025-0007");
    assert_int_equal(xa_cstore_reg_get(s, "h4", &r, NULL), XA_ENOTFOUND);
    struct xa_creg *all = NULL;
    size_t n = 0;
    OK(xa_cstore_regs(s, &all, &n, E));
    assert_int_equal(n, 3);
    assert_string_equal(all[0].hazard, "h1");
    assert_string_equal(all[2].number, "青田-2025-0007");
    xa_cregs_free(all, n);
    char **ids = NULL;
    OK(xa_cstore_hazard_find(s, "莲都-2026-0002", 5, &ids, &n, E));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], "h2");
    xa_strv_free(ids, n);
    /* only the number as written: not 莲都-2026-2, 莲都-2026-00002, 莲都2026-0002 */
    static const char *const near[] = {"莲都-2026-2", "莲都-2026-00002", "莲都2026-0002",
                                       "-2026-0002", "莲都-2026-", "莲都--0002", "2026-0002"};
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
        OK(xa_cstore_hazard_find(s, near[i], 5, &ids, &n, E));
        if (n)
            fail_msg("%s finds %s", near[i], ids[0]);
    }
    struct xa_cunreg *u = NULL;
    OK(xa_cstore_unregistered(s, &u, &n, E));
    assert_int_equal(n, 1);
    assert_string_equal(u[0].hazard, "h4");
    assert_string_equal(u[0].county, "莲都区");
    xa_cunregs_free(u, n);
    /* the unregistered one gets the next number of its county and year */
    OK(xa_hazard_register_missing(s, E));
    expect_number(s, "h4", "莲都-2026-0003");
    /* so does a hazard the merge adds, and numbers taken in a transaction
     * that rolls back are given again */
    struct xa_chazard h;
    int added = 0;
    new_hazard(&h, "h5");
    OK(xa_cstore_begin(s, E));
    OK(xa_cstore_hazard_add_registered(s, &h, "青田", 2025, "拉警戒线", &added, E));
    assert_int_equal(added, 1);
    OK(xa_cstore_hazard_add_registered(s, &h, "青田", 2025, "", &added, E));
    assert_int_equal(added, 0); /* there already: no number taken */
    new_hazard(&h, "h6");
    OK(xa_cstore_hazard_add_registered(s, &h, "青田", 2025, "", &added, E));
    expect_number(s, "h5", "青田-2025-0008");
    expect_number(s, "h6", "青田-2025-0009");
    assert_int_equal(xa_cstore_end(s, XA_EFORMAT, "test", NULL, NULL), XA_EFORMAT);
    OK(xa_cstore_begin(s, E));
    OK(xa_cstore_hazard_add_registered(s, &h, "青田", 2025, "", &added, E));
    OK(xa_cstore_end(s, XA_OK, "test", NULL, E));
    expect_number(s, "h6", "青田-2025-0008");
    OK(xa_cstore_reg_get(s, "h6", &r, E));
    assert_string_equal(r.interim, "");
    xa_creg_free(&r);
    /* a county name holding '-' (names come from visits): found by number */
    new_hazard(&h, "h7");
    OK(xa_cstore_hazard_add_registered(s, &h, "开发-区", 2025, "", &added, E));
    expect_number(s, "h7", "开发-区-2025-0001");
    OK(xa_cstore_hazard_find(s, "开发-区-2025-0001", 5, &ids, &n, E));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], "h7");
    xa_strv_free(ids, n);
    xa_cstore_close(s);

    assert_int_equal(sqlite3_open(path_of("m7.db"), &db), SQLITE_OK);
    expect_raw(db, "PRAGMA user_version", "8");
    expect_raw(db, "SELECT count(*) FROM sqlite_master WHERE name = 'hazard_registry'", "0");
    /* (county, year, seq) stay unique, so does the number made of them (its
     * own index went with migration 8) */
    expect_raw(db, "SELECT count(*) FROM sqlite_master WHERE name = 'hazards_number'", "0");
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE hazards SET number_county = '莲都', number_year = 2026,"
                                  " number_seq = 2 WHERE id = 'h3'",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    /* the next number and a number's hazard are found through their indexes */
    expect_plan(db,
                "EXPLAIN QUERY PLAN SELECT COALESCE(MAX(number_seq), 0) + 1 FROM hazards"
                " WHERE number_county = '莲都' AND number_year = 2026",
                "hazards_number_seq");
    expect_plan(db,
                "EXPLAIN QUERY PLAN SELECT id FROM hazards WHERE number_county = '莲都'"
                " AND number_year = 2026 AND number_seq = 2 AND number = '莲都-2026-0002'",
                "hazards_number_seq");
    sqlite3_close(db);
}

static void add_inspector(xa_cstore *s, const char *fp, const char *name)
{
    struct xa_inspector i = {0};
    i.fingerprint = fp;
    i.name = name;
    char sk[64], ak[64];
    snprintf(sk, sizeof sk, "sign-%s", fp);
    snprintf(ak, sizeof ak, "age1-%s", fp);
    i.sign_key = sk;
    i.age_recipient = ak;
    i.enrolled = "2026-01-01T08:00:00+08:00";
    i.enrolled_at = 1767225600;
    OK(xa_cstore_inspector_add(s, &i, E));
}

static void add_school(xa_cstore *s, const char *code, const char *name, const char *county)
{
    struct xa_cschool c = {0};
    c.code = code;
    c.name = name;
    c.county = county;
    c.type = "primary";
    c.canteen = 1;
    c.students = 600;
    c.address = "";
    c.pinyin = "";
    OK(xa_cstore_school_put(s, &c, NULL, E));
}

static void inspectors_schools_forms(void **state)
{
    (void)state;
    xa_err e;
    xa_cstore *s = fresh("b.db");
    add_inspector(s, "11111-11111-11111-11111", "张三");
    struct xa_inspector i = {0};
    i.fingerprint = "11111-11111-11111-11111";
    i.name = "x";
    i.sign_key = "other";
    i.age_recipient = "a";
    i.enrolled = "t";
    assert_int_equal(xa_cstore_inspector_add(s, &i, &e), XA_EEXIST);
    struct xa_inspector got;
    OK(xa_cstore_inspector_get(s, "11111-11111-11111-11111", &got, E));
    assert_string_equal(got.name, "张三");
    assert_null(got.revoked);
    xa_inspector_clear(&got);
    OK(xa_cstore_inspector_revoke(s, "11111-11111-11111-11111", 1767312000, E));
    assert_int_equal(xa_cstore_inspector_revoke(s, "11111-11111-11111-11111", 1767312000, &e),
                     XA_ESTATE);
    assert_int_equal(xa_cstore_inspector_revoke(s, "22222-11111-11111-11111", 1, &e),
                     XA_ENOTFOUND);
    OK(xa_cstore_inspector_get(s, "11111-11111-11111-11111", &got, E));
    assert_non_null(got.revoked);
    assert_int_equal(got.revoked_at, 1767312000);
    xa_inspector_clear(&got);

    struct xa_cschool c = {0};
    c.code = "331102000101";
    c.name = "莲都区实验小学";
    c.county = "莲都区";
    c.type = "primary";
    c.address = "";
    c.pinyin = "ldqsyxx";
    int changed = -1;
    OK(xa_cstore_school_put(s, &c, &changed, E));
    assert_int_equal(changed, 1);
    OK(xa_cstore_school_put(s, &c, &changed, E));
    assert_int_equal(changed, 0);
    c.students = 900;
    OK(xa_cstore_school_put(s, &c, &changed, E));
    assert_int_equal(changed, 2);
    struct xa_cschool *v;
    size_t n;
    OK(xa_cstore_schools(s, NULL, &v, &n, E));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].students, 900);
    xa_cschools_free(v, n);
    OK(xa_cstore_schools(s, "龙泉市", &v, &n, E));
    assert_int_equal(n, 0);
    xa_cschools_free(v, n);

    struct xa_cform f = {0};
    f.id = "fire";
    f.version = 1;
    f.hash = "aa";
    f.title = "消防";
    f.category = "fire";
    f.doc = "{}";
    int added = -1;
    OK(xa_cstore_form_put(s, &f, &added, E));
    assert_int_equal(added, 1);
    OK(xa_cstore_form_put(s, &f, &added, E));
    assert_int_equal(added, 0);
    f.hash = "bb";
    assert_int_equal(xa_cstore_form_put(s, &f, &added, &e), XA_EEXIST);
    f.version = 2;
    OK(xa_cstore_form_put(s, &f, &added, E));
    struct xa_cform *fv;
    OK(xa_cstore_forms(s, 0, &fv, &n, E));
    assert_int_equal(n, 2);
    xa_cforms_free(fv, n);
    OK(xa_cstore_forms(s, 1, &fv, &n, E));
    assert_int_equal(n, 1);
    assert_int_equal(fv[0].version, 2);
    xa_cforms_free(fv, n);
    int yes = 0;
    OK(xa_cstore_form_known(s, "fire", 1, "aa", &yes, E));
    assert_true(yes);
    OK(xa_cstore_form_known(s, "fire", 1, "bb", &yes, E));
    assert_false(yes);

    OK(xa_cstore_audit(s, "central test", "did things", E));
    OK(xa_cstore_audit(s, "central test", "did more", E));
    struct xa_caudit *au;
    OK(xa_cstore_audit_list(s, &au, &n, E));
    assert_int_equal(n, 2);
    assert_int_equal(au[1].id, 2);
    xa_caudit_free(au, n);
    xa_cstore_close(s);
}

/* Insert a visit with one hazard (found at `found`) and follow-ups. */
static void add_visit(xa_cstore *s, const char *id, const char *insp, int64_t seq,
                      const char *school, const char *arrived)
{
    struct xa_cvisit v = {0};
    v.id = id;
    v.inspector = insp;
    v.seq = seq;
    v.hash = id;
    v.record = "{}";
    v.school = school;
    v.school_name = "";
    v.county = "";
    v.kind = "four-not-two-direct";
    v.arrived = arrived;
    int off;
    OK(xa_time_parse(arrived, &v.arrived_at, &off, E));
    v.sealed = arrived;
    v.sealed_at = v.arrived_at;
    v.received = "2026-12-01T00:00:00+08:00";
    OK(xa_cstore_visit_add(s, &v, E));
}

static void add_hazard(xa_cstore *s, const char *id, const char *visit, const char *insp,
                       const char *school, const char *severity, const char *found,
                       const char *deadline, int onsite, const char *desc)
{
    struct xa_chazard h = {0};
    h.id = id;
    h.visit = visit;
    h.inspector = insp;
    h.school = school;
    h.form = "fire-buildings";
    h.code = "FB-03";
    h.category = "fire";
    h.severity = severity;
    h.description = desc;
    h.location = "教学楼二层";
    h.requirement = "立即清理";
    h.deadline = deadline;
    h.responsible = "王校长";
    h.measures = "";
    h.notes = "";
    h.rectified_on_site = onsite;
    h.found = found;
    int off;
    OK(xa_time_parse(found, &h.found_at, &off, E));
    int added = 0;
    OK(xa_cstore_hazard_add(s, &h, &added, E));
    struct xa_cevent ev = {0};
    ev.hazard = id;
    ev.visit = visit;
    ev.kind = XA_EV_FOUND;
    ev.at = found;
    ev.at_epoch = h.found_at;
    ev.inspector = insp;
    OK(xa_cstore_event_add(s, &ev, E));
    OK(xa_hazard_refresh(s, id, E));
}

static void add_followup(xa_cstore *s, const char *hazard, const char *visit, const char *insp,
                         const char *verdict, const char *at)
{
    struct xa_cevent ev = {0};
    ev.hazard = hazard;
    ev.visit = visit;
    ev.kind = XA_EV_FOLLOWUP;
    ev.verdict = verdict;
    ev.at = at;
    int off;
    OK(xa_time_parse(at, &ev.at_epoch, &off, E));
    ev.inspector = insp;
    OK(xa_cstore_event_add(s, &ev, E));
    OK(xa_hazard_refresh(s, hazard, E));
}

#define FP1 "11111-11111-11111-11111"
#define FP2 "22222-22222-22222-22222"
#define H1 "a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define H2 "b1b2c3d4e5f60718293a4b5c6d7e8f90"
#define H3 "c1b2c3d4e5f60718293a4b5c6d7e8f90"

static xa_cstore *sample_store(const char *name)
{
    xa_cstore *s = fresh(name);
    add_inspector(s, FP1, "张三");
    add_inspector(s, FP2, "Li Si");
    add_school(s, "331102000101", "莲都区实验小学", "莲都区");
    add_school(s, "331181000201", "龙泉市第一中学", "龙泉市");
    add_school(s, "331121000301", "青田县船寮小学", "青田县");
    add_visit(s, "v1", FP1, 1, "331102000101", "2026-11-29T09:30:00+08:00");
    add_visit(s, "v2", FP1, 2, "331181000201", "2026-11-30T09:30:00+08:00");
    add_visit(s, "v3", FP2, 1, "331102000101", "2026-12-10T14:00:00+08:00");
    add_hazard(s, H1, "v1", FP1, "331102000101", "major", "2026-11-29T09:40:00+08:00",
               "2026-12-14", 0, "疏散通道堆放杂物，安全出口被封闭");
    add_hazard(s, H2, "v2", FP1, "331181000201", "general", "2026-11-30T10:00:00+08:00",
               "2026-12-30", 0, "灭火器过期");
    add_hazard(s, H3, "v2", FP1, "331181000201", "general", "2026-11-30T10:05:00+08:00",
               "2026-12-30", 1, "电线私拉乱接, \"飞线\"充电");
    return s;
}

static void closed_loop(void **state)
{
    (void)state;
    xa_cstore *s = sample_store("c.db");
    struct xa_chazard h;
    OK(xa_cstore_hazard_get(s, H1, &h, E));
    assert_string_equal(h.state, "open");
    int64_t today = xa_today();
    assert_int_equal(xa_hazard_state_on(&h, today), XA_HS_OVERDUE); /* 12-20 > 12-14 */
    assert_int_equal(xa_hazard_state_on(&h, today - 7), XA_HS_OPEN);
    xa_chazard_clear(&h);
    OK(xa_cstore_hazard_get(s, H3, &h, E));
    assert_string_equal(h.state, "closed"); /* rectified on site */
    xa_chazard_clear(&h);

    /* not rectified: still open, one re-check */
    add_followup(s, H1, "v3", FP2, "not-rectified", "2026-12-10T14:30:00+08:00");
    OK(xa_cstore_hazard_get(s, H1, &h, E));
    assert_string_equal(h.state, "open");
    assert_int_equal(h.rechecks, 1);
    assert_string_equal(h.last_checker, FP2);
    assert_string_equal(h.last_checker_name, "Li Si");
    xa_chazard_clear(&h);

    /* a follow-up from a visit at ANOTHER school (v2 is in 龙泉) changes
     * nothing: not trusted (issue 12) */
    add_followup(s, H1, "v2", FP1, "rectified", "2026-12-05T10:00:00+08:00");
    OK(xa_cstore_hazard_get(s, H1, &h, E));
    assert_string_equal(h.state, "open");
    assert_int_equal(h.rechecks, 1);
    xa_chazard_clear(&h);

    /* a later rectified: a major hazard waits for the office's sign-off */
    add_visit(s, "v4", FP2, 2, "331102000101", "2026-12-18T09:00:00+08:00");
    add_followup(s, H1, "v4", FP2, "rectified", "2026-12-18T09:10:00+08:00");
    OK(xa_cstore_hazard_get(s, H1, &h, E));
    assert_string_equal(h.state, "rechecked");
    assert_null(h.closed);
    assert_int_equal(h.rechecks, 2);
    xa_chazard_clear(&h);

    /* a follow-up of a hazard that has not arrived yet is kept and applied
     * when the finding arrives */
    add_visit(s, "v5", FP2, 3, "331121000301", "2026-12-19T09:00:00+08:00");
    add_followup(s, "d1b2c3d4e5f60718293a4b5c6d7e8f90", "v5", FP2, "rectified",
                 "2026-12-19T09:30:00+08:00");
    add_visit(s, "v6", FP1, 3, "331121000301", "2026-12-01T09:00:00+08:00");
    add_hazard(s, "d1b2c3d4e5f60718293a4b5c6d7e8f90", "v6", FP1, "331121000301", "major",
               "2026-12-01T09:10:00+08:00", "2026-12-16", 0, "宿舍未设火灾报警");
    OK(xa_cstore_hazard_get(s, "d1b2c3d4e5f60718293a4b5c6d7e8f90", &h, E));
    assert_string_equal(h.state, "rechecked"); /* major: rechecked, not closed */
    xa_chazard_clear(&h);
    xa_cstore_close(s);
}

/* Every line of a text table: the columns start at the same display column. */
static void ledger_formats(void **state)
{
    (void)state;
    xa_cstore *s = sample_store("d.db");
    int64_t today = xa_today();
    xa_buf b = XA_BUF_INIT;
    size_t rows = 0;
    /* the 隐患台账: Chinese heads and words (the ledger follows the language) */
    xa_i18n_init("zh");
    OK(xa_ledger_write(s, XA_LEDGER_ALL, NULL, XA_OUT_TEXT, today, &b, &rows, E));
    xa_i18n_init("en");
    assert_int_equal(rows, 3);
    assert_non_null(strstr(b.data, "隐患编号"));
    assert_non_null(strstr(b.data, "20261129-A1B2C3"));
    assert_non_null(strstr(b.data, "逾期"));   /* H1 overdue */
    assert_non_null(strstr(b.data, "已销号")); /* H3 */
    assert_non_null(strstr(b.data, "重大"));
    /* alignment: the display column of "20261" on each data line equals
     * the column of 隐患编号 (0), and the column of the 发现日期 header
     * equals that of each date */
    size_t nl = 0;
    char **lines = NULL;
    {
        char *copy = xa_strdup(b.data);
        for (char *tok = strtok(copy, "\n"); tok; tok = strtok(NULL, "\n")) {
            lines = xa_realloc(lines, (nl + 1) * sizeof *lines);
            lines[nl++] = xa_strdup(tok);
        }
        free(copy);
    }
    assert_int_equal(nl, 4);
    const char *hp = strstr(lines[0], "发现日期");
    size_t col = xa_utf8_nwidth(lines[0], (size_t)(hp - lines[0]));
    const char *sp = strstr(lines[0], "学校");
    size_t scol = xa_utf8_nwidth(lines[0], (size_t)(sp - lines[0]));
    for (size_t i = 1; i < nl; i++) {
        const char *d = strstr(lines[i], "2026-11-");
        assert_non_null(d);
        assert_int_equal(xa_utf8_nwidth(lines[i], (size_t)(d - lines[i])), col);
        const char *sc = strstr(lines[i], "莲都区实验小学");
        if (!sc)
            sc = strstr(lines[i], "龙泉市第一中学");
        assert_non_null(sc);
        assert_int_equal(xa_utf8_nwidth(lines[i], (size_t)(sc - lines[i])), scol);
        assert_true(lines[i][strlen(lines[i]) - 1] != ' ');
    }
    for (size_t i = 0; i < nl; i++)
        free(lines[i]);
    free(lines);

    /* open = open + overdue; overdue; closed; county */
    xa_buf_reset(&b);
    OK(xa_ledger_write(s, XA_LEDGER_OPEN, NULL, XA_OUT_TEXT, today, &b, &rows, E));
    assert_int_equal(rows, 2);
    xa_buf_reset(&b);
    OK(xa_ledger_write(s, XA_LEDGER_OVERDUE, NULL, XA_OUT_TEXT, today, &b, &rows, E));
    assert_int_equal(rows, 1);
    xa_buf_reset(&b);
    OK(xa_ledger_write(s, XA_LEDGER_CLOSED, NULL, XA_OUT_TEXT, today, &b, &rows, E));
    assert_int_equal(rows, 1);
    xa_buf_reset(&b);
    OK(xa_ledger_write(s, XA_LEDGER_ALL, "龙泉市", XA_OUT_TEXT, today, &b, &rows, E));
    assert_int_equal(rows, 2);

    /* CSV: BOM, CRLF, quoting */
    xa_buf_reset(&b);
    OK(xa_ledger_write(s, XA_LEDGER_ALL, NULL, XA_OUT_CSV, today, &b, &rows, E));
    assert_memory_equal(b.data, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(b.data, "\r\n"));
    assert_non_null(strstr(b.data, "\"电线私拉乱接, \"\"飞线\"\"充电\""));

    /* JSON */
    xa_buf_reset(&b);
    OK(xa_ledger_write(s, XA_LEDGER_ALL, NULL, XA_OUT_JSON, today, &b, &rows, E));
    json_error_t je;
    json_t *arr = json_loads(b.data, 0, &je);
    assert_non_null(arr);
    assert_int_equal(json_array_size(arr), 3);
    json_t *first = json_array_get(arr, 0);
    assert_string_equal(json_string_value(json_object_get(first, "state")), "open");
    assert_true(json_is_true(json_object_get(first, "overdue")));
    assert_int_equal(json_integer_value(json_object_get(first, "overdue_days")), 6);
    assert_string_equal(json_string_value(json_object_get(first, "number")), "20261129-A1B2C3");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(first, "school"), "county")), "莲都区");
    json_decref(arr);

    /* report: November to today */
    xa_buf_reset(&b);
    struct xa_report_opts ro = {.from = today - 60, .to = today, .today = today};
    struct xa_report *rep = NULL;
    OK(xa_report_compute(s, &ro, &rep, E));
    OK(xa_report_render(rep, XA_REPORT_TEXT, &b, E));
    xa_report_free(rep);
    assert_non_null(strstr(b.data, "莲都区"));
    assert_non_null(strstr(b.data, "四不两直"));
    assert_non_null(strstr(b.data, "消防"));
    assert_non_null(strstr(b.data, "重大隐患清零率"));
    /* 青田县船寮小学 never visited */
    assert_non_null(strstr(b.data, "青田县船寮小学"));
    xa_buf_clear(&b);
    xa_cstore_close(s);
}

static void csv_field(void **state)
{
    (void)state;
    xa_buf b = XA_BUF_INIT;
    xa_csv_field(&b, "plain");
    xa_buf_putc(&b, '|');
    xa_csv_field(&b, "a,b");
    xa_buf_putc(&b, '|');
    xa_csv_field(&b, "say \"hi\"");
    xa_buf_putc(&b, '|');
    xa_csv_field(&b, "=SUM(A1)");
    xa_buf_putc(&b, '|');
    xa_csv_field(&b, "line\nbreak");
    xa_buf_putc(&b, '|');
    xa_csv_field(&b, "");
    assert_string_equal(b.data,
                        "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"'=SUM(A1)\"|\"line\nbreak\"|");
    xa_buf_clear(&b);
}

static void digest_ignores_receipt_times(void **state)
{
    (void)state;
    xa_cstore *a = sample_store("e1.db");
    setenv("XIAOAN_NOW", "2027-01-05T10:00:00+08:00", 1);
    xa_cstore *b = sample_store("e2.db");
    setenv("XIAOAN_NOW", "2026-12-20T10:00:00+08:00", 1);
    char da[65], db[65];
    OK(xa_cstore_digest(a, da, E));
    OK(xa_cstore_digest(b, db, E));
    assert_string_equal(da, db);
    struct xa_canomaly an = {"x1", "gap", FP1, NULL, NULL, "seq 3 missing", NULL};
    OK(xa_cstore_anomaly_add(a, &an, E));
    OK(xa_cstore_anomaly_add(a, &an, E)); /* idempotent */
    OK(xa_cstore_digest(a, da, E));
    assert_string_not_equal(da, db);
    OK(xa_cstore_anomaly_clear(a, "gap", FP1, E));
    OK(xa_cstore_digest(a, da, E));
    assert_string_equal(da, db);
    int64_t n;
    OK(xa_cstore_count(a, "hazards", &n, E));
    assert_int_equal(n, 3);
    xa_err e;
    assert_int_equal(xa_cstore_count(a, "sqlite_master; DROP", &n, &e), XA_EUSAGE);
    xa_cstore_close(a);
    xa_cstore_close(b);
}

/* The audited transaction: the change and its audit row together, or neither. */
static void audited_end(void **state)
{
    (void)state;
    xa_err e;
    xa_cstore *s = fresh("f.db");
    int64_t n = 0;
    OK(xa_cstore_begin(s, E));
    OK(xa_cstore_end(s, xa_cstore_setting_set(s, "deadline.major", "12", E), "central test",
                     "deadline.major = 12", E));
    OK(xa_cstore_count(s, "audit", &n, E));
    assert_int_equal(n, 1);
    struct xa_caudit *a = NULL;
    size_t na = 0;
    OK(xa_cstore_audit_list(s, &a, &na, E));
    assert_int_equal(na, 1);
    assert_string_equal(a[0].command, "central test");
    assert_string_equal(a[0].summary, "deadline.major = 12");
    assert_string_equal(a[0].at, "2026-12-20T10:00:00+08:00");
    xa_caudit_free(a, na);
    /* the work failed: its change is rolled back and no audit row is written */
    OK(xa_cstore_begin(s, E));
    OK(xa_cstore_setting_set(s, "deadline.major", "99", E));
    xa_code c = xa_fail(&e, XA_EFORMAT, "the work failed");
    assert_int_equal(xa_cstore_end(s, c, "central test", "deadline.major = 99", &e), XA_EFORMAT);
    assert_string_equal(e.msg, "the work failed");
    int64_t v = 0;
    OK(xa_cstore_setting_int(s, "deadline.major", 0, &v, E));
    assert_int_equal(v, 12);
    OK(xa_cstore_count(s, "audit", &n, E));
    assert_int_equal(n, 1);
    /* a refused row (the mapper: a key constraint is XA_EEXIST) leaves nothing either */
    struct xa_office o = {"办公室", "fp", "sk", "age1x", "{}", "2026-12-20T10:00:00+08:00"};
    OK(xa_cstore_begin(s, E));
    OK(xa_cstore_end(s, xa_cstore_office_put(s, &o, E), "central init", "office", E));
    OK(xa_cstore_begin(s, E));
    assert_int_equal(xa_cstore_end(s, xa_cstore_office_put(s, &o, &e), "central init", "again", &e),
                     XA_EEXIST);
    assert_non_null(strstr(e.msg, "office identity already"));
    OK(xa_cstore_count(s, "audit", &n, E));
    assert_int_equal(n, 2);
    /* no summary: committed without an audit row */
    OK(xa_cstore_begin(s, E));
    OK(xa_cstore_end(s, xa_cstore_setting_set(s, "deadline.general", "20", E), "central test",
                     NULL, E));
    OK(xa_cstore_count(s, "audit", &n, E));
    assert_int_equal(n, 2);
    OK(xa_cstore_setting_int(s, "deadline.general", 0, &v, E));
    assert_int_equal(v, 20);
    xa_cstore_close(s);
}

/* A store held by another writer: after the busy timeout, one clear line and nothing changed. */
static void busy_store(void **state)
{
    (void)state;
    xa_err e;
    xa_cstore *s = fresh("g.db");
    xa_cstore_close(s);
    sqlite3 *other;
    assert_int_equal(sqlite3_open(path_of("g.db"), &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    OK(xa_cstore_open(path_of("g.db"), &s, E)); /* reading is not blocked (WAL) */
    assert_int_equal(xa_cstore_begin(s, &e), XA_EDB);
    assert_non_null(strstr(e.msg, "the central store is busy (another xiaoan is using it)"));
    assert_null(strchr(e.msg, '\n'));
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    OK(xa_cstore_begin(s, E));
    OK(xa_cstore_end(s, XA_OK, NULL, NULL, E));
    xa_cstore_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_open),
        cmocka_unit_test(migration6_indexes),
        cmocka_unit_test(migration7_numbers_in_hazard_rows),
        cmocka_unit_test(inspectors_schools_forms),
        cmocka_unit_test(closed_loop),
        cmocka_unit_test(ledger_formats),
        cmocka_unit_test(csv_field),
        cmocka_unit_test(digest_ignores_receipt_times),
        cmocka_unit_test(audited_end),
        cmocka_unit_test(busy_store),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
