/* central.c (cmd) — the office's commands, `xiaoan central ...`: option
 * parsing, calling src/central and printing.  Every command takes
 * --store FILE (or $XIAOAN_STORE); those that need the office key take
 * --passphrase-file FILE (or $XIAOAN_PASSPHRASE_FILE, else the terminal). */
#include "xiaoan/age.h"
#include "xiaoan/central.h"
#include "xiaoan/cli.h"
#include "xiaoan/clock.h"
#include "xiaoan/cmd.h"
#include "xiaoan/county.h"
#include "xiaoan/cstore_assign.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/pass.h"
#include "xiaoan/report.h"
#include "xiaoan/utf8.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define OPT_STORE 0x1001
#define OPT_PASSFILE 0x1002
#define OPT_KDF 0x1003
#define OPT_NAME 0x1004
#define OPT_COUNTY 0x1005
#define OPT_STATE 0x1006
#define OPT_FORMAT 0x1007
#define OPT_INSPECTOR 0x1008
#define OPT_ALL 0x1009
#define OPT_SCHOOL 0x100a
#define OPT_FROM 0x100b
#define OPT_TO 0x100c
#define OPT_LANG 0x100d
#define OPT_WIDE 0x100e
#define OPT_BYCOUNTY 0x100f
#define OPT_FORCE 0x1010

#define COMMON_OPTS                                                    \
    {"store", required_argument, NULL, OPT_STORE},                     \
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE}

/* What the central commands share. */
struct copts {
    const char *store;
    const char *passfile;
    const char *name;
    const char *kdf;
    const char *county;
    const char *state;
    const char *format;
    const char *inspector;
    const char *output;
    const char *school, *from, *to, *lang;
    int all, wide, by_county, force;
};

/* Parse options into o; returns -1 when fine (optind at the operands), else
 * the exit code of a usage error. */
static int parse(int argc, char **argv, const struct option *longopts, const char *shortopts,
                 struct copts *o)
{
    memset(o, 0, sizeof *o);
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (ch) {
        case OPT_STORE:
            o->store = optarg;
            break;
        case OPT_PASSFILE:
            o->passfile = optarg;
            break;
        case OPT_NAME:
            o->name = optarg;
            break;
        case OPT_KDF:
            o->kdf = optarg;
            break;
        case OPT_COUNTY:
            /* Any spelling of county.h (景宁, 莲都, 331102) means its full name. */
            o->county = xa_county_normalise(optarg);
            if (!o->county) /* bad input, not bad usage (issue 13): exit 1 */
                return xa_cli_error("unknown county '%s' (one of %s)", optarg,
                                    xa_county_names());
            break;
        case OPT_STATE:
            o->state = optarg;
            break;
        case OPT_FORMAT:
            o->format = optarg;
            break;
        case OPT_INSPECTOR:
            o->inspector = optarg;
            break;
        case OPT_ALL:
            o->all = 1;
            break;
        case OPT_FORCE:
            o->force = 1;
            break;
        case OPT_SCHOOL:
            o->school = optarg;
            break;
        case OPT_FROM:
            o->from = optarg;
            break;
        case OPT_TO:
            o->to = optarg;
            break;
        case OPT_LANG:
            o->lang = optarg;
            break;
        case OPT_WIDE:
            o->wide = 1;
            break;
        case OPT_BYCOUNTY:
            o->by_county = 1;
            break;
        case 'o':
            o->output = optarg;
            break;
        default:
            return xa_cli_bad_option(ch, argv[optind - 1], "central", argv[0]);
        }
    }
    return -1;
}

/* The store path from --store or $XIAOAN_STORE. */
static const char *store_path(const struct copts *o)
{
    if (o->store && *o->store)
        return o->store;
    const char *env = getenv("XIAOAN_STORE");
    return env && *env ? env : NULL;
}

/* Open the store; on failure prints and returns the exit code (else 0). */
static int open_store(const struct copts *o, xa_cstore **s)
{
    const char *path = store_path(o);
    if (!path)
        return xa_cli_usage("no central store: give --store FILE or set XIAOAN_STORE");
    xa_err err;
    if (xa_cstore_open(path, s, &err) != XA_OK)
        return xa_cli_report(&err);
    return 0;
}

/* Unlock the office identity (asks for the passphrase). */
static int unlock(xa_cstore *s, const struct copts *o, xa_identity **office)
{
    xa_err err;
    char *pass = NULL;
    if (xa_pass_read("办公室口令 / office passphrase: ", o->passfile, 0, &pass, &err) != XA_OK)
        return xa_cli_report(&err);
    xa_code c = xa_office_unlock(s, pass, office, &err);
    xa_pass_free(pass);
    if (c != XA_OK)
        return xa_cli_report(&err);
    return 0;
}

