/* draw.c (cmd) — the commands of random supervision and cross-checks:
 * `central draw plan`, `central draw reveal`, `draw verify` (no store, no
 * key), `central assignments` and `central inspector FP --county C`.
 * Their entries (cmd.h) declare the options; the work is assign.c's and
 * draw.c's (docs/draw.md). */
#include "xiaoan/assign.h"
#include "xiaoan/central.h"
#include "xiaoan/cli.h"
#include "xiaoan/clock.h"
#include "xiaoan/cmd.h"
#include "xiaoan/county.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/identity.h"
#include "xiaoan/table.h"
#include "xiaoan/utf8.h"
#include "xiaoan/visit.h"
#include "xiaoan/vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An integer option within lo..hi, or a usage error; def when not given. */
static int int_opt(struct xa_cmd_ctx *c, const char *name, long long lo, long long hi,
                   long long def, int64_t *out)
{
    const char *v = xa_cmd_opt(c, name);
    if (!v) {
        *out = def;
        return -1;
    }
    char *end = NULL;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return xa_cmd_usage(c, "--%s must be a whole number %lld..%lld, not '%s'", name, lo, hi,
                            v);
    *out = n;
    return -1;
}

/* Free a request's vectors. */
static void request_clear(struct xa_draw_request *r)
{
    xa_strv_free(r->counties, r->ncounties);
    xa_strv_free(r->forms, r->nforms);
    xa_strv_free(r->inspectors, r->ninspectors);
    memset(r, 0, sizeof *r);
}

/* Fill a request from the options; -1 when fine, else the exit code. */
static int request_of(struct xa_cmd_ctx *c, struct xa_draw_request *r)
{
    memset(r, 0, sizeof *r);
    r->weights[XA_TIER_KEY] = 3;
    r->weights[XA_TIER_WEAK] = 2;
    r->weights[XA_TIER_NORMAL] = 1;
    r->kind = xa_cmd_opt(c, "kind") ? xa_cmd_opt(c, "kind") : "random";
    r->due = xa_cmd_opt(c, "due");
    int rc;
    xa_err err;
    if ((rc = int_opt(c, "schools", 1, XA_DRAW_SCHOOLS_MAX, 0, &r->schools)) >= 0 ||
        (rc = int_opt(c, "team", 1, XA_DRAW_TEAM_MAX, 1, &r->team)) >= 0 ||
        (rc = int_opt(c, "boost-unvisited", 0, XA_DRAW_BOOST_MAX, 0, &r->boost_days)) >= 0)
        return rc;
    const char *w = xa_cmd_opt(c, "weights");
    if (w && xa_draw_weights_parse(w, r->weights, &err) != XA_OK)
        return xa_cmd_usage(c, "%s", err.msg);
    if (xa_cmd_opt(c, "county")) {
        if (xa_draw_list_parse(xa_cmd_opt(c, "county"), "county", &r->counties, &r->ncounties,
                               &err) != XA_OK)
            return xa_cmd_usage(c, "%s", err.msg);
        for (size_t i = 0; i < r->ncounties; i++) {
            const char *name = xa_county_normalise(r->counties[i]);
            if (!name) /* bad input, not bad usage (issue 13): exit 1 */
                return xa_cli_error("unknown county '%s' (one of %s)", r->counties[i],
                                    xa_county_names());
            free(r->counties[i]);
            r->counties[i] = xa_strdup(name);
        }
    }
    if (xa_cmd_opt(c, "forms") &&
        xa_draw_list_parse(xa_cmd_opt(c, "forms"), "forms", &r->forms, &r->nforms, &err) != XA_OK)
        return xa_cmd_usage(c, "%s", err.msg);
    if (xa_cmd_opt(c, "inspectors")) {
        if (xa_cmd_flag(c, "all"))
            return xa_cmd_usage(c, "give --inspectors or --all, not both");
        if (xa_draw_list_parse(xa_cmd_opt(c, "inspectors"), "inspectors", &r->inspectors,
                               &r->ninspectors, &err) != XA_OK)
            return xa_cmd_usage(c, "%s", err.msg);
        for (size_t i = 0; i < r->ninspectors; i++) {
            char fp[XA_FP_MAX];
            if (xa_fingerprint_normalize(r->inspectors[i], fp, &err) != XA_OK)
                return xa_cmd_usage(c, "--inspectors: '%s': %s", r->inspectors[i], err.msg);
        }
    }
    int64_t day;
    if (r->due && (xa_date_parse(r->due, &day, &err) != XA_OK || strlen(r->due) != 10))
        return xa_cmd_usage(c, "--due must be a date YYYY-MM-DD, not '%s'", r->due);
    return -1;
}

