/* test_age.c — HKDF, Bech32, age keys, the age writer and reader: round
 * trips at the chunk edges, limits, tampering (bit flips, truncation,
 * appended bytes), the C2SP CCTV test vectors (read from the test kit
 * folder, one cmocka test each; post-quantum ones are skipped), and interop
 * with the real age / age-keygen tools (skipped, loudly, when missing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>
#include <zlib.h>

#include "xiaoan/age.h"
#include "xiaoan/bech32.h"
#include "xiaoan/hkdf.h"
#include "xiaoan/ids.h"
#include "xiaoan/mem.h"

/* ---- helpers ---- */

typedef struct memsrc {
    const uint8_t *p;
    size_t len, off;
    size_t step; /* 0 = as much as asked, else at most this many bytes per read */
} memsrc;

/* Read callback over a memory buffer. */
static xa_code mem_read(void *ctx, void *buf, size_t len, size_t *got, xa_err *err)
{
    (void)err;
    memsrc *m = ctx;
    size_t n = m->len - m->off;
    if (n > len)
        n = len;
    if (m->step && n > m->step)
        n = m->step;
    memcpy(buf, m->p + m->off, n);
    m->off += n;
    *got = n;
    return XA_OK;
}

/* Write callback into an xa_buf. */
static xa_code mem_write(void *ctx, const void *buf, size_t len, xa_err *err)
{
    (void)err;
    xa_buf_add(ctx, buf, len);
    return XA_OK;
}

/* Decrypt ct; everything released goes to out (also on failure). */
static xa_code decrypt(const uint8_t *ct, size_t len, const xa_age_identity *const *ids, size_t n,
                       const char *pass, const xa_age_limits *lim, size_t step, xa_buf *out,
                       xa_err *err)
{
    memsrc m = {ct, len, 0, step};
    xa_age_reader *r = NULL;
    xa_code rc = xa_age_reader_open(mem_read, &m, ids, n, pass, lim, &r, err);
    if (rc != XA_OK)
        return rc;
    uint8_t buf[5000];
    for (;;) {
        size_t got = 0;
        rc = xa_age_reader_read(r, buf, sizeof buf, &got, err);
        if (rc != XA_OK || got == 0)
            break;
        xa_buf_add(out, buf, got);
    }
    xa_age_reader_free(r);
    return rc;
}

/* Encrypt data to recipients in pieces of `piece` bytes. */
static void encrypt(const uint8_t *const *rcp, size_t n, const uint8_t *data, size_t len,
                    size_t piece, xa_buf *out)
{
    xa_err e;
    xa_age_writer *w = NULL;
    assert_int_equal(xa_age_writer_open(rcp, n, mem_write, out, &w, &e), XA_OK);
    for (size_t off = 0; off < len;) {
        size_t k = len - off < piece ? len - off : piece;
        assert_int_equal(xa_age_writer_write(w, data + off, k, &e), XA_OK);
        off += k;
    }
    assert_int_equal(xa_age_writer_finish(w, &e), XA_OK);
    xa_age_writer_free(w);
}

/* Offset of the payload nonce: just after "--- <43 chars>\n". */
static size_t header_len(const uint8_t *ct, size_t len)
{
    for (size_t i = 0; i + 5 < len; i++)
        if (ct[i] == '\n' && memcmp(ct + i + 1, "--- ", 4) == 0)
            return i + 1 + 4 + 43 + 1;
    fail_msg("no MAC line");
    return 0;
}

static uint8_t *random_bytes(size_t n)
{
    uint8_t *p = xa_malloc(n ? n : 1);
    randombytes_buf(p, n);
    return p;
}

/* The one-recipient list of an identity. */
#define PK1(id) ((const uint8_t *const[]){(id)->pk})

/* ---- HKDF ---- */

static void hkdf_rfc5869(void **state)
{
    (void)state;
    uint8_t ikm[22], salt[13], info[10], okm[42];
    char hex[85];
    memset(ikm, 0x0b, sizeof ikm);
    for (int i = 0; i < 13; i++)
        salt[i] = (uint8_t)i;
    for (int i = 0; i < 10; i++)
        info[i] = (uint8_t)(0xf0 + i);
    /* RFC 5869 A.1 */
    assert_int_equal(xa_hkdf_sha256(okm, 42, salt, 13, ikm, 22, info, 10, NULL), XA_OK);
    xa_hex_encode(okm, 42, hex);
    assert_string_equal(hex, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                             "34007208d5b887185865");
    /* RFC 5869 A.3: empty salt and info */
    assert_int_equal(xa_hkdf_sha256(okm, 42, NULL, 0, ikm, 22, NULL, 0, NULL), XA_OK);
    xa_hex_encode(okm, 42, hex);
    assert_string_equal(hex, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                             "9d201395faa4b61a96c8");
    xa_err e;
    assert_int_equal(xa_hkdf_sha256(okm, 0, NULL, 0, ikm, 22, NULL, 0, &e), XA_EUSAGE);
}

/* ---- Bech32 ---- */

