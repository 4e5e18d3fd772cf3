/* merge_attach.c — owns receiving a bundle's attachment records at the
 * office (docs/formats.md "Attachment records"): every piece is checked
 * against the entry of the signed visit document it names (same bundle),
 * written to a temporary file and hashed while it streams; an attachment
 * whose bytes do not hash to the signed BLAKE2b-256 or size, a piece out of
 * order, or an entry the bundle does not carry makes the whole bundle
 * rejected (the merge's transaction rolls back, the file goes to
 * quarantine).  Only when every record passed are the files published in
 * the office's content-addressed folder STORE.attachments/HH/HASH (0600,
 * folders 0700; the same bytes are kept once); on a failure the files this
 * merge published are removed again.  One piece in memory at a time.
 *
 * A split export (docs/formats.md "Split exports"): a "carry" record after a
 * visit's attachments says which of them this bundle carries; exactly those
 * must arrive whole, the others are left for their own bundle (and counted
 * as waiting while the office does not have their bytes yet). */
#include "merge_int.h"

#include "xiaoan/central.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One expected attachment of a visit of this bundle. */
struct rx_item {
    char visit[XA_ID_HEX], id[XA_ID_HEX], hash[XA_HASH_HEX];
    int64_t size, got;
    int fd;          /* the temporary file while it arrives, else -1 */
    char *tmp;       /* its name */
    int done;        /* every byte arrived and matched */
    int elsewhere;   /* a carry record left it to another bundle */
    crypto_generichash_state hs;
};

struct xa_att_rx {
    char *dir; /* STORE.attachments */
    struct rx_item *v;
    size_t n, cap;
    size_t group;     /* the items of the last visit record start here */
    char last[XA_ID_HEX]; /* that visit ("" before the first) */
    int carried;      /* a carry record for it came */
    char **published; /* files this merge created (removed on failure) */
    size_t npub;
};

/* The folder of a store's attachments: STORE.attachments (a new string). */
char *xa_cstore_attachments_dir(const char *store_path)
{
    return xa_asprintf("%s.attachments", store_path);
}

/* The path of the attachment with this hash under dir (a new string). */
char *xa_attachment_path(const char *dir, const char *hash)
{
    return xa_asprintf("%s/%.2s/%s", dir, hash, hash);
}

/* A receiver for one bundle. */
struct xa_att_rx *xa__att_rx_new(const char *store_path)
{
    struct xa_att_rx *rx = xa_calloc(1, sizeof *rx);
    rx->dir = xa_cstore_attachments_dir(store_path);
    return rx;
}

/* Expect the attachments of a verified visit document. */
xa_code xa__att_rx_visit(struct xa_att_rx *rx, const xa_visit_view *v, xa_err *err)
{
    (void)err;
    const char *visit = v->id;
    rx->group = rx->n;
    snprintf(rx->last, sizeof rx->last, "%s", visit ? visit : "");
    rx->carried = 0;
    for (size_t i = 0; i < v->nattachments; i++) {
        const xa_vview_attachment *e = &v->attachments[i];
        if (rx->n == rx->cap) {
            rx->cap = rx->cap ? 2 * rx->cap : 8;
            rx->v = xa_reallocarray(rx->v, rx->cap, sizeof *rx->v);
        }
        struct rx_item *it = &rx->v[rx->n++];
        memset(it, 0, sizeof *it);
        it->fd = -1;
        snprintf(it->visit, sizeof it->visit, "%s", visit);
        snprintf(it->id, sizeof it->id, "%s", e->id);
        snprintf(it->hash, sizeof it->hash, "%s", e->hash);
        it->size = e->size;
    }
    return XA_OK;
}

/* The expected item (visit, id), or NULL. */
static struct rx_item *find(struct xa_att_rx *rx, const char *visit, const char *id)
{
    for (size_t i = 0; i < rx->n; i++)
        if (!strcmp(rx->v[i].visit, visit) && !strcmp(rx->v[i].id, id))
            return &rx->v[i];
    return NULL;
}

