/* test_harden.c — the attacks of issue 11 (adversarial review), each against
 * the library as the office and the field use it: a crafted sender
 * fingerprint that would forge the operator's output, hostile bundles
 * (memory, sequence overflow, re-encrypted copies, signature contexts),
 * revocation that cannot be backdated, the quarantine cap.  Every refusal
 * must leave the store's content unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers/central_fx.h"
#include "helpers/unit_fx.h"
#include "xiaoan/central.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/json.h"
#include "xiaoan/visit.h"

#include <sodium.h>

#define NOW "2026-12-20T10:00:00+08:00"

static char dir[256];
static xa_identity *office;
static xa_roster *roster;
static xa_form_set *forms;
static fx_inspector *A, *D;

static char *path_in(const char *name)
{
    return xa_asprintf("%s/%s", dir, name);
}

static void die(const char *what, const xa_err *e)
{
    fail_msg("%s: %s", what, xa_err_msg(e));
}

/* n sealed visits of an inspector (records), one every 3 hours from t0 minutes. */
static json_t *visits(fx_inspector *in, int n, int64_t t0)
{
    json_t *recs = json_array();
    const xa_form *f = forms->forms[0];
    int64_t base;
    xa_time_parse("2026-10-01T08:00:00+08:00", &base, NULL, NULL);
    for (int i = 0; i < n; i++) {
        const xa_school *sc = &roster->schools[(size_t)(i * 7 + in->seq) % roster->n];
        char arrived[XA_RFC3339_MAX], sealed[XA_RFC3339_MAX];
        xa_time_format(base + (t0 + i * 180) * 60, XA_CST_OFFSET, arrived);
        xa_time_format(base + (t0 + i * 180 + 90) * 60, XA_CST_OFFSET, sealed);
        json_t *d = fx_visit(in, sc->code, sc->name, sc->county, "random", arrived);
        fx_form(d, f->id, f->version, f->hash_hex);
        fx_answer(d, f->id, f->items[0].code, "pass");
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
    if (fx_tmpdir(dir, sizeof dir, "harden") != 0)
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
    D = fx_inspector_new("赵六"); /* never enrolled */
    enroll(s, A);
    xa_cstore_close(s);
    free(base);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int rc = fx_rmrf(dir);
    fx_inspector_free(A);
    fx_inspector_free(D);
    xa_identity_free(office);
    xa_roster_free(roster);
    xa_form_set_free(forms);
    return rc == 0 ? 0 : -1;
}

/* A copy of the base store, open. */
static xa_cstore *copy_base(const char *name)
{
    char *from = path_in("base.db"), *to = path_in(name);
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    if (xa_read_file(from, 1u << 30, &b, &e) != XA_OK ||
        xa_write_atomic(to, b.data, b.len, &e) != XA_OK)
        die("copy", &e);
    xa_buf_clear(&b);
    xa_cstore *s = NULL;
    if (xa_cstore_open(to, &s, &e) != XA_OK)
        die("open copy", &e);
    free(from);
    free(to);
    return s;
}

static int64_t count(xa_cstore *s, const char *table)
{
    int64_t n = 0;
    xa_err e;
    if (xa_cstore_count(s, table, &n, &e) != XA_OK)
        die("count", &e);
    return n;
}

/* Merge path and expect a rejection naming reason_part, the content digest
 * unchanged and one more quarantine row. */
static void expect_reject(xa_cstore *s, const char *path, const char *reason_part,
                          struct xa_merge_result *r)
{
    char before[65], after[65];
    xa_err e;
    if (xa_cstore_digest(s, before, &e) != XA_OK)
        die("digest", &e);
    int64_t q = count(s, "quarantine");
    if (xa_merge_file(s, office, path, r, &e) != XA_OK)
        die("merge", &e);
    if (r->accepted)
        fail_msg("%s was accepted", path);
    if (!strstr(r->reason, reason_part))
        fail_msg("%s: reason '%s' lacks '%s'", path, r->reason, reason_part);
    if (xa_cstore_digest(s, after, &e) != XA_OK)
        die("digest", &e);
    assert_string_equal(before, after);
    assert_int_equal(count(s, "quarantine"), q + 1);
}

/* No byte below 0x20, no DEL, no C1, no bidi control in s. */
static void assert_harmless(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fail_msg("control byte 0x%02x in '%s'", *p, s);
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)
            fail_msg("C1 control in '%s'", s);
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
            fail_msg("bidi control in '%s'", s);
    }
}

/* Item 3: a crafted sender fingerprint cannot forge the operator's output;
 * the reason, the audit row and the quarantine row show it escaped. */
