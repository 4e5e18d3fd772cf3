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
#include "xiaoan/mem.h"
#include "xiaoan/roster.h"
#include "xiaoan/utf8.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Reject options: these commands take none but --help (handled by main);
 * group names the command ("forms" or "roster") since argv[0] is "check". */
static int no_options(int argc, char **argv, const char *group)
{
    static const struct option longopts[] = {{NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int ch = getopt_long(argc, argv, "+", longopts, NULL);
    if (ch != -1)
        return xa_cli_bad_option('?', argv[optind - 1], group, argv[0]);
    return 0;
}

/* Print every problem to stderr, then the summary line; returns 1. */
static int report_problems(const xa_problems *p, const char *what)
{
    for (size_t i = 0; i < p->n; i++) {
        char *s = xa_problem_str(&p->v[i]);
        fprintf(stderr, "%s\n", s);
        free(s);
    }
    if (p->dropped)
        fprintf(stderr, "... and %zu more problem%s not shown\n", p->dropped,
                p->dropped == 1 ? "" : "s");
    size_t n = xa_problems_count(p);
    return xa_cli_error("%zu problem%s in %s", n, n == 1 ? "" : "s", what);
}

/* Say once per file that it was read as GB18030 ("ANSI") and converted. */
static void note_gb18030(const char *const *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(stderr,
                "xiaoan: note: %s is GB18030 (Excel/WPS \"CSV\" on a Chinese Windows, "
                "\"ANSI\"), read as such and converted to UTF-8\n",
                files[i]);
}

/* Is path a folder? */
static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* `xiaoan forms check [DIR]`. */
int cmd_forms_check(int argc, char **argv)
{
    int rc = no_options(argc, argv, "forms");
    if (rc)
        return rc;
    if (argc - optind > 1)
        return xa_cli_usage("forms check takes one folder (see xiaoan forms check --help)");
    const char *dir = argc > optind ? argv[optind] : is_dir("forms") ? "forms"
                                                                     : XIAOAN_DATADIR "/forms";
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_err err;
    xa_form_set *set = NULL;
    xa_code c = xa_form_set_load(dir, &set, &probs, &err);
    if (c == XA_OK) {
        note_gb18030((const char *const *)set->gb18030, set->ngb18030);
        if (xa_form_set_lint(set, &probs))
            c = XA_EFORMAT;
    }
    if (c == XA_EFORMAT) {
        xa_problems_sort(&probs, 0);
        rc = report_problems(&probs, dir);
    } else if (c != XA_OK) {
        rc = xa_cli_report(&err);
    } else {
        for (size_t i = 0; i < set->n; i++) {
            const xa_form *f = set->forms[i];
            printf("%-24s v%-3d %5zu items %4zu major  %.16s\n", f->id, f->version, f->nitems,
                   f->nmajor, f->hash_hex);
        }
        xa_form_stats st;
        xa_form_set_stats(set, &st);
        /* 推定 share: of the items that can fail (check and count). */
        printf("%zu form%s, %zu items, %zu major, %zu advice; 推定 %zu of %zu (%.1f%%)\n", set->n,
               set->n == 1 ? "" : "s", st.items, st.major, st.advice, st.inferred, st.checkable,
               st.checkable ? 100.0 * (double)st.inferred / (double)st.checkable : 0.0);
        rc = XA_EXIT_OK;
    }
    xa_form_set_free(set);
    xa_problems_free(&probs);
    return rc;
}

/* `xiaoan roster check FILE`. */
int cmd_roster_check(int argc, char **argv)
{
    int rc = no_options(argc, argv, "roster");
    if (rc)
        return rc;
    if (argc - optind != 1)
        return xa_cli_usage("roster check takes one file (see xiaoan roster check --help)");
    const char *path = argv[optind];
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_err err;
    xa_roster *r = NULL;
    xa_code c = xa_roster_load(path, &r, &probs, &err);
    if (c == XA_OK && r->gb18030)
        note_gb18030(&path, 1);
    if (c == XA_EFORMAT) {
        rc = report_problems(&probs, path);
    } else if (c != XA_OK) {
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
            printf("%s %4zu schools %4zu boarding %7zu students\n", name, n, boarding, students);
            free(name);
            ncounty++;
        }
        printf("%zu school%s in %zu count%s\n", r->n, r->n == 1 ? "" : "s", ncounty,
               ncounty == 1 ? "y" : "ies");
        rc = XA_EXIT_OK;
    }
    xa_roster_free(r);
    xa_problems_free(&probs);
    return rc;
}
