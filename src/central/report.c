/* report.c — `central report`: the office's summary, in text. */
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/utf8.h"

#include <stdlib.h>
#include <string.h>

/* A small table; cells[r*n + j], r = 0 is the header. */
static void table(xa_buf *out, char **cells, size_t rows, int n, const int *right)
{
    size_t w[8] = {0};
    for (size_t r = 0; r < rows; r++)
        for (int j = 0; j < n; j++) {
            size_t x = xa_utf8_width(cells[r * (size_t)n + (size_t)j]);
            if (x > w[j])
                w[j] = x;
        }
    for (int j = 0; j < n; j++)
        if (w[j] > 30)
            w[j] = 30;
    for (size_t r = 0; r < rows; r++)
        xa_utf8_row(out, "  ", (const char *const *)&cells[r * (size_t)n], w, right, n);
}

/* Per county: open and overdue hazards, major ones separately. */
struct county_tally {
    char *county;
    int64_t open, overdue, major_open, major_overdue;
};

static struct county_tally *tally_for(struct county_tally **v, size_t *n, const char *county)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i].county, county))
            return &(*v)[i];
    *v = xa_realloc(*v, (*n + 1) * sizeof **v);
    struct county_tally *t = &(*v)[(*n)++];
    memset(t, 0, sizeof *t);
    t->county = xa_strdup(county);
    return t;
}

static int cmp_tally(const void *a, const void *b)
{
    return strcmp(((const struct county_tally *)a)->county, ((const struct county_tally *)b)->county);
}

