/* bench_merge.c — merge: 200 bundles × 50 visits (about 60 answers and a
 * few hazards each) into a fresh central store.
 *
 * Setup (not timed): a central store with the office identity, a roster of
 * 20,000 synthetic schools, the real checklists of forms/ and 20 enrolled
 * inspectors; each inspector seals a chain of visits (gen.c, through the
 * visit API; a fifth of them re-check an earlier hazard) and writes
 * BENCH_SCALE × 10 bundles of 50 visits (container.h, as xa_field_export
 * writes them: seq, prev = hash of the previous file).  The bundles arrive
 * round-robin.  The store as it is before the first merge is copied back
 * before every repetition.
 *
 * Timed, back to back in each repetition:
 *   - xa_merge_file on every bundle (hash, decrypt, decompress, verify the
 *     trailer and every visit's signature, decode, insert, hazard states,
 *     chain findings, audit row, one transaction per bundle);
 *   - the floor: the same decoded rows inserted into the same schema with
 *     plain SQL — prepared statements, one transaction per bundle, the
 *     store's own pragmas (WAL, synchronous=FULL, foreign keys, the page
 *     cache of XA_CSTORE_CACHE_KIB).  Reading
 *     and decoding the bundle for the floor is not timed.
 * And how the time per bundle grows: the last tenth of the bundles against
 * the first tenth (1.0 = linear).  BENCH_LARGE=1 repeats it all at 10× the
 * data (once).
 *
 * usage: bench_merge WORKDIR FORMS_DIR */
#include "bench.h"

#include "xiaoan/age.h"
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/visit.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PASS "bench office passphrase"
#define NINSPECTORS 20
#define VISITS_PER_BUNDLE 50
#define NSCHOOLS 20000

static const char *const names[NINSPECTORS] = {
    "张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一", "冯二",
    "陈晨", "褚楠", "卫东", "蒋雯", "沈洁", "韩梅", "杨光", "朱丹", "秦岭", "许诺"};

/* ---- the data set ---- */

struct dataset {
    char *dir;
    char *store;      /* the pristine store (before any merge) */
    char **bundles;   /* in arrival order */
    size_t nbundles;
    size_t nvisits;
    xa_identity *office;
    xa_buf *rows; /* the floor's decoded rows per bundle, kept between repetitions */
};

static void write_bundle(const char *path, const xa_identity *office, fx_inspector *in,
                         int64_t seq, const char *prev, int64_t created, json_t **recs, size_t n)
{
    const uint8_t *rcpt[2] = {office->age_pk, in->id->age_pk};
    char ts[XA_RFC3339_MAX];
    xa_time_format(created, XA_CST_OFFSET, ts);
    json_t *m = json_pack("{s:s, s:{s:s}, s:I, s:s?, s:s, s:{s:I}}", "format", XA_BUNDLE_FORMAT,
                          "sender", "fingerprint", in->id->fingerprint, "seq", (json_int_t)seq,
                          "prev", prev, "created", ts, "counts", "visit", (json_int_t)n);
    if (!prev)
        json_object_set_new(m, "prev", json_null());
    xa_container_writer *w = NULL;
    xa_err e;
    b_check(xa_container_create_ex(path, rcpt, 2, XA_CONTAINER_REPLACE, &w, &e), &e, path);
    b_check(xa_container_manifest(w, m, in->id->sign_pk, &e), &e, "manifest");
    for (size_t i = 0; i < n; i++)
        b_check(xa_container_add(w, recs[i], &e), &e, "add");
    b_check(xa_container_finish(w, in->id->sec->sign_sk, &e), &e, "finish");
    xa_container_writer_free(w);
    json_decref(m);
}

/* BENCH_REUSE=1: take the data set of an earlier run from its folder (for
 * profiling; the list of bundles in arrival order is in its "stamp"). */
