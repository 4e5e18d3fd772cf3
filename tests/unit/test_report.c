/* test_report.c — the period report's figures on a store with known answers
 * (every number below was worked out by hand from the fixture; the comment
 * above fixture_store says which hazard is which), the text/CSV/JSON
 * renderings carrying the same numbers, an empty period, one county.
 *
 * `test_report fixture FILE` writes the same store to FILE for the shell
 * test (tests/cli/report.sh: XLSX through openpyxl, PDF through pdftotext). */
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

#include "xiaoan/central.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/county.h"
#include "xiaoan/report.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    assert_int_equal(fx_tmpdir(tmpdir, sizeof tmpdir, "report"), 0);
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

static void school(xa_cstore *s, const char *code, const char *name, const char *county)
{
    struct xa_cschool c = {.code = (char *)code, .name = (char *)name, .county = (char *)county,
                           .type = "primary", .address = "", .pinyin = ""};
    OK(xa_cstore_school_put(s, &c, NULL, E));
}

/* The county of a roster school by its code's first six digits. */
static const char *county_of(const char *code)
{
    for (size_t i = 0; i < XA_NCOUNTIES; i++)
        if (!strncmp(xa_county_at(i)->code, code, 6))
            return xa_county_at(i)->name;
    return "";
}

static void visit(xa_cstore *s, const char *id, int64_t seq, const char *code, const char *kind,
                  const char *arrived)
{
    struct xa_cvisit v = {0};
    v.id = (char *)id;
    v.inspector = FP;
    v.seq = seq;
    v.hash = (char *)id;
    v.record = "{}";
    v.school = (char *)code;
    v.school_name = "";
    v.county = (char *)county_of(code);
    v.kind = (char *)kind;
    v.arrived = (char *)arrived;
    int off;
    OK(xa_time_parse(arrived, &v.arrived_at, &off, E));
    v.sealed = (char *)arrived;
    v.sealed_at = v.arrived_at;
    v.received = "2026-12-04T00:00:00+08:00";
    OK(xa_cstore_visit_add(s, &v, E));
}

static void hazard(xa_cstore *s, const char *id, const char *visit_id, const char *code,
                   const char *category, const char *severity, const char *found,
                   const char *deadline, int onsite, const char *desc)
{
    struct xa_chazard h = {0};
    h.id = (char *)id;
    h.visit = (char *)visit_id;
    h.inspector = FP;
    h.school = (char *)code;
    h.form = "fire-buildings";
    h.code = "FB-03";
    h.category = (char *)category;
    h.severity = (char *)severity;
    h.description = (char *)desc;
    h.location = "教学楼";
    h.requirement = "立即整改";
    h.deadline = (char *)deadline;
    h.responsible = "王校长";
    h.measures = "";
    h.notes = "";
    h.rectified_on_site = onsite;
    h.found = (char *)found;
    int off, added;
    OK(xa_time_parse(found, &h.found_at, &off, E));
    OK(xa_cstore_hazard_add(s, &h, &added, E));
    struct xa_cevent ev = {.hazard = (char *)id, .visit = (char *)visit_id, .kind = XA_EV_FOUND,
                           .at = (char *)found, .at_epoch = h.found_at, .inspector = FP,
                           .note = ""};
    OK(xa_cstore_event_add(s, &ev, E));
    if (onsite) {
        ev.kind = XA_EV_ONSITE;
        OK(xa_cstore_event_add(s, &ev, E));
    }
    OK(xa_hazard_refresh(s, id, E));
}

static void rectified(xa_cstore *s, const char *id, const char *visit_id, const char *at)
{
    struct xa_cevent ev = {.hazard = (char *)id, .visit = (char *)visit_id,
                           .kind = XA_EV_FOLLOWUP, .verdict = "rectified", .at = (char *)at,
                           .inspector = FP, .note = "已整改"};
    int off;
    OK(xa_time_parse(at, &ev.at_epoch, &off, E));
    OK(xa_cstore_event_add(s, &ev, E));
    OK(xa_hazard_refresh(s, id, E));
}

