/* csvtab.c — the CSV table reader shared by the forms index, the forms and
 * the school roster, and the problem list they report into (csvtab.h).
 *
 * libcsv does the RFC 4180 work (strict mode, so a stray quote is an error
 * rather than silently kept).  It does not count lines, so the input is
 * fed one physical line at a time: whenever libcsv reports a field or the
 * end of a row we know which line we are on.  A row starts on the first
 * line after the previous row that has anything but white space; a field
 * starts on the row's line plus the line ends inside the fields before it
 * (outside quotes a line end ends the row). */
#include "xiaoan/csvtab.h"

#include "xiaoan/i18n.h"
#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- problems ---------------------------------------------------------- */

/* Release every problem. */
void xa_problems_clear(xa_problems *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].file);
        free(p->v[i].msg);
    }
    free(p->v);
    p->v = NULL;
    p->n = p->alloc = p->dropped = 0;
}

/* Record one problem, or count it when the list is full.  The message is
 * put in the user's language here (fmt is a msgid, like xa_fail's), so
 * an office checking a roster or forms reads the problems in Chinese. */
void xa_problem_add(xa_problems *p, const char *file, size_t line, size_t col, const char *fmt, ...)
{
    if (!p)
        return;
    size_t limit = p->limit ? p->limit : XA_PROBLEMS_LIMIT;
    if (p->n >= limit) {
        p->dropped++;
        return;
    }
    xa_buf b = XA_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    xa_buf_vprintf(&b, xa_tr(fmt), ap);
    va_end(ap);
    if (p->n == p->alloc) {
        p->alloc = p->alloc ? p->alloc * 2 : 16;
        p->v = xa_reallocarray(p->v, p->alloc, sizeof *p->v);
    }
    xa_problem *pr = &p->v[p->n++];
    pr->file = xa_strdup(file ? file : "-");
    pr->line = line ? line : 1;
    pr->col = col ? col : 1;
    pr->msg = xa_utf8_sanitize(b.data ? b.data : "", b.len, 0);
    xa_buf_clear(&b);
}

/* Problems recorded, the dropped ones included. */
size_t xa_problems_count(const xa_problems *p)
{
    return p ? p->n + p->dropped : 0;
}

/* "FILE:LINE:COLUMN: message". */
char *xa_problem_str(const xa_problem *pr)
{
    return xa_asprintf("%s:%zu:%zu: %s", pr->file, pr->line, pr->col, pr->msg);
}

/* Sort problems by file, line, column (insertion sort: stable, and there are
 * at most a few hundred). */
void xa_problems_sort(xa_problems *p, size_t from)
{
    for (size_t i = from + 1; i < p->n; i++) {
        xa_problem x = p->v[i];
        size_t j = i;
        while (j > from) {
            const xa_problem *y = &p->v[j - 1];
            int c = strcmp(y->file, x.file);
            if (c < 0 || (c == 0 && (y->line < x.line || (y->line == x.line && y->col <= x.col))))
                break;
            p->v[j] = p->v[j - 1];
            j--;
        }
        p->v[j] = x;
    }
}

/* Summarise the problems from index `from` on into err. */
xa_code xa_problems_fail(const xa_problems *p, size_t from, xa_err *err)
{
    size_t total = xa_problems_count(p);
    if (!p || total <= from)
        return xa_fail(err, XA_EFORMAT, NULL);
    size_t more = total - from - 1;
    if (from >= p->n)
        return xa_fail(err, XA_EFORMAT, "%zu more problems beyond the %zu kept", total - from,
                       p->n);
    char *first = xa_problem_str(&p->v[from]);
    if (more)
        xa_fail(err, XA_EFORMAT, "%s (and %zu more problem%s)", first, more, more == 1 ? "" : "s");
    else
        xa_fail(err, XA_EFORMAT, "%s", first);
    free(first);
    return XA_EFORMAT;
}

/* ---- the reader -------------------------------------------------------- */

