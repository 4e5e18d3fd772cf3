/* scr_check.c — the checklist: the visit's forms, their sections and items,
 * one key per answer (1/y 符合, 2/x 隐患, 3/n 不适用, 0 clears), progress
 * per form and section, jump to the next unanswered item, show only
 * hazards.  Items that do not apply to the school were pre-marked n/a when
 * the form was added and show as "不适用(本校)"; they can be changed like
 * any other answer.  Every answer is saved before it is shown. */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>

enum crow_kind { CR_FORM, CR_SECTION, CR_ITEM, CR_MISSING };

struct crow {
    enum crow_kind kind;
    int form;   /* index into the visit's forms */
    int item;   /* index into the form's items (CR_ITEM), first item (CR_SECTION) */
};

struct check {
    const xa_form **forms; /* the visit's forms resolved in the brief (NULL: not there) */
    int nforms;
    struct crow *rows;
    int nrows;
    struct tlist list;
    int only_haz;
    int list_rows;         /* rows the list had at the last draw */
    int advance_back;      /* a hazard editor opened by answering 隐患: move on when it closes */
    int entry;             /* typing on the selected item: ENTRY_COUNT or ENTRY_TEXT */
    struct tinput in;      /* what is being typed */
    /* What the last draw left on the screen (check_draw_rows redraws from it). */
    int drawn;             /* the body is check_draw's */
    int drawn_sel, drawn_top, drawn_cols;
    int detail_rows;       /* rows of the detail pane under the list */
    int detail_shown;      /* the pane shows the selected item (thin links: not while moving) */
};

enum { ENTRY_NONE, ENTRY_COUNT, ENTRY_TEXT };

/* On a thin link, the columns of an item's text in its list row (about
 * ten Chinese characters, ~40 bytes): what tells the rows apart while
 * moving; the detail pane shows the whole text when the cursor rests. */
#define THIN_TEXT_COLS 24

/* ---- rows ---- */

static void add(struct check *c, enum crow_kind kind, int form, int item)
{
    c->rows = xa_reallocarray(c->rows, (size_t)(c->nrows + 1), sizeof *c->rows);
    c->rows[c->nrows++] = (struct crow){kind, form, item};
}

static int shown(struct session *ss, struct check *c, const xa_form *f, size_t i)
{
    if (!c->only_haz)
        return 1;
    return sess_result(ss, f->id, f->items[i].code) == XA_RESULT_HAZARD ||
           sess_item_hazards(ss, f->id, f->items[i].code) > 0;
}

/* Rebuild the rows from the visit's forms, keeping the selected item. */
static void rebuild(struct session *ss, struct check *c)
{
    int keep_form = -1, keep_item = -1;
    if (c->list.sel >= 0 && c->list.sel < c->nrows && c->rows[c->list.sel].kind == CR_ITEM) {
        keep_form = c->rows[c->list.sel].form;
        keep_item = c->rows[c->list.sel].item;
    }
    free(c->rows);
    free(c->forms);
    c->rows = NULL;
    c->nrows = 0;
    json_t *fl = json_object_get(ss->doc, "forms");
    c->nforms = (int)json_array_size(fl);
    c->forms = xa_calloc((size_t)c->nforms + 1, sizeof *c->forms);
    for (int fi = 0; fi < c->nforms; fi++) {
        const xa_form *f = sess_form(ss, xa_doc_str(json_array_get(fl, (size_t)fi), "id"));
        c->forms[fi] = f;
        if (!f) {
            add(c, CR_MISSING, fi, 0);
            continue;
        }
        int any = 0;
        size_t form_row = (size_t)c->nrows;
        add(c, CR_FORM, fi, 0);
        const char *section = NULL;
        for (size_t i = 0; i < f->nitems; i++) {
            if (!shown(ss, c, f, i))
                continue;
            if (!section || strcmp(section, f->items[i].section)) {
                section = f->items[i].section;
                add(c, CR_SECTION, fi, (int)i);
            }
            add(c, CR_ITEM, fi, (int)i);
            any = 1;
        }
        if (!any && c->only_haz)
            c->nrows = (int)form_row; /* a form without hazards is left out of the hazard view */
    }
    c->list.n = c->nrows;
    c->list.sel = 0;
    for (int r = 0; r < c->nrows; r++)
        if (c->rows[r].kind == CR_ITEM) {
            if (c->list.sel == 0 && c->rows[0].kind != CR_ITEM)
                c->list.sel = r;
            if (c->rows[r].form == keep_form && c->rows[r].item == keep_item) {
                c->list.sel = r;
                break;
            }
        }
}

