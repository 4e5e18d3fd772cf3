/* test_core.c — errors, memory/buffers, time, ids, files and JSON helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers/unit_fx.h"
#include "xiaoan/clock.h"
#include "xiaoan/cell.h"
#include "xiaoan/error.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/table.h"
#include "xiaoan/utf8.h"
#include "xiaoan/pass.h"

static void errors(void **state)
{
    (void)state;
    xa_err e;
    xa_err_clear(&e);
    assert_int_equal(e.code, XA_OK);
    assert_int_equal(xa_fail(&e, XA_EFORMAT, "line %d\nbad", 3), XA_EFORMAT);
    assert_string_equal(e.msg, "line 3\\x0abad"); /* kept on one line, visibly */
    xa_err_prefix(&e, "reading %s", "f.csv");
    assert_int_equal(e.code, XA_EFORMAT);
    assert_string_equal(e.msg, "reading f.csv: line 3\\x0abad");
    /* the failure's own code comes back, also without an err to fill */
    assert_int_equal(xa_err_prefixed(XA_EFORMAT, &e, "in %s", "g"), XA_EFORMAT);
    assert_string_equal(e.msg, "in g: reading f.csv: line 3\\x0abad");
    assert_int_equal(xa_err_prefixed(XA_ENOTFOUND, NULL, "in %s", "g"), XA_ENOTFOUND);
    xa_err_prefix(NULL, "nothing to prefix");
    xa_fail(&e, XA_ETRUNC, NULL);
    assert_string_equal(xa_err_msg(&e), "truncated");
    assert_int_equal(xa_fail_errno(&e, 28 /* ENOSPC */, "write x"), XA_ENOSPC);
    assert_non_null(strstr(e.msg, "write x: "));
    assert_int_equal(xa_fail(NULL, XA_EIO, "ignored"), XA_EIO);
    for (int c = 0; c < XA_NCODES; c++)
        assert_true(strlen(xa_code_str((xa_code)c)) > 0);
}

/* Issue 11 item 3: the one sanitiser shows C0, DEL, C1 and bidi controls
 * visibly and replaces invalid UTF-8; error messages pass through it. */
static void sanitiser(void **state)
{
    (void)state;
    char out[128];
    xa_safe_text(out, sizeof out, "a\x1b[2Kb\rc\x7f", 9);
    assert_string_equal(out, "a\\x1b[2Kb\\x0dc\\x7f");
    /* C1 CSI (U+009B), RLO (U+202E), LRI (U+2066), RLM (U+200F), LS (U+2028) */
    const char *c1 = "x\xC2\x9By\xE2\x80\xAEz\xE2\x81\xA6w\xE2\x80\x8Fv\xE2\x80\xA8u";
    xa_safe_text(out, sizeof out, c1, strlen(c1));
    assert_string_equal(out, "x\\u009by\\u202ez\\u2066w\\u200fv\\u2028u");
    /* Chinese passes, invalid bytes become U+FFFD */
    xa_safe_text(out, sizeof out, "中\xFF文", 7);
    assert_string_equal(out, "中\xEF\xBF\xBD文");
    /* cut at a character boundary, never inside an escape */
    assert_int_equal(xa_safe_text(out, 6, "ab\x1b", 3), 2);
    assert_string_equal(out, "ab");
    assert_int_equal(xa_safe_text(out, 4, "中文", 6), 3);
    assert_string_equal(out, "中");
    char *d = xa_safe_dup("\xE2\x80\xAE\xE2\x80\xAE\xE2\x80\xAE");
    assert_string_equal(d, "\\u202e\\u202e\\u202e");
    free(d);
    d = xa_safe_dup(NULL);
    assert_string_equal(d, "");
    free(d);
    assert_true(xa_cp_unsafe(0x85) && xa_cp_unsafe(0x202A) && xa_cp_unsafe(0x2069));
    assert_false(xa_cp_unsafe(0xA0) || xa_cp_unsafe(0x4E2D) || xa_cp_unsafe('a'));
    /* error messages */
    xa_err e;
    xa_fail(&e, XA_ESENDER, "not enrolled (%s)", "12345\xE2\x80\xAE\xC2\x9B" "2K");
    assert_string_equal(e.msg, "not enrolled (12345\\u202e\\u009b2K)");
}

