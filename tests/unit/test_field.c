/* test_field.c — the field module's editing of a draft visit (field.h,
 * src/field/visitdoc.c), without a screen: answers and the first-site time,
 * hazards of an item with their default deadlines, follow-ups, forms added
 * with the automatic n/a of items that do not apply to the school, the
 * count of answers a person gave, removing a form, the change record of an
 * answer (the field store's journal) — and after every edit the document
 * still passes the strict validator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers/unit_fx.h"
#include "xiaoan/clock.h"
#include "xiaoan/field.h"
#include "xiaoan/identity.h"
#include "xiaoan/json.h"
#include "xiaoan/visit.h"

#define HDR "section,code,type,text,text_en,severity,basis,hint,applies,min,max\n"

/* One item of each kind; A-02 applies to boarding schools only. */
static const char *const FORM =
    HDR "入校,A-01,check,门卫值守,Guard on duty,general,GB/T 29315,看门卫,,,\n"
        "宿舍,A-02,check,宿舍夜间值班,Night duty in dormitories,major,,,boarding,,\n"
        "宿舍,A-03,text,备注,Notes,,,,,,\n";
static const xa_form_info INFO = {"gate", 2, "校门", "Gate", XA_CAT_SECURITY, 0};

static xa_identity *inspector;
static xa_form *form;
static const xa_form *form_c; /* the brief's forms: just this one */

static int setup(void **state)
{
    (void)state;
    xa_err e;
    if (fx_signing_inspector(&inspector) != 0)
        return -1;
    if (xa_form_parse("gate.csv", FORM, strlen(FORM), &INFO, &form, NULL, &e) != XA_OK)
        return -1;
    form_c = form;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xa_identity_free(inspector);
    xa_form_free(form);
    return 0;
}

/* A fresh draft at a school. */
static json_t *draft(void)
{
    xa_visit_init in = {.school_code = "3311020001",
                        .school_name = "莲都区实验小学",
                        .county = "莲都区",
                        .kind = "four-not-two-direct"};
    json_t *d = NULL;
    xa_err e;
    assert_int_equal(xa_visit_new(inspector, &in, &d, &e), XA_OK);
    return d;
}

/* The document is still a valid xiaoan.visit/1 draft. */
static void assert_valid(const json_t *d)
{
    xa_err e;
    if (xa_visit_validate(d, &e) != XA_OK) {
        printf("  invalid: %s\n", xa_err_msg(&e));
        fail();
    }
}

/* Answers: unchecked by default, set, the first real one stamps first_site once. */
static void answers(void **state)
{
    (void)state;
    json_t *d = draft();
    xa_doc_form_add(d, &form_c, 1, form, 0);
    assert_null(xa_doc_answer(d, "gate", "A-01"));
    assert_int_equal(xa_doc_result(d, "gate", "A-01"), XA_RESULT_UNCHECKED);
    json_t *times = json_object_get(d, "times");
    /* Clearing an answer is not reaching a site. */
    xa_doc_set_result(d, &form_c, 1, "gate", "A-01", XA_RESULT_UNCHECKED, 1000);
    assert_true(json_is_null(json_object_get(times, "first_site")));
    assert_non_null(xa_doc_answer(d, "gate", "A-01"));
    int64_t t;
    int off;
    assert_int_equal(xa_time_parse("2026-11-29T09:41:00+08:00", &t, &off, NULL), XA_OK);
    xa_doc_set_result(d, &form_c, 1, "gate", "A-01", XA_RESULT_PASS, t);
    assert_int_equal(xa_doc_result(d, "gate", "A-01"), XA_RESULT_PASS);
    assert_string_equal(xa_doc_str(times, "first_site"), "2026-11-29T09:41:00+08:00");
    assert_string_equal(xa_doc_str(xa_doc_answer(d, "gate", "A-01"), "result"), "pass");
    /* A later answer leaves the first-site time alone. */
    xa_doc_set_result(d, &form_c, 1, "gate", "A-02", XA_RESULT_HAZARD, t + 600);
    assert_string_equal(xa_doc_str(times, "first_site"), "2026-11-29T09:41:00+08:00");
    assert_int_equal(xa_doc_result(d, "gate", "A-02"), XA_RESULT_HAZARD);
    /* One answer per item, however often it is set. */
    xa_doc_set_result(d, &form_c, 1, "gate", "A-01", XA_RESULT_NA, t);
    assert_int_equal(json_array_size(json_object_get(d, "answers")), 2);
    assert_string_equal(xa_doc_str(d, "no-such-member"), "");
    xa_doc_set_str(d, "kind", "random");
    assert_string_equal(xa_doc_str(d, "kind"), "random");
    assert_valid(d);
    json_decref(d);
}

