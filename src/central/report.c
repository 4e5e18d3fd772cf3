/* report.c — the period report (月报/季报): every figure computed here, once,
 * into struct xa_report, from the visits, hazards and schools of the central
 * store; report_out.c, report_xlsx.c and report_pdf.c only lay it out.
 *
 * What each figure means (docs/office.md says the same for the office):
 * a period is whole days [from, to] in China Standard Time.  A hazard is
 * found in the period when its finding time falls in it; closed in the
 * period when it was closed (销号) in it, whenever it was found; open at a
 * day's end when it was found by then and not closed by then.  整改率 is,
 * of the hazards found in the period, the share closed by the period's end.
 * Overdue at the end: not closed by then and past the deadline in force then
 * (the loop's one rule, xa_overdue_days: a re-checked hazard waiting for its
 * sign-off is not closed, so the ledger lists it as overdue too).  重大隐患清零率 is, of
 * the major hazards that needed clearing in the period (open at its start
 * or found in it), the share closed by its end.  Coverage is the share of
 * the roster's schools with at least one visit in the period. */
#include "xiaoan/report.h"
#include "xiaoan/clock.h"
#include "xiaoan/county.h"
#include "xiaoan/loopstore.h"
#include "xiaoan/vocab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

/* The first second (epoch) of a CST day. */
static int64_t day_start(int64_t day)
{
    return day * DAY - XA_CST_OFFSET * 60;
}

/* The CST day of an epoch time. */
static int64_t day_of(int64_t at)
{
    return xa_date_of(at, XA_CST_OFFSET);
}

/* The deadline of a hazard at the period's end as a day, or -1 when it has
 * none: the one set at the finding unless the office moved it by then (central
 * extend, or a re-check of 部分整改/未整改 with a new deadline — the loop's
 * deadline history, hazard.c), so the report's 逾期 agrees with the ledger's. */