/* The office escalates a hazard (central escalate) at a given time. */
static void escalate(xa_cstore *s, const char *id, int level, const char *at)
{
    struct xa_caction a = {0};
    a.hazard = (char *)id;
    a.kind = XA_ACT_ESCALATE;
    a.at = (char *)at;
    int off;
    OK(xa_time_parse(at, &a.at_epoch, &off, E));
    a.level = level;
    a.by = "丽水市教育局安全科";
    a.note = "逾期未整改";
    OK(xa_cstore_action_add(s, &a, E));
    OK(xa_hazard_refresh(s, id, E));
}

#define V1 "a1000000000000000000000000000001"
#define V2 "a1000000000000000000000000000002"
#define V3 "a1000000000000000000000000000003"
#define V4 "a1000000000000000000000000000004"
#define V5 "a1000000000000000000000000000005"
#define V6 "a1000000000000000000000000000006"
#define V7 "a1000000000000000000000000000007"
#define H1 "b1000000000000000000000000000001"
#define H2 "b2000000000000000000000000000002"
#define H3 "b3000000000000000000000000000003"
#define H4 "b4000000000000000000000000000004"
#define H5 "b5000000000000000000000000000005"
#define H6 "b6000000000000000000000000000006"
#define H7 "b7000000000000000000000000000007"

/* The fixture.  Schools: 市直 S0; 莲都区 L1 L2 L3; 青田县 Q1 Q2.
 * Visits: V4 L2 10-15 special; V1 L1 11-03 四不两直; V6 L2 11-05 复查;
 * V3 Q1 11-10 四不两直; V2 L1 11-20 随机; V7 L1 11-25 复查; V5 S0 12-02 四不两直.
 * Hazards:
 *   H1 莲都 L2 general, found 10-15, deadline 11-15, rectified 11-05 (before, closed in)
 *   H2 莲都 L1 major,   found 11-03, deadline 11-18, open (found in, still open, overdue)
 *   H3 莲都 L1 general, found 11-20, deadline 12-20, rectified 11-25 (found and closed in)
 *   H4 青田 Q1 major,   found 11-10, deadline 11-25, open (overdue at the end);
 *                       escalated 督办 on 11-28 (an escalated overdue major)
 *   H5 莲都 L2 major,   found 10-15, deadline 10-30, open (open at the start and the end);
 *                       督办 on 11-08, 挂牌督办 on 12-03 (after November)
 *   H6 市直 S0 general, found 12-02, after the period
 *   H7 青田 Q1 general, found 11-10, rectified on the spot */