/* Exit 2 unless exactly `want` operands are left. */
static int operands(int argc, char **argv, int want, const char *what)
{
    int have = argc - optind;
    if (have < want)
        return xa_cli_usage("central %s needs %s (see xiaoan central %s --help)", argv[0], what,
                            argv[0]);
    if (have > want)
        return xa_cli_usage("unexpected argument '%s' (see xiaoan central %s --help)",
                            argv[optind + want], argv[0]);
    return 0;
}

/* Parse the options, check for `want` operands (`what`) and open the store: what most
 * commands begin with; 0 on success, else the exit code (nothing to close). */
static int begin(int argc, char **argv, const struct option *longopts, struct copts *o, int want,
                 const char *what, xa_cstore **s)
{
    int rc = parse(argc, argv, longopts, ":", o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, want, what)))
        return rc;
    return open_store(o, s);
}

/* Print a table: cells row-major, header first, padded by display width. */
static void print_table(char **cells, size_t rows, int ncols, const int *right)
{
    size_t w[16] = {0};
    for (size_t r = 0; r < rows; r++)
        for (int j = 0; j < ncols; j++) {
            size_t x = xa_utf8_width(cells[r * (size_t)ncols + (size_t)j]);
            if (x > w[j])
                w[j] = x;
        }
    xa_buf out = XA_BUF_INIT;
    for (size_t r = 0; r < rows; r++)
        xa_utf8_row(&out, "", (const char *const *)&cells[r * (size_t)ncols], w, right, ncols);
    fwrite(out.data, 1, out.len, stdout);
    xa_buf_free(&out);
}

static char *date_part(const char *t)
{
    int64_t at;
    int off;
    char d[XA_DATE_MAX];
    if (t && xa_time_parse(t, &at, &off, NULL) == XA_OK) {
        xa_date_format(xa_date_of(at, off), d);
        return xa_strdup(d);
    }
    return xa_strdup(t ? t : "");
}

/* ---- central init / id / export-identity --------------------------------------- */

int cmd_central_init(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS,
                                       {"name", required_argument, NULL, OPT_NAME},
                                       {"kdf", required_argument, NULL, OPT_KDF},
                                       {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":", &o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, 0, "no arguments")))
        return rc;
    const char *path = store_path(&o);
    if (!path)
        return xa_cli_usage("no central store: give --store FILE or set XIAOAN_STORE");
    xa_err err;
    xa_kdf_cost cost = XA_KDF_MODERATE;
    if (o.kdf && xa_kdf_cost_parse(o.kdf, &cost, &err) != XA_OK)
        return xa_cli_usage("--kdf must be interactive or moderate, not '%s'", o.kdf);
    const char *name = o.name ? o.name : XA_OFFICE_DEFAULT_NAME;
    if (xa_identity_name_check(name, &err) != XA_OK) {
        xa_err_prefix(&err, "--name");
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    if (xa_path_exists(path))
        return xa_cli_error("%s already exists", path);
    char *pass = NULL;
    if (xa_pass_read("新的办公室口令 / new office passphrase: ", o.passfile, 1, &pass, &err) !=
        XA_OK)
        return xa_cli_report(&err);
    xa_kdf_params kdf = xa_kdf_params_of(cost);
    xa_identity *office = NULL;
    xa_code c = xa_office_create(path, name, pass, &kdf, NULL, &office, &err);
    xa_pass_free(pass);
    if (c != XA_OK)
        return xa_cli_report(&err);
    xa_buf text = XA_BUF_INIT;
    xa_identity_text(office, &text, &err);
    printf("created central store %s\n%s", path, text.data ? text.data : "");
    printf("office fingerprint: %s\n", office->fingerprint);
    xa_buf_free(&text);
    xa_identity_free(office);
    return XA_EXIT_OK;
}

int cmd_central_id(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
    struct copts o;
    xa_cstore *s;
    int rc = begin(argc, argv, lo, &o, 0, "no arguments", &s);
    if (rc)
        return rc;
    xa_err err;
    xa_identity *office = NULL;
    xa_code c = xa_office_public(s, &office, &err);
    xa_cstore_close(s);
    if (c != XA_OK)
        return xa_cli_report(&err);
    xa_buf text = XA_BUF_INIT;
    xa_identity_text(office, &text, &err);
    fputs(text.data ? text.data : "", stdout);
    xa_buf_free(&text);
    xa_identity_free(office);
    return XA_EXIT_OK;
}

