/* ids.h — random identifiers and hex encoding.
 * Ids are 128 random bits from libsodium's randombytes, written as 32
 * lowercase hex digits: unguessable, so an id reveals nothing. */
#ifndef XIAOAN_IDS_H
#define XIAOAN_IDS_H

#include "xiaoan/error.h"

#include <stddef.h>
#include <stdint.h>

#define XA_ID_BYTES 16
#define XA_ID_HEX (XA_ID_BYTES * 2 + 1)

/* A new random id, 32 hex digits + NUL. */
void xa_random_id(char out[XA_ID_HEX]);

/* Lowercase hex of n bytes into out (2n+1 bytes room). */
void xa_hex_encode(const uint8_t *in, size_t n, char *out);

/* Decode exactly 2n hex digits (either case) into n bytes. */
xa_code xa_hex_decode(const char *hex, uint8_t *out, size_t n, xa_err *err);

/* Is s exactly a 32-digit lowercase hex id? */
int xa_id_valid(const char *s);

#endif
