/* visits.c — the office's view of visits (`central visits`, `central visit`):
 * a filtered list, and one visit in full read back from its signed record —
 * what the inspector attested, when they reached the gate and the first
 * site, every answer by form, the hazards and follow-ups, the signature
 * checked again and where the visit stands in the inspector's chain. */
#include "xiaoan/report.h"
#include "xiaoan/clock.h"
#include "xiaoan/i18n.h"
#include "xiaoan/identity.h"
#include "xiaoan/table.h"
#include "xiaoan/utf8.h"
#include "xiaoan/visit.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "2026-11-03 09:12" from RFC 3339 in the offset it was recorded with ("" if absent). */
static void minute_of(const char *t, char out[XA_RFC3339_MAX])
{
    out[0] = '\0';
    if (!t || !*t)
        return;
    char full[XA_RFC3339_MAX];
    snprintf(full, sizeof full, "%s", t);
    if (strlen(full) >= 16 && full[10] == 'T') {
        full[10] = ' ';
        full[16] = '\0';
    }
    snprintf(out, XA_RFC3339_MAX, "%s", full);
}

/* ---- the list ---------------------------------------------------------------------- */

enum { L_ID, L_ARRIVED, L_COUNTY, L_SCHOOL, L_KIND, L_INSPECTOR, L_ANSWERS, L_HAZARDS, L_FOLLOW,
       L_CORR, LCOLS };
static const char *const list_heads[LCOLS] = {
    N_("record id"), N_("arrived"), N_("county"),     N_("school"),     N_("visit kind"),
    N_("inspector"), N_("answers"), N_("hazards"),    N_("follow-ups"), N_("correction")};

/* The correction cell: "corrects 1a2b3c4d" / 更正 (this visit corrects that one) and/or
 * "被 5e6f7a8b 更正" (a later visit corrects this one); "" when neither. */
static char *corr_cell(const struct xa_cvisit_row *r, int full)
{
    int w = full ? 32 : 8;
    if (r->v.corrects && r->corrected_by)
        return xa_asprintf(_("corrects %.*s; corrected by %.*s"), w, r->v.corrects, w,
                           r->corrected_by);
    if (r->v.corrects)
        return xa_asprintf(_("corrects %.*s"), w, r->v.corrects);
    if (r->corrected_by)
        return xa_asprintf(_("corrected by %.*s"), w, r->corrected_by);
    return xa_strdup("");
}

static json_t *row_json(const struct xa_cvisit_row *r)
{
    const struct xa_cvisit *v = &r->v;
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:s,s:s},s:s,s:{s:s,s:s},s:I,s:I,s:I,s:I,s:s?,s:s?,s:s}",
                     "id", v->id, "arrived", v->arrived, "sealed", v->sealed, "school", "code",
                     v->school, "name", v->school_name, "county", v->county, "kind", v->kind,
                     "inspector", "name", r->inspector_name, "fingerprint", v->inspector, "seq",
                     (json_int_t)v->seq, "answers", (json_int_t)r->answers, "hazards",
                     (json_int_t)r->hazards, "followups", (json_int_t)r->followups, "corrects",
                     v->corrects, "corrected_by", r->corrected_by, "received", v->received);
}

