/* identity.h — an inspector's (or the office's) keys: an Ed25519 signing pair,
 * an X25519 pair (the age identity), a random 32-byte data key, and a name.
 *
 * The secret parts live in xa_secret_alloc memory (id->sec) and are wiped by
 * xa_identity_free.  A "public" identity (parsed from identity text, or read
 * from a store without the passphrase) has sec == NULL.
 *
 * At rest the secrets are wrapped under a passphrase (xiaoan.key/1, see
 * docs/formats.md): Argon2id (crypto_pwhash) derives a key that seals the
 * secrets with XChaCha20-Poly1305; the KDF parameters and the public parts
 * are the associated data.  Wrapping is independent of any store, so the
 * office identity uses the same functions.
 *
 * Public identity text and the fingerprint follow docs/formats.md. */
#ifndef XIAOAN_IDENTITY_H
#define XIAOAN_IDENTITY_H

#include "xiaoan/error.h"
#include "xiaoan/mem.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define XA_SIGN_PK_BYTES 32
#define XA_SIGN_SK_BYTES 64
#define XA_SIG_BYTES 64
#define XA_AGE_PK_BYTES 32
#define XA_AGE_SK_BYTES 32
#define XA_DATA_KEY_BYTES 32
#define XA_HASH_BYTES 32                 /* BLAKE2b-256 */
#define XA_HASH_HEX (XA_HASH_BYTES * 2 + 1)
#define XA_FP_MAX 24                     /* "12345-67890-12345-67890" + NUL */
#define XA_NAME_MAX 200                  /* bytes of UTF-8 in a name */
#define XA_KEY_FORMAT "xiaoan.key/1"     /* the wrapped-key object */
#define XA_KDF_ID "argon2id13"
#define XA_KDF_MEM_CAP (1024ull * 1024 * 1024) /* unwrap refuses more than 1 GiB */
#define XA_KDF_OPS_CAP 32ull                   /* ... and more than 32 passes */

/* Secret parts, always in xa_secret_alloc memory. */
typedef struct xa_identity_secrets {
    uint8_t sign_sk[XA_SIGN_SK_BYTES]; /* libsodium Ed25519 secret key (seed ‖ pk) */
    uint8_t age_sk[XA_AGE_SK_BYTES];   /* X25519 scalar */
    uint8_t data_key[XA_DATA_KEY_BYTES];
} xa_identity_secrets;

typedef struct xa_identity {
    char *name; /* UTF-8, heap */
    uint8_t sign_pk[XA_SIGN_PK_BYTES];
    uint8_t age_pk[XA_AGE_PK_BYTES];
    char fingerprint[XA_FP_MAX];
    xa_identity_secrets *sec; /* NULL for a public identity */
} xa_identity;

/* Argon2id cost: MODERATE for real use, INTERACTIVE for tests and demos. */
typedef enum { XA_KDF_MODERATE = 0, XA_KDF_INTERACTIVE = 1 } xa_kdf_cost;

typedef struct xa_kdf_params {
    uint64_t ops;
    uint64_t mem; /* bytes */
} xa_kdf_params;

/* The libsodium parameters of a cost level. */
xa_kdf_params xa_kdf_params_of(xa_kdf_cost cost);

/* Parse "interactive" | "moderate". */
xa_code xa_kdf_cost_parse(const char *s, xa_kdf_cost *out, xa_err *err);

/* Check a name: non-empty, at most XA_NAME_MAX bytes, valid UTF-8, no
 * control characters, no leading/trailing space. */
xa_code xa_identity_name_check(const char *name, xa_err *err);

/* A new identity with fresh keys and data key. */
xa_code xa_identity_generate(const char *name, xa_identity **out, xa_err *err);

/* A public identity from its parts (sec NULL); computes the fingerprint. */
xa_code xa_identity_from_public(const char *name, const uint8_t sign_pk[XA_SIGN_PK_BYTES],
                                const uint8_t age_pk[XA_AGE_PK_BYTES], xa_identity **out,
                                xa_err *err);

/* A deep copy; the copy has secrets only if with_secrets and id has them. */
xa_identity *xa_identity_dup(const xa_identity *id, int with_secrets);

/* Wipe and free (NULL is fine). */
void xa_identity_free(xa_identity *id);

/* Wrap id's secrets under pass with the given cost; *out is a new JSON
 * object {"format","kdf","ops","mem","salt","nonce","name","sign","age",
 * "ct"} (see docs/formats.md). */
xa_code xa_identity_wrap(const xa_identity *id, const char *pass, const xa_kdf_params *kdf,
                         json_t **out, xa_err *err);

/* The KDF parameters recorded in a wrapped object (checked against the caps). */
xa_code xa_identity_wrapped_params(const json_t *wrapped, xa_kdf_params *out, xa_err *err);

/* Public identity recorded in a wrapped object, without the passphrase. */
xa_code xa_identity_wrapped_public(const json_t *wrapped, xa_identity **out, xa_err *err);

/* Unwrap: XA_EPASS "wrong passphrase" when pass is wrong (or the object was
 * altered); XA_ELIMIT when mem > 1 GiB or ops > 32; XA_EFORMAT for an
 * unknown kdf or a malformed object. */
xa_code xa_identity_unwrap(const json_t *wrapped, const char *pass, xa_identity **out,
                           xa_err *err);

/* The public identity as a brief's settings record names the office:
 * a new object {"name","fingerprint","sign" (base64),"age" (age1…)}. */
json_t *xa_identity_public_json(const xa_identity *id);

/* Public identity text (name/sign/age/fingerprint lines, LF-terminated)
 * appended to out.  Needs the Bech32 age recipient encoder. */
xa_code xa_identity_text(const xa_identity *id, xa_buf *out, xa_err *err);

/* Parse public identity text strictly (the four lines, each once, nothing
 * else but a trailing newline; the fingerprint must match the keys).
 * Errors are one line naming the line number. */
xa_code xa_identity_parse_text(const char *text, size_t len, xa_identity **out, xa_err *err);

/* The fingerprint of a key pair (docs/formats.md). */
void xa_fingerprint(const uint8_t sign_pk[XA_SIGN_PK_BYTES], const uint8_t age_pk[XA_AGE_PK_BYTES],
                    char out[XA_FP_MAX]);

/* Normalise a fingerprint given with or without dashes (spaces are ignored
 * too) to the dashed form. */
xa_code xa_fingerprint_normalize(const char *in, char out[XA_FP_MAX], xa_err *err);

/* Ed25519 signature of msg with id's secret key (id must have secrets). */
xa_code xa_identity_sign(const xa_identity *id, const void *msg, size_t len,
                         uint8_t sig[XA_SIG_BYTES], xa_err *err);

/* Verify an Ed25519 signature: XA_ESIG when it does not verify. */
xa_code xa_sign_verify(const uint8_t pk[XA_SIGN_PK_BYTES], const void *msg, size_t len,
                       const uint8_t sig[XA_SIG_BYTES], xa_err *err);

/* BLAKE2b-256 of data. */
void xa_hash256(const void *data, size_t len, uint8_t out[XA_HASH_BYTES]);

/* Standard padded base64 of n bytes (a new string). */
char *xa_b64_encode(const uint8_t *in, size_t n);

/* Decode standard padded base64 that must be exactly n bytes long. */
xa_code xa_b64_decode_exact(const char *b64, uint8_t *out, size_t n, xa_err *err);

#endif
