/* scr_follow.c — follow-ups: the open hazards the brief lists for this
 * school, each to be given a verdict (1 已整改, 2 部分整改, 3 未整改,
 * 4 无法核查) and a note.  A verdict is saved at once; the note as it is
 * typed.  F5 (or p) opens the follow-up's photos (整改后, scr_attach.c)
 * once it has its verdict. */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/clock.h"
#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>


struct follow {
    struct bhazard **haz;   /* this school's hazards in the brief */
    int n;
    struct tlist list;
    int editing;            /* the note has the focus */
    struct tinput note;
    int note_for;           /* list index the note belongs to (-1: none) */
    int list_rows;
};

static const char *verdict_label(const char *v)
{
    xa_verdict id = xa_verdict_of(v);
    return id >= 0 ? tui_word(&xa_vocab_verdicts, id) : T(S_V_NONE);
}

/* Load the note of the selected hazard into the editor. */
static void load_note(struct app *a, struct follow *d)
{
    if (d->note_for == d->list.sel || !d->n)
        return;
    json_t *fu = xa_doc_followup(a->sess->doc, d->haz[d->list.sel]->id);
    tinput_set(&d->note, fu ? xa_doc_str(fu, "note") : "");
    d->note.changed = 0;
    d->note_for = d->list.sel;
}

/* Major hazards first, then the oldest first. */
static int by_urgency(const void *x, const void *y)
{
    const struct bhazard *a = *(struct bhazard *const *)x, *b = *(struct bhazard *const *)y;
    int ma = xa_severity_of(a->severity) == XA_SEV_MAJOR;
    int mb = xa_severity_of(b->severity) == XA_SEV_MAJOR;
    if (ma != mb)
        return mb - ma;
    int c = strcmp(a->found, b->found);
    return c ? c : strcmp(a->id, b->id);
}

static int follow_enter(struct app *a, struct screen *s, void *arg)
{
    (void)arg;
    struct session *ss = a->sess;
    if (!ss->doc)
        return 0;
    struct follow *d = s->data;
    d->haz = xa_calloc(ss->nhaz + 1, sizeof *d->haz);
    for (size_t i = 0; i < ss->nhaz; i++)
        if (sess_hazard_to_recheck(ss, &ss->haz[i]))
            d->haz[d->n++] = &ss->haz[i];
    qsort(d->haz, (size_t)d->n, sizeof *d->haz, by_urgency);
    d->list.n = d->n;
    tinput_init(&d->note, 1, 0);
    d->note_for = -1;
    if (ss->ui.sub >= 0 && ss->ui.sub < d->n)
        d->list.sel = ss->ui.sub;
    load_note(a, d);
    return 1;
}

static void follow_flush(struct app *a, struct screen *s)
{
    struct follow *d = s->data;
    if (!d->note.changed || d->note_for < 0 || a->sess->readonly)
        return;
    d->note.changed = 0;
    json_t *fu = xa_doc_followup(a->sess->doc, d->haz[d->note_for]->id);
    if (!fu)
        return;
    char *v = tinput_get(&d->note);
    xa_doc_set_str(fu, "note", v);
    free(v);
    sess_dirty(a->sess);
}

static void follow_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct follow *d = s->data;
    tinput_free(&d->note);
    free(d->haz);
}

static const char *follow_title(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return T(S_FU_TITLE);
}

static void follow_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct follow *d = s->data;
    struct session *ss = a->sess;
    if (!d->n) {
        tui_put(w, 1, 2, T(S_FU_NONE), cols - 4, tui_attr(ROLE_DIM));
        return;
    }
    int detail = rows >= 20 ? 9 : 7;
    int lrows = (rows - detail) / 2; /* two rows per hazard */
    if (lrows < 1)
        lrows = 1;
    d->list_rows = lrows;
    tlist_fit(&d->list, lrows);
    int y = 0;
    for (int r = d->list.top; r < d->n && r - d->list.top < lrows; r++, y += 2) {
        struct bhazard *h = d->haz[r];
        int sel = r == d->list.sel;
        attr_t at = tui_sel_attr(sel);
        json_t *fu = xa_doc_followup(ss->doc, h->id);
        const char *v = fu ? xa_doc_str(fu, "verdict") : NULL;
        int major = xa_severity_of(h->severity) == XA_SEV_MAJOR;
        tui_fill(w, y, 0, cols, at);
        tui_mark(w, y, 0, sel);
        sel = sel && !tui_thin; /* below: the highlight's colours */
        int x = 1 + tui_put(w, y, 1, tui_word(&xa_vocab_severities, major ? XA_SEV_MAJOR : XA_SEV_GENERAL), 6,
                            sel ? at : tui_attr(major ? ROLE_MAJOR : ROLE_HAZARD));
        tui_put(w, y, x + 1, h->description, cols - x - 16, at);
        tui_put(w, y, cols - 13, verdict_label(v), 12,
                sel ? at : tui_attr(fu ? ROLE_PASS : ROLE_DIM));
        char found[XA_DATE_MAX];
        snprintf(found, sizeof found, "%.10s", h->found);
        tui_putf(w, y + 1, 4, cols - 5, tui_attr(ROLE_DIM), T(S_FU_FOUND), found, h->deadline);
    }
    /* The selected hazard in full, and its note; on a thin link only once
     * the cursor rests (or while the note is typed). */
    struct bhazard *h = d->haz[d->list.sel];
    y = rows - detail;
    tui_hrule(w, y++, 0, cols, tui_attr(ROLE_DIM));
    if (tui_thin && !a->resting && !d->editing) {
        a->rest_pending = 1;
        return;
    }
    y += tui_para(w, y, 1, h->description, cols - 2, 2, A_BOLD);
    char *more = xa_asprintf("%s：%s  %s：%s  %s：%s", T(S_F_LOCATION), h->location,
                             T(S_F_RESPONSIBLE), h->responsible, T(S_F_REQUIREMENT),
                             h->requirement);
    y += tui_para(w, y, 1, more, cols - 2, 2, tui_attr(ROLE_DIM));
    free(more);
    int photos = (int)xa_attach_count(ss->doc, "followup", h->id);
    int used = tui_put(w, y, 1, T(S_FU_NOTE), cols - 2, d->editing ? tui_attr(ROLE_KEY) : A_NORMAL);
    tui_putf(w, y++, used + 3, cols - used - 4, photos ? A_NORMAL : tui_attr(ROLE_DIM), T(S_AT_COUNT), photos);
    int cy = -1, cx = -1;
    tinput_draw(&d->note, w, y, 2, rows - y, cols - 4, d->editing,
                d->editing ? tui_attr(ROLE_FIELD) : A_NORMAL, &cy, &cx);
    if (d->editing)
        tui_cursor(a, cy, cx);
}

