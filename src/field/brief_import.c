/* brief_import.c — `xiaoan brief import`: verify a brief with the container
 * reader (decrypted with the inspector's key, trailer signed by the office),
 * bind the office's age key to its signing key through the fingerprint,
 * check the pin, and replace the field store's brief in one transaction. */
#include "xiaoan/field.h"

#include "xiaoan/age.h"
#include "xiaoan/container.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct import_ctx {
    const xa_identity *pinned; /* NULL before the first import */
    const char *expect;        /* --expect-fingerprint, normalised, or NULL */
    uint8_t sign_pk[XA_SIGN_PK_BYTES];
    char reason[256];
};

static int office_ok(const uint8_t sign_pk[XA_CONTAINER_SIGN_PK_BYTES], const char *fingerprint,
                     const char *created, void *vctx)
{
    (void)created;
    struct import_ctx *c = vctx;
    memcpy(c->sign_pk, sign_pk, XA_SIGN_PK_BYTES);
    if (c->expect && (!fingerprint || strcmp(fingerprint, c->expect) != 0)) {
        snprintf(c->reason, sizeof c->reason,
                 "signed by office %.40s, not the expected %.40s", fingerprint ? fingerprint : "?",
                 c->expect);
        return 0;
    }
    if (c->pinned && (memcmp(sign_pk, c->pinned->sign_pk, XA_SIGN_PK_BYTES) != 0 ||
                      !fingerprint || strcmp(fingerprint, c->pinned->fingerprint) != 0)) {
        snprintf(c->reason, sizeof c->reason,
                 "signed by another office key (%.40s), not the pinned %.40s",
                 fingerprint ? fingerprint : "?", c->pinned->fingerprint);
        return 0;
    }
    return 1;
}

/* The office identity the settings record describes, checked against the
 * key that signed the trailer and the manifest's fingerprint. */
static xa_code office_of(const json_t *records, const json_t *manifest, const uint8_t *sign_pk,
                         const xa_identity *me, xa_identity **out, xa_err *err)
{
    const json_t *set = json_array_get(records, 0);
    const char *type = json_string_value(json_object_get(set, "type"));
    if (!type || strcmp(type, "settings") != 0)
        return xa_fail(err, XA_EFORMAT, "the brief does not start with its settings record");
    const json_t *o = json_object_get(set, "office");
    const char *name = json_string_value(json_object_get(o, "name"));
    const char *fp = json_string_value(json_object_get(o, "fingerprint"));
    const char *sign = json_string_value(json_object_get(o, "sign"));
    const char *age = json_string_value(json_object_get(o, "age"));
    if (!name || !fp || !sign || !age)
        return xa_fail(err, XA_EFORMAT, "the brief's settings lack the office's name, fingerprint,"
                                        " sign or age key");
    uint8_t spk[XA_SIGN_PK_BYTES], apk[XA_AGE_PK_BYTES];
    xa_code c;
    if ((c = xa_b64_decode_exact(sign, spk, sizeof spk, err)) != XA_OK ||
        (c = xa_age_recipient_parse(age, apk, err)) != XA_OK)
        return xa_err_prefixed(c, err, "the brief's office key");
    if (memcmp(spk, sign_pk, XA_SIGN_PK_BYTES) != 0)
        return xa_fail(err, XA_ESIG, "the brief names another office key than the one that"
                                     " signed it");
    xa_identity *id = NULL;
    if ((c = xa_identity_from_public(name, spk, apk, &id, err)) != XA_OK)
        return xa_err_prefixed(c, err, "the brief's office");
    const char *mfp =
        json_string_value(json_object_get(json_object_get(manifest, "sender"), "fingerprint"));
    if (strcmp(id->fingerprint, fp) != 0 || !mfp || strcmp(id->fingerprint, mfp) != 0) {
        c = xa_fail(err, XA_ESIG, "the office fingerprint %s does not match its keys (%s)",
                    mfp ? mfp : fp, id->fingerprint);
        xa_identity_free(id);
        return c;
    }
    const char *ifp = json_string_value(
        json_object_get(json_object_get(set, "inspector"), "fingerprint"));
    if (!ifp || strcmp(ifp, me->fingerprint) != 0) {
        c = xa_fail(err, XA_ESTATE, "this brief is for inspector %s, not for you (%s)",
                    ifp ? ifp : "?", me->fingerprint);
        xa_identity_free(id);
        return c;
    }
    *out = id;
    return XA_OK;
}

