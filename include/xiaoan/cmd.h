/* cmd.h — the subcommands, one function each, defined in src/cmd/ (and
 * src/main.c for help).  Each takes argv with argv[0] = its last name word
 * and returns the exit code. */
#ifndef XIAOAN_CMD_H
#define XIAOAN_CMD_H

int cmd_help(int argc, char **argv);

/* src/cmd/field.c */
int cmd_init(int argc, char **argv);
int cmd_id(int argc, char **argv);
int cmd_passwd(int argc, char **argv);
int cmd_visits(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* src/cmd/tui.c */
int cmd_tui(int argc, char **argv);

/* src/cmd/forms.c */
int cmd_forms_check(int argc, char **argv);
int cmd_roster_check(int argc, char **argv);

/* src/cmd/central.c */
int cmd_central_init(int argc, char **argv);
int cmd_central_id(int argc, char **argv);
int cmd_central_export_identity(int argc, char **argv);
int cmd_central_enroll(int argc, char **argv);
int cmd_central_revoke(int argc, char **argv);
int cmd_central_inspectors(int argc, char **argv);
int cmd_central_schools_import(int argc, char **argv);
int cmd_central_schools(int argc, char **argv);
int cmd_central_forms_import(int argc, char **argv);
int cmd_central_forms(int argc, char **argv);
int cmd_central_settings(int argc, char **argv);
int cmd_central_ledger(int argc, char **argv);
int cmd_central_report(int argc, char **argv);
int cmd_central_visits(int argc, char **argv);
int cmd_central_visit(int argc, char **argv);
int cmd_central_brief(int argc, char **argv);
int cmd_central_merge(int argc, char **argv);

/* src/cmd/draw.c */
int cmd_central_draw_plan(int argc, char **argv);
int cmd_central_draw_reveal(int argc, char **argv);
int cmd_draw_verify(int argc, char **argv);
int cmd_central_assignments(int argc, char **argv);
int cmd_central_inspector(int argc, char **argv);

/* src/cmd/briefimport.c */
int cmd_brief_import(int argc, char **argv);

/* src/cmd/demo.c */
int cmd_demo(int argc, char **argv);

#endif
