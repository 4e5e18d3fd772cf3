/* scr_review.c — review and seal: a summary of the visit (answers,
 * hazards, follow-ups, the four nots and the two times), the warnings
 * (unanswered items, hazards without a deadline or a responsible person,
 * follow-ups not given, attestations not ticked, photos whose EXIF time is
 * outside the visit), each of which Enter opens; then sealing after an explicit y.  A sealed visit is read-only
 * everywhere. */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/clock.h"
#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>

enum warn_kind { W_ATTEST, W_NOFIRST, W_UNANSWERED, W_HAZARD, W_FOLLOWUP, W_PHOTO };

struct warn {
    enum warn_kind kind;
    int form, item, sub;   /* where Enter goes */
    char *text;
    char hazard[XA_ID_HEX]; /* W_HAZARD: the hazard's id (found again on Enter);
                             * W_PHOTO: the hazard the photo's hazard or follow-up is of */
    int photo_for;          /* W_PHOTO: an xa_attach_for */
};

struct review {
    struct warn *w;
    int nw;
    struct tlist list;
    int items, pass, haz, na, unchecked;
    int hazards, major;
    int fu_total, fu_done;
    int asking;            /* waiting for y to seal */
    int list_rows;
};

static struct warn *add_warn(struct review *r, enum warn_kind kind, int form, int item, int sub,
                             char *text)
{
    r->w = xa_reallocarray(r->w, (size_t)(r->nw + 1), sizeof *r->w);
    r->w[r->nw] = (struct warn){kind, form, item, sub, text, "", 0};
    return &r->w[r->nw++];
}

/* Where a hazard of the document is: the index of its form among the
 * visit's forms, its item in that form and its place among the item's
 * hazards; 0 when its form or item is not in the visit. */
static int hazard_place(struct session *ss, json_t *h, int *form, int *item, int *sub)
{
    json_t *fl = json_object_get(ss->doc, "forms");
    const char *fid = xa_doc_str(h, "form"), *code = xa_doc_str(h, "code");
    for (size_t fi = 0; fi < json_array_size(fl); fi++) {
        if (strcmp(xa_doc_str(json_array_get(fl, fi), "id"), fid))
            continue;
        const xa_form *f = sess_form(ss, fid);
        for (size_t k = 0; f && k < f->nitems; k++) {
            if (strcmp(f->items[k].code, code))
                continue;
            for (size_t n = 0;; n++) {
                json_t *o = xa_doc_item_hazard(ss->doc, fid, code, n);
                if (!o)
                    return 0;
                if (o == h) {
                    *form = (int)fi, *item = (int)k, *sub = (int)n;
                    return 1;
                }
            }
        }
        return 0;
    }
    return 0;
}

/* A hazard of the document by its id, or NULL. */
static json_t *hazard_by_id(json_t *doc, const char *id)
{
    json_t *h;
    size_t i;
    json_array_foreach(json_object_get(doc, "hazards"), i, h)
    {
        if (!strcmp(xa_doc_str(h, "id"), id))
            return h;
    }
    return NULL;
}

/* Text compared loosely: without spaces and the final full stop. */
static int same_text(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || *a == '\t' || *a == '\n')
            a++;
        while (*b == ' ' || *b == '\t' || *b == '\n')
            b++;
        if (!*a || !*b || !strcmp(a, "。") || !strcmp(b, "。"))
            return (!*a || !strcmp(a, "。")) && (!*b || !strcmp(b, "。"));
        if (*a++ != *b++)
            return 0;
    }
}

static void warns_clear(struct review *r)
{
    for (int i = 0; i < r->nw; i++)
        free(r->w[i].text);
    free(r->w);
    r->w = NULL;
    r->nw = 0;
}

/* The two "direct" times make sense (bug 10): the first site is reached
 * after the gate and before the seal (or now, unsealed), and soon after the
 * gate — 直奔现场 is the point of the method (more than GATE_GAP_MIN
 * minutes between them is flagged). */
