/* test_loop.c — the rectification loop's state machine (xa_hazard_loop):
 * every transition, the rules for major and general hazards and the
 * signoff.general setting, deadlines (部分整改, 延期), escalation and its
 * due date, which follow-ups are trusted, and that every order of the same
 * field events and office actions gives the same loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xiaoan/central.h"
#include "xiaoan/clock.h"

#define SCHOOL "3311020001"
#define OTHER "3311210001"

static int64_t T(const char *rfc3339)
{
    int64_t t;
    int off;
    assert_int_equal(xa_time_parse(rfc3339, &t, &off, NULL), XA_OK);
    return t;
}

static int64_t D(const char *date)
{
    int64_t d;
    assert_int_equal(xa_date_parse(date, &d, NULL), XA_OK);
    return d;
}

/* A hazard found at 2026-12-01 09:00 at SCHOOL, deadline 2026-12-16. */
static struct xa_chazard hazard(const char *severity, int onsite)
{
    struct xa_chazard h = {0};
    h.id = "h1";
    h.school = SCHOOL;
    h.severity = (char *)severity;
    h.found = "2026-12-01T09:00:00+08:00";
    h.found_at = T(h.found);
    h.deadline = "2026-12-16";
    h.rectified_on_site = onsite;
    h.inspector = "fp-a";
    h.inspector_name = "张三";
    return h;
}

static struct xa_cfield field(const char *kind, const char *verdict, const char *at,
                              const char *school, const char *visit, const char *note)
{
    struct xa_cfield f = {0};
    f.hazard = "h1";
    f.visit = (char *)visit;
    f.kind = (char *)kind;
    f.verdict = (char *)verdict;
    f.at = (char *)at;
    f.at_epoch = T(at);
    f.inspector = "fp-b";
    f.inspector_name = "李四";
    f.note = (char *)(note ? note : "");
    f.school = (char *)school;
    return f;
}

static struct xa_caction action(int64_t id, const char *kind, const char *at, const char *date,
                                const char *verdict, int64_t level, const char *by)
{
    struct xa_caction a = {0};
    a.id = id;
    a.hazard = "h1";
    a.kind = (char *)kind;
    a.at = (char *)at;
    a.at_epoch = T(at);
    a.date = (char *)date;
    a.verdict = (char *)verdict;
    a.level = level;
    a.by = (char *)(by ? by : "安全科王五");
    a.note = "说明";
    return a;
}

static const struct xa_loop_rules FIELD_RULES = {0, 7, 10, "校安整改"};
static const struct xa_loop_rules OFFICE_RULES = {1, 7, 10, "校安整改"};

/* Derive and return the state (the loop is left in *l). */
static const char *run(const struct xa_chazard *h, const struct xa_cfield *ev, size_t nev,
                       const struct xa_caction *act, size_t nact,
                       const struct xa_loop_rules *r, struct xa_hloop *l)
{
    xa_hazard_loop(h, NULL, ev, nev, act, nact, r, l);
    return l->state;
}

static void general_closes_at_field_recheck(void **state)
{
    (void)state;
    struct xa_chazard h = hazard("general", 0);
    struct xa_hloop l;
    assert_string_equal(run(&h, NULL, 0, NULL, 0, &FIELD_RULES, &l), "open");
    assert_string_equal(l.deadline, "2026-12-16");
    assert_int_equal(l.ndeadlines, 1);
    xa_hloop_clear(&l);

    struct xa_cfield ev[] = {
        field(XA_EV_FOUND, NULL, h.found, SCHOOL, "v0", NULL),
        field(XA_EV_FOLLOWUP, "rectified", "2026-12-10T10:00:00+08:00", SCHOOL, "v1",
              "已清理通道"),
    };
    assert_string_equal(run(&h, ev, 2, NULL, 0, &FIELD_RULES, &l), "closed");
    assert_string_equal(l.closed_how, "re-check");
    assert_string_equal(l.closed_by, "李四");
    assert_string_equal(l.closed_at, "2026-12-10T10:00:00+08:00");
    assert_string_equal(l.last_note, "已清理通道");
    assert_int_equal(l.rechecks, 1);
    xa_hloop_clear(&l);

    /* signoff.general = office: the same re-check leaves it rechecked */
    assert_string_equal(run(&h, ev, 2, NULL, 0, &OFFICE_RULES, &l), "rechecked");
    assert_null(l.closed_at);
    xa_hloop_clear(&l);
    struct xa_caction so = action(1, XA_ACT_SIGNOFF, "2026-12-11T09:00:00+08:00", NULL, NULL, 0,
                                  "赵科长");
    assert_string_equal(run(&h, ev, 2, &so, 1, &OFFICE_RULES, &l), "closed");
    assert_string_equal(l.closed_how, "sign-off");
    assert_string_equal(l.closed_by, "赵科长");
    xa_hloop_clear(&l);
}

