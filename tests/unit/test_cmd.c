/* test_cmd.c — the one command parser (src/cmd/entry.c) on a table of test
 * entries: options and flags, short forms, required options, choices,
 * operand bounds, the check hook, help generated from the entries; and the
 * real table: every entry well formed, no name twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"

static int ran;

/* The test entries' exec: counts calls. */
static int exec_count(struct xa_cmd_ctx *c)
{
    (void)c;
    ran++;
    return 0;
}

/* A check hook that refuses the operand "bad". */
static int refuse_bad(struct xa_cmd_ctx *c)
{
    if (c->argc && !strcmp(c->argv[0], "bad"))
        return xa_cmd_usage(c, "bad operand");
    return -1;
}

static const struct xa_cmd_opt t_opts[] = {
    {"county", 0, "C", "only county C", 0},
    {"json", 0, NULL, "JSON output", 0},
    {"output", 'o', "FILE", "where to write", XA_OPT_REQUIRED},
    {"lang", 0, "zh|en", "language", XA_OPT_CHOICE},
    {"secret", 0, "X", NULL, 0},
    {0},
};

static const struct xa_cmd_entry t_entries[] = {
    {.name = "thing make",
     .args = "[FILE...]",
     .min_args = 0,
     .max_args = 2,
     .help = "make a thing",
     .opts = t_opts,
     .needs = XA_NEED_STORE,
     .check = refuse_bad,
     .exec = exec_count},
    {.name = "thing", .args = "FILE", .min_args = 1, .max_args = 1, .help = "one thing",
     .exec = exec_count},
    {0},
};
static const struct xa_cmd_entry *const t_table[] = {t_entries, NULL};