static void bech32_bip173(void **state)
{
    (void)state;
    static const char *valid[] = {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
    };
    static const char *invalid[] = {
        " 1nwldj5",     "\x7f" "1axkwrx", "\x80" "1eym55h", "pzry9x0s0muk", "1pzry9x0s0muk",
        "x1b4n0q5v",    "li1dgmt3",       "de1lg7wt\xff",   "A1G7SGD8",     "10a06t8",
        "1qzzfhee",     "A12uEL5L",       "a12uel5m",
    };
    char hrp[128];
    uint8_t data[128];
    size_t n;
    xa_err e;
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
        if (xa_bech32_decode(valid[i], hrp, sizeof hrp, data, sizeof data, &n, &e) != XA_OK)
            fail_msg("valid %s: %s", valid[i], e.msg);
    }
    assert_int_equal(xa_bech32_decode(valid[3], hrp, sizeof hrp, data, sizeof data, &n, &e),
                     XA_OK);
    char hex[64];
    xa_hex_encode(data, n, hex);
    assert_string_equal(hex, "00443214c74254b635cf84653a56d7c675be77df");
    assert_string_equal(hrp, "abcdef");
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++)
        if (xa_bech32_decode(invalid[i], hrp, sizeof hrp, data, sizeof data, &n, &e) == XA_OK)
            fail_msg("invalid #%zu accepted", i);
    /* Checksum fine, but 5+ padding bits, or non-zero padding bits. */
    assert_int_equal(xa_bech32_decode("age1rr7yzwk", hrp, sizeof hrp, data, sizeof data, &n, &e),
                     XA_EFORMAT);
    assert_string_equal(e.msg, "bech32: too many padding bits");
    assert_int_equal(xa_bech32_decode("age1r83wqgcm", hrp, sizeof hrp, data, sizeof data, &n, &e),
                     XA_EFORMAT);
    assert_string_equal(e.msg, "bech32: non-zero padding bits");
    assert_int_equal(xa_bech32_decode("age1ryla47ky", hrp, sizeof hrp, data, sizeof data, &n, &e),
                     XA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(data[0], 0x19);
    /* No length limit: 200 bytes round-trip. */
    uint8_t big[200];
    randombytes_buf(big, sizeof big);
    char *s = xa_malloc(xa_bech32_encoded_size(4, sizeof big));
    assert_int_equal(xa_bech32_encode("long", big, sizeof big, 0, s,
                                      xa_bech32_encoded_size(4, sizeof big), &e),
                     XA_OK);
    uint8_t back[256];
    assert_int_equal(xa_bech32_decode(s, hrp, sizeof hrp, back, sizeof back, &n, &e), XA_OK);
    assert_int_equal(n, sizeof big);
    assert_memory_equal(back, big, n);
    /* Small output buffers are refused, not overrun. */
    assert_int_equal(xa_bech32_decode(s, hrp, sizeof hrp, back, 10, &n, &e), XA_ELIMIT);
    assert_int_equal(xa_bech32_decode(s, hrp, 3, back, sizeof back, &n, &e), XA_ELIMIT);
    assert_int_equal(xa_bech32_encode("long", big, sizeof big, 0, s, 20, &e), XA_EUSAGE);
    assert_int_equal(xa_bech32_encode("Long", big, 1, 0, s, 20, &e), XA_EUSAGE);
    free(s);
}

static const char *VEC_ID = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
static const char *VEC_RCP = "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef";

static void age_keys(void **state)
{
    (void)state;
    xa_err e;
    xa_age_identity *id = NULL;
    assert_int_equal(xa_age_identity_parse(VEC_ID, &id, &e), XA_OK);
    char r[XA_AGE_RECIPIENT_MAX], s[XA_AGE_IDENTITY_MAX];
    xa_age_recipient_encode(id->pk, r);
    assert_string_equal(r, VEC_RCP); /* as `age-keygen -y` says */
    xa_age_identity_encode(id, s);
    assert_string_equal(s, VEC_ID);
    uint8_t pk[32];
    assert_int_equal(xa_age_recipient_parse(VEC_RCP, pk, &e), XA_OK);
    assert_memory_equal(pk, id->pk, 32);
    xa_age_identity_free(id);

    /* Case rules: identities upper case, recipients lower case, never mixed. */
    char low[XA_AGE_IDENTITY_MAX], up[XA_AGE_RECIPIENT_MAX];
    for (size_t i = 0; i <= strlen(VEC_ID); i++)
        low[i] = (char)((VEC_ID[i] >= 'A' && VEC_ID[i] <= 'Z') ? VEC_ID[i] + 32 : VEC_ID[i]);
    for (size_t i = 0; i <= strlen(VEC_RCP); i++)
        up[i] = (char)((VEC_RCP[i] >= 'a' && VEC_RCP[i] <= 'z') ? VEC_RCP[i] - 32 : VEC_RCP[i]);
    assert_int_equal(xa_age_identity_parse(low, &id, &e), XA_EFORMAT);
    assert_null(strstr(e.msg, "1egtz")); /* the message never quotes the key */
    assert_int_equal(xa_age_recipient_parse(up, pk, &e), XA_EFORMAT);
    low[5] = 'S';
    assert_int_equal(xa_age_identity_parse(low, &id, &e), XA_EFORMAT);
    assert_non_null(strstr(e.msg, "mixed"));
    char bad[XA_AGE_RECIPIENT_MAX];
    strcpy(bad, VEC_RCP);
    bad[10] = bad[10] == 'q' ? 'p' : 'q';
    assert_int_equal(xa_age_recipient_parse(bad, pk, &e), XA_EFORMAT);
    assert_non_null(strstr(e.msg, "checksum"));
    assert_int_equal(xa_age_recipient_parse(VEC_ID, pk, &e), XA_EFORMAT);
    assert_int_equal(xa_age_identity_parse(VEC_RCP, &id, &e), XA_EFORMAT);

    /* Key generation and a key file as age-keygen writes it. */
    xa_age_identity *a = NULL, *b = NULL;
    assert_int_equal(xa_age_keygen(&a, &e), XA_OK);
    assert_int_equal(xa_age_keygen(&b, &e), XA_OK);
    assert_memory_not_equal(a->sk, b->sk, 32);
    char sa[XA_AGE_IDENTITY_MAX], sb[XA_AGE_IDENTITY_MAX], ra[XA_AGE_RECIPIENT_MAX];
    xa_age_identity_encode(a, sa);
    xa_age_identity_encode(b, sb);
    xa_age_recipient_encode(a->pk, ra);
    char *file = xa_asprintf("# created: 2026-11-29T10:00:00+08:00\n# public key: %s\n%s\r\n\n%s",
                             ra, sa, sb);
    xa_age_identity **ids = NULL;
    size_t n = 0;
    assert_int_equal(xa_age_identities_parse(file, strlen(file), &ids, &n, &e), XA_OK);
    assert_int_equal(n, 2);
    assert_memory_equal(ids[0]->sk, a->sk, 32);
    assert_memory_equal(ids[1]->pk, b->pk, 32);
    xa_age_identities_free(ids, n);
    free(file);
    file = xa_asprintf("# x\n%s\nnot a key\n", sa);
    assert_int_equal(xa_age_identities_parse(file, strlen(file), &ids, &n, &e), XA_EFORMAT);
    assert_non_null(strstr(e.msg, "line 3"));
    free(file);
    assert_int_equal(xa_age_identities_parse("# only\n", 7, &ids, &n, &e), XA_EFORMAT);
    xa_age_identity_free(a);
    xa_age_identity_free(b);
}

