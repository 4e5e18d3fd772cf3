/* test_pinyin.c — readings from the Unihan table and the pinyin search of
 * school names (core/pinyin.c): full pinyin, initials, mixed prefixes,
 * every reading of a 多音字, ü typed as v or u, digits and Latin letters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xiaoan/pinyin.h"

static void readings(void **state)
{
    (void)state;
    const char *r[4];
    assert_int_equal(xa_pinyin_readings(0x9F99, r), 1); /* 龙 */
    assert_string_equal(r[0], "long");
    size_t n = xa_pinyin_readings(0x957F, r); /* 长: zhang and chang */
    assert_true(n >= 2);
    int chang = 0, zhang = 0;
    for (size_t i = 0; i < n; i++) {
        chang |= !strcmp(r[i], "chang");
        zhang |= !strcmp(r[i], "zhang");
    }
    assert_true(chang && zhang);
    assert_int_equal(xa_pinyin_readings(0x7EFF, r) > 0, 1); /* 绿: lv */
    assert_string_equal(r[0], "lv");
    assert_int_equal(xa_pinyin_readings('a', r), 0);
}

static void keys(void **state)
{
    (void)state;
    char *k = xa_pinyin_key("龙泉2号");  /* 号 has two readings: hao/xiao */
    assert_string_equal(k, "long quan 2 hao/xiao");
    free(k);
    k = xa_pinyin_key("（）·");
    assert_string_equal(k, "");
    free(k);
}

static int finds(const char *name, const char *q)
{
    char *k = xa_pinyin_key(name);
    int m = xa_pinyin_match(k, q);
    free(k);
    return m;
}

static void matching(void **state)
{
    (void)state;
    assert_true(finds("龙泉市实验小学", "longquan"));
    assert_true(finds("龙泉市实验小学", "lq"));
    assert_true(finds("龙泉市实验小学", "LQ"));
    assert_true(finds("龙泉市实验小学", "longq"));
    assert_true(finds("龙泉市实验小学", "lquan"));
    assert_true(finds("龙泉市实验小学", "lqssyxx"));
    assert_true(finds("龙泉市实验小学", "shiyan"));      /* from any character */
    assert_true(finds("莲都区实验小学", "ldqsyxx"));
    assert_false(finds("龙泉市实验小学", "longquanx"));
    assert_false(finds("龙泉市实验小学", "lx"));
    assert_false(finds("龙泉市实验小学", "qlong"));
    assert_true(finds("长安小学", "changan"));            /* 长 read chang */
    assert_true(finds("长安小学", "zhangan"));            /* and zhang */
    assert_true(finds("绿谷小学", "lvgu"));
    assert_true(finds("绿谷小学", "lugu"));               /* u for ü */
    assert_true(finds("丽水市第2中学", "d2zx"));
    assert_false(finds("龙泉市实验小学", ""));
    assert_false(finds("龙泉市实验小学", "——"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readings),
        cmocka_unit_test(keys),
        cmocka_unit_test(matching),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
