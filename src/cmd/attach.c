/* attach.c (cmd) — `xiaoan attach`: attach photos and PDFs to a draft visit
 * (to the visit, a hazard or a follow-up), list them, remove one before
 * sealing; and the office's `central attachments HAZARD|VISIT [-o DIR]`,
 * which lists what arrived and writes it out under names people
 * understand.  Option parsing and printing; the work is src/field/attach.c
 * and src/central/attachments.c. */
#include "xiaoan/central.h"
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/field.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/table.h"
#include "xiaoan/utf8.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The visit whose id is or starts with prefix (at least 4 hex digits). */
static xa_code find_visit(xa_fstore *s, const char *prefix, char id[XA_ID_HEX], xa_err *err)
{
    size_t len = strlen(prefix);
    if (len < 4 || len > 32 || strspn(prefix, "0123456789abcdef") != len)
        return xa_fail(err, XA_EUSAGE, "'%.40s' is not a visit id (32 hex digits, or the first"
                                       " 4 or more of them)",
                       prefix);
    xa_visit_list l;
    xa_code c = xa_fstore_visit_list(s, &l, err);
    if (c != XA_OK)
        return c;
    size_t hits = 0;
    for (size_t i = 0; i < l.n; i++)
        if (!strncmp(l.v[i].id, prefix, len)) {
            if (!hits)
                memcpy(id, l.v[i].id, XA_ID_HEX);
            hits++;
        }
    xa_visit_list_clear(&l);
    if (!hits)
        return xa_fail(err, XA_ENOTFOUND, "no visit %s (see xiaoan visits)", prefix);
    if (hits > 1)
        return xa_fail(err, XA_EUSAGE, "'%s' names %zu visits: give more digits", prefix, hits);
    return XA_OK;
}

/* A size in MB with one decimal ("2.3 MB"), or KB below 1 MB. */
static void size_text(int64_t n, char out[24])
{
    if (n < (1 << 20))
        snprintf(out, 24, "%lld KB", (long long)((n + 1023) / 1024));
    else
        snprintf(out, 24, "%lld.%lld MB", (long long)(n >> 20),
                 (long long)(((n & ((1 << 20) - 1)) * 10) >> 20));
}

/* Print the attachments of doc, one line each, numbered as --remove counts. */
static void print_list(const json_t *doc)
{
    json_t *arr = json_object_get(doc, "attachments"), *e;
    size_t i;
    if (!json_array_size(arr)) {
        xa_print("%s\n", _("no attachments"));
        return;
    }
    json_array_foreach(arr, i, e)
    {
        char sz[24];
        size_text(json_integer_value(json_object_get(e, "size")), sz);
        const char *f = xa_doc_str(e, "for"), *ref = xa_doc_str(e, "ref");
        char where[48];
        snprintf(where, sizeof where, "%s", _("visit"));
        const char *arrname = !strcmp(f, "hazard") ? "hazards" : "followups";
        const char *key = !strcmp(f, "hazard") ? "id" : "hazard";
        if (strcmp(f, "visit")) {
            size_t j;
            json_t *h;
            json_array_foreach(json_object_get(doc, arrname), j, h)
                if (!strcmp(xa_doc_str(h, key), ref))
                    snprintf(where, sizeof where, "%s %zu",
                             !strcmp(f, "hazard") ? _("hazard") : _("followup"), j + 1);
        }
        const char *taken = xa_doc_str(e, "taken");
        char *name = xa_utf8_sanitize(xa_doc_str(e, "name"), strlen(xa_doc_str(e, "name")), 0);
        xa_print("%2zu  %s  %-4s  %9s  %-19s  %-11s  %s\n", i + 1, xa_doc_str(e, "id"),
                 xa_doc_str(e, "type"), sz, *taken ? taken : "-", where, name);
        free(name);
    }
}

/* Check every file before any is attached (type by content, sizes), so a
 * bad one among several attaches none. */
static xa_code precheck(char **files, int n, const json_t *doc, const xa_attach_limits *lim,
                        xa_err *err)
{
    int64_t total = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "attachments"), i, e)
        total += json_integer_value(json_object_get(e, "size"));
    for (int k = 0; k < n; k++) {
        int fd = open(files[k], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
            return xa_fail_errno(err, XA_EIO, "cannot open %s", files[k]);
        struct stat sb;
        uint8_t head[16];
        ssize_t got = 0;
        int reg = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
        if (reg)
            got = read(fd, head, sizeof head);
        close(fd);
        if (!reg)
            return xa_fail(err, XA_EUSAGE, "%s is not a regular file", files[k]);
        if (got <= 0 || !xa_attach_sniff(head, (size_t)got))
            return xa_fail(err, XA_EFORMAT,
                           "%s is not a JPEG, PNG, HEIC or PDF file (by its content; the name "
                           "does not count)",
                           files[k]);
        if (sb.st_size > lim->file_max)
            return xa_fail(err, XA_ELIMIT, "%s is %lld MB, over the limit of %lld MB a file",
                           files[k], (long long)((sb.st_size + (1 << 20) - 1) >> 20),
                           (long long)(lim->file_max >> 20));
        total += sb.st_size;
        if (total > lim->visit_max)
            return xa_fail(err, XA_ELIMIT,
                           "%s would bring the visit's attachments to %lld MB, over the limit "
                           "of %lld MB a visit",
                           files[k], (long long)((total + (1 << 20) - 1) >> 20),
                           (long long)(lim->visit_max >> 20));
    }
    return XA_OK;
}

