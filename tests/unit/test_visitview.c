/* test_visitview.c — the merge's tree-free reading of a visit record
 * (xa_visit_view_scan over json.c's canonical cursor) against the jansson
 * path it replaces (xa_json_parse + xa_visit_verify_record_line): on
 * generated records, on records changed member by member (values of every
 * type put anywhere, members dropped or added) and on byte mutations, all
 * re-signed so the signature is not what refuses them.  Whatever the scan
 * accepts the jansson path accepts, with the very same fields and the same
 * verification result; whatever the jansson path refuses the scan refuses. */
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
#include "xiaoan/identity.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/visit.h"
#include "xiaoan/vocab.h"

static xa_identity *inspector;
static uint64_t rng = 20261201;

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

static uint64_t rnd(uint64_t n)
{
    return fx_rand(&rng, n);
}

/* Strings of every kind the canonical form has: escapes, CJK, ... (a
 * school name is at times a control byte, printed as \u0001: the scan is
 * not sure of it, the jansson path reads it). */
static const char *const texts[] = {
    "", "x", "学校", "第一行\n第二行", "\"引号\"", "back\\slash", "tab\there", "/slash",
    "emoji \xf0\x9f\x98\x80", "a\b\f\r", "莲都区", "2026-11-29",
};

static const char *text(void)
{
    return texts[rnd(sizeof texts / sizeof *texts)];
}

static json_t *hash_value(void)
{
    char h[XA_HASH_HEX];
    uint8_t b[32];
    randombytes_buf(b, sizeof b);
    xa_hex_encode(b, sizeof b, h);
    return json_string(h);
}

