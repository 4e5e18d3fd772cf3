/* test_tui.c — the pure pieces of the TUI: the school filter (20,000
 * schools, incremental narrowing) and the text input widget's editing
 * (characters, not bytes; display columns).
 *
 * Run as `test_tui fixture HOME PASSFILE ROSTER FORMS_DIR` it instead puts
 * a brief into an existing field store through the store's own API, for
 * the screen tests in tests/tui/ when the office's `central brief` and
 * `brief import` commands are not in this build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "xiaoan/age.h"
#include "xiaoan/field.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/forms.h"
#include "xiaoan/pass.h"
#include "xiaoan/roster.h"
#include "xiaoan/tui.h"

#include <sodium.h>
#include "../../src/tui/tui_int.h"
#include "../../src/tui/session.h"

static const char *const counties[] = {"莲都区", "龙泉市", "青田县", "缙云县", "遂昌县",
                                       "松阳县", "云和县", "庆元县", "景宁畲族自治县"};

static void fill(xa_filter *f, size_t n)
{
    xa_filter_init(f, n);
    for (size_t i = 0; i < n; i++) {
        char code[32], name[64], py[32];
        snprintf(code, sizeof code, "3311%08zu", i);
        snprintf(name, sizeof name, "第%zu实验小学", i);
        snprintf(py, sizeof py, "d%zusyxx", i);
        xa_filter_set(f, i, code, name, counties[i % 9], py);
    }
    xa_filter_set(f, 7, "331102000101", "莲都区实验小学", "莲都区", "LDQSYXX");
}

static void filter_basics(void **state)
{
    (void)state;
    xa_filter f;
    fill(&f, 100);
    xa_filter_apply(&f, "");
    assert_int_equal(f.nmatch, 100);
    xa_filter_apply(&f, "ldq"); /* pinyin of the county too: every 莲都区 school */
    assert_int_equal(f.nmatch, 12 + 1);
    xa_filter_apply(&f, "ldqs");
    assert_int_equal(f.nmatch, 1);
    assert_int_equal(f.match[0], 7);
    xa_filter_apply(&f, "LDQSYXX"); /* case-insensitive, narrows */
    assert_int_equal(f.nmatch, 1);
    xa_filter_apply(&f, "ldqx"); /* no match */
    assert_int_equal(f.nmatch, 0);
    xa_filter_apply(&f, "实验小学"); /* shorter again: searches everything */
    assert_int_equal(f.nmatch, 100);
    xa_filter_apply(&f, "龙泉"); /* by county */
    assert_int_equal(f.nmatch, 11);
    xa_filter_apply(&f, "龙泉 第1"); /* words are AND-ed */
    assert_int_equal(f.nmatch, 3); /* 1, 10, 19... only those in 龙泉市: 1, 10, 19 */
    xa_filter_apply(&f, "331102000101"); /* by code */
    assert_int_equal(f.nmatch, 1);
    xa_filter_apply(&f, "lianduqushiyan"); /* full pinyin from Unihan */
    assert_int_equal(f.nmatch, 1);
    assert_int_equal(f.match[0], 7);
    xa_filter_apply(&f, "longquan"); /* full pinyin of a county */
    assert_int_equal(f.nmatch, 11);
    xa_filter_apply(&f, "lqs"); /* initials and a syllable: 龙泉市 */
    assert_int_equal(f.nmatch, 11);
    xa_filter_free(&f);
}

/* Typing a query letter by letter over 20,000 schools narrows to the one
 * school (how fast is measured by make bench, not here). */
static void filter_20000(void **state)
{
    (void)state;
    xa_filter f;
    fill(&f, 20000);
    const char *q = "ldqsyxx";
    char typed[16];
    for (size_t i = 1; i <= strlen(q); i++) {
        memcpy(typed, q, i);
        typed[i] = '\0';
        xa_filter_apply(&f, typed);
    }
    assert_int_equal(f.nmatch, 1);
    assert_int_equal(f.match[0], 7);
    xa_filter_free(&f);
}

static struct tui_key ch(wint_t c)
{
    struct tui_key k = {(int)c, c, 0};
    return k;
}

static struct tui_key key(int code)
{
    struct tui_key k = {code | KF, 0, 1};
    return k;
}

