/* test_merge.c — merging bundles into the central store, built through the
 * library: several inspectors, hundreds of visits, hazards and follow-ups.
 * Re-merging changes nothing; all 24 orders of 4 bundles give the same
 * store; a re-check merged before its finding still closes the hazard;
 * rejected bundles leave the store as it was (but for quarantine);
 * anomalies (gap, fork, conflict, unknown school and form); a bundle whose
 * visits straddle a stored seq replaces the gap findings around them; the
 * three parts of a split export and a later bundle in all 24 orders give
 * one store, and no photo waiting for a missing part is lost.
 *
 * `test_merge fixture DIR OFFICE_ID` writes bundles for the CLI tests. */
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
#include "xiaoan/central.h"
#include "xiaoan/report.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/mem.h"

#include <sodium.h>

#define NOW "2026-12-20T10:00:00+08:00"


/* The period report as text, from the start of 2026 to today. */
static xa_code report_text(xa_cstore *s, xa_buf *out, xa_err *err)
{
    struct xa_report_opts o = {.from = xa_days_from_civil(2026, 1, 1), .to = xa_today(),
                               .today = xa_today()};
    struct xa_report *r = NULL;
    xa_code c = xa_report_compute(s, &o, &r, err);
    if (c == XA_OK)
        c = xa_report_render(r, XA_REPORT_TEXT, out, err);
    xa_report_free(r);
    return c;
}

static char dir[256];
static xa_identity *office;
static xa_roster *roster;
static xa_form_set *forms;
static fx_inspector *A, *B, *C, *D, *E, *F;
static char *paths[4]; /* a1, a2, b1, c1 */
static char *a2_first_hazard; /* found in a2, re-checked "rectified" in b1 */
static char *a1_partly_hazard; /* partly in a2, rectified in c1 */
static char *a1_notyet_hazard; /* found in a1, never followed up */
static char *b1_other_school;  /* c1 "re-checks" it from another school: not trusted */
static char *b1_too_early;     /* c1 "re-checks" it with a time before its finding */
#define UNKNOWN_HAZARD "0123456789abcdef0123456789abcdef" /* never found anywhere */

static char *path_in(const char *name)
{
    return xa_asprintf("%s/%s", dir, name);
}

static void die(const char *what, const xa_err *e)
{
    fail_msg("%s: %s", what, xa_err_msg(e));
}

/* "2026-10-01T08:00:00+08:00" + minutes */
static void at(int64_t minutes, char out[XA_RFC3339_MAX])
{
    int64_t base;
    xa_time_parse("2026-10-01T08:00:00+08:00", &base, NULL, NULL);
    xa_time_format(base + minutes * 60, XA_CST_OFFSET, out);
}

struct hz {
    char id[XA_ID_HEX];
    char found[XA_RFC3339_MAX];
    const xa_school *school; /* where it was found: a follow-up is made there */
};

/* n visits of one inspector starting at minute t0 (one every 3 hours), each
 * with a form, five answers, a hazard on every third, follow-ups given (one
 * every third visit, made at the school of the hazard it re-checks: the
 * office trusts only those, issue 12). */
static json_t *visits(fx_inspector *in, int n, int64_t t0, struct hz *found, size_t *nfound,
                      const struct hz *follow, const char *const *verdicts, size_t nfollow)
{
    json_t *recs = json_array();
    const xa_form *f = forms->forms[0];
    size_t fi = 0;
    for (int i = 0; i < n; i++) {
        const xa_school *sc = &roster->schools[(size_t)(i * 7 + in->seq) % roster->n];
        int follows = fi < nfollow && (int)fi * 3 <= i;
        if (follows && follow[fi].school)
            sc = follow[fi].school;
        char arrived[XA_RFC3339_MAX], later[XA_RFC3339_MAX], sealed[XA_RFC3339_MAX];
        at(t0 + i * 180, arrived);
        at(t0 + i * 180 + 20, later);
        at(t0 + i * 180 + 90, sealed);
        json_t *d = fx_visit(in, sc->code, sc->name, sc->county,
                             i % 5 ? "four-not-two-direct" : "random", arrived);
        fx_form(d, f->id, f->version, f->hash_hex);
        for (size_t k = 0; k < 5 && k < f->nitems; k++)
            fx_answer(d, f->id, f->items[k].code, k == 2 && i % 3 == 0 ? "hazard" : "pass");
        if (i % 3 == 0) {
            const char *id = fx_hazard(d, f->id, f->items[2].code, xa_category_key(f->category),
                                       i % 2 ? "general" : "major", "疏散通道堆放杂物", later,
                                       i % 4 ? NULL : "2026-12-31", i % 7 == 3);
            if (found) {
                snprintf(found[*nfound].id, XA_ID_HEX, "%s", id);
                snprintf(found[*nfound].found, XA_RFC3339_MAX, "%s", later);
                found[*nfound].school = sc;
                (*nfound)++;
            }
        }
        if (follows) {
            fx_followup(d, follow[fi].id, verdicts[fi], later);
            fi++;
        }
        json_array_append_new(recs, fx_seal(in, d, sealed));
    }
    return recs;
}

static void enroll(xa_cstore *s, const fx_inspector *in)
{
    xa_err e;
    if (fx_enroll(s, in->id, &e) != XA_OK)
        die("enroll", &e);
}

