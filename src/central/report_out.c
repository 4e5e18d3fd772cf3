/* report_out.c — the period report as text, CSV and JSON.  Every number
 * comes from struct xa_report (report.c); the rates are formatted by one
 * function (xa_report_rate) so the three formats, the workbook and the PDF
 * show the same figure. */
#include "xiaoan/report.h"
#include "xiaoan/table.h"
#include "xiaoan/clock.h"
#include "xiaoan/county.h"
#include "xiaoan/utf8.h"
#include "xiaoan/vocab.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

xa_code xa_report_format_parse(const char *s, xa_report_format *out, xa_err *err)
{
    static const char *const names[] = {"text", "csv", "json", "xlsx", "pdf"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i])) {
            *out = (xa_report_format)i;
            return XA_OK;
        }
    return xa_fail(err, XA_EUSAGE, "--format must be text, csv, json, xlsx or pdf, not '%s'", s);
}

const char *xa_report_label(const struct xa_report *r, const char *zh, const char *en)
{
    return r->en ? en : zh;
}
#define L(zh, en) xa_report_label(r, zh, en)

void xa_report_date(const struct xa_report *r, int64_t day, char out[40])
{
    int64_t y;
    unsigned m, d;
    xa_civil_from_days(day, &y, &m, &d);
    if (r->en)
        xa_date_format(day, out);
    else
        snprintf(out, 40, "%lld年%u月%u日", (long long)y, m, d);
}

int64_t xa_report_rate10(int64_t num, int64_t den)
{
    if (den <= 0)
        return -1;
    return (num * 1000 + den / 2) / den;
}

void xa_report_rate(int64_t num, int64_t den, char out[32])
{
    int64_t x = xa_report_rate10(num, den);
    if (x < 0)
        snprintf(out, 32, "—");
    else
        snprintf(out, 32, "%lld.%lld%%", (long long)(x / 10), (long long)(x % 10));
}

const char *xa_report_county_label(const struct xa_report *r, const char *name)
{
    if (!r->en)
        return name;
    const xa_county *k = xa_county_find(name);
    return k ? k->name_en : name;
}

/* ---- the tables every format shares -------------------------------------------- */

static void tab_init(struct xa_rtable *t, const char *title, const char *const *heads, size_t ncols)
{
    memset(t, 0, sizeof *t);
    t->title = title;
    t->ncols = ncols;
    t->heads = xa_calloc(ncols, sizeof *t->heads);
    t->right = xa_calloc(ncols, sizeof *t->right);
    for (size_t j = 0; j < ncols; j++)
        t->heads[j] = heads[j];
}

static char **tab_row(struct xa_rtable *t)
{
    if (t->nrows == t->cap) { /* doubling: the lists reach 100,000 rows */
        t->cap = t->cap ? 2 * t->cap : 16;
        t->cells = xa_realloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
    }
    char **row = &t->cells[t->nrows * t->ncols];
    memset(row, 0, t->ncols * sizeof *row);
    t->nrows++;
    return row;
}

void xa_rtable_clear(struct xa_rtable *t)
{
    xa_strv_free(t->cells, t->nrows * t->ncols);
    free(t->heads);
    free(t->right);
}

static char *num(int64_t v)
{
    return xa_asprintf("%lld", (long long)v);
}

static char *rate(int64_t n, int64_t d)
{
    char b[32];
    xa_report_rate(n, d, b);
    return xa_strdup(b);
}

static char *day(const struct xa_report *r, int64_t d)
{
    (void)r;
    char b[XA_DATE_MAX];
    if (d < 0)
        return xa_strdup("");
    xa_date_format(d, b);
    return xa_strdup(b);
}

/* Which visit kinds the coverage table shows: all of them in CSV, those
 * with visits in text (a terminal has no room for eight empty columns). */
