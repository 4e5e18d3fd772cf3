/* test_visit.c — the visit document: a new draft validates, the validator
 * names the field it refuses, sealing sets seq/prev and signs, and
 * verification fails after any change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "helpers/unit_fx.h"
#include "xiaoan/clock.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/visit.h"
#include "xiaoan/vocab.h"

static xa_identity *inspector;

static int setup(void **state)
{
    (void)state;
    return fx_signing_inspector(&inspector);
}

static int teardown(void **state)
{
    (void)state;
    xa_identity_free(inspector);
    return 0;
}

/* A full draft with one of everything. */
static json_t *full_draft(void)
{
    const char *team[] = {"李四", "王五"};
    xa_visit_init in = {.school_code = "331102000101",
                        .school_name = "莲都区实验小学",
                        .county = "莲都区",
                        .kind = "four-not-two-direct",
                        .team = team,
                        .nteam = 2,
                        .no_notice = 1,
                        .no_greeting = 1,
                        .no_briefing = 1,
                        .no_escort = 1};
    json_t *d = NULL;
    xa_err e;
    assert_int_equal(xa_visit_new(inspector, &in, &d, &e), XA_OK);
    json_array_append_new(json_object_get(d, "answers"),
                          xa_visit_answer_new("fire-buildings", "FB-01", "pass"));
    json_t *a = xa_visit_answer_new("fire-buildings", "FB-03", "hazard");
    json_object_set_new(a, "note", json_string("疏散通道堆放杂物"));
    json_array_append_new(json_object_get(d, "answers"), a);
    json_t *h = xa_visit_hazard_new("fire-buildings", "FB-03", "fire", "major");
    json_object_set_new(h, "description", json_string("教学楼二楼疏散通道被课桌堵塞"));
    json_object_set_new(h, "deadline", json_string("2026-12-14"));
    json_array_append_new(json_object_get(d, "hazards"), h);
    char hid[XA_ID_HEX];
    xa_random_id(hid);
    json_array_append_new(json_object_get(d, "followups"), xa_visit_followup_new(hid, "partly"));
    json_array_append_new(json_object_get(d, "forms"),
                          json_pack("{s:s,s:i,s:s}", "id", "fire-buildings", "version", 1, "hash",
                                    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    assert_int_equal(xa_visit_validate(d, &e), XA_OK);
    return d;
}

/* A new draft has every field and validates. */
static void new_draft(void **state)
{
    (void)state;
    json_t *d = full_draft();
    assert_string_equal(json_string_value(json_object_get(d, "format")), "xiaoan.visit/2");
    assert_true(xa_id_valid(json_string_value(json_object_get(d, "id"))));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(d, "inspector"), "fingerprint")),
        inspector->fingerprint);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(d, "times"), "created")),
        "2026-11-29T09:30:00+08:00");
    assert_true(json_is_null(json_object_get(d, "seal")));
    assert_false(xa_visit_is_sealed(d));
    assert_int_equal(xa_visit_hazard_count(d), 1);
    assert_int_equal(xa_kind_of("joint"), XA_KIND_JOINT);
    assert_int_equal(xa_kind_of("party"), XA_KIND_UNKNOWN);
    assert_string_equal(xa_vocab_label_of(&xa_vocab_kinds, "four-not-two-direct", 0), "四不两直");
    json_decref(d);

    xa_visit_init bad = {.school_code = "1", .school_name = "x", .county = "", .kind = "party"};
    xa_err e;
    assert_int_equal(xa_visit_new(inspector, &bad, &d, &e), XA_EFORMAT);
    assert_string_equal(e.msg, "visit.kind: unknown value 'party'");
    bad.kind = "random";
    bad.school_name = "";
    assert_int_equal(xa_visit_new(inspector, &bad, &d, &e), XA_EFORMAT);
    assert_string_equal(e.msg, "visit.school.name: empty");
}

static void expect_bad(const json_t *d, const char *path_json, json_t *value, const char *msg);

/* A visit started from an assignment names it; one without has no such
 * member at all (documents sealed before it existed keep their bytes). */
