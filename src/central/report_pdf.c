/* report_pdf.c — the period report as an A4 print-ready PDF through the PDF
 * module (pdf.h): the title block (office, period, date made), the county
 * tables, the charts drawn (hazards found and closed by county, the monthly
 * trend when the period spans months, hazards by category) and the lists.
 * The tables are the very cells of the text report (xa_report_tables). */
#include "xiaoan/report.h"
#include "xiaoan/pdf.h"
#include "xiaoan/utf8.h"
#include "xiaoan/vocab.h"

#include <stdlib.h>
#include <string.h>

#define L(zh, en) xa_report_label(r, zh, en)

/* A section heading, kept with what follows it: need_mm is the room the
 * heading and the start of its block take (a table's header row and a first
 * row of a wrapped description take about 35 mm at 7.5–9 pt), so a heading
 * never stands alone at the foot of a page with its table on the next. */
static void heading(xa_pdf *pdf, const char *text, double need_mm)
{
    xa_pdf_need(pdf, need_mm);
    xa_pdf_space(pdf, 3);
    xa_pdf_text(pdf, text, &(xa_pdf_style){.size_pt = 12, .bold = 1, .sans = 1});
}

/* A table of the report, columns as wide as their widest cell (capped).  The
 * widths are relative, so each gets its cell padding too (about two display
 * columns) or a short cell — 莲都区, 重大, a date — wraps; when the line is too
 * short for all, only the long columns (descriptions, names) give way. */
static void table(xa_pdf *pdf, const struct xa_rtable *t, double font_pt)
{
    xa_pdf_col *cols = xa_calloc(t->ncols, sizeof *cols);
    /* display columns on the 170 mm line: half an em of font_pt each */
    double budget = 170.0 / (font_pt * 0.3528 / 2.0), total = 0, longw = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        size_t w = xa_utf8_width(t->heads[j]);
        if (w > 8)
            w = 8; /* headers wrap */
        for (size_t i = 0; i < t->nrows; i++) {
            size_t x = xa_utf8_width(t->cells[i * t->ncols + j]);
            if (x > w)
                w = x;
        }
        if (w > 40)
            w = 40;
        if (w < 4)
            w = 4;
        cols[j].head = t->heads[j];
        cols[j].width = (double)w * 1.1 + 2.0; /* Latin digits run a little wider */
        cols[j].align = t->right[j] ? XA_PDF_RIGHT : XA_PDF_LEFT;
        total += cols[j].width;
        if (w > 16)
            longw += cols[j].width;
    }
    if (total > budget && longw > 0 && total - longw < budget * 0.8) {
        double scale = (budget - (total - longw)) / longw;
        for (size_t j = 0; j < t->ncols; j++)
            if (cols[j].width > 16 * 1.1 + 2.0)
                cols[j].width *= scale;
    }
    xa_pdf_table *pt = xa_pdf_table_begin(pdf, cols, t->ncols, font_pt);
    for (size_t i = 0; i < t->nrows; i++)
        xa_pdf_table_row(pt, (const char *const *)&t->cells[i * t->ncols], NULL);
    xa_pdf_table_end(pt);
    free(cols);
}

