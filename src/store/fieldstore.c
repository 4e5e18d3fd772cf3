/* fieldstore.c — owns field.db, the inspector's one SQLite file: schema and
 * forward migrations, the wrapped identity, visits encrypted with the data
 * key (XChaCha20-Poly1305, associated data = visit id ‖ revision as 8 bytes
 * little-endian), the seal chain, export history, the encrypted brief and
 * the pinned office.  Only ids, states, sequence numbers, hashes and
 * timestamps are stored in clear.  Every change is one IMMEDIATE
 * transaction; SQLITE_FULL becomes XA_ENOSPC with the store unchanged. */
#include "xiaoan/fieldstore.h"

#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define BRIEF_AD "xiaoan-brief"
#define BUSY_MS 5000

struct xa_fstore {
    sqlite3 *db;
    char *path;
    xa_identity *id;
};

/* Forward migrations: step i brings user_version from i to i + 1. */
static const char *const migrations[] = {
    /* 1: the first schema */
    "CREATE TABLE identity ("
    "  one INTEGER PRIMARY KEY CHECK (one = 1),"
    "  name TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL,"
    "  sign_pk BLOB NOT NULL CHECK (length(sign_pk) = 32),"
    "  age_pk BLOB NOT NULL CHECK (length(age_pk) = 32),"
    "  wrapped TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL);"
    "CREATE TABLE office ("
    "  one INTEGER PRIMARY KEY CHECK (one = 1),"
    "  name TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL,"
    "  sign_pk BLOB NOT NULL CHECK (length(sign_pk) = 32),"
    "  age_pk BLOB NOT NULL CHECK (length(age_pk) = 32),"
    "  pinned INTEGER NOT NULL);"
    "CREATE TABLE brief ("
    "  one INTEGER PRIMARY KEY CHECK (one = 1),"
    "  seq INTEGER NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  created TEXT NOT NULL,"
    "  imported INTEGER NOT NULL,"
    "  nonce BLOB NOT NULL,"
    "  data BLOB NOT NULL);"
    "CREATE TABLE exports ("
    "  seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
    "  file_hash TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  visits TEXT NOT NULL);"
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
    "  CHECK ((state = 'draft') = (sig IS NULL)));"
    "CREATE TABLE chain ("
    "  one INTEGER PRIMARY KEY CHECK (one = 1),"
    "  last_seq INTEGER NOT NULL,"
    "  last_hash TEXT);"
    "INSERT INTO chain (one, last_seq, last_hash) VALUES (1, 0, NULL);"
    /* A sealed visit's content is frozen even against a buggy caller. */
    "CREATE TRIGGER visits_frozen BEFORE UPDATE OF nonce, doc, sig, rev, seq ON visits"
    "  WHEN OLD.state <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be changed'); END;"
    "CREATE TRIGGER visits_keep BEFORE DELETE ON visits WHEN OLD.state <> 'draft'"
    "  BEGIN SELECT RAISE(ABORT, 'a sealed visit cannot be deleted'); END;",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* The schema version this build writes. */
int xa_fstore_schema_version(void)
{
    return SCHEMA_VERSION;
}

static const char *const state_names[] = {"draft", "sealed", "exported", "acknowledged"};

/* The name of a state. */
const char *xa_visit_state_name(xa_visit_state s)
{
    return (unsigned)s < 4 ? state_names[s] : "unknown";
}

/* Parse a state name (draft when unknown; the CHECK constraint keeps it valid). */
static xa_visit_state state_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (s && !strcmp(s, state_names[i]))
            return (xa_visit_state)i;
    return XA_VISIT_DRAFT;
}

/* ---- SQLite plumbing ---- */

