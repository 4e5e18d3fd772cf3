/* loopstore.h — the rectification loop's rows in the central store (issue
 * 12): registration numbers (莲都-2026-0012) and interim control measures of
 * hazards, the office's actions on hazards (notice, reply, re-check,
 * sign-off, extension, escalation), the notices issued (整改通知书), and the
 * field events as the loop reads them (with the school of the visit that
 * recorded them).  The states themselves are derived in src/central
 * (hazard.c) from all of these; nothing here decides a state.
 *
 * Schema: migration 3 of centralstore.c; the registration is kept in the
 * hazard's row since migration 7.  Strings in the structs are owned
 * by them; free arrays with their _free function. */
#ifndef XIAOAN_LOOPSTORE_H
#define XIAOAN_LOOPSTORE_H

#include "xiaoan/centralstore.h"
#include "xiaoan/error.h"

#include <stddef.h>
#include <stdint.h>

/* ---- registration numbers ---------------------------------------------------- */

struct xa_creg {
    char *hazard;
    char *number;     /* 莲都-2026-0012 */
    char *county;     /* the short name in the number (莲都) */
    int64_t year, seq;
    char *interim;    /* 临时管控措施 recorded with the finding ("" none) */
    char *registered; /* when the office registered it */
};

/* Register a hazard of the store once: the next number of (county, year)
 * and its interim measure, kept in the hazard's row.  A hazard registered
 * already keeps its number (nothing changes); XA_ENOTFOUND when there is no
 * such hazard.  *number (may be NULL) gets the number, new string. */
xa_code xa_cstore_hazard_register(xa_cstore *s, const char *hazard, const char *county,
                                  int64_t year, const char *interim, char **number,
                                  xa_err *err);
/* Add a new hazard (as xa_cstore_hazard_add) registered in the same row
 * with the next number of (county, year) and its interim measure.  When the
 * id is there already nothing changes, no number is taken and *added is 0.
 * Numbers are MAX(seq) + 1 of (county, year) at the moment; inside
 * xa_cstore_begin's transaction the next one is remembered per (county,
 * year) until the transaction ends (one lookup per pair, not per hazard). */
xa_code xa_cstore_hazard_add_registered(xa_cstore *s, const struct xa_chazard *h,
                                        const char *county, int64_t year, const char *interim,
                                        int *added, xa_err *err);
/* XA_ENOTFOUND when the hazard has no number yet. */
xa_code xa_cstore_reg_get(xa_cstore *s, const char *hazard, struct xa_creg *out, xa_err *err);
/* Every registration, ordered by hazard id. */
xa_code xa_cstore_regs(xa_cstore *s, struct xa_creg **out, size_t *n, xa_err *err);
void xa_creg_free(struct xa_creg *r);
void xa_cregs_free(struct xa_creg *v, size_t n);

/* Hazards without a number yet (stores from before the loop): id, the county
 * of the visit that found it and the found time, ordered by found time, id. */
struct xa_cunreg {
    char *hazard, *county, *found;
};
xa_code xa_cstore_unregistered(xa_cstore *s, struct xa_cunreg **out, size_t *n, xa_err *err);
void xa_cunregs_free(struct xa_cunreg *v, size_t n);

/* Hazard ids that `text` names: its registration number, its id, or (hex
 * text of 4+ characters) a prefix of ids.  At most `max` ids, sorted. */
xa_code xa_cstore_hazard_find(xa_cstore *s, const char *text, size_t max, char ***ids,
                              size_t *n, xa_err *err);

/* ---- office actions --------------------------------------------------------------- */

#define XA_ACT_NOTICE "notice"
#define XA_ACT_REPLY "reply"
#define XA_ACT_RECHECK "recheck"
#define XA_ACT_SIGNOFF "signoff"
#define XA_ACT_EXTEND "extend"
#define XA_ACT_ESCALATE "escalate"

struct xa_caction {
    int64_t id;        /* order of recording */
    char *hazard, *kind;
    char *at;          /* when the office recorded it (RFC 3339) */
    int64_t at_epoch;
    char *date;        /* reply: received; extend: new deadline; recheck: new deadline;
                        * notice: issue date */
    char *verdict;     /* recheck: rectified | partly | not-rectified */
    int64_t level;     /* escalate: 1 督办, 2 挂牌督办 */
    char *by, *note;
    char *notice;      /* notice: its number */
};
/* Append an action (id = last + 1; at = now when NULL). */
xa_code xa_cstore_action_add(xa_cstore *s, const struct xa_caction *a, xa_err *err);
/* Actions of one hazard (NULL: all), ordered by hazard, time, id. */
xa_code xa_cstore_actions(xa_cstore *s, const char *hazard, struct xa_caction **out, size_t *n,
                          xa_err *err);
void xa_cactions_free(struct xa_caction *v, size_t n);

/* ---- field events as the loop reads them ------------------------------------------ */

