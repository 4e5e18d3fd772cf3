/* bench_tui.c — the field TUI under a pseudo-terminal, driven by scripted
 * keys, with a 1,000-item form and a 20,000-school roster in the brief.
 *
 * The real program (build/…/xiaoan) runs on the slave side of a pty of
 * 80×24 (TERM=xterm-256color, UTF-8, Chinese UI).  For every key the driver
 * writes the key's bytes, then waits until the program has read them, has
 * gone back to sleep in its input wait and has stopped writing (the pty's
 * input queue is empty, /proc/PID/stat says S, its CPU time no longer moves
 * and nothing more arrives for 3 polls).  Per key it records the CPU time
 * the program used (/proc/PID/schedstat, nanoseconds) and the bytes it wrote
 * to the terminal; after every key its resident set (VmRSS).
 *
 * Script: unlock on the unlock screen (the first frame after unlock is
 * timed), n → the school picker, typing queries letter by letter and
 * deleting them again (the roster filter per keystroke), Enter on a school
 * → a new visit with the 1,000-item form, F2 → the checklist, then
 * BENCH_SCALE × 10,000 keys: mostly ↓/↑ through the list, answers (1, 3,
 * 0; each followed by F2, which leaves the screen a count item opens),
 * PgDn/PgUp (seeded, the same script every run).
 *
 * Bytes per cursor move are also counted apart by kind: a move within the
 * page, and a move that brings rows into view (a scroll, or a page turned
 * whole: their text has to be sent whatever the program; told apart by the
 * scroll in the output or the number of rows written).  A third walk of
 * cursor moves only (a fresh visit, the floor's walk) compares the bytes
 * with the floor on the same screen content.  The thin-link walk
 * (XIAOAN_THIN=1) rests after every 8th move: it waits for the idle tick
 * (200 ms without a key), whose bytes (the detail pane) are counted per
 * rest, and the move after it on its own.
 * After the walk, 3 s without a key: the answers the walk journaled are
 * saved with the whole visit then (its CPU is a row of its own; the answer
 * keys' rows are the keys alone).  Per key kind: moves, answers, pages and
 * the other keys (F2 after an answer) each get a median and a p99.
 * BENCH_DEBUG=1 prints one line per key, BENCH_DEBUG=2 also its bytes.
 *
 * The floor (bench/floor_tui.c) is the smallest curses list of the same
 * lines under the same pty: its CPU per key, bytes per cursor move, time to
 * its first frame and RSS.  The filter is also timed in-process:
 * xa_filter_apply against a plain strstr scan of the same 20,000 entries.
 *
 * usage: bench_tui WORKDIR XIAOAN_BIN FLOOR_BIN */
#include "bench.h"

#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"
#include "xiaoan/tui.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define PASS "bench passphrase"
#define COLS 80
#define ROWS 24
#define NSCHOOLS 20000
#define NITEMS 1000

/* ---- a program under a pty ---- */

struct proc {
    pid_t pid;
    int master, slave;
    char statpath[64], schedpath[64], statuspath[64], iopath[64];
    xa_buf out;          /* output since the last key */
    long long rss_max;   /* max VmRSS seen (bytes) */
};

static void spawn(struct proc *p, char *const argv[])
{
    memset(p, 0, sizeof *p);
    struct winsize ws = {.ws_row = ROWS, .ws_col = COLS};
    if (openpty(&p->master, &p->slave, NULL, NULL, &ws) != 0)
        b_die("openpty: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        b_die("fork: %s", strerror(errno));
    if (pid == 0) {
        setsid();
        ioctl(p->slave, TIOCSCTTY, 0);
        dup2(p->slave, 0);
        dup2(p->slave, 1);
        dup2(p->slave, 2);
        close(p->master);
        if (p->slave > 2)
            close(p->slave);
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        unsetenv("XIAOAN_LANG");
        unsetenv("NO_COLOR");
        execv(argv[0], argv);
        _exit(127);
    }
    p->pid = pid;
    fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
    snprintf(p->statpath, sizeof p->statpath, "/proc/%d/stat", (int)pid);
    snprintf(p->schedpath, sizeof p->schedpath, "/proc/%d/schedstat", (int)pid);
    snprintf(p->statuspath, sizeof p->statuspath, "/proc/%d/status", (int)pid);
    snprintf(p->iopath, sizeof p->iopath, "/proc/%d/io", (int)pid);
}

static int read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return 0;
}

/* CPU time of the program so far, nanoseconds. */
static long long cpu_ns(const struct proc *p)
{
    char b[128];
    if (read_small(p->schedpath, b, sizeof b) != 0)
        b_die("the program under test is gone (%s)", p->schedpath);
    return atoll(b);
}

/* Its scheduler state letter (R, S, D, ...). */
static char state(const struct proc *p)
{
    char b[512];
    if (read_small(p->statpath, b, sizeof b) != 0)
        return 'X';
    char *r = strrchr(b, ')');
    return r && r[1] == ' ' ? r[2] : '?';
}

/* Bytes the program has read so far (any read: the key arrives as this). */
static long long rchar(const struct proc *p)
{
    char b[512];
    if (read_small(p->iopath, b, sizeof b) != 0)
        return -1;
    char *v = strstr(b, "rchar:");
    return v ? atoll(v + 6) : -1;
}

