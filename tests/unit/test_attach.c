/* test_attach.c — attachments in the field (src/field/attach.c,
 * src/store/field_attach.c): type by content, the bytes round-trip through
 * the encrypted chunks, field.db holds no plaintext, chunks bound to their
 * attachment and visit, limits, sealed visits frozen, a removed hazard's
 * photos dropped, the document validator.  INTERACTIVE Argon2id only.
 *
 * `test_attach draft HOME PASSFILE` makes a draft visit with one hazard and
 * one follow-up in an existing field store (for tests/cli/attach.sh) and
 * prints its id. */
#define _GNU_SOURCE
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

#include "helpers/unit_fx.h"
#include <sodium.h>
#include <sqlite3.h>

#include "xiaoan/container.h"
#include "xiaoan/field.h"
#include "xiaoan/age.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/pass.h"

#define PASS "山路十八弯 passphrase"
#define MARKER "XIAOAN-PLAINTEXT-MARKER-7f3a"

struct fx {
    char *home;
    xa_fstore *s;
    json_t *doc;
    int64_t rev; /* doc's revision in the store */
    char dir[256];
};

/* A draft with one hazard and one follow-up (no forms: hazards outside the checklists). */
/* A draft with a major hazard and a follow-up of another hazard; with
 * recheck set, a 复查 draft with only a follow-up of that hazard. */
static json_t *draft_of(xa_fstore *s, const char *recheck)
{
    xa_visit_init in = {.school_code = "331102000101",
                        .school_name = "莲都区碧湖镇中心小学",
                        .county = "莲都区",
                        .kind = "four-not-two-direct",
                        .no_notice = 1,
                        .no_greeting = 1,
                        .no_briefing = 1,
                        .no_escort = 1};
    json_t *doc = NULL;
    xa_err e;
    if (xa_fstore_visit_new(s, &in, &doc, &e) != XA_OK)
        return NULL;
    char hid[XA_ID_HEX];
    if (recheck) {
        snprintf(hid, sizeof hid, "%s", recheck);
    } else {
        json_t *h = xa_visit_hazard_new(NULL, NULL, "fire", "major");
        json_object_set_new(h, "description", json_string("宿舍楼三楼安全出口上锁"));
        json_array_append_new(json_object_get(doc, "hazards"), h);
        xa_random_id(hid);
    }
    json_array_append_new(json_object_get(doc, "followups"),
                          xa_visit_followup_new(hid, "rectified"));
    int64_t rev = 1; /* the new draft's; 2 once saved (DRAFT_REV) */
    if (xa_fstore_visit_save(s, doc, &rev, &e) != XA_OK) {
        fprintf(stderr, "save: %s\n", e.msg);
        json_decref(doc);
        return NULL;
    }
    return doc;
}

#define DRAFT_REV 2 /* the revision of a draft_of document */

static json_t *draft(xa_fstore *s)
{
    return draft_of(s, NULL);
}

static int setup(void **state)
{
    struct fx *f = xa_calloc(1, sizeof *f);
    if (fx_tmpdir(f->dir, sizeof f->dir, "attach") != 0)
        return -1;
    f->home = xa_strdup(f->dir);
    xa_kdf_params k = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    xa_err e;
    if (xa_fstore_create(f->home, "张三", PASS, &k, &f->s, &e) != XA_OK)
        return -1;
    f->doc = draft(f->s);
    f->rev = DRAFT_REV;
    *state = f;
    return f->doc ? 0 : -1;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    json_decref(f->doc);
    xa_fstore_close(f->s);
    if (fx_rmrf(f->dir) != 0)
        return -1;
    free(f->home);
    free(f);
    return 0;
}

/* Write a file of n bytes: a JPEG start, the marker, then pseudo-random bytes. */
static char *write_file(struct fx *f, const char *name, const uint8_t *head, size_t hlen, size_t n,
                        uint8_t **content)
{
    char *p = xa_path_join(f->dir, name);
    uint8_t *b = xa_malloc(n);
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)((i * 2654435761u) >> 13);
    memcpy(b, head, hlen);
    if (n > hlen + sizeof MARKER)
        memcpy(b + hlen, MARKER, sizeof MARKER - 1);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(b, 1, n, fp), n);
    fclose(fp);
    if (content)
        *content = b;
    else
        free(b);
    return p;
}

