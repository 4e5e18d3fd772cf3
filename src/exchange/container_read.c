/* container_read.c — reading and verifying bundles and briefs.
 *
 * Owns the reader pipeline: age reader (the caller's identities) → zstd
 * stream (window bounded, output counted against the cap, exactly one frame
 * that must end, nothing after it) → JSON Lines (each line bounded, parsed
 * strictly, in canonical form) → manifest check, BLAKE2b-512 of the lines,
 * trailer check (line count, hash, Ed25519 signature by the manifest's key)
 * → the caller's verdict on the sender.  Only when all of that passed are
 * the manifest and the records handed out; every buffer that held plaintext
 * is wiped. */
#include "container_impl.h"

#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <zstd_errors.h>

typedef struct reader {
    const xa_container_limits *lim;
    const char *format; /* expected, or NULL for either */
    const char *noun;   /* "bundle", "brief" or "container" */
    crypto_generichash_state *hash;
    xa_buf line;
    uint64_t plain;
    size_t lineno; /* lines completed so far */
    json_t *manifest, *records;
    uint8_t pk[32];
    const char *fingerprint, *created; /* inside manifest */
    int trailer;                       /* the trailer was read and verified */
} reader;

/* The noun of a format for messages. */
static const char *noun_of(const char *format)
{
    if (!format)
        return "container";
    return strcmp(format, XA_BRIEF_FORMAT) == 0 ? "brief" : "bundle";
}

/* Turn an age failure into the container's words. */
static xa_code age_failure(const reader *r, xa_code c, const xa_err *ae, xa_err *err)
{
    const char *msg = xa_err_msg(ae);
    switch (c) {
    case XA_AGE_NOMATCH:
        return xa_fail(err, c, "not encrypted to this key");
    case XA_AGE_NOTAGE:
        return xa_fail(err, c, "not a %s (not an age file)", r->noun);
    case XA_ETRUNC:
        return xa_fail(err, c, "%s is truncated", r->noun);
    case XA_ELIMIT:
        return xa_fail(err, c, "over the size limit (%s)", msg);
    case XA_AGE_HEADER:
    case XA_AGE_HMAC:
    case XA_AGE_PAYLOAD:
    case XA_EFORMAT:
        return xa_fail(err, c, "%s is damaged (%s)", r->noun, msg);
    default:
        return xa_fail(err, c, "%s", msg);
    }
}

/* "malformed line N: why" for a JSON parse failure, without quoting the
 * line (jansson's text can echo plaintext). */
static xa_code json_failure(const reader *r, const xa_err *je, xa_err *err)
{
    const char *m = xa_err_msg(je);
    size_t n = strncmp(m, "bad JSON", 8) == 0 ? strcspn(m, ":") : strlen(m);
    return xa_fail(err, XA_EFORMAT, "malformed line %zu: %.*s", r->lineno + 1, (int)n, m);
}

/* Check the manifest (line 1) and keep it. */
static xa_code take_manifest(reader *r, json_t *v, xa_err *err)
{
    const char *f = json_string_value(json_object_get(v, "format"));
    if (f && r->format && strcmp(f, r->format) != 0) {
        if (!strcmp(f, XA_BUNDLE_FORMAT) || !strcmp(f, XA_BRIEF_FORMAT))
            return xa_fail(err, XA_EFORMAT, "not a %s (this is a %s)", r->noun, noun_of(f));
        return xa_fail(err, XA_EFORMAT, "not a %s (unknown format '%.40s')", r->noun, f);
    }
    xa_err me;
    if (xa_container__check_manifest(v, r->pk, &me) != XA_OK) {
        if (f && strcmp(f, XA_BUNDLE_FORMAT) && strcmp(f, XA_BRIEF_FORMAT))
            return xa_fail(err, XA_EFORMAT, "not a %s (unknown format '%.40s')", r->noun, f);
        return xa_fail(err, XA_EFORMAT, "malformed line 1: %s", me.msg);
    }
    r->manifest = json_incref(v);
    r->fingerprint = json_string_value(json_object_get(json_object_get(v, "sender"),
                                                       "fingerprint"));
    r->created = json_string_value(json_object_get(v, "created"));
    return XA_OK;
}

