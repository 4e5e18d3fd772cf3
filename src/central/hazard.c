/* hazard.c — the closed loop (闭环) of a hazard: 发现 → 通知 → 整改 → 复查 →
 * 销号, with 督办 for what slips.  Owns the state machine (open / rechecked /
 * closed, derived from every field event and office action by their
 * recorded times, so merge order never matters), the trust check of field
 * follow-ups (followup-mismatch anomalies), registration numbers
 * (莲都-2026-0012) and how commands name a hazard. */
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/county.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rules ---------------------------------------------------------------------- */

xa_code xa_loop_rules_load(xa_cstore *s, struct xa_loop_rules *r, xa_err *err)
{
    memset(r, 0, sizeof *r);
    char *who = NULL, *prefix = NULL;
    xa_code c;
    if ((c = xa_office_setting_text(s, XA_SET_SIGNOFF_GENERAL, &who, err)) == XA_OK &&
        (c = xa_office_setting_text(s, XA_SET_NOTICE_PREFIX, &prefix, err)) == XA_OK &&
        (c = xa_office_setting_int(s, XA_SET_ESCALATE_AFTER, &r->escalate_after, err)) ==
            XA_OK &&
        (c = xa_office_setting_int(s, XA_SET_NOTICE_REPLY_DAYS, &r->reply_days, err)) == XA_OK) {
        r->general_office = !strcmp(who, "office");
        snprintf(r->prefix, sizeof r->prefix, "%s", prefix);
    }
    free(who);
    free(prefix);
    return c;
}

/* ---- the state machine ------------------------------------------------------------ */

/* One step of the timeline: a field event or an office action. */
int xa_hstep_rank(const char *kind)
{
    if (!strcmp(kind, XA_EV_FOUND))
        return 0;
    if (!strcmp(kind, XA_EV_ONSITE))
        return 1;
    return 2;
}

const char *xa_followup_distrust(const struct xa_chazard *h, const struct xa_cfield *e)
{
    if (strcmp(e->kind, XA_EV_FOLLOWUP) != 0)
        return NULL;
    if (!e->school || !h->school || strcmp(e->school, h->school) != 0)
        return "other-school";
    if (e->at_epoch < h->found_at || (h->visit && !strcmp(e->visit, h->visit)))
        return "before-finding";
    return NULL;
}

int xa_hstep_cmp(const void *pa, const void *pb)
{
    const struct xa_hstep *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank - b->rank;
    if (a->act && b->act)
        return a->act->id < b->act->id ? -1 : a->act->id > b->act->id;
    if (a->ev && b->ev) {
        int c = strcmp(a->ev->visit, b->ev->visit);
        if (c)
            return c;
        return strcmp(a->ev->verdict ? a->ev->verdict : "", b->ev->verdict ? b->ev->verdict : "");
    }
    return 0;
}

static void set(char **dst, const char *v)
{
    free(*dst);
    *dst = v ? xa_strdup(v) : NULL;
}

static void push_deadline(struct xa_hloop *l, const char *date, const char *why, const char *at,
                          const char *cause, const char *note)
{
    l->deadlines = xa_reallocarray(l->deadlines, l->ndeadlines + 1, sizeof *l->deadlines);
    struct xa_deadline_step *d = &l->deadlines[l->ndeadlines++];
    d->date = xa_strdup(date ? date : "");
    d->why = xa_strdup(why ? why : "");
    d->at = xa_strdup(at ? at : "");
    d->cause = cause;
    d->note = note ? xa_strdup(note) : NULL;
    set(&l->deadline, date);
}

/* A re-check or on-site rectification found it rectified. */
static void rectified(struct xa_hloop *l, const struct xa_chazard *h,
                      const struct xa_loop_rules *r, const char *how, const char *at,
                      int64_t epoch, const char *by)
{
    if (!strcmp(l->state, XA_HSTATE_CLOSED))
        return;
    int major = xa_severity_of(h->severity) == XA_SEV_MAJOR;
    if (major || r->general_office) {
        l->state = XA_HSTATE_RECHECKED;
        set(&l->rechecked_at, at);
        return;
    }
    l->state = XA_HSTATE_CLOSED;
    set(&l->closed_at, at);
    l->closed_epoch = epoch;
    set(&l->closed_by, by);
    l->closed_how = how;
}