/* A sealed visit with a random number of everything; *sig gets its signature. */
static json_t *gen_sealed(uint8_t sig[XA_SIG_BYTES])
{
    const char *team[] = {"李四", "王五", "赵六"};
    const char *kinds[] = {"four-not-two-direct", "random", "special", "follow-up"};
    xa_visit_init in = {.school_code = rnd(2) ? "331102000101" : "学校\"1\"",
                        .school_name = rnd(10) == 0 ? "ctl\x01" : rnd(2) ? "莲都区实验小学" : "a\nb",
                        .county = rnd(3) ? "莲都区" : "",
                        .kind = kinds[rnd(4)],
                        .team = team,
                        .nteam = rnd(4),
                        .no_notice = (int)rnd(2),
                        .no_greeting = (int)rnd(2),
                        .no_briefing = (int)rnd(2),
                        .no_escort = (int)rnd(2),
                        .corrects = NULL,
                        .assignment = NULL};
    char cid[XA_ID_HEX], aid[XA_ID_HEX];
    xa_random_id(cid);
    xa_random_id(aid);
    if (rnd(3) == 0)
        in.corrects = cid;
    if (rnd(3) == 0)
        in.assignment = aid;
    json_t *d = NULL;
    xa_err e;
    assert_int_equal(xa_visit_new(inspector, &in, &d, &e), XA_OK);
    size_t nforms = rnd(3);
    for (size_t i = 0; i < nforms; i++)
        json_array_append_new(json_object_get(d, "forms"),
                              json_pack("{s:s,s:I,s:o}", "id", i ? "food" : "fire-buildings",
                                        "version", (json_int_t)(1 + rnd(5)), "hash",
                                        hash_value()));
    size_t na = rnd(70);
    for (size_t i = 0; i < na; i++) {
        char code[32];
        snprintf(code, sizeof code, "FB-%02zu", i);
        const xa_term *t = &xa_vocab_results.terms[rnd(xa_vocab_results.n)];
        json_t *a = xa_visit_answer_new(rnd(4) ? "fire-buildings" : "food", code, t->key);
        static const json_int_t vals[] = {0, 1, -1, 42, INT32_MIN, 1000000000000000LL};
        if (rnd(3) == 0)
            json_object_set_new(a, "value", json_integer(vals[rnd(6)]));
        if (rnd(3) == 0)
            json_object_set_new(a, "text", json_string(text()));
        json_object_set_new(a, "note", json_string(text()));
        json_object_set_new(a, "location", json_string(text()));
        json_array_append_new(json_object_get(d, "answers"), a);
    }
    size_t nh = rnd(4);
    for (size_t i = 0; i < nh; i++) {
        json_t *h = xa_visit_hazard_new(rnd(3) ? "fire-buildings" : NULL, rnd(3) ? "FB-01" : NULL,
                                        "fire", rnd(2) ? "major" : "general");
        json_object_set_new(h, "description", json_string(text()));
        if (rnd(2))
            json_object_set_new(h, "deadline", json_string("2026-12-14"));
        if (rnd(3) == 0)
            json_object_set_new(h, "interim", json_string(text()));
        json_object_set_new(h, "rectified_on_site", json_boolean(rnd(2)));
        json_object_set_new(h, "measures", json_string(text()));
        json_array_append_new(json_object_get(d, "hazards"), h);
    }
    size_t nf = rnd(3);
    char fid[XA_ID_HEX];
    for (size_t i = 0; i < nf; i++) {
        xa_random_id(fid);
        json_t *f = xa_visit_followup_new(fid, rnd(2) ? "partly" : "rectified");
        json_object_set_new(f, "note", json_string(text()));
        json_array_append_new(json_object_get(d, "followups"), f);
    }
    size_t nat = rnd(4);
    for (size_t i = 0; i < nat; i++) {
        char id[XA_ID_HEX];
        xa_random_id(id);
        json_t *a = json_object();
        json_object_set_new(a, "id", json_string(id));
        json_t *ref = json_null();
        const char *for_ = "visit";
        if (nh && rnd(2)) {
            for_ = "hazard";
            json_decref(ref);
            ref = json_deep_copy(json_object_get(json_array_get(json_object_get(d, "hazards"), 0),
                                                 "id"));
        } else if (nf && rnd(2)) {
            for_ = "followup";
            json_decref(ref);
            ref = json_deep_copy(
                json_object_get(json_array_get(json_object_get(d, "followups"), 0), "hazard"));
        }
        json_object_set_new(a, "for", json_string(for_));
        json_object_set_new(a, "ref", ref);
        json_object_set_new(a, "name", json_string(rnd(2) ? "IMG_0001.jpg" : "照片\n1.png"));
        json_object_set_new(a, "type", json_string(rnd(2) ? "jpeg" : "png"));
        json_object_set_new(a, "size", json_integer((json_int_t)(1 + rnd(5000000))));
        json_object_set_new(a, "hash", hash_value());
        json_object_set_new(a, "taken", rnd(3) == 0 ? json_null()
                                        : rnd(2)    ? json_string("2026-11-29T09:31:00")
                                                    : json_string("2026-11-29T09:31:00+08:00"));
        json_object_set_new(a, "gps", rnd(2) ? json_null()
                                             : json_pack("{s:I,s:I}", "lat",
                                                         (json_int_t)284500000 - (json_int_t)rnd(10),
                                                         "lon", (json_int_t)-1199000000));
        json_object_set_new(a, "added", json_string("2026-11-29T09:32:00+08:00"));
        json_array_append_new(json_object_get(d, "attachments"), a);
    }
    assert_int_equal(xa_visit_validate(d, &e), XA_OK);
    json_t *sealed = NULL;
    uint8_t h[XA_HASH_BYTES], prev[XA_HASH_BYTES];
    randombytes_buf(prev, sizeof prev);
    int64_t seq = rnd(2) ? 1 : 1 + (int64_t)rnd(100000);
    assert_int_equal(xa_visit_seal(d, inspector, seq, seq == 1 ? NULL : prev, 1796000000, &sealed,
                                   sig, h, &e),
                     XA_OK);
    json_decref(d);
    return sealed;
}

