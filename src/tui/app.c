/* app.c — the TUI's one main loop and everything around it: the terminal
 * (set up, restored on every exit path, lost-terminal detection), signals
 * (SIGHUP/SIGTERM save and leave), the screen stack, the title and status
 * lines, the help overlay and the "terminal too small" screen.
 *
 * Key handlers only change state and return flags; this file is the only
 * place that draws: every window gets wnoutrefresh, then one doupdate.
 * Text typed in a field is saved by the idle tick (at most a second after
 * the last key, sooner when typing pauses) and always before leaving. */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/homelock.h"
#include "xiaoan/i18n.h"
#include "xiaoan/mem.h"
#include "xiaoan/pass.h"
#include "xiaoan/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 200          /* get_wch timeout: the idle tick */
#define SAVE_IDLE_MS 300     /* save typed text after this pause ... */
#define SAVE_MAX_MS 1000     /* ... and never later than this after the first key */
#define COMPACT_REST_MS 2000 /* answers journaled: the whole visit saved once keys rest this long */
#define FAST_ERR_LIMIT 20    /* ERRs in a row without waiting: the terminal is gone */
#define BATCH_MAX 8192       /* keys taken in one go (a long paste) before drawing */

static volatile sig_atomic_t got_signal;
static int curses_up;
static const char *lost_reason = "";
static int saved_stderr = -1;

/* SIGHUP (SSH dropped), SIGTERM, SIGINT: only note it; the loop saves and leaves. */
static void on_signal(int sig)
{
    got_signal = sig;
}

/* Put the terminal back (idempotent; used on every exit path). */
static void restore_terminal(void)
{
    if (curses_up) {
        curses_up = 0;
        curs_set(1);
        endwin();
    }
    if (saved_stderr >= 0) {
        dup2(saved_stderr, 2);
        close(saved_stderr);
        saved_stderr = -1;
    }
}