static void reopen(struct xa_hloop *l)
{
    l->state = XA_HSTATE_OPEN;
    set(&l->rechecked_at, NULL);
    set(&l->closed_at, NULL);
    set(&l->closed_by, NULL);
    l->closed_epoch = 0;
    l->closed_how = NULL;
}

/* A re-check (field or office) with its verdict. */
static void recheck(struct xa_hloop *l, const struct xa_chazard *h, const struct xa_loop_rules *r,
                    const char *verdict, const char *at, int64_t epoch, const char *by,
                    const char *by_id, const char *note, const char *how)
{
    l->rechecks++;
    set(&l->last_check, at);
    set(&l->last_verdict, verdict);
    set(&l->last_checker, by);
    set(&l->last_checker_id, by_id);
    if (note && *note)
        set(&l->last_note, note);
    xa_verdict v = xa_verdict_of(verdict);
    if (v == XA_VERDICT_RECTIFIED)
        rectified(l, h, r, how, at, epoch, by);
    else if (v == XA_VERDICT_PARTLY || v == XA_VERDICT_NOT)
        reopen(l);
}

void xa_hazard_loop(const struct xa_chazard *h, const struct xa_creg *reg,
                    const struct xa_cfield *ev, size_t nev, const struct xa_caction *act,
                    size_t nact, const struct xa_loop_rules *rules, struct xa_hloop *out)
{
    memset(out, 0, sizeof *out);
    out->number = xa_strdup(reg && reg->number ? reg->number : "");
    out->interim = xa_strdup(reg && reg->interim ? reg->interim : "");
    out->state = XA_HSTATE_OPEN;
    push_deadline(out, h->deadline, "发现时确定", h->found, "found", NULL);
    size_t n = nev + nact, k = 0;
    struct xa_hstep *t = n ? xa_calloc(n, sizeof *t) : NULL;
    for (size_t i = 0; i < nev; i++) {
        const struct xa_cfield *e = &ev[i];
        /* a follow-up counts only from another visit at the same school,
         * checked no earlier than the finding */
        if (xa_followup_distrust(h, e)) {
            out->ignored++;
            continue;
        }
        t[k++] = (struct xa_hstep){e->at_epoch, xa_hstep_rank(e->kind), e, NULL};
    }
    for (size_t i = 0; i < nact; i++)
        t[k++] = (struct xa_hstep){act[i].at_epoch, 3, NULL, &act[i]};
    if (k > 1)
        qsort(t, k, sizeof *t, xa_hstep_cmp);
    if (h->rectified_on_site)
        rectified(out, h, rules, "on-site", h->found, h->found_at, h->inspector_name);
    for (size_t i = 0; i < k; i++) {
        if (t[i].ev) {
            const struct xa_cfield *e = t[i].ev;
            const char *by = e->inspector_name ? e->inspector_name : e->inspector;
            if (!strcmp(e->kind, XA_EV_ONSITE))
                rectified(out, h, rules, "on-site", e->at, e->at_epoch, by);
            else if (!strcmp(e->kind, XA_EV_FOLLOWUP))
                recheck(out, h, rules, e->verdict, e->at, e->at_epoch, by, e->inspector, e->note,
                        "re-check");
            continue;
        }
        const struct xa_caction *a = t[i].act;
        if (!strcmp(a->kind, XA_ACT_RECHECK)) {
            recheck(out, h, rules, a->verdict, a->at, a->at_epoch, a->by, a->by, a->note,
                    "re-check");
            if (xa_action_moves_deadline(a))
                push_deadline(out, a->date,
                              xa_verdict_of(a->verdict) == XA_VERDICT_PARTLY ? "部分整改"
                                                                              : "复查未整改",
                              a->at,
                              xa_verdict_of(a->verdict) == XA_VERDICT_PARTLY ? "partly"
                                                                              : "not-rectified",
                              NULL);
        } else if (!strcmp(a->kind, XA_ACT_SIGNOFF)) {
            out->state = XA_HSTATE_CLOSED;
            set(&out->closed_at, a->at);
            out->closed_epoch = a->at_epoch;
            set(&out->closed_by, a->by);
            out->closed_how = "sign-off";
        } else if (!strcmp(a->kind, XA_ACT_EXTEND) && xa_action_moves_deadline(a)) {
            char *why = xa_asprintf("延期：%s", a->note ? a->note : "");
            push_deadline(out, a->date, why, a->at, "extended", a->note ? a->note : "");
            free(why);
            set(&out->extended_to, a->date);
        } else if (!strcmp(a->kind, XA_ACT_ESCALATE)) {
            out->escalation = (int)a->level;
        } else if (!strcmp(a->kind, XA_ACT_REPLY)) {
            set(&out->reply_date, a->date);
        } else if (!strcmp(a->kind, XA_ACT_NOTICE)) {
            set(&out->notice, a->notice);
            set(&out->notice_date, a->date);
        }
    }
    free(t);
}

