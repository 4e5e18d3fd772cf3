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

/* ---- the office's actions that move figures (escalations, deadlines) ---------------- */

/* The first index of hazard id's actions in a by-hazard sorted array. */
static size_t first_action(const struct xa_caction *a, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(a[mid].hazard, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The deadline of hazard id at the period's end as a day, or XA_NO_DEADLINE:
 * the one set at the finding (found) unless the office moved it by then
 * (central extend, or a re-check of 部分整改/未整改 with a new deadline — the
 * loop's deadline history, hazard.c), so the report's 逾期 agrees with the
 * ledger's. */
static int64_t deadline_day(const struct xa_report *r, const char *id, const char *found)
{
    const char *moved = NULL;
    for (size_t i = first_action(r->dlact, r->ndlact, id);
         i < r->ndlact && !strcmp(r->dlact[i].hazard, id); i++)
        if (day_of(r->dlact[i].at_epoch) <= r->to)
            moved = r->dlact[i].date; /* in time order: the last one counts */
    int64_t d = xa_deadline_day(moved);
    return d != XA_NO_DEADLINE ? d : xa_deadline_day(found);
}

/* The escalation level of hazard id at the end of day d (0 none, 1 督办, 2
 * 挂牌督办): the level of the last escalation (central escalate, the loop's
 * hazard_actions) recorded by then. */
static int escalation_at(const struct xa_report *r, const char *id, int64_t d)
{
    int level = 0;
    for (size_t i = first_action(r->escal, r->nescal, id);
         i < r->nescal && !strcmp(r->escal[i].hazard, id); i++)
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

/* The office's escalations (sorted by hazard, time), for escalation_at, and
 * after them in the same array its deadline moves, for deadline_day. */
static xa_code load_actions(xa_cstore *s, struct xa_report *r, xa_err *err)
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

/* ---- the listed hazards' strings: one arena, freed with the report ------------------- */

struct xa_rarena {
    struct xa_rarena *next;
    size_t used, size;
    char data[];
};

/* A copy of s in r's arena (blocks of 64 KiB: no malloc per string). */
static const char *keep(struct xa_report *r, const char *s)
{
    size_t len = strlen(s) + 1;
    struct xa_rarena *a = r->arena;
    if (!a || a->size - a->used < len) {
        size_t size = len > 65536 ? len : 65536;
        a = xa_malloc(sizeof *a + size);
        a->next = r->arena;
        a->used = 0;
        a->size = size;
        r->arena = a;
    }
    char *p = a->data + a->used;
    memcpy(p, s, len);
    a->used += len;
    return p;
}

static void arena_free(struct xa_rarena *a)
{
    while (a) {
        struct xa_rarena *next = a->next;
        free(a);
        a = next;
    }
}

/* ---- rows of the tables ------------------------------------------------------------- */

static void xa_assign_tally_free_one(struct xa_assign_tally *t);

/* The row of a county name (added after the known ones when unknown). */
static struct xa_rcounty *county_row(struct xa_report *r, const char *name)
{
    for (size_t i = 0; i < r->ncounties; i++)
        if (!strcmp(r->counties[i].name, name))
            return &r->counties[i];
    r->counties = xa_reallocarray(r->counties, r->ncounties + 1, sizeof *r->counties);
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
    r->categories = xa_reallocarray(r->categories, r->ncategories + 1, sizeof *r->categories);
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

/* ---- the sections of xa_report_compute ------------------------------------------------ */

/* The title (the office's name), report.unvisited_days and a row for every
 * known county (the whole city) or just the one asked for. */
static xa_code compute_head(xa_cstore *s, struct xa_report *r, xa_err *err)
{
    struct xa_office off;
    xa_code c = xa_cstore_office_get(s, &off, err);
    if (c == XA_OK) {
        r->office = xa_strdup(off.name);
        xa_office_clear(&off);
    } else if (c == XA_ENOTFOUND) {
        r->office = xa_strdup(XA_OFFICE_DEFAULT_NAME);
    } else {
        return c;
    }
    if ((c = xa_cstore_setting_int(s, "report.unvisited_days", 90, &r->unvisited_days, err)) !=
        XA_OK)
        return c;
    for (size_t i = 0; i < XA_NCOUNTIES; i++)
        if (!r->county || !strcmp(r->county, xa_county_at(i)->name))
            county_row(r, xa_county_at(i)->name);
    if (r->county && !r->ncounties)
        county_row(r, r->county);
    return XA_OK;
}

/* The roster's schools by code, for the visits: the codes sorted, and for
 * each sorted position the school's index in r->schools. */
struct school_index {
    const char **sorted;
    size_t *at;
};

/* The roster (of the county): schools per county row, each school's last
 * visit not yet known (-1). */
static xa_code compute_schools(xa_cstore *s, struct xa_report *r, struct school_index *ix,
                               xa_err *err)
{
    xa_code c = xa_cstore_schools(s, r->county, &r->schools, &r->nschools, err);
    if (c != XA_OK)
        return c;
    size_t n = r->nschools;
    if (n > 1)
        qsort(r->schools, n, sizeof *r->schools, cmp_school);
    r->last_visit = xa_calloc(n ? n : 1, sizeof *r->last_visit);
    r->visited_in = xa_calloc(n ? n : 1, sizeof *r->visited_in);
    ix->sorted = xa_calloc(n ? n : 1, sizeof *ix->sorted);
    ix->at = xa_calloc(n ? n : 1, sizeof *ix->at);
    for (size_t i = 0; i < n; i++) {
        ix->sorted[i] = r->schools[i].code;
        r->last_visit[i] = -1;
        county_row(r, r->schools[i].county)->schools++;
    }
    qsort(ix->sorted, n, sizeof *ix->sorted, cmp_str);
    /* sorted position -> school index, found through the code pointers */
    for (size_t i = 0; i < n; i++) {
        const char *key = r->schools[i].code;
        const char **hit = bsearch(&key, ix->sorted, n, sizeof *ix->sorted, cmp_str);
        if (hit)
            ix->at[hit - ix->sorted] = i;
    }
    return XA_OK;
}

struct visit_walk {
    struct xa_report *r;
    const struct school_index *ix;
    int64_t from_at;
};

/* One visit up to the period's end: its school's last visit; in the period,
 * the county's visits by method and the school visited. */
static int one_visit(const struct xa_cperiod_visit *x, void *ctx)
{
    struct visit_walk *w = ctx;
    struct xa_report *r = w->r;
    const char *key = x->school;
    const char **hit = bsearch(&key, w->ix->sorted, r->nschools, sizeof *w->ix->sorted, cmp_str);
    size_t si = hit ? w->ix->at[hit - w->ix->sorted] : (size_t)-1;
    if (hit) {
        int64_t d = day_of(x->arrived_at);
        if (d > r->last_visit[si])
            r->last_visit[si] = d;
    }
    if (x->arrived_at < w->from_at)
        return 0;
    struct xa_rcounty *cr = county_row(r, x->county);
    cr->visits++;
    int k = (int)xa_kind_of(x->kind);
    if (k >= 0)
        cr->by_kind[k]++;
    if (hit && !r->visited_in[si]) {
        r->visited_in[si] = 1;
        county_row(r, r->schools[si].county)->visited++;
    }
    return 0;
}

/* Coverage and visits by method: the visits up to the period's end, streamed. */
static xa_code compute_visits(xa_cstore *s, struct xa_report *r, const struct school_index *ix,
                              xa_err *err)
{
    struct visit_walk w = {r, ix, day_start(r->from)};
    return xa_cstore_period_visits_each(s, r->county, day_start(r->to + 1), one_visit, &w, err);
}

struct hazard_walk {
    xa_cstore *s;
    struct xa_report *r;
    size_t room;
    xa_code c;
    xa_err *err;
};

/* Keep h for the lists: its strings into the arena, its registration number
 * looked up (inside the walk's read, so no lock is taken per hazard). */
static struct xa_rhazard *keep_listed(struct hazard_walk *w, const struct xa_cperiod_hazard *h)
{
    struct xa_report *r = w->r;
    if (r->nhazards == w->room) {
        w->room = w->room ? 2 * w->room : 256;
        r->hazards = xa_reallocarray(r->hazards, w->room, sizeof *r->hazards);
    }
    struct xa_rhazard *x = &r->hazards[r->nhazards++];
    memset(x, 0, sizeof *x);
    x->id = keep(r, h->id);
    x->school = keep(r, h->school);
    x->school_name = keep(r, h->school_name);
    x->county = keep(r, h->county);
    x->category = keep(r, h->category);
    x->severity = keep(r, h->severity);
    x->description = keep(r, h->description);
    x->found_at = h->found_at;
    if (*h->number) {
        x->number = keep(r, h->number);
    } else { /* never registered: the old number */
        struct xa_chazard old = {.id = h->id, .found = h->found, .found_at = h->found_at};
        char no[32];
        xa_hazard_number(&old, no);
        x->number = keep(r, no);
    }
    return x;
}

/* One hazard that can matter to the period: every figure it counts in,
 * from its days worked out once (found, closed — INT64_MAX while not —, the
 * deadline in force at the end): closed by d is closed <= d; open at d is
 * found <= d and not closed by d; overdue is the loop's rule. */
static int one_hazard(const struct xa_cperiod_hazard *h, void *ctx)
{
    struct hazard_walk *w = ctx;
    struct xa_report *r = w->r;
    int64_t found = day_of(h->found_at);
    if (found > r->to)
        return 0;
    int64_t closed = h->closed ? day_of(h->closed_at) : INT64_MAX;
    struct xa_rcounty *cr = county_row(r, *h->county ? h->county : "?");
    int major = xa_severity_of(h->severity) == XA_SEV_MAJOR;
    int found_in = found >= r->from;
    int closed_start = closed <= r->from - 1, closed_end = closed <= r->to;
    int open_start = found <= r->from - 1 && !closed_start;
    int open_end = !closed_end; /* found by the end: see above */
    r->nledger += found_in || open_start;
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
    if (major && (found_in || open_start)) {
        cr->major_due++;
        cr->major_cleared += !open_end;
    }
    for (size_t m = 0; m < r->nmonths; m++) {
        struct xa_rmonth *mo = &r->months[m];
        mo->found += found >= mo->first && found <= mo->last;
        mo->closed += closed <= mo->last && closed > mo->first - 1;
        mo->open_end += found <= mo->last && closed > mo->last;
    }
    if (!open_end)
        return 0;
    int level = escalation_at(r, h->id, r->to);
    cr->escalated += level > 0;
    int64_t deadline = deadline_day(r, h->id, h->deadline);
    int64_t late = xa_overdue_days(0, deadline, r->to); /* open at the end: not closed */
    cr->overdue += late > 0;
    if (late > 0 || major) {
        struct xa_rhazard *x = keep_listed(w, h);
        x->deadline = deadline;
        x->overdue = late;
        x->escalation = level;
        x->escalation_due = xa_escalation_due(late, level, r->escalate_after);
        x->open_major = major;
    }
    return w->c != XA_OK;
}

/* The listed hazards by finding time, then id. */
static int cmp_listed(const void *a, const void *b)
{
    const struct xa_rhazard *x = a, *y = b;
    if (x->found_at != y->found_at)
        return x->found_at < y->found_at ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Found, closed, open, overdue, escalated, 清零率, by month and category, and
 * the lists (open majors, overdue): the hazards that can matter to the
 * period, streamed — only the listed ones are kept. */
static xa_code compute_hazards(xa_cstore *s, struct xa_report *r, xa_err *err)
{
    xa_code c = load_actions(s, r, err);
    struct xa_loop_rules rules;
    if (c != XA_OK || (c = xa_loop_rules_load(s, &rules, err)) != XA_OK)
        return c;
    r->escalate_after = rules.escalate_after;
    months_of(r);
    struct hazard_walk w = {s, r, 0, XA_OK, err};
    c = xa_cstore_period_hazards_each(s, r->county, day_start(r->from), day_start(r->to + 1),
                                      one_hazard, &w, err);
    if (c == XA_OK)
        c = w.c;
    if (c != XA_OK)
        return c;
    if (r->nhazards > 1)
        qsort(r->hazards, r->nhazards, sizeof *r->hazards, cmp_listed);
    r->open_major = xa_calloc(r->nhazards ? r->nhazards : 1, sizeof *r->open_major);
    r->overdue = xa_calloc(r->nhazards ? r->nhazards : 1, sizeof *r->overdue);
    for (size_t i = 0; i < r->nhazards; i++) {
        if (r->hazards[i].open_major)
            r->open_major[r->nopen_major++] = i;
        if (r->hazards[i].overdue > 0)
            r->overdue[r->noverdue++] = i;
    }
    return XA_OK;
}

/* Counties in order with the total row; categories, most found first. */
static void compute_totals(struct xa_report *r)
{
    qsort(r->counties, r->ncounties, sizeof *r->counties, cmp_county);
    memset(&r->total, 0, sizeof r->total);
    for (size_t i = 0; i < r->ncounties; i++)
        add_into(&r->total, &r->counties[i]);
    if (r->ncategories > 1)
        qsort(r->categories, r->ncategories, sizeof *r->categories, cmp_category);
}

/* Schools not visited in report.unvisited_days up to the period's end. */
static void compute_unvisited(struct xa_report *r)
{
    r->unvisited = xa_calloc(r->nschools ? r->nschools : 1, sizeof *r->unvisited);
    for (size_t i = 0; i < r->nschools; i++)
        if (r->last_visit[i] < 0 || r->last_visit[i] <= r->to - r->unvisited_days)
            r->unvisited[r->nunvisited++] = i;
}

/* Assignments (检查任务) due in the period, of the county asked for. */
static xa_code compute_assignments(xa_cstore *s, struct xa_report *r, xa_err *err)
{
    xa_code c = xa_assign_tally(s, r->from, r->to, &r->assign, &r->nassign, err);
    if (c != XA_OK || !r->county)
        return c;
    size_t k = 0;
    for (size_t i = 0; i < r->nassign; i++) {
        if (r->assign[i].county && !strcmp(r->assign[i].county, r->county))
            r->assign[k++] = r->assign[i];
        else
            xa_assign_tally_free_one(&r->assign[i]);
    }
    r->nassign = k;
    return XA_OK;
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
    struct school_index ix = {NULL, NULL};
    xa_code c;
    if ((c = compute_head(s, r, err)) == XA_OK && (c = compute_schools(s, r, &ix, err)) == XA_OK &&
        (c = compute_visits(s, r, &ix, err)) == XA_OK &&
        (c = compute_hazards(s, r, err)) == XA_OK) {
        compute_totals(r);
        compute_unvisited(r);
        /* chain anomalies and quarantined files: the whole store (they are
         * not tied to a period, and each wants a person to look at it) */
        if ((c = compute_assignments(s, r, err)) == XA_OK &&
            (c = xa_cstore_anomalies(s, &r->anomalies, &r->nanomalies, err)) == XA_OK)
            c = xa_cstore_quarantine(s, &r->quarantine, &r->nquarantine, err);
    }
    free(ix.sorted);
    free(ix.at);
    if (c != XA_OK) {
        xa_report_free(r);
        return c;
    }
    *out = r;
    return XA_OK;
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
    free(r->hazards);
    arena_free(r->arena);
    xa_cactions_free(r->escal, r->nescal_alloc);
    free(r->open_major);
    free(r->overdue);
    free(r->unvisited);
    xa_assign_tally_free(r->assign, r->nassign);
    xa_canomalies_free(r->anomalies, r->nanomalies);
    xa_cquarantine_free(r->quarantine, r->nquarantine);
    free(r);
}

int64_t xa_report_days_open(const struct xa_report *r, const struct xa_rhazard *h)
{
    return r->to - day_of(h->found_at);
}

int64_t xa_report_found_day(const struct xa_rhazard *h)
{
    return day_of(h->found_at);
}

const char *xa_report_escalation_cell(const struct xa_report *r, const struct xa_rhazard *h)
{
    switch (h->escalation_due) {
    case 2:
        return r->en ? "due: listed" : "应挂牌督办";
    case 1:
        return r->en ? "due: escalated" : "应督办";
    default:
        break;
    }
    if (h->escalation >= 2)
        return r->en ? "listed" : "挂牌督办";
    return h->escalation == 1 ? (r->en ? "escalated" : "督办") : "";
}

/* Was h closed by the end of day d? */
static int closed_by(const struct xa_chazard *h, int64_t d)
{
    return h->state && !strcmp(h->state, XA_HSTATE_CLOSED) && h->closed &&
           day_of(h->closed_at) <= d;
}

int xa_report_in_ledger(const struct xa_report *r, const struct xa_chazard *h)
{
    int64_t found = day_of(h->found_at);
    return found <= r->to && (found >= r->from || !closed_by(h, r->from - 1));
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