static const uint8_t JPEG_HEAD[] = {0xff, 0xd8, 0xff, 0xfe, 0x00, 0x20};

/* A sink collecting bytes. */
static xa_code collect(void *ctx, const uint8_t *p, size_t n, xa_err *err)
{
    (void)err;
    xa_buf_add(ctx, p, n);
    return XA_OK;
}

/* Does the file at path contain the bytes? */
static int file_has(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    xa_buf b = XA_BUF_INIT;
    char tmp[65536];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, fp)) > 0)
        xa_buf_add(&b, tmp, got);
    fclose(fp);
    int hit = b.len && memmem(b.data, b.len, needle, strlen(needle)) != NULL;
    xa_buf_clear(&b);
    return hit;
}

static void test_sniff(void **state)
{
    (void)state;
    static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
    static const uint8_t heic[] = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'};
    static const uint8_t mp4[] = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    assert_string_equal(xa_attach_sniff(JPEG_HEAD, sizeof JPEG_HEAD), "jpeg");
    assert_string_equal(xa_attach_sniff(png, sizeof png), "png");
    assert_string_equal(xa_attach_sniff(heic, sizeof heic), "heic");
    assert_string_equal(xa_attach_sniff((const uint8_t *)"%PDF-1.7\n", 9), "pdf");
    assert_null(xa_attach_sniff(mp4, sizeof mp4));
    assert_null(xa_attach_sniff((const uint8_t *)"GIF89a", 6));
    assert_null(xa_attach_sniff((const uint8_t *)"PK\3\4", 4));
    assert_null(xa_attach_sniff(JPEG_HEAD, 2));
}

/* Several chunks in, the same bytes out; no plaintext in field.db or its WAL. */
static void test_roundtrip_secret(void **state)
{
    struct fx *f = *state;
    uint8_t *content;
    size_t n = 3 * XA_ATTACH_CHUNK + 12345;
    char *p = write_file(f, "IMG_0001.JPG", JPEG_HEAD, sizeof JPEG_HEAD, n, &content);
    xa_attach_limits lim;
    xa_attach_limits_of(NULL, &lim);
    assert_int_equal(lim.file_max, 20 << 20);
    assert_int_equal(lim.visit_max, 200 << 20);
    json_t *e = NULL;
    xa_err err;
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_HAZARD, 1, p, &lim, &e, &err), XA_OK);
    assert_string_equal(json_string_value(json_object_get(e, "type")), "jpeg");
    assert_string_equal(json_string_value(json_object_get(e, "for")), "hazard");
    assert_string_equal(json_string_value(json_object_get(e, "name")), "IMG_0001.JPG");
    assert_int_equal(json_integer_value(json_object_get(e, "size")), (json_int_t)n);
    uint8_t h[32];
    char hex[XA_HASH_HEX];
    crypto_generichash(h, sizeof h, content, n, NULL, 0);
    xa_hex_encode(h, sizeof h, hex);
    assert_string_equal(json_string_value(json_object_get(e, "hash")), hex);
    const char *hid = json_string_value(
        json_object_get(json_array_get(json_object_get(f->doc, "hazards"), 0), "id"));
    assert_string_equal(json_string_value(json_object_get(e, "ref")), hid);
    /* The stored document lists it too. */
    json_t *back = NULL;
    const char *vid = json_string_value(json_object_get(f->doc, "id"));
    assert_int_equal(xa_fstore_visit_load(f->s, vid, &back, NULL, &err), XA_OK);
    assert_int_equal(json_array_size(json_object_get(back, "attachments")), 1);
    json_decref(back);
    xa_buf out = XA_BUF_INIT;
    int64_t size = 0;
    const char *aid = json_string_value(json_object_get(e, "id"));
    assert_int_equal(xa_fstore_attach_read(f->s, vid, aid, collect, &out, &size, &err), XA_OK);
    assert_int_equal(size, (int64_t)n);
    assert_int_equal(out.len, n);
    assert_memory_equal(out.data, content, n);
    xa_buf_clear(&out);
    char *db = xa_path_join(f->home, "field.db"), *wal = xa_path_join(f->home, "field.db-wal");
    assert_false(file_has(db, MARKER));
    assert_false(file_has(wal, MARKER));
    /* The wrong visit id does not open it. */
    char other[XA_ID_HEX];
    xa_random_id(other);
    assert_int_equal(xa_fstore_attach_read(f->s, other, aid, collect, &out, NULL, &err),
                     XA_ENOTFOUND);
    xa_buf_clear(&out);
    free(db);
    free(wal);
    free(p);
    free(content);
}