struct xa_cfield {
    char *hazard, *visit, *kind, *verdict, *at;
    int64_t at_epoch;
    char *inspector, *inspector_name, *note;
    char *school;      /* the school of the visit that recorded the event */
};
/* Events of one hazard (NULL: all), ordered by hazard, time, kind, visit. */
xa_code xa_cstore_field_events(xa_cstore *s, const char *hazard, struct xa_cfield **out,
                               size_t *n, xa_err *err);
void xa_cfields_free(struct xa_cfield *v, size_t n);

/* A follow-up next to the hazard it names (for the trust check). */
struct xa_cfcheck {
    char *hazard, *visit, *inspector, *at;
    int64_t at_epoch;
    char *school;         /* of the follow-up's visit */
    int known;            /* the hazard is in the store */
    char *hazard_school;  /* NULL when unknown */
    char *hazard_visit;   /* the visit that found it, NULL when unknown */
    char *hazard_found;
    int64_t hazard_found_at;
};
/* Every follow-up event with its hazard, ordered by hazard, visit. */
xa_code xa_cstore_followup_checks(xa_cstore *s, struct xa_cfcheck **out, size_t *n, xa_err *err);
/* The same for the follow-ups that name one hazard (ordered by visit). */
xa_code xa_cstore_followup_checks_of(xa_cstore *s, const char *hazard, struct xa_cfcheck **out,
                                     size_t *n, xa_err *err);
void xa_cfchecks_free(struct xa_cfcheck *v, size_t n);

/* Ids of the anomalies of one kind, sorted / delete one anomaly by id. */
xa_code xa_cstore_anomaly_ids(xa_cstore *s, const char *kind, char ***ids, size_t *n,
                              xa_err *err);
xa_code xa_cstore_anomaly_del(xa_cstore *s, const char *id, xa_err *err);

/* The method of the visit that found each hazard and the version of the
 * hazard's form that visit used (for 依据), ordered by hazard. */
struct xa_chmeta {
    char *hazard, *kind;
    int64_t version; /* 0 when the visit names no version of the form */
};
xa_code xa_cstore_hazard_meta(xa_cstore *s, struct xa_chmeta **out, size_t *n, xa_err *err);
void xa_chmetas_free(struct xa_chmeta *v, size_t n);

/* ---- notices (整改通知书) ----------------------------------------------------------- */

struct xa_cnotice {
    char *number;      /* 校安整改〔2026〕7号 */
    int64_t year, seq;
    char *school;
    char *issued;      /* date, YYYY-MM-DD */
    char *doc;         /* what was printed, JSON (a reprint renders it again) */
    char *created;
};
/* The next sequence number of a year (1 for the first notice). */
xa_code xa_cstore_notice_next(xa_cstore *s, int64_t year, int64_t *seq, xa_err *err);
/* Store a notice and the hazards on it (in order). */
xa_code xa_cstore_notice_add(xa_cstore *s, const struct xa_cnotice *nt, char *const *hazards,
                             size_t nhazards, xa_err *err);
/* XA_ENOTFOUND for an unknown number. */
xa_code xa_cstore_notice_get(xa_cstore *s, const char *number, struct xa_cnotice *out,
                             xa_err *err);
void xa_cnotice_free(struct xa_cnotice *nt);
/* The number of notice seq of year (*number NULL when there is none). */
xa_code xa_cstore_notice_number(xa_cstore *s, int64_t year, int64_t seq, char **number,
                                xa_err *err);
/* The hazard ids on a notice, in its order. */
xa_code xa_cstore_notice_hazards(xa_cstore *s, const char *number, char ***ids, size_t *n,
                                 xa_err *err);
/* Hazard ids already on some notice, sorted. */
xa_code xa_cstore_noticed(xa_cstore *s, char ***ids, size_t *n, xa_err *err);

/* ---- visits, for notices ------------------------------------------------------------ */

/* Visit ids that `text` names: the id or (hex, 4+ characters) a prefix; at
 * most max, sorted. */
xa_code xa_cstore_visit_find(xa_cstore *s, const char *text, size_t max, char ***ids, size_t *n,
                             xa_err *err);
/* The one visit `text` names (id or unique prefix): XA_ENOTFOUND when
 * none, XA_EUSAGE when several; *id is a new string. */
xa_code xa_cstore_visit_one(xa_cstore *s, const char *text, char **id, xa_err *err);
/* One visit with its record (XA_ENOTFOUND when unknown); *out is an array
 * of one, freed with xa_cvisits_free(*out, 1). */
xa_code xa_cstore_visit_get(xa_cstore *s, const char *id, struct xa_cvisit **out, xa_err *err);
/* Ids of the visits whose signed record lists attachments, sorted; only
 * those of one inspector (fingerprint) unless inspector is NULL. */
xa_code xa_cstore_visits_with_attachments(xa_cstore *s, const char *inspector, char ***ids,
                                          size_t *n, xa_err *err);
/* The name of an enrolled inspector, or NULL (new string). */
char *xa_cstore_inspector_name(xa_cstore *s, const char *fingerprint);

#endif
