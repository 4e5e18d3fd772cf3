/* scr_hazard.c — the hazard editor: description (empty; the item's text is
 * shown above it as the reference, never copied in), location (the item's,
 * when it had one), level (the item's default, which can be raised to major but
 * not lowered below a major item's), rectification requirement, deadline
 * (from the brief: 30 days for general, 15 for major, following the level
 * until edited by hand), for a major hazard its interim control (临时管控措施,
 * e.g. 停用该场所: asked for when the level becomes major, read-only for a
 * general one), the school's responsible person, measures taken on
 * the spot and whether it was rectified there, free notes; the photos
 * (整改前) are counted on the last row, F5 opens them (scr_attach.c).  F8 twice
 * deletes the hazard.  F2 goes back to where the hazard was begun: the
 * checklist (also when it was added from the item's details) or the review
 * page; Esc goes back one screen. */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/clock.h"
#include "xiaoan/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { K_DESC, K_LOC, K_LEVEL, K_INTERIM, K_REQ, K_DEADLINE, K_RESP, K_MEASURES, K_ONSITE, K_NOTES };

static const struct {
    int key;
    enum fkind kind;
    enum tui_str label;
    const char *member;
} layout[] = {
    {K_DESC, F_MULTI, S_F_DESC, "description"},
    {K_LOC, F_TEXT, S_F_LOCATION, "location"},
    {K_LEVEL, F_CHOICE, S_F_LEVEL, "severity"},
    {K_INTERIM, F_MULTI, S_F_INTERIM, "interim"},
    {K_REQ, F_MULTI, S_F_REQUIREMENT, "requirement"},
    {K_DEADLINE, F_DATE, S_F_DEADLINE, "deadline"},
    {K_RESP, F_TEXT, S_F_RESPONSIBLE, "responsible"},
    {K_MEASURES, F_MULTI, S_F_MEASURES, "measures"},
    {K_ONSITE, F_CHECK, S_F_ON_SITE, "rectified_on_site"},
    {K_NOTES, F_MULTI, S_F_NOTES, "notes"},
};

struct hazard {
    const xa_form *form;
    const xa_item *it;
    json_t *h;            /* the hazard object inside the document */
    int index;            /* among the item's hazards */
    struct fields fs;
    const char *levels[2];
    int confirm_delete;
};

/* The interim control is for a major hazard: editable (and asked for) then,
 * read-only with a hint for a general one. */
static void interim_follow_level(struct hazard *d)
{
    struct field *f = fields_get(&d->fs, K_INTERIM);
    int major = fields_get(&d->fs, K_LEVEL)->value != 0;
    f->readonly = !major;
    f->hint = T(major ? S_F_INTERIM_HINT : S_F_INTERIM_GENERAL);
}

static int hazard_enter(struct app *a, struct screen *s, void *arg)
{
    struct session *ss = a->sess;
    const xa_form *form;
    const xa_item *it = sess_cur_item(ss, &form);
    if (!it)
        return 0;
    int want = (int)(intptr_t)arg - 1; /* -1: a new hazard */
    json_t *h = want >= 0 ? xa_doc_item_hazard(ss->doc, form->id, it->code, (size_t)want) : NULL;
    if (want >= 0 && !h)
        return 0; /* an existing hazard was asked for: never a new blank one instead */
    if (!h) {
        if (ss->readonly)
            return 0;
        h = xa_doc_hazard_add(ss->doc, form, it, &ss->days, sess_today());
        /* This screen is not set up yet; the one below flushed its text. */
        if (!sess_commit(ss))
            tui_msg(a, 1, T(S_ERR), sess_save_error(ss));
        want = (int)xa_doc_item_hazards(ss->doc, form->id, it->code) - 1;
    }
    struct hazard *d = s->data;
    d->form = form;
    d->it = it;
    d->h = h;
    d->index = want;
    sess_note_pos(ss, ss->ui.form, ss->ui.item, want);
    fields_init(&d->fs);
    d->fs.readonly = ss->readonly;
    d->levels[0] = tui_word(&xa_vocab_severities, XA_SEV_GENERAL);
    d->levels[1] = tui_word(&xa_vocab_severities, XA_SEV_MAJOR);
    for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++) {
        struct field *f = fields_add(&d->fs, layout[i].kind, layout[i].key, T(layout[i].label));
        json_t *v = json_object_get(h, layout[i].member);
        if (layout[i].kind == F_CHOICE) {
            f->choices = d->levels;
            f->nchoices = 2;
            f->value = xa_severity_of(json_string_value(v)) == XA_SEV_MAJOR;
            f->min_choice = it->severity == XA_SEV_MAJOR;
        } else if (layout[i].kind == F_CHECK) {
            f->value = json_is_true(v);
        } else {
            tinput_set(&f->in, json_string_value(v) ? json_string_value(v) : "");
        }
        if (layout[i].key == K_LOC)
            f->hint = T(S_F_LOCATION_HINT);
        if (layout[i].key == K_DEADLINE)
            f->hint = "2026-12-14";
    }
    interim_follow_level(d);
    return 1;
}

