/* test_office.c — the office's side of the loop on a real central store:
 * reply, recheck, signoff, extend and escalate (xa_hazard_act: the rules
 * of which state takes which action, all-or-none for several hazards, the
 * store unchanged after any refusal, the audit row), notices
 * (xa_notice_issue: which hazards, the number and its per-year sequence,
 * the notice action on each hazard, reprint giving the same bytes, the
 * refusals) and the hazard's story with its re-check notes.
 *
 * `test_office fixture FILE` writes the fixture store to FILE for the
 * shell test (tests/cli/loop.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers/ok_fx.h"
#include "helpers/unit_fx.h"

#include <jansson.h>

#include "xiaoan/i18n.h"
#include "xiaoan/central.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    assert_int_equal(fx_tmpdir(tmpdir, sizeof tmpdir, "office"), 0);
    setenv("XIAOAN_NOW", "2026-12-05T10:00:00+08:00", 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(fx_rmrf(tmpdir), 0);
    return 0;
}

#define FP "11111-11111-11111-11111"
#define FP2 "22222-22222-22222-22222"

static void school(xa_cstore *s, const char *code, const char *name, const char *county)
{
    struct xa_cschool c = {.code = code, .name = name, .county = county, .type = "primary",
                           .address = "", .pinyin = ""};
    OK(xa_cstore_school_put(s, &c, NULL, E));
}

static void visit(xa_cstore *s, const char *id, int64_t seq, const char *code, const char *name,
                  const char *county, const char *kind, const char *arrived)
{
    struct xa_cvisit v = {0};
    v.id = id;
    v.inspector = FP;
    v.seq = seq;
    v.hash = id;
    char *rec = xa_asprintf("{\"type\":\"visit\",\"doc\":{\"inspector\":{\"name\":\"张三\"},"
                            "\"team\":[\"李四\"],\"times\":{\"arrived\":\"%s\"}}}",
                            arrived);
    v.record = rec;
    v.school = code;
    v.school_name = name;
    v.county = county;
    v.kind = kind;
    v.arrived = arrived;
    int off;
    OK(xa_time_parse(arrived, &v.arrived_at, &off, E));
    v.sealed = arrived;
    v.sealed_at = v.arrived_at;
    v.received = "2026-12-04T00:00:00+08:00";
    OK(xa_cstore_visit_add(s, &v, E));
    free(rec);
}

static void hazard(xa_cstore *s, const char *id, const char *visit_id, const char *code,
                   const char *severity, const char *found, const char *deadline,
                   const char *desc, const char *location, const char *interim)
{
    struct xa_chazard h = {0};
    h.id = id;
    h.visit = visit_id;
    h.inspector = FP;
    h.school = code;
    h.form = "fire-buildings";
    h.code = "FB-03";
    h.category = "fire";
    h.severity = severity;
    h.description = desc;
    h.location = location;
    h.requirement = "立即清理，保持畅通";
    h.deadline = deadline;
    h.responsible = "王校长";
    h.measures = "";
    h.notes = "";
    h.found = found;
    int off, added;
    OK(xa_time_parse(found, &h.found_at, &off, E));
    OK(xa_cstore_hazard_add(s, &h, &added, E));
    struct xa_cevent ev = {.hazard = id, .visit = visit_id, .kind = XA_EV_FOUND, .at = found,
                           .at_epoch = h.found_at, .inspector = FP, .note = ""};
    OK(xa_cstore_event_add(s, &ev, E));
    OK(xa_cstore_hazard_register(s, id, "莲都", 2026, interim, NULL, E));
    OK(xa_hazard_refresh(s, id, E));
}

/* A field re-check by another visit at the same school. */
static void field_recheck(xa_cstore *s, const char *id, const char *visit_id, const char *verdict,
                          const char *at, const char *note)
{
    struct xa_cevent ev = {.hazard = id, .visit = visit_id, .kind = XA_EV_FOLLOWUP,
                           .verdict = verdict, .at = at, .inspector = FP2, .note = note};
    int off;
    OK(xa_time_parse(at, &ev.at_epoch, &off, E));
    OK(xa_cstore_event_add(s, &ev, E));
    OK(xa_hazard_refresh(s, id, E));
}

