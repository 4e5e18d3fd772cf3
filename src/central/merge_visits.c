/* merge_visits.c — storing the verified visits of one bundle: each visit's
 * own signature and inspector, idempotent inserts of the visit and its
 * decoded rows, anomalies for what a person must look at, the derived
 * hazard states and the chain findings (gaps, forks) of the sender.
 *
 * Runs inside the bundle's transaction (merge.c); a content error here
 * rejects the whole bundle, a finding only adds an anomaly row. */
#include "merge_int.h"

#include "xiaoan/clock.h"
#include "xiaoan/cstore_assign.h"
#include "xiaoan/visit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add an anomaly row for a person to look at: its id is kind/sender/key_a/key_b
 * (the same finding gives the same id), its detail the printf-style text. */
static xa_code anomaly(xa_cstore *s, struct merge_ctx *m, const char *kind, const char *visit,
                       const char *key_a, const char *key_b, xa_err *err, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static xa_code anomaly(xa_cstore *s, struct merge_ctx *m, const char *kind, const char *visit,
                       const char *key_a, const char *key_b, xa_err *err, const char *fmt, ...)
{
    xa_buf detail = XA_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    xa_buf_vprintf(&detail, fmt, ap);
    va_end(ap);
    char *id = xa_asprintf("%s/%s/%s/%s", kind, m->sender->fingerprint, key_a, key_b);
    struct xa_canomaly a = {0};
    a.id = id;
    a.kind = kind;
    a.inspector = m->sender->fingerprint;
    a.visit = visit;
    a.bundle = m->hash;
    a.detail = detail.data;
    xa_code c = xa_cstore_anomaly_add(s, &a, err);
    free(id);
    xa_buf_clear(&detail);
    m->anomalies++;
    return c;
}

/* A visit that names an assignment (检查任务) marks it done; one the store
 * does not know, or that is not this inspector's at this school, is an
 * anomaly for a person to look at. */
static xa_code assignment_done(xa_cstore *s, struct merge_ctx *m, const char *id,
                               const struct xa_cvisit *v, xa_err *err)
{
    int known = 0, mine = 0;
    xa_code c = xa_cstore_assign_visit(s, id, v->id, v->inspector, v->school, v->sealed,
                                       v->sealed_at, &known, &mine, err);
    if (c != XA_OK || (known && mine))
        return c;
    if (known)
        return anomaly(s, m, "assignment-mismatch", v->id, v->id, id, err,
                       "visit %s names assignment %s of another inspector or school (%s)", v->id,
                       id, v->school);
    return anomaly(s, m, "unknown-assignment", v->id, v->id, id, err,
                   "visit %s names assignment %s that this store does not know", v->id, id);
}

/* Remember a hazard id whose state must be derived again. */
static void touch(struct merge_ctx *m, const char *id)
{
    for (size_t i = 0; i < m->ntouched; i++)
        if (!strcmp(m->touched[i], id))
            return;
    m->touched = xa_reallocarray(m->touched, m->ntouched + 1, sizeof *m->touched);
    m->touched[m->ntouched++] = xa_strdup(id);
}

void xa__merge_ctx_clear(struct merge_ctx *m)
{
    for (size_t i = 0; i < m->ntouched; i++)
        free(m->touched[i]);
    free(m->touched);
    for (size_t i = 0; i < m->nforms; i++) {
        free(m->forms[i].id);
        free(m->forms[i].hash);
    }
    free(m->forms);
    free(m->av);
    xa_visit_view_free(&m->view);
    m->av = NULL;
    m->nav = 0;
    m->touched = NULL;
    m->forms = NULL;
    m->ntouched = m->nforms = 0;
}

/* Does the office have this form version?  Asked of the store once a
 * bundle (its visits name the same few forms again and again). */
static xa_code form_known(xa_cstore *s, struct merge_ctx *m, const char *id, int64_t version,
                          const char *hash, int *known, xa_err *err)
{
    for (size_t i = 0; i < m->nforms; i++) {
        const struct merge_form *f = &m->forms[i];
        if (f->version == version && !strcmp(f->id, id ? id : "") &&
            !strcmp(f->hash, hash ? hash : "")) {
            *known = f->known;
            return XA_OK;
        }
    }
    xa_code c = xa_cstore_form_known(s, id, version, hash, known, err);
    if (c != XA_OK || !id || !hash)
        return c;
    m->forms = xa_reallocarray(m->forms, m->nforms + 1, sizeof *m->forms);
    struct merge_form *f = &m->forms[m->nforms++];
    f->id = xa_strdup(id);
    f->hash = xa_strdup(hash);
    f->version = version;
    f->known = *known;
    return XA_OK;
}

/* The deadline of a hazard without one: found date + the default days. */
static void default_deadline(const char *found, const char *severity, int64_t general,
                             int64_t major, char out[XA_DATE_MAX])
{
    int64_t t;
    int off;
    out[0] = '\0';
    if (xa_time_parse(found, &t, &off, NULL) != XA_OK)
        return;
    int64_t days = xa_severity_of(severity) == XA_SEV_MAJOR ? major : general;
    xa_date_format(xa_date_of(t, off) + days, out);
}

/* The derived fields of a hazard this visit found, from its own events (the
 * finding and a rectification on the spot) with the office's rules — what
 * xa_hazard_refresh would store, as long as no other event names the id
 * yet (the caller checked) and the office has not acted on it (it cannot:
 * the hazard is not in the store).  The strings stay in *l until it is
 * cleared; school is the visit's school. */
static xa_code own_state(xa_cstore *s, struct merge_ctx *m, struct xa_chazard *h,
                         const char *school, struct xa_hloop *l, xa_err *err)
{
    xa_code c;
    if (!m->have_rules) {
        if ((c = xa_loop_rules_load(s, &m->rules, err)) != XA_OK)
            return c;
        m->have_rules = 1;
    }
    struct xa_cfield ev[2];
    memset(ev, 0, sizeof ev);
    for (int i = 0; i < 2; i++) {
        ev[i].hazard = (char *)h->id;
        ev[i].visit = (char *)h->visit;
        ev[i].at = (char *)h->found;
        ev[i].at_epoch = h->found_at;
        ev[i].inspector = (char *)h->inspector;
        ev[i].school = (char *)school;
    }
    ev[0].kind = (char *)XA_EV_FOUND;
    ev[0].note = (char *)"";
    ev[1].kind = (char *)XA_EV_ONSITE;
    ev[1].note = (char *)(h->measures ? h->measures : "");
    xa_hazard_loop(h, NULL, ev, h->rectified_on_site ? 2 : 1, NULL, 0, &m->rules, l);
    h->state = l->state;
    h->closed = l->closed_at;
    h->closed_at = l->closed_at ? l->closed_epoch : 0;
    h->rechecks = l->rechecks;
    h->last_check = l->last_check;
    h->last_verdict = l->last_verdict;
    h->last_checker = l->last_checker_id;
    return XA_OK;
}

/* Insert the decoded rows of a new visit (its strings are the view's). */
static xa_code decode(xa_cstore *s, struct merge_ctx *m, const xa_visit_view *d, const char *vid,
                      xa_err *err)
{
    xa_code c = XA_OK;
    const char *fp = m->sender->fingerprint;

    for (size_t i = 0; i < d->nforms; i++) {
        const xa_vview_form *x = &d->forms[i];
        if ((c = xa_cstore_visit_form_add(s, vid, x->id, x->version, x->hash, err)) != XA_OK)
            return c;
        int known = 0;
        if ((c = form_known(s, m, x->id, x->version, x->hash, &known, err)) != XA_OK)
            return c;
        if (!known) {
            char *form_at = xa_asprintf("%s@%lld", x->id, (long long)x->version);
            c = anomaly(s, m, "unknown-form", vid, vid, form_at, err,
                        "visit %s uses form %s version %lld (hash %.16s) that the office has not"
                        " imported",
                        vid, x->id, (long long)x->version, x->hash);
            free(form_at);
            if (c != XA_OK)
                return c;
        }
    }

    /* the answers in batches (their strings borrowed from the view; the
     * array kept from one visit to the next) */
    size_t na = d->nanswers;
    if (na > m->nav) {
        m->av = xa_reallocarray(m->av, na, sizeof *m->av);
        m->nav = na;
    }
    for (size_t i = 0; i < na; i++) {
        const xa_vview_answer *x = &d->answers[i];
        struct xa_canswer *a = &m->av[i];
        memset(a, 0, sizeof *a);
        a->visit = vid;
        a->form = x->form;
        a->code = x->code;
        a->result = x->result;
        a->has_value = x->has_value;
        a->value = x->value;
        a->text = x->text;
        a->note = x->note;
        a->location = x->location;
    }
    if ((c = xa_cstore_answers_add(s, m->av, na, err)) != XA_OK)
        return c;

    for (size_t i = 0; i < d->nhazards; i++) {
        const xa_vview_hazard *x = &d->hazards[i];
        struct xa_chazard h = {0};
        h.id = x->id;
        h.visit = vid;
        h.inspector = fp;
        h.school = d->school_code;
        h.form = x->form;
        h.code = x->code;
        h.category = x->category;
        h.severity = x->severity;
        h.description = x->description;
        h.location = x->location;
        h.requirement = x->requirement;
        h.responsible = x->responsible;
        h.measures = x->measures;
        h.notes = x->notes;
        h.rectified_on_site = x->rectified_on_site;
        h.found = x->found;
        int off;
        xa_code tc = xa_time_parse(h.found, &h.found_at, &off, err);
        if (tc != XA_OK)
            return xa_err_prefixed(tc, err, "visit %s hazard %s", vid, h.id);
        char deadline[XA_DATE_MAX];
        if (x->deadline)
            snprintf(deadline, sizeof deadline, "%s", x->deadline);
        else
            default_deadline(h.found, h.severity, m->days_general, m->days_major, deadline);
        h.deadline = deadline;
        /* No event names the id yet (the usual case: no follow-up came
         * first, the id is not taken): the state is derived here and stored
         * with the row, not read back and derived again after the bundle. */
        int named = 0;
        if ((c = xa_cstore_hazard_has_events(s, h.id, &named, err)) != XA_OK)
            return c;
        struct xa_hloop l;
        if (!named && (c = own_state(s, m, &h, d->school_code, &l, err)) != XA_OK)
            return c;
        /* the registration number in the same row: county of the visit,
         * year found (no number taken when the id is there already) */
        char found_date[XA_DATE_MAX];
        xa_date_format(xa_date_of(h.found_at, off), found_date);
        char *abbr = xa_hazard_county_abbr(d->county);
        int added = 0;
        c = xa_cstore_hazard_add_registered(s, &h, abbr, atoll(found_date), x->interim, &added,
                                            err);
        free(abbr);
        if (!named)
            xa_hloop_clear(&l);
        if (c != XA_OK)
            return c;
        if (!added) {
            /* The same hazard id from another visit: keep the first. */
            char *owner = NULL;
            if ((c = xa_cstore_hazard_visit(s, h.id, &owner, err)) != XA_OK)
                return c;
            if (owner && strcmp(owner, vid) != 0) {
                c = anomaly(s, m, "hazard-conflict", vid, h.id, vid, err,
                            "hazard %s of visit %s was recorded before by visit %s", h.id, vid,
                            owner);
                m->keep_copy = 1;
            }
            free(owner);
            if (c != XA_OK)
                return c;
            continue;
        }
        struct xa_cevent e = {0};
        e.hazard = h.id;
        e.visit = vid;
        e.kind = XA_EV_FOUND;
        e.at = h.found;
        e.at_epoch = h.found_at;
        e.inspector = fp;
        e.note = "";
        if ((c = xa_cstore_event_add(s, &e, err)) != XA_OK)
            return c;
        if (h.rectified_on_site) {
            e.kind = XA_EV_ONSITE;
            e.note = h.measures;
            if ((c = xa_cstore_event_add(s, &e, err)) != XA_OK)
                return c;
        }
        if (named) /* a follow-up came first: derived after the bundle */
            touch(m, h.id);
    }

    for (size_t i = 0; i < d->nfollowups; i++) {
        const xa_vview_followup *x = &d->followups[i];
        struct xa_cevent e = {0};
        e.hazard = x->hazard;
        e.visit = vid;
        e.kind = XA_EV_FOLLOWUP;
        e.verdict = x->verdict;
        e.at = x->checked;
        int off;
        xa_code tc = xa_time_parse(e.at, &e.at_epoch, &off, err);
        if (tc != XA_OK)
            return xa_err_prefixed(tc, err, "visit %s follow-up", vid);
        e.inspector = fp;
        e.note = x->note;
        if ((c = xa_cstore_event_add(s, &e, err)) != XA_OK)
            return c;
        touch(m, e.hazard);
    }
    return XA_OK;
}

/* Verify the record being merged into m->view: from its canonical line
 * without a tree when the scanner is sure of it (xa_visit_view_scan), else
 * parsed by jansson and verified as before (which also words any error). */
static xa_code verify(struct merge_ctx *m, const json_t *record, xa_visit_verified *ver,
                      size_t index, xa_err *err)
{
    xa_err e;
    xa_code c;
    if (m->line && xa_visit_view_scan(&m->view, m->line, m->line_len)) {
        c = xa_visit_view_verify(&m->view, m->sign_pk, ver, &e);
    } else {
        if (!record && (c = xa_container_record_json(m->reader, &record, err)) != XA_OK) {
            m->reject = 1;
            return c;
        }
        c = xa_visit_verify_record_line(record, m->line, m->line_len, m->sign_pk, ver, &e);
        if (c == XA_OK)
            xa_visit_view_of(&m->view, record);
    }
    if (c != XA_OK) {
        m->reject = 1;
        return xa_fail(err, c, "record %zu: %s", index, xa_err_msg(&e));
    }
    return XA_OK;
}

xa_code xa__merge_visit(xa_cstore *s, struct merge_ctx *m, const json_t *record, size_t index,
                        xa_err *err)
{
    xa_visit_verified ver;
    xa_code c = verify(m, record, &ver, index, err);
    if (c != XA_OK)
        return c;
    const xa_visit_view *d = &m->view;
    if (strcmp(ver.fingerprint, m->sender->fingerprint) != 0) {
        m->reject = 1;
        return xa_fail(err, XA_ESENDER, "visit %s names inspector %s, not the sender %s", ver.id,
                       ver.fingerprint, m->sender->fingerprint);
    }
    /* the part of the sender's visit chain this bundle can change */
    if (!m->have_seq || ver.seq < m->seq_lo)
        m->seq_lo = ver.seq;
    if (!m->have_seq || ver.seq > m->seq_hi)
        m->seq_hi = ver.seq;
    m->have_seq = 1;
    if (m->visit_cut >= 0 && ver.seq > m->visit_cut) {
        m->reject = 1; /* revocation by sequence (issue 11 #1): the whole bundle is refused */
        return xa_fail(err, XA_ESENDER,
                       "not from a known sender (%s was revoked on %s after visit %lld; visit %s"
                       " is %lld)",
                       m->sender->fingerprint, m->sender->revoked, (long long)m->visit_cut,
                       ver.id, (long long)ver.seq);
    }
    /* stored before?  And (for a new one) is its school in the roster: one
     * statement asks both */
    char *stored = NULL;
    int known = 0;
    if ((c = xa_cstore_visit_hash_school(s, ver.id, d->school_code, &stored, &known, err)) !=
        XA_OK)
        return c;
    if (stored) {
        int same = strcmp(stored, ver.hash) == 0;
        free(stored);
        if (!same) {
            m->keep_copy = 1;
            return anomaly(s, m, "conflict", ver.id, ver.id, ver.hash, err,
                           "visit %s arrived again with other content (hash %.16s); the first"
                           " version is kept, the file is in quarantine",
                           ver.id, ver.hash);
        }
        return xa_cstore_bundle_visit(s, m->hash, ver.id, err);
    }

    /* a new visit */
    xa_buf rec = XA_BUF_INIT;
    if (!m->line && (c = xa_json_canonical(record, &rec, err)) != XA_OK)
        return c;
    struct xa_cvisit v = {0};
    v.id = ver.id;
    v.inspector = m->sender->fingerprint;
    v.seq = ver.seq;
    v.prev = ver.has_prev ? ver.prev : NULL;
    v.hash = ver.hash;
    /* the bytes as they came (already canonical; the reader lends the line
     * NUL-terminated), or serialised when there was no line */
    v.record = m->line ? m->line : rec.data;
    v.school = d->school_code;
    v.school_name = d->school_name;
    v.county = d->county;
    v.kind = d->kind;
    v.arrived = d->arrived;
    v.sealed = ver.sealed;
    v.corrects = d->corrects;
    v.received = m->received;
    int off;
    if ((c = xa_time_parse(v.arrived, &v.arrived_at, &off, err)) != XA_OK ||
        (c = xa_time_parse(v.sealed, &v.sealed_at, &off, err)) != XA_OK) {
        xa_buf_clear(&rec);
        m->reject = 1;
        return xa_err_prefixed(c, err, "visit %s", ver.id);
    }
    c = xa_cstore_visit_add(s, &v, err);
    xa_buf_clear(&rec);
    if (c == XA_OK) /* its first bundle: no finding of it to re-point yet */
        c = xa_cstore_bundle_visit_new(s, m->hash, ver.id, err);
    if (c == XA_OK)
        c = decode(s, m, d, ver.id, err);
    if (c != XA_OK)
        return c;
    m->fresh++;
    if (!known)
        c = anomaly(s, m, "unknown-school", ver.id, ver.id, v.school, err,
                    "visit %s is at school %s (%s) that is not in the roster", ver.id, v.school,
                    v.school_name ? v.school_name : "");
    const char *asg = d->assignment;
    if (c == XA_OK && asg)
        c = assignment_done(s, m, asg, &v, err);
    return c;
}

xa_code xa__merge_refresh(xa_cstore *s, struct merge_ctx *m, xa_err *err)
{
    xa_code c = xa_hazard_refresh_each(s, (const char *const *)m->touched, m->ntouched, err);
    if (c != XA_OK)
        return c;
    /* follow-ups the loop does not trust (or holds until their hazard) */
    return xa_hazard_check_followups_of(s, m->touched, m->ntouched, err);
}

/* Gaps and forks of one chain (visits or bundles) as anomaly rows, for the
 * links with seq >= from; l starts with every link of seq from - 1 (the
 * context of the first link's checks) unless from is 1. */
static xa_code chain_findings(xa_cstore *s, const char *fp, const struct xa_clink *l, size_t n,
                              int64_t from, const char *what, const char *gap_kind,
                              const char *fork_kind, xa_err *err)
{
    xa_code c = XA_OK;
    int64_t expect = from;
    for (size_t i = 0; i < n && c == XA_OK; i++) {
        if (l[i].seq < from)
            continue; /* context only: its own findings do not change */
        struct xa_canomaly a = {0};
        a.inspector = fp;
        char *detail = NULL, *id = NULL;
        if (l[i].seq > expect) {
            /* a gap: expect .. seq-1 missing */
            a.kind = gap_kind;
            a.id = id = xa_asprintf("%s/%s/%lld", gap_kind, fp, (long long)expect);
            if (l[i].seq - 1 == expect)
                detail = xa_asprintf("%s %lld of %s is missing", what, (long long)expect, fp);
            else
                detail = xa_asprintf("%s %lld to %lld of %s are missing", what,
                                     (long long)expect, (long long)(l[i].seq - 1), fp);
            a.detail = detail;
            c = xa_cstore_anomaly_add(s, &a, err);
            free(id);
            free(detail);
            detail = NULL;
        }
        if (c != XA_OK)
            break;
        if (i > 0 && l[i].seq == l[i - 1].seq) {
            a.kind = fork_kind;
            a.id = id = xa_asprintf("%s/%s/%lld/%s", fork_kind, fp, (long long)l[i].seq, l[i].id);
            a.visit = strcmp(what, "visit") ? NULL : l[i].id;
            a.bundle = strcmp(what, "visit") ? l[i].id : NULL;
            detail = xa_asprintf("two %ss with seq %lld from %s: %.16s and %.16s", what,
                                 (long long)l[i].seq, fp, l[i - 1].id, l[i].id);
            a.detail = detail;
            c = xa_cstore_anomaly_add(s, &a, err);
            free(id);
            free(detail);
        } else if (l[i].seq > 1) {
            /* the link to the one before, when that one is here */
            size_t j = i;
            while (j > 0 && l[j - 1].seq == l[i].seq)
                j--;
            int have_prev = j > 0 && l[j - 1].seq == l[i].seq - 1;
            int one_prev = have_prev && (j < 2 || l[j - 2].seq != l[j - 1].seq);
            if (one_prev && (!l[i].prev || strcmp(l[i].prev, l[j - 1].hash) != 0)) {
                a.kind = fork_kind;
                a.id = id = xa_asprintf("%s/%s/%lld/%s/link", fork_kind, fp, (long long)l[i].seq,
                                   l[i].id);
                a.visit = strcmp(what, "visit") ? NULL : l[i].id;
                a.bundle = strcmp(what, "visit") ? l[i].id : NULL;
                detail = xa_asprintf("%s %lld of %s does not follow %s %lld (prev %.16s, expected"
                                     " %.16s)",
                                     what, (long long)l[i].seq, fp, what,
                                     (long long)l[i].seq - 1, l[i].prev ? l[i].prev : "null",
                                     l[j - 1].hash);
                a.detail = detail;
                c = xa_cstore_anomaly_add(s, &a, err);
                free(id);
                free(detail);
            }
        } else if (l[i].seq == 1 && l[i].prev) {
            a.kind = fork_kind;
            a.id = id = xa_asprintf("%s/%s/1/%s/link", fork_kind, fp, l[i].id);
            detail = xa_asprintf("%s 1 of %s names a previous one", what, fp);
            a.detail = detail;
            c = xa_cstore_anomaly_add(s, &a, err);
            free(id);
            free(detail);
        }
        if (l[i].seq >= expect)
            expect = l[i].seq + 1;
    }
    return c;
}

/* Recompute one chain's findings around seqs lo..hi: read the links from the
 * nearest seq below lo to the nearest above hi, drop the findings a full
 * recompute could place there (their ids are made of kind, sender, seq and
 * link id), and add them again.  What lies outside cannot change: a gap
 * ends at the next stored seq, a fork or a link looks one seq back. */
static xa_code chain_update(xa_cstore *s, const char *fp, int64_t lo, int64_t hi, int bundles,
                            xa_err *err)
{
    const char *what = bundles ? "bundle" : "visit";
    const char *gap_kind = bundles ? "bundle-gap" : "gap";
    const char *fork_kind = bundles ? "bundle-fork" : "fork";
    struct xa_clink *l = NULL;
    size_t n = 0;
    xa_code c = bundles ? xa_cstore_bundle_chain_near(s, fp, lo, hi, &l, &n, err)
                        : xa_cstore_visit_chain_near(s, fp, lo, hi, &l, &n, err);
    if (c != XA_OK)
        return c;
    int64_t from = n && l[0].seq < lo ? l[0].seq + 1 : 1;
    /* the ids, dropped 16 to a statement (a few per link: one statement
     * each was most of a bundle's statements) */
    char **drop = xa_reallocarray(NULL, 1 + 3 * n, sizeof *drop);
    size_t nd = 0;
    drop[nd++] = xa_asprintf("%s/%s/%lld", gap_kind, fp, (long long)from);
    for (size_t i = 0; i < n; i++) {
        if (l[i].seq <= hi) /* a gap after it ends inside the window */
            drop[nd++] = xa_asprintf("%s/%s/%lld", gap_kind, fp, (long long)l[i].seq + 1);
        if (l[i].seq >= from) {
            drop[nd++] = xa_asprintf("%s/%s/%lld/%s", fork_kind, fp, (long long)l[i].seq, l[i].id);
            drop[nd++] =
                xa_asprintf("%s/%s/%lld/%s/link", fork_kind, fp, (long long)l[i].seq, l[i].id);
        }
    }
    c = xa_cstore_anomaly_drop_each(s, drop, nd, err);
    xa_strv_free(drop, nd);
    if (c == XA_OK)
        c = chain_findings(s, fp, l, n, from, what, gap_kind, fork_kind, err);
    xa_clinks_free(l, n);
    return c;
}

xa_code xa__merge_chain(xa_cstore *s, const struct merge_ctx *m, xa_err *err)
{
    const char *fp = m->sender->fingerprint;
    xa_code c = XA_OK;
    if (m->have_seq)
        c = chain_update(s, fp, m->seq_lo, m->seq_hi, 0, err);
    if (c == XA_OK)
        c = chain_update(s, fp, m->bundle_seq, m->bundle_seq, 1, err);
    return c;
}
