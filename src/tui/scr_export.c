/* scr_export.c — export: how many sealed visits wait, the folder to write
 * the bundle to, and after writing, the file's path and the fingerprint of
 * the office it is encrypted to (to read out on the phone if in doubt).
 * The bundle is written by xa_field_export, as `xiaoan export` does. */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/field.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { K_DIR, K_WRITE };

struct export {
    struct fields fs;
    int pending;          /* sealed visits not yet exported */
    char *written;        /* the paths of the bundles just written */
    int nwritten;         /* how many (an export over 100 MB is split) */
};

/* Count what waits for export. */
static void count(struct app *a, struct export *d)
{
    size_t n = 0;
    d->pending = 0;
    if (xa_fstore_unexported_count(a->sess->fs, &n, NULL) == XA_OK)
        d->pending = (int)n;
}

static int export_enter(struct app *a, struct screen *s, void *arg)
{
    (void)arg;
    struct export *d = s->data;
    fields_init(&d->fs);
    struct field *f = fields_add(&d->fs, F_TEXT, K_DIR, T(S_EXPORT_PATH));
    char cwd[4096];
    tinput_set(&f->in, getcwd(cwd, sizeof cwd) ? cwd : a->home_dir);
    fields_add(&d->fs, F_BUTTON, K_WRITE, T(S_EXPORT_DO));
    d->fs.focus = 1;
    count(a, d);
    return 1;
}

static void export_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct export *d = s->data;
    fields_free(&d->fs);
    free(d->written);
}

static const char *export_title(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return T(S_EXPORT_TITLE);
}

static void export_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct export *d = s->data;
    struct session *ss = a->sess;
    int y = 1;
    if (d->pending)
        tui_putf(w, y++, 2, cols - 4, A_BOLD, T(S_EXPORT_COUNT), d->pending);
    else
        tui_put(w, y++, 2, T(S_EXPORT_NONE), cols - 4, tui_attr(ROLE_DIM));
    tui_putf(w, y++, 2, cols - 4, A_NORMAL, T(S_EXPORT_OFFICE), ss->office_fp ? ss->office_fp : "?");
    y++;
    fields_draw(&d->fs, w, y, 2, 3, cols - 4);
    tui_cursor(a, d->fs.cy, d->fs.cx);
    y += 4;
    if (d->written) {
        tui_putf(w, y++, 2, cols - 4, tui_attr(ROLE_PASS) | A_BOLD, T(S_EXPORT_DONE), "");
        if (d->nwritten > 1)
            tui_putf(w, y++, 2, cols - 4, A_BOLD, T(S_EXPORT_PARTS), d->nwritten);
        y += tui_para(w, y, 4, d->written, cols - 6, 3, A_BOLD);
        tui_para(w, y + 1, 2, T(S_EXPORT_TELL), cols - 4, rows - y - 1, A_NORMAL);
    }
}

/* Write the bundle with the function `xiaoan export` uses, into a folder that
 * is there: a USB stick that is not mounted must not get its bundle written
 * onto the laptop's disk under the mount point's name. */
static xa_code write_bundle(struct app *a, const char *dir, char **path, int *n, xa_err *err)
{
    struct stat st;
    if (*dir && stat(dir, &st) != 0)
        return xa_fail(err, XA_ENOTFOUND,
                       "the folder %s does not exist: is the USB stick mounted?", dir);
    if (*dir && !S_ISDIR(st.st_mode))
        return xa_fail(err, XA_EUSAGE, "%s is not a folder", dir);
    xa_export_result res;
    memset(&res, 0, sizeof res);
    xa_code c = xa_field_export(a->sess->fs, *dir ? dir : NULL, &res, err);
    *n = 0;
    if (c == XA_OK && res.path) { /* every bundle's path, one after the other */
        xa_buf b = XA_BUF_INIT;
        for (size_t i = 0; i < res.nparts; i++)
            xa_buf_printf(&b, "%s%s", i ? "  " : "", res.parts[i].path);
        *path = xa_strdup(b.data);
        *n = (int)res.nparts;
        xa_buf_clear(&b);
    } else if (c == XA_OK) { /* only an interrupted export's bundle was recovered */
        *path = res.recovered;
        res.recovered = NULL;
    }
    xa_export_result_clear(&res);
    return c;
}

static int export_key(struct app *a, struct screen *s, const struct tui_key *k,
                      enum tui_action act)
{
    struct export *d = s->data;
    int changed, pressed;
    if (act == ACT_WRITE)
        pressed = K_WRITE;
    else if (fields_key(&d->fs, k, act, &changed, &pressed) == R_NONE)
        return R_NONE;
    if (pressed == K_WRITE) {
        if (!d->pending) {
            tui_msg(a, 1, "%s", T(S_EXPORT_NONE));
            return R_REDRAW;
        }
        char *dir = tinput_get(&fields_get(&d->fs, K_DIR)->in), *path = NULL;
        xa_err err;
        int n = 0;
        if (write_bundle(a, dir, &path, &n, &err) != XA_OK) {
            tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
        } else if (path) {
            free(d->written);
            d->written = path;
            d->nwritten = n;
            count(a, d);
        }
        free(dir);
    }
    return R_REDRAW;
}

static int export_text(struct app *a, struct screen *s)
{
    (void)a;
    return fields_text_focus(&((struct export *)s->data)->fs);
}

const struct screen_ops scr_export = {
    .id = SCR_EXPORT,
    .name = "export",
    .data_size = sizeof(struct export),
    .enter = export_enter,
    .draw = export_draw,
    .key = export_key,
    .leave = export_leave,
    .title = export_title,
    .text_focus = export_text,
};