static struct crow *cur(struct check *c)
{
    return c->list.sel >= 0 && c->list.sel < c->nrows && c->rows[c->list.sel].kind == CR_ITEM
               ? &c->rows[c->list.sel]
               : NULL;
}

static const xa_item *cur_item(struct check *c, const xa_form **fout)
{
    struct crow *r = cur(c);
    if (!r)
        return NULL;
    *fout = c->forms[r->form];
    return &c->forms[r->form]->items[r->item];
}

/* Tell the session where we are (the item screens read it; it survives a restart). */
static void note(struct session *ss, struct check *c)
{
    struct crow *r = cur(c);
    if (r)
        sess_note_pos(ss, r->form, r->item, 0);
}

static void select_item(struct check *c, int form, int item)
{
    for (int r = 0; r < c->nrows; r++)
        if (c->rows[r].kind == CR_ITEM && c->rows[r].form == form && c->rows[r].item == item) {
            c->list.sel = r;
            return;
        }
}

static int unanswered(struct session *ss, const xa_form *f, const xa_item *it)
{
    return sess_result(ss, f->id, it->code) == XA_RESULT_UNCHECKED;
}

/* The next unanswered item after the selection (wrapping); 0 when none. */
static int next_unanswered(struct session *ss, struct check *c)
{
    for (int k = 1; k <= c->nrows; k++) {
        int r = (c->list.sel + k) % c->nrows;
        if (c->rows[r].kind != CR_ITEM)
            continue;
        const xa_form *f = c->forms[c->rows[r].form];
        if (unanswered(ss, f, &f->items[c->rows[r].item])) {
            c->list.sel = r;
            return 1;
        }
    }
    return 0;
}

/* ---- screen ---- */

static int check_enter(struct app *a, struct screen *s, void *arg)
{
    struct session *ss = a->sess;
    if (!ss->doc)
        return 0;
    struct check *c = s->data;
    tinput_init(&c->in, 0, 0);
    rebuild(ss, c);
    if (arg) {
        select_item(c, ss->ui.form, ss->ui.item); /* resuming where it was left */
    } else {
        c->list.sel = c->nrows ? c->nrows - 1 : 0;
        if (!next_unanswered(ss, c)) {
            c->list.sel = 0;
            while (c->list.sel < c->nrows && c->rows[c->list.sel].kind != CR_ITEM)
                c->list.sel++;
        }
    }
    note(ss, c);
    return 1;
}

static void advance(struct check *c);

static void check_resume(struct app *a, struct screen *s)
{
    struct check *c = s->data;
    rebuild(a->sess, c);
    select_item(c, a->sess->ui.form, a->sess->ui.item);
    /* Back from the hazard that answering 隐患 opened: the walk goes on. */
    const xa_form *f;
    const xa_item *it = cur_item(c, &f);
    if (c->advance_back && it && sess_item_hazards(a->sess, f->id, it->code)) {
        advance(c);
        note(a->sess, c);
    }
    c->advance_back = 0;
}

static void check_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct check *c = s->data;
    free(c->rows);
    free(c->forms);
    tinput_free(&c->in);
}

static const char *check_title(struct app *a, struct screen *s)
{
    (void)s;
    static char t[256];
    snprintf(t, sizeof t, "%s %s %s", T(S_CHECK_TITLE), tui_utf8 ? "·" : "-",
             xa_doc_str(json_object_get(a->sess->doc, "school"), "name"));
    return t;
}

