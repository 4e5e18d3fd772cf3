/* assign.h — the office side of random supervision and cross-checks
 * (src/central/assign.c): making a draw plan from the central store (the
 * roster rows with their tiers and last visits, the inspectors with their
 * home counties) and committing it with a fresh secret seed, revealing it
 * into assignments, the assignments' state, and their records in briefs.
 * The draw itself is the pure module draw.h (docs/draw.md). */
#ifndef XIAOAN_ASSIGN_H
#define XIAOAN_ASSIGN_H

#include "xiaoan/cstore_assign.h"
#include "xiaoan/draw.h"

#include <jansson.h>

/* What `central draw plan` asks for. */
struct xa_draw_request {
    int64_t schools;
    char **counties; /* full county names; none: every county */
    size_t ncounties;
    int64_t weights[XA_DRAW_NTIERS];
    int64_t boost_days;
    const char *kind; /* random | cross | special */
    char **forms;
    size_t nforms;
    int64_t team;
    char **inspectors; /* fingerprints (any spelling); none: every active inspector */
    size_t ninspectors;
    const char *due; /* "YYYY-MM-DD" or NULL */
};

/* Parse "重点=3,薄弱=2,一般=1" (keys or Chinese labels; tiers not named keep
 * the values already in w). */
xa_code xa_draw_weights_parse(const char *spec, int64_t w[XA_DRAW_NTIERS], xa_err *err);

/* Split "a,b,c" into a new vector (empty items refused). */
xa_code xa_draw_list_parse(const char *spec, const char *what, char ***out, size_t *n,
                           xa_err *err);

/* Make the plan from the store, commit it with a fresh seed, and in one
 * transaction keep the draw (with its seed) and an audit row, then write the
 * plan file to path (0600; refused when path exists).  d gets the plan. */
xa_code xa_office_draw_plan(xa_cstore *s, const struct xa_draw_request *r, const char *path,
                            struct xa_draw *d, xa_err *err);

/* Reveal the plan file at path with the beacon: the file must be an
 * unrevealed plan of this store whose commitment is the stored one; the
 * assignments go into the store and the revealed plan back into path, or
 * nothing changes.  d gets the revealed draw. */
xa_code xa_office_draw_reveal(xa_cstore *s, const char *path, const char *beacon,
                              struct xa_draw *d, xa_err *err);

/* Record an inspector's home county (fingerprint canonical), one
 * transaction with its audit row. */
xa_code xa_office_inspector_county(xa_cstore *s, const char *fingerprint, const char *county,
                                   xa_err *err);

/* "open", "overdue" (open past its due date on day today) or "done". */
const char *xa_assign_state_on(const struct xa_cassign *a, int64_t today);
/* 待完成 / 逾期 / 已完成. */
const char *xa_assign_state_label(const char *state);

/* Completion of assignments in one county over a period (the period
 * report): those due in [from, to] (days; created in it when they have no
 * due date); done = carried out by a visit sealed on or before `to`;
 * overdue = not done by `to` and due before it. */
struct xa_assign_tally {
    char *county;
    int64_t total, done, overdue;
};
/* One row per county that has assignments in the period, ordered by
 * county name; free with xa_assign_tally_free. */
xa_code xa_assign_tally(xa_cstore *s, int64_t from, int64_t to, struct xa_assign_tally **out,
                        size_t *n, xa_err *err);
void xa_assign_tally_free(struct xa_assign_tally *v, size_t n);

/* The brief records of one inspector's open assignments, appended to recs
 * (docs/formats.md); *n gets their number. */
xa_code xa_assign_brief_records(xa_cstore *s, const char *inspector, json_t *recs, size_t *n,
                                xa_err *err);

#endif
