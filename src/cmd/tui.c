/* tui.c (cmd) — `xiaoan` with no command, `xiaoan tui`: the entry that
 * opens the terminal UI (src/tui) on the resolved home. */
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/i18n.h"
#include "xiaoan/tui.h"

/* `xiaoan [tui] [--lang zh|en] [--thin]`: the TUI asks for the passphrase itself (its unlock
 * screen) unless a passphrase file is given. */
static int tui_exec(struct xa_cmd_ctx *c)
{
    if (xa_cmd_flag(c, "thin"))
        xa_tui_thin_link(1);
    return xa_tui_run(c->home, c->passfile, xa_cmd_opt(c, "lang"));
}

static const struct xa_cmd_opt tui_opts[] = {
    {"lang", 0, "zh|en", N_("the language of the screens (default $XIAOAN_LANG, else zh)"),
     XA_OPT_CHOICE},
    {"thin", 0, NULL,
     N_("thin-link mode for slow links: lists mark the row with '>' instead of reverse video and "
        "turn whole pages, details show when the cursor rests (also XIAOAN_THIN=1)"),
     0},
    {0},
};

const struct xa_cmd_entry cmd_tui_entries[] = {
    {.name = "tui",
     .help = N_("open the inspector's terminal UI (also: xiaoan with no command)"),
     .opts = tui_opts,
     .needs = XA_NEED_HOME | XA_NEED_PASSFILE,
     .exec = tui_exec},
    {0},
};
