/* field.h — the field module (src/field/), the inspector's counterpart of
 * central.h: what the field side does with its store beyond keeping it.
 *
 *   brief_import.c  `xiaoan brief import`: verify a brief and replace the
 *                   stored one (the office pin, receipts acknowledged)
 *   export.c        `xiaoan export` and the TUI's export: a bundle of the
 *                   sealed visits not yet exported
 *   visitdoc.c      editing a draft visit document as the screens do
 *                   (answers, hazards, follow-ups, forms, deadlines)
 *   attach.c        attaching photos and PDFs to a draft (`xiaoan attach`,
 *                   the TUI's file picker): type by content, limits, EXIF
 *   brief.c         the stored brief read for the screens: the schools in a
 *                   compact table, forms, open hazards, assignments
 *
 * Used by src/cmd's field commands and by the TUI; it never includes the
 * office's headers, and the office never includes this one. */
#ifndef XIAOAN_FIELD_H
#define XIAOAN_FIELD_H

#include "xiaoan/clock.h"
#include "xiaoan/error.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/forms.h"
#include "xiaoan/roster.h"
#include "xiaoan/vocab.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* ---- importing a brief (brief_import.c) ------------------------------------------ */

/* What `xiaoan brief import` did. */
struct xa_brief_import_result {
    int pinned_now;                   /* this import pinned the office key */
    int64_t seq;                      /* the brief's seq */
    char office_name[XA_NAME_MAX + 1];
    char office_fp[XA_FP_MAX];
    size_t schools, forms, hazards, assignments, receipts;
    size_t acknowledged;              /* exported visits the receipts acknowledged */
};

/* Verify the brief at path with the container reader (encrypted to this
 * inspector, trailer signed by the office), check that the office key in its
 * settings is the one that signed it and matches its fingerprint, that it is
 * for this inspector, that it comes from the pinned office (or, at the first
 * import, from expect_fp when given), then replace the stored brief in one
 * transaction (xa_fstore_brief_put) and acknowledge the receipts' visits.
 * On any failure the previous brief stays. */
xa_code xa_brief_import(xa_fstore *s, const char *path, const char *expect_fp,
                        struct xa_brief_import_result *r, xa_err *err);

/* ---- exporting a bundle (export.c) ------------------------------------------------- */

/* Bundles (xiaoan.bundle/2, docs/formats.md) of every sealed, not yet
 * exported visit.  Recipients: the pinned office's age key and the
 * inspector's own; manifest seq = last export + 1, prev = BLAKE2b-256 of the
 * previous bundle file (or null); records are {"type":"visit","doc","sig"}
 * in seal order, each followed by its attachments; the trailer is signed
 * with the inspector's key.  Over the size limit the export goes on in the
 * next bundle (seq + 1, chained): an attachment is never cut, one larger
 * than the limit goes alone; a visit whose attachments are spread over
 * several bundles is in each of them with a "carry" record.  Listing,
 * writing and marking are one write transaction of the store; the files are
 * published with link() (never over another file) only when all are
 * written; if the commit fails they are removed (only if still ours).
 * Bundles published by an export that crashed before its commit are
 * adopted by the next export (recovered_parts), never blocking it and never
 * duplicated under their seq. */
typedef struct xa_export_part {
    char *path;              /* the bundle (heap) */
    int64_t seq;             /* its bundle seq */
    char hash[XA_HASH_HEX];  /* BLAKE2b-256 of the file */
    uint64_t bytes;          /* its size */
    size_t visits;           /* visit records in it (adopted: visits marked with it) */
    size_t attachments;      /* attachments it carries whole */
    int alone;               /* larger than the limit: an attachment too big for any bundle */
} xa_export_part;

typedef struct xa_export_result {
    char *path;     /* the first bundle written (heap), NULL when nothing to export */
    size_t visits;  /* visits exported by the bundles written now */
    int64_t seq;    /* the first bundle's seq */
    char hash[XA_HASH_HEX]; /* BLAKE2b-256 of the first file */
    xa_export_part *parts;  /* every bundle written now, in seq order */
    size_t nparts;
    char *recovered;        /* the first bundle adopted now (heap), or NULL */
    size_t recovered_visits; /* visits marked by the adopted bundles */
    int64_t recovered_seq;   /* the first adopted seq */
    xa_export_part *recovered_parts; /* every adopted bundle */
    size_t nrecovered;
} xa_export_result;

