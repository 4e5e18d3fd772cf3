/* clock.c — RFC 3339 and calendar dates with integer arithmetic only.
 * The civil-date conversions are Howard Hinnant's well-known algorithms,
 * valid far beyond any date an inspection could carry. */
#include "xiaoan/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t xa_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void xa_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

/* Days in a month of a year. */
static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Read exactly n decimal digits. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Parse the leading "YYYY-MM-DD"; returns 0 when it is a real date. */
static int parse_ymd(const char *s, int *y, int *m, int *d)
{
    if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, m) || s[7] != '-' ||
        digits(s + 8, 2, d))
        return -1;
    if (*m < 1 || *m > 12 || *d < 1 || (unsigned)*d > month_days(*y, (unsigned)*m))
        return -1;
    return 0;
}

xa_code xa_date_parse(const char *s, int64_t *days, xa_err *err)
{
    int y, m, d;
    if (strlen(s) != 10 || parse_ymd(s, &y, &m, &d))
        return xa_fail(err, XA_EFORMAT, "not a date (YYYY-MM-DD): '%.40s'", s);
    *days = xa_days_from_civil(y, (unsigned)m, (unsigned)d);
    return XA_OK;
}

void xa_date_format(int64_t days, char out[XA_DATE_MAX])
{
    int64_t y;
    unsigned m, d;
    xa_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        strcpy(out, "0000-00-00");
        return;
    }
    snprintf(out, XA_DATE_MAX, "%04d-%02u-%02u", (int)y, m, d);
}

int64_t xa_date_of(int64_t t, int offset_min)
{
    int64_t local = t + (int64_t)offset_min * 60;
    return (local >= 0 ? local : local - 86399) / 86400;
}

int xa_time_date(const char *t, char out[XA_DATE_MAX])
{
    int64_t at;
    int off;
    out[0] = '\0';
    if (!t || xa_time_parse(t, &at, &off, NULL) != XA_OK)
        return 0;
    xa_date_format(xa_date_of(at, off), out);
    return 1;
}

xa_code xa_time_parse(const char *s, int64_t *t, int *offset_min, xa_err *err)
{
    int y, mo, d, h, mi, se;
    const char *p = s;
    if (strlen(s) < 20 || parse_ymd(p, &y, &mo, &d) || (p[10] != 'T' && p[10] != 't') ||
        digits(p + 11, 2, &h) || p[13] != ':' || digits(p + 14, 2, &mi) || p[16] != ':' ||
        digits(p + 17, 2, &se) || h > 23 || mi > 59 || se > 60)
        goto bad;
    p += 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            goto bad;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int off;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        off = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
            goto bad;
        off = oh * 60 + om;
        if (*p == '-')
            off = -off;
    } else {
        goto bad;
    }
    if (se == 60)
        se = 59; /* a leap second is recorded as the second before it */
    int64_t days = xa_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *t = days * 86400 + h * 3600 + mi * 60 + se - (int64_t)off * 60;
    if (offset_min)
        *offset_min = off;
    return XA_OK;
bad:
    return xa_fail(err, XA_EFORMAT, "not an RFC 3339 time: '%.40s'", s);
}

void xa_time_format(int64_t t, int offset_min, char out[XA_RFC3339_MAX])
{
    int64_t local = t + (int64_t)offset_min * 60;
    int64_t days = (local >= 0 ? local : local - 86399) / 86400;
    int64_t secs = local - days * 86400;
    int64_t y;
    unsigned m, d;
    xa_civil_from_days(days, &y, &m, &d);
    unsigned off = (unsigned)(offset_min < 0 ? -offset_min : offset_min) % 1440;
    unsigned hh = (unsigned)(secs / 3600) % 24, mm = (unsigned)(secs / 60 % 60), ss = (unsigned)(secs % 60);
    unsigned yy = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y);
    m %= 13;
    d %= 32;
    if (offset_min == 0)
        snprintf(out, XA_RFC3339_MAX, "%04u-%02u-%02uT%02u:%02u:%02uZ", yy, m, d, hh, mm, ss);
    else
        snprintf(out, XA_RFC3339_MAX, "%04u-%02u-%02uT%02u:%02u:%02u%c%02u:%02u", yy, m, d, hh,
                 mm, ss, offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

int64_t xa_now(void)
{
    const char *fixed = getenv("XIAOAN_NOW");
    int64_t t;
    if (fixed && *fixed && xa_time_parse(fixed, &t, NULL, NULL) == XA_OK)
        return t;
    return (int64_t)time(NULL);
}

/* Milliseconds on the monotonic clock: for debouncing and timeouts, never dates. */
int64_t xa_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
