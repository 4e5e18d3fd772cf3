/* mkseeds.c — writes the seed corpora of fuzz_age, fuzz_container and
 * fuzz_visit (small valid inputs, with the fixed keys of fuzz_keys.h, in
 * the input layout each harness documents) into DIR/fuzz_NAME/.
 *
 *   make fuzz-seeds        (= build/…/tests/fuzz_mkseeds tests/fuzz/corpus)
 *
 * The seeds are committed; rerun this only when a format changes (the
 * files differ on every run: ids, nonces and keys of age files are random). */
#include "fuzz_keys.h"

#include "xiaoan/age.h"
#include "xiaoan/container.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/visit.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>

static const char *outdir;
static size_t total;

static void die(const char *what, const xa_err *e)
{
    fprintf(stderr, "mkseeds: %s: %s\n", what, e ? xa_err_msg(e) : strerror(errno));
    exit(1);
}

/* Write DIR/harness/name = prefix (plen bytes) ‖ data. */
static void put(const char *harness, const char *name, const void *prefix, size_t plen,
                const void *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", outdir, harness);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", outdir, harness, name);
    FILE *f = fopen(path, "wb");
    if (!f || (plen && fwrite(prefix, 1, plen, f) != plen) ||
        (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
        die(path, NULL);
    if (plen + len > 4096)
        fprintf(stderr, "mkseeds: warning: %s is %zu bytes\n", path, plen + len);
    total += plen + len;
    printf("%6zu %s\n", plen + len, path);
}

static void put_byte(const char *harness, const char *name, uint8_t b, const xa_buf *data)
{
    put(harness, name, &b, 1, data->data, data->len);
}

/* ---- age ---- */

static void age_x25519(const uint8_t *const *rcpt, size_t n, const void *p, size_t len,
                       xa_buf *out)
{
    xa_age_writer *w = NULL;
    xa_err e;
    if (xa_age_writer_open(rcpt, n, fuzz_buf_write, out, &w, &e) != XA_OK ||
        xa_age_writer_write(w, p, len, &e) != XA_OK || xa_age_writer_finish(w, &e) != XA_OK)
        die("age writer", &e);
    xa_age_writer_free(w);
}

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

static void seeds_age(void)
{
    static const char msg[] = "校安 fuzz seed: 消防通道畅通\n";
    const xa_age_identity *id = fuzz_age_identity();
    xa_age_identity *other = NULL;
    if (xa_age_keygen(&other, NULL) != XA_OK)
        die("keygen", NULL);
    const uint8_t *one[1] = {id->pk}, *two[2] = {other->pk, id->pk}, *stranger[1] = {other->pk};
    xa_buf f = XA_BUF_INIT, a = XA_BUF_INIT;
    uint8_t raw[2] = {0, 0x80}, bytewise[2] = {1, 0x2b};

    age_x25519(one, 1, msg, sizeof msg - 1, &f);
    put("fuzz_age", "x25519.age", raw, 2, f.data, f.len);
    put("fuzz_age", "x25519-bytewise.age", bytewise, 2, f.data, f.len);
    armor(&f, &a);
    put("fuzz_age", "x25519-armored.age", raw, 2, a.data, a.len);
    put("fuzz_age", "x25519-armored-bytewise.age", bytewise, 2, a.data, a.len);
    xa_buf_reset(&f);
    age_x25519(two, 2, msg, sizeof msg - 1, &f);
    put("fuzz_age", "two-recipients.age", raw, 2, f.data, f.len);
    xa_buf_reset(&f);
    age_x25519(stranger, 1, msg, sizeof msg - 1, &f);
    put("fuzz_age", "not-for-us.age", raw, 2, f.data, f.len);
    xa_buf_reset(&f);
    age_x25519(one, 1, "", 0, &f);
    put("fuzz_age", "empty-payload.age", raw, 2, f.data, f.len);

    xa_buf_reset(&f);
    xa_age_writer *w = NULL;
    xa_err e;
    if (xa_age_writer_open_scrypt(FUZZ_PASSPHRASE, FUZZ_SCRYPT_LOG2, fuzz_buf_write, &f, &w,
                                  &e) != XA_OK ||
        xa_age_writer_write(w, msg, sizeof msg - 1, &e) != XA_OK ||
        xa_age_writer_finish(w, &e) != XA_OK)
        die("age scrypt writer", &e);
    xa_age_writer_free(w);
    put("fuzz_age", "scrypt.age", raw, 2, f.data, f.len);
    put("fuzz_age", "scrypt-bytewise.age", bytewise, 2, f.data, f.len);

    /* Headers that reach the stanza checks: scrypt work factors, scrypt
     * with another stanza, a low-order X25519 share, too many stanzas, a
     * header over the (lowered) limit of mode 1. */
    {
        xa_buf h = XA_BUF_INIT;
        const char *sc = strstr(f.data, "-> scrypt ");
        const char *eol = sc ? strchr(sc, '\n') : NULL;
        if (!eol || eol[-1] != '2' || eol[-2] != ' ')
            die("scrypt stanza", NULL);
        size_t at = (size_t)(eol - 1 - f.data);
        static const char *const wf[][2] = {{"scrypt-wf-over-cap.age", "23"},
                                            {"scrypt-wf-leading-zero.age", "02"},
                                            {"scrypt-wf-huge.age", "99999999999999999999"}};
        for (size_t i = 0; i < 3; i++) {
            xa_buf_reset(&h);
            xa_buf_add(&h, f.data, at);
            xa_buf_puts(&h, wf[i][1]);
            xa_buf_add(&h, f.data + at + 1, f.len - at - 1);
            put("fuzz_age", wf[i][0], raw, 2, h.data, h.len);
        }
        const char *mac = strstr(f.data, "\n---");
        xa_buf_reset(&h);
        xa_buf_add(&h, f.data, (size_t)(mac - f.data) + 1);
        xa_buf_puts(&h, "-> X25519 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
        xa_buf_add(&h, mac + 1, f.len - (size_t)(mac + 1 - f.data));
        put("fuzz_age", "scrypt-not-alone.age", raw, 2, h.data, h.len);

        static const char zero43[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        xa_buf_reset(&h);
        xa_buf_printf(&h, "age-encryption.org/v1\n-> X25519 %s\n%s\n--- %s\n", zero43, zero43,
                      zero43);
        put("fuzz_age", "x25519-low-order.age", raw, 2, h.data, h.len);
        xa_buf_reset(&h);
        xa_buf_puts(&h, "age-encryption.org/v1\n");
        for (int i = 0; i < 33; i++)
            xa_buf_printf(&h, "-> unknown-%d arg\n%s\n", i, i % 2 ? "" : "YWJj");
        xa_buf_printf(&h, "--- %s\n", zero43);
        put("fuzz_age", "too-many-stanzas.age", raw, 2, h.data, h.len);
        xa_buf_reset(&h);
        xa_buf_puts(&h, "age-encryption.org/v1\n-> grease x y\n");
        for (int i = 0; i < 20; i++)
            xa_buf_puts(&h, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\n");
        xa_buf_printf(&h, "\n--- %s\n", zero43);
        put("fuzz_age", "long-header-bytewise.age", bytewise, 2, h.data, h.len);
        xa_buf_clear(&h);
    }

    /* Edited mode: mode, 3-byte plaintext length, pattern, step, edits
     * (op, 3-byte offset, value). */
    static const struct {
        const char *name;
        uint8_t b[16];
        size_t n;
    } ed[] = {
        {"edit-none-small", {2, 100, 0, 0, 7, 0}, 6},
        {"edit-none-empty", {2, 0, 0, 0, 0, 0}, 6},
        {"edit-none-one-chunk", {2, 0, 0, 1, 9, 0}, 6},          /* 65536 */
        {"edit-none-chunk-plus-one", {2, 1, 0, 1, 9, 0x85}, 6},  /* 65537, stepped */
        {"edit-none-two-chunks", {2, 0, 0, 2, 3, 0}, 6},
        {"edit-truncate", {2, 0, 0, 2, 1, 0, 1, 0x50, 0, 1, 0}, 11},
        {"edit-flip", {2, 200, 0, 0, 1, 0, 0, 0x30, 0, 0, 4}, 11},
        {"edit-append", {2, 50, 0, 0, 1, 0, 4, 0, 0, 0, 3}, 11},
        {"edit-armored", {3, 120, 0, 0, 5, 0}, 6},
        {"edit-armored-crlf", {3, 10, 1, 0, 5, 0x81, 2, 34, 0, 0, '\r'}, 11},
        /* 65537 bytes = a full chunk and one byte; cut right after the full
         * chunk (header 168 + nonce 16 + 65552 = 65736 = 0x0100c8) */
        {"edit-truncate-at-chunk", {2, 1, 0, 1, 4, 0, 1, 0xc8, 0x00, 0x01, 0}, 11},
        {"edit-truncate-in-nonce", {2, 1, 0, 1, 4, 0, 1, 0xb0, 0x00, 0x00, 0}, 11},
    };
    for (size_t i = 0; i < sizeof ed / sizeof ed[0]; i++)
        put("fuzz_age", ed[i].name, NULL, 0, ed[i].b, ed[i].n);
    xa_buf_clear(&f);
    xa_buf_clear(&a);
    xa_age_identity_free(other);
}

/* ---- visits ---- */

/* A draft with a bit of everything. */
static json_t *full_draft(void)
{
    static const char *const team[] = {"李四", "王五"};
    xa_visit_init init = {"331102000101", "莲都区实验小学", "莲都区", "four-not-two-direct",
                          team, 2, 1, 1, 1, 0, "2026-11-29T09:30:00+08:00", NULL, NULL};
    json_t *d = NULL;
    xa_err e;
    if (xa_visit_new(fuzz_identity(), &init, &d, &e) != XA_OK)
        die("visit new", &e);
    json_array_append_new(json_object_get(d, "forms"),
                          json_pack("{s:s, s:i, s:s}", "id", "fire-buildings", "version", 1,
                                    "hash", "0123456789abcdef0123456789abcdef"
                                            "0123456789abcdef0123456789abcdef"));
    json_t *ans = json_object_get(d, "answers");
    json_array_append_new(ans, xa_visit_answer_new("fire-buildings", "FB-01", "pass"));
    json_t *a2 = xa_visit_answer_new("fire-buildings", "FB-02", "hazard");
    json_object_set_new(a2, "value", json_integer(3));
    json_object_set_new(a2, "note", json_string("灭火器过期"));
    json_array_append_new(ans, a2);
    json_t *a3 = xa_visit_answer_new("fire-buildings", "FB-03", "na");
    json_object_set_new(a3, "text", json_string("无"));
    json_array_append_new(ans, a3);
    json_t *h = xa_visit_hazard_new("fire-buildings", "FB-02", "fire", "major");
    json_object_set_new(h, "description", json_string("二楼灭火器压力不足"));
    json_object_set_new(h, "deadline", json_string("2026-12-14"));
    json_array_append_new(json_object_get(d, "hazards"), h);
    json_array_append_new(json_object_get(d, "hazards"),
                          xa_visit_hazard_new(NULL, NULL, "general", "general"));
    json_array_append_new(json_object_get(d, "followups"),
                          xa_visit_followup_new("00112233445566778899aabbccddeeff", "partly"));
    json_array_append_new(json_object_get(d, "attachments"),
                          json_pack("{s:s, s:s, s:i}", "hash",
                                    "fedcba9876543210fedcba9876543210"
                                    "fedcba9876543210fedcba9876543210",
                                    "name", "photo.jpg", "size", 1234));
    if (xa_visit_validate(d, &e) != XA_OK)
        die("full draft", &e);
    return d;
}

static void put_json(const char *harness, const char *name, const json_t *v)
{
    char *s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
    put(harness, name, NULL, 0, s, strlen(s));
    free(s);
}

static void seeds_visit(json_t **sealed_out, uint8_t sig_out[XA_SIG_BYTES])
{
    const xa_identity *id = fuzz_identity();
    xa_visit_init init = {"1", "小学", "", "random", NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL};
    json_t *min = NULL, *full = full_draft(), *s1 = NULL, *s2 = NULL;
    xa_err e;
    if (xa_visit_new(id, &init, &min, &e) != XA_OK)
        die("visit new", &e);
    put_json("fuzz_visit", "draft-minimal.json", min);
    /* pretty-printed too: the validator sees the same document */
    char *pretty = json_dumps(full, JSON_INDENT(1) | JSON_SORT_KEYS);
    put("fuzz_visit", "draft-full.json", NULL, 0, pretty, strlen(pretty));
    free(pretty);
    uint8_t sig[XA_SIG_BYTES], hash[XA_HASH_BYTES], sig2[XA_SIG_BYTES], h2[XA_HASH_BYTES];
    if (xa_visit_seal(min, id, 1, NULL, 1764379800, &s1, sig, hash, &e) != XA_OK ||
        xa_visit_seal(full, id, 2, hash, 1764379900, &s2, sig2, h2, &e) != XA_OK)
        die("visit seal", &e);
    put_json("fuzz_visit", "sealed-seq1.json", s1);
    put_json("fuzz_visit", "sealed-seq2.json", s2);
    json_t *rec = xa_visit_record(s1, sig);
    put_json("fuzz_visit", "record.json", rec);
    json_decref(rec);
    json_t *corr = json_deep_copy(min);
    json_object_set_new(corr, "corrects", json_string("00112233445566778899aabbccddeeff"));
    json_object_set_new(corr, "kind", json_string("follow-up"));
    json_object_set_new(json_object_get(corr, "times"), "first_site",
                                json_string("2026-11-29T10:00:00Z"));
    put_json("fuzz_visit", "draft-corrects.json", corr);
    json_decref(corr);
    /* Near misses, one field each. */
    json_t *bad = json_deep_copy(full);
    json_object_set_new(json_object_get(bad, "school"), "code", json_string(""));
    put_json("fuzz_visit", "bad-empty-school-code.json", bad);
    json_decref(bad);
    bad = json_deep_copy(full);
    json_array_append(json_object_get(bad, "hazards"),
                      json_array_get(json_object_get(bad, "hazards"), 0));
    put_json("fuzz_visit", "bad-same-hazard-twice.json", bad);
    json_decref(bad);
    bad = json_deep_copy(full);
    json_array_append_new(json_object_get(bad, "team"), json_string(""));
    put_json("fuzz_visit", "bad-team-name.json", bad);
    json_decref(bad);
    bad = json_deep_copy(s1);
    json_object_set_new(json_object_get(bad, "seal"), "prev",
                        json_string("0123456789abcdef0123456789abcdef"
                                    "0123456789abcdef0123456789abcdef"));
    put_json("fuzz_visit", "bad-seq1-with-prev.json", bad);
    json_decref(bad);
    bad = json_deep_copy(full);
    json_object_set_new(json_array_get(json_object_get(bad, "answers"), 1), "value",
                        json_real(2.5));
    put_json("fuzz_visit", "bad-real-number.json", bad);
    json_decref(bad);
    static const char nul[] = "{\"format\":\"xiaoan.visit/1\",\"school\":{\"code\":\"1\\u0000\"}}";
    put("fuzz_visit", "bad-nul.json", NULL, 0, nul, sizeof nul - 1);
    *sealed_out = s2;
    memcpy(sig_out, sig2, XA_SIG_BYTES);
    json_decref(s1);
    json_decref(min);
    json_decref(full);
}

/* ---- containers ---- */

static void canon_line(const json_t *v, xa_buf *out)
{
    xa_err e;
    if (xa_json_canonical(v, out, &e) != XA_OK)
        die("canonical", &e);
    xa_buf_putc(out, '\n');
}

/* Sign under this label instead of the one the first line's format implies
 * ("" = the bare hash): the cross-context seeds of issue 11 item 14. */
static const char *label_override;

/* The same trailer fuzz_container appends in mode 2 (version 2 formats sign
 * "xiaoan bundle v1" / "xiaoan brief v1", a zero byte and the hash). */
static void sign_lines(const xa_buf *in, xa_buf *out)
{
    uint8_t pk[32], h[64], sig[64];
    const uint8_t *sk = fuzz_sign_sk(pk);
    size_t lines = 0;
    for (size_t i = 0; i < in->len; i++)
        lines += in->data[i] == '\n';
    crypto_generichash(h, sizeof h, (const uint8_t *)in->data, in->len, NULL, 0);
    const char *nl = in->len ? memchr(in->data, '\n', in->len) : NULL;
    char *first = xa_strndup(in->data ? in->data : "", nl ? (size_t)(nl - in->data) : in->len);
    const char *label = strstr(first, "\"format\":\"" XA_BUNDLE_FORMAT "\"") ? XA_SIGCTX_BUNDLE
                        : strstr(first, "\"format\":\"" XA_BRIEF_FORMAT "\"") ? XA_SIGCTX_BRIEF
                                                                              : NULL;
    free(first);
    if (label_override)
        label = *label_override ? label_override : NULL;
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
    xa_buf_add(out, in->data, in->len);
    xa_buf_printf(out, "{\"hash\":\"%s\",\"lines\":%zu,\"sig\":\"%s\",\"type\":\"end\"}\n", hex,
                  lines, b64);
}

static void zcompress(const xa_buf *in, xa_buf *out)
{
    size_t cap = ZSTD_compressBound(in->len);
    xa_buf_reserve(out, cap);
    size_t r = ZSTD_compress(out->data + out->len, cap, in->data, in->len, 3);
    if (ZSTD_isError(r))
        die("zstd", NULL);
    out->len += r;
}

static json_t *manifest(const char *format, int64_t seq)
{
    uint8_t pk[32];
    fuzz_sign_sk(pk);
    char *b64 = xa_b64_encode(pk, 32);
    json_t *m = json_pack("{s:s, s:{s:s, s:s}, s:I, s:n, s:s, s:{}}", "format", format,
                          "sender", "fingerprint", fuzz_identity()->fingerprint, "sign", b64,
                          "seq", (json_int_t)seq, "prev", "created",
                          "2026-11-29T18:00:00+08:00", "counts");
    free(b64);
    return m;
}

/* The four layouts of one set of lines. */
static void put_container(const char *name, const xa_buf *lines, uint8_t fmtbits)
{
    char n[128];
    xa_buf signed_ = XA_BUF_INIT, z = XA_BUF_INIT, f = XA_BUF_INIT;
    sign_lines(lines, &signed_);
    zcompress(&signed_, &z);
    const uint8_t *rcpt[1] = {fuzz_age_identity()->pk};
    age_x25519(rcpt, 1, z.data, z.len, &f);
    snprintf(n, sizeof n, "%s-file", name);
    put_byte("fuzz_container", n, (uint8_t)(0 | fmtbits), &f);
    snprintf(n, sizeof n, "%s-zstd", name);
    put_byte("fuzz_container", n, (uint8_t)(1 | fmtbits), &z);
    snprintf(n, sizeof n, "%s-lines", name);
    put_byte("fuzz_container", n, (uint8_t)(2 | fmtbits), lines);
    snprintf(n, sizeof n, "%s-signed", name);
    put_byte("fuzz_container", n, (uint8_t)(3 | fmtbits), &signed_);
    xa_buf_clear(&signed_);
    xa_buf_clear(&z);
    xa_buf_clear(&f);
}

static void seeds_container(json_t *sealed, const uint8_t sig[XA_SIG_BYTES])
{
    xa_buf l = XA_BUF_INIT;
    /* a bundle with one sealed visit */
    json_t *m = manifest(XA_BUNDLE_FORMAT, 1);
    json_object_set_new(json_object_get(m, "counts"), "visit", json_integer(1));
    canon_line(m, &l);
    json_t *rec = xa_visit_record(sealed, sig);
    canon_line(rec, &l);
    put_container("bundle", &l, 1 << 2);

    /* the same through the real writer (level 3, window, checksum) */
    char *buf = NULL;
    size_t blen = 0;
    FILE *mf = open_memstream(&buf, &blen);
    xa_container_writer *w = NULL;
    const uint8_t *rcpt[1] = {fuzz_age_identity()->pk};
    uint8_t pk[32];
    const uint8_t *sk = fuzz_sign_sk(pk);
    xa_err e;
    json_t *wm = json_pack("{s:s, s:{s:s}, s:i}", "format", XA_BUNDLE_FORMAT, "sender",
                           "fingerprint", fuzz_identity()->fingerprint, "seq", 2);
    if (!mf || xa_container_create_fp(mf, rcpt, 1, &w, &e) != XA_OK ||
        xa_container_manifest(w, wm, pk, &e) != XA_OK || xa_container_add(w, rec, &e) != XA_OK ||
        xa_container_finish(w, sk, &e) != XA_OK)
        die("container writer", &e);
    xa_container_writer_free(w);
    fclose(mf);
    put("fuzz_container", "bundle-writer-file", "\0", 1, buf, blen);
    free(buf);
    json_decref(wm);
    json_decref(rec);
    json_decref(m);

    /* a brief: settings, school, hazard, assignment, receipt */
    xa_buf_reset(&l);
    m = manifest(XA_BRIEF_FORMAT, 3);
    json_object_set_new(m, "prev", json_string("ab0123456789abcdef0123456789abcdef"
                                               "0123456789abcdef0123456789abcd"));
    canon_line(m, &l);
    char *b64 = xa_b64_encode(pk, 32);
    char rcpt_s[XA_AGE_RECIPIENT_MAX];
    xa_age_recipient_encode(fuzz_age_identity()->pk, rcpt_s);
    json_t *r = json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s}, s:{s:i, s:i}}", "type",
                          "settings", "office", "name", "丽水市教育局", "fingerprint",
                          fuzz_identity()->fingerprint, "sign", b64, "age", rcpt_s,
                          "inspector", "name", "张三", "fingerprint",
                          fuzz_identity()->fingerprint, "deadline_days", "general", 30, "major",
                          15);
    canon_line(r, &l);
    json_decref(r);
    free(b64);
    r = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:i, s:s, s:s}", "type",
                  "school", "code", "331102000101", "name", "莲都区实验小学", "county", "莲都区",
                  "school_type", "primary", "boarding", 0, "canteen", 1, "lab", 1, "bus", 0, "students",
                  1200, "address", "丽水市莲都区", "pinyin", "ldqsyxx");
    canon_line(r, &l);
    json_decref(r);
    r = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "assignment", "school",
                  "331102000101", "kind", "random", "due", "2026-12-01", "note", "");
    canon_line(r, &l);
    json_decref(r);
    r = json_pack("{s:s, s:s, s:i, s:[s], s:s}", "type", "receipt", "bundle",
                  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "seq", 1,
                  "visits", "00112233445566778899aabbccddeeff", "merged",
                  "2026-11-30T08:00:00+08:00");
    canon_line(r, &l);
    json_decref(r);
    put_container("brief", &l, 2 << 2);
    json_decref(m);

    /* Issue 11: the old version (read), a version-2 trailer signed without
     * its context or under a brief's, a sequence number beyond the cap, a
     * refused sender whose records are junk (refused before reading them). */
    xa_buf_reset(&l);
    m = manifest(XA_BUNDLE_FORMAT_V1, 1);
    canon_line(m, &l);
    json_decref(m);
    rec = xa_visit_record(sealed, sig);
    canon_line(rec, &l);
    json_decref(rec);
    put_container("bundle-v1", &l, 1 << 2);
    xa_buf_reset(&l);
    m = manifest(XA_BUNDLE_FORMAT, 1);
    canon_line(m, &l);
    json_decref(m);
    rec = xa_visit_record(sealed, sig);
    canon_line(rec, &l);
    json_decref(rec);
    label_override = "";
    put_container("bundle-v2-bare-signature", &l, 1 << 2);
    label_override = XA_SIGCTX_BRIEF;
    put_container("bundle-v2-brief-context", &l, 1 << 2);
    label_override = NULL;
    xa_buf_reset(&l);
    m = manifest(XA_BUNDLE_FORMAT, INT64_MAX);
    canon_line(m, &l);
    json_decref(m);
    put_container("bundle-seq-int64-max", &l, 1 << 2);
    xa_buf_reset(&l);
    m = manifest(XA_BUNDLE_FORMAT, 1);
    canon_line(m, &l);
    json_decref(m);
    for (int i = 0; i < 64; i++)
        xa_buf_puts(&l, "{\"type\":\"attachment\",\"data\":\"not canonical\"}\n");
    put_byte("fuzz_container", "bundle-lines-refused-sender-junk", (uint8_t)(2 | 1 << 2 | 0x10),
             &l);

    /* The bundle lines again, spoilt by the mode byte's bits 4-7: the
     * sender refused, no trailer, a trailer that miscounts, a late line. */
    xa_buf_reset(&l);
    m = manifest(XA_BUNDLE_FORMAT, 1);
    canon_line(m, &l);
    rec = xa_visit_record(sealed, sig);
    canon_line(rec, &l);
    static const struct {
        const char *name;
        uint8_t bits;
    } spoilt[] = {{"bundle-lines-sender-refused", 0x10},
                  {"bundle-lines-no-trailer", 0x20},
                  {"bundle-lines-miscounted", 0x40},
                  {"bundle-lines-late-record", 0x80}};
    for (size_t i = 0; i < sizeof spoilt / sizeof spoilt[0]; i++)
        put_byte("fuzz_container", spoilt[i].name, (uint8_t)(2 | 1 << 2 | spoilt[i].bits), &l);

    /* A zstd stream with junk after it, and two frames. */
    xa_buf sl = XA_BUF_INIT, z = XA_BUF_INIT;
    sign_lines(&l, &sl);
    zcompress(&sl, &z);
    size_t zlen = z.len;
    xa_buf_puts(&z, "junk");
    put_byte("fuzz_container", "zstd-junk-after", 1, &z);
    z.len = zlen;
    zcompress(&sl, &z);
    put_byte("fuzz_container", "zstd-two-frames", 1, &z);
    xa_buf_clear(&z);
    xa_buf_clear(&sl);
    json_decref(rec);

    /* A line that is not an object, and an attachment line longer than a
     * record may be (the harness allows 3000 / 6000 bytes). */
    xa_buf_reset(&l);
    canon_line(m, &l);
    xa_buf_puts(&l, "[1]\n");
    put_byte("fuzz_container", "lines-not-an-object", 2, &l);
    xa_buf_reset(&l);
    canon_line(m, &l);
    xa_buf_puts(&l, "{\"data\":\"");
    for (int i = 0; i < 3300; i++)
        xa_buf_putc(&l, "QUJD"[i % 4]);
    xa_buf_puts(&l, "\",\"hash\":\"00\",\"name\":\"a.jpg\",\"size\":2475,\"type\":\"attachment\"}\n");
    put_byte("fuzz_container", "lines-long-attachment", 2, &l);
    /* A record line over the 3000 bytes a non-attachment line may have,
     * and a stream that decompresses to more than the 64 KiB allowed. */
    xa_buf_reset(&l);
    canon_line(m, &l);
    xa_buf_puts(&l, "{\"note\":\"");
    for (int i = 0; i < 3100; i++)
        xa_buf_putc(&l, 'n');
    xa_buf_puts(&l, "\",\"type\":\"x\"}\n");
    put_byte("fuzz_container", "lines-long-record", 2, &l);
    xa_buf_reset(&l);
    canon_line(m, &l);
    for (int i = 0; i < 6000; i++)
        xa_buf_puts(&l, "{\"type\":\"x\"}\n");
    xa_buf big = XA_BUF_INIT;
    zcompress(&l, &big);
    put_byte("fuzz_container", "zstd-over-64k", 1, &big);
    xa_buf_clear(&big);
    json_decref(m);

    /* an empty file */
    put("fuzz_container", "empty-file", "\0", 1, NULL, 0);
    xa_buf_clear(&l);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    if (sodium_init() < 0)
        return 1;
    setenv("XIAOAN_NOW", "2026-11-29T09:30:00+08:00", 0);
    json_t *sealed = NULL;
    uint8_t sig[XA_SIG_BYTES];
    seeds_age();
    seeds_visit(&sealed, sig);
    seeds_container(sealed, sig);
    json_decref(sealed);
    printf("%zu bytes in all\n", total);
    return 0;
}