#define V1 "a1000000000000000000000000000001"
#define V2 "a1000000000000000000000000000002"
#define V3 "a1000000000000000000000000000003"
#define H1 "b1000000000000000000000000000001"
#define H2 "b2000000000000000000000000000002"
#define H3 "b3000000000000000000000000000003"
#define H4 "b4000000000000000000000000000004"
#define L1 "3311020001"
#define L2 "3311020002"
#define L3 "3311020003"
#define V4 "a1000000000000000000000000000004"

/* Schools L1 莲都区实验小学, L2 莲都区城北小学.  V1 L1 12-01 四不两直 finds
 * H1 major (莲都-2026-0001, interim 停用该场所) and H2 general
 * (莲都-2026-0002); V2 L1 12-03 复查 re-checks H1 rectified (→ rechecked);
 * V3 L2 12-02 随机 finds H3 general (莲都-2026-0003) and H4 major
 * (莲都-2026-0004, no interim recorded). */
static xa_cstore *fixture_store(const char *path)
{
    xa_cstore *s;
    OK(xa_cstore_create(path, &s, E));
    struct xa_inspector in = {.fingerprint = FP, .name = "张三", .sign_key = "k",
                              .age_recipient = "age1x", .enrolled = "2026-01-01T00:00:00+08:00"};
    OK(xa_cstore_inspector_add(s, &in, E));
    struct xa_inspector in2 = {.fingerprint = FP2, .name = "李四", .sign_key = "k2",
                               .age_recipient = "age1z",
                               .enrolled = "2026-01-01T00:00:00+08:00"};
    OK(xa_cstore_inspector_add(s, &in2, E));
    struct xa_office off = {.name = "莲都区教育局安全科", .fingerprint = "99999-99999-99999-99999",
                            .sign_key = "k", .age_recipient = "age1y", .wrapped = "w",
                            .created = "2026-01-01T00:00:00+08:00"};
    OK(xa_cstore_office_put(s, &off, E));
    school(s, L1, "莲都区实验小学", "莲都区");
    school(s, L2, "莲都区城北小学", "莲都区");
    visit(s, V1, 1, L1, "莲都区实验小学", "莲都区", "four-not-two-direct",
          "2026-12-01T09:00:00+08:00");
    visit(s, V3, 2, L2, "莲都区城北小学", "莲都区", "random", "2026-12-02T09:00:00+08:00");
    visit(s, V2, 3, L1, "莲都区实验小学", "莲都区", "follow-up", "2026-12-03T09:00:00+08:00");
    hazard(s, H1, V1, L1, "major", "2026-12-01T09:30:00+08:00", "2026-12-31", "配电房堆放杂物",
           "配电房", "停用该场所");
    hazard(s, H2, V1, L1, "general", "2026-12-01T09:40:00+08:00", "2026-12-16",
           "疏散通道堆放杂物", "教学楼一楼", "");
    hazard(s, H3, V3, L2, "general", "2026-12-02T09:30:00+08:00", "2026-12-17", "灭火器过期",
           "食堂", "");
    hazard(s, H4, V3, L2, "major", "2026-12-02T09:40:00+08:00", "2027-01-01", "教学楼墙体开裂",
           "教学楼", "");
    field_recheck(s, H1, V2, "rectified", "2026-12-03T10:00:00+08:00", "杂物已清空，加装门禁");
    /* the form, for 依据 */
    struct xa_cform f = {.id = "fire-buildings", .version = 1, .hash = "h", .title = "消防安全",
                         .category = "fire", .items = 1, .major = 0,
                         .doc = "{\"items\":[{\"code\":\"FB-03\",\"basis\":"
                                "\"《中华人民共和国消防法》第二十八条\"}]}",
                         .imported = "2026-01-01T00:00:00+08:00"};
    int added;
    OK(xa_cstore_form_put(s, &f, &added, E));
    /* L3 莲都区碧湖中学: V4 12-04 专项检查 finds 40 hazards (莲都-2026-0005 ..
     * 莲都-2026-0044), every fifth one major with an interim measure */
    school(s, L3, "莲都区碧湖中学", "莲都区");
    visit(s, V4, 4, L3, "莲都区碧湖中学", "莲都区", "special", "2026-12-04T09:00:00+08:00");
    for (int i = 1; i <= 40; i++) {
        char id[40], found[40], desc[200], loc[64];
        snprintf(id, sizeof id, "c5%030d", i);
        snprintf(found, sizeof found, "2026-12-04T%02d:%02d:00+08:00", 9 + i / 60, i % 60);
        snprintf(desc, sizeof desc, "第%d处：实验室危险化学品未双人双锁管理，台账与实物不符，"
                                    "部分试剂超过有效期仍在使用", i);
        snprintf(loc, sizeof loc, "实验楼%d层", 1 + i % 4);
        int major = i % 5 == 0;
        hazard(s, id, V4, L3, major ? "major" : "general", found,
               major ? "2027-01-03" : "2026-12-19", desc, loc, major ? "停用该实验室" : "");
    }
    return s;
}

