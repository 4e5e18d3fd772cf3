/* notice.c — the 安全隐患整改通知书: which hazards a notice covers (a visit's,
 * or a school's open ones not on a notice yet), its number
 * `{notice.prefix}〔{year}〕{n}号` (a sequence per year), issuing it (the
 * notice row, its hazards, a `notice` action on each, the audit row: one
 * transaction), and rendering it as print-ready PDF or as text.
 *
 * Everything printed is first gathered into one JSON document (the doc
 * column of the notices table); both renderings read only that document,
 * so `--reprint` renders the stored document with the same code and gives
 * the same bytes, whatever happened to the hazards since.  A hazard's 整改前
 * photos are named in the document (hash, name, time) and read from the
 * store's attachment folder when rendering, checked against that hash: the
 * PDF shows them in an appendix (附：隐患照片), JPEGs embedded as they are. */
#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/pdf.h"
#include "xiaoan/utf8.h"
#include "xiaoan/vocab.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The document's layout version (a renderer change that moves bytes of an
 * issued notice must keep the old layout for version 1 documents). */
#define NOTICE_DOC_VERSION 1

/* "2026-12-05" → "2026年12月5日" ("" stays ""). */
static void cn_date(const char *ymd, char *out, size_t len)
{
    int64_t d;
    out[0] = '\0';
    if (!ymd || xa_date_parse(ymd, &d, NULL) != XA_OK)
        return;
    int64_t y;
    unsigned m, dd;
    xa_civil_from_days(d, &y, &m, &dd);
    snprintf(out, len, "%d年%u月%u日", (int)y, m, dd);
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* ---- gathering -------------------------------------------------------------------- */

/* Append text to a "、"-joined list unless it is there already. */
static void list_add(xa_buf *b, const char *text)
{
    if (!text || !*text)
        return;
    if (b->len) {
        /* whole-item match */
        const char *p = b->data;
        size_t tl = strlen(text);
        while (p) {
            if (!strncmp(p, text, tl) && (p[tl] == '\0' || !strncmp(p + tl, "、", 3)))
                return;
            p = strstr(p, "、");
            if (p)
                p += 3;
        }
        xa_buf_puts(b, "、");
    }
    xa_buf_puts(b, text);
}

/* What a notice says about the inspections that found its hazards. */
struct inspections {
    xa_buf dates, kinds, people;
    char **visits;
    size_t nvisits;
};

static void inspections_free(struct inspections *in)
{
    xa_buf_clear(&in->dates);
    xa_buf_clear(&in->kinds);
    xa_buf_clear(&in->people);
    xa_strv_free(in->visits, in->nvisits);
}

/* Add the visit that found a hazard (once). */
static xa_code inspections_add(xa_cstore *s, struct inspections *in, const char *visit,
                               xa_err *err)
{
    for (size_t i = 0; i < in->nvisits; i++)
        if (!strcmp(in->visits[i], visit))
            return XA_OK;
    struct xa_cvisit *v = NULL;
    xa_code c = xa_cstore_visit_get(s, visit, &v, err);
    if (c != XA_OK)
        return c;
    in->visits = xa_reallocarray(in->visits, in->nvisits + 1, sizeof *in->visits);
    in->visits[in->nvisits++] = xa_strdup(visit);
    json_t *rec = json_loads(v->record ? v->record : "", 0, NULL);
    const json_t *doc = json_object_get(rec, "doc");
    const char *arrived = json_string_value(json_object_get(json_object_get(doc, "times"),
                                                            "arrived"));
    if (!arrived)
        arrived = v->arrived;
    int64_t t;
    int off;
    char ymd[XA_DATE_MAX] = "", cn[32];
    if (arrived && xa_time_parse(arrived, &t, &off, NULL) == XA_OK)
        xa_date_format(xa_date_of(t, off), ymd);
    cn_date(ymd, cn, sizeof cn);
    list_add(&in->dates, cn);
    list_add(&in->kinds, xa_vocab_label_of(&xa_vocab_kinds, v->kind, 0));
    const char *name =
        json_string_value(json_object_get(json_object_get(doc, "inspector"), "name"));
    char *stored = name ? NULL : xa_cstore_inspector_name(s, v->inspector);
    list_add(&in->people, name ? name : stored);
    free(stored);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "team"), i, m) list_add(&in->people,
                                                                     json_string_value(m));
    json_decref(rec);
    xa_cvisits_free(v, 1);
    return XA_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The hazard rows of the notice as JSON, in the ledger's order. */
