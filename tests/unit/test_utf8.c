/* test_utf8.c — display width, cut, pad, wrap and sanitise (core/utf8.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xiaoan/utf8.h"

static void width_basic(void **state)
{
    (void)state;
    assert_int_equal(xa_utf8_width(""), 0);
    assert_int_equal(xa_utf8_width("abc"), 3);
    assert_int_equal(xa_utf8_width("校园安全"), 8);           /* pure Chinese */
    assert_int_equal(xa_utf8_width("中文English"), 11);      /* mixed */
    assert_int_equal(xa_utf8_width("，。："), 6);             /* full-width punctuation */
    assert_int_equal(xa_utf8_width("“”…—·"), 5);             /* ambiguous: as the terminal, 1 */
    xa_utf8_set_ambiguous_width(2);                           /* a terminal that draws them wide */
    assert_int_equal(xa_utf8_width("“”…—·"), 10);
    assert_int_equal(xa_utf8_width("，。：“”"), 10);
    xa_utf8_set_ambiguous_width(1);
    assert_int_equal(xa_utf8_width("e\xCC\x81"), 1);          /* e + combining acute */
    assert_int_equal(xa_utf8_width("\xFF\xFE"), 2);           /* invalid bytes: 1 each */
    assert_int_equal(xa_utf8_width("a\tb\x01"), 4);           /* controls drawn as ? */
    assert_int_equal(xa_utf8_width("ＡＢ"), 4);               /* full-width Latin */
    assert_int_equal(xa_utf8_width("\xF0\xA0\x80\x80"), 2);   /* CJK ext B */
    assert_int_equal(xa_utf8_width("한"), 2);
}

static void decode_strict(void **state)
{
    (void)state;
    uint32_t cp;
    int ok;
    assert_int_equal(xa_utf8_decode("\xC0\xAF", 2, &cp, &ok), 1); /* overlong */
    assert_false(ok);
    assert_int_equal(cp, XA_REPLACEMENT);
    xa_utf8_decode("\xED\xA0\x80", 3, &cp, &ok); /* surrogate */
    assert_false(ok);
    xa_utf8_decode("\xE4\xB8", 2, &cp, &ok); /* truncated */
    assert_false(ok);
    assert_int_equal(xa_utf8_decode("\xE4\xB8\xAD", 3, &cp, &ok), 3);
    assert_true(ok);
    assert_int_equal(cp, 0x4E2D);
    size_t off = 99;
    assert_true(xa_utf8_valid("中文", 6, &off));
    assert_false(xa_utf8_valid("中\xFF文", 7, &off));
    assert_int_equal(off, 3);
}

static void sanitize(void **state)
{
    (void)state;
    char *s = xa_utf8_sanitize("a\x1b[31mb\x7f", 8, 0);
    assert_string_equal(s, "a?[31mb?");
    free(s);
    s = xa_utf8_sanitize("中\xFF文", 7, 0);
    assert_string_equal(s, "中\xEF\xBF\xBD文");
    free(s);
    s = xa_utf8_sanitize("a\nb", 3, 0);
    assert_string_equal(s, "a?b");
    free(s);
    s = xa_utf8_sanitize("a\nb", 3, 1);
    assert_string_equal(s, "a\nb");
    free(s);
    s = xa_utf8_sanitize("\xC2\x85", 2, 0); /* C1 control NEL */
    assert_string_equal(s, "?");
    free(s);
    s = xa_utf8_sanitize("a\xE2\x80\xAE" "b\xE2\x81\xA9", 8, 0); /* RLO, PDI (issue 11) */
    assert_string_equal(s, "a?b?");
    assert_int_equal(xa_utf8_width("a\xE2\x80\xAE" "b"), 3);
    free(s);
    s = xa_utf8_sanitize("", 0, 0);
    assert_string_equal(s, "");
    free(s);
}

/* The ambiguous width follows XIAOAN_WIDE_PUNCT, else the locale's wcwidth
 * (1 in the C locale and every glibc UTF-8 locale). */
static void ambiguous_setting(void **state)
{
    (void)state;
    setenv("XIAOAN_WIDE_PUNCT", "1", 1);
    xa_utf8_ambiguous_from_locale();
    assert_int_equal(xa_utf8_ambiguous_width(), 2);
    assert_int_equal(xa_utf8_width("答“不适用”"), 12);
    setenv("XIAOAN_WIDE_PUNCT", "0", 1);
    xa_utf8_ambiguous_from_locale();
    assert_int_equal(xa_utf8_ambiguous_width(), 1);
    unsetenv("XIAOAN_WIDE_PUNCT");
    xa_utf8_ambiguous_from_locale();
    assert_int_equal(xa_utf8_ambiguous_width(), 1);
    assert_int_equal(xa_utf8_width("答“不适用”"), 10);
}

