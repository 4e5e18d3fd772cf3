/* centralstore.c — the central store: its schema and migrations, opening,
 * transactions (the audited one), settings, the office identity, the audit
 * log, inspectors, schools and forms.  Visits, hazards and the report
 * queries are in central_rows.c; both share central_internal.h and reach
 * the database through db.h only (portable SQL: the seam for a PostgreSQL
 * backend).  Each row struct is one table of columns (DB_COL) that reads,
 * frees and selects it.
 *
 * The store is one file (mode 0600, WAL, synchronous=FULL, foreign keys on,
 * application id "xaCS").  Each migration is a list of statements run in one
 * transaction; append a new one at the end of migrations[], never edit one. */
#include "central_internal.h"

#include "xiaoan/clock.h"
#include "xiaoan/i18n.h"
#include "xiaoan/fsutil.h"

#include <errno.h>
#include <fcntl.h>
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

/* Migration 3: the rectification loop (issue 12): registration numbers and
 * interim measures, the office's actions on hazards, notices; the deadline
 * defaults the issue asks for (general 15 days, major 30: migration 1 had
 * them the other way round, swapped here only while both are untouched).
 * The loop's own settings need no rows (vocab.h's table has the defaults). */
static const char *const migration3[] = {
    "CREATE TABLE hazard_registry (hazard TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
    " county TEXT NOT NULL, year BIGINT NOT NULL, seq BIGINT NOT NULL, interim TEXT NOT NULL,"
    " registered TEXT NOT NULL, UNIQUE (county, year, seq))",
    "CREATE TABLE hazard_actions (id BIGINT PRIMARY KEY, hazard TEXT NOT NULL,"
    " kind TEXT NOT NULL, at TEXT NOT NULL, at_epoch BIGINT NOT NULL, date TEXT, verdict TEXT,"
    " level BIGINT NOT NULL, by_name TEXT NOT NULL, note TEXT NOT NULL, notice TEXT)",
    "CREATE INDEX hazard_actions_hazard ON hazard_actions (hazard, at_epoch, id)",
    "CREATE TABLE notices (number TEXT PRIMARY KEY, year BIGINT NOT NULL, seq BIGINT NOT NULL,"
    " school TEXT NOT NULL, issued TEXT NOT NULL, doc TEXT NOT NULL, created TEXT NOT NULL,"
    " UNIQUE (year, seq))",
    "CREATE TABLE notice_hazards (notice TEXT NOT NULL REFERENCES notices (number),"
    " hazard TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (notice, hazard))",
    "INSERT INTO settings (key, value) SELECT 'migrate.swap', '1'"
    " WHERE (SELECT value FROM settings WHERE key = 'deadline.general') = '30'"
    " AND (SELECT value FROM settings WHERE key = 'deadline.major') = '15'",
    "UPDATE settings SET value = '15' WHERE key = 'deadline.general'"
    " AND EXISTS (SELECT 1 FROM settings WHERE key = 'migrate.swap')",
    "UPDATE settings SET value = '30' WHERE key = 'deadline.major'"
    " AND EXISTS (SELECT 1 FROM settings WHERE key = 'migrate.swap')",
    "DELETE FROM settings WHERE key = 'migrate.swap'",
    NULL,
};

/* Migration 4: a bundle is also known by its content — the trailer's
 * BLAKE2b-512 of its lines, which a re-encrypted copy keeps while its file
 * hash changes (issue 11 #10).  Bundles merged before have no content hash
 * (their files are not kept): they are still known by their file hash. */
static const char *const migration4[] = {
    "ALTER TABLE bundles ADD COLUMN content TEXT",
    "CREATE UNIQUE INDEX bundles_content ON bundles (content)",
    NULL,
};

/* Migration 5: revocation by sequence number (issue 11 #1).  A revocation
 * records the last bundle and visit sequence merged from the inspector at
 * that moment; afterwards only bundles and visits up to those merge, or a
 * bundle the office allowed by its file hash (revoke_allowed).  Inspectors
 * revoked before this migration get the last ones merged so far. */