/* A chunk altered or moved to another attachment is refused when read. */
static void test_tamper(void **state)
{
    struct fx *f = *state;
    char *p = write_file(f, "a.jpg", JPEG_HEAD, sizeof JPEG_HEAD, 2 * XA_ATTACH_CHUNK + 7, NULL);
    char *q = write_file(f, "b.jpg", JPEG_HEAD, sizeof JPEG_HEAD, 2 * XA_ATTACH_CHUNK + 7, NULL);
    xa_attach_limits lim;
    xa_attach_limits_of(NULL, &lim);
    json_t *e1, *e2;
    xa_err err;
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_VISIT, 0, p, &lim, &e1, &err), XA_OK);
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_FOLLOWUP, 1, q, &lim, &e2, &err),
                     XA_OK);
    assert_true(json_is_null(json_object_get(e1, "ref")));
    char a1[XA_ID_HEX], a2[XA_ID_HEX];
    strcpy(a1, json_string_value(json_object_get(e1, "id")));
    strcpy(a2, json_string_value(json_object_get(e2, "id")));
    const char *vid = json_string_value(json_object_get(f->doc, "id"));
    char *db = xa_path_join(f->home, "field.db");
    sqlite3 *q3;
    assert_int_equal(sqlite3_open(db, &q3), SQLITE_OK);
    char sql[256];
    /* chunk 1 of a2 replaced by chunk 1 of a1 */
    snprintf(sql, sizeof sql,
             "UPDATE attachment_chunks SET data = (SELECT data FROM attachment_chunks WHERE "
             "attachment = '%s' AND n = 1) WHERE attachment = '%s' AND n = 1",
             a1, a2);
    assert_int_equal(sqlite3_exec(q3, sql, NULL, NULL, NULL), SQLITE_OK);
    /* the last chunk of a1 dropped */
    snprintf(sql, sizeof sql, "DELETE FROM attachment_chunks WHERE attachment = '%s' AND n = 2",
             a1);
    assert_int_equal(sqlite3_exec(q3, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(q3);
    xa_buf out = XA_BUF_INIT;
    assert_int_equal(xa_fstore_attach_read(f->s, vid, a2, collect, &out, NULL, &err), XA_ECRYPTO);
    xa_buf_reset(&out);
    assert_int_equal(xa_fstore_attach_read(f->s, vid, a1, collect, &out, NULL, &err), XA_ECRYPTO);
    assert_non_null(strstr(err.msg, "cut short"));
    xa_buf_clear(&out);
    free(db);
    free(p);
    free(q);
}

/* A renamed non-image, an empty file, a file over the limit, over the visit's
 * limit: refused with their reasons, nothing stored. */
static void test_refusals(void **state)
{
    struct fx *f = *state;
    static const uint8_t zip[] = {'P', 'K', 3, 4};
    char *p = write_file(f, "photo.jpg", zip, sizeof zip, 5000, NULL);
    xa_attach_limits lim = {.file_max = 100000, .visit_max = 150000};
    xa_err err;
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_VISIT, 0, p, &lim, NULL, &err),
                     XA_EFORMAT);
    assert_non_null(strstr(err.msg, "not a JPEG, PNG, HEIC or PDF"));
    char *big = write_file(f, "big.jpg", JPEG_HEAD, sizeof JPEG_HEAD, 100001, NULL);
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_VISIT, 0, big, &lim, NULL, &err),
                     XA_ELIMIT);
    assert_non_null(strstr(err.msg, "a file"));
    char *ok = write_file(f, "ok.jpg", JPEG_HEAD, sizeof JPEG_HEAD, 90000, NULL);
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_VISIT, 0, ok, &lim, NULL, &err),
                     XA_OK);
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_VISIT, 0, ok, &lim, NULL, &err),
                     XA_ELIMIT);
    assert_non_null(strstr(err.msg, "a visit"));
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_HAZARD, 2, ok, &lim, NULL, &err),
                     XA_ENOTFOUND);
    assert_int_equal(json_array_size(json_object_get(f->doc, "attachments")), 1);
    /* the store has one attachment */
    char *db = xa_path_join(f->home, "field.db");
    sqlite3 *q3;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(db, &q3), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(q3, "SELECT count(*) FROM attachments", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(q3);
    free(db);
    free(p);
    free(big);
    free(ok);
}

