/* demo.c (cmd) — `xiaoan demo [DIR]`: a demo workspace with both sides set
 * up and a history — an office store with the sample roster and every form,
 * three enrolled inspectors (passphrase "demo") and four months of their
 * visits, bundles, merges and briefs (demo_history.c) — then the TUI of the
 * first inspector on it, after printing commands that work when pasted.
 * Uses the interactive KDF cost so it is quick. */
#include "xiaoan/central.h"
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/field.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/tui.h"

#include "demo_int.h"

#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEMO_PASS "demo"

/* The first of the candidates that exists (a new string), or NULL. */
static char *first_existing(const char *const *cands)
{
    for (size_t i = 0; cands[i]; i++)
        if (xa_path_exists(cands[i]))
            return xa_strdup(cands[i]);
    return NULL;
}

/* Is path a folder with nothing in it (or missing)? */
static int empty_or_missing(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return !xa_path_exists(path);
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            empty = 0;
    closedir(d);
    return empty;
}

/* Remove what a failed build left: dir was empty or missing before, so
 * everything under it is the demo's (nftw callback). */
static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static void cleanup(const char *dir)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Build the workspace in dir with its history (demo_history.c); prints
 * what it made. */
static xa_code build(const char *dir, const char *roster_path, const char *forms_dir, xa_err *err)
{
    xa_code c;
    char *store = xa_path_join(dir, "office.db"), *home = xa_path_join(dir, "home");
    char *passfile = xa_path_join(dir, "passphrase.txt"),
         *idfile = xa_path_join(dir, "inspector.id");
    xa_cstore *s = NULL;
    xa_identity *office = NULL;
    xa_fstore *fs = NULL;
    xa_roster *r = NULL;
    xa_form_set *set = NULL;
    xa_buf text = XA_BUF_INIT;
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    struct demo_summary sum;
    /* The history ends yesterday; the clock is moved back while it is made
     * and put back before the TUI opens. */
    int64_t today = xa_date_of(xa_now(), XA_CST_OFFSET);
    const char *was = getenv("XIAOAN_NOW");
    char *saved = was ? xa_strdup(was) : NULL;
    demo_clock_at(today, 130, 8, 0);
    if ((c = xa_mkdir_p(dir, 0700, err)) != XA_OK ||
        (c = xa_write_atomic(passfile, DEMO_PASS "\n", strlen(DEMO_PASS) + 1, err)) != XA_OK)
        goto done;
    if ((c = xa_roster_load(roster_path, &r, &probs, err)) != XA_OK) {
        xa_err_prefix(err, "sample roster");
        goto done;
    }
    if ((c = xa_form_set_load(forms_dir, &set, &probs, err)) != XA_OK) {
        xa_err_prefix(err, "forms in %s", forms_dir);
        goto done;
    }
    if ((c = xa_office_create(store, "丽水市教育局安全科（演示）", DEMO_PASS, &kdf, &s, &office,
                              err)) != XA_OK ||
        (c = xa_office_import_roster(s, r, roster_path, NULL, err)) != XA_OK ||
        (c = xa_office_import_forms(s, set, forms_dir, NULL, NULL, err)) != XA_OK)
        goto done;
    if ((c = xa_mkdir_p(home, 0700, err)) != XA_OK ||
        (c = xa_fstore_create(home, DEMO_INSPECTOR, DEMO_PASS, &kdf, &fs, err)) != XA_OK)
        goto done;
    const xa_identity *me = xa_fstore_identity(fs);
    if ((c = xa_identity_text(me, &text, err)) != XA_OK ||
        (c = xa_write_atomic(idfile, text.data, text.len, err)) != XA_OK ||
        (c = xa_office_enroll_county(s, text.data, text.len, "莲都区", NULL, err)) != XA_OK)
        goto done;
    if ((c = demo_history(dir, DEMO_PASS, today, s, office, fs, r, set, &sum, err)) != XA_OK)
        goto done;
    xa_print(_("demo workspace: %s\n"), dir);
    xa_print(_("  office store   %s  (%zu schools, %zu forms; office %s)\n"), store, r->n, set->n,
           office->fingerprint);
    xa_print(_("  field home     %s  (inspector %s %s)\n"), home, DEMO_INSPECTOR, me->fingerprint);
    xa_print(_("  history        %s to %s: %zu inspectors, %zu visits, %zu bundles "
             "merged, %zu briefs\n"),
           sum.first, sum.last, sum.inspectors, sum.visits, sum.bundles, sum.briefs);
    xa_print(_("  hazards        %zu: %zu open, %zu overdue, %zu re-checked, %zu "
             "closed\n"),
           sum.hazards, sum.open, sum.overdue, sum.rechecked, sum.closed);
    xa_print(_("  passphrase     %s  (office and inspectors; also in %s)\n"), DEMO_PASS, passfile);
done:
    if (saved)
        setenv("XIAOAN_NOW", saved, 1);
    else
        unsetenv("XIAOAN_NOW");
    free(saved);
    xa_problems_clear(&probs);
    xa_buf_clear(&text);
    xa_form_set_free(set);
    xa_roster_free(r);
    xa_fstore_close(fs);
    xa_identity_free(office);
    xa_cstore_close(s);
    free(store);
    free(home);
    free(passfile);
    free(idfile);
    return c;
}

