/* container.c — writing bundles and briefs, and what reader and writer share.
 *
 * Owns the writer pipeline: canonical JSON line → BLAKE2b-512 of the lines
 * before the trailer → zstd stream (level 3, window 2^23, checksum) → age
 * writer → temporary file renamed into place on finish (mode 0600, fsync of
 * file and folder), so a container is either complete under its final name
 * or absent.  Also the manifest shape check, base64 helpers, the default
 * limits and the whole-file hash used for the "prev" chain. */
#include "container_impl.h"

#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

/* The limits of DESIGN §11. */
void xa_container_limits_default(xa_container_limits *lim)
{
    xa_age_limits_default(&lim->age);
    lim->max_plain = 1024ull * 1024 * 1024;
    lim->max_line = 1024 * 1024;
    lim->max_attachment = 64 * 1024 * 1024;
    lim->max_depth = XA_JSON_MAX_DEPTH;
    lim->window_log_max = 27;
    lim->max_records = 1000000;
    lim->max_kept = 256ull * 1024 * 1024;
    lim->max_replay = XA_CONTAINER_REPLAY_MAX;
}

/* Version of a known format. */
int xa_container__version(const char *f)
{
    if (!f)
        return 0;
    if (!strcmp(f, XA_BUNDLE_FORMAT) || !strcmp(f, XA_BRIEF_FORMAT))
        return 2;
    if (!strcmp(f, XA_BUNDLE_FORMAT_V1) || !strcmp(f, XA_BRIEF_FORMAT_V1))
        return 1;
    return 0;
}

/* The context label a version-2 trailer signature carries. */
const char *xa_container__label(const char *f)
{
    if (!f || xa_container__version(f) != 2)
        return NULL;
    return !strcmp(f, XA_BRIEF_FORMAT) ? XA_SIGCTX_BRIEF : XA_SIGCTX_BUNDLE;
}

/* label ‖ 0x00 ‖ hash (or the hash alone without a label) into m; its length. */
static size_t signed_bytes(const char *label, const uint8_t hash[64], uint8_t m[96])
{
    size_t n = 0;
    if (label) {
        n = strlen(label);
        memcpy(m, label, n);
        m[n++] = 0;
    }
    memcpy(m + n, hash, 64);
    return n + 64;
}

void xa_container__sign(const char *label, const uint8_t hash[64], const uint8_t *sign_sk,
                        uint8_t sig[64])
{
    uint8_t m[96];
    size_t n = signed_bytes(label, hash, m);
    crypto_sign_detached(sig, NULL, m, n, sign_sk);
}

int xa_container__verify(const char *label, const uint8_t hash[64], const uint8_t sig[64],
                         const uint8_t pk[32])
{
    uint8_t m[96];
    size_t n = signed_bytes(label, hash, m);
    return crypto_sign_verify_detached(sig, m, n, pk) == 0 ? 0 : -1;
}

