/* merge.c — `central merge`: one bundle file, one transaction.
 *
 * The container reader decrypts with the office key, checks the trailer and
 * asks us about the sender (enrolled, the same signing key, not revoked at
 * the bundle's created time).  Then every visit record is verified and
 * stored (merge_visits.c).  A rejected bundle leaves only its copy in
 * quarantine and a row saying why. */
#include "merge_int.h"

#include "xiaoan/age.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the sender check found out (for a precise rejection reason). */
struct sender_ctx {
    xa_cstore *s;
    struct xa_inspector insp; /* filled when accepted */
    int found;
    char reason[256];
};

static int sender_ok(const uint8_t sign_pk[XA_CONTAINER_SIGN_PK_BYTES], const char *fingerprint,
                     const char *created, void *vctx)
{
    struct sender_ctx *c = vctx;
    struct xa_inspector i;
    if (!fingerprint || xa_cstore_inspector_get(c->s, fingerprint, &i, NULL) != XA_OK) {
        snprintf(c->reason, sizeof c->reason, "not from a known sender (%.40s is not enrolled)",
                 fingerprint ? fingerprint : "?");
        return 0;
    }
    char *b64 = xa_b64_encode(sign_pk, XA_SIGN_PK_BYTES);
    int same = strcmp(b64, i.sign_key) == 0;
    free(b64);
    if (!same) {
        snprintf(c->reason, sizeof c->reason,
                 "not from a known sender (signed by another key than %.40s's)", fingerprint);
        xa_inspector_free(&i);
        return 0;
    }
    int64_t at = 0;
    int off;
    if (!created || xa_time_parse(created, &at, &off, NULL) != XA_OK) {
        snprintf(c->reason, sizeof c->reason, "malformed line 1: bad created time");
        xa_inspector_free(&i);
        return 0;
    }
    if (i.revoked && at >= i.revoked_at) {
        snprintf(c->reason, sizeof c->reason,
                 "not from a known sender (%.40s was revoked on %.40s, the bundle was made on"
                 " %.40s)",
                 fingerprint, i.revoked, created);
        xa_inspector_free(&i);
        return 0;
    }
    c->insp = i;
    c->found = 1;
    return 1;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Copy src to dst (new file, 0600, fsync'ed); an existing dst is kept. */
static xa_code copy_file(const char *src, const char *dst, xa_err *err)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return xa_fail_errno(err, errno, "cannot read %s", src);
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        int e = errno;
        close(in);
        if (e == EEXIST)
            return XA_OK;
        return xa_fail_errno(err, e, "cannot create %s", dst);
    }
    char buf[65536];
    ssize_t n;
    xa_code c = XA_OK;
    while ((n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            c = xa_fail_errno(err, errno, "reading %s", src);
            break;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                c = xa_fail_errno(err, errno, "writing %s", dst);
                break;
            }
            off += w;
        }
        if (c != XA_OK)
            break;
    }
    if (c == XA_OK && fsync(out) != 0)
        c = xa_fail_errno(err, errno, "writing %s", dst);
    close(in);
    if (close(out) != 0 && c == XA_OK)
        c = xa_fail_errno(err, errno, "writing %s", dst);
    if (c != XA_OK)
        unlink(dst);
    return c;
}

/* Keep a copy of the file in quarantine with a row saying why (own
 * transaction).  hash may be "" when the file could not be read. */
static xa_code quarantine(xa_cstore *s, const char *path, const char *hash, const char *reason,
                          int rejected, xa_err *err)
{
    char *dir = xa_cstore_quarantine_dir(s);
    char *copy = NULL, *file = NULL;
    xa_code c = XA_OK;
    file = xa_safe_dup(base_name(path));
    if (*hash) {
        if ((c = xa_mkdir_p(dir, 0700, err)) != XA_OK)
            goto done;
        char *name = xa_asprintf("%.16s-%s", hash, file);
        copy = xa_path_join(dir, name);
        free(name);
        if ((c = copy_file(path, copy, err)) != XA_OK)
            goto done;
    }
    char id[XA_ID_HEX];
    xa_random_id(id);
    struct xa_cquarantine q = {0};
    q.id = id;
    q.file = file;
    q.path = copy ? copy : "";
    q.hash = (char *)hash;
    q.reason = (char *)reason;
    if ((c = xa_cstore_begin(s, err)) != XA_OK)
        goto done;
    char *summary = xa_asprintf("%s %s: %s", rejected ? "rejected" : "quarantined", file,
                                reason);
    if ((c = xa_cstore_quarantine_add(s, &q, err)) == XA_OK &&
        (!rejected || (c = xa_cstore_audit(s, "central merge", summary, err)) == XA_OK))
        c = xa_cstore_commit(s, err);
    free(summary);
    if (c != XA_OK)
        xa_cstore_rollback(s);
done:
    free(file);
    free(copy);
    free(dir);
    return c;
}

/* Record a rejection in r and quarantine the file. */
static xa_code reject(xa_cstore *s, const char *path, const char *hash, const char *reason,
                      struct xa_merge_result *r, xa_err *err)
{
    r->accepted = 0;
    /* the reason may quote the sender's words (a fingerprint, a type): the
     * one sanitiser makes it harmless for the terminal, the audit and the row */
    xa_safe_text(r->reason, sizeof r->reason, reason, strlen(reason));
    return quarantine(s, path, hash, r->reason, 1, err);
}