/* The record line of doc's canonical bytes, signed again (as version 2). */
static void line_of_bytes(const char *doc, size_t len, xa_buf *line)
{
    xa_buf m = XA_BUF_INIT;
    xa_buf_add(&m, XA_SIGCTX_VISIT, strlen(XA_SIGCTX_VISIT));
    xa_buf_putc(&m, '\0');
    xa_buf_add(&m, doc, len);
    uint8_t sig[XA_SIG_BYTES];
    xa_err e;
    assert_int_equal(xa_identity_sign(inspector, m.data, m.len, sig, &e), XA_OK);
    xa_buf_clear(&m);
    xa_buf_reset(line);
    xa_visit_record_line(doc, len, sig, line);
}

/* The record line of a (possibly changed) document, signed again. */
static void line_of(const json_t *doc, xa_buf *line)
{
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    assert_int_equal(xa_json_canonical(doc, &b, &e), XA_OK);
    line_of_bytes(b.data, b.len, line);
    xa_buf_clear(&b);
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

#define S(f) if (!same_str(a->f, b->f)) return #f
#define I(f) if (a->f != b->f) return #f

/* The first field where two views differ, or NULL. */
static const char *view_diff(const xa_visit_view *a, const xa_visit_view *b)
{
    S(format); S(id); S(kind); S(corrects); S(assignment); S(inspector_name); S(fingerprint);
    S(school_code); S(school_name); S(county); S(created); S(arrived); S(first_site);
    I(no_briefing); I(no_escort); I(no_greeting); I(no_notice); I(sealed); I(seq);
    S(prev); S(sealed_at);
    I(nteam); I(nforms); I(nanswers); I(nhazards); I(nfollowups); I(nattachments);
    for (size_t i = 0; i < a->nteam; i++)
        if (!same_str(a->team[i], b->team[i]))
            return "team";
    const xa_visit_view *va = a, *vb = b;
    for (size_t i = 0; i < va->nforms; i++) {
        const xa_vview_form *x = &va->forms[i], *y = &vb->forms[i];
        if (!same_str(x->id, y->id) || !same_str(x->hash, y->hash) || x->version != y->version)
            return "forms";
    }
    for (size_t i = 0; i < va->nanswers; i++) {
        const xa_vview_answer *x = &va->answers[i], *y = &vb->answers[i];
        if (!same_str(x->form, y->form) || !same_str(x->code, y->code) ||
            !same_str(x->result, y->result) || !same_str(x->text, y->text) ||
            !same_str(x->note, y->note) || !same_str(x->location, y->location) ||
            x->has_value != y->has_value || x->value != y->value)
            return "answers";
    }
    for (size_t i = 0; i < va->nhazards; i++) {
        const xa_vview_hazard *x = &va->hazards[i], *y = &vb->hazards[i];
        if (!same_str(x->id, y->id) || !same_str(x->form, y->form) ||
            !same_str(x->code, y->code) || !same_str(x->category, y->category) ||
            !same_str(x->severity, y->severity) || !same_str(x->description, y->description) ||
            !same_str(x->location, y->location) || !same_str(x->requirement, y->requirement) ||
            !same_str(x->deadline, y->deadline) || !same_str(x->responsible, y->responsible) ||
            !same_str(x->measures, y->measures) || !same_str(x->notes, y->notes) ||
            !same_str(x->found, y->found) || !same_str(x->interim, y->interim) ||
            x->rectified_on_site != y->rectified_on_site)
            return "hazards";
    }
    for (size_t i = 0; i < va->nfollowups; i++) {
        const xa_vview_followup *x = &va->followups[i], *y = &vb->followups[i];
        if (!same_str(x->hazard, y->hazard) || !same_str(x->verdict, y->verdict) ||
            !same_str(x->note, y->note) || !same_str(x->checked, y->checked))
            return "followups";
    }
    for (size_t i = 0; i < va->nattachments; i++) {
        const xa_vview_attachment *x = &va->attachments[i], *y = &vb->attachments[i];
        if (!same_str(x->id, y->id) || !same_str(x->for_, y->for_) || !same_str(x->ref, y->ref) ||
            !same_str(x->name, y->name) || !same_str(x->type, y->type) ||
            !same_str(x->hash, y->hash) || !same_str(x->taken, y->taken) ||
            !same_str(x->added, y->added) || x->size != y->size || x->has_gps != y->has_gps ||
            x->lat != y->lat || x->lon != y->lon)
            return "attachments";
    }
    return NULL;
}

/* Does the container's first pass let the line through (canonical)? */
static int canonical(const char *s, size_t len)
{
    if (xa_json_canonical_object(s, len, XA_JSON_MAX_DEPTH, NULL, NULL, NULL))
        return 1;
    json_t *v = NULL;
    xa_err e;
    if (xa_json_parse(s, len, XA_JSON_MAX_DEPTH, &v, &e) != XA_OK)
        return 0;
    xa_buf b = XA_BUF_INIT;
    int same = json_is_object(v) && xa_json_canonical(v, &b, &e) == XA_OK && b.len == len &&
               !memcmp(b.data, s, len);
    xa_buf_clear(&b);
    json_decref(v);
    return same;
}

struct tally {
    size_t fast, slow, n;
};

/* One line both ways; fails the test on any disagreement. */
static void compare(xa_visit_view *fast, const char *line, size_t len, struct tally *t)
{
    xa_visit_verified vf, vs;
    xa_err e;
    memset(&vf, 0, sizeof vf);
    memset(&vs, 0, sizeof vs);
    int f = xa_visit_view_scan(fast, line, len) &&
            xa_visit_view_verify(fast, inspector->sign_pk, &vf, &e) == XA_OK;
    json_t *rec = NULL;
    int s = canonical(line, len) && xa_json_parse(line, len, XA_JSON_MAX_DEPTH, &rec, &e) == XA_OK &&
            json_is_object(rec) &&
            xa_visit_verify_record_line(rec, line, len, inspector->sign_pk, &vs, &e) == XA_OK;
    t->n++;
    t->fast += (size_t)f;
    t->slow += (size_t)s;
    if (f && !s)
        fail_msg("the scan accepts what the jansson path refuses (%s): %.*s", xa_err_msg(&e),
                 (int)len, line);
    if (f) {
        xa_visit_view slow;
        memset(&slow, 0, sizeof slow);
        xa_visit_view_of(&slow, rec);
        const char *d = view_diff(fast, &slow);
        if (d)
            fail_msg("the scan reads %s other than jansson: %.*s", d, (int)len, line);
        if (memcmp(&vf, &vs, sizeof vf))
            fail_msg("verification differs: %.*s", (int)len, line);
        assert_int_equal(fast->doc_len, len - strlen("{\"doc\":") - 88 -
                                            strlen(",\"sig\":\"\",\"type\":\"visit\"}"));
        xa_visit_view_free(&slow);
    }
    json_decref(rec);
}

/* Generated records: the jansson path takes every one, the scan every one
 * without a \u escape (a control byte in a string). */
static void generated_records(void **state)
{
    (void)state;
    xa_visit_view v;
    memset(&v, 0, sizeof v);
    struct tally t = {0};
    xa_buf line = XA_BUF_INIT, canon = XA_BUF_INIT;
    size_t with_u = 0;
    for (int k = 0; k < 300; k++) {
        uint8_t sig[XA_SIG_BYTES];
        json_t *d = gen_sealed(sig);
        xa_err e;
        xa_buf_reset(&canon);
        xa_buf_reset(&line);
        assert_int_equal(xa_json_canonical(d, &canon, &e), XA_OK);
        xa_visit_record_line(canon.data, canon.len, sig, &line);
        int u = strstr(line.data, "\\u") != NULL;
        with_u += (size_t)u;
        size_t before = t.fast;
        compare(&v, line.data, line.len, &t);
        if (!u && t.fast == before)
            fail_msg("the scan is not sure of a plain record: %s", line.data);
        json_decref(d);
    }
    assert_int_equal(t.slow, t.n);
    assert_int_equal(t.fast, t.n - with_u);
    assert_true(t.fast > 150);
    xa_buf_clear(&line);
    xa_buf_clear(&canon);
    xa_visit_view_free(&v);
}

/* Values of every type for a member anywhere. */
static json_t *any_value(void)
{
    char id[XA_ID_HEX];
    switch (rnd(26)) {
    case 0: return json_null();
    case 1: return json_true();
    case 2: return json_false();
    case 3: return json_integer(0);
    case 4: return json_integer(-1);
    case 5: return json_integer(INT32_MIN);
    case 6: return json_integer((json_int_t)INT32_MIN - 1);
    case 7: return json_integer(XA_VISIT_SEQ_MAX + 1);
    case 8: return json_string("");
    case 9: return json_string("x");
    case 10: return json_string("general");
    case 11: return json_string("advice");
    case 12: return json_string("pass");
    case 13: xa_random_id(id); return json_string(id);
    case 14: return hash_value();
    case 15: return json_string("2026-11-29T09:30:00+08:00");
    case 16: return json_string("2026-13-01");
    case 17: return json_string("2026-12-01");
    case 18: return json_array();
    case 19: return json_object();
    case 20: return json_string("xiaoan.visit/1");
    case 21: return json_string("hazard");
    case 22: return json_pack("{s:i,s:i}", "lat", 1, "lon", 2);
    case 23: return json_integer(900000001);
    case 24: return json_string("2026-11-29T09:31:00");
    default: return json_string(text());
    }
}

/* A value made for the member key: the valid ones and the edge cases of
 * its rule (a severity "advice", a time without offset, seq over the cap,
 * an id in capitals, ...); NULL when there is none for that key. */
static json_t *plausible(const char *key)
{
    char id[XA_ID_HEX];
    xa_random_id(id);
    const char *pick3[4] = {NULL, NULL, NULL, NULL};
    if (!strcmp(key, "severity"))
        return json_string((const char *[]){"general", "major", "advice", "minor"}[rnd(4)]);
    if (!strcmp(key, "result"))
        return json_string((const char *[]){"pass", "hazard", "na", "unchecked", "fail"}[rnd(5)]);
    if (!strcmp(key, "verdict"))
        return json_string((const char *[]){"rectified", "partly", "unable", "done"}[rnd(4)]);
    if (!strcmp(key, "kind"))
        return json_string((const char *[]){"random", "self-check", "routine"}[rnd(3)]);
    if (!strcmp(key, "format"))
        return json_string((const char *[]){XA_VISIT_FORMAT, XA_VISIT_FORMAT_V1,
                                            "xiaoan.visit/3"}[rnd(3)]);
    if (!strcmp(key, "for"))
        return json_string((const char *[]){"visit", "hazard", "followup", "photo"}[rnd(4)]);
    if (!strcmp(key, "type"))
        return json_string((const char *[]){"jpeg", "png", "heic", "pdf", "gif"}[rnd(5)]);
    if (!strcmp(key, "deadline"))
        return rnd(4) == 0 ? json_null()
                           : json_string((const char *[]){"2026-12-01", "2026-02-30",
                                                          "2026-12-1", "20261201"}[rnd(4)]);
    if (!strcmp(key, "found") || !strcmp(key, "checked") || !strcmp(key, "sealed") ||
        !strcmp(key, "added") || !strcmp(key, "created") || !strcmp(key, "arrived") ||
        !strcmp(key, "first_site") || !strcmp(key, "taken")) {
        pick3[0] = "2026-11-29T09:30:00+08:00";
        pick3[1] = "2026-11-29T09:30:00";
        pick3[2] = "2026-11-29 09:30:00+08:00";
        pick3[3] = "2026-11-29T25:30:00Z";
        return rnd(5) == 0 ? json_null() : json_string(pick3[rnd(4)]);
    }
    if (!strcmp(key, "value") || !strcmp(key, "seq") || !strcmp(key, "version") ||
        !strcmp(key, "size") || !strcmp(key, "lat") || !strcmp(key, "lon")) {
        static const json_int_t v[] = {0, 1, 2, -1, INT32_MIN, (json_int_t)INT32_MIN - 1,
                                       XA_VISIT_SEQ_MAX, XA_VISIT_SEQ_MAX + 1, 900000000,
                                       900000001, -900000001, 1800000001, -1800000000};
        return rnd(6) == 0 ? json_null() : json_integer(v[rnd(sizeof v / sizeof *v)]);
    }
    if (!strcmp(key, "id") || !strcmp(key, "hazard") || !strcmp(key, "ref") ||
        !strcmp(key, "corrects") || !strcmp(key, "assignment")) {
        switch (rnd(4)) {
        case 0: return json_null();
        case 1: id[0] = 'A'; return json_string(id);
        case 2: id[31] = '\0'; return json_string(id);
        default: return json_string(id);
        }
    }
    if (!strcmp(key, "hash") || !strcmp(key, "prev"))
        return rnd(4) == 0 ? json_null() : rnd(3) == 0 ? json_string("abc") : hash_value();
    if (!strcmp(key, "name") || !strcmp(key, "code") || !strcmp(key, "form")) {
        char big[260];
        memset(big, 'n', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        return rnd(4) == 0 ? json_string("") : rnd(3) == 0 ? json_string(big)
                                                           : json_string("FB-01");
    }
    if (!strcmp(key, "note") || !strcmp(key, "description") || !strcmp(key, "text") ||
        !strcmp(key, "location") || !strcmp(key, "measures")) {
        /* at and over the 65,536 bytes a string may have */
        size_t n = 65536 + rnd(2);
        char *big = xa_malloc(n + 1);
        memset(big, 'm', n);
        big[n] = '\0';
        json_t *v = json_string(big);
        free(big);
        return v;
    }
    if (!strcmp(key, "fingerprint"))
        return json_string(rnd(2) ? "12345-67890-12345-67890" : inspector->fingerprint);
    if (!strcmp(key, "gps"))
        return rnd(2) ? json_null() : json_pack("{s:i,s:i}", "lat", 1, "lon", 2);
    return NULL;
}

/* A random container inside v (v itself or deeper). */
static json_t *pick(json_t *v)
{
    for (;;) {
        json_t *kids[64];
        size_t n = 0;
        if (json_is_object(v)) {
            const char *k;
            json_t *m;
            json_object_foreach(v, k, m) if ((json_is_object(m) || json_is_array(m)) && n < 64)
                kids[n++] = m;
        } else if (json_is_array(v)) {
            size_t i;
            json_t *m;
            json_array_foreach(v, i, m) if ((json_is_object(m) || json_is_array(m)) && n < 64)
                kids[n++] = m;
        }
        if (!n || rnd(3) == 0)
            return v;
        v = kids[rnd(n)];
    }
}

/* One change to the document: a value replaced, a member dropped or added,
 * an element repeated or dropped. */
static void mutate(json_t *doc)
{
    static const char *const keys[] = {"zz", "interim", "assignment", "value", "id", "seal",
                                       "a", "ref", "gps"};
    json_t *c = pick(doc);
    if (json_is_object(c)) {
        const char *names[64];
        size_t n = 0;
        const char *k;
        json_t *m;
        json_object_foreach(c, k, m) if (n < 64) names[n++] = k;
        size_t r = rnd(3);
        if (r == 0 && n) {
            const char *name = names[rnd(n)];
            json_t *p = rnd(3) ? plausible(name) : NULL;
            json_object_set_new(c, name, p ? p : any_value());
        }
        else if (r == 1 && n)
            json_object_del(c, names[rnd(n)]);
        else
            json_object_set_new(c, keys[rnd(sizeof keys / sizeof *keys)], any_value());
    } else if (json_is_array(c)) {
        size_t n = json_array_size(c), r = rnd(3);
        if (r == 0 && n)
            json_array_append_new(c, json_deep_copy(json_array_get(c, rnd(n))));
        else if (r == 1 && n)
            json_array_remove(c, rnd(n));
        else if (n)
            json_array_set_new(c, rnd(n), any_value());
        else
            json_array_append_new(c, any_value());
    }
}

/* A member of some object of the document and the shape of its place
 * ("hazards[].severity"). */
struct place {
    json_t *obj;
    const char *key;
    char shape[64];
};

/* Every member of v, recursively, with its shape. */
static void places(json_t *v, const char *shape, struct place *out, size_t *n, size_t cap)
{
    const char *k;
    json_t *m;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, k, m)
        {
            if (*n < cap) {
                out[*n].obj = v;
                out[*n].key = k;
                snprintf(out[*n].shape, sizeof out[*n].shape, "%.30s.%.30s", shape, k);
                (*n)++;
            }
            char sub[64];
            snprintf(sub, sizeof sub, "%.30s.%.30s", shape, k);
            places(m, sub, out, n, cap);
        }
    } else if (json_is_array(v)) {
        char sub[64];
        snprintf(sub, sizeof sub, "%.60s[]", shape);
        json_array_foreach(v, i, m) places(m, sub, out, n, cap);
    }
}

