/* fieldstore.c — owns field.db, the inspector's one SQLite file: schema and
 * forward migrations, the wrapped identity, visits encrypted with the data
 * key (XChaCha20-Poly1305, associated data = visit id ‖ revision as 8 bytes
 * little-endian), the seal chain, export history (the encrypted brief and
 * the pinned office: field_brief.c).  Only ids, states, sequence numbers, hashes and
 * timestamps are stored in clear.  Every change is one IMMEDIATE
 * transaction; SQLITE_FULL becomes XA_ENOSPC with the store unchanged. */
#include "xiaoan/fieldstore.h"
#include "xiaoan/i18n.h"

#include "db.h"
#include "field_internal.h"

#include "xiaoan/age.h"
#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define JOURNAL_AD "xiaoan-journal"
#define JOURNAL_AD_LEN (sizeof JOURNAL_AD - 1 + 32 + 16)
_Static_assert(NONCE_BYTES == XA_FSTORE_NONCE_BYTES, "field_internal.h's nonce size");


/* Migration 1: the first schema.  Each migration is a list of statements
 * that brings user_version from i to i + 1; append, never edit. */
static const char *const migration1[] = {
    "CREATE TABLE identity ("
    "  one INTEGER PRIMARY KEY CHECK (one = 1),"
    "  name TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL,"
    "  sign_pk BLOB NOT NULL CHECK (length(sign_pk) = 32),"
    "  age_pk BLOB NOT NULL CHECK (length(age_pk) = 32),"
    "  wrapped TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL)",
    "CREATE TABLE office ("
    "  one INTEGER PRIMARY KEY CHECK (one = 1),"
    "  name TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL,"
    "  sign_pk BLOB NOT NULL CHECK (length(sign_pk) = 32),"
    "  age_pk BLOB NOT NULL CHECK (length(age_pk) = 32),"
    "  pinned INTEGER NOT NULL)",
    "CREATE TABLE brief ("
    "  one INTEGER PRIMARY KEY CHECK (one = 1),"
    "  seq INTEGER NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  created TEXT NOT NULL,"
    "  imported INTEGER NOT NULL,"
    "  nonce BLOB NOT NULL,"
    "  data BLOB NOT NULL)",
    "CREATE TABLE exports ("
    "  seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
    "  file_hash TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  visits TEXT NOT NULL)",
    "CREATE TABLE visits ("
    "  id TEXT PRIMARY KEY CHECK (length(id) = 32),"
    "  state TEXT NOT NULL CHECK (state IN ('draft','sealed','exported','acknowledged')),"
    "  rev INTEGER NOT NULL CHECK (rev >= 1),"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  seq INTEGER UNIQUE,"
    "  nonce BLOB NOT NULL,"
    "  doc BLOB NOT NULL,"
    "  sig BLOB,"
    "  export_seq INTEGER REFERENCES exports(seq),"
    "  CHECK ((state = 'draft') = (seq IS NULL)),"
    "  CHECK ((state = 'draft') = (sig IS NULL)))",
    "CREATE TABLE chain ("
    "  one INTEGER PRIMARY KEY CHECK (one = 1),"
    "  last_seq INTEGER NOT NULL,"
    "  last_hash TEXT)",
    "INSERT INTO chain (one, last_seq, last_hash) VALUES (1, 0, NULL)",
    /* A sealed visit's content is frozen even against a buggy caller. */
    "CREATE TRIGGER visits_frozen BEFORE UPDATE OF nonce, doc, sig, rev, seq ON visits"
    "  WHEN OLD.state <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be changed'); END",
    "CREATE TRIGGER visits_keep BEFORE DELETE ON visits WHEN OLD.state <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be deleted'); END",
    NULL,
};

/* Migration 2: attachments (photos, PDFs) of draft and sealed visits, as
 * libsodium secretstream chunks (field_attach.c); a sealed visit's are frozen. */
static const char *const migration2[] = {
    "CREATE TABLE attachments ("
    "  id TEXT PRIMARY KEY CHECK (length(id) = 32),"
    "  visit TEXT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,"
    "  header BLOB NOT NULL CHECK (length(header) = 24),"
    "  chunks INTEGER NOT NULL CHECK (chunks >= 0),"
    "  created INTEGER NOT NULL)",
    "CREATE INDEX attachments_visit ON attachments(visit)",
    "CREATE TABLE attachment_chunks ("
    "  attachment TEXT NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,"
    "  n INTEGER NOT NULL CHECK (n >= 0),"
    "  data BLOB NOT NULL,"
    "  PRIMARY KEY (attachment, n))",
    "CREATE TRIGGER attachments_frozen_ins BEFORE INSERT ON attachments"
    "  WHEN (SELECT state FROM visits WHERE id = NEW.visit) <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be changed'); END",
    "CREATE TRIGGER attachments_frozen_upd BEFORE UPDATE ON attachments"
    "  WHEN (SELECT state FROM visits WHERE id = OLD.visit) <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be changed'); END",
    "CREATE TRIGGER attachments_frozen_del BEFORE DELETE ON attachments"
    "  WHEN (SELECT state FROM visits WHERE id = OLD.visit) <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be changed'); END",
    "CREATE TRIGGER chunks_frozen_ins BEFORE INSERT ON attachment_chunks"
    "  WHEN (SELECT v.state FROM visits v JOIN attachments a ON a.visit = v.id"
    "        WHERE a.id = NEW.attachment) <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be changed'); END",
    "CREATE TRIGGER chunks_frozen_del BEFORE DELETE ON attachment_chunks"
    "  WHEN (SELECT v.state FROM visits v JOIN attachments a ON a.visit = v.id"
    "        WHERE a.id = OLD.attachment) <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be changed'); END",
    NULL,
};

/* Migration 3: the journal of a draft (issue 17).  An answer key stores
 * only its change (the answer, encrypted like a visit, associated data
 * "xiaoan-journal" ‖ id ‖ rev ‖ n) on top of revision rev of the document;
 * the next save of the whole document folds the journal in and deletes it.
 * Reading a draft replays its journal (xa_visit_change_apply). */
static const char *const migration3[] = {
    "CREATE TABLE visit_journal ("
    "  visit TEXT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,"
    "  rev INTEGER NOT NULL CHECK (rev >= 1),"
    "  n INTEGER NOT NULL CHECK (n >= 1),"
    "  nonce BLOB NOT NULL,"
    "  data BLOB NOT NULL,"
    "  PRIMARY KEY (visit, n)) WITHOUT ROWID",
    "CREATE TRIGGER visit_journal_frozen BEFORE INSERT ON visit_journal"
    "  WHEN (SELECT state FROM visits WHERE id = NEW.visit) <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be changed'); END",
    NULL,
};

/* Migration 4: the brief in parts (field_brief.c): brief.data then holds
 * only the head (parts = 1); the cited schools, the forms and the schools
 * are rows of brief_parts.  A brief stored before (parts = 0) is split at
 * the next xa_fstore_open, which has the data key. */
static const char *const migration4[] = {
    "ALTER TABLE brief ADD COLUMN parts INTEGER NOT NULL DEFAULT 0",
    "CREATE TABLE brief_parts ("
    "  part TEXT PRIMARY KEY CHECK (part IN ('cited', 'forms', 'schools')),"
    "  nonce BLOB NOT NULL,"
    "  data BLOB NOT NULL)",
    NULL,
};

