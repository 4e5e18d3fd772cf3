/* central.c (cmd) — the office's commands, `xiaoan central ...`: their
 * entries (options, operands, what they need) and what each does once
 * src/cmd/entry.c has opened the central store (--store FILE or
 * $XIAOAN_STORE) and, for those that need it, unlocked the office key:
 * call src/central and print. */
#include "xiaoan/age.h"
#include "xiaoan/central.h"
#include "xiaoan/cli.h"
#include "xiaoan/clock.h"
#include "xiaoan/cmd.h"
#include "xiaoan/county.h"
#include "xiaoan/cstore_assign.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/pass.h"
#include "xiaoan/report.h"
#include "xiaoan/table.h"
#include "xiaoan/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The date part of time t (a new string; t itself when unreadable). */
static char *date_part(const char *t)
{
    char d[XA_DATE_MAX];
    return xa_strdup(xa_time_date(t, d) ? d : t ? t : "");
}

/* --county: any spelling of county.h (景宁, 莲都, 331102) means its full name; an
 * unknown county fails (exit 1, as a name not in the roster would).  The check hook of every command with --county. */
static int county_check(struct xa_cmd_ctx *c)
{
    const char *given = xa_cmd_opt(c, "county");
    if (!given)
        return -1;
    const char *name = xa_county_normalise(given);
    if (!name)
        return xa_cli_error("unknown county '%s' (one of %s)", given, xa_county_names());
    xa_cmd_opt_set(c, "county", name);
    return -1;
}

/* ---- central init / id / export-identity --------------------------------------- */

