/* field.c (cmd) — the inspector's commands on the field store: `init`, `id`,
 * `passwd`, `visits`, `export`: their entries (options, what they need)
 * and what each does once src/cmd/entry.c has parsed the options, resolved
 * the home and unlocked the field store: call src/store and src/crypto,
 * print. */
#include "xiaoan/cli.h"
#include "xiaoan/clock.h"
#include "xiaoan/cmd.h"
#include "xiaoan/field.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/identity.h"
#include "xiaoan/pass.h"
#include "xiaoan/table.h"
#include "xiaoan/visit.h"
#include "xiaoan/vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PROMPT_NEW N_("new passphrase: ")

/* The Argon2id cost of --kdf (a choice the parser checked; default MODERATE). */
static xa_kdf_params kdf_of(const char *opt)
{
    xa_kdf_cost cost = XA_KDF_MODERATE;
    if (opt)
        xa_kdf_cost_parse(opt, &cost, NULL);
    return xa_kdf_params_of(cost);
}

/* Print the public identity text of id. */
static int print_identity(const xa_identity *id)
{
    xa_buf b = XA_BUF_INIT;
    xa_err err;
    if (xa_identity_text(id, &b, &err) != XA_OK) {
        xa_buf_clear(&b);
        return xa_cli_report(&err);
    }
    xa_print_text(stdout, b.data);
    xa_buf_clear(&b);
    return XA_EXIT_OK;
}

/* --name must be a name an identity can carry (a usage error otherwise). */
static int init_check(struct xa_cmd_ctx *c)
{
    xa_err err;
    if (xa_identity_name_check(xa_cmd_opt(c, "name"), &err) != XA_OK) {
        xa_err_prefix(&err, "--name");
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    return -1;
}

/* `xiaoan init --name NAME`: a new identity and field store in the home. */
static int init_exec(struct xa_cmd_ctx *c)
{
    if (xa_fstore_exists(c->home))
        return xa_cli_error("a field store already exists in %s (field.db): refusing to replace it",
                            c->home);
    xa_kdf_params kdf = kdf_of(xa_cmd_opt(c, "kdf"));
    xa_err err;
    char *pass = NULL;
    xa_fstore *s = NULL;
    if (xa_pass_read(_(PROMPT_NEW), c->passfile, 1, &pass, &err) != XA_OK)
        return xa_cli_report(&err);
    xa_code code = xa_fstore_create(c->home, xa_cmd_opt(c, "name"), pass, &kdf, &s, &err);
    xa_pass_free(pass);
    if (code != XA_OK)
        return xa_cli_report(&err);
    int rc = print_identity(xa_fstore_identity(s));
    xa_fstore_close(s);
    return rc;
}

/* `xiaoan id`: the public identity, no passphrase. */
static int id_exec(struct xa_cmd_ctx *c)
{
    xa_identity *id = NULL;
    xa_err err;
    if (xa_fstore_public_identity(c->home, &id, &err) != XA_OK)
        return xa_cli_report(&err);
    int rc = print_identity(id);
    xa_identity_free(id);
    return rc;
}

/* The new passphrase: --new-passphrase-file, $XIAOAN_NEW_PASSPHRASE_FILE, or
 * the terminal (asked twice).  Never $XIAOAN_PASSPHRASE_FILE, which holds the
 * old one. */
static xa_code read_new_pass(const char *file, char **out, xa_err *err)
{
    return xa_pass_read_new(_(PROMPT_NEW), file, "XIAOAN_NEW_PASSPHRASE_FILE", out, err);
}

/* `xiaoan passwd`: rewrap the keys with a new passphrase (records stay as they are). */
static int passwd_exec(struct xa_cmd_ctx *c)
{
    const char *kdfopt = xa_cmd_opt(c, "kdf");
    xa_kdf_params kdf = kdf_of(kdfopt);
    xa_err err;
    char *pass = NULL;
    xa_code code = read_new_pass(xa_cmd_opt(c, "new-passphrase-file"), &pass, &err);
    if (code == XA_OK)
        code = xa_fstore_passwd(c->field, pass, kdfopt ? &kdf : NULL, &err);
    xa_pass_free(pass);
    if (code != XA_OK)
        return xa_cli_report(&err);
    xa_print(_("passphrase changed\n"));
    return XA_EXIT_OK;
}

/* "YYYY-MM-DD HH:MM" of an RFC 3339 time (as written), or "-". */
static void short_time(const char *t, char out[17])
{
    if (!t || strlen(t) < 16) {
        snprintf(out, 17, "-");
        return;
    }
    snprintf(out, 17, "%.10s %.5s", t, t + 11);
}

/* One visit as JSON for `visits --json`. */
static json_t *info_json(const xa_visit_info *v)
{
    char created[XA_RFC3339_MAX], updated[XA_RFC3339_MAX];
    xa_time_format(v->created, XA_CST_OFFSET, created);
    xa_time_format(v->updated, XA_CST_OFFSET, updated);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(v->id));
    json_object_set_new(o, "state", json_string(xa_visit_state_name(v->state)));
    json_object_set_new(o, "rev", json_integer(v->rev));
    json_object_set_new(o, "seq", v->seq ? json_integer(v->seq) : json_null());
    json_object_set_new(o, "school", json_pack("{s:s, s:s, s:s}", "code", v->school_code, "name",
                                               v->school_name, "county", v->county));
    json_object_set_new(o, "kind", json_string(v->kind));
    json_object_set_new(o, "arrived", json_string(v->arrived));
    json_object_set_new(o, "sealed", v->sealed ? json_string(v->sealed) : json_null());
    json_object_set_new(o, "hazards", json_integer((json_int_t)v->hazards));
    json_object_set_new(o, "answers", json_integer((json_int_t)v->answers));
    json_object_set_new(o, "created", json_string(created));
    json_object_set_new(o, "updated", json_string(updated));
    return o;
}

