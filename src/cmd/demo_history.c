/* demo_history.c (cmd) — the history a demo workspace starts with: three
 * inspectors and four months of visits, re-checks, bundles, merges and
 * briefs, made through the same calls the TUI, `xiaoan export`, `central
 * merge`, `central brief` and `brief import` make, with the clock fixed
 * (XIAOAN_NOW) at each step.  The scenario is data (the tables below); the
 * code only plays it.  What each hazard ends as is listed next to it so the
 * demo's test can check the ledger against it. */
#include "demo_int.h"

#include "xiaoan/assign.h"
#include "xiaoan/clock.h"
#include "xiaoan/field.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The inspectors: the first is the demo's own (its home is dir/home). */
enum { IN_ZHANG, IN_LI, IN_WANG, NINSP };
static const struct {
    const char *name, *county, *folder;
} insp_def[NINSP] = {
    {DEMO_INSPECTOR, "莲都区", "home"},
    {"李华", "龙泉市", "inspectors/lihua"},
    {"王芳", "青田县", "inspectors/wangfang"},
};

/* Hazards by name, so a later re-check can name an earlier finding.  The
 * comment says what each one is at the end of the history. */
enum {
    H_NONE = 0,
    H_EXIT,        /* closed on the spot */
    H_EXTINGUISH,  /* closed by a re-check */
    H_ALARM,       /* major, re-checked, waits for the office's sign-off */
    H_DORM_POWER,  /* closed by a re-check */
    H_DORM_PATROL, /* re-check unable: overdue */
    H_LICENCE,     /* major: partly, then rectified: re-checked */
    H_SAMPLE,      /* not rectified: long overdue */
    H_DORM_EXIT,   /* closed by a re-check */
    H_DORM_NIGHT,  /* closed by a re-check */
    H_DORM_BIKE,   /* major, partly rectified: overdue */
    H_KG_EXT,      /* never re-checked: overdue */
    H_GUARD_TEST,  /* open, deadline ahead */
    H_GATE_ALARM,  /* open, deadline ahead (in a bundle the field has no receipt
                      for yet) */
    NHAZ
};

struct dhaz {
    int slot;
    const char *form, *code, *description, *location, *responsible;
    int on_site;
};

struct dfollow {
    int slot;
    xa_verdict verdict;
    const char *note;
};

/* One visit of the scenario. */
struct dvisit {
    int who, ago; /* inspector, days before today */
    const char *school;
    xa_kind kind;
    const char *forms[3];
    struct dhaz haz[3];
    struct dfollow fu[3];
    int draft; /* left as a draft, half answered */
};

/* What happens, in order: visits, then the office's rounds. */
enum step_kind { ST_VISIT, ST_EXPORT, ST_MERGE, ST_DRAW, ST_BRIEF };
struct dstep {
    enum step_kind kind;
    int ago;
    int who; /* ST_EXPORT / ST_BRIEF: -1 = every inspector */
    struct dvisit v;
};

