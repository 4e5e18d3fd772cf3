/* cmd.h — the subcommands, one function each, defined in src/cmd/ (and
 * src/main.c for help).  Each takes argv with argv[0] = its last name word
 * and returns the exit code. */
#ifndef XIAOAN_CMD_H
#define XIAOAN_CMD_H

int cmd_help(int argc, char **argv);

/* src/cmd/forms.c */
int cmd_forms_check(int argc, char **argv);
int cmd_roster_check(int argc, char **argv);

#endif