/* Hazards of an item: prefilled from it, default deadline by level, counted, removed. */
static void hazards(void **state)
{
    (void)state;
    json_t *d = draft();
    xa_doc_form_add(d, &form_c, 1, form, 0);
    xa_deadline_days days = {30, 15};
    int64_t today;
    assert_int_equal(xa_date_parse("2026-11-29", &today, NULL), XA_OK);
    char dl[XA_DATE_MAX];
    xa_doc_deadline(XA_SEV_GENERAL, &days, today, dl);
    assert_string_equal(dl, "2026-12-29");
    xa_doc_deadline(XA_SEV_MAJOR, &days, today, dl);
    assert_string_equal(dl, "2026-12-14");

    assert_int_equal(xa_doc_item_hazards(d, "gate", "A-02"), 0);
    /* The location the inspector gave the item goes into its new hazard. */
    xa_doc_set_str(xa_doc_answer_ensure(d, "gate", "A-02"), "location", "宿舍楼3号402");
    json_t *h1 = xa_doc_hazard_add(d, form, &form->items[1], &days, today);
    assert_string_equal(xa_doc_str(h1, "form"), "gate");
    assert_string_equal(xa_doc_str(h1, "code"), "A-02");
    assert_string_equal(xa_doc_str(h1, "category"), "security");
    assert_string_equal(xa_doc_str(h1, "severity"), "major");
    /* The description starts empty (the item's text is the compliant state). */
    assert_string_equal(xa_doc_str(h1, "description"), "");
    assert_string_equal(xa_doc_str(h1, "location"), "宿舍楼3号402");
    assert_string_equal(xa_doc_str(h1, "deadline"), "2026-12-14");
    /* A text item has no level: its hazard is general. */
    json_t *h2 = xa_doc_hazard_add(d, form, &form->items[2], &days, today);
    assert_string_equal(xa_doc_str(h2, "severity"), "general");
    assert_string_equal(xa_doc_str(h2, "location"), "");
    assert_string_equal(xa_doc_str(h2, "deadline"), "2026-12-29");
    json_t *h3 = xa_doc_hazard_add(d, form, &form->items[1], &days, today);
    assert_int_equal(xa_doc_item_hazards(d, "gate", "A-02"), 2);
    assert_ptr_equal(xa_doc_item_hazard(d, "gate", "A-02", 0), h1);
    assert_ptr_equal(xa_doc_item_hazard(d, "gate", "A-02", 1), h3);
    assert_null(xa_doc_item_hazard(d, "gate", "A-02", 2));
    assert_int_equal(xa_doc_form_hazards(d, "gate"), 3);
    assert_int_equal(xa_visit_hazard_count(d), 3);
    assert_valid(d);
    xa_doc_hazard_remove(d, h1);
    assert_int_equal(xa_doc_item_hazards(d, "gate", "A-02"), 1);
    assert_ptr_equal(xa_doc_item_hazard(d, "gate", "A-02", 0), h3);
    xa_doc_hazard_remove(d, h1); /* no longer there: nothing happens */
    assert_int_equal(xa_doc_form_hazards(d, "gate"), 2);
    assert_valid(d);
    json_decref(d);
}

