/* age_read.c — the strict, bounded, streaming age v1 reader.
 *
 * Owns: buffered input over the read callback, ASCII-armor detection and
 * decoding, header parsing (exactly as c2sp.org/age says: LF only, canonical
 * unpadded base64, stanza argument rules, 64-column bodies, the "---" MAC
 * line), recipient unwrapping (X25519 identities, the scrypt passphrase),
 * the header MAC, and STREAM decryption with one chunk of lookahead.
 *
 * Nothing decrypted leaves here before its chunk authenticates; the file
 * key, the payload key and plaintext buffers are in secret memory. */
#include "age_impl.h"

#include "xiaoan/mem.h"

#include <sodium.h>
#include <string.h>

#define IN_BUF 16384
#define ARMOR_BEGIN "-----BEGIN AGE ENCRYPTED FILE-----"
#define ARMOR_END "-----END AGE ENCRYPTED FILE-----"
#define ARMOR_COLS 64
#define ARMOR_MAX_SPACE 1024 /* whitespace allowed around an armored file */

/* 64 KiB header, 32 stanzas, scrypt work factor up to 2^22 (as age 1.1.1). */
void xa_age_limits_default(xa_age_limits *lim)
{
    lim->max_header = 65536;
    lim->max_stanzas = 32;
    lim->max_scrypt_log2 = XA_AGE_SCRYPT_LOG2_CAP;
}

/* ---- buffered input ---- */

typedef struct in_t {
    xa_age_read_fn pull;
    void *ctx;
    uint8_t buf[IN_BUF];
    size_t off, len;
    int eof;
} in_t;

/* Make at least one byte available unless at end of input. */
static xa_code in_fill(in_t *in, xa_err *err)
{
    if (in->off < in->len || in->eof)
        return XA_OK;
    size_t got = 0;
    in->off = in->len = 0;
    xa_code rc = in->pull(in->ctx, in->buf, sizeof in->buf, &got, err);
    if (rc != XA_OK)
        return rc;
    if (got > sizeof in->buf)
        return xa_fail(err, XA_EIO, "the read callback returned too much");
    if (got == 0)
        in->eof = 1;
    in->len = got;
    return XA_OK;
}

/* Next byte in *c, or -1 at end of input. */
static xa_code in_getc(in_t *in, int *c, xa_err *err)
{
    xa_code rc = in_fill(in, err);
    if (rc != XA_OK)
        return rc;
    *c = in->off < in->len ? in->buf[in->off++] : -1;
    return XA_OK;
}

/* The next byte without taking it, or -1 at end of input. */
static xa_code in_peekc(in_t *in, int *c, xa_err *err)
{
    xa_code rc = in_fill(in, err);
    if (rc != XA_OK)
        return rc;
    *c = in->off < in->len ? in->buf[in->off] : -1;
    return XA_OK;
}

/* Read up to want bytes, fewer only at end of input. */
static xa_code in_read(in_t *in, uint8_t *dst, size_t want, size_t *got, xa_err *err)
{
    size_t n = 0;
    while (n < want) {
        xa_code rc = in_fill(in, err);
        if (rc != XA_OK)
            return rc;
        if (in->off == in->len)
            break;
        size_t k = in->len - in->off;
        if (k > want - n)
            k = want - n;
        memcpy(dst + n, in->buf + in->off, k);
        in->off += k;
        n += k;
    }
    *got = n;
    return XA_OK;
}

/* A pull function draining another in_t (used for unarmored input). */
static xa_code in_pull(void *ctx, void *buf, size_t len, size_t *got, xa_err *err)
{
    return in_read(ctx, buf, len, got, err);
}

/* ---- ASCII armor ---- */

typedef struct armor_t {
    in_t *raw;
    uint8_t out[48];
    size_t off, len;
    int last_seen; /* a short or padded line was read: only the end line may follow */
    int ended;
    size_t lineno;
} armor_t;

/* Whitespace allowed around an armored file. */
static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Read one armor line (without LF and one CR before it) into line (room for
 * ARMOR_COLS + 2).  *len = the length; *eof = the line ended at end of input. */
