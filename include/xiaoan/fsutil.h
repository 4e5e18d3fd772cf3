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
 * (and missing parents) with mode 0700.  *out is a new string. */
xa_code xa_home_resolve(const char *opt, char **out, xa_err *err);

/* a + "/" + b as a new string. */
char *xa_path_join(const char *a, const char *b);

/* mkdir -p with the given mode for folders it creates. */
xa_code xa_mkdir_p(const char *path, mode_t mode, xa_err *err);

/* Replace path with data atomically; the file gets mode 0600. */
xa_code xa_write_atomic(const char *path, const void *data, size_t len, xa_err *err);

/* fsync the folder that holds path (after a rename into it). */
void xa_fsync_parent(const char *path);

/* Read a whole file into out (appended); refuses files larger than max bytes
 * with XA_ELIMIT. */
xa_code xa_read_file(const char *path, size_t max, xa_buf *out, xa_err *err);

/* Does path exist? */
int xa_path_exists(const char *path);

#endif
