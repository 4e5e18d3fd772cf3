/* bench_export.c — export: 1,000 sealed visits into one bundle.
 *
 * Setup (not timed): a field store with a brief (the office pinned) and
 * BENCH_SCALE × 1,000 visits made, filled, saved and sealed through the
 * field store's own API; the store file is kept as it is then and copied
 * back before every repetition.
 *
 * Timed, each repetition back to back with its floor:
 *   - xa_field_export (what `xiaoan export` runs: decrypt the sealed
 *     visits, write the container, hash the file, record the export);
 *   - the container writer alone on the same records in memory;
 *   - the floor: `zstd -3 | age -r OFFICE -r INSPECTOR` on the same JSON
 *     Lines (manifest + records), as two processes.
 * And the bundle's bytes against the raw JSON Lines bytes.
 *
 * usage: bench_export WORKDIR FORMS_DIR */
#include "bench.h"

#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/field.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PASS "bench passphrase"

/* The age1… recipient of an identity, from its identity text. */
static char *recipient(const xa_identity *id)
{
    xa_buf b = XA_BUF_INIT;
    xa_err e;
    b_check(xa_identity_text(id, &b, &e), &e, "identity text");
    char *p = strstr(b.data, "age: ");
    if (!p)
        b_die("no age line in identity text");
    p += 5;
    char *r = xa_strndup(p, strcspn(p, "\n"));
    xa_buf_clear(&b);
    return r;
}