static int reuse_dataset(struct dataset *d, const char *dir, size_t nbundles)
{
    char *stamp = xa_path_join(dir, "stamp");
    FILE *f = fopen(stamp, "r");
    free(stamp);
    if (!f)
        return 0;
    d->dir = xa_strdup(dir);
    d->store = xa_path_join(dir, "central.db.pristine");
    d->bundles = xa_calloc(nbundles, sizeof *d->bundles);
    char line[4096];
    while (d->nbundles < nbundles && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        d->bundles[d->nbundles++] = xa_strdup(line);
    }
    fclose(f);
    d->nvisits = d->nbundles * VISITS_PER_BUNDLE;
    xa_cstore *s = NULL;
    xa_err e;
    b_check(xa_cstore_open(d->store, &s, &e), &e, d->store);
    b_check(xa_office_unlock(s, PASS, &d->office, &e), &e, "office unlock");
    xa_cstore_close(s);
    if (d->nbundles != nbundles)
        b_die("%s: the stamp lists %zu bundles, not %zu", dir, d->nbundles, nbundles);
    b_note("merge setup: reusing %zu bundles of %s", nbundles, dir);
    return 1;
}

static void make_dataset(struct dataset *d, const char *work, const char *forms, size_t per)
{
    memset(d, 0, sizeof *d);
    xa_err e;
    char sub[64];
    snprintf(sub, sizeof sub, "merge-%zux%d", per * NINSPECTORS, VISITS_PER_BUNDLE);
    if (b_env("BENCH_REUSE", 0) > 0) {
        char *dir = xa_path_join(work, sub);
        int ok = reuse_dataset(d, dir, per * NINSPECTORS);
        free(dir);
        if (ok)
            return;
    }
    d->dir = b_tmpdir(work, sub);
    char *bdir = b_tmpdir(d->dir, "bundles");
    double t0 = b_wall();

    gen_world w;
    gen_world_init(&w, 20261129, NSCHOOLS, forms);
    d->store = xa_path_join(d->dir, "central.db.pristine");
    char *path = xa_path_join(d->dir, "setup.db");
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    xa_cstore *s = NULL;
    b_check(xa_office_create(path, "丽水市教育局安全科", PASS, &kdf, &s, &d->office, &e), &e,
            "central store");
    struct xa_import_counts ic;
    b_check(xa_office_import_roster(s, w.roster, "synthetic-roster.csv", &ic, &e), &e, "roster");
    b_check(xa_office_import_forms(s, w.forms, forms, NULL, &ic, &e), &e, "forms");

    fx_inspector *ins[NINSPECTORS];
    json_t *open_haz[NINSPECTORS];
    char *prev[NINSPECTORS];
    for (int i = 0; i < NINSPECTORS; i++) {
        ins[i] = fx_inspector_new(names[i]);
        open_haz[i] = json_array();
        prev[i] = NULL;
        xa_buf t = XA_BUF_INIT;
        b_check(xa_identity_text(ins[i]->id, &t, &e), &e, "identity text");
        b_check(xa_office_enroll(s, t.data, t.len, NULL, &e), &e, "enrol");
        xa_buf_clear(&t);
    }
    xa_cstore_close(s);
    b_copy(path, d->store);
    unlink(path);
    free(path);

    d->nbundles = per * NINSPECTORS;
    d->bundles = xa_calloc(d->nbundles, sizeof *d->bundles);
    json_t *recs[VISITS_PER_BUNDLE];
    size_t k = 0;
    for (size_t round = 0; round < per; round++) {
        for (int i = 0; i < NINSPECTORS; i++) {
            for (int v = 0; v < VISITS_PER_BUNDLE; v++) {
                json_t *fu = json_array();
                if (json_array_size(open_haz[i]) && gen_below(&w.rng, 5) == 0) {
                    json_array_append(fu, json_array_get(open_haz[i], 0));
                    json_array_remove(open_haz[i], 0);
                }
                recs[v] = gen_sealed_record(&w, ins[i], fu, open_haz[i]);
                json_decref(fu);
            }
            char name[128];
            snprintf(name, sizeof name, "xiaoan-%s-%04zu.xab", ins[i]->id->fingerprint,
                     round + 1);
            char *p = xa_path_join(bdir, name);
            write_bundle(p, d->office, ins[i], (int64_t)round + 1, prev[i], w.t + 3600, recs,
                         VISITS_PER_BUNDLE);
            for (int v = 0; v < VISITS_PER_BUNDLE; v++)
                json_decref(recs[v]);
            char hash[XA_CONTAINER_HASH_HEX];
            b_check(xa_container_file_hash(p, hash, &e), &e, "file hash");
            free(prev[i]);
            prev[i] = xa_strdup(hash);
            d->bundles[k++] = p;
            d->nvisits += VISITS_PER_BUNDLE;
        }
        if (per >= 10 && (round + 1) % (per / 10) == 0)
            b_note("merge setup: %zu of %zu bundles written (%.0f s)", k, d->nbundles,
                   b_wall() - t0);
    }
    for (int i = 0; i < NINSPECTORS; i++) {
        fx_inspector_free(ins[i]);
        json_decref(open_haz[i]);
        free(prev[i]);
    }
    gen_world_free(&w);
    free(bdir);
    char *stamp = xa_path_join(d->dir, "stamp");
    FILE *f = fopen(stamp, "w");
    for (size_t i = 0; f && i < d->nbundles; i++)
        fprintf(f, "%s\n", d->bundles[i]);
    if (!f || fclose(f) != 0)
        b_die("cannot write %s", stamp);
    free(stamp);
    b_note("merge setup: %zu bundles, %zu visits in %.1f s", d->nbundles, d->nvisits,
           b_wall() - t0);
}

