/* bench_keys.c — the key budget of the checklist (issue 16), counted on the
 * real TUI: the program (build/…/xiaoan) runs on a pseudo-terminal of 80×24
 * (TERM=xterm-256color, UTF-8, Chinese UI) and is driven one key at a time,
 * each key written as its own bytes and the program left to read it and go
 * idle before the next (as a person types).  Every key after the checklist
 * opens is counted; what the keys did is then read back from the field
 * store (decrypted with the library), so a count is only reported for work
 * that was really saved:
 *
 *   a 40-item all-pass form      budget ≤ 41 keys          (40 × "1")
 *   a count of two digits        budget ≤ digits + 1       ("12", Enter)
 *   a hazard with description    budget ≤ typing + 4       ("2", the text,
 *   and location                                            Tab, the place, F2)
 *
 * The brief holds two general forms (both open with a new visit): the 40
 * check items, then a count (range 2–99) and a check item.  Typing counts
 * one key per character (an input method's own keys are the same in any
 * program).  The floor column of the row is the budget; ratio ≤ 1 is within
 * it.  Exit status 1 when the saved visit is not what the keys should have
 * made (the TUI's flow changed) or a figure is over its budget.
 *
 * usage: bench_keys WORKDIR XIAOAN_BIN */
#include "bench.h"

#include "xiaoan/field.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"
#include "xiaoan/vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PASS "bench passphrase"
#define NPASS 40
#define F_PASS "keys-pass40"
#define F_MORE "keys-more"
#define DESC "灭火器压力不足"
#define PLACE "教学楼二楼东侧"
#define COUNT "12"

static const char K_F2[] = "\033OQ"; /* xterm-256color's F2 */

/* ---- the program on a pty ---- */

struct tty {
    pid_t pid;
    int master, slave;
    char stat[64], sched[64], io[64];
    xa_buf out; /* what it drew since the last key */
    long keys;  /* keys sent while counting */
};

static void tty_start(struct tty *t, char *const argv[])
{
    memset(t, 0, sizeof *t);
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    if (openpty(&t->master, &t->slave, NULL, NULL, &ws) != 0)
        b_die("openpty: %s", strerror(errno));
    t->pid = fork();
    if (t->pid < 0)
        b_die("fork: %s", strerror(errno));
    if (t->pid == 0) {
        setsid();
        ioctl(t->slave, TIOCSCTTY, 0);
        dup2(t->slave, 0);
        dup2(t->slave, 1);
        dup2(t->slave, 2);
        close(t->master);
        if (t->slave > 2)
            close(t->slave);
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        unsetenv("XIAOAN_LANG");
        execv(argv[0], argv);
        _exit(127);
    }
    fcntl(t->master, F_SETFL, fcntl(t->master, F_GETFL) | O_NONBLOCK);
    snprintf(t->stat, sizeof t->stat, "/proc/%d/stat", (int)t->pid);
    snprintf(t->sched, sizeof t->sched, "/proc/%d/schedstat", (int)t->pid);
    snprintf(t->io, sizeof t->io, "/proc/%d/io", (int)t->pid);
}

/* A small /proc file; "" when it cannot be read. */
static void proc_read(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
}

/* Its scheduler state (S sleeping, R running, Z gone, …). */
static char tty_state(const struct tty *t)
{
    char b[512];
    proc_read(t->stat, b, sizeof b);
    const char *r = strrchr(b, ')');
    return r && r[1] == ' ' ? r[2] : 'X';
}

static long long tty_cpu(const struct tty *t)
{
    char b[128];
    proc_read(t->sched, b, sizeof b);
    return atoll(b);
}

/* Bytes it has read (a key arrives as a read). */
static long long tty_read_bytes(const struct tty *t)
{
    char b[512];
    proc_read(t->io, b, sizeof b);
    const char *v = strstr(b, "rchar:");
    return v ? atoll(v + 6) : -1;
}

