/* merge.c — `central merge`: one bundle file, one transaction, in four steps.
 *
 *   read        open the file once (a regular file, not empty);
 *   verify      the container reader's first pass: the sender is checked
 *               right after the manifest (enrolled, the enrolled signing
 *               key) before any record is read, then every record is
 *               validated and hashed without being handed out, and the
 *               trailer's signature is checked — memory stays bounded
 *               whatever the file holds (the reader keeps at most 8 MiB of
 *               plaintext for the second pass); then the sequence limits of
 *               a revoked sender;
 *   store       the reader's second pass hands the verified records one at a
 *               time to merge_visits.c inside one transaction — replayed
 *               from the kept plaintext, or read from the file again and
 *               rolled back if the bytes differ from what was verified;
 *   quarantine  a rejected file (or one that raised a conflict) is kept in
 *               quarantine — its first XA_QUARANTINE_COPY_MAX bytes and the
 *               hash of all of it — with a row saying why.
 *
 * Every reason goes through the one sanitiser (xa_safe_text) before it
 * reaches the result, the audit log or the quarantine row: a file name or a
 * fingerprint comes from outside. */
#include "merge_int.h"

#include "xiaoan/age.h"
#include "xiaoan/clock.h"
#include "xiaoan/container.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One bundle file going through the steps. */
struct job {
    xa_cstore *s;
    const xa_identity *office;
    const char *path;
    struct xa_merge_result *r;
    int fd;   /* the file, opened once: verified, stored and quarantined from it */
    FILE *fp; /* over fd */
    xa_age_identity *aid;
    const xa_age_identity *ids[1]; /* the reader keeps this pointer */
    xa_container_reader *reader;
    struct xa_inspector insp; /* the sender, once the sender check accepted it */
    int found;
    char reason[XA_ERR_MSG_MAX]; /* why the sender check refused */
};

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* ---- quarantine ------------------------------------------------------------- */

/* Copy at most max bytes of the open file in (from its start) to dst (a
 * new file, 0600, fsync'ed) while hashing all of it (BLAKE2b-256 hex into
 * hash); *cut says the copy was cut short. */
static xa_code copy_capped(int in, const char *src, const char *dst, uint64_t max,
                           char hash[65], uint64_t *size, int *cut, xa_err *err)
{
    *cut = 0;
    *size = 0;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0)
        return xa_fail_errno(err, errno, "cannot create %s", dst);
    crypto_generichash_state *st = aligned_alloc(64, (sizeof *st + 63) / 64 * 64);
    if (!st)
        abort();
    crypto_generichash_init(st, NULL, 0, 32);
    char buf[65536];
    ssize_t n;
    xa_code c = XA_OK;
    uint64_t copied = 0;
    off_t at = 0;
    while ((n = pread(in, buf, sizeof buf, at)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            c = xa_fail_errno(err, errno, "reading %s", src);
            break;
        }
        crypto_generichash_update(st, (const uint8_t *)buf, (size_t)n);
        *size += (uint64_t)n;
        at += n;
        size_t want = copied >= max ? 0 : (size_t)((uint64_t)n < max - copied ? (uint64_t)n
                                                                               : max - copied);
        if (want < (size_t)n)
            *cut = 1;
        for (size_t off = 0; off < want;) {
            ssize_t w = write(out, buf + off, want - off);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                c = xa_fail_errno(err, errno, "writing %s", dst);
                break;
            }
            off += (size_t)w;
        }
        copied += want;
        if (c != XA_OK)
            break;
    }
    uint8_t h[32];
    crypto_generichash_final(st, h, sizeof h);
    free(st);
    xa_hex_encode(h, sizeof h, hash);
    if (c == XA_OK && fsync(out) != 0)
        c = xa_fail_errno(err, errno, "writing %s", dst);
    if (close(out) != 0 && c == XA_OK)
        c = xa_fail_errno(err, errno, "writing %s", dst);
    if (c != XA_OK)
        unlink(dst);
    return c;
}

/* Keep (a capped copy of) the open file in quarantine with a row saying why
 * (own transaction); out_hash (may be NULL) gets the whole file's hash.  A
 * file that cannot be read gets a row without a copy. */
