/* export.c (field) — owns writing the field → office bundles: every sealed,
 * not yet exported visit from the field store into xiaoan.bundle/2
 * containers (age to the pinned office and the inspector, zstd, signed JSON
 * Lines), then recording the export in the store.  It sits above store and
 * exchange (like central), so both `xiaoan export` and the TUI call it.
 *
 * Splitting (--max-size, docs/formats.md "Split exports"): the visits go
 * into consecutive bundles (seq, prev chained), each at most max bytes; the
 * next record starts a new bundle when the writer's worst-case size bound
 * with it would pass the limit.  An attachment is never cut: one larger
 * than the limit goes alone (with its visit's record) into its own bundle.
 * A visit whose attachments end up in several bundles has its record in
 * each of them, followed by a "carry" record naming the attachments that
 * bundle carries.  Each attachment streams from the field store in pieces
 * (one piece in memory).
 *
 * One export is one write transaction of the field store, from listing the
 * visits to marking them (two exports at once cannot both take them).  All
 * bundles are written under temporary names first; then a note,
 * export.pending in the home, lists every bundle and where it goes; then
 * they are published in order with link() (never over another file); then
 * marked.  A crash after the note leaves it and a published prefix of the
 * bundles; the next export adopts those files (our own signature, the next
 * seqs, the next visits — a visit only once every attachment it lists is in
 * an adopted bundle) instead of being blocked by them or writing a second
 * bundle with the same seq.  On any failure only the files this process
 * published are removed. */
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

/* The absolute form of folder dir joined with name (the note must find the
 * bundle from any working directory). */
static char *abs_join(const char *dir, const char *name)
{
    char buf[PATH_MAX];
    if (realpath(dir, buf))
        return xa_path_join(buf, name);
    return xa_path_join(dir, name);
}

/* The manifest of bundle seq with prev ("" = none), in an export of n visits. */
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

/* Raw bytes in one attachment record (base64 in the line: 256 KiB). */
#define PIECE (192 * 1024)
/* An attachment record's line without its data: the keys, the visit and
 * attachment ids, the hash, two integers, the LF (267 bytes at most). */
#define PIECE_OVERHEAD 320

/* Plaintext bytes of the records that carry an attachment of size bytes. */
uint64_t xa_export_attachment_plain(uint64_t size)
{
    uint64_t full = size / PIECE, rem = size % PIECE;
    return full * (4 * (PIECE / 3) + PIECE_OVERHEAD) + (rem ? 4 * ((rem + 2) / 3) + PIECE_OVERHEAD : 0);
}

/* Plaintext bytes of a carry record naming n attachments at most. */
uint64_t xa_export_carry_plain(size_t n)
{
    return 64 + (uint64_t)n * (XA_ID_HEX + 3);
}

/* Should need more plaintext bytes start a new bundle?  Only when the
 * current one already holds a record (a record that is too big alone still
 * goes somewhere: alone) and the file's bound with them passes the limit,
 * or the plaintext would pass what a reader accepts. */
int xa_export_split_here(const xa_export_split *sp, uint64_t bound, uint64_t plain)
{
    return sp->records > 0 && (bound > sp->limit || plain > sp->plain_max);
}

/* --max-size: a number with a unit K, M or G (KB/MB/GB, KiB/MiB/GiB alike:
 * powers of 1024, as the attachment limits), at least 1M and at most 1G. */
xa_code xa_export_max_size_parse(const char *text, uint64_t *out, xa_err *err)
{
    const char *p = text ? text : "";
    uint64_t n = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 12) {
        n = n * 10 + (uint64_t)(*p++ - '0');
        digits++;
    }
    uint64_t unit = 0;
    if (digits && (*p == 'K' || *p == 'k'))
        unit = 1024;
    else if (digits && (*p == 'M' || *p == 'm'))
        unit = 1024 * 1024;
    else if (digits && (*p == 'G' || *p == 'g'))
        unit = 1024 * 1024 * 1024;
    if (unit) {
        p++;
        if ((p[0] == 'i' || p[0] == 'I') && (p[1] == 'B' || p[1] == 'b'))
            p += 2;
        else if (p[0] == 'B' || p[0] == 'b')
            p++;
    }
    if (!digits || !unit || *p)
        return xa_fail(err, XA_EUSAGE,
                       "--max-size '%.40s' is not a size: give a number with a unit, e.g. 100M, "
                       "20MB or 1G",
                       text ? text : "");
    n *= unit;
    if (n < XA_EXPORT_MAX_MIN || n > XA_EXPORT_MAX_MAX)
        return xa_fail(err, XA_EUSAGE, "--max-size '%.40s' is out of range: from 1M to 1G",
                       text);
    *out = n;
    return XA_OK;
}

