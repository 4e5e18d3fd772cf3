/* quarantine.c (cmd) — `central quarantine [--purge-older DAYS]`: the files
 * the merge refused (or kept for an anomaly), with the reason, when they came
 * and how much of each is kept; --purge-older removes those older than DAYS
 * days (src/central/quarantine.c does the work). */
#include "xiaoan/central.h"
#include "xiaoan/cli.h"
#include "xiaoan/clock.h"
#include "xiaoan/cmd.h"
#include "xiaoan/i18n.h"
#include "xiaoan/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* DAYS as a number 0..XA_QUARANTINE_DAYS_MAX, or -1. */
static int64_t days_of(const char *s)
{
    if (!s || !*s || strlen(s) > 6)
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    long long d = strtoll(s, NULL, 10);
    return d <= XA_QUARANTINE_DAYS_MAX ? (int64_t)d : -1;
}

/* --purge-older must be a whole number of days (a usage error otherwise). */
static int quarantine_check(struct xa_cmd_ctx *c)
{
    const char *v = xa_cmd_opt(c, "purge-older");
    if (v && days_of(v) < 0)
        return xa_cmd_usage(c, "--purge-older wants a whole number of days from 0 to %d, not '%s'",
                            XA_QUARANTINE_DAYS_MAX, v);
    return -1;
}

/* "12 B", "3.4 KiB", "16.0 MiB" into out. */
static void size_text(uint64_t n, char out[32])
{
    if (n < 1024)
        snprintf(out, 32, "%llu B", (unsigned long long)n);
    else if (n < 1024 * 1024)
        snprintf(out, 32, "%.1f KiB", (double)n / 1024);
    else
        snprintf(out, 32, "%.1f MiB", (double)n / (1024 * 1024));
}

/* "2026-11-03 09:12" of an RFC 3339 time (as it was recorded). */
static void minute_of(const char *t, char out[XA_RFC3339_MAX])
{
    snprintf(out, XA_RFC3339_MAX, "%s", t ? t : "");
    if (strlen(out) >= 16 && out[10] == 'T') {
        out[10] = ' ';
        out[16] = '\0';
    }
}

/* Remove what is older than DAYS days; one line saying what went. */
static int purge(struct xa_cmd_ctx *c, int64_t days)
{
    xa_err err;
    struct xa_quarantine_purged res;
    int64_t now = xa_now();
    if (xa_quarantine_purge(c->store, days, now, &res, &err) != XA_OK)
        return xa_cli_report(&err);
    char before[XA_RFC3339_MAX], when[XA_RFC3339_MAX], sz[32];
    xa_time_format(now - days * 86400, XA_CST_OFFSET, before);
    minute_of(before, when);
    size_text(res.bytes, sz);
    if (!res.rows)
        xa_print(_("nothing in quarantine was received before %s\n"), when);
    else
        xa_print(_("purged %zu quarantined file(s) received before %s: %zu copies removed (%s)\n"),
                 res.rows, when, res.files, sz);
    return XA_EXIT_OK;
}

/* `central quarantine [--purge-older DAYS]`. */
static int quarantine_exec(struct xa_cmd_ctx *c)
{
    const char *v = xa_cmd_opt(c, "purge-older");
    if (v)
        return purge(c, days_of(v));
    xa_err err;
    struct xa_quarantine_item *q = NULL;
    size_t n = 0;
    if (xa_quarantine_list(c->store, &q, &n, &err) != XA_OK)
        return xa_cli_report(&err);
    if (!n) {
        xa_print("%s\n", _("nothing in quarantine"));
        return XA_EXIT_OK;
    }
    xa_table *t = xa_table_new(5, (const char *[]){"收到 received", "文件 file", "保留 kept",
                                                    "哈希 hash", "原因 reason"});
    xa_table_col(t, 2, 1, 0);
    xa_table_col(t, 1, 0, 40);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        char when[XA_RFC3339_MAX], sz[32];
        minute_of(q[i].received, when);
        xa_table_add(t, when);
        xa_table_add(t, q[i].file);
        if (q[i].size >= 0) {
            size_text((uint64_t)q[i].size, sz);
            total += (uint64_t)q[i].size;
        } else {
            snprintf(sz, sizeof sz, "-");
        }
        xa_table_add(t, sz);
        xa_table_addf(t, "%.16s", *q[i].hash ? q[i].hash : "-");
        xa_table_add(t, q[i].reason);
    }
    xa_table_print(t);
    xa_table_free(t);
    char sz[32];
    size_text(total, sz);
    char *dir = xa_cstore_quarantine_dir(c->store);
    xa_print(_("%zu file(s) in quarantine, %s kept in %s\n"), n, sz, dir);
    free(dir);
    xa_quarantine_items_free(q, n);
    return XA_EXIT_OK;
}

static const struct xa_cmd_opt quarantine_opts[] = {
    {"purge-older", 0, "DAYS", N_("remove the files received more than DAYS days ago"), 0},
    {0},
};

const struct xa_cmd_entry cmd_quarantine_entries[] = {
    {.name = "central quarantine",
     .help = N_("list the bundles the merge kept in quarantine (reason, time, size), or purge old"
             " ones"),
     .opts = quarantine_opts,
     .needs = XA_NEED_STORE,
     .check = quarantine_check,
     .exec = quarantine_exec},
    {0},
};