static json_t *hazard_rows(const struct xa_hview *v, const size_t *pick, size_t n)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        const struct xa_hview *x = &v[pick[k]];
        char old[32];
        xa_hazard_number(&x->h, old);
        int major = xa_severity_of(x->h.severity) == XA_SEV_MAJOR;
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(x->h.id));
        json_object_set_new(o, "number", json_string(*x->l.number ? x->l.number : old));
        json_object_set_new(o, "location", json_string(x->h.location ? x->h.location : ""));
        json_object_set_new(o, "description",
                            json_string(x->h.description ? x->h.description : ""));
        json_object_set_new(o, "severity", json_string(major ? "major" : "general"));
        json_object_set_new(o, "basis", json_string(x->basis ? x->basis : ""));
        json_object_set_new(o, "requirement",
                            json_string(x->h.requirement ? x->h.requirement : ""));
        json_object_set_new(o, "deadline", json_string(x->l.deadline ? x->l.deadline : ""));
        if (major)
            json_object_set_new(o, "interim", json_string(x->l.interim ? x->l.interim : ""));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* ---- rendering ----------------------------------------------------------------------- */

/* One hazard of a notice, as the renderers read it. */
struct notice_row {
    const char *number, *location, *description, *basis, *requirement, *deadline, *interim;
    int major;
    const json_t *photos; /* [{file, name, type, size, hash, taken}] or NULL */
};

/* The notice's hazards, and how many of them are major (both renderers
 * open with that count). */
static struct notice_row *rows_of(const json_t *doc, size_t *n, size_t *majors)
{
    *majors = 0;
    const json_t *hz = json_object_get(doc, "hazards");
    *n = json_array_size(hz);
    struct notice_row *r = xa_calloc(*n ? *n : 1, sizeof *r);
    for (size_t i = 0; i < *n; i++) {
        const json_t *o = json_array_get(hz, i);
        r[i].number = jstr(o, "number");
        r[i].location = jstr(o, "location");
        r[i].description = jstr(o, "description");
        r[i].basis = jstr(o, "basis");
        r[i].requirement = jstr(o, "requirement");
        r[i].deadline = jstr(o, "deadline");
        r[i].interim = jstr(o, "interim");
        r[i].major = !strcmp(jstr(o, "severity"), "major");
        *majors += (size_t)r[i].major;
        r[i].photos = json_object_get(o, "photos");
    }
    return r;
}

#define NO_INTERIM "（检查时未记录：请立即采取临时管控措施，并在整改报告中说明）"

/* The opening paragraph. */
static char *opening(const json_t *doc, size_t n, size_t majors)
{
    xa_buf b = XA_BUF_INIT;
    xa_buf_printf(&b, "%s，%s对你单位进行了安全检查（%s），发现安全隐患%zu处", jstr(doc, "checked"),
                  jstr(doc, "office"), jstr(doc, "kinds"), n);
    if (majors)
        xa_buf_printf(&b, "，其中重大隐患%zu处", majors);
    xa_buf_puts(&b, "。现将隐患清单通知如下，请你单位按要求限期整改。");
    return xa_buf_steal(&b);
}

/* The numbered requirements below the table. */
static char *requirement(const json_t *doc, int which)
{
    char by[32];
    cn_date(jstr(doc, "reply_by"), by, sizeof by);
    switch (which) {
    case 0:
        return xa_strdup("一、请你单位对上列隐患逐项落实整改责任、措施、资金、时限和预案，在整改期限内"
                         "完成整改；重大隐患整改完成前，必须落实临时管控措施，确保师生安全。");
    case 1:
        return xa_asprintf("二、请于收到本通知书之日起%lld日内（%s前）将书面整改报告（含整改措施、"
                           "完成情况及整改前后照片）报送%s。",
                           (long long)json_integer_value(json_object_get(doc, "reply_days")), by,
                           jstr(doc, "office"));
    default:
        return xa_strdup("三、逾期未整改或整改不到位的，将依照有关规定予以督办或挂牌督办。");
    }
}

/* The hazard table of the PDF: every hazard row (and, for a major one, its
 * 临时管控措施 on a line below it).  Per-hazard additions (photos) go here. */