/* One bundle of the export while it is written. */
struct part {
    xa_container_writer *w;
    char *path;
    int64_t seq;
    char hash[XA_HASH_HEX];
    uint64_t bytes;
    char (*ids)[XA_ID_HEX]; /* the visits complete once this bundle is there */
    size_t nids;
    size_t visits, attachments; /* records it carries */
    int published;
};

/* What write_one needs: where bundles go, the parts so far, a reused line. */
struct writing {
    xa_fstore *s; /* for the attachments' bytes */
    const xa_identity *me;
    const uint8_t *recipients[2];
    const char *dir;
    size_t count;         /* visits of the export (the manifests say so) */
    int64_t first_seq;    /* the first bundle's seq */
    char prev0[XA_HASH_HEX];
    xa_export_split sp;
    struct part *parts;
    size_t nparts, seen;
    xa_buf line;
    uint8_t *buf; /* one piece */
};

/* The bundle being written. */
static struct part *cur(struct writing *wr)
{
    return &wr->parts[wr->nparts - 1];
}

/* Start the next bundle: its seq follows, its prev is the last one's hash. */
static xa_code part_open(struct writing *wr, xa_err *err)
{
    if (wr->first_seq + (int64_t)wr->nparts > XA_SEQ_MAX)
        return xa_fail(err, XA_ELIMIT, "the bundle sequence is at its limit");
    wr->parts = xa_reallocarray(wr->parts, wr->nparts + 1, sizeof *wr->parts);
    struct part *p = &wr->parts[wr->nparts++];
    memset(p, 0, sizeof *p);
    p->seq = wr->first_seq + (int64_t)wr->nparts - 1;
    char name[96];
    snprintf(name, sizeof name, "xiaoan-%s-%04lld.xab", wr->me->fingerprint, (long long)p->seq);
    p->path = abs_join(wr->dir, name);
    const char *prev = wr->nparts > 1 ? wr->parts[wr->nparts - 2].hash : wr->prev0;
    json_t *m = manifest_of(wr->me, p->seq, prev, wr->count);
    xa_code c = xa_container_create(p->path, wr->recipients, 2, &p->w, err);
    if (c == XA_OK)
        c = xa_container_manifest(p->w, m, wr->me->sign_pk, err);
    json_decref(m);
    wr->sp.records = 0;
    return c;
}

/* Finish the current bundle under its temporary name. */
static xa_code part_close(struct writing *wr, xa_err *err)
{
    struct part *p = cur(wr);
    xa_code c = xa_container_finish_ex(p->w, wr->me->sec->sign_sk, XA_CONTAINER_KEEP, err);
    if (c == XA_OK)
        memcpy(p->hash, xa_container_written(p->w, &p->bytes), XA_HASH_HEX);
    return c;
}

/* Does a record of plain more bytes belong in the next bundle? */
static xa_code need_new(struct writing *wr, uint64_t more, int *yes, xa_err *err)
{
    uint64_t bound;
    xa_code c = xa_container_size_bound(cur(wr)->w, more, &bound, err);
    *yes = c == XA_OK &&
           xa_export_split_here(&wr->sp, bound, xa_container_plain_bytes(cur(wr)->w) + more);
    return c;
}

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

/* Stream attachment entry e of visit id into the current bundle. */
static xa_code write_attachment(struct writing *wr, const char *id, const json_t *e, xa_err *err)
{
    struct piece p = {.w = cur(wr)->w, .visit = id, .entry = e, .buf = wr->buf};
    int64_t size = 0;
    xa_code c = xa_fstore_attach_read(wr->s, id, json_string_value(json_object_get(e, "id")),
                                      piece_sink, &p, &size, err);
    if (c == XA_OK)
        c = piece_flush(&p, err);
    if (c == XA_OK && size != json_integer_value(json_object_get(e, "size")))
        c = xa_fail(err, XA_ECRYPTO, "attachment %s has another size in the store",
                    json_string_value(json_object_get(e, "id")));
    sodium_memzero(wr->buf, PIECE);
    cur(wr)->attachments++;
    wr->sp.records++;
    return c;
}

