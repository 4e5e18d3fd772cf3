/* container.h — the bundle / brief container (DESIGN §5, §11; docs/formats.md).
 *
 * A container is an age v1 file (X25519 recipients) whose payload is one
 * zstd frame (level 3, window ≤ 2^23, checksum on) of JSON Lines (UTF-8, LF),
 * every line in canonical bytes (xa_json_canonical):
 *
 *   1. the manifest {"format":"xiaoan.bundle/2"|"xiaoan.brief/2",
 *      "sender":{"fingerprint":…,"sign":base64 Ed25519 public key},
 *      "seq":N,"prev":64 hex|null,"created":RFC 3339,"counts":{…}};
 *   2. records, one JSON object per line, each with a string "type";
 *   3. the trailer {"type":"end","lines":N,"hash":hex,"sig":base64}: N is the
 *      number of lines before it (manifest + records), hash the BLAKE2b-512
 *      of every byte before it, sig the sender's Ed25519 signature over
 *      the context label ("xiaoan bundle v1" / "xiaoan brief v1"), one zero
 *      byte and those 64 hash bytes.  Version 1 ("xiaoan.bundle/1",
 *      "xiaoan.brief/1") signed the 64 hash bytes alone; it is still read.
 *
 * The standard tools can open one: `age -d -i KEY FILE | zstd -dc`.
 *
 * Reading is in two passes with bounded memory: the first decrypts,
 * decompresses and parses everything under the limits, asks the caller
 * about the sender right after the manifest (before any record), and checks
 * the trailer (line count, hash, signature by the manifest's key), handing
 * out no record; the second hands out the records one at a time — from the
 * first pass's plaintext when it was at most max_replay bytes (kept in one
 * wiped secret region), else by reading the file again and refusing a file
 * that changed in between.
 * Failures are one line, without the file name (callers add it):
 *   "not encrypted to this key"            XA_AGE_NOMATCH
 *   "bundle is damaged (…)"                 XA_AGE_HEADER / XA_AGE_HMAC / XA_AGE_PAYLOAD
 *   "bundle is truncated (…)"               XA_ETRUNC
 *   "not a bundle (not an age file)"        XA_AGE_NOTAGE
 *   "over the size limit (…)"               XA_ELIMIT
 *   "malformed line N: …"                   XA_EFORMAT
 *   "not a bundle (this is a brief)"        XA_EFORMAT (wrong or unknown format)
 *   "bad signature (…)"                     XA_ESIG (hash or signature does not verify)
 *   "not from a known sender"               XA_ESENDER (the callback refused)
 * ("brief" instead of "bundle" when a brief was expected.) */
#ifndef XIAOAN_CONTAINER_H
#define XIAOAN_CONTAINER_H

#include "xiaoan/age.h"
#include "xiaoan/error.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define XA_BUNDLE_FORMAT "xiaoan.bundle/2"
#define XA_BRIEF_FORMAT "xiaoan.brief/2"
#define XA_BUNDLE_FORMAT_V1 "xiaoan.bundle/1" /* read, never written by xiaoan */
#define XA_BRIEF_FORMAT_V1 "xiaoan.brief/1"
#define XA_SIGCTX_BUNDLE "xiaoan bundle v1" /* signature context labels (version 2) */
#define XA_SIGCTX_BRIEF "xiaoan brief v1"
/* Sequence numbers (of bundles, briefs and sealed visits) stop well below
 * INT64_MAX so that seq + 1 never overflows; beyond it is refused. */
#define XA_SEQ_MAX 1000000000000LL
#define XA_CONTAINER_SIGN_PK_BYTES 32
#define XA_CONTAINER_SIGN_SK_BYTES 64
#define XA_CONTAINER_HASH_HEX 65 /* BLAKE2b-256 as hex + NUL */
/* The default max_replay: a bundle of a few hundred visits decompresses to
 * a few MiB; one with photos is larger and is read twice instead. */
#define XA_CONTAINER_REPLAY_MAX (8u * 1024 * 1024)

