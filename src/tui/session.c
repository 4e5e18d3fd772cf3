/* session.c — the field store as the screens see it (see session.h).
 *
 * The brief is read at unlock by the field module (xa_brief_load: the head
 * records and the schools they name; field.h); its forms when a visit is
 * first opened (sess_forms), every school when the school picker first
 * asks (sess_schools) or a visit's school is not among those named;
 * the session keeps it and the screen state, nothing of the brief's own.  The
 * open visit is one xiaoan.visit/1 document; screens change it with the
 * field module's xa_doc_* (field.h) and then call sess_commit (or sess_dirty for typed text,
 * which the main loop saves within a second).  Only ids and positions of
 * the UI go to tui-state.json, never a school, answer or hazard. */
#include "session.h"

#include "tui_int.h"

#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>

#define UI_FILE "tui-state.json"

struct sess_aindex;
static void aix_free(struct sess_aindex *x);
#define UI_WRITE_MS 1000
/* Answers journaled at most before one is saved with the whole document:
 * bounds the records a load replays when the keys never rest. */
#define SESS_JOURNAL_MAX 256

struct session *sess_new(const char *home)
{
    struct session *s = xa_calloc(1, sizeof *s);
    s->home = xa_strdup(home);
    s->days.general = (int)xa_setting_default_int(XA_SET_DEADLINE_GENERAL);
    s->days.major = (int)xa_setting_default_int(XA_SET_DEADLINE_MAJOR);
    return s;
}

/* Let go of the brief (the members that point into it too). */
static void brief_free(struct session *s)
{
    xa_brief_free(s->brief);
    s->brief = NULL;
    s->records = NULL;
    s->schools = s->cited = NULL;
    s->forms = NULL;
    s->haz = NULL;
    s->asg = NULL;
    s->nschools = s->ncited = s->nforms = s->nhaz = s->nasg = 0;
    s->office_name = s->office_fp = NULL;
    s->has_brief = 0;
}

void sess_free(struct session *s)
{
    if (!s)
        return;
    aix_free(s->aix);
    if (s->doc)
        json_decref(s->doc);
    brief_free(s);
    xa_fstore_close(s->fs);
    free(s->home);
    free(s);
}

int sess_has_store(const struct session *s)
{
    return xa_fstore_exists(s->home);
}

int sess_unlocked(const struct session *s)
{
    return s->fs != NULL;
}

/* Read the current brief's head into the session (field.h xa_brief_load:
 * the head records parsed, the schools they name in a compact table). */
static xa_code brief_load(struct session *s, xa_err *err)
{
    brief_free(s);
    xa_brief *b = NULL;
    xa_code c = xa_brief_load(s->fs, &b, err);
    if (c == XA_ENOTFOUND) {
        xa_err_clear(err);
        return XA_OK;
    }
    if (c != XA_OK)
        return c;
    s->brief = b;
    s->has_brief = 1;
    s->records = b->records;
    s->meta = b->meta;
    s->office_name = b->office_name;
    s->office_fp = b->office_fp;
    s->days = b->days;
    s->cited = b->cited.v;
    s->ncited = b->cited.n;
    s->haz = b->haz;
    s->nhaz = b->nhaz;
    s->asg = b->asg;
    s->nasg = b->nasg;
    return XA_OK;
}

/* The screens of tui-state.json files written before the screen was kept
 * by name: the old enum's order, frozen. */
static const char *const old_screens[] = {"unlock", "guide",  "home",  "picker",
                                          "start",  "check",  "forms", "item",
                                          "hazard", "follow", "review", "export"};

