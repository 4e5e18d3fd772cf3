/* test_fieldstore.c — the field store: create/open/unlock, file modes,
 * secrecy of field.db and its WAL, drafts and revisions, sealing and the
 * chain, sealed visits frozen, exports, brief and office pinning, passwd,
 * a full disk, a newer schema, records bound to their id and revision, and
 * the journal of a draft's answers (issue 17).
 * INTERACTIVE Argon2id cost only. */
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
#include <sodium.h>
#include <sqlite3.h>

#include "xiaoan/age.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"

#define PASS "山路十八弯 passphrase"
#define SCHOOL "莲都区碧湖镇中心小学"
#define SCHOOL2 "缙云县壶镇镇第二初级中学"
#define NOTE "食堂后厨燃气软管老化开裂"
#define HAZARD "宿舍楼三楼安全出口上锁"
#define BRIEF_SCHOOL "松阳县玉岩镇中心学校"

/* The brief's first record as the office writes it: the office's keys,
 * which authenticate the pin (field_brief.c pin_check). */
static json_t *office_settings(const xa_identity *o)
{
    return json_pack("{s:s, s:o}", "type", "settings", "office", xa_identity_public_json(o));
}

static xa_kdf_params fast(void)
{
    return xa_kdf_params_of(XA_KDF_INTERACTIVE);
}

/* A fresh temporary home folder. */
static char *new_home(void)
{
    char tmpl[] = "/tmp/xiaoan-fstore-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return xa_strdup(d);
}

/* rm -r of a home folder (flat). */
static void rm_home(char *home)
{
    const char *names[] = {"field.db", "field.db-wal", "field.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        char *p = xa_path_join(home, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(home);
    free(home);
}

/* Create a store in a fresh home. */
static xa_fstore *make_store(char **home_out)
{
    char *home = new_home();
    xa_fstore *s = NULL;
    xa_err e;
    xa_kdf_params k = fast();
    if (xa_fstore_create(home, "张三", PASS, &k, &s, &e) != XA_OK) {
        print_error("create: %s\n", e.msg);
        fail();
    }
    *home_out = home;
    return s;
}

/* A new draft visit for school name. */
static json_t *new_visit(xa_fstore *s, const char *school)
{
    xa_visit_init in = {.school_code = "331102000101",
                        .school_name = school,
                        .county = "莲都区",
                        .kind = "four-not-two-direct",
                        .no_notice = 1,
                        .no_greeting = 1,
                        .no_briefing = 1,
                        .no_escort = 1};
    json_t *doc = NULL;
    xa_err e;
    if (xa_fstore_visit_new(s, &in, &doc, &e) != XA_OK) {
        print_error("visit new: %s\n", e.msg);
        fail();
    }
    return doc;
}

/* Add a hazard and an answer note to a new draft (revision 1), then save (revision 2). */
static void fill_visit(xa_fstore *s, json_t *doc)
{
    int64_t rev = 1;
    json_t *a = xa_visit_answer_new("canteen-food", "CF-07", "hazard");
    json_object_set_new(a, "note", json_string(NOTE));
    json_array_append_new(json_object_get(doc, "answers"), a);
    json_t *h = xa_visit_hazard_new("dormitory", "DM-02", "fire", "major");
    json_object_set_new(h, "description", json_string(HAZARD));
    json_object_set_new(h, "deadline", json_string("2026-12-14"));
    json_array_append_new(json_object_get(doc, "hazards"), h);
    xa_err e;
    if (xa_fstore_visit_save(s, doc, &rev, &e) != XA_OK) {
        print_error("save: %s\n", e.msg);
        fail();
    }
}

/* Does the file contain the bytes of needle? */
static int file_has(const char *path, const void *needle, size_t n)
{
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    if (xa_read_file(path, (size_t)1 << 30, &b, &e) != XA_OK) {
        xa_buf_clear(&b);
        return 0;
    }
    int found = 0;
    for (size_t i = 0; !found && b.len >= n && i <= b.len - n; i++)
        found = memcmp(b.data + i, needle, n) == 0;
    xa_buf_clear(&b);
    return found;
}

/* Check the file has none of the secrets, in UTF-8, escaped or UTF-16. */
static void assert_secret_free(const char *path)
{
    const char *secrets[] = {SCHOOL, SCHOOL2, NOTE, HAZARD, BRIEF_SCHOOL, "莲都区", "碧湖镇"};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        const char *s = secrets[i];
        if (file_has(path, s, strlen(s))) {
            print_error("%s contains '%s'\n", path, s);
            fail();
        }
        /* the first two characters alone (6 bytes) */
        assert_false(file_has(path, s, 6));
        /* as JSON \u escapes and as UTF-16LE */
        uint32_t cp[2];
        for (int k = 0; k < 2; k++)
            cp[k] = ((uint32_t)(s[3 * k] & 0x0f) << 12) | ((uint32_t)(s[3 * k + 1] & 0x3f) << 6) |
                    (uint32_t)(s[3 * k + 2] & 0x3f);
        char esc[16];
        snprintf(esc, sizeof esc, "\\u%04x\\u%04x", cp[0], cp[1]);
        assert_false(file_has(path, esc, 12));
        uint8_t u16[4] = {(uint8_t)cp[0], (uint8_t)(cp[0] >> 8), (uint8_t)cp[1],
                          (uint8_t)(cp[1] >> 8)};
        assert_false(file_has(path, u16, 4));
    }
}

/* Mode of a file (permission bits). */
static unsigned mode_of(const char *home, const char *name)
{
    char *p = xa_path_join(home, name);
    struct stat st;
    int r = stat(p, &st);
    free(p);
    assert_int_equal(r, 0);
    return (unsigned)(st.st_mode & 0777);
}