static void crafted_fingerprint_is_escaped(void **state)
{
    (void)state;
    xa_cstore *s = copy_base("crafted.db");
    json_t *recs = visits(D, 1, 0);
    char *p = path_in("e\x1b[31m.xab");
    const uint8_t *rcpt[2] = {office->age_pk, D->id->age_pk};
    xa_container_writer *w = NULL;
    xa_err e;
    const char *evil = "1\x1b[2K\rmerged e.xab: 9 visits (9 new)\xC2\x9B\xE2\x80\xAE";
    json_t *m = json_pack("{s:s, s:{s:s}, s:I, s:n}", "format", XA_BUNDLE_FORMAT_V1, "sender",
                          "fingerprint", evil, "seq", (json_int_t)1, "prev");
    if (xa_container_create(p, rcpt, 2, &w, &e) != XA_OK ||
        xa_container_manifest(w, m, D->id->sign_pk, &e) != XA_OK ||
        xa_container_add(w, json_array_get(recs, 0), &e) != XA_OK ||
        xa_container_finish(w, D->id->sec->sign_sk, &e) != XA_OK)
        die("container", &e);
    xa_container_writer_free(w);
    json_decref(m);
    json_decref(recs);
    struct xa_merge_result r;
    expect_reject(s, p, "not from a known sender", &r);
    assert_harmless(r.reason);
    assert_non_null(strstr(r.reason, "\\x1b[2K\\x0dmerged"));
    struct xa_cquarantine *qv = NULL;
    size_t nq = 0;
    assert_int_equal(xa_cstore_quarantine(s, &qv, &nq, &e), XA_OK);
    assert_int_equal(nq, 1);
    assert_harmless(qv[0].reason);
    assert_harmless(qv[0].file);
    assert_string_equal(qv[0].file, "e\\x1b[31m.xab");
    xa_cquarantine_free(qv, nq);
    struct xa_caudit *av = NULL;
    size_t na = 0;
    assert_int_equal(xa_cstore_audit_list(s, &av, &na, &e), XA_OK);
    for (size_t i = 0; i < na; i++)
        assert_harmless(av[i].summary);
    xa_caudit_free(av, na);
    free(p);
    xa_cstore_close(s);
}

/* Item 2: a stranger's bundle is refused right after its manifest, before
 * any record is read: cut short at the end, it is still "not from a known
 * sender" (the old reader read and kept everything first, and said
 * "truncated"). */
static void stranger_refused_before_records(void **state)
{
    (void)state;
    xa_cstore *s = copy_base("stranger.db");
    /* records that do not compress, so the file spans many age chunks */
    json_t *recs = json_array();
    for (int i = 0; i < 1000; i++) {
        char note[1025];
        uint8_t rnd[512];
        randombytes_buf(rnd, sizeof rnd);
        xa_hex_encode(rnd, sizeof rnd, note);
        json_array_append_new(recs, json_pack("{s:s, s:s}", "type", "attachment", "data", note));
    }
    char *p = path_in("stranger.xab");
    fx_container(p, XA_BUNDLE_FORMAT, D, office->age_pk, 1, NULL, NULL, recs);
    json_decref(recs);
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    if (xa_read_file(p, 1u << 28, &b, &e) != XA_OK)
        die("read", &e);
    assert_true(b.len > 4 * 65536);
    char *cut = path_in("stranger-cut.xab");
    if (xa_write_atomic(cut, b.data, b.len * 3 / 4, &e) != XA_OK)
        die("write", &e);
    struct xa_merge_result r;
    expect_reject(s, cut, "not from a known sender", &r);
    expect_reject(s, p, "not from a known sender", &r);
    xa_buf_clear(&b);
    free(cut);
    free(p);
    xa_cstore_close(s);
}

/* Item 12: a visit sealed with a sequence number beyond the cap (signed by
 * an enrolled inspector) is refused, the store unchanged. */
static void visit_seq_over_cap(void **state)
{
    (void)state;
    xa_cstore *s = copy_base("seqcap.db");
    json_t *recs = visits(A, 1, 0);
    json_t *doc = json_deep_copy(json_object_get(json_array_get(recs, 0), "doc"));
    json_object_set_new(json_object_get(doc, "seal"), "seq", json_integer(INT64_MAX));
    json_object_set_new(json_object_get(doc, "seal"), "prev",
                        json_string("0000000000000000000000000000000000000000000000000000000000000000"));
    xa_buf c = XA_BUF_INIT, m = XA_BUF_INIT;
    xa_err e;
    if (xa_json_canonical(doc, &c, &e) != XA_OK)
        die("canonical", &e);
    xa_buf_add(&m, XA_SIGCTX_VISIT, strlen(XA_SIGCTX_VISIT));
    xa_buf_putc(&m, '\0');
    xa_buf_add(&m, c.data, c.len);
    uint8_t sig[XA_SIG_BYTES];
    if (xa_identity_sign(A->id, m.data, m.len, sig, &e) != XA_OK)
        die("sign", &e);
    json_t *rec = xa_visit_record(doc, sig);
    json_t *one = json_array();
    json_array_append_new(one, rec);
    char *p = path_in("seqcap.xab");
    fx_container(p, XA_BUNDLE_FORMAT, A, office->age_pk, 1, NULL, NULL, one);
    struct xa_merge_result r;
    expect_reject(s, p, "seq", &r);
    assert_int_equal(count(s, "visits"), 0);
    json_decref(one);
    json_decref(doc);
    json_decref(recs);
    xa_buf_clear(&c);
    xa_buf_clear(&m);
    free(p);
    xa_cstore_close(s);
}

