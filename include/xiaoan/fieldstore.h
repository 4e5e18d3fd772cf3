/* fieldstore.h — the inspector's field store: one SQLite file, field.db, in
 * the home folder (0600, WAL, synchronous=FULL, foreign keys, schema version
 * in PRAGMA user_version with forward migrations).
 *
 * It holds the wrapped identity (public parts in clear), the current brief
 * (encrypted with the data key; the pinned office identity in clear), the
 * visits (each document encrypted with the data key, XChaCha20-Poly1305,
 * associated data = visit id ‖ revision), the seal chain state and the
 * export history.  In clear only ids, states, sequence numbers, hashes and
 * timestamps — never a school, answer or hazard.
 *
 * Every change is one transaction: either it is all on disk or none of it.
 * A sealed visit cannot be changed through any function here (XA_ESTATE).
 * A full disk gives XA_ENOSPC and leaves the store as it was. */
#ifndef XIAOAN_FIELDSTORE_H
#define XIAOAN_FIELDSTORE_H

#include "xiaoan/clock.h"
#include "xiaoan/error.h"
#include "xiaoan/identity.h"
#include "xiaoan/ids.h"
#include "xiaoan/visit.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define XA_FIELD_DB "field.db"

typedef struct xa_fstore xa_fstore;

typedef enum {
    XA_VISIT_DRAFT = 0,
    XA_VISIT_SEALED,
    XA_VISIT_EXPORTED,
    XA_VISIT_ACKNOWLEDGED
} xa_visit_state;

/* "draft" | "sealed" | "exported" | "acknowledged". */
const char *xa_visit_state_name(xa_visit_state s);
/* The state as the user reads it, in their language (草稿, 已封存 …). */
const char *xa_visit_state_label(xa_visit_state s);

/* One visit as the lists show it: clear columns + a decrypted summary. */
typedef struct xa_visit_info {
    char id[XA_ID_HEX];
    xa_visit_state state;
    int64_t rev;
    int64_t created, updated; /* seconds since the epoch (store clock) */
    int64_t seq;              /* seal sequence number, 0 for a draft */
    char *school_code, *school_name, *county, *kind; /* from the document */
    char *arrived;            /* times.arrived (RFC 3339) */
    char *sealed;             /* seal.sealed, or NULL for a draft */
    size_t hazards;           /* number of hazards */
    size_t answers;           /* number of answers */
    size_t journal;           /* a draft: changes journaled since rev was saved */
    int64_t revision;         /* rev + journal: what the next save or journal entry names */
} xa_visit_info;

typedef struct xa_visit_list {
    xa_visit_info *v;
    size_t n;
} xa_visit_list;

void xa_visit_list_clear(xa_visit_list *l);

/* A sealed visit ready to travel. */
typedef struct xa_sealed_visit {
    char id[XA_ID_HEX];
    int64_t seq;
    json_t *doc; /* the sealed document */
    uint8_t sig[XA_SIG_BYTES];
} xa_sealed_visit;

typedef struct xa_sealed_list {
    xa_sealed_visit *v;
    size_t n;
} xa_sealed_list;

void xa_sealed_list_clear(xa_sealed_list *l);

/* The metadata of the current brief (the office is pinned separately). */
typedef struct xa_brief_meta {
    int64_t seq;               /* the brief's manifest seq */
    char hash[XA_HASH_HEX];    /* hash of the brief file (as the importer computed it) */
    char created[XA_RFC3339_MAX]; /* manifest created time */
    int64_t imported;          /* when it was stored (seconds) */
} xa_brief_meta;

/* The path of field.db in home (a new string). */
char *xa_fstore_path(const char *home);

/* Does home hold a field store? */
int xa_fstore_exists(const char *home);

/* Create field.db in home (refuses, XA_EEXIST, if one exists) with a new
 * identity named name, wrapped under pass at the given cost; *out is the
 * open, unlocked store. */
xa_code xa_fstore_create(const char *home, const char *name, const char *pass,
                         const xa_kdf_params *kdf, xa_fstore **out, xa_err *err);

/* Open and unlock (XA_ENOTFOUND when there is no store; XA_EPASS "wrong
 * passphrase"; XA_EDB for a newer schema).  A brief stored before schema 4
 * (one blob) is split into its parts here, once (xa_brief_part). */
xa_code xa_fstore_open(const char *home, const char *pass, xa_fstore **out, xa_err *err);

/* The public identity, without the passphrase (for `xiaoan id`). */
xa_code xa_fstore_public_identity(const char *home, xa_identity **out, xa_err *err);

