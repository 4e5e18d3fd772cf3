/* test_brief.c — the stored brief as the screens read it (field.h
 * xa_brief_load, src/field/brief.c) and the JSON scanner under it (json.h
 * xa_json_each_element / xa_json_next_member / xa_json_unescape): every
 * school read from the text equals what the roster module makes of the
 * parsed record (or the lenient reading of a record it refuses), the other
 * records are parsed in brief order without the schools, look-ups by code
 * find the first school of a code, and malformed text is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "xiaoan/age.h"
#include "xiaoan/field.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/identity.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#define PASS "brief passphrase"

/* ---- the scanner ---- */

struct elems {
    int n;
    char text[8][64];
};

static int collect(void *ctx, const char *e, size_t n)
{
    struct elems *x = ctx;
    if (x->n < 8)
        snprintf(x->text[x->n], sizeof x->text[0], "%.*s", (int)n, e);
    x->n++;
    return 0;
}

static int stop_at_second(void *ctx, const char *e, size_t n)
{
    (void)e;
    (void)n;
    return ++*(int *)ctx == 2 ? 7 : 0;
}

static void scanner(void **state)
{
    (void)state;
    const char *t = " [ {\"a\":\"x]}\\\"{\",\"b\":[1,{\"c\":null}]} , \"s\\\\\" ,-12,true,[] ] ";
    struct elems x = {0};
    assert_int_equal(xa_json_each_element(t, strlen(t), collect, &x), 0);
    assert_int_equal(x.n, 5);
    assert_string_equal(x.text[0], "{\"a\":\"x]}\\\"{\",\"b\":[1,{\"c\":null}]}");
    assert_string_equal(x.text[1], "\"s\\\\\"");
    assert_string_equal(x.text[2], "-12");
    assert_string_equal(x.text[3], "true");
    assert_string_equal(x.text[4], "[]");
    int k = 0;
    assert_int_equal(xa_json_each_element(t, strlen(t), stop_at_second, &k), 7);
    x.n = 0;
    assert_int_equal(xa_json_each_element("[]", 2, collect, &x), 0);
    assert_int_equal(x.n, 0);
    /* malformed: never read past the end */
    const char *bad[] = {"", "{}", "[", "[1,", "[\"abc]", "[{\"a\":1]", "[1 2]", "[1],", "[,]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        x.n = 0;
        assert_int_equal(xa_json_each_element(bad[i], strlen(bad[i]), collect, &x), -1);
    }

    /* members of a flat object */
    const char *o = "{\"code\":\"33\",\"n\" : -5 ,\"x\":{\"y\":[1,\"}\"]},\"z\":false}";
    size_t pos = 0, kl, vl;
    const char *key, *val;
    const char *want[][2] = {{"code", "\"33\""}, {"n", "-5"}, {"x", "{\"y\":[1,\"}\"]}"},
                             {"z", "false"}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(xa_json_next_member(o, strlen(o), &pos, &key, &kl, &val, &vl), 1);
        assert_int_equal(kl, strlen(want[i][0]));
        assert_memory_equal(key, want[i][0], kl);
        assert_int_equal(vl, strlen(want[i][1]));
        assert_memory_equal(val, want[i][1], vl);
    }
    assert_int_equal(xa_json_next_member(o, strlen(o), &pos, &key, &kl, &val, &vl), 0);
    pos = 0;
    assert_int_equal(xa_json_next_member("{}", 2, &pos, &key, &kl, &val, &vl), 0);
    const char *badobj[] = {"[]", "{\"a\"}", "{\"a\":}", "{\"a\":1 \"b\":2}", "{\"a\":\"1}"};
    for (size_t i = 0; i < sizeof badobj / sizeof *badobj; i++) {
        pos = 0;
        int r = 1;
        while (r == 1)
            r = xa_json_next_member(badobj[i], strlen(badobj[i]), &pos, &key, &kl, &val, &vl);
        assert_int_equal(r, -1);
    }

    /* strings */
    xa_buf b = XA_BUF_INIT;
    const char *s = "\"a\\\"b\\\\c\\/\\n\\u4e2d\\uD83D\\uDE00\"";
    assert_true(xa_json_unescape(s, strlen(s), &b));
    assert_string_equal(b.data, "a\"b\\c/\n中\xF0\x9F\x98\x80");
    const char *badstr[] = {"abc", "\"a", "\"\\x\"", "\"\\u12\"", "\"\\uD83D\"", "\"\\u0000\"",
                            "\"a\nb\"", "\"\\\""};
    for (size_t i = 0; i < sizeof badstr / sizeof *badstr; i++) {
        b.len = 0;
        assert_false(xa_json_unescape(badstr[i], strlen(badstr[i]), &b));
    }
    xa_buf_clear(&b);
}

