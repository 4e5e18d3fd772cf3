/* xlsx.c — workbooks with the office's sheet conventions over libxlsxwriter
 * (see xlsx.h): frozen bold header, autofilter, widths by display width,
 * dates as dates, numbers as numbers, guarded text, native charts, and a
 * temporary file published under its name when the workbook is complete
 * (link(), never over an existing file; rename with XA_OUT_FORCE). */
#include "xiaoan/xlsx.h"
#include "xiaoan/cell.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Excel's own limits. */
#define XLSX_MAX_TEXT 32767
#define XLSX_MAX_ROWS 1048576
/* Column widths in Excel units (about one Latin character): padding, caps. */
#define WIDTH_PAD 2
#define WIDTH_MIN 6
#define WIDTH_MAX 60
/* Days from Excel's epoch (1899-12-30) to 1970-01-01. */
#define EXCEL_DAY0 25569

struct xa_xsheet {
    struct xa_xlsx *x; /* the workbook it belongs to (formats, errors) */
    lxw_worksheet *ws;
    char *name;
    size_t ncols;    /* header cells (0 for a plain sheet) */
    size_t maxcol;   /* widest column written + 1 */
    size_t row;      /* the row cells go to now */
    size_t *width;   /* display width per column (grown as needed) */
    size_t nwidth;
    struct xa_xsheet *next;
};

struct xa_xlsx {
    lxw_workbook *wb;
    char *path, *tmp;
    int flags; /* XA_OUT_FORCE: replace an existing name */
    lxw_format *head, *bold, *date, *pct;
    xa_xsheet *sheets, *last;
    lxw_error first; /* the first error a write reported */
    int overflow;    /* a sheet ran past Excel's row limit */
};

xa_code xa_xlsx_create(const char *path, int big, int flags, xa_xlsx **out, xa_err *err)
{
    *out = NULL;
    char *tmp;
    int fd = xa_temp_beside(path, &tmp);
    if (fd < 0)
        return xa_fail_errno(err, errno, "cannot write %s", path);
    close(fd);
    lxw_workbook_options opt = {.constant_memory = big ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(tmp, &opt);
    if (!wb) {
        unlink(tmp);
        free(tmp);
        return xa_fail(err, XA_EIO, "cannot start the workbook %s", path);
    }
    xa_xlsx *x = xa_calloc(1, sizeof *x);
    x->wb = wb;
    x->path = xa_strdup(path);
    x->tmp = tmp;
    x->flags = flags;
    x->head = workbook_add_format(wb);
    format_set_bold(x->head);
    format_set_bg_color(x->head, 0xDDEBF7);
    format_set_border(x->head, LXW_BORDER_THIN);
    format_set_text_wrap(x->head);
    format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
    x->bold = workbook_add_format(wb);
    format_set_bold(x->bold);
    x->date = workbook_add_format(wb);
    format_set_num_format(x->date, "yyyy-mm-dd");
    x->pct = workbook_add_format(wb);
    format_set_num_format(x->pct, "0.0%");
    *out = x;
    return XA_OK;
}

/* fsync the file libxlsxwriter wrote by name, before it gets its name. */
static int sync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

/* Remember the first error a write reported. */
static void note(xa_xlsx *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->first == LXW_NO_ERROR)
        x->first = e;
}

/* The column widths, freeze and filter of a sheet, once every row is in. */
static void finish(xa_xlsx *x, xa_xsheet *s)
{
    for (size_t j = 0; j < s->nwidth; j++) {
        double w = (double)(s->width[j] + WIDTH_PAD);
        if (w < WIDTH_MIN)
            w = WIDTH_MIN;
        if (w > WIDTH_MAX)
            w = WIDTH_MAX;
        note(x, worksheet_set_column(s->ws, (lxw_col_t)j, (lxw_col_t)j, w, NULL));
    }
    if (s->ncols) {
        worksheet_freeze_panes(s->ws, 1, 0);
        size_t last = s->row > 1 ? s->row - 1 : 1;
        note(x, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)last, (lxw_col_t)(s->ncols - 1)));
    }
}