#define GATE_GAP_MIN 30
static void check_times(struct review *r, json_t *doc)
{
    json_t *times = json_object_get(doc, "times");
    int64_t gate, first, end;
    int off;
    if (xa_time_parse(xa_doc_str(times, "arrived"), &gate, &off, NULL) != XA_OK ||
        xa_time_parse(xa_doc_str(times, "first_site"), &first, &off, NULL) != XA_OK)
        return;
    const char *sealed = xa_doc_str(json_object_get(doc, "seal"), "sealed");
    if (!*sealed || xa_time_parse(sealed, &end, &off, NULL) != XA_OK)
        end = xa_now();
    if (first < gate)
        add_warn(r, W_NOFIRST, 0, 0, 0, xa_strdup(T(S_REV_W_FIRST_BEFORE_GATE)));
    else if (first > end)
        add_warn(r, W_NOFIRST, 0, 0, 0, xa_strdup(T(*sealed ? S_REV_W_FIRST_AFTER_SEAL : S_REV_W_FIRST_FUTURE)));
    else if (first - gate > GATE_GAP_MIN * 60)
        add_warn(r, W_NOFIRST, 0, 0, 0,
                 xa_asprintf(T(S_REV_W_GATE_GAP), (long long)((first - gate) / 60), GATE_GAP_MIN));
}

/* "2026-11-29T09:30:00+08:00" as "2026-11-29 09:30", or "—". */
static void short_time(const char *rfc, char out[24])
{
    if (!rfc || strlen(rfc) < 16) {
        snprintf(out, 24, "%s", tui_utf8 ? "—" : "-");
        return;
    }
    snprintf(out, 24, "%.10s %.5s", rfc, rfc + 11);
}

/* Photos taken outside the visit's window — from the arrival at the gate
 * to the seal (or now, unsealed): an old photo, or a camera whose clock is
 * wrong; either way the photo is weaker evidence of the four-not timing.
 * The EXIF time has no zone: it is read as China Standard Time, as the
 * cameras and phones of the inspectors are set. */
static void check_photos(struct review *r, json_t *doc)
{
    json_t *times = json_object_get(doc, "times");
    int64_t gate, end, when;
    int off;
    if (xa_time_parse(xa_doc_str(times, "arrived"), &gate, &off, NULL) != XA_OK)
        return;
    char endtext[XA_RFC3339_MAX];
    const char *sealed = xa_doc_str(json_object_get(doc, "seal"), "sealed");
    if (!*sealed || xa_time_parse(sealed, &end, &off, NULL) != XA_OK) {
        end = xa_now();
        xa_time_format(end, XA_CST_OFFSET, endtext);
    } else {
        snprintf(endtext, sizeof endtext, "%s", sealed);
    }
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "attachments"), i, e)
    {
        const char *taken = json_string_value(json_object_get(e, "taken"));
        char probe[64];
        if (!taken)
            continue; /* no EXIF time: nothing to compare */
        snprintf(probe, sizeof probe, "%s+08:00", taken);
        if (xa_time_parse(probe, &when, &off, NULL) != XA_OK || (when >= gate && when <= end))
            continue;
        char t0[24], t1[24], t2[24];
        short_time(probe, t0);
        short_time(xa_doc_str(times, "arrived"), t1);
        short_time(endtext, t2);
        struct warn *w = add_warn(r, W_PHOTO, 0, 0, 0,
                                  xa_asprintf(T(S_REV_W_PHOTO_TIME), xa_doc_str(e, "name"), t0, t1, t2));
        const char *f = xa_doc_str(e, "for");
        w->photo_for = !strcmp(f, "hazard") ? XA_ATTACH_HAZARD : !strcmp(f, "followup") ? XA_ATTACH_FOLLOWUP : XA_ATTACH_VISIT;
        snprintf(w->hazard, sizeof w->hazard, "%s", json_is_string(json_object_get(e, "ref")) ? xa_doc_str(e, "ref") : "");
    }
}

