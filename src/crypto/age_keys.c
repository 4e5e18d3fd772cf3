/* age_keys.c — age X25519 identities and recipients, and the key schedule
 * shared by the writer and the reader.
 *
 * Owns: key generation, the Bech32 text forms of identities and recipients,
 * identity-file parsing, the HKDF-derived keys (wrap, header MAC, payload),
 * the STREAM nonce and the stdio adapters.  Secret keys live in
 * xa_secret_alloc memory; stack copies are wiped. */
#include "age_impl.h"

#include "xiaoan/bech32.h"
#include "xiaoan/hkdf.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define HRP_RECIPIENT "age"
#define HRP_IDENTITY "age-secret-key-"
#define HRP_IDENTITY_UPPER "AGE-SECRET-KEY-"

/* One identity's secret memory kept, wiped, after xa_age_identity_free for
 * the next identity: the office's merge derives its age identity for every
 * bundle, and mapping, locking, guarding and unmapping secret pages (each
 * mprotect/munmap flushes the other CPUs' TLBs) cost more than deriving the
 * key.  Only wiped memory is kept, never a key.  (xiaoan runs one thread.) */
static xa_age_identity *spare_identity;

/* Secret memory for one identity (the spare when there is one). */
static xa_age_identity *identity_alloc(void)
{
    xa_age_identity *id = spare_identity;
    spare_identity = NULL;
    return id ? id : xa_secret_alloc(sizeof *id);
}

/* A new identity from a secret key (public key derived). */
xa_code xa_age_identity_from_secret(const uint8_t sk[XA_AGE_SK_BYTES], xa_age_identity **out,
                                    xa_err *err)
{
    xa_age_identity *id = identity_alloc();
    memcpy(id->sk, sk, XA_AGE_SK_BYTES);
    if (crypto_scalarmult_base(id->pk, id->sk) != 0) {
        xa_age_identity_free(id);
        return xa_fail(err, XA_EFORMAT, "not a usable X25519 secret key");
    }
    *out = id;
    return XA_OK;
}

/* A fresh random identity. */
xa_code xa_age_keygen(xa_age_identity **out, xa_err *err)
{
    if (sodium_init() < 0)
        return xa_fail(err, XA_ECRYPTO, "libsodium cannot be initialised");
    xa_age_identity *id = identity_alloc();
    randombytes_buf(id->sk, sizeof id->sk);
    crypto_scalarmult_base(id->pk, id->sk);
    *out = id;
    return XA_OK;
}

/* Wipe an identity and keep its memory as the spare (or free it). */
void xa_age_identity_free(xa_age_identity *id)
{
    if (!id)
        return;
    if (spare_identity) {
        xa_secret_free(id); /* wipes it */
        return;
    }
    sodium_memzero(id, sizeof *id);
    spare_identity = id;
}

/* Parse an upper-case "AGE-SECRET-KEY-1…" identity. */
xa_code xa_age_identity_parse(const char *s, xa_age_identity **out, xa_err *err)
{
    char hrp[32];
    uint8_t *sk = xa_secret_alloc(64);
    size_t n = 0;
    xa_code rc = xa_bech32_decode(s, hrp, sizeof hrp, sk, 64, &n, err);
    if (rc == XA_ELIMIT)
        rc = xa_fail(err, XA_EFORMAT, "not an age identity (too long)");
    if (rc != XA_OK) {
        xa_err_prefix(err, "not an age identity");
        goto done;
    }
    if (strcmp(hrp, HRP_IDENTITY_UPPER) != 0) {
        rc = xa_fail(err, XA_EFORMAT, "not an age identity (it must start with %s1)",
                     HRP_IDENTITY_UPPER);
        goto done;
    }
    if (n != XA_AGE_SK_BYTES) {
        rc = xa_fail(err, XA_EFORMAT, "not an age identity (the key is %zu bytes, not 32)", n);
        goto done;
    }
    rc = xa_age_identity_from_secret(sk, out, err);
done:
    xa_secret_free(sk);
    return rc;
}

/* The Bech32 text of an identity (upper case). */
void xa_age_identity_encode(const xa_age_identity *id, char out[XA_AGE_IDENTITY_MAX])
{
    xa_code rc = xa_bech32_encode(HRP_IDENTITY, id->sk, XA_AGE_SK_BYTES, 1, out,
                                  XA_AGE_IDENTITY_MAX, NULL);
    if (rc != XA_OK) /* cannot happen: fixed sizes */
        out[0] = '\0';
}

/* Free an identity array. */
void xa_age_identities_free(xa_age_identity **ids, size_t n)
{
    if (!ids)
        return;
    for (size_t i = 0; i < n; i++)
        xa_age_identity_free(ids[i]);
    free(ids);
}

/* Parse an identity file: comments and blank lines skipped, one identity a line. */
xa_code xa_age_identities_parse(const char *text, size_t len, xa_age_identity ***out, size_t *n,
                                xa_err *err)
{
    xa_age_identity **ids = NULL;
    size_t count = 0, lineno = 0;
    char *line = xa_secret_alloc(XA_AGE_IDENTITY_MAX + 2);
    xa_code rc = XA_OK;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t l = end - pos;
        const char *p = text + pos;
        lineno++;
        pos = end + (nl ? 1 : 0);
        if (l && p[l - 1] == '\r')
            l--;
        if (l == 0 || p[0] == '#')
            continue;
        if (l > XA_AGE_IDENTITY_MAX || memchr(p, '\0', l)) {
            rc = xa_fail(err, XA_EFORMAT, "line %zu is not an age identity", lineno);
            goto fail;
        }
        memcpy(line, p, l);
        line[l] = '\0';
        xa_age_identity *id = NULL;
        if ((rc = xa_age_identity_parse(line, &id, err)) != XA_OK) {
            xa_err_prefix(err, "line %zu", lineno);
            goto fail;
        }
        ids = xa_reallocarray(ids, count + 1, sizeof *ids);
        ids[count++] = id;
    }
    if (count == 0) {
        rc = xa_fail(err, XA_EFORMAT, "no age identity in the file");
        goto fail;
    }
    xa_secret_free(line);
    *out = ids;
    *n = count;
    return XA_OK;
