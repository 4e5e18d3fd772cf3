/* central.h — the office (src/central/): the closed loop of hazards, the
 * hazard ledger (隐患台账) and the summary report, merging bundles into the
 * central store, writing briefs, and the office identity.
 *
 * Everything here reaches the data through centralstore.h; the commands in
 * src/cmd/central.c only parse options, call these and print. */
#ifndef XIAOAN_CENTRAL_H
#define XIAOAN_CENTRAL_H

#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/error.h"
#include "xiaoan/forms.h"
#include "xiaoan/identity.h"
#include "xiaoan/ids.h"
#include "xiaoan/loopstore.h"
#include "xiaoan/mem.h"
#include "xiaoan/roster.h"
#include "xiaoan/visit.h"
#include "xiaoan/vocab.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the closed loop (hazard.c) ------------------------------------------------- */

/* The loop's settings. */
struct xa_loop_rules {
    int general_office;     /* signoff.general = office: general hazards need a sign-off too */
    int64_t escalate_after; /* escalate.after_days: overdue this long is due for 督办 */
    int64_t reply_days;     /* notice.reply_days */
    char prefix[64];        /* notice.prefix */
};
/* Read the rules from the store's settings (defaults: field, 7, 10, 校安整改). */
xa_code xa_loop_rules_load(xa_cstore *s, struct xa_loop_rules *r, xa_err *err);

/* One step of a hazard's deadline history. */
struct xa_deadline_step {
    char *date;  /* the deadline from then on */
    char *why;   /* 发现时确定 / 部分整改 / 延期: reason (the document's words) */
    char *at;    /* when it was set */
    const char *cause; /* the same as a key: "found", "partly", "not-rectified", "extended" */
    char *note;  /* "extended": the office's reason as typed; else NULL */
};

/* A hazard's loop, derived from all of its events. */
struct xa_hloop {
    char *number;          /* registration number, "" before registration */
    char *interim;         /* 临时管控措施, "" none */
    const char *state;     /* XA_HSTATE_OPEN / _RECHECKED / _CLOSED */
    char *rechecked_at;    /* when it last became rechecked (NULL otherwise) */
    char *closed_at;       /* when it closed, RFC 3339 (NULL while not closed) */
    int64_t closed_epoch;
    char *closed_by;       /* inspector or office person */
    const char *closed_how; /* on-site | re-check | sign-off */
    char *deadline;        /* the current deadline */
    struct xa_deadline_step *deadlines; /* history, first = at the finding */
    size_t ndeadlines;
    char *extended_to;     /* the last 延期 target, NULL when never extended */
    int escalation;        /* 0, 1 督办, 2 挂牌督办 */
    char *notice, *notice_date, *reply_date;
    int64_t rechecks;      /* trusted re-checks, field and office */
    char *last_check, *last_verdict, *last_checker, *last_note;
    char *last_checker_id; /* fingerprint of a field re-checker, the name for the office */
    size_t ignored;        /* follow-ups not trusted (other school, not after the finding) */
};

/* Derive the loop of hazard h from its field events (found, rectified on
 * site, follow-ups with the school of their visit) and the office's actions,
 * taken in time order (ties: found, on-site, follow-up, office action by
 * its id), so merge order never matters:
 *  - open from the finding;
 *  - rectified on site, or a trusted re-check (field or office) finding it
 *    rectified: a general hazard closes (unless rules->general_office), a
 *    major one becomes rechecked;
 *  - partly / not-rectified: open again (an office re-check may carry a new
 *    deadline); unable: nothing;
 *  - sign-off: closed; extend: the new deadline; escalate: the level;
 *    reply, notice: recorded.
 * A field follow-up is trusted only when it comes from another visit at
 * the hazard's school and was checked no earlier than the finding.  reg
 * may be NULL. */
void xa_hazard_loop(const struct xa_chazard *h, const struct xa_creg *reg,
                    const struct xa_cfield *ev, size_t nev, const struct xa_caction *act,
                    size_t nact, const struct xa_loop_rules *rules, struct xa_hloop *out);