/* {"type":"carry","visit":id,"ids":[the attachments this bundle carries]}. */
static xa_code write_carry(struct writing *wr, const char *id, const json_t *ids, xa_err *err)
{
    json_t *rec = json_pack("{s:s, s:s, s:O}", "type", "carry", "visit", id, "ids", ids);
    xa_code c = xa_container_add(cur(wr)->w, rec, err);
    json_decref(rec);
    return c;
}

/* The visit's record line into the current bundle. */
static xa_code write_visit_line(struct writing *wr, xa_err *err)
{
    xa_code c = xa_container_add_canonical(cur(wr)->w, wr->line.data, wr->line.len, err);
    cur(wr)->visits++;
    wr->sp.records++;
    return c;
}

/* The attachments array of a canonical document, or NULL when it lists
 * none (found without a parse: most visits have none). */
static xa_code attachments_of(const char *canon, size_t len, json_t **doc, xa_err *err)
{
    static const char key[] = "\"attachments\":[{";
    *doc = NULL;
    for (size_t i = 0; i + sizeof key - 1 <= len; i++)
        if (canon[i] == '"' && !memcmp(canon + i, key, sizeof key - 1))
            return xa_json_parse(canon, len, 64, doc, err);
    return XA_OK;
}

/* An xa_sealed_canon_fn: the visit's stored canonical bytes become its
 * record line as they are (no parse, no re-serialisation: issue 17), its
 * attachments follow; a new bundle starts where the limit says. */
static xa_code write_one(const char *id, int64_t seq, const char *canon, size_t len,
                         const uint8_t sig[XA_SIG_BYTES], void *ctx, xa_err *err)
{
    (void)seq;
    struct writing *wr = ctx;
    if (wr->seen == wr->count) /* more than were counted: the store changed under us */
        return xa_fail(err, XA_ESTATE, "the field store changed during the export");
    wr->line.len = 0;
    xa_visit_record_line(canon, len, sig, &wr->line);
    json_t *doc = NULL, *carried = json_array();
    xa_code c = attachments_of(canon, len, &doc, err);
    const json_t *atts = json_object_get(doc, "attachments");
    size_t nat = json_array_size(atts);
    uint64_t carry = nat ? xa_export_carry_plain(nat) : 0;
    int split = 0, yes = 0;
    /* the record goes where its first attachment fits too */
    uint64_t first = nat ? xa_export_attachment_plain((uint64_t)json_integer_value(
                               json_object_get(json_array_get(atts, 0), "size"))) + carry
                         : 0;
    if (c == XA_OK)
        c = need_new(wr, wr->line.len + 1 + first, &yes, err);
    if (c == XA_OK && yes && (c = part_close(wr, err)) == XA_OK)
        c = part_open(wr, err);
    if (c == XA_OK)
        c = write_visit_line(wr, err);
    for (size_t i = 0; c == XA_OK && i < nat; i++) {
        const json_t *e = json_array_get(atts, i);
        if (i > 0) {
            uint64_t more = xa_export_attachment_plain(
                                (uint64_t)json_integer_value(json_object_get(e, "size"))) + carry;
            if ((c = need_new(wr, more, &yes, err)) != XA_OK)
                break;
            if (yes) { /* the rest of this visit's files go on in the next bundle */
                if ((c = write_carry(wr, id, carried, err)) != XA_OK ||
                    (c = part_close(wr, err)) != XA_OK || (c = part_open(wr, err)) != XA_OK ||
                    (c = write_visit_line(wr, err)) != XA_OK)
                    break;
                json_array_clear(carried);
                split = 1;
            }
        }
        if ((c = write_attachment(wr, id, e, err)) == XA_OK)
            json_array_append(carried, json_object_get(e, "id"));
    }
    if (c == XA_OK && split)
        c = write_carry(wr, id, carried, err);
    json_decref(carried);
    json_decref(doc);
    if (c != XA_OK) {
        xa_err_prefix(err, "visit %s", id);
        return c;
    }
    /* the visit is whole once the bundle that carries its last part is there */
    struct part *p = cur(wr);
    p->ids = xa_reallocarray(p->ids, p->nids + 1, sizeof *p->ids);
    memcpy(p->ids[p->nids++], id, XA_ID_HEX);
    wr->seen++;
    return XA_OK;
}