/* Usage checks of `central draw plan` before the store is opened. */
static int plan_check(struct xa_cmd_ctx *c)
{
    struct xa_draw_request r;
    int rc = request_of(c, &r);
    request_clear(&r);
    return rc;
}

/* A visit kind in the user's language. */
static const char *kind_word(const char *key)
{
    return xa_vocab_label_of(&xa_vocab_kinds, key, !xa_i18n_zh());
}

/* The commitment as people read it out: 4 groups of 4 hex digits. */
static void short_commitment(const char *hex, char out[20])
{
    snprintf(out, 20, "%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8, hex + 12);
}

/* `central draw plan ... -o PLAN.json`: commit to a draw. */
static int plan_exec(struct xa_cmd_ctx *c)
{
    struct xa_draw_request r;
    int rc = request_of(c, &r);
    if (rc >= 0) {
        request_clear(&r);
        return rc;
    }
    struct xa_draw d;
    xa_err err;
    const char *out = xa_cmd_opt(c, "output");
    xa_code code = xa_office_draw_plan(c->store, &r, out, &d, &err);
    request_clear(&r);
    if (code != XA_OK)
        return xa_cli_report(&err);
    size_t positive = 0;
    for (size_t i = 0; i < d.nschools; i++)
        positive += d.p.weights[d.schools[i].tier] > 0;
    char sc[20];
    short_commitment(d.commitment, sc);
    xa_print(_("draw plan %s written to %s\n"), d.id, out);
    xa_print(_("  %s: %lld of %zu schools, teams of %lld from %zu inspectors\n"), kind_word(d.p.kind),
             (long long)d.p.schools, positive, (long long)d.p.team, d.ninsp);
    if (d.p.due)
        xa_print(_("  due by %s\n"), d.p.due);
    xa_print(_("commitment (publish it before the reveal):\n  %s\n  %s\n"), sc, d.commitment);
    xa_print(_("reveal it with: xiaoan central draw reveal %s --beacon TEXT\n"), out);
    xa_draw_clear(&d);
    return XA_EXIT_OK;
}

/* `central draw reveal PLAN.json --beacon TEXT`. */
static int reveal_exec(struct xa_cmd_ctx *c)
{
    struct xa_draw d;
    xa_err err;
    if (xa_office_draw_reveal(c->store, c->argv[0], xa_cmd_opt(c, "beacon"), &d, &err) != XA_OK)
        return xa_cli_report(&err);
    char sc[20];
    short_commitment(d.commitment, sc);
    xa_print(_("revealed draw %s (commitment %s) with the beacon \"%s\"\n"), d.id, sc, d.beacon);
    xa_print(_("randomness %s\n"), d.randomness);
    xa_table *t = xa_table_new(4, (const char *[]){_("no."), _("school"), _("county"), _("team")});
    for (size_t k = 0; k < d.nasg; k++) {
        const struct xa_draw_school *s = &d.schools[d.asg[k].school];
        xa_buf team = XA_BUF_INIT;
        for (size_t m = 0; m < (size_t)d.p.team; m++)
            xa_buf_printf(&team, "%s%s", m ? "、" : "", d.insp[d.asg[k].team[m]].name);
        char no[24], *school = xa_asprintf("%s %s", s->code, s->name);
        snprintf(no, sizeof no, "%zu", k + 1);
        const char *row[] = {no, school, s->county, team.data};
        xa_table_row(t, row);
        free(school);
        xa_buf_clear(&team);
    }
    xa_table_print(t);
    xa_table_free(t);
    xa_print(_("%zu assignments stored; the revealed plan is in %s\n"), d.nasg, c->argv[0]);
    xa_draw_clear(&d);
    return XA_EXIT_OK;
}

/* `draw verify PLAN.json`: recompute everything from the revealed file. */
static int verify_exec(struct xa_cmd_ctx *c)
{
    xa_buf b = XA_BUF_INIT;
    xa_err err;
    struct xa_draw d;
    xa_code code = xa_read_file(c->argv[0], XA_DRAW_FILE_MAX, &b, &err);
    if (code == XA_OK && (code = xa_draw_parse(b.data, b.len, &d, &err)) != XA_OK)
        xa_err_prefix(&err, "%s", c->argv[0]);
    xa_buf_clear(&b);
    if (code != XA_OK)
        return xa_cli_report(&err);
    code = xa_draw_verify(&d, &err);
    if (code == XA_OK) {
        char sc[20];
        short_commitment(d.commitment, sc);
        xa_print(_("passed: commitment %s, beacon \"%s\", %zu assignments\n"), sc, d.beacon,
                 d.nasg);
    } else if (code == XA_EDIFF || code == XA_ESTATE) {
        xa_err_prefix(&err, "verification failed");
    }
    xa_draw_clear(&d);
    return code == XA_OK ? XA_EXIT_OK : xa_cli_report(&err);
}

/* `central assignments [--state open|done|overdue]`. */
static int assignments_exec(struct xa_cmd_ctx *c)
{
    const char *want = xa_cmd_opt(c, "state");
    struct xa_cassign *a = NULL;
    size_t n = 0;
    xa_err err;
    if (xa_cstore_assigns(c->store, NULL, 0, &a, &n, &err) != XA_OK)
        return xa_cli_report(&err);
    int64_t today = xa_today();
    xa_table *t = xa_table_new(7, (const char *[]){_("id"), _("school"), _("county"), _("kind"),
                                                    _("due"), _("team"), _("state")});
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        const char *st = xa_assign_state_on(&a[i], today);
        if (want && strcmp(want, st) != 0)
            continue;
        xa_buf team = XA_BUF_INIT;
        for (size_t m = 0; m < a[i].nteam; m++)
            xa_buf_printf(&team, "%s%s", m ? "、" : "", a[i].team_names[m]);
        char id[9], *school = xa_asprintf("%s %s", a[i].school, a[i].school_name);
        const char *state = xa_i18n_zh() ? xa_assign_state_label(st) : st;
        snprintf(id, sizeof id, "%.8s", a[i].id);
        const char *row[] = {id, school, a[i].county, kind_word(a[i].kind),
                             a[i].due ? a[i].due : "-", team.data ? team.data : "", state};
        xa_table_row(t, row);
        free(school);
        xa_buf_clear(&team);
        shown++;
    }
    if (shown)
        xa_table_print(t);
    else
        xa_print(want ? _("no assignments in state %s\n") : _("no assignments (xiaoan central draw plan)\n"),
                 want);
    xa_table_free(t);
    xa_cassigns_free(a, n);
    return XA_EXIT_OK;
}

