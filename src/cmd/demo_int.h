/* demo_int.h (cmd) — what demo.c needs from demo_history.c: the few months
 * of office and field history a demo workspace starts with. */
#ifndef XIAOAN_CMD_DEMO_INT_H
#define XIAOAN_CMD_DEMO_INT_H

#include "xiaoan/central.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/forms.h"
#include "xiaoan/roster.h"

/* The inspector whose home the demo's TUI opens (passphrase DEMO_PASS). */
#define DEMO_INSPECTOR "张明"

/* What the history left, for demo.c to print. */
struct demo_summary {
    size_t inspectors, visits, bundles, briefs, hazards;
    size_t open, overdue, rechecked, closed;
    char first[XA_DATE_MAX], last[XA_DATE_MAX];
};

/* Build the history in dir: the demo inspector (home dir/home, already
 * created as fs and enrolled) and two more inspectors (dir/inspectors/NAME)
 * make about four months of visits ending yesterday, through the real
 * pipeline — drafts edited as the TUI does, sealed under a fixed clock
 * (XIAOAN_NOW, moved day by day; the caller puts it back), exported as
 * bundles (dir/bundles/NAME), merged at the office, answered with briefs
 * (dir/briefs) that the field imports — so the ledger holds open, overdue,
 * re-checked and closed hazards and every screen has something to show.
 * Days count back from today (the day XIAOAN_NOW gave before the demo
 * moved it, else the real day), so the result is the
 * same on the same day; keys and ids are fresh each time. */
xa_code demo_history(const char *dir, const char *pass, int64_t today, xa_cstore *s,
                     const xa_identity *office, xa_fstore *fs, const xa_roster *r,
                     const xa_form_set *set, struct demo_summary *sum, xa_err *err);

/* Fix the clock (XIAOAN_NOW) at hh:mm +08:00 on day today - ago. */
void demo_clock_at(int64_t today, int ago, int hh, int mm);

#endif
