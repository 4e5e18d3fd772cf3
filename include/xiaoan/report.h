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

#include "xiaoan/central.h"
#include "xiaoan/centralstore.h"
#include "xiaoan/error.h"
#include "xiaoan/mem.h"

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

/* Label of an answer result (符合 / 隐患 / 不适用 / 未查), of a follow-up verdict. */
const char *xa_answer_result_label(const char *result);
const char *xa_verdict_label(const char *verdict);

#endif