/* Read tui-state.json (where the UI was). */
static void ui_load(struct session *s)
{
    char *path = xa_path_join(s->home, UI_FILE);
    xa_buf b = XA_BUF_INIT;
    json_t *j = NULL;
    if (xa_read_file(path, 4096, &b, NULL) == XA_OK && b.len &&
        xa_json_parse(b.data, b.len, 4, &j, NULL) == XA_OK) {
        const char *v = json_string_value(json_object_get(j, "visit"));
        if (v && xa_id_valid(v))
            memcpy(s->ui.visit, v, XA_ID_HEX);
        json_t *scr = json_object_get(j, "screen");
        if (json_is_string(scr))
            snprintf(s->ui.screen, sizeof s->ui.screen, "%s", json_string_value(scr));
        else if (json_is_integer(scr) && json_integer_value(scr) >= 0 &&
                 json_integer_value(scr) < (json_int_t)(sizeof old_screens / sizeof old_screens[0]))
            snprintf(s->ui.screen, sizeof s->ui.screen, "%s",
                     old_screens[json_integer_value(scr)]); /* written before screens had names */
        s->ui.form = (int)json_integer_value(json_object_get(j, "form"));
        s->ui.item = (int)json_integer_value(json_object_get(j, "item"));
        s->ui.sub = (int)json_integer_value(json_object_get(j, "sub"));
        json_decref(j);
    }
    xa_buf_clear(&b);
    free(path);
}

xa_code sess_unlock(struct session *s, const char *pass, xa_err *err)
{
    xa_code c = xa_fstore_open(s->home, pass, &s->fs, err);
    if (c != XA_OK)
        return c;
    s->me = xa_fstore_identity(s->fs);
    c = brief_load(s, err);
    if (c != XA_OK) {
        xa_err_prefix(err, "reading the brief");
        return c;
    }
    ui_load(s);
    return XA_OK;
}

xa_code sess_schools(struct session *s, xa_err *err)
{
    if (!s->brief || s->brief->schools_loaded)
        return XA_OK;
    xa_code c = xa_brief_schools(s->fs, s->brief, err);
    if (c != XA_OK)
        return c;
    s->schools = s->brief->schools;
    s->nschools = s->brief->nschools;
    return XA_OK;
}

xa_code sess_forms(struct session *s, xa_err *err)
{
    if (!s->brief || s->brief->forms_loaded)
        return XA_OK;
    xa_code c = xa_brief_forms(s->fs, s->brief, err);
    if (c != XA_OK)
        return c;
    s->forms = s->brief->forms;
    s->nforms = s->brief->nforms;
    return XA_OK;
}

struct bschool *sess_school(struct session *s, const char *code)
{
    struct bschool *b = xa_brief_school_find(s->brief, code);
    if (b || !s->brief || s->brief->schools_loaded)
        return b;
    /* not one the brief's hazards or assignments name: every school */
    return sess_schools(s, NULL) == XA_OK ? xa_brief_school_find(s->brief, code) : NULL;
}

const xa_form *sess_form(struct session *s, const char *id)
{
    if (!id || sess_forms(s, NULL) != XA_OK)
        return NULL;
    for (size_t i = 0; i < s->nforms; i++)
        if (!strcmp(s->forms[i]->id, id))
            return s->forms[i];
    return NULL;
}

int64_t sess_today(void)
{
    return xa_date_of(xa_now(), XA_CST_OFFSET);
}

struct bschool *sess_visit_school(struct session *s)
{
    return s->doc ? s->vschool : NULL;
}

const char *sess_same_as_code(const xa_item *it)
{
    const char *slash = strchr(it->same_as, '/');
    return slash ? slash + 1 : it->same_as;
}

int sess_item_applies(struct session *s, const xa_item *it)
{
    struct bschool *b = sess_visit_school(s);
    if (!b || !b->profile)
        return 1;
    return xa_item_applies(it, b->profile);
}

/* ---- the answers index ---- */

/* One (form, code) of the open visit: its answer (or NULL) and how many
 * hazards name it.  Answers are held with a reference, so a slot never
 * points at freed memory even when the document changed behind it. */
struct aslot {
    const char *form, *code; /* NULL: an empty slot */
    json_t *ans;
    size_t nhaz;
};

/* Answered items per form id (a visit has a handful of forms). */
struct aform {
    const char *id;
    int done;
};