static int64_t deadline_day(const struct xa_report *r, const struct xa_chazard *h)
{
    size_t lo = 0, hi = r->ndlact;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(r->dlact[mid].hazard, h->id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const char *moved = NULL;
    for (size_t i = lo; i < r->ndlact && !strcmp(r->dlact[i].hazard, h->id); i++)
        if (day_of(r->dlact[i].at_epoch) <= r->to)
            moved = r->dlact[i].date; /* in time order: the last one counts */
    int64_t d = xa_deadline_day(moved);
    return d != XA_NO_DEADLINE ? d : xa_deadline_day(h->deadline);
}

/* Was h closed by the end of day d? */
static int closed_by(const struct xa_chazard *h, int64_t d)
{
    return h->state && !strcmp(h->state, XA_HSTATE_CLOSED) && h->closed &&
           day_of(h->closed_at) <= d;
}

/* Was h open at the end of day d? */
static int open_at(const struct xa_chazard *h, int64_t d)
{
    return day_of(h->found_at) <= d && !closed_by(h, d);
}


/* The escalation level at the end of day d (0 none, 1 督办, 2 挂牌督办): the
 * level of the last escalation (central escalate, the loop's hazard_actions)
 * recorded by then.  r->escal holds them by hazard id and time. */
static int escalation_at(const struct xa_report *r, const struct xa_chazard *h, int64_t d)
{
    size_t lo = 0, hi = r->nescal;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(r->escal[mid].hazard, h->id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int level = 0;
    for (size_t i = lo; i < r->nescal && !strcmp(r->escal[i].hazard, h->id); i++)
        if (day_of(r->escal[i].at_epoch) <= d)
            level = (int)r->escal[i].level;
    return level;
}

/* Actions in (hazard, time, id) order, as the store gives them. */
static int cmp_action(const void *pa, const void *pb)
{
    const struct xa_caction *a = pa, *b = pb;
    int c = strcmp(a->hazard, b->hazard);
    if (c)
        return c;
    if (a->at_epoch != b->at_epoch)
        return a->at_epoch < b->at_epoch ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int cmp_reg(const void *pa, const void *pb)
{
    return strcmp(((const struct xa_creg *)pa)->hazard, ((const struct xa_creg *)pb)->hazard);
}

/* The registration numbers of the hazards the lists show (open majors,
 * overdue), sorted by hazard id for xa_report_hazard_number: looked up one by
 * one, as the lists are short next to the whole registry. */
static xa_code load_numbers(xa_cstore *s, struct xa_report *r, xa_err *err)
{
    size_t room = r->nopen_major + r->noverdue;
    r->regs = room ? xa_calloc(room, sizeof *r->regs) : NULL;
    for (size_t k = 0; k < room; k++) {
        size_t i = k < r->nopen_major ? r->open_major[k] : r->overdue[k - r->nopen_major];
        struct xa_creg reg;
        xa_err e;
        xa_code c = xa_cstore_reg_get(s, r->hazards[i].id, &reg, &e);
        if (c == XA_ENOTFOUND)
            continue; /* never registered: the old number */
        if (c != XA_OK) {
            if (err)
                *err = e;
            return c;
        }
        r->regs[r->nregs++] = reg;
    }
    if (r->nregs > 1)
        qsort(r->regs, r->nregs, sizeof *r->regs, cmp_reg);
    return XA_OK;
}

/* The office's escalations (sorted by hazard, time), for escalation_at. */
static xa_code load_escalations(xa_cstore *s, struct xa_report *r, xa_err *err)
{
    struct xa_caction *a = NULL;
    size_t n = 0, k = 0;
    xa_code c = xa_cstore_actions(s, NULL, &a, &n, err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].kind, XA_ACT_ESCALATE) != 0)
            continue;
        if (k != i) {
            struct xa_caction t = a[k];
            a[k] = a[i];
            a[i] = t;
        }
        k++;
    }
    r->escal = a;
    r->nescal = k;
    r->nescal_alloc = n;
    /* then the deadline moves, after the escalations, in (hazard, time, id) order */
    size_t m = k;
    for (size_t i = k; i < n; i++) {
        if (!xa_action_moves_deadline(&a[i])) /* the loop's own test (hazard.c) */
            continue;
        if (m != i) {
            struct xa_caction t = a[m];
            a[m] = a[i];
            a[i] = t;
        }
        m++;
    }
    r->dlact = a + k;
    r->ndlact = m - k;
    if (r->ndlact > 1)
        qsort(r->dlact, r->ndlact, sizeof *r->dlact, cmp_action);
    return XA_OK;
}

static void xa_assign_tally_free_one(struct xa_assign_tally *t);

static int is_major(const struct xa_chazard *h)
{
    return xa_severity_of(h->severity) == XA_SEV_MAJOR;
}

/* The row of a county name (added after the known ones when unknown). */
static struct xa_rcounty *county_row(struct xa_report *r, const char *name)
{
    for (size_t i = 0; i < r->ncounties; i++)
        if (!strcmp(r->counties[i].name, name))
            return &r->counties[i];
    r->counties = xa_realloc(r->counties, (r->ncounties + 1) * sizeof *r->counties);
    struct xa_rcounty *c = &r->counties[r->ncounties++];
    memset(c, 0, sizeof *c);
    c->name = xa_strdup(name);
    const xa_county *k = xa_county_find(name);
    c->code = xa_strdup(k ? k->code : "");
    return c;
}

static int cmp_county(const void *a, const void *b)
{
    return xa_county_cmp(((const struct xa_rcounty *)a)->name,
                         ((const struct xa_rcounty *)b)->name);
}

