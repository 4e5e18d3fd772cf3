/* demo.c (cmd) — `xiaoan demo [DIR]`: a demo workspace with both sides set
 * up — an office store with the sample roster and every form, an enrolled
 * inspector (passphrase "demo") whose field store has imported a brief —
 * then the TUI on it.  Uses the interactive KDF cost so it is quick. */
#include "xiaoan/central.h"
#include "xiaoan/field.h"
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/tui.h"

#include <dirent.h>
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

/* Remove what a failed build left (only the names it creates). */
static void cleanup(const char *dir)
{
    static const char *const files[] = {
        "office.db", "office.db-wal", "office.db-shm", "home/field.db", "home/field.db-wal",
        "home/field.db-shm", "passphrase.txt", "brief.xbrief", "inspector.id", NULL};
    for (size_t i = 0; files[i]; i++) {
        char *p = xa_path_join(dir, files[i]);
        unlink(p);
        free(p);
    }
    char *h = xa_path_join(dir, "home");
    rmdir(h);
    free(h);
    rmdir(dir);
}

/* Build the workspace in dir; prints what it made. */
static xa_code build(const char *dir, const char *roster_path, const char *forms_dir,
                     xa_err *err)
{
    xa_code c;
    char *store = xa_path_join(dir, "office.db"), *home = xa_path_join(dir, "home");
    char *passfile = xa_path_join(dir, "passphrase.txt");
    char *brief = xa_path_join(dir, "brief.xbrief"), *idfile = xa_path_join(dir, "inspector.id");
    xa_cstore *s = NULL;
    xa_identity *office = NULL;
    xa_fstore *fs = NULL;
    xa_roster *r = NULL;
    xa_form_set *set = NULL;
    xa_buf text = XA_BUF_INIT;
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
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
        (c = xa_fstore_create(home, "演示检查员", DEMO_PASS, &kdf, &fs, err)) != XA_OK)
        goto done;
    const xa_identity *me = xa_fstore_identity(fs);
    if ((c = xa_identity_text(me, &text, err)) != XA_OK ||
        (c = xa_write_atomic(idfile, text.data, text.len, err)) != XA_OK ||
        (c = xa_office_enroll(s, text.data, text.len, NULL, err)) != XA_OK)
        goto done;
    struct xa_brief_counts k;
    if ((c = xa_brief_write(s, office, me->fingerprint, NULL, brief, &k, NULL, err)) != XA_OK)
        goto done;
    struct xa_brief_import_result ir;
    if ((c = xa_brief_import(fs, brief, office->fingerprint, &ir, err)) != XA_OK)
        goto done;
    printf("demo workspace: %s\n", dir);
    printf("  office store   %s  (%zu schools, %zu forms)\n", store, r->n, set->n);
    printf("  field home     %s  (inspector 演示检查员 %s)\n", home, me->fingerprint);
    printf("  brief          %s  (imported; office %s)\n", brief, office->fingerprint);
    printf("  passphrase     %s  (office and inspector; also in %s)\n", DEMO_PASS, passfile);
done:
    xa_problems_free(&probs);
    xa_buf_free(&text);
    xa_form_set_free(set);
    xa_roster_free(r);
    xa_fstore_close(fs);
    xa_identity_free(office);
    xa_cstore_close(s);
    free(store);
    free(home);
    free(passfile);
    free(brief);
    free(idfile);
    return c;
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
        printf("demo workspace: %s (already there; delete the folder to start afresh)\n", dir);
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
            rc = xa_cli_error("cannot find the sample %s: run from the source folder or give --%s",
                              !roster ? "roster" : "forms", !roster ? "roster FILE" : "forms DIR");
        } else if (build(dir, roster, forms, &err) != XA_OK) {
            cleanup(dir);
            rc = xa_cli_report(&err);
        }
        free(roster);
        free(forms);
        if (rc)
            goto out;
    }
    printf("\ncommands:\n");
    printf("  xiaoan --home %s --passphrase-file %s            # the inspector's TUI\n", home,
           passfile);
    printf("  xiaoan export --home %s --passphrase-file %s -o %s/bundles\n", home, passfile, dir);
    printf("  xiaoan central merge --store %s --passphrase-file %s %s/bundles/*.xab\n", store,
           passfile, dir);
    printf("  xiaoan central ledger --store %s\n", store);
    printf("  xiaoan central report --store %s\n", store);
    fflush(stdout);
    if (!xa_cmd_flag(c, "no-tui")) {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            printf("(not a terminal: the TUI was not opened)\n");
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
    {"no-tui", 0, NULL, "build the workspace and print the commands, do not open the TUI", 0},
    {"roster", 0, "FILE", "the sample roster (default docs/examples/roster.csv or the installed one)",
     0},
    {"forms", 0, "DIR", "the checklists (default ./forms or the installed ones)", 0},
    {"lang", 0, "zh|en", "the language of the TUI (default $XIAOAN_LANG, else zh)", XA_OPT_CHOICE},
    {0},
};

const struct xa_cmd_entry cmd_demo_entries[] = {
    {.name = "demo",
     .args = "[DIR]",
     .max_args = 1,
     .help = "make a demo workspace (office, roster, forms, inspector 'demo', brief) and open the TUI",
     .opts = demo_opts,
     .exec = demo_exec},
    {0},
};
