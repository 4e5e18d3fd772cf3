/* hazard_story.c — one hazard's whole story for `central hazard`: the
 * finding, the notice, the school's reply, every re-check (field and
 * office, with their notes), extensions, escalations and the sign-off, in
 * the order the loop takes them, next to the state derived from them.
 * Text for people (in the user's language: English msgids, the Chinese in
 * po/zh_CN.po), JSON (the ledger's object plus "history") for tools;
 * both list the hazard's photos and PDFs (attachments.c). */
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/i18n.h"
#include "xiaoan/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "2026-12-05 10:00" of an RFC 3339 time in its own offset. */
static void minute(const char *t, char out[20])
{
    int64_t at;
    int off;
    out[0] = '\0';
    if (!t || xa_time_parse(t, &at, &off, NULL) != XA_OK)
        return;
    char full[XA_RFC3339_MAX];
    xa_time_format(at, off, full);
    snprintf(out, 20, "%.10s %.5s", full, full + 11);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static json_t *jopt(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *entry_json(const struct xa_chazard *h, const struct xa_hstep *x)
{
    json_t *o = json_object();
    if (x->ev) {
        const struct xa_cfield *e = x->ev;
        json_object_set_new(o, "at", json_string(nz(e->at)));
        json_object_set_new(o, "source", json_string("field"));
        json_object_set_new(o, "event", json_string(e->kind));
        json_object_set_new(o, "visit", json_string(nz(e->visit)));
        json_object_set_new(o, "by", json_pack("{s:s?,s:s?}", "name", e->inspector_name,
                                               "fingerprint", e->inspector));
        if (!strcmp(e->kind, XA_EV_FOLLOWUP)) {
            json_object_set_new(o, "verdict", jopt(e->verdict));
            const char *why = xa_followup_distrust(h, e);
            json_object_set_new(o, "trusted", json_boolean(!why));
            if (why)
                json_object_set_new(o, "ignored_because", json_string(why));
        }
        json_object_set_new(o, "note", jopt(e->note));
    } else {
        const struct xa_caction *a = x->act;
        json_object_set_new(o, "at", json_string(nz(a->at)));
        json_object_set_new(o, "source", json_string("office"));
        json_object_set_new(o, "event", json_string(a->kind));
        json_object_set_new(o, "by", json_pack("{s:s}", "name", nz(a->by)));
        if (!strcmp(a->kind, XA_ACT_NOTICE)) {
            json_object_set_new(o, "notice", jopt(a->notice));
            json_object_set_new(o, "date", jopt(a->date));
        } else if (!strcmp(a->kind, XA_ACT_REPLY)) {
            json_object_set_new(o, "date", jopt(a->date));
        } else if (!strcmp(a->kind, XA_ACT_RECHECK)) {
            json_object_set_new(o, "verdict", jopt(a->verdict));
            json_object_set_new(o, "deadline", jopt(a->date));
        } else if (!strcmp(a->kind, XA_ACT_EXTEND)) {
            json_object_set_new(o, "to", jopt(a->date));
        } else if (!strcmp(a->kind, XA_ACT_ESCALATE)) {
            json_object_set_new(o, "level", json_integer(a->level));
        }
        json_object_set_new(o, "note", jopt(a->note));
    }
    return o;
}

/* A domain word (vocab.h) in the chosen language. */
static const char *word(const xa_vocab *v, const char *key)
{
    return xa_vocab_label_of(v, key, !xa_i18n_zh());
}

/* The escalation level's word (督办 / 挂牌督办), "" for none. */
static const char *level_word(int level)
{
    return level > 0 ? xa_vocab_label(&xa_vocab_escalations, level > 2 ? 2 : level, !xa_i18n_zh())
                     : "";
}

/* How a closed hazard was closed (the loop's closed_how key). */
static const char *closed_how(const char *how)
{
    if (!how)
        return "";
    if (!strcmp(how, "on-site"))
        return _("rectified on site");
    if (!strcmp(how, "re-check"))
        return _("closed by the re-check");
    if (!strcmp(how, "sign-off"))
        return _("signed off at the office");
    return how;
}

/* Why a deadline was set or moved: the loop keeps the Chinese reason (the
 * ledger's JSON carries it); its cause key says it in the chosen language. */
static const char *deadline_why(const struct xa_deadline_step *d, char **owned)
{
    *owned = NULL;
    if (xa_i18n_zh() || !d->cause)
        return d->why;
    if (!strcmp(d->cause, "found"))
        return _("set when found");
    if (!strcmp(d->cause, "partly"))
        return _("partly rectified");
    if (!strcmp(d->cause, "not-rectified"))
        return _("not rectified at the re-check");
    if (!strcmp(d->cause, "extended"))
        return *owned = xa_asprintf(_("extended: %s"), d->note ? d->note : "");
    return d->why;
}

/* One line of the text history. */
static void entry_text(const struct xa_chazard *h, const struct xa_hstep *x, xa_buf *out)
{
    char when[20];
    xa_buf what = XA_BUF_INIT;
    const char *note = NULL;
    if (x->ev) {
        const struct xa_cfield *e = x->ev;
        minute(e->at, when);
        const char *who = e->inspector_name && *e->inspector_name ? e->inspector_name
                                                                   : nz(e->inspector);
        note = e->note;
        if (!strcmp(e->kind, XA_EV_FOUND)) {
            xa_buf_printf(&what, _("found  %s (visit %.8s)"), who, nz(e->visit));
        } else if (!strcmp(e->kind, XA_EV_ONSITE)) {
            xa_buf_printf(&what, _("rectified on site  %s"), who);
        } else {
            xa_buf_printf(&what, _("re-checked on site  %s  %s (visit %.8s)"),
                          word(&xa_vocab_verdicts, nz(e->verdict)), who, nz(e->visit));
            const char *why = xa_followup_distrust(h, e);
            if (why)
                xa_buf_printf(&what, _("  not trusted: %s"),
                              !strcmp(why, "other-school")
                                  ? _("the re-check was at another school than the hazard's")
                                  : _("the re-check is earlier than the finding or from the "
                                      "visit that found it"));
        }
    } else {
        const struct xa_caction *a = x->act;
        minute(a->at, when);
        note = a->note;
        if (!strcmp(a->kind, XA_ACT_NOTICE))
            xa_buf_printf(&what, _("rectification notice issued  %s (%s)"), nz(a->notice),
                          nz(a->date));
        else if (!strcmp(a->kind, XA_ACT_REPLY))
            xa_buf_printf(&what, _("rectification report received  %s  recorded by %s"),
                          nz(a->date), nz(a->by));
        else if (!strcmp(a->kind, XA_ACT_RECHECK)) {
            xa_buf_printf(&what, _("re-checked on documents  %s  %s"),
                          word(&xa_vocab_verdicts, nz(a->verdict)), nz(a->by));
            if (a->date && *a->date)
                xa_buf_printf(&what, _("  new deadline %s"), a->date);
        } else if (!strcmp(a->kind, XA_ACT_SIGNOFF))
            xa_buf_printf(&what, _("signed off  %s"), nz(a->by));
        else if (!strcmp(a->kind, XA_ACT_EXTEND))
            xa_buf_printf(&what, _("extended  to %s  %s"), nz(a->date), nz(a->by));
        else if (!strcmp(a->kind, XA_ACT_ESCALATE))
            xa_buf_printf(&what, "%s  %s", level_word((int)a->level), nz(a->by));
        else
            xa_buf_printf(&what, "%s  %s", a->kind, nz(a->by));
    }
    xa_buf_printf(out, "  %-16s  %s\n", when, what.data ? what.data : "");
    if (note && *note) {
        char *safe = xa_safe_dup(note);
        xa_buf_printf(out, "  %-16s    ", "");
        xa_buf_printf(out, _("note: %s\n"), safe);
        free(safe);
    }
    xa_buf_clear(&what);
}

/* A label: value line; English labels are longer than the Chinese. */
static void field(xa_buf *out, const char *label, const char *value)
{
    char *l = xa_utf8_pad(label, xa_i18n_zh() ? 12 : 30, 0);
    char *v = xa_safe_dup(value && *value ? value : "—");
    xa_buf_printf(out, "%s  %s\n", l, v);
    free(l);
    free(v);
}

/* An attachment's stage (attachments.c writes 整改前 / 整改后 / 检查记录, the
 * words of the file names) in the chosen language. */
static const char *stage_word(const char *stage)
{
    if (xa_i18n_zh())
        return stage;
    if (!strcmp(stage, "整改前"))
        return _("before rectification");
    if (!strcmp(stage, "整改后"))
        return _("after rectification");
    if (!strcmp(stage, "检查记录"))
        return _("visit record");
    return stage;
}

/* The 附件 block: one line per photo or PDF, under the name
 * `central attachments -o` writes it as. */
static void attachments_text(const struct xa_cattach *a, size_t n, xa_buf *out)
{
    xa_buf_puts(out, _("\nattachments (central attachments writes them out)\n"));
    if (!n)
        xa_buf_puts(out, _("  (none)\n"));
    for (size_t i = 0; i < n; i++) {
        char *name = xa_safe_dup(a[i].name);
        xa_buf_printf(out, _("  %s  %s  %s  %lld bytes"), a[i].file, stage_word(a[i].stage),
                      name, (long long)a[i].size);
        if (a[i].taken)
            xa_buf_printf(out, _("  taken %.10s %.5s"), a[i].taken, a[i].taken + 11);
        if (!a[i].present)
            xa_buf_puts(out, _("  (file not received)"));
        xa_buf_putc(out, '\n');
        free(name);
    }
}

static void story_text(const struct xa_hview *v, const struct xa_loop_rules *r, int64_t today,
                       const struct xa_hstep *t, size_t k, xa_buf *out)
{
    const struct xa_chazard *h = &v->h;
    const struct xa_hloop *l = &v->l;
    char old[32];
    xa_hazard_number(h, old);
    xa_buf_printf(out, _("hazard %s\n"), *l->number ? l->number : old);
    field(out, _("hazard id"), h->id);
    char *x = xa_asprintf(_("%s (%s, %s)"), nz(h->school_name), nz(h->school), nz(h->county));
    field(out, _("school"), x);
    free(x);
    field(out, _("visit kind"), word(&xa_vocab_kinds, nz(v->kind)));
    field(out, _("location"), h->location);
    field(out, _("hazard description"), h->description);
    field(out, _("severity"), word(&xa_vocab_severities, nz(h->severity)));
    field(out, _("legal basis"), v->basis);
    field(out, _("rectification requirement"), h->requirement);
    field(out, _("measures taken on site"), h->measures);
    if (xa_severity_of(h->severity) == XA_SEV_MAJOR)
        field(out, _("interim control measures"), *l->interim ? l->interim : _("(not recorded)"));
    field(out, _("responsible for rectification"), h->responsible);
    int64_t late = xa_hloop_overdue(l, today);
    const char *st = word(&xa_vocab_hstates, l->state);
    if (late > 0)
        x = xa_asprintf(xa_trn("%s (%lld day overdue)", "%s (%lld days overdue)",
                               (unsigned long)late),
                        st, (long long)late);
    else
        x = xa_strdup(st);
    field(out, _("state"), x);
    free(x);
    field(out, _("rectification deadline"), l->deadline);
    if (l->ndeadlines > 1) {
        xa_buf hist = XA_BUF_INIT;
        for (size_t i = 0; i < l->ndeadlines; i++) {
            char *owned;
            const char *why = deadline_why(&l->deadlines[i], &owned);
            xa_buf_printf(&hist, _("%s%s (%s)"), i ? " → " : "",
                          *l->deadlines[i].date ? l->deadlines[i].date : "—", why);
            free(owned);
        }
        field(out, _("deadline changes"), hist.data);
        xa_buf_clear(&hist);
    }
    int due = xa_hloop_due(l, r, today);
    if (l->escalation || due) {
        if (due && l->escalation)
            x = xa_asprintf(_("%s, due for %s"), level_word(l->escalation), level_word(due));
        else if (due)
            x = xa_asprintf(_("due for %s"), level_word(due));
        else
            x = xa_strdup(level_word(l->escalation));
        field(out, _("escalation level"), x);
        free(x);
    }
    if (l->notice) {
        x = xa_asprintf(_("%s (%s)"), l->notice, nz(l->notice_date));
        field(out, _("rectification notice"), x);
        free(x);
    }
    if (l->reply_date)
        field(out, _("rectification report"), l->reply_date);
    if (l->closed_at) {
        char when[20];
        minute(l->closed_at, when);
        x = xa_asprintf(_("%s  %s (%s)"), when, nz(l->closed_by), closed_how(l->closed_how));
        field(out, _("signed off"), x);
        free(x);
    }
    xa_buf_puts(out, _("\nhistory\n"));
    for (size_t i = 0; i < k; i++)
        entry_text(h, &t[i], out);
}

xa_code xa_hazard_story(xa_cstore *s, const char *text, int json, int64_t today, xa_buf *out,
                        xa_err *err)
{
    char *id = NULL;
    xa_code c = xa_hazard_resolve(s, text, &id, err);
    if (c != XA_OK)
        return c;
    struct xa_hview v;
    struct xa_loop_rules r;
    struct xa_cfield *ev = NULL;
    struct xa_caction *act = NULL;
    struct xa_cattach *att = NULL;
    size_t nev = 0, nact = 0, natt = 0;
    memset(&v, 0, sizeof v);
    if ((c = xa_loop_rules_load(s, &r, err)) != XA_OK ||
        (c = xa_hazard_view(s, id, &v, err)) != XA_OK) {
        free(id);
        return c;
    }
    if ((c = xa_cstore_field_events(s, id, &ev, &nev, err)) == XA_OK &&
        (c = xa_cstore_actions(s, id, &act, &nact, err)) == XA_OK &&
        (c = xa_cattachments_hazard(s, id, &att, &natt, err)) == XA_OK) {
        size_t k = 0;
        struct xa_hstep *t = xa_calloc(nev + nact ? nev + nact : 1, sizeof *t);
        for (size_t i = 0; i < nev; i++)
            t[k++] = (struct xa_hstep){ev[i].at_epoch, xa_hstep_rank(ev[i].kind), &ev[i], NULL};
        for (size_t i = 0; i < nact; i++)
            t[k++] = (struct xa_hstep){act[i].at_epoch, 3, NULL, &act[i]};
        if (k > 1)
            qsort(t, k, sizeof *t, xa_hstep_cmp);
        if (json) {
            json_t *o = xa_hazard_json(&v, &r, today);
            json_t *hist = json_array();
            for (size_t i = 0; i < k; i++)
                json_array_append_new(hist, entry_json(&v.h, &t[i]));
            json_object_set_new(o, "history", hist);
            json_object_set_new(o, "attachments", xa_cattachments_json(att, natt));
            char *dump = json_dumps(o, JSON_INDENT(2));
            xa_buf_puts(out, dump ? dump : "{}");
            xa_buf_putc(out, '\n');
            free(dump);
            json_decref(o);
        } else {
            story_text(&v, &r, today, t, k, out);
            attachments_text(att, natt, out);
        }
        free(t);
    }
    xa_cfields_free(ev, nev);
    xa_cactions_free(act, nact);
    xa_cattachments_free(att, natt);
    xa_hview_clear(&v);
    free(id);
    return c;
}
