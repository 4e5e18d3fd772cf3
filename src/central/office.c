/* office.c — the office identity (created, wrapped under the office
 * passphrase and kept in the central store), enrolment and revocation of
 * inspectors, importing the school roster and the forms, and changing the
 * office's settings. */
#include "xiaoan/age.h"
#include "xiaoan/central.h"
#include "xiaoan/cstore_assign.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/json.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The office row of an identity and its wrapped secrets. */
static xa_code office_row(const xa_identity *id, const json_t *wrapped, struct xa_office *o,
                          xa_err *err)
{
    xa_buf w = XA_BUF_INIT;
    xa_code c = xa_json_canonical(wrapped, &w, err);
    if (c != XA_OK)
        return c;
    char rec[XA_AGE_RECIPIENT_MAX];
    xa_age_recipient_encode(id->age_pk, rec);
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    o->name = xa_strdup(id->name);
    o->fingerprint = xa_strdup(id->fingerprint);
    o->sign_key = xa_b64_encode(id->sign_pk, XA_SIGN_PK_BYTES);
    o->age_recipient = xa_strdup(rec);
    o->wrapped = xa_buf_steal(&w);
    o->created = xa_strdup(now);
    return XA_OK;
}

xa_code xa_office_create(const char *path, const char *name, const char *pass,
                         const xa_kdf_params *kdf, xa_cstore **store, xa_identity **office,
                         xa_err *err)
{
    xa_identity *id = NULL;
    json_t *wrapped = NULL;
    xa_cstore *s = NULL;
    struct xa_office o = {0};
    xa_code c = xa_identity_name_check(name, err);
    if (c != XA_OK)
        return xa_err_prefixed(c, err, "office name");
    if ((c = xa_identity_generate(name, &id, err)) != XA_OK ||
        (c = xa_identity_wrap(id, pass, kdf, &wrapped, err)) != XA_OK ||
        (c = office_row(id, wrapped, &o, err)) != XA_OK)
        goto fail;
    if ((c = xa_cstore_create(path, &s, err)) != XA_OK)
        goto fail;
    char *summary = xa_asprintf("office %s %s", id->name, id->fingerprint);
    if ((c = xa_cstore_begin(s, err)) == XA_OK)
        c = xa_cstore_end(s, xa_cstore_office_put(s, &o, err), "central init", summary, err);
    free(summary);
    if (c != XA_OK) {
        xa_cstore_close(s);
        s = NULL;
        unlink(path);
        goto fail;
    }
    if (store)
        *store = s;
    else
        xa_cstore_close(s);
    if (office)
        *office = id;
    else
        xa_identity_free(id);
    json_decref(wrapped);
    xa_office_clear(&o);
    return XA_OK;
fail:
    xa_identity_free(id);
    json_decref(wrapped);
    xa_office_clear(&o);
    return c;
}

/* The wrapped object of the store's office identity. */
static xa_code wrapped_of(xa_cstore *s, json_t **out, xa_err *err)
{
    struct xa_office o;
    xa_code c = xa_cstore_office_get(s, &o, err);
    if (c != XA_OK)
        return c;
    c = xa_json_parse(o.wrapped, strlen(o.wrapped), XA_JSON_MAX_DEPTH, out, err);
    xa_office_clear(&o);
    if (c != XA_OK)
        return xa_err_prefixed(c, err, "the office identity in the store");
    return XA_OK;
}

xa_code xa_office_unlock(xa_cstore *s, const char *pass, xa_identity **out, xa_err *err)
{
    json_t *w = NULL;
    xa_code c = wrapped_of(s, &w, err);
    if (c != XA_OK)
        return c;
    c = xa_identity_unwrap(w, pass, out, err);
    json_decref(w);
    /* the office key has no second copy unless someone kept `central export-identity`'s
     * output: say so rather than promise a recovery */
    if (c == XA_EPASS)
        c = xa_fail(err, XA_EPASS,
                    "wrong office passphrase: check it and try again; a forgotten one cannot "
                    "be recovered (the office key is locked with it)");
    return c;
}

xa_code xa_office_public(xa_cstore *s, xa_identity **out, xa_err *err)
{
    json_t *w = NULL;
    xa_code c = wrapped_of(s, &w, err);
    if (c != XA_OK)
        return c;
    c = xa_identity_wrapped_public(w, out, err);
    json_decref(w);
    return c;
}

