/* centralstore.h — the office's central store: one SQLite file holding the
 * enrolled inspectors, the school roster, every form version ever imported,
 * the bundles received, the sealed visits (the signed original plus decoded
 * tables: answers, hazards, hazard events), anomalies, quarantine, settings,
 * the office identity (wrapped) and the audit log.
 *
 * This module is the only code of the office that touches SQLite; src/central
 * reaches the data through the typed functions below.  The SQL is kept to
 * what PostgreSQL also accepts (INSERT ... ON CONFLICT DO NOTHING, standard
 * types, explicit keys) so a libpq backend can follow.  The schema version is
 * PRAGMA user_version; opening migrates forward inside one transaction.
 *
 * Times are kept twice where they are sorted or compared: the RFC 3339 text
 * as recorded, and seconds since the epoch (`*_at`).
 *
 * Row structs: a struct given to an _add/_put function is read only (its
 * strings are the caller's: `const char *`, nothing to cast).  A struct the
 * store fills owns its strings: `xa_X_clear(&row)` releases what one
 * caller-owned struct holds, `xa_Xs_free(v, n)` releases an array the store
 * allocated, with its rows.  Each row type is one table of columns in
 * src/store (DB_COL, db.h) that reads, frees and selects it. */
#ifndef XIAOAN_CENTRALSTORE_H
#define XIAOAN_CENTRALSTORE_H

#include "xiaoan/error.h"

#include <stddef.h>
#include <stdint.h>

#define XA_CSTORE_SCHEMA 8

/* The central store's page cache (PRAGMA cache_size, KiB): a merge reads
 * back the index pages its inserts land on; SQLite's default 2 MiB makes
 * each of them a read through the OS.  16 MiB keeps a merge well inside its
 * 64 MB memory budget (docs/performance.md). */
#define XA_CSTORE_CACHE_KIB 16384

typedef struct xa_cstore xa_cstore;

/* ---- opening, transactions ---------------------------------------------- */

/* Create a new store file (mode 0600); fails with XA_EEXIST if path exists. */
xa_code xa_cstore_create(const char *path, xa_cstore **out, xa_err *err);
/* For tests of the migrations: create a store as the xiaoan of schema
 * `schema` (1..XA_CSTORE_SCHEMA) made it — its migrations only; opening it
 * again with xa_cstore_open migrates it the rest of the way. */
xa_code xa_cstore_create_at(const char *path, int schema, xa_cstore **out, xa_err *err);
/* Open an existing store, migrating it to the current schema. */
xa_code xa_cstore_open(const char *path, xa_cstore **out, xa_err *err);
void xa_cstore_close(xa_cstore *s);
const char *xa_cstore_path(const xa_cstore *s);
/* The folder beside the store that keeps quarantined files ("STORE.quarantine"). */
char *xa_cstore_quarantine_dir(const xa_cstore *s);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback never fails). */
xa_code xa_cstore_begin(xa_cstore *s, xa_err *err);
xa_code xa_cstore_commit(xa_cstore *s, xa_err *err);
void xa_cstore_rollback(xa_cstore *s);
/* The audited transaction: end what xa_cstore_begin started.  c is how the
 * work went; when it is XA_OK and summary is non-NULL the audit row
 * (command, summary) is appended in the same transaction, then it commits;
 * on any failure it rolls back.  Returns the first failure:
 *     if ((c = xa_cstore_begin(s, err)) == XA_OK)
 *         c = xa_cstore_end(s, xa_cstore_x_add(s, &row, err), "central x", summary, err); */
xa_code xa_cstore_end(xa_cstore *s, xa_code c, const char *command, const char *summary,
                      xa_err *err);
/* Replace a string a row filled by the store owns (the old one is freed,
 * value copied; NULL for none). */
void xa_cstore_str_set(const char **field, const char *value);

/* ---- settings, office identity, audit ------------------------------------ */