static void assignment_member(void **state)
{
    (void)state;
    json_t *d = full_draft();
    assert_null(json_object_get(d, "assignment"));
    json_decref(d);
    xa_visit_init in = {.school_code = "331102000101", .school_name = "莲都区实验小学",
                        .county = "莲都区", .kind = "cross",
                        .assignment = "43801ae926026f71f6ff2e1ee79d1a81"};
    xa_err e;
    assert_int_equal(xa_visit_new(inspector, &in, &d, &e), XA_OK);
    assert_string_equal(json_string_value(json_object_get(d, "assignment")),
                        "43801ae926026f71f6ff2e1ee79d1a81");
    expect_bad(d, "assignment", json_string("43801AE9"),
               "visit.assignment: not an id (32 lowercase hex digits)");
    expect_bad(d, "assignment", json_null(), "visit.assignment: not a string");
    json_decref(d);
    in.assignment = "nope";
    assert_int_equal(xa_visit_new(inspector, &in, &d, &e), XA_EFORMAT);
}

/* Apply a change to a copy of the draft and expect msg. */
static void expect_bad(const json_t *d, const char *path_json, json_t *value, const char *msg)
{
    json_t *c = json_deep_copy(d);
    /* path_json: "key" or "key/index/key" */
    char *p = xa_strdup(path_json);
    json_t *at = c;
    char *save = NULL, *tok = strtok_r(p, "/", &save);
    while (tok) {
        char *next = strtok_r(NULL, "/", &save);
        if (!next) {
            if (json_is_array(at))
                json_array_set_new(at, (size_t)atoi(tok), value);
            else if (value)
                json_object_set_new(at, tok, value);
            else
                json_object_del(at, tok);
        } else {
            at = json_is_array(at) ? json_array_get(at, (size_t)atoi(tok)) : json_object_get(at, tok);
        }
        tok = next;
    }
    free(p);
    xa_err e;
    xa_code code = xa_visit_validate(c, &e);
    if (code == XA_OK || strcmp(e.msg, msg)) {
        print_error("%s: got %d '%s', wanted '%s'\n", path_json, code, e.msg, msg);
        fail();
    }
    json_decref(c);
}