xa_code xa_office_enroll(xa_cstore *s, const char *text, size_t len, xa_identity **out,
                         xa_err *err)
{
    return xa_office_enroll_county(s, text, len, NULL, out, err);
}

xa_code xa_office_enroll_county(xa_cstore *s, const char *text, size_t len, const char *county,
                                xa_identity **out, xa_err *err)
{
    xa_identity *id = NULL, *office = NULL;
    xa_code c = xa_identity_parse_text(text, len, &id, err);
    if (c != XA_OK)
        return c;
    if ((c = xa_office_public(s, &office, err)) != XA_OK)
        goto done;
    if (!strcmp(office->fingerprint, id->fingerprint) ||
        !memcmp(office->sign_pk, id->sign_pk, XA_SIGN_PK_BYTES)) {
        c = xa_fail(err, XA_ESTATE, "that is the office's own identity, not an inspector's");
        goto done;
    }
    char rec[XA_AGE_RECIPIENT_MAX], now[XA_RFC3339_MAX];
    xa_age_recipient_encode(id->age_pk, rec);
    int64_t t = xa_now();
    xa_time_format(t, XA_CST_OFFSET, now);
    struct xa_inspector row = {0};
    row.fingerprint = id->fingerprint;
    row.name = id->name;
    char *sign_key = xa_b64_encode(id->sign_pk, XA_SIGN_PK_BYTES);
    row.sign_key = sign_key;
    row.age_recipient = rec;
    row.enrolled = now;
    row.enrolled_at = t;
    char *summary = xa_asprintf("enrolled %s %s%s%s", id->name, id->fingerprint,
                                county ? " of " : "", county ? county : "");
    if ((c = xa_cstore_begin(s, err)) == XA_OK) {
        if ((c = xa_cstore_inspector_add(s, &row, err)) == XA_OK && county)
            c = xa_cstore_inspector_county_set(s, row.fingerprint, county, err);
        c = xa_cstore_end(s, c, "central enroll", summary, err);
    }
    if (c == XA_EEXIST)
        c = xa_fail(err, XA_EEXIST, "inspector %s (or their signing key) is enrolled already",
                    id->fingerprint);
    free(summary);
    free(sign_key);
done:
    xa_identity_free(office);
    if (c == XA_OK && out)
        *out = id;
    else
        xa_identity_free(id);
    return c;
}

xa_code xa_office_revoke(xa_cstore *s, const char *fingerprint, char fp[XA_FP_MAX],
                         int64_t *bundle_seq, int64_t *visit_seq, xa_err *err)
{
    char norm[XA_FP_MAX];
    xa_code c = xa_fingerprint_normalize(fingerprint, norm, err);
    if (c != XA_OK)
        return c;
    char *summary = xa_asprintf("revoked %s", norm);
    if ((c = xa_cstore_begin(s, err)) == XA_OK)
        c = xa_cstore_end(s, xa_cstore_inspector_revoke(s, norm, xa_now(), err), "central revoke",
                          summary, err);
    free(summary);
    if (c == XA_OK && fp)
        memcpy(fp, norm, XA_FP_MAX);
    struct xa_inspector i;
    if (c == XA_OK && (bundle_seq || visit_seq) &&
        (c = xa_cstore_inspector_get(s, norm, &i, err)) == XA_OK) {
        if (bundle_seq)
            *bundle_seq = i.revoked_bundle_seq;
        if (visit_seq)
            *visit_seq = i.revoked_visit_seq;
        xa_inspector_clear(&i);
    }
    return c;
}

xa_code xa_office_revoke_allow(xa_cstore *s, const char *fingerprint, const char *path,
                               char hash[65], xa_err *err)
{
    char norm[XA_FP_MAX];
    xa_code c = xa_fingerprint_normalize(fingerprint, norm, err);
    if (c != XA_OK)
        return c;
    if ((c = xa_container_file_hash(path, hash, err)) != XA_OK)
        return xa_err_prefixed(c, err, "%s", path);
    if ((c = xa_cstore_begin(s, err)) != XA_OK)
        return c;
    struct xa_inspector i;
    c = xa_cstore_inspector_get(s, norm, &i, err);
    if (c == XA_OK) {
        if (!i.revoked)
            c = xa_fail(err, XA_ESTATE, "inspector %s is not revoked: nothing to allow", norm);
        xa_inspector_clear(&i);
    }
    const char *slash = strrchr(path, '/');
    char *file = xa_safe_dup(slash ? slash + 1 : path);
    if (c == XA_OK)
        c = xa_cstore_revoke_allow(s, norm, hash, file, err);
    char *summary = xa_asprintf("allowed %s (%.16s) from revoked %s", file, hash, norm);
    c = xa_cstore_end(s, c, "central revoke", summary, err);
    free(summary);
    free(file);
    return c;
}

