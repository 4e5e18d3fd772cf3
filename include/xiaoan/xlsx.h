/* xlsx.h — workbooks for the office (src/doc/xlsx.c): a thin layer over
 * libxlsxwriter that gives every sheet the same conventions — a bold header
 * row that stays frozen, an autofilter over the data, column widths that fit
 * Chinese (measured by display width, so 隐患描述 gets twice the room of
 * "abcd"), dates stored as Excel dates, numbers as numbers, percentages as
 * fractions with a % format — and native Excel charts over a sheet's cells.
 *
 * Text cells are guarded against formula injection with the one guard of
 * cell.h (= + - @, tab, CR and their full-width forms get a leading
 * apostrophe, as in the CSV writer), so a spreadsheet never runs what an
 * inspector typed.  Big sheets (the 300,000-row ledger) use libxlsxwriter's
 * constant-memory mode: rows go to a temporary file as they are written.
 *
 * The workbook is written to a temporary file beside the target and renamed
 * into place when it is complete, so an unwritable -o fails at once and a
 * failure never leaves half a file. */
#ifndef XIAOAN_XLSX_H
#define XIAOAN_XLSX_H

#include "xiaoan/error.h"

#include <stddef.h>
#include <stdint.h>

typedef struct xa_xlsx xa_xlsx;
typedef struct xa_xsheet xa_xsheet;

/* Start a workbook that will be written to path (mode 0600).  big: use the
 * constant-memory mode (rows must then be written top to bottom, which is
 * how this API writes them anyway).  Fails at once when path's folder is not
 * writable.  flags: XA_OUT_FORCE (fsutil.h) lets xa_xlsx_close replace an
 * existing name; without it the finished file is published with link(),
 * never over a file that appeared meanwhile. */
xa_code xa_xlsx_create(const char *path, int big, int flags, xa_xlsx **out, xa_err *err);

/* Write the workbook and rename it into place; frees x whatever happens. */
xa_code xa_xlsx_close(xa_xlsx *x, xa_err *err);

/* Drop the workbook without writing anything (the temporary file goes). */
void xa_xlsx_discard(xa_xlsx *x);

/* A new sheet named name (at most 31 characters) with a header row of
 * ncols cells; the header is frozen and the autofilter covers the header and
 * every data row written.  nohead: a sheet without the header conventions
 * (a summary laid out freely).  Owned by the workbook. */
xa_xsheet *xa_xlsx_sheet(xa_xlsx *x, const char *name, const char *const *heads, size_t ncols);
xa_xsheet *xa_xlsx_sheet_plain(xa_xlsx *x, const char *name);

/* Cells of the current row (the row after the header, then each row after
 * xa_xsheet_next).  Text is guarded (see above) and cut at 32,767 bytes;
 * NULL text is an empty cell.  A date is a day number (days since
 * 1970-01-01), stored as an Excel date shown yyyy-mm-dd; a negative day is
 * an empty cell.  A percentage is num/den shown as 0.0%, empty when den is 0. */
void xa_xsheet_text(xa_xsheet *s, size_t col, const char *text);
void xa_xsheet_bold(xa_xsheet *s, size_t col, const char *text);
void xa_xsheet_int(xa_xsheet *s, size_t col, int64_t v);
void xa_xsheet_date(xa_xsheet *s, size_t col, int64_t day);
void xa_xsheet_pct(xa_xsheet *s, size_t col, int64_t num, int64_t den);
/* End the current row. */
void xa_xsheet_next(xa_xsheet *s);
/* The row the next cells go to (0-based; the header is row 0). */
size_t xa_xsheet_row(const xa_xsheet *s);

/* Chart types. */
typedef enum { XA_CHART_COLUMN, XA_CHART_LINE, XA_CHART_PIE, XA_CHART_BAR } xa_chart_kind;

/* A native chart placed on sheet `at` with its top left corner at (row,
 * col): categories are data's column cat_col, rows first..last (inclusive),
 * one series per entry of val_cols named by the header of that column (or
 * by names[i] when names is not NULL).  A pie takes the first series only. */
xa_code xa_xlsx_chart(xa_xlsx *x, xa_xsheet *at, size_t row, size_t col, xa_chart_kind kind,
                      const char *title, const xa_xsheet *data, size_t first, size_t last,
                      size_t cat_col, const size_t *val_cols, const char *const *names,
                      size_t nseries, xa_err *err);

#endif
