/* entry.c (cmd) — the one command parser.  It finds the entry argv names,
 * parses its options with getopt_long from the entry's own option table
 * plus the standard options its needs imply (--home, --passphrase-file,
 * --store), checks required options, choices and operand counts, answers
 * --help, resolves the home or the central store and unlocks what the
 * entry needs, runs it, and closes everything afterwards.  Help for all
 * commands and for one is generated here from the same entries, so it
 * cannot disagree with what a command accepts.  Also the `help` command. */
#include "xiaoan/central.h"
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/homelock.h"
#include "xiaoan/i18n.h"
#include "xiaoan/pass.h"
#include "xiaoan/utf8.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROMPT_FIELD N_("passphrase: ")
#define PROMPT_OFFICE N_("office passphrase: ")
#define OPT_BASE 0x100

/* The bits of XA_NEED_... beyond the ones they imply. */
#define FIELD_BIT (1u << 2)
#define STORE_BIT (1u << 4)
#define OFFICE_BIT (1u << 5)
#define LOCK_BIT (1u << 6)

/* The standard options, added to an entry's own by what it needs. */
static const struct xa_cmd_opt opt_home = {
    "home", 0, "DIR",
    N_("the inspector's home folder (default $XIAOAN_HOME, else $XDG_DATA_HOME/xiaoan)"), 0};
static const struct xa_cmd_opt opt_passfile = {
    "passphrase-file", 0, "FILE",
    N_("read the passphrase from the first line of FILE (default $XIAOAN_PASSPHRASE_FILE,"
       " else asked on the terminal)"),
    0};
/* Every office command has always accepted --passphrase-file; those that do not unlock
 * the office key accept it unlisted, so scripts that pass it to each command still work. */
static const struct xa_cmd_opt opt_passfile_quiet = {"passphrase-file", 0, "FILE", NULL, 0};
/* --lang zh|en: every command takes it (main.c reads it before any message); an entry
 * that declares its own --lang (tui, demo, report) lists it with its own help. */
static const struct xa_cmd_opt opt_lang = {
    "lang", 0, "zh|en", N_("the language of messages (default $XIAOAN_LANG, else the locale)"),
    XA_OPT_CHOICE};
static const struct xa_cmd_opt opt_store = {
    "store", 0, "FILE", N_("the central store (default $XIAOAN_STORE)"), 0};

/* Fill optv with e's options, then the standard ones; returns how many. */
static int collect_opts(const struct xa_cmd_entry *e, const struct xa_cmd_opt **optv)
{
    int n = 0, lang = 0;
    for (const struct xa_cmd_opt *o = e->opts; o && o->name; o++)
        if (n < XA_CMD_MAX_OPTS - 4) {
            optv[n++] = o;
            lang |= !strcmp(o->name, "lang");
        }
    if (!lang)
        optv[n++] = &opt_lang;
    if (e->needs & XA_NEED_HOME)
        optv[n++] = &opt_home;
    if (e->needs & XA_NEED_STORE_PATH)
        optv[n++] = &opt_store;
    if (e->needs & XA_NEED_PASSFILE)
        optv[n++] = &opt_passfile;
    else if (e->needs & XA_NEED_STORE_PATH)
        optv[n++] = &opt_passfile_quiet;
    return n;
}

/* Is o one of the standard options? */
static int is_standard(const struct xa_cmd_opt *o)
{
    return o == &opt_home || o == &opt_passfile || o == &opt_passfile_quiet || o == &opt_store ||
           o == &opt_lang;
}

/* "-o FILE" or "--county C" (the short form when there is one). */
static void opt_form(xa_buf *out, const struct xa_cmd_opt *o)
{
    if (o->letter)
        xa_buf_printf(out, "-%c", o->letter);
    else
        xa_buf_printf(out, "--%s", o->name);
    if (o->arg)
        xa_buf_printf(out, " %s", o->arg);
}

/* The synopsis: each listed option ([...] unless required), then the operands;
 * with_standard also lists the standard options. */