static const char *const migration5[] = {
    "ALTER TABLE inspectors ADD COLUMN revoked_bundle_seq BIGINT",
    "ALTER TABLE inspectors ADD COLUMN revoked_visit_seq BIGINT",
    "UPDATE inspectors SET revoked_bundle_seq = (SELECT COALESCE(MAX(seq), 0) FROM bundles"
    " WHERE sender = inspectors.fingerprint), revoked_visit_seq = (SELECT COALESCE(MAX(seq), 0)"
    " FROM visits WHERE inspector = inspectors.fingerprint) WHERE revoked IS NOT NULL",
    "CREATE TABLE revoke_allowed (hash TEXT PRIMARY KEY,"
    " inspector TEXT NOT NULL REFERENCES inspectors (fingerprint), file TEXT NOT NULL,"
    " allowed TEXT NOT NULL)",
    NULL,
};

/* Migration 6: indexes the merge's own lookups need, so that merging a
 * bundle costs the same however large the store has grown (issue 17): a
 * sender's bundle chain around a seq (xa_cstore_bundle_chain_near, also the
 * office's bundle list by sender) and a visit's findings (re-pointed when a
 * split export's visit arrives in another bundle; `central visit`). */
static const char *const migration6[] = {
    "CREATE INDEX bundles_sender ON bundles (sender, seq)",
    "CREATE INDEX anomalies_visit ON anomalies (visit)",
    NULL,
};

/* Migration 7: a hazard's registration number is kept in its own row (issue
 * 17).  hazard_registry's primary key on the random hazard id dirtied about
 * a hundred index leaves a merged bundle; the number's own keys (the number,
 * and county, year, seq) grow in order.  The columns are NULL until the
 * hazard is registered (hazards of stores from before the loop, until
 * xa_hazard_register_missing); the unique indexes are partial so those rows
 * are in neither.  Every registration was made for a hazard of the store
 * (the merge after inserting it, register_missing from the hazards table;
 * hazards are never deleted), so every row of hazard_registry has its
 * hazard and is copied there; then the table goes. */
static const char *const migration7[] = {
    "ALTER TABLE hazards ADD COLUMN number TEXT",
    "ALTER TABLE hazards ADD COLUMN number_county TEXT",
    "ALTER TABLE hazards ADD COLUMN number_year BIGINT",
    "ALTER TABLE hazards ADD COLUMN number_seq BIGINT",
    "ALTER TABLE hazards ADD COLUMN interim TEXT",
    "ALTER TABLE hazards ADD COLUMN registered TEXT",
    "UPDATE hazards SET"
    " number = (SELECT r.number FROM hazard_registry r WHERE r.hazard = hazards.id),"
    " number_county = (SELECT r.county FROM hazard_registry r WHERE r.hazard = hazards.id),"
    " number_year = (SELECT r.year FROM hazard_registry r WHERE r.hazard = hazards.id),"
    " number_seq = (SELECT r.seq FROM hazard_registry r WHERE r.hazard = hazards.id),"
    " interim = (SELECT r.interim FROM hazard_registry r WHERE r.hazard = hazards.id),"
    " registered = (SELECT r.registered FROM hazard_registry r WHERE r.hazard = hazards.id)"
    " WHERE id IN (SELECT hazard FROM hazard_registry)",
    "CREATE UNIQUE INDEX hazards_number ON hazards (number) WHERE number IS NOT NULL",
    "CREATE UNIQUE INDEX hazards_number_seq ON hazards (number_county, number_year, number_seq)"
    " WHERE number_county IS NOT NULL",
    "DROP TABLE hazard_registry",
    NULL,
};

/* Migration 8: the number's own index goes (issue 17: about 23 pages
 * written a merged bundle).  (number_county, number_year, number_seq) is
 * unique and the store writes a number only as county-year-seq of those
 * columns (central_loop.c format_number; migration 7 copied numbers made the
 * same way), so numbers stay unique; a number is found through its parts
 * (xa_cstore_hazard_find). */
static const char *const migration8[] = {
    "DROP INDEX hazards_number",
    NULL,
};

