/* fieldexport.h — writing a bundle (xiaoan.bundle/1, docs/formats.md) of
 * every sealed, not yet exported visit in the field store.  Used by
 * `xiaoan export` and the TUI's export screen.
 *
 * Recipients: the pinned office's age key and the inspector's own; manifest
 * seq = last export + 1, prev = BLAKE2b-256 of the previous bundle file (or
 * null); records are {"type":"visit","doc","sig"} in seal order; the trailer
 * is signed with the inspector's key.  The bundle is recorded and its visits
 * marked exported in one transaction after the file is complete; if that
 * fails the file is removed, so the store and the folder agree. */
#ifndef XIAOAN_FIELDEXPORT_H
#define XIAOAN_FIELDEXPORT_H

#include "xiaoan/error.h"
#include "xiaoan/fieldstore.h"

#include <stddef.h>
#include <stdint.h>

typedef struct xa_export_result {
    char *path;     /* the bundle written (heap), NULL when nothing to export */
    size_t visits;  /* visits in it */
    int64_t seq;    /* its bundle seq */
    char hash[XA_HASH_HEX]; /* BLAKE2b-256 of the file */
} xa_export_result;

/* Export into folder dir (created 0700 if missing; NULL = "."); the file is
 * dir/xiaoan-FINGERPRINT-SEQ.xab.  Nothing to export is success with
 * out->path NULL.  XA_ESTATE when no office is pinned yet (import a brief
 * first); XA_EEXIST when the file name is taken. */
xa_code xa_field_export(xa_fstore *s, const char *dir, xa_export_result *out, xa_err *err);

/* Free out->path. */
void xa_export_result_clear(xa_export_result *out);

#endif
