/* hkdf.h — HKDF-SHA-256 (RFC 5869) built on libsodium's HMAC-SHA-256.
 *
 * libsodium 1.0.18 has no HKDF (crypto_kdf there is BLAKE2b), and age v1
 * needs HKDF-SHA-256 for its wrap, header-MAC and payload keys. */
#ifndef XIAOAN_HKDF_H
#define XIAOAN_HKDF_H

#include "xiaoan/error.h"

#include <stddef.h>
#include <stdint.h>

#define XA_HKDF_SHA256_MAX (255 * 32) /* the RFC 5869 output limit */

/* HKDF-SHA-256: extract with salt (may be empty) over ikm, expand with info
 * into outlen bytes (1..XA_HKDF_SHA256_MAX).  XA_EUSAGE for a bad length. */
xa_code xa_hkdf_sha256(uint8_t *out, size_t outlen, const uint8_t *salt, size_t saltlen,
                       const uint8_t *ikm, size_t ikmlen, const uint8_t *info, size_t infolen,
                       xa_err *err);

#endif
