/* actions.c — the one table of actions and their keys (TUI_ACTIONS in
 * tui_int.h).  Key lookup, the status-line hints and the help overlay are
 * all generated from it, so the help can never disagree with the keys. */
#include "tui_int.h"

#include "xiaoan/utf8.h"

#include <stdio.h>
#include <string.h>

struct action_row {
    unsigned screens;
    int hint;
    int keys[3];
    enum tui_str label;
};

#define TUI_A_ROW_(id, scr, hint, k1, k2, k3, label) {(unsigned)(scr), hint, {k1, k2, k3}, label},
static const struct action_row rows[] = {TUI_ACTIONS(TUI_A_ROW_)};
#undef TUI_A_ROW_

/* The label of an action: its string, or for an action that gives an
 * answer or a verdict (S_A_WORD), that word as vocab.h has it. */
static const char *label_of(int a)
{
    switch ((enum tui_action)a) {
    case ACT_PASS: return tui_word(&xa_vocab_results, XA_RESULT_PASS);
    case ACT_HAZARD: return tui_word(&xa_vocab_results, XA_RESULT_HAZARD);
    case ACT_NA: return tui_word(&xa_vocab_results, XA_RESULT_NA);
    case ACT_V1: return tui_word(&xa_vocab_verdicts, XA_VERDICT_RECTIFIED);
    case ACT_V2: return tui_word(&xa_vocab_verdicts, XA_VERDICT_PARTLY);
    case ACT_V3: return tui_word(&xa_vocab_verdicts, XA_VERDICT_NOT);
    case ACT_V4: return tui_word(&xa_vocab_verdicts, XA_VERDICT_UNABLE);
    default: return T(rows[a].label);
    }
}

enum tui_action tui_action_for(enum scr_id s, const struct tui_key *k)
{
    for (int a = 0; a < ACT__COUNT; a++) {
        if (!(rows[a].screens & SCR_BIT(s)))
            continue;
        for (int i = 0; i < 3; i++)
            if (rows[a].keys[i] && rows[a].keys[i] == k->code)
                return (enum tui_action)a;
    }
    return ACT_NONE;
}

/* A key's readable name. */
static const char *key_label(int code, char *buf, size_t size)
{
    if (code & KF) {
        int k = code & ~KF;
        if (k >= KEY_F(1) && k <= KEY_F(12)) {
            snprintf(buf, size, "F%d", k - KEY_F(0));
            return buf;
        }
        switch (k) {
        case KEY_UP: return tui_utf8 ? "↑" : "Up";
        case KEY_DOWN: return tui_utf8 ? "↓" : "Down";
        case KEY_LEFT: return tui_utf8 ? "←" : "Left";
        case KEY_RIGHT: return tui_utf8 ? "→" : "Right";
        case KEY_PPAGE: return "PgUp";
        case KEY_NPAGE: return "PgDn";
        case KEY_HOME: return "Home";
        case KEY_END: return "End";
        case KEY_ENTER: return "Enter";
        case KEY_BTAB: return "Shift-Tab";
        case KEY_BACKSPACE: return "Backspace";
        case KEY_DC: return "Del";
        default: snprintf(buf, size, "key%d", k); return buf;
        }
    }
    switch (code) {
    case '\r': return "Enter";
    case '\t': return "Tab";
    case ' ': return tui_lang_en ? "Space" : "空格";
    case KESC: return "Esc";
    case 127: return "Backspace";
    default: break;
    }
    if (code > 0 && code < 32) {
        snprintf(buf, size, "Ctrl-%c", code + '@');
        return buf;
    }
    snprintf(buf, size, "%c", code);
    return buf;
}

/* Is the key a plain character (it types when text has the focus)? */
static int is_char_key(int code)
{
    return !(code & KF) && code >= 32 && code != 127;
}

/* The first key of an action that works while typing (or any key when not). */
static int usable_key(enum tui_action a, int text_entry)
{
    for (int i = 0; i < 3 && rows[a].keys[i]; i++)
        if (!text_entry || !is_char_key(rows[a].keys[i]))
            return rows[a].keys[i];
    return 0;
}

/* Is the key a function key (F1–F12)? */
static int is_fkey(int code)
{
    return (code & KF) && (code & ~KF) >= KEY_F(1) && (code & ~KF) <= KEY_F(12);
}

