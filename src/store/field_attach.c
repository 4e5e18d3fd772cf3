/* field_attach.c — owns the bytes of attachments in field.db (migration 2:
 * tables attachments and attachment_chunks).  A file is stored as libsodium
 * secretstream (XChaCha20-Poly1305) chunks of XA_ATTACH_CHUNK plaintext
 * bytes under a key derived from the data key for this visit and this
 * attachment; every chunk's associated data is visit id ‖ attachment id, the
 * last chunk carries the FINAL tag, so a chunk moved to another attachment,
 * reordered, dropped or cut is refused when read.  Only ids, the stream
 * header, the chunk count and times are in clear.  Writing streams: one
 * chunk of plaintext in memory at a time, inside one write transaction that
 * also saves the document listing the attachment. */
#include "xiaoan/fieldstore.h"

#include "db.h"
#include "field_internal.h"

#include "xiaoan/clock.h"
#include "xiaoan/hkdf.h"
#include "xiaoan/ids.h"
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_KEY crypto_secretstream_xchacha20poly1305_KEYBYTES
#define ATT_INFO "xiaoan attachment v1"

struct xa_fattach_writer {
    xa_fstore *s;
    char visit[XA_ID_HEX], att[XA_ID_HEX];
    crypto_secretstream_xchacha20poly1305_state st;
    uint8_t *plain;  /* XA_ATTACH_CHUNK bytes, wiped */
    size_t have;     /* bytes waiting in plain */
    uint8_t *cipher; /* XA_ATTACH_CHUNK + ABYTES */
    int64_t n;       /* chunks written */
};

/* The key of one attachment: HKDF-SHA-256 of the data key with info
 * "xiaoan attachment v1" ‖ 0 ‖ visit id ‖ attachment id (in secret memory). */
static uint8_t *att_key(const xa_fstore *s, const char *visit, const char *att, xa_err *err)
{
    uint8_t info[sizeof ATT_INFO + 64];
    memcpy(info, ATT_INFO, sizeof ATT_INFO); /* with its 0 byte */
    memcpy(info + sizeof ATT_INFO, visit, 32);
    memcpy(info + sizeof ATT_INFO + 32, att, 32);
    uint8_t *k = xa_secret_alloc(SS_KEY);
    if (xa_hkdf_sha256(k, SS_KEY, NULL, 0, s->id->sec->data_key, XA_DATA_KEY_BYTES, info,
                       sizeof info, err) != XA_OK) {
        xa_secret_free(k);
        return NULL;
    }
    return k;
}

/* Associated data of every chunk: visit id ‖ attachment id (64 ASCII bytes). */
static void att_ad(const char *visit, const char *att, uint8_t ad[64])
{
    memcpy(ad, visit, 32);
    memcpy(ad + 32, att, 32);
}

/* Free a writer's memory (the transaction is the caller's business). */
static void writer_free(xa_fattach_writer *w)
{
    if (!w)
        return;
    sodium_memzero(&w->st, sizeof w->st);
    if (w->plain)
        sodium_memzero(w->plain, XA_ATTACH_CHUNK);
    free(w->plain);
    free(w->cipher);
    free(w);
}

/* Begin storing an attachment of a draft. */
xa_code xa_fstore_attach_begin(xa_fstore *s, const char *visit_id, const char *att_id,
                               xa_fattach_writer **out, xa_err *err)
{
    *out = NULL;
    if (!xa_id_valid(visit_id) || !xa_id_valid(att_id))
        return xa_fail(err, XA_EUSAGE, "not a visit or attachment id");
    const char *what = "storing an attachment";
    xa_code c = db_begin(s->db, what, err);
    if (c != XA_OK)
        return c;
    db_stmt *st;
    int row = 0;
    if ((c = db_first(s->db, &st, &row, what, "SELECT state FROM visits WHERE id = ?",
                      DB_ARGS(db_text(visit_id)), err)) != XA_OK)
        goto fail;
    if (!row)
        c = xa_fail(err, XA_ENOTFOUND, "no visit %s", visit_id);
    else if (strcmp(db_col_text(st, 0), "draft"))
        c = xa_fail(err, XA_ESTATE, "visit %s is %s: attachments can only be added to a draft",
                    visit_id, db_col_text(st, 0));
    db_release(st);
    if (c != XA_OK)
        goto fail;
    xa_fattach_writer *w = xa_calloc(1, sizeof *w);
    w->s = s;
    memcpy(w->visit, visit_id, XA_ID_HEX);
    memcpy(w->att, att_id, XA_ID_HEX);
    w->plain = xa_malloc(XA_ATTACH_CHUNK);
    w->cipher = xa_malloc(XA_ATTACH_CHUNK + SS_ABYTES);
    uint8_t header[SS_HEADER];
    uint8_t *k = att_key(s, visit_id, att_id, err);
    if (!k) {
        writer_free(w);
        c = XA_ECRYPTO;
        goto fail;
    }
    crypto_secretstream_xchacha20poly1305_init_push(&w->st, header, k);
    xa_secret_free(k);
    c = db_exec(s->db, what,
                "INSERT INTO attachments (id, visit, header, chunks, created) "
                "VALUES (?, ?, ?, 0, ?)",
                DB_ARGS(db_text(att_id), db_text(visit_id), db_blob(header, sizeof header),
                        db_int(xa_now())),
                NULL, err);
    if (c != XA_OK) {
        writer_free(w);
        goto fail;
    }
    *out = w;
    return XA_OK;
fail:
    db_rollback(s->db);
    return c;
}