/* Issue 11 item 8: the formula guard covers tab and CR too (OWASP). */
static void cell_guard(void **state)
{
    (void)state;
    const char *risky[] = {"=1+1", "+1", "-1", "@SUM(A1)", "\tx=1", "\r=1", "\xEF\xBC\x9D" "1+1"};
    for (size_t i = 0; i < sizeof risky / sizeof risky[0]; i++) {
        assert_true(xa_cell_risky(risky[i]));
        char *g = xa_cell_guard(risky[i]);
        assert_int_equal(g[0], '\'');
        assert_string_equal(g + 1, risky[i]);
        free(g);
    }
    assert_false(xa_cell_risky("疏散通道") || xa_cell_risky("") || xa_cell_risky(NULL) ||
                 xa_cell_risky("a=1") || xa_cell_risky(" x"));
    char *g = xa_cell_guard("莲都区");
    assert_string_equal(g, "莲都区");
    free(g);
}

static void buffers(void **state)
{
    (void)state;
    xa_buf b = XA_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        xa_buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    assert_memory_equal(b.data, "0,1,2,", 6);
    xa_buf_reset(&b);
    assert_int_equal(b.len, 0);
    xa_buf_add(&b, "a\0b", 3);
    assert_int_equal(b.len, 3);
    char *s = xa_buf_steal(&b);
    assert_null(b.data);
    free(s);
    s = xa_buf_steal(&b);
    assert_string_equal(s, "");
    free(s);
    s = xa_asprintf("%s-%d", "中", 7);
    assert_string_equal(s, "中-7");
    free(s);
    s = xa_strndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    void *k = xa_secret_alloc(32);
    memset(k, 0xAA, 32);
    xa_secret_free(k);
    xa_secret_free(NULL);
}

static void alloc_zero_aborts_child(void **state)
{
    (void)state;
    /* A size-0 request is a bug: the wrapper aborts (checked in a child). */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        xa_malloc(0);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    assert_true(WIFSIGNALED(st));
}

static void reallocarray_overflow_aborts_child(void **state)
{
    (void)state;
    /* Growing an array past SIZE_MAX bytes aborts instead of allocating short. */
    int *v = xa_reallocarray(NULL, 4, sizeof *v);
    v[3] = 7;
    v = xa_reallocarray(v, 1000, sizeof *v);
    assert_int_equal(v[3], 7);
    free(v);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        xa_reallocarray(NULL, SIZE_MAX / 2 + 2, 2);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    assert_true(WIFSIGNALED(st));
}

/* The table printer: widths by display width, alignment, caps with …, indent,
 * cell-at-a-time rows, no trailing blanks. */