/* Item 8: CSV cells starting with tab or CR are guarded like = + - @. */
static void csv_guard_tab_cr(void **state)
{
    (void)state;
    xa_buf b = XA_BUF_INIT;
    xa_csv_field(&b, "\t=HYPERLINK(\"http://x\")");
    xa_buf_putc(&b, '|');
    xa_csv_field(&b, "\r=1+1");
    xa_buf_putc(&b, '|');
    xa_csv_field(&b, "@A1");
    assert_string_equal(b.data, "\"'\t=HYPERLINK(\"\"http://x\"\")\"|\"'\r=1+1\"|\"'@A1\"");
    xa_buf_clear(&b);
}

/* Item 9: once a secret is held (every command that decrypts unlocks a key
 * first), the process neither dumps core nor can be ptrace-read. */
static void no_core_dumps_after_unlock(void **state)
{
    (void)state;
    xa_identity *id = NULL;
    xa_err e;
    char *store = path_in("base.db");
    xa_cstore *s = NULL;
    if (xa_cstore_open(store, &s, &e) != XA_OK || xa_office_unlock(s, "office pass", &id, &e) != XA_OK)
        die("unlock", &e);
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
    assert_int_equal(rl.rlim_cur, 0);
    assert_int_equal(rl.rlim_max, 0);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    xa_identity_free(id);
    xa_cstore_close(s);
    free(store);
}

/* `test_harden hostile DIR OFFICE_ID N`: the bundles of the memory
 * benchmark (docs/performance.md): DIR/stranger.xab from an identity the
 * office never enrolled, and DIR/insider.xab from DIR/insider.id (to enrol),
 * each N tiny attachment records (a few KiB compressed, N × 23 bytes of
 * JSON Lines), in the version-1 format so that the reader before issue 11
 * reads them too. */
static int hostile(char **argv)
{
    xa_err e;
    xa_buf t = XA_BUF_INIT;
    xa_identity *off = NULL;
    long n = strtol(argv[4], NULL, 10);
    if (xa_read_file(argv[3], 65536, &t, &e) != XA_OK ||
        xa_identity_parse_text(t.data, t.len, &off, &e) != XA_OK || n < 1) {
        fprintf(stderr, "hostile: %s\n", n < 1 ? "N must be positive" : xa_err_msg(&e));
        return 1;
    }
    const char *names[2] = {"stranger", "insider"};
    for (int k = 0; k < 2; k++) {
        fx_inspector *in = fx_inspector_new(names[k]);
        xa_buf_reset(&t);
        xa_identity_text(in->id, &t, &e);
        char *p = xa_asprintf("%s/%s.id", argv[2], names[k]);
        xa_write_atomic(p, t.data, t.len, &e);
        free(p);
        p = xa_asprintf("%s/%s.xab", argv[2], names[k]);
        const uint8_t *rcpt[2] = {off->age_pk, in->id->age_pk};
        xa_container_writer *w = NULL;
        json_t *m = json_pack("{s:s, s:{s:s}, s:I, s:n}", "format", XA_BUNDLE_FORMAT_V1, "sender",
                              "fingerprint", in->id->fingerprint, "seq", (json_int_t)1, "prev");
        json_t *rec = json_pack("{s:s}", "type", "attachment");
        if (xa_container_create(p, rcpt, 2, &w, &e) != XA_OK ||
            xa_container_manifest(w, m, in->id->sign_pk, &e) != XA_OK)
            return fprintf(stderr, "hostile: %s\n", xa_err_msg(&e)), 1;
        for (long i = 0; i < n; i++)
            if (xa_container_add(w, rec, &e) != XA_OK)
                return fprintf(stderr, "hostile: %s\n", xa_err_msg(&e)), 1;
        if (xa_container_finish(w, in->id->sec->sign_sk, &e) != XA_OK)
            return fprintf(stderr, "hostile: %s\n", xa_err_msg(&e)), 1;
        xa_container_writer_free(w);
        json_decref(m);
        json_decref(rec);
        free(p);
        fx_inspector_free(in);
    }
    xa_buf_clear(&t);
    xa_identity_free(off);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "hostile"))
        return hostile(argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crafted_fingerprint_is_escaped),
        cmocka_unit_test(csv_guard_tab_cr),
        cmocka_unit_test(stranger_refused_before_records),
        cmocka_unit_test(visit_seq_over_cap),
        cmocka_unit_test(no_core_dumps_after_unlock),
    };
    /* the dump settings are checked before setup allocates any secret */
    struct rlimit rl;
    if (getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_max != 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_CORE, &rl);
    }
    return cmocka_run_group_tests(tests, setup, teardown);
}