/* End an import's transaction (c: how the rows went): when something changed (summary
 * non-NULL, freed here) resolve the anomalies it may settle and write the audit line, then
 * commit and hand back the counts k, or roll back. */
static xa_code import_end(xa_cstore *s, xa_code c, const char *command, char *summary,
                          const struct xa_import_counts *k, struct xa_import_counts *n,
                          xa_err *err)
{
    if (c == XA_OK && summary)
        c = xa_cstore_anomalies_resolve(s, err);
    c = xa_cstore_end(s, c, command, summary, err);
    free(summary);
    if (c == XA_OK && n)
        *n = *k;
    return c;
}

xa_code xa_office_setting_check(const char *key, const char *value, xa_err *err)
{
    const xa_setting *set = xa_setting_find(key);
    if (!set) {
        xa_buf known = XA_BUF_INIT;
        xa_setting_keys(&known);
        xa_fail(err, XA_EUSAGE, "unknown setting '%s' (known: %s)", key, known.data);
        xa_buf_clear(&known);
        return XA_EUSAGE;
    }
    return value ? xa_setting_check(set, value, err) : XA_OK;
}

xa_code xa_office_setting_set(xa_cstore *s, const char *key, const char *value, xa_err *err)
{
    xa_code c = xa_office_setting_check(key, value, err);
    if (c != XA_OK || (c = xa_cstore_begin(s, err)) != XA_OK)
        return c;
    char *summary = xa_asprintf("%s = %s", key, value);
    c = xa_cstore_end(s, xa_cstore_setting_set(s, key, value, err), "central settings", summary,
                      err);
    free(summary);
    return c;
}

xa_code xa_office_import_roster(xa_cstore *s, const xa_roster *r, const char *source,
                                struct xa_import_counts *n, xa_err *err)
{
    struct xa_import_counts k = {0, 0, 0};
    xa_code c = xa_cstore_begin(s, err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < r->n && c == XA_OK; i++) {
        const xa_school *sc = &r->schools[i];
        struct xa_cschool row = {0};
        row.code = sc->code;
        row.name = sc->name;
        row.county = sc->county;
        row.type = xa_school_type_key(sc->type);
        row.boarding = sc->boarding;
        row.canteen = sc->canteen;
        row.lab = sc->lab;
        row.bus = sc->bus;
        row.students = sc->students;
        row.address = sc->address;
        row.pinyin = sc->pinyin;
        row.school_id = sc->school_id;
        row.private_ = sc->private_;
        row.kindergarten_class = sc->kindergarten_class;
        row.boarders = sc->boarders;
        row.tier = xa_tier_key(sc->tier);
        int changed = 0;
        if ((c = xa_cstore_school_put(s, &row, &changed, err)) == XA_OK) {
            if (changed == 1)
                k.added++;
            else if (changed == 2)
                k.updated++;
            else
                k.same++;
        }
    }
    char *summary = c == XA_OK && (k.added || k.updated)
                        ? xa_asprintf("%s: %zu new, %zu updated, %zu unchanged", source,
                                      k.added, k.updated, k.same)
                        : NULL;
    return import_end(s, c, "central schools import", summary, &k, n, err);
}

