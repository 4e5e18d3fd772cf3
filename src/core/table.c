/* table.c (core) — the one text-table printer (table.h): cells kept
 * row-major as copies, column widths measured at write time by display
 * width (utf8.h), cut with "…" past a column's cap, padded left or right. */
#include "xiaoan/table.h"
#include "xiaoan/error.h"
#include "xiaoan/utf8.h"

#include <stdarg.h>
#include <stdint.h>
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

/* The display width of a cell, and whether it can be written as it is:
 * valid UTF-8 without a character the sanitiser replaces (then xa_utf8_pad
 * would write the same bytes). */
static size_t cell_width(const char *s, int *clean)
{
    size_t w = 0, i = 0, len = strlen(s);
    *clean = 1;
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch < 0x7f) { /* printable ASCII: one column */
            w++;
            i++;
            continue;
        }
        uint32_t cp;
        int valid = 1;
        i += xa_utf8_decode(s + i, len - i, &cp, &valid);
        if (!valid || xa_cp_unsafe(cp))
            *clean = 0;
        w += (size_t)xa_cp_width(cp);
    }
    return w;
}

/* Each cell is measured once, and a clean cell that fits is written as it
 * is; only the rest go through xa_utf8_pad (cut, made safe, padded): tables
 * reach 100,000 rows (the period report's lists, issue 13). */
void xa_table_write(const xa_table *t, const char *indent, xa_buf *out)
{
    size_t nc = t->ncols, nr = xa_table_nrows(t), ncells = nr * nc;
    const char *in = indent ? indent : "";
    size_t *w = xa_calloc(nc, sizeof *w);
    size_t *cw = xa_calloc(ncells ? ncells : 1, sizeof *cw);
    unsigned char *ok = xa_calloc(ncells ? ncells : 1, 1);
    for (size_t j = 0; j < nc; j++)
        w[j] = t->heads ? xa_utf8_width(t->heads[j]) : 0;
    for (size_t k = 0; k < ncells; k++) {
        int clean;
        cw[k] = cell_width(cell_at(t, k / nc, k % nc), &clean);
        ok[k] = (unsigned char)clean;
        if (cw[k] > w[k % nc])
            w[k % nc] = cw[k];
    }
    for (size_t j = 0; j < nc; j++) {
        size_t floor = t->heads ? xa_utf8_width(t->heads[j]) : 0;
        if (t->cap[j] && w[j] > t->cap[j])
            w[j] = t->cap[j] > floor ? t->cap[j] : floor;
    }
    if (t->heads)
        xa_utf8_row(out, in, (const char *const *)t->heads, w, t->right, (int)nc);
    for (size_t i = 0; i < nr; i++) {
        size_t start = out->len;
        xa_buf_puts(out, in);
        for (size_t j = 0; j < nc; j++) {
            size_t k = i * nc + j;
            const char *cell = cell_at(t, i, j);
            if (j)
                xa_buf_puts(out, "  ");
            if (!ok[k] || cw[k] > w[j]) {
                char *p = xa_utf8_pad(cell, w[j], t->right[j]);
                xa_buf_puts(out, p);
                free(p);
                continue;
            }
            size_t pad = w[j] - cw[k];
            for (size_t q = 0; t->right[j] && q < pad; q++)
                xa_buf_putc(out, ' ');
            xa_buf_puts(out, cell);
            for (size_t q = 0; !t->right[j] && q < pad; q++)
                xa_buf_putc(out, ' ');
        }
        /* as xa_utf8_row: no trailing blanks */
        while (out->len > start && out->data[out->len - 1] == ' ')
            out->data[--out->len] = '\0';
        xa_buf_putc(out, '\n');
    }
    free(ok);
    free(cw);
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
