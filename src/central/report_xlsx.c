/* report_xlsx.c — the period report as a workbook (xlsx.h): 汇总 (the key
 * figures), 分县统计 (one row per county and the total, with the chart of
 * hazards found and closed by county), 按月统计 (the monthly trend chart),
 * 隐患类别 (hazards by category chart), 隐患台账 (every hazard found in the
 * period or open at its start, the ledger's columns), 重大隐患, 逾期隐患 and
 * 未检查学校.  Numbers come from struct xa_report, as in every other format;
 * counts are numbers, rates are fractions shown as %, dates are dates. */
#include "xiaoan/report.h"
#include "xiaoan/clock.h"
#include "xiaoan/county.h"
#include "xiaoan/i18n.h"
#include "xiaoan/vocab.h"
#include "xiaoan/xlsx.h"

#include <stdlib.h>
#include <string.h>

#define L(zh, en) xa_report_label(r, zh, en)

/* One key figure row of 汇总. */
static void kv_int(xa_xsheet *s, const char *k, int64_t v)
{
    xa_xsheet_text(s, 0, k);
    xa_xsheet_int(s, 1, v);
    xa_xsheet_next(s);
}

static void kv_pct(xa_xsheet *s, const char *k, int64_t n, int64_t d)
{
    xa_xsheet_text(s, 0, k);
    xa_xsheet_pct(s, 1, n, d);
    xa_xsheet_next(s);
}

static void summary(const struct xa_report *r, xa_xlsx *x)
{
    const char *heads[] = {L("项目", "Item"), L("数值", "Value")};
    xa_xsheet *s = xa_xlsx_sheet(x, L("汇总", "Summary"), heads, 2);
    const struct xa_rcounty *t = &r->total;
    char *period = xa_report_period_text(r);
    xa_xsheet_text(s, 0, L("报告", "Report"));
    xa_xsheet_bold(s, 1, xa_report_title(r));
    xa_xsheet_next(s);
    xa_xsheet_text(s, 0, L("填报单位", "Office"));
    xa_xsheet_text(s, 1, r->office);
    xa_xsheet_next(s);
    xa_xsheet_text(s, 0, L("统计期间", "Period"));
    xa_xsheet_text(s, 1, period);
    xa_xsheet_next(s);
    free(period);
    xa_xsheet_text(s, 0, L("区县", "County"));
    xa_xsheet_text(s, 1, r->county ? xa_report_county_label(r, r->county) : L("全市", "whole city"));
    xa_xsheet_next(s);
    xa_xsheet_text(s, 0, L("制表日期", "Made on"));
    xa_xsheet_date(s, 1, r->made);
    xa_xsheet_next(s);
    kv_int(s, L("学校数", "Schools"), t->schools);
    kv_int(s, L("已检查学校", "Schools visited"), t->visited);
    kv_pct(s, L("覆盖率", "Coverage"), t->visited, t->schools);
    kv_int(s, L("检查次数", "Visits"), t->visits);
    kv_int(s, L("发现一般隐患", "General hazards found"), t->found_general);
    kv_int(s, L("发现重大隐患", "Major hazards found"), t->found_major);
    kv_int(s, L("本期销号", "Closed in the period"), t->closed);
    kv_pct(s, L("整改率", "Rectification rate"), t->found_closed,
           t->found_general + t->found_major);
    kv_int(s, L("期末未销号一般隐患", "Open general hazards at the end"), t->open_general);
    kv_int(s, L("期末未销号重大隐患", "Open major hazards at the end"), t->open_major);
    kv_int(s, L("期末逾期隐患", "Overdue at the end"), t->overdue);
    kv_int(s, L("督办隐患", "Escalated"), t->escalated);
    kv_pct(s, L("重大隐患清零率", "Major hazards cleared"), t->major_cleared, t->major_due);
    kv_int(s, L("长期未检查学校", "Schools not visited"), (int64_t)r->nunvisited);
    kv_int(s, L("记录链异常", "Chain anomalies"), (int64_t)r->nanomalies);
    kv_int(s, L("隔离文件", "Quarantined files"), (int64_t)r->nquarantine);
}

/* Columns of 分县统计 before the visit kinds, and after. */
enum { K_COUNTY, K_CODE, K_SCHOOLS, K_VISITED, K_COVER, K_VISITS, K_KINDS };
enum { K_FG, K_FM, K_FT, K_CLOSED, K_RATE, K_OG, K_OM, K_OVERDUE, K_ESC, K_CLEAR, K_AFTER };

