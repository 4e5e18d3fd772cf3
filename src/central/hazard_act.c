/* hazard_act.c — the office's actions on hazards: the school's 整改报告
 * received (reply), a re-check on documents (recheck), 销号 (signoff), 延期
 * (extend) and 督办 / 挂牌督办 (escalate).  Each action is one row of
 * hazard_actions (who, when, what); the states stay derived from all rows
 * (hazard.c).  This file owns the rules of which action a hazard in which
 * state accepts, and writes every action of a command in one audited
 * transaction: either every named hazard gets its action or none does. */
#include "xiaoan/central.h"
#include "xiaoan/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The command word of an action kind, for the audit log. */
static const char *command_of(const char *kind)
{
    if (!strcmp(kind, XA_ACT_REPLY))
        return "central reply";
    if (!strcmp(kind, XA_ACT_RECHECK))
        return "central recheck";
    if (!strcmp(kind, XA_ACT_SIGNOFF))
        return "central signoff";
    if (!strcmp(kind, XA_ACT_EXTEND))
        return "central extend";
    if (!strcmp(kind, XA_ACT_ESCALATE))
        return "central escalate";
    return NULL;
}

/* The number people read out (registration number, else the old one). */
static char *display_number(const struct xa_hview *v)
{
    if (v->l.number && *v->l.number)
        return xa_strdup(v->l.number);
    char old[32];
    xa_hazard_number(&v->h, old);
    return xa_strdup(old);
}

xa_code xa_act_verdict(const char *text, const char **key, xa_err *err)
{
    *key = NULL;
    if (text && !strcmp(text, "not"))
        text = "not-rectified";
    int v = text ? xa_vocab_parse(&xa_vocab_verdicts, text) : -1;
    if (v != XA_VERDICT_RECTIFIED && v != XA_VERDICT_PARTLY && v != XA_VERDICT_NOT)
        return xa_fail(err, XA_EUSAGE, "unknown verdict '%s' (rectified, partly or not)",
                       text ? text : "");
    *key = xa_vocab_key(&xa_vocab_verdicts, v);
    return XA_OK;
}

/* A date argument: valid, and its day number. */
static xa_code want_date(const char *what, const char *text, int64_t *day, xa_err *err)
{
    if (!text || xa_date_parse(text, day, NULL) != XA_OK)
        return xa_fail(err, XA_EFORMAT, "%s: not a date (YYYY-MM-DD): '%.40s'", what,
                       text ? text : "");
    return XA_OK;
}

/* The day a hazard was found, in the inspector's offset. */
static int64_t found_day(const struct xa_chazard *h)
{
    int64_t t;
    int off;
    if (h->found && xa_time_parse(h->found, &t, &off, NULL) == XA_OK)
        return xa_date_of(t, off);
    return xa_date_of(h->found_at, XA_CST_OFFSET);
}

/* May hazard v take action a on day today?  Fills the action row's
 * fields that depend on the hazard. */