static int setup(void **state)
{
    (void)state;
    setenv("XIAOAN_NOW", NOW, 1);
    if (fx_tmpdir(dir, sizeof dir, "merge") != 0)
        return -1;
    xa_err e;
    char *base = path_in("base.db");
    xa_cstore *s = NULL;
    if (fx_example_data(&roster, &forms, &e) != XA_OK ||
        fx_office_create(base, "office pass", roster, forms, &s, &office, &e) != XA_OK) {
        fprintf(stderr, "setup: %s\n", e.msg);
        return -1;
    }
    A = fx_inspector_new("张三");
    B = fx_inspector_new("李四");
    C = fx_inspector_new("王五");
    D = fx_inspector_new("赵六");  /* never enrolled */
    E = fx_inspector_new("钱七");  /* revoked */
    F = fx_inspector_new("孙八");  /* anomalies */
    enroll(s, A);
    enroll(s, B);
    enroll(s, C);
    enroll(s, E);
    enroll(s, F);
    xa_cstore_close(s);
    free(base);

    /* the four bundles */
    struct hz a1h[64], a2h[64], b1h[64];
    size_t na1 = 0, na2 = 0, nb1 = 0;
    static const char *const rect[] = {"rectified", "partly",        "rectified", "partly",
                                       "rectified", "not-rectified", "rectified", "unable",
                                       "rectified", "partly",        "rectified", "rectified"};
    static const char *const allrect[] = {"rectified", "rectified", "rectified", "rectified",
                                          "rectified", "rectified", "rectified", "rectified",
                                          "rectified", "rectified", "rectified", "rectified"};
    json_t *r;
    char h[65];
    paths[0] = path_in("a1.xab");
    r = visits(A, 90, 0, a1h, &na1, NULL, NULL, 0);
    fx_container(paths[0], XA_BUNDLE_FORMAT, A, office->age_pk, 1, NULL, NULL, r);
    json_decref(r);
    fx_file_hash(paths[0], h);
    paths[1] = path_in("a2.xab");
    r = visits(A, 80, 90 * 180, a2h, &na2, a1h, rect, 12);
    fx_container(paths[1], XA_BUNDLE_FORMAT, A, office->age_pk, 2, h, NULL, r);
    json_decref(r);
    paths[2] = path_in("b1.xab");
    r = visits(B, 100, 200 * 180, b1h, &nb1, a2h, allrect, 10);
    fx_container(paths[2], XA_BUNDLE_FORMAT, B, office->age_pk, 1, NULL, NULL, r);
    json_decref(r);
    /* c1: re-checks b1's hazards, and rectifies an a1 hazard left "partly" */
    struct hz cf[13];
    memcpy(cf, b1h, 12 * sizeof *cf);
    cf[12] = a1h[1];
    static const char *const mixed[] = {"not-rectified", "rectified", "partly",   "rectified",
                                        "rectified",     "rectified", "unable",   "rectified",
                                        "rectified",     "rectified", "rectified", "rectified",
                                        "rectified"};
    paths[3] = path_in("c1.xab");
    r = visits(C, 60, 300 * 180, NULL, NULL, cf, mixed, 13);
    /* and one visit of follow-ups the office must not trust (issue 12): at a
     * school that is not the hazard's, checked before the finding, of a
     * hazard nobody found; each is a followup-mismatch anomaly */
    {
        const xa_school *other = b1h[20].school == &roster->schools[0] ? &roster->schools[1]
                                                                      : &roster->schools[0];
        char t[XA_RFC3339_MAX], early[XA_RFC3339_MAX], sealed[XA_RFC3339_MAX];
        at(300 * 180 + 60 * 180, t);
        at(10, early);
        at(300 * 180 + 60 * 180 + 60, sealed);
        json_t *d = fx_visit(C, other->code, other->name, other->county, "follow-up", t);
        fx_followup(d, b1h[20].id, "rectified", t);
        fx_followup(d, UNKNOWN_HAZARD, "rectified", t);
        json_array_append_new(r, fx_seal(C, d, sealed));
        at(300 * 180 + 61 * 180, t);
        at(300 * 180 + 61 * 180 + 60, sealed);
        d = fx_visit(C, b1h[21].school->code, b1h[21].school->name, b1h[21].school->county,
                     "follow-up", t);
        fx_followup(d, b1h[21].id, "rectified", early);
        json_array_append_new(r, fx_seal(C, d, sealed));
        b1_other_school = xa_strdup(b1h[20].id);
        b1_too_early = xa_strdup(b1h[21].id);
    }
    fx_container(paths[3], XA_BUNDLE_FORMAT, C, office->age_pk, 1, NULL, NULL, r);
    json_decref(r);
    a2_first_hazard = xa_strdup(a2h[0].id);
    a1_partly_hazard = xa_strdup(a1h[1].id);
    a1_notyet_hazard = xa_strdup(a1h[20].id);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int rc = fx_rmrf(dir);
    for (int i = 0; i < 4; i++)
        free(paths[i]);
    free(a2_first_hazard);
    free(a1_partly_hazard);
    free(a1_notyet_hazard);
    free(b1_other_school);
    free(b1_too_early);
    fx_inspector_free(A);
    fx_inspector_free(B);
    fx_inspector_free(C);
    fx_inspector_free(D);
    fx_inspector_free(E);
    fx_inspector_free(F);
    xa_identity_free(office);
    xa_roster_free(roster);
    xa_form_set_free(forms);
    return rc == 0 ? 0 : -1;
}

/* A copy of the base store (before any merge), open. */
static xa_cstore *copy_base(const char *name)
{
    char *from = path_in("base.db"), *to = path_in(name);
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    if (xa_read_file(from, 1u << 30, &b, &e) != XA_OK || xa_write_atomic(to, b.data, b.len, &e) != XA_OK)
        die("copy", &e);
    xa_buf_clear(&b);
    xa_cstore *s = NULL;
    if (xa_cstore_open(to, &s, &e) != XA_OK)
        die("open copy", &e);
    free(from);
    free(to);
    return s;
}

static void merge_ok(xa_cstore *s, const char *path, struct xa_merge_result *r)
{
    xa_err e;
    if (xa_merge_file(s, office, path, r, &e) != XA_OK)
        die("merge", &e);
    if (!r->accepted)
        fail_msg("%s rejected: %s", path, r->reason);
}

/* The content digest (without audit and quarantine). */
static void digest(xa_cstore *s, char out[65])
{
    xa_err e;
    if (xa_cstore_digest(s, out, &e) != XA_OK)
        die("digest", &e);
}

/* Every table, audit and quarantine included (times and paths left out). */
static void digest_all(xa_cstore *s, char out[65])
{
    xa_err e;
    if (xa_cstore_digest_all(s, out, &e) != XA_OK)
        die("digest", &e);
}

static int64_t count(xa_cstore *s, const char *table)
{
    int64_t n = 0;
    xa_err e;
    if (xa_cstore_count(s, table, &n, &e) != XA_OK)
        die("count", &e);
    return n;
}

static const char *state_of(xa_cstore *s, const char *hazard, struct xa_chazard *h)
{
    xa_err e;
    if (xa_cstore_hazard_get(s, hazard, h, &e) != XA_OK)
        die("hazard", &e);
    return h->state;
}

static int accept_any(const uint8_t *pk, const char *fp, const char *created, void *ctx)
{
    (void)pk, (void)fp, (void)created, (void)ctx;
    return 1;
}