/* Settings are key/value text.  Known keys: deadline.general, deadline.major
 * (days, defaults 15 and 30), report.unvisited_days (default 90), and the loop's
 * signoff.general, notice.prefix, notice.reply_days, escalate.after_days. */
xa_code xa_cstore_setting_get(xa_cstore *s, const char *key, char **out, xa_err *err);
xa_code xa_cstore_setting_set(xa_cstore *s, const char *key, const char *value, xa_err *err);
/* An integer setting, or def when absent. */
xa_code xa_cstore_setting_int(xa_cstore *s, const char *key, int64_t def, int64_t *out,
                              xa_err *err);
/* Every setting, as parallel arrays (free with xa_strv_free). */
xa_code xa_cstore_settings(xa_cstore *s, char ***keys, char ***values, size_t *n, xa_err *err);

struct xa_office {
    const char *name;
    const char *fingerprint;
    const char *sign_key;      /* base64 Ed25519 public key */
    const char *age_recipient; /* age1... */
    const char *wrapped;       /* the identity wrapped under the office passphrase (text) */
    const char *created;
};
/* Store the office identity; XA_EEXIST if there is one already. */
xa_code xa_cstore_office_put(xa_cstore *s, const struct xa_office *o, xa_err *err);
/* XA_ENOTFOUND when the store has no office identity. */
xa_code xa_cstore_office_get(xa_cstore *s, struct xa_office *out, xa_err *err);
void xa_office_clear(struct xa_office *o);

/* Append one audit row (time = xa_now()). */
xa_code xa_cstore_audit(xa_cstore *s, const char *command, const char *summary, xa_err *err);
struct xa_caudit {
    int64_t id;
    const char *at, *command, *summary;
};
xa_code xa_cstore_audit_list(xa_cstore *s, struct xa_caudit **out, size_t *n, xa_err *err);
void xa_caudit_free(struct xa_caudit *a, size_t n);

/* ---- inspectors ------------------------------------------------------------ */

struct xa_inspector {
    const char *fingerprint; /* canonical, with dashes */
    const char *name;
    const char *sign_key;
    const char *age_recipient;
    const char *enrolled;
    int64_t enrolled_at;
    const char *revoked; /* NULL while active */
    int64_t revoked_at;
    /* at the revocation: the last bundle and visit sequence merged from this
     * inspector; afterwards nothing beyond them merges (unless allowed) */
    int64_t revoked_bundle_seq, revoked_visit_seq;
};
/* Enrol; XA_EEXIST when the fingerprint (or sign key) is enrolled already. */
xa_code xa_cstore_inspector_add(xa_cstore *s, const struct xa_inspector *i, xa_err *err);
/* XA_ENOTFOUND when not enrolled. */
xa_code xa_cstore_inspector_get(xa_cstore *s, const char *fingerprint, struct xa_inspector *out,
                                xa_err *err);
/* Mark revoked at time at; XA_ENOTFOUND / XA_ESTATE (already revoked). */
xa_code xa_cstore_inspector_revoke(xa_cstore *s, const char *fingerprint, int64_t at,
                                   xa_err *err);
/* Admit one bundle (its file hash) from a revoked inspector (the caller's transaction). */
xa_code xa_cstore_revoke_allow(xa_cstore *s, const char *fingerprint, const char *hash,
                               const char *file, xa_err *err);
/* Was the bundle with this file hash admitted from this inspector? */
xa_code xa_cstore_revoke_allowed(xa_cstore *s, const char *fingerprint, const char *hash,
                                 int *yes, xa_err *err);
xa_code xa_cstore_inspectors(xa_cstore *s, struct xa_inspector **out, size_t *n, xa_err *err);
void xa_inspector_clear(struct xa_inspector *i);
void xa_inspectors_free(struct xa_inspector *v, size_t n);

/* ---- schools ---------------------------------------------------------------- */

