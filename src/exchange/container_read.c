/* container_read.c — reading and verifying bundles and briefs.
 *
 * Owns the reader pipeline: file (hashed as it is read) → age reader (the
 * caller's identities) → zstd stream (window bounded, output counted against
 * the cap, exactly one frame that must end, nothing after it) → JSON Lines
 * (each line bounded, parsed strictly, in canonical form) → manifest check
 * and the caller's verdict on the sender (right after line 1, before any
 * record is read) → BLAKE2b-512 of the lines → trailer check (line count,
 * hash, Ed25519 signature by the manifest's key under the format's context
 * label).
 *
 * Memory stays bounded before authentication (issue 11 item 2): the first
 * pass validates and hashes every record as it streams and hands none out.
 * Only after the trailer verified does the second pass hand the records out
 * one at a time.  The first pass keeps the plaintext it decompressed in one
 * secret region as long as it stays within lim.max_replay (8 MiB): then the
 * second pass replays those very verified bytes — one decrypt, one
 * decompress, one hash per bundle.  A larger plaintext (photos, a hostile
 * bundle) is dropped the moment it outgrows the bound, and the second pass
 * reads the file again, checking that it saw exactly the bytes the first
 * pass verified (same file hash, same line hash), so a file changed between
 * the passes is refused (the caller rolls back what it applied).  Every
 * buffer that held plaintext is wiped. */
#include "container_impl.h"

#include "xiaoan/i18n.h"
#include "xiaoan/identity.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>
#include <zstd_errors.h>

/* One pass over the file. */
struct pass {
    int second;                     /* 0 verify, 1 deliver */
    crypto_generichash_state *hash; /* BLAKE2b-512 of the lines before the trailer */
    crypto_generichash_state *fh;   /* BLAKE2b-256 of the file's bytes */
    xa_buf line;
    uint64_t plain;
    size_t lineno; /* lines completed so far */
    size_t records;
    int trailer; /* the trailer was read and verified */
    int replay;  /* the second pass replays the kept plaintext (no hashes) */
    uint8_t got[CONTAINER_HASH_BYTES];
    xa_record_fn each;
    void *each_ctx;
};

struct xa_container_reader {
    FILE *fp;
    int own_fp;
    const xa_age_identity *const *ids;
    size_t nids;
    xa_container_limits lim;
    const char *format; /* expected family, or NULL for either */
    const char *noun;   /* "bundle", "brief" or "container" */
    json_t *manifest;
    uint8_t pk[32];
    int version;                 /* 1 or 2 (from the manifest's format) */
    const char *label;           /* the trailer's signature context (version 2) */
    int verified;                /* the first pass succeeded */
    struct xa_container_info info;
    xa_sender_ok_fn sender_ok;
    void *sender_ctx;
    char *count_type; /* records of this type are counted (info.counted) */
    struct pass *p; /* the pass running */
    const char *line; /* the record being handed out: its canonical bytes */
    size_t line_len;
    uint8_t *keep;    /* the first pass's plaintext (secret region), or NULL */
    size_t keep_len, keep_cap;
    int keeping;      /* the first pass still keeps (within lim.max_replay) */
    struct kept_type *types; /* per kept record line: where the scan found its type */
    size_t ntypes, types_cap;
    int lazy;          /* hand out records without parsing them (xa_container_lazy) */
    const char *type;  /* the record being handed out: its type, */
    size_t type_len;
    const json_t *record; /* and its parsed tree (NULL: not parsed yet) */
    json_t *parsed;       /* parsed on demand by xa_container_record_json */
};

/* ---- the kept plaintext -------------------------------------------------- */

/* Where the first pass's canonical scan found a record line's type (offset
 * in the line, length; len 0: the line took the long way), so a lazy replay
 * need not scan the verified line again.  Offsets only, no plaintext. */
struct kept_type {
    uint32_t off, len;
};

#define KEEP_MIN ((size_t)64 * 1024)
#define KEEP_SPARE_MAX ((size_t)2 * 1024 * 1024)

