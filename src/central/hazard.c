/* hazard.c — the closed loop (闭环) of a hazard: its state derived from all
 * of its events by their recorded times, so that merge order never matters. */
#include "xiaoan/central.h"
#include "xiaoan/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tie-break rank of an event kind at the same instant. */
static int kind_rank(const char *kind)
{
    if (!strcmp(kind, XA_EV_FOUND))
        return 0;
    if (!strcmp(kind, XA_EV_ONSITE))
        return 1;
    return 2;
}

static int cmp_event(const void *pa, const void *pb)
{
    const struct xa_cevent *a = *(const struct xa_cevent *const *)pa;
    const struct xa_cevent *b = *(const struct xa_cevent *const *)pb;
    if (a->at_epoch != b->at_epoch)
        return a->at_epoch < b->at_epoch ? -1 : 1;
    int ra = kind_rank(a->kind), rb = kind_rank(b->kind);
    if (ra != rb)
        return ra - rb;
    int c = strcmp(a->visit, b->visit);
    if (c)
        return c;
    return strcmp(a->verdict ? a->verdict : "", b->verdict ? b->verdict : "");
}

void xa_hazard_derive(struct xa_chazard *h, const struct xa_cevent *ev, size_t n)
{
    const struct xa_cevent **order = n ? xa_calloc(n, sizeof *order) : NULL;
    for (size_t i = 0; i < n; i++)
        order[i] = &ev[i];
    if (n > 1)
        qsort(order, n, sizeof *order, cmp_event);
    int closed = 0;
    const char *closed_at_text = NULL;
    int64_t closed_at = 0;
    h->rechecks = 0;
    xa_cstore_str_set(&h->last_check, NULL);
    xa_cstore_str_set(&h->last_verdict, NULL);
    xa_cstore_str_set(&h->last_checker, NULL);
    if (h->rectified_on_site) {
        closed = 1;
        closed_at_text = h->found;
        closed_at = h->found_at;
    }
    for (size_t i = 0; i < n; i++) {
        const struct xa_cevent *e = order[i];
        if (!strcmp(e->kind, XA_EV_ONSITE)) {
            closed = 1;
            closed_at_text = e->at;
            closed_at = e->at_epoch;
        } else if (!strcmp(e->kind, XA_EV_FOLLOWUP)) {
            h->rechecks++;
            xa_cstore_str_set(&h->last_check, e->at);
            xa_cstore_str_set(&h->last_verdict, e->verdict);
            xa_cstore_str_set(&h->last_checker, e->inspector);
            xa_verdict v = xa_verdict_of(e->verdict);
            if (v == XA_VERDICT_RECTIFIED) {
                closed = 1;
                closed_at_text = e->at;
                closed_at = e->at_epoch;
            } else if (v == XA_VERDICT_PARTLY || v == XA_VERDICT_NOT) {
                closed = 0;
                closed_at_text = NULL;
                closed_at = 0;
            }
        }
    }
    xa_cstore_str_set(&h->state, closed ? XA_HSTATE_CLOSED : XA_HSTATE_OPEN);
    xa_cstore_str_set(&h->closed, closed ? closed_at_text : NULL);
    h->closed_at = closed ? closed_at : 0;
    free(order);
}

xa_code xa_hazard_refresh(xa_cstore *s, const char *hazard_id, xa_err *err)
{
    char *visit = NULL;
    xa_code c = xa_cstore_hazard_visit(s, hazard_id, &visit, err);
    if (c != XA_OK || !visit)
        return c;
    free(visit);
    struct xa_chazard h;
    if ((c = xa_cstore_hazard_get(s, hazard_id, &h, err)) != XA_OK)
        return c;
    struct xa_cevent *ev = NULL;
    size_t n = 0;
    if ((c = xa_cstore_events(s, hazard_id, &ev, &n, err)) == XA_OK) {
        xa_hazard_derive(&h, ev, n);
        c = xa_cstore_hazard_set_state(s, &h, err);
    }
    xa_cevents_free(ev, n);
    xa_chazard_clear(&h);
    return c;
}

int64_t xa_today(void)
{
    return xa_date_of(xa_now(), XA_CST_OFFSET);
}

/* Closed, overdue or open on day today. */
xa_hstate xa_hazard_state_on(const struct xa_chazard *h, int64_t today)
{
    if (xa_hstate_of(h->state) == XA_HS_CLOSED)
        return XA_HS_CLOSED;
    int64_t deadline;
    if (h->deadline && *h->deadline && xa_date_parse(h->deadline, &deadline, NULL) == XA_OK &&
        today > deadline)
        return XA_HS_OVERDUE;
    return XA_HS_OPEN;
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