static void free_dataset(struct dataset *d)
{
    for (size_t i = 0; d->rows && i < d->nbundles; i++)
        xa_buf_clear(&d->rows[i]);
    free(d->rows);
    for (size_t i = 0; i < d->nbundles; i++)
        free(d->bundles[i]);
    free(d->bundles);
    xa_identity_free(d->office);
    free(d->store);
    free(d->dir);
}

static char *fresh_store(const struct dataset *d)
{
    char *p = xa_path_join(d->dir, "central.db");
    char *wal = xa_asprintf("%s-wal", p), *shm = xa_asprintf("%s-shm", p);
    unlink(wal);
    unlink(shm);
    free(wal);
    free(shm);
    char *q = xa_asprintf("%s.quarantine", p);
    b_rmrf(q);
    free(q);
    b_copy(d->store, p);
    return p;
}

/* ---- the real merge ---- */

/* Merge every bundle; per-bundle CPU times into t (seconds), the wall time
 * into *wall.  Returns the CPU total. */
static double run_merge(const struct dataset *d, double *t, double *wall)
{
    char *p = fresh_store(d);
    xa_cstore *s = NULL;
    xa_err e;
    b_check(xa_cstore_open(p, &s, &e), &e, "open central store");
    double total = 0;
    *wall = 0;
    for (size_t i = 0; i < d->nbundles; i++) {
        struct xa_merge_result r;
        double a = b_wall(), c = b_cpu();
        b_check(xa_merge_file(s, d->office, d->bundles[i], &r, &e), &e, "xa_merge_file");
        t[i] = b_cpu() - c;
        *wall += b_wall() - a;
        total += t[i];
        if (!r.accepted || r.fresh != VISITS_PER_BUNDLE)
            b_die("bundle %s: accepted %d, fresh %lld: %s", d->bundles[i], r.accepted,
                  (long long)r.fresh, r.reason);
    }
    /* the merge's counters before the counts below read whole tables */
    struct xa_cstore_stats st;
    xa_cstore_stats(s, &st);
    int64_t nv = 0, na = 0, nh = 0, nan = 0;
    xa_cstore_count(s, "visits", &nv, NULL);
    xa_cstore_count(s, "answers", &na, NULL);
    xa_cstore_count(s, "hazards", &nh, NULL);
    xa_cstore_count(s, "anomalies", &nan, NULL);
    b_note("merged: %lld visits, %lld answers, %lld hazards, %lld anomalies", (long long)nv,
           (long long)na, (long long)nh, (long long)nan);
    b_note("merge per bundle: %.0f statements, %.0f pages written, %.0f pages read, %.0f rows"
           " stepped in full-table scans",
           (double)st.statements / (double)d->nbundles,
           (double)st.pages_written / (double)d->nbundles,
           (double)st.pages_read / (double)d->nbundles,
           (double)st.fullscan_steps / (double)d->nbundles);
    xa_cstore_close(s);
    free(p);
    return total;
}