xa_code xa_merge_file(xa_cstore *s, const xa_identity *office, const char *path,
                      struct xa_merge_result *r, xa_err *err)
{
    memset(r, 0, sizeof *r);
    xa_err e;
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(r->reason, sizeof r->reason, "cannot read it: %s", strerror(errno));
        return XA_OK; /* nothing to keep */
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(r->reason, sizeof r->reason, "not a file");
        return XA_OK;
    }
    if (xa_container_file_hash(path, r->hash, &e) != XA_OK) {
        snprintf(r->reason, sizeof r->reason, "%s", xa_err_msg(&e));
        return XA_OK;
    }
    int known = 0;
    xa_code c = xa_cstore_bundle_known(s, r->hash, &known, err);
    if (c != XA_OK)
        return c;
    if (known) {
        struct xa_cbundle *b = NULL;
        size_t n = 0;
        if ((c = xa_cstore_bundles(s, NULL, &b, &n, err)) != XA_OK)
            return c;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(b[i].hash, r->hash))
                r->visits = b[i].visits;
        xa_cbundles_free(b, n);
        r->accepted = 1;
        r->already = 1;
        return XA_OK;
    }
    if (st.st_size == 0)
        return reject(s, path, r->hash, "empty file", r, err);

    /* read and verify the container */
    if (!office->sec)
        return xa_fail(err, XA_ESTATE, "the office identity is locked");
    xa_age_identity *aid = NULL;
    if ((c = xa_age_identity_from_secret(office->sec->age_sk, &aid, err)) != XA_OK)
        return c;
    struct sender_ctx sc;
    memset(&sc, 0, sizeof sc);
    sc.s = s;
    json_t *manifest = NULL, *records = NULL;
    const xa_age_identity *ids[1] = {aid};
    c = xa_container_read(path, ids, 1, XA_BUNDLE_FORMAT, NULL, sender_ok, &sc, &manifest,
                          &records, &e);
    xa_age_identity_free(aid);
    if (c != XA_OK) {
        if (sc.found)
            xa_inspector_free(&sc.insp);
        return reject(s, path, r->hash, c == XA_ESENDER && sc.reason[0] ? sc.reason : xa_err_msg(&e),
                      r, err);
    }

    struct merge_ctx m;
    memset(&m, 0, sizeof m);
    char *safe_file = NULL;
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    m.hash = r->hash;
    m.received = now;
    m.sender = &sc.insp;
    if (xa_b64_decode_exact(sc.insp.sign_key, m.sign_pk, XA_SIGN_PK_BYTES, err) != XA_OK) {
        c = xa_err_prefix(err, "the enrolled key of %s", sc.insp.fingerprint);
        goto done;
    }
    if ((c = xa_office_setting_int(s, XA_SET_DEADLINE_GENERAL, &m.days_general, err)) != XA_OK ||
        (c = xa_office_setting_int(s, XA_SET_DEADLINE_MAJOR, &m.days_major, err)) != XA_OK)
        goto done;

    size_t nvisits = 0;
    for (size_t i = 0; i < json_array_size(records); i++) {
        const char *type = json_string_value(json_object_get(json_array_get(records, i), "type"));
        if (type && !strcmp(type, "visit"))
            nvisits++;
    }
    r->visits = (int64_t)nvisits;

    struct xa_cbundle b = {0};
    b.hash = r->hash;
    b.sender = sc.insp.fingerprint;
    b.seq = (int64_t)json_integer_value(json_object_get(manifest, "seq"));
    b.prev = (char *)json_string_value(json_object_get(manifest, "prev"));
    b.created = (char *)json_string_value(json_object_get(manifest, "created"));
    int off;
    xa_time_parse(b.created, &b.created_at, &off, NULL);
    safe_file = xa_safe_dup(base_name(path));
    b.file = safe_file;
    b.visits = (int64_t)nvisits;
    b.received = now;

    if ((c = xa_cstore_begin(s, err)) != XA_OK)
        goto done;
    c = xa_cstore_bundle_add(s, &b, &e);
    for (size_t i = 0; c == XA_OK && i < json_array_size(records); i++) {
        const json_t *rec = json_array_get(records, i);
        const char *type = json_string_value(json_object_get(rec, "type"));
        if (!strcmp(type, "visit")) {
            c = xa__merge_visit(s, &m, rec, i + 2, &e);
        } else if (strcmp(type, "attachment") != 0) {
            /* attachments are reserved (ignored); anything else is not a bundle's */
            m.reject = 1;
            c = xa_fail(&e, XA_EFORMAT, "record %zu: unknown type '%.40s'", i + 2, type);
        }
    }
    if (c == XA_OK)
        c = xa__merge_refresh(s, &m, &e);
    if (c == XA_OK)
        c = xa__merge_chain(s, sc.insp.fingerprint, &e);
    if (c == XA_OK) {
        char *summary = xa_asprintf("merged %s: %lld visits (%lld new) from %s", b.file,
                                    (long long)nvisits, (long long)m.fresh,
                                    sc.insp.fingerprint);
        c = xa_cstore_audit(s, "central merge", summary, &e);
        free(summary);
    }
    if (c == XA_OK)
        c = xa_cstore_commit(s, &e);
    if (c != XA_OK) {
        xa_cstore_rollback(s);
        if (m.reject || (c != XA_EDB && c != XA_ENOSPC && c != XA_EIO)) {
            c = reject(s, path, r->hash, xa_err_msg(&e), r, err);
        } else if (err) {
            *err = e;
        }
        goto done;
    }
    r->accepted = 1;
    r->fresh = m.fresh;
    r->anomalies = m.anomalies;
    if (m.keep_copy) {
        /* the merged bundle carries a conflict: keep the file too */
        if ((c = quarantine(s, path, r->hash, "kept for an anomaly (see central report)", 0,
                            err)) != XA_OK)
            goto done;
    }
    c = XA_OK;
done:
    for (size_t i = 0; i < m.ntouched; i++)
        free(m.touched[i]);
    free(m.touched);
    xa_inspector_free(&sc.insp);
    json_decref(manifest);
    json_decref(records);
    free(safe_file);
    return c;
}
