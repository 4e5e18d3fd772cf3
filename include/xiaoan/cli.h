/* cli.h — what every subcommand shares: the command-table row, the usage
 * error for a bad option, and how errors reach the user.
 *
 * Exit codes (DESIGN §10): 0 success, 1 the operation failed, 2 usage
 * error.  Errors are one line on stderr starting "xiaoan: ". */
#ifndef XIAOAN_CLI_H
#define XIAOAN_CLI_H

#include "xiaoan/error.h"

/* A subcommand: argv[0] is the (last word of the) command name. */
typedef int (*xa_cmd_fn)(int argc, char **argv);

struct xa_command {
    const char *name;  /* "init", "forms check", "central merge" */
    xa_cmd_fn fn;
    const char *args;  /* synopsis of the arguments, "" if none */
    const char *help;  /* one line */
};

#define XA_EXIT_OK 0
#define XA_EXIT_FAIL 1
#define XA_EXIT_USAGE 2

/* Print "xiaoan: MSG" for err; returns 2 for usage errors, else 1. */
int xa_cli_report(const xa_err *err);

/* Print "xiaoan: ..." and return 2. */
int xa_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The usage error for what getopt_long returned as ch: ':' "option OPT needs a value", else
 * "unknown option OPT", each pointing at `xiaoan [GROUP] [NAME] --help` (GROUP and NAME may
 * be NULL); returns 2. */
int xa_cli_bad_option(int ch, const char *opt, const char *group, const char *name);

/* Print "xiaoan: ..." and return 1. */
int xa_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