/* The default and the bounds of --max-size (bytes). */
#define XA_EXPORT_MAX_DEFAULT (100ull * 1024 * 1024)
#define XA_EXPORT_MAX_MIN (1024ull * 1024)
#define XA_EXPORT_MAX_MAX (1024ull * 1024 * 1024)

/* Export into folder dir (created 0700 if missing; NULL = "."); the files
 * are dir/xiaoan-FINGERPRINT-SEQ.xab, each at most max bytes (but for an
 * attachment larger than max, alone in its bundle).  Nothing to export is
 * success with out->path NULL.  XA_ESTATE when no office is pinned yet
 * (import a brief first); XA_EEXIST when a file name is taken. */
xa_code xa_field_export_ex(xa_fstore *s, const char *dir, uint64_t max, xa_export_result *out,
                           xa_err *err);
/* The same with max = XA_EXPORT_MAX_DEFAULT. */
xa_code xa_field_export(xa_fstore *s, const char *dir, xa_export_result *out, xa_err *err);

/* Parse --max-size: digits and a unit K, M or G (also KB/MB/GB, KiB/…;
 * powers of 1024), from 1M to 1G; anything else XA_EUSAGE with one line. */
xa_code xa_export_max_size_parse(const char *text, uint64_t *out, xa_err *err);

/* The splitting rule the export follows (unit-tested on its own). */
typedef struct xa_export_split {
    uint64_t limit;     /* --max-size */
    uint64_t plain_max; /* the plaintext a reader accepts (1 GiB) */
    size_t records;     /* records in the current bundle after its manifest */
} xa_export_split;
/* Start a new bundle before a record, given the current bundle's size bound
 * and plaintext with that record?  Never for the first record of a bundle. */
int xa_export_split_here(const xa_export_split *sp, uint64_t bound, uint64_t plain);
/* Plaintext bytes (lines) of the records carrying an attachment of size bytes. */
uint64_t xa_export_attachment_plain(uint64_t size);
/* Plaintext bytes of a carry record naming n attachments, at most. */
uint64_t xa_export_carry_plain(size_t n);

/* Test hook: called after each bundle is published and before the store
 * records them (NULL in the program). */
extern void (*xa_field_export_published_hook)(const char *path);

/* Free what a result holds. */
void xa_export_result_clear(xa_export_result *out);

/* ---- editing a draft visit (visitdoc.c) -------------------------------------------- */

/* Days a school gets to rectify a hazard, by level (the brief's deadline_days). */
typedef struct xa_deadline_days {
    int general, major;
} xa_deadline_days;

/* A string member of an object, "" when missing; set one (NULL = JSON null). */
const char *xa_doc_str(const json_t *obj, const char *key);
void xa_doc_set_str(json_t *obj, const char *key, const char *value);

/* The answer object of (form, code), or NULL; its result (unchecked when
 * there is none); the answer created unchecked when missing. */
json_t *xa_doc_answer(json_t *doc, const char *form, const char *code);
xa_result xa_doc_result(json_t *doc, const char *form, const char *code);
json_t *xa_doc_answer_ensure(json_t *doc, const char *form, const char *code);
/* Set an answer's result, and the same result (and count) on every item of
 * the visit that asks the same question (same_as, forms.h); forms[0..nforms)
 * are where the visit's form ids are looked up (the brief's forms).  The
 * first answer that is not "unchecked" sets times.first_site to now
 * (seconds since the epoch, written at +08:00). */
void xa_doc_set_result(json_t *doc, const xa_form *const *forms, size_t nforms, const char *form,
                       const char *code, xa_result result, int64_t now);

/* The change record (visit.h xa_visit_change_apply) of an answer just set
 * with the calls above: the answer of (form, code), the answers of the
 * items that ask the same question (in the order xa_doc_set_result
 * created them) and the visit's times; it references doc's objects (a new
 * record, NULL when there is no such answer).  The TUI journals it
 * (xa_fstore_visit_journal) instead of saving the whole document. */
json_t *xa_doc_answer_change(json_t *doc, const xa_form *const *forms, size_t nforms,
                             const char *form, const char *code);

/* The i-th hazard of an item (NULL past the end), and how many it has. */
json_t *xa_doc_item_hazard(json_t *doc, const char *form, const char *code, size_t i);
size_t xa_doc_item_hazards(json_t *doc, const char *form, const char *code);
/* The default deadline of a hazard of a level found on day today (days
 * since the epoch). */
void xa_doc_deadline(xa_severity severity, const xa_deadline_days *days, int64_t today,
                     char out[XA_DATE_MAX]);