static xa_code quarantine(xa_cstore *s, int fd, const char *path, const char *reason,
                          int rejected, char out_hash[65], xa_err *err)
{
    char *dir = xa_cstore_quarantine_dir(s);
    char *file = xa_safe_dup(base_name(path));
    char *copy = NULL, *tmp = NULL, *why = NULL;
    char hash[65] = "";
    xa_code c = XA_OK;
    if ((c = xa_mkdir_p(dir, 0700, err)) != XA_OK)
        goto done;
    /* copy under a temporary name first: the final name carries the hash */
    char rnd[XA_ID_HEX];
    xa_random_id(rnd);
    char *tname = xa_asprintf(".incoming-%s", rnd);
    tmp = xa_path_join(dir, tname);
    free(tname);
    uint64_t size = 0;
    int cut = 0;
    xa_err ce;
    if (fd < 0 ||
        copy_capped(fd, path, tmp, XA_QUARANTINE_COPY_MAX, hash, &size, &cut, &ce) != XA_OK) {
        unlink(tmp);
        hash[0] = '\0'; /* unreadable: the row alone says what happened */
    } else {
        char *name = xa_asprintf("%.16s-%s", hash, file);
        copy = xa_path_join(dir, name);
        free(name);
        if (xa_path_exists(copy))
            unlink(tmp); /* the same file is there already */
        else if (rename(tmp, copy) != 0) {
            c = xa_fail_errno(err, errno, "cannot keep %s in quarantine", file);
            unlink(tmp);
            goto done;
        }
        xa_fsync_parent(copy);
    }
    if (cut)
        why = xa_asprintf("%s (copy cut at %llu of %llu bytes)", reason,
                          (unsigned long long)XA_QUARANTINE_COPY_MAX, (unsigned long long)size);
    char id[XA_ID_HEX];
    xa_random_id(id);
    struct xa_cquarantine q = {0};
    q.id = id;
    q.file = file;
    q.path = copy ? copy : "";
    q.hash = hash;
    q.reason = why ? why : reason;
    if (out_hash)
        memcpy(out_hash, hash, sizeof hash);
    if ((c = xa_cstore_begin(s, err)) != XA_OK)
        goto done;
    /* a rejection is audited; a quarantine alone is part of a merge that is */
    char *summary = rejected ? xa_asprintf("rejected %s: %s", file, q.reason) : NULL;
    c = xa_cstore_end(s, xa_cstore_quarantine_add(s, &q, err), "central merge", summary, err);
    free(summary);
done:
    free(why);
    free(tmp);
    free(file);
    free(copy);
    free(dir);
    return c;
}

/* Record a rejection in r and quarantine the file. */
static xa_code reject(struct job *j, const char *reason, xa_err *err)
{
    j->r->accepted = 0;
    /* the reason may quote the sender's words (a fingerprint, a type): the
     * one sanitiser makes it harmless for the terminal, the audit and the row */
    xa_safe_text(j->r->reason, sizeof j->r->reason, reason, strlen(reason));
    return quarantine(j->s, j->fd, j->path, j->r->reason, 1, j->r->hash, err);
}

/* ---- read ------------------------------------------------------------------- */

/* Open the file once; 1 when there is something to verify, 0 when the
 * result is already decided (a missing or special file, an empty one). */