static void pdf_hazards(xa_pdf *pdf, const struct notice_row *r, size_t n)
{
    /* widths in mm of the 170 mm text width: the number and the date on one line */
    static const xa_pdf_col cols[] = {
        {"序号", 10.5, XA_PDF_CENTER},   {"隐患编号", 26, XA_PDF_LEFT},
        {"部位", 16, XA_PDF_LEFT},       {"隐患描述", 30, XA_PDF_LEFT},
        {"等级", 10.5, XA_PDF_CENTER},   {"依据", 28, XA_PDF_LEFT},
        {"整改要求", 29, XA_PDF_LEFT},   {"整改期限", 20, XA_PDF_CENTER},
    };
    xa_pdf_table *t = xa_pdf_table_begin(pdf, cols, sizeof cols / sizeof cols[0], 8.5);
    for (size_t i = 0; i < n; i++) {
        char no[24];
        snprintf(no, sizeof no, "%zu", i + 1);
        const char *sev = xa_severity_label(r[i].major ? XA_SEV_MAJOR : XA_SEV_GENERAL);
        const char *cells[] = {no,           r[i].number, r[i].location, r[i].description,
                               sev,          r[i].basis,  r[i].requirement,
                               *r[i].deadline ? r[i].deadline : "—"};
        char *extra = NULL;
        if (r[i].major)
            extra = xa_asprintf("临时管控措施：%s", *r[i].interim ? r[i].interim : NO_INTERIM);
        xa_pdf_table_row(t, cells, extra);
        free(extra);
    }
    xa_pdf_table_end(t);
}

/* The caption under a photo: 整改前-1  IMG_0001.jpg  拍摄 2026-12-01 09:30. */
static char *photo_caption(const json_t *ph, size_t k, const char *why)
{
    const char *taken = jstr(ph, "taken");
    char *name = xa_safe_dup(jstr(ph, "name"));
    char *cap = *taken ? xa_asprintf("整改前-%zu  %s  拍摄 %.10s %.5s%s", k, name, taken,
                                     strlen(taken) > 11 ? taken + 11 : "", why)
                       : xa_asprintf("整改前-%zu  %s  拍摄时间未知%s", k, name, why);
    free(name);
    return cap;
}

/* The bytes of a photo from the attachment folder, checked against the
 * signed hash; NULL with *why set when it is not there or not the same. */
static xa_buf *photo_bytes(const char *dir, const json_t *ph, const char **why)
{
    *why = "";
    if (!dir) {
        *why = "（文件不在此处）";
        return NULL;
    }
    char *path = xa_attachment_path(dir, jstr(ph, "hash"));
    xa_buf *b = xa_calloc(1, sizeof *b);
    json_int_t size = json_integer_value(json_object_get(ph, "size"));
    xa_err e;
    xa_code c = xa_read_file(path, size > 0 ? (size_t)size : 1, b, &e);
    free(path);
    if (c != XA_OK) {
        *why = "（文件未收到）";
    } else {
        unsigned char h[32];
        char hex[65];
        crypto_generichash(h, sizeof h, (const unsigned char *)b->data, b->len, NULL, 0);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        if (strcmp(hex, jstr(ph, "hash")) != 0) {
            *why = "（文件与签名不符，未显示）";
            c = XA_EDIFF;
        }
    }
    if (c != XA_OK) {
        xa_buf_clear(b);
        free(b);
        return NULL;
    }
    return b;
}

/* 附：隐患照片 — each hazard's 整改前 photos under its number, two to a row. */
static void pdf_photos(xa_pdf *pdf, const struct notice_row *r, size_t n, const char *dir)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += json_array_size(r[i].photos);
    if (!total)
        return;
    xa_pdf_need(pdf, 80);
    xa_pdf_space(pdf, 4);
    xa_pdf_text(pdf, "附：隐患照片（整改前）", &(xa_pdf_style){.bold = 1, .sans = 1, .size_pt = 12});
    for (size_t i = 0; i < n; i++) {
        size_t k = json_array_size(r[i].photos);
        if (!k)
            continue;
        xa_pdf_need(pdf, 60);
        char *head = xa_asprintf("%zu. %s  %s", i + 1, r[i].number, r[i].location);
        xa_pdf_text(pdf, head, &(xa_pdf_style){.bold = 1});
        free(head);
        xa_pdf_image *im = xa_calloc(k, sizeof *im);
        xa_buf **bytes = xa_calloc(k, sizeof *bytes);
        char **caps = xa_calloc(k, sizeof *caps);
        for (size_t j = 0; j < k; j++) {
            const json_t *ph = json_array_get(r[i].photos, j);
            const char *why;
            bytes[j] = photo_bytes(dir, ph, &why);
            caps[j] = photo_caption(ph, j + 1, why);
            im[j] = (xa_pdf_image){bytes[j] ? bytes[j]->data : NULL, bytes[j] ? bytes[j]->len : 0,
                                   caps[j]};
        }
        /* one picture row at a time: the bytes are copied into the page */
        xa_pdf_images(pdf, im, k, 75);
        for (size_t j = 0; j < k; j++) {
            if (bytes[j]) {
                xa_buf_clear(bytes[j]);
                free(bytes[j]);
            }
            free(caps[j]);
        }
        free(bytes);
        free(caps);
        free(im);
    }
}

