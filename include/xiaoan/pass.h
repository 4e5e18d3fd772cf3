/* pass.h — reading a passphrase without ever taking it from argv.
 *
 * Source, in order: the --passphrase-file FILE option, the environment
 * variable XIAOAN_PASSPHRASE_FILE (first line of the file in both cases),
 * else the controlling terminal with echo off (restored on every path,
 * including Ctrl-C).  The passphrase lives in guarded memory. */
#ifndef XIAOAN_PASS_H
#define XIAOAN_PASS_H

#include "xiaoan/error.h"

#define XA_PASS_MAX 1024

/* Read a passphrase; *out is xa_secret_alloc'd (free with xa_pass_free).
 * When `confirm` and it comes from the terminal, it is asked twice and must
 * match.  An empty passphrase is refused. */
xa_code xa_pass_read(const char *prompt, const char *file_opt, int confirm, char **out,
                     xa_err *err);

/* Read a NEW passphrase: from file_opt, else the file named by the
 * environment variable env_name (NULL: none), else the terminal, asked twice.
 * A weak one (see xa_pass_weakness) is warned about on stderr; on the
 * terminal the user must type yes to keep it (else XA_ECANCEL). */
xa_code xa_pass_read_new(const char *prompt, const char *file_opt, const char *env_name,
                         char **out, xa_err *err);

/* Why p is a weak passphrase — fewer than 10 characters, a common password,
 * one character repeated, a plain run like 1234567890 or abcdefghij — as a
 * short Chinese / English phrase; NULL when none of these holds.  Weak is a
 * warning: the key file's Argon2id slows guessing, but a lost laptop gives
 * an attacker unlimited offline tries. */
const char *xa_pass_weakness(const char *p);

/* Read the first line of a passphrase file into guarded memory. */
xa_code xa_pass_from_file(const char *path, char **out, xa_err *err);

/* Read from the terminal with echo off; fd in/out given for tests. */
xa_code xa_pass_from_tty(const char *prompt, char **out, xa_err *err);

/* Wipe and free. */
void xa_pass_free(char *p);

#endif