static size_t kinds_shown(const struct xa_report *r, int all, int kinds[XA_KIND_N])
{
    size_t n = 0;
    for (int k = 0; k < XA_KIND_N; k++)
        if (all || r->total.by_kind[k])
            kinds[n++] = k;
    return n;
}

static void coverage_row(const struct xa_report *r, struct xa_rtable *t, const struct xa_rcounty *c,
                         const char *name, const int *kinds, size_t nk)
{
    char **row = tab_row(t);
    size_t j = 0;
    row[j++] = xa_strdup(name);
    row[j++] = num(c->schools);
    row[j++] = num(c->visited);
    row[j++] = rate(c->visited, c->schools);
    row[j++] = num(c->visits);
    for (size_t k = 0; k < nk; k++)
        row[j++] = num(c->by_kind[kinds[k]]);
    (void)r;
}

static void coverage_tab(const struct xa_report *r, struct xa_rtable *t, int all_kinds)
{
    int kinds[XA_KIND_N];
    size_t nk = kinds_shown(r, all_kinds, kinds);
    const char *heads[5 + XA_KIND_N] = {L("区县", "County"), L("学校数", "Schools"),
                                        L("已检查学校", "Visited"), L("覆盖率", "Coverage"),
                                        L("检查次数", "Visits")};
    for (size_t k = 0; k < nk; k++)
        heads[5 + k] = xa_vocab_label(&xa_vocab_kinds, kinds[k], r->en);
    tab_init(t, L("检查覆盖", "Coverage"), heads, 5 + nk);
    for (size_t j = 1; j < t->ncols; j++)
        t->right[j] = 1;
    for (size_t i = 0; i < r->ncounties; i++)
        coverage_row(r, t, &r->counties[i], xa_report_county_label(r, r->counties[i].name), kinds,
                     nk);
    coverage_row(r, t, &r->total, L("合计", "Total"), kinds, nk);
}

static void hazard_row(struct xa_rtable *t, const struct xa_rcounty *c, const char *name)
{
    char **row = tab_row(t);
    row[0] = xa_strdup(name);
    row[1] = num(c->found_general);
    row[2] = num(c->found_major);
    row[3] = num(c->closed);
    row[4] = rate(c->found_closed, c->found_general + c->found_major);
    row[5] = num(c->open_general);
    row[6] = num(c->open_major);
    row[7] = num(c->overdue);
    row[8] = num(c->escalated);
    row[9] = rate(c->major_cleared, c->major_due);
}

static void hazard_tab(const struct xa_report *r, struct xa_rtable *t)
{
    const char *heads[] = {L("区县", "County"),          L("发现一般隐患", "Found general"),
                           L("发现重大隐患", "Found major"), L("本期销号", "Closed"),
                           L("整改率", "Rectified"),      L("未销号一般", "Open general"),
                           L("未销号重大", "Open major"),  L("逾期", "Overdue"),
                           L("督办", "Escalated"),        L("重大隐患清零率", "Major cleared")};
    tab_init(t, L("隐患整改", "Hazards and rectification"), heads, 10);
    for (size_t j = 1; j < t->ncols; j++)
        t->right[j] = 1;
    for (size_t i = 0; i < r->ncounties; i++)
        hazard_row(t, &r->counties[i], xa_report_county_label(r, r->counties[i].name));
    hazard_row(t, &r->total, L("合计", "Total"));
}

static void month_tab(const struct xa_report *r, struct xa_rtable *t)
{
    const char *heads[] = {L("月份", "Month"), L("发现隐患", "Found"), L("销号", "Closed"),
                           L("月末未销号", "Open at month end")};
    tab_init(t, L("按月统计", "By month"), heads, 4);
    t->right[1] = t->right[2] = t->right[3] = 1;
    for (size_t i = 0; i < r->nmonths; i++) {
        const struct xa_rmonth *m = &r->months[i];
        char **row = tab_row(t);
        row[0] = r->en ? xa_asprintf("%04lld-%02u", (long long)m->year, m->month)
                       : xa_asprintf("%lld年%u月", (long long)m->year, m->month);
        row[1] = num(m->found);
        row[2] = num(m->closed);
        row[3] = num(m->open_end);
    }
}