static void type(struct tinput *t, const wchar_t *s)
{
    for (; *s; s++) {
        struct tui_key k = ch((wint_t)*s);
        tinput_key(t, &k);
    }
}

static void input_editing(void **state)
{
    (void)state;
    struct tinput t;
    tinput_init(&t, 0, 0);
    type(&t, L"宿舍楼3号402");
    char *s = tinput_get(&t);
    assert_string_equal(s, "宿舍楼3号402");
    free(s);
    struct tui_key bs = ch(127);
    tinput_key(&t, &bs); /* one character, not one byte */
    s = tinput_get(&t);
    assert_string_equal(s, "宿舍楼3号40");
    free(s);
    struct tui_key home = key(KEY_HOME);
    tinput_key(&t, &home);
    type(&t, L"东");
    s = tinput_get(&t);
    assert_string_equal(s, "东宿舍楼3号40");
    free(s);
    struct tui_key ce = ch(5); /* Ctrl-E */
    tinput_key(&t, &ce);
    type(&t, L" 楼梯间");
    struct tui_key cw = ch(23); /* Ctrl-W: the Chinese word */
    tinput_key(&t, &cw);
    s = tinput_get(&t);
    assert_string_equal(s, "东宿舍楼3号40 ");
    free(s);
    struct tui_key cu = ch(21); /* Ctrl-U */
    tinput_key(&t, &cu);
    assert_int_equal(t.len, 0);
    tinput_set(&t, "a\xE4\xB8\xAD" "b"); /* a中b */
    assert_int_equal(t.len, 3);
    assert_int_equal(t.cur, 3);
    tinput_free(&t);
}

static void input_multiline(void **state)
{
    (void)state;
    struct tinput t;
    tinput_init(&t, 1, 0);
    type(&t, L"第一行");
    struct tui_key enter = ch('\r');
    assert_int_equal(tinput_key(&t, &enter), 1);
    type(&t, L"second");
    char *s = tinput_get(&t);
    assert_string_equal(s, "第一行\nsecond");
    free(s);
    /* 10 columns: "第一行" is 6, so two rows; 12 wide characters wrap to 3. */
    assert_int_equal(tinput_rows(&t, 10), 2);
    tinput_set(&t, "一二三四五六七八九十甲乙");
    assert_int_equal(tinput_rows(&t, 10), 3);
    /* Single-line fields leave Enter to the caller. */
    struct tinput one;
    tinput_init(&one, 0, 5);
    assert_int_equal(tinput_key(&one, &enter), 0);
    type(&one, L"1234567");
    assert_int_equal(one.len, 5); /* bounded */
    tinput_free(&one);
    tinput_free(&t);
}

/* The fixture: settings, the roster, the forms, one open (overdue) hazard
 * at the first school, an assignment at the second. */
static int fixture(char **argv)
{
    const char *home = argv[2], *passfile = argv[3], *roster = argv[4], *forms = argv[5];
    xa_err err;
    char *pass = NULL;
    xa_fstore *s = NULL;
    xa_identity *office = NULL;
    xa_roster *r = NULL;
    xa_form_set *fs = NULL;
    if (sodium_init() < 0 || xa_pass_from_file(passfile, &pass, &err) != XA_OK ||
        xa_fstore_open(home, pass, &s, &err) != XA_OK ||
        xa_identity_generate("丽水市教育局安全科", &office, &err) != XA_OK ||
        xa_roster_load(roster, &r, NULL, &err) != XA_OK ||
        xa_form_set_load(forms, &fs, NULL, &err) != XA_OK) {
        fprintf(stderr, "fixture: %s\n", xa_err_msg(&err));
        return 1;
    }
    xa_pass_free(pass);
    const xa_identity *me = xa_fstore_identity(s);
    json_t *recs = json_array();
    json_array_append_new(recs, json_pack("{s:s, s:o, s:{s:s,s:s}, s:{s:i,s:i}}", "type",
                                          "settings", "office", xa_identity_public_json(office),
                                          "inspector", "name", me->name, "fingerprint",
                                          me->fingerprint, "deadline_days", "general", 30, "major",
                                          15));
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(recs, xa_school_to_json(&r->schools[i]));
    for (size_t i = 0; i < fs->n; i++)
        json_array_append_new(recs, xa_form_to_json(fs->forms[i]));
    json_array_append_new(
        recs, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type",
                        "hazard", "id", "0123456789abcdef0123456789abcdef", "school",
                        r->schools[0].code, "visit", "fedcba9876543210fedcba9876543210", "form",
                        "fire-buildings", "code", "FB-03", "category", "fire", "severity", "major",
                        "description", "图书馆未取得消防验收合格意见", "location", "图书馆",
                        "requirement", "停止使用，补办消防验收", "deadline", "2026-10-15",
                        "responsible", "王校长", "found", "2026-09-30T10:00:00+08:00", "state",
                        "overdue"));
    json_array_append_new(recs, json_pack("{s:s,s:s,s:s,s:s,s:s}", "type", "assignment", "school",
                                          r->schools[1].code, "kind", "four-not-two-direct", "due",
                                          "2026-12-10", "note", "第一轮"));
    xa_brief_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.seq = 1;
    memset(meta.hash, 'a', 64);
    snprintf(meta.created, sizeof meta.created, "2026-11-26T09:00:00+08:00");
    xa_code c = xa_fstore_brief_put(s, office, &meta, recs, NULL, &err);
    if (c != XA_OK)
        fprintf(stderr, "fixture: %s\n", xa_err_msg(&err));
    else
        printf("%s\n", office->fingerprint);
    json_decref(recs);
    xa_form_set_free(fs);
    xa_roster_free(r);
    xa_identity_free(office);
    xa_fstore_close(s);
    return c == XA_OK ? 0 : 1;
}