/* Turn an SQLite result into an xa_code with a one-line message. */
static xa_code db_fail(sqlite3 *db, int rc, xa_err *err, const char *what)
{
    /* A write refused outright (file-size limit, quota) reaches SQLite as an
     * I/O error, not SQLITE_FULL; errno still says why, and the person needs
     * to hear "free some space" either way. */
    int saved_errno = errno;
    if ((rc & 0xff) == SQLITE_IOERR && (saved_errno == ENOSPC || saved_errno == EFBIG
#ifdef EDQUOT
                                        || saved_errno == EDQUOT
#endif
                                        ))
        rc = SQLITE_FULL;
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return xa_fail(err, XA_ENOSPC, "disk full while %s: nothing was changed; free some space",
                       what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return xa_fail(err, XA_EDB, "the field store is busy (another xiaoan is using it) while %s",
                       what);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return xa_fail(err, XA_EIO, "cannot write the field store while %s: %s", what,
                       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    default:
        return xa_fail(err, XA_EDB, "field store error while %s: %s", what,
                       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
}

/* Run SQL without results. */
static xa_code exec_sql(sqlite3 *db, const char *sql, const char *what, xa_err *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? XA_OK : db_fail(db, rc, err, what);
}

/* BEGIN IMMEDIATE: take the write lock up front. */
static xa_code begin(xa_fstore *s, const char *what, xa_err *err)
{
    return exec_sql(s->db, "BEGIN IMMEDIATE", what, err);
}

/* COMMIT, or roll back and report. */
static xa_code commit(xa_fstore *s, const char *what, xa_err *err)
{
    int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return XA_OK;
    xa_code c = db_fail(s->db, rc, err, what);
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return c;
}

/* Roll back if a transaction is open. */
static void rollback(xa_fstore *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Prepare a statement. */
static xa_code prep(sqlite3 *db, const char *sql, sqlite3_stmt **st, const char *what,
                    xa_err *err)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        return db_fail(db, rc, err, what);
    }
    return XA_OK;
}

/* Step a statement that returns no row, then finalize it. */
static xa_code step_done(sqlite3 *db, sqlite3_stmt *st, const char *what, xa_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, err, what);
    return XA_OK;
}

/* A text column as a new string ("" for NULL). */
static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return xa_strdup(t ? (const char *)t : "");
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
                         int nonce_len, const void *ct, int ct_len, xa_buf *plain,
                         const char *what, xa_err *err)
{
    if (nonce_len != (int)NONCE_BYTES || ct_len < (int)TAG_BYTES)
        return xa_fail(err, XA_ECRYPTO, "%s: stored record is damaged", what);
    size_t n = (size_t)ct_len - TAG_BYTES;
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

/* Associated data of a brief: "xiaoan-brief" ‖ seq (u64 LE). */
static void brief_ad(int64_t seq, uint8_t ad[sizeof BRIEF_AD - 1 + 8])
{
    memcpy(ad, BRIEF_AD, sizeof BRIEF_AD - 1);
    uint64_t r = (uint64_t)seq;
    for (int i = 0; i < 8; i++)
        ad[sizeof BRIEF_AD - 1 + i] = (uint8_t)(r >> (8 * i));
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

/* Connection settings every open uses. */
static xa_code configure(sqlite3 *db, xa_err *err)
{
    sqlite3_busy_timeout(db, BUSY_MS);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_stmt *st = NULL;
    xa_code c = prep(db, "PRAGMA journal_mode=WAL", &st, "setting the journal", err);
    if (c != XA_OK)
        return c;
    int rc = sqlite3_step(st);
    int wal = rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
              !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, err, "setting the journal");
    if (!wal)
        return xa_fail(err, XA_EDB, "the field store cannot use WAL journaling here");
    return exec_sql(db,
                    "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
                    "configuring", err);
}

/* Bring the schema up to SCHEMA_VERSION; refuse a newer one. */
static xa_code migrate(sqlite3 *db, xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = prep(db, "PRAGMA user_version", &st, "reading the schema version", err);
    if (c != XA_OK)
        return c;
    int rc = sqlite3_step(st);
    int version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, err, "reading the schema version");
    if (version > SCHEMA_VERSION)
        return xa_fail(err, XA_EDB,
                       "field.db has schema version %d, newer than this xiaoan understands (%d): "
                       "use a newer xiaoan",
                       version, SCHEMA_VERSION);
    if (version == SCHEMA_VERSION)
        return XA_OK;
    if ((c = exec_sql(db, "BEGIN IMMEDIATE", "upgrading the schema", err)) != XA_OK)
        return c;
    for (int v = version; v < SCHEMA_VERSION; v++) {
        if ((c = exec_sql(db, migrations[v], "upgrading the schema", err)) != XA_OK)
            goto fail;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SCHEMA_VERSION);
    if ((c = exec_sql(db, sql, "upgrading the schema", err)) != XA_OK)
        goto fail;
    int r2 = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (r2 != SQLITE_OK) {
        c = db_fail(db, r2, err, "upgrading the schema");
        goto fail;
    }
    return XA_OK;
fail:
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return c;
}

/* Open the SQLite file (must exist), configured and migrated. */
static xa_code open_db(const char *path, sqlite3 **out, xa_err *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    xa_code c;
    if (rc != SQLITE_OK) {
        c = db_fail(db, rc, err, "opening");
        sqlite3_close(db);
        xa_err_prefix(err, "%s", path);
        return c;
    }
    /* Keep the file private even if something loosened it. */
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077))
        chmod(path, 0600);
    if ((c = configure(db, err)) != XA_OK || (c = migrate(db, err)) != XA_OK) {
        sqlite3_close(db);
        return c;
    }
    *out = db;
    return XA_OK;
}

