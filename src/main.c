/* main.c — the program's entry: the locale, libsodium, then the command
 * entries of src/cmd (xa_cmd_table) through the one parser. */
#include "xiaoan/cli.h"
#include "xiaoan/cmd.h"
#include "xiaoan/i18n.h"
#include "xiaoan/utf8.h"

#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The value of a --lang option anywhere on the line (the command's own
 * parser sees it too), or NULL: messages from the first line on follow it. */
static const char *lang_option(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--lang") && i + 1 < argc)
            return argv[i + 1];
        if (!strncmp(argv[i], "--lang=", 7))
            return argv[i] + 7;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    xa_utf8_ambiguous_from_locale();
    xa_i18n_init(lang_option(argc, argv));
    if (sodium_init() < 0) {
        fputs("xiaoan: cannot initialise libsodium\n", stderr);
        return XA_EXIT_FAIL;
    }
    return xa_cmd_main(xa_cmd_table, argc, argv);
}
