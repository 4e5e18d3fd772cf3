/* db.c — the database layer of the stores on SQLite (see db.h): the
 * connection and its pragmas, the application id and the migrations, the
 * error mapper, the statement cache, binds, column descriptors and
 * transactions.  The only file of xiaoan that calls sqlite3_*.
 *
 * Busy timeout: 10 s for both stores.  A writer that finds the store locked
 * waits instead of failing: the field store is shared by the TUI and a
 * command run in a second SSH session, the central store by a long merge and
 * the office's other commands; with synchronous=FULL on a loaded bureau
 * server one commit can take seconds.  Waiting loses nothing (the person
 * sees the save finish); failing after 5 s made them retry by hand.  After
 * 10 s the person is told the store is busy and nothing was changed. */
#include "db.h"

#include "xiaoan/clock.h"
#include "xiaoan/i18n.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#define BUSY_MS 10000
#define CACHE_SLOTS 48

struct db_stmt {
    struct db *d;
    sqlite3_stmt *st;
    const char *sql; /* the caller's text when last handed out (a hint only) */
    const char *what;
    int busy;   /* handed out */
    int cached; /* kept in d->cache */
};

#define SELECT_SLOTS 32

/* The SELECT text db_select built for a row type and the rest of a query. */
struct db_select_text {
    const struct db_rowtype *t;
    char *rest, *sql;
};

struct db {
    sqlite3 *h;
    const struct db_schema *schema;
    char *path;
    db_stmt *cache[CACHE_SLOTS];
    size_t ncache, evict;
    struct db_select_text selects[SELECT_SLOTS]; /* built once: the statement cache then */
    size_t nselects;                             /* finds them by pointer */
    struct db_stats stats;                       /* what the statements did (db_stats) */
};

/* ---- the error mapper ---- */

xa_code db_fail(struct db *d, int rc, const char *what, xa_err *err)
{
    /* A write refused outright (file-size limit, quota) reaches SQLite as an
     * I/O error, not SQLITE_FULL; the OS error still says why, and the person
     * needs to hear "free some space" either way. */
    int saved_errno = errno;
    int os = d && d->h ? sqlite3_system_errno(d->h) : 0;
    if (!os)
        os = saved_errno;
    const char *label = _(d ? d->schema->label : N_("store"));
    const char *msg = d && d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc);
    if (!what)
        what = "using it";
    if ((rc & 0xff) == SQLITE_IOERR && (os == ENOSPC || os == EFBIG
#ifdef EDQUOT
                                        || os == EDQUOT
#endif
                                        ))
        rc = SQLITE_FULL;
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return xa_fail(err, XA_ENOSPC, "disk full while %s: nothing was changed; free some space",
                       what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return xa_fail(err, XA_EDB, "the %s is busy (another xiaoan is using it) while %s", label,
                       what);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return xa_fail(err, XA_EIO, "cannot write the %s while %s: %s", label, what, msg);
    case SQLITE_NOTADB:
        return xa_fail(err, XA_EFORMAT, "%s is not a xiaoan %s", d ? d->path : "the file",
                       label);
    case SQLITE_CONSTRAINT:
        /* a trigger's RAISE says why the state forbids it; a key says "there already" */
        return xa_fail(err, rc == SQLITE_CONSTRAINT_TRIGGER ? XA_ESTATE : XA_EEXIST, "%s", msg);
    default:
        return xa_fail(err, XA_EDB, "%s error while %s: %s", label, what, msg);
    }
}

/* The mapper for the connection's last result. */
static xa_code fail_last(struct db *d, const char *what, xa_err *err)
{
    return db_fail(d, sqlite3_extended_errcode(d->h), what, err);
}

/* ---- statements ---- */

/* Run SQL without results or parameters (pragmas, migrations, transactions). */
static xa_code run(struct db *d, const char *sql, const char *what, xa_err *err)
{
    int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? XA_OK : db_fail(d, sqlite3_extended_errcode(d->h), what, err);
}