/* Follow-ups: created once, verdict set or kept. */
static void followups(void **state)
{
    (void)state;
    json_t *d = draft();
    const char *id = "00112233445566778899aabbccddeeff";
    assert_null(xa_doc_followup(d, id));
    json_t *f = xa_doc_followup_ensure(d, id, XA_VERDICT_PARTLY);
    assert_string_equal(xa_doc_str(f, "verdict"), "partly");
    xa_doc_set_str(f, "note", "灭火器已补充一半");
    /* Asking again without a verdict keeps it and the note. */
    assert_ptr_equal(xa_doc_followup_ensure(d, id, XA_VERDICT_UNKNOWN), f);
    assert_string_equal(xa_doc_str(f, "verdict"), "partly");
    assert_ptr_equal(xa_doc_followup_ensure(d, id, XA_VERDICT_RECTIFIED), f);
    assert_string_equal(xa_doc_str(f, "verdict"), "rectified");
    assert_string_equal(xa_doc_str(f, "note"), "灭火器已补充一半");
    assert_int_equal(json_array_size(json_object_get(d, "followups")), 1);
    assert_ptr_equal(xa_doc_followup(d, id), f);
    assert_valid(d);
    json_decref(d);
}

/* Forms: added once; at a day school the boarding item starts n/a and that
 * n/a is not an answer; removing a form takes its answers with it. */
static void forms(void **state)
{
    (void)state;
    json_t *d = draft();
    xa_profile day_school = XA_PF_PRIMARY, boarding = XA_PF_PRIMARY | XA_PF_BOARDING;
    assert_false(xa_doc_has_form(d, "gate"));
    xa_doc_form_add(d, &form_c, 1, form, day_school);
    assert_true(xa_doc_has_form(d, "gate"));
    json_t *f0 = json_array_get(json_object_get(d, "forms"), 0);
    assert_string_equal(xa_doc_str(f0, "hash"), form->hash_hex);
    assert_int_equal(json_integer_value(json_object_get(f0, "version")), 2);
    assert_int_equal(xa_doc_result(d, "gate", "A-02"), XA_RESULT_NA);
    assert_int_equal(xa_doc_result(d, "gate", "A-01"), XA_RESULT_UNCHECKED);
    assert_int_equal(xa_doc_form_answers(d, form, day_school), 0);
    /* The same n/a counts at a school where the item applies (a person chose it). */
    assert_int_equal(xa_doc_form_answers(d, form, boarding), 1);
    xa_doc_set_result(d, &form_c, 1, "gate", "A-01", XA_RESULT_PASS, xa_now());
    assert_int_equal(xa_doc_form_answers(d, form, day_school), 1);
    /* Adding it again changes nothing, and keeps the answers. */
    xa_doc_form_add(d, &form_c, 1, form, day_school);
    assert_int_equal(json_array_size(json_object_get(d, "forms")), 1);
    assert_int_equal(xa_doc_result(d, "gate", "A-01"), XA_RESULT_PASS);
    assert_valid(d);
    xa_doc_form_remove(d, "gate");
    assert_false(xa_doc_has_form(d, "gate"));
    assert_int_equal(json_array_size(json_object_get(d, "answers")), 0);
    assert_valid(d);
    /* Unknown school (profile 0): every item applies, nothing is n/a. */
    xa_doc_form_add(d, &form_c, 1, form, 0);
    assert_int_equal(xa_doc_result(d, "gate", "A-02"), XA_RESULT_UNCHECKED);
    assert_int_equal(json_array_size(json_object_get(d, "answers")), 0);
    json_decref(d);
}

/* A second form whose items repeat gate's A-01 (same_as) twice. */
static const char *const FORM2 =
    "section,code,type,text,severity,basis,min,max,same_as\n"
    "宿舍,D-01,check,宿舍门卫值守,general,,,,gate/A-01\n"
    "宿舍,D-02,count,宿管人数,general,,1,9,\n"
    "宿舍,D-03,check,夜间门卫,general,,,,gate/A-01\n";
static const xa_form_info INFO2 = {"dorm", 1, "宿舍", "Dormitory", XA_CAT_SECURITY, 0};

/* The change record of each answer, applied to a copy of the document as
 * it was before, gives the document itself — same_as items, counts, texts,
 * notes, first_site and answers created in any order — byte for byte. */
