/* scr_start.c — the start of a visit: the method (四不两直 and the seven
 * others), the team, the four "not" attestations (不发通知, 不打招呼,
 * 不听汇报, 不用陪同接待), the two "direct" times: arrival at the gate
 * (default: when the visit was created, editable) and the first site
 * reached (recorded with the first answer, editable), and the focus
 * (重点检查内容): the forms of the visit, ticked from the brief's list in
 * checklist order with their item counts.  A 复查 has no form unless one is
 * ticked, and starts with the follow-ups. */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/clock.h"
#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <stdlib.h>
#include <string.h>

enum { K_SCHOOL, K_KIND, K_TEAM, K_ATTEST, K_N1, K_N2, K_N3, K_N4, K_ARRIVED, K_FIRST, K_GO,
       K_FOCUS, K_FORM = 100 };

static const char *const attest_keys[4] = {"no_notice", "no_greeting", "no_briefing", "no_escort"};

struct start {
    struct fields fs;
    char *school_label;
    const char *kinds[XA_KIND_N];
    const xa_form **order;  /* the brief's forms in checklist order */
    size_t norder;
    char **form_labels;     /* "四不两直进校综合检查（21 项）" */
    int confirm;            /* form row waiting for a second Space (it has answers) */
};

/* "2026-11-29T09:30:00+08:00" → "2026-11-29 09:30" (China time). */
static void time_show(const char *rfc, char out[32])
{
    int64_t t;
    int off;
    out[0] = '\0';
    if (!rfc || xa_time_parse(rfc, &t, &off, NULL) != XA_OK)
        return;
    char buf[XA_RFC3339_MAX];
    xa_time_format(t, XA_CST_OFFSET, buf);
    buf[16] = '\0';
    buf[10] = ' ';
    memcpy(out, buf, 17);
}

/* "2026-11-29 09:30" → RFC 3339 at +08:00; 0 when it is not such a time. */
static int time_parse(const char *shown, char out[XA_RFC3339_MAX])
{
    if (strlen(shown) != 16 || shown[10] != ' ')
        return 0;
    char rfc[XA_RFC3339_MAX];
    snprintf(rfc, sizeof rfc, "%.10sT%.5s:00+08:00", shown, shown + 11);
    int64_t t;
    int off;
    if (xa_time_parse(rfc, &t, &off, NULL) != XA_OK)
        return 0;
    xa_time_format(t, XA_CST_OFFSET, out);
    return 1;
}

static int start_enter(struct app *a, struct screen *s, void *arg)
{
    (void)arg;
    struct session *ss = a->sess;
    if (!ss->doc)
        return 0;
    struct start *d = s->data;
    json_t *doc = ss->doc, *school = json_object_get(doc, "school");
    fields_init(&d->fs);
    d->fs.readonly = ss->readonly;
    d->school_label = xa_asprintf("%s：%s（%s）", T(S_F_SCHOOL), xa_doc_str(school, "name"),
                                  xa_doc_str(school, "county"));
    fields_add(&d->fs, F_LABEL, K_SCHOOL, d->school_label);
    struct field *f = fields_add(&d->fs, F_CHOICE, K_KIND, T(S_F_METHOD));
    for (int i = 0; i < XA_KIND_N; i++)
        d->kinds[i] = tui_word(&xa_vocab_kinds, i);
    if (xa_kind_of(xa_doc_str(doc, "kind")) >= 0)
        f->value = xa_kind_of(xa_doc_str(doc, "kind"));
    f->choices = d->kinds;
    f->nchoices = XA_KIND_N;
    f = fields_add(&d->fs, F_TEXT, K_TEAM, T(S_F_TEAM));
    f->hint = T(S_F_TEAM_HINT);
    xa_buf team = XA_BUF_INIT;
    xa_buf_puts(&team, "");
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(doc, "team"), i, m)
    {
        xa_buf_printf(&team, "%s%s", i ? "、" : "", json_string_value(m));
    }
    tinput_set(&f->in, team.data);
    xa_buf_clear(&team);
    fields_add(&d->fs, F_LABEL, K_ATTEST, T(S_F_ATTEST));
    static const enum tui_str nots[4] = {S_F_NO_NOTICE, S_F_NO_GREETING, S_F_NO_BRIEFING,
                                         S_F_NO_ESCORT};
    json_t *att = json_object_get(doc, "attest");
    for (int n = 0; n < 4; n++) {
        f = fields_add(&d->fs, F_CHECK, K_N1 + n, T(nots[n]));
        f->value = json_is_true(json_object_get(att, attest_keys[n]));
    }
    char shown[32];
    json_t *times = json_object_get(doc, "times");
    f = fields_add(&d->fs, F_TIME, K_ARRIVED, T(S_F_ARRIVED));
    time_show(json_string_value(json_object_get(times, "arrived")), shown);
    tinput_set(&f->in, shown);
    f = fields_add(&d->fs, F_TIME, K_FIRST, T(S_F_FIRST_SITE));
    time_show(json_string_value(json_object_get(times, "first_site")), shown);
    tinput_set(&f->in, shown);
    f->hint = T(S_F_FIRST_SITE_AUTO);
    /* The focus: every form of the brief, in checklist order. */
    fields_add(&d->fs, F_LABEL, K_FOCUS, T(S_F_FOCUS));
    d->order = xa_calloc(ss->nforms + 1, sizeof *d->order);
    d->norder = sess_form_order(ss, d->order);
    d->form_labels = xa_calloc(d->norder + 1, sizeof *d->form_labels);
    struct bschool *b = sess_visit_school(ss);
    for (size_t k = 0; k < d->norder; k++) {
        const xa_form *fm = d->order[k];
        size_t applies = b && b->profile ? xa_form_applicable(fm, b->profile, NULL) : fm->nitems;
        if (applies == fm->nitems)
            d->form_labels[k] = xa_asprintf(T(S_F_FORM_ITEMS), tui_pick(fm->title, fm->title_en),
                                            fm->nitems);
        else
            d->form_labels[k] = xa_asprintf(T(S_F_FORM_ITEMS_APPLY), tui_pick(fm->title, fm->title_en),
                                            fm->nitems, applies);
        f = fields_add(&d->fs, F_CHECK, K_FORM + (int)k, d->form_labels[k]);
        f->value = xa_doc_has_form(doc, fm->id);
    }
    d->confirm = -1;
    fields_add(&d->fs, F_BUTTON, K_GO, T(S_F_GO));
    return 1;
}

