/* centralstore.c — the central store: opening, schema and migrations,
 * transactions, settings, the office identity, the audit log, inspectors,
 * schools and forms.  Visits, hazards and the report queries are in
 * central_rows.c; both share central_internal.h.
 *
 * The store is one SQLite file (WAL, synchronous=FULL, foreign keys on,
 * mode 0600).  The schema is versioned with PRAGMA user_version; each
 * migration is a list of statements run in one transaction. */
#include "central_internal.h"

#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "xaCS": tells a central store from any other SQLite file. */
#define CSTORE_APP_ID 0x78614353

/* Migration 1: the whole first schema.  Portable SQL only. */
static const char *const migration1[] = {
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE office (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL, sign_key TEXT NOT NULL, age_recipient TEXT NOT NULL,"
    " wrapped TEXT NOT NULL, created TEXT NOT NULL)",
    "CREATE TABLE audit (id BIGINT PRIMARY KEY, at TEXT NOT NULL, command TEXT NOT NULL,"
    " summary TEXT NOT NULL)",
    "CREATE TABLE inspectors (fingerprint TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " sign_key TEXT NOT NULL UNIQUE, age_recipient TEXT NOT NULL, enrolled TEXT NOT NULL,"
    " enrolled_at BIGINT NOT NULL, revoked TEXT, revoked_at BIGINT)",
    "CREATE TABLE schools (code TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL,"
    " type TEXT NOT NULL, boarding INTEGER NOT NULL, canteen INTEGER NOT NULL,"
    " lab INTEGER NOT NULL, bus INTEGER NOT NULL, students BIGINT NOT NULL,"
    " address TEXT NOT NULL, pinyin TEXT NOT NULL)",
    "CREATE TABLE forms (id TEXT NOT NULL, version BIGINT NOT NULL, hash TEXT NOT NULL,"
    " title TEXT NOT NULL, category TEXT NOT NULL, items BIGINT NOT NULL, major BIGINT NOT NULL,"
    " doc TEXT NOT NULL, imported TEXT NOT NULL, PRIMARY KEY (id, version))",
    "CREATE TABLE bundles (hash TEXT PRIMARY KEY,"
    " sender TEXT NOT NULL REFERENCES inspectors (fingerprint), seq BIGINT NOT NULL,"
    " prev TEXT, created TEXT NOT NULL, created_at BIGINT NOT NULL, file TEXT NOT NULL,"
    " visits BIGINT NOT NULL, received TEXT NOT NULL)",
    "CREATE TABLE visits (id TEXT PRIMARY KEY,"
    " inspector TEXT NOT NULL REFERENCES inspectors (fingerprint), seq BIGINT NOT NULL,"
    " prev TEXT, hash TEXT NOT NULL, record TEXT NOT NULL, school TEXT NOT NULL,"
    " school_name TEXT NOT NULL, county TEXT NOT NULL, kind TEXT NOT NULL,"
    " arrived TEXT NOT NULL, arrived_at BIGINT NOT NULL, sealed TEXT NOT NULL,"
    " sealed_at BIGINT NOT NULL, corrects TEXT, received TEXT NOT NULL)",
    "CREATE INDEX visits_inspector ON visits (inspector, seq)",
    "CREATE INDEX visits_school ON visits (school, arrived_at)",
    "CREATE TABLE bundle_visits (bundle TEXT NOT NULL REFERENCES bundles (hash),"
    " visit TEXT NOT NULL REFERENCES visits (id), PRIMARY KEY (bundle, visit))",
    "CREATE TABLE visit_forms (visit TEXT NOT NULL REFERENCES visits (id), form TEXT NOT NULL,"
    " version BIGINT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (visit, form))",
    "CREATE TABLE answers (visit TEXT NOT NULL REFERENCES visits (id), form TEXT NOT NULL,"
    " code TEXT NOT NULL, result TEXT NOT NULL, value BIGINT, text TEXT, note TEXT NOT NULL,"
    " location TEXT NOT NULL, PRIMARY KEY (visit, form, code))",
    "CREATE TABLE hazards (id TEXT PRIMARY KEY, visit TEXT NOT NULL REFERENCES visits (id),"
    " inspector TEXT NOT NULL, school TEXT NOT NULL, form TEXT NOT NULL, code TEXT NOT NULL,"
    " category TEXT NOT NULL, severity TEXT NOT NULL, description TEXT NOT NULL,"
    " location TEXT NOT NULL, requirement TEXT NOT NULL, deadline TEXT NOT NULL,"
    " responsible TEXT NOT NULL, measures TEXT NOT NULL, notes TEXT NOT NULL,"
    " rectified_on_site INTEGER NOT NULL, found TEXT NOT NULL, found_at BIGINT NOT NULL,"
    " state TEXT NOT NULL, closed TEXT, closed_at BIGINT, rechecks BIGINT NOT NULL,"
    " last_check TEXT, last_verdict TEXT, last_checker TEXT)",
    "CREATE INDEX hazards_school ON hazards (school, state)",
    /* no foreign key to hazards: a follow-up may arrive before the finding */
    "CREATE TABLE hazard_events (hazard TEXT NOT NULL, visit TEXT NOT NULL REFERENCES visits (id),"
    " kind TEXT NOT NULL, verdict TEXT, at TEXT NOT NULL, at_epoch BIGINT NOT NULL,"
    " inspector TEXT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (hazard, visit, kind))",
    "CREATE TABLE anomalies (id TEXT PRIMARY KEY, kind TEXT NOT NULL, inspector TEXT,"
    " visit TEXT, bundle TEXT, detail TEXT NOT NULL, detected TEXT NOT NULL)",
    "CREATE TABLE quarantine (id TEXT PRIMARY KEY, file TEXT NOT NULL, path TEXT NOT NULL,"
    " hash TEXT NOT NULL, reason TEXT NOT NULL, received TEXT NOT NULL)",
    "CREATE TABLE briefs (hash TEXT PRIMARY KEY,"
    " inspector TEXT NOT NULL REFERENCES inspectors (fingerprint), seq BIGINT NOT NULL,"
    " prev TEXT, created TEXT NOT NULL, file TEXT NOT NULL, schools BIGINT NOT NULL,"
    " forms BIGINT NOT NULL, hazards BIGINT NOT NULL, receipts BIGINT NOT NULL)",
    "INSERT INTO settings (key, value) VALUES ('deadline.general', '30')",
    "INSERT INTO settings (key, value) VALUES ('deadline.major', '15')",
    "INSERT INTO settings (key, value) VALUES ('report.unvisited_days', '90')",
    NULL,
};

/* 2: draws and assignments (检查任务, docs/draw.md), inspectors' home
 * counties, the roster's newer columns (tier 重点/薄弱/一般, 学校标识码,
 * 民办, 附设幼儿班, boarders). */
static const char *const migration2[] = {
    "ALTER TABLE inspectors ADD COLUMN county TEXT",
    "ALTER TABLE schools ADD COLUMN tier TEXT NOT NULL DEFAULT 'normal'",
    "ALTER TABLE schools ADD COLUMN school_id TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE schools ADD COLUMN private INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE schools ADD COLUMN kindergarten_class INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE schools ADD COLUMN boarders BIGINT NOT NULL DEFAULT -1",
    "CREATE TABLE draws (id TEXT PRIMARY KEY, commitment TEXT NOT NULL, seed TEXT NOT NULL,"
    " plan_hash TEXT NOT NULL, kind TEXT NOT NULL, created TEXT NOT NULL, beacon TEXT,"
    " revealed TEXT)",
    "CREATE TABLE assignments (id TEXT PRIMARY KEY, draw TEXT NOT NULL REFERENCES draws (id),"
    " school TEXT NOT NULL, kind TEXT NOT NULL, due TEXT, forms TEXT NOT NULL,"
    " created TEXT NOT NULL, visit TEXT, done TEXT, done_at BIGINT)",
    "CREATE TABLE assignment_team (assignment TEXT NOT NULL REFERENCES assignments (id),"
    " pos BIGINT NOT NULL, inspector TEXT NOT NULL REFERENCES inspectors (fingerprint),"
    " PRIMARY KEY (assignment, pos))",
    "CREATE INDEX assignment_team_inspector ON assignment_team (inspector)",
    NULL,
};

static const char *const *const migrations[] = {migration1, migration2};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* ---- small SQLite helpers shared with central_rows.c ---------------------- */

xa_code cs_dbfail(xa_cstore *s, xa_err *err, const char *what)
{
    int rc = sqlite3_extended_errcode(s->db);
    if ((rc & 0xff) == SQLITE_FULL)
        return xa_fail(err, XA_ENOSPC, "%s: disk full", what);
    return xa_fail(err, XA_EDB, "%s: %s", what, sqlite3_errmsg(s->db));
}

xa_code cs_prep(xa_cstore *s, const char *sql, sqlite3_stmt **st, xa_err *err)
{
    for (size_t i = 0; i < s->ncache; i++) {
        struct cs_cached *c = &s->cache[i];
        if (!c->busy && !strcmp(sqlite3_sql(c->st), sql)) {
            c->busy = 1;
            *st = c->st;
            return XA_OK;
        }
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return cs_dbfail(s, err, "preparing a query");
    /* keep it: a free slot, else the next one not in use (round robin) */
    struct cs_cached *slot = NULL;
    if (s->ncache < CS_CACHE) {
        slot = &s->cache[s->ncache++];
    } else {
        for (size_t k = 0; k < CS_CACHE && !slot; k++) {
            struct cs_cached *c = &s->cache[(s->evict + k) % CS_CACHE];
            if (!c->busy) {
                sqlite3_finalize(c->st);
                slot = c;
                s->evict = (s->evict + k + 1) % CS_CACHE;
            }
        }
    }
    if (slot) {
        slot->st = *st;
        slot->busy = 1;
    }
    return XA_OK;
}

void cs_release(xa_cstore *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            s->cache[i].busy = 0;
            return;
        }
    }
    sqlite3_finalize(st);
}

