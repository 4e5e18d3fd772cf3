/* fuzz_container.c — the bundle/brief reader (src/exchange/container_read.c)
 * with a fixed identity and a sender callback, reading from memory through
 * fmemopen and xa_container_read_fp.
 *
 * The first byte chooses the layer the fuzzer controls (bits 0-1) and the
 * expected format (bits 2-3: either, bundle, brief, either) and whether the
 * sender callback refuses the fixed sender (bit 4):
 *
 *   0: the rest is the container file itself (age + zstd + lines);
 *   1: the rest is the zstd stream; the harness encrypts it to the
 *      fixed identity, so the decompression and line layers are reached;
 *   2: the rest is the JSON Lines before the trailer; the harness appends a
 *      trailer signed with the fixed key (lines = number of LF, hash =
 *      BLAKE2b-512 of the bytes), compresses and encrypts, so manifest,
 *      record and trailer checks and the sender callback are reached.
 *      Bits 5-7 spoil it: no trailer (5), a trailer that counts one line
 *      too many (6), a record after the trailer (7);
 *   3: the rest is the JSON Lines, trailer included, compressed and
 *      encrypted as they are.
 *
 * The limits are lowered (lines of 3000 bytes, attachments 6000, 64 KiB in
 * all) so that inputs of a few KiB reach every limit.
 *
 * Checks: no crash, no leak; on failure nothing is handed out, the code is
 * one the reader documents, the message is one line and the sender callback
 * was asked at most once (right after the manifest; exactly once for a
 * refused sender); on success it was asked exactly once with the manifest's
 * key and said yes, the manifest is a valid manifest of the expected format
 * family (version 1 or 2) and every record is an object with a string
 * "type" other than "end".  Mode 2 signs under the context label of the
 * format its first line names ("xiaoan bundle v1" / "xiaoan brief v1" for
 * version 2, the bare hash otherwise). */
#include "fuzz_keys.h"

#include "xiaoan/container.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_INPUT (256u * 1024)

typedef struct seen {
    int calls, accept;
    uint8_t pk[32];
} seen;

static int sender_cb(const uint8_t pk[32], const char *fingerprint, const char *created,
                     void *ctx)
{
    seen *s = ctx;
    uint8_t want[32];
    fuzz_sign_sk(want);
    if (!fingerprint || !*fingerprint || !created)
        abort(); /* the manifest was checked before the callback */
    s->calls++;
    memcpy(s->pk, pk, 32);
    return s->accept && memcmp(pk, want, 32) == 0;
}

static int known_code(xa_code c)
{
    switch (c) {
    case XA_AGE_NOMATCH:
    case XA_AGE_HEADER:
    case XA_AGE_HMAC:
    case XA_AGE_PAYLOAD:
    case XA_AGE_NOTAGE:
    case XA_ETRUNC:
    case XA_ELIMIT:
    case XA_EFORMAT:
    case XA_ESIG:
    case XA_ESENDER:
        return 1;
    default:
        return 0;
    }
}

/* Encrypt p[0..n) to the fixed identity into out. */
static void encrypt(const void *p, size_t n, xa_buf *out)
{
    const uint8_t *rcpt[1] = {fuzz_age_identity()->pk};
    xa_age_writer *w = NULL;
    if (xa_age_writer_open(rcpt, 1, fuzz_buf_write, out, &w, NULL) != XA_OK ||
        xa_age_writer_write(w, p, n, NULL) != XA_OK || xa_age_writer_finish(w, NULL) != XA_OK)
        abort();
    xa_age_writer_free(w);
}

/* zstd-compress p[0..n) into out. */
static void compress(const void *p, size_t n, xa_buf *out)
{
    size_t cap = ZSTD_compressBound(n);
    xa_buf_reserve(out, cap);
    size_t r = ZSTD_compress(out->data + out->len, cap, p, n, 1);
    if (ZSTD_isError(r))
        abort();
    out->len += r;
}

/* Does p[0..n) contain the string needle? */
static int has(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(p + i, needle, k))
            return 1;
    return 0;
}

