/* scr_home.c — the home screen: the brief's assignments and the schools
 * with open hazards, then drafts, sealed and exported visits, each with a
 * count, and the bundles exported with whether the office has acknowledged
 * them (a receipt in the brief names the bundle's file hash); the brief's
 * age and the office fingerprint on top.  Also
 * tui_start, which puts home on the stack after unlocking and reopens the
 * draft that was open when the program last stopped, where it was left. */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/clock.h"
#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>

enum row_kind { ROW_HEAD, ROW_EMPTY, ROW_ASSIGN, ROW_OPEN, ROW_VISIT, ROW_BUNDLE };

struct row {
    enum row_kind kind;
    int idx;              /* assignment, school, visit or export index; a heading's second count */
    enum tui_str head;
    int count;
};

struct home {
    xa_visit_list visits;
    xa_export_info *exports; /* newest first */
    size_t nexports;
    struct row *rows;
    int nrows;
    struct tlist list;
    int confirm_discard;  /* row index waiting for a second D */
};

static void add_row(struct home *h, enum row_kind kind, int idx, enum tui_str head, int count)
{
    h->rows = xa_reallocarray(h->rows, (size_t)(h->nrows + 1), sizeof *h->rows);
    h->rows[h->nrows++] = (struct row){kind, idx, head, count};
}

/* The brief's receipt for the bundle with file hash `hash`, or NULL: the
 * office merged that bundle. */
static const json_t *receipt_of(const struct session *ss, const char *hash)
{
    size_t i;
    const json_t *r;
    json_array_foreach(ss->records, i, r) {
        if (!strcmp(xa_doc_str(r, "type"), "receipt") && !strcmp(xa_doc_str(r, "bundle"), hash))
            return r;
    }
    return NULL;
}

/* Rebuild the rows from the brief and the store. */
static void rebuild(struct app *a, struct home *h)
{
    struct session *ss = a->sess;
    xa_visit_list_clear(&h->visits);
    memset(&h->visits, 0, sizeof h->visits);
    xa_err err;
    if (xa_fstore_visit_list(ss->fs, &h->visits, &err) != XA_OK)
        tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
    free(h->rows);
    h->rows = NULL;
    h->nrows = 0;

    add_row(h, ROW_HEAD, 0, S_HOME_ASSIGN, (int)ss->nasg);
    for (size_t i = 0; i < ss->nasg; i++)
        add_row(h, ROW_ASSIGN, (int)i, 0, 0);
    if (!ss->nasg)
        add_row(h, ROW_EMPTY, 0, 0, 0);

    int nopen = 0;
    for (size_t i = 0; i < ss->ncited; i++)
        nopen += ss->cited[i].nopen > 0;
    add_row(h, ROW_HEAD, 0, S_HOME_OPEN, nopen);
    for (size_t i = 0; i < ss->ncited; i++)
        if (ss->cited[i].nopen)
            add_row(h, ROW_OPEN, (int)i, 0, 0);
    if (!nopen)
        add_row(h, ROW_EMPTY, 0, 0, 0);

    static const struct {
        enum tui_str head;
        xa_visit_state st, st2;
    } groups[] = {{S_HOME_DRAFTS, XA_VISIT_DRAFT, XA_VISIT_DRAFT},
                  {S_HOME_SEALED, XA_VISIT_SEALED, XA_VISIT_SEALED},
                  {S_HOME_EXPORTED, XA_VISIT_EXPORTED, XA_VISIT_ACKNOWLEDGED}};
    for (size_t g = 0; g < 3; g++) {
        int n = 0;
        for (size_t i = 0; i < h->visits.n; i++)
            n += h->visits.v[i].state == groups[g].st || h->visits.v[i].state == groups[g].st2;
        int acked = 0;
        for (size_t i = 0; i < h->visits.n; i++)
            acked += h->visits.v[i].state == XA_VISIT_ACKNOWLEDGED;
        add_row(h, ROW_HEAD, g == 2 ? acked : 0, groups[g].head, n);
        for (size_t i = 0; i < h->visits.n; i++)
            if (h->visits.v[i].state == groups[g].st || h->visits.v[i].state == groups[g].st2)
                add_row(h, ROW_VISIT, (int)i, 0, 0);
        if (!n)
            add_row(h, ROW_EMPTY, 0, 0, 0);
    }

    /* the bundles, and which of them the office has acknowledged */
    free(h->exports);
    h->exports = NULL;
    h->nexports = 0;
    if (xa_fstore_exports(ss->fs, &h->exports, &h->nexports, &err) != XA_OK)
        tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
    int nacked = 0;
    for (size_t i = 0; i < h->nexports; i++)
        nacked += receipt_of(ss, h->exports[i].hash) != NULL;
    add_row(h, ROW_HEAD, nacked, S_HOME_BUNDLES, (int)h->nexports);
    for (size_t i = 0; i < h->nexports; i++)
        add_row(h, ROW_BUNDLE, (int)i, 0, 0);
    if (!h->nexports)
        add_row(h, ROW_EMPTY, 0, 0, 0);
    h->list.n = h->nrows;
    /* The selection never rests on a heading. */
    if (h->list.sel < h->nrows && h->rows[h->list.sel].kind == ROW_HEAD)
        h->list.sel++;
}

