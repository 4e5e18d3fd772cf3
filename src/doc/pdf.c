/* pdf.c — the PDF writer: pango lays out Chinese text on cairo, A4 pages.
 *
 * Owns page geometry, the text flow (paragraphs that wrap and continue on
 * the next page line by line), tables (rows that wrap, move to the next page
 * whole when they fit there, split when taller than a page, header repeated
 * on every page), JPEG images embedded as they are, and the bar/line charts
 * of the period reports.  Each page is drawn on a recording surface; saving
 * replays the pages onto one cairo PDF surface and adds the footer
 * "第 N 页 共 M 页", which needs the page count.  Nothing here knows about
 * hazards or stores (layer: core only). */
#include "xiaoan/pdf.h"

#include "xiaoan/fsutil.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define PAGE_W (210.0 * MM)
#define PAGE_H (297.0 * MM)
#define MARGIN_L (20.0 * MM)
#define MARGIN_R (20.0 * MM)
#define MARGIN_T (22.0 * MM)
#define MARGIN_B (22.0 * MM)
#define FOOTER_Y (PAGE_H - 12.0 * MM)
#define BODY_PT 10.5
#define TABLE_PT 9.0
#define PAD_X (1.4 * MM)
#define PAD_Y (1.2 * MM)
#define LINE_W 0.6

struct xa_pdf {
    char *title;
    char *date;
    char *footer;
    cairo_surface_t **pages;
    size_t npages, cap;
    cairo_t *cr;            /* draws on pages[npages - 1] */
    double y;               /* current position on the page, points */
    PangoFontMap *fm;
    PangoContext *pc;
    cairo_status_t status;  /* first cairo failure */
};

struct xa_pdf_table {
    xa_pdf *p;
    xa_pdf_col *cols;
    size_t n;
    double *x, *w;          /* column left edges and widths, points */
    double font_pt;
    double minh;            /* minimum row height, points */
    size_t head_page;       /* page (1-based) whose header is drawn; 0 none */
};

/* ---- helpers ---- */

/* Note the first cairo failure of cr. */
static void note_status(xa_pdf *p, cairo_t *cr)
{
    cairo_status_t s = cairo_status(cr);
    if (p->status == CAIRO_STATUS_SUCCESS && s != CAIRO_STATUS_SUCCESS)
        p->status = s;
}

/* Start a fresh page: a new recording surface, y at the top margin. */
static void new_page(xa_pdf *p)
{
    if (p->cr) {
        note_status(p, p->cr);
        cairo_destroy(p->cr);
    }
    if (p->npages == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->pages = xa_reallocarray(p->pages, p->cap, sizeof *p->pages);
    }
    cairo_rectangle_t ext = {0, 0, PAGE_W, PAGE_H};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    p->pages[p->npages++] = s;
    p->cr = cairo_create(s);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y = MARGIN_T;
}

static double bottom(void) { return PAGE_H - MARGIN_B; }
static double text_w(void) { return PAGE_W - MARGIN_L - MARGIN_R; }

/* text as valid UTF-8 (a new string; NULL becomes ""). */
static char *clean(const char *text)
{
    gchar *g = g_utf8_make_valid(text ? text : "", -1);
    char *s = xa_strdup(g);
    g_free(g);
    return s;
}

/* A layout of text in the style, width points wide. */
static PangoLayout *layout_new(xa_pdf *p, const char *text, double size_pt, int bold, int sans,
                               double width)
{
    PangoLayout *l = pango_layout_new(p->pc);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, sans ? XA_PDF_SANS : XA_PDF_SERIF);
    pango_font_description_set_size(fd, (gint)(size_pt * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_line_spacing(l, 1.25f);
    char *c = clean(text);
    pango_layout_set_text(l, c, -1);
    free(c);
    return l;
}

/* Apply alignment and first-line indent of a style. */
static void layout_style(PangoLayout *l, const xa_pdf_style *st, double size_pt)
{
    switch (st ? st->align : XA_PDF_LEFT) {
    case XA_PDF_CENTER: pango_layout_set_alignment(l, PANGO_ALIGN_CENTER); break;
    case XA_PDF_RIGHT: pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT); break;
    case XA_PDF_JUSTIFY: pango_layout_set_justify(l, TRUE); break;
    case XA_PDF_LEFT: break;
    }
    if (st && st->indent_em > 0)
        pango_layout_set_indent(l, (int)(st->indent_em * size_pt * PANGO_SCALE));
}