static void synopsis(xa_buf *out, const struct xa_cmd_entry *e, int with_standard)
{
    const struct xa_cmd_opt *optv[XA_CMD_MAX_OPTS];
    int n = collect_opts(e, optv);
    for (int i = 0; i < n; i++) {
        const struct xa_cmd_opt *o = optv[i];
        /* --lang, like --help, goes without saying on the usage line */
        if (!o->help || o == &opt_lang || (!with_standard && is_standard(o)))
            continue;
        int req = o->flags & XA_OPT_REQUIRED;
        xa_buf_puts(out, req ? " " : " [");
        opt_form(out, o);
        if (!req)
            xa_buf_putc(out, ']');
    }
    if (e->args && *e->args)
        xa_buf_printf(out, " %s", e->args);
}

void xa_cmd_help_text(const struct xa_cmd_entry *e, xa_buf *out)
{
    /* the words the user types (names, options, placeholders) stay as they are; the
     * help lines are msgids (N_ in the entries), translated here */
    xa_buf_printf(out, _("usage: xiaoan %s"), e->name);
    synopsis(out, e, 1);
    xa_buf_printf(out, "\n  %s\n", _(e->help));
    const struct xa_cmd_opt *optv[XA_CMD_MAX_OPTS];
    int n = collect_opts(e, optv);
    xa_buf_puts(out, _("\noptions:\n"));
    for (int i = 0; i <= n; i++) {
        xa_buf left = XA_BUF_INIT;
        const char *help;
        if (i == n) {
            xa_buf_puts(&left, "-h, --help");
            help = _("show this help");
        } else {
            const struct xa_cmd_opt *o = optv[i];
            if (!o->help)
                continue;
            if (o->letter)
                xa_buf_printf(&left, "-%c, ", o->letter);
            xa_buf_printf(&left, "--%s", o->name);
            if (o->arg)
                xa_buf_printf(&left, " %s", o->arg);
            help = _(o->help);
        }
        if (left.len <= 26)
            xa_buf_printf(out, "  %-26s  %s\n", left.data, help);
        else
            xa_buf_printf(out, "  %s\n  %-26s  %s\n", left.data, "", help);
        xa_buf_clear(&left);
    }
}

/* Is e one of the commands of group ("central": "central merge", ...), or any
 * command when group is NULL? */
static int in_group(const struct xa_cmd_entry *e, const char *group)
{
    size_t n = group ? strlen(group) : 0;
    return !group || (!strncmp(e->name, group, n) && e->name[n] == ' ');
}

/* The overview of the entries of group (NULL: every entry), appended to out. */
static void overview(const struct xa_cmd_entry *const *table, const char *group, xa_buf *out)
{
    if (group) {
        xa_buf_printf(out, _("usage: xiaoan %s COMMAND [ARGS]\n"), group);
    } else {
        xa_buf_printf(out, _("xiaoan %s — school-safety inspections (four-not-two-direct)\n\n"),
                      XIAOAN_VERSION);
        xa_buf_puts(out, _("usage: xiaoan [--version] [--help] COMMAND [ARGS]\n"));
    }
    xa_buf_puts(out, _("\ncommands:\n"));
    enum { LEFT = 44 };
    for (size_t g = 0; table[g]; g++)
        for (const struct xa_cmd_entry *e = table[g]; e->name; e++) {
            if (!in_group(e, group))
                continue;
            xa_buf left = XA_BUF_INIT;
            xa_buf_puts(&left, e->name);
            synopsis(&left, e, 0);
            size_t w = xa_utf8_width(left.data);
            if (w <= LEFT)
                xa_buf_printf(out, "  %s%*s %s\n", left.data, (int)(LEFT - w), "", _(e->help));
            else
                xa_buf_printf(out, "  %s\n  %*s %s\n", left.data, LEFT, "", _(e->help));
            xa_buf_clear(&left);
        }
    xa_buf_puts(out,
                _("\nField commands also take --home DIR (or $XIAOAN_HOME), office commands\n"
                  "--store FILE (or $XIAOAN_STORE); those that need a key take\n"
                  "--passphrase-file FILE (or $XIAOAN_PASSPHRASE_FILE, else it is asked).\n"
                  "'xiaoan help COMMAND' or 'xiaoan COMMAND --help' shows one command.\n"));
}

void xa_cmd_overview_text(const struct xa_cmd_entry *const *table, xa_buf *out)
{
    overview(table, NULL, out);
}