/* Encrypt what waits in plain as chunk n (tag FINAL for the last) and insert it. */
static xa_code flush_chunk(xa_fattach_writer *w, unsigned char tag, xa_err *err)
{
    uint8_t ad[64];
    att_ad(w->visit, w->att, ad);
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(&w->st, w->cipher, &clen, w->plain, w->have, ad,
                                               sizeof ad, tag);
    sodium_memzero(w->plain, w->have);
    w->have = 0;
    xa_code c = db_exec(w->s->db, "storing an attachment",
                        "INSERT INTO attachment_chunks (attachment, n, data) VALUES (?, ?, ?)",
                        DB_ARGS(db_text(w->att), db_int(w->n), db_blob(w->cipher, (size_t)clen)),
                        NULL, err);
    if (c == XA_OK)
        w->n++;
    return c;
}

/* Add bytes. */
xa_code xa_fstore_attach_write(xa_fattach_writer *w, const void *p, size_t n, xa_err *err)
{
    const uint8_t *b = p;
    while (n) {
        if (w->have == XA_ATTACH_CHUNK) {
            xa_code c = flush_chunk(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, err);
            if (c != XA_OK)
                return c;
        }
        size_t k = XA_ATTACH_CHUNK - w->have;
        if (k > n)
            k = n;
        memcpy(w->plain + w->have, b, k);
        w->have += k;
        b += k;
        n -= k;
    }
    return XA_OK;
}

/* Last chunk, the document, commit. */
xa_code xa_fstore_attach_finish(xa_fattach_writer *w, const json_t *doc, int64_t *revision,
                                xa_err *err)
{
    int64_t next = 0;
    xa_fstore *s = w->s;
    const char *what = "storing an attachment";
    xa_code c = flush_chunk(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL, err);
    if (c == XA_OK)
        c = db_exec(s->db, what, "UPDATE attachments SET chunks = ? WHERE id = ?",
                    DB_ARGS(db_int(w->n), db_text(w->att)), NULL, err);
    if (c == XA_OK && strcmp(json_string_value(json_object_get(doc, "id")), w->visit))
        c = xa_fail(err, XA_EUSAGE, "the document is not visit %s", w->visit);
    if (c == XA_OK)
        c = xa__fstore_save_in_tx(s, doc, *revision, &next, err);
    /* The saved document must list what was just stored (the save prunes the rest). */
    if (c == XA_OK) {
        db_stmt *st;
        int row = 0;
        if ((c = db_first(s->db, &st, &row, what, "SELECT 1 FROM attachments WHERE id = ?",
                          DB_ARGS(db_text(w->att)), err)) == XA_OK) {
            db_release(st);
            if (!row)
                c = xa_fail(err, XA_EUSAGE, "the document does not list attachment %s", w->att);
        }
    }
    writer_free(w);
    c = db_end(s->db, c, what, err);
    if (c == XA_OK)
        *revision = next;
    return c;
}

/* Roll back and free. */
void xa_fstore_attach_abort(xa_fattach_writer *w)
{
    if (!w)
        return;
    db_rollback(w->s->db);
    writer_free(w);
}

/* Is id listed in doc's attachments? */
static int listed(const json_t *doc, const char *id)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "attachments"), i, e)
    {
        const char *a = json_string_value(json_object_get(e, "id"));
        if (a && !strcmp(a, id))
            return 1;
    }
    return 0;
}

