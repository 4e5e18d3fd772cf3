/* field.c (cmd) — the inspector's commands on the field store: `init`, `id`,
 * `passwd`, `visits`, `export`.  Option
 * parsing, calling src/store and src/crypto, printing.  Every command takes
 * --home DIR (or $XIAOAN_HOME); those that need the keys take
 * --passphrase-file FILE (or $XIAOAN_PASSPHRASE_FILE, else the terminal). */
#include "xiaoan/cli.h"
#include "xiaoan/clock.h"
#include "xiaoan/cmd.h"
#include "xiaoan/field.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/identity.h"
#include "xiaoan/pass.h"
#include "xiaoan/utf8.h"
#include "xiaoan/visit.h"
#include "xiaoan/vocab.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPT_HOME 0x2001
#define OPT_PASSFILE 0x2002
#define OPT_NEWPASS 0x2003
#define OPT_KDF 0x2004
#define OPT_NAME 0x2005
#define OPT_JSON 0x2006

#define PROMPT_PASS "口令 / passphrase: "
#define PROMPT_NEW "新口令 / new passphrase: "

/* What the field commands share. */
struct fopts {
    const char *home;
    const char *passfile;
    const char *newpass;
    const char *kdf;
    const char *name;
    const char *output;
    int json;
};

/* Parse options; returns -1 when fine (optind at the operands), else the
 * exit code of a usage error. */
static int parse(int argc, char **argv, const struct option *longopts, const char *shortopts,
                 struct fopts *o)
{
    memset(o, 0, sizeof *o);
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (ch) {
        case OPT_HOME:
            o->home = optarg;
            break;
        case OPT_PASSFILE:
            o->passfile = optarg;
            break;
        case OPT_NEWPASS:
            o->newpass = optarg;
            break;
        case OPT_KDF:
            o->kdf = optarg;
            break;
        case OPT_NAME:
            o->name = optarg;
            break;
        case OPT_JSON:
            o->json = 1;
            break;
        case 'o':
            o->output = optarg;
            break;
        default:
            return xa_cli_bad_option(ch, argv[optind - 1], NULL, argv[0]);
        }
    }
    if (optind < argc)
        return xa_cli_usage("unexpected argument '%s' (see xiaoan %s --help)", argv[optind],
                            argv[0]);
    return -1;
}

/* Resolve the home folder; 0 on success, else the exit code. */
static int home_of(const struct fopts *o, char **home)
{
    xa_err err;
    if (xa_home_resolve(o->home, home, &err) != XA_OK)
        return xa_cli_report(&err);
    return 0;
}

/* Open the store in a home folder, asking for the passphrase; 0 on success, else the exit code. */
static int unlock_in(const struct fopts *o, const char *home, xa_fstore **s)
{
    xa_err err;
    if (!xa_fstore_exists(home)) {
        xa_fail(&err, XA_ENOTFOUND, "no field store in %s: run 'xiaoan init --name NAME' first",
                home);
        return xa_cli_report(&err);
    }
    char *pass = NULL;
    if (xa_pass_read(PROMPT_PASS, o->passfile, 0, &pass, &err) != XA_OK)
        return xa_cli_report(&err);
    xa_code c = xa_fstore_open(home, pass, s, &err);
    xa_pass_free(pass);
    if (c != XA_OK)
        return xa_cli_report(&err);
    return 0;
}

/* Resolve the home folder and open its store (asks for the passphrase); 0 on success, else
 * the exit code. */
static int unlock(const struct fopts *o, xa_fstore **s)
{
    char *home = NULL;
    int rc = home_of(o, &home);
    if (rc != 0)
        return rc;
    rc = unlock_in(o, home, s);
    free(home);
    return rc;
}

/* The cost from --kdf (default MODERATE); 0 on success, else the exit code. */
static int kdf_of(const char *opt, xa_kdf_params *out)
{
    xa_kdf_cost cost = XA_KDF_MODERATE;
    xa_err err;
    if (opt && xa_kdf_cost_parse(opt, &cost, &err) != XA_OK)
        return xa_cli_report(&err);
    *out = xa_kdf_params_of(cost);
    return 0;
}