static char *path_in(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static int64_t day(const char *d)
{
    int64_t x;
    OK(xa_date_parse(d, &x, E));
    return x;
}

/* What must not change when a command is refused: actions, audit rows,
 * notices, stored states. */
static char *digest(xa_cstore *s)
{
    xa_buf b = XA_BUF_INIT;
    struct xa_caction *a;
    size_t n;
    OK(xa_cstore_actions(s, NULL, &a, &n, E));
    for (size_t i = 0; i < n; i++)
        xa_buf_printf(&b, "A %lld %s %s %s\n", (long long)a[i].id, a[i].hazard, a[i].kind,
                      a[i].at);
    xa_cactions_free(a, n);
    struct xa_caudit *au;
    OK(xa_cstore_audit_list(s, &au, &n, E));
    xa_buf_printf(&b, "audit %zu\n", n);
    xa_caudit_free(au, n);
    char **ids;
    OK(xa_cstore_noticed(s, &ids, &n, E));
    xa_buf_printf(&b, "noticed %zu\n", n);
    xa_strv_free(ids, n);
    struct xa_chazard *h;
    OK(xa_cstore_hazards(s, NULL, NULL, &h, &n, E));
    for (size_t i = 0; i < n; i++)
        xa_buf_printf(&b, "H %s %s\n", h[i].id, h[i].state);
    xa_chazards_free(h, n);
    return xa_buf_steal(&b);
}

static const char *state_of(xa_cstore *s, const char *id)
{
    static char st[32];
    struct xa_hview v;
    OK(xa_hazard_view(s, id, &v, E));
    snprintf(st, sizeof st, "%s", v.l.state);
    xa_hview_clear(&v);
    return st;
}

/* Run an action that must be refused with code want; the store unchanged. */
static void refused(xa_cstore *s, const char *const *names, size_t n, const struct xa_act *a,
                    xa_code want, const char *msg_part)
{
    char *before = digest(s);
    xa_err e;
    xa_err_clear(&e);
    xa_code c = xa_hazard_act(s, names, n, a, day("2026-12-05"), NULL, NULL, &e);
    if (c != want)
        fail_msg("%s: got %d (%s), want %d", a->kind, c, xa_err_msg(&e), want);
    if (msg_part && !strstr(xa_err_msg(&e), msg_part))
        fail_msg("message '%s' lacks '%s'", xa_err_msg(&e), msg_part);
    assert_null(strchr(xa_err_msg(&e), '\n'));
    char *after = digest(s);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void signoff_rules(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("a.db"));
    assert_string_equal(state_of(s, H1), "rechecked");
    assert_string_equal(state_of(s, H2), "open");
    struct xa_act so = {.kind = XA_ACT_SIGNOFF, .by = "赵科长", .note = "资料齐全"};
    /* an open hazard cannot be signed off; with a rechecked one: none is */
    const char *both[] = {"莲都-2026-0001", "莲都-2026-0002"};
    refused(s, both, 2, &so, XA_ESTATE, "莲都-2026-0002 is open");
    const char *unknown[] = {"莲都-2026-0001", "莲都-2026-0099"};
    refused(s, unknown, 2, &so, XA_ENOTFOUND, "unknown hazard '莲都-2026-0099'");
    struct xa_act noby = {.kind = XA_ACT_SIGNOFF};
    refused(s, both, 1, &noby, XA_EUSAGE, "--by");
    /* the rechecked one, by a prefix of its id and its number (one hazard) */
    const char *one[] = {"b100", "莲都-2026-0001"};
    struct xa_act_done *d;
    size_t nd;
    OK(xa_hazard_act(s, one, 2, &so, day("2026-12-05"), &d, &nd, E));
    assert_int_equal(nd, 1);
    assert_string_equal(d[0].number, "莲都-2026-0001");
    assert_string_equal(d[0].state, "closed");
    xa_act_done_free(d, nd);
    struct xa_hview v;
    OK(xa_hazard_view(s, H1, &v, E));
    assert_string_equal(v.l.closed_by, "赵科长");
    assert_string_equal(v.l.closed_how, "sign-off");
    assert_string_equal(v.h.state, "closed"); /* stored too */
    xa_hview_clear(&v);
    /* a closed hazard: no second sign-off, nothing else either */
    refused(s, one, 1, &so, XA_ESTATE, "is closed");
    struct xa_act ex = {.kind = XA_ACT_EXTEND, .date = "2027-01-31", .note = "资金未到位"};
    refused(s, one, 1, &ex, XA_ESTATE, "closed");
    /* the audit row */
    struct xa_caudit *au;
    size_t n;
    OK(xa_cstore_audit_list(s, &au, &n, E));
    assert_true(n >= 1);
    assert_string_equal(au[n - 1].command, "central signoff");
    if (!strstr(au[n - 1].summary, "signoff 莲都-2026-0001 by 赵科长"))
        fail_msg("audit summary: %s", au[n - 1].summary);
    xa_caudit_free(au, n);
    xa_cstore_close(s);
}

static void recheck_reply_extend_escalate(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("b.db"));
    const char *h2[] = {"莲都-2026-0002"};
    const char *key;
    /* bad input */
    assert_int_equal(xa_act_verdict("maybe", &key, NULL), XA_EUSAGE);
    OK(xa_act_verdict("not", &key, E));
    assert_string_equal(key, "not-rectified");
    OK(xa_act_verdict("部分整改", &key, E));
    assert_string_equal(key, "partly");
    struct xa_act bad = {.kind = XA_ACT_REPLY, .date = "2026-13-01"};
    refused(s, h2, 1, &bad, XA_EFORMAT, "not a date");
    bad.date = "2026-12-06";
    refused(s, h2, 1, &bad, XA_EFORMAT, "future");
    bad.date = "2026-11-30";
    refused(s, h2, 1, &bad, XA_EFORMAT, "before hazard 莲都-2026-0002 was found");
    struct xa_act rc = {.kind = XA_ACT_RECHECK, .verdict = "rectified", .date = "2026-12-20"};
    refused(s, h2, 1, &rc, XA_EUSAGE, "--deadline goes with");
    rc.verdict = "partly";
    rc.date = "2026-12-01";
    refused(s, h2, 1, &rc, XA_EFORMAT, "in the past");
    struct xa_act ex = {.kind = XA_ACT_EXTEND, .date = "2026-12-10", .note = "x"};
    refused(s, h2, 1, &ex, XA_EFORMAT, "not after");
    ex.date = "2026-12-30";
    ex.note = "";
    refused(s, h2, 1, &ex, XA_EUSAGE, "--reason");
    struct xa_act es = {.kind = XA_ACT_ESCALATE, .level = 3};
    refused(s, h2, 1, &es, XA_EUSAGE, "--level");

    /* the school's report, then a re-check on documents: partly, new deadline */
    struct xa_act rp = {.kind = XA_ACT_REPLY, .date = "2026-12-04", .note = "已清理一半"};
    OK(xa_hazard_act(s, h2, 1, &rp, day("2026-12-05"), NULL, NULL, E));
    rc = (struct xa_act){.kind = XA_ACT_RECHECK, .verdict = "partly", .date = "2026-12-20",
                         .by = "王五", .note = "照片显示仍有纸箱"};
    OK(xa_hazard_act(s, h2, 1, &rc, day("2026-12-05"), NULL, NULL, E));
    struct xa_hview v;
    OK(xa_hazard_view(s, H2, &v, E));
    assert_string_equal(v.l.state, "open");
    assert_string_equal(v.l.reply_date, "2026-12-04");
    assert_string_equal(v.l.deadline, "2026-12-20");
    assert_string_equal(v.l.last_note, "照片显示仍有纸箱");
    assert_string_equal(v.l.last_checker, "王五");
    xa_hview_clear(&v);
    /* extend (history kept), escalate 1 then 2, never down */
    ex = (struct xa_act){.kind = XA_ACT_EXTEND, .date = "2027-01-10", .note = "寒假施工"};
    OK(xa_hazard_act(s, h2, 1, &ex, day("2026-12-05"), NULL, NULL, E));
    es = (struct xa_act){.kind = XA_ACT_ESCALATE, .level = 1, .note = "多次未改"};
    OK(xa_hazard_act(s, h2, 1, &es, day("2026-12-05"), NULL, NULL, E));
    refused(s, h2, 1, &es, XA_ESTATE, "level 1 already");
    es.level = 2;
    struct xa_act_done *d;
    size_t nd;
    OK(xa_hazard_act(s, h2, 1, &es, day("2026-12-05"), &d, &nd, E));
    assert_int_equal(d[0].escalation, 2);
    assert_string_equal(d[0].deadline, "2027-01-10");
    xa_act_done_free(d, nd);
    OK(xa_hazard_view(s, H2, &v, E));
    assert_int_equal(v.l.ndeadlines, 3);
    assert_string_equal(v.l.deadlines[1].date, "2026-12-20");
    assert_string_equal(v.l.deadlines[2].date, "2027-01-10");
    assert_non_null(strstr(v.l.deadlines[2].why, "寒假施工"));
    assert_string_equal(v.l.extended_to, "2027-01-10");
    xa_hview_clear(&v);
    /* a re-check on documents that finds it rectified: a general hazard
     * closes (signoff.general = field) */
    rc = (struct xa_act){.kind = XA_ACT_RECHECK, .verdict = "rectified"};
    OK(xa_hazard_act(s, h2, 1, &rc, day("2026-12-05"), NULL, NULL, E));
    assert_string_equal(state_of(s, H2), "closed");
    /* recorded by the office's name when no --by */
    OK(xa_hazard_view(s, H2, &v, E));
    assert_string_equal(v.l.closed_by, "莲都区教育局安全科");
    xa_hview_clear(&v);
    /* a major re-checked rectified at the office waits for the sign-off */
    const char *h4[] = {"莲都-2026-0004"};
    OK(xa_hazard_act(s, h4, 1, &rc, day("2026-12-05"), NULL, NULL, E));
    assert_string_equal(state_of(s, H4), "rechecked");
    xa_cstore_close(s);
}

