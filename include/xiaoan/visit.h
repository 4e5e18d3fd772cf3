/* visit.h — the visit document xiaoan.visit/2 (docs/formats.md): building
 * a new draft, strict validation with errors that name the field
 * ("visit.hazards[2].deadline: not a date"), canonical bytes and hash,
 * sealing (seq, prev, Ed25519 signature) and verification of a sealed
 * record, which the office uses to check signatures and the chain.
 *
 * Pure functions over jansson values; no storage here (see fieldstore.h). */
#ifndef XIAOAN_VISIT_H
#define XIAOAN_VISIT_H

#include "xiaoan/clock.h"
#include "xiaoan/error.h"
#include "xiaoan/identity.h"
#include "xiaoan/ids.h"
#include "xiaoan/mem.h"

#include <jansson.h>
#include <stdint.h>

/* Version 2 signs the context label "xiaoan visit v1", a zero byte and the
 * canonical bytes, so a visit signature can never stand in for a bundle's or
 * a brief's; version 1 (the bare canonical bytes) is still read and
 * verified.  Sealing always writes version 2. */
#define XA_VISIT_FORMAT "xiaoan.visit/2"
#define XA_VISIT_FORMAT_V1 "xiaoan.visit/1"
#define XA_SIGCTX_VISIT "xiaoan visit v1"
/* A sealed visit's seq stops well below INT64_MAX (seq + 1 never overflows);
 * the same limit as the containers' XA_SEQ_MAX. */
#define XA_VISIT_SEQ_MAX 1000000000000LL

/* What a new draft needs; strings are copied.  NULL times mean "now". */
typedef struct xa_visit_init {
    const char *school_code;
    const char *school_name;
    const char *county;
    const char *kind;         /* a key of XA_KINDS (vocab.h), e.g. "four-not-two-direct" */
    const char *const *team;  /* other team members' names */
    size_t nteam;
    int no_notice, no_greeting, no_briefing, no_escort; /* the four attestations */
    const char *arrived;      /* RFC 3339, or NULL for now */
    const char *corrects;     /* id of a sealed visit this one corrects, or NULL */
    const char *assignment;   /* id of the brief's assignment it carries out, or NULL */
} xa_visit_init;

/* What verification of a sealed record tells the office. */
typedef struct xa_visit_verified {
    char id[XA_ID_HEX];
    int64_t seq;
    int has_prev;
    char prev[XA_HASH_HEX];  /* "" when seq 1 */
    char hash[XA_HASH_HEX];  /* BLAKE2b-256 of canonical(doc): the next visit's prev */
    char fingerprint[XA_FP_MAX]; /* doc.inspector.fingerprint */
    char sealed[XA_RFC3339_MAX]; /* doc.seal.sealed */
} xa_visit_verified;

/* The words of kind, result, severity and verdict are vocab.h's. */

/* A new draft (validated) with a fresh id, created = now (+08:00). */
xa_code xa_visit_new(const xa_identity *inspector, const xa_visit_init *init, json_t **out,
                     xa_err *err);

/* Validate a document (draft or sealed); the message names the field. */
xa_code xa_visit_validate(const json_t *doc, xa_err *err);

/* A draft's change record, as the field store journals an answer between
 * two saves of the whole document (docs/formats.md "field.db"):
 * {"answers":[answer…], "times":{…}}: complete answer objects, at most one
 * per (form, code), and the visit's whole times object.
 * xa_visit_change_check validates one; xa_visit_change_apply checks it and
 * applies it to a draft: each answer replaces the one with its (form, code)
 * in place or is appended, in the record's order; times replace times. */
xa_code xa_visit_change_check(const json_t *change, xa_err *err);
xa_code xa_visit_change_apply(json_t *doc, const json_t *change, xa_err *err);

/* Is doc sealed ("seal" is an object)? */
int xa_visit_is_sealed(const json_t *doc);

/* Canonical bytes of a validated document, appended to out. */
xa_code xa_visit_canonical(const json_t *doc, xa_buf *out, xa_err *err);

/* BLAKE2b-256 of the canonical bytes. */
xa_code xa_visit_hash(const json_t *doc, uint8_t out[XA_HASH_BYTES], xa_err *err);

/* Seal a draft: a new document (doc is not changed) with
 * seal = {seq, prev (hex or null when prev is NULL), sealed = sealed_at},
 * signed by inspector.  Refuses seq < 1, prev NULL with seq > 1 and a doc
 * that is already sealed (XA_ESTATE).  Gives the sealed doc, its
 * signature and its hash. */
xa_code xa_visit_seal(const json_t *draft, const xa_identity *inspector, int64_t seq,
                      const uint8_t *prev, int64_t sealed_at, json_t **sealed,
                      uint8_t sig[XA_SIG_BYTES], uint8_t hash[XA_HASH_BYTES], xa_err *err);

/* The bundle record {"type":"visit","doc":…,"sig":base64} (new object; doc is
 * referenced, not copied). */
json_t *xa_visit_record(json_t *sealed_doc, const uint8_t sig[XA_SIG_BYTES]);

/* The same record as its canonical line, built from the sealed document's
 * canonical bytes without parsing them: {"doc":CANON,"sig":"…","type":"visit"}
 * appended to out (byte for byte what xa_json_canonical makes of
 * xa_visit_record's object, since canonical keys sort doc < sig < type). */
