/* homelock.h — one xiaoan at a time per home folder (issue 11 #5).
 *
 * The TUI and every command that writes field.db hold an exclusive flock
 * on HOME/lock (0600, opened with O_NOFOLLOW) for as long as they run.  The
 * file records who holds it — process id, since when, which command — for
 * the one-line refusal a second instance prints.  The kernel releases a
 * flock when its process ends in any way (kill -9 too), so a lock left by
 * a dead process is free again: the recorded pid is information only, never
 * trusted to decide anything; the file exists only while someone holds it
 * (or after a holder was killed).  Read-only commands (id, visits, attach
 * --list) take no lock.  docs/security.md "One xiaoan per home (#5)". */
#ifndef XIAOAN_HOMELOCK_H
#define XIAOAN_HOMELOCK_H

#include "xiaoan/error.h"

#define XA_HOME_LOCK "lock"

typedef struct xa_homelock xa_homelock;

/* Take the lock of home for command (e.g. "xiaoan tui", recorded in the
 * file).  A holder that is just ending (a TUI saving on quit) is waited for
 * up to about two seconds; after that XA_ESTATE with one line naming the
 * folder, the holder's process and since when, and the advice to close it.
 * Nothing in the home is changed on a refusal.  *out is the held lock. */
xa_code xa_home_lock(const char *home, const char *command, xa_homelock **out, xa_err *err);

/* The same with the refusal in a language of the caller's: zh 1 Chinese, 0
 * English, -1 the command line's (xa_home_lock).  The TUI speaks its own
 * language (Chinese unless --lang en), also before its first screen. */
xa_code xa_home_lock_lang(const char *home, const char *command, int zh, xa_homelock **out,
                          xa_err *err);

/* Release (NULL is fine): the file is removed while still held, so a home
 * nobody uses has no lock file (a waiter that opened the old file sees its
 * name gone and takes the new one; a holder killed with -9 leaves the file,
 * which is free all the same). */
void xa_home_unlock(xa_homelock *l);

#endif
