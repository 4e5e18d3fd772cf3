/* floor_tui.c — the floor of the TUI figures: the smallest ncursesw program
 * that draws the same screen as xiaoan's checklist and does what it does on
 * a cursor move.  The same layout as the checklist at any size (80×24 in
 * the bench): a title bar, a progress line, the list (the form's heading,
 * its sections with their counts, the items with code, answer tag and text),
 * the selected item highlighted black on cyan (the checklist's theme), a
 * rule, the detail pane (the item's code, its text wrapped, its hint) and
 * the key line at the bottom.  ↑/↓ (and j/k) move the selection over the
 * items (headings are skipped), the list scrolling under it a line at a
 * time; each key redraws the list and the pane into stdscr and refreshes
 * once (curses sends only what changed).  bench_tui drives it under the
 * same pseudo-terminal as xiaoan, so CPU per key, bytes per cursor move,
 * time to first frame and RSS have a floor measured in the same run: the
 * same screen, drawn with nothing else around it.
 *
 * usage: floor_tui FORM.csv [,CODE,CODE,]   (the form's title is read from
 * index.csv beside it when there is one; the codes are the items that do
 * not apply to the visited school, shown pre-marked 不适用 as xiaoan shows
 * them; q quits) */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum kind { FORM, SECTION, ITEM };

struct row {
    enum kind kind;
    wchar_t *code, *text, *hint; /* SECTION: text is its name and count */
    char type;                   /* 'c'heck, 'n' count, 't'ext */
    int major, na;               /* 重大; does not apply to the school (pre-marked 不适用) */
    wchar_t *range;              /* a count's range ("1–57"), else "" */
};

static const char *not_applying = ","; /* ",CODE,CODE," of the items that do not apply */

static struct row *rows;
static int nrows;

static wchar_t *wide(const char *s)
{
    size_t n = mbstowcs(NULL, s, 0);
    if (n == (size_t)-1)
        n = 0;
    wchar_t *w = calloc(n + 1, sizeof *w);
    if (n)
        mbstowcs(w, s, n + 1);
    return w;
}

static struct row *add(enum kind k, const char *code, const char *text, const char *hint)
{
    rows = realloc(rows, (size_t)(nrows + 1) * sizeof *rows);
    rows[nrows] = (struct row){k, wide(code), wide(text), wide(hint), 'c', 0, 0, wide("")};
    return &rows[nrows++];
}

/* Split one CSV line in place (quoted fields with "" inside). */
static int split(char *p, char **field, int max)
{
    int n = 0;
    while (n < max) {
        char *out = p;
        field[n++] = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"')
                    *out++ = '"', p += 2;
                else if (*p == '"' || !*p) {
                    if (*p)
                        p++;
                    break;
                } else
                    *out++ = *p++;
            }
            while (*p && *p != ',')
                p++;
        } else {
            while (*p && *p != ',')
                out++, p++;
        }
        int more = *p == ',';
        *out = '\0';
        if (!more)
            break;
        p++;
    }
    return n;
}

/* The form title from index.csv beside the form (id,version,title,...). */
static char *form_title(const char *path)
{
    char dir[4096], buf[8192];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    snprintf(slash ? slash + 1 : dir, sizeof dir - (size_t)(slash ? slash + 1 - dir : 0),
             "index.csv");
    FILE *f = fopen(dir, "r");
    char *title = strdup("form");
    while (f && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        char *field[4];
        if (split(buf, field, 4) >= 3 && strcmp(field[0], "id")) {
            free(title);
            title = strdup(field[2]);
            break;
        }
    }
    if (f)
        fclose(f);
    return title;
}