static int step_read(struct job *j, xa_code *c, xa_err *err)
{
    struct stat st;
    /* non-blocking open, so a FIFO put in the file's place cannot hang us */
    j->fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (j->fd < 0 || fstat(j->fd, &st) != 0) {
        snprintf(j->r->reason, sizeof j->r->reason, "cannot read it: %s", strerror(errno));
        *c = XA_OK; /* nothing to keep */
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(j->r->reason, sizeof j->r->reason, "not a file");
        *c = XA_OK;
        return 0;
    }
    if (st.st_size == 0) {
        *c = reject(j, "empty file", err);
        return 0;
    }
    if (!j->office->sec) {
        *c = xa_fail(err, XA_ESTATE, "the office identity is locked");
        return 0;
    }
    if ((*c = xa_age_identity_from_secret(j->office->sec->age_sk, &j->aid, err)) != XA_OK)
        return 0;
    int fl = fcntl(j->fd, F_GETFL);
    int dupfd = fl < 0 || fcntl(j->fd, F_SETFL, fl & ~O_NONBLOCK) != 0
                    ? -1
                    : fcntl(j->fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd < 0 || !(j->fp = fdopen(dupfd, "rb"))) {
        if (dupfd >= 0)
            close(dupfd);
        snprintf(j->r->reason, sizeof j->r->reason, "cannot read it: %s", strerror(errno));
        *c = XA_OK;
        return 0;
    }
    j->ids[0] = j->aid;
    if ((*c = xa_container_open_fp(j->fp, j->ids, 1,
                                   XA_BUNDLE_FORMAT, NULL, &j->reader, err)) != XA_OK)
        return 0;
    return 1;
}

/* ---- verify ------------------------------------------------------------------ */

/* The sender check, right after the manifest: enrolled, with the enrolled
 * signing key.  No time the sender states is looked at. */
static int sender_ok(const uint8_t sign_pk[XA_CONTAINER_SIGN_PK_BYTES], const char *fingerprint,
                     const char *created, void *vctx)
{
    (void)created; /* the sender's own claim: never trusted */
    struct job *j = vctx;
    struct xa_inspector i;
    if (!fingerprint || xa_cstore_inspector_get(j->s, fingerprint, &i, NULL) != XA_OK) {
        snprintf(j->reason, sizeof j->reason, "not from a known sender (%.40s is not enrolled)",
                 fingerprint ? fingerprint : "?");
        return 0;
    }
    char *b64 = xa_b64_encode(sign_pk, XA_SIGN_PK_BYTES);
    int same = strcmp(b64, i.sign_key) == 0;
    free(b64);
    if (!same) {
        snprintf(j->reason, sizeof j->reason,
                 "not from a known sender (signed by another key than %.40s's)", fingerprint);
        xa_inspector_clear(&i);
        return 0;
    }
    if (j->found)
        xa_inspector_clear(&j->insp);
    j->insp = i;
    j->found = 1;
    return 1;
}

/* The first pass; 1 when the bundle verified, 0 when it was rejected. */
static int step_verify(struct job *j, xa_code *c, xa_err *err)
{
    xa_err e;
    xa_container_count_type(j->reader, "visit");
    xa_code v = xa_container_verify(j->reader, sender_ok, j, &e);
    const struct xa_container_info *info = xa_container_info_of(j->reader);
    if (v != XA_OK) {
        *c = reject(j, v == XA_ESENDER && j->reason[0] ? j->reason : xa_err_msg(&e), err);
        return 0;
    }
    memcpy(j->r->hash, info->file_hash, sizeof j->r->hash);
    j->r->visits = (int64_t)info->counted;
    return 1;
}

/* Was this bundle merged before — these very bytes, or a re-encrypted copy
 * of them (other file bytes, the same signed content: the trailer's hash)?
 * Then report it, change nothing: a copy is not a second bundle, and so no
 * bundle-fork either. */
static int already_merged(struct job *j, xa_code *c, xa_err *err)
{
    int known = 0;
    char same[65] = "";
    if ((*c = xa_cstore_bundle_known(j->s, j->r->hash, &known, err)) != XA_OK)
        return 1;
    if (!known) {
        const struct xa_container_info *info = xa_container_info_of(j->reader);
        if ((*c = xa_cstore_bundle_by_content(j->s, info->content_hash, same, &known, err)) !=
            XA_OK)
            return 1;
        if (!known)
            return 0;
    }
    const char *hash = same[0] ? same : j->r->hash;
    struct xa_cbundle *b = NULL;
    size_t n = 0;
    if ((*c = xa_cstore_bundles(j->s, NULL, &b, &n, err)) != XA_OK)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(b[i].hash, hash))
            j->r->visits = b[i].visits;
    xa_cbundles_free(b, n);
    j->r->accepted = 1;
    j->r->already = 1;
    return 1;
}