static int follow_key(struct app *a, struct screen *s, const struct tui_key *k,
                      enum tui_action act)
{
    struct follow *d = s->data;
    struct session *ss = a->sess;
    if (d->editing) {
        if (act == ACT_BACK || act == ACT_DONE || k->code == '\t') {
            d->editing = 0;
            follow_flush(a, s);
            return R_REDRAW;
        }
        if (act == ACT_QUIT || act == ACT_HELP || act == ACT_REDRAW)
            return R_NONE;
        if (tinput_key(&d->note, k) && d->note.changed)
            tui_text_edited(a);
        return R_REDRAW;
    }
    if (act == ACT_REVIEW) {
        follow_flush(a, s);
        /* Opened from the review's warning: back to it, not a second one. */
        if (a->depth >= 2 && a->stack[a->depth - 2].ops->id == SCR_REVIEW)
            tui_pop(a);
        else
            tui_push(a, &scr_review, NULL);
        return R_REDRAW;
    }
    if (!d->n)
        return R_NONE; /* nothing to re-check: s/F9 above still review (bug 4) */
    if (act == ACT_PHOTOS) {
        /* The photos (整改后) belong to the follow-up: it needs its verdict first. */
        const char *id = d->haz[d->list.sel]->id;
        if (!xa_doc_followup(ss->doc, id)) {
            tui_msg(a, 1, "%s", T(S_FU_PHOTO_FIRST));
            return R_REDRAW;
        }
        follow_flush(a, s);
        tui_attach_open(a, XA_ATTACH_FOLLOWUP, id, T(S_AT_FOR_FOLLOWUP));
        return R_REDRAW;
    }
    int moved = tlist_move(&d->list, act, d->list_rows > 0 ? d->list_rows : 5);
    if (moved == R_REDRAW) {
        follow_flush(a, s);
        load_note(a, d);
        sess_note_pos(ss, ss->ui.form, ss->ui.item, d->list.sel);
    }
    if (moved)
        return moved;
    xa_verdict v = act == ACT_V1   ? XA_VERDICT_RECTIFIED
                   : act == ACT_V2 ? XA_VERDICT_PARTLY
                   : act == ACT_V3 ? XA_VERDICT_NOT
                   : act == ACT_V4 ? XA_VERDICT_UNABLE
                                   : XA_VERDICT_UNKNOWN;
    if (v >= 0 || act == ACT_DETAIL) {
        if (ss->readonly) {
            tui_msg(a, 1, "%s", T(S_ERR_SEALED));
            return R_REDRAW;
        }
        const char *id = d->haz[d->list.sel]->id;
        if (v >= 0) {
            xa_doc_followup_ensure(ss->doc, id, v);
            tui_commit(a);
            return R_REDRAW;
        }
        if (!xa_doc_followup(ss->doc, id)) {
            tui_msg(a, 1, "%s", T(S_FU_VERDICT_FIRST));
            return R_REDRAW;
        }
        d->editing = 1;
        return R_REDRAW;
    }
    return R_NONE;
}

static int follow_text(struct app *a, struct screen *s)
{
    (void)a;
    return ((struct follow *)s->data)->editing;
}

const struct screen_ops scr_follow = {
    .id = SCR_FOLLOW,
    .name = "follow",
    .data_size = sizeof(struct follow),
    .enter = follow_enter,
    .draw = follow_draw,
    .key = follow_key,
    .leave = follow_leave,
    .flush = follow_flush,
    .title = follow_title,
    .text_focus = follow_text,
};