int cmd_central_export_identity(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
    struct copts o;
    xa_cstore *s;
    int rc = begin(argc, argv, lo, &o, 0, "no arguments", &s);
    if (rc)
        return rc;
    xa_identity *office = NULL;
    rc = unlock(s, &o, &office);
    if (rc) {
        xa_cstore_close(s);
        return rc;
    }
    xa_err err;
    char *key = xa_secret_alloc(80);
    xa_code c = xa_office_age_secret(office, key, &err);
    if (c == XA_OK) {
        char rec[XA_AGE_RECIPIENT_MAX];
        struct xa_office row;
        if (xa_cstore_office_get(s, &row, NULL) == XA_OK) {
            snprintf(rec, sizeof rec, "%s", row.age_recipient);
            xa_office_clear(&row);
        } else {
            rec[0] = '\0';
        }
        char now[XA_RFC3339_MAX];
        xa_time_format(xa_now(), XA_CST_OFFSET, now);
        /* The same shape as age-keygen writes, so `age -d -i FILE` reads it. */
        printf("# xiaoan office identity: %s (%s)\n# exported: %s\n# public key: %s\n%s\n",
               office->name, office->fingerprint, now, rec, key);
        fflush(stdout);
    }
    xa_secret_free(key);
    xa_identity_free(office);
    xa_cstore_close(s);
    return c == XA_OK ? XA_EXIT_OK : xa_cli_report(&err);
}

/* ---- inspectors ---------------------------------------------------------------- */

int cmd_central_enroll(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {"county", required_argument, NULL, OPT_COUNTY},
                                       {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":", &o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, 1, "the identity file (IDFILE, or - for standard input)")))
        return rc;
    const char *file = argv[optind];
    xa_err err;
    xa_buf text = XA_BUF_INIT;
    xa_code c;
    if (!strcmp(file, "-")) {
        char chunk[4096];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0 && text.len < 65536)
            xa_buf_add(&text, chunk, got);
        c = XA_OK;
        if (!text.data)
            xa_buf_puts(&text, "");
    } else {
        c = xa_read_file(file, 65536, &text, &err);
    }
    if (c != XA_OK) {
        xa_buf_free(&text);
        return xa_cli_report(&err);
    }
    xa_cstore *s;
    if ((rc = open_store(&o, &s))) {
        xa_buf_free(&text);
        return rc;
    }
    xa_identity *id = NULL;
    c = xa_office_enroll_county(s, text.data, text.len, o.county, &id, &err);
    xa_buf_free(&text);
    xa_cstore_close(s);
    if (c != XA_OK) {
        xa_err_prefix(&err, "%s", file);
        return xa_cli_report(&err);
    }
    printf("enrolled %s %s%s%s\n", id->name, id->fingerprint, o.county ? " " : "",
           o.county ? o.county : "");
    xa_identity_free(id);
    return XA_EXIT_OK;
}

int cmd_central_revoke(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":", &o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, 1, "a FINGERPRINT")))
        return rc;
    xa_err err;
    char fp[XA_FP_MAX];
    if (xa_fingerprint_normalize(argv[optind], fp, &err) != XA_OK) {
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    xa_cstore *s;
    if ((rc = open_store(&o, &s)))
        return rc;
    xa_code c = xa_office_revoke(s, fp, fp, &err);
    xa_cstore_close(s);
    if (c != XA_OK)
        return xa_cli_report(&err);
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    printf("revoked %s as of %s\n", fp, now);
    return XA_EXIT_OK;
}

int cmd_central_inspectors(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
    struct copts o;
    xa_cstore *s;
    int rc = begin(argc, argv, lo, &o, 0, "no arguments", &s);
    if (rc)
        return rc;
    xa_err err;
    struct xa_inspector *v = NULL;
    size_t n = 0;
    xa_code c = xa_cstore_inspectors(s, &v, &n, &err);
    if (c != XA_OK) {
        xa_cstore_close(s);
        return xa_cli_report(&err);
    }
    if (!n) {
        printf("no inspectors enrolled (xiaoan central enroll IDFILE)\n");
    } else {
        char **cells = xa_calloc((n + 1) * 6, sizeof *cells);
        cells[0] = xa_strdup("指纹 fingerprint");
        cells[1] = xa_strdup("姓名 name");
        cells[2] = xa_strdup("所属县（区） county");
        cells[3] = xa_strdup("登记 enrolled");
        cells[4] = xa_strdup("状态 state");
        cells[5] = xa_strdup("检查 visits");
        for (size_t i = 0; i < n; i++) {
            char **r = &cells[(i + 1) * 6];
            char *county = NULL;
            if (xa_cstore_inspector_county(s, v[i].fingerprint, &county, NULL) != XA_OK)
                county = NULL;
            r[0] = xa_strdup(v[i].fingerprint);
            r[1] = xa_strdup(v[i].name);
            r[2] = county ? county : xa_strdup("-");
            r[3] = date_part(v[i].enrolled);
            if (v[i].revoked) {
                char *d = date_part(v[i].revoked);
                r[4] = xa_asprintf("已撤销 revoked %s", d);
                free(d);
            } else {
                r[4] = xa_strdup("有效 active");
            }
            int64_t nv = 0;
            if (xa_cstore_inspector_visits(s, v[i].fingerprint, &nv, NULL) != XA_OK)
                nv = 0;
            r[5] = xa_asprintf("%lld", (long long)nv);
        }
        print_table(cells, n + 1, 6, (const int[]){0, 0, 0, 0, 0, 1});
        xa_strv_free(cells, (n + 1) * 6);
    }
    xa_inspectors_free(v, n);
    xa_cstore_close(s);
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
        rc = xa_cli_error("%s (and %zu more problem%s: run xiaoan %s)", first, n - 1,
                          n == 2 ? "" : "s", strstr(what, "csv") || strstr(what, "CSV")
                                                 ? "roster check FILE"
                                                 : "forms check DIR");
    else
        rc = xa_cli_error("%s", first);
    free(first);
    return rc;
}

