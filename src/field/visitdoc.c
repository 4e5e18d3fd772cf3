/* visitdoc.c — editing a draft visit document (xiaoan.visit/1) the way the
 * inspector's screens do: answers by (form, code), the hazards of an item,
 * follow-ups of earlier hazards, the forms of the visit with the automatic
 * n/a of items that do not apply to the school, and default deadlines.
 *
 * Pure functions over the jansson document: no store, no screen, no clock
 * of their own (callers pass "now" and "today"), so they are tested
 * directly (tests/unit/test_field.c).  The document is validated when it is
 * saved (xa_fstore_visit_save); these helpers keep it valid. */
#include "xiaoan/field.h"

#include "xiaoan/clock.h"
#include "xiaoan/visit.h"

#include <string.h>

/* A string member, "" when missing or not a string. */
const char *xa_doc_str(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

/* Set a string member (NULL sets JSON null). */
void xa_doc_set_str(json_t *obj, const char *key, const char *value)
{
    json_object_set_new(obj, key, value ? json_string(value) : json_null());
}

/* The answer object of (form, code), or NULL. */
json_t *xa_doc_answer(json_t *doc, const char *form, const char *code)
{
    json_t *a = json_object_get(doc, "answers"), *m;
    size_t i;
    json_array_foreach(a, i, m)
    {
        if (!strcmp(xa_doc_str(m, "form"), form) && !strcmp(xa_doc_str(m, "code"), code))
            return m;
    }
    return NULL;
}

/* The result of (form, code); unchecked when there is no answer. */
xa_result xa_doc_result(json_t *doc, const char *form, const char *code)
{
    json_t *m = xa_doc_answer(doc, form, code);
    return m ? xa_result_of(xa_doc_str(m, "result")) : XA_RESULT_UNCHECKED;
}

/* The answer object of (form, code), created unchecked when missing. */
json_t *xa_doc_answer_ensure(json_t *doc, const char *form, const char *code)
{
    json_t *m = xa_doc_answer(doc, form, code);
    if (!m) {
        m = xa_visit_answer_new(form, code, xa_vocab_key(&xa_vocab_results, XA_RESULT_UNCHECKED));
        json_array_append_new(json_object_get(doc, "answers"), m);
    }
    return m;
}

/* The forms of the visit, in visit order, found by id among forms (at most max). */
static size_t visit_forms(json_t *doc, const xa_form *const *forms, size_t nforms,
                          const xa_form **out, size_t max)
{
    json_t *fl = json_object_get(doc, "forms");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(fl) && n < max; i++) {
        const char *id = xa_doc_str(json_array_get(fl, i), "id");
        for (size_t k = 0; k < nforms; k++)
            if (!strcmp(forms[k]->id, id)) {
                out[n++] = forms[k];
                break;
            }
    }
    return n;
}

/* same_as: copy the answer of (f, it) to every other item of the visit that
 * asks the same question, so it is answered once (forms.h). */
static void mirror_answer(json_t *doc, const xa_form *const *forms, size_t nforms,
                          const xa_form *f, const xa_item *it)
{
    json_t *src = xa_doc_answer(doc, f->id, it->code);
    if (!src)
        return;
    const xa_form *vf[64];
    xa_item_ref g[16];
    size_t nf = visit_forms(doc, forms, nforms, vf, 64);
    size_t n = xa_item_group(vf, nf, f, it, g, 16);
    for (size_t i = 0; i < n && i < 16; i++) {
        if (g[i].item == it)
            continue;
        json_t *m = xa_doc_answer_ensure(doc, g[i].form->id, g[i].item->code);
        json_object_set(m, "result", json_object_get(src, "result"));
        json_t *v = json_object_get(src, "value");
        json_object_set(m, "value", v ? v : json_null());
    }
}

/* The form of forms with this id, or NULL. */
static const xa_form *form_by_id(const xa_form *const *forms, size_t nforms, const char *id)
{
    for (size_t k = 0; k < nforms; k++)
        if (!strcmp(forms[k]->id, id))
            return forms[k];
    return NULL;
}

/* Set an answer's result and the same_as items' (forms: where the visit's
 * form ids are looked up); the first real answer records times.first_site
 * (直插现场: reaching the first site is when checking starts). */
