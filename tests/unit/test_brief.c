/* test_brief.c — the stored brief as the screens read it (field.h
 * xa_brief_load, src/field/brief.c) and the JSON scanner under it (json.h
 * xa_json_each_element / xa_json_next_member / xa_json_unescape): every
 * school read from the text equals what the roster module makes of the
 * parsed record (or the lenient reading of a record it refuses), the other
 * records are parsed in brief order without the schools, look-ups by code
 * find the first school of a code, and malformed text is refused.  A
 * store whose brief was kept whole (before field store schema 4) is split
 * when opened, and the picker then finds the same schools as before.  A
 * store of schema 4 (no school table) is migrated to 6, the first reading
 * of every school writes the compact school table (encrypted), and the
 * schools read back from it equal those read from the records. */
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
#include "xiaoan/pinyin.h"
#include "xiaoan/tui.h"

#include <sqlite3.h>

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

/* A new field store at a fresh folder made from tmpl (its name is written
 * into tmpl), created at the interactive KDF cost. */
static xa_fstore *new_store(char *tmpl)
{
    assert_non_null(mkdtemp(tmpl));
    xa_fstore *s = NULL;
    xa_err e;
    xa_kdf_params k = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    assert_int_equal(xa_fstore_create(tmpl, "张三", PASS, &k, &s, &e), XA_OK);
    return s;
}

