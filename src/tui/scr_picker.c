/* scr_picker.c — choose a school for a new visit: type any part of its
 * name, code or county, or its pinyin initials (ldqsyxx); the list narrows
 * with every key (filter.c keeps it instant with 20,000 schools).  ↑/↓
 * move, Enter starts a 四不两直 visit there (the method can be changed on
 * the next screen). */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>

struct picker {
    xa_filter filter;
    struct tinput q;
    struct tlist list;
    int list_rows;
};

static int picker_enter(struct app *a, struct screen *s, void *arg)
{
    (void)arg;
    struct session *ss = a->sess;
    struct picker *p = s->data;
    xa_err err;
    if (sess_schools(ss, &err) != XA_OK) /* read at the picker's first opening */
        tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
    xa_filter_init(&p->filter, ss->nschools);
    for (size_t i = 0; i < ss->nschools; i++) {
        const struct bschool *b = &ss->schools[i];
        if (b->hay && b->py) /* made at import (the brief's school table) */
            xa_filter_borrow(&p->filter, i, b->hay, b->py);
        else
            xa_filter_set(&p->filter, i, b->s.code, b->s.name, b->s.county, b->s.pinyin);
    }
    tinput_init(&p->q, 0, 64);
    p->list.n = (int)p->filter.nmatch;
    return 1;
}

static void picker_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct picker *p = s->data;
    xa_filter_free(&p->filter);
    tinput_free(&p->q);
}

static const char *picker_title(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return T(S_PICK_TITLE);
}

static void picker_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct picker *p = s->data;
    struct session *ss = a->sess;
    int used = tui_put(w, 0, 1, T(S_PICK_PROMPT), 12, A_BOLD);
    int cy, cx;
    tinput_draw(&p->q, w, 0, 1 + used, 1, cols / 2, 1, tui_attr(ROLE_FIELD), &cy, &cx);
    tui_cursor(a, cy, cx);
    tui_putf(w, 0, cols / 2 + used + 3, cols - cols / 2 - used - 4, tui_attr(ROLE_DIM),
             T(S_PICK_COUNT), p->filter.nmatch, p->filter.n);
    tui_put(w, 1, 1, T(S_PICK_HINT), cols - 2, tui_attr(ROLE_DIM));
    tui_hrule(w, 2, 0, cols, tui_attr(ROLE_DIM));
    int lrows = rows - 3;
    p->list_rows = lrows;
    p->list.n = (int)p->filter.nmatch;
    tlist_fit(&p->list, lrows);
    if (!p->filter.nmatch) {
        tui_put(w, 3, 2, T(S_PICK_NONE), cols - 4, tui_attr(ROLE_WARN));
        return;
    }
    int namew = cols - 2 - 14 - 16 - 10;
    for (int r = p->list.top; r < p->list.n && r - p->list.top < lrows; r++) {
        struct bschool *b = &ss->schools[p->filter.match[r]];
        int y = 3 + r - p->list.top, sel = r == p->list.sel;
        attr_t at = tui_sel_attr(sel);
        tui_fill(w, y, 0, cols, at);
        tui_mark(w, y, 0, sel);
        tui_put(w, y, 1, b->s.code, 13, at);
        tui_put(w, y, 15, b->s.name, namew, at);
        tui_put(w, y, 16 + namew, b->s.county, 15, at);
        if (b->nopen) {
            char n[32];
            snprintf(n, sizeof n, T(S_HOME_NHAZ), b->nopen);
            tui_put(w, y, cols - 10, n, 9, sel && !tui_thin ? at : tui_attr(ROLE_HAZARD));
        }
    }
}

static int picker_key(struct app *a, struct screen *s, const struct tui_key *k,
                      enum tui_action act)
{
    struct picker *p = s->data;
    struct session *ss = a->sess;
    switch (act) {
    case ACT_UP:
    case ACT_DOWN:
    case ACT_PGUP:
    case ACT_PGDN:
        if (!k->is_key)
            break; /* j/k type letters here */
        return tlist_move(&p->list, act, p->list_rows > 0 ? p->list_rows : 10);
    case ACT_OPEN: {
        if (!p->filter.nmatch)
            return R_HANDLED;
        struct bschool *b = &ss->schools[p->filter.match[p->list.sel]];
        xa_err err;
        if (sess_visit_new(ss, b, XA_KIND_4N2D, &err) != XA_OK) {
            tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
            return R_REDRAW;
        }
        if (tui_replace(a, &scr_check, NULL))
            tui_push(a, &scr_start, NULL);
        return R_REDRAW;
    }
    default:
        break;
    }
    if (act == ACT_BACK || act == ACT_QUIT || act == ACT_HELP || act == ACT_REDRAW)
        return R_NONE;
    if (!tinput_key(&p->q, k))
        return R_NONE;
    if (p->q.changed) {
        p->q.changed = 0;
        char *q = tinput_get(&p->q);
        xa_filter_apply(&p->filter, q);
        free(q);
        p->list.sel = p->list.top = 0;
    }
    return R_REDRAW;
}

static int picker_text(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return 1;
}

const struct screen_ops scr_picker = {
    .id = SCR_PICKER,
    .name = "picker",
    .data_size = sizeof(struct picker),
    .enter = picker_enter,
    .draw = picker_draw,
    .key = picker_key,
    .leave = picker_leave,
    .title = picker_title,
    .text_focus = picker_text,
};
