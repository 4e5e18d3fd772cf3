/* age_impl.h — internals shared by the age writer, reader and key code
 * (src/crypto/age_*.c only; not part of the public API). */
#ifndef XIAOAN_AGE_IMPL_H
#define XIAOAN_AGE_IMPL_H

#include "xiaoan/age.h"

#include <stddef.h>
#include <stdint.h>

#define AGE_MAGIC "age-encryption.org/v1"
#define AGE_MAGIC_PREFIX "age-encryption.org/"
#define AGE_X25519_INFO "age-encryption.org/v1/X25519"
#define AGE_SCRYPT_LABEL "age-encryption.org/v1/scrypt"
#define AGE_TAG_BYTES 16 /* Poly1305 */
#define AGE_ENC_CHUNK (XA_AGE_CHUNK + AGE_TAG_BYTES)
#define AGE_NONCE_BYTES 16
#define AGE_MAC_BYTES 32
#define AGE_STREAM_NONCE 12 /* ChaCha20-Poly1305-IETF */
#define AGE_SCRYPT_SALT 16

/* The STREAM nonce: 11-byte big-endian chunk counter ‖ last-chunk flag. */
void xa_age__stream_nonce(uint64_t counter, int last, uint8_t nonce[AGE_STREAM_NONCE]);

/* The payload key from the file key and the 16-byte payload nonce. */
void xa_age__payload_key(const uint8_t fk[XA_AGE_FILE_KEY_BYTES],
                         const uint8_t nonce[AGE_NONCE_BYTES], uint8_t key[32]);

/* HMAC-SHA-256 of the header bytes (up to and including "---") under the
 * header key derived from the file key. */
void xa_age__header_mac(const uint8_t fk[XA_AGE_FILE_KEY_BYTES], const void *hdr, size_t len,
                        uint8_t mac[AGE_MAC_BYTES]);

/* The X25519 wrap key: HKDF(shared, share ‖ recipient, "age-encryption.org/v1/X25519"). */
void xa_age__x25519_wrap_key(const uint8_t shared[32], const uint8_t share[32],
                             const uint8_t recipient[32], uint8_t key[32]);

/* The scrypt wrap key (N = 2^log2_n, r = 8, p = 1); -1 when scrypt fails
 * (out of memory). */
int xa_age__scrypt_wrap_key(const char *pass, const uint8_t salt[AGE_SCRYPT_SALT], int log2_n,
                            uint8_t key[32]);

#endif