/* A freed identity's memory serves the next one (the merge derives the
 * office's identity for every bundle): the next identity is its own key
 * only, whether made from a secret or generated, one or two at a time. */
static void identity_memory_reused(void **state)
{
    (void)state;
    xa_err e;
    uint8_t *data = random_bytes(1000), sk_a[32], sk_b[32], pk[32];
    xa_age_identity *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(xa_age_keygen(&a, &e), XA_OK);
    memcpy(sk_a, a->sk, 32);
    xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
    encrypt(PK1(a), 1, data, 1000, 1000, &ct);
    xa_age_identity_free(a);
    randombytes_buf(sk_b, 32);
    assert_int_equal(xa_age_identity_from_secret(sk_b, &b, &e), XA_OK);
    assert_int_equal(crypto_scalarmult_base(pk, sk_b), 0);
    assert_memory_equal(b->sk, sk_b, 32);
    assert_memory_equal(b->pk, pk, 32);
    const xa_age_identity *ib[1] = {b};
    assert_int_equal(decrypt((const uint8_t *)ct.data, ct.len, ib, 1, NULL, NULL, 0, &pt, &e), XA_AGE_NOMATCH);
    /* two alive at once: the spare serves one of them only */
    assert_int_equal(xa_age_identity_from_secret(sk_a, &c, &e), XA_OK);
    assert_ptr_not_equal(b, c);
    assert_memory_equal(b->sk, sk_b, 32);
    const xa_age_identity *ic[1] = {c};
    xa_buf_reset(&pt);
    assert_int_equal(decrypt((const uint8_t *)ct.data, ct.len, ic, 1, NULL, NULL, 0, &pt, &e), XA_OK);
    assert_int_equal(pt.len, 1000);
    assert_memory_equal(pt.data, data, 1000);
    xa_age_identity_free(b);
    xa_age_identity_free(c);
    xa_age_identity *g = NULL;
    assert_int_equal(xa_age_keygen(&g, &e), XA_OK);
    assert_int_equal(crypto_scalarmult_base(pk, g->sk), 0);
    assert_memory_equal(g->pk, pk, 32);
    assert_memory_not_equal(g->sk, sk_a, 32);
    assert_memory_not_equal(g->sk, sk_b, 32);
    xa_age_identity_free(g);
    xa_age_identity_free(NULL);
    sodium_memzero(sk_a, sizeof sk_a);
    sodium_memzero(sk_b, sizeof sk_b);
    xa_buf_clear(&ct);
    xa_buf_clear(&pt);
    free(data);
}

/* ---- round trips ---- */

static void round_trip_sizes(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 15, 16, 17, 65535, 65536, 65537, 131072, 131073,
                                   1048576 + 7};
    static const size_t pieces[] = {1 << 20, 1, 7, 65536, 4096};
    xa_age_identity *id = NULL;
    xa_err e;
    assert_int_equal(xa_age_keygen(&id, &e), XA_OK);
    const xa_age_identity *ids[1] = {id};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t len = sizes[i];
        uint8_t *data = random_bytes(len);
        size_t piece = len > 200000 ? pieces[i % 2 ? 3 : 4] : pieces[i % 5];
        xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
        encrypt(PK1(id), 1, data, len, piece, &ct);
        size_t chunks = len ? (len + XA_AGE_CHUNK - 1) / XA_AGE_CHUNK : 1;
        size_t hl = header_len((uint8_t *)ct.data, ct.len);
        assert_int_equal(ct.len, hl + 16 + len + 16 * chunks);
        assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, ids, 1, NULL, NULL,
                                 len < 100 ? 1 : (i % 2 ? 0 : 3333), &pt, &e),
                         XA_OK);
        assert_int_equal(pt.len, len);
        if (len)
            assert_memory_equal(pt.data, data, len);
        xa_buf_clear(&ct);
        xa_buf_clear(&pt);
        free(data);
    }
    xa_age_identity_free(id);
}

static void multiple_recipients(void **state)
{
    (void)state;
    xa_age_identity *a = NULL, *b = NULL, *c = NULL;
    xa_err e;
    xa_age_keygen(&a, &e);
    xa_age_keygen(&b, &e);
    xa_age_keygen(&c, &e);
    const uint8_t *rcp[2] = {a->pk, b->pk};
    xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
    encrypt(rcp, 2, (const uint8_t *)"hello", 5, 5, &ct);
    const xa_age_identity *one[1] = {a}, *two[1] = {b}, *none[1] = {c}, *both[2] = {c, b};
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, one, 1, NULL, NULL, 0, &pt, &e), XA_OK);
    assert_int_equal(pt.len, 5);
    xa_buf_reset(&pt);
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, two, 1, NULL, NULL, 0, &pt, &e), XA_OK);
    xa_buf_reset(&pt);
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, both, 2, NULL, NULL, 0, &pt, &e), XA_OK);
    xa_buf_reset(&pt);
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, none, 1, NULL, NULL, 0, &pt, &e),
                     XA_AGE_NOMATCH);
    assert_string_equal(e.msg, "no identity matches this file");
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, NULL, 0, "pass", NULL, 0, &pt, &e),
                     XA_AGE_NOMATCH);
    assert_int_equal(pt.len, 0);
    /* A low-order recipient is refused by the writer. */
    static const uint8_t zero[32] = {0};
    const uint8_t *bad[2] = {a->pk, zero};
    xa_age_writer *w = NULL;
    assert_int_equal(xa_age_writer_open(bad, 2, mem_write, &ct, &w, &e), XA_EFORMAT);
    assert_string_equal(e.msg, "recipient 2 is not a usable X25519 public key");
    assert_int_equal(xa_age_writer_open(rcp, 0, mem_write, &ct, &w, &e), XA_EUSAGE);
    xa_buf_clear(&ct);
    xa_buf_clear(&pt);
    xa_age_identity_free(a);
    xa_age_identity_free(b);
    xa_age_identity_free(c);
}