static xa_cstore *fixture_store(const char *path)
{
    xa_cstore *s;
    OK(xa_cstore_create(path, &s, E));
    struct xa_inspector in = {.fingerprint = FP, .name = "张三", .sign_key = "k",
                              .age_recipient = "age1x", .enrolled = "2026-01-01T00:00:00+08:00"};
    OK(xa_cstore_inspector_add(s, &in, E));
    struct xa_office off = {.name = "丽水市教育局安全科", .fingerprint = "99999-99999-99999-99999",
                            .sign_key = "k", .age_recipient = "age1y", .wrapped = "w",
                            .created = "2026-01-01T00:00:00+08:00"};
    OK(xa_cstore_office_put(s, &off, E));
    school(s, "3311000001", "丽水市实验学校", "市直");
    school(s, "3311020001", "莲都区实验小学", "莲都区");
    school(s, "3311020002", "莲都区城北小学", "莲都区");
    school(s, "3311020003", "莲都区碧湖中学", "莲都区");
    school(s, "3311210001", "青田县华侨中学", "青田县");
    school(s, "3311210002", "青田县鹤城小学", "青田县");
    visit(s, V4, 1, "3311020002", "special", "2026-10-15T09:00:00+08:00");
    visit(s, V1, 2, "3311020001", "four-not-two-direct", "2026-11-03T09:00:00+08:00");
    visit(s, V6, 3, "3311020002", "follow-up", "2026-11-05T09:00:00+08:00");
    visit(s, V3, 4, "3311210001", "four-not-two-direct", "2026-11-10T09:00:00+08:00");
    visit(s, V2, 5, "3311020001", "random", "2026-11-20T09:00:00+08:00");
    visit(s, V7, 6, "3311020001", "follow-up", "2026-11-25T09:00:00+08:00");
    visit(s, V5, 7, "3311000001", "four-not-two-direct", "2026-12-02T09:00:00+08:00");
    hazard(s, H1, V4, "3311020002", "fire", "general", "2026-10-15T09:30:00+08:00", "2026-11-15",
           0, "灭火器过期");
    hazard(s, H5, V4, "3311020002", "building", "major", "2026-10-15T09:40:00+08:00",
           "2026-10-30", 0, "教学楼墙体开裂");
    hazard(s, H2, V1, "3311020001", "fire", "major", "2026-11-03T09:30:00+08:00", "2026-11-18",
           0, "疏散通道堆放杂物");
    hazard(s, H4, V3, "3311210001", "gas", "major", "2026-11-10T09:30:00+08:00", "2026-11-25", 0,
           "食堂燃气管道老化");
    hazard(s, H7, V3, "3311210001", "fire", "general", "2026-11-10T09:40:00+08:00", "", 1,
           "安全出口指示灯不亮");
    hazard(s, H3, V2, "3311020001", "electrical", "general", "2026-11-20T09:30:00+08:00",
           "2026-12-20", 0, "私拉电线");
    hazard(s, H6, V5, "3311000001", "fire", "general", "2026-12-02T09:30:00+08:00", "2026-12-31",
           0, "消防通道被占");
    rectified(s, H1, V6, "2026-11-05T10:00:00+08:00");
    rectified(s, H3, V7, "2026-11-25T10:00:00+08:00");
    escalate(s, H5, 1, "2026-11-08T10:00:00+08:00");
    escalate(s, H4, 1, "2026-11-28T10:00:00+08:00");
    escalate(s, H5, 2, "2026-12-03T10:00:00+08:00");
    /* registration numbers, as a merge gives them (莲都-2026-0001 …, by finding) */
    OK(xa_hazard_register_missing(s, E));
    OK(xa_cstore_setting_set(s, "report.unvisited_days", "30", E));
    return s;
}

static int64_t day(const char *d)
{
    int64_t x;
    OK(xa_date_parse(d, &x, E));
    return x;
}

static struct xa_report *compute(xa_cstore *s, const char *from, const char *to,
                                 const char *county)
{
    struct xa_report_opts o = {.from = day(from), .to = day(to), .county = county,
                               .today = day("2026-12-05")};
    struct xa_report *r;
    OK(xa_report_compute(s, &o, &r, E));
    return r;
}

static const struct xa_rcounty *row(const struct xa_report *r, const char *name)
{
    for (size_t i = 0; i < r->ncounties; i++)
        if (!strcmp(r->counties[i].name, name))
            return &r->counties[i];
    fail_msg("no row for %s", name);
    return NULL;
}