/* Write typed text into the hazard; a deadline only when it is a date. */
static void hazard_flush(struct app *a, struct screen *s)
{
    struct hazard *d = s->data;
    if (a->sess->readonly || !d->h)
        return;
    for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++) {
        struct field *f = fields_get(&d->fs, layout[i].key);
        if (!f->dirty)
            continue;
        f->dirty = 0;
        char *v = tinput_get(&f->in);
        if (f->kind == F_DATE) {
            int64_t day;
            f->bad = *v && xa_date_parse(v, &day, NULL) != XA_OK;
            if (!f->bad)
                xa_doc_set_str(d->h, layout[i].member, *v ? v : NULL);
        } else {
            xa_doc_set_str(d->h, layout[i].member, v);
        }
        free(v);
        sess_dirty(a->sess);
    }
}

static void hazard_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct hazard *d = s->data;
    fields_free(&d->fs);
}

static const char *hazard_title(struct app *a, struct screen *s)
{
    (void)a;
    struct hazard *d = s->data;
    static char t[128];
    snprintf(t, sizeof t, "%s %d %s %s", T(S_HAZ_TITLE), d->index + 1, tui_utf8 ? "·" : "-",
             d->it->code);
    return t;
}

static void hazard_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct hazard *d = s->data;
    /* The item as a reference (what is compliant), two rows at most. */
    char *head = xa_asprintf("%s%s  %s", T(S_HAZ_REFERENCE), d->it->code,
                             tui_pick(d->it->text, d->it->text_en));
    int used = tui_para(w, 0, 1, head, cols - 2, rows >= 20 ? 2 : 1, tui_attr(ROLE_DIM));
    free(head);
    /* The photos (整改前) on the last row: F5 adds and lists them. */
    int photos = d->h ? (int)xa_attach_count(a->sess->doc, "hazard", xa_doc_str(d->h, "id")) : 0;
    tui_putf(w, rows - 1, 1, cols - 2, photos ? A_NORMAL : tui_attr(ROLE_DIM), T(S_AT_COUNT), photos);
    fields_draw(&d->fs, w, used, 1, rows - used - 1, cols - 2);
    tui_cursor(a, d->fs.cy, d->fs.cx);
}

/* F2: back to the checklist when the hazard was begun from the item's
 * details (one key, not two), else to the screen below (checklist, review). */
static void hazard_done(struct app *a)
{
    if (a->depth >= 3 && a->stack[a->depth - 2].ops->id == SCR_ITEM &&
        a->stack[a->depth - 3].ops->id == SCR_CHECK)
        tui_pop_to(a, SCR_CHECK);
    else
        tui_pop(a);
}