xa_code xa_visits_write(xa_cstore *s, const struct xa_cvisit_filter *f, xa_out_format fmt,
                        xa_buf *out, size_t *rows, xa_err *err)
{
    struct xa_cvisit_row *v = NULL;
    size_t n = 0;
    xa_code c = xa_cstore_visit_rows(s, f, &v, &n, err);
    if (c != XA_OK)
        return c;
    if (rows)
        *rows = n;
    if (fmt == XA_OUT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, row_json(&v[i]));
        char *txt = json_dumps(arr, JSON_INDENT(2));
        xa_buf_puts(out, txt ? txt : "[]");
        xa_buf_putc(out, '\n');
        free(txt);
        json_decref(arr);
        xa_cvisit_rows_free(v, n);
        return XA_OK;
    }
    int en = !xa_i18n_zh();
    char **cells = xa_calloc((n + 1) * LCOLS, sizeof *cells);
    for (int j = 0; j < LCOLS; j++)
        cells[j] = xa_strdup(_(list_heads[j]));
    for (size_t i = 0; i < n; i++) {
        char **r = &cells[(i + 1) * LCOLS];
        char at[XA_RFC3339_MAX];
        minute_of(v[i].v.arrived, at);
        r[L_ID] = fmt == XA_OUT_CSV ? xa_strdup(v[i].v.id) : xa_strndup(v[i].v.id, 12);
        r[L_ARRIVED] = xa_strdup(at);
        r[L_COUNTY] = xa_strdup(v[i].v.county);
        r[L_SCHOOL] = xa_strdup(v[i].v.school_name);
        r[L_KIND] = xa_strdup(xa_vocab_label_of(&xa_vocab_kinds, v[i].v.kind, en));
        r[L_INSPECTOR] = xa_strdup(*v[i].inspector_name ? v[i].inspector_name : v[i].v.inspector);
        r[L_ANSWERS] = xa_asprintf("%lld", (long long)v[i].answers);
        r[L_HAZARDS] = xa_asprintf("%lld", (long long)v[i].hazards);
        r[L_FOLLOW] = xa_asprintf("%lld", (long long)v[i].followups);
        r[L_CORR] = corr_cell(&v[i], fmt == XA_OUT_CSV);
    }
    if (fmt == XA_OUT_CSV) {
        xa_buf_puts(out, "\xEF\xBB\xBF");
        for (size_t i = 0; i <= n; i++) {
            for (int j = 0; j < LCOLS; j++) {
                if (j)
                    xa_buf_putc(out, ',');
                xa_csv_field(out, cells[i * LCOLS + (size_t)j]);
            }
            xa_buf_puts(out, "\r\n");
        }
    } else {
        static const size_t cap[LCOLS] = {12, 16, 14, 28, 10, 12, 6, 4, 4, 30};
        xa_table *t = xa_table_new(LCOLS, (const char *const *)cells);
        for (int j = 0; j < LCOLS; j++)
            xa_table_col(t, (size_t)j, j >= L_ANSWERS && j <= L_FOLLOW, cap[j]);
        for (size_t i = 1; i <= n; i++)
            xa_table_row(t, (const char *const *)&cells[i * LCOLS]);
        xa_table_write(t, "", out);
        xa_table_free(t);
    }
    xa_strv_free(cells, (n + 1) * LCOLS);
    xa_cvisit_rows_free(v, n);
    return XA_OK;
}

/* ---- one visit -------------------------------------------------------------------- */

/* What the office can say about a visit besides its record. */
struct vstatus {
    const char *sig;      /* valid | invalid | unknown-key */
    char sig_reason[XA_ERR_MSG_MAX];
    const char *chain;    /* intact | gap | break | fork */
    char chain_detail[160];
};

/* Check the signature again with the inspector's enrolled key. */
static xa_code check_signature(xa_cstore *s, const struct xa_cvisit *v, const json_t *record,
                               struct vstatus *st, xa_err *err)
{
    struct xa_inspector in;
    xa_err e;
    xa_code c = xa_cstore_inspector_get(s, v->inspector, &in, &e);
    if (c == XA_ENOTFOUND) {
        st->sig = "unknown-key";
        snprintf(st->sig_reason, sizeof st->sig_reason, "%s", xa_err_msg(&e));
        return XA_OK;
    }
    if (c != XA_OK) {
        if (err)
            *err = e;
        return c;
    }
    uint8_t pk[XA_SIGN_PK_BYTES];
    xa_visit_verified ver;
    if (xa_b64_decode_exact(in.sign_key, pk, sizeof pk, &e) != XA_OK ||
        xa_visit_verify_record(record, pk, &ver, &e) != XA_OK) {
        st->sig = "invalid";
        snprintf(st->sig_reason, sizeof st->sig_reason, "%s", xa_err_msg(&e));
    } else {
        st->sig = "valid";
    }
    xa_inspector_clear(&in);
    return XA_OK;
}