/* Progress of items [from, to) of a form: answered and total. */
static void progress(struct session *ss, const xa_form *f, size_t from, size_t to, int *done,
                     int *total)
{
    *done = *total = 0;
    for (size_t i = from; i < to && i < f->nitems; i++) {
        (*total)++;
        *done += !unanswered(ss, f, &f->items[i]);
    }
}

/* The end of the section starting at item i. */
static size_t section_end(const xa_form *f, size_t i)
{
    size_t j = i;
    while (j < f->nitems && !strcmp(f->items[j].section, f->items[i].section))
        j++;
    return j;
}

/* The answer tag of an item: text and role. */
static const char *tag(struct session *ss, const xa_form *f, const xa_item *it, enum tui_role *role)
{
    xa_result r = sess_result(ss, f->id, it->code);
    if (r == XA_RESULT_PASS) {
        *role = ROLE_PASS;
        return tui_word(&xa_vocab_results, r);
    }
    if (r == XA_RESULT_HAZARD) {
        int major = it->severity == XA_SEV_MAJOR;
        for (size_t k = 0; !major; k++) {
            json_t *h = xa_doc_item_hazard(ss->doc, f->id, it->code, k);
            if (!h)
                break;
            major = xa_severity_of(xa_doc_str(h, "severity")) == XA_SEV_MAJOR;
        }
        *role = major ? ROLE_MAJOR : ROLE_HAZARD;
        return major ? tui_word(&xa_vocab_severities, XA_SEV_MAJOR) : tui_word(&xa_vocab_results, r);
    }
    if (r == XA_RESULT_NA) {
        *role = ROLE_DIM;
        return tui_word(&xa_vocab_results, r);
    }
    *role = ROLE_DIM;
    return tui_utf8 ? "·" : ".";
}

static void draw_detail(struct app *a, struct check *c, WINDOW *w, int y, int rows, int cols)
{
    struct session *ss = a->sess;
    const xa_form *f;
    const xa_item *it = cur_item(c, &f);
    tui_hrule(w, y++, 0, cols, tui_attr(ROLE_DIM));
    rows--;
    if (!it || rows <= 0)
        return;
    json_t *ans = sess_answer(ss, f->id, it->code);
    char head[200], same[64] = "";
    if (*it->same_as) /* answered once with the item it repeats: say which */
        snprintf(same, sizeof same, T(S_SAME_AS), sess_same_as_code(it));
    snprintf(head, sizeof head, "%s  %s%s%s%s%s", it->code,
             it->severity == XA_SEV_MAJOR ? tui_word(&xa_vocab_severities, XA_SEV_MAJOR) : "",
             !sess_item_applies(ss, it) ? "  " : "", !sess_item_applies(ss, it) ? T(S_R_AUTO_NA) : "",
             *same ? "  " : "", same);
    tui_put(w, y++, 1, head, cols - 2, A_BOLD);
    rows--;
    int used = tui_para(w, y, 1, tui_pick(it->text, it->text_en), cols - 2, rows > 1 ? rows - 1 : rows,
                        A_NORMAL);
    y += used;
    rows -= used;
    if (rows > 0 && it->type == XA_ITEM_COUNT) {
        /* The number (typed here: digits on the item), and the range. */
        json_t *v = json_object_get(ans, "value");
        char range[64] = "";
        sess_item_range(ss, it, range);
        int x = 1 + tui_put(w, y, 1, T(S_CHECK_COUNT_PROMPT), cols - 2, tui_attr(ROLE_KEY));
        if (c->entry == ENTRY_COUNT) {
            int cy = -1, cx = -1;
            tinput_draw(&c->in, w, y, x, 1, 12, 1, tui_attr(ROLE_FIELD), &cy, &cx);
            tui_cursor(a, cy, cx);
            x += 13;
        } else {
            char val[32] = "—";
            if (json_is_integer(v))
                snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
            x += tui_put(w, y, x, val, 12, tui_attr(ROLE_KEY)) + 1;
        }
        char *line = *range ? xa_asprintf("%s %s%s%s", T(S_CHECK_RANGE), range,
                                          c->entry ? "  " : "", c->entry ? T(S_COUNT_ENTER) : "")
                            : xa_strdup(c->entry ? T(S_COUNT_ENTER) : "");
        tui_put(w, y++, x + 1, line, cols - x - 2, tui_attr(ROLE_KEY));
        free(line);
        rows--;
    } else if (rows > 0 && it->type == XA_ITEM_TEXT) {
        /* The answer's text (typed here: typing on the item starts it). */
        int x = 1 + tui_put(w, y, 1, T(S_CHECK_TEXT_PROMPT), cols - 2, tui_attr(ROLE_KEY));
        if (c->entry == ENTRY_TEXT) {
            int cy = -1, cx = -1;
            tinput_draw(&c->in, w, y, x, 1, cols - x - 2, 1, tui_attr(ROLE_FIELD), &cy, &cx);
            tui_cursor(a, cy, cx);
        } else {
            const char *t = xa_doc_str(ans, "text");
            tui_put(w, y, x, *t ? t : T(S_CHECK_TEXT_HINT), cols - x - 2,
                    *t ? A_NORMAL : tui_attr(ROLE_DIM));
        }
        y++;
        rows--;
    } else if (rows > 0 && *it->hint) {
        char *line = xa_asprintf("%s%s", T(S_CHECK_HINT), it->hint);
        tui_put(w, y++, 1, line, cols - 2, tui_attr(ROLE_DIM));
        free(line);
        rows--;
    }
}