/* ---- the floor: the same decoded rows, plain SQL ---- */

enum { T_BUNDLE, T_VISIT, T_BV, T_VFORM, T_ANSWER, T_HAZARD, T_EVENT, T__N };

static const char *const sql[T__N] = {
    "INSERT INTO bundles (hash, sender, seq, prev, created, created_at, file, visits, received)"
    " VALUES (?,?,?,?,?,?,?,?,?)",
    "INSERT INTO visits (id, inspector, seq, prev, hash, record, school, school_name, county,"
    " kind, arrived, arrived_at, sealed, sealed_at, corrects, received)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO bundle_visits (bundle, visit) VALUES (?,?)",
    "INSERT INTO visit_forms (visit, form, version, hash) VALUES (?,?,?,?)",
    "INSERT INTO answers (visit, form, code, result, value, text, note, location)"
    " VALUES (?,?,?,?,?,?,?,?)",
    "INSERT INTO hazards (id, visit, inspector, school, form, code, category, severity,"
    " description, location, requirement, deadline, responsible, measures, notes,"
    " rectified_on_site, found, found_at, state, closed, closed_at, rechecks, last_check,"
    " last_verdict, last_checker) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO hazard_events (hazard, visit, kind, verdict, at, at_epoch, inspector, note)"
    " VALUES (?,?,?,?,?,?,?,?)",
};

/* The decoded rows of one bundle, packed: per row the statement (u8), the
 * number of values (u8), then each value as 's' u32 length, bytes, NUL |
 * 'i' int64 | 'n'.  Packed so that the rows of every bundle can be kept
 * between repetitions (only the inserts are timed). */
struct enc {
    xa_buf *b;
    size_t npos;
};

static struct enc *op_new(struct enc *e, int stmt)
{
    uint8_t h[2] = {(uint8_t)stmt, 0};
    e->npos = e->b->len + 1;
    xa_buf_add(e->b, h, 2);
    return e;
}
static void op_s(struct enc *e, const char *s)
{
    e->b->data[e->npos]++;
    if (!s) {
        xa_buf_putc(e->b, 'n');
        return;
    }
    uint32_t l = (uint32_t)strlen(s);
    xa_buf_putc(e->b, 's');
    xa_buf_add(e->b, &l, sizeof l);
    xa_buf_add(e->b, s, (size_t)l + 1);
}
static void op_i(struct enc *e, int64_t i)
{
    e->b->data[e->npos]++;
    xa_buf_putc(e->b, 'i');
    xa_buf_add(e->b, &i, sizeof i);
}
static void op_n(struct enc *e)
{
    e->b->data[e->npos]++;
    xa_buf_putc(e->b, 'n');
}

static const char *js(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}
static int64_t epoch(const char *t)
{
    int64_t x = 0;
    int off;
    xa_time_parse(t, &x, &off, NULL);
    return x;
}

static int accept_any(const uint8_t pk[XA_CONTAINER_SIGN_PK_BYTES], const char *fp,
                      const char *created, void *ctx)
{
    (void)pk, (void)fp, (void)created, (void)ctx;
    return 1;
}