static void scrypt_round_trip(void **state)
{
    (void)state;
    xa_err e;
    xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
    xa_age_writer *w = NULL;
    assert_int_equal(xa_age_writer_open_scrypt("correct horse", 10, mem_write, &ct, &w, &e), XA_OK);
    assert_int_equal(xa_age_writer_write(w, "secret plan", 11, &e), XA_OK);
    assert_int_equal(xa_age_writer_finish(w, &e), XA_OK);
    assert_int_equal(xa_age_writer_write(w, "x", 1, &e), XA_ESTATE);
    xa_age_writer_free(w);
    assert_non_null(strstr(ct.data, "\n-> scrypt "));
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, NULL, 0, "correct horse", NULL, 0, &pt,
                             &e),
                     XA_OK);
    assert_int_equal(pt.len, 11);
    assert_memory_equal(pt.data, "secret plan", 11);
    xa_buf_reset(&pt);
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, NULL, 0, "wrong", NULL, 0, &pt, &e),
                     XA_AGE_NOMATCH);
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, NULL, 0, NULL, NULL, 0, &pt, &e),
                     XA_AGE_NOMATCH);
    xa_age_limits lim;
    xa_age_limits_default(&lim);
    lim.max_scrypt_log2 = 9;
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, NULL, 0, "correct horse", &lim, 0, &pt,
                             &e),
                     XA_ELIMIT);
    assert_non_null(strstr(e.msg, "work factor"));
    assert_int_equal(pt.len, 0);
    assert_int_equal(xa_age_writer_open_scrypt("", 10, mem_write, &ct, &w, &e), XA_EUSAGE);
    assert_int_equal(xa_age_writer_open_scrypt("p", 31, mem_write, &ct, &w, &e), XA_EUSAGE);
    xa_buf_clear(&ct);
    xa_buf_clear(&pt);
}

static void header_limits(void **state)
{
    (void)state;
    enum { N = 33 };
    xa_age_identity *ids[N];
    const uint8_t *rcp[N];
    xa_err e;
    for (int i = 0; i < N; i++) {
        xa_age_keygen(&ids[i], &e);
        rcp[i] = ids[i]->pk;
    }
    xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
    encrypt(rcp, N, (const uint8_t *)"x", 1, 1, &ct);
    const xa_age_identity *last[1] = {ids[N - 1]};
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, last, 1, NULL, NULL, 0, &pt, &e),
                     XA_ELIMIT);
    assert_non_null(strstr(e.msg, "32 stanzas"));
    xa_age_limits lim;
    xa_age_limits_default(&lim);
    lim.max_stanzas = N;
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, last, 1, NULL, &lim, 0, &pt, &e), XA_OK);
    assert_int_equal(pt.len, 1);
    lim.max_header = 500;
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, last, 1, NULL, &lim, 0, &pt, &e),
                     XA_ELIMIT);
    assert_non_null(strstr(e.msg, "larger than 500 bytes"));
    /* Exactly at the limit is fine. */
    lim.max_header = header_len((uint8_t *)ct.data, ct.len);
    xa_buf_reset(&pt);
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, last, 1, NULL, &lim, 0, &pt, &e), XA_OK);
    lim.max_header--;
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, last, 1, NULL, &lim, 0, &pt, &e),
                     XA_ELIMIT);
    for (int i = 0; i < N; i++)
        xa_age_identity_free(ids[i]);
    xa_buf_clear(&ct);
    xa_buf_clear(&pt);
}

/* ---- tampering ---- */

static int in_set(xa_code c, const xa_code *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == c)
            return 1;
    return 0;
}

