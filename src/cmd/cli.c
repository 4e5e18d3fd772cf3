/* cli.c — reporting errors to the user in the one format of DESIGN §10. */
#include "xiaoan/cli.h"
#include "xiaoan/i18n.h"

#include <stdarg.h>
#include <stdio.h>

int xa_cli_report(const xa_err *err)
{
    fprintf(stderr, "xiaoan: %s\n", xa_err_msg(err));
    return err->code == XA_EUSAGE ? XA_EXIT_USAGE : XA_EXIT_FAIL;
}

int xa_cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("xiaoan: ", stderr);
    vfprintf(stderr, xa_tr(fmt), ap);
    fputc('\n', stderr);
    va_end(ap);
    return XA_EXIT_USAGE;
}

int xa_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("xiaoan: ", stderr);
    vfprintf(stderr, xa_tr(fmt), ap);
    fputc('\n', stderr);
    va_end(ap);
    return XA_EXIT_FAIL;
}