static void table_printer(void **state)
{
    (void)state;
    xa_table *t = xa_table_new(3, (const char *[]){"学校", "n", "note"});
    xa_table_col(t, 1, 1, 0);
    xa_table_col(t, 2, 0, 6);
    xa_table_row(t, (const char *[]){"莲都区实验小学", "12", "short"});
    xa_table_add(t, "abc");
    xa_table_addf(t, "%d", 3);
    xa_table_add(t, "一二三四五六七");
    assert_int_equal(xa_table_nrows(t), 2);
    assert_int_equal(xa_table_natural(t, 0), 14);
    assert_int_equal(xa_table_natural(t, 2), 14);
    xa_buf b = XA_BUF_INIT;
    xa_table_write(t, "  ", &b);
    char *lines[4] = {0};
    size_t n = 0;
    for (char *p = b.data, *nl; p && *p && n < 4; p = nl + 1) {
        nl = strchr(p, '\n');
        assert_non_null(nl);
        lines[n++] = xa_strndup(p, (size_t)(nl - p));
    }
    assert_int_equal(n, 3);
    /* column 0 is 14 wide (the school), column 1 right-aligned to 2 ("12") */
    assert_string_equal(lines[0], "  学校" "          " "  " " n" "  " "note");
    assert_string_equal(lines[1], "  莲都区实验小学" "  " "12" "  " "short");
    /* column 2 is capped at 6: cut at display width, "…" taking 2 (utf8.h) */
    assert_string_equal(lines[2], "  abc" "           " "  " " 3" "  " "一二…");
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    xa_buf_clear(&b);
    xa_table_free(t);
    /* a cap never cuts the head; no header line without heads */
    t = xa_table_new(1, (const char *[]){"检查方式"});
    xa_table_col(t, 0, 0, 2);
    xa_table_add(t, "四不两直检查");
    xa_table_write(t, NULL, &b);
    assert_string_equal(b.data, "检查方式\n四不两…\n");
    xa_buf_clear(&b);
    xa_table_free(t);
    t = xa_table_new(2, NULL);
    xa_table_row(t, (const char *[]){"a", NULL});
    xa_table_write(t, "", &b);
    assert_string_equal(b.data, "a\n");
    xa_buf_clear(&b);
    xa_table_free(t);
    /* cells written as they are (clean, fitting) and cells made safe give
     * what xa_utf8_pad gives: a control character and invalid UTF-8 never
     * reach the output */
    t = xa_table_new(2, NULL);
    xa_table_take(t, xa_strdup("a\x01" "b"));
    xa_table_add(t, "\xff" "x");
    xa_table_add(t, "好的");
    xa_table_add(t, "y");
    xa_table_write(t, "", &b);
    size_t w0 = xa_table_natural(t, 0), w1 = xa_table_natural(t, 1);
    char *p00 = xa_utf8_pad("a\x01" "b", w0, 0), *p01 = xa_utf8_pad("\xff" "x", w1, 0);
    char *p10 = xa_utf8_pad("好的", w0, 0);
    char *want = xa_asprintf("%s  %s\n%s  y\n", p00, p01, p10);
    assert_string_equal(b.data, want);
    assert_null(strchr(b.data, '\x01'));
    assert_null(strchr(b.data, '\xff'));
    free(p00);
    free(p01);
    free(p10);
    free(want);
    xa_buf_clear(&b);
    xa_table_free(t);
    xa_table_free(NULL);
}

static void times(void **state)
{
    (void)state;
    int64_t t;
    int off;
    char buf[XA_RFC3339_MAX];
    assert_int_equal(xa_time_parse("2026-11-29T21:38:00+08:00", &t, &off, NULL), XA_OK);
    assert_int_equal(off, 480);
    assert_int_equal(t, 1795959480); /* date -d 2026-11-29T21:38:00+08:00 +%s */
    xa_time_format(t, off, buf);
    assert_string_equal(buf, "2026-11-29T21:38:00+08:00");
    xa_time_format(t, 0, buf);
    assert_string_equal(buf, "2026-11-29T13:38:00Z");
    assert_int_equal(xa_time_parse("2026-11-29T13:38:00.123Z", &t, &off, NULL), XA_OK);
    assert_int_equal(off, 0);
    xa_time_format(t, -330, buf);
    assert_string_equal(buf, "2026-11-29T08:08:00-05:30");
    xa_err e;
    assert_int_equal(xa_time_parse("2026-02-30T00:00:00Z", &t, &off, &e), XA_EFORMAT);
    assert_int_equal(xa_time_parse("2026-11-29 13:38:00Z", &t, &off, &e), XA_EFORMAT);
    assert_int_equal(xa_time_parse("2026-11-29T13:38:00", &t, &off, &e), XA_EFORMAT);
    assert_int_equal(xa_time_parse("2026-11-29T24:00:00Z", &t, &off, &e), XA_EFORMAT);
    assert_int_equal(xa_time_parse("", &t, &off, &e), XA_EFORMAT);
    int64_t d;
    assert_int_equal(xa_date_parse("2024-02-29", &d, NULL), XA_OK);
    char ds[XA_DATE_MAX];
    xa_date_format(d + 30, ds);
    assert_string_equal(ds, "2024-03-30");
    assert_int_equal(xa_date_parse("2023-02-29", &d, &e), XA_EFORMAT);
    assert_int_equal(xa_date_parse("1970-01-01", &d, NULL), XA_OK);
    assert_int_equal(d, 0);
    /* 23:30 UTC on the 28th is the 29th in +08:00. */
    xa_time_parse("2026-11-28T23:30:00Z", &t, NULL, NULL);
    xa_date_format(xa_date_of(t, XA_CST_OFFSET), ds);
    assert_string_equal(ds, "2026-11-29");
    setenv("XIAOAN_NOW", "2025-01-02T03:04:05+08:00", 1);
    xa_time_format(xa_now(), 480, buf);
    assert_string_equal(buf, "2025-01-02T03:04:05+08:00");
    unsetenv("XIAOAN_NOW");
}