/* Reading an interrupted export's bundles: the visits they hold, and for a
 * visit split over several of them, which of its attachments came so far. */
struct orphan_visit {
    char id[XA_ID_HEX];
    json_t *want; /* the ids of the attachments its document lists */
    json_t *have; /* the ids the adopted bundles carry */
    int done;     /* marked */
    int in_part;  /* its record is in the bundle being read */
    int carry;    /* ... with a carry record there */
};
struct orphan {
    const xa_identity *me;
    struct orphan_visit *v;
    size_t n;
    size_t last; /* the visit whose record came last in the bundle being read */
};

/* The reader's sender check: only our own key. */
static int sender_is_me(const uint8_t pk[32], const char *fp, const char *created, void *ctx)
{
    (void)created;
    const struct orphan *o = ctx;
    return memcmp(pk, o->me->sign_pk, 32) == 0 && strcmp(fp, o->me->fingerprint) == 0;
}

/* Each visit record of the orphan is one of our signed visits (whether the
 * store still waits to export it is checked when it is marked); a carry
 * record says which of the last visit's attachments the bundle holds. */
static xa_code orphan_record(const json_t *rec, size_t lineno, void *ctx, xa_err *err)
{
    (void)lineno;
    struct orphan *o = ctx;
    const char *type = json_string_value(json_object_get(rec, "type"));
    if (type && !strcmp(type, "attachment"))
        return XA_OK; /* signed with the rest; the office checks its bytes */
    if (type && !strcmp(type, "carry")) {
        const char *visit = json_string_value(json_object_get(rec, "visit"));
        if (o->last >= o->n || !visit || strcmp(visit, o->v[o->last].id) ||
            !json_is_array(json_object_get(rec, "ids")))
            return xa_fail(err, XA_EFORMAT, "a carry record does not follow its visit");
        struct orphan_visit *ov = &o->v[o->last];
        ov->carry = 1;
        json_array_extend(ov->have, json_object_get(rec, "ids"));
        return XA_OK;
    }
    xa_visit_verified v;
    xa_code c = xa_visit_verify_record(rec, o->me->sign_pk, &v, err);
    if (c != XA_OK)
        return c;
    size_t i = 0;
    while (i < o->n && strcmp(o->v[i].id, v.id))
        i++;
    if (i == o->n) {
        o->v = xa_reallocarray(o->v, o->n + 1, sizeof *o->v);
        struct orphan_visit *ov = &o->v[o->n++];
        memset(ov, 0, sizeof *ov);
        memcpy(ov->id, v.id, XA_ID_HEX);
        ov->want = json_array();
        ov->have = json_array();
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(json_object_get(rec, "doc"), "attachments"), k, e)
            json_array_append(ov->want, json_object_get(e, "id"));
    }
    o->v[i].in_part = 1;
    o->last = i;
    return XA_OK;
}

/* Are all of a visit's attachments among those the adopted bundles carry? */
static int orphan_whole(const struct orphan_visit *ov)
{
    size_t i, j;
    json_t *w, *h;
    json_array_foreach(ov->want, i, w)
    {
        int found = 0;
        json_array_foreach(ov->have, j, h) found |= json_equal(w, h);
        if (!found)
            return 0;
    }
    return 1;
}

/* Free what the orphan reading kept. */
static void orphan_clear(struct orphan *o)
{
    for (size_t i = 0; i < o->n; i++) {
        json_decref(o->v[i].want);
        json_decref(o->v[i].have);
    }
    free(o->v);
    memset(o, 0, sizeof *o);
}

/* Is the file at path our bundle seq (last + 1, chained to prev) of visits
 * that wait for export?  Then record it in the open export transaction:
 * the visits it completes (every attachment of theirs in this or an
 * earlier adopted bundle) are marked; *adopted is how many, hash its file
 * hash. */
