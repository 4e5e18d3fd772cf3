/* forms.c (cmd) — `xiaoan forms check [DIR]` and `xiaoan roster check
 * FILE`: validate a folder of checklists or a school roster, list what is
 * in it on stdout, and print every problem as FILE:LINE:COLUMN: MESSAGE on
 * stderr (the compiler convention, so editors can jump to it) followed by
 * one `xiaoan: ` summary line. */
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/county.h"
#include "xiaoan/csvtab.h"
#include "xiaoan/forms.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/mem.h"
#include "xiaoan/roster.h"
#include "xiaoan/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Print every problem to stderr, then the summary line; returns 1. */
static int report_problems(const xa_problems *p, const char *what)
{
    for (size_t i = 0; i < p->n; i++) {
        char *s = xa_problem_str(&p->v[i]);
        xa_eprint("%s\n", s);
        free(s);
    }
    if (p->dropped)
        xa_eprint(xa_trn("... and %zu more problem not shown\n",
                       "... and %zu more problems not shown\n", p->dropped),
                p->dropped);
    size_t n = xa_problems_count(p);
    return xa_cli_error("%zu problem%s in %s", n, n == 1 ? "" : "s", what);
}

/* Say once per file that it was read as GB18030 ("ANSI") and converted. */
static void note_gb18030(const char *const *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xa_eprint(_("xiaoan: note: %s is GB18030 (Excel/WPS \"CSV\" on a Chinese Windows, "
                  "\"ANSI\"), read as such and converted to UTF-8\n"),
                files[i]);
}

/* Is path a folder? */
static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* `xiaoan forms check [DIR]`. */
static int forms_check_exec(struct xa_cmd_ctx *c)
{
    int rc;
    const char *dir = c->argc ? c->argv[0] : is_dir("forms") ? "forms" : XIAOAN_DATADIR "/forms";
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_err err;
    xa_form_set *set = NULL;
    xa_code code = xa_form_set_load(dir, &set, &probs, &err);
    if (code == XA_OK) {
        note_gb18030((const char *const *)set->gb18030, set->ngb18030);
        if (xa_form_set_lint(set, &probs))
            code = XA_EFORMAT;
    }
    if (code == XA_EFORMAT) {
        xa_problems_sort(&probs, 0);
        rc = report_problems(&probs, dir);
    } else if (code != XA_OK) {
        rc = xa_cli_report(&err);
    } else {
        for (size_t i = 0; i < set->n; i++) {
            const xa_form *f = set->forms[i];
            xa_print(_("%-24s v%-3d %5zu items %4zu major  %.16s\n"), f->id, f->version, f->nitems,
                   f->nmajor, f->hash_hex);
        }
        xa_form_stats st;
        xa_form_set_stats(set, &st);
        /* 推定 share: of the items that can fail (check and count). */
        xa_print(xa_trn("%zu form, %zu items, %zu major, %zu advice; 推定 %zu of %zu "
                      "(%.1f%%)\n",
                      "%zu forms, %zu items, %zu major, %zu advice; 推定 %zu of %zu "
                      "(%.1f%%)\n",
                      set->n),
               set->n, st.items, st.major, st.advice, st.inferred, st.checkable,
               st.checkable ? 100.0 * (double)st.inferred / (double)st.checkable : 0.0);
        rc = XA_EXIT_OK;
    }
    xa_form_set_free(set);
    xa_problems_clear(&probs);
    return rc;
}

/* `xiaoan roster check FILE`. */
static int roster_check_exec(struct xa_cmd_ctx *c)
{
    int rc;
    const char *path = c->argv[0];
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_err err;
    xa_roster *r = NULL;
    xa_code code = xa_roster_load(path, &r, &probs, &err);
    if (code == XA_OK && r->gb18030)
        note_gb18030(&path, 1);
    if (code == XA_EFORMAT) {
        rc = report_problems(&probs, path);
    } else if (code != XA_OK) {
        rc = xa_cli_report(&err);
    } else {
        /* One line per county, 市直 first then by code (county.h); the
         * loader has already refused any other county. */
        size_t ncounty = 0;
        for (size_t k = 0; k < XA_NCOUNTIES; k++) {
            const xa_county *cty = xa_county_at(k);
            size_t n = 0, boarding = 0, students = 0;
            for (size_t j = 0; j < r->n; j++) {
                const xa_school *s = &r->schools[j];
                if (strcmp(s->county, cty->name) != 0)
                    continue;
                n++;
                boarding += s->boarding != 0;
                students += s->students > 0 ? (size_t)s->students : 0;
            }
            if (!n)
                continue;
            char *name = xa_utf8_pad(cty->name, 16, 0);
            xa_print(_("%s %4zu schools %4zu boarding %7zu students\n"), name, n, boarding, students);
            free(name);
            ncounty++;
        }
        xa_print(xa_trn("%zu school", "%zu schools", r->n), r->n);
        xa_print(xa_trn(" in %zu county\n", " in %zu counties\n", ncounty), ncounty);
        rc = XA_EXIT_OK;
    }
    xa_roster_free(r);
    xa_problems_clear(&probs);
    return rc;
}

const struct xa_cmd_entry cmd_forms_entries[] = {
    {.name = "forms check",
     .args = "[DIR]",
     .max_args = 1,
     .help = N_("validate a folder of checklists (default ./forms, else the installed ones)"),
     .exec = forms_check_exec},
    {.name = "roster check",
     .args = "FILE",
     .min_args = 1,
     .max_args = 1,
     .help = N_("validate a school roster CSV"),
     .exec = roster_check_exec},
    {0},
};