/* argv[0] when it is the first word of several commands and no command's whole
 * name ("central", "forms", "draw"), else NULL. */
static const char *group_of(const struct xa_cmd_entry *const *table, const char *word)
{
    int found = 0;
    for (size_t g = 0; table[g]; g++)
        for (const struct xa_cmd_entry *e = table[g]; e->name; e++) {
            if (!strcmp(e->name, word))
                return NULL;
            found |= in_group(e, word);
        }
    return found ? word : NULL;
}

/* Print the overview of a group's commands on stdout. */
static void print_group(const struct xa_cmd_entry *const *table, const char *group)
{
    xa_buf b = XA_BUF_INIT;
    overview(table, group, &b);
    fwrite(b.data, 1, b.len, stdout);
    xa_buf_clear(&b);
}

/* Print one entry's help on stdout. */
static void print_help(const struct xa_cmd_entry *e)
{
    xa_buf b = XA_BUF_INIT;
    xa_cmd_help_text(e, &b);
    fwrite(b.data, 1, b.len, stdout);
    xa_buf_clear(&b);
}

/* Print the overview on stdout. */
static void print_overview(const struct xa_cmd_entry *const *table)
{
    xa_buf b = XA_BUF_INIT;
    xa_cmd_overview_text(table, &b);
    fwrite(b.data, 1, b.len, stdout);
    xa_buf_clear(&b);
}

/* How many words a command name has ("central merge" = 2). */
static int name_words(const char *name)
{
    int n = 1;
    for (const char *p = name; *p; p++)
        n += *p == ' ';
    return n;
}

/* Does the command name equal argv[0..words-1]? */
static int name_matches(const char *name, int argc, char **argv)
{
    int words = name_words(name);
    if (argc < words)
        return 0;
    const char *p = name;
    for (int i = 0; i < words; i++) {
        size_t len = strcspn(p, " ");
        if (strlen(argv[i]) != len || strncmp(argv[i], p, len) != 0)
            return 0;
        p += len + (p[len] == ' ');
    }
    return 1;
}

const struct xa_cmd_entry *xa_cmd_lookup(const struct xa_cmd_entry *const *table, int argc,
                                         char **argv, int *words)
{
    const struct xa_cmd_entry *best = NULL;
    for (size_t g = 0; table[g]; g++)
        for (const struct xa_cmd_entry *e = table[g]; e->name; e++)
            if (name_matches(e->name, argc, argv) &&
                (!best || name_words(e->name) > name_words(best->name)))
                best = e;
    if (best && words)
        *words = name_words(best->name);
    return best;
}

int xa_cmd_usage(const struct xa_cmd_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xa_veprint_prefixed("xiaoan: ", xa_tr(fmt), ap);
    va_end(ap);
    /* where to look: the command's help, or the overview when run without its name */
    if (c->implicit)
        xa_print_text(stderr, _(" (see xiaoan --help)"));
    else
        xa_eprint(_(" (see xiaoan %s --help)"), c->entry->name);
    fputc('\n', stderr);
    return XA_EXIT_USAGE;
}

/* Is value one of the '|'-separated choices? */
static int is_choice(const char *choices, const char *value)
{
    size_t len = strlen(value);
    for (const char *p = choices; *p;) {
        size_t n = strcspn(p, "|");
        if (n == len && !strncmp(p, value, n))
            return 1;
        p += n + (p[n] == '|');
    }
    return 0;
}

/* "a, b or c" of the choices "a|b|c", into out. */
static void choice_words(const char *choices, xa_buf *out)
{
    size_t total = 1;
    for (const char *p = choices; *p; p++)
        total += *p == '|';
    size_t i = 0;
    for (const char *p = choices; *p; i++) {
        size_t n = strcspn(p, "|");
        if (i)
            xa_buf_puts(out, i + 1 == total ? _(" or ") : _(", "));
        xa_buf_add(out, p, n);
        p += n + (p[n] == '|');
    }
}

/* The operand synopsis without brackets, for messages ("[DIR]" -> "DIR"). */
static void plain_args(const char *args, char *out, size_t size)
{
    size_t j = 0;
    for (const char *p = args ? args : ""; *p && j + 1 < size; p++)
        if (*p != '[' && *p != ']')
            out[j++] = *p;
    out[j] = '\0';
}