static xa_code armor_getline(armor_t *a, char *line, size_t *len, int *eof, xa_err *err)
{
    size_t n = 0;
    *eof = 0;
    a->lineno++;
    for (;;) {
        int c;
        xa_code rc = in_getc(a->raw, &c, err);
        if (rc != XA_OK)
            return rc;
        if (c < 0) {
            *eof = 1;
            break;
        }
        if (c == '\n')
            break;
        if (n == ARMOR_COLS + 1)
            return xa_fail(err, XA_EFORMAT, "age armor: line %zu is longer than %d columns",
                           a->lineno, ARMOR_COLS);
        line[n++] = (char)c;
    }
    if (!*eof && n && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    *len = n;
    return XA_OK;
}

/* After the end line: only a little whitespace may follow. */
static xa_code armor_tail(armor_t *a, xa_err *err)
{
    for (size_t n = 0;; n++) {
        int c;
        xa_code rc = in_getc(a->raw, &c, err);
        if (rc != XA_OK)
            return rc;
        if (c < 0)
            return XA_OK;
        if (!is_space(c))
            return xa_fail(err, XA_EFORMAT, "age armor: data after the end line");
        if (n >= ARMOR_MAX_SPACE)
            return xa_fail(err, XA_EFORMAT, "age armor: too much whitespace after the end line");
    }
}

/* Pull decoded bytes out of the armor, one base64 line at a time. */
static xa_code armor_pull(void *ctx, void *buf, size_t len, size_t *got, xa_err *err)
{
    armor_t *a = ctx;
    char line[ARMOR_COLS + 2];
    while (a->off == a->len) {
        if (a->ended) {
            *got = 0;
            return XA_OK;
        }
        size_t n;
        int eof;
        xa_code rc = armor_getline(a, line, &n, &eof, err);
        if (rc != XA_OK)
            return rc;
        if (strcmp(line, ARMOR_END) == 0 && memchr(line, '\0', n) == NULL) {
            a->ended = 1;
            if (!eof && (rc = armor_tail(a, err)) != XA_OK)
                return rc;
            continue;
        }
        if (eof && n == 0)
            return xa_fail(err, XA_EFORMAT, "age armor: no end line");
        if (a->last_seen)
            return xa_fail(err, XA_EFORMAT,
                           "age armor: line %zu follows a short or padded line", a->lineno);
        if (n == 0)
            return xa_fail(err, XA_EFORMAT, "age armor: empty line %zu", a->lineno);
        if (n > ARMOR_COLS)
            return xa_fail(err, XA_EFORMAT, "age armor: line %zu is longer than %d columns",
                           a->lineno, ARMOR_COLS);
        size_t bl = 0;
        if (sodium_base642bin(a->out, sizeof a->out, line, n, NULL, &bl, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            return xa_fail(err, XA_EFORMAT, "age armor: bad base64 on line %zu", a->lineno);
        if (n < ARMOR_COLS || memchr(line, '=', n))
            a->last_seen = 1;
        if (eof)
            return xa_fail(err, XA_EFORMAT, "age armor: no end line");
        a->off = 0;
        a->len = bl;
    }
    size_t k = a->len - a->off < len ? a->len - a->off : len;
    memcpy(buf, a->out + a->off, k);
    a->off += k;
    *got = k;
    return XA_OK;
}

/* Is the input armored?  Binary age starts with 'a'; armor (after optional
 * whitespace) with the begin line, which is consumed here. */
static xa_code armor_detect(in_t *raw, armor_t *a, int *armored, xa_err *err)
{
    int c;
    xa_code rc = in_peekc(raw, &c, err);
    *armored = 0;
    if (rc != XA_OK || (c != '-' && !is_space(c)))
        return rc;
    for (size_t n = 0; is_space(c); n++) {
        if (n >= ARMOR_MAX_SPACE)
            return xa_fail(err, XA_AGE_NOTAGE, "not an age file");
        in_getc(raw, &c, err);
        if ((rc = in_peekc(raw, &c, err)) != XA_OK)
            return rc;
    }
    memset(a, 0, sizeof *a);
    a->raw = raw;
    char line[ARMOR_COLS + 2];
    size_t n;
    int eof;
    if ((rc = armor_getline(a, line, &n, &eof, err)) != XA_OK) {
        if (rc == XA_EFORMAT) /* an overlong first line */
            return xa_fail(err, XA_AGE_NOTAGE, "not an age file");
        return rc;
    }
    if (strcmp(line, ARMOR_BEGIN) != 0 || memchr(line, '\0', n))
        return xa_fail(err, XA_AGE_NOTAGE, "not an age file");
    if (eof)
        return xa_fail(err, XA_EFORMAT, "age armor: no end line");
    *armored = 1;
    return XA_OK;
}

/* ---- header ---- */

typedef struct stanza_t {
    char **args;
    size_t nargs;
    uint8_t *body;
    size_t blen;
    size_t lineno;
} stanza_t;

struct xa_age_reader {
    in_t raw, dec;
    armor_t armor;
    int armored;
    uint8_t *key;   /* payload key (secret) */
    uint8_t *plain; /* one chunk of plaintext (secret) */
    uint8_t *fk;    /* the file key while the header is read (secret; then wiped) */
    size_t poff, plen;
    uint8_t *enc;
    uint64_t counter;
    int done;
    xa_code pending; /* sticky failure, reported once buffered plaintext is out */
    xa_err perr;
};

/* Read one header line (through LF) into hdr; *start = where it begins.
 * EOF before the LF is truncation; the header limit counts every byte. */
static xa_code read_line(in_t *in, xa_buf *hdr, size_t max, size_t *start, xa_err *err)
{
    *start = hdr->len;
    for (;;) {
        int c;
        xa_code rc = in_getc(in, &c, err);
        if (rc != XA_OK)
            return rc;
        if (c < 0)
            return xa_fail(err, XA_ETRUNC, "file is truncated (inside the age header)");
        if (hdr->len >= max)
            return xa_fail(err, XA_ELIMIT, "age header is larger than %zu bytes", max);
        xa_buf_putc(hdr, (char)c);
        if (c == '\n')
            return XA_OK;
    }
}

/* The first line: the magic, checked byte by byte so a non-age file is told
 * apart quickly. */
static xa_code read_intro(in_t *in, xa_buf *hdr, size_t max, xa_err *err)
{
    static const char prefix[] = AGE_MAGIC_PREFIX;
    for (size_t i = 0; i < sizeof prefix - 1; i++) {
        int c;
        xa_code rc = in_getc(in, &c, err);
        if (rc != XA_OK)
            return rc;
        if (c < 0)
            return xa_fail(err, XA_ETRUNC, i ? "file is truncated (inside the age header)"
                                             : "file is truncated (it is empty)");
        if (c != prefix[i])
            return xa_fail(err, XA_AGE_NOTAGE, "not an age file");
        xa_buf_putc(hdr, (char)c);
    }
    size_t start;
    xa_code rc = read_line(in, hdr, max, &start, err);
    if (rc != XA_OK)
        return rc;
    if (hdr->len != sizeof AGE_MAGIC || memcmp(hdr->data, AGE_MAGIC "\n", hdr->len) != 0)
        return xa_fail(err, XA_AGE_HEADER, "age header: unsupported version on line 1");
    return XA_OK;
}

/* A character of the standard base64 alphabet (no padding). */
static int is_b64_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/';
}

/* Strict unpadded base64 of exactly the text s[0..n) into out (max). */
static int b64_decode(const char *s, size_t n, uint8_t *out, size_t max, size_t *outlen)
{
    for (size_t i = 0; i < n; i++)
        if (!is_b64_char(s[i]))
            return -1;
    return sodium_base642bin(out, max, s, n, NULL, outlen, NULL,
                             sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

/* Free parsed stanzas (bodies wiped: they hold wrapped file keys). */
static void stanzas_free(stanza_t *st, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < st[i].nargs; j++)
            free(st[i].args[j]);
        free(st[i].args);
        if (st[i].body) {
            sodium_memzero(st[i].body, st[i].blen);
            free(st[i].body);
        }
    }
    free(st);
}

/* Split "-> a b c" into arguments: each 1+ chars of 0x21..0x7E. */
static int parse_args(const char *p, size_t n, stanza_t *s)
{
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j < n && p[j] != ' ') {
            if ((unsigned char)p[j] < 0x21 || (unsigned char)p[j] > 0x7e)
                return -1;
            j++;
        }
        if (j == i)
            return -1; /* empty argument */
        s->args = xa_reallocarray(s->args, s->nargs + 1, sizeof *s->args);
        s->args[s->nargs++] = xa_strndup(p + i, j - i);
        if (j == n)
            return 0;
        i = j + 1;
    }
}