static char *path_in(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

/* November: every figure of the county table by hand. */
static void november_figures(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("nov.db"));
    struct xa_report *r = compute(s, "2026-11-01", "2026-11-30", NULL);
    assert_string_equal(r->office, "丽水市教育局安全科");
    /* every county of the city, 市直 first, then by code */
    assert_int_equal(r->ncounties, 10);
    assert_string_equal(r->counties[0].name, "市直");
    assert_string_equal(r->counties[1].name, "莲都区");
    assert_string_equal(r->counties[2].name, "青田县");
    assert_string_equal(r->counties[9].name, "龙泉市");

    const struct xa_rcounty *l = row(r, "莲都区");
    assert_int_equal(l->schools, 3);
    assert_int_equal(l->visited, 2); /* L1, L2 (V6); L3 never */
    assert_int_equal(l->visits, 4);  /* V1 V6 V2 V7 */
    assert_int_equal(l->by_kind[xa_kind_of("four-not-two-direct")], 1);
    assert_int_equal(l->by_kind[xa_kind_of("random")], 1);
    assert_int_equal(l->by_kind[xa_kind_of("follow-up")], 2);
    assert_int_equal(l->by_kind[xa_kind_of("special")], 0); /* V4 is October */
    assert_int_equal(l->found_general, 1); /* H3 */
    assert_int_equal(l->found_major, 1);   /* H2 */
    assert_int_equal(l->closed, 2);        /* H1 (found in October), H3 */
    assert_int_equal(l->found_closed, 1);  /* H3 */
    assert_int_equal(l->open_general, 0);
    assert_int_equal(l->open_major, 2);    /* H2, H5 */
    assert_int_equal(l->overdue, 2);       /* H2 (11-18), H5 (10-30) */
    assert_int_equal(l->escalated, 1);     /* H5: 督办 on 11-08 (挂牌督办 only in December) */
    assert_int_equal(l->major_due, 2);     /* H2 found in, H5 open at the start */
    assert_int_equal(l->major_cleared, 0);

    const struct xa_rcounty *q = row(r, "青田县");
    assert_int_equal(q->schools, 2);
    assert_int_equal(q->visited, 1);
    assert_int_equal(q->visits, 1);
    assert_int_equal(q->found_general, 1); /* H7 */
    assert_int_equal(q->found_major, 1);   /* H4 */
    assert_int_equal(q->closed, 1);        /* H7 on the spot */
    assert_int_equal(q->found_closed, 1);
    assert_int_equal(q->open_major, 1);
    assert_int_equal(q->overdue, 1);
    assert_int_equal(q->escalated, 1);     /* H4: overdue since 11-25, 督办 on 11-28 */
    assert_int_equal(q->major_due, 1);

    const struct xa_rcounty *z = row(r, "市直");
    assert_int_equal(z->schools, 1);
    assert_int_equal(z->visited, 0); /* V5 is December */
    assert_int_equal(z->visits, 0);
    assert_int_equal(z->found_general + z->found_major, 0); /* H6 is December */

    const struct xa_rcounty *t = &r->total;
    assert_int_equal(t->schools, 6);
    assert_int_equal(t->visited, 3);
    assert_int_equal(t->visits, 5);
    assert_int_equal(t->found_general, 2);
    assert_int_equal(t->found_major, 2);
    assert_int_equal(t->closed, 3);
    assert_int_equal(t->found_closed, 2);
    assert_int_equal(t->open_general, 0);
    assert_int_equal(t->open_major, 3);
    assert_int_equal(t->overdue, 3);
    assert_int_equal(t->escalated, 2);     /* H5, H4 */
    assert_int_equal(t->major_due, 3);
    assert_int_equal(t->major_cleared, 0);

    /* rates as every format shows them */
    char b[32];
    xa_report_rate(t->visited, t->schools, b);
    assert_string_equal(b, "50.0%");
    xa_report_rate(l->visited, l->schools, b);
    assert_string_equal(b, "66.7%");
    xa_report_rate(t->found_closed, t->found_general + t->found_major, b);
    assert_string_equal(b, "50.0%");
    xa_report_rate(z->major_cleared, z->major_due, b);
    assert_string_equal(b, "—");

    /* one month: one row of the trend */
    assert_int_equal(r->nmonths, 1);
    assert_int_equal(r->months[0].found, 4);
    assert_int_equal(r->months[0].closed, 3);
    assert_int_equal(r->months[0].open_end, 3);

    /* lists: open majors H2 H4 H5 (by finding time: H5, H2, H4) */
    assert_int_equal(r->nopen_major, 3);
    assert_string_equal(r->hazards[r->open_major[0]].id, H5);
    assert_int_equal(xa_report_days_open(r, &r->hazards[r->open_major[0]]), 46);
    assert_string_equal(r->hazards[r->open_major[1]].id, H2);
    assert_int_equal(xa_report_days_open(r, &r->hazards[r->open_major[1]]), 27);
    /* the level at the period's end: H5 督办 (its 挂牌督办 is December's), H2 none, H4 督办 */
    assert_int_equal(r->hazards[r->open_major[0]].escalation, 1);
    assert_int_equal(r->hazards[r->open_major[1]].escalation, 0);
    assert_string_equal(r->hazards[r->open_major[2]].id, H4);
    assert_int_equal(r->hazards[r->open_major[2]].escalation, 1);
    assert_int_equal(r->noverdue, 3);
    /* 30 days: S0 (its visit is after the end), L3 and Q2 never */
    assert_int_equal(r->unvisited_days, 30);
    assert_int_equal(r->nunvisited, 3);
    /* the ledger sheet: found in the period or open at its start (H1 H5 H2 H4 H7 H3) */
    assert_int_equal(r->nledger, 6);
    /* categories found in November: fire 2 (H2 major, H7 general), gas 1, electrical 1 */
    assert_string_equal(r->categories[0].key, "fire");
    assert_int_equal(r->categories[0].general, 1);
    assert_int_equal(r->categories[0].major, 1);
    /* every listed hazard carries its registration number, read with its row */
    assert_true(r->nhazards > 0);
    for (size_t i = 0; i < r->nhazards; i++) {
        struct xa_creg reg;
        OK(xa_cstore_reg_get(s, r->hazards[i].id, &reg, E));
        assert_string_equal(r->hazards[i].number, reg.number);
        assert_non_null(strstr(reg.number, "-2026-"));
        xa_creg_free(&reg);
    }
    xa_report_free(r);
    xa_cstore_close(s);
}