/* The wrapped identity JSON from the identity row. */
static xa_code read_wrapped(sqlite3 *db, json_t **out, xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = prep(db, "SELECT wrapped FROM identity WHERE one = 1", &st, "reading the identity",
                     err);
    if (c != XA_OK)
        return c;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return xa_fail(err, XA_ENOTFOUND, "the field store has no identity");
    }
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_fail(db, rc, err, "reading the identity");
    }
    const char *w = (const char *)sqlite3_column_text(st, 0);
    c = xa_json_parse(w ? w : "", w ? strlen(w) : 0, 4, out, err);
    sqlite3_finalize(st);
    if (c != XA_OK) {
        xa_err_prefix(err, "the stored identity");
        return c;
    }
    return XA_OK;
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
    json_t *w = NULL;
    xa_code c;
    if ((c = open_db(s->path, &s->db, err)) != XA_OK || (c = read_wrapped(s->db, &w, err)) != XA_OK ||
        (c = xa_identity_unwrap(w, pass, &s->id, err)) != XA_OK) {
        json_decref(w);
        xa_fstore_close(s);
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
    sqlite3 *db = NULL;
    json_t *w = NULL;
    xa_code c = open_db(path, &db, err);
    if (c == XA_OK && (c = read_wrapped(db, &w, err)) == XA_OK)
        c = xa_identity_wrapped_public(w, out, err);
    json_decref(w);
    sqlite3_close(db);
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
    s->id = id;
    int fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        c = errno == EEXIST ? xa_fail(err, XA_EEXIST, "a field store already exists in %s", home)
                            : xa_fail_errno(err, errno, "cannot create %s", s->path);
        xa_buf_free(&wtext);
        xa_fstore_close(s);
        return c;
    }
    close(fd);
    if ((c = open_db(s->path, &s->db, err)) != XA_OK || (c = begin(s, "creating", err)) != XA_OK)
        goto fail;
    sqlite3_stmt *st = NULL;
    if ((c = prep(s->db,
                  "INSERT INTO identity (one, name, fingerprint, sign_pk, age_pk, wrapped, "
                  "created, updated) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                  &st, "creating", err)) != XA_OK)
        goto fail;
    int64_t now = xa_now();
    sqlite3_bind_text(st, 1, id->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, id->fingerprint, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 3, id->sign_pk, 32, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 4, id->age_pk, 32, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, wtext.data, (int)wtext.len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, now);
    if ((c = step_done(s->db, st, "creating", err)) != XA_OK ||
        (c = commit(s, "creating", err)) != XA_OK)
        goto fail;
    xa_buf_free(&wtext);
    *out = s;
    return XA_OK;
fail:
    xa_buf_free(&wtext);
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
    if (s->db) {
        rollback(s);
        sqlite3_close(s->db);
    }
    xa_identity_free(s->id);
    free(s->path);
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
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
    sqlite3_stmt *st = NULL;
    xa_code c = prep(s->db, sql, &st, "setting a page limit", err);
    if (c != XA_OK)
        return c;
    sqlite3_step(st);
    sqlite3_finalize(st);
    return XA_OK;
}

/* Rewrap the keys under a new passphrase. */
xa_code xa_fstore_passwd(xa_fstore *s, const char *new_pass, const xa_kdf_params *kdf,
                         xa_err *err)
{
    json_t *old = NULL, *w = NULL;
    xa_kdf_params params;
    xa_buf text = XA_BUF_INIT;
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
        (c = xa_json_canonical(w, &text, err)) != XA_OK)
        goto done;
    if ((c = begin(s, "changing the passphrase", err)) != XA_OK)
        goto done;
    sqlite3_stmt *st = NULL;
    if ((c = prep(s->db, "UPDATE identity SET wrapped = ?, updated = ? WHERE one = 1", &st,
                  "changing the passphrase", err)) != XA_OK)
        goto done;
    sqlite3_bind_text(st, 1, text.data, (int)text.len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, xa_now());
    if ((c = step_done(s->db, st, "changing the passphrase", err)) != XA_OK ||
        (c = commit(s, "changing the passphrase", err)) != XA_OK)
        goto done;
    /* Move the new wrap into the main file and empty the WAL, so the old
     * wrap does not linger in the log (secure_delete zeroes it in the file). */
    sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
done:
    rollback(s);
    json_decref(w);
    xa_buf_free(&text);
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
void xa_visit_list_free(xa_visit_list *l)
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
void xa_sealed_list_free(xa_sealed_list *l)
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

#define VISIT_COLS "id, state, rev, created, updated, seq, nonce, doc, sig"

/* Decode the current row of a VISIT_COLS statement: clear columns, the
 * decrypted document and (if sig non-NULL) the signature. */
static xa_code row_visit(xa_fstore *s, sqlite3_stmt *st, xa_visit_info *info, json_t **doc,
                         uint8_t *sig, int *has_sig, xa_err *err)
{
    memset(info, 0, sizeof *info);
    const char *id = (const char *)sqlite3_column_text(st, 0);
    snprintf(info->id, sizeof info->id, "%s", id ? id : "");
    info->state = state_parse((const char *)sqlite3_column_text(st, 1));
    info->rev = sqlite3_column_int64(st, 2);
    info->created = sqlite3_column_int64(st, 3);
    info->updated = sqlite3_column_int64(st, 4);
    info->seq = sqlite3_column_int64(st, 5);
    uint8_t ad[40];
    if (!xa_id_valid(info->id))
        return xa_fail(err, XA_ECRYPTO, "a stored visit has a damaged id");
    visit_ad(info->id, info->rev, ad);
    xa_buf plain = XA_BUF_INIT;
    char what[64];
    snprintf(what, sizeof what, "visit %s", info->id);
    xa_code c = open_blob(s, ad, sizeof ad, sqlite3_column_blob(st, 6), sqlite3_column_bytes(st, 6),
                          sqlite3_column_blob(st, 7), sqlite3_column_bytes(st, 7), &plain, what,
                          err);
    json_t *d = NULL;
    if (c == XA_OK) {
        c = xa_json_parse(plain.data, plain.len, XA_JSON_MAX_DEPTH, &d, err);
        if (c != XA_OK)
            xa_err_prefix(err, "%s", what);
    }
    xa_buf_wipe(&plain);
    if (c != XA_OK)
        return c;
    if (sig) {
        int n = sqlite3_column_bytes(st, 8);
        *has_sig = n == XA_SIG_BYTES;
        if (*has_sig)
            memcpy(sig, sqlite3_column_blob(st, 8), XA_SIG_BYTES);
    }
    info_from_doc(info, d);
    if (doc)
        *doc = d;
    else
        json_decref(d);
    return XA_OK;
}

/* Select one visit row; XA_ENOTFOUND when absent.  *st is left on the row. */
static xa_code select_visit(xa_fstore *s, const char *id, sqlite3_stmt **st, xa_err *err)
{
    if (!xa_id_valid(id))
        return xa_fail(err, XA_EUSAGE, "'%.40s' is not a visit id", id);
    xa_code c = prep(s->db, "SELECT " VISIT_COLS " FROM visits WHERE id = ?", st,
                     "reading a visit", err);
    if (c != XA_OK)
        return c;
    sqlite3_bind_text(*st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW)
        return XA_OK;
    sqlite3_finalize(*st);
    *st = NULL;
    if (rc == SQLITE_DONE)
        return xa_fail(err, XA_ENOTFOUND, "no visit %s", id);
    return db_fail(s->db, rc, err, "reading a visit");
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
    xa_code c = xa_visit_new(s->id, init, &doc, err);
    if (c != XA_OK)
        return c;
    const char *id = json_string_value(json_object_get(doc, "id"));
    if ((c = encrypt_doc(s, doc, id, 1, nonce, &ct, err)) != XA_OK ||
        (c = begin(s, "saving a new visit", err)) != XA_OK)
        goto fail;
    sqlite3_stmt *st = NULL;
    if ((c = prep(s->db,
                  "INSERT INTO visits (id, state, rev, created, updated, nonce, doc) "
                  "VALUES (?, 'draft', 1, ?, ?, ?, ?)",
                  &st, "saving a new visit", err)) != XA_OK)
        goto fail;
    int64_t now = xa_now();
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_blob(st, 4, nonce, sizeof nonce, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 5, ct.data, (int)ct.len, SQLITE_TRANSIENT);
    if ((c = step_done(s->db, st, "saving a new visit", err)) != XA_OK ||
        (c = commit(s, "saving a new visit", err)) != XA_OK)
        goto fail;
    xa_buf_free(&ct);
    if (doc_out)
        *doc_out = doc;
    else
        json_decref(doc);
    return XA_OK;
fail:
    rollback(s);
    xa_buf_free(&ct);
    json_decref(doc);
    return c;
}

/* Load a visit. */
xa_code xa_fstore_visit_load(xa_fstore *s, const char *id, json_t **doc, xa_visit_info *info,
                             xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = select_visit(s, id, &st, err);
    if (c != XA_OK)
        return c;
    xa_visit_info tmp;
    c = row_visit(s, st, &tmp, doc, NULL, NULL, err);
    sqlite3_finalize(st);
    if (c != XA_OK)
        return c;
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
    sqlite3_stmt *st = NULL;
    xa_code c = prep(s->db, "SELECT state, rev FROM visits WHERE id = ?", &st, "reading a visit",
                     err);
    if (c != XA_OK)
        return c;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *state = state_parse((const char *)sqlite3_column_text(st, 0));
        *rev = sqlite3_column_int64(st, 1);
        c = XA_OK;
    } else if (rc == SQLITE_DONE) {
        c = xa_fail(err, XA_ENOTFOUND, "no visit %s", id);
    } else {
        c = db_fail(s->db, rc, err, "reading a visit");
    }
    sqlite3_finalize(st);
    return c;
}

/* Save a draft document (rev + 1). */
xa_code xa_fstore_visit_save(xa_fstore *s, const json_t *doc, xa_err *err)
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
    xa_visit_state state;
    int64_t rev;
    xa_buf ct = XA_BUF_INIT;
    uint8_t nonce[NONCE_BYTES];
    if ((c = begin(s, "saving a visit", err)) != XA_OK)
        return c;
    if ((c = visit_state(s, id, &state, &rev, err)) != XA_OK)
        goto fail;
    if (state != XA_VISIT_DRAFT) {
        c = xa_fail(err, XA_ESTATE, "visit %s is %s and cannot be changed", id,
                    xa_visit_state_name(state));
        goto fail;
    }
    if ((c = encrypt_doc(s, doc, id, rev + 1, nonce, &ct, err)) != XA_OK)
        goto fail;
    sqlite3_stmt *st = NULL;
    if ((c = prep(s->db,
                  "UPDATE visits SET rev = ?, updated = ?, nonce = ?, doc = ? "
                  "WHERE id = ? AND state = 'draft'",
                  &st, "saving a visit", err)) != XA_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, rev + 1);
    sqlite3_bind_int64(st, 2, xa_now());
    sqlite3_bind_blob(st, 3, nonce, sizeof nonce, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 4, ct.data, (int)ct.len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, id, -1, SQLITE_TRANSIENT);
    if ((c = step_done(s->db, st, "saving a visit", err)) != XA_OK ||
        (c = commit(s, "saving a visit", err)) != XA_OK)
        goto fail;
    xa_buf_free(&ct);
    return XA_OK;
fail:
    rollback(s);
    xa_buf_free(&ct);
    return c;
}