/* Check the trailer against the lines before it. */
static xa_code take_trailer(reader *r, json_t *v, xa_err *err)
{
    static const char *const keys[] = {"type", "lines", "hash", "sig"};
    size_t n = r->lineno + 1;
    if (json_object_size(v) != 4)
        return xa_fail(err, XA_EFORMAT, "malformed line %zu: the trailer must have exactly "
                                        "type, lines, hash and sig", n);
    for (size_t i = 0; i < 4; i++)
        if (!json_object_get(v, keys[i]))
            return xa_fail(err, XA_EFORMAT, "malformed line %zu: the trailer has no '%s'", n,
                           keys[i]);
    json_t *lines = json_object_get(v, "lines");
    const char *hex = json_string_value(json_object_get(v, "hash"));
    const char *b64 = json_string_value(json_object_get(v, "sig"));
    uint8_t want[CONTAINER_HASH_BYTES], got[CONTAINER_HASH_BYTES], sig[crypto_sign_BYTES];
    if (!json_is_integer(lines) || !hex || !b64 ||
        strlen(hex) != 2 * sizeof want || strspn(hex, "0123456789abcdef") != strlen(hex) ||
        xa_hex_decode(hex, want, sizeof want, NULL) != XA_OK ||
        xa_container__b64_decode(b64, sig, sizeof sig) != 0)
        return xa_fail(err, XA_EFORMAT, "malformed line %zu: bad trailer fields", n);
    crypto_generichash_final(r->hash, got, sizeof got);
    if (sodium_memcmp(got, want, sizeof got) != 0)
        return xa_fail(err, XA_ESIG, "bad signature (the content does not match the trailer's "
                                     "hash)");
    if (crypto_sign_verify_detached(sig, got, sizeof got, r->pk) != 0)
        return xa_fail(err, XA_ESIG, "bad signature (not signed by the sender's key in the "
                                     "manifest)");
    if (json_integer_value(lines) != (json_int_t)r->lineno)
        return xa_fail(err, XA_EFORMAT, "malformed line %zu: the trailer counts %lld lines, "
                                        "there are %zu",
                       n, (long long)json_integer_value(lines), r->lineno);
    r->trailer = 1;
    return XA_OK;
}

/* One complete line (without its LF). */
static xa_code take_line(reader *r, const char *p, size_t len, xa_err *err)
{
    size_t n = r->lineno + 1;
    if (r->trailer)
        return xa_fail(err, XA_EFORMAT, "malformed line %zu: data after the trailer", n);
    json_t *v = NULL;
    xa_err je;
    if (xa_json_parse(p, len, r->lim->max_depth, &v, &je) != XA_OK)
        return json_failure(r, &je, err);
    xa_code rc = XA_OK;
    xa_buf canon = XA_BUF_INIT;
    if (!json_is_object(v)) {
        rc = xa_fail(err, XA_EFORMAT, "malformed line %zu: not a JSON object", n);
        goto done;
    }
    if (xa_json_canonical(v, &canon, NULL) != XA_OK || canon.len != len ||
        memcmp(canon.data, p, len) != 0) {
        rc = xa_fail(err, XA_EFORMAT, "malformed line %zu: not in canonical form", n);
        goto done;
    }
    if (n == 1) {
        rc = take_manifest(r, v, err);
    } else {
        const char *type = json_string_value(json_object_get(v, "type"));
        if (!type || !*type) {
            rc = xa_fail(err, XA_EFORMAT, "malformed line %zu: no string 'type'", n);
            goto done;
        }
        if (strcmp(type, "end") == 0) {
            rc = take_trailer(r, v, err);
            goto done;
        }
        if (strcmp(type, "attachment") != 0 && len > r->lim->max_line) {
            rc = xa_fail(err, XA_ELIMIT, "over the size limit (line %zu is longer than %zu "
                                         "bytes)",
                         n, r->lim->max_line);
            goto done;
        }
        json_array_append(r->records, v);
    }
    if (rc == XA_OK) {
        crypto_generichash_update(r->hash, (const uint8_t *)p, len);
        crypto_generichash_update(r->hash, (const uint8_t *)"\n", 1);
    }
done:
    if (rc == XA_OK)
        r->lineno++;
    xa_buf_wipe(&canon);
    json_decref(v);
    return rc;
}