struct xa_cschool {
    const char *code, *name, *county, *type; /* type: the English key */
    int boarding, canteen, lab, bus;
    int64_t students;
    const char *address, *pinyin;
    const char *school_id;  /* 学校标识码, "" when not given (NULL reads as "") */
    int private_;           /* 民办 */
    int kindergarten_class; /* 附设幼儿班 */
    int64_t boarders;       /* -1 unknown */
    const char *tier;       /* normal | weak | key (NULL reads as normal) */
};
/* Insert or update by code; *changed (may be NULL) = 1 new, 2 updated, 0 same. */
xa_code xa_cstore_school_put(xa_cstore *s, const struct xa_cschool *c, int *changed,
                             xa_err *err);
/* Schools ordered by county, code; county NULL for all. */
xa_code xa_cstore_schools(xa_cstore *s, const char *county, struct xa_cschool **out, size_t *n,
                          xa_err *err);
xa_code xa_cstore_school_exists(xa_cstore *s, const char *code, int *yes, xa_err *err);
void xa_cschool_clear(struct xa_cschool *c);
void xa_cschools_free(struct xa_cschool *v, size_t n);

/* ---- forms -------------------------------------------------------------------- */

struct xa_cform {
    const char *id;
    int64_t version;
    const char *hash, *title, *category;
    int64_t items, major;
    const char *doc; /* the form JSON as xa_form_to_json writes it */
    const char *imported;
};
/* Add a form version; *added = 1 new, 0 already there with the same hash.
 * The same id and version with another hash is XA_EEXIST (versions are
 * immutable: bump the version). */
xa_code xa_cstore_form_put(xa_cstore *s, const struct xa_cform *f, int *added, xa_err *err);
/* Forms ordered by id, version; latest_only keeps the highest version of each. */
xa_code xa_cstore_forms(xa_cstore *s, int latest_only, struct xa_cform **out, size_t *n,
                        xa_err *err);
/* Is this exact (id, version, hash) imported? */
xa_code xa_cstore_form_known(xa_cstore *s, const char *id, int64_t version, const char *hash,
                             int *yes, xa_err *err);
void xa_cforms_free(struct xa_cform *v, size_t n);

/* ---- bundles, visits and their decoded rows ---------------------------------- */

struct xa_cbundle {
    const char *hash;   /* BLAKE2b-256 of the file, hex */
    const char *sender; /* fingerprint */
    int64_t seq;
    const char *prev; /* NULL for the first */
    const char *created;
    int64_t created_at;
    const char *file; /* the base name it arrived under */
    int64_t visits;
    const char *received;
    const char *content; /* the trailer's BLAKE2b-512 of the lines, hex (NULL before schema 4) */
};
xa_code xa_cstore_bundle_known(xa_cstore *s, const char *hash, int *yes, xa_err *err);
/* The file hash of the bundle merged with this content hash ("" and *yes 0 if none):
 * a re-encrypted copy of a merged bundle is that bundle. */
xa_code xa_cstore_bundle_by_content(xa_cstore *s, const char *content, char hash[65], int *yes,
                                    xa_err *err);
xa_code xa_cstore_bundle_add(xa_cstore *s, const struct xa_cbundle *b, xa_err *err);
/* Bundles of one sender (NULL: all) ordered by sender, seq, hash. */
xa_code xa_cstore_bundles(xa_cstore *s, const char *sender, struct xa_cbundle **out, size_t *n,
                          xa_err *err);
void xa_cbundles_free(struct xa_cbundle *v, size_t n);
/* Link a visit to a bundle that carried it (idempotent); the visit's
 * findings name the first bundle (by seq) that carried it. */
xa_code xa_cstore_bundle_visit(xa_cstore *s, const char *bundle, const char *visit, xa_err *err);
/* The same for a visit added in this transaction just before (its first
 * bundle): the link only, no anomaly to re-point. */