/* A revoked sender: only bundles up to the last one merged before the
 * revocation (and, in step_store, visits up to the last visit), or a bundle
 * the office allowed by its file hash (`central revoke FP --allow FILE`).
 * No time the sender states is looked at: a backdated bundle gains nothing.
 * *visit_cut gets the visit limit (-1: none). */
static int revoked_refused(struct job *j, const json_t *manifest, int64_t *visit_cut, char *why,
                           size_t cap)
{
    *visit_cut = -1;
    if (!j->insp.revoked)
        return 0;
    int allowed = 0;
    if (xa_cstore_revoke_allowed(j->s, j->insp.fingerprint, j->r->hash, &allowed, NULL) ==
            XA_OK &&
        allowed)
        return 0;
    int64_t seq = (int64_t)json_integer_value(json_object_get(manifest, "seq"));
    if (seq > j->insp.revoked_bundle_seq) {
        snprintf(why, cap,
                 "not from a known sender (%.40s was revoked on %.40s after bundle %lld; this is"
                 " bundle %lld)",
                 j->insp.fingerprint, j->insp.revoked, (long long)j->insp.revoked_bundle_seq,
                 (long long)seq);
        return 1;
    }
    *visit_cut = j->insp.revoked_visit_seq;
    return 0;
}

/* ---- store -------------------------------------------------------------------- */

struct store_ctx {
    xa_cstore *s;
    struct merge_ctx *m;
    xa_container_reader *reader;
    struct xa_att_rx *rx; /* the attachments of the bundle's visits */
};

/* One record of the second pass (lazy: rec is NULL unless the reader had to
 * parse it; a visit is read from its line, anything else asks for the tree). */
static xa_code store_record(const json_t *rec, size_t lineno, void *vctx, xa_err *err)
{
    struct store_ctx *sc = vctx;
    size_t tl;
    const char *type = xa_container_record_type(sc->reader, &tl);
    if (tl == 5 && !memcmp(type, "visit", 5)) {
        /* the line's canonical bytes come along: no serialising it again */
        sc->m->line = xa_container_record_line(sc->reader, &sc->m->line_len);
        xa_code c = xa__merge_visit(sc->s, sc->m, rec, lineno, err);
        sc->m->line = NULL;
        /* its attachments must follow in this bundle (merge_attach.c) */
        if (c == XA_OK)
            c = xa__att_rx_visit(sc->rx, &sc->m->view, err);
        return c;
    }
    int carry = tl == 5 && !memcmp(type, "carry", 5); /* a split export's bundle */
    if (!carry && !(tl == 10 && !memcmp(type, "attachment", 10))) {
        sc->m->reject = 1;
        return xa_fail(err, XA_EFORMAT, "record %zu: unknown type '%.*s'", lineno,
                       (int)(tl < 40 ? tl : 40), type);
    }
    xa_code c = rec ? XA_OK : xa_container_record_json(sc->reader, &rec, err);
    if (c == XA_OK)
        c = carry ? xa__att_rx_carry(sc->rx, rec, lineno, err)
                  : xa__att_rx_piece(sc->rx, rec, lineno, err);
    if (c == XA_EDIFF || c == XA_EFORMAT)
        sc->m->reject = 1;
    return c;
}

/* The transaction: the bundle row, every record, derived states, chain
 * findings, the audit row.  Rejections and store failures as xa_merge_file
 * documents them. */