/* Width of a layout's ink-independent extent, points. */
static double layout_w(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)w / PANGO_SCALE;
}

/* Draw a layout's lines [from, ...) at x, top y, while the next line ends
 * within maxh; returns the first line not drawn (== line count when all
 * were) and the height used in *used. */
static int draw_lines(cairo_t *cr, PangoLayout *l, int from, double x, double y, double maxh,
                      double *used)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int i = 0;
    double top0 = -1;
    *used = 0;
    do {
        if (i < from) {
            i++;
            continue;
        }
        PangoRectangle lg;
        pango_layout_iter_get_line_extents(it, NULL, &lg);
        double top = (double)lg.y / PANGO_SCALE, h = (double)lg.height / PANGO_SCALE;
        if (top0 < 0)
            top0 = top;
        if (top - top0 + h > maxh + 0.01)
            break;
        double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        cairo_move_to(cr, x + (double)lg.x / PANGO_SCALE, y + base - top0);
        pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
        *used = top - top0 + h;
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return i;
}

/* Height of lines [from, end) of a layout. */
static double lines_h(PangoLayout *l, int from)
{
    int n = pango_layout_get_line_count(l);
    if (from >= n)
        return 0;
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double top0 = 0, end = 0;
    int i = 0;
    do {
        PangoRectangle lg;
        pango_layout_iter_get_line_extents(it, NULL, &lg);
        if (i == from)
            top0 = (double)lg.y / PANGO_SCALE;
        end = (double)(lg.y + lg.height) / PANGO_SCALE;
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return end - top0;
}

/* Height of the first line of a layout (the least a page must hold). */
static double first_line_h(PangoLayout *l)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    PangoRectangle lg;
    pango_layout_iter_get_line_extents(it, NULL, &lg);
    pango_layout_iter_free(it);
    return (double)lg.height / PANGO_SCALE;
}

/* Flow a layout down the page at x, continuing on new pages. */
static void flow(xa_pdf *p, PangoLayout *l, double x)
{
    int n = pango_layout_get_line_count(l), from = 0;
    while (from < n) {
        double avail = bottom() - p->y, used;
        if (avail < lines_h(l, from) && avail < first_line_h(l) + 0.01 && p->y > MARGIN_T) {
            new_page(p);
            continue;
        }
        int next = draw_lines(p->cr, l, from, x, p->y, avail, &used);
        p->y += used;
        if (next < n)
            new_page(p);
        if (next == from) /* a line taller than a page: give up on it */
            next++;
        from = next;
    }
}

/* ---- document ---- */

xa_pdf *xa_pdf_new(const char *title, const char *date)
{
    xa_pdf *p = xa_calloc(1, sizeof *p);
    p->title = clean(title);
    p->date = date ? xa_strdup(date) : NULL;
    p->fm = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(p->fm), 72.0);
    p->pc = pango_font_map_create_context(p->fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p->pc, fo);
    cairo_font_options_destroy(fo);
    new_page(p);
    return p;
}

void xa_pdf_free(xa_pdf *p)
{
    if (!p)
        return;
    if (p->cr)
        cairo_destroy(p->cr);
    for (size_t i = 0; i < p->npages; i++)
        cairo_surface_destroy(p->pages[i]);
    free(p->pages);
    if (p->pc)
        g_object_unref(p->pc);
    if (p->fm)
        g_object_unref(p->fm);
    free(p->title);
    free(p->date);
    free(p->footer);
    free(p);
}

void xa_pdf_set_footer_note(xa_pdf *p, const char *text)
{
    free(p->footer);
    p->footer = text ? clean(text) : NULL;
}

int xa_pdf_pages(const xa_pdf *p) { return (int)p->npages; }

double xa_pdf_remaining(const xa_pdf *p) { return (bottom() - p->y) / MM; }

double xa_pdf_text_width(const xa_pdf *p)
{
    (void)p;
    return text_w() / MM;
}