static long long rss(struct proc *p)
{
    char b[4096];
    if (read_small(p->statuspath, b, sizeof b) != 0)
        return -1;
    char *v = strstr(b, "VmRSS:");
    long long kb = v ? atoll(v + 6) : -1;
    if (kb * 1024 > p->rss_max)
        p->rss_max = kb * 1024;
    return kb * 1024;
}

/* Read what is there (waiting up to ms); returns the bytes read. */
static size_t drain(struct proc *p, int ms)
{
    size_t total = 0;
    struct pollfd pf = {.fd = p->master, .events = POLLIN};
    if (poll(&pf, 1, ms) <= 0)
        return 0;
    char buf[65536];
    for (;;) {
        ssize_t n = read(p->master, buf, sizeof buf);
        if (n > 0) {
            xa_buf_add(&p->out, buf, (size_t)n);
            total += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break;
    }
    return total;
}

/* Wait until the program has read `want` more bytes than `rc0` (the key;
 * rc0 < 0: no key) and is idle again (see the top of the file). */
static void settle_after(struct proc *p, long long rc0, size_t want, double timeout)
{
    double t0 = b_wall();
    while (rc0 >= 0 && rchar(p) < rc0 + (long long)want) {
        drain(p, 1);
        if (b_wall() - t0 > timeout)
            b_die("the program under test did not read its key within %.0f s", timeout);
    }
    long long last = cpu_ns(p);
    int idle = 0;
    while (idle < 3) {
        size_t n = drain(p, 1);
        int pending = 0;
        ioctl(p->slave, FIONREAD, &pending);
        char st = state(p);
        long long now = cpu_ns(p);
        if (n == 0 && pending == 0 && st == 'S' && now == last)
            idle++;
        else
            idle = 0;
        last = now;
        if (st == 'Z' || st == 'X')
            b_die("the program under test exited; its last output:\n%.2000s",
                  p->out.data ? p->out.data : "");
        if (b_wall() - t0 > timeout)
            b_die("the program under test did not settle within %.0f s", timeout);
    }
}

static void settle(struct proc *p, double timeout)
{
    settle_after(p, -1, 0, timeout);
}

struct keystat {
    double cpu;  /* seconds */
    double wall; /* seconds, key written → idle (includes the ~3 ms idle check) */
    size_t bytes;
};

/* BENCH_DEBUG=2: the bytes written, escapes made visible (ESC as \e). */
static void show_bytes(const char *b, size_t n)
{
    fputs("    ", stderr);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        if (c == 033)
            fputs("\\e", stderr);
        else if (c == '\r')
            fputs("\\r", stderr);
        else if (c == '\n')
            fputs("\\n", stderr);
        else if (c < 32 || c == 127)
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    fputc('\n', stderr);
}

/* Send one key and wait; the output it caused stays in p->out. */
static struct keystat key(struct proc *p, const char *bytes, size_t len)
{
    struct keystat k;
    xa_buf_reset(&p->out);
    long long c0 = cpu_ns(p), rc0 = rchar(p);
    double w0 = b_wall();
    if (write(p->master, bytes, len) != (ssize_t)len)
        b_die("writing to the pty: %s", strerror(errno));
    settle_after(p, rc0, len, 60);
    k.cpu = (double)(cpu_ns(p) - c0) / 1e9;
    k.wall = b_wall() - w0;
    k.bytes = p->out.len;
    rss(p);
    if (getenv("BENCH_DEBUG")) {
        fprintf(stderr, "key %-10.*s cpu %.3f ms wall %.1f ms bytes %zu\n", (int)len,
                len && bytes[0] == 033 ? bytes + 1 : bytes, k.cpu * 1e3, k.wall * 1e3, k.bytes);
        if (!strcmp(getenv("BENCH_DEBUG"), "2"))
            show_bytes(p->out.data, p->out.len);
    }
    return k;
}

static struct keystat keys(struct proc *p, const char *s)
{
    return key(p, s, strlen(s));
}

static int saw(const struct proc *p, const char *marker)
{
    size_t m = strlen(marker);
    for (size_t i = 0; p->out.data && i + m <= p->out.len; i++)
        if (!memcmp(p->out.data + i, marker, m))
            return 1;
    return 0;
}

/* Did the output scroll part of the screen?  A line moving into view is sent
 * as a scroll (a scrolling region, CSI r, with a line feed or ESC M; or CSI
 * L/M/S/T); a move within the page never scrolls.  This is how a cursor
 * move's bytes are told apart: within the page, or bringing a new row in. */
static int scrolled(const struct proc *p)
{
    const char *b = p->out.data;
    size_t n = p->out.len;
    for (size_t i = 0; b && i + 1 < n; i++) {
        if (b[i] != 033)
            continue;
        if (b[i + 1] == 'M')
            return 1;
        if (b[i + 1] != '[')
            continue;
        size_t j = i + 2;
        while (j < n && ((b[j] >= '0' && b[j] <= '9') || b[j] == ';'))
            j++;
        if (j < n && j > i + 2 && strchr("rLMST", b[j]))
            return 1;
        if (j < n && j == i + 2 && strchr("LMST", b[j]))
            return 1;
    }
    return 0;
}

/* The screen rows the output wrote to (printed or erased), followed through
 * the cursor addressing curses uses (CUP, VPA, CUU/CUD, LF, RI, CR). */
static int rows_touched(const struct proc *p)
{
    const unsigned char *b = (const unsigned char *)p->out.data;
    size_t n = p->out.len;
    int row = 1, touched[ROWS + 2] = {0}, count = 0;
    for (size_t i = 0; b && i < n; i++) {
        if (b[i] == 033 && i + 1 < n && b[i + 1] == '[') {
            int v[2] = {0, 0}, k = 0;
            size_t j = i + 2;
            if (j < n && b[j] == '?')
                j++;
            for (; j < n && ((b[j] >= '0' && b[j] <= '9') || b[j] == ';'); j++) {
                if (b[j] == ';')
                    k = k < 1 ? k + 1 : k;
                else
                    v[k] = v[k] * 10 + (b[j] - '0');
            }
            if (j >= n)
                break;
            switch (b[j]) {
            case 'H': case 'f': row = v[0] ? v[0] : 1; break;
            case 'd': row = v[0] ? v[0] : 1; break;
            case 'A': row -= v[0] ? v[0] : 1; break;
            case 'B': row += v[0] ? v[0] : 1; break;
            case 'K': case 'X': case '@':
                if (row >= 1 && row <= ROWS && !touched[row]++)
                    count++;
                break;
            default: break;
            }
            i = j;
        } else if (b[i] == 033 && i + 1 < n) {
            if (b[i + 1] == 'M')
                row--;
            i++; /* ESC ( B and the like: one more byte at most matters not */
            if (i + 1 < n && (b[i] == '(' || b[i] == ')'))
                i++;
        } else if (b[i] == '\n') {
            row++;
        } else if (b[i] >= 32 && b[i] != 127 && (b[i] & 0xc0) != 0x80) {
            if (row >= 1 && row <= ROWS && !touched[row]++)
                count++;
        }
    }
    return count;
}

/* Did a move bring rows into view?  A scroll, or more rows rewritten than a
 * move within the page touches: the two rows and the detail pane are at
 * most 8 of the 24, a page of the list (13 rows at 80×24) is more. */
static int new_rows(const struct proc *p)
{
    return scrolled(p) || rows_touched(p) > 9;
}

/* Wait for the idle tick to draw what a thin link shows at rest (the
 * detail pane): nothing is sent for TICK (200 ms) after the last key; the
 * bytes that come then are the rest's.  Returns them. */
static size_t rest(struct proc *p)
{
    xa_buf_reset(&p->out);
    double t0 = b_wall();
    while (p->out.len == 0 && b_wall() - t0 < 3.0)
        drain(p, 50);
    settle(p, 60);
    return p->out.len;
}

static void expect(const struct proc *p, const char *marker, const char *where)
{
    if (!saw(p, marker))
        b_die("%s: the screen did not show '%s' (the TUI's flow changed?)", where, marker);
}

static void stop(struct proc *p)
{
    kill(p->pid, SIGTERM);
    for (int i = 0; i < 500; i++) {
        drain(p, 10);
        int st;
        if (waitpid(p->pid, &st, WNOHANG) == p->pid)
            break;
        if (i == 499) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &st, 0);
        }
    }
    close(p->master);
    close(p->slave);
    xa_buf_clear(&p->out);
}