void cs_cache_clear(xa_cstore *s)
{
    for (size_t i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    s->ncache = 0;
    s->evict = 0;
}

/* Bind values by a type string: 's' text (NULL binds NULL), 'i' int64,
 * 'I' int64 or NULL when the following int flag is 0 (two arguments). */
void cs_vbind(sqlite3_stmt *st, const char *types, va_list ap)
{
    for (int i = 0; types && types[i]; i++) {
        if (types[i] == 's') {
            const char *v = va_arg(ap, const char *);
            if (v)
                sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, i + 1);
        } else if (types[i] == 'i') {
            sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else if (types[i] == 'I') {
            int64_t v = va_arg(ap, int64_t);
            int has = va_arg(ap, int);
            if (has)
                sqlite3_bind_int64(st, i + 1, v);
            else
                sqlite3_bind_null(st, i + 1);
        }
    }
}

xa_code cs_query(xa_cstore *s, sqlite3_stmt **st, xa_err *err, const char *sql,
                 const char *types, ...)
{
    xa_code c = cs_prep(s, sql, st, err);
    if (c != XA_OK)
        return c;
    va_list ap;
    va_start(ap, types);
    cs_vbind(*st, types, ap);
    va_end(ap);
    return XA_OK;
}

xa_code cs_exec(xa_cstore *s, xa_err *err, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s, sql, &st, err);
    if (c != XA_OK)
        return c;
    va_list ap;
    va_start(ap, types);
    cs_vbind(st, types, ap);
    va_end(ap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE) {
        int ext = sqlite3_extended_errcode(s->db);
        if ((ext & 0xff) == SQLITE_CONSTRAINT) {
            c = xa_fail(err, XA_EEXIST, "%s", sqlite3_errmsg(s->db));
        } else {
            c = cs_dbfail(s, err, "writing the central store");
        }
    }
    cs_release(s, st);
    return c;
}