/* cairo's write callback: append to an xa_buf. */
static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int len)
{
    xa_buf_add(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* Draw the footer of page i of n on cr. */
static void footer(xa_pdf *p, cairo_t *cr, size_t i, size_t n)
{
    /* two spaces: pdftotext drops a single narrow space between CJK glyphs */
    char *t = xa_asprintf("第  %zu  页  共  %zu  页", i, n);
    PangoLayout *l = layout_new(p, t, 9, 0, 0, 0);
    /* centred, or at the right margin when a note fills the left: a long note
     * (the office and the period) would run into a centred page number */
    int noted = p->footer && *p->footer;
    cairo_move_to(cr, noted ? PAGE_W - MARGIN_R - layout_w(l) : (PAGE_W - layout_w(l)) / 2,
                  FOOTER_Y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    free(t);
    if (noted) {
        l = layout_new(p, p->footer, 8, 0, 0, 0);
        cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
        cairo_move_to(cr, MARGIN_L, FOOTER_Y + 0.5);
        pango_cairo_show_layout(cr, l);
        cairo_set_source_rgb(cr, 0, 0, 0);
        g_object_unref(l);
    }
}

xa_code xa_pdf_render(xa_pdf *p, xa_buf *out, xa_err *err)
{
    if (p->cr)
        note_status(p, p->cr);
    if (p->status != CAIRO_STATUS_SUCCESS)
        return xa_fail(err, XA_EIO, "drawing the PDF failed: %s", cairo_status_to_string(p->status));
    xa_buf tmp = XA_BUF_INIT;
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(buf_write, &tmp, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, p->title);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "xiaoan " XIAOAN_VERSION);
    if (p->date) {
        char *d = xa_asprintf("%.10sT00:00:00", p->date);
        cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, d);
        free(d);
    }
    cairo_t *cr = cairo_create(pdf);
    for (size_t i = 0; i < p->npages; i++) {
        cairo_set_source_surface(cr, p->pages[i], 0, 0);
        cairo_paint(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        footer(p, cr, i + 1, p->npages);
        cairo_show_page(cr);
    }
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    if (st != CAIRO_STATUS_SUCCESS) {
        xa_buf_clear(&tmp);
        return xa_fail(err, XA_EIO, "writing the PDF failed: %s", cairo_status_to_string(st));
    }
    xa_buf_add(out, tmp.data, tmp.len);
    xa_buf_clear(&tmp);
    return XA_OK;
}

xa_code xa_pdf_save(xa_pdf *p, const char *path, int flags, xa_err *err)
{
    xa_buf b = XA_BUF_INIT;
    xa_code c = xa_pdf_render(p, &b, err);
    if (c == XA_OK)
        c = xa_write_new(path, b.data, b.len, flags, NULL, err);
    xa_buf_clear(&b);
    return c;
}

/* ---- flow ---- */

void xa_pdf_space(xa_pdf *p, double mm)
{
    p->y += mm * MM;
    if (p->y > bottom())
        new_page(p);
}

void xa_pdf_page_break(xa_pdf *p) { new_page(p); }

void xa_pdf_need(xa_pdf *p, double mm)
{
    if (p->y + mm * MM > bottom() && p->y > MARGIN_T)
        new_page(p);
}

void xa_pdf_rule(xa_pdf *p)
{
    xa_pdf_need(p, 2);
    cairo_set_line_width(p->cr, LINE_W);
    cairo_move_to(p->cr, MARGIN_L, p->y + 1 * MM);
    cairo_line_to(p->cr, PAGE_W - MARGIN_R, p->y + 1 * MM);
    cairo_stroke(p->cr);
    p->y += 2 * MM;
}

/* Space after a paragraph in points. */
static double after(const xa_pdf_style *st)
{
    if (!st || st->space_after_mm == 0)
        return 1.5 * MM;
    return st->space_after_mm < 0 ? 0 : st->space_after_mm * MM;
}

void xa_pdf_text(xa_pdf *p, const char *text, const xa_pdf_style *st)
{
    double size = st && st->size_pt > 0 ? st->size_pt : BODY_PT;
    PangoLayout *l = layout_new(p, text, size, st && st->bold, st && st->sans, text_w());
    layout_style(l, st, size);
    if (st && st->gray > 0)
        cairo_set_source_rgb(p->cr, st->gray, st->gray, st->gray);
    flow(p, l, MARGIN_L);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    g_object_unref(l);
    p->y += after(st);
}

void xa_pdf_title(xa_pdf *p, const char *text)
{
    xa_pdf_style st = {.size_pt = 18, .bold = 1, .align = XA_PDF_CENTER, .space_after_mm = 5};
    xa_pdf_text(p, text, &st);
}

void xa_pdf_field(xa_pdf *p, const char *label, const char *value, const xa_pdf_style *st)
{
    double size = st && st->size_pt > 0 ? st->size_pt : BODY_PT;
    char *lab = clean(label), *val = clean(value);
    char *t = xa_asprintf("%s：%s", lab, val);
    PangoLayout *l = layout_new(p, t, size, 0, st && st->sans, text_w());
    PangoAttrList *al = pango_attr_list_new();
    PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    a->start_index = 0;
    a->end_index = (guint)(strlen(lab) + strlen("："));
    pango_attr_list_insert(al, a);
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
    /* hang the continuation lines under the value */
    PangoLayout *lw = layout_new(p, lab, size, 1, st && st->sans, 0);
    pango_layout_set_text(lw, t, (int)(strlen(lab) + strlen("：")));
    double hang = layout_w(lw);
    g_object_unref(lw);
    if (hang < text_w() / 3)
        pango_layout_set_indent(l, -(int)(hang * PANGO_SCALE));
    flow(p, l, MARGIN_L);
    g_object_unref(l);
    free(t);
    free(lab);
    free(val);
    p->y += after(st);
}

/* ---- tables ---- */

xa_pdf_table *xa_pdf_table_begin(xa_pdf *p, const xa_pdf_col *cols, size_t ncols, double font_pt)
{
    xa_pdf_table *t = xa_calloc(1, sizeof *t);
    t->p = p;
    t->n = ncols;
    t->cols = xa_calloc(ncols, sizeof *t->cols);
    t->x = xa_calloc(ncols, sizeof *t->x);
    t->w = xa_calloc(ncols, sizeof *t->w);
    t->font_pt = font_pt > 0 ? font_pt : TABLE_PT;
    double sum = 0;
    for (size_t i = 0; i < ncols; i++) {
        t->cols[i] = cols[i];
        t->cols[i].head = clean(cols[i].head);
        sum += cols[i].width > 0 ? cols[i].width : 1;
    }
    double x = MARGIN_L;
    for (size_t i = 0; i < ncols; i++) {
        t->x[i] = x;
        t->w[i] = text_w() * (cols[i].width > 0 ? cols[i].width : 1) / sum;
        x += t->w[i];
    }
    return t;
}

void xa_pdf_table_min_height(xa_pdf_table *t, double mm) { t->minh = mm > 0 ? mm * MM : 0; }

/* One table line being drawn: cells with their layouts and progress. */
typedef struct trow {
    size_t n;
    double x[64], w[64];
    PangoLayout *l[64];
    int from[64];
    int shade;
} trow;

/* Build a table line from texts (n cells at the table's columns, or one
 * spanning cell when span). */
static void trow_make(xa_pdf_table *t, trow *r, const char *const *cells, int bold, int span)
{
    memset(r, 0, sizeof *r);
    r->n = span ? 1 : (t->n > 64 ? 64 : t->n);
    for (size_t i = 0; i < r->n; i++) {
        r->x[i] = t->x[i];
        r->w[i] = span ? text_w() : t->w[i];
        r->l[i] = layout_new(t->p, cells[i] ? cells[i] : "", t->font_pt, bold, 0,
                             r->w[i] - 2 * PAD_X);
        pango_layout_set_line_spacing(r->l[i], 1.1f);
        xa_pdf_style st = {.align = span ? XA_PDF_LEFT : t->cols[i].align};
        layout_style(r->l[i], &st, t->font_pt);
    }
}

static void trow_free(trow *r)
{
    for (size_t i = 0; i < r->n; i++)
        g_object_unref(r->l[i]);
}

/* Height the rest of the line needs (with padding). */
static double trow_h(const trow *r, double minh)
{
    double h = 0;
    for (size_t i = 0; i < r->n; i++) {
        double c = lines_h(r->l[i], r->from[i]);
        if (c > h)
            h = c;
    }
    h += 2 * PAD_Y;
    return h < minh ? minh : h;
}

/* Draw what fits of the line within avail points at the current y; returns
 * 1 when the whole line was drawn. */
static int trow_draw(xa_pdf *p, trow *r, double avail, double minh)
{
    double full = trow_h(r, minh);
    double h = full <= avail ? full : avail;
    cairo_t *cr = p->cr;
    if (r->shade) {
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_rectangle(cr, r->x[0], p->y, r->x[r->n - 1] + r->w[r->n - 1] - r->x[0], h);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
    }
    int done = 1;
    for (size_t i = 0; i < r->n; i++) {
        double used;
        int n = pango_layout_get_line_count(r->l[i]);
        if (r->from[i] < n) {
            double vy = p->y + PAD_Y;
            r->from[i] = draw_lines(cr, r->l[i], r->from[i], r->x[i] + PAD_X, vy, h - 2 * PAD_Y,
                                    &used);
            if (r->from[i] < n)
                done = 0;
        }
        cairo_set_line_width(cr, LINE_W);
        cairo_rectangle(cr, r->x[i], p->y, r->w[i], h);
        cairo_stroke(cr);
    }
    p->y += h;
    return done;
}

/* The header row laid out: the column heads, bold, centred, shaded. */
static void header_make(xa_pdf_table *t, trow *r)
{
    const char *heads[64];
    for (size_t i = 0; i < t->n && i < 64; i++)
        heads[i] = t->cols[i].head;
    trow_make(t, r, heads, 1, 0);
    for (size_t i = 0; i < r->n; i++)
        pango_layout_set_alignment(r->l[i], PANGO_ALIGN_CENTER);
    r->shade = 1;
}

/* Draw the header row on the current page. */
static void table_header(xa_pdf_table *t)
{
    trow r;
    header_make(t, &r);
    trow_draw(t->p, &r, 1e9, 0);
    trow_free(&r);
    t->head_page = t->p->npages;
}

/* Height of the header row. */
static double header_h(xa_pdf_table *t)
{
    trow r;
    header_make(t, &r);
    double h = trow_h(&r, 0);
    trow_free(&r);
    return h;
}

void xa_pdf_table_row(xa_pdf_table *t, const char *const *cells, const char *extra)
{
    xa_pdf *p = t->p;
    trow r, e;
    trow_make(t, &r, cells, 0, 0);
    int has_extra = extra && *extra;
    if (has_extra)
        trow_make(t, &e, &extra, 0, 1);
    double need = trow_h(&r, t->minh) + (has_extra ? trow_h(&e, 0) : 0);
    double hh = header_h(t);
    double body = bottom() - MARGIN_T;
    int fresh = 0;
    if (t->head_page != p->npages) {
        if (p->y + hh + need > bottom() && need <= body - hh && p->y > MARGIN_T)
            new_page(p);
        table_header(t);
        fresh = 1;
    }
    if (!fresh && p->y + need > bottom() && need <= body - hh) {
        new_page(p);
        table_header(t);
    }
    /* the row itself, split across pages only when taller than a page */
    while (!trow_draw(p, &r, bottom() - p->y, t->minh)) {
        new_page(p);
        table_header(t);
    }
    if (has_extra) {
        while (!trow_draw(p, &e, bottom() - p->y, 0)) {
            new_page(p);
            table_header(t);
        }
        trow_free(&e);
    }
    trow_free(&r);
}

void xa_pdf_table_end(xa_pdf_table *t)
{
    if (!t)
        return;
    t->p->y += 2 * MM;
    for (size_t i = 0; i < t->n; i++)
        free((char *)t->cols[i].head);
    free(t->cols);
    free(t->x);
    free(t->w);
    free(t);
}

/* ---- images ---- */

xa_code xa_jpeg_info(const void *data, size_t len, int *width, int *height, int *components,
                     xa_err *err)
{
    const unsigned char *d = data;
    if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
        return xa_fail(err, XA_EFORMAT, "not a JPEG image");
    size_t i = 2;
    while (i + 4 <= len) {
        if (d[i] != 0xFF)
            return xa_fail(err, XA_EFORMAT, "damaged JPEG image (no marker at byte %zu)", i);
        unsigned m = d[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
            continue;
        }
        size_t seg = ((size_t)d[i + 2] << 8) | d[i + 3];
        if (seg < 2 || i + 2 + seg > len)
            return xa_fail(err, XA_EFORMAT, "damaged JPEG image (segment past the end)");
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (seg < 8)
                return xa_fail(err, XA_EFORMAT, "damaged JPEG image (short frame header)");
            *height = (d[i + 5] << 8) | d[i + 6];
            *width = (d[i + 7] << 8) | d[i + 8];
            *components = d[i + 9];
            if (*width <= 0 || *height <= 0)
                return xa_fail(err, XA_EFORMAT, "JPEG image without a size");
            if (*components != 1 && *components != 3)
                return xa_fail(err, XA_EFORMAT, "JPEG image with %d colour components",
                               *components);
            return XA_OK;
        }
        if (m == 0xDA || m == 0xD9)
            break;
        i += 2 + seg;
    }
    return xa_fail(err, XA_EFORMAT, "JPEG image without a frame header");
}

xa_code xa_pdf_jpeg(xa_pdf *p, const void *data, size_t len, double width_mm,
                    const char *caption, xa_err *err)
{
    int iw, ih, comp;
    xa_code c = xa_jpeg_info(data, len, &iw, &ih, &comp, err);
    if (c != XA_OK)
        return c;
    double w = width_mm > 0 ? width_mm * MM : text_w();
    if (w > text_w())
        w = text_w();
    double h = w * ih / iw;
    double maxh = bottom() - MARGIN_T - 10 * MM;
    if (h > maxh) {
        h = maxh;
        w = h * iw / ih;
    }
    xa_pdf_need(p, h / MM + 8);
    /* A one-pixel surface carries the JPEG bytes: the PDF surface embeds the
     * bytes as they are (DCTDecode) and scales the image to the surface's
     * box, so no pixels are ever decoded or held here. */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    unsigned char *copy = xa_malloc(len);
    memcpy(copy, data, len);
    cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, copy, len, free, copy);
    double x = MARGIN_L + (text_w() - w) / 2;
    cairo_t *cr = p->cr;
    cairo_save(cr);
    cairo_translate(cr, x, p->y);
    cairo_scale(cr, w, h);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    p->y += h + 1.5 * MM;
    if (caption && *caption) {
        xa_pdf_style st = {.size_pt = 9, .align = XA_PDF_CENTER, .gray = 0.2};
        xa_pdf_text(p, caption, &st);
    }
    return XA_OK;
}

