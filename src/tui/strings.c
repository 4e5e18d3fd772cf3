/* strings.c — T(id): the UI strings of tui_strings.h in the chosen language.
 * The English is the table's; the Chinese comes from the gettext catalog
 * (po/zh_CN.po), looked up once per string and kept, so the L key can switch
 * languages on every frame without asking gettext again. */
#include "tui_int.h"

#include "xiaoan/i18n.h"

#include <string.h>

int tui_lang_en;

#define TUI_S_ROW_(id, en) en,
static const char *const table_en[] = {TUI_STRINGS(TUI_S_ROW_)};
#undef TUI_S_ROW_

/* The translations, filled on first use (pointers into the loaded catalog). */
static const char *table_zh[S__COUNT];

const char *T(enum tui_str id)
{
    if ((int)id < 0 || id >= S__COUNT)
        return "?";
    if (tui_lang_en)
        return table_en[id];
    if (!table_zh[id])
        table_zh[id] = xa_tr_zh(table_en[id]);
    return table_zh[id];
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