static void remerge_changes_nothing(void **state)
{
    (void)state;
    xa_cstore *s = copy_base("remerge.db");
    struct xa_merge_result r;
    int64_t total = 0;
    for (int i = 0; i < 4; i++) {
        merge_ok(s, paths[i], &r);
        assert_false(r.already);
        assert_int_equal(r.fresh, r.visits);
        assert_int_equal(r.anomalies, 0);
        total += r.visits;
    }
    assert_int_equal(total, 332);
    assert_int_equal(count(s, "visits"), 332);
    /* only the three follow-ups the office does not trust */
    assert_int_equal(count(s, "anomalies"), 3);
    char d1[65], d2[65];
    digest_all(s, d1);
    int64_t audit = count(s, "audit");
    for (int i = 3; i >= 0; i--) {
        merge_ok(s, paths[i], &r);
        assert_true(r.already);
        assert_int_equal(r.fresh, 0);
    }
    digest_all(s, d2);
    assert_string_equal(d1, d2);
    assert_int_equal(count(s, "audit"), audit);
    assert_int_equal(count(s, "quarantine"), 0);

    /* the same visits in another bundle file: merged, nothing new */
    xa_err e;
    json_t *man = NULL, *recs = NULL;
    xa_age_identity *aid = NULL;
    assert_int_equal(xa_age_identity_from_secret(office->sec->age_sk, &aid, &e), XA_OK);
    const xa_age_identity *ids[1] = {aid};
    assert_int_equal(xa_container_read(paths[2], ids, 1, XA_BUNDLE_FORMAT, NULL, accept_any, NULL,
                                       &man, &recs, &e),
                     XA_OK);
    xa_age_identity_free(aid);
    char *again = path_in("b1-again.xab");
    fx_container(again, XA_BUNDLE_FORMAT, B, office->age_pk, 2, NULL, NULL, recs);
    merge_ok(s, again, &r);
    assert_false(r.already);
    assert_int_equal(r.visits, 100);
    assert_int_equal(r.fresh, 0);
    assert_int_equal(count(s, "visits"), 332);
    free(again);
    json_decref(man);
    json_decref(recs);

    /* states after everything */
    struct xa_chazard h;
    /* major: a field re-check finding it rectified waits for the office */
    assert_string_equal(state_of(s, a2_first_hazard, &h), "rechecked");
    assert_int_equal(h.rechecks, 1);
    xa_chazard_clear(&h);
    assert_string_equal(state_of(s, a1_partly_hazard, &h), "closed"); /* partly, then rectified */
    assert_int_equal(h.rechecks, 2);
    xa_chazard_clear(&h);
    assert_string_equal(state_of(s, a1_notyet_hazard, &h), "open");
    xa_chazard_clear(&h);

    /* the ledger and the report work on the real thing */
    xa_buf b = XA_BUF_INIT;
    size_t rows = 0;
    assert_int_equal(xa_ledger_write(s, XA_LEDGER_ALL, NULL, XA_OUT_CSV, xa_today(), &b, &rows, &e),
                     XA_OK);
    assert_int_equal((int64_t)rows, count(s, "hazards"));
    xa_buf_reset(&b);
    assert_int_equal(report_text(s, &b, &e), XA_OK);
    assert_non_null(strstr(b.data, "四不两直"));
    xa_buf_clear(&b);

    /* a brief for A carries receipts for both of A's bundles */
    char *bp = path_in("a.xbrief");
    struct xa_brief_counts k;
    assert_int_equal(xa_brief_write(s, office, A->id->fingerprint, NULL, bp, &k, NULL, &e), XA_OK);
    assert_int_equal(k.receipts, 2);
    assert_true(k.hazards > 0);
    assert_int_equal(k.schools, roster->n);
    free(bp);
    xa_cstore_close(s);
}

/* The 24 orders of 4 bundles, by Heap's algorithm taken one step at a
 * time: perm starts as 0 1 2 3; next_order makes the next one, 0 after the
 * last. */
struct orders {
    int perm[4], cnt[4], i;
};
#define ORDERS_INIT {{0, 1, 2, 3}, {0, 0, 0, 0}, 1}

static int next_order(struct orders *o)
{
    while (o->i < 4 && o->cnt[o->i] >= o->i) {
        o->cnt[o->i] = 0;
        o->i++;
    }
    if (o->i >= 4)
        return 0;
    int j = o->i % 2 ? o->cnt[o->i] : 0;
    int t = o->perm[j];
    o->perm[j] = o->perm[o->i];
    o->perm[o->i] = t;
    o->cnt[o->i]++;
    o->i = 1;
    return 1;
}

/* Remove a store copy with its WAL, its shared memory and its attachments. */
static void remove_store(const char *name)
{
    char *p = path_in(name);
    unlink(p);
    char *wal = xa_asprintf("%s-wal", p), *shm = xa_asprintf("%s-shm", p);
    unlink(wal);
    unlink(shm);
    free(wal);
    free(shm);
    char *att = xa_cstore_attachments_dir(p);
    if (xa_path_exists(att))
        fx_rmrf(att);
    free(att);
    free(p);
}

static void all_orders_same_store(void **state)
{
    (void)state;
    struct orders o = ORDERS_INIT;
    int *perm = o.perm;
    char first[65] = "";
    int n = 0;
    do {
        char name[32];
        snprintf(name, sizeof name, "order%d.db", n);
        xa_cstore *s = copy_base(name);
        struct xa_merge_result r;
        for (int k = 0; k < 4; k++)
            merge_ok(s, paths[perm[k]], &r);
        char d[65], again[65];
        digest_all(s, d);
        /* the merge checks only the follow-ups of the hazards each bundle
         * touched (issue 17): the whole check finds nothing to change */
        xa_err fe;
        assert_int_equal(xa_hazard_check_followups(s, &fe), XA_OK);
        digest_all(s, again);
        assert_string_equal(d, again);
        if (!n)
            memcpy(first, d, sizeof first);
        else if (strcmp(first, d) != 0)
            fail_msg("order %d %d %d %d gives another store", perm[0], perm[1], perm[2], perm[3]);
        struct xa_chazard h;
        assert_string_equal(state_of(s, a2_first_hazard, &h), "rechecked");
        xa_chazard_clear(&h);
        /* the untrusted follow-ups changed nothing, whatever the order */
        assert_string_equal(state_of(s, b1_other_school, &h), "open");
        assert_int_equal(h.rechecks, 0);
        xa_chazard_clear(&h);
        assert_string_equal(state_of(s, b1_too_early, &h), "open");
        xa_chazard_clear(&h);
        struct xa_canomaly *an = NULL;
        size_t nan = 0;
        xa_err ae;
        assert_int_equal(xa_cstore_anomalies(s, &an, &nan, &ae), XA_OK);
        int mism = 0;
        for (size_t q = 0; q < nan; q++)
            mism += !strcmp(an[q].kind, "followup-mismatch");
        assert_int_equal(mism, 3);
        xa_canomalies_free(an, nan);
        xa_cstore_close(s);
        remove_store(name);
        n++;
    } while (next_order(&o));
    assert_int_equal(n, 24);
}

