/* identity.c — owns the inspector's and the office's keys: generation, the
 * passphrase wrap (xiaoan.key/1: Argon2id → XChaCha20-Poly1305, KDF
 * parameters and public parts as associated data), the public identity text
 * (the age1… recipient through age.h),
 * the fingerprint, Ed25519 signing/verification and the small base64/BLAKE2b
 * helpers the records use.  Secrets never leave xa_secret_alloc memory
 * except as ciphertext. */
#include "xiaoan/identity.h"

#include "xiaoan/age.h"
#include "xiaoan/json.h"
#include "xiaoan/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FP_DOMAIN "xiaoan-fp-v1"
#define WRAP_PLAIN_BYTES (XA_SIGN_SK_BYTES + XA_AGE_SK_BYTES + XA_DATA_KEY_BYTES)
#define WRAP_SALT_BYTES crypto_pwhash_SALTBYTES
#define WRAP_NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define WRAP_CT_BYTES (WRAP_PLAIN_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define TEXT_MAX 4096

/* The libsodium parameters of a cost level. */
xa_kdf_params xa_kdf_params_of(xa_kdf_cost cost)
{
    xa_kdf_params p;
    if (cost == XA_KDF_INTERACTIVE) {
        p.ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        p.mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    } else {
        p.ops = crypto_pwhash_OPSLIMIT_MODERATE;
        p.mem = crypto_pwhash_MEMLIMIT_MODERATE;
    }
    return p;
}

/* Parse a cost level name. */
xa_code xa_kdf_cost_parse(const char *s, xa_kdf_cost *out, xa_err *err)
{
    if (!strcmp(s, "interactive"))
        *out = XA_KDF_INTERACTIVE;
    else if (!strcmp(s, "moderate"))
        *out = XA_KDF_MODERATE;
    else
        return xa_fail(err, XA_EUSAGE, "unknown key cost '%s' (interactive or moderate)", s);
    return XA_OK;
}

/* BLAKE2b-256 of data. */
void xa_hash256(const void *data, size_t len, uint8_t out[XA_HASH_BYTES])
{
    crypto_generichash(out, XA_HASH_BYTES, data, len, NULL, 0);
}

/* Standard padded base64. */
char *xa_b64_encode(const uint8_t *in, size_t n)
{
    size_t cap = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = xa_malloc(cap);
    sodium_bin2base64(s, cap, in, n, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

/* Strict padded base64 of exactly n bytes (canonical: libsodium refuses
 * non-zero leftover bits; the length check refuses anything extra). */
xa_code xa_b64_decode_exact(const char *b64, uint8_t *out, size_t n, xa_err *err)
{
    size_t want = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL) - 1;
    size_t got = 0;
    const char *end = NULL;
    if (strlen(b64) != want ||
        sodium_base642bin(out, n, b64, want, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        got != n || end != b64 + want)
        return xa_fail(err, XA_EFORMAT, "not base64 of %zu bytes", n);
    return XA_OK;
}

/* The fingerprint: BLAKE2b-256(domain ‖ sign ‖ age) → four groups of five digits. */
void xa_fingerprint(const uint8_t sign_pk[XA_SIGN_PK_BYTES], const uint8_t age_pk[XA_AGE_PK_BYTES],
                    char out[XA_FP_MAX])
{
    crypto_generichash_state st;
    uint8_t h[32];
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const uint8_t *)FP_DOMAIN, strlen(FP_DOMAIN));
    crypto_generichash_update(&st, sign_pk, XA_SIGN_PK_BYTES);
    crypto_generichash_update(&st, age_pk, XA_AGE_PK_BYTES);
    crypto_generichash_final(&st, h, sizeof h);
    uint32_t g[4];
    for (int i = 0; i < 4; i++) {
        const uint8_t *b = h + 4 * i;
        g[i] = ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                (uint32_t)b[3] << 24) %
               100000u;
    }
    snprintf(out, XA_FP_MAX, "%05u-%05u-%05u-%05u", (unsigned)g[0], (unsigned)g[1],
             (unsigned)g[2], (unsigned)g[3]);
}

/* Accept "12345-67890-12345-67890", "12345678901234567890" or groups split
 * by spaces; give the dashed form. */
