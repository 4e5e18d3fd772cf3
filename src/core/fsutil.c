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
    if (c != XA_OK) {
        free(home);
        return c;
    }
    *out = home;
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

/* Temp file + fsync + rename + fsync(dir). */
xa_code xa_write_atomic(const char *path, const void *data, size_t len, xa_err *err)
{
    char *tmp = xa_asprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        xa_code c = xa_fail_errno(err, errno, "cannot write %s", path);
        free(tmp);
        return c;
    }
    if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
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