/* PNG bytes for cairo's stream reader. */
struct png_src {
    const unsigned char *p;
    size_t left;
};

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int length)
{
    struct png_src *r = closure;
    if (length > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, length);
    r->p += length;
    r->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

/* A surface for one image, with its pixel size, or NULL when the bytes are
 * neither a readable JPEG nor a PNG.  A JPEG is a one-pixel surface that
 * carries the bytes as MIME data (embedded as they are, DCTDecode); a PNG is
 * decoded (PDF has no PNG filter of its own; cairo re-compresses it
 * losslessly). */
static cairo_surface_t *image_surface(const xa_pdf_image *im, int *iw, int *ih)
{
    int comp;
    if (xa_jpeg_info(im->data, im->len, iw, ih, &comp, NULL) == XA_OK) {
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
        unsigned char *copy = xa_malloc(im->len);
        memcpy(copy, im->data, im->len);
        cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, copy, im->len, free, copy);
        return img;
    }
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (im->len > 8 && !memcmp(im->data, sig, 8)) {
        struct png_src r = {im->data, im->len};
        cairo_surface_t *img = cairo_image_surface_create_from_png_stream(png_read, &r);
        if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
            *iw = cairo_image_surface_get_width(img);
            *ih = cairo_image_surface_get_height(img);
            if (*iw > 0 && *ih > 0)
                return img;
        }
        cairo_surface_destroy(img);
    }
    return NULL;
}