/* Read a bundle and decode it into the rows merge stores (not timed). */
static void decode_bundle(const char *path, const xa_age_identity *aid, xa_buf *out)
{
    struct enc en = {out, 0}, *l = &en;
    xa_err e;
    json_t *m = NULL, *recs = NULL;
    const xa_age_identity *ids[1] = {aid};
    b_check(xa_container_read(path, ids, 1, XA_BUNDLE_FORMAT, NULL, accept_any, NULL, &m, &recs,
                              &e),
            &e, path);
    char hash[XA_CONTAINER_HASH_HEX], now[XA_RFC3339_MAX];
    b_check(xa_container_file_hash(path, hash, &e), &e, "hash");
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    const char *fp = js(json_object_get(m, "sender"), "fingerprint");
    struct enc *o = op_new(l, T_BUNDLE);
    op_s(o, hash), op_s(o, fp), op_i(o, json_integer_value(json_object_get(m, "seq")));
    op_s(o, js(m, "prev")), op_s(o, js(m, "created")), op_i(o, epoch(js(m, "created")));
    op_s(o, strrchr(path, '/') + 1), op_i(o, (int64_t)json_array_size(recs)), op_s(o, now);
    size_t i;
    json_t *rec;
    json_array_foreach(recs, i, rec)
    {
        const json_t *doc = json_object_get(rec, "doc");
        const char *vid = js(doc, "id");
        const json_t *school = json_object_get(doc, "school"), *times = json_object_get(doc, "times"),
                     *seal = json_object_get(doc, "seal");
        uint8_t h[XA_HASH_BYTES];
        char hex[XA_HASH_HEX];
        b_check(xa_visit_hash(doc, h, &e), &e, "visit hash");
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        xa_buf canon = XA_BUF_INIT;
        b_check(xa_json_canonical(rec, &canon, &e), &e, "canonical");
        o = op_new(l, T_VISIT);
        op_s(o, vid), op_s(o, fp), op_i(o, json_integer_value(json_object_get(seal, "seq")));
        op_s(o, js(seal, "prev")), op_s(o, hex), op_s(o, canon.data);
        op_s(o, js(school, "code")), op_s(o, js(school, "name")), op_s(o, js(school, "county"));
        op_s(o, js(doc, "kind")), op_s(o, js(times, "arrived")), op_i(o, epoch(js(times, "arrived")));
        op_s(o, js(seal, "sealed")), op_i(o, epoch(js(seal, "sealed"))), op_s(o, js(doc, "corrects"));
        op_s(o, now);
        xa_buf_clear(&canon);
        o = op_new(l, T_BV);
        op_s(o, hash), op_s(o, vid);
        size_t j;
        json_t *x;
        json_array_foreach(json_object_get(doc, "forms"), j, x)
        {
            o = op_new(l, T_VFORM);
            op_s(o, vid), op_s(o, js(x, "id")), op_i(o, json_integer_value(json_object_get(x, "version")));
            op_s(o, js(x, "hash"));
        }
        json_array_foreach(json_object_get(doc, "answers"), j, x)
        {
            o = op_new(l, T_ANSWER);
            op_s(o, vid), op_s(o, js(x, "form")), op_s(o, js(x, "code")), op_s(o, js(x, "result"));
            const json_t *val = json_object_get(x, "value");
            if (json_is_integer(val))
                op_i(o, json_integer_value(val));
            else
                op_n(o);
            op_s(o, js(x, "text")), op_s(o, js(x, "note")), op_s(o, js(x, "location"));
        }
        json_array_foreach(json_object_get(doc, "hazards"), j, x)
        {
            const char *found = js(x, "found");
            char deadline[XA_DATE_MAX];
            if (js(x, "deadline"))
                snprintf(deadline, sizeof deadline, "%s", js(x, "deadline"));
            else
                xa_date_format(xa_date_of(epoch(found), XA_CST_OFFSET) +
                                   (!strcmp(js(x, "severity"), "major") ? 15 : 30),
                               deadline);
            int onsite = json_is_true(json_object_get(x, "rectified_on_site"));
            o = op_new(l, T_HAZARD);
            op_s(o, js(x, "id")), op_s(o, vid), op_s(o, fp), op_s(o, js(school, "code"));
            op_s(o, js(x, "form")), op_s(o, js(x, "code")), op_s(o, js(x, "category"));
            op_s(o, js(x, "severity")), op_s(o, js(x, "description")), op_s(o, js(x, "location"));
            op_s(o, js(x, "requirement")), op_s(o, deadline), op_s(o, js(x, "responsible"));
            op_s(o, js(x, "measures")), op_s(o, js(x, "notes")), op_i(o, onsite), op_s(o, found);
            op_i(o, epoch(found)), op_s(o, onsite ? "closed" : "open");
            if (onsite)
                op_s(o, found), op_i(o, epoch(found));
            else
                op_n(o), op_n(o);
            op_i(o, 0), op_n(o), op_n(o), op_n(o);
            o = op_new(l, T_EVENT);
            op_s(o, js(x, "id")), op_s(o, vid), op_s(o, "found"), op_n(o), op_s(o, found);
            op_i(o, epoch(found)), op_s(o, fp), op_s(o, "");
            if (onsite) {
                o = op_new(l, T_EVENT);
                op_s(o, js(x, "id")), op_s(o, vid), op_s(o, "rectified-on-site"), op_n(o);
                op_s(o, found), op_i(o, epoch(found)), op_s(o, fp), op_s(o, js(x, "measures"));
            }
        }
        json_array_foreach(json_object_get(doc, "followups"), j, x)
        {
            o = op_new(l, T_EVENT);
            op_s(o, js(x, "hazard")), op_s(o, vid), op_s(o, "follow-up"), op_s(o, js(x, "verdict"));
            op_s(o, js(x, "checked")), op_i(o, epoch(js(x, "checked"))), op_s(o, fp);
            op_s(o, js(x, "note"));
        }
    }
    json_decref(m);
    json_decref(recs);
}