/* A cached statement of this SQL not in use, or a new one (kept when a slot is free). */
static xa_code prepare(struct db *d, const char *sql, const char *what, db_stmt **out,
                       xa_err *err)
{
    /* Most SQL is a literal: the same pointer as last time finds its
     * statement with one compare of the text (the pointer is only a hint: a
     * freed buffer may come back with other text), the rest by text. */
    db_stmt *hit = NULL;
    for (size_t i = 0; i < d->ncache && !hit; i++)
        if (d->cache[i]->sql == sql && !d->cache[i]->busy &&
            !strcmp(sqlite3_sql(d->cache[i]->st), sql))
            hit = d->cache[i];
    for (size_t i = 0; i < d->ncache && !hit; i++)
        if (!d->cache[i]->busy && !strcmp(sqlite3_sql(d->cache[i]->st), sql))
            hit = d->cache[i];
    if (hit) {
        hit->busy = 1;
        hit->what = what;
        hit->sql = sql;
        *out = hit;
        return XA_OK;
    }
    sqlite3_stmt *h = NULL;
    if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL) != SQLITE_OK)
        return fail_last(d, what ? what : "preparing a query", err);
    db_stmt *s = xa_calloc(1, sizeof *s);
    s->d = d;
    s->st = h;
    s->sql = sql;
    s->what = what;
    s->busy = 1;
    /* keep it: a free slot, else the next one not in use (round robin) */
    size_t slot = CACHE_SLOTS;
    if (d->ncache < CACHE_SLOTS) {
        slot = d->ncache++;
    } else {
        for (size_t k = 0; k < CACHE_SLOTS && slot == CACHE_SLOTS; k++) {
            size_t j = (d->evict + k) % CACHE_SLOTS;
            if (!d->cache[j]->busy) {
                sqlite3_finalize(d->cache[j]->st);
                free(d->cache[j]);
                slot = j;
                d->evict = (j + 1) % CACHE_SLOTS;
            }
        }
    }
    if (slot < CACHE_SLOTS) {
        s->cached = 1;
        d->cache[slot] = s;
    }
    *out = s;
    return XA_OK;
}

/* Bind args to parameters 1..n; text and blobs are copied unless keep says
 * the caller's bytes outlive every step (db_exec). */
static void bind(db_stmt *s, const struct db_arg *args, size_t n, int keep)
{
    sqlite3_destructor_type how = keep ? SQLITE_STATIC : SQLITE_TRANSIENT;
    for (size_t i = 0; i < n; i++) {
        int k = (int)i + 1;
        const struct db_arg *a = &args[i];
        switch (a->type) {
        case DB_A_NULL:
            sqlite3_bind_null(s->st, k);
            break;
        case DB_A_INT:
            sqlite3_bind_int64(s->st, k, a->i);
            break;
        case DB_A_TEXT:
            sqlite3_bind_text64(s->st, k, a->p, a->n == (size_t)-1 ? strlen(a->p) : a->n, how,
                                SQLITE_UTF8);
            break;
        case DB_A_BLOB:
            sqlite3_bind_blob64(s->st, k, a->p ? a->p : "", a->n, how);
            break;
        }
    }
}

/* The work a statement does, for messages. */
static const char *what_of(db_stmt *s)
{
    return s->what ? s->what : sqlite3_stmt_readonly(s->st) ? "reading" : "writing";
}

xa_code db_query(struct db *d, db_stmt **st, const char *what, const char *sql,
                 const struct db_arg *args, size_t nargs, xa_err *err)
{
    *st = NULL;
    xa_code c = prepare(d, sql, what, st, err);
    if (c == XA_OK)
        bind(*st, args, nargs, 0);
    return c;
}

xa_code db_step(db_stmt *st, int *row, xa_err *err)
{
    int rc = sqlite3_step(st->st);
    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return XA_OK;
    return db_fail(st->d, sqlite3_extended_errcode(st->d->h), what_of(st), err);
}

