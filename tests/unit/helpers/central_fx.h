/* central_fx.h — test fixtures for the office: sealed visits built through
 * the visit API (an inspector's chain, hazards, follow-ups).  Linked into
 * every unit test; names start with fx_. */
#ifndef XIAOAN_TEST_CENTRAL_FX_H
#define XIAOAN_TEST_CENTRAL_FX_H

#include "xiaoan/centralstore.h"
#include "xiaoan/forms.h"
#include "xiaoan/identity.h"
#include "xiaoan/roster.h"
#include "xiaoan/visit.h"

#include <jansson.h>
#include <stdint.h>

/* An inspector and the state of their seal chain. */
typedef struct fx_inspector {
    xa_identity *id;
    int64_t seq;                 /* last seq sealed (0: none) */
    uint8_t prev[XA_HASH_BYTES]; /* hash of the last sealed document */
} fx_inspector;

/* A new inspector with fresh keys (aborts the test on failure). */
fx_inspector *fx_inspector_new(const char *name);
void fx_inspector_free(fx_inspector *in);

/* A draft visit at a school, arrived at `arrived` (RFC 3339). */
json_t *fx_visit(const fx_inspector *in, const char *code, const char *name, const char *county,
                 const char *kind, const char *arrived);

/* Add a form reference, an answer, a hazard (returns its id, owned by the
 * doc), a follow-up of an earlier hazard id. */
void fx_form(json_t *doc, const char *form, int version, const char *hash);
void fx_answer(json_t *doc, const char *form, const char *code, const char *result);
const char *fx_hazard(json_t *doc, const char *form, const char *code, const char *category,
                      const char *severity, const char *description, const char *found,
                      const char *deadline, int rectified_on_site);
void fx_followup(json_t *doc, const char *hazard, const char *verdict, const char *checked);

/* Seal a draft as the inspector's next visit; returns the bundle record
 * {"type":"visit","doc","sig"} (new reference) and frees the draft. */
json_t *fx_seal(fx_inspector *in, json_t *draft, const char *sealed);

/* Write a container at path signed by `in` and encrypted to office_age_pk
 * and the inspector: format XA_BUNDLE_FORMAT (or any other format string),
 * seq, prev (hex or NULL), created (RFC 3339 or NULL for now), the records
 * (an array of objects).  Aborts on failure. */
void fx_container(const char *path, const char *format, const fx_inspector *in,
                  const uint8_t *office_age_pk, int64_t seq, const char *prev,
                  const char *created, const json_t *records);

/* BLAKE2b-256 hex of a file (aborts on failure); out has 65 bytes. */
void fx_file_hash(const char *path, char *out);

/* Enrol an identity at the office as `central enroll` does with its
 * `xiaoan id` text. */
xa_code fx_enroll(xa_cstore *s, const xa_identity *id, xa_err *err);

/* A new office store at path (office 丽水市教育局, passphrase pass, the
 * interactive KDF) holding roster and forms as `central schools import` and
 * `central forms import` leave them; *s open, *office its key. */
xa_code fx_office_create(const char *path, const char *pass, const xa_roster *roster,
                         const xa_form_set *forms, xa_cstore **s, xa_identity **office,
                         xa_err *err);

/* The id of a sealed record's visit. */
const char *fx_record_id(const json_t *record);

#endif