static xa_code allowed(const struct xa_hview *v, const struct xa_act *a, int64_t today,
                       const char *num, xa_err *err)
{
    const char *st = v->l.state;
    int closed = !strcmp(st, XA_HSTATE_CLOSED);
    int64_t d;
    if (!strcmp(a->kind, XA_ACT_SIGNOFF)) {
        if (strcmp(st, XA_HSTATE_RECHECKED) != 0)
            return xa_fail(err, XA_ESTATE,
                           "hazard %s is %s (%s), not rechecked: only a hazard a re-check found"
                           " rectified can be signed off",
                           num, st, xa_vocab_label_of(&xa_vocab_hstates, st, 0));
        return XA_OK;
    }
    if (closed)
        return xa_fail(err, XA_ESTATE, "hazard %s is closed (%s): nothing to %s", num,
                       xa_vocab_label_of(&xa_vocab_hstates, st, 0), a->kind);
    if (!strcmp(a->kind, XA_ACT_REPLY)) {
        if (want_date("--date", a->date, &d, err) != XA_OK)
            return XA_EFORMAT;
        if (d > today)
            return xa_fail(err, XA_EFORMAT, "--date %s is in the future", a->date);
        if (d < found_day(&v->h))
            return xa_fail(err, XA_EFORMAT, "--date %s is before hazard %s was found", a->date,
                           num);
    } else if (!strcmp(a->kind, XA_ACT_RECHECK)) {
        if (a->date) {
            int ver = xa_verdict_of(a->verdict);
            if (ver != XA_VERDICT_PARTLY && ver != XA_VERDICT_NOT)
                return xa_fail(err, XA_EUSAGE,
                               "--deadline goes with --verdict partly or not (a rectified"
                               " hazard needs no new deadline)");
            if (want_date("--deadline", a->date, &d, err) != XA_OK)
                return XA_EFORMAT;
            if (d < today)
                return xa_fail(err, XA_EFORMAT, "--deadline %s is in the past", a->date);
        }
    } else if (!strcmp(a->kind, XA_ACT_EXTEND)) {
        if (want_date("--to", a->date, &d, err) != XA_OK)
            return XA_EFORMAT;
        int64_t cur;
        if (v->l.deadline && *v->l.deadline &&
            xa_date_parse(v->l.deadline, &cur, NULL) == XA_OK) {
            if (d <= cur)
                return xa_fail(err, XA_EFORMAT,
                               "--to %s is not after hazard %s's deadline %s", a->date, num,
                               v->l.deadline);
        } else if (d < today) {
            return xa_fail(err, XA_EFORMAT, "--to %s is in the past", a->date);
        }
        if (!a->note || !*a->note)
            return xa_fail(err, XA_EUSAGE, "an extension needs --reason");
    } else if (!strcmp(a->kind, XA_ACT_ESCALATE)) {
        if (a->level < 1 || a->level > 2)
            return xa_fail(err, XA_EUSAGE, "--level must be 1 (督办) or 2 (挂牌督办)");
        if (a->level <= v->l.escalation)
            return xa_fail(err, XA_ESTATE,
                           "hazard %s is at escalation level %d already: a level is only"
                           " raised",
                           num, v->l.escalation);
    }
    return XA_OK;
}