/* Migration 5: the compact school table (field_brief.c
 * xa_fstore_brief_table): a fifth part, 'table', the brief's schools
 * already read (strings, flags, profile, search keys, the index by code),
 * so that the school picker opens without reading 20,000 JSON records.
 * SQLite cannot change a CHECK, so brief_parts is made again.  A store
 * converted from schema 4 has no table yet; the first reading of every
 * school writes it (field/brief.c xa_brief_schools). */
static const char *const migration5[] = {
    "CREATE TABLE brief_parts5 ("
    "  part TEXT PRIMARY KEY CHECK (part IN ('cited', 'forms', 'schools', 'table')),"
    "  nonce BLOB NOT NULL,"
    "  data BLOB NOT NULL)",
    "INSERT INTO brief_parts5 (part, nonce, data) SELECT part, nonce, data FROM brief_parts",
    "DROP TABLE brief_parts",
    "ALTER TABLE brief_parts5 RENAME TO brief_parts",
    NULL,
};

/* Migration 6: the school table in chunks of 64 KiB (field_brief.c), each
 * sealed on its own: reading a 1.3 MB blob made SQLite and the decryption
 * each fill a fresh buffer of its size (on a virtual machine the page
 * faults of those buffers were most of the picker's first opening); a
 * chunk's buffers are small and used again.  A table stored whole by
 * schema 5 is dropped (the next reading of every school makes it again). */
static const char *const migration6[] = {
    "CREATE TABLE brief_table ("
    "  n INTEGER PRIMARY KEY CHECK (n >= 0),"
    "  nonce BLOB NOT NULL,"
    "  data BLOB NOT NULL)",
    "DELETE FROM brief_parts WHERE part = 'table'",
    NULL,
};

static const char *const *const migrations[] = {migration1, migration2, migration3, migration4,
                                                migration5, migration6};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* The field store for db_open: no application id (field.db has never had
 * one; a file made by this build keeps the same format), secure delete on. */
static const struct db_schema field_schema = {
    .label = N_("field store"),
    .app_id = 0,
    .migrations = migrations,
    .nmigrations = SCHEMA_VERSION,
    .cache_kib = 512,
    .secure_delete = 1,
    .audit_sql = NULL,
};

/* The schema version this build writes. */
int xa_fstore_schema_version(void)
{
    return SCHEMA_VERSION;
}

static const char *const state_names[] = {N_("draft"), N_("sealed"), N_("exported"),
                                          N_("acknowledged")};

/* The name of a state. */
const char *xa_visit_state_name(xa_visit_state s)
{
    return (unsigned)s < 4 ? state_names[s] : "unknown";
}

const char *xa_visit_state_label(xa_visit_state s)
{
    return _(xa_visit_state_name(s));
}

/* Parse a state name (draft when unknown; the CHECK constraint keeps it valid). */
static xa_visit_state state_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (s && !strcmp(s, state_names[i]))
            return (xa_visit_state)i;
    return XA_VISIT_DRAFT;
}

/* ---- encryption of records ---- */

/* Encrypt plain with the data key: nonce (random) and ciphertext out. */
static void seal_blob(const xa_fstore *s, const uint8_t *ad, size_t adlen, const xa_buf *plain,
                      uint8_t nonce[NONCE_BYTES], xa_buf *ct)
{
    randombytes_buf(nonce, NONCE_BYTES);
    xa_buf_reserve(ct, plain->len + TAG_BYTES);
    unsigned long long n = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt((uint8_t *)ct->data, &n,
                                               (const uint8_t *)plain->data, plain->len, ad,
                                               adlen, NULL, nonce, s->id->sec->data_key);
    ct->len = (size_t)n;
}

/* Decrypt a stored blob into plain (wiped by the caller). */
static xa_code open_blob(const xa_fstore *s, const uint8_t *ad, size_t adlen, const void *nonce,
                         size_t nonce_len, const void *ct, size_t ct_len, xa_buf *plain,
                         const char *what, xa_err *err)
{
    if (nonce_len != NONCE_BYTES || ct_len < TAG_BYTES || !nonce || !ct)
        return xa_fail(err, XA_ECRYPTO, "%s: stored record is damaged", what);
    size_t n = ct_len - TAG_BYTES;
    xa_buf_reserve(plain, n + 1);
    unsigned long long got = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain->data, &got, NULL, ct,
                                                   (unsigned long long)ct_len, ad, adlen, nonce,
                                                   s->id->sec->data_key) != 0)
        return xa_fail(err, XA_ECRYPTO, "%s: stored record does not decrypt (damaged store?)",
                       what);
    plain->len = (size_t)got;
    plain->data[plain->len] = '\0';
    return XA_OK;
}

/* Associated data of a visit revision: id (32 ASCII) ‖ rev (u64 LE). */
static void visit_ad(const char *id, int64_t rev, uint8_t ad[40])
{
    memcpy(ad, id, 32);
    uint64_t r = (uint64_t)rev;
    for (int i = 0; i < 8; i++)
        ad[32 + i] = (uint8_t)(r >> (8 * i));
}

/* Associated data of a journal record: "xiaoan-journal" ‖ id (32 ASCII) ‖
 * rev (u64 LE) ‖ n (u64 LE): a record opens only for its visit, on top of
 * its revision, at its place in the journal. */
static void journal_ad(const char *id, int64_t rev, int64_t n, uint8_t ad[JOURNAL_AD_LEN])
{
    size_t t = sizeof JOURNAL_AD - 1;
    memcpy(ad, JOURNAL_AD, t);
    memcpy(ad + t, id, 32);
    for (int i = 0; i < 8; i++) {
        ad[t + 32 + i] = (uint8_t)((uint64_t)rev >> (8 * i));
        ad[t + 40 + i] = (uint8_t)((uint64_t)n >> (8 * i));
    }
}

/* ---- opening, creating, closing ---- */

/* The path of field.db in home. */
char *xa_fstore_path(const char *home)
{
    return xa_path_join(home, XA_FIELD_DB);
}

/* Does home hold a field store? */
int xa_fstore_exists(const char *home)
{
    char *p = xa_fstore_path(home);
    int e = xa_path_exists(p);
    free(p);
    return e;
}

/* Open field.db (which must exist), configured and migrated. */
static xa_code open_db(const char *path, struct db **out, xa_err *err)
{
    return db_open(path, &field_schema, 0, out, err);
}

