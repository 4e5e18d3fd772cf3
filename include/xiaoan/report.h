/* report.h — what the office hands up and looks at (src/central): the
 * office's view of visits (visits.c), the period report (月报/季报) computed
 * once and rendered as text, CSV, JSON, XLSX and PDF (report.c,
 * report_out.c, report_xlsx.c, report_pdf.c), and the hazard ledger as a
 * workbook (ledger_xlsx.c).
 *
 * Every figure of a report is computed by xa_report_compute into one
 * struct xa_report; the renderers only lay it out, so every format carries
 * the same numbers. */
#ifndef XIAOAN_REPORT_H
#define XIAOAN_REPORT_H

#include "xiaoan/assign.h"
#include "xiaoan/central.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/error.h"
#include "xiaoan/mem.h"
#include "xiaoan/vocab.h"

#include <stddef.h>
#include <stdint.h>

/* ---- visits at the office (visits.c) --------------------------------------------- */

/* The visits that match f, as text (one row each, aligned by display width),
 * CSV (UTF-8 with BOM, CRLF) or JSON (an array).  *rows gets the count. */
xa_code xa_visits_write(xa_cstore *s, const struct xa_cvisit_filter *f, xa_out_format fmt,
                        xa_buf *out, size_t *rows, xa_err *err);

/* One visit in full: school, kind, team, the four-not attestations, gate
 * and first-site times, every answer by form (result, count, text, note),
 * hazards with their state, follow-ups, the signature checked again with the
 * inspector's enrolled key, the chain status and the bundles that carried
 * it.  id may be a unique prefix (at least 6 hex digits).  fmt text or json. */
xa_code xa_visit_write(xa_cstore *s, const char *id, xa_out_format fmt, int64_t today,
                       xa_buf *out, xa_err *err);


/* ---- the period report (report.c) ---------------------------------------------------- */


/* The figures of one county (or the total row) for the period. */
struct xa_rcounty {
    char *name, *code;
    int64_t schools;              /* in the roster */
    int64_t visited;              /* roster schools with a visit in the period */
    int64_t visits, by_kind[XA_KIND_N];
    int64_t found_general, found_major; /* found in the period */
    int64_t closed;               /* closed (销号) in the period, whenever found */
    int64_t found_closed;         /* of those found in the period, closed by its end */
    int64_t open_general, open_major;   /* open at the period's end */
    int64_t overdue;              /* not closed and past the deadline at the end */
    int64_t escalated;            /* open and escalated (督办/挂牌督办) at the end */
    int64_t major_due;            /* majors open at the start or found in the period */
    int64_t major_cleared;        /* of them, closed by the end (清零率 = cleared / due) */
};

/* One month of the trend, clipped to the period. */
struct xa_rmonth {
    int64_t year;
    unsigned month;
    int64_t first, last;          /* days */
    int64_t found, closed, open_end;
};

/* Hazards found in the period by category. */
struct xa_rcategory {
    char *key;
    int64_t general, major;
};

/* A hazard the report lists (an open major or an overdue one at the period's
 * end): only what the lists show, worked out once; the strings live in the
 * report's arena.  The rows the figures are counted from are never kept. */
struct xa_rhazard {
    const char *id, *number;      /* number: 莲都-2026-0012, else the old 20261110-B40000 */
    const char *school, *school_name, *county, *category, *severity, *description;
    int64_t found_at;
    int64_t deadline;             /* the day in force at the end, XA_NO_DEADLINE */
    int64_t overdue;              /* days overdue at the end (the loop's rule) */
    int escalation;               /* level at the end: 0, 1 督办, 2 挂牌督办 */
    int escalation_due;           /* the level it is due for at the end (0 none) */
    int open_major;               /* in the open-major list */
};

struct xa_rarena; /* report.c */

struct xa_report {
    char *office;                 /* the office's name (title) */
    char *county;                 /* the one county asked for, or NULL */
    int64_t from, to, made;       /* days */
    int en;                       /* English labels */
    int64_t unvisited_days;       /* report.unvisited_days */
    struct xa_rcounty *counties;  /* 市直 first, then by code; unknown names after */
    size_t ncounties;
    struct xa_rcounty total;
    struct xa_rmonth *months;     /* every month the period touches */
    size_t nmonths;
    struct xa_rcategory *categories; /* most found first */
    size_t ncategories;
    struct xa_cschool *schools;   /* the roster (of the county) */
    size_t nschools;
    int64_t *last_visit;          /* per school: the day of its last visit by the end, -1 never */
    char *visited_in;             /* per school: visited in the period */
    struct xa_rhazard *hazards;   /* the listed hazards, by finding time then id */
    size_t nhazards;
    size_t nledger;               /* hazards found in the period or open at its start */
    size_t *open_major, nopen_major; /* indices into hazards: open majors at the end */
    size_t *overdue, noverdue;    /* overdue at the end */
    size_t *unvisited, nunvisited; /* school indices not visited in unvisited_days */
    struct xa_assign_tally *assign; /* 检查任务 due in the period, by county (assign.h) */
    size_t nassign;
    struct xa_canomaly *anomalies;
    size_t nanomalies;
    struct xa_cquarantine *quarantine;
    size_t nquarantine;
    struct xa_caction *escal;     /* the office's escalations by hazard and time (the
                                   * loop's hazard_actions), for the escalation figures */
    size_t nescal, nescal_alloc;
    struct xa_caction *dlact;     /* the office's deadline moves (extend; re-check partly/not
                                   * with a date) by hazard and time, inside escal's array */
    size_t ndlact;
    struct xa_rarena *arena;      /* the listed hazards' strings */
    int64_t escalate_after;       /* escalate.after_days, for the escalations due */
};