static xa_code adopt(xa_fstore *s, const char *path, struct orphan *o, int64_t seq,
                     const char *prev, size_t *adopted, char hash[XA_HASH_HEX], xa_err *err)
{
    *adopted = 0;
    const xa_identity *me = xa_fstore_identity(s);
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return xa_fail(err, XA_ENOTFOUND, "%s is not a file", path);
    xa_age_identity *aid = NULL;
    xa_container_reader *r = NULL;
    o->me = me;
    o->last = (size_t)-1;
    for (size_t i = 0; i < o->n; i++)
        o->v[i].in_part = o->v[i].carry = 0;
    size_t before = o->n;
    json_t **had = xa_calloc(before ? before : 1, sizeof *had);
    for (size_t i = 0; i < before; i++) /* what to go back to if it is not ours */
        had[i] = json_copy(o->v[i].have);
    xa_code c = xa_age_identity_from_secret(me->sec->age_sk, &aid, err);
    const xa_age_identity *ids[1] = {aid};
    if (c == XA_OK)
        c = xa_container_open(path, ids, 1, XA_BUNDLE_FORMAT, NULL, &r, err);
    if (c == XA_OK)
        c = xa_container_verify(r, sender_is_me, o, err);
    if (c == XA_OK) {
        const json_t *m = xa_container_manifest_of(r);
        const json_t *jp = json_object_get(m, "prev");
        const char *mprev = json_is_string(jp) ? json_string_value(jp) : "";
        if (json_integer_value(json_object_get(m, "seq")) != seq || strcmp(mprev, prev) != 0)
            c = xa_fail(err, XA_ESTATE, "it is not bundle %lld after the last export",
                        (long long)seq);
    }
    if (c == XA_OK)
        c = xa_container_records(r, orphan_record, o, err);
    size_t seen = 0;
    for (size_t i = 0; i < o->n; i++)
        seen += o->v[i].in_part;
    if (c == XA_OK && seen == 0)
        c = xa_fail(err, XA_ESTATE, "it holds no visit");
    if (c == XA_OK) {
        const char **idp = xa_calloc(o->n, sizeof *idp);
        size_t k = 0;
        for (size_t i = 0; i < o->n; i++) {
            struct orphan_visit *ov = &o->v[i];
            if (ov->in_part && !ov->carry) /* the bundle holds all of its files */
                json_array_extend(ov->have, ov->want);
            if (!ov->done && ov->in_part && orphan_whole(ov))
                idp[k++] = ov->id;
        }
        memcpy(hash, xa_container_info_of(r)->file_hash, XA_HASH_HEX);
        c = xa_fstore_export_mark(s, seq, hash, idp, k, err);
        for (size_t i = 0; c == XA_OK && i < k; i++)
            for (size_t j = 0; j < o->n; j++)
                if (idp[i] == o->v[j].id)
                    o->v[j].done = 1;
        if (c == XA_OK)
            *adopted = k;
        free(idp);
    }
    if (c != XA_OK) { /* not ours after all: forget what it said */
        for (size_t i = before; i < o->n; i++) {
            json_decref(o->v[i].want);
            json_decref(o->v[i].have);
        }
        o->n = before;
        for (size_t i = 0; i < before; i++) {
            json_decref(o->v[i].have);
            o->v[i].have = had[i];
            had[i] = NULL;
        }
    }
    for (size_t i = 0; i < before; i++)
        json_decref(had[i]);
    free(had);
    xa_container_close(r);
    xa_age_identity_free(aid);
    return c;
}

/* The path the pending note names for bundle seq, else NULL (a stale or
 * unreadable note is only removed: it is a hint, the store is the truth).
 * The note is {"parts":[{"seq","path"}…]} ({"seq","path"} before splitting). */
static char *pending_path(const char *note, int64_t seq)
{
    xa_buf b = XA_BUF_INIT;
    json_t *j = NULL;
    char *path = NULL;
    if (xa_read_file(note, 1 << 20, &b, NULL) == XA_OK &&
        xa_json_parse(b.data, b.len, 4, &j, NULL) == XA_OK) {
        json_t *parts = json_object_get(j, "parts");
        size_t i;
        json_t *p;
        if (json_integer_value(json_object_get(j, "seq")) == seq &&
            json_is_string(json_object_get(j, "path")))
            path = xa_strdup(json_string_value(json_object_get(j, "path")));
        json_array_foreach(parts, i, p)
        {
            if (!path && json_integer_value(json_object_get(p, "seq")) == seq &&
                json_is_string(json_object_get(p, "path")))
                path = xa_strdup(json_string_value(json_object_get(p, "path")));
        }
    }
    json_decref(j);
    xa_buf_clear(&b);
    return path;
}

