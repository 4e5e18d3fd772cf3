/* brief_records.c — what goes into an inspector's brief (docs/formats.md):
 * settings, the roster (all schools or one county), every current form,
 * the open hazards of the roster's schools, the inspector's own open
 * assignments (检查任务; their schools are sent even outside the county),
 * receipts for the bundles merged from that inspector.  A receipt names
 * the visits its bundle carried that the office holds complete (every
 * attachment the signed record lists received and verified): a visit
 * exported in several bundles is named only once its last part merged, so
 * the laptop does not take it as acknowledged while photos are missing.
 * Built from the central store as JSON records. */
#include "xiaoan/age.h"
#include "xiaoan/assign.h"
#include "xiaoan/central.h"
#include "xiaoan/json.h"
#include "xiaoan/loopstore.h"
#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>

/* A roster school from a store row, as the roster module writes it. */
static json_t *school_json(const struct xa_cschool *c)
{
    xa_school sc;
    memset(&sc, 0, sizeof sc);
    sc.code = xa_strdup(c->code);
    sc.name = xa_strdup(c->name);
    sc.county = xa_strdup(c->county);
    if (!xa_school_type_parse(c->type, &sc.type))
        sc.type = XA_SCHOOL_PRIMARY;
    sc.boarding = c->boarding;
    sc.canteen = c->canteen;
    sc.lab = c->lab;
    sc.bus = c->bus;
    sc.students = (long)c->students;
    sc.address = xa_strdup(c->address);
    sc.pinyin = xa_strdup(c->pinyin);
    sc.school_id = xa_strdup(c->school_id ? c->school_id : "");
    sc.private_ = c->private_;
    sc.kindergarten_class = c->kindergarten_class;
    sc.boarders = (long)c->boarders;
    if (!c->tier || !xa_tier_parse(c->tier, &sc.tier))
        sc.tier = XA_TIER_NORMAL;
    json_t *j = xa_school_to_json(&sc);
    xa_school_clear(&sc);
    return j;
}

/* bsearch over a sorted array of strings */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The schools of assignments outside a county-limited roster, appended
 * (an inspector must find the school they are sent to). */
static xa_code assigned_schools(xa_cstore *s, const json_t *asg, const struct xa_cschool *sent,
                                size_t nsent, json_t *recs, struct xa_brief_counts *k,
                                xa_err *err)
{
    struct xa_cschool *all = NULL;
    size_t nall = 0;
    xa_code c = xa_cstore_schools(s, NULL, &all, &nall, err);
    for (size_t i = 0; i < json_array_size(asg) && c == XA_OK; i++) {
        const char *code = json_string_value(json_object_get(json_array_get(asg, i), "school"));
        int have = 0;
        for (size_t j = 0; j < nsent && !have; j++)
            have = !strcmp(sent[j].code, code);
        for (size_t j = 0; j < i && !have; j++) /* two assignments at one school */
            have = !strcmp(json_string_value(json_object_get(json_array_get(asg, j), "school")),
                           code);
        for (size_t j = 0; j < nall && !have; j++)
            if (!strcmp(all[j].code, code)) {
                json_array_append_new(recs, school_json(&all[j]));
                k->schools++;
                have = 1;
            }
    }
    xa_cschools_free(all, nall);
    return c;
}