/* Standard padded base64 (a new string). */
char *xa_container__b64(const uint8_t *in, size_t n)
{
    size_t sz = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = xa_malloc(sz);
    sodium_bin2base64(s, sz, in, n, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

/* Strict padded base64 of exactly n bytes. */
int xa_container__b64_decode(const char *s, uint8_t *out, size_t n)
{
    size_t len = strlen(s), got = 0;
    if (len != sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) - 1)
        return -1;
    if (sodium_base642bin(out, n, s, len, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != n)
        return -1;
    return 0;
}

/* Exactly 64 lowercase hex digits? */
int xa_container__is_hash_hex(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return i == 64;
}

/* Does obj have only keys from the NULL-terminated list? */
static const char *unknown_key(const json_t *obj, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            ok |= strcmp(k, allowed[i]) == 0;
        if (!ok)
            return k;
    }
    return NULL;
}

/* The manifest's shape: known keys only, types, sender key, prev, created. */
xa_code xa_container__check_manifest(const json_t *m, uint8_t pk[32], xa_err *err)
{
    static const char *const keys[] = {"format", "sender", "seq", "prev", "created", "counts",
                                       NULL};
    static const char *const skeys[] = {"fingerprint", "sign", NULL};
    const char *s, *k;
    json_t *sender, *counts;
    json_int_t seq;
    xa_code rc;
    if (!json_is_object(m))
        return xa_fail(err, XA_EFORMAT, "the manifest must be an object");
    if ((k = unknown_key(m, keys)))
        return xa_fail(err, XA_EFORMAT, "unknown manifest field '%.40s'", k);
    if ((rc = xa_json_str(m, "format", &s, err)) != XA_OK)
        return rc;
    if (!xa_container__version(s))
        return xa_fail(err, XA_EFORMAT, "unknown format '%.40s'", s);
    if ((rc = xa_json_obj(m, "sender", &sender, err)) != XA_OK)
        return rc;
    if ((k = unknown_key(sender, skeys)))
        return xa_fail(err, XA_EFORMAT, "unknown field 'sender.%.40s'", k);
    if ((rc = xa_json_str(sender, "fingerprint", &s, err)) != XA_OK)
        return xa_err_prefixed(rc, err, "sender");
    if (!*s)
        return xa_fail(err, XA_EFORMAT, "field 'sender.fingerprint' is empty");
    if ((rc = xa_json_str(sender, "sign", &s, err)) != XA_OK)
        return xa_err_prefixed(rc, err, "sender");
    if (xa_container__b64_decode(s, pk, 32) != 0)
        return xa_fail(err, XA_EFORMAT, "field 'sender.sign' is not a base64 Ed25519 key");
    if ((rc = xa_json_int(m, "seq", &seq, err)) != XA_OK)
        return rc;
    if (seq < 0)
        return xa_fail(err, XA_EFORMAT, "field 'seq' is negative");
    if (seq > XA_SEQ_MAX)
        return xa_fail(err, XA_ELIMIT, "field 'seq' is over the limit of %lld", XA_SEQ_MAX);
    json_t *prev = json_object_get(m, "prev");
    if (!prev)
        return xa_fail(err, XA_EFORMAT, "missing field 'prev'");
    if (!json_is_null(prev) &&
        !(json_is_string(prev) && xa_container__is_hash_hex(json_string_value(prev))))
        return xa_fail(err, XA_EFORMAT, "field 'prev' must be 64 hex digits or null");
    if ((rc = xa_json_str(m, "created", &s, err)) != XA_OK)
        return rc;
    int64_t t;
    if (xa_time_parse(s, &t, NULL, NULL) != XA_OK)
        return xa_fail(err, XA_EFORMAT, "field 'created' is not an RFC 3339 time");
    if ((rc = xa_json_obj(m, "counts", &counts, err)) != XA_OK)
        return rc;
    return XA_OK;
}

/* BLAKE2b-256 of a whole file. */
xa_code xa_container_file_hash(const char *path, char out[XA_CONTAINER_HASH_HEX], xa_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return xa_fail_errno(err, errno, "cannot open %s", path);
    crypto_generichash_state *st = aligned_alloc(64, (sizeof *st + 63) / 64 * 64);
    if (!st)
        abort();
    crypto_generichash_init(st, NULL, 0, 32);
    uint8_t buf[65536], h[32];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        crypto_generichash_update(st, buf, n);
    int bad = ferror(fp);
    int e = errno;
    fclose(fp);
    crypto_generichash_final(st, h, sizeof h);
    free(st);
    if (bad)
        return xa_fail_errno(err, e ? e : EIO, "cannot read %s", path);
    xa_hex_encode(h, sizeof h, out);
    return XA_OK;
}

/* ---- writer ---- */

enum { CW_NEW, CW_OPEN, CW_DONE, CW_FAILED };

struct xa_container_writer {
    FILE *fp;
    xa_outfile out;   /* writing to a path: the temporary file until published */
    int to_path;
    xa_age_writer *age;
    ZSTD_CCtx *cz;
    crypto_generichash_state *hash; /* 64-byte aligned */
    uint8_t sign_pk[32];
    const char *label; /* the trailer signature's context (NULL: version 1) */
    uint64_t lines, plain;
    xa_container_limits lim;
    uint8_t *zout;
    size_t zcap;
    int state;
    /* what the file has received: its bytes and their BLAKE2b-256 (the
     * "prev" of the next bundle, without reading the file again) */
    uint64_t file_bytes, header_bytes;
    crypto_generichash_state *fhash; /* 64-byte aligned */
    char file_hex[XA_CONTAINER_HASH_HEX];
    /* for xa_container_size_bound: zstd bytes handed to age, and the
     * plaintext given to zstd since its last flush */
    uint64_t zbytes, since_flush;
};

/* The age writer's sink: the stream, counting and hashing every byte. */
static xa_code counted_write(void *ctx, const void *buf, size_t len, xa_err *err)
{
    xa_container_writer *w = ctx;
    crypto_generichash_update(w->fhash, buf, len);
    w->file_bytes += len;
    return xa_age_fwrite(w->fp, buf, len, err);
}

/* Create the writer's pipeline on an open stream. */
static xa_code writer_init(xa_container_writer *w, const uint8_t *const *recipients, size_t n,
                           xa_err *err)
{
    xa_container_limits_default(&w->lim);
    w->hash = aligned_alloc(64, (sizeof *w->hash + 63) / 64 * 64);
    if (!w->hash)
        abort();
    crypto_generichash_init(w->hash, NULL, 0, CONTAINER_HASH_BYTES);
    w->cz = ZSTD_createCCtx();
    if (!w->cz)
        abort();
    if (ZSTD_isError(ZSTD_CCtx_setParameter(w->cz, ZSTD_c_compressionLevel,
                                            CONTAINER_ZSTD_LEVEL)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(w->cz, ZSTD_c_windowLog,
                                            CONTAINER_WRITE_WINDOW_LOG)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(w->cz, ZSTD_c_checksumFlag, 1)))
        return xa_fail(err, XA_EUSAGE, "zstd refuses the container's parameters");
    w->zcap = ZSTD_CStreamOutSize();
    w->zout = xa_malloc(w->zcap);
    w->fhash = aligned_alloc(64, (sizeof *w->fhash + 63) / 64 * 64);
    if (!w->fhash)
        abort();
    crypto_generichash_init(w->fhash, NULL, 0, 32);
    xa_code rc = xa_age_writer_open(recipients, n, counted_write, w, &w->age, err);
    w->header_bytes = w->file_bytes; /* the age header: written at open */
    return rc;
}

/* A writer on the caller's stream. */
xa_code xa_container_create_fp(FILE *fp, const uint8_t *const *recipients, size_t n,
                               xa_container_writer **out, xa_err *err)
{
    xa_container_writer *w = xa_calloc(1, sizeof *w);
    w->fp = fp;
    xa_code rc = writer_init(w, recipients, n, err);
    if (rc != XA_OK) {
        xa_container_writer_free(w);
        return rc;
    }
    *out = w;
    return XA_OK;
}

/* A writer on a temporary file next to path (published on finish). */
xa_code xa_container_create(const char *path, const uint8_t *const *recipients, size_t n,
                            xa_container_writer **out, xa_err *err)
{
    return xa_container_create_ex(path, recipients, n, 0, out, err);
}

/* The same with flags (XA_CONTAINER_REPLACE). */
xa_code xa_container_create_ex(const char *path, const uint8_t *const *recipients, size_t n,
                               int flags, xa_container_writer **out, xa_err *err)
{
    xa_container_writer *w = xa_calloc(1, sizeof *w);
    xa_code rc = xa_out_open(&w->out, path, (flags & XA_CONTAINER_REPLACE) ? XA_OUT_FORCE : 0,
                             err);
    if (rc != XA_OK) {
        free(w);
        return rc;
    }
    w->to_path = 1;
    if (!(w->fp = fdopen(w->out.fd, "wb"))) {
        rc = xa_fail_errno(err, errno, "cannot create %s", path);
        xa_container_writer_free(w);
        return rc;
    }
    w->out.fd = -1; /* the stream owns the descriptor now */
    rc = writer_init(w, recipients, n, err);
    if (rc != XA_OK) {
        xa_container_writer_free(w);
        return rc;
    }
    *out = w;
    return XA_OK;
}

/* Compress data (mode ZSTD_e_continue or ZSTD_e_end) into the age writer. */
static xa_code compress(xa_container_writer *w, const void *data, size_t len,
                        ZSTD_EndDirective mode, xa_err *err)
{
    ZSTD_inBuffer in = {data, len, 0};
    for (;;) {
        ZSTD_outBuffer zo = {w->zout, w->zcap, 0};
        size_t left = ZSTD_compressStream2(w->cz, &zo, &in, mode);
        if (ZSTD_isError(left))
            return xa_fail(err, XA_EIO, "zstd: %s", ZSTD_getErrorName(left));
        xa_code rc = xa_age_writer_write(w->age, w->zout, zo.pos, err);
        w->zbytes += zo.pos;
        sodium_memzero(w->zout, zo.pos);
        if (rc != XA_OK)
            return rc;
        if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0)
            return XA_OK;
    }
}

