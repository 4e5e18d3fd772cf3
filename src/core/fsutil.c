/* fsutil.c — home folder resolution, atomic writes and bounded reads. */
#include "xiaoan/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *xa_path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    if (la && a[la - 1] == '/')
        return xa_asprintf("%s%s", a, b);
    return xa_asprintf("%s/%s", a, b);
}

int xa_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Create every missing folder along path. */
xa_code xa_mkdir_p(const char *path, mode_t mode, xa_err *err)
{
    char *p = xa_strdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, mode) != 0 && errno != EEXIST) {
            xa_code c = xa_fail_errno(err, errno, "cannot create folder %s", p);
            free(p);
            return c;
        }
        *s = '/';
    }
    if (mkdir(p, mode) != 0 && errno != EEXIST) {
        xa_code c = xa_fail_errno(err, errno, "cannot create folder %s", p);
        free(p);
        return c;
    }
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(p);
        return xa_fail(err, XA_EIO, "%s is not a folder", path);
    }
    free(p);
    return XA_OK;
}

/* The home folder, from the option, the environment or the XDG default. */
xa_code xa_home_resolve(const char *opt, char **out, xa_err *err)
{
    char *home = NULL;
    const char *env;
    if (opt && *opt)
        home = xa_strdup(opt);
    else if ((env = getenv("XIAOAN_HOME")) && *env)
        home = xa_strdup(env);
    else if ((env = getenv("XDG_DATA_HOME")) && *env)
        home = xa_path_join(env, "xiaoan");
    else if ((env = getenv("HOME")) && *env)
        home = xa_path_join(env, ".local/share/xiaoan");
    else
        return xa_fail(err, XA_EUSAGE, "no home folder: give --home DIR or set XIAOAN_HOME");
    xa_code c = xa_mkdir_p(home, 0700, err);
    if (c == XA_OK)
        c = xa_home_check(home, err);
    if (c != XA_OK) {
        free(home);
        return c;
    }
    *out = home;
    return XA_OK;
}

/* Refuse a home another user owns or others may write: whoever can write
 * there can swap field.db, plant tui.log or the lock, or read what a
 * looser umask would let them (issue 11 #13). */
xa_code xa_home_check(const char *home, xa_err *err)
{
    struct stat st;
    if (stat(home, &st) != 0)
        return xa_fail_errno(err, errno, "cannot read the home folder %s", home);
    if (!S_ISDIR(st.st_mode))
        return xa_fail(err, XA_EIO, "the home folder %s is not a folder", home);
    if (st.st_uid != geteuid())
        return xa_fail(err, XA_ESTATE,
                       "the home folder %s belongs to another user (uid %ld): use your own "
                       "folder (--home DIR)",
                       home, (long)st.st_uid);
    if (st.st_mode & 022)
        return xa_fail(err, XA_ESTATE,
                       "the home folder %s is writable by other users: run 'chmod 700 %s'", home,
                       home);
    return XA_OK;
}

/* Write all of buf to fd, retrying short writes. */
static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Every writer's temporary file sits beside its target (so the rename is
 * atomic), is created exclusively and is private (0600) before any byte. */
int xa_temp_beside(const char *path, char **tmp)
{
    *tmp = xa_asprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(*tmp); /* O_EXCL */
    if (fd >= 0 && fchmod(fd, 0600) == 0)
        return fd;
    int e = errno;
    if (fd >= 0) {
        close(fd);
        unlink(*tmp);
    }
    free(*tmp);
    *tmp = NULL;
    errno = e;
    return -1;
}

/* Temp file + fsync + rename + fsync(dir). */
xa_code xa_write_atomic(const char *path, const void *data, size_t len, xa_err *err)
{
    char *tmp;
    int fd = xa_temp_beside(path, &tmp);
    if (fd < 0)
        return xa_fail_errno(err, errno, "cannot write %s", path);
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        xa_code c = xa_fail_errno(err, errno, "cannot write %s", path);
        close(fd);
        unlink(tmp);
        free(tmp);
        return c;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        xa_code c = xa_fail_errno(err, errno, "cannot write %s", path);
        unlink(tmp);
        free(tmp);
        return c;
    }
    free(tmp);
    xa_fsync_parent(path);
    return XA_OK;
}

/* ---- output files ---- */

/* Refuse what is at an output path: a folder or a device always (said
 * first, so a folder is not offered --force), anything else without
 * XA_OUT_FORCE. */
xa_code xa_out_check(const char *path, int flags, xa_err *err)
{
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
            return xa_fail(err, XA_EEXIST, "%s exists and is not a file", path);
        if (!(flags & XA_OUT_FORCE))
            return xa_fail(err, XA_EEXIST,
                           "%s already exists: not overwriting it (--force replaces it)", path);
    }
    return XA_OK;
}

