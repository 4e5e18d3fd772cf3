/* session.h — the field store as the screens see it (session.c): unlocking,
 * the imported brief parsed once (schools, forms, open hazards,
 * assignments), the visit being edited as its xiaoan.visit/1 document, and
 * the one rule of the TUI: a change is in the store before the screen says
 * "已保存".  Nothing here draws; nothing here stores data of its own except
 * where the UI was (visit id and list positions, no content) in
 * HOME/tui-state.json. */
#ifndef XIAOAN_TUI_SESSION_H
#define XIAOAN_TUI_SESSION_H

#include "xiaoan/field.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/forms.h"
#include "xiaoan/roster.h"
#include "xiaoan/vocab.h"

#include <jansson.h>
#include <stdint.h>

enum save_state { SAVE_NONE, SAVE_CLEAN, SAVE_DIRTY, SAVE_FAILED, SAVE_READONLY };

/* The brief's schools, hazards and assignments (field.h, brief.c). */
#define bschool xa_brief_school
#define bhazard xa_brief_hazard
#define bassign xa_brief_assign

struct session {
    char *home;
    xa_fstore *fs;
    const xa_identity *me;
    /* the brief (xa_brief_load); the members below are its, copied for
     * the screens (no brief: empty); schools and forms are read when first
     * needed (sess_schools, sess_forms) */
    xa_brief *brief;
    int has_brief;
    json_t *records;       /* every record but the schools and forms */
    xa_brief_meta meta;
    const char *office_name, *office_fp;
    xa_deadline_days days; /* the brief's deadline_days */
    struct bschool *cited;   /* the schools hazards and assignments name (home) */
    size_t ncited;
    struct bschool *schools; /* every school: after sess_schools */
    size_t nschools;
    xa_form **forms;         /* after sess_forms */
    size_t nforms;
    struct bhazard *haz;
    size_t nhaz;
    struct bassign *asg;
    size_t nasg;
    /* the visit being edited or viewed */
    json_t *doc;
    unsigned gen;            /* bumped by every change of doc (the index below checks it) */
    struct sess_aindex *aix; /* answers and hazards by (form, code), built when asked */
    struct bschool *vschool; /* the visit's school in the brief, or NULL */
    int readonly;
    int dirty;
    int64_t dirty_since;
    /* doc's revision in the store (xa_visit_info.revision: loaded, then moved on
     * by each save, journal entry and attachment change): every write names it,
     * so one over another process's newer write is refused (issue 11 #5) */
    int64_t revision;
    size_t journaled;        /* answers journaled on top of rev (sess_commit_answer) */
    int failed;
    xa_err err;
    /* where the UI is (tui-state.json) */
    struct {
        char visit[XA_ID_HEX];
        char screen[24];     /* the top screen's name (screen_ops.name) */
        int form, item, sub;
    } ui;
    int ui_dirty;
    int64_t ui_changed;
};

struct session *sess_new(const char *home);
void sess_free(struct session *s);
int sess_has_store(const struct session *s);
int sess_unlocked(const struct session *s);
/* Open the store with pass and read the brief (a missing brief is fine). */
xa_code sess_unlock(struct session *s, const char *pass, xa_err *err);

/* Read every school / the forms of the brief into the session, once (the
 * school picker; a visit opening).  Nothing to do without a brief. */
xa_code sess_schools(struct session *s, xa_err *err);
xa_code sess_forms(struct session *s, xa_err *err);
/* Brief look-ups: a school by code (a cited one, else among every school,
 * read when needed); a form by id (the forms read when needed). */
struct bschool *sess_school(struct session *s, const char *code);
const xa_form *sess_form(struct session *s, const char *id);
/* Today's day number (CST). */
int64_t sess_today(void);

/* Visits. */
xa_code sess_visit_new(struct session *s, const struct bschool *school, xa_kind kind, xa_err *err);
/* A new visit carrying out an assignment: its kind, its focus forms (the
 * usual choice by school profile when it names none), the other team
 * members, and the visit record names the assignment. */
xa_code sess_visit_new_assigned(struct session *s, const struct bschool *school,
                                const struct bassign *as, xa_err *err);
/* "张三、李四": the assignment's team. */
char *sess_assign_team(const struct bassign *as);
/* Is the assignment past its due date today (China Standard Time)? */
int sess_assign_overdue(const struct bassign *as);
/* Start a correction of the open sealed visit (a new draft whose corrects
 * names it, from its forms and answers; not its hazards); it becomes the
 * open visit.  XA_ESTATE when the open visit is not sealed. */
xa_code sess_visit_correct(struct session *s, xa_err *err);
xa_code sess_visit_open(struct session *s, const char *id, xa_err *err);
/* Save and let go of the open visit. */
void sess_visit_close(struct session *s);
xa_code sess_seal(struct session *s, int64_t *seq, xa_err *err);
/* The school of the open visit in the brief (NULL when it is not there). */
struct bschool *sess_visit_school(struct session *s);