/* Split decompressed bytes into lines. */
static xa_code feed(reader *r, const uint8_t *p, size_t len, xa_err *err)
{
    while (len) {
        const uint8_t *nl = memchr(p, '\n', len);
        size_t k = nl ? (size_t)(nl - p) : len;
        size_t cap = r->lineno == 0 ? r->lim->max_line : r->lim->max_attachment;
        if (r->line.len + k > cap)
            return xa_fail(err, XA_ELIMIT, "over the size limit (line %zu is longer than %zu "
                                           "bytes)",
                           r->lineno + 1, cap);
        xa_buf_add(&r->line, p, k);
        if (!nl)
            return XA_OK;
        xa_code rc = take_line(r, r->line.data ? r->line.data : "", r->line.len, err);
        sodium_memzero(r->line.data, r->line.len);
        xa_buf_reset(&r->line);
        if (rc != XA_OK)
            return rc;
        p += k + 1;
        len -= k + 1;
    }
    return XA_OK;
}

/* A zstd failure in the container's words. */
static xa_code zstd_failure(const reader *r, size_t code, xa_err *err)
{
    if (ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge)
        return xa_fail(err, XA_ELIMIT, "over the size limit (the zstd window is larger than "
                                       "2^%d bytes)",
                       r->lim->window_log_max);
    return xa_fail(err, XA_EFORMAT, "%s is malformed (zstd: %s)", r->noun,
                   ZSTD_getErrorName(code));
}

