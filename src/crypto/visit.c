/* visit.c — owns the visit document xiaoan.visit/2 (and reading /1): building a draft, the
 * strict validator (every field, every type, unknown fields refused, errors
 * naming the field path), canonical bytes and BLAKE2b-256 hash, sealing
 * (seq, prev, signature) and verification of sealed records for the
 * office — also straight from a record's canonical line, without a tree
 * (xa_visit_view_scan: the merge's way; the jansson path stays the
 * reference and the fallback).  No storage and no printing here. */
#include "xiaoan/visit.h"

#include "xiaoan/clock.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/vocab.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 65536 /* bytes in any one string of a visit */
#define PATH_MAX_ 160

/* Index of s in a NULL-terminated list, or -1. */
static int list_index(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return i;
    return -1;
}

/* ---- validation ---- */

/* A failure at path.key. */
static xa_code bad(xa_err *err, const char *path, const char *key, const char *what)
{
    if (key)
        return xa_fail(err, XA_EFORMAT, "%s.%s: %s", path, key, what);
    return xa_fail(err, XA_EFORMAT, "%s: %s", path, what);
}

/* obj must be an object with no keys outside `keys` and all of them present. */
static xa_code check_keys_opt(const json_t *obj, const char *path, const char *const *keys,
                              const char *const *optional, xa_err *err)
{
    if (!json_is_object(obj))
        return bad(err, path, NULL, "not an object");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        if (list_index(keys, k) < 0 && (!optional || list_index(optional, k) < 0)) {
            char what[96];
            snprintf(what, sizeof what, "unknown field '%.40s'", k);
            return bad(err, path, NULL, what);
        }
    }
    for (int i = 0; keys[i]; i++)
        if (!json_object_get(obj, keys[i]))
            return bad(err, path, keys[i], "missing");
    return XA_OK;
}

/* check_keys without optional members. */
static xa_code check_keys(const json_t *obj, const char *path, const char *const *keys,
                          xa_err *err)
{
    return check_keys_opt(obj, path, keys, NULL, err);
}

enum { NULLABLE = 1, NONEMPTY = 2 };

/* A string member (NULLABLE: null allowed; NONEMPTY: "" refused). */
static xa_code f_str(const json_t *obj, const char *path, const char *key, int flags,
                     const char **out, xa_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (out)
        *out = NULL;
    if (json_is_null(v) && (flags & NULLABLE))
        return XA_OK;
    if (!json_is_string(v))
        return bad(err, path, key, flags & NULLABLE ? "not a string or null" : "not a string");
    size_t len = json_string_length(v);
    if (len > TEXT_MAX)
        return bad(err, path, key, "longer than 65536 bytes");
    if (strlen(json_string_value(v)) != len)
        return bad(err, path, key, "contains a NUL character");
    if ((flags & NONEMPTY) && len == 0)
        return bad(err, path, key, "empty");
    if (out)
        *out = json_string_value(v);
    return XA_OK;
}

/* An RFC 3339 time member. */
static xa_code f_time(const json_t *obj, const char *path, const char *key, int flags,
                      xa_err *err)
{
    const char *s;
    xa_code c = f_str(obj, path, key, flags, &s, err);
    if (c != XA_OK || !s)
        return c;
    int64_t t;
    int off;
    if (xa_time_parse(s, &t, &off, NULL) != XA_OK)
        return bad(err, path, key, "not an RFC 3339 time");
    return XA_OK;
}

/* A YYYY-MM-DD member. */
static xa_code f_date(const json_t *obj, const char *path, const char *key, int flags,
                      xa_err *err)
{
    const char *s;
    xa_code c = f_str(obj, path, key, flags, &s, err);
    if (c != XA_OK || !s)
        return c;
    int64_t d;
    if (xa_date_parse(s, &d, NULL) != XA_OK)
        return bad(err, path, key, "not a date");
    return XA_OK;
}

/* A boolean member. */
static xa_code f_bool(const json_t *obj, const char *path, const char *key, xa_err *err)
{
    if (!json_is_boolean(json_object_get(obj, key)))
        return bad(err, path, key, "not true or false");
    return XA_OK;
}

/* An integer member >= min (NULLABLE allowed). */
static xa_code f_int(const json_t *obj, const char *path, const char *key, json_int_t min,
                     int flags, xa_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_null(v) && (flags & NULLABLE))
        return XA_OK;
    if (!json_is_integer(v))
        return bad(err, path, key, flags & NULLABLE ? "not an integer or null" : "not an integer");
    if (json_integer_value(v) < min) {
        char what[64];
        snprintf(what, sizeof what, "less than %lld", (long long)min);
        return bad(err, path, key, what);
    }
    return XA_OK;
}

/* A member from one of the vocabularies (vocab.h). */
static xa_code f_enum(const json_t *obj, const char *path, const char *key, const xa_vocab *v,
                      const char **out, xa_err *err)
{
    const char *s;
    xa_code c = f_str(obj, path, key, 0, &s, err);
    if (c != XA_OK)
        return c;
    if (xa_vocab_id(v, s) < 0) {
        char what[96];
        snprintf(what, sizeof what, "unknown value '%.40s'", s);
        return bad(err, path, key, what);
    }
    if (out)
        *out = s;
    return XA_OK;
}

/* A 32-hex id member. */
static xa_code f_id(const json_t *obj, const char *path, const char *key, int flags,
                    const char **out, xa_err *err)
{
    const char *s;
    xa_code c = f_str(obj, path, key, flags, &s, err);
    if (c != XA_OK)
        return c;
    if (s && !xa_id_valid(s))
        return bad(err, path, key, "not an id (32 lowercase hex digits)");
    if (out)
        *out = s;
    return XA_OK;
}