xa_code xa_fingerprint_normalize(const char *in, char out[XA_FP_MAX], xa_err *err)
{
    char digits[21];
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == 20)
                goto bad;
            digits[n++] = *p;
        } else if ((*p == '-' || *p == ' ') && n > 0 && n % 5 == 0 && n < 20 && p[1] >= '0' &&
                   p[1] <= '9' && (p == in || (p[-1] >= '0' && p[-1] <= '9'))) {
            continue;
        } else {
            goto bad;
        }
    }
    if (n != 20)
        goto bad;
    snprintf(out, XA_FP_MAX, "%.5s-%.5s-%.5s-%.5s", digits, digits + 5, digits + 10,
             digits + 15);
    return XA_OK;
bad:
    return xa_fail(err, XA_EFORMAT,
                   "not a fingerprint: want 20 digits, as 12345-67890-12345-67890");
}

/* A name as people see it on a list: printable UTF-8, trimmed, bounded. */
xa_code xa_identity_name_check(const char *name, xa_err *err)
{
    size_t len = strlen(name);
    if (len == 0)
        return xa_fail(err, XA_EFORMAT, "the name is empty");
    if (len > XA_NAME_MAX)
        return xa_fail(err, XA_EFORMAT, "the name is longer than %d bytes", XA_NAME_MAX);
    if (!xa_utf8_valid(name, len, NULL))
        return xa_fail(err, XA_EFORMAT, "the name is not valid UTF-8");
    if (name[0] == ' ' || name[len - 1] == ' ')
        return xa_fail(err, XA_EFORMAT, "the name starts or ends with a space");
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += xa_utf8_decode(name + i, len - i, &cp, NULL);
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029)
            return xa_fail(err, XA_EFORMAT, "the name contains a control character");
    }
    return XA_OK;
}

/* A zeroed identity with a copy of name. */
static xa_identity *identity_alloc(const char *name)
{
    xa_identity *id = xa_calloc(1, sizeof *id);
    id->name = xa_strdup(name);
    return id;
}

/* A new identity with fresh keys and data key. */
xa_code xa_identity_generate(const char *name, xa_identity **out, xa_err *err)
{
    xa_code c = xa_identity_name_check(name, err);
    if (c != XA_OK)
        return c;
    xa_identity *id = identity_alloc(name);
    id->sec = xa_secret_alloc(sizeof *id->sec);
    crypto_sign_keypair(id->sign_pk, id->sec->sign_sk);
    crypto_box_keypair(id->age_pk, id->sec->age_sk);
    randombytes_buf(id->sec->data_key, sizeof id->sec->data_key);
    xa_fingerprint(id->sign_pk, id->age_pk, id->fingerprint);
    *out = id;
    return XA_OK;
}

/* A public identity from its parts. */
xa_code xa_identity_from_public(const char *name, const uint8_t sign_pk[XA_SIGN_PK_BYTES],
                                const uint8_t age_pk[XA_AGE_PK_BYTES], xa_identity **out,
                                xa_err *err)
{
    xa_code c = xa_identity_name_check(name, err);
    if (c != XA_OK)
        return c;
    xa_identity *id = identity_alloc(name);
    memcpy(id->sign_pk, sign_pk, XA_SIGN_PK_BYTES);
    memcpy(id->age_pk, age_pk, XA_AGE_PK_BYTES);
    xa_fingerprint(id->sign_pk, id->age_pk, id->fingerprint);
    *out = id;
    return XA_OK;
}

/* A deep copy, with or without the secrets. */
xa_identity *xa_identity_dup(const xa_identity *id, int with_secrets)
{
    xa_identity *d = identity_alloc(id->name);
    memcpy(d->sign_pk, id->sign_pk, sizeof d->sign_pk);
    memcpy(d->age_pk, id->age_pk, sizeof d->age_pk);
    memcpy(d->fingerprint, id->fingerprint, sizeof d->fingerprint);
    if (with_secrets && id->sec) {
        d->sec = xa_secret_alloc(sizeof *d->sec);
        memcpy(d->sec, id->sec, sizeof *d->sec);
    }
    return d;
}

/* Wipe and free. */
void xa_identity_free(xa_identity *id)
{
    if (!id)
        return;
    xa_secret_free(id->sec);
    free(id->name);
    free(id);
}

/* Add a base64 member to obj. */
static void set_b64(json_t *obj, const char *key, const uint8_t *data, size_t n)
{
    char *s = xa_b64_encode(data, n);
    json_object_set_new(obj, key, json_string(s));
    free(s);
}