void xa_pdf_images(xa_pdf *p, const xa_pdf_image *v, size_t n, double max_h_mm)
{
    const double gap = 6 * MM;
    const double cell_w = (text_w() - gap) / 2;
    double max_h = (max_h_mm > 0 ? max_h_mm : 70) * MM;
    for (size_t i = 0; i < n; i += 2) {
        size_t k = n - i < 2 ? n - i : 2;
        cairo_surface_t *img[2] = {NULL, NULL};
        double w[2] = {0, 0}, h[2] = {0, 0}, cap_h[2] = {0, 0}, row_h = 0, cap_max = 0;
        PangoLayout *cap[2] = {NULL, NULL};
        for (size_t j = 0; j < k; j++) {
            int iw = 0, ih = 0;
            img[j] = image_surface(&v[i + j], &iw, &ih);
            if (img[j]) {
                w[j] = cell_w;
                h[j] = w[j] * ih / iw;
                if (h[j] > max_h) {
                    h[j] = max_h;
                    w[j] = h[j] * iw / ih;
                }
            } else {
                w[j] = cell_w;
                h[j] = 20 * MM; /* a framed box saying why nothing is shown */
            }
            if (h[j] > row_h)
                row_h = h[j];
            if (v[i + j].caption && *v[i + j].caption) {
                cap[j] = layout_new(p, v[i + j].caption, 8.5, 0, 0, cell_w);
                pango_layout_set_alignment(cap[j], PANGO_ALIGN_CENTER);
                int lw, lh;
                pango_layout_get_size(cap[j], &lw, &lh);
                cap_h[j] = (double)lh / PANGO_SCALE;
                if (cap_h[j] > cap_max)
                    cap_max = cap_h[j];
            }
        }
        xa_pdf_need(p, (row_h + cap_max) / MM + 5);
        cairo_t *cr = p->cr;
        for (size_t j = 0; j < k; j++) {
            double x0 = MARGIN_L + (double)j * (cell_w + gap);
            double y0 = p->y + (row_h - h[j]);
            if (img[j]) {
                cairo_save(cr);
                cairo_translate(cr, x0 + (cell_w - w[j]) / 2, y0);
                /* a JPEG's surface is one pixel: this scales it to w × h */
                cairo_scale(cr, w[j] / (double)(cairo_image_surface_get_width(img[j])),
                            h[j] / (double)(cairo_image_surface_get_height(img[j])));
                cairo_set_source_surface(cr, img[j], 0, 0);
                cairo_paint(cr);
                cairo_restore(cr);
                cairo_surface_destroy(img[j]);
            } else {
                cairo_save(cr);
                cairo_set_line_width(cr, LINE_W);
                cairo_rectangle(cr, x0, y0, w[j], h[j]);
                cairo_stroke(cr);
                cairo_restore(cr);
                PangoLayout *l = layout_new(p, "（无法在 PDF 中显示）", 8.5,
                                            0, 0, cell_w - 4 * MM);
                pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
                cairo_move_to(cr, x0 + 2 * MM, y0 + h[j] / 2 - 2 * MM);
                pango_cairo_show_layout(cr, l);
                g_object_unref(l);
            }
            if (cap[j]) {
                cairo_save(cr);
                cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
                cairo_move_to(cr, x0, p->y + row_h + 1 * MM);
                pango_cairo_show_layout(cr, cap[j]);
                cairo_restore(cr);
                g_object_unref(cap[j]);
            }
        }
        p->y += row_h + cap_max + 4 * MM;
    }
}