struct reader {
    const char *file;
    const xa_csv_col *cols;
    size_t ncols;
    unsigned flags;
    xa_csv_row_fn fn;
    void *ctx;
    xa_problems *probs;
    xa_csv_stats *st;
    struct csv_parser p;
    /* the row being read */
    char **f;
    size_t *flen;
    size_t nf, af;
    int overflow;  /* more than XA_CSV_FIELDS_MAX fields */
    int pending;   /* a row has begun and not yet ended */
    size_t line;   /* physical line being fed */
    size_t row_line;
    /* the header */
    int have_header;
    size_t hdr_n;
    long *map;     /* field index -> column spec index, or -1 */
};

#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)

/* libcsv field callback: keep a copy of the raw field. */
static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->nf >= XA_CSV_FIELDS_MAX) {
        r->overflow = 1;
        return;
    }
    if (r->nf == r->af) {
        r->af = r->af ? r->af * 2 : 16;
        r->f = xa_reallocarray(r->f, r->af, sizeof *r->f);
        r->flen = xa_reallocarray(r->flen, r->af, sizeof *r->flen);
    }
    /* Copied with memcpy: a NUL byte inside must survive to be reported. */
    if (!s)
        len = 0;
    r->f[r->nf] = xa_malloc(len + 1);
    if (len)
        memcpy(r->f[r->nf], s, len);
    r->f[r->nf][len] = '\0';
    r->flen[r->nf] = len;
    r->nf++;
}

/* Forget the fields of the current row. */
static void clear_row(struct reader *r)
{
    for (size_t i = 0; i < r->nf; i++)
        free(r->f[i]);
    r->nf = 0;
    r->overflow = 0;
    r->pending = 0;
}

/* Line ends inside a raw field: LF, CRLF and a lone CR each count one. */
static size_t count_lines(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
            n++;
    return n;
}

/* Trim ASCII white space at both ends and turn CRLF / CR into LF, in place;
 * returns the new length. */