static void category_tab(const struct xa_report *r, struct xa_rtable *t)
{
    const char *heads[] = {L("类别", "Category"), L("一般", "General"), L("重大", "Major"),
                           L("合计", "Total")};
    tab_init(t, L("本期发现隐患（按类别）", "Hazards found by category"), heads, 4);
    t->right[1] = t->right[2] = t->right[3] = 1;
    for (size_t i = 0; i < r->ncategories; i++) {
        const struct xa_rcategory *c = &r->categories[i];
        char **row = tab_row(t);
        row[0] = xa_strdup(xa_vocab_label_of(&xa_vocab_categories, c->key, r->en));
        row[1] = num(c->general);
        row[2] = num(c->major);
        row[3] = num(c->general + c->major);
    }
}

/* A list of hazards: number, county and school, then the columns of the
 * list (open majors: description, found, deadline, days open; overdue:
 * level, description, deadline, days overdue), then the escalation. */
static void hazard_list_tab(const struct xa_report *r, struct xa_rtable *t, int overdue)
{
    const char *heads[8] = {L("隐患编号", "Number"), L("区县", "County"), L("学校", "School")};
    if (overdue) {
        heads[3] = L("等级", "Level");
        heads[4] = L("隐患描述", "Description");
        heads[5] = L("整改期限", "Deadline");
        heads[6] = L("逾期天数", "Days overdue");
    } else {
        heads[3] = L("隐患描述", "Description");
        heads[4] = L("发现日期", "Found");
        heads[5] = L("整改期限", "Deadline");
        heads[6] = L("已过天数", "Days open");
    }
    heads[7] = L("督办", "Escalation");
    tab_init(t, overdue ? L("逾期隐患", "Overdue hazards") : L("未销号重大隐患", "Open major hazards"),
             heads, 8);
    t->right[6] = 1;
    const size_t *list = overdue ? r->overdue : r->open_major;
    size_t n = overdue ? r->noverdue : r->nopen_major;
    for (size_t i = 0; i < n; i++) {
        const struct xa_rhazard *h = &r->hazards[list[i]];
        char **row = tab_row(t);
        row[0] = xa_strdup(h->number);
        row[1] = xa_strdup(xa_report_county_label(r, h->county));
        row[2] = xa_strdup(h->school_name && *h->school_name ? h->school_name : h->school);
        int64_t deadline = h->deadline;
        if (overdue) {
            row[3] = xa_strdup(xa_vocab_label_of(&xa_vocab_severities, h->severity, r->en));
            row[4] = xa_strdup(h->description);
            row[5] = day(r, deadline);
            row[6] = num(h->overdue);
        } else {
            row[3] = xa_strdup(h->description);
            row[4] = day(r, xa_report_found_day(h));
            row[5] = day(r, deadline);
            row[6] = num(xa_report_days_open(r, h));
        }
        row[7] = xa_strdup(xa_report_escalation_cell(r, h));
    }
}

static void assign_tab(const struct xa_report *r, struct xa_rtable *t)
{
    const char *heads[] = {L("区县", "County"), L("检查任务", "Assignments"),
                           L("已完成", "Done"), L("完成率", "Done %"),
                           L("逾期未完成", "Overdue")};
    tab_init(t, L("检查任务完成情况", "Assignments (检查任务)"), heads, 5);
    t->right[1] = t->right[2] = t->right[3] = t->right[4] = 1;
    for (size_t i = 0; i < r->nassign; i++) {
        const struct xa_assign_tally *a = &r->assign[i];
        char **row = tab_row(t);
        row[0] = xa_strdup(xa_report_county_label(r, a->county ? a->county : ""));
        row[1] = num(a->total);
        row[2] = num(a->done);
        row[3] = rate(a->done, a->total);
        row[4] = num(a->overdue);
    }
}