/* One wiped region kept for the next reader (at most KEEP_SPARE_MAX): a merge
 * reads one bundle after another, and mapping, locking and unmapping guarded
 * pages for each would cost more than the copy it saves.  (xiaoan runs one
 * thread.) */
static uint8_t *keep_spare;
static size_t keep_spare_cap;

/* A secret region of at least want bytes (the spare when it is large enough). */
static uint8_t *region_get(size_t want, size_t *cap)
{
    if (keep_spare && keep_spare_cap >= want) {
        uint8_t *p = keep_spare;
        *cap = keep_spare_cap;
        keep_spare = NULL;
        return p;
    }
    *cap = want;
    return xa_secret_alloc(want);
}

/* Wipe the used bytes of a region and keep it as the spare (or free it). */
static void region_put(uint8_t *p, size_t cap, size_t used)
{
    if (!p)
        return;
    sodium_memzero(p, used);
    if (cap > KEEP_SPARE_MAX || (keep_spare && keep_spare_cap >= cap)) {
        xa_secret_free(p);
        return;
    }
    xa_secret_free(keep_spare);
    keep_spare = p;
    keep_spare_cap = cap;
}

/* Stop keeping: wipe what was kept and give the region back. */
static void keep_drop(xa_container_reader *r)
{
    region_put(r->keep, r->keep_cap, r->keep_len);
    r->keep = NULL;
    r->keep_len = r->keep_cap = 0;
    r->keeping = 0;
    free(r->types);
    r->types = NULL;
    r->ntypes = r->types_cap = 0;
}

/* The bytes kept so far, the type table included (both count against
 * lim.max_replay). */
static size_t keep_bytes(const xa_container_reader *r, size_t more_plain, size_t more_types)
{
    return r->keep_len + more_plain + (r->ntypes + more_types) * sizeof *r->types;
}

/* Note a kept record line's type (first pass): off/len 0 when not known. */
static void keep_type(xa_container_reader *r, size_t off, size_t len)
{
    if (!r->keeping)
        return;
    if (keep_bytes(r, 0, 1) > r->lim.max_replay || off > UINT32_MAX || len > UINT32_MAX) {
        keep_drop(r);
        return;
    }
    if (r->ntypes == r->types_cap) {
        r->types_cap = r->types_cap ? 2 * r->types_cap : 256;
        r->types = xa_realloc(r->types, r->types_cap * sizeof *r->types);
    }
    r->types[r->ntypes++] = (struct kept_type){(uint32_t)off, (uint32_t)len};
}

/* Keep n more plaintext bytes, or stop keeping when they would outgrow
 * lim.max_replay (the second pass then reads the file again). */
static void keep_add(xa_container_reader *r, const uint8_t *s, size_t n)
{
    if (!r->keeping || !n)
        return;
    size_t need = r->keep_len + n;
    if (need < r->keep_len || keep_bytes(r, n, 0) > r->lim.max_replay) {
        keep_drop(r);
        return;
    }
    if (need > r->keep_cap) {
        size_t want = r->keep_cap > KEEP_MIN ? r->keep_cap : KEEP_MIN;
        while (want < need)
            want *= 2;
        if (want > r->lim.max_replay)
            want = r->lim.max_replay;
        size_t cap;
        uint8_t *p = region_get(want, &cap);
        if (r->keep_len)
            memcpy(p, r->keep, r->keep_len);
        region_put(r->keep, r->keep_cap, r->keep_len);
        r->keep = p;
        r->keep_cap = cap;
    }
    memcpy(r->keep + r->keep_len, s, n);
    r->keep_len = need;
}

/* The family ("bundle"/"brief") of a format string, or NULL if unknown. */
static const char *family_of(const char *f)
{
    if (!f)
        return NULL;
    if (!strcmp(f, XA_BUNDLE_FORMAT) || !strcmp(f, XA_BUNDLE_FORMAT_V1))
        return N_("bundle");
    if (!strcmp(f, XA_BRIEF_FORMAT) || !strcmp(f, XA_BRIEF_FORMAT_V1))
        return N_("brief");
    return NULL;
}