/* One line of the audit summary for one hazard. */
static void summary_add(xa_buf *sum, const struct xa_act *a, const char *num, const char *by)
{
    if (sum->len)
        xa_buf_puts(sum, "; ");
    xa_buf_printf(sum, "%s %s by %s", a->kind, num, by);
    if (!strcmp(a->kind, XA_ACT_REPLY))
        xa_buf_printf(sum, ", received %s", a->date);
    else if (!strcmp(a->kind, XA_ACT_RECHECK))
        xa_buf_printf(sum, ", %s%s%s", a->verdict, a->date ? ", deadline " : "",
                      a->date ? a->date : "");
    else if (!strcmp(a->kind, XA_ACT_EXTEND))
        xa_buf_printf(sum, ", to %s", a->date);
    else if (!strcmp(a->kind, XA_ACT_ESCALATE))
        xa_buf_printf(sum, ", level %d", a->level);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The office's name for actions recorded without --by. */
static char *office_name(xa_cstore *s)
{
    struct xa_office o;
    char *name = NULL;
    if (xa_cstore_office_get(s, &o, NULL) == XA_OK) {
        if (o.name && *o.name)
            name = xa_strdup(o.name);
        xa_office_clear(&o);
    }
    return name ? name : xa_strdup(XA_OFFICE_DEFAULT_NAME);
}

/* Everything inside the transaction: resolve, check, record, refresh. */
static xa_code act_work(xa_cstore *s, const char *const *names, size_t n, const struct xa_act *a,
                        const char *by, int64_t today, struct xa_act_done **done,
                        size_t *ndone, xa_buf *sum, xa_err *err)
{
    char **ids = xa_calloc(n ? n : 1, sizeof *ids);
    size_t nid = 0;
    xa_code c = XA_OK;
    for (size_t i = 0; i < n && c == XA_OK; i++)
        if ((c = xa_hazard_resolve(s, names[i], &ids[nid], err)) == XA_OK)
            nid++;
    /* the same hazard named twice (number and id) is one hazard */
    if (c == XA_OK && nid > 1) {
        qsort(ids, nid, sizeof *ids, cmp_str);
        size_t k = 1;
        for (size_t i = 1; i < nid; i++) {
            if (!strcmp(ids[i], ids[k - 1]))
                free(ids[i]);
            else
                ids[k++] = ids[i];
        }
        nid = k;
    }
    xa_loop_book *b = NULL;
    struct xa_chazard *hz = xa_calloc(nid ? nid : 1, sizeof *hz);
    struct xa_hview *v = xa_calloc(nid ? nid : 1, sizeof *v);
    size_t nv = 0;
    if (c == XA_OK)
        c = xa_loop_book_load(s, &b, err);
    for (size_t i = 0; i < nid && c == XA_OK; i++) {
        if ((c = xa_cstore_hazard_get(s, ids[i], &hz[nv], err)) != XA_OK)
            break;
        xa_loop_book_view(b, &hz[nv], &v[nv]);
        nv++;
        char *num = display_number(&v[nv - 1]);
        c = allowed(&v[nv - 1], a, today, num, err);
        free(num);
    }
    /* every hazard may take it: record one action each */
    for (size_t i = 0; i < nv && c == XA_OK; i++) {
        struct xa_caction row = {0};
        row.hazard = (char *)hz[i].id;
        row.kind = (char *)a->kind;
        row.date = (char *)a->date;
        row.verdict = (char *)a->verdict;
        row.level = a->level;
        row.by = (char *)by;
        row.note = (char *)(a->note ? a->note : "");
        if ((c = xa_cstore_action_add(s, &row, err)) == XA_OK)
            c = xa_hazard_refresh(s, hz[i].id, err);
        char *num = display_number(&v[i]);
        summary_add(sum, a, num, by);
        free(num);
    }
    /* what each hazard is now */
    if (c == XA_OK && done) {
        xa_loop_book_free(b);
        b = NULL;
        if ((c = xa_loop_book_load(s, &b, err)) == XA_OK) {
            *done = xa_calloc(nv ? nv : 1, sizeof **done);
            for (size_t i = 0; i < nv; i++) {
                struct xa_hview w;
                xa_loop_book_view(b, &hz[i], &w);
                struct xa_act_done *d = &(*done)[i];
                d->id = xa_strdup(hz[i].id);
                d->number = display_number(&w);
                d->state = w.l.state;
                d->overdue = xa_hloop_overdue(&w.l, today);
                d->deadline = xa_strdup(w.l.deadline ? w.l.deadline : "");
                d->escalation = w.l.escalation;
                xa_loop_book_release(&w);
            }
            *ndone = nv;
        }
    }
    for (size_t i = 0; i < nv; i++) {
        xa_loop_book_release(&v[i]);
        xa_chazard_clear(&hz[i]);
    }
    free(v);
    free(hz);
    xa_loop_book_free(b);
    xa_strv_free(ids, nid);
    return c;
}

xa_code xa_hazard_act(xa_cstore *s, const char *const *names, size_t n, const struct xa_act *a,
                      int64_t today, struct xa_act_done **done, size_t *ndone, xa_err *err)
{
    if (done)
        *done = NULL;
    if (ndone)
        *ndone = 0;
    const char *command = command_of(a->kind);
    if (!command)
        return xa_fail(err, XA_EUSAGE, "unknown office action '%s'", a->kind);
    if (n == 0)
        return xa_fail(err, XA_EUSAGE, "name at least one hazard");
    if (!strcmp(a->kind, XA_ACT_RECHECK)) {
        if (xa_verdict_of(a->verdict) != XA_VERDICT_RECTIFIED &&
            xa_verdict_of(a->verdict) != XA_VERDICT_PARTLY &&
            xa_verdict_of(a->verdict) != XA_VERDICT_NOT)
            return xa_fail(err, XA_EUSAGE, "unknown verdict '%s' (rectified, partly or not)",
                           a->verdict ? a->verdict : "");
    }
    if (!strcmp(a->kind, XA_ACT_SIGNOFF) && (!a->by || !*a->by))
        return xa_fail(err, XA_EUSAGE, "a sign-off needs --by NAME");
    char *by = a->by && *a->by ? xa_strdup(a->by) : office_name(s);
    xa_buf sum = XA_BUF_INIT;
    size_t nd = 0;
    xa_code c;
    if ((c = xa_cstore_begin(s, err)) == XA_OK) {
        /* the work first: it writes the summary the audit row carries */
        c = act_work(s, names, n, a, by, today, done, &nd, &sum, err);
        c = xa_cstore_end(s, c, command, sum.len ? sum.data : "", err);
    }
    if (c != XA_OK && done && *done) {
        xa_act_done_free(*done, nd);
        *done = NULL;
        nd = 0;
    }
    if (ndone)
        *ndone = nd;
    xa_buf_clear(&sum);
    free(by);
    return c;
}

void xa_act_done_free(struct xa_act_done *d, size_t n)
{
    if (!d)
        return;
    for (size_t i = 0; i < n; i++) {
        free(d[i].id);
        free(d[i].number);
        free(d[i].deadline);
    }
    free(d);
}
