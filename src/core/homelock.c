/* homelock.c — the home folder's lock (homelock.h): an exclusive flock on
 * HOME/lock held by the TUI and every writing field command, with a small
 * record of the holder (pid, since, command) for the refusal a second
 * instance prints.  The flock decides; the record only informs. */
#include "xiaoan/homelock.h"

#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a busy lock is retried before the refusal (a TUI that was just
 * told to quit still writes its last save and tui-state.json). */
#define WAIT_MS 2000
#define STEP_MS 50
#define RECORD_MAX 512

struct xa_homelock {
    int fd;     /* -1: the file system has no locks; the revision check still holds */
    char *path; /* HOME/lock */
};

/* The holder's record: pid (0 unknown), since as "YYYY-MM-DD HH:MM" ("" unknown) and the
 * command ("" unknown), each kept to printable ASCII and bounded. */
struct holder {
    long pid;
    char since[20];
    char command[64];
};

/* Copy the printable ASCII of s[0..n) into out (cap bytes): the record lives in our own
 * 0700 home, but it is still text from a file. */
static void printable(char *out, size_t cap, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        if (s[i] >= 0x20 && s[i] < 0x7f)
            out[k++] = s[i];
    out[k] = '\0';
}

/* Parse the lines "pid N", "since RFC3339", "command TEXT" of the record. */
static void read_holder(int fd, struct holder *h)
{
    memset(h, 0, sizeof *h);
    char buf[RECORD_MAX];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return;
    buf[n] = '\0';
    for (char *line = buf, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        size_t len = next ? (size_t)(next - line) : strlen(line);
        if (next)
            next++;
        if (!strncmp(line, "pid ", 4)) {
            char *end;
            long pid = strtol(line + 4, &end, 10);
            if (end != line + 4 && pid > 0)
                h->pid = pid;
        } else if (!strncmp(line, "since ", 6) && len >= 6 + 16) {
            /* "2026-12-01T18:40:12+08:00" is shown as "2026-12-01 18:40" */
            printable(h->since, sizeof h->since, line + 6, 16);
            if (strlen(h->since) == 16 && h->since[10] == 'T')
                h->since[10] = ' ';
            else
                h->since[0] = '\0';
        } else if (!strncmp(line, "command ", 8)) {
            printable(h->command, sizeof h->command, line + 8, len - 8);
        }
    }
}

/* msgid in the language asked for: zh < 0 the command line's (xa_tr), 1 Chinese, 0 English. */
__attribute__((format_arg(2))) static const char *in_lang(int zh, const char *msgid)
{
    return zh < 0 ? xa_tr(msgid) : zh ? xa_tr_zh(msgid) : msgid;
}

/* The refusal: one line, in the language asked for. */
static xa_code refuse(const char *home, int fd, int zh, xa_err *err)
{
    struct holder h;
    read_holder(fd, &h);
    const char *cmd = h.command[0] ? h.command : "xiaoan";
    char line[XA_ERR_MSG_MAX];
    if (h.pid && h.since[0])
        snprintf(line, sizeof line,
                 in_lang(zh, N_("the home folder %s is in use by another xiaoan (process %ld, %s, "
                                "since %s): close it first")),
                 home, h.pid, cmd, h.since);
    else if (h.pid)
        snprintf(line, sizeof line,
                 in_lang(zh, N_("the home folder %s is in use by another xiaoan (process %ld, "
                                "%s): close it first")),
                 home, h.pid, cmd);
    else
        snprintf(line, sizeof line,
                 in_lang(zh, N_("the home folder %s is in use by another xiaoan: close it first")),
                 home);
    return xa_fail(err, XA_ESTATE, "%s", line);
}

/* Write our record over the old one (a holder killed with -9 left its own). */
static void write_holder(int fd, const char *command)
{
    char since[XA_RFC3339_MAX], rec[RECORD_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, since);
    int n = snprintf(rec, sizeof rec, "pid %ld\nsince %s\ncommand %s\n", (long)getpid(), since,
                     command ? command : "xiaoan");
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof rec ? (size_t)n : sizeof rec - 1;
    /* information only: a short or failed write changes nothing the lock decides */
    if (ftruncate(fd, 0) == 0 && pwrite(fd, rec, len, 0) < 0)
        return;
}

xa_code xa_home_lock(const char *home, const char *command, xa_homelock **out, xa_err *err)
{
    return xa_home_lock_lang(home, command, -1, out, err);
}

xa_code xa_home_lock_lang(const char *home, const char *command, int zh, xa_homelock **out,
                          xa_err *err)
{
    *out = NULL;
    char *path = xa_path_join(home, XA_HOME_LOCK);
    int fd = -1, waited = 0;
    xa_code c = XA_OK;
    for (;;) {
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
        if (fd < 0) {
            c = errno == ELOOP ? xa_fail(err, XA_ESTATE, "%s is a symbolic link: remove it", path)
                               : xa_fail_errno(err, errno, "cannot open %s", path);
            break;
        }
        struct stat st, now;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            c = xa_fail(err, XA_ESTATE, "%s is not a plain file: remove it", path);
            break;
        }
        int e = 0;
        while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            e = errno;
            if (e == EINTR)
                continue;
            if (e != EWOULDBLOCK || waited >= WAIT_MS)
                break;
            struct timespec ts = {0, STEP_MS * 1000000L};
            nanosleep(&ts, NULL);
            waited += STEP_MS;
            e = 0;
        }
        if (e == ENOLCK || e == EOPNOTSUPP || e == ENOSYS) {
            /* a file system without locks: go on; saves still check their revision */
            close(fd);
            fd = -1;
            break;
        }
        if (e) {
            c = e == EWOULDBLOCK ? refuse(home, fd, zh, err)
                                 : xa_fail_errno(err, e, "cannot lock %s", home);
            break;
        }
        /* The holder we waited for removes the file as it leaves: our lock on the old
         * file is worth nothing then, take the one at the name now. */
        if (lstat(path, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino) {
            if (st.st_mode & 077)
                (void)fchmod(fd, 0600);
            write_holder(fd, command);
            break;
        }
        close(fd);
        fd = -1;
    }
    if (c != XA_OK) {
        if (fd >= 0)
            close(fd);
        free(path);
        return c;
    }
    *out = xa_malloc(sizeof **out);
    (*out)->fd = fd;
    (*out)->path = path;
    return XA_OK;
}

void xa_home_unlock(xa_homelock *l)
{
    if (!l)
        return;
    if (l->fd >= 0) {
        /* Removed while still held (nobody else can have put another file at the name:
         * they only open it); whoever opened it meanwhile sees the name gone and retries. */
        (void)unlink(l->path);
        close(l->fd);
    }
    free(l->path);
    free(l);
}