void db_release(db_stmt *st)
{
    if (!st)
        return;
    /* what it cost, read (and zeroed) before the reset: db_stats */
    st->d->stats.statements++;
    st->d->stats.fullscan_steps +=
        (uint64_t)sqlite3_stmt_status(st->st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
    if (st->cached) {
        sqlite3_reset(st->st);
        sqlite3_clear_bindings(st->st);
        st->busy = 0;
        st->what = NULL;
        return;
    }
    sqlite3_finalize(st->st);
    free(st);
}

xa_code db_exec(struct db *d, const char *what, const char *sql, const struct db_arg *args,
                size_t nargs, int64_t *changes, xa_err *err)
{
    db_stmt *st = NULL;
    xa_code c = prepare(d, sql, what, &st, err);
    if (c != XA_OK)
        return c;
    bind(st, args, nargs, 1); /* args outlive the steps: no copies */
    int row = 1;
    while (c == XA_OK && row)
        c = db_step(st, &row, err);
    if (c == XA_OK && changes)
        *changes = sqlite3_changes64(d->h);
    db_release(st);
    return c;
}

xa_code db_first(struct db *d, db_stmt **st, int *row, const char *what, const char *sql,
                 const struct db_arg *args, size_t nargs, xa_err *err)
{
    *row = 0;
    xa_code c = db_query(d, st, what, sql, args, nargs, err);
    if (c == XA_OK && (c = db_step(*st, row, err)) != XA_OK) {
        db_release(*st);
        *st = NULL;
    }
    return c;
}

int64_t db_col_int(db_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}

const char *db_col_text(db_stmt *st, int i)
{
    if (sqlite3_column_type(st->st, i) == SQLITE_NULL)
        return NULL;
    const unsigned char *t = sqlite3_column_text(st->st, i);
    return t ? (const char *)t : "";
}

const void *db_col_blob(db_stmt *st, int i, size_t *len)
{
    const void *p = sqlite3_column_blob(st->st, i);
    *len = (size_t)sqlite3_column_bytes(st->st, i);
    return p;
}

int db_col_count(db_stmt *st)
{
    return sqlite3_column_count(st->st);
}

const char *db_col_name(db_stmt *st, int i)
{
    return sqlite3_column_name(st->st, i);
}

enum db_type db_col_type(db_stmt *st, int i)
{
    switch (sqlite3_column_type(st->st, i)) {
    case SQLITE_INTEGER:
        return DB_INTEGER;
    case SQLITE_FLOAT:
        return DB_FLOAT;
    case SQLITE_TEXT:
        return DB_TEXT;
    case SQLITE_BLOB:
        return DB_BLOB;
    default:
        return DB_NULL;
    }
}

/* ---- rows through column descriptors ---- */

xa_code db_select(struct db *d, db_stmt **st, const struct db_rowtype *t, const char *rest,
                  const struct db_arg *args, size_t nargs, xa_err *err)
{
    for (size_t i = 0; i < d->nselects; i++)
        if (d->selects[i].t == t && !strcmp(d->selects[i].rest, rest))
            return db_query(d, st, NULL, d->selects[i].sql, args, nargs, err);
    xa_buf sql = XA_BUF_INIT;
    xa_buf_printf(&sql, "SELECT ");
    for (size_t i = 0; i < t->ncols; i++)
        xa_buf_printf(&sql, "%s%s", i ? ", " : "", t->cols[i].sql);
    xa_buf_printf(&sql, " %s", rest);
    if (d->nselects < SELECT_SLOTS) { /* keep it (the first ones asked for) */
        struct db_select_text *k = &d->selects[d->nselects++];
        k->t = t;
        k->rest = xa_strdup(rest);
        k->sql = sql.data;
        return db_query(d, st, NULL, k->sql, args, nargs, err);
    }
    xa_code c = db_query(d, st, NULL, sql.data, args, nargs, err);
    xa_buf_clear(&sql);
    return c;
}

void db_read(db_stmt *st, const struct db_rowtype *t, void *row)
{
    unsigned char *base = row;
    memset(row, 0, t->size);
    for (size_t i = 0; i < t->ncols; i++) {
        const struct db_col *c = &t->cols[i];
        void *at = base + c->off;
        const char *s = db_col_text(st, (int)i);
        char *v;
        int iv;
        int64_t lv;
        switch (c->type) {
        case DB_C_TEXT:
        case DB_C_TEXT0:
        case DB_C_SECRET:
            v = s ? xa_strdup(s) : c->type == DB_C_TEXT ? NULL : xa_strdup("");
            memcpy(at, &v, sizeof v);
            break;
        case DB_C_INT64:
            lv = db_col_int(st, (int)i);
            memcpy(at, &lv, sizeof lv);
            break;
        case DB_C_INT:
            iv = (int)db_col_int(st, (int)i);
            memcpy(at, &iv, sizeof iv);
            break;
        case DB_C_CHARS:
            snprintf(at, c->size, "%s", s ? s : "");
            break;
        }
    }
}

void db_row_clear(const struct db_rowtype *t, void *row)
{
    if (!row)
        return;
    unsigned char *base = row;
    for (size_t i = 0; i < t->ncols; i++) {
        const struct db_col *c = &t->cols[i];
        if (c->type == DB_C_TEXT || c->type == DB_C_TEXT0 || c->type == DB_C_SECRET) {
            char *v;
            memcpy(&v, base + c->off, sizeof v);
            if (v && c->type == DB_C_SECRET)
                sodium_memzero(v, strlen(v));
            free(v);
        }
    }
    memset(row, 0, t->size);
}

void db_rows_free(const struct db_rowtype *t, void *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        db_row_clear(t, (unsigned char *)v + i * t->size);
    free(v);
}

xa_code db_rows(db_stmt *st, const struct db_rowtype *t, void **out, size_t *n, xa_err *err)
{
    size_t cap = 16, k = 0;
    unsigned char *v = xa_calloc(cap, t->size);
    int row;
    xa_code c;
    while ((c = db_step(st, &row, err)) == XA_OK && row) {
        if (k == cap) {
            v = xa_reallocarray(v, cap * 2, t->size);
            cap *= 2;
        }
        db_read(st, t, v + k++ * t->size);
    }
    db_release(st);
    if (c != XA_OK) {
        db_rows_free(t, v, k);
        return c;
    }
    *out = v;
    *n = k;
    return XA_OK;
}

xa_code db_row(db_stmt *st, const struct db_rowtype *t, void *row, int *found, xa_err *err)
{
    int r = 0;
    xa_code c = db_step(st, &r, err);
    if (c == XA_OK && r)
        db_read(st, t, row);
    else
        memset(row, 0, t->size);
    db_release(st);
    *found = c == XA_OK && r;
    return c;
}

/* ---- transactions ---- */

xa_code db_begin(struct db *d, const char *what, xa_err *err)
{
    return run(d, "BEGIN IMMEDIATE", what, err);
}

void db_rollback(struct db *d)
{
    if (d && d->h && !sqlite3_get_autocommit(d->h))
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
}

xa_code db_commit(struct db *d, const char *what, xa_err *err)
{
    xa_code c = run(d, "COMMIT", what, err);
    if (c != XA_OK)
        db_rollback(d);
    return c;
}

xa_code db_end(struct db *d, xa_code c, const char *what, xa_err *err)
{
    if (c == XA_OK)
        return db_commit(d, what, err);
    db_rollback(d);
    return c;
}

xa_code db_end_audited(struct db *d, xa_code c, const char *command, const char *summary,
                       xa_err *err)
{
    if (c == XA_OK && summary) {
        char now[XA_RFC3339_MAX];
        xa_time_format(xa_now(), XA_CST_OFFSET, now);
        c = db_exec(d, "writing the audit log", d->schema->audit_sql,
                    DB_ARGS(db_text(now), db_text(command), db_text(summary)), NULL, err);
    }
    return db_end(d, c, NULL, err);
}

/* ---- what the statements did ---- */

void db_stats(struct db *d, struct db_stats *out)
{
    *out = d->stats;
    int cur = 0, hi = 0;
    sqlite3_db_status(d->h, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &hi, 0);
    out->pages_written = (uint64_t)cur;
    sqlite3_db_status(d->h, SQLITE_DBSTATUS_CACHE_MISS, &cur, &hi, 0);
    out->pages_read = (uint64_t)cur;
}

/* ---- opening ---- */

/* An integer pragma's value. */
static xa_code pragma_int(struct db *d, const char *sql, int64_t *out, xa_err *err)
{
    db_stmt *st;
    int row;
    xa_code c = db_first(d, &st, &row, "reading the schema version", sql, DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    *out = row ? db_col_int(st, 0) : 0;
    db_release(st);
    return XA_OK;
}

/* WAL (checked: a file system without shared memory refuses it), full sync,
 * foreign keys, the schema's page cache, and secure delete where the schema
 * asks for it. */
static xa_code configure(struct db *d, xa_err *err)
{
    db_stmt *st;
    int row;
    xa_code c = db_first(d, &st, &row, "setting the journal", "PRAGMA journal_mode = WAL",
                         DB_NOARGS, err);
    if (c != XA_OK)
        return c;
    const char *mode = row ? db_col_text(st, 0) : NULL;
    int wal = mode && !strcmp(mode, "wal");
    db_release(st);
    if (!wal)
        return xa_fail(err, XA_EDB, "the %s cannot use WAL journaling here", _(d->schema->label));
    if ((c = run(d, "PRAGMA synchronous = FULL", "configuring", err)) != XA_OK ||
        (c = run(d, "PRAGMA foreign_keys = ON", "configuring", err)) != XA_OK)
        return c;
    if (d->schema->cache_kib > 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", d->schema->cache_kib);
        if ((c = run(d, sql, "configuring", err)) != XA_OK)
            return c;
    }
    return d->schema->secure_delete ? run(d, "PRAGMA secure_delete = ON", "configuring", err)
                                    : XA_OK;
}

/* Bring the schema to the last migration, one transaction per step; the
 * application id is written with the first step of a fresh file. */
static xa_code migrate(struct db *d, int fresh, int64_t version, xa_err *err)
{
    const struct db_schema *sc = d->schema;
    if (version > sc->nmigrations)
        return xa_fail(err, XA_ESTATE,
                       "%s has schema version %lld, newer than this xiaoan understands (%d): "
                       "use a newer xiaoan",
                       d->path, (long long)version, sc->nmigrations);
    for (int v = (int)version; v < sc->nmigrations; v++) {
        const char *what = "upgrading the schema";
        xa_code c = db_begin(d, what, err);
        if (c != XA_OK)
            return c;
        for (const char *const *q = sc->migrations[v]; *q && c == XA_OK; q++)
            c = run(d, *q, what, err);
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (c == XA_OK)
            c = run(d, sql, what, err);
        if (c == XA_OK && fresh && v == 0 && sc->app_id) {
            snprintf(sql, sizeof sql, "PRAGMA application_id = %ld", (long)sc->app_id);
            c = run(d, sql, what, err);
        }
        if ((c = db_end(d, c, what, err)) != XA_OK) {
            if (err)
                xa_err_prefix(err, "%s: schema %d", d->path, v + 1);
            return c;
        }
    }
    return XA_OK;
}

xa_code db_open(const char *path, const struct db_schema *schema, int fresh, struct db **out,
                xa_err *err)
{
    struct db *d = xa_calloc(1, sizeof *d);
    d->schema = schema;
    d->path = xa_strdup(path);
    xa_code c;
    int rc = sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        c = db_fail(d, rc, "opening", err);
        if (err)
            xa_err_prefix(err, "%s", path);
        goto fail;
    }
    sqlite3_extended_result_codes(d->h, 1);
    sqlite3_busy_timeout(d->h, BUSY_MS);
    /* Keep the file private even if something loosened it — on the file
     * itself: O_NOFOLLOW + fchmod never changes a symlink's target. */
    int pfd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    if (pfd >= 0 && fstat(pfd, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077))
        fchmod(pfd, 0600);
    if (pfd >= 0)
        close(pfd);
    int64_t version = 0, app = 0;
    /* Reading user_version first tells "not a database" apart cleanly. */
    if ((c = pragma_int(d, "PRAGMA user_version", &version, err)) != XA_OK ||
        (c = pragma_int(d, "PRAGMA application_id", &app, err)) != XA_OK)
        goto fail;
    if (!fresh && schema->app_id && app != schema->app_id) {
        c = xa_fail(err, XA_EFORMAT, "%s is not a xiaoan %s", path, _(schema->label));
        goto fail;
    }
    if ((c = configure(d, err)) != XA_OK || (c = migrate(d, fresh, version, err)) != XA_OK)
        goto fail;
    *out = d;
    return XA_OK;
fail:
    db_close(d);
    return c;
}

void db_close(struct db *d)
{
    if (!d)
        return;
    db_rollback(d);
    for (size_t i = 0; i < d->ncache; i++) {
        sqlite3_finalize(d->cache[i]->st);
        free(d->cache[i]);
    }
    for (size_t i = 0; i < d->nselects; i++) {
        free(d->selects[i].rest);
        free(d->selects[i].sql);
    }
    sqlite3_close_v2(d->h);
    free(d->path);
    free(d);
}

/* ---- what only this backend has ---- */

void db_checkpoint(struct db *d)
{
    sqlite3_exec(d->h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

xa_code db_debug_max_pages(struct db *d, int64_t pages, xa_err *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
    return run(d, sql, "setting a page limit", err);
}