static void recheck_before_finding(void **state)
{
    (void)state;
    xa_cstore *s = copy_base("early.db");
    struct xa_merge_result r;
    merge_ok(s, paths[0], &r); /* a1 */
    merge_ok(s, paths[2], &r); /* b1: re-checks a2's hazards, not merged yet */
    struct xa_chazard h;
    xa_err e;
    assert_int_equal(xa_cstore_hazard_get(s, a2_first_hazard, &h, &e), XA_ENOTFOUND);
    merge_ok(s, paths[1], &r); /* a2: the finding */
    assert_string_equal(state_of(s, a2_first_hazard, &h), "rechecked"); /* major */
    assert_string_equal(h.last_verdict, "rectified");
    assert_string_equal(h.last_checker, B->id->fingerprint);
    xa_chazard_clear(&h);
    xa_cstore_close(s);
}

/* Write bytes to a file in the test folder. */
static char *write_bytes(const char *name, const void *data, size_t len)
{
    char *p = path_in(name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    if (len)
        assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static void expect_reject(xa_cstore *s, const char *path, const char *reason_part)
{
    char before[65], after[65];
    digest(s, before);
    int64_t q = count(s, "quarantine"), audit = count(s, "audit");
    struct xa_merge_result r;
    xa_err e;
    if (xa_merge_file(s, office, path, &r, &e) != XA_OK)
        die("merge", &e);
    if (r.accepted)
        fail_msg("%s was accepted", path);
    if (!strstr(r.reason, reason_part))
        fail_msg("%s: reason '%s' lacks '%s'", path, r.reason, reason_part);
    digest(s, after);
    assert_string_equal(before, after);
    assert_int_equal(count(s, "quarantine"), q + 1);
    assert_int_equal(count(s, "audit"), audit + 1);
    struct xa_cquarantine *qv = NULL;
    size_t nq = 0;
    assert_int_equal(xa_cstore_quarantine(s, &qv, &nq, &e), XA_OK);
    int found = 0;
    for (size_t i = 0; i < nq; i++)
        if (!strcmp(qv[i].reason, r.reason)) {
            found = 1;
            if (*qv[i].path)
                assert_true(xa_path_exists(qv[i].path));
        }
    assert_true(found);
    xa_cquarantine_free(qv, nq);
}

static void rejected_leave_store_unchanged(void **state)
{
    (void)state;
    xa_cstore *s = copy_base("reject.db");
    struct xa_merge_result r;
    merge_ok(s, paths[0], &r);
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    assert_int_equal(xa_read_file(paths[1], 1u << 28, &b, &e), XA_OK);

    /* bit-flipped in the payload, and in the header */
    b.data[b.len / 2] ^= 0x10;
    char *p = write_bytes("flipped.xab", b.data, b.len);
    expect_reject(s, p, "damaged");
    free(p);
    b.data[b.len / 2] ^= 0x10;
    b.data[40] ^= 0x01;
    p = write_bytes("flipped-header.xab", b.data, b.len);
    expect_reject(s, p, "");
    free(p);
    b.data[40] ^= 0x01;
    /* truncated */
    p = write_bytes("truncated.xab", b.data, b.len * 2 / 3);
    expect_reject(s, p, "");
    free(p);
    p = write_bytes("cut.xab", b.data, b.len - 1);
    expect_reject(s, p, "");
    free(p);
    xa_buf_clear(&b);
    /* garbage, empty */
    char junk[3000];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7919 % 251);
    p = write_bytes("garbage.xab", junk, sizeof junk);
    expect_reject(s, p, "not");
    free(p);
    p = write_bytes("empty.xab", "", 0);
    expect_reject(s, p, "empty");
    free(p);

    /* unknown sender */
    json_t *recs = visits(D, 3, 0, NULL, NULL, NULL, NULL, 0);
    p = path_in("unknown.xab");
    fx_container(p, XA_BUNDLE_FORMAT, D, office->age_pk, 1, NULL, NULL, recs);
    json_decref(recs);
    expect_reject(s, p, "not from a known sender");
    free(p);

    /* revoked (issue 11 #1): judged by what was merged before the revocation,
     * never by the date a bundle claims.  E's bundle 1 is merged, then E is
     * revoked; bundle 2 claims a date before the revocation and is refused
     * all the same; a bundle reusing seq 1 with visits after the last merged
     * one is refused too; the office can allow one file by its hash. */
    recs = visits(E, 2, 0, NULL, NULL, NULL, NULL, 0);
    char *before = path_in("e-before.xab");
    fx_container(before, XA_BUNDLE_FORMAT, E, office->age_pk, 1, NULL,
                 "2026-12-01T10:00:00+08:00", recs);
    json_decref(recs);
    merge_ok(s, before, &r);
    assert_int_equal(r.fresh, 2);
    char h[65];
    fx_file_hash(before, h);
    recs = visits(E, 2, 10000, NULL, NULL, NULL, NULL, 0);
    char *after = path_in("e-after.xab");
    fx_container(after, XA_BUNDLE_FORMAT, E, office->age_pk, 2, h, "2026-12-05T10:00:00+08:00",
                 recs);
    json_decref(recs);
    recs = visits(E, 1, 20000, NULL, NULL, NULL, NULL, 0);
    char *reseq = path_in("e-reseq.xab");
    fx_container(reseq, XA_BUNDLE_FORMAT, E, office->age_pk, 1, NULL,
                 "2026-11-01T10:00:00+08:00", recs);
    json_decref(recs);
    setenv("XIAOAN_NOW", "2026-12-10T00:00:00+08:00", 1);
    int64_t bcut = -1, vcut = -1;
    assert_int_equal(xa_office_revoke(s, E->id->fingerprint, NULL, &bcut, &vcut, &e), XA_OK);
    assert_int_equal(bcut, 1);
    assert_int_equal(vcut, 2);
    setenv("XIAOAN_NOW", NOW, 1);
    expect_reject(s, after, "after bundle 1");
    expect_reject(s, reseq, "after visit 2");
    merge_ok(s, before, &r); /* what was merged before stays merged */
    assert_int_equal(r.already, 1);
    char ah[65];
    assert_int_equal(xa_office_revoke_allow(s, E->id->fingerprint, after, ah, &e), XA_OK);
    merge_ok(s, after, &r); /* allowed by hash: verified in full, then merged */
    assert_int_equal(r.fresh, 2);
    expect_reject(s, reseq, "revoked"); /* the allowance is for that one file only */
    assert_int_equal(xa_office_revoke_allow(s, A->id->fingerprint, after, ah, &e), XA_ESTATE);
    free(before);
    free(after);
    free(reseq);

    /* a brief fed to merge */
    p = path_in("b.xbrief");
    assert_int_equal(xa_brief_write(s, office, A->id->fingerprint, "龙泉市", p, NULL, NULL, &e),
                     XA_OK);
    expect_reject(s, p, "brief");
    free(p);

    /* A's bundle carrying a visit sealed by B: rejected as a whole */
    recs = visits(A, 2, 50000, NULL, NULL, NULL, NULL, 0);
    json_t *foreign = visits(B, 1, 50000, NULL, NULL, NULL, NULL, 0);
    json_array_extend(recs, foreign);
    json_decref(foreign);
    p = path_in("foreign.xab");
    fx_container(p, XA_BUNDLE_FORMAT, A, office->age_pk, 3, NULL, NULL, recs);
    json_decref(recs);
    expect_reject(s, p, "signature");
    free(p);

    /* a bundle for another office */
    fx_inspector *other = fx_inspector_new("别的办公室");
    recs = visits(A, 1, 60000, NULL, NULL, NULL, NULL, 0);
    p = path_in("elsewhere.xab");
    fx_container(p, XA_BUNDLE_FORMAT, A, other->id->age_pk, 4, NULL, NULL, recs);
    json_decref(recs);
    expect_reject(s, p, "not encrypted to this key");
    free(p);
    fx_inspector_free(other);

    /* a missing file: rejected, nothing to keep */
    p = path_in("missing.xab");
    assert_int_equal(xa_merge_file(s, office, p, &r, &e), XA_OK);
    assert_false(r.accepted);
    free(p);
    xa_cstore_close(s);
}

static int has_anomaly(xa_cstore *s, const char *kind, const char *detail_part)
{
    struct xa_canomaly *v = NULL;
    size_t n = 0;
    xa_err e;
    if (xa_cstore_anomalies(s, &v, &n, &e) != XA_OK)
        die("anomalies", &e);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].kind, kind) && (!detail_part || strstr(v[i].detail, detail_part)))
            found = 1;
    xa_canomalies_free(v, n);
    return found;
}