/* A new hazard of item it of form f, appended: category of the form, level
 * of the item (general when it has none), an EMPTY description (the item's
 * text is what is compliant, not the hazard), the location of the item's
 * answer, the default deadline.  Returns the new object (owned by doc). */
json_t *xa_doc_hazard_add(json_t *doc, const xa_form *f, const xa_item *it,
                          const xa_deadline_days *days, int64_t today);
void xa_doc_hazard_remove(json_t *doc, json_t *hazard);

/* The follow-up of an earlier hazard, or NULL; created when missing, its
 * verdict set unless verdict is XA_VERDICT_UNKNOWN. */
json_t *xa_doc_followup(json_t *doc, const char *hazard_id);
json_t *xa_doc_followup_ensure(json_t *doc, const char *hazard_id, xa_verdict verdict);

/* The forms of the visit.  profile is the school's (0: unknown, every item
 * applies): adding a form answers the items that do not apply "na" (those
 * automatic n/a are not counted as answers) and gives its items that ask
 * what another form of the visit already answered (same_as) that answer;
 * forms[0..nforms) as for xa_doc_set_result. */
int xa_doc_has_form(json_t *doc, const char *id);
void xa_doc_form_add(json_t *doc, const xa_form *const *forms, size_t nforms, const xa_form *f,
                     xa_profile profile);
void xa_doc_form_remove(json_t *doc, const char *id);
size_t xa_doc_form_answers(json_t *doc, const xa_form *f, xa_profile profile);
size_t xa_doc_form_hazards(json_t *doc, const char *id);

/* ---- attachments (attach.c) -------------------------------------------------------- */

/* What a file is, by its first bytes (never by its name): "jpeg", "png",
 * "heic", "pdf", or NULL for anything else. */
const char *xa_attach_sniff(const uint8_t *p, size_t n);

/* Limits in bytes: one file, and all the files of one visit. */
typedef struct xa_attach_limits {
    int64_t file_max, visit_max;
} xa_attach_limits;

/* The limits the brief's settings record carries ("attachments":
 * {"file_max", "visit_max"}), else the defaults of the settings table
 * (attach.file_mb 20, attach.visit_mb 200).  records may be NULL. */
void xa_attach_limits_of(const json_t *brief_records, xa_attach_limits *out);

/* The facts a photo carries about itself (EXIF; JPEG only). */
typedef struct xa_exif_facts {
    char taken[40];   /* DateTimeOriginal as YYYY-MM-DDTHH:MM:SS (camera time), "" if none */
    int has_gps;
    int64_t lat, lon; /* 10^-7 degree, north and east positive */
} xa_exif_facts;

/* Incremental EXIF reading: feed the first bytes of a JPEG until it says
 * it has enough (xa_exif_feed returns 0), then take the facts. */
typedef struct xa_exif_reader xa_exif_reader;
xa_exif_reader *xa_exif_new(void);
int xa_exif_feed(xa_exif_reader *r, const uint8_t *p, size_t n);
void xa_exif_facts_get(xa_exif_reader *r, xa_exif_facts *out);
void xa_exif_free(xa_exif_reader *r);
/* The EXIF facts of a file (reads only as far as its EXIF block). */
xa_code xa_exif_of_file(const char *path, xa_exif_facts *out, xa_err *err);

/* Where an attachment belongs: the visit (0), the n-th hazard or follow-up
 * of the document (1-based, as `xiaoan attach --hazard N` counts). */
typedef enum { XA_ATTACH_VISIT, XA_ATTACH_HAZARD, XA_ATTACH_FOLLOWUP } xa_attach_for;

/* Attach the file at path to the draft doc (loaded from s; changed in place
 * and saved in the same transaction as the file's encrypted bytes).  The
 * file is read once, streamed: type by content, size against the limits
 * (refused before anything is stored), BLAKE2b-256, EXIF.  *entry (may be
 * NULL) points at the new entry inside doc.  On failure doc and the store
 * are as they were.  *revision: doc's revision, checked and moved on as by
 * xa_fstore_visit_save (so is xa_attach_remove's). */
xa_code xa_attach_file(xa_fstore *s, json_t *doc, int64_t *revision, xa_attach_for target,
                       size_t n, const char *path, const xa_attach_limits *lim, json_t **entry,
                       xa_err *err);

/* Remove attachment id (or the n-th, 1-based, when id is a number) from the
 * draft doc and its bytes from the store. */