void xa_hloop_clear(struct xa_hloop *l);

/* 逾期, the one rule every output uses (the ledger, the story, `central
 * visit`, the period report): a hazard is overdue on day `day` when its
 * deadline has passed and it is not closed — issue 12's "deadline passed,
 * not closed".  A re-checked hazard waiting for its sign-off (已整改待销号) is
 * not closed, so it stays overdue.  Returns the days past `deadline` (a day
 * number, XA_NO_DEADLINE for none), 0 when not overdue. */
#define XA_NO_DEADLINE (-1) /* day numbers count from 1970: no deadline is before it */
int64_t xa_overdue_days(int closed, int64_t deadline, int64_t day);
/* A deadline date (YYYY-MM-DD) as a day number, XA_NO_DEADLINE for none. */
int64_t xa_deadline_day(const char *date);
/* Does office action a set a new deadline (延期, or a re-check of 部分整改 /
 * 未整改 with a date)?  The loop's deadline history and the period report's
 * deadline in force at a day both use this test. */
int xa_action_moves_deadline(const struct xa_caction *a);
/* Days past the current deadline on `today` while not closed (0 otherwise):
 * xa_overdue_days on the loop. */
int64_t xa_hloop_overdue(const struct xa_hloop *l, int64_t today);
/* The state shown on day today: "overdue" (逾期) for an open hazard past its
 * deadline, else the loop's state (open / rechecked / closed). */
const char *xa_hloop_shown_state(const struct xa_hloop *l, int64_t today);
/* The escalation level an overdue hazard is due for (0 none): 1 after
 * escalate_after days overdue, 2 after twice that, when not there yet. */
int xa_hloop_due(const struct xa_hloop *l, const struct xa_loop_rules *r, int64_t today);
/* The escalation due for a hazard `late` days overdue at level `level`, with
 * escalate.after_days `after` (the ledger's and the report's one rule). */
int xa_escalation_due(int64_t late, int level, int64_t after);

/* One step of a hazard's history: a field event or an office action, in the
 * loop's order (time; found, on-site, follow-up, office; then action id or
 * visit) — the loop and the story (central hazard) sort with the same rule. */
struct xa_hstep {
    int64_t at;
    int rank; /* found 0, on-site 1, follow-up 2, office 3 */
    const struct xa_cfield *ev;
    const struct xa_caction *act;
};
int xa_hstep_rank(const char *field_kind);
int xa_hstep_cmp(const void *a, const void *b); /* qsort over struct xa_hstep */
/* Why the loop does not trust a field event for h: "other-school" or
 * "before-finding" for a follow-up from another school, or from before the
 * finding or the finding's own visit; NULL when trusted. */
const char *xa_followup_distrust(const struct xa_chazard *h, const struct xa_cfield *e);

/* A hazard with its loop. */
struct xa_hview {
    struct xa_chazard h;
    struct xa_hloop l;
    char *kind;  /* the method of the visit that found it (four-not-two-direct, ...) */
    char *basis; /* 依据: the legal basis of its checklist item ("" unknown) */
};
/* Every hazard (county NULL: all) with its loop, ordered by found time, id. */
xa_code xa_hazard_views(xa_cstore *s, const char *county, struct xa_hview **out, size_t *n,
                        xa_err *err);
/* What deriving loops needs besides the hazard rows (registrations, field
 * events, office actions, visit methods, forms for 依据, the rules), read
 * once, for callers that stream hazards (xa_cstore_hazards_each). */
typedef struct xa_loop_book xa_loop_book;
xa_code xa_loop_book_load(xa_cstore *s, xa_loop_book **out, xa_err *err);
/* The view of h: out->h is a shallow copy of *h (not owned: release the
 * view with xa_loop_book_release, never xa_hview_clear). */
