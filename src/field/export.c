/* export.c (field) — owns writing the field → office bundle: every sealed,
 * not yet exported visit from the field store into one xiaoan.bundle/1
 * container (age to the pinned office and the inspector, zstd, signed JSON
 * Lines), then recording the export in the store.  It sits above store and
 * exchange (like central), so both `xiaoan export` and the TUI call it. */
#include "xiaoan/field.h"

#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/visit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Free the path of a result. */
void xa_export_result_clear(xa_export_result *out)
{
    if (!out)
        return;
    free(out->path);
    memset(out, 0, sizeof *out);
}

/* The manifest of bundle seq with prev ("" = none) and n visits. */
static json_t *manifest_of(const xa_identity *me, int64_t seq, const char *prev, size_t n)
{
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    json_t *m = json_object();
    json_object_set_new(m, "format", json_string(XA_BUNDLE_FORMAT));
    json_object_set_new(m, "sender", json_pack("{s:s}", "fingerprint", me->fingerprint));
    json_object_set_new(m, "seq", json_integer((json_int_t)seq));
    json_object_set_new(m, "prev", prev[0] ? json_string(prev) : json_null());
    json_object_set_new(m, "created", json_string(now));
    json_object_set_new(m, "counts", json_pack("{s:I}", "visit", (json_int_t)n));
    return m;
}

/* What write_one needs: the container, a reused line, the ids written. */
struct writing {
    xa_container_writer *w;
    xa_buf line;
    char (*ids)[XA_ID_HEX];
    size_t n, cap;
};

/* An xa_sealed_canon_fn: the visit's stored canonical bytes become its
 * record line as they are (no parse, no re-serialisation: issue 17). */
static xa_code write_one(const char *id, int64_t seq, const char *canon, size_t len,
                         const uint8_t sig[XA_SIG_BYTES], void *ctx, xa_err *err)
{
    (void)seq;
    struct writing *wr = ctx;
    if (wr->n == wr->cap) /* more than were counted: the store changed under us */
        return xa_fail(err, XA_ESTATE, "the field store changed during the export");
    wr->line.len = 0;
    xa_visit_record_line(canon, len, sig, &wr->line);
    xa_code c = xa_container_add_canonical(wr->w, wr->line.data, wr->line.len, err);
    if (c != XA_OK) {
        xa_err_prefix(err, "visit %s", id);
        return c;
    }
    memcpy(wr->ids[wr->n++], id, XA_ID_HEX);
    return XA_OK;
}

/* Export every sealed, unexported visit. */
xa_code xa_field_export(xa_fstore *s, const char *dir, xa_export_result *out, xa_err *err)
{
    memset(out, 0, sizeof *out);
    const xa_identity *me = xa_fstore_identity(s);
    struct writing wr = {NULL, XA_BUF_INIT, NULL, 0, 0};
    size_t count = 0;
    xa_identity *office = NULL;
    xa_container_writer *w = NULL;
    json_t *manifest = NULL;
    const char **ids = NULL;
    char *path = NULL;
    int written = 0;
    xa_code c = xa_fstore_unexported_count(s, &count, err);
    if (c != XA_OK)
        return c;
    if (count == 0)
        goto done;
    c = xa_fstore_office(s, &office, err);
    if (c == XA_ENOTFOUND) {
        c = xa_fail(err, XA_ESTATE,
                    "no office key yet: import a brief first (bundles are encrypted to the "
                    "office)");
        goto done;
    }
    if (c != XA_OK)
        goto done;
    int64_t last;
    char prev[XA_HASH_HEX];
    if ((c = xa_fstore_export_last(s, &last, prev, err)) != XA_OK)
        goto done;
    if (last < 0 || last >= XA_SEQ_MAX) { /* last + 1 must stay in range */
        c = xa_fail(err, XA_ELIMIT, "the bundle sequence is at its limit");
        goto done;
    }
    if (!dir || !*dir)
        dir = ".";
    if ((c = xa_mkdir_p(dir, 0700, err)) != XA_OK)
        goto done;
    char name[96];
    snprintf(name, sizeof name, "xiaoan-%s-%04lld.xab", me->fingerprint, (long long)(last + 1));
    path = xa_path_join(dir, name);
    if (xa_path_exists(path)) {
        c = xa_fail(err, XA_EEXIST, "%s already exists: not overwriting it", path);
        goto done;
    }
    const uint8_t *recipients[2] = {office->age_pk, me->age_pk};
    manifest = manifest_of(me, last + 1, prev, count);
    if ((c = xa_container_create(path, recipients, 2, &w, err)) != XA_OK ||
        (c = xa_container_manifest(w, manifest, me->sign_pk, err)) != XA_OK)
        goto done;
    wr.w = w;
    wr.cap = count;
    wr.ids = xa_calloc(count, sizeof *wr.ids);
    if ((c = xa_fstore_unexported_each(s, write_one, &wr, err)) != XA_OK)
        goto done;
    if (wr.n != count) {
        c = xa_fail(err, XA_ESTATE, "the field store changed during the export");
        goto done;
    }
    if ((c = xa_container_finish(w, me->sec->sign_sk, err)) != XA_OK)
        goto done;
    written = 1;
    if ((c = xa_container_file_hash(path, out->hash, err)) != XA_OK)
        goto done;
    ids = xa_calloc(wr.n, sizeof *ids);
    for (size_t i = 0; i < wr.n; i++)
        ids[i] = wr.ids[i];
    if ((c = xa_fstore_mark_exported(s, last + 1, out->hash, ids, wr.n, err)) != XA_OK)
        goto done;
    out->path = path;
    path = NULL;
    out->visits = wr.n;
    out->seq = last + 1;
done:
    if (c != XA_OK && written && path)
        unlink(path); /* the store does not know it: do not leave it behind */
    if (c != XA_OK)
        memset(out->hash, 0, sizeof out->hash);
    xa_container_writer_free(w);
    json_decref(manifest);
    xa_identity_free(office);
    xa_buf_wipe(&wr.line);
    free(wr.ids);
    free(ids);
    free(path);
    return c;
}