static void anomalies(void **state)
{
    (void)state;
    xa_cstore *s = copy_base("anomaly.db");
    struct xa_merge_result r;
    const xa_form *f = forms->forms[0];
    char t[XA_RFC3339_MAX], h[65];

    /* seq 1, 2, [3 withheld], 4: a gap until 3 arrives */
    json_t *recs = json_array(), *held = NULL;
    for (int i = 0; i < 4; i++) {
        at(i * 100, t);
        json_t *d = fx_visit(F, roster->schools[i].code, roster->schools[i].name,
                             roster->schools[i].county, "special", t);
        fx_form(d, f->id, f->version, f->hash_hex);
        json_t *rec = fx_seal(F, d, t);
        if (i == 2)
            held = rec;
        else
            json_array_append_new(recs, rec);
    }
    char *p1 = path_in("f1.xab");
    fx_container(p1, XA_BUNDLE_FORMAT, F, office->age_pk, 1, NULL, NULL, recs);
    json_decref(recs);
    merge_ok(s, p1, &r);
    assert_true(has_anomaly(s, "gap", "visit 3 of"));
    /* unknown school, unknown form version, and the held visit */
    at(1000, t);
    json_t *d = fx_visit(F, "9999999999", "不存在的学校", "莲都区", "self", t);
    fx_form(d, f->id, f->version + 7, f->hash_hex);
    recs = json_array();
    json_array_append_new(recs, held);
    json_array_append_new(recs, fx_seal(F, d, t));
    char *p2 = path_in("f2.xab");
    fx_file_hash(p1, h);
    fx_container(p2, XA_BUNDLE_FORMAT, F, office->age_pk, 2, h, NULL, recs);
    merge_ok(s, p2, &r);
    assert_int_equal(r.fresh, 2);
    assert_false(has_anomaly(s, "gap", NULL)); /* filled */
    assert_true(has_anomaly(s, "unknown-school", "9999999999"));
    assert_true(has_anomaly(s, "unknown-form", "version"));
    assert_int_equal(count(s, "quarantine"), 0);

    /* the same visit id with other bytes: conflict, first kept, file quarantined */
    json_t *doc = json_deep_copy(json_object_get(held, "doc"));
    json_object_set_new(doc, "seal", json_null());
    json_object_set_new(doc, "kind", json_string("joint"));
    json_t *sealed = NULL;
    uint8_t sig[XA_SIG_BYTES], hh[XA_HASH_BYTES];
    xa_err e;
    int64_t st;
    xa_time_parse(t, &st, NULL, NULL);
    json_t *prevj = json_object_get(json_object_get(json_object_get(held, "doc"), "seal"), "prev");
    uint8_t prev[XA_HASH_BYTES];
    assert_int_equal(xa_hex_decode(json_string_value(prevj), prev, sizeof prev, &e), XA_OK);
    json_decref(recs);
    assert_int_equal(xa_visit_seal(doc, F->id, 3, prev, st, &sealed, sig, hh, &e), XA_OK);
    json_decref(doc);
    recs = json_array();
    json_array_append_new(recs, xa_visit_record(sealed, sig));
    json_decref(sealed);
    /* and a fork: another visit claiming seq 4 */
    at(2000, t);
    d = fx_visit(F, roster->schools[5].code, roster->schools[5].name, roster->schools[5].county,
                 "special", t);
    int64_t keep = F->seq;
    F->seq = 3;
    json_array_append_new(recs, fx_seal(F, d, t));
    F->seq = keep;
    char *p3 = path_in("f3.xab");
    fx_file_hash(p2, h);
    fx_container(p3, XA_BUNDLE_FORMAT, F, office->age_pk, 3, h, NULL, recs);
    json_decref(recs);
    merge_ok(s, p3, &r);
    assert_int_equal(r.visits, 2);
    assert_int_equal(r.fresh, 1);
    assert_true(has_anomaly(s, "conflict", "other content"));
    assert_true(has_anomaly(s, "fork", "seq 4"));
    assert_int_equal(count(s, "quarantine"), 1);

    /* a bundle gap: seq 5 without 4 */
    recs = visits(F, 1, 3000, NULL, NULL, NULL, NULL, 0);
    char *p5 = path_in("f5.xab");
    fx_container(p5, XA_BUNDLE_FORMAT, F, office->age_pk, 5, h, NULL, recs);
    json_decref(recs);
    merge_ok(s, p5, &r);
    assert_true(has_anomaly(s, "bundle-gap", "bundle 4"));
    assert_false(has_anomaly(s, "bundle-fork", NULL));
    /* bundle 4 arrives, but its prev names bundle 1: the gap is gone, a fork shows */
    recs = visits(F, 1, 4000, NULL, NULL, NULL, NULL, 0);
    char *p4 = path_in("f4.xab");
    fx_file_hash(p1, h);
    fx_container(p4, XA_BUNDLE_FORMAT, F, office->age_pk, 4, h, NULL, recs);
    json_decref(recs);
    merge_ok(s, p4, &r);
    assert_false(has_anomaly(s, "bundle-gap", NULL));
    assert_true(has_anomaly(s, "bundle-fork", "bundle 4 of"));
    free(p4);

    /* the school joins the roster: its finding goes away, the form's stays */
    struct xa_cschool sc = {0};
    sc.code = "9999999999";
    sc.name = "新建学校";
    sc.county = "莲都区";
    sc.type = "primary";
    sc.address = "";
    sc.pinyin = "";
    assert_int_equal(xa_cstore_school_put(s, &sc, NULL, &e), XA_OK);
    assert_int_equal(xa_cstore_anomalies_resolve(s, &e), XA_OK);
    assert_false(has_anomaly(s, "unknown-school", NULL));
    assert_true(has_anomaly(s, "unknown-form", NULL));
    sc.code = "9999999998";
    assert_int_equal(xa_cstore_school_put(s, &sc, NULL, &e), XA_OK);

    /* the report lists them */
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(report_text(s, &b, &e), XA_OK);
    assert_non_null(strstr(b.data, "unknown-form"));
    assert_non_null(strstr(b.data, "隔离文件：1"));
    xa_buf_clear(&b);
    free(p1);
    free(p2);
    free(p3);
    free(p5);
    xa_cstore_close(s);
}

