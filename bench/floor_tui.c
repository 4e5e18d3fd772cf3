/* floor_tui.c — the floor of the TUI figures: the smallest ncursesw program
 * that does what the checklist does on a cursor move — a list of the form's
 * lines (code and text, Chinese) with a title, a highlighted row, ↑/↓
 * (and j/k) moving it, the list scrolling under it — drawn the usual curses
 * way (the visible rows into stdscr, one refresh per key; curses sends only
 * what changed).  bench_tui drives it under the same pseudo-terminal as
 * xiaoan, so CPU per key, bytes per cursor move, time to first frame and
 * RSS have a floor measured in the same run.
 *
 * usage: floor_tui FORM.csv   (q quits) */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static wchar_t **lines;
static int nlines;

static void load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    char buf[8192];
    int cap = 0;
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\n")] = '\0';
        /* section,code,type,text,... -> "code  text" */
        char *p = buf, *field[5] = {0};
        for (int i = 0; i < 5 && p; i++) {
            field[i] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = '\0';
        }
        if (!field[3])
            continue;
        char line[8192];
        snprintf(line, sizeof line, "%-8s  %s", field[1], field[3]);
        size_t n = mbstowcs(NULL, line, 0);
        if (n == (size_t)-1)
            continue;
        if (nlines == cap) {
            cap = cap ? cap * 2 : 1024;
            lines = realloc(lines, (size_t)cap * sizeof *lines);
        }
        lines[nlines] = malloc((n + 1) * sizeof(wchar_t));
        mbstowcs(lines[nlines++], line, n + 1);
    }
    fclose(f);
}

/* One row: the line cut at the screen width (by display width). */
static void row(int y, const wchar_t *s, int cols, int sel)
{
    attr_t a = sel ? A_REVERSE : A_NORMAL;
    attrset(a);
    move(y, 0);
    int used = 0;
    for (; *s; s++) {
        int w = wcwidth(*s);
        if (w < 0)
            w = 1;
        if (used + w > cols)
            break;
        addnwstr(s, 1);
        used += w;
    }
    for (; used < cols; used++)
        addch(' ');
    attrset(A_NORMAL);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: floor_tui FORM.csv\n");
        return 2;
    }
    setlocale(LC_ALL, "");
    load(argv[1]);
    initscr();
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    int sel = 0, top = 0;
    for (;;) {
        int rows = LINES - 2, cols = COLS;
        if (sel < top)
            top = sel;
        if (sel >= top + rows)
            top = sel - rows + 1;
        attrset(A_BOLD);
        mvprintw(0, 0, "floor  %d/%d", sel + 1, nlines);
        clrtoeol();
        for (int r = 0; r < rows; r++) {
            if (top + r < nlines)
                row(1 + r, lines[top + r], cols, top + r == sel);
            else {
                move(1 + r, 0);
                clrtoeol();
            }
        }
        mvprintw(LINES - 1, 0, "j/k move  q quit");
        refresh();
        int ch = getch();
        if (ch == 'q' || ch == ERR)
            break;
        if ((ch == KEY_DOWN || ch == 'j') && sel + 1 < nlines)
            sel++;
        else if ((ch == KEY_UP || ch == 'k') && sel > 0)
            sel--;
    }
    endwin();
    return 0;
}