static void county_row(xa_xsheet *s, const struct xa_rcounty *c, const char *name, int bold)
{
    if (bold)
        xa_xsheet_bold(s, K_COUNTY, name);
    else
        xa_xsheet_text(s, K_COUNTY, name);
    xa_xsheet_text(s, K_CODE, c->code);
    xa_xsheet_int(s, K_SCHOOLS, c->schools);
    xa_xsheet_int(s, K_VISITED, c->visited);
    xa_xsheet_pct(s, K_COVER, c->visited, c->schools);
    xa_xsheet_int(s, K_VISITS, c->visits);
    for (int k = 0; k < XA_KIND_N; k++)
        xa_xsheet_int(s, K_KINDS + (size_t)k, c->by_kind[k]);
    size_t b = K_KINDS + XA_KIND_N;
    xa_xsheet_int(s, b + K_FG, c->found_general);
    xa_xsheet_int(s, b + K_FM, c->found_major);
    xa_xsheet_int(s, b + K_FT, c->found_general + c->found_major);
    xa_xsheet_int(s, b + K_CLOSED, c->closed);
    xa_xsheet_pct(s, b + K_RATE, c->found_closed, c->found_general + c->found_major);
    xa_xsheet_int(s, b + K_OG, c->open_general);
    xa_xsheet_int(s, b + K_OM, c->open_major);
    xa_xsheet_int(s, b + K_OVERDUE, c->overdue);
    xa_xsheet_int(s, b + K_ESC, c->escalated);
    xa_xsheet_pct(s, b + K_CLEAR, c->major_cleared, c->major_due);
    xa_xsheet_next(s);
}

static xa_code counties(const struct xa_report *r, xa_xlsx *x, xa_err *err)
{
    const char *heads[K_KINDS + XA_KIND_N + K_AFTER] = {
        L("区县", "County"),         L("区划代码", "Code"),  L("学校数", "Schools"),
        L("已检查学校", "Visited"), L("覆盖率", "Coverage"), L("检查次数", "Visits")};
    for (int k = 0; k < XA_KIND_N; k++)
        heads[K_KINDS + k] = xa_vocab_label(&xa_vocab_kinds, k, r->en);
    const char *after[K_AFTER] = {
        L("发现一般隐患", "Found general"), L("发现重大隐患", "Found major"),
        L("发现隐患合计", "Found"),         L("本期销号", "Closed"),
        L("整改率", "Rectified"),          L("未销号一般", "Open general"),
        L("未销号重大", "Open major"),      L("逾期", "Overdue"),
        L("督办", "Escalated"),            L("重大隐患清零率", "Major cleared")};
    for (int k = 0; k < K_AFTER; k++)
        heads[K_KINDS + XA_KIND_N + k] = after[k];
    xa_xsheet *s = xa_xlsx_sheet(x, L("分县统计", "By county"), heads,
                                 K_KINDS + XA_KIND_N + K_AFTER);
    for (size_t i = 0; i < r->ncounties; i++)
        county_row(s, &r->counties[i], xa_report_county_label(r, r->counties[i].name), 0);
    county_row(s, &r->total, L("合计", "Total"), 1);
    if (!r->ncounties)
        return XA_OK;
    size_t b = K_KINDS + XA_KIND_N;
    size_t vals[] = {b + K_FT, b + K_CLOSED};
    const char *names[] = {L("发现隐患", "Found"), L("本期销号", "Closed")};
    return xa_xlsx_chart(x, s, r->ncounties + 3, 0, XA_CHART_COLUMN,
                         L("各区县隐患发现与销号", "Hazards found and closed by county"), s, 1,
                         r->ncounties, K_COUNTY, vals, names, 2, err);
}

static xa_code months(const struct xa_report *r, xa_xlsx *x, xa_err *err)
{
    const char *heads[] = {L("月份", "Month"), L("发现隐患", "Found"), L("销号", "Closed"),
                           L("月末未销号", "Open at month end")};
    xa_xsheet *s = xa_xlsx_sheet(x, L("按月统计", "By month"), heads, 4);
    for (size_t i = 0; i < r->nmonths; i++) {
        const struct xa_rmonth *m = &r->months[i];
        char *label = r->en ? xa_asprintf("%04lld-%02u", (long long)m->year, m->month)
                            : xa_asprintf("%lld年%u月", (long long)m->year, m->month);
        xa_xsheet_text(s, 0, label);
        free(label);
        xa_xsheet_int(s, 1, m->found);
        xa_xsheet_int(s, 2, m->closed);
        xa_xsheet_int(s, 3, m->open_end);
        xa_xsheet_next(s);
    }
    size_t vals[] = {1, 2, 3};
    return xa_xlsx_chart(x, s, r->nmonths + 2, 0, XA_CHART_LINE,
                         L("隐患按月趋势", "Hazards by month"), s, 1, r->nmonths, 0, vals, NULL,
                         3, err);
}