/* Emit one line (and its LF); lines before the trailer are hashed. */
static xa_code emit_line(xa_container_writer *w, const char *data, size_t len, int hashed,
                         xa_err *err)
{
    if (w->plain + len + 1 > w->lim.max_plain)
        return xa_fail(err, XA_ELIMIT, "over the size limit (the container would be larger "
                                       "than %llu bytes)",
                       (unsigned long long)w->lim.max_plain);
    if (hashed) {
        crypto_generichash_update(w->hash, (const uint8_t *)data, len);
        crypto_generichash_update(w->hash, (const uint8_t *)"\n", 1);
        w->lines++;
    }
    w->plain += len + 1;
    w->since_flush += len + 1;
    xa_code rc = compress(w, data, len, ZSTD_e_continue, err);
    if (rc == XA_OK)
        rc = compress(w, "\n", 1, ZSTD_e_continue, err);
    if (rc != XA_OK)
        w->state = CW_FAILED;
    return rc;
}

/* Refuse calls in the wrong state. */
static xa_code check_state(const xa_container_writer *w, int want, xa_err *err)
{
    static const char *const names[] = {"has no manifest yet", "already has a manifest",
                                        "is finished", "has failed"};
    if (w->state == want)
        return XA_OK;
    return xa_fail(err, XA_ESTATE, "the container %s", names[w->state]);
}