/* ---- the brief ---- */

static json_t *office_settings(const xa_identity *o)
{
    return json_pack("{s:s, s:o, s:{s:i, s:i}}", "type", "settings", "office",
                     xa_identity_public_json(o), "deadline_days", "general", 20, "major", 45);
}

static json_t *school(const char *code, const char *name, const char *type, int boarding)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:i, s:s, s:s, s:s, s:b, "
                     "s:b, s:n, s:s}",
                     "type", "school", "code", code, "name", name, "county", "莲都区",
                     "school_type", type, "boarding", boarding, "canteen", 1, "lab", 0, "bus", 0,
                     "students", 800, "address", "丽水市莲都区\"人民路\"1号\\东", "pinyin", "ldqsy",
                     "school_id", "", "private", 0, "kindergarten_class", 0, "boarders", "tier",
                     "key");
}

/* The school as the roster module reads the parsed record (the rules
 * before the compact table). */
static void assert_same_school(const xa_brief_school *got, const json_t *rec)
{
    xa_school want;
    int typed = xa_school_from_json(rec, &want, NULL) == XA_OK;
    if (!typed) {
        assert_string_equal(got->s.code, xa_doc_str(rec, "code"));
        assert_string_equal(got->s.name, xa_doc_str(rec, "name"));
        return;
    }
    assert_int_equal(got->typed, 1);
    assert_string_equal(got->s.code, want.code);
    assert_string_equal(got->s.name, want.name);
    assert_string_equal(got->s.county, want.county);
    assert_string_equal(got->s.address, want.address);
    assert_string_equal(got->s.pinyin, want.pinyin);
    assert_string_equal(got->s.school_id, want.school_id);
    assert_int_equal(got->s.type, want.type);
    assert_int_equal(got->s.students, want.students);
    assert_int_equal(got->s.boarders, want.boarders);
    assert_int_equal(got->s.boarding, want.boarding);
    assert_int_equal(got->s.canteen, want.canteen);
    assert_int_equal(got->s.tier, want.tier);
    assert_int_equal(got->profile, xa_school_profile(&want));
    xa_school_clear(&want);
}