/* One change at a place of a shape chosen uniformly among the shapes (so a
 * hazard's severity is changed as often as an answer's note). */
static void mutate_place(json_t *doc)
{
    static struct place p[4096];
    size_t n = 0;
    places(doc, "", p, &n, sizeof p / sizeof *p);
    const char *shapes[256];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < ns && strcmp(shapes[j], p[i].shape))
            j++;
        if (j == ns && ns < 256)
            shapes[ns++] = p[i].shape;
    }
    const char *shape = shapes[rnd(ns)];
    size_t at[4096], na = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i].shape, shape))
            at[na++] = i;
    struct place *q = &p[at[rnd(na)]];
    json_t *v = NULL;
    switch (rnd(10)) {
    case 0: json_object_del(q->obj, q->key); return;
    case 1: json_object_set_new(q->obj, "zz", any_value()); return;
    case 2:
    case 3: v = any_value(); break;
    default: v = plausible(q->key); if (!v) v = any_value();
    }
    json_object_set_new(q->obj, q->key, v);
}

/* Documents changed member by member, signed again. */
static void changed_members(void **state)
{
    (void)state;
    xa_visit_view v;
    memset(&v, 0, sizeof v);
    struct tally t = {0};
    xa_buf line = XA_BUF_INIT;
    for (int k = 0; k < 6000; k++) {
        uint8_t sig[XA_SIG_BYTES];
        json_t *d = gen_sealed(sig);
        for (size_t m = 0, n = 1 + rnd(2); m < n; m++) {
            if (rnd(3))
                mutate_place(d);
            else
                mutate(d);
        }
        line_of(d, &line);
        compare(&v, line.data, line.len, &t);
        json_decref(d);
    }
    print_message("%zu of %zu accepted (scan %zu)\n", t.slow, t.n, t.fast);
    /* both ways taken often enough to mean something */
    assert_true(t.fast > 100);
    assert_true(t.n - t.slow > 1500);
    xa_buf_clear(&line);
    xa_visit_view_free(&v);
}