/* An abort (failed allocation, assertion): restore the terminal first. */
static void on_abort(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* ---- windows ---- */

static WINDOW *w_title, *w_body, *w_foot;

static void layout(void)
{
    int rows, cols;
    if (w_title)
        delwin(w_title);
    if (w_body)
        delwin(w_body);
    if (w_foot)
        delwin(w_foot);
    w_title = w_body = w_foot = NULL;
    getmaxyx(stdscr, rows, cols);
    if (rows < XA_TUI_MIN_ROWS || cols < XA_TUI_MIN_COLS)
        return;
    w_title = newwin(1, cols, 0, 0);
    w_body = newwin(rows - 3, cols, 1, 0);
    w_foot = newwin(2, cols, rows - 2, 0);
    if (w_body)
        keypad(w_body, TRUE);
}

/* ---- the screen stack ---- */

#define TUI_SCR_PTR_(id, ops) &ops,
static const struct screen_ops *const all_screens[SCR__COUNT] = {TUI_SCREENS(TUI_SCR_PTR_)};
#undef TUI_SCR_PTR_

const struct screen_ops *tui_screen_named(const char *name)
{
    for (int i = 0; name && i < SCR__COUNT; i++)
        if (!strcmp(all_screens[i]->name, name))
            return all_screens[i];
    return NULL;
}

/* Let go of a screen's state (after its leave). */
static void drop_data(struct screen *s)
{
    free(s->data);
    s->data = NULL;
}

int tui_push(struct app *a, const struct screen_ops *ops, void *arg)
{
    if (a->depth >= TUI_STACK_MAX)
        return 0;
    struct screen *s = &a->stack[a->depth];
    memset(s, 0, sizeof *s);
    s->ops = ops;
    if (ops->data_size)
        s->data = xa_calloc(1, ops->data_size);
    a->depth++;
    if (ops->enter && !ops->enter(a, s, arg)) {
        a->depth--;
        drop_data(s);
        return 0;
    }
    a->msg[0] = '\0';
    a->redraw = 1;
    sess_note_screen(a->sess, ops->name);
    return 1;
}

/* Pop the top screen; the one below is told it is on top again unless
 * another screen is about to replace the popped one. */
static void pop_one(struct app *a, int resume)
{
    if (a->depth <= 0)
        return;
    struct screen *s = &a->stack[a->depth - 1];
    if (s->ops->flush)
        s->ops->flush(a, s);
    if (s->ops->leave)
        s->ops->leave(a, s);
    drop_data(s);
    a->depth--;
    a->redraw = 1;
    if (!resume)
        return;
    /* A message of the screen left behind is stale below it; one said by
     * this very key (sealing says its sequence on the way home) stays. */
    if (a->msg_key != a->keys)
        a->msg[0] = '\0';
    if (a->depth == 0) {
        a->quit = 1;
        return;
    }
    struct screen *t = &a->stack[a->depth - 1];
    sess_note_screen(a->sess, t->ops->name);
    if (t->ops->resume)
        t->ops->resume(a, t);
}

void tui_pop(struct app *a)
{
    pop_one(a, 1);
}

int tui_replace(struct app *a, const struct screen_ops *ops, void *arg)
{
    pop_one(a, 0);
    if (tui_push(a, ops, arg))
        return 1;
    /* The new screen refused: the one below is on top again. */
    if (a->depth == 0) {
        a->quit = 1;
        return 0;
    }
    struct screen *t = &a->stack[a->depth - 1];
    if (t->ops->resume)
        t->ops->resume(a, t);
    return 0;
}

int tui_pop_to(struct app *a, enum scr_id id)
{
    for (int i = a->depth - 1; i >= 0; i--)
        if (a->stack[i].ops->id == id) {
            while (a->depth - 1 > i + 1)
                pop_one(a, 0);
            if (a->depth - 1 > i)
                pop_one(a, 1);
            return 1;
        }
    return 0;
}

void tui_msg(struct app *a, int warn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_warn = warn;
    a->msg_key = a->keys;
    a->redraw = 1;
}

void tui_cursor(struct app *a, int y, int x)
{
    a->cur_y = y;
    a->cur_x = x;
}

void tui_text_edited(struct app *a)
{
    sess_dirty(a->sess);
    a->last_edit_ms = xa_mono_ms();
}

static struct screen *top(struct app *a)
{
    return a->depth ? &a->stack[a->depth - 1] : NULL;
}

static int text_focus(struct app *a)
{
    struct screen *s = top(a);
    return s && s->ops->text_focus && s->ops->text_focus(a, s);
}

/* ---- saving ---- */

/* Bring the document up to date from the top screen, then save it (the
 * whole document, or only the answer of (form, code) when form is not
 * NULL); a failure (a full disk) is said on the message line, whoever saved. */
static int save_change(struct app *a, const char *form, const char *code)
{
    struct screen *s = top(a);
    if (s && s->data && s->ops->flush)
        s->ops->flush(a, s);
    int failed_before = sess_save_state(a->sess) == SAVE_FAILED;
    if (form ? sess_commit_answer(a->sess, form, code) : sess_save(a->sess)) {
        if (failed_before)
            a->msg[0] = '\0'; /* the failure is over */
        return 1;
    }
    tui_msg(a, 1, T(S_ERR), sess_save_error(a->sess));
    return 0;
}

static int save_now(struct app *a)
{
    return save_change(a, NULL, NULL);
}

int tui_commit(struct app *a)
{
    sess_dirty(a->sess);
    return save_now(a);
}

int tui_commit_answer(struct app *a, const char *form, const char *code)
{
    return save_change(a, form, code);
}

/* How long the keys must rest before journaled answers are folded into the
 * visit's record: COMPACT_REST_MS, or XIAOAN_COMPACT_MS (docs/performance.md). */
static int64_t compact_rest_ms(void)
{
    static int64_t ms = -1;
    if (ms < 0) {
        const char *v = getenv("XIAOAN_COMPACT_MS");
        char *end;
        long long n = v && *v ? strtoll(v, &end, 10) : -1;
        ms = n >= 0 && !*end ? n : COMPACT_REST_MS;
    }
    return ms;
}

/* The idle tick: save typed text once typing pauses, or a second after it
 * began; fold journaled answers into the visit's record once the keys rest. */
static void idle_save(struct app *a)
{
    int64_t now = xa_mono_ms();
    if (!sess_is_dirty(a->sess)) {
        if (sess_journaled(a->sess) && now - a->last_key_ms >= compact_rest_ms())
            save_now(a);
        return;
    }
    if (now - a->last_edit_ms >= SAVE_IDLE_MS || now - sess_dirty_since(a->sess) >= SAVE_MAX_MS)
        save_now(a);
}

/* ---- drawing ---- */

static void draw_too_small(int rows, int cols)
{
    werase(stdscr);
    char size[64];
    snprintf(size, sizeof size, "%dx%d < %dx%d", cols, rows, XA_TUI_MIN_COLS, XA_TUI_MIN_ROWS);
    const char *lines[4] = {tui_utf8 ? "终端太小" : NULL, "terminal too small", size,
                            tui_utf8 ? "请放大窗口 / please enlarge" : "please enlarge"};
    int y = rows / 2 - 2;
    for (int i = 0; i < 4; i++) {
        if (!lines[i])
            continue;
        int w = (int)xa_utf8_width(lines[i]);
        int x = w < cols ? (cols - w) / 2 : 0;
        tui_put(stdscr, y < 0 ? 0 : y, x, lines[i], cols, i < 2 ? A_BOLD : A_NORMAL);
        y++;
    }
    wnoutrefresh(stdscr);
}

static void draw_title(struct app *a, int cols)
{
    struct screen *s = top(a);
    werase(w_title);
    attr_t t = tui_attr(ROLE_TITLE);
    tui_fill(w_title, 0, 0, cols, t);
    const char *title = s && s->ops->title ? s->ops->title(a, s) : "";
    char *left = xa_asprintf(" %s %s %s", T(S_APP), tui_utf8 ? "·" : "-", title ? title : "");
    /* Right: what the save indicator says about the open visit. */
    const char *ind = NULL;
    enum tui_role role = ROLE_SAVED;
    switch (sess_save_state(a->sess)) {
    case SAVE_NONE: break;
    case SAVE_CLEAN: ind = T(S_SAVED); break;
    case SAVE_DIRTY: ind = T(S_SAVING); role = ROLE_UNSAVED; break;
    case SAVE_FAILED: ind = T(S_SAVE_FAILED); role = ROLE_UNSAVED; break;
    case SAVE_READONLY: ind = T(S_READONLY); break;
    }
    int iw = ind ? (int)xa_utf8_width(ind) + 2 : 0;
    tui_put(w_title, 0, 0, left, cols - iw - 1, t | A_BOLD);
    if (ind) {
        char *s2 = xa_asprintf(" %s ", ind);
        /* "saving…" and "NOT SAVED!" stand out of the title bar. */
        attr_t ia = role == ROLE_UNSAVED ? tui_attr(ROLE_UNSAVED) : t | A_BOLD;
        tui_put(w_title, 0, cols - iw, s2, iw, ia);
        free(s2);
    }
    free(left);
    wnoutrefresh(w_title);
}

static void draw_foot(struct app *a, int cols)
{
    struct screen *s = top(a);
    werase(w_foot);
    if (a->msg[0])
        tui_put(w_foot, 0, 1, a->msg, cols - 2, a->msg_warn ? tui_attr(ROLE_WARN) : A_BOLD);
    else if (!tui_utf8)
        tui_put(w_foot, 0, 1, T(S_NEED_UTF8), cols - 2, tui_attr(ROLE_DIM));
    if (s) {
        uint64_t hide = 0, show = 0;
        for (int act = 0; s->ops->offers && act < ACT__COUNT; act++) {
            int o = s->ops->offers(a, s, (enum tui_action)act);
            if (o < 0)
                hide |= ACT_BIT(act);
            else if (o > 0)
                show |= ACT_BIT(act);
        }
        tui_draw_hints(w_foot, 1, 1, cols - 2, s->ops->id, text_focus(a), hide, show);
    }
    wnoutrefresh(w_foot);
}

static void draw_help(struct app *a, int rows, int cols)
{
    struct screen *s = top(a);
    int h = rows - 2, w = cols - 4 > 100 ? 100 : cols - 4;
    WINDOW *hw = newwin(h, w, 1, (cols - w) / 2);
    if (!hw)
        return;
    tui_draw_help(hw, s ? s->ops->id : SCR_HOME, text_focus(a), &a->help_top);
    wnoutrefresh(hw);
    delwin(hw);
}

/* The text cursor where a screen asked for it; else hidden, and left where
 * the drawing ended (leaveok): parking an invisible cursor would cost a
 * cursor address on every update. */
static void place_cursor(struct app *a, int brows, int bcols)
{
    if (a->cur_y >= 0 && a->cur_y < brows && a->cur_x >= 0 && a->cur_x < bcols) {
        curs_set(1);
        leaveok(w_body, FALSE);
        wmove(w_body, a->cur_y, a->cur_x);
    } else {
        curs_set(0);
        leaveok(w_body, TRUE);
    }
}

/* Draw everything: title, body, foot, help; one doupdate. */
static void draw_all(struct app *a)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    if (rows < XA_TUI_MIN_ROWS || cols < XA_TUI_MIN_COLS || !w_body) {
        curs_set(0);
        draw_too_small(rows, cols);
        doupdate();
        return;
    }
    struct screen *s = top(a);
    a->cur_y = a->cur_x = -1;
    werase(w_body);
    int brows, bcols;
    getmaxyx(w_body, brows, bcols);
    if (s && s->ops->draw)
        s->ops->draw(a, s, w_body, brows, bcols);
    draw_title(a, cols);
    draw_foot(a, cols);
    if (a->help) {
        wnoutrefresh(w_body);
        draw_help(a, rows, cols);
        curs_set(0);
    } else {
        place_cursor(a, brows, bcols);
        wnoutrefresh(w_body); /* last, so the cursor ends up in the body */
    }
    doupdate();
}

