/* fields.c — a column of labelled fields: single- and multi-line text,
 * dates and times (text checked by the owner), checkboxes, choices cycled
 * with ←/→, and buttons.  Tab/↓ and Shift-Tab/↑ move between fields; the
 * owner hears about every change at once (so it can save it) and draws
 * nothing itself. */
#include "tui_int.h"

#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <stdlib.h>
#include <string.h>

#define MULTI_ROWS_MAX 6 /* a focused multi-line field grows to this many rows */
#define MULTI_ROWS_IDLE 3

void fields_init(struct fields *fs)
{
    memset(fs, 0, sizeof *fs);
    fs->cy = fs->cx = -1;
}

void fields_free(struct fields *fs)
{
    for (int i = 0; i < fs->n; i++)
        tinput_free(&fs->f[i].in);
    free(fs->f);
    memset(fs, 0, sizeof *fs);
}

static int is_text(const struct field *f)
{
    return f->kind == F_TEXT || f->kind == F_MULTI || f->kind == F_DATE || f->kind == F_TIME;
}

static int focusable(const struct field *f)
{
    /* a field read-only on its own (not the whole form) is shown, not visited:
     * the hazard editor's interim control of a general hazard */
    return f->kind != F_LABEL && !f->readonly;
}

struct field *fields_add(struct fields *fs, enum fkind kind, int key, const char *label)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->f = xa_reallocarray(fs->f, (size_t)fs->cap, sizeof *fs->f);
    }
    struct field *f = &fs->f[fs->n++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->key = key;
    f->label = label;
    tinput_init(&f->in, kind == F_MULTI, kind == F_DATE ? 10 : kind == F_TIME ? 16 : 0);
    /* The first focusable field gets the focus. */
    if (!focusable(&fs->f[fs->focus]) && focusable(f))
        fs->focus = fs->n - 1;
    return f;
}

struct field *fields_get(struct fields *fs, int key)
{
    for (int i = 0; i < fs->n; i++)
        if (fs->f[i].key == key)
            return &fs->f[i];
    return NULL;
}

int fields_text_focus(const struct fields *fs)
{
    return fs->n && !fs->readonly && !fs->f[fs->focus].readonly && is_text(&fs->f[fs->focus]);
}

/* Move the focus by dir (+1/-1), skipping labels; 1 if it moved. */
static int move_focus(struct fields *fs, int dir)
{
    for (int i = fs->focus + dir; i >= 0 && i < fs->n; i += dir)
        if (focusable(&fs->f[i])) {
            fs->focus = i;
            return 1;
        }
    return 0;
}

int fields_key(struct fields *fs, const struct tui_key *k, enum tui_action a, int *changed_key,
               int *pressed)
{
    *changed_key = -1;
    *pressed = -1;
    if (!fs->n)
        return R_NONE;
    struct field *f = &fs->f[fs->focus];
    int ro = fs->readonly || f->readonly;
    int enter = (!k->is_key && k->ch == '\r') || k->code == KK(KEY_ENTER);
    if (is_text(f) && !ro) {
        if (!(f->kind != F_MULTI && enter) && tinput_key(&f->in, k)) {
            if (f->in.changed) {
                f->in.changed = 0;
                f->dirty = 1;
                *changed_key = f->key;
            }
            return R_REDRAW;
        }
        if (enter)
            return move_focus(fs, +1), R_REDRAW;
    }
    if (a == ACT_NEXT_FIELD)
        return move_focus(fs, +1), R_REDRAW;
    if (a == ACT_PREV_FIELD)
        return move_focus(fs, -1), R_REDRAW;
    if (ro)
        return R_NONE;
    int left = k->code == KK(KEY_LEFT), right = k->code == KK(KEY_RIGHT);
    switch (f->kind) {
    case F_CHECK:
        if (a == ACT_TOGGLE) {
            f->value = !f->value;
            *changed_key = f->key;
            return R_REDRAW;
        }
        break;
    case F_CHOICE:
        if (a == ACT_TOGGLE || left || right) {
            int v = f->value + (left ? -1 : 1);
            if (v >= f->nchoices)
                v = f->min_choice;
            if (v < f->min_choice)
                v = f->nchoices - 1;
            if (v != f->value) {
                f->value = v;
                *changed_key = f->key;
            }
            return R_REDRAW;
        }
        break;
    case F_BUTTON:
        if (a == ACT_TOGGLE) {
            *pressed = f->key;
            return R_REDRAW;
        }
        break;
    default:
        break;
    }
    return R_NONE;
}