static size_t normalise(char *s, size_t len)
{
    size_t a = 0, b = len;
    while (a < b && strchr(" \t\r\n", s[a]) && s[a])
        a++;
    while (b > a && strchr(" \t\r\n", s[b - 1]) && s[b - 1])
        b--;
    size_t o = 0;
    for (size_t i = a; i < b; i++) {
        if (s[i] == '\r') {
            s[o++] = '\n';
            if (i + 1 < b && s[i + 1] == '\n')
                i++;
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

/* The first control character (other than tab and newline) in s, as its
 * offset + 1; 0 when there is none. */
static size_t control_at(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
            return i + 1;
    }
    return 0;
}

/* Is s free of control characters? */
int xa_csv_text_ok(const char *s)
{
    return control_at(s, strlen(s)) == 0;
}

/* Is the field fit to keep?  Records a problem when not. */
static int field_ok(struct reader *r, const char *s, size_t len, size_t line, size_t col)
{
    size_t bad;
    if (len > XA_CSV_FIELD_MAX) {
        xa_problem_add(r->probs, r->file, line, col, "field is longer than %d bytes",
                       XA_CSV_FIELD_MAX);
        return 0;
    }
    if (!xa_utf8_valid(s, len, &bad)) {
        xa_problem_add(r->probs, r->file, line, col,
                       "invalid UTF-8 at byte %zu of the field (save the file as \"CSV UTF-8\")",
                       bad + 1);
        return 0;
    }
    size_t at = control_at(s, len);
    if (at) {
        xa_problem_add(r->probs, r->file, line, col, "control character 0x%02x in the field",
                       (unsigned char)s[at - 1]);
        return 0;
    }
    return 1;
}

/* The names of the columns as "a, b, c" for a message. */
static char *column_list(const struct reader *r)
{
    xa_buf b = XA_BUF_INIT;
    for (size_t c = 0; c < r->ncols; c++)
        xa_buf_printf(&b, "%s%s", c ? ", " : "", r->cols[c].name);
    return xa_buf_steal(&b);
}

/* Match the header fields to the column spec. */
static void read_header(struct reader *r, const size_t *lines)
{
    char shown[160];
    r->have_header = 1;
    r->st->header_line = r->row_line;
    r->hdr_n = r->nf;
    r->map = xa_calloc(r->nf ? r->nf : 1, sizeof *r->map);
    size_t *seen = xa_calloc(r->ncols, sizeof *seen);
    for (size_t i = 0; i < r->nf; i++) {
        r->map[i] = -1;
        const char *name = r->f[i];
        long hit = -1;
        for (size_t c = 0; c < r->ncols; c++)
            if (!strcasecmp(name, r->cols[c].name))
                hit = (long)c;
        if (!*name) {
            xa_problem_add(r->probs, r->file, lines[i], i + 1, "column has no name");
        } else if (hit < 0) {
            char *list = column_list(r);
            xa_problem_add(r->probs, r->file, lines[i], i + 1,
                           "unknown column '%s' (known columns: %s)",
                           xa_csv_show(name, shown, sizeof shown), list);
            free(list);
        } else if (seen[hit]) {
            xa_problem_add(r->probs, r->file, lines[i], i + 1,
                           "column '%s' appears twice (also column %zu)", r->cols[hit].name,
                           seen[hit]);
        } else {
            seen[hit] = i + 1;
            r->map[i] = hit;
        }
    }
    if (r->overflow)
        xa_problem_add(r->probs, r->file, r->row_line, XA_CSV_FIELDS_MAX + 1,
                       "more than %d columns", XA_CSV_FIELDS_MAX);
    for (size_t c = 0; c < r->ncols; c++)
        if (r->cols[c].required && !seen[c])
            xa_problem_add(r->probs, r->file, r->row_line, 1, "missing required column '%s'",
                           r->cols[c].name);
    free(seen);
}

/* Check one data row and hand it to the caller. */
static void read_data(struct reader *r, const size_t *lines)
{
    r->st->rows++;
    if (r->overflow || r->nf != r->hdr_n) {
        size_t n = r->overflow ? XA_CSV_FIELDS_MAX + 1 : r->nf;
        xa_problem_add(r->probs, r->file, r->row_line, n < r->hdr_n ? n + 1 : r->hdr_n + 1,
                       r->overflow ? N_("row has over %zu fields but the header has %zu")
                                   : N_("row has %zu fields but the header has %zu"),
                       r->overflow ? (size_t)XA_CSV_FIELDS_MAX : n, r->hdr_n);
        return;
    }
    int ok = 1;
    for (size_t i = 0; i < r->nf; i++)
        ok &= field_ok(r, r->f[i], r->flen[i], lines[i], i + 1);
    if (!ok)
        return;
    const char **val = xa_calloc(r->ncols, sizeof *val);
    size_t *col = xa_calloc(r->ncols, sizeof *col);
    size_t *cl = xa_calloc(r->ncols, sizeof *cl);
    for (size_t i = 0; i < r->nf; i++) {
        if (r->map[i] < 0)
            continue;
        val[r->map[i]] = r->f[i];
        col[r->map[i]] = i + 1;
        cl[r->map[i]] = lines[i];
    }
    xa_csv_row row = {r->file, r->probs, r->row_line, val, col, cl};
    r->fn(r->ctx, &row);
    free(val);
    free(col);
    free(cl);
}

/* The end of a row: normalise its fields, then treat it as a comment, the
 * header or data. */
static void end_row(struct reader *r)
{
    if (!r->nf && !r->overflow) {
        clear_row(r);
        return;
    }
    if (!r->row_line)
        r->row_line = r->line;
    size_t *lines = xa_calloc(r->nf ? r->nf : 1, sizeof *lines);
    size_t at = r->row_line;
    int empty = 1;
    for (size_t i = 0; i < r->nf; i++) {
        lines[i] = at;
        at += count_lines(r->f[i], r->flen[i]);
        r->flen[i] = normalise(r->f[i], r->flen[i]);
        if (r->flen[i])
            empty = 0;
    }
    int comment = !r->have_header && (r->flags & XA_CSV_COMMENTS) && r->nf && r->f[0][0] == '#';
    if ((!empty || r->overflow) && !comment) {
        if (r->have_header)
            read_data(r, lines);
        else
            read_header(r, lines);
    }
    free(lines);
    clear_row(r);
    r->row_line = 0;
}

/* libcsv end-of-row callback. */
static void on_row(int c, void *data)
{
    (void)c;
    end_row(data);
}

/* The line on which the field being read started. */
static size_t open_field_line(const struct reader *r)
{
    size_t at = r->row_line ? r->row_line : r->line;
    for (size_t i = 0; i < r->nf; i++)
        at += count_lines(r->f[i], r->flen[i]);
    return at;
}

/* Does s (len bytes) hold anything but white space? */
static int has_text(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r\n", s[i]) || !s[i])
            return 1;
    return 0;
}

/* Does the line begin with '#' after white space? */
static int is_comment_line(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i < len && s[i] == '#';
}

/* Feed one physical line (with its line end) to libcsv. */
static void feed_line(struct reader *r, const char *s, size_t len)
{
    if (!r->pending) {
        if (!r->have_header && (r->flags & XA_CSV_COMMENTS) && is_comment_line(s, len))
            return;
        if (has_text(s, len)) {
            r->pending = 1;
            r->row_line = r->line;
        }
    }
    size_t used = csv_parse(&r->p, s, len, on_field, on_row, r);
    if (used < len) {
        int e = csv_error(&r->p);
        if (e == CSV_EPARSE)
            xa_problem_add(r->probs, r->file, r->line, r->nf + 1,
                           "misplaced quote: quote the whole field and double any quote inside it");
        else
            xa_problem_add(r->probs, r->file, r->line, r->nf + 1, "cannot parse: %s",
                           csv_strerror(e));
        if (r->have_header)
            r->st->rows++;
        /* Start afresh on the next line. */
        csv_free(&r->p);
        csv_init(&r->p, CSV_OPTS);
        clear_row(r);
        r->row_line = 0;
    }
}

/* Read a table: split into physical lines, feed them, finish. */
void xa_csv_read(const char *file, const char *bytes, size_t len, const xa_csv_col *cols,
                 size_t ncols, unsigned flags, xa_csv_row_fn fn, void *ctx, xa_problems *probs,
                 xa_csv_stats *stats)
{
    xa_csv_stats dummy = {0};
    struct reader r;
    memset(&r, 0, sizeof r);
    r.file = file;
    r.cols = cols;
    r.ncols = ncols;
    r.flags = flags;
    r.fn = fn;
    r.ctx = ctx;
    r.probs = probs;
    r.st = stats ? stats : &dummy;
    r.st->header_line = 0;
    r.st->rows = 0;
    r.line = 1;
    if (len >= 2 && (((unsigned char)bytes[0] == 0xff && (unsigned char)bytes[1] == 0xfe) ||
                     ((unsigned char)bytes[0] == 0xfe && (unsigned char)bytes[1] == 0xff))) {
        xa_problem_add(probs, file, 1, 1, "file is UTF-16; save it as \"CSV UTF-8\"");
        return;
    }
    if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3)) {
        bytes += 3;
        len -= 3;
    }
    csv_init(&r.p, CSV_OPTS);
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && bytes[end] != '\n' &&
               !(bytes[end] == '\r' && (end + 1 == len || bytes[end + 1] != '\n')))
            end++;
        int eol = end < len;
        if (eol)
            end++;
        feed_line(&r, bytes + pos, end - pos);
        r.line += eol;
        pos = end;
    }
    if (csv_fini(&r.p, on_field, on_row, &r) != 0) {
        xa_problem_add(probs, file, open_field_line(&r), r.nf + 1,
                       "quoted field is never closed (a '\"' is missing)");
        if (r.have_header)
            r.st->rows++;
        clear_row(&r);
    }
    csv_free(&r.p);
    if (!r.have_header)
        xa_problem_add(probs, file, 1, 1, "file is empty (no header row)");
    clear_row(&r);
    free(r.f);
    free(r.flen);
    free(r.map);
}

