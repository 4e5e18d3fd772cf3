/* export.c (field) — owns writing the field → office bundle: every sealed,
 * not yet exported visit from the field store into one xiaoan.bundle/2
 * container (age to the pinned office and the inspector, zstd, signed JSON
 * Lines), then recording the export in the store.  It sits above store and
 * exchange (like central), so both `xiaoan export` and the TUI call it.
 *
 * One export is one write transaction of the field store, from listing the
 * visits to marking them (two exports at once cannot both take them).  The
 * bundle is published with link() (never over another file) and a note,
 * export.pending in the home, says where it went before it is published; a
 * crash between publishing and the commit leaves that note and the file,
 * and the next export adopts the file (our own signature, the next seq, the
 * next visits) instead of being blocked by it or writing a second bundle
 * with the same seq.  On any failure only the file this process published
 * is removed. */
#include "xiaoan/field.h"

#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/json.h"
#include "xiaoan/visit.h"

#include <errno.h>
#include <sodium.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PENDING_NAME "export.pending"

/* Test hook: called after the bundle is published, before the store records
 * it (a crash test exits there). */
void (*xa_field_export_published_hook)(const char *path);

/* Free the path of a result. */
void xa_export_result_clear(xa_export_result *out)
{
    if (!out)
        return;
    free(out->path);
    free(out->recovered);
    memset(out, 0, sizeof *out);
}

/* The manifest of bundle seq with prev ("" = none) and n visits. */
static json_t *manifest_of(const xa_identity *me, int64_t seq, const char *prev, size_t n)
{
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    json_t *m = json_object();
    json_object_set_new(m, "format", json_string(XA_BUNDLE_FORMAT));
    json_object_set_new(m, "sender", json_pack("{s:s}", "fingerprint", me->fingerprint));
    json_object_set_new(m, "seq", json_integer((json_int_t)seq));
    json_object_set_new(m, "prev", prev[0] ? json_string(prev) : json_null());
    json_object_set_new(m, "created", json_string(now));
    json_object_set_new(m, "counts", json_pack("{s:I}", "visit", (json_int_t)n));
    return m;
}

/* What write_one needs: the container, a reused line, the ids written. */
struct writing {
    xa_container_writer *w;
    xa_buf line;
    char (*ids)[XA_ID_HEX];
    size_t n, cap;
    xa_fstore *s; /* for the attachments' bytes */
};

/* Raw bytes in one attachment record (base64 in the line: 256 KiB). */
#define PIECE (192 * 1024)

/* One attachment streaming into records of PIECE bytes. */
struct piece {
    xa_container_writer *w;
    const char *visit;
    const json_t *entry; /* the document's entry: id, hash, size */
    uint8_t *buf;
    size_t have;
    int64_t offset;
};

/* Write what waits in the piece as {"type":"attachment","visit","id","hash","size","offset","data"}. */
static xa_code piece_flush(struct piece *p, xa_err *err)
{
    if (!p->have)
        return XA_OK;
    size_t cap = sodium_base64_ENCODED_LEN(p->have, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = xa_malloc(cap);
    sodium_bin2base64(b64, cap, p->buf, p->have, sodium_base64_VARIANT_ORIGINAL);
    json_t *rec = json_pack("{s:s, s:s, s:O, s:O, s:O, s:I, s:s}", "type", "attachment", "visit",
                            p->visit, "id", json_object_get(p->entry, "id"), "hash",
                            json_object_get(p->entry, "hash"), "size",
                            json_object_get(p->entry, "size"), "offset",
                            (json_int_t)p->offset, "data", b64);
    free(b64);
    xa_code c = rec ? xa_container_add(p->w, rec, err)
                    : xa_fail(err, XA_EFORMAT, "visit %s: a bad attachment entry", p->visit);
    json_decref(rec);
    p->offset += (int64_t)p->have;
    p->have = 0;
    return c;
}

/* An xa_fattach_sink: decrypted bytes into pieces. */
static xa_code piece_sink(void *ctx, const uint8_t *d, size_t n, xa_err *err)
{
    struct piece *p = ctx;
    while (n) {
        size_t k = PIECE - p->have < n ? PIECE - p->have : n;
        memcpy(p->buf + p->have, d, k);
        p->have += k;
        d += k;
        n -= k;
        if (p->have == PIECE) {
            xa_code c = piece_flush(p, err);
            if (c != XA_OK)
                return c;
        }
    }
    return XA_OK;
}

/* The attachments of a sealed visit (its canonical document), streamed
 * from the field store into attachment records after the visit's record. */
static xa_code write_attachments(struct writing *wr, const char *id, const char *canon,
                                 size_t len, xa_err *err)
{
    static const char key[] = "\"attachments\":[{";
    int has = 0;
    for (size_t i = 0; !has && i + sizeof key - 1 <= len; i++)
        has = canon[i] == '"' && !memcmp(canon + i, key, sizeof key - 1);
    if (!has)
        return XA_OK; /* none: no parse */
    json_t *doc = NULL;
    xa_code c = xa_json_parse(canon, len, 64, &doc, err);
    if (c != XA_OK)
        return c;
    struct piece p = {.w = wr->w, .visit = id, .buf = xa_malloc(PIECE)};
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "attachments"), i, e)
    {
        p.entry = e;
        p.have = 0;
        p.offset = 0;
        int64_t size = 0;
        c = xa_fstore_attach_read(wr->s, id, json_string_value(json_object_get(e, "id")),
                                  piece_sink, &p, &size, err);
        if (c == XA_OK)
            c = piece_flush(&p, err);
        if (c == XA_OK && size != json_integer_value(json_object_get(e, "size")))
            c = xa_fail(err, XA_ECRYPTO, "visit %s: attachment %s has another size in the store",
                        id, json_string_value(json_object_get(e, "id")));
        if (c != XA_OK)
            break;
    }
    sodium_memzero(p.buf, PIECE);
    free(p.buf);
    json_decref(doc);
    return c;
}