static void render_pdf(const json_t *doc, xa_pdf *pdf, const char *dir)
{
    size_t n, majors;
    struct notice_row *r = rows_of(doc, &n, &majors);
    char issued[32];
    cn_date(jstr(doc, "issued"), issued, sizeof issued);
    xa_pdf_set_footer_note(pdf, jstr(doc, "number"));
    xa_pdf_title(pdf, "安全隐患整改通知书");
    xa_pdf_text(pdf, jstr(doc, "number"),
                &(xa_pdf_style){.align = XA_PDF_CENTER, .space_after_mm = 4});
    char *to = xa_asprintf("%s：", jstr(json_object_get(doc, "school"), "name"));
    xa_pdf_text(pdf, to, &(xa_pdf_style){.bold = 1});
    free(to);
    char *p = opening(doc, n, majors);
    xa_pdf_text(pdf, p, &(xa_pdf_style){.indent_em = 2, .align = XA_PDF_JUSTIFY});
    free(p);
    const json_t *sc = json_object_get(doc, "school");
    char *unit = xa_asprintf("%s（%s，%s）", jstr(sc, "name"), jstr(sc, "county"), jstr(sc, "code"));
    xa_pdf_field(pdf, "被检查单位", unit, NULL);
    free(unit);
    xa_pdf_field(pdf, "检查时间", jstr(doc, "checked"), NULL);
    xa_pdf_field(pdf, "检查方式", jstr(doc, "kinds"), NULL);
    xa_pdf_field(pdf, "检查人员", jstr(doc, "inspectors"), NULL);
    xa_pdf_space(pdf, 2);
    pdf_hazards(pdf, r, n);
    xa_pdf_space(pdf, 3);
    xa_pdf_text(pdf, "整改要求", &(xa_pdf_style){.bold = 1, .sans = 1});
    for (int i = 0; i < 3; i++) {
        char *q = requirement(doc, i);
        xa_pdf_text(pdf, q, &(xa_pdf_style){.indent_em = 2, .align = XA_PDF_JUSTIFY});
        free(q);
    }
    /* the signature block stays together */
    xa_pdf_need(pdf, 36);
    xa_pdf_space(pdf, 3);
    xa_pdf_text(pdf, "被检查单位负责人（签收）：________________    日期：______年____月____日",
                &(xa_pdf_style){.space_after_mm = 4});
    xa_pdf_text(pdf, "检查人员（签名）：________________________________",
                &(xa_pdf_style){.space_after_mm = 4});
    char *seal = xa_asprintf("签发单位（盖章）：%s", jstr(doc, "office"));
    xa_pdf_text(pdf, seal, &(xa_pdf_style){.align = XA_PDF_RIGHT});
    free(seal);
    char *day = xa_asprintf("日期：%s", issued);
    xa_pdf_text(pdf, day, &(xa_pdf_style){.align = XA_PDF_RIGHT, .space_after_mm = 3});
    free(day);
    /* 复查确认: left blank for the paper copy */
    xa_pdf_need(pdf, 36);
    xa_pdf_rule(pdf);
    xa_pdf_text(pdf, "复查确认", &(xa_pdf_style){.bold = 1, .sans = 1, .size_pt = 12});
    static const xa_pdf_col rc[] = {
        {"序号", 10.5, XA_PDF_CENTER},    {"隐患编号", 26, XA_PDF_LEFT},
        {"复查结论", 50, XA_PDF_LEFT},    {"复查情况说明", 41.5, XA_PDF_LEFT},
        {"复查人员", 21, XA_PDF_LEFT},    {"复查日期", 21, XA_PDF_LEFT},
    };
    xa_pdf_table *t = xa_pdf_table_begin(pdf, rc, sizeof rc / sizeof rc[0], 8.5);
    xa_pdf_table_min_height(t, 9);
    for (size_t i = 0; i < n; i++) {
        char no[24];
        snprintf(no, sizeof no, "%zu", i + 1);
        const char *cells[] = {no, r[i].number, "□已整改  □部分整改  □未整改", "", "", ""};
        xa_pdf_table_row(t, cells, NULL);
    }
    xa_pdf_table_end(t);
    xa_pdf_space(pdf, 2);
    xa_pdf_text(pdf, "复查单位（盖章）：______________    负责人：__________    日期：_____年___月___日",
                NULL);
    pdf_photos(pdf, r, n, dir);
    free(r);
}