/* Byte mutations of a document's canonical bytes, signed again. */
static void changed_bytes(void **state)
{
    (void)state;
    static const char alphabet[] = "{}[]\":,\\-0123456789.eEtrufalsn \x80\xc3\xa9\xe5\xad\xa6\x01/"
                                   "abcdefxz";
    xa_visit_view v;
    memset(&v, 0, sizeof v);
    struct tally t = {0};
    xa_buf line = XA_BUF_INIT, canon = XA_BUF_INIT;
    for (int k = 0; k < 200; k++) {
        uint8_t sig[XA_SIG_BYTES];
        json_t *d = gen_sealed(sig);
        xa_err e;
        xa_buf_reset(&canon);
        assert_int_equal(xa_json_canonical(d, &canon, &e), XA_OK);
        char *buf = xa_malloc(canon.len + 8);
        for (int j = 0; j < 100; j++) {
            memcpy(buf, canon.data, canon.len);
            size_t len = canon.len;
            for (uint64_t m = 0, n = 1 + rnd(2); m < n; m++)
                fx_mutate(buf, &len, alphabet, &rng);
            line_of_bytes(buf, len, &line);
            compare(&v, line.data, line.len, &t);
        }
        free(buf);
        json_decref(d);
    }
    assert_true(t.fast > 100); /* some mutations keep a valid record */
    xa_buf_clear(&line);
    xa_buf_clear(&canon);
    xa_visit_view_free(&v);
}