/* --name must be a name an identity can carry (a usage error otherwise). */
static int init_check(struct xa_cmd_ctx *c)
{
    const char *name = xa_cmd_opt(c, "name");
    xa_err err;
    if (xa_identity_name_check(name ? name : XA_OFFICE_DEFAULT_NAME, &err) != XA_OK) {
        xa_err_prefix(&err, "--name");
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    return -1;
}

/* `central init`: a new central store and office identity. */
static int init_exec(struct xa_cmd_ctx *c)
{
    const char *path = c->store_path, *kdfopt = xa_cmd_opt(c, "kdf");
    const char *name = xa_cmd_opt(c, "name") ? xa_cmd_opt(c, "name") : XA_OFFICE_DEFAULT_NAME;
    xa_kdf_cost cost = XA_KDF_MODERATE;
    if (kdfopt)
        xa_kdf_cost_parse(kdfopt, &cost, NULL);
    xa_err err;
    if (xa_path_exists(path))
        return xa_cli_error("%s already exists", path);
    char *pass = NULL;
    if (xa_pass_read(_("new office passphrase: "), c->passfile, 1, &pass, &err) !=
        XA_OK)
        return xa_cli_report(&err);
    xa_kdf_params kdf = xa_kdf_params_of(cost);
    xa_identity *office = NULL;
    xa_code code = xa_office_create(path, name, pass, &kdf, NULL, &office, &err);
    xa_pass_free(pass);
    if (code != XA_OK)
        return xa_cli_report(&err);
    xa_buf text = XA_BUF_INIT;
    xa_identity_text(office, &text, &err);
    xa_print(_("created central store %s\n%s"), path, text.data ? text.data : "");
    xa_print(_("office fingerprint: %s\n"), office->fingerprint);
    xa_buf_clear(&text);
    xa_identity_free(office);
    return XA_EXIT_OK;
}

/* `central id`: the office's public identity. */
static int id_exec(struct xa_cmd_ctx *c)
{
    xa_err err;
    xa_identity *office = NULL;
    if (xa_office_public(c->store, &office, &err) != XA_OK)
        return xa_cli_report(&err);
    xa_buf text = XA_BUF_INIT;
    xa_identity_text(office, &text, &err);
    xa_print_text(stdout, text.data ? text.data : "");
    xa_buf_clear(&text);
    xa_identity_free(office);
    return XA_EXIT_OK;
}

/* `central export-identity`: the office's age identity, in age-keygen's shape. */
static int export_identity_exec(struct xa_cmd_ctx *c)
{
    const xa_identity *office = c->office;
    xa_err err;
    char *key = xa_secret_alloc(80);
    xa_code code = xa_office_age_secret(office, key, &err);
    if (code == XA_OK) {
        char rec[XA_AGE_RECIPIENT_MAX];
        struct xa_office row;
        if (xa_cstore_office_get(c->store, &row, NULL) == XA_OK) {
            snprintf(rec, sizeof rec, "%s", row.age_recipient);
            xa_office_clear(&row);
        } else {
            rec[0] = '\0';
        }
        char now[XA_RFC3339_MAX];
        xa_time_format(xa_now(), XA_CST_OFFSET, now);
        /* The same shape as age-keygen writes, so `age -d -i FILE` reads it. */
        xa_print("# xiaoan office identity: %s (%s)\n# exported: %s\n# public key: %s\n",
                 office->name, office->fingerprint, now, rec);
        /* the secret itself straight to stdout: never through a heap buffer */
        fputs(key, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    xa_secret_free(key);
    return code == XA_OK ? XA_EXIT_OK : xa_cli_report(&err);
}

/* ---- inspectors ---------------------------------------------------------------- */

/* `central enroll IDFILE`: enrol an inspector from `xiaoan id` text (- reads stdin). */
static int enroll_exec(struct xa_cmd_ctx *c)
{
    const char *file = c->argv[0];
    xa_err err;
    xa_buf text = XA_BUF_INIT;
    xa_code code;
    if (!strcmp(file, "-")) {
        char chunk[4096];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0 && text.len < 65536)
            xa_buf_add(&text, chunk, got);
        code = XA_OK;
        if (!text.data)
            xa_buf_puts(&text, "");
    } else {
        code = xa_read_file(file, 65536, &text, &err);
    }
    if (code != XA_OK) {
        xa_buf_clear(&text);
        return xa_cli_report(&err);
    }
    xa_identity *id = NULL;
    code = xa_office_enroll_county(c->store, text.data, text.len, xa_cmd_opt(c, "county"), &id,
                                  &err);
    xa_buf_clear(&text);
    if (code != XA_OK) {
        xa_err_prefix(&err, "%s", file);
        return xa_cli_report(&err);
    }
    const char *county = xa_cmd_opt(c, "county");
    xa_print(_("enrolled %s %s%s%s\n"), id->name, id->fingerprint, county ? " " : "",
           county ? county : "");
    xa_identity_free(id);
    return XA_EXIT_OK;
}

/* `central revoke FINGERPRINT [--allow FILE]`: revoke an inspector's key as of
 * now (what was merged by now is the limit), or admit one bundle file of an
 * inspector revoked already. */
static int revoke_exec(struct xa_cmd_ctx *c)
{
    xa_err err;
    char fp[XA_FP_MAX];
    xa_fingerprint_normalize(c->argv[0], fp, NULL);
    const char *allow = xa_cmd_opt(c, "allow");
    if (allow) {
        char hash[65];
        if (xa_office_revoke_allow(c->store, fp, allow, hash, &err) != XA_OK)
            return xa_cli_report(&err);
        xa_print(_("allowed %s (%.16s) from revoked %s: merge it with central merge\n"), allow,
                 hash, fp);
        return XA_EXIT_OK;
    }
    int64_t bseq = 0, vseq = 0;
    if (xa_office_revoke(c->store, fp, fp, &bseq, &vseq, &err) != XA_OK)
        return xa_cli_report(&err);
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    xa_print(_("revoked %s as of %s\n"), fp, now);
    xa_print(_("from now on only bundles up to %lld and visits up to %lld merge from this key\n"),
             (long long)bseq, (long long)vseq);
    return XA_EXIT_OK;
}

/* `central inspectors`: the enrolled inspectors as a table. */
static int inspectors_exec(struct xa_cmd_ctx *c)
{
    xa_cstore *s = c->store;
    xa_err err;
    struct xa_inspector *v = NULL;
    size_t n = 0;
    if (xa_cstore_inspectors(s, &v, &n, &err) != XA_OK)
        return xa_cli_report(&err);
    if (!n) {
        xa_print(_("no inspectors enrolled yet: enrol one with xiaoan central enroll IDFILE\n"));
    } else {
        xa_table *t = xa_table_new(6, (const char *[]){_("fingerprint"), _("name"), _("county"),
                                                        _("enrolled"), _("state"), _("visits")});
        xa_table_col(t, 5, 1, 0);
        for (size_t i = 0; i < n; i++) {
            char *county = NULL;
            if (xa_cstore_inspector_county(s, v[i].fingerprint, &county, NULL) != XA_OK)
                county = NULL;
            char *enrolled = date_part(v[i].enrolled);
            xa_table_add(t, v[i].fingerprint);
            xa_table_add(t, v[i].name);
            xa_table_add(t, county ? county : "-");
            xa_table_add(t, enrolled);
            if (v[i].revoked) {
                char *d = date_part(v[i].revoked);
                xa_table_addf(t, _("revoked %s"), d);
                free(d);
            } else {
                xa_table_add(t, _("active"));
            }
            int64_t nv = 0;
            if (xa_cstore_inspector_visits(s, v[i].fingerprint, &nv, NULL) != XA_OK)
                nv = 0;
            xa_table_addf(t, "%lld", (long long)nv);
            free(county);
            free(enrolled);
        }
        xa_table_print(t);
        xa_table_free(t);
    }
    xa_inspectors_free(v, n);
    return XA_EXIT_OK;
}

/* ---- schools and forms ----------------------------------------------------------- */

/* Print the first problem as the error line (and how many more). */
static int problems_error(const xa_problems *p, const char *what)
{
    size_t n = xa_problems_count(p);
    if (!p->n)
        return xa_cli_error("%s has problems", what);
    char *first = xa_problem_str(&p->v[0]);
    int rc;
    if (n > 1)
        rc = xa_cli_error("%s (and %zu more problems: run xiaoan %s)", first, n - 1,
                          strstr(what, "csv") || strstr(what, "CSV") ? "roster check FILE"
                                                                     : "forms check DIR");
    else
        rc = xa_cli_error("%s", first);
    free(first);
    return rc;
}

/* `central schools import CSV`: load the school roster. */
static int schools_import_exec(struct xa_cmd_ctx *c)
{
    const char *file = c->argv[0];
    int rc;
    xa_err err;
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_roster *r = NULL;
    xa_code code = xa_roster_load(file, &r, &probs, &err);
    if (code == XA_OK && r->gb18030) /* Excel/WPS "ANSI" CSV: say it once */
        xa_eprint(_("xiaoan: note: %s is GB18030 (\"ANSI\"), converted to UTF-8\n"), file);
    if (code == XA_EFORMAT) {
        rc = problems_error(&probs, "roster csv");
    } else if (code != XA_OK) {
        rc = xa_cli_report(&err);
    } else {
        struct xa_import_counts n;
        if (xa_office_import_roster(c->store, r, file, &n, &err) != XA_OK) {
            rc = xa_cli_report(&err);
        } else {
            xa_print(_("%s: %zu schools (%zu new, %zu updated, %zu unchanged)\n"), file, r->n,
                   n.added, n.updated, n.same);
            rc = XA_EXIT_OK;
        }
    }
    xa_roster_free(r);
    xa_problems_clear(&probs);
    return rc;
}

/* qsort order of schools: county (市直 first, then by code; county.h), then code. */
static int school_order(const void *a, const void *b)
{
    const struct xa_cschool *x = a, *y = b;
    int c = xa_county_cmp(x->county, y->county);
    return c ? c : strcmp(x->code, y->code);
}

/* `central schools [--county C]`: the roster as a table. */
static int schools_exec(struct xa_cmd_ctx *c)
{
    const char *county = xa_cmd_opt(c, "county");
    xa_err err;
    struct xa_cschool *v = NULL;
    size_t n = 0;
    if (xa_cstore_schools(c->store, county, &v, &n, &err) != XA_OK)
        return xa_cli_report(&err);
    if (n)
        qsort(v, n, sizeof *v, school_order);
    if (!n) {
        if (county)
            xa_print(_("no schools in %s\n"), county);
        else
            xa_print(_("no schools yet: load the roster with xiaoan central schools import CSV\n"));
    } else {
        xa_table *t = xa_table_new(6, (const char *[]){_("code"), _("school"), _("county"),
                                                        _("type"), _("profile"),
                                                        _("students")});
        xa_table_col(t, 5, 1, 0);
        for (size_t i = 0; i < n; i++) {
            xa_school_type ty;
            xa_table_add(t, v[i].code);
            xa_table_add(t, v[i].name);
            xa_table_add(t, v[i].county);
            xa_table_add(t, xa_school_type_parse(v[i].type, &ty) ? (xa_i18n_zh() ? xa_school_type_label(ty)
                                                                   : xa_school_type_key(ty))
                                                                 : v[i].type);
            xa_buf f = XA_BUF_INIT;
            xa_buf_puts(&f, "");
            if (v[i].boarding)
                xa_buf_printf(&f, "%s ", _("boarding"));
            if (v[i].canteen)
                xa_buf_printf(&f, "%s ", _("canteen"));
            if (v[i].lab)
                xa_buf_printf(&f, "%s ", _("lab"));
            if (v[i].bus)
                xa_buf_printf(&f, "%s ", _("school bus"));
            while (f.len && f.data[f.len - 1] == ' ')
                f.data[--f.len] = '\0';
            xa_table_add(t, f.data);
            xa_buf_clear(&f);
            if (v[i].students >= 0)
                xa_table_addf(t, "%lld", (long long)v[i].students);
            else
                xa_table_add(t, "");
        }
        xa_table_print(t);
        xa_table_free(t);
        xa_print(xa_trn("%zu school\n", "%zu schools\n", n), n);
    }
    xa_cschools_free(v, n);
    return XA_EXIT_OK;
}

/* `central forms import DIR`: load a folder of checklists. */
static int forms_import_exec(struct xa_cmd_ctx *c)
{
    const char *dir = c->argv[0];
    int rc;
    xa_err err;
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_form_set *set = NULL;
    xa_code code = xa_form_set_load(dir, &set, &probs, &err);
    for (size_t i = 0; code == XA_OK && i < set->ngb18030; i++)
        xa_eprint(_("xiaoan: note: %s is GB18030 (\"ANSI\"), converted to UTF-8\n"),
                set->gb18030[i]);
    if (code == XA_EFORMAT) {
        rc = problems_error(&probs, dir);
    } else if (code != XA_OK) {
        rc = xa_cli_report(&err);
    } else {
        int *status = xa_calloc(set->n ? set->n : 1, sizeof *status);
        struct xa_import_counts n;
        if (xa_office_import_forms(c->store, set, dir, status, &n, &err) != XA_OK) {
            rc = xa_cli_report(&err);
        } else {
            for (size_t i = 0; i < set->n; i++) {
                const xa_form *f = set->forms[i];
                xa_print(_("%-24s v%-3d %4zu items %3zu major  %.16s  %s\n"), f->id, f->version,
                       f->nitems, f->nmajor, f->hash_hex, status[i] ? _("new") : _("unchanged"));
            }
            xa_print(xa_trn("%zu form (%zu new, %zu unchanged)\n",
                          "%zu forms (%zu new, %zu unchanged)\n", set->n),
                   set->n, n.added, n.same);
            rc = XA_EXIT_OK;
        }
        free(status);
    }
    xa_form_set_free(set);
    xa_problems_clear(&probs);
    return rc;
}

/* `central forms [--all]`: the checklists as a table. */
static int forms_exec(struct xa_cmd_ctx *c)
{
    xa_err err;
    struct xa_cform *v = NULL;
    size_t n = 0;
    if (xa_cstore_forms(c->store, !xa_cmd_flag(c, "all"), &v, &n, &err) != XA_OK)
        return xa_cli_report(&err);
    if (!n) {
        xa_print(_("no forms yet: load them with xiaoan central forms import DIR\n"));
    } else {
        xa_table *t =
            xa_table_new(7, (const char *[]){_("form"), _("version"), _("category"), _("items"),
                                             _("major"), _("hash"), _("title")});
        xa_table_col(t, 1, 1, 0);
        xa_table_col(t, 3, 1, 0);
        xa_table_col(t, 4, 1, 0);
        for (size_t i = 0; i < n; i++) {
            xa_table_add(t, v[i].id);
            xa_table_addf(t, "%lld", (long long)v[i].version);
            xa_table_add(t, xa_vocab_label_of(&xa_vocab_categories, v[i].category, !xa_i18n_zh()));
            xa_table_addf(t, "%lld", (long long)v[i].items);
            xa_table_addf(t, "%lld", (long long)v[i].major);
            xa_table_addf(t, "%.16s", v[i].hash);
            xa_table_add(t, v[i].title);
        }
        xa_table_print(t);
        xa_table_free(t);
    }
    xa_cforms_free(v, n);
    return XA_EXIT_OK;
}

/* ---- settings, ledger, report ------------------------------------------------------- */

/* A KEY must be a known setting and a DAYS a valid value (usage errors). */
static int settings_check(struct xa_cmd_ctx *c)
{
    xa_err err;
    if (c->argc >= 1 &&
        xa_office_setting_check(c->argv[0], c->argc == 2 ? c->argv[1] : NULL, &err) != XA_OK)
        return xa_cli_report(&err);
    return -1;
}

/* `central settings [KEY [VALUE]]`: show every setting or one, or change one. */
static int settings_exec(struct xa_cmd_ctx *c)
{
    xa_err err;
    if (c->argc == 2) {
        if (xa_office_setting_set(c->store, c->argv[0], c->argv[1], &err) != XA_OK)
            return xa_cli_report(&err);
        xa_print("%s = %s\n", c->argv[0], c->argv[1]);
        return XA_EXIT_OK;
    }
    char **k = NULL, **v = NULL;
    size_t n = 0;
    if (xa_office_settings(c->store, &k, &v, &n, &err) != XA_OK)
        return xa_cli_report(&err);
    for (size_t i = 0; i < n; i++)
        if (c->argc == 0 || !strcmp(k[i], c->argv[0]))
            xa_print("%s = %s\n", k[i], v[i]);
    xa_strv_free(k, n);
    xa_strv_free(v, n);
    return XA_EXIT_OK;
}

/* The width the text ledger fits: $COLUMNS, else the terminal's, else 80. */
static size_t text_width(void)
{
    const char *cols = getenv("COLUMNS");
    long n = cols ? strtol(cols, NULL, 10) : 0;
    if (n > 0)
        return (size_t)n;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* --county, --state and --format must be values the ledger knows, xlsx needs -o, and
 * --by-county is for xlsx (usage errors, before the store is opened). */
static int ledger_check(struct xa_cmd_ctx *c)
{
    int rc = county_check(c);
    if (rc >= 0)
        return rc;
    const char *state = xa_cmd_opt(c, "state"), *format = xa_cmd_opt(c, "format");
    int xlsx = format && !strcmp(format, "xlsx");
    xa_err err;
    xa_ledger_sel sel;
    xa_out_format fmt;
    if ((state && xa_ledger_sel_parse(state, &sel, &err) != XA_OK) ||
        (format && !xlsx && xa_out_format_parse(format, &fmt, &err) != XA_OK)) {
        if (err.code == XA_EUSAGE && format && strstr(err.msg, "--format"))
            return xa_cli_usage("--format must be text, csv, json or xlsx, not '%s'", format);
        return xa_cli_report(&err);
    }
    if (xlsx && !xa_cmd_opt(c, "output"))
        return xa_cli_usage("--format xlsx needs -o FILE");
    if (xa_cmd_flag(c, "by-county") && !xlsx)
        return xa_cli_usage("--by-county is for --format xlsx");
    return -1;
}

/* `central ledger`: the hazard ledger (隐患台账) as text fitted to the terminal, CSV,
 * JSON or XLSX. */
static int ledger_exec(struct xa_cmd_ctx *c)
{
    int refused = xa_cmd_output_ok(c);
    if (refused >= 0)
        return refused;
    const char *state = xa_cmd_opt(c, "state"), *format = xa_cmd_opt(c, "format");
    const char *county = xa_cmd_opt(c, "county"), *output = xa_cmd_opt(c, "output");
    int xlsx = format && !strcmp(format, "xlsx");
    xa_ledger_sel sel = XA_LEDGER_OPEN;
    xa_out_format fmt = XA_OUT_TEXT;
    if (state)
        xa_ledger_sel_parse(state, &sel, NULL);
    if (format && !xlsx)
        xa_out_format_parse(format, &fmt, NULL);
    xa_err err;
    xa_buf out = XA_BUF_INIT;
    size_t rows = 0;
    xa_code code;
    if (xlsx)
        code = xa_ledger_xlsx(c->store, sel, county, xa_today(), xa_cmd_flag(c, "by-county"),
                              output, xa_cmd_output_flags(c), &rows, &err);
    else if (fmt == XA_OUT_TEXT)
        code = xa_ledger_fit(c->store, sel, county, xa_today(),
                             xa_cmd_flag(c, "wide") ? 0 : text_width(), &out, &rows, &err);
    else
        code = xa_ledger_write(c->store, sel, county, fmt, xa_today(), &out, &rows, &err);
    if (code == XA_OK && output && !xlsx)
        code = xa_write_new(output, out.data, out.len, xa_cmd_output_flags(c), NULL, &err);
    if (code != XA_OK) {
        xa_buf_clear(&out);
        return xa_cli_report(&err);
    }
    if (xlsx)
        xa_print(xa_trn("%s: %zu hazard\n", "%s: %zu hazards\n", rows), output, rows);
    else if (!output)
        xa_print_data(out.data, out.len);
    if (fmt == XA_OUT_TEXT && !xlsx && !output)
        xa_print(xa_trn("%zu hazard\n", "%zu hazards\n", rows), rows);
    xa_buf_clear(&out);
    return XA_EXIT_OK;
}

/* --county, --format, -o with xlsx/pdf and the period must make sense before the store is
 * opened. */
static int report_check(struct xa_cmd_ctx *c)
{
    int rc = county_check(c);
    if (rc >= 0)
        return rc;
    const char *format = xa_cmd_opt(c, "format");
    xa_err err;
    xa_report_format fmt = XA_REPORT_TEXT;
    if (format && xa_report_format_parse(format, &fmt, &err) != XA_OK)
        return xa_cli_report(&err);
    if ((fmt == XA_REPORT_XLSX || fmt == XA_REPORT_PDF) && !xa_cmd_opt(c, "output"))
        return xa_cli_usage("--format %s needs -o FILE", format);
    int64_t from, to;
    if (xa_report_period(xa_cmd_opt(c, "from"), xa_cmd_opt(c, "to"), xa_today(), &from, &to,
                         &err) != XA_OK)
        return xa_cli_report(&err);
    return -1;
}

/* `central report`: the period report as text, CSV, JSON, XLSX or PDF. */
static int report_exec(struct xa_cmd_ctx *c)
{
    int refused = xa_cmd_output_ok(c);
    if (refused >= 0)
        return refused;
    const char *format = xa_cmd_opt(c, "format"), *output = xa_cmd_opt(c, "output");
    const char *lang = xa_cmd_opt(c, "lang");
    xa_err err;
    xa_report_format fmt = XA_REPORT_TEXT;
    if (format)
        xa_report_format_parse(format, &fmt, NULL);
    /* the language of every command (--lang, else XIAOAN_LANG, else the locale:
     * docs/i18n.md); the report's own --lang, kept for scripts, is the same option */
    struct xa_report_opts ro = {.county = xa_cmd_opt(c, "county"),
                                .en = lang ? !strcmp(lang, "en") : !xa_i18n_zh(),
                                .today = xa_today()};
    if (xa_report_period(xa_cmd_opt(c, "from"), xa_cmd_opt(c, "to"), ro.today, &ro.from, &ro.to,
                         &err) != XA_OK)
        return xa_cli_report(&err);
    struct xa_report *r = NULL;
    xa_code code = xa_report_compute(c->store, &ro, &r, &err);
    if (code != XA_OK)
        return xa_cli_report(&err);
    xa_buf out = XA_BUF_INIT;
    if (fmt == XA_REPORT_XLSX)
        code = xa_report_xlsx(c->store, r, output, xa_cmd_output_flags(c), &err);
    else if (fmt == XA_REPORT_PDF)
        code = xa_report_pdf(r, output, xa_cmd_output_flags(c), &err);
    else if ((code = xa_report_render(r, fmt, &out, &err)) == XA_OK && output)
        code = xa_write_new(output, out.data, out.len, xa_cmd_output_flags(c), NULL, &err);
    else if (code == XA_OK)
        xa_print_data(out.data, out.len);
    xa_buf_clear(&out);
    xa_report_free(r);
    return code == XA_OK ? XA_EXIT_OK : xa_cli_report(&err);
}

/* ---- visits at the office ------------------------------------------------------------ */

/* --from / --to as day numbers (from <= to); -1 when not given.  0, else the exit code. */
static int period_days(const struct xa_cmd_ctx *c, int64_t *from, int64_t *to)
{
    const char *f = xa_cmd_opt(c, "from"), *t = xa_cmd_opt(c, "to");
    xa_err err;
    *from = *to = -1;
    if (f && xa_date_parse(f, from, &err) != XA_OK)
        return xa_cli_error("--from: '%s' is not a date (YYYY-MM-DD)", f);
    if (t && xa_date_parse(t, to, &err) != XA_OK)
        return xa_cli_error("--to: '%s' is not a date (YYYY-MM-DD)", t);
    if (*from >= 0 && *to >= 0 && *from > *to)
        return xa_cli_error("--from %s is after --to %s", f, t);
    return 0;
}

/* --format, the period and --inspector must make sense before the store is opened. */
static int visits_check(struct xa_cmd_ctx *c)
{
    const char *format = xa_cmd_opt(c, "format"), *insp = xa_cmd_opt(c, "inspector");
    xa_err err;
    xa_out_format fmt;
    int64_t from, to;
    char fp[XA_FP_MAX];
    int rc;
    if (format && xa_out_format_parse(format, &fmt, &err) != XA_OK)
        return xa_cli_report(&err);
    if ((rc = period_days(c, &from, &to)))
        return rc;
    if (insp && xa_fingerprint_normalize(insp, fp, &err) != XA_OK)
        return xa_cli_report(&err);
    return -1;
}

/* `central visits`: the visits merged at the office, filtered. */
static int visits_exec(struct xa_cmd_ctx *c)
{
    const char *format = xa_cmd_opt(c, "format"), *insp = xa_cmd_opt(c, "inspector");
    xa_out_format fmt = XA_OUT_TEXT;
    if (format)
        xa_out_format_parse(format, &fmt, NULL);
    int64_t from, to;
    period_days(c, &from, &to);
    char fp[XA_FP_MAX] = "";
    struct xa_cvisit_filter f = {.school = xa_cmd_opt(c, "school")};
    if (insp) {
        xa_fingerprint_normalize(insp, fp, NULL);
        f.inspector = fp;
    }
    if (from >= 0)
        f.from_at = from * 86400 - XA_CST_OFFSET * 60;
    if (to >= 0)
        f.to_at = (to + 1) * 86400 - XA_CST_OFFSET * 60;
    xa_err err;
    xa_buf out = XA_BUF_INIT;
    size_t rows = 0;
    if (xa_visits_write(c->store, &f, fmt, &out, &rows, &err) != XA_OK) {
        xa_buf_clear(&out);
        return xa_cli_report(&err);
    }
    xa_print_data(out.data, out.len);
    if (fmt == XA_OUT_TEXT)
        xa_print(xa_trn("%zu visit\n", "%zu visits\n", rows), rows);
    xa_buf_clear(&out);
    return XA_EXIT_OK;
}

/* `central visit --format` takes text or json (a visit is not a table). */
static int visit_check(struct xa_cmd_ctx *c)
{
    const char *format = xa_cmd_opt(c, "format");
    xa_err err;
    xa_out_format fmt = XA_OUT_TEXT;
    if (format && xa_out_format_parse(format, &fmt, &err) != XA_OK)
        return xa_cli_report(&err);
    if (fmt == XA_OUT_CSV)
        return xa_cli_usage("--format must be text or json, not '%s'", format);
    return -1;
}

/* `central visit ID`: one visit in full. */
static int visit_exec(struct xa_cmd_ctx *c)
{
    const char *format = xa_cmd_opt(c, "format");
    xa_out_format fmt = XA_OUT_TEXT;
    if (format)
        xa_out_format_parse(format, &fmt, NULL);
    xa_err err;
    xa_buf out = XA_BUF_INIT;
    if (xa_visit_write(c->store, c->argv[0], fmt, xa_today(), &out, &err) != XA_OK) {
        xa_buf_clear(&out);
        return xa_cli_report(&err);
    }
    xa_print_data(out.data, out.len);
    xa_buf_clear(&out);
    return XA_EXIT_OK;
}

/* ---- brief and merge ------------------------------------------------------------------- */

/* --inspector must be a fingerprint (a usage error otherwise). */
static int brief_check(struct xa_cmd_ctx *c)
{
    int rc = county_check(c);
    if (rc >= 0)
        return rc;
    xa_err err;
    char fp[XA_FP_MAX];
    if (!*xa_cmd_opt(c, "output"))
        return xa_cmd_usage(c, "central brief needs -o FILE");
    if (xa_fingerprint_normalize(xa_cmd_opt(c, "inspector"), fp, &err) != XA_OK) {
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    return -1;
}

/* `central brief --inspector FP -o FILE`: the inspector must be known before the office
 * passphrase is asked for. */
static int brief_exec(struct xa_cmd_ctx *c)
{
    const char *output = xa_cmd_opt(c, "output");
    char fp[XA_FP_MAX];
    xa_fingerprint_normalize(xa_cmd_opt(c, "inspector"), fp, NULL);
    xa_err err;
    struct xa_inspector insp;
    if (xa_cstore_inspector_get(c->store, fp, &insp, &err) != XA_OK)
        return xa_cli_report(&err);
    int rc = xa_cmd_unlock_office(c);
    if (rc) {
        xa_inspector_clear(&insp);
        return rc;
    }
    struct xa_brief_counts k;
    char hash[65];
    xa_code code = xa_brief_write_ex(c->store, c->office, fp, xa_cmd_opt(c, "county"), output,
                                     xa_cmd_flag(c, "force") ? XA_BRIEF_FORCE : 0, &k, hash, &err);
    if (code == XA_OK)
        xa_print(_("wrote %s for %s %s: %zu schools, %zu forms, %zu open hazards, %zu receipts\n"),
               output, insp.name, insp.fingerprint, k.schools, k.forms, k.hazards, k.receipts);
    xa_inspector_clear(&insp);
    return code == XA_OK ? XA_EXIT_OK : xa_cli_report(&err);
}

/* The progress bar on stderr: "[#####.....] 3/10  merged 2  rejected 1". */
static void progress(size_t done, size_t total, size_t merged, size_t rejected, const char *file)
{
    enum { W = 30 };
    char bar[W + 1];
    size_t fill = total ? done * W / total : 0;
    for (size_t i = 0; i < W; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[W] = '\0';
    char *cut = file ? xa_utf8_cut(file, 30) : xa_strdup("");
    char *name = xa_safe_dup(cut); /* the bar's own escapes are raw, the name never */
    free(cut);
    char *counts = xa_asprintf(_("%zu/%zu  merged %zu  rejected %zu  %s"), done, total, merged,
                               rejected, name);
    fprintf(stderr, "\r\033[K[%s] %s", bar, counts);
    fflush(stderr);
    free(counts);
    free(name);
}

static void progress_clear(void)
{
    fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* `central merge BUNDLE...`: one line per bundle (a contract, DESIGN §10); exit 1 when
 * one was rejected. */
static int merge_exec(struct xa_cmd_ctx *c)
{
    int rc;
    size_t total = (size_t)c->argc, merged = 0, rejected = 0;
    int64_t visits = 0, fresh = 0, anomalies = 0;
    int bar = total > 1 && isatty(STDERR_FILENO);
    xa_err err;
    rc = XA_EXIT_OK;
    for (size_t i = 0; i < total; i++) {
        const char *file = c->argv[i];
        if (bar)
            progress(i, total, merged, rejected, file);
        struct xa_merge_result r;
        xa_code code = xa_merge_file(c->store, c->office, file, &r, &err);
        if (bar)
            progress_clear();
        if (code != XA_OK) {
            xa_err_prefix(&err, "merging %s", file);
            rc = xa_cli_report(&err);
            break;
        }
        char *shown = xa_safe_dup(file); /* a file name from a USB stick is outside text */
        if (r.accepted) {
            merged++;
            visits += r.visits;
            fresh += r.fresh;
            anomalies += r.anomalies;
            /* the line is a contract (DESIGN §10): exactly this shape */
            xa_print(_("merged %s: %lld visits (%lld new)\n"), shown, (long long)r.visits,
                   (long long)r.fresh);
            if (r.anomalies) {
                fflush(stdout);
                xa_eprint(xa_trn("note: %s raised %lld anomaly (see xiaoan central report)\n",
                               "note: %s raised %lld anomalies (see xiaoan central report)\n",
                               (unsigned long)r.anomalies),
                        shown, (long long)r.anomalies);
            }
            if (r.waiting) {
                fflush(stdout);
                xa_eprint(xa_trn("note: %s: %lld attachment of its visits travels in another "
                                 "bundle of the same export and has not arrived yet (xiaoan "
                                 "central attachments lists it as missing)\n",
                                 "note: %s: %lld attachments of its visits travel in another "
                                 "bundle of the same export and have not arrived yet (xiaoan "
                                 "central attachments lists them as missing)\n",
                                 (unsigned long)r.waiting),
                          shown, (long long)r.waiting);
            }
        } else {
            rejected++;
            xa_print(_("rejected %s: %s\n"), shown, r.reason);
            rc = XA_EXIT_FAIL;
        }
        free(shown);
        fflush(stdout);
    }
    if (bar) {
        progress(merged + rejected, total, merged, rejected, NULL);
        fputc('\n', stderr);
        xa_print(xa_trn("%zu bundle: %zu merged (%lld visits, %lld new, %lld anomalies), %zu "
                      "rejected\n",
                      "%zu bundles: %zu merged (%lld visits, %lld new, %lld anomalies), %zu "
                      "rejected\n",
                      total),
               total, merged, (long long)visits, (long long)fresh,
               (long long)anomalies, rejected);
    }
    return rc;
}

/* ---- the entries ----------------------------------------------------------------------- */

static const struct xa_cmd_opt init_opts[] = {
    /* the default is a name (data), the same in both languages: XA_OFFICE_DEFAULT_NAME */
    {"name", 0, "NAME", N_("the office's name as its documents show it (default 校安办公室)"), 0},
    {"kdf", 0, "interactive|moderate",
     N_("the Argon2id cost of the passphrase key (default moderate; interactive for tests)"),
     XA_OPT_CHOICE},
    {0},
};
static const struct xa_cmd_opt schools_opts[] = {
    {"county", 0, "C", N_("only the schools of county C"), 0},
    {0},
};
static const struct xa_cmd_opt forms_opts[] = {
    {"all", 0, NULL, N_("every version of every form, not only the current ones"), 0},
    {0},
};
static const struct xa_cmd_opt ledger_opts[] = {
    {"state", 0, "S", N_("open (default), rechecked, overdue, escalated, closed or all"), 0},
    {"county", 0, "C", N_("only the hazards of county C"), 0},
    {"format", 0, "text|csv|json|xlsx",
     N_("text (default, fitted to the terminal), csv (UTF-8 with BOM, for Excel), json or xlsx"), 0},
    {"output", 'o', "FILE", N_("write to FILE (needed for xlsx)"), 0},
    {"force", 0, NULL, N_("write over an existing FILE"), 0},
    {"wide", 0, NULL, N_("text: every column, however wide"), 0},
    {"by-county", 0, NULL, N_("xlsx: one sheet per county as well"), 0},
    {0},
};
static const struct xa_cmd_opt report_opts[] = {
    {"from", 0, "DATE", N_("the first day of the period (YYYY-MM-DD)"), 0},
    {"to", 0, "DATE", N_("the last day of the period (default today)"), 0},
    {"county", 0, "C", N_("only county C"), 0},
    {"format", 0, "text|csv|json|xlsx|pdf", N_("the output format (default text)"), 0},
    {"output", 'o', "FILE", N_("write to FILE (needed for xlsx and pdf)"), 0},
    {"force", 0, NULL, N_("write over an existing FILE"), 0},
    {"lang", 0, "zh|en", N_("the language of the report and messages (default $XIAOAN_LANG, else the locale)"), XA_OPT_CHOICE},
    {0},
};
static const struct xa_cmd_opt visits_opts[] = {
    {"school", 0, "CODE", N_("only the visits of this school"), 0},
    {"inspector", 0, "FP", N_("only the visits of this inspector"), 0},
    {"from", 0, "DATE", N_("visits on or after DATE (YYYY-MM-DD)"), 0},
    {"to", 0, "DATE", N_("visits on or before DATE"), 0},
    {"format", 0, "text|csv|json", N_("the output format (default text)"), 0},
    {0},
};
static const struct xa_cmd_opt visit_opts[] = {
    {"format", 0, "text|json", N_("the output format (default text)"), 0},
    {0},
};
static const struct xa_cmd_opt revoke_opts[] = {
    {"allow", 0, "FILE", N_("admit this one bundle file of a revoked inspector (by its hash)"), 0},
    {0},
};
static const struct xa_cmd_opt enroll_opts[] = {
    {"county", 0, "C", N_("the inspector's home county (cross-checks never send anyone there)"), 0},
    {0},
};
static const struct xa_cmd_opt brief_opts[] = {
    {"inspector", 0, "FINGERPRINT", N_("the enrolled inspector the brief is for"), XA_OPT_REQUIRED},
    {"county", 0, "C", N_("only the schools of county C"), 0},
    {"output", 'o', "FILE", N_("the brief file to write"), XA_OPT_REQUIRED},
    {"force", 0, NULL, N_("write over an existing brief file"), 0},
    {0},
};

const struct xa_cmd_entry cmd_central_entries[] = {
    {.name = "central init",
     .help = N_("create the central store and the office identity; prints its fingerprint"),
     .opts = init_opts,
     .needs = XA_NEED_STORE_PATH | XA_NEED_PASSFILE,
     .check = init_check,
     .exec = init_exec},
    {.name = "central id",
     .help = N_("print the office's public identity"),
     .needs = XA_NEED_STORE,
     .exec = id_exec},
    {.name = "central enroll",
     .args = "IDFILE",
     .min_args = 1,
     .max_args = 1,
     .help = N_("enrol an inspector from `xiaoan id` text (- reads standard input) and their home"
             " county"),
     .opts = enroll_opts,
     .needs = XA_NEED_STORE,
     .check = county_check,
     .exec = enroll_exec},
    {.name = "central revoke",
     .args = "FINGERPRINT",
     .min_args = 1,
     .max_args = 1,
     .help = N_("revoke an inspector's key as of now, or admit one of their bundles (--allow FILE)"),
     .opts = revoke_opts,
     .needs = XA_NEED_STORE,
     .check = xa_cmd_check_fingerprint,
     .exec = revoke_exec},
    {.name = "central inspectors",
     .help = N_("list enrolled inspectors"),
     .needs = XA_NEED_STORE,
     .exec = inspectors_exec},
    {.name = "central schools import",
     .args = "CSV",
     .min_args = 1,
     .max_args = 1,
     .help = N_("load the school roster"),
     .needs = XA_NEED_STORE,
     .exec = schools_import_exec},
    {.name = "central schools",
     .help = N_("list the school roster"),
     .opts = schools_opts,
     .needs = XA_NEED_STORE,
     .check = county_check,
     .exec = schools_exec},
    {.name = "central forms import",
     .args = "DIR",
     .min_args = 1,
     .max_args = 1,
     .help = N_("load a folder of checklists"),
     .needs = XA_NEED_STORE,
     .exec = forms_import_exec},
    {.name = "central forms",
     .help = N_("list the checklists (--all: every version)"),
     .opts = forms_opts,
     .needs = XA_NEED_STORE,
     .exec = forms_exec},
    {.name = "central brief",
     .help = N_("write an inspector's brief (roster, forms, open hazards, receipts)"),
     .opts = brief_opts,
     .needs = XA_NEED_STORE | XA_NEED_PASSFILE,
     .check = brief_check,
     .exec = brief_exec},
    {.name = "central merge",
     .args = "BUNDLE...",
     .min_args = 1,
     .max_args = -1,
     .help = N_("merge bundles from the field"),
     .needs = XA_NEED_OFFICE,
     .exec = merge_exec},
    {.name = "central settings",
     .args = "[KEY [VALUE]]",
     .max_args = 2,
     .help = N_("show every office setting with its value, default and meaning, or set one"),
     .needs = XA_NEED_STORE,
     .check = settings_check,
     .exec = settings_exec},
    {.name = "central ledger",
     .help = N_("the hazard ledger; text fits the terminal"),
     .opts = ledger_opts,
     .needs = XA_NEED_STORE,
     .check = ledger_check,
     .exec = ledger_exec},
    {.name = "central report",
     .help = N_("the period report (monthly/quarterly): coverage, hazards, rectification and clearance rates, lists"),
     .opts = report_opts,
     .needs = XA_NEED_STORE,
     .check = report_check,
     .exec = report_exec},
    {.name = "central visits",
     .help = N_("list the visits merged at the office"),
     .opts = visits_opts,
     .needs = XA_NEED_STORE,
     .check = visits_check,
     .exec = visits_exec},
    {.name = "central visit",
     .args = "ID",
     .min_args = 1,
     .max_args = 1,
     .help = N_("one visit in full: attestations, times, answers, hazards, signature, chain, bundle"),
     .opts = visit_opts,
     .needs = XA_NEED_STORE,
     .check = visit_check,
     .exec = visit_exec},
    {.name = "central export-identity",
     .help = N_("print the office's age identity (AGE-SECRET-KEY-1...) for the age tool"),
     .needs = XA_NEED_OFFICE,
     .exec = export_identity_exec},
    {0},
};
