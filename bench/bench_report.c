/* bench_report.c — the office's documents at scale (issue 13): the period
 * report over BENCH_SCALE × 100,000 visits and 300,000 hazards (compute and
 * render, a month and a year), and the XLSX ledger of every hazard in
 * libxlsxwriter's constant-memory mode (peak RSS of a child process).
 *
 * The store is filled through the store API in one transaction (3,000
 * schools in the ten counties, visits spread over 2026-01-01..11-30, three
 * hazards each, half of them closed).  Floors, measured in the same run:
 * reading the same rows the report reads (visits up to the period's end
 * and every hazard) without computing anything; for the workbook, a child
 * that opens the same store and does nothing (`central settings`).
 *
 * usage: bench_report WORKDIR XIAOAN */
#include "bench.h"

#include "xiaoan/central.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/clock.h"
#include "xiaoan/county.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define FP "11111-11111-11111-11111"
static const char *const kinds[] = {"four-not-two-direct", "random", "special", "follow-up"};
static const char *const cats[] = {"fire", "gas", "electrical", "food", "building", "lab"};

/* Fill a new store at path: nvisits visits, 3 hazards each. */
static void fill(const char *path, size_t nvisits)
{
    xa_cstore *s;
    xa_err e;
    b_check(xa_cstore_create(path, &s, &e), &e, "create store");
    b_check(xa_cstore_begin(s, &e), &e, "begin");
    struct xa_inspector in = {.fingerprint = FP, .name = "张三", .sign_key = "k",
                              .age_recipient = "age1x", .enrolled = "2026-01-01T00:00:00+08:00"};
    b_check(xa_cstore_inspector_add(s, &in, &e), &e, "inspector");
    enum { PER = 300 };
    char code[16], name[64];
    for (size_t c = 0; c < XA_NCOUNTIES; c++)
        for (size_t k = 0; k < PER; k++) {
            snprintf(code, sizeof code, "%s%04zu", xa_county_at(c)->code, k);
            snprintf(name, sizeof name, "%s第%zu学校", xa_county_at(c)->name, k);
            struct xa_cschool sc = {.code = code, .name = name,
                                    .county = (char *)xa_county_at(c)->name, .type = "primary",
                                    .address = "", .pinyin = ""};
            b_check(xa_cstore_school_put(s, &sc, NULL, &e), &e, "school");
        }
    gen_rng r;
    gen_seed(&r, 13);
    int64_t t0 = xa_days_from_civil(2026, 1, 1) * 86400 - 8 * 3600;
    int64_t span = (xa_days_from_civil(2026, 11, 30) - xa_days_from_civil(2026, 1, 1)) * 86400;
    for (size_t i = 0; i < nvisits; i++) {
        char vid[33], t[XA_RFC3339_MAX];
        gen_hex_id(&r, vid);
        size_t c = gen_below(&r, XA_NCOUNTIES), k = gen_below(&r, PER);
        snprintf(code, sizeof code, "%s%04zu", xa_county_at(c)->code, k);
        int64_t at = t0 + (int64_t)(((uint64_t)span * i) / nvisits);
        xa_time_format(at, XA_CST_OFFSET, t);
        struct xa_cvisit v = {.id = vid, .inspector = FP, .seq = (int64_t)i + 1, .hash = vid,
                              .record = "{}", .school = code, .school_name = "",
                              .county = (char *)xa_county_at(c)->name,
                              .kind = (char *)kinds[gen_below(&r, 4)], .arrived = t,
                              .arrived_at = at, .sealed = t, .sealed_at = at, .received = t};
        b_check(xa_cstore_visit_add(s, &v, &e), &e, "visit");
        for (int h = 0; h < 3; h++) {
            char hid[33], dl[XA_DATE_MAX], closed[XA_RFC3339_MAX];
            gen_hex_id(&r, hid);
            int major = gen_below(&r, 10) == 0;
            xa_date_format(xa_date_of(at, XA_CST_OFFSET) + (major ? 15 : 30), dl);
            struct xa_chazard hz = {.id = hid, .visit = vid, .inspector = FP, .school = code,
                                    .form = "fire-buildings", .code = "FB-03",
                                    .category = (char *)cats[gen_below(&r, 6)],
                                    .severity = major ? "major" : "general",
                                    .description = "疏散通道堆放杂物，安全出口指示灯不亮",
                                    .location = "教学楼二层", .requirement = "立即清理",
                                    .deadline = dl, .responsible = "王校长", .measures = "",
                                    .notes = "", .found = t, .found_at = at};
            int added;
            b_check(xa_cstore_hazard_add(s, &hz, &added, &e), &e, "hazard");
            if (gen_below(&r, 2)) {
                int64_t ca = at + (int64_t)gen_below(&r, 40) * 86400;
                xa_time_format(ca, XA_CST_OFFSET, closed);
                hz.state = XA_HSTATE_CLOSED;
                hz.closed = closed;
                hz.closed_at = ca;
                b_check(xa_cstore_hazard_set_state(s, &hz, &e), &e, "state");
            }
        }
    }
    b_check(xa_cstore_commit(s, &e), &e, "commit");
    xa_cstore_close(s);
}