static void sql_ok(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE)
        b_die("floor: %s: %s", what, sqlite3_errmsg(db));
}

/* Insert every bundle's rows; per-bundle CPU times of the inserts into t,
 * their wall time into *wall.  Returns the CPU total of the timed parts. */
static double run_floor(const struct dataset *d, double *t, double *wall)
{
    char *p = fresh_store(d);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(p, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        b_die("floor: open %s", p);
    /* the store's own pragmas (db.c configure, centralstore.h's page cache) */
    char pragmas[160];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
             " PRAGMA cache_size = -%d",
             XA_CSTORE_CACHE_KIB);
    sql_ok(db, sqlite3_exec(db, pragmas, NULL, NULL, NULL), "pragmas");
    sqlite3_stmt *st[T__N];
    for (int k = 0; k < T__N; k++)
        sql_ok(db, sqlite3_prepare_v2(db, sql[k], -1, &st[k], NULL), sql[k]);
    xa_age_identity *aid = NULL;
    xa_err e;
    b_check(xa_age_identity_from_secret(d->office->sec->age_sk, &aid, &e), &e, "age identity");
    double total = 0;
    size_t nstmt = 0;
    *wall = 0;
    for (size_t b = 0; b < d->nbundles; b++) {
        xa_buf one = XA_BUF_INIT, *rows = d->rows ? &d->rows[b] : &one;
        if (!rows->len)
            decode_bundle(d->bundles[b], aid, rows);
        double a = b_wall(), c = b_cpu();
        sql_ok(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
        for (const char *q = rows->data, *end = rows->data + rows->len; q < end;) {
            int stmt = (uint8_t)*q++, n = (uint8_t)*q++;
            sqlite3_stmt *s = st[stmt];
            for (int j = 0; j < n; j++) {
                char ty = *q++;
                if (ty == 's') {
                    uint32_t len;
                    memcpy(&len, q, sizeof len);
                    sqlite3_bind_text(s, j + 1, q + sizeof len, (int)len, SQLITE_STATIC);
                    q += sizeof len + len + 1;
                } else if (ty == 'i') {
                    int64_t v;
                    memcpy(&v, q, sizeof v);
                    sqlite3_bind_int64(s, j + 1, v);
                    q += sizeof v;
                } else {
                    sqlite3_bind_null(s, j + 1);
                }
            }
            sql_ok(db, sqlite3_step(s), sql[stmt]);
            sqlite3_reset(s);
            nstmt++;
        }
        sql_ok(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
        t[b] = b_cpu() - c;
        *wall += b_wall() - a;
        total += t[b];
        xa_buf_clear(&one);
    }
    int pw = 0, pr = 0, hi = 0;
    sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_WRITE, &pw, &hi, 0);
    sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_MISS, &pr, &hi, 0);
    b_note("floor per bundle: %.0f statements, %.0f pages written, %.0f pages read",
           (double)nstmt / (double)d->nbundles, (double)pw / (double)d->nbundles,
           (double)pr / (double)d->nbundles);
    xa_age_identity_free(aid);
    for (int k = 0; k < T__N; k++)
        sqlite3_finalize(st[k]);
    sqlite3_close(db);
    free(p);
    return total;
}