/* ---- the statistics of a set of keys ---- */

struct series {
    double *v;
    size_t n, cap;
};
static void push(struct series *s, double x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->v = xa_realloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = x;
}

/* ---- setup ---- */

static void setup_home(const char *home, const char *formdir, const char *formcsv)
{
    gen_form_dir(formdir, 7, "campus-1000", NITEMS);
    (void)formcsv;
    gen_field_home(home, PASS, formdir, 20261129 + 1, NSCHOOLS);
}

/* The items of the 1,000-item form that do not apply to the school the walk
 * visits (the first roster match of its query; pre-marked 不适用 there), as
 * ",CODE,CODE," for the floor to show them the same way. */
static char *not_applying(const char *formdir, const char *query)
{
    xa_err e;
    xa_form_set *fs = NULL;
    b_check(xa_form_set_load(formdir, &fs, NULL, &e), &e, formdir);
    size_t len;
    char *csv = gen_roster_csv(20261129 + 1, NSCHOOLS, &len);
    xa_roster *r = NULL;
    b_check(xa_roster_parse("roster.csv", csv, len, &r, NULL, &e), &e, "roster");
    free(csv);
    const xa_school *school = NULL;
    for (size_t i = 0; i < r->n && !school; i++)
        if (strstr(r->schools[i].pinyin, query))
            school = &r->schools[i];
    const xa_form *f = xa_form_set_find(fs, "campus-1000");
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, ",");
    for (size_t i = 0; f && school && i < f->nitems; i++)
        if (!xa_item_applies(&f->items[i], xa_school_profile(school)))
            xa_buf_printf(&b, "%s,", f->items[i].code);
    xa_roster_free(r);
    xa_form_set_free(fs);
    return xa_buf_steal(&b);
}

/* ---- the in-process filter against a strstr scan ---- */