/* Draw what the last key changed (R_ROWS); the rest of the screen stays as
 * it is, so a cursor move costs two rows and the detail pane. */
static void draw_rows(struct app *a)
{
    struct screen *s = top(a);
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    if (!s || !s->ops->draw_rows || a->help || rows < XA_TUI_MIN_ROWS ||
        cols < XA_TUI_MIN_COLS || !w_body) {
        draw_all(a);
        return;
    }
    a->cur_y = a->cur_x = -1;
    int brows, bcols;
    getmaxyx(w_body, brows, bcols);
    s->ops->draw_rows(a, s, w_body, brows, bcols);
    place_cursor(a, brows, bcols);
    wnoutrefresh(w_body);
    doupdate();
}

/* ---- input ---- */

/* Read one key, waiting at most delay_ms; 1 with a key, 0 on timeout or
 * interrupt, -1 when the terminal is gone (EIO, hang-up, or ERR in a row
 * without waiting). */
static int read_key(struct tui_key *k, int delay_ms, int *fast_errs)
{
    wint_t ch;
    int64_t t0 = xa_mono_ms();
    /* The window may be new (a resize recreates it): set its wait each time. */
    WINDOW *w = w_body ? w_body : stdscr;
    wtimeout(w, delay_ms);
    errno = 0;
    int rc = wget_wch(w, &ch);
    if (rc == ERR) {
        if (got_signal)
            return 0;
        if (errno == EIO) {
            lost_reason = "input/output error";
            return -1;
        }
        struct pollfd p = {.fd = 0, .events = POLLIN};
        if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) {
            lost_reason = "hang-up";
            return -1;
        }
        if (delay_ms > 0 && xa_mono_ms() - t0 < delay_ms / 4) {
            if (++*fast_errs >= FAST_ERR_LIMIT) {
                lost_reason = "no input, only errors";
                return -1;
            }
        } else {
            *fast_errs = 0;
        }
        return 0;
    }
    *fast_errs = 0;
    memset(k, 0, sizeof *k);
    if (rc == KEY_CODE_YES) {
        k->is_key = 1;
        k->code = (int)ch | KF;
    } else if (ch == KESC) {
        tui_read_escape(w, k); /* F9 under a TERM that does not match is no Esc */
    } else {
        k->ch = ch;
        k->code = (int)ch;
        if (ch == '\n')
            k->code = '\r', k->ch = '\r'; /* Enter, whatever the tty mode */
    }
    return 1;
}

