/* attachments.c — the office's view of the photos and PDFs that arrived with
 * sealed visits (issue 15): which attachments belong to a hazard (整改前:
 * attached to the finding; 整改后: attached to a follow-up of it, from any
 * visit) or to a visit, under names people understand
 * (莲都-2026-0012-整改前-1.jpg), and writing them out of the
 * content-addressed folder STORE.attachments/HH/HASH (merge_attach.c) with
 * their bytes checked once more against the signed hash.  The index is the
 * signed visit records themselves: the store keeps no second copy of the
 * entries, so nothing can disagree with what the inspector sealed. */
#include "xiaoan/central.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/loopstore.h"
#include "xiaoan/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *js(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static char *dupz(const char *s)
{
    return xa_strdup(s ? s : "");
}

/* The file name extension of an attachment type. */
static const char *ext_of(const char *type)
{
    if (!type)
        return "bin";
    if (!strcmp(type, "jpeg"))
        return "jpg";
    return type; /* png, heic, pdf */
}

/* A name part safe in a file name: '/', control characters and a leading
 * dot become '_' (school names and numbers come from the store). */
static char *name_part(const char *s)
{
    char *d = xa_strdup(s && *s ? s : "_");
    for (char *p = d; *p; p++)
        if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '_';
    if (d[0] == '.')
        d[0] = '_';
    return d;
}

/* Chinese label of a stage. */
const char *xa_attach_stage_label(const char *for_)
{
    if (for_ && !strcmp(for_, "hazard"))
        return "整改前";
    if (for_ && !strcmp(for_, "followup"))
        return "整改后";
    return "检查记录";
}

/* The registration number of a hazard, else its old ledger number (new string). */
static char *hazard_label(xa_cstore *s, const char *hazard)
{
    struct xa_creg reg;
    xa_err e;
    memset(&reg, 0, sizeof reg);
    if (xa_cstore_reg_get(s, hazard, &reg, &e) == XA_OK) {
        char *n = xa_strdup(reg.number);
        xa_creg_free(&reg);
        return n;
    }
    struct xa_hview v;
    memset(&v, 0, sizeof v);
    if (xa_hazard_view(s, hazard, &v, &e) == XA_OK) {
        char old[32];
        xa_hazard_number(&v.h, old);
        xa_hview_clear(&v);
        return xa_strdup(old);
    }
    return xa_asprintf("%.12s", hazard);
}

struct list {
    struct xa_cattach *v;
    size_t n, cap;
    char *dir;
};

static struct xa_cattach *push(struct list *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = xa_reallocarray(l->v, l->cap, sizeof *l->v);
    }
    struct xa_cattach *a = &l->v[l->n++];
    memset(a, 0, sizeof *a);
    return a;
}

/* The entries of one visit's signed record that pass `want` (hazard NULL:
 * all of them), appended in the document's order. */
static xa_code visit_entries(xa_cstore *s, struct list *l, const char *visit, const char *hazard,
                             xa_err *err)
{
    struct xa_cvisit *v = NULL;
    xa_code c = xa_cstore_visit_get(s, visit, &v, err);
    if (c != XA_OK)
        return c;
    json_t *rec = json_loads(v->record ? v->record : "", 0, NULL);
    const json_t *doc = json_object_get(rec, "doc");
    const char *arrived = js(json_object_get(doc, "times"), "arrived");
    char day[11];
    snprintf(day, sizeof day, "%.10s", arrived ? arrived : v->arrived ? v->arrived : "");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "attachments"), i, e)
    {
        const char *for_ = js(e, "for"), *ref = js(e, "ref");
        if (!for_)
            continue;
        if (hazard && (!ref || strcmp(ref, hazard) || !strcmp(for_, "visit")))
            continue;
        struct xa_cattach *a = push(l);
        a->visit = xa_strdup(v->id);
        a->id = dupz(js(e, "id"));
        a->for_ = xa_strdup(for_);
        a->ref = ref ? xa_strdup(ref) : NULL;
        a->name = dupz(js(e, "name"));
        a->type = dupz(js(e, "type"));
        a->hash = dupz(js(e, "hash"));
        a->taken = js(e, "taken") ? xa_strdup(js(e, "taken")) : NULL;
        a->added = dupz(js(e, "added"));
        a->size = json_integer_value(json_object_get(e, "size"));
        a->stage = xa_attach_stage_label(for_);
        a->school_name = dupz(v->school_name);
        a->day = xa_strdup(day);
        char *path = xa_attachment_path(l->dir, a->hash);
        a->present = access(path, R_OK) == 0;
        free(path);
    }
    json_decref(rec);
    xa_cvisits_free(v, 1);
    return XA_OK;
}

