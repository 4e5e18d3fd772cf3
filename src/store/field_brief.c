/* field_brief.c — the brief in field.db (fieldstore.h): stored in parts,
 * the pinned office and its check against the brief.
 *
 * A brief may list 20,000 schools and a 1,000-item form; the first screen
 * after unlock needs neither.  So the brief's canonical records are stored
 * split (field store schema 4), each part encrypted with the data key on
 * its own, associated data "xiaoan-brief/PART" ‖ seq (u64 LE):
 *   head     brief.data: every record that is not a school or a form, the
 *            settings first (the home screen, the pin check)
 *   cited    brief_parts: the school records a hazard or an assignment of
 *            the brief names (the names the home screen shows)
 *   forms    brief_parts: the form records
 *   schools  brief_parts: every school record (the school picker)
 * A part is the canonical JSON array of its records in brief order: the
 * records' bytes are cut out of the canonical brief, never re-serialised.
 * A brief stored before schema 4 (brief.parts = 0: one blob of every
 * record, associated data "xiaoan-brief" ‖ seq) is split once, when the
 * store is next opened (xa__fstore_brief_upgrade).
 * Schema 6 adds the compact school table the field module makes from the
 * schools part (field/brief.c), opaque here: rows of brief_table, chunks
 * of 64 KiB each sealed with associated data "xiaoan-brief/table" ‖ seq ‖
 * n ‖ last; a new brief deletes it with the parts.  (Schema 5 kept it as a
 * fifth part, whole; migration 6 drops that one.) */
#include "xiaoan/fieldstore.h"

#include "db.h"
#include "field_internal.h"

#include "xiaoan/age.h"
#include "xiaoan/clock.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHOLE_AD "xiaoan-brief"
#define PART_AD "xiaoan-brief/"
#define AD_MAX 48

static const char *const part_names[XA_BRIEF_NPARTS] = {"head", "cited", "forms", "schools"};

static xa_code brief_seq(xa_fstore *s, int64_t *seq, xa_err *err);

/* Append seq as 8 bytes little-endian. */
static size_t put_seq(uint8_t *ad, size_t n, int64_t seq)
{
    uint64_t r = (uint64_t)seq;
    for (int i = 0; i < 8; i++)
        ad[n++] = (uint8_t)(r >> (8 * i));
    return n;
}

/* Associated data of a part ("xiaoan-brief/PART" ‖ seq); its length. */
static size_t part_ad(xa_brief_part p, int64_t seq, uint8_t ad[AD_MAX])
{
    size_t n = strlen(PART_AD), l = strlen(part_names[p]);
    memcpy(ad, PART_AD, n);
    memcpy(ad + n, part_names[p], l);
    return put_seq(ad, n + l, seq);
}

/* Associated data of a brief stored whole, before schema 4. */
static size_t whole_ad(int64_t seq, uint8_t ad[AD_MAX])
{
    size_t n = strlen(WHOLE_AD);
    memcpy(ad, WHOLE_AD, n);
    return put_seq(ad, n, seq);
}

/* ---- splitting a brief into its parts ---- */

/* A string member of a record's text, unescaped into out; 0 when missing
 * or not a string. */
static int member_str(const char *rec, size_t n, const char *key, xa_buf *out)
{
    size_t pos = 0, klen, vlen, kl = strlen(key);
    const char *k, *v;
    out->len = 0;
    while (xa_json_next_member(rec, n, &pos, &k, &klen, &v, &vlen) == 1)
        if (klen == kl && !memcmp(k, key, kl))
            return v[0] == '"' && xa_json_unescape(v, vlen, out);
    return 0;
}

struct span {
    const char *p;
    size_t n;
    xa_brief_part part;
};

struct splitter {
    struct span *v;
    size_t n, cap;
    char **cited; /* codes named by hazards and assignments */
    size_t ncited, capc;
    xa_buf tmp;
};

/* xa_json_each_element callback: which part a record goes to; the school
 * a hazard or an assignment names. */
