/* field_internal.h — what the field store's files share (fieldstore.c, the
 * visits and identity; field_attach.c, the attachments): the store struct
 * and the helpers that must run inside one transaction. */
#ifndef XIAOAN_FIELD_INTERNAL_H
#define XIAOAN_FIELD_INTERNAL_H

#include "db.h"

#include "xiaoan/fieldstore.h"

struct xa_fstore {
    struct db *db;
    char *path, *home;
    xa_identity *id;
};

/* Save a draft document inside the caller's open transaction (fieldstore.c). */
xa_code xa__fstore_save_in_tx(xa_fstore *s, const json_t *doc, xa_err *err);

/* Drop the stored bytes of every attachment of doc's visit that doc no
 * longer lists (field_attach.c; inside the caller's transaction). */
xa_code xa__fstore_attach_prune(xa_fstore *s, const json_t *doc, xa_err *err);

#endif