void xa_hloop_clear(struct xa_hloop *l)
{
    if (!l)
        return;
    free(l->number);
    free(l->interim);
    free(l->rechecked_at);
    free(l->closed_at);
    free(l->closed_by);
    free(l->deadline);
    for (size_t i = 0; i < l->ndeadlines; i++) {
        free(l->deadlines[i].date);
        free(l->deadlines[i].why);
        free(l->deadlines[i].at);
        free(l->deadlines[i].note);
    }
    free(l->deadlines);
    free(l->extended_to);
    free(l->notice);
    free(l->notice_date);
    free(l->reply_date);
    free(l->last_check);
    free(l->last_verdict);
    free(l->last_checker);
    free(l->last_checker_id);
    free(l->last_note);
    memset(l, 0, sizeof *l);
}

int64_t xa_overdue_days(int closed, int64_t deadline, int64_t day)
{
    if (closed || deadline == XA_NO_DEADLINE || day <= deadline)
        return 0;
    return day - deadline;
}

int64_t xa_deadline_day(const char *date)
{
    int64_t d;
    if (!date || !*date || xa_date_parse(date, &d, NULL) != XA_OK)
        return XA_NO_DEADLINE;
    return d;
}

int xa_action_moves_deadline(const struct xa_caction *a)
{
    if (!a->date || !*a->date)
        return 0;
    if (!strcmp(a->kind, XA_ACT_EXTEND))
        return 1;
    if (strcmp(a->kind, XA_ACT_RECHECK) != 0)
        return 0;
    xa_verdict v = xa_verdict_of(a->verdict);
    return v == XA_VERDICT_PARTLY || v == XA_VERDICT_NOT;
}

int64_t xa_hloop_overdue(const struct xa_hloop *l, int64_t today)
{
    return xa_overdue_days(!strcmp(l->state, XA_HSTATE_CLOSED), xa_deadline_day(l->deadline),
                           today);
}

const char *xa_hloop_shown_state(const struct xa_hloop *l, int64_t today)
{
    if (!strcmp(l->state, XA_HSTATE_OPEN) && xa_hloop_overdue(l, today) > 0)
        return "overdue";
    return l->state;
}

int xa_hloop_due(const struct xa_hloop *l, const struct xa_loop_rules *r, int64_t today)
{
    return xa_escalation_due(xa_hloop_overdue(l, today), l->escalation, r->escalate_after);
}

int xa_escalation_due(int64_t late, int level, int64_t after)
{
    if (after <= 0)
        after = 7;
    if (late <= 0)
        return 0;
    if (late >= 2 * after && level < 2)
        return 2;
    if (late >= after && level < 1)
        return 1;
    return 0;
}

/* ---- views over the store ------------------------------------------------------------- */

/* Index of the first element of a sorted-by-hazard array whose hazard is id. */
#define FIND_FIRST(arr, n, id, out)                                   \
    do {                                                              \
        size_t lo_ = 0, hi_ = (n);                                    \
        while (lo_ < hi_) {                                           \
            size_t mid_ = (lo_ + hi_) / 2;                            \
            if (strcmp((arr)[mid_].hazard, (id)) < 0)                 \
                lo_ = mid_ + 1;                                       \
            else                                                      \
                hi_ = mid_;                                           \
        }                                                             \
        (out) = lo_;                                                  \
    } while (0)