/* Cutting with a one-column ellipsis (the default, as most terminals draw it). */
static void cut_narrow(void **state)
{
    (void)state;
    char *s = xa_utf8_cut("校园安全", 7); /* 3 chars + … */
    assert_string_equal(s, "校园安…");
    assert_int_equal(xa_utf8_width(s), 7);
    free(s);
    s = xa_utf8_cut("a校园安全", 6);
    assert_string_equal(s, "a校园…");
    assert_int_equal(xa_utf8_width(s), 6);
    free(s);
    s = xa_utf8_cut("a校园安全", 5); /* N-1 when the next char is wide */
    assert_string_equal(s, "a校…");
    assert_int_equal(xa_utf8_width(s), 4);
    free(s);
    s = xa_utf8_cut("abcdef", 4);
    assert_string_equal(s, "abc…");
    free(s);
}

static void cut(void **state)
{
    (void)state;
    xa_utf8_set_ambiguous_width(2); /* the cases below draw … in two columns */
    char *s = xa_utf8_cut("校园安全", 8); /* exactly N columns: unchanged */
    assert_string_equal(s, "校园安全");
    free(s);
    s = xa_utf8_cut("校园安全", 7); /* one short: 2 chars + … */
    assert_string_equal(s, "校园…");
    assert_true(xa_utf8_width(s) <= 7);
    free(s);
    s = xa_utf8_cut("a校园安全", 6); /* N-1 when the next char is wide */
    assert_string_equal(s, "a校…");
    assert_int_equal(xa_utf8_width(s), 5);
    free(s);
    s = xa_utf8_cut("abcdef", 4);
    assert_string_equal(s, "ab…");
    free(s);
    s = xa_utf8_cut("", 4);
    assert_string_equal(s, "");
    free(s);
    s = xa_utf8_cut("中文", 1); /* no room for anything wide */
    assert_string_equal(s, "");
    free(s);
    s = xa_utf8_cut("abc", 0);
    assert_string_equal(s, "");
    free(s);
    s = xa_utf8_cut("e\xCC\x81xyz", 2); /* combining mark stays with its base */
    assert_string_equal(s, "…");
    free(s);
    s = xa_utf8_cut("ab\x01", 3);
    assert_string_equal(s, "ab?");
    free(s);
    xa_utf8_set_ambiguous_width(1);
}

static void pad(void **state)
{
    (void)state;
    char *s = xa_utf8_pad("中文", 6, 0);
    assert_string_equal(s, "中文  ");
    free(s);
    s = xa_utf8_pad("中文", 6, 1);
    assert_string_equal(s, "  中文");
    free(s);
    s = xa_utf8_pad("校园安全检查", 7, 0); /* cut to 6 (2+2+…) then padded to 7 */
    assert_int_equal(xa_utf8_width(s), 7);
    free(s);
    s = xa_utf8_pad("", 3, 0);
    assert_string_equal(s, "   ");
    free(s);
}

/* Join wrapped lines with '|' for compact comparisons. */
static char *wrapj(const char *in, size_t cols)
{
    size_t n;
    char **l = xa_utf8_wrap(in, cols, &n);
    size_t total = 1;
    for (size_t i = 0; i < n; i++) {
        total += strlen(l[i]) + 1;
        assert_true(xa_utf8_width(l[i]) <= cols);
    }
    char *out = calloc(1, total);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, "|");
        strcat(out, l[i]);
    }
    xa_lines_free(l);
    return out;
}

static void wrap(void **state)
{
    (void)state;
    char *s = wrapj("校园安全检查", 4);
    assert_string_equal(s, "校园|安全|检查");
    free(s);
    /* Punctuation never starts a line: the character before it moves down. */
    s = wrapj("宿舍楼，食堂。", 6);
    assert_string_equal(s, "宿舍|楼，食|堂。");
    free(s);
    s = wrapj("一二三：四", 6);
    assert_string_equal(s, "一二|三：四");
    free(s);
    /* Latin words break at spaces. */
    s = wrapj("fire exits blocked", 10);
    assert_string_equal(s, "fire exits|blocked");
    free(s);
    /* Mixed: CJK breaks anywhere, Latin words stay whole. */
    s = wrapj("检查GB/T 29315安防", 8);
    assert_string_equal(s, "检查GB/T|29315安|防");
    free(s);
    /* A word longer than the line is split. */
    s = wrapj("abcdefghij", 4);
    assert_string_equal(s, "abcd|efgh|ij");
    free(s);
    /* Exactly N columns fits on one line. */
    s = wrapj("安全第一", 8);
    assert_string_equal(s, "安全第一");
    free(s);
    /* Forced breaks and empty paragraphs. */
    s = wrapj("甲\n\n乙", 8);
    assert_string_equal(s, "甲||乙");
    free(s);
    size_t n = 7;
    char **l = xa_utf8_wrap("", 10, &n);
    assert_int_equal(n, 0);
    assert_null(l[0]);
    xa_lines_free(l);
    /* Controls and invalid bytes are sanitised in the output. */
    s = wrapj("a\x01\xFF", 10);
    assert_string_equal(s, "a?\xEF\xBF\xBD");
    free(s);
    /* Odd width with wide characters: never exceeds. */
    s = wrapj("一二三四五", 5);
    assert_string_equal(s, "一二|三四|五");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(width_basic), cmocka_unit_test(decode_strict),
        cmocka_unit_test(sanitize),    cmocka_unit_test(cut),
        cmocka_unit_test(cut_narrow),
        cmocka_unit_test(ambiguous_setting),
        cmocka_unit_test(pad),         cmocka_unit_test(wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