/* Start an output file: refuse what is there, make the temporary file. */
xa_code xa_out_open(xa_outfile *o, const char *path, int flags, xa_err *err)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    struct stat st;
    xa_code c0 = xa_out_check(path, flags, err);
    if (c0 != XA_OK)
        return c0;
    o->force = (flags & XA_OUT_FORCE) != 0;
    o->path = xa_strdup(path);
    o->fd = xa_temp_beside(path, &o->tmp);
    if (o->fd < 0) {
        xa_code c = xa_fail_errno(err, errno, "cannot create %s", path);
        xa_out_clear(o);
        return c;
    }
    if (fstat(o->fd, &st) != 0) {
        xa_code c = xa_fail_errno(err, errno, "cannot create %s", path);
        xa_out_clear(o);
        return c;
    }
    o->dev = st.st_dev;
    o->ino = st.st_ino;
    return XA_OK;
}

/* fsync, close, link (or rename) into place, fsync the folder. */
xa_code xa_out_publish(xa_outfile *o, xa_err *err)
{
    if (!o->tmp || o->published)
        return xa_fail(err, XA_EUSAGE, "%s: nothing to publish", o->path ? o->path : "?");
    if (o->fd >= 0) {
        int bad = fsync(o->fd) != 0;
        int e = errno;
        bad |= close(o->fd) != 0;
        o->fd = -1;
        if (bad)
            return xa_fail_errno(err, e ? e : errno, "cannot write %s", o->path);
    } else { /* a library wrote the temporary file by name */
        int fd = open(o->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || st.st_dev != o->dev || st.st_ino != o->ino ||
            fsync(fd) != 0) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            return xa_fail_errno(err, e ? e : EIO, "cannot write %s", o->path);
        }
        close(fd);
    }
    xa_code c = xa_out_place(o->tmp, o->path, o->force ? XA_OUT_FORCE : 0, err);
    if (c != XA_OK)
        return c;
    free(o->tmp);
    o->tmp = NULL;
    o->published = 1;
    return XA_OK;
}

/* link() never replaces a name, so a file created at path after the check
 * is refused here rather than lost; --force renames (replaces the name). */
xa_code xa_out_place(const char *tmp, const char *path, int flags, xa_err *err)
{
    if (flags & XA_OUT_FORCE) {
        if (rename(tmp, path) != 0)
            return xa_fail_errno(err, errno, "cannot write %s", path);
    } else {
        if (link(tmp, path) != 0) {
            int e = errno;
            if (e == EEXIST)
                return xa_fail(err, XA_EEXIST,
                               "%s already exists: not overwriting it (--force replaces it)", path);
            return xa_fail_errno(err, e, "cannot write %s", path);
        }
        unlink(tmp);
    }
    xa_fsync_parent(path);
    return XA_OK;
}

/* Remove the published name only while it is still our file. */
int xa_out_unpublish(xa_outfile *o)
{
    struct stat st;
    if (!o->published || lstat(o->path, &st) != 0 || st.st_dev != o->dev ||
        st.st_ino != o->ino)
        return -1;
    if (unlink(o->path) != 0)
        return -1;
    o->published = 0;
    xa_fsync_parent(o->path);
    return 0;
}

/* Release; remove an unpublished temporary file. */
void xa_out_clear(xa_outfile *o)
{
    if (o->path && o->fd >= 0) /* a zeroed o has no path and owns no descriptor */
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
    o->fd = -1;
}

/* One buffer into a new output file; kept (if given) takes the published
 * file so a later failure can take it back with xa_out_unpublish. */
xa_code xa_write_new(const char *path, const void *data, size_t len, int flags, xa_outfile *kept,
                     xa_err *err)
{
    xa_outfile o;
    xa_code c = xa_out_open(&o, path, flags, err);
    if (c != XA_OK)
        return c;
    if (write_all(o.fd, data, len) != 0)
        c = xa_fail_errno(err, errno, "cannot write %s", path);
    else
        c = xa_out_publish(&o, err);
    if (c == XA_OK && kept)
        *kept = o;
    else
        xa_out_clear(&o);
    return c;
}

/* fsync the folder holding path, so a rename into it survives a power cut. */
void xa_fsync_parent(const char *path)
{
    char *dir = xa_strdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
}

/* Read a whole (bounded) file. */
xa_code xa_read_file(const char *path, size_t max, xa_buf *out, xa_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return xa_fail_errno(err, errno, "cannot open %s", path);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return xa_fail(err, XA_EIO, "%s is a folder, not a file", path);
    }
    size_t total = 0;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            xa_code c = xa_fail_errno(err, errno, "cannot read %s", path);
            close(fd);
            return c;
        }
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > max) {
            close(fd);
            return xa_fail(err, XA_ELIMIT, "%s is larger than %zu bytes", path, max);
        }
        xa_buf_add(out, chunk, (size_t)n);
    }
    close(fd);
    if (!out->data)
        xa_buf_puts(out, "");
    return XA_OK;
}