/* Where the visit stands in its inspector's chain. */
static xa_code check_chain(xa_cstore *s, const struct xa_cvisit *v, struct vstatus *st,
                           xa_err *err)
{
    struct xa_clink *l = NULL;
    size_t n = 0;
    xa_code c = xa_cstore_visit_chain(s, v->inspector, &l, &n, err);
    if (c != XA_OK)
        return c;
    size_t same = 0, before = 0;
    int linked = 0;
    for (size_t i = 0; i < n; i++) {
        if (l[i].seq == v->seq && strcmp(l[i].id, v->id))
            same++;
        if (l[i].seq == v->seq - 1) {
            before++;
            if (v->prev && !strcmp(l[i].hash, v->prev))
                linked = 1;
        }
    }
    xa_clinks_free(l, n);
    if (same) {
        st->chain = "fork";
        snprintf(st->chain_detail, sizeof st->chain_detail, _("record %lld exists in %zu different versions"),
                 (long long)v->seq, same + 1);
    } else if (v->seq == 1 || linked) {
        st->chain = "intact";
        snprintf(st->chain_detail, sizeof st->chain_detail, _("record %lld, linked to the one before"),
                 (long long)v->seq);
        if (v->seq == 1)
            snprintf(st->chain_detail, sizeof st->chain_detail, "%s", _("record 1"));
    } else if (!before) {
        st->chain = "gap";
        snprintf(st->chain_detail, sizeof st->chain_detail, _("record %lld is missing"),
                 (long long)v->seq - 1);
    } else {
        st->chain = "break";
        snprintf(st->chain_detail, sizeof st->chain_detail, _("not linked to record %lld"),
                 (long long)v->seq - 1);
    }
    return XA_OK;
}

static const char *chain_label(const char *c)
{
    if (!strcmp(c, "intact"))
        return _("intact");
    if (!strcmp(c, "gap"))
        return _("gap");
    if (!strcmp(c, "fork"))
        return _("fork");
    return _("broken");
}

