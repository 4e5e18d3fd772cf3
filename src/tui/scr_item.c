/* scr_item.c — one checklist item in full: its text, hint and legal basis;
 * the answer (result, the number of a count item, the text of a text item,
 * a note and a location); and the item's hazards, each opening the hazard
 * editor, with a button to add another (several hazards per item). */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>

enum { K_RESULT, K_VALUE, K_TEXT, K_NOTE, K_LOC, K_HEAD, K_ADD, K_HAZ = 100 };

/* The result choices in the order the field offers them. */
static const xa_result results[] = {XA_RESULT_UNCHECKED, XA_RESULT_PASS, XA_RESULT_HAZARD,
                                    XA_RESULT_NA};

struct item {
    const xa_form *form;
    const xa_item *it;
    struct fields fs;
    const char *choices[4];
    char **labels;       /* hazard button labels */
    char range[64];      /* a count's allowed range, the hint of its field */
    size_t nlabels;
};

static json_t *answer(struct app *a, struct item *d)
{
    return xa_doc_answer_ensure(a->sess->doc, d->form->id, d->it->code);
}

static int result_index(xa_result r)
{
    for (int i = 0; i < 4; i++)
        if (results[i] == r)
            return i;
    return 0;
}

static void free_labels(struct item *d)
{
    for (size_t i = 0; i < d->nlabels; i++)
        free(d->labels[i]);
    free(d->labels);
    d->labels = NULL;
    d->nlabels = 0;
}

/* Build the fields from the document (again after the hazard editor). */
static void build(struct app *a, struct item *d)
{
    struct session *ss = a->sess;
    int focus_key = d->fs.n ? d->fs.f[d->fs.focus].key : -1;
    fields_free(&d->fs);
    free_labels(d);
    fields_init(&d->fs);
    d->fs.readonly = ss->readonly;
    json_t *ans = xa_doc_answer(ss->doc, d->form->id, d->it->code);
    for (int i = 0; i < 4; i++)
        d->choices[i] = tui_word(&xa_vocab_results, results[i]);
    struct field *f = fields_add(&d->fs, F_CHOICE, K_RESULT, T(S_F_RESULT));
    f->choices = d->choices;
    f->nchoices = 4;
    f->value = result_index(xa_doc_result(ss->doc, d->form->id, d->it->code));
    if (d->it->type == XA_ITEM_COUNT) {
        f = fields_add(&d->fs, F_TEXT, K_VALUE, T(S_F_VALUE));
        f->in.maxlen = 10;
        json_t *v = json_object_get(ans, "value");
        if (json_is_integer(v)) {
            char n[32];
            snprintf(n, sizeof n, "%lld", (long long)json_integer_value(v));
            tinput_set(&f->in, n);
        }
        sess_item_range(ss, d->it, d->range);
        if (d->range[0])
            f->hint = d->range;
    }
    if (d->it->type == XA_ITEM_TEXT) {
        f = fields_add(&d->fs, F_MULTI, K_TEXT, T(S_F_TEXT));
        tinput_set(&f->in, xa_doc_str(ans, "text"));
    }
    f = fields_add(&d->fs, F_MULTI, K_NOTE, T(S_F_NOTE));
    tinput_set(&f->in, xa_doc_str(ans, "note"));
    f = fields_add(&d->fs, F_TEXT, K_LOC, T(S_F_LOCATION));
    tinput_set(&f->in, xa_doc_str(ans, "location"));
    f->hint = T(S_F_LOCATION_HINT);
    fields_add(&d->fs, F_LABEL, K_HEAD, T(S_ITEM_HAZARDS));
    size_t nh = xa_doc_item_hazards(ss->doc, d->form->id, d->it->code);
    d->labels = xa_calloc(nh + 1, sizeof *d->labels);
    for (size_t i = 0; i < nh; i++) {
        json_t *h = xa_doc_item_hazard(ss->doc, d->form->id, d->it->code, i);
        const char *dl = json_string_value(json_object_get(h, "deadline"));
        d->labels[d->nlabels++] = xa_asprintf(
            "%zu. %s  %s  %s", i + 1,
            tui_word(&xa_vocab_severities, xa_severity_of(xa_doc_str(h, "severity")) == XA_SEV_MAJOR
                                               ? XA_SEV_MAJOR
                                               : XA_SEV_GENERAL),
            dl ? dl : "—", xa_doc_str(h, "description"));
        fields_add(&d->fs, F_BUTTON, K_HAZ + (int)i, d->labels[i]);
    }
    if (!ss->readonly)
        fields_add(&d->fs, F_BUTTON, K_ADD, T(S_A_ADD_HAZ));
    /* Focus: where it was, else the number a count item still needs. */
    for (int i = 0; i < d->fs.n; i++)
        if (d->fs.f[i].key == focus_key)
            d->fs.focus = i;
    if (focus_key < 0 && d->it->type == XA_ITEM_COUNT && !json_is_integer(json_object_get(ans, "value")))
        for (int i = 0; i < d->fs.n; i++)
            if (d->fs.f[i].key == K_VALUE)
                d->fs.focus = i;
}

