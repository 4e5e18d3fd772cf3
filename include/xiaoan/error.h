/* error.h — the one error convention of xiaoan.
 *
 * Every fallible function returns an xa_code (XA_OK == 0) and takes an
 * `xa_err *err` out-parameter (may be NULL) that receives a one-line,
 * human-readable message.  The message lives inside the struct, so there is
 * nothing to free.  Messages never contain secrets or record plaintext.
 * Callers add context with xa_err_prefix() ("reading FILE: ...").  The code
 * says *what class* of failure happened so callers can branch on it; the
 * message says what to tell a person. */
#ifndef XIAOAN_ERROR_H
#define XIAOAN_ERROR_H

#include <stddef.h>
#include <stdint.h>

/* X-macro: code, default message. */
#define XA_ERRORS(X)                                        \
    X(XA_OK, "ok")                                          \
    X(XA_EUSAGE, "usage error")                             \
    X(XA_EIO, "input/output error")                         \
    X(XA_ENOSPC, "disk full")                               \
    X(XA_EFORMAT, "malformed input")                        \
    X(XA_ELIMIT, "over a size limit")                       \
    X(XA_ENOTFOUND, "not found")                            \
    X(XA_EEXIST, "already exists")                          \
    X(XA_EPASS, "wrong passphrase")                         \
    X(XA_ECRYPTO, "authentication failed")                  \
    X(XA_ESIG, "bad signature")                             \
    X(XA_ESENDER, "not from a known sender")                \
    X(XA_ESTATE, "not allowed in this state")               \
    X(XA_EDB, "database error")                             \
    X(XA_ETRUNC, "truncated")                               \
    X(XA_AGE_NOTAGE, "not an age file")                     \
    X(XA_AGE_HEADER, "age header failure")                  \
    X(XA_AGE_NOMATCH, "no matching identity")               \
    X(XA_AGE_HMAC, "age header MAC failure")                \
    X(XA_AGE_PAYLOAD, "age payload damaged")                \
    X(XA_ECANCEL, "cancelled")                              \
    X(XA_EDIFF, "does not match")

#define XA_ERR_ENUM_(name, msg) name,
typedef enum { XA_ERRORS(XA_ERR_ENUM_) XA_NCODES } xa_code;
#undef XA_ERR_ENUM_

#define XA_ERR_MSG_MAX 512

typedef struct xa_err {
    xa_code code;
    char msg[XA_ERR_MSG_MAX];
} xa_err;

/* The default message of a code (never NULL). */
const char *xa_code_str(xa_code code);

/* Record a failure in err (if non-NULL) and return code; fmt NULL means the
 * code's default message.  Newlines and control characters are replaced so
 * the message stays one line. */
xa_code xa_fail(xa_err *err, xa_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like xa_fail, appending ": strerror(errnum)". */
xa_code xa_fail_errno(xa_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepend context to the message already in err (NULL is fine).  It returns
 * nothing: a caller returning the failure returns its own code, or uses
 * xa_err_prefixed, so a NULL err never loses the real code. */
void xa_err_prefix(xa_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* xa_err_prefix, then return c (the failure's own code, err NULL or not). */
xa_code xa_err_prefixed(xa_code c, xa_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reset err to XA_OK with an empty message. */
void xa_err_clear(xa_err *err);

/* The message of err, or the code's default when the message is empty. */
const char *xa_err_msg(const xa_err *err);

/* ---- the one sanitiser for text from outside (files, records, file names) ----
 * Every such string goes through it before a terminal, a log, an audit row or
 * a quarantine reason: C0 controls and DEL become "\x1b"-style escapes, C1
 * controls, bidi controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) and
 * U+2028/U+2029 become "\u202e"-style escapes, invalid UTF-8 becomes U+FFFD.
 * Error messages (xa_fail, xa_err_prefix) pass through it already. */

/* Is cp one of the characters above? */
int xa_cp_unsafe(uint32_t cp);

/* Write the safe form of in[0..len) to out (cap ≥ 1 bytes, always
 * NUL-terminated, cut at a character boundary); returns its length. */
size_t xa_safe_text(char *out, size_t cap, const char *in, size_t len);
/* The cap that always holds the whole safe form of len bytes: \uXXXX, six
 * bytes, is the longest form of one input byte. */
#define XA_SAFE_CAP(len) ((len) * 6 + 1)

/* The safe form of s as a new string (NULL gives ""). */
char *xa_safe_dup(const char *s);

#endif