/* Step; XA_OK with *row 1 for a row, 0 at the end. */
xa_code cs_step(xa_cstore *s, sqlite3_stmt *st, int *row, xa_err *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *row = 1;
        return XA_OK;
    }
    *row = 0;
    if (rc == SQLITE_DONE)
        return XA_OK;
    return cs_dbfail(s, err, "reading the central store");
}

/* Every row of st into a new array (never NULL), st given back; on failure drop frees it. */
xa_code cs_rows(xa_cstore *s, sqlite3_stmt *st, size_t size, cs_read_fn read, cs_drop_fn drop,
                void **out, size_t *n, xa_err *err)
{
    size_t cap = 16, k = 0;
    unsigned char *v = xa_calloc(cap, size);
    int row;
    xa_code c;
    while ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        if (k == cap) {
            v = xa_realloc(v, cap * 2 * size);
            memset(v + cap * size, 0, cap * size);
            cap *= 2;
        }
        read(st, v + k++ * size);
    }
    cs_release(s, st);
    if (c != XA_OK) {
        drop(v, k);
        return c;
    }
    *out = v;
    *n = k;
    return XA_OK;
}

char *cs_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t || sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    return xa_strdup((const char *)t);
}

char *cs_col0(sqlite3_stmt *st, int i)
{
    char *v = cs_col(st, i);
    return v ? v : xa_strdup("");
}

int64_t cs_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_int64(st, i);
}

char *cs_now_text(void)
{
    char t[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, t);
    return xa_strdup(t);
}

/* ---- opening ----------------------------------------------------------------- */

static xa_code pragma_int(xa_cstore *s, const char *sql, int64_t *out, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s, sql, &st, err);
    if (c != XA_OK)
        return c;
    int row = 0;
    c = cs_step(s, st, &row, err);
    *out = row ? cs_int(st, 0) : 0;
    cs_release(s, st);
    return c;
}

