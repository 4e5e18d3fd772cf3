/* table.c (core) — the one text-table printer (table.h): cells kept
 * row-major as copies, column widths measured at write time by display
 * width (utf8.h), cut with "…" past a column's cap, padded left or right. */
#include "xiaoan/table.h"
#include "xiaoan/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xa_table {
    size_t ncols;
    char **heads;    /* ncols copies, or NULL: no header line */
    int *right;      /* per column */
    size_t *cap;     /* per column, 0 = none */
    char **cells;    /* row-major, ncells of them */
    size_t ncells, room;
};

xa_table *xa_table_new(size_t ncols, const char *const *heads)
{
    xa_table *t = xa_calloc(1, sizeof *t);
    t->ncols = ncols ? ncols : 1;
    t->right = xa_calloc(t->ncols, sizeof *t->right);
    t->cap = xa_calloc(t->ncols, sizeof *t->cap);
    if (heads) {
        t->heads = xa_calloc(t->ncols, sizeof *t->heads);
        for (size_t j = 0; j < t->ncols; j++)
            t->heads[j] = xa_strdup(j < ncols && heads[j] ? heads[j] : "");
    }
    return t;
}

void xa_table_col(xa_table *t, size_t j, int right, size_t cap)
{
    if (j >= t->ncols)
        return;
    t->right[j] = right != 0;
    t->cap[j] = cap;
}

/* Take ownership of one cell string. */
static void push(xa_table *t, char *cell)
{
    if (t->ncells == t->room) {
        t->room = t->room ? 2 * t->room : 8 * t->ncols;
        t->cells = xa_reallocarray(t->cells, t->room, sizeof *t->cells);
    }
    t->cells[t->ncells++] = cell;
}

void xa_table_add(xa_table *t, const char *cell)
{
    push(t, xa_strdup(cell ? cell : ""));
}

void xa_table_take(xa_table *t, char *cell)
{
    push(t, cell ? cell : xa_strdup(""));
}

void xa_table_addf(xa_table *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xa_malloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, fmt);
    vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    push(t, s);
}

void xa_table_row(xa_table *t, const char *const *cells)
{
    for (size_t j = 0; j < t->ncols; j++)
        xa_table_add(t, cells[j]);
}

size_t xa_table_nrows(const xa_table *t)
{
    return (t->ncells + t->ncols - 1) / t->ncols;
}

/* The cell at row i, column j ("" past the cells given). */
static const char *cell_at(const xa_table *t, size_t i, size_t j)
{
    size_t k = i * t->ncols + j;
    return k < t->ncells ? t->cells[k] : "";
}

size_t xa_table_natural(const xa_table *t, size_t j)
{
    size_t w = t->heads ? xa_utf8_width(t->heads[j]) : 0;
    for (size_t i = 0, n = xa_table_nrows(t); i < n; i++) {
        size_t x = xa_utf8_width(cell_at(t, i, j));
        if (x > w)
            w = x;
    }
    return w;
}

void xa_table_write(const xa_table *t, const char *indent, xa_buf *out)
{
    size_t nc = t->ncols, nr = xa_table_nrows(t);
    size_t *w = xa_calloc(nc, sizeof *w);
    for (size_t j = 0; j < nc; j++) {
        w[j] = xa_table_natural(t, j);
        size_t floor = t->heads ? xa_utf8_width(t->heads[j]) : 0;
        if (t->cap[j] && w[j] > t->cap[j])
            w[j] = t->cap[j] > floor ? t->cap[j] : floor;
    }
    const char **row = xa_calloc(nc, sizeof *row);
    if (t->heads)
        xa_utf8_row(out, indent ? indent : "", (const char *const *)t->heads, w, t->right,
                    (int)nc);
    for (size_t i = 0; i < nr; i++) {
        for (size_t j = 0; j < nc; j++)
            row[j] = cell_at(t, i, j);
        xa_utf8_row(out, indent ? indent : "", row, w, t->right, (int)nc);
    }
    free(row);
    free(w);
}

void xa_table_print(const xa_table *t)
{
    xa_buf b = XA_BUF_INIT;
    xa_table_write(t, "", &b);
    if (b.len)
        fwrite(b.data, 1, b.len, stdout);
    xa_buf_clear(&b);
}

void xa_table_free(xa_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->cells);
    if (t->heads)
        for (size_t j = 0; j < t->ncols; j++)
            free(t->heads[j]);
    free(t->heads);
    free(t->right);
    free(t->cap);
    free(t);
}