void xa_loop_book_view(xa_loop_book *b, const struct xa_chazard *h, struct xa_hview *out);
void xa_loop_book_release(struct xa_hview *v);
const struct xa_loop_rules *xa_loop_book_rules(const xa_loop_book *b);
void xa_loop_book_free(xa_loop_book *b);

/* One hazard by id (XA_ENOTFOUND). */
xa_code xa_hazard_view(xa_cstore *s, const char *id, struct xa_hview *out, xa_err *err);
/* The loop of one hazard from its own rows (no kind, no basis): for
 * callers naming a few hazards (`central visit`), without the whole book.
 * Release with xa_hview_clear. */
xa_code xa_hazard_loop_view(xa_cstore *s, const char *id, struct xa_hview *out, xa_err *err);
void xa_hview_clear(struct xa_hview *v);
void xa_hviews_free(struct xa_hview *v, size_t n);

/* Recompute and store the derived state of one hazard (no-op when the
 * hazard is not in the store yet). */
xa_code xa_hazard_refresh(xa_cstore *s, const char *hazard_id, xa_err *err);
/* The same for n hazards, the office's rules read once (a merge). */
xa_code xa_hazard_refresh_each(xa_cstore *s, const char *const *ids, size_t n, xa_err *err);

/* Give every hazard without a registration number its number, in the order
 * they were found (stores from before registration numbers). */
xa_code xa_hazard_register_missing(xa_cstore *s, xa_err *err);
/* The short county name for numbers: county.h's, or the name without its
 * 区/县/市 for a county the table does not know. */
char *xa_hazard_county_abbr(const char *county);

/* Find the follow-ups the loop does not trust and keep each as one
 * `followup-mismatch` anomaly (other school, checked before the finding,
 * or a hazard the office does not know — held until it arrives); drop the
 * findings that no longer hold.  Deterministic: the same store content
 * gives the same anomalies whatever the merge order. */
xa_code xa_hazard_check_followups(xa_cstore *s, xa_err *err);
/* The same for the follow-ups that name one of hazards[0..n) — what a merge
 * calls with the hazards a bundle touched: the same anomalies as the whole
 * check, at a cost that does not grow with the store. */
xa_code xa_hazard_check_followups_of(xa_cstore *s, char *const *hazards, size_t n, xa_err *err);

/* The hazard id that `text` names: registration number, id, a unique id
 * prefix (4+ hex digits), or the old ledger number (20261129-3FA2C1).
 * XA_ENOTFOUND "unknown hazard 'X'", XA_EUSAGE when a prefix is ambiguous. */
xa_code xa_hazard_resolve(xa_cstore *s, const char *text, char **id, xa_err *err);

/* ---- the office's actions (hazard_act.c) ------------------------------------------ */

/* One office action on hazards (XA_ACT_REPLY, _RECHECK, _SIGNOFF, _EXTEND,
 * _ESCALATE; notices are notice.c's). */
struct xa_act {
    const char *kind;
    const char *date;    /* reply: received; extend: the new deadline;
                          * recheck: a new deadline (partly / not only), else NULL */
    const char *verdict; /* recheck: rectified | partly | not-rectified (xa_act_verdict) */
    int level;           /* escalate: 1 督办, 2 挂牌督办 */
    const char *by;      /* who (NULL: the office's name; sign-off: required) */
    const char *note;    /* extend: the reason (required) */
};
/* A hazard after the action. */
struct xa_act_done {
    char *id, *number;
    const char *state; /* XA_HSTATE_* */
    int64_t overdue;   /* days */
    char *deadline;    /* "" none */
    int escalation;
};
/* Record action a on every hazard names[0..n) names (registration number,
 * id or unique prefix; the same hazard twice counts once) on day today,
 * in one audited transaction ("central reply" ...): every hazard gets it
 * or, when one cannot take it, none does and the store is unchanged.
 * Rules: nothing on a closed hazard; sign-off only from rechecked; a reply
 * date not in the future nor before the finding; an extension's --to after
 * the current deadline and a reason; a recheck deadline only with partly or
 * not, not in the past; an escalation only raises the level.  Errors:
 * XA_ENOTFOUND unknown hazard, XA_EFORMAT bad date, XA_ESTATE wrong state,
 * XA_EUSAGE the rest.  *done (may be NULL) gets each hazard as it is now. */