static xa_code step_store(struct job *j, int64_t visit_cut, xa_err *err)
{
    struct xa_merge_result *r = j->r;
    const json_t *manifest = xa_container_manifest_of(j->reader);
    struct merge_ctx m;
    memset(&m, 0, sizeof m);
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    m.hash = r->hash;
    m.received = now;
    m.sender = &j->insp;
    m.visit_cut = visit_cut;
    char *safe_file = NULL;
    xa_err e;
    xa_code c;
    if ((c = xa_b64_decode_exact(j->insp.sign_key, m.sign_pk, XA_SIGN_PK_BYTES, err)) != XA_OK) {
        xa_err_prefix(err, "the enrolled key of %s", j->insp.fingerprint);
        goto done;
    }
    if ((c = xa_cstore_setting_int(j->s, "deadline.general", 30, &m.days_general, err)) != XA_OK ||
        (c = xa_cstore_setting_int(j->s, "deadline.major", 15, &m.days_major, err)) != XA_OK)
        goto done;

    struct xa_cbundle b = {0};
    b.hash = r->hash;
    b.sender = j->insp.fingerprint;
    b.seq = (int64_t)json_integer_value(json_object_get(manifest, "seq"));
    m.bundle_seq = b.seq;
    b.prev = json_string_value(json_object_get(manifest, "prev"));
    b.created = json_string_value(json_object_get(manifest, "created"));
    int off;
    xa_time_parse(b.created, &b.created_at, &off, NULL);
    safe_file = xa_safe_dup(base_name(j->path));
    b.file = safe_file;
    b.visits = r->visits;
    b.received = now;
    b.content = xa_container_info_of(j->reader)->content_hash;

    if ((c = xa_cstore_begin(j->s, err)) != XA_OK)
        goto done;
    struct store_ctx sc = {j->s, &m, j->reader, xa__att_rx_new(xa_cstore_path(j->s))};
    m.reader = j->reader;
    xa_container_lazy(j->reader, 1); /* a visit is read from its line (no tree) */
    c = xa_cstore_bundle_add(j->s, &b, &e);
    if (c == XA_OK)
        c = xa_container_records(j->reader, store_record, &sc, &e);
    size_t waiting = 0;
    if (c == XA_OK) {
        size_t stored = 0;
        if ((c = xa__att_rx_finish(sc.rx, &stored, &waiting, &e)) == XA_EDIFF)
            m.reject = 1;
    }
    if (c == XA_OK)
        c = xa__merge_refresh(j->s, &m, &e);
    if (c == XA_OK)
        c = xa__merge_chain(j->s, &m, &e);
    char *summary = c == XA_OK ? xa_asprintf("merged %s: %lld visits (%lld new) from %s",
                                             b.file, (long long)r->visits, (long long)m.fresh,
                                             j->insp.fingerprint)
                               : NULL;
    c = xa_cstore_end(j->s, c, "central merge", summary, &e);
    free(summary);
    xa__att_rx_free(sc.rx, c == XA_OK); /* a failed merge keeps no attachment */
    if (c != XA_OK) {
        if (m.reject || (c != XA_EDB && c != XA_ENOSPC && c != XA_EIO))
            c = reject(j, xa_err_msg(&e), err);
        else if (err)
            *err = e;
        goto done;
    }
    r->accepted = 1;
    r->waiting = (int64_t)waiting;
    r->fresh = m.fresh;
    r->anomalies = m.anomalies;
    c = XA_OK;
    if (m.keep_copy) /* the merged bundle carries a conflict: keep the file too */
        c = quarantine(j->s, j->fd, j->path, "kept for an anomaly (see central report)", 0, NULL,
                       err);
done:
    xa__merge_ctx_clear(&m);
    free(safe_file);
    return c;
}

/* ---- the whole ------------------------------------------------------------------ */

xa_code xa_merge_file(xa_cstore *s, const xa_identity *office, const char *path,
                      struct xa_merge_result *r, xa_err *err)
{
    memset(r, 0, sizeof *r);
    struct job j;
    memset(&j, 0, sizeof j);
    j.s = s;
    j.office = office;
    j.path = path;
    j.r = r;
    j.fd = -1;
    xa_code c = XA_OK;
    if (step_read(&j, &c, err) && step_verify(&j, &c, err) && !already_merged(&j, &c, err)) {
        char why[XA_ERR_MSG_MAX];
        int64_t visit_cut;
        if (revoked_refused(&j, xa_container_manifest_of(j.reader), &visit_cut, why, sizeof why))
            c = reject(&j, why, err);
        else
            c = step_store(&j, visit_cut, err);
    }
    xa_container_close(j.reader);
    if (j.fp)
        fclose(j.fp);
    if (j.fd >= 0)
        close(j.fd);
    xa_age_identity_free(j.aid);
    if (j.found)
        xa_inspector_clear(&j.insp);
    return c;
}