/* Count everything and list what needs attention. */
static void compute(struct app *a, struct review *r)
{
    struct session *ss = a->sess;
    json_t *doc = ss->doc;
    warns_clear(r);
    r->items = r->pass = r->haz = r->na = r->unchecked = 0;
    json_t *att = json_object_get(doc, "attest");
    if (!json_is_true(json_object_get(att, "no_notice")) ||
        !json_is_true(json_object_get(att, "no_greeting")) ||
        !json_is_true(json_object_get(att, "no_briefing")) ||
        !json_is_true(json_object_get(att, "no_escort")))
        if (xa_kind_of(xa_doc_str(doc, "kind")) == XA_KIND_4N2D)
            add_warn(r, W_ATTEST, 0, 0, 0, xa_strdup(T(S_REV_W_ATTEST)));
    if (json_is_null(json_object_get(json_object_get(doc, "times"), "first_site")))
        add_warn(r, W_NOFIRST, 0, 0, 0, xa_strdup(T(S_REV_W_NOFIRST)));
    else
        check_times(r, doc);
    json_t *fl = json_object_get(doc, "forms");
    json_t *hz = json_object_get(doc, "hazards"), *h;
    size_t i;
    r->hazards = (int)json_array_size(hz);
    r->major = 0;
    json_array_foreach(hz, i, h)
    {
        r->major += xa_severity_of(xa_doc_str(h, "severity")) == XA_SEV_MAJOR;
        /* Where Enter goes: found again by the hazard's id when it is pressed. */
        int form = -1, item = 0, sub = 0;
        if (!hazard_place(ss, h, &form, &item, &sub))
            form = -1;
        const char *desc = xa_doc_str(h, "description");
        const xa_form *hf = sess_form(ss, xa_doc_str(h, "form"));
        const xa_item *hit = hf ? xa_form_item(hf, xa_doc_str(h, "code")) : NULL;
        char *what = xa_asprintf("%s %s", xa_doc_str(h, "code"), desc);
        char *text[5] = {NULL, NULL, NULL, NULL, NULL};
        int nt = 0;
        if (!*desc)
            text[nt++] = xa_asprintf(T(S_REV_W_NODESC), xa_doc_str(h, "code"));
        else if (hit && (same_text(desc, hit->text) || (*hit->text_en && same_text(desc, hit->text_en))))
            text[nt++] = xa_asprintf(T(S_REV_W_DESC_IS_ITEM), xa_doc_str(h, "code"));
        if (json_is_null(json_object_get(h, "deadline")))
            text[nt++] = xa_asprintf(T(S_REV_W_NODEADLINE), what);
        if (!*xa_doc_str(h, "responsible"))
            text[nt++] = xa_asprintf(T(S_REV_W_NORESP), what);
        if (xa_severity_of(xa_doc_str(h, "severity")) == XA_SEV_MAJOR &&
            !json_is_true(json_object_get(h, "rectified_on_site")) &&
            !*xa_doc_str(h, "interim"))
            text[nt++] = xa_asprintf(T(S_REV_W_NOINTERIM), what);
        for (int t = 0; t < nt; t++) {
            struct warn *w = add_warn(r, W_HAZARD, form, item, sub, text[t]);
            snprintf(w->hazard, sizeof w->hazard, "%s", xa_doc_str(h, "id"));
        }
        free(what);
    }
    r->fu_total = r->fu_done = 0;
    for (size_t k = 0; k < ss->nhaz; k++)
        if (sess_hazard_to_recheck(ss, &ss->haz[k])) {
            r->fu_total++;
            r->fu_done += xa_doc_followup(doc, ss->haz[k].id) != NULL;
        }
    if (r->fu_done < r->fu_total)
        add_warn(r, W_FOLLOWUP, 0, 0, 0,
                 xa_asprintf(T(S_REV_W_FOLLOWUP), r->fu_total - r->fu_done));
    check_photos(r, doc);
    /* Unanswered items last: what is wrong with a hazard matters more. */
    for (size_t fi = 0; fi < json_array_size(fl); fi++) {
        const xa_form *f = sess_form(ss, xa_doc_str(json_array_get(fl, fi), "id"));
        if (!f)
            continue;
        int n = 0, first = -1;
        xa_buf codes = XA_BUF_INIT;
        xa_buf_puts(&codes, "");
        for (size_t k = 0; k < f->nitems; k++) {
            xa_result res = xa_doc_result(doc, f->id, f->items[k].code);
            r->items++;
            if (res == XA_RESULT_PASS)
                r->pass++;
            else if (res == XA_RESULT_HAZARD)
                r->haz++;
            else if (res == XA_RESULT_NA)
                r->na++;
            else {
                r->unchecked++;
                if (first < 0)
                    first = (int)k;
                if (n++ < 6)
                    xa_buf_printf(&codes, "%s%s", n > 1 ? " " : "", f->items[k].code);
            }
        }
        if (n) {
            if (n > 6)
                xa_buf_puts(&codes, " …");
            char *t = xa_asprintf(T(S_REV_W_UNANSWERED), n, codes.data);
            char *line = xa_asprintf("%s: %s", tui_pick(f->title, f->title_en), t);
            free(t);
            add_warn(r, W_UNANSWERED, (int)fi, first, 0, line);
        }
        xa_buf_clear(&codes);
    }
    r->list.n = r->nw;
    tlist_fit(&r->list, r->list_rows > 0 ? r->list_rows : 5);
}

