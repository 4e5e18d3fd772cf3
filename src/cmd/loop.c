/* loop.c (cmd) — the office's commands of the rectification loop: `central
 * notice` (整改通知书, PDF or text, --reprint), `central reply`, `central
 * recheck`, `central signoff` (销号), `central extend` (延期), `central
 * escalate` (督办 / 挂牌督办) and `central hazard` (one hazard's story).
 * They parse, call src/central (notice.c, hazard_act.c, hazard_story.c:
 * the rules and the audited transactions live there) and print. */
#include "xiaoan/central.h"
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- central notice ------------------------------------------------------------------ */

/* Exactly one of --visit, --school, --reprint; pdf needs -o. */
static int notice_check(struct xa_cmd_ctx *c)
{
    int n = !!xa_cmd_opt(c, "visit") + !!xa_cmd_opt(c, "school") + !!xa_cmd_opt(c, "reprint");
    if (n != 1)
        return xa_cmd_usage(c, "give one of --visit VISIT, --school CODE or --reprint NUMBER");
    const char *format = xa_cmd_opt(c, "format");
    if (format && !strcmp(format, "pdf") && !xa_cmd_opt(c, "output"))
        return xa_cmd_usage(c, "--format pdf needs -o FILE");
    return -1;
}

/* The format: as given, else pdf when writing a file, text to the terminal. */
static xa_notice_format notice_format(struct xa_cmd_ctx *c)
{
    const char *format = xa_cmd_opt(c, "format");
    if (format)
        return !strcmp(format, "pdf") ? XA_NOTICE_PDF : XA_NOTICE_TEXT;
    return xa_cmd_opt(c, "output") ? XA_NOTICE_PDF : XA_NOTICE_TEXT;
}

static int notice_exec(struct xa_cmd_ctx *c)
{
    int refused = xa_cmd_output_ok(c);
    if (refused >= 0)
        return refused;
    const char *output = xa_cmd_opt(c, "output"), *reprint = xa_cmd_opt(c, "reprint");
    xa_notice_format fmt = notice_format(c);
    xa_err err;
    xa_buf out = XA_BUF_INIT;
    xa_code code;
    struct xa_notice_issued done = {0};
    if (reprint) {
        code = xa_notice_reprint(c->store, reprint, fmt, output, xa_cmd_output_flags(c), &out, &err);
    } else {
        struct xa_notice_req q = {.visit = xa_cmd_opt(c, "visit"),
                                  .school = xa_cmd_opt(c, "school"),
                                  .today = xa_today(),
                                  .format = fmt,
                                  .path = output,
                                  .flags = xa_cmd_output_flags(c)};
        code = xa_notice_issue(c->store, &q, &out, &done, &err);
    }
    if (code != XA_OK) {
        xa_buf_clear(&out);
        return xa_cli_report(&err);
    }
    if (!output)
        xa_print_data(out.data, out.len);
    else if (reprint)
        xa_print(_("%s: notice %s printed again\n"), output, reprint);
    else
        xa_print(_("%s: notice %s: hazards %zu, major %zu\n"), output, done.number, done.hazards,
                 done.majors);
    xa_buf_clear(&out);
    xa_notice_issued_clear(&done);
    return XA_EXIT_OK;
}

/* ---- the actions ------------------------------------------------------------------------ */

/* Record one action on the operands and print each hazard as it is now. */
static int act(struct xa_cmd_ctx *c, const struct xa_act *a)
{
    xa_err err;
    struct xa_act_done *d = NULL;
    size_t n = 0;
    xa_code code = xa_hazard_act(c->store, (const char *const *)c->argv, (size_t)c->argc, a,
                                 xa_today(), &d, &n, &err);
    if (code != XA_OK)
        return xa_cli_report(&err);
    int en = !xa_i18n_zh();
    for (size_t i = 0; i < n; i++) {
        xa_print("%s  %s", d[i].number,
                 xa_vocab_label_of(&xa_vocab_hstates, d[i].state, en));
        if (d[i].overdue > 0)
            xa_print(_("  overdue %lld days"), (long long)d[i].overdue);
        if (*d[i].deadline && strcmp(d[i].state, XA_HSTATE_CLOSED) != 0)
            xa_print(_("  deadline %s"), d[i].deadline);
        if (d[i].escalation)
            xa_print("  %s", xa_vocab_label(&xa_vocab_escalations, d[i].escalation, en));
        putchar('\n');
    }
    xa_act_done_free(d, n);
    return XA_EXIT_OK;
}

