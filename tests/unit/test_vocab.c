/* test_vocab.c — the domain vocabulary and the settings table (vocab.h):
 * every table maps key ↔ enum ↔ labels both ways, keys are unique, the
 * words records carry are the ones the tables hold, and the settings
 * validator accepts exactly what each row allows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xiaoan/vocab.h"

static const xa_vocab *const all[] = {&xa_vocab_kinds,      &xa_vocab_results,
                                      &xa_vocab_severities, &xa_vocab_verdicts,
                                      &xa_vocab_hstates,    &xa_vocab_escalations,
                                      &xa_vocab_categories};

/* Every row: its key and labels round-trip, keys and ids are unique. */
static void tables_round_trip(void **state)
{
    (void)state;
    for (size_t t = 0; t < sizeof all / sizeof all[0]; t++) {
        const xa_vocab *v = all[t];
        assert_true(v->n > 0);
        for (size_t i = 0; i < v->n; i++) {
            const xa_term *r = &v->terms[i];
            assert_true(*r->key && *r->zh && *r->en);
            assert_int_equal(xa_vocab_id(v, r->key), r->id);
            assert_int_equal(xa_vocab_parse(v, r->zh), r->id);
            assert_string_equal(xa_vocab_key(v, r->id), r->key);
            assert_string_equal(xa_vocab_label(v, r->id, 0), r->zh);
            assert_string_equal(xa_vocab_label(v, r->id, 1), r->en);
            for (size_t j = 0; j < i; j++) {
                assert_string_not_equal(v->terms[j].key, r->key);
                assert_int_not_equal(v->terms[j].id, r->id);
            }
        }
        assert_int_equal(xa_vocab_id(v, "no-such-word"), -1);
        assert_int_equal(xa_vocab_id(v, NULL), -1);
        assert_string_equal(xa_vocab_key(v, 999), "");
        assert_string_equal(xa_vocab_label_of(v, "no-such-word", 0), "no-such-word");
        assert_string_equal(xa_vocab_label_of(v, NULL, 1), "");
    }
}

/* The words the record format and the office use, with their enums. */
static void the_words(void **state)
{
    (void)state;
    assert_int_equal(xa_kind_of("four-not-two-direct"), XA_KIND_4N2D);
    assert_int_equal(xa_kind_of("third-party"), XA_KIND_THIRD);
    assert_int_equal(xa_vocab_kinds.n, 8);
    assert_int_equal(xa_result_of("pass"), XA_RESULT_PASS);
    assert_int_equal(xa_result_of("na"), XA_RESULT_NA);
    assert_int_equal(xa_result_of("unchecked"), XA_RESULT_UNCHECKED);
    assert_int_equal(xa_result_of("PASS"), XA_RESULT_UNKNOWN); /* records: exact keys */
    assert_int_equal(xa_vocab_parse(&xa_vocab_results, "PASS"), XA_RESULT_PASS);
    assert_int_equal(xa_severity_of("major"), XA_SEV_MAJOR);
    assert_int_equal(xa_vocab_parse(&xa_vocab_severities, "一般"), XA_SEV_GENERAL);
    assert_int_equal(xa_verdict_of("not-rectified"), XA_VERDICT_NOT);
    assert_string_equal(xa_vocab_label(&xa_vocab_verdicts, XA_VERDICT_UNABLE, 0), "无法核查");
    /* the rectification loop's states and levels */
    assert_string_equal(xa_vocab_label(&xa_vocab_hstates, XA_HS_OPEN, 0), "待整改");
    assert_string_equal(xa_vocab_label(&xa_vocab_hstates, XA_HS_RECHECKED, 0), "已整改待销号");
    assert_string_equal(xa_vocab_label(&xa_vocab_hstates, XA_HS_CLOSED, 0), "已销号");
    assert_int_equal(xa_hstate_of("rechecked"), XA_HS_RECHECKED);
    assert_int_equal(XA_ESC_NONE, 0);
    assert_int_equal(XA_ESC_SUPERVISED, 1);
    assert_int_equal(XA_ESC_LISTED, 2);
    assert_string_equal(xa_vocab_label(&xa_vocab_escalations, 2, 0), "挂牌督办");
    /* forms.h's names */
    assert_string_equal(xa_category_key(XA_CAT_MENTAL_HEALTH), "mental-health");
    assert_string_equal(xa_category_label(XA_CAT_FIRE), "消防");
    assert_string_equal(xa_category_key((xa_category)99), "?");
    xa_category c;
    assert_true(xa_category_parse("FIRE", &c));
    assert_int_equal(c, XA_CAT_FIRE);
    assert_false(xa_category_parse("gate", &c));
    assert_string_equal(xa_severity_key(XA_SEV_NONE), "");
    assert_string_equal(xa_severity_key(XA_SEV_MAJOR), "major");
    assert_string_equal(xa_severity_label(XA_SEV_GENERAL), "一般");
    xa_buf b = XA_BUF_INIT;
    xa_vocab_keys(&xa_vocab_results, &b);
    assert_string_equal(b.data, "pass, hazard, na, unchecked");
    xa_buf_clear(&b);
}

