/* keys.c — the escape sequences curses does not know.  curses decodes a
 * function key only when the bytes are the ones the terminfo entry of TERM
 * lists; when TERM does not match the terminal (TERM=vt100 inside tmux,
 * TERM=xterm in the Linux console or rxvt), F9 arrives as ESC [ 2 0 ~, and
 * curses hands over a lone ESC followed by "[20~" — the Esc key, then
 * stray characters.  Here an ESC that is followed at once by more bytes is
 * read as one sequence and decoded from the common xterm / vt220 / rxvt /
 * Linux-console forms; a sequence nobody knows is dropped whole (never an
 * Esc).  A lone ESC stays the Esc key.  The decoding is a pure function
 * (tui_esc_decode), tested by tests/unit/test_tui.c. */
#include "tui_int.h"

#include <string.h>

#define SEQ_MAX 16      /* bytes after ESC that we read as one sequence */
#define SEQ_NEXT_MS 30  /* wait for the next byte once a sequence has begun */

/* A decoded key: a curses key code, or a character. */
static int key(struct tui_key *k, int code)
{
    memset(k, 0, sizeof *k);
    k->is_key = 1;
    k->code = code | KF;
    return 1;
}

static int chr(struct tui_key *k, wint_t c)
{
    memset(k, 0, sizeof *k);
    k->ch = c;
    k->code = (int)c;
    return 1;
}

/* The final byte SS3 and CSI share: cursor keys, Home/End and F1–F4 are
 * spelled the same after ESC O and after ESC [. */
static int decode_final(char c, struct tui_key *k)
{
    switch (c) {
    case 'A': return key(k, KEY_UP);
    case 'B': return key(k, KEY_DOWN);
    case 'C': return key(k, KEY_RIGHT);
    case 'D': return key(k, KEY_LEFT);
    case 'H': return key(k, KEY_HOME);
    case 'F': return key(k, KEY_END);
    default: return key(k, KEY_F(1 + (c - 'P'))); /* P Q R S */
    }
}

/* SS3 (ESC O x): cursor keys, F1–F4, and the numeric keypad in application
 * mode (what the keypad sends; vt100's terminfo calls some of them F5–F10,
 * but under that TERM curses decodes them itself). */
static int decode_ss3(char c, struct tui_key *k)
{
    switch (c) {
    case 'A': case 'B': case 'C': case 'D': case 'H': case 'F':
    case 'P': case 'Q': case 'R': case 'S': return decode_final(c, k);
    case 'M': return chr(k, '\r');
    case 'j': return chr(k, '*');
    case 'k': return chr(k, '+');
    case 'l': return chr(k, ',');
    case 'm': return chr(k, '-');
    case 'n': return chr(k, '.');
    case 'o': return chr(k, '/');
    case 'X': return chr(k, '=');
    default: break;
    }
    if (c >= 'p' && c <= 'y')
        return chr(k, (wint_t)('0' + (c - 'p')));
    return 0;
}

/* CSI ~ with its first parameter: vt220/xterm/rxvt editing and F-keys. */
static int decode_tilde(int p, struct tui_key *k)
{
    switch (p) {
    case 1: case 7: return key(k, KEY_HOME);
    case 4: case 8: return key(k, KEY_END);
    case 3: return key(k, KEY_DC);
    case 5: return key(k, KEY_PPAGE);
    case 6: return key(k, KEY_NPAGE);
    case 11: case 12: case 13: case 14: case 15: return key(k, KEY_F(p - 10));
    case 17: case 18: case 19: case 20: case 21: return key(k, KEY_F(p - 11));
    case 23: case 24: return key(k, KEY_F(p - 12));
    default: return 0;
    }
}

int tui_esc_decode(const char *seq, size_t len, struct tui_key *k)
{
    if (len == 2 && seq[0] == 'O')
        return decode_ss3(seq[1], k);
    if (len < 2 || seq[0] != '[')
        return 0;
    /* The Linux console's F1–F5: ESC [ [ A … E. */
    if (len == 3 && seq[1] == '[')
        return seq[2] >= 'A' && seq[2] <= 'E' ? key(k, KEY_F(1 + (seq[2] - 'A'))) : 0;
    /* ESC [ params final: the first parameter matters; modifiers (;2 …) are
     * ignored, so Shift-F2 is F2 and Ctrl-Up is Up. */
    int p = 0;
    size_t i = 1;
    for (; i < len - 1 && seq[i] >= '0' && seq[i] <= '9' && p < 1000; i++)
        p = p * 10 + (seq[i] - '0');
    for (; i < len - 1; i++)
        if (seq[i] != ';' && (seq[i] < '0' || seq[i] > '9'))
            return 0; /* private or intermediate bytes: not a key */
    switch (seq[len - 1]) {
    case 'A': case 'B': case 'C': case 'D': case 'H': case 'F':
    case 'P': case 'Q': case 'R': case 'S': return decode_final(seq[len - 1], k);
    case 'Z': return key(k, KEY_BTAB);
    case '~': return decode_tilde(p, k);
    default: return 0;
    }
}

/* Read one byte of a sequence, waiting at most ms; -1 when none came or a
 * curses key code came instead (given back). */
static int next_byte(WINDOW *w, int ms)
{
    wint_t c;
    wtimeout(w, ms);
    int rc = wget_wch(w, &c);
    if (rc == ERR)
        return -1;
    if (rc == KEY_CODE_YES) {
        ungetch((int)c);
        return -1;
    }
    if (c > 0x7E || c < 0x20) {
        unget_wch((wchar_t)c);
        return -1;
    }
    return (int)c;
}

void tui_read_escape(WINDOW *w, struct tui_key *k)
{
    chr(k, KESC);
    wint_t c;
    wtimeout(w, 0);
    int rc = wget_wch(w, &c);
    if (rc == ERR)
        return; /* nothing follows: the Esc key */
    if (rc == KEY_CODE_YES) {
        ungetch((int)c);
        return;
    }
    if (c != '[' && c != 'O') {
        unget_wch((wchar_t)c); /* Esc, then a key of its own */
        return;
    }
    char seq[SEQ_MAX + 1];
    size_t n = 0;
    seq[n++] = (char)c;
    for (;;) {
        int b = next_byte(w, SEQ_NEXT_MS);
        if (b < 0)
            break; /* cut short: not a key we know */
        seq[n++] = (char)b;
        if (seq[0] == 'O')
            break;
        if (n == 2 && b == '[')
            continue; /* ESC [ [ x: the Linux console's F-keys */
        if ((b >= 0x40 && b <= 0x7E) || n >= SEQ_MAX)
            break;
    }
    if (!tui_esc_decode(seq, n, k)) {
        memset(k, 0, sizeof *k);
        k->is_key = 1;
        k->code = KUNKNOWN;
    }
}
