/* main.c — the subcommand table and nothing else: find the row whose name
 * matches the leading words of argv and call it.  Help text is generated
 * from the same table, so it cannot disagree with what exists.  A row is
 * added only when its command works. */
#include "xiaoan/utf8.h"
#include "xiaoan/i18n.h"
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"

#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct xa_command commands[] = {
    {"help", cmd_help, "[COMMAND]", "show help for all commands or one"},
    {"init", cmd_init, "--name NAME [--kdf interactive|moderate]",
     "create the inspector identity and field store; prints the public identity"},
    {"id", cmd_id, "", "print the public identity (for the office to enrol)"},
    {"passwd", cmd_passwd, "[--new-passphrase-file FILE]",
     "change the passphrase (rewraps the keys only)"},
    {"tui", cmd_tui, "[--lang zh|en]",
     "open the inspector's terminal UI (also: xiaoan with no command)"},
    {"visits", cmd_visits, "[--json]", "list visits: id, state, dates, kind, hazards, school"},
    {"export", cmd_export, "[-o DIR]",
     "write one bundle of every sealed visit not yet exported; prints its path"},
    {"forms check", cmd_forms_check, "[DIR]", "validate a folder of checklists (default ./forms)"},
    {"roster check", cmd_roster_check, "FILE", "validate a school roster CSV"},
    {"demo", cmd_demo, "[DIR] [--no-tui]",
     "make a demo workspace (office, roster, forms, inspector 'demo', brief) and open the TUI"},
    {"brief import", cmd_brief_import, "FILE [--expect-fingerprint FP]",
     "verify and import the office's brief (the first import pins the office key)"},
    {"central init", cmd_central_init, "[--name NAME] [--kdf interactive|moderate]",
     "create the central store and the office identity; prints its fingerprint"},
    {"central id", cmd_central_id, "", "print the office's public identity"},
    {"central enroll", cmd_central_enroll, "IDFILE [--county C]",
     "enrol an inspector from `xiaoan id` text (and their home county)"},
    {"central revoke", cmd_central_revoke, "FINGERPRINT", "revoke an inspector's key as of now"},
    {"central inspectors", cmd_central_inspectors, "", "list enrolled inspectors"},
    {"central inspector", cmd_central_inspector, "FINGERPRINT --county C",
     "record an inspector's home county (cross-checks never send anyone to their own)"},
    {"central schools import", cmd_central_schools_import, "CSV", "load the school roster"},
    {"central schools", cmd_central_schools, "[--county C]", "list the school roster"},
    {"central forms import", cmd_central_forms_import, "DIR", "load a folder of checklists"},
    {"central forms", cmd_central_forms, "[--all]", "list the checklists (--all: every version)"},
    {"central brief", cmd_central_brief, "--inspector FINGERPRINT [--county C] -o FILE [--force]",
     "write an inspector's brief (roster, forms, open hazards, receipts)"},
    {"central draw plan", cmd_central_draw_plan,
     "--schools N [--county C,...] [--weights key=3,weak=2,normal=1] [--boost-unvisited DAYS]"
     " [--kind random|cross|special] [--forms ID,...] [--team K] [--inspectors FP,...|--all]"
     " [--due DATE] -o PLAN.json",
     "commit to a random draw of schools; prints the commitment to publish"},
    {"central draw reveal", cmd_central_draw_reveal, "PLAN.json --beacon TEXT",
     "reveal a committed draw with a public beacon: the assignments go into the store"},
    {"draw verify", cmd_draw_verify, "PLAN.json",
     "check a revealed draw from the file alone (no store, no key): passed or the first "
     "difference"},
    {"central assignments", cmd_central_assignments, "[--state open|done|overdue]",
     "list the assignments (检查任务) of the draws"},
    {"central merge", cmd_central_merge, "BUNDLE...", "merge bundles from the field"},
    {"central settings", cmd_central_settings, "[KEY [DAYS]]",
     "show or set deadline.general, deadline.major, report.unvisited_days"},
    {"central ledger", cmd_central_ledger,
     "[--state S] [--county C] [--format text|csv|json|xlsx] [-o FILE] [--wide] [--by-county]",
     "the hazard ledger (隐患台账); S open|overdue|closed|all; text fits the terminal"},
    {"central report", cmd_central_report,
     "[--from DATE] [--to DATE] [--county C] [--format text|csv|json|xlsx|pdf] [-o FILE]"
     " [--lang zh|en]",
     "the period report (月报/季报): coverage, hazards, 整改率, 清零率, lists"},
    {"central visits", cmd_central_visits,
     "[--school CODE] [--inspector FP] [--from DATE] [--to DATE] [--format text|csv|json]",
     "list the visits merged at the office"},
    {"central visit", cmd_central_visit, "ID [--format text|json]",
     "one visit in full: attestations, times, answers, hazards, signature, chain, bundle"},
    {"central export-identity", cmd_central_export_identity, "",
     "print the office's age identity (AGE-SECRET-KEY-1...) for the age tool"},
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

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

