/* draw.c — putting text on the screen by display columns (utf8.h widths),
 * the two themes: colour, and monochrome (reverse/bold/underline only,
 * for vt100, the Linux console without colour, and NO_COLOR), and line
 * drawing.  Lines are never drawn with curses' ACS: those switch the
 * terminal's character set (smacs), which UTF-8 terminals such as PuTTY
 * ignore by default and which shows as "lqqqk".  With a UTF-8 locale and a
 * terminal whose terminfo has line drawing (acsc), the box characters are
 * written as text (─│┌┐└┘); otherwise ASCII (- | +). */
#include "tui_int.h"

#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int tui_utf8 = 1;
int tui_thin = 0;
int tui_mono;
int tui_lines = 1;

static attr_t roles[ROLE__COUNT];

/* Colour pairs: role → (fg, bg, extra attributes). */
static const struct {
    enum tui_role role;
    short fg, bg;
    attr_t extra;
    attr_t mono;
} theme[] = {
    {ROLE_NORMAL, -1, -1, 0, 0},
    {ROLE_TITLE, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE},
    {ROLE_STATUS, -1, -1, 0, 0},
    {ROLE_SELECTED, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
    {ROLE_HEADING, COLOR_BLUE, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    {ROLE_DIM, COLOR_CYAN, -1, 0, 0},
    {ROLE_PASS, COLOR_GREEN, -1, 0, 0},
    {ROLE_HAZARD, COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    {ROLE_MAJOR, COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    {ROLE_WARN, COLOR_RED, -1, A_BOLD, A_BOLD},
    {ROLE_SAVED, COLOR_GREEN, -1, 0, 0},
    {ROLE_UNSAVED, COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE},
    {ROLE_FIELD, -1, -1, A_UNDERLINE, A_UNDERLINE},
    {ROLE_KEY, -1, -1, A_BOLD, A_BOLD},
};

void tui_theme_init(void)
{
    const char *nc = getenv("NO_COLOR");
    tui_mono = (nc && *nc) || !has_colors();
    if (!tui_mono && start_color() != OK)
        tui_mono = 1;
    if (!tui_mono)
        use_default_colors();
    for (size_t i = 0; i < sizeof theme / sizeof theme[0]; i++) {
        enum tui_role r = theme[i].role;
        if (tui_mono) {
            roles[r] = theme[i].mono;
        } else if (theme[i].fg == -1 && theme[i].bg == -1) {
            roles[r] = theme[i].extra;
        } else {
            init_pair((short)(r + 1), theme[i].fg, theme[i].bg);
            roles[r] = COLOR_PAIR(r + 1) | theme[i].extra;
        }
    }
}

attr_t tui_attr(enum tui_role r)
{
    return roles[r];
}

/* Does the terminal's description have line drawing (acsc maps the corners
 * and both lines)?  A terminal without it has no box characters at all. */
static int terminal_has_lines(void)
{
    char *acsc = tigetstr("acsc");
    if (!acsc || acsc == (char *)-1)
        return 0;
    size_t n = strlen(acsc);
    for (const char *need = "lkmjqx"; *need; need++) {
        int found = 0;
        for (size_t i = 0; i + 1 < n && !found; i += 2)
            found = acsc[i] == *need;
        if (!found)
            return 0;
    }
    return 1;
}

void tui_lines_init(void)
{
    const char *env = getenv("XIAOAN_LINES");
    if (env && !strcmp(env, "ascii"))
        tui_lines = 0;
    else if (env && !strcmp(env, "unicode"))
        tui_lines = tui_utf8;
    else
        tui_lines = tui_utf8 && terminal_has_lines();
}

/* What to draw for a character without UTF-8 (ASCII only). */
static const char *ascii_for(uint32_t cp)
{
    switch (cp) {
    case 0x2026: return "..";  /* … */
    case 0x2014: return "--";  /* — */
    case 0x2500: return "-";   /* ─ */
    case 0x2502: return "|";
    case 0x2713: return "v";   /* ✓ */
    case 0x2192: return ">";   /* → */
    case 0x2190: return "<";
    case 0x2191: return "^";
    case 0x2193: return "v";
    case 0x00B7: return "..";  /* · (2 columns in our widths) */
    case 0x2588: return "#";   /* █ */
    case 0x2591: return ".";   /* ░ */
    case 0x201C: case 0x201D: return "\"\"";
    case 0x2018: case 0x2019: return "''";
    case 0x25B8: return ">";
    case 0x2265: return ">";   /* ≥ */
    case 0x2264: return "<";   /* ≤ */
    case 0x2013: return "-";   /* – */
    case 0x23CE: return "/";   /* ⏎ (a line break inside one line) */
    default: return NULL;
    }
}

/* s with each line break (\r\n, \n, \r) shown as ⏎, so that a note typed
 * on two lines reads as two parts of one line instead of "?" (a new
 * string), or NULL when s has none. */
static char *flatten_breaks(const char *s)
{
    if (!strpbrk(s, "\r\n"))
        return NULL;
    xa_buf b = XA_BUF_INIT;
    for (const char *p = s; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            continue;
        if (*p == '\r' || *p == '\n')
            xa_buf_puts(&b, "\xE2\x8F\x8E"); /* U+23CE ⏎ */
        else
            xa_buf_putc(&b, *p);
    }
    return xa_buf_steal(&b);
}

int tui_put(WINDOW *w, int y, int x, const char *s, int cols, attr_t attr)
{
    if (cols <= 0 || !s)
        return 0;
    char *flat = flatten_breaks(s);
    if (flat) {
        int n = tui_put(w, y, x, flat, cols, attr);
        free(flat);
        return n;
    }
    int maxy, maxx;
    getmaxyx(w, maxy, maxx);
    if (y < 0 || y >= maxy || x >= maxx)
        return 0;
    if (x + cols > maxx)
        cols = maxx - x;
    char *cut = xa_utf8_cut(s, (size_t)cols);
    size_t len = strlen(cut), i = 0;
    int col = 0;
    wattr_set(w, attr, PAIR_NUMBER(attr), NULL);
    while (i < len) {
        uint32_t cp;
        i += xa_utf8_decode(cut + i, len - i, &cp, NULL);
        int cw = xa_cp_width(cp);
        if (cw == 0)
            continue; /* combining marks: dropped rather than misplaced */
        if (col + cw > cols)
            break;
        if (cp < 0x80) {
            mvwaddch(w, y, x + col, (chtype)cp);
        } else if (!tui_utf8) {
            const char *a = ascii_for(cp);
            for (int k = 0; k < cw; k++)
                mvwaddch(w, y, x + col + k, (chtype)(a && a[k] ? a[k] : (a ? ' ' : '?')));
        } else {
            int tw = wcwidth((wchar_t)cp);
            wchar_t wc[2] = {(wchar_t)cp, 0};
            if (tw < 0 || tw > cw) {
                /* The terminal would draw it wider than we measured: never overflow. */
                for (int k = 0; k < cw; k++)
                    mvwaddch(w, y, x + col + k, '?');
            } else {
                for (int k = tw; k < cw; k++)
                    mvwaddch(w, y, x + col + k, ' ');
                mvwaddnwstr(w, y, x + col, wc, 1);
            }
        }
        col += cw;
    }
    wattr_set(w, A_NORMAL, 0, NULL);
    free(cut);
    return col;
}

void tui_put_pad(WINDOW *w, int y, int x, const char *s, int cols, attr_t attr)
{
    int used = tui_put(w, y, x, s, cols, attr);
    if (used < cols)
        tui_fill(w, y, x + used, cols - used, attr);
}

int tui_putf(WINDOW *w, int y, int x, int cols, attr_t attr, const char *fmt, ...)
{
    xa_buf b = XA_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    xa_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    int used = tui_put(w, y, x, b.data ? b.data : "", cols, attr);
    xa_buf_clear(&b);
    return used;
}

int tui_para(WINDOW *w, int y, int x, const char *s, int cols, int maxrows, attr_t attr)
{
    if (cols <= 0 || maxrows <= 0 || !s)
        return 0;
    size_t n = 0;
    char **lines = xa_utf8_wrap(s, (size_t)cols, &n);
    int rows = 0;
    for (size_t i = 0; i < n && rows < maxrows; i++, rows++) {
        if (rows == maxrows - 1 && i + 1 < n) {
            /* Last row that fits but more follows: end it with "…". */
            char *more = xa_asprintf("%s……", lines[i]);
            tui_put(w, y + rows, x, more, cols, attr);
            free(more);
        } else {
            tui_put(w, y + rows, x, lines[i], cols, attr);
        }
    }
    xa_lines_free(lines);
    return rows;
}

void tui_fill(WINDOW *w, int y, int x, int cols, attr_t attr)
{
    wattr_set(w, attr, PAIR_NUMBER(attr), NULL);
    for (int i = 0; i < cols; i++)
        mvwaddch(w, y, x + i, ' ');
    wattr_set(w, A_NORMAL, 0, NULL);
}

attr_t tui_sel_attr(int sel)
{
    return sel && !tui_thin ? tui_attr(ROLE_SELECTED) : A_NORMAL;
}

/* A plain character, no attribute: a move costs the two marker cells and
 * nothing else on a thin link (bold would add two attribute changes). */
void tui_mark(WINDOW *w, int y, int x, int sel)
{
    if (tui_thin)
        mvwaddch(w, y, x, sel ? '>' : ' ');
}

void tui_hrule(WINDOW *w, int y, int x, int cols, attr_t attr)
{
    wattr_set(w, attr, PAIR_NUMBER(attr), NULL);
    if (tui_lines) {
        static const wchar_t h[2] = {0x2500, 0};
        for (int i = 0; i < cols; i++)
            mvwaddnwstr(w, y, x + i, h, 1);
    } else {
        for (int i = 0; i < cols; i++)
            mvwaddch(w, y, x + i, '-');
    }
    wattr_set(w, A_NORMAL, 0, NULL);
}

void tui_bar(WINDOW *w, int y, int x, int cols, int done, int total)
{
    if (cols <= 0)
        return;
    int full = total > 0 ? (int)((long)done * cols / total) : 0;
    for (int i = 0; i < cols; i++) {
        if (tui_lines) {
            wchar_t c[2] = {i < full ? 0x2588 : 0x2591, 0};
            mvwaddnwstr(w, y, x + i, c, 1);
        } else {
            mvwaddch(w, y, x + i, i < full ? '#' : '.');
        }
    }
}

/* One line-drawing character at (y, x): the box character as text, or ASCII. */
static void line_char(WINDOW *w, int y, int x, wchar_t uni, char ascii)
{
    if (tui_lines) {
        wchar_t c[2] = {uni, 0};
        mvwaddnwstr(w, y, x, c, 1);
    } else {
        mvwaddch(w, y, x, (chtype)ascii);
    }
}

void tui_box(WINDOW *w)
{
    int rows, cols;
    getmaxyx(w, rows, cols);
    if (rows < 2 || cols < 2)
        return;
    for (int x = 1; x < cols - 1; x++) {
        line_char(w, 0, x, 0x2500, '-');
        line_char(w, rows - 1, x, 0x2500, '-');
    }
    for (int y = 1; y < rows - 1; y++) {
        line_char(w, y, 0, 0x2502, '|');
        line_char(w, y, cols - 1, 0x2502, '|');
    }
    line_char(w, 0, 0, 0x250C, '+');
    line_char(w, 0, cols - 1, 0x2510, '+');
    line_char(w, rows - 1, 0, 0x2514, '+');
    /* The last cell of a window: curses cannot move past it, which is fine. */
    line_char(w, rows - 1, cols - 1, 0x2518, '+');
}
