/* tui_int.h — what the files of src/tui share (private to the TUI; the only
 * header that includes curses).
 *
 *   app.c       terminal set-up and restore, signals, the main loop, the
 *               screen stack, title/status lines, help overlay, too-small
 *   actions.c   the one table of actions and keys (help and hints come from it)
 *   draw.c      drawing text by display columns, themes, line drawing
 *   strings.c   T(id): the UI strings, Chinese first
 *   input.c     the text input widget (wchar_t, display columns)
 *   fields.c    a column of labelled fields (text, choice, checkbox, button)
 *   filter.c    the school filter (no curses; tested by tests/unit)
 *   session.c   the field store as the screens see it: unlock, brief,
 *               visits, save-before-saying-saved
 *   scr_*.c     one file per screen, each a struct screen_ops
 */
#ifndef XIAOAN_TUI_INT_H
#define XIAOAN_TUI_INT_H

#include "xiaoan/tui.h"
#include "xiaoan/vocab.h"

#include "tui_strings.h"

#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* ---- strings (strings.c) ---- */

#define TUI_S_ENUM_(id, en) id,
enum tui_str { TUI_STRINGS(TUI_S_ENUM_) S__COUNT };
#undef TUI_S_ENUM_

extern int tui_lang_en; /* 0 = 中文, 1 = English */
const char *T(enum tui_str id);
/* Labels of the domain vocabulary (vocab.h) in the UI language: of an enum,
 * and of a key as records carry it. */
const char *tui_word(const xa_vocab *v, int id);
const char *tui_word_of(const xa_vocab *v, const char *key);
/* Pick the Chinese or English of a pair of data strings (en may be NULL/""). */
const char *tui_pick(const char *zh, const char *en);

/* ---- screens ---- */

/* Every screen: its id (for the action table's masks) and its ops (one
 * scr_*.c each).  A new screen is one row here; its name (kept in
 * tui-state.json) is in its ops. */
#define TUI_SCREENS(X)          \
    X(SCR_UNLOCK, scr_unlock)   \
    X(SCR_GUIDE, scr_guide)     \
    X(SCR_HOME, scr_home)       \
    X(SCR_PICKER, scr_picker)   \
    X(SCR_START, scr_start)     \
    X(SCR_CHECK, scr_check)     \
    X(SCR_FORMS, scr_forms)     \
    X(SCR_ITEM, scr_item)       \
    X(SCR_HAZARD, scr_hazard)   \
    X(SCR_FOLLOW, scr_follow)   \
    X(SCR_REVIEW, scr_review)   \
    X(SCR_EXPORT, scr_export)   \
    X(SCR_ATTACH, scr_attach)

#define TUI_SCR_ENUM_(id, ops) id,
enum scr_id { TUI_SCREENS(TUI_SCR_ENUM_) SCR__COUNT };
#undef TUI_SCR_ENUM_
#define SCR_BIT(s) (1u << (s))
#define SCR_ALL 0xFFFFFFFFu
/* Screens that are a column of fields (text input first, then actions). */
#define SCR_FIELDS (SCR_BIT(SCR_START) | SCR_BIT(SCR_ITEM) | SCR_BIT(SCR_HAZARD) | SCR_BIT(SCR_EXPORT))
/* Screens that are a list. */
#define SCR_LISTS                                                                          \
    (SCR_BIT(SCR_HOME) | SCR_BIT(SCR_PICKER) | SCR_BIT(SCR_CHECK) | SCR_BIT(SCR_FORMS) |      \
     SCR_BIT(SCR_FOLLOW) | SCR_BIT(SCR_REVIEW) | SCR_BIT(SCR_GUIDE) | SCR_BIT(SCR_ATTACH))

/* What a key handler tells the main loop.  Only R_REDRAW (or a message, a
 * screen pushed or popped, a change of the save indicator) makes the loop
 * draw; a key that changed nothing visible returns R_HANDLED. */