/* Removing an attachment or its hazard drops its bytes; sealing freezes them. */
static void test_remove_seal(void **state)
{
    struct fx *f = *state;
    char *p = write_file(f, "x.png", (const uint8_t *)"\x89PNG\r\n\x1a\n", 8, 4000, NULL);
    xa_attach_limits lim;
    xa_attach_limits_of(NULL, &lim);
    xa_err err;
    json_t *e;
    const char *vid = json_string_value(json_object_get(f->doc, "id"));
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_HAZARD, 1, p, &lim, &e, &err), XA_OK);
    char a1[XA_ID_HEX];
    strcpy(a1, json_string_value(json_object_get(e, "id")));
    assert_int_equal(xa_attach_count(f->doc, "hazard", json_string_value(json_object_get(e, "ref"))),
                     1);
    assert_int_equal(xa_attach_remove(f->s, f->doc, &f->rev, "1", &err), XA_OK);
    xa_buf out = XA_BUF_INIT;
    assert_int_equal(xa_fstore_attach_read(f->s, vid, a1, collect, &out, NULL, &err),
                     XA_ENOTFOUND);
    assert_int_equal(xa_attach_remove(f->s, f->doc, &f->rev, "1", &err), XA_ENOTFOUND);
    /* the hazard goes, its photo with it */
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_HAZARD, 1, p, &lim, &e, &err), XA_OK);
    strcpy(a1, json_string_value(json_object_get(e, "id")));
    json_t *hz = json_array_get(json_object_get(f->doc, "hazards"), 0);
    xa_doc_hazard_remove(f->doc, hz);
    assert_int_equal(json_array_size(json_object_get(f->doc, "attachments")), 0);
    assert_int_equal(xa_fstore_visit_save(f->s, f->doc, &f->rev, &err), XA_OK);
    assert_int_equal(xa_fstore_attach_read(f->s, vid, a1, collect, &out, NULL, &err),
                     XA_ENOTFOUND);
    /* sealed: attach refused, the bytes stay readable */
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_VISIT, 0, p, &lim, &e, &err), XA_OK);
    strcpy(a1, json_string_value(json_object_get(e, "id")));
    json_t *sealed = NULL;
    assert_int_equal(xa_fstore_visit_seal(f->s, vid, &sealed, &err), XA_OK);
    assert_int_equal(json_array_size(json_object_get(sealed, "attachments")), 1);
    assert_int_equal(xa_attach_file(f->s, f->doc, &f->rev, XA_ATTACH_VISIT, 0, p, &lim, &e, &err),
                     XA_ESTATE);
    assert_int_equal(xa_fstore_attach_read(f->s, vid, a1, collect, &out, NULL, &err), XA_OK);
    assert_int_equal(out.len, 4000);
    xa_buf_clear(&out);
    json_decref(sealed);
    free(p);
}

