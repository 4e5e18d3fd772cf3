/* age.h — age v1 files (c2sp.org/age) written and read with libsodium.
 *
 * What is here:
 *   - X25519 identities ("AGE-SECRET-KEY-1…", secret key in xa_secret_alloc
 *     memory) and recipients ("age1…"), key generation, key-file parsing;
 *   - a streaming writer: X25519 recipients (several per file) or one scrypt
 *     passphrase; 64 KiB STREAM chunks with one chunk of lookahead;
 *   - a streaming, strict reader: X25519 identities (several allowed) and the
 *     scrypt stanza (with a passphrase, bounded work factor), unknown stanzas
 *     skipped, bounded header, plaintext released only chunk by chunk after
 *     each chunk authenticates.  ASCII-armored input ("-----BEGIN AGE
 *     ENCRYPTED FILE-----") is detected and read too; the writer writes
 *     binary files only.
 *
 * Bytes move through callbacks so that files, pipes and memory all work;
 * xa_age_fwrite / xa_age_fread adapt a stdio FILE * (pass it as ctx).
 *
 * Error classes of the reader (xa_err.code):
 *   XA_AGE_NOTAGE   not an age file ("not an age file");
 *   XA_AGE_HEADER   a malformed header ("age header: bad stanza on line 3");
 *   XA_AGE_NOMATCH  no identity / passphrase opens it ("no identity matches this file");
 *   XA_AGE_HMAC     the header MAC is wrong ("age header MAC failure");
 *   XA_AGE_PAYLOAD  a chunk does not authenticate, data after the final chunk
 *                   ("age payload damaged at chunk 5");
 *   XA_ETRUNC       the file ends early: inside the header or nonce, where
 *                   another chunk must follow, or less than a tag into a
 *                   chunk ("file is truncated");
 *   XA_ELIMIT       the header is over a limit (size, stanzas, scrypt cost);
 *   XA_EFORMAT      a broken ASCII armor ("age armor: ...");
 *   XA_EIO          the read callback failed.
 * A chunk cut short in the middle cannot be told apart from a damaged final
 * chunk, so such a truncation is XA_AGE_PAYLOAD with the message "age payload
 * damaged at chunk N, or the file is truncated". */
#ifndef XIAOAN_AGE_H
#define XIAOAN_AGE_H

#include "xiaoan/error.h"

#include <stddef.h>
#include <stdint.h>

#define XA_AGE_PK_BYTES 32
#define XA_AGE_SK_BYTES 32
#define XA_AGE_FILE_KEY_BYTES 16
#define XA_AGE_CHUNK 65536             /* plaintext bytes per STREAM chunk */
#define XA_AGE_RECIPIENT_MAX 64        /* "age1" + 58 + NUL = 63 */
#define XA_AGE_IDENTITY_MAX 80         /* "AGE-SECRET-KEY-1" + 58 + NUL = 75 */
#define XA_AGE_SCRYPT_LOG2_DEFAULT 18  /* what age 1.1.1 writes */
#define XA_AGE_SCRYPT_LOG2_CAP 22      /* what age 1.1.1 accepts */

/* ---- keys -------------------------------------------------------------- */

/* An X25519 identity; always in xa_secret_alloc memory (xa_age_identity_free). */
typedef struct xa_age_identity {
    uint8_t sk[XA_AGE_SK_BYTES]; /* X25519 scalar */
    uint8_t pk[XA_AGE_PK_BYTES]; /* its public key (the recipient) */
} xa_age_identity;

/* A new random identity. */
xa_code xa_age_keygen(xa_age_identity **out, xa_err *err);

/* An identity from a 32-byte X25519 secret key (the public key is derived). */
xa_code xa_age_identity_from_secret(const uint8_t sk[XA_AGE_SK_BYTES], xa_age_identity **out,
                                    xa_err *err);

/* Wipe and free (NULL is fine). */
void xa_age_identity_free(xa_age_identity *id);

/* Parse "AGE-SECRET-KEY-1…" (upper case, strict Bech32). */
xa_code xa_age_identity_parse(const char *s, xa_age_identity **out, xa_err *err);

/* "AGE-SECRET-KEY-1…" of id into out; out holds a secret, so keep it in
 * xa_secret_alloc memory or wipe it after use. */
void xa_age_identity_encode(const xa_age_identity *id, char out[XA_AGE_IDENTITY_MAX]);