/* The gap findings of one visit chain, "seq:detail" sorted, into out. */
static void gap_list(xa_cstore *s, const char *fp, char *out, size_t cap)
{
    struct xa_canomaly *v = NULL;
    size_t n = 0;
    xa_err e;
    if (xa_cstore_anomalies(s, &v, &n, &e) != XA_OK)
        die("anomalies", &e);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].kind, "gap") && v[i].inspector && !strcmp(v[i].inspector, fp))
            snprintf(out + strlen(out), cap - strlen(out), "%s|", v[i].detail);
    xa_canomalies_free(v, n);
}

/* A bundle whose visit seqs are not contiguous and straddle a seq the store
 * holds: visits 1, 5, 9 in bundle 1 and 3, 7 in bundle 2 (2, 4, 6, 8 never
 * arrive).  Whichever comes first, its gap findings ("2 to 4", "6 to 8" or
 * "1 to 2", "4 to 6") start inside the second bundle's window and must be
 * replaced, not kept beside the new ones: both orders give the four
 * one-visit gaps and the same store. */
static void chain_window_straddles_stored_seq(void **state)
{
    (void)state;
    fx_inspector *g = fx_inspector_new("周九");
    const xa_form *f = forms->forms[0];
    json_t *all[9];
    for (int i = 0; i < 9; i++) {
        char t[XA_RFC3339_MAX];
        at(i * 100, t);
        const xa_school *sc = &roster->schools[(size_t)i % roster->n];
        json_t *d = fx_visit(g, sc->code, sc->name, sc->county, "special", t);
        fx_form(d, f->id, f->version, f->hash_hex);
        all[i] = fx_seal(g, d, t);
    }
    json_t *odd = json_array(), *mid = json_array();
    for (int i = 0; i < 9; i++)
        if (i % 4 == 0) /* seqs 1, 5, 9 */
            json_array_append(odd, all[i]);
        else if (i % 4 == 2) /* seqs 3, 7 */
            json_array_append(mid, all[i]);
    char *p1 = path_in("g1.xab"), *p2 = path_in("g2.xab");
    char h[65];
    fx_container(p1, XA_BUNDLE_FORMAT, g, office->age_pk, 1, NULL, NULL, odd);
    fx_file_hash(p1, h);
    fx_container(p2, XA_BUNDLE_FORMAT, g, office->age_pk, 2, h, NULL, mid);
    json_decref(odd);
    json_decref(mid);
    for (int i = 0; i < 9; i++)
        json_decref(all[i]);

    char d[2][65], gaps[2][1024];
    for (int order = 0; order < 2; order++) {
        char name[32];
        snprintf(name, sizeof name, "straddle%d.db", order);
        xa_cstore *s = copy_base(name);
        enroll(s, g);
        struct xa_merge_result r;
        merge_ok(s, order ? p2 : p1, &r);
        gap_list(s, g->id->fingerprint, gaps[order], sizeof gaps[order]);
        /* the first bundle alone: two gaps of several visits each */
        assert_non_null(strstr(gaps[order], order ? "visit 1 to 2 of" : "visit 2 to 4 of"));
        assert_non_null(strstr(gaps[order], order ? "visit 4 to 6 of" : "visit 6 to 8 of"));
        merge_ok(s, order ? p1 : p2, &r);
        assert_int_equal(r.fresh, order ? 3 : 2);
        gap_list(s, g->id->fingerprint, gaps[order], sizeof gaps[order]);
        for (int k = 2; k <= 8; k += 2) {
            char want[64];
            snprintf(want, sizeof want, "visit %d of ", k);
            if (!strstr(gaps[order], want))
                fail_msg("order %d: no gap finding for visit %d alone: %s", order, k,
                         gaps[order]);
        }
        if (strstr(gaps[order], " to "))
            fail_msg("order %d: a gap finding of the first bundle was kept: %s", order,
                     gaps[order]);
        assert_false(has_anomaly(s, "fork", NULL));
        digest_all(s, d[order]);
        xa_cstore_close(s);
    }
    assert_string_equal(gaps[0], gaps[1]);
    assert_string_equal(d[0], d[1]);
    free(p1);
    free(p2);
    fx_inspector_free(g);
}

/* ---- the parts of a split export (docs/formats.md "Split exports") ---- */

/* One attachment of the split test: its bytes, entry and the bundle (0..3)
 * that carries it. */
struct gatt {
    char visit[XA_ID_HEX], id[XA_ID_HEX], hash[XA_HASH_HEX];
    uint8_t *data;
    size_t n;
    int part;
};

/* Attach n bytes (a JPEG head, then bytes from seed) to a draft: the entry
 * in its "attachments", the bytes in *a for the attachment records. */