struct xa_report_opts {
    int64_t from, to;             /* days, inclusive */
    const char *county;           /* full name (county.h) or NULL for the city */
    int en;
    int64_t today;                /* the date it is made */
};

/* The period from --from / --to (either may be NULL): to defaults to today,
 * from to the first day of to's month.  XA_EFORMAT for a bad date or a
 * period that starts after it ends. */
xa_code xa_report_period(const char *from, const char *to, int64_t today, int64_t *f,
                         int64_t *t, xa_err *err);

/* Compute every figure of the report. */
xa_code xa_report_compute(xa_cstore *s, const struct xa_report_opts *o, struct xa_report **out,
                          xa_err *err);
void xa_report_free(struct xa_report *r);

/* Per-hazard figures the lists show, as of the period's end. */
int64_t xa_report_days_open(const struct xa_report *r, const struct xa_rhazard *h);
int64_t xa_report_found_day(const struct xa_rhazard *h);
/* The list cell of the escalation: the level at the end, or the one due
 * ("应督办", "应挂牌督办"; escalate.after_days, the ledger's rule). */
const char *xa_report_escalation_cell(const struct xa_report *r, const struct xa_rhazard *h);
/* Does the ledger sheet list h (found in the period or open at its start)? */
int xa_report_in_ledger(const struct xa_report *r, const struct xa_chazard *h);

/* ---- rendering (report_out.c, report_xlsx.c, report_pdf.c) ------------------------------ */

typedef enum {
    XA_REPORT_TEXT,
    XA_REPORT_CSV,
    XA_REPORT_JSON,
    XA_REPORT_XLSX,
    XA_REPORT_PDF
} xa_report_format;

/* text|csv|json|xlsx|pdf; XA_EUSAGE otherwise. */
xa_code xa_report_format_parse(const char *s, xa_report_format *out, xa_err *err);

/* Text (aligned by display width), CSV (UTF-8 with BOM, CRLF, one section
 * after another) or JSON, appended to out. */
xa_code xa_report_render(const struct xa_report *r, xa_report_format fmt, xa_buf *out,
                         xa_err *err);
/* The workbook: sheets 汇总, 分县统计, 按月统计, 隐患台账, 重大隐患, 逾期隐患, 未检查学校 and
 * native charts (found vs closed by county, the monthly trend, hazards by
 * category). */
xa_code xa_report_xlsx(xa_cstore *s, const struct xa_report *r, const char *path, int flags,
                       xa_err *err);
/* The A4 print-ready PDF: the same tables, the charts drawn.  flags of the
 * file writers: XA_OUT_FORCE (fsutil.h) replaces an existing path. */
xa_code xa_report_pdf(const struct xa_report *r, const char *path, int flags, xa_err *err);

/* Shared by the renderers: the label in the report's language; a day as
 * 2026年11月1日 (or 2026-11-01 in English); a rate num/den to one decimal
 * ("85.7%", "—" when den is 0) and as tenths of a percent (-1 when den is
 * 0); a county's name in the report's language; "2026年11月1日至2026年11月30日";
 * the report's title. */
const char *xa_report_label(const struct xa_report *r, const char *zh, const char *en);
void xa_report_date(const struct xa_report *r, int64_t day, char out[40]);
void xa_report_rate(int64_t num, int64_t den, char out[32]);
int64_t xa_report_rate10(int64_t num, int64_t den);
const char *xa_report_county_label(const struct xa_report *r, const char *name);
char *xa_report_period_text(const struct xa_report *r);
const char *xa_report_title(const struct xa_report *r);

/* The report's tables as text cells, in order (coverage, hazards, by month
 * when more than one month, by category, open majors, assignments, overdue, unvisited, anomalies,
 * quarantine): at most XA_REPORT_TABLES; all_kinds: a column for every
 * visit kind (else only kinds with visits).  *owned is a title string the
 * caller frees; each table is freed with xa_rtable_clear. */
#define XA_REPORT_TABLES 10
struct xa_rtable {
    const char *title;
    size_t ncols, nrows;
    const char **heads;
    char **cells; /* nrows * ncols */
    int *right;   /* right-aligned (numbers) */
    size_t cap;   /* rows cells has room for */
};
size_t xa_report_tables(const struct xa_report *r, struct xa_rtable *t, int all_kinds,
                        char **owned);
void xa_rtable_clear(struct xa_rtable *t);
/* "三、TITLE" (English "3. TITLE") for table i, a new string. */
char *xa_report_numbered(const struct xa_report *r, size_t i, const char *title);

/* The text ledger fitted to width columns (0: every column at full width):
 * the most important columns that fit, long cells cut with … at display
 * width.  Same selection as xa_ledger_write; *rows gets the count. */
xa_code xa_ledger_fit(xa_cstore *s, xa_ledger_sel sel, const char *county, int64_t today,
                      size_t width, xa_buf *out, size_t *rows, xa_err *err);

/* The hazard ledger as a workbook: every column, one row per hazard (the
 * same selection as xa_ledger_write), constant-memory mode, hazards read
 * one at a time from the store; by_county adds a sheet per county.
 * *rows gets the number of hazards. */
xa_code xa_ledger_xlsx(xa_cstore *s, xa_ledger_sel sel, const char *county, int64_t today,
                       int by_county, const char *path, int flags, size_t *rows, xa_err *err);


#endif
