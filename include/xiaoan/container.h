/* container.h — the bundle / brief container (DESIGN §5, §11; docs/formats.md).
 *
 * A container is an age v1 file (X25519 recipients) whose payload is one
 * zstd frame (level 3, window ≤ 2^23, checksum on) of JSON Lines (UTF-8, LF),
 * every line in canonical bytes (xa_json_canonical):
 *
 *   1. the manifest {"format":"xiaoan.bundle/1"|"xiaoan.brief/1",
 *      "sender":{"fingerprint":…,"sign":base64 Ed25519 public key},
 *      "seq":N,"prev":64 hex|null,"created":RFC 3339,"counts":{…}};
 *   2. records, one JSON object per line, each with a string "type";
 *   3. the trailer {"type":"end","lines":N,"hash":hex,"sig":base64}: N is the
 *      number of lines before it (manifest + records), hash the BLAKE2b-512
 *      of every byte before it, sig the sender's Ed25519 signature over
 *      those 64 hash bytes.
 *
 * The standard tools can open one: `age -d -i KEY FILE | zstd -dc`.
 *
 * Reading is all or nothing: the reader decrypts, decompresses and parses
 * everything under the limits, checks the trailer (line count, hash,
 * signature by the manifest's key) and asks the caller whether it trusts the
 * sender; only then does it hand out the manifest and the records.
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

#define XA_BUNDLE_FORMAT "xiaoan.bundle/1"
#define XA_BRIEF_FORMAT "xiaoan.brief/1"
#define XA_CONTAINER_SIGN_PK_BYTES 32
#define XA_CONTAINER_SIGN_SK_BYTES 64
#define XA_CONTAINER_HASH_HEX 65 /* BLAKE2b-256 as hex + NUL */

typedef struct xa_container_limits {
    xa_age_limits age;      /* header ≤ 64 KiB and ≤ 32 stanzas */
    uint64_t max_plain;     /* decompressed bytes (1 GiB) */
    size_t max_line;        /* bytes of one line, without LF (1 MiB) */
    size_t max_attachment;  /* ... of a line of type "attachment" (64 MiB) */
    int max_depth;          /* JSON nesting (32) */
    int window_log_max;     /* zstd window ≤ 2^window_log_max (27) */
} xa_container_limits;

/* The defaults above. */
void xa_container_limits_default(xa_container_limits *lim);

/* ---- writer ---- */

typedef struct xa_container_writer xa_container_writer;

/* Start a container at path: written to a temporary file (mode 0600) in the
 * same folder and renamed over path by xa_container_finish, so a half-written
 * container never carries the final name.  recipients: n ≥ 1 X25519 public
 * keys (32 bytes each). */
xa_code xa_container_create(const char *path, const uint8_t *const *recipients, size_t n,
                            xa_container_writer **out, xa_err *err);

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

/* Write the trailer signed with sign_sk (libsodium Ed25519 secret key, in
 * xa_secret_alloc memory; it must belong to the manifest's sign key), end
 * the zstd frame and the age file, and (for a path) fsync and rename. */
xa_code xa_container_finish(xa_container_writer *w,
                            const uint8_t sign_sk[XA_CONTAINER_SIGN_SK_BYTES], xa_err *err);

/* Free; an unfinished container's temporary file is removed (NULL is fine). */
void xa_container_writer_free(xa_container_writer *w);

/* ---- reader ---- */

/* Does the caller accept this sender?  Called only after the trailer's
 * signature verified with sign_pk.  Non-zero = accept. */
typedef int (*xa_sender_ok_fn)(const uint8_t sign_pk[XA_CONTAINER_SIGN_PK_BYTES],
                               const char *fingerprint, const char *created, void *ctx);

/* Read and verify the container at path with the reader's identities (nids ≥
 * 1).  format: XA_BUNDLE_FORMAT or XA_BRIEF_FORMAT (NULL accepts either).
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