typedef struct xa_container_limits {
    xa_age_limits age;      /* header ≤ 64 KiB and ≤ 32 stanzas */
    uint64_t max_plain;     /* decompressed bytes (1 GiB) */
    size_t max_line;        /* bytes of one line, without LF (1 MiB) */
    size_t max_attachment;  /* ... of a line of type "attachment" (64 MiB) */
    int max_depth;          /* JSON nesting (32) */
    int window_log_max;     /* zstd window ≤ 2^window_log_max (27) */
    size_t max_records;     /* record lines (1,000,000) */
    uint64_t max_kept;      /* canonical bytes of records xa_container_read keeps (256 MiB) */
    size_t max_replay;      /* plaintext the first pass keeps for the second (8 MiB; 0: none) */
} xa_container_limits;

/* The defaults above. */
void xa_container_limits_default(xa_container_limits *lim);

/* ---- writer ---- */

typedef struct xa_container_writer xa_container_writer;

/* Start a container at path: written to a temporary file (mode 0600) in the
 * same folder and published under path by xa_container_finish with link(),
 * so a half-written container never carries the final name, an existing path
 * (a file, a symlink, the store itself) is never overwritten (XA_EEXIST, here
 * or at finish when it appeared meanwhile) and nothing is written through a
 * symlink.  recipients: n ≥ 1 X25519 public keys (32 bytes each). */
xa_code xa_container_create(const char *path, const uint8_t *const *recipients, size_t n,
                            xa_container_writer **out, xa_err *err);

/* xa_container_create with flags: XA_CONTAINER_REPLACE (--force) renames
 * over an existing file or symlink (the name is replaced, never followed). */
#define XA_CONTAINER_REPLACE 1
xa_code xa_container_create_ex(const char *path, const uint8_t *const *recipients, size_t n,
                               int flags, xa_container_writer **out, xa_err *err);

/* The same, to an open stream the caller keeps (and closes). */
xa_code xa_container_create_fp(FILE *fp, const uint8_t *const *recipients, size_t n,
                               xa_container_writer **out, xa_err *err);

/* Write the manifest (first, once).  manifest is the caller's object with
 * "format", "sender":{"fingerprint"}, "seq", and optionally "prev" (null if
 * absent), "created" (now if absent) and "counts" ({} if absent); the writer
 * fills "sender"."sign" from sign_pk (it refuses a different one). */
xa_code xa_container_manifest(xa_container_writer *w, const json_t *manifest,
                              const uint8_t sign_pk[XA_CONTAINER_SIGN_PK_BYTES], xa_err *err);

/* Add one record: an object with a string "type" other than "end"; over the
 * default line limits it is refused (XA_ELIMIT), as a reader would. */
xa_code xa_container_add(xa_container_writer *w, const json_t *record, xa_err *err);

/* Add one record given as its canonical bytes (line, len; no LF), e.g. a
 * sealed visit's stored bytes wrapped by xa_visit_record_line: nothing is
 * parsed or serialised again.  The caller vouches that the bytes are the
 * canonical form of an object with a string "type" other than "end" (the
 * reader checks every line anyway); here only the cheap part is checked:
 * an object's braces, no LF, and the line limit (XA_ELIMIT). */
xa_code xa_container_add_canonical(xa_container_writer *w, const char *line, size_t len,
                                   xa_err *err);

/* Write the trailer signed with sign_sk (libsodium Ed25519 secret key, in
 * xa_secret_alloc memory; it must belong to the manifest's sign key), end
 * the zstd frame and the age file, and (for a path) fsync and rename. */
xa_code xa_container_finish(xa_container_writer *w,
                            const uint8_t sign_sk[XA_CONTAINER_SIGN_SK_BYTES], xa_err *err);

/* The same; with XA_CONTAINER_KEEP a path's file stays under its
 * temporary name (complete, fsync'ed) until xa_container_publish — an
 * export of several bundles publishes them only when all are written. */
