/* util.c — clocks, statistics, result rows and small file helpers for the
 * benchmark programs (bench.h). */
#include "bench.h"

#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double b_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double b_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double *sorted(const double *v, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        abort();
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_d);
    return s;
}

double b_median(const double *v, size_t n)
{
    if (!n)
        return NAN;
    double *s = sorted(v, n);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}

double b_pct(const double *v, size_t n, double p)
{
    if (!n)
        return NAN;
    double *s = sorted(v, n);
    size_t k = (size_t)ceil(p / 100.0 * (double)n);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    double r = s[k - 1];
    free(s);
    return r;
}

void b_row(const char *figure, const char *unit, const double *v, const double *f, size_t reps,
           const char *floor_name)
{
    double *ratio = malloc((reps ? reps : 1) * sizeof *ratio);
    if (!ratio)
        abort();
    for (size_t i = 0; i < reps; i++)
        ratio[i] = f[i] > 0 ? v[i] / f[i] : NAN;
    printf("ROW\t%s\t%.6g\t%s\t%.6g\t%s\t%.3g\t%zu\n", figure, b_median(v, reps), unit,
           b_median(f, reps), floor_name, b_median(ratio, reps), reps);
    fflush(stdout);
    free(ratio);
}

void b_row1(const char *figure, const char *unit, double value, double floor,
            const char *floor_name, size_t reps)
{
    printf("ROW\t%s\t%.6g\t%s\t%.6g\t%s\t%.3g\t%zu\n", figure, value, unit, floor, floor_name,
           floor > 0 ? value / floor : NAN, reps);
    fflush(stdout);
}

void b_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("  .. ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void b_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

void b_check(xa_code code, const xa_err *err, const char *what)
{
    if (code != XA_OK)
        b_die("%s: %s", what, xa_err_msg(err));
}

long b_env(const char *name, long def)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    char *end;
    long x = strtol(v, &end, 10);
    if (*end || x <= 0)
        b_die("%s=%s: want a positive integer", name, v);
    return x;
}

void b_rmrf(const char *path)
{
    pid_t p = fork();
    if (p == 0) {
        execlp("rm", "rm", "-rf", "--", path, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
}

char *b_tmpdir(const char *base, const char *name)
{
    char *d = xa_asprintf("%s/%s", base, name);
    b_rmrf(d);
    xa_err e;
    b_check(xa_mkdir_p(d, 0700, &e), &e, d);
    return d;
}

void b_copy(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        b_die("open %s: %s", from, strerror(errno));
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0)
        b_die("create %s: %s", to, strerror(errno));
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            b_die("write %s: %s", to, strerror(errno));
    close(in);
    close(out);
}

void b_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        b_die("write %s: %s", path, strerror(errno));
}

long long b_fsize(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        b_die("stat %s: %s", path, strerror(errno));
    return (long long)st.st_size;
}

long long b_peak_rss(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long long kb = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kb = atoll(line + 6);
    fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

void b_sh(const char *cmd)
{
    pid_t p = fork();
    if (p < 0)
        b_die("fork: %s", strerror(errno));
    if (p == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int st;
    if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        b_die("command failed: %s", cmd);
}

double b_children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}