fail:
    xa_secret_free(line);
    xa_age_identities_free(ids, count);
    return rc;
}

/* The Bech32 text of a recipient (lower case). */
void xa_age_recipient_encode(const uint8_t pk[XA_AGE_PK_BYTES], char out[XA_AGE_RECIPIENT_MAX])
{
    if (xa_bech32_encode(HRP_RECIPIENT, pk, XA_AGE_PK_BYTES, 0, out, XA_AGE_RECIPIENT_MAX, NULL) !=
        XA_OK)
        out[0] = '\0';
}

/* Parse a lower-case "age1…" recipient. */
xa_code xa_age_recipient_parse(const char *s, uint8_t pk[XA_AGE_PK_BYTES], xa_err *err)
{
    char hrp[16];
    uint8_t buf[64];
    size_t n = 0;
    xa_code rc = xa_bech32_decode(s, hrp, sizeof hrp, buf, sizeof buf, &n, err);
    if (rc == XA_ELIMIT)
        return xa_fail(err, XA_EFORMAT, "not an age recipient (too long)");
    if (rc != XA_OK)
        return xa_err_prefixed(rc, err, "not an age recipient");
    if (strcmp(hrp, HRP_RECIPIENT) != 0)
        return xa_fail(err, XA_EFORMAT, "not an age recipient (it must start with age1)");
    if (n != XA_AGE_PK_BYTES)
        return xa_fail(err, XA_EFORMAT, "not an age recipient (the key is %zu bytes, not 32)", n);
    memcpy(pk, buf, XA_AGE_PK_BYTES);
    return XA_OK;
}

/* fwrite everything or report why not. */
xa_code xa_age_fwrite(void *fp, const void *buf, size_t len, xa_err *err)
{
    if (len && fwrite(buf, 1, len, fp) != len)
        return xa_fail_errno(err, errno ? errno : EIO, "cannot write the age file");
    return XA_OK;
}

/* fread up to len bytes; 0 at end of file. */
xa_code xa_age_fread(void *fp, void *buf, size_t len, size_t *got, xa_err *err)
{
    size_t n = fread(buf, 1, len, fp);
    if (n == 0 && ferror(fp))
        return xa_fail_errno(err, errno ? errno : EIO, "cannot read the age file");
    *got = n;
    return XA_OK;
}

/* ---- key schedule ---- */

/* 11-byte big-endian counter, then the last-chunk flag (not sodium_increment: LE). */
void xa_age__stream_nonce(uint64_t counter, int last, uint8_t nonce[AGE_STREAM_NONCE])
{
    memset(nonce, 0, AGE_STREAM_NONCE);
    for (int i = 0; i < 8; i++)
        nonce[10 - i] = (uint8_t)(counter >> (8 * i));
    nonce[11] = last ? 1 : 0;
}

/* HKDF(ikm = file key, salt = nonce, info = "payload"). */
void xa_age__payload_key(const uint8_t fk[XA_AGE_FILE_KEY_BYTES],
                         const uint8_t nonce[AGE_NONCE_BYTES], uint8_t key[32])
{
    xa_hkdf_sha256(key, 32, nonce, AGE_NONCE_BYTES, fk, XA_AGE_FILE_KEY_BYTES,
                   (const uint8_t *)"payload", 7, NULL);
}

/* HMAC-SHA-256 under HKDF(ikm = file key, salt = empty, info = "header"). */
void xa_age__header_mac(const uint8_t fk[XA_AGE_FILE_KEY_BYTES], const void *hdr, size_t len,
                        uint8_t mac[AGE_MAC_BYTES])
{
    uint8_t key[32];
    xa_hkdf_sha256(key, sizeof key, NULL, 0, fk, XA_AGE_FILE_KEY_BYTES,
                   (const uint8_t *)"header", 6, NULL);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, sizeof key);
    crypto_auth_hmacsha256_update(&st, hdr, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
    sodium_memzero(key, sizeof key);
}

/* HKDF(ikm = shared secret, salt = share ‖ recipient, info = the X25519 label). */
void xa_age__x25519_wrap_key(const uint8_t shared[32], const uint8_t share[32],
                             const uint8_t recipient[32], uint8_t key[32])
{
    uint8_t salt[64];
    memcpy(salt, share, 32);
    memcpy(salt + 32, recipient, 32);
    xa_hkdf_sha256(key, 32, salt, sizeof salt, shared, 32, (const uint8_t *)AGE_X25519_INFO,
                   strlen(AGE_X25519_INFO), NULL);
}

/* scrypt(N = 2^log2_n, r = 8, p = 1) over the label ‖ salt. */
int xa_age__scrypt_wrap_key(const char *pass, const uint8_t salt[AGE_SCRYPT_SALT], int log2_n,
                            uint8_t key[32])
{
    uint8_t s[sizeof AGE_SCRYPT_LABEL - 1 + AGE_SCRYPT_SALT];
    memcpy(s, AGE_SCRYPT_LABEL, sizeof AGE_SCRYPT_LABEL - 1);
    memcpy(s + sizeof AGE_SCRYPT_LABEL - 1, salt, AGE_SCRYPT_SALT);
    return crypto_pwhash_scryptsalsa208sha256_ll((const uint8_t *)pass, strlen(pass), s, sizeof s,
                                                 (uint64_t)1 << log2_n, 8, 1, key, 32);
}
