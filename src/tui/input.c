/* input.c — the text input widget.  Text is edited as wchar_t (one element
 * per character, so Backspace removes a character, never a byte); the
 * cursor and scrolling are measured in display columns with the widths of
 * utf8.h, so Chinese from an input method (which get_wch delivers as wide
 * characters) lines up.  Single-line fields scroll sideways; multi-line
 * fields wrap at the field's width and scroll by rows. */
#include "tui_int.h"

#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

void tinput_init(struct tinput *t, int multiline, size_t maxlen)
{
    memset(t, 0, sizeof *t);
    t->multiline = multiline;
    t->maxlen = maxlen && maxlen < TINPUT_MAX ? maxlen : TINPUT_MAX;
}

void tinput_free(struct tinput *t)
{
    if (t->buf && t->secret)
        sodium_memzero(t->buf, t->cap * sizeof *t->buf);
    free(t->buf);
    t->buf = NULL;
    t->len = t->cap = t->cur = 0;
}

void tinput_wipe(struct tinput *t)
{
    if (t->buf)
        sodium_memzero(t->buf, t->cap * sizeof *t->buf);
    t->len = t->cur = 0;
    t->hscroll = t->top = 0;
}

/* Room for `extra` more characters (plus a terminating 0). */
static void reserve(struct tinput *t, size_t extra)
{
    if (t->len + extra + 1 <= t->cap)
        return;
    size_t cap = t->cap ? t->cap : 32;
    while (cap < t->len + extra + 1)
        cap *= 2;
    wchar_t *nb = xa_malloc(cap * sizeof *nb);
    if (t->buf) {
        memcpy(nb, t->buf, t->len * sizeof *nb);
        if (t->secret)
            sodium_memzero(t->buf, t->cap * sizeof *t->buf);
        free(t->buf);
    }
    t->buf = nb;
    t->cap = cap;
}

void tinput_set(struct tinput *t, const char *utf8)
{
    t->len = t->cur = 0;
    t->hscroll = t->top = 0;
    size_t n = utf8 ? strlen(utf8) : 0, i = 0;
    reserve(t, n); /* never more characters than bytes */
    while (i < n && t->len < t->maxlen) {
        uint32_t cp;
        i += xa_utf8_decode(utf8 + i, n - i, &cp, NULL);
        t->buf[t->len++] = (wchar_t)cp;
    }
    t->cur = t->len;
}

char *tinput_get(const struct tinput *t)
{
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "");
    for (size_t i = 0; i < t->len; i++) {
        char enc[4];
        xa_buf_add(&b, enc, xa_utf8_encode((uint32_t)t->buf[i], enc));
    }
    return xa_buf_steal(&b);
}

static int wc_width(wchar_t c)
{
    return c == L'\n' ? 0 : xa_cp_width((uint32_t)c);
}

/* Insert one character at the cursor. */
static int insert(struct tinput *t, wchar_t c)
{
    if (t->len >= t->maxlen)
        return 1; /* full: swallow, like a terminal line that beeps */
    reserve(t, 1);
    memmove(t->buf + t->cur + 1, t->buf + t->cur, (t->len - t->cur) * sizeof *t->buf);
    t->buf[t->cur++] = c;
    t->len++;
    t->changed = 1;
    return 1;
}

/* Delete characters [from, to). */
static void delete_range(struct tinput *t, size_t from, size_t to)
{
    if (from >= to || to > t->len)
        return;
    memmove(t->buf + from, t->buf + to, (t->len - to) * sizeof *t->buf);
    t->len -= to - from;
    if (t->cur > to)
        t->cur -= to - from;
    else if (t->cur > from)
        t->cur = from;
    t->changed = 1;
}

/* Start and end of the logical line around the cursor. */
static size_t line_start(const struct tinput *t)
{
    size_t i = t->cur;
    while (i > 0 && t->buf[i - 1] != L'\n')
        i--;
    return i;
}

