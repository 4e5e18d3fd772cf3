/* mem.h — allocation that never returns NULL, a growable byte/string buffer,
 * and guarded memory for secrets.
 *
 * xa_malloc and friends abort with a message on exhaustion and refuse size 0
 * (a zero-size request is always a bug here).  Secrets (keys, passphrases)
 * live in xa_secret_alloc'd memory (libsodium guarded pages, mlocked) and are
 * wiped by xa_secret_free. */
#ifndef XIAOAN_MEM_H
#define XIAOAN_MEM_H

#include <stdarg.h>
#include <stddef.h>

void *xa_malloc(size_t n);
void *xa_calloc(size_t count, size_t size);
void *xa_realloc(void *p, size_t n);
/* Resize p to count elements of size bytes; aborts when count * size
 * overflows (never a short allocation), like OpenBSD's reallocarray.  Use it
 * wherever an array grows. */
void *xa_reallocarray(void *p, size_t count, size_t size);
/* Large zero-filled memory (the brief's school table, the picker's filter)
 * mapped on its own and backed by huge pages where the kernel offers them:
 * far fewer page faults than malloc'd memory of the same size.  Returns
 * the memory (2 MiB aligned); b records the mapping for xa_big_free (a
 * zeroed b is free already).  Aborts on failure like xa_malloc. */
typedef struct xa_big {
    void *base;
    size_t len;
} xa_big;
void *xa_big_alloc(size_t n, xa_big *b);
void xa_big_free(xa_big *b);
char *xa_strdup(const char *s);
char *xa_strndup(const char *s, size_t n);
char *xa_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Disable core dumps for the rest of the process: RLIMIT_CORE 0 and (Linux)
 * PR_SET_DUMPABLE 0.  xa_secret_alloc calls it, so every command that
 * unlocks a key (and so every command that decrypts) runs without them. */
void xa_no_core_dumps(void);

/* Guarded, locked memory for secrets (core dumps off, see above); aborts on
 * failure. */
void *xa_secret_alloc(size_t n);
/* Wipe and release memory from xa_secret_alloc (NULL is fine). */
void xa_secret_free(void *p);

/* A growable buffer; data is always NUL-terminated once anything was added,
 * so it doubles as a string builder.  Zero-initialise or xa_buf_init. */
typedef struct xa_buf {
    char *data;
    size_t len;
    size_t cap;
} xa_buf;

#define XA_BUF_INIT {NULL, 0, 0}

void xa_buf_init(xa_buf *b);
void xa_buf_clear(xa_buf *b);
/* Make room for `extra` more bytes plus the terminating NUL. */
void xa_buf_reserve(xa_buf *b, size_t extra);
void xa_buf_add(xa_buf *b, const void *data, size_t n);
void xa_buf_puts(xa_buf *b, const char *s);
void xa_buf_putc(xa_buf *b, char c);
void xa_buf_printf(xa_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xa_buf_vprintf(xa_buf *b, const char *fmt, va_list ap);
/* Forget the contents, keep the memory. */
void xa_buf_reset(xa_buf *b);
/* Hand over the string (never NULL; "" for an empty buffer); b is emptied. */
char *xa_buf_steal(xa_buf *b);
/* Wipe the contents (for buffers that held plaintext), then free. */
void xa_buf_wipe(xa_buf *b);

#endif
