/* briefimport.c (cmd) — `xiaoan brief import FILE [--expect-fingerprint FP]`:
 * the inspector takes in the office's brief.  The first import pins the
 * office key and prints its fingerprint to be checked with the office. */
#include "xiaoan/field.h"
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/pass.h"

#include <stdio.h>

/* --expect-fingerprint must be a fingerprint (a usage error otherwise). */
static int import_check(struct xa_cmd_ctx *c)
{
    const char *expect = xa_cmd_opt(c, "expect-fingerprint");
    char fp[XA_FP_MAX] = "";
    xa_err err;
    if (expect && xa_fingerprint_normalize(expect, fp, &err) != XA_OK) {
        xa_err_prefix(&err, "--expect-fingerprint");
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    return -1;
}

/* `xiaoan brief import FILE`: verify and import into the unlocked field store. */
static int import_exec(struct xa_cmd_ctx *c)
{
    const char *file = c->argv[0], *expect = xa_cmd_opt(c, "expect-fingerprint");
    char fp[XA_FP_MAX] = "";
    if (expect)
        xa_fingerprint_normalize(expect, fp, NULL);
    xa_err err;
    struct xa_brief_import_result r;
    if (xa_brief_import(c->field, file, expect ? fp : NULL, &r, &err) != XA_OK) {
        xa_err_prefix(&err, "%s", file);
        return xa_cli_report(&err);
    }
    xa_print(_("imported brief %lld from %s: %zu schools, %zu forms, %zu hazards to re-check, %zu"
             " assignments, %zu receipts\n"),
           (long long)r.seq, r.office_name, r.schools, r.forms, r.hazards, r.assignments,
           r.receipts);
    if (r.acknowledged)
        xa_print(xa_trn("%zu exported visit acknowledged by the office\n",
                      "%zu exported visits acknowledged by the office\n", r.acknowledged),
               r.acknowledged);
    if (r.pinned_now)
        xa_print(_("office fingerprint: %s\n"
                 "pinned: later briefs must carry this key — check these digits with the office"
                 " in person or by phone\n"),
               r.office_fp);
    else
        xa_print(_("office fingerprint: %s\n"), r.office_fp);
    return XA_EXIT_OK;
}

static const struct xa_cmd_opt import_opts[] = {
    {"expect-fingerprint", 0, "FP",
     N_("refuse the brief unless the office key has this fingerprint (check it in person)"), 0},
    {0},
};

const struct xa_cmd_entry cmd_brief_entries[] = {
    {.name = "brief import",
     .args = "FILE",
     .min_args = 1,
     .max_args = 1,
     .help = N_("verify and import the office's brief (the first import pins the office key)"),
     .opts = import_opts,
     .needs = XA_NEED_FIELD | XA_NEED_LOCK,
     .check = import_check,
     .exec = import_exec},
    {0},
};
