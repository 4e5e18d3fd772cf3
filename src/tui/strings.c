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

/* A word of the domain vocabulary (vocab.h) in the UI language. */
const char *tui_word(const xa_vocab *v, int id)
{
    return xa_vocab_label(v, id, tui_lang_en);
}

/* The same for a key as records carry it (an unknown key shows as itself). */
const char *tui_word_of(const xa_vocab *v, const char *key)
{
    return xa_vocab_label_of(v, key, tui_lang_en);
}
