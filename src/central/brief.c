/* brief.c — `central brief`: write an inspector's brief (xiaoan.brief/1)
 * encrypted to the inspector and the office, signed by the office key, and
 * record it (per-inspector seq and prev) in the store. */
#include "xiaoan/age.h"
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

xa_code xa_brief_write(xa_cstore *s, const xa_identity *office, const char *inspector,
                       const char *county, const char *path, struct xa_brief_counts *counts,
                       char hash[65], xa_err *err)
{
    return xa_brief_write_ex(s, office, inspector, county, path, 0, counts, hash, err);
}

/* xa_brief_write with XA_BRIEF_FORCE (replace an existing file at path). */
xa_code xa_brief_write_ex(xa_cstore *s, const xa_identity *office, const char *inspector,
                          const char *county, const char *path, int flags,
                          struct xa_brief_counts *counts, char hash[65], xa_err *err)
{
    if (!office->sec)
        return xa_fail(err, XA_ESTATE, "the office identity is locked");
    json_t *records = NULL, *manifest = NULL;
    xa_container_writer *w = NULL;
    struct xa_inspector insp;
    memset(&insp, 0, sizeof insp);
    char *prev = NULL;
    int written = 0;
    struct xa_brief_counts k;
    xa_code c = xa_cstore_inspector_get(s, inspector, &insp, err);
    if (c != XA_OK)
        return c;
    if ((c = xa_brief_records(s, office, insp.fingerprint, county, &records, &k, err)) != XA_OK)
        goto done;
    uint8_t insp_pk[XA_AGE_PK_BYTES];
    if ((c = xa_age_recipient_parse(insp.age_recipient, insp_pk, err)) != XA_OK) {
        xa_err_prefix(err, "the enrolled age key of %s", insp.fingerprint);
        goto done;
    }
    int64_t seq = 0;
    if ((c = xa_cstore_brief_last(s, insp.fingerprint, &seq, &prev, err)) != XA_OK)
        goto done;
    if (seq < 0 || seq >= XA_SEQ_MAX) { /* seq + 1 must stay in range */
        c = xa_fail(err, XA_ELIMIT, "the brief sequence of %s is at its limit", insp.fingerprint);
        goto done;
    }
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    manifest = json_pack("{s:s, s:{s:s}, s:I, s:o, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I}}",
                         "format", XA_BRIEF_FORMAT, "sender", "fingerprint", office->fingerprint,
                         "seq", (json_int_t)(seq + 1), "prev",
                         prev ? json_string(prev) : json_null(), "created", now, "counts",
                         "settings", (json_int_t)1, "school", (json_int_t)k.schools, "form",
                         (json_int_t)k.forms, "hazard", (json_int_t)k.hazards, "assignment",
                         (json_int_t)k.assignments, "receipt", (json_int_t)k.receipts);
    const uint8_t *rcpt[2] = {insp_pk, office->age_pk};
    if ((c = xa_container_create_ex(path, rcpt, 2,
                                    flags & XA_BRIEF_FORCE ? XA_CONTAINER_REPLACE : 0, &w,
                                    err)) != XA_OK ||
        (c = xa_container_manifest(w, manifest, office->sign_pk, err)) != XA_OK)
        goto done;
    for (size_t i = 0; i < json_array_size(records) && c == XA_OK; i++)
        c = xa_container_add(w, json_array_get(records, i), err);
    if (c != XA_OK || (c = xa_container_finish(w, office->sec->sign_sk, err)) != XA_OK)
        goto done;
    written = 1;
    char h[XA_CONTAINER_HASH_HEX];
    if ((c = xa_container_file_hash(path, h, err)) != XA_OK)
        goto done;
    struct xa_cbrief b = {0};
    b.hash = h;
    b.inspector = insp.fingerprint;
    b.seq = seq + 1;
    b.prev = prev;
    b.created = now;
    const char *slash = strrchr(path, '/');
    b.file = slash ? slash + 1 : path;
    b.schools = (int64_t)k.schools;
    b.forms = (int64_t)k.forms;
    b.hazards = (int64_t)k.hazards;
    b.receipts = (int64_t)k.receipts;
    char *summary = xa_asprintf("brief %lld for %s %s: %zu schools, %zu forms, %zu hazards, %zu"
                                " assignments, %zu receipts",
                                (long long)b.seq, insp.name, insp.fingerprint, k.schools, k.forms,
                                k.hazards, k.assignments, k.receipts);
    if ((c = xa_cstore_begin(s, err)) == XA_OK) {
        /* Under the write lock: was another brief issued for this inspector
         * since we chose seq (a second `central brief` at the same time)?
         * Then ours is refused, so no two briefs share a sequence number. */
        int64_t now_last = 0;
        char *now_prev = NULL;
        xa_code k2 = xa_cstore_brief_last(s, insp.fingerprint, &now_last, &now_prev, err);
        if (k2 == XA_OK && now_last != seq)
            k2 = xa_fail(err, XA_ESTATE, "another brief (%lld) for %s was written meanwhile: "
                                         "write this one again",
                         (long long)now_last, insp.fingerprint);
        free(now_prev);
        if (k2 == XA_OK)
            k2 = xa_cstore_brief_add(s, &b, err);
        c = xa_cstore_end(s, k2, "central brief", summary, err);
    }
    free(summary);
    if (c == XA_OK) {
        if (hash)
            memcpy(hash, h, XA_CONTAINER_HASH_HEX);
        if (counts)
            *counts = k;
    }
done:
    if (c != XA_OK && written)
        unlink(path); /* the store does not know it: do not leave it around */
    xa_container_writer_free(w);
    json_decref(manifest);
    json_decref(records);
    free(prev);
    xa_inspector_clear(&insp);
    return c;
}
