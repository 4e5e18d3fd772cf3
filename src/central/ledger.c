/* ledger.c — the hazard ledger (隐患台账): text aligned by display width,
 * CSV for Excel (UTF-8 with BOM, CRLF, RFC 4180) and JSON. */
#include "xiaoan/cell.h"
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/utf8.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

xa_code xa_ledger_sel_parse(const char *s, xa_ledger_sel *out, xa_err *err)
{
    static const char *const names[] = {"open", "overdue", "closed", "all"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) {
            *out = (xa_ledger_sel)i;
            return XA_OK;
        }
    return xa_fail(err, XA_EUSAGE, "--state must be open, overdue, closed or all, not '%s'", s);
}

xa_code xa_out_format_parse(const char *s, xa_out_format *out, xa_err *err)
{
    static const char *const names[] = {"text", "csv", "json"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *out = (xa_out_format)i;
            return XA_OK;
        }
    return xa_fail(err, XA_EUSAGE, "--format must be text, csv or json, not '%s'", s);
}

void xa_csv_field(xa_buf *out, const char *s)
{
    if (!s)
        s = "";
    int guard = xa_cell_risky(s); /* the one formula guard (cell.h): = + - @ tab CR */
    int quote = guard || strpbrk(s, ",\"\r\n\t") != NULL ||
                (s[0] && (s[0] == ' ' || s[strlen(s) - 1] == ' '));
    if (!quote) {
        xa_buf_puts(out, s);
        return;
    }
    xa_buf_putc(out, '"');
    if (guard)
        xa_buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            xa_buf_putc(out, '"');
        xa_buf_putc(out, *p);
    }
    xa_buf_putc(out, '"');
}

/* The date part of an RFC 3339 time, in the offset it was recorded with. */
static void date_of(const char *t, char out[XA_DATE_MAX])
{
    int64_t at;
    int off;
    out[0] = '\0';
    if (t && xa_time_parse(t, &at, &off, NULL) == XA_OK)
        xa_date_format(xa_date_of(at, off), out);
}

/* The ledger columns: header, cap on the text width. */
enum {
    C_NO, C_FOUND, C_INSPECTOR, C_COUNTY, C_SCHOOL, C_LOCATION, C_DESC, C_CATEGORY, C_LEVEL,
    C_MEASURES, C_RESPONSIBLE, C_DEADLINE, C_STATE, C_RECHECK, C_RECHECKER, C_VERDICT, NCOLS
};
static const struct {
    const char *head;
    size_t cap;
} cols[NCOLS] = {
    {"隐患编号", 15}, {"发现日期", 10}, {"检查人", 10},  {"区县", 14},   {"学校", 24},
    {"部位", 16},     {"隐患描述", 30}, {"类别", 12},    {"等级", 4},    {"整改措施", 20},
    {"责任人", 10},   {"整改期限", 10}, {"状态", 6},     {"复查日期", 10}, {"复查人", 10},
    {"复查结论", 8},
};

/* The cells of one hazard, as new strings (text and CSV share them). */
static void cells(const struct xa_chazard *h, int64_t today, char *cell[NCOLS])
{
    char no[32], found[XA_DATE_MAX], check[XA_DATE_MAX];
    xa_hazard_number(h, no);
    date_of(h->found, found);
    date_of(h->last_check, check);
    cell[C_NO] = xa_strdup(no);
    cell[C_FOUND] = xa_strdup(found);
    cell[C_INSPECTOR] = xa_strdup(h->inspector_name ? h->inspector_name : "");
    cell[C_COUNTY] = xa_strdup(h->county ? h->county : "");
    cell[C_SCHOOL] = xa_strdup(h->school_name && *h->school_name ? h->school_name : h->school);
    cell[C_LOCATION] = xa_strdup(h->location);
    cell[C_DESC] = xa_strdup(h->description);
    cell[C_CATEGORY] = xa_strdup(xa_vocab_label_of(&xa_vocab_categories, h->category, 0));
    cell[C_LEVEL] = xa_strdup(xa_vocab_label_of(&xa_vocab_severities, h->severity, 0));
    cell[C_MEASURES] = xa_strdup(h->measures && *h->measures ? h->measures : h->requirement);
    cell[C_RESPONSIBLE] = xa_strdup(h->responsible);
    cell[C_DEADLINE] = xa_strdup(h->deadline);
    cell[C_STATE] = xa_strdup(xa_vocab_label(&xa_vocab_hstates, xa_hazard_state_on(h, today), 0));
    cell[C_RECHECK] = xa_strdup(check);
    cell[C_RECHECKER] = xa_strdup(h->last_checker_name ? h->last_checker_name
                                  : h->last_checker    ? h->last_checker
                                                       : "");
    cell[C_VERDICT] = xa_strdup(xa_vocab_label_of(&xa_vocab_verdicts, h->last_verdict, 0));
}

size_t xa_ledger_ncols(void)
{
    return NCOLS;
}

const char *xa_ledger_head(size_t j)
{
    return j < NCOLS ? cols[j].head : "";
}

int xa_ledger_col_is_date(size_t j)
{
    return j == C_FOUND || j == C_DEADLINE || j == C_RECHECK;
}

void xa_ledger_cells(const struct xa_chazard *h, int64_t today, char **cell)
{
    cells(h, today, cell);
}

