/* cstore_assign.h — the central store's draws and assignments (检查任务)
 * (src/store/central_assign.c): the committed draws with their secret seeds
 * until the reveal, the assignments a reveal creates with their teams, their
 * completion by a merged visit, the inspectors' home counties and the
 * schools' tiers (重点/薄弱/一般).
 *
 * Completion is order-independent: an assignment is done by the earliest
 * (sealed time, visit id) of the merged visits that name it, whatever order
 * the bundles arrive in. */
#ifndef XIAOAN_CSTORE_ASSIGN_H
#define XIAOAN_CSTORE_ASSIGN_H

#include "xiaoan/centralstore.h"

/* A committed draw (table draws). */
struct xa_cdraw {
    const char *id, *commitment;
    const char *seed; /* 64 hex digits: secret until the reveal */
    const char *plan_hash, *kind, *created;
    const char *beacon, *revealed; /* NULL until revealed */
};
xa_code xa_cstore_draw_add(xa_cstore *s, const struct xa_cdraw *d, xa_err *err);
/* XA_ENOTFOUND when the store has no draw with this id. */
xa_code xa_cstore_draw_get(xa_cstore *s, const char *id, struct xa_cdraw *out, xa_err *err);
/* Mark revealed (XA_ESTATE when it was already). */
xa_code xa_cstore_draw_reveal(xa_cstore *s, const char *id, const char *beacon, xa_err *err);
/* Release what a draw row holds (the seed wiped). */
void xa_cdraw_clear(struct xa_cdraw *d);

/* An assignment (table assignments, team in assignment_team). */
struct xa_cassign {
    const char *id, *draw, *school, *kind;
    const char *due;    /* "YYYY-MM-DD" or NULL */
    const char *forms;  /* form ids separated by commas, "" for none */
    const char *created;
    const char *visit;  /* the visit that carried it out, NULL while open */
    const char *done;   /* that visit's sealed time */
    char **team;  /* fingerprints in draw order */
    size_t nteam;
    /* filled by queries */
    const char *school_name, *county;
    char **team_names;
};
/* Insert an assignment and its team (XA_EEXIST when the id exists). */
xa_code xa_cstore_assign_add(xa_cstore *s, const struct xa_cassign *a, xa_err *err);
/* Assignments ordered by due date (none last), school code, id; inspector
 * NULL for all, else those whose team has the inspector; open_only: not
 * done yet. */
xa_code xa_cstore_assigns(xa_cstore *s, const char *inspector, int open_only,
                          struct xa_cassign **out, size_t *n, xa_err *err);
/* Record that a merged visit (sealed at `sealed`, epoch `sealed_at`) names
 * an assignment; the earliest (sealed_at, visit) wins.  *known = 0 when the
 * store has no such assignment, *in_team = 0 when the inspector is not in
 * its team or the visit is at another school (then nothing changes). */
xa_code xa_cstore_assign_visit(xa_cstore *s, const char *id, const char *visit,
                               const char *inspector, const char *school, const char *sealed,
                               int64_t sealed_at, int *known, int *in_team, xa_err *err);
void xa_cassign_clear(struct xa_cassign *a);
void xa_cassigns_free(struct xa_cassign *v, size_t n);

/* An inspector's home county (NULL clears it); XA_ENOTFOUND when not enrolled. */
xa_code xa_cstore_inspector_county_set(xa_cstore *s, const char *fingerprint, const char *county,
                                       xa_err *err);
/* The home county, *county NULL when not recorded. */
xa_code xa_cstore_inspector_county(xa_cstore *s, const char *fingerprint, char **county,
                                   xa_err *err);

/* A school's tier key (normal | weak | key). */
xa_code xa_cstore_school_tier_set(xa_cstore *s, const char *code, const char *tier, xa_err *err);
/* Tier of every school as parallel arrays (code, tier), ordered by code. */
xa_code xa_cstore_school_tiers(xa_cstore *s, char ***codes, char ***tiers, size_t *n,
                               xa_err *err);

#endif
