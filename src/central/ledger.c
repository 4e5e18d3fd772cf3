/* ledger.c — the hazard ledger (隐患台账): text aligned by display width,
 * CSV for Excel (UTF-8 with BOM, CRLF, RFC 4180) and JSON.  Heads and
 * domain words in the user's language (the Chinese form in zh); JSON keys
 * and values never change. */
#include "xiaoan/cell.h"
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/i18n.h"
#include "xiaoan/table.h"
#include "xiaoan/vocab.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

xa_code xa_ledger_sel_parse(const char *s, xa_ledger_sel *out, xa_err *err)
{
    static const char *const names[] = {"open",      "rechecked", "overdue",
                                        "escalated", "closed",    "all"};
    for (int i = 0; i < 6; i++)
        if (!strcmp(s, names[i])) {
            *out = (xa_ledger_sel)i;
            return XA_OK;
        }
    return xa_fail(err, XA_EUSAGE,
                   "--state must be open, rechecked, overdue, escalated, closed or all, not '%s'",
                   s);
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

/* The ledger columns: header, cap on the text width.  The heads are msgids:
 * the Chinese ones (the bureau's 隐患台账 form) are their translations in
 * po/zh_CN.po, so the ledger follows the language like every output. */
enum {
    C_NO, C_FOUND, C_INSPECTOR, C_KIND, C_COUNTY, C_SCHOOL, C_LOCATION, C_DESC, C_CATEGORY,
    C_LEVEL, C_BASIS, C_REQUIREMENT, C_MEASURES, C_INTERIM, C_RESPONSIBLE, C_DEADLINE, C_STATE,
    C_NOTICE, C_NOTICE_DATE, C_REPLY, C_RECHECK, C_RECHECKER, C_VERDICT, C_NOTE, C_EXTENDED,
    C_ESCALATION, C_OVERDUE, C_CLOSED, C_CLOSER, NCOLS
};
static const struct {
    const char *head;
    size_t cap;
} cols[NCOLS] = {
    {N_("hazard number"), 16},        {N_("found on"), 10},
    {N_("inspector"), 10},            {N_("visit kind"), 10},
    {N_("county or district"), 14},   {N_("school"), 24},
    {N_("location"), 16},             {N_("hazard description"), 30},
    {N_("category"), 12},             {N_("severity"), 4},
    {N_("legal basis"), 24},          {N_("rectification requirement"), 20},
    {N_("measures taken on site"), 20}, {N_("interim control measures"), 20},
    {N_("responsible person"), 10},   {N_("rectification deadline"), 10},
    {N_("state"), 12},                {N_("notice number"), 22},
    {N_("notice date"), 10},          {N_("reply date"), 10},
    {N_("re-check date"), 10},        {N_("re-checked by"), 10},
    {N_("re-check verdict"), 8},      {N_("last re-check note"), 24},
    {N_("extended to"), 10},          {N_("escalation level"), 10},
    {N_("days overdue"), 8},          {N_("signed off on"), 10},
    {N_("signed off by"), 10},
};

/* The escalation cell: the level, or what it is due for. */
static char *escalation_cell(const struct xa_hview *v, const struct xa_loop_rules *r,
                             int64_t today)
{
    int en = !xa_i18n_zh();
    int due = xa_hloop_due(&v->l, r, today);
    if (due)
        return xa_asprintf(_("due for %s"), xa_vocab_label(&xa_vocab_escalations, due, en));
    return xa_strdup(v->l.escalation > 0
                         ? xa_vocab_label(&xa_vocab_escalations, v->l.escalation, en)
                         : "");
}

/* The cells of one hazard, as new strings (text and CSV share them). */
static void cells(const struct xa_hview *v, const struct xa_loop_rules *r, int64_t today,
                  char *cell[NCOLS])
{
    const struct xa_chazard *h = &v->h;
    const struct xa_hloop *l = &v->l;
    int en = !xa_i18n_zh(); /* the domain words in the ledger's language */
    char no[32], found[XA_DATE_MAX], check[XA_DATE_MAX], closed[XA_DATE_MAX];
    xa_hazard_number(h, no);
    xa_time_date(h->found, found);
    xa_time_date(l->last_check, check);
    xa_time_date(l->closed_at, closed);
    cell[C_NO] = xa_strdup(*l->number ? l->number : no);
    cell[C_FOUND] = xa_strdup(found);
    cell[C_INSPECTOR] = xa_strdup(h->inspector_name ? h->inspector_name : "");
    cell[C_KIND] = xa_strdup(v->kind && *v->kind ? xa_vocab_label_of(&xa_vocab_kinds, v->kind, en) : "");
    cell[C_COUNTY] = xa_strdup(h->county ? h->county : "");
    cell[C_SCHOOL] = xa_strdup(h->school_name && *h->school_name ? h->school_name : h->school);
    cell[C_LOCATION] = xa_strdup(h->location);
    cell[C_DESC] = xa_strdup(h->description);
    cell[C_CATEGORY] = xa_strdup(xa_vocab_label_of(&xa_vocab_categories, h->category, en));
    cell[C_LEVEL] = xa_strdup(xa_vocab_label_of(&xa_vocab_severities, h->severity, en));
    cell[C_BASIS] = xa_strdup(v->basis ? v->basis : "");
    cell[C_REQUIREMENT] = xa_strdup(h->requirement ? h->requirement : "");
    cell[C_MEASURES] = xa_strdup(h->measures ? h->measures : "");
    cell[C_INTERIM] = xa_strdup(l->interim);
    cell[C_RESPONSIBLE] = xa_strdup(h->responsible);
    cell[C_DEADLINE] = xa_strdup(l->deadline ? l->deadline : "");
    cell[C_STATE] = xa_strdup(xa_vocab_label_of(&xa_vocab_hstates, xa_hloop_shown_state(&v->l, today), en));
    cell[C_NOTICE] = xa_strdup(l->notice ? l->notice : "");
    cell[C_NOTICE_DATE] = xa_strdup(l->notice_date ? l->notice_date : "");
    cell[C_REPLY] = xa_strdup(l->reply_date ? l->reply_date : "");
    cell[C_RECHECK] = xa_strdup(check);
    cell[C_RECHECKER] = xa_strdup(l->last_checker ? l->last_checker : "");
    cell[C_VERDICT] = xa_strdup(xa_vocab_label_of(&xa_vocab_verdicts, l->last_verdict, en));
    cell[C_NOTE] = xa_strdup(l->last_note ? l->last_note : "");
    cell[C_EXTENDED] = xa_strdup(l->extended_to ? l->extended_to : "");
    cell[C_ESCALATION] = escalation_cell(v, r, today);
    int64_t late = xa_hloop_overdue(l, today);
    cell[C_OVERDUE] = late > 0 ? xa_asprintf("%lld", (long long)late) : xa_strdup("");
    cell[C_CLOSED] = xa_strdup(closed);
    cell[C_CLOSER] = xa_strdup(l->closed_by ? l->closed_by : "");
}

size_t xa_ledger_ncols(void)
{
    return NCOLS;
}

const char *xa_ledger_head(size_t j)
{
    return j < NCOLS ? _(cols[j].head) : "";
}

const char *xa_ledger_head_key(size_t j)
{
    return j < NCOLS ? cols[j].head : "";
}

int xa_ledger_col_is_date(size_t j)
{
    return j == C_FOUND || j == C_DEADLINE || j == C_RECHECK || j == C_NOTICE_DATE ||
           j == C_REPLY || j == C_EXTENDED || j == C_CLOSED;
}

void xa_ledger_cells(const struct xa_hview *v, const struct xa_loop_rules *r, int64_t today,
                     char **cell)
{
    cells(v, r, today, cell);
}

static int selected(const struct xa_hview *v, xa_ledger_sel sel, int64_t today)
{
    const char *st = v->l.state;
    switch (sel) {
    case XA_LEDGER_OPEN:
        return !strcmp(st, XA_HSTATE_OPEN);
    case XA_LEDGER_RECHECKED:
        return !strcmp(st, XA_HSTATE_RECHECKED);
    case XA_LEDGER_OVERDUE:
        return xa_hloop_overdue(&v->l, today) > 0;
    case XA_LEDGER_ESCALATED:
        return v->l.escalation > 0 && strcmp(st, XA_HSTATE_CLOSED) != 0;
    case XA_LEDGER_CLOSED:
        return !strcmp(st, XA_HSTATE_CLOSED);
    default:
        return 1;
    }
}

int xa_ledger_selected(const struct xa_hview *v, xa_ledger_sel sel, int64_t today)
{
    return selected(v, sel, today);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A string or null when empty. */
static json_t *jopt(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *xa_hazard_json(const struct xa_hview *v, const struct xa_loop_rules *r, int64_t today)
{
    const struct xa_chazard *h = &v->h;
    const struct xa_hloop *l = &v->l;
    char old[32], closed[XA_DATE_MAX];
    xa_hazard_number(h, old);
    xa_time_date(l->closed_at, closed);
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(*l->number ? l->number : old));
    json_object_set_new(o, "ledger_number", json_string(old));
    json_object_set_new(o, "id", jstr(h->id));
    json_object_set_new(o, "found", jstr(h->found));
    json_object_set_new(o, "inspector", json_pack("{s:s?,s:s?}", "name", h->inspector_name,
                                                  "fingerprint", h->inspector));
    json_object_set_new(o, "school", json_pack("{s:s?,s:s?,s:s?}", "code", h->school, "name",
                                               h->school_name, "county", h->county));
    json_object_set_new(o, "visit", jstr(h->visit));
    json_object_set_new(o, "kind", jopt(v->kind));
    json_object_set_new(o, "form", jstr(h->form));
    json_object_set_new(o, "code", jstr(h->code));
    json_object_set_new(o, "location", jstr(h->location));
    json_object_set_new(o, "description", jstr(h->description));
    json_object_set_new(o, "category", jstr(h->category));
    json_object_set_new(o, "severity", jstr(h->severity));
    json_object_set_new(o, "basis", jopt(v->basis));
    json_object_set_new(o, "requirement", jstr(h->requirement));
    json_object_set_new(o, "measures", jstr(h->measures));
    json_object_set_new(o, "interim", jopt(l->interim));
    json_object_set_new(o, "responsible", jstr(h->responsible));
    json_object_set_new(o, "deadline", jopt(l->deadline));
    json_t *hist = json_array();
    for (size_t i = 0; i < l->ndeadlines; i++)
        json_array_append_new(hist, json_pack("{s:s,s:s,s:s}", "date", l->deadlines[i].date,
                                              "reason", l->deadlines[i].why, "at",
                                              l->deadlines[i].at));
    json_object_set_new(o, "deadlines", hist);
    json_object_set_new(o, "extended", json_boolean(l->extended_to != NULL));
    json_object_set_new(o, "extended_to", jopt(l->extended_to));
    json_object_set_new(o, "rectified_on_site", json_boolean(h->rectified_on_site));
    json_object_set_new(o, "state", json_string(l->state));
    int64_t late = xa_hloop_overdue(l, today);
    json_object_set_new(o, "overdue", json_boolean(late > 0));
    json_object_set_new(o, "overdue_days", json_integer(late));
    json_object_set_new(o, "escalation", json_integer(l->escalation));
    json_object_set_new(o, "escalation_due", json_integer(xa_hloop_due(l, r, today)));
    json_object_set_new(o, "notice", jopt(l->notice));
    json_object_set_new(o, "notice_date", jopt(l->notice_date));
    json_object_set_new(o, "reply_date", jopt(l->reply_date));
    json_object_set_new(o, "rechecks", json_integer(l->rechecks));
    json_object_set_new(o, "last_check", jstr(l->last_check));
    json_object_set_new(o, "last_verdict", jstr(l->last_verdict));
    json_object_set_new(o, "last_checker", jstr(l->last_checker));
    json_object_set_new(o, "last_note", jopt(l->last_note));
    json_object_set_new(o, "closed", jstr(l->closed_at));
    json_object_set_new(o, "closed_on", jopt(closed));
    json_object_set_new(o, "closed_by", jopt(l->closed_by));
    json_object_set_new(o, "closed_how", jopt(l->closed_how));
    return o;
}

xa_code xa_ledger_write(xa_cstore *s, xa_ledger_sel sel, const char *county, xa_out_format fmt,
                        int64_t today, xa_buf *out, size_t *rows, xa_err *err)
{
    struct xa_hview *hz = NULL;
    size_t n = 0;
    struct xa_loop_rules r;
    xa_code c = xa_loop_rules_load(s, &r, err);
    if (c == XA_OK)
        c = xa_hazard_views(s, county, &hz, &n, err);
    if (c != XA_OK)
        return c;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (selected(&hz[i], sel, today)) {
            if (k != i)
                hz[k] = hz[i];
            k++;
        } else {
            xa_hview_clear(&hz[i]);
        }
    }
    if (fmt == XA_OUT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; i < k; i++)
            json_array_append_new(arr, xa_hazard_json(&hz[i], &r, today));
        char *txt = json_dumps(arr, JSON_INDENT(2));
        xa_buf_puts(out, txt ? txt : "[]");
        xa_buf_putc(out, '\n');
        free(txt);
        json_decref(arr);
    } else {
        char *(*cell)[NCOLS] = k ? xa_calloc(k, sizeof *cell) : NULL;
        for (size_t i = 0; i < k; i++)
            cells(&hz[i], &r, today, cell[i]);
        if (fmt == XA_OUT_CSV) {
            xa_buf_puts(out, "\xEF\xBB\xBF");
            for (int j = 0; j < NCOLS; j++) {
                if (j)
                    xa_buf_putc(out, ',');
                xa_csv_field(out, _(cols[j].head));
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
            const char *head[NCOLS];
            for (int j = 0; j < NCOLS; j++)
                head[j] = _(cols[j].head);
            xa_table *t = xa_table_new(NCOLS, head);
            for (int j = 0; j < NCOLS; j++)
                xa_table_col(t, (size_t)j, 0, cols[j].cap);
            for (size_t i = 0; i < k; i++)
                for (int j = 0; j < NCOLS; j++) {
                    xa_table_take(t, cell[i][j]); /* the table owns it now */
                    cell[i][j] = NULL;
                }
            xa_table_write(t, "", out);
            xa_table_free(t);
        }
        for (size_t i = 0; i < k; i++)
            for (int j = 0; j < NCOLS; j++)
                free(cell[i][j]);
        free(cell);
    }
    if (rows)
        *rows = k;
    xa_hviews_free(hz, k);
    return XA_OK;
}