/* Handle one key: the screen first, then the global actions.  Returns 1
 * when the screen must be drawn again, 2 when only what the key changed
 * (R_ROWS), 0 when nothing. */
static int handle_key(struct app *a, const struct tui_key *k)
{
    if (k->code == KK(KEY_RESIZE)) {
        layout();
        return 1;
    }
    if (a->help) {
        /* The help scrolls with the list keys; any other key closes it. */
        int c = k->code, page = LINES > 8 ? LINES - 6 : 1;
        if (c == KK(KEY_DOWN) || c == 'j')
            a->help_top++;
        else if (c == KK(KEY_UP) || c == 'k')
            a->help_top--;
        else if (c == KK(KEY_NPAGE) || c == ' ')
            a->help_top += page;
        else if (c == KK(KEY_PPAGE))
            a->help_top -= page;
        else if (c == KK(KEY_HOME) || c == 'g')
            a->help_top = 0;
        else if (c == KK(KEY_END) || c == 'G')
            a->help_top = 1 << 20;
        else
            a->help = 0;
        if (a->help_top < 0)
            a->help_top = 0;
        return 1;
    }
    a->keys++;
    /* On the home screen a message lasts until the next key: home is where
     * one comes back to, and an old message there reads as news. */
    if (a->msg[0] && a->depth > 0 && a->stack[a->depth - 1].ops->id == SCR_HOME) {
        a->msg[0] = '\0';
        a->redraw = 1;
    }
    if (k->code == KUNKNOWN) {
        tui_msg(a, 1, T(S_KEY_UNKNOWN), getenv("TERM") ? getenv("TERM") : "");
        return 1;
    }
    struct screen *s = top(a);
    if (!s)
        return 0;
    enum scr_id id = s->ops->id;
    enum tui_action act = tui_action_for(id, k);
    int typing = text_focus(a);
    /* While typing, printable keys are text: they reach the screen (and its
     * text field) as characters, not as actions. */
    if (typing && !k->is_key && k->ch >= 32 && k->ch != 127)
        act = ACT_NONE;
    /* Backspace is text, not "clear the answer", in a text field. */
    if (typing && (k->code == 127 || k->code == 8 || k->code == KK(KEY_BACKSPACE)))
        act = ACT_NONE;
    int r = s->ops->key ? s->ops->key(a, s, k, act) : R_NONE;
    if (r & R_QUIT)
        a->quit = 1;
    if (r != R_NONE)
        return (r & R_REDRAW) ? 1 : (r & R_ROWS) ? 2 : 0;
    switch (act) {
    case ACT_HELP:
        a->help = 1;
        a->help_top = 0;
        return 1;
    case ACT_QUIT:
    case ACT_EXIT:
    case ACT_EXIT_HOME:
        a->quit = 1;
        return 0;
    case ACT_REDRAW:
        clearok(curscr, TRUE);
        return 1;
    case ACT_BACK:
    case ACT_DONE:
        tui_pop(a);
        return 1;
    case ACT_CORRECT:
        /* a sealed visit on the checklist or the review: correct it */
        if (a->sess && a->sess->doc && a->sess->readonly)
            return tui_correct(a, xa_doc_str(a->sess->doc, "id"));
        return 0;
    default:
        /* Esc on the home screen: one key too many on the way back must not
         * end the program (the next start asks for the passphrase again). */
        if (k->code == KESC && id == SCR_HOME) {
            tui_msg(a, 0, "%s", T(S_HOME_ESC));
            return 1;
        }
        return 0; /* a key that means nothing here changes nothing */
    }
}