/* Close and wipe (NULL is fine). */
void xa_fstore_close(xa_fstore *s);

/* The unlocked identity (with secrets); owned by the store. */
const xa_identity *xa_fstore_identity(const xa_fstore *s);

/* The schema version this build writes. */
int xa_fstore_schema_version(void);

/* Rewrap the keys under new_pass (records are not re-encrypted).  kdf NULL
 * keeps the current cost. */
xa_code xa_fstore_passwd(xa_fstore *s, const char *new_pass, const xa_kdf_params *kdf,
                         xa_err *err);

/* --- visits --- */

/* Build a new draft (visit.h) and store it as rev 1 (its revision is 1);
 * *doc_out (may be NULL) gets the document. */
xa_code xa_fstore_visit_new(xa_fstore *s, const xa_visit_init *init, json_t **doc_out,
                            xa_err *err);

/* Load a visit's document and (if info non-NULL) its list entry
 * (free with xa_visit_info_clear). */
xa_code xa_fstore_visit_load(xa_fstore *s, const char *id, json_t **doc, xa_visit_info *info,
                             xa_err *err);

/* Save a draft document (validated; its id must exist).  Refuses a sealed
 * visit and a document that carries a seal (XA_ESTATE).
 *
 * The revision check (issue 11 #5): *revision is the revision the document
 * was loaded at (xa_visit_info.revision; 1 for a new draft) or the one the
 * caller's last save or journal entry gave.  Every write of a draft moves
 * its revision up by one, so when the stored revision is not *revision
 * someone else wrote meanwhile (a second process past the home lock):
 * XA_ESTATE "saved elsewhere", nothing written.  On success *revision is
 * the new revision; the journal is folded in and deleted. */
xa_code xa_fstore_visit_save(xa_fstore *s, const json_t *doc, int64_t *revision, xa_err *err);

/* Journal one change of a draft (visit.h xa_visit_change_check: answers and
 * times) on top of *revision, the revision the caller's document was loaded
 * at or last written (as for xa_fstore_visit_save): one small transaction
 * instead of the whole document (the TUI's answer keys, issue 17).
 * XA_ESTATE when the visit is not a draft or its stored revision is not
 * *revision (written elsewhere since); on success *revision moves on by one.
 * Loading, listing and sealing a draft replay its journal; the next
 * xa_fstore_visit_save folds it in and deletes it. */
xa_code xa_fstore_visit_journal(xa_fstore *s, const char *id, int64_t *revision,
                                const json_t *change, xa_err *err);

/* Delete a draft (XA_ESTATE for anything sealed). */
xa_code xa_fstore_visit_discard(xa_fstore *s, const char *id, xa_err *err);

/* Every visit, newest first. */
xa_code xa_fstore_visit_list(xa_fstore *s, xa_visit_list *out, xa_err *err);

/* Free the strings of one info. */
void xa_visit_info_clear(xa_visit_info *info);

/* Seal a draft: next seq, prev = hash of the previous sealed document,
 * Ed25519 signature; state becomes sealed.  *sealed_out (may be NULL) gets
 * the sealed document. */
xa_code xa_fstore_visit_seal(xa_fstore *s, const char *id, json_t **sealed_out, xa_err *err);

/* A sealed (or exported) visit with its signature. */
xa_code xa_fstore_visit_sealed(xa_fstore *s, const char *id, xa_sealed_visit *out, xa_err *err);

/* The chain state: last seal seq (0 if none) and hash ("" if none). */
xa_code xa_fstore_chain(xa_fstore *s, int64_t *last_seq, char last_hash[XA_HASH_HEX],
                        xa_err *err);

/* --- exports --- */

/* Sealed visits not yet exported, in seq order. */
xa_code xa_fstore_unexported(xa_fstore *s, xa_sealed_list *out, xa_err *err);

/* The same without parsing, one visit at a time in seq order: each is
 * lent to each() as its canonical bytes exactly as stored (the bytes its
 * signature covers; valid during the call only, in one reused buffer) —
 * the export hands them to the container writer as they are (issue 17).
 * A non-XA_OK return from each() stops and is returned. */
typedef xa_code (*xa_sealed_canon_fn)(const char *id, int64_t seq, const char *canon,
                                      size_t len, const uint8_t sig[XA_SIG_BYTES], void *ctx,
                                      xa_err *err);
xa_code xa_fstore_unexported_each(xa_fstore *s, xa_sealed_canon_fn each, void *ctx,
                                  xa_err *err);