/* path as one shell word: as it is when it has only safe characters,
 * else in single quotes (a quote inside as '\''). */
static void put_word(xa_buf *b, const char *path)
{
    if (path[0] && strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                "0123456789/._-+:@%,=") == strlen(path)) {
        xa_buf_puts(b, path);
        return;
    }
    xa_buf_puts(b, "'");
    for (const char *p = path; *p; p++)
        xa_buf_puts(b, *p == '\'' ? "'\\''" : (char[]){*p, 0});
    xa_buf_puts(b, "'");
}

/* An absolute path of path (which exists) or of this program, as a new
 * string; path itself when it cannot be resolved. */
static char *absolute(const char *path)
{
    char *r = realpath(path, NULL);
    return r ? r : xa_strdup(path);
}

/* The commands to try on the workspace, each one line that works when
 * pasted: the program's full path, absolute paths. */
static void print_commands(const char *dir)
{
    char *bin = absolute("/proc/self/exe"), *root = absolute(dir);
    char *store = xa_path_join(root, "office.db"), *home = xa_path_join(root, "home");
    char *pass = xa_path_join(root, "passphrase.txt"),
         *bundles = xa_path_join(root, "bundles/zhangming");
    char *brief = xa_path_join(root, "briefs/zhangming-next.xbrief");
    xa_identity *me = NULL;
    if (xa_fstore_public_identity(home, &me, NULL) != XA_OK)
        me = NULL;
    char from[XA_DATE_MAX], to[XA_DATE_MAX];
    int64_t today = xa_date_of(xa_now(), XA_CST_OFFSET);
    xa_date_format(today - 130, from);
    xa_date_format(today, to);
    xa_buf B = XA_BUF_INIT, S = XA_BUF_INIT, H = XA_BUF_INIT, P = XA_BUF_INIT, D = XA_BUF_INIT,
           F = XA_BUF_INIT;
    put_word(&B, bin);
    put_word(&S, store);
    put_word(&H, home);
    put_word(&P, pass);
    put_word(&D, bundles);
    put_word(&F, brief);
    const char *b = B.data, *st = S.data, *h = H.data, *p = P.data, *d = D.data, *f = F.data;
    xa_print("\n%s\n", _("the inspector (field):"));
    xa_print("  %s --home %s --passphrase-file %s\n", b, h, p);
    xa_print("  %s visits --home %s --passphrase-file %s\n", b, h, p);
    xa_print("  %s export --home %s --passphrase-file %s -o %s\n", b, h, p, d);
    xa_print("\n%s\n", _("the office:"));
    xa_print("  %s central merge --store %s --passphrase-file %s %s/*.xab\n", b, st, p, d);
    xa_print("  %s central ledger --store %s\n", b, st);
    xa_print("  %s central ledger --store %s --state overdue\n", b, st);
    xa_print("  %s central report --store %s --from %s --to %s\n", b, st, from, to);
    xa_print("  %s central visits --store %s\n", b, st);
    xa_print("  %s central assignments --store %s\n", b, st);
    xa_print("  %s central inspectors --store %s\n", b, st);
    xa_print("  %s central brief --store %s --passphrase-file %s --inspector %s -o "
           "%s --force\n",
           b, st, p, me ? me->fingerprint : "FINGERPRINT", f);
    xa_print("  %s brief import --home %s --passphrase-file %s %s\n", b, h, p, f);
    xa_print("\n");
    xa_buf_clear(&B);
    xa_buf_clear(&S);
    xa_buf_clear(&H);
    xa_buf_clear(&P);
    xa_buf_clear(&D);
    xa_buf_clear(&F);
    free(bin);
    free(root);
    free(store);
    free(home);
    free(pass);
    free(bundles);
    free(brief);
    xa_identity_free(me);
}