/* Two months: the trend by month, and figures over both. */
static void two_months(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("two.db"));
    struct xa_report *r = compute(s, "2026-10-01", "2026-11-30", NULL);
    assert_int_equal(r->nmonths, 2);
    assert_int_equal(r->months[0].month, 10);
    assert_int_equal(r->months[0].found, 2); /* H1 H5 */
    assert_int_equal(r->months[0].closed, 0);
    assert_int_equal(r->months[0].open_end, 2);
    assert_int_equal(r->months[1].found, 4);
    assert_int_equal(r->months[1].closed, 3);
    assert_int_equal(r->months[1].open_end, 3);
    assert_int_equal(r->total.found_general, 3);
    assert_int_equal(r->total.found_major, 3);
    assert_int_equal(r->total.found_closed, 3);
    assert_int_equal(r->total.visits, 6);
    assert_int_equal(r->total.by_kind[xa_kind_of("special")], 1);
    xa_report_free(r);
    /* escalation as of each period's end: none by the end of October; in
     * December H5 is at 挂牌督办 (12-03) and H4 still at 督办 */
    r = compute(s, "2026-10-01", "2026-10-31", NULL);
    assert_int_equal(r->total.escalated, 0);
    xa_report_free(r);
    r = compute(s, "2026-12-01", "2026-12-05", NULL);
    assert_int_equal(r->total.escalated, 2);
    assert_int_equal(row(r, "莲都区")->escalated, 1);
    assert_int_equal(row(r, "青田县")->escalated, 1);
    for (size_t i = 0; i < r->nopen_major; i++) {
        const struct xa_rhazard *h = &r->hazards[r->open_major[i]];
        assert_int_equal(h->escalation,
                         !strcmp(h->id, H5) ? 2 : !strcmp(h->id, H4) ? 1 : 0);
    }
    xa_report_free(r);
    xa_cstore_close(s);
}