/* Turn an age failure into the container's words. */
static xa_code age_failure(const xa_container_reader *r, xa_code c, const xa_err *ae,
                           xa_err *err)
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
static xa_code json_failure(const struct pass *p, const xa_err *je, xa_err *err)
{
    const char *m = xa_err_msg(je);
    size_t n = strncmp(m, "bad JSON", 8) == 0 ? strcspn(m, ":") : strlen(m);
    return xa_fail(err, XA_EFORMAT, "malformed line %zu: %.*s", p->lineno + 1, (int)n, m);
}

/* Check the manifest (line 1), keep it and ask about the sender before any
 * record is read (first pass). */
static xa_code take_manifest(xa_container_reader *r, json_t *v, xa_err *err)
{
    const char *f = json_string_value(json_object_get(v, "format"));
    const char *fam = family_of(f);
    if (f && r->format && (!fam || strcmp(fam, family_of(r->format)) != 0)) {
        if (fam)
            return xa_fail(err, XA_EFORMAT, "not a %s (this is a %s)", r->noun, _(fam));
        return xa_fail(err, XA_EFORMAT, "not a %s (unknown format '%.40s')", r->noun, f);
    }
    xa_err me;
    uint8_t pk[32];
    if (xa_container__check_manifest(v, pk, &me) != XA_OK) {
        if (f && !fam)
            return xa_fail(err, XA_EFORMAT, "not a %s (unknown format '%.40s')", r->noun, f);
        return xa_fail(err, XA_EFORMAT, "malformed line 1: %s", me.msg);
    }
    if (r->p->second)
        return XA_OK; /* the same bytes as the first pass (checked at the end) */
    memcpy(r->pk, pk, sizeof pk);
    r->manifest = json_incref(v);
    r->version = xa_container__version(f);
    r->label = xa_container__label(f);
    const char *fp =
        json_string_value(json_object_get(json_object_get(v, "sender"), "fingerprint"));
    const char *created = json_string_value(json_object_get(v, "created"));
    /* Before reading further: a stranger's bundle stops here, whatever it holds. */
    if (!r->sender_ok(r->pk, fp, created, r->sender_ctx))
        return xa_fail(err, XA_ESENDER, "not from a known sender");
    return XA_OK;
}

/* Check the trailer against the lines before it. */
static xa_code take_trailer(xa_container_reader *r, json_t *v, xa_err *err)
{
    static const char *const keys[] = {"type", "lines", "hash", "sig"};
    struct pass *p = r->p;
    size_t n = p->lineno + 1;
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
    uint8_t want[CONTAINER_HASH_BYTES], sig[crypto_sign_BYTES];
    if (!json_is_integer(lines) || !hex || !b64 ||
        strlen(hex) != 2 * sizeof want || strspn(hex, "0123456789abcdef") != strlen(hex) ||
        xa_hex_decode(hex, want, sizeof want, NULL) != XA_OK ||
        xa_container__b64_decode(b64, sig, sizeof sig) != 0)
        return xa_fail(err, XA_EFORMAT, "malformed line %zu: bad trailer fields", n);
    crypto_generichash_final(p->hash, p->got, sizeof p->got);
    if (sodium_memcmp(p->got, want, sizeof p->got) != 0)
        return xa_fail(err, XA_ESIG, "bad signature (the content does not match the trailer's "
                                     "hash)");
    if (p->second) {
        /* the second pass must see exactly what the first one verified */
        if (sodium_memcmp(p->got, r->info.content, sizeof p->got) != 0)
            return xa_fail(err, XA_ESIG, "the file changed while it was being read");
    } else {
        if (xa_container__verify(r->label, p->got, sig, r->pk) != 0)
            return xa_fail(err, XA_ESIG, "bad signature (not signed by the sender's key in the "
                                         "manifest)");
        memcpy(r->info.content, p->got, sizeof p->got);
    }
    if (json_integer_value(lines) != (json_int_t)p->lineno)
        return xa_fail(err, XA_EFORMAT, "malformed line %zu: the trailer counts %lld lines, "
                                        "there are %zu",
                       n, (long long)json_integer_value(lines), p->lineno);
    p->trailer = 1;
    return XA_OK;
}