/* One row of the list at body line y (row r of the rows). */
static void draw_row(struct session *ss, struct check *c, WINDOW *w, int r, int y, int cols)
{
    struct crow *row = &c->rows[r];
    const xa_form *f = c->forms[row->form];
    if (row->kind == CR_MISSING) {
        tui_putf(w, y, 1, cols - 2, tui_attr(ROLE_WARN), "%s ?",
                 xa_doc_str(json_array_get(json_object_get(ss->doc, "forms"), (size_t)row->form),
                            "id"));
        return;
    }
    if (row->kind == CR_FORM) {
        char *line = xa_asprintf("%s  %d/%zu", tui_pick(f->title, f->title_en),
                                 sess_form_done(ss, f), f->nitems);
        tui_put_pad(w, y, 0, line, cols, tui_attr(ROLE_HEADING) | A_REVERSE);
        free(line);
        return;
    }
    if (row->kind == CR_SECTION) {
        /* The whole section's count, also in the hazard view (where the
         * heading's row starts at its first hazard, not its first item). */
        size_t from = (size_t)row->item;
        while (from > 0 && !strcmp(f->items[from - 1].section, f->items[row->item].section))
            from--;
        int d, t;
        progress(ss, f, from, section_end(f, from), &d, &t);
        char *line = xa_asprintf("%s  %d/%d", f->items[row->item].section, d, t);
        tui_put(w, y, 1, line, cols - 2, tui_attr(ROLE_HEADING));
        free(line);
        return;
    }
    const xa_item *it = &f->items[row->item];
    /* Thin links: the selection is a marker in the first column, so a move
     * rewrites two characters instead of two whole rows; a row is drawn
     * without colours (no attribute changes to send) and its text is cut
     * at THIN_TEXT_COLS (the whole text is in the detail pane at rest),
     * so that a page turned brings in short rows. */
    int sel = r == c->list.sel && !tui_thin;
    attr_t base = tui_sel_attr(sel);
    int plain = sel || tui_thin;
    tui_fill(w, y, 0, cols, base);
    tui_mark(w, y, 0, r == c->list.sel);
    tui_put(w, y, 2, it->code, 8, base);
    enum tui_role role;
    const char *t = tag(ss, f, it, &role);
    char typing[32];
    if (r == c->list.sel && c->entry == ENTRY_COUNT) { /* the number as it is typed */
        char *v = tinput_get(&c->in);
        snprintf(typing, sizeof typing, "%s_", v);
        free(v);
        t = typing;
    }
    tui_put(w, y, 11, t, 7, plain ? base : tui_attr(role));
    size_t nh = sess_item_hazards(ss, f->id, it->code);
    int x = 19;
    if (nh > 1) {
        char n[32];
        snprintf(n, sizeof n, "x%zu ", nh);
        x += tui_put(w, y, x, n, 4, plain ? base : tui_attr(ROLE_HAZARD));
    }
    int width = cols - x - 1;
    if (tui_thin && width > THIN_TEXT_COLS)
        width = THIN_TEXT_COLS;
    tui_put(w, y, x, tui_pick(it->text, it->text_en), width, base);
}

