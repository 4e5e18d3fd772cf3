/* tui.c (cmd) — `xiaoan` with no command, `xiaoan tui`: parse the options
 * and open the terminal UI (src/tui). */
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/tui.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define OPT_HOME 0x2001
#define OPT_PASSFILE 0x2002
#define OPT_LANG 0x2003

/* `xiaoan [tui] [--home DIR] [--passphrase-file FILE] [--lang zh|en]`. */
int cmd_tui(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"home", required_argument, NULL, OPT_HOME},
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    const char *home = NULL, *passfile = NULL, *lang = NULL;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case OPT_HOME:
            home = optarg;
            break;
        case OPT_PASSFILE:
            passfile = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            if (strcmp(lang, "zh") && strcmp(lang, "en"))
                return xa_cli_usage("--lang takes zh or en, not '%s'", lang);
            break;
        default:
            return xa_cli_bad_option(ch, argv[optind - 1], NULL, NULL);
        }
    }
    if (optind < argc)
        return xa_cli_usage("unknown command '%s' (see xiaoan --help)", argv[optind]);
    if (!passfile)
        passfile = getenv("XIAOAN_PASSPHRASE_FILE");
    return xa_tui_run(home, passfile, lang);
}