/* A form ticked or unticked: added (checklist order kept), or removed —
 * refused while it has hazards, asked again when it has answers. */
static void form_toggled(struct app *a, struct start *d, int row)
{
    struct session *ss = a->sess;
    const xa_form *fm = d->order[row];
    struct field *f = fields_get(&d->fs, K_FORM + row);
    if (f->value) {
        sess_form_add(ss, fm);
        sess_forms_sort(ss);
    } else if (xa_doc_form_hazards(ss->doc, fm->id)) {
        f->value = 1;
        tui_msg(a, 1, "%s", T(S_FORMS_HAS_HAZ));
        return;
    } else if (xa_doc_form_answers(ss->doc, fm, sess_profile(ss)) && d->confirm != row) {
        f->value = 1;
        d->confirm = row;
        tui_msg(a, 1, "%s", T(S_FORMS_REMOVE_ANSWERED));
        return;
    } else {
        xa_doc_form_remove(ss->doc, fm->id);
    }
    d->confirm = -1;
    tui_commit(a);
}

/* The method became 复查: the forms nobody answered yet go (a 复查 checks the
 * earlier hazards; a form can still be ticked). */
static void kind_followup(struct app *a, struct start *d)
{
    struct session *ss = a->sess;
    for (size_t k = 0; k < d->norder; k++) {
        const xa_form *fm = d->order[k];
        if (xa_doc_has_form(ss->doc, fm->id) && !xa_doc_form_hazards(ss->doc, fm->id) &&
            !xa_doc_form_answers(ss->doc, fm, sess_profile(ss))) {
            xa_doc_form_remove(ss->doc, fm->id);
            fields_get(&d->fs, K_FORM + (int)k)->value = 0;
        }
    }
}

/* Leave the start page: to the checklist underneath, and for a 复查 on to
 * the follow-ups. */
static void start_go(struct app *a)
{
    int followup = xa_kind_of(xa_doc_str(a->sess->doc, "kind")) == XA_KIND_FOLLOWUP;
    int under_check = a->depth >= 2 && a->stack[a->depth - 2].ops->id == SCR_CHECK;
    tui_pop(a);
    if (followup && under_check)
        tui_push(a, &scr_follow, NULL);
}