/* The level changed: move the deadline with it unless it was set by hand. */
static void level_changed(struct app *a, struct hazard *d)
{
    struct session *ss = a->sess;
    xa_severity sev = fields_get(&d->fs, K_LEVEL)->value ? XA_SEV_MAJOR : XA_SEV_GENERAL;
    xa_severity old = xa_severity_of(xa_doc_str(d->h, "severity"));
    char was[XA_DATE_MAX], now[XA_DATE_MAX];
    xa_doc_deadline(old, &ss->days, sess_today(), was);
    xa_doc_deadline(sev, &ss->days, sess_today(), now);
    xa_doc_set_str(d->h, "severity", xa_severity_key(sev));
    struct field *dl = fields_get(&d->fs, K_DEADLINE);
    char *cur = tinput_get(&dl->in);
    if (!*cur || !strcmp(cur, was)) {
        tinput_set(&dl->in, now);
        xa_doc_set_str(d->h, "deadline", now);
        dl->bad = 0;
    }
    free(cur);
}

static int hazard_key(struct app *a, struct screen *s, const struct tui_key *k,
                      enum tui_action act)
{
    struct hazard *d = s->data;
    struct session *ss = a->sess;
    if (act == ACT_DELETE) {
        if (ss->readonly)
            return R_HANDLED;
        if (!d->confirm_delete) {
            d->confirm_delete = 1;
            tui_msg(a, 1, "%s", T(S_HAZ_DELETE_CONFIRM));
            return R_REDRAW;
        }
        xa_doc_hazard_remove(ss->doc, d->h);
        tui_commit(a);
        d->h = NULL;
        tui_pop(a);
        tui_msg(a, 0, "%s", T(S_HAZ_DELETED));
        return R_REDRAW;
    }
    d->confirm_delete = 0;
    if (act == ACT_PHOTOS && d->h) {
        hazard_flush(a, s);
        char label[96];
        snprintf(label, sizeof label, T(S_AT_FOR_HAZARD), d->index + 1, d->it->code);
        tui_attach_open(a, XA_ATTACH_HAZARD, xa_doc_str(d->h, "id"), label);
        return R_REDRAW;
    }
    if (act == ACT_DONE) {
        hazard_done(a);
        return R_REDRAW;
    }
    int changed, pressed;
    int r = fields_key(&d->fs, k, act, &changed, &pressed);
    if (r == R_NONE)
        return R_NONE;
    if (changed == K_LEVEL) {
        level_changed(a, d);
        interim_follow_level(d);
        struct field *im = fields_get(&d->fs, K_INTERIM);
        if (!im->readonly) {
            char *v = tinput_get(&im->in);
            if (!*v)
                tui_msg(a, 1, "%s", T(S_HAZ_ASK_INTERIM));
            free(v);
        } else if (json_object_get(d->h, "interim")) {
            /* back to general: an interim control no longer applies */
            json_object_del(d->h, "interim");
            tinput_set(&im->in, "");
        }
        tui_commit(a);
    } else if (changed == K_ONSITE) {
        json_object_set_new(d->h, "rectified_on_site",
                            json_boolean(fields_get(&d->fs, K_ONSITE)->value));
        tui_commit(a);
    } else if (changed >= 0) {
        struct field *f = fields_get(&d->fs, changed);
        if (f->kind == F_DATE) {
            /* Show a bad date at once; it is written only once it parses. */
            char *v = tinput_get(&f->in);
            int64_t day;
            f->bad = *v && (strlen(v) < 10 || xa_date_parse(v, &day, NULL) != XA_OK);
            free(v);
        }
        tui_text_edited(a);
    }
    if (fields_get(&d->fs, K_DEADLINE)->bad)
        tui_msg(a, 1, "%s", T(S_DATE_FMT_BAD));
    else if (a->msg_warn && !d->confirm_delete)
        a->msg[0] = '\0';
    return R_REDRAW;
}

static int hazard_text(struct app *a, struct screen *s)
{
    (void)a;
    return fields_text_focus(&((struct hazard *)s->data)->fs);
}

const struct screen_ops scr_hazard = {
    .id = SCR_HAZARD,
    .name = "hazard",
    .data_size = sizeof(struct hazard),
    .enter = hazard_enter,
    .draw = hazard_draw,
    .key = hazard_key,
    .leave = hazard_leave,
    .flush = hazard_flush,
    .title = hazard_title,
    .text_focus = hazard_text,
};
