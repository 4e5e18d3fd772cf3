/* scr_attach.c — photos and documents of a hazard (整改前), a follow-up
 * (整改后) or the visit itself (e.g. the sign-in book): the files already
 * attached (name, type, size, the photo's own EXIF time), and below them a
 * folder listing to attach more from.  The listing shows folders and only
 * the files the field store accepts (JPEG, PNG, HEIC, PDF, recognised by
 * their first bytes, never by the name), each with its size and, for a
 * JPEG, the time the photo says it was taken.  Keyboard only: ↑↓ move,
 * Enter opens a folder or attaches, Space marks several files, Backspace/←
 * goes up a folder, ~ to the home folder, Tab switches to the attached
 * list, where F8 (twice) removes one before sealing.
 *
 * It starts in the folder used last in this run, else ~/Pictures (or
 * ~/图片), else the home folder.  The folder is not written to disk:
 * folder names often name a school, and nothing outside the encrypted store
 * may (tui-state.json keeps ids and positions only). */
#include "tui_int.h"
#include "session.h"

#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIST_MAX 5000 /* entries of one folder listed (a camera card has fewer) */

/* The folder last used in this run (see the top comment: never on disk). */
static char last_dir[PATH_MAX];

struct fentry {
    char *name;
    int dir;            /* a folder (".." is the parent) */
    int64_t size;
    const char *type;   /* "jpeg", "png", "heic", "pdf" (files) */
    int exif_read;      /* taken[] was looked up (lazily, when first drawn) */
    char taken[40];
    int marked;
};

struct attach {
    xa_attach_for target;
    char ref[XA_ID_HEX];     /* the hazard's id (hazard and follow-up); "" for the visit */
    char title[160];
    char *dir;               /* the folder listed (absolute) */
    struct fentry *e;
    int ne, nmarked;
    struct tlist files;      /* the folder listing */
    struct tlist got;        /* the attached files */
    int pane;                /* 0: folder listing, 1: attached list */
    int confirm_remove;
    int files_rows, got_rows;
};

/* ---- the attached files of the target ---- */

static const char *const for_names[] = {"visit", "hazard", "followup"};

/* Does attachment entry e belong to the screen's target? */
static int is_ours(const struct attach *d, const json_t *e)
{
    if (strcmp(xa_doc_str(e, "for"), for_names[d->target]))
        return 0;
    return d->target == XA_ATTACH_VISIT ? json_is_null(json_object_get(e, "ref"))
                                        : !strcmp(xa_doc_str(e, "ref"), d->ref);
}

/* The k-th attachment of the target in doc, or NULL. */
static json_t *our_entry(const struct attach *d, json_t *doc, int k)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "attachments"), i, e)
    {
        if (is_ours(d, e) && k-- == 0)
            return e;
    }
    return NULL;
}

static int our_count(const struct attach *d, json_t *doc)
{
    return (int)xa_attach_count(doc, for_names[d->target], d->target == XA_ATTACH_VISIT ? NULL : d->ref);
}

/* Where xa_attach_file counts the target: the 1-based place of the hazard
 * (or of the follow-up of the hazard) in the document; 0 when gone. */
static size_t target_n(const struct attach *d, json_t *doc)
{
    if (d->target == XA_ATTACH_VISIT)
        return 0;
    const char *arr = d->target == XA_ATTACH_HAZARD ? "hazards" : "followups";
    const char *key = d->target == XA_ATTACH_HAZARD ? "id" : "hazard";
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(doc, arr), i, o)
    {
        if (!strcmp(xa_doc_str(o, key), d->ref))
            return i + 1;
    }
    return 0;
}

/* ---- sizes and times ---- */

/* 356 KB, 4.2 MB (1024-based, as file managers show). */
static void size_text(int64_t n, char out[24])
{
    if (n < 1024)
        snprintf(out, 24, "%lld B", (long long)n);
    else if (n < (int64_t)1 << 20)
        snprintf(out, 24, "%lld KB", (long long)((n + 1023) / 1024));
    else
        snprintf(out, 24, "%.1f MB", (double)n / (1 << 20));
}

/* "2026-12-01T09:30:05" as "2026-12-01 09:30", or "—" when the file has none. */
static void taken_text(const char *t, char out[24])
{
    if (!t || strlen(t) < 16)
        snprintf(out, 24, "%s", tui_utf8 ? "—" : "-");
    else
        snprintf(out, 24, "%.10s %.5s", t, t + 11);
}

