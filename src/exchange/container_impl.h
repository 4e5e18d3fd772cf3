/* container_impl.h — helpers shared by the container writer and reader
 * (src/exchange/container*.c only; not part of the public API). */
#ifndef XIAOAN_CONTAINER_IMPL_H
#define XIAOAN_CONTAINER_IMPL_H

#include "xiaoan/container.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define CONTAINER_HASH_BYTES 64 /* BLAKE2b-512 of the lines before the trailer */
#define CONTAINER_WRITE_WINDOW_LOG 23
#define CONTAINER_ZSTD_LEVEL 3

/* Standard padded base64 of n bytes (a new string). */
char *xa_container__b64(const uint8_t *in, size_t n);

/* Strict standard padded base64 that must decode to exactly n bytes: 0 or -1. */
int xa_container__b64_decode(const char *s, uint8_t *out, size_t n);

/* Check a manifest object's shape (keys, types, sender key, prev, created);
 * the sender's public key goes to pk.  The message starts with what is
 * wrong, e.g. "field 'seq' must be an integer". */
xa_code xa_container__check_manifest(const json_t *m, uint8_t pk[32], xa_err *err);

/* The version (1 or 2) of a known format string, 0 if unknown. */
int xa_container__version(const char *format);

/* The signature context label of a format (NULL for version 1). */
const char *xa_container__label(const char *format);

/* Sign / verify the trailer hash under label (NULL: the bare hash, version 1);
 * verify returns 0 when the signature holds. */
void xa_container__sign(const char *label, const uint8_t hash[64], const uint8_t *sign_sk,
                        uint8_t sig[64]);
int xa_container__verify(const char *label, const uint8_t hash[64], const uint8_t sig[64],
                         const uint8_t pk[32]);

/* Is s 64 lowercase hex digits? */
int xa_container__is_hash_hex(const char *s);

#endif
