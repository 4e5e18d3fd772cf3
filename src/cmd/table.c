/* table.c (cmd) — the list of command entry arrays, in the order
 * `xiaoan --help` shows them.  A new file of commands adds its array here
 * (and its extern in include/xiaoan/cmd.h). */
#include "xiaoan/cmd.h"

#include <stddef.h>

const struct xa_cmd_entry *const xa_cmd_table[] = {
    cmd_help_entries,  cmd_field_entries,   cmd_attach_entries, cmd_tui_entries,
    cmd_forms_entries, cmd_demo_entries,    cmd_brief_entries,  cmd_central_entries,
    cmd_quarantine_entries, cmd_loop_entries, cmd_draw_entries, NULL,
};