/* Delete a draft. */
xa_code xa_fstore_visit_discard(xa_fstore *s, const char *id, xa_err *err)
{
    if (!xa_id_valid(id))
        return xa_fail(err, XA_EUSAGE, "'%.40s' is not a visit id", id);
    xa_visit_state state;
    int64_t rev;
    xa_code c = begin(s, "discarding a visit", err);
    if (c != XA_OK)
        return c;
    if ((c = visit_state(s, id, &state, &rev, err)) != XA_OK)
        goto fail;
    if (state != XA_VISIT_DRAFT) {
        c = xa_fail(err, XA_ESTATE, "visit %s is %s and cannot be discarded", id,
                    xa_visit_state_name(state));
        goto fail;
    }
    sqlite3_stmt *st = NULL;
    if ((c = prep(s->db, "DELETE FROM visits WHERE id = ? AND state = 'draft'", &st,
                  "discarding a visit", err)) != XA_OK)
        goto fail;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if ((c = step_done(s->db, st, "discarding a visit", err)) != XA_OK ||
        (c = commit(s, "discarding a visit", err)) != XA_OK)
        goto fail;
    return XA_OK;
fail:
    rollback(s);
    return c;
}

/* Fill a zeroed array element from the current row of a VISIT_COLS statement. */
typedef xa_code (*visit_row_fn)(xa_fstore *s, sqlite3_stmt *st, void *elem, xa_err *err);