xa_code xa_cstore_bundle_visit_new(xa_cstore *s, const char *bundle, const char *visit,
                                   xa_err *err);
/* Visit ids carried by a bundle, sorted (free with xa_strv_free). */
xa_code xa_cstore_bundle_visits(xa_cstore *s, const char *bundle, char ***ids, size_t *n,
                                xa_err *err);

struct xa_cvisit {
    const char *id, *inspector;
    int64_t seq;
    const char *prev;   /* NULL for seq 1 */
    const char *hash;   /* BLAKE2b-256 of the canonical sealed document */
    const char *record; /* the signed bundle record, canonical JSON */
    const char *school, *school_name, *county, *kind;
    const char *arrived;
    int64_t arrived_at;
    const char *sealed;
    int64_t sealed_at;
    const char *corrects; /* NULL or the id of the visit it corrects */
    const char *received;
};
/* Record which form version a visit used (idempotent). */
xa_code xa_cstore_visit_form_add(xa_cstore *s, const char *visit, const char *form,
                                 int64_t version, const char *hash, xa_err *err);
/* The stored document hash of a visit id, or *hash = NULL when unknown. */
xa_code xa_cstore_visit_hash(xa_cstore *s, const char *id, char **hash, xa_err *err);
/* The same and, in the same statement, whether the roster has school (the
 * merge asks both of every visit it reads). */
xa_code xa_cstore_visit_hash_school(xa_cstore *s, const char *id, const char *school,
                                    char **hash, int *school_known, xa_err *err);
xa_code xa_cstore_visit_add(xa_cstore *s, const struct xa_cvisit *v, xa_err *err);
/* Visits ordered by arrival time and id; inspector NULL for all. */
xa_code xa_cstore_visits(xa_cstore *s, const char *inspector, struct xa_cvisit **out, size_t *n,
                         xa_err *err);
void xa_cvisits_free(struct xa_cvisit *v, size_t n);

/* The chain of one inspector: (seq, id, prev, hash) of every stored visit,
 * ordered by seq then id; used to find gaps and forks. */
struct xa_clink {
    int64_t seq;
    const char *id, *prev, *hash;
};
xa_code xa_cstore_visit_chain(xa_cstore *s, const char *inspector, struct xa_clink **out,
                              size_t *n, xa_err *err);
/* The same for the sender's bundles (id = bundle hash, hash = bundle hash). */
xa_code xa_cstore_bundle_chain(xa_cstore *s, const char *sender, struct xa_clink **out,
                               size_t *n, xa_err *err);
/* The part of a chain that links with seqs lo..hi can change: from the
 * nearest stored seq below lo to the nearest above hi (each when there is
 * one), in the same order. */
xa_code xa_cstore_visit_chain_near(xa_cstore *s, const char *inspector, int64_t lo, int64_t hi,
                                   struct xa_clink **out, size_t *n, xa_err *err);
xa_code xa_cstore_bundle_chain_near(xa_cstore *s, const char *sender, int64_t lo, int64_t hi,
                                    struct xa_clink **out, size_t *n, xa_err *err);
void xa_clinks_free(struct xa_clink *v, size_t n);

struct xa_canswer {
    const char *visit, *form, *code, *result;
    int has_value;
    int64_t value;
    const char *text; /* NULL when absent */
    const char *note, *location;
};
/* Add n answers (those already stored are left as they are). */
xa_code xa_cstore_answers_add(xa_cstore *s, const struct xa_canswer *a, size_t n, xa_err *err);

/* Derived hazard states (stored); "overdue" is computed against a date. */
#define XA_HSTATE_OPEN "open"
#define XA_HSTATE_RECHECKED "rechecked"
#define XA_HSTATE_CLOSED "closed"

