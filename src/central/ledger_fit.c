/* ledger_fit.c — the text ledger that fits a terminal: the ledger's columns
 * (ledger.c) are taken in order of importance (number, school, description,
 * level, state, deadline, then the rest) as long as they fit the width at
 * their narrowest, then shown in their usual order; long cells are cut with
 * … at a display-width boundary, so Chinese is never cut in half.  With no
 * width limit (--wide) every column is shown at its full width. */
#include "xiaoan/report.h"
#include "xiaoan/table.h"
#include "xiaoan/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Columns by importance (the head keys of ledger.c, xa_ledger_head_key), then
 * every other in order. */
static const char *const important[] = {
    "hazard number", "hazard description", "school",   "severity", "state",
    "rectification deadline", "county or district", "found on", "category",
    "responsible person", "location"};
/* Columns of free text that may be cut hard. */
static const char *const cuttable[] = {
    "school",    "hazard description", "location",   "rectification requirement",
    "measures taken on site", "interim control measures", "legal basis", "last re-check note",
    "inspector", "re-checked by",      "responsible person", "signed off by"};

static int listed(const char *const *v, size_t n, const char *head)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], head))
            return (int)i;
    return -1;
}

#define GAP 2

xa_code xa_ledger_fit(xa_cstore *s, xa_ledger_sel sel, const char *county, int64_t today,
                      size_t width, xa_buf *out, size_t *rows, xa_err *err)
{
    struct xa_hview *hz = NULL;
    struct xa_loop_rules rules;
    size_t n = 0;
    xa_code c = xa_loop_rules_load(s, &rules, err);
    if (c == XA_OK)
        c = xa_hazard_views(s, county, &hz, &n, err);
    if (c != XA_OK)
        return c;
    size_t nc = xa_ledger_ncols(), k = 0;
    char **cell = xa_calloc((n ? n : 1) * nc, sizeof *cell);
    for (size_t i = 0; i < n; i++)
        if (xa_ledger_selected(&hz[i], sel, today))
            xa_ledger_cells(&hz[i], &rules, today, &cell[k++ * nc]);
    xa_hviews_free(hz, n);

    /* natural (widest cell) and narrowest widths */
    size_t *nat = xa_calloc(nc, sizeof *nat), *min = xa_calloc(nc, sizeof *min);
    for (size_t j = 0; j < nc; j++) {
        size_t hw = xa_utf8_width(xa_ledger_head(j));
        nat[j] = hw;
        for (size_t i = 0; i < k; i++) {
            size_t x = xa_utf8_width(cell[i * nc + j]);
            if (x > nat[j])
                nat[j] = x;
        }
        int cut = listed(cuttable, sizeof cuttable / sizeof *cuttable, xa_ledger_head_key(j)) >= 0;
        /* the description keeps room for a readable phrase */
        size_t floor = strcmp(xa_ledger_head_key(j), "hazard description") ? 10 : 20;
        min[j] = cut ? (nat[j] < floor ? nat[j] : floor) : nat[j];
        if (min[j] < hw)
            min[j] = hw;
    }
    /* which columns: by importance while they fit at their narrowest */
    int *on = xa_calloc(nc, sizeof *on);
    size_t used = 0, shown = 0;
    size_t nimp = sizeof important / sizeof *important;
    for (size_t pass = 0; pass < nimp + nc; pass++) {
        size_t j;
        if (pass < nimp) {
            for (j = 0; j < nc && strcmp(xa_ledger_head_key(j), important[pass]); j++)
                ;
        } else {
            j = pass - nimp;
        }
        if (j >= nc || on[j])
            continue;
        size_t need = min[j] + (shown ? GAP : 0);
        if (width && used + need > width)
            continue;
        on[j] = 1;
        used += need;
        shown++;
    }
    /* widths: natural, then the least important column that can shrink does */
    size_t *w = xa_calloc(nc, sizeof *w);
    size_t total = 0;
    for (size_t j = 0; j < nc; j++)
        if (on[j]) {
            w[j] = nat[j];
            total += w[j] + GAP;
        }
    if (total)
        total -= GAP;
    while (width && total > width) {
        size_t best = nc;
        int rank = -1;
        for (size_t j = 0; j < nc; j++) {
            int r = listed(important, nimp, xa_ledger_head_key(j));
            if (r < 0)
                r = (int)(nimp + j);
            if (on[j] && w[j] > min[j] && r > rank) {
                best = j;
                rank = r;
            }
        }
        if (best == nc)
            break;
        w[best]--;
        total--;
    }
    /* the rows, shown columns only, each cut to its width */
    const char **row = xa_calloc(nc, sizeof *row);
    size_t m = 0;
    for (size_t j = 0; j < nc; j++)
        if (on[j])
            row[m++] = xa_ledger_head(j);
    xa_table *t = xa_table_new(m, row);
    for (size_t j = 0, x = 0; j < nc; j++)
        if (on[j])
            xa_table_col(t, x++, 0, w[j]);
    for (size_t i = 0; i < k * nc; i++) {
        if (on[i % nc])
            xa_table_take(t, cell[i]); /* the table owns it now */
        else
            free(cell[i]);
    }
    free(cell);
    xa_table_write(t, "", out);
    xa_table_free(t);
    if (rows)
        *rows = k;
    free(nat);
    free(min);
    free(on);
    free(w);
    free(row);
    return XA_OK;
}