xa_code xa_report_write(xa_cstore *s, int64_t today, xa_buf *out, xa_err *err)
{
    xa_code c;
    char date[XA_DATE_MAX];
    xa_date_format(today, date);
    int64_t nvisits = 0, nhazards = 0, nschools = 0, ninspectors = 0, days = 0;
    if ((c = xa_cstore_count(s, "visits", &nvisits, err)) != XA_OK ||
        (c = xa_cstore_count(s, "hazards", &nhazards, err)) != XA_OK ||
        (c = xa_cstore_count(s, "schools", &nschools, err)) != XA_OK ||
        (c = xa_cstore_count(s, "inspectors", &ninspectors, err)) != XA_OK ||
        (c = xa_office_setting_int(s, XA_SET_REPORT_UNVISITED, &days, err)) != XA_OK)
        return c;
    xa_buf_printf(out, "校安汇总报告 summary report — %s\n", date);
    xa_buf_printf(out, "学校 schools %lld · 检查人员 inspectors %lld · 检查 visits %lld · 隐患 hazards %lld\n",
                  (long long)nschools, (long long)ninspectors, (long long)nvisits,
                  (long long)nhazards);

    /* 1. visits by county and kind */
    struct xa_ccount *cv = NULL;
    size_t ncv = 0;
    if ((c = xa_cstore_count_visits(s, &cv, &ncv, err)) != XA_OK)
        return c;
    xa_buf_puts(out, "\n一、检查次数（按区县、检查方式） Visits by county and kind\n");
    if (!ncv) {
        xa_buf_puts(out, "  （无 none）\n");
    } else {
        char **cells = xa_calloc((ncv + 1) * 3, sizeof *cells);
        cells[0] = xa_strdup("区县 county");
        cells[1] = xa_strdup("方式 kind");
        cells[2] = xa_strdup("次数 visits");
        for (size_t i = 0; i < ncv; i++) {
            cells[(i + 1) * 3] = xa_strdup(*cv[i].a ? cv[i].a : "?");
            cells[(i + 1) * 3 + 1] = xa_asprintf("%s %s", xa_vocab_label_of(&xa_vocab_kinds, cv[i].b, 0), cv[i].b);
            cells[(i + 1) * 3 + 2] = xa_asprintf("%lld", (long long)cv[i].n);
        }
        table(out, cells, ncv + 1, 3, (const int[]){0, 0, 1});
        xa_strv_free(cells, (ncv + 1) * 3);
    }
    xa_ccounts_free(cv, ncv);

    /* 2. hazards by category and level */
    struct xa_ccount *ch = NULL;
    size_t nch = 0;
    if ((c = xa_cstore_count_hazards(s, &ch, &nch, err)) != XA_OK)
        return c;
    xa_buf_puts(out, "\n二、隐患（按类别、等级） Hazards by category and level\n");
    if (!nch) {
        xa_buf_puts(out, "  （无 none）\n");
    } else {
        char **cells = xa_calloc((nch + 1) * 3, sizeof *cells);
        cells[0] = xa_strdup("类别 category");
        cells[1] = xa_strdup("等级 level");
        cells[2] = xa_strdup("数量 hazards");
        for (size_t i = 0; i < nch; i++) {
            cells[(i + 1) * 3] = xa_asprintf("%s %s", xa_vocab_label_of(&xa_vocab_categories, ch[i].a, 0), ch[i].a);
            cells[(i + 1) * 3 + 1] =
                xa_asprintf("%s %s", xa_vocab_label_of(&xa_vocab_severities, ch[i].b, 0), ch[i].b);
            cells[(i + 1) * 3 + 2] = xa_asprintf("%lld", (long long)ch[i].n);
        }
        table(out, cells, nch + 1, 3, (const int[]){0, 0, 1});
        xa_strv_free(cells, (nch + 1) * 3);
    }
    xa_ccounts_free(ch, nch);

    /* 3. open / overdue hazards per county, major ones (动态清零) */
    struct xa_chazard *hz = NULL;
    size_t nh = 0;
    if ((c = xa_cstore_hazards(s, NULL, XA_HSTATE_OPEN, &hz, &nh, err)) != XA_OK)
        return c;
    struct county_tally *t = NULL;
    size_t nt = 0;
    int64_t major_total = 0;
    for (size_t i = 0; i < nh; i++) {
        struct county_tally *x = tally_for(&t, &nt, *hz[i].county ? hz[i].county : "?");
        int overdue = xa_hazard_state_on(&hz[i], today) == XA_HS_OVERDUE;
        int major = xa_severity_of(hz[i].severity) == XA_SEV_MAJOR;
        x->open++;
        x->overdue += overdue;
        x->major_open += major;
        x->major_overdue += major && overdue;
        major_total += major;
    }
    xa_chazards_free(hz, nh);
    if (nt > 1)
        qsort(t, nt, sizeof *t, cmp_tally);
    xa_buf_printf(out,
                  "\n三、重大隐患动态清零 Open major hazards (to be driven to zero): %lld\n",
                  (long long)major_total);
    if (!nt) {
        xa_buf_puts(out, "  （无未销号隐患 no open hazards）\n");
    } else {
        char **cells = xa_calloc((nt + 1) * 5, sizeof *cells);
        cells[0] = xa_strdup("区县 county");
        cells[1] = xa_strdup("重大未销号 major open");
        cells[2] = xa_strdup("重大逾期 major overdue");
        cells[3] = xa_strdup("全部未销号 open");
        cells[4] = xa_strdup("全部逾期 overdue");
        for (size_t i = 0; i < nt; i++) {
            char **r = &cells[(i + 1) * 5];
            r[0] = xa_strdup(t[i].county);
            r[1] = xa_asprintf("%lld", (long long)t[i].major_open);
            r[2] = xa_asprintf("%lld", (long long)t[i].major_overdue);
            r[3] = xa_asprintf("%lld", (long long)t[i].open);
            r[4] = xa_asprintf("%lld", (long long)t[i].overdue);
            free(t[i].county);
        }
        table(out, cells, nt + 1, 5, (const int[]){0, 1, 1, 1, 1});
        xa_strv_free(cells, (nt + 1) * 5);
    }
    free(t);

    /* 4. schools not visited in the last N days */
    struct xa_clastvisit *lv = NULL;
    size_t nlv = 0;
    if ((c = xa_cstore_last_visits(s, &lv, &nlv, err)) != XA_OK)
        return c;
    size_t stale = 0;
    for (size_t i = 0; i < nlv; i++)
        if (!lv[i].last || xa_date_of(lv[i].last_at, XA_CST_OFFSET) <= today - days)
            stale++;
    xa_buf_printf(out, "\n四、近 %lld 天未检查的学校 Schools not visited in the last %lld days: %zu\n",
                  (long long)days, (long long)days, stale);
    if (stale) {
        char **cells = xa_calloc((stale + 1) * 4, sizeof *cells);
        cells[0] = xa_strdup("区县 county");
        cells[1] = xa_strdup("代码 code");
        cells[2] = xa_strdup("学校 school");
        cells[3] = xa_strdup("最近检查 last visit");
        size_t r = 1;
        for (size_t i = 0; i < nlv; i++) {
            if (lv[i].last && xa_date_of(lv[i].last_at, XA_CST_OFFSET) > today - days)
                continue;
            char d[32] = "从未 never";
            if (lv[i].last)
                xa_date_format(xa_date_of(lv[i].last_at, XA_CST_OFFSET), d);
            cells[r * 4] = xa_strdup(lv[i].county);
            cells[r * 4 + 1] = xa_strdup(lv[i].code);
            cells[r * 4 + 2] = xa_strdup(lv[i].name);
            cells[r * 4 + 3] = xa_strdup(d);
            r++;
        }
        table(out, cells, stale + 1, 4, (const int[]){0, 0, 0, 0});
        xa_strv_free(cells, (stale + 1) * 4);
    }
    xa_clastvisits_free(lv, nlv);

    /* 5. chain anomalies */
    struct xa_canomaly *an = NULL;
    size_t nan = 0;
    if ((c = xa_cstore_anomalies(s, &an, &nan, err)) != XA_OK)
        return c;
    int64_t nq = 0;
    if ((c = xa_cstore_count(s, "quarantine", &nq, err)) != XA_OK) {
        xa_canomalies_free(an, nan);
        return c;
    }
    xa_buf_printf(out, "\n五、异常 Chain anomalies: %zu (隔离文件 quarantined files: %lld)\n", nan,
                  (long long)nq);
    for (size_t i = 0; i < nan; i++) {
        char *d = xa_utf8_sanitize(an[i].detail, strlen(an[i].detail), 0);
        xa_buf_printf(out, "  %-16s %s  %s\n", an[i].kind, an[i].inspector ? an[i].inspector : "-",
                      d);
        free(d);
    }
    xa_canomalies_free(an, nan);
    return XA_OK;
}