static void tamper_small(void **state)
{
    (void)state;
    xa_age_identity *id = NULL;
    xa_err e;
    xa_age_keygen(&id, &e);
    const xa_age_identity *ids[1] = {id};
    uint8_t data[100];
    randombytes_buf(data, sizeof data);
    xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
    encrypt(PK1(id), 1, data, sizeof data, 100, &ct);
    uint8_t *c = (uint8_t *)ct.data;
    size_t hl = header_len(c, ct.len);
    static const xa_code header_set[] = {XA_AGE_NOTAGE, XA_AGE_HEADER, XA_AGE_NOMATCH,
                                         XA_AGE_HMAC, XA_ETRUNC};
    size_t flips = 0, hdr_class[XA_NCODES] = {0};

    /* Every single-bit flip fails, in the right class, releasing nothing. */
    for (size_t i = 0; i < ct.len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            c[i] ^= (uint8_t)(1u << bit);
            xa_buf_reset(&pt);
            xa_code rc = decrypt(c, ct.len, ids, 1, NULL, NULL, 0, &pt, &e);
            c[i] ^= (uint8_t)(1u << bit);
            flips++;
            if (i < hl) {
                if (!in_set(rc, header_set, 5))
                    fail_msg("flip at %zu.%d (header): code %d %s", i, bit, rc, e.msg);
                hdr_class[rc]++;
            } else if (rc != XA_AGE_PAYLOAD) {
                fail_msg("flip at %zu.%d (payload): code %d %s", i, bit, rc, e.msg);
            } else {
                assert_string_equal(e.msg,
                                    "age payload damaged at chunk 1, or the file is truncated");
            }
            assert_int_equal(pt.len, 0);
        }
    }
    assert_true(hdr_class[XA_AGE_NOTAGE] > 0);
    assert_true(hdr_class[XA_AGE_HEADER] > 0);
    assert_true(hdr_class[XA_AGE_HMAC] > 0);
    assert_true(hdr_class[XA_AGE_NOMATCH] > 0);
    print_message("age tamper: %zu bit flips all rejected\n", flips);

    /* Every truncation: inside the header, the nonce or the first 15 bytes
     * of the chunk = truncated; later in the only chunk = damaged (it cannot
     * be told from a bad final chunk; the message says so). */
    for (size_t len = 0; len < ct.len; len++) {
        xa_buf_reset(&pt);
        xa_code rc = decrypt(c, len, ids, 1, NULL, NULL, 0, &pt, &e);
        if (len < hl + 16 + 16) {
            if (rc != XA_ETRUNC)
                fail_msg("truncated to %zu: code %d %s", len, rc, e.msg);
            assert_non_null(strstr(e.msg, "file is truncated"));
        } else if (rc != XA_AGE_PAYLOAD) {
            fail_msg("truncated to %zu: code %d %s", len, rc, e.msg);
        } else {
            assert_non_null(strstr(e.msg, ", or the file is truncated"));
        }
        assert_int_equal(pt.len, 0);
    }

    /* Appended bytes. */
    static const size_t extra[] = {1, 16, 1000, 70000};
    for (size_t k = 0; k < sizeof extra / sizeof *extra; k++) {
        xa_buf longer = XA_BUF_INIT;
        xa_buf_add(&longer, ct.data, ct.len);
        uint8_t *junk = random_bytes(extra[k]);
        xa_buf_add(&longer, junk, extra[k]);
        free(junk);
        xa_buf_reset(&pt);
        assert_int_equal(decrypt((uint8_t *)longer.data, longer.len, ids, 1, NULL, NULL, 0, &pt,
                                 &e),
                         XA_AGE_PAYLOAD);
        xa_buf_clear(&longer);
    }
    /* Not age at all. */
    assert_int_equal(decrypt((const uint8_t *)"PK\3\4zip", 7, ids, 1, NULL, NULL, 0, &pt, &e),
                     XA_AGE_NOTAGE);
    assert_string_equal(e.msg, "not an age file");
    assert_int_equal(decrypt((const uint8_t *)"", 0, ids, 1, NULL, NULL, 0, &pt, &e), XA_ETRUNC);
    xa_buf_clear(&ct);
    xa_buf_clear(&pt);
    xa_age_identity_free(id);
}

static void tamper_chunks(void **state)
{
    (void)state;
    xa_age_identity *id = NULL;
    xa_err e;
    xa_age_keygen(&id, &e);
    const xa_age_identity *ids[1] = {id};
    size_t len = 3 * XA_AGE_CHUNK; /* three full chunks, the last flagged last */
    uint8_t *data = random_bytes(len);
    xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
    encrypt(PK1(id), 1, data, len, 10000, &ct);
    uint8_t *c = (uint8_t *)ct.data;
    size_t p0 = header_len(c, ct.len) + 16, enc = XA_AGE_CHUNK + 16;
    assert_int_equal(ct.len, p0 + 3 * enc);

    /* A flip in chunk k releases exactly the chunks before it. */
    for (size_t k = 0; k < 3; k++) {
        size_t at[] = {p0 + k * enc, p0 + k * enc + 12345, p0 + (k + 1) * enc - 1};
        for (size_t j = 0; j < 3; j++) {
            c[at[j]] ^= 0x20;
            xa_buf_reset(&pt);
            assert_int_equal(decrypt(c, ct.len, ids, 1, NULL, NULL, 0, &pt, &e), XA_AGE_PAYLOAD);
            c[at[j]] ^= 0x20;
            char want[64];
            snprintf(want, sizeof want, "age payload damaged at chunk %zu", k + 1);
            assert_string_equal(e.msg, want);
            assert_int_equal(pt.len, k * XA_AGE_CHUNK);
            assert_memory_equal(pt.data ? pt.data : "", data, pt.len);
        }
    }
    /* Truncation at a chunk boundary: truncated, earlier chunks released;
     * just after a boundary or inside a chunk: damaged. */
    for (size_t k = 1; k < 3; k++) {
        size_t cut = p0 + k * enc;
        xa_buf_reset(&pt);
        assert_int_equal(decrypt(c, cut, ids, 1, NULL, NULL, 0, &pt, &e), XA_ETRUNC);
        assert_int_equal(pt.len, k * XA_AGE_CHUNK);
        static const size_t d[] = {1, 15, 16, 17, 30000};
        for (size_t j = 0; j < sizeof d / sizeof *d; j++) {
            xa_buf_reset(&pt);
            assert_int_equal(decrypt(c, cut + d[j], ids, 1, NULL, NULL, 0, &pt, &e),
                             d[j] < 16 ? XA_ETRUNC : XA_AGE_PAYLOAD);
            assert_int_equal(pt.len, k * XA_AGE_CHUNK);
            xa_buf_reset(&pt);
            assert_int_equal(decrypt(c, cut - d[j], ids, 1, NULL, NULL, 0, &pt, &e),
                             XA_AGE_PAYLOAD);
            assert_int_equal(pt.len, (k - 1) * XA_AGE_CHUNK);
        }
    }
    /* Appending after a full final chunk: its plaintext is out, then the error. */
    xa_buf_add(&ct, "\0", 1);
    xa_buf_reset(&pt);
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, ids, 1, NULL, NULL, 0, &pt, &e),
                     XA_AGE_PAYLOAD);
    assert_non_null(strstr(e.msg, "after the final chunk"));
    assert_int_equal(pt.len, len);
    /* Swapping two chunks fails at the first moved one. */
    ct.len--;
    c = (uint8_t *)ct.data;
    uint8_t *tmp = xa_malloc(enc);
    memcpy(tmp, c + p0, enc);
    memcpy(c + p0, c + p0 + enc, enc);
    memcpy(c + p0 + enc, tmp, enc);
    free(tmp);
    xa_buf_reset(&pt);
    assert_int_equal(decrypt(c, ct.len, ids, 1, NULL, NULL, 0, &pt, &e), XA_AGE_PAYLOAD);
    assert_int_equal(pt.len, 0);
    free(data);
    xa_buf_clear(&ct);
    xa_buf_clear(&pt);
    xa_age_identity_free(id);
}