struct xa_chazard {
    const char *id, *visit, *inspector, *school, *form, *code, *category, *severity;
    const char *description, *location, *requirement, *deadline, *responsible, *measures, *notes;
    int rectified_on_site;
    const char *found;
    int64_t found_at;
    /* derived from the events (xa_cstore_hazard_set_state) */
    const char *state;  /* open | rechecked | closed */
    const char *closed; /* time it was closed, or NULL */
    int64_t closed_at;
    int64_t rechecks;
    const char *last_check, *last_verdict, *last_checker; /* NULL before any re-check */
    /* filled by queries, ignored by add */
    const char *school_name, *county, *inspector_name, *last_checker_name;
};
/* Insert a hazard with its derived fields as given (state NULL: open, the
 * others empty); *added = 0 when the id exists already. */
xa_code xa_cstore_hazard_add(xa_cstore *s, const struct xa_chazard *h, int *added, xa_err *err);
xa_code xa_cstore_hazard_get(xa_cstore *s, const char *id, struct xa_chazard *out, xa_err *err);
/* The same row without the names joined in (school_name, county,
 * inspector_name, last_checker_name stay NULL): what deriving its state needs. */
xa_code xa_cstore_hazard_own(xa_cstore *s, const char *id, struct xa_chazard *out, xa_err *err);
/* Has any event of this hazard id been stored (a follow-up may come first)? */
xa_code xa_cstore_hazard_has_events(xa_cstore *s, const char *id, int *yes, xa_err *err);
/* Which visit recorded a hazard id (*visit NULL when unknown). */
xa_code xa_cstore_hazard_visit(xa_cstore *s, const char *id, char **visit, xa_err *err);
xa_code xa_cstore_hazard_set_state(xa_cstore *s, const struct xa_chazard *h, xa_err *err);
/* Hazards with school, county and inspector names, ordered by found time and
 * id; county NULL for all; state NULL for all or "open"/"closed". */
xa_code xa_cstore_hazards(xa_cstore *s, const char *county, const char *state,
                          struct xa_chazard **out, size_t *n, xa_err *err);
/* The same rows one at a time (constant memory): fn gets each hazard (freed
 * after it returns) and stops the walk by returning non-zero. */
xa_code xa_cstore_hazards_each(xa_cstore *s, const char *county, const char *state,
                               int (*fn)(const struct xa_chazard *h, void *ctx), void *ctx,
                               xa_err *err);
void xa_chazard_clear(struct xa_chazard *h);
void xa_chazards_free(struct xa_chazard *v, size_t n);

#define XA_EV_FOUND "found"
#define XA_EV_ONSITE "rectified-on-site"
#define XA_EV_FOLLOWUP "follow-up"

struct xa_cevent {
    const char *hazard, *visit, *kind;
    const char *verdict; /* follow-ups: rectified | partly | not-rectified | unable */
    const char *at;      /* as recorded */
    int64_t at_epoch;
    const char *inspector, *note;
};
/* Add an event (idempotent on hazard, visit, kind). */
xa_code xa_cstore_event_add(xa_cstore *s, const struct xa_cevent *e, xa_err *err);
/* Events of one hazard ordered by time, kind, visit. */
xa_code xa_cstore_events(xa_cstore *s, const char *hazard, struct xa_cevent **out, size_t *n,
                         xa_err *err);
void xa_cevents_free(struct xa_cevent *v, size_t n);

/* ---- anomalies, quarantine ------------------------------------------------------ */

struct xa_canomaly {
    const char *id;   /* deterministic: the same finding gives the same id */
    const char *kind; /* conflict | gap | fork | unknown-school | unknown-form | ... */
    const char *inspector, *visit, *bundle; /* each may be NULL */
    const char *detail;
    const char *detected;
};
/* Add unless the id is there already. */
xa_code xa_cstore_anomaly_add(xa_cstore *s, const struct xa_canomaly *a, xa_err *err);
/* Delete the anomalies of one kind and inspector (the derived chain findings
 * are recomputed after each merge). */
xa_code xa_cstore_anomaly_clear(xa_cstore *s, const char *kind, const char *inspector,
                                xa_err *err);