static void free_sheets(xa_xlsx *x)
{
    for (xa_xsheet *s = x->sheets, *n; s; s = n) {
        n = s->next;
        free(s->name);
        free(s->width);
        free(s);
    }
}

xa_code xa_xlsx_close(xa_xlsx *x, xa_err *err)
{
    if (!x)
        return XA_OK;
    for (xa_xsheet *s = x->sheets; s; s = s->next)
        finish(x, s);
    lxw_error e = workbook_close(x->wb);
    xa_code c = XA_OK;
    if (x->overflow)
        c = xa_fail(err, XA_ELIMIT, "%s: more rows than a sheet can hold (%d)", x->path,
                    XLSX_MAX_ROWS);
    else if (x->first != LXW_NO_ERROR)
        c = xa_fail(err, XA_EIO, "writing %s: %s", x->path, lxw_strerror(x->first));
    else if (e != LXW_NO_ERROR)
        c = xa_fail(err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? XA_ELIMIT : XA_EIO,
                    "writing %s: %s", x->path, lxw_strerror(e));
    else if (chmod(x->tmp, 0600) != 0 || sync_file(x->tmp) != 0)
        c = xa_fail_errno(err, errno, "cannot write %s", x->path);
    else
        c = xa_out_place(x->tmp, x->path, x->flags, err);
    if (c != XA_OK)
        unlink(x->tmp);
    free_sheets(x);
    free(x->path);
    free(x->tmp);
    free(x);
    return c;
}

void xa_xlsx_discard(xa_xlsx *x)
{
    if (!x)
        return;
    workbook_close(x->wb);
    unlink(x->tmp);
    free_sheets(x);
    free(x->path);
    free(x->tmp);
    free(x);
}

/* Grow the width of column j to at least w. */
static void widen(xa_xsheet *s, size_t j, size_t w)
{
    if (j >= s->nwidth) {
        size_t n = j + 8;
        s->width = xa_reallocarray(s->width, n, sizeof *s->width);
        memset(s->width + s->nwidth, 0, (n - s->nwidth) * sizeof *s->width);
        s->nwidth = n;
    }
    if (w > s->width[j])
        s->width[j] = w;
    if (j + 1 > s->maxcol)
        s->maxcol = j + 1;
}

static xa_xsheet *add_sheet(xa_xlsx *x, const char *name)
{
    xa_xsheet *s = xa_calloc(1, sizeof *s);
    s->x = x;
    s->ws = workbook_add_worksheet(x->wb, name);
    s->name = xa_strdup(name);
    if (!s->ws)
        note(x, LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED);
    if (x->last)
        x->last->next = s;
    else
        x->sheets = s;
    x->last = s;
    return s;
}

xa_xsheet *xa_xlsx_sheet(xa_xlsx *x, const char *name, const char *const *heads, size_t ncols)
{
    xa_xsheet *s = add_sheet(x, name);
    s->ncols = ncols;
    for (size_t j = 0; j < ncols; j++) {
        if (s->ws)
            note(x, worksheet_write_string(s->ws, 0, (lxw_col_t)j, heads[j], x->head));
        widen(s, j, xa_utf8_width(heads[j]) + 2); /* room for the filter button */
    }
    s->row = 1;
    return s;
}

xa_xsheet *xa_xlsx_sheet_plain(xa_xlsx *x, const char *name)
{
    return add_sheet(x, name);
}

/* Write text with the guard and the length cap. */
static void put_text(xa_xsheet *s, size_t col, const char *text, lxw_format *f)
{
    xa_xlsx *x = s->x;
    if (!text || !*text || !s->ws) {
        widen(s, col, 0);
        return;
    }
    char *own = NULL;
    const char *t = text;
    if (xa_cell_risky(t))
        t = own = xa_cell_guard(text);
    size_t len = strlen(t);
    if (len > XLSX_MAX_TEXT) {
        size_t cut = XLSX_MAX_TEXT;
        while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
            cut--;
        char *c = xa_strndup(t, cut);
        free(own);
        t = own = c;
    }
    /* the widest line of the cell decides its width */
    size_t w = 0;
    for (const char *p = t; *p;) {
        size_t n = strcspn(p, "\n");
        size_t lw = xa_utf8_nwidth(p, n);
        if (lw > w)
            w = lw;
        p += n + (p[n] == '\n');
    }
    widen(s, col, w);
    note(x, worksheet_write_string(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, t, f));
    free(own);
}

