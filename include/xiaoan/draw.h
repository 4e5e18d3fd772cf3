/* draw.h — the verifiable random draw of schools (随机督查、交叉互查): the
 * plan file `xiaoan.draw/1`, its commitment, the reveal against a public
 * beacon, and the verification anyone can run from the revealed plan alone.
 *
 * This module is pure: no store, no clock, no randomness of its own (the
 * caller passes the seed).  docs/draw.md specifies every step precisely
 * enough for another implementation to reproduce a draw bit for bit;
 * tests/data/draw/ holds a fixed test vector.  Integer arithmetic only.
 *
 * Life of a draw: the office fills a struct xa_draw (parameters, the roster
 * rows and inspectors it draws from), calls xa_draw_commit with a fresh
 * secret seed and publishes the commitment; after a public beacon is known
 * xa_draw_reveal computes the assignments; xa_draw_verify_json recomputes
 * them from the file. */
#ifndef XIAOAN_DRAW_H
#define XIAOAN_DRAW_H

#include "xiaoan/error.h"
#include "xiaoan/roster.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define XA_DRAW_FORMAT "xiaoan.draw/1"
#define XA_DRAW_SEED_BYTES 32
#define XA_DRAW_BEACON_MAX 1000     /* bytes of UTF-8 */
#define XA_DRAW_WEIGHT_MAX 1000     /* per tier */
#define XA_DRAW_SCHOOLS_MAX 100000  /* rows of a plan */
#define XA_DRAW_INSPECTORS_MAX 10000
#define XA_DRAW_TEAM_MAX 20
#define XA_DRAW_BOOST_MAX 3650      /* days */
#define XA_DRAW_FILE_MAX (64u << 20)

/* Weights are by tier (roster.h's xa_tier: normal, weak, key). */
#define XA_DRAW_NTIERS 3

/* One roster row the draw draws from. */
struct xa_draw_school {
    char *code, *name, *county;
    int tier;         /* xa_tier */
    char *last_visit; /* "YYYY-MM-DD" of the latest visit, NULL when never */
};

/* One inspector the teams are made of. */
struct xa_draw_inspector {
    char *fingerprint, *name;
    char *county; /* home county, NULL when not recorded */
};

struct xa_draw_params {
    int64_t schools;                 /* N: schools to draw */
    char **counties;                 /* the pool's counties (none: every county) */
    size_t ncounties;
    int64_t weights[XA_DRAW_NTIERS]; /* by tier, 0..XA_DRAW_WEIGHT_MAX */
    int64_t boost_days;              /* 0: off; else unvisited for this long doubles the weight */
    char *kind;                      /* random | cross | special */
    char **forms;                    /* focus form ids */
    size_t nforms;
    int64_t team;                    /* K: inspectors per school */
    char *due;                       /* "YYYY-MM-DD" or NULL */
};

/* One drawn school and its team (indices into the plan's rows). */
struct xa_draw_assignment {
    char id[33];   /* 32 hex digits, derived from the plan id and school code */
    size_t school; /* index into schools */
    size_t *team;  /* K indices into inspectors, in the order they were drawn */
};

struct xa_draw {
    /* the plan (the part the commitment binds) */
    char *id;      /* 32 hex digits */
    char *created; /* RFC 3339 */
    char *as_of;   /* "YYYY-MM-DD": the day "unvisited" is counted from */
    char *office_name, *office_fp;
    struct xa_draw_params p;
    struct xa_draw_school *schools;
    size_t nschools;
    struct xa_draw_inspector *insp;
    size_t ninsp;
    char commitment[65];
    /* the reveal */
    int revealed;
    uint8_t seed[XA_DRAW_SEED_BYTES];
    char *beacon;
    char randomness[65];
    struct xa_draw_assignment *asg;
    size_t nasg;
};

/* Free everything a draw owns and zero it (the seed is wiped). */
void xa_draw_clear(struct xa_draw *d);

/* Check the plan (parameters, rows, inspectors) and that the draw is
 * feasible whatever the beacon turns out to be: enough schools of positive
 * weight, and for every such school at least K inspectors allowed to
 * inspect it (kind cross: no inspector of the school's own county, and every
 * inspector must have a county).  An infeasible plan is one clear line. */
xa_code xa_draw_check(const struct xa_draw *d, xa_err *err);

/* BLAKE2b-256 of the canonical bytes of the plan object. */
xa_code xa_draw_plan_hash(const struct xa_draw *d, uint8_t out[32], xa_err *err);

/* Check the plan and set d->commitment = BLAKE2b-256(seed ‖ plan hash). */
xa_code xa_draw_commit(struct xa_draw *d, const uint8_t seed[XA_DRAW_SEED_BYTES], xa_err *err);

/* Normalise a beacon as typed (ASCII white space trimmed at both ends; not
 * empty, valid UTF-8 without control characters, at most
 * XA_DRAW_BEACON_MAX bytes) into a new string. */
xa_code xa_draw_beacon_normalise(const char *in, char **out, xa_err *err);

/* The pure computation: randomness (hex) and assignments from the plan, a
 * seed and a normalised beacon.  *asg is a new array (free with
 * xa_draw_assignments_free). */
xa_code xa_draw_compute(const struct xa_draw *d, const uint8_t seed[XA_DRAW_SEED_BYTES],
                        const char *beacon, char randomness[65],
                        struct xa_draw_assignment **asg, size_t *n, xa_err *err);
void xa_draw_assignments_free(struct xa_draw_assignment *a, size_t n);

/* Reveal an unrevealed, committed draw: the seed must match the commitment;
 * fills seed, beacon (normalised), randomness and the assignments. */
xa_code xa_draw_reveal(struct xa_draw *d, const uint8_t seed[XA_DRAW_SEED_BYTES],
                       const char *beacon, xa_err *err);

/* The plan file as a JSON object (new reference); "reveal" is null until
 * revealed. */
xa_code xa_draw_to_json(const struct xa_draw *d, json_t **out, xa_err *err);

/* Read a plan file's object strictly (unknown members, bad values refused). */
xa_code xa_draw_from_json(const json_t *obj, struct xa_draw *d, xa_err *err);

/* Parse plan file bytes (xa_json_parse limits) into d. */
xa_code xa_draw_parse(const char *bytes, size_t len, struct xa_draw *d, xa_err *err);

/* Verify a revealed draw: the seed matches the commitment, the randomness
 * follows from seed and beacon, the assignments from the randomness, the
 * parameters and the rows.  XA_OK when everything matches; XA_EDIFF with the
 * first difference as the message (in Chinese, one line) otherwise. */
xa_code xa_draw_verify(const struct xa_draw *d, xa_err *err);

#endif