static double mean(const double *v, size_t from, size_t to)
{
    double s = 0;
    for (size_t i = from; i < to; i++)
        s += v[i];
    return to > from ? s / (double)(to - from) : 0;
}

static void bench(const char *work, const char *forms, size_t per, long reps, const char *tag)
{
    struct dataset d;
    make_dataset(&d, work, forms, per);
    size_t R = (size_t)reps;
    double *vm = xa_calloc(R, sizeof(double)), *vf = xa_calloc(R, sizeof(double));
    double *wm = xa_calloc(R, sizeof(double)), *wf = xa_calloc(R, sizeof(double));
    double *gm = xa_calloc(R, sizeof(double)), *gf = xa_calloc(R, sizeof(double));
    double *tm = xa_calloc(d.nbundles, sizeof(double)), *tf = xa_calloc(d.nbundles, sizeof(double));
    size_t tenth = d.nbundles / 10 ? d.nbundles / 10 : 1;
    /* keep the floor's decoded rows between repetitions (about 18 KiB a
     * visit) unless the data set is large */
    if (R > 1 && d.nvisits <= 40000)
        d.rows = xa_calloc(d.nbundles, sizeof *d.rows);
    /* BENCH_ONLY=merge|floor runs one side (for profiling) */
    const char *only = getenv("BENCH_ONLY");
    for (size_t rep = 0; rep < R; rep++) {
        for (int k = 0; k < 2; k++) {
            if ((k == 0) == (rep % 2 == 0)) {
                if (!only || !strcmp(only, "merge"))
                    vm[rep] = run_merge(&d, tm, &wm[rep]);
            } else if (!only || !strcmp(only, "floor")) {
                vf[rep] = run_floor(&d, tf, &wf[rep]);
            }
        }
        gm[rep] = mean(tm, d.nbundles - tenth, d.nbundles) / mean(tm, 0, tenth);
        gf[rep] = mean(tf, d.nbundles - tenth, d.nbundles) / mean(tf, 0, tenth);
        b_note("merge %s rep %zu: xa_merge_file CPU %.2f s (wall %.2f s), plain SQL CPU %.2f s"
               " (wall %.2f s); CPU per bundle, first/last tenth: merge %.1f/%.1f ms,"
               " SQL %.1f/%.1f ms",
               tag, rep + 1, vm[rep], wm[rep], vf[rep], wf[rep], 1e3 * mean(tm, 0, tenth),
               1e3 * mean(tm, d.nbundles - tenth, d.nbundles), 1e3 * mean(tf, 0, tenth),
               1e3 * mean(tf, d.nbundles - tenth, d.nbundles));
    }
    char fig[160];
    snprintf(fig, sizeof fig, "merge %s: %zu bundles x %d visits, CPU", tag, d.nbundles,
             VISITS_PER_BUNDLE);
    b_row(fig, "s", vm, vf, R, "same rows, plain SQL, 1 txn/bundle");
    snprintf(fig, sizeof fig, "merge %s: %zu bundles x %d visits, wall", tag, d.nbundles,
             VISITS_PER_BUNDLE);
    b_row(fig, "s", wm, wf, R, "same rows, plain SQL, 1 txn/bundle");
    snprintf(fig, sizeof fig, "merge %s: growth, CPU/bundle last vs first tenth", tag);
    b_row(fig, "x", gm, gf, R, "same for plain SQL");
    free(vm), free(vf), free(wm), free(wf), free(gm), free(gf), free(tm), free(tf);
    free_dataset(&d);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        b_die("usage: bench_merge WORKDIR FORMS_DIR");
    if (sodium_init() < 0)
        b_die("sodium_init");
    /* 2 repetitions by default keep `make bench` near 10 minutes on a shared
     * 2-core machine; CPU figures vary little (BENCH_REPS=5 for more) */
    long scale = b_env("BENCH_SCALE", 1), reps = b_env("BENCH_REPS", 2);
    size_t per = (size_t)(10 * scale);
    bench(argv[1], argv[2], per, reps, "1x");
    if (b_env("BENCH_LARGE", 0) > 0)
        bench(argv[1], argv[2], per * 10, b_env("BENCH_LARGE_REPS", 1), "10x");
    return 0;
}