enum {
    R_NONE = 0,       /* not handled: the main loop tries the global actions */
    R_HANDLED = 1,    /* handled, nothing to redraw */
    R_REDRAW = 2,     /* handled, redraw */
    R_QUIT = 4,       /* save and leave the program */
    R_ROWS = 8,       /* handled; only what the key changed needs drawing: the screen's
                       * draw_rows (a cursor move within the page) */
};

/* ---- actions (actions.c) ---- */

/* A key as the table stores it: a character, or a curses KEY_* code with KF. */
#define KF 0x40000000
#define KK(k) ((k) | KF)
#define KCTRL(c) ((c) & 0x1f)
#define KESC 27

#define TUI_ACTIONS(A)                                                                     \
    /* id, screens, hint (0 no, 1 always, 2 when there is room), keys (up to 3,  \
     * 0 = none), label (S_A_WORD: the domain word of vocab.h the action gives,  \
     * actions.c's word_of).  Every F-key has a control-key twin (F2 Ctrl-S, …): \
     * a terminal whose TERM does not match may send F-keys nobody can read. */ \
    A(ACT_HELP, SCR_ALL, 1, '?', KK(KEY_F(1)), KCTRL('g'), S_A_HELP)                                \
    A(ACT_QUIT, SCR_ALL, 0, KCTRL('c'), KCTRL('q'), 0, S_A_QUIT)                           \
    A(ACT_REDRAW, SCR_ALL, 0, KCTRL('l'), 0, 0, S_A_REDRAW)                                \
    A(ACT_BACK, SCR_ALL & ~(SCR_BIT(SCR_HOME) | SCR_BIT(SCR_GUIDE) | SCR_BIT(SCR_UNLOCK)), 1, KESC, 'q', KK(KEY_F(10)), S_A_BACK)        \
    A(ACT_EXIT, SCR_BIT(SCR_GUIDE) | SCR_BIT(SCR_UNLOCK), 1, 'q', KESC, 0, S_A_QUIT) \
    A(ACT_EXIT_HOME, SCR_BIT(SCR_HOME), 1, 'q', 0, 0, S_A_QUIT) /* Esc on home is a slip, not a quit */ \
    A(ACT_UP, SCR_LISTS, 0, KK(KEY_UP), 'k', 0, S_A_UP)                                    \
    A(ACT_DOWN, SCR_LISTS, 0, KK(KEY_DOWN), 'j', 0, S_A_DOWN)                              \
    A(ACT_PGUP, SCR_LISTS, 0, KK(KEY_PPAGE), 0, 0, S_A_PGUP)                               \
    A(ACT_PGDN, SCR_LISTS, 0, KK(KEY_NPAGE), 0, 0, S_A_PGDN)                             \
    A(ACT_FIRST, SCR_LISTS, 0, KK(KEY_HOME), 'g', 0, S_A_FIRST)                            \
    A(ACT_LAST, SCR_LISTS, 0, KK(KEY_END), 'G', 0, S_A_LAST)                               \
    A(ACT_OPEN, SCR_BIT(SCR_HOME) | SCR_BIT(SCR_PICKER) | SCR_BIT(SCR_ATTACH), 1, '\r', KK(KEY_ENTER), 0, S_A_OPEN) \
    A(ACT_NEW, SCR_BIT(SCR_HOME), 1, 'n', 0, 0, S_A_NEW)                                 \
    A(ACT_EXPORT, SCR_BIT(SCR_HOME), 1, 'e', 0, 0, S_A_EXPORT)                             \
    A(ACT_LANG, SCR_BIT(SCR_HOME) | SCR_BIT(SCR_GUIDE), 2, 'L', 0, 0, S_A_LANG)            \
    A(ACT_DISCARD, SCR_BIT(SCR_HOME), 0, 'D', KK(KEY_DC), 0, S_A_DISCARD)                   \
    A(ACT_CORRECT, SCR_BIT(SCR_HOME) | SCR_BIT(SCR_CHECK) | SCR_BIT(SCR_REVIEW), 0, 'c', 0, 0, S_A_CORRECT) \
    A(ACT_NEXT_FIELD, SCR_FIELDS, 0, '\t', KK(KEY_DOWN), 0, S_A_NEXT_FIELD)                \
    A(ACT_PREV_FIELD, SCR_FIELDS, 0, KK(KEY_BTAB), KK(KEY_UP), 0, S_A_PREV_FIELD)          \
    A(ACT_TOGGLE, SCR_FIELDS | SCR_BIT(SCR_FORMS), 1, ' ', '\r', KK(KEY_ENTER), S_A_TOGGLE) \
    A(ACT_PASS, SCR_BIT(SCR_CHECK), 1, '1', 'y', 0, S_A_WORD)                              \
    A(ACT_HAZARD, SCR_BIT(SCR_CHECK), 1, '2', 'x', 0, S_A_WORD)                          \
    A(ACT_NA, SCR_BIT(SCR_CHECK), 1, '3', 'n', 0, S_A_WORD)                                  \
    A(ACT_CLEAR, SCR_BIT(SCR_CHECK), 0, '0', KK(KEY_BACKSPACE), 127, S_A_CLEAR)            \
    A(ACT_NEXT_UNANS, SCR_BIT(SCR_CHECK), 1, 'u', '\t', 0, S_A_NEXT_UNANS)                 \
    A(ACT_ONLY_HAZ, SCR_BIT(SCR_CHECK), 2, 'h', 0, 0, S_A_ONLY_HAZ)                        \
    A(ACT_DETAIL, SCR_BIT(SCR_CHECK) | SCR_BIT(SCR_FOLLOW) | SCR_BIT(SCR_REVIEW), 2, '\r', KK(KEY_ENTER), 'e', S_A_DETAIL) \
    A(ACT_ADD_HAZ, SCR_BIT(SCR_CHECK) | SCR_BIT(SCR_ITEM), 0, 'a', KK(KEY_F(4)), KCTRL('n'), S_A_ADD_HAZ) \
    A(ACT_NEXT_SECT, SCR_BIT(SCR_CHECK), 0, ']', KK(KEY_RIGHT), 0, S_A_NEXT_SECT)          \
    A(ACT_PREV_SECT, SCR_BIT(SCR_CHECK), 0, '[', KK(KEY_LEFT), 0, S_A_PREV_SECT)           \
    A(ACT_FORMS, SCR_BIT(SCR_CHECK), 2, 'f', 0, 0, S_A_FORMS)                              \
    A(ACT_FOLLOWUPS, SCR_BIT(SCR_CHECK), 2, 'r', 0, 0, S_A_FOLLOWUPS)                      \
    A(ACT_START, SCR_BIT(SCR_CHECK), 0, 'i', 0, 0, S_A_START)                              \
    A(ACT_REVIEW, SCR_BIT(SCR_CHECK) | SCR_BIT(SCR_FOLLOW), 1, 's', KK(KEY_F(9)), 0, S_A_REVIEW) \
    A(ACT_V1, SCR_BIT(SCR_FOLLOW), 1, '1', 0, 0, S_A_WORD)                                   \
    A(ACT_V2, SCR_BIT(SCR_FOLLOW), 1, '2', 0, 0, S_A_WORD)                                   \
    A(ACT_V3, SCR_BIT(SCR_FOLLOW), 1, '3', 0, 0, S_A_WORD)                                   \
    A(ACT_V4, SCR_BIT(SCR_FOLLOW), 1, '4', 0, 0, S_A_WORD)                                   \
    A(ACT_DELETE, SCR_BIT(SCR_HAZARD), 1, KK(KEY_F(8)), KCTRL('r'), 0, S_A_DELETE)                  \
    A(ACT_DONE, SCR_FIELDS, 1, KK(KEY_F(2)), KCTRL('s'), 0, S_A_DONE)                               \
    A(ACT_SEAL, SCR_BIT(SCR_REVIEW), 1, 'S', KK(KEY_F(9)), 0, S_A_SEAL)                    \
    A(ACT_WRITE, SCR_BIT(SCR_EXPORT), 0, KK(KEY_F(9)), KCTRL('o'), 0, S_A_WRITE)                    \
    A(ACT_PHOTOS, SCR_BIT(SCR_HAZARD) | SCR_BIT(SCR_FOLLOW) | SCR_BIT(SCR_START), 1, KK(KEY_F(5)), 'p', KCTRL('p'), S_A_PHOTOS) \
    A(ACT_MARK, SCR_BIT(SCR_ATTACH), 1, ' ', 0, 0, S_A_MARK)                               \
    A(ACT_UPDIR, SCR_BIT(SCR_ATTACH), 1, KK(KEY_BACKSPACE), KK(KEY_LEFT), 127, S_A_UPDIR)  \
    A(ACT_PANE, SCR_BIT(SCR_ATTACH), 2, '\t', 0, 0, S_A_PANE)                              \
    A(ACT_DETACH, SCR_BIT(SCR_ATTACH), 2, KK(KEY_F(8)), KK(KEY_DC), 'd', S_A_DETACH)      \
    A(ACT_HOMEDIR, SCR_BIT(SCR_ATTACH), 2, '~', 0, 0, S_A_HOMEDIR)

