/* test_assign.c — draws and assignments at the office (assign.h,
 * cstore_assign.h): a plan from the store (tiers, last visits, home
 * counties), the reveal into assignments and the plan file, refusals
 * (another store's plan, a second reveal, an existing file, an infeasible
 * plan stores nothing), the brief records of one inspector, and the merge
 * marking an assignment done whatever order the bundles come in. */
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

#include "helpers/central_fx.h"
#include "helpers/unit_fx.h"
#include "xiaoan/assign.h"
#include "xiaoan/central.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"

static char dir[256];
static xa_identity *office;
static xa_cstore *store;
static fx_inspector *insp[4];
static const char *const homes[] = {"莲都区", "莲都区", "青田县", "缙云县"};

static void die(const char *what, const xa_err *e)
{
    fail_msg("%s: %s", what, xa_err_msg(e));
}

static int setup(void **state)
{
    (void)state;
    setenv("XIAOAN_NOW", "2026-12-01T09:00:00+08:00", 1);
    if (fx_tmpdir(dir, sizeof dir, "assign") != 0)
        return -1;
    xa_err e;
    xa_roster *roster = NULL;
    xa_form_set *forms = NULL;
    char *path = xa_asprintf("%s/office.db", dir);
    if (fx_example_data(&roster, &forms, &e) != XA_OK ||
        fx_office_create(path, "pass", roster, forms, &store, &office, &e) != XA_OK) {
        fprintf(stderr, "setup: %s\n", e.msg);
        return -1;
    }
    free(path);
    xa_roster_free(roster);
    xa_form_set_free(forms);
    static const char *const names[] = {"张三", "李四", "王五", "赵六"};
    for (int i = 0; i < 4; i++) {
        insp[i] = fx_inspector_new(names[i]);
        if (fx_enroll(store, insp[i]->id, &e) != XA_OK ||
            xa_cstore_inspector_county_set(store, insp[i]->id->fingerprint, homes[i], &e) != XA_OK)
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xa_cstore_close(store);
    xa_identity_free(office);
    for (int i = 0; i < 4; i++)
        fx_inspector_free(insp[i]);
    fx_rmrf(dir);
    return 0;
}

static void request(struct xa_draw_request *r, const char *kind, int64_t n, int64_t team)
{
    memset(r, 0, sizeof *r);
    r->schools = n;
    r->team = team;
    r->kind = kind;
    r->weights[XA_TIER_KEY] = 3;
    r->weights[XA_TIER_WEAK] = 2;
    r->weights[XA_TIER_NORMAL] = 1;
    r->due = "2026-12-20";
}

static int64_t count(const char *table)
{
    int64_t n = -1;
    xa_err e;
    if (xa_cstore_count(store, table, &n, &e) != XA_OK)
        die("count", &e);
    return n;
}

/* Plan, refusals, reveal, brief records, merge: one story. */
static void plan_reveal_merge(void **state)
{
    (void)state;
    xa_err e;
    struct xa_draw d;
    struct xa_draw_request r;
    char *plan = xa_asprintf("%s/plan.json", dir);
    char *forms[] = {"fire-buildings"};

    /* Infeasible: 4 inspectors, two from 莲都, teams of 3 in a cross check. */
    request(&r, "cross", 3, 3);
    assert_int_equal(xa_office_draw_plan(store, &r, plan, &d, &e), XA_ESTATE);
    print_message("%s\n", e.msg);
    assert_non_null(strstr(e.msg, "infeasible"));
    assert_false(xa_path_exists(plan));
    assert_int_equal(count("draws"), 0);

    /* A tier raises a school's chances; a bad form is refused. */
    assert_int_equal(xa_cstore_school_tier_set(store, "3311020001", "key", &e), XA_OK);
    request(&r, "cross", 4, 2);
    char *bad[] = {"no-such-form"};
    r.forms = bad;
    r.nforms = 1;
    assert_int_equal(xa_office_draw_plan(store, &r, plan, &d, &e), XA_ENOTFOUND);
    r.forms = forms;
    if (xa_office_draw_plan(store, &r, plan, &d, &e) != XA_OK)
        die("plan", &e);
    struct stat st;
    assert_int_equal(stat(plan, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(d.ninsp, 4);
    assert_true(d.nschools > 10);
    /* the roster's tier column came through the import (3311210006 重点);
     * a tier set in the store counts too (3311020001) */
    int seen = 0;
    for (size_t i = 0; i < d.nschools; i++) {
        if (!strcmp(d.schools[i].code, "3311020001") || !strcmp(d.schools[i].code, "3311210006")) {
            assert_int_equal(d.schools[i].tier, XA_TIER_KEY);
            seen++;
        }
        if (!strcmp(d.schools[i].code, "3311020002"))
            assert_int_equal(d.schools[i].tier, XA_TIER_NORMAL);
    }
    assert_int_equal(seen, 2);
    char commitment[65];
    memcpy(commitment, d.commitment, 65);
    xa_draw_clear(&d);
    assert_int_equal(count("draws"), 1);
    /* never written over */
    assert_int_equal(xa_office_draw_plan(store, &r, plan, &d, &e), XA_EEXIST);
    assert_int_equal(count("draws"), 1);

    /* The file has no seed before the reveal; an edited file is refused. */
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_read_file(plan, 1 << 20, &b, &e), XA_OK);
    assert_null(strstr(b.data, "\"seed\""));
    char *edited = xa_asprintf("%s/edited.json", dir);
    char *p = strstr(b.data, "\"schools\": 4");
    assert_non_null(p);
    p[11] = '3';
    assert_int_equal(xa_write_atomic(edited, b.data, b.len, &e), XA_OK);
    assert_int_equal(xa_office_draw_reveal(store, edited, "beacon", &d, &e), XA_EDIFF);
    print_message("%s\n", e.msg);
    assert_int_equal(count("assignments"), 0);
    xa_buf_clear(&b);

    /* The reveal. */
    if (xa_office_draw_reveal(store, plan, " 03 07 12 19 25 31 + 09 ", &d, &e) != XA_OK)
        die("reveal", &e);
    assert_string_equal(d.commitment, commitment);
    assert_int_equal(d.nasg, 4);
    assert_int_equal(count("assignments"), 4);
    assert_int_equal(count("assignment_team"), 8);
    struct xa_draw v;
    assert_int_equal(xa_read_file(plan, 1 << 20, &b, &e), XA_OK);
    assert_int_equal(xa_draw_parse(b.data, b.len, &v, &e), XA_OK);
    assert_int_equal(xa_draw_verify(&v, &e), XA_OK);
    xa_draw_clear(&v);
    xa_buf_clear(&b);
    assert_int_equal(xa_office_draw_reveal(store, plan, "again", &v, &e), XA_ESTATE);
    assert_int_equal(count("assignments"), 4);

    /* Nobody inspects a school of their own county; briefs carry only one's own. */
    struct xa_cassign *a = NULL;
    size_t na = 0;
    assert_int_equal(xa_cstore_assigns(store, NULL, 0, &a, &na, &e), XA_OK);
    assert_int_equal(na, 4);
    size_t mine = 0;
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(a[i].nteam, 2);
        assert_string_equal(a[i].forms, "fire-buildings");
        assert_string_equal(a[i].due, "2026-12-20");
        assert_string_equal(xa_assign_state_on(&a[i], xa_today()), "open");
        for (size_t m = 0; m < 2; m++) {
            for (int k = 0; k < 4; k++)
                if (!strcmp(a[i].team[m], insp[k]->id->fingerprint)) {
                    assert_string_not_equal(homes[k], a[i].county);
                    mine += k == 0;
                }
        }
    }
    json_t *recs = json_array();
    size_t n = 0;
    assert_int_equal(xa_assign_brief_records(store, insp[0]->id->fingerprint, recs, &n, &e),
                     XA_OK);
    assert_int_equal(n, mine);
    assert_int_equal(json_array_size(recs), mine);
    json_decref(recs);

    /* Merging a visit that names an assignment marks it done; the earlier
     * of two such visits wins in either merge order. */
    const struct xa_cassign *t = &a[0];
    fx_inspector *who = NULL;
    for (int k = 0; k < 4; k++)
        if (!strcmp(t->team[0], insp[k]->id->fingerprint))
            who = insp[k];
    assert_non_null(who);
    json_t *recs2 = json_array();
    for (int i = 0; i < 2; i++) {
        json_t *doc = fx_visit(who, t->school, t->school_name, t->county, "cross",
                               i ? "2026-12-03T09:00:00+08:00" : "2026-12-02T09:00:00+08:00");
        json_object_set_new(doc, "assignment", json_string(t->id));
        json_array_append_new(recs2, fx_seal(who, doc,
                                             i ? "2026-12-03T11:00:00+08:00"
                                               : "2026-12-02T11:00:00+08:00"));
    }
    char *b1 = xa_asprintf("%s/b1.xab", dir), *b2 = xa_asprintf("%s/b2.xab", dir);
    json_t *first = json_array(), *second = json_array();
    json_array_append(first, json_array_get(recs2, 0));
    json_array_append(second, json_array_get(recs2, 1));
    fx_container(b1, XA_BUNDLE_FORMAT, who, office->age_pk, 1, NULL, NULL, first);
    char h1[65];
    fx_file_hash(b1, h1);
    fx_container(b2, XA_BUNDLE_FORMAT, who, office->age_pk, 2, h1, NULL, second);
    struct xa_merge_result mr;
    /* second first: done by the later visit, then replaced by the earlier */
    assert_int_equal(xa_merge_file(store, office, b2, &mr, &e), XA_OK);
    assert_true(mr.accepted);
    struct xa_cassign *after = NULL;
    size_t nafter = 0;
    assert_int_equal(xa_cstore_assigns(store, NULL, 0, &after, &nafter, &e), XA_OK);
    for (size_t i = 0; i < nafter; i++)
        if (!strcmp(after[i].id, t->id)) {
            assert_string_equal(xa_assign_state_on(&after[i], xa_today()), "done");
            assert_string_equal(after[i].visit, fx_record_id(json_array_get(recs2, 1)));
        }
    xa_cassigns_free(after, nafter);
    assert_int_equal(xa_merge_file(store, office, b1, &mr, &e), XA_OK);
    assert_int_equal(xa_cstore_assigns(store, NULL, 0, &after, &nafter, &e), XA_OK);
    size_t open = 0;
    for (size_t i = 0; i < nafter; i++) {
        if (!strcmp(after[i].id, t->id))
            assert_string_equal(after[i].visit, fx_record_id(json_array_get(recs2, 0)));
        open += after[i].visit == NULL;
    }
    assert_int_equal(open, 3);
    xa_cassigns_free(after, nafter);
    /* open only: the done one is no longer in anybody's brief */
    assert_int_equal(xa_cstore_assigns(store, NULL, 1, &after, &nafter, &e), XA_OK);
    assert_int_equal(nafter, 3);
    xa_cassigns_free(after, nafter);
    /* the period report's completion by county */
    struct xa_assign_tally *ty = NULL;
    size_t nty = 0;
    int64_t d1, d31, d10;
    xa_date_parse("2026-12-01", &d1, NULL);
    xa_date_parse("2026-12-31", &d31, NULL);
    xa_date_parse("2026-12-10", &d10, NULL);
    assert_int_equal(xa_assign_tally(store, d1, d31, &ty, &nty, &e), XA_OK);
    int64_t tot = 0, dn = 0, od = 0;
    for (size_t i = 0; i < nty; i++) {
        tot += ty[i].total;
        dn += ty[i].done;
        od += ty[i].overdue;
        if (i)
            assert_true(strcmp(ty[i - 1].county, ty[i].county) < 0);
    }
    assert_int_equal(tot, 4);
    assert_int_equal(dn, 1);
    assert_int_equal(od, 3);
    xa_assign_tally_free(ty, nty);
    assert_int_equal(xa_assign_tally(store, d1, d10, &ty, &nty, &e), XA_OK);
    assert_int_equal(nty, 0); /* due on the 20th: not in a period ending on the 10th */
    xa_assign_tally_free(ty, nty);
    /* overdue after the due date */
    setenv("XIAOAN_NOW", "2026-12-21T09:00:00+08:00", 1);
    assert_string_equal(xa_assign_state_on(&a[1], xa_today()), "overdue");
    setenv("XIAOAN_NOW", "2026-12-01T09:00:00+08:00", 1);

    json_decref(first);
    json_decref(second);
    json_decref(recs2);
    free(b1);
    free(b2);
    xa_cassigns_free(a, na);
    xa_draw_clear(&d);
    free(edited);
    free(plan);
}

/* A visit naming an unknown assignment, or another inspector's: anomalies. */
static void stray_assignment(void **state)
{
    (void)state;
    xa_err e;
    /* a fresh inspector: no bundle chain of theirs is in the store yet */
    fx_inspector *who = fx_inspector_new("孙八");
    if (fx_enroll(store, who->id, &e) != XA_OK)
        die("enroll", &e);
    json_t *doc = fx_visit(who, "3311020001", "莲都区实验小学", "莲都区", "random",
                           "2026-12-04T09:00:00+08:00");
    json_object_set_new(doc, "assignment", json_string("00000000000000000000000000000000"));
    json_t *recs = json_array();
    json_array_append_new(recs, fx_seal(who, doc, "2026-12-04T10:00:00+08:00"));
    char *b = xa_asprintf("%s/stray.xab", dir);
    fx_container(b, XA_BUNDLE_FORMAT, who, office->age_pk, 1, NULL, NULL, recs);
    struct xa_merge_result mr;
    int64_t before = count("anomalies");
    assert_int_equal(xa_merge_file(store, office, b, &mr, &e), XA_OK);
    assert_true(mr.accepted);
    assert_int_equal(count("anomalies"), before + 1);
    struct xa_canomaly *an = NULL;
    size_t nan = 0;
    assert_int_equal(xa_cstore_anomalies(store, &an, &nan, &e), XA_OK);
    int seen = 0;
    for (size_t i = 0; i < nan; i++)
        seen |= !strcmp(an[i].kind, "unknown-assignment");
    assert_true(seen);
    xa_canomalies_free(an, nan);
    json_decref(recs);
    free(b);
    fx_inspector_free(who);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_reveal_merge),
        cmocka_unit_test(stray_assignment),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
