/* table.h — the one printer of text tables (core).  A table is a header
 * and rows of cells; each column is as wide as its widest cell measured in
 * display columns (a Chinese character is 2, utf8.h), capped where asked —
 * a cell wider than its column is cut with "…" at display width — and
 * aligned left or right.  Columns are two spaces apart and a row's trailing
 * blanks are dropped.  Everything goes into an xa_buf; the CSV and JSON
 * forms of the same data are their writers' business. */
#ifndef XIAOAN_TABLE_H
#define XIAOAN_TABLE_H

#include "xiaoan/mem.h"

#include <stddef.h>

typedef struct xa_table xa_table;

/* A new table of ncols columns with these heads (copied; heads NULL: no
 * header line).  Columns start left-aligned and uncapped. */
xa_table *xa_table_new(size_t ncols, const char *const *heads);

/* Column j: right-aligned when right; at most cap display columns wide (0:
 * no cap; a cap never cuts the column's head). */
void xa_table_col(xa_table *t, size_t j, int right, size_t cap);

/* Append one row of ncols cells (copied; a NULL cell is empty). */
void xa_table_row(xa_table *t, const char *const *cells);

/* Append one cell; rows fill left to right, a new row starts after the
 * last column. */
void xa_table_add(xa_table *t, const char *cell);
/* Append one cell the table takes ownership of (a malloc'd string; NULL is
 * an empty cell): for big tables whose cells were built anyway. */
void xa_table_take(xa_table *t, char *cell);
void xa_table_addf(xa_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Rows added so far (a row being filled by xa_table_add counts). */
size_t xa_table_nrows(const xa_table *t);

/* The display width of column j's widest cell or head (before any cap). */
size_t xa_table_natural(const xa_table *t, size_t j);

/* Append the table to out: the head line (if any), then every row, each
 * line starting with indent ("" or NULL for none). */
void xa_table_write(const xa_table *t, const char *indent, xa_buf *out);

/* Print the table to stdout (xa_table_write without indent). */
void xa_table_print(const xa_table *t);

/* Release the table (NULL is fine). */
void xa_table_free(xa_table *t);

#endif
