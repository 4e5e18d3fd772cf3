/* test_mergework.c — the merge does the store work its result needs and no
 * more (issue 17): no statement of a merge scans a whole table (the cost of
 * a bundle must not grow with the store), and what the merge derives on the
 * way (hazard states) is what the office's own derivation gives afterwards;
 * registration numbers are looked up once per county and year a bundle.
 * The counters come from xa_cstore_stats (SQLite's FULLSCAN_STEP of every
 * statement the store ran). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers/central_fx.h"
#include "helpers/unit_fx.h"
#include "xiaoan/central.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"

#define NOW "2026-12-20T10:00:00+08:00"

static char dir[256];
static xa_identity *office;
static xa_roster *roster;
static xa_form_set *forms;

static void die(const char *what, const xa_err *e)
{
    fail_msg("%s: %s", what, xa_err_msg(e));
}

static char *path_in(const char *name)
{
    return xa_asprintf("%s/%s", dir, name);
}

/* Minute m after 2026-12-01 08:00 (+08:00). */
static void at(int64_t m, char out[XA_RFC3339_MAX])
{
    xa_time_format(1764547200 + m * 60, XA_CST_OFFSET, out);
}

static int setup(void **state)
{
    (void)state;
    setenv("XIAOAN_NOW", NOW, 1);
    if (fx_tmpdir(dir, sizeof dir, "mergework") != 0)
        return -1;
    xa_err e;
    char *base = path_in("store.db");
    xa_cstore *s = NULL;
    int rc = fx_example_data(&roster, &forms, &e) != XA_OK ||
                     fx_office_create(base, "office pass", roster, forms, &s, &office, &e) !=
                         XA_OK
                 ? -1
                 : 0;
    if (rc)
        fprintf(stderr, "setup: %s\n", xa_err_msg(&e));
    xa_cstore_close(s);
    free(base);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    xa_identity_free(office);
    xa_roster_free(roster);
    xa_form_set_free(forms);
    return fx_rmrf(dir) == 0 ? 0 : -1;
}

/* n sealed visits of in from minute t0: a hazard on each (every third
 * rectified on the spot, sizes and deadlines mixed), the follow-ups given
 * (one a visit, at the hazard's school), every fourth visit at a school the
 * roster does not have (an unknown-school finding naming visit and bundle).
 * found (may be NULL) gets the hazard ids, schools their schools. */
static json_t *visits(fx_inspector *in, int n, int64_t t0, char (*found)[XA_ID_HEX],
                      const xa_school **schools, char (*follow)[XA_ID_HEX],
                      const xa_school **fschools, int nfollow)
{
    json_t *recs = json_array();
    const xa_form *f = forms->forms[0];
    for (int i = 0; i < n; i++) {
        const xa_school *sc = &roster->schools[(size_t)i % roster->n];
        if (i < nfollow)
            sc = fschools[i];
        char t[XA_RFC3339_MAX], later[XA_RFC3339_MAX];
        at(t0 + i * 120, t);
        at(t0 + i * 120 + 30, later);
        int stray = i % 4 == 3 && i >= nfollow;
        json_t *d = fx_visit(in, stray ? "9999999999" : sc->code, stray ? "不在名册的学校" : sc->name,
                             sc->county, "random", t);
        fx_form(d, f->id, f->version, f->hash_hex);
        for (size_t k = 0; k < 4 && k < f->nitems; k++)
            fx_answer(d, f->id, f->items[k].code, k == 1 ? "hazard" : "pass");
        const char *id = fx_hazard(d, f->id, f->items[1].code, xa_category_key(f->category),
                                   i % 2 ? "general" : "major", "消防通道堆放杂物", later,
                                   i % 5 ? NULL : "2026-12-31", i % 3 == 0);
        if (found) {
            snprintf(found[i], XA_ID_HEX, "%s", id);
            schools[i] = sc;
        }
        if (i < nfollow)
            fx_followup(d, follow[i], i % 2 ? "rectified" : "partly", later);
        json_array_append_new(recs, fx_seal(in, d, later));
    }
    return recs;
}