static int review_enter(struct app *a, struct screen *s, void *arg)
{
    (void)arg;
    if (!a->sess->doc)
        return 0;
    struct review *r = s->data;
    compute(a, r);
    return 1;
}

static void review_resume(struct app *a, struct screen *s)
{
    compute(a, s->data);
}

static void review_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct review *r = s->data;
    warns_clear(r);
}

static const char *review_title(struct app *a, struct screen *s)
{
    (void)s;
    static char t[256];
    snprintf(t, sizeof t, "%s %s %s", T(S_REVIEW_TITLE), tui_utf8 ? "·" : "-",
             xa_doc_str(json_object_get(a->sess->doc, "school"), "name"));
    return t;
}

static void review_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct review *r = s->data;
    json_t *doc = a->sess->doc;
    int y = 0, width = cols - 2;
    json_t *school = json_object_get(doc, "school");
    tui_putf(w, y++, 1, width, A_BOLD, "%s（%s）  %s", xa_doc_str(school, "name"),
             xa_doc_str(school, "county"), tui_word_of(&xa_vocab_kinds, xa_doc_str(doc, "kind")));
    tui_putf(w, y++, 1, width, A_NORMAL, T(S_REV_ANSWERS), r->items, r->pass, r->haz, r->na,
             r->unchecked);
    tui_putf(w, y++, 1, width, r->major ? tui_attr(ROLE_MAJOR) : A_NORMAL, T(S_REV_HAZARDS),
             r->hazards, r->major, r->hazards - r->major);
    tui_putf(w, y++, 1, width, A_NORMAL, T(S_REV_FOLLOWUPS), r->fu_done, r->fu_total);
    json_t *times = json_object_get(doc, "times");
    char t1[24], t2[24];
    short_time(json_string_value(json_object_get(times, "arrived")), t1);
    short_time(json_string_value(json_object_get(times, "first_site")), t2);
    tui_putf(w, y++, 1, width, A_NORMAL, T(S_REV_TIMES), t1, t2);
    tui_hrule(w, y++, 0, cols, tui_attr(ROLE_DIM));
    tui_put(w, y++, 1, T(S_REV_WARNINGS), width, tui_attr(ROLE_HEADING));
    int lrows = rows - y - 2;
    r->list_rows = lrows;
    if (!r->nw)
        tui_put(w, y, 3, T(S_REV_OK), width - 2, tui_attr(ROLE_PASS));
    tlist_fit(&r->list, lrows);
    for (int i = r->list.top; i < r->nw && i - r->list.top < lrows; i++) {
        int sel = i == r->list.sel;
        attr_t at = sel && !tui_thin ? tui_attr(ROLE_SELECTED) : tui_attr(ROLE_WARN);
        tui_put_pad(w, y + i - r->list.top, 3, r->w[i].text, width - 2, at);
        tui_mark(w, y + i - r->list.top, 1, sel);
    }
    y = rows - 1;
    json_t *seal = json_object_get(doc, "seal");
    if (json_is_object(seal)) {
        char t[24];
        short_time(json_string_value(json_object_get(seal, "sealed")), t);
        tui_putf(w, y, 1, width, tui_attr(ROLE_PASS) | A_BOLD, T(S_REV_SEALED_AT),
                 (long long)json_integer_value(json_object_get(seal, "seq")), t);
    } else if (r->asking) {
        tui_put(w, y, 1, T(S_REV_SEAL_ASK), width, tui_attr(ROLE_WARN) | A_REVERSE);
    } else {
        tui_put(w, y, 1, T(S_REV_SEAL_HINT), width, A_BOLD);
    }
}

