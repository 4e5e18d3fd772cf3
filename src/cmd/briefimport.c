/* briefimport.c (cmd) — `xiaoan brief import FILE [--expect-fingerprint FP]`:
 * the inspector takes in the office's brief.  The first import pins the
 * office key and prints its fingerprint to be checked with the office. */
#include "xiaoan/field.h"
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/pass.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPT_HOME 0x3001
#define OPT_PASSFILE 0x3002
#define OPT_EXPECT 0x3003

int cmd_brief_import(int argc, char **argv)
{
    static const struct option lo[] = {{"home", required_argument, NULL, OPT_HOME},
                                       {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
                                       {"expect-fingerprint", required_argument, NULL, OPT_EXPECT},
                                       {NULL, 0, NULL, 0}};
    const char *home_opt = NULL, *passfile = NULL, *expect = NULL;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
        switch (ch) {
        case OPT_HOME:
            home_opt = optarg;
            break;
        case OPT_PASSFILE:
            passfile = optarg;
            break;
        case OPT_EXPECT:
            expect = optarg;
            break;
        default:
            return xa_cli_bad_option(ch, argv[optind - 1], "brief", "import");
        }
    }
    if (argc - optind != 1)
        return xa_cli_usage(argc - optind < 1
                                ? "brief import needs the brief FILE (see xiaoan brief import --help)"
                                : "brief import takes one FILE (see xiaoan brief import --help)");
    const char *file = argv[optind];
    xa_err err;
    char fp[XA_FP_MAX];
    if (expect && xa_fingerprint_normalize(expect, fp, &err) != XA_OK) {
        xa_err_prefix(&err, "--expect-fingerprint");
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    char *home = NULL;
    if (xa_home_resolve(home_opt, &home, &err) != XA_OK)
        return xa_cli_report(&err);
    if (!xa_fstore_exists(home)) {
        int rc = xa_cli_error("no field store in %s (run xiaoan init first)", home);
        free(home);
        return rc;
    }
    char *pass = NULL;
    xa_fstore *s = NULL;
    if (xa_pass_read("口令 / passphrase: ", passfile, 0, &pass, &err) != XA_OK) {
        free(home);
        return xa_cli_report(&err);
    }
    xa_code c = xa_fstore_open(home, pass, &s, &err);
    xa_pass_free(pass);
    free(home);
    if (c != XA_OK)
        return xa_cli_report(&err);
    struct xa_brief_import_result r;
    c = xa_brief_import(s, file, expect ? fp : NULL, &r, &err);
    xa_fstore_close(s);
    if (c != XA_OK) {
        xa_err_prefix(&err, "%s", file);
        return xa_cli_report(&err);
    }
    printf("imported brief %lld from %s: %zu schools, %zu forms, %zu hazards to re-check, %zu"
           " assignments, %zu receipts\n",
           (long long)r.seq, r.office_name, r.schools, r.forms, r.hazards, r.assignments,
           r.receipts);
    if (r.acknowledged)
        printf("%zu exported visit%s acknowledged by the office\n", r.acknowledged,
               r.acknowledged == 1 ? "" : "s");
    if (r.pinned_now)
        printf("office fingerprint: %s\n"
               "pinned: later briefs must carry this key — check these digits with the office"
               " in person or by phone\n",
               r.office_fp);
    else
        printf("office fingerprint: %s\n", r.office_fp);
    return XA_EXIT_OK;
}
