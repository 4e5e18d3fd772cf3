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

/* Is s 64 lowercase hex digits? */
int xa_container__is_hash_hex(const char *s);

#endif