xa_code xa_hazard_act(xa_cstore *s, const char *const *names, size_t n, const struct xa_act *a,
                      int64_t today, struct xa_act_done **done, size_t *ndone, xa_err *err);
void xa_act_done_free(struct xa_act_done *d, size_t n);
/* A --verdict as typed (rectified | partly | not | not-rectified | 已整改 ...)
 * to its key; *key is static. */
xa_code xa_act_verdict(const char *text, const char **key, xa_err *err);

/* One hazard's whole story (`central hazard`): the hazard text names
 * (xa_hazard_resolve), its fields and derived state, then every field event
 * and office action in the loop's order, with notes (re-check notes too)
 * and the follow-ups the loop did not trust marked.  json: the ledger's
 * object (xa_hazard_json) plus "history".  Appended to out. */
xa_code xa_hazard_story(xa_cstore *s, const char *text, int json, int64_t today, xa_buf *out,
                        xa_err *err);

/* ---- notices, 安全隐患整改通知书 (notice.c) ---------------------------------------- */

typedef enum { XA_NOTICE_PDF, XA_NOTICE_TEXT } xa_notice_format;

/* What to issue: the open hazards of one visit (id or unique prefix) or of
 * one school (code) that are on no notice yet. */
struct xa_notice_req {
    const char *visit, *school; /* exactly one */
    int64_t today;              /* the issue date (day number) */
    xa_notice_format format;
    const char *path;           /* write the rendering here (0600); NULL: to out */
    int flags;                  /* XA_OUT_FORCE (fsutil.h): path may replace a file */
};
struct xa_notice_issued {
    char *number; /* 校安整改〔2026〕7号 */
    size_t hazards, majors;
};
/* Issue a notice: its number {notice.prefix}〔{year}〕{n}号 (n the next of
 * the year), the notice with its document, a `notice` action on each
 * hazard and the audit row, in one transaction; the rendering goes to
 * q->path (written before the commit; nothing is issued when it cannot be
 * written) or is appended to out.  Errors: XA_ENOTFOUND unknown visit or
 * school, XA_ESTATE no open hazard to put on a notice. */
xa_code xa_notice_issue(xa_cstore *s, const struct xa_notice_req *q, xa_buf *out,
                        struct xa_notice_issued *done, xa_err *err);
void xa_notice_issued_clear(struct xa_notice_issued *d);
/* Render an issued notice again from its stored document (the same bytes
 * as when issued); text is its number or YEAR-N (2026-7).  XA_ENOTFOUND
 * "unknown notice". */
xa_code xa_notice_reprint(xa_cstore *s, const char *text, xa_notice_format fmt, const char *path,
                          int flags, xa_buf *out, xa_err *err);
/* The number of the notice text names (number or YEAR-N). */
xa_code xa_notice_find(xa_cstore *s, const char *text, char **number, xa_err *err);
/* Render a notice document (the notices.doc JSON) as PDF or text into out. */
xa_code xa_notice_render(const char *doc_json, xa_notice_format fmt, xa_buf *out, xa_err *err);

/* The state as the ledger shows it on day `today` (days since the epoch):
 * XA_HS_CLOSED, XA_HS_RECHECKED, XA_HS_OVERDUE (open and past its stored
 * deadline) or XA_HS_OPEN; its key and labels are vocab.h's
 * (xa_vocab_hstates).  The office's extensions are in the loop: use
 * xa_hloop_overdue on a view for those. */
xa_hstate xa_hazard_state_on(const struct xa_chazard *h, int64_t today);