/* Print the public identity text of id. */
static int print_identity(const xa_identity *id)
{
    xa_buf b = XA_BUF_INIT;
    xa_err err;
    if (xa_identity_text(id, &b, &err) != XA_OK) {
        xa_buf_free(&b);
        return xa_cli_report(&err);
    }
    fputs(b.data, stdout);
    xa_buf_free(&b);
    return XA_EXIT_OK;
}

/* `xiaoan init --name NAME [--kdf interactive|moderate] [--home DIR]
 * [--passphrase-file FILE]`. */
int cmd_init(int argc, char **argv)
{
    static const struct option longopts[] = {{"name", required_argument, NULL, OPT_NAME},
                                             {"kdf", required_argument, NULL, OPT_KDF},
                                             {"home", required_argument, NULL, OPT_HOME},
                                             {"passphrase-file", required_argument, NULL,
                                              OPT_PASSFILE},
                                             {NULL, 0, NULL, 0}};
    struct fopts o;
    int rc = parse(argc, argv, longopts, ":", &o);
    if (rc >= 0)
        return rc;
    if (!o.name)
        return xa_cli_usage("init needs --name NAME (the inspector's name)");
    xa_err err;
    if (xa_identity_name_check(o.name, &err) != XA_OK) {
        xa_err_prefix(&err, "--name");
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    xa_kdf_params kdf;
    if ((rc = kdf_of(o.kdf, &kdf)) != 0)
        return rc;
    char *home = NULL;
    if ((rc = home_of(&o, &home)) != 0)
        return rc;
    if (xa_fstore_exists(home)) {
        rc = xa_cli_error("a field store already exists in %s (field.db): refusing to replace it",
                          home);
        free(home);
        return rc;
    }
    char *pass = NULL;
    xa_fstore *s = NULL;
    if (xa_pass_read(PROMPT_NEW, o.passfile, 1, &pass, &err) != XA_OK) {
        free(home);
        return xa_cli_report(&err);
    }
    xa_code c = xa_fstore_create(home, o.name, pass, &kdf, &s, &err);
    xa_pass_free(pass);
    free(home);
    if (c != XA_OK)
        return xa_cli_report(&err);
    rc = print_identity(xa_fstore_identity(s));
    xa_fstore_close(s);
    return rc;
}

/* `xiaoan id [--home DIR]`: the public identity, no passphrase. */
int cmd_id(int argc, char **argv)
{
    static const struct option longopts[] = {{"home", required_argument, NULL, OPT_HOME},
                                             {NULL, 0, NULL, 0}};
    struct fopts o;
    int rc = parse(argc, argv, longopts, ":", &o);
    if (rc >= 0)
        return rc;
    char *home = NULL;
    if ((rc = home_of(&o, &home)) != 0)
        return rc;
    xa_identity *id = NULL;
    xa_err err;
    xa_code c = xa_fstore_public_identity(home, &id, &err);
    free(home);
    if (c != XA_OK)
        return xa_cli_report(&err);
    rc = print_identity(id);
    xa_identity_free(id);
    return rc;
}

/* The new passphrase: --new-passphrase-file, $XIAOAN_NEW_PASSPHRASE_FILE, or
 * the terminal (asked twice).  Never $XIAOAN_PASSPHRASE_FILE, which holds the
 * old one. */
static xa_code read_new_pass(const char *file, char **out, xa_err *err)
{
    return xa_pass_read_new(PROMPT_NEW, file, "XIAOAN_NEW_PASSPHRASE_FILE", out, err);
}

/* `xiaoan passwd [--home DIR] [--passphrase-file OLD] [--new-passphrase-file
 * NEW] [--kdf interactive|moderate]`: rewrap the keys only. */
int cmd_passwd(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"home", required_argument, NULL, OPT_HOME},
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
        {"new-passphrase-file", required_argument, NULL, OPT_NEWPASS},
        {"kdf", required_argument, NULL, OPT_KDF},
        {NULL, 0, NULL, 0}};
    struct fopts o;
    int rc = parse(argc, argv, longopts, ":", &o);
    if (rc >= 0)
        return rc;
    xa_kdf_params kdf, *kdfp = NULL;
    if (o.kdf) {
        if ((rc = kdf_of(o.kdf, &kdf)) != 0)
            return rc;
        kdfp = &kdf;
    }
    xa_fstore *s = NULL;
    if ((rc = unlock(&o, &s)) != 0)
        return rc;
    xa_err err;
    char *pass = NULL;
    xa_code c = read_new_pass(o.newpass, &pass, &err);
    if (c == XA_OK)
        c = xa_fstore_passwd(s, pass, kdfp, &err);
    xa_pass_free(pass);
    xa_fstore_close(s);
    if (c != XA_OK)
        return xa_cli_report(&err);
    printf("passphrase changed\n");
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