/* A period with nothing in it is a report of zeros. */
static void empty_period(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("empty.db"));
    struct xa_report *r = compute(s, "2025-01-01", "2025-01-31", NULL);
    assert_int_equal(r->total.schools, 6);
    assert_int_equal(r->total.visits, 0);
    assert_int_equal(r->total.found_general + r->total.found_major, 0);
    assert_int_equal(r->total.open_major, 0);
    assert_int_equal(r->nopen_major, 0);
    assert_int_equal(r->nunvisited, 6);
    xa_buf b = XA_BUF_INIT;
    OK(xa_report_render(r, XA_REPORT_TEXT, &b, E));
    assert_non_null(strstr(b.data, "2025年1月1日至2025年1月31日"));
    xa_buf_clear(&b);
    xa_report_free(r);
    xa_cstore_close(s);
}

/* --county: one row, the total is that county. */
static void one_county(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("one.db"));
    struct xa_report *r = compute(s, "2026-11-01", "2026-11-30", "青田县");
    assert_int_equal(r->ncounties, 1);
    assert_string_equal(r->counties[0].name, "青田县");
    assert_int_equal(r->total.found_major, 1);
    assert_int_equal(r->total.schools, 2);
    assert_int_equal(r->nopen_major, 1);
    assert_string_equal(r->hazards[r->open_major[0]].id, H4);
    xa_report_free(r);
    xa_cstore_close(s);
}

/* A school missing from the roster: its hazards count under the county and
 * name the visit recorded (the period queries read the visit only then). */
static void unrostered_school(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("unrostered.db"));
    struct xa_cvisit v = {0};
    v.id = "a1000000000000000000000000000009";
    v.inspector = FP;
    v.seq = 8;
    v.hash = v.id;
    v.record = "{}";
    v.school = "3311239999";
    v.school_name = "遂昌县外来学校";
    v.county = "遂昌县";
    v.kind = "random";
    v.arrived = "2026-11-12T09:00:00+08:00";
    int off;
    OK(xa_time_parse(v.arrived, &v.arrived_at, &off, E));
    v.sealed = v.arrived;
    v.sealed_at = v.arrived_at;
    v.received = "2026-12-04T00:00:00+08:00";
    OK(xa_cstore_visit_add(s, &v, E));
    /* a major: the open-major list shows it with the visit's school name */
    hazard(s, "b9000000000000000000000000000009", v.id, "3311239999", "fire", "major",
           "2026-11-12T09:30:00+08:00", "2026-12-12", 0, "楼梯间堆放杂物");
    struct xa_report *r = compute(s, "2026-11-01", "2026-11-30", NULL);
    assert_int_equal(row(r, "遂昌县")->found_major, 1);
    assert_int_equal(row(r, "遂昌县")->visits, 1);
    int seen = 0;
    for (size_t i = 0; i < r->nhazards; i++)
        if (!strcmp(r->hazards[i].school, "3311239999")) {
            assert_string_equal(r->hazards[i].school_name, "遂昌县外来学校");
            assert_string_equal(r->hazards[i].county, "遂昌县");
            seen++;
        }
    assert_int_equal(seen, 1);
    /* the lists keep the order found, then id */
    for (size_t i = 1; i < r->nhazards; i++)
        assert_true(r->hazards[i - 1].found_at < r->hazards[i].found_at ||
                    (r->hazards[i - 1].found_at == r->hazards[i].found_at &&
                     strcmp(r->hazards[i - 1].id, r->hazards[i].id) < 0));
    xa_report_free(r);
    r = compute(s, "2026-11-01", "2026-11-30", "遂昌县");
    assert_int_equal(r->nhazards, 1);
    assert_int_equal(r->total.found_major, 1);
    xa_report_free(r);
    r = compute(s, "2026-11-01", "2026-11-30", "青田县");
    for (size_t i = 0; i < r->nhazards; i++)
        assert_string_not_equal(r->hazards[i].school, "3311239999");
    xa_report_free(r);
    xa_cstore_close(s);
}