/* Hostile lines: truncated anywhere, nested deep, not an object, a draft,
 * another type, a bad signature text — never read past the end, never
 * accepted when the jansson path refuses. */
static void hostile_lines(void **state)
{
    (void)state;
    xa_visit_view v;
    memset(&v, 0, sizeof v);
    struct tally t = {0};
    uint8_t sig[XA_SIG_BYTES];
    json_t *d = gen_sealed(sig);
    xa_buf line = XA_BUF_INIT;
    line_of(d, &line);
    for (size_t cut = 0; cut < line.len; cut++) {
        char *p = xa_malloc(cut + 1); /* exactly cut bytes readable (ASan) */
        memcpy(p, line.data, cut);
        compare(&v, p, cut, &t);
        free(p);
    }
    assert_int_equal(t.fast, 0);
    static const char *const bad[] = {
        "", "{", "[]", "null", "{\"doc\":null,\"sig\":\"\",\"type\":\"visit\"}",
        "{\"doc\":{},\"sig\":\"AAAA\",\"type\":\"visit\"}",
        "{\"doc\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"
        "\"sig\":\"\",\"type\":\"visit\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        compare(&v, bad[i], strlen(bad[i]), &t);
    /* a draft: the scan leaves it to the jansson path */
    json_object_set_new(d, "seal", json_null());
    line_of(d, &line);
    compare(&v, line.data, line.len, &t);
    assert_int_equal(t.fast, 0);
    xa_buf_clear(&line);
    json_decref(d);
    xa_visit_view_free(&v);
}

/* One answer per (form, code), whatever order the answers come in: in runs
 * of one form (the one-pass check) or not (sorted), repeated inside a run,
 * across runs, after the last run; the scan agrees with the jansson path
 * and refuses every repeat. */
static void answer_pairs(void **state)
{
    (void)state;
    /* F = fire-buildings, D = food; a letter then the code's number */
    static const struct {
        const char *seq;
        int ok;
    } cases[] = {
        {"F1 F2 F3 D1 D2", 1}, {"F1 F2 F2 D1", 0}, {"F1 F2 D1 F1", 0}, {"F1 D1 F2", 1},
        {"F2 F1 D1", 1},       {"F1 D1 D1", 0},    {"D3 F1 F2 D3", 0}, {"F1", 1},
        {"F1 F1", 0},          {"F3 F2 F1 F3", 0}, {"F1 D1 F2 D2 F1", 0}, {"", 1},
    };
    xa_visit_view v;
    memset(&v, 0, sizeof v);
    struct tally t = {0};
    xa_buf line = XA_BUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint8_t sig[XA_SIG_BYTES];
        json_t *d = gen_sealed(sig);
        json_t *as = json_array();
        for (const char *p = cases[i].seq; *p; p += p[2] ? 3 : 2) {
            char code[16];
            snprintf(code, sizeof code, "FB-%02d", p[1] - '0');
            json_array_append_new(as, xa_visit_answer_new(*p == 'F' ? "fire-buildings" : "food",
                                                          code, "pass"));
        }
        json_object_set_new(d, "answers", as);
        line_of(d, &line);
        if (strstr(line.data, "\\u")) { /* the scan leaves \u escapes to jansson */
            json_decref(d);
            i--;
            continue;
        }
        size_t before = t.fast, slow = t.slow;
        compare(&v, line.data, line.len, &t);
        if ((t.slow > slow) != cases[i].ok)
            fail_msg("jansson path: %s should be %s", cases[i].seq,
                     cases[i].ok ? "accepted" : "refused");
        if ((t.fast > before) != cases[i].ok)
            fail_msg("scan: %s should be %s", cases[i].seq, cases[i].ok ? "accepted" : "refused");
        json_decref(d);
    }
    xa_buf_clear(&line);
    xa_visit_view_free(&v);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generated_records),
        cmocka_unit_test(changed_members),
        cmocka_unit_test(changed_bytes),
        cmocka_unit_test(hostile_lines),
        cmocka_unit_test(answer_pairs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
