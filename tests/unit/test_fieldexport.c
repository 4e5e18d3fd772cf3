/* test_fieldexport.c — bundles from the field store: nothing to export,
 * no office pinned, a bundle the office (and the inspector) can read with
 * verified visits in seal order, manifest seq/prev over two exports, visits
 * marked exported, the file name never overwritten; a crash between
 * publishing and the commit repaired by the next export (from the note, in
 * another folder, and from the file alone); two exports at once (the second
 * waits for the first's transaction and exports nothing twice).
 * INTERACTIVE cost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers/unit_fx.h"
#include <sodium.h>

#include "xiaoan/age.h"
#include "xiaoan/container.h"
#include "xiaoan/field.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"

#define PASS "pw"

static char home[200], outdir[220];
static xa_fstore *store;
static xa_identity *office;

static int setup(void **state)
{
    (void)state;
    if (fx_tmpdir(home, sizeof home, "export") != 0)
        return -1;
    snprintf(outdir, sizeof outdir, "%s/out", home);
    xa_err e;
    xa_kdf_params k = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    if (xa_fstore_create(home, "张三", PASS, &k, &store, &e) != XA_OK)
        return -1;
    if (xa_identity_generate("丽水市教育局", &office, &e) != XA_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xa_fstore_close(store);
    xa_identity_free(office);
    fx_rmrf(home);
    return 0;
}

/* Seal a new visit; returns its id in out. */
static void sealed_visit(const char *school, char out[XA_ID_HEX])
{
    xa_visit_init in = {.school_code = "331102000101", .school_name = school, .county = "莲都区",
                        .kind = "four-not-two-direct"};
    json_t *d = NULL;
    xa_err e;
    assert_int_equal(xa_fstore_visit_new(store, &in, &d, &e), XA_OK);
    snprintf(out, XA_ID_HEX, "%s", json_string_value(json_object_get(d, "id")));
    assert_int_equal(xa_fstore_visit_seal(store, out, NULL, &e), XA_OK);
    json_decref(d);
}

/* Sender check for the reader: only the inspector. */
static int sender_is_inspector(const uint8_t pk[32], const char *fp, const char *created,
                               void *ctx)
{
    (void)created;
    const xa_identity *me = ctx;
    return memcmp(pk, me->sign_pk, 32) == 0 && strcmp(fp, me->fingerprint) == 0;
}

/* Read a bundle with an X25519 secret key. */
static xa_code read_bundle(const char *path, const uint8_t sk[32], json_t **m, json_t **r,
                           xa_err *e)
{
    xa_age_identity *id = NULL;
    assert_int_equal(xa_age_identity_from_secret(sk, &id, e), XA_OK);
    const xa_age_identity *ids[1] = {id};
    xa_code c = xa_container_read(path, ids, 1, XA_BUNDLE_FORMAT, NULL, sender_is_inspector,
                                  (void *)xa_fstore_identity(store), m, r, e);
    xa_age_identity_free(id);
    return c;
}

/* The brief's first record as the office writes it: the office's keys,
 * which authenticate the pin (fieldstore.c pin_check). */
static json_t *office_settings(const xa_identity *o)
{
    return json_pack("{s:s, s:o}", "type", "settings", "office", xa_identity_public_json(o));
}

/* Nothing sealed: nothing to export; sealed but no office: refused. */
static void nothing_and_no_office(void **state)
{
    (void)state;
    xa_export_result r;
    xa_err e;
    assert_int_equal(xa_field_export(store, outdir, &r, &e), XA_OK);
    assert_null(r.path);
    assert_int_equal(r.visits, 0);
    /* a draft alone is not exported */
    xa_visit_init in = {.school_code = "1", .school_name = "草稿学校", .county = "",
                        .kind = "random"};
    assert_int_equal(xa_fstore_visit_new(store, &in, NULL, &e), XA_OK);
    assert_int_equal(xa_field_export(store, outdir, &r, &e), XA_OK);
    assert_null(r.path);
    char id[XA_ID_HEX];
    sealed_visit("莲都区实验小学", id);
    assert_int_equal(xa_field_export(store, outdir, &r, &e), XA_ESTATE);
    assert_non_null(strstr(e.msg, "import a brief"));
    assert_null(r.path);
}