/* The forms, parsed once, to look up an item's basis. */
struct basis_book {
    struct xa_cform *f;
    size_t n;
    json_t **doc; /* parsed lazily */
};

static void book_free(struct basis_book *b)
{
    for (size_t i = 0; i < b->n; i++)
        json_decref(b->doc[i]);
    free(b->doc);
    xa_cforms_free(b->f, b->n);
}

/* The basis of item code of form (version; 0 or unknown: the highest). */
static const char *book_basis(struct basis_book *b, const char *form, const char *code,
                              int64_t version)
{
    if (!form || !code)
        return "";
    size_t best = b->n;
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->f[i].id, form) != 0)
            continue;
        if (b->f[i].version == version) {
            best = i;
            break;
        }
        if (best == b->n || b->f[i].version > b->f[best].version)
            best = i;
    }
    if (best == b->n)
        return "";
    if (!b->doc[best])
        b->doc[best] = json_loads(b->f[best].doc, 0, NULL);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(b->doc[best], "items"), i, it)
    {
        const char *c = json_string_value(json_object_get(it, "code"));
        if (c && !strcmp(c, code)) {
            const char *bs = json_string_value(json_object_get(it, "basis"));
            return bs ? bs : "";
        }
    }
    return "";
}

struct xa_loop_book {
    struct xa_loop_rules rules;
    struct xa_creg *reg;
    struct xa_cfield *ev;
    struct xa_caction *act;
    struct xa_chmeta *meta;
    size_t nreg, nev, nact, nmeta;
    struct basis_book forms;
};

void xa_loop_book_free(xa_loop_book *b)
{
    if (!b)
        return;
    xa_cregs_free(b->reg, b->nreg);
    xa_cfields_free(b->ev, b->nev);
    xa_cactions_free(b->act, b->nact);
    xa_chmetas_free(b->meta, b->nmeta);
    book_free(&b->forms);
    free(b);
}

xa_code xa_loop_book_load(xa_cstore *s, xa_loop_book **out, xa_err *err)
{
    xa_loop_book *b = xa_calloc(1, sizeof *b);
    xa_code c;
    if ((c = xa_loop_rules_load(s, &b->rules, err)) != XA_OK ||
        (c = xa_cstore_regs(s, &b->reg, &b->nreg, err)) != XA_OK ||
        (c = xa_cstore_field_events(s, NULL, &b->ev, &b->nev, err)) != XA_OK ||
        (c = xa_cstore_actions(s, NULL, &b->act, &b->nact, err)) != XA_OK ||
        (c = xa_cstore_hazard_meta(s, &b->meta, &b->nmeta, err)) != XA_OK ||
        (c = xa_cstore_forms(s, 0, &b->forms.f, &b->forms.n, err)) != XA_OK) {
        xa_loop_book_free(b);
        return c;
    }
    b->forms.doc = xa_calloc(b->forms.n ? b->forms.n : 1, sizeof *b->forms.doc);
    *out = b;
    return XA_OK;
}

const struct xa_loop_rules *xa_loop_book_rules(const xa_loop_book *b)
{
    return &b->rules;
}

/* Derive one view (h already in v->h). */
static void book_derive(xa_loop_book *b, struct xa_hview *v)
{
    const char *id = v->h.id;
    size_t a, e, g, k;
    FIND_FIRST(b->reg, b->nreg, id, g);
    FIND_FIRST(b->ev, b->nev, id, e);
    FIND_FIRST(b->act, b->nact, id, a);
    FIND_FIRST(b->meta, b->nmeta, id, k);
    size_t ne = 0, na = 0;
    while (e + ne < b->nev && !strcmp(b->ev[e + ne].hazard, id))
        ne++;
    while (a + na < b->nact && !strcmp(b->act[a + na].hazard, id))
        na++;
    const struct xa_creg *rg = g < b->nreg && !strcmp(b->reg[g].hazard, id) ? &b->reg[g] : NULL;
    xa_hazard_loop(&v->h, rg, b->ev + e, ne, b->act + a, na, &b->rules, &v->l);
    int have = k < b->nmeta && !strcmp(b->meta[k].hazard, id);
    v->kind = xa_strdup(have ? b->meta[k].kind : "");
    v->basis =
        xa_strdup(book_basis(&b->forms, v->h.form, v->h.code, have ? b->meta[k].version : 0));
}