static int selectable(const struct row *r)
{
    return r->kind != ROW_HEAD && r->kind != ROW_EMPTY;
}

static int home_enter(struct app *a, struct screen *s, void *arg)
{
    (void)arg;
    struct home *h = s->data;
    rebuild(a, h);
    for (int i = 0; i < h->nrows; i++)
        if (selectable(&h->rows[i])) {
            h->list.sel = i;
            break;
        }
    return 1;
}

/* Home is on top again: the visit is finished with. */
static void home_resume(struct app *a, struct screen *s)
{
    sess_visit_close(a->sess);
    sess_note_screen(a->sess, scr_home.name);
    rebuild(a, s->data);
}

static void home_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct home *h = s->data;
    xa_visit_list_clear(&h->visits);
    free(h->exports);
    free(h->rows);
}

static const char *home_title(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return T(S_HOME_TITLE);
}

/* An assignment as one line: school, county, method, due date (逾期 when
 * past it), the team, the focus forms. */
static char *assign_line(struct session *ss, const struct bassign *as)
{
    struct bschool *b = sess_school(ss, as->school);
    char due[64] = "";
    if (as->due && *as->due)
        snprintf(due, sizeof due, T(S_HOME_DUE), as->due);
    xa_buf forms = XA_BUF_INIT;
    xa_buf_puts(&forms, "");
    size_t i;
    const json_t *m;
    json_array_foreach(as->forms, i, m) {
        const xa_form *f = sess_form(ss, json_string_value(m));
        xa_buf_printf(&forms, "%s%s", i ? "、" : "", f ? f->title : json_string_value(m));
    }
    char *team = sess_assign_team(as);
    xa_buf line = XA_BUF_INIT;
    xa_buf_printf(&line, "%s  %s  %s  %s", b ? b->s.name : as->school, b ? b->s.county : "",
                  tui_word_of(&xa_vocab_kinds, as->kind), due);
    if (sess_assign_overdue(as))
        xa_buf_printf(&line, " %s", T(S_HOME_OVERDUE));
    xa_buf_printf(&line, "  %s %s", T(S_HOME_TEAM), team);
    if (forms.len)
        xa_buf_printf(&line, "  %s %s", T(S_HOME_FORMS), forms.data);
    free(team);
    xa_buf_clear(&forms);
    return xa_buf_steal(&line);
}