#define XA_CONTAINER_KEEP 2
xa_code xa_container_finish_ex(xa_container_writer *w,
                               const uint8_t sign_sk[XA_CONTAINER_SIGN_SK_BYTES], int flags,
                               xa_err *err);

/* Publish a container finished with XA_CONTAINER_KEEP (link(), never over
 * another file: XA_EEXIST). */
xa_code xa_container_publish(xa_container_writer *w, xa_err *err);

/* A finished container's file: its BLAKE2b-256 as hex (what the next
 * bundle's "prev" and the receipts name; NULL before finish) and, in
 * *bytes (may be NULL), its size — counted while it was written. */
const char *xa_container_written(const xa_container_writer *w, uint64_t *bytes);

/* While records are added: an upper bound of the file's size if `more`
 * plaintext bytes (lines with their LF) were added and the container then
 * finished (a worst case: zstd expanding what it has not compressed yet).
 * May flush the zstd stream (a block boundary; the bytes stay the same). */
xa_code xa_container_size_bound(xa_container_writer *w, uint64_t more, uint64_t *bound,
                                xa_err *err);

/* The plaintext bytes (lines) written so far; a reader refuses more than
 * xa_container_limits.max_plain. */
uint64_t xa_container_plain_bytes(const xa_container_writer *w);

/* After a finished container's later step failed: remove it again, but only
 * while its name still holds the file this writer published (never another
 * process's file).  0 when removed. */
int xa_container_unpublish(xa_container_writer *w);

/* Free; an unfinished container's temporary file is removed (NULL is fine). */
void xa_container_writer_free(xa_container_writer *w);

/* ---- reader ---- */

/* Does the caller accept this sender?  Called right after the manifest was
 * read and its shape checked, before any record is read: the signature is
 * not verified yet, so the answer may stop the reading but must not be acted
 * on (the trailer is checked later with sign_pk).  created is the sender's
 * own claim: never trust it.  Non-zero = go on. */
typedef int (*xa_sender_ok_fn)(const uint8_t sign_pk[XA_CONTAINER_SIGN_PK_BYTES],
                               const char *fingerprint, const char *created, void *ctx);

/* ---- the two-pass reader (bounded memory) ---- */

typedef struct xa_container_reader xa_container_reader;

/* What the first pass found (valid after xa_container_verify). */
struct xa_container_info {
    char file_hash[XA_CONTAINER_HASH_HEX]; /* BLAKE2b-256 of the file's bytes as read */
    uint8_t content[64];                   /* the trailer's BLAKE2b-512 of the lines */
    char content_hash[129];                /* the same as hex */
    size_t records;                        /* record lines */
    uint64_t plain;                        /* decompressed bytes */
    size_t counted;                        /* records of the type xa_container_count_type named */
    int version;                           /* 1 or 2 */
    uint64_t kept; /* plaintext kept for the second pass (0: it reads the file again) */
};

/* One record handed out by the second pass (lineno: its line, 2..).  The
 * record is only lent; return XA_OK to go on. */
typedef xa_code (*xa_record_fn)(const json_t *record, size_t lineno, void *ctx, xa_err *err);

/* A reader on the file at path (or on an open, seekable stream the caller
 * keeps).  ids must live until xa_container_close.  format: the family
 * expected (XA_BUNDLE_FORMAT or XA_BRIEF_FORMAT, either version accepted;
 * NULL accepts any); lim NULL = defaults. */
xa_code xa_container_open(const char *path, const xa_age_identity *const *ids, size_t nids,
                          const char *format, const xa_container_limits *lim,
                          xa_container_reader **out, xa_err *err);
xa_code xa_container_open_fp(FILE *fp, const xa_age_identity *const *ids, size_t nids,
                             const char *format, const xa_container_limits *lim,
                             xa_container_reader **out, xa_err *err);

/* Have the first pass count the records of this type (info.counted). */
void xa_container_count_type(xa_container_reader *r, const char *type);