/* Is s exactly 64 lowercase hex digits? */
static int hex64(const char *s)
{
    if (strlen(s) != 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

/* A 64-hex hash member. */
static xa_code f_hash(const json_t *obj, const char *path, const char *key, int flags,
                      xa_err *err)
{
    const char *s;
    xa_code c = f_str(obj, path, key, flags, &s, err);
    if (c != XA_OK)
        return c;
    if (s && !hex64(s))
        return bad(err, path, key, "not a hash (64 lowercase hex digits)");
    return XA_OK;
}

/* An array member; *out gets it. */
static xa_code f_arr(const json_t *obj, const char *path, const char *key, json_t **out,
                     xa_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_array(v))
        return bad(err, path, key, "not an array");
    *out = v;
    return XA_OK;
}

/* visit.inspector */
static xa_code v_inspector(const json_t *o, xa_err *err)
{
    static const char *const keys[] = {"name", "fingerprint", NULL};
    const char *p = "visit.inspector", *s;
    xa_code c;
    if ((c = check_keys(o, p, keys, err)) || (c = f_str(o, p, "name", NONEMPTY, &s, err)))
        return c;
    if (xa_identity_name_check(s, NULL) != XA_OK)
        return bad(err, p, "name", "not a valid name");
    if ((c = f_str(o, p, "fingerprint", 0, &s, err)))
        return c;
    char fp[XA_FP_MAX];
    if (xa_fingerprint_normalize(s, fp, NULL) != XA_OK || strcmp(fp, s))
        return bad(err, p, "fingerprint", "not a fingerprint (12345-67890-12345-67890)");
    return XA_OK;
}

/* visit.school */
static xa_code v_school(const json_t *o, xa_err *err)
{
    static const char *const keys[] = {"code", "name", "county", NULL};
    const char *p = "visit.school";
    xa_code c;
    if ((c = check_keys(o, p, keys, err)) || (c = f_str(o, p, "code", NONEMPTY, NULL, err)) ||
        (c = f_str(o, p, "name", NONEMPTY, NULL, err)) ||
        (c = f_str(o, p, "county", 0, NULL, err)))
        return c;
    return XA_OK;
}

/* visit.team */
static xa_code v_team(const json_t *a, xa_err *err)
{
    size_t i;
    json_t *m;
    json_array_foreach(a, i, m)
    {
        char p[PATH_MAX_];
        snprintf(p, sizeof p, "visit.team[%zu]", i);
        if (!json_is_string(m))
            return bad(err, p, NULL, "not a string");
        if (json_string_length(m) == 0 || json_string_length(m) > XA_NAME_MAX)
            return bad(err, p, NULL, "not a valid name");
    }
    return XA_OK;
}

/* visit.attest */
static xa_code v_attest(const json_t *o, xa_err *err)
{
    static const char *const keys[] = {"no_notice", "no_greeting", "no_briefing", "no_escort",
                                       NULL};
    const char *p = "visit.attest";
    xa_code c = check_keys(o, p, keys, err);
    for (int i = 0; c == XA_OK && keys[i]; i++)
        c = f_bool(o, p, keys[i], err);
    return c;
}

/* visit.times */
static xa_code v_times(const json_t *o, xa_err *err)
{
    static const char *const keys[] = {"created", "arrived", "first_site", NULL};
    const char *p = "visit.times";
    xa_code c;
    if ((c = check_keys(o, p, keys, err)) || (c = f_time(o, p, "created", 0, err)) ||
        (c = f_time(o, p, "arrived", 0, err)) || (c = f_time(o, p, "first_site", NULLABLE, err)))
        return c;
    return XA_OK;
}

/* visit.forms[] */
static xa_code v_forms(const json_t *a, xa_err *err)
{
    static const char *const keys[] = {"id", "version", "hash", NULL};
    size_t i;
    json_t *m;
    json_array_foreach(a, i, m)
    {
        char p[PATH_MAX_];
        snprintf(p, sizeof p, "visit.forms[%zu]", i);
        xa_code c;
        if ((c = check_keys(m, p, keys, err)) || (c = f_str(m, p, "id", NONEMPTY, NULL, err)) ||
            (c = f_int(m, p, "version", 1, 0, err)) || (c = f_hash(m, p, "hash", 0, err)))
            return c;
    }
    return XA_OK;
}

/* An answer's (form, code) and its index, sorted to find repeats. */
struct answer_key {
    const char *form, *code;
    size_t i;
};

static int answer_key_cmp(const void *a, const void *b)
{
    const struct answer_key *x = a, *y = b;
    int c = strcmp(x->form, y->form);
    if (!c)
        c = strcmp(x->code, y->code);
    if (!c)
        c = (x->i > y->i) - (x->i < y->i);
    return c;
}

/* visit.answers[]: also one answer per (form, code).  Repeats are found by
 * sorting (a visit of a 1,000-item form is validated at every save), and
 * reported as a scan in array order would: the first answer that repeats an
 * earlier one, unless an answer before it has a bad member. */
/* One answer object at path p: every member present and of its type. */
static xa_code v_answer(const json_t *m, const char *p, const char **form, const char **code,
                        xa_err *err)
{
    static const char *const keys[] = {"form", "code", "result", "value", "text",
                                       "note", "location", NULL};
    xa_code c;
    if ((c = check_keys(m, p, keys, err)) || (c = f_str(m, p, "form", NONEMPTY, form, err)) ||
        (c = f_str(m, p, "code", NONEMPTY, code, err)) ||
        (c = f_enum(m, p, "result", &xa_vocab_results, NULL, err)) ||
        (c = f_int(m, p, "value", INT32_MIN, NULLABLE, err)) ||
        (c = f_str(m, p, "text", NULLABLE, NULL, err)) ||
        (c = f_str(m, p, "note", 0, NULL, err)) ||
        (c = f_str(m, p, "location", 0, NULL, err)))
        return c;
    return XA_OK;
}

static xa_code v_answers(const json_t *a, xa_err *err)
{
    size_t i, nok = 0, n = json_array_size(a);
    json_t *m;
    struct answer_key *v = n ? xa_malloc(n * sizeof *v) : NULL;
    xa_code c = XA_OK;
    json_array_foreach(a, i, m)
    {
        const char *form, *code;
        if (v_answer(m, "visit.answers", &form, &code, NULL) != XA_OK) {
            /* the path is printed only for the message: checked again with it */
            char p[PATH_MAX_];
            snprintf(p, sizeof p, "visit.answers[%zu]", i);
            c = v_answer(m, p, &form, &code, err);
            break;
        }
        v[nok++] = (struct answer_key){form, code, i};
    }
    if (nok > 1)
        qsort(v, nok, sizeof *v, answer_key_cmp);
    /* in each run of equal keys the second is its first repeat */
    size_t rep = SIZE_MAX, first = 0;
    for (size_t k = 1; k < nok; k++) {
        if (strcmp(v[k].form, v[k - 1].form) || strcmp(v[k].code, v[k - 1].code))
            continue;
        if (k < 2 || strcmp(v[k - 2].form, v[k].form) || strcmp(v[k - 2].code, v[k].code)) {
            if (v[k].i < rep) {
                rep = v[k].i;
                first = k - 1;
            }
        }
    }
    if (rep != SIZE_MAX) {
        char p[PATH_MAX_], what[160];
        snprintf(p, sizeof p, "visit.answers[%zu]", rep);
        snprintf(what, sizeof what, "a second answer for %.40s %.40s (first at [%zu])",
                 v[first].form, v[first].code, v[first].i);
        c = bad(err, p, NULL, what);
    }
    free(v);
    return c;
}

/* visit.hazards[]: ids unique. */
static xa_code v_hazards(const json_t *a, xa_err *err)
{
    static const char *const keys[] = {"id",          "form",     "code",        "category",
                                       "severity",    "description", "location", "requirement",
                                       "deadline",    "responsible", "measures",
                                       "rectified_on_site", "notes", "found",    NULL};
    /* optional: 临时管控措施 of a major hazard (added with the loop, issue 12) */
    static const char *const optional[] = {"interim", NULL};
    size_t i;
    json_t *m;
    json_array_foreach(a, i, m)
    {
        char p[PATH_MAX_];
        snprintf(p, sizeof p, "visit.hazards[%zu]", i);
        const char *id;
        xa_code c;
        if ((c = check_keys_opt(m, p, keys, optional, err)) ||
            (c = f_id(m, p, "id", 0, &id, err)) ||
            (json_object_get(m, "interim") && (c = f_str(m, p, "interim", 0, NULL, err))) ||
            (c = f_str(m, p, "form", NULLABLE, NULL, err)) ||
            (c = f_str(m, p, "code", NULLABLE, NULL, err)) ||
            (c = f_str(m, p, "category", 0, NULL, err)) ||
            (c = f_enum(m, p, "severity", &xa_vocab_severities, NULL, err)) ||
            (c = f_str(m, p, "description", 0, NULL, err)) ||
            (c = f_str(m, p, "location", 0, NULL, err)) ||
            (c = f_str(m, p, "requirement", 0, NULL, err)) ||
            (c = f_date(m, p, "deadline", NULLABLE, err)) ||
            (c = f_str(m, p, "responsible", 0, NULL, err)) ||
            (c = f_str(m, p, "measures", 0, NULL, err)) ||
            (c = f_bool(m, p, "rectified_on_site", err)) ||
            (c = f_str(m, p, "notes", 0, NULL, err)) || (c = f_time(m, p, "found", 0, err)))
            return c;
        /* 建议项 (advice) grades an item, never a hazard. */
        if (xa_severity_of(json_string_value(json_object_get(m, "severity"))) == XA_SEV_ADVICE)
            return bad(err, p, "severity", "a hazard is general or major (advice is for items)");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(a, j), "id")), id))
                return bad(err, p, "id", "the same id as an earlier hazard");
    }
    return XA_OK;
}

/* visit.followups[] */
static xa_code v_followups(const json_t *a, xa_err *err)
{
    static const char *const keys[] = {"hazard", "verdict", "note", "checked", NULL};
    size_t i;
    json_t *m;
    json_array_foreach(a, i, m)
    {
        char p[PATH_MAX_];
        snprintf(p, sizeof p, "visit.followups[%zu]", i);
        xa_code c;
        if ((c = check_keys(m, p, keys, err)) || (c = f_id(m, p, "hazard", 0, NULL, err)) ||
            (c = f_enum(m, p, "verdict", &xa_vocab_verdicts, NULL, err)) ||
            (c = f_str(m, p, "note", 0, NULL, err)) || (c = f_time(m, p, "checked", 0, err)))
            return c;
    }
    return XA_OK;
}

/* Is s an RFC 3339 time, or "YYYY-MM-DDTHH:MM:SS" (taken at +08:00)? */
static int taken_ok(const char *s)
{
    int64_t t;
    int off;
    if (xa_time_parse(s, &t, &off, NULL) == XA_OK)
        return 1;
    char buf[40];
    return strlen(s) == 19 && snprintf(buf, sizeof buf, "%s+08:00", s) > 0 &&
           xa_time_parse(buf, &t, &off, NULL) == XA_OK;
}