static int split_record(void *ctx, const char *rec, size_t n)
{
    struct splitter *S = ctx;
    if (S->n == S->cap) {
        S->cap = S->cap ? S->cap * 2 : 256;
        S->v = xa_reallocarray(S->v, S->cap, sizeof *S->v);
    }
    struct span *sp = &S->v[S->n++];
    sp->p = rec;
    sp->n = n;
    sp->part = XA_BRIEF_HEAD;
    if (!member_str(rec, n, "type", &S->tmp))
        return 0;
    if (!strcmp(S->tmp.data, "school")) {
        sp->part = XA_BRIEF_SCHOOLS;
    } else if (!strcmp(S->tmp.data, "form")) {
        sp->part = XA_BRIEF_FORMS;
    } else if ((!strcmp(S->tmp.data, "hazard") || !strcmp(S->tmp.data, "assignment")) &&
               member_str(rec, n, "school", &S->tmp)) {
        if (S->ncited == S->capc) {
            S->capc = S->capc ? S->capc * 2 : 64;
            S->cited = xa_reallocarray(S->cited, S->capc, sizeof *S->cited);
        }
        S->cited[S->ncited++] = xa_strdup(S->tmp.data);
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Append a record to a part's text ("[" first, "," between). */
static void part_add(xa_buf *part, const char *rec, size_t n)
{
    xa_buf_putc(part, part->len ? ',' : '[');
    xa_buf_add(part, rec, n);
}

/* The parts of the canonical brief text (a JSON array of records); parts[]
 * are the caller's (wiped by it). */
static xa_code split(const char *text, size_t len, xa_buf parts[XA_BRIEF_NPARTS], xa_err *err)
{
    struct splitter S;
    memset(&S, 0, sizeof S);
    xa_code c = XA_OK;
    if (xa_json_each_element(text, len, split_record, &S) != 0) {
        c = xa_fail(err, XA_EDB, "the brief is not a list of records");
        goto done;
    }
    if (S.ncited)
        qsort(S.cited, S.ncited, sizeof *S.cited, cmp_str);
    for (size_t i = 0; i < S.n; i++) {
        struct span *sp = &S.v[i];
        part_add(&parts[sp->part], sp->p, sp->n);
        if (sp->part == XA_BRIEF_SCHOOLS && S.ncited && member_str(sp->p, sp->n, "code", &S.tmp)) {
            const char *key = S.tmp.data;
            if (bsearch(&key, S.cited, S.ncited, sizeof *S.cited, cmp_str))
                part_add(&parts[XA_BRIEF_CITED], sp->p, sp->n);
        }
    }
    for (int p = 0; p < XA_BRIEF_NPARTS; p++) {
        if (!parts[p].len)
            xa_buf_putc(&parts[p], '[');
        xa_buf_putc(&parts[p], ']');
    }
done:
    for (size_t i = 0; i < S.ncited; i++)
        free(S.cited[i]);
    free(S.cited);
    free(S.v);
    xa_buf_wipe(&S.tmp);
    return c;
}

/* The brief row: meta, the sealed head (parts 1) or the whole brief (parts 0,
 * the layout before schema 4), replacing any earlier brief. */
static xa_code brief_row_put(xa_fstore *s, const xa_brief_meta *meta, const uint8_t *nonce,
                             const xa_buf *ct, int parts, xa_err *err)
{
    return db_exec(s->db, "storing the brief",
                   "INSERT OR REPLACE INTO brief (one, seq, hash, created, imported, nonce, data, "
                   "parts) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                   DB_ARGS(db_int(meta->seq), db_text(meta->hash), db_text(meta->created),
                           db_int(xa_now()), db_blob(nonce, XA_FSTORE_NONCE_BYTES),
                           db_blob(ct->data, ct->len), db_int(parts)),
                   NULL, err);
}

/* Write the canonical brief text as parts, inside the caller's transaction:
 * the brief row (a new row with meta, or the existing row updated) and
 * brief_parts. */
static xa_code write_parts(xa_fstore *s, const xa_brief_meta *meta, int new_row, const char *text,
                           size_t len, xa_err *err)
{
    const char *what = "storing the brief";
    xa_buf parts[XA_BRIEF_NPARTS], ct = XA_BUF_INIT;
    for (int p = 0; p < XA_BRIEF_NPARTS; p++)
        xa_buf_init(&parts[p]);
    xa_code c = split(text, len, parts, err);
    if (c == XA_OK)
        c = db_exec(s->db, what, "DELETE FROM brief_parts", DB_NOARGS, NULL, err);
    if (c == XA_OK)
        c = db_exec(s->db, what, "DELETE FROM brief_table", DB_NOARGS, NULL, err);
    for (int p = 0; p < XA_BRIEF_NPARTS && c == XA_OK; p++) {
        uint8_t ad[AD_MAX], nonce[XA_FSTORE_NONCE_BYTES];
        size_t adlen = part_ad((xa_brief_part)p, meta->seq, ad);
        ct.len = 0;
        xa__fstore_seal(s, ad, adlen, &parts[p], nonce, &ct);
        if (p == XA_BRIEF_HEAD && new_row)
            c = brief_row_put(s, meta, nonce, &ct, 1, err);
        else if (p == XA_BRIEF_HEAD)
            c = db_exec(s->db, what,
                        "UPDATE brief SET nonce = ?, data = ?, parts = 1 WHERE one = 1",
                        DB_ARGS(db_blob(nonce, sizeof nonce), db_blob(ct.data, ct.len)), NULL,
                        err);
        else
            c = db_exec(s->db, what, "INSERT INTO brief_parts (part, nonce, data) VALUES (?, ?, ?)",
                        DB_ARGS(db_text(part_names[p]), db_blob(nonce, sizeof nonce),
                                db_blob(ct.data, ct.len)),
                        NULL, err);
    }
    for (int p = 0; p < XA_BRIEF_NPARTS; p++)
        xa_buf_wipe(&parts[p]);
    xa_buf_clear(&ct);
    return c;
}

/* The clear columns of the brief row. */
static const struct db_col brief_cols[] = {
    DB_COL(xa_brief_meta, seq, DB_C_INT64, "seq"),
    DB_COL(xa_brief_meta, hash, DB_C_CHARS, "hash"),
    DB_COL(xa_brief_meta, created, DB_C_CHARS, "created"),
    DB_COL(xa_brief_meta, imported, DB_C_INT64, "imported"),
};
static const struct db_rowtype brief_row = DB_ROWTYPE(xa_brief_meta, brief_cols);

/* Split a brief stored whole (before schema 4), in one transaction. */
xa_code xa__fstore_brief_upgrade(xa_fstore *s, xa_err *err)
{
    const char *what = "converting the stored brief to its parts";
    db_stmt *st;
    int row;
    xa_code c = db_first(s->db, &st, &row, what, "SELECT parts FROM brief WHERE one = 1",
                         DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    int whole = row && db_col_int(st, 0) == 0;
    db_release(st);
    if (!whole)
        return XA_OK;
    if ((c = db_begin(s->db, what, err)) != XA_OK)
        return c;
    xa_buf plain = XA_BUF_INIT;
    c = db_first(s->db, &st, &row, what,
                 "SELECT seq, hash, created, imported, nonce, data, parts FROM brief"
                 " WHERE one = 1",
                 DB_NOARGS, err);
    if (c == XA_OK && row && db_col_int(st, 6) == 0) { /* not split by another process meanwhile */
        xa_brief_meta m;
        db_read(st, &brief_row, &m);
        uint8_t ad[AD_MAX];
        size_t adlen = whole_ad(m.seq, ad), nlen, clen;
        const void *nonce = db_col_blob(st, 4, &nlen);
        const void *ct = db_col_blob(st, 5, &clen);
        c = xa__fstore_unseal(s, ad, adlen, nonce, nlen, ct, clen, &plain, "the brief", err);
        db_release(st);
        if (c == XA_OK)
            c = write_parts(s, &m, 0, plain.data, plain.len, err);
    } else if (c == XA_OK) {
        db_release(st);
    }
    xa_buf_wipe(&plain);
    if ((c = db_end(s->db, c, what, err)) != XA_OK && err)
        xa_err_prefix(err, "%s", what);
    return c;
}

/* ---- reading ---- */

xa_code xa_fstore_brief_part(xa_fstore *s, xa_brief_part part, xa_buf *plain, xa_brief_meta *meta,
                             xa_err *err)
{
    if ((unsigned)part >= XA_BRIEF_NPARTS)
        return xa_fail(err, XA_EUSAGE, "no such part of the brief");
    db_stmt *st;
    int row;
    xa_code c;
    if (part == XA_BRIEF_HEAD)
        c = db_first(s->db, &st, &row, "reading the brief",
                     "SELECT seq, hash, created, imported, nonce, data, parts FROM brief"
                     " WHERE one = 1",
                     DB_NOARGS, err);
    else
        c = db_first(s->db, &st, &row, "reading the brief",
                     "SELECT b.seq, b.hash, b.created, b.imported, p.nonce, p.data, b.parts"
                     " FROM brief b LEFT JOIN brief_parts p ON p.part = ? WHERE b.one = 1",
                     DB_ARGS(db_text(part_names[part])), err);
    if (c != XA_OK)
        return c;
    if (!row) {
        db_release(st);
        return xa_fail(err, XA_ENOTFOUND, "no brief imported yet: run 'xiaoan brief import'");
    }
    xa_brief_meta m;
    db_read(st, &brief_row, &m);
    size_t nlen = 0, clen = 0;
    const void *nonce = db_col_blob(st, 4, &nlen);
    const void *ct = db_col_blob(st, 5, &clen);
    if (db_col_int(st, 6) != 1) {
        c = xa_fail(err, XA_EDB, "the stored brief is not in parts (reopen the store)");
    } else {
        uint8_t ad[AD_MAX];
        size_t adlen = part_ad(part, m.seq, ad);
        c = xa__fstore_unseal(s, ad, adlen, nonce, nlen, ct, clen, plain, "the brief", err);
    }
    db_release(st);
    if (c == XA_OK && meta)
        *meta = m;
    return c;
}

/* A part parsed into a JSON array. */
static xa_code part_json(xa_fstore *s, xa_brief_part part, json_t **out, xa_brief_meta *meta,
                         xa_err *err)
{
    xa_buf plain = XA_BUF_INIT;
    xa_code c = xa_fstore_brief_part(s, part, &plain, meta, err);
    json_t *r = NULL;
    if (c == XA_OK && (c = xa_json_parse(plain.data, plain.len, XA_JSON_MAX_DEPTH, &r, err)) ==
                          XA_OK && !json_is_array(r)) {
        json_decref(r);
        c = xa_fail(err, XA_EDB, "the stored brief is not a list of records");
    }
    xa_buf_wipe(&plain);
    if (c == XA_OK)
        *out = r;
    return c;
}

xa_code xa_fstore_brief_head(xa_fstore *s, json_t **records, xa_brief_meta *meta, xa_err *err)
{
    return part_json(s, XA_BRIEF_HEAD, records, meta, err);
}

/* The whole brief: the first record, the schools, the forms, the rest. */
xa_code xa_fstore_brief_get(xa_fstore *s, json_t **records, xa_brief_meta *meta, xa_err *err)
{
    json_t *head = NULL, *forms = NULL, *schools = NULL;
    xa_brief_meta m;
    xa_code c = part_json(s, XA_BRIEF_HEAD, &head, &m, err);
    if (c == XA_OK)
        c = part_json(s, XA_BRIEF_FORMS, &forms, NULL, err);
    if (c == XA_OK)
        c = part_json(s, XA_BRIEF_SCHOOLS, &schools, NULL, err);
    if (c == XA_OK) {
        json_t *all = json_array();
        if (json_array_size(head))
            json_array_append(all, json_array_get(head, 0));
        json_array_extend(all, schools);
        json_array_extend(all, forms);
        for (size_t i = 1; i < json_array_size(head); i++)
            json_array_append(all, json_array_get(head, i));
        *records = all;
        if (meta)
            *meta = m;
    }
    json_decref(head);
    json_decref(forms);
    json_decref(schools);
    return c;
}

/* ---- the compact school table ---- */

#define TABLE_PART "table"
#define TABLE_CHUNK (64 * 1024)

/* Associated data of chunk n of the school table: "xiaoan-brief/table" ‖
 * seq ‖ n (u64 LE) ‖ last (one byte, 1 on the last chunk): a chunk opens
 * only for its brief, at its place, and a table cut short does not open. */
static size_t table_ad(int64_t seq, int64_t n, int last, uint8_t ad[AD_MAX])
{
    size_t k = strlen(PART_AD), l = strlen(TABLE_PART);
    memcpy(ad, PART_AD, k);
    memcpy(ad + k, TABLE_PART, l);
    k = put_seq(ad, k + l, seq);
    k = put_seq(ad, k, n);
    ad[k++] = (uint8_t)(last != 0);
    return k;
}

xa_code xa_fstore_brief_table(xa_fstore *s, int64_t *seq, xa_brief_table_fn fn, void *ctx,
                              xa_err *err)
{
    const char *what = "reading the school table";
    db_stmt *st;
    xa_code c = db_query(s->db, &st, what,
                         "SELECT b.seq, t.n, t.nonce, t.data FROM brief b JOIN brief_table t"
                         " WHERE b.one = 1 AND b.parts = 1 ORDER BY t.n",
                         DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    xa_buf plain = XA_BUF_INIT;
    int row, last = 0;
    int64_t k = 0, sq = -1;
    while (c == XA_OK && (c = db_step(st, &row, err)) == XA_OK && row) {
        sq = db_col_int(st, 0);
        size_t nlen = 0, clen = 0;
        const void *nonce = db_col_blob(st, 2, &nlen);
        const void *ct = db_col_blob(st, 3, &clen);
        uint8_t ad[AD_MAX];
        if (last || db_col_int(st, 1) != k) {
            c = xa_fail(err, XA_ECRYPTO, "the school table: stored record is damaged");
            break;
        }
        /* Not the last chunk, or the last one: only the right one opens. */
        size_t adlen = table_ad(sq, k, 0, ad);
        if (xa__fstore_unseal(s, ad, adlen, nonce, nlen, ct, clen, &plain, what, NULL) != XA_OK) {
            adlen = table_ad(sq, k, 1, ad);
            c = xa__fstore_unseal(s, ad, adlen, nonce, nlen, ct, clen, &plain, "the school table",
                                  err);
            last = 1;
        }
        if (c == XA_OK && fn(ctx, plain.data, plain.len) != 0)
            c = xa_fail(err, XA_ECANCEL, "the school table was not taken");
        k++;
    }
    db_release(st);
    xa_buf_wipe(&plain);
    if (c == XA_OK && k == 0)
        c = xa_fail(err, XA_ENOTFOUND, "no school table stored");
    else if (c == XA_OK && !last)
        c = xa_fail(err, XA_ECRYPTO, "the school table: stored record is damaged");
    if (c == XA_OK)
        *seq = sq;
    return c;
}

xa_code xa_fstore_brief_table_put(xa_fstore *s, int64_t seq, const xa_buf *plain, xa_err *err)
{
    const char *what = "storing the school table";
    xa_code c = db_begin(s->db, what, err);
    if (c != XA_OK)
        return c;
    int64_t cur;
    xa_buf ct = XA_BUF_INIT, chunk = XA_BUF_INIT;
    if ((c = brief_seq(s, &cur, err)) == XA_OK && cur != seq)
        c = xa_fail(err, XA_ESTATE,
                    "another brief was imported meanwhile: quit and start xiaoan again");
    if (c == XA_OK)
        c = db_exec(s->db, what, "DELETE FROM brief_table", DB_NOARGS, NULL, err);
    size_t nchunks = plain->len ? (plain->len + TABLE_CHUNK - 1) / TABLE_CHUNK : 1;
    for (size_t k = 0; k < nchunks && c == XA_OK; k++) {
        size_t off = k * TABLE_CHUNK, n = plain->len - off < TABLE_CHUNK ? plain->len - off
                                                                          : TABLE_CHUNK;
        chunk.len = 0;
        xa_buf_add(&chunk, plain->data + off, n);
        uint8_t ad[AD_MAX], nonce[XA_FSTORE_NONCE_BYTES];
        size_t adlen = table_ad(seq, (int64_t)k, k + 1 == nchunks, ad);
        ct.len = 0;
        xa__fstore_seal(s, ad, adlen, &chunk, nonce, &ct);
        c = db_exec(s->db, what, "INSERT INTO brief_table (n, nonce, data) VALUES (?, ?, ?)",
                    DB_ARGS(db_int((int64_t)k), db_blob(nonce, sizeof nonce),
                            db_blob(ct.data, ct.len)),
                    NULL, err);
    }
    xa_buf_clear(&ct);
    xa_buf_wipe(&chunk);
    return db_end(s->db, c, what, err);
}

/* ---- the pinned office ---- */

/* Is the pinned office (clear columns of field.db) the office the encrypted
 * brief names?  The pin is written with the first brief in one transaction
 * and every later brief must come from it, so the brief — sealed with the
 * data key, which an editor of field.db does not have — authenticates the
 * pin: editing office.age_pk (to have bundles encrypted to someone else) or
 * sign_pk (to have forged briefs accepted) is caught here (issue 11 #6).
 * Only the head is decrypted (the settings are its first record): a few
 * kilobytes, not the schools and forms. */
struct first_rec {
    const char *p;
    size_t n;
};

/* xa_json_each_element callback: keep the first element and stop. */
static int first_element(void *ctx, const char *elem, size_t n)
{
    struct first_rec *fr = ctx;
    fr->p = elem;
    fr->n = n;
    return 1;
}

static xa_code pin_check(xa_fstore *s, const xa_identity *pin, xa_err *err)
{
    static const char tampered[] =
        "field.db was edited: its pinned office key does not match the office of its encrypted "
        "brief (not trusting it; restore field.db from a backup or ask the office)";
    xa_buf plain = XA_BUF_INIT;
    xa_code c = xa_fstore_brief_part(s, XA_BRIEF_HEAD, &plain, NULL, err);
    if (c == XA_ENOTFOUND)
        return xa_fail(err, XA_ECRYPTO, "%s", tampered);
    if (c != XA_OK) {
        xa_buf_wipe(&plain);
        return c;
    }
    struct first_rec fr = {NULL, 0};
    json_t *first = NULL;
    if (xa_json_each_element(plain.data, plain.len, first_element, &fr) != 1 ||
        xa_json_parse(fr.p, fr.n, XA_JSON_MAX_DEPTH, &first, NULL) != XA_OK)
        first = NULL;
    xa_buf_wipe(&plain);
    const json_t *o = json_object_get(first, "office");
    const char *sign = json_string_value(json_object_get(o, "sign"));
    const char *age = json_string_value(json_object_get(o, "age"));
    const char *name = json_string_value(json_object_get(o, "name"));
    uint8_t spk[XA_SIGN_PK_BYTES], apk[XA_AGE_PK_BYTES];
    int ok = sign && age && name && xa_b64_decode_exact(sign, spk, sizeof spk, NULL) == XA_OK &&
             xa_age_recipient_parse(age, apk, NULL) == XA_OK &&
             sodium_memcmp(spk, pin->sign_pk, sizeof spk) == 0 &&
             sodium_memcmp(apk, pin->age_pk, sizeof apk) == 0 && strcmp(name, pin->name) == 0;
    json_decref(first);
    return ok ? XA_OK : xa_fail(err, XA_ECRYPTO, "%s", tampered);
}

/* The pinned office, checked against the encrypted brief. */
xa_code xa_fstore_office(xa_fstore *s, xa_identity **out, xa_err *err)
{
    const char *what = "reading the pinned office";
    db_stmt *st;
    int row;
    xa_code c = db_first(s->db, &st, &row, what,
                         "SELECT name, sign_pk, age_pk FROM office WHERE one = 1", DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    size_t slen, alen;
    const void *sign = row ? db_col_blob(st, 1, &slen) : NULL;
    const void *age = row ? db_col_blob(st, 2, &alen) : NULL;
    if (!row) {
        c = xa_fail(err, XA_ENOTFOUND, "no office is pinned yet: import a brief first");
    } else if (slen != 32 || alen != 32 || !sign || !age) {
        c = xa_fail(err, XA_EDB, "the pinned office keys are damaged");
    } else {
        const char *name = db_col_text(st, 0);
        c = xa_identity_from_public(name ? name : "", sign, age, out, err);
    }
    db_release(st);
    if (c == XA_OK && (c = pin_check(s, *out, err)) != XA_OK) {
        xa_identity_free(*out);
        *out = NULL;
    }
    return c;
}

/* The seq of the stored brief, or -1 when none. */
static xa_code brief_seq(xa_fstore *s, int64_t *seq, xa_err *err)
{
    db_stmt *st;
    int row;
    xa_code c = db_first(s->db, &st, &row, "reading the brief",
                         "SELECT seq FROM brief WHERE one = 1", DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    *seq = row ? db_col_int(st, 0) : -1;
    db_release(st);
    return XA_OK;
}

/* Pin office (inside the caller's transaction). */
static xa_code pin_office(xa_fstore *s, const xa_identity *office, xa_err *err)
{
    return db_exec(s->db, "pinning the office",
                   "INSERT INTO office (one, name, fingerprint, sign_pk, age_pk, pinned) "
                   "VALUES (1, ?, ?, ?, ?, ?)",
                   DB_ARGS(db_text(office->name), db_text(office->fingerprint),
                           db_blob(office->sign_pk, 32), db_blob(office->age_pk, 32),
                           db_int(xa_now())),
                   NULL, err);
}

/* Store a brief, pinning the office at the first import. */
xa_code xa_fstore_brief_put(xa_fstore *s, const xa_identity *office, const xa_brief_meta *meta,
                            const json_t *records, int *pinned_now, xa_err *err)
{
    if (!json_is_array(records))
        return xa_fail(err, XA_EUSAGE, "brief records must be a JSON array");
    xa_buf plain = XA_BUF_INIT;
    xa_identity *pinned = NULL;
    int pin = 0;
    const char *what = "storing the brief";
    xa_code c = xa_json_canonical(records, &plain, err);
    if (c != XA_OK || (c = db_begin(s->db, what, err)) != XA_OK)
        goto done;
    c = xa_fstore_office(s, &pinned, err);
    if (c == XA_ENOTFOUND) {
        pin = 1;
        c = XA_OK;
    } else if (c == XA_OK && (sodium_memcmp(pinned->sign_pk, office->sign_pk, 32) != 0 ||
                              sodium_memcmp(pinned->age_pk, office->age_pk, 32) != 0)) {
        c = xa_fail(err, XA_ESENDER,
                    "the brief comes from office %s, but this field store trusts office %s "
                    "(pinned at the first import)",
                    office->fingerprint, pinned->fingerprint);
    }
    int64_t cur;
    if (c == XA_OK && (c = brief_seq(s, &cur, err)) == XA_OK && meta->seq < cur)
        c = xa_fail(err, XA_ESTATE, "brief %lld is older than the imported brief %lld",
                    (long long)meta->seq, (long long)cur);
    if (c == XA_OK && pin)
        c = pin_office(s, office, err);
    if (c == XA_OK)
        c = write_parts(s, meta, 1, plain.data, plain.len, err);
    if ((c = db_end(s->db, c, what, err)) == XA_OK && pinned_now)
        *pinned_now = pin;
done:
    xa_identity_free(pinned);
    xa_buf_wipe(&plain);
    return c;
}

/* Tests: the layout before schema 4 (one blob, brief.parts = 0). */
xa_code xa_fstore_debug_brief_put_whole(xa_fstore *s, const xa_identity *office,
                                        const xa_brief_meta *meta, const json_t *records,
                                        xa_err *err)
{
    const char *what = "storing the brief";
    xa_buf plain = XA_BUF_INIT, ct = XA_BUF_INIT;
    xa_code c = xa_json_canonical(records, &plain, err);
    if (c != XA_OK || (c = db_begin(s->db, what, err)) != XA_OK)
        goto done;
    int64_t pinned = 0;
    c = db_exec(s->db, what, "DELETE FROM brief_parts", DB_NOARGS, NULL, err);
    if (c == XA_OK)
        c = db_exec(s->db, what, "DELETE FROM brief_table", DB_NOARGS, NULL, err);
    if (c == XA_OK)
        c = db_exec(s->db, what, "UPDATE office SET one = 1 WHERE one = 1", DB_NOARGS, &pinned,
                    err);
    if (c == XA_OK && !pinned)
        c = pin_office(s, office, err);
    if (c == XA_OK) {
        uint8_t ad[AD_MAX], nonce[XA_FSTORE_NONCE_BYTES];
        size_t adlen = whole_ad(meta->seq, ad);
        xa__fstore_seal(s, ad, adlen, &plain, nonce, &ct);
        c = brief_row_put(s, meta, nonce, &ct, 0, err);
    }
    c = db_end(s->db, c, what, err);
done:
    xa_buf_wipe(&plain);
    xa_buf_clear(&ct);
    return c;
}