xa_code xa_attach_remove(xa_fstore *s, json_t *doc, int64_t *revision, const char *id_or_n,
                         xa_err *err);

/* The attachments of doc that belong to the hazard or follow-up ref (NULL:
 * to the visit itself), for lists: their count. */
size_t xa_attach_count(const json_t *doc, const char *for_, const char *ref);

/* ---- the brief as the screens read it (brief.c) ------------------------------------- */

/* A school of the brief. */
typedef struct xa_brief_school {
    xa_school s;
    int typed;            /* s.type is known */
    xa_profile profile;
    int nopen, noverdue;  /* open hazards of the brief at this school */
    /* Its search strings (pinyin.h xa_search_hay, xa_search_pinyin) when
     * read from the brief's school table, else NULL. */
    const char *hay, *py;
} xa_brief_school;

/* An open hazard of the brief (strings borrowed from the brief's records). */
typedef struct xa_brief_hazard {
    const char *id, *school, *form, *code, *category, *severity, *description, *location,
        *requirement, *deadline, *responsible, *found, *state;
} xa_brief_hazard;

/* An assignment of the brief (检查任务; strings and arrays borrowed from
 * the brief's records). */
typedef struct xa_brief_assign {
    const char *id, *school, *kind, *due, *note; /* due "" when none */
    const json_t *forms; /* focus form ids (may be empty) */
    const json_t *team;  /* [{"name","fingerprint"}], the whole team */
} xa_brief_assign;

/* Schools of the brief in a table of their own (not kept as JSON: a brief
 * may list 20,000), in brief order, with an index by code. */
struct xa_brief_arena;
struct xa_brief_schools {
    xa_brief_school *v;   /* never xa_school_clear them: */
    size_t n;
    size_t *by_code;      /* indexes of v sorted by code */
    struct xa_brief_arena *arena; /* the schools' strings (brief.c) */
};

/* The current brief, read in parts (fieldstore.h xa_brief_part): at
 * xa_brief_load the head (every record but the schools and the forms,
 * parsed into records) and the schools its hazards and assignments name
 * (cited); the forms at the first xa_brief_forms, every school at the first
 * xa_brief_schools. */
typedef struct xa_brief {
    xa_brief_meta meta;
    json_t *records;       /* every record but the schools and forms, in brief order */
    const char *office_name; /* of the settings record (NULL when it has none) */
    const char *office_fp;   /* the pinned office's fingerprint (else the settings record's) */
    char office_fp_pinned[XA_FP_MAX];
    xa_deadline_days days; /* the brief's deadline_days (defaults where missing) */
    struct xa_brief_schools cited; /* the schools hazards and assignments name */
    struct xa_brief_schools all;   /* every school, after xa_brief_schools */
    int schools_loaded, forms_loaded;
    xa_brief_school *schools; /* = all.v, all.n: every school in brief order */
    size_t nschools;
    xa_form **forms;       /* after xa_brief_forms */
    size_t nforms;
    xa_brief_hazard *haz;
    size_t nhaz;
    xa_brief_assign *asg;
    size_t nasg;
} xa_brief;

/* Read the stored brief's head and cited schools (XA_ENOTFOUND when none
 * was imported).  A school record the roster module does not accept is
 * kept leniently (what a person needs to find it). */
xa_code xa_brief_load(xa_fstore *s, xa_brief **out, xa_err *err);
/* Read the forms (once; a form it cannot read is left out) / every school
 * (once) of the brief b was loaded from.  XA_ESTATE when another brief was
 * imported since.  Every school comes from the brief's compact school
 * table (fieldstore.h xa_fstore_brief_table): one decryption, no JSON;
 * when the store has none yet (a brief imported before field store schema
 * 6), the schools are read from their records and the table is written
 * for the next time. */
xa_code xa_brief_forms(xa_fstore *s, xa_brief *b, xa_err *err);
xa_code xa_brief_schools(xa_fstore *s, xa_brief *b, xa_err *err);
void xa_brief_free(xa_brief *b);
/* Make and store the school table of the stored brief (xa_brief_import
 * does, after storing a brief; XA_ESTATE when another brief was stored
 * meanwhile). */
xa_code xa_brief_table_make(xa_fstore *s, xa_err *err);
/* The school with this code, or NULL: among the cited schools first, then
 * among every school when they were read. */
xa_brief_school *xa_brief_school_find(const xa_brief *b, const char *code);
/* The school with this code in one table, or NULL. */
xa_brief_school *xa_brief_schools_find(const struct xa_brief_schools *t, const char *code);

#endif