/* Is the type (tl bytes, not terminated) the word w? */
static int type_is(const char *t, size_t tl, const char *w)
{
    return tl == strlen(w) && memcmp(t, w, tl) == 0;
}

/* A record line (not the manifest, not the trailer) of type t (tl bytes):
 * the limits, the count and, in the second pass, the caller's callback
 * with the parsed record v. */
static xa_code take_record(xa_container_reader *r, const char *t, size_t tl, const json_t *v,
                           const char *s, size_t len, xa_err *err)
{
    struct pass *p = r->p;
    size_t n = p->lineno + 1;
    if (!type_is(t, tl, "attachment") && len > r->lim.max_line)
        return xa_fail(err, XA_ELIMIT, "over the size limit (line %zu is longer than %zu bytes)",
                       n, r->lim.max_line);
    if (++p->records > r->lim.max_records)
        return xa_fail(err, XA_ELIMIT, "over the size limit (more than %zu records)",
                       r->lim.max_records);
    if (!p->second && r->count_type && type_is(t, tl, r->count_type))
        r->info.counted++;
    if (!p->second) /* t lies in the line when the scan found it (v NULL) */
        keep_type(r, v ? 0 : (size_t)(t - s), v ? 0 : tl);
    xa_code rc = XA_OK;
    if (p->second && p->each) {
        r->line = s;
        r->line_len = len;
        r->type = t;
        r->type_len = tl;
        r->record = v;
        rc = p->each(v, n, p->each_ctx, err);
        r->line = r->type = NULL;
        r->line_len = r->type_len = 0;
        r->record = NULL;
        json_decref(r->parsed);
        r->parsed = NULL;
    }
    return rc;
}

/* In a lazy second pass, a visit record by its last member: in JSON that
 * parses, a line ending in ,"type":"visit"} has the top-level type "visit"
 * (a raw quote cannot stand inside a string, so these are the last key and
 * value of the outermost object); the caller reads the line strictly anyway
 * and parses it (with the error wording of the long way) when it cannot. */
static int visit_by_suffix(const char *s, size_t len)
{
    static const char tail[] = ",\"type\":\"visit\"}";
    size_t n = sizeof tail - 1;
    return len > n && memcmp(s + len - n, tail, n) == 0;
}

/* One complete line (without its LF). */
static xa_code take_line(xa_container_reader *r, const char *s, size_t len, xa_err *err)
{
    struct pass *p = r->p;
    size_t n = p->lineno + 1;
    if (p->trailer)
        return xa_fail(err, XA_EFORMAT, "malformed line %zu: data after the trailer", n);
    xa_code rc = XA_OK;
    /* The first pass checks a record line's canonical form in one scan,
     * without a tree (the second pass parses it for the caller, or in lazy
     * mode scans it for its type and lets the caller decide).
     * A line the scan is not sure of goes the long way below, which also
     * words the error. */
    const char *t = NULL;
    size_t tl = 0;
    if (p->second && r->lazy && n > 1 && visit_by_suffix(s, len)) {
        rc = take_record(r, s + len - 7, 5, NULL, s, len, err); /* visit"} */
        goto hash;
    }
    if ((!p->second || r->lazy) && n > 1 &&
        xa_json_canonical_object(s, len, r->lim.max_depth, "type", &t, &tl) && t && tl &&
        !type_is(t, tl, "end")) {
        rc = take_record(r, t, tl, NULL, s, len, err);
        goto hash;
    }
    json_t *v = NULL;
    xa_err je;
    if (xa_json_parse(s, len, r->lim.max_depth, &v, &je) != XA_OK)
        return json_failure(p, &je, err);
    xa_buf canon = XA_BUF_INIT;
    if (!json_is_object(v)) {
        rc = xa_fail(err, XA_EFORMAT, "malformed line %zu: not a JSON object", n);
        goto done;
    }
    /* Canonical form is checked in the first pass; the second only hands out
     * lines whose hash must equal the first pass's (else XA_ESIG and the
     * caller undoes everything), so checking again would only cost time. */
    if (!p->second && (xa_json_canonical(v, &canon, NULL) != XA_OK || canon.len != len ||
                       memcmp(canon.data, s, len) != 0)) {
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
        rc = take_record(r, type, strlen(type), v, s, len, err);
    }
done:
    xa_buf_wipe(&canon);
    json_decref(v);
hash:
    if (rc == XA_OK && !p->trailer && !p->replay) {
        crypto_generichash_update(p->hash, (const uint8_t *)s, len);
        crypto_generichash_update(p->hash, (const uint8_t *)"\n", 1);
    }
    if (rc == XA_OK)
        p->lineno++;
    return rc;
}

