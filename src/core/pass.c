/* pass.c — passphrase input (see pass.h).  Echo is turned off with termios
 * and restored before every return; SIGINT/SIGTERM/SIGHUP during the prompt
 * restore the terminal too, then re-raise. */
#include "xiaoan/pass.h"

#include "xiaoan/i18n.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

void xa_pass_free(char *p)
{
    xa_secret_free(p);
}

/* Read one line (without the newline) byte by byte into guarded memory, so
 * nothing of the passphrase sits in a stdio buffer. */
static xa_code read_line(int fd, char **out, int *got_eof_empty, xa_err *err)
{
    char *buf = xa_secret_alloc(XA_PASS_MAX + 1);
    size_t n = 0;
    int any = 0;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            xa_secret_free(buf);
            return xa_fail_errno(err, errno, "cannot read passphrase");
        }
        if (r == 0)
            break;
        any = 1;
        if (c == '\n')
            break;
        if (n == XA_PASS_MAX) {
            xa_secret_free(buf);
            return xa_fail(err, XA_ELIMIT, "passphrase longer than %d bytes", XA_PASS_MAX);
        }
        buf[n++] = c;
    }
    if (n && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (got_eof_empty)
        *got_eof_empty = !any;
    *out = buf;
    return XA_OK;
}

xa_code xa_pass_from_file(const char *path, char **out, xa_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return xa_fail_errno(err, errno, "cannot open passphrase file %s", path);
    xa_code c = read_line(fd, out, NULL, err);
    close(fd);
    if (c != XA_OK)
        return c;
    if (!**out) {
        xa_secret_free(*out);
        *out = NULL;
        return xa_fail(err, XA_EFORMAT, "passphrase file %s has an empty first line", path);
    }
    return XA_OK;
}

static struct termios saved_tio;
static volatile sig_atomic_t tty_fd_saved = -1;

/* Restore echo, then die by the same signal. */
static void restore_and_reraise(int sig)
{
    if (tty_fd_saved >= 0)
        tcsetattr(tty_fd_saved, TCSAFLUSH, &saved_tio);
    signal(sig, SIG_DFL);
    raise(sig);
}

xa_code xa_pass_from_tty(const char *prompt, char **out, xa_err *err)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return xa_fail(err, XA_EUSAGE,
                       "no terminal to ask for the passphrase: use --passphrase-file FILE");
    if (tcgetattr(fd, &saved_tio) != 0) {
        close(fd);
        return xa_fail(err, XA_EUSAGE,
                       "no terminal to ask for the passphrase: use --passphrase-file FILE");
    }
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = restore_and_reraise;
    sigemptyset(&sa.sa_mask);
    tty_fd_saved = fd;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    struct termios tio = saved_tio;
    tio.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
    tio.c_lflag |= ICANON;
    (void)!write(fd, prompt, strlen(prompt));
    tcsetattr(fd, TCSAFLUSH, &tio);
    int eof_empty = 0;
    xa_code c = read_line(fd, out, &eof_empty, err);
    tcsetattr(fd, TCSAFLUSH, &saved_tio);
    tty_fd_saved = -1;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    (void)!write(fd, "\n", 1);
    close(fd);
    if (c == XA_OK && eof_empty) {
        xa_secret_free(*out);
        *out = NULL;
        return xa_fail(err, XA_ECANCEL, "no passphrase given");
    }
    return c;
}

/* Passwords that head every leaked-password list, and the obvious local ones
 * (the program, the city, the bureau). Compared case-insensitively. */
static const char *const common_passwords[] = {
    "123456",     "12345678",   "123456789",  "1234567890", "password",  "password1",
    "passw0rd",   "qwerty",     "qwertyuiop", "abc123",     "111111",    "000000",
    "666666",     "888888",     "88888888",   "5201314",    "1314520",   "woaini",
    "woaini1314", "iloveyou",   "admin",      "admin123",   "1qaz2wsx",  "1q2w3e4r",
    "qazwsxedc",  "a123456",    "aa123456",   "123123",     "654321",    "xiaoan",
    "xiaoan123",  "lishui",     "lishui123",  "jiaoyuju",   "anquanke",  "demo",
    "changeme",   "letmein",    "welcome",    "secret",
};