static void load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    char buf[8192], section[1024] = "", line[2048];
    char *title = form_title(path);
    int items = 0, sec_row = -1, sec_items = 0, sec_done = 0, done = 0;
    add(FORM, "", "", "");
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        /* section,code,type,text,text_en,severity,basis,hint,applies,min,max */
        char *field[11] = {0};
        if (split(buf, field, 11) < 8 || !strcmp(field[0], "section"))
            continue;
        if (strcmp(section, field[0])) {
            if (sec_row >= 0) {
                snprintf(line, sizeof line, "%s  %d/%d", section, sec_done, sec_items);
                free(rows[sec_row].text);
                rows[sec_row].text = wide(line);
            }
            snprintf(section, sizeof section, "%s", field[0]);
            sec_row = nrows;
            sec_items = sec_done = 0;
            add(SECTION, "", section, "");
        }
        struct row *r = add(ITEM, field[1], field[3], field[7]);
        r->type = !strcmp(field[2], "count") ? 'n' : !strcmp(field[2], "text") ? 't' : 'c';
        r->major = !strcmp(field[5], "major");
        char key[64];
        snprintf(key, sizeof key, ",%s,", field[1]);
        r->na = strstr(not_applying, key) != NULL;
        const char *lo = field[9] ? field[9] : "", *hi = field[10] ? field[10] : "";
        char range[64] = "";
        if (*lo && *hi)
            snprintf(range, sizeof range, "%s–%s", lo, hi);
        else if (*lo || *hi)
            snprintf(range, sizeof range, "%s %s", *lo ? "≥" : "≤", *lo ? lo : hi);
        free(r->range);
        r->range = wide(range);
        items++, sec_items++;
        sec_done += r->na, done += r->na;
    }
    fclose(f);
    if (sec_row >= 0) {
        snprintf(line, sizeof line, "%s  %d/%d", section, sec_done, sec_items);
        free(rows[sec_row].text);
        rows[sec_row].text = wide(line);
    }
    snprintf(line, sizeof line, "%s  %d/%d", title, done, items);
    free(rows[0].text);
    rows[0].text = wide(line);
    free(title);
}

enum { P_TITLE = 1, P_SEL, P_HEAD, P_DIM };

/* Text at (y, x) within cols columns (by display width); returns the width used. */
static int put(int y, int x, const wchar_t *s, int cols, attr_t a)
{
    attrset(a);
    move(y, x);
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
    attrset(A_NORMAL);
    return used;
}

static void fill(int y, int x, int cols, attr_t a)
{
    attrset(a);
    mvhline(y, x, ' ', cols);
    attrset(A_NORMAL);
}

static void row(int y, const struct row *r, int cols, int sel)
{
    if (r->kind == FORM) {
        fill(y, 0, cols, COLOR_PAIR(P_HEAD) | A_BOLD | A_REVERSE);
        put(y, 0, r->text, cols, COLOR_PAIR(P_HEAD) | A_BOLD | A_REVERSE);
        return;
    }
    move(y, 0);
    clrtoeol();
    if (r->kind == SECTION) {
        put(y, 1, r->text, cols - 2, COLOR_PAIR(P_HEAD) | A_BOLD);
        return;
    }
    attr_t base = sel ? COLOR_PAIR(P_SEL) : A_NORMAL;
    fill(y, 0, cols, base);
    put(y, 2, r->code, 8, base);
    put(y, 11, r->na ? L"不适用" : L"·", 7, sel ? base : COLOR_PAIR(P_DIM));
    put(y, 19, r->text, cols - 20, base);
}