/* Parse stanzas and the MAC line.  *mac_at = header bytes covered by the MAC. */
static xa_code parse_header(in_t *in, const xa_age_limits *lim, xa_buf *hdr, stanza_t **out,
                            size_t *nout, size_t *mac_at, uint8_t mac[AGE_MAC_BYTES], xa_err *err)
{
    stanza_t *st = NULL;
    size_t n = 0, lineno = 1, start;
    xa_buf body = XA_BUF_INIT;
    xa_code rc = read_intro(in, hdr, lim->max_header, err);
    if (rc != XA_OK)
        goto fail;
    for (;;) {
        if ((rc = read_line(in, hdr, lim->max_header, &start, err)) != XA_OK)
            goto fail;
        lineno++;
        const char *line = hdr->data + start;
        size_t len = hdr->len - start - 1;
        if (len >= 3 && memcmp(line, "---", 3) == 0) {
            size_t ml = 0;
            if (len != 4 + 43 || line[3] != ' ' ||
                b64_decode(line + 4, 43, mac, AGE_MAC_BYTES, &ml) != 0 || ml != AGE_MAC_BYTES) {
                rc = xa_fail(err, XA_AGE_HEADER, "age header: bad MAC line on line %zu", lineno);
                goto fail;
            }
            if (n == 0) {
                rc = xa_fail(err, XA_AGE_HEADER, "age header: no recipient stanza");
                goto fail;
            }
            *mac_at = start + 3;
            break;
        }
        if (len < 3 || memcmp(line, "-> ", 3) != 0) {
            rc = xa_fail(err, XA_AGE_HEADER, "age header: bad stanza on line %zu", lineno);
            goto fail;
        }
        if (n >= lim->max_stanzas) {
            rc = xa_fail(err, XA_ELIMIT, "age header has more than %zu stanzas", lim->max_stanzas);
            goto fail;
        }
        st = xa_reallocarray(st, n + 1, sizeof *st);
        stanza_t *s = &st[n++];
        memset(s, 0, sizeof *s);
        s->lineno = lineno;
        if (parse_args(line + 3, len - 3, s) != 0) {
            rc = xa_fail(err, XA_AGE_HEADER, "age header: bad stanza on line %zu", lineno);
            goto fail;
        }
        /* The body: full 64-column lines, then one shorter (maybe empty) line. */
        xa_buf_reset(&body);
        for (;;) {
            if ((rc = read_line(in, hdr, lim->max_header, &start, err)) != XA_OK)
                goto fail;
            lineno++;
            const char *bl = hdr->data + start;
            size_t blen = hdr->len - start - 1;
            if (blen > 64) {
                rc = xa_fail(err, XA_AGE_HEADER, "age header: stanza body line %zu is too long",
                             lineno);
                goto fail;
            }
            for (size_t i = 0; i < blen; i++)
                if (!is_b64_char(bl[i])) {
                    rc = xa_fail(err, XA_AGE_HEADER, "age header: bad stanza body on line %zu",
                                 lineno);
                    goto fail;
                }
            xa_buf_add(&body, bl, blen);
            if (blen < 64)
                break;
        }
        s->body = xa_malloc(body.len / 4 * 3 + 3);
        if (b64_decode(body.data ? body.data : "", body.len, s->body, body.len / 4 * 3 + 3,
                       &s->blen) != 0) {
            rc = xa_fail(err, XA_AGE_HEADER, "age header: stanza body is not canonical base64 "
                         "(line %zu)", lineno);
            goto fail;
        }
    }
    xa_buf_clear(&body);
    *out = st;
    *nout = n;
    return XA_OK;
fail:
    xa_buf_clear(&body);
    stanzas_free(st, n);
    return rc;
}

