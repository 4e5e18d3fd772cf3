/* age_write.c — the streaming age v1 writer.
 *
 * Owns the header (one X25519 stanza per recipient, or one scrypt stanza,
 * and the MAC), the payload nonce and the STREAM chunking.  The writer keeps
 * one chunk of lookahead: a full 64 KiB chunk is only sealed (as not-last)
 * once more plaintext arrives, so finish() can always mark the real last
 * chunk — a payload that is an exact multiple of 64 KiB ends with a full
 * chunk flagged last, and an empty payload is one empty final chunk.
 * The file key, payload key and buffered plaintext are in secret memory. */
#include "age_impl.h"

#include "xiaoan/mem.h"

#include <sodium.h>
#include <string.h>

enum { W_OPEN, W_DONE, W_FAILED };

struct xa_age_writer {
    xa_age_write_fn fn;
    void *ctx;
    uint8_t *key;   /* payload key, secret memory (32) */
    uint8_t *plain; /* one chunk of plaintext, secret memory */
    size_t plen;
    uint8_t *enc; /* one sealed chunk */
    uint64_t counter;
    int state;
};

/* Append base64 (standard, unpadded) of n bytes to b. */
static void b64_add(xa_buf *b, const uint8_t *in, size_t n)
{
    size_t sz = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    char *tmp = xa_malloc(sz);
    sodium_bin2base64(tmp, sz, in, n, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    xa_buf_puts(b, tmp);
    free(tmp);
}

/* Append a stanza body: base64 wrapped at 64 columns, ending with a short line. */
static void body_add(xa_buf *b, const uint8_t *in, size_t n)
{
    xa_buf line = XA_BUF_INIT;
    b64_add(&line, in, n);
    size_t off = 0;
    for (;;) {
        size_t l = line.len - off < 64 ? line.len - off : 64;
        xa_buf_add(b, line.data + off, l);
        xa_buf_putc(b, '\n');
        off += l;
        if (l < 64)
            break;
    }
    xa_buf_clear(&line);
}

/* New writer state around fn/ctx. */
static xa_age_writer *writer_new(xa_age_write_fn fn, void *ctx)
{
    xa_age_writer *w = xa_calloc(1, sizeof *w);
    w->fn = fn;
    w->ctx = ctx;
    w->key = xa_secret_alloc(32);
    w->plain = xa_secret_alloc(XA_AGE_CHUNK);
    w->enc = xa_malloc(AGE_ENC_CHUNK);
    return w;
}

/* Finish the header in hdr (stanzas already added): MAC line, nonce; write it
 * out and derive the payload key. */
static xa_code header_finish(xa_age_writer *w, xa_buf *hdr, const uint8_t fk[16], xa_err *err)
{
    uint8_t mac[AGE_MAC_BYTES], nonce[AGE_NONCE_BYTES];
    xa_buf_puts(hdr, "---");
    xa_age__header_mac(fk, hdr->data, hdr->len, mac);
    xa_buf_putc(hdr, ' ');
    b64_add(hdr, mac, sizeof mac);
    xa_buf_putc(hdr, '\n');
    randombytes_buf(nonce, sizeof nonce);
    xa_buf_add(hdr, nonce, sizeof nonce);
    xa_age__payload_key(fk, nonce, w->key);
    return w->fn(w->ctx, hdr->data, hdr->len, err);
}

/* Open a writer to X25519 recipients. */
xa_code xa_age_writer_open(const uint8_t *const *recipients, size_t n,
                           xa_age_write_fn fn, void *ctx, xa_age_writer **out, xa_err *err)
{
    if (n == 0)
        return xa_fail(err, XA_EUSAGE, "an age file needs at least one recipient");
    if (sodium_init() < 0)
        return xa_fail(err, XA_ECRYPTO, "libsodium cannot be initialised");
    xa_age_writer *w = writer_new(fn, ctx);
    uint8_t *fk = xa_secret_alloc(XA_AGE_FILE_KEY_BYTES);
    randombytes_buf(fk, XA_AGE_FILE_KEY_BYTES);
    xa_buf hdr = XA_BUF_INIT;
    xa_buf_puts(&hdr, AGE_MAGIC "\n");
    xa_code rc = XA_OK;
    for (size_t i = 0; i < n; i++) {
        uint8_t esk[32], share[32], shared[32], wrap[32], body[XA_AGE_FILE_KEY_BYTES + 16];
        randombytes_buf(esk, sizeof esk);
        crypto_scalarmult_base(share, esk);
        int bad = crypto_scalarmult(shared, esk, recipients[i]) != 0;
        if (!bad) {
            xa_age__x25519_wrap_key(shared, share, recipients[i], wrap);
            static const uint8_t zero_nonce[12] = {0};
            crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, fk, XA_AGE_FILE_KEY_BYTES, NULL,
                                                      0, NULL, zero_nonce, wrap);
            xa_buf_puts(&hdr, "-> X25519 ");
            b64_add(&hdr, share, sizeof share);
            xa_buf_putc(&hdr, '\n');
            body_add(&hdr, body, sizeof body);
        }
        sodium_memzero(esk, sizeof esk);
        sodium_memzero(shared, sizeof shared);
        sodium_memzero(wrap, sizeof wrap);
        if (bad) {
            rc = xa_fail(err, XA_EFORMAT, "recipient %zu is not a usable X25519 public key", i + 1);
            goto done;
        }
    }
    rc = header_finish(w, &hdr, fk, err);
done:
    xa_secret_free(fk);
    xa_buf_clear(&hdr);
    if (rc != XA_OK) {
        xa_age_writer_free(w);
        return rc;
    }
    *out = w;
    return XA_OK;
}