static void on_site(void **state)
{
    (void)state;
    struct xa_chazard g = hazard("general", 1), m = hazard("major", 1);
    struct xa_hloop l;
    assert_string_equal(run(&g, NULL, 0, NULL, 0, &FIELD_RULES, &l), "closed");
    assert_string_equal(l.closed_how, "on-site");
    assert_string_equal(l.closed_by, "张三");
    xa_hloop_clear(&l);
    /* a major hazard rectified on the spot still needs the office */
    assert_string_equal(run(&m, NULL, 0, NULL, 0, &FIELD_RULES, &l), "rechecked");
    xa_hloop_clear(&l);
    assert_string_equal(run(&g, NULL, 0, NULL, 0, &OFFICE_RULES, &l), "rechecked");
    xa_hloop_clear(&l);
}

static void major_needs_signoff(void **state)
{
    (void)state;
    struct xa_chazard h = hazard("major", 0);
    struct xa_cfield ev[] = {
        field(XA_EV_FOLLOWUP, "rectified", "2026-12-10T10:00:00+08:00", SCHOOL, "v1", NULL),
    };
    struct xa_hloop l;
    assert_string_equal(run(&h, ev, 1, NULL, 0, &FIELD_RULES, &l), "rechecked");
    assert_string_equal(l.rechecked_at, "2026-12-10T10:00:00+08:00");
    /* 逾期 is "deadline passed, not closed": waiting for the sign-off past the
     * deadline (12-16) is overdue, shown as rechecked, due for 督办 in time */
    assert_int_equal(xa_hloop_overdue(&l, D("2026-12-16")), 0);
    assert_int_equal(xa_hloop_overdue(&l, D("2026-12-20")), 4);
    assert_string_equal(xa_hloop_shown_state(&l, D("2026-12-20")), "rechecked");
    assert_int_equal(xa_hloop_due(&l, &FIELD_RULES, D("2026-12-23")), 1);
    /* the rule itself: closed never overdue, no deadline never overdue */
    assert_int_equal(xa_overdue_days(0, D("2026-12-16"), D("2026-12-20")), 4);
    assert_int_equal(xa_overdue_days(1, D("2026-12-16"), D("2026-12-20")), 0);
    assert_int_equal(xa_overdue_days(0, XA_NO_DEADLINE, D("2026-12-20")), 0);
    assert_int_equal(xa_deadline_day(""), XA_NO_DEADLINE);
    xa_hloop_clear(&l);
    /* an office re-check on documents does the same */
    struct xa_caction rc = action(1, XA_ACT_RECHECK, "2026-12-09T10:00:00+08:00", NULL,
                                  "rectified", 0, "王五");
    assert_string_equal(run(&h, NULL, 0, &rc, 1, &FIELD_RULES, &l), "rechecked");
    assert_string_equal(l.last_checker, "王五");
    assert_string_equal(l.last_note, "说明");
    xa_hloop_clear(&l);
    struct xa_caction acts[] = {
        rc, action(2, XA_ACT_SIGNOFF, "2026-12-12T10:00:00+08:00", NULL, NULL, 0, "赵科长")};
    assert_string_equal(run(&h, ev, 1, acts, 2, &FIELD_RULES, &l), "closed");
    assert_string_equal(l.closed_how, "sign-off");
    assert_int_equal(l.rechecks, 2);
    xa_hloop_clear(&l);
}