/* Repair after an interrupted export: the bundles last + 1, last + 2, …
 * that were published but never recorded (named by the pending note, or at
 * the names this export would use in dir) are adopted: the visits they hold
 * whole are marked exported inside this transaction and last/prev move on.
 * out gets their paths. */
static xa_code repair(xa_fstore *s, const char *note, const char *dir, size_t *waiting,
                      int64_t *last, char prev[XA_HASH_HEX], xa_export_result *out, xa_err *err)
{
    struct orphan o = {0};
    xa_code c = XA_OK;
    int more = 1;
    while (more && c == XA_OK && *last < XA_SEQ_MAX) {
        char name[96];
        snprintf(name, sizeof name, "xiaoan-%s-%04lld.xab", xa_fstore_identity(s)->fingerprint,
                 (long long)(*last + 1));
        char *cand[2] = {pending_path(note, *last + 1), abs_join(dir, name)};
        more = 0;
        for (int i = 0; i < 2 && c == XA_OK && !more; i++) {
            struct stat st;
            if (!cand[i] || lstat(cand[i], &st) != 0)
                continue;
            size_t n;
            char hash[XA_HASH_HEX];
            xa_err e2;
            xa_code a = adopt(s, cand[i], &o, *last + 1, prev, &n, hash, &e2);
            if (a == XA_ENOSPC || a == XA_EDB) { /* the store failed, not the file */
                if (err)
                    *err = e2;
                c = a;
            } else if (a == XA_OK) {
                out->recovered_parts = xa_reallocarray(
                    out->recovered_parts, out->nrecovered + 1, sizeof *out->recovered_parts);
                xa_export_part *rp = &out->recovered_parts[out->nrecovered++];
                memset(rp, 0, sizeof *rp);
                rp->path = cand[i];
                cand[i] = NULL;
                rp->seq = *last + 1;
                rp->visits = n;
                memcpy(rp->hash, hash, XA_HASH_HEX);
                rp->bytes = (uint64_t)st.st_size;
                *last += 1;
                memcpy(prev, hash, XA_HASH_HEX);
                *waiting -= n;
                more = 1;
            }
        }
        free(cand[0]);
        free(cand[1]);
    }
    orphan_clear(&o);
    if (out->nrecovered) {
        out->recovered = xa_strdup(out->recovered_parts[0].path);
        out->recovered_seq = out->recovered_parts[0].seq;
        for (size_t i = 0; i < out->nrecovered; i++)
            out->recovered_visits += out->recovered_parts[i].visits;
    }
    return c;
}

/* Write the pending note: the bundles about to be published, in order. */
static xa_code pending_write(const char *note, const struct part *p, size_t n, xa_err *err)
{
    json_t *parts = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(parts, json_pack("{s:I, s:s}", "seq", (json_int_t)p[i].seq,
                                               "path", p[i].path));
    json_t *j = json_pack("{s:o}", "parts", parts);
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

/* Free a result's paths. */
static void parts_free(xa_export_part *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i].path);
    free(p);
}

/* Free the paths of a result. */
void xa_export_result_clear(xa_export_result *out)
{
    if (!out)
        return;
    free(out->path);
    free(out->recovered);
    parts_free(out->parts, out->nparts);
    parts_free(out->recovered_parts, out->nrecovered);
    memset(out, 0, sizeof *out);
}

/* Export every sealed, unexported visit in bundles of the default size. */
xa_code xa_field_export(xa_fstore *s, const char *dir, xa_export_result *out, xa_err *err)
{
    return xa_field_export_ex(s, dir, XA_EXPORT_MAX_DEFAULT, out, err);
}