void xa_loop_book_view(xa_loop_book *b, const struct xa_chazard *h, struct xa_hview *out)
{
    memset(out, 0, sizeof *out);
    out->h = *h;
    book_derive(b, out);
}

void xa_loop_book_release(struct xa_hview *v)
{
    if (!v)
        return;
    xa_hloop_clear(&v->l);
    free(v->kind);
    free(v->basis);
    memset(v, 0, sizeof *v);
}

xa_code xa_hazard_views(xa_cstore *s, const char *county, struct xa_hview **out, size_t *n,
                        xa_err *err)
{
    xa_loop_book *b = NULL;
    struct xa_chazard *hz = NULL;
    size_t nh = 0;
    xa_code c = xa_loop_book_load(s, &b, err);
    if (c != XA_OK)
        return c;
    if ((c = xa_cstore_hazards(s, county, NULL, &hz, &nh, err)) == XA_OK) {
        struct xa_hview *v = xa_calloc(nh ? nh : 1, sizeof *v);
        for (size_t i = 0; i < nh; i++) {
            v[i].h = hz[i];
            book_derive(b, &v[i]);
        }
        free(hz);
        *out = v;
        *n = nh;
    }
    xa_loop_book_free(b);
    return c;
}

/* The loop of one hazard from its own rows only (no kind, no basis): what a
 * merge needs after each bundle, without reading every hazard's rows. */
static xa_code view_core(xa_cstore *s, const char *id, struct xa_hview *out, xa_err *err);

xa_code xa_hazard_loop_view(xa_cstore *s, const char *id, struct xa_hview *out, xa_err *err)
{
    return view_core(s, id, out, err);
}

static xa_code view_rules(xa_cstore *s, const char *id, const struct xa_loop_rules *r,
                          int own, struct xa_hview *out, xa_err *err);

static xa_code view_core(xa_cstore *s, const char *id, struct xa_hview *out, xa_err *err)
{
    struct xa_loop_rules r;
    memset(out, 0, sizeof *out);
    xa_code c = xa_loop_rules_load(s, &r, err);
    return c == XA_OK ? view_rules(s, id, &r, 0, out, err) : c;
}

/* view_core with the office's rules already read (a merge reads them once);
 * own: the hazard's own row only, without the names joined in (the stored
 * state does not depend on them). */
static xa_code view_rules(xa_cstore *s, const char *id, const struct xa_loop_rules *r,
                          int own, struct xa_hview *out, xa_err *err)
{
    memset(out, 0, sizeof *out);
    xa_code c = own ? xa_cstore_hazard_own(s, id, &out->h, err)
                    : xa_cstore_hazard_get(s, id, &out->h, err);
    if (c != XA_OK)
        return c;
    struct xa_creg reg;
    xa_err e;
    int have_reg = xa_cstore_reg_get(s, id, &reg, &e) == XA_OK;
    struct xa_cfield *ev = NULL;
    struct xa_caction *act = NULL;
    size_t nev = 0, nact = 0;
    if ((c = xa_cstore_field_events(s, id, &ev, &nev, err)) == XA_OK &&
        (c = xa_cstore_actions(s, id, &act, &nact, err)) == XA_OK)
        xa_hazard_loop(&out->h, have_reg ? &reg : NULL, ev, nev, act, nact, r, &out->l);
    else
        xa_chazard_clear(&out->h);
    if (have_reg)
        xa_creg_free(&reg);
    xa_cfields_free(ev, nev);
    xa_cactions_free(act, nact);
    return c;
}

xa_code xa_hazard_view(xa_cstore *s, const char *id, struct xa_hview *out, xa_err *err)
{
    memset(out, 0, sizeof *out);
    xa_loop_book *b = NULL;
    xa_code c = xa_loop_book_load(s, &b, err);
    if (c != XA_OK)
        return c;
    if ((c = xa_cstore_hazard_get(s, id, &out->h, err)) == XA_OK)
        book_derive(b, out);
    xa_loop_book_free(b);
    return c;
}

void xa_hview_clear(struct xa_hview *v)
{
    if (!v)
        return;
    xa_chazard_clear(&v->h);
    xa_hloop_clear(&v->l);
    free(v->kind);
    free(v->basis);
    v->kind = v->basis = NULL;
}