void xa_doc_set_result(json_t *doc, const xa_form *const *forms, size_t nforms, const char *form,
                       const char *code, xa_result result, int64_t now)
{
    json_t *m = xa_doc_answer_ensure(doc, form, code);
    xa_doc_set_str(m, "result", xa_vocab_key(&xa_vocab_results, result));
    const xa_form *f = form_by_id(forms, nforms, form);
    const xa_item *it = f ? xa_form_item(f, code) : NULL;
    if (it)
        mirror_answer(doc, forms, nforms, f, it);
    json_t *times = json_object_get(doc, "times");
    if (result != XA_RESULT_UNCHECKED && json_is_null(json_object_get(times, "first_site"))) {
        char at[XA_RFC3339_MAX];
        xa_time_format(now, XA_CST_OFFSET, at);
        xa_doc_set_str(times, "first_site", at);
    }
}

/* The change record of the answer of (form, code) and of its same_as group. */
json_t *xa_doc_answer_change(json_t *doc, const xa_form *const *forms, size_t nforms,
                             const char *form, const char *code)
{
    json_t *src = xa_doc_answer(doc, form, code);
    if (!src)
        return NULL;
    json_t *answers = json_array();
    json_array_append(answers, src);
    const xa_form *f = form_by_id(forms, nforms, form);
    const xa_item *it = f ? xa_form_item(f, code) : NULL;
    if (it) {
        const xa_form *vf[64];
        xa_item_ref g[16];
        size_t nf = visit_forms(doc, forms, nforms, vf, 64);
        size_t n = xa_item_group(vf, nf, f, it, g, 16);
        for (size_t i = 0; i < n && i < 16; i++) {
            json_t *m = g[i].item == it ? NULL : xa_doc_answer(doc, g[i].form->id, g[i].item->code);
            if (m)
                json_array_append(answers, m);
        }
    }
    json_t *change = json_object();
    json_object_set_new(change, "answers", answers);
    json_object_set(change, "times", json_object_get(doc, "times"));
    return change;
}

/* The i-th hazard of an item, or NULL past the end. */
json_t *xa_doc_item_hazard(json_t *doc, const char *form, const char *code, size_t want)
{
    json_t *a = json_object_get(doc, "hazards"), *m;
    size_t i, k = 0;
    json_array_foreach(a, i, m)
    {
        if (!strcmp(xa_doc_str(m, "form"), form) && !strcmp(xa_doc_str(m, "code"), code) &&
            k++ == want)
            return m;
    }
    return NULL;
}

/* How many hazards an item has. */
size_t xa_doc_item_hazards(json_t *doc, const char *form, const char *code)
{
    size_t n = 0;
    while (xa_doc_item_hazard(doc, form, code, n))
        n++;
    return n;
}

/* The default deadline of a hazard found on day today. */
void xa_doc_deadline(xa_severity severity, const xa_deadline_days *days, int64_t today,
                     char out[XA_DATE_MAX])
{
    xa_date_format(today + (severity == XA_SEV_MAJOR ? days->major : days->general), out);
}

/* A new hazard of an item: category and level from it, the default deadline
 * of its level, the location of the item's answer.  The description starts
 * empty: the item's text says what is compliant, and a hurried inspector
 * would file it as the hazard (the editor shows it above as a reference). */
json_t *xa_doc_hazard_add(json_t *doc, const xa_form *f, const xa_item *it,
                          const xa_deadline_days *days, int64_t today)
{
    xa_severity sev = it->severity == XA_SEV_MAJOR ? XA_SEV_MAJOR : XA_SEV_GENERAL;
    json_t *h = xa_visit_hazard_new(f->id, it->code, xa_category_key(f->category),
                                    xa_severity_key(sev));
    const char *loc = xa_doc_str(xa_doc_answer(doc, f->id, it->code), "location");
    if (*loc)
        xa_doc_set_str(h, "location", loc);
    char dl[XA_DATE_MAX];
    xa_doc_deadline(sev, days, today, dl);
    xa_doc_set_str(h, "deadline", dl);
    json_array_append_new(json_object_get(doc, "hazards"), h);
    return h;
}

/* Remove one hazard object (by identity) from the document. */
void xa_doc_hazard_remove(json_t *doc, json_t *hazard)
{
    json_t *a = json_object_get(doc, "hazards"), *m;
    size_t i;
    json_array_foreach(a, i, m)
    {
        if (m == hazard) {
            /* Its photos go with it (the store drops their bytes on save). */
            const char *id = xa_doc_str(hazard, "id");
            json_t *att = json_object_get(doc, "attachments");
            for (size_t j = json_array_size(att); j-- > 0;) {
                json_t *e = json_array_get(att, j);
                if (!strcmp(xa_doc_str(e, "for"), "hazard") && !strcmp(xa_doc_str(e, "ref"), id))
                    json_array_remove(att, j);
            }
            json_array_remove(a, i);
            return;
        }
    }
}