/* The text, CSV and JSON carry the same numbers. */
static void renderings_agree(void **state)
{
    (void)state;
    xa_cstore *s = fixture_store(path_in("out.db"));
    struct xa_report *r = compute(s, "2026-11-01", "2026-11-30", NULL);
    xa_buf t = XA_BUF_INIT, c = XA_BUF_INIT, j = XA_BUF_INIT;
    OK(xa_report_render(r, XA_REPORT_TEXT, &t, E));
    OK(xa_report_render(r, XA_REPORT_CSV, &c, E));
    OK(xa_report_render(r, XA_REPORT_JSON, &j, E));
    /* text: title, period, made, the total rows */
    assert_non_null(strstr(t.data, "丽水市教育局安全科"));
    assert_non_null(strstr(t.data, "统计期间：2026年11月1日至2026年11月30日"));
    assert_non_null(strstr(t.data, "制表日期：2026年12月5日"));
    assert_non_null(strstr(t.data, "合计                 6           3   50.0%         5"));
    assert_non_null(strstr(t.data, "四、未销号重大隐患：3"));
    assert_non_null(strstr(t.data, "教学楼墙体开裂"));
    assert_null(strstr(t.data, "消防通道被占")); /* H6 is after the period */
    /* CSV: BOM, CRLF, the same total row */
    assert_memory_equal(c.data, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(c.data, "\r\n合计,6,3,50.0%,5,2,1,0,2,0,0,0,0\r\n"));
    assert_non_null(strstr(c.data, "\r\n合计,2,2,3,50.0%,0,3,3,2,0.0%\r\n"));
    /* JSON */
    json_error_t je;
    json_t *o = json_loads(j.data, 0, &je);
    assert_non_null(o);
    json_t *tot = json_object_get(o, "total");
    assert_int_equal(json_integer_value(json_object_get(tot, "visits")), 5);
    assert_int_equal(json_integer_value(json_object_get(tot, "closed")), 3);
    assert_true(json_real_value(json_object_get(tot, "rectification_rate")) == 50.0);
    assert_true(json_real_value(json_object_get(tot, "coverage")) == 50.0);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(tot, "open"), "major")), 3);
    assert_int_equal(json_array_size(json_object_get(o, "open_major")), 3);
    assert_int_equal(json_array_size(json_object_get(o, "counties")), 10);
    json_decref(o);
    /* English */
    r->en = 1;
    xa_buf_reset(&t);
    OK(xa_report_render(r, XA_REPORT_TEXT, &t, E));
    assert_non_null(strstr(t.data, "Period: 2026-11-01 to 2026-11-30"));
    assert_non_null(strstr(t.data, "Liandu"));
    xa_buf_clear(&t);
    xa_buf_clear(&c);
    xa_buf_clear(&j);
    xa_report_free(r);
    xa_cstore_close(s);
}

/* The period from the options. */
static void period_parsing(void **state)
{
    (void)state;
    int64_t f, t;
    xa_err e;
    assert_int_equal(xa_report_period(NULL, NULL, day("2026-12-05"), &f, &t, &e), XA_OK);
    assert_int_equal(f, day("2026-12-01"));
    assert_int_equal(t, day("2026-12-05"));
    assert_int_equal(xa_report_period("2026-10-01", "2026-12-31", 0, &f, &t, &e), XA_OK);
    assert_int_equal(xa_report_period("2026-12-02", "2026-12-01", 0, &f, &t, &e), XA_EFORMAT);
    assert_int_equal(xa_report_period("2026-02-30", NULL, 0, &f, &t, &e), XA_EFORMAT);
    assert_int_equal(xa_report_period(NULL, "tomorrow", 0, &f, &t, &e), XA_EFORMAT);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "fixture")) {
        xa_cstore_close(fixture_store(argv[2]));
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(november_figures), cmocka_unit_test(two_months),
        cmocka_unit_test(empty_period),     cmocka_unit_test(one_county),
        cmocka_unit_test(renderings_agree), cmocka_unit_test(period_parsing),
        cmocka_unit_test(unrostered_school),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