static const char *type_label(const char *type)
{
    if (!type)
        return "";
    if (!strcmp(type, "jpeg"))
        return "JPEG";
    if (!strcmp(type, "png"))
        return "PNG";
    if (!strcmp(type, "heic"))
        return "HEIC";
    if (!strcmp(type, "pdf"))
        return "PDF";
    return type;
}

/* ---- the folder listing ---- */

static void entries_free(struct attach *d)
{
    for (int i = 0; i < d->ne; i++)
        free(d->e[i].name);
    free(d->e);
    d->e = NULL;
    d->ne = d->nmarked = 0;
}

/* Folders first (".." at the top), then files, each by name. */
static int by_kind_name(const void *x, const void *y)
{
    const struct fentry *a = x, *b = y;
    if (a->dir != b->dir)
        return b->dir - a->dir;
    int pa = !strcmp(a->name, ".."), pb = !strcmp(b->name, "..");
    if (pa != pb)
        return pb - pa;
    return strcmp(a->name, b->name);
}

/* The type of the file name in the open folder dfd by its first bytes
 * (NULL: not one the store accepts, or unreadable). */
static const char *sniff_at(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return NULL;
    uint8_t head[16];
    ssize_t got;
    do
        got = read(fd, head, sizeof head);
    while (got < 0 && errno == EINTR);
    close(fd);
    return got > 0 ? xa_attach_sniff(head, (size_t)got) : NULL;
}

/* List folder path (absolute); 0 when it cannot be read (the old listing stays). */
static int list_dir(struct attach *d, const char *path)
{
    DIR *dp = opendir(path);
    if (!dp)
        return 0;
    entries_free(d);
    int dfd = dirfd(dp), cap = 0;
    if (strcmp(path, "/")) {
        d->e = xa_reallocarray(NULL, (size_t)(cap = 64), sizeof *d->e);
        d->e[d->ne++] = (struct fentry){.name = xa_strdup(".."), .dir = 1};
    }
    struct dirent *de;
    while ((de = readdir(dp)) && d->ne < LIST_MAX) {
        if (de->d_name[0] == '.')
            continue; /* ".", "..", hidden files */
        struct stat st;
        if (fstatat(dfd, de->d_name, &st, 0) != 0)
            continue;
        struct fentry f = {0};
        if (S_ISDIR(st.st_mode)) {
            f.dir = 1;
        } else if (S_ISREG(st.st_mode)) {
            if (!(f.type = sniff_at(dfd, de->d_name)))
                continue; /* only what can be attached */
            f.size = (int64_t)st.st_size;
        } else {
            continue;
        }
        f.name = xa_strdup(de->d_name);
        if (d->ne == cap)
            d->e = xa_reallocarray(d->e, (size_t)(cap = cap ? cap * 2 : 64), sizeof *d->e);
        d->e[d->ne++] = f;
    }
    closedir(dp);
    if (d->ne > 1)
        qsort(d->e, (size_t)d->ne, sizeof *d->e, by_kind_name);
    free(d->dir);
    d->dir = xa_strdup(path);
    snprintf(last_dir, sizeof last_dir, "%s", path);
    d->files = (struct tlist){0};
    d->files.n = d->ne;
    return 1;
}

/* The home folder: $HOME, else the password database's. */
static const char *home_dir(void)
{
    const char *h = getenv("HOME");
    if (h && *h == '/')
        return h;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_dir ? pw->pw_dir : "/";
}

