/* fuzz_age.c — the age v1 header and payload reader (src/crypto/age_read.c)
 * with a fixed X25519 identity and a passphrase, from memory through the
 * reader's callback API.
 *
 * The first byte chooses the mode:
 *
 *   mode 0/1 (raw): the rest is an age file (binary or armored).  Byte 1
 *     sets how many bytes the read callback hands out per call (mode 1:
 *     1..8, so every header and armor boundary is crossed byte by byte,
 *     and the header limits lowered to 1024 bytes and 4 stanzas so that
 *     small inputs reach them) and how much the caller asks
 *     xa_age_reader_read for.  No crash, no
 *     leak, only the documented error classes, one-line messages, and a
 *     failure is sticky (the next read fails the same way).
 *
 *   mode 2/3 (edited): the harness writes a real file to the fixed identity
 *     (mode 3: armored) of a plaintext whose length and pattern come from
 *     bytes 1..4 (up to two 64 KiB chunks and a bit), then applies the
 *     edits that follow (flip a bit, truncate, insert, delete, append at
 *     offsets from the input).  Whatever the reader hands out must be a
 *     prefix of the plaintext, and if it reads to the end without an error
 *     it must be the whole plaintext: an edit that changes the content is
 *     always detected, and nothing unauthenticated is ever released. */
#include "fuzz_keys.h"

#include "xiaoan/age.h"
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PLAIN (2 * XA_AGE_CHUNK + 300)
#define MAX_FILE (1u << 20)

/* Is c a class the reader documents? */
static int known_code(xa_code c)
{
    switch (c) {
    case XA_AGE_NOTAGE:
    case XA_AGE_HEADER:
    case XA_AGE_NOMATCH:
    case XA_AGE_HMAC:
    case XA_AGE_PAYLOAD:
    case XA_ETRUNC:
    case XA_ELIMIT:
    case XA_EFORMAT:
        return 1;
    default:
        return 0;
    }
}

static void check_err(xa_code c, const xa_err *e)
{
    if (!known_code(c) || e->code != c || !fuzz_one_line(xa_err_msg(e)))
        abort();
}

/* Open and read everything; plain (if not NULL, plen bytes) is what the
 * file must hold.  Returns the reader's final code. */
static xa_code read_all(const uint8_t *file, size_t len, size_t step, size_t ask,
                        const uint8_t *plain, size_t plen, int small_limits)
{
    const xa_age_identity *ids[1] = {fuzz_age_identity()};
    xa_age_limits lim;
    xa_age_limits_default(&lim);
    lim.max_scrypt_log2 = FUZZ_SCRYPT_CAP;
    if (small_limits) {
        lim.max_header = 1024;
        lim.max_stanzas = 4;
    }
    fuzz_mem m = {file, len, 0, step};
    xa_age_reader *r = NULL;
    xa_err e;
    xa_code c = xa_age_reader_open(fuzz_mem_read, &m, ids, 1, FUZZ_PASSPHRASE, &lim, &r, &e);
    if (c != XA_OK) {
#ifdef FUZZ_DEBUG
        fprintf(stderr, "open: %s\n", xa_err_msg(&e));
#endif
        if (r)
            abort();
        check_err(c, &e);
        return c;
    }
    uint8_t *buf = xa_malloc(ask);
    size_t total = 0;
    for (;;) {
        size_t got = 12345;
        c = xa_age_reader_read(r, buf, ask, &got, &e);
        if (c != XA_OK) {
            check_err(c, &e);
            if (got != 0)
                abort();
            /* sticky: the same failure again */
            xa_err e2;
            size_t got2 = 1;
            if (xa_age_reader_read(r, buf, ask, &got2, &e2) != c || got2 != 0 ||
                strcmp(e2.msg, e.msg) != 0)
                abort();
            break;
        }
        if (got > ask)
            abort();
        if (got == 0)
            break;
        if (plain && (total + got > plen || memcmp(buf, plain + total, got) != 0))
            abort(); /* released bytes that are not the plaintext */
        total += got;
        if (total > MAX_FILE * 2)
            abort();
    }
#ifdef FUZZ_DEBUG
    fprintf(stderr, "read %zu bytes: %s\n", total, c == XA_OK ? "ok" : xa_err_msg(&e));
#endif
    if (c == XA_OK && plain && total != plen)
        abort(); /* a complete read must be the whole plaintext */
    if (c == XA_OK) { /* the end is sticky too */
        size_t got = 1;
        if (xa_age_reader_read(r, buf, ask, &got, &e) != XA_OK || got != 0)
            abort();
    }
    free(buf);
    xa_age_reader_free(r);
    return c;
}