static void unvisited_tab(const struct xa_report *r, struct xa_rtable *t, char *title)
{
    const char *heads[] = {L("区县", "County"), L("学校代码", "Code"), L("学校", "School"),
                           L("最近检查", "Last visit")};
    tab_init(t, title, heads, 4);
    for (size_t i = 0; i < r->nunvisited; i++) {
        size_t k = r->unvisited[i];
        char **row = tab_row(t);
        row[0] = xa_strdup(xa_report_county_label(r, r->schools[k].county));
        row[1] = xa_strdup(r->schools[k].code);
        row[2] = xa_strdup(r->schools[k].name);
        row[3] = r->last_visit[k] < 0 ? xa_strdup(L("从未检查", "never")) : day(r, r->last_visit[k]);
    }
}

static void anomaly_tab(const struct xa_report *r, struct xa_rtable *t)
{
    const char *heads[] = {L("类别", "Kind"), L("检查人", "Inspector"), L("说明", "Detail")};
    tab_init(t, L("记录链异常", "Chain anomalies"), heads, 3);
    for (size_t i = 0; i < r->nanomalies; i++) {
        char **row = tab_row(t);
        row[0] = xa_strdup(r->anomalies[i].kind);
        row[1] = xa_strdup(r->anomalies[i].inspector ? r->anomalies[i].inspector : "");
        row[2] = xa_strdup(r->anomalies[i].detail);
    }
}

static void quarantine_tab(const struct xa_report *r, struct xa_rtable *t)
{
    const char *heads[] = {L("文件", "File"), L("原因", "Reason"), L("收到时间", "Received")};
    tab_init(t, L("隔离文件", "Quarantined files"), heads, 3);
    for (size_t i = 0; i < r->nquarantine; i++) {
        char **row = tab_row(t);
        row[0] = xa_strdup(r->quarantine[i].file);
        row[1] = xa_strdup(r->quarantine[i].reason);
        row[2] = xa_strdup(r->quarantine[i].received);
    }
}

size_t xa_report_tables(const struct xa_report *r, struct xa_rtable *t, int all_kinds,
                        char **owned)
{
    size_t n = 0;
    coverage_tab(r, &t[n++], all_kinds);
    hazard_tab(r, &t[n++]);
    if (r->nmonths > 1)
        month_tab(r, &t[n++]);
    category_tab(r, &t[n++]);
    hazard_list_tab(r, &t[n++], 0);
    hazard_list_tab(r, &t[n++], 1);
    assign_tab(r, &t[n++]);
    *owned = r->en ? xa_asprintf("Schools not visited in %lld days", (long long)r->unvisited_days)
                   : xa_asprintf("%lld 天以上未检查的学校", (long long)r->unvisited_days);
    unvisited_tab(r, &t[n++], *owned);
    anomaly_tab(r, &t[n++]);
    quarantine_tab(r, &t[n++]);
    return n;
}

char *xa_report_numbered(const struct xa_report *r, size_t i, const char *title)
{
    static const char *const zh[] = {"一", "二", "三", "四", "五", "六",
                                     "七", "八", "九", "十", "十一", "十二"};
    if (r->en || i >= sizeof zh / sizeof zh[0])
        return xa_asprintf("%zu. %s", i + 1, title);
    return xa_asprintf("%s、%s", zh[i], title);
}

/* ---- title ------------------------------------------------------------------------ */

char *xa_report_period_text(const struct xa_report *r)
{
    char a[40], b[40];
    xa_report_date(r, r->from, a);
    xa_report_date(r, r->to, b);
    return r->en ? xa_asprintf("%s to %s", a, b) : xa_asprintf("%s至%s", a, b);
}

const char *xa_report_title(const struct xa_report *r)
{
    return L("学校安全检查统计报告", "School safety inspection report");
}