/* A copy of the setup store at path, open. */
static xa_cstore *copy_base(const char *path)
{
    char *from = path_in("store.db");
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    if (xa_read_file(from, 1u << 30, &b, &e) != XA_OK ||
        xa_write_atomic(path, b.data, b.len, &e) != XA_OK)
        die("copy", &e);
    xa_buf_clear(&b);
    free(from);
    xa_cstore *s = NULL;
    if (xa_cstore_open(path, &s, &e) != XA_OK)
        die("open copy", &e);
    return s;
}

static void merge_ok(xa_cstore *s, const char *path)
{
    struct xa_merge_result r;
    xa_err e;
    if (xa_merge_file(s, office, path, &r, &e) != XA_OK)
        die("merge", &e);
    if (!r.accepted)
        fail_msg("%s rejected: %s", path, r.reason);
}

/* Two chained bundles of inspector a: n visits with new findings (p1), then
 * n more (p2, sequence 2) of which n/2 follow up the first's hazards. */
static void two_bundles(fx_inspector *a, int n, const char *p1, const char *p2)
{
    char (*found)[XA_ID_HEX] = xa_calloc((size_t)n, sizeof *found);
    const xa_school **schools = xa_calloc((size_t)n, sizeof *schools);
    json_t *r = visits(a, n, 0, found, schools, NULL, NULL, 0);
    fx_container(p1, XA_BUNDLE_FORMAT, a, office->age_pk, 1, NULL, NULL, r);
    json_decref(r);
    char h[65];
    fx_file_hash(p1, h);
    r = visits(a, n, (int64_t)n * 120, NULL, NULL, found, schools, n / 2);
    fx_container(p2, XA_BUNDLE_FORMAT, a, office->age_pk, 2, h, NULL, r);
    json_decref(r);
    free(found);
    free(schools);
}

/* Merging a bundle into a store that already holds findings and hazards
 * steps through no whole table: every statement finds its rows by an index
 * (a scan per visit made the per-bundle cost grow with the store). */
static void no_full_table_scan(void **state)
{
    (void)state;
    fx_inspector *a = fx_inspector_new("张三");
    xa_err e;
    char *db = path_in("scan.db"), *p1 = path_in("scan1.xab"), *p2 = path_in("scan2.xab");
    xa_cstore *s = copy_base(db);
    if (fx_enroll(s, a->id, &e) != XA_OK)
        die("enroll", &e);
    enum { N = 24 };
    two_bundles(a, N, p1, p2);

    merge_ok(s, p1);
    int64_t findings = 0;
    if (xa_cstore_count(s, "anomalies", &findings, &e) != XA_OK)
        die("count", &e);
    assert_true(findings >= N / 4); /* the unknown schools */
    struct xa_cstore_stats before, after;
    xa_cstore_stats(s, &before);
    merge_ok(s, p2);
    xa_cstore_stats(s, &after);
    assert_true(after.statements > before.statements);
    if (after.fullscan_steps != before.fullscan_steps)
        fail_msg("the second bundle's merge stepped %llu rows in full-table scans",
                 (unsigned long long)(after.fullscan_steps - before.fullscan_steps));
    xa_cstore_close(s);
    free(db);
    free(p1);
    free(p2);
    fx_inspector_free(a);
}

/* The bundle named by the unknown-school finding of visit id. */
static char *finding_bundle(xa_cstore *s, const char *id)
{
    struct xa_canomaly *a = NULL;
    size_t n = 0;
    xa_err e;
    if (xa_cstore_anomalies(s, &a, &n, &e) != XA_OK)
        die("anomalies", &e);
    char *b = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a[i].kind, "unknown-school") && a[i].visit && !strcmp(a[i].visit, id))
            b = xa_strdup(a[i].bundle ? a[i].bundle : "(none)");
    xa_canomalies_free(a, n);
    if (!b)
        fail_msg("no unknown-school finding for visit %s", id);
    return b;
}