/* ---- the run ---- */

static int is_utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

/* Keep stderr (library messages, sanitizer reports) off the curses screen:
 * send it to tui.log in the home folder while curses runs. */
static void redirect_stderr(const char *home)
{
    char *path = xa_path_join(home, "tui.log");
    /* O_NOFOLLOW: a tui.log planted as a symlink is not written through. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    free(path);
    if (fd < 0)
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    saved_stderr = dup(2);
    dup2(fd, 2);
    close(fd);
}

static int start_curses(void)
{
    if (!newterm(NULL, stdout, stdin))
        return 0;
    curses_up = 1;
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    if (!getenv("ESCDELAY"))
        set_escdelay(25); /* a slow link: ESCDELAY=100 in the environment */
    tui_theme_init();
    tui_lines_init();
    layout();
    return 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal; /* no SA_RESTART: get_wch returns at once */
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_abort;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGABRT, &sa, NULL);
}

/* Messages made while the screen is up (a refused save's reason, a store
 * error) follow the UI's language, not the locale's: a Chinese screen on a
 * C.UTF-8 terminal must not say why in English.  Called at every turn of
 * the loop, so the L key's switch reaches them too. */
static void sync_lang(void)
{
    static int synced = -1;
    if (synced != tui_lang_en) {
        xa_i18n_init(tui_lang_en ? "en" : "zh");
        synced = tui_lang_en;
    }
}