/* The keys a hint shows: the first usable key, and when that is an F-key
 * its twin that is no F-key as well ("F2/^S", "F8/d"), because a terminal
 * whose TERM does not match may send F-keys nobody can read (other curses
 * key codes depend on terminfo too, so the twin is a character or a
 * control key).  "" when none. */
static const char *hint_keys(enum tui_action a, int text_entry, int twin, char *buf, size_t size)
{
    int key = usable_key(a, text_entry);
    buf[0] = '\0';
    if (!key)
        return buf;
    char one[32];
    snprintf(buf, size, "%s", key_label(key, one, sizeof one));
    if (!twin || !is_fkey(key))
        return buf;
    for (int i = 0; i < 3 && rows[a].keys[i]; i++) {
        int k = rows[a].keys[i];
        if ((k & KF) || k == KESC || k == '\r' || k == '\t' || k == 127 ||
            (text_entry && is_char_key(k)))
            continue;
        size_t len = strlen(buf);
        if (k < 32)
            snprintf(buf + len, size - len, "/^%c", k + '@');
        else
            snprintf(buf + len, size - len, "/%s", key_label(k, one, sizeof one));
        break;
    }
    return buf;
}

/* Columns of one hint "KEY label" and its gap (0: no usable key); twin: with
 * the F-key's twin. */
static int hint_width(enum tui_action a, int text_entry, int twin)
{
    char keys[48];
    if (!*hint_keys(a, text_entry, twin, keys, sizeof keys))
        return 0;
    return (int)xa_utf8_width(keys) + 1 + (int)xa_utf8_width(label_of(a)) + 2;
}

/* One hint "KEY label" at x; returns the columns used (0 when it does not fit). */
static int hint(WINDOW *w, int y, int x, int room, enum tui_action a, int text_entry, int twin)
{
    int need = hint_width(a, text_entry, twin);
    if (!need || need > room)
        return 0;
    char keys[48];
    const char *kn = hint_keys(a, text_entry, twin, keys, sizeof keys);
    const char *label = label_of(a);
    int used = tui_put(w, y, x, kn, room, tui_attr(ROLE_KEY));
    used += tui_put(w, y, x + used, " ", room - used, tui_attr(ROLE_STATUS));
    used += tui_put(w, y, x + used, label, room - used, tui_attr(ROLE_STATUS));
    return used + 2;
}

/* Is the action one the hints of every screen end with (help, back, quit)? */
static int is_global(int a)
{
    return rows[a].screens == SCR_ALL || a == ACT_BACK || a == ACT_EXIT || a == ACT_EXIT_HOME;
}

_Static_assert(ACT__COUNT <= 64, "tui_draw_hints' masks hold one bit per action");

void tui_draw_hints(WINDOW *w, int y, int x, int cols, enum scr_id s, int text_entry,
                    uint64_t hide, uint64_t offer)
{
    /* Help and back/quit always show, at the right; the screen's own
     * actions fill the rest in table order. */
    int gw = 0, ga[4], ng = 0;
    for (int a = 0; a < ACT__COUNT && ng < 4; a++)
        if (rows[a].hint && (rows[a].screens & SCR_BIT(s)) && is_global(a) && !(hide & ACT_BIT(a)) &&
            hint_width((enum tui_action)a, text_entry, 1)) {
            gw += hint_width((enum tui_action)a, text_entry, 1);
            ga[ng++] = a;
        }
    /* Which of the screen's own hints fit: those marked 1 first, then
     * those marked 2 while there is room (an F-key's twin left out when
     * only that makes it fit: show 2); drawn in table order. */
    int show[ACT__COUNT] = {0}, room = cols - gw, need = 0;
    for (int pri = 1; pri <= 2; pri++)
        for (int a = 0; a < ACT__COUNT; a++) {
            /* Enter toggles a checkbox, but in a text field it moves on. */
            int level = (offer & ACT_BIT(a)) ? 1 : rows[a].hint;
            if (level != pri || !(rows[a].screens & SCR_BIT(s)) || is_global(a) ||
                (hide & ACT_BIT(a)) || (text_entry && a == ACT_TOGGLE))
                continue;
            int w1 = hint_width((enum tui_action)a, text_entry, 1);
            int w2 = hint_width((enum tui_action)a, text_entry, 0);
            if (w1 && need + w1 <= room) {
                show[a] = 1;
                need += w1;
            } else if (w2 && need + w2 <= room) {
                show[a] = 2;
                need += w2;
            }
        }
    int used = 0;
    for (int a = 0; a < ACT__COUNT; a++)
        if (show[a])
            used += hint(w, y, x + used, room - used, (enum tui_action)a, text_entry, show[a] == 1);
    int gx = x + (used < room ? room : used);
    for (int i = 0; i < ng; i++)
        gx += hint(w, y, gx, x + cols - gx, (enum tui_action)ga[i], text_entry, 1);
}