/* The same content as plain text for a terminal or a mail. */
static void render_text(const json_t *doc, xa_buf *out)
{
    size_t n, majors;
    struct notice_row *r = rows_of(doc, &n, &majors);
    char issued[32];
    cn_date(jstr(doc, "issued"), issued, sizeof issued);
    const json_t *sc = json_object_get(doc, "school");
    xa_buf_printf(out, "安全隐患整改通知书\n%s\n\n%s：\n", jstr(doc, "number"), jstr(sc, "name"));
    char *p = opening(doc, n, majors);
    xa_buf_printf(out, "    %s\n\n", p);
    free(p);
    xa_buf_printf(out, "被检查单位：%s（%s，%s）\n", jstr(sc, "name"), jstr(sc, "county"),
                  jstr(sc, "code"));
    xa_buf_printf(out, "检查时间：%s\n检查方式：%s\n检查人员：%s\n\n", jstr(doc, "checked"),
                  jstr(doc, "kinds"), jstr(doc, "inspectors"));
    xa_buf_puts(out, "隐患清单\n");
    for (size_t i = 0; i < n; i++) {
        xa_buf_printf(out, "%zu. 隐患编号：%s\n", i + 1, r[i].number);
        xa_buf_printf(out, "   部位：%s\n", r[i].location);
        xa_buf_printf(out, "   隐患描述：%s\n", r[i].description);
        xa_buf_printf(out, "   等级：%s\n",
                      xa_severity_label(r[i].major ? XA_SEV_MAJOR : XA_SEV_GENERAL));
        xa_buf_printf(out, "   依据：%s\n", *r[i].basis ? r[i].basis : "—");
        xa_buf_printf(out, "   整改要求：%s\n", r[i].requirement);
        xa_buf_printf(out, "   整改期限：%s\n", *r[i].deadline ? r[i].deadline : "—");
        if (r[i].major)
            xa_buf_printf(out, "   临时管控措施：%s\n", *r[i].interim ? r[i].interim : NO_INTERIM);
        for (size_t j = 0; j < json_array_size(r[i].photos); j++) {
            const json_t *ph = json_array_get(r[i].photos, j);
            const char *taken = jstr(ph, "taken");
            xa_buf_printf(out, "   照片：%s", jstr(ph, "file"));
            if (*taken)
                xa_buf_printf(out, "（拍摄 %.10s %.5s）", taken, strlen(taken) > 11 ? taken + 11 : "");
            xa_buf_putc(out, '\n');
        }
    }
    xa_buf_puts(out, "\n整改要求\n");
    for (int i = 0; i < 3; i++) {
        char *q = requirement(doc, i);
        xa_buf_printf(out, "    %s\n", q);
        free(q);
    }
    xa_buf_printf(out, "\n被检查单位负责人（签收）：________________    日期：______年____月____日\n"
                       "检查人员（签名）：________________\n"
                       "签发单位（盖章）：%s\n日期：%s\n",
                  jstr(doc, "office"), issued);
    xa_buf_puts(out, "\n复查确认\n");
    for (size_t i = 0; i < n; i++)
        xa_buf_printf(out, "%zu. %s  □已整改  □部分整改  □未整改  复查人员：________  日期：________\n",
                      i + 1, r[i].number);
    xa_buf_puts(out, "复查单位（盖章）：________________    负责人：____________    "
                     "日期：______年____月____日\n");
    free(r);
}

/* Render with the photos read from dir (STORE.attachments; NULL: none there). */
static xa_code render(const char *doc_json, xa_notice_format fmt, const char *dir, xa_buf *out,
                      xa_err *err)
{
    json_error_t je;
    json_t *doc = json_loads(doc_json ? doc_json : "", 0, &je);
    if (!json_is_object(doc) ||
        json_integer_value(json_object_get(doc, "v")) != NOTICE_DOC_VERSION) {
        json_decref(doc);
        return xa_fail(err, XA_EFORMAT, "stored notice document is not readable (version %d)",
                       NOTICE_DOC_VERSION);
    }
    xa_code c = XA_OK;
    if (fmt == XA_NOTICE_TEXT) {
        render_text(doc, out);
    } else {
        char *title = xa_asprintf("安全隐患整改通知书 %s", jstr(doc, "number"));
        xa_pdf *pdf = xa_pdf_new(title, jstr(doc, "issued"));
        free(title);
        render_pdf(doc, pdf, dir);
        c = xa_pdf_render(pdf, out, err);
        xa_pdf_free(pdf);
    }
    json_decref(doc);
    return c;
}