static void filter_inprocess(size_t reps)
{
    size_t len;
    char *csv = gen_roster_csv(20261129 + 1, NSCHOOLS, &len);
    xa_roster *r = NULL;
    xa_err e;
    b_check(xa_roster_parse("roster.csv", csv, len, &r, NULL, &e), &e, "roster");
    free(csv);
    xa_filter f;
    xa_filter_init(&f, r->n);
    char **hay = xa_calloc(r->n, sizeof *hay);
    for (size_t i = 0; i < r->n; i++) {
        const xa_school *s = &r->schools[i];
        xa_filter_set(&f, i, s->code, s->name, s->county, s->pinyin);
        hay[i] = xa_asprintf("%s\x1f%s\x1f%s\x1f%s", s->code, s->name, s->county, s->pinyin);
        for (char *c = hay[i]; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    }
    static const char *const queries[] = {"ldqbhzzxxx", "碧湖镇中心", "331181000", "lqssyxx",
                                          "jnszzzx", "青田县第一"};
    struct series fv = {0}, ff = {0};
    volatile size_t sink = 0;
    for (size_t rep = 0; rep < reps; rep++) {
        for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
            const char *query = queries[q];
            size_t qlen = strlen(query);
            char typed[64];
            /* type it letter by letter (UTF-8 characters whole), then delete */
            size_t cuts[64], nc = 0;
            for (size_t i = 1; i <= qlen; i++)
                if (i == qlen || (query[i] & 0xc0) != 0x80)
                    cuts[nc++] = i;
            for (size_t k = 0; k < 2 * nc; k++) {
                size_t l = k < nc ? cuts[k] : (k == 2 * nc - 1 ? 0 : cuts[2 * nc - 2 - k]);
                memcpy(typed, query, l);
                typed[l] = '\0';
                double a = b_cpu();
                xa_filter_apply(&f, typed);
                double b = b_cpu();
                size_t m = 0;
                for (size_t i = 0; i < r->n; i++)
                    if (strstr(hay[i], typed))
                        m++;
                double c = b_cpu();
                sink += m + f.nmatch;
                push(&fv, b - a);
                push(&ff, c - b);
            }
        }
    }
    (void)sink;
    double v[2] = {b_median(fv.v, fv.n), b_pct(fv.v, fv.n, 99)};
    double fl[2] = {b_median(ff.v, ff.n), b_pct(ff.v, ff.n, 99)};
    b_row1("filter 20,000 schools per keystroke, in-process, median", "ms", 1e3 * v[0],
           1e3 * fl[0], "strstr scan of all 20,000", fv.n);
    b_row1("filter 20,000 schools per keystroke, in-process, p99", "ms", 1e3 * v[1],
           1e3 * fl[1], "strstr scan of all 20,000", fv.n);
    for (size_t i = 0; i < r->n; i++)
        free(hay[i]);
    free(hay);
    free(fv.v), free(ff.v);
    xa_filter_free(&f);
    xa_roster_free(r);
}

/* ---- the floor of the picker's first opening ---- */

/* xa_fstore_brief_table callback: the chunks put together. */
static int take_chunk(void *ctx, const void *chunk, size_t len)
{
    xa_buf_add(ctx, chunk, len);
    return 0;
}

/* What opening the picker cannot do without: read the stored school table
 * out of field.db and decrypt it (in-process, the store already unlocked),
 * CPU seconds, the median of five; *bytes: the table's size. */
static double picker_floor(const char *home, size_t *bytes)
{
    xa_fstore *s = NULL;
    xa_err e;
    b_check(xa_fstore_open(home, PASS, &s, &e), &e, "opening the bench store");
    double c[5];
    for (int i = 0; i < 5; i++) {
        xa_buf plain = XA_BUF_INIT;
        int64_t seq;
        double c0 = b_cpu();
        b_check(xa_fstore_brief_table(s, &seq, take_chunk, &plain, &e), &e,
                "reading the school table");
        c[i] = b_cpu() - c0;
        *bytes = plain.len;
        xa_buf_wipe(&plain);
    }
    xa_fstore_close(s);
    return b_median(c, 5);
}

/* ---- the KDF of the bench home, in-process (subtracted from the unlock) ---- */

static void kdf_cost(double *wall, double *cpu)
{
    xa_kdf_params k = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    double w[3], c[3];
    uint8_t out[32], salt[crypto_pwhash_SALTBYTES] = {0};
    for (int i = 0; i < 3; i++) {
        double a = b_wall(), b = b_cpu();
        if (crypto_pwhash(out, sizeof out, PASS, strlen(PASS), salt, k.ops, (size_t)k.mem,
                          crypto_pwhash_ALG_ARGON2ID13) != 0)
            b_die("crypto_pwhash");
        w[i] = b_wall() - a;
        c[i] = b_cpu() - b;
    }
    *wall = b_median(w, 3);
    *cpu = b_median(c, 3);
}

/* ---- the runs ---- */

static const char K_DOWN[] = "\033OB", K_UP[] = "\033OA", K_PGDN[] = "\033[6~",
                  K_PGUP[] = "\033[5~", K_F2[] = "\033OQ";