/* Decrypt, decompress, parse and verify everything, then hand it out. */
xa_code xa_container_read_fp(FILE *fp, const xa_age_identity *const *ids, size_t nids,
                             const char *format, const xa_container_limits *lim,
                             xa_sender_ok_fn sender_ok, void *ctx, json_t **manifest,
                             json_t **records, xa_err *err)
{
    xa_container_limits dl;
    if (!lim) {
        xa_container_limits_default(&dl);
        lim = &dl;
    }
    *manifest = NULL;
    *records = NULL;
    if (!sender_ok)
        return xa_fail(err, XA_EUSAGE, "reading a container needs a sender check");
    if (format && strcmp(format, XA_BUNDLE_FORMAT) && strcmp(format, XA_BRIEF_FORMAT))
        return xa_fail(err, XA_EUSAGE, "unknown container format '%.40s'", format);

    reader r;
    memset(&r, 0, sizeof r);
    r.lim = lim;
    r.format = format;
    r.noun = noun_of(format);
    r.records = json_array();
    r.hash = aligned_alloc(64, (sizeof *r.hash + 63) / 64 * 64);
    if (!r.hash)
        abort();
    crypto_generichash_init(r.hash, NULL, 0, CONTAINER_HASH_BYTES);
    ZSTD_DCtx *dz = ZSTD_createDCtx();
    if (!dz)
        abort();
    size_t insz = ZSTD_DStreamInSize(), outsz = ZSTD_DStreamOutSize();
    uint8_t *zin = xa_malloc(insz), *zout = xa_malloc(outsz);
    xa_age_reader *ar = NULL;
    xa_err ae;
    xa_code rc;
    int frame_done = 0;

    if (ZSTD_isError(ZSTD_DCtx_setParameter(dz, ZSTD_d_windowLogMax, lim->window_log_max))) {
        rc = xa_fail(err, XA_EUSAGE, "zstd refuses window limit 2^%d", lim->window_log_max);
        goto done;
    }
    if ((rc = xa_age_reader_open(xa_age_fread, fp, ids, nids, NULL, &lim->age, &ar, &ae)) !=
        XA_OK) {
        age_failure(&r, rc, &ae, err);
        goto done;
    }
    for (;;) {
        size_t got = 0;
        if ((rc = xa_age_reader_read(ar, zin, insz, &got, &ae)) != XA_OK) {
            age_failure(&r, rc, &ae, err);
            goto done;
        }
        if (got == 0)
            break;
        if (frame_done) {
            rc = xa_fail(err, XA_EFORMAT, "%s is malformed (data after the compressed stream)",
                         r.noun);
            goto done;
        }
        ZSTD_inBuffer in = {zin, got, 0};
        int full = 0;
        while (in.pos < in.size || full) {
            ZSTD_outBuffer out = {zout, outsz, 0};
            size_t ret = ZSTD_decompressStream(dz, &out, &in);
            if (ZSTD_isError(ret)) {
                rc = zstd_failure(&r, ret, err);
                goto done;
            }
            r.plain += out.pos;
            if (r.plain > lim->max_plain) {
                rc = xa_fail(err, XA_ELIMIT, "over the size limit (more than %llu bytes "
                                             "decompressed)",
                             (unsigned long long)lim->max_plain);
                goto done;
            }
            rc = feed(&r, zout, out.pos, err);
            sodium_memzero(zout, out.pos);
            if (rc != XA_OK)
                goto done;
            full = out.pos == out.size;
            if (ret == 0) {
                frame_done = 1;
                if (in.pos < in.size) {
                    rc = xa_fail(err, XA_EFORMAT,
                                 "%s is malformed (data after the compressed stream)", r.noun);
                    goto done;
                }
                break;
            }
        }
    }
    if (!frame_done) {
        rc = xa_fail(err, XA_ETRUNC, "%s is truncated (the compressed stream does not end)",
                     r.noun);
        goto done;
    }
    if (r.line.len) {
        rc = xa_fail(err, XA_EFORMAT, "malformed line %zu: no newline at the end",
                     r.lineno + 1);
        goto done;
    }
    if (!r.manifest) {
        rc = xa_fail(err, XA_ETRUNC, "%s is truncated (it is empty)", r.noun);
        goto done;
    }
    if (!r.trailer) {
        rc = xa_fail(err, XA_ETRUNC, "%s is truncated (no trailer)", r.noun);
        goto done;
    }
    if (!sender_ok(r.pk, r.fingerprint, r.created, ctx)) {
        rc = xa_fail(err, XA_ESENDER, "not from a known sender");
        goto done;
    }
    *manifest = r.manifest;
    *records = r.records;
    r.manifest = r.records = NULL;
    rc = XA_OK;
done:
    xa_age_reader_free(ar);
    ZSTD_freeDCtx(dz);
    sodium_memzero(zin, insz);
    free(zin);
    free(zout);
    free(r.hash);
    xa_buf_wipe(&r.line);
    json_decref(r.manifest);
    json_decref(r.records);
    return rc;
}

/* xa_container_read_fp on the file at path. */
xa_code xa_container_read(const char *path, const xa_age_identity *const *ids, size_t nids,
                          const char *format, const xa_container_limits *lim,
                          xa_sender_ok_fn sender_ok, void *ctx, json_t **manifest,
                          json_t **records, xa_err *err)
{
    *manifest = NULL;
    *records = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return xa_fail_errno(err, errno, "cannot open %s", path);
    xa_code rc = xa_container_read_fp(fp, ids, nids, format, lim, sender_ok, ctx, manifest,
                                      records, err);
    fclose(fp);
    return rc;
}