/* Delete one anomaly by its id (none: nothing happens). */
xa_code xa_cstore_anomaly_drop(xa_cstore *s, const char *id, xa_err *err);
/* The same for n ids, up to 16 in one statement (the merge drops a chain
 * window's possible findings, several per visit). */
xa_code xa_cstore_anomaly_drop_each(xa_cstore *s, char *const *ids, size_t n, xa_err *err);
/* Drop unknown-school / unknown-form findings that the roster and forms
 * imported since then resolve (every form the visit names is now known). */
xa_code xa_cstore_anomalies_resolve(xa_cstore *s, xa_err *err);
xa_code xa_cstore_anomalies(xa_cstore *s, struct xa_canomaly **out, size_t *n, xa_err *err);
void xa_canomalies_free(struct xa_canomaly *v, size_t n);

struct xa_cquarantine {
    const char *id, *file, *path, *hash, *reason, *received;
};
xa_code xa_cstore_quarantine_add(xa_cstore *s, const struct xa_cquarantine *q, xa_err *err);
xa_code xa_cstore_quarantine(xa_cstore *s, struct xa_cquarantine **out, size_t *n, xa_err *err);
/* Remove one quarantine row (the caller's transaction; the copy is the caller's). */
xa_code xa_cstore_quarantine_delete(xa_cstore *s, const char *id, xa_err *err);
void xa_cquarantine_free(struct xa_cquarantine *v, size_t n);

/* ---- briefs sent ------------------------------------------------------------------ */

struct xa_cbrief {
    const char *hash, *inspector;
    int64_t seq;
    const char *prev, *created, *file;
    int64_t schools, forms, hazards, receipts;
};
/* The last brief sent to an inspector: *seq 0 and *prev NULL when none. */
xa_code xa_cstore_brief_last(xa_cstore *s, const char *inspector, int64_t *seq, char **prev,
                             xa_err *err);
xa_code xa_cstore_brief_add(xa_cstore *s, const struct xa_cbrief *b, xa_err *err);

/* ---- reports ------------------------------------------------------------------------ */

/* A count grouped by up to two keys. */
struct xa_ccount {
    const char *a, *b;
    int64_t n;
};
/* Visits by county and kind. */
xa_code xa_cstore_count_visits(xa_cstore *s, struct xa_ccount **out, size_t *n, xa_err *err);
/* Hazards by category and severity. */
xa_code xa_cstore_count_hazards(xa_cstore *s, struct xa_ccount **out, size_t *n, xa_err *err);
void xa_ccounts_free(struct xa_ccount *v, size_t n);

/* Every school with the time of its latest visit (last_at 0 = never). */
struct xa_clastvisit {
    const char *code, *name, *county;
    int64_t last_at;
    const char *last; /* NULL when never visited */
};
xa_code xa_cstore_last_visits(xa_cstore *s, struct xa_clastvisit **out, size_t *n, xa_err *err);
void xa_clastvisits_free(struct xa_clastvisit *v, size_t n);

/* How many visits of one inspector are stored. */
xa_code xa_cstore_inspector_visits(xa_cstore *s, const char *fingerprint, int64_t *n,
                                   xa_err *err);

/* Table row counts (for summaries). */
xa_code xa_cstore_count(xa_cstore *s, const char *table, int64_t *n, xa_err *err);

/* What the store's statements did since it was opened (benchmarks and the
 * tests that hold the merge to its work): statements run, rows stepped in
 * full-table scans, pages written to the log, pages read from the file;
 * number_lookups: the next registration number looked up in the store
 * (MAX(seq) of a county and year: once per pair in a transaction). */
struct xa_cstore_stats {
    uint64_t statements, fullscan_steps, pages_written, pages_read;
    uint64_t number_lookups;
};
void xa_cstore_stats(xa_cstore *s, struct xa_cstore_stats *out);