struct tui_result {
    double first_wall, first_cpu; /* Enter on the unlock screen → first frame */
    double picker_open_cpu;
    struct series all, moves, answers, pages, others, filter, move_bytes, filter_bytes;
    double rest_cpu; /* 3 s without a key after the walk (the journal folded in) */
    struct series page_bytes, scroll_bytes; /* moves within the page / bringing rows into view */
    struct series rest_bytes, after_rest_bytes; /* thin link: the idle tick's pane, the move after */
    long long rss_max, hwm;
};

/* The walk; rest_every > 0: after every rest_every-th cursor move, wait
 * for the idle tick (a thin link's cursor resting) and count its bytes;
 * moves_only: only ↓/↑, turning at the first and the last item like the
 * floor's walk (the same screens as the floor's, nothing answered). */
static void run_tui(const char *xiaoan, const char *home, size_t nkeys, int rest_every,
                    int moves_only, struct tui_result *res)
{
    memset(res, 0, sizeof *res);
    char *argv[] = {(char *)xiaoan, "--home", (char *)home, NULL};
    struct proc p;
    spawn(&p, argv);
    settle(&p, 60);
    expect(&p, "请输入口令", "start");
    keys(&p, PASS);
    struct keystat k = keys(&p, "\r");
    res->first_wall = k.wall;
    res->first_cpu = k.cpu;
    p.rss_max = 0;
    rss(&p);
    /* the school picker */
    k = keys(&p, "n");
    expect(&p, "选择学校", "after n");
    res->picker_open_cpu = k.cpu;
    static const char *const queries[] = {"ldqbhzzxxx", "碧湖镇中心", "331181000", "lqssyxx",
                                          "jnszzzx", "青田县第一"};
    for (int round = 0; round < 5; round++) {
        for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
            const char *s = queries[q];
            size_t nchars = 0;
            for (const char *c = s; *c;) {
                size_t l = 1;
                while (c[l] && (c[l] & 0xc0) == 0x80)
                    l++;
                k = key(&p, c, l);
                push(&res->filter, k.cpu);
                push(&res->filter_bytes, (double)k.bytes);
                c += l;
                nchars++;
            }
            for (size_t i = 0; i < nchars; i++) {
                k = keys(&p, "\177");
                push(&res->filter, k.cpu);
                push(&res->filter_bytes, (double)k.bytes);
            }
        }
    }
    keys(&p, "ldqbhzzxxx");
    keys(&p, "\r"); /* a new visit at 莲都区碧湖镇中心小学 */
    keys(&p, K_F2); /* past the visit's start screen */
    expect(&p, "BX-", "the checklist");
    /* the checklist: BENCH_SCALE × 10,000 keys */
    gen_rng r;
    gen_seed(&r, 1000);
    int down = 1, rested = 0;
    long pos = 0, nrows = moves_only ? NITEMS : NITEMS + NITEMS / 25 + 1;
    for (size_t i = 0; i < nkeys; i++) {
        uint32_t roll = moves_only ? 0 : gen_below(&r, 100);
        if (pos <= 0)
            down = 1;
        if (pos >= nrows - 1)
            down = 0;
        if (roll < 75) {
            k = keys(&p, down ? K_DOWN : K_UP);
            pos += down ? 1 : -1;
            push(&res->moves, k.cpu);
            push(&res->move_bytes, (double)k.bytes);
            if (rested)
                push(&res->after_rest_bytes, (double)k.bytes);
            else
                push(new_rows(&p) ? &res->scroll_bytes : &res->page_bytes, (double)k.bytes);
            rested = rest_every > 0 && res->moves.n % (size_t)rest_every == 0;
            if (rested)
                push(&res->rest_bytes, (double)rest(&p));
        } else if (roll < 95) {
            rested = 0;
            k = keys(&p, roll < 88 ? "1" : roll < 93 ? "3" : "0");
            push(&res->answers, k.cpu);
            /* A count or text item opens its own screen for the number or the
             * text; F2 (done) comes back from it, and on the checklist it is a
             * key without an action.  (The screen cannot be told from the
             * output: curses sends only the cells that changed.) */
            push(&res->all, k.cpu);
            k = keys(&p, K_F2);
            push(&res->others, k.cpu);
            i++;
        } else {
            rested = 0;
            k = keys(&p, down ? K_PGDN : K_PGUP);
            pos += down ? 20 : -20;
            push(&res->pages, k.cpu);
        }
        push(&res->all, k.cpu);
        if ((i + 1) % 2000 == 0)
            b_note("tui: %zu of %zu keys, RSS %.1f MiB", i + 1, nkeys,
                   (double)rss(&p) / 1048576.0);
    }
    /* Answers are journaled (one small record each); the visit is saved
     * whole once the keys rest (2 s, src/tui/app.c COMPACT_REST_MS): the
     * program's CPU over a rest of 3 s after the walk (idle ticks included). */
    long long rc0 = cpu_ns(&p);
    double rw0 = b_wall();
    while (b_wall() - rw0 < 3.0)
        drain(&p, 50);
    res->rest_cpu = (double)(cpu_ns(&p) - rc0) / 1e9;
    res->rss_max = p.rss_max;
    char b[4096];
    if (read_small(p.statuspath, b, sizeof b) == 0 && strstr(b, "VmHWM:"))
        res->hwm = atoll(strstr(b, "VmHWM:") + 6) * 1024;
    stop(&p);
}