/* Column c of row, "" when absent. */
const char *xa_csv_val(const xa_csv_row *row, size_t c)
{
    return row->val[c] ? row->val[c] : "";
}

/* A problem at column c of row (fmt a msgid, translated here). */
void xa_csv_problem(const xa_csv_row *row, size_t c, const char *fmt, ...)
{
    xa_buf b = XA_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    xa_buf_vprintf(&b, xa_tr(fmt), ap);
    va_end(ap);
    size_t line = row->col[c] ? row->lines[c] : row->line;
    xa_problem_add(row->probs, row->file, line, row->col[c], "%s", b.data ? b.data : "");
    xa_buf_clear(&b);
}

/* A value fit to quote in a message. */
const char *xa_csv_show(const char *s, char *buf, size_t size)
{
    char *cut = xa_utf8_cut(s, 40);
    snprintf(buf, size, "%s", cut);
    free(cut);
    return buf;
}

/* A whole number 0..max in ASCII digits. */
int xa_csv_count(const char *s, long max, long *out)
{
    long v = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
        if (v > max)
            return 0;
    }
    *out = v;
    return 1;
}

struct xa_csv_key {
    char *key;
    size_t line, col, order;
};

/* Remember a key and where it was. */
void xa_csv_keys_add(xa_csv_keys *k, const char *key, size_t line, size_t col)
{
    if (k->n == k->alloc) {
        k->alloc = k->alloc ? k->alloc * 2 : 64;
        k->v = xa_reallocarray(k->v, k->alloc, sizeof *k->v);
    }
    k->v[k->n] = (struct xa_csv_key){xa_strdup(key), line, col, k->n};
    k->n++;
}