/* Every row of sql (a VISIT_COLS query, `what` in errors) decoded by fill into a new array of
 * size-byte elements (NULL when none); *v and *n are set on failure too, every element that
 * fill was given counted, for the caller's list free. */
static xa_code visit_rows(xa_fstore *s, const char *sql, const char *what, size_t size,
                          visit_row_fn fill, void **v, size_t *n, xa_err *err)
{
    *v = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    xa_code c = prep(s->db, sql, &st, what, err);
    if (c != XA_OK)
        return c;
    unsigned char *a = NULL;
    size_t cap = 0, k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            a = xa_realloc(a, cap * size);
        }
        memset(a + k * size, 0, size);
        if ((c = fill(s, st, a + k++ * size, err)) != XA_OK)
            break;
    }
    if (c == XA_OK && rc != SQLITE_DONE)
        c = db_fail(s->db, rc, err, what);
    sqlite3_finalize(st);
    *v = a;
    *n = k;
    return c;
}

/* A visit_row_fn for an xa_visit_info. */
static xa_code fill_info(xa_fstore *s, sqlite3_stmt *st, void *elem, xa_err *err)
{
    return row_visit(s, st, elem, NULL, NULL, NULL, err);
}

/* Every visit, newest first. */
xa_code xa_fstore_visit_list(xa_fstore *s, xa_visit_list *out, xa_err *err)
{
    void *v;
    xa_code c = visit_rows(s,
                           "SELECT " VISIT_COLS " FROM visits ORDER BY created DESC, rowid DESC",
                           "listing visits", sizeof *out->v, fill_info, &v, &out->n, err);
    out->v = v;
    if (c != XA_OK)
        xa_visit_list_free(out);
    return c;
}