xa_code xa_notice_render(const char *doc_json, xa_notice_format fmt, xa_buf *out, xa_err *err)
{
    return render(doc_json, fmt, NULL, out, err);
}

/* ---- issuing -------------------------------------------------------------------------- */

/* Write the rendering to a new file path (kept, if given, holds it so a
 * failed commit can take it back), or append it to out. */
static xa_code deliver(xa_cstore *s, const char *doc, xa_notice_format fmt, const char *path,
                       int flags, xa_outfile *kept, xa_buf *out, xa_err *err)
{
    char *dir = xa_cstore_attachments_dir(xa_cstore_path(s));
    if (!path) {
        xa_code c = render(doc, fmt, dir, out, err);
        free(dir);
        return c;
    }
    xa_buf b = XA_BUF_INIT;
    xa_code c = render(doc, fmt, dir, &b, err);
    free(dir);
    if (c == XA_OK && (c = xa_write_new(path, b.data, b.len, flags, kept, err)) != XA_OK)
        xa_err_prefix(err, "writing %s", path);
    xa_buf_clear(&b);
    return c;
}

/* A hazard row's 整改前 photos ("photos", only when it has some, so that
 * notices without photos keep the document they always had). */
static xa_code add_photos(xa_cstore *s, json_t *row, const char *hazard, xa_err *err)
{
    struct xa_cattach *a = NULL;
    size_t n = 0;
    xa_code c = xa_cattachments_hazard(s, hazard, &a, &n, err);
    if (c != XA_OK)
        return c;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].for_, "hazard") != 0)
            continue;
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:I,s:s,s:s}", "file", a[i].file,
                                             "name", a[i].name, "type", a[i].type, "size",
                                             (json_int_t)a[i].size, "hash", a[i].hash, "taken",
                                             a[i].taken ? a[i].taken : ""));
    }
    if (json_array_size(arr))
        json_object_set_new(row, "photos", arr);
    else
        json_decref(arr);
    xa_cattachments_free(a, n);
    return XA_OK;
}

/* The hazards a request covers and what the notice says about them; the
 * document (without number) in *doc. */