/* The wrapped identity JSON from the identity row. */
static xa_code read_wrapped(struct db *db, json_t **out, xa_err *err)
{
    db_stmt *st;
    int row;
    xa_code c = db_first(db, &st, &row, "reading the identity",
                         "SELECT wrapped FROM identity WHERE one = 1", DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    if (!row) {
        db_release(st);
        return xa_fail(err, XA_ENOTFOUND, "the field store has no identity");
    }
    const char *w = db_col_text(st, 0);
    c = xa_json_parse(w ? w : "", w ? strlen(w) : 0, 4, out, err);
    db_release(st);
    if (c != XA_OK && err)
        xa_err_prefix(err, "the stored identity");
    return c;
}

/* The "no store here" error. */
static xa_code no_store(const char *home, xa_err *err)
{
    return xa_fail(err, XA_ENOTFOUND, "no field store in %s: run 'xiaoan init --name NAME' first",
                   home);
}

/* Open and unlock. */
xa_code xa_fstore_open(const char *home, const char *pass, xa_fstore **out, xa_err *err)
{
    if (!xa_fstore_exists(home))
        return no_store(home, err);
    xa_fstore *s = xa_calloc(1, sizeof *s);
    s->path = xa_fstore_path(home);
    s->home = xa_strdup(home);
    json_t *w = NULL;
    xa_code c;
    if ((c = open_db(s->path, &s->db, err)) != XA_OK || (c = read_wrapped(s->db, &w, err)) != XA_OK ||
        (c = xa_identity_unwrap(w, pass, &s->id, err)) != XA_OK ||
        (c = xa__fstore_brief_upgrade(s, err)) != XA_OK) {
        json_decref(w);
        xa_fstore_close(s);
        /* say what to do: nothing recovers a forgotten one (docs/guide, "Three wrong
         * passphrases"), so the way out is a new home and a new enrolment */
        if (c == XA_EPASS)
            c = xa_fail(err, XA_EPASS,
                        "wrong passphrase: check it and try again; a forgotten passphrase cannot "
                        "be recovered: run 'xiaoan init' with a new --home and ask the office to "
                        "enrol you again (visits not exported from this home stay locked)");
        return c;
    }
    json_decref(w);
    *out = s;
    return XA_OK;
}

/* The public identity, no passphrase. */
xa_code xa_fstore_public_identity(const char *home, xa_identity **out, xa_err *err)
{
    if (!xa_fstore_exists(home))
        return no_store(home, err);
    char *path = xa_fstore_path(home);
    struct db *db = NULL;
    json_t *w = NULL;
    xa_code c = open_db(path, &db, err);
    if (c == XA_OK && (c = read_wrapped(db, &w, err)) == XA_OK)
        c = xa_identity_wrapped_public(w, out, err);
    json_decref(w);
    db_close(db);
    free(path);
    return c;
}

/* Remove a half-made store. */
static void unlink_store(const char *path)
{
    char *wal = xa_asprintf("%s-wal", path), *shm = xa_asprintf("%s-shm", path);
    unlink(path);
    unlink(wal);
    unlink(shm);
    free(wal);
    free(shm);
}

/* Create field.db with a new identity. */
xa_code xa_fstore_create(const char *home, const char *name, const char *pass,
                         const xa_kdf_params *kdf, xa_fstore **out, xa_err *err)
{
    if (xa_fstore_exists(home))
        return xa_fail(err, XA_EEXIST,
                       "a field store already exists in %s (field.db): refusing to replace it",
                       home);
    xa_identity *id = NULL;
    json_t *w = NULL;
    xa_buf wtext = XA_BUF_INIT;
    xa_code c;
    if ((c = xa_identity_generate(name, &id, err)) != XA_OK)
        return c;
    if ((c = xa_identity_wrap(id, pass, kdf, &w, err)) != XA_OK ||
        (c = xa_json_canonical(w, &wtext, err)) != XA_OK) {
        json_decref(w);
        xa_identity_free(id);
        return c;
    }
    json_decref(w);
    xa_fstore *s = xa_calloc(1, sizeof *s);
    s->path = xa_fstore_path(home);
    s->home = xa_strdup(home);
    s->id = id;
    int fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        c = errno == EEXIST ? xa_fail(err, XA_EEXIST, "a field store already exists in %s", home)
                            : xa_fail_errno(err, errno, "cannot create %s", s->path);
        xa_buf_clear(&wtext);
        xa_fstore_close(s);
        return c;
    }
    close(fd);
    const char *what = "creating";
    if ((c = open_db(s->path, &s->db, err)) != XA_OK || (c = db_begin(s->db, what, err)) != XA_OK)
        goto fail;
    int64_t now = xa_now();
    c = db_exec(s->db, what,
                "INSERT INTO identity (one, name, fingerprint, sign_pk, age_pk, wrapped, "
                "created, updated) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                DB_ARGS(db_text(id->name), db_text(id->fingerprint), db_blob(id->sign_pk, 32),
                        db_blob(id->age_pk, 32), db_textn(wtext.data, wtext.len), db_int(now),
                        db_int(now)),
                NULL, err);
    if ((c = db_end(s->db, c, what, err)) != XA_OK)
        goto fail;
    xa_buf_clear(&wtext);
    *out = s;
    return XA_OK;
fail:
    xa_buf_clear(&wtext);
    {
        char *path = xa_strdup(s->path);
        xa_fstore_close(s);
        unlink_store(path);
        free(path);
    }
    return c;
}

/* Close and wipe. */
void xa_fstore_close(xa_fstore *s)
{
    if (!s)
        return;
    db_close(s->db);
    xa_identity_free(s->id);
    free(s->path);
    free(s->home);
    free(s);
}

/* The unlocked identity. */
const xa_identity *xa_fstore_identity(const xa_fstore *s)
{
    return s->id;
}

/* Test hook: cap the file at n pages so SQLITE_FULL can be provoked. */
xa_code xa_fstore_debug_max_pages(xa_fstore *s, int64_t pages, xa_err *err)
{
    return db_debug_max_pages(s->db, pages, err);
}

/* Rewrap the keys under a new passphrase. */
xa_code xa_fstore_passwd(xa_fstore *s, const char *new_pass, const xa_kdf_params *kdf,
                         xa_err *err)
{
    json_t *old = NULL, *w = NULL;
    xa_kdf_params params;
    xa_buf text = XA_BUF_INIT;
    const char *what = "changing the passphrase";
    xa_code c;
    if ((c = read_wrapped(s->db, &old, err)) != XA_OK)
        return c;
    if (!kdf) {
        if ((c = xa_identity_wrapped_params(old, &params, err)) != XA_OK) {
            json_decref(old);
            return c;
        }
        kdf = &params;
    }
    json_decref(old);
    if ((c = xa_identity_wrap(s->id, new_pass, kdf, &w, err)) != XA_OK ||
        (c = xa_json_canonical(w, &text, err)) != XA_OK ||
        (c = db_begin(s->db, what, err)) != XA_OK)
        goto done;
    c = db_exec(s->db, what, "UPDATE identity SET wrapped = ?, updated = ? WHERE one = 1",
                DB_ARGS(db_textn(text.data, text.len), db_int(xa_now())), NULL, err);
    if ((c = db_end(s->db, c, what, err)) != XA_OK)
        goto done;
    /* Move the new wrap into the main file and empty the WAL, so the old
     * wrap does not linger in the log (secure_delete zeroes it in the file). */
    db_checkpoint(s->db);
done:
    json_decref(w);
    xa_buf_clear(&text);
    return c;
}

/* ---- visits ---- */

/* Free the strings of one info. */
void xa_visit_info_clear(xa_visit_info *info)
{
    if (!info)
        return;
    free(info->school_code);
    free(info->school_name);
    free(info->county);
    free(info->kind);
    free(info->arrived);
    free(info->sealed);
    memset(info, 0, sizeof *info);
}