struct sess_aindex {
    const json_t *doc, *answers, *hazards; /* what it was built from */
    size_t nanswers, nhazards;
    unsigned gen;
    struct aslot *slot;
    size_t cap; /* a power of two */
    struct aform *forms;
    size_t nforms;
};

static void aix_free(struct sess_aindex *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->cap; i++)
        if (x->slot[i].ans)
            json_decref(x->slot[i].ans);
    free(x->slot);
    free(x->forms);
    free(x);
}

/* FNV-1a over "form\0code". */
static size_t aix_hash(const char *form, const char *code)
{
    uint64_t h = 1469598103934665603u;
    for (const char *p = form; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    h = (h ^ 0xffu) * 1099511628211u;
    for (const char *p = code; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return (size_t)(h ^ (h >> 29));
}

/* The slot of (form, code): found, or the empty one where it goes. */
static struct aslot *aix_slot(struct sess_aindex *x, const char *form, const char *code)
{
    size_t m = x->cap - 1, i = aix_hash(form, code) & m;
    while (x->slot[i].form && (strcmp(x->slot[i].code, code) || strcmp(x->slot[i].form, form)))
        i = (i + 1) & m;
    return &x->slot[i];
}

/* Build the index of the open document (answers first: the first answer
 * of a (form, code) wins, as xa_doc_answer's search does). */
static struct sess_aindex *aix_build(struct session *s)
{
    struct sess_aindex *x = xa_calloc(1, sizeof *x);
    x->doc = s->doc;
    x->gen = s->gen;
    json_t *ans = json_object_get(s->doc, "answers"), *haz = json_object_get(s->doc, "hazards");
    x->answers = ans;
    x->hazards = haz;
    x->nanswers = json_array_size(ans);
    x->nhazards = json_array_size(haz);
    x->cap = 16;
    while (x->cap < 2 * (x->nanswers + x->nhazards) + 2)
        x->cap *= 2;
    x->slot = xa_calloc(x->cap, sizeof *x->slot);
    json_t *fl = json_object_get(s->doc, "forms");
    x->forms = xa_calloc(json_array_size(fl) + 1, sizeof *x->forms);
    size_t i;
    json_t *m;
    json_array_foreach(fl, i, m) x->forms[x->nforms++] = (struct aform){xa_doc_str(m, "id"), 0};
    json_array_foreach(ans, i, m)
    {
        const char *form = xa_doc_str(m, "form"), *code = xa_doc_str(m, "code");
        struct aslot *sl = aix_slot(x, form, code);
        if (sl->form)
            continue; /* a repeated answer: the first one counts */
        *sl = (struct aslot){form, code, json_incref(m), 0};
        if (xa_result_of(xa_doc_str(m, "result")) == XA_RESULT_UNCHECKED)
            continue;
        for (size_t k = 0; k < x->nforms; k++)
            if (!strcmp(x->forms[k].id, form)) {
                x->forms[k].done++;
                break;
            }
    }
    json_array_foreach(haz, i, m)
    {
        const char *form = xa_doc_str(m, "form"), *code = xa_doc_str(m, "code");
        struct aslot *sl = aix_slot(x, form, code);
        if (!sl->form)
            *sl = (struct aslot){form, code, NULL, 0};
        sl->nhaz++;
    }
    return x;
}

/* The index of the open document, rebuilt when it changed. */
static struct sess_aindex *aix(struct session *s)
{
    struct sess_aindex *x = s->aix;
    json_t *ans = json_object_get(s->doc, "answers"), *haz = json_object_get(s->doc, "hazards");
    if (x && x->doc == s->doc && x->gen == s->gen && x->answers == ans && x->hazards == haz &&
        x->nanswers == json_array_size(ans) && x->nhazards == json_array_size(haz))
        return x;
    aix_free(x);
    return s->aix = aix_build(s);
}

void sess_gen(struct session *s)
{
    s->gen++;
}

json_t *sess_answer(struct session *s, const char *form, const char *code)
{
    if (!s->doc || !form || !code)
        return NULL;
    struct aslot *sl = aix_slot(aix(s), form, code);
    return sl->form ? sl->ans : NULL;
}

xa_result sess_result(struct session *s, const char *form, const char *code)
{
    json_t *m = sess_answer(s, form, code);
    return m ? xa_result_of(xa_doc_str(m, "result")) : XA_RESULT_UNCHECKED;
}

size_t sess_item_hazards(struct session *s, const char *form, const char *code)
{
    if (!s->doc || !form || !code)
        return 0;
    struct aslot *sl = aix_slot(aix(s), form, code);
    return sl->form ? sl->nhaz : 0;
}

int sess_form_done(struct session *s, const xa_form *f)
{
    if (!s->doc)
        return 0;
    struct sess_aindex *x = aix(s);
    for (size_t k = 0; k < x->nforms; k++)
        if (!strcmp(x->forms[k].id, f->id))
            return x->forms[k].done < (int)f->nitems ? x->forms[k].done : (int)f->nitems;
    return 0;
}

/* ---- saving ---- */

void sess_dirty(struct session *s)
{
    if (!s->doc || s->readonly)
        return;
    s->gen++;
    if (!s->dirty)
        s->dirty_since = xa_mono_ms();
    s->dirty = 1;
}

int sess_is_dirty(const struct session *s)
{
    return s->dirty;
}

int64_t sess_dirty_since(const struct session *s)
{
    return s->dirty_since;
}

int sess_save(struct session *s)
{
    if (!s->doc || s->readonly || (!s->dirty && !s->journaled))
        return 1;
    xa_err_clear(&s->err);
    /* Refused when another process wrote the visit since we loaded it: doc keeps
     * the edits, the indicator says 保存失败 with the reason, nothing is
     * overwritten (issue 11 #5).  A journal stays in the store: it still holds
     * its answers. */
    if (xa_fstore_visit_save(s->fs, s->doc, &s->revision, &s->err) != XA_OK) {
        s->failed = 1;
        return 0;
    }
    s->failed = 0;
    s->dirty = 0;
    s->journaled = 0; /* a whole save folds the journal in */
    sess_ui_flush(s); /* the position goes with the content */
    return 1;
}

int sess_commit(struct session *s)
{
    sess_dirty(s);
    return sess_save(s);
}

int sess_commit_answer(struct session *s, const char *form, const char *code)
{
    if (!s->doc || s->readonly)
        return 1;
    s->gen++;
    /* Anything else unsaved (typed text, a failed save) goes with the whole document. */
    if (s->dirty || s->journaled >= SESS_JOURNAL_MAX)
        return sess_commit(s);
    json_t *change = xa_doc_answer_change(s->doc, (const xa_form *const *)s->forms, s->nforms,
                                          form, code);
    if (!change)
        return sess_commit(s);
    xa_err_clear(&s->err);
    xa_code c =
        xa_fstore_visit_journal(s->fs, xa_doc_str(s->doc, "id"), &s->revision, change, &s->err);
    json_decref(change);
    if (c != XA_OK) /* the whole save says what is wrong, or gets it in */
        return sess_commit(s);
    s->failed = 0;
    s->journaled++;
    return 1;
}

size_t sess_journaled(const struct session *s)
{
    return s->doc ? s->journaled : 0;
}

void sess_saved_whole(struct session *s)
{
    s->journaled = 0; /* the revision was moved on by the xa_attach_* call */
}

enum save_state sess_save_state(const struct session *s)
{
    if (!s || !s->doc)
        return SAVE_NONE;
    if (s->readonly)
        return SAVE_READONLY;
    if (s->failed)
        return SAVE_FAILED;
    return s->dirty ? SAVE_DIRTY : SAVE_CLEAN;
}

const char *sess_save_error(const struct session *s)
{
    return xa_err_msg(&s->err);
}

/* ---- where the UI is ---- */

void sess_note_screen(struct session *s, const char *screen)
{
    if (!s)
        return;
    const char *id = s->doc ? xa_doc_str(s->doc, "id") : "";
    if (strcmp(s->ui.screen, screen) || strcmp(s->ui.visit, id)) {
        snprintf(s->ui.screen, sizeof s->ui.screen, "%s", screen);
        snprintf(s->ui.visit, sizeof s->ui.visit, "%s", id);
        s->ui_dirty = 1;
        sess_ui_flush(s); /* screens change seldom: write at once */
    }
}

void sess_note_pos(struct session *s, int form, int item, int sub)
{
    if (s->ui.form != form || s->ui.item != item || s->ui.sub != sub) {
        s->ui.form = form;
        s->ui.item = item;
        s->ui.sub = sub;
        s->ui_dirty = 1;
        s->ui_changed = xa_mono_ms();
    }
}

void sess_ui_flush(struct session *s)
{
    if (!s || !s->ui_dirty || !s->fs)
        return;
    json_t *j = json_pack("{s:s?, s:s, s:i, s:i, s:i}", "visit",
                          s->ui.visit[0] ? s->ui.visit : NULL, "screen", s->ui.screen, "form",
                          s->ui.form, "item", s->ui.item, "sub", s->ui.sub);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (text) {
        char *path = xa_path_join(s->home, UI_FILE);
        if (xa_write_atomic(path, text, strlen(text), NULL) == XA_OK)
            s->ui_dirty = 0;
        free(path);
        free(text);
    }
    json_decref(j);
}

void sess_ui_tick(struct session *s)
{
    if (s && s->ui_dirty && xa_mono_ms() - s->ui_changed >= UI_WRITE_MS)
        sess_ui_flush(s);
}

/* ---- visits ---- */

/* doc becomes the open visit, stored at revision `revision` (xa_visit_info.revision)
 * with journaled answers on top. */
static void visit_set(struct session *s, json_t *doc, int64_t revision, size_t journaled)
{
    aix_free(s->aix);
    s->aix = NULL;
    s->gen++;
    if (s->doc)
        json_decref(s->doc);
    s->doc = doc;
    /* Looked up once: every item's applicability asks for it. */
    s->vschool = doc ? sess_school(s, xa_doc_str(json_object_get(doc, "school"), "code")) : NULL;
    s->readonly = doc && xa_visit_is_sealed(doc);
    s->dirty = 0;
    s->revision = revision;
    s->journaled = journaled;
    s->failed = 0;
    xa_err_clear(&s->err);
}

/* A correction of the open sealed visit: a new draft naming it (corrects),
 * for the same school, method, team, attestations and arrival, starting
 * from its forms and answers.  Its hazards and follow-ups are not copied:
 * the office has them under their ids already (a copy would be a second
 * finding); the correction records what was missed or wrong. */
xa_code sess_visit_correct(struct session *s, xa_err *err)
{
    if (!s->doc || !s->readonly)
        return xa_fail(err, XA_ESTATE, "only a sealed visit can be corrected");
    xa_code fc = sess_forms(s, err);
    if (fc != XA_OK)
        return fc;
    json_t *old = json_incref(s->doc);
    const json_t *sc = json_object_get(old, "school"), *at = json_object_get(old, "attest");
    const json_t *tm = json_object_get(old, "team"), *times = json_object_get(old, "times");
    xa_visit_init init;
    memset(&init, 0, sizeof init);
    init.school_code = xa_doc_str(sc, "code");
    init.school_name = xa_doc_str(sc, "name");
    init.county = xa_doc_str(sc, "county");
    init.kind = xa_doc_str(old, "kind");
    init.no_notice = json_is_true(json_object_get(at, "no_notice"));
    init.no_greeting = json_is_true(json_object_get(at, "no_greeting"));
    init.no_briefing = json_is_true(json_object_get(at, "no_briefing"));
    init.no_escort = json_is_true(json_object_get(at, "no_escort"));
    init.arrived = xa_doc_str(times, "arrived");
    init.corrects = xa_doc_str(old, "id");
    const char **team = json_array_size(tm) ? xa_calloc(json_array_size(tm), sizeof *team) : NULL;
    size_t i;
    const json_t *m;
    json_array_foreach(tm, i, m)
        if (json_is_string(m))
            team[init.nteam++] = json_string_value(m);
    init.team = team;
    json_t *doc = NULL;
    xa_code c = xa_fstore_visit_new(s->fs, &init, &doc, err);
    free(team);
    if (c == XA_OK) {
        json_object_set_new(doc, "forms", json_deep_copy(json_object_get(old, "forms")));
        json_object_set_new(doc, "answers", json_deep_copy(json_object_get(old, "answers")));
        json_t *first = json_object_get(times, "first_site");
        json_object_set_new(json_object_get(doc, "times"), "first_site",
                            first ? json_deep_copy(first) : json_null());
        int64_t revision = 1; /* the new draft's */
        if ((c = xa_fstore_visit_save(s->fs, doc, &revision, err)) == XA_OK)
            visit_set(s, doc, revision, 0);
        else
            json_decref(doc);
    }
    json_decref(old);
    return c;
}

/* Does most of the form apply to this school?  (A form mostly about
 * dormitories is left out for a day school; the inspector can add it.) */
static int form_fits(const xa_form *f, const struct bschool *b)
{
    if (!b)
        return 1;
    if (b->typed && !xa_form_in_scope(f, b->s.type))
        return 0;
    if (!b->profile || !f->nitems)
        return 1;
    size_t n = xa_form_applicable(f, b->profile, NULL);
    return n * 2 >= f->nitems;
}

static xa_code visit_new(struct session *s, const struct bschool *school, xa_kind kind,
                         const struct bassign *as, xa_err *err);

xa_code sess_visit_new(struct session *s, const struct bschool *school, xa_kind kind, xa_err *err)
{
    return visit_new(s, school, kind, NULL, err);
}

xa_code sess_visit_new_assigned(struct session *s, const struct bschool *school,
                                const struct bassign *as, xa_err *err)
{
    xa_kind k = xa_kind_of(as->kind);
    return visit_new(s, school, k == XA_KIND_UNKNOWN ? XA_KIND_RANDOM : k, as, err);
}

char *sess_assign_team(const struct bassign *as)
{
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "");
    size_t i;
    const json_t *m;
    json_array_foreach(as->team, i, m)
        xa_buf_printf(&b, "%s%s", i ? "、" : "", xa_doc_str(m, "name"));
    return xa_buf_steal(&b);
}

int sess_assign_overdue(const struct bassign *as)
{
    int64_t due;
    return as->due && *as->due && xa_date_parse(as->due, &due, NULL) == XA_OK &&
           sess_today() > due;
}

/* A new visit; as (may be NULL) is the assignment it carries out. */
static xa_code visit_new(struct session *s, const struct bschool *school, xa_kind kind,
                         const struct bassign *as, xa_err *err)
{
    xa_code fc = sess_forms(s, err);
    if (fc != XA_OK)
        return fc;
    xa_visit_init init;
    memset(&init, 0, sizeof init);
    init.school_code = school->s.code;
    init.school_name = school->s.name;
    init.county = school->s.county;
    init.kind = xa_vocab_key(&xa_vocab_kinds, kind);
    /* the other members of the assignment's team */
    const char **team = NULL;
    size_t i;
    const json_t *m;
    if (as && json_array_size(as->team)) {
        team = xa_calloc(json_array_size(as->team), sizeof *team);
        json_array_foreach(as->team, i, m)
            if (!s->me || strcmp(xa_doc_str(m, "fingerprint"), s->me->fingerprint) != 0)
                team[init.nteam++] = xa_doc_str(m, "name");
        init.team = team;
    }
    init.assignment = as && xa_id_valid(as->id) ? as->id : NULL;
    json_t *doc = NULL;
    xa_code c = xa_fstore_visit_new(s->fs, &init, &doc, err);
    free(team);
    if (c != XA_OK)
        return c;
    visit_set(s, doc, 1, 0);
    /* A targeted visit (重点检查内容): the general walk-through (四不两直综合
     * 检查) and, for an assignment, the forms the office named; the
     * inspector adds others on the start page.  A 复查 starts with the
     * follow-ups and no form. */
    if (kind != XA_KIND_FOLLOWUP) {
        for (size_t k = 0; k < s->nforms; k++)
            if (s->forms[k]->category == XA_CAT_GENERAL && form_fits(s->forms[k], school))
                sess_form_add(s, s->forms[k]);
        if (as)
            json_array_foreach(as->forms, i, m) {
                const xa_form *f = sess_form(s, json_string_value(m));
                if (f)
                    sess_form_add(s, f);
            }
        sess_forms_sort(s);
    }
    if (!sess_commit(s)) {
        xa_fail(err, s->err.code, "%s", xa_err_msg(&s->err));
        return s->err.code;
    }
    return XA_OK;
}

xa_code sess_visit_open(struct session *s, const char *id, xa_err *err)
{
    json_t *doc = NULL;
    xa_code c = sess_forms(s, err);
    if (c != XA_OK)
        return c;
    xa_visit_info info;
    c = xa_fstore_visit_load(s->fs, id, &doc, &info, err);
    if (c != XA_OK)
        return c;
    visit_set(s, doc, info.revision, info.journal);
    xa_visit_info_clear(&info);
    return XA_OK;
}

void sess_visit_close(struct session *s)
{
    sess_save(s);
    if (s->failed)
        return; /* keep it: the indicator keeps saying so */
    visit_set(s, NULL, 0, 0);
}

xa_code sess_seal(struct session *s, int64_t *seq, xa_err *err)
{
    if (!s->doc || s->readonly)
        return xa_fail(err, XA_ESTATE, "this visit is already sealed");
    if (!sess_save(s))
        return xa_fail(err, s->err.code, "%s", xa_err_msg(&s->err));
    json_t *sealed = NULL;
    char id[XA_ID_HEX];
    snprintf(id, sizeof id, "%s", xa_doc_str(s->doc, "id"));
    xa_code c = xa_fstore_visit_seal(s->fs, id, &sealed, err);
    if (c != XA_OK)
        return c;
    visit_set(s, sealed, 0, 0);
    *seq = (int64_t)json_integer_value(json_object_get(json_object_get(sealed, "seal"), "seq"));
    return XA_OK;
}

/* The visit's school's profile (0 when unknown: every item applies). */
xa_profile sess_profile(struct session *s)
{
    struct bschool *b = sess_visit_school(s);
    return b ? b->profile : 0;
}

/* Answer (form, code) and every item of the visit that asks the same. */
void sess_set_result(struct session *s, const char *form, const char *code, xa_result result)
{
    s->gen++;
    xa_doc_set_result(s->doc, (const xa_form *const *)s->forms, s->nforms, form, code, result,
                      xa_now());
}

/* Add a form to the open visit (automatic n/a, answers of same_as items). */
void sess_form_add(struct session *s, const xa_form *f)
{
    s->gen++;
    xa_doc_form_add(s->doc, (const xa_form *const *)s->forms, s->nforms, f, sess_profile(s));
}

const xa_item *sess_cur_item(struct session *s, const xa_form **form)
{
    if (!s->doc || s->ui.form < 0 || s->ui.item < 0)
        return NULL;
    json_t *fl = json_object_get(s->doc, "forms");
    const xa_form *f = sess_form(s, xa_doc_str(json_array_get(fl, (size_t)s->ui.form), "id"));
    if (!f || (size_t)s->ui.item >= f->nitems)
        return NULL;
    *form = f;
    return &f->items[s->ui.item];
}

int sess_item_bounds(struct session *s, const xa_item *it, xa_range *r)
{
    struct bschool *b = sess_visit_school(s);
    xa_facts fa = {-1, -1};
    if (b)
        fa = xa_school_facts(&b->s);
    return xa_item_range(it, &fa, r);
}

void sess_item_range(struct session *s, const xa_item *it, char out[64])
{
    xa_range r;
    sess_item_bounds(s, it, &r);
    if (r.has_min && r.has_max)
        snprintf(out, 64, "%ld–%ld", r.min, r.max);
    else if (r.has_min)
        snprintf(out, 64, "≥ %ld", r.min);
    else if (r.has_max)
        snprintf(out, 64, "≤ %ld", r.max);
    else
        out[0] = '\0';
}

int sess_count_parse(const char *text, long *n)
{
    if (!*text)
        return 0;
    long v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0; /* no sign, no decimals, no words */
        v = v * 10 + (*p - '0');
        if (v > XA_COUNT_MAX)
            return 0;
    }
    *n = v;
    return 1;
}