static xa_code gather(xa_cstore *s, const struct xa_notice_req *q, json_t **doc, char ***ids,
                      size_t *nids, xa_err *err)
{
    char *visit = NULL;
    const char *school = q->school;
    struct xa_cvisit *vrow = NULL;
    xa_code c = XA_OK;
    if (q->visit) {
        if ((c = xa_cstore_visit_one(s, q->visit, &visit, err)) != XA_OK ||
            (c = xa_cstore_visit_get(s, visit, &vrow, err)) != XA_OK) {
            free(visit);
            return c;
        }
        school = vrow->school;
    } else {
        int yes = 0;
        if ((c = xa_cstore_school_exists(s, school, &yes, err)) != XA_OK)
            return c;
        if (!yes)
            return xa_fail(err, XA_ENOTFOUND, "unknown school '%s'", school);
    }
    struct xa_hview *v = NULL;
    size_t nv = 0;
    char **noticed = NULL;
    size_t nnoticed = 0;
    struct inspections in = {XA_BUF_INIT, XA_BUF_INIT, XA_BUF_INIT, NULL, 0};
    size_t *pick = NULL, npick = 0, already = 0;
    if ((c = xa_hazard_views(s, NULL, &v, &nv, err)) != XA_OK ||
        (c = xa_cstore_noticed(s, &noticed, &nnoticed, err)) != XA_OK)
        goto done;
    pick = xa_calloc(nv ? nv : 1, sizeof *pick);
    const struct xa_hview *first = NULL;
    for (size_t i = 0; i < nv; i++) {
        const struct xa_chazard *h = &v[i].h;
        if (strcmp(h->school ? h->school : "", school) != 0 ||
            (visit && strcmp(h->visit ? h->visit : "", visit) != 0))
            continue;
        if (strcmp(v[i].l.state, XA_HSTATE_OPEN) != 0)
            continue;
        const char *key = h->id;
        if (nnoticed && bsearch(&key, noticed, nnoticed, sizeof *noticed, cmp_str)) {
            already++;
            continue;
        }
        if (!first)
            first = &v[i];
        pick[npick++] = i;
    }
    if (npick == 0) {
        if (already)
            c = xa_fail(err, XA_ESTATE,
                        "every open hazard of %s %s is on a notice already (see central hazard;"
                        " --reprint NUMBER prints a notice again)",
                        visit ? "visit" : "school", visit ? q->visit : school);
        else
            c = xa_fail(err, XA_ESTATE, "%s %s has no open hazards: no notice to issue",
                        visit ? "visit" : "school", visit ? q->visit : school);
        goto done;
    }
    for (size_t k = 0; k < npick && c == XA_OK; k++)
        c = inspections_add(s, &in, v[pick[k]].h.visit, err);
    if (c != XA_OK)
        goto done;
    struct xa_office o;
    char *office = NULL;
    if (xa_cstore_office_get(s, &o, NULL) == XA_OK) {
        office = xa_strdup(o.name && *o.name ? o.name : XA_OFFICE_DEFAULT_NAME);
        xa_office_clear(&o);
    } else {
        office = xa_strdup(XA_OFFICE_DEFAULT_NAME);
    }
    json_t *d = json_object();
    json_object_set_new(d, "v", json_integer(NOTICE_DOC_VERSION));
    json_object_set_new(d, "office", json_string(office));
    free(office);
    json_object_set_new(
        d, "school",
        json_pack("{s:s,s:s,s:s}", "code", school, "name",
                  first->h.school_name ? first->h.school_name : "", "county",
                  first->h.county ? first->h.county : ""));
    json_object_set_new(d, "checked", json_string(in.dates.len ? in.dates.data : ""));
    json_object_set_new(d, "kinds", json_string(in.kinds.len ? in.kinds.data : ""));
    json_object_set_new(d, "inspectors", json_string(in.people.len ? in.people.data : ""));
    json_t *rows = hazard_rows(v, pick, npick);
    json_object_set_new(d, "hazards", rows);
    for (size_t k = 0; k < npick && c == XA_OK; k++)
        c = add_photos(s, json_array_get(rows, k), v[pick[k]].h.id, err);
    if (c != XA_OK) {
        json_decref(d);
        goto done;
    }
    *ids = xa_calloc(npick, sizeof **ids);
    for (size_t k = 0; k < npick; k++)
        (*ids)[k] = xa_strdup(v[pick[k]].h.id);
    *nids = npick;
    *doc = d;
done:
    inspections_free(&in);
    free(pick);
    xa_strv_free(noticed, nnoticed);
    xa_hviews_free(v, nv);
    if (vrow)
        xa_cvisits_free(vrow, 1);
    free(visit);
    return c;
}

/* Inside the transaction: number, store, record, render. */
static xa_code issue_work(xa_cstore *s, const struct xa_notice_req *q, json_t *doc,
                          char *const *ids, size_t n, xa_outfile *kept, xa_buf *out,
                          char **number, char **summary, xa_err *err)
{
    struct xa_loop_rules r;
    xa_code c = xa_loop_rules_load(s, &r, err);
    if (c != XA_OK)
        return c;
    char issued[XA_DATE_MAX], reply_by[XA_DATE_MAX];
    xa_date_format(q->today, issued);
    xa_date_format(q->today + r.reply_days, reply_by);
    int64_t year = atoll(issued), seq = 0;
    if ((c = xa_cstore_notice_next(s, year, &seq, err)) != XA_OK)
        return c;
    char *num = xa_asprintf("%s〔%lld〕%lld号", r.prefix, (long long)year, (long long)seq);
    json_object_set_new(doc, "number", json_string(num));
    json_object_set_new(doc, "issued", json_string(issued));
    json_object_set_new(doc, "reply_days", json_integer(r.reply_days));
    json_object_set_new(doc, "reply_by", json_string(reply_by));
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    struct xa_cnotice nt = {.number = num,
                            .year = year,
                            .seq = seq,
                            .school = (char *)jstr(json_object_get(doc, "school"), "code"),
                            .issued = issued,
                            .doc = text};
    c = xa_cstore_notice_add(s, &nt, ids, n, err);
    xa_buf sum = XA_BUF_INIT;
    xa_buf_printf(&sum, "notice %s to school %s: %zu hazard%s", num, nt.school, n,
                  n == 1 ? "" : "s");
    const json_t *hz = json_object_get(doc, "hazards");
    for (size_t i = 0; i < n && c == XA_OK; i++) {
        struct xa_caction a = {0};
        a.hazard = ids[i];
        a.kind = XA_ACT_NOTICE;
        a.date = issued;
        a.notice = num;
        a.by = (char *)jstr(doc, "office");
        a.note = "";
        if ((c = xa_cstore_action_add(s, &a, err)) == XA_OK)
            c = xa_hazard_refresh(s, ids[i], err);
        xa_buf_printf(&sum, "%s%s", i ? ", " : " (", jstr(json_array_get(hz, i), "number"));
    }
    xa_buf_puts(&sum, ")");
    if (c == XA_OK)
        c = deliver(s, text, q->format, q->path, q->flags, kept, out, err);
    free(text);
    if (c == XA_OK) {
        *number = num;
        *summary = xa_buf_steal(&sum);
    } else {
        free(num);
    }
    xa_buf_clear(&sum);
    return c;
}