/* "YYYY-MM-DDTHH:MM:SS", a camera's local time without an offset
 * (EXIF DateTimeOriginal), or an RFC 3339 time when the camera wrote one. */
static xa_code f_taken(const json_t *obj, const char *path, const char *key, xa_err *err)
{
    const char *s;
    xa_code c = f_str(obj, path, key, NULLABLE, &s, err);
    if (c != XA_OK || !s || taken_ok(s))
        return c;
    return bad(err, path, key, "not a time (YYYY-MM-DDTHH:MM:SS)");
}

/* gps: null or {"lat", "lon"} in units of 10^-7 degree (no floats in records). */
static xa_code f_gps(const json_t *obj, const char *path, const char *key, xa_err *err)
{
    static const char *const keys[] = {"lat", "lon", NULL};
    json_t *g = json_object_get(obj, key);
    if (json_is_null(g))
        return XA_OK;
    char p[PATH_MAX_ + 8];
    snprintf(p, sizeof p, "%.150s.%.8s", path, key);
    xa_code c;
    if ((c = check_keys(g, p, keys, err)) || (c = f_int(g, p, "lat", -900000000, 0, err)) ||
        (c = f_int(g, p, "lon", -1800000000, 0, err)))
        return c;
    if (json_integer_value(json_object_get(g, "lat")) > 900000000 ||
        json_integer_value(json_object_get(g, "lon")) > 1800000000)
        return bad(err, p, NULL, "outside -90..90 / -180..180 degrees");
    return XA_OK;
}

/* visit.attachments[]: {id, for, ref, name, type, size, hash, taken, gps, added}. */
static xa_code v_attachments(const json_t *doc, const json_t *a, xa_err *err)
{
    static const char *const keys[] = {"id",   "for",  "ref",   "name", "type", "size",
                                       "hash", "taken", "gps", "added", NULL};
    static const char *const fors[] = {"visit", "hazard", "followup", NULL};
    static const char *const types[] = {"jpeg", "png", "heic", "pdf", NULL};
    size_t i;
    json_t *m;
    json_array_foreach(a, i, m)
    {
        char p[PATH_MAX_];
        snprintf(p, sizeof p, "visit.attachments[%zu]", i);
        const char *id, *f, *ref, *type;
        xa_code c;
        if ((c = check_keys(m, p, keys, err)) || (c = f_id(m, p, "id", 0, &id, err)) ||
            (c = f_str(m, p, "for", 0, &f, err)) || (c = f_id(m, p, "ref", NULLABLE, &ref, err)) ||
            (c = f_str(m, p, "name", NONEMPTY, NULL, err)) ||
            (c = f_str(m, p, "type", 0, &type, err)) || (c = f_int(m, p, "size", 1, 0, err)) ||
            (c = f_hash(m, p, "hash", 0, err)) || (c = f_taken(m, p, "taken", err)) ||
            (c = f_gps(m, p, "gps", err)) || (c = f_time(m, p, "added", 0, err)))
            return c;
        if (list_index(fors, f) < 0)
            return bad(err, p, "for", "not visit, hazard or followup");
        if (list_index(types, type) < 0)
            return bad(err, p, "type", "not jpeg, png, heic or pdf");
        if ((ref != NULL) != (strcmp(f, "visit") != 0))
            return bad(err, p, "ref", strcmp(f, "visit") ? "missing" : "must be null for the visit");
        if (ref) {
            /* The hazard or follow-up it belongs to is in this visit. */
            const char *arr = strcmp(f, "hazard") ? "followups" : "hazards";
            const char *k = strcmp(f, "hazard") ? "hazard" : "id";
            size_t j;
            json_t *h;
            int found = 0;
            json_array_foreach(json_object_get(doc, arr), j, h)
            {
                const char *hid = json_string_value(json_object_get(h, k));
                if (hid && !strcmp(hid, ref))
                    found = 1;
            }
            if (!found)
                return bad(err, p, "ref", "names no hazard or follow-up of this visit");
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(a, j), "id")), id))
                return bad(err, p, "id", "the same id as an earlier attachment");
    }
    return XA_OK;
}

/* visit.seal: null, or {seq >= 1, prev (null iff seq 1), sealed}. */
static xa_code v_seal(const json_t *o, xa_err *err)
{
    static const char *const keys[] = {"seq", "prev", "sealed", NULL};
    const char *p = "visit.seal";
    if (json_is_null(o))
        return XA_OK;
    xa_code c;
    if ((c = check_keys(o, p, keys, err)) || (c = f_int(o, p, "seq", 1, 0, err)) ||
        (c = f_hash(o, p, "prev", NULLABLE, err)) || (c = f_time(o, p, "sealed", 0, err)))
        return c;
    if (json_integer_value(json_object_get(o, "seq")) > XA_VISIT_SEQ_MAX)
        return bad(err, p, "seq", "over the limit");
    int first = json_integer_value(json_object_get(o, "seq")) == 1;
    int has_prev = !json_is_null(json_object_get(o, "prev"));
    if (first && has_prev)
        return bad(err, p, "prev", "must be null for seq 1");
    if (!first && !has_prev)
        return bad(err, p, "prev", "missing for seq > 1");
    return XA_OK;
}

/* Validate a whole document. */
xa_code xa_visit_validate(const json_t *doc, xa_err *err)
{
    static const char *const keys[] = {"format",  "id",        "inspector",   "school",
                                       "kind",    "team",      "attest",      "times",
                                       "forms",   "answers",   "hazards",     "followups",
                                       "attachments", "corrects", "seal",     NULL};
    /* "assignment" is optional: present only in a visit started from an
     * assignment of the brief, so documents sealed before it existed keep
     * their bytes. */
    static const char *const keys_asg[] = {"format",  "id",        "inspector",   "school",
                                           "kind",    "team",      "attest",      "times",
                                           "forms",   "answers",   "hazards",     "followups",
                                           "attachments", "corrects", "seal", "assignment",
                                           NULL};
    const char *p = "visit", *s;
    json_t *a = NULL;
    xa_code c;
    if (!json_is_object(doc))
        return xa_fail(err, XA_EFORMAT, "visit: not a JSON object");
    if (xa_json_has_real(doc))
        return xa_fail(err, XA_EFORMAT, "visit: contains a real number (integers only)");
    int has_asg = json_object_get(doc, "assignment") != NULL;
    if ((c = check_keys(doc, p, has_asg ? keys_asg : keys, err)) ||
        (c = f_str(doc, p, "format", 0, &s, err)))
        return c;
    if (strcmp(s, XA_VISIT_FORMAT) && strcmp(s, XA_VISIT_FORMAT_V1))
        return bad(err, p, "format", "not xiaoan.visit/2 (or /1)");
    if ((c = f_id(doc, p, "id", 0, NULL, err)) ||
        (c = v_inspector(json_object_get(doc, "inspector"), err)) ||
        (c = v_school(json_object_get(doc, "school"), err)) ||
        (c = f_enum(doc, p, "kind", &xa_vocab_kinds, NULL, err)) ||
        (c = f_arr(doc, p, "team", &a, err)) || (c = v_team(a, err)) ||
        (c = v_attest(json_object_get(doc, "attest"), err)) ||
        (c = v_times(json_object_get(doc, "times"), err)) ||
        (c = f_arr(doc, p, "forms", &a, err)) || (c = v_forms(a, err)) ||
        (c = f_arr(doc, p, "answers", &a, err)) || (c = v_answers(a, err)) ||
        (c = f_arr(doc, p, "hazards", &a, err)) || (c = v_hazards(a, err)) ||
        (c = f_arr(doc, p, "followups", &a, err)) || (c = v_followups(a, err)) ||
        (c = f_arr(doc, p, "attachments", &a, err)) || (c = v_attachments(doc, a, err)) ||
        (c = f_id(doc, p, "corrects", NULLABLE, NULL, err)) ||
        (has_asg && (c = f_id(doc, p, "assignment", 0, NULL, err))) ||
        (c = v_seal(json_object_get(doc, "seal"), err)))
        return c;
    return XA_OK;
}

/* ---- a draft's change records (the field store's journal) ---- */