/* Chinese label of an escalation level: "" for none, 督办, 挂牌督办. */
const char *xa_escalation_label(int level);
/* Chinese label of how a hazard closed: 当场整改 / 复查销号 / 办公室销号. */
const char *xa_closed_how_label(const char *how);

/* The old ledger number of a hazard: found date + the first six hex digits
 * of its id, "20261129-3FA2C1" (still accepted by xa_hazard_resolve). */
void xa_hazard_number(const struct xa_chazard *h, char out[32]);

/* Today's date in China Standard Time, as a day number (honours XIAOAN_NOW). */
int64_t xa_today(void);

/* ---- ledger and report (ledger.c, report.c) -------------------------------------- */

typedef enum {
    XA_LEDGER_OPEN,      /* 待整改 (overdue ones included) */
    XA_LEDGER_RECHECKED, /* 已整改待销号 */
    XA_LEDGER_OVERDUE,   /* not closed and past the (extended) deadline: xa_hloop_overdue */
    XA_LEDGER_ESCALATED, /* 督办 / 挂牌督办, not closed */
    XA_LEDGER_CLOSED,    /* 已销号 */
    XA_LEDGER_ALL
} xa_ledger_sel;
typedef enum { XA_OUT_TEXT, XA_OUT_CSV, XA_OUT_JSON } xa_out_format;

xa_code xa_ledger_sel_parse(const char *s, xa_ledger_sel *out, xa_err *err);
xa_code xa_out_format_parse(const char *s, xa_out_format *out, xa_err *err);

/* The hazard ledger appended to out: text aligned by display width, CSV
 * (UTF-8 with BOM, CRLF, RFC 4180 quoting, for Excel) or JSON (an array).
 * "open" selects open hazards including overdue ones.  county NULL: all.
 * Columns: see docs/office.md (registration number, the loop's dates,
 * 督办级别, 逾期天数, 销号 ...).
 * *rows (may be NULL) gets the number of hazards listed. */
xa_code xa_ledger_write(xa_cstore *s, xa_ledger_sel sel, const char *county, xa_out_format fmt,
                        int64_t today, xa_buf *out, size_t *rows, xa_err *err);

/* The ledger's columns for other layouts (the workbook): how many, the
 * header of column j, whether it holds a date (YYYY-MM-DD text), and the
 * cells of one hazard with its loop as new strings (cell has
 * xa_ledger_ncols() slots; r from xa_loop_rules_load). */
size_t xa_ledger_ncols(void);
const char *xa_ledger_head(size_t j);
/* The column's head as its msgid (English, the same in every language): a key. */
const char *xa_ledger_head_key(size_t j);
int xa_ledger_col_is_date(size_t j);
void xa_ledger_cells(const struct xa_hview *v, const struct xa_loop_rules *r, int64_t today,
                     char **cell);
/* Is the hazard in the ledger's selection sel on day today? */
int xa_ledger_selected(const struct xa_hview *v, xa_ledger_sel sel, int64_t today);

/* One hazard and its loop as the ledger's JSON object (also `central hazard
 * --format json` without the history). */
json_t *xa_hazard_json(const struct xa_hview *v, const struct xa_loop_rules *r, int64_t today);

/* One CSV field, quoted when needed (RFC 4180), appended to out.  A field a
 * spreadsheet would run as a formula (xa_cell_risky: = + - @ tab CR) gets a
 * leading ' so it stays text. */
void xa_csv_field(xa_buf *out, const char *s);


/* ---- the office identity, enrolment, roster and forms (office.c) ------------------- */

#define XA_OFFICE_DEFAULT_NAME "校安办公室"

/* Create the store at path with a new office identity named name, wrapped
 * under pass at the given cost; audit "central init".  On failure nothing
 * is left behind.  *store and *office (each may be NULL) get the open store
 * and the unlocked identity. */
xa_code xa_office_create(const char *path, const char *name, const char *pass,
                         const xa_kdf_params *kdf, xa_cstore **store, xa_identity **office,
                         xa_err *err);