/* The detail pane at its place under the list; in thin-link mode only
 * when the cursor rests (a blank pane until then). */
static void detail_pane(struct app *a, struct check *c, WINDOW *w, int cols)
{
    int y = 1 + c->list_rows;
    if (tui_thin && !a->resting) {
        if (c->detail_shown) {
            for (int k = 1; k < c->detail_rows; k++) {
                wmove(w, y + k, 0);
                wclrtoeol(w);
            }
        } else {
            tui_hrule(w, y, 0, cols, tui_attr(ROLE_DIM));
        }
        c->detail_shown = 0;
        a->rest_pending = 1;
        return;
    }
    for (int k = 1; k < c->detail_rows; k++) {
        wmove(w, y + k, 0);
        wclrtoeol(w);
    }
    draw_detail(a, c, w, y, c->detail_rows, cols);
    c->detail_shown = 1;
}

static void check_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct check *c = s->data;
    struct session *ss = a->sess;
    c->drawn = 0;
    /* Top: overall progress. */
    int done = 0, total = 0;
    for (int fi = 0; fi < c->nforms; fi++)
        if (c->forms[fi]) {
            done += sess_form_done(ss, c->forms[fi]);
            total += (int)c->forms[fi]->nitems;
        }
    int used = tui_putf(w, 0, 1, cols / 2, A_BOLD, T(S_CHECK_PROGRESS), done, total);
    tui_bar(w, 0, used + 2, cols / 4, done, total);
    if (c->only_haz)
        tui_put(w, 0, cols - 14, T(S_CHECK_ONLY_HAZ), 13, tui_attr(ROLE_HAZARD));
    if (!c->nrows) {
        tui_put(w, 2, 2, c->only_haz ? T(S_CHECK_NO_HAZ) : T(S_CHECK_NOFORMS), cols - 4,
                tui_attr(ROLE_DIM));
        return;
    }
    int detail = rows >= 20 ? 7 : 5;
    int lrows = rows - 1 - detail;
    c->list_rows = lrows;
    c->detail_rows = detail;
    tlist_fit(&c->list, lrows);
    for (int r = c->list.top; r < c->nrows && r - c->list.top < lrows; r++)
        draw_row(ss, c, w, r, 1 + r - c->list.top, cols);
    c->detail_shown = 0;
    detail_pane(a, c, w, cols);
    c->drawn = 1;
    c->drawn_sel = c->list.sel;
    c->drawn_top = c->list.top;
    c->drawn_cols = cols;
}

/* After a cursor move within the page (R_ROWS): the row the selection left,
 * the row it came to, the detail pane. */
static void check_draw_rows(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct check *c = s->data;
    if (!c->drawn || c->list.top != c->drawn_top || cols != c->drawn_cols ||
        c->list_rows != rows - 1 - c->detail_rows) {
        werase(w);
        check_draw(a, s, w, rows, cols);
        return;
    }
    if (c->drawn_sel != c->list.sel) {
        if (c->drawn_sel >= 0 && c->drawn_sel < c->nrows)
            draw_row(a->sess, c, w, c->drawn_sel, 1 + c->drawn_sel - c->list.top, cols);
        draw_row(a->sess, c, w, c->list.sel, 1 + c->list.sel - c->list.top, cols);
        c->drawn_sel = c->list.sel;
    }
    detail_pane(a, c, w, cols);
}