xa_code xa_office_import_forms(xa_cstore *s, const xa_form_set *set, const char *source,
                               int *status, struct xa_import_counts *n, xa_err *err)
{
    struct xa_import_counts k = {0, 0, 0};
    xa_code c = xa_cstore_begin(s, err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < set->n && c == XA_OK; i++) {
        const xa_form *f = set->forms[i];
        json_t *j = xa_form_to_json(f);
        xa_buf doc = XA_BUF_INIT;
        if ((c = xa_json_canonical(j, &doc, err)) == XA_OK) {
            struct xa_cform row = {0};
            row.id = f->id;
            row.version = f->version;
            row.hash = f->hash_hex;
            row.title = f->title;
            row.category = xa_category_key(f->category);
            row.items = (int64_t)f->nitems;
            row.major = (int64_t)f->nmajor;
            row.doc = doc.data;
            int added = 0;
            c = xa_cstore_form_put(s, &row, &added, err);
            if (c == XA_OK) {
                if (status)
                    status[i] = added;
                if (added)
                    k.added++;
                else
                    k.same++;
            }
        }
        xa_buf_clear(&doc);
        json_decref(j);
    }
    char *summary = c == XA_OK && k.added ? xa_asprintf("%s: %zu new form versions, %zu unchanged",
                                                        source, k.added, k.same)
                                          : NULL;
    return import_end(s, c, "central forms import", summary, &k, n, err);
}

xa_code xa_office_age_secret(const xa_identity *office, char out[80], xa_err *err)
{
    if (!office->sec)
        return xa_fail(err, XA_ESTATE, "the office identity is locked");
    xa_age_identity *a = NULL;
    xa_code c = xa_age_identity_from_secret(office->sec->age_sk, &a, err);
    if (c != XA_OK)
        return c;
    char tmp[XA_AGE_IDENTITY_MAX];
    xa_age_identity_encode(a, tmp);
    xa_age_identity_free(a);
    snprintf(out, 80, "%s", tmp);
    sodium_memzero(tmp, sizeof tmp);
    return XA_OK;
}

/* ---- settings ---------------------------------------------------------------------- */

/* A whole-number setting, its default from the settings table. */
xa_code xa_office_setting_int(xa_cstore *s, xa_setting_id id, int64_t *out, xa_err *err)
{
    if ((unsigned)id >= XA_SET_N || xa_settings[id].type != XA_SETTING_INT)
        return xa_fail(err, XA_EUSAGE, "not a whole-number setting");
    return xa_cstore_setting_int(s, xa_settings[id].key, xa_setting_default_int(id), out, err);
}

/* Any setting as text, its default from the settings table. */
xa_code xa_office_setting_text(xa_cstore *s, xa_setting_id id, char **out, xa_err *err)
{
    if ((unsigned)id >= XA_SET_N)
        return xa_fail(err, XA_EUSAGE, "unknown setting");
    xa_err e;
    xa_code c = xa_cstore_setting_get(s, xa_settings[id].key, out, &e);
    if (c == XA_ENOTFOUND) {
        *out = xa_strdup(xa_settings[id].def);
        return XA_OK;
    }
    if (c != XA_OK && err)
        *err = e;
    return c;
}

/* Order of two (key, value) pairs by key. */
static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((char *const *)a)[0], ((char *const *)b)[0]);
}

/* The table's settings with their values, plus whatever else the store has. */
xa_code xa_office_settings(xa_cstore *s, char ***keys, char ***values, size_t *n, xa_err *err)
{
    char **k = NULL, **v = NULL;
    size_t m = 0;
    xa_code c = xa_cstore_settings(s, &k, &v, &m, err);
    if (c != XA_OK)
        return c;
    char **pairs = xa_calloc((m + XA_SET_N) * 2, sizeof *pairs);
    size_t np = 0;
    for (size_t i = 0; i < m; i++) {
        pairs[2 * np] = k[i];
        pairs[2 * np + 1] = v[i];
        np++;
    }
    free(k);
    free(v);
    for (int i = 0; i < XA_SET_N; i++) {
        size_t j = 0;
        while (j < m && strcmp(pairs[2 * j], xa_settings[i].key))
            j++;
        if (j == m) {
            pairs[2 * np] = xa_strdup(xa_settings[i].key);
            pairs[2 * np + 1] = xa_strdup(xa_settings[i].def);
            np++;
        }
    }
    qsort(pairs, np, 2 * sizeof *pairs, cmp_pair);
    *keys = xa_calloc(np ? np : 1, sizeof **keys);
    *values = xa_calloc(np ? np : 1, sizeof **values);
    for (size_t i = 0; i < np; i++) {
        (*keys)[i] = pairs[2 * i];
        (*values)[i] = pairs[2 * i + 1];
    }
    free(pairs);
    *n = np;
    return XA_OK;
}