xa_code xa_brief_import(xa_fstore *s, const char *path, const char *expect,
                        struct xa_brief_import_result *r, xa_err *err)
{
    memset(r, 0, sizeof *r);
    char want[XA_FP_MAX];
    xa_code c;
    if (expect && (c = xa_fingerprint_normalize(expect, want, err)) != XA_OK)
        return c;
    xa_identity *pinned = NULL, *office = NULL;
    c = xa_fstore_office(s, &pinned, err);
    if (c == XA_ENOTFOUND) {
        xa_err_clear(err);
        pinned = NULL;
    } else if (c != XA_OK) {
        return c;
    }
    const xa_identity *me = xa_fstore_identity(s);
    xa_age_identity *aid = NULL;
    json_t *manifest = NULL, *records = NULL;
    if ((c = xa_age_identity_from_secret(me->sec->age_sk, &aid, err)) != XA_OK)
        goto done;
    struct import_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.pinned = pinned;
    ctx.expect = expect ? want : NULL;
    const xa_age_identity *ids[1] = {aid};
    xa_err e;
    c = xa_container_read(path, ids, 1, XA_BRIEF_FORMAT, NULL, office_ok, &ctx, &manifest,
                          &records, &e);
    if (c == XA_AGE_NOMATCH) {
        xa_fail(err, c, "this brief is not for you (it is not encrypted to your key): ask the "
                        "office for the brief written for your fingerprint (xiaoan id)");
        goto done;
    }
    if (c != XA_OK) {
        xa_fail(err, c, "%s", c == XA_ESENDER && ctx.reason[0] ? ctx.reason : xa_err_msg(&e));
        goto done;
    }
    if ((c = office_of(records, manifest, ctx.sign_pk, me, &office, err)) != XA_OK)
        goto done;
    xa_brief_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.seq = (int64_t)json_integer_value(json_object_get(manifest, "seq"));
    snprintf(meta.created, sizeof meta.created, "%s",
             json_string_value(json_object_get(manifest, "created")));
    if ((c = xa_container_file_hash(path, meta.hash, err)) != XA_OK)
        goto done;
    int pinned_now = 0;
    if ((c = xa_fstore_brief_put(s, office, &meta, records, &pinned_now, err)) != XA_OK)
        goto done;
    /* The schools as the picker reads them, made once here (a failure
     * leaves the picker to read the records and make the table itself). */
    (void)xa_brief_table_make(s, NULL);
    r->pinned_now = pinned_now;
    r->seq = meta.seq;
    snprintf(r->office_name, sizeof r->office_name, "%s", office->name);
    memcpy(r->office_fp, office->fingerprint, XA_FP_MAX);
    /* count what arrived; acknowledge the receipts' visits */
    size_t i;
    json_t *rec;
    json_array_foreach(records, i, rec)
    {
        const char *type = json_string_value(json_object_get(rec, "type"));
        if (!strcmp(type, "school"))
            r->schools++;
        else if (!strcmp(type, "form"))
            r->forms++;
        else if (!strcmp(type, "hazard"))
            r->hazards++;
        else if (!strcmp(type, "assignment"))
            r->assignments++;
        else if (!strcmp(type, "receipt")) {
            r->receipts++;
            json_t *v = json_object_get(rec, "visits");
            size_t n = json_array_size(v);
            if (!n)
                continue;
            const char **idv = xa_calloc(n, sizeof *idv);
            for (size_t j = 0; j < n; j++)
                idv[j] = json_string_value(json_array_get(v, j));
            size_t changed = 0;
            xa_err ae;
            /* the brief is in; an acknowledgement failing is only reported */
            if (xa_fstore_mark_acknowledged(s, idv, n, &changed, &ae) == XA_OK)
                r->acknowledged += changed;
            free(idv);
        }
    }
    c = XA_OK;
done:
    xa_age_identity_free(aid);
    json_decref(manifest);
    json_decref(records);
    xa_identity_free(pinned);
    xa_identity_free(office);
    return c;
}