int cmd_central_schools_import(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
    struct copts o;
    xa_cstore *s;
    int rc = begin(argc, argv, lo, &o, 1, "the roster CSV file", &s);
    if (rc)
        return rc;
    const char *file = argv[optind];
    xa_err err;
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_roster *r = NULL;
    xa_code c = xa_roster_load(file, &r, &probs, &err);
    if (c == XA_OK && r->gb18030) /* Excel/WPS "ANSI" CSV: say it once */
        fprintf(stderr, "xiaoan: note: %s is GB18030 (\"ANSI\"), converted to UTF-8\n", file);
    if (c == XA_EFORMAT) {
        rc = problems_error(&probs, "roster csv");
    } else if (c != XA_OK) {
        rc = xa_cli_report(&err);
    } else {
        struct xa_import_counts n;
        if (xa_office_import_roster(s, r, file, &n, &err) != XA_OK) {
            rc = xa_cli_report(&err);
        } else {
            printf("%s: %zu schools (%zu new, %zu updated, %zu unchanged)\n", file, r->n,
                   n.added, n.updated, n.same);
            rc = XA_EXIT_OK;
        }
    }
    xa_roster_free(r);
    xa_problems_free(&probs);
    xa_cstore_close(s);
    return rc;
}

/* qsort order of schools: county (市直 first, then by code; county.h), then code. */
static int school_order(const void *a, const void *b)
{
    const struct xa_cschool *x = a, *y = b;
    int c = xa_county_cmp(x->county, y->county);
    return c ? c : strcmp(x->code, y->code);
}

int cmd_central_schools(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS,
                                       {"county", required_argument, NULL, OPT_COUNTY},
                                       {NULL, 0, NULL, 0}};
    struct copts o;
    xa_cstore *s;
    int rc = begin(argc, argv, lo, &o, 0, "no arguments", &s);
    if (rc)
        return rc;
    xa_err err;
    struct xa_cschool *v = NULL;
    size_t n = 0;
    if (xa_cstore_schools(s, o.county, &v, &n, &err) != XA_OK) {
        xa_cstore_close(s);
        return xa_cli_report(&err);
    }
    if (n)
        qsort(v, n, sizeof *v, school_order);
    if (!n) {
        printf(o.county ? "no schools in %s\n" : "no schools (xiaoan central schools import CSV)\n",
               o.county);
    } else {
        char **cells = xa_calloc((n + 1) * 6, sizeof *cells);
        const char *head[] = {"代码 code", "学校 name", "区县 county", "类型 type", "特征 profile",
                              "学生 students"};
        for (int j = 0; j < 6; j++)
            cells[j] = xa_strdup(head[j]);
        for (size_t i = 0; i < n; i++) {
            char **r = &cells[(i + 1) * 6];
            xa_school_type t;
            r[0] = xa_strdup(v[i].code);
            r[1] = xa_strdup(v[i].name);
            r[2] = xa_strdup(v[i].county);
            r[3] = xa_strdup(xa_school_type_parse(v[i].type, &t) ? xa_school_type_label(t)
                                                                  : v[i].type);
            xa_buf f = XA_BUF_INIT;
            xa_buf_puts(&f, "");
            if (v[i].boarding)
                xa_buf_puts(&f, "住宿 ");
            if (v[i].canteen)
                xa_buf_puts(&f, "食堂 ");
            if (v[i].lab)
                xa_buf_puts(&f, "实验室 ");
            if (v[i].bus)
                xa_buf_puts(&f, "校车 ");
            while (f.len && f.data[f.len - 1] == ' ')
                f.data[--f.len] = '\0';
            r[4] = xa_buf_steal(&f);
            r[5] = v[i].students >= 0 ? xa_asprintf("%lld", (long long)v[i].students)
                                      : xa_strdup("");
        }
        print_table(cells, n + 1, 6, (const int[]){0, 0, 0, 0, 0, 1});
        xa_strv_free(cells, (n + 1) * 6);
        printf("%zu school%s\n", n, n == 1 ? "" : "s");
    }
    xa_cschools_free(v, n);
    xa_cstore_close(s);
    return XA_EXIT_OK;
}