static xa_code plain(xa_cstore *s, const char *sql, xa_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        xa_code c = xa_fail(err, XA_EDB, "%s: %s", sql, msg ? msg : "failed");
        sqlite3_free(msg);
        return c;
    }
    return XA_OK;
}

/* Bring the schema to XA_CSTORE_SCHEMA, one transaction per step. */
static xa_code migrate(xa_cstore *s, int fresh, xa_err *err)
{
    int64_t version = 0, app = 0;
    xa_code c = pragma_int(s, "PRAGMA user_version", &version, err);
    if (c == XA_OK)
        c = pragma_int(s, "PRAGMA application_id", &app, err);
    if (c != XA_OK)
        return c;
    if (!fresh && app != CSTORE_APP_ID)
        return xa_fail(err, XA_EFORMAT, "%s is not a xiaoan central store", s->path);
    if (version > NMIGRATIONS)
        return xa_fail(err, XA_ESTATE,
                       "%s has schema %lld, newer than this xiaoan knows (%d): upgrade xiaoan",
                       s->path, (long long)version, NMIGRATIONS);
    for (int v = (int)version; v < NMIGRATIONS; v++) {
        if ((c = xa_cstore_begin(s, err)) != XA_OK)
            return c;
        for (const char *const *q = migrations[v]; *q; q++)
            if ((c = plain(s, *q, err)) != XA_OK) {
                xa_cstore_rollback(s);
                return xa_err_prefix(err, "migrating %s to schema %d", s->path, v + 1);
            }
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if ((c = plain(s, sql, err)) == XA_OK && fresh && v == 0) {
            snprintf(sql, sizeof sql, "PRAGMA application_id = %d", CSTORE_APP_ID);
            c = plain(s, sql, err);
        }
        if (c == XA_OK)
            c = xa_cstore_commit(s, err);
        if (c != XA_OK) {
            xa_cstore_rollback(s);
            return c;
        }
    }
    return XA_OK;
}

static xa_code open_db(const char *path, int create, xa_cstore **out, xa_err *err)
{
    if (create) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (errno == EEXIST)
                return xa_fail(err, XA_EEXIST, "%s already exists", path);
            return xa_fail_errno(err, errno, "cannot create %s", path);
        }
        close(fd);
    } else {
        struct stat st;
        if (stat(path, &st) != 0) {
            if (errno == ENOENT)
                return xa_fail(err, XA_ENOTFOUND,
                               "no central store at %s (run xiaoan central init)", path);
            return xa_fail_errno(err, errno, "cannot open %s", path);
        }
        if (!S_ISREG(st.st_mode))
            return xa_fail(err, XA_EFORMAT, "%s is not a file", path);
    }
    xa_cstore *s = xa_calloc(1, sizeof *s);
    s->path = xa_strdup(path);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) !=
        SQLITE_OK) {
        xa_code c = xa_fail(err, XA_EDB, "cannot open %s: %s", path,
                            s->db ? sqlite3_errmsg(s->db) : "out of memory");
        xa_cstore_close(s);
        if (create)
            unlink(path);
        return c;
    }
    sqlite3_busy_timeout(s->db, 10000);
    xa_code c;
    int64_t dummy;
    /* Reading user_version first tells "not a database" apart cleanly. */
    if ((c = pragma_int(s, "PRAGMA user_version", &dummy, err)) != XA_OK) {
        c = xa_fail(err, XA_EFORMAT, "%s is not a xiaoan central store", path);
        goto fail;
    }
    if (!create) {
        int64_t app = 0;
        if ((c = pragma_int(s, "PRAGMA application_id", &app, err)) != XA_OK)
            goto fail;
        if (app != CSTORE_APP_ID) {
            c = xa_fail(err, XA_EFORMAT, "%s is not a xiaoan central store", path);
            goto fail;
        }
    }
    if ((c = plain(s, "PRAGMA journal_mode = WAL", err)) != XA_OK ||
        (c = plain(s, "PRAGMA synchronous = FULL", err)) != XA_OK ||
        (c = plain(s, "PRAGMA foreign_keys = ON", err)) != XA_OK ||
        (c = migrate(s, create, err)) != XA_OK)
        goto fail;
    *out = s;
    return XA_OK;
fail:
    xa_cstore_close(s);
    if (create)
        unlink(path);
    return c;
}

xa_code xa_cstore_create(const char *path, xa_cstore **out, xa_err *err)
{
    return open_db(path, 1, out, err);
}

xa_code xa_cstore_open(const char *path, xa_cstore **out, xa_err *err)
{
    return open_db(path, 0, out, err);
}