/* `xiaoan visits [--json]`: the visits in the field store. */
static int visits_exec(struct xa_cmd_ctx *c)
{
    xa_visit_list l;
    xa_err err;
    if (xa_fstore_visit_list(c->field, &l, &err) != XA_OK)
        return xa_cli_report(&err);
    if (xa_cmd_flag(c, "json")) {
        json_t *a = json_array();
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(a, info_json(&l.v[i]));
        char *text = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        xa_print("%s\n", text ? text : "[]");
        free(text);
        json_decref(a);
    } else if (l.n == 0) {
        xa_print(_("no visits yet (press n in the TUI: xiaoan)\n"));
    } else {
        xa_table *t = xa_table_new(7, (const char *[]){_("id"), _("state"), _("arrived"), _("sealed at"),
                                                        _("kind"), _("hazards"), _("school")});
        xa_table_col(t, 5, 1, 0);
        for (size_t i = 0; i < l.n; i++) {
            const xa_visit_info *v = &l.v[i];
            char arrived[17], sealed[17];
            short_time(v->arrived, arrived);
            short_time(v->sealed, sealed);
            xa_table_add(t, v->id);
            xa_table_add(t, xa_visit_state_label(v->state));
            xa_table_add(t, arrived);
            xa_table_add(t, sealed);
            xa_table_add(t, xa_vocab_label_of(&xa_vocab_kinds, v->kind, !xa_i18n_zh()));
            xa_table_addf(t, "%zu", v->hazards);
            xa_table_add(t, v->school_name);
        }
        xa_table_print(t);
        xa_table_free(t);
    }
    xa_visit_list_clear(&l);
    return XA_EXIT_OK;
}

/* The folder of `export -o DIR` must be there (a USB stick that is not mounted
 * leaves only its empty mount point, or nothing) unless --mkdir asks for it to
 * be created; checked before the passphrase is asked for. */
static int export_check(struct xa_cmd_ctx *c)
{
    const char *dir = xa_cmd_opt(c, "output");
    const char *max = xa_cmd_opt(c, "max-size");
    uint64_t bytes;
    xa_err err;
    if (max && xa_export_max_size_parse(max, &bytes, &err) != XA_OK)
        return xa_cmd_usage(c, "%s", xa_err_msg(&err));
    struct stat st;
    if (!dir || xa_cmd_flag(c, "mkdir"))
        return -1;
    if (stat(dir, &st) != 0)
        return xa_cli_error("the folder %s does not exist: is the USB stick mounted? "
                            "(--mkdir creates it)",
                            dir);
    if (!S_ISDIR(st.st_mode))
        return xa_cli_error("%s is not a folder: give the folder to write the bundle into", dir);
    return -1;
}

/* Bytes as people read them: 1.5 MB, 820 KB (powers of 1024, as --max-size). */
static void size_text(uint64_t n, char *out, size_t cap)
{
    if (n >= 1024 * 1024)
        snprintf(out, cap, "%.1f MB", (double)n / (1024.0 * 1024.0));
    else
        snprintf(out, cap, "%llu KB", (unsigned long long)((n + 1023) / 1024));
}

/* `xiaoan export [-o DIR] [--max-size SIZE]`: every sealed visit not yet exported, in
 * bundles of at most SIZE; prints each bundle's path (one line each: scripts read them),
 * and when there are several, says on stderr that every one must go to the office. */
