/* pdf.h — print-ready A4 documents: Chinese text laid out by pango on
 * cairo's PDF surface, fonts embedded as subsets.
 *
 * One small writer for every document the office prints (整改通知书, period
 * reports).  It knows nothing about hazards or stores: callers pour text,
 * tables, images and charts into a flow, and the writer breaks pages, repeats
 * table headers and numbers the pages "第 N 页 共 M 页".  Pages are drawn on
 * cairo recording surfaces and replayed onto the PDF surface at the end, so
 * the footer knows the page count.
 *
 * Units: millimetres for lengths, points for font sizes.  Drawing calls never
 * fail on their own; a cairo failure is remembered and reported by
 * xa_pdf_save / xa_pdf_render.  Invalid UTF-8 is shown with U+FFFD. */
#ifndef XIAOAN_PDF_H
#define XIAOAN_PDF_H

#include "xiaoan/error.h"
#include "xiaoan/mem.h"

#include <stddef.h>

typedef struct xa_pdf xa_pdf;
typedef struct xa_pdf_table xa_pdf_table;

/* Font families (fonts-noto-cjk). */
#define XA_PDF_SANS  "Noto Sans CJK SC"
#define XA_PDF_SERIF "Noto Serif CJK SC"

typedef enum { XA_PDF_LEFT, XA_PDF_CENTER, XA_PDF_RIGHT, XA_PDF_JUSTIFY } xa_pdf_align;

/* How a run of text looks.  A zeroed style is the body text: 10.5 pt
 * (五号) serif, left aligned, no indent, 1.5 mm after. */
typedef struct xa_pdf_style {
    double size_pt;        /* 0: 10.5 */
    int bold;
    int sans;              /* 1: Noto Sans CJK SC, 0: Noto Serif CJK SC */
    xa_pdf_align align;
    double indent_em;      /* first-line indent in characters (2 for 正文) */
    double space_after_mm; /* 0: 1.5; negative: none */
    double gray;           /* 0 black .. 1 white */
} xa_pdf_style;

/* A new empty document; title goes into the PDF metadata.  date is the
 * creation date written into the file ("YYYY-MM-DD", may be NULL for none),
 * so the same input gives the same bytes. */
xa_pdf *xa_pdf_new(const char *title, const char *date);
void xa_pdf_free(xa_pdf *pdf);

/* Text shown at the bottom left of every page, beside the page number
 * (e.g. the notice number); NULL for none. */
void xa_pdf_set_footer_note(xa_pdf *pdf, const char *text);

/* Finish the document and write it to `path` (mode 0600, like every file
 * xiaoan writes), never over an existing name unless flags has
 * XA_OUT_FORCE (fsutil.h: published with link(), or rename with it). */
xa_code xa_pdf_save(xa_pdf *pdf, const char *path, int flags, xa_err *err);
/* Finish the document into memory (appended to out). */
xa_code xa_pdf_render(xa_pdf *pdf, xa_buf *out, xa_err *err);
/* Pages so far (the last one may still be filling). */
int xa_pdf_pages(const xa_pdf *pdf);

/* ---- the flow ---- */

/* The document title: 18 pt bold serif, centred. */
void xa_pdf_title(xa_pdf *pdf, const char *text);
/* A paragraph that wraps and, if long, continues on the next page. */
void xa_pdf_text(xa_pdf *pdf, const char *text, const xa_pdf_style *st);
/* "label：value" on one wrapping paragraph, the label bold. */
void xa_pdf_field(xa_pdf *pdf, const char *label, const char *value, const xa_pdf_style *st);
/* Vertical space. */
void xa_pdf_space(xa_pdf *pdf, double mm);
/* A thin horizontal line across the text width. */
void xa_pdf_rule(xa_pdf *pdf);
/* Start a new page. */
void xa_pdf_page_break(xa_pdf *pdf);
/* Start a new page unless mm of height are left on this one. */
void xa_pdf_need(xa_pdf *pdf, double mm);
/* Height left on the current page, in mm. */
double xa_pdf_remaining(const xa_pdf *pdf);
/* The width of the text area, in mm (A4 minus margins). */
double xa_pdf_text_width(const xa_pdf *pdf);

/* ---- tables: rows wrap; a row that does not fit moves to the next page
 * and the header is repeated there; a row taller than a page is split ---- */

typedef struct xa_pdf_col {
    const char *head;      /* header text (bold, shaded) */
    double width;          /* relative width; the columns fill the text width */
    xa_pdf_align align;
} xa_pdf_col;

/* Begin a table of ncols columns (cols is copied); font_pt 0 means 9 pt. */
xa_pdf_table *xa_pdf_table_begin(xa_pdf *pdf, const xa_pdf_col *cols, size_t ncols,
                                 double font_pt);
/* One row of ncols cells (NULL cells are empty).  `extra`, when non-NULL,
 * is a line spanning all columns directly below the row, kept on the same
 * page as the row (e.g. 临时管控措施 under a major hazard). */
void xa_pdf_table_row(xa_pdf_table *t, const char *const *cells, const char *extra);
/* Rows at least this tall (mm), for blank rows people write into; 0 resets. */
void xa_pdf_table_min_height(xa_pdf_table *t, double mm);
/* End the table and free it. */
void xa_pdf_table_end(xa_pdf_table *t);

/* ---- images ---- */

/* Embed a JPEG as it is (no re-encoding: the PDF carries the same bytes),
 * width_mm wide (0: the text width, never wider), with an optional caption
 * below.  XA_EFORMAT when the bytes are not a baseline/progressive JPEG. */
xa_code xa_pdf_jpeg(xa_pdf *pdf, const void *data, size_t len, double width_mm,
                    const char *caption, xa_err *err);
/* One picture of a grid: JPEG or PNG bytes and a caption (may be NULL). */
typedef struct xa_pdf_image {
    const void *data;
    size_t len;
    const char *caption;
} xa_pdf_image;
/* Pictures two to a row, each scaled to fit half the text width and at most
 * max_h_mm high (0: 70), its caption centred below; a row never breaks over
 * a page.  A JPEG is embedded as it is (its bytes, DCTDecode); a PNG is
 * decoded and drawn; anything else (HEIC, no bytes) is a framed box saying
 * it cannot be shown (the caption says why).  The bytes are copied: callers may free them right after. */
void xa_pdf_images(xa_pdf *pdf, const xa_pdf_image *v, size_t n, double max_h_mm);
/* Width, height and colour components of a JPEG from its SOF marker. */
xa_code xa_jpeg_info(const void *data, size_t len, int *width, int *height, int *components,
                     xa_err *err);

/* ---- charts (for the period reports) ---- */

typedef struct xa_pdf_series {
    const char *name;      /* legend text */
    const double *values;  /* one per label */
} xa_pdf_series;

typedef struct xa_pdf_chart {
    const char *title;     /* above the chart, may be NULL */
    const char *unit;      /* y axis caption (e.g. "处"), may be NULL */
    const char *const *labels;   /* x categories */
    size_t nlabels;
    const xa_pdf_series *series;
    size_t nseries;
    double height_mm;      /* plot height; 0: 60 */
} xa_pdf_chart;

/* Grouped bars, one colour per series, axis with round ticks, legend. */
void xa_pdf_bar_chart(xa_pdf *pdf, const xa_pdf_chart *c);
/* Lines with markers, one per series, same axes and legend. */
void xa_pdf_line_chart(xa_pdf *pdf, const xa_pdf_chart *c);

#endif