/* The number of --hazard / --followup (0 when neither), or -1 when bad. */
static long target_num(const struct xa_cmd_ctx *c, xa_attach_for *target)
{
    const char *h = xa_cmd_opt(c, "hazard"), *f = xa_cmd_opt(c, "followup");
    const char *num = h ? h : f;
    *target = h ? XA_ATTACH_HAZARD : f ? XA_ATTACH_FOLLOWUP : XA_ATTACH_VISIT;
    if (!num)
        return 0;
    char *end;
    unsigned long v = strtoul(num, &end, 10);
    if (*num < '1' || *num > '9' || *end || v > 100000)
        return -1;
    return (long)v;
}

/* Usage checks before the store is opened. */
static int attach_check(struct xa_cmd_ctx *c)
{
    xa_attach_for target;
    int list = xa_cmd_flag(c, "list"), remove = xa_cmd_opt(c, "remove") != NULL;
    if (xa_cmd_opt(c, "hazard") && xa_cmd_opt(c, "followup"))
        return xa_cmd_usage(c, "give one of --hazard and --followup");
    if (target_num(c, &target) < 0)
        return xa_cmd_usage(c, "--%s wants a number from 1 (as the visit lists them), not '%s'",
                            target == XA_ATTACH_HAZARD ? "hazard" : "followup",
                            xa_cmd_opt(c, target == XA_ATTACH_HAZARD ? "hazard" : "followup"));
    if ((list || remove) && (target != XA_ATTACH_VISIT || c->argc > 1 || (list && remove)))
        return xa_cmd_usage(c, "--list and --remove take only the visit");
    if (!list && !remove && c->argc < 2)
        return xa_cmd_usage(c, "no file to attach");
    return -1;
}

/* `xiaoan attach VISIT [--hazard N | --followup N] FILE…`, `--list`, `--remove ID|N`. */
static int attach_exec(struct xa_cmd_ctx *c)
{
    xa_fstore *s = c->field;
    xa_attach_for target;
    size_t n = (size_t)target_num(c, &target);
    const char *remove = xa_cmd_opt(c, "remove");
    char **files = c->argv + 1;
    int nfiles = c->argc - 1;
    xa_err err;
    xa_code rc;
    char id[XA_ID_HEX];
    json_t *doc = NULL, *records = NULL;
    xa_visit_info info;
    memset(&info, 0, sizeof info);
    if ((rc = find_visit(s, c->argv[0], id, &err)) != XA_OK ||
        (rc = xa_fstore_visit_load(s, id, &doc, &info, &err)) != XA_OK)
        goto done;
    if (xa_cmd_flag(c, "list")) {
        print_list(doc);
        goto done;
    }
    if (info.state != XA_VISIT_DRAFT) {
        rc = xa_fail(&err, XA_ESTATE,
                     "visit %s is %s: attachments can only change before sealing", id,
                     xa_visit_state_label(info.state));
        goto done;
    }
    if (remove) {
        if ((rc = xa_attach_remove(s, doc, &info.revision, remove, &err)) == XA_OK)
            xa_print(_("removed attachment %s\n"), remove);
        goto done;
    }
    xa_attach_limits lim;
    if (xa_fstore_brief_head(s, &records, NULL, NULL) != XA_OK) /* the settings: no schools */
        records = NULL;
    xa_attach_limits_of(records, &lim);
    if (target != XA_ATTACH_VISIT) {
        const char *arr = target == XA_ATTACH_HAZARD ? "hazards" : "followups";
        size_t have = json_array_size(json_object_get(doc, arr));
        if (n > have) {
            rc = xa_fail(&err, XA_ENOTFOUND, "the visit has %zu %s: there is no %s %zu", have,
                         target == XA_ATTACH_HAZARD ? _("hazards") : _("follow-ups"),
                         target == XA_ATTACH_HAZARD ? _("hazard") : _("follow-up"), n);
            goto done;
        }
    }
    if ((rc = precheck(files, nfiles, doc, &lim, &err)) != XA_OK)
        goto done;
    for (int k = 0; k < nfiles && rc == XA_OK; k++) {
        json_t *e = NULL;
        rc = xa_attach_file(s, doc, &info.revision, target, n, files[k], &lim, &e, &err);
        if (rc == XA_OK) {
            char sz[24];
            size_text(json_integer_value(json_object_get(e, "size")), sz);
            const char *taken = xa_doc_str(e, "taken");
            char *name = xa_utf8_sanitize(xa_doc_str(e, "name"), strlen(xa_doc_str(e, "name")), 0);
            xa_print(_("attached %s (%s, %s%s%s)\n"), name, xa_doc_str(e, "type"), sz,
                     *taken ? _(", taken ") : "", taken);
            free(name);
        }
    }
done:
    json_decref(doc);
    json_decref(records);
    xa_visit_info_clear(&info);
    if (rc != XA_OK)
        return xa_cli_report(&err);
    return XA_EXIT_OK;
}