xa_code xa_notice_issue(xa_cstore *s, const struct xa_notice_req *q, xa_buf *out,
                        struct xa_notice_issued *done, xa_err *err)
{
    memset(done, 0, sizeof *done);
    if ((!q->visit) == (!q->school))
        return xa_fail(err, XA_EUSAGE, "give --visit VISIT or --school CODE");
    json_t *doc = NULL;
    char **ids = NULL, *number = NULL, *summary = NULL;
    size_t n = 0;
    xa_outfile kept;
    memset(&kept, 0, sizeof kept);
    kept.fd = -1;
    xa_code c = xa_cstore_begin(s, err);
    if (c != XA_OK)
        return c;
    /* gathered inside the transaction: two offices issuing at once cannot
     * put one hazard on two notices */
    c = gather(s, q, &doc, &ids, &n, err);
    if (c == XA_OK)
        c = issue_work(s, q, doc, ids, n, &kept, out, &number, &summary, err);
    c = xa_cstore_end(s, c, "central notice", summary ? summary : "", err);
    if (c != XA_OK)
        xa_out_unpublish(&kept); /* the commit failed after the file was written: ours only */
    xa_out_clear(&kept);
    if (c == XA_OK) {
        done->number = number;
        done->hazards = n;
        const json_t *hz = json_object_get(doc, "hazards");
        for (size_t i = 0; i < json_array_size(hz); i++)
            done->majors += !strcmp(jstr(json_array_get(hz, i), "severity"), "major");
        number = NULL;
    }
    free(number);
    free(summary);
    xa_strv_free(ids, n);
    json_decref(doc);
    return c;
}

void xa_notice_issued_clear(struct xa_notice_issued *d)
{
    free(d->number);
    memset(d, 0, sizeof *d);
}

xa_code xa_notice_find(xa_cstore *s, const char *text, char **number, xa_err *err)
{
    *number = NULL;
    struct xa_cnotice nt;
    xa_err e;
    xa_code c = xa_cstore_notice_get(s, text, &nt, &e);
    if (c == XA_OK) {
        *number = xa_strdup(nt.number);
        xa_cnotice_free(&nt);
        return XA_OK;
    }
    if (c != XA_ENOTFOUND) {
        if (err)
            *err = e;
        return c;
    }
    /* the short form YEAR-N (〔〕 are hard to type) */
    long long y = 0, k = 0;
    int used = 0;
    if (sscanf(text, "%4lld-%lld%n", &y, &k, &used) == 2 && text[used] == '\0' && y > 0 &&
        k > 0) {
        if ((c = xa_cstore_notice_number(s, y, k, number, err)) != XA_OK)
            return c;
        if (*number)
            return XA_OK;
    }
    return xa_fail(err, XA_ENOTFOUND, "unknown notice '%s'", text);
}

xa_code xa_notice_reprint(xa_cstore *s, const char *text, xa_notice_format fmt, const char *path,
                          int flags, xa_buf *out, xa_err *err)
{
    char *number = NULL;
    xa_code c = xa_notice_find(s, text, &number, err);
    if (c != XA_OK)
        return c;
    struct xa_cnotice nt;
    if ((c = xa_cstore_notice_get(s, number, &nt, err)) == XA_OK) {
        c = deliver(s, nt.doc, fmt, path, flags, NULL, out, err);
        xa_cnotice_free(&nt);
    }
    free(number);
    return c;
}