static const char *const *const migrations[] = {migration1, migration2, migration3, migration4,
                                                migration5, migration6, migration7, migration8};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(NMIGRATIONS == XA_CSTORE_SCHEMA, "XA_CSTORE_SCHEMA is the number of migrations");

/* "xaCS": tells a central store from any other SQLite file. */
#define CSTORE_APP_ID 0x78614353

static const struct db_schema central_schema = {
    .label = N_("central store"),
    .app_id = CSTORE_APP_ID,
    .migrations = migrations,
    .nmigrations = NMIGRATIONS,
    .secure_delete = 0,
    .cache_kib = XA_CSTORE_CACHE_KIB,
    .audit_sql = "INSERT INTO audit (id, at, command, summary)"
                 " SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ? FROM audit",
};

/* ---- small helpers shared with central_rows.c ------------------------------- */

void cs_now_text(char out[XA_RFC3339_MAX])
{
    xa_time_format(xa_now(), XA_CST_OFFSET, out);
}

xa_code cs_list(xa_cstore *s, const struct db_rowtype *t, const char *rest,
                const struct db_arg *args, size_t nargs, void *out, size_t *n, xa_err *err)
{
    db_stmt *st;
    void *v;
    xa_code c = db_select(s->db, &st, t, rest, args, nargs, err);
    if (c == XA_OK && (c = db_rows(st, t, &v, n, err)) == XA_OK)
        memcpy(out, &v, sizeof v);
    return c;
}

xa_code cs_get(xa_cstore *s, const struct db_rowtype *t, const char *rest, const char *key,
               const char *fmt, void *row, xa_err *err)
{
    db_stmt *st;
    int found = 0;
    memset(row, 0, t->size);
    struct db_arg arg = db_text(key);
    xa_code c = db_select(s->db, &st, t, rest, &arg, key ? 1 : 0, err);
    if (c == XA_OK && (c = db_row(st, t, row, &found, err)) == XA_OK && !found)
        c = xa_fail(err, XA_ENOTFOUND, fmt, key ? key : s->path);
    return c;
}

xa_code cs_exists(xa_cstore *s, const char *sql, const char *key, int *yes, xa_err *err)
{
    db_stmt *st;
    xa_code c = db_first(s->db, &st, yes, NULL, sql, DB_ARGS(db_text(key)), err);
    if (c == XA_OK)
        db_release(st);
    return c;
}

xa_code cs_text(xa_cstore *s, const char *sql, const char *key, char **out, xa_err *err)
{
    db_stmt *st;
    int row;
    *out = NULL;
    xa_code c = db_first(s->db, &st, &row, NULL, sql, DB_ARGS(db_text(key)), err);
    if (c != XA_OK)
        return c;
    if (row) {
        const char *t = db_col_text(st, 0);
        *out = xa_strdup(t ? t : "");
    }
    db_release(st);
    return XA_OK;
}

xa_code cs_int(xa_cstore *s, const char *sql, const struct db_arg *args, size_t nargs,
               int64_t *out, xa_err *err)
{
    db_stmt *st;
    int row;
    xa_code c = db_first(s->db, &st, &row, NULL, sql, args, nargs, err);
    if (c != XA_OK)
        return c;
    *out = row ? db_col_int(st, 0) : 0;
    db_release(st);
    return XA_OK;
}

xa_code cs_pairs(xa_cstore *s, const char *sql, const struct db_arg *args, size_t nargs,
                 char ***a, char ***b, size_t *n, xa_err *err)
{
    db_stmt *st = NULL;
    int row = 0;
    size_t k = 0, room = 0;
    char **va = NULL, **vb = NULL;
    *a = *b = NULL;
    *n = 0;
    xa_code c = db_query(s->db, &st, NULL, sql, args, nargs, err);
    while (c == XA_OK && (c = db_step(st, &row, err)) == XA_OK && row) {
        if (k == room) {
            room = room ? 2 * room : 8;
            va = xa_reallocarray(va, room, sizeof *va);
            vb = xa_reallocarray(vb, room, sizeof *vb);
        }
        const char *x = db_col_text(st, 0), *y = db_col_text(st, 1);
        va[k] = xa_strdup(x ? x : "");
        vb[k++] = xa_strdup(y ? y : "");
    }
    db_release(st);
    if (c != XA_OK) {
        xa_strv_free(va, k);
        xa_strv_free(vb, k);
        return c;
    }
    *a = va ? va : xa_calloc(1, sizeof *va);
    *b = vb ? vb : xa_calloc(1, sizeof *vb);
    *n = k;
    return XA_OK;
}