/* One help row: keys, then the label. */
static int help_row(WINDOW *w, int y, int x, int cols, enum tui_action a, int text_entry)
{
    char keys[96];
    keys[0] = '\0';
    size_t len = 0;
    char prev[32] = "";
    for (int i = 0; i < 3 && rows[a].keys[i]; i++) {
        if (text_entry && is_char_key(rows[a].keys[i]))
            continue;
        char one[32];
        const char *name = key_label(rows[a].keys[i], one, sizeof one);
        if (!strcmp(name, prev))
            continue; /* Enter and keypad Enter read the same */
        len += (size_t)snprintf(keys + len, sizeof keys - len, "%s%s", len ? " / " : "", name);
        if (len >= sizeof keys)
            break;
        snprintf(prev, sizeof prev, "%s", name);
    }
    if (!keys[0])
        return 0;
    int kw = cols > 40 ? 22 : cols / 2;
    tui_put(w, y, x, keys, kw - 1, tui_attr(ROLE_KEY));
    tui_put(w, y, x + kw, label_of(a), cols - kw, A_NORMAL);
    return 1;
}

/* The help's content, drawn into w (a pad) from row 0; returns its rows. */
static int help_content(WINDOW *w, enum scr_id s, int text_entry, int width)
{
    int y = 0, cap = getmaxy(w);
    for (int pass = 0; pass < 2 && y < cap; pass++) {
        if (pass)
            y++;
        tui_put(w, y++, 0, T(pass ? S_HELP_GLOBAL : S_HELP_SCREEN), width, tui_attr(ROLE_HEADING));
        for (int a = 0; a < ACT__COUNT && y < cap; a++) {
            if (!(rows[a].screens & SCR_BIT(s)))
                continue;
            int global = rows[a].screens == SCR_ALL;
            if (global != (pass == 1))
                continue;
            y += help_row(w, y, 0, width, (enum tui_action)a, text_entry);
        }
    }
    if (text_entry && y + 2 < cap) {
        y++;
        tui_put(w, y++, 0, T(S_HELP_TEXT), width, tui_attr(ROLE_HEADING));
        y += tui_para(w, y, 0, T(S_HELP_EDITKEYS), width, cap - y, A_NORMAL);
    }
    if (y + 2 < cap) {
        y++;
        y += tui_para(w, y, 0, T(S_HELP_SAVE), width, cap - y, tui_attr(ROLE_DIM));
    }
    return y;
}

/* The help overlay: a title, then the content scrolled to *top (clamped
 * here), with "more" marks on the frame when it does not all fit — at 80×24
 * the checklist's keys are longer than the window. */
void tui_draw_help(WINDOW *w, enum scr_id s, int text_entry, int *top)
{
    int rows_, cols;
    getmaxyx(w, rows_, cols);
    werase(w);
    tui_box(w);
    int x = 2, width = cols - 4;
    if (width < 1 || rows_ < 4)
        return;
    tui_put(w, 1, x, T(S_HELP_TITLE), width, tui_attr(ROLE_HEADING));
    WINDOW *pad = newpad(200, width);
    if (!pad)
        return;
    int total = help_content(pad, s, text_entry, width);
    int view = rows_ - 3; /* rows 2 .. rows_-2 */
    int max_top = total > view ? total - view : 0;
    if (*top > max_top)
        *top = max_top;
    if (*top < 0)
        *top = 0;
    int shown = total - *top < view ? total - *top : view;
    if (shown > 0)
        copywin(pad, w, *top, 0, 2, x, 2 + shown - 1, x + width - 1, FALSE);
    delwin(pad);
    char more[96];
    if (max_top > 0) {
        snprintf(more, sizeof more, T(S_HELP_MORE), *top + 1, *top + shown, total);
        tui_put(w, rows_ - 1, x, more, width, tui_attr(ROLE_DIM));
    }
}
