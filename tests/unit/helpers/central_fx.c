/* central_fx.c — sealed visits for the office's tests (central_fx.h). */
#include "central_fx.h"

#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const xa_err *e)
{
    fprintf(stderr, "fixture: %s: %s\n", what, xa_err_msg(e));
    abort();
}

fx_inspector *fx_inspector_new(const char *name)
{
    fx_inspector *in = xa_calloc(1, sizeof *in);
    xa_err e;
    if (xa_identity_generate(name, &in->id, &e) != XA_OK)
        die("identity", &e);
    return in;
}

void fx_inspector_free(fx_inspector *in)
{
    if (!in)
        return;
    xa_identity_free(in->id);
    free(in);
}

json_t *fx_visit(const fx_inspector *in, const char *code, const char *name, const char *county,
                 const char *kind, const char *arrived)
{
    xa_visit_init init = {0};
    init.school_code = code;
    init.school_name = name;
    init.county = county;
    init.kind = kind;
    init.no_notice = init.no_greeting = init.no_briefing = init.no_escort = 1;
    init.arrived = arrived;
    json_t *doc = NULL;
    xa_err e;
    if (xa_visit_new(in->id, &init, &doc, &e) != XA_OK)
        die("visit", &e);
    return doc;
}

void fx_form(json_t *doc, const char *form, int version, const char *hash)
{
    json_array_append_new(json_object_get(doc, "forms"),
                          json_pack("{s:s, s:i, s:s}", "id", form, "version", version, "hash",
                                    hash));
}

void fx_answer(json_t *doc, const char *form, const char *code, const char *result)
{
    json_array_append_new(json_object_get(doc, "answers"), xa_visit_answer_new(form, code, result));
}

const char *fx_hazard(json_t *doc, const char *form, const char *code, const char *category,
                      const char *severity, const char *description, const char *found,
                      const char *deadline, int rectified_on_site)
{
    json_t *h = xa_visit_hazard_new(form, code, category, severity);
    json_object_set_new(h, "description", json_string(description));
    json_object_set_new(h, "location", json_string("教学楼"));
    json_object_set_new(h, "requirement", json_string("限期整改"));
    json_object_set_new(h, "responsible", json_string("校长"));
    json_object_set_new(h, "found", json_string(found));
    json_object_set_new(h, "deadline", deadline ? json_string(deadline) : json_null());
    json_object_set_new(h, "rectified_on_site", json_boolean(rectified_on_site));
    if (rectified_on_site)
        json_object_set_new(h, "measures", json_string("现场清理"));
    json_array_append_new(json_object_get(doc, "hazards"), h);
    return json_string_value(json_object_get(h, "id"));
}

void fx_followup(json_t *doc, const char *hazard, const char *verdict, const char *checked)
{
    json_t *f = xa_visit_followup_new(hazard, verdict);
    json_object_set_new(f, "checked", json_string(checked));
    json_array_append_new(json_object_get(doc, "followups"), f);
}

json_t *fx_seal(fx_inspector *in, json_t *draft, const char *sealed)
{
    int64_t t;
    int off;
    xa_err e;
    if (xa_time_parse(sealed, &t, &off, &e) != XA_OK)
        die("sealed time", &e);
    json_t *doc = NULL;
    uint8_t sig[XA_SIG_BYTES], hash[XA_HASH_BYTES];
    if (xa_visit_seal(draft, in->id, in->seq + 1, in->seq ? in->prev : NULL, t, &doc, sig, hash,
                      &e) != XA_OK)
        die("seal", &e);
    json_decref(draft);
    in->seq++;
    memcpy(in->prev, hash, sizeof hash);
    json_t *rec = xa_visit_record(doc, sig);
    json_decref(doc); /* the record holds its own reference */
    return rec;
}

const char *fx_record_id(const json_t *record)
{
    return json_string_value(json_object_get(json_object_get(record, "doc"), "id"));
}

void fx_container(const char *path, const char *format, const fx_inspector *in,
                  const uint8_t *office_age_pk, int64_t seq, const char *prev,
                  const char *created, const json_t *records)
{
    xa_err e;
    const uint8_t *rcpt[2] = {office_age_pk, in->id->age_pk};
    xa_container_writer *w = NULL;
    json_t *m = json_pack("{s:s, s:{s:s}, s:I, s:o, s:{s:I}}", "format", format, "sender",
                          "fingerprint", in->id->fingerprint, "seq", (json_int_t)seq, "prev",
                          prev ? json_string(prev) : json_null(), "counts", "visit",
                          (json_int_t)json_array_size(records));
    if (created)
        json_object_set_new(m, "created", json_string(created));
    if (xa_container_create_ex(path, rcpt, 2, XA_CONTAINER_REPLACE, &w, &e) != XA_OK ||
        xa_container_manifest(w, m, in->id->sign_pk, &e) != XA_OK)
        die("container", &e);
    for (size_t i = 0; i < json_array_size(records); i++)
        if (xa_container_add(w, json_array_get(records, i), &e) != XA_OK)
            die("container record", &e);
    if (xa_container_finish(w, in->id->sec->sign_sk, &e) != XA_OK)
        die("container finish", &e);
    xa_container_writer_free(w);
    json_decref(m);
}

void fx_file_hash(const char *path, char *out)
{
    xa_err e;
    if (xa_container_file_hash(path, out, &e) != XA_OK)
        die("file hash", &e);
}

xa_code fx_enroll(xa_cstore *s, const xa_identity *id, xa_err *err)
{
    xa_buf t = XA_BUF_INIT;
    xa_code c = xa_identity_text(id, &t, err);
    if (c == XA_OK)
        c = xa_office_enroll(s, t.data, t.len, NULL, err);
    xa_buf_clear(&t);
    return c;
}

xa_code fx_office_create(const char *path, const char *pass, const xa_roster *roster,
                         const xa_form_set *forms, xa_cstore **s, xa_identity **office,
                         xa_err *err)
{
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    xa_code c = xa_office_create(path, "丽水市教育局", pass, &kdf, s, office, err);
    if (c == XA_OK && (c = xa_office_import_roster(*s, roster, "roster", NULL, err)) == XA_OK)
        c = xa_office_import_forms(*s, forms, "forms", NULL, NULL, err);
    return c;
}