static int reply_exec(struct xa_cmd_ctx *c)
{
    struct xa_act a = {.kind = XA_ACT_REPLY,
                       .date = xa_cmd_opt(c, "date"),
                       .note = xa_cmd_opt(c, "note")};
    return act(c, &a);
}

/* --verdict must be a verdict the office records (usage error otherwise). */
static int recheck_check(struct xa_cmd_ctx *c)
{
    const char *key;
    xa_err err;
    if (xa_act_verdict(xa_cmd_opt(c, "verdict"), &key, &err) != XA_OK)
        return xa_cmd_usage(c, "--verdict must be rectified, partly or not, not '%s'",
                            xa_cmd_opt(c, "verdict"));
    return -1;
}

static int recheck_exec(struct xa_cmd_ctx *c)
{
    const char *key = NULL;
    xa_act_verdict(xa_cmd_opt(c, "verdict"), &key, NULL);
    struct xa_act a = {.kind = XA_ACT_RECHECK,
                       .verdict = key,
                       .date = xa_cmd_opt(c, "deadline"),
                       .by = xa_cmd_opt(c, "by"),
                       .note = xa_cmd_opt(c, "note")};
    return act(c, &a);
}

static int signoff_exec(struct xa_cmd_ctx *c)
{
    struct xa_act a = {.kind = XA_ACT_SIGNOFF,
                       .by = xa_cmd_opt(c, "by"),
                       .note = xa_cmd_opt(c, "note")};
    return act(c, &a);
}

static int extend_exec(struct xa_cmd_ctx *c)
{
    struct xa_act a = {.kind = XA_ACT_EXTEND,
                       .date = xa_cmd_opt(c, "to"),
                       .note = xa_cmd_opt(c, "reason")};
    return act(c, &a);
}

static int escalate_exec(struct xa_cmd_ctx *c)
{
    struct xa_act a = {.kind = XA_ACT_ESCALATE,
                       .level = atoi(xa_cmd_opt(c, "level")),
                       .note = xa_cmd_opt(c, "note")};
    return act(c, &a);
}

/* ---- central hazard -------------------------------------------------------------------- */

static int hazard_exec(struct xa_cmd_ctx *c)
{
    const char *format = xa_cmd_opt(c, "format");
    xa_err err;
    xa_buf out = XA_BUF_INIT;
    xa_code code = xa_hazard_story(c->store, c->argv[0], format && !strcmp(format, "json"),
                                   xa_today(), &out, &err);
    if (code != XA_OK) {
        xa_buf_clear(&out);
        return xa_cli_report(&err);
    }
    xa_print_data(out.data, out.len);
    xa_buf_clear(&out);
    return XA_EXIT_OK;
}

/* ---- entries ------------------------------------------------------------------------------ */