static int is_dir(const char *p)
{
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first folder that lists: the last used, ~/Pictures, ~/图片, home, /. */
static void list_start(struct attach *d)
{
    const char *h = home_dir();
    char *pics = xa_path_join(h, "Pictures"), *tu = xa_path_join(h, "图片");
    const char *try[] = {last_dir, pics, tu, h, "/"};
    for (size_t i = 0; i < sizeof try / sizeof try[0]; i++)
        if (is_dir(try[i]) && list_dir(d, try[i]))
            break;
    free(pics);
    free(tu);
}

/* Into the selected folder, or up to the parent (selecting where we came from). */
static int open_folder(struct app *a, struct attach *d, const char *name)
{
    char *joined = xa_path_join(d->dir, name), real[PATH_MAX];
    char *from = !strcmp(name, "..") ? xa_strdup(strrchr(d->dir, '/') + 1) : NULL;
    int ok = realpath(joined, real) && list_dir(d, real);
    if (!ok)
        tui_msg(a, 1, T(S_AT_NO_FOLDER), name);
    else if (from)
        for (int i = 0; i < d->ne; i++)
            if (!strcmp(d->e[i].name, from))
                d->files.sel = i;
    free(from);
    free(joined);
    return R_REDRAW;
}

/* ---- attaching and removing ---- */

/* Why a file was refused, in the UI language for the refusals people meet. */
static void say_refused(struct app *a, const char *name, const xa_err *err,
                        const xa_attach_limits *lim)
{
    if (err->code == XA_ELIMIT)
        tui_msg(a, 1, T(S_AT_TOO_BIG), name, (long long)(lim->file_max >> 20),
                (long long)(lim->visit_max >> 20));
    else if (err->code == XA_EFORMAT)
        tui_msg(a, 1, T(S_AT_BAD_TYPE), name);
    else
        tui_msg(a, 1, T(S_ERR), xa_err_msg(err));
}

/* Attach the marked files (or the selected one when none is marked), in
 * listing order, stopping at the first refusal (the ones before it stay). */
static int attach_files(struct app *a, struct attach *d)
{
    struct session *ss = a->sess;
    if (ss->readonly) {
        tui_msg(a, 1, "%s", T(S_ERR_SEALED));
        return R_REDRAW;
    }
    size_t n = target_n(d, ss->doc);
    if (d->target != XA_ATTACH_VISIT && !n) {
        tui_msg(a, 1, "%s", T(S_AT_GONE));
        return R_REDRAW;
    }
    xa_attach_limits lim;
    xa_attach_limits_of(ss->records, &lim);
    /* Anything typed elsewhere is in the document: saved with it. */
    sess_save(ss);
    int done = 0, sel = d->files.sel;
    for (int i = 0; i < d->ne; i++) {
        struct fentry *f = &d->e[i];
        if (f->dir || (d->nmarked ? !f->marked : i != sel))
            continue;
        char *path = xa_path_join(d->dir, f->name);
        xa_err err;
        xa_err_clear(&err);
        xa_code c = xa_attach_file(ss->fs, ss->doc, &ss->revision, d->target, n, path, &lim, NULL, &err);
        free(path);
        if (c != XA_OK) {
            say_refused(a, f->name, &err, &lim);
            d->got.n = our_count(d, ss->doc);
            return R_REDRAW;
        }
        sess_saved_whole(ss);
        if (f->marked)
            f->marked = 0, d->nmarked--;
        done++;
    }
    d->got.n = our_count(d, ss->doc);
    d->got.sel = d->got.n - 1;
    if (done)
        tui_msg(a, 0, T(S_AT_ADDED), done);
    return R_REDRAW;
}

/* F8 twice on an attached file: removed from the draft and the store. */
static int remove_selected(struct app *a, struct attach *d)
{
    struct session *ss = a->sess;
    if (ss->readonly) {
        tui_msg(a, 1, "%s", T(S_ERR_SEALED));
        return R_REDRAW;
    }
    json_t *e = our_entry(d, ss->doc, d->got.sel);
    if (!e)
        return R_HANDLED;
    if (!d->confirm_remove) {
        d->confirm_remove = 1;
        tui_msg(a, 1, T(S_AT_REMOVE_CONFIRM), xa_doc_str(e, "name"));
        return R_REDRAW;
    }
    d->confirm_remove = 0;
    char *name = xa_strdup(xa_doc_str(e, "name"));
    char id[XA_ID_HEX];
    snprintf(id, sizeof id, "%s", xa_doc_str(e, "id"));
    sess_save(ss);
    xa_err err;
    xa_err_clear(&err);
    if (xa_attach_remove(ss->fs, ss->doc, &ss->revision, id, &err) != XA_OK) {
        tui_msg(a, 1, T(S_ERR), xa_err_msg(&err));
    } else {
        sess_saved_whole(ss);
        tui_msg(a, 0, T(S_AT_REMOVED), name);
    }
    free(name);
    d->got.n = our_count(d, ss->doc);
    tlist_fit(&d->got, d->got_rows > 0 ? d->got_rows : 1);
    if (!d->got.n)
        d->pane = 0;
    return R_REDRAW;
}

/* ---- the screen ---- */

static int attach_enter(struct app *a, struct screen *s, void *arg)
{
    const struct tui_attach_target *t = arg;
    struct session *ss = a->sess;
    if (!ss->doc || !t)
        return 0;
    struct attach *d = s->data;
    d->target = (xa_attach_for)t->target;
    snprintf(d->ref, sizeof d->ref, "%s", t->ref ? t->ref : "");
    snprintf(d->title, sizeof d->title, "%s %s %s", T(S_AT_TITLE), tui_utf8 ? "·" : "-",
             t->label ? t->label : "");
    d->got.n = our_count(d, ss->doc);
    list_start(d);
    return 1;
}

static void attach_leave(struct app *a, struct screen *s)
{
    (void)a;
    struct attach *d = s->data;
    entries_free(d);
    free(d->dir);
}

static const char *attach_title(struct app *a, struct screen *s)
{
    (void)a;
    return ((struct attach *)s->data)->title;
}

/* One attached file: name, type, size, the time the photo says it was taken. */
static void draw_got(struct attach *d, json_t *e, WINDOW *w, int y, int cols, int sel)
{
    attr_t at = sel ? tui_attr(ROLE_SELECTED) : A_NORMAL;
    char sz[24], tk[24];
    size_text(json_integer_value(json_object_get(e, "size")), sz);
    taken_text(json_string_value(json_object_get(e, "taken")), tk);
    tui_fill(w, y, 1, cols - 2, at);
    int right = 5 + 9 + 2 + (int)xa_utf8_width(T(S_AT_TAKEN)) + 16;
    tui_put(w, y, 3, xa_doc_str(e, "name"), cols - 5 - right, at);
    int has = json_is_string(json_object_get(e, "taken"));
    tui_putf(w, y, cols - right - 1, right, sel ? at : tui_attr(ROLE_DIM), "%-5s%9s  %s%s",
             type_label(xa_doc_str(e, "type")), sz, has ? T(S_AT_TAKEN) : "", tk);
    (void)d;
}

/* One row of the folder listing. */
static void draw_file(struct fentry *f, WINDOW *w, int y, int cols, int sel, int focused)
{
    attr_t at = sel && focused ? tui_attr(ROLE_SELECTED) : sel ? A_REVERSE : A_NORMAL;
    tui_fill(w, y, 1, cols - 2, at);
    if (f->dir) {
        char *n = xa_asprintf("%s/", f->name);
        tui_put(w, y, 1, !strcmp(f->name, "..") ? T(S_AT_PARENT) : n, cols - 3,
                sel ? at : at | A_BOLD);
        free(n);
        return;
    }
    tui_put(w, y, 1, f->marked ? "[x]" : "[ ]", 3, sel ? at : f->marked ? tui_attr(ROLE_PASS) : at);
    char sz[24], tk[24];
    size_text(f->size, sz);
    taken_text(f->taken, tk);
    int right = 5 + 9 + 2 + 16;
    tui_put(w, y, 5, f->name, cols - 7 - right, at);
    tui_putf(w, y, cols - right - 1, right, sel ? at : tui_attr(ROLE_DIM), "%-5s%9s  %s",
             type_label(f->type), sz, tk);
}

/* The folder line: the end of a long path is what tells folders apart, so
 * a path too wide loses its beginning ("…/DCIM/100APPLE"). */
static void draw_folder(const char *dir, WINDOW *w, int y, int cols, attr_t at)
{
    const char *label = T(S_AT_FOLDER);
    char *line = xa_asprintf(label, dir);
    const char *p = dir;
    while (*p && (int)xa_utf8_width(line) > cols) {
        do
            p++;
        while (((unsigned char)*p & 0xc0) == 0x80);
        free(line);
        char *cut = xa_asprintf("%s%s", tui_utf8 ? "…" : "...", p);
        line = xa_asprintf(label, cut);
        free(cut);
    }
    tui_put(w, y, 1, line, cols, at);
    free(line);
}

static void attach_draw(struct app *a, struct screen *s, WINDOW *w, int rows, int cols)
{
    struct attach *d = s->data;
    json_t *doc = a->sess->doc;
    int y = 0, n = our_count(d, doc);
    d->got.n = n;
    /* The attached files: up to a quarter of the rows, at least one. */
    tui_putf(w, y++, 1, cols - 2, d->pane == 1 ? tui_attr(ROLE_HEADING) | A_BOLD : tui_attr(ROLE_HEADING),
             T(S_AT_GOT), n);
    int grows = n < 1 ? 1 : n;
    if (grows > rows / 4)
        grows = rows / 4 > 0 ? rows / 4 : 1;
    d->got_rows = grows;
    tlist_fit(&d->got, grows);
    if (!n)
        tui_put(w, y, 3, T(S_AT_NONE), cols - 4, tui_attr(ROLE_DIM));
    for (int i = d->got.top; i < n && i - d->got.top < grows; i++)
        draw_got(d, our_entry(d, doc, i), w, y + i - d->got.top, cols, d->pane == 1 && i == d->got.sel);
    y += grows;
    tui_hrule(w, y++, 0, cols, tui_attr(ROLE_DIM));
    draw_folder(d->dir ? d->dir : "", w, y++, cols - 2,
                d->pane == 0 ? tui_attr(ROLE_HEADING) | A_BOLD : tui_attr(ROLE_HEADING));
    int lrows = rows - y - 1;
    if (lrows < 1)
        lrows = 1;
    d->files_rows = lrows;
    tlist_fit(&d->files, lrows);
    if (d->ne == 0 || (d->ne == 1 && d->e[0].dir && !strcmp(d->e[0].name, "..")))
        tui_put(w, y + d->ne, 3, T(S_AT_EMPTY), cols - 4, tui_attr(ROLE_DIM));
    for (int i = d->files.top; i < d->ne && i - d->files.top < lrows; i++) {
        struct fentry *f = &d->e[i];
        if (!f->dir && !f->exif_read) {
            /* Read when first shown: a folder of a thousand photos lists at once. */
            f->exif_read = 1;
            if (!strcmp(f->type, "jpeg")) {
                char *p = xa_path_join(d->dir, f->name);
                xa_exif_facts fx;
                if (xa_exif_of_file(p, &fx, NULL) == XA_OK)
                    snprintf(f->taken, sizeof f->taken, "%s", fx.taken);
                free(p);
            }
        }
        draw_file(f, w, y + i - d->files.top, cols, i == d->files.sel, d->pane == 0);
    }
    if (d->nmarked)
        tui_putf(w, rows - 1, 1, cols - 2, tui_attr(ROLE_KEY), T(S_AT_MARKED), d->nmarked);
    else
        tui_put(w, rows - 1, 1, T(S_AT_ONLY), cols - 2, tui_attr(ROLE_DIM));
}

static int attach_key(struct app *a, struct screen *s, const struct tui_key *k,
                      enum tui_action act)
{
    (void)k;
    struct attach *d = s->data;
    if (act != ACT_DETACH)
        d->confirm_remove = 0;
    if (act == ACT_PANE) {
        d->pane = !d->pane && d->got.n ? 1 : 0;
        return R_REDRAW;
    }
    if (d->pane == 1) {
        int moved = tlist_move(&d->got, act, d->got_rows > 0 ? d->got_rows : 1);
        if (moved)
            return moved;
        if (act == ACT_DETACH)
            return remove_selected(a, d);
        if (act == ACT_UPDIR || act == ACT_OPEN) {
            d->pane = 0;
            return R_REDRAW;
        }
        return R_NONE;
    }
    int moved = tlist_move(&d->files, act, d->files_rows > 0 ? d->files_rows : 5);
    if (moved)
        return moved;
    struct fentry *f = d->ne ? &d->e[d->files.sel] : NULL;
    switch (act) {
    case ACT_OPEN:
        if (!f)
            return R_HANDLED;
        if (f->dir && !d->nmarked)
            return open_folder(a, d, f->name);
        return attach_files(a, d);
    case ACT_MARK:
        if (!f)
            return R_HANDLED;
        if (!f->dir) {
            f->marked = !f->marked;
            d->nmarked += f->marked ? 1 : -1;
        }
        tlist_move(&d->files, ACT_DOWN, d->files_rows > 0 ? d->files_rows : 5);
        return R_REDRAW;
    case ACT_UPDIR:
        if (!d->dir || !strcmp(d->dir, "/"))
            return R_HANDLED;
        return open_folder(a, d, "..");
    case ACT_HOMEDIR: {
        const char *h = home_dir();
        if (!list_dir(d, h))
            tui_msg(a, 1, T(S_AT_NO_FOLDER), h);
        return R_REDRAW;
    }
    case ACT_DETACH:
        if (d->got.n) {
            d->pane = 1;
            return remove_selected(a, d);
        }
        return R_HANDLED;
    default:
        return R_NONE;
    }
}

const struct screen_ops scr_attach = {
    .id = SCR_ATTACH,
    .name = "attach",
    .data_size = sizeof(struct attach),
    .enter = attach_enter,
    .draw = attach_draw,
    .key = attach_key,
    .leave = attach_leave,
    .title = attach_title,
};

/* Open the photos of a target from another screen (its text saved first). */
int tui_attach_open(struct app *a, int target, const char *ref, const char *label)
{
    struct tui_attach_target t = {target, ref, label};
    sess_save(a->sess);
    return tui_push(a, &scr_attach, &t);
}