void xa_hviews_free(struct xa_hview *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        xa_hview_clear(&v[i]);
    free(v);
}

/* Two stored strings alike (NULL only equals NULL). */
static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Derive one hazard's state with the rules r and store it when it changed
 * (an unchanged row is not written again); a hazard not in the store is
 * left alone. */
static xa_code refresh_one(xa_cstore *s, const char *hazard_id, const struct xa_loop_rules *r,
                           xa_err *err)
{
    struct xa_hview v;
    xa_err e;
    xa_code c = view_rules(s, hazard_id, r, 1, &v, &e);
    if (c == XA_ENOTFOUND)
        return XA_OK; /* a follow-up that arrived before its finding */
    if (c != XA_OK) {
        if (err)
            *err = e;
        return c;
    }
    struct xa_chazard *h = &v.h;
    /* the stored last checker is the fingerprint of a field re-check, or the
     * office person's name */
    int64_t closed_at = v.l.closed_epoch;
    int same = same_str(h->state, v.l.state) && same_str(h->closed, v.l.closed_at) &&
               (!h->closed || h->closed_at == closed_at) && h->rechecks == v.l.rechecks &&
               same_str(h->last_check, v.l.last_check) &&
               same_str(h->last_verdict, v.l.last_verdict) &&
               same_str(h->last_checker, v.l.last_checker_id);
    if (!same) {
        xa_cstore_str_set(&h->state, v.l.state);
        xa_cstore_str_set(&h->closed, v.l.closed_at);
        h->closed_at = closed_at;
        h->rechecks = v.l.rechecks;
        xa_cstore_str_set(&h->last_check, v.l.last_check);
        xa_cstore_str_set(&h->last_verdict, v.l.last_verdict);
        xa_cstore_str_set(&h->last_checker, v.l.last_checker_id);
        c = xa_cstore_hazard_set_state(s, h, err);
    }
    xa_hview_clear(&v);
    return c;
}

xa_code xa_hazard_refresh(xa_cstore *s, const char *hazard_id, xa_err *err)
{
    return xa_hazard_refresh_each(s, &hazard_id, 1, err);
}

xa_code xa_hazard_refresh_each(xa_cstore *s, const char *const *ids, size_t n, xa_err *err)
{
    struct xa_loop_rules r;
    xa_code c = n ? xa_loop_rules_load(s, &r, err) : XA_OK;
    for (size_t i = 0; i < n && c == XA_OK; i++)
        c = refresh_one(s, ids[i], &r, err);
    return c;
}

/* ---- registration numbers -------------------------------------------------------------- */

char *xa_hazard_county_abbr(const char *county)
{
    if (!county || !*county)
        return xa_strdup("未知");
    if (xa_county_find(county))
        return xa_strdup(xa_county_abbr(county));
    size_t len = strlen(county);
    static const char *const suffix[] = {"区", "县", "市"};
    for (size_t i = 0; i < 3; i++) {
        size_t sl = strlen(suffix[i]);
        if (len > sl && !strcmp(county + len - sl, suffix[i]))
            return xa_strndup(county, len - sl);
    }
    return xa_strdup(county);
}

xa_code xa_hazard_register_missing(xa_cstore *s, xa_err *err)
{
    struct xa_cunreg *u = NULL;
    size_t n = 0;
    xa_code c = xa_cstore_unregistered(s, &u, &n, err);
    for (size_t i = 0; i < n && c == XA_OK; i++) {
        char date[XA_DATE_MAX];
        xa_time_date(u[i].found, date);
        char *abbr = xa_hazard_county_abbr(u[i].county);
        c = xa_cstore_hazard_register(s, u[i].hazard, abbr, atoll(date), "", NULL, err);
        free(abbr);
    }
    xa_cunregs_free(u, n);
    return c;
}

/* ---- trusted follow-ups ----------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The finding about one follow-up (a new string, NULL when it is trusted)
 * and *why, the reason word its anomaly id carries. */