/* Decode a base64 argument that must be exactly n bytes. */
static int arg_bytes(const char *a, uint8_t *out, size_t n)
{
    uint8_t tmp[64];
    size_t got = 0;
    size_t l = strlen(a);
    if (l > 86 || b64_decode(a, l, tmp, sizeof tmp, &got) != 0 || got != n)
        return -1;
    memcpy(out, tmp, n);
    return 0;
}

/* Parse a scrypt work factor: ^[1-9][0-9]*$, at most cap. */
static xa_code parse_work_factor(const char *a, int cap, size_t lineno, int *out, xa_err *err)
{
    if (a[0] < '1' || a[0] > '9')
        return xa_fail(err, XA_AGE_HEADER, "age header: bad scrypt work factor on line %zu",
                       lineno);
    long v = 0;
    for (const char *p = a; *p; p++) {
        if (*p < '0' || *p > '9')
            return xa_fail(err, XA_AGE_HEADER, "age header: bad scrypt work factor on line %zu",
                           lineno);
        if (v <= 1000)
            v = v * 10 + (*p - '0');
    }
    if (v > cap)
        return xa_fail(err, XA_ELIMIT, "age header: scrypt work factor is over the limit %d",
                       cap);
    *out = (int)v;
    return XA_OK;
}

/* Find the file key: check every known stanza's shape, enforce "scrypt
 * stands alone", then try the identities / passphrase. */