/* Split decompressed bytes into lines. */
static xa_code feed(xa_container_reader *r, uint8_t *s, size_t len, xa_err *err)
{
    struct pass *p = r->p;
    while (len) {
        uint8_t *nl = memchr(s, '\n', len);
        size_t k = nl ? (size_t)(nl - s) : len;
        size_t cap = p->lineno == 0 ? r->lim.max_line : r->lim.max_attachment;
        if (p->line.len + k > cap)
            return xa_fail(err, XA_ELIMIT, "over the size limit (line %zu is longer than %zu "
                                           "bytes)",
                           p->lineno + 1, cap);
        xa_code rc;
        if (nl && !p->line.len) {
            /* the whole line is in this chunk: read it where it is (NUL-
             * terminated in place of its LF for the moment; s is the pass's
             * own output buffer, wiped by the caller) */
            *nl = '\0';
            rc = take_line(r, (const char *)s, k, err);
            *nl = '\n';
            if (rc != XA_OK)
                return rc;
            s += k + 1;
            len -= k + 1;
            continue;
        }
        xa_buf_add(&p->line, s, k);
        if (!nl)
            return XA_OK;
        rc = take_line(r, p->line.data ? p->line.data : "", p->line.len, err);
        sodium_memzero(p->line.data, p->line.len);
        xa_buf_reset(&p->line);
        if (rc != XA_OK)
            return rc;
        s += k + 1;
        len -= k + 1;
    }
    return XA_OK;
}

/* A zstd failure in the container's words. */
static xa_code zstd_failure(const xa_container_reader *r, size_t code, xa_err *err)
{
    if (ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge)
        return xa_fail(err, XA_ELIMIT, "over the size limit (the zstd window is larger than "
                                       "2^%d bytes)",
                       r->lim.window_log_max);
    return xa_fail(err, XA_EFORMAT, "%s is malformed (zstd: %s)", r->noun,
                   ZSTD_getErrorName(code));
}

/* Read from the file, hashing every byte (the file's hash comes from the
 * very bytes that are decrypted: no second read of the file for it). */
static xa_code tee_read(void *ctx, void *buf, size_t len, size_t *got, xa_err *err)
{
    xa_container_reader *r = ctx;
    xa_code c = xa_age_fread(r->fp, buf, len, got, err);
    if (c == XA_OK && *got)
        crypto_generichash_update(r->p->fh, buf, *got);
    return c;
}

/* A 64-byte aligned BLAKE2b state (libsodium wants the alignment). */
static crypto_generichash_state *hash_new(size_t outlen)
{
    crypto_generichash_state *h = aligned_alloc(64, (sizeof *h + 63) / 64 * 64);
    if (!h)
        abort();
    crypto_generichash_init(h, NULL, 0, outlen);
    return h;
}