static size_t line_end(const struct tinput *t)
{
    size_t i = t->cur;
    while (i < t->len && t->buf[i] != L'\n')
        i++;
    return i;
}

/* One step of the layout walk: the row and column after character k at `cols` (a newline
 * ends the row, a character that does not fit starts the next one). */
static void advance(const struct tinput *t, int cols, size_t k, int *r, int *c)
{
    if (t->buf[k] == L'\n') {
        (*r)++;
        *c = 0;
        return;
    }
    int w = wc_width(t->buf[k]);
    if (*c + w > cols) {
        (*r)++;
        *c = 0;
    }
    *c += w;
}

/* The visual layout of multi-line text at `cols`: row and column of
 * character index i (i == len gives the cursor's place at the end). */
static void locate(const struct tinput *t, int cols, size_t i, int *row, int *col)
{
    int r = 0, c = 0;
    for (size_t k = 0; k < i && k < t->len; k++)
        advance(t, cols, k, &r, &c);
    if (c >= cols && cols > 0 && i > 0) {
        r++;
        c = 0;
    }
    *row = r;
    *col = c;
}

/* The index whose place is on `row` nearest to (not right of) column `col`;
 * one pass, the same walk as locate(). */
static size_t index_at(const struct tinput *t, int cols, int row, int col)
{
    int r = 0, c = 0, found = 0;
    size_t best = t->len;
    for (size_t k = 0;; k++) {
        int pr = r, pc = c;
        if (pc >= cols && k > 0) {
            pr++;
            pc = 0;
        }
        if (pr == row && (pc <= col || !found)) {
            best = k;
            found = 1;
        }
        if (pr > row || k >= t->len)
            break;
        advance(t, cols, k, &r, &c);
    }
    return best;
}

int tinput_rows(const struct tinput *t, int cols)
{
    if (cols <= 0)
        return 1;
    int r, c;
    locate(t, cols, t->len, &r, &c);
    return r + 1;
}

/* Ctrl-W: delete spaces, then one word, before the cursor.  A run of
 * Chinese characters counts as a word, as does a run of Latin letters. */
static void delete_word(struct tinput *t)
{
    size_t i = t->cur;
    while (i > 0 && iswspace((wint_t)t->buf[i - 1]))
        i--;
    if (i > 0) {
        int wide = wc_width(t->buf[i - 1]) == 2;
        while (i > 0 && !iswspace((wint_t)t->buf[i - 1]) && (wc_width(t->buf[i - 1]) == 2) == wide)
            i--;
    }
    delete_range(t, i, t->cur);
}