static void partly_and_not(void **state)
{
    (void)state;
    struct xa_chazard h = hazard("major", 0);
    struct xa_hloop l;
    /* rechecked, then a later field re-check finds it not rectified: open */
    struct xa_cfield ev[] = {
        field(XA_EV_FOLLOWUP, "rectified", "2026-12-05T10:00:00+08:00", SCHOOL, "v1", NULL),
        field(XA_EV_FOLLOWUP, "not-rectified", "2026-12-08T10:00:00+08:00", SCHOOL, "v2",
              "又堆放了"),
    };
    assert_string_equal(run(&h, ev, 2, NULL, 0, &FIELD_RULES, &l), "open");
    assert_string_equal(l.last_verdict, "not-rectified");
    assert_string_equal(l.last_note, "又堆放了");
    xa_hloop_clear(&l);
    /* 部分整改 at the office with a new deadline: open, deadline moved, history kept */
    struct xa_caction p = action(1, XA_ACT_RECHECK, "2026-12-10T10:00:00+08:00", "2026-12-31",
                                 "partly", 0, "王五");
    assert_string_equal(run(&h, NULL, 0, &p, 1, &FIELD_RULES, &l), "open");
    assert_string_equal(l.deadline, "2026-12-31");
    assert_int_equal(l.ndeadlines, 2);
    assert_string_equal(l.deadlines[0].date, "2026-12-16");
    assert_string_equal(l.deadlines[1].why, "部分整改");
    assert_null(l.extended_to);
    assert_int_equal(xa_hloop_overdue(&l, D("2026-12-20")), 0);
    xa_hloop_clear(&l);
    /* unable changes nothing but counts as a re-check */
    struct xa_cfield u = field(XA_EV_FOLLOWUP, "unable", "2026-12-05T10:00:00+08:00", SCHOOL,
                               "v1", NULL);
    assert_string_equal(run(&h, &u, 1, NULL, 0, &FIELD_RULES, &l), "open");
    assert_int_equal(l.rechecks, 1);
    xa_hloop_clear(&l);
}

static void extend_escalate_reply_notice(void **state)
{
    (void)state;
    struct xa_chazard h = hazard("general", 0);
    struct xa_hloop l;
    assert_string_equal(run(&h, NULL, 0, NULL, 0, &FIELD_RULES, &l), "open");
    assert_int_equal(xa_hloop_overdue(&l, D("2026-12-16")), 0);
    assert_int_equal(xa_hloop_overdue(&l, D("2026-12-20")), 4);
    assert_int_equal(xa_hloop_due(&l, &FIELD_RULES, D("2026-12-20")), 0);
    assert_int_equal(xa_hloop_due(&l, &FIELD_RULES, D("2026-12-23")), 1);
    assert_int_equal(xa_hloop_due(&l, &FIELD_RULES, D("2026-12-30")), 2);
    xa_hloop_clear(&l);

    struct xa_caction acts[] = {
        action(1, XA_ACT_NOTICE, "2026-12-02T09:00:00+08:00", "2026-12-02", NULL, 0, NULL),
        action(2, XA_ACT_REPLY, "2026-12-12T09:00:00+08:00", "2026-12-11", NULL, 0, NULL),
        action(3, XA_ACT_EXTEND, "2026-12-15T09:00:00+08:00", "2027-01-10", NULL, 0, NULL),
        action(4, XA_ACT_ESCALATE, "2026-12-16T09:00:00+08:00", NULL, NULL, 1, NULL),
    };
    acts[0].notice = "校安整改〔2026〕1号";
    assert_string_equal(run(&h, NULL, 0, acts, 4, &FIELD_RULES, &l), "open");
    assert_string_equal(l.notice, "校安整改〔2026〕1号");
    assert_string_equal(l.notice_date, "2026-12-02");
    assert_string_equal(l.reply_date, "2026-12-11");
    assert_string_equal(l.extended_to, "2027-01-10");
    assert_string_equal(l.deadline, "2027-01-10");
    assert_int_equal(l.ndeadlines, 2);
    assert_string_equal(l.deadlines[1].why, "延期：说明");
    assert_int_equal(l.escalation, 1);
    assert_int_equal(xa_hloop_overdue(&l, D("2026-12-20")), 0); /* extended */
    assert_int_equal(xa_hloop_overdue(&l, D("2027-01-20")), 10);
    /* already at 督办: due for 挂牌督办 only after twice the days */
    assert_int_equal(xa_hloop_due(&l, &FIELD_RULES, D("2027-01-20")), 0);
    assert_int_equal(xa_hloop_due(&l, &FIELD_RULES, D("2027-01-24")), 2);
    xa_hloop_clear(&l);
    /* a closed hazard is never overdue */
    struct xa_cfield ok = field(XA_EV_FOLLOWUP, "rectified", "2026-12-20T10:00:00+08:00", SCHOOL,
                                "v1", NULL);
    assert_string_equal(run(&h, &ok, 1, NULL, 0, &FIELD_RULES, &l), "closed");
    assert_int_equal(xa_hloop_overdue(&l, D("2027-03-01")), 0);
    xa_hloop_clear(&l);
}

