/* test_pdf.c — the PDF writer, read back with poppler's tools: pdftotext
 * (the Chinese text exactly, page by page), pdffonts (embedded subsets),
 * pdfinfo (page count, title), pdfimages (a JPEG carried byte for byte);
 * and how every document file gets its name (never over a late file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers/unit_fx.h"

#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"
#include "xiaoan/pdf.h"
#include "xiaoan/xlsx.h"

/* pdftotext's crop to the text area of A4 (without the page footer) */
#define BODY "-x 0 -y 0 -W 596 -H 785"

static char dir[256];

/* Output of a shell command (a new string). */
static char *run(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xa_buf cmd = XA_BUF_INIT;
    xa_buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    FILE *f = popen(cmd.data, "r");
    assert_non_null(f);
    xa_buf out = XA_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        xa_buf_add(&out, chunk, n);
    int rc = pclose(f);
    if (rc != 0)
        fail_msg("command failed (%d): %s", rc, cmd.data);
    xa_buf_clear(&cmd);
    return xa_buf_steal(&out);
}

/* Save the document as dir/name and free it; returns the path. */
static char *save(xa_pdf *p, const char *name)
{
    char *path = xa_asprintf("%s/%s", dir, name);
    xa_err e;
    assert_int_equal(xa_pdf_save(p, path, 0, &e), XA_OK);
    xa_pdf_free(p);
    return path;
}

/* Count of occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *s = strstr(hay, needle); s; s = strstr(s + strlen(needle), needle))
        n++;
    return n;
}

/* Text with the line breaks and spaces pdftotext adds removed. */
static char *squeeze(const char *s)
{
    char *o = xa_strdup(s);
    char *w = o;
    for (const char *r = s; *r; r++)
        if (*r != '\n' && *r != ' ' && *r != '\f')
            *w++ = *r;
    *w = '\0';
    return o;
}

/* Lines of text equal to `line`: how many, and the text without them. */
static int drop_line(char *txt, const char *line)
{
    int n = 0;
    size_t ll = strlen(line);
    for (char *f = strchr(txt, '\f'); f; f = strchr(f, '\f'))
        *f = '\n'; /* pdftotext ends each page with a form feed */
    char *w = txt;
    for (char *r = txt; *r;) {
        char *eol = strchr(r, '\n');
        size_t len = eol ? (size_t)(eol - r) : strlen(r);
        if (len == ll && memcmp(r, line, ll) == 0) {
            n++;
        } else {
            memmove(w, r, len);
            w += len;
            *w++ = '\n';
        }
        r += len + (eol ? 1 : 0);
    }
    *w = '\0';
    return n;
}

static int setup(void **state)
{
    (void)state;
    return fx_tmpdir(dir, sizeof dir, "pdf");
}

static int teardown(void **state)
{
    (void)state;
    if (getenv("XIAOAN_KEEP_PDF")) { /* to look at the pages */
        printf("kept %s\n", dir);
        return 0;
    }
    return fx_rmrf(dir);
}

/* Title, fields and paragraphs come out as the same Chinese text, in
 * embedded subset fonts, on one page with its footer. */
static void text_fonts_footer(void **state)
{
    (void)state;
    xa_pdf *p = xa_pdf_new("安全隐患整改通知书", "2026-12-01");
    xa_pdf_title(p, "安全隐患整改通知书");
    xa_pdf_field(p, "被检查单位", "丽水市莲都区实验小学", NULL);
    xa_pdf_field(p, "检查方式", "四不两直", NULL);
    xa_pdf_style body = {.indent_em = 2};
    xa_pdf_text(p, "请你单位于收到本通知书之日起十日内将整改报告报送安全科。", &body);
    xa_pdf_style sans = {.sans = 1, .bold = 1};
    xa_pdf_text(p, "English words and 数字 12345 mixed", &sans);
    xa_pdf_set_footer_note(p, "校安整改〔2026〕1号");
    char *path = save(p, "text.pdf");

    char *txt = run("pdftotext -enc UTF-8 '%s' -", path);
    assert_non_null(strstr(txt, "安全隐患整改通知书"));
    assert_non_null(strstr(txt, "被检查单位：丽水市莲都区实验小学"));
    assert_non_null(strstr(txt, "检查方式：四不两直"));
    assert_non_null(strstr(txt, "请你单位于收到本通知书之日起十日内将整改报告报送安全科。"));
    assert_non_null(strstr(txt, "English words and 数字 12345 mixed"));
    assert_non_null(strstr(txt, "第 1 页 共 1 页")); /* spaces kept */
    assert_non_null(strstr(txt, "校安整改〔2026〕1号"));
    free(txt);

    /* every font embedded as a subset (name "ABCDEF+..."), CJK ones included */
    char *fonts = run("pdffonts '%s' | tail -n +3", path);
    assert_true(strlen(fonts) > 0);
    int lines = 0;
    for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
        lines++;
        assert_non_null(strstr(line, "+"));
        assert_non_null(strstr(line, " yes yes ")); /* emb sub */
    }
    assert_true(lines >= 2);
    free(fonts);
    fonts = run("pdffonts '%s'", path);
    assert_non_null(strstr(fonts, "NotoSerifCJK"));
    assert_non_null(strstr(fonts, "NotoSansCJK"));
    free(fonts);

    char *info = run("pdfinfo '%s'", path);
    assert_non_null(strstr(info, "Pages:           1\n"));
    assert_non_null(strstr(info, "Title:           安全隐患整改通知书\n"));
    assert_non_null(strstr(info, "A4"));
    free(info);
    free(path);
}