struct floor_result {
    double first_wall, first_cpu;
    struct series moves, move_bytes, page_bytes, scroll_bytes;
    long long rss_max;
};

static void run_floor(const char *floor_bin, const char *formcsv, const char *na, size_t nkeys,
                      struct floor_result *res)
{
    memset(res, 0, sizeof *res);
    char *argv[] = {(char *)floor_bin, (char *)formcsv, (char *)na, NULL};
    struct proc p;
    double w0 = b_wall();
    spawn(&p, argv);
    settle(&p, 60);
    res->first_wall = b_wall() - w0;
    res->first_cpu = (double)cpu_ns(&p) / 1e9;
    expect(&p, "BX-", "floor");
    int down = 1;
    long pos = 0;
    for (size_t i = 0; i < nkeys; i++) {
        if (pos <= 0)
            down = 1;
        if (pos >= NITEMS - 1)
            down = 0;
        struct keystat k = keys(&p, down ? K_DOWN : K_UP);
        pos += down ? 1 : -1;
        push(&res->moves, k.cpu);
        push(&res->move_bytes, (double)k.bytes);
        push(new_rows(&p) ? &res->scroll_bytes : &res->page_bytes, (double)k.bytes);
    }
    res->rss_max = p.rss_max;
    stop(&p);
}

/* The mean of a series (NAN when empty). */
static double b_mean(const struct series *v)
{
    double t = 0;
    for (size_t i = 0; i < v->n; i++)
        t += v->v[i];
    return v->n ? t / (double)v->n : NAN;
}

/* Two rows (median, p99) of bytes per key against the floor's moves. */
static void bytes_rows(const char *figure, const struct series *v, const struct series *f)
{
    char *a = xa_asprintf("%s, median", figure), *b = xa_asprintf("%s, p99", figure);
    b_row1(a, "B", b_median(v->v, v->n), b_median(f->v, f->n), "curses, same kind of move",
           v->n);
    b_row1(b, "B", b_pct(v->v, v->n, 99), b_pct(f->v, f->n, 99), "curses, same kind of move",
           v->n);
    free(a), free(b);
}

/* The thin-link rows (the walk of main's thin-link run). */
static void thin_rows(const struct tui_result *th, const struct floor_result *fr)
{
    double fmed = b_median(fr->moves.v, fr->moves.n), fp99 = b_pct(fr->moves.v, fr->moves.n, 99);
    bytes_rows("TUI thin link: bytes per cursor move, all moves", &th->move_bytes,
               &fr->move_bytes);
    b_row1("TUI thin link: bytes per cursor move, all moves, mean", "B",
           b_mean(&th->move_bytes), b_mean(&fr->move_bytes), "curses, same kind of move",
           th->move_bytes.n);
    bytes_rows("TUI thin link: bytes per cursor move within the page", &th->page_bytes,
               &fr->page_bytes);
    bytes_rows("TUI thin link: bytes per cursor move turning the page", &th->scroll_bytes,
               &fr->scroll_bytes);
    bytes_rows("TUI thin link: bytes per first move after a rest", &th->after_rest_bytes,
               &fr->page_bytes);
    bytes_rows("TUI thin link: bytes per rest (the detail pane drawn)", &th->rest_bytes,
               &fr->page_bytes);
    b_row1("TUI thin link: CPU per cursor move, median", "ms",
           1e3 * b_median(th->moves.v, th->moves.n), 1e3 * fmed, "curses list, per key",
           th->moves.n);
    b_row1("TUI thin link: CPU per cursor move, p99", "ms",
           1e3 * b_pct(th->moves.v, th->moves.n, 99), 1e3 * fp99, "curses list, per key p99",
           th->moves.n);
}

/* Free a walk's series. */
static void tui_result_free(struct tui_result *r)
{
    struct series *v[] = {&r->all,        &r->moves,        &r->answers,   &r->pages,
                          &r->others,     &r->filter,       &r->move_bytes, &r->filter_bytes,
                          &r->page_bytes, &r->scroll_bytes, &r->rest_bytes, &r->after_rest_bytes};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        free(v[i]->v);
}

/* BENCH_TUI_ONLY=thin: the thin-link walk alone, against the floor's first
 * run (for trying changes to the thin mode without the other walks). */
static void thin_only(const char *xiaoan, const char *home, const char *pristine,
                      const char *db, size_t nkeys, const struct floor_result *fr)
{
    struct tui_result th;
    b_copy(pristine, db);
    setenv("XIAOAN_THIN", "1", 1);
    run_tui(xiaoan, home, nkeys / 5 < 2000 ? 2000 : nkeys / 5, 8, 0, &th);
    unsetenv("XIAOAN_THIN");
    b_note("tui thin link: %zu keys", th.all.n);
    size_t tbytes = 0;
    double pf = picker_floor(home, &tbytes);
    b_note("the school table: %.1f MB stored", (double)tbytes / 1e6);
    b_row1("TUI opening the picker (20,000 schools), first time, CPU", "ms",
           1e3 * th.picker_open_cpu, 1e3 * pf, "reading + decrypting the school table", 1);
    thin_rows(&th, fr);
    tui_result_free(&th);
}

