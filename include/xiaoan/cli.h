/* cli.h — how errors reach the user from a command (the entries and their
 * parser are in cmd.h).
 *
 * Exit codes (DESIGN §10): 0 success, 1 the operation failed, 2 usage
 * error.  Errors are one line on stderr starting "xiaoan: ". */
#ifndef XIAOAN_CLI_H
#define XIAOAN_CLI_H

#include "xiaoan/error.h"

#define XA_EXIT_OK 0
#define XA_EXIT_FAIL 1
#define XA_EXIT_USAGE 2

/* Print "xiaoan: MSG" for err; returns 2 for usage errors, else 1. */
int xa_cli_report(const xa_err *err);

/* Print "xiaoan: ..." and return 2. */
int xa_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "xiaoan: ..." and return 1. */
int xa_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
