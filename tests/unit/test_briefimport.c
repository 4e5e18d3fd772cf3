/* test_briefimport.c — `xiaoan brief import` through the library: the
 * first import pins the office; a tampered brief, a brief signed by another
 * office, one whose settings name another key than the signer's and an older
 * brief are refused and the brief already imported stays. */
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

#include "helpers/central_fx.h"
#include "xiaoan/age.h"
#include "xiaoan/central.h"
#include "xiaoan/field.h"
#include "xiaoan/container.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"

static char dir[256];

static char *path_in(const char *name)
{
    return xa_asprintf("%s/%s", dir, name);
}

static int setup(void **state)
{
    (void)state;
    setenv("XIAOAN_NOW", "2026-11-29T09:00:00+08:00", 1);
    return fx_tmpdir(dir, sizeof dir, "brief");
}

static int teardown(void **state)
{
    (void)state;
    return fx_rmrf(dir);
}

/* An office store with two schools, and the inspector enrolled. */
static xa_cstore *office_for(const char *name, const xa_identity *insp, xa_identity **office)
{
    char *p = path_in(name);
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    xa_cstore *s = NULL;
    OK(xa_office_create(p, "丽水市教育局", "pass", &kdf, &s, office, E));
    free(p);
    struct xa_cschool c = {0};
    c.code = "3311020001";
    c.name = "莲都区实验小学";
    c.county = "莲都区";
    c.type = "primary";
    c.address = "";
    c.pinyin = "";
    c.students = -1;
    OK(xa_cstore_school_put(s, &c, NULL, E));
    OK(fx_enroll(s, insp, E));
    return s;
}

static void current(xa_fstore *fs, xa_brief_meta *meta)
{
    json_t *recs = NULL;
    OK(xa_fstore_brief_get(fs, &recs, meta, E));
    json_decref(recs);
}

