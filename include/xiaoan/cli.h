/* cli.h — how errors reach the user from a command (the entries and their
 * parser are in cmd.h).
 *
 * Exit codes (DESIGN §10): 0 success, 1 the operation failed, 2 usage
 * error.  Errors are one line on stderr starting "xiaoan: ". */
#ifndef XIAOAN_CLI_H
#define XIAOAN_CLI_H

#include "xiaoan/error.h"

#include <stdarg.h>
#include <stdio.h>

#define XA_EXIT_OK 0
#define XA_EXIT_FAIL 1
#define XA_EXIT_USAGE 2

/* Print "xiaoan: MSG" for err; returns 2 for usage errors, else 1. */
int xa_cli_report(const xa_err *err);

/* Print "xiaoan: ..." and return 2. */
int xa_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "xiaoan: ..." and return 1. */
int xa_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- every other line a command writes -------------------------------------
 * Commands never printf text that holds a file name or a value read from a
 * file or a record: they use these, which pass each line of the result through
 * xa_safe_text (error.h) and keep only the newlines.  No translation here:
 * callers wrap their messages in _(). */

/* printf to stdout, made safe. */
void xa_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* printf to stderr, made safe. */
void xa_eprint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* prefix then fmt to stderr, made safe (the body of xa_cli_error/xa_cmd_usage). */
void xa_veprint_prefixed(const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Write text (any number of lines) to f, made safe. */
void xa_print_text(FILE *f, const char *text);

/* A command's data output (a table, CSV, JSON, a notice's text) to stdout:
 * made safe when stdout is a terminal, the bytes as they are for a file or a
 * pipe (a CSV cell may hold a line break; CSV lines end in \r\n). */
void xa_print_data(const char *data, size_t len);

#endif