/* A paragraph longer than a page continues on the next, nothing lost. */
static void long_paragraph(void **state)
{
    (void)state;
    xa_pdf *p = xa_pdf_new("长文", NULL);
    xa_buf b = XA_BUF_INIT;
    for (int i = 0; i < 400; i++)
        xa_buf_printf(&b, "第%d句消防通道畅通。", i);
    xa_pdf_text(p, b.data, NULL);
    assert_true(xa_pdf_pages(p) >= 2);
    char *path = save(p, "long.pdf");
    char *txt = run("pdftotext -enc UTF-8 %s '%s' -", BODY, path);
    char *sq = squeeze(txt);
    for (int i = 0; i < 400; i++) {
        char *m = xa_asprintf("第%d句消防通道畅通。", i);
        assert_int_equal(count(sq, m), 1);
        free(m);
    }
    free(sq);
    free(txt);
    xa_buf_clear(&b);
    free(path);
}

/* 40 rows break across pages; each page repeats the header; every cell and
 * spanning line is there; a row is never cut unless taller than a page. */
static void table_pages(void **state)
{
    (void)state;
    xa_pdf *p = xa_pdf_new("台账", NULL);
    xa_pdf_title(p, "隐患清单");
    xa_pdf_col cols[] = {
        {"序号", 0.5, XA_PDF_CENTER}, {"隐患编号", 1.4, XA_PDF_LEFT},
        {"部位", 1, XA_PDF_LEFT},    {"隐患描述", 3, XA_PDF_LEFT},
        {"等级", 0.6, XA_PDF_CENTER},
    };
    xa_pdf_table *t = xa_pdf_table_begin(p, cols, 5, 0);
    for (int i = 1; i <= 40; i++) {
        char *no = xa_asprintf("%d", i), *id = xa_asprintf("莲都-2026-%04d", i);
        char *desc = xa_asprintf("第%d处：疏散通道堆放杂物%s", i,
                                 i % 3 ? "" : "，安全出口指示标志损坏，应急照明不亮，"
                                              "灭火器压力不足需要更换");
        const char *cells[] = {no, id, "学生宿舍", desc, i % 5 ? "一般" : "重大"};
        char *extra = i % 5 ? NULL : xa_asprintf("临时管控措施：第%d处停用该场所", i);
        xa_pdf_table_row(t, cells, extra);
        free(no);
        free(id);
        free(desc);
        free(extra);
    }
    xa_pdf_table_end(t);
    int pages = xa_pdf_pages(p);
    assert_true(pages >= 2);
    char *path = save(p, "table.pdf");
    for (int pg = 1; pg <= pages; pg++) {
        char *txt = run("pdftotext -enc UTF-8 -f %d -l %d '%s' -", pg, pg, path);
        char *sq = squeeze(txt);
        assert_int_equal(count(sq, "隐患描述"), 1);
        assert_int_equal(count(sq, "序号"), 1);
        char *foot = xa_asprintf("第%d页共%d页", pg, pages);
        assert_non_null(strstr(sq, foot));
        free(foot);
        free(sq);
        free(txt);
    }
    char *txt = run("pdftotext -enc UTF-8 '%s' -", path);
    char *sq = squeeze(txt);
    for (int i = 1; i <= 40; i++) {
        char *id = xa_asprintf("莲都-2026-%04d", i);
        assert_int_equal(count(sq, id), 1);
        free(id);
        if (i % 5 == 0) {
            char *m = xa_asprintf("临时管控措施：第%d处停用该场所", i);
            assert_non_null(strstr(sq, m));
            free(m);
        }
    }
    /* a wrapped cell comes out line by line between its neighbours */
    assert_non_null(strstr(sq, "第39处：疏散通道堆放杂物"));
    assert_int_equal(count(sq, "灭火器压力不足需要更换"), 13);
    free(sq);
    free(txt);
    free(path);
}