/* ---- text ------------------------------------------------------------------------- */

/* One table as text on the core table printer (table.h): columns at most 40
 * display columns wide, the cells handed over, not copied (the lists of a
 * city-wide report reach 100,000 rows). */
static void text_tab(const struct xa_report *r, xa_buf *out, struct xa_rtable *t, size_t index,
                     int counted)
{
    char *title = xa_report_numbered(r, index, t->title);
    if (counted)
        xa_buf_printf(out, "\n%s%s%zu\n", title, r->en ? ": " : "：", t->nrows);
    else
        xa_buf_printf(out, "\n%s\n", title);
    free(title);
    if (!t->nrows)
        return;
    xa_table *x = xa_table_new(t->ncols, t->heads);
    for (size_t j = 0; j < t->ncols; j++)
        xa_table_col(x, j, t->right[j], 40);
    for (size_t k = 0; k < t->nrows * t->ncols; k++) {
        xa_table_take(x, t->cells[k]);
        t->cells[k] = NULL;
    }
    xa_table_write(x, "  ", out);
    xa_table_free(x);
}

static void render_text(const struct xa_report *r, xa_buf *out)
{
    char made[40];
    char *period = xa_report_period_text(r);
    xa_report_date(r, r->made, made);
    xa_buf_printf(out, "%s\n%s\n", r->office, xa_report_title(r));
    xa_buf_printf(out, "%s%s\n", L("统计期间：", "Period: "), period);
    if (r->county)
        xa_buf_printf(out, "%s%s\n", L("区县：", "County: "), xa_report_county_label(r, r->county));
    xa_buf_printf(out, "%s%s\n", L("制表日期：", "Made on: "), made);
    free(period);
    struct xa_rtable t[XA_REPORT_TABLES];
    char *owned = NULL;
    size_t n = xa_report_tables(r, t, 0, &owned);
    for (size_t i = 0; i < n; i++) {
        int counted = i >= n - 6; /* the lists say how many */
        text_tab(r, out, &t[i], i, counted);
        xa_rtable_clear(&t[i]);
    }
    free(owned);
}

/* ---- CSV -------------------------------------------------------------------------- */

static void csv_row(xa_buf *out, const char *const *cells, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        if (j)
            xa_buf_putc(out, ',');
        xa_csv_field(out, cells[j]);
    }
    xa_buf_puts(out, "\r\n");
}

static void render_csv(const struct xa_report *r, xa_buf *out)
{
    char made[40];
    char *period = xa_report_period_text(r);
    xa_report_date(r, r->made, made);
    xa_buf_puts(out, "\xEF\xBB\xBF");
    csv_row(out, (const char *[]){xa_report_title(r)}, 1);
    csv_row(out, (const char *[]){L("填报单位", "Office"), r->office}, 2);
    csv_row(out, (const char *[]){L("统计期间", "Period"), period}, 2);
    if (r->county)
        csv_row(out, (const char *[]){L("区县", "County"), xa_report_county_label(r, r->county)},
                2);
    csv_row(out, (const char *[]){L("制表日期", "Made on"), made}, 2);
    free(period);
    struct xa_rtable t[XA_REPORT_TABLES];
    char *owned = NULL;
    size_t n = xa_report_tables(r, t, 1, &owned);
    for (size_t i = 0; i < n; i++) {
        xa_buf_puts(out, "\r\n");
        char *title = xa_report_numbered(r, i, t[i].title);
        csv_row(out, (const char *const *)&title, 1);
        free(title);
        csv_row(out, t[i].heads, t[i].ncols);
        for (size_t k = 0; k < t[i].nrows; k++)
            csv_row(out, (const char *const *)&t[i].cells[k * t[i].ncols], t[i].ncols);
        xa_rtable_clear(&t[i]);
    }
    free(owned);
}

/* ---- JSON ------------------------------------------------------------------------- */