/* Two exports: readable by the office and the inspector, chained. */
static void two_bundles(void **state)
{
    (void)state;
    xa_err e;
    xa_brief_meta m = {.seq = 1, .hash = "00", .created = "2026-11-28T17:00:00+08:00"};
    json_t *recs = json_array();
    json_array_append_new(recs, office_settings(office));
    assert_int_equal(xa_fstore_brief_put(store, office, &m, recs, NULL, &e), XA_OK);
    json_decref(recs);
    char id2[XA_ID_HEX], id3[XA_ID_HEX];
    sealed_visit("缙云县壶镇镇第二初级中学", id2);
    sealed_visit("松阳县玉岩镇中心学校", id3);

    xa_export_result r1;
    assert_int_equal(xa_field_export(store, outdir, &r1, &e), XA_OK);
    assert_non_null(r1.path);
    assert_int_equal(r1.visits, 3);
    assert_int_equal(r1.seq, 1);
    struct stat st;
    assert_int_equal(stat(r1.path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    const xa_identity *me = xa_fstore_identity(store);
    assert_non_null(strstr(r1.path, me->fingerprint));
    char h[XA_CONTAINER_HASH_HEX];
    assert_int_equal(xa_container_file_hash(r1.path, h, &e), XA_OK);
    assert_string_equal(h, r1.hash);

    json_t *man = NULL, *recs1 = NULL;
    assert_int_equal(read_bundle(r1.path, office->sec->age_sk, &man, &recs1, &e), XA_OK);
    assert_int_equal(json_integer_value(json_object_get(man, "seq")), 1);
    assert_true(json_is_null(json_object_get(man, "prev")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(man, "counts"), "visit")),
                     3);
    assert_int_equal(json_array_size(recs1), 3);
    for (size_t i = 0; i < 3; i++) {
        xa_visit_verified v;
        assert_int_equal(xa_visit_verify_record(json_array_get(recs1, i), me->sign_pk, &v, &e),
                         XA_OK);
        assert_int_equal(v.seq, (int64_t)i + 1);
    }
    json_decref(man);
    json_decref(recs1);
    /* the inspector can reopen it too; a stranger cannot */
    assert_int_equal(read_bundle(r1.path, me->sec->age_sk, &man, &recs1, &e), XA_OK);
    json_decref(man);
    json_decref(recs1);
    uint8_t stranger[32];
    randombytes_buf(stranger, sizeof stranger);
    assert_int_equal(read_bundle(r1.path, stranger, &man, &recs1, &e), XA_AGE_NOMATCH);

    /* all exported now */
    xa_visit_info info;
    assert_int_equal(xa_fstore_visit_load(store, id2, NULL, &info, &e), XA_OK);
    assert_int_equal(info.state, XA_VISIT_EXPORTED);
    xa_visit_info_clear(&info);
    xa_export_result r;
    assert_int_equal(xa_field_export(store, outdir, &r, &e), XA_OK);
    assert_null(r.path);

    /* a second bundle chains to the first file */
    char id4[XA_ID_HEX];
    sealed_visit("莲都区实验小学", id4);
    xa_export_result r2;
    assert_int_equal(xa_field_export(store, outdir, &r2, &e), XA_OK);
    assert_int_equal(r2.seq, 2);
    assert_int_equal(r2.visits, 1);
    assert_int_equal(read_bundle(r2.path, office->sec->age_sk, &man, &recs1, &e), XA_OK);
    assert_int_equal(json_integer_value(json_object_get(man, "seq")), 2);
    assert_string_equal(json_string_value(json_object_get(man, "prev")), r1.hash);
    xa_visit_verified v;
    assert_int_equal(xa_visit_verify_record(json_array_get(recs1, 0), me->sign_pk, &v, &e),
                     XA_OK);
    assert_int_equal(v.seq, 4);
    assert_string_equal(v.id, id4);
    json_decref(man);
    json_decref(recs1);

    /* a taken file name is not overwritten, and nothing is marked */
    char id5[XA_ID_HEX];
    sealed_visit("莲都区实验小学", id5);
    char *taken = xa_asprintf("%s/xiaoan-%s-0003.xab", outdir, me->fingerprint);
    assert_int_equal(xa_write_atomic(taken, "x", 1, &e), XA_OK);
    assert_int_equal(xa_field_export(store, outdir, &r, &e), XA_EEXIST);
    assert_int_equal(xa_fstore_visit_load(store, id5, NULL, &info, &e), XA_OK);
    assert_int_equal(info.state, XA_VISIT_SEALED);
    xa_visit_info_clear(&info);
    unlink(taken);
    free(taken);
    assert_int_equal(xa_field_export(store, outdir, &r, &e), XA_OK);
    assert_int_equal(r.seq, 3);
    xa_export_result_clear(&r);
    xa_export_result_clear(&r1);
    xa_export_result_clear(&r2);
}

/* Hooks run in a child between publishing and the commit. */
static int hook_fd = -1;
static void crash_hook(const char *path)
{
    (void)path;
    _exit(7); /* the power goes: no commit, no cleanup */
}
static void slow_hook(const char *path)
{
    (void)path;
    if (write(hook_fd, "p", 1) != 1)
        _exit(3);
    sleep(1); /* the other export tries now, and must wait */
}

/* In a child: open the store anew and export into dir with a hook; returns
 * the child's pid. */
static pid_t export_in_child(const char *dir, void (*hook)(const char *))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        xa_fstore *s2 = NULL;
        xa_err e;
        xa_export_result r;
        if (xa_fstore_open(home, PASS, &s2, &e) != XA_OK)
            _exit(2);
        xa_field_export_published_hook = hook;
        xa_code c = xa_field_export(s2, dir, &r, &e);
        _exit(c == XA_OK && r.path ? 0 : 1);
    }
    return pid;
}