/* Run one pass: decrypt, decompress, split, check every line. */
static xa_code run_pass(xa_container_reader *r, struct pass *p, xa_err *err)
{
    r->p = p;
    p->hash = hash_new(CONTAINER_HASH_BYTES);
    p->fh = hash_new(32);
    ZSTD_DCtx *dz = ZSTD_createDCtx();
    if (!dz)
        abort();
    size_t insz = ZSTD_DStreamInSize(), outsz = ZSTD_DStreamOutSize();
    uint8_t *zin = xa_malloc(insz), *zout = xa_malloc(outsz);
    xa_age_reader *ar = NULL;
    xa_err ae;
    xa_code rc;
    int frame_done = 0;

    if (ZSTD_isError(ZSTD_DCtx_setParameter(dz, ZSTD_d_windowLogMax, r->lim.window_log_max))) {
        rc = xa_fail(err, XA_EUSAGE, "zstd refuses window limit 2^%d", r->lim.window_log_max);
        goto done;
    }
    if ((rc = xa_age_reader_open(tee_read, r, r->ids, r->nids, NULL, &r->lim.age, &ar, &ae)) !=
        XA_OK) {
        age_failure(r, rc, &ae, err);
        goto done;
    }
    for (;;) {
        size_t got = 0;
        if ((rc = xa_age_reader_read(ar, zin, insz, &got, &ae)) != XA_OK) {
            age_failure(r, rc, &ae, err);
            goto done;
        }
        if (got == 0)
            break;
        if (frame_done) {
            rc = xa_fail(err, XA_EFORMAT, "%s is malformed (data after the compressed stream)",
                         r->noun);
            goto done;
        }
        ZSTD_inBuffer in = {zin, got, 0};
        int full = 0;
        while (in.pos < in.size || full) {
            ZSTD_outBuffer out = {zout, outsz, 0};
            size_t ret = ZSTD_decompressStream(dz, &out, &in);
            if (ZSTD_isError(ret)) {
                rc = zstd_failure(r, ret, err);
                goto done;
            }
            p->plain += out.pos;
            if (p->plain > r->lim.max_plain) {
                rc = xa_fail(err, XA_ELIMIT, "over the size limit (more than %llu bytes "
                                             "decompressed)",
                             (unsigned long long)r->lim.max_plain);
                goto done;
            }
            if (!p->second)
                keep_add(r, zout, out.pos);
            rc = feed(r, zout, out.pos, err);
            sodium_memzero(zout, out.pos);
            if (rc != XA_OK)
                goto done;
            full = out.pos == out.size;
            if (ret == 0) {
                frame_done = 1;
                if (in.pos < in.size) {
                    rc = xa_fail(err, XA_EFORMAT,
                                 "%s is malformed (data after the compressed stream)", r->noun);
                    goto done;
                }
                break;
            }
        }
    }
    if (!frame_done) {
        rc = xa_fail(err, XA_ETRUNC, "%s is truncated (the compressed stream does not end)",
                     r->noun);
        goto done;
    }
    if (p->line.len) {
        rc = xa_fail(err, XA_EFORMAT, "malformed line %zu: no newline at the end",
                     p->lineno + 1);
        goto done;
    }
    if (p->lineno == 0) {
        rc = xa_fail(err, XA_ETRUNC, "%s is truncated (it is empty)", r->noun);
        goto done;
    }
    if (!p->trailer) {
        rc = xa_fail(err, XA_ETRUNC, "%s is truncated (no trailer)", r->noun);
        goto done;
    }
    uint8_t fh[32];
    crypto_generichash_final(p->fh, fh, sizeof fh);
    char hex[XA_CONTAINER_HASH_HEX];
    xa_hex_encode(fh, sizeof fh, hex);
    if (!p->second) {
        memcpy(r->info.file_hash, hex, sizeof hex);
        r->info.records = p->records;
        r->info.plain = p->plain;
    } else if (strcmp(hex, r->info.file_hash) != 0) {
        rc = xa_fail(err, XA_ESIG, "the file changed while it was being read");
        goto done;
    }
    rc = XA_OK;
done:
    xa_age_reader_free(ar);
    ZSTD_freeDCtx(dz);
    sodium_memzero(zin, insz);
    free(zin);
    free(zout);
    free(p->hash);
    free(p->fh);
    xa_buf_wipe(&p->line);
    r->p = NULL;
    return rc;
}