/* A change record: {"answers":[answer…], "times":{…}}, at most one answer
 * per (form, code). */
xa_code xa_visit_change_check(const json_t *change, xa_err *err)
{
    static const char *const keys[] = {"answers", "times", NULL};
    const char *p = "change";
    json_t *a = NULL;
    xa_code c;
    if (!json_is_object(change))
        return xa_fail(err, XA_EFORMAT, "change: not a JSON object");
    if (xa_json_has_real(change))
        return xa_fail(err, XA_EFORMAT, "change: contains a real number (integers only)");
    if ((c = check_keys(change, p, keys, err)) || (c = f_arr(change, p, "answers", &a, err)) ||
        (c = v_answers(a, err)) || (c = v_times(json_object_get(change, "times"), err)))
        return c;
    return XA_OK;
}

/* Apply a checked change record to a draft: each answer replaces the one
 * of its (form, code) where it stands, or is appended after the others in
 * the record's order (as the editor appended it); times replace times. */
xa_code xa_visit_change_apply(json_t *doc, const json_t *change, xa_err *err)
{
    xa_code c = xa_visit_change_check(change, err);
    if (c != XA_OK)
        return c;
    json_t *answers = json_object_get(doc, "answers");
    if (!json_is_array(answers) || xa_visit_is_sealed(doc))
        return xa_fail(err, XA_EFORMAT, "change: not applied to a draft visit");
    size_t i, k;
    json_t *m, *d;
    json_array_foreach(json_object_get(change, "answers"), i, m)
    {
        const char *form = json_string_value(json_object_get(m, "form"));
        const char *code = json_string_value(json_object_get(m, "code"));
        int done = 0;
        json_array_foreach(answers, k, d)
        {
            const char *df = json_string_value(json_object_get(d, "form"));
            const char *dc = json_string_value(json_object_get(d, "code"));
            if (df && dc && !strcmp(df, form) && !strcmp(dc, code)) {
                json_array_set(answers, k, m);
                done = 1;
                break;
            }
        }
        if (!done)
            json_array_append(answers, m);
    }
    json_object_set(doc, "times", json_object_get(change, "times"));
    return XA_OK;
}

/* Is the document sealed? */
int xa_visit_is_sealed(const json_t *doc)
{
    return json_is_object(json_object_get(doc, "seal"));
}

/* ---- building ---- */

/* The current time as RFC 3339 at +08:00. */
static void now_text(char out[XA_RFC3339_MAX])
{
    xa_time_format(xa_now(), XA_CST_OFFSET, out);
}

/* A new draft. */
xa_code xa_visit_new(const xa_identity *inspector, const xa_visit_init *init, json_t **out,
                     xa_err *err)
{
    char id[XA_ID_HEX], now[XA_RFC3339_MAX];
    xa_random_id(id);
    now_text(now);
    json_t *d = json_object();
    json_object_set_new(d, "format", json_string(XA_VISIT_FORMAT));
    json_object_set_new(d, "id", json_string(id));
    json_object_set_new(d, "inspector", json_pack("{s:s, s:s}", "name", inspector->name,
                                                  "fingerprint", inspector->fingerprint));
    json_t *school = json_object();
    json_object_set_new(school, "code", json_string(init->school_code ? init->school_code : ""));
    json_object_set_new(school, "name", json_string(init->school_name ? init->school_name : ""));
    json_object_set_new(school, "county", json_string(init->county ? init->county : ""));
    json_object_set_new(d, "school", school);
    json_object_set_new(d, "kind", json_string(init->kind ? init->kind : ""));
    json_t *team = json_array();
    for (size_t i = 0; i < init->nteam; i++)
        json_array_append_new(team, json_string(init->team[i] ? init->team[i] : ""));
    json_object_set_new(d, "team", team);
    json_object_set_new(d, "attest",
                        json_pack("{s:b, s:b, s:b, s:b}", "no_notice", init->no_notice,
                                  "no_greeting", init->no_greeting, "no_briefing",
                                  init->no_briefing, "no_escort", init->no_escort));
    json_object_set_new(d, "times",
                        json_pack("{s:s, s:s, s:n}", "created", now, "arrived",
                                  init->arrived ? init->arrived : now, "first_site"));
    json_object_set_new(d, "forms", json_array());
    json_object_set_new(d, "answers", json_array());
    json_object_set_new(d, "hazards", json_array());
    json_object_set_new(d, "followups", json_array());
    json_object_set_new(d, "attachments", json_array());
    json_object_set_new(d, "corrects", init->corrects ? json_string(init->corrects) : json_null());
    if (init->assignment)
        json_object_set_new(d, "assignment", json_string(init->assignment));
    json_object_set_new(d, "seal", json_null());
    /* json_string returns NULL on invalid UTF-8; json_object_set_new then
     * drops the member and validation names it as missing. */
    xa_code c = xa_visit_validate(d, err);
    if (c != XA_OK) {
        json_decref(d);
        return c;
    }
    *out = d;
    return XA_OK;
}