/* Characters (not bytes) in a UTF-8 string. */
static size_t utf8_chars(const char *p)
{
    size_t n = 0;
    for (; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            n++;
    return n;
}

const char *xa_pass_weakness(const char *p)
{
    size_t len = strlen(p);
    for (size_t i = 0; i < sizeof common_passwords / sizeof common_passwords[0]; i++)
        if (!strcasecmp(p, common_passwords[i]))
            return _("a common password");
    if (utf8_chars(p) < 10)
        return _("fewer than 10 characters");
    int same = 1, run = 1;
    for (size_t i = 1; i < len; i++) {
        if (p[i] != p[0])
            same = 0;
        if ((unsigned char)p[i] != (unsigned char)p[i - 1] + 1)
            run = 0;
    }
    if (same)
        return _("one character repeated");
    if (run)
        return _("a plain run of characters");
    return NULL;
}

/* Ask on the terminal whether to keep a weak passphrase; 1 when the answer is yes. */
static int confirm_weak(void)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0;
    const char *q = _("use it anyway? type yes: ");
    (void)!write(fd, q, strlen(q));
    char line[16];
    size_t n = 0;
    char ch;
    while (n + 1 < sizeof line && read(fd, &ch, 1) == 1 && ch != '\n')
        line[n++] = ch;
    line[n] = '\0';
    close(fd);
    return !strcasecmp(line, "yes") || !strcmp(line, "是");
}

xa_code xa_pass_read_new(const char *prompt, const char *file_opt, const char *env_name,
                         char **out, xa_err *err)
{
    const char *env = env_name ? getenv(env_name) : NULL;
    const char *file = file_opt && *file_opt ? file_opt : env && *env ? env : NULL;
    char *first = NULL, *second = NULL;
    xa_code c = file ? xa_pass_from_file(file, &first, err) : xa_pass_from_tty(prompt, &first, err);
    if (c != XA_OK)
        return c;
    if (!*first) {
        xa_secret_free(first);
        return xa_fail(err, XA_EUSAGE, "an empty passphrase is not allowed");
    }
    if (!file) {
        c = xa_pass_from_tty(_("again: "), &second, err);
        if (c != XA_OK) {
            xa_secret_free(first);
            return c;
        }
        int same = strcmp(first, second) == 0;
        xa_secret_free(second);
        if (!same) {
            xa_secret_free(first);
            return xa_fail(err, XA_EUSAGE, "the two passphrases differ");
        }
    }
    const char *weak = xa_pass_weakness(first);
    if (weak) {
        fprintf(stderr,
                _("xiaoan: warning: weak passphrase (%s): a lost laptop lets anyone guess it "
                  "offline; use a sentence of 10+ characters\n"),
                weak);
        if (!file && !confirm_weak()) {
            xa_secret_free(first);
            return xa_fail(err, XA_ECANCEL, "weak passphrase not confirmed; nothing was changed");
        }
    }
    *out = first;
    return XA_OK;
}

xa_code xa_pass_read(const char *prompt, const char *file_opt, int confirm, char **out,
                     xa_err *err)
{
    if (confirm)
        return xa_pass_read_new(prompt, file_opt, "XIAOAN_PASSPHRASE_FILE", out, err);
    const char *env = getenv("XIAOAN_PASSPHRASE_FILE");
    if (file_opt && *file_opt)
        return xa_pass_from_file(file_opt, out, err);
    if (env && *env)
        return xa_pass_from_file(env, out, err);
    xa_code c = xa_pass_from_tty(prompt, out, err);
    if (c != XA_OK)
        return c;
    if (!**out) {
        xa_secret_free(*out);
        *out = NULL;
        return xa_fail(err, XA_EUSAGE, "an empty passphrase is not allowed");
    }
    return XA_OK;
}