static char *fcheck_finding(const struct xa_cfcheck *f, const char **why)
{
    *why = "unknown";
    if (!f->known)
        return xa_asprintf("follow-up of visit %s names hazard %s that the office does not"
                           " know (held: applied when the finding arrives)",
                           f->visit, f->hazard);
    if (!f->school || !f->hazard_school || strcmp(f->school, f->hazard_school) != 0) {
        *why = "school";
        return xa_asprintf("follow-up of visit %s at school %s names hazard %s of school"
                           " %s: ignored",
                           f->visit, f->school ? f->school : "?", f->hazard,
                           f->hazard_school ? f->hazard_school : "?");
    }
    if (f->at_epoch < f->hazard_found_at ||
        (f->hazard_visit && !strcmp(f->visit, f->hazard_visit))) {
        *why = "early";
        return xa_asprintf("follow-up of visit %s checked %s, before hazard %s was"
                           " found (%s) or by the visit that found it: ignored",
                           f->visit, f->at, f->hazard, f->hazard_found ? f->hazard_found : "?");
    }
    return NULL;
}

/* Add the finding of one follow-up (if any); *aid gets its anomaly id. */
static xa_code fcheck_add(xa_cstore *s, const struct xa_cfcheck *f, char **aid, xa_err *err)
{
    const char *why;
    char *detail = fcheck_finding(f, &why);
    *aid = NULL;
    if (!detail)
        return XA_OK;
    struct xa_canomaly a = {0};
    /* the reason is part of the id: a finding whose reason changed (the
     * hazard arrived) is a new finding, the old one goes */
    *aid = xa_asprintf("followup-mismatch/%s/%s/%s", why, f->visit, f->hazard);
    a.id = *aid;
    a.kind = "followup-mismatch";
    a.inspector = f->inspector;
    a.visit = f->visit;
    a.detail = detail;
    xa_code c = xa_cstore_anomaly_add(s, &a, err);
    free(detail);
    return c;
}

xa_code xa_hazard_check_followups(xa_cstore *s, xa_err *err)
{
    struct xa_cfcheck *f = NULL;
    size_t n = 0;
    xa_code c = xa_cstore_followup_checks(s, &f, &n, err);
    if (c != XA_OK)
        return c;
    char **keep = NULL;
    size_t nkeep = 0;
    for (size_t i = 0; i < n && c == XA_OK; i++) {
        char *aid = NULL;
        c = fcheck_add(s, &f[i], &aid, err);
        if (!aid)
            continue;
        keep = xa_reallocarray(keep, nkeep + 1, sizeof *keep);
        keep[nkeep++] = aid;
    }
    xa_cfchecks_free(f, n);
    if (nkeep > 1)
        qsort(keep, nkeep, sizeof *keep, cmp_str);
    /* drop the findings that no longer hold (the hazard arrived) */
    char **have = NULL;
    size_t nhave = 0;
    if (c == XA_OK)
        c = xa_cstore_anomaly_ids(s, "followup-mismatch", &have, &nhave, err);
    for (size_t i = 0; i < nhave && c == XA_OK; i++)
        if (!nkeep || !bsearch(&have[i], keep, nkeep, sizeof *keep, cmp_str))
            c = xa_cstore_anomaly_del(s, have[i], err);
    xa_strv_free(have, nhave);
    xa_strv_free(keep, nkeep);
    return c;
}

/* The same for the follow-ups naming the given hazards only.  A finding
 * depends on its follow-up event (stored with its visit) and on its hazard's
 * row (stored with the finding's visit); a merge touches both hazard ids,
 * so checking the touched hazards after each bundle leaves the store exactly
 * as the whole check would — at a cost that does not grow with the store
 * (issue 17).  A pair (visit, hazard) has at most the three ids below. */