void xa_visit_record_line(const char *canon, size_t len, const uint8_t sig[XA_SIG_BYTES],
                          xa_buf *out);

/* Verify a sealed doc and its signature with sign_pk; fills out. */
xa_code xa_visit_verify_doc(const json_t *doc, const uint8_t sig[XA_SIG_BYTES],
                            const uint8_t sign_pk[XA_SIGN_PK_BYTES], xa_visit_verified *out,
                            xa_err *err);

/* Verify a bundle record {"type":"visit","doc","sig"} with sign_pk. */
xa_code xa_visit_verify_record(const json_t *record, const uint8_t sign_pk[XA_SIGN_PK_BYTES],
                               xa_visit_verified *out, xa_err *err);

/* The same, given the record's canonical line as well (line NULL: as
 * above): the document's canonical bytes are taken from the line instead of
 * serialising the parsed document again (issue 17).  line must be the
 * canonical bytes of record (the container reader's first pass checks it). */
xa_code xa_visit_verify_record_line(const json_t *record, const char *line, size_t len,
                                    const uint8_t sign_pk[XA_SIGN_PK_BYTES],
                                    xa_visit_verified *out, xa_err *err);

/* Number of hazards in a document (0 if none or malformed). */
size_t xa_visit_hazard_count(const json_t *doc);

/* Helpers for editors (the TUI): new hazard / answer / follow-up objects with
 * every field of the format present, filled with empty values. */
json_t *xa_visit_hazard_new(const char *form, const char *code, const char *category,
                            const char *severity);
json_t *xa_visit_answer_new(const char *form, const char *code, const char *result);
json_t *xa_visit_followup_new(const char *hazard_id, const char *verdict);

/* ---- a verified record's fields without a jansson tree (issue 17) ----
 * What the office's merge reads of one visit record, as NUL-terminated
 * strings (NULL for a JSON null or an absent optional member).  Filled
 * either straight from the record's canonical line (xa_visit_view_scan: one
 * scan, no tree, the strings in one arena) or from a parsed and verified
 * record (xa_visit_view_of: the strings are the tree's).  The arrays keep
 * their memory from one record to the next; xa_visit_view_free at the end. */
typedef struct xa_vview_form {
    const char *id, *hash;
    int64_t version;
} xa_vview_form;

typedef struct xa_vview_answer {
    const char *form, *code, *result, *text, *note, *location;
    int has_value;
    int64_t value;
} xa_vview_answer;

typedef struct xa_vview_hazard {
    const char *id, *form, *code, *category, *severity, *description, *location,
        *requirement, *deadline, *responsible, *measures, *notes, *found, *interim;
    int rectified_on_site;
} xa_vview_hazard;

typedef struct xa_vview_followup {
    const char *hazard, *verdict, *note, *checked;
} xa_vview_followup;

typedef struct xa_vview_attachment {
    const char *id, *for_, *ref, *name, *type, *hash, *taken, *added;
    int64_t size;
    int has_gps;
    int64_t lat, lon;
} xa_vview_attachment;

typedef struct xa_visit_view {
    const char *format, *id, *kind, *corrects, *assignment;
    const char *inspector_name, *fingerprint;
    const char *school_code, *school_name, *county;
    const char *created, *arrived, *first_site;
    int no_briefing, no_escort, no_greeting, no_notice;
    int sealed;
    int64_t seq;
    const char *prev, *sealed_at;
    const char **team;
    xa_vview_form *forms;
    xa_vview_answer *answers;
    xa_vview_hazard *hazards;
    xa_vview_followup *followups;
    xa_vview_attachment *attachments;
    size_t nteam, nforms, nanswers, nhazards, nfollowups, nattachments;
    const char *doc; /* the document's canonical bytes (in the record line) */
    size_t doc_len;
    uint8_t sig[XA_SIG_BYTES];
    /* kept between records */
    size_t cap[6];
    xa_buf arena, scratch;
} xa_visit_view;

/* Decode the record line {"doc":…,"sig":…,"type":"visit"} of a sealed visit
 * into v without a tree: 1 when the line is certainly a record that
 * xa_json_parse + xa_visit_verify_record_line accept (up to the signature,
 * which xa_visit_view_verify checks) and v holds exactly what that path
 * reads; 0 when not sure (an escape or a number the canonical scanner does
 * not read, a member out of place, anything invalid): the caller takes the
 * jansson path, which also words the error. */
int xa_visit_view_scan(xa_visit_view *v, const char *line, size_t len);

/* The signature of a scanned record by sign_pk, and what verification
 * tells (the hash of the document's bytes, id, seq, prev, fingerprint). */
xa_code xa_visit_view_verify(xa_visit_view *v, const uint8_t sign_pk[XA_SIGN_PK_BYTES],
                             xa_visit_verified *out, xa_err *err);

/* Fill v from a record that xa_visit_verify_record(_line) accepted (the
 * strings are record's: v is valid while record lives).  doc/doc_len are
 * left NULL/0 and sig is not filled. */
void xa_visit_view_of(xa_visit_view *v, const json_t *record);

/* Free what v keeps between records. */
void xa_visit_view_free(xa_visit_view *v);

#endif
