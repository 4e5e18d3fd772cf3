/* unit_fx.h — what many unit tests share: a scratch folder under $TMPDIR and
 * its removal, a file of the repository wherever the test runs from, random
 * edits of a text for the tests that feed damaged input.  Linked
 * into every unit test; names start with fx_. */
#ifndef XIAOAN_TEST_UNIT_FX_H
#define XIAOAN_TEST_UNIT_FX_H

#include "xiaoan/error.h"
#include "xiaoan/forms.h"
#include "xiaoan/identity.h"
#include "xiaoan/roster.h"

#include <stddef.h>
#include <stdint.h>

/* Make a fresh folder $TMPDIR/xa-NAME-XXXXXX (/tmp without TMPDIR) into buf;
 * 0, or -1 when it cannot. */
int fx_tmpdir(char *buf, size_t size, const char *name);

/* Remove a folder and everything in it; 0, or -1 (and a line on stderr). */
int fx_rmrf(const char *dir);

/* The path of a repository file (docs/examples/roster.csv, forms) from
 * $XIAOAN_TESTS_DIR/.. or the working folder or up to two above it; a new
 * string (rel itself, copied, when none has it). */
char *fx_repo_file(const char *rel);

/* The repository's example roster (docs/examples/roster.csv) and the
 * checklists of forms/, loaded. */
xa_code fx_example_data(xa_roster **roster, xa_form_set **forms, xa_err *err);

/* A number below n (n > 0) from *state: a fixed LCG, the same sequence on
 * every machine, so a failing mutation can be found again. */
uint64_t fx_rand(uint64_t *state, uint64_t n);

/* One random edit of buf[0..*len): a byte drawn from alphabet written over,
 * inserted (buf has room for one more byte) or one byte deleted. */
void fx_mutate(char *buf, size_t *len, const char *alphabet, uint64_t *state);

/* The inspector the visit tests sign with: 张三, made fresh, with the
 * clock fixed at 2026-11-29 09:30 (+08:00) so drafts carry the same times;
 * 0, or -1 when the identity cannot be made. */
int fx_signing_inspector(xa_identity **id);

#endif