/* same_as: an answer serves every item of the visit asking the same
 * question (also when a form is added later); count ranges follow the
 * school's numbers (the guards rule); 建议项 never needs a hazard. */
static void same_as_and_rules(void **state)
{
    (void)state;
    const char *dirs[] = {"forms", "../forms", "../../forms"};
    xa_form_set *set = NULL;
    for (size_t i = 0; i < 3 && !set; i++)
        if (xa_form_set_load(dirs[i], &set, NULL, NULL) != XA_OK)
            set = NULL;
    if (!set)
        skip();
    struct session s;
    memset(&s, 0, sizeof s);
    s.forms = set->forms;
    s.nforms = set->n;
    s.doc = json_pack("{s:[], s:[], s:{s:n}}", "forms", "answers", "times", "first_site");
    struct bschool b;
    memset(&b, 0, sizeof b);
    b.s.students = 2460;
    b.s.boarders = 0;
    s.vschool = &b;
    sess_form_add(&s, xa_form_set_find(set, "general-4n2d"));
    sess_form_add(&s, xa_form_set_find(set, "fire-buildings"));
    sess_set_result(&s, "general-4n2d", "GN-05", XA_RESULT_HAZARD);
    assert_int_equal(xa_doc_result(s.doc, "fire-buildings", "FB-09"), XA_RESULT_HAZARD);
    sess_set_result(&s, "fire-buildings", "FB-09", XA_RESULT_PASS);
    assert_int_equal(xa_doc_result(s.doc, "general-4n2d", "GN-05"), XA_RESULT_PASS);
    /* A form added later takes the answer already given. */
    sess_form_add(&s, xa_form_set_find(set, "dormitory"));
    assert_int_equal(xa_doc_result(s.doc, "dormitory", "DM-06"), XA_RESULT_PASS);
    /* The screens name the item an answer is shared with. */
    assert_string_equal(sess_same_as_code(xa_form_item(xa_form_set_find(set, "general-4n2d"), "GN-05")),
                        "FB-09");
    assert_string_equal(sess_same_as_code(xa_form_item(xa_form_set_find(set, "fire-buildings"), "FB-09")),
                        "");
    /* Not linked items stay apart. */
    assert_int_equal(xa_doc_result(s.doc, "dormitory", "DM-01"), XA_RESULT_UNCHECKED);
    /* The guards rule: 2460 day pupils need at least 5. */
    const xa_item *sg = xa_form_item(xa_form_set_find(set, "security-gate"), "SG-02");
    char range[64];
    sess_item_range(&s, sg, range);
    assert_string_equal(range, "≥ 5");
    b.s.students = -1;
    sess_item_range(&s, sg, range);
    assert_string_equal(range, "≥ 1");
    json_decref(s.doc);
    xa_form_set_free(set);
}

/* Every answer the index gives is the one the document holds: after
 * answers through the session, answers and hazards added straight to the
 * document (xa_doc_*), and a form taken away. */