/* ---- charts ---- */

static const double palette[][3] = {
    {0.19, 0.39, 0.66}, {0.87, 0.47, 0.13}, {0.30, 0.60, 0.30},
    {0.75, 0.22, 0.20}, {0.50, 0.40, 0.68}, {0.50, 0.50, 0.50},
};
#define NPAL (sizeof palette / sizeof palette[0])

/* A round axis maximum and step for values up to max (1, 2 or 5 times a
 * power of ten, about five steps); plain loops keep libm out. */
static void nice_axis(double max, double *top, double *step)
{
    if (!(max > 0))
        max = 1;
    double raw = max / 5, mag = 1;
    while (mag > raw)
        mag /= 10;
    while (mag * 10 <= raw)
        mag *= 10;
    double f = raw / mag;
    double s = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    *step = s * mag;
    if (*step < 1 && max >= 1)
        *step = 1;
    long k = (long)(max / *step);
    if ((double)k * *step < max)
        k++;
    *top = (double)k * *step;
}

/* A value as text: no decimals for whole numbers. */
static char *num(double v)
{
    double r = (double)(long long)(v < 0 ? v - 0.5 : v + 0.5);
    double d = v - r;
    if (d < 1e-9 && d > -1e-9)
        return xa_asprintf("%.0f", v);
    return xa_asprintf("%.1f", v);
}