/* One attachment record: {"type":"attachment","visit","id","hash","size","offset","data"}. */
xa_code xa__att_rx_piece(struct xa_att_rx *rx, const json_t *rec, size_t lineno, xa_err *err)
{
    const char *visit = json_string_value(json_object_get(rec, "visit"));
    const char *id = json_string_value(json_object_get(rec, "id"));
    const char *hash = json_string_value(json_object_get(rec, "hash"));
    const char *data = json_string_value(json_object_get(rec, "data"));
    json_t *js = json_object_get(rec, "size"), *jo = json_object_get(rec, "offset");
    if (!visit || !id || !hash || !data || !json_is_integer(js) || !json_is_integer(jo) ||
        json_object_size(rec) != 7)
        return xa_fail(err, XA_EFORMAT, "record %zu: not an attachment record", lineno);
    struct rx_item *it = find(rx, visit, id);
    if (!it)
        return xa_fail(err, XA_EFORMAT,
                       "record %zu: attachment %.40s is not listed by a visit of the bundle",
                       lineno, id);
    if (it->elsewhere)
        return xa_fail(err, XA_EFORMAT,
                       "record %zu: attachment %.40s is not among those its carry record lists",
                       lineno, id);
    if (strcmp(it->hash, hash) || json_integer_value(js) != it->size)
        return xa_fail(err, XA_EDIFF,
                       "attachment %s of visit %s: its record names another hash or size than "
                       "the signed visit",
                       id, visit);
    if (it->done || json_integer_value(jo) != it->got)
        return xa_fail(err, XA_EFORMAT, "record %zu: attachment %s: a piece out of order",
                       lineno, id);
    size_t dlen = json_string_length(json_object_get(rec, "data"));
    size_t cap = dlen / 4 * 3 + 3;
    uint8_t *buf = xa_malloc(cap ? cap : 1);
    size_t n = 0;
    if (sodium_base642bin(buf, cap, data, dlen, NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        n == 0 || (int64_t)n > it->size - it->got) {
        free(buf);
        return xa_fail(err, XA_EDIFF, "attachment %s of visit %s: more bytes than signed or bad "
                                      "data in record %zu",
                       id, visit, lineno);
    }
    xa_code c = XA_OK;
    if (it->fd < 0) {
        if ((c = xa_mkdir_p(rx->dir, 0700, err)) != XA_OK) {
            free(buf);
            return c;
        }
        it->tmp = xa_asprintf("%s/.in-%s-%s", rx->dir, it->id, it->visit);
        unlink(it->tmp); /* a leftover of a crashed merge */
        it->fd = open(it->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (it->fd < 0) {
            free(buf);
            return xa_fail_errno(err, XA_EIO, "cannot write %s", it->tmp);
        }
        crypto_generichash_init(&it->hs, NULL, 0, XA_HASH_BYTES);
    }
    crypto_generichash_update(&it->hs, buf, n);
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(it->fd, buf + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            c = xa_fail_errno(err, errno == ENOSPC ? XA_ENOSPC : XA_EIO, "writing %s", it->tmp);
            break;
        }
        off += (size_t)w;
    }
    free(buf);
    if (c != XA_OK)
        return c;
    it->got += (int64_t)n;
    if (it->got == it->size) {
        uint8_t h[XA_HASH_BYTES];
        char hex[XA_HASH_HEX];
        crypto_generichash_final(&it->hs, h, sizeof h);
        xa_hex_encode(h, sizeof h, hex);
        if (fsync(it->fd) != 0 || close(it->fd) != 0) {
            it->fd = -1;
            return xa_fail_errno(err, XA_EIO, "writing %s", it->tmp);
        }
        it->fd = -1;
        if (strcmp(hex, it->hash))
            return xa_fail(err, XA_EDIFF,
                           "attachment %s of visit %s does not match its signed hash (one "
                           "wrong byte is enough)",
                           id, visit);
        it->done = 1;
    }
    return XA_OK;
}

/* A carry record {"type":"carry","visit","ids":[…]} right after the last
 * visit's attachments: this bundle carries those ids (listed by the visit,
 * each once, at least one) and no others of that visit. */
xa_code xa__att_rx_carry(struct xa_att_rx *rx, const json_t *rec, size_t lineno, xa_err *err)
{
    const char *visit = json_string_value(json_object_get(rec, "visit"));
    const json_t *ids = json_object_get(rec, "ids");
    if (!visit || !json_is_array(ids) || json_array_size(ids) == 0 || json_object_size(rec) != 3)
        return xa_fail(err, XA_EFORMAT, "record %zu: not a carry record", lineno);
    if (!rx->last[0] || strcmp(visit, rx->last) || rx->carried)
        return xa_fail(err, XA_EFORMAT,
                       "record %zu: a carry record that does not follow its visit's record",
                       lineno);
    rx->carried = 1;
    for (size_t i = rx->group; i < rx->n; i++)
        rx->v[i].elsewhere = 1;
    size_t k;
    json_t *e;
    json_array_foreach(ids, k, e)
    {
        const char *id = json_string_value(e);
        struct rx_item *it = NULL;
        for (size_t i = rx->group; id && !it && i < rx->n; i++)
            if (!strcmp(rx->v[i].id, id))
                it = &rx->v[i];
        if (!it)
            return xa_fail(err, XA_EFORMAT,
                           "record %zu: the carry record names %.40s, which visit %s does not "
                           "list",
                           lineno, id ? id : "?", visit);
        if (!it->elsewhere)
            return xa_fail(err, XA_EFORMAT, "record %zu: the carry record names %s twice",
                           lineno, id);
        it->elsewhere = 0;
    }
    for (size_t i = rx->group; i < rx->n; i++)
        if (rx->v[i].elsewhere && (rx->v[i].got || rx->v[i].fd >= 0))
            return xa_fail(err, XA_EFORMAT,
                           "record %zu: attachment %s came but the carry record does not list it",
                           lineno, rx->v[i].id);
    return XA_OK;
}

/* After the last record: every expected attachment arrived whole; publish
 * the files under their hash (an existing one is the same bytes).
 * *waiting: attachments left to other bundles whose bytes the office does
 * not have yet. */
xa_code xa__att_rx_finish(struct xa_att_rx *rx, size_t *stored, size_t *waiting, xa_err *err)
{
    *stored = 0;
    *waiting = 0;
    for (size_t i = 0; i < rx->n; i++) {
        if (rx->v[i].elsewhere) {
            char *path = xa_attachment_path(rx->dir, rx->v[i].hash);
            *waiting += !xa_path_exists(path);
            free(path);
            continue;
        }
        if (!rx->v[i].done)
            return xa_fail(err, XA_EDIFF,
                           "visit %s lists attachment %s (%lld bytes) that the bundle does not "
                           "carry whole",
                           rx->v[i].visit, rx->v[i].id, (long long)rx->v[i].size);
    }
    for (size_t i = 0; i < rx->n; i++) {
        struct rx_item *it = &rx->v[i];
        if (it->elsewhere)
            continue;
        char *path = xa_attachment_path(rx->dir, it->hash);
        char *sub = xa_asprintf("%s/%.2s", rx->dir, it->hash);
        xa_code c = xa_mkdir_p(sub, 0700, err);
        free(sub);
        if (c != XA_OK) {
            free(path);
            return c;
        }
        if (link(it->tmp, path) == 0) {
            rx->published = xa_reallocarray(rx->published, rx->npub + 1, sizeof *rx->published);
            rx->published[rx->npub++] = path;
            (*stored)++;
        } else if (errno == EEXIST) {
            free(path); /* content-addressed: the same bytes are already kept */
        } else {
            c = xa_fail_errno(err, XA_EIO, "cannot store %s", path);
            free(path);
            return c;
        }
        unlink(it->tmp);
        free(it->tmp);
        it->tmp = NULL;
    }
    return XA_OK;
}

/* Free a receiver; when the merge failed (ok == 0) remove what it published. */
void xa__att_rx_free(struct xa_att_rx *rx, int ok)
{
    if (!rx)
        return;
    for (size_t i = 0; i < rx->n; i++) {
        if (rx->v[i].fd >= 0)
            close(rx->v[i].fd);
        if (rx->v[i].tmp) {
            unlink(rx->v[i].tmp);
            free(rx->v[i].tmp);
        }
        sodium_memzero(&rx->v[i].hs, sizeof rx->v[i].hs);
    }
    for (size_t i = 0; i < rx->npub; i++) {
        if (!ok)
            unlink(rx->published[i]);
        free(rx->published[i]);
    }
    free(rx->published);
    free(rx->v);
    free(rx->dir);
    free(rx);
}