/* `xiaoan demo [DIR]`: build the workspace (or find it built), print the commands to
 * try, open the TUI. */
static int demo_exec(struct xa_cmd_ctx *c)
{
    const char *roster_opt = xa_cmd_opt(c, "roster"), *forms_opt = xa_cmd_opt(c, "forms");
    const char *dir = c->argc ? c->argv[0] : "demo-workspace";
    char *store = xa_path_join(dir, "office.db"), *home = xa_path_join(dir, "home");
    char *passfile = xa_path_join(dir, "passphrase.txt");
    int rc = XA_EXIT_OK;
    xa_err err;
    if (xa_path_exists(store) && xa_fstore_exists(home)) {
        xa_print(_("demo workspace: %s (already there; delete the folder to start afresh)\n"), dir);
    } else if (!empty_or_missing(dir)) {
        rc = xa_cli_error("%s exists and is not a demo workspace: give another folder", dir);
        goto out;
    } else {
        static const char *const rosters[] = {"docs/examples/roster.csv",
                                              XIAOAN_DATADIR "/examples/roster.csv",
                                              XIAOAN_DATADIR "/roster.csv", NULL};
        static const char *const formdirs[] = {"forms", XIAOAN_DATADIR "/forms", NULL};
        char *roster = roster_opt ? xa_strdup(roster_opt) : first_existing(rosters);
        char *forms = forms_opt ? xa_strdup(forms_opt) : first_existing(formdirs);
        if (!roster || !forms) {
            rc = !roster ? xa_cli_error("cannot find the sample roster: run from the source "
                                        "folder or give --roster FILE")
                         : xa_cli_error("cannot find the sample checklists: run from the source "
                                        "folder or give --forms DIR");
        } else if (build(dir, roster, forms, &err) != XA_OK) {
            cleanup(dir);
            rc = xa_cli_report(&err);
        }
        free(roster);
        free(forms);
        if (rc)
            goto out;
    }
    print_commands(dir);
    fflush(stdout);
    if (!xa_cmd_flag(c, "no-tui")) {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            xa_print(_("(not a terminal: the TUI was not opened)\n"));
        } else {
            rc = xa_tui_run(home, passfile, xa_cmd_opt(c, "lang"));
        }
    }
out:
    free(store);
    free(home);
    free(passfile);
    return rc;
}

static const struct xa_cmd_opt demo_opts[] = {
    {"no-tui", 0, NULL, N_("build the workspace and print the commands, do not open the TUI"), 0},
    {"roster", 0, "FILE", N_("the sample roster (default docs/examples/roster.csv or the installed one)"),
     0},
    {"forms", 0, "DIR", N_("the checklists (default ./forms or the installed ones)"), 0},
    {"lang", 0, "zh|en", N_("the language of the TUI (default $XIAOAN_LANG, else zh)"), XA_OPT_CHOICE},
    {0},
};

const struct xa_cmd_entry cmd_demo_entries[] = {
    {.name = "demo",
     .args = "[DIR]",
     .max_args = 1,
     .help = N_("make a demo workspace (office, roster, forms, inspector 'demo', brief) and open the TUI"),
     .opts = demo_opts,
     .exec = demo_exec},
    {0},
};