/* ---- opening ----------------------------------------------------------------- */

/* Open (create: make the file first, 0600, and remove it again on failure). */
static xa_code open_store(const char *path, int create, int schema, xa_cstore **out,
                          xa_err *err)
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
    /* the connection keeps a pointer to its schema: the store's own copy */
    s->schema = central_schema;
    s->schema.nmigrations = schema;
    xa_code c = db_open(path, &s->schema, create, &s->db, err);
    if (c != XA_OK) {
        xa_cstore_close(s);
        if (create)
            unlink(path);
        return c;
    }
    *out = s;
    return XA_OK;
}

xa_code xa_cstore_create(const char *path, xa_cstore **out, xa_err *err)
{
    return open_store(path, 1, NMIGRATIONS, out, err);
}

xa_code xa_cstore_create_at(const char *path, int schema, xa_cstore **out, xa_err *err)
{
    if (schema < 1 || schema > NMIGRATIONS)
        return xa_fail(err, XA_EUSAGE, "no central store schema %d", schema);
    return open_store(path, 1, schema, out, err);
}

xa_code xa_cstore_open(const char *path, xa_cstore **out, xa_err *err)
{
    return open_store(path, 0, NMIGRATIONS, out, err);
}

void xa_cstore_close(xa_cstore *s)
{
    if (!s)
        return;
    cs_regnext_clear(s);
    db_close(s->db);
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

void xa_cstore_stats(xa_cstore *s, struct xa_cstore_stats *out)
{
    struct db_stats d;
    db_stats(s->db, &d);
    out->statements = d.statements;
    out->fullscan_steps = d.fullscan_steps;
    out->pages_written = d.pages_written;
    out->pages_read = d.pages_read;
    out->number_lookups = s->number_lookups;
}

/* ---- transactions ------------------------------------------------------------- */

/* The registration numbers' cache (cs_regnext) holds only within one
 * transaction: begun here, dropped at its end whether it commits or not. */
xa_code xa_cstore_begin(xa_cstore *s, xa_err *err)
{
    cs_regnext_clear(s);
    xa_code c = db_begin(s->db, "starting a change", err);
    s->in_txn = c == XA_OK;
    return c;
}

xa_code xa_cstore_commit(xa_cstore *s, xa_err *err)
{
    cs_regnext_clear(s);
    return db_commit(s->db, "committing", err);
}

void xa_cstore_rollback(xa_cstore *s)
{
    cs_regnext_clear(s);
    db_rollback(s->db);
}

xa_code xa_cstore_end(xa_cstore *s, xa_code c, const char *command, const char *summary,
                      xa_err *err)
{
    cs_regnext_clear(s);
    return db_end_audited(s->db, c, command, summary, err);
}

void xa_cstore_str_set(const char **field, const char *value)
{
    /* the one place a row's string is given back: rows own what the store put in them */
    free((void *)*field);
    *field = value ? xa_strdup(value) : NULL;
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
    xa_code c = cs_text(s, "SELECT value FROM settings WHERE key = ?", key, out, err);
    if (c == XA_OK && !*out)
        c = xa_fail(err, XA_ENOTFOUND, "no setting '%s'", key);
    return c;
}

xa_code xa_cstore_setting_set(xa_cstore *s, const char *key, const char *value, xa_err *err)
{
    return db_exec(s->db, NULL,
                   "INSERT INTO settings (key, value) VALUES (?, ?)"
                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   DB_ARGS(db_text(key), db_text(value)), NULL, err);
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
    return cs_pairs(s, "SELECT key, value FROM settings ORDER BY key", DB_NOARGS, keys, values,
                    n, err);
}

/* ---- office identity --------------------------------------------------------------- */

static const struct db_col office_cols[] = {
    DB_COL(struct xa_office, name, DB_C_TEXT0, "name"),
    DB_COL(struct xa_office, fingerprint, DB_C_TEXT0, "fingerprint"),
    DB_COL(struct xa_office, sign_key, DB_C_TEXT0, "sign_key"),
    DB_COL(struct xa_office, age_recipient, DB_C_TEXT0, "age_recipient"),
    DB_COL(struct xa_office, wrapped, DB_C_TEXT0, "wrapped"),
    DB_COL(struct xa_office, created, DB_C_TEXT0, "created"),
};
static const struct db_rowtype office_row = DB_ROWTYPE(struct xa_office, office_cols);

xa_code xa_cstore_office_put(xa_cstore *s, const struct xa_office *o, xa_err *err)
{
    xa_code c = db_exec(s->db, NULL,
                        "INSERT INTO office (id, name, fingerprint, sign_key, age_recipient,"
                        " wrapped, created) VALUES (1, ?, ?, ?, ?, ?, ?)",
                        DB_ARGS(db_text(o->name), db_text(o->fingerprint), db_text(o->sign_key),
                                db_text(o->age_recipient), db_text(o->wrapped),
                                db_text(o->created)),
                        NULL, err);
    if (c == XA_EEXIST)
        return xa_fail(err, XA_EEXIST, "the store has an office identity already");
    return c;
}

xa_code xa_cstore_office_get(xa_cstore *s, struct xa_office *out, xa_err *err)
{
    return cs_get(s, &office_row, "FROM office WHERE id = 1", NULL, "%s has no office identity",
                  out, err);
}

void xa_office_clear(struct xa_office *o)
{
    db_row_clear(&office_row, o);
}

/* ---- audit ------------------------------------------------------------------------- */

xa_code xa_cstore_audit(xa_cstore *s, const char *command, const char *summary, xa_err *err)
{
    char now[XA_RFC3339_MAX];
    cs_now_text(now);
    return db_exec(s->db, "writing the audit log", central_schema.audit_sql,
                   DB_ARGS(db_text(now), db_text(command), db_text(summary)), NULL, err);
}

static const struct db_col audit_cols[] = {
    DB_COL(struct xa_caudit, id, DB_C_INT64, "id"),
    DB_COL(struct xa_caudit, at, DB_C_TEXT0, "at"),
    DB_COL(struct xa_caudit, command, DB_C_TEXT0, "command"),
    DB_COL(struct xa_caudit, summary, DB_C_TEXT0, "summary"),
};
static const struct db_rowtype audit_row = DB_ROWTYPE(struct xa_caudit, audit_cols);

xa_code xa_cstore_audit_list(xa_cstore *s, struct xa_caudit **out, size_t *n, xa_err *err)
{
    return cs_list(s, &audit_row, "FROM audit ORDER BY id", DB_NOARGS, out, n, err);
}

void xa_caudit_free(struct xa_caudit *a, size_t n)
{
    db_rows_free(&audit_row, a, n);
}

/* ---- inspectors -------------------------------------------------------------------- */

static const struct db_col inspector_cols[] = {
    DB_COL(struct xa_inspector, fingerprint, DB_C_TEXT0, "fingerprint"),
    DB_COL(struct xa_inspector, name, DB_C_TEXT0, "name"),
    DB_COL(struct xa_inspector, sign_key, DB_C_TEXT0, "sign_key"),
    DB_COL(struct xa_inspector, age_recipient, DB_C_TEXT0, "age_recipient"),
    DB_COL(struct xa_inspector, enrolled, DB_C_TEXT0, "enrolled"),
    DB_COL(struct xa_inspector, enrolled_at, DB_C_INT64, "enrolled_at"),
    DB_COL(struct xa_inspector, revoked, DB_C_TEXT, "revoked"),
    DB_COL(struct xa_inspector, revoked_at, DB_C_INT64, "revoked_at"),
    DB_COL(struct xa_inspector, revoked_bundle_seq, DB_C_INT64, "revoked_bundle_seq"),
    DB_COL(struct xa_inspector, revoked_visit_seq, DB_C_INT64, "revoked_visit_seq"),
};
static const struct db_rowtype inspector_row = DB_ROWTYPE(struct xa_inspector, inspector_cols);

xa_code xa_cstore_inspector_add(xa_cstore *s, const struct xa_inspector *i, xa_err *err)
{
    xa_code c = db_exec(s->db, NULL,
                        "INSERT INTO inspectors (fingerprint, name, sign_key, age_recipient,"
                        " enrolled, enrolled_at, revoked, revoked_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                        DB_ARGS(db_text(i->fingerprint), db_text(i->name), db_text(i->sign_key),
                                db_text(i->age_recipient), db_text(i->enrolled),
                                db_int(i->enrolled_at)),
                        NULL, err);
    if (c == XA_EEXIST)
        return xa_fail(err, XA_EEXIST, "inspector %s is enrolled already", i->fingerprint);
    return c;
}