/* Draw text at x (anchored by align: 0 left, 1 centre, 2 right) and y top. */
static void label(xa_pdf *p, const char *t, double x, double y, double size, int anchor,
                  double maxw)
{
    PangoLayout *l = layout_new(p, t, size, 0, 1, maxw);
    if (maxw > 0)
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    double w = maxw > 0 ? maxw : layout_w(l);
    double x0 = anchor == 1 ? x - w / 2 : anchor == 2 ? x - w : x;
    cairo_move_to(p->cr, x0, y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

/* Axes, grid, category labels and legend; returns the plot box. */
static void chart_frame(xa_pdf *p, const xa_pdf_chart *c, double *px, double *py, double *pw,
                        double *ph, double *top)
{
    double ph_ = (c->height_mm > 0 ? c->height_mm : 60) * MM;
    double label_h = 9 * MM, legend_h = c->nseries > 0 ? 7 * MM : 0, title_h = 0;
    if (c->title && *c->title)
        title_h = 7 * MM;
    xa_pdf_need(p, (title_h + ph_ + label_h + legend_h) / MM + 4);
    if (title_h > 0) {
        xa_pdf_style st = {.size_pt = 10.5, .bold = 1, .sans = 1, .align = XA_PDF_CENTER};
        xa_pdf_text(p, c->title, &st);
    }
    double max = 0;
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->nlabels; i++)
            if (c->series[s].values[i] > max)
                max = c->series[s].values[i];
    double step;
    nice_axis(max, top, &step);
    double x = MARGIN_L + 14 * MM, y = p->y + 3 * MM, w = text_w() - 16 * MM;
    cairo_t *cr = p->cr;
    if (c->unit && *c->unit)
        label(p, c->unit, MARGIN_L, p->y - 1 * MM, 8, 0, 0);
    cairo_set_line_width(cr, 0.4);
    for (double v = 0; v <= *top + step / 2; v += step) {
        double yy = y + ph_ - ph_ * v / *top;
        cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
        cairo_move_to(cr, x, yy);
        cairo_line_to(cr, x + w, yy);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        char *t = num(v);
        label(p, t, x - 1.5 * MM, yy - 4, 8, 2, 0);
        free(t);
    }
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x, y + ph_);
    cairo_line_to(cr, x + w, y + ph_);
    cairo_stroke(cr);
    double cw = c->nlabels ? w / (double)c->nlabels : w;
    for (size_t i = 0; i < c->nlabels; i++)
        label(p, c->labels[i], x + cw * ((double)i + 0.5), y + ph_ + 1 * MM, 8, 1, cw - 1);
    /* legend */
    double lx = x, ly = y + ph_ + label_h;
    for (size_t s = 0; s < c->nseries; s++) {
        const double *col = palette[s % NPAL];
        cairo_set_source_rgb(cr, col[0], col[1], col[2]);
        cairo_rectangle(cr, lx, ly + 1, 3 * MM, 3 * MM);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        PangoLayout *l = layout_new(p, c->series[s].name, 8, 0, 1, 0);
        cairo_move_to(cr, lx + 4 * MM, ly);
        pango_cairo_show_layout(cr, l);
        lx += 4 * MM + layout_w(l) + 6 * MM;
        g_object_unref(l);
    }
    *px = x;
    *py = y;
    *pw = w;
    *ph = ph_;
    p->y = ly + legend_h + 2 * MM;
}