/* Move to the next item row after answering (a walk goes item by item). */
static void advance(struct check *c)
{
    for (int r = c->list.sel + 1; r < c->nrows; r++)
        if (c->rows[r].kind == CR_ITEM) {
            c->list.sel = r;
            return;
        }
}

/* Skip heading rows in the direction of travel. */
static void settle(struct check *c, int dir)
{
    int i = c->list.sel;
    while (i >= 0 && i < c->nrows && c->rows[i].kind != CR_ITEM)
        i += dir;
    if (i < 0 || i >= c->nrows) {
        i = c->list.sel;
        while (i >= 0 && i < c->nrows && c->rows[i].kind != CR_ITEM)
            i -= dir;
    }
    if (i >= 0 && i < c->nrows)
        c->list.sel = i;
}

/* Jump to the first item of the next (dir 1) or previous (-1) section. */
static void jump_section(struct check *c, int dir)
{
    int r = c->list.sel;
    if (dir < 0) {
        /* Back to this section's heading, then one more to the previous. */
        while (r > 0 && c->rows[r].kind == CR_ITEM)
            r--;
        r--;
        while (r > 0 && c->rows[r].kind == CR_ITEM)
            r--;
    } else {
        r++;
        while (r < c->nrows && c->rows[r].kind == CR_ITEM)
            r++;
    }
    if (r < 0)
        r = 0;
    if (r >= c->nrows)
        return;
    c->list.sel = r;
    settle(c, 1);
}

static int refuse_sealed(struct app *a)
{
    tui_msg(a, 1, "%s", T(S_ERR_SEALED));
    return R_REDRAW;
}

/* The selected item when it may be changed (the pending note saved first);
 * NULL with *r the key's result when there is none or the visit is sealed. */
static const xa_item *item_to_change(struct app *a, struct check *c, const xa_form **f, int *r)
{
    const xa_item *it = cur_item(c, f);
    if (!it) {
        *r = R_HANDLED;
        return NULL;
    }
    if (a->sess->readonly) {
        *r = refuse_sealed(a);
        return NULL;
    }
    note(a->sess, c);
    return it;
}

/* Answer the selected item with result (and what follows from it). */
static int answer(struct app *a, struct check *c, xa_result result)
{
    struct session *ss = a->sess;
    const xa_form *f;
    int r;
    const xa_item *it = item_to_change(a, c, &f, &r);
    if (!it)
        return r;
    if (it->type == XA_ITEM_COUNT && result == XA_RESULT_PASS &&
        !json_is_integer(json_object_get(sess_answer(ss, f->id, it->code), "value"))) {
        /* A count needs its number first: typed on the item. */
        tinput_set(&c->in, "");
        c->entry = ENTRY_COUNT;
        tui_msg(a, 0, "%s", T(S_COUNT_FIRST));
        return R_REDRAW;
    }
    sess_set_result(ss, f->id, it->code, result);
    tui_commit_answer(a, f->id, it->code);
    if (result == XA_RESULT_HAZARD && it->severity != XA_SEV_ADVICE) {
        if (!sess_item_hazards(ss, f->id, it->code) && tui_push(a, &scr_hazard, NULL))
            c->advance_back = 1; /* record the hazard now, then on to the next item */
        return R_REDRAW;
    }
    /* A 建议项 (advice) not met is a recommendation, not a hazard: no
     * hazard editor (the inspector may still add one with the hazard key). */
    if (result != XA_RESULT_UNCHECKED)
        advance(c);
    note(ss, c);
    return R_REDRAW;
}

/* Open the hazard editor for an item whose answer became 隐患 (a count
 * out of range), then carry on with the walk when it closes. */
static void hazard_now(struct app *a, struct check *c, const xa_form *f, const xa_item *it)
{
    if (it->severity != XA_SEV_ADVICE && !sess_item_hazards(a->sess, f->id, it->code) &&
        tui_push(a, &scr_hazard, NULL))
        c->advance_back = 1;
}