/* The validator names the field. */
static void validation_errors(void **state)
{
    (void)state;
    json_t *d = full_draft();
    json_t *h2 = xa_visit_hazard_new(NULL, NULL, "gate", "general");
    json_array_append_new(json_object_get(d, "hazards"), h2);
    json_array_append_new(json_object_get(d, "hazards"),
                          xa_visit_hazard_new(NULL, NULL, "gate", "general"));
    xa_err e;
    assert_int_equal(xa_visit_validate(d, &e), XA_OK);
    expect_bad(d, "hazards/2/deadline", json_string("2026-02-30"),
               "visit.hazards[2].deadline: not a date");
    expect_bad(d, "hazards/0/severity", json_string("minor"),
               "visit.hazards[0].severity: unknown value 'minor'");
    /* 建议项 grades items only: a hazard is general or major. */
    expect_bad(d, "hazards/0/severity", json_string("advice"),
               "visit.hazards[0].severity: a hazard is general or major (advice is for items)");
    expect_bad(d, "hazards/1/found", json_string("yesterday"),
               "visit.hazards[1].found: not an RFC 3339 time");
    expect_bad(d, "hazards/1/rectified_on_site", json_integer(0),
               "visit.hazards[1].rectified_on_site: not true or false");
    expect_bad(d, "hazards/1/id", json_string(json_string_value(json_object_get(
                                      json_array_get(json_object_get(d, "hazards"), 0), "id"))),
               "visit.hazards[1].id: the same id as an earlier hazard");
    expect_bad(d, "hazards/0/photo", json_string("x"), "visit.hazards[0]: unknown field 'photo'");
    expect_bad(d, "hazards/0/notes", NULL, "visit.hazards[0].notes: missing");
    expect_bad(d, "answers/0/result", json_string("ok"),
               "visit.answers[0].result: unknown value 'ok'");
    expect_bad(d, "answers/1/code", json_string("FB-01"),
               "visit.answers[1]: a second answer for fire-buildings FB-01 (first at [0])");
    expect_bad(d, "answers/0/value", json_string("3"),
               "visit.answers[0].value: not an integer or null");
    expect_bad(d, "followups/0/verdict", json_string("done"),
               "visit.followups[0].verdict: unknown value 'done'");
    expect_bad(d, "followups/0/hazard", json_string("FB-03"),
               "visit.followups[0].hazard: not an id (32 lowercase hex digits)");
    expect_bad(d, "forms/0/version", json_integer(0), "visit.forms[0].version: less than 1");
    expect_bad(d, "forms/0/hash", json_string("abc"),
               "visit.forms[0].hash: not a hash (64 lowercase hex digits)");
    expect_bad(d, "attest/no_escort", json_string("yes"),
               "visit.attest.no_escort: not true or false");
    expect_bad(d, "times/arrived", json_null(), "visit.times.arrived: not a string");
    expect_bad(d, "inspector/fingerprint", json_string("12345678901234567890"),
               "visit.inspector.fingerprint: not a fingerprint (12345-67890-12345-67890)");
    expect_bad(d, "team/1", json_integer(3), "visit.team[1]: not a string");
    expect_bad(d, "format", json_string("xiaoan.visit/3"),
               "visit.format: not xiaoan.visit/2 (or /1)");
    expect_bad(d, "id", json_string("ABC"), "visit.id: not an id (32 lowercase hex digits)");
    expect_bad(d, "extra", json_true(), "visit: unknown field 'extra'");
    expect_bad(d, "school", NULL, "visit.school: missing");
    expect_bad(d, "corrects", json_integer(1), "visit.corrects: not a string or null");
    expect_bad(d, "answers/0/value", json_real(1.5),
               "visit: contains a real number (integers only)");
    expect_bad(d, "seal", json_pack("{s:i,s:n,s:s}", "seq", 2, "prev", "sealed",
                                    "2026-11-29T10:00:00+08:00"),
               "visit.seal.prev: missing for seq > 1");
    expect_bad(d, "seal", json_pack("{s:i,s:n,s:s}", "seq", 0, "prev", "sealed",
                                    "2026-11-29T10:00:00+08:00"),
               "visit.seal.seq: less than 1");
    json_decref(d);
}

/* Issue 11 items 12 and 14: a sealed visit is version 2 and its signature
 * covers "xiaoan visit v1", a zero byte and the canonical bytes; a bare
 * signature does not verify as version 2, a version-1 document with one
 * still does; sequence numbers stop at XA_VISIT_SEQ_MAX. */
static void signature_context_and_seq_cap(void **state)
{
    (void)state;
    json_t *d = full_draft(), *s1 = NULL;
    json_object_set_new(d, "format", json_string(XA_VISIT_FORMAT_V1)); /* an old draft */
    uint8_t sig[64], h[32];
    xa_err e;
    assert_int_equal(xa_visit_seal(d, inspector, 1, NULL, 1796000000, &s1, sig, h, &e), XA_OK);
    assert_string_equal(json_string_value(json_object_get(s1, "format")), XA_VISIT_FORMAT);
    xa_buf b = XA_BUF_INIT, m = XA_BUF_INIT;
    assert_int_equal(xa_visit_canonical(s1, &b, &e), XA_OK);
    xa_buf_add(&m, "xiaoan visit v1", 15);
    xa_buf_putc(&m, '\0');
    xa_buf_add(&m, b.data, b.len);
    assert_int_equal(xa_sign_verify(inspector->sign_pk, m.data, m.len, sig, &e), XA_OK);
    /* the bare bytes signed: not accepted as version 2 */
    uint8_t bare[64];
    assert_int_equal(xa_identity_sign(inspector, b.data, b.len, bare, &e), XA_OK);
    xa_visit_verified v;
    assert_int_equal(xa_visit_verify_doc(s1, bare, inspector->sign_pk, &v, &e), XA_ESIG);
    /* a version-1 document signed the old way still verifies */
    json_object_set_new(s1, "format", json_string(XA_VISIT_FORMAT_V1));
    xa_buf_reset(&b);
    assert_int_equal(xa_visit_canonical(s1, &b, &e), XA_OK);
    assert_int_equal(xa_identity_sign(inspector, b.data, b.len, bare, &e), XA_OK);
    assert_int_equal(xa_visit_verify_doc(s1, bare, inspector->sign_pk, &v, &e), XA_OK);
    /* ...but not with a context signature */
    assert_int_equal(xa_visit_verify_doc(s1, sig, inspector->sign_pk, &v, &e), XA_ESIG);
    xa_buf_clear(&b);
    xa_buf_clear(&m);
    json_decref(s1);

    /* sequence cap: sealing and validation refuse beyond it */
    uint8_t prev[32] = {1};
    assert_int_equal(xa_visit_seal(d, inspector, XA_VISIT_SEQ_MAX + 1, prev, 1796000000, &s1, sig,
                                   h, &e),
                     XA_ELIMIT);
    assert_int_equal(xa_visit_seal(d, inspector, XA_VISIT_SEQ_MAX, prev, 1796000000, &s1, sig, h,
                                   &e),
                     XA_OK);
    json_object_set_new(json_object_get(s1, "seal"), "seq", json_integer(INT64_MAX));
    assert_int_equal(xa_visit_validate(s1, &e), XA_EFORMAT);
    assert_non_null(strstr(e.msg, "visit.seal.seq"));
    json_decref(s1);
    json_decref(d);
}