xa_code xa_hazard_check_followups_of(xa_cstore *s, char *const *hazards, size_t nh, xa_err *err)
{
    static const char *const whys[] = {"unknown", "school", "early"};
    xa_code c = XA_OK;
    /* the ids that no longer hold are dropped together at the end (16 to a
     * statement): no pair's finding is another pair's (the ids name both) */
    char **drop = NULL;
    size_t nd = 0;
    for (size_t k = 0; k < nh && c == XA_OK; k++) {
        struct xa_cfcheck *f = NULL;
        size_t n = 0;
        if ((c = xa_cstore_followup_checks_of(s, hazards[k], &f, &n, err)) != XA_OK)
            break;
        for (size_t i = 0; i < n && c == XA_OK; i++) {
            char *aid = NULL;
            c = fcheck_add(s, &f[i], &aid, err);
            for (size_t w = 0; w < 3 && c == XA_OK; w++) {
                char *other = xa_asprintf("followup-mismatch/%s/%s/%s", whys[w], f[i].visit,
                                          f[i].hazard);
                if (aid && !strcmp(aid, other)) {
                    free(other);
                    continue;
                }
                drop = xa_reallocarray(drop, nd + 1, sizeof *drop);
                drop[nd++] = other;
            }
            free(aid);
        }
        xa_cfchecks_free(f, n);
    }
    if (c == XA_OK)
        c = xa_cstore_anomaly_drop_each(s, drop, nd, err);
    xa_strv_free(drop, nd);
    return c;
}

/* ---- naming a hazard ---------------------------------------------------------------------- */

xa_code xa_hazard_resolve(xa_cstore *s, const char *text, char **id, xa_err *err)
{
    *id = NULL;
    if (!text || !*text)
        return xa_fail(err, XA_EUSAGE, "empty hazard name");
    const char *q = text;
    char hex[40];
    /* the old ledger number: YYYYMMDD-HEX */
    size_t len = strlen(text);
    if (len > 9 && len < 9 + sizeof hex && text[8] == '-' &&
        strspn(text, "0123456789") == 8) {
        snprintf(hex, sizeof hex, "%s", text + 9);
        q = hex;
    }
    char **ids = NULL;
    size_t n = 0;
    xa_code c = xa_cstore_hazard_find(s, q, 3, &ids, &n, err);
    if (c != XA_OK)
        return c;
    if (n == 1) {
        *id = ids[0];
        ids[0] = NULL;
    } else if (n == 0) {
        c = xa_fail(err, XA_ENOTFOUND, "unknown hazard '%s'", text);
    } else {
        c = xa_fail(err, XA_EUSAGE, "'%s' names more than one hazard (%.12s…, %.12s…): give more"
                    " of the id or the registration number", text, ids[0], ids[1]);
    }
    xa_strv_free(ids, n);
    return c;
}

/* ---- labels ---------------------------------------------------------------------------------- */

int64_t xa_today(void)
{
    return xa_date_of(xa_now(), XA_CST_OFFSET);
}

xa_hstate xa_hazard_state_on(const struct xa_chazard *h, int64_t today)
{
    xa_hstate st = xa_hstate_of(h->state);
    if (st == XA_HS_CLOSED || st == XA_HS_RECHECKED)
        return st;
    return xa_overdue_days(0, xa_deadline_day(h->deadline), today) > 0 ? XA_HS_OVERDUE
                                                                        : XA_HS_OPEN;
}

const char *xa_escalation_label(int level)
{
    return level >= 2 ? "挂牌督办" : level == 1 ? "督办" : "";
}

const char *xa_closed_how_label(const char *how)
{
    if (!how)
        return "";
    if (!strcmp(how, "on-site"))
        return "当场整改";
    if (!strcmp(how, "re-check"))
        return "复查销号";
    if (!strcmp(how, "sign-off"))
        return "办公室销号";
    return how;
}

void xa_hazard_number(const struct xa_chazard *h, char out[32])
{
    char date[XA_DATE_MAX] = "00000000";
    int64_t t;
    int off;
    if (h->found && xa_time_parse(h->found, &t, &off, NULL) == XA_OK) {
        /* The date as the inspector recorded it (their offset). */
        xa_date_format(xa_date_of(t, off), date);
    }
    char ymd[9];
    size_t k = 0;
    for (const char *p = date; *p && k < 8; p++)
        if (*p != '-')
            ymd[k++] = *p;
    ymd[k] = '\0';
    char hex[7];
    size_t i;
    for (i = 0; i < 6 && h->id && h->id[i]; i++) {
        char ch = h->id[i];
        hex[i] = (ch >= 'a' && ch <= 'f') ? (char)(ch - 'a' + 'A') : ch;
    }
    hex[i] = '\0';
    snprintf(out, 32, "%s-%s", ymd, hex);
}