xa_code xa_brief_records(xa_cstore *s, const xa_identity *office, const char *inspector,
                         const char *county, json_t **out, struct xa_brief_counts *counts,
                         xa_err *err)
{
    struct xa_inspector insp;
    xa_code c = xa_cstore_inspector_get(s, inspector, &insp, err);
    if (c != XA_OK)
        return c;
    struct xa_brief_counts k = {0, 0, 0, 0, 0};
    json_t *recs = json_array(), *asg = json_array();
    struct xa_cschool *sch = NULL;
    size_t nsch = 0;
    struct xa_cform *forms = NULL;
    size_t nforms = 0;
    struct xa_chazard *hz = NULL;
    size_t nhz = 0;
    struct xa_cbundle *bundles = NULL;
    size_t nb = 0;
    char **withatt = NULL; /* visits whose record lists attachments, sorted */
    size_t nwith = 0;
    int *whole = NULL;     /* per withatt: 0 not looked at, 1 complete, -1 not */
    if (insp.revoked) {
        c = xa_fail(err, XA_ESTATE, "inspector %s was revoked on %s", insp.fingerprint,
                    insp.revoked);
        goto done;
    }
    int64_t general = 0, major = 0;
    int64_t file_mb = 0, visit_mb = 0;
    if ((c = xa_office_setting_int(s, XA_SET_DEADLINE_GENERAL, &general, err)) != XA_OK ||
        (c = xa_office_setting_int(s, XA_SET_DEADLINE_MAJOR, &major, err)) != XA_OK ||
        (c = xa_office_setting_int(s, XA_SET_ATTACH_FILE_MB, &file_mb, err)) != XA_OK ||
        (c = xa_office_setting_int(s, XA_SET_ATTACH_VISIT_MB, &visit_mb, err)) != XA_OK)
        goto done;
    json_array_append_new(
        recs, json_pack("{s:s, s:o, s:{s:s, s:s}, s:{s:I, s:I}}", "type", "settings", "office",
                        xa_identity_public_json(office), "inspector", "name", insp.name,
                        "fingerprint", insp.fingerprint, "deadline_days", "general",
                        (json_int_t)general, "major", (json_int_t)major));
    /* The attachment limits travel to the field (the inspector's side enforces them). */
    json_object_set_new(json_array_get(recs, json_array_size(recs) - 1), "attachments",
                        json_pack("{s:I, s:I}", "file_max", (json_int_t)(file_mb << 20),
                                  "visit_max", (json_int_t)(visit_mb << 20)));

    if ((c = xa_cstore_schools(s, county, &sch, &nsch, err)) != XA_OK)
        goto done;
    if (county && !nsch) {
        c = xa_fail(err, XA_ENOTFOUND, "no schools in county '%s'", county);
        goto done;
    }
    for (size_t i = 0; i < nsch; i++)
        json_array_append_new(recs, school_json(&sch[i]));
    k.schools = nsch;
    if ((c = xa_assign_brief_records(s, insp.fingerprint, asg, &k.assignments, err)) != XA_OK)
        goto done;
    if (county && k.assignments && (c = assigned_schools(s, asg, sch, nsch, recs, &k, err)))
        goto done;

    if ((c = xa_cstore_forms(s, 1, &forms, &nforms, err)) != XA_OK)
        goto done;
    for (size_t i = 0; i < nforms; i++) {
        json_t *f = NULL;
        if ((c = xa_json_parse(forms[i].doc, strlen(forms[i].doc), XA_JSON_MAX_DEPTH, &f, err)) !=
            XA_OK) {
            xa_err_prefix(err, "form %s version %lld in the store", forms[i].id,
                          (long long)forms[i].version);
            goto done;
        }
        json_array_append_new(recs, f);
    }
    k.forms = nforms;

    if ((c = xa_cstore_hazards(s, county, XA_HSTATE_OPEN, &hz, &nhz, err)) != XA_OK)
        goto done;
    int64_t today = xa_today();
    for (size_t i = 0; i < nhz; i++) {
        const struct xa_chazard *h = &hz[i];
        /* only hazards of schools in the roster being sent */
        int in = 0;
        for (size_t j = 0; j < nsch && !in; j++)
            in = !strcmp(sch[j].code, h->school);
        if (!in)
            continue;
        json_t *r = json_object();
        json_object_set_new(r, "type", json_string("hazard"));
        json_object_set_new(r, "id", json_string(h->id));
        json_object_set_new(r, "school", json_string(h->school));
        json_object_set_new(r, "visit", json_string(h->visit));
        json_object_set_new(r, "form", *h->form ? json_string(h->form) : json_null());
        json_object_set_new(r, "code", *h->code ? json_string(h->code) : json_null());
        json_object_set_new(r, "category", json_string(h->category));
        json_object_set_new(r, "severity", json_string(h->severity));
        json_object_set_new(r, "description", json_string(h->description));
        json_object_set_new(r, "location", json_string(h->location));
        json_object_set_new(r, "requirement", json_string(h->requirement));
        json_object_set_new(r, "deadline", *h->deadline ? json_string(h->deadline) : json_null());
        json_object_set_new(r, "responsible", json_string(h->responsible));
        json_object_set_new(r, "found", json_string(h->found));
        json_object_set_new(r, "state", json_string(xa_vocab_key(&xa_vocab_hstates, xa_hazard_state_on(h, today))));
        json_array_append_new(recs, r);
        k.hazards++;
    }

    for (size_t i = 0; i < json_array_size(asg); i++)
        json_array_append(recs, json_array_get(asg, i));

    if ((c = xa_cstore_bundles(s, insp.fingerprint, &bundles, &nb, err)) != XA_OK)
        goto done;
    /* only visits with attachments can be incomplete (a split export's part
     * still to come); each is looked at once, whatever bundles name it (a
     * bundle carries only its sender's visits: merge checks each signature) */
    if (nb && (c = xa_cstore_visits_with_attachments(s, insp.fingerprint, &withatt, &nwith,
                                                     err)) != XA_OK)
        goto done;
    whole = xa_calloc(nwith ? nwith : 1, sizeof *whole);
    for (size_t i = 0; i < nb; i++) {
        char **ids = NULL;
        size_t nids = 0;
        if ((c = xa_cstore_bundle_visits(s, bundles[i].hash, &ids, &nids, err)) != XA_OK)
            goto done;
        json_t *v = json_array();
        for (size_t j = 0; j < nids && c == XA_OK; j++) {
            char **at = nwith ? bsearch(&ids[j], withatt, nwith, sizeof *withatt, cmp_str) : NULL;
            size_t w = at ? (size_t)(at - withatt) : 0;
            if (at && !whole[w]) {
                int complete = 0;
                c = xa_cvisit_complete(s, ids[j], &complete, err);
                whole[w] = complete ? 1 : -1;
            }
            if (!at || whole[w] > 0)
                json_array_append_new(v, json_string(ids[j]));
        }
        xa_strv_free(ids, nids);
        if (c != XA_OK) {
            json_decref(v);
            goto done;
        }
        json_array_append_new(recs, json_pack("{s:s, s:s, s:I, s:o, s:o}", "type", "receipt",
                                              "bundle", bundles[i].hash, "seq",
                                              (json_int_t)bundles[i].seq, "visits", v, "merged",
                                              jstr(bundles[i].received)));
        k.receipts++;
    }
    c = XA_OK;
done:
    free(whole);
    xa_strv_free(withatt, nwith);
    json_decref(asg);
    xa_cbundles_free(bundles, nb);
    xa_chazards_free(hz, nhz);
    xa_cforms_free(forms, nforms);
    xa_cschools_free(sch, nsch);
    xa_inspector_clear(&insp);
    if (c != XA_OK) {
        json_decref(recs);
        return c;
    }
    *out = recs;
    if (counts)
        *counts = k;
    return XA_OK;
}