/* Complete, check and write the manifest line. */
xa_code xa_container_manifest(xa_container_writer *w, const json_t *manifest,
                              const uint8_t sign_pk[XA_CONTAINER_SIGN_PK_BYTES], xa_err *err)
{
    xa_code rc = check_state(w, CW_NEW, err);
    if (rc != XA_OK)
        return rc;
    if (!json_is_object(manifest) || !json_is_object(json_object_get(manifest, "sender")))
        return xa_fail(err, XA_EUSAGE, "the manifest needs a 'sender' object");
    json_t *m = json_deep_copy(manifest);
    json_t *sender = json_object_get(m, "sender");
    char *b64 = xa_container__b64(sign_pk, 32);
    const char *given = json_string_value(json_object_get(sender, "sign"));
    if (json_object_get(sender, "sign") && (!given || strcmp(given, b64) != 0)) {
        free(b64);
        json_decref(m);
        return xa_fail(err, XA_EUSAGE, "the manifest names another sign key");
    }
    json_object_set_new(sender, "sign", json_string(b64));
    free(b64);
    if (!json_object_get(m, "prev"))
        json_object_set_new(m, "prev", json_null());
    if (!json_object_get(m, "counts"))
        json_object_set_new(m, "counts", json_object());
    if (!json_object_get(m, "created")) {
        char now[XA_RFC3339_MAX];
        xa_time_format(xa_now(), XA_CST_OFFSET, now);
        json_object_set_new(m, "created", json_string(now));
    }
    uint8_t pk[32];
    xa_buf line = XA_BUF_INIT;
    if ((rc = xa_container__check_manifest(m, pk, err)) != XA_OK) {
        xa_err_prefix(err, "bad manifest");
        goto done;
    }
    if (xa_json_depth(m) > w->lim.max_depth) {
        rc = xa_fail(err, XA_ELIMIT, "the manifest is nested deeper than %d", w->lim.max_depth);
        goto done;
    }
    if ((rc = xa_json_canonical(m, &line, err)) != XA_OK)
        goto done;
    if (line.len > w->lim.max_line) {
        rc = xa_fail(err, XA_ELIMIT, "over the size limit (the manifest is longer than %zu "
                                     "bytes)",
                     w->lim.max_line);
        goto done;
    }
    memcpy(w->sign_pk, sign_pk, 32);
    w->label = xa_container__label(json_string_value(json_object_get(m, "format")));
    if ((rc = emit_line(w, line.data, line.len, 1, err)) == XA_OK)
        w->state = CW_OPEN;
done:
    xa_buf_wipe(&line);
    json_decref(m);
    return rc;
}

