/* problems_fx.h — looking at a problem list in the forms and roster tests:
 * is there a problem at line:col, and printing them all when an assertion
 * about them fails.  Linked into every unit test; names start with fx_. */
#ifndef XIAOAN_TEST_PROBLEMS_FX_H
#define XIAOAN_TEST_PROBLEMS_FX_H

#include "xiaoan/csvtab.h"

#include <stddef.h>

/* Is there a problem at line:col whose message contains want? */
int fx_has_problem(const xa_problems *p, size_t line, size_t col, const char *want);

/* Print every problem as "  # PROBLEM" on stdout. */
void fx_dump_problems(const xa_problems *p);

#endif
