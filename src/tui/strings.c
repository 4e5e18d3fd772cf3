/* strings.c — T(id): the UI strings of tui_strings.h in the chosen language. */
#include "tui_int.h"

int tui_lang_en;

#define TUI_S_ROW_(id, zh, en) {zh, en},
static const char *const table[][2] = {TUI_STRINGS(TUI_S_ROW_)};
#undef TUI_S_ROW_

const char *T(enum tui_str id)
{
    if ((int)id < 0 || id >= S__COUNT)
        return "?";
    return table[id][tui_lang_en ? 1 : 0];
}

const char *tui_pick(const char *zh, const char *en)
{
    if (tui_lang_en && en && *en)
        return en;
    return zh ? zh : "";
}