/* ASCII armor as age writes it: 64 columns, padded base64. */
static void armor(const xa_buf *in, xa_buf *out)
{
    xa_buf_puts(out, "-----BEGIN AGE ENCRYPTED FILE-----\n");
    for (size_t i = 0; i < in->len; i += 48) {
        size_t n = in->len - i < 48 ? in->len - i : 48;
        char line[72];
        sodium_bin2base64(line, sizeof line, (const uint8_t *)in->data + i, n,
                          sodium_base64_VARIANT_ORIGINAL);
        xa_buf_puts(out, line);
        xa_buf_putc(out, '\n');
    }
    xa_buf_puts(out, "-----END AGE ENCRYPTED FILE-----\n");
}

static size_t rd24(const uint8_t *p)
{
    return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16;
}

/* Apply one edit to f: op, 3-byte offset, 1-byte value. */
static void edit(xa_buf *f, const uint8_t *e)
{
    size_t len = f->len;
    size_t off = len ? rd24(e + 1) % (len + 1) : 0;
    uint8_t v = e[4];
    char *d = f->data;
    switch (e[0] % 6) {
    case 0: /* flip bits */
        if (off < len)
            d[off] ^= (char)(v ? v : 1);
        break;
    case 1: /* truncate */
        f->len = off;
        break;
    case 2: /* insert a byte */
        xa_buf_putc(f, 0);
        d = f->data;
        memmove(d + off + 1, d + off, len - off);
        d[off] = (char)v;
        break;
    case 3: { /* delete up to v+1 bytes */
        size_t k = (size_t)v + 1;
        if (k > len - off)
            k = len - off;
        memmove(d + off, d + off + k, len - off - k);
        f->len -= k;
        break;
    }
    case 4: /* append v+1 bytes */
        for (size_t i = 0; i <= v; i++)
            xa_buf_putc(f, (char)(v ^ i));
        break;
    case 5: /* overwrite a byte */
        if (off < len)
            d[off] = (char)v;
        break;
    }
}

static void edited(const uint8_t *data, size_t size, int armored)
{
    if (size < 6)
        return;
    size_t plen = rd24(data + 1) % (MAX_PLAIN + 1);
    uint8_t pat = data[4];
    size_t step = data[5] & 0x80 ? (size_t)(data[5] & 0x7f) * 97 + 1 : 0;
    data += 6;
    size -= 6;
    uint8_t *plain = xa_malloc(plen + 1);
    for (size_t i = 0; i < plen; i++)
        plain[i] = (uint8_t)(i * 31 + pat + (i >> 8));

    const xa_age_identity *id = fuzz_age_identity();
    const uint8_t *rcpt[1] = {id->pk};
    xa_buf bin = XA_BUF_INIT, arm = XA_BUF_INIT;
    xa_age_writer *w = NULL;
    if (xa_age_writer_open(rcpt, 1, fuzz_buf_write, &bin, &w, NULL) != XA_OK ||
        xa_age_writer_write(w, plain, plen, NULL) != XA_OK ||
        xa_age_writer_finish(w, NULL) != XA_OK)
        abort();
    xa_age_writer_free(w);
    xa_buf *f = &bin;
    if (armored) {
        armor(&bin, &arm);
        f = &arm;
    }
    /* Unedited, it must read back exactly. */
    int nedits = 0;
    for (size_t i = 0; i + 5 <= size && nedits < 8; i += 5, nedits++)
        edit(f, data + i);
    if (f->len > MAX_FILE)
        abort();
    xa_code c = read_all((const uint8_t *)(f->data ? f->data : ""), f->len, step, 4096 + pat,
                         plain, plen, 0);
    if (nedits == 0 && c != XA_OK)
        abort();
    xa_buf_clear(&bin);
    xa_buf_clear(&arm);
    free(plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > MAX_FILE)
        return 0;
    switch (data[0] & 3) {
    case 0:
        read_all(data + 2, size - 2, data[1] & 0x80 ? 0 : (size_t)data[1] * 61 + 1,
                 (size_t)(data[1] & 0x7f) * 523 + 1, NULL, 0, 0);
        break;
    case 1:
        read_all(data + 2, size - 2, (size_t)(data[1] & 7) + 1, (size_t)(data[1] >> 3) + 1,
                 NULL, 0, 1);
        break;
    default:
        edited(data, size, (data[0] & 3) == 3);
        break;
    }
    return 0;
}
