/* merge_int.h — what merge.c and merge_visits.c share (private to
 * src/central). */
#ifndef XIAOAN_MERGE_INT_H
#define XIAOAN_MERGE_INT_H

#include "xiaoan/central.h"
#include "xiaoan/container.h"
#include "xiaoan/identity.h"
#include "xiaoan/json.h"
#include "xiaoan/visit.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* One bundle being merged. */
struct merge_ctx {
    const char *hash;                  /* the file's BLAKE2b-256, hex */
    const char *received;              /* now, RFC 3339 */
    const struct xa_inspector *sender; /* enrolled, not revoked at created */
    uint8_t sign_pk[XA_SIGN_PK_BYTES];
    int64_t days_general, days_major;  /* default deadlines */
    int64_t fresh;                     /* visits stored new */
    int64_t anomalies;                 /* anomaly rows added */
    int reject;                        /* a content error: reject the bundle */
    int keep_copy;                     /* keep the file in quarantine (an anomaly) */
    char **touched;                    /* hazard ids to derive again */
    size_t ntouched;
    int64_t visit_cut;                 /* a revoked sender: the last visit seq merged
                                        * before the revocation (-1: no limit) */
    const char *line;                  /* the record being merged: its canonical bytes, */
    size_t line_len;                   /* lent by the container reader (NULL: none) */
    int64_t bundle_seq;                /* the bundle's seq in the sender's chain */
    int64_t seq_lo, seq_hi;            /* the seqs of the bundle's visits (have_seq: any) */
    int have_seq;
    struct merge_form *forms;          /* the form versions this bundle named, and */
    size_t nforms;                     /* whether the office has them (asked once) */
    xa_container_reader *reader;       /* parses a record the view cannot read */
    xa_visit_view view;                /* the visit being merged (kept between visits) */
    struct xa_canswer *av;             /* its answer rows (kept between visits) */
    size_t nav;
    struct xa_loop_rules rules;        /* the office's loop rules (have_rules: read */
    int have_rules;                    /* once a bundle, for a new hazard's state) */
};

/* A form version a visit of the bundle names: known to the office or not. */
struct merge_form {
    char *id, *hash;
    int64_t version;
    int known;
};

/* Free what the merge_ctx holds (not the struct). */
void xa__merge_ctx_clear(struct merge_ctx *m);

/* Verify and store one visit record (index for messages).  A content error
 * sets m->reject and returns its code; a store failure returns XA_EDB etc. */
xa_code xa__merge_visit(xa_cstore *s, struct merge_ctx *m, const json_t *record, size_t index,
                        xa_err *err);

/* Derive the state of every hazard the bundle touched. */
xa_code xa__merge_refresh(xa_cstore *s, struct merge_ctx *m, xa_err *err);

/* Bring the sender's chain findings (gap, fork, bundle-gap, bundle-fork) up
 * to date after the bundle's visits and bundle row were stored: only the
 * part of each chain around the new seqs is read and recomputed. */
xa_code xa__merge_chain(xa_cstore *s, const struct merge_ctx *m, xa_err *err);

/* ---- attachments (merge_attach.c) ---- */

struct xa_att_rx;

/* A receiver of one bundle's attachment records for the store at store_path. */
struct xa_att_rx *xa__att_rx_new(const char *store_path);
/* Expect the attachments a verified visit lists. */
xa_code xa__att_rx_visit(struct xa_att_rx *rx, const xa_visit_view *v, xa_err *err);
/* One attachment record: checked against the signed entry, written, hashed. */
xa_code xa__att_rx_piece(struct xa_att_rx *rx, const json_t *rec, size_t lineno, xa_err *err);
/* A carry record: the last visit's attachments this bundle carries (a split export). */
xa_code xa__att_rx_carry(struct xa_att_rx *rx, const json_t *rec, size_t lineno, xa_err *err);
/* After the last record: all carried arrived whole; publish them by hash
 * (*stored: new files; *waiting: left to other bundles, not here yet). */
xa_code xa__att_rx_finish(struct xa_att_rx *rx, size_t *stored, size_t *waiting, xa_err *err);
/* Free; ok == 0 removes the files this merge published. */
void xa__att_rx_free(struct xa_att_rx *rx, int ok);

#endif
