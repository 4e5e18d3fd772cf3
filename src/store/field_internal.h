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
xa_code xa__fstore_save_in_tx(xa_fstore *s, const json_t *doc, int64_t base, int64_t *newrev,
                              xa_err *err);

/* Drop the stored bytes of every attachment of doc's visit that doc no
 * longer lists (field_attach.c; inside the caller's transaction). */
xa_code xa__fstore_attach_prune(xa_fstore *s, const json_t *doc, xa_err *err);

/* Encrypt plain with the data key (a random nonce; associated data ad);
 * decrypt a stored blob into plain (wiped by the caller). */
#define XA_FSTORE_NONCE_BYTES 24
void xa__fstore_seal(const xa_fstore *s, const uint8_t *ad, size_t adlen, const xa_buf *plain,
                     uint8_t nonce[XA_FSTORE_NONCE_BYTES], xa_buf *ct);
xa_code xa__fstore_unseal(const xa_fstore *s, const uint8_t *ad, size_t adlen, const void *nonce,
                          size_t nonce_len, const void *ct, size_t ct_len, xa_buf *plain,
                          const char *what, xa_err *err);

/* Split a brief stored before schema 4 into its parts (field_brief.c; at
 * xa_fstore_open, once). */
xa_code xa__fstore_brief_upgrade(xa_fstore *s, xa_err *err);

#endif