/* Check and write one record line. */
xa_code xa_container_add(xa_container_writer *w, const json_t *record, xa_err *err)
{
    xa_code rc = check_state(w, CW_OPEN, err);
    if (rc != XA_OK)
        return rc;
    const char *type = json_string_value(json_object_get(record, "type"));
    if (!json_is_object(record) || !type || !*type)
        return xa_fail(err, XA_EUSAGE, "a record must be an object with a string 'type'");
    if (strcmp(type, "end") == 0)
        return xa_fail(err, XA_EUSAGE, "a record cannot have type 'end' (that is the trailer)");
    if (xa_json_depth(record) > w->lim.max_depth)
        return xa_fail(err, XA_ELIMIT, "the record is nested deeper than %d", w->lim.max_depth);
    size_t max = strcmp(type, "attachment") == 0 ? w->lim.max_attachment : w->lim.max_line;
    xa_buf line = XA_BUF_INIT;
    if ((rc = xa_json_canonical(record, &line, err)) == XA_OK) {
        if (line.len > max)
            rc = xa_fail(err, XA_ELIMIT, "over the size limit (a '%.40s' record is longer "
                                         "than %zu bytes)",
                         type, max);
        else
            rc = emit_line(w, line.data, line.len, 1, err);
    }
    xa_buf_wipe(&line);
    return rc;
}

/* Write one record line the caller already has in canonical bytes. */
xa_code xa_container_add_canonical(xa_container_writer *w, const char *line, size_t len,
                                   xa_err *err)
{
    xa_code rc = check_state(w, CW_OPEN, err);
    if (rc != XA_OK)
        return rc;
    if (len < 2 || line[0] != '{' || line[len - 1] != '}' || memchr(line, '\n', len))
        return xa_fail(err, XA_EUSAGE, "a record line must be one JSON object without LF");
    if (len > w->lim.max_line)
        return xa_fail(err, XA_ELIMIT, "over the size limit (a record is longer than %zu bytes)",
                       w->lim.max_line);
    return emit_line(w, line, len, 1, err);
}

/* Flush, fsync and close the temporary file. */
static xa_code sync_file(xa_container_writer *w, xa_err *err)
{
    if (fflush(w->fp) != 0 || fsync(fileno(w->fp)) != 0)
        return xa_fail_errno(err, errno, "cannot write %s", w->out.path);
    int rc_close = fclose(w->fp);
    w->fp = NULL;
    if (rc_close != 0)
        return xa_fail_errno(err, errno, "cannot write %s", w->out.path);
    return XA_OK;
}

/* Flush, fsync and publish the temporary file (xa_out_publish: link, or
 * rename with --force; never through a symlink, never over another file). */
static xa_code commit_file(xa_container_writer *w, xa_err *err)
{
    xa_code rc = sync_file(w, err);
    return rc == XA_OK ? xa_out_publish(&w->out, err) : rc;
}

/* Remove the published container while its name still holds our file. */
int xa_container_unpublish(xa_container_writer *w)
{
    return w && w->to_path ? xa_out_unpublish(&w->out) : -1;
}

/* The trailer's line is at most this long (hash 128 hex, signature 88
 * base64, the line count, the keys), LF included. */
#define TRAILER_MAX 320

/* An upper bound of the file's size if `more` plaintext bytes were added
 * and the container finished: the bytes zstd has produced, a worst-case
 * zstd expansion of everything it has not (flushed first when that is more
 * than 64 KiB, so the bound stays within a chunk of the truth), and age's
 * 16-byte tag per 64 KiB chunk over all of it. */
xa_code xa_container_size_bound(xa_container_writer *w, uint64_t more, uint64_t *bound,
                                xa_err *err)
{
    xa_code rc = check_state(w, CW_OPEN, err);
    if (rc != XA_OK)
        return rc;
    if (w->since_flush > 65536) {
        if ((rc = compress(w, NULL, 0, ZSTD_e_flush, err)) != XA_OK) {
            w->state = CW_FAILED;
            return rc;
        }
        w->since_flush = 0;
    }
    uint64_t pending = w->since_flush + more + TRAILER_MAX;
    /* ZSTD_compressBound's own formula, in 64 bits; + the frame's end
     * (an empty last block, the checksum) */
    uint64_t z = w->zbytes + pending + (pending >> 8) + 64 + 32;
    *bound = w->header_bytes + z + 16 * (z / XA_AGE_CHUNK + 1);
    return XA_OK;
}