void xa_cstore_close(xa_cstore *s)
{
    if (!s)
        return;
    if (s->db) {
        cs_cache_clear(s);
        sqlite3_close_v2(s->db);
    }
    free(s->path);
    free(s);
}

const char *xa_cstore_path(const xa_cstore *s)
{
    return s->path;
}

char *xa_cstore_quarantine_dir(const xa_cstore *s)
{
    return xa_asprintf("%s.quarantine", s->path);
}

xa_code xa_cstore_begin(xa_cstore *s, xa_err *err)
{
    return plain(s, "BEGIN IMMEDIATE", err);
}

xa_code xa_cstore_commit(xa_cstore *s, xa_err *err)
{
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return cs_dbfail(s, err, "committing to the central store");
    return XA_OK;
}

void xa_cstore_rollback(xa_cstore *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void xa_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ---- settings ------------------------------------------------------------------ */

xa_code xa_cstore_setting_get(xa_cstore *s, const char *key, char **out, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, "SELECT value FROM settings WHERE key = ?", "s", key);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK) {
        if (row)
            *out = cs_col0(st, 0);
        else
            c = xa_fail(err, XA_ENOTFOUND, "no setting '%s'", key);
    }
    cs_release(s, st);
    return c;
}

xa_code xa_cstore_setting_set(xa_cstore *s, const char *key, const char *value, xa_err *err)
{
    return cs_exec(s, err,
                   "INSERT INTO settings (key, value) VALUES (?, ?)"
                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   "ss", key, value);
}

xa_code xa_cstore_setting_int(xa_cstore *s, const char *key, int64_t def, int64_t *out,
                              xa_err *err)
{
    char *v = NULL;
    xa_err e;
    xa_code c = xa_cstore_setting_get(s, key, &v, &e);
    if (c == XA_ENOTFOUND) {
        *out = def;
        return XA_OK;
    }
    if (c != XA_OK) {
        if (err)
            *err = e;
        return c;
    }
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end) {
        free(v);
        return xa_fail(err, XA_EFORMAT, "setting '%s' is not a whole number", key);
    }
    free(v);
    *out = n;
    return XA_OK;
}

xa_code xa_cstore_settings(xa_cstore *s, char ***keys, char ***values, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s, "SELECT key, value FROM settings ORDER BY key", &st, err);
    if (c != XA_OK)
        return c;
    size_t cap = 8, k = 0;
    char **ks = xa_calloc(cap, sizeof *ks), **vs = xa_calloc(cap, sizeof *vs);
    int row;
    while ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        if (k == cap) {
            cap *= 2;
            ks = xa_realloc(ks, cap * sizeof *ks);
            vs = xa_realloc(vs, cap * sizeof *vs);
        }
        ks[k] = cs_col0(st, 0);
        vs[k] = cs_col0(st, 1);
        k++;
    }
    cs_release(s, st);
    if (c != XA_OK) {
        xa_strv_free(ks, k);
        xa_strv_free(vs, k);
        return c;
    }
    *keys = ks;
    *values = vs;
    *n = k;
    return XA_OK;
}

/* ---- office identity --------------------------------------------------------------- */

xa_code xa_cstore_office_put(xa_cstore *s, const struct xa_office *o, xa_err *err)
{
    xa_code c = cs_exec(s, err,
                        "INSERT INTO office (id, name, fingerprint, sign_key, age_recipient,"
                        " wrapped, created) VALUES (1, ?, ?, ?, ?, ?, ?)",
                        "ssssss", o->name, o->fingerprint, o->sign_key, o->age_recipient,
                        o->wrapped, o->created);
    if (c == XA_EEXIST)
        return xa_fail(err, XA_EEXIST, "the store has an office identity already");
    return c;
}

xa_code xa_cstore_office_get(xa_cstore *s, struct xa_office *out, xa_err *err)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    xa_code c = cs_prep(s,
                        "SELECT name, fingerprint, sign_key, age_recipient, wrapped, created"
                        " FROM office WHERE id = 1",
                        &st, err);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK) {
        if (!row) {
            c = xa_fail(err, XA_ENOTFOUND, "%s has no office identity", s->path);
        } else {
            out->name = cs_col0(st, 0);
            out->fingerprint = cs_col0(st, 1);
            out->sign_key = cs_col0(st, 2);
            out->age_recipient = cs_col0(st, 3);
            out->wrapped = cs_col0(st, 4);
            out->created = cs_col0(st, 5);
        }
    }
    cs_release(s, st);
    return c;
}

