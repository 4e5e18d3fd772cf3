/* strings.c — T(id): the UI strings of tui_strings.h in the chosen language. */
#include "tui_int.h"

#include <string.h>

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

/* The visit kinds in the order the start screen offers them. */
const char *const tui_kinds[TUI_NKINDS] = {"four-not-two-direct", "random", "special", "follow-up",
                                           "self", "cross", "joint", "third-party"};
static const enum tui_str kind_str[TUI_NKINDS] = {S_K_4N2D, S_K_RANDOM, S_K_SPECIAL, S_K_FOLLOWUP,
                                                  S_K_SELF, S_K_CROSS, S_K_JOINT, S_K_THIRD};

const char *tui_kind_label(const char *kind)
{
    for (int i = 0; i < TUI_NKINDS; i++)
        if (kind && !strcmp(kind, tui_kinds[i]))
            return T(kind_str[i]);
    return kind ? kind : "";
}