static json_t *jrate(int64_t n, int64_t d)
{
    int64_t x = xa_report_rate10(n, d);
    return x < 0 ? json_null() : json_real((double)x / 10.0);
}

static json_t *county_json(const struct xa_rcounty *c, const char *name)
{
    json_t *kinds = json_object();
    for (int k = 0; k < XA_KIND_N; k++)
        json_object_set_new(kinds, xa_vocab_key(&xa_vocab_kinds, k), json_integer(c->by_kind[k]));
    json_t *o = json_object();
    json_object_set_new(o, "county", json_string(name));
    json_object_set_new(o, "code", json_string(c->code ? c->code : ""));
    json_object_set_new(o, "schools", json_integer(c->schools));
    json_object_set_new(o, "visited", json_integer(c->visited));
    json_object_set_new(o, "coverage", jrate(c->visited, c->schools));
    json_object_set_new(o, "visits", json_integer(c->visits));
    json_object_set_new(o, "visits_by_kind", kinds);
    json_object_set_new(o, "found",
                        json_pack("{s:I,s:I}", "general", (json_int_t)c->found_general, "major",
                                  (json_int_t)c->found_major));
    json_object_set_new(o, "closed", json_integer(c->closed));
    json_object_set_new(o, "found_closed", json_integer(c->found_closed));
    json_object_set_new(o, "rectification_rate",
                        jrate(c->found_closed, c->found_general + c->found_major));
    json_object_set_new(o, "open",
                        json_pack("{s:I,s:I}", "general", (json_int_t)c->open_general, "major",
                                  (json_int_t)c->open_major));
    json_object_set_new(o, "overdue", json_integer(c->overdue));
    json_object_set_new(o, "escalated", json_integer(c->escalated));
    json_object_set_new(o, "major_due", json_integer(c->major_due));
    json_object_set_new(o, "major_cleared", json_integer(c->major_cleared));
    json_object_set_new(o, "major_clearance_rate", jrate(c->major_cleared, c->major_due));
    return o;
}

static json_t *hazard_item(const struct xa_report *r, const struct xa_rhazard *h)
{
    char f[XA_DATE_MAX], d[XA_DATE_MAX] = "";
    xa_date_format(xa_report_found_day(h), f);
    if (h->deadline != XA_NO_DEADLINE)
        xa_date_format(h->deadline, d);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:I,s:I,s:I,s:I}", "number", h->number,
                     "id", h->id, "county", h->county, "school", h->school, "school_name",
                     h->school_name, "severity", h->severity, "found", f, "deadline",
                     h->deadline != XA_NO_DEADLINE ? d : NULL, "days_open",
                     (json_int_t)xa_report_days_open(r, h), "days_overdue", (json_int_t)h->overdue,
                     "escalation", (json_int_t)h->escalation, "escalation_due",
                     (json_int_t)h->escalation_due);
}