int cmd_central_forms_import(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
    struct copts o;
    xa_cstore *s;
    int rc = begin(argc, argv, lo, &o, 1, "the forms folder (DIR)", &s);
    if (rc)
        return rc;
    const char *dir = argv[optind];
    xa_err err;
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_form_set *set = NULL;
    xa_code c = xa_form_set_load(dir, &set, &probs, &err);
    for (size_t i = 0; c == XA_OK && i < set->ngb18030; i++)
        fprintf(stderr, "xiaoan: note: %s is GB18030 (\"ANSI\"), converted to UTF-8\n",
                set->gb18030[i]);
    if (c == XA_EFORMAT) {
        rc = problems_error(&probs, dir);
    } else if (c != XA_OK) {
        rc = xa_cli_report(&err);
    } else {
        int *status = xa_calloc(set->n ? set->n : 1, sizeof *status);
        struct xa_import_counts n;
        if (xa_office_import_forms(s, set, dir, status, &n, &err) != XA_OK) {
            rc = xa_cli_report(&err);
        } else {
            for (size_t i = 0; i < set->n; i++) {
                const xa_form *f = set->forms[i];
                printf("%-24s v%-3d %4zu items %3zu major  %.16s  %s\n", f->id, f->version,
                       f->nitems, f->nmajor, f->hash_hex, status[i] ? "new" : "unchanged");
            }
            printf("%zu form%s (%zu new, %zu unchanged)\n", set->n, set->n == 1 ? "" : "s",
                   n.added, n.same);
            rc = XA_EXIT_OK;
        }
        free(status);
    }
    xa_form_set_free(set);
    xa_problems_free(&probs);
    xa_cstore_close(s);
    return rc;
}

int cmd_central_forms(int argc, char **argv)
{
    static const struct option lo[] = {
        COMMON_OPTS, {"all", no_argument, NULL, OPT_ALL}, {NULL, 0, NULL, 0}};
    struct copts o;
    xa_cstore *s;
    int rc = begin(argc, argv, lo, &o, 0, "no arguments", &s);
    if (rc)
        return rc;
    xa_err err;
    struct xa_cform *v = NULL;
    size_t n = 0;
    if (xa_cstore_forms(s, !o.all, &v, &n, &err) != XA_OK) {
        xa_cstore_close(s);
        return xa_cli_report(&err);
    }
    if (!n) {
        printf("no forms (xiaoan central forms import DIR)\n");
    } else {
        char **cells = xa_calloc((n + 1) * 7, sizeof *cells);
        const char *head[] = {"表 form", "版本 version", "类别 category", "条目 items",
                              "重大 major", "哈希 hash",   "标题 title"};
        for (int j = 0; j < 7; j++)
            cells[j] = xa_strdup(head[j]);
        for (size_t i = 0; i < n; i++) {
            char **r = &cells[(i + 1) * 7];
            r[0] = xa_strdup(v[i].id);
            r[1] = xa_asprintf("%lld", (long long)v[i].version);
            r[2] = xa_strdup(xa_vocab_label_of(&xa_vocab_categories, v[i].category, 0));
            r[3] = xa_asprintf("%lld", (long long)v[i].items);
            r[4] = xa_asprintf("%lld", (long long)v[i].major);
            r[5] = xa_strndup(v[i].hash, 16);
            r[6] = xa_strdup(v[i].title);
        }
        print_table(cells, n + 1, 7, (const int[]){0, 1, 0, 1, 1, 0, 0});
        xa_strv_free(cells, (n + 1) * 7);
    }
    xa_cforms_free(v, n);
    xa_cstore_close(s);
    return XA_EXIT_OK;
}

/* ---- settings, ledger, report ------------------------------------------------------- */

int cmd_central_settings(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":", &o);
    if (rc >= 0)
        return rc;
    int have = argc - optind;
    if (have > 2)
        return xa_cli_usage("unexpected argument '%s' (see xiaoan central settings --help)",
                            argv[optind + 2]);
    const xa_setting *set = have >= 1 ? xa_setting_find(argv[optind]) : NULL;
    if (have >= 1 && !set) {
        xa_buf known = XA_BUF_INIT;
        xa_setting_keys(&known);
        rc = xa_cli_usage("unknown setting '%s' (known: %s)", argv[optind], known.data);
        xa_buf_free(&known);
        return rc;
    }
    xa_err err;
    if (have == 2 && xa_setting_check(set, argv[optind + 1], &err) != XA_OK)
        return xa_cli_report(&err);
    xa_cstore *s;
    if ((rc = open_store(&o, &s)))
        return rc;
    xa_code c = XA_OK;
    if (have == 2) {
        char *summary = xa_asprintf("%s = %s", argv[optind], argv[optind + 1]);
        if ((c = xa_cstore_begin(s, &err)) == XA_OK)
            c = xa_cstore_end(s, xa_cstore_setting_set(s, argv[optind], argv[optind + 1], &err),
                              "central settings", summary, &err);
        free(summary);
        if (c == XA_OK)
            printf("%s = %s\n", argv[optind], argv[optind + 1]);
    } else {
        char **k = NULL, **v = NULL;
        size_t n = 0;
        if ((c = xa_office_settings(s, &k, &v, &n, &err)) == XA_OK) {
            for (size_t i = 0; i < n; i++)
                if (have == 0 || !strcmp(k[i], argv[optind]))
                    printf("%s = %s\n", k[i], v[i]);
            xa_strv_free(k, n);
            xa_strv_free(v, n);
        }
    }
    xa_cstore_close(s);
    return c == XA_OK ? XA_EXIT_OK : xa_cli_report(&err);
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