/* The checks after getopt: required options, choices, operand counts. */
static int check_parsed(struct xa_cmd_ctx *c)
{
    const struct xa_cmd_entry *e = c->entry;
    for (int i = 0; i < c->nopts; i++) {
        const struct xa_cmd_opt *o = c->optv[i];
        if ((o->flags & XA_OPT_REQUIRED) && !c->val[i]) {
            xa_buf f = XA_BUF_INIT;
            opt_form(&f, o);
            int rc = xa_cmd_usage(c, "%s needs %s", e->name, f.data);
            xa_buf_clear(&f);
            return rc;
        }
        if ((o->flags & XA_OPT_CHOICE) && c->val[i] && !is_choice(o->arg, c->val[i])) {
            xa_buf w = XA_BUF_INIT;
            choice_words(o->arg, &w);
            int rc = xa_cmd_usage(c, "--%s takes %s, not '%s'", o->name, w.data, c->val[i]);
            xa_buf_clear(&w);
            return rc;
        }
    }
    char args[128];
    plain_args(e->args, args, sizeof args);
    if (c->argc < e->min_args)
        return xa_cmd_usage(c, "%s needs %s", e->name, args);
    if (e->max_args >= 0 && c->argc > e->max_args) {
        const char *extra = c->argv[e->max_args];
        if (c->implicit)
            return xa_cli_usage("unknown command '%s' (see xiaoan --help)", extra);
        if (e->max_args == 1)
            return xa_cmd_usage(c, "%s takes one %s, not also '%s'", e->name, args, extra);
        return xa_cmd_usage(c, "unexpected argument '%s'", extra);
    }
    return e->check ? e->check(c) : -1;
}

/* xa_cmd_parse, knowing whether the entry was named. */
static int parse(const struct xa_cmd_entry *e, int argc, char **argv, int implicit,
                 struct xa_cmd_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->entry = e;
    c->implicit = implicit;
    c->nopts = collect_opts(e, c->optv);
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            print_help(e);
            return XA_EXIT_OK;
        }
    struct option longopts[XA_CMD_MAX_OPTS + 1];
    char shortopts[3 * XA_CMD_MAX_OPTS + 2] = ":";
    size_t sl = 1;
    for (int i = 0; i < c->nopts; i++) {
        const struct xa_cmd_opt *o = c->optv[i];
        longopts[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
                                      OPT_BASE + i};
        if (o->letter) {
            shortopts[sl++] = o->letter;
            if (o->arg)
                shortopts[sl++] = ':';
        }
    }
    shortopts[sl] = '\0';
    longopts[c->nopts] = (struct option){NULL, 0, NULL, 0};
    optind = 0; /* glibc: start afresh (argv differs from the last call) */
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        int idx = -1;
        if (ch >= OPT_BASE && ch < OPT_BASE + c->nopts)
            idx = ch - OPT_BASE;
        for (int i = 0; idx < 0 && ch > 0 && ch < OPT_BASE && i < c->nopts; i++)
            if (c->optv[i]->letter == ch)
                idx = i;
        if (idx < 0) {
            const char *what = argv[optind - 1];
            if (ch == ':')
                return xa_cmd_usage(c, "option '%s' needs a value", what);
            return xa_cmd_usage(c, "unknown option '%s'", what);
        }
        c->val[idx] = c->optv[idx]->arg ? optarg : "";
    }
    c->argc = argc - optind;
    c->argv = argv + optind;
    return check_parsed(c);
}

int xa_cmd_parse(const struct xa_cmd_entry *e, int argc, char **argv, struct xa_cmd_ctx *c)
{
    return parse(e, argc, argv, 0, c);
}

/* The index of option name in c, or abort: asking for an undeclared option is a bug. */
static int opt_index(const struct xa_cmd_ctx *c, const char *name)
{
    for (int i = 0; i < c->nopts; i++)
        if (!strcmp(c->optv[i]->name, name))
            return i;
    xa_eprint("xiaoan: internal error: %s has no option --%s\n", c->entry->name, name);
    abort();
}