#define V(...)                                                                                     \
    {                                                                                              \
        ST_VISIT, 0, 0,                                                                            \
        {                                                                                          \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }
#define ROUND(exp, mrg, brf)                                                                       \
    {ST_EXPORT, exp, -1, {0}}, {ST_MERGE, mrg, -1, {0}},                                           \
    {                                                                                              \
        ST_BRIEF, brf, -1,                                                                         \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }

static const struct dstep script[] = {
    /* every inspector starts with a brief (the office key is pinned) */
    {ST_BRIEF, 126, -1, {0}},
    /* the autumn round */
    V(.who = IN_ZHANG, .ago = 120, .school = "3311020001", .kind = XA_KIND_4N2D,
      .forms = {"general-4n2d", "fire-buildings"},
      .haz = {{H_EXTINGUISH, "fire-buildings", "FB-19",
               "教学楼三楼东侧走廊2具灭火器压力指针在红区，已过有效期", "教学楼三楼东侧走廊",
               "总务处 周老师", 0},
              {H_ALARM, "fire-buildings", "FB-15",
               "火灾自动报警主机显示12处故障未排除，控制室无人复位", "行政楼一楼消防控制室",
               "副校长 陈建国", 0},
              {H_EXIT, "general-4n2d", "GN-06", "教学楼西侧安全出口内堆放体育器材，出口半开",
               "教学楼西侧安全出口", "体育组 刘老师", 1}}),
    V(.who = IN_LI, .ago = 118, .school = "3311810004", .kind = XA_KIND_4N2D,
      .forms = {"general-4n2d", "dormitory"},
      .haz = {{H_DORM_POWER, "dormitory", "DM-12", "男生宿舍5栋304、412室发现热得快、电煮锅各1件",
               "男生宿舍5栋三楼、四楼", "宿管科 吴科长", 0},
              {H_DORM_PATROL, "dormitory", "DM-18", "近一个月的夜间防火巡查记录缺5个晚上",
               "宿管值班室", "宿管科 吴科长", 0}}),
    V(.who = IN_WANG, .ago = 115, .school = "3311210002", .kind = XA_KIND_RANDOM,
      .forms = {"general-4n2d", "canteen-food"},
      .haz = {{H_LICENCE, "canteen-food", "CF-01", "食品经营许可证已于上月到期，未申请延续", "食堂",
               "后勤主任 林海", 0},
              {H_SAMPLE, "canteen-food", "CF-10", "午餐留样量不足125克（红烧肉约80克）",
               "食堂留样柜", "食堂管理员 叶红", 0}}),
    ROUND(114, 113, 112),
    /* the re-checks, and a visit with nothing found */
    V(.who = IN_ZHANG, .ago = 95, .school = "3311020001", .kind = XA_KIND_FOLLOWUP, .haz = {{0}},
      .fu = {{H_EXTINGUISH, XA_VERDICT_RECTIFIED, "已更换2具灭火器，全楼灭火器重新检查登记"},
             {H_ALARM, XA_VERDICT_RECTIFIED, "故障已排除，维保单位出具检测报告"}}),
    V(.who = IN_LI, .ago = 90, .school = "3311810005", .kind = XA_KIND_SPECIAL,
      .forms = {"dormitory"}, .haz = {{0}}, .fu = {{0}}),
    V(.who = IN_WANG, .ago = 80, .school = "3311210002", .kind = XA_KIND_FOLLOWUP, .haz = {{0}},
      .fu = {{H_LICENCE, XA_VERDICT_PARTLY, "已提交延续申请\n尚未取得新证"},
             {H_SAMPLE, XA_VERDICT_NOT, "留样量仍不足，未配电子秤"}}),
    ROUND(76, 75, 74),
    /* the winter round */
    V(.who = IN_ZHANG, .ago = 60, .school = "3311020004", .kind = XA_KIND_4N2D,
      .forms = {"general-4n2d", "dormitory"},
      .haz = {{H_DORM_EXIT, "dormitory", "DM-08",
               "女生宿舍2楼走道堆放行李箱和杂物，疏散宽度不足1米", "女生宿舍2楼走道",
               "生活老师 蓝秀英", 0},
              {H_DORM_NIGHT, "dormitory", "DM-16", "值班表显示周三夜间无宿管员值守", "宿管值班室",
               "副校长 雷志强", 0},
              {H_DORM_BIKE, "dormitory", "DM-11", "宿舍楼一楼楼梯间停放电动自行车3辆，并有飞线充电",
               "宿舍楼一楼楼梯间", "总务主任 钟伟", 0}}),
    V(.who = IN_LI, .ago = 45, .school = "3311810004", .kind = XA_KIND_FOLLOWUP, .haz = {{0}},
      .fu = {{H_DORM_POWER, XA_VERDICT_RECTIFIED, "违规电器已收缴，宿舍限流改造完成"},
             {H_DORM_PATROL, XA_VERDICT_UNABLE, "宿管负责人外出，巡查记录锁在柜中无法查看"}}),
    V(.who = IN_WANG, .ago = 40, .school = "3311210001", .kind = XA_KIND_4N2D,
      .forms = {"general-4n2d"},
      .haz = {{H_KG_EXT, "general-4n2d", "GN-08", "大班活动室1具灭火器过期，消火栓箱前堆放玩具柜",
               "大班活动室", "园长 季晓燕", 0}}),
    ROUND(38, 37, 36),
    /* this month */
    V(.who = IN_ZHANG, .ago = 15, .school = "3311020004", .kind = XA_KIND_FOLLOWUP, .haz = {{0}},
      .fu = {{H_DORM_EXIT, XA_VERDICT_RECTIFIED, "走道已清空"},
             {H_DORM_NIGHT, XA_VERDICT_RECTIFIED, "已增配宿管员1名，排班表覆盖每晚"},
             {H_DORM_BIKE, XA_VERDICT_PARTLY, "电动车已移出\n飞线未拆除，充电棚在建"}}),
    V(.who = IN_LI, .ago = 12, .school = "3311810002", .kind = XA_KIND_4N2D,
      .forms = {"general-4n2d", "security-gate"},
      .haz = {{H_GUARD_TEST, "security-gate", "SG-18", "一键报警装置本季度未测试，无测试记录",
               "门卫室", "安保主任 季伟", 0}}),
    V(.who = IN_WANG, .ago = 10, .school = "3311210002", .kind = XA_KIND_FOLLOWUP, .haz = {{0}},
      .fu = {{H_LICENCE, XA_VERDICT_RECTIFIED, "已取得新食品经营许可证并公示"},
             {H_SAMPLE, XA_VERDICT_NOT, "仍未整改"}}),
    {ST_EXPORT, 9, -1, {0}},
    {ST_MERGE, 8, -1, {0}},
    {ST_DRAW, 7, -1, {0}},
    {ST_BRIEF, 7, -1, {0}},
    /* after the last brief: a bundle the office has merged but not yet
     * acknowledged, a sealed visit not exported and a draft */
    V(.who = IN_ZHANG, .ago = 5, .school = "3311020006", .kind = XA_KIND_4N2D,
      .forms = {"general-4n2d"},
      .haz = {{H_GATE_ALARM, "general-4n2d", "GN-03",
               "一键报警装置指示灯不亮，值守保安说不清报警流程", "校门门卫室", "安保主任 何平",
               0}}),
    {ST_EXPORT, 4, IN_ZHANG, {0}},
    {ST_MERGE, 3, -1, {0}},
    V(.who = IN_ZHANG, .ago = 2, .school = "3311020002", .kind = XA_KIND_RANDOM,
      .forms = {"general-4n2d"}, .haz = {{0}}, .fu = {{0}}),
    V(.who = IN_ZHANG, .ago = 1, .school = "3311020005", .kind = XA_KIND_4N2D,
      .forms = {"general-4n2d"}, .haz = {{0}}, .fu = {{0}}, .draft = 1),
};
#define NSTEPS (sizeof script / sizeof script[0])

struct demo {
    const char *dir, *pass;
    xa_cstore *s;
    const xa_identity *office;
    const xa_roster *r;
    const xa_form_set *set;
    int64_t today;
    xa_deadline_days days;
    xa_fstore *fs[NINSP];
    char hazard[NHAZ][XA_ID_HEX];
    char **pending; /* bundles written, not merged yet */
    size_t npending;
    struct demo_summary *sum;
};

/* Fix the clock (XIAOAN_NOW) at hh:mm on the day `ago` days before today
 * (+08:00). */
void demo_clock_at(int64_t today, int ago, int hh, int mm)
{
    int64_t t = (today - ago) * 86400 + hh * 3600 + mm * 60 - XA_CST_OFFSET * 60;
    char at[XA_RFC3339_MAX];
    xa_time_format(t, XA_CST_OFFSET, at);
    setenv("XIAOAN_NOW", at, 1);
}

static void clock_at(struct demo *d, int ago, int hh, int mm)
{
    demo_clock_at(d->today, ago, hh, mm);
}

static void now_text(char out[XA_RFC3339_MAX])
{
    xa_time_format(xa_now(), XA_CST_OFFSET, out);
}

/* Answer every item of the visit's forms that is still unchecked: pass,
 * with a number in range for a count and a line for a text item; draft
 * visits stop after `limit` answers. */
static void answer_all(struct demo *d, json_t *doc, const xa_school *sc, size_t limit)
{
    const xa_form *const *forms = (const xa_form *const *)d->set->forms;
    xa_facts facts = xa_school_facts(sc);
    size_t done = 0;
    json_t *fa = json_object_get(doc, "forms"), *m;
    size_t i;
    json_array_foreach(fa, i, m)
    {
        const xa_form *f = xa_form_set_find(d->set, json_string_value(json_object_get(m, "id")));
        for (size_t k = 0; f && k < f->nitems && done < limit; k++) {
            const xa_item *it = &f->items[k];
            if (xa_doc_result(doc, f->id, it->code) != XA_RESULT_UNCHECKED)
                continue;
            json_t *ans = xa_doc_answer_ensure(doc, f->id, it->code);
            if (it->type == XA_ITEM_COUNT) {
                xa_range rg;
                xa_item_range(it, &facts, &rg);
                long v = rg.has_min ? rg.min : 0;
                json_object_set_new(ans, "value", json_integer(v));
            } else if (it->type == XA_ITEM_TEXT) {
                xa_doc_set_str(ans, "text", "无");
            }
            xa_doc_set_result(doc, forms, d->set->n, f->id, it->code, XA_RESULT_PASS, xa_now());
            done++;
        }
    }
}

/* Play one visit: a draft made and edited through the field store, sealed
 * at 11:30 unless it stays a draft. */
static xa_code play_visit(struct demo *d, const struct dvisit *v, xa_err *err)
{
    xa_fstore *fs = d->fs[v->who];
    const xa_school *sc = xa_roster_find(d->r, v->school);
    if (!sc)
        return xa_fail(err, XA_ENOTFOUND, "demo: school %s is not in the sample roster", v->school);
    const xa_form *const *forms = (const xa_form *const *)d->set->forms;
    xa_profile profile = xa_school_profile(sc);
    clock_at(d, v->ago, 9, 20);
    xa_visit_init init = {0};
    init.school_code = sc->code;
    init.school_name = sc->name;
    init.county = sc->county;
    init.kind = xa_vocab_key(&xa_vocab_kinds, v->kind);
    init.no_notice = init.no_greeting = init.no_briefing = init.no_escort = 1;
    json_t *doc = NULL;
    xa_code c = xa_fstore_visit_new(fs, &init, &doc, err);
    if (c != XA_OK)
        return c;
    clock_at(d, v->ago, 9, 32);
    for (size_t i = 0; i < 3 && v->forms[i]; i++) {
        const xa_form *f = xa_form_set_find(d->set, v->forms[i]);
        if (!f) {
            json_decref(doc);
            return xa_fail(err, XA_ENOTFOUND, "demo: form %s is not among the forms", v->forms[i]);
        }
        xa_doc_form_add(doc, forms, d->set->n, f, profile);
    }
    /* straight to the first site: the items answered from 09:35 */
    clock_at(d, v->ago, 9, 35);
    answer_all(d, doc, sc, v->draft ? 6 : (size_t)-1);
    /* the findings, each at its item, as the hazard editor files them */
    for (size_t i = 0; i < 3 && v->haz[i].slot; i++) {
        const struct dhaz *h = &v->haz[i];
        const xa_form *f = xa_form_set_find(d->set, h->form);
        const xa_item *it = f ? xa_form_item(f, h->code) : NULL;
        if (!it) {
            json_decref(doc);
            return xa_fail(err, XA_ENOTFOUND, "demo: item %s/%s is not among the forms", h->form,
                           h->code);
        }
        clock_at(d, v->ago, 9, 40 + 6 * (int)i);
        xa_doc_set_result(doc, forms, d->set->n, f->id, it->code, XA_RESULT_HAZARD, xa_now());
        json_t *hz = xa_doc_hazard_add(doc, f, it, &d->days, xa_date_of(xa_now(), XA_CST_OFFSET));
        char at[XA_RFC3339_MAX];
        now_text(at);
        xa_doc_set_str(hz, "description", h->description);
        xa_doc_set_str(hz, "location", h->location);
        xa_doc_set_str(hz, "responsible", h->responsible);
        xa_doc_set_str(hz, "requirement", "限期整改到位，整改后报复查");
        xa_doc_set_str(hz, "found", at);
        if (h->on_site) {
            json_object_set_new(hz, "rectified_on_site", json_true());
            xa_doc_set_str(hz, "measures", "检查组督促现场清理，已恢复畅通");
            json_object_set_new(hz, "deadline", json_null());
        }
        snprintf(d->hazard[h->slot], XA_ID_HEX, "%s", xa_doc_str(hz, "id"));
    }
    clock_at(d, v->ago, 10, 5);
    for (size_t i = 0; i < 3 && v->fu[i].slot; i++) {
        const struct dfollow *fu = &v->fu[i];
        json_t *m = xa_doc_followup_ensure(doc, d->hazard[fu->slot], fu->verdict);
        char at[XA_RFC3339_MAX];
        now_text(at);
        xa_doc_set_str(m, "note", fu->note);
        xa_doc_set_str(m, "checked", at);
    }
    int64_t revision = 1; /* a new draft */
    c = xa_fstore_visit_save(fs, doc, &revision, err);
    if (c == XA_OK && !v->draft) {
        clock_at(d, v->ago, 11, 30);
        c = xa_fstore_visit_seal(fs, xa_doc_str(doc, "id"), NULL, err);
    }
    if (c == XA_OK)
        d->sum->visits++;
    json_decref(doc);
    return c;
}

/* Export the inspector's sealed visits into dir/bundles/FOLDER-NAME; the
 * bundle waits for the office's next merge. */
static xa_code play_export(struct demo *d, int who, int ago, xa_err *err)
{
    clock_at(d, ago, 17, 10 + who);
    const char *base = strrchr(insp_def[who].folder, '/');
    char *sub = xa_asprintf("bundles/%s", base ? base + 1 : "zhangming");
    char *out = xa_path_join(d->dir, sub);
    xa_export_result res = {0};
    xa_code c = xa_field_export(d->fs[who], out, &res, err);
    if (c == XA_OK && res.path) {
        d->pending = xa_reallocarray(d->pending, d->npending + 1, sizeof *d->pending);
        d->pending[d->npending++] = xa_strdup(res.path);
        d->sum->bundles++;
    }
    xa_export_result_clear(&res);
    free(out);
    free(sub);
    return c;
}

/* The office merges every bundle that came in since its last merge. */
static xa_code play_merge(struct demo *d, int ago, xa_err *err)
{
    xa_code c = XA_OK;
    clock_at(d, ago, 9, 0);
    for (size_t i = 0; i < d->npending && c == XA_OK; i++) {
        struct xa_merge_result mr;
        c = xa_merge_file(d->s, d->office, d->pending[i], &mr, err);
        if (c == XA_OK && !mr.accepted)
            c = xa_fail(err, XA_ESTATE, "demo: the office refused %s: %s", d->pending[i],
                        mr.reason);
    }
    for (size_t i = 0; i < d->npending; i++)
        free(d->pending[i]);
    free(d->pending);
    d->pending = NULL;
    d->npending = 0;
    return c;
}

/* A random-supervision draw of three schools for the three inspectors, due
 * in three weeks, revealed at once (the beacon is the demo's). */
static xa_code play_draw(struct demo *d, int ago, xa_err *err)
{
    clock_at(d, ago, 8, 30);
    char due[XA_DATE_MAX];
    xa_date_format(d->today - ago + 21, due);
    struct xa_draw_request rq;
    memset(&rq, 0, sizeof rq);
    rq.schools = 3;
    for (int i = 0; i < XA_DRAW_NTIERS; i++)
        rq.weights[i] = 1;
    rq.boost_days = 180;
    rq.kind = "random";
    rq.team = 1;
    rq.due = due;
    char *plan = xa_path_join(d->dir, "draw-plan.json");
    struct xa_draw dr;
    memset(&dr, 0, sizeof dr);
    xa_code c = xa_office_draw_plan(d->s, &rq, plan, &dr, err);
    xa_draw_clear(&dr);
    if (c == XA_OK) {
        memset(&dr, 0, sizeof dr);
        c = xa_office_draw_reveal(d->s, plan, "演示：丽水日报当日头版标题", &dr, err);
        xa_draw_clear(&dr);
    }
    free(plan);
    return c;
}

/* The office writes a brief for the inspector, who imports it the next
 * morning (its receipts acknowledge what the office merged). */
static xa_code play_brief(struct demo *d, int who, int ago, xa_err *err)
{
    const xa_identity *me = xa_fstore_identity(d->fs[who]);
    const char *base = strrchr(insp_def[who].folder, '/');
    char *name =
        xa_asprintf("briefs/%s-%zu.xbrief", base ? base + 1 : "zhangming", d->sum->briefs + 1);
    char *path = xa_path_join(d->dir, name);
    clock_at(d, ago, 16, 0);
    struct xa_brief_counts k;
    xa_code c = xa_brief_write(d->s, d->office, me->fingerprint, NULL, path, &k, NULL, err);
    if (c == XA_OK) {
        clock_at(d, ago - 1 >= 1 ? ago - 1 : ago, 8, 10);
        struct xa_brief_import_result ir;
        c = xa_brief_import(d->fs[who], path, d->office->fingerprint, &ir, err);
    }
    if (c == XA_OK)
        d->sum->briefs++;
    free(path);
    free(name);
    return c;
}

/* Create and enrol the two other inspectors. */
static xa_code make_inspectors(struct demo *d, xa_err *err)
{
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    xa_buf text = XA_BUF_INIT;
    xa_code c = XA_OK;
    for (int i = 1; i < NINSP && c == XA_OK; i++) {
        char *home = xa_path_join(d->dir, insp_def[i].folder);
        if ((c = xa_mkdir_p(home, 0700, err)) == XA_OK &&
            (c = xa_fstore_create(home, insp_def[i].name, d->pass, &kdf, &d->fs[i], err)) ==
                XA_OK) {
            xa_buf_reset(&text);
            const xa_identity *me = xa_fstore_identity(d->fs[i]);
            if ((c = xa_identity_text(me, &text, err)) == XA_OK)
                c = xa_office_enroll_county(d->s, text.data, text.len, insp_def[i].county, NULL,
                                            err);
        }
        free(home);
    }
    xa_buf_clear(&text);
    return c;
}

/* Count the ledger's states as the office sees them today. */
static xa_code tally(struct demo *d, xa_err *err)
{
    struct xa_hview *v = NULL;
    size_t n = 0;
    xa_code c = xa_hazard_views(d->s, NULL, &v, &n, err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < n; i++) {
        xa_hstate st = xa_hstate_of(v[i].l.state);
        d->sum->hazards++;
        if (st == XA_HS_CLOSED)
            d->sum->closed++;
        else if (st == XA_HS_RECHECKED)
            d->sum->rechecked++;
        else if (xa_hloop_overdue(&v[i].l, d->today) > 0)
            d->sum->overdue++;
        else
            d->sum->open++;
    }
    xa_hviews_free(v, n);
    return XA_OK;
}

xa_code demo_history(const char *dir, const char *pass, int64_t today, xa_cstore *s,
                     const xa_identity *office, xa_fstore *fs, const xa_roster *r,
                     const xa_form_set *set, struct demo_summary *sum, xa_err *err)
{
    struct demo d;
    memset(&d, 0, sizeof d);
    memset(sum, 0, sizeof *sum);
    d.dir = dir;
    d.pass = pass;
    d.s = s;
    d.office = office;
    d.r = r;
    d.set = set;
    d.sum = sum;
    d.fs[IN_ZHANG] = fs;
    d.today = today;
    int64_t g = 15, m = 30;
    xa_code c = xa_office_setting_int(s, XA_SET_DEADLINE_GENERAL, &g, err);
    if (c == XA_OK)
        c = xa_office_setting_int(s, XA_SET_DEADLINE_MAJOR, &m, err);
    d.days.general = (int)g;
    d.days.major = (int)m;
    char *briefs = xa_path_join(dir, "briefs");
    if (c == XA_OK)
        c = xa_mkdir_p(briefs, 0700, err);
    free(briefs);
    if (c == XA_OK)
        c = make_inspectors(&d, err);
    for (size_t i = 0; i < NSTEPS && c == XA_OK; i++) {
        const struct dstep *st = &script[i];
        switch (st->kind) {
        case ST_VISIT:
            c = play_visit(&d, &st->v, err);
            break;
        case ST_EXPORT:
            for (int w = 0; w < NINSP && c == XA_OK; w++)
                if (st->who < 0 || st->who == w)
                    c = play_export(&d, w, st->ago, err);
            break;
        case ST_MERGE:
            c = play_merge(&d, st->ago, err);
            break;
        case ST_DRAW:
            c = play_draw(&d, st->ago, err);
            break;
        case ST_BRIEF:
            for (int w = 0; w < NINSP && c == XA_OK; w++)
                if (st->who < 0 || st->who == w)
                    c = play_brief(&d, w, st->ago, err);
            break;
        }
        if (c == XA_OK && st->kind == ST_VISIT && !sum->first[0])
            xa_date_format(d.today - st->v.ago, sum->first);
    }
    if (c == XA_OK)
        c = tally(&d, err);
    xa_date_format(d.today - 1, sum->last);
    sum->inspectors = NINSP;
    for (int w = 1; w < NINSP; w++)
        xa_fstore_close(d.fs[w]);
    for (size_t i = 0; i < d.npending; i++)
        free(d.pending[i]);
    free(d.pending);
    if (c != XA_OK)
        xa_err_prefix(err, "making the demo's history");
    return c;
}