static void draw_row(struct app *a, struct home *h, WINDOW *w, int y, int cols, int i)
{
    struct session *ss = a->sess;
    struct row *r = &h->rows[i];
    int sel = i == h->list.sel;
    attr_t at = tui_sel_attr(sel);
    char *line = NULL;
    switch (r->kind) {
    case ROW_HEAD:
        if (r->head == S_HOME_EXPORTED || r->head == S_HOME_BUNDLES)
            tui_putf(w, y, 1, cols - 2, tui_attr(ROLE_HEADING), T(S_HOME_ACK_HEAD), T(r->head),
                     r->count, r->idx);
        else
            tui_putf(w, y, 1, cols - 2, tui_attr(ROLE_HEADING), "%s (%d)", T(r->head), r->count);
        return;
    case ROW_EMPTY:
        tui_put(w, y, 3, T(S_HOME_EMPTY), cols - 4, tui_attr(ROLE_DIM));
        return;
    case ROW_ASSIGN:
        line = assign_line(ss, &ss->asg[r->idx]);
        break;
    case ROW_OPEN: {
        struct bschool *b = &ss->cited[r->idx];
        char n[64];
        snprintf(n, sizeof n, T(S_HOME_NHAZ), b->nopen);
        line = xa_asprintf("%s  %s  %s%s%s", b->s.name, b->s.county, n,
                           b->noverdue ? "  " : "", b->noverdue ? T(S_HOME_OVERDUE) : "");
        break;
    }
    case ROW_VISIT: {
        xa_visit_info *v = &h->visits.v[r->idx];
        char when[XA_RFC3339_MAX];
        xa_time_format(v->updated, XA_CST_OFFSET, when);
        when[16] = '\0';
        when[10] = ' ';
        char seq[32] = "";
        if (v->seq)
            snprintf(seq, sizeof seq, "#%lld ", (long long)v->seq);
        char nh[64];
        snprintf(nh, sizeof nh, T(S_HOME_NHAZ), (int)v->hazards);
        const char *ack = v->state == XA_VISIT_ACKNOWLEDGED ? T(S_HOME_ACKED)
                          : v->state == XA_VISIT_EXPORTED  ? T(S_HOME_UNACKED)
                                                           : "";
        line = xa_asprintf("%s%s  %s  %s  %s%s%s", seq, v->school_name ? v->school_name : "",
                           tui_word_of(&xa_vocab_kinds, v->kind), when, nh, *ack ? "  " : "",
                           ack);
        break;
    }
    case ROW_BUNDLE: {
        const xa_export_info *e = &h->exports[r->idx];
        char when[XA_RFC3339_MAX];
        xa_time_format(e->created, XA_CST_OFFSET, when);
        when[16] = '\0';
        when[10] = ' ';
        const json_t *rc = receipt_of(ss, e->hash);
        char merged[XA_RFC3339_MAX] = "";
        if (rc) {
            snprintf(merged, sizeof merged, "%s", xa_doc_str(rc, "merged"));
            if (strlen(merged) >= 16) {
                merged[16] = '\0';
                merged[10] = ' ';
            }
        }
        char head[128], state[160];
        snprintf(head, sizeof head, T(S_HOME_BUNDLE), (long long)e->seq, when, (int)e->visits);
        if (rc)
            snprintf(state, sizeof state, T(S_HOME_BUNDLE_ACK), merged);
        else
            snprintf(state, sizeof state, "%s", T(S_HOME_BUNDLE_WAIT));
        line = xa_asprintf("%s  %s", head, state);
        if (!rc && !sel)
            at = tui_attr(ROLE_DIM);
        break;
    }
    }
    tui_put_pad(w, y, 3, line, cols - 4, at);
    tui_mark(w, y, 1, sel);
    free(line);
}

static void home_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct home *h = s->data;
    struct session *ss = a->sess;
    int y = 0;
    if (ss->me)
        tui_putf(w, y, 1, cols / 2 - 1, A_BOLD, T(S_HOME_INSPECTOR), ss->me->name);
    if (ss->has_brief) {
        /* The brief's age: since the office wrote it (else since its import). */
        int64_t written = ss->meta.imported;
        int off;
        if (xa_time_parse(ss->meta.created, &written, &off, NULL) != XA_OK)
            written = ss->meta.imported;
        int64_t day = xa_date_of(written, XA_CST_OFFSET), days = sess_today() - day;
        char age[64], date[XA_DATE_MAX];
        if (days <= 0)
            snprintf(age, sizeof age, "%s", T(S_AGE_TODAY));
        else
            snprintf(age, sizeof age, T(S_AGE_DAYS), (int)days);
        xa_date_format(day, date);
        tui_putf(w, y, cols / 2, cols - cols / 2 - 1, A_NORMAL, T(S_HOME_BRIEF), age, date);
        y++;
        tui_putf(w, y, 1, cols - 2, tui_attr(ROLE_DIM), T(S_HOME_OFFICE),
                 ss->office_fp ? ss->office_fp : "?");
    }
    y++;
    tui_hrule(w, y++, 0, cols, tui_attr(ROLE_DIM));
    int lrows = rows - y;
    tlist_fit(&h->list, lrows);
    for (int i = h->list.top; i < h->nrows && i - h->list.top < lrows; i++)
        draw_row(a, h, w, y + i - h->list.top, cols, i);
}