/* The associated data: canonical bytes of the wrapped object without its
 * nonce and ciphertext. */
static xa_code wrap_ad(const json_t *wrapped, xa_buf *ad, xa_err *err)
{
    json_t *h = json_deep_copy(wrapped);
    json_object_del(h, "nonce");
    json_object_del(h, "ct");
    xa_code c = xa_json_canonical(h, ad, err);
    json_decref(h);
    return c;
}

/* Argon2id key of pass (secret memory; NULL with err set on failure). */
static uint8_t *derive_key(const char *pass, const uint8_t salt[WRAP_SALT_BYTES],
                           const xa_kdf_params *kdf, xa_err *err)
{
    uint8_t *key = xa_secret_alloc(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    if (crypto_pwhash(key, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, pass, strlen(pass), salt,
                      (unsigned long long)kdf->ops, (size_t)kdf->mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        xa_secret_free(key);
        xa_fail(err, XA_ELIMIT, "not enough memory for the key derivation (%llu MiB)",
                (unsigned long long)(kdf->mem >> 20));
        return NULL;
    }
    return key;
}

/* Are the parameters within what we accept? */
static xa_code check_params(const xa_kdf_params *kdf, xa_err *err)
{
    if (kdf->mem > XA_KDF_MEM_CAP)
        return xa_fail(err, XA_ELIMIT, "key memory cost %llu MiB is over the %llu MiB limit",
                       (unsigned long long)(kdf->mem >> 20),
                       (unsigned long long)(XA_KDF_MEM_CAP >> 20));
    if (kdf->ops > XA_KDF_OPS_CAP)
        return xa_fail(err, XA_ELIMIT, "key time cost %llu is over the limit of %llu",
                       (unsigned long long)kdf->ops, (unsigned long long)XA_KDF_OPS_CAP);
    if (kdf->mem < crypto_pwhash_MEMLIMIT_MIN || kdf->ops < crypto_pwhash_OPSLIMIT_MIN)
        return xa_fail(err, XA_EFORMAT, "key cost below the Argon2id minimum");
    return XA_OK;
}

/* Wrap the secrets under pass. */
xa_code xa_identity_wrap(const xa_identity *id, const char *pass, const xa_kdf_params *kdf,
                         json_t **out, xa_err *err)
{
    if (!id->sec)
        return xa_fail(err, XA_ESTATE, "a public identity has no secrets to wrap");
    if (!pass || !*pass)
        return xa_fail(err, XA_EUSAGE, "an empty passphrase is not allowed");
    xa_code c = check_params(kdf, err);
    if (c != XA_OK)
        return c;
    uint8_t salt[WRAP_SALT_BYTES], nonce[WRAP_NONCE_BYTES], ct[WRAP_CT_BYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    json_t *w = json_object();
    json_object_set_new(w, "format", json_string(XA_KEY_FORMAT));
    json_object_set_new(w, "kdf", json_string(XA_KDF_ID));
    json_object_set_new(w, "ops", json_integer((json_int_t)kdf->ops));
    json_object_set_new(w, "mem", json_integer((json_int_t)kdf->mem));
    set_b64(w, "salt", salt, sizeof salt);
    json_object_set_new(w, "name", json_string(id->name));
    set_b64(w, "sign", id->sign_pk, sizeof id->sign_pk);
    set_b64(w, "age", id->age_pk, sizeof id->age_pk);
    xa_buf ad = XA_BUF_INIT;
    if ((c = wrap_ad(w, &ad, err)) != XA_OK)
        goto fail;
    uint8_t *key = derive_key(pass, salt, kdf, err);
    if (!key) {
        c = err ? err->code : XA_ELIMIT;
        goto fail;
    }
    uint8_t *plain = xa_secret_alloc(WRAP_PLAIN_BYTES);
    memcpy(plain, id->sec->sign_sk, XA_SIGN_SK_BYTES);
    memcpy(plain + XA_SIGN_SK_BYTES, id->sec->age_sk, XA_AGE_SK_BYTES);
    memcpy(plain + XA_SIGN_SK_BYTES + XA_AGE_SK_BYTES, id->sec->data_key, XA_DATA_KEY_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, plain, WRAP_PLAIN_BYTES,
                                               (const uint8_t *)ad.data, ad.len, NULL, nonce,
                                               key);
    xa_secret_free(plain);
    xa_secret_free(key);
    set_b64(w, "nonce", nonce, sizeof nonce);
    set_b64(w, "ct", ct, sizeof ct);
    xa_buf_clear(&ad);
    *out = w;
    return XA_OK;
fail:
    xa_buf_clear(&ad);
    json_decref(w);
    return c;
}

/* Check the members of a wrapped object: exactly the known keys. */
static xa_code wrapped_shape(const json_t *w, xa_err *err)
{
    static const char *const keys[] = {"format", "kdf", "ops",  "mem", "salt",
                                       "nonce",  "name", "sign", "age", "ct"};
    if (!json_is_object(w))
        return xa_fail(err, XA_EFORMAT, "the key record is not a JSON object");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)w, k, v)
    {
        int known = 0;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            known |= !strcmp(k, keys[i]);
        if (!known)
            return xa_fail(err, XA_EFORMAT, "key record: unknown field '%s'", k);
    }
    const char *s;
    xa_code c = xa_json_str(w, "format", &s, err);
    if (c != XA_OK) {
        xa_err_prefix(err, "key record");
        return c;
    }
    if (strcmp(s, XA_KEY_FORMAT))
        return xa_fail(err, XA_EFORMAT, "key record: unknown format '%s'", s);
    if ((c = xa_json_str(w, "kdf", &s, err)) != XA_OK) {
        xa_err_prefix(err, "key record");
        return c;
    }
    if (strcmp(s, XA_KDF_ID))
        return xa_fail(err, XA_EFORMAT, "key record: unknown kdf '%s'", s);
    return XA_OK;
}

/* The KDF parameters of a wrapped object. */
xa_code xa_identity_wrapped_params(const json_t *wrapped, xa_kdf_params *out, xa_err *err)
{
    xa_code c = wrapped_shape(wrapped, err);
    if (c != XA_OK)
        return c;
    json_int_t ops, mem;
    if ((c = xa_json_int(wrapped, "ops", &ops, err)) != XA_OK ||
        (c = xa_json_int(wrapped, "mem", &mem, err)) != XA_OK) {
        xa_err_prefix(err, "key record");
        return c;
    }
    if (ops < 0 || mem < 0)
        return xa_fail(err, XA_EFORMAT, "key record: negative cost");
    out->ops = (uint64_t)ops;
    out->mem = (uint64_t)mem;
    return check_params(out, err);
}

/* Decode a base64 member of exactly n bytes. */
static xa_code get_b64(const json_t *obj, const char *key, uint8_t *out, size_t n, xa_err *err)
{
    const char *s;
    xa_code c = xa_json_str(obj, key, &s, err);
    if (c == XA_OK)
        c = xa_b64_decode_exact(s, out, n, err);
    if (c != XA_OK) {
        xa_err_prefix(err, "key record: %s", key);
        return c;
    }
    return XA_OK;
}

/* The public identity of a wrapped object. */
xa_code xa_identity_wrapped_public(const json_t *wrapped, xa_identity **out, xa_err *err)
{
    xa_code c = wrapped_shape(wrapped, err);
    if (c != XA_OK)
        return c;
    const char *name;
    uint8_t sign_pk[XA_SIGN_PK_BYTES], age_pk[XA_AGE_PK_BYTES];
    if ((c = xa_json_str(wrapped, "name", &name, err)) != XA_OK) {
        xa_err_prefix(err, "key record");
        return c;
    }
    if ((c = get_b64(wrapped, "sign", sign_pk, sizeof sign_pk, err)) != XA_OK ||
        (c = get_b64(wrapped, "age", age_pk, sizeof age_pk, err)) != XA_OK)
        return c;
    if ((c = xa_identity_from_public(name, sign_pk, age_pk, out, err)) != XA_OK) {
        xa_err_prefix(err, "key record");
        return c;
    }
    return XA_OK;
}

/* Unwrap the secrets of a wrapped object with pass. */
xa_code xa_identity_unwrap(const json_t *wrapped, const char *pass, xa_identity **out,
                           xa_err *err)
{
    xa_kdf_params kdf;
    xa_code c = xa_identity_wrapped_params(wrapped, &kdf, err);
    if (c != XA_OK)
        return c;
    xa_identity *id = NULL;
    if ((c = xa_identity_wrapped_public(wrapped, &id, err)) != XA_OK)
        return c;
    uint8_t salt[WRAP_SALT_BYTES], nonce[WRAP_NONCE_BYTES], ct[WRAP_CT_BYTES];
    xa_buf ad = XA_BUF_INIT;
    uint8_t *key = NULL, *plain = NULL;
    if ((c = get_b64(wrapped, "salt", salt, sizeof salt, err)) != XA_OK ||
        (c = get_b64(wrapped, "nonce", nonce, sizeof nonce, err)) != XA_OK ||
        (c = get_b64(wrapped, "ct", ct, sizeof ct, err)) != XA_OK ||
        (c = wrap_ad(wrapped, &ad, err)) != XA_OK)
        goto fail;
    if (!(key = derive_key(pass, salt, &kdf, err))) {
        c = XA_ELIMIT;
        goto fail;
    }
    plain = xa_secret_alloc(WRAP_PLAIN_BYTES);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, ct, sizeof ct,
                                                   (const uint8_t *)ad.data, ad.len, nonce,
                                                   key) != 0) {
        c = xa_fail(err, XA_EPASS, "wrong passphrase");
        goto fail;
    }
    id->sec = xa_secret_alloc(sizeof *id->sec);
    memcpy(id->sec->sign_sk, plain, XA_SIGN_SK_BYTES);
    memcpy(id->sec->age_sk, plain + XA_SIGN_SK_BYTES, XA_AGE_SK_BYTES);
    memcpy(id->sec->data_key, plain + XA_SIGN_SK_BYTES + XA_AGE_SK_BYTES, XA_DATA_KEY_BYTES);
    /* The secret keys must belong to the public keys recorded beside them. */
    uint8_t pk[32];
    crypto_sign_ed25519_sk_to_pk(pk, id->sec->sign_sk);
    int ok = sodium_memcmp(pk, id->sign_pk, 32) == 0;
    crypto_scalarmult_base(pk, id->sec->age_sk);
    ok &= sodium_memcmp(pk, id->age_pk, 32) == 0;
    if (!ok) {
        c = xa_fail(err, XA_ECRYPTO, "key record: secret keys do not match the public keys");
        goto fail;
    }
    xa_secret_free(plain);
    xa_secret_free(key);
    xa_buf_clear(&ad);
    *out = id;
    return XA_OK;
