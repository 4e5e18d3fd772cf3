/* quarantine.c — what the office does with quarantined bundles
 * (`central quarantine`): list them with the reason, when they came and how
 * much of each is kept, and purge those older than a number of days.  The
 * merge puts files there (merge.c); this module only reads and removes.
 *
 * A row's path is read from the store, which office staff can edit: a copy is
 * measured or removed only when the path names a plain file directly inside
 * STORE.quarantine/ (never a path elsewhere, never through a symlink), and a
 * copy still named by a row that stays is never removed. */
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file name of path when it lies directly in dir, else NULL. */
static const char *inside(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (!path || strncmp(path, dir, n) != 0 || path[n] != '/')
        return NULL;
    const char *base = path + n + 1;
    if (!*base || strchr(base, '/') || base[0] == '.')
        return NULL;
    return base;
}

/* Size of the kept copy of row q (-1: none, or not a plain file in dir). */
static int64_t copy_size(int dirfd, const char *dir, const struct xa_cquarantine *q)
{
    const char *base = inside(dir, q->path);
    struct stat st;
    if (dirfd < 0 || !base || fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode))
        return -1;
    return (int64_t)st.st_size;
}

xa_code xa_quarantine_list(xa_cstore *s, struct xa_quarantine_item **out, size_t *n,
                           xa_err *err)
{
    *out = NULL;
    *n = 0;
    struct xa_cquarantine *rows = NULL;
    size_t nrows = 0;
    xa_code c = xa_cstore_quarantine(s, &rows, &nrows, err);
    if (c != XA_OK)
        return c;
    char *dir = xa_cstore_quarantine_dir(s);
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct xa_quarantine_item *v = nrows ? xa_reallocarray(NULL, nrows, sizeof *v) : NULL;
    for (size_t i = 0; i < nrows; i++) {
        v[i].file = xa_strdup(rows[i].file);
        v[i].reason = xa_strdup(rows[i].reason);
        v[i].received = xa_strdup(rows[i].received);
        v[i].hash = xa_strdup(rows[i].hash);
        v[i].size = copy_size(dirfd, dir, &rows[i]);
    }
    if (dirfd >= 0)
        close(dirfd);
    free(dir);
    xa_cquarantine_free(rows, nrows);
    *out = v;
    *n = nrows;
    return XA_OK;
}

void xa_quarantine_items_free(struct xa_quarantine_item *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].file);
        free(v[i].reason);
        free(v[i].received);
        free(v[i].hash);
    }
    free(v);
}

/* Is row q older than the cut-off?  A row whose time does not parse is kept. */
static int older(const struct xa_cquarantine *q, int64_t cutoff)
{
    int64_t t;
    int off;
    return q->received && xa_time_parse(q->received, &t, &off, NULL) == XA_OK && t < cutoff;
}

xa_code xa_quarantine_purge(xa_cstore *s, int64_t days, int64_t now,
                            struct xa_quarantine_purged *res, xa_err *err)
{
    memset(res, 0, sizeof *res);
    if (days < 0 || days > XA_QUARANTINE_DAYS_MAX)
        return xa_fail(err, XA_EUSAGE, "--purge-older wants a number of days from 0 to %d",
                       XA_QUARANTINE_DAYS_MAX);
    int64_t cutoff = now - days * 86400;
    char *dir = xa_cstore_quarantine_dir(s);
    struct xa_cquarantine *rows = NULL;
    size_t nrows = 0;
    xa_code c = xa_cstore_begin(s, err);
    if (c != XA_OK)
        goto done;
    /* rows are read and removed in one write transaction: a merge running
     * meanwhile either added its row before (and it is judged) or after */
    c = xa_cstore_quarantine(s, &rows, &nrows, err);
    for (size_t i = 0; c == XA_OK && i < nrows; i++)
        if (older(&rows[i], cutoff)) {
            c = xa_cstore_quarantine_delete(s, rows[i].id, err);
            res->rows++;
        }
    char *summary = NULL;
    if (c == XA_OK && res->rows)
        summary = xa_asprintf("purged %zu quarantined file%s older than %lld days", res->rows,
                              res->rows == 1 ? "" : "s", (long long)days);
    c = xa_cstore_end(s, c, "central quarantine", summary, err);
    free(summary);
    if (c != XA_OK) {
        res->rows = 0;
        goto done;
    }
    /* then the copies no remaining row names; a copy left behind by a failed
     * unlink is only disk space, the store is already right */
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    for (size_t i = 0; dirfd >= 0 && i < nrows; i++) {
        if (!older(&rows[i], cutoff))
            continue;
        int64_t size = copy_size(dirfd, dir, &rows[i]);
        if (size < 0)
            continue;
        int kept = 0;
        for (size_t k = 0; k < nrows && !kept; k++)
            kept = !older(&rows[k], cutoff) && rows[k].path && !strcmp(rows[k].path, rows[i].path);
        /* two purged rows may name one copy: the first removes it */
        if (!kept && unlinkat(dirfd, inside(dir, rows[i].path), 0) == 0) {
            res->files++;
            res->bytes += (uint64_t)size;
        }
    }
    if (dirfd >= 0)
        close(dirfd);
done:
    xa_cquarantine_free(rows, nrows);
    free(dir);
    return c;
}