static void import_and_refusals(void **state)
{
    (void)state;
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    char *home = path_in("home");
    OK(xa_mkdir_p(home, 0700, E));
    xa_fstore *fs = NULL;
    OK(xa_fstore_create(home, "张三", "field", &kdf, &fs, E));
    const xa_identity *me = xa_fstore_identity(fs);
    xa_identity *office = NULL, *other = NULL;
    xa_cstore *s = office_for("office.db", me, &office);
    xa_cstore *o = office_for("other.db", me, &other);

    char *b1 = path_in("b1.xbrief"), *b2 = path_in("b2.xbrief"), *ob = path_in("o.xbrief");
    OK(xa_brief_write(s, office, me->fingerprint, NULL, b1, NULL, NULL, E));
    OK(xa_brief_write(s, office, me->fingerprint, NULL, b2, NULL, NULL, E));
    OK(xa_brief_write(o, other, me->fingerprint, NULL, ob, NULL, NULL, E));

    xa_err e;
    struct xa_brief_import_result r;
    /* nothing imported yet */
    json_t *recs = NULL;
    assert_int_equal(xa_fstore_brief_get(fs, &recs, NULL, &e), XA_ENOTFOUND);
    /* the first import with a wrong expectation: refused, nothing pinned */
    assert_int_equal(xa_brief_import(fs, b1, other->fingerprint, &r, &e), XA_ESENDER);
    assert_non_null(strstr(e.msg, "not the expected"));
    xa_identity *none_yet = NULL;
    assert_int_equal(xa_fstore_office(fs, &none_yet, &e), XA_ENOTFOUND);
    /* the first import pins */
    OK(xa_brief_import(fs, b1, office->fingerprint, &r, E));
    assert_true(r.pinned_now);
    assert_string_equal(r.office_fp, office->fingerprint);
    assert_int_equal(r.schools, 1);
    assert_true(r.forms == 0);
    xa_identity *pinned = NULL;
    OK(xa_fstore_office(fs, &pinned, E));
    assert_string_equal(pinned->fingerprint, office->fingerprint);
    assert_memory_equal(pinned->age_pk, office->age_pk, XA_AGE_PK_BYTES);
    xa_identity_free(pinned);
    OK(xa_brief_import(fs, b2, NULL, &r, E));
    assert_false(r.pinned_now);
    assert_int_equal(r.seq, 2);
    xa_brief_meta before, after;
    current(fs, &before);
    assert_int_equal(before.seq, 2);

    /* tampered: one byte flipped in the payload, and the file cut short */
    xa_buf b = XA_BUF_INIT;
    OK(xa_read_file(b2, 1u << 24, &b, E));
    b.data[b.len - 100] ^= 0x04;
    char *tp = path_in("tampered.xbrief");
    OK(xa_write_atomic(tp, b.data, b.len, E));
    assert_int_not_equal(xa_brief_import(fs, tp, NULL, &r, &e), XA_OK);
    assert_non_null(strstr(e.msg, "damaged"));
    b.data[b.len - 100] ^= 0x04;
    OK(xa_write_atomic(tp, b.data, b.len - 17, E));
    assert_int_not_equal(xa_brief_import(fs, tp, NULL, &r, &e), XA_OK);
    xa_buf_clear(&b);
    free(tp);
    current(fs, &after);
    assert_string_equal(before.hash, after.hash);

    /* another office: refused, the pinned brief stays */
    assert_int_equal(xa_brief_import(fs, ob, NULL, &r, &e), XA_ESENDER);
    assert_non_null(strstr(e.msg, "another office key"));
    current(fs, &after);
    assert_string_equal(before.hash, after.hash);

    /* an older brief: refused */
    assert_int_equal(xa_brief_import(fs, b1, NULL, &r, &e), XA_ESTATE);
    current(fs, &after);
    assert_string_equal(before.hash, after.hash);

    /* a bundle is not a brief */
    fx_inspector *x = fx_inspector_new("某人");
    json_t *none = json_array();
    char *bp = path_in("x.xab");
    fx_container(bp, XA_BUNDLE_FORMAT, x, me->age_pk, 1, NULL, NULL, none);
    assert_int_not_equal(xa_brief_import(fs, bp, NULL, &r, &e), XA_OK);
    assert_non_null(strstr(e.msg, "not a brief"));
    free(bp);

    /* a "brief" whose settings name the real office's keys but that another
     * key signed (a fresh home, so nothing is pinned yet) */
    char *home2 = path_in("home2");
    OK(xa_mkdir_p(home2, 0700, E));
    xa_fstore *fs2 = NULL;
    OK(xa_fstore_create(home2, "李四", "field", &kdf, &fs2, E));
    const xa_identity *me2 = xa_fstore_identity(fs2);
    char rec[XA_AGE_RECIPIENT_MAX];
    xa_age_recipient_encode(office->age_pk, rec);
    char *sign = xa_b64_encode(office->sign_pk, XA_SIGN_PK_BYTES);
    json_t *settings = json_pack(
        "[{s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s}, s:{s:i, s:i}}]", "type", "settings",
        "office", "name", office->name, "fingerprint", office->fingerprint, "sign", sign, "age",
        rec, "inspector", "name", me2->name, "fingerprint", me2->fingerprint, "deadline_days",
        "general", 30, "major", 15);
    free(sign);
    char *fp = path_in("forged.xbrief");
    fx_container(fp, XA_BRIEF_FORMAT, x, me2->age_pk, 1, NULL, NULL, settings);
    assert_int_not_equal(xa_brief_import(fs2, fp, NULL, &r, &e), XA_OK);
    assert_non_null(strstr(e.msg, "another office key than the one that signed it"));
    assert_int_equal(xa_fstore_brief_get(fs2, &recs, NULL, &e), XA_ENOTFOUND);
    /* a brief for someone else: encrypted to me2 but naming another inspector */
    json_t *s0 = json_array_get(settings, 0);
    json_object_set_new(json_object_get(s0, "inspector"), "fingerprint",
                        json_string(me->fingerprint));
    xa_age_recipient_encode(x->id->age_pk, rec);
    json_object_set_new(json_object_get(s0, "office"), "age", json_string(rec));
    sign = xa_b64_encode(x->id->sign_pk, XA_SIGN_PK_BYTES);
    json_object_set_new(json_object_get(s0, "office"), "sign", json_string(sign));
    free(sign);
    json_object_set_new(json_object_get(s0, "office"), "fingerprint",
                        json_string(x->id->fingerprint));
    json_object_set_new(json_object_get(s0, "office"), "name", json_string(x->id->name));
    fx_container(fp, XA_BRIEF_FORMAT, x, me2->age_pk, 1, NULL, NULL, settings);
    assert_int_equal(xa_brief_import(fs2, fp, NULL, &r, &e), XA_ESTATE);
    assert_non_null(strstr(e.msg, "not for you"));
    json_decref(settings);
    json_decref(none);
    free(fp);
    free(home2);
    xa_fstore_close(fs2);
    fx_inspector_free(x);

    free(b1);
    free(b2);
    free(ob);
    free(home);
    xa_identity_free(office);
    xa_identity_free(other);
    xa_cstore_close(s);
    xa_cstore_close(o);
    xa_fstore_close(fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_and_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