/* A cell taller than a page is split over pages, header repeated, no text lost. */
static void tall_row(void **state)
{
    (void)state;
    xa_pdf *p = xa_pdf_new("长行", NULL);
    xa_pdf_col cols[] = {{"序号", 1, XA_PDF_CENTER}, {"说明", 5, XA_PDF_LEFT}};
    xa_pdf_table *t = xa_pdf_table_begin(p, cols, 2, 0);
    xa_buf b = XA_BUF_INIT;
    for (int i = 0; i < 600; i++)
        xa_buf_printf(&b, "第%d条说明文字，", i);
    const char *cells[] = {"1", b.data};
    xa_pdf_table_row(t, cells, NULL);
    xa_pdf_table_end(t);
    int pages = xa_pdf_pages(p);
    assert_true(pages >= 2);
    char *path = save(p, "tall.pdf");
    char *txt = run("pdftotext -enc UTF-8 %s '%s' -", BODY, path);
    assert_int_equal(drop_line(txt, "说明"), pages); /* header on every page */
    assert_int_equal(drop_line(txt, "序号"), pages);
    char *sq = squeeze(txt);
    for (int i = 0; i < 600; i++) {
        char *m = xa_asprintf("第%d条说明文字，", i);
        assert_non_null(strstr(sq, m));
        free(m);
    }
    free(sq);
    free(txt);
    xa_buf_clear(&b);
    free(path);
}

/* A JPEG goes into the PDF byte for byte (pdfimages -j gets the same file). */
static void jpeg_as_is(void **state)
{
    (void)state;
    /* a real JPEG: a page of ours rendered by pdftoppm */
    xa_pdf *src = xa_pdf_new("图", NULL);
    xa_pdf_title(src, "现场照片");
    char *srcpath = save(src, "src.pdf");
    free(run("pdftoppm -jpeg -r 30 -singlefile '%s' '%s/photo'", srcpath, dir));
    char *jpg = xa_asprintf("%s/photo.jpg", dir);
    xa_buf data = XA_BUF_INIT;
    xa_err e;
    assert_int_equal(xa_read_file(jpg, 1 << 24, &data, &e), XA_OK);
    int w, h, c;
    assert_int_equal(xa_jpeg_info(data.data, data.len, &w, &h, &c, &e), XA_OK);
    assert_in_range(w, 247, 249); /* 210 x 297 mm at 30 dpi */
    assert_in_range(h, 350, 352);
    assert_int_equal(c, 3);

    xa_pdf *p = xa_pdf_new("照片", NULL);
    assert_int_equal(xa_pdf_jpeg(p, data.data, data.len, 80, "图1 学生宿舍走廊", &e), XA_OK);
    assert_int_equal(xa_pdf_jpeg(p, "not a jpeg", 10, 80, NULL, &e), XA_EFORMAT);
    unsigned char cut[] = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x40, 0x08};
    assert_int_equal(xa_pdf_jpeg(p, cut, sizeof cut, 80, NULL, &e), XA_EFORMAT);
    char *path = save(p, "photo.pdf");
    char *list = run("pdfimages -list '%s'", path);
    assert_non_null(strstr(list, "jpeg"));
    char *wtxt = xa_asprintf(" %d ", w);
    assert_non_null(strstr(list, wtxt));
    free(wtxt);
    free(list);
    free(run("pdfimages -j '%s' '%s/out'", path, dir));
    char *cmp = run("cmp '%s' '%s/out-000.jpg' && echo same", jpg, dir);
    assert_string_equal(cmp, "same\n");
    free(cmp);
    char *txt = run("pdftotext -enc UTF-8 '%s' -", path);
    assert_non_null(strstr(txt, "图1 学生宿舍走廊"));
    free(txt);
    xa_buf_clear(&data);
    free(jpg);
    free(srcpath);
    free(path);
}

/* A grid of pictures: a JPEG embedded as it is, a PNG drawn, anything else a
 * framed box; every caption is text; two to a row. */