/* lines + the signed trailer; spoil: bits 5-7 of the mode byte. */
static void sign_lines(const uint8_t *p, size_t n, int spoil, xa_buf *out)
{
    if (spoil & 0x20) {
        xa_buf_add(out, p, n);
        return;
    }
    uint8_t pk[32], h[64], sig[64];
    const uint8_t *sk = fuzz_sign_sk(pk);
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += p[i] == '\n';
    crypto_generichash(h, sizeof h, p, n, NULL, 0);
    const uint8_t *nl = memchr(p, '\n', n);
    size_t first = nl ? (size_t)(nl - p) : n;
    const char *label = NULL;
    if (has(p, first, "\"format\":\"" XA_BUNDLE_FORMAT "\""))
        label = XA_SIGCTX_BUNDLE;
    else if (has(p, first, "\"format\":\"" XA_BRIEF_FORMAT "\""))
        label = XA_SIGCTX_BRIEF;
    uint8_t msg[96];
    size_t ml = 0;
    if (label) {
        ml = strlen(label) + 1;
        memcpy(msg, label, ml);
    }
    memcpy(msg + ml, h, sizeof h);
    crypto_sign_detached(sig, NULL, msg, ml + sizeof h, sk);
    char hex[129], b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    xa_buf_add(out, p, n);
    xa_buf_printf(out, "{\"hash\":\"%s\",\"lines\":%zu,\"sig\":\"%s\",\"type\":\"end\"}\n", hex,
                  lines + !!(spoil & 0x40), b64);
    if (spoil & 0x80)
        xa_buf_puts(out, "{\"type\":\"late\"}\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const formats[4] = {NULL, XA_BUNDLE_FORMAT, XA_BRIEF_FORMAT, NULL};
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    int mode = data[0] & 3;
    const char *format = formats[(data[0] >> 2) & 3];
    seen s = {0, (data[0] >> 4) & 1 ? 0 : 1, {0}};
    int spoil = data[0] & 0xe0;
    data++;
    size--;

    xa_buf file = XA_BUF_INIT, tmp = XA_BUF_INIT, lines = XA_BUF_INIT;
    switch (mode) {
    case 0:
        xa_buf_add(&file, data, size);
        break;
    case 1:
        encrypt(data, size, &file);
        break;
    case 2:
        sign_lines(data, size, spoil, &lines);
        compress(lines.data, lines.len, &tmp);
        encrypt(tmp.data, tmp.len, &file);
        break;
    case 3:
        compress(data, size, &tmp);
        encrypt(tmp.data, tmp.len, &file);
        break;
    }

    xa_container_limits lim;
    xa_container_limits_default(&lim);
    lim.max_plain = 64u << 10;
    lim.max_line = 3000;
    lim.max_attachment = 6000;
    lim.age.max_scrypt_log2 = FUZZ_SCRYPT_CAP;

    /* fmemopen refuses a zero-length buffer on some libcs: keep one byte
     * and give the stream the real length. */
    xa_buf_putc(&file, 0);
    FILE *fp = fmemopen(file.data, file.len - 1 ? file.len - 1 : 1, "rb");
    if (!fp)
        abort();
    if (file.len == 1)
        fgetc(fp); /* an empty file: consume the placeholder */
    const xa_age_identity *ids[1] = {fuzz_age_identity()};
    json_t *manifest = (json_t *)1, *records = (json_t *)1;
    xa_err e;
    xa_code c = xa_container_read_fp(fp, ids, 1, format, &lim, sender_cb, &s, &manifest,
                                     &records, &e);
    fclose(fp);
#ifdef FUZZ_DEBUG
    fprintf(stderr, "mode %d format %s: %s\n", mode, format ? format : "any",
            c == XA_OK ? "ok" : xa_err_msg(&e));
#endif
    if (c != XA_OK) {
        if (manifest || records || !known_code(c) || e.code != c ||
            !fuzz_one_line(xa_err_msg(&e)))
            abort();
        if (c == XA_ESENDER ? s.calls != 1 : s.calls > 1)
            abort(); /* asked once, right after the manifest */
    } else {
        uint8_t want[32];
        fuzz_sign_sk(want);
        if (!manifest || !records || s.calls != 1 || !s.accept ||
            memcmp(s.pk, want, 32) != 0 || !json_is_array(records))
            abort();
        const char *f = json_string_value(json_object_get(manifest, "format"));
        int bundle = f && (!strcmp(f, XA_BUNDLE_FORMAT) || !strcmp(f, XA_BUNDLE_FORMAT_V1));
        int brief = f && (!strcmp(f, XA_BRIEF_FORMAT) || !strcmp(f, XA_BRIEF_FORMAT_V1));
        if (!(bundle || brief) || (format && !strcmp(format, XA_BUNDLE_FORMAT) && !bundle) ||
            (format && !strcmp(format, XA_BRIEF_FORMAT) && !brief))
            abort();
        size_t i;
        json_t *r;
        json_array_foreach(records, i, r) {
            const char *t = json_string_value(json_object_get(r, "type"));
            if (!json_is_object(r) || !t || !*t || !strcmp(t, "end"))
                abort();
        }
        json_decref(manifest);
        json_decref(records);
    }
    xa_buf_clear(&file);
    xa_buf_clear(&tmp);
    xa_buf_clear(&lines);
    return 0;
}