int cmd_central_ledger(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS,
                                       {"state", required_argument, NULL, OPT_STATE},
                                       {"county", required_argument, NULL, OPT_COUNTY},
                                       {"format", required_argument, NULL, OPT_FORMAT},
                                       {"wide", no_argument, NULL, OPT_WIDE},
                                       {"by-county", no_argument, NULL, OPT_BYCOUNTY},
                                       {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":o:", &o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, 0, "no arguments")))
        return rc;
    xa_err err;
    xa_ledger_sel sel = XA_LEDGER_OPEN;
    xa_out_format fmt = XA_OUT_TEXT;
    int xlsx = o.format && !strcmp(o.format, "xlsx");
    if ((o.state && xa_ledger_sel_parse(o.state, &sel, &err) != XA_OK) ||
        (o.format && !xlsx && xa_out_format_parse(o.format, &fmt, &err) != XA_OK)) {
        if (err.code == XA_EUSAGE && o.format && strstr(err.msg, "--format"))
            return xa_cli_usage("--format must be text, csv, json or xlsx, not '%s'", o.format);
        return xa_cli_report(&err);
    }
    if (xlsx && !o.output)
        return xa_cli_usage("--format xlsx needs -o FILE");
    if (o.by_county && !xlsx)
        return xa_cli_usage("--by-county is for --format xlsx");
    xa_cstore *s;
    if ((rc = open_store(&o, &s)))
        return rc;
    xa_buf out = XA_BUF_INIT;
    size_t rows = 0;
    xa_code c;
    if (xlsx)
        c = xa_ledger_xlsx(s, sel, o.county, xa_today(), o.by_county, o.output, &rows, &err);
    else if (fmt == XA_OUT_TEXT)
        c = xa_ledger_fit(s, sel, o.county, xa_today(), o.wide ? 0 : text_width(), &out, &rows,
                          &err);
    else
        c = xa_ledger_write(s, sel, o.county, fmt, xa_today(), &out, &rows, &err);
    xa_cstore_close(s);
    if (c == XA_OK && o.output && !xlsx)
        c = xa_write_atomic(o.output, out.data, out.len, &err);
    if (c != XA_OK) {
        xa_buf_free(&out);
        return xa_cli_report(&err);
    }
    if (xlsx)
        printf("%s: %zu hazard%s\n", o.output, rows, rows == 1 ? "" : "s");
    else if (!o.output)
        fwrite(out.data, 1, out.len, stdout);
    if (fmt == XA_OUT_TEXT && !xlsx && !o.output)
        printf("%zu hazard%s\n", rows, rows == 1 ? "" : "s");
    xa_buf_free(&out);
    return XA_EXIT_OK;
}

int cmd_central_report(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS,
                                       {"from", required_argument, NULL, OPT_FROM},
                                       {"to", required_argument, NULL, OPT_TO},
                                       {"county", required_argument, NULL, OPT_COUNTY},
                                       {"format", required_argument, NULL, OPT_FORMAT},
                                       {"lang", required_argument, NULL, OPT_LANG},
                                       {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":o:", &o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, 0, "no arguments")))
        return rc;
    xa_err err;
    xa_report_format fmt = XA_REPORT_TEXT;
    if (o.format && xa_report_format_parse(o.format, &fmt, &err) != XA_OK)
        return xa_cli_report(&err);
    if (o.lang && strcmp(o.lang, "zh") && strcmp(o.lang, "en"))
        return xa_cli_usage("--lang must be zh or en, not '%s'", o.lang);
    if ((fmt == XA_REPORT_XLSX || fmt == XA_REPORT_PDF) && !o.output)
        return xa_cli_usage("--format %s needs -o FILE", o.format);
    struct xa_report_opts ro = {.county = o.county, .en = o.lang && !strcmp(o.lang, "en"),
                                .today = xa_today()};
    if (xa_report_period(o.from, o.to, ro.today, &ro.from, &ro.to, &err) != XA_OK)
        return xa_cli_report(&err);
    xa_cstore *s;
    if ((rc = open_store(&o, &s)))
        return rc;
    struct xa_report *r = NULL;
    xa_code c = xa_report_compute(s, &ro, &r, &err);
    if (c != XA_OK) {
        xa_cstore_close(s);
        return xa_cli_report(&err);
    }
    xa_buf out = XA_BUF_INIT;
    if (fmt == XA_REPORT_XLSX)
        c = xa_report_xlsx(s, r, o.output, &err);
    else if (fmt == XA_REPORT_PDF)
        c = xa_report_pdf(r, o.output, &err);
    else if ((c = xa_report_render(r, fmt, &out, &err)) == XA_OK && o.output)
        c = xa_write_atomic(o.output, out.data, out.len, &err);
    else if (c == XA_OK)
        fwrite(out.data, 1, out.len, stdout);
    xa_cstore_close(s);
    xa_buf_free(&out);
    xa_report_free(r);
    return c == XA_OK ? XA_EXIT_OK : xa_cli_report(&err);
}