static void answer_change(void **state)
{
    (void)state;
    xa_form *f2 = NULL;
    xa_err e;
    assert_int_equal(xa_form_parse("dorm.csv", FORM2, strlen(FORM2), &INFO2, &f2, NULL, &e),
                     XA_OK);
    const xa_form *both[2] = {form, f2};
    json_t *d = draft();
    xa_doc_form_add(d, both, 2, form, 0);
    xa_doc_form_add(d, both, 2, f2, 0);
    json_t *replica = json_deep_copy(d);
    assert_null(xa_doc_answer_change(d, both, 2, "gate", "A-01"));
    struct {
        const char *form, *code;
        xa_result r;
        long count;       /* >= 0: a count */
        const char *text; /* a text or a note */
    } steps[] = {
        {"dorm", "D-03", XA_RESULT_UNCHECKED, -1, NULL}, /* creates D-03, A-01, D-01 */
        {"dorm", "D-02", XA_RESULT_PASS, 4, NULL},
        {"gate", "A-03", XA_RESULT_PASS, -1, "侧门未上锁"},
        {"gate", "A-01", XA_RESULT_HAZARD, -1, NULL}, /* first_site, and D-01, D-03 */
        {"dorm", "D-01", XA_RESULT_PASS, -1, NULL},
        {"gate", "A-02", XA_RESULT_NA, -1, "note:不住宿"},
        {"dorm", "D-02", XA_RESULT_HAZARD, 12, NULL},
        {"gate", "A-01", XA_RESULT_UNCHECKED, -1, NULL},
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        if (steps[i].count >= 0)
            json_object_set_new(xa_doc_answer_ensure(d, steps[i].form, steps[i].code), "value",
                                json_integer(steps[i].count));
        if (steps[i].text && !strncmp(steps[i].text, "note:", 5))
            xa_doc_set_str(xa_doc_answer_ensure(d, steps[i].form, steps[i].code), "note",
                           steps[i].text + 5);
        else if (steps[i].text)
            xa_doc_set_str(xa_doc_answer_ensure(d, steps[i].form, steps[i].code), "text",
                           steps[i].text);
        xa_doc_set_result(d, both, 2, steps[i].form, steps[i].code, steps[i].r,
                          1764380460 + (int64_t)i);
        json_t *change = xa_doc_answer_change(d, both, 2, steps[i].form, steps[i].code);
        assert_non_null(change);
        /* through the bytes the store keeps */
        xa_buf b = XA_BUF_INIT;
        assert_int_equal(xa_json_canonical(change, &b, &e), XA_OK);
        json_t *back = NULL;
        assert_int_equal(xa_json_parse(b.data, b.len, 32, &back, &e), XA_OK);
        assert_int_equal(xa_visit_change_apply(replica, back, &e), XA_OK);
        json_decref(back);
        json_decref(change);
        xa_buf_clear(&b);
        xa_buf x = XA_BUF_INIT, y = XA_BUF_INIT;
        assert_int_equal(xa_visit_canonical(d, &x, &e), XA_OK);
        assert_int_equal(xa_visit_canonical(replica, &y, &e), XA_OK);
        assert_int_equal(x.len, y.len);
        assert_memory_equal(x.data, y.data, x.len);
        xa_buf_clear(&x);
        xa_buf_clear(&y);
    }
    assert_int_equal(json_array_size(json_object_get(d, "answers")), 6);
    assert_int_equal(xa_doc_result(replica, "dorm", "D-03"), XA_RESULT_UNCHECKED);
    assert_valid(replica);
    /* A record that is not a change, or a change of a sealed visit: refused. */
    json_t *bad = json_pack("{s:[], s:O, s:i}", "answers", "times", json_object_get(d, "times"),
                            "x", 1);
    assert_int_equal(xa_visit_change_apply(replica, bad, &e), XA_EFORMAT);
    json_decref(bad);
    bad = json_pack("{s:[], s:O}", "answers", "times", json_object_get(d, "times"));
    json_object_set_new(replica, "seal", json_object());
    assert_int_equal(xa_visit_change_apply(replica, bad, &e), XA_EFORMAT);
    json_decref(bad);
    json_decref(replica);
    json_decref(d);
    xa_form_free(f2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answers),
        cmocka_unit_test(hazards),
        cmocka_unit_test(followups),
        cmocka_unit_test(forms),
        cmocka_unit_test(answer_change),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