/* An xa_sealed_canon_fn: the visit's stored canonical bytes become its
 * record line as they are (no parse, no re-serialisation: issue 17). */
static xa_code write_one(const char *id, int64_t seq, const char *canon, size_t len,
                         const uint8_t sig[XA_SIG_BYTES], void *ctx, xa_err *err)
{
    (void)seq;
    struct writing *wr = ctx;
    if (wr->n == wr->cap) /* more than were counted: the store changed under us */
        return xa_fail(err, XA_ESTATE, "the field store changed during the export");
    wr->line.len = 0;
    xa_visit_record_line(canon, len, sig, &wr->line);
    xa_code c = xa_container_add_canonical(wr->w, wr->line.data, wr->line.len, err);
    if (c != XA_OK) {
        xa_err_prefix(err, "visit %s", id);
        return c;
    }
    if ((c = write_attachments(wr, id, canon, len, err)) != XA_OK) {
        xa_err_prefix(err, "visit %s", id);
        return c;
    }
    memcpy(wr->ids[wr->n++], id, XA_ID_HEX);
    return XA_OK;
}

/* Reading an interrupted export's bundle: the visit ids it holds. */
struct orphan {
    const xa_identity *me;
    size_t n, cap;
    char (*ids)[XA_ID_HEX];
};

/* The reader's sender check: only our own key. */
static int sender_is_me(const uint8_t pk[32], const char *fp, const char *created, void *ctx)
{
    (void)created;
    const struct orphan *o = ctx;
    return memcmp(pk, o->me->sign_pk, 32) == 0 && strcmp(fp, o->me->fingerprint) == 0;
}

/* Each record of the orphan is one of our signed visits (whether the store
 * still waits to export it is checked when it is marked). */
static xa_code orphan_record(const json_t *rec, size_t lineno, void *ctx, xa_err *err)
{
    (void)lineno;
    struct orphan *o = ctx;
    xa_visit_verified v;
    xa_code c = xa_visit_verify_record(rec, o->me->sign_pk, &v, err);
    if (c != XA_OK)
        return c;
    if (o->n == o->cap) /* more than the sealed visits waiting */
        return xa_fail(err, XA_ESTATE, "it holds more visits than wait for export");
    memcpy(o->ids[o->n++], v.id, XA_ID_HEX);
    return XA_OK;
}

/* Is the file at path our bundle seq (last + 1, chained to prev) of visits
 * that wait for export (at most waiting of them)?  Then record it in the
 * open export transaction: *adopted is the number of visits it holds and
 * hash its file hash. */