static void brief_load(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/xiaoan-brief-XXXXXX";
    char *home = tmpl;
    xa_fstore *s = new_store(tmpl);
    xa_err e;

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
    /* at unlock only the schools the hazard and the assignment name
     * (both of a repeated code), in brief order */
    assert_false(b->schools_loaded);
    assert_int_equal(b->nschools, 0);
    assert_int_equal(b->cited.n, 3);
    assert_same_school(&b->cited.v[0], json_array_get(recs, 1));
    assert_same_school(&b->cited.v[1], json_array_get(recs, 2));
    assert_same_school(&b->cited.v[2], json_array_get(recs, 8));
    xa_brief_school *x = xa_brief_school_find(b, "3311020001");
    assert_ptr_equal(x, &b->cited.v[1]);
    assert_int_equal(x->nopen, 1);
    assert_int_equal(x->noverdue, 1);
    assert_null(xa_brief_school_find(b, "3311020012")); /* not read yet */
    /* every school when asked, in brief order, as the roster module reads it */
    assert_int_equal(xa_brief_schools(s, b, &e), XA_OK);
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
    /* look-ups: the first school of a code (a cited one stays the cited
     * entry); the brief's hazard counted there */
    assert_ptr_equal(xa_brief_school_find(b, "3311020001"), x);
    x = xa_brief_schools_find(&b->all, "3311020001");
    assert_ptr_equal(x, &b->schools[1]);
    assert_int_equal(x->nopen, 1);
    assert_int_equal(x->noverdue, 1);
    assert_ptr_equal(xa_brief_school_find(b, "3311020012"), &b->schools[5]);
    assert_null(xa_brief_school_find(b, "3311020003"));
    assert_null(xa_brief_school_find(b, NULL));
    assert_int_equal(xa_brief_schools(s, b, &e), XA_OK); /* once */
    assert_int_equal(b->nschools, 7);
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
    assert_int_equal(xa_brief_forms(s, b, &e), XA_OK);
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

/* One integer from field.db (the store closed). */
static long long db_int_of(const char *home, const char *sql)
{
    char *db = xa_path_join(home, "field.db");
    sqlite3 *q = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(q, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(q);
    free(db);
    return v;
}

static void db_run(const char *home, const char *sql)
{
    char *db = xa_path_join(home, "field.db");
    sqlite3 *q = NULL;
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    assert_int_equal(sqlite3_exec(q, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(q);
    free(db);
}

/* The picker's matches for query over schools: as a string of indexes. */
static void picker_matches(xa_filter *f, const char *query, char *out, size_t cap)
{
    xa_filter_apply(f, query);
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < f->nmatch && n + 12 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%zu,", f->match[i]);
}

/* Both filters find the same schools for every query, as many as want. */
static void same_matches(xa_filter *now, xa_filter *before, const char *const *queries,
                         const size_t *want, size_t n)
{
    for (size_t q = 0; q < n; q++) {
        char a[256], w[256];
        picker_matches(now, queries[q], a, sizeof a);
        picker_matches(before, queries[q], w, sizeof w);
        assert_string_equal(a, w);
        if (now->nmatch != want[q])
            fail_msg("query '%s': %zu matches, want %zu", queries[q], now->nmatch, want[q]);
    }
}

static void rm_home(const char *home)
{
    const char *names[] = {"field.db", "field.db-wal", "field.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        char *p = xa_path_join(home, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(home);
}

/* A brief stored the way before schema 4 (one blob): the next open splits
 * it; every reader sees the same brief, the picker the same schools. */
static void old_store_converted(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/xiaoan-brief-XXXXXX";
    char *home = tmpl;
    xa_fstore *s = new_store(tmpl);
    xa_err e;
    xa_identity *office = NULL, *rogue = NULL;
    assert_int_equal(xa_identity_generate("丽水市教育局安全科", &office, &e), XA_OK);
    assert_int_equal(xa_identity_generate("丽水市教育局安全科", &rogue, &e), XA_OK);
    json_t *odd = school("3311020009", "多了一栏的学校", "primary", 0);
    json_object_set_new(odd, "motto", json_string("x"));
    json_t *recs = json_pack(
        "[o, o, o, o, o, o, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:[], s:[]}]",
        office_settings(office), school("3311020002", "莲都区碧湖镇中心小学", "primary", 0),
        school("3311020001", "莲都区实验小学", "nine-year", 1),
        school("3311810001", "龙泉市第一中学", "senior", 1), odd,
        school("3311020005", "碧湖镇第二小学", "primary", 0), "type", "hazard", "id",
        "0123456789abcdef0123456789abcdef", "school", "3311020001", "state", "open", "type",
        "assignment", "id", "fedcba9876543210fedcba9876543210", "school", "3311810001",
        "forms", "team");
    xa_brief_meta m = {.seq = 5, .hash = "ab", .created = "2026-11-28T17:00:00+08:00"};
    assert_int_equal(xa_fstore_debug_brief_put_whole(s, office, &m, recs, &e), XA_OK);
    xa_fstore_close(s);
    assert_int_equal(db_int_of(home, "SELECT parts FROM brief"), 0);
    assert_int_equal(db_int_of(home, "SELECT count(*) FROM brief_parts"), 0);

    /* opening splits it, once */
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    xa_fstore_close(s);
    assert_int_equal(db_int_of(home, "SELECT parts FROM brief"), 1);
    assert_int_equal(db_int_of(home, "SELECT count(*) FROM brief_parts"), 3);
    assert_int_equal(db_int_of(home, "SELECT seq FROM brief"), 5);
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);

    /* the whole brief reads back (schools after the settings, as written) */
    json_t *got = NULL;
    xa_brief_meta gm;
    assert_int_equal(xa_fstore_brief_get(s, &got, &gm, &e), XA_OK);
    assert_true(json_equal(got, recs));
    assert_int_equal(gm.seq, 5);
    assert_string_equal(gm.hash, "ab");
    json_decref(got);
    xa_identity *pinned = NULL;
    assert_int_equal(xa_fstore_office(s, &pinned, &e), XA_OK);
    assert_string_equal(pinned->fingerprint, office->fingerprint);
    xa_identity_free(pinned);

    /* the screens: the cited schools at unlock, every school for the picker */
    xa_brief *b = NULL;
    assert_int_equal(xa_brief_load(s, &b, &e), XA_OK);
    assert_int_equal(b->cited.n, 2);
    assert_string_equal(b->cited.v[0].s.code, "3311020001");
    assert_int_equal(b->cited.v[0].nopen, 1);
    assert_string_equal(b->cited.v[1].s.code, "3311810001");
    assert_string_equal(b->office_fp, office->fingerprint);
    assert_int_equal(xa_brief_schools(s, b, &e), XA_OK);
    assert_int_equal(b->nschools, 5);
    for (size_t i = 0; i < 5; i++)
        assert_same_school(&b->schools[i], json_array_get(recs, i + 1));
    /* the picker: the same matches as a filter over the brief's records
     * read whole, the way the picker read them before */
    xa_filter now, before;
    xa_filter_init(&now, b->nschools);
    for (size_t i = 0; i < b->nschools; i++)
        xa_filter_set(&now, i, b->schools[i].s.code, b->schools[i].s.name, b->schools[i].s.county,
                      b->schools[i].s.pinyin);
    xa_filter_init(&before, 5);
    for (size_t i = 0; i < 5; i++) {
        const json_t *r = json_array_get(recs, i + 1);
        xa_school sc;
        if (xa_school_from_json(r, &sc, NULL) == XA_OK) {
            xa_filter_set(&before, i, sc.code, sc.name, sc.county, sc.pinyin);
            xa_school_clear(&sc);
        } else {
            xa_filter_set(&before, i, xa_doc_str(r, "code"), xa_doc_str(r, "name"),
                          xa_doc_str(r, "county"), xa_doc_str(r, "pinyin"));
        }
    }
    static const char *const queries[] = {"", "碧湖", "3311020", "莲都", "ldq", "龙泉", "多了",
                                          "331181", "lqs", "二小", "zzz"};
    static const size_t want[] = {5, 2, 4, 5, 5, 1, 1, 1, 1, 1, 0};
    same_matches(&now, &before, queries, want, sizeof queries / sizeof *queries);
    xa_filter_free(&now);
    xa_filter_free(&before);
    xa_brief_free(b);
    xa_fstore_close(s);

    /* a tampered pin in an old store is still refused after the split */
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    assert_int_equal(xa_fstore_debug_brief_put_whole(s, office, &m, recs, &e), XA_OK);
    xa_fstore_close(s);
    {
        char hex[65];
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", rogue->age_pk[i]);
        char *upd = xa_asprintf("UPDATE office SET age_pk = x'%s'", hex);
        db_run(home, upd);
        free(upd);
    }
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    assert_int_equal(db_int_of(home, "SELECT parts FROM brief"), 1);
    assert_int_equal(xa_fstore_office(s, &pinned, &e), XA_ECRYPTO);
    assert_null(pinned);
    assert_non_null(strstr(e.msg, "field.db was edited"));
    xa_fstore_close(s);

    json_decref(recs);
    xa_identity_free(office);
    xa_identity_free(rogue);
    rm_home(home);
}

/* xa_fstore_brief_table callback: the chunks put together. */
static int take_chunks(void *ctx, const void *chunk, size_t len)
{
    xa_buf_add(ctx, chunk, len);
    return 0;
}

/* Every member of two schools of the brief equal (a from the records, b
 * from the school table). */
static void assert_school_eq(const xa_brief_school *a, const xa_brief_school *b)
{
    assert_string_equal(a->s.code, b->s.code);
    assert_string_equal(a->s.name, b->s.name);
    assert_string_equal(a->s.county, b->s.county);
    assert_string_equal(a->s.address, b->s.address);
    assert_string_equal(a->s.pinyin, b->s.pinyin);
    assert_string_equal(a->s.school_id, b->s.school_id);
    assert_int_equal(a->s.type, b->s.type);
    assert_int_equal(a->s.boarding, b->s.boarding);
    assert_int_equal(a->s.canteen, b->s.canteen);
    assert_int_equal(a->s.lab, b->s.lab);
    assert_int_equal(a->s.bus, b->s.bus);
    assert_int_equal(a->s.students, b->s.students);
    assert_int_equal(a->s.private_, b->s.private_);
    assert_int_equal(a->s.kindergarten_class, b->s.kindergarten_class);
    assert_int_equal(a->s.boarders, b->s.boarders);
    assert_int_equal(a->s.tier, b->s.tier);
    assert_int_equal(a->typed, b->typed);
    assert_int_equal(a->profile, b->profile);
    assert_int_equal(a->nopen, b->nopen);
    assert_int_equal(a->noverdue, b->noverdue);
}

/* A store of schema 4 (the brief in parts, no school table): opened, it
 * is migrated to schema 6; the first reading of every school reads the
 * records and writes the school table; the next reads the table: the same
 * schools, look-ups and picker matches, with the search strings made at
 * import.  The table is encrypted, belongs to its brief's seq, and a new
 * brief removes it. */
static void school_table(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/xiaoan-brief-XXXXXX";
    char *home = tmpl;
    xa_fstore *s = new_store(tmpl);
    xa_err e;
    xa_identity *office = NULL;
    assert_int_equal(xa_identity_generate("丽水市教育局安全科", &office, &e), XA_OK);
    json_t *odd = school("3311020009", "多了一栏的学校", "primary", 0);
    json_object_set_new(odd, "motto", json_string("x"));
    json_t *big = school("3311020007", "Lishui ABC 国际学校", "senior", 1);
    json_t *recs = json_pack(
        "[o, o, o, o, o, o, o, o, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}]",
        office_settings(office), school("3311020002", "莲都区碧湖镇中心小学", "primary", 0),
        school("3311020001", "莲都区实验小学", "nine-year", 1),
        school("3311810001", "龙泉市第一中学", "senior", 1), odd,
        school("3311020005", "碧湖镇第二小学", "primary", 0), big,
        school("3311020001", "重复代码的第二所", "junior", 0), "type", "hazard", "id",
        "0123456789abcdef0123456789abcdef", "school", "3311020001", "state", "overdue", "type",
        "hazard", "id", "1123456789abcdef0123456789abcdef", "school", "3311020005", "state",
        "open");
    xa_brief_meta m = {.seq = 7, .hash = "cd", .created = "2026-11-28T17:00:00+08:00"};
    assert_int_equal(xa_fstore_brief_put(s, office, &m, recs, NULL, &e), XA_OK);
    xa_fstore_close(s);
    /* back to schema 4: brief_parts without 'table' in its CHECK, no brief_table */
    db_run(home, "CREATE TABLE bp4 (part TEXT PRIMARY KEY CHECK (part IN ('cited', 'forms', "
                 "'schools')), nonce BLOB NOT NULL, data BLOB NOT NULL);"
                 "INSERT INTO bp4 SELECT part, nonce, data FROM brief_parts;"
                 "DROP TABLE brief_parts; ALTER TABLE bp4 RENAME TO brief_parts;"
                 "DROP TABLE brief_table; PRAGMA user_version = 4;");
    assert_int_equal(db_int_of(home, "PRAGMA user_version"), 4);

    /* opened: migrated, the parts kept, no table yet */
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    assert_int_equal(db_int_of(home, "PRAGMA user_version"), 6);
    assert_int_equal(db_int_of(home, "SELECT count(*) FROM brief_parts"), 3);
    xa_buf tab = XA_BUF_INIT;
    int64_t seq = 0;
    assert_int_equal(xa_fstore_brief_table(s, &seq, take_chunks, &tab, &e), XA_ENOTFOUND);

    /* the first reading: from the records; the table written */
    xa_brief *a = NULL, *b = NULL;
    assert_int_equal(xa_brief_load(s, &a, &e), XA_OK);
    assert_int_equal(xa_brief_schools(s, a, &e), XA_OK);
    assert_int_equal(a->nschools, 7);
    for (size_t i = 0; i < a->nschools; i++)
        assert_null(a->schools[i].hay);
    assert_int_equal(db_int_of(home, "SELECT count(*) FROM brief_table"), 1);
    assert_int_equal(xa_fstore_brief_table(s, &seq, take_chunks, &tab, &e), XA_OK);
    assert_int_equal(seq, 7);
    assert_true(tab.len > 100);
    /* encrypted at rest: no name, code or pinyin key in the stored bytes */
    assert_int_equal(db_int_of(home, "SELECT sum(instr(data, CAST('碧湖镇' AS BLOB)) + "
                                     "instr(data, CAST('3311020' AS BLOB)) + "
                                     "instr(data, CAST('xiao xue' AS BLOB))) FROM brief_table"),
                     0);

    /* the next reading: from the table, equal to the records' */
    assert_int_equal(xa_brief_load(s, &b, &e), XA_OK);
    assert_int_equal(xa_brief_schools(s, b, &e), XA_OK);
    assert_int_equal(b->nschools, a->nschools);
    for (size_t i = 0; i < b->nschools; i++) {
        const xa_brief_school *x = &b->schools[i];
        assert_school_eq(&a->schools[i], x);
        assert_non_null(x->hay);
        char *hay = xa_search_hay(x->s.code, x->s.name, x->s.county, x->s.pinyin);
        char *py = xa_search_pinyin(x->s.name, x->s.county);
        assert_string_equal(x->hay, hay);
        assert_string_equal(x->py, py);
        free(hay);
        free(py);
        /* look-ups by code: the first school of a code */
        assert_ptr_equal(xa_brief_schools_find(&b->all, x->s.code) - b->schools,
                         xa_brief_schools_find(&a->all, x->s.code) - a->schools);
    }
    assert_int_equal(b->schools[5].s.students, 800);
    assert_int_equal(b->schools[3].typed, 1); /* read leniently (an unknown member) */
    assert_int_equal(b->schools[3].s.students, -1);
    assert_int_equal(xa_brief_schools_find(&b->all, "3311020001")->nopen, 1);
    assert_int_equal(xa_brief_schools_find(&b->all, "3311020001")->noverdue, 1);
    assert_string_equal(xa_brief_schools_find(&b->all, "3311020001")->s.name, "莲都区实验小学");
    assert_null(xa_brief_schools_find(&b->all, "3311020003"));
    /* the picker over the table's search strings finds what it found over
     * the records' */
    xa_filter fa, fb;
    xa_filter_init(&fa, a->nschools);
    xa_filter_init(&fb, b->nschools);
    for (size_t i = 0; i < a->nschools; i++) {
        xa_filter_set(&fa, i, a->schools[i].s.code, a->schools[i].s.name, a->schools[i].s.county,
                      a->schools[i].s.pinyin);
        xa_filter_borrow(&fb, i, b->schools[i].hay, b->schools[i].py);
    }
    static const char *const queries[] = {"", "碧湖", "3311020", "莲都", "ldq", "lishui abc",
                                          "ABC", "lqs", "longquan", "二小", "zzz"};
    static const size_t want[] = {7, 2, 6, 7, 7, 1, 1, 1, 1, 1, 0};
    same_matches(&fb, &fa, queries, want, sizeof queries / sizeof *queries);
    xa_filter_free(&fa);
    xa_filter_free(&fb);
    xa_brief_free(a);
    xa_brief_free(b);

    /* a table for another brief is refused */
    assert_int_equal(xa_fstore_brief_table_put(s, 6, &tab, &e), XA_ESTATE);
    /* a large table in chunks, each opening only at its place and the
     * last marked: a missing last chunk or two swapped chunks do not open */
    xa_buf large = XA_BUF_INIT, back = XA_BUF_INIT;
    for (int i = 0; i < 200000; i++)
        xa_buf_printf(&large, "%d,", i);
    assert_int_equal(xa_fstore_brief_table_put(s, 7, &large, &e), XA_OK);
    assert_int_equal(db_int_of(home, "SELECT count(*) FROM brief_table"),
                     (long long)((large.len + 65535) / 65536));
    assert_int_equal(xa_fstore_brief_table(s, &seq, take_chunks, &back, &e), XA_OK);
    assert_int_equal(back.len, large.len);
    assert_memory_equal(back.data, large.data, large.len);
    xa_fstore_close(s);
    db_run(home, "DELETE FROM brief_table WHERE n = (SELECT max(n) FROM brief_table)");
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    back.len = 0;
    assert_int_equal(xa_fstore_brief_table(s, &seq, take_chunks, &back, &e), XA_ECRYPTO);
    xa_fstore_close(s);
    db_run(home, "UPDATE brief_table SET n = 1000000 WHERE n = 0;"
                 "UPDATE brief_table SET n = 0 WHERE n = 1;"
                 "UPDATE brief_table SET n = 1 WHERE n = 1000000;");
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    back.len = 0;
    assert_int_equal(xa_fstore_brief_table(s, &seq, take_chunks, &back, &e), XA_ECRYPTO);
    /* a damaged table: the schools are read from their records again */
    assert_int_equal(xa_brief_load(s, &a, &e), XA_OK);
    assert_int_equal(xa_brief_schools(s, a, &e), XA_OK);
    assert_int_equal(a->nschools, 7);
    assert_null(a->schools[0].hay);
    xa_brief_free(a);
    xa_buf_clear(&large);
    xa_buf_clear(&back);
    xa_buf_wipe(&tab);
    /* a new brief removes the table; the import makes the next one */
    m.seq = 8;
    assert_int_equal(xa_fstore_brief_put(s, office, &m, recs, NULL, &e), XA_OK);
    assert_int_equal(db_int_of(home, "SELECT count(*) FROM brief_table"), 0);
    assert_int_equal(xa_fstore_brief_table(s, &seq, take_chunks, &tab, &e), XA_ENOTFOUND);
    assert_int_equal(xa_brief_table_make(s, &e), XA_OK);
    tab.len = 0;
    assert_int_equal(xa_fstore_brief_table(s, &seq, take_chunks, &tab, &e), XA_OK);
    assert_int_equal(seq, 8);
    xa_buf_wipe(&tab);
    xa_fstore_close(s);

    json_decref(recs);
    xa_identity_free(office);
    rm_home(home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scanner),
        cmocka_unit_test(brief_load),
        cmocka_unit_test(old_store_converted),
        cmocka_unit_test(school_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