/* The validator: entries checked member by member; an old document without
 * attachments still reads. */
static void test_validate(void **state)
{
    struct fx *f = *state;
    xa_err err;
    json_t *d = json_deep_copy(f->doc);
    assert_int_equal(xa_visit_validate(d, &err), XA_OK);
    char id[XA_ID_HEX];
    xa_random_id(id);
    json_t *e = json_pack("{s:s, s:s, s:n, s:s, s:s, s:I, s:s, s:s, s:{s:I, s:I}, s:s}", "id", id,
                          "for", "visit", "ref", "name", "a.jpg", "type", "jpeg", "size",
                          (json_int_t)10, "hash",
                          "0000000000000000000000000000000000000000000000000000000000000000",
                          "taken", "2026-12-01T09:30:00", "gps", "lat", (json_int_t)284517000,
                          "lon", (json_int_t)1199220000, "added", "2026-12-01T10:00:00+08:00");
    json_array_append_new(json_object_get(d, "attachments"), e);
    assert_int_equal(xa_visit_validate(d, &err), XA_OK);
    json_object_set_new(e, "type", json_string("gif"));
    assert_int_equal(xa_visit_validate(d, &err), XA_EFORMAT);
    json_object_set_new(e, "type", json_string("jpeg"));
    json_object_set_new(e, "for", json_string("hazard"));
    assert_int_equal(xa_visit_validate(d, &err), XA_EFORMAT); /* ref missing */
    json_object_set_new(e, "ref", json_string(id));
    assert_int_equal(xa_visit_validate(d, &err), XA_EFORMAT); /* no such hazard */
    assert_non_null(strstr(err.msg, "ref"));
    json_object_set_new(e, "for", json_string("visit"));
    json_object_set_new(e, "ref", json_null());
    json_object_set_new(e, "taken", json_string("yesterday"));
    assert_int_equal(xa_visit_validate(d, &err), XA_EFORMAT);
    json_object_set_new(e, "taken", json_null());
    json_object_set_new(e, "gps", json_pack("{s:I, s:I}", "lat", (json_int_t)950000000, "lon",
                                            (json_int_t)0));
    assert_int_equal(xa_visit_validate(d, &err), XA_EFORMAT);
    json_object_set_new(e, "gps", json_null());
    json_object_set_new(e, "colour", json_string("red"));
    assert_int_equal(xa_visit_validate(d, &err), XA_EFORMAT);
    json_decref(d);
}

/* `test_attach doc HOME PASSFILE ID` prints the visit's document (canonical);
 * `test_attach seal HOME PASSFILE ID` seals it. */
static int doc_or_seal(char **argv)
{
    char *pass = NULL;
    xa_err e;
    xa_fstore *s = NULL;
    json_t *doc = NULL;
    xa_code c = xa_pass_read("", argv[3], 0, &pass, &e);
    if (c == XA_OK)
        c = xa_fstore_open(argv[2], pass, &s, &e);
    xa_pass_free(pass);
    if (c == XA_OK && !strcmp(argv[1], "seal"))
        c = xa_fstore_visit_seal(s, argv[4], NULL, &e);
    else if (c == XA_OK && (c = xa_fstore_visit_load(s, argv[4], &doc, NULL, &e)) == XA_OK) {
        char *t = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
        printf("%s\n", t);
        free(t);
        json_decref(doc);
    }
    xa_fstore_close(s);
    if (c != XA_OK)
        fprintf(stderr, "%s: %s\n", argv[1], e.msg);
    return c != XA_OK;
}

/* Accept any sender (the fixture reads its own bundle). */
static int any_sender(const uint8_t pk[32], const char *fp, const char *created, void *ctx)
{
    (void)pk, (void)fp, (void)created, (void)ctx;
    return 1;
}

/* `test_attach flip HOME PASSFILE IN OUT`: IN (our own bundle) rewritten as
 * OUT with one byte of the first attachment record's data flipped, signed again with our
 * key — a bundle whose signature is good but whose attachment does not match the
 * signed visit. */