/* The settings table: lookups, defaults and the one validator. */
static void settings(void **state)
{
    (void)state;
    const xa_setting *s = xa_setting_find("deadline.major");
    assert_non_null(s);
    assert_int_equal(s->id, XA_SET_DEADLINE_MAJOR);
    assert_null(xa_setting_find("colour"));
    assert_null(xa_setting_find(NULL));
    assert_int_equal(xa_setting_default_int(XA_SET_DEADLINE_GENERAL), 15); /* issue 12 */
    assert_int_equal(xa_setting_default_int(XA_SET_DEADLINE_MAJOR), 30);
    assert_int_equal(xa_setting_default_int(XA_SET_REPORT_UNVISITED), 90);
    for (int i = 0; i < XA_SET_N; i++) {
        assert_int_equal(xa_settings[i].id, i);
        assert_true(*xa_settings[i].help);
        /* every default passes its own check */
        assert_int_equal(xa_setting_check(&xa_settings[i], xa_settings[i].def, NULL), XA_OK);
        assert_ptr_equal(xa_setting_find(xa_settings[i].key), &xa_settings[i]);
    }
    xa_err e;
    assert_int_equal(xa_setting_check(s, "10", &e), XA_OK);
    assert_int_equal(xa_setting_check(s, "3650", &e), XA_OK);
    assert_int_equal(xa_setting_check(s, "0", &e), XA_EUSAGE);
    assert_string_equal(e.msg, "deadline.major must be a number of days from 1 to 3650");
    assert_int_equal(xa_setting_check(s, "3651", &e), XA_EUSAGE);
    assert_int_equal(xa_setting_check(s, "soon", &e), XA_EUSAGE);
    assert_int_equal(xa_setting_check(s, "", &e), XA_EUSAGE);
    assert_int_equal(xa_setting_check(s, "12x", &e), XA_EUSAGE);
    assert_int_equal(xa_setting_check(s, "99999999999999999999", &e), XA_EUSAGE);
    /* the other two kinds of row, as a later setting will use them */
    xa_setting choice = {XA_SET_UNKNOWN, "signoff.x", XA_SETTING_CHOICE, "field", 0, 0,
                         "field|office", "who signs off"};
    assert_int_equal(xa_setting_check(&choice, "office", &e), XA_OK);
    assert_int_equal(xa_setting_check(&choice, "field", &e), XA_OK);
    assert_int_equal(xa_setting_check(&choice, "fiel", &e), XA_EUSAGE);
    assert_int_equal(xa_setting_check(&choice, "", &e), XA_EUSAGE);
    assert_string_equal(e.msg, "signoff.x must be one of field|office, not ''");
    xa_setting text = {XA_SET_UNKNOWN, "notice.x", XA_SETTING_TEXT, "丽教安", 1, 12, NULL, "prefix"};
    assert_int_equal(xa_setting_check(&text, "丽教安", &e), XA_OK);
    assert_int_equal(xa_setting_check(&text, "", &e), XA_EUSAGE);
    assert_int_equal(xa_setting_check(&text, "a\nb", &e), XA_EUSAGE);
    assert_int_equal(xa_setting_check(&text, "丽水市教育局安全科", &e), XA_EUSAGE); /* 27 bytes */
    xa_buf b = XA_BUF_INIT;
    xa_setting_keys(&b);
    assert_string_equal(b.data, "deadline.general, deadline.major, report.unvisited_days,"
                                " signoff.general, notice.prefix, notice.reply_days,"
                                " escalate.after_days, attach.file_mb, attach.visit_mb");
    /* the loop's settings (issue 12) */
    assert_int_equal(xa_setting_default_int(XA_SET_ESCALATE_AFTER), 7);
    assert_int_equal(xa_setting_default_int(XA_SET_NOTICE_REPLY_DAYS), 10);
    assert_string_equal(xa_settings[XA_SET_NOTICE_PREFIX].def, "校安整改");
    assert_int_equal(xa_setting_check(&xa_settings[XA_SET_SIGNOFF_GENERAL], "office", &e), XA_OK);
    assert_int_equal(xa_setting_check(&xa_settings[XA_SET_SIGNOFF_GENERAL], "school", &e),
                     XA_EUSAGE);
    xa_buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_round_trip),
        cmocka_unit_test(the_words),
        cmocka_unit_test(settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