/* Free a list. */
void xa_visit_list_clear(xa_visit_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        xa_visit_info_clear(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Free a sealed list. */
void xa_sealed_list_clear(xa_sealed_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        json_decref(l->v[i].doc);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* A string member at obj.a.b as a new string ("" when absent). */
static char *doc_str(const json_t *doc, const char *a, const char *b)
{
    const json_t *v = json_object_get(doc, a);
    if (b)
        v = json_object_get(v, b);
    return xa_strdup(json_is_string(v) ? json_string_value(v) : "");
}

/* Fill the summary part of info from a document. */
static void info_from_doc(xa_visit_info *info, const json_t *doc)
{
    info->school_code = doc_str(doc, "school", "code");
    info->school_name = doc_str(doc, "school", "name");
    info->county = doc_str(doc, "school", "county");
    info->kind = doc_str(doc, "kind", NULL);
    info->arrived = doc_str(doc, "times", "arrived");
    json_t *seal = json_object_get(doc, "seal");
    info->sealed = json_is_object(seal) ? doc_str(seal, "sealed", NULL) : NULL;
    info->hazards = xa_visit_hazard_count(doc);
    json_t *a = json_object_get(doc, "answers");
    info->answers = json_is_array(a) ? json_array_size(a) : 0;
}

/* The clear columns of a visit row, read through their descriptors; the
 * document (nonce, doc) and the signature follow them in VISIT_SELECT. */
static const struct db_col visit_cols[] = {
    DB_COL(xa_visit_info, id, DB_C_CHARS, "id"),
    DB_COL(xa_visit_info, rev, DB_C_INT64, "rev"),
    DB_COL(xa_visit_info, created, DB_C_INT64, "created"),
    DB_COL(xa_visit_info, updated, DB_C_INT64, "updated"),
    DB_COL(xa_visit_info, seq, DB_C_INT64, "seq"),
};
static const struct db_rowtype visit_row = DB_ROWTYPE(xa_visit_info, visit_cols);
#define VISIT_SELECT "SELECT id, rev, created, updated, seq, state, nonce, doc, sig"
enum { VC_STATE = 5, VC_NONCE, VC_DOC, VC_SIG };

/* Apply the journal of draft id at revision rev to doc, in order; *n gets
 * the number of records.  A record that does not open, a gap in the
 * numbers or a change that does not apply is an error: nothing is guessed. */
static xa_code journal_replay(xa_fstore *s, const char *id, int64_t rev, json_t *doc, size_t *n,
                              xa_err *err)
{
    *n = 0;
    db_stmt *st;
    xa_code c = db_query(s->db, &st, "reading a visit's journal",
                         "SELECT n, nonce, data FROM visit_journal WHERE visit = ? AND rev = ?"
                         " ORDER BY n",
                         DB_ARGS(db_text(id), db_int(rev)), err);
    if (c != XA_OK)
        return c;
    xa_buf plain = XA_BUF_INIT;
    char what[80];
    snprintf(what, sizeof what, "visit %s, journal", id);
    int row;
    while ((c = db_step(st, &row, err)) == XA_OK && row) {
        int64_t k = db_col_int(st, 0);
        if (k != (int64_t)*n + 1) {
            c = xa_fail(err, XA_ECRYPTO, "%s: record %lld is missing (damaged store?)", what,
                        (long long)(*n + 1));
            break;
        }
        uint8_t ad[JOURNAL_AD_LEN];
        journal_ad(id, rev, k, ad);
        size_t nlen, clen;
        const void *nonce = db_col_blob(st, 1, &nlen);
        const void *ct = db_col_blob(st, 2, &clen);
        json_t *change = NULL;
        xa_buf_reset(&plain);
        if ((c = open_blob(s, ad, sizeof ad, nonce, nlen, ct, clen, &plain, what, err)) ==
                XA_OK &&
            (c = xa_json_parse(plain.data, plain.len, XA_JSON_MAX_DEPTH, &change, err)) == XA_OK)
            c = xa_visit_change_apply(doc, change, err);
        json_decref(change);
        if (c != XA_OK) {
            if (err)
                xa_err_prefix(err, "%s", what);
            break;
        }
        (*n)++;
    }
    xa_buf_wipe(&plain);
    db_release(st);
    return c;
}

/* Decode the current row of a VISIT_SELECT statement: clear columns, the
 * decrypted document with its journal replayed (a draft) and (if sig
 * non-NULL) the signature. */
static xa_code row_visit(xa_fstore *s, db_stmt *st, xa_visit_info *info, json_t **doc,
                         uint8_t *sig, int *has_sig, xa_err *err)
{
    db_read(st, &visit_row, info);
    info->state = state_parse(db_col_text(st, VC_STATE));
    info->journal = 0;
    uint8_t ad[40];
    if (!xa_id_valid(info->id))
        return xa_fail(err, XA_ECRYPTO, "a stored visit has a damaged id");
    visit_ad(info->id, info->rev, ad);
    xa_buf plain = XA_BUF_INIT;
    char what[64];
    snprintf(what, sizeof what, "visit %s", info->id);
    size_t nlen, clen, slen;
    const void *nonce = db_col_blob(st, VC_NONCE, &nlen);
    const void *ct = db_col_blob(st, VC_DOC, &clen);
    xa_code c = open_blob(s, ad, sizeof ad, nonce, nlen, ct, clen, &plain, what, err);
    json_t *d = NULL;
    if (c == XA_OK) {
        c = xa_json_parse(plain.data, plain.len, XA_JSON_MAX_DEPTH, &d, err);
        if (c != XA_OK && err)
            xa_err_prefix(err, "%s", what);
    }
    xa_buf_wipe(&plain);
    if (c == XA_OK && info->state == XA_VISIT_DRAFT)
        c = journal_replay(s, info->id, info->rev, d, &info->journal, err);
    info->revision = info->rev + (int64_t)info->journal;
    if (c != XA_OK) {
        json_decref(d);
        return c;
    }
    if (sig) {
        const void *p = db_col_blob(st, VC_SIG, &slen);
        *has_sig = slen == XA_SIG_BYTES && p;
        if (*has_sig)
            memcpy(sig, p, XA_SIG_BYTES);
    }
    info_from_doc(info, d);
    if (doc)
        *doc = d;
    else
        json_decref(d);
    return XA_OK;
}

/* Select one visit row; XA_ENOTFOUND when absent.  *st is left on the row. */
static xa_code select_visit(xa_fstore *s, const char *id, db_stmt **st, xa_err *err)
{
    if (!xa_id_valid(id))
        return xa_fail(err, XA_EUSAGE, "'%.40s' is not a visit id", id);
    int row;
    xa_code c = db_first(s->db, st, &row, "reading a visit",
                         VISIT_SELECT " FROM visits WHERE id = ?", DB_ARGS(db_text(id)), err);
    if (c != XA_OK || row)
        return c;
    db_release(*st);
    *st = NULL;
    return xa_fail(err, XA_ENOTFOUND, "no visit %s", id);
}

/* Encrypt doc for (id, rev): canonical bytes into ct, nonce out. */
static xa_code encrypt_doc(xa_fstore *s, const json_t *doc, const char *id, int64_t rev,
                           uint8_t nonce[NONCE_BYTES], xa_buf *ct, xa_err *err)
{
    xa_buf plain = XA_BUF_INIT;
    xa_code c = xa_json_canonical(doc, &plain, err);
    if (c == XA_OK) {
        uint8_t ad[40];
        visit_ad(id, rev, ad);
        seal_blob(s, ad, sizeof ad, &plain, nonce, ct);
    }
    xa_buf_wipe(&plain);
    return c;
}

/* Build and store a new draft. */
xa_code xa_fstore_visit_new(xa_fstore *s, const xa_visit_init *init, json_t **doc_out,
                            xa_err *err)
{
    json_t *doc = NULL;
    xa_buf ct = XA_BUF_INIT;
    uint8_t nonce[NONCE_BYTES];
    const char *what = "saving a new visit";
    xa_code c = xa_visit_new(s->id, init, &doc, err);
    if (c != XA_OK)
        return c;
    const char *id = json_string_value(json_object_get(doc, "id"));
    if ((c = encrypt_doc(s, doc, id, 1, nonce, &ct, err)) != XA_OK ||
        (c = db_begin(s->db, what, err)) != XA_OK)
        goto fail;
    int64_t now = xa_now();
    c = db_exec(s->db, what,
                "INSERT INTO visits (id, state, rev, created, updated, nonce, doc) "
                "VALUES (?, 'draft', 1, ?, ?, ?, ?)",
                DB_ARGS(db_text(id), db_int(now), db_int(now), db_blob(nonce, sizeof nonce),
                        db_blob(ct.data, ct.len)),
                NULL, err);
    if ((c = db_end(s->db, c, what, err)) != XA_OK)
        goto fail;
    xa_buf_clear(&ct);
    if (doc_out)
        *doc_out = doc;
    else
        json_decref(doc);
    return XA_OK;
fail:
    xa_buf_clear(&ct);
    json_decref(doc);
    return c;
}

/* Load a visit. */
xa_code xa_fstore_visit_load(xa_fstore *s, const char *id, json_t **doc, xa_visit_info *info,
                             xa_err *err)
{
    db_stmt *st = NULL;
    xa_code c = select_visit(s, id, &st, err);
    if (c != XA_OK)
        return c;
    xa_visit_info tmp;
    c = row_visit(s, st, &tmp, doc, NULL, NULL, err);
    db_release(st);
    if (c != XA_OK) {
        xa_visit_info_clear(&tmp);
        return c;
    }
    if (info)
        *info = tmp;
    else
        xa_visit_info_clear(&tmp);
    return XA_OK;
}

/* The state and rev of a visit inside a transaction. */
static xa_code visit_state(xa_fstore *s, const char *id, xa_visit_state *state, int64_t *rev,
                           xa_err *err)
{
    db_stmt *st;
    int row;
    xa_code c = db_first(s->db, &st, &row, "reading a visit",
                         "SELECT state, rev FROM visits WHERE id = ?", DB_ARGS(db_text(id)), err);
    if (c != XA_OK)
        return c;
    if (row) {
        *state = state_parse(db_col_text(st, 0));
        *rev = db_col_int(st, 1);
    } else {
        c = xa_fail(err, XA_ENOTFOUND, "no visit %s", id);
    }
    db_release(st);
    return c;
}

/* Delete the journal of visit id (its document now holds it). */
static xa_code journal_drop(xa_fstore *s, const char *id, xa_err *err)
{
    return db_exec(s->db, "saving a visit", "DELETE FROM visit_journal WHERE visit = ?",
                   DB_ARGS(db_text(id)), NULL, err);
}

/* The revision of draft id inside a transaction (issue 11 #5): its stored
 * rev plus the journal entries on top of it — every write (a whole save, a
 * journal entry) moves it up by exactly one.  A writer names the revision
 * it loaded or last wrote; when that is not the stored one, someone else
 * wrote meanwhile and this write is refused, XA_ESTATE, nothing changed (a
 * stale writer never overwrites a newer save, nor folds away another
 * process's journal).  *rev gets the stored rev, *journal the entries. */
static xa_code revision_check(xa_fstore *s, const char *id, int64_t base, int64_t *rev,
                              int64_t *journal, xa_err *err)
{
    xa_visit_state state;
    xa_code c = visit_state(s, id, &state, rev, err);
    if (c == XA_OK && state != XA_VISIT_DRAFT)
        return xa_fail(err, XA_ESTATE, "visit %s is %s and cannot be changed", id,
                       xa_visit_state_label(state));
    if (c != XA_OK)
        return c;
    db_stmt *st;
    int row;
    if ((c = db_first(s->db, &st, &row, "saving a visit",
                      "SELECT COALESCE(MAX(n), 0) FROM visit_journal WHERE visit = ? AND rev = ?",
                      DB_ARGS(db_text(id), db_int(*rev)), err)) != XA_OK)
        return c;
    *journal = row ? db_col_int(st, 0) : 0;
    db_release(st);
    if (*rev + *journal != base)
        return xa_fail(err, XA_ESTATE,
                       "visit %s was saved elsewhere since it was opened (revision %lld, not %lld):"
                       " nothing was changed; open it again",
                       id, (long long)(*rev + *journal), (long long)base);
    return XA_OK;
}

/* Save a draft document loaded at revision base inside the caller's
 * transaction (refused when the stored revision moved on); *newrev gets
 * its new revision.  The attachments the document no longer lists lose
 * their stored bytes. */
xa_code xa__fstore_save_in_tx(xa_fstore *s, const json_t *doc, int64_t base, int64_t *newrev,
                              xa_err *err)
{
    xa_code c = xa_visit_validate(doc, err);
    if (c != XA_OK)
        return c;
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (xa_visit_is_sealed(doc))
        return xa_fail(err, XA_ESTATE, "visit %s carries a seal: a sealed visit cannot be saved",
                       id);
    const char *fp =
        json_string_value(json_object_get(json_object_get(doc, "inspector"), "fingerprint"));
    if (strcmp(fp, s->id->fingerprint))
        return xa_fail(err, XA_ESTATE, "visit %s belongs to another inspector", id);
    int64_t rev = 0, journal = 0;
    xa_buf ct = XA_BUF_INIT;
    uint8_t nonce[NONCE_BYTES];
    const char *what = "saving a visit";
    /* the new rev is the next revision: one more than rev + journal */
    c = revision_check(s, id, base, &rev, &journal, err);
    int64_t next = rev + journal + 1;
    if (c == XA_OK)
        c = encrypt_doc(s, doc, id, next, nonce, &ct, err);
    if (c == XA_OK)
        c = db_exec(s->db, what,
                    "UPDATE visits SET rev = ?, updated = ?, nonce = ?, doc = ? "
                    "WHERE id = ? AND state = 'draft'",
                    DB_ARGS(db_int(next), db_int(xa_now()), db_blob(nonce, sizeof nonce),
                            db_blob(ct.data, ct.len), db_text(id)),
                    NULL, err);
    if (c == XA_OK) /* the document now holds what the journal said */
        c = journal_drop(s, id, err);
    if (c == XA_OK)
        c = xa__fstore_attach_prune(s, doc, err);
    xa_buf_clear(&ct);
    if (c == XA_OK)
        *newrev = next;
    return c;
}

/* Save a draft document loaded at *revision; *revision moves on. */
xa_code xa_fstore_visit_save(xa_fstore *s, const json_t *doc, int64_t *revision, xa_err *err)
{
    const char *what = "saving a visit";
    xa_code c = db_begin(s->db, what, err);
    if (c != XA_OK)
        return c;
    int64_t next = 0;
    c = db_end(s->db, xa__fstore_save_in_tx(s, doc, *revision, &next, err), what, err);
    if (c == XA_OK)
        *revision = next;
    return c;
}

/* Journal one change of draft id on top of *revision (the revision the
 * caller's document was loaded at or last written): checked, encrypted, one
 * small transaction instead of the whole document; *revision moves on. */
xa_code xa_fstore_visit_journal(xa_fstore *s, const char *id, int64_t *revision,
                                const json_t *change, xa_err *err)
{
    if (!xa_id_valid(id))
        return xa_fail(err, XA_EUSAGE, "'%.40s' is not a visit id", id);
    xa_code c = xa_visit_change_check(change, err);
    if (c != XA_OK)
        return c;
    xa_buf plain = XA_BUF_INIT, ct = XA_BUF_INIT;
    if ((c = xa_json_canonical(change, &plain, err)) != XA_OK) {
        xa_buf_wipe(&plain);
        return c;
    }
    const char *what = "saving a visit";
    int64_t rev = 0, journal = 0;
    if ((c = db_begin(s->db, what, err)) != XA_OK) {
        xa_buf_wipe(&plain);
        return c;
    }
    /* the entry goes on top of the stored rev, as number journal + 1 */
    c = revision_check(s, id, *revision, &rev, &journal, err);
    int64_t n = journal + 1;
    if (c == XA_OK) {
        uint8_t ad[JOURNAL_AD_LEN], nonce[NONCE_BYTES];
        journal_ad(id, rev, n, ad);
        seal_blob(s, ad, sizeof ad, &plain, nonce, &ct);
        c = db_exec(s->db, what,
                    "INSERT INTO visit_journal (visit, rev, n, nonce, data) VALUES (?, ?, ?, ?, ?)",
                    DB_ARGS(db_text(id), db_int(rev), db_int(n), db_blob(nonce, sizeof nonce),
                            db_blob(ct.data, ct.len)),
                    NULL, err);
    }
    xa_buf_wipe(&plain);
    xa_buf_clear(&ct);
    c = db_end(s->db, c, what, err);
    if (c == XA_OK)
        *revision = rev + n;
    return c;
}

/* Delete a draft. */
xa_code xa_fstore_visit_discard(xa_fstore *s, const char *id, xa_err *err)
{
    if (!xa_id_valid(id))
        return xa_fail(err, XA_EUSAGE, "'%.40s' is not a visit id", id);
    xa_visit_state state;
    int64_t rev;
    const char *what = "discarding a visit";
    xa_code c = db_begin(s->db, what, err);
    if (c != XA_OK)
        return c;
    if ((c = visit_state(s, id, &state, &rev, err)) == XA_OK && state != XA_VISIT_DRAFT)
        c = xa_fail(err, XA_ESTATE, "visit %s is %s and cannot be discarded", id,
                    xa_visit_state_label(state));
    if (c == XA_OK)
        c = db_exec(s->db, what, "DELETE FROM visits WHERE id = ? AND state = 'draft'",
                    DB_ARGS(db_text(id)), NULL, err);
    return db_end(s->db, c, what, err);
}

/* Fill a zeroed array element from the current row of a VISIT_SELECT statement. */
typedef xa_code (*visit_row_fn)(xa_fstore *s, db_stmt *st, void *elem, xa_err *err);

/* Every row of sql (a VISIT_SELECT query, `what` in errors) decoded by fill into a new array of
 * size-byte elements (NULL when none); *v and *n are set on failure too, every element that
 * fill was given counted, for the caller's list free. */
static xa_code visit_rows(xa_fstore *s, const char *sql, const char *what, size_t size,
                          visit_row_fn fill, void **v, size_t *n, xa_err *err)
{
    *v = NULL;
    *n = 0;
    db_stmt *st;
    xa_code c = db_query(s->db, &st, what, sql, DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    unsigned char *a = NULL;
    size_t cap = 0, k = 0;
    int row;
    while ((c = db_step(st, &row, err)) == XA_OK && row) {
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            a = xa_reallocarray(a, cap, size);
        }
        memset(a + k * size, 0, size);
        if ((c = fill(s, st, a + k++ * size, err)) != XA_OK)
            break;
    }
    db_release(st);
    *v = a;
    *n = k;
    return c;
}

/* A visit_row_fn for an xa_visit_info. */
static xa_code fill_info(xa_fstore *s, db_stmt *st, void *elem, xa_err *err)
{
    return row_visit(s, st, elem, NULL, NULL, NULL, err);
}

/* Every visit, newest first. */
xa_code xa_fstore_visit_list(xa_fstore *s, xa_visit_list *out, xa_err *err)
{
    void *v;
    xa_code c = visit_rows(s, VISIT_SELECT " FROM visits ORDER BY created DESC, rowid DESC",
                           "listing visits", sizeof *out->v, fill_info, &v, &out->n, err);
    out->v = v;
    if (c != XA_OK)
        xa_visit_list_clear(out);
    return c;
}

/* The chain state and the last export: a number and a hash. */
struct seq_hash {
    int64_t seq;
    char hash[XA_HASH_HEX];
};
static const struct db_col seq_hash_cols[] = {
    DB_COL(struct seq_hash, seq, DB_C_INT64, "seq"),
    DB_COL(struct seq_hash, hash, DB_C_CHARS, "hash"),
};
static const struct db_rowtype seq_hash_row = DB_ROWTYPE(struct seq_hash, seq_hash_cols);

/* One (seq, hash) row of sql; *found 0 when there is none. */
static xa_code read_seq_hash(xa_fstore *s, const char *sql, const char *what, int64_t *seq,
                             char hash[XA_HASH_HEX], int *found, xa_err *err)
{
    db_stmt *st;
    struct seq_hash r;
    xa_code c = db_query(s->db, &st, what, sql, DB_NOARGS, err);
    if (c == XA_OK)
        c = db_row(st, &seq_hash_row, &r, found, err);
    if (c != XA_OK)
        return c;
    *seq = r.seq;
    memcpy(hash, r.hash, XA_HASH_HEX);
    return XA_OK;
}

/* Read the chain state (inside or outside a transaction). */
static xa_code read_chain(xa_fstore *s, int64_t *last_seq, char last_hash[XA_HASH_HEX],
                          xa_err *err)
{
    int found;
    xa_code c = read_seq_hash(s, "SELECT last_seq, last_hash FROM chain WHERE one = 1",
                              "reading the chain", last_seq, last_hash, &found, err);
    if (c == XA_OK && !found)
        c = xa_fail(err, XA_EDB, "the field store has no chain state");
    return c;
}

/* The chain state. */
xa_code xa_fstore_chain(xa_fstore *s, int64_t *last_seq, char last_hash[XA_HASH_HEX],
                        xa_err *err)
{
    return read_chain(s, last_seq, last_hash, err);
}

/* Seal a draft. */
xa_code xa_fstore_visit_seal(xa_fstore *s, const char *id, json_t **sealed_out, xa_err *err)
{
    json_t *doc = NULL, *sealed = NULL;
    xa_buf ct = XA_BUF_INIT;
    xa_visit_info info;
    memset(&info, 0, sizeof info);
    db_stmt *st = NULL;
    const char *what = "sealing a visit";
    xa_code c = db_begin(s->db, what, err);
    if (c != XA_OK)
        return c;
    if ((c = select_visit(s, id, &st, err)) != XA_OK)
        goto fail;
    c = row_visit(s, st, &info, &doc, NULL, NULL, err);
    db_release(st);
    if (c != XA_OK)
        goto fail;
    if (info.state != XA_VISIT_DRAFT) {
        c = xa_fail(err, XA_ESTATE, "visit %s is already %s", id, xa_visit_state_label(info.state));
        goto fail;
    }
    const char *corrects = json_string_value(json_object_get(doc, "corrects"));
    if (corrects) {
        xa_visit_state cs;
        int64_t crev;
        xa_code cc = visit_state(s, corrects, &cs, &crev, NULL);
        if (cc != XA_OK || cs == XA_VISIT_DRAFT) {
            c = xa_fail(err, XA_ESTATE, "visit.corrects: %s is not a sealed visit of this store",
                        corrects);
            goto fail;
        }
    }
    int64_t last_seq;
    char last_hex[XA_HASH_HEX];
    uint8_t prev[XA_HASH_BYTES], sig[XA_SIG_BYTES], hash[XA_HASH_BYTES];
    if ((c = read_chain(s, &last_seq, last_hex, err)) != XA_OK)
        goto fail;
    if (last_seq > 0 && xa_hex_decode(last_hex, prev, sizeof prev, NULL) != XA_OK) {
        c = xa_fail(err, XA_EDB, "the stored chain hash is damaged");
        goto fail;
    }
    if ((c = xa_visit_seal(doc, s->id, last_seq + 1, last_seq > 0 ? prev : NULL, xa_now(),
                           &sealed, sig, hash, err)) != XA_OK)
        goto fail;
    uint8_t nonce[NONCE_BYTES];
    if ((c = encrypt_doc(s, sealed, id, info.rev + 1, nonce, &ct, err)) != XA_OK)
        goto fail;
    char hash_hex[XA_HASH_HEX];
    xa_hex_encode(hash, sizeof hash, hash_hex);
    if ((c = db_exec(s->db, what,
                     "UPDATE visits SET state = 'sealed', rev = ?, updated = ?, seq = ?,"
                     " nonce = ?, doc = ?, sig = ? WHERE id = ? AND state = 'draft'",
                     DB_ARGS(db_int(info.rev + 1), db_int(xa_now()), db_int(last_seq + 1),
                             db_blob(nonce, sizeof nonce), db_blob(ct.data, ct.len),
                             db_blob(sig, sizeof sig), db_text(id)),
                     NULL, err)) != XA_OK ||
        (c = db_exec(s->db, what, "UPDATE chain SET last_seq = ?, last_hash = ? WHERE one = 1",
                     DB_ARGS(db_int(last_seq + 1), db_text(hash_hex)), NULL, err)) != XA_OK ||
        (c = db_exec(s->db, what, "DELETE FROM visit_journal WHERE visit = ?",
                     DB_ARGS(db_text(id)), NULL, err)) != XA_OK ||
        (c = db_commit(s->db, what, err)) != XA_OK)
        goto fail;
    xa_buf_clear(&ct);
    xa_visit_info_clear(&info);
    json_decref(doc);
    if (sealed_out)
        *sealed_out = sealed;
    else
        json_decref(sealed);
    return XA_OK;
fail:
    db_rollback(s->db);
    xa_buf_clear(&ct);
    xa_visit_info_clear(&info);
    json_decref(doc);
    json_decref(sealed);
    return c;
}

/* A sealed visit with its signature. */
xa_code xa_fstore_visit_sealed(xa_fstore *s, const char *id, xa_sealed_visit *out, xa_err *err)
{
    db_stmt *st = NULL;
    xa_code c = select_visit(s, id, &st, err);
    if (c != XA_OK)
        return c;
    xa_visit_info info;
    json_t *doc = NULL;
    int has_sig = 0;
    memset(out, 0, sizeof *out);
    c = row_visit(s, st, &info, &doc, out->sig, &has_sig, err);
    db_release(st);
    if (c == XA_OK && (info.state == XA_VISIT_DRAFT || !has_sig)) {
        json_decref(doc);
        c = xa_fail(err, XA_ESTATE, "visit %s is not sealed", id);
    }
    if (c == XA_OK) {
        memcpy(out->id, info.id, sizeof out->id);
        out->seq = info.seq;
        out->doc = doc;
    }
    xa_visit_info_clear(&info);
    return c;
}

/* ---- exports ---- */

/* A visit_row_fn for an xa_sealed_visit: document, id, seq and the signature it must have. */
static xa_code fill_sealed(xa_fstore *s, db_stmt *st, void *elem, xa_err *err)
{
    xa_sealed_visit *v = elem;
    xa_visit_info info;
    int has_sig = 0;
    xa_code c = row_visit(s, st, &info, &v->doc, v->sig, &has_sig, err);
    memcpy(v->id, info.id, sizeof v->id);
    v->seq = info.seq;
    xa_visit_info_clear(&info);
    if (c == XA_OK && !has_sig)
        c = xa_fail(err, XA_EDB, "sealed visit %s has no signature", v->id);
    return c;
}

/* Sealed, not yet exported visits in seq order. */
xa_code xa_fstore_unexported(xa_fstore *s, xa_sealed_list *out, xa_err *err)
{
    void *v;
    xa_code c = visit_rows(s, VISIT_SELECT " FROM visits WHERE state = 'sealed' ORDER BY seq",
                           "listing sealed visits", sizeof *out->v, fill_sealed, &v, &out->n,
                           err);
    out->v = v;
    if (c != XA_OK)
        xa_sealed_list_clear(out);
    return c;
}

/* Sealed, not yet exported visits lent one at a time as their stored
 * canonical bytes: decrypted into one reused buffer and never parsed (the
 * AEAD already proves they are the bytes the seal wrote and signed). */
xa_code xa_fstore_unexported_each(xa_fstore *s, xa_sealed_canon_fn each, void *ctx,
                                  xa_err *err)
{
    db_stmt *st;
    xa_code c = db_query(s->db, &st, "listing sealed visits",
                         VISIT_SELECT " FROM visits WHERE state = 'sealed' ORDER BY seq",
                         DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    xa_buf plain = XA_BUF_INIT;
    int row;
    while ((c = db_step(st, &row, err)) == XA_OK && row) {
        xa_visit_info info;
        memset(&info, 0, sizeof info);
        db_read(st, &visit_row, &info);
        size_t nlen, clen, slen;
        const void *nonce = db_col_blob(st, VC_NONCE, &nlen);
        const void *ct = db_col_blob(st, VC_DOC, &clen);
        const void *sig = db_col_blob(st, VC_SIG, &slen);
        if (!xa_id_valid(info.id))
            c = xa_fail(err, XA_ECRYPTO, "a stored visit has a damaged id");
        else if (slen != XA_SIG_BYTES || !sig)
            c = xa_fail(err, XA_EDB, "sealed visit %s has no signature", info.id);
        if (c == XA_OK) {
            uint8_t ad[40];
            char what[64];
            visit_ad(info.id, info.rev, ad);
            snprintf(what, sizeof what, "visit %s", info.id);
            c = open_blob(s, ad, sizeof ad, nonce, nlen, ct, clen, &plain, what, err);
        }
        if (c == XA_OK)
            c = each(info.id, info.seq, plain.data, plain.len, sig, ctx, err);
        if (plain.len)
            sodium_memzero(plain.data, plain.len);
        plain.len = 0;
        xa_visit_info_clear(&info);
        if (c != XA_OK)
            break;
    }
    db_release(st);
    xa_buf_wipe(&plain);
    return c;
}

/* How many sealed visits wait for export. */
xa_code xa_fstore_unexported_count(xa_fstore *s, size_t *n, xa_err *err)
{
    db_stmt *st = NULL;
    int row = 0;
    *n = 0;
    xa_code c = db_first(s->db, &st, &row, "counting sealed visits",
                         "SELECT COUNT(*) FROM visits WHERE state = 'sealed'", DB_NOARGS, err);
    if (c == XA_OK && row)
        *n = (size_t)db_col_int(st, 0);
    db_release(st);
    return c;
}

/* The last export. */
xa_code xa_fstore_export_last(xa_fstore *s, int64_t *seq, char hash[XA_HASH_HEX], xa_err *err)
{
    int found;
    return read_seq_hash(s, "SELECT seq, file_hash FROM exports ORDER BY seq DESC LIMIT 1",
                         "reading the exports", seq, hash, &found, err);
}

/* Every export, newest first: seq, file hash, when, how many visits. */
xa_code xa_fstore_exports(xa_fstore *s, xa_export_info **out, size_t *n, xa_err *err)
{
    *out = NULL;
    *n = 0;
    db_stmt *st;
    xa_code c = db_query(s->db, &st, "reading the exports",
                         "SELECT seq, file_hash, created, visits FROM exports ORDER BY seq DESC",
                         DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    size_t cap = 0;
    int row;
    while ((c = db_step(st, &row, err)) == XA_OK && row) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xa_reallocarray(*out, cap, sizeof **out);
        }
        xa_export_info *e = &(*out)[(*n)++];
        memset(e, 0, sizeof *e);
        e->seq = db_col_int(st, 0);
        const char *h = db_col_text(st, 1);
        snprintf(e->hash, sizeof e->hash, "%s", h ? h : "");
        e->created = db_col_int(st, 2);
        const char *ids = db_col_text(st, 3);
        json_t *a = ids ? json_loads(ids, 0, NULL) : NULL;
        e->visits = json_array_size(a);
        json_decref(a);
    }
    db_release(st);
    if (c != XA_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return c;
}

/* Inside a transaction: record bundle seq and mark its visits exported. */
static xa_code mark_exported(xa_fstore *s, int64_t seq, const char *file_hash,
                             const char *const *ids, size_t nids, xa_err *err)
{
    int64_t last;
    char last_hash[XA_HASH_HEX];
    const char *what = "recording an export";
    for (size_t i = 0; i < nids; i++)
        if (!xa_id_valid(ids[i]))
            return xa_fail(err, XA_EUSAGE, "'%.40s' is not a visit id", ids[i]);
    xa_code c = xa_fstore_export_last(s, &last, last_hash, err);
    if (c == XA_OK && seq != last + 1)
        c = xa_fail(err, XA_ESTATE, "bundle seq %lld does not follow the last export (%lld)",
                    (long long)seq, (long long)last);
    if (c != XA_OK)
        return c;
    json_t *list = json_array();
    for (size_t i = 0; i < nids; i++)
        json_array_append_new(list, json_string(ids[i]));
    char *list_text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    c = db_exec(s->db, what,
                "INSERT INTO exports (seq, file_hash, created, visits) VALUES (?,?,?,?)",
                DB_ARGS(db_int(seq), db_text(file_hash), db_int(xa_now()), db_text(list_text)),
                NULL, err);
    free(list_text);
    for (size_t i = 0; i < nids && c == XA_OK; i++) {
        int64_t changed = 0;
        c = db_exec(s->db, what,
                    "UPDATE visits SET state = 'exported', export_seq = ?, updated = ? "
                    "WHERE id = ? AND state = 'sealed'",
                    DB_ARGS(db_int(seq), db_int(xa_now()), db_text(ids[i])), &changed, err);
        if (c == XA_OK && changed != 1)
            c = xa_fail(err, XA_ESTATE, "visit %s is not a sealed, unexported visit", ids[i]);
    }
    return c;
}

/* Record an export and mark its visits exported. */
xa_code xa_fstore_mark_exported(xa_fstore *s, int64_t seq, const char *file_hash,
                                const char *const *ids, size_t nids, xa_err *err)
{
    const char *what = "recording an export";
    xa_code c = db_begin(s->db, what, err);
    if (c != XA_OK)
        return c;
    return db_end(s->db, mark_exported(s, seq, file_hash, ids, nids, err), what, err);
}

/* Start an export: take the write lock, then count. */
xa_code xa_fstore_export_begin(xa_fstore *s, size_t *waiting, int64_t *last,
                               char prev[XA_HASH_HEX], xa_err *err)
{
    *waiting = 0;
    xa_code c = db_begin(s->db, "exporting", err);
    if (c != XA_OK)
        return c;
    if ((c = xa_fstore_unexported_count(s, waiting, err)) != XA_OK ||
        (c = xa_fstore_export_last(s, last, prev, err)) != XA_OK)
        db_rollback(s->db);
    return c;
}

/* Inside the export transaction: record one bundle. */
xa_code xa_fstore_export_mark(xa_fstore *s, int64_t seq, const char *file_hash,
                              const char *const *ids, size_t nids, xa_err *err)
{
    return mark_exported(s, seq, file_hash, ids, nids, err);
}

/* End the export transaction: commit when c is XA_OK, else roll back. */
xa_code xa_fstore_export_end(xa_fstore *s, xa_code c, xa_err *err)
{
    return db_end(s->db, c, "recording an export", err);
}

/* The home folder of the store (where field.db is). */
const char *xa_fstore_home(const xa_fstore *s)
{
    return s->home;
}

/* Mark exported visits acknowledged. */
xa_code xa_fstore_mark_acknowledged(xa_fstore *s, const char *const *ids, size_t nids,
                                    size_t *count, xa_err *err)
{
    int64_t changed = 0;
    const char *what = "recording receipts";
    xa_code c = db_begin(s->db, what, err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < nids && c == XA_OK; i++) {
        if (!xa_id_valid(ids[i]))
            continue;
        int64_t one = 0;
        c = db_exec(s->db, what,
                    "UPDATE visits SET state = 'acknowledged', updated = ? "
                    "WHERE id = ? AND state = 'exported'",
                    DB_ARGS(db_int(xa_now()), db_text(ids[i])), &one, err);
        changed += one;
    }
    if ((c = db_end(s->db, c, what, err)) == XA_OK && count)
        *count = (size_t)changed;
    return c;
}

/* The record sealing of this file for field_brief.c. */
void xa__fstore_seal(const xa_fstore *s, const uint8_t *ad, size_t adlen, const xa_buf *plain,
                     uint8_t nonce[XA_FSTORE_NONCE_BYTES], xa_buf *ct)
{
    seal_blob(s, ad, adlen, plain, nonce, ct);
}

xa_code xa__fstore_unseal(const xa_fstore *s, const uint8_t *ad, size_t adlen, const void *nonce,
                          size_t nonce_len, const void *ct, size_t ct_len, xa_buf *plain,
                          const char *what, xa_err *err)
{
    return open_blob(s, ad, adlen, nonce, nonce_len, ct, ct_len, plain, what, err);
}