/* Take what it drew (waiting up to ms); the bytes taken. */
static size_t tty_drain(struct tty *t, int ms)
{
    struct pollfd pf = {.fd = t->master, .events = POLLIN};
    if (poll(&pf, 1, ms) <= 0)
        return 0;
    size_t total = 0;
    char buf[16384];
    ssize_t n;
    while ((n = read(t->master, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) {
            xa_buf_add(&t->out, buf, (size_t)n);
            total += (size_t)n;
        }
    return total;
}

/* Wait until it has read `want` bytes more than rc0 (rc0 < 0: nothing to
 * read) and sits idle: asleep, no CPU, nothing drawn, for 3 polls. */
static void tty_settle(struct tty *t, long long rc0, size_t want)
{
    double t0 = b_wall();
    while (rc0 >= 0 && tty_read_bytes(t) < rc0 + (long long)want) {
        tty_drain(t, 1);
        if (b_wall() - t0 > 60)
            b_die("the program did not read its key within 60 s");
    }
    long long last = tty_cpu(t);
    for (int idle = 0; idle < 3;) {
        size_t n = tty_drain(t, 2);
        int pending = 0;
        ioctl(t->slave, FIONREAD, &pending);
        char st = tty_state(t);
        long long now = tty_cpu(t);
        idle = n == 0 && pending == 0 && st == 'S' && now == last ? idle + 1 : 0;
        last = now;
        if (st == 'Z' || st == 'X')
            b_die("the program exited; its last output:\n%.2000s", t->out.data ? t->out.data : "");
        if (b_wall() - t0 > 60)
            b_die("the program did not settle within 60 s");
    }
}

/* One key (its bytes), counted; the program is idle again on return. */
static void key(struct tty *t, const char *bytes)
{
    xa_buf_reset(&t->out);
    long long rc0 = tty_read_bytes(t);
    size_t len = strlen(bytes);
    if (write(t->master, bytes, len) != (ssize_t)len)
        b_die("writing to the pty: %s", strerror(errno));
    tty_settle(t, rc0, len);
    t->keys++;
}

/* Type text one character (one key) at a time; returns the characters. */
static long type(struct tty *t, const char *text)
{
    long n = 0;
    for (const char *c = text; *c; n++) {
        char one[8];
        size_t l = 1;
        while (c[l] && (c[l] & 0xc0) == 0x80)
            l++;
        memcpy(one, c, l);
        one[l] = '\0';
        key(t, one);
        c += l;
    }
    return n;
}

static void expect(const struct tty *t, const char *marker, const char *where)
{
    size_t m = strlen(marker), i = 0;
    while (t->out.data && i + m <= t->out.len && memcmp(t->out.data + i, marker, m))
        i++;
    if (!t->out.data || i + m > t->out.len)
        b_die("%s: the screen did not show '%s' (the TUI's flow changed?)", where, marker);
}

static void tty_stop(struct tty *t)
{
    kill(t->pid, SIGTERM);
    int st;
    for (int i = 0; i < 500 && waitpid(t->pid, &st, WNOHANG) != t->pid; i++) {
        tty_drain(t, 10);
        if (i == 499) {
            kill(t->pid, SIGKILL);
            waitpid(t->pid, &st, 0);
        }
    }
    close(t->master);
    close(t->slave);
    xa_buf_clear(&t->out);
}

/* ---- the workspace: two general forms, a small roster ---- */

static void write_forms(const char *dir)
{
    xa_err e;
    b_check(xa_mkdir_p(dir, 0700, &e), &e, dir);
    char *p = xa_path_join(dir, "index.csv");
    static const char idx[] =
        "id,version,title,title_en,category,scope\n" F_PASS ",1,门卫与校门检查（40项，按键预算）,"
        "Gate (40 items; key budget),general,\n" F_MORE ",1,消防器材检查（按键预算）,"
        "Fire equipment (key budget),general,\n";
    b_write(p, idx, strlen(idx));
    free(p);
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "section,code,type,text,text_en,severity,basis,hint,applies,min,max\n");
    for (int i = 1; i <= NPASS; i++)
        xa_buf_printf(&b, "第%d部分 校门,KP-%02d,check,校门第%d项检查内容符合要求,Gate item %d,general,"
                          "《中小学幼儿园安全管理办法》,现场查看,,,\n",
                      (i - 1) / 10 + 1, i, i, i);
    p = xa_path_join(dir, F_PASS ".csv");
    b_write(p, b.data, b.len);
    free(p);
    xa_buf_reset(&b);
    xa_buf_puts(&b, "section,code,type,text,text_en,severity,basis,hint,applies,min,max\n"
                    "消防器材,KM-01,count,教学楼灭火器数量（具）,Extinguishers,general,"
                    "《建筑灭火器配置设计规范》,逐一清点,,2,99\n"
                    "消防器材,KM-02,check,灭火器压力正常、在有效期内,Extinguishers charged,general,"
                    "《中华人民共和国消防法》,查看压力表,,,\n");
    p = xa_path_join(dir, F_MORE ".csv");
    b_write(p, b.data, b.len);
    free(p);
    xa_buf_clear(&b);
}

static void setup_home(const char *home, const char *formdir, const char *passfile)
{
    write_forms(formdir);
    gen_field_home(home, PASS, formdir, 20261201, 20);
    b_write(passfile, PASS "\n", strlen(PASS) + 1);
}

/* ---- reading back what the keys made ---- */

static int fails;

static void check(int ok, const char *what)
{
    if (!ok) {
        b_note("keys: the saved visit is wrong: %s", what);
        fails++;
    }
}

static void verify(const char *home)
{
    xa_err e;
    xa_fstore *s = NULL;
    b_check(xa_fstore_open(home, PASS, &s, &e), &e, "opening the field store");
    xa_visit_list l;
    b_check(xa_fstore_visit_list(s, &l, &e), &e, "listing visits");
    if (l.n != 1)
        b_die("keys: %zu visits in the store, wanted the one the keys made", l.n);
    json_t *doc = NULL;
    b_check(xa_fstore_visit_load(s, l.v[0].id, &doc, NULL, &e), &e, "loading the visit");
    for (int i = 1; i <= NPASS; i++) {
        char code[8];
        snprintf(code, sizeof code, "KP-%02d", i);
        check(xa_doc_result(doc, F_PASS, code) == XA_RESULT_PASS, code);
    }
    json_t *c = xa_doc_answer(doc, F_MORE, "KM-01");
    check(xa_doc_result(doc, F_MORE, "KM-01") == XA_RESULT_PASS &&
              json_integer_value(json_object_get(c, "value")) == atoi(COUNT),
          "KM-01 is not 符合 with the count " COUNT);
    check(xa_doc_result(doc, F_MORE, "KM-02") == XA_RESULT_HAZARD, "KM-02 is not 隐患");
    json_t *h = xa_doc_item_hazard(doc, F_MORE, "KM-02", 0);
    check(h && !strcmp(xa_doc_str(h, "description"), DESC), "the hazard's description");
    check(h && !strcmp(xa_doc_str(h, "location"), PLACE), "the hazard's location");
    check(xa_doc_item_hazards(doc, F_MORE, "KM-02") == 1, "one hazard on KM-02");
    json_decref(doc);
    xa_visit_list_clear(&l);
    xa_fstore_close(s);
}

/* ---- the run ---- */

static int over;

static void budget_row(const char *figure, long keys, long budget, const char *rule)
{
    b_row1(figure, "keys", (double)keys, (double)budget, rule, 1);
    if (keys > budget) {
        b_note("keys: %s: %ld keys, over the budget of %ld", figure, keys, budget);
        over++;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3)
        b_die("usage: bench_keys WORKDIR XIAOAN_BIN");
    if (sodium_init() < 0)
        b_die("sodium_init");
    signal(SIGPIPE, SIG_IGN);
    char *dir = b_tmpdir(argv[1], "keys");
    char *home = b_tmpdir(dir, "home"), *formdir = xa_path_join(dir, "forms");
    char *passfile = xa_path_join(dir, "pass");
    setup_home(home, formdir, passfile);

    char *args[] = {argv[2], "--home", home, "--passphrase-file", passfile, NULL};
    struct tty t;
    tty_start(&t, args);
    tty_settle(&t, -1, 0);
    expect(&t, "检查任务", "home");
    /* To the checklist of a new visit (not counted: the budget is the form's). */
    key(&t, "n");
    expect(&t, "选择学校", "the picker");
    key(&t, "\r");
    key(&t, K_F2);
    expect(&t, "KP-01", "the checklist");

    t.keys = 0;
    for (int i = 0; i < NPASS; i++)
        key(&t, "1");
    long pass_keys = t.keys;

    t.keys = 0;
    long digits = type(&t, COUNT);
    key(&t, "\r");
    long count_keys = t.keys;

    t.keys = 0;
    key(&t, "2");
    expect(&t, "隐患描述", "the hazard editor");
    long typing = type(&t, DESC);
    key(&t, "\t");
    typing += type(&t, PLACE);
    key(&t, K_F2);
    long hazard_keys = t.keys;
    expect(&t, "KM-02", "back on the checklist");

    key(&t, "\033"); /* home; the program saves as it goes, and on SIGTERM */
    tty_stop(&t);
    verify(home);
    if (fails)
        b_die("keys: %d checks of the saved visit failed: the keys did not do the work", fails);

    budget_row("keys: a 40-item all-pass form", pass_keys, NPASS + 1, "budget: items + 1");
    char fig[96], rule[64];
    snprintf(fig, sizeof fig, "keys: a count of %ld digits", digits);
    budget_row(fig, count_keys, digits + 1, "budget: digits + 1");
    snprintf(fig, sizeof fig, "keys: a hazard, description + location (%ld typed)", typing);
    snprintf(rule, sizeof rule, "budget: typing + 4");
    budget_row(fig, hazard_keys, typing + 4, rule);
    b_rmrf(dir);
    free(dir), free(home), free(formdir), free(passfile);
    return over ? 1 : 0;
}