/* Move the selection by act, skipping headings and "(none)" rows; R_HANDLED
 * when nothing moved. */
static int home_move(struct home *h, enum tui_action act, int rows)
{
    int before = h->list.sel, top = h->list.top;
    tlist_move(&h->list, act, rows);
    int dir = h->list.sel >= before ? 1 : -1;
    if (act == ACT_FIRST)
        dir = 1;
    if (act == ACT_LAST)
        dir = -1;
    int i = h->list.sel;
    while (i >= 0 && i < h->nrows && !selectable(&h->rows[i]))
        i += dir;
    if (i < 0 || i >= h->nrows) {
        /* Nothing further that way: stay where we were. */
        i = before;
    }
    h->list.sel = i;
    return h->list.sel != before || h->list.top != top ? R_REDRAW : R_HANDLED;
}

/* Open a visit from the list (drafts to the checklist, sealed read-only). */
static int open_visit(struct app *a, const char *id)
{
    xa_err err;
    if (sess_visit_open(a->sess, id, &err) != XA_OK) {
        tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
        return R_REDRAW;
    }
    tui_push(a, &scr_check, NULL);
    if (a->sess->readonly) {
        tui_push(a, &scr_review, NULL);
        tui_msg(a, 0, "%s", T(S_HOME_CORRECT_HINT));
    }
    return R_REDRAW;
}

int tui_correct(struct app *a, const char *id)
{
    char vid[XA_ID_HEX];
    snprintf(vid, sizeof vid, "%s", id);
    tui_pop_to(a, SCR_HOME); /* home_resume closes the sealed visit */
    xa_err err;
    if (sess_visit_open(a->sess, vid, &err) != XA_OK ||
        sess_visit_correct(a->sess, &err) != XA_OK) {
        sess_visit_close(a->sess);
        tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
        return 1;
    }
    tui_push(a, &scr_check, NULL);
    tui_push(a, &scr_start, NULL);
    char shortid[13];
    snprintf(shortid, sizeof shortid, "%.12s", vid);
    tui_msg(a, 0, T(S_HOME_CORRECTING), shortid);
    return 1;
}

/* Start a new visit at a school: carrying out an assignment (as), or of a
 * kind (a follow-up of open hazards). */
static int start_visit(struct app *a, struct bschool *b, xa_kind kind, const struct bassign *as)
{
    xa_err err;
    xa_code c = as ? sess_visit_new_assigned(a->sess, b, as, &err)
                   : sess_visit_new(a->sess, b, kind, &err);
    if (c != XA_OK) {
        tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
        return R_REDRAW;
    }
    tui_push(a, &scr_check, NULL);
    tui_push(a, &scr_start, NULL);
    return R_REDRAW;
}