static void index_agrees(struct session *s, const xa_form_set *set)
{
    json_t *fl = json_object_get(s->doc, "forms");
    for (size_t k = 0; k < set->n; k++) {
        const xa_form *f = set->forms[k];
        int done = 0, in_visit = 0;
        for (size_t i = 0; i < json_array_size(fl); i++)
            in_visit |= !strcmp(xa_doc_str(json_array_get(fl, i), "id"), f->id);
        for (size_t i = 0; i < f->nitems; i++) {
            const char *code = f->items[i].code;
            assert_ptr_equal(sess_answer(s, f->id, code), xa_doc_answer(s->doc, f->id, code));
            assert_int_equal(sess_result(s, f->id, code), xa_doc_result(s->doc, f->id, code));
            assert_int_equal(sess_item_hazards(s, f->id, code),
                             xa_doc_item_hazards(s->doc, f->id, code));
            done += xa_doc_result(s->doc, f->id, code) != XA_RESULT_UNCHECKED;
        }
        if (in_visit)
            assert_int_equal(sess_form_done(s, f), done);
    }
}

static void answers_index(void **state)
{
    (void)state;
    const char *dirs[] = {"forms", "../forms", "../../forms"};
    xa_form_set *set = NULL;
    for (size_t i = 0; i < 3 && !set; i++)
        if (xa_form_set_load(dirs[i], &set, NULL, NULL) != XA_OK)
            set = NULL;
    if (!set)
        skip();
    struct session *s = sess_new("/nonexistent");
    s->forms = set->forms;
    s->nforms = set->n;
    s->doc = json_pack("{s:[], s:[], s:[], s:{s:n}}", "forms", "answers", "hazards", "times",
                       "first_site");
    assert_null(sess_answer(s, "general-4n2d", "GN-05"));
    sess_form_add(s, xa_form_set_find(set, "general-4n2d"));
    sess_form_add(s, xa_form_set_find(set, "fire-buildings"));
    index_agrees(s, set);
    sess_set_result(s, "general-4n2d", "GN-05", XA_RESULT_HAZARD); /* and FB-09, same_as */
    sess_set_result(s, "general-4n2d", "GN-01", XA_RESULT_PASS);
    index_agrees(s, set);
    assert_int_equal(sess_result(s, "fire-buildings", "FB-09"), XA_RESULT_HAZARD);
    /* Straight into the document, no session call in between. */
    const xa_form *g = xa_form_set_find(set, "general-4n2d");
    xa_doc_set_str(xa_doc_answer_ensure(s->doc, g->id, g->items[2].code), "result", "na");
    xa_deadline_days days = {30, 60};
    xa_doc_hazard_add(s->doc, g, xa_form_item(g, "GN-05"), &days, 20000);
    xa_doc_hazard_add(s->doc, g, xa_form_item(g, "GN-05"), &days, 20000);
    index_agrees(s, set);
    assert_int_equal(sess_item_hazards(s, "general-4n2d", "GN-05"), 2);
    assert_int_equal(sess_result(s, g->id, g->items[2].code), XA_RESULT_NA);
    /* A result changed in place is read through the index at once. */
    xa_doc_set_str(xa_doc_answer(s->doc, "general-4n2d", "GN-01"), "result", "unchecked");
    assert_int_equal(sess_result(s, "general-4n2d", "GN-01"), XA_RESULT_UNCHECKED);
    sess_gen(s);
    index_agrees(s, set);
    /* A form taken away (its answers go): nothing left of it in the index. */
    xa_doc_form_remove(s->doc, "fire-buildings");
    index_agrees(s, set);
    assert_null(sess_answer(s, "fire-buildings", "FB-09"));
    s->forms = NULL; /* the set's, not the session's */
    s->nforms = 0;
    sess_free(s);
    xa_form_set_free(set);
}

/* Bug 9: the hazards a visit re-checks are the school's earlier ones — not
 * the ones it recorded itself (the next brief carries them back), nor ones
 * found after it was created, nor another school's. */