static void render_json(const struct xa_report *r, xa_buf *out)
{
    char f[XA_DATE_MAX], t[XA_DATE_MAX], m[XA_DATE_MAX];
    xa_date_format(r->from, f);
    xa_date_format(r->to, t);
    xa_date_format(r->made, m);
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string("xiaoan.report/1"));
    json_object_set_new(o, "office", json_string(r->office));
    json_object_set_new(o, "period", json_pack("{s:s,s:s}", "from", f, "to", t));
    json_object_set_new(o, "made", json_string(m));
    json_object_set_new(o, "county", r->county ? json_string(r->county) : json_null());
    json_object_set_new(o, "unvisited_days", json_integer(r->unvisited_days));
    json_t *cs = json_array();
    for (size_t i = 0; i < r->ncounties; i++)
        json_array_append_new(cs, county_json(&r->counties[i], r->counties[i].name));
    json_object_set_new(o, "counties", cs);
    json_object_set_new(o, "total", county_json(&r->total, "合计"));
    json_t *ms = json_array();
    for (size_t i = 0; i < r->nmonths; i++) {
        const struct xa_rmonth *x = &r->months[i];
        char mm[16];
        snprintf(mm, sizeof mm, "%04lld-%02u", (long long)x->year, x->month);
        json_array_append_new(ms, json_pack("{s:s,s:I,s:I,s:I}", "month", mm, "found",
                                            (json_int_t)x->found, "closed", (json_int_t)x->closed,
                                            "open_end", (json_int_t)x->open_end));
    }
    json_object_set_new(o, "months", ms);
    json_t *cat = json_array();
    for (size_t i = 0; i < r->ncategories; i++)
        json_array_append_new(cat, json_pack("{s:s,s:I,s:I}", "category", r->categories[i].key,
                                             "general", (json_int_t)r->categories[i].general,
                                             "major", (json_int_t)r->categories[i].major));
    json_object_set_new(o, "categories", cat);
    json_t *om = json_array(), *od = json_array(), *uv = json_array();
    for (size_t i = 0; i < r->nopen_major; i++)
        json_array_append_new(om, hazard_item(r, &r->hazards[r->open_major[i]]));
    for (size_t i = 0; i < r->noverdue; i++)
        json_array_append_new(od, hazard_item(r, &r->hazards[r->overdue[i]]));
    for (size_t i = 0; i < r->nunvisited; i++) {
        size_t k = r->unvisited[i];
        char d[XA_DATE_MAX] = "";
        if (r->last_visit[k] >= 0)
            xa_date_format(r->last_visit[k], d);
        json_array_append_new(uv, json_pack("{s:s,s:s,s:s,s:s?}", "county", r->schools[k].county,
                                            "code", r->schools[k].code, "name",
                                            r->schools[k].name, "last_visit",
                                            r->last_visit[k] >= 0 ? d : NULL));
    }
    json_object_set_new(o, "open_major", om);
    json_object_set_new(o, "overdue", od);
    json_object_set_new(o, "unvisited", uv);
    json_t *an = json_array(), *q = json_array();
    for (size_t i = 0; i < r->nanomalies; i++)
        json_array_append_new(an, json_pack("{s:s,s:s?,s:s?,s:s}", "kind", r->anomalies[i].kind,
                                            "inspector", r->anomalies[i].inspector, "visit",
                                            r->anomalies[i].visit, "detail",
                                            r->anomalies[i].detail));
    for (size_t i = 0; i < r->nquarantine; i++)
        json_array_append_new(q, json_pack("{s:s,s:s,s:s}", "file", r->quarantine[i].file,
                                           "reason", r->quarantine[i].reason, "received",
                                           r->quarantine[i].received));
    json_t *as = json_array();
    for (size_t i = 0; i < r->nassign; i++)
        json_array_append_new(as, json_pack("{s:s,s:I,s:I,s:I}", "county",
                                            r->assign[i].county ? r->assign[i].county : "",
                                            "total", (json_int_t)r->assign[i].total, "done",
                                            (json_int_t)r->assign[i].done, "overdue",
                                            (json_int_t)r->assign[i].overdue));
    json_object_set_new(o, "assignments", as);
    json_object_set_new(o, "anomalies", an);
    json_object_set_new(o, "quarantine", q);
    char *txt = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    xa_buf_puts(out, txt ? txt : "{}");
    xa_buf_putc(out, '\n');
    free(txt);
    json_decref(o);
}

xa_code xa_report_render(const struct xa_report *r, xa_report_format fmt, xa_buf *out,
                         xa_err *err)
{
    switch (fmt) {
    case XA_REPORT_TEXT:
        render_text(r, out);
        return XA_OK;
    case XA_REPORT_CSV:
        render_csv(r, out);
        return XA_OK;
    case XA_REPORT_JSON:
        render_json(r, out);
        return XA_OK;
    default:
        return xa_fail(err, XA_EUSAGE, "this format is written to a file (-o FILE)");
    }
}
