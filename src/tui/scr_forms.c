/* scr_forms.c — add or remove forms of the visit, listed in checklist
 * order.  The visit starts with the focus chosen on the start page; here the inspector can add any
 * form of the brief (items that do not apply start as n/a) or remove one
 * (asked twice when it has answers; refused while it has hazards). */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>

struct forms {
    const xa_form **order;  /* the brief's forms in checklist order */
    struct tlist list;
    int confirm;    /* row waiting for a second Space */
    int list_rows;
};

static int forms_enter(struct app *a, struct screen *s, void *arg)
{
    (void)arg;
    if (!a->sess->doc || a->sess->readonly)
        return 0;
    struct forms *d = s->data;
    d->order = xa_calloc(a->sess->nforms + 1, sizeof *d->order);
    d->list.n = (int)sess_form_order(a->sess, d->order);
    d->confirm = -1;
    return 1;
}

static void forms_leave(struct app *a, struct screen *s)
{
    (void)a;
    free(((struct forms *)s->data)->order);
}

static const char *forms_title(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return T(S_FORMS_TITLE);
}

static void forms_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct forms *d = s->data;
    struct session *ss = a->sess;
    struct bschool *b = sess_visit_school(ss);
    d->list_rows = rows - 1;
    tlist_fit(&d->list, rows - 1);
    for (int r = d->list.top; r < d->list.n && r - d->list.top < rows - 1; r++) {
        const xa_form *f = d->order[r];
        int y = 1 + r - d->list.top, sel = r == d->list.sel, in = xa_doc_has_form(ss->doc, f->id);
        attr_t at = tui_sel_attr(sel);
        tui_fill(w, y, 0, cols, at);
        tui_mark(w, y, 0, sel);
        size_t applies = b && b->profile ? xa_form_applicable(f, b->profile, NULL) : f->nitems;
        char *line = xa_asprintf("%s %s  (%zu/%zu)", in ? "[x]" : "[ ]",
                                 tui_pick(f->title, f->title_en), applies, f->nitems);
        tui_put(w, y, 1, line, cols - 2, at | (in ? A_BOLD : 0));
        free(line);
    }
}

static int forms_key(struct app *a, struct screen *s, const struct tui_key *k,
                     enum tui_action act)
{
    (void)k;
    struct forms *d = s->data;
    struct session *ss = a->sess;
    if (tlist_move(&d->list, act, d->list_rows > 0 ? d->list_rows : 10)) {
        d->confirm = -1;
        return R_REDRAW;
    }
    if (act != ACT_TOGGLE || !ss->nforms)
        return R_NONE;
    const xa_form *f = d->order[d->list.sel];
    if (!xa_doc_has_form(ss->doc, f->id)) {
        sess_form_add(ss, f);
        sess_forms_sort(ss); /* the checklist's order */
    } else if (xa_doc_form_hazards(ss->doc, f->id)) {
        tui_msg(a, 1, "%s", T(S_FORMS_HAS_HAZ));
        return R_REDRAW;
    } else if (xa_doc_form_answers(ss->doc, f, sess_profile(ss)) && d->confirm != d->list.sel) {
        d->confirm = d->list.sel;
        tui_msg(a, 1, "%s", T(S_FORMS_REMOVE_ANSWERED));
        return R_REDRAW;
    } else {
        xa_doc_form_remove(ss->doc, f->id);
    }
    d->confirm = -1;
    a->msg[0] = '\0';
    tui_commit(a);
    return R_REDRAW;
}

const struct screen_ops scr_forms = {
    .id = SCR_FORMS,
    .name = "forms",
    .data_size = sizeof(struct forms),
    .enter = forms_enter,
    .draw = forms_draw,
    .key = forms_key,
    .leave = forms_leave,
    .title = forms_title,
};