/* The office identity with its secrets (XA_EPASS for a wrong passphrase). */
xa_code xa_office_unlock(xa_cstore *s, const char *pass, xa_identity **out, xa_err *err);

/* The office identity without secrets (no passphrase needed). */
xa_code xa_office_public(xa_cstore *s, xa_identity **out, xa_err *err);

/* Enrol an inspector from public identity text (as `xiaoan id` prints it);
 * refuses the office's own key and a key enrolled already.  *out (may be
 * NULL) gets the parsed identity.  One transaction with its audit row. */
xa_code xa_office_enroll(xa_cstore *s, const char *text, size_t len, xa_identity **out,
                         xa_err *err);
/* The same, recording the inspector's home county (NULL: none) in the same
 * transaction. */
xa_code xa_office_enroll_county(xa_cstore *s, const char *text, size_t len, const char *county,
                                xa_identity **out, xa_err *err);

/* Revoke an inspector (fingerprint with or without dashes) as of now: the
 * last bundle and visit sequence merged from them are recorded, and later
 * only bundles and visits up to those merge — whatever date a bundle claims.
 * fp (may be NULL) gets the canonical form; bundle_seq/visit_seq (may be
 * NULL) the recorded limits. */
xa_code xa_office_revoke(xa_cstore *s, const char *fingerprint, char fp[XA_FP_MAX],
                         int64_t *bundle_seq, int64_t *visit_seq, xa_err *err);

/* Admit one bundle file (by the BLAKE2b-256 of its bytes, hash gets it) from
 * a revoked inspector: a later merge of exactly that file is not refused for
 * the revocation (it is still verified in full).  One audited transaction;
 * XA_ESTATE when the inspector is not revoked. */
xa_code xa_office_revoke_allow(xa_cstore *s, const char *fingerprint, const char *path,
                               char hash[65], xa_err *err);

struct xa_import_counts {
    size_t added, updated, same;
};

/* Put every school of a roster into the store (insert or update by code),
 * one transaction with its audit row. */
xa_code xa_office_import_roster(xa_cstore *s, const xa_roster *r, const char *source,
                                struct xa_import_counts *n, xa_err *err);

/* Add every form of a set (each version is kept for ever; the same id and
 * version with other content is refused).  status[i] (may be NULL; room for
 * set->n) gets 1 for new, 0 for already there.  One transaction. */
xa_code xa_office_import_forms(xa_cstore *s, const xa_form_set *set, const char *source,
                               int *status, struct xa_import_counts *n, xa_err *err);

/* The value of a setting (vocab.h's XA_SETTINGS): the store's, or the
 * table's default when the store has none.  INT settings as a number;
 * any setting as text (a new string). */
xa_code xa_office_setting_int(xa_cstore *s, xa_setting_id id, int64_t *out, xa_err *err);
xa_code xa_office_setting_text(xa_cstore *s, xa_setting_id id, char **out, xa_err *err);
/* Every setting of the table with its value (the store's or the default),
 * and any other key the store holds, sorted by key (new arrays of new
 * strings; xa_strv_free both). */
xa_code xa_office_settings(xa_cstore *s, char ***keys, char ***values, size_t *n, xa_err *err);

/* Is key a setting the office may change, and value (may be NULL: not checked) a valid
 * value for it?  XA_EUSAGE naming the known keys or the valid range otherwise. */
xa_code xa_office_setting_check(const char *key, const char *value, xa_err *err);

/* Change one setting (checked as above) in one transaction with its audit row. */
xa_code xa_office_setting_set(xa_cstore *s, const char *key, const char *value, xa_err *err);

/* ---- merge (merge.c, merge_visits.c) ------------------------------------------------ */

/* Quarantine keeps at most this much of a file (and the hash of all of it). */
#define XA_QUARANTINE_COPY_MAX (16ull * 1024 * 1024)