/* Export every sealed, unexported visit in bundles of at most max bytes. */
xa_code xa_field_export_ex(xa_fstore *s, const char *dir, uint64_t max, xa_export_result *out,
                           xa_err *err)
{
    memset(out, 0, sizeof *out);
    const xa_identity *me = xa_fstore_identity(s);
    struct writing wr;
    memset(&wr, 0, sizeof wr);
    wr.s = s;
    wr.me = me;
    wr.line = (xa_buf)XA_BUF_INIT;
    xa_container_limits lim;
    xa_container_limits_default(&lim);
    wr.sp.limit = max;
    wr.sp.plain_max = lim.max_plain;
    size_t count = 0;
    xa_identity *office = NULL;
    const char **ids = NULL;
    char *note = xa_path_join(xa_fstore_home(s), PENDING_NAME);
    int64_t last = 0;
    char prev[XA_HASH_HEX];
    int in_txn = 0, noted = 0;
    xa_code c;
    if (!dir || !*dir)
        dir = ".";
    wr.dir = dir;
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
    if ((c = repair(s, note, dir, &count, &last, prev, out, err)) != XA_OK || count == 0)
        goto done;
    if (last < 0 || last >= XA_SEQ_MAX) { /* last + 1 must stay in range */
        c = xa_fail(err, XA_ELIMIT, "the bundle sequence is at its limit");
        goto done;
    }
    wr.recipients[0] = office->age_pk;
    wr.recipients[1] = me->age_pk;
    wr.count = count;
    wr.first_seq = last + 1;
    memcpy(wr.prev0, prev, XA_HASH_HEX);
    wr.buf = xa_malloc(PIECE);
    if ((c = part_open(&wr, err)) != XA_OK ||
        (c = xa_fstore_unexported_each(s, write_one, &wr, err)) != XA_OK)
        goto done;
    if (wr.seen != count) {
        c = xa_fail(err, XA_ESTATE, "the field store changed during the export");
        goto done;
    }
    if ((c = part_close(&wr, err)) != XA_OK)
        goto done;
    /* every bundle is complete: say where they go, publish them in order */
    if ((c = pending_write(note, wr.parts, wr.nparts, err)) != XA_OK)
        goto done;
    noted = 1;
    for (size_t i = 0; i < wr.nparts; i++) {
        if ((c = xa_container_publish(wr.parts[i].w, err)) != XA_OK)
            goto done;
        wr.parts[i].published = 1;
        if (xa_field_export_published_hook)
            xa_field_export_published_hook(wr.parts[i].path);
    }
    for (size_t i = 0; i < wr.nparts; i++) {
        struct part *p = &wr.parts[i];
        free(ids);
        ids = xa_calloc(p->nids ? p->nids : 1, sizeof *ids);
        for (size_t k = 0; k < p->nids; k++)
            ids[k] = p->ids[k];
        if ((c = xa_fstore_export_mark(s, p->seq, p->hash, ids, p->nids, err)) != XA_OK)
            goto done;
    }
    out->parts = xa_calloc(wr.nparts, sizeof *out->parts);
    out->nparts = wr.nparts;
    for (size_t i = 0; i < wr.nparts; i++) {
        struct part *p = &wr.parts[i];
        xa_export_part *o = &out->parts[i];
        o->path = xa_strdup(p->path);
        o->seq = p->seq;
        memcpy(o->hash, p->hash, XA_HASH_HEX);
        o->bytes = p->bytes;
        o->visits = p->visits;
        o->attachments = p->attachments;
        o->alone = p->bytes > max;
    }
    out->path = xa_strdup(wr.parts[0].path);
    out->seq = wr.parts[0].seq;
    memcpy(out->hash, wr.parts[0].hash, XA_HASH_HEX);
    out->visits = count;
done:
    if (in_txn)
        c = xa_fstore_export_end(s, c, err);
    for (size_t i = 0; i < wr.nparts; i++)
        if (c != XA_OK && wr.parts[i].published)
            xa_container_unpublish(wr.parts[i].w); /* only files we published, still ours */
    if (noted) /* recorded, or our files are gone again: the note has served */
        pending_clear(note, wr.parts[0].seq, wr.parts[0].path);
    if (out->recovered)
        pending_clear(note, out->recovered_seq, out->recovered);
    if (c != XA_OK) {
        xa_export_result_clear(out);
    }
    for (size_t i = 0; i < wr.nparts; i++) {
        xa_container_writer_free(wr.parts[i].w);
        free(wr.parts[i].path);
        free(wr.parts[i].ids);
    }
    free(wr.parts);
    if (wr.buf) {
        sodium_memzero(wr.buf, PIECE);
        free(wr.buf);
    }
    xa_identity_free(office);
    xa_buf_wipe(&wr.line);
    free(ids);
    free(note);
    return c;
}