static void image_grid(void **state)
{
    (void)state;
    xa_pdf *src = xa_pdf_new("图", NULL);
    xa_pdf_title(src, "整改前");
    char *srcpath = save(src, "gsrc.pdf");
    free(run("pdftoppm -jpeg -r 20 -singlefile '%s' '%s/g'", srcpath, dir));
    free(run("pdftoppm -png -r 10 -singlefile '%s' '%s/g'", srcpath, dir));
    char *jpg = xa_asprintf("%s/g.jpg", dir), *png = xa_asprintf("%s/g.png", dir);
    xa_buf j = XA_BUF_INIT, n = XA_BUF_INIT;
    xa_err e;
    assert_int_equal(xa_read_file(jpg, 1 << 24, &j, &e), XA_OK);
    assert_int_equal(xa_read_file(png, 1 << 24, &n, &e), XA_OK);
    xa_pdf_image im[] = {{j.data, j.len, "整改前-1 宿舍走廊"},
                         {n.data, n.len, "整改前-2 楼梯"},
                         {"ftypheic", 8, "整改前-3 HEIC"}};
    xa_pdf *p = xa_pdf_new("照片", NULL);
    xa_pdf_images(p, im, 3, 60);
    char *path = save(p, "grid.pdf");
    char *list = run("pdfimages -list '%s'", path);
    assert_non_null(strstr(list, "jpeg"));
    assert_non_null(strstr(list, "image"));
    free(list);
    free(run("pdfimages -j '%s' '%s/gout'", path, dir));
    char *cmp = run("cmp '%s' '%s/gout-000.jpg' && echo same", jpg, dir);
    assert_string_equal(cmp, "same\n");
    free(cmp);
    char *txt = run("pdftotext -enc UTF-8 '%s' -", path);
    assert_non_null(strstr(txt, "整改前-1 宿舍走廊"));
    assert_non_null(strstr(txt, "整改前-2 楼梯"));
    assert_non_null(strstr(txt, "整改前-3 HEIC"));
    assert_non_null(strstr(txt, "无法在 PDF 中显示"));
    free(txt);
    xa_buf_clear(&j);
    xa_buf_clear(&n);
    free(jpg);
    free(png);
    free(srcpath);
    free(path);
}

/* Bar and line charts: labels, legend, axis numbers are text in the PDF. */
static void charts(void **state)
{
    (void)state;
    xa_pdf *p = xa_pdf_new("图表", NULL);
    const char *labels[] = {"莲都区", "青田县", "缙云县", "遂昌县", "松阳县",
                            "云和县", "庆元县", "景宁县", "龙泉市", "市直"};
    double found[] = {12, 7, 9, 3, 5, 2, 4, 6, 8, 1};
    double closed[] = {10, 7, 6, 3, 2, 2, 4, 5, 7, 1};
    xa_pdf_series s[] = {{"发现隐患", found}, {"已销号", closed}};
    xa_pdf_chart c = {"各县（市、区）隐患整改情况", "处", labels, 10, s, 2, 0};
    xa_pdf_bar_chart(p, &c);
    double months[] = {3, 8, 14, 9};
    const char *ml[] = {"9月", "10月", "11月", "12月"};
    xa_pdf_series s2[] = {{"检查次数", months}};
    xa_pdf_chart c2 = {"月度检查次数", "次", ml, 4, s2, 1, 50};
    xa_pdf_line_chart(p, &c2);
    xa_pdf_chart empty = {"无数据", NULL, NULL, 0, NULL, 0, 30};
    xa_pdf_bar_chart(p, &empty);
    char *path = save(p, "chart.pdf");
    char *txt = run("pdftotext -enc UTF-8 '%s' -", path);
    char *sq = squeeze(txt);
    const char *want[] = {"各县（市、区）隐患整改情况", "莲都区", "市直", "发现隐患", "已销号",
                          "月度检查次数", "12月", "检查次数", "无数据"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(sq, want[i]))
            fail_msg("missing %s", want[i]);
    free(sq);
    free(txt);
    free(path);
}

/* The same document gives the same bytes (a reprint is unchanged). */
static void deterministic(void **state)
{
    (void)state;
    xa_buf a = XA_BUF_INIT, b = XA_BUF_INIT;
    xa_err e;
    for (int k = 0; k < 2; k++) {
        xa_pdf *p = xa_pdf_new("同一份", "2026-11-30");
        xa_pdf_title(p, "同一份文件");
        xa_pdf_text(p, "内容相同，字节相同。", NULL);
        assert_int_equal(xa_pdf_render(p, k ? &b : &a, &e), XA_OK);
        xa_pdf_free(p);
    }
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    xa_buf_clear(&a);
    xa_buf_clear(&b);
}

