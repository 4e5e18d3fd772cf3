/* fsutil.h — where data lives and how files are written and read.
 *
 * The home folder holds an inspector's field store and identity; it is
 * created 0700.  Files that hold anything of ours are written atomically
 * (temporary file in the same folder, fsync, rename, fsync of the folder)
 * with mode 0600, so a battery dying mid-write leaves the old file or the
 * new one, never half of one. */
#ifndef XIAOAN_FSUTIL_H
#define XIAOAN_FSUTIL_H

#include "xiaoan/error.h"
#include "xiaoan/mem.h"

#include <stddef.h>
#include <sys/types.h>

/* Resolve the home folder: opt (from --home) if given, else $XIAOAN_HOME,
 * else $XDG_DATA_HOME/xiaoan, else $HOME/.local/share/xiaoan.  Creates it
 * (and missing parents) with mode 0700 and checks it (xa_home_check).  *out
 * is a new string. */
xa_code xa_home_resolve(const char *opt, char **out, xa_err *err);

/* Refuse (XA_ESTATE, one line saying how to fix it) a home folder owned by
 * another user or writable by group or others.  xa_home_resolve calls it. */
xa_code xa_home_check(const char *home, xa_err *err);

/* a + "/" + b as a new string. */
char *xa_path_join(const char *a, const char *b);

/* mkdir -p with the given mode for folders it creates. */
xa_code xa_mkdir_p(const char *path, mode_t mode, xa_err *err);

/* A new private (0600) temporary file beside path, created exclusively:
 * its fd, with *tmp its name; -1 (errno set, *tmp NULL) on failure. */
int xa_temp_beside(const char *path, char **tmp);

/* Replace path with data atomically; the file gets mode 0600. */
xa_code xa_write_atomic(const char *path, const void *data, size_t len, xa_err *err);

/* ---- output files (every -o) ----
 *
 * One way to write a file the user named: the content goes to a temporary
 * file (0600, O_EXCL) in the same folder, and xa_out_publish gives it the
 * name with link(), which never replaces anything — an existing file, a
 * symlink (even a dangling one), the store itself — so nothing is written
 * through a symlink and a file written meanwhile by someone else is never
 * lost.  XA_OUT_FORCE (--force) renames over an existing file or symlink
 * instead (the name is replaced, never followed); a folder or a device is
 * refused either way. */
#define XA_OUT_FORCE 1

typedef struct xa_outfile {
    char *path, *tmp;  /* the name asked for; the temporary file until published */
    int fd;            /* the temporary file, -1 once closed */
    int force;
    int published;
    dev_t dev;         /* what was written, so xa_out_unpublish removes only our file */
    ino_t ino;
} xa_outfile;

/* The refusal of xa_out_open alone, for outputs a library writes by name
 * (PDF, workbook): checked before any work, the file is then written to a
 * temporary name and renamed, so a symlink is replaced, never followed. */
xa_code xa_out_check(const char *path, int flags, xa_err *err);

/* Start writing path (XA_EEXIST "already exists" when it does and flags has
 * no XA_OUT_FORCE).  o->fd and o->tmp are the temporary file: write to the
 * descriptor, or let a library write o->tmp by name. */
xa_code xa_out_open(xa_outfile *o, const char *path, int flags, xa_err *err);

/* fsync, close and publish under the name (link, or rename with
 * XA_OUT_FORCE), then fsync the folder. */
xa_code xa_out_publish(xa_outfile *o, xa_err *err);

/* Give the finished temporary file tmp (written and synced) the name path:
 * link() without XA_OUT_FORCE (XA_EEXIST when the name exists, even if it
 * appeared after xa_out_check), rename() with it; then fsync the folder.
 * tmp is gone on success and left for the caller to remove on failure. */
xa_code xa_out_place(const char *tmp, const char *path, int flags, xa_err *err);

/* Remove the published file again, but only while the name still holds the
 * file this process wrote (after a later step failed).  0 when removed. */
int xa_out_unpublish(xa_outfile *o);

/* Release: an unpublished temporary file is removed (a zeroed or cleared
 * o is fine). */
void xa_out_clear(xa_outfile *o);

/* xa_out_open + write + xa_out_publish of one buffer.  With kept non-NULL
 * the published file is handed over (xa_out_unpublish it if a later step
 * fails, then xa_out_clear); else it is released. */
xa_code xa_write_new(const char *path, const void *data, size_t len, int flags, xa_outfile *kept,
                     xa_err *err);

/* fsync the folder that holds path (after a rename into it). */
void xa_fsync_parent(const char *path);

/* Read a whole file into out (appended); refuses files larger than max bytes
 * with XA_ELIMIT. */
xa_code xa_read_file(const char *path, size_t max, xa_buf *out, xa_err *err);

/* Does path exist? */
int xa_path_exists(const char *path);

#endif