static int flip_bundle(char **argv)
{
    char *pass = NULL;
    xa_err e;
    xa_fstore *s = NULL;
    xa_age_identity *aid = NULL;
    json_t *man = NULL, *recs = NULL;
    xa_container_writer *w = NULL;
    xa_identity *office = NULL;
    xa_code c = xa_pass_read("", argv[3], 0, &pass, &e);
    if (c == XA_OK)
        c = xa_fstore_open(argv[2], pass, &s, &e);
    xa_pass_free(pass);
    const xa_identity *me = c == XA_OK ? xa_fstore_identity(s) : NULL;
    if (c == XA_OK)
        c = xa_age_identity_from_secret(me->sec->age_sk, &aid, &e);
    const xa_age_identity *ids[1] = {aid};
    if (c == XA_OK)
        c = xa_container_read(argv[4], ids, 1, XA_BUNDLE_FORMAT, NULL, any_sender, NULL, &man,
                              &recs, &e);
    if (c == XA_OK)
        c = xa_fstore_office(s, &office, &e);
    int flipped = 0;
    if (c == XA_OK) {
        const uint8_t *rcpt[2] = {office->age_pk, me->age_pk};
        c = xa_container_create(argv[5], rcpt, 2, &w, &e);
        if (c == XA_OK)
            c = xa_container_manifest(w, man, me->sign_pk, &e);
        size_t i;
        json_t *r;
        json_array_foreach(recs, i, r)
        {
            if (c != XA_OK)
                break;
            const char *t = json_string_value(json_object_get(r, "type"));
            if (!flipped && t && !strcmp(t, "attachment")) {
                const char *d = json_string_value(json_object_get(r, "data"));
                size_t dl = strlen(d), n = 0;
                uint8_t *raw = xa_malloc(dl);
                sodium_base642bin(raw, dl, d, dl, NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL);
                raw[n / 2] ^= 0x01;
                char *b64 = xa_malloc(dl + 4);
                sodium_bin2base64(b64, dl + 4, raw, n, sodium_base64_VARIANT_ORIGINAL);
                json_object_set_new(r, "data", json_string(b64));
                free(raw);
                free(b64);
                flipped = 1;
            }
            c = xa_container_add(w, r, &e);
        }
        if (c == XA_OK)
            c = xa_container_finish(w, me->sec->sign_sk, &e);
    }
    xa_container_writer_free(w);
    xa_identity_free(office);
    json_decref(man);
    json_decref(recs);
    xa_age_identity_free(aid);
    xa_fstore_close(s);
    if (c != XA_OK || !flipped) {
        fprintf(stderr, "flip: %s\n", c != XA_OK ? e.msg : "no attachment record");
        return 1;
    }
    return 0;
}

/* `test_attach draft HOME PASSFILE [HAZARD]`: a draft with a hazard and a
 * follow-up, or (HAZARD given) a re-check draft with a follow-up of it. */
static int make_draft(int argc, char **argv)
{
    char *pass = NULL;
    xa_err e;
    xa_fstore *s = NULL;
    if (xa_pass_read("", argv[3], 0, &pass, &e) != XA_OK ||
        xa_fstore_open(argv[2], pass, &s, &e) != XA_OK) {
        fprintf(stderr, "draft: %s\n", e.msg);
        xa_pass_free(pass);
        return 1;
    }
    xa_pass_free(pass);
    json_t *doc = draft_of(s, argc == 5 ? argv[4] : NULL);
    if (!doc) {
        xa_fstore_close(s);
        return 1;
    }
    printf("%s\n", json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
    xa_fstore_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    if ((argc == 4 || argc == 5) && !strcmp(argv[1], "draft"))
        return make_draft(argc, argv);
    if (argc == 6 && !strcmp(argv[1], "flip"))
        return flip_bundle(argv);
    if (argc == 5 && (!strcmp(argv[1], "doc") || !strcmp(argv[1], "seal")))
        return doc_or_seal(argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test_setup_teardown(test_roundtrip_secret, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_seal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