static void g_attach(json_t *doc, struct gatt *a, const char *for_, const char *ref, size_t n,
                     unsigned seed, int part, const char *added)
{
    a->data = xa_malloc(n);
    a->n = n;
    a->part = part;
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        a->data[i] = (uint8_t)(x >> 24);
    }
    memcpy(a->data, "\xff\xd8\xff\xe0", 4);
    uint8_t h[XA_HASH_BYTES];
    crypto_generichash(h, sizeof h, a->data, n, NULL, 0);
    xa_hex_encode(h, sizeof h, a->hash);
    xa_random_id(a->id);
    snprintf(a->visit, sizeof a->visit, "%s", json_string_value(json_object_get(doc, "id")));
    char name[32];
    snprintf(name, sizeof name, "IMG_%04u.jpg", seed);
    json_array_append_new(json_object_get(doc, "attachments"),
                          json_pack("{s:s, s:s, s:o, s:s, s:s, s:I, s:s, s:n, s:n, s:s}", "id",
                                    a->id, "for", for_, "ref", ref ? json_string(ref) : json_null(),
                                    "name", name, "type", "jpeg", "size", (json_int_t)n, "hash",
                                    a->hash, "taken", "gps", "added", added));
}

/* The attachment records of a, in pieces of 192 KiB as the export writes them. */
static void g_pieces(json_t *recs, const struct gatt *a)
{
    for (size_t off = 0; off < a->n; off += 196608) {
        size_t len = a->n - off < 196608 ? a->n - off : 196608;
        size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = xa_malloc(cap);
        sodium_bin2base64(b64, cap, a->data + off, len, sodium_base64_VARIANT_ORIGINAL);
        json_array_append_new(recs, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "type",
                                              "attachment", "visit", a->visit, "id", a->id,
                                              "hash", a->hash, "size", (json_int_t)a->n,
                                              "offset", (json_int_t)off, "data", b64));
        free(b64);
    }
}

/* Whether the office holds a's bytes, and they are a's. */
static int g_held(xa_cstore *s, const struct gatt *a)
{
    char *adir = xa_cstore_attachments_dir(xa_cstore_path(s));
    char *path = xa_attachment_path(adir, a->hash);
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    int held = xa_path_exists(path) && xa_read_file(path, 1u << 24, &b, &e) == XA_OK &&
               b.len == a->n && !memcmp(b.data, a->data, a->n);
    xa_buf_clear(&b);
    free(path);
    free(adir);
    return held;
}

/* Files in STORE.attachments/HH/ (published ones; a temporary ".in-" file
 * left behind counts too, so none may be). */
static int g_files(xa_cstore *s)
{
    char *adir = xa_cstore_attachments_dir(xa_cstore_path(s));
    char *cmd = xa_asprintf("find '%s' -type f | wc -l", adir);
    FILE *f = popen(cmd, "r");
    int n = -1;
    if (f) {
        if (fscanf(f, "%d", &n) != 1)
            n = -1;
        pclose(f);
    }
    free(cmd);
    free(adir);
    return n;
}

/* How many receipts of the inspector's brief name the visit. */
static int receipts_naming(xa_cstore *s, const fx_inspector *in, const char *visit)
{
    json_t *recs = NULL;
    xa_err e;
    if (xa_brief_records(s, office, in->id->fingerprint, NULL, &recs, NULL, &e) != XA_OK)
        die("brief records", &e);
    int k = 0;
    size_t i, j;
    json_t *r, *v;
    json_array_foreach(recs, i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "type")), "receipt"))
            continue;
        json_array_foreach(json_object_get(r, "visits"), j, v)
            k += !strcmp(json_string_value(v), visit);
    }
    json_decref(recs);
    return k;
}

/* One inspector's export in three parts — visit 1 (no attachments) and
 * visit 2 with photos a (two pieces) in part 1, b in part 2, c in part 3,
 * each part with visit 2's record and a carry record; visit 3 with photo d
 * whole in part 3 (visit 2 also names a form version the office lacks: a
 * finding) — then a later unsplit bundle: visit 4 re-checks visit
 * 2's hazard with photo e (整改后).  All 24 orders of the four bundles give
 * one store (the content digest) and the same files;
 * after every merge each photo is held exactly when the bundle carrying it
 * has been merged (whatever came before: none waiting for a missing part
 * is lost), visit 2 is complete exactly when parts 1–3 are all in — and
 * only then do the brief's receipts name it (in each part's receipt) — and
 * no temporary file is left. */