int main(int argc, char **argv)
{
    if (argc != 4)
        b_die("usage: bench_tui WORKDIR XIAOAN_BIN FLOOR_BIN");
    if (sodium_init() < 0)
        b_die("sodium_init");
    signal(SIGPIPE, SIG_IGN);
    long scale = b_env("BENCH_SCALE", 1);
    size_t nkeys = (size_t)b_env("BENCH_TUI_KEYS", 10000 * scale);
    char *dir = b_tmpdir(argv[1], "tui");
    char *home = b_tmpdir(dir, "home"), *formdir = xa_path_join(dir, "form");
    char *formcsv = xa_path_join(formdir, "campus-1000.csv");
    double t0 = b_wall();
    setup_home(home, formdir, formcsv);
    char *pristine = xa_path_join(dir, "field.db.pristine"), *db = xa_path_join(home, XA_FIELD_DB);
    b_copy(db, pristine);
    b_note("tui setup: %d schools, a %d-item form in the brief (%.1f s)", NSCHOOLS, NITEMS,
           b_wall() - t0);

    filter_inprocess(20);

    double kdf_wall, kdf_cpu;
    kdf_cost(&kdf_wall, &kdf_cpu);
    struct floor_result fr;
    char *na = not_applying(formdir, "ldqbhzzxxx");
    run_floor(argv[3], formcsv, na, nkeys / 5 < 2000 ? 2000 : nkeys / 5, &fr);
    const char *only = getenv("BENCH_TUI_ONLY");
    if (only && !strcmp(only, "thin")) { /* the thin-link walk alone (docs/performance.md) */
        thin_only(argv[2], home, pristine, db, nkeys, &fr);
        free(fr.moves.v), free(fr.move_bytes.v), free(fr.page_bytes.v), free(fr.scroll_bytes.v);
        free(dir), free(home), free(formdir), free(formcsv), free(pristine), free(db), free(na);
        return 0;
    }
    struct tui_result tr;
    t0 = b_wall();
    run_tui(argv[2], home, nkeys, 0, 0, &tr);
    b_note("tui: %zu keys in %.0f s; unlock→first frame %.3f s wall / %.3f s CPU, KDF %.3f s"
           " wall / %.3f s CPU; VmHWM (with the KDF) %.1f MiB",
           tr.all.n, b_wall() - t0, tr.first_wall, tr.first_cpu, kdf_wall, kdf_cpu,
           (double)tr.hwm / 1048576.0);
    /* Thin-link mode (xiaoan --thin): the same walk on the same store,
     * a fifth of the keys (at least 2,000). */
    struct tui_result th;
    b_copy(pristine, db);
    setenv("XIAOAN_THIN", "1", 1);
    run_tui(argv[2], home, nkeys / 5 < 2000 ? 2000 : nkeys / 5, 8, 0, &th);
    unsetenv("XIAOAN_THIN");
    b_note("tui thin link: %zu keys", th.all.n);
    /* Cursor moves only, the floor's walk on the floor's screen (a fresh
     * visit: every item unanswered, as the floor shows them). */
    struct tui_result mo;
    b_copy(pristine, db);
    run_tui(argv[2], home, 2000, 0, 1, &mo);
    b_note("tui moves only: %zu keys", mo.all.n);
    struct floor_result fr2;
    run_floor(argv[3], formcsv, na, 2000, &fr2); /* the floor again, after: drift */
    for (size_t i = 0; i < fr2.moves.n; i++) {
        push(&fr.moves, fr2.moves.v[i]);
        push(&fr.move_bytes, fr2.move_bytes.v[i]);
    }
    for (size_t i = 0; i < fr2.page_bytes.n; i++)
        push(&fr.page_bytes, fr2.page_bytes.v[i]);
    for (size_t i = 0; i < fr2.scroll_bytes.n; i++)
        push(&fr.scroll_bytes, fr2.scroll_bytes.v[i]);
    if (fr2.first_cpu < fr.first_cpu)
        fr.first_cpu = fr2.first_cpu, fr.first_wall = fr2.first_wall;

    double fmed = b_median(fr.moves.v, fr.moves.n), fp99 = b_pct(fr.moves.v, fr.moves.n, 99);
    b_row1("TUI CPU per key, all keys, median", "ms", 1e3 * b_median(tr.all.v, tr.all.n),
           1e3 * fmed, "curses list, per key", tr.all.n);
    b_row1("TUI CPU per key, all keys, p99", "ms", 1e3 * b_pct(tr.all.v, tr.all.n, 99),
           1e3 * fp99, "curses list, per key p99", tr.all.n);
    b_row1("TUI CPU per cursor move (down/up), median", "ms",
           1e3 * b_median(tr.moves.v, tr.moves.n), 1e3 * fmed, "curses list, per key",
           tr.moves.n);
    b_row1("TUI CPU per cursor move (down/up), p99", "ms",
           1e3 * b_pct(tr.moves.v, tr.moves.n, 99), 1e3 * fp99, "curses list, per key p99",
           tr.moves.n);
    b_row1("TUI CPU per answer key (saved), median", "ms",
           1e3 * b_median(tr.answers.v, tr.answers.n), 1e3 * fmed, "curses list, per key",
           tr.answers.n);
    b_row1("TUI CPU per answer key (saved), p99", "ms",
           1e3 * b_pct(tr.answers.v, tr.answers.n, 99), 1e3 * fp99, "curses list, per key p99",
           tr.answers.n);
    b_row1("TUI CPU per page key, median", "ms", 1e3 * b_median(tr.pages.v, tr.pages.n),
           1e3 * fmed, "curses list, per key", tr.pages.n);
    b_row1("TUI CPU per page key, p99", "ms", 1e3 * b_pct(tr.pages.v, tr.pages.n, 99),
           1e3 * fp99, "curses list, per key p99", tr.pages.n);
    b_row1("TUI CPU per other key (F2 after an answer), median", "ms",
           1e3 * b_median(tr.others.v, tr.others.n), 1e3 * fmed, "curses list, per key",
           tr.others.n);
    b_row1("TUI CPU per other key (F2 after an answer), p99", "ms",
           1e3 * b_pct(tr.others.v, tr.others.n, 99), 1e3 * fp99, "curses list, per key p99",
           tr.others.n);
    b_row1("TUI CPU of a 3 s rest after the walk (answers saved whole)", "ms",
           1e3 * tr.rest_cpu, 1e3 * fmed, "curses list, per key", 1);
    b_row1("TUI roster filter per keystroke (picker), median", "ms",
           1e3 * b_median(tr.filter.v, tr.filter.n), 1e3 * fmed, "curses list, per key",
           tr.filter.n);
    b_row1("TUI roster filter per keystroke (picker), p99", "ms",
           1e3 * b_pct(tr.filter.v, tr.filter.n, 99), 1e3 * fp99, "curses list, per key p99",
           tr.filter.n);
    size_t tbytes = 0;
    double pf = picker_floor(home, &tbytes);
    b_note("the school table: %.1f MB stored", (double)tbytes / 1e6);
    b_row1("TUI opening the picker (20,000 schools), first time, CPU", "ms",
           1e3 * tr.picker_open_cpu, 1e3 * pf, "reading + decrypting the school table", 1);
    bytes_rows("TUI bytes to the terminal per cursor move (the walk)", &tr.move_bytes,
               &fr.move_bytes);
    bytes_rows("TUI bytes per cursor move, moves only (the floor's walk)", &mo.move_bytes,
               &fr.move_bytes);
    bytes_rows("TUI bytes per cursor move within the page, moves only", &mo.page_bytes,
               &fr.page_bytes);
    bytes_rows("TUI bytes per cursor move bringing a row into view, moves only",
               &mo.scroll_bytes, &fr.scroll_bytes);
    b_row1("TUI bytes per cursor move, moves only, mean", "B", b_mean(&mo.move_bytes),
           b_mean(&fr.move_bytes), "curses, same kind of move", mo.move_bytes.n);
    thin_rows(&th, &fr);
    b_row1("TUI bytes to the terminal per filter keystroke, median", "B",
           b_median(tr.filter_bytes.v, tr.filter_bytes.n),
           b_median(fr.move_bytes.v, fr.move_bytes.n), "curses list, per move",
           tr.filter_bytes.n);
    b_row1("TUI first frame after unlock, CPU (KDF subtracted)", "ms",
           1e3 * (tr.first_cpu - kdf_cpu), 1e3 * fr.first_cpu, "curses list, start to frame",
           1);
    b_row1("TUI first frame after unlock, wall (KDF subtracted)", "ms",
           1e3 * (tr.first_wall - kdf_wall), 1e3 * fr.first_wall, "curses list, start to frame",
           1);
    b_row1("TUI peak RSS after unlock (outside the KDF)", "MiB",
           (double)tr.rss_max / 1048576.0, (double)fr.rss_max / 1048576.0, "curses list RSS",
           tr.all.n);

    free(tr.all.v), free(tr.moves.v), free(tr.answers.v), free(tr.pages.v), free(tr.filter.v);
    free(tr.others.v);
    free(tr.move_bytes.v), free(tr.filter_bytes.v);
    free(tr.page_bytes.v), free(tr.scroll_bytes.v), free(th.page_bytes.v),
        free(th.scroll_bytes.v), free(th.rest_bytes.v), free(th.after_rest_bytes.v);
    free(th.all.v), free(th.moves.v), free(th.answers.v), free(th.pages.v), free(th.filter.v),
        free(th.others.v), free(th.move_bytes.v), free(th.filter_bytes.v);
    free(mo.all.v), free(mo.moves.v), free(mo.answers.v), free(mo.pages.v), free(mo.filter.v),
        free(mo.others.v), free(mo.move_bytes.v), free(mo.filter_bytes.v), free(mo.page_bytes.v),
        free(mo.scroll_bytes.v), free(mo.rest_bytes.v), free(mo.after_rest_bytes.v);
    free(fr.page_bytes.v), free(fr.scroll_bytes.v), free(fr2.page_bytes.v),
        free(fr2.scroll_bytes.v);
    free(fr.moves.v), free(fr.move_bytes.v), free(fr2.moves.v), free(fr2.move_bytes.v);
    free(dir), free(home), free(formdir), free(formcsv), free(pristine), free(db), free(na);
    return 0;
}