#define TUI_A_ENUM_(id, scr, hint, k1, k2, k3, label) id,
enum tui_action { ACT_NONE = -1, TUI_ACTIONS(TUI_A_ENUM_) ACT__COUNT };
#undef TUI_A_ENUM_

/* A key event as get_wch delivered it. */
struct tui_key {
    int code;     /* character, or KEY_* | KF */
    wint_t ch;    /* the character (when !is_key) */
    int is_key;   /* a curses KEY_* code */
};

/* ---- escape sequences curses does not know (keys.c) ---- */

/* A sequence that is no key we know: dropped with a word, never an Esc. */
#define KUNKNOWN KK(0x7FFF)
/* Decode the bytes after ESC ("[20~", "OP", "[[A", …) into *k; 0 when unknown. */
int tui_esc_decode(const char *seq, size_t len, struct tui_key *k);
/* An ESC came from w: the Esc key, or the sequence that follows it at once. */
void tui_read_escape(WINDOW *w, struct tui_key *k);

/* The action the key means on screen s, or ACT_NONE. */
enum tui_action tui_action_for(enum scr_id s, const struct tui_key *k);
/* Draw the one-line key hints of screen s (from the table); while text is
 * being typed, keys that are plain characters are left out (they type).
 * Bit a of hide leaves action a out, bit a of show offers it although the
 * table does not (the screen's offers op: a sealed visit's review offers
 * 更正, not 封存). */