/* Write typed text: the team as a list of names, times when they parse. */
static void start_flush(struct app *a, struct screen *s)
{
    struct start *d = s->data;
    struct session *ss = a->sess;
    if (ss->readonly)
        return;
    struct field *f = fields_get(&d->fs, K_TEAM);
    if (f->dirty) {
        f->dirty = 0;
        char *v = tinput_get(&f->in);
        json_t *team = json_array();
        /* Names are separated by 、 ， , ; ； or spaces. */
        for (char *p = v; *p;) {
            static const char *const seps[] = {"、", "，", ",", ";", "；", " ", "\t"};
            size_t len = strlen(p), cut = len, skip = 0;
            for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
                char *q = strstr(p, seps[k]);
                if (q && (size_t)(q - p) < cut) {
                    cut = (size_t)(q - p);
                    skip = strlen(seps[k]);
                }
            }
            if (cut > 0 && cut <= XA_NAME_MAX) {
                char *name = xa_strndup(p, cut);
                json_array_append_new(team, json_string(name));
                free(name);
            }
            p += cut + skip;
            if (cut == len)
                break;
        }
        json_object_set_new(ss->doc, "team", team);
        free(v);
        sess_dirty(ss);
    }
    json_t *times = json_object_get(ss->doc, "times");
    for (int k = K_ARRIVED; k <= K_FIRST; k++) {
        f = fields_get(&d->fs, k);
        if (!f->dirty)
            continue;
        f->dirty = 0;
        char *v = tinput_get(&f->in), rfc[XA_RFC3339_MAX];
        if (!*v && k == K_FIRST) {
            json_object_set_new(times, "first_site", json_null());
            f->bad = 0;
        } else if (time_parse(v, rfc)) {
            xa_doc_set_str(times, k == K_ARRIVED ? "arrived" : "first_site", rfc);
            f->bad = 0;
        } else {
            f->bad = 1;
        }
        free(v);
        sess_dirty(ss);
    }
}

static void start_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct start *d = s->data;
    fields_free(&d->fs);
    free(d->school_label);
    for (size_t k = 0; k < d->norder; k++)
        free(d->form_labels[k]);
    free(d->form_labels);
    free(d->order);
}

static const char *start_title(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return T(S_START_TITLE);
}

static void start_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct start *d = s->data;
    /* The first-site time may have been set by an answer meanwhile. */
    struct field *f = fields_get(&d->fs, K_FIRST);
    if (!f->in.len && !f->dirty) {
        char shown[32];
        time_show(json_string_value(json_object_get(json_object_get(a->sess->doc, "times"),
                                                    "first_site")),
                  shown);
        tinput_set(&f->in, shown);
    }
    fields_draw(&d->fs, w, 1, 1, rows - 1, cols - 2);
    tui_cursor(a, d->fs.cy, d->fs.cx);
}

static int start_key(struct app *a, struct screen *s, const struct tui_key *k, enum tui_action act)
{
    struct start *d = s->data;
    struct session *ss = a->sess;
    int changed, pressed;
    if (act == ACT_DONE && !ss->readonly) {
        start_flush(a, s);
        start_go(a);
        return R_REDRAW;
    }
    if (act == ACT_PHOTOS) {
        /* Files of the visit itself (e.g. the sign-in book). */
        start_flush(a, s);
        tui_attach_open(a, XA_ATTACH_VISIT, NULL, T(S_AT_FOR_VISIT));
        return R_REDRAW;
    }
    int r = fields_key(&d->fs, k, act, &changed, &pressed);
    if (r == R_NONE)
        return R_NONE;
    if (changed != -1 && changed < K_FORM)
        d->confirm = -1;
    if (changed >= K_FORM) {
        form_toggled(a, d, changed - K_FORM);
        return R_REDRAW;
    } else if (changed == K_KIND) {
        xa_doc_set_str(ss->doc, "kind", xa_vocab_key(&xa_vocab_kinds, fields_get(&d->fs, K_KIND)->value));
        if (fields_get(&d->fs, K_KIND)->value == XA_KIND_FOLLOWUP)
            kind_followup(a, d);
        tui_commit(a);
    } else if (changed >= K_N1 && changed <= K_N4) {
        json_object_set_new(json_object_get(ss->doc, "attest"), attest_keys[changed - K_N1],
                            json_boolean(fields_get(&d->fs, changed)->value));
        tui_commit(a);
    } else if (changed >= 0) {
        struct field *f = fields_get(&d->fs, changed);
        if (f->kind == F_TIME) {
            char *v = tinput_get(&f->in), rfc[XA_RFC3339_MAX];
            f->bad = *v && !time_parse(v, rfc);
            free(v);
        }
        tui_text_edited(a);
    }
    if (fields_get(&d->fs, K_ARRIVED)->bad || fields_get(&d->fs, K_FIRST)->bad)
        tui_msg(a, 1, "%s", T(S_TIME_FMT_BAD));
    else
        a->msg[0] = '\0';
    if (pressed == K_GO)
        start_go(a);
    return R_REDRAW;
}

static int start_text(struct app *a, struct screen *s)
{
    (void)a;
    return fields_text_focus(&((struct start *)s->data)->fs);
}

const struct screen_ops scr_start = {
    .id = SCR_START,
    .name = "start",
    .data_size = sizeof(struct start),
    .enter = start_enter,
    .draw = start_draw,
    .key = start_key,
    .leave = start_leave,
    .flush = start_flush,
    .title = start_title,
    .text_focus = start_text,
};