/* The report of a period: compute + text, CPU seconds (the machine is shared). */
static double report_once(const char *path, int64_t from, int64_t to)
{
    xa_cstore *s;
    xa_err e;
    b_check(xa_cstore_open(path, &s, &e), &e, "open");
    double t = b_cpu();
    struct xa_report_opts o = {.from = from, .to = to, .today = to + 5};
    struct xa_report *r;
    b_check(xa_report_compute(s, &o, &r, &e), &e, "report");
    xa_buf out = XA_BUF_INIT;
    b_check(xa_report_render(r, XA_REPORT_TEXT, &out, &e), &e, "render");
    t = b_cpu() - t;
    xa_buf_clear(&out);
    xa_report_free(r);
    xa_cstore_close(s);
    return t;
}

/* Count the rows of a walk (the floor does nothing else with them). */
static int count_hazard(const struct xa_cperiod_hazard *h, void *ctx)
{
    (void)h;
    ++*(size_t *)ctx;
    return 0;
}

static int count_visit(const struct xa_cperiod_visit *v, void *ctx)
{
    (void)v;
    ++*(size_t *)ctx;
    return 0;
}

/* The floor: the rows the report reads (the same streamed queries), read
 * and dropped, CPU seconds. */
static double read_once(const char *path, int64_t from, int64_t to)
{
    xa_cstore *s;
    xa_err e;
    b_check(xa_cstore_open(path, &s, &e), &e, "open");
    double t = b_cpu();
    int64_t from_at = from * 86400 - 8 * 3600, to_at = (to + 1) * 86400 - 8 * 3600;
    size_t nv = 0, nh = 0;
    b_check(xa_cstore_period_visits_each(s, NULL, to_at, count_visit, &nv, &e), &e, "visits");
    b_check(xa_cstore_period_hazards_each(s, NULL, from_at, to_at, count_hazard, &nh, &e), &e,
            "hazards");
    t = b_cpu() - t;
    xa_cstore_close(s);
    return t;
}

/* Run `xiaoan central ledger --format xlsx` (or, for the floor, `xiaoan
 * central settings`: the program opening the same store) as a child: its
 * peak RSS in bytes and wall seconds. */