/* Drop the stored attachments of doc's visit that doc does not list. */
xa_code xa__fstore_attach_prune(xa_fstore *s, const json_t *doc, xa_err *err)
{
    const char *visit = json_string_value(json_object_get(doc, "id"));
    const char *what = "saving a visit";
    db_stmt *st;
    xa_code c = db_query(s->db, &st, what, "SELECT id FROM attachments WHERE visit = ?",
                         DB_ARGS(db_text(visit)), err);
    if (c != XA_OK)
        return c;
    char (*drop)[XA_ID_HEX] = NULL;
    size_t n = 0, cap = 0;
    int row;
    while ((c = db_step(st, &row, err)) == XA_OK && row) {
        const char *id = db_col_text(st, 0);
        if (!id || strlen(id) != XA_ID_HEX - 1 || listed(doc, id))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            drop = xa_reallocarray(drop, cap, sizeof *drop);
        }
        memcpy(drop[n++], id, XA_ID_HEX);
    }
    db_release(st);
    for (size_t i = 0; c == XA_OK && i < n; i++)
        c = db_exec(s->db, what, "DELETE FROM attachments WHERE id = ? AND visit = ?",
                    DB_ARGS(db_text(drop[i]), db_text(visit)), NULL, err);
    free(drop);
    return c;
}

/* Decrypt chunk by chunk into sink. */
xa_code xa_fstore_attach_read(xa_fstore *s, const char *visit_id, const char *att_id,
                              xa_fattach_sink sink, void *ctx, int64_t *size, xa_err *err)
{
    const char *what = "reading an attachment";
    if (size)
        *size = 0;
    if (!xa_id_valid(visit_id) || !xa_id_valid(att_id))
        return xa_fail(err, XA_EUSAGE, "not a visit or attachment id");
    uint8_t header[SS_HEADER];
    int64_t chunks = 0;
    db_stmt *st;
    int row = 0;
    xa_code c = db_first(s->db, &st, &row, what,
                         "SELECT header, chunks FROM attachments WHERE id = ? AND visit = ?",
                         DB_ARGS(db_text(att_id), db_text(visit_id)), err);
    if (c != XA_OK)
        return c;
    size_t hlen = 0;
    const void *h = row ? db_col_blob(st, 0, &hlen) : NULL;
    if (row && h && hlen == SS_HEADER) {
        memcpy(header, h, SS_HEADER);
        chunks = db_col_int(st, 1);
    }
    db_release(st);
    if (!row)
        return xa_fail(err, XA_ENOTFOUND, "attachment %s of visit %s is not in the store",
                       att_id, visit_id);
    if (hlen != SS_HEADER || chunks < 1)
        return xa_fail(err, XA_ECRYPTO, "attachment %s: stored record is damaged", att_id);
    crypto_secretstream_xchacha20poly1305_state ss;
    uint8_t *k = att_key(s, visit_id, att_id, err);
    if (!k)
        return XA_ECRYPTO;
    int bad = crypto_secretstream_xchacha20poly1305_init_pull(&ss, header, k) != 0;
    xa_secret_free(k);
    if (bad)
        return xa_fail(err, XA_ECRYPTO, "attachment %s: stored record is damaged", att_id);
    uint8_t ad[64];
    att_ad(visit_id, att_id, ad);
    uint8_t *plain = xa_malloc(XA_ATTACH_CHUNK);
    int64_t n = 0, total = 0;
    int final = 0;
    if ((c = db_query(s->db, &st, what,
                      "SELECT n, data FROM attachment_chunks WHERE attachment = ? ORDER BY n",
                      DB_ARGS(db_text(att_id)), err)) != XA_OK)
        goto done;
    while ((c = db_step(st, &row, err)) == XA_OK && row) {
        size_t clen = 0;
        const uint8_t *ct = db_col_blob(st, 1, &clen);
        unsigned long long plen = 0;
        unsigned char tag = 0;
        if (final || db_col_int(st, 0) != n || !ct || clen < SS_ABYTES ||
            clen > XA_ATTACH_CHUNK + SS_ABYTES ||
            crypto_secretstream_xchacha20poly1305_pull(&ss, plain, &plen, &tag, ct, clen, ad,
                                                       sizeof ad) != 0) {
            c = xa_fail(err, XA_ECRYPTO,
                        "attachment %s: chunk %lld does not decrypt (damaged store?)", att_id,
                        (long long)n);
            break;
        }
        final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        n++;
        total += (int64_t)plen;
        if (plen && (c = sink(ctx, plain, (size_t)plen, err)) != XA_OK)
            break;
    }
    db_release(st);
    if (c == XA_OK && (!final || n != chunks))
        c = xa_fail(err, XA_ECRYPTO, "attachment %s is cut short in the store", att_id);
done:
    sodium_memzero(plain, XA_ATTACH_CHUNK);
    free(plain);
    sodium_memzero(&ss, sizeof ss);
    if (c == XA_OK && size)
        *size = total;
    return c;
}