void xa_pdf_bar_chart(xa_pdf *p, const xa_pdf_chart *c)
{
    double x, y, w, h, top;
    chart_frame(p, c, &x, &y, &w, &h, &top);
    if (c->nlabels == 0 || c->nseries == 0)
        return;
    double cw = w / (double)c->nlabels;
    double group = cw * 0.75, bw = group / (double)c->nseries;
    cairo_t *cr = p->cr;
    for (size_t i = 0; i < c->nlabels; i++)
        for (size_t s = 0; s < c->nseries; s++) {
            double v = c->series[s].values[i];
            if (v < 0)
                v = 0;
            double bh = h * v / top;
            double bx = x + cw * (double)i + (cw - group) / 2 + bw * (double)s;
            const double *col = palette[s % NPAL];
            cairo_set_source_rgb(cr, col[0], col[1], col[2]);
            cairo_rectangle(cr, bx, y + h - bh, bw * 0.92, bh);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            if (bw >= 3.5 * MM && v > 0) {
                char *t = num(v);
                label(p, t, bx + bw * 0.46, y + h - bh - 10, 7, 1, 0);
                free(t);
            }
        }
}

void xa_pdf_line_chart(xa_pdf *p, const xa_pdf_chart *c)
{
    double x, y, w, h, top;
    chart_frame(p, c, &x, &y, &w, &h, &top);
    if (c->nlabels == 0 || c->nseries == 0)
        return;
    double cw = w / (double)c->nlabels;
    cairo_t *cr = p->cr;
    for (size_t s = 0; s < c->nseries; s++) {
        const double *col = palette[s % NPAL];
        cairo_set_source_rgb(cr, col[0], col[1], col[2]);
        cairo_set_line_width(cr, 1.4);
        for (size_t i = 0; i < c->nlabels; i++) {
            double v = c->series[s].values[i] < 0 ? 0 : c->series[s].values[i];
            double px = x + cw * ((double)i + 0.5), py = y + h - h * v / top;
            if (i == 0)
                cairo_move_to(cr, px, py);
            else
                cairo_line_to(cr, px, py);
        }
        cairo_stroke(cr);
        for (size_t i = 0; i < c->nlabels; i++) {
            double v = c->series[s].values[i] < 0 ? 0 : c->series[s].values[i];
            double px = x + cw * ((double)i + 0.5), py = y + h - h * v / top;
            cairo_arc(cr, px, py, 1.8, 0, 2 * 3.14159265358979);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
    }
}