static xa_code categories(const struct xa_report *r, xa_xlsx *x, xa_err *err)
{
    const char *heads[] = {L("类别", "Category"), L("一般", "General"), L("重大", "Major"),
                           L("合计", "Total")};
    xa_xsheet *s = xa_xlsx_sheet(x, L("隐患类别", "By category"), heads, 4);
    for (size_t i = 0; i < r->ncategories; i++) {
        const struct xa_rcategory *c = &r->categories[i];
        xa_xsheet_text(s, 0, xa_vocab_label_of(&xa_vocab_categories, c->key, r->en));
        xa_xsheet_int(s, 1, c->general);
        xa_xsheet_int(s, 2, c->major);
        xa_xsheet_int(s, 3, c->general + c->major);
        xa_xsheet_next(s);
    }
    if (!r->ncategories)
        return XA_OK;
    size_t vals[] = {1, 2};
    return xa_xlsx_chart(x, s, r->ncategories + 2, 0, XA_CHART_BAR,
                         L("本期发现隐患（按类别）", "Hazards found by category"), s, 1,
                         r->ncategories, 0, vals, NULL, 2, err);
}

/* One hazard as a row of the ledger's columns (dates as dates). */
/* One ledger row; photos (the ledger workbook's 照片 column) may be NULL. */
static void ledger_row(xa_xsheet *s, const struct xa_hview *v, const struct xa_loop_rules *r,
                       int64_t today, const char *photos)
{
    size_t n = xa_ledger_ncols();
    char **cell = xa_calloc(n, sizeof *cell);
    xa_ledger_cells(v, r, today, cell);
    for (size_t j = 0; j < n; j++) {
        int64_t d;
        if (xa_ledger_col_is_date(j) && cell[j][0] && xa_date_parse(cell[j], &d, NULL) == XA_OK)
            xa_xsheet_date(s, j, d);
        else
            xa_xsheet_text(s, j, cell[j]);
        free(cell[j]);
    }
    if (photos)
        xa_xsheet_text(s, n, photos);
    free(cell);
    xa_xsheet_next(s);
}

/* A sheet with the ledger's header (and, with photos, a last 照片 column). */
static xa_xsheet *ledger_sheet(xa_xlsx *x, const char *name, int photos)
{
    size_t n = xa_ledger_ncols();
    const char **heads = xa_calloc(n + 1, sizeof *heads);
    for (size_t j = 0; j < n; j++)
        heads[j] = xa_ledger_head(j);
    if (photos)
        heads[n] = _("photos");
    xa_xsheet *s = xa_xlsx_sheet(x, name, heads, n + !!photos);
    free(heads);
    return s;
}

static void hazard_list(const struct xa_report *r, xa_xlsx *x, const char *name,
                        const size_t *idx, size_t n, int overdue)
{
    const char *heads[] = {L("隐患编号", "Number"),   L("区县", "County"),
                           L("学校", "School"),       L("等级", "Level"),
                           L("类别", "Category"),     L("隐患描述", "Description"),
                           L("发现日期", "Found"),    L("整改期限", "Deadline"),
                           overdue ? L("逾期天数", "Days overdue") : L("已过天数", "Days open"),
                           L("督办", "Escalation")};
    xa_xsheet *s = xa_xlsx_sheet(x, name, heads, 10);
    for (size_t i = 0; i < n; i++) {
        const struct xa_rhazard *h = &r->hazards[idx[i]];
        int64_t dl = h->deadline;
        xa_xsheet_text(s, 0, h->number);
        xa_xsheet_text(s, 1, xa_report_county_label(r, h->county));
        xa_xsheet_text(s, 2, h->school_name && *h->school_name ? h->school_name : h->school);
        xa_xsheet_text(s, 3, xa_vocab_label_of(&xa_vocab_severities, h->severity, r->en));
        xa_xsheet_text(s, 4, xa_vocab_label_of(&xa_vocab_categories, h->category, r->en));
        xa_xsheet_text(s, 5, h->description);
        xa_xsheet_date(s, 6, xa_report_found_day(h));
        xa_xsheet_date(s, 7, dl);
        xa_xsheet_int(s, 8, overdue ? h->overdue : xa_report_days_open(r, h));
        xa_xsheet_text(s, 9, xa_report_escalation_cell(r, h));
        xa_xsheet_next(s);
    }
}

static void unvisited(const struct xa_report *r, xa_xlsx *x)
{
    const char *heads[] = {L("区县", "County"), L("学校代码", "Code"), L("学校", "School"),
                           L("最近检查", "Last visit")};
    xa_xsheet *s = xa_xlsx_sheet(x, L("未检查学校", "Not visited"), heads, 4);
    for (size_t i = 0; i < r->nunvisited; i++) {
        size_t k = r->unvisited[i];
        xa_xsheet_text(s, 0, xa_report_county_label(r, r->schools[k].county));
        xa_xsheet_text(s, 1, r->schools[k].code);
        xa_xsheet_text(s, 2, r->schools[k].name);
        if (r->last_visit[k] < 0)
            xa_xsheet_text(s, 3, L("从未检查", "never"));
        else
            xa_xsheet_date(s, 3, r->last_visit[k]);
        xa_xsheet_next(s);
    }
}