/* qsort order of keys: by key, then by appearance. */
static int key_cmp(const void *a, const void *b)
{
    const struct xa_csv_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Report the repeats, then empty the list. */
void xa_csv_keys_check(xa_csv_keys *k, const char *file, const char *what, xa_problems *probs)
{
    if (k->n)
        qsort(k->v, k->n, sizeof *k->v, key_cmp);
    size_t first = 0;
    for (size_t i = 1; i < k->n; i++) {
        if (strcmp(k->v[first].key, k->v[i].key) != 0) {
            first = i;
            continue;
        }
        xa_problem_add(probs, file, k->v[i].line, k->v[i].col, "duplicate %s '%s' (first on line %zu)",
                       xa_tr(what), k->v[i].key, k->v[first].line);
    }
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i].key);
    free(k->v);
    k->v = NULL;
    k->n = k->alloc = 0;
}

/* GB18030 ("ANSI" CSV from Excel/WPS on a Chinese Windows) to UTF-8. */
int xa_csv_from_gb18030(const char *bytes, size_t len, xa_buf *out)
{
    size_t bad;
    if (xa_utf8_valid(bytes, len, &bad))
        return 0;
    /* UTF-16 has its own message in the reader. */
    if (len >= 2 && (((unsigned char)bytes[0] == 0xff && (unsigned char)bytes[1] == 0xfe) ||
                     ((unsigned char)bytes[0] == 0xfe && (unsigned char)bytes[1] == 0xff)))
        return 0;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return 0;
    xa_buf b = XA_BUF_INIT;
    size_t room = len * 2 + 16; /* a GB18030 character never grows past 2x */
    xa_buf_reserve(&b, room);
    char *in = (char *)bytes, *o = (char *)b.data;
    size_t inleft = len, outleft = room;
    size_t r = iconv(cd, &in, &inleft, &o, &outleft);
    int ok = r != (size_t)-1 && inleft == 0;
    if (ok)
        ok = iconv(cd, NULL, NULL, &o, &outleft) != (size_t)-1;
    iconv_close(cd);
    if (!ok) {
        xa_buf_clear(&b);
        return 0;
    }
    b.len = room - outleft;
    if (!xa_utf8_valid(b.data, b.len, &bad)) {
        xa_buf_clear(&b);
        return 0;
    }
    b.data[b.len] = '\0'; /* reserve keeps room for it */
    xa_buf_clear(out);
    *out = b;
    return 1;
}