void xa_office_free(struct xa_office *o)
{
    if (!o)
        return;
    free(o->name);
    free(o->fingerprint);
    free(o->sign_key);
    free(o->age_recipient);
    free(o->wrapped);
    free(o->created);
    memset(o, 0, sizeof *o);
}

/* ---- audit ------------------------------------------------------------------------- */

xa_code xa_cstore_audit(xa_cstore *s, const char *command, const char *summary, xa_err *err)
{
    char *now = cs_now_text();
    xa_code c = cs_exec(s, err,
                        "INSERT INTO audit (id, at, command, summary)"
                        " SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ? FROM audit",
                        "sss", now, command, summary);
    free(now);
    return c;
}

/* One audit row. */
static void read_audit(sqlite3_stmt *st, void *elem)
{
    struct xa_caudit *a = elem;
    a->id = cs_int(st, 0);
    a->at = cs_col0(st, 1);
    a->command = cs_col0(st, 2);
    a->summary = cs_col0(st, 3);
}

/* xa_caudit_free as a cs_drop_fn. */
static void drop_audit(void *v, size_t n)
{
    xa_caudit_free(v, n);
}

xa_code xa_cstore_audit_list(xa_cstore *s, struct xa_caudit **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s, "SELECT id, at, command, summary FROM audit ORDER BY id", &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_audit, drop_audit, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

void xa_caudit_free(struct xa_caudit *a, size_t n)
{
    if (!a)
        return;
    for (size_t i = 0; i < n; i++) {
        free(a[i].at);
        free(a[i].command);
        free(a[i].summary);
    }
    free(a);
}

/* ---- inspectors -------------------------------------------------------------------- */

#define INSPECTOR_COLS \
    "fingerprint, name, sign_key, age_recipient, enrolled, enrolled_at, revoked, revoked_at"

/* One row of INSPECTOR_COLS. */
static void read_inspector(sqlite3_stmt *st, void *elem)
{
    struct xa_inspector *i = elem;
    i->fingerprint = cs_col0(st, 0);
    i->name = cs_col0(st, 1);
    i->sign_key = cs_col0(st, 2);
    i->age_recipient = cs_col0(st, 3);
    i->enrolled = cs_col0(st, 4);
    i->enrolled_at = cs_int(st, 5);
    i->revoked = cs_col(st, 6);
    i->revoked_at = cs_int(st, 7);
}

xa_code xa_cstore_inspector_add(xa_cstore *s, const struct xa_inspector *i, xa_err *err)
{
    xa_code c = cs_exec(s, err,
                        "INSERT INTO inspectors (" INSPECTOR_COLS ") VALUES (?, ?, ?, ?, ?, ?,"
                        " NULL, NULL)",
                        "sssssi", i->fingerprint, i->name, i->sign_key, i->age_recipient,
                        i->enrolled, i->enrolled_at);
    if (c == XA_EEXIST)
        return xa_fail(err, XA_EEXIST, "inspector %s is enrolled already", i->fingerprint);
    return c;
}

xa_code xa_cstore_inspector_get(xa_cstore *s, const char *fingerprint, struct xa_inspector *out,
                                xa_err *err)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    xa_code c = cs_query(s, &st, err,
                         "SELECT " INSPECTOR_COLS " FROM inspectors WHERE fingerprint = ?", "s",
                         fingerprint);
    if (c != XA_OK)
        return c;
    int row = 0;
    if ((c = cs_step(s, st, &row, err)) == XA_OK) {
        if (row)
            read_inspector(st, out);
        else
            c = xa_fail(err, XA_ENOTFOUND, "no inspector %s is enrolled", fingerprint);
    }
    cs_release(s, st);
    return c;
}

xa_code xa_cstore_inspector_revoke(xa_cstore *s, const char *fingerprint, int64_t at,
                                   xa_err *err)
{
    struct xa_inspector i;
    xa_code c = xa_cstore_inspector_get(s, fingerprint, &i, err);
    if (c != XA_OK)
        return c;
    if (i.revoked) {
        c = xa_fail(err, XA_ESTATE, "inspector %s was revoked already on %s", fingerprint,
                    i.revoked);
        xa_inspector_free(&i);
        return c;
    }
    xa_inspector_free(&i);
    char t[XA_RFC3339_MAX];
    xa_time_format(at, XA_CST_OFFSET, t);
    return cs_exec(s, err, "UPDATE inspectors SET revoked = ?, revoked_at = ? WHERE fingerprint = ?",
                   "sis", t, at, fingerprint);
}

/* xa_inspectors_free as a cs_drop_fn. */
static void drop_inspectors(void *v, size_t n)
{
    xa_inspectors_free(v, n);
}