/* ---- visits at the office ------------------------------------------------------------ */

/* --from / --to as day numbers (from <= to); -1 when not given. */
static int period_days(const struct copts *o, int64_t *from, int64_t *to)
{
    xa_err err;
    *from = *to = -1;
    if (o->from && xa_date_parse(o->from, from, &err) != XA_OK)
        return xa_cli_error("--from: '%s' is not a date (YYYY-MM-DD)", o->from);
    if (o->to && xa_date_parse(o->to, to, &err) != XA_OK)
        return xa_cli_error("--to: '%s' is not a date (YYYY-MM-DD)", o->to);
    if (*from >= 0 && *to >= 0 && *from > *to)
        return xa_cli_error("--from %s is after --to %s", o->from, o->to);
    return 0;
}

int cmd_central_visits(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS,
                                       {"school", required_argument, NULL, OPT_SCHOOL},
                                       {"inspector", required_argument, NULL, OPT_INSPECTOR},
                                       {"from", required_argument, NULL, OPT_FROM},
                                       {"to", required_argument, NULL, OPT_TO},
                                       {"format", required_argument, NULL, OPT_FORMAT},
                                       {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":", &o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, 0, "no arguments")))
        return rc;
    xa_err err;
    xa_out_format fmt = XA_OUT_TEXT;
    if (o.format && xa_out_format_parse(o.format, &fmt, &err) != XA_OK)
        return xa_cli_report(&err);
    int64_t from, to;
    if ((rc = period_days(&o, &from, &to)))
        return rc;
    xa_cstore *s;
    if ((rc = open_store(&o, &s)))
        return rc;
    char fp[XA_FP_MAX] = "";
    struct xa_cvisit_filter f = {.school = o.school};
    if (o.inspector) {
        if (xa_fingerprint_normalize(o.inspector, fp, &err) != XA_OK) {
            xa_cstore_close(s);
            return xa_cli_report(&err);
        }
        f.inspector = fp;
    }
    if (from >= 0)
        f.from_at = from * 86400 - XA_CST_OFFSET * 60;
    if (to >= 0)
        f.to_at = (to + 1) * 86400 - XA_CST_OFFSET * 60;
    xa_buf out = XA_BUF_INIT;
    size_t rows = 0;
    xa_code c = xa_visits_write(s, &f, fmt, &out, &rows, &err);
    xa_cstore_close(s);
    if (c != XA_OK) {
        xa_buf_free(&out);
        return xa_cli_report(&err);
    }
    fwrite(out.data, 1, out.len, stdout);
    if (fmt == XA_OUT_TEXT)
        printf("%zu 次检查\n", rows);
    xa_buf_free(&out);
    return XA_EXIT_OK;
}

int cmd_central_visit(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS,
                                       {"format", required_argument, NULL, OPT_FORMAT},
                                       {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":", &o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, 1, "a visit ID")))
        return rc;
    xa_err err;
    xa_out_format fmt = XA_OUT_TEXT;
    if (o.format && (xa_out_format_parse(o.format, &fmt, &err) != XA_OK || fmt == XA_OUT_CSV)) {
        if (fmt == XA_OUT_CSV)
            return xa_cli_usage("--format must be text or json, not '%s'", o.format);
        return xa_cli_report(&err);
    }
    const char *id = argv[optind];
    xa_cstore *s;
    if ((rc = open_store(&o, &s)))
        return rc;
    xa_buf out = XA_BUF_INIT;
    xa_code c = xa_visit_write(s, id, fmt, xa_today(), &out, &err);
    xa_cstore_close(s);
    if (c != XA_OK) {
        xa_buf_free(&out);
        return xa_cli_report(&err);
    }
    fwrite(out.data, 1, out.len, stdout);
    xa_buf_free(&out);
    return XA_EXIT_OK;
}