static void brief_load(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/xiaoan-brief-XXXXXX";
    char *home = mkdtemp(tmpl);
    assert_non_null(home);
    xa_fstore *s = NULL;
    xa_err e;
    xa_kdf_params k = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    assert_int_equal(xa_fstore_create(home, "张三", PASS, &k, &s, &e), XA_OK);

    xa_brief *b = NULL;
    assert_int_equal(xa_brief_load(s, &b, &e), XA_ENOTFOUND);
    assert_null(b);

    xa_identity *office = NULL;
    assert_int_equal(xa_identity_generate("丽水市教育局安全科", &office, &e), XA_OK);
    json_t *odd_member = school("3311020009", "多了一栏的学校", "primary", 0);
    json_object_set_new(odd_member, "motto", json_string("x"));
    json_t *bad_type = school("3311020010", "类型不明学校", "castle", 0);
    json_t *bad_kind = school("3311020011", "寄宿写成字的学校", "junior", 0);
    json_object_set_new(bad_kind, "boarding", json_string("yes"));
    json_t *old = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:n, s:s, s:s}",
                            "type", "school", "code", "3311020012", "name", "旧简报学校",
                            "county", "莲都", "school_type", "kindergarten", "boarding", 0,
                            "canteen", 0, "lab", 0, "bus", 1, "students", "address", "",
                            "pinyin", "JBX");
    json_t *recs = json_pack(
        "[o, o, o, {s:s, s:s, s:s, s:s, s:s, s:s}, o, o, o, o, o, {s:s, s:s, s:s, s:s, s:[s], "
        "s:[]}, {s:s, s:s}]",
        office_settings(office), school("3311020002", "莲都区\\u8def小学", "primary", 0),
        school("3311020001", "莲都区实验小学", "nine-year", 1), "type", "hazard", "id",
        "0123456789abcdef0123456789abcdef", "school", "3311020001", "state", "overdue", "form",
        "general-4n2d", "code", "GN-05", odd_member, bad_type, bad_kind, old,
        school("3311020001", "重复代码的第二所", "senior", 0), "type", "assignment", "id",
        "fedcba9876543210fedcba9876543210", "school", "3311020002", "kind", "random", "forms",
        "general-4n2d", "team", "type", "receipt", "bundle", "abc");
    xa_brief_meta m = {.seq = 3, .hash = "00", .created = "2026-11-28T17:00:00+08:00"};
    assert_int_equal(xa_fstore_brief_put(s, office, &m, recs, NULL, &e), XA_OK);

    assert_int_equal(xa_brief_load(s, &b, &e), XA_OK);
    assert_int_equal(b->meta.seq, 3);
    assert_int_equal(b->days.general, 20);
    assert_int_equal(b->days.major, 45);
    assert_string_equal(b->office_name, "丽水市教育局安全科");
    assert_string_equal(b->office_fp, office->fingerprint);
    /* every school, in brief order, as the roster module reads it */
    size_t idx[] = {1, 2, 4, 5, 6, 7, 8};
    assert_int_equal(b->nschools, 7);
    for (size_t i = 0; i < 7; i++)
        assert_same_school(&b->schools[i], json_array_get(recs, idx[i]));
    assert_string_equal(b->schools[0].s.name, "莲都区\\u8def小学"); /* a backslash kept as text */
    assert_string_equal(b->schools[0].s.address, "丽水市莲都区\"人民路\"1号\\东");
    /* refused by the roster module: read leniently (no numbers; typed when
     * the type is known) */
    assert_int_equal(b->schools[2].s.students, -1); /* an unknown member */
    assert_int_equal(b->schools[2].typed, 1);
    assert_int_equal(b->schools[3].typed, 0);       /* an unknown school type */
    assert_int_equal(b->schools[4].s.students, -1); /* a flag written as text */
    assert_int_equal(b->schools[1].s.students, 800); /* a good one has its numbers */
    assert_int_equal(b->schools[5].typed, 1);  /* an older brief without the later members */
    assert_string_equal(b->schools[5].s.pinyin, "jbx");
    assert_string_equal(b->schools[5].s.county, "莲都区");
    /* look-ups: the first school of a code; the brief's hazard counted there */
    xa_brief_school *x = xa_brief_school_find(b, "3311020001");
    assert_ptr_equal(x, &b->schools[1]);
    assert_int_equal(x->nopen, 1);
    assert_int_equal(x->noverdue, 1);
    assert_ptr_equal(xa_brief_school_find(b, "3311020012"), &b->schools[5]);
    assert_null(xa_brief_school_find(b, "3311020003"));
    assert_null(xa_brief_school_find(b, NULL));
    /* the other records, parsed, in order, without the schools */
    assert_int_equal(json_array_size(b->records), 4);
    assert_string_equal(xa_doc_str(json_array_get(b->records, 0), "type"), "settings");
    assert_string_equal(xa_doc_str(json_array_get(b->records, 1), "type"), "hazard");
    assert_string_equal(xa_doc_str(json_array_get(b->records, 3), "type"), "receipt");
    assert_int_equal(b->nhaz, 1);
    assert_string_equal(b->haz[0].code, "GN-05");
    assert_int_equal(b->nasg, 1);
    assert_string_equal(b->asg[0].school, "3311020002");
    assert_int_equal(json_array_size(b->asg[0].forms), 1);
    assert_int_equal(b->nforms, 0);
    xa_brief_free(b);

    json_decref(recs);
    xa_identity_free(office);
    xa_fstore_close(s);
    const char *names[] = {"field.db", "field.db-wal", "field.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        char *p = xa_path_join(home, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scanner),
        cmocka_unit_test(brief_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