/* Whether the office holds every attachment the visit's signed record
 * lists: a file is published under its hash only after its bytes matched
 * the signed hash and size at merge (merge_attach.c), so a present file is
 * a received and verified one.  A visit exported in several bundles is
 * complete once the last of the parts carrying its attachments merged. */
xa_code xa_cvisit_complete(xa_cstore *s, const char *visit, int *complete, xa_err *err)
{
    struct list l = {.dir = xa_cstore_attachments_dir(xa_cstore_path(s))};
    xa_code c = visit_entries(s, &l, visit, NULL, err);
    *complete = c == XA_OK;
    for (size_t i = 0; i < l.n && *complete; i++)
        *complete = l.v[i].present;
    xa_cattachments_free(l.v, l.n);
    free(l.dir);
    return c;
}

/* Give every attachment its number label and its file name: the hazard's
 * number (or the school and day for a visit's own) + stage + a counter per
 * (label, stage) in the listing's order. */
static void name_all(xa_cstore *s, struct list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct xa_cattach *a = &l->v[i];
        if (a->ref && strcmp(a->for_, "visit"))
            a->label = hazard_label(s, a->ref);
        else
            a->label = xa_asprintf("%s-%s", a->school_name, a->day);
        size_t k = 1;
        for (size_t j = 0; j < i; j++)
            k += !strcmp(l->v[j].label, a->label) && l->v[j].stage == a->stage;
        char *part = name_part(a->label);
        a->file = xa_asprintf("%s-%s-%zu.%s", part, a->stage, k, ext_of(a->type));
        free(part);
    }
}

/* The visits of a hazard's story (the finding's first, then its follow-ups
 * in time order), each once. */
static xa_code hazard_visits(xa_cstore *s, const char *hazard, char ***out, size_t *n, xa_err *err)
{
    struct xa_cfield *ev = NULL;
    size_t nev = 0;
    *out = NULL;
    *n = 0;
    xa_code c = xa_cstore_field_events(s, hazard, &ev, &nev, err);
    if (c != XA_OK)
        return c;
    char **v = xa_calloc(nev + 1, sizeof *v);
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nev; i++) {
            int found = !strcmp(ev[i].kind, XA_EV_FOUND);
            if (found != !pass || !ev[i].visit)
                continue;
            size_t j = 0;
            while (j < k && strcmp(v[j], ev[i].visit))
                j++;
            if (j == k)
                v[k++] = xa_strdup(ev[i].visit);
        }
    xa_cfields_free(ev, nev);
    *out = v;
    *n = k;
    return XA_OK;
}

xa_code xa_cattachments_hazard(xa_cstore *s, const char *hazard, struct xa_cattach **out,
                               size_t *n, xa_err *err)
{
    struct list l = {.dir = xa_cstore_attachments_dir(xa_cstore_path(s))};
    char **visits = NULL;
    size_t nv = 0;
    xa_code c = hazard_visits(s, hazard, &visits, &nv, err);
    for (size_t i = 0; c == XA_OK && i < nv; i++)
        c = visit_entries(s, &l, visits[i], hazard, err);
    xa_strv_free(visits, nv);
    if (c == XA_OK) {
        /* 整改前 before 整改后, each in the order they were taken into the visits */
        struct xa_cattach *sorted = xa_calloc(l.n ? l.n : 1, sizeof *sorted);
        size_t k = 0;
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < l.n; i++)
                if (!strcmp(l.v[i].for_, "hazard") == !pass)
                    sorted[k++] = l.v[i];
        free(l.v);
        l.v = sorted;
        l.cap = l.n;
        name_all(s, &l);
    }
    free(l.dir);
    if (c != XA_OK) {
        xa_cattachments_free(l.v, l.n);
        return c;
    }
    *out = l.v;
    *n = l.n;
    return XA_OK;
}

/* The visit id text names (id or unique prefix), or XA_ENOTFOUND saying
 * that neither a hazard nor a visit has that name. */
static xa_code visit_named(xa_cstore *s, const char *text, char **id, xa_err *err)
{
    xa_code c = xa_cstore_visit_one(s, text, id, err);
    if (c == XA_ENOTFOUND)
        c = xa_fail(err, XA_ENOTFOUND, "no hazard or visit '%s'", text);
    return c;
}