/* What happened to one bundle file. */
struct xa_merge_result {
    int accepted;          /* 1 merged (or merged before), 0 rejected */
    int already;           /* merged before (this file, or a re-encrypted copy of it: the
                            * same trailer hash): nothing changed */
    int64_t visits;        /* visit records in the bundle */
    int64_t fresh;         /* of them stored new now */
    int64_t anomalies;     /* anomaly rows this bundle raised */
    int64_t waiting;       /* attachments of its visits that travel in another bundle of
                            * a split export and have not arrived yet */
    char hash[65];         /* BLAKE2b-256 of the file ("" if unreadable or missing) */
    char reason[XA_ERR_MSG_MAX]; /* why it was rejected (one line) */
};

/* Merge one bundle file into the store with the unlocked office identity:
 * one transaction (see docs/office.md for what rejects a bundle and what
 * only raises an anomaly).  Returns XA_OK when the file was dealt with —
 * merged or rejected, see r — and an error only when the store itself
 * failed (then nothing of the bundle was stored). */
xa_code xa_merge_file(xa_cstore *s, const xa_identity *office, const char *path,
                      struct xa_merge_result *r, xa_err *err);

/* ---- quarantine (quarantine.c): `central quarantine` ---------------------------------- */

/* The longest --purge-older accepted (100 years). */
#define XA_QUARANTINE_DAYS_MAX 36500

/* One quarantined file as listed: the row's name (made safe at merge), why,
 * when it came, the whole file's hash, and the bytes kept beside the store
 * (-1: no copy, e.g. the file could not be read or its copy is gone). */
struct xa_quarantine_item {
    char *file, *reason, *received, *hash;
    int64_t size;
};

/* Every quarantined file, oldest first. */
xa_code xa_quarantine_list(xa_cstore *s, struct xa_quarantine_item **out, size_t *n,
                           xa_err *err);
void xa_quarantine_items_free(struct xa_quarantine_item *v, size_t n);

/* What a purge removed. */
struct xa_quarantine_purged {
    size_t rows;    /* quarantine rows removed */
    size_t files;   /* kept copies removed from STORE.quarantine/ */
    uint64_t bytes; /* their size */
};

/* Remove the rows received more than days*24 h before now (one audited
 * transaction), then the copies no remaining row names — only plain files
 * directly inside STORE.quarantine/.  days outside 0..XA_QUARANTINE_DAYS_MAX
 * is XA_EUSAGE. */
xa_code xa_quarantine_purge(xa_cstore *s, int64_t days, int64_t now,
                            struct xa_quarantine_purged *res, xa_err *err);

/* ---- briefs (brief_records.c, brief.c) ---------------------------------------------- */

struct xa_brief_counts {
    size_t schools, forms, hazards, receipts, assignments;
};

/* The records of a brief for one enrolled, active inspector, in the order of
 * docs/formats.md: settings, schools (county NULL: all), the current
 * version of every form, the open hazards of those schools, receipts for
 * every bundle merged from the inspector.  *out is a new JSON array. */
xa_code xa_brief_records(xa_cstore *s, const xa_identity *office, const char *inspector,
                         const char *county, json_t **out, struct xa_brief_counts *counts,
                         xa_err *err);

/* Write the brief of an enrolled, active inspector to path (a temporary file
 * renamed into place): recipients the inspector and the office, signed by the
 * unlocked office identity; manifest seq = the inspector's last brief + 1,
 * prev = that brief's file hash.  Records it (table briefs) with an audit
 * row.  counts and hash (may be NULL) describe what was written. */
xa_code xa_brief_write(xa_cstore *s, const xa_identity *office, const char *inspector,
                       const char *county, const char *path, struct xa_brief_counts *counts,
                       char hash[65], xa_err *err);