static xa_code unwrap(const stanza_t *st, size_t n, const xa_age_identity *const *ids, size_t nids,
                      const char *pass, const xa_age_limits *lim, uint8_t fk[16], xa_err *err)
{
    static const uint8_t zero_nonce[12] = {0};
    for (size_t i = 0; i < n; i++) {
        const stanza_t *s = &st[i];
        if (strcmp(s->args[0], "X25519") == 0) {
            uint8_t share[32];
            if (s->nargs != 2 || arg_bytes(s->args[1], share, 32) != 0 || s->blen != 32)
                return xa_fail(err, XA_AGE_HEADER, "age header: bad X25519 stanza on line %zu",
                               s->lineno);
        } else if (strcmp(s->args[0], "scrypt") == 0) {
            uint8_t salt[AGE_SCRYPT_SALT];
            int wf;
            if (n != 1)
                return xa_fail(err, XA_AGE_HEADER,
                               "age header: an scrypt stanza must be the only stanza");
            if (s->nargs != 3 || arg_bytes(s->args[1], salt, sizeof salt) != 0 || s->blen != 32)
                return xa_fail(err, XA_AGE_HEADER, "age header: bad scrypt stanza on line %zu",
                               s->lineno);
            xa_code rc = parse_work_factor(s->args[2], lim->max_scrypt_log2, s->lineno, &wf, err);
            if (rc != XA_OK)
                return rc;
        }
    }

    for (size_t i = 0; i < n; i++) {
        const stanza_t *s = &st[i];
        if (strcmp(s->args[0], "X25519") == 0) {
            uint8_t share[32], shared[32], wrap[32];
            arg_bytes(s->args[1], share, 32);
            for (size_t k = 0; k < nids; k++) {
                if (crypto_scalarmult(shared, ids[k]->sk, share) != 0) {
                    sodium_memzero(shared, sizeof shared);
                    return xa_fail(err, XA_AGE_HEADER,
                                   "age header: X25519 share on line %zu is a low-order point",
                                   s->lineno);
                }
                xa_age__x25519_wrap_key(shared, share, ids[k]->pk, wrap);
                int ok = crypto_aead_chacha20poly1305_ietf_decrypt(fk, NULL, NULL, s->body,
                                                                   s->blen, NULL, 0, zero_nonce,
                                                                   wrap) == 0;
                sodium_memzero(shared, sizeof shared);
                sodium_memzero(wrap, sizeof wrap);
                if (ok)
                    return XA_OK;
            }
        } else if (strcmp(s->args[0], "scrypt") == 0 && pass) {
            uint8_t salt[AGE_SCRYPT_SALT];
            int wf = 0;
            arg_bytes(s->args[1], salt, sizeof salt);
            parse_work_factor(s->args[2], lim->max_scrypt_log2, s->lineno, &wf, NULL);
            uint8_t *wrap = xa_secret_alloc(32);
            if (xa_age__scrypt_wrap_key(pass, salt, wf, wrap) != 0) {
                xa_secret_free(wrap);
                return xa_fail(err, XA_ELIMIT, "not enough memory for scrypt work factor %d", wf);
            }
            int ok = crypto_aead_chacha20poly1305_ietf_decrypt(fk, NULL, NULL, s->body, s->blen,
                                                               NULL, 0, zero_nonce, wrap) == 0;
            xa_secret_free(wrap);
            if (ok)
                return XA_OK;
        }
    }
    return xa_fail(err, XA_AGE_NOMATCH, "no identity matches this file");
}

/* A reader's secret region: the plaintext chunk, the payload key, the file key. */
#define REGION_BYTES (XA_AGE_CHUNK + 32 + XA_AGE_FILE_KEY_BYTES)

/* One region kept, wiped, after a reader is freed, for the next reader: a
 * merge opens two readers a bundle, and mapping, locking and unmapping secret
 * pages each time cost more than reading a bundle's header.  (xiaoan runs
 * one thread.) */