static void ids(void **state)
{
    (void)state;
    char a[XA_ID_HEX], b[XA_ID_HEX];
    xa_random_id(a);
    xa_random_id(b);
    assert_int_equal(strlen(a), 32);
    assert_true(xa_id_valid(a));
    assert_string_not_equal(a, b);
    uint8_t raw[4];
    assert_int_equal(xa_hex_decode("DEADbeef", raw, 4, NULL), XA_OK);
    assert_int_equal(raw[0], 0xDE);
    char hx[9];
    xa_hex_encode(raw, 4, hx);
    assert_string_equal(hx, "deadbeef");
    assert_int_equal(xa_hex_decode("deadbeeg", raw, 4, NULL), XA_EFORMAT);
    assert_int_equal(xa_hex_decode("dead", raw, 4, NULL), XA_EFORMAT);
    assert_false(xa_id_valid("ABCDEF0123456789abcdef0123456789"));
}

static void files(void **state)
{
    (void)state;
    char dir[] = "/tmp/xiaoan-ut.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *home_opt = xa_path_join(dir, "a/b/home");
    char *home = NULL;
    assert_int_equal(xa_home_resolve(home_opt, &home, NULL), XA_OK);
    struct stat st;
    assert_int_equal(stat(home, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    char *f = xa_path_join(home, "x.txt");
    assert_int_equal(xa_write_atomic(f, "one", 3, NULL), XA_OK);
    assert_int_equal(xa_write_atomic(f, "二二", 6, NULL), XA_OK);
    assert_int_equal(stat(f, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_read_file(f, 100, &b, NULL), XA_OK);
    assert_string_equal(b.data, "二二");
    xa_buf_reset(&b);
    xa_err e;
    assert_int_equal(xa_read_file(f, 5, &b, &e), XA_ELIMIT);
    assert_int_equal(xa_read_file("/nonexistent/x", 5, &b, &e), XA_EIO);
    assert_non_null(strstr(e.msg, "/nonexistent/x"));
    xa_buf_clear(&b);
    /* XIAOAN_HOME and XDG_DATA_HOME. */
    char *h2 = NULL;
    setenv("XIAOAN_HOME", home, 1);
    assert_int_equal(xa_home_resolve(NULL, &h2, NULL), XA_OK);
    assert_string_equal(h2, home);
    free(h2);
    unsetenv("XIAOAN_HOME");
    setenv("XDG_DATA_HOME", dir, 1);
    assert_int_equal(xa_home_resolve(NULL, &h2, NULL), XA_OK);
    char *want = xa_path_join(dir, "xiaoan");
    assert_string_equal(h2, want);
    free(want);
    free(h2);
    /* Passphrase from a file: first line only, CRLF tolerated. */
    char *pf = xa_path_join(dir, "pass");
    FILE *fp = fopen(pf, "w");
    fputs("秘密 phrase\r\nsecond line\n", fp);
    fclose(fp);
    char *pw = NULL;
    assert_int_equal(xa_pass_read("p: ", pf, 0, &pw, NULL), XA_OK);
    assert_string_equal(pw, "秘密 phrase");
    xa_pass_free(pw);
    fp = fopen(pf, "w");
    fclose(fp);
    assert_int_equal(xa_pass_read("p: ", pf, 0, &pw, &e), XA_EFORMAT);
    setenv("XIAOAN_PASSPHRASE_FILE", "/nonexistent/pass", 1);
    assert_int_equal(xa_pass_read("p: ", NULL, 0, &pw, &e), XA_EIO);
    unsetenv("XIAOAN_PASSPHRASE_FILE");
    free(pf);
    free(f);
    free(home);
    free(home_opt);
    char *cmd = xa_asprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* Weak passphrases are named, strong ones are not. */
static void weak_passphrases(void **state)
{
    (void)state;
    assert_non_null(xa_pass_weakness("abc"));
    assert_non_null(xa_pass_weakness("山路十八弯"));          /* 5 characters, 15 bytes */
    assert_non_null(xa_pass_weakness("PASSWORD"));            /* common, any case */
    assert_non_null(xa_pass_weakness("1234567890"));          /* common and a run */
    assert_non_null(xa_pass_weakness("aaaaaaaaaaaa"));        /* one character */
    assert_non_null(xa_pass_weakness("abcdefghijkl"));        /* a run */
    assert_null(xa_pass_weakness("correct horse battery"));
    assert_null(xa_pass_weakness("云和梯田的雾很大很大"));     /* 10 characters */
}

static void json(void **state)
{
    (void)state;
    json_t *v = NULL;
    const char *doc = "{\"b\": [1, 2, {\"z\": \"中\", \"a\": null}], \"a\": true}";
    assert_int_equal(xa_json_parse(doc, strlen(doc), 32, &v, NULL), XA_OK);
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_json_canonical(v, &b, NULL), XA_OK);
    assert_string_equal(b.data, "{\"a\":true,\"b\":[1,2,{\"a\":null,\"z\":\"中\"}]}");
    assert_int_equal(xa_json_depth(v), 3);
    json_decref(v);
    xa_buf_clear(&b);
    xa_err e;
    assert_int_equal(xa_json_parse("{\"a\":1.5}", 9, 32, &v, &e), XA_EFORMAT);
    assert_int_equal(xa_json_parse("{\"a\":1,\"a\":2}", 13, 32, &v, &e), XA_EFORMAT);
    assert_int_equal(xa_json_parse("[[[[1]]]]", 9, 3, &v, &e), XA_EFORMAT);
    assert_int_equal(xa_json_parse("[\"[[[[\"]", 8, 2, &v, &e), XA_OK); /* brackets in strings */
    json_decref(v);
    assert_int_equal(xa_json_parse("{} x", 4, 32, &v, &e), XA_EFORMAT);
    json_t *o = json_pack("{s:s,s:I,s:[]}", "s", "x", "n", (json_int_t)5, "arr");
    const char *s;
    json_int_t n;
    json_t *arr;
    assert_int_equal(xa_json_str(o, "s", &s, NULL), XA_OK);
    assert_int_equal(xa_json_int(o, "n", &n, NULL), XA_OK);
    assert_int_equal(n, 5);
    assert_int_equal(xa_json_arr(o, "arr", &arr, NULL), XA_OK);
    assert_int_equal(xa_json_str(o, "n", &s, &e), XA_EFORMAT);
    assert_string_equal(e.msg, "field 'n' must be a string");
    assert_int_equal(xa_json_str(o, "missing", &s, &e), XA_EFORMAT);
    assert_string_equal(e.msg, "missing field 'missing'");
    assert_int_equal(xa_json_str_opt(o, "missing", &s, NULL), XA_OK);
    assert_null(s);
    json_decref(o);
}

/* Does parse + xa_json_canonical give back exactly these bytes? */
static int parses_to_itself(const char *s, size_t len, int depth)
{
    json_t *v = NULL;
    if (xa_json_parse(s, len, depth, &v, NULL) != XA_OK)
        return 0;
    xa_buf b = XA_BUF_INIT;
    int same = json_is_object(v) && xa_json_canonical(v, &b, NULL) == XA_OK && b.len == len &&
               memcmp(b.data, s, len) == 0;
    xa_buf_clear(&b);
    json_decref(v);
    return same;
}

/* The one-scan canonical check: accepts what parse + canonical print back
 * unchanged, refuses the rest (or is not sure), never accepts more. */
static void json_canonical_scan(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "{}",
        "{\"a\":1,\"b\":[true,false,null,-5,0,\"x\"],\"c\":{\"d\":{}}}",
        "{\"doc\":{\"note\":\"第一行\\n\\\"引号\\\"\\\\\\t\"},\"sig\":\"AAA=\",\"type\":\"visit\"}",
        "{\"a\":\"\x7f\xf0\x9f\x98\x80\",\"aa\":[],\"b\":-123456789012345678}",
    };
    static const char *const no[] = {
        "{ }", "{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":1}", "{\"a\":-0}", "{\"a\":01}",
        "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":\"\\/\"}", "{\"a\":\"\\u00e9\"}",
        "{\"a\":\"\xc0\x80\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\x01\"}", "{\"a\":1} ",
        "[1]", "{\"a\":[[[1]]]}", "{\"a\":1,}", "{\"a\":tru}", "{\"a\":\"x}",
        "{\"a\":1234567890123456789}", "{\"a\\n\":1}",
    };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        assert_true(xa_json_canonical_object(yes[i], strlen(yes[i]), 32, NULL, NULL, NULL));
        assert_true(parses_to_itself(yes[i], strlen(yes[i]), 32));
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(xa_json_canonical_object(no[i], strlen(no[i]), 3, NULL, NULL, NULL));
    /* a top-level string member is lent, an escaped or nested one is not */
    const char *v;
    size_t vl;
    const char *r = yes[2];
    assert_true(xa_json_canonical_object(r, strlen(r), 32, "type", &v, &vl));
    assert_int_equal(vl, 5);
    assert_memory_equal(v, "visit", 5);
    assert_true(xa_json_canonical_object(r, strlen(r), 32, "note", &v, &vl));
    assert_null(v);
    /* mutations of a canonical record: whatever the scan accepts parses back
     * to the same bytes */
    const char *base = "{\"doc\":{\"answers\":[{\"code\":\"A1\",\"result\":\"pass\",\"value\":12}],"
                       "\"note\":\"学校\\n\\\\\",\"seq\":-3,\"z\":[null,true,{}]},"
                       "\"sig\":\"QUJD\",\"type\":\"visit\"}";
    static const char alphabet[] = "{}[]\":,\\-0123456789.eEtrufalsn \x80\xc3\xa9\xe5\xad\xa6\x01/";
    size_t n = strlen(base), accepted = 0;
    char buf[512];
    uint64_t x = 20261201;
    for (int k = 0; k < 50000; k++) {
        memcpy(buf, base, n);
        size_t len = n;
        for (int m = 0; m < 1 + k % 3; m++)
            fx_mutate(buf, &len, alphabet, &x);
        if (xa_json_canonical_object(buf, len, 32, NULL, NULL, NULL)) {
            accepted++;
            if (!parses_to_itself(buf, len, 32))
                fail_msg("accepted but not canonical: %.*s", (int)len, buf);
        }
    }
    assert_true(accepted > 100); /* the mutations do reach canonical texts */
}

/* {"a":"S"} with S given; the scan and the cursor against parse + print. */
static void string_case(const char *s, size_t n)
{
    char buf[128];
    memcpy(buf, "{\"a\":\"", 6);
    memcpy(buf + 6, s, n);
    memcpy(buf + 6 + n, "\"}", 2);
    size_t len = n + 8;
    int scan = xa_json_canonical_object(buf, len, 32, NULL, NULL, NULL);
    int ref = parses_to_itself(buf, len, 32);
    if (scan != ref)
        fail_msg("scan %d, parse+print %d: %.*s", scan, ref, (int)len, buf);
    /* the cursor reads the string with the same rules and decodes it as
     * jansson does; exactly len bytes, so ASan sees any read past them */
    char *exact = xa_malloc(len);
    memcpy(exact, buf, len);
    xa_buf arena = XA_BUF_INIT;
    xa_jcur c;
    xa_jcur_init(&c, exact, len, 32, &arena);
    const char *out = NULL;
    size_t olen = 0;
    int cur = xa_jcur_obj(&c) && xa_jcur_key(&c, "a") && xa_jcur_str(&c, &out, &olen) &&
              xa_jcur_obj_end(&c) && xa_jcur_done(&c);
    if (cur != ref)
        fail_msg("cursor %d, parse+print %d: %.*s", cur, ref, (int)len, buf);
    if (cur) {
        json_t *v = NULL;
        assert_int_equal(xa_json_parse(buf, len, 32, &v, NULL), XA_OK);
        const json_t *a = json_object_get(v, "a");
        assert_int_equal(olen, json_string_length(a));
        assert_memory_equal(out, json_string_value(a), olen);
        assert_int_equal(out[olen], '\0');
        json_decref(v);
    }
    xa_buf_clear(&arena);
    free(exact);
}

/* The scanner reads plain ASCII eight bytes at a time: every byte value and
 * the multi-byte forms (valid, overlong, surrogate, cut short) at every
 * place of a string longer than two such words, and pairs of the bytes that
 * end the fast path, give what parse + canonical print give. */
static void json_canonical_scan_strings(void **state)
{
    (void)state;
    static const char plain[] = "abcdefghijklmnopqrstuvw"; /* 23 bytes */
    size_t n = sizeof plain - 1;
    char s[64];
    for (size_t at = 0; at <= n; at++) {
        for (int b = 0; b < 256; b++) { /* one byte put in */
            memcpy(s, plain, at);
            s[at] = (char)b;
            memcpy(s + at + 1, plain + at, n - at);
            string_case(s, n + 1);
        }
        static const char *const seqs[] = {
            "\xc3\xa9", "\xe5\xad\xa6", "\xf0\x9f\x98\x80", "\xc0\x80", "\xc1\xbf",
            "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
            "\xe5\xad", "\xf0\x9f\x98", "\x7f", "\\n", "\\\"", "\\\\", "\\u00e9", "\\/",
            "\\x", "\\", "\"", "\xe5\xad\xa6\xe5\xad\xa6\\t",
        };
        for (size_t k = 0; k < sizeof seqs / sizeof *seqs; k++) {
            size_t m = strlen(seqs[k]);
            memcpy(s, plain, at);
            memcpy(s + at, seqs[k], m);
            memcpy(s + at + m, plain + at, n - at);
            string_case(s, n + m);
        }
    }
    static const unsigned char ends[] = {'"', '\\', 0x00, 0x01, 0x1f, 0x20, 0x21, 0x5b, 0x5d,
                                         0x7f, 0x80, 0xbf, 0xc3, 0xe5, 0xff, 'n', 't'};
    for (size_t i = 0; i < 17; i++)
        for (size_t j = i + 1; j < 17; j++)
            for (size_t x = 0; x < sizeof ends; x++)
                for (size_t y = 0; y < sizeof ends; y++) {
                    memcpy(s, plain, 17);
                    s[i] = (char)ends[x];
                    s[j] = (char)ends[y];
                    string_case(s, 17);
                }
    /* a key is matched whole, and never read past the text */
    static const char *const keyed[] = {"{\"ab\":1}", "{\"a\":1}", "{\"a", "{\"a\"", "{\"a\":"};
    for (size_t i = 0; i < sizeof keyed / sizeof *keyed; i++) {
        size_t len = strlen(keyed[i]);
        char *exact = xa_malloc(len);
        memcpy(exact, keyed[i], len);
        xa_buf arena = XA_BUF_INIT;
        xa_jcur c;
        xa_jcur_init(&c, exact, len, 32, &arena);
        assert_int_equal(xa_jcur_obj(&c) && xa_jcur_key(&c, "a"), i == 1 || i == 4);
        xa_jcur_init(&c, exact, len, 32, &arena);
        assert_false(xa_jcur_obj(&c) && xa_jcur_key(&c, "abc"));
        xa_buf_clear(&arena);
        free(exact);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(errors), cmocka_unit_test(sanitiser), cmocka_unit_test(cell_guard), cmocka_unit_test(buffers),
        cmocka_unit_test(alloc_zero_aborts_child), cmocka_unit_test(reallocarray_overflow_aborts_child),
        cmocka_unit_test(table_printer), cmocka_unit_test(times),
        cmocka_unit_test(ids), cmocka_unit_test(files), cmocka_unit_test(json), cmocka_unit_test(json_canonical_scan), cmocka_unit_test(json_canonical_scan_strings),
        cmocka_unit_test(weak_passphrases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