fail:
    xa_secret_free(plain);
    xa_secret_free(key);
    xa_buf_clear(&ad);
    xa_identity_free(id);
    return c;
}

/* Public identity as JSON (the office object of a brief's settings). */
json_t *xa_identity_public_json(const xa_identity *id)
{
    char recipient[XA_AGE_RECIPIENT_MAX];
    xa_age_recipient_encode(id->age_pk, recipient);
    char *sign = xa_b64_encode(id->sign_pk, sizeof id->sign_pk);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "name", id->name, "fingerprint",
                          id->fingerprint, "sign", sign, "age", recipient);
    free(sign);
    return o;
}

/* Public identity text. */
xa_code xa_identity_text(const xa_identity *id, xa_buf *out, xa_err *err)
{
    (void)err;
    char recipient[XA_AGE_RECIPIENT_MAX];
    xa_age_recipient_encode(id->age_pk, recipient);
    char *sign = xa_b64_encode(id->sign_pk, sizeof id->sign_pk);
    xa_buf_printf(out, "name: %s\nsign: %s\nage: %s\nfingerprint: %s\n", id->name, sign,
                  recipient, id->fingerprint);
    free(sign);
    return XA_OK;
}

/* Parse public identity text: name/sign/age/fingerprint, each once. */
xa_code xa_identity_parse_text(const char *text, size_t len, xa_identity **out, xa_err *err)
{
    static const char *const keys[] = {"name", "sign", "age", "fingerprint"};
    char *val[4] = {NULL, NULL, NULL, NULL};
    int line_of[4] = {0, 0, 0, 0};
    xa_code c = XA_OK;
    if (len > TEXT_MAX)
        return xa_fail(err, XA_ELIMIT, "identity text longer than %d bytes", TEXT_MAX);
    if (memchr(text, '\0', len))
        return xa_fail(err, XA_EFORMAT, "identity text contains a NUL byte");
    if (!xa_utf8_valid(text, len, NULL))
        return xa_fail(err, XA_EFORMAT, "identity text is not valid UTF-8");
    size_t pos = 0;
    int lineno = 0;
    while (pos < len) {
        lineno++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t llen = end - pos;
        const char *line = text + pos;
        pos = nl ? end + 1 : len;
        if (llen && line[llen - 1] == '\r')
            llen--;
        if (llen == 0) {
            /* Only trailing empty lines are allowed. */
            int rest_blank = 1;
            for (size_t i = pos; i < len; i++)
                rest_blank &= text[i] == '\n' || text[i] == '\r';
            if (rest_blank)
                break;
            c = xa_fail(err, XA_EFORMAT, "line %d: empty line", lineno);
            goto fail;
        }
        const char *colon = memchr(line, ':', llen);
        if (!colon || (size_t)(colon - line) + 1 >= llen || colon[1] != ' ') {
            c = xa_fail(err, XA_EFORMAT, "line %d: expected 'key: value'", lineno);
            goto fail;
        }
        size_t klen = (size_t)(colon - line);
        int k = -1;
        for (int i = 0; i < 4; i++)
            if (strlen(keys[i]) == klen && !memcmp(line, keys[i], klen))
                k = i;
        if (k < 0) {
            c = xa_fail(err, XA_EFORMAT, "line %d: unknown key '%.*s'", lineno,
                        (int)(klen > 40 ? 40 : klen), line);
            goto fail;
        }
        if (val[k]) {
            c = xa_fail(err, XA_EFORMAT, "line %d: '%s' given twice (first on line %d)",
                        lineno, keys[k], line_of[k]);
            goto fail;
        }
        val[k] = xa_strndup(colon + 2, llen - klen - 2);
        line_of[k] = lineno;
    }
    for (int i = 0; i < 4; i++)
        if (!val[i]) {
            c = xa_fail(err, XA_EFORMAT, "missing '%s:' line", keys[i]);
            goto fail;
        }
    uint8_t sign_pk[XA_SIGN_PK_BYTES], age_pk[XA_AGE_PK_BYTES];
    if ((c = xa_identity_name_check(val[0], err)) != XA_OK) {
        xa_err_prefix(err, "line %d", line_of[0]);
        goto fail;
    }
    if ((c = xa_b64_decode_exact(val[1], sign_pk, sizeof sign_pk, err)) != XA_OK) {
        xa_fail(err, XA_EFORMAT, "line %d: sign: not a base64 Ed25519 public key", line_of[1]);
        goto fail;
    }
    if (xa_age_recipient_parse(val[2], age_pk, NULL) != XA_OK) {
        c = xa_fail(err, XA_EFORMAT, "line %d: age: not an age1… recipient", line_of[2]);
        goto fail;
    }
    char fp[XA_FP_MAX], want[XA_FP_MAX];
    if ((c = xa_fingerprint_normalize(val[3], fp, err)) != XA_OK) {
        xa_err_prefix(err, "line %d", line_of[3]);
        goto fail;
    }
    xa_fingerprint(sign_pk, age_pk, want);
    if (strcmp(fp, want)) {
        c = xa_fail(err, XA_EFORMAT, "line %d: fingerprint %s does not match the keys",
                    line_of[3], fp);
        goto fail;
    }
    c = xa_identity_from_public(val[0], sign_pk, age_pk, out, err);
fail:
    for (int i = 0; i < 4; i++)
        free(val[i]);
    return c;
}

/* Sign with the identity's Ed25519 key. */
xa_code xa_identity_sign(const xa_identity *id, const void *msg, size_t len,
                         uint8_t sig[XA_SIG_BYTES], xa_err *err)
{
    if (!id->sec)
        return xa_fail(err, XA_ESTATE, "a public identity cannot sign");
    crypto_sign_detached(sig, NULL, msg, len, id->sec->sign_sk);
    return XA_OK;
}

/* Verify an Ed25519 signature. */
xa_code xa_sign_verify(const uint8_t pk[XA_SIGN_PK_BYTES], const void *msg, size_t len,
                       const uint8_t sig[XA_SIG_BYTES], xa_err *err)
{
    if (crypto_sign_verify_detached(sig, msg, len, pk) != 0)
        return xa_fail(err, XA_ESIG, "bad signature");
    return XA_OK;
}