/* A reader on an open stream. */
xa_code xa_container_open_fp(FILE *fp, const xa_age_identity *const *ids, size_t nids,
                             const char *format, const xa_container_limits *lim,
                             xa_container_reader **out, xa_err *err)
{
    *out = NULL;
    if (format && !family_of(format))
        return xa_fail(err, XA_EUSAGE, "unknown container format '%.40s'", format);
    xa_container_reader *r = xa_calloc(1, sizeof *r);
    r->fp = fp;
    r->ids = ids;
    r->nids = nids;
    if (lim)
        r->lim = *lim;
    else
        xa_container_limits_default(&r->lim);
    r->format = format;
    r->noun = _(format ? family_of(format) : N_("container")); /* shown in messages */
    *out = r;
    return XA_OK;
}

/* A reader on the file at path (opened once, read through that descriptor). */
xa_code xa_container_open(const char *path, const xa_age_identity *const *ids, size_t nids,
                          const char *format, const xa_container_limits *lim,
                          xa_container_reader **out, xa_err *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "rb");
    if (!fp) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return xa_fail_errno(err, e, "cannot open %s", path);
    }
    xa_code c = xa_container_open_fp(fp, ids, nids, format, lim, out, err);
    if (c != XA_OK) {
        fclose(fp);
        return c;
    }
    (*out)->own_fp = 1;
    return XA_OK;
}

/* Count the records of one type in the first pass. */
void xa_container_count_type(xa_container_reader *r, const char *type)
{
    free(r->count_type);
    r->count_type = type ? xa_strdup(type) : NULL;
}

/* The first pass: everything verified, nothing kept but the manifest. */
xa_code xa_container_verify(xa_container_reader *r, xa_sender_ok_fn sender_ok, void *ctx,
                            xa_err *err)
{
    if (!sender_ok)
        return xa_fail(err, XA_EUSAGE, "reading a container needs a sender check");
    if (r->verified || r->manifest)
        return xa_fail(err, XA_ESTATE, "the container was verified already");
    r->sender_ok = sender_ok;
    r->sender_ctx = ctx;
    struct pass p;
    memset(&p, 0, sizeof p);
    r->keeping = r->lim.max_replay > 0;
    xa_code c = run_pass(r, &p, err);
    if (c != XA_OK) {
        keep_drop(r);
        json_decref(r->manifest);
        r->manifest = NULL;
        r->info.counted = 0;
        return c;
    }
    if (!r->keeping)
        keep_drop(r); /* outgrew the bound: the second pass reads the file */
    r->info.kept = r->keep_len;
    xa_hex_encode(r->info.content, sizeof r->info.content, r->info.content_hash);
    r->info.version = r->version;
    r->verified = 1;
    return XA_OK;
}

const json_t *xa_container_manifest_of(const xa_container_reader *r)
{
    return r->verified ? r->manifest : NULL;
}

const struct xa_container_info *xa_container_info_of(const xa_container_reader *r)
{
    return r->verified ? &r->info : NULL;
}

/* The second pass from the kept plaintext: the lines between the manifest
 * and the trailer (both checked by the first pass, on these very bytes),
 * each NUL-terminated while it is handed out; then the region is wiped. */
static xa_code replay(xa_container_reader *r, struct pass *p, xa_err *err)
{
    p->replay = 1;
    r->p = p;
    char *s = (char *)r->keep, *end = s + r->keep_len;
    char *nl = memchr(s, '\n', (size_t)(end - s)); /* the manifest's end */
    xa_code rc = XA_OK;
    size_t k = 0; /* the record's entry in r->types */
    p->lineno = 1;
    while (nl && (s = nl + 1) < end) {
        nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl || nl + 1 == end)
            break; /* the trailer: verified by the first pass */
        size_t len = (size_t)(nl - s);
        const struct kept_type *t = k < r->ntypes ? &r->types[k] : NULL;
        k++;
        *nl = '\0';
        if (r->lazy && t && t->len) { /* scanned by the first pass: hand it out as is */
            rc = take_record(r, s + t->off, t->len, NULL, s, len, err);
            if (rc == XA_OK)
                p->lineno++;
        } else {
            rc = take_line(r, s, len, err);
        }
        *nl = '\n';
        if (rc != XA_OK)
            break;
    }
    r->p = NULL;
    keep_drop(r);
    r->info.kept = 0;
    return rc;
}