/* Enter on what was typed on the item: a count gets its number (and its
 * result from the range; out of range opens the hazard editor), a text item
 * its text (and 符合 when it had no answer); then the next unanswered item. */
static int entry_confirm(struct app *a, struct check *c)
{
    struct session *ss = a->sess;
    const xa_form *f;
    const xa_item *it = cur_item(c, &f);
    char *v = tinput_get(&c->in);
    int kind = c->entry;
    if (!it || (kind == ENTRY_COUNT && !*v)) {
        c->entry = ENTRY_NONE;
        free(v);
        return R_REDRAW;
    }
    int out = 0;
    if (kind == ENTRY_COUNT) {
        long n;
        if (!sess_count_parse(v, &n)) {
            tui_msg(a, 1, "%s", T(S_COUNT_BAD));
            free(v);
            return R_REDRAW;
        }
        out = sess_set_count(ss, f, it, n);
    } else {
        xa_doc_set_str(xa_doc_answer_ensure(ss->doc, f->id, it->code), "text", v);
        if (*v && sess_result(ss, f->id, it->code) == XA_RESULT_UNCHECKED)
            sess_set_result(ss, f->id, it->code, XA_RESULT_PASS);
    }
    free(v);
    c->entry = ENTRY_NONE;
    tui_commit_answer(a, f->id, it->code);
    if (out) {
        hazard_now(a, c, f, it);
        return R_REDRAW;
    }
    if (!next_unanswered(ss, c))
        tui_msg(a, 0, "%s", T(S_CHECK_ALL_DONE));
    note(ss, c);
    return R_REDRAW;
}

/* A key while typing on the item. */
static int entry_key(struct app *a, struct check *c, const struct tui_key *k, enum tui_action act)
{
    if (act == ACT_QUIT || act == ACT_HELP || act == ACT_REDRAW)
        return R_NONE;
    int enter = (!k->is_key && k->ch == '\r') || k->code == KK(KEY_ENTER) || k->code == KK(KEY_F(2)) ||
                k->code == KCTRL('s');
    if (enter)
        return entry_confirm(a, c);
    if (act == ACT_BACK || k->code == '\t') { /* Esc: nothing is kept */
        c->entry = ENTRY_NONE;
        a->msg[0] = '\0';
        return R_REDRAW;
    }
    if (c->entry == ENTRY_COUNT && !k->is_key && k->ch >= 32 && k->ch != 127 &&
        (k->ch < '0' || k->ch > '9')) {
        tui_msg(a, 1, "%s", T(S_COUNT_BAD)); /* refused on the spot */
        return R_REDRAW;
    }
    tinput_key(&c->in, k);
    return R_REDRAW;
}

/* A key on an item that starts typing on it: a digit on a count item, a
 * character that is no action on a text item.  0 when it does not. */
static int entry_start(struct app *a, struct check *c, const struct tui_key *k, enum tui_action act)
{
    struct session *ss = a->sess;
    const xa_form *f;
    const xa_item *it = cur_item(c, &f);
    if (!it || ss->readonly || k->is_key || k->ch < 32 || k->ch == 127)
        return 0;
    if (it->type == XA_ITEM_COUNT) {
        if (k->ch == '-' || k->ch == '.' || k->ch == '+') {
            tui_msg(a, 1, "%s", T(S_COUNT_BAD));
            return 1;
        }
        if (k->ch < '0' || k->ch > '9')
            return 0;
        tinput_set(&c->in, "");
        c->entry = ENTRY_COUNT;
    } else if (it->type == XA_ITEM_TEXT && act == ACT_NONE) {
        tinput_set(&c->in, xa_doc_str(sess_answer(ss, f->id, it->code), "text"));
        c->entry = ENTRY_TEXT;
    } else {
        return 0;
    }
    note(ss, c);
    a->msg[0] = '\0';
    tinput_key(&c->in, k);
    return 1;
}