/* The loop: draw, wait for keys, take all that are waiting, save when idle. */
static void run_loop(struct app *a)
{
    int fast_errs = 0, dirty = 1;
    while (!a->quit && a->depth > 0) {
        sync_lang();
        if (got_signal)
            break;
        if (dirty & 1)
            draw_all(a);
        else if (dirty & 2)
            draw_rows(a);
        dirty = 0;
        struct tui_key k;
        int r = read_key(&k, TICK_MS, &fast_errs);
        if (r < 0) {
            a->lost = 1;
            fprintf(stderr, "xiaoan: the terminal is gone (%s); saving and leaving\n",
                    lost_reason);
            break;
        }
        if (r == 0) {
            enum save_state was = sess_save_state(a->sess);
            idle_save(a);
            sess_ui_tick(a->sess);
            if (sess_save_state(a->sess) != was || a->redraw)
                dirty = 1;
            a->redraw = 0;
            /* Thin links: the cursor rests, now the detail pane it hid. */
            if (a->rest_pending && !a->resting) {
                a->resting = 1;
                a->rest_pending = 0;
                dirty |= 2;
            }
            continue;
        }
        enum save_state was = sess_save_state(a->sess);
        a->resting = 0;
        a->last_key_ms = xa_mono_ms();
        dirty |= handle_key(a, &k);
        /* A paste arrives as many keys at once: take them all, draw once. */
        for (int n = 0; n < BATCH_MAX && !a->quit && !got_signal && a->depth > 0; n++) {
            int fe = 0;
            if (read_key(&k, 0, &fe) <= 0)
                break;
            dirty |= handle_key(a, &k);
        }
        idle_save(a);
        /* Messages, screens pushed or popped and the save indicator draw too,
         * whatever the key handler said. */
        if (a->redraw || sess_save_state(a->sess) != was)
            dirty = 1;
        a->redraw = 0;
    }
}

void xa_tui_thin_link(int on)
{
    tui_thin = on != 0;
}