int tinput_key(struct tinput *t, const struct tui_key *k)
{
    if (!k->is_key) {
        wint_t c = k->ch;
        switch (c) {
        case 127:
        case 8: /* Backspace */
            if (t->cur > 0)
                delete_range(t, t->cur - 1, t->cur);
            return 1;
        case 1: /* Ctrl-A */
            t->cur = line_start(t);
            return 1;
        case 5: /* Ctrl-E */
            t->cur = line_end(t);
            return 1;
        case 2: /* Ctrl-B */
            if (t->cur > 0)
                t->cur--;
            return 1;
        case 6: /* Ctrl-F */
            if (t->cur < t->len)
                t->cur++;
            return 1;
        case 4: /* Ctrl-D */
            if (t->cur < t->len)
                delete_range(t, t->cur, t->cur + 1);
            return 1;
        case 21: /* Ctrl-U */
            delete_range(t, line_start(t), t->cur);
            return 1;
        case 11: /* Ctrl-K */
            delete_range(t, t->cur, line_end(t));
            return 1;
        case 23: /* Ctrl-W */
            delete_word(t);
            return 1;
        case '\r':
        case '\n':
            if (t->multiline)
                return insert(t, L'\n');
            return 0;
        default:
            break;
        }
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
            return 0; /* other control keys are the caller's */
        return insert(t, (wchar_t)c);
    }
    switch (k->code & ~KF) {
    case KEY_BACKSPACE:
        if (t->cur > 0)
            delete_range(t, t->cur - 1, t->cur);
        return 1;
    case KEY_DC:
        if (t->cur < t->len)
            delete_range(t, t->cur, t->cur + 1);
        return 1;
    case KEY_LEFT:
        if (t->cur > 0)
            t->cur--;
        return 1;
    case KEY_RIGHT:
        if (t->cur < t->len)
            t->cur++;
        return 1;
    case KEY_HOME:
        t->cur = line_start(t);
        return 1;
    case KEY_END:
        t->cur = line_end(t);
        return 1;
    case KEY_UP:
    case KEY_DOWN: {
        int cols = t->width;
        if (!t->multiline || cols <= 0)
            return 0;
        int r, c, rows = tinput_rows(t, cols);
        locate(t, cols, t->cur, &r, &c);
        int want = (k->code & ~KF) == KEY_UP ? r - 1 : r + 1;
        if (want < 0 || want >= rows)
            return 0; /* at the edge: the caller moves to the next field */
        t->cur = index_at(t, cols, want, c);
        return 1;
    }
    case KEY_ENTER:
        if (t->multiline)
            return insert(t, L'\n');
        return 0;
    default:
        return 0;
    }
}

void tinput_draw(struct tinput *t, WINDOW *w, int y, int x, int rows, int cols, int focused,
                 attr_t attr, int *cy, int *cx)
{
    if (rows <= 0 || cols <= 0)
        return;
    for (int r = 0; r < rows; r++)
        tui_fill(w, y + r, x, cols, attr);
    if (t->secret) {
        if (cy)
            *cy = y, *cx = x;
        return;
    }
    char one[8];
    if (!t->multiline) {
        /* Single line: scroll so the cursor's column is visible. */
        int curcol = 0;
        for (size_t i = 0; i < t->cur; i++)
            curcol += wc_width(t->buf[i]);
        if (curcol < t->hscroll)
            t->hscroll = curcol;
        if (curcol >= t->hscroll + cols)
            t->hscroll = curcol - cols + 1;
        int col = 0;
        for (size_t i = 0; i < t->len; i++) {
            int cw = wc_width(t->buf[i]);
            if (col >= t->hscroll && col + cw <= t->hscroll + cols) {
                one[xa_utf8_encode((uint32_t)t->buf[i], one)] = '\0';
                tui_put(w, y, x + col - t->hscroll, one, cw ? cw : 1, attr);
            } else if (col < t->hscroll && col + cw > t->hscroll) {
                tui_put(w, y, x, "<", 1, attr); /* a wide character cut at the left edge */
            }
            col += cw;
            if (col >= t->hscroll + cols)
                break;
        }
        if (focused && cy) {
            *cy = y;
            *cx = x + curcol - t->hscroll;
        }
        return;
    }
    /* Multi-line: wrap at cols; keep the cursor's row visible. */
    t->width = cols;
    int crow, ccol;
    locate(t, cols, t->cur, &crow, &ccol);
    if (crow < t->top)
        t->top = crow;
    if (crow >= t->top + rows)
        t->top = crow - rows + 1;
    int r = 0, c = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (t->buf[i] == L'\n') {
            r++;
            c = 0;
            continue;
        }
        int cw = wc_width(t->buf[i]);
        if (c + cw > cols) {
            r++;
            c = 0;
        }
        if (r >= t->top + rows)
            break;
        if (r >= t->top) {
            one[xa_utf8_encode((uint32_t)t->buf[i], one)] = '\0';
            tui_put(w, y + r - t->top, x + c, one, cw ? cw : 1, attr);
        }
        c += cw;
    }
    if (focused && cy) {
        *cy = y + crow - t->top;
        *cx = x + (ccol < cols ? ccol : cols - 1);
    }
}