static int selected(const struct xa_chazard *h, xa_ledger_sel sel, int64_t today)
{
    xa_hstate st = xa_hazard_state_on(h, today);
    switch (sel) {
    case XA_LEDGER_OPEN:
        return st != XA_HS_CLOSED;
    case XA_LEDGER_OVERDUE:
        return st == XA_HS_OVERDUE;
    case XA_LEDGER_CLOSED:
        return st == XA_HS_CLOSED;
    default:
        return 1;
    }
}

int xa_ledger_selected(const struct xa_chazard *h, xa_ledger_sel sel, int64_t today)
{
    return selected(h, sel, today);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *hazard_json(const struct xa_chazard *h, int64_t today)
{
    char no[32];
    xa_hazard_number(h, no);
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(no));
    json_object_set_new(o, "id", jstr(h->id));
    json_object_set_new(o, "found", jstr(h->found));
    json_object_set_new(o, "inspector", json_pack("{s:s?,s:s?}", "name", h->inspector_name,
                                                  "fingerprint", h->inspector));
    json_object_set_new(o, "school", json_pack("{s:s?,s:s?,s:s?}", "code", h->school, "name",
                                               h->school_name, "county", h->county));
    json_object_set_new(o, "visit", jstr(h->visit));
    json_object_set_new(o, "form", jstr(h->form));
    json_object_set_new(o, "code", jstr(h->code));
    json_object_set_new(o, "location", jstr(h->location));
    json_object_set_new(o, "description", jstr(h->description));
    json_object_set_new(o, "category", jstr(h->category));
    json_object_set_new(o, "severity", jstr(h->severity));
    json_object_set_new(o, "requirement", jstr(h->requirement));
    json_object_set_new(o, "measures", jstr(h->measures));
    json_object_set_new(o, "responsible", jstr(h->responsible));
    json_object_set_new(o, "deadline", jstr(h->deadline));
    json_object_set_new(o, "rectified_on_site", json_boolean(h->rectified_on_site));
    json_object_set_new(o, "state", json_string(xa_vocab_key(&xa_vocab_hstates, xa_hazard_state_on(h, today))));
    json_object_set_new(o, "closed", jstr(h->closed));
    json_object_set_new(o, "rechecks", json_integer(h->rechecks));
    json_object_set_new(o, "last_check", jstr(h->last_check));
    json_object_set_new(o, "last_verdict", jstr(h->last_verdict));
    json_object_set_new(o, "last_checker",
                        h->last_checker ? json_pack("{s:s?,s:s}", "name", h->last_checker_name,
                                                    "fingerprint", h->last_checker)
                                        : json_null());
    return o;
}

xa_code xa_ledger_write(xa_cstore *s, xa_ledger_sel sel, const char *county, xa_out_format fmt,
                        int64_t today, xa_buf *out, size_t *rows, xa_err *err)
{
    struct xa_chazard *hz = NULL;
    size_t n = 0;
    const char *state = sel == XA_LEDGER_CLOSED ? XA_HSTATE_CLOSED
                        : sel == XA_LEDGER_ALL  ? NULL
                                                : XA_HSTATE_OPEN;
    xa_code c = xa_cstore_hazards(s, county, state, &hz, &n, err);
    if (c != XA_OK)
        return c;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (selected(&hz[i], sel, today)) {
            if (k != i)
                hz[k] = hz[i];
            k++;
        } else {
            xa_chazard_clear(&hz[i]);
        }
    }
    if (fmt == XA_OUT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; i < k; i++)
            json_array_append_new(arr, hazard_json(&hz[i], today));
        char *txt = json_dumps(arr, JSON_INDENT(2));
        xa_buf_puts(out, txt ? txt : "[]");
        xa_buf_putc(out, '\n');
        free(txt);
        json_decref(arr);
    } else {
        char *(*cell)[NCOLS] = k ? xa_calloc(k, sizeof *cell) : NULL;
        for (size_t i = 0; i < k; i++)
            cells(&hz[i], today, cell[i]);
        if (fmt == XA_OUT_CSV) {
            xa_buf_puts(out, "\xEF\xBB\xBF");
            for (int j = 0; j < NCOLS; j++) {
                if (j)
                    xa_buf_putc(out, ',');
                xa_csv_field(out, cols[j].head);
            }
            xa_buf_puts(out, "\r\n");
            for (size_t i = 0; i < k; i++) {
                for (int j = 0; j < NCOLS; j++) {
                    if (j)
                        xa_buf_putc(out, ',');
                    xa_csv_field(out, cell[i][j]);
                }
                xa_buf_puts(out, "\r\n");
            }
        } else {
            size_t width[NCOLS];
            for (int j = 0; j < NCOLS; j++) {
                width[j] = xa_utf8_width(cols[j].head);
                for (size_t i = 0; i < k; i++) {
                    size_t w = xa_utf8_width(cell[i][j]);
                    if (w > width[j])
                        width[j] = w;
                }
                if (width[j] > cols[j].cap && cols[j].cap >= xa_utf8_width(cols[j].head))
                    width[j] = cols[j].cap;
            }
            const char *head[NCOLS];
            for (int j = 0; j < NCOLS; j++)
                head[j] = cols[j].head;
            xa_utf8_row(out, "", head, width, NULL, NCOLS);
            for (size_t i = 0; i < k; i++)
                xa_utf8_row(out, "", (const char *const *)cell[i], width, NULL, NCOLS);
        }
        for (size_t i = 0; i < k; i++)
            for (int j = 0; j < NCOLS; j++)
                free(cell[i][j]);
        free(cell);
    }
    if (rows)
        *rows = k;
    xa_chazards_free(hz, k);
    return XA_OK;
}