xa_code xa_cstore_inspectors(xa_cstore *s, struct xa_inspector **out, size_t *n, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_prep(s, "SELECT " INSPECTOR_COLS " FROM inspectors ORDER BY enrolled_at, fingerprint",
                        &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_inspector, drop_inspectors, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

void xa_inspector_free(struct xa_inspector *i)
{
    if (!i)
        return;
    free(i->fingerprint);
    free(i->name);
    free(i->sign_key);
    free(i->age_recipient);
    free(i->enrolled);
    free(i->revoked);
    memset(i, 0, sizeof *i);
}

void xa_inspectors_free(struct xa_inspector *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        xa_inspector_free(&v[i]);
    free(v);
}

/* ---- schools --------------------------------------------------------------------------- */

#define SCHOOL_COLS                                                                     \
    "code, name, county, type, boarding, canteen, lab, bus, students, address, pinyin," \
    " school_id, private, kindergarten_class, boarders, tier"

/* One row of SCHOOL_COLS. */
static void read_school(sqlite3_stmt *st, void *elem)
{
    struct xa_cschool *c = elem;
    c->code = cs_col0(st, 0);
    c->name = cs_col0(st, 1);
    c->county = cs_col0(st, 2);
    c->type = cs_col0(st, 3);
    c->boarding = (int)cs_int(st, 4);
    c->canteen = (int)cs_int(st, 5);
    c->lab = (int)cs_int(st, 6);
    c->bus = (int)cs_int(st, 7);
    c->students = cs_int(st, 8);
    c->address = cs_col0(st, 9);
    c->pinyin = cs_col0(st, 10);
    c->school_id = cs_col0(st, 11);
    c->private_ = (int)cs_int(st, 12);
    c->kindergarten_class = (int)cs_int(st, 13);
    c->boarders = cs_int(st, 14);
    c->tier = cs_col0(st, 15);
}

static int str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

xa_code xa_cstore_school_put(xa_cstore *s, const struct xa_cschool *sc, int *changed,
                             xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, "SELECT " SCHOOL_COLS " FROM schools WHERE code = ?", "s",
                         sc->code);
    if (c != XA_OK)
        return c;
    int row = 0, status = 1;
    if ((c = cs_step(s, st, &row, err)) == XA_OK && row) {
        struct xa_cschool old;
        read_school(st, &old);
        int same = str_eq(old.name, sc->name) && str_eq(old.county, sc->county) &&
                   str_eq(old.type, sc->type) && old.boarding == !!sc->boarding &&
                   old.canteen == !!sc->canteen && old.lab == !!sc->lab &&
                   old.bus == !!sc->bus && old.students == sc->students &&
                   str_eq(old.address, sc->address) && str_eq(old.pinyin, sc->pinyin) &&
                   str_eq(old.school_id, sc->school_id) && old.private_ == !!sc->private_ &&
                   old.kindergarten_class == !!sc->kindergarten_class &&
                   old.boarders == sc->boarders &&
                   str_eq(old.tier, sc->tier ? sc->tier : "normal");
        status = same ? 0 : 2;
        xa_cschool_free(&old);
    }
    cs_release(s, st);
    if (c != XA_OK)
        return c;
    if (status)
        c = cs_exec(s, err,
                    "INSERT INTO schools (" SCHOOL_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?, ?, ?, ?)"
                    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
                    " county = excluded.county, type = excluded.type,"
                    " boarding = excluded.boarding, canteen = excluded.canteen,"
                    " lab = excluded.lab, bus = excluded.bus, students = excluded.students,"
                    " address = excluded.address, pinyin = excluded.pinyin,"
                    " school_id = excluded.school_id, private = excluded.private,"
                    " kindergarten_class = excluded.kindergarten_class,"
                    " boarders = excluded.boarders, tier = excluded.tier",
                    "ssssiiiiisssiiis", sc->code, sc->name, sc->county, sc->type ? sc->type : "",
                    (int64_t)!!sc->boarding, (int64_t)!!sc->canteen, (int64_t)!!sc->lab,
                    (int64_t)!!sc->bus, sc->students, sc->address ? sc->address : "",
                    sc->pinyin ? sc->pinyin : "", sc->school_id ? sc->school_id : "",
                    (int64_t)!!sc->private_, (int64_t)!!sc->kindergarten_class, sc->boarders,
                    sc->tier ? sc->tier : "normal");
    if (c == XA_OK && changed)
        *changed = status;
    return c;
}

/* xa_cschools_free as a cs_drop_fn. */
static void drop_schools(void *v, size_t n)
{
    xa_cschools_free(v, n);
}

