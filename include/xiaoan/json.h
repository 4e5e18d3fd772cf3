/* json.h — JSON helpers over jansson: strict parsing with limits, canonical
 * bytes for signing, and small typed getters that name the missing field.
 *
 * Canonical bytes (DESIGN §4): object keys sorted, no whitespace, UTF-8 as
 * is, integers only (a real number anywhere is an error). */
#ifndef XIAOAN_JSON_H
#define XIAOAN_JSON_H

#include "xiaoan/error.h"
#include "xiaoan/mem.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define XA_JSON_MAX_DEPTH 32

/* Parse exactly one JSON value from buf (len bytes): rejects duplicate keys,
 * NUL bytes, real numbers and nesting deeper than max_depth. */
xa_code xa_json_parse(const char *buf, size_t len, int max_depth, json_t **out, xa_err *err);

/* Canonical bytes of v appended to out (no trailing newline). */
xa_code xa_json_canonical(const json_t *v, xa_buf *out, xa_err *err);

/* Is s (len bytes) certainly one JSON object that xa_json_parse(max_depth)
 * accepts and xa_json_canonical prints as these very bytes?  Checked in one
 * scan, without building a tree.  0 means "not sure" (a \u escape, a long
 * integer, anything not canonical): the caller parses and compares instead.
 * With key, a top-level member of that name whose value is a string without
 * escapes is lent as *val / *vlen (else *val is NULL). */
int xa_json_canonical_object(const char *s, size_t len, int max_depth, const char *key,
                             const char **val, size_t *vlen);

/* ---- a cursor over canonical text (json.c) ----
 * Decoding one JSON object of a known shape straight from its canonical
 * bytes, with the very checks xa_json_canonical_object makes (strings as
 * xa_json_canonical prints them, integers as "%lld" prints them, no
 * whitespace), for a caller that expects its members one by one in
 * canonical (sorted) order — so key order, unknown and missing members
 * need no further check.  Every function returns 0 when the text is not
 * what was expected; the caller then takes the jansson path (jansson has
 * no streaming or pull API: docs/performance.md, "Merge, fifth session").
 * Strings are decoded into the arena, NUL-terminated; the arena is
 * reserved once at init and does not move while the cursor is in use. */
typedef struct xa_jcur {
    const unsigned char *p, *end;
    int depth, max_depth;
    int first; /* right after '{' or '[' (no ',' before the next member) */
    xa_buf *arena;
} xa_jcur;

/* Start at s (len bytes); arena is emptied and reserved. */
void xa_jcur_init(xa_jcur *c, const char *s, size_t len, int max_depth, xa_buf *arena);
/* '{' and '}'. */
int xa_jcur_obj(xa_jcur *c);
int xa_jcur_obj_end(xa_jcur *c);
/* The next member's key is exactly key (consumed with its ':'). */
int xa_jcur_key(xa_jcur *c, const char *key);
/* Is the next member's key key?  (Nothing consumed: an optional member.) */
int xa_jcur_has_key(const xa_jcur *c, const char *key);
/* '[', then xa_jcur_next before each element: 1 an element follows, 0 the
 * array ended (']' consumed), -1 malformed. */
int xa_jcur_arr(xa_jcur *c);
int xa_jcur_next(xa_jcur *c);
/* A string value (decoded, NUL-terminated in the arena; *len may be NULL),
 * null (0 and nothing consumed when the value is not null), a boolean, an
 * integer. */
int xa_jcur_str(xa_jcur *c, const char **out, size_t *len);
int xa_jcur_null(xa_jcur *c);
int xa_jcur_bool(xa_jcur *c, int *b);
int xa_jcur_int(xa_jcur *c, int64_t *v);
/* All of the text consumed, every bracket closed. */
int xa_jcur_done(const xa_jcur *c);

/* Nesting depth of v (a scalar is 0). */
int xa_json_depth(const json_t *v);

/* Does v contain a real (floating-point) number anywhere? */
int xa_json_has_real(const json_t *v);

/* Typed getters: a string / integer / object / array member, or an error
 * naming `what.key`. */
xa_code xa_json_str(const json_t *obj, const char *key, const char **out, xa_err *err);
xa_code xa_json_int(const json_t *obj, const char *key, json_int_t *out, xa_err *err);
xa_code xa_json_obj(const json_t *obj, const char *key, json_t **out, xa_err *err);
xa_code xa_json_arr(const json_t *obj, const char *key, json_t **out, xa_err *err);
/* Optional string: NULL when absent or null; error when another type. */
xa_code xa_json_str_opt(const json_t *obj, const char *key, const char **out, xa_err *err);

/* ---- scanning JSON text without a parsed tree (json.c) ----
 * For large, trusted, already validated text (the stored brief): find the
 * extent of values and read flat members, so one record at a time can be
 * parsed or read without building the whole tree.  Malformed text is
 * reported, never read past its end. */

/* The bytes of one value starting at text[*pos] (after spaces): on success
 * *pos is past it and the value is text[start, *pos); 0 when malformed. */
int xa_json_skip(const char *text, size_t len, size_t *pos, size_t *start);
/* Call fn for each element of the top-level JSON array in text (the
 * element's bytes); stops at fn's first nonzero return and returns it.
 * -1 when the text is not an array or is malformed. */
int xa_json_each_element(const char *text, size_t len,
                         int (*fn)(void *ctx, const char *elem, size_t n), void *ctx);
/* The next member of the JSON object in obj[0, n): *pos starts at 0.
 * 1 with the key's bytes (between its quotes, still escaped) and the
 * value's bytes; 0 at the end; -1 when malformed. */
int xa_json_next_member(const char *obj, size_t n, size_t *pos, const char **key,
                        size_t *klen, const char **val, size_t *vlen);
/* Append the text of the JSON string val[0, n) (with its quotes) to out,
 * escapes decoded, and a NUL after it (not counted in out->len); 0 when
 * val is not a valid string or holds \u0000. */
int xa_json_unescape(const char *val, size_t n, xa_buf *out);

#endif
