/* error.c — status codes and one-line error messages (see error.h). */
#include "xiaoan/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define XA_ERR_STR_(name, msg) msg,
static const char *const code_msgs[] = {XA_ERRORS(XA_ERR_STR_)};
#undef XA_ERR_STR_

/* The default message of a code. */
const char *xa_code_str(xa_code code)
{
    if ((unsigned)code >= XA_NCODES)
        return "unknown error";
    return code_msgs[code];
}

/* Keep a message on one line: control characters become spaces. */
static void one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

/* Shared body of xa_fail and xa_fail_errno. */
static void vset(xa_err *err, xa_code code, const char *fmt, va_list ap)
{
    err->code = code;
    if (fmt)
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    else
        snprintf(err->msg, sizeof err->msg, "%s", xa_code_str(code));
    one_line(err->msg);
}

/* Record a failure; returns code. */
xa_code xa_fail(xa_err *err, xa_code code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

/* Record a failure from errno; ENOSPC/EDQUOT map to XA_ENOSPC so the UI can say "disk full". */
xa_code xa_fail_errno(xa_err *err, int errnum, const char *fmt, ...)
{
    xa_code code = XA_EIO;
    if (errnum == ENOSPC
#ifdef EDQUOT
        || errnum == EDQUOT
#endif
    )
        code = XA_ENOSPC;
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, fmt, ap);
    va_end(ap);
    size_t n = strlen(err->msg);
    snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(errnum));
    one_line(err->msg);
    return code;
}

/* Prepend context to an existing message. */
xa_code xa_err_prefix(xa_err *err, const char *fmt, ...)
{
    if (!err)
        return XA_EIO;
    char pre[XA_ERR_MSG_MAX], old[XA_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    const char *rest = old[0] ? old : xa_code_str(err->code);
    /* Assemble by hand: the result is cut at the buffer's end on purpose. */
    size_t cap = sizeof err->msg - 1, n = 0;
    for (const char *parts[] = {pre, ": ", rest}, **p = parts; p < parts + 3; p++)
        for (const char *c = *p; *c && n < cap; c++)
            err->msg[n++] = *c;
    err->msg[n] = '\0';
    one_line(err->msg);
    return err->code;
}

/* Reset err. */
void xa_err_clear(xa_err *err)
{
    if (err) {
        err->code = XA_OK;
        err->msg[0] = '\0';
    }
}

/* The message to show. */
const char *xa_err_msg(const xa_err *err)
{
    return err->msg[0] ? err->msg : xa_code_str(err->code);
}