/* How many sealed visits wait for export (nothing decrypted). */
xa_code xa_fstore_unexported_count(xa_fstore *s, size_t *n, xa_err *err);

/* The last export: seq (0 if none) and bundle file hash ("" if none). */
xa_code xa_fstore_export_last(xa_fstore *s, int64_t *seq, char hash[XA_HASH_HEX],
                              xa_err *err);

/* One export as the home screen lists it. */
typedef struct xa_export_info {
    int64_t seq;             /* the bundle's seq */
    char hash[XA_HASH_HEX];  /* BLAKE2b-256 of the bundle file (what a receipt names) */
    int64_t created;         /* when it was written (seconds) */
    size_t visits;           /* visits it carried */
} xa_export_info;

/* Every export, newest first (*out a new array, free() it; NULL when none). */
xa_code xa_fstore_exports(xa_fstore *s, xa_export_info **out, size_t *n, xa_err *err);

/* Record bundle seq (must be last + 1) with its file hash, and mark the
 * visits (all must be sealed) exported — one transaction. */
xa_code xa_fstore_mark_exported(xa_fstore *s, int64_t seq, const char *file_hash,
                                const char *const *ids, size_t nids, xa_err *err);

/* One export as one write transaction, from listing to marking (so two
 * exports — two terminals, the TUI and the CLI — cannot list the same
 * visits): xa_fstore_export_begin takes the store's write lock and counts the
 * sealed, unexported visits (xa_fstore_unexported_each lends them) and reads
 * the last export; xa_fstore_export_mark
 * records a bundle inside it (seq must be last + 1; may be called again for
 * the next seq); xa_fstore_export_end commits when c is XA_OK, else rolls
 * back, and returns the first failure.  Nothing else may use the store in
 * between. */
xa_code xa_fstore_export_begin(xa_fstore *s, size_t *waiting, int64_t *last,
                               char prev[XA_HASH_HEX], xa_err *err);
xa_code xa_fstore_export_mark(xa_fstore *s, int64_t seq, const char *file_hash,
                              const char *const *ids, size_t nids, xa_err *err);
xa_code xa_fstore_export_end(xa_fstore *s, xa_code c, xa_err *err);

/* The home folder the store was opened in. */
const char *xa_fstore_home(const xa_fstore *s);

/* Mark exported visits acknowledged (from office receipts); ids that are
 * unknown or already acknowledged are skipped.  *count (may be NULL) gets how
 * many changed. */
xa_code xa_fstore_mark_acknowledged(xa_fstore *s, const char *const *ids, size_t nids,
                                    size_t *count, xa_err *err);

/* --- brief and office pinning --- */

/* The pinned office identity (public), XA_ENOTFOUND if none yet. */
xa_code xa_fstore_office(xa_fstore *s, xa_identity **out, xa_err *err);

/* Store a brief, one transaction: pins office at the first import; refuses
 * (XA_ESENDER) an office other than the pinned one, and (XA_ESTATE) a brief
 * whose seq is lower than the current brief's.  records is a JSON array of
 * the brief's records (stored encrypted); the old brief stays on any
 * failure.  *pinned_now (may be NULL) says whether this import pinned. */
xa_code xa_fstore_brief_put(xa_fstore *s, const xa_identity *office, const xa_brief_meta *meta,
                            const json_t *records, int *pinned_now, xa_err *err);

/* The current brief's records (a new array) and meta (may be NULL);
 * XA_ENOTFOUND when none was imported.  The brief is stored in parts (see
 * xa_brief_part); this puts them together again: the first record, then the
 * schools, the forms and the other records, each in the brief's order (the
 * order a brief is written in). */
xa_code xa_fstore_brief_get(xa_fstore *s, json_t **records, xa_brief_meta *meta, xa_err *err);

/* The stored brief's parts (field store schema 4; src/store/field_brief.c).
 * A brief may list 20,000 schools and a 1,000-item form; a screen that only
 * needs the settings or the open hazards reads the head alone:
 *   HEAD     every record that is not a school or a form (the settings
 *            first, open hazards, assignments, receipts)
 *   CITED    the schools that a hazard or an assignment of the brief names
 *   FORMS    every form record
 *   SCHOOLS  every school record
 * Each is encrypted on its own and is the canonical JSON array of its
 * records in brief order. */
typedef enum {
    XA_BRIEF_HEAD,
    XA_BRIEF_CITED,
    XA_BRIEF_FORMS,
    XA_BRIEF_SCHOOLS,
    XA_BRIEF_NPARTS
} xa_brief_part;