/* Read the chain state (inside or outside a transaction). */
static xa_code read_chain(xa_fstore *s, int64_t *last_seq, char last_hash[XA_HASH_HEX],
                          xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = prep(s->db, "SELECT last_seq, last_hash FROM chain WHERE one = 1", &st,
                     "reading the chain", err);
    if (c != XA_OK)
        return c;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *last_seq = sqlite3_column_int64(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        snprintf(last_hash, XA_HASH_HEX, "%s", h ? h : "");
        c = XA_OK;
    } else {
        c = rc == SQLITE_DONE ? xa_fail(err, XA_EDB, "the field store has no chain state")
                              : db_fail(s->db, rc, err, "reading the chain");
    }
    sqlite3_finalize(st);
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
    sqlite3_stmt *st = NULL;
    xa_code c = begin(s, "sealing a visit", err);
    if (c != XA_OK)
        return c;
    if ((c = select_visit(s, id, &st, err)) != XA_OK)
        goto fail;
    c = row_visit(s, st, &info, &doc, NULL, NULL, err);
    sqlite3_finalize(st);
    st = NULL;
    if (c != XA_OK)
        goto fail;
    if (info.state != XA_VISIT_DRAFT) {
        c = xa_fail(err, XA_ESTATE, "visit %s is already %s", id, xa_visit_state_name(info.state));
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
    if ((c = prep(s->db,
                  "UPDATE visits SET state = 'sealed', rev = ?, updated = ?, seq = ?, nonce = ?, "
                  "doc = ?, sig = ? WHERE id = ? AND state = 'draft'",
                  &st, "sealing a visit", err)) != XA_OK)
        goto fail;
    int64_t now = xa_now();
    sqlite3_bind_int64(st, 1, info.rev + 1);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, last_seq + 1);
    sqlite3_bind_blob(st, 4, nonce, sizeof nonce, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 5, ct.data, (int)ct.len, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 6, sig, sizeof sig, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, id, -1, SQLITE_TRANSIENT);
    c = step_done(s->db, st, "sealing a visit", err);
    st = NULL;
    if (c != XA_OK)
        goto fail;
    char hash_hex[XA_HASH_HEX];
    xa_hex_encode(hash, sizeof hash, hash_hex);
    if ((c = prep(s->db, "UPDATE chain SET last_seq = ?, last_hash = ? WHERE one = 1", &st,
                  "sealing a visit", err)) != XA_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, last_seq + 1);
    sqlite3_bind_text(st, 2, hash_hex, -1, SQLITE_TRANSIENT);
    c = step_done(s->db, st, "sealing a visit", err);
    st = NULL;
    if (c != XA_OK || (c = commit(s, "sealing a visit", err)) != XA_OK)
        goto fail;
    xa_buf_free(&ct);
    xa_visit_info_clear(&info);
    json_decref(doc);
    if (sealed_out)
        *sealed_out = sealed;
    else
        json_decref(sealed);
    return XA_OK;
fail:
    rollback(s);
    xa_buf_free(&ct);
    xa_visit_info_clear(&info);
    json_decref(doc);
    json_decref(sealed);
    return c;
}

/* A sealed visit with its signature. */
xa_code xa_fstore_visit_sealed(xa_fstore *s, const char *id, xa_sealed_visit *out, xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = select_visit(s, id, &st, err);
    if (c != XA_OK)
        return c;
    xa_visit_info info;
    json_t *doc = NULL;
    int has_sig = 0;
    memset(out, 0, sizeof *out);
    c = row_visit(s, st, &info, &doc, out->sig, &has_sig, err);
    sqlite3_finalize(st);
    if (c != XA_OK)
        return c;
    if (info.state == XA_VISIT_DRAFT || !has_sig) {
        xa_visit_info_clear(&info);
        json_decref(doc);
        return xa_fail(err, XA_ESTATE, "visit %s is not sealed", id);
    }
    memcpy(out->id, info.id, sizeof out->id);
    out->seq = info.seq;
    out->doc = doc;
    xa_visit_info_clear(&info);
    return XA_OK;
}

/* ---- exports ---- */

/* A visit_row_fn for an xa_sealed_visit: document, id, seq and the signature it must have. */
static xa_code fill_sealed(xa_fstore *s, sqlite3_stmt *st, void *elem, xa_err *err)
{
    xa_sealed_visit *v = elem;
    xa_visit_info info;
    int has_sig = 0;
    xa_code c = row_visit(s, st, &info, &v->doc, v->sig, &has_sig, err);
    if (c != XA_OK)
        return c;
    memcpy(v->id, info.id, sizeof v->id);
    v->seq = info.seq;
    xa_visit_info_clear(&info);
    if (!has_sig)
        return xa_fail(err, XA_EDB, "sealed visit %s has no signature", v->id);
    return XA_OK;
}

/* Sealed, not yet exported visits in seq order. */
xa_code xa_fstore_unexported(xa_fstore *s, xa_sealed_list *out, xa_err *err)
{
    void *v;
    xa_code c = visit_rows(s,
                           "SELECT " VISIT_COLS " FROM visits WHERE state = 'sealed' ORDER BY seq",
                           "listing sealed visits", sizeof *out->v, fill_sealed, &v, &out->n,
                           err);
    out->v = v;
    if (c != XA_OK)
        xa_sealed_list_free(out);
    return c;
}

/* The last export. */
xa_code xa_fstore_export_last(xa_fstore *s, int64_t *seq, char hash[XA_HASH_HEX], xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = prep(s->db, "SELECT seq, file_hash FROM exports ORDER BY seq DESC LIMIT 1", &st,
                     "reading the exports", err);
    if (c != XA_OK)
        return c;
    int rc = sqlite3_step(st);
    *seq = 0;
    hash[0] = '\0';
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        snprintf(hash, XA_HASH_HEX, "%s", h ? h : "");
    } else if (rc != SQLITE_DONE) {
        c = db_fail(s->db, rc, err, "reading the exports");
    }
    sqlite3_finalize(st);
    return c;
}

