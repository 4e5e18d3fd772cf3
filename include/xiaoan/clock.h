/* clock.h — time as inspections record it: RFC 3339 with an offset
 * (inspections happen in China Standard Time, +08:00), and calendar dates
 * for rectification deadlines.  Integers only: no floating point anywhere.
 *
 * For tests and reproducible demos, XIAOAN_NOW=<RFC 3339> fixes "now". */
#ifndef XIAOAN_CLOCK_H
#define XIAOAN_CLOCK_H

#include "xiaoan/error.h"

#include <stdint.h>

#define XA_CST_OFFSET 480 /* minutes east of UTC: +08:00 */
#define XA_RFC3339_MAX 40 /* "2026-11-29T21:38:00+08:00" + NUL, with room */
#define XA_DATE_MAX 11    /* "2026-11-29" + NUL */

/* Seconds since the Unix epoch (honours XIAOAN_NOW). */
int64_t xa_now(void);

/* Milliseconds on a monotonic clock (intervals only; not XIAOAN_NOW). */
int64_t xa_mono_ms(void);

/* Parse "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)"; 't'/'z' accepted, fraction
 * ignored.  Stores seconds since the epoch and the offset in minutes. */
xa_code xa_time_parse(const char *s, int64_t *t, int *offset_min, xa_err *err);

/* Format t as RFC 3339 at the given offset (seconds precision). */
void xa_time_format(int64_t t, int offset_min, char out[XA_RFC3339_MAX]);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t xa_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The civil date of a day number. */
void xa_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Parse "YYYY-MM-DD" (a real calendar date) into a day number. */
xa_code xa_date_parse(const char *s, int64_t *days, xa_err *err);
/* Format a day number as "YYYY-MM-DD". */
void xa_date_format(int64_t days, char out[XA_DATE_MAX]);
/* The local calendar day of instant t at offset_min. */
int64_t xa_date_of(int64_t t, int offset_min);
/* The date part ("YYYY-MM-DD") of an RFC 3339 time in the offset it was
 * recorded with; 1, or 0 and "" when t is NULL or unreadable. */
int xa_time_date(const char *t, char out[XA_DATE_MAX]);

#endif