/* Open a passphrase writer (one scrypt stanza). */
xa_code xa_age_writer_open_scrypt(const char *passphrase, int log2_n, xa_age_write_fn fn,
                                  void *ctx, xa_age_writer **out, xa_err *err)
{
    if (log2_n < 1 || log2_n > 30)
        return xa_fail(err, XA_EUSAGE, "scrypt work factor %d is out of range 1..30", log2_n);
    if (!passphrase || !*passphrase)
        return xa_fail(err, XA_EUSAGE, "an empty passphrase cannot protect a file");
    if (sodium_init() < 0)
        return xa_fail(err, XA_ECRYPTO, "libsodium cannot be initialised");
    xa_age_writer *w = writer_new(fn, ctx);
    uint8_t *fk = xa_secret_alloc(XA_AGE_FILE_KEY_BYTES);
    uint8_t *wrap = xa_secret_alloc(32);
    uint8_t salt[AGE_SCRYPT_SALT], body[XA_AGE_FILE_KEY_BYTES + 16];
    randombytes_buf(fk, XA_AGE_FILE_KEY_BYTES);
    randombytes_buf(salt, sizeof salt);
    xa_buf hdr = XA_BUF_INIT;
    xa_code rc = XA_OK;
    if (xa_age__scrypt_wrap_key(passphrase, salt, log2_n, wrap) != 0) {
        rc = xa_fail(err, XA_ELIMIT, "not enough memory for scrypt work factor %d", log2_n);
        goto done;
    }
    static const uint8_t zero_nonce[12] = {0};
    crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, fk, XA_AGE_FILE_KEY_BYTES, NULL, 0, NULL,
                                              zero_nonce, wrap);
    xa_buf_puts(&hdr, AGE_MAGIC "\n-> scrypt ");
    b64_add(&hdr, salt, sizeof salt);
    xa_buf_printf(&hdr, " %d\n", log2_n);
    body_add(&hdr, body, sizeof body);
    rc = header_finish(w, &hdr, fk, err);
done:
    xa_secret_free(fk);
    xa_secret_free(wrap);
    xa_buf_clear(&hdr);
    if (rc != XA_OK) {
        xa_age_writer_free(w);
        return rc;
    }
    *out = w;
    return XA_OK;
}

/* Seal the buffered plaintext as the next chunk and write it. */
static xa_code flush_chunk(xa_age_writer *w, int last, xa_err *err)
{
    uint8_t nonce[AGE_STREAM_NONCE];
    if (w->counter == UINT64_MAX) {
        w->state = W_FAILED;
        return xa_fail(err, XA_ELIMIT, "age payload is too long");
    }
    xa_age__stream_nonce(w->counter, last, nonce);
    unsigned long long clen = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(w->enc, &clen, w->plain, w->plen, NULL, 0, NULL,
                                              nonce, w->key);
    sodium_memzero(w->plain, w->plen);
    w->plen = 0;
    w->counter++;
    xa_code rc = w->fn(w->ctx, w->enc, (size_t)clen, err);
    if (rc != XA_OK)
        w->state = W_FAILED;
    return rc;
}

/* Buffer plaintext, sealing a full chunk only when more data follows it. */
xa_code xa_age_writer_write(xa_age_writer *w, const void *buf, size_t len, xa_err *err)
{
    if (w->state != W_OPEN)
        return xa_fail(err, XA_ESTATE, "the age writer is %s",
                       w->state == W_DONE ? "finished" : "failed");
    const uint8_t *p = buf;
    while (len) {
        if (w->plen == XA_AGE_CHUNK) {
            xa_code rc = flush_chunk(w, 0, err);
            if (rc != XA_OK)
                return rc;
        }
        size_t n = XA_AGE_CHUNK - w->plen;
        if (n > len)
            n = len;
        memcpy(w->plain + w->plen, p, n);
        w->plen += n;
        p += n;
        len -= n;
    }
    return XA_OK;
}

/* Seal the last chunk. */
xa_code xa_age_writer_finish(xa_age_writer *w, xa_err *err)
{
    if (w->state != W_OPEN)
        return xa_fail(err, XA_ESTATE, "the age writer is %s",
                       w->state == W_DONE ? "finished" : "failed");
    xa_code rc = flush_chunk(w, 1, err);
    if (rc == XA_OK)
        w->state = W_DONE;
    return rc;
}

/* Wipe the keys and buffered plaintext, then free. */
void xa_age_writer_free(xa_age_writer *w)
{
    if (!w)
        return;
    xa_secret_free(w->key);
    xa_secret_free(w->plain);
    free(w->enc);
    free(w);
}