xa_code xa_cstore_inspector_get(xa_cstore *s, const char *fingerprint, struct xa_inspector *out,
                                xa_err *err)
{
    return cs_get(s, &inspector_row, "FROM inspectors WHERE fingerprint = ?", fingerprint,
                  "no inspector %s is enrolled", out, err);
}

xa_code xa_cstore_inspector_revoke(xa_cstore *s, const char *fingerprint, int64_t at,
                                   xa_err *err)
{
    struct xa_inspector i;
    xa_code c = xa_cstore_inspector_get(s, fingerprint, &i, err);
    if (c == XA_OK && i.revoked)
        c = xa_fail(err, XA_ESTATE, "inspector %s was revoked already on %s", fingerprint,
                    i.revoked);
    xa_inspector_clear(&i);
    if (c != XA_OK)
        return c;
    char t[XA_RFC3339_MAX];
    xa_time_format(at, XA_CST_OFFSET, t);
    /* the cut-off is what was merged by now, never a time the sender states */
    return db_exec(s->db, NULL,
                   "UPDATE inspectors SET revoked = ?, revoked_at = ?,"
                   " revoked_bundle_seq = (SELECT COALESCE(MAX(seq), 0) FROM bundles"
                   " WHERE sender = inspectors.fingerprint),"
                   " revoked_visit_seq = (SELECT COALESCE(MAX(seq), 0) FROM visits"
                   " WHERE inspector = inspectors.fingerprint) WHERE fingerprint = ?",
                   DB_ARGS(db_text(t), db_int(at), db_text(fingerprint)), NULL, err);
}