/* ---- C2SP CCTV vectors ---- */

typedef struct vector {
    char *path;
    char *name;
} vector;

static int vec_run, vec_skipped, vec_pq, vec_unknown;

/* The test-kit folder: $AGE_TESTKIT, else ../shared/testdata/age-testkit
 * beside the project (found from the working folder or $XIAOAN_TESTS_DIR). */
static const char *testkit_dir(void)
{
    static char buf[4096];
    const char *env = getenv("AGE_TESTKIT");
    if (env && *env)
        return env;
    const char *tests = getenv("XIAOAN_TESTS_DIR");
    struct stat st;
    if (stat("../shared/testdata/age-testkit", &st) != 0 && tests && *tests) {
        snprintf(buf, sizeof buf, "%s/../../shared/testdata/age-testkit", tests);
        return buf;
    }
    return "../shared/testdata/age-testkit";
}

/* Inflate zlib data. */
static int inflate_all(const uint8_t *in, size_t len, xa_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return -1;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    uint8_t buf[65536];
    int rc;
    do {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&z);
            return -1;
        }
        xa_buf_add(out, buf, sizeof buf - z.avail_out);
    } while (rc != Z_STREAM_END);
    inflateEnd(&z);
    return 0;
}

static void run_vector(void **state)
{
    const vector *v = *state;
    xa_buf file = XA_BUF_INIT, body = XA_BUF_INIT, pt = XA_BUF_INIT;
    FILE *fp = fopen(v->path, "rb");
    assert_non_null(fp);
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        xa_buf_add(&file, buf, n);
    fclose(fp);

    const char *expect = NULL, *payload = NULL;
    const char *pass[4] = {NULL};
    size_t npass = 0, nids = 0;
    xa_age_identity *ids[8];
    int compressed = 0, armored = 0, pq = 0, unknown = 0;
    char *p = file.data, *end = file.data + file.len;
    while (p < end && *p != '\n') {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);
        *nl = '\0';
        char *colon = strstr(p, ": ");
        assert_non_null(colon);
        *colon = '\0';
        const char *val = colon + 2;
        if (!strcmp(p, "expect"))
            expect = val;
        else if (!strcmp(p, "payload"))
            payload = val;
        else if (!strcmp(p, "identity")) {
            if (!strncmp(val, "AGE-SECRET-KEY-PQ-", 18))
                pq = 1;
            else {
                xa_err e;
                assert_true(nids < 8);
                if (xa_age_identity_parse(val, &ids[nids], &e) != XA_OK)
                    fail_msg("identity in %s: %s", v->name, e.msg);
                nids++;
            }
        } else if (!strcmp(p, "passphrase")) {
            assert_true(npass < 4);
            pass[npass++] = val;
        } else if (!strcmp(p, "compressed"))
            compressed = !strcmp(val, "zlib") ? 1 : (unknown = 1, 0);
        else if (!strcmp(p, "armored"))
            armored = !strcmp(val, "yes");
        else if (strcmp(p, "file key") && strcmp(p, "comment"))
            unknown = 1;
        p = nl + 1;
    }
    (void)armored; /* armor is read, so armored vectors run too */
    if (pq || unknown) {
        for (size_t i = 0; i < nids; i++)
            xa_age_identity_free(ids[i]);
        xa_buf_clear(&file);
        vec_skipped++;
        if (pq)
            vec_pq++;
        else
            vec_unknown++;
        skip();
    }
    assert_non_null(expect);
    p++; /* the empty line */
    if (compressed) {
        if (inflate_all((uint8_t *)p, (size_t)(end - p), &body) != 0)
            fail_msg("%s: cannot inflate", v->name);
    } else {
        xa_buf_add(&body, p, (size_t)(end - p));
    }

    xa_err e;
    xa_err_clear(&e);
    xa_code rc = XA_OK;
    const xa_age_identity *idp[8];
    for (size_t i = 0; i < nids; i++)
        idp[i] = ids[i];
    size_t tries = npass ? npass : 1;
    for (size_t t = 0; t < tries; t++) {
        xa_buf_reset(&pt);
        rc = decrypt((uint8_t *)(body.data ? body.data : ""), body.len, idp, nids,
                     npass ? pass[t] : NULL, NULL, 0, &pt, &e);
        if (rc != XA_AGE_NOMATCH)
            break;
    }
    vec_run++;

    int ok = 0;
    if (!strcmp(expect, "success"))
        ok = rc == XA_OK;
    else if (!strcmp(expect, "no match"))
        ok = rc == XA_AGE_NOMATCH;
    else if (!strcmp(expect, "HMAC failure"))
        ok = rc == XA_AGE_HMAC;
    else if (!strcmp(expect, "header failure"))
        ok = rc == XA_AGE_HEADER || rc == XA_AGE_NOTAGE || rc == XA_ETRUNC || rc == XA_ELIMIT;
    else if (!strcmp(expect, "payload failure"))
        ok = rc == XA_AGE_PAYLOAD || rc == XA_ETRUNC;
    else if (!strcmp(expect, "armor failure"))
        ok = rc == XA_EFORMAT || rc == XA_AGE_NOTAGE;
    else
        fail_msg("%s: unknown expect '%s'", v->name, expect);
    if (!ok)
        fail_msg("%s: expected %s, got code %d: %s", v->name, expect, rc,
                 rc ? e.msg : "success");
    if (payload) {
        uint8_t h[32];
        char hex[65];
        crypto_hash_sha256(h, (uint8_t *)(pt.data ? pt.data : ""), pt.len);
        xa_hex_encode(h, 32, hex);
        if (strcmp(hex, payload) != 0)
            fail_msg("%s: released plaintext (%zu bytes) has the wrong SHA-256", v->name, pt.len);
    }
    for (size_t i = 0; i < nids; i++)
        xa_age_identity_free(ids[i]);
    xa_buf_clear(&file);
    xa_buf_clear(&body);
    xa_buf_clear(&pt);
}