static void story(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("c.db"));
    struct xa_act so = {.kind = XA_ACT_SIGNOFF, .by = "赵科长", .note = "资料齐全"};
    const char *h1[] = {"莲都-2026-0001"};
    OK(xa_hazard_act(s, h1, 1, &so, day("2026-12-05"), NULL, NULL, E));
    xa_buf out = XA_BUF_INIT;
    /* in English: the same story, its words English (the names are data) */
    OK(xa_hazard_story(s, "莲都-2026-0001", 0, day("2026-12-05"), &out, E));
    const char *want_en[] = {"hazard 莲都-2026-0001", "interim control measures", "closed",
                             "found  张三", "re-checked on site  rectified  李四",
                             "note: 杂物已清空，加装门禁", "signed off  赵科长"};
    for (size_t i = 0; i < sizeof want_en / sizeof *want_en; i++)
        if (!strstr(out.data, want_en[i]))
            fail_msg("English story lacks '%s':\n%s", want_en[i], out.data);
    xa_buf_clear(&out);
    /* in Chinese (the catalog of build/locale) */
    xa_i18n_init("zh");
    OK(xa_hazard_story(s, "莲都-2026-0001", 0, day("2026-12-05"), &out, E));
    xa_i18n_init("en");
    const char *want[] = {"隐患 莲都-2026-0001", "莲都区实验小学", "临时管控措施", "停用该场所",
                          "已销号", "发现  张三", "现场复查  已整改  李四",
                          "说明：杂物已清空，加装门禁", "销号  赵科长", "说明：资料齐全"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(out.data, want[i]))
            fail_msg("story lacks '%s':\n%s", want[i], out.data);
    xa_buf_clear(&out);
    OK(xa_hazard_story(s, "b1000000", 1, day("2026-12-05"), &out, E));
    json_t *o = json_loads(out.data, 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "closed");
    json_t *hist = json_object_get(o, "history");
    assert_int_equal(json_array_size(hist), 3);
    json_t *fu = json_array_get(hist, 1);
    assert_string_equal(json_string_value(json_object_get(fu, "note")), "杂物已清空，加装门禁");
    assert_true(json_is_true(json_object_get(fu, "trusted")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 2), "event")),
                        "signoff");
    json_decref(o);
    xa_buf_clear(&out);
    xa_err e;
    assert_int_equal(xa_hazard_story(s, "莲都-2026-0099", 0, 0, &out, &e), XA_ENOTFOUND);
    xa_buf_clear(&out);
    xa_cstore_close(s);
}