/* The first pass: verify everything (sender_ok right after the manifest),
 * handing out no record.  When the whole plaintext is at most
 * lim->max_replay bytes it is kept (one wiped secret region) for the second
 * pass; above that it is dropped as soon as it outgrows the bound. */
xa_code xa_container_verify(xa_container_reader *r, xa_sender_ok_fn sender_ok, void *ctx,
                            xa_err *err);

/* After a successful verify: the manifest and what was found (else NULL). */
const json_t *xa_container_manifest_of(const xa_container_reader *r);
const struct xa_container_info *xa_container_info_of(const xa_container_reader *r);

/* The second pass: call each for every record in order.  When the first
 * pass kept the plaintext (info.kept), the records come from those very
 * verified bytes (no second decrypt, decompress or hash; the region is
 * wiped afterwards, so a further call reads the file).  Otherwise it reads
 * the file again, checking every line as before, and fails (XA_ESIG) when
 * the bytes are not those the first pass verified; the caller must then
 * undo what the records did (merge runs this inside its transaction). */
xa_code xa_container_records(xa_container_reader *r, xa_record_fn each, void *ctx, xa_err *err);

/* During a record callback of xa_container_records: the record's line, its
 * canonical bytes as read (len; NUL-terminated; lent until the callback
 * returns) — so a caller that stores or hashes the record need not
 * serialise it again.  NULL outside a callback. */
const char *xa_container_record_line(const xa_container_reader *r, size_t *len);

/* Lazy records (issue 17): from now on the second pass parses no record
 * line it can read the type of — a visit by its last member
 * ,"type":"visit"}, any other with the canonical scanner
 * (xa_json_canonical_object); each hands the callback record == NULL, and
 * the callback asks for what it needs: the line (xa_container_record_line),
 * the type (xa_container_record_type) or, only if it must, the parsed
 * record (xa_container_record_json).  Lines the scanner is not sure of are
 * parsed and handed out as before. */
void xa_container_lazy(xa_container_reader *r, int on);

/* During a record callback: the record's top-level "type" (len bytes, not
 * NUL-terminated), or NULL outside a callback. */
const char *xa_container_record_type(const xa_container_reader *r, size_t *len);

/* During a record callback: the parsed record (lent until the callback
 * returns; parsed at the first call when the callback got NULL).  A line
 * that does not parse (the file changed between the passes) fails as the
 * second pass would have: XA_EFORMAT "malformed line N: …". */
xa_code xa_container_record_json(xa_container_reader *r, const json_t **out, xa_err *err);

/* Close the reader (and its file when it opened it); NULL is fine. */
void xa_container_close(xa_container_reader *r);

/* ---- all at once ---- */

/* Read and verify the container at path with the reader's identities (nids ≥
 * 1) in the two passes above, keeping the records (at most lim->max_kept
 * bytes of them).  format: XA_BUNDLE_FORMAT or XA_BRIEF_FORMAT (either
 * version; NULL accepts any).
 * lim NULL = defaults.  On success *manifest is the manifest object and
 * *records an array of the record objects (both new references); on failure
 * both are NULL and nothing was handed out. */
xa_code xa_container_read(const char *path, const xa_age_identity *const *ids, size_t nids,
                          const char *format, const xa_container_limits *lim,
                          xa_sender_ok_fn sender_ok, void *ctx, json_t **manifest,
                          json_t **records, xa_err *err);

/* The same from an open stream (read to its end; not closed). */
xa_code xa_container_read_fp(FILE *fp, const xa_age_identity *const *ids, size_t nids,
                             const char *format, const xa_container_limits *lim,
                             xa_sender_ok_fn sender_ok, void *ctx, json_t **manifest,
                             json_t **records, xa_err *err);

/* BLAKE2b-256 of the whole file at path as 64 lowercase hex digits (the
 * "prev" of the sender's next container, and the id a receipt names). */
xa_code xa_container_file_hash(const char *path, char out[XA_CONTAINER_HASH_HEX], xa_err *err);

#endif