xa_code xa_cstore_revoke_allow(xa_cstore *s, const char *fingerprint, const char *hash,
                               const char *file, xa_err *err)
{
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    return db_exec(s->db, NULL,
                   "INSERT INTO revoke_allowed (hash, inspector, file, allowed)"
                   " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                   DB_ARGS(db_text(hash), db_text(fingerprint), db_text(file), db_text(now)),
                   NULL, err);
}

xa_code xa_cstore_revoke_allowed(xa_cstore *s, const char *fingerprint, const char *hash,
                                 int *yes, xa_err *err)
{
    db_stmt *st;
    int row;
    *yes = 0;
    xa_code c = db_first(s->db, &st, &row, NULL,
                         "SELECT 1 FROM revoke_allowed WHERE hash = ? AND inspector = ?",
                         DB_ARGS(db_text(hash), db_text(fingerprint)), err);
    if (c != XA_OK)
        return c;
    *yes = row != 0;
    db_release(st);
    return XA_OK;
}

xa_code xa_cstore_inspectors(xa_cstore *s, struct xa_inspector **out, size_t *n, xa_err *err)
{
    return cs_list(s, &inspector_row, "FROM inspectors ORDER BY enrolled_at, fingerprint",
                   DB_NOARGS, out, n, err);
}

void xa_inspector_clear(struct xa_inspector *i)
{
    db_row_clear(&inspector_row, i);
}