const char *xa_cmd_opt(const struct xa_cmd_ctx *c, const char *name)
{
    return c->val[opt_index(c, name)];
}

int xa_cmd_flag(const struct xa_cmd_ctx *c, const char *name)
{
    return c->val[opt_index(c, name)] != NULL;
}

void xa_cmd_opt_set(struct xa_cmd_ctx *c, const char *name, const char *value)
{
    c->val[opt_index(c, name)] = value;
}

int xa_cmd_output_ok(const struct xa_cmd_ctx *c)
{
    const char *output = xa_cmd_opt(c, "output");
    xa_err err;
    if (output && xa_out_check(output, xa_cmd_output_flags(c), &err) != XA_OK)
        return xa_cli_report(&err);
    return -1;
}

int xa_cmd_output_flags(const struct xa_cmd_ctx *c)
{
    return xa_cmd_flag(c, "force") ? XA_OUT_FORCE : 0;
}

/* -1 when operand 0 is a key fingerprint (any spelling xa_fingerprint_normalize
 * takes); else its one-line refusal as a usage error (exit 2).  A check hook
 * shared by the commands that name an inspector (revoke, inspector). */
int xa_cmd_check_fingerprint(struct xa_cmd_ctx *c)
{
    xa_err err;
    char fp[XA_FP_MAX];
    if (xa_fingerprint_normalize(c->argv[0], fp, &err) != XA_OK) {
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    return -1;
}

/* Open the field store in c->home with the passphrase; 0 or the exit code. */
static int unlock_field(struct xa_cmd_ctx *c)
{
    xa_err err;
    /* the store says the same when it is missing; asked first so that no passphrase is
     * asked for nothing */
    if (!xa_fstore_exists(c->home)) {
        xa_fail(&err, XA_ENOTFOUND, "no field store in %s: run 'xiaoan init --name NAME' first",
                c->home);
        return xa_cli_report(&err);
    }
    char *pass = NULL;
    if (xa_pass_read(_(PROMPT_FIELD), c->passfile, 0, &pass, &err) != XA_OK)
        return xa_cli_report(&err);
    xa_code code = xa_fstore_open(c->home, pass, &c->field, &err);
    xa_pass_free(pass);
    return code == XA_OK ? 0 : xa_cli_report(&err);
}

int xa_cmd_unlock_office(struct xa_cmd_ctx *c)
{
    xa_err err;
    char *pass = NULL;
    if (xa_pass_read(_(PROMPT_OFFICE), c->passfile, 0, &pass, &err) != XA_OK)
        return xa_cli_report(&err);
    xa_code code = xa_office_unlock(c->store, pass, &c->office, &err);
    xa_pass_free(pass);
    return code == XA_OK ? 0 : xa_cli_report(&err);
}

int xa_cmd_resolve(struct xa_cmd_ctx *c)
{
    unsigned needs = c->entry->needs;
    xa_err err;
    int rc;
    if (needs & (XA_NEED_PASSFILE | XA_NEED_STORE_PATH)) {
        const char *env = getenv("XIAOAN_PASSPHRASE_FILE");
        c->passfile = xa_cmd_opt(c, "passphrase-file");
        if (!c->passfile || !*c->passfile)
            c->passfile = env && *env ? env : NULL;
    }
    if (needs & XA_NEED_HOME) {
        if (xa_home_resolve(xa_cmd_opt(c, "home"), &c->home, &err) != XA_OK)
            return xa_cli_report(&err);
    }
    /* before the passphrase is asked: a second xiaoan is refused at once */
    if ((needs & LOCK_BIT) && !(c->entry->lock_unless && xa_cmd_flag(c, c->entry->lock_unless))) {
        char what[80];
        snprintf(what, sizeof what, "xiaoan %s", c->entry->name);
        if (xa_home_lock(c->home, what, &c->lock, &err) != XA_OK)
            return xa_cli_report(&err);
    }
    if ((needs & FIELD_BIT) && (rc = unlock_field(c)) != 0)
        return rc;
    if (needs & XA_NEED_STORE_PATH) {
        const char *env = getenv("XIAOAN_STORE");
        c->store_path = xa_cmd_opt(c, "store");
        if (!c->store_path || !*c->store_path)
            c->store_path = env && *env ? env : NULL;
        if (!c->store_path)
            return xa_cli_usage("no central store: give --store FILE or set XIAOAN_STORE");
    }
    if ((needs & STORE_BIT) && xa_cstore_open(c->store_path, &c->store, &err) != XA_OK)
        return xa_cli_report(&err);
    if ((needs & OFFICE_BIT) && (rc = xa_cmd_unlock_office(c)) != 0)
        return rc;
    return -1;
}

void xa_cmd_ctx_clear(struct xa_cmd_ctx *c)
{
    xa_identity_free(c->office);
    c->office = NULL;
    xa_cstore_close(c->store);
    c->store = NULL;
    xa_fstore_close(c->field);
    c->field = NULL;
    xa_home_unlock(c->lock); /* after the store is closed */
    c->lock = NULL;
    free(c->home);
    c->home = NULL;
}

/* Parse, resolve, run and clean up one entry. */
static int run(const struct xa_cmd_entry *const *table, const struct xa_cmd_entry *e, int argc,
               char **argv, int implicit)
{
    struct xa_cmd_ctx c;
    int rc = parse(e, argc, argv, implicit, &c);
    if (rc >= 0)
        return rc;
    c.table = table;
    rc = xa_cmd_resolve(&c);
    if (rc < 0)
        rc = e->exec(&c);
    xa_cmd_ctx_clear(&c);
    return rc;
}

int xa_cmd_main(const struct xa_cmd_entry *const *table, int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        xa_print("xiaoan %s\n", XIAOAN_VERSION);
        return XA_EXIT_OK;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        print_overview(table);
        return XA_EXIT_OK;
    }
    if (argc < 2 || argv[1][0] == '-') {
        const struct xa_cmd_entry *tui = xa_cmd_lookup(table, 1, (char *[]){"tui", NULL}, NULL);
        if (tui)
            return run(table, tui, argc, argv, 1);
        if (argc >= 2)
            return xa_cli_usage("unknown option '%s' (see xiaoan --help)", argv[1]);
        print_overview(table);
        return XA_EXIT_USAGE;
    }
    int words = 0;
    const struct xa_cmd_entry *e = xa_cmd_lookup(table, argc - 1, argv + 1, &words);
    const char *group = e ? NULL : group_of(table, argv[1]);
    /* `xiaoan central --help` (or `xiaoan central` alone): the group's commands */
    if (group && (argc == 2 || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
        print_group(table, group);
        return argc == 2 ? XA_EXIT_USAGE : XA_EXIT_OK;
    }
    if (group && argv[2][0] == '-')
        return xa_cli_usage("%s needs a command first (see xiaoan %s --help)", group, group);
    if (group)
        return xa_cli_usage("unknown command '%s %s' (see xiaoan %s --help)", group, argv[2],
                            group);
    if (!e)
        return xa_cli_usage("unknown command '%s' (see xiaoan --help)", argv[1]);
    /* the entry sees its last name word as argv[0] */
    return run(table, e, argc - words, argv + words, 0);
}

/* ---- xiaoan help [COMMAND] ------------------------------------------------------ */

/* `xiaoan help [COMMAND...]`. */
static int help_exec(struct xa_cmd_ctx *c)
{
    if (c->argc == 0) {
        print_overview(c->table);
        return XA_EXIT_OK;
    }
    int words = 0;
    const struct xa_cmd_entry *e = xa_cmd_lookup(c->table, c->argc, c->argv, &words);
    const char *group = e ? NULL : group_of(c->table, c->argv[0]);
    if (group && c->argc == 1) {
        print_group(c->table, group);
        return XA_EXIT_OK;
    }
    if (!e || words != c->argc)
        return xa_cli_usage("unknown command '%s' (see xiaoan --help)", c->argv[0]);
    print_help(e);
    return XA_EXIT_OK;
}

const struct xa_cmd_entry cmd_help_entries[] = {
    {.name = "help",
     .args = "[COMMAND]",
     .min_args = 0,
     .max_args = -1,
     .help = N_("show help for all commands, for a group of them (central) or for one"),
     .exec = help_exec},
    {0},
};