void xa_xsheet_text(xa_xsheet *s, size_t col, const char *text)
{
    put_text(s, col, text, NULL);
}

void xa_xsheet_bold(xa_xsheet *s, size_t col, const char *text)
{
    put_text(s, col, text, s->x->bold);
}

void xa_xsheet_int(xa_xsheet *s, size_t col, int64_t v)
{
    char num[24];
    widen(s, col, (size_t)snprintf(num, sizeof num, "%lld", (long long)v));
    if (s->ws)
        note(s->x,
             worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, (double)v, NULL));
}

void xa_xsheet_date(xa_xsheet *s, size_t col, int64_t day)
{
    widen(s, col, 10);
    if (day < 0 || !s->ws)
        return;
    xa_xlsx *x = s->x;
    note(x, worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)col,
                                   (double)(day + EXCEL_DAY0), x->date));
}

void xa_xsheet_pct(xa_xsheet *s, size_t col, int64_t num, int64_t den)
{
    widen(s, col, 6);
    if (den <= 0 || !s->ws)
        return;
    xa_xlsx *x = s->x;
    note(x, worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)col,
                                   (double)num / (double)den, x->pct));
}

void xa_xsheet_next(xa_xsheet *s)
{
    if (s->row + 1 >= XLSX_MAX_ROWS)
        s->x->overflow = 1;
    else
        s->row++;
}

size_t xa_xsheet_row(const xa_xsheet *s)
{
    return s->row;
}

xa_code xa_xlsx_chart(xa_xlsx *x, xa_xsheet *at, size_t row, size_t col, xa_chart_kind kind,
                      const char *title, const xa_xsheet *data, size_t first, size_t last,
                      size_t cat_col, const size_t *val_cols, const char *const *names,
                      size_t nseries, xa_err *err)
{
    static const uint8_t types[] = {LXW_CHART_COLUMN, LXW_CHART_LINE, LXW_CHART_PIE,
                                    LXW_CHART_BAR};
    if (!at->ws || !data->ws)
        return xa_fail(err, XA_EIO, "chart %s: no sheet", title);
    lxw_chart *ch = workbook_add_chart(x->wb, types[kind]);
    if (!ch)
        return xa_fail(err, XA_EIO, "chart %s: cannot add it", title);
    lxw_chart_font font = {.name = "Noto Sans CJK SC", .size = 12, .bold = 1};
    chart_title_set_name(ch, title);
    chart_title_set_name_font(ch, &font);
    if (kind == XA_CHART_PIE && nseries > 1)
        nseries = 1;
    for (size_t i = 0; i < nseries; i++) {
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(se, data->name, (lxw_row_t)first, (lxw_col_t)cat_col,
                                    (lxw_row_t)last, (lxw_col_t)cat_col);
        chart_series_set_values(se, data->name, (lxw_row_t)first, (lxw_col_t)val_cols[i],
                                (lxw_row_t)last, (lxw_col_t)val_cols[i]);
        if (names && names[i])
            chart_series_set_name(se, names[i]);
        else
            chart_series_set_name_range(se, data->name, 0, (lxw_col_t)val_cols[i]);
        if (kind == XA_CHART_PIE) {
            chart_series_set_labels(se);
            chart_series_set_labels_options(se, LXW_FALSE, LXW_TRUE, LXW_TRUE);
        }
    }
    if (kind == XA_CHART_PIE)
        chart_legend_set_position(ch, LXW_CHART_LEGEND_RIGHT);
    else
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options opt = {.x_scale = 1.6, .y_scale = 1.4};
    note(x, worksheet_insert_chart_opt(at->ws, (lxw_row_t)row, (lxw_col_t)col, ch, &opt));
    return XA_OK;
}