static void recheck_own_hazards(void **state)
{
    (void)state;
    struct session ss;
    memset(&ss, 0, sizeof ss);
    ss.doc = json_pack("{s:{s:s}, s:{s:s}, s:[{s:s}]}", "school", "code", "3311020001", "times",
                       "created", "2026-11-29T09:30:00+08:00", "hazards", "id",
                       "0123456789abcdef0123456789abcdef");
    assert_non_null(ss.doc);
    struct bhazard earlier = {.id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", .school = "3311020001",
                              .found = "2026-10-02T10:00:00+08:00"};
    struct bhazard own = {.id = "0123456789abcdef0123456789abcdef", .school = "3311020001",
                          .found = "2026-11-29T09:40:00+08:00"};
    struct bhazard later = {.id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", .school = "3311020001",
                            .found = "2026-12-02T10:00:00+08:00"};
    struct bhazard other = {.id = "cccccccccccccccccccccccccccccccc", .school = "3311020002",
                            .found = "2026-10-02T10:00:00+08:00"};
    assert_int_equal(sess_hazard_to_recheck(&ss, &earlier), 1);
    assert_int_equal(sess_hazard_to_recheck(&ss, &own), 0);
    assert_int_equal(sess_hazard_to_recheck(&ss, &later), 0);
    assert_int_equal(sess_hazard_to_recheck(&ss, &other), 0);
    json_decref(ss.doc);
}

/* The escape sequences of terminals whose TERM does not match (keys.c):
 * F-keys in the xterm, vt220/rxvt and Linux-console forms, modifiers
 * ignored, the application keypad as digits, the rest unknown. */
static void esc_sequences(void **state)
{
    (void)state;
    static const struct {
        const char *seq;
        int code;
    } cases[] = {
        {"[20~", KK(KEY_F(9))}, {"OP", KK(KEY_F(1))},   {"OQ", KK(KEY_F(2))},
        {"[12~", KK(KEY_F(2))}, {"[[B", KK(KEY_F(2))},  {"[[E", KK(KEY_F(5))},
        {"[19~", KK(KEY_F(8))}, {"[21~", KK(KEY_F(10))}, {"[24~", KK(KEY_F(12))},
        {"[1;2Q", KK(KEY_F(2))}, {"[20;5~", KK(KEY_F(9))}, {"[A", KK(KEY_UP)},
        {"OB", KK(KEY_DOWN)},   {"[1;5C", KK(KEY_RIGHT)}, {"[3~", KK(KEY_DC)},
        {"[5~", KK(KEY_PPAGE)}, {"[6~", KK(KEY_NPAGE)}, {"[7~", KK(KEY_HOME)},
        {"OF", KK(KEY_END)},    {"[Z", KK(KEY_BTAB)},   {"Oq", '1'},
        {"Ow", '7'},            {"OM", '\r'},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tui_key k;
        assert_int_equal(tui_esc_decode(cases[i].seq, strlen(cases[i].seq), &k), 1);
        assert_int_equal(k.code, cases[i].code);
        assert_int_equal(k.is_key, (cases[i].code & KF) != 0);
    }
    static const char *const unknown[] = {"[99~", "[?1h", "[[Z", "Oz", "[", "O", "[200~", "[M"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        struct tui_key k;
        assert_int_equal(tui_esc_decode(unknown[i], strlen(unknown[i]), &k), 0);
    }
}

/* Answer keys are journaled on top of the revision the session holds: the
 * revision follows whole saves, and an attachment saved with the document
 * (sess_saved_whole), so the next answer is journaled again, not saved
 * whole because the journal was refused as stale. */