static xa_code adopt(xa_fstore *s, const char *path, size_t waiting, int64_t seq,
                     const char *prev, size_t *adopted, char hash[XA_HASH_HEX], xa_err *err)
{
    *adopted = 0;
    const xa_identity *me = xa_fstore_identity(s);
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return xa_fail(err, XA_ENOTFOUND, "%s is not a file", path);
    xa_age_identity *aid = NULL;
    xa_container_reader *r = NULL;
    struct orphan o = {.me = me, .cap = waiting,
                       .ids = xa_calloc(waiting ? waiting : 1, sizeof *o.ids)};
    xa_code c = xa_age_identity_from_secret(me->sec->age_sk, &aid, err);
    const xa_age_identity *ids[1] = {aid};
    if (c == XA_OK)
        c = xa_container_open(path, ids, 1, XA_BUNDLE_FORMAT, NULL, &r, err);
    if (c == XA_OK)
        c = xa_container_verify(r, sender_is_me, &o, err);
    if (c == XA_OK) {
        const json_t *m = xa_container_manifest_of(r);
        const json_t *jp = json_object_get(m, "prev");
        const char *mprev = json_is_string(jp) ? json_string_value(jp) : "";
        if (json_integer_value(json_object_get(m, "seq")) != seq || strcmp(mprev, prev) != 0)
            c = xa_fail(err, XA_ESTATE, "it is not bundle %lld after the last export",
                        (long long)seq);
    }
    if (c == XA_OK)
        c = xa_container_records(r, orphan_record, &o, err);
    if (c == XA_OK && o.n == 0)
        c = xa_fail(err, XA_ESTATE, "it holds no visit");
    if (c == XA_OK) {
        const char **idp = xa_calloc(o.n, sizeof *idp);
        for (size_t i = 0; i < o.n; i++)
            idp[i] = o.ids[i];
        memcpy(hash, xa_container_info_of(r)->file_hash, XA_HASH_HEX);
        c = xa_fstore_export_mark(s, seq, hash, idp, o.n, err);
        free(idp);
    }
    if (c == XA_OK)
        *adopted = o.n;
    xa_container_close(r);
    xa_age_identity_free(aid);
    free(o.ids);
    return c;
}

/* The path the pending note names if it is for bundle seq, else NULL (a
 * stale or unreadable note is only removed: it is a hint, the store is the
 * truth). */
static char *pending_path(const char *note, int64_t seq)
{
    xa_buf b = XA_BUF_INIT;
    json_t *j = NULL;
    char *path = NULL;
    if (xa_read_file(note, 65536, &b, NULL) == XA_OK &&
        xa_json_parse(b.data, b.len, 4, &j, NULL) == XA_OK &&
        json_integer_value(json_object_get(j, "seq")) == seq &&
        json_is_string(json_object_get(j, "path")))
        path = xa_strdup(json_string_value(json_object_get(j, "path")));
    json_decref(j);
    xa_buf_clear(&b);
    return path;
}

/* Repair after an interrupted export: a bundle seq = last + 1 that was
 * published but never recorded (named by the pending note, or at the name
 * this export would use) is adopted: its visits are marked exported inside
 * this transaction and last/prev move on.  *recovered gets its path. */
static xa_code repair(xa_fstore *s, const char *note, const char *target, size_t *waiting,
                      int64_t *last, char prev[XA_HASH_HEX], char **recovered, size_t *nrec,
                      xa_err *err)
{
    char *cand[2] = {pending_path(note, *last + 1), xa_strdup(target)};
    xa_code c = XA_OK;
    for (int i = 0; i < 2 && c == XA_OK && !*recovered; i++) {
        struct stat st;
        if (!cand[i] || lstat(cand[i], &st) != 0)
            continue;
        size_t n;
        char hash[XA_HASH_HEX];
        xa_err e2;
        xa_code a = adopt(s, cand[i], *waiting, *last + 1, prev, &n, hash, &e2);
        if (a == XA_ENOSPC || a == XA_EDB) { /* the store failed, not the file */
            if (err)
                *err = e2;
            c = a;
        } else if (a == XA_OK) {
            *recovered = cand[i];
            cand[i] = NULL;
            *nrec = n;
            *last += 1;
            memcpy(prev, hash, XA_HASH_HEX);
            *waiting -= n;
        }
    }
    free(cand[0]);
    free(cand[1]);
    return c;
}

/* Write the pending note: the bundle seq about to be published at path. */
static xa_code pending_write(const char *note, int64_t seq, const char *path, xa_err *err)
{
    json_t *j = json_pack("{s:I, s:s}", "seq", (json_int_t)seq, "path", path);
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    xa_code c = xa_write_atomic(note, text, strlen(text), err);
    free(text);
    return c;
}

/* Remove the note if it still speaks of bundle seq at path (another export
 * may have written its own since). */
static void pending_clear(const char *note, int64_t seq, const char *path)
{
    char *p = pending_path(note, seq);
    if (p && strcmp(p, path) == 0)
        unlink(note);
    free(p);
}

/* The absolute form of folder dir joined with name (the note must find the
 * bundle from any working directory). */
static char *abs_join(const char *dir, const char *name)
{
    char buf[PATH_MAX];
    if (realpath(dir, buf))
        return xa_path_join(buf, name);
    return xa_path_join(dir, name);
}