static int home_key(struct app *a, struct screen *s, const struct tui_key *k,
                    enum tui_action act)
{
    (void)k;
    struct home *h = s->data;
    struct session *ss = a->sess;
    int rows = getmaxy(stdscr) - 8;
    if (act != ACT_DISCARD)
        h->confirm_discard = -1;
    switch (act) {
    case ACT_UP:
    case ACT_DOWN:
    case ACT_PGUP:
    case ACT_PGDN:
    case ACT_FIRST:
    case ACT_LAST:
        return home_move(h, act, rows);
    case ACT_NEW:
        tui_push(a, &scr_picker, NULL);
        return R_REDRAW;
    case ACT_EXPORT:
        tui_push(a, &scr_export, NULL);
        return R_REDRAW;
    case ACT_LANG:
        if (tui_utf8)
            tui_lang_en = !tui_lang_en;
        return R_REDRAW;
    case ACT_OPEN: {
        if (h->list.sel < 0 || h->list.sel >= h->nrows)
            return R_HANDLED;
        struct row *r = &h->rows[h->list.sel];
        if (r->kind == ROW_VISIT)
            return open_visit(a, h->visits.v[r->idx].id);
        if (r->kind == ROW_ASSIGN) {
            struct bassign *as = &ss->asg[r->idx];
            struct bschool *b = sess_school(ss, as->school);
            if (b)
                return start_visit(a, b, XA_KIND_RANDOM, as);
            return R_HANDLED;
        }
        if (r->kind == ROW_OPEN)
            return start_visit(a, &ss->cited[r->idx], XA_KIND_FOLLOWUP, NULL);
        return R_HANDLED;
    }
    case ACT_CORRECT: {
        if (h->list.sel < 0 || h->list.sel >= h->nrows || h->rows[h->list.sel].kind != ROW_VISIT)
            return R_HANDLED;
        xa_visit_info *v = &h->visits.v[h->rows[h->list.sel].idx];
        if (v->state == XA_VISIT_DRAFT) {
            tui_msg(a, 1, "%s", T(S_HOME_CORRECT_DRAFT));
            return R_REDRAW;
        }
        tui_correct(a, v->id);
        return R_REDRAW;
    }
    case ACT_DISCARD: {
        if (h->list.sel < 0 || h->list.sel >= h->nrows || h->rows[h->list.sel].kind != ROW_VISIT ||
            h->visits.v[h->rows[h->list.sel].idx].state != XA_VISIT_DRAFT) {
            tui_msg(a, 1, "%s", T(S_HOME_NOT_DRAFT));
            return R_REDRAW;
        }
        if (h->confirm_discard != h->list.sel) {
            h->confirm_discard = h->list.sel;
            tui_msg(a, 1, "%s", T(S_HOME_DISCARD_CONFIRM));
            return R_REDRAW;
        }
        xa_err err;
        if (xa_fstore_visit_discard(ss->fs, h->visits.v[h->rows[h->list.sel].idx].id, &err) !=
            XA_OK)
            tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
        else
            tui_msg(a, 0, "%s", T(S_HOME_DISCARDED));
        h->confirm_discard = -1;
        rebuild(a, h);
        home_move(h, ACT_NONE, rows);
        return R_REDRAW;
    }
    default:
        return R_NONE;
    }
}

const struct screen_ops scr_home = {
    .id = SCR_HOME,
    .name = "home",
    .data_size = sizeof(struct home),
    .enter = home_enter,
    .draw = home_draw,
    .key = home_key,
    .resume = home_resume,
    .leave = home_leave,
    .title = home_title,
};

void tui_start(struct app *a)
{
    struct session *ss = a->sess;
    if (!ss->has_brief) {
        if (a->depth)
            tui_replace(a, &scr_guide, NULL);
        else
            tui_push(a, &scr_guide, NULL);
        return;
    }
    /* Remember where the last session was before home overwrites it. */
    char visit[XA_ID_HEX];
    snprintf(visit, sizeof visit, "%s", ss->ui.visit);
    const struct screen_ops *screen = tui_screen_named(ss->ui.screen);
    int form = ss->ui.form, item = ss->ui.item, sub = ss->ui.sub;
    if (a->depth)
        tui_replace(a, &scr_home, NULL);
    else
        tui_push(a, &scr_home, NULL);
    if (!visit[0])
        return;
    if (sess_visit_open(ss, visit, NULL) != XA_OK)
        return; /* discarded since */
    if (ss->readonly) {
        sess_visit_close(ss); /* sealed since: nothing to go back to */
        return;
    }
    /* Back where it was left: the checklist at the item, and the screen above it. */
    sess_note_pos(ss, form, item, sub);
    tui_push(a, &scr_check, (void *)1);
    switch (screen ? screen->id : SCR_HOME) {
    case SCR_START:
    case SCR_FOLLOW:
    case SCR_REVIEW:
    case SCR_FORMS:
    case SCR_ITEM: tui_push(a, screen, NULL); break;
    case SCR_HAZARD:
        if (tui_push(a, &scr_item, NULL))
            tui_push(a, &scr_hazard, (void *)(intptr_t)(sub + 1));
        break;
    default: break;
    }
}