static void testkit_missing(void **state)
{
    (void)state;
    fprintf(stderr, "\n*** age test kit NOT FOUND at %s: the C2SP vectors are SKIPPED ***\n"
                    "*** set AGE_TESTKIT to the folder of the CCTV age vectors ***\n\n",
            testkit_dir());
    printf("age test kit missing at %s: vectors SKIPPED\n", testkit_dir());
    skip();
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int vectors_report(void **state)
{
    (void)state;
    printf("age test kit: %d vectors run, %d skipped (%d post-quantum, %d with unknown keys)\n",
           vec_run, vec_skipped, vec_pq, vec_unknown);
    return 0;
}

/* ---- interop with the age command-line tools ---- */

static char tmpdir[256];

static int have_age(void)
{
    return system("command -v age >/dev/null 2>&1 && command -v age-keygen >/dev/null 2>&1") == 0;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run a shell command built from fmt; its exit status. */
static int sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xa_buf b = XA_BUF_INIT;
    xa_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    int rc = system(b.data);
    xa_buf_clear(&b);
    return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    if (len)
        assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void read_file(const char *path, xa_buf *out)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        xa_buf_add(out, buf, n);
    fclose(fp);
}

static char *tpath(const char *name)
{
    return xa_asprintf("%s/%s", tmpdir, name);
}

static int interop_setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/xiaoan-age-XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int interop_teardown(void **state)
{
    (void)state;
    if (tmpdir[0])
        sh("rm -rf '%s'", tmpdir);
    return 0;
}

#define NEED_AGE()                                                                               \
    do {                                                                                         \
        if (!have_age()) {                                                                       \
            fprintf(stderr, "*** age / age-keygen not installed: interop test SKIPPED "          \
                            "(make deps installs them) ***\n");                                  \
            skip();                                                                              \
        }                                                                                        \
    } while (0)

/* xiaoan writes, `age -d -i KEYFILE` reads: identical bytes. */
static void interop_xiaoan_to_age(void **state)
{
    (void)state;
    NEED_AGE();
    static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 1048576 + 7};
    xa_age_identity *id = NULL;
    xa_err e;
    xa_age_keygen(&id, &e);
    char *key = tpath("x-key.txt"), *enc = tpath("x.age"), *dec = tpath("x.out");
    char *idtext = xa_secret_alloc(XA_AGE_IDENTITY_MAX + 1);
    xa_age_identity_encode(id, idtext);
    strcat(idtext, "\n");
    write_file(key, idtext, strlen(idtext));
    xa_secret_free(idtext);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        uint8_t *data = random_bytes(sizes[i]);
        xa_buf ct = XA_BUF_INIT, out = XA_BUF_INIT;
        encrypt(PK1(id), 1, data, sizes[i], 30000, &ct);
        write_file(enc, ct.data, ct.len);
        assert_int_equal(sh("age -d -i '%s' '%s' > '%s'", key, enc, dec), 0);
        read_file(dec, &out);
        assert_int_equal(out.len, sizes[i]);
        if (sizes[i])
            assert_memory_equal(out.data, data, sizes[i]);
        xa_buf_clear(&ct);
        xa_buf_clear(&out);
        free(data);
    }
    xa_age_identity_free(id);
    free(key);
    free(enc);
    free(dec);
}

/* age-keygen keys and `age -r` files read back with xiaoan; two recipients
 * open with either key, both ways; `age -a` (armor) reads too. */
static void interop_age_to_xiaoan(void **state)
{
    (void)state;
    NEED_AGE();
    char *k1 = tpath("k1.txt"), *k2 = tpath("k2.txt"), *plain = tpath("p.bin"),
         *enc = tpath("p.age"), *dec = tpath("p.out");
    assert_int_equal(sh("age-keygen -o '%s' 2>/dev/null && age-keygen -o '%s' 2>/dev/null", k1,
                        k2),
                     0);
    xa_buf t1 = XA_BUF_INIT, t2 = XA_BUF_INIT;
    read_file(k1, &t1);
    read_file(k2, &t2);
    xa_age_identity **i1 = NULL, **i2 = NULL;
    size_t n1 = 0, n2 = 0;
    xa_err e;
    assert_int_equal(xa_age_identities_parse(t1.data, t1.len, &i1, &n1, &e), XA_OK);
    assert_int_equal(xa_age_identities_parse(t2.data, t2.len, &i2, &n2, &e), XA_OK);
    assert_int_equal(n1, 1);
    char r1[XA_AGE_RECIPIENT_MAX], r2[XA_AGE_RECIPIENT_MAX];
    xa_age_recipient_encode(i1[0]->pk, r1);
    xa_age_recipient_encode(i2[0]->pk, r2);
    char *want = xa_asprintf("# public key: %s\n", r1);
    assert_non_null(strstr(t1.data, want)); /* our public key = age-keygen's */
    free(want);
    uint8_t pk[32];
    assert_int_equal(xa_age_recipient_parse(r1, pk, &e), XA_OK);

    static const size_t sizes[] = {0, 1, 65536, 65537, 1048576 + 7};
    const xa_age_identity *one[1] = {i1[0]}, *two[1] = {i2[0]};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        uint8_t *data = random_bytes(sizes[i]);
        write_file(plain, data, sizes[i]);
        for (int armor = 0; armor < 2; armor++) {
            assert_int_equal(sh("age %s -r %s -r %s -o '%s' '%s'", armor ? "-a" : "", r1, r2, enc,
                                plain),
                             0);
            xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
            read_file(enc, &ct);
            for (int who = 0; who < 2; who++) {
                xa_buf_reset(&pt);
                if (decrypt((uint8_t *)ct.data, ct.len, who ? two : one, 1, NULL, NULL, 0, &pt,
                            &e) != XA_OK)
                    fail_msg("age-made file (%zu bytes, armor %d, key %d): %s", sizes[i], armor,
                             who + 1, e.msg);
                assert_int_equal(pt.len, sizes[i]);
                if (sizes[i])
                    assert_memory_equal(pt.data, data, sizes[i]);
            }
            xa_buf_clear(&ct);
            xa_buf_clear(&pt);
        }
        free(data);
    }

    /* xiaoan, two recipients → age with either key. */
    const uint8_t *rcp[2] = {i1[0]->pk, i2[0]->pk};
    xa_buf ct = XA_BUF_INIT, out = XA_BUF_INIT;
    encrypt(rcp, 2, (const uint8_t *)"two keys", 8, 8, &ct);
    write_file(enc, ct.data, ct.len);
    for (int who = 0; who < 2; who++) {
        assert_int_equal(sh("age -d -i '%s' '%s' > '%s'", who ? k2 : k1, enc, dec), 0);
        xa_buf_reset(&out);
        read_file(dec, &out);
        assert_int_equal(out.len, 8);
        assert_memory_equal(out.data, "two keys", 8);
    }
    xa_buf_clear(&ct);
    xa_buf_clear(&out);
    xa_buf_clear(&t1);
    xa_buf_clear(&t2);
    xa_age_identities_free(i1, n1);
    xa_age_identities_free(i2, n2);
    free(k1);
    free(k2);
    free(plain);
    free(enc);
    free(dec);
}