/* The review's cases: another school, an earlier date; and the finding's own
 * visit. */
static void untrusted_followups(void **state)
{
    (void)state;
    struct xa_chazard h = hazard("general", 0);
    struct xa_cfield ev[] = {
        field(XA_EV_FOLLOWUP, "rectified", "2026-12-10T10:00:00+08:00", OTHER, "v1", NULL),
        field(XA_EV_FOLLOWUP, "rectified", "2026-11-30T10:00:00+08:00", SCHOOL, "v2", NULL),
        field(XA_EV_FOLLOWUP, "rectified", "2026-12-01T09:10:00+08:00", SCHOOL, "v0", NULL),
    };
    h.visit = "v0";
    struct xa_hloop l;
    assert_string_equal(run(&h, ev, 3, NULL, 0, &FIELD_RULES, &l), "open");
    assert_int_equal(l.rechecks, 0);
    assert_int_equal(l.ignored, 3);
    assert_null(l.last_verdict);
    xa_hloop_clear(&l);
    /* the same minute as the finding, another visit at the school: trusted */
    struct xa_cfield good = field(XA_EV_FOLLOWUP, "rectified", "2026-12-01T09:00:00+08:00",
                                  SCHOOL, "v4", NULL);
    assert_string_equal(run(&h, &good, 1, NULL, 0, &FIELD_RULES, &l), "closed");
    xa_hloop_clear(&l);
}

/* A one-line summary of a loop, to compare orders. */
static char *summary(const struct xa_hloop *l)
{
    return xa_asprintf("%s|%s|%s|%s|%s|%d|%s|%s|%lld|%s|%s|%zu", l->state,
                       l->closed_at ? l->closed_at : "-", l->closed_by ? l->closed_by : "-",
                       l->closed_how ? l->closed_how : "-", l->deadline, l->escalation,
                       l->notice ? l->notice : "-", l->reply_date ? l->reply_date : "-",
                       (long long)l->rechecks, l->last_verdict ? l->last_verdict : "-",
                       l->last_note ? l->last_note : "-", l->ndeadlines);
}