/* Parse an identity file as age-keygen writes it: lines that are empty or
 * start with '#' are skipped, every other line must be an identity.
 * *out is a new array of *n identities (xa_age_identities_free). */
xa_code xa_age_identities_parse(const char *text, size_t len, xa_age_identity ***out, size_t *n,
                                xa_err *err);

/* Free an array from xa_age_identities_parse. */
void xa_age_identities_free(xa_age_identity **ids, size_t n);

/* "age1…" of a public key. */
void xa_age_recipient_encode(const uint8_t pk[XA_AGE_PK_BYTES], char out[XA_AGE_RECIPIENT_MAX]);

/* Parse "age1…" (lower case, strict Bech32) into a public key. */
xa_code xa_age_recipient_parse(const char *s, uint8_t pk[XA_AGE_PK_BYTES], xa_err *err);

/* ---- byte callbacks -------------------------------------------------------- */

/* Write all len bytes or fail with a filled err. */
typedef xa_code (*xa_age_write_fn)(void *ctx, const void *buf, size_t len, xa_err *err);
/* Read up to len bytes; *got = 0 only at end of input. */
typedef xa_code (*xa_age_read_fn)(void *ctx, void *buf, size_t len, size_t *got, xa_err *err);

/* Adapters for a stdio stream: pass the FILE * as ctx. */
xa_code xa_age_fwrite(void *fp, const void *buf, size_t len, xa_err *err);
xa_code xa_age_fread(void *fp, void *buf, size_t len, size_t *got, xa_err *err);

/* ---- writer ------------------------------------------------------------------ */

typedef struct xa_age_writer xa_age_writer;

/* Start a file to n (>= 1) X25519 recipients (each points at a 32-byte public
 * key): writes the header (random file key, one stanza per recipient, MAC)
 * and the payload nonce through fn.  XA_EFORMAT for a recipient that is not
 * a usable X25519 key. */
xa_code xa_age_writer_open(const uint8_t *const *recipients, size_t n,
                           xa_age_write_fn fn, void *ctx, xa_age_writer **out, xa_err *err);

/* Start a passphrase (scrypt) file with work factor 2^log2_n (1..30). */
xa_code xa_age_writer_open_scrypt(const char *passphrase, int log2_n, xa_age_write_fn fn,
                                  void *ctx, xa_age_writer **out, xa_err *err);

/* Add plaintext; full chunks are written once more data follows them. */
xa_code xa_age_writer_write(xa_age_writer *w, const void *buf, size_t len, xa_err *err);

/* Write the final chunk (an empty payload is one empty final chunk; a payload
 * that fills whole chunks ends with a full chunk marked last).  The writer
 * still has to be freed. */
xa_code xa_age_writer_finish(xa_age_writer *w, xa_err *err);

/* Wipe and free (NULL is fine); without finish the file stays incomplete. */
void xa_age_writer_free(xa_age_writer *w);

/* ---- reader ------------------------------------------------------------------ */

typedef struct xa_age_limits {
    size_t max_header;   /* header bytes up to and including the MAC line (65536) */
    size_t max_stanzas;  /* recipient stanzas (32) */
    int max_scrypt_log2; /* refuse scrypt work factors above this (22) */
} xa_age_limits;

/* The defaults above. */
void xa_age_limits_default(xa_age_limits *lim);

typedef struct xa_age_reader xa_age_reader;

/* Read and check the header: find the file key with one of the nids
 * identities or, for an scrypt file, the passphrase (may be NULL); check the
 * MAC; read the payload nonce.  lim NULL = defaults.  The identities and the
 * passphrase are not used after this returns. */
xa_code xa_age_reader_open(xa_age_read_fn fn, void *ctx, const xa_age_identity *const *ids,
                           size_t nids, const char *passphrase, const xa_age_limits *lim,
                           xa_age_reader **out, xa_err *err);

/* Up to len bytes of authenticated plaintext into buf; *got = 0 (XA_OK) at
 * the end of a complete file.  After a failure every further call fails the
 * same way.  Plaintext of a chunk is released only after the chunk verifies;
 * when a final chunk verifies but data follows it, its plaintext is released
 * first and the next call reports the trailing data. */
xa_code xa_age_reader_read(xa_age_reader *r, void *buf, size_t len, size_t *got, xa_err *err);

/* Was the input ASCII-armored? */
int xa_age_reader_armored(const xa_age_reader *r);

/* Wipe and free (NULL is fine). */
void xa_age_reader_free(xa_age_reader *r);

#endif