/* Parse the words of line (space separated, at most 16) with entry e. */
static int parse_line(const struct xa_cmd_entry *e, const char *line, struct xa_cmd_ctx *c)
{
    static char buf[512];
    static char *argv[17];
    snprintf(buf, sizeof buf, "%s", line);
    int argc = 0;
    for (char *w = strtok(buf, " "); w && argc < 16; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    return xa_cmd_parse(e, argc, argv, c);
}

static void options_and_operands(void **state)
{
    (void)state;
    struct xa_cmd_ctx c;
    const struct xa_cmd_entry *e = &t_entries[0];
    assert_int_equal(parse_line(e, "make --county 莲都区 -o out.x a b --json", &c), -1);
    assert_string_equal(xa_cmd_opt(&c, "county"), "莲都区");
    assert_string_equal(xa_cmd_opt(&c, "output"), "out.x");
    assert_true(xa_cmd_flag(&c, "json"));
    assert_false(xa_cmd_flag(&c, "lang"));
    assert_null(xa_cmd_opt(&c, "lang"));
    assert_int_equal(c.argc, 2);
    assert_string_equal(c.argv[0], "a");
    assert_string_equal(c.argv[1], "b");
    /* the long form of a short option, --opt=value, and the standard options */
    assert_int_equal(parse_line(e, "make --output=o2 --store s.db --passphrase-file p", &c), -1);
    assert_string_equal(xa_cmd_opt(&c, "output"), "o2");
    assert_string_equal(xa_cmd_opt(&c, "store"), "s.db");
    assert_string_equal(xa_cmd_opt(&c, "passphrase-file"), "p");
    assert_int_equal(c.argc, 0);
    /* an unlisted option is still accepted */
    assert_int_equal(parse_line(e, "make -o x --secret 1", &c), -1);
    assert_string_equal(xa_cmd_opt(&c, "secret"), "1");
    /* a second parse starts afresh */
    assert_int_equal(parse_line(e, "make -o y", &c), -1);
    assert_null(xa_cmd_opt(&c, "county"));
    assert_false(xa_cmd_flag(&c, "json"));
    /* after --, words are operands */
    assert_int_equal(parse_line(e, "make -o y -- --json", &c), -1);
    assert_false(xa_cmd_flag(&c, "json"));
    assert_int_equal(c.argc, 1);
    assert_string_equal(c.argv[0], "--json");
}

static void usage_errors(void **state)
{
    (void)state;
    struct xa_cmd_ctx c;
    const struct xa_cmd_entry *e = &t_entries[0];
    assert_int_equal(parse_line(e, "make --frob -o x", &c), XA_EXIT_USAGE);
    assert_int_equal(parse_line(e, "make -o", &c), XA_EXIT_USAGE);       /* no value */
    assert_int_equal(parse_line(e, "make --county", &c), XA_EXIT_USAGE); /* no value */
    assert_int_equal(parse_line(e, "make a", &c), XA_EXIT_USAGE);        /* -o required */
    assert_int_equal(parse_line(e, "make -o x --lang fr", &c), XA_EXIT_USAGE);
    assert_int_equal(parse_line(e, "make -o x --lang en", &c), -1);
    assert_int_equal(parse_line(e, "make -o x a b c", &c), XA_EXIT_USAGE); /* max 2 */
    assert_int_equal(parse_line(e, "make -o x bad", &c), XA_EXIT_USAGE);   /* the check hook */
    assert_int_equal(parse_line(e, "make --json=1 -o x", &c), XA_EXIT_USAGE);
    assert_int_equal(parse_line(e, "make --home h -o x", &c), XA_EXIT_USAGE); /* not a field cmd */
    const struct xa_cmd_entry *one = &t_entries[1];
    assert_int_equal(parse_line(one, "thing", &c), XA_EXIT_USAGE);
    assert_int_equal(parse_line(one, "thing a b", &c), XA_EXIT_USAGE);
    assert_int_equal(parse_line(one, "thing a", &c), -1);
    /* --help anywhere before -- answers 0 without running anything */
    assert_int_equal(parse_line(e, "make --frob --help", &c), XA_EXIT_OK);
}

static void lookup_and_main(void **state)
{
    (void)state;
    int words = 0;
    char *a1[] = {"thing", "make", "x", NULL};
    assert_ptr_equal(xa_cmd_lookup(t_table, 3, a1, &words), &t_entries[0]);
    assert_int_equal(words, 2);
    char *a2[] = {"thing", "makes", NULL};
    assert_ptr_equal(xa_cmd_lookup(t_table, 2, a2, &words), &t_entries[1]);
    assert_int_equal(words, 1);
    char *a3[] = {"thin", NULL};
    assert_null(xa_cmd_lookup(t_table, 1, a3, &words));
    ran = 0;
    char *m1[] = {"xiaoan", "thing", "f", NULL};
    assert_int_equal(xa_cmd_main(t_table, 3, m1), 0);
    assert_int_equal(ran, 1);
    char *m2[] = {"xiaoan", "nothing", NULL};
    assert_int_equal(xa_cmd_main(t_table, 2, m2), XA_EXIT_USAGE);
    /* a store command without a store is a usage error, exec does not run */
    unsetenv("XIAOAN_STORE");
    char *m3[] = {"xiaoan", "thing", "make", "-o", "x", NULL};
    assert_int_equal(xa_cmd_main(t_table, 5, m3), XA_EXIT_USAGE);
    assert_int_equal(ran, 1);
}

static void help_from_entries(void **state)
{
    (void)state;
    xa_buf b = XA_BUF_INIT;
    xa_cmd_help_text(&t_entries[0], &b);
    assert_non_null(strstr(b.data, "usage: xiaoan thing make [--county C] [--json] -o FILE "
                                   "[--lang zh|en] [--store FILE] [FILE...]\n"));
    assert_non_null(strstr(b.data, "  make a thing\n"));
    assert_non_null(strstr(b.data, "-o, --output FILE"));
    assert_non_null(strstr(b.data, "where to write"));
    assert_non_null(strstr(b.data, "--store FILE"));
    assert_non_null(strstr(b.data, "-h, --help"));
    assert_null(strstr(b.data, "--secret")); /* unlisted */
    assert_null(strstr(b.data, "--passphrase-file")); /* accepted quietly, not listed */
    xa_buf_reset(&b);
    xa_cmd_overview_text(t_table, &b);
    assert_non_null(strstr(b.data, "thing make [--county C] [--json] -o FILE [--lang zh|en] "
                                   "[FILE...]"));
    assert_null(strstr(b.data, "thing make [--county C] [--json] -o FILE [--lang zh|en] "
                               "[--store"));
    assert_non_null(strstr(b.data, "thing FILE"));
    xa_buf_clear(&b);
}

/* Every real entry: a name, a help line, sane operand bounds, options with distinct
 * names and letters; no two entries with the same name. */
static void real_table_well_formed(void **state)
{
    (void)state;
    size_t n = 0;
    for (size_t g = 0; xa_cmd_table[g]; g++)
        for (const struct xa_cmd_entry *e = xa_cmd_table[g]; e->name; e++) {
            n++;
            assert_non_null(e->help);
            assert_non_null(e->exec);
            assert_true(e->min_args >= 0);
            assert_true(e->max_args == -1 || e->max_args >= e->min_args);
            if (e->min_args > 0 || e->max_args != 0)
                assert_true(e->args && *e->args);
            for (size_t h = 0; xa_cmd_table[h]; h++)
                for (const struct xa_cmd_entry *f = xa_cmd_table[h]; f->name; f++)
                    if (f != e && !strcmp(f->name, e->name))
                        fail_msg("command '%s' twice", e->name);
            xa_buf b = XA_BUF_INIT;
            xa_cmd_help_text(e, &b);
            for (const struct xa_cmd_opt *o = e->opts; o && o->name; o++) {
                char form[64];
                snprintf(form, sizeof form, "--%s", o->name);
                if (o->help && !strstr(b.data, form))
                    fail_msg("help of '%s' lacks %s", e->name, form);
                for (const struct xa_cmd_opt *p = o + 1; p->name; p++) {
                    assert_string_not_equal(o->name, p->name);
                    assert_true(!o->letter || o->letter != p->letter);
                }
                assert_true(strcmp(o->name, "home") && strcmp(o->name, "store") &&
                            strcmp(o->name, "passphrase-file") && strcmp(o->name, "help"));
            }
            xa_buf_clear(&b);
        }
    assert_true(n >= 25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_and_operands), cmocka_unit_test(usage_errors),
        cmocka_unit_test(lookup_and_main),      cmocka_unit_test(help_from_entries),
        cmocka_unit_test(real_table_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