void xa_inspectors_free(struct xa_inspector *v, size_t n)
{
    db_rows_free(&inspector_row, v, n);
}

/* ---- schools --------------------------------------------------------------------------- */

static const struct db_col school_cols[] = {
    DB_COL(struct xa_cschool, code, DB_C_TEXT0, "code"),
    DB_COL(struct xa_cschool, name, DB_C_TEXT0, "name"),
    DB_COL(struct xa_cschool, county, DB_C_TEXT0, "county"),
    DB_COL(struct xa_cschool, type, DB_C_TEXT0, "type"),
    DB_COL(struct xa_cschool, boarding, DB_C_INT, "boarding"),
    DB_COL(struct xa_cschool, canteen, DB_C_INT, "canteen"),
    DB_COL(struct xa_cschool, lab, DB_C_INT, "lab"),
    DB_COL(struct xa_cschool, bus, DB_C_INT, "bus"),
    DB_COL(struct xa_cschool, students, DB_C_INT64, "students"),
    DB_COL(struct xa_cschool, address, DB_C_TEXT0, "address"),
    DB_COL(struct xa_cschool, pinyin, DB_C_TEXT0, "pinyin"),
    DB_COL(struct xa_cschool, school_id, DB_C_TEXT0, "school_id"),
    DB_COL(struct xa_cschool, private_, DB_C_INT, "private"),
    DB_COL(struct xa_cschool, kindergarten_class, DB_C_INT, "kindergarten_class"),
    DB_COL(struct xa_cschool, boarders, DB_C_INT64, "boarders"),
    DB_COL(struct xa_cschool, tier, DB_C_TEXT0, "tier"),
};
static const struct db_rowtype school_row = DB_ROWTYPE(struct xa_cschool, school_cols);

/* Two strings equal, NULL as "". */
static int str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

xa_code xa_cstore_school_put(xa_cstore *s, const struct xa_cschool *sc, int *changed,
                             xa_err *err)
{
    struct xa_cschool old;
    int status = 1;
    xa_err e;
    xa_code c = cs_get(s, &school_row, "FROM schools WHERE code = ?", sc->code, "%s", &old, &e);
    if (c == XA_OK) {
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
    } else if (c != XA_ENOTFOUND) {
        if (err)
            *err = e;
        return c;
    }
    xa_cschool_clear(&old);
    c = XA_OK;
    if (status)
        c = db_exec(s->db, NULL,
                    "INSERT INTO schools (code, name, county, type, boarding, canteen, lab, bus,"
                    " students, address, pinyin, school_id, private, kindergarten_class,"
                    " boarders, tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
                    " county = excluded.county, type = excluded.type,"
                    " boarding = excluded.boarding, canteen = excluded.canteen,"
                    " lab = excluded.lab, bus = excluded.bus, students = excluded.students,"
                    " address = excluded.address, pinyin = excluded.pinyin,"
                    " school_id = excluded.school_id, private = excluded.private,"
                    " kindergarten_class = excluded.kindergarten_class,"
                    " boarders = excluded.boarders, tier = excluded.tier",
                    DB_ARGS(db_text(sc->code), db_text(sc->name), db_text(sc->county),
                            db_text(sc->type ? sc->type : ""), db_int(!!sc->boarding),
                            db_int(!!sc->canteen), db_int(!!sc->lab), db_int(!!sc->bus),
                            db_int(sc->students), db_text(sc->address ? sc->address : ""),
                            db_text(sc->pinyin ? sc->pinyin : ""),
                            db_text(sc->school_id ? sc->school_id : ""), db_int(!!sc->private_),
                            db_int(!!sc->kindergarten_class), db_int(sc->boarders),
                            db_text(sc->tier ? sc->tier : "normal")),
                    NULL, err);
    if (c == XA_OK && changed)
        *changed = status;
    return c;
}

xa_code xa_cstore_schools(xa_cstore *s, const char *county, struct xa_cschool **out, size_t *n,
                          xa_err *err)
{
    if (county)
        return cs_list(s, &school_row, "FROM schools WHERE county = ? ORDER BY county, code",
                       DB_ARGS(db_text(county)), out, n, err);
    return cs_list(s, &school_row, "FROM schools ORDER BY county, code", DB_NOARGS, out, n, err);
}