/* Export every sealed, unexported visit. */
xa_code xa_field_export(xa_fstore *s, const char *dir, xa_export_result *out, xa_err *err)
{
    memset(out, 0, sizeof *out);
    const xa_identity *me = xa_fstore_identity(s);
    struct writing wr = {NULL, XA_BUF_INIT, NULL, 0, 0, s};
    size_t count = 0;
    xa_identity *office = NULL;
    xa_container_writer *w = NULL;
    json_t *manifest = NULL;
    const char **ids = NULL;
    char *path = NULL, *note = xa_path_join(xa_fstore_home(s), PENDING_NAME);
    int64_t last = 0;
    char prev[XA_HASH_HEX];
    int in_txn = 0, published = 0;
    xa_code c;
    if (!dir || !*dir)
        dir = ".";
    if ((c = xa_fstore_office(s, &office, err)) != XA_OK && c != XA_ENOTFOUND)
        goto done;
    c = XA_OK;
    if (office && (c = xa_mkdir_p(dir, 0700, err)) != XA_OK)
        goto done;
    /* From here to the commit the store's write lock is held. */
    if ((c = xa_fstore_export_begin(s, &count, &last, prev, err)) != XA_OK)
        goto done;
    in_txn = 1;
    if (count && !office) {
        c = xa_fail(err, XA_ESTATE,
                    "no office key yet: import a brief first (bundles are encrypted to the "
                    "office)");
        goto done;
    }
    if (count == 0)
        goto done;
    char name[96];
    snprintf(name, sizeof name, "xiaoan-%s-%04lld.xab", me->fingerprint, (long long)(last + 1));
    path = abs_join(dir, name);
    if ((c = repair(s, note, path, &count, &last, prev, &out->recovered, &out->recovered_visits,
                    err)) != XA_OK)
        goto done;
    if (out->recovered) {
        out->recovered_seq = last;
        free(path);
        snprintf(name, sizeof name, "xiaoan-%s-%04lld.xab", me->fingerprint,
                 (long long)(last + 1));
        path = abs_join(dir, name);
    }
    if (count == 0)
        goto done;
    if (last < 0 || last >= XA_SEQ_MAX) { /* last + 1 must stay in range */
        c = xa_fail(err, XA_ELIMIT, "the bundle sequence is at its limit");
        goto done;
    }
    const uint8_t *recipients[2] = {office->age_pk, me->age_pk};
    manifest = manifest_of(me, last + 1, prev, count);
    if ((c = xa_container_create(path, recipients, 2, &w, err)) != XA_OK ||
        (c = xa_container_manifest(w, manifest, me->sign_pk, err)) != XA_OK)
        goto done;
    wr.w = w;
    wr.cap = count;
    wr.ids = xa_calloc(count, sizeof *wr.ids);
    if ((c = xa_fstore_unexported_each(s, write_one, &wr, err)) != XA_OK)
        goto done;
    if (wr.n != count) {
        c = xa_fail(err, XA_ESTATE, "the field store changed during the export");
        goto done;
    }
    if ((c = pending_write(note, last + 1, path, err)) != XA_OK ||
        (c = xa_container_finish(w, me->sec->sign_sk, err)) != XA_OK)
        goto done;
    published = 1;
    if (xa_field_export_published_hook)
        xa_field_export_published_hook(path);
    if ((c = xa_container_file_hash(path, out->hash, err)) != XA_OK)
        goto done;
    ids = xa_calloc(wr.n, sizeof *ids);
    for (size_t i = 0; i < wr.n; i++)
        ids[i] = wr.ids[i];
    if ((c = xa_fstore_export_mark(s, last + 1, out->hash, ids, wr.n, err)) != XA_OK)
        goto done;
    out->path = path;
    path = NULL;
    out->visits = wr.n;
    out->seq = last + 1;
done:
    if (in_txn)
        c = xa_fstore_export_end(s, c, err);
    if (c != XA_OK && published)
        xa_container_unpublish(w); /* only the file we published, if it is still ours */
    if (published) /* recorded, or our file is gone again: the note has served */
        pending_clear(note, last + 1, out->path ? out->path : path);
    if (out->recovered)
        pending_clear(note, out->recovered_seq, out->recovered);
    if (c != XA_OK) {
        memset(out->hash, 0, sizeof out->hash);
        free(out->path);
        free(out->recovered);
        out->path = out->recovered = NULL;
        out->visits = out->recovered_visits = 0;
    }
    xa_container_writer_free(w);
    json_decref(manifest);
    xa_identity_free(office);
    xa_buf_wipe(&wr.line);
    free(wr.ids);
    free(ids);
    free(path);
    free(note);
    return c;
}
