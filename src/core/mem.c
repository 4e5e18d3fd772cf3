/* mem.c — allocation wrappers, the growable buffer and secret memory.
 * Running out of memory in a field tool is not recoverable in any useful way,
 * so the wrappers abort loudly instead of letting NULL travel. */
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* Print why and abort; used for exhaustion and for size-0 requests. */
static void die_alloc(const char *what, size_t n)
{
    fprintf(stderr, "xiaoan: %s(%zu) failed\n", what, n);
    abort();
}

/* malloc that aborts on failure or size 0. */
void *xa_malloc(size_t n)
{
    if (n == 0)
        die_alloc("malloc of size 0", n);
    void *p = malloc(n);
    if (!p)
        die_alloc("malloc", n);
    return p;
}

/* calloc that aborts on failure, overflow or size 0. */
void *xa_calloc(size_t count, size_t size)
{
    if (count == 0 || size == 0)
        die_alloc("calloc of size 0", 0);
    void *p = calloc(count, size);
    if (!p)
        die_alloc("calloc", count * size);
    return p;
}

/* Large zero-filled memory mapped on its own, 2 MiB aligned and marked for
 * huge pages where the kernel offers them (Linux MADV_HUGEPAGE; a hint):
 * each fresh 4 KiB page of a large malloc costs a page fault, and on a
 * virtual machine thousands of them were most of the school picker's
 * first opening. */
#define BIG_ALIGN ((size_t)2 << 20)
void *xa_big_alloc(size_t n, xa_big *b)
{
    if (n == 0)
        die_alloc("big allocation of size 0", n);
    if (n > SIZE_MAX - 2 * BIG_ALIGN)
        die_alloc("mmap", n);
    size_t len = (n + BIG_ALIGN - 1) / BIG_ALIGN * BIG_ALIGN + BIG_ALIGN;
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        die_alloc("mmap", n);
    uintptr_t a = ((uintptr_t)m + BIG_ALIGN - 1) & ~(uintptr_t)(BIG_ALIGN - 1);
#ifdef MADV_HUGEPAGE
    (void)madvise((void *)a, len - BIG_ALIGN, MADV_HUGEPAGE);
#endif
    b->base = m;
    b->len = len;
    return (void *)a;
}

void xa_big_free(xa_big *b)
{
    if (b->base)
        munmap(b->base, b->len);
    b->base = NULL;
    b->len = 0;
}

/* realloc that aborts on failure or size 0. */
void *xa_realloc(void *p, size_t n)
{
    if (n == 0)
        die_alloc("realloc of size 0", n);
    void *q = realloc(p, n);
    if (!q)
        die_alloc("realloc", n);
    return q;
}

/* realloc of count * size bytes that aborts on overflow or failure. */
void *xa_reallocarray(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        die_alloc("reallocarray overflowing", count);
    return xa_realloc(p, count * size);
}

/* strdup that aborts on failure. */
char *xa_strdup(const char *s)
{
    return xa_strndup(s, strlen(s));
}

/* Copy at most n bytes of s into a new NUL-terminated string. */
char *xa_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = xa_malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* printf into a new string. */
char *xa_asprintf(const char *fmt, ...)
{
    xa_buf b = XA_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    xa_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return xa_buf_steal(&b);
}

/* No core file from this process (issue 11 item 9): a crash after a key
 * or a record was decrypted must not leave them on disk.  Not dumpable also
 * keeps other processes of the same user from ptrace-reading our memory. */
void xa_no_core_dumps(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
#ifdef __linux__
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

/* Guarded memory for secrets.  Every command that decrypts holds a key here
 * before it decrypts anything, so core dumps are disabled from this point. */
void *xa_secret_alloc(size_t n)
{
    if (n == 0)
        die_alloc("secret alloc of size 0", n);
    xa_no_core_dumps();
    if (sodium_init() < 0)
        die_alloc("sodium_init", n);
    void *p = sodium_malloc(n);
    if (!p)
        die_alloc("sodium_malloc", n);
    return p;
}

/* sodium_free wipes before releasing. */
void xa_secret_free(void *p)
{
    if (p)
        sodium_free(p);
}

void xa_buf_init(xa_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void xa_buf_clear(xa_buf *b)
{
    free(b->data);
    xa_buf_init(b);
}

/* Grow geometrically so appends are amortised O(1). */
void xa_buf_reserve(xa_buf *b, size_t extra)
{
    if (extra > (size_t)-1 - b->len - 1)
        die_alloc("buffer overflow", extra);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    b->data = xa_realloc(b->data, cap);
    b->cap = cap;
}

/* Append n bytes. */
void xa_buf_add(xa_buf *b, const void *data, size_t n)
{
    xa_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void xa_buf_puts(xa_buf *b, const char *s)
{
    xa_buf_add(b, s, strlen(s));
}

void xa_buf_putc(xa_buf *b, char c)
{
    xa_buf_add(b, &c, 1);
}

/* printf onto the end of the buffer. */
void xa_buf_vprintf(xa_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        die_alloc("vsnprintf", 0);
    xa_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void xa_buf_printf(xa_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xa_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void xa_buf_reset(xa_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Hand the string to the caller. */
char *xa_buf_steal(xa_buf *b)
{
    if (!b->data)
        return xa_strdup("");
    char *s = b->data;
    xa_buf_init(b);
    return s;
}

/* Wipe then free: for buffers that held decrypted records. */
void xa_buf_wipe(xa_buf *b)
{
    if (b->data)
        sodium_memzero(b->data, b->cap);
    xa_buf_clear(b);
}