/* The same with flags: XA_BRIEF_FORCE replaces an existing file at path
 * (without it an existing path — a file, a symlink, the store — is refused,
 * XA_EEXIST, and nothing is written through a symlink).  A brief issued for
 * the same inspector by another process meanwhile makes this one fail
 * (XA_ESTATE, its file removed): two briefs never share a sequence number. */
#define XA_BRIEF_FORCE 1
xa_code xa_brief_write_ex(xa_cstore *s, const xa_identity *office, const char *inspector,
                          const char *county, const char *path, int flags,
                          struct xa_brief_counts *counts, char hash[65], xa_err *err);

/* The office's age identity "AGE-SECRET-KEY-1..." (office must be unlocked);
 * out is wiped by the caller. */
xa_code xa_office_age_secret(const xa_identity *office, char out[80], xa_err *err);

/* ---- attachments at the office (merge_attach.c) ---- */

/* The content-addressed folder of a store's attachments, STORE.attachments
 * (a new string), and the path of the file with this BLAKE2b-256 in it
 * (DIR/HH/HASH). */
char *xa_cstore_attachments_dir(const char *store_path);
char *xa_attachment_path(const char *dir, const char *hash);

/* ---- the attachments of a hazard or a visit (attachments.c) ---- */

/* One attachment as the office lists it, from the signed visit record. */
struct xa_cattach {
    char *visit, *id;
    char *for_;          /* hazard (整改前) | followup (整改后) | visit */
    char *ref;           /* the hazard id, NULL for the visit's own */
    char *name, *type, *hash, *taken, *added; /* the entry (taken NULL when unknown) */
    int64_t size;
    const char *stage;   /* 整改前 | 整改后 | 检查记录 (static) */
    char *label;         /* the hazard's number (莲都-2026-0012), else school-day */
    char *file;          /* the name it is written out as: 莲都-2026-0012-整改前-1.jpg */
    char *school_name, *day; /* of the visit that carried it */
    int present;         /* its bytes are in STORE.attachments */
};
/* 整改前 / 整改后 / 检查记录 of an entry's "for". */
const char *xa_attach_stage_label(const char *for_);
/* The attachments of a hazard (its number, id or prefix: 整改前 from the
 * finding, then 整改后 from its follow-ups) or of a visit (id or prefix).
 * XA_ENOTFOUND when text names neither, XA_EUSAGE when it is ambiguous. */
xa_code xa_cattachments_of(xa_cstore *s, const char *text, struct xa_cattach **out, size_t *n,
                           xa_err *err);
/* The attachments of the hazard with this id. */
xa_code xa_cattachments_hazard(xa_cstore *s, const char *hazard, struct xa_cattach **out,
                               size_t *n, xa_err *err);
void xa_cattachments_free(struct xa_cattach *v, size_t n);
/* The list as a JSON array (new reference). */
json_t *xa_cattachments_json(const struct xa_cattach *v, size_t n);
/* Write each into outdir under its .file name: every name is refused first
 * when it exists (unless force), every file is checked against its signed
 * hash while copied, and only when all passed are they published. */
xa_code xa_cattachments_write(xa_cstore *s, const struct xa_cattach *v, size_t n,
                              const char *outdir, int force, xa_err *err);
/* The hazard ids some attachment names (its "ref"), sorted, each once. */
xa_code xa_cattach_hazards(xa_cstore *s, char ***ids, size_t *n, xa_err *err);
/* The file names of a hazard's attachments, one a line ("" none); `with`
 * is xa_cattach_hazards' list, so a hazard without any costs no query. */
char *xa_cattachments_names(xa_cstore *s, const char *hazard, char *const *with, size_t nwith);
/* *complete = 1 when every attachment the visit's signed record lists is
 * received and verified at the office (what a receipt acknowledges). */
xa_code xa_cvisit_complete(xa_cstore *s, const char *visit, int *complete, xa_err *err);
/* Check the stored bytes of a against its signed hash and size. */
xa_code xa_cattachment_check(xa_cstore *s, const struct xa_cattach *a, xa_err *err);

#endif