static const struct xa_cmd_opt notice_opts[] = {
    {"visit", 0, "VISIT", N_("the open hazards of this visit (id or unique prefix)"), 0},
    {"school", 0, "CODE", N_("the open hazards of this school that are on no notice yet"), 0},
    {"reprint", 0, "NUMBER", N_("print an issued notice again, unchanged (its number or YEAR-N)"),
     0},
    {"output", 'o', "FILE", N_("write the notice to FILE (PDF unless --format text)"), 0},
    {"force", 0, NULL, N_("write over an existing FILE"), 0},
    {"format", 0, "pdf|text", N_("pdf (default with -o) or text (default without)"), XA_OPT_CHOICE},
    {0},
};
static const struct xa_cmd_opt reply_opts[] = {
    {"date", 0, "DATE", N_("the day the school's rectification report arrived (YYYY-MM-DD)"), XA_OPT_REQUIRED},
    {"note", 0, "TEXT", N_("what the report says"), 0},
    {0},
};
static const struct xa_cmd_opt recheck_opts[] = {
    {"verdict", 0, "rectified|partly|not", N_("what the re-check on documents found"),
     XA_OPT_REQUIRED},
    {"by", 0, "NAME", N_("who re-checked (default: the office's name)"), 0},
    {"note", 0, "TEXT", N_("what was seen"), 0},
    {"deadline", 0, "DATE", N_("partly / not: the new deadline"), 0},
    {0},
};
static const struct xa_cmd_opt signoff_opts[] = {
    {"by", 0, "NAME", N_("who signs the hazards off"), XA_OPT_REQUIRED},
    {"note", 0, "TEXT", N_("a remark kept with the sign-off"), 0},
    {0},
};
static const struct xa_cmd_opt extend_opts[] = {
    {"to", 0, "DATE", N_("the new deadline (after the current one)"), XA_OPT_REQUIRED},
    {"reason", 0, "TEXT", N_("why the school gets more time"), XA_OPT_REQUIRED},
    {0},
};
static const struct xa_cmd_opt escalate_opts[] = {
    {"level", 0, "1|2", N_("1 supervised, 2 listed for supervision"), XA_OPT_REQUIRED | XA_OPT_CHOICE},
    {"note", 0, "TEXT", N_("the reason or the instruction"), 0},
    {0},
};
static const struct xa_cmd_opt hazard_opts[] = {
    {"format", 0, "text|json", N_("the output format (default text)"), XA_OPT_CHOICE},
    {0},
};

const struct xa_cmd_entry cmd_loop_entries[] = {
    {.name = "central notice",
     .help = N_("issue a rectification notice for a visit's or a school's open hazards (or print one again)"),
     .opts = notice_opts,
     .needs = XA_NEED_STORE,
     .check = notice_check,
     .exec = notice_exec},
    {.name = "central reply",
     .args = "HAZARD...",
     .min_args = 1,
     .max_args = -1,
     .help = N_("record that the school's rectification report arrived"),
     .opts = reply_opts,
     .needs = XA_NEED_STORE,
     .exec = reply_exec},
    {.name = "central recheck",
     .args = "HAZARD",
     .min_args = 1,
     .max_args = 1,
     .help = N_("record a re-check on documents at the office"),
     .opts = recheck_opts,
     .needs = XA_NEED_STORE,
     .check = recheck_check,
     .exec = recheck_exec},
    {.name = "central signoff",
     .args = "HAZARD...",
     .min_args = 1,
     .max_args = -1,
     .help = N_("sign off (close) rechecked hazards (all of them or none)"),
     .opts = signoff_opts,
     .needs = XA_NEED_STORE,
     .exec = signoff_exec},
    {.name = "central extend",
     .args = "HAZARD",
     .min_args = 1,
     .max_args = 1,
     .help = N_("extend: give a hazard a later deadline (the history is kept)"),
     .opts = extend_opts,
     .needs = XA_NEED_STORE,
     .exec = extend_exec},
    {.name = "central escalate",
     .args = "HAZARD",
     .min_args = 1,
     .max_args = 1,
     .help = N_("put a hazard under supervision (1) or list it for supervision (2)"),
     .opts = escalate_opts,
     .needs = XA_NEED_STORE,
     .exec = escalate_exec},
    {.name = "central hazard",
     .args = "HAZARD",
     .min_args = 1,
     .max_args = 1,
     .help = N_("one hazard's whole story: finding, notice, reply, re-checks, sign-off"),
     .opts = hazard_opts,
     .needs = XA_NEED_STORE,
     .exec = hazard_exec},
    {0},
};