void tui_draw_hints(WINDOW *w, int y, int x, int cols, enum scr_id s, int text_entry,
                    uint64_t hide, uint64_t show);
#define ACT_BIT(a) ((uint64_t)1 << (a))
/* Draw the help overlay of screen s. */
void tui_draw_help(WINDOW *w, enum scr_id s, int text_entry, int *top);

/* ---- drawing (draw.c) ---- */

enum tui_role {
    ROLE_NORMAL,
    ROLE_TITLE,     /* the top line */
    ROLE_STATUS,    /* the key-hint line */
    ROLE_SELECTED,  /* the cursor row */
    ROLE_HEADING,   /* section headings */
    ROLE_DIM,       /* hints, n/a */
    ROLE_PASS,
    ROLE_HAZARD,
    ROLE_MAJOR,
    ROLE_WARN,      /* messages that need attention */
    ROLE_SAVED,
    ROLE_UNSAVED,
    ROLE_FIELD,     /* the value of a field being edited */
    ROLE_KEY,       /* key names in hints */
    ROLE__COUNT
};

extern int tui_utf8;     /* the locale is UTF-8 */
extern int tui_thin;     /* thin-link mode (xa_tui_thin_link): the list screens mark their
                          * selection with a marker column, not reverse video, turn a page
                          * when it leaves the page, and show a detail pane only when the
                          * cursor rests */