static int check_key(struct app *a, struct screen *s, const struct tui_key *k,
                     enum tui_action act)
{
    struct check *c = s->data;
    struct session *ss = a->sess;
    int rows = c->list_rows > 0 ? c->list_rows : 10;
    if (c->entry)
        return entry_key(a, c, k, act);
    if (entry_start(a, c, k, act))
        return R_REDRAW;
    switch (act) {
    case ACT_UP:
    case ACT_PGUP:
    case ACT_FIRST:
    case ACT_DOWN:
    case ACT_PGDN:
    case ACT_LAST: {
        int sel = c->list.sel, top = c->list.top;
        int back = act == ACT_UP || act == ACT_PGUP || act == ACT_LAST;
        tlist_move(&c->list, act, rows);
        settle(c, back ? -1 : 1);
        note(ss, c);
        if (c->list.sel == sel && c->list.top == top)
            return R_HANDLED;
        /* Within the page: the two rows and the detail pane (check_draw_rows). */
        tlist_fit(&c->list, rows);
        return c->list.top == top && c->drawn ? R_ROWS : R_REDRAW;
    }
    case ACT_NEXT_SECT:
    case ACT_PREV_SECT:
        jump_section(c, act == ACT_NEXT_SECT ? 1 : -1);
        note(ss, c);
        return R_REDRAW;
    case ACT_PASS:
        return answer(a, c, XA_RESULT_PASS);
    case ACT_HAZARD:
        return answer(a, c, XA_RESULT_HAZARD);
    case ACT_NA:
        return answer(a, c, XA_RESULT_NA);
    case ACT_CLEAR:
        return answer(a, c, XA_RESULT_UNCHECKED);
    case ACT_NEXT_UNANS:
        if (!next_unanswered(ss, c))
            tui_msg(a, 0, "%s", T(S_CHECK_ALL_DONE));
        note(ss, c);
        return R_REDRAW;
    case ACT_ONLY_HAZ:
        c->only_haz = !c->only_haz;
        rebuild(ss, c);
        note(ss, c);
        return R_REDRAW;
    case ACT_DETAIL:
        if (cur(c)) {
            note(ss, c);
            tui_push(a, &scr_item, NULL);
        }
        return R_REDRAW;
    case ACT_ADD_HAZ: {
        const xa_form *f;
        int r;
        const xa_item *it = item_to_change(a, c, &f, &r);
        if (!it)
            return r;
        if (sess_result(ss, f->id, it->code) != XA_RESULT_HAZARD) {
            sess_set_result(ss, f->id, it->code, XA_RESULT_HAZARD);
            tui_commit(a);
        }
        tui_push(a, &scr_hazard, NULL);
        return R_REDRAW;
    }
    case ACT_FORMS:
        if (ss->readonly)
            return refuse_sealed(a);
        tui_push(a, &scr_forms, NULL);
        return R_REDRAW;
    case ACT_FOLLOWUPS:
        tui_push(a, &scr_follow, NULL);
        return R_REDRAW;
    case ACT_REVIEW:
        tui_push(a, &scr_review, NULL);
        return R_REDRAW;
    case ACT_START:
        tui_push(a, &scr_start, NULL);
        return R_REDRAW;
    default:
        return R_NONE;
    }
}

static int check_text(struct app *a, struct screen *s)
{
    (void)a;
    return ((struct check *)s->data)->entry != ENTRY_NONE;
}

/* A sealed visit's checklist offers 更正, not the answers it refuses. */
static int check_offers(struct app *a, struct screen *s, enum tui_action act)
{
    (void)s;
    if (!a->sess->readonly)
        return 0;
    if (act == ACT_PASS || act == ACT_HAZARD || act == ACT_NA || act == ACT_NEXT_UNANS)
        return -1;
    return act == ACT_CORRECT ? 1 : 0;
}

const struct screen_ops scr_check = {
    .id = SCR_CHECK,
    .name = "check",
    .data_size = sizeof(struct check),
    .enter = check_enter,
    .draw = check_draw,
    .draw_rows = check_draw_rows,
    .key = check_key,
    .resume = check_resume,
    .leave = check_leave,
    .title = check_title,
    .text_focus = check_text,
    .offers = check_offers,
};