static void notices(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("d.db"));
    /* refusals: unknown visit / school, a visit without open hazards */
    struct xa_notice_req q = {.visit = "ffff0000", .today = day("2026-12-05"),
                              .format = XA_NOTICE_TEXT};
    struct xa_notice_issued done;
    xa_buf out = XA_BUF_INIT;
    xa_err e;
    char *before = digest(s);
    assert_int_equal(xa_notice_issue(s, &q, &out, &done, &e), XA_ENOTFOUND);
    assert_non_null(strstr(xa_err_msg(&e), "unknown visit 'ffff0000'"));
    q = (struct xa_notice_req){.school = "3399999999", .today = day("2026-12-05")};
    assert_int_equal(xa_notice_issue(s, &q, &out, &done, &e), XA_ENOTFOUND);
    q = (struct xa_notice_req){.visit = V2, .today = day("2026-12-05")};
    assert_int_equal(xa_notice_issue(s, &q, &out, &done, &e), XA_ESTATE);
    assert_non_null(strstr(xa_err_msg(&e), "no open hazards"));
    char *after = digest(s);
    assert_string_equal(before, after);
    free(after);
    free(before);
    assert_int_equal(out.len, 0);

    /* V1's open hazard: H2 only (H1 is rechecked) */
    q = (struct xa_notice_req){.visit = "a1000000000000000000000000000001",
                               .today = day("2026-12-05"), .format = XA_NOTICE_TEXT};
    OK(xa_notice_issue(s, &q, &out, &done, E));
    assert_string_equal(done.number, "校安整改〔2026〕1号");
    assert_int_equal(done.hazards, 1);
    assert_int_equal(done.majors, 0);
    const char *want[] = {"安全隐患整改通知书", "校安整改〔2026〕1号", "莲都区实验小学：",
                          "被检查单位：莲都区实验小学（莲都区，3311020001）",
                          "检查时间：2026年12月1日", "检查方式：四不两直", "检查人员：张三、李四",
                          "隐患编号：莲都-2026-0002", "部位：教学楼一楼",
                          "隐患描述：疏散通道堆放杂物", "等级：一般", "整改要求：立即清理，保持畅通",
                          "整改期限：2026-12-16", "10日内（2026年12月15日前）",
                          "报送莲都区教育局安全科", "签发单位（盖章）：莲都区教育局安全科",
                          "日期：2026年12月5日", "复查确认"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(out.data, want[i]))
            fail_msg("notice lacks '%s':\n%s", want[i], out.data);
    assert_null(strstr(out.data, "配电房堆放杂物"));
    char *first = xa_strdup(out.data);
    xa_buf_clear(&out);
    xa_notice_issued_clear(&done);
    struct xa_hview v;
    OK(xa_hazard_view(s, H2, &v, E));
    assert_string_equal(v.l.notice, "校安整改〔2026〕1号");
    assert_string_equal(v.l.notice_date, "2026-12-05");
    xa_hview_clear(&v);
    /* V1 again: on a notice already */
    assert_int_equal(xa_notice_issue(s, &q, &out, &done, &e), XA_ESTATE);
    assert_non_null(strstr(xa_err_msg(&e), "on a notice already"));

    /* --school L2: both hazards, number 2, the major's interim line */
    q = (struct xa_notice_req){.school = L2, .today = day("2026-12-05"),
                               .format = XA_NOTICE_TEXT};
    OK(xa_notice_issue(s, &q, &out, &done, E));
    assert_string_equal(done.number, "校安整改〔2026〕2号");
    assert_int_equal(done.hazards, 2);
    assert_int_equal(done.majors, 1);
    assert_non_null(strstr(out.data, "其中重大隐患1处"));
    assert_non_null(strstr(out.data, "临时管控措施：（检查时未记录"));
    xa_buf_clear(&out);
    xa_notice_issued_clear(&done);

    /* reprint: the same text, by number and by YEAR-N; unknown notice */
    OK(xa_notice_reprint(s, "校安整改〔2026〕1号", XA_NOTICE_TEXT, NULL, 0, &out, E));
    assert_string_equal(out.data, first);
    xa_buf_clear(&out);
    OK(xa_notice_reprint(s, "2026-1", XA_NOTICE_TEXT, NULL, 0, &out, E));
    assert_string_equal(out.data, first);
    xa_buf_clear(&out);
    free(first);
    assert_int_equal(xa_notice_reprint(s, "2026-9", XA_NOTICE_TEXT, NULL, 0, &out, &e),
                     XA_ENOTFOUND);
    assert_non_null(strstr(xa_err_msg(&e), "unknown notice '2026-9'"));

    /* a PDF written to a file, reprinted to the same bytes even after the
     * hazard moved on and the prefix changed; a new year starts at 1 */
    OK(xa_cstore_setting_set(s, "notice.prefix", "莲教安", E));
    struct xa_act ex = {.kind = XA_ACT_EXTEND, .date = "2027-01-20", .note = "施工"};
    const char *h3[] = {"莲都-2026-0003"};
    OK(xa_hazard_act(s, h3, 1, &ex, day("2026-12-05"), NULL, NULL, E));
    xa_buf pdf1 = XA_BUF_INIT, pdf2 = XA_BUF_INIT;
    OK(xa_notice_reprint(s, "2026-2", XA_NOTICE_PDF, NULL, 0, &pdf1, E));
    OK(xa_notice_reprint(s, "校安整改〔2026〕2号", XA_NOTICE_PDF, path_in("n2.pdf"), 0, NULL, E));
    OK(xa_read_file(path_in("n2.pdf"), 1 << 24, &pdf2, E));
    assert_true(pdf1.len > 1000);
    assert_int_equal(pdf1.len, pdf2.len);
    assert_memory_equal(pdf1.data, pdf2.data, pdf1.len);
    assert_memory_equal(pdf1.data, "%PDF-", 5);
    xa_buf_clear(&pdf1);
    xa_buf_clear(&pdf2);
    /* an unwritable path: nothing issued (H1 reopened by a partly re-check
     * first, so school L1 has an open hazard on no notice) */
    const char *h1[] = {"莲都-2026-0001"};
    struct xa_act rc = {.kind = XA_ACT_RECHECK, .verdict = "partly"};
    OK(xa_hazard_act(s, h1, 1, &rc, day("2026-12-05"), NULL, NULL, E));
    before = digest(s);
    q = (struct xa_notice_req){.school = L1, .today = day("2027-01-02"),
                               .format = XA_NOTICE_PDF, .path = "/nonexistent/dir/n.pdf"};
    assert_int_not_equal(xa_notice_issue(s, &q, NULL, &done, &e), XA_OK);
    assert_non_null(strstr(xa_err_msg(&e), "/nonexistent/dir/n.pdf"));
    after = digest(s);
    assert_string_equal(before, after);
    free(after);
    free(before);
    q.path = path_in("n3.pdf");
    OK(xa_notice_issue(s, &q, NULL, &done, E));
    assert_string_equal(done.number, "莲教安〔2027〕1号");
    xa_notice_issued_clear(&done);
    xa_cstore_close(s);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "fixture")) {
        xa_cstore *s = fixture_store(argv[2]);
        xa_cstore_close(s);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(signoff_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(recheck_reply_extend_escalate, setup, teardown),
        cmocka_unit_test_setup_teardown(story, setup, teardown),
        cmocka_unit_test_setup_teardown(notices, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
