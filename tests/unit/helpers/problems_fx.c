/* problems_fx.c — a problem list in the tests (problems_fx.h). */
#include "problems_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fx_has_problem(const xa_problems *p, size_t line, size_t col, const char *want)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].line == line && p->v[i].col == col && strstr(p->v[i].msg, want))
            return 1;
    return 0;
}

void fx_dump_problems(const xa_problems *p)
{
    for (size_t i = 0; i < p->n; i++) {
        char *s = xa_problem_str(&p->v[i]);
        printf("  # %s\n", s);
        free(s);
    }
}