/* `central inspector`: a fingerprint, and --county a known county, normalised. */
static int inspector_check(struct xa_cmd_ctx *c)
{
    int rc = xa_cmd_check_fingerprint(c);
    if (rc >= 0)
        return rc;
    const char *name = xa_county_normalise(xa_cmd_opt(c, "county"));
    if (!name) /* bad input, not bad usage (issue 13): exit 1 */
        return xa_cli_error("unknown county '%s' (one of %s)", xa_cmd_opt(c, "county"),
                            xa_county_names());
    xa_cmd_opt_set(c, "county", name);
    return -1;
}

/* `central inspector FP --county C`: record an inspector's home county. */
static int inspector_exec(struct xa_cmd_ctx *c)
{
    char fp[XA_FP_MAX];
    xa_err err;
    xa_fingerprint_normalize(c->argv[0], fp, NULL);
    if (xa_office_inspector_county(c->store, fp, xa_cmd_opt(c, "county"), &err) != XA_OK)
        return xa_cli_report(&err);
    xa_print(_("%s: home county %s\n"), fp, xa_cmd_opt(c, "county"));
    return XA_EXIT_OK;
}

static const struct xa_cmd_opt plan_opts[] = {
    {"schools", 0, "N", N_("how many schools to draw"), XA_OPT_REQUIRED},
    {"county", 0, "C,...", N_("draw only from these counties (default: all)"), 0},
    {"weights", 0, "key=3,weak=2,normal=1",
     N_("weight of each tier, 0..1000 (the Chinese tier names are accepted too)"), 0},
    {"boost-unvisited", 0, "DAYS",
     N_("double the weight of schools not visited for DAYS days (or never)"), 0},
    {"kind", 0, "random|cross|special",
     N_("random supervision, cross-check (nobody inspects their own county) or special "
     "inspection (default random)"),
     XA_OPT_CHOICE},
    {"forms", 0, "ID,...", N_("the focus checklists the visits start with"), 0},
    {"team", 0, "K", N_("inspectors per school (default 1)"), 0},
    {"inspectors", 0, "FP,...", N_("the inspectors to draw teams from"), 0},
    {"all", 0, NULL, N_("every active inspector (the default)"), 0},
    {"due", 0, "DATE", N_("the date the visits are due by (YYYY-MM-DD)"), 0},
    {"output", 'o', "PLAN.json", N_("the plan file to write (never written over; 0600)"),
     XA_OPT_REQUIRED},
    {0},
};