static int item_enter(struct app *a, struct screen *s, void *arg)
{
    (void)arg;
    const xa_form *form;
    const xa_item *it = sess_cur_item(a->sess, &form);
    if (!it)
        return 0;
    struct item *d = s->data;
    d->form = form;
    d->it = it;
    fields_init(&d->fs);
    build(a, d);
    return 1;
}

/* Write typed text into the answer (the main loop saves it). */
static void item_flush(struct app *a, struct screen *s)
{
    struct item *d = s->data;
    if (a->sess->readonly)
        return;
    for (int i = 0; i < d->fs.n; i++) {
        struct field *f = &d->fs.f[i];
        if (!f->dirty || f->key == K_VALUE)
            continue;
        char *v = tinput_get(&f->in);
        xa_doc_set_str(answer(a, d), f->key == K_TEXT ? "text" : f->key == K_NOTE ? "note" : "location",
                    v);
        free(v);
        f->dirty = 0;
        sess_dirty(a->sess);
    }
}

static void item_resume(struct app *a, struct screen *s)
{
    build(a, s->data);
}

static void item_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct item *d = s->data;
    fields_free(&d->fs);
    free_labels(d);
}

static const char *item_title(struct app *a, struct screen *s)
{
    (void)a;
    struct item *d = s->data;
    static char t[128];
    snprintf(t, sizeof t, "%s %s", T(S_ITEM_TITLE), d->it->code);
    return t;
}

static void item_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct item *d = s->data;
    int y = 0;
    char same[64] = "";
    if (*d->it->same_as) /* answered once with the item it repeats: say which */
        snprintf(same, sizeof same, T(S_SAME_AS), sess_same_as_code(d->it));
    char *head = xa_asprintf("%s  %s  %s%s%s", d->it->code, tui_pick(d->form->title, d->form->title_en),
                             d->it->severity == XA_SEV_MAJOR
                                 ? tui_word(&xa_vocab_severities, XA_SEV_MAJOR)
                                 : "",
                             *same ? "  " : "", same);
    tui_put(w, y++, 1, head, cols - 2, A_BOLD);
    free(head);
    int textrows = rows >= 20 ? 4 : 3;
    y += tui_para(w, y, 1, tui_pick(d->it->text, d->it->text_en), cols - 2, textrows, A_NORMAL);
    if (*d->it->hint && rows >= 18) {
        char *h = xa_asprintf("%s%s", T(S_CHECK_HINT), d->it->hint);
        y += tui_para(w, y, 1, h, cols - 2, rows >= 24 ? 3 : 2, tui_attr(ROLE_DIM));
        free(h);
    }
    if (*d->it->basis && rows >= 20) {
        char *b = xa_asprintf("%s%s", T(S_CHECK_BASIS), d->it->basis);
        tui_put(w, y++, 1, b, cols - 2, tui_attr(ROLE_DIM));
        free(b);
    }
    tui_hrule(w, y++, 0, cols, tui_attr(ROLE_DIM));
    fields_draw(&d->fs, w, y, 1, rows - y, cols - 2);
    tui_cursor(a, d->fs.cy, d->fs.cx);
}

/* A count was typed: keep the number and derive the result from the range.
 * Anything but a whole number is refused on the spot, and the item loses
 * its number (a count without a number is never 符合). */