static void session_journal(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/xiaoan-tui-journal-XXXXXX";
    char *home = mkdtemp(tmpl);
    assert_non_null(home);
    xa_err e;
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    xa_fstore *fs = NULL;
    assert_int_equal(xa_fstore_create(home, "张三", "pw journal", &kdf, &fs, &e), XA_OK);
    xa_fstore_close(fs);
    struct session *ss = sess_new(home);
    assert_int_equal(sess_unlock(ss, "pw journal", &e), XA_OK);
    struct bschool school;
    memset(&school, 0, sizeof school);
    school.s.code = "331102000101";
    school.s.name = "莲都区实验小学";
    school.s.county = "莲都区";
    assert_int_equal(sess_visit_new(ss, &school, XA_KIND_RANDOM, &e), XA_OK);
    char id[XA_ID_HEX];
    snprintf(id, sizeof id, "%s", xa_doc_str(ss->doc, "id"));
    assert_int_equal(ss->revision, 2); /* made, then saved with its forms */

    sess_set_result(ss, "general-4n2d", "GN-01", XA_RESULT_PASS);
    assert_true(sess_commit_answer(ss, "general-4n2d", "GN-01"));
    assert_int_equal(sess_journaled(ss), 1);
    assert_int_equal(sess_save_state(ss), SAVE_CLEAN);
    json_t *back = NULL;
    xa_visit_info info;
    assert_int_equal(xa_fstore_visit_load(ss->fs, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 2);
    assert_int_equal(info.journal, 1);
    assert_int_equal(info.revision, 3); /* every write is a revision (issue 11 #5) */
    assert_int_equal(ss->revision, 3);
    assert_true(json_equal(back, ss->doc));
    json_decref(back);
    xa_visit_info_clear(&info);

    /* an attachment: the journal folded in first, then saved with the document */
    char *photo = xa_path_join(home, "gate.pdf");
    FILE *fp = fopen(photo, "wb");
    assert_non_null(fp);
    fputs("%PDF-1.7\n% a page\n", fp);
    fclose(fp);
    assert_true(sess_save(ss));
    assert_int_equal(ss->revision, 4);
    assert_int_equal(sess_journaled(ss), 0);
    xa_attach_limits lim;
    xa_attach_limits_of(NULL, &lim);
    assert_int_equal(xa_attach_file(ss->fs, ss->doc, &ss->revision, XA_ATTACH_VISIT, 0, photo,
                                    &lim, NULL, &e),
                     XA_OK);
    assert_int_equal(ss->revision, 5);
    sess_saved_whole(ss);
    sess_set_result(ss, "general-4n2d", "GN-02", XA_RESULT_NA);
    assert_true(sess_commit_answer(ss, "general-4n2d", "GN-02"));
    assert_int_equal(sess_journaled(ss), 1); /* journaled on top of the attachment's revision */
    assert_int_equal(xa_fstore_visit_load(ss->fs, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 5);
    assert_int_equal(info.journal, 1);
    assert_true(json_equal(back, ss->doc));
    json_decref(back);
    xa_visit_info_clear(&info);

    /* typed text unsaved: the answer goes with the whole document */
    sess_dirty(ss);
    sess_set_result(ss, "general-4n2d", "GN-03", XA_RESULT_PASS);
    assert_true(sess_commit_answer(ss, "general-4n2d", "GN-03"));
    assert_int_equal(sess_journaled(ss), 0);
    assert_int_equal(ss->revision, 7);
    assert_int_equal(xa_fstore_visit_load(ss->fs, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 7);
    assert_int_equal(info.journal, 0);
    assert_int_equal(info.answers, 3);
    json_decref(back);
    xa_visit_info_clear(&info);

    /* reopened with a journal: the session knows it, the next save folds it */
    sess_set_result(ss, "general-4n2d", "GN-04", XA_RESULT_PASS);
    assert_true(sess_commit_answer(ss, "general-4n2d", "GN-04"));
    json_t *keep = json_deep_copy(ss->doc);
    assert_int_equal(sess_visit_open(ss, id, &e), XA_OK);
    assert_int_equal(ss->revision, 8); /* rev 7 and one journal entry */
    assert_int_equal(sess_journaled(ss), 1);
    assert_true(json_equal(keep, ss->doc));
    json_decref(keep);
    sess_visit_close(ss);
    assert_int_equal(xa_fstore_visit_load(ss->fs, id, &back, &info, &e), XA_OK);
    assert_int_equal(info.rev, 9);
    assert_int_equal(info.journal, 0);
    assert_int_equal(info.answers, 4);
    json_decref(back);
    xa_visit_info_clear(&info);
    sess_free(ss);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
    assert_int_equal(system(cmd), 0);
    free(photo);
}

int main(int argc, char **argv)
{
    if (argc == 6 && !strcmp(argv[1], "fixture"))
        return fixture(argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filter_basics),
        cmocka_unit_test(filter_20000),
        cmocka_unit_test(input_editing),
        cmocka_unit_test(input_multiline),
        cmocka_unit_test(same_as_and_rules),
        cmocka_unit_test(recheck_own_hazards),
        cmocka_unit_test(answers_index),
        cmocka_unit_test(esc_sequences),
        cmocka_unit_test(session_journal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