/* Sealing: seq/prev/sealed set, signature verifies, any change breaks it. */
static void seal_and_verify(void **state)
{
    (void)state;
    json_t *d = full_draft(), *s1 = NULL, *s2 = NULL;
    uint8_t sig1[64], sig2[64], h1[32], h2[32];
    xa_err e;
    int64_t t = 1796000000;
    assert_int_equal(xa_visit_seal(d, inspector, 2, NULL, t, &s1, sig1, h1, &e), XA_EUSAGE);
    assert_int_equal(xa_visit_seal(d, inspector, 1, NULL, t, &s1, sig1, h1, &e), XA_OK);
    assert_true(json_is_null(json_object_get(d, "seal"))); /* draft untouched */
    json_t *seal = json_object_get(s1, "seal");
    assert_int_equal(json_integer_value(json_object_get(seal, "seq")), 1);
    assert_true(json_is_null(json_object_get(seal, "prev")));
    assert_int_equal(xa_visit_seal(s1, inspector, 2, h1, t, &s2, sig2, h2, &e), XA_ESTATE);

    xa_visit_verified v;
    assert_int_equal(xa_visit_verify_doc(s1, sig1, inspector->sign_pk, &v, &e), XA_OK);
    assert_int_equal(v.seq, 1);
    assert_false(v.has_prev);
    char hex[XA_HASH_HEX];
    xa_hex_encode(h1, 32, hex);
    assert_string_equal(v.hash, hex);
    assert_string_equal(v.fingerprint, inspector->fingerprint);
    assert_string_equal(v.id, json_string_value(json_object_get(d, "id")));

    /* second visit chains to the first */
    json_t *d2 = full_draft();
    assert_int_equal(xa_visit_seal(d2, inspector, 2, h1, t + 60, &s2, sig2, h2, &e), XA_OK);
    json_t *rec = xa_visit_record(s2, sig2);
    assert_int_equal(xa_visit_verify_record(rec, inspector->sign_pk, &v, &e), XA_OK);
    assert_int_equal(v.seq, 2);
    assert_true(v.has_prev);
    assert_string_equal(v.prev, hex);
    uint8_t hh[32];
    assert_int_equal(xa_visit_hash(s2, hh, &e), XA_OK);
    assert_memory_equal(hh, h2, 32);
    /* with the record's canonical line (issue 17): the same result without
     * serialising the document again; a changed byte in the line's document
     * breaks the signature; a line of another shape falls back to the record */
    {
        xa_buf line = XA_BUF_INIT;
        assert_int_equal(xa_json_canonical(rec, &line, &e), XA_OK);
        xa_visit_verified vl;
        assert_int_equal(
            xa_visit_verify_record_line(rec, line.data, line.len, inspector->sign_pk, &vl, &e),
            XA_OK);
        assert_memory_equal(&vl, &v, sizeof v);
        char *at = strstr(line.data, "\"school\"");
        assert_non_null(at);
        at[1] = 'S';
        assert_int_equal(
            xa_visit_verify_record_line(rec, line.data, line.len, inspector->sign_pk, &vl, &e),
            XA_ESIG);
        assert_int_equal(xa_visit_verify_record_line(rec, "{}", 2, inspector->sign_pk, &vl, &e),
                         XA_OK);
        assert_int_equal(xa_visit_verify_record_line(rec, NULL, 0, inspector->sign_pk, &vl, &e),
                         XA_OK);
        xa_buf_clear(&line);
    }

    /* any change breaks the signature */
    json_t *t1 = json_deep_copy(s1);
    json_object_set_new(json_object_get(t1, "school"), "name", json_string("莲都区实验小学 "));
    assert_int_equal(xa_visit_verify_doc(t1, sig1, inspector->sign_pk, &v, &e), XA_ESIG);
    json_decref(t1);
    t1 = json_deep_copy(s1);
    json_object_set_new(json_array_get(json_object_get(t1, "hazards"), 0), "severity",
                        json_string("general"));
    assert_int_equal(xa_visit_verify_doc(t1, sig1, inspector->sign_pk, &v, &e), XA_ESIG);
    json_decref(t1);
    t1 = json_deep_copy(s1);
    json_object_set_new(json_object_get(t1, "seal"), "seq", json_integer(3));
    json_object_set_new(json_object_get(t1, "seal"), "prev", json_string(hex));
    assert_int_equal(xa_visit_verify_doc(t1, sig1, inspector->sign_pk, &v, &e), XA_ESIG);
    json_decref(t1);
    uint8_t bad[64];
    memcpy(bad, sig1, 64);
    bad[63] ^= 0x10;
    assert_int_equal(xa_visit_verify_doc(s1, bad, inspector->sign_pk, &v, &e), XA_ESIG);
    xa_identity *other = NULL;
    assert_int_equal(xa_identity_generate("冒名", &other, &e), XA_OK);
    assert_int_equal(xa_visit_verify_doc(s1, sig1, other->sign_pk, &v, &e), XA_ESIG);
    /* someone else cannot seal my draft */
    json_t *s3 = NULL;
    assert_int_equal(xa_visit_seal(d2, other, 1, NULL, t, &s3, sig2, h2, &e), XA_ESTATE);
    xa_identity_free(other);
    /* a draft does not verify */
    assert_int_equal(xa_visit_verify_doc(d, sig1, inspector->sign_pk, &v, &e), XA_ESTATE);
    /* record shape */
    json_object_set_new(rec, "type", json_string("school"));
    assert_int_equal(xa_visit_verify_record(rec, inspector->sign_pk, &v, &e), XA_EFORMAT);
    json_object_set_new(rec, "type", json_string("visit"));
    json_object_set_new(rec, "sig", json_string("AAAA"));
    assert_int_equal(xa_visit_verify_record(rec, inspector->sign_pk, &v, &e), XA_EFORMAT);
    assert_string_equal(e.msg, "record.sig: not a base64 Ed25519 signature");
    json_decref(rec);

    /* canonical bytes: sorted keys, no whitespace, UTF-8 as is */
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_visit_canonical(s1, &b, &e), XA_OK);
    assert_non_null(strstr(b.data, "\"name\":\"莲都区实验小学\""));
    assert_null(strchr(b.data, ' ') ? strstr(b.data, "\": ") : NULL);
    assert_memory_equal(b.data, "{\"answers\":[", 12);
    xa_buf_clear(&b);
    json_decref(s1);
    json_decref(s2);
    json_decref(d);
    json_decref(d2);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_draft),
        cmocka_unit_test(assignment_member),
        cmocka_unit_test(validation_errors),
        cmocka_unit_test(seal_and_verify),
        cmocka_unit_test(signature_context_and_seq_cap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