static const char *sig_label(const char *c)
{
    if (!strcmp(c, "valid"))
        return _("valid");
    if (!strcmp(c, "unknown-key"))
        return _("inspector not enrolled");
    return _("invalid");
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static const char *jstr_at(const json_t *a, size_t i)
{
    const char *s = json_string_value(json_array_get(a, i));
    return s ? s : "";
}

/* A label: value line, the value sanitised. */
static void line(xa_buf *out, const char *label, const char *value)
{
    char *v = xa_utf8_sanitize(value, strlen(value), 0);
    char *l = xa_utf8_pad(label, xa_i18n_zh() ? 10 : 20, 0); /* English labels are longer */
    xa_buf_printf(out, "%s  %s\n", l, v);
    free(l);
    free(v);
}

/* line() with a formatted value. */
static void linef(xa_buf *out, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void linef(xa_buf *out, const char *label, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xa_buf v = XA_BUF_INIT;
    xa_buf_vprintf(&v, fmt, ap);
    va_end(ap);
    line(out, label, v.len ? v.data : "");
    xa_buf_clear(&v);
}

/* Append "  LABEL VALUE" (or "  VALUE" without a label) when value is not empty. */
static void field(xa_buf *l, const char *label, const char *value)
{
    if (!*value)
        return;
    if (*label)
        xa_buf_printf(l, "  %s %s", label, value);
    else
        xa_buf_printf(l, "  %s", value);
}

/* Write one built row of a section, sanitised, and free it; trim drops the
 * trailing blanks first. */
static void emit(xa_buf *out, xa_buf *l, int trim)
{
    if (trim)
        while (l->len && l->data[l->len - 1] == ' ')
            l->data[--l->len] = '\0';
    char *clean = xa_utf8_sanitize(l->len ? l->data : "", l->len, 0);
    xa_buf_printf(out, "%s\n", clean);
    free(clean);
    xa_buf_clear(l);
}

/* The hazards of this visit as the ledger shows them now: the registration
 * number (莲都-2026-0012; the old date-and-id number before registration)
 * and the state from the loop, 逾期 by its rule (hazard.c). */
static void stored_hazard(xa_cstore *s, const char *id, int64_t today, char no[32],
                          const char **state)
{
    struct xa_hview v;
    no[0] = '\0';
    *state = NULL;
    if (xa_hazard_loop_view(s, id, &v, NULL) != XA_OK)
        return;
    if (*v.l.number)
        snprintf(no, 32, "%s", v.l.number);
    else
        xa_hazard_number(&v.h, no);
    *state = xa_hloop_shown_state(&v.l, today);
    xa_hview_clear(&v);
}

/* The visit's answers in the order of its forms' items, each with the item
 * of the form version the visit used, read from the forms the store has
 * imported (docs[i] NULL when that version is not there: then by code only,
 * in the record's order). */
struct vanswer {
    const json_t *ans;
    const json_t *item; /* the form's item object, or NULL */
    size_t form;        /* index in the record's "forms"; SIZE_MAX when none */
};
struct vforms {
    json_t **docs; /* one per record form */
    size_t nforms;
    struct vanswer *rows;
    size_t n;
};

/* The item's text in the user's language ("" without an item). */
static const char *item_text(const json_t *item, int en)
{
    if (!item)
        return "";
    if (en && *jstr(item, "text_en"))
        return jstr(item, "text_en");
    return jstr(item, "text");
}

static xa_code vforms_load(xa_cstore *s, const json_t *doc, struct vforms *vf, xa_err *err)
{
    const json_t *forms = json_object_get(doc, "forms");
    const json_t *answers = json_object_get(doc, "answers");
    memset(vf, 0, sizeof *vf);
    struct xa_cform *cf = NULL;
    size_t ncf = 0;
    xa_code c = xa_cstore_forms(s, 0, &cf, &ncf, err);
    if (c != XA_OK)
        return c;
    vf->nforms = json_array_size(forms);
    vf->docs = xa_calloc(vf->nforms + 1, sizeof *vf->docs);
    for (size_t i = 0; i < vf->nforms; i++) {
        const json_t *f = json_array_get(forms, i);
        json_int_t ver = json_integer_value(json_object_get(f, "version"));
        for (size_t j = 0; j < ncf && !vf->docs[i]; j++)
            if (!strcmp(cf[j].id, jstr(f, "id")) && cf[j].version == ver && cf[j].doc)
                vf->docs[i] = json_loads(cf[j].doc, 0, NULL);
    }
    xa_cforms_free(cf, ncf);
    size_t na = json_array_size(answers);
    vf->rows = xa_calloc(na + 1, sizeof *vf->rows);
    char *used = xa_calloc(na + 1, 1);
    /* per form: the form's items in order, then answers whose code it lacks */
    for (size_t i = 0; i < vf->nforms; i++) {
        const char *fid = jstr(json_array_get(forms, i), "id");
        size_t k;
        const json_t *it;
        json_array_foreach(json_object_get(vf->docs[i], "items"), k, it)
            for (size_t a = 0; a < na; a++) {
                const json_t *ans = json_array_get(answers, a);
                if (!used[a] && !strcmp(jstr(ans, "form"), fid) &&
                    !strcmp(jstr(ans, "code"), jstr(it, "code"))) {
                    vf->rows[vf->n++] = (struct vanswer){ans, it, i};
                    used[a] = 1;
                }
            }
        for (size_t a = 0; a < na; a++) {
            const json_t *ans = json_array_get(answers, a);
            if (!used[a] && !strcmp(jstr(ans, "form"), fid)) {
                vf->rows[vf->n++] = (struct vanswer){ans, NULL, i};
                used[a] = 1;
            }
        }
    }
    for (size_t a = 0; a < na; a++)
        if (!used[a])
            vf->rows[vf->n++] = (struct vanswer){json_array_get(answers, a), NULL, SIZE_MAX};
    free(used);
    return XA_OK;
}

static void vforms_clear(struct vforms *vf)
{
    for (size_t i = 0; i < vf->nforms; i++)
        json_decref(vf->docs[i]);
    free(vf->docs);
    free(vf->rows);
    memset(vf, 0, sizeof *vf);
}

/* One answer: code, result, the item's text, count, text, location, note. */
static void answer_line(xa_buf *out, const struct vanswer *r, int en)
{
    const json_t *ans = r->ans;
    xa_buf l = XA_BUF_INIT;
    char *code = xa_utf8_pad(jstr(ans, "code"), 10, 0);
    char *res = xa_utf8_pad(xa_vocab_label_of(&xa_vocab_results, jstr(ans, "result"), en), 6, 0);
    xa_buf_printf(&l, "    %s  %s", code, res);
    free(code);
    free(res);
    const char *item = item_text(r->item, en);
    if (*item)
        xa_buf_printf(&l, "  %s", item);
    const json_t *val = json_object_get(ans, "value");
    if (json_is_integer(val))
        xa_buf_printf(&l, _("  count %lld"), (long long)json_integer_value(val));
    field(&l, _("text"), jstr(ans, "text"));
    field(&l, _("location"), jstr(ans, "location"));
    field(&l, _("note"), jstr(ans, "note"));
    emit(out, &l, 1);
}

static void text_visit(xa_cstore *s, const struct xa_cvisit_row *r, const json_t *doc,
                       const struct vforms *vf, const struct vstatus *st, const struct xa_cbundle *b, size_t nb,
                       const struct xa_canomaly *an, size_t nan, int64_t today, xa_buf *out)
{
    const struct xa_cvisit *v = &r->v;
    char t[XA_RFC3339_MAX];
    int en = !xa_i18n_zh();
    xa_buf_printf(out, _("visit record %s\n"), v->id);
    linef(out, _("school"), _("%s %s (%s)"), v->school, v->school_name, v->county);
    linef(out, _("visit kind"), _("%s (%s)"), xa_vocab_label_of(&xa_vocab_kinds, v->kind, en),
          v->kind);
    linef(out, _("inspector"), _("%s (%s)"), *r->inspector_name ? r->inspector_name : "?",
          v->inspector);
    xa_buf team = XA_BUF_INIT;
    const json_t *tm = json_object_get(doc, "team");
    for (size_t i = 0; i < json_array_size(tm); i++) {
        if (i)
            xa_buf_puts(&team, _(", "));
        xa_buf_puts(&team, jstr_at(tm, i));
    }
    line(out, _("team"), team.len ? team.data : _("(none)"));
    xa_buf_clear(&team);
    const json_t *at = json_object_get(doc, "attest");
    static const char *const att[][2] = {{"no_notice", N_("no notice")},
                                         {"no_greeting", N_("no greeting")},
                                         {"no_briefing", N_("no briefing")},
                                         {"no_escort", N_("no escort")}};
    xa_buf a = XA_BUF_INIT;
    for (int i = 0; i < 4; i++)
        xa_buf_printf(&a, "%s%s %s", i ? "  " : "", _(att[i][1]),
                      json_is_true(json_object_get(at, att[i][0])) ? _("yes") : _("no"));
    line(out, _("four-not-two-direct"), a.data);
    xa_buf_clear(&a);
    const json_t *times = json_object_get(doc, "times");
    minute_of(jstr(times, "arrived"), t);
    line(out, _("arrived"), *t ? t : "—");
    minute_of(jstr(times, "first_site"), t);
    line(out, _("first on site"), *t ? t : "—");
    minute_of(v->sealed, t);
    linef(out, _("sealed at"), _("%s (record %lld)"), t, (long long)v->seq);
    if (*st->sig_reason)
        linef(out, _("signature"), _("%s: %s"), sig_label(st->sig), st->sig_reason);
    else
        line(out, _("signature"), sig_label(st->sig));
    linef(out, _("record chain"), _("%s (%s)"), chain_label(st->chain), st->chain_detail);
    if (v->corrects)
        linef(out, _("correction"), _("this record corrects the record of %s (which is kept)"),
              v->corrects);
    if (r->corrected_by)
        linef(out, _("corrected"), _("corrected by %s (the correction counts)"), r->corrected_by);
    for (size_t i = 0; i < nb; i++) {
        minute_of(b[i].received, t);
        linef(out, i ? "" : _("from bundle"), _("%s (bundle %lld, received %s, %.16s)"), b[i].file,
              (long long)b[i].seq, t, b[i].hash);
    }
    if (!nb)
        line(out, _("from bundle"), "—");

    /* answers by form, each with its item's text from the form set */
    const json_t *answers = json_object_get(doc, "answers");
    const json_t *forms = json_object_get(doc, "forms");
    xa_buf_puts(out, "\n");
    xa_buf_printf(out, xa_trn("%zu item answered\n", "%zu items answered\n", json_array_size(answers)),
                  json_array_size(answers));
    size_t fi;
    const json_t *form;
    json_array_foreach(forms, fi, form)
    {
        const json_t *fdoc = vf->docs[fi];
        const char *title = fdoc ? jstr(fdoc, en && *jstr(fdoc, "title_en") ? "title_en" : "title") : "";
        xa_buf fl = XA_BUF_INIT;
        xa_buf_printf(&fl, _("  form %s version %lld\n"), jstr(form, "id"),
                      (long long)json_integer_value(json_object_get(form, "version")));
        if (fl.len && fl.data[fl.len - 1] == '\n') /* the title follows on this line */
            fl.data[--fl.len] = '\0';
        if (!fdoc)
            field(&fl, "", _("(this form version is not imported: items by code only)"));
        else if (*title)
            field(&fl, "", title);
        emit(out, &fl, 0);
        for (size_t k = 0; k < vf->n; k++)
            if (vf->rows[k].form == fi)
                answer_line(out, &vf->rows[k], en);
    }
    for (size_t k = 0; k < vf->n; k++)
        if (vf->rows[k].form == SIZE_MAX) {
            xa_buf_printf(out, _("  form %s (not named by the record)\n"), jstr(vf->rows[k].ans, "form"));
            answer_line(out, &vf->rows[k], en);
        }

    /* hazards */
    const json_t *hz = json_object_get(doc, "hazards");
    xa_buf_puts(out, "\n");
    xa_buf_printf(out, xa_trn("%zu hazard found\n", "%zu hazards found\n", json_array_size(hz)),
                  json_array_size(hz));
    size_t hi;
    const json_t *h;
    json_array_foreach(hz, hi, h)
    {
        char no[32];
        const char *state;
        stored_hazard(s, jstr(h, "id"), today, no, &state);
        xa_buf l = XA_BUF_INIT;
        xa_buf_printf(&l, "  %s  %s  %s  %s", *no ? no : jstr(h, "id"),
                      xa_vocab_label_of(&xa_vocab_severities, jstr(h, "severity"), en),
                      xa_vocab_label_of(&xa_vocab_categories, jstr(h, "category"), en),
                      jstr(h, "description"));
        field(&l, _("location"), jstr(h, "location"));
        field(&l, _("deadline"), jstr(h, "deadline"));
        if (json_is_true(json_object_get(h, "rectified_on_site")))
            xa_buf_printf(&l, "  %s", _("rectified on site"));
        if (state)
            field(&l, "", xa_vocab_label_of(&xa_vocab_hstates, state, en));
        emit(out, &l, 0);
    }

    /* follow-ups */
    const json_t *fu = json_object_get(doc, "followups");
    xa_buf_puts(out, "\n");
    xa_buf_printf(out, xa_trn("%zu follow-up\n", "%zu follow-ups\n", json_array_size(fu)),
                  json_array_size(fu));
    size_t ui;
    const json_t *f;
    json_array_foreach(fu, ui, f)
    {
        char no[32];
        const char *state;
        stored_hazard(s, jstr(f, "hazard"), today, no, &state);
        minute_of(jstr(f, "checked"), t);
        xa_buf l = XA_BUF_INIT;
        xa_buf_printf(&l, "  %s  %s  %s", *no ? no : jstr(f, "hazard"),
                      xa_vocab_label_of(&xa_vocab_verdicts, jstr(f, "verdict"), en), t);
        field(&l, "", jstr(f, "note"));
        emit(out, &l, 0);
    }
    if (nan) {
        xa_buf_puts(out, "\n");
        xa_buf_printf(out, xa_trn("%zu anomaly\n", "%zu anomalies\n", nan), nan);
        for (size_t i = 0; i < nan; i++) {
            char *d = xa_utf8_sanitize(an[i].detail, strlen(an[i].detail), 0);
            xa_buf_printf(out, "  %s  %s\n", an[i].kind, d);
            free(d);
        }
    }
}

static json_t *json_visit(xa_cstore *s, const struct xa_cvisit_row *r, json_t *doc,
                          const struct vforms *vf, const struct vstatus *st, const struct xa_cbundle *b, size_t nb,
                          const struct xa_canomaly *an, size_t nan, int64_t today)
{
    json_t *o = row_json(r);
    json_object_set_new(o, "signature",
                        json_pack("{s:s,s:s?}", "status", st->sig, "reason",
                                  *st->sig_reason ? st->sig_reason : NULL));
    json_object_set_new(o, "chain",
                        json_pack("{s:s,s:s,s:I,s:s?,s:s}", "status", st->chain, "detail",
                                  st->chain_detail, "seq", (json_int_t)r->v.seq, "prev",
                                  r->v.prev, "hash", r->v.hash));
    json_t *bs = json_array();
    for (size_t i = 0; i < nb; i++)
        json_array_append_new(bs, json_pack("{s:s,s:s,s:I,s:s}", "hash", b[i].hash, "file",
                                            b[i].file, "seq", (json_int_t)b[i].seq, "received",
                                            b[i].received));
    json_object_set_new(o, "bundles", bs);
    json_t *as = json_array();
    for (size_t i = 0; i < nan; i++)
        json_array_append_new(as, json_pack("{s:s,s:s}", "kind", an[i].kind, "detail",
                                            an[i].detail));
    json_object_set_new(o, "anomalies", as);
    json_t *states = json_object();
    const json_t *hz = json_object_get(doc, "hazards");
    size_t i;
    const json_t *h;
    json_array_foreach(hz, i, h)
    {
        char no[32];
        const char *state;
        stored_hazard(s, jstr(h, "id"), today, no, &state);
        if (state)
            json_object_set_new(states, jstr(h, "id"),
                                json_pack("{s:s,s:s}", "number", no, "state", state));
    }
    json_object_set_new(o, "hazard_states", states);
    /* the answers by form, each with its item's text (null when the form
     * version is not imported) */
    json_t *ans = json_array();
    for (size_t k = 0; k < vf->n; k++) {
        json_t *a = json_deep_copy(vf->rows[k].ans);
        const json_t *it = vf->rows[k].item;
        json_object_set_new(a, "item", it ? json_string(jstr(it, "text")) : json_null());
        json_object_set_new(a, "item_en", it ? json_string(jstr(it, "text_en")) : json_null());
        json_array_append_new(ans, a);
    }
    json_object_set_new(o, "answers_by_form", ans);
    json_object_set(o, "document", doc);
    return o;
}

xa_code xa_visit_write(xa_cstore *s, const char *id, xa_out_format fmt, int64_t today,
                       xa_buf *out, xa_err *err)
{
    struct xa_cvisit_row r;
    xa_code c = xa_cstore_visit_row(s, id, &r, err);
    if (c != XA_OK)
        return c;
    json_error_t je;
    json_t *record = r.v.record ? json_loads(r.v.record, 0, &je) : NULL;
    json_t *doc = json_object_get(record, "doc");
    struct xa_cbundle *b = NULL;
    struct xa_canomaly *an = NULL;
    size_t nb = 0, nan = 0;
    struct vstatus st = {0};
    struct vforms vf = {0};
    if (!json_is_object(doc)) {
        c = xa_fail(err, XA_EFORMAT, "visit %s: the stored record is not readable", r.v.id);
        goto done;
    }
    if ((c = check_signature(s, &r.v, record, &st, err)) != XA_OK ||
        (c = check_chain(s, &r.v, &st, err)) != XA_OK ||
        (c = xa_cstore_visit_bundles(s, r.v.id, &b, &nb, err)) != XA_OK ||
        (c = xa_cstore_visit_anomalies(s, r.v.id, r.v.inspector, &an, &nan, err)) != XA_OK ||
        (c = vforms_load(s, doc, &vf, err)) != XA_OK)
        goto done;
    if (fmt == XA_OUT_JSON) {
        json_t *o = json_visit(s, &r, doc, &vf, &st, b, nb, an, nan, today);
        char *txt = json_dumps(o, JSON_INDENT(2));
        xa_buf_puts(out, txt ? txt : "{}");
        xa_buf_putc(out, '\n');
        free(txt);
        json_decref(o);
    } else {
        text_visit(s, &r, doc, &vf, &st, b, nb, an, nan, today, out);
    }
done:
    vforms_clear(&vf);
    xa_cbundles_free(b, nb);
    xa_canomalies_free(an, nan);
    json_decref(record);
    xa_cvisit_row_clear(&r);
    return c;
}