int sess_set_count(struct session *s, const xa_form *f, const xa_item *it, long n)
{
    s->gen++;
    json_t *ans = xa_doc_answer_ensure(s->doc, f->id, it->code);
    json_object_set_new(ans, "value", json_integer(n));
    xa_range r; /* the item's range at this school (count rules) */
    sess_item_bounds(s, it, &r);
    int out = (r.has_min && n < r.min) || (r.has_max && n > r.max);
    sess_set_result(s, f->id, it->code, out ? XA_RESULT_HAZARD : XA_RESULT_PASS);
    return out;
}

void sess_clear_count(struct session *s, const xa_form *f, const xa_item *it)
{
    s->gen++;
    json_t *ans = xa_doc_answer(s->doc, f->id, it->code);
    if (!ans)
        return;
    json_object_set_new(ans, "value", json_null());
    xa_result r = xa_doc_result(s->doc, f->id, it->code);
    if (r == XA_RESULT_PASS)
        sess_set_result(s, f->id, it->code, XA_RESULT_UNCHECKED);
}

size_t sess_form_order(const struct session *s, const xa_form **out)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < s->nforms; k++)
            if ((s->forms[k]->category == XA_CAT_GENERAL) == (pass == 0))
                out[n++] = s->forms[k];
    return n;
}