/* Record an export and mark its visits exported. */
xa_code xa_fstore_mark_exported(xa_fstore *s, int64_t seq, const char *file_hash,
                                const char *const *ids, size_t nids, xa_err *err)
{
    int64_t last;
    char last_hash[XA_HASH_HEX];
    json_t *list = json_array();
    char *list_text = NULL;
    sqlite3_stmt *st = NULL;
    xa_code c;
    for (size_t i = 0; i < nids; i++) {
        if (!xa_id_valid(ids[i])) {
            json_decref(list);
            return xa_fail(err, XA_EUSAGE, "'%.40s' is not a visit id", ids[i]);
        }
        json_array_append_new(list, json_string(ids[i]));
    }
    list_text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    if ((c = begin(s, "recording an export", err)) != XA_OK)
        goto done;
    if ((c = xa_fstore_export_last(s, &last, last_hash, err)) != XA_OK)
        goto fail;
    if (seq != last + 1) {
        c = xa_fail(err, XA_ESTATE, "bundle seq %lld does not follow the last export (%lld)",
                    (long long)seq, (long long)last);
        goto fail;
    }
    if ((c = prep(s->db, "INSERT INTO exports (seq, file_hash, created, visits) VALUES (?,?,?,?)",
                  &st, "recording an export", err)) != XA_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_text(st, 2, file_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, xa_now());
    sqlite3_bind_text(st, 4, list_text, -1, SQLITE_TRANSIENT);
    c = step_done(s->db, st, "recording an export", err);
    st = NULL;
    if (c != XA_OK)
        goto fail;
    for (size_t i = 0; i < nids; i++) {
        if ((c = prep(s->db,
                      "UPDATE visits SET state = 'exported', export_seq = ?, updated = ? "
                      "WHERE id = ? AND state = 'sealed'",
                      &st, "recording an export", err)) != XA_OK)
            goto fail;
        sqlite3_bind_int64(st, 1, seq);
        sqlite3_bind_int64(st, 2, xa_now());
        sqlite3_bind_text(st, 3, ids[i], -1, SQLITE_TRANSIENT);
        c = step_done(s->db, st, "recording an export", err);
        st = NULL;
        if (c != XA_OK)
            goto fail;
        if (sqlite3_changes(s->db) != 1) {
            c = xa_fail(err, XA_ESTATE, "visit %s is not a sealed, unexported visit", ids[i]);
            goto fail;
        }
    }
    c = commit(s, "recording an export", err);
    goto done;
fail:
    rollback(s);
done:
    free(list_text);
    return c;
}

/* Mark exported visits acknowledged. */
xa_code xa_fstore_mark_acknowledged(xa_fstore *s, const char *const *ids, size_t nids,
                                    size_t *count, xa_err *err)
{
    size_t changed = 0;
    xa_code c = begin(s, "recording receipts", err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < nids; i++) {
        if (!xa_id_valid(ids[i]))
            continue;
        sqlite3_stmt *st = NULL;
        if ((c = prep(s->db,
                      "UPDATE visits SET state = 'acknowledged', updated = ? "
                      "WHERE id = ? AND state = 'exported'",
                      &st, "recording receipts", err)) != XA_OK)
            goto fail;
        sqlite3_bind_int64(st, 1, xa_now());
        sqlite3_bind_text(st, 2, ids[i], -1, SQLITE_TRANSIENT);
        if ((c = step_done(s->db, st, "recording receipts", err)) != XA_OK)
            goto fail;
        changed += (size_t)sqlite3_changes(s->db);
    }
    if ((c = commit(s, "recording receipts", err)) != XA_OK)
        goto fail;
    if (count)
        *count = changed;
    return XA_OK;
fail:
    rollback(s);
    return c;
}

/* ---- brief and office ---- */

/* The pinned office from a query already positioned. */
static xa_code read_office(xa_fstore *s, xa_identity **out, xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = prep(s->db, "SELECT name, sign_pk, age_pk FROM office WHERE one = 1", &st,
                     "reading the pinned office", err);
    if (c != XA_OK)
        return c;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 1) != 32 || sqlite3_column_bytes(st, 2) != 32) {
            c = xa_fail(err, XA_EDB, "the pinned office keys are damaged");
        } else {
            char *name = col_text(st, 0);
            c = xa_identity_from_public(name, sqlite3_column_blob(st, 1),
                                        sqlite3_column_blob(st, 2), out, err);
            free(name);
        }
    } else if (rc == SQLITE_DONE) {
        c = xa_fail(err, XA_ENOTFOUND, "no office is pinned yet: import a brief first");
    } else {
        c = db_fail(s->db, rc, err, "reading the pinned office");
    }
    sqlite3_finalize(st);
    return c;
}

/* The pinned office. */
xa_code xa_fstore_office(xa_fstore *s, xa_identity **out, xa_err *err)
{
    return read_office(s, out, err);
}

/* The seq of the stored brief, or -1 when none. */
static xa_code brief_seq(xa_fstore *s, int64_t *seq, xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = prep(s->db, "SELECT seq FROM brief WHERE one = 1", &st, "reading the brief", err);
    if (c != XA_OK)
        return c;
    int rc = sqlite3_step(st);
    *seq = -1;
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        c = db_fail(s->db, rc, err, "reading the brief");
    sqlite3_finalize(st);
    return c;
}

