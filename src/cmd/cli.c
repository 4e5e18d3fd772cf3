/* cli.c — what a command writes to the terminal: errors in the one format of
 * DESIGN §10, and every other line through the one sanitiser (xa_safe_text),
 * because the arguments of those lines (file names, school and inspector
 * names, form ids, stored settings) come from files and records an attacker
 * may have written.  Newlines of the text are kept; every other control
 * character, C1 and bidi control is shown escaped. */
#include "xiaoan/cli.h"
#include "xiaoan/i18n.h"
#include "xiaoan/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write data[0..len) to f with each line made safe; line ends (\n, \r\n) are kept. */
static void write_safe(FILE *f, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    char small[512];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n_in = nl ? (size_t)(nl - p) : (size_t)(end - p);
        int crlf = nl && n_in && p[n_in - 1] == '\r';
        if (crlf)
            n_in--;
        size_t cap = XA_SAFE_CAP(n_in);
        char *out = cap <= sizeof small ? small : xa_malloc(cap);
        size_t n = xa_safe_text(out, cap, p, n_in);
        fwrite(out, 1, n, f);
        if (out != small)
            free(out);
        if (!nl)
            break;
        fputs(crlf ? "\r\n" : "\n", f);
        p = nl + 1;
    }
}

void xa_print_text(FILE *f, const char *text)
{
    if (text)
        write_safe(f, text, strlen(text));
}

void xa_print_data(const char *data, size_t len)
{
    if (isatty(STDOUT_FILENO))
        write_safe(stdout, data, len);
    else
        fwrite(data, 1, len, stdout);
}

/* Format into a buffer and write it safe to f (no translation: callers use _()). */
static void vprint(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
    xa_buf b = XA_BUF_INIT;
    if (prefix)
        xa_buf_puts(&b, prefix);
    xa_buf_vprintf(&b, fmt, ap);
    xa_print_text(f, b.data);
    xa_buf_clear(&b);
}

void xa_print(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(stdout, NULL, fmt, ap);
    va_end(ap);
}

void xa_eprint(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(stderr, NULL, fmt, ap);
    va_end(ap);
}

void xa_veprint_prefixed(const char *prefix, const char *fmt, va_list ap)
{
    vprint(stderr, prefix, fmt, ap);
}

int xa_cli_report(const xa_err *err)
{
    xa_eprint("xiaoan: %s\n", xa_err_msg(err));
    return err->code == XA_EUSAGE ? XA_EXIT_USAGE : XA_EXIT_FAIL;
}

/* "xiaoan: MSG" (fmt translated) on stderr, made safe; returns exit. */
__attribute__((format(printf, 2, 0))) static int vsay(int exit, const char *fmt, va_list ap)
{
    xa_veprint_prefixed("xiaoan: ", xa_tr(fmt), ap);
    fputc('\n', stderr);
    return exit;
}

int xa_cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vsay(XA_EXIT_USAGE, fmt, ap);
    va_end(ap);
    return rc;
}

int xa_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vsay(XA_EXIT_FAIL, fmt, ap);
    va_end(ap);
    return rc;
}