/* A BLAKE2b-256 digest (hex) over the sorted rows of every table, leaving
 * out the times of receipt (received, merged, detected, imported, audit,
 * quarantine paths).  Two stores holding the same merged content have the
 * same digest whatever order the bundles arrived in. */
xa_code xa_cstore_digest(xa_cstore *s, char out[65], xa_err *err);
/* The same, also over the audit log (command, summary) and quarantine (file,
 * hash, reason): what every command did, without when or where. */
xa_code xa_cstore_digest_all(xa_cstore *s, char out[65], xa_err *err);

void xa_strv_free(char **v, size_t n);

/* ---- the office's view of visits (central_visits.c) ----------------------------- */

/* Which visits to list: every field may be NULL / 0 for "any".  from_at and
 * to_at bound arrived_at (seconds, from inclusive, to exclusive). */
struct xa_cvisit_filter {
    const char *school, *inspector, *county;
    int64_t from_at, to_at;
    int with_record; /* also read the signed record (large) */
    int no_counts;   /* leave answers/hazards/followups at 0 (faster) */
};
/* A visit with the names and counts a list shows (record NULL unless asked). */
struct xa_cvisit_row {
    struct xa_cvisit v;
    const char *inspector_name;
    int64_t answers, hazards, followups;
    const char *corrected_by; /* a later visit that corrects this one (with the counts), or NULL */
};
/* Visits ordered by arrival time and id. */
xa_code xa_cstore_visit_rows(xa_cstore *s, const struct xa_cvisit_filter *f,
                             struct xa_cvisit_row **out, size_t *n, xa_err *err);
void xa_cvisit_rows_free(struct xa_cvisit_row *v, size_t n);
/* One visit with its record; XA_ENOTFOUND when unknown.  id may be a unique
 * prefix of at least 6 hex digits.  Release it with xa_cvisit_row_clear. */
xa_code xa_cstore_visit_row(xa_cstore *s, const char *id, struct xa_cvisit_row *out,
                            xa_err *err);
void xa_cvisit_row_clear(struct xa_cvisit_row *r);
/* The bundles that carried a visit, by seq. */
xa_code xa_cstore_visit_bundles(xa_cstore *s, const char *visit, struct xa_cbundle **out,
                                size_t *n, xa_err *err);
/* What a period report reads, streamed: the hazards that can matter to a
 * period [from_at, to_at) — found before its end and not closed before its
 * start — and the visits before its end, each lent to fn with its strings
 * borrowed from the query (valid until fn returns; nothing is copied), in
 * no particular order; fn stops the walk by returning non-zero.  county NULL:
 * all; a school missing from the roster takes its visit's name and county. */
struct xa_cperiod_hazard {
    const char *id, *school, *school_name, *county, *category, *severity, *description;
    const char *deadline; /* as found, "" for none */
    const char *found;    /* as recorded (RFC 3339 with the inspector's offset) */
    int64_t found_at;
    int closed;           /* state closed (closed_at then) */
    int64_t closed_at;
    const char *number;   /* registration number (莲都-2026-0012), "" when never registered */
};
xa_code xa_cstore_period_hazards_each(xa_cstore *s, const char *county, int64_t from_at,
                                      int64_t to_at,
                                      int (*fn)(const struct xa_cperiod_hazard *h, void *ctx),
                                      void *ctx, xa_err *err);
struct xa_cperiod_visit {
    const char *school, *county, *kind;
    int64_t arrived_at;
};
xa_code xa_cstore_period_visits_each(xa_cstore *s, const char *county, int64_t to_at,
                                     int (*fn)(const struct xa_cperiod_visit *v, void *ctx),
                                     void *ctx, xa_err *err);
/* The anomalies that name a visit or its inspector. */
xa_code xa_cstore_visit_anomalies(xa_cstore *s, const char *visit, const char *inspector,
                                  struct xa_canomaly **out, size_t *n, xa_err *err);

#endif