/* ---- brief and merge ------------------------------------------------------------------- */

int cmd_central_brief(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS,
                                       {"inspector", required_argument, NULL, OPT_INSPECTOR},
                                       {"county", required_argument, NULL, OPT_COUNTY},
                                       {"output", required_argument, NULL, 'o'},
                                       {"force", no_argument, NULL, OPT_FORCE},
                                       {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":o:", &o);
    if (rc >= 0)
        return rc;
    if ((rc = operands(argc, argv, 0, "no arguments")))
        return rc;
    if (!o.inspector)
        return xa_cli_usage("central brief needs --inspector FINGERPRINT");
    if (!o.output || !*o.output)
        return xa_cli_usage("central brief needs -o FILE");
    xa_err err;
    char fp[XA_FP_MAX];
    if (xa_fingerprint_normalize(o.inspector, fp, &err) != XA_OK) {
        err.code = XA_EUSAGE;
        return xa_cli_report(&err);
    }
    xa_cstore *s;
    if ((rc = open_store(&o, &s)))
        return rc;
    struct xa_inspector insp;
    if (xa_cstore_inspector_get(s, fp, &insp, &err) != XA_OK) {
        xa_cstore_close(s);
        return xa_cli_report(&err);
    }
    xa_identity *office = NULL;
    if ((rc = unlock(s, &o, &office))) {
        xa_inspector_clear(&insp);
        xa_cstore_close(s);
        return rc;
    }
    struct xa_brief_counts k;
    char hash[65];
    xa_code c = xa_brief_write_ex(s, office, fp, o.county, o.output, o.force ? XA_BRIEF_FORCE : 0,
                                  &k, hash, &err);
    if (c == XA_OK)
        printf("wrote %s for %s %s: %zu schools, %zu forms, %zu open hazards, %zu receipts\n",
               o.output, insp.name, insp.fingerprint, k.schools, k.forms, k.hazards, k.receipts);
    xa_inspector_clear(&insp);
    xa_identity_free(office);
    xa_cstore_close(s);
    return c == XA_OK ? XA_EXIT_OK : xa_cli_report(&err);
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
    char *name = file ? xa_utf8_cut(file, 30) : xa_strdup("");
    fprintf(stderr, "\r\033[K[%s] %zu/%zu  merged %zu  rejected %zu  %s", bar, done, total, merged,
            rejected, name);
    fflush(stderr);
    free(name);
}

static void progress_clear(void)
{
    fputs("\r\033[K", stderr);
    fflush(stderr);
}

int cmd_central_merge(int argc, char **argv)
{
    static const struct option lo[] = {COMMON_OPTS, {NULL, 0, NULL, 0}};
    struct copts o;
    int rc = parse(argc, argv, lo, ":", &o);
    if (rc >= 0)
        return rc;
    if (argc - optind < 1)
        return xa_cli_usage("central merge needs one or more BUNDLE files");
    xa_cstore *s;
    if ((rc = open_store(&o, &s)))
        return rc;
    xa_identity *office = NULL;
    if ((rc = unlock(s, &o, &office))) {
        xa_cstore_close(s);
        return rc;
    }
    size_t total = (size_t)(argc - optind), merged = 0, rejected = 0;
    int64_t visits = 0, fresh = 0, anomalies = 0;
    int bar = total > 1 && isatty(STDERR_FILENO);
    xa_err err;
    rc = XA_EXIT_OK;
    for (size_t i = 0; i < total; i++) {
        const char *file = argv[optind + (int)i];
        if (bar)
            progress(i, total, merged, rejected, file);
        struct xa_merge_result r;
        xa_code c = xa_merge_file(s, office, file, &r, &err);
        if (bar)
            progress_clear();
        if (c != XA_OK) {
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
            printf("merged %s: %lld visits (%lld new)\n", shown, (long long)r.visits,
                   (long long)r.fresh);
            if (r.anomalies) {
                fflush(stdout);
                fprintf(stderr, "note: %s raised %lld anomal%s (see xiaoan central report)\n",
                        shown, (long long)r.anomalies, r.anomalies == 1 ? "y" : "ies");
            }
        } else {
            rejected++;
            printf("rejected %s: %s\n", shown, r.reason);
            rc = XA_EXIT_FAIL;
        }
        free(shown);
        fflush(stdout);
    }
    if (bar) {
        progress(merged + rejected, total, merged, rejected, NULL);
        fputc('\n', stderr);
        printf("%zu bundle%s: %zu merged (%lld visits, %lld new, %lld anomalies), %zu rejected\n",
               total, total == 1 ? "" : "s", merged, (long long)visits, (long long)fresh,
               (long long)anomalies, rejected);
    }
    xa_identity_free(office);
    xa_cstore_close(s);
    return rc;
}