/* Create, reopen, wrong passphrase, modes, refuse a second create. */
static void create_open(void **state)
{
    (void)state;
    char *home;
    mode_t old = umask(022);
    xa_fstore *s = make_store(&home);
    umask(old);
    const xa_identity *id = xa_fstore_identity(s);
    assert_non_null(id->sec);
    char fp[XA_FP_MAX];
    memcpy(fp, id->fingerprint, sizeof fp);
    assert_int_equal(mode_of(home, "field.db"), 0600);
    assert_int_equal(mode_of(home, "field.db-wal"), 0600);
    assert_int_equal(mode_of(home, "field.db-shm"), 0600);
    xa_fstore_close(s);
    assert_int_equal(mode_of(home, "field.db"), 0600);

    xa_err e;
    xa_kdf_params k = fast();
    assert_int_equal(xa_fstore_create(home, "李四", PASS, &k, &s, &e), XA_EEXIST);
    assert_non_null(strstr(e.msg, "already exists"));

    xa_identity *pub = NULL;
    assert_int_equal(xa_fstore_public_identity(home, &pub, &e), XA_OK);
    assert_string_equal(pub->fingerprint, fp);
    assert_string_equal(pub->name, "张三");
    assert_null(pub->sec);
    xa_identity_free(pub);

    /* the wrong passphrase: one line, nothing changed */
    char *db = xa_path_join(home, "field.db");
    xa_buf before = XA_BUF_INIT, after = XA_BUF_INIT;
    assert_int_equal(xa_read_file(db, 1 << 26, &before, &e), XA_OK);
    s = NULL;
    assert_int_equal(xa_fstore_open(home, "not it", &s, &e), XA_EPASS);
    assert_non_null(strstr(e.msg, "wrong passphrase: check it and try again"));
    assert_non_null(strstr(e.msg, "ask the office to enrol you again"));
    assert_null(s);
    assert_int_equal(xa_read_file(db, 1 << 26, &after, &e), XA_OK);
    assert_int_equal(before.len, after.len);
    assert_memory_equal(before.data, after.data, before.len);
    xa_buf_clear(&before);
    xa_buf_clear(&after);
    free(db);

    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    assert_string_equal(xa_fstore_identity(s)->fingerprint, fp);
    xa_fstore_close(s);

    char *empty = new_home();
    assert_int_equal(xa_fstore_open(empty, PASS, &s, &e), XA_ENOTFOUND);
    assert_non_null(strstr(e.msg, "xiaoan init"));
    assert_int_equal(xa_fstore_public_identity(empty, &pub, &e), XA_ENOTFOUND);
    rm_home(empty);
    rm_home(home);
}

/* Nothing of a school, answer, hazard or brief is in field.db or its WAL. */
static void secrecy(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    json_t *d1 = new_visit(s, SCHOOL), *d2 = new_visit(s, SCHOOL2);
    fill_visit(s, d1);
    fill_visit(s, d2);
    xa_err e;
    assert_int_equal(xa_fstore_visit_seal(s, json_string_value(json_object_get(d1, "id")), NULL,
                                          &e),
                     XA_OK);
    xa_identity *office = NULL;
    assert_int_equal(xa_identity_generate("丽水市教育局安全科", &office, &e), XA_OK);
    json_t *recs = json_pack("[o, {s:s, s:s, s:s, s:s}]", office_settings(office), "type",
                             "school", "code", "331124000101", "name", BRIEF_SCHOOL, "county",
                             "松阳县");
    xa_brief_meta m = {.seq = 1, .hash = "00", .created = "2026-11-28T17:00:00+08:00"};
    assert_int_equal(xa_fstore_brief_put(s, office, &m, recs, NULL, &e), XA_OK);

    char *db = xa_path_join(home, "field.db"), *wal = xa_path_join(home, "field.db-wal");
    assert_true(xa_path_exists(wal));
    struct stat st;
    assert_int_equal(stat(wal, &st), 0);
    assert_true(st.st_size > 0);
    assert_secret_free(db);
    assert_secret_free(wal);
    /* the check itself works: the public name is in clear */
    assert_true(file_has(db, "张三", strlen("张三")) || file_has(wal, "张三", strlen("张三")));
    /* the list decrypts them */
    xa_visit_list l;
    assert_int_equal(xa_fstore_visit_list(s, &l, &e), XA_OK);
    assert_int_equal(l.n, 2);
    int seen = 0;
    for (size_t i = 0; i < l.n; i++) {
        seen |= !strcmp(l.v[i].school_name, SCHOOL);
        assert_int_equal(l.v[i].hazards, 1);
        assert_string_equal(l.v[i].kind, "four-not-two-direct");
    }
    assert_true(seen);
    xa_visit_list_clear(&l);
    xa_fstore_close(s);
    assert_secret_free(db);
    if (xa_path_exists(wal))
        assert_secret_free(wal);
    /* still there after reopening */
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    json_t *r = NULL;
    assert_int_equal(xa_fstore_brief_get(s, &r, NULL, &e), XA_OK);
    assert_true(json_equal(r, recs));
    json_decref(r);
    assert_secret_free(wal);
    xa_fstore_close(s);
    free(db);
    free(wal);
    json_decref(recs);
    json_decref(d1);
    json_decref(d2);
    xa_identity_free(office);
    rm_home(home);
}