int xa_tui_run(const char *home, const char *passfile, const char *lang)
{
    struct app app;
    memset(&app, 0, sizeof app);
    struct app *a = &app;
    xa_err err;
    xa_err_clear(&err);

    if (!lang)
        lang = getenv("XIAOAN_LANG");
    const char *thin = getenv("XIAOAN_THIN");
    if (thin && !strcmp(thin, "1"))
        tui_thin = 1;
    tui_utf8 = is_utf8_locale();
    tui_lang_en = (lang && !strncmp(lang, "en", 2)) || !tui_utf8;
    if (xa_home_resolve(home, &a->home_dir, &err) != XA_OK) {
        fprintf(stderr, "xiaoan: %s\n", xa_err_msg(&err));
        return 1;
    }
    /* One UI per home (issue 11 #5): a second one says who has it and leaves
     * before it opens anything; the lock goes when this process ends, however. */
    xa_homelock *lock = NULL;
    if (xa_home_lock_lang(a->home_dir, "xiaoan tui", !tui_lang_en, &lock, &err) != XA_OK) {
        fprintf(stderr, "xiaoan: %s\n", xa_err_msg(&err));
        free(a->home_dir);
        return 1;
    }
    a->home = home; /* as given (--home), for the commands the guide prints */
    a->passfile = passfile;
    a->sess = sess_new(a->home_dir);
    /* With a passphrase file the store is opened before the screen exists,
     * so a wrong file is one plain line on stderr. */
    if (passfile && sess_has_store(a->sess)) {
        char *pass = NULL;
        xa_code c = xa_pass_from_file(passfile, &pass, &err);
        if (c == XA_OK) {
            c = sess_unlock(a->sess, pass, &err);
            xa_pass_free(pass);
        }
        if (c != XA_OK) {
            fprintf(stderr, "xiaoan: %s\n", xa_err_msg(&err));
            sess_free(a->sess);
            free(a->home_dir);
            xa_home_unlock(lock);
            return 1;
        }
    }
    if (!isatty(0) || !isatty(1)) {
        fprintf(stderr, "xiaoan: the terminal UI needs a terminal (see xiaoan --help for commands)\n");
        sess_free(a->sess);
        free(a->home_dir);
        xa_home_unlock(lock);
        return 1;
    }
    redirect_stderr(a->home_dir);
    install_signals();
    if (!start_curses()) {
        restore_terminal();
        fprintf(stderr, "xiaoan: cannot open the terminal (TERM=%s)\n",
                getenv("TERM") ? getenv("TERM") : "");
        sess_free(a->sess);
        free(a->home_dir);
        xa_home_unlock(lock);
        return 1;
    }
    if (!sess_has_store(a->sess))
        tui_push(a, &scr_guide, NULL);
    else if (!sess_unlocked(a->sess))
        tui_push(a, &scr_unlock, NULL);
    else
        tui_start(a);

    run_loop(a);

    /* Every way out comes through here: save, leave the screens, restore. */
    if (a->depth > 0)
        save_now(a);
    while (a->depth > 0) {
        struct screen *s = top(a);
        if (s->ops->leave)
            s->ops->leave(a, s);
        drop_data(s);
        a->depth--;
    }
    sess_save(a->sess);
    sess_ui_flush(a->sess);
    int failed = sess_save_state(a->sess) == SAVE_FAILED;
    char failmsg[XA_ERR_MSG_MAX];
    snprintf(failmsg, sizeof failmsg, "%s", sess_save_error(a->sess));
    restore_terminal();
    int code = a->exit_code;
    if (failed) {
        fprintf(stderr, "xiaoan: ");
        fprintf(stderr, T(S_QUIT_UNSAVED), failmsg);
        fputc('\n', stderr);
        code = 1;
    } else if (a->exit_msg[0]) {
        fprintf(stderr, "xiaoan: %s\n", a->exit_msg);
    }
    if (got_signal) {
        code = 128 + got_signal;
    } else if (a->lost) {
        code = 1;
    }
    sess_free(a->sess);
    free(a->home_dir);
    xa_home_unlock(lock); /* after the store is closed */
    return code;
}