xa_code xa_cattachments_of(xa_cstore *s, const char *text, struct xa_cattach **out, size_t *n,
                           xa_err *err)
{
    *out = NULL;
    *n = 0;
    char *hazard = NULL, *visit = NULL;
    xa_code c = xa_hazard_resolve(s, text, &hazard, err);
    if (c == XA_OK) {
        /* a hex prefix may name a hazard and a visit at once */
        xa_err e2;
        if (visit_named(s, text, &visit, &e2) == XA_OK) {
            free(hazard);
            free(visit);
            return xa_fail(err, XA_EUSAGE,
                           "'%s' names a hazard and a visit: give more of the id", text);
        }
        c = xa_cattachments_hazard(s, hazard, out, n, err);
        free(hazard);
        return c;
    }
    if (c != XA_ENOTFOUND)
        return c;
    if ((c = visit_named(s, text, &visit, err)) != XA_OK)
        return c;
    struct list l = {.dir = xa_cstore_attachments_dir(xa_cstore_path(s))};
    c = visit_entries(s, &l, visit, NULL, err);
    if (c == XA_OK)
        name_all(s, &l);
    free(l.dir);
    free(visit);
    if (c != XA_OK) {
        xa_cattachments_free(l.v, l.n);
        return c;
    }
    *out = l.v;
    *n = l.n;
    return XA_OK;
}

void xa_cattachments_free(struct xa_cattach *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        struct xa_cattach *a = &v[i];
        free(a->visit);
        free(a->id);
        free(a->for_);
        free(a->ref);
        free(a->name);
        free(a->type);
        free(a->hash);
        free(a->taken);
        free(a->added);
        free(a->label);
        free(a->file);
        free(a->school_name);
        free(a->day);
    }
    free(v);
}

json_t *xa_cattachments_json(const struct xa_cattach *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct xa_cattach *a = &v[i];
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(a->file));
        json_object_set_new(o, "stage", json_string(a->for_));
        json_object_set_new(o, "visit", json_string(a->visit));
        json_object_set_new(o, "id", json_string(a->id));
        json_object_set_new(o, "hazard", a->ref ? json_string(a->ref) : json_null());
        json_object_set_new(o, "name", json_string(a->name));
        json_object_set_new(o, "type", json_string(a->type));
        json_object_set_new(o, "size", json_integer(a->size));
        json_object_set_new(o, "hash", json_string(a->hash));
        json_object_set_new(o, "taken", a->taken ? json_string(a->taken) : json_null());
        json_object_set_new(o, "received", json_boolean(a->present));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* Write all of p to fd. */
static xa_code write_all(int fd, const unsigned char *p, size_t n, const char *what, xa_err *err)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return xa_fail(err, XA_EIO, "writing %s: %s", what, strerror(errno));
        p += w;
        n -= (size_t)w;
    }
    return XA_OK;
}

/* Copy the stored file of a into fd, hashing as it goes; XA_EDIFF when the
 * bytes no longer hash to the signed entry (the folder was tampered with). */