/* A new hazard object with every field present. */
json_t *xa_visit_hazard_new(const char *form, const char *code, const char *category,
                            const char *severity)
{
    char id[XA_ID_HEX], now[XA_RFC3339_MAX];
    xa_random_id(id);
    now_text(now);
    json_t *h = json_object();
    json_object_set_new(h, "id", json_string(id));
    json_object_set_new(h, "form", form ? json_string(form) : json_null());
    json_object_set_new(h, "code", code ? json_string(code) : json_null());
    json_object_set_new(h, "category", json_string(category ? category : ""));
    json_object_set_new(h, "severity", json_string(severity ? severity : "general"));
    static const char *const empty[] = {"description", "location", "requirement", "responsible",
                                        "measures",    "notes"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
        json_object_set_new(h, empty[i], json_string(""));
    json_object_set_new(h, "deadline", json_null());
    json_object_set_new(h, "rectified_on_site", json_false());
    json_object_set_new(h, "found", json_string(now));
    return h;
}

/* A new answer object. */
json_t *xa_visit_answer_new(const char *form, const char *code, const char *result)
{
    return json_pack("{s:s, s:s, s:s, s:n, s:n, s:s, s:s}", "form", form ? form : "", "code",
                     code ? code : "", "result", result ? result : "unchecked", "value", "text",
                     "note", "", "location", "");
}

/* A new follow-up object. */
json_t *xa_visit_followup_new(const char *hazard_id, const char *verdict)
{
    char now[XA_RFC3339_MAX];
    now_text(now);
    return json_pack("{s:s, s:s, s:s, s:s}", "hazard", hazard_id ? hazard_id : "", "verdict",
                     verdict ? verdict : "unable", "note", "", "checked", now);
}

/* Number of hazards. */
size_t xa_visit_hazard_count(const json_t *doc)
{
    json_t *a = json_object_get(doc, "hazards");
    return json_is_array(a) ? json_array_size(a) : 0;
}

/* ---- canonical bytes, sealing, verification ---- */

/* Canonical bytes of a valid document. */
xa_code xa_visit_canonical(const json_t *doc, xa_buf *out, xa_err *err)
{
    xa_code c = xa_visit_validate(doc, err);
    if (c != XA_OK)
        return c;
    return xa_json_canonical(doc, out, err);
}

/* BLAKE2b-256 of the canonical bytes. */
xa_code xa_visit_hash(const json_t *doc, uint8_t out[XA_HASH_BYTES], xa_err *err)
{
    xa_buf b = XA_BUF_INIT;
    xa_code c = xa_visit_canonical(doc, &b, err);
    if (c == XA_OK)
        xa_hash256(b.data, b.len, out);
    xa_buf_wipe(&b);
    return c;
}

/* The bytes a visit's signature covers: for version 2 the context label, a
 * zero byte and the canonical bytes; for version 1 the canonical bytes. */
static void signed_bytes(const json_t *doc, const xa_buf *canon, xa_buf *out)
{
    const char *f = json_string_value(json_object_get(doc, "format"));
    if (f && !strcmp(f, XA_VISIT_FORMAT)) {
        xa_buf_add(out, XA_SIGCTX_VISIT, strlen(XA_SIGCTX_VISIT));
        xa_buf_putc(out, '\0');
    }
    xa_buf_add(out, canon->data, canon->len);
}

/* Seal a draft into a new signed document. */
xa_code xa_visit_seal(const json_t *draft, const xa_identity *inspector, int64_t seq,
                      const uint8_t *prev, int64_t sealed_at, json_t **sealed,
                      uint8_t sig[XA_SIG_BYTES], uint8_t hash[XA_HASH_BYTES], xa_err *err)
{
    xa_code c = xa_visit_validate(draft, err);
    if (c != XA_OK)
        return c;
    if (xa_visit_is_sealed(draft))
        return xa_fail(err, XA_ESTATE, "visit is already sealed");
    if (!inspector->sec)
        return xa_fail(err, XA_ESTATE, "sealing needs the unlocked identity");
    if (seq > XA_VISIT_SEQ_MAX)
        return xa_fail(err, XA_ELIMIT, "seal: seq %lld is over the limit of %lld", (long long)seq,
                       XA_VISIT_SEQ_MAX);
    if (seq < 1 || (seq == 1) != (prev == NULL))
        return xa_fail(err, XA_EUSAGE, "seal: seq %lld does not fit prev", (long long)seq);
    const char *fp = json_string_value(
        json_object_get(json_object_get(draft, "inspector"), "fingerprint"));
    if (strcmp(fp, inspector->fingerprint))
        return xa_fail(err, XA_ESTATE, "visit.inspector.fingerprint is not the sealing key's");
    char when[XA_RFC3339_MAX], prev_hex[XA_HASH_HEX];
    xa_time_format(sealed_at, XA_CST_OFFSET, when);
    json_t *d = json_deep_copy(draft);
    json_t *seal = json_object();
    json_object_set_new(seal, "seq", json_integer((json_int_t)seq));
    if (prev) {
        xa_hex_encode(prev, XA_HASH_BYTES, prev_hex);
        json_object_set_new(seal, "prev", json_string(prev_hex));
    } else {
        json_object_set_new(seal, "prev", json_null());
    }
    json_object_set_new(seal, "sealed", json_string(when));
    json_object_set_new(d, "seal", seal);
    json_object_set_new(d, "format", json_string(XA_VISIT_FORMAT)); /* a /1 draft seals as /2 */
    xa_buf b = XA_BUF_INIT, m = XA_BUF_INIT;
    if ((c = xa_visit_canonical(d, &b, err)) == XA_OK) {
        signed_bytes(d, &b, &m);
        c = xa_identity_sign(inspector, m.data, m.len, sig, err);
    }
    if (c != XA_OK) {
        xa_buf_wipe(&b);
        xa_buf_wipe(&m);
        json_decref(d);
        return c;
    }
    xa_hash256(b.data, b.len, hash);
    xa_buf_wipe(&b);
    xa_buf_wipe(&m);
    *sealed = d;
    return XA_OK;
}

/* The bundle record of a sealed document. */
json_t *xa_visit_record(json_t *sealed_doc, const uint8_t sig[XA_SIG_BYTES])
{
    char *s = xa_b64_encode(sig, XA_SIG_BYTES);
    json_t *r = json_pack("{s:s, s:O, s:s}", "type", "visit", "doc", sealed_doc, "sig", s);
    free(s);
    return r;
}

/* The record line from canonical bytes (no parse, no re-serialisation). */
void xa_visit_record_line(const char *canon, size_t len, const uint8_t sig[XA_SIG_BYTES],
                          xa_buf *out)
{
    char *b64 = xa_b64_encode(sig, XA_SIG_BYTES); /* the encoding xa_visit_record uses */
    static const char head[] = "{\"doc\":", mid[] = ",\"sig\":\"", tail[] = "\",\"type\":\"visit\"}";
    xa_buf_add(out, head, sizeof head - 1);
    xa_buf_add(out, canon, len);
    xa_buf_add(out, mid, sizeof mid - 1);
    xa_buf_add(out, b64, strlen(b64));
    xa_buf_add(out, tail, sizeof tail - 1);
    free(b64);
}

/* Copy a string member into a fixed buffer (validated beforehand). */
static void copy_str(char *dst, size_t cap, const json_t *v)
{
    snprintf(dst, cap, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* Verify a validated sealed doc whose canonical bytes are canon. */
static xa_code verify_canon(const json_t *doc, const xa_buf *canon,
                            const uint8_t sig[XA_SIG_BYTES],
                            const uint8_t sign_pk[XA_SIGN_PK_BYTES], xa_visit_verified *out,
                            xa_err *err)
{
    if (!xa_visit_is_sealed(doc))
        return xa_fail(err, XA_ESTATE, "visit is not sealed");
    xa_buf m = XA_BUF_INIT;
    signed_bytes(doc, canon, &m);
    xa_code c = xa_sign_verify(sign_pk, m.data, m.len, sig, err);
    xa_buf_wipe(&m);
    if (c != XA_OK)
        return xa_fail(err, XA_ESIG, "visit %s: bad signature",
                       json_string_value(json_object_get(doc, "id")));
    if (out) {
        memset(out, 0, sizeof *out);
        uint8_t h[XA_HASH_BYTES];
        xa_hash256(canon->data, canon->len, h);
        xa_hex_encode(h, sizeof h, out->hash);
        json_t *seal = json_object_get(doc, "seal");
        copy_str(out->id, sizeof out->id, json_object_get(doc, "id"));
        out->seq = (int64_t)json_integer_value(json_object_get(seal, "seq"));
        json_t *prev = json_object_get(seal, "prev");
        out->has_prev = json_is_string(prev);
        copy_str(out->prev, sizeof out->prev, prev);
        copy_str(out->fingerprint, sizeof out->fingerprint,
                 json_object_get(json_object_get(doc, "inspector"), "fingerprint"));
        copy_str(out->sealed, sizeof out->sealed, json_object_get(seal, "sealed"));
    }
    return XA_OK;
}

/* Verify a sealed doc against its signature. */
xa_code xa_visit_verify_doc(const json_t *doc, const uint8_t sig[XA_SIG_BYTES],
                            const uint8_t sign_pk[XA_SIGN_PK_BYTES], xa_visit_verified *out,
                            xa_err *err)
{
    xa_buf b = XA_BUF_INIT;
    xa_code c = xa_visit_canonical(doc, &b, err);
    if (c == XA_OK)
        c = verify_canon(doc, &b, sig, sign_pk, out, err);
    xa_buf_wipe(&b);
    return c;
}

/* Verify a bundle record {"type":"visit","doc","sig"}. */
xa_code xa_visit_verify_record(const json_t *record, const uint8_t sign_pk[XA_SIGN_PK_BYTES],
                               xa_visit_verified *out, xa_err *err)
{
    static const char *const keys[] = {"type", "doc", "sig", NULL};
    const char *s;
    xa_code c;
    if ((c = check_keys(record, "record", keys, err)) ||
        (c = f_str(record, "record", "type", 0, &s, err)))
        return c;
    if (strcmp(s, "visit"))
        return bad(err, "record", "type", "not a visit");
    if ((c = f_str(record, "record", "sig", 0, &s, err)))
        return c;
    uint8_t sig[XA_SIG_BYTES];
    if (xa_b64_decode_exact(s, sig, sizeof sig, NULL) != XA_OK)
        return bad(err, "record", "sig", "not a base64 Ed25519 signature");
    return xa_visit_verify_doc(json_object_get(record, "doc"), sig, sign_pk, out, err);
}

/* Verify a bundle record with its canonical line: the document's bytes are
 * the line between {"doc": and ,"sig":"SIG","type":"visit"} (canonical keys
 * sort doc < sig < type and a member's bytes are its own canonical form). */
xa_code xa_visit_verify_record_line(const json_t *record, const char *line, size_t len,
                                    const uint8_t sign_pk[XA_SIGN_PK_BYTES],
                                    xa_visit_verified *out, xa_err *err)
{
    static const char head[] = "{\"doc\":", mid[] = ",\"sig\":\"", tail[] = "\",\"type\":\"visit\"}";
    const char *sig_s = json_string_value(json_object_get(record, "sig"));
    const json_t *doc = json_object_get(record, "doc");
    size_t hl = sizeof head - 1, ml = sizeof mid - 1, tl = sizeof tail - 1;
    size_t sl = sig_s ? strlen(sig_s) : 0;
    if (!line || !sig_s || json_object_size(record) != 3 || !json_is_object(doc) ||
        len < hl + ml + sl + tl + 2 || memcmp(line, head, hl) != 0 ||
        memcmp(line + len - tl, tail, tl) != 0 ||
        memcmp(line + len - tl - sl, sig_s, sl) != 0 ||
        memcmp(line + len - tl - sl - ml, mid, ml) != 0)
        return xa_visit_verify_record(record, sign_pk, out, err); /* not that shape */
    uint8_t sig[XA_SIG_BYTES];
    if (xa_b64_decode_exact(sig_s, sig, sizeof sig, NULL) != XA_OK)
        return bad(err, "record", "sig", "not a base64 Ed25519 signature");
    xa_code c = xa_visit_validate(doc, err);
    if (c != XA_OK)
        return c;
    xa_buf canon = {(char *)line + hl, len - hl - ml - sl - tl, 0}; /* lent, not freed */
    return verify_canon(doc, &canon, sig, sign_pk, out, err);
}

/* ---- a verified record's fields without a tree (issue 17) ---- */

/* Room for element n of an array whose capacity is *cap. */
static void *vv_room(void *arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return arr;
    *cap = *cap ? 2 * *cap : 16;
    return xa_reallocarray(arr, *cap, size);
}

/* The member key: a string as f_str accepts it (NULLABLE: null gives NULL). */
static int vs_str(xa_jcur *c, const char *key, int flags, const char **out)
{
    size_t n;
    *out = NULL;
    if (!xa_jcur_key(c, key))
        return 0;
    if ((flags & NULLABLE) && xa_jcur_null(c))
        return 1;
    /* no NUL can be in it: the scanner refuses control bytes and \u escapes */
    return xa_jcur_str(c, out, &n) && n <= TEXT_MAX && (!(flags & NONEMPTY) || n > 0);
}

/* ... an RFC 3339 time (f_time). */
static int vs_time(xa_jcur *c, const char *key, int flags, const char **out)
{
    int64_t t;
    int off;
    return vs_str(c, key, flags, out) && (!*out || xa_time_parse(*out, &t, &off, NULL) == XA_OK);
}

/* ... an id (f_id). */
static int vs_id(xa_jcur *c, const char *key, int flags, const char **out)
{
    return vs_str(c, key, flags, out) && (!*out || xa_id_valid(*out));
}

/* ... a hash (f_hash). */
static int vs_hash(xa_jcur *c, const char *key, int flags, const char **out)
{
    return vs_str(c, key, flags, out) && (!*out || hex64(*out));
}

/* ... a word of a vocabulary (f_enum). */
static int vs_enum(xa_jcur *c, const char *key, const xa_vocab *voc, const char **out)
{
    return vs_str(c, key, 0, out) && xa_vocab_id(voc, *out) >= 0;
}

/* ... an integer >= min, or null when NULLABLE (f_int). */
static int vs_int(xa_jcur *c, const char *key, int64_t min, int flags, int *has, int64_t *out)
{
    *has = 0;
    *out = 0;
    if (!xa_jcur_key(c, key))
        return 0;
    if ((flags & NULLABLE) && xa_jcur_null(c))
        return 1;
    *has = 1;
    return xa_jcur_int(c, out) && *out >= min;
}

/* ... a boolean (f_bool). */
static int vs_bool(xa_jcur *c, const char *key, int *out)
{
    return xa_jcur_key(c, key) && xa_jcur_bool(c, out);
}

/* The member key: an array whose elements one(c, v) reads. */
static int vs_arr(xa_jcur *c, const char *key, xa_visit_view *v,
                  int (*one)(xa_jcur *c, xa_visit_view *v))
{
    if (!xa_jcur_key(c, key) || !xa_jcur_arr(c))
        return 0;
    int more;
    while ((more = xa_jcur_next(c)) == 1)
        if (!one(c, v))
            return 0;
    return more == 0;
}

/* One element of visit.team (v_team). */
static int vs_team(xa_jcur *c, xa_visit_view *v)
{
    v->team = vv_room(v->team, v->nteam, &v->cap[0], sizeof *v->team);
    size_t n;
    const char **t = &v->team[v->nteam++];
    return xa_jcur_str(c, t, &n) && n > 0 && n <= XA_NAME_MAX;
}

/* One element of visit.forms (v_forms). */
static int vs_form(xa_jcur *c, xa_visit_view *v)
{
    v->forms = vv_room(v->forms, v->nforms, &v->cap[1], sizeof *v->forms);
    xa_vview_form *f = &v->forms[v->nforms++];
    int has;
    return xa_jcur_obj(c) && vs_hash(c, "hash", 0, &f->hash) && vs_str(c, "id", NONEMPTY, &f->id) &&
           vs_int(c, "version", 1, 0, &has, &f->version) && xa_jcur_obj_end(c);
}

/* One element of visit.answers (v_answer). */
static int vs_answer(xa_jcur *c, xa_visit_view *v)
{
    v->answers = vv_room(v->answers, v->nanswers, &v->cap[2], sizeof *v->answers);
    xa_vview_answer *a = &v->answers[v->nanswers++];
    return xa_jcur_obj(c) && vs_str(c, "code", NONEMPTY, &a->code) &&
           vs_str(c, "form", NONEMPTY, &a->form) && vs_str(c, "location", 0, &a->location) &&
           vs_str(c, "note", 0, &a->note) && vs_enum(c, "result", &xa_vocab_results, &a->result) &&
           vs_str(c, "text", NULLABLE, &a->text) &&
           vs_int(c, "value", INT32_MIN, NULLABLE, &a->has_value, &a->value) &&
           xa_jcur_obj_end(c);
}

/* One element of visit.hazards (v_hazards, but for the id repeat). */
static int vs_hazard(xa_jcur *c, xa_visit_view *v)
{
    v->hazards = vv_room(v->hazards, v->nhazards, &v->cap[3], sizeof *v->hazards);
    xa_vview_hazard *h = &v->hazards[v->nhazards++];
    int64_t d;
    h->interim = NULL;
    if (!xa_jcur_obj(c) || !vs_str(c, "category", 0, &h->category) ||
        !vs_str(c, "code", NULLABLE, &h->code) || !vs_str(c, "deadline", NULLABLE, &h->deadline) ||
        (h->deadline && xa_date_parse(h->deadline, &d, NULL) != XA_OK) ||
        !vs_str(c, "description", 0, &h->description) || !vs_str(c, "form", NULLABLE, &h->form) ||
        !vs_time(c, "found", 0, &h->found) || !vs_id(c, "id", 0, &h->id) ||
        (xa_jcur_has_key(c, "interim") && !vs_str(c, "interim", 0, &h->interim)) ||
        !vs_str(c, "location", 0, &h->location) || !vs_str(c, "measures", 0, &h->measures) ||
        !vs_str(c, "notes", 0, &h->notes) ||
        !vs_bool(c, "rectified_on_site", &h->rectified_on_site) ||
        !vs_str(c, "requirement", 0, &h->requirement) ||
        !vs_str(c, "responsible", 0, &h->responsible) ||
        !vs_enum(c, "severity", &xa_vocab_severities, &h->severity) || !xa_jcur_obj_end(c))
        return 0;
    return xa_severity_of(h->severity) != XA_SEV_ADVICE;
}

/* One element of visit.followups (v_followups). */
static int vs_followup(xa_jcur *c, xa_visit_view *v)
{
    v->followups = vv_room(v->followups, v->nfollowups, &v->cap[4], sizeof *v->followups);
    xa_vview_followup *f = &v->followups[v->nfollowups++];
    return xa_jcur_obj(c) && vs_time(c, "checked", 0, &f->checked) &&
           vs_id(c, "hazard", 0, &f->hazard) && vs_str(c, "note", 0, &f->note) &&
           vs_enum(c, "verdict", &xa_vocab_verdicts, &f->verdict) && xa_jcur_obj_end(c);
}

/* One element of visit.attachments, its own members (v_attachments; the
 * references to hazards and follow-ups are checked after the document). */
static int vs_attachment(xa_jcur *c, xa_visit_view *v)
{
    static const char *const fors[] = {"visit", "hazard", "followup", NULL};
    static const char *const types[] = {"jpeg", "png", "heic", "pdf", NULL};
    v->attachments = vv_room(v->attachments, v->nattachments, &v->cap[5], sizeof *v->attachments);
    xa_vview_attachment *a = &v->attachments[v->nattachments++];
    int has;
    if (!xa_jcur_obj(c) || !vs_time(c, "added", 0, &a->added) || !vs_str(c, "for", 0, &a->for_) ||
        list_index(fors, a->for_) < 0 || !xa_jcur_key(c, "gps"))
        return 0;
    a->has_gps = 0;
    a->lat = a->lon = 0;
    if (!xa_jcur_null(c)) {
        if (!xa_jcur_obj(c) || !vs_int(c, "lat", -900000000, 0, &has, &a->lat) ||
            !vs_int(c, "lon", -1800000000, 0, &has, &a->lon) || !xa_jcur_obj_end(c) ||
            a->lat > 900000000 || a->lon > 1800000000)
            return 0;
        a->has_gps = 1;
    }
    return vs_hash(c, "hash", 0, &a->hash) && vs_id(c, "id", 0, &a->id) &&
           vs_str(c, "name", NONEMPTY, &a->name) && vs_id(c, "ref", NULLABLE, &a->ref) &&
           vs_int(c, "size", 1, 0, &has, &a->size) && vs_str(c, "taken", NULLABLE, &a->taken) &&
           (!a->taken || taken_ok(a->taken)) && vs_str(c, "type", 0, &a->type) &&
           list_index(types, a->type) >= 0 && xa_jcur_obj_end(c) &&
           (a->ref != NULL) == (strcmp(a->for_, "visit") != 0);
}

/* Order of answers by (form, code). */
static int vv_answer_cmp(const void *a, const void *b)
{
    const xa_vview_answer *x = *(const xa_vview_answer *const *)a;
    const xa_vview_answer *y = *(const xa_vview_answer *const *)b;
    int c = strcmp(x->form, y->form);
    return c ? c : strcmp(x->code, y->code);
}

/* Are the answers' (form, code) pairs distinct, seen in one pass?  1 when
 * the answers come in runs of one form each, codes strictly increasing
 * within a run, no form in two runs (how a checklist saves them): then no
 * pair can repeat.  0 when not that shape (the caller sorts to find out). */
static int vv_answers_in_runs(const xa_visit_view *v)
{
    enum { RUNS_MAX = 32 };
    const char *runs[RUNS_MAX];
    size_t nruns = 0;
    const xa_vview_answer *a = v->answers;
    for (size_t i = 0; i < v->nanswers; i++) {
        if (i > 0 && !strcmp(a[i].form, a[i - 1].form)) {
            if (strcmp(a[i - 1].code, a[i].code) >= 0)
                return 0;
            continue;
        }
        if (nruns == RUNS_MAX)
            return 0;
        for (size_t k = 0; k < nruns; k++)
            if (!strcmp(runs[k], a[i].form))
                return 0;
        runs[nruns++] = a[i].form;
    }
    return 1;
}

/* What v_answers, v_hazards and v_attachments check across elements: one
 * answer per (form, code), hazard and attachment ids unique, an
 * attachment's ref names a hazard or follow-up of this visit. */
static int vv_across(xa_visit_view *v)
{
    if (v->nanswers > 1 && !vv_answers_in_runs(v)) {
        xa_buf_reset(&v->scratch);
        xa_buf_reserve(&v->scratch, v->nanswers * sizeof(xa_vview_answer *));
        const xa_vview_answer **k = (const xa_vview_answer **)(void *)v->scratch.data;
        for (size_t i = 0; i < v->nanswers; i++)
            k[i] = &v->answers[i];
        qsort(k, v->nanswers, sizeof *k, vv_answer_cmp);
        for (size_t i = 1; i < v->nanswers; i++)
            if (!vv_answer_cmp(&k[i - 1], &k[i]))
                return 0;
    }
    for (size_t i = 0; i < v->nhazards; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(v->hazards[i].id, v->hazards[j].id))
                return 0;
    for (size_t i = 0; i < v->nattachments; i++) {
        const xa_vview_attachment *a = &v->attachments[i];
        for (size_t j = 0; j < i; j++)
            if (!strcmp(v->attachments[j].id, a->id))
                return 0;
        if (!a->ref)
            continue;
        int found = 0;
        if (!strcmp(a->for_, "hazard")) {
            for (size_t j = 0; j < v->nhazards && !found; j++)
                found = !strcmp(v->hazards[j].id, a->ref);
        } else {
            for (size_t j = 0; j < v->nfollowups && !found; j++)
                found = !strcmp(v->followups[j].hazard, a->ref);
        }
        if (!found)
            return 0;
    }
    return 1;
}

/* The document (xa_visit_validate's rules, members in canonical order). */
static int vs_doc(xa_jcur *c, xa_visit_view *v)
{
    const char *s;
    char fp[XA_FP_MAX];
    int has;
    if (!xa_jcur_obj(c) || !vs_arr(c, "answers", v, vs_answer) ||
        (xa_jcur_has_key(c, "assignment") && !vs_id(c, "assignment", 0, &v->assignment)) ||
        !vs_arr(c, "attachments", v, vs_attachment) || !xa_jcur_key(c, "attest") ||
        !xa_jcur_obj(c) || !vs_bool(c, "no_briefing", &v->no_briefing) ||
        !vs_bool(c, "no_escort", &v->no_escort) || !vs_bool(c, "no_greeting", &v->no_greeting) ||
        !vs_bool(c, "no_notice", &v->no_notice) || !xa_jcur_obj_end(c) ||
        !vs_id(c, "corrects", NULLABLE, &v->corrects) ||
        !vs_arr(c, "followups", v, vs_followup) || !vs_str(c, "format", 0, &v->format) ||
        (strcmp(v->format, XA_VISIT_FORMAT) && strcmp(v->format, XA_VISIT_FORMAT_V1)) ||
        !vs_arr(c, "forms", v, vs_form) || !vs_arr(c, "hazards", v, vs_hazard) ||
        !vs_id(c, "id", 0, &v->id))
        return 0;
    if (!xa_jcur_key(c, "inspector") || !xa_jcur_obj(c) ||
        !vs_str(c, "fingerprint", 0, &v->fingerprint) ||
        xa_fingerprint_normalize(v->fingerprint, fp, NULL) != XA_OK ||
        strcmp(fp, v->fingerprint) || !vs_str(c, "name", NONEMPTY, &v->inspector_name) ||
        xa_identity_name_check(v->inspector_name, NULL) != XA_OK || !xa_jcur_obj_end(c) ||
        !vs_enum(c, "kind", &xa_vocab_kinds, &v->kind) || !xa_jcur_key(c, "school") ||
        !xa_jcur_obj(c) || !vs_str(c, "code", NONEMPTY, &v->school_code) ||
        !vs_str(c, "county", 0, &v->county) || !vs_str(c, "name", NONEMPTY, &v->school_name) ||
        !xa_jcur_obj_end(c))
        return 0;
    /* a draft (seal null) is not sure: verification words that error */
    if (!xa_jcur_key(c, "seal") || !xa_jcur_obj(c) || !vs_hash(c, "prev", NULLABLE, &v->prev) ||
        !vs_time(c, "sealed", 0, &v->sealed_at) || !vs_int(c, "seq", 1, 0, &has, &v->seq) ||
        v->seq > XA_VISIT_SEQ_MAX || (v->seq == 1) != (v->prev == NULL) || !xa_jcur_obj_end(c))
        return 0;
    (void)s;
    return vs_arr(c, "team", v, vs_team) && xa_jcur_key(c, "times") && xa_jcur_obj(c) &&
           vs_time(c, "arrived", 0, &v->arrived) && vs_time(c, "created", 0, &v->created) &&
           vs_time(c, "first_site", NULLABLE, &v->first_site) && xa_jcur_obj_end(c) &&
           xa_jcur_obj_end(c) && vv_across(v);
}

/* Forget the previous record's fields (the memory stays). */
static void vv_reset(xa_visit_view *v)
{
    v->format = v->id = v->kind = v->corrects = v->assignment = NULL;
    v->inspector_name = v->fingerprint = v->school_code = v->school_name = v->county = NULL;
    v->created = v->arrived = v->first_site = v->prev = v->sealed_at = NULL;
    v->no_briefing = v->no_escort = v->no_greeting = v->no_notice = 0;
    v->sealed = 0;
    v->seq = 0;
    v->nteam = v->nforms = v->nanswers = v->nhazards = v->nfollowups = v->nattachments = 0;
    v->doc = NULL;
    v->doc_len = 0;
    memset(v->sig, 0, sizeof v->sig);
}

int xa_visit_view_scan(xa_visit_view *v, const char *line, size_t len)
{
    xa_jcur c;
    const char *sig, *type;
    vv_reset(v);
    xa_jcur_init(&c, line, len, XA_JSON_MAX_DEPTH, &v->arena);
    if (!xa_jcur_obj(&c) || !xa_jcur_key(&c, "doc"))
        return 0;
    v->doc = (const char *)c.p;
    if (!vs_doc(&c, v))
        return 0;
    v->doc_len = (size_t)((const char *)c.p - v->doc);
    if (!vs_str(&c, "sig", 0, &sig) ||
        xa_b64_decode_exact(sig, v->sig, sizeof v->sig, NULL) != XA_OK ||
        !vs_str(&c, "type", 0, &type) || strcmp(type, "visit") || !xa_jcur_obj_end(&c) ||
        !xa_jcur_done(&c))
        return 0;
    v->sealed = 1;
    return 1;
}

xa_code xa_visit_view_verify(xa_visit_view *v, const uint8_t sign_pk[XA_SIGN_PK_BYTES],
                             xa_visit_verified *out, xa_err *err)
{
    /* the bytes the signature covers (signed_bytes), in the kept scratch */
    xa_buf *m = &v->scratch;
    xa_buf_reset(m);
    if (!strcmp(v->format, XA_VISIT_FORMAT)) {
        xa_buf_add(m, XA_SIGCTX_VISIT, strlen(XA_SIGCTX_VISIT));
        xa_buf_putc(m, '\0');
    }
    xa_buf_add(m, v->doc, v->doc_len);
    xa_code c = xa_sign_verify(sign_pk, m->data, m->len, v->sig, err);
    sodium_memzero(m->data, m->len);
    if (c != XA_OK)
        return xa_fail(err, XA_ESIG, "visit %s: bad signature", v->id);
    memset(out, 0, sizeof *out);
    uint8_t h[XA_HASH_BYTES];
    xa_hash256(v->doc, v->doc_len, h);
    xa_hex_encode(h, sizeof h, out->hash);
    snprintf(out->id, sizeof out->id, "%s", v->id);
    out->seq = v->seq;
    out->has_prev = v->prev != NULL;
    snprintf(out->prev, sizeof out->prev, "%s", v->prev ? v->prev : "");
    snprintf(out->fingerprint, sizeof out->fingerprint, "%s", v->fingerprint);
    snprintf(out->sealed, sizeof out->sealed, "%s", v->sealed_at);
    return XA_OK;
}

/* A string member of o, or NULL. */
static const char *vv_s(const json_t *o, const char *key)
{
    const json_t *x = json_object_get(o, key);
    return json_is_string(x) ? json_string_value(x) : NULL;
}

void xa_visit_view_of(xa_visit_view *v, const json_t *record)
{
    vv_reset(v);
    const json_t *d = json_object_get(record, "doc"), *o, *x;
    size_t i;
    v->format = vv_s(d, "format");
    v->id = vv_s(d, "id");
    v->kind = vv_s(d, "kind");
    v->corrects = vv_s(d, "corrects");
    v->assignment = vv_s(d, "assignment");
    o = json_object_get(d, "inspector");
    v->inspector_name = vv_s(o, "name");
    v->fingerprint = vv_s(o, "fingerprint");
    o = json_object_get(d, "school");
    v->school_code = vv_s(o, "code");
    v->school_name = vv_s(o, "name");
    v->county = vv_s(o, "county");
    o = json_object_get(d, "times");
    v->created = vv_s(o, "created");
    v->arrived = vv_s(o, "arrived");
    v->first_site = vv_s(o, "first_site");
    o = json_object_get(d, "attest");
    v->no_briefing = json_is_true(json_object_get(o, "no_briefing"));
    v->no_escort = json_is_true(json_object_get(o, "no_escort"));
    v->no_greeting = json_is_true(json_object_get(o, "no_greeting"));
    v->no_notice = json_is_true(json_object_get(o, "no_notice"));
    o = json_object_get(d, "seal");
    v->sealed = json_is_object(o);
    v->seq = (int64_t)json_integer_value(json_object_get(o, "seq"));
    v->prev = vv_s(o, "prev");
    v->sealed_at = vv_s(o, "sealed");
    json_array_foreach(json_object_get(d, "team"), i, x)
    {
        v->team = vv_room(v->team, v->nteam, &v->cap[0], sizeof *v->team);
        v->team[v->nteam++] = json_string_value(x);
    }
    json_array_foreach(json_object_get(d, "forms"), i, x)
    {
        v->forms = vv_room(v->forms, v->nforms, &v->cap[1], sizeof *v->forms);
        xa_vview_form *f = &v->forms[v->nforms++];
        f->id = vv_s(x, "id");
        f->hash = vv_s(x, "hash");
        f->version = (int64_t)json_integer_value(json_object_get(x, "version"));
    }
    json_array_foreach(json_object_get(d, "answers"), i, x)
    {
        v->answers = vv_room(v->answers, v->nanswers, &v->cap[2], sizeof *v->answers);
        xa_vview_answer *a = &v->answers[v->nanswers++];
        a->form = vv_s(x, "form");
        a->code = vv_s(x, "code");
        a->result = vv_s(x, "result");
        a->text = vv_s(x, "text");
        a->note = vv_s(x, "note");
        a->location = vv_s(x, "location");
        const json_t *val = json_object_get(x, "value");
        a->has_value = json_is_integer(val);
        a->value = a->has_value ? (int64_t)json_integer_value(val) : 0;
    }
    json_array_foreach(json_object_get(d, "hazards"), i, x)
    {
        v->hazards = vv_room(v->hazards, v->nhazards, &v->cap[3], sizeof *v->hazards);
        xa_vview_hazard *h = &v->hazards[v->nhazards++];
        h->id = vv_s(x, "id");
        h->form = vv_s(x, "form");
        h->code = vv_s(x, "code");
        h->category = vv_s(x, "category");
        h->severity = vv_s(x, "severity");
        h->description = vv_s(x, "description");
        h->location = vv_s(x, "location");
        h->requirement = vv_s(x, "requirement");
        h->deadline = vv_s(x, "deadline");
        h->responsible = vv_s(x, "responsible");
        h->measures = vv_s(x, "measures");
        h->notes = vv_s(x, "notes");
        h->found = vv_s(x, "found");
        h->interim = vv_s(x, "interim");
        h->rectified_on_site = json_is_true(json_object_get(x, "rectified_on_site"));
    }
    json_array_foreach(json_object_get(d, "followups"), i, x)
    {
        v->followups = vv_room(v->followups, v->nfollowups, &v->cap[4], sizeof *v->followups);
        xa_vview_followup *f = &v->followups[v->nfollowups++];
        f->hazard = vv_s(x, "hazard");
        f->verdict = vv_s(x, "verdict");
        f->note = vv_s(x, "note");
        f->checked = vv_s(x, "checked");
    }
    json_array_foreach(json_object_get(d, "attachments"), i, x)
    {
        v->attachments =
            vv_room(v->attachments, v->nattachments, &v->cap[5], sizeof *v->attachments);
        xa_vview_attachment *a = &v->attachments[v->nattachments++];
        a->id = vv_s(x, "id");
        a->for_ = vv_s(x, "for");
        a->ref = vv_s(x, "ref");
        a->name = vv_s(x, "name");
        a->type = vv_s(x, "type");
        a->hash = vv_s(x, "hash");
        a->taken = vv_s(x, "taken");
        a->added = vv_s(x, "added");
        a->size = (int64_t)json_integer_value(json_object_get(x, "size"));
        const json_t *g = json_object_get(x, "gps");
        a->has_gps = json_is_object(g);
        a->lat = (int64_t)json_integer_value(json_object_get(g, "lat"));
        a->lon = (int64_t)json_integer_value(json_object_get(g, "lon"));
    }
}

void xa_visit_view_free(xa_visit_view *v)
{
    free(v->team);
    free(v->forms);
    free(v->answers);
    free(v->hazards);
    free(v->followups);
    free(v->attachments);
    xa_buf_wipe(&v->arena);
    xa_buf_wipe(&v->scratch);
    memset(v, 0, sizeof *v);
}