/* Go to what a warning is about.  The screen that fixes it opens on top of
 * the review, so F2 (or Esc) there comes back here; unanswered items are
 * answered in the checklist. */
static void open_warning(struct app *a, struct warn *w)
{
    struct session *ss = a->sess;
    switch (w->kind) {
    case W_ATTEST:
    case W_NOFIRST:
        tui_push(a, &scr_start, NULL);
        break;
    case W_FOLLOWUP:
        tui_push(a, &scr_follow, NULL);
        break;
    case W_UNANSWERED:
        sess_note_pos(ss, w->form, w->item, 0);
        tui_pop_to(a, SCR_CHECK);
        break;
    case W_HAZARD: {
        /* The hazard itself, where it is now (never a new one). */
        json_t *h = hazard_by_id(ss->doc, w->hazard);
        int form, item, sub;
        if (!h || !hazard_place(ss, h, &form, &item, &sub)) {
            tui_msg(a, 1, "%s", T(S_REV_HAZARD_GONE));
            return;
        }
        sess_note_pos(ss, form, item, sub);
        tui_push(a, &scr_hazard, (void *)(intptr_t)(sub + 1));
        break;
    }
    case W_PHOTO: {
        /* The photos of what it is attached to, to remove or replace it. */
        char label[96];
        if (w->photo_for == XA_ATTACH_HAZARD) {
            json_t *h = hazard_by_id(ss->doc, w->hazard);
            int form, item, sub;
            if (!h || !hazard_place(ss, h, &form, &item, &sub)) {
                tui_msg(a, 1, "%s", T(S_REV_HAZARD_GONE));
                return;
            }
            snprintf(label, sizeof label, T(S_AT_FOR_HAZARD), sub + 1, xa_doc_str(h, "code"));
        } else {
            snprintf(label, sizeof label, "%s",
                     T(w->photo_for == XA_ATTACH_FOLLOWUP ? S_AT_FOR_FOLLOWUP : S_AT_FOR_VISIT));
        }
        tui_attach_open(a, w->photo_for, w->hazard[0] ? w->hazard : NULL, label);
        break;
    }
    }
}

static int review_key(struct app *a, struct screen *s, const struct tui_key *k,
                      enum tui_action act)
{
    struct review *r = s->data;
    struct session *ss = a->sess;
    if (r->asking) {
        r->asking = 0;
        if (k->code != 'y' && k->code != 'Y')
            return R_REDRAW;
        int64_t seq = 0;
        xa_err err;
        if (sess_seal(ss, &seq, &err) != XA_OK) {
            tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
            return R_REDRAW;
        }
        /* Done with this visit: home (Esc would walk back through a
         * read-only checklist), saying it once there. */
        tui_pop_to(a, SCR_HOME); /* home's resume lets go of the visit */
        tui_msg(a, 0, T(S_REV_SEALED), (long long)seq);
        return R_REDRAW;
    }
    int moved = tlist_move(&r->list, act, r->list_rows > 0 ? r->list_rows : 5);
    if (moved)
        return moved;
    switch (act) {
    case ACT_DETAIL:
        if (r->list.sel >= 0 && r->list.sel < r->nw && !ss->readonly)
            open_warning(a, &r->w[r->list.sel]);
        return R_REDRAW;
    case ACT_SEAL:
        if (ss->readonly) {
            tui_msg(a, 0, "%s", T(S_REV_IS_SEALED));
            return R_REDRAW;
        }
        /* Typed text elsewhere is already in the document: save it first. */
        sess_save(ss);
        r->asking = 1;
        return R_REDRAW;
    default:
        return R_NONE;
    }
}

/* A sealed visit's review offers 更正 instead of 封存, and no details. */
static int review_offers(struct app *a, struct screen *s, enum tui_action act)
{
    (void)s;
    if (!a->sess->readonly)
        return 0;
    if (act == ACT_SEAL || act == ACT_DETAIL)
        return -1;
    return act == ACT_CORRECT ? 1 : 0;
}

const struct screen_ops scr_review = {
    .id = SCR_REVIEW,
    .name = "review",
    .data_size = sizeof(struct review),
    .enter = review_enter,
    .draw = review_draw,
    .key = review_key,
    .resume = review_resume,
    .leave = review_leave,
    .title = review_title,
    .offers = review_offers,
};