/* The row for argv (longest name wins), or NULL. */
static const struct xa_command *lookup(int argc, char **argv)
{
    const struct xa_command *best = NULL;
    for (size_t i = 0; i < ncommands; i++)
        if (name_matches(commands[i].name, argc, argv) &&
            (!best || name_words(commands[i].name) > name_words(best->name)))
            best = &commands[i];
    return best;
}

/* Print one command's help. */
static void print_command_help(const struct xa_command *c)
{
    printf("usage: xiaoan %s%s%s\n  %s\n", c->name, c->args[0] ? " " : "", c->args, c->help);
}

static void print_usage(void)
{
    printf("xiaoan %s — 校安 school-safety inspections (四不两直)\n\n", XIAOAN_VERSION);
    printf("usage: xiaoan [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < ncommands; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s %s", commands[i].name, commands[i].args);
        printf("  %-40s %s\n", left, commands[i].help);
    }
    printf("\n'xiaoan help COMMAND' or 'xiaoan COMMAND --help' shows one command.\n");
}

/* `xiaoan help [COMMAND...]`. */
int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_usage();
        return XA_EXIT_OK;
    }
    const struct xa_command *c = lookup(argc - 1, argv + 1);
    if (!c)
        return xa_cli_usage("unknown command '%s' (see xiaoan --help)", argv[1]);
    print_command_help(c);
    return XA_EXIT_OK;
}

/* The value of a --lang option anywhere on the line (the command's own
 * parser sees it too), or NULL: messages from the first line on follow it. */
static const char *lang_option(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--lang") && i + 1 < argc)
            return argv[i + 1];
        if (!strncmp(argv[i], "--lang=", 7))
            return argv[i] + 7;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    xa_utf8_ambiguous_from_locale();
    xa_i18n_init(lang_option(argc, argv));
    if (sodium_init() < 0) {
        fputs("xiaoan: cannot initialise libsodium\n", stderr);
        return XA_EXIT_FAIL;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("xiaoan %s\n", XIAOAN_VERSION);
        return XA_EXIT_OK;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        print_usage();
        return XA_EXIT_OK;
    }
    if (argc < 2 || argv[1][0] == '-') {
        const struct xa_command *tui = lookup(1, (char *[]){"tui", NULL});
        if (tui)
            return tui->fn(argc, argv);
        if (argc >= 2)
            return xa_cli_usage("unknown option '%s' (see xiaoan --help)", argv[1]);
        print_usage();
        return XA_EXIT_USAGE;
    }
    const struct xa_command *c = lookup(argc - 1, argv + 1);
    if (!c)
        return xa_cli_usage("unknown command '%s' (see xiaoan --help)", argv[1]);
    int words = name_words(c->name);
    for (int i = 1 + words; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            print_command_help(c);
            return XA_EXIT_OK;
        }
    }
    /* The command sees its last name word as argv[0]. */
    return c->fn(argc - words, argv + words);
}