static void charts(xa_pdf *pdf, const struct xa_report *r)
{
    size_t n = r->ncounties;
    if (n) {
        const char **labels = xa_calloc(n, sizeof *labels);
        double *found = xa_calloc(n, sizeof *found), *closed = xa_calloc(n, sizeof *closed);
        for (size_t i = 0; i < n; i++) {
            const struct xa_rcounty *c = &r->counties[i];
            labels[i] = xa_report_county_label(r, c->name);
            found[i] = (double)(c->found_general + c->found_major);
            closed[i] = (double)c->closed;
        }
        xa_pdf_series se[] = {{L("发现隐患", "Found"), found}, {L("本期销号", "Closed"), closed}};
        xa_pdf_need(pdf, 90);
        xa_pdf_bar_chart(pdf, &(xa_pdf_chart){.title = L("各区县隐患发现与销号",
                                                        "Hazards found and closed by county"),
                                             .unit = L("处", "hazards"),
                                             .labels = labels,
                                             .nlabels = n,
                                             .series = se,
                                             .nseries = 2});
        free(labels);
        free(found);
        free(closed);
    }
    if (r->nmonths > 1) {
        size_t m = r->nmonths;
        char **labels = xa_calloc(m, sizeof *labels);
        double *v[3];
        for (int k = 0; k < 3; k++)
            v[k] = xa_calloc(m, sizeof *v[k]);
        for (size_t i = 0; i < m; i++) {
            labels[i] = r->en ? xa_asprintf("%04lld-%02u", (long long)r->months[i].year,
                                            r->months[i].month)
                              : xa_asprintf("%u月", r->months[i].month);
            v[0][i] = (double)r->months[i].found;
            v[1][i] = (double)r->months[i].closed;
            v[2][i] = (double)r->months[i].open_end;
        }
        xa_pdf_series se[] = {{L("发现隐患", "Found"), v[0]},
                              {L("销号", "Closed"), v[1]},
                              {L("月末未销号", "Open at month end"), v[2]}};
        xa_pdf_need(pdf, 90);
        xa_pdf_line_chart(pdf, &(xa_pdf_chart){.title = L("隐患按月趋势", "Hazards by month"),
                                              .unit = L("处", "hazards"),
                                              .labels = (const char *const *)labels,
                                              .nlabels = m,
                                              .series = se,
                                              .nseries = 3});
        xa_strv_free(labels, m);
        for (int k = 0; k < 3; k++)
            free(v[k]);
    }
    if (r->ncategories) {
        size_t k = r->ncategories;
        const char **labels = xa_calloc(k, sizeof *labels);
        double *g = xa_calloc(k, sizeof *g), *mj = xa_calloc(k, sizeof *mj);
        for (size_t i = 0; i < k; i++) {
            labels[i] = xa_vocab_label_of(&xa_vocab_categories, r->categories[i].key, r->en);
            g[i] = (double)r->categories[i].general;
            mj[i] = (double)r->categories[i].major;
        }
        xa_pdf_series se[] = {{L("一般", "General"), g}, {L("重大", "Major"), mj}};
        xa_pdf_need(pdf, 90);
        xa_pdf_bar_chart(pdf, &(xa_pdf_chart){.title = L("本期发现隐患（按类别）",
                                                        "Hazards found by category"),
                                             .unit = L("处", "hazards"),
                                             .labels = labels,
                                             .nlabels = k,
                                             .series = se,
                                             .nseries = 2});
        free(labels);
        free(g);
        free(mj);
    }
}

xa_code xa_report_pdf(const struct xa_report *r, const char *path, int flags, xa_err *err)
{
    char made[40], date[XA_DATE_MAX];
    xa_date_format(r->made, date);
    xa_report_date(r, r->made, made);
    char *period = xa_report_period_text(r);
    xa_pdf *pdf = xa_pdf_new(xa_report_title(r), date);
    xa_pdf_title(pdf, xa_report_title(r));
    xa_pdf_text(pdf, period, &(xa_pdf_style){.align = XA_PDF_CENTER, .size_pt = 12});
    xa_pdf_space(pdf, 2);
    xa_pdf_field(pdf, L("填报单位", "Office"), r->office, NULL);
    if (r->county)
        xa_pdf_field(pdf, L("区县", "County"), xa_report_county_label(r, r->county), NULL);
    xa_pdf_field(pdf, L("制表日期", "Made on"), made, NULL);
    xa_pdf_rule(pdf);
    char *note = xa_asprintf("%s %s", r->office, period);
    xa_pdf_set_footer_note(pdf, note);
    free(note);
    free(period);

    struct xa_rtable t[XA_REPORT_TABLES];
    char *owned = NULL;
    size_t n = xa_report_tables(r, t, 0, &owned);
    for (size_t i = 0; i < n; i++) {
        int list = i >= n - 6;
        char *num = xa_report_numbered(r, i, t[i].title);
        char *title = list ? xa_asprintf("%s（%zu）", num, t[i].nrows) : xa_strdup(num);
        free(num);
        heading(pdf, title, t[i].nrows ? 48 : 30);
        free(title);
        if (t[i].nrows || !list)
            table(pdf, &t[i], t[i].ncols > 8 ? 7.5 : 9);
        else
            xa_pdf_text(pdf, L("无。", "None."), NULL);
        if (i == (r->nmonths > 1 ? 3u : 2u)) { /* after the category table */
            heading(pdf, L("图表", "Charts"), 30);
            charts(pdf, r);
        }
        xa_rtable_clear(&t[i]);
    }
    free(owned);
    xa_code c = xa_pdf_save(pdf, path, flags, err);
    xa_pdf_free(pdf);
    return c;
}