/* The second pass: replay the kept plaintext, or read the file again, and
 * hand out each record. */
xa_code xa_container_records(xa_container_reader *r, xa_record_fn each, void *ctx, xa_err *err)
{
    if (!r->verified)
        return xa_fail(err, XA_ESTATE, "the container is not verified");
    struct pass p;
    memset(&p, 0, sizeof p);
    p.second = 1;
    p.each = each;
    p.each_ctx = ctx;
    if (r->keep)
        return replay(r, &p, err);
    if (fseek(r->fp, 0, SEEK_SET) != 0)
        return xa_fail_errno(err, errno, "cannot read the %s again", r->noun);
    clearerr(r->fp);
    return run_pass(r, &p, err);
}

/* The canonical bytes of the record being handed out (during each()). */
const char *xa_container_record_line(const xa_container_reader *r, size_t *len)
{
    *len = r->line_len;
    return r->line;
}

void xa_container_lazy(xa_container_reader *r, int on)
{
    r->lazy = on;
}

const char *xa_container_record_type(const xa_container_reader *r, size_t *len)
{
    *len = r->type_len;
    return r->type;
}

/* The record being handed out, parsed on the first call. */
xa_code xa_container_record_json(xa_container_reader *r, const json_t **out, xa_err *err)
{
    *out = NULL;
    if (!r->line)
        return xa_fail(err, XA_ESTATE, "no record is being handed out");
    if (!r->record) {
        json_t *v = NULL;
        xa_err je;
        if (xa_json_parse(r->line, r->line_len, r->lim.max_depth, &v, &je) != XA_OK)
            return json_failure(r->p, &je, err);
        if (!json_is_object(v)) {
            json_decref(v);
            return xa_fail(err, XA_EFORMAT, "malformed line %zu: not a JSON object",
                           r->p->lineno + 1);
        }
        r->record = r->parsed = v;
    }
    *out = r->record;
    return XA_OK;
}

/* Close (and the file, when the reader opened it). */
void xa_container_close(xa_container_reader *r)
{
    if (!r)
        return;
    if (r->own_fp && r->fp)
        fclose(r->fp);
    free(r->count_type);
    json_decref(r->manifest);
    keep_drop(r);
    free(r);
}

/* What xa_container_read keeps: the records, within a byte budget. */
struct collect {
    const xa_container_reader *r;
    json_t *records;
    uint64_t kept, max;
};

/* Keep one record (bounded: the budget counts canonical bytes). */
static xa_code collect_one(const json_t *record, size_t lineno, void *vctx, xa_err *err)
{
    struct collect *c = vctx;
    size_t len;
    xa_container_record_line(c->r, &len); /* the record's canonical bytes */
    c->kept += len;
    if (c->kept > c->max)
        return xa_fail(err, XA_ELIMIT, "over the size limit (more than %llu bytes of records "
                                       "at line %zu)",
                       (unsigned long long)c->max, lineno);
    json_array_append(c->records, (json_t *)record);
    return XA_OK;
}

/* Verify, then read again and collect every record (all or nothing). */
xa_code xa_container_read_fp(FILE *fp, const xa_age_identity *const *ids, size_t nids,
                             const char *format, const xa_container_limits *lim,
                             xa_sender_ok_fn sender_ok, void *ctx, json_t **manifest,
                             json_t **records, xa_err *err)
{
    *manifest = NULL;
    *records = NULL;
    if (!sender_ok)
        return xa_fail(err, XA_EUSAGE, "reading a container needs a sender check");
    xa_container_reader *r = NULL;
    xa_code c = xa_container_open_fp(fp, ids, nids, format, lim, &r, err);
    if (c != XA_OK)
        return c;
    struct collect col = {r, json_array(), 0, r->lim.max_kept};
    if ((c = xa_container_verify(r, sender_ok, ctx, err)) == XA_OK &&
        (c = xa_container_records(r, collect_one, &col, err)) == XA_OK) {
        *manifest = json_incref(r->manifest);
        *records = col.records;
        col.records = NULL;
    }
    json_decref(col.records);
    xa_container_close(r);
    return c;
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