xa_code xa_cstore_school_exists(xa_cstore *s, const char *code, int *yes, xa_err *err)
{
    return cs_exists(s, "SELECT 1 FROM schools WHERE code = ?", code, yes, err);
}

void xa_cschool_clear(struct xa_cschool *c)
{
    db_row_clear(&school_row, c);
}

void xa_cschools_free(struct xa_cschool *v, size_t n)
{
    db_rows_free(&school_row, v, n);
}

/* ---- forms ----------------------------------------------------------------------------- */

static const struct db_col form_cols[] = {
    DB_COL(struct xa_cform, id, DB_C_TEXT0, "f.id"),
    DB_COL(struct xa_cform, version, DB_C_INT64, "f.version"),
    DB_COL(struct xa_cform, hash, DB_C_TEXT0, "f.hash"),
    DB_COL(struct xa_cform, title, DB_C_TEXT0, "f.title"),
    DB_COL(struct xa_cform, category, DB_C_TEXT0, "f.category"),
    DB_COL(struct xa_cform, items, DB_C_INT64, "f.items"),
    DB_COL(struct xa_cform, major, DB_C_INT64, "f.major"),
    DB_COL(struct xa_cform, doc, DB_C_TEXT0, "f.doc"),
    DB_COL(struct xa_cform, imported, DB_C_TEXT0, "f.imported"),
};
static const struct db_rowtype form_row = DB_ROWTYPE(struct xa_cform, form_cols);

xa_code xa_cstore_form_put(xa_cstore *s, const struct xa_cform *f, int *added, xa_err *err)
{
    db_stmt *st;
    int row;
    xa_code c = db_first(s->db, &st, &row, NULL,
                         "SELECT hash FROM forms WHERE id = ? AND version = ?",
                         DB_ARGS(db_text(f->id), db_int(f->version)), err);
    if (c != XA_OK)
        return c;
    int same = row && str_eq(db_col_text(st, 0), f->hash);
    db_release(st);
    if (row) {
        if (!same)
            return xa_fail(err, XA_EEXIST,
                           "form %s version %lld was imported before with other content:"
                           " give the changed form a new version",
                           f->id, (long long)f->version);
        if (added)
            *added = 0;
        return XA_OK;
    }
    char now[XA_RFC3339_MAX];
    cs_now_text(now);
    c = db_exec(s->db, NULL,
                "INSERT INTO forms (id, version, hash, title, category, items, major, doc,"
                " imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                DB_ARGS(db_text(f->id), db_int(f->version), db_text(f->hash),
                        db_text(f->title ? f->title : ""), db_text(f->category ? f->category : ""),
                        db_int(f->items), db_int(f->major), db_text(f->doc), db_text(now)),
                NULL, err);
    if (c == XA_OK && added)
        *added = 1;
    return c;
}

xa_code xa_cstore_forms(xa_cstore *s, int latest_only, struct xa_cform **out, size_t *n,
                        xa_err *err)
{
    return cs_list(s, &form_row,
                   latest_only ? "FROM forms f WHERE f.version ="
                                 " (SELECT MAX(g.version) FROM forms g WHERE g.id = f.id)"
                                 " ORDER BY f.id"
                               : "FROM forms f ORDER BY f.id, f.version",
                   DB_NOARGS, out, n, err);
}

xa_code xa_cstore_form_known(xa_cstore *s, const char *id, int64_t version, const char *hash,
                             int *yes, xa_err *err)
{
    db_stmt *st;
    xa_code c = db_first(s->db, &st, yes, NULL,
                         "SELECT 1 FROM forms WHERE id = ? AND version = ? AND hash = ?",
                         DB_ARGS(db_text(id), db_int(version), db_text(hash)), err);
    if (c == XA_OK)
        db_release(st);
    return c;
}

void xa_cforms_free(struct xa_cform *v, size_t n)
{
    db_rows_free(&form_row, v, n);
}