static void restore(const char *home, const char *pristine)
{
    char *db = xa_path_join(home, XA_FIELD_DB);
    char *wal = xa_asprintf("%s-wal", db), *shm = xa_asprintf("%s-shm", db);
    unlink(wal);
    unlink(shm);
    b_copy(pristine, db);
    free(db);
    free(wal);
    free(shm);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        b_die("usage: bench_export WORKDIR FORMS_DIR");
    if (sodium_init() < 0)
        b_die("sodium_init");
    long scale = b_env("BENCH_SCALE", 1), reps = b_env("BENCH_REPS", 5);
    size_t nvisits = (size_t)(1000 * scale);
    char *dir = b_tmpdir(argv[1], "export");
    char *home = b_tmpdir(dir, "home");
    char *out = b_tmpdir(dir, "out");
    xa_err e;

    /* ---- setup ---- */
    double t0 = b_wall();
    gen_world w;
    gen_world_init(&w, 20261129, 2000, argv[2]);
    xa_identity *office = NULL;
    xa_fstore *fs = gen_field_store(home, PASS, NULL, NULL, &office);
    json_t *open_haz = json_array(); /* hazards a later visit re-checks */
    for (size_t i = 0; i < nvisits; i++) {
        const xa_school *sc = gen_pick_school(&w);
        xa_visit_init init;
        memset(&init, 0, sizeof init);
        init.school_code = sc->code;
        init.school_name = sc->name;
        init.county = sc->county;
        init.kind = "four-not-two-direct";
        init.no_notice = init.no_greeting = init.no_briefing = init.no_escort = 1;
        json_t *doc = NULL;
        b_check(xa_fstore_visit_new(fs, &init, &doc, &e), &e, "visit new");
        json_t *fu = json_array();
        if (json_array_size(open_haz) && gen_below(&w.rng, 5) == 0) {
            json_array_append(fu, json_array_get(open_haz, 0));
            json_array_remove(open_haz, 0);
        }
        gen_fill_visit(&w, doc, fu, open_haz);
        json_decref(fu);
        int64_t rev = 1; /* the new draft's */
        b_check(xa_fstore_visit_save(fs, doc, &rev, &e), &e, "visit save");
        char id[XA_ID_HEX];
        snprintf(id, sizeof id, "%s", json_string_value(json_object_get(doc, "id")));
        json_decref(doc);
        b_check(xa_fstore_visit_seal(fs, id, NULL, &e), &e, "visit seal");
    }
    json_decref(open_haz);
    const xa_identity *me = xa_fstore_identity(fs);
    char *r_office = recipient(office), *r_me = recipient(me);
    uint8_t me_age[XA_AGE_PK_BYTES], sign_pk[XA_SIGN_PK_BYTES];
    memcpy(me_age, me->age_pk, sizeof me_age);
    memcpy(sign_pk, me->sign_pk, sizeof sign_pk);
    uint8_t *sign_sk = xa_secret_alloc(XA_SIGN_SK_BYTES);
    memcpy(sign_sk, me->sec->sign_sk, XA_SIGN_SK_BYTES);
    char fp[XA_FP_MAX];
    snprintf(fp, sizeof fp, "%s", me->fingerprint);

    /* the records in memory, and the raw JSON Lines the floor compresses */
    xa_sealed_list l = {NULL, 0};
    b_check(xa_fstore_unexported(fs, &l, &e), &e, "unexported");
    if (l.n != nvisits)
        b_die("%zu sealed visits, expected %zu", l.n, nvisits);
    json_t *manifest = json_pack("{s:s, s:{s:s}, s:i, s:n, s:s, s:{s:i}}", "format",
                                 XA_BUNDLE_FORMAT, "sender", "fingerprint", fp, "seq", 1, "prev",
                                 "created", "2026-11-29T18:00:00+08:00", "counts", "visit",
                                 (int)l.n);
    json_t **recs = xa_calloc(l.n, sizeof *recs);
    size_t *line_at = xa_calloc(l.n + 1, sizeof *line_at); /* record i: raw[line_at[i]..] */
    xa_buf raw = XA_BUF_INIT;
    json_t *m2 = json_deep_copy(manifest);
    json_object_set_new(json_object_get(m2, "sender"), "sign", json_string("x"));
    b_check(xa_json_canonical(m2, &raw, &e), &e, "canonical");
    json_decref(m2);
    xa_buf_putc(&raw, '\n');
    for (size_t i = 0; i < l.n; i++) {
        recs[i] = xa_visit_record(l.v[i].doc, l.v[i].sig);
        line_at[i] = raw.len;
        b_check(xa_json_canonical(recs[i], &raw, &e), &e, "canonical");
        xa_buf_putc(&raw, '\n');
    }
    line_at[l.n] = raw.len;
    char *rawpath = xa_path_join(dir, "raw.jsonl");
    b_write(rawpath, raw.data, raw.len);
    xa_fstore_close(fs);
    char *pristine = xa_path_join(dir, "field.db.pristine");
    char *db = xa_path_join(home, XA_FIELD_DB);
    b_copy(db, pristine);
    b_note("export setup: %zu visits sealed in the field store in %.1f s, raw JSON Lines %zu bytes",
           nvisits, b_wall() - t0, raw.len);

    /* ---- timed ---- */
    double *v_exp = xa_calloc((size_t)reps, sizeof(double));
    double *v_cont = xa_calloc((size_t)reps, sizeof(double));
    double *v_floor = xa_calloc((size_t)reps, sizeof(double));
    double *v_floor2 = xa_calloc((size_t)reps, sizeof(double));
    double *c_exp = xa_calloc((size_t)reps, sizeof(double));
    double *c_cont = xa_calloc((size_t)reps, sizeof(double));
    double *c_floor = xa_calloc((size_t)reps, sizeof(double));
    char *floor_out = xa_path_join(dir, "floor.age");
    char *cont_out = xa_path_join(dir, "container.xab");
    char *cmd = xa_asprintf("zstd -3 -q -c '%s' | age -r %s -r %s > '%s'", rawpath, r_office,
                            r_me, floor_out);
    long long bundle_bytes = 0, floor_bytes = 0;
    for (long rep = 0; rep < reps; rep++) {
        restore(home, pristine);
        b_rmrf(out);
        xa_fstore *s = NULL;
        b_check(xa_fstore_open(home, PASS, &s, &e), &e, "open field store");
        /* alternate the order so a drift of the machine hits both */
        for (int k = 0; k < 2; k++) {
            if ((k == 0) == (rep % 2 == 0)) {
                xa_export_result res;
                double a = b_wall(), c = b_cpu();
                b_check(xa_field_export(s, out, &res, &e), &e, "xa_field_export");
                v_exp[rep] = b_wall() - a;
                c_exp[rep] = b_cpu() - c;
                if (res.visits != nvisits)
                    b_die("exported %zu visits", res.visits);
                bundle_bytes = b_fsize(res.path);
                xa_export_result_clear(&res);
            } else {
                double a = b_wall(), c = b_children_cpu();
                b_sh(cmd);
                v_floor[rep] = b_wall() - a;
                c_floor[rep] = b_children_cpu() - c;
                floor_bytes = b_fsize(floor_out);
            }
        }
        xa_fstore_close(s);
        /* the container writer alone, and the floor again next to it */
        for (int k = 0; k < 2; k++) {
            if ((k == 0) == (rep % 2 == 0)) {
                const uint8_t *rcpt[2] = {office->age_pk, me_age};
                xa_container_writer *cw = NULL;
                unlink(cont_out);
                double a = b_wall(), c = b_cpu();
                b_check(xa_container_create_ex(cont_out, rcpt, 2, XA_CONTAINER_REPLACE, &cw, &e), &e, "container");
                b_check(xa_container_manifest(cw, manifest, sign_pk, &e), &e, "manifest");
                /* the records as canonical lines, as the export hands them over */
                for (size_t i = 0; i < l.n; i++)
                    b_check(xa_container_add_canonical(cw, raw.data + line_at[i],
                                                       line_at[i + 1] - line_at[i] - 1, &e),
                            &e, "add");
                b_check(xa_container_finish(cw, sign_sk, &e), &e, "finish");
                v_cont[rep] = b_wall() - a;
                c_cont[rep] = b_cpu() - c;
                xa_container_writer_free(cw);
            } else {
                double a = b_wall();
                b_sh(cmd);
                v_floor2[rep] = b_wall() - a;
            }
        }
        b_note("export rep %ld: xa_field_export %.3f s, container %.3f s, floor %.3f / %.3f s",
               rep + 1, v_exp[rep], v_cont[rep], v_floor[rep], v_floor2[rep]);
    }
    char fig[128];
    snprintf(fig, sizeof fig, "export %zu visits: xa_field_export, wall", nvisits);
    b_row(fig, "s", v_exp, v_floor, (size_t)reps, "zstd -3 | age -r, wall");
    snprintf(fig, sizeof fig, "export %zu visits: xa_field_export, CPU", nvisits);
    b_row(fig, "s", c_exp, c_floor, (size_t)reps, "zstd -3 | age -r, CPU");
    snprintf(fig, sizeof fig, "export %zu visits: container writer only, wall", nvisits);
    b_row(fig, "s", v_cont, v_floor2, (size_t)reps, "zstd -3 | age -r, wall");
    snprintf(fig, sizeof fig, "export %zu visits: container writer only, CPU", nvisits);
    b_row(fig, "s", c_cont, c_floor, (size_t)reps, "zstd -3 | age -r, CPU");
    b_row1("export: bundle bytes", "B", (double)bundle_bytes, (double)raw.len,
           "raw JSON Lines bytes", 1);
    b_row1("export: bundle bytes vs zstd -3 | age", "B", (double)bundle_bytes,
           (double)floor_bytes, "zstd -3 | age bytes", 1);

    for (size_t i = 0; i < l.n; i++)
        json_decref(recs[i]);
    free(recs);
    free(line_at);
    xa_sealed_list_clear(&l);
    json_decref(manifest);
    xa_secret_free(sign_sk);
    xa_identity_free(office);
    xa_buf_clear(&raw);
    gen_world_free(&w);
    free(v_exp), free(v_cont), free(v_floor), free(v_floor2), free(c_exp), free(c_cont);
    free(c_floor);
    free(floor_out), free(cont_out), free(cmd), free(rawpath), free(pristine), free(db);
    free(r_office), free(r_me), free(home), free(out), free(dir);
    return 0;
}