static xa_code copy_checked(const char *dir, const struct xa_cattach *a, int fd, xa_err *err)
{
    char *path = xa_attachment_path(dir, a->hash);
    int in = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) {
        xa_code c = xa_fail(err, XA_ENOTFOUND, "attachment %s (%s) is not in %s: %s", a->file,
                            a->name, dir, strerror(errno));
        free(path);
        return c;
    }
    free(path);
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, 32);
    unsigned char *buf = xa_malloc(1 << 16);
    int64_t total = 0;
    xa_code c = XA_OK;
    for (;;) {
        ssize_t r = read(in, buf, 1 << 16);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            c = xa_fail(err, XA_EIO, "reading attachment %s: %s", a->file, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        crypto_generichash_update(&hs, buf, (size_t)r);
        total += r;
        if (fd >= 0 && (c = write_all(fd, buf, (size_t)r, a->file, err)) != XA_OK)
            break;
    }
    close(in);
    free(buf);
    if (c != XA_OK)
        return c;
    unsigned char h[32];
    char hex[XA_HASH_HEX];
    crypto_generichash_final(&hs, h, sizeof h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    if (total != a->size || strcmp(hex, a->hash))
        return xa_fail(err, XA_EDIFF,
                       "attachment %s (%s) in %s no longer matches its signed hash", a->file,
                       a->name, dir);
    return XA_OK;
}

xa_code xa_cattachments_write(xa_cstore *s, const struct xa_cattach *v, size_t n,
                              const char *outdir, int force, xa_err *err)
{
    char *dir = xa_cstore_attachments_dir(xa_cstore_path(s));
    xa_outfile *o = xa_calloc(n ? n : 1, sizeof *o);
    for (size_t i = 0; i < n; i++)
        o[i].fd = -1;
    xa_code c = XA_OK;
    /* every name checked before anything is written */
    for (size_t i = 0; c == XA_OK && i < n; i++) {
        if (!v[i].present) {
            c = xa_fail(err, XA_ENOTFOUND, "attachment %s (%s) has not arrived at the office",
                        v[i].file, v[i].name);
            break;
        }
        char *path = xa_asprintf("%s/%s", outdir, v[i].file);
        c = xa_out_check(path, force ? XA_OUT_FORCE : 0, err);
        free(path);
    }
    /* then each written to a temporary file and checked ... */
    for (size_t i = 0; c == XA_OK && i < n; i++) {
        char *path = xa_asprintf("%s/%s", outdir, v[i].file);
        c = xa_out_open(&o[i], path, force ? XA_OUT_FORCE : 0, err);
        free(path);
        if (c == XA_OK)
            c = copy_checked(dir, &v[i], o[i].fd, err);
    }
    /* ... and only when all passed published under their names */
    size_t published = 0;
    for (size_t i = 0; c == XA_OK && i < n; i++)
        if ((c = xa_out_publish(&o[i], err)) == XA_OK)
            published++;
    if (c != XA_OK)
        for (size_t i = 0; i < published; i++)
            xa_out_unpublish(&o[i]);
    for (size_t i = 0; i < n; i++)
        xa_out_clear(&o[i]);
    free(o);
    free(dir);
    return c;
}

xa_code xa_cattachment_check(xa_cstore *s, const struct xa_cattach *a, xa_err *err)
{
    char *dir = xa_cstore_attachments_dir(xa_cstore_path(s));
    xa_code c = copy_checked(dir, a, -1, err);
    free(dir);
    return c;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

xa_code xa_cattach_hazards(xa_cstore *s, char ***ids, size_t *n, xa_err *err)
{
    char **visits = NULL;
    size_t nv = 0;
    *ids = NULL;
    *n = 0;
    xa_code c = xa_cstore_visits_with_attachments(s, NULL, &visits, &nv, err);
    if (c != XA_OK)
        return c;
    char **v = NULL;
    size_t k = 0, cap = 0;
    for (size_t i = 0; c == XA_OK && i < nv; i++) {
        struct xa_cvisit *row = NULL;
        if ((c = xa_cstore_visit_get(s, visits[i], &row, err)) != XA_OK)
            break;
        json_t *rec = json_loads(row->record ? row->record : "", 0, NULL);
        size_t j;
        json_t *e;
        json_array_foreach(json_object_get(json_object_get(rec, "doc"), "attachments"), j, e)
        {
            const char *ref = js(e, "ref");
            if (!ref)
                continue;
            if (k == cap) {
                cap = cap ? 2 * cap : 16;
                v = xa_reallocarray(v, cap, sizeof *v);
            }
            v[k++] = xa_strdup(ref);
        }
        json_decref(rec);
        xa_cvisits_free(row, 1);
    }
    xa_strv_free(visits, nv);
    if (c != XA_OK) {
        xa_strv_free(v, k);
        return c;
    }
    if (k > 1)
        qsort(v, k, sizeof *v, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < k; i++) {
        if (u && !strcmp(v[u - 1], v[i]))
            free(v[i]);
        else
            v[u++] = v[i];
    }
    *ids = v;
    *n = u;
    return XA_OK;
}

char *xa_cattachments_names(xa_cstore *s, const char *hazard, char *const *with, size_t nwith)
{
    if (!nwith || !bsearch(&hazard, with, nwith, sizeof *with, cmp_str))
        return xa_strdup("");
    struct xa_cattach *a = NULL;
    size_t n = 0;
    xa_err e;
    if (xa_cattachments_hazard(s, hazard, &a, &n, &e) != XA_OK)
        return xa_strdup("");
    xa_buf b = XA_BUF_INIT;
    for (size_t i = 0; i < n; i++)
        xa_buf_printf(&b, "%s%s", i ? "\n" : "", a[i].file);
    xa_cattachments_free(a, n);
    return b.data ? xa_buf_steal(&b) : xa_strdup("");
}
