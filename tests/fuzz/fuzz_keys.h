/* fuzz_keys.h — the fixed test keys shared by the fuzz harnesses and the
 * seed generator (tests/fuzz/mkseeds.c), so that seeds written by mkseeds
 * open in the harnesses.  These keys are public (they are in this file):
 * never use them for anything but tests.
 *
 * Also the memory reader the harnesses feed the age reader with: it hands
 * out at most `step` bytes per call (0 = as much as asked), so the reader's
 * buffering is exercised at every boundary. */
#ifndef XIAOAN_FUZZ_KEYS_H
#define XIAOAN_FUZZ_KEYS_H

#include "xiaoan/age.h"
#include "xiaoan/identity.h"
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_PASSPHRASE "fuzz passphrase 模糊"
#define FUZZ_SCRYPT_LOG2 2  /* work factor of the seeds' scrypt files */
#define FUZZ_SCRYPT_CAP 8   /* the harnesses refuse more (speed) */
#define FUZZ_FINGERPRINT_NAME "模糊测试"

/* X25519 secret (clamped by crypto_scalarmult) and Ed25519 seed. */
static const uint8_t fuzz_age_sk[32] = {
    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0, 0x01,
    0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf1, 0x02};
static const uint8_t fuzz_sign_seed[32] = {
    0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18, 0x29, 0x3a, 0x4b, 0x5c, 0x6d, 0x7e, 0x8f, 0x90,
    0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf0};

/* The fixed age identity (made once, kept for the life of the process). */
static inline const xa_age_identity *fuzz_age_identity(void)
{
    static xa_age_identity *id;
    if (!id && xa_age_identity_from_secret(fuzz_age_sk, &id, NULL) != XA_OK)
        abort();
    return id;
}

/* The fixed Ed25519 key pair; sk in secret memory, kept for the process. */
static inline const uint8_t *fuzz_sign_sk(uint8_t pk[32])
{
    static uint8_t *sk;
    static uint8_t spk[32];
    if (!sk) {
        if (sodium_init() < 0)
            abort();
        sk = xa_secret_alloc(64);
        crypto_sign_seed_keypair(spk, sk, fuzz_sign_seed);
    }
    if (pk)
        memcpy(pk, spk, 32);
    return sk;
}

/* The fixed inspector identity (sign + age keys above, secrets attached). */
static inline const xa_identity *fuzz_identity(void)
{
    static xa_identity *id;
    if (!id) {
        uint8_t pk[32];
        const uint8_t *sk = fuzz_sign_sk(pk);
        const xa_age_identity *a = fuzz_age_identity();
        if (xa_identity_from_public(FUZZ_FINGERPRINT_NAME, pk, a->pk, &id, NULL) != XA_OK)
            abort();
        id->sec = xa_secret_alloc(sizeof *id->sec);
        memset(id->sec, 0, sizeof *id->sec);
        memcpy(id->sec->sign_sk, sk, 64);
        memcpy(id->sec->age_sk, fuzz_age_sk, 32);
    }
    return id;
}

/* ---- memory input for the age reader ---- */

typedef struct fuzz_mem {
    const uint8_t *p;
    size_t len, off;
    size_t step; /* at most this many bytes per call; 0 = no cap */
} fuzz_mem;

static inline xa_code fuzz_mem_read(void *ctx, void *buf, size_t len, size_t *got, xa_err *err)
{
    (void)err;
    fuzz_mem *m = ctx;
    size_t k = m->len - m->off;
    if (k > len)
        k = len;
    if (m->step && k > m->step)
        k = m->step;
    if (k)
        memcpy(buf, m->p + m->off, k);
    m->off += k;
    *got = k;
    return XA_OK;
}

/* ---- memory output for the age writer ---- */

static inline xa_code fuzz_buf_write(void *ctx, const void *buf, size_t len, xa_err *err)
{
    (void)err;
    xa_buf_add(ctx, buf, len);
    return XA_OK;
}

/* Is msg one line of printable text (what every error message must be)? */
static inline int fuzz_one_line(const char *msg)
{
    if (!msg[0])
        return 0;
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

#endif