/* Store a brief, pinning the office at the first import. */
xa_code xa_fstore_brief_put(xa_fstore *s, const xa_identity *office, const xa_brief_meta *meta,
                            const json_t *records, int *pinned_now, xa_err *err)
{
    if (!json_is_array(records))
        return xa_fail(err, XA_EUSAGE, "brief records must be a JSON array");
    xa_buf plain = XA_BUF_INIT, ct = XA_BUF_INIT;
    xa_identity *pinned = NULL;
    sqlite3_stmt *st = NULL;
    int pin = 0;
    xa_code c = xa_json_canonical(records, &plain, err);
    if (c != XA_OK)
        goto done;
    if ((c = begin(s, "storing the brief", err)) != XA_OK)
        goto done;
    c = read_office(s, &pinned, err);
    if (c == XA_ENOTFOUND) {
        pin = 1;
    } else if (c != XA_OK) {
        goto fail;
    } else if (sodium_memcmp(pinned->sign_pk, office->sign_pk, 32) != 0 ||
               sodium_memcmp(pinned->age_pk, office->age_pk, 32) != 0) {
        c = xa_fail(err, XA_ESENDER,
                    "the brief comes from office %s, but this field store trusts office %s "
                    "(pinned at the first import)",
                    office->fingerprint, pinned->fingerprint);
        goto fail;
    }
    int64_t cur;
    if ((c = brief_seq(s, &cur, err)) != XA_OK)
        goto fail;
    if (meta->seq < cur) {
        c = xa_fail(err, XA_ESTATE, "brief %lld is older than the imported brief %lld",
                    (long long)meta->seq, (long long)cur);
        goto fail;
    }
    if (pin) {
        if ((c = prep(s->db,
                      "INSERT INTO office (one, name, fingerprint, sign_pk, age_pk, pinned) "
                      "VALUES (1, ?, ?, ?, ?, ?)",
                      &st, "pinning the office", err)) != XA_OK)
            goto fail;
        sqlite3_bind_text(st, 1, office->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, office->fingerprint, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 3, office->sign_pk, 32, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 4, office->age_pk, 32, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 5, xa_now());
        c = step_done(s->db, st, "pinning the office", err);
        st = NULL;
        if (c != XA_OK)
            goto fail;
    }
    uint8_t ad[sizeof BRIEF_AD - 1 + 8], nonce[NONCE_BYTES];
    brief_ad(meta->seq, ad);
    seal_blob(s, ad, sizeof ad, &plain, nonce, &ct);
    if ((c = prep(s->db,
                  "INSERT OR REPLACE INTO brief (one, seq, hash, created, imported, nonce, data) "
                  "VALUES (1, ?, ?, ?, ?, ?, ?)",
                  &st, "storing the brief", err)) != XA_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, meta->seq);
    sqlite3_bind_text(st, 2, meta->hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, meta->created, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, xa_now());
    sqlite3_bind_blob(st, 5, nonce, sizeof nonce, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 6, ct.data, (int)ct.len, SQLITE_TRANSIENT);
    c = step_done(s->db, st, "storing the brief", err);
    st = NULL;
    if (c != XA_OK || (c = commit(s, "storing the brief", err)) != XA_OK)
        goto fail;
    if (pinned_now)
        *pinned_now = pin;
    goto done;
fail:
    rollback(s);
done:
    xa_identity_free(pinned);
    xa_buf_wipe(&plain);
    xa_buf_free(&ct);
    return c;
}

/* The current brief. */
xa_code xa_fstore_brief_get(xa_fstore *s, json_t **records, xa_brief_meta *meta, xa_err *err)
{
    sqlite3_stmt *st = NULL;
    xa_code c = prep(s->db,
                     "SELECT seq, hash, created, imported, nonce, data FROM brief WHERE one = 1",
                     &st, "reading the brief", err);
    if (c != XA_OK)
        return c;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return xa_fail(err, XA_ENOTFOUND, "no brief imported yet: run 'xiaoan brief import'");
        return db_fail(s->db, rc, err, "reading the brief");
    }
    xa_brief_meta m;
    memset(&m, 0, sizeof m);
    m.seq = sqlite3_column_int64(st, 0);
    const char *h = (const char *)sqlite3_column_text(st, 1);
    snprintf(m.hash, sizeof m.hash, "%s", h ? h : "");
    const char *cr = (const char *)sqlite3_column_text(st, 2);
    snprintf(m.created, sizeof m.created, "%s", cr ? cr : "");
    m.imported = sqlite3_column_int64(st, 3);
    uint8_t ad[sizeof BRIEF_AD - 1 + 8];
    brief_ad(m.seq, ad);
    xa_buf plain = XA_BUF_INIT;
    c = open_blob(s, ad, sizeof ad, sqlite3_column_blob(st, 4), sqlite3_column_bytes(st, 4),
                  sqlite3_column_blob(st, 5), sqlite3_column_bytes(st, 5), &plain, "the brief",
                  err);
    sqlite3_finalize(st);
    json_t *r = NULL;
    if (c == XA_OK && (c = xa_json_parse(plain.data, plain.len, XA_JSON_MAX_DEPTH, &r, err)) ==
                          XA_OK && !json_is_array(r)) {
        json_decref(r);
        c = xa_fail(err, XA_EDB, "the stored brief is not a list of records");
    }
    xa_buf_wipe(&plain);
    if (c != XA_OK)
        return c;
    *records = r;
    if (meta)
        *meta = m;
    return XA_OK;
}