extern int tui_mono;     /* no colour (NO_COLOR, or the terminal has none) */
extern int tui_lines;    /* box characters as text (else ASCII): draw.c's comment */

/* Choose the line drawing once curses is up (XIAOAN_LINES=ascii|unicode overrides). */
void tui_lines_init(void);

/* Choose the theme once curses is up. */
void tui_theme_init(void);
attr_t tui_attr(enum tui_role r);

/* Draw s at (y, x) in at most cols columns, sanitised and cut with "…";
 * every character is placed by our display width (utf8.h), so a character
 * the terminal draws narrower leaves a blank, never an overflow.  Returns the
 * columns used. */
int tui_put(WINDOW *w, int y, int x, const char *s, int cols, attr_t attr);
/* Like tui_put, padding with spaces to exactly cols columns. */
void tui_put_pad(WINDOW *w, int y, int x, const char *s, int cols, attr_t attr);
/* printf into tui_put. */
int tui_putf(WINDOW *w, int y, int x, int cols, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Draw a wrapped paragraph from row y, at most maxrows rows; returns rows used. */
int tui_para(WINDOW *w, int y, int x, const char *s, int cols, int maxrows, attr_t attr);
/* A border around w (ASCII without tui_lines). */
void tui_box(WINDOW *w);
/* A horizontal rule (─, or - without tui_lines). */
void tui_hrule(WINDOW *w, int y, int x, int cols, attr_t attr);
/* A progress bar of cols columns. */
void tui_bar(WINDOW *w, int y, int x, int cols, int done, int total);
/* Fill a row with spaces in attr. */
void tui_fill(WINDOW *w, int y, int x, int cols, attr_t attr);
/* A list row's attributes: the selection highlighted, or (thin links) plain. */
attr_t tui_sel_attr(int sel);
/* Thin links: the selection marker ('>', a blank when not selected) at (y, x). */
void tui_mark(WINDOW *w, int y, int x, int sel);

/* ---- text input (input.c) ---- */

struct tinput {
    wchar_t *buf;
    size_t len, cap;
    size_t cur;      /* cursor, index into buf */
    size_t maxlen;   /* characters; 0 = unlimited (bounded by TINPUT_MAX) */
    int multiline;   /* Enter inserts a newline */
    int secret;      /* draw nothing (passphrase) */
    int top;         /* first visible row (multi-line) */
    int hscroll;     /* first visible column (single line) */
    int width;       /* columns last drawn in (multi-line Up/Down) */
    int changed;     /* set on every edit; the owner clears it */
};
#define TINPUT_MAX 20000 /* characters in one field */

void tinput_init(struct tinput *t, int multiline, size_t maxlen);
void tinput_free(struct tinput *t);
/* Replace the contents with UTF-8 text (cursor to the end). */
void tinput_set(struct tinput *t, const char *utf8);
/* The contents as a new UTF-8 string. */
char *tinput_get(const struct tinput *t);
/* Handle a key: returns 1 when consumed (an edit or a cursor move). */
int tinput_key(struct tinput *t, const struct tui_key *k);
/* Draw in a box of rows × cols at (y, x); when focused, place the cursor
 * (returns the cursor position in *cy, *cx). */
void tinput_draw(struct tinput *t, WINDOW *w, int y, int x, int rows, int cols, int focused,
                 attr_t attr, int *cy, int *cx);
/* Rows the text needs at a width (multi-line fields grow to a limit). */
int tinput_rows(const struct tinput *t, int cols);
/* Wipe the contents (for the passphrase). */
void tinput_wipe(struct tinput *t);

/* ---- fields (fields.c) ---- */

enum fkind { F_TEXT, F_MULTI, F_CHECK, F_CHOICE, F_DATE, F_TIME, F_BUTTON, F_LABEL };

struct field {
    enum fkind kind;
    int key;                 /* the owner's id for this field */
    const char *label;       /* shown on the left */
    const char *hint;        /* dim text after an empty value */
    struct tinput in;        /* F_TEXT, F_MULTI, F_DATE, F_TIME */
    int value;               /* F_CHECK (0/1), F_CHOICE (index) */
    const char *const *choices; /* F_CHOICE labels */
    int nchoices;
    int min_choice;          /* F_CHOICE may not go below (level: no downgrade) */
    int readonly;
    int bad;                 /* F_DATE/F_TIME text does not parse */
    int dirty;               /* text changed since the owner last took it */
};

struct fields {
    struct field *f;
    int n, cap;
    int focus;
    int top;                 /* first visible row (scrolling) */
    int label_cols;
    int readonly;            /* everything read-only (sealed visit) */
    int cy, cx;              /* where the text cursor goes after a draw (-1: none) */
};

void fields_init(struct fields *fs);
void fields_free(struct fields *fs);
struct field *fields_add(struct fields *fs, enum fkind kind, int key, const char *label);
struct field *fields_get(struct fields *fs, int key);
/* Handle a key.  Returns R_* flags; *changed_key receives the key of a
 * field whose value changed (or -1), *pressed the key of a button pressed. */
int fields_key(struct fields *fs, const struct tui_key *k, enum tui_action a, int *changed_key,
               int *pressed);
/* Draw from row y in rows × cols; places the cursor when a text field has the focus. */
void fields_draw(struct fields *fs, WINDOW *w, int y, int x, int rows, int cols);
/* Is the focus in a text field (so printable keys are text, not actions)? */
int fields_text_focus(const struct fields *fs);

/* ---- the school filter (filter.c; declared in tui.h for the unit test) ---- */

/* ---- the app (app.c) ---- */

struct app;
struct screen;

struct screen_ops {
    enum scr_id id;
    /* Its name: tui-state.json keeps it (not the id, which may be renumbered). */
    const char *name;
    /* Bytes of the screen's own state: the app allocates them zeroed before
     * enter and frees them after leave (enter and leave own only what the
     * state points to).  0: no state. */
    size_t data_size;
    /* Called when the screen is pushed (arg is the caller's). */
    int (*enter)(struct app *a, struct screen *s, void *arg);
    /* Draw the body (rows × cols at the top-left of w). */
    void (*draw)(struct app *a, struct screen *s, WINDOW *w, int rows, int cols);
    /* Draw only what the last key changed (it returned R_ROWS): the body is
     * as the previous draw left it.  May be NULL (R_ROWS then draws all). */
    void (*draw_rows)(struct app *a, struct screen *s, WINDOW *w, int rows, int cols);
    /* Handle a key (act = its action on this screen); return R_* flags. */
    int (*key)(struct app *a, struct screen *s, const struct tui_key *k, enum tui_action act);
    /* Called when the screen is on top again after the one above was popped. */
    void (*resume)(struct app *a, struct screen *s);
    /* Called when the screen is popped (or the program leaves). */
    void (*leave)(struct app *a, struct screen *s);
    /* Save anything not yet saved (text typed since the last save). */
    void (*flush)(struct app *a, struct screen *s);
    /* The title shown on the top line (may be NULL: the screen's name). */
    const char *(*title)(struct app *a, struct screen *s);
    /* Does the screen have a text field with the focus right now? */
    int (*text_focus)(struct app *a, struct screen *s);
    /* Does the footer offer action act right now: -1 no, 1 yes although the
     * table does not, 0 as the table says.  NULL: always as the table says. */
    int (*offers)(struct app *a, struct screen *s, enum tui_action act);
};

struct screen {
    const struct screen_ops *ops;
    void *data;              /* the screen's own state (ops->data_size bytes) */
};

#define TUI_STACK_MAX 12

struct session;

struct app {
    struct screen stack[TUI_STACK_MAX];
    int depth;
    struct session *sess;
    const char *home;
    const char *passfile;
    char *home_dir;          /* resolved */
    char msg[512];           /* transient message on the line above the hints */
    int msg_warn;
    unsigned keys;           /* keys handled so far */
    unsigned msg_key;        /* the key during which msg was set */
    int help;                /* help overlay shown */
    int help_top;            /* its first content row (it scrolls) */
    int quit;
    int lost;                /* the terminal went away */
    int exit_code;
    char exit_msg[256];      /* printed on stderr once the terminal is back */
    int cur_y, cur_x;        /* where the text cursor goes (-1 = hidden) */
    int redraw;              /* something changed outside a key's R_REDRAW */
    int resting;             /* no key since the last idle tick (the cursor rests) */
    int rest_pending;        /* a screen hid something until the cursor rests (thin links) */
    int64_t last_edit_ms;    /* debounced saving of text */
    int64_t last_key_ms;     /* journaled answers are saved whole when keys rest */
};

/* Push a screen; returns 0 when its enter refused (the screen is not shown). */
int tui_push(struct app *a, const struct screen_ops *ops, void *arg);
/* Pop the top screen. */
void tui_pop(struct app *a);
/* Replace the top screen. */
int tui_replace(struct app *a, const struct screen_ops *ops, void *arg);
/* Pop down to (and keep) the first screen with this id; 0 if none. */
int tui_pop_to(struct app *a, enum scr_id id);
/* Set the transient message (warn = shown in the warning colour). */
void tui_msg(struct app *a, int warn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Ask for the cursor at (y, x) in body coordinates (drawn by the main loop). */
void tui_cursor(struct app *a, int y, int x);
/* Save the open visit now, with whatever the top screen has typed (every
 * change that is not typed text goes through here); 0 when it failed (the
 * message says why). */
int tui_commit(struct app *a);
/* The same for an answer just set on (form, code) in the checklist: only
 * its change is journaled (sess_commit_answer); 0 when it failed. */
int tui_commit_answer(struct app *a, const char *form, const char *code);
/* Note a text edit (the session saves it within a second). */
void tui_text_edited(struct app *a);
/* After unlocking: the home screen, and the draft that was open last time
 * reopened where it was left (scr_home.c). */
void tui_start(struct app *a);
/* `c` on a sealed visit (id): back to home, then a correction visit of it
 * opened on its start page (scr_home.c); returns redraw. */
int tui_correct(struct app *a, const char *id);

/* Photos and documents of a hazard, a follow-up or the visit (scr_attach.c):
 * target is an xa_attach_for (field.h), ref the hazard's id (NULL for the
 * visit), label what the title names.  Saves typed text first. */
struct tui_attach_target {
    int target;
    const char *ref, *label;
};
int tui_attach_open(struct app *a, int target, const char *ref, const char *label);

/* The screens (TUI_SCREENS), and one by its name (NULL when unknown). */
#define TUI_SCR_EXTERN_(id, ops) extern const struct screen_ops ops;
TUI_SCREENS(TUI_SCR_EXTERN_)
#undef TUI_SCR_EXTERN_
const struct screen_ops *tui_screen_named(const char *name);

/* A scrolling list position (lists on many screens). */
struct tlist {
    int sel, top, n;
};
/* Move the selection by an action (up/down/page/first/last): R_NONE when
 * act is not a move, R_HANDLED when nothing changed (already at the end),
 * R_REDRAW when the selection or the scroll moved. */
int tlist_move(struct tlist *l, enum tui_action a, int rows);
/* Keep the selection visible in rows. */
void tlist_fit(struct tlist *l, int rows);

#endif