/* Plaintext bytes written so far (the reader caps a container's at
 * max_plain). */
uint64_t xa_container_plain_bytes(const xa_container_writer *w)
{
    return w->plain;
}

/* Sign the hash of the lines in the trailer and close every layer. */
xa_code xa_container_finish(xa_container_writer *w,
                            const uint8_t sign_sk[XA_CONTAINER_SIGN_SK_BYTES], xa_err *err)
{
    return xa_container_finish_ex(w, sign_sk, 0, err);
}

/* The same; XA_CONTAINER_KEEP leaves a path's file unpublished (its
 * temporary name) until xa_container_publish. */
xa_code xa_container_finish_ex(xa_container_writer *w,
                               const uint8_t sign_sk[XA_CONTAINER_SIGN_SK_BYTES], int flags,
                               xa_err *err)
{
    xa_code rc = check_state(w, CW_OPEN, err);
    if (rc != XA_OK)
        return rc;
    uint8_t pk[32], hash[CONTAINER_HASH_BYTES], sig[crypto_sign_BYTES];
    crypto_sign_ed25519_sk_to_pk(pk, sign_sk);
    if (sodium_memcmp(pk, w->sign_pk, 32) != 0)
        return xa_fail(err, XA_EUSAGE, "the signing key does not match the manifest's sign key");
    crypto_generichash_final(w->hash, hash, sizeof hash);
    xa_container__sign(w->label, hash, sign_sk, sig);

    char hex[2 * CONTAINER_HASH_BYTES + 1];
    xa_hex_encode(hash, sizeof hash, hex);
    char *b64 = xa_container__b64(sig, sizeof sig);
    json_t *t = json_pack("{s:s, s:I, s:s, s:s}", "type", "end", "lines", (json_int_t)w->lines,
                          "hash", hex, "sig", b64);
    free(b64);
    xa_buf line = XA_BUF_INIT;
    rc = xa_json_canonical(t, &line, err);
    json_decref(t);
    if (rc == XA_OK)
        rc = emit_line(w, line.data, line.len, 0, err);
    xa_buf_clear(&line);
    if (rc == XA_OK)
        rc = compress(w, NULL, 0, ZSTD_e_end, err);
    if (rc == XA_OK)
        rc = xa_age_writer_finish(w->age, err);
    if (rc == XA_OK) {
        uint8_t fh[32];
        crypto_generichash_final(w->fhash, fh, sizeof fh);
        xa_hex_encode(fh, sizeof fh, w->file_hex);
    }
    if (rc == XA_OK && w->to_path)
        rc = (flags & XA_CONTAINER_KEEP) ? sync_file(w, err) : commit_file(w, err);
    else if (rc == XA_OK && fflush(w->fp) != 0)
        rc = xa_fail_errno(err, errno, "cannot write the container");
    w->state = rc == XA_OK ? CW_DONE : CW_FAILED;
    return rc;
}

/* Publish a container finished with XA_CONTAINER_KEEP under its path. */
xa_code xa_container_publish(xa_container_writer *w, xa_err *err)
{
    if (!w || !w->to_path || w->state != CW_DONE || w->fp || w->out.published)
        return xa_fail(err, XA_ESTATE, "the container is not finished and kept");
    return xa_out_publish(&w->out, err);
}

/* A finished container: the BLAKE2b-256 of its file (hex) and its size. */
const char *xa_container_written(const xa_container_writer *w, uint64_t *bytes)
{
    if (bytes)
        *bytes = w->file_bytes;
    return w->state == CW_DONE ? w->file_hex : NULL;
}

/* Free; an unfinished temporary file is removed. */
void xa_container_writer_free(xa_container_writer *w)
{
    if (!w)
        return;
    if (w->to_path) { /* never finished: no half-written container is left */
        if (w->fp)
            fclose(w->fp);
        xa_out_clear(&w->out);
    }
    xa_age_writer_free(w->age);
    ZSTD_freeCCtx(w->cz);
    free(w->hash);
    free(w->fhash);
    free(w->zout);
    free(w);
}