static void split_parts_all_orders(void **state)
{
    (void)state;
    fx_inspector *g = fx_inspector_new("吴十");
    const xa_form *f = forms->forms[0];
    struct gatt att[5];
    memset(att, 0, sizeof att);
    const xa_school *sc = &roster->schools[3], *sc2 = &roster->schools[5];
    char t[8][XA_RFC3339_MAX];
    for (int i = 0; i < 8; i++)
        at(100000 + i * 60, t[i]);

    json_t *d = fx_visit(g, sc2->code, sc2->name, sc2->county, "random", t[0]);
    fx_form(d, f->id, f->version, f->hash_hex);
    json_t *v1 = fx_seal(g, d, t[0]);

    d = fx_visit(g, sc->code, sc->name, sc->county, "four-not-two-direct", t[1]);
    fx_form(d, f->id, f->version, f->hash_hex);
    /* a finding on visit 2 (a form version the office does not have): it
     * must name part 1, the first by seq, whichever part came first */
    const xa_form *f2 = forms->forms[1];
    fx_form(d, f2->id, f2->version + 7, f2->hash_hex);
    fx_answer(d, f->id, f->items[0].code, "hazard");
    char hazard[XA_ID_HEX];
    snprintf(hazard, sizeof hazard, "%s",
             fx_hazard(d, f->id, f->items[0].code, xa_category_key(f->category), "general",
                       "配电箱未上锁", t[1], "2026-12-31", 0));
    g_attach(d, &att[0], "hazard", hazard, 200000, 1, 0, t[1]);
    g_attach(d, &att[1], "hazard", hazard, 3000, 2, 1, t[1]);
    g_attach(d, &att[2], "visit", NULL, 5000, 3, 2, t[1]);
    json_t *v2 = fx_seal(g, d, t[2]);
    char visit2[XA_ID_HEX];
    snprintf(visit2, sizeof visit2, "%s", fx_record_id(v2));

    d = fx_visit(g, sc2->code, sc2->name, sc2->county, "special", t[3]);
    fx_form(d, f->id, f->version, f->hash_hex);
    g_attach(d, &att[3], "visit", NULL, 4000, 4, 2, t[3]);
    json_t *v3 = fx_seal(g, d, t[3]);

    d = fx_visit(g, sc->code, sc->name, sc->county, "follow-up", t[5]);
    fx_followup(d, hazard, "rectified", t[5]);
    g_attach(d, &att[4], "followup", hazard, 6000, 5, 3, t[5]);
    json_t *v4 = fx_seal(g, d, t[6]);

    json_t *recs[4];
    for (int k = 0; k < 4; k++)
        recs[k] = json_array();
    json_array_append(recs[0], v1);
    for (int k = 0; k < 3; k++) {
        json_array_append(recs[k], v2);
        g_pieces(recs[k], &att[k]);
        json_array_append_new(recs[k], json_pack("{s:s, s:s, s:[s]}", "type", "carry", "visit",
                                                 visit2, "ids", att[k].id));
    }
    json_array_append(recs[2], v3);
    g_pieces(recs[2], &att[3]);
    json_array_append(recs[3], v4);
    g_pieces(recs[3], &att[4]);
    char *gp[4];
    char prev[65] = "";
    for (int k = 0; k < 4; k++) {
        char name[32];
        snprintf(name, sizeof name, "split%d.xab", k + 1);
        gp[k] = path_in(name);
        fx_container(gp[k], XA_BUNDLE_FORMAT, g, office->age_pk, k + 1, k ? prev : NULL, NULL,
                     recs[k]);
        fx_file_hash(gp[k], prev);
        json_decref(recs[k]);
    }
    json_decref(v1);
    json_decref(v2);
    json_decref(v3);
    json_decref(v4);

    struct orders o = ORDERS_INIT;
    char first[65] = "";
    int64_t audit = 0;
    int n = 0;
    do {
        char name[32];
        snprintf(name, sizeof name, "split-order%d.db", n);
        xa_cstore *s = copy_base(name);
        enroll(s, g);
        int in[4] = {0, 0, 0, 0};
        for (int k = 0; k < 4; k++) {
            struct xa_merge_result r;
            merge_ok(s, gp[o.perm[k]], &r);
            in[o.perm[k]] = 1;
            for (int j = 0; j < 5; j++)
                if (g_held(s, &att[j]) != in[att[j].part])
                    fail_msg("order %d %d %d %d, after %d bundles: photo %d %s", o.perm[0] + 1,
                             o.perm[1] + 1, o.perm[2] + 1, o.perm[3] + 1, k + 1, j,
                             in[att[j].part] ? "lost" : "held before its bundle came");
            int complete = -1;
            xa_err e;
            /* visit 2 is stored once any part came, complete once all three did */
            assert_int_equal(xa_cvisit_complete(s, visit2, &complete, &e),
                             in[0] || in[1] || in[2] ? XA_OK : XA_ENOTFOUND);
            assert_int_equal(complete, in[0] && in[1] && in[2]);
            /* the brief's receipts name it only then, in each part's receipt */
            assert_int_equal(receipts_naming(s, g, visit2), complete ? 3 : 0);
        }
        assert_int_equal(g_files(s), 5);
        assert_int_equal(count(s, "visits"), 4);
        assert_int_equal(count(s, "bundles"), 4);
        assert_false(has_anomaly(s, "bundle-gap", NULL));
        assert_false(has_anomaly(s, "gap", NULL));
        assert_true(has_anomaly(s, "unknown-form", "version"));
        struct xa_chazard h;
        assert_string_equal(state_of(s, hazard, &h), "closed"); /* general, rectified */
        xa_chazard_clear(&h);
        /* the content digest: the audit says how many of each bundle's
         * visits were new, and visit 2 is new in whichever part came first */
        char dg[65];
        digest(s, dg);
        if (!n) {
            memcpy(first, dg, sizeof first);
            audit = count(s, "audit");
        }
        assert_int_equal(count(s, "audit"), audit); /* one entry a merge, whatever the order */
        if (strcmp(first, dg) != 0)
            fail_msg("order %d %d %d %d gives another store", o.perm[0] + 1, o.perm[1] + 1,
                     o.perm[2] + 1, o.perm[3] + 1);
        xa_cstore_close(s);
        remove_store(name);
        n++;
    } while (next_order(&o));
    assert_int_equal(n, 24);
    for (int k = 0; k < 4; k++)
        free(gp[k]);
    for (int j = 0; j < 5; j++)
        free(att[j].data);
    fx_inspector_free(g);
}

/* `test_merge fixture DIR OFFICE_ID`: an inspector (DIR/inspector.id) and
 * bundles for the CLI tests: b1.xab (hazards), b2.xab (follow-ups closing
 * two of them), stranger.xab (from an identity the office never enrolled). */
static int fixture(char **argv)
{
    const char *out = argv[2];
    xa_err e;
    xa_buf t = XA_BUF_INIT;
    xa_identity *off = NULL;
    if (xa_read_file(argv[3], 65536, &t, &e) != XA_OK ||
        xa_identity_parse_text(t.data, t.len, &off, &e) != XA_OK ||
        fx_example_data(&roster, &forms, &e) != XA_OK) {
        fprintf(stderr, "fixture: %s\n", xa_err_msg(&e));
        return 1;
    }
    xa_buf_reset(&t);
    fx_inspector *in = fx_inspector_new("张三"), *stranger = fx_inspector_new("陌生人");
    xa_identity_text(in->id, &t, &e);
    char *p = xa_asprintf("%s/inspector.id", out);
    xa_write_atomic(p, t.data, t.len, &e);
    free(p);
    struct hz found[16];
    size_t nf = 0;
    json_t *r = visits(in, 6, 0, found, &nf, NULL, NULL, 0);
    p = xa_asprintf("%s/b1.xab", out);
    fx_container(p, XA_BUNDLE_FORMAT, in, off->age_pk, 1, NULL, NULL, r);
    char h[65];
    fx_file_hash(p, h);
    free(p);
    json_decref(r);
    static const char *const v[] = {"rectified", "partly"};
    r = visits(in, 4, 5000, NULL, NULL, found, v, 2);
    p = xa_asprintf("%s/b2.xab", out);
    fx_container(p, XA_BUNDLE_FORMAT, in, off->age_pk, 2, h, NULL, r);
    free(p);
    json_decref(r);
    r = visits(stranger, 1, 0, NULL, NULL, NULL, NULL, 0);
    p = xa_asprintf("%s/stranger.xab", out);
    fx_container(p, XA_BUNDLE_FORMAT, stranger, off->age_pk, 1, NULL, NULL, r);
    free(p);
    json_decref(r);
    xa_buf_clear(&t);
    fx_inspector_free(in);
    fx_inspector_free(stranger);
    xa_identity_free(off);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "fixture"))
        return fixture(argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(remerge_changes_nothing),
        cmocka_unit_test(all_orders_same_store),
        cmocka_unit_test(recheck_before_finding),
        cmocka_unit_test(rejected_leave_store_unchanged),
        cmocka_unit_test(anomalies),
        cmocka_unit_test(chain_window_straddles_stored_seq),
        cmocka_unit_test(split_parts_all_orders),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
