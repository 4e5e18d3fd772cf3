/* error.c — status codes and one-line error messages (see error.h), and the
 * one sanitiser every string from outside (a file, a record, a file name)
 * passes through before it reaches a terminal, a log or a stored reason:
 * control characters (C0, DEL, C1), bidi controls and line separators are
 * shown as visible escapes, invalid UTF-8 as U+FFFD, so a crafted name can
 * neither move the cursor nor reorder what the operator reads. */
#include "xiaoan/error.h"
#include "xiaoan/i18n.h"

#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

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

/* Must cp never reach a terminal or a log as it is? */
int xa_cp_unsafe(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || /* C0, DEL, C1 */
           cp == 0x061C || cp == 0x200E || cp == 0x200F ||          /* ALM, LRM, RLM */
           (cp >= 0x202A && cp <= 0x202E) ||                        /* LRE..RLO */
           (cp >= 0x2066 && cp <= 0x2069) ||                        /* LRI..PDI */
           cp == 0x2028 || cp == 0x2029;                            /* line/para sep */
}

/* Safe one-line text of in[0..len) into out (cap bytes, NUL-terminated). */
size_t xa_safe_text(char *out, size_t cap, const char *in, size_t len)
{
    size_t n = 0, i = 0;
    if (!cap)
        return 0;
    while (i < len) {
        uint32_t cp;
        int valid;
        size_t k = xa_utf8_decode(in + i, len - i, &cp, &valid);
        char piece[16];
        size_t m;
        if (!valid)
            m = xa_utf8_encode(XA_REPLACEMENT, piece);
        else if (xa_cp_unsafe(cp))
            m = (size_t)snprintf(piece, sizeof piece, cp < 0x80 ? "\\x%02x" : "\\u%04x",
                                 (unsigned)cp);
        else
            m = xa_utf8_encode(cp, piece);
        if (n + m + 1 > cap)
            break; /* cut at a character boundary */
        memcpy(out + n, piece, m);
        n += m;
        i += k;
    }
    out[n] = '\0';
    return n;
}

/* A new string: xa_safe_text of all of s (NULL gives ""). */
char *xa_safe_dup(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    size_t cap = XA_SAFE_CAP(len);
    char *out = xa_malloc(cap);
    xa_safe_text(out, cap, s ? s : "", len);
    return out;
}

/* Keep a message on one line and harmless on a terminal (xa_safe_text). */
static void one_line(char *s)
{
    char tmp[XA_ERR_MSG_MAX];
    xa_safe_text(tmp, sizeof tmp, s, strlen(s));
    memcpy(s, tmp, strlen(tmp) + 1);
}

/* Shared body of xa_fail and xa_fail_errno. */
static void vset(xa_err *err, xa_code code, const char *fmt, va_list ap)
{
    err->code = code;
    if (fmt)
        vsnprintf(err->msg, sizeof err->msg, xa_tr(fmt), ap);
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
/* Prepend the formatted context pre to err's message. */
static void prefix(xa_err *err, const char *pre)
{
    char old[XA_ERR_MSG_MAX];
    memcpy(old, err->msg, sizeof old);
    const char *rest = old[0] ? old : xa_code_str(err->code);
    /* Assemble by hand: the result is cut at the buffer's end on purpose. */
    size_t cap = sizeof err->msg - 1, n = 0;
    for (const char *parts[] = {pre, ": ", rest}, **p = parts; p < parts + 3; p++)
        for (const char *c = *p; *c && n < cap; c++)
            err->msg[n++] = *c;
    err->msg[n] = '\0';
    one_line(err->msg);
}

void xa_err_prefix(xa_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char pre[XA_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, xa_tr(fmt), ap);
    va_end(ap);
    prefix(err, pre);
}

xa_code xa_err_prefixed(xa_code c, xa_err *err, const char *fmt, ...)
{
    if (!err)
        return c;
    char pre[XA_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, xa_tr(fmt), ap);
    va_end(ap);
    prefix(err, pre);
    return c;
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