static int export_exec(struct xa_cmd_ctx *c)
{
    xa_export_result r;
    xa_err err;
    const char *dir = xa_cmd_opt(c, "output");
    const char *maxs = xa_cmd_opt(c, "max-size");
    uint64_t max = XA_EXPORT_MAX_DEFAULT;
    if (maxs && xa_export_max_size_parse(maxs, &max, &err) != XA_OK)
        return xa_cli_report(&err);
    if (dir && xa_cmd_flag(c, "mkdir") && xa_mkdir_p(dir, 0700, &err) != XA_OK)
        return xa_cli_report(&err);
    if (xa_field_export_ex(c->field, dir, max, &r, &err) != XA_OK)
        return xa_cli_report(&err);
    for (size_t i = 0; i < r.nrecovered; i++)
        xa_print(_("recovered %s (bundle %lld, %zu visits, from an interrupted export)\n"),
                 r.recovered_parts[i].path, (long long)r.recovered_parts[i].seq,
                 r.recovered_parts[i].visits);
    for (size_t i = 0; i < r.nparts; i++)
        xa_print("%s\n", r.parts[i].path);
    if (!r.nparts && !r.recovered)
        xa_print(_("nothing to export\n"));
    char lim[32], sz[32];
    size_text(max, lim, sizeof lim);
    if (r.nparts > 1) {
        fflush(stdout);
        xa_eprint(_("exported %zu files (bundles %lld to %lld, each at most %s): send every one "
                    "of them to the office; the photos of a visit can be in two of them\n"),
                  r.nparts, (long long)r.parts[0].seq, (long long)r.parts[r.nparts - 1].seq,
                  lim);
    }
    for (size_t i = 0; i < r.nparts; i++)
        if (r.parts[i].alone) {
            size_text(r.parts[i].bytes, sz, sizeof sz);
            fflush(stdout);
            xa_eprint(_("note: %s is %s, more than --max-size %s: it carries one attachment "
                        "larger than that, alone (an attachment is never cut)\n"),
                      r.parts[i].path, sz, lim);
        }
    xa_export_result_clear(&r);
    return XA_EXIT_OK;
}

#define KDF_OPT                                                                               \
    {"kdf", 0, "interactive|moderate",                                                        \
     N_("the Argon2id cost of the passphrase key (default moderate; interactive for tests)"), \
     XA_OPT_CHOICE}

static const struct xa_cmd_opt init_opts[] = {
    {"name", 0, "NAME", N_("the inspector's name, as the office will see it"), XA_OPT_REQUIRED},
    KDF_OPT,
    {0},
};
static const struct xa_cmd_opt passwd_opts[] = {
    {"new-passphrase-file", 0, "FILE",
     N_("read the new passphrase from FILE (default $XIAOAN_NEW_PASSPHRASE_FILE, else asked twice)"),
     0},
    KDF_OPT,
    {0},
};
static const struct xa_cmd_opt visits_opts[] = {
    {"json", 0, NULL, N_("print a JSON array instead of the table"), 0},
    {0},
};
static const struct xa_cmd_opt export_opts[] = {
    {"output", 'o', "DIR", N_("the folder for the bundle (default: the current folder); it must exist"),
     0},
    {"mkdir", 0, NULL, N_("create the -o folder when it does not exist"), 0},
    {"max-size", 0, "SIZE",
     N_("split into several bundles of at most SIZE each (default 100M; units K, M, G; 1M to "
        "1G)"),
     0},
    {0},
};

const struct xa_cmd_entry cmd_field_entries[] = {
    {.name = "init",
     .help = N_("create the inspector identity and field store; prints the public identity"),
     .opts = init_opts,
     .needs = XA_NEED_HOME | XA_NEED_PASSFILE | XA_NEED_LOCK,
     .check = init_check,
     .exec = init_exec},
    {.name = "id",
     .help = N_("print the public identity (for the office to enrol)"),
     .needs = XA_NEED_HOME,
     .exec = id_exec},
    {.name = "passwd",
     .help = N_("change the passphrase (rewraps the keys only)"),
     .opts = passwd_opts,
     .needs = XA_NEED_FIELD | XA_NEED_LOCK,
     .exec = passwd_exec},
    {.name = "visits",
     .help = N_("list visits: id, state, dates, kind, hazards, school"),
     .opts = visits_opts,
     .needs = XA_NEED_FIELD,
     .exec = visits_exec},
    {.name = "export",
     .help = N_("write every sealed visit not yet exported into bundles (split over "
                "--max-size); prints their paths"),
     .opts = export_opts,
     .needs = XA_NEED_FIELD | XA_NEED_LOCK,
     .check = export_check,
     .exec = export_exec},
    {0},
};