/* Count the bundles with seq in folder dir. */
static int bundles_with_seq(const char *dir, int64_t seq)
{
    char *p = xa_asprintf("%s/xiaoan-%s-%04lld.xab", dir, xa_fstore_identity(store)->fingerprint,
                          (long long)seq);
    int n = xa_path_exists(p);
    free(p);
    return n;
}

/* State of one visit. */
static xa_visit_state state_of(const char *id)
{
    xa_visit_info info;
    xa_err e;
    assert_int_equal(xa_fstore_visit_load(store, id, NULL, &info, &e), XA_OK);
    xa_visit_state st = info.state;
    xa_visit_info_clear(&info);
    return st;
}

/* A crash between publishing and the commit: the next export adopts the
 * published bundle — named by the note, also when it exports into another
 * folder — instead of refusing or writing a second bundle with that seq. */
static void crash_between_publish_and_commit(void **state)
{
    (void)state;
    xa_err e;
    int64_t last;
    char lh[XA_HASH_HEX];
    assert_int_equal(xa_fstore_export_last(store, &last, lh, &e), XA_OK);
    char a[XA_ID_HEX], b[XA_ID_HEX];
    sealed_visit("龙泉市第一中学", a);
    char *dir1 = xa_asprintf("%s/crash1", home), *dir2 = xa_asprintf("%s/crash2", home);
    int status;
    pid_t pid = export_in_child(dir1, crash_hook);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 7);
    assert_int_equal(bundles_with_seq(dir1, last + 1), 1); /* published, never recorded */
    assert_int_equal(state_of(a), XA_VISIT_SEALED);
    char *note = xa_path_join(home, "export.pending");
    assert_true(xa_path_exists(note));

    /* another visit sealed meanwhile; the next export goes to another folder */
    sealed_visit("龙泉市第二中学", b);
    xa_export_result r;
    assert_int_equal(xa_field_export(store, dir2, &r, &e), XA_OK);
    assert_non_null(r.recovered);
    assert_int_equal(r.recovered_seq, last + 1);
    assert_int_equal(r.recovered_visits, 1);
    assert_non_null(strstr(r.recovered, "/crash1/"));
    assert_int_equal(r.seq, last + 2); /* only b is new */
    assert_int_equal(r.visits, 1);
    assert_int_equal(bundles_with_seq(dir2, last + 1), 0); /* no second bundle with that seq */
    assert_int_equal(bundles_with_seq(dir2, last + 2), 1);
    assert_int_equal(state_of(a), XA_VISIT_EXPORTED);
    assert_int_equal(state_of(b), XA_VISIT_EXPORTED);
    assert_false(xa_path_exists(note));
    /* the office reads bundle last + 2 chained to the adopted file */
    json_t *man = NULL, *recs = NULL;
    char h1[XA_CONTAINER_HASH_HEX];
    assert_int_equal(xa_container_file_hash(r.recovered, h1, &e), XA_OK);
    assert_int_equal(read_bundle(r.path, office->sec->age_sk, &man, &recs, &e), XA_OK);
    assert_string_equal(json_string_value(json_object_get(man, "prev")), h1);
    json_decref(man);
    json_decref(recs);
    xa_export_result_clear(&r);

    /* the same crash without the note (it was lost): the file at the name
     * this export uses is adopted too */
    assert_int_equal(xa_fstore_export_last(store, &last, lh, &e), XA_OK);
    sealed_visit("龙泉市第三中学", a);
    pid = export_in_child(dir1, crash_hook);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 7);
    assert_int_equal(unlink(note), 0);
    assert_int_equal(xa_field_export(store, dir1, &r, &e), XA_OK);
    assert_non_null(r.recovered);
    assert_int_equal(r.recovered_seq, last + 1);
    assert_null(r.path); /* nothing else to export */
    assert_int_equal(state_of(a), XA_VISIT_EXPORTED);
    assert_int_equal(xa_fstore_export_last(store, &last, lh, &e), XA_OK);
    assert_int_equal(last, r.recovered_seq);
    xa_export_result_clear(&r);
    free(note);
    free(dir1);
    free(dir2);
}