static uint8_t *spare_region;

static uint8_t *region_take(void)
{
    uint8_t *p = spare_region;
    spare_region = NULL;
    return p ? p : xa_secret_alloc(REGION_BYTES);
}

static void region_give(uint8_t *p)
{
    if (!p)
        return;
    if (spare_region) {
        xa_secret_free(p); /* wipes it */
        return;
    }
    sodium_memzero(p, REGION_BYTES);
    spare_region = p;
}

/* Parse the header, unwrap the file key, check the MAC, read the nonce. */
xa_code xa_age_reader_open(xa_age_read_fn fn, void *ctx, const xa_age_identity *const *ids,
                           size_t nids, const char *passphrase, const xa_age_limits *lim,
                           xa_age_reader **out, xa_err *err)
{
    xa_age_limits dl;
    if (!lim) {
        xa_age_limits_default(&dl);
        lim = &dl;
    }
    if (sodium_init() < 0)
        return xa_fail(err, XA_ECRYPTO, "libsodium cannot be initialised");
    xa_age_reader *r = xa_calloc(1, sizeof *r);
    r->raw.pull = fn;
    r->raw.ctx = ctx;
    /* one secret region for the plaintext chunk, the payload key and the file
     * key: each secret allocation maps and unmaps pages of its own, which a
     * merge (two readers a bundle) paid three times over */
    r->plain = region_take();
    r->key = r->plain + XA_AGE_CHUNK;
    r->fk = r->key + 32;
    r->enc = xa_malloc(AGE_ENC_CHUNK);
    uint8_t *fk = r->fk;
    stanza_t *st = NULL;
    size_t nst = 0, mac_at = 0;
    uint8_t mac[AGE_MAC_BYTES], want[AGE_MAC_BYTES], nonce[AGE_NONCE_BYTES];
    xa_buf hdr = XA_BUF_INIT;

    xa_code rc = armor_detect(&r->raw, &r->armor, &r->armored, err);
    if (rc != XA_OK)
        goto fail;
    if (r->armored) {
        r->dec.pull = armor_pull;
        r->dec.ctx = &r->armor;
    } else {
        r->dec.pull = in_pull;
        r->dec.ctx = &r->raw;
    }
    if ((rc = parse_header(&r->dec, lim, &hdr, &st, &nst, &mac_at, mac, err)) != XA_OK)
        goto fail;
    if ((rc = unwrap(st, nst, ids, nids, passphrase, lim, fk, err)) != XA_OK)
        goto fail;
    xa_age__header_mac(fk, hdr.data, mac_at, want);
    if (sodium_memcmp(want, mac, sizeof mac) != 0) {
        rc = xa_fail(err, XA_AGE_HMAC, "age header MAC failure (the header was altered)");
        goto fail;
    }
    size_t got = 0;
    if ((rc = in_read(&r->dec, nonce, sizeof nonce, &got, err)) != XA_OK)
        goto fail;
    if (got != sizeof nonce) {
        rc = xa_fail(err, XA_ETRUNC, "file is truncated (inside the payload nonce)");
        goto fail;
    }
    xa_age__payload_key(fk, nonce, r->key);
    stanzas_free(st, nst);
    sodium_memzero(fk, XA_AGE_FILE_KEY_BYTES);
    xa_buf_clear(&hdr);
    *out = r;
    return XA_OK;
fail:
    stanzas_free(st, nst);
    xa_buf_clear(&hdr);
    xa_age_reader_free(r);
    return rc;
}

/* Remember a failure so every later call reports it. */
static xa_code reader_fail(xa_age_reader *r, xa_code code, xa_err *err)
{
    r->pending = code;
    if (err)
        r->perr = *err;
    else
        xa_fail(&r->perr, code, NULL);
    return code;
}

/* Record a failure to report after the plaintext just decrypted is out. */
static void reader_fail_later(xa_age_reader *r, xa_code code, const char *msg)
{
    r->pending = code;
    xa_fail(&r->perr, code, "%s", msg);
}

/* Try to open the chunk in r->enc (n bytes) with the given last flag. */
static int open_chunk(xa_age_reader *r, size_t n, int last, unsigned long long *plen)
{
    uint8_t nonce[AGE_STREAM_NONCE];
    xa_age__stream_nonce(r->counter, last, nonce);
    return crypto_aead_chacha20poly1305_ietf_decrypt(r->plain, plen, NULL, r->enc, n, NULL, 0,
                                                     nonce, r->key);
}