static void value_changed(struct app *a, struct item *d, struct field *f)
{
    char *v = tinput_get(&f->in);
    long n = 0;
    f->dirty = 0;
    f->bad = *v && !sess_count_parse(v, &n);
    if (!*v || f->bad) {
        sess_clear_count(a->sess, d->form, d->it);
        if (f->bad)
            tui_msg(a, 1, "%s", T(S_COUNT_BAD));
    } else {
        sess_set_count(a->sess, d->form, d->it, n);
        if (a->msg_warn)
            a->msg[0] = '\0';
    }
    free(v);
    fields_get(&d->fs, K_RESULT)->value = result_index(xa_doc_result(a->sess->doc, d->form->id, d->it->code));
    sess_dirty(a->sess);
}

static int item_key(struct app *a, struct screen *s, const struct tui_key *k, enum tui_action act)
{
    struct item *d = s->data;
    struct session *ss = a->sess;
    int changed, pressed;
    if (act == ACT_DONE && d->it->type == XA_ITEM_COUNT && fields_get(&d->fs, K_VALUE)->bad) {
        /* Not dropped without a word: the number has to be fixed (or Esc). */
        tui_msg(a, 1, "%s", T(S_COUNT_BAD));
        return R_REDRAW;
    }
    /* 'a' reaches here as an action only outside a text field (typing turns
     * it into text); F4 adds a hazard from anywhere, the location field too. */
    if (act == ACT_ADD_HAZ)
        pressed = K_ADD, changed = -1;
    else {
        int r = fields_key(&d->fs, k, act, &changed, &pressed);
        if (r == R_NONE)
            return R_NONE;
    }
    if (changed == K_RESULT && d->it->type == XA_ITEM_COUNT &&
        results[fields_get(&d->fs, K_RESULT)->value] == XA_RESULT_PASS &&
        !json_is_integer(json_object_get(xa_doc_answer(ss->doc, d->form->id, d->it->code), "value"))) {
        /* 符合 needs the number first: the choice steps over it. */
        struct field *rf = fields_get(&d->fs, K_RESULT);
        rf->value = (rf->value + (k->code == KK(KEY_LEFT) ? 3 : 1)) % 4;
        tui_msg(a, 1, "%s", T(S_COUNT_FIRST));
    }
    if (changed == K_RESULT) {
        xa_result res = results[fields_get(&d->fs, K_RESULT)->value];
        sess_set_result(ss, d->form->id, d->it->code, res);
        tui_commit(a);
        if (res == XA_RESULT_HAZARD && d->it->severity != XA_SEV_ADVICE &&
            !xa_doc_item_hazards(ss->doc, d->form->id, d->it->code))
            tui_push(a, &scr_hazard, NULL);
    } else if (changed == K_VALUE) {
        value_changed(a, d, fields_get(&d->fs, K_VALUE));
        tui_text_edited(a);
    } else if (changed >= 0) {
        tui_text_edited(a);
    }
    if (pressed == K_ADD && !ss->readonly) {
        item_flush(a, s);
        if (xa_doc_result(ss->doc, d->form->id, d->it->code) != XA_RESULT_HAZARD)
            sess_set_result(ss, d->form->id, d->it->code, XA_RESULT_HAZARD);
        tui_commit(a);
        tui_push(a, &scr_hazard, NULL);
    } else if (pressed >= K_HAZ) {
        item_flush(a, s);
        sess_note_pos(ss, ss->ui.form, ss->ui.item, pressed - K_HAZ);
        tui_push(a, &scr_hazard, (void *)(intptr_t)(pressed - K_HAZ + 1));
    }
    return R_REDRAW;
}

static int item_text(struct app *a, struct screen *s)
{
    (void)a;
    return fields_text_focus(&((struct item *)s->data)->fs);
}

const struct screen_ops scr_item = {
    .id = SCR_ITEM,
    .name = "item",
    .data_size = sizeof(struct item),
    .enter = item_enter,
    .draw = item_draw,
    .key = item_key,
    .resume = item_resume,
    .leave = item_leave,
    .flush = item_flush,
    .title = item_title,
    .text_focus = item_text,
};