static void child(const char *bin, const char *path, const char *xlsx, int floor, double *rss,
                  double *wall)
{
    /* -o never replaces a file without --force: each repetition writes a
     * new workbook, as an office does */
    if (unlink(xlsx) != 0 && errno != ENOENT)
        b_die("cannot remove %s", xlsx);
    double t = b_wall();
    pid_t pid = fork();
    if (pid < 0)
        b_die("fork failed");
    if (pid == 0) {
        setenv("XIAOAN_NOW", "2026-12-05T10:00:00+08:00", 1);
        if (!freopen("/dev/null", "w", stdout))
            _exit(3);
        if (floor)
            execl(bin, bin, "central", "settings", "--store", path, (char *)NULL);
        else
            execl(bin, bin, "central", "ledger", "--state", "all", "--format", "xlsx", "-o", xlsx,
                  "--store", path, (char *)NULL);
        _exit(4);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        b_die("the %s child failed", floor ? "floor" : "workbook");
    *wall = b_wall() - t;
    *rss = (double)ru.ru_maxrss * 1024.0;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        b_die("usage: bench_report WORKDIR XIAOAN");
    long scale = b_env("BENCH_SCALE", 1);
    size_t reps = (size_t)b_env("BENCH_REPS", 3);
    size_t nvisits = (size_t)(100000 * (scale > 0 ? scale : 1));
    /* BENCH_REUSE=1 keeps the filled store of the last run (for profiling) */
    int reuse = b_env("BENCH_REUSE", 0) > 0;
    char *dir = reuse ? xa_path_join(argv[1], "report") : b_tmpdir(argv[1], "report");
    char *db = xa_path_join(dir, "office.db"), *xlsx = xa_path_join(dir, "ledger.xlsx");
    if (reuse)
        xa_mkdir_p(dir, 0700, NULL);
    if (!reuse || access(db, F_OK) != 0) {
        b_note("report: filling a store with %zu visits, %zu hazards", nvisits, nvisits * 3);
        /* in a child, so this process stays small for the RSS figures
         * (a forked child starts with its parent's resident pages) */
        double t = b_wall();
        pid_t pid = fork();
        if (pid == 0) {
            fill(db, nvisits);
            _exit(0);
        }
        int st;
        if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
            b_die("filling the store failed");
        b_note("report: filled in %.1f s", b_wall() - t);
    }

    double *v = calloc(reps, sizeof *v), *f = calloc(reps, sizeof *f);
    char fig[160];
    double *w = calloc(reps, sizeof *w), *fw = calloc(reps, sizeof *fw);
    /* BENCH_NO_WORKBOOK=1: the report figures only (the workbook takes a minute) */
    int workbook = b_env("BENCH_NO_WORKBOOK", 0) <= 0;
    for (size_t i = 0; workbook && i < reps; i++) {
        child(argv[2], db, xlsx, 1, &f[i], &fw[i]);
        child(argv[2], db, xlsx, 0, &v[i], &w[i]);
    }
    if (workbook) {
        snprintf(fig, sizeof fig, "ledger xlsx: %zu rows, peak RSS", nvisits * 3);
        b_row(fig, "B", v, f, reps, "xiaoan central settings on the same store");
        snprintf(fig, sizeof fig, "ledger xlsx: %zu rows, wall", nvisits * 3);
        b_row(fig, "s", w, fw, reps, "xiaoan central settings on the same store");
    }
    int64_t nov1 = xa_days_from_civil(2026, 11, 1), nov30 = xa_days_from_civil(2026, 11, 30);
    int64_t jan1 = xa_days_from_civil(2026, 1, 1);
    for (size_t i = 0; i < reps; i++) {
        f[i] = read_once(db, nov1, nov30);
        v[i] = report_once(db, nov1, nov30);
    }
    snprintf(fig, sizeof fig, "report: November, %zu visits, %zu hazards, CPU", nvisits,
             nvisits * 3);
    b_row(fig, "s", v, f, reps, "read the same rows");
    for (size_t i = 0; i < reps; i++) {
        f[i] = read_once(db, jan1, nov30);
        v[i] = report_once(db, jan1, nov30);
    }
    snprintf(fig, sizeof fig, "report: 2026-01..11 (11 months), CPU");
    b_row(fig, "s", v, f, reps, "read the same rows");

    if (workbook)
        b_note("report: workbook %lld bytes", b_fsize(xlsx));
    free(v);
    free(f);
    free(w);
    free(fw);
    if (!reuse)
        b_rmrf(dir);
    free(dir);
    free(db);
    free(xlsx);
    return 0;
}