/* Two exports at once (the TUI and the CLI): the second waits for the
 * first's transaction and finds nothing left; no visit is in two bundles. */
static void two_exports_at_once(void **state)
{
    (void)state;
    xa_err e;
    int64_t last;
    char lh[XA_HASH_HEX];
    assert_int_equal(xa_fstore_export_last(store, &last, lh, &e), XA_OK);
    char a[XA_ID_HEX];
    sealed_visit("庆元县实验小学", a);
    char *dir1 = xa_asprintf("%s/both1", home), *dir2 = xa_asprintf("%s/both2", home);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    hook_fd = fds[1];
    pid_t pid = export_in_child(dir1, slow_hook);
    close(fds[1]);
    char ch;
    assert_int_equal(read(fds[0], &ch, 1), 1); /* the child has published, not committed */
    close(fds[0]);
    xa_export_result r;
    xa_code c = xa_field_export(store, dir2, &r, &e);
    if (c != XA_OK)
        fail_msg("second export: %s", e.msg);
    assert_null(r.path);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(bundles_with_seq(dir1, last + 1), 1);
    assert_int_equal(bundles_with_seq(dir2, last + 1), 0);
    assert_int_equal(state_of(a), XA_VISIT_EXPORTED);
    xa_export_result_clear(&r);
    free(dir1);
    free(dir2);
}


/* A split export (--max-size) that crashes after publishing its second
 * bundle: the next export adopts both published parts (in order, chained),
 * marks the visits they hold whole, and exports the rest after them; no
 * seq is written twice. */
static int publishes;
static void crash_second_hook(const char *path)
{
    (void)path;
    if (++publishes == 2)
        _exit(7);
}
static void crash_in_split_export(void **state)
{
    (void)state;
    xa_err e;
    int64_t last;
    char lh[XA_HASH_HEX];
    assert_int_equal(xa_fstore_export_last(store, &last, lh, &e), XA_OK);
    char v[6][XA_ID_HEX];
    for (int i = 0; i < 6; i++)
        sealed_visit("松阳县第一中学", v[i]);
    char *dir = xa_asprintf("%s/split", home);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        xa_fstore *s2 = NULL;
        xa_export_result r;
        if (xa_fstore_open(home, PASS, &s2, &e) != XA_OK)
            _exit(2);
        xa_field_export_published_hook = crash_second_hook;
        xa_code c = xa_field_export_ex(s2, dir, 3000, &r, &e); /* a few visits a bundle */
        _exit(c == XA_OK ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 7);
    assert_int_equal(bundles_with_seq(dir, last + 1), 1);
    assert_int_equal(bundles_with_seq(dir, last + 2), 1);
    assert_int_equal(bundles_with_seq(dir, last + 3), 0); /* never published */
    for (int i = 0; i < 6; i++)
        assert_int_equal(state_of(v[i]), XA_VISIT_SEALED); /* nothing marked */

    xa_export_result r;
    assert_int_equal(xa_field_export_ex(store, dir, 3000, &r, &e), XA_OK);
    assert_int_equal(r.nrecovered, 2);
    assert_int_equal(r.recovered_parts[0].seq, last + 1);
    assert_int_equal(r.recovered_parts[1].seq, last + 2);
    assert_true(r.nparts >= 1);
    assert_int_equal(r.parts[0].seq, last + 3);
    assert_int_equal(r.recovered_visits + r.visits, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(state_of(v[i]), XA_VISIT_EXPORTED);
    /* the new part is chained to the second adopted one */
    json_t *man = NULL, *recs = NULL;
    assert_int_equal(read_bundle(r.parts[0].path, office->sec->age_sk, &man, &recs, &e), XA_OK);
    assert_string_equal(json_string_value(json_object_get(man, "prev")), r.recovered_parts[1].hash);
    json_decref(man);
    json_decref(recs);
    int64_t now;
    assert_int_equal(xa_fstore_export_last(store, &now, lh, &e), XA_OK);
    assert_int_equal(now, last + 2 + (int64_t)r.nparts);
    char *note = xa_path_join(home, "export.pending");
    assert_false(xa_path_exists(note));
    free(note);
    xa_export_result_clear(&r);
    free(dir);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_and_no_office),
        cmocka_unit_test(two_bundles),
        cmocka_unit_test(crash_between_publish_and_commit),
        cmocka_unit_test(two_exports_at_once),
        cmocka_unit_test(crash_in_split_export),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