/* Schools in the county order of county.h, then by code. */
static int cmp_school(const void *a, const void *b)
{
    const struct xa_cschool *x = a, *y = b;
    int c = xa_county_cmp(x->county, y->county);
    return c ? c : strcmp(x->code, y->code);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add the figures of one county row into the total. */
static void add_into(struct xa_rcounty *t, const struct xa_rcounty *c)
{
    t->schools += c->schools;
    t->visited += c->visited;
    t->visits += c->visits;
    for (int k = 0; k < XA_KIND_N; k++)
        t->by_kind[k] += c->by_kind[k];
    t->found_general += c->found_general;
    t->found_major += c->found_major;
    t->closed += c->closed;
    t->found_closed += c->found_closed;
    t->open_general += c->open_general;
    t->open_major += c->open_major;
    t->overdue += c->overdue;
    t->escalated += c->escalated;
    t->major_due += c->major_due;
    t->major_cleared += c->major_cleared;
}

/* The category row of key (added when new). */
static struct xa_rcategory *category_row(struct xa_report *r, const char *key)
{
    for (size_t i = 0; i < r->ncategories; i++)
        if (!strcmp(r->categories[i].key, key))
            return &r->categories[i];
    r->categories = xa_realloc(r->categories, (r->ncategories + 1) * sizeof *r->categories);
    struct xa_rcategory *c = &r->categories[r->ncategories++];
    memset(c, 0, sizeof *c);
    c->key = xa_strdup(key);
    return c;
}

static int cmp_category(const void *a, const void *b)
{
    const struct xa_rcategory *x = a, *y = b;
    int64_t nx = x->general + x->major, ny = y->general + y->major;
    if (nx != ny)
        return nx > ny ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* The months the period touches, each clipped to the period. */
static void months_of(struct xa_report *r)
{
    int64_t y, y2;
    unsigned m, d, m2, d2;
    xa_civil_from_days(r->from, &y, &m, &d);
    xa_civil_from_days(r->to, &y2, &m2, &d2);
    (void)d;
    (void)d2;
    size_t n = (size_t)((y2 - y) * 12 + (int64_t)m2 - (int64_t)m + 1);
    r->months = xa_calloc(n, sizeof *r->months);
    r->nmonths = n;
    for (size_t i = 0; i < n; i++) {
        struct xa_rmonth *x = &r->months[i];
        x->year = y;
        x->month = m;
        int64_t first = xa_days_from_civil(y, m, 1);
        int64_t next = m == 12 ? xa_days_from_civil(y + 1, 1, 1) : xa_days_from_civil(y, m + 1, 1);
        x->first = first < r->from ? r->from : first;
        x->last = next - 1 > r->to ? r->to : next - 1;
        if (++m == 13) {
            m = 1;
            y++;
        }
    }
}

/* A list of hazard (or school) indices that can hold up to max entries:
 * the lists are filled in one pass over tens of thousands of rows, and
 * growing them one element at a time cost more than the pass (issue 13). */
static size_t *list_room(size_t max)
{
    return xa_calloc(max ? max : 1, sizeof(size_t));
}

/* One hazard's days, worked out once: the day found, the day closed (销号;
 * INT64_MAX while not closed) and the deadline (-1 without one).  The
 * figures compare these with the days of the period and its months. */
struct hdays {
    int64_t found, closed, deadline;
};

static struct hdays hazard_days(const struct xa_report *r, const struct xa_chazard *h)
{
    struct hdays x = {day_of(h->found_at), INT64_MAX, deadline_day(r, h)};
    if (closed_by(h, INT64_MAX - 1))
        x.closed = day_of(h->closed_at);
    return x;
}

xa_code xa_report_compute(xa_cstore *s, const struct xa_report_opts *o, struct xa_report **out,
                          xa_err *err)
{
    *out = NULL;
    if (o->from > o->to)
        return xa_fail(err, XA_EUSAGE, "the period starts after it ends");
    struct xa_report *r = xa_calloc(1, sizeof *r);
    r->from = o->from;
    r->to = o->to;
    r->made = o->today;
    r->en = o->en;
    r->county = o->county ? xa_strdup(o->county) : NULL;
    xa_code c;
    struct xa_office off;
    if ((c = xa_cstore_office_get(s, &off, err)) == XA_OK) {
        r->office = xa_strdup(off.name);
        xa_office_clear(&off);
    } else if (c == XA_ENOTFOUND) {
        r->office = xa_strdup(XA_OFFICE_DEFAULT_NAME);
    } else {
        goto fail;
    }
    if ((c = xa_cstore_setting_int(s, "report.unvisited_days", 90, &r->unvisited_days, err)) !=
        XA_OK)
        goto fail;

    /* every known county has a row (the whole city), or just the one asked for */
    for (size_t i = 0; i < XA_NCOUNTIES; i++)
        if (!r->county || !strcmp(r->county, xa_county_at(i)->name))
            county_row(r, xa_county_at(i)->name);
    if (r->county && !r->ncounties)
        county_row(r, r->county);

    /* schools: roster size per county, and each school's last visit up to the end */
    struct xa_cschool *sc = NULL;
    size_t nsc = 0;
    if ((c = xa_cstore_schools(s, r->county, &sc, &nsc, err)) != XA_OK)
        goto fail;
    if (nsc > 1)
        qsort(sc, nsc, sizeof *sc, cmp_school);
    r->schools = sc;
    r->nschools = nsc;
    r->last_visit = xa_calloc(nsc ? nsc : 1, sizeof *r->last_visit);
    r->visited_in = xa_calloc(nsc ? nsc : 1, sizeof *r->visited_in);
    const char **codes = xa_calloc(nsc ? nsc : 1, sizeof *codes);
    for (size_t i = 0; i < nsc; i++) {
        codes[i] = sc[i].code;
        r->last_visit[i] = -1;
        county_row(r, sc[i].county)->schools++;
    }
    /* find schools by code */
    size_t *order = xa_calloc(nsc ? nsc : 1, sizeof *order);
    for (size_t i = 0; i < nsc; i++)
        order[i] = i;
    /* sort indices by code (insertion into a sorted code array) */
    const char **sorted = xa_calloc(nsc ? nsc : 1, sizeof *sorted);
    memcpy(sorted, codes, nsc * sizeof *sorted);
    qsort(sorted, nsc, sizeof *sorted, cmp_str);
    /* map sorted position -> school index through the code pointers */
    for (size_t i = 0; i < nsc; i++)
        for (size_t lo = 0, hi = nsc; lo < hi;) {
            size_t mid = (lo + hi) / 2;
            int k = strcmp(sorted[mid], codes[i]);
            if (!k) {
                order[mid] = i;
                break;
            }
            if (k < 0)
                lo = mid + 1;
            else
                hi = mid;
        }

    /* visits up to the period's end */
    struct xa_cvisit_row *v = NULL;
    size_t nv = 0;
    if ((c = xa_cstore_period_visits(s, r->county, day_start(r->to + 1), &v, &nv, err)) !=
        XA_OK) {
        free(codes);
        free(order);
        free(sorted);
        goto fail;
    }
    int64_t from_at = day_start(r->from);
    for (size_t i = 0; i < nv; i++) {
        const struct xa_cvisit *x = &v[i].v;
        int in = x->arrived_at >= from_at;
        const char *key = x->school;
        const char **hit = bsearch(&key, sorted, nsc, sizeof *sorted, cmp_str);
        size_t si = hit ? order[hit - sorted] : (size_t)-1;
        if (hit) {
            int64_t d = day_of(x->arrived_at);
            if (d > r->last_visit[si])
                r->last_visit[si] = d;
        }
        if (!in)
            continue;
        struct xa_rcounty *cr = county_row(r, x->county);
        cr->visits++;
        int k = (int)xa_kind_of(x->kind);
        if (k >= 0)
            cr->by_kind[k]++;
        if (hit && !r->visited_in[si]) {
            r->visited_in[si] = 1;
            county_row(r, sc[si].county)->visited++;
        }
    }
    xa_cvisit_rows_free(v, nv);
    free(codes);
    free(order);
    free(sorted);

    /* hazards */
    if ((c = load_escalations(s, r, err)) != XA_OK)
        goto fail;
    struct xa_loop_rules rules;
    if ((c = xa_loop_rules_load(s, &rules, err)) != XA_OK)
        goto fail;
    r->escalate_after = rules.escalate_after;
    if ((c = xa_cstore_period_hazards(s, r->county, day_start(r->from), day_start(r->to + 1),
                                      &r->hazards, &r->nhazards, err)) != XA_OK)
        goto fail;
    months_of(r);
    r->ledger = list_room(r->nhazards);
    r->overdue = list_room(r->nhazards);
    r->open_major = list_room(r->nhazards);
    for (size_t i = 0; i < r->nhazards; i++) {
        const struct xa_chazard *h = &r->hazards[i];
        /* the same definitions as closed_by/open_at and xa_overdue_days, on days
         * worked out once: closed by d is closed <= d; open at d is found
         * <= d and not closed by d */
        struct hdays x = hazard_days(r, h);
        if (x.found > r->to)
            continue;
        struct xa_rcounty *cr = county_row(r, h->county && *h->county ? h->county : "?");
        int major = is_major(h);
        int found_in = x.found >= r->from;
        int closed_start = x.closed <= r->from - 1, closed_end = x.closed <= r->to;
        int open_start = x.found <= r->from - 1 && !closed_start;
        int open_end = !closed_end; /* found by the end: see above */
        if (found_in || open_start)
            r->ledger[r->nledger++] = i;
        if (found_in) {
            if (major)
                cr->found_major++;
            else
                cr->found_general++;
            cr->found_closed += closed_end;
            struct xa_rcategory *cat = category_row(r, h->category);
            if (major)
                cat->major++;
            else
                cat->general++;
        }
        if (closed_end && !closed_start)
            cr->closed++;
        if (open_end) {
            if (major)
                cr->open_major++;
            else
                cr->open_general++;
        }
        if (xa_overdue_days(!open_end, x.deadline, r->to) > 0) { /* the loop's rule */
            cr->overdue++;
            r->overdue[r->noverdue++] = i;
        }
        if (open_end && escalation_at(r, h, r->to) > 0)
            cr->escalated++;
        if (major && (found_in || open_start)) {
            cr->major_due++;
            cr->major_cleared += !open_end;
        }
        if (major && open_end)
            r->open_major[r->nopen_major++] = i;
        for (size_t m = 0; m < r->nmonths; m++) {
            struct xa_rmonth *mo = &r->months[m];
            mo->found += x.found >= mo->first && x.found <= mo->last;
            mo->closed += x.closed <= mo->last && x.closed > mo->first - 1;
            mo->open_end += x.found <= mo->last && x.closed > mo->last;
        }
    }
    qsort(r->counties, r->ncounties, sizeof *r->counties, cmp_county);
    memset(&r->total, 0, sizeof r->total);
    for (size_t i = 0; i < r->ncounties; i++)
        add_into(&r->total, &r->counties[i]);
    if (r->ncategories > 1)
        qsort(r->categories, r->ncategories, sizeof *r->categories, cmp_category);

    /* schools not visited in report.unvisited_days up to the period's end */
    r->unvisited = list_room(nsc);
    for (size_t i = 0; i < nsc; i++)
        if (r->last_visit[i] < 0 || r->last_visit[i] <= r->to - r->unvisited_days)
            r->unvisited[r->nunvisited++] = i;

    /* assignments (检查任务) due in the period, of the county asked for */
    if ((c = xa_assign_tally(s, r->from, r->to, &r->assign, &r->nassign, err)) != XA_OK)
        goto fail;
    if (r->county) {
        size_t k = 0;
        for (size_t i = 0; i < r->nassign; i++) {
            if (r->assign[i].county && !strcmp(r->assign[i].county, r->county))
                r->assign[k++] = r->assign[i];
            else
                xa_assign_tally_free_one(&r->assign[i]);
        }
        r->nassign = k;
    }

    if ((c = load_numbers(s, r, err)) != XA_OK)
        goto fail;

    /* chain anomalies and quarantined files (the whole store: they are not
     * tied to a period, and each wants a person to look at it) */
    if ((c = xa_cstore_anomalies(s, &r->anomalies, &r->nanomalies, err)) != XA_OK ||
        (c = xa_cstore_quarantine(s, &r->quarantine, &r->nquarantine, err)) != XA_OK)
        goto fail;
    *out = r;
    return XA_OK;
fail:
    xa_report_free(r);
    return c;
}

/* Free the strings of one tally row (the array stays). */
static void xa_assign_tally_free_one(struct xa_assign_tally *t)
{
    free(t->county);
    t->county = NULL;
}

void xa_report_free(struct xa_report *r)
{
    if (!r)
        return;
    free(r->office);
    free(r->county);
    for (size_t i = 0; i < r->ncounties; i++) {
        free(r->counties[i].name);
        free(r->counties[i].code);
    }
    free(r->counties);
    for (size_t i = 0; i < r->ncategories; i++)
        free(r->categories[i].key);
    free(r->categories);
    free(r->months);
    xa_cschools_free(r->schools, r->nschools);
    free(r->last_visit);
    free(r->visited_in);
    xa_chazards_free(r->hazards, r->nhazards);
    xa_cactions_free(r->escal, r->nescal_alloc);
    xa_cregs_free(r->regs, r->nregs);
    free(r->ledger);
    free(r->open_major);
    free(r->overdue);
    free(r->unvisited);
    xa_assign_tally_free(r->assign, r->nassign);
    xa_canomalies_free(r->anomalies, r->nanomalies);
    xa_cquarantine_free(r->quarantine, r->nquarantine);
    free(r);
}

int64_t xa_report_days_open(const struct xa_report *r, const struct xa_chazard *h)
{
    return r->to - day_of(h->found_at);
}

int64_t xa_report_found_day(const struct xa_chazard *h)
{
    return day_of(h->found_at);
}

int64_t xa_report_deadline_day(const struct xa_report *r, const struct xa_chazard *h)
{
    return deadline_day(r, h);
}

void xa_report_hazard_number(const struct xa_report *r, const struct xa_chazard *h, char out[32])
{
    size_t lo = 0, hi = r->nregs;
    while (lo < hi) { /* r->regs come sorted by hazard id (load_numbers) */
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(r->regs[mid].hazard, h->id);
        if (cmp == 0) {
            const char *no = r->regs[mid].number;
            size_t len = no ? strlen(no) : 0;
            if (len > 0 && len < 32) {
                memcpy(out, no, len + 1);
                return;
            }
            break;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    xa_hazard_number(h, out);
}

int64_t xa_report_overdue_days(const struct xa_report *r, const struct xa_chazard *h)
{
    return xa_overdue_days(!open_at(h, r->to), deadline_day(r, h), r->to);
}

int xa_report_escalation_due(const struct xa_report *r, const struct xa_chazard *h)
{
    return xa_escalation_due(xa_report_overdue_days(r, h), escalation_at(r, h, r->to),
                             r->escalate_after);
}

const char *xa_report_escalation_cell(const struct xa_report *r, const struct xa_chazard *h)
{
    switch (xa_report_escalation_due(r, h)) {
    case 2:
        return r->en ? "due: listed" : "应挂牌督办";
    case 1:
        return r->en ? "due: escalated" : "应督办";
    default:
        break;
    }
    int level = escalation_at(r, h, r->to);
    if (level >= 2)
        return r->en ? "listed" : "挂牌督办";
    return level == 1 ? (r->en ? "escalated" : "督办") : "";
}

int xa_report_escalation(const struct xa_report *r, const struct xa_chazard *h)
{
    return escalation_at(r, h, r->to);
}

int xa_report_in_ledger(const struct xa_report *r, const struct xa_chazard *h)
{
    int64_t found = day_of(h->found_at);
    return found <= r->to && (found >= r->from || open_at(h, r->from - 1));
}

int xa_report_open_at_end(const struct xa_report *r, const struct xa_chazard *h)
{
    return open_at(h, r->to);
}

xa_code xa_report_period(const char *from, const char *to, int64_t today, int64_t *f,
                         int64_t *t, xa_err *err)
{
    *t = today;
    if (to && xa_date_parse(to, t, NULL) != XA_OK)
        return xa_fail(err, XA_EFORMAT, "--to: '%s' is not a date (YYYY-MM-DD)", to);
    int64_t y;
    unsigned m, d;
    xa_civil_from_days(*t, &y, &m, &d);
    *f = xa_days_from_civil(y, m, 1);
    if (from && xa_date_parse(from, f, NULL) != XA_OK)
        return xa_fail(err, XA_EFORMAT, "--from: '%s' is not a date (YYYY-MM-DD)", from);
    if (*f > *t) {
        char a[XA_DATE_MAX], b[XA_DATE_MAX];
        xa_date_format(*f, a);
        xa_date_format(*t, b);
        return xa_fail(err, XA_EFORMAT, "the period starts after it ends (--from %s, --to %s)",
                       a, b);
    }
    return XA_OK;
}