/* Passphrase files both ways.  age 1.1.1 reads passphrases only from a
 * terminal, so the passphrase is typed into a pseudo-terminal by script(1). */
static void interop_scrypt(void **state)
{
    (void)state;
    NEED_AGE();
    if (system("script -qec true /dev/null >/dev/null 2>&1 </dev/null") != 0) {
        fprintf(stderr, "*** script(1) or a pseudo-terminal is not available: cannot type a "
                        "passphrase into age; scrypt interop SKIPPED ***\n");
        skip();
    }
    char *plain = tpath("s.txt"), *enc = tpath("s.age"), *dec = tpath("s.out");
    write_file(plain, "scrypt interop\n", 15);
    assert_int_equal(sh("printf 'pw-4711\\npw-4711\\n' | timeout 60 script -qec "
                        "\"age -p -o '%s' '%s'\" /dev/null >/dev/null 2>&1",
                        enc, plain),
                     0);
    xa_buf ct = XA_BUF_INIT, pt = XA_BUF_INIT;
    read_file(enc, &ct);
    xa_err e;
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, NULL, 0, "pw-4711", NULL, 0, &pt, &e),
                     XA_OK);
    assert_int_equal(pt.len, 15);
    assert_memory_equal(pt.data, "scrypt interop\n", 15);
    assert_int_equal(decrypt((uint8_t *)ct.data, ct.len, NULL, 0, "pw-4712", NULL, 0, &pt, &e),
                     XA_AGE_NOMATCH);

    xa_buf_reset(&ct);
    xa_age_writer *w = NULL;
    assert_int_equal(xa_age_writer_open_scrypt("pw-0815", 12, mem_write, &ct, &w, &e), XA_OK);
    assert_int_equal(xa_age_writer_write(w, "from xiaoan", 11, &e), XA_OK);
    assert_int_equal(xa_age_writer_finish(w, &e), XA_OK);
    xa_age_writer_free(w);
    write_file(enc, ct.data, ct.len);
    assert_int_equal(sh("printf 'pw-0815\\n' | timeout 60 script -qec \"age -d -o '%s' '%s'\" "
                        "/dev/null >/dev/null 2>&1",
                        dec, enc),
                     0);
    xa_buf out = XA_BUF_INIT;
    read_file(dec, &out);
    assert_int_equal(out.len, 11);
    assert_memory_equal(out.data, "from xiaoan", 11);
    xa_buf_clear(&out);
    xa_buf_clear(&ct);
    xa_buf_clear(&pt);
    free(plain);
    free(enc);
    free(dec);
}

static int group_setup(void **state)
{
    return interop_setup(state);
}

static int group_teardown(void **state)
{
    vectors_report(state);
    return interop_teardown(state);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    /* One group (so the runner's summary counts everything): the unit tests,
     * the interop tests, then one test per vector file of the test kit. */
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(hkdf_rfc5869),
        cmocka_unit_test(bech32_bip173),
        cmocka_unit_test(age_keys),
        cmocka_unit_test(identity_memory_reused),
        cmocka_unit_test(round_trip_sizes),
        cmocka_unit_test(multiple_recipients),
        cmocka_unit_test(scrypt_round_trip),
        cmocka_unit_test(header_limits),
        cmocka_unit_test(tamper_small),
        cmocka_unit_test(tamper_chunks),
        cmocka_unit_test(interop_xiaoan_to_age),
        cmocka_unit_test(interop_age_to_xiaoan),
        cmocka_unit_test(interop_scrypt),
    };
    size_t nfixed = sizeof fixed / sizeof *fixed;
    const char *dir = testkit_dir();
    char **names = NULL;
    size_t n = 0;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.' || !strcmp(de->d_name, "README.md"))
                continue;
            names = xa_realloc(names, (n + 1) * sizeof *names);
            names[n++] = xa_strdup(de->d_name);
        }
        closedir(d);
        if (n)
            qsort(names, n, sizeof *names, cmp_str);
    }
    vector *vecs = xa_calloc(n + 1, sizeof *vecs);
    struct CMUnitTest *tests = xa_calloc(nfixed + n + 1, sizeof *tests);
    memcpy(tests, fixed, sizeof fixed);
    size_t total = nfixed;
    if (n == 0) {
        tests[total++] = (struct CMUnitTest)cmocka_unit_test(testkit_missing);
    }
    for (size_t i = 0; i < n; i++) {
        vecs[i].name = names[i];
        vecs[i].path = xa_asprintf("%s/%s", dir, names[i]);
        tests[total].name = names[i];
        tests[total].test_func = run_vector;
        tests[total].initial_state = &vecs[i];
        total++;
    }
    int failed = _cmocka_run_group_tests("age", tests, total, group_setup, group_teardown);
    for (size_t i = 0; i < n; i++) {
        free(vecs[i].path);
        free(names[i]);
    }
    free(vecs);
    free(tests);
    free(names);
    return failed;
}