/* The follow-up of an earlier hazard, or NULL. */
json_t *xa_doc_followup(json_t *doc, const char *hazard_id)
{
    json_t *a = json_object_get(doc, "followups"), *m;
    size_t i;
    json_array_foreach(a, i, m)
    {
        if (!strcmp(xa_doc_str(m, "hazard"), hazard_id))
            return m;
    }
    return NULL;
}

/* The follow-up of an earlier hazard, created when missing; its verdict is
 * set unless verdict is XA_VERDICT_UNKNOWN. */
json_t *xa_doc_followup_ensure(json_t *doc, const char *hazard_id, xa_verdict verdict)
{
    json_t *m = xa_doc_followup(doc, hazard_id);
    const char *key = verdict >= 0 ? xa_vocab_key(&xa_vocab_verdicts, verdict) : NULL;
    if (!m) {
        m = xa_visit_followup_new(hazard_id, key);
        json_array_append_new(json_object_get(doc, "followups"), m);
    } else if (key) {
        xa_doc_set_str(m, "verdict", key);
    }
    return m;
}

/* Is form id one of the visit's forms? */
int xa_doc_has_form(json_t *doc, const char *id)
{
    json_t *a = json_object_get(doc, "forms"), *m;
    size_t i;
    json_array_foreach(a, i, m)
    {
        if (!strcmp(xa_doc_str(m, "id"), id))
            return 1;
    }
    return 0;
}

/* Does an item apply to a school of this profile (0: unknown, all apply)? */
static int applies(const xa_item *it, xa_profile profile)
{
    return !profile || xa_item_applies(it, profile);
}

/* Add a form (id, version, hash); items that do not apply to the school
 * start as n/a, which the inspector can still change; an item already
 * answered in another form of the visit (same_as) takes that answer. */
void xa_doc_form_add(json_t *doc, const xa_form *const *forms, size_t nforms, const xa_form *f,
                     xa_profile profile)
{
    if (xa_doc_has_form(doc, f->id))
        return;
    json_array_append_new(json_object_get(doc, "forms"),
                          json_pack("{s:s, s:i, s:s}", "id", f->id, "version", f->version, "hash",
                                    f->hash_hex));
    for (size_t i = 0; i < f->nitems; i++)
        if (!applies(&f->items[i], profile) && !xa_doc_answer(doc, f->id, f->items[i].code))
            xa_doc_set_str(xa_doc_answer_ensure(doc, f->id, f->items[i].code), "result",
                           xa_vocab_key(&xa_vocab_results, XA_RESULT_NA));
    const xa_form *vf[64];
    size_t nf = visit_forms(doc, forms, nforms, vf, 64);
    for (size_t i = 0; i < f->nitems; i++) {
        xa_item_ref g[16];
        size_t n = xa_item_group(vf, nf, f, &f->items[i], g, 16);
        for (size_t k = 0; k < n && k < 16; k++)
            if (g[k].form != f && xa_doc_answer(doc, g[k].form->id, g[k].item->code)) {
                mirror_answer(doc, forms, nforms, g[k].form, g[k].item);
                break;
            }
    }
}

/* Remove a form and its answers (its hazards stay: the caller refuses a
 * form that has any). */
void xa_doc_form_remove(json_t *doc, const char *id)
{
    static const char *const lists[] = {"forms", "answers"};
    for (int l = 0; l < 2; l++) {
        json_t *a = json_object_get(doc, lists[l]);
        for (size_t i = json_array_size(a); i-- > 0;) {
            json_t *m = json_array_get(a, i);
            if (!strcmp(xa_doc_str(m, l == 0 ? "id" : "form"), id))
                json_array_remove(a, i);
        }
    }
}

/* Answers a person gave in a form: not unchecked, and not the automatic n/a
 * of an item that does not apply to the school. */
size_t xa_doc_form_answers(json_t *doc, const xa_form *f, xa_profile profile)
{
    size_t n = 0;
    for (size_t i = 0; i < f->nitems; i++) {
        xa_result r = xa_doc_result(doc, f->id, f->items[i].code);
        if (r == XA_RESULT_UNCHECKED)
            continue;
        if (r == XA_RESULT_NA && !applies(&f->items[i], profile))
            continue;
        n++;
    }
    return n;
}

/* Hazards recorded on a form. */
size_t xa_doc_form_hazards(json_t *doc, const char *id)
{
    json_t *a = json_object_get(doc, "hazards"), *m;
    size_t i, n = 0;
    json_array_foreach(a, i, m)
    {
        n += !strcmp(xa_doc_str(m, "form"), id);
    }
    return n;
}