static const struct xa_cmd_opt reveal_opts[] = {
    {"beacon", 0, "TEXT",
     N_("the public value nobody knew at commit time, e.g. a named lottery draw's numbers"),
     XA_OPT_REQUIRED},
    {0},
};

static const struct xa_cmd_opt assignments_opts[] = {
    {"state", 0, "open|done|overdue", N_("only assignments in this state"), XA_OPT_CHOICE},
    {0},
};

static const struct xa_cmd_opt inspector_opts[] = {
    {"county", 0, "C", N_("the inspector's home county"), XA_OPT_REQUIRED},
    {0},
};

const struct xa_cmd_entry cmd_draw_entries[] = {
    {.name = "central draw plan",
     .help = N_("commit to a random draw of schools; prints the commitment to publish"),
     .opts = plan_opts,
     .needs = XA_NEED_STORE,
     .check = plan_check,
     .exec = plan_exec},
    {.name = "central draw reveal",
     .args = "PLAN.json",
     .min_args = 1,
     .max_args = 1,
     .help = N_("reveal a committed draw with a public beacon: the assignments go into the store"),
     .opts = reveal_opts,
     .needs = XA_NEED_STORE,
     .exec = reveal_exec},
    {.name = "draw verify",
     .args = "PLAN.json",
     .min_args = 1,
     .max_args = 1,
     .help = N_("check a revealed draw from the file alone (no store, no key): passed or the first "
             "difference"),
     .exec = verify_exec},
    {.name = "central assignments",
     .help = N_("list the assignments of the draws"),
     .opts = assignments_opts,
     .needs = XA_NEED_STORE,
     .exec = assignments_exec},
    {.name = "central inspector",
     .args = "FINGERPRINT",
     .min_args = 1,
     .max_args = 1,
     .help = N_("record an inspector's home county (cross-checks never send anyone to their own)"),
     .opts = inspector_opts,
     .needs = XA_NEED_STORE,
     .check = inspector_check,
     .exec = inspector_exec},
    {0},
};