/* Drafts: save bumps rev, load gives it back, sealed visits are frozen. */
static void drafts_and_frozen(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    json_t *d = new_visit(s, SCHOOL);
    const char *id = json_string_value(json_object_get(d, "id"));
    xa_visit_info info;
    json_t *back = NULL;
    xa_err e;
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 1);
    assert_int_equal(info.state, XA_VISIT_DRAFT);
    assert_true(json_equal(back, d));
    json_decref(back);
    xa_visit_info_clear(&info);
    fill_visit(s, d);
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 2);
    assert_int_equal(info.hazards, 1);
    assert_true(json_equal(back, d));
    json_decref(back);
    xa_visit_info_clear(&info);

    /* an invalid document is refused with the field named */
    json_t *bad = json_deep_copy(d);
    json_object_set_new(json_array_get(json_object_get(bad, "hazards"), 0), "deadline",
                        json_string("明天"));
    int64_t rev = 2;
    assert_int_equal(xa_fstore_visit_save(s, bad, &rev, &e), XA_EFORMAT);
    assert_string_equal(e.msg, "visit.hazards[0].deadline: not a date");
    json_decref(bad);
    /* an unknown id */
    bad = json_deep_copy(d);
    char nid[XA_ID_HEX];
    xa_random_id(nid);
    json_object_set_new(bad, "id", json_string(nid));
    assert_int_equal(xa_fstore_visit_save(s, bad, &rev, &e), XA_ENOTFOUND);
    json_decref(bad);

    json_t *sealed = NULL;
    assert_int_equal(xa_fstore_visit_seal(s, id, &sealed, &e), XA_OK);
    assert_true(xa_visit_is_sealed(sealed));
    /* no API changes a sealed visit */
    json_object_set_new(json_object_get(d, "school"), "name", json_string("改名"));
    rev = 3;
    assert_int_equal(xa_fstore_visit_save(s, d, &rev, &e), XA_ESTATE);
    assert_non_null(strstr(e.msg, "sealed"));
    assert_int_equal(xa_fstore_visit_save(s, sealed, &rev, &e), XA_ESTATE);
    assert_int_equal(xa_fstore_visit_seal(s, id, NULL, &e), XA_ESTATE);
    assert_int_equal(xa_fstore_visit_discard(s, id, &e), XA_ESTATE);
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.state, XA_VISIT_SEALED);
    assert_int_equal(info.rev, 3);
    assert_int_equal(info.seq, 1);
    assert_non_null(info.sealed);
    assert_true(json_equal(back, sealed));
    assert_string_equal(info.school_name, SCHOOL);
    json_decref(back);
    xa_visit_info_clear(&info);

    /* a correction must name a sealed visit */
    const char *sid = id;
    xa_visit_init ci = {.school_code = "331102000101", .school_name = SCHOOL, .county = "莲都区",
                        .kind = "follow-up", .corrects = sid};
    json_t *corr = NULL, *corr2 = NULL;
    assert_int_equal(xa_fstore_visit_new(s, &ci, &corr, &e), XA_OK);
    ci.corrects = json_string_value(json_object_get(corr, "id")); /* a draft */
    assert_int_equal(xa_fstore_visit_new(s, &ci, &corr2, &e), XA_OK);
    assert_int_equal(
        xa_fstore_visit_seal(s, json_string_value(json_object_get(corr2, "id")), NULL, &e),
        XA_ESTATE);
    assert_non_null(strstr(e.msg, "visit.corrects"));
    assert_int_equal(
        xa_fstore_visit_seal(s, json_string_value(json_object_get(corr, "id")), NULL, &e), XA_OK);
    json_decref(corr);
    json_decref(corr2);

    /* a draft can be discarded */
    json_t *d2 = new_visit(s, SCHOOL2);
    const char *id2 = json_string_value(json_object_get(d2, "id"));
    assert_int_equal(xa_fstore_visit_discard(s, id2, &e), XA_OK);
    assert_int_equal(xa_fstore_visit_load(s, id2, &back, NULL, &e), XA_ENOTFOUND);
    assert_int_equal(xa_fstore_visit_load(s, "nope", &back, NULL, &e), XA_EUSAGE);
    xa_fstore_close(s);

    /* even SQL cannot change a sealed row */
    char *db = xa_path_join(home, "field.db");
    sqlite3 *q = NULL;
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    char *sql = sqlite3_mprintf("UPDATE visits SET doc = x'00' WHERE id = %Q", id);
    assert_int_not_equal(sqlite3_exec(q, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(sql);
    sql = sqlite3_mprintf("DELETE FROM visits WHERE id = %Q", id);
    assert_int_not_equal(sqlite3_exec(q, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(sql);
    sqlite3_close(q);
    free(db);
    json_decref(sealed);
    json_decref(d);
    json_decref(d2);
    rm_home(home);
}

/* Seal several visits: seq 1..n, prev chains, signatures verify. */

/* Visits seen by xa_fstore_unexported_each, against the parsed list. */
struct canon_seen {
    const xa_sealed_list *l;
    size_t n;
};

/* Each lent visit is the parsed one's canonical bytes, and its record line
 * is the canonical form of xa_visit_record's object. */
static xa_code canon_check(const char *id, int64_t seq, const char *canon, size_t len,
                           const uint8_t sig[XA_SIG_BYTES], void *ctx, xa_err *err)
{
    struct canon_seen *cs = ctx;
    const xa_sealed_visit *v = &cs->l->v[cs->n++];
    assert_string_equal(id, v->id);
    assert_int_equal(seq, v->seq);
    assert_memory_equal(sig, v->sig, XA_SIG_BYTES);
    xa_buf cb = XA_BUF_INIT, rb = XA_BUF_INIT, lb = XA_BUF_INIT;
    assert_int_equal(xa_visit_canonical(v->doc, &cb, err), XA_OK);
    assert_int_equal(len, cb.len);
    assert_memory_equal(canon, cb.data, cb.len);
    json_t *rec = xa_visit_record(v->doc, v->sig);
    assert_int_equal(xa_json_canonical(rec, &rb, err), XA_OK);
    json_decref(rec);
    xa_visit_record_line(canon, len, sig, &lb);
    assert_int_equal(lb.len, rb.len);
    assert_memory_equal(lb.data, rb.data, rb.len);
    xa_buf_clear(&cb), xa_buf_clear(&rb), xa_buf_clear(&lb);
    return XA_OK;
}

/* Stops the walk at the second visit. */
static xa_code canon_stop(const char *id, int64_t seq, const char *canon, size_t len,
                          const uint8_t sig[XA_SIG_BYTES], void *ctx, xa_err *err)
{
    (void)id, (void)seq, (void)canon, (void)len, (void)sig;
    struct canon_seen *cs = ctx;
    return ++cs->n == 2 ? xa_fail(err, XA_ELIMIT, "enough") : XA_OK;
}

static void seal_chain(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    const xa_identity *me = xa_fstore_identity(s);
    enum { N = 5 };
    char ids[N][XA_ID_HEX];
    xa_err e;
    for (int i = 0; i < N; i++) {
        json_t *d = new_visit(s, i % 2 ? SCHOOL : SCHOOL2);
        fill_visit(s, d);
        snprintf(ids[i], sizeof ids[i], "%s", json_string_value(json_object_get(d, "id")));
        json_decref(d);
    }
    /* an unsealed draft in between does not take a seq */
    json_t *draft = new_visit(s, SCHOOL);
    for (int i = 0; i < N; i++)
        assert_int_equal(xa_fstore_visit_seal(s, ids[i], NULL, &e), XA_OK);
    char prev[XA_HASH_HEX] = "";
    for (int i = 0; i < N; i++) {
        xa_sealed_visit sv;
        assert_int_equal(xa_fstore_visit_sealed(s, ids[i], &sv, &e), XA_OK);
        xa_visit_verified v;
        assert_int_equal(xa_visit_verify_doc(sv.doc, sv.sig, me->sign_pk, &v, &e), XA_OK);
        assert_int_equal(v.seq, i + 1);
        assert_int_equal(sv.seq, i + 1);
        if (i == 0)
            assert_false(v.has_prev);
        else
            assert_string_equal(v.prev, prev);
        memcpy(prev, v.hash, sizeof prev);
        /* any change fails */
        json_object_set_new(json_object_get(sv.doc, "attest"), "no_escort", json_false());
        assert_int_equal(xa_visit_verify_doc(sv.doc, sv.sig, me->sign_pk, &v, &e), XA_ESIG);
        json_decref(sv.doc);
    }
    int64_t last;
    char last_hash[XA_HASH_HEX];
    assert_int_equal(xa_fstore_chain(s, &last, last_hash, &e), XA_OK);
    assert_int_equal(last, N);
    assert_string_equal(last_hash, prev);
    xa_sealed_visit sv;
    assert_int_equal(
        xa_fstore_visit_sealed(s, json_string_value(json_object_get(draft, "id")), &sv, &e),
        XA_ESTATE);

    /* exports */
    xa_sealed_list ul;
    assert_int_equal(xa_fstore_unexported(s, &ul, &e), XA_OK);
    assert_int_equal(ul.n, N);
    for (size_t i = 0; i < ul.n; i++)
        assert_int_equal(ul.v[i].seq, (int64_t)i + 1);
    /* the same visits as stored canonical bytes (issue 17): the bytes the
     * signature covers, and the record line built from them is exactly the
     * canonical form of xa_visit_record's object */
    struct canon_seen cs = {&ul, 0};
    assert_int_equal(xa_fstore_unexported_each(s, canon_check, &cs, &e), XA_OK);
    assert_int_equal(cs.n, ul.n);
    size_t waiting = 0;
    assert_int_equal(xa_fstore_unexported_count(s, &waiting, &e), XA_OK);
    assert_int_equal(waiting, ul.n);
    cs.n = 0; /* a callback's error stops the walk and comes back */
    assert_int_equal(xa_fstore_unexported_each(s, canon_stop, &cs, &e), XA_ELIMIT);
    assert_int_equal(cs.n, 2);
    int64_t eseq;
    char ehash[XA_HASH_HEX];
    assert_int_equal(xa_fstore_export_last(s, &eseq, ehash, &e), XA_OK);
    assert_int_equal(eseq, 0);
    assert_string_equal(ehash, "");
    const char *first3[] = {ul.v[0].id, ul.v[1].id, ul.v[2].id};
    const char *hash1 = "1111111111111111111111111111111111111111111111111111111111111111";
    assert_int_equal(xa_fstore_mark_exported(s, 2, hash1, first3, 3, &e), XA_ESTATE);
    assert_int_equal(xa_fstore_mark_exported(s, 1, hash1, first3, 3, &e), XA_OK);
    /* a draft cannot be exported; nothing of that attempt stays */
    const char *bad[] = {ul.v[3].id, json_string_value(json_object_get(draft, "id"))};
    assert_int_equal(xa_fstore_mark_exported(s, 2, hash1, bad, 2, &e), XA_ESTATE);
    assert_int_equal(xa_fstore_export_last(s, &eseq, ehash, &e), XA_OK);
    assert_int_equal(eseq, 1);
    assert_string_equal(ehash, hash1);
    xa_sealed_list ul2;
    assert_int_equal(xa_fstore_unexported(s, &ul2, &e), XA_OK);
    assert_int_equal(ul2.n, 2);
    assert_int_equal(ul2.v[0].seq, 4);
    assert_int_equal(xa_fstore_unexported_count(s, &waiting, &e), XA_OK);
    assert_int_equal(waiting, 2);
    xa_sealed_list_clear(&ul2);
    /* exported visits are still sealed documents */
    assert_int_equal(xa_fstore_visit_sealed(s, ul.v[0].id, &sv, &e), XA_OK);
    json_decref(sv.doc);
    size_t n = 0;
    const char *ack[] = {ul.v[0].id, ul.v[4].id, "zz"};
    assert_int_equal(xa_fstore_mark_acknowledged(s, ack, 3, &n, &e), XA_OK);
    assert_int_equal(n, 1);
    xa_visit_info info;
    assert_int_equal(xa_fstore_visit_load(s, ul.v[0].id, NULL, &info, &e), XA_OK);
    assert_int_equal(info.state, XA_VISIT_ACKNOWLEDGED);
    assert_string_equal(xa_visit_state_name(info.state), "acknowledged");
    xa_visit_info_clear(&info);
    xa_sealed_list_clear(&ul);
    json_decref(draft);
    xa_fstore_close(s);
    rm_home(home);
}

/* Brief: first import pins, another office is refused, old brief kept. */
static void brief_pinning(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    xa_identity *office = NULL, *rogue = NULL, *pinned = NULL;
    xa_err e;
    assert_int_equal(xa_identity_generate("丽水市教育局", &office, &e), XA_OK);
    assert_int_equal(xa_identity_generate("丽水市教育局", &rogue, &e), XA_OK);
    json_t *r = NULL;
    assert_int_equal(xa_fstore_brief_get(s, &r, NULL, &e), XA_ENOTFOUND);
    assert_int_equal(xa_fstore_office(s, &pinned, &e), XA_ENOTFOUND);

    json_t *b1 = json_pack("[o, {s:s, s:s}]", office_settings(office), "type", "school", "name",
                           BRIEF_SCHOOL);
    json_t *b2 = json_pack("[o, {s:s, s:s}, {s:s}]", office_settings(office), "type", "school",
                           "name", SCHOOL, "type", "assignment");
    xa_brief_meta m = {.seq = 3, .hash = "aa", .created = "2026-11-28T17:00:00+08:00"};
    int pinned_now = 0;
    assert_int_equal(xa_fstore_brief_put(s, office, &m, b1, &pinned_now, &e), XA_OK);
    assert_true(pinned_now);
    assert_int_equal(xa_fstore_office(s, &pinned, &e), XA_OK);
    assert_string_equal(pinned->fingerprint, office->fingerprint);
    assert_string_equal(pinned->name, "丽水市教育局");
    assert_memory_equal(pinned->age_pk, office->age_pk, 32);
    xa_identity_free(pinned);

    /* a brief from another key is refused, the old one stays */
    m.seq = 4;
    assert_int_equal(xa_fstore_brief_put(s, rogue, &m, b2, &pinned_now, &e), XA_ESENDER);
    assert_non_null(strstr(e.msg, office->fingerprint));
    xa_brief_meta got;
    assert_int_equal(xa_fstore_brief_get(s, &r, &got, &e), XA_OK);
    assert_true(json_equal(r, b1));
    assert_int_equal(got.seq, 3);
    json_decref(r);
    /* an older brief is refused */
    m.seq = 2;
    assert_int_equal(xa_fstore_brief_put(s, office, &m, b2, &pinned_now, &e), XA_ESTATE);
    /* a newer one replaces it */
    m.seq = 4;
    snprintf(m.hash, sizeof m.hash, "bb");
    assert_int_equal(xa_fstore_brief_put(s, office, &m, b2, &pinned_now, &e), XA_OK);
    assert_false(pinned_now);
    assert_int_equal(xa_fstore_brief_get(s, &r, &got, &e), XA_OK);
    assert_true(json_equal(r, b2));
    assert_int_equal(got.seq, 4);
    assert_string_equal(got.hash, "bb");
    assert_string_equal(got.created, "2026-11-28T17:00:00+08:00");
    json_decref(r);
    /* the brief ciphertext is bound to its seq */
    xa_fstore_close(s);
    char *db = xa_path_join(home, "field.db");
    sqlite3 *q = NULL;
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    assert_int_equal(sqlite3_exec(q, "UPDATE brief SET seq = 9", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(q);
    free(db);
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    assert_int_equal(xa_fstore_brief_get(s, &r, NULL, &e), XA_ECRYPTO);
    xa_fstore_close(s);
    json_decref(b1);
    json_decref(b2);
    xa_identity_free(office);
    xa_identity_free(rogue);
    rm_home(home);
}

/* passwd rewraps: the new passphrase opens, the old does not, data stays. */
static void passwd(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    json_t *d = new_visit(s, SCHOOL);
    char id[XA_ID_HEX];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(d, "id")));
    json_decref(d);
    char fp[XA_FP_MAX];
    memcpy(fp, xa_fstore_identity(s)->fingerprint, sizeof fp);
    xa_err e;
    assert_int_equal(xa_fstore_passwd(s, "新的口令", NULL, &e), XA_OK);
    assert_int_equal(xa_fstore_passwd(s, "", NULL, &e), XA_EUSAGE);
    xa_fstore_close(s);
    s = NULL;
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_EPASS);
    assert_int_equal(xa_fstore_open(home, "新的口令", &s, &e), XA_OK);
    assert_string_equal(xa_fstore_identity(s)->fingerprint, fp);
    json_t *back = NULL;
    xa_visit_info info;
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_string_equal(info.school_name, SCHOOL);
    xa_visit_info_clear(&info);
    json_decref(back);
    xa_fstore_close(s);
    /* the old wrap is gone from the file */
    char *db = xa_path_join(home, "field.db");
    sqlite3 *q = NULL;
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    assert_int_equal(sqlite3_exec(q, "SELECT 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(q);
    free(db);
    rm_home(home);
}

/* A full disk: XA_ENOSPC, one-line message, nothing lost. */
static void disk_full(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    json_t *d = new_visit(s, SCHOOL);
    fill_visit(s, d);
    const char *id = json_string_value(json_object_get(d, "id"));
    xa_err e;
    /* a big note needs new pages; cap the file at its current size */
    sqlite3 *q = NULL;
    char *db = xa_path_join(home, "field.db");
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(q, "PRAGMA page_count", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t pages = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(q);
    free(db);
    assert_int_equal(xa_fstore_debug_max_pages(s, pages, &e), XA_OK);
    json_t *big = json_deep_copy(d);
    xa_buf note = XA_BUF_INIT;
    for (int i = 0; i < 20000; i++)
        xa_buf_puts(&note, "隐");
    json_object_set_new(json_array_get(json_object_get(big, "answers"), 0), "note",
                        json_string(note.data));
    xa_buf_clear(&note);
    int64_t rev = 2;
    assert_int_equal(xa_fstore_visit_save(s, big, &rev, &e), XA_ENOSPC);
    assert_int_equal(rev, 2); /* a failed save leaves the caller's revision */
    assert_non_null(strstr(e.msg, "disk full"));
    assert_null(strchr(e.msg, '\n'));
    /* the last saved revision is intact, and the store still works */
    json_t *back = NULL;
    xa_visit_info info;
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 2);
    assert_true(json_equal(back, d));
    json_decref(back);
    xa_visit_info_clear(&info);
    assert_int_equal(xa_fstore_debug_max_pages(s, 1000000, &e), XA_OK);
    assert_int_equal(xa_fstore_visit_save(s, big, &rev, &e), XA_OK);
    assert_int_equal(rev, 3);
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 3);
    json_decref(back);
    xa_visit_info_clear(&info);
    json_decref(big);
    json_decref(d);
    xa_fstore_close(s);
    rm_home(home);
}

/* A newer schema is refused; a record moved to another id does not open. */
static void schema_and_binding(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    assert_int_equal(xa_fstore_schema_version(), 6);
    json_t *a = new_visit(s, SCHOOL), *b = new_visit(s, SCHOOL2);
    char ida[XA_ID_HEX], idb[XA_ID_HEX];
    snprintf(ida, sizeof ida, "%s", json_string_value(json_object_get(a, "id")));
    snprintf(idb, sizeof idb, "%s", json_string_value(json_object_get(b, "id")));
    fill_visit(s, a); /* a at rev 2 */
    xa_fstore_close(s);
    char *db = xa_path_join(home, "field.db");
    sqlite3 *q = NULL;
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    /* b gets a's ciphertext; a's rev goes back to 1 */
    char *sql = sqlite3_mprintf(
        "UPDATE visits SET (nonce, doc) = (SELECT nonce, doc FROM visits WHERE id = %Q) "
        "WHERE id = %Q; UPDATE visits SET rev = 1 WHERE id = %Q",
        ida, idb, ida);
    assert_int_equal(sqlite3_exec(q, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(sql);
    sqlite3_close(q);
    xa_err e;
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    json_t *back = NULL;
    assert_int_equal(xa_fstore_visit_load(s, idb, &back, NULL, &e), XA_ECRYPTO);
    assert_non_null(strstr(e.msg, idb));
    assert_int_equal(xa_fstore_visit_load(s, ida, &back, NULL, &e), XA_ECRYPTO);
    xa_visit_list l;
    assert_int_equal(xa_fstore_visit_list(s, &l, &e), XA_ECRYPTO);
    xa_fstore_close(s);

    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    assert_int_equal(sqlite3_exec(q, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(q);
    /* the same refusal as the central store's (one database layer) */
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_ESTATE);
    assert_non_null(strstr(e.msg, "schema version 99, newer"));
    xa_identity *pub = NULL;
    assert_int_equal(xa_fstore_public_identity(home, &pub, &e), XA_ESTATE);
    free(db);
    json_decref(a);
    json_decref(b);
    rm_home(home);
}

/* Rows of the journal table (an outside look at field.db). */
static int journal_rows(const char *home)
{
    char *db = xa_path_join(home, "field.db");
    sqlite3 *q = NULL;
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(q, "SELECT count(*) FROM visit_journal", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(q);
    free(db);
    return n;
}

/* Set an answer in doc the way the checklist does, and the change record of it. */
static json_t *answer_change(json_t *doc, const char *form, const char *code, const char *result,
                             const char *note)
{
    json_t *answers = json_object_get(doc, "answers"), *m, *found = NULL;
    size_t i;
    json_array_foreach(answers, i, m)
        if (!strcmp(json_string_value(json_object_get(m, "form")), form) &&
            !strcmp(json_string_value(json_object_get(m, "code")), code))
            found = m;
    if (!found) {
        found = xa_visit_answer_new(form, code, "unchecked");
        json_array_append_new(answers, found);
    }
    json_object_set_new(found, "result", json_string(result));
    if (note)
        json_object_set_new(found, "note", json_string(note));
    json_object_set_new(json_object_get(doc, "times"), "first_site",
                        json_string("2026-11-29T09:41:00+08:00"));
    return json_pack("{s:[O], s:O}", "answers", found, "times", json_object_get(doc, "times"));
}

/* An answer journaled instead of a whole save: loading, listing and sealing
 * see it; the next save folds it in and empties the journal; the document's
 * canonical bytes are those of the same edits saved whole. */
static void journal(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    json_t *d = new_visit(s, SCHOOL);
    char id[XA_ID_HEX];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(d, "id")));
    fill_visit(s, d); /* rev 2, one answer CF-07 */
    xa_err e;
    json_t *c1 = answer_change(d, "general", "GN-01", "pass", NULL);
    json_t *c2 = answer_change(d, "canteen-food", "CF-07", "pass", NOTE "，已整改");
    json_t *c3 = answer_change(d, "general", "GN-02", "na", NULL);
    int64_t rev = 2;
    assert_int_equal(xa_fstore_visit_journal(s, id, &rev, c1, &e), XA_OK);
    assert_int_equal(xa_fstore_visit_journal(s, id, &rev, c2, &e), XA_OK);
    assert_int_equal(xa_fstore_visit_journal(s, id, &rev, c3, &e), XA_OK);
    assert_int_equal(rev, 5); /* every entry is a revision */
    assert_int_equal(journal_rows(home), 3);
    /* the journal is encrypted like the documents */
    xa_fstore_close(s);
    char *db = xa_path_join(home, "field.db"), *wal = xa_path_join(home, "field.db-wal");
    assert_false(file_has(db, "已整改", strlen("已整改")));
    assert_false(file_has(wal, "已整改", strlen("已整改")));
    assert_false(file_has(wal, "GN-02", 5));
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);

    json_t *back = NULL;
    xa_visit_info info;
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 2);
    assert_int_equal(info.journal, 3);
    assert_int_equal(info.revision, 5);
    assert_int_equal(info.answers, 3);
    assert_true(json_equal(back, d));
    xa_buf cb = XA_BUF_INIT, cd = XA_BUF_INIT;
    assert_int_equal(xa_json_canonical(back, &cb, &e), XA_OK);
    assert_int_equal(xa_json_canonical(d, &cd, &e), XA_OK);
    assert_int_equal(cb.len, cd.len);
    assert_memory_equal(cb.data, cd.data, cd.len);
    xa_buf_clear(&cb);
    json_decref(back);
    xa_visit_info_clear(&info);
    xa_visit_list l;
    assert_int_equal(xa_fstore_visit_list(s, &l, &e), XA_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].answers, 3);
    xa_visit_list_clear(&l);

    /* a change on top of a revision that is no longer the stored one: refused */
    int64_t stale = 2; /* before the three entries */
    assert_int_equal(xa_fstore_visit_journal(s, id, &stale, c1, &e), XA_ESTATE);
    assert_non_null(strstr(e.msg, "saved elsewhere"));
    /* an invalid change: refused, the field named */
    json_t *bad = json_pack("{s:[{s:s, s:s, s:s, s:n, s:n, s:s, s:s}], s:O}", "answers", "form",
                            "general", "code", "GN-03", "result", "maybe", "value", "text",
                            "note", "", "location", "", "times",
                            json_object_get(d, "times"));
    assert_int_equal(xa_fstore_visit_journal(s, id, &rev, bad, &e), XA_EFORMAT);
    assert_non_null(strstr(e.msg, "result"));
    json_decref(bad);
    assert_int_equal(journal_rows(home), 3);

    /* the next whole save folds the journal in: the next revision, no journal */
    assert_int_equal(xa_fstore_visit_save(s, d, &rev, &e), XA_OK);
    assert_int_equal(rev, 6);
    assert_int_equal(journal_rows(home), 0);
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 6);
    assert_int_equal(info.revision, 6);
    assert_int_equal(info.journal, 0);
    assert_true(json_equal(back, d));
    json_decref(back);
    xa_visit_info_clear(&info);

    /* sealing a draft with a journal seals what the journal says */
    json_t *c4 = answer_change(d, "general", "GN-04", "hazard", NULL);
    assert_int_equal(xa_fstore_visit_journal(s, id, &rev, c4, &e), XA_OK);
    json_t *sealed = NULL;
    assert_int_equal(xa_fstore_visit_seal(s, id, &sealed, &e), XA_OK);
    assert_int_equal(journal_rows(home), 0);
    assert_true(json_equal(json_object_get(sealed, "answers"), json_object_get(d, "answers")));
    assert_true(json_equal(json_object_get(sealed, "times"), json_object_get(d, "times")));
    assert_int_equal(json_array_size(json_object_get(sealed, "answers")), 4);
    json_decref(sealed);
    /* and a sealed visit takes no journal */
    rev = 7; /* whatever the caller names: a sealed visit takes no journal */
    assert_int_equal(xa_fstore_visit_journal(s, id, &rev, c4, &e), XA_ESTATE);
    assert_int_equal(journal_rows(home), 0);
    json_decref(c1), json_decref(c2), json_decref(c3), json_decref(c4);
    json_decref(d);
    xa_buf_clear(&cd);
    xa_fstore_close(s);
    free(db), free(wal);
    rm_home(home);
}

/* A journal record opens only at its place: two records swapped, or one
 * moved to another revision, make the draft unreadable (not silently wrong). */
static void journal_binding(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home);
    json_t *d = new_visit(s, SCHOOL);
    char id[XA_ID_HEX];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(d, "id")));
    xa_err e;
    json_t *c1 = answer_change(d, "general", "GN-01", "pass", NULL);
    json_t *c2 = answer_change(d, "general", "GN-02", "hazard", NULL);
    int64_t rev = 1;
    assert_int_equal(xa_fstore_visit_journal(s, id, &rev, c1, &e), XA_OK);
    assert_int_equal(xa_fstore_visit_journal(s, id, &rev, c2, &e), XA_OK);
    xa_fstore_close(s);
    char *db = xa_path_join(home, "field.db");
    sqlite3 *q = NULL;
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    assert_int_equal(sqlite3_exec(q,
                                  "UPDATE visit_journal SET n = 3 WHERE n = 1;"
                                  "UPDATE visit_journal SET n = 1 WHERE n = 2;"
                                  "UPDATE visit_journal SET n = 2 WHERE n = 3",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(q);
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    json_t *back = NULL;
    assert_int_equal(xa_fstore_visit_load(s, id, &back, NULL, &e), XA_ECRYPTO);
    assert_non_null(strstr(e.msg, "journal"));
    xa_fstore_close(s);
    /* back in order, but record 1 deleted: a gap */
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    assert_int_equal(sqlite3_exec(q,
                                  "UPDATE visit_journal SET n = 3 WHERE n = 1;"
                                  "UPDATE visit_journal SET n = 1 WHERE n = 2;"
                                  "UPDATE visit_journal SET n = 2 WHERE n = 3;"
                                  "DELETE FROM visit_journal WHERE n = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(q);
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    assert_int_equal(xa_fstore_visit_load(s, id, &back, NULL, &e), XA_ECRYPTO);
    assert_non_null(strstr(e.msg, "missing"));
    xa_fstore_close(s);
    /* record 2 renumbered 1: its associated data says 2 */
    assert_int_equal(sqlite3_open(db, &q), SQLITE_OK);
    assert_int_equal(sqlite3_exec(q, "UPDATE visit_journal SET n = 1", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(q);
    assert_int_equal(xa_fstore_open(home, PASS, &s, &e), XA_OK);
    assert_int_equal(xa_fstore_visit_load(s, id, &back, NULL, &e), XA_ECRYPTO);
    xa_fstore_close(s);
    json_decref(c1), json_decref(c2), json_decref(d);
    free(db);
    rm_home(home);
}

/* Issue 11 #5: two writers of one draft (two processes past the home lock,
 * two store handles here): the one holding an older revision is refused —
 * a whole save or a journal entry — and the store keeps the newer write, so
 * a stale writer can neither overwrite a newer save nor fold away another's
 * journal.  Reloading gives the current revision, and saving works again. */
static void stale_revision(void **state)
{
    (void)state;
    char *home;
    xa_fstore *s = make_store(&home), *t = NULL;
    xa_err e;
    assert_int_equal(xa_fstore_open(home, PASS, &t, &e), XA_OK);
    json_t *d = new_visit(s, SCHOOL);
    char id[XA_ID_HEX];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(d, "id")));
    json_decref(d);
    /* both load revision 1 */
    json_t *a = NULL, *b = NULL, *back = NULL;
    xa_visit_info ia, ib, info;
    assert_int_equal(xa_fstore_visit_load(s, id, &a, &ia, &e), XA_OK);
    assert_int_equal(xa_fstore_visit_load(t, id, &b, &ib, &e), XA_OK);
    int64_t ra = ia.revision, rb = ib.revision;
    assert_int_equal(ra, 1);
    assert_int_equal(rb, 1);
    xa_visit_info_clear(&ia);
    xa_visit_info_clear(&ib);
    /* B saves first */
    json_t *h = xa_visit_hazard_new("dormitory", "DM-02", "fire", "major");
    json_object_set_new(h, "description", json_string(HAZARD));
    json_array_append_new(json_object_get(b, "hazards"), h);
    assert_int_equal(xa_fstore_visit_save(t, b, &rb, &e), XA_OK);
    assert_int_equal(rb, 2);
    /* A, still at revision 1, is refused; nothing changes */
    json_t *an = xa_visit_answer_new("canteen-food", "CF-07", "hazard");
    json_object_set_new(an, "note", json_string(NOTE));
    json_array_append_new(json_object_get(a, "answers"), an);
    assert_int_equal(xa_fstore_visit_save(s, a, &ra, &e), XA_ESTATE);
    assert_non_null(strstr(e.msg, "saved elsewhere since it was opened (revision 2, not 1)"));
    assert_null(strchr(e.msg, '\n'));
    assert_int_equal(ra, 1);
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_true(json_equal(back, b)); /* B's save, whole */
    assert_int_equal(json_array_size(json_object_get(back, "answers")), 0);
    assert_int_equal(info.revision, 2);
    json_decref(back);
    xa_visit_info_clear(&info);
    /* nor can A journal on top of its old revision */
    json_t *c1 = answer_change(a, "general", "GN-01", "pass", NULL);
    assert_int_equal(xa_fstore_visit_journal(s, id, &ra, c1, &e), XA_ESTATE);
    assert_int_equal(journal_rows(home), 0);
    /* A reloads (revision 2); B journals an answer (revision 3): A's whole save,
     * which would drop B's journal entry, is refused too */
    json_decref(a);
    assert_int_equal(xa_fstore_visit_load(s, id, &a, &ia, &e), XA_OK);
    ra = ia.revision;
    xa_visit_info_clear(&ia);
    assert_int_equal(ra, 2);
    json_t *c2 = answer_change(b, "general", "GN-02", "na", NULL);
    assert_int_equal(xa_fstore_visit_journal(t, id, &rb, c2, &e), XA_OK);
    assert_int_equal(rb, 3);
    assert_int_equal(xa_fstore_visit_save(s, a, &ra, &e), XA_ESTATE);
    assert_int_equal(journal_rows(home), 1);
    assert_int_equal(xa_fstore_visit_load(s, id, &back, &info, &e), XA_OK);
    assert_true(json_equal(back, b)); /* B's save and B's journaled answer */
    assert_int_equal(info.revision, 3);
    json_decref(back);
    xa_visit_info_clear(&info);
    /* with the current revision the save goes through */
    json_decref(a);
    assert_int_equal(xa_fstore_visit_load(s, id, &a, &ia, &e), XA_OK);
    ra = ia.revision;
    xa_visit_info_clear(&ia);
    assert_int_equal(xa_fstore_visit_save(s, a, &ra, &e), XA_OK);
    assert_int_equal(ra, 4);
    json_decref(c1), json_decref(c2);
    json_decref(a), json_decref(b);
    xa_fstore_close(t);
    xa_fstore_close(s);
    rm_home(home);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    setenv("XIAOAN_NOW", "2026-11-29T09:30:00+08:00", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_open),   cmocka_unit_test(secrecy),
        cmocka_unit_test(drafts_and_frozen), cmocka_unit_test(seal_chain),
        cmocka_unit_test(brief_pinning), cmocka_unit_test(passwd),
        cmocka_unit_test(disk_full),     cmocka_unit_test(schema_and_binding),
        cmocka_unit_test(journal),       cmocka_unit_test(journal_binding),
        cmocka_unit_test(stale_revision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
