/* scr_unlock.c — the unlock screen (passphrase with echo off; three wrong
 * tries and the program leaves) and the first-run guide (no identity or
 * no brief yet: what to do, in plain words). */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <stdlib.h>
#include <string.h>

#define UNLOCK_TRIES 3

struct unlock {
    struct tinput pass;
    int tries;
};

static int unlock_enter(struct app *a, struct screen *s, void *arg)
{
    (void)a;
    (void)arg;
    struct unlock *u = s->data;
    tinput_init(&u->pass, 0, 1024);
    u->pass.secret = 1;
    return 1;
}

static void unlock_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct unlock *u = s->data;
    tinput_wipe(&u->pass);
    tinput_free(&u->pass);
}

static const char *unlock_title(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return T(S_UNLOCK_TITLE);
}

static void unlock_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct unlock *u = s->data;
    int y = rows / 3, x = 4, width = cols - 8;
    (void)tui_para(w, 1, x, a->home_dir, width, 1, tui_attr(ROLE_DIM));
    tui_put(w, y, x, T(S_UNLOCK_PROMPT), width, A_BOLD);
    int cy = -1, cx = -1;
    tinput_draw(&u->pass, w, y + 2, x, 1, 30, 1, tui_attr(ROLE_FIELD), &cy, &cx);
    tui_cursor(a, cy, cx);
    if (u->tries)
        tui_putf(w, y + 4, x, width, tui_attr(ROLE_WARN), T(S_UNLOCK_WRONG), UNLOCK_TRIES - u->tries);
}

static int unlock_key(struct app *a, struct screen *s, const struct tui_key *k,
                      enum tui_action act)
{
    struct unlock *u = s->data;
    int enter = k->code == '\r' || k->code == KK(KEY_ENTER);
    if (!enter) {
        if (act == ACT_HELP || act == ACT_QUIT || act == ACT_EXIT || act == ACT_REDRAW)
            return R_NONE;
        tinput_key(&u->pass, k);
        return R_REDRAW;
    }
    if (!u->pass.len)
        return R_HANDLED;
    char *pass = xa_secret_alloc(u->pass.len * 4 + 1);
    size_t n = 0;
    for (size_t i = 0; i < u->pass.len; i++)
        n += xa_utf8_encode((uint32_t)u->pass.buf[i], pass + n);
    pass[n] = '\0';
    tinput_wipe(&u->pass);
    xa_err err;
    xa_err_clear(&err);
    xa_code c = sess_unlock(a->sess, pass, &err);
    xa_secret_free(pass);
    if (c == XA_OK) {
        tui_start(a);
        return R_REDRAW;
    }
    if (c != XA_EPASS) {
        snprintf(a->exit_msg, sizeof a->exit_msg, "%s", xa_err_msg(&err));
        a->exit_code = 1;
        return R_QUIT;
    }
    if (++u->tries >= UNLOCK_TRIES) {
        snprintf(a->exit_msg, sizeof a->exit_msg, "%s", T(S_UNLOCK_GIVEUP));
        a->exit_code = 1;
        return R_QUIT;
    }
    return R_REDRAW;
}

static int unlock_text(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return 1;
}

const struct screen_ops scr_unlock = {
    .id = SCR_UNLOCK,
    .name = "unlock",
    .data_size = sizeof(struct unlock),
    .enter = unlock_enter,
    .draw = unlock_draw,
    .key = unlock_key,
    .leave = unlock_leave,
    .title = unlock_title,
    .text_focus = unlock_text,
};

/* ---- the first-run guide ---- */

static const char *guide_title(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return T(S_GUIDE_TITLE);
}

/* One step: a paragraph, then the command to type, indented (wrapped, never
 * cut: it is meant to be copied). */
static int step(WINDOW *w, int y, int x, int width, int rows, int n, const char *text,
                const char *cmd)
{
    if (y >= rows)
        return y;
    char num[8];
    snprintf(num, sizeof num, "%d.", n);
    tui_put(w, y, x, num, 3, A_BOLD);
    y += tui_para(w, y, x + 3, text, width - 3, rows - y, A_NORMAL);
    if (cmd && y < rows)
        y += tui_para(w, y, x + 6, cmd, width - 6, rows - y, tui_attr(ROLE_KEY));
    return y + 1;
}

/* s as one shell word: as it is when it has only safe characters, else in
 * single quotes (a quote inside as '\''). */
static void shell_word(xa_buf *b, const char *s)
{
    if (s[0] && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789/._-+:@%,=") == strlen(s)) {
        xa_buf_puts(b, s);
        return;
    }
    xa_buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            xa_buf_puts(b, "'\\''");
        else
            xa_buf_putc(b, *p);
    }
    xa_buf_putc(b, '\'');
}

/* "xiaoan WORDS [--home HOME] [REST]": the commands carry the --home the
 * program was started with, so that pasted they reach the same folder. */
static char *command(const struct app *a, const char *words, const char *rest)
{
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "xiaoan");
    if (words && *words) {
        xa_buf_putc(&b, ' ');
        xa_buf_puts(&b, words);
    }
    if (a->home && *a->home) {
        xa_buf_puts(&b, " --home ");
        shell_word(&b, a->home_dir);
    }
    if (rest && *rest) {
        xa_buf_putc(&b, ' ');
        xa_buf_puts(&b, rest);
    }
    return xa_buf_steal(&b);
}

static void guide_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    (void)s;
    int x = 2, width = cols - 4, y = 1, n = 1;
    tui_put(w, y, x, T(S_GUIDE_TITLE), width, tui_attr(ROLE_HEADING));
    y += 2;
    char *cmd;
    if (!sess_has_store(a->sess)) {
        cmd = command(a, "init", tui_lang_en ? "--name \"YOUR NAME\"" : "--name 你的姓名");
        y = step(w, y, x, width, rows, n++, T(S_GUIDE_NOID), cmd);
        free(cmd);
        cmd = command(a, "id", NULL);
        y = step(w, y, x, width, rows, n++, T(S_GUIDE_NOID2), cmd);
        free(cmd);
    }
    cmd = command(a, "brief import", "FILE.xbrief");
    y = step(w, y, x, width, rows, n++, T(S_GUIDE_NOBRIEF), cmd);
    free(cmd);
    cmd = command(a, NULL, NULL);
    y = step(w, y, x, width, rows, n++, T(S_GUIDE_NOBRIEF2), cmd);
    free(cmd);
    if (y < rows) {
        int used = tui_put(w, y, x, T(S_GUIDE_HOME), width, tui_attr(ROLE_DIM));
        tui_put(w, y, x + used + 1, a->home_dir, width - used - 1, tui_attr(ROLE_DIM));
    }
}

static int guide_key(struct app *a, struct screen *s, const struct tui_key *k,
                     enum tui_action act)
{
    (void)a;
    (void)s;
    (void)k;
    if (act == ACT_LANG) {
        tui_lang_en = !tui_lang_en;
        return R_REDRAW;
    }
    return R_NONE;
}

const struct screen_ops scr_guide = {
    .id = SCR_GUIDE,
    .name = "guide",
    .draw = guide_draw,
    .key = guide_key,
    .title = guide_title,
};