/* A visit carried by two bundles (a split export repeats its record): its
 * findings name the first bundle by seq in both merge orders, the stores
 * are the same, and linking the visit to its second bundle scans nothing. */
static void split_visit_finding_names_first_bundle(void **state)
{
    (void)state;
    fx_inspector *b = fx_inspector_new("李四");
    json_t *r = visits(b, 4, 0, NULL, NULL, NULL, NULL, 0); /* the 4th at a stray school */
    const char *stray = fx_record_id(json_array_get(r, 3));
    json_t *one = json_array(), *two = json_array();
    json_array_append(one, json_array_get(r, 2));
    json_array_append(one, json_array_get(r, 3));
    json_array_append(two, json_array_get(r, 3)); /* carried again */
    char *p1 = path_in("split1.xab"), *p2 = path_in("split2.xab");
    char h1[65];
    fx_container(p1, XA_BUNDLE_FORMAT, b, office->age_pk, 1, NULL, NULL, one);
    fx_file_hash(p1, h1);
    fx_container(p2, XA_BUNDLE_FORMAT, b, office->age_pk, 2, h1, NULL, two);
    char dg[2][65];
    for (int order = 0; order < 2; order++) {
        char *db = path_in(order ? "split-b.db" : "split-a.db");
        xa_cstore *s = copy_base(db);
        xa_err e;
        if (fx_enroll(s, b->id, &e) != XA_OK)
            die("enroll", &e);
        merge_ok(s, order ? p2 : p1);
        struct xa_cstore_stats before, after;
        xa_cstore_stats(s, &before);
        merge_ok(s, order ? p1 : p2);
        xa_cstore_stats(s, &after);
        assert_int_equal(after.fullscan_steps, before.fullscan_steps);
        char *at_bundle = finding_bundle(s, stray);
        assert_string_equal(at_bundle, h1);
        free(at_bundle);
        if (xa_cstore_digest(s, dg[order], &e) != XA_OK) /* the audit counts differ */
            die("digest", &e);
        xa_cstore_close(s);
        free(db);
    }
    assert_string_equal(dg[0], dg[1]);
    json_decref(one);
    json_decref(two);
    json_decref(r);
    free(p1);
    free(p2);
    fx_inspector_free(b);
}

/* Derive every hazard's state again as the office commands do and check
 * the store does not change (its content digest). */