/* Field events and office actions in every input order give the same loop. */
static void every_order_same_loop(void **state)
{
    (void)state;
    struct xa_chazard h = hazard("major", 0);
    struct xa_cfield ev[] = {
        field(XA_EV_FOUND, NULL, h.found, SCHOOL, "v0", NULL),
        field(XA_EV_FOLLOWUP, "partly", "2026-12-05T10:00:00+08:00", SCHOOL, "v1", "一半"),
        field(XA_EV_FOLLOWUP, "rectified", "2026-12-18T10:00:00+08:00", SCHOOL, "v2", "完成"),
        field(XA_EV_FOLLOWUP, "rectified", "2026-12-06T10:00:00+08:00", OTHER, "v3", NULL),
        /* the same instant as v2: ties by visit id (v1b before v2) */
        field(XA_EV_FOLLOWUP, "unable", "2026-12-18T10:00:00+08:00", SCHOOL, "v1b", NULL),
    };
    struct xa_caction act[] = {
        action(1, XA_ACT_NOTICE, "2026-12-02T09:00:00+08:00", "2026-12-02", NULL, 0, NULL),
        action(2, XA_ACT_EXTEND, "2026-12-15T09:00:00+08:00", "2026-12-25", NULL, 0, NULL),
        action(3, XA_ACT_ESCALATE, "2026-12-16T09:00:00+08:00", NULL, NULL, 2, NULL),
        action(4, XA_ACT_SIGNOFF, "2026-12-19T09:00:00+08:00", NULL, NULL, 0, "赵科长"),
    };
    act[0].notice = "校安整改〔2026〕3号";
    enum { NE = 5, NA = 4, N = NE + NA };
    int perm[N];
    for (int i = 0; i < N; i++)
        perm[i] = i;
    char *first = NULL;
    unsigned seed = 12345;
    for (int round = 0; round < 400; round++) {
        /* a pseudo-random shuffle (Fisher-Yates with a fixed LCG) */
        for (int i = N - 1; i > 0; i--) {
            seed = seed * 1103515245u + 12345u;
            int j = (int)((seed >> 16) % (unsigned)(i + 1));
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        struct xa_cfield e2[NE];
        struct xa_caction a2[NA];
        int ke = 0, ka = 0;
        for (int i = 0; i < N; i++) {
            if (perm[i] < NE)
                e2[ke++] = ev[perm[i]];
            else
                a2[ka++] = act[perm[i] - NE];
        }
        struct xa_hloop l;
        xa_hazard_loop(&h, NULL, e2, NE, a2, NA, &FIELD_RULES, &l);
        char *s = summary(&l);
        xa_hloop_clear(&l);
        if (!first)
            first = s;
        else {
            assert_string_equal(s, first);
            free(s);
        }
    }
    assert_string_equal(first, "closed|2026-12-19T09:00:00+08:00|赵科长|sign-off|2026-12-25|2|"
                               "校安整改〔2026〕3号|-|3|rectified|完成|2");
    free(first);
}

static void labels(void **state)
{
    (void)state;
    assert_string_equal(xa_vocab_label_of(&xa_vocab_hstates, "open", 0), "待整改");
    assert_string_equal(xa_vocab_label_of(&xa_vocab_hstates, "rechecked", 0), "已整改待销号");
    assert_string_equal(xa_vocab_label_of(&xa_vocab_hstates, "closed", 0), "已销号");
    assert_string_equal(xa_vocab_label_of(&xa_vocab_hstates, "overdue", 0), "逾期");
    assert_string_equal(xa_escalation_label(1), "督办");
    assert_string_equal(xa_escalation_label(2), "挂牌督办");
    assert_string_equal(xa_escalation_label(0), "");
    assert_string_equal(xa_closed_how_label("sign-off"), "办公室销号");
    char *a = xa_hazard_county_abbr("莲都区");
    assert_string_equal(a, "莲都");
    free(a);
    a = xa_hazard_county_abbr("景宁畲族自治县");
    assert_string_equal(a, "景宁");
    free(a);
    a = xa_hazard_county_abbr("某某县");
    assert_string_equal(a, "某某");
    free(a);
    a = xa_hazard_county_abbr("");
    assert_string_equal(a, "未知");
    free(a);
}

int main(void)
{
    setenv("XIAOAN_NOW", "2026-12-20T10:00:00+08:00", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(general_closes_at_field_recheck),
        cmocka_unit_test(on_site),
        cmocka_unit_test(major_needs_signoff),
        cmocka_unit_test(partly_and_not),
        cmocka_unit_test(extend_escalate_reply_notice),
        cmocka_unit_test(untrusted_followups),
        cmocka_unit_test(every_order_same_loop),
        cmocka_unit_test(labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