/* Invalid UTF-8 shows a replacement character instead of breaking layout. */
static void bad_utf8(void **state)
{
    (void)state;
    xa_pdf *p = xa_pdf_new("坏\xff", NULL);
    xa_pdf_text(p, "前\xe4\xb8后", NULL);
    xa_pdf_field(p, "标\xc3", "值\xff", NULL);
    char *path = save(p, "bad.pdf");
    char *txt = run("pdftotext -enc UTF-8 '%s' -", path);
    assert_non_null(strstr(txt, "前"));
    assert_non_null(strstr(txt, "后"));
    free(txt);
    free(path);
}

/* Write content into path (a file someone else made). */
static void put(const char *path, const char *content)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

/* Files in dir whose name contains needle. */
static int files_with(const char *needle)
{
    char *out = run("ls -a '%s'", dir);
    int n = count(out, needle);
    free(out);
    return n;
}

/* Issue 11 item 7: an output never replaces a file that appeared between the
 * existence check and publishing (the check and link() are one step), and
 * --force replaces the name; no temporary file is left either way. */
static void late_file_not_replaced(void **state)
{
    (void)state;
    xa_err e;
    char *buf = NULL;
    xa_buf b = XA_BUF_INIT;
    /* the -o writer every text output uses */
    char *path = xa_asprintf("%s/late.txt", dir);
    xa_outfile o;
    assert_int_equal(xa_out_open(&o, path, 0, &e), XA_OK);
    assert_int_equal(write(o.fd, "ours", 4), 4);
    put(path, "theirs");
    assert_int_equal(xa_out_publish(&o, &e), XA_EEXIST);
    assert_non_null(strstr(e.msg, "already exists"));
    xa_out_clear(&o);
    assert_int_equal(xa_read_file(path, 100, &b, NULL), XA_OK);
    assert_string_equal(b.data, "theirs");
    xa_buf_reset(&b);
    assert_int_equal(xa_out_open(&o, path, XA_OUT_FORCE, &e), XA_OK);
    assert_int_equal(write(o.fd, "ours", 4), 4);
    assert_int_equal(xa_out_publish(&o, &e), XA_OK);
    xa_out_clear(&o);
    assert_int_equal(xa_read_file(path, 100, &b, NULL), XA_OK);
    assert_string_equal(b.data, "ours");
    xa_buf_reset(&b);
    /* a workbook, which libxlsxwriter writes by name */
    char *book = xa_asprintf("%s/late.xlsx", dir);
    xa_xlsx *x;
    assert_int_equal(xa_xlsx_create(book, 0, 0, &x, &e), XA_OK);
    xa_xlsx_sheet_plain(x, "表");
    put(book, "theirs");
    assert_int_equal(xa_xlsx_close(x, &e), XA_EEXIST);
    assert_int_equal(xa_read_file(book, 100, &b, NULL), XA_OK);
    assert_string_equal(b.data, "theirs");
    xa_buf_reset(&b);
    assert_int_equal(xa_xlsx_create(book, 0, XA_OUT_FORCE, &x, &e), XA_OK);
    xa_xlsx_sheet_plain(x, "表");
    assert_int_equal(xa_xlsx_close(x, &e), XA_OK);
    buf = run("/usr/bin/python3 -c \"import openpyxl,sys; print(openpyxl.load_workbook(sys.argv[1]).sheetnames[0])\" '%s'", book);
    assert_string_equal(buf, "表\n");
    free(buf);
    /* a PDF: an existing name is refused without XA_OUT_FORCE */
    char *doc = xa_asprintf("%s/late.pdf", dir);
    put(doc, "theirs");
    xa_pdf *p = xa_pdf_new("文", NULL);
    assert_int_equal(xa_pdf_save(p, doc, 0, &e), XA_EEXIST);
    assert_int_equal(xa_read_file(doc, 100, &b, NULL), XA_OK);
    assert_string_equal(b.data, "theirs");
    assert_int_equal(xa_pdf_save(p, doc, XA_OUT_FORCE, &e), XA_OK);
    xa_pdf_free(p);
    buf = run("pdfinfo '%s' | grep -c '^Pages:'", doc);
    assert_string_equal(buf, "1\n");
    free(buf);
    assert_int_equal(files_with(".tmp."), 0);
    xa_buf_clear(&b);
    free(doc);
    free(book);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_fonts_footer), cmocka_unit_test(long_paragraph),
        cmocka_unit_test(table_pages),       cmocka_unit_test(tall_row),
        cmocka_unit_test(jpeg_as_is),        cmocka_unit_test(image_grid),
        cmocka_unit_test(charts),
        cmocka_unit_test(deterministic),     cmocka_unit_test(bad_utf8),
        cmocka_unit_test(late_file_not_replaced),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