static void states_as_derived(xa_cstore *s)
{
    char before[65], after[65];
    struct xa_chazard *h = NULL;
    size_t n = 0;
    xa_err e;
    if (xa_cstore_digest(s, before, &e) != XA_OK || xa_cstore_hazards(s, NULL, NULL, &h, &n, &e) != XA_OK)
        die("digest", &e);
    assert_true(n > 0);
    const char **ids = xa_calloc(n, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = h[i].id;
    if (xa_cstore_begin(s, &e) != XA_OK ||
        xa_cstore_end(s, xa_hazard_refresh_each(s, ids, n, &e), "test", NULL, &e) != XA_OK ||
        xa_cstore_digest(s, after, &e) != XA_OK)
        die("refresh", &e);
    free(ids);
    xa_chazards_free(h, n);
    assert_string_equal(before, after);
}

/* The state a merge stores with a new hazard (derived from its own finding
 * and an on-the-spot rectification, without reading it back) is the state
 * the office's derivation gives: general and major, rectified on the spot
 * or not, a follow-up merged before its finding, follow-ups in a later
 * bundle — with general hazards closed in the field and with the office's
 * sign-off for them too. */
static void new_hazard_state_as_derived(void **state)
{
    (void)state;
    for (int office_signs = 0; office_signs < 2; office_signs++) {
        fx_inspector *c = fx_inspector_new("王五");
        enum { N = 12 };
        char found[N][XA_ID_HEX];
        const xa_school *schools[N];
        json_t *r1 = visits(c, N, 0, found, schools, NULL, NULL, 0);
        json_t *r2 = visits(c, N, N * 120, NULL, NULL, found, schools, N / 2);
        /* bundle 1: the second bundle's follow-ups first (held until their
         * findings come), then the findings */
        json_t *first = json_array(), *second = json_array();
        for (size_t i = 0; i < N; i++)
            json_array_append(first, json_array_get(r2, i));
        for (size_t i = 0; i < N; i++)
            json_array_append(second, json_array_get(r1, i));
        char *p1 = path_in("state1.xab"), *p2 = path_in("state2.xab");
        char *db = path_in(office_signs ? "state-b.db" : "state-a.db");
        fx_container(p1, XA_BUNDLE_FORMAT, c, office->age_pk, 1, NULL, NULL, first);
        char h1[65];
        fx_file_hash(p1, h1);
        fx_container(p2, XA_BUNDLE_FORMAT, c, office->age_pk, 2, h1, NULL, second);
        xa_cstore *s = copy_base(db);
        xa_err e;
        if (fx_enroll(s, c->id, &e) != XA_OK ||
            (office_signs &&
             xa_cstore_setting_set(s, "signoff.general", "office", &e) != XA_OK))
            die("enroll", &e);
        merge_ok(s, p1);
        states_as_derived(s);
        merge_ok(s, p2);
        states_as_derived(s);
        /* and some were closed or await the sign-off, some are open */
        int64_t n = 0;
        if (xa_cstore_count(s, "hazards", &n, &e) != XA_OK)
            die("count", &e);
        assert_int_equal(n, 2 * N);
        xa_cstore_close(s);
        json_decref(first);
        json_decref(second);
        json_decref(r1);
        json_decref(r2);
        free(p1);
        free(p2);
        free(db);
        fx_inspector_free(c);
    }
}

/* The registration number of hazard id (a new string). */
static char *number_of(xa_cstore *s, const char *id)
{
    struct xa_creg r;
    xa_err e;
    if (xa_cstore_reg_get(s, id, &r, &e) != XA_OK)
        die("registration", &e);
    char *n = xa_strdup(r.number);
    xa_creg_free(&r);
    return n;
}

/* Registration numbers cost one lookup per county and year in a bundle,
 * not a statement per hazard, and are the numbers they always were: the
 * next of their county and year in the order the merge meets the hazards
 * (one bundle after another, visits in bundle order), without gaps. */
static void numbers_one_lookup_per_county(void **state)
{
    (void)state;
    fx_inspector *a = fx_inspector_new("赵六");
    xa_err e;
    char *db = path_in("numbers.db"), *p1 = path_in("num1.xab"), *p2 = path_in("num2.xab");
    xa_cstore *s = copy_base(db);
    if (fx_enroll(s, a->id, &e) != XA_OK)
        die("enroll", &e);
    enum { N = 24 };
    char found[2][N][XA_ID_HEX];
    const xa_school *schools[2][N];
    json_t *r = visits(a, N, 0, found[0], schools[0], NULL, NULL, 0);
    fx_container(p1, XA_BUNDLE_FORMAT, a, office->age_pk, 1, NULL, NULL, r);
    json_decref(r);
    char h[65];
    fx_file_hash(p1, h);
    r = visits(a, N, N * 120, found[1], schools[1], NULL, NULL, 0);
    fx_container(p2, XA_BUNDLE_FORMAT, a, office->age_pk, 2, h, NULL, r);
    json_decref(r);

    /* the counties of the bundle's visits (all found in December 2025) */
    const char *county[N];
    size_t ncounty = 0;
    for (size_t i = 0; i < N; i++) {
        size_t k = 0;
        while (k < ncounty && strcmp(county[k], schools[0][i]->county))
            k++;
        if (k == ncounty)
            county[ncounty++] = schools[0][i]->county;
    }
    assert_true(ncounty > 1 && ncounty < N);
    int64_t next[N] = {0};
    for (int b = 0; b < 2; b++) {
        struct xa_cstore_stats before, after;
        xa_cstore_stats(s, &before);
        merge_ok(s, b ? p2 : p1);
        xa_cstore_stats(s, &after);
        if (after.number_lookups - before.number_lookups != ncounty)
            fail_msg("bundle %d: %llu next-number lookups for %d hazards in %zu counties", b + 1,
                     (unsigned long long)(after.number_lookups - before.number_lookups), N,
                     ncounty);
        for (size_t i = 0; i < N; i++) {
            size_t k = 0;
            while (strcmp(county[k], schools[b][i]->county))
                k++;
            char *abbr = xa_hazard_county_abbr(county[k]);
            char *want = xa_asprintf("%s-2025-%04lld", abbr, (long long)++next[k]);
            char *got = number_of(s, found[b][i]);
            if (strcmp(got, want))
                fail_msg("bundle %d hazard %zu: number %s, want %s", b + 1, i, got, want);
            free(abbr);
            free(want);
            free(got);
        }
    }
    xa_cstore_close(s);
    free(db);
    free(p1);
    free(p2);
    fx_inspector_free(a);
}

/* The statements a merge runs per visit (issue 17, sixth session): a
 * visit's stored hash and its school are one SELECT, and the findings that
 * may no longer hold (the chain window's gap and fork ids, the re-checked
 * follow-ups' other reasons) are dropped 16 to a statement instead of one
 * statement each.  Visits with four answers, one form and one hazard each
 * (every third rectified on the spot): a bundle of new findings ran 13.2
 * statements a visit before (main at ff3196f) and 9.4 after; a bundle whose
 * every other visit re-checks a hazard of the first (its state derived
 * again, its follow-up checked) 18.1 before and 13.1 after.  (Rows with
 * random keys — events, hazards — stay one INSERT each: several in one
 * statement make SQLite keep a statement journal of every leaf they touch,
 * about three times the CPU per row; docs/performance.md.) */
static void statements_per_visit(void **state)
{
    (void)state;
    fx_inspector *a = fx_inspector_new("赵六");
    xa_err e;
    char *db = path_in("stmts.db"), *p1 = path_in("stmts1.xab"), *p2 = path_in("stmts2.xab");
    xa_cstore *s = copy_base(db);
    if (fx_enroll(s, a->id, &e) != XA_OK)
        die("enroll", &e);
    enum { N = 40 };
    two_bundles(a, N, p1, p2);
    struct xa_cstore_stats st[3];
    xa_cstore_stats(s, &st[0]);
    merge_ok(s, p1);
    xa_cstore_stats(s, &st[1]);
    merge_ok(s, p2);
    xa_cstore_stats(s, &st[2]);
    double fresh = (double)(st[1].statements - st[0].statements) / N;
    double again = (double)(st[2].statements - st[1].statements) / N;
    print_message("statements per visit: %.2f (new findings), %.2f (with re-checks)\n", fresh,
                  again);
    if (fresh > 10.5)
        fail_msg("a bundle of new findings ran %.2f statements a visit (at most 10.5)", fresh);
    if (again > 14.0)
        fail_msg("a bundle with re-checks ran %.2f statements a visit (at most 14)", again);
    xa_cstore_close(s);
    free(db);
    free(p1);
    free(p2);
    fx_inspector_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statements_per_visit),
        cmocka_unit_test(no_full_table_scan),
        cmocka_unit_test(split_visit_finding_names_first_bundle),
        cmocka_unit_test(new_hazard_state_as_derived),
        cmocka_unit_test(numbers_one_lookup_per_county),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