/* Saving: sess_dirty marks the document changed (text being typed);
 * sess_commit marks and saves at once (an answer, a checkbox). */
void sess_dirty(struct session *s);
int sess_is_dirty(const struct session *s);
int64_t sess_dirty_since(const struct session *s);
int sess_save(struct session *s);
int sess_commit(struct session *s);
/* An answer just set on (form, code) (sess_set_result, a count, a text):
 * saved as a small journal record on top of the stored revision instead of
 * the whole document (issue 17: an answer key costs what a cursor move
 * does); the whole document is saved instead when something else is
 * unsaved or the journal is long.  In the store before it returns, like
 * sess_commit; 0 when it failed (sess_save_error says why).  The next
 * sess_save folds the journal into the document (the app does it when the
 * keys rest, and on leaving, sealing and exit). */
int sess_commit_answer(struct session *s, const char *form, const char *code);
/* Answers journaled since the document was last saved whole. */
size_t sess_journaled(const struct session *s);
/* The open document was saved whole by another call (an attachment added
 * or removed, xa_attach_*): the store holds the next revision, no journal. */
void sess_saved_whole(struct session *s);
enum save_state sess_save_state(const struct session *s);
const char *sess_save_error(const struct session *s);

/* Where the UI is (no content: ids and positions only). */
void sess_note_screen(struct session *s, const char *screen);
void sess_note_pos(struct session *s, int form, int item, int sub);
/* Write the position when it changed a while ago. */
void sess_ui_tick(struct session *s);
void sess_ui_flush(struct session *s);

/* The visit document is edited with field.h's xa_doc_* (src/field/visitdoc.c);
 * these two pass them the brief's forms and the school. */

/* The profile of the visit's school (0 when unknown: every item applies). */
xa_profile sess_profile(struct session *s);
/* Set an answer's result (and of the items that ask the same, same_as;
 * times.first_site on the first real answer). */
void sess_set_result(struct session *s, const char *form, const char *code, xa_result result);
/* Add a form to the open visit. */
void sess_form_add(struct session *s, const xa_form *f);
/* The brief's forms in checklist order (the general walk-through first,
 * then the brief's order) into out (nforms entries); returns how many. */
size_t sess_form_order(const struct session *s, const xa_form **out);
/* Put the open visit's forms in checklist order. */
void sess_forms_sort(struct session *s);

/* The item the checklist has selected (ui.form, ui.item), or NULL. */
const xa_item *sess_cur_item(struct session *s, const xa_form **form);

/* The open visit's answers by (form, code): an index kept with the
 * document (rebuilt after a change, sess_gen), so drawing a row costs no
 * search of the answers.  sess_answer is the answer object or NULL. */
json_t *sess_answer(struct session *s, const char *form, const char *code);
xa_result sess_result(struct session *s, const char *form, const char *code);
/* How many hazards of the visit name (form, code). */
size_t sess_item_hazards(struct session *s, const char *form, const char *code);
/* Items of form answered (anything but unchecked), at most its item count. */
int sess_form_done(struct session *s, const xa_form *f);
/* Note a change of the open document made outside the sess_* setters
 * (xa_doc_* by a screen) before it is read again through the index. */
void sess_gen(struct session *s);

/* A count item's allowed range as text ("2–5", "≥ 2", "≤ 0"; "" when none). */
/* The acceptable range of a count item at the visit's school: its min/max
 * and its rule's minimum from the roster's numbers (forms.h xa_item_range);
 * returns 1 when a rule lacked a number.  sess_item_range writes it as
 * "2–10", "≥ 3" or "". */
int sess_item_bounds(struct session *s, const xa_item *it, xa_range *r);
void sess_item_range(struct session *s, const xa_item *it, char out[64]);

/* A count as typed: digits only (no sign, decimals or words), at most
 * XA_COUNT_MAX; 0 when it is not such a number. */
int sess_count_parse(const char *text, long *n);
/* Give a count item its number: the result follows from the range (符合
 * inside, 隐患 outside); returns 1 when it is out of range. */
int sess_set_count(struct session *s, const xa_form *f, const xa_item *it, long n);
/* Take a count's number away: an item without a number is never 符合
 * (a 符合 goes back to unanswered; 隐患 and 不适用 stay). */
void sess_clear_count(struct session *s, const xa_form *f, const xa_item *it);

/* Is a hazard of the brief one this visit re-checks: at its school, found
 * before the visit was created, and not one the visit recorded itself? */
int sess_hazard_to_recheck(struct session *s, const struct bhazard *h);

/* Does the item apply to the visit's school? (unknown school: yes) */
int sess_item_applies(struct session *s, const xa_item *it);

/* The code of the item a same_as item repeats ("FB-09" of "fire-buildings/FB-09"),
 * or "" when it repeats none; points into the item. */
const char *sess_same_as_code(const xa_item *it);

#endif