/* Rows a field takes at this width. */
static int field_rows(struct fields *fs, int i, int vcols)
{
    struct field *f = &fs->f[i];
    if (f->kind != F_MULTI)
        return 1;
    int want = tinput_rows(&f->in, vcols);
    int max = i == fs->focus ? MULTI_ROWS_MAX : MULTI_ROWS_IDLE;
    return want < 1 ? 1 : want > max ? max : want;
}

/* The label column: the widest label plus room, at most a third of the width. */
static int label_width(const struct fields *fs, int cols)
{
    int w = 0;
    for (int i = 0; i < fs->n; i++)
        if (fs->f[i].label && fs->f[i].kind != F_CHECK && fs->f[i].kind != F_LABEL &&
            fs->f[i].kind != F_BUTTON) {
            int lw = (int)xa_utf8_width(fs->f[i].label);
            if (lw > w)
                w = lw;
        }
    w += 3;
    return w > cols / 3 ? cols / 3 : w;
}

void fields_draw(struct fields *fs, WINDOW *w, int y, int x, int rows, int cols)
{
    fs->cy = fs->cx = -1;
    int lw = label_width(fs, cols), vx = x + lw, vcols = cols - lw;
    /* Scroll so the focused field is on the screen. */
    int at = 0, ftop = 0, fh = 1;
    for (int i = 0; i < fs->n; i++) {
        int h = field_rows(fs, i, vcols - 1);
        if (i == fs->focus)
            ftop = at, fh = h;
        at += h;
    }
    if (ftop < fs->top)
        fs->top = ftop;
    if (ftop + fh > fs->top + rows)
        fs->top = ftop + fh - rows;
    if (fs->top > 0 && at - fs->top < rows)
        fs->top = at > rows ? at - rows : 0;
    at = 0;
    for (int i = 0; i < fs->n; i++) {
        struct field *f = &fs->f[i];
        int h = field_rows(fs, i, vcols - 1);
        int row = y + at - fs->top;
        at += h;
        if (row + h <= y || row >= y + rows)
            continue;
        int focused = i == fs->focus;
        int ro = fs->readonly || f->readonly;
        attr_t sel = focused ? tui_attr(ROLE_SELECTED) : A_NORMAL;
        if (f->kind == F_LABEL) {
            tui_put(w, row, x, f->label, cols, tui_attr(ROLE_HEADING));
            continue;
        }
        if (f->kind == F_CHECK) {
            char box[8];
            strcpy(box, f->value ? "[x] " : "[ ] ");
            int used = tui_put(w, row, vx, box, vcols, sel);
            tui_put(w, row, vx + used, f->label, vcols - used, sel);
            continue;
        }
        if (f->kind == F_BUTTON) {
            char *b = xa_asprintf("[ %s ]", f->label);
            tui_put(w, row, vx, b, vcols, focused ? tui_attr(ROLE_SELECTED) : tui_attr(ROLE_KEY));
            free(b);
            continue;
        }
        tui_put(w, row, x, f->label, lw - 1, focused ? tui_attr(ROLE_KEY) : A_NORMAL);
        if (f->kind == F_CHOICE) {
            const char *v = f->value >= 0 && f->value < f->nchoices ? f->choices[f->value] : "";
            char *s = ro ? xa_strdup(v) : xa_asprintf("< %s >", v);
            tui_put(w, row, vx, s, vcols, sel);
            free(s);
            continue;
        }
        /* Text: the widget draws itself; an empty field shows its hint. */
        int vis = h;
        attr_t fa = f->bad ? tui_attr(ROLE_WARN) : focused && !ro ? tui_attr(ROLE_FIELD) : A_NORMAL;
        int cy = -1, cx = -1;
        if (row + vis > y + rows)
            vis = y + rows - row;
        if (row >= y)
            tinput_draw(&f->in, w, row, vx, vis, vcols - 1, focused && !ro, fa, &cy, &cx);
        if (!f->in.len && f->hint && !focused)
            tui_put(w, row, vx, f->hint, vcols - 1, tui_attr(ROLE_DIM));
        if (focused && !ro && cy >= 0) {
            fs->cy = cy;
            fs->cx = cx;
        }
    }
}