/* Rank of a form id in the checklist order (forms not in the brief last). */
static size_t form_rank(const struct session *s, const char *id)
{
    const xa_form **order = xa_calloc(s->nforms + 1, sizeof *order);
    size_t n = sess_form_order(s, order), r = n;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(order[i]->id, id)) {
            r = i;
            break;
        }
    free(order);
    return r;
}

void sess_forms_sort(struct session *s)
{
    json_t *fl = json_object_get(s->doc, "forms");
    size_t n = json_array_size(fl);
    /* Insertion sort: a handful of forms, stable. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *x = json_array_get(fl, j - 1), *y = json_array_get(fl, j);
            if (form_rank(s, xa_doc_str(x, "id")) <= form_rank(s, xa_doc_str(y, "id")))
                break;
            json_incref(x);
            json_array_set(fl, j - 1, y);
            json_array_set_new(fl, j, x);
        }
}

int sess_hazard_to_recheck(struct session *s, const struct bhazard *h)
{
    if (!s->doc || strcmp(h->school, xa_doc_str(json_object_get(s->doc, "school"), "code")))
        return 0;
    /* Not one this visit found itself (the next brief carries them back). */
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(s->doc, "hazards"), i, m)
    {
        if (!strcmp(xa_doc_str(m, "id"), h->id))
            return 0;
    }
    /* Not one found after this visit was created (a later visit's). */
    int64_t found, created;
    int off;
    const char *c = xa_doc_str(json_object_get(s->doc, "times"), "created");
    if (xa_time_parse(h->found, &found, &off, NULL) == XA_OK &&
        xa_time_parse(c, &created, &off, NULL) == XA_OK && found > created)
        return 0;
    return 1;
}