/* One part of the current brief as its canonical text, decrypted into plain
 * (release it with xa_buf_wipe), and meta (may be NULL); XA_ENOTFOUND when
 * no brief was imported. */
xa_code xa_fstore_brief_part(xa_fstore *s, xa_brief_part part, xa_buf *plain, xa_brief_meta *meta,
                             xa_err *err);
/* The head part parsed (a new array; its first record is the settings). */
xa_code xa_fstore_brief_head(xa_fstore *s, json_t **records, xa_brief_meta *meta, xa_err *err);

/* The compact school table of the current brief (schema 6): a table the
 * field module made from the SCHOOLS part (field.h xa_brief_schools), its
 * bytes opaque here, stored in chunks of 64 KiB, each encrypted like a part
 * (associated data "xiaoan-brief/table" ‖ seq ‖ n ‖ last).
 * xa_fstore_brief_table decrypts the chunks in order and hands each to fn
 * (a nonzero return stops: XA_ECANCEL), then gives the seq of the brief
 * the table belongs to; XA_ENOTFOUND when none is stored (a brief imported
 * before schema 6, or by the store functions alone), XA_ECRYPTO when a
 * chunk is missing or does not open.  xa_fstore_brief_table_put stores
 * one for the brief of that seq (XA_ESTATE when the stored brief is
 * another one).  A new brief removes it. */
typedef int (*xa_brief_table_fn)(void *ctx, const void *chunk, size_t len);
xa_code xa_fstore_brief_table(xa_fstore *s, int64_t *seq, xa_brief_table_fn fn, void *ctx,
                              xa_err *err);
xa_code xa_fstore_brief_table_put(xa_fstore *s, int64_t seq, const xa_buf *plain, xa_err *err);

/* For tests only: store a brief as field stores before schema 4 did (one
 * encrypted blob of every record, not in parts), so that the conversion
 * xa_fstore_open does on such a store can be tested.  Pins the office when
 * none is pinned; no other check. */
xa_code xa_fstore_debug_brief_put_whole(xa_fstore *s, const xa_identity *office,
                                        const xa_brief_meta *meta, const json_t *records,
                                        xa_err *err);

/* For tests only: cap field.db at `pages` pages so that a full disk
 * (SQLITE_FULL) can be provoked. */
xa_code xa_fstore_debug_max_pages(xa_fstore *s, int64_t pages, xa_err *err);

/* --- attachments (field_attach.c) ---
 *
 * The bytes of a visit's attachment (its entry is in the document's
 * "attachments") are kept as libsodium secretstream chunks of
 * XA_ATTACH_CHUNK bytes, under a key derived from the data key for this
 * visit and attachment (HKDF-SHA-256, info "xiaoan attachment v1" ‖ 0 ‖
 * visit id ‖ attachment id), each chunk's associated data the visit id ‖
 * attachment id.  Nothing of the content is in clear. */

#define XA_ATTACH_CHUNK 65536

typedef struct xa_fattach_writer xa_fattach_writer;

/* Begin storing the bytes of attachment att_id of the draft visit_id: opens
 * the store's write transaction, held until finish or abort. */
xa_code xa_fstore_attach_begin(xa_fstore *s, const char *visit_id, const char *att_id,
                               xa_fattach_writer **out, xa_err *err);

/* Add n bytes (encrypted and written a chunk at a time). */
xa_code xa_fstore_attach_write(xa_fattach_writer *w, const void *p, size_t n, xa_err *err);

/* Write the last chunk, save doc (the draft, which lists the attachment,
 * loaded at *revision: checked and moved on as by xa_fstore_visit_save) in
 * the same transaction and commit.  Frees w in every case. */
xa_code xa_fstore_attach_finish(xa_fattach_writer *w, const json_t *doc, int64_t *revision,
                                xa_err *err);

/* Roll back everything since begin and free w (NULL is fine). */
void xa_fstore_attach_abort(xa_fattach_writer *w);

/* Where the decrypted bytes of an attachment go, a chunk at a time. */
typedef xa_code (*xa_fattach_sink)(void *ctx, const uint8_t *p, size_t n, xa_err *err);

/* Decrypt attachment att_id of visit_id chunk by chunk into sink; a missing,
 * reordered, cut or altered chunk is XA_ECRYPTO.  *size (may be NULL) gets
 * the number of bytes. */
xa_code xa_fstore_attach_read(xa_fstore *s, const char *visit_id, const char *att_id,
                              xa_fattach_sink sink, void *ctx, int64_t *size, xa_err *err);

#endif