/* Read, authenticate and decrypt the next chunk into r->plain. */
static xa_code next_chunk(xa_age_reader *r, xa_err *err)
{
    size_t n = 0;
    int more = 0, c;
    xa_code rc = in_read(&r->dec, r->enc, AGE_ENC_CHUNK, &n, err);
    if (rc != XA_OK)
        return reader_fail(r, rc, err);
    if (n == AGE_ENC_CHUNK) { /* the lookahead: does anything follow this chunk? */
        if ((rc = in_peekc(&r->dec, &c, err)) != XA_OK)
            return reader_fail(r, rc, err);
        more = c >= 0;
    }
    unsigned long long chunk = r->counter + 1;
    if (n == 0) {
        xa_fail(err, XA_ETRUNC, "file is truncated (the age payload has no final chunk)");
        return reader_fail(r, XA_ETRUNC, err);
    }
    if (n < AGE_TAG_BYTES) { /* no writer makes this; damage does not change lengths */
        xa_fail(err, XA_ETRUNC, "file is truncated (inside chunk %llu of the age payload)",
                chunk);
        return reader_fail(r, XA_ETRUNC, err);
    }
    if (r->counter == UINT64_MAX) {
        xa_fail(err, XA_AGE_PAYLOAD, "age payload has too many chunks");
        return reader_fail(r, XA_AGE_PAYLOAD, err);
    }
    unsigned long long plen = 0;
    int last = n < AGE_ENC_CHUNK || !more;
    int ok = open_chunk(r, n, last, &plen) == 0;
    if (!ok && n == AGE_ENC_CHUNK) {
        last = !last;
        ok = open_chunk(r, n, last, &plen) == 0;
    }
    if (!ok) {
        /* A short chunk at the end may also be a full chunk cut short: say so. */
        xa_fail(err, XA_AGE_PAYLOAD, "age payload damaged at chunk %llu%s", chunk,
                n < AGE_ENC_CHUNK ? ", or the file is truncated" : "");
        return reader_fail(r, XA_AGE_PAYLOAD, err);
    }
    if (last && plen == 0 && r->counter > 0) {
        xa_fail(err, XA_AGE_PAYLOAD, "age payload damaged at chunk %llu (empty final chunk)",
                chunk);
        return reader_fail(r, XA_AGE_PAYLOAD, err);
    }
    r->counter++;
    r->poff = 0;
    r->plen = (size_t)plen;
    if (last && more)
        reader_fail_later(r, XA_AGE_PAYLOAD, "age payload damaged: data after the final chunk");
    else if (!last && !more)
        reader_fail_later(r, XA_ETRUNC, "file is truncated (the age payload has no final chunk)");
    else if (last)
        r->done = 1;
    return XA_OK;
}

/* Hand out authenticated plaintext, decrypting chunks as needed. */
xa_code xa_age_reader_read(xa_age_reader *r, void *buf, size_t len, size_t *got, xa_err *err)
{
    uint8_t *p = buf;
    size_t n = 0;
    while (n < len) {
        if (r->poff == r->plen) {
            sodium_memzero(r->plain, r->plen);
            r->poff = r->plen = 0;
            if (n > 0)
                break; /* give what we have before reading more */
            if (r->pending != XA_OK) {
                if (err)
                    *err = r->perr;
                *got = 0;
                return r->pending;
            }
            if (r->done)
                break;
            xa_code rc = next_chunk(r, err);
            if (rc != XA_OK) {
                *got = 0;
                return rc;
            }
            continue;
        }
        size_t k = r->plen - r->poff < len - n ? r->plen - r->poff : len - n;
        memcpy(p + n, r->plain + r->poff, k);
        r->poff += k;
        n += k;
    }
    *got = n;
    return XA_OK;
}

/* Was the input ASCII-armored? */
int xa_age_reader_armored(const xa_age_reader *r)
{
    return r->armored;
}

/* Wipe the payload key and plaintext buffer, then free. */
void xa_age_reader_free(xa_age_reader *r)
{
    if (!r)
        return;
    region_give(r->plain); /* the key and the file key with it, wiped */
    free(r->enc);
    sodium_memzero(r, sizeof *r);
    free(r);
}
