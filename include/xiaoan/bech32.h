/* bech32.h — Bech32 (BIP 173) encoding of bytes, as age uses it for
 * "age1…" recipients and "AGE-SECRET-KEY-1…" identities.
 *
 * Unlike BIP 173 there is no 90-character limit.  Decoding is strict:
 * mixed case, characters outside 33..126 or the data alphabet, a bad
 * checksum, 5 or more padding bits and non-zero padding bits are errors.
 * Intermediate buffers are wiped, so the functions may carry secrets. */
#ifndef XIAOAN_BECH32_H
#define XIAOAN_BECH32_H

#include "xiaoan/error.h"

#include <stddef.h>
#include <stdint.h>

/* Size (with the NUL) of the encoding of len bytes under an hrp of hrplen chars. */
size_t xa_bech32_encoded_size(size_t hrplen, size_t len);

/* Encode data under hrp (lowercase ASCII 33..126; the checksum is over it)
 * into out (outmax bytes, see xa_bech32_encoded_size); upper != 0 writes the
 * whole string in upper case.  XA_EUSAGE for a bad hrp or a small out. */
xa_code xa_bech32_encode(const char *hrp, const uint8_t *data, size_t len, int upper, char *out,
                         size_t outmax, xa_err *err);

/* Decode s: the hrp goes to hrp (hrpmax bytes with the NUL, in the case it
 * had in s), the bytes to out (outmax), their count to *outlen.
 * XA_EFORMAT with a one-line reason when s is not valid Bech32 (the message
 * never quotes s), XA_ELIMIT when hrp or out is too small. */
xa_code xa_bech32_decode(const char *s, char *hrp, size_t hrpmax, uint8_t *out, size_t outmax,
                         size_t *outlen, xa_err *err);

#endif