/* The pane: rule, code, the text wrapped over at most rows - 3 lines, hint. */
static void detail(int y, int n, int cols, const struct row *r)
{
    for (int k = 1; k < n; k++) {
        move(y + k, 0);
        clrtoeol();
    }
    attrset(COLOR_PAIR(P_DIM));
    for (int i = 0; i < cols; i++)
        mvaddwstr(y, i, L"─");
    wchar_t head[256];
    swprintf(head, 256, L"%ls  %ls%ls%ls", r->code, r->major ? L"重大" : L"", r->na ? L"  " : L"",
             r->na ? L"不适用(本校)" : L"");
    put(y + 1, 1, head, cols - 2, A_BOLD);
    const wchar_t *s = r->text;
    int line = 0, max = n - 3;
    while (*s && line < max) {
        int used = 0;
        const wchar_t *e = s;
        while (*e && used + wcwidth(*e) <= cols - 2)
            used += wcwidth(*e++);
        move(y + 2 + line, 1);
        addnwstr(s, (int)(e - s));
        s = e, line++;
    }
    int x, ly = y + 2 + line;
    if (r->type == 'n') { /* the number and its range */
        x = 1 + put(ly, 1, L"数量：", cols - 2, A_BOLD);
        x += put(ly, x, L"—", 12, A_BOLD) + 1;
        wchar_t range[96];
        swprintf(range, 96, L"范围 %ls", r->range);
        if (*r->range)
            put(ly, x + 1, range, cols - x - 2, A_BOLD);
    } else if (r->type == 't') { /* where the answer is typed */
        x = 1 + put(ly, 1, L"回答：", cols - 2, A_BOLD);
        put(ly, x, L"（直接输入即作答）", cols - x - 2, COLOR_PAIR(P_DIM));
    } else if (*r->hint) {
        wchar_t hint[1024];
        swprintf(hint, 1024, L"提示：%ls", r->hint);
        put(ly, 1, hint, cols - 2, COLOR_PAIR(P_DIM));
    }
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: floor_tui FORM.csv [,CODE,CODE,]\n");
        return 2;
    }
    if (argc == 3)
        not_applying = argv[2];
    setlocale(LC_ALL, "");
    load(argv[1]);
    initscr();
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    start_color();
    use_default_colors();
    init_pair(P_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(P_SEL, COLOR_BLACK, COLOR_CYAN);
    init_pair(P_HEAD, COLOR_BLUE, -1);
    init_pair(P_DIM, COLOR_CYAN, -1);
    int sel = 2, top = 0, cols = COLS;
    /* What does not change on a move: the title, the progress, the keys. */
    fill(0, 0, cols, COLOR_PAIR(P_TITLE) | A_BOLD);
    put(0, 0, L" 校安 · 检查表 · 莲都区碧湖镇中心小学", cols - 12, COLOR_PAIR(P_TITLE) | A_BOLD);
    put(0, cols - 10, L" 已保存 ✓ ", 10, COLOR_PAIR(P_TITLE) | A_BOLD);
    int nitems = 0;
    for (int i = 0; i < nrows; i++)
        nitems += rows[i].kind == ITEM;
    wchar_t progress[64];
    swprintf(progress, 64, L"进度 0/%d ", nitems);
    int used = put(1, 1, progress, cols / 2, A_BOLD);
    for (int i = 0; i < cols / 4; i++)
        mvaddwstr(1, used + 2 + i, L"░");
    static const wchar_t *const keys[][2] = {{L"1", L"符合"},  {L"2", L"隐患"},
                                              {L"3", L"不适用"}, {L"u", L"下一未答"},
                                              {L"r", L"复查"},  {L"s", L"核对封存"}};
    int x = 1;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        x += put(LINES - 1, x, keys[i][0], cols - x, A_BOLD) + 1;
        x += put(LINES - 1, x, keys[i][1], cols - x, A_NORMAL) + 2;
    }
    for (;;) {
        int body = LINES - 3, pane = body >= 20 ? 7 : 5, lrows = body - 1 - pane;
        if (sel < top)
            top = sel;
        if (sel >= top + lrows)
            top = sel - lrows + 1;
        for (int r = 0; r < lrows; r++) {
            if (top + r < nrows)
                row(2 + r, &rows[top + r], cols, top + r == sel);
            else {
                move(2 + r, 0);
                clrtoeol();
            }
        }
        detail(2 + lrows, pane, cols, &rows[sel]);
        refresh();
        int ch = getch();
        if (ch == 'q' || ch == ERR)
            break;
        int dir = (ch == KEY_DOWN || ch == 'j') ? 1 : (ch == KEY_UP || ch == 'k') ? -1 : 0;
        int to = sel + dir;
        while (dir && to >= 0 && to < nrows && rows[to].kind != ITEM)
            to += dir;
        if (dir && to >= 0 && to < nrows)
            sel = to;
    }
    endwin();
    return 0;
}