/* The ledger sheet of a report: the hazards the report counts. */
struct period_walk {
    const struct xa_report *r;
    xa_xsheet *sheet;
    xa_loop_book *book; /* each hazard's loop (hazard.c) */
};

static int period_one(const struct xa_chazard *h, void *ctx)
{
    struct period_walk *w = ctx;
    if (xa_report_in_ledger(w->r, h)) {
        struct xa_hview v;
        xa_loop_book_view(w->book, h, &v);
        ledger_row(w->sheet, &v, xa_loop_book_rules(w->book), w->r->to, NULL);
        xa_loop_book_release(&v);
    }
    return 0;
}

xa_code xa_report_xlsx(xa_cstore *s, const struct xa_report *r, const char *path, int flags,
                       xa_err *err)
{
    xa_xlsx *x;
    xa_code c = xa_xlsx_create(path, 0, flags, &x, err);
    if (c != XA_OK)
        return c;
    summary(r, x);
    if ((c = counties(r, x, err)) != XA_OK || (c = months(r, x, err)) != XA_OK ||
        (c = categories(r, x, err)) != XA_OK) {
        xa_xlsx_discard(x);
        return c;
    }
    /* the ledger sheet wants every column: the full rows, streamed */
    struct period_walk pw = {r, ledger_sheet(x, L("隐患台账", "Ledger"), 0), NULL};
    if ((c = xa_loop_book_load(s, &pw.book, err)) == XA_OK)
        c = xa_cstore_hazards_each(s, r->county, NULL, period_one, &pw, err);
    xa_loop_book_free(pw.book);
    if (c != XA_OK) {
        xa_xlsx_discard(x);
        return c;
    }
    hazard_list(r, x, L("重大隐患", "Open major"), r->open_major, r->nopen_major, 0);
    hazard_list(r, x, L("逾期隐患", "Overdue"), r->overdue, r->noverdue, 1);
    unvisited(r, x);
    return xa_xlsx_close(x, err);
}

/* ---- the ledger as a workbook ------------------------------------------------------- */

struct ledger_walk {
    xa_cstore *s;
    char **with; /* hazards with attachments (xa_cattach_hazards) */
    size_t nwith;
    xa_ledger_sel sel;
    int64_t today;
    xa_loop_book *book;
    xa_xsheet *all;
    xa_xsheet *county[XA_NCOUNTIES + 1]; /* by county.h order; the last: others */
    size_t rows;
};

static int ledger_one(const struct xa_chazard *h, void *ctx)
{
    struct ledger_walk *w = ctx;
    struct xa_hview v;
    xa_loop_book_view(w->book, h, &v);
    const struct xa_loop_rules *r = xa_loop_book_rules(w->book);
    if (xa_ledger_selected(&v, w->sel, w->today)) {
        char *photos = xa_cattachments_names(w->s, h->id, w->with, w->nwith);
        ledger_row(w->all, &v, r, w->today, photos);
        if (w->county[0]) {
            int k = xa_county_rank(h->county);
            ledger_row(w->county[k], &v, r, w->today, photos);
        }
        free(photos);
        w->rows++;
    }
    xa_loop_book_release(&v);
    return 0;
}

xa_code xa_ledger_xlsx(xa_cstore *s, xa_ledger_sel sel, const char *county, int64_t today,
                       int by_county, const char *path, int flags, size_t *rows, xa_err *err)
{
    xa_xlsx *x;
    xa_code c = xa_xlsx_create(path, 1, flags, &x, err);
    if (c != XA_OK)
        return c;
    struct ledger_walk w = {.s = s, .sel = sel, .today = today};
    w.all = ledger_sheet(x, _("Hazard ledger"), 1);
    if (by_county) {
        for (size_t i = 0; i < XA_NCOUNTIES; i++)
            w.county[i] = ledger_sheet(x, xa_county_at(i)->name, 1);
        w.county[XA_NCOUNTIES] = ledger_sheet(x, _("Other"), 1);
    }
    /* the hazards streamed from the store, each with its loop and the
     * names its photos are written out under (central attachments -o) */
    if ((c = xa_cattach_hazards(s, &w.with, &w.nwith, err)) == XA_OK &&
        (c = xa_loop_book_load(s, &w.book, err)) == XA_OK)
        c = xa_cstore_hazards_each(s, county, NULL, ledger_one, &w, err);
    xa_loop_book_free(w.book);
    xa_strv_free(w.with, w.nwith);
    if (c != XA_OK) {
        xa_xlsx_discard(x);
        return c;
    }
    if (rows)
        *rows = w.rows;
    return xa_xlsx_close(x, err);
}