xa_code xa_cstore_schools(xa_cstore *s, const char *county, struct xa_cschool **out, size_t *n,
                          xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = county ? cs_query(s, &st, err,
                                  "SELECT " SCHOOL_COLS " FROM schools WHERE county = ?"
                                  " ORDER BY county, code",
                                  "s", county)
                       : cs_prep(s, "SELECT " SCHOOL_COLS " FROM schools ORDER BY county, code",
                                 &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_school, drop_schools, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

xa_code xa_cstore_school_exists(xa_cstore *s, const char *code, int *yes, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, "SELECT 1 FROM schools WHERE code = ?", "s", code);
    if (c != XA_OK)
        return c;
    c = cs_step(s, st, yes, err);
    cs_release(s, st);
    return c;
}

void xa_cschool_free(struct xa_cschool *c)
{
    if (!c)
        return;
    free(c->code);
    free(c->name);
    free(c->county);
    free(c->type);
    free(c->address);
    free(c->pinyin);
    free(c->school_id);
    free(c->tier);
    memset(c, 0, sizeof *c);
}

void xa_cschools_free(struct xa_cschool *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        xa_cschool_free(&v[i]);
    free(v);
}

/* ---- forms ----------------------------------------------------------------------------- */

xa_code xa_cstore_form_put(xa_cstore *s, const struct xa_cform *f, int *added, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err, "SELECT hash FROM forms WHERE id = ? AND version = ?",
                         "si", f->id, f->version);
    if (c != XA_OK)
        return c;
    int row = 0;
    char *old = NULL;
    if ((c = cs_step(s, st, &row, err)) == XA_OK && row)
        old = cs_col0(st, 0);
    cs_release(s, st);
    if (c != XA_OK)
        return c;
    if (old) {
        int same = strcmp(old, f->hash) == 0;
        free(old);
        if (!same)
            return xa_fail(err, XA_EEXIST,
                           "form %s version %lld was imported before with other content:"
                           " give the changed form a new version",
                           f->id, (long long)f->version);
        if (added)
            *added = 0;
        return XA_OK;
    }
    char *now = cs_now_text();
    c = cs_exec(s, err,
                "INSERT INTO forms (id, version, hash, title, category, items, major, doc,"
                " imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "sisssiiss", f->id, f->version, f->hash, f->title ? f->title : "",
                f->category ? f->category : "", f->items, f->major, f->doc, now);
    free(now);
    if (c == XA_OK && added)
        *added = 1;
    return c;
}

/* One form row. */
static void read_form(sqlite3_stmt *st, void *elem)
{
    struct xa_cform *f = elem;
    f->id = cs_col0(st, 0);
    f->version = cs_int(st, 1);
    f->hash = cs_col0(st, 2);
    f->title = cs_col0(st, 3);
    f->category = cs_col0(st, 4);
    f->items = cs_int(st, 5);
    f->major = cs_int(st, 6);
    f->doc = cs_col0(st, 7);
    f->imported = cs_col0(st, 8);
}

/* xa_cforms_free as a cs_drop_fn. */
static void drop_forms(void *v, size_t n)
{
    xa_cforms_free(v, n);
}

xa_code xa_cstore_forms(xa_cstore *s, int latest_only, struct xa_cform **out, size_t *n,
                        xa_err *err)
{
    sqlite3_stmt *st;
    const char *sql =
        latest_only
            ? "SELECT f.id, f.version, f.hash, f.title, f.category, f.items, f.major, f.doc,"
              " f.imported FROM forms f WHERE f.version = (SELECT MAX(g.version) FROM forms g"
              " WHERE g.id = f.id) ORDER BY f.id"
            : "SELECT id, version, hash, title, category, items, major, doc, imported FROM forms"
              " ORDER BY id, version";
    xa_code c = cs_prep(s, sql, &st, err);
    if (c != XA_OK)
        return c;
    void *v;
    if ((c = cs_rows(s, st, sizeof **out, read_form, drop_forms, &v, n, err)) == XA_OK)
        *out = v;
    return c;
}

xa_code xa_cstore_form_known(xa_cstore *s, const char *id, int64_t version, const char *hash,
                             int *yes, xa_err *err)
{
    sqlite3_stmt *st;
    xa_code c = cs_query(s, &st, err,
                         "SELECT 1 FROM forms WHERE id = ? AND version = ? AND hash = ?", "sis",
                         id, version, hash);
    if (c != XA_OK)
        return c;
    c = cs_step(s, st, yes, err);
    cs_release(s, st);
    return c;
}

void xa_cforms_free(struct xa_cform *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].hash);
        free(v[i].title);
        free(v[i].category);
        free(v[i].doc);
        free(v[i].imported);
    }
    free(v);
}