static const struct xa_cmd_opt attach_opts[] = {
    {"hazard", 0, "N", N_("attach to the visit's N-th hazard (photos before rectification)"), 0},
    {"followup", 0, "N", N_("attach to the visit's N-th follow-up (photos after rectification)"), 0},
    {"list", 0, NULL, N_("list the visit's attachments (numbered as --remove counts)"), 0},
    {"remove", 0, "ID|N", N_("remove an attachment of a draft (its id or number)"), 0},
    {0},
};

/* ---- central attachments ---------------------------------------------------------- */

/* Bytes as people read them: 2.4 MB, 812 KB, 90 B. */
static char *human_size(int64_t n)
{
    if (n >= 1000 * 1000)
        return xa_asprintf("%.1f MB", (double)n / 1e6);
    if (n >= 1000)
        return xa_asprintf("%lld KB", (long long)((n + 500) / 1000));
    return xa_asprintf("%lld B", (long long)n);
}

/* The text listing: one row per attachment. */
static void list_text(const struct xa_cattach *v, size_t n)
{
    if (!n) {
        xa_print("%s\n", _("no attachments"));
        return;
    }
    const char *heads[] = {_("file"),  _("stage"), _("original name"), _("size"),
                           _("taken"), _("visit"), _("at the office")};
    xa_table *t = xa_table_new(7, heads);
    xa_table_col(t, 3, 1, 0);
    xa_table_col(t, 2, 0, 40);
    for (size_t i = 0; i < n; i++) {
        const struct xa_cattach *a = &v[i];
        xa_table_add(t, a->file);
        xa_table_add(t, a->stage);
        xa_table_take(t, xa_safe_dup(a->name));
        xa_table_take(t, human_size(a->size));
        xa_table_take(t, xa_asprintf("%.16s", a->taken ? a->taken : "—"));
        xa_table_take(t, xa_asprintf("%.8s", a->visit));
        xa_table_add(t, a->present ? _("received") : _("missing"));
    }
    xa_table_print(t);
    xa_table_free(t);
}

static int attachments_exec(struct xa_cmd_ctx *c)
{
    const char *output = xa_cmd_opt(c, "output"), *format = xa_cmd_opt(c, "format");
    xa_err err;
    struct xa_cattach *v = NULL;
    size_t n = 0;
    if (xa_cattachments_of(c->store, c->argv[0], &v, &n, &err) != XA_OK)
        return xa_cli_report(&err);
    int rc = XA_EXIT_OK;
    if (output) {
        if (!n) {
            xa_fail(&err, XA_ENOTFOUND, "'%s' has no attachments", c->argv[0]);
            rc = xa_cli_report(&err);
        } else if (xa_mkdir_p(output, 0700, &err) != XA_OK ||
                   xa_cattachments_write(c->store, v, n, output, xa_cmd_flag(c, "force"), &err) !=
                       XA_OK) {
            rc = xa_cli_report(&err);
        } else {
            for (size_t i = 0; i < n; i++)
                xa_print("%s/%s\n", output, v[i].file);
        }
    } else if (format && !strcmp(format, "json")) {
        json_t *arr = xa_cattachments_json(v, n);
        char *dump = json_dumps(arr, JSON_INDENT(2));
        xa_print_data(dump ? dump : "[]", dump ? strlen(dump) : 2);
        xa_print_data("\n", 1);
        free(dump);
        json_decref(arr);
    } else {
        list_text(v, n);
    }
    xa_cattachments_free(v, n);
    return rc;
}

static const struct xa_cmd_opt attachments_opts[] = {
    {"output", 'o', "DIR", N_("write the files into DIR (created if missing)"), 0},
    {"force", 0, NULL, N_("replace files of the same name in DIR"), 0},
    {"format", 0, "text|json", N_("the listing's format (default text)"), XA_OPT_CHOICE},
    {0},
};

const struct xa_cmd_entry cmd_attach_entries[] = {
    {.name = "attach",
     .args = "VISIT [FILE...]",
     .min_args = 1,
     .max_args = -1,
     .help = N_("attach photos (JPEG, PNG, HEIC) or PDFs to a draft visit, list or remove them"),
     .opts = attach_opts,
     .needs = XA_NEED_FIELD | XA_NEED_LOCK,
     .check = attach_check,
     .exec = attach_exec,
     .lock_unless = "list"},
    {.name = "central attachments",
     .args = "HAZARD|VISIT",
     .min_args = 1,
     .max_args = 1,
     .help = N_("the photos and PDFs of a hazard (before/after rectification) or a visit: list, or write out with -o"),
     .opts = attachments_opts,
     .needs = XA_NEED_STORE,
     .exec = attachments_exec},
    {0},
};