/* `xiaoan visits [--json] [--home DIR] [--passphrase-file FILE]`. */
int cmd_visits(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"home", required_argument, NULL, OPT_HOME},
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
        {NULL, 0, NULL, 0}};
    struct fopts o;
    int rc = parse(argc, argv, longopts, ":", &o);
    if (rc >= 0)
        return rc;
    xa_fstore *s = NULL;
    if ((rc = unlock(&o, &s)) != 0)
        return rc;
    xa_visit_list l;
    xa_err err;
    xa_code c = xa_fstore_visit_list(s, &l, &err);
    xa_fstore_close(s);
    if (c != XA_OK)
        return xa_cli_report(&err);
    if (o.json) {
        json_t *a = json_array();
        for (size_t i = 0; i < l.n; i++)
            json_array_append_new(a, info_json(&l.v[i]));
        char *text = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", text ? text : "[]");
        free(text);
        json_decref(a);
    } else if (l.n == 0) {
        printf("no visits yet\n");
    } else {
        char *kh = xa_utf8_pad("kind", 10, 0);
        printf("%-32s  %-12s  %-16s  %-16s  %s  %7s  %s\n", "id", "state", "arrived", "sealed",
               kh, "hazards", "school");
        free(kh);
        for (size_t i = 0; i < l.n; i++) {
            const xa_visit_info *v = &l.v[i];
            char arrived[17], sealed[17];
            short_time(v->arrived, arrived);
            short_time(v->sealed, sealed);
            char *kind = xa_utf8_pad(xa_vocab_label_of(&xa_vocab_kinds, v->kind, 0), 10, 0);
            char *school = xa_utf8_sanitize(v->school_name, strlen(v->school_name), 0);
            printf("%-32s  %-12s  %-16s  %-16s  %s  %7zu  %s\n", v->id,
                   xa_visit_state_name(v->state), arrived, sealed, kind, v->hazards, school);
            free(kind);
            free(school);
        }
    }
    xa_visit_list_clear(&l);
    return XA_EXIT_OK;
}

/* `xiaoan export [-o DIR] [--home DIR] [--passphrase-file FILE]`: one bundle
 * of every sealed visit not yet exported; prints its path. */
int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"home", required_argument, NULL, OPT_HOME},
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
        {NULL, 0, NULL, 0}};
    struct fopts o;
    int rc = parse(argc, argv, longopts, ":o:", &o);
    if (rc >= 0)
        return rc;
    xa_fstore *s = NULL;
    if ((rc = unlock(&o, &s)) != 0)
        return rc;
    xa_export_result r;
    xa_err err;
    xa_code c = xa_field_export(s, o.output, &r, &err);
    xa_fstore_close(s);
    if (c != XA_OK)
        return xa_cli_report(&err);
    if (!r.path)
        printf("nothing to export\n");
    else
        printf("%s\n", r.path);
    xa_export_result_clear(&r);
    return XA_EXIT_OK;
}
