/* hkdf.c — HKDF-SHA-256 (RFC 5869) on crypto_auth_hmacsha256.
 *
 * Owns nothing but the two HKDF steps; intermediate keys are wiped. */
#include "xiaoan/hkdf.h"

#include <sodium.h>
#include <string.h>

/* Extract PRK = HMAC(salt, ikm), then expand T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i). */
xa_code xa_hkdf_sha256(uint8_t *out, size_t outlen, const uint8_t *salt, size_t saltlen,
                       const uint8_t *ikm, size_t ikmlen, const uint8_t *info, size_t infolen,
                       xa_err *err)
{
    static const uint8_t none[1] = {0};
    if (outlen == 0 || outlen > XA_HKDF_SHA256_MAX)
        return xa_fail(err, XA_EUSAGE, "HKDF output length %zu is out of range", outlen);
    if (!salt)
        salt = none, saltlen = 0;
    if (!ikm)
        ikm = none, ikmlen = 0;
    if (!info)
        info = none, infolen = 0;

    uint8_t prk[crypto_auth_hmacsha256_BYTES];
    uint8_t t[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;

    /* An empty salt is the same HMAC key as 32 zero bytes (keys are zero-padded). */
    crypto_auth_hmacsha256_init(&st, salt, saltlen);
    crypto_auth_hmacsha256_update(&st, ikm, ikmlen);
    crypto_auth_hmacsha256_final(&st, prk);

    size_t done = 0;
    for (unsigned i = 1; done < outlen; i++) {
        uint8_t ctr = (uint8_t)i;
        crypto_auth_hmacsha256_init(&st, prk, sizeof prk);
        if (i > 1)
            crypto_auth_hmacsha256_update(&st, t, sizeof t);
        crypto_auth_hmacsha256_update(&st, info, infolen);
        crypto_auth_hmacsha256_update(&st, &ctr, 1);
        crypto_auth_hmacsha256_final(&st, t);
        size_t n = outlen - done < sizeof t ? outlen - done : sizeof t;
        memcpy(out + done, t, n);
        done += n;
    }
    sodium_memzero(prk, sizeof prk);
    sodium_memzero(t, sizeof t);
    sodium_memzero(&st, sizeof st);
    return XA_OK;
}
