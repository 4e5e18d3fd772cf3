/* json.c — strict parsing, canonical serialisation and typed getters; the
 * canonical-form scanner (one pass over the bytes, no tree) and the cursor
 * built from it that decodes a canonical object of a known shape member by
 * member; and a scanner of JSON text (value extents, flat members, string
 * unescaping) for reading a large stored array one element at a time. */
#include "xiaoan/json.h"

#include <stdint.h>
#include <string.h>

int xa_json_depth(const json_t *v)
{
    int max = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        json_object_foreach((json_t *)v, k, m) {
            int d = xa_json_depth(m);
            if (d > max)
                max = d;
        }
        return max + 1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *m;
        json_array_foreach(v, i, m) {
            int d = xa_json_depth(m);
            if (d > max)
                max = d;
        }
        return max + 1;
    }
    return 0;
}

int xa_json_has_real(const json_t *v)
{
    if (json_is_real(v))
        return 1;
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        json_object_foreach((json_t *)v, k, m) if (xa_json_has_real(m)) return 1;
    } else if (json_is_array(v)) {
        size_t i;
        json_t *m;
        json_array_foreach(v, i, m) if (xa_json_has_real(m)) return 1;
    }
    return 0;
}

/* Count the nesting of brackets in raw text before handing it to jansson,
 * so a hostile 10,000-deep document is refused without recursion. */
static int raw_depth_ok(const char *buf, size_t len, int max_depth)
{
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                return 0;
        } else if (c == '}' || c == ']')
            depth--;
    }
    return 1;
}

xa_code xa_json_parse(const char *buf, size_t len, int max_depth, json_t **out, xa_err *err)
{
    if (!raw_depth_ok(buf, len, max_depth))
        return xa_fail(err, XA_EFORMAT, "JSON nested deeper than %d", max_depth);
    json_error_t je;
    json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        return xa_fail(err, XA_EFORMAT, "bad JSON at column %d: %s", je.column, je.text);
    if (xa_json_has_real(v)) {
        json_decref(v);
        return xa_fail(err, XA_EFORMAT, "JSON contains a real number (only integers allowed)");
    }
    *out = v;
    return XA_OK;
}

/* jansson dump callback into an xa_buf. */
static int dump_cb(const char *buffer, size_t size, void *data)
{
    xa_buf_add(data, buffer, size);
    return 0;
}

xa_code xa_json_canonical(const json_t *v, xa_buf *out, xa_err *err)
{
    if (xa_json_has_real(v))
        return xa_fail(err, XA_EFORMAT, "a real number cannot be signed (integers only)");
    if (json_dump_callback(v, dump_cb, out, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) != 0)
        return xa_fail(err, XA_EFORMAT, "cannot serialise JSON");
    if (!out->data)
        xa_buf_puts(out, "");
    return XA_OK;
}

/* Fetch a member and check its type. */
static xa_code member(const json_t *obj, const char *key, int (*is)(const json_t *),
                      const char *tname, json_t **out, xa_err *err)
{
    json_t *m = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!m)
        return xa_fail(err, XA_EFORMAT, "missing field '%s'", key);
    if (!is(m))
        return xa_fail(err, XA_EFORMAT, "field '%s' must be %s", key, tname);
    *out = m;
    return XA_OK;
}

static int is_str(const json_t *v) { return json_is_string(v); }
static int is_int(const json_t *v) { return json_is_integer(v); }
static int is_obj(const json_t *v) { return json_is_object(v); }
static int is_arr(const json_t *v) { return json_is_array(v); }

xa_code xa_json_str(const json_t *obj, const char *key, const char **out, xa_err *err)
{
    json_t *m = NULL;
    xa_code c = member(obj, key, is_str, "a string", &m, err);
    if (c == XA_OK)
        *out = json_string_value(m);
    return c;
}

xa_code xa_json_int(const json_t *obj, const char *key, json_int_t *out, xa_err *err)
{
    json_t *m = NULL;
    xa_code c = member(obj, key, is_int, "an integer", &m, err);
    if (c == XA_OK)
        *out = json_integer_value(m);
    return c;
}

xa_code xa_json_obj(const json_t *obj, const char *key, json_t **out, xa_err *err)
{
    return member(obj, key, is_obj, "an object", out, err);
}

xa_code xa_json_arr(const json_t *obj, const char *key, json_t **out, xa_err *err)
{
    return member(obj, key, is_arr, "an array", out, err);
}

xa_code xa_json_str_opt(const json_t *obj, const char *key, const char **out, xa_err *err)
{
    json_t *m = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    *out = NULL;
    if (!m || json_is_null(m))
        return XA_OK;
    if (!json_is_string(m))
        return xa_fail(err, XA_EFORMAT, "field '%s' must be a string", key);
    *out = json_string_value(m);
    return XA_OK;
}

/* ---- canonical form without a tree ------------------------------------------ */

/* A cursor over text being checked for canonical form. */
struct canon_scan {
    const unsigned char *p, *end;
    int max_depth;
};

#define ONES ((uint64_t)0x0101010101010101u)
#define HIGHS ((uint64_t)0x8080808080808080u)

/* The bytes of w (eight bytes of a string, first byte lowest) that need a
 * closer look: '"', '\\', a control byte (< 0x20) or a byte >= 0x80, each
 * marked by its high bit.  While every byte is below 0x80, a byte below n
 * sets its high bit in w - n*ONES and x ^ w is 0 exactly where a byte is x
 * (the usual "is any byte zero" test); a borrow only reaches bytes above a
 * marked one, so the lowest mark is exact. */
static inline uint64_t string_marks(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
    return (w | (w - ONES * 0x20) | (q - ONES) | (b - ONES)) & HIGHS;
}

/* One string (p at its opening quote) in the form xa_json_canonical prints:
 * valid UTF-8 as is (no surrogates, no overlong forms), '"' and '\' and
 * \b \f \n \r \t escaped, no other escape (a \u escape: not sure).  *raw
 * says whether the string contains no escape at all. */
static int canon_string(struct canon_scan *c, int *raw)
{
    const unsigned char *p = c->p + 1;
    *raw = 1;
    while (p < c->end) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* plain ASCII eight bytes at a time, up to the first byte that needs
         * a look (most of a record's text is short ASCII strings) */
        if (c->end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, sizeof w);
            uint64_t m = string_marks(w);
            if (!m) {
                p += 8;
                continue;
            }
            p += __builtin_ctzll(m) >> 3;
        }
#endif
        unsigned char b = *p;
        if (b == '"') {
            c->p = p + 1;
            return 1;
        }
        if (b == '\\') {
            if (p + 1 >= c->end || !strchr("\"\\bfnrt", p[1]) || !p[1])
                return 0;
            *raw = 0;
            p += 2;
            continue;
        }
        if (b < 0x20)
            return 0;
        if (b < 0x80) {
            p++;
            continue;
        }
        /* a multi-byte sequence: lead byte, length, smallest code point */
        size_t n;
        uint32_t cp, min;
        if (b >= 0xc2 && b <= 0xdf)
            n = 2, cp = b & 0x1f, min = 0x80;
        else if (b >= 0xe0 && b <= 0xef)
            n = 3, cp = b & 0x0f, min = 0x800;
        else if (b >= 0xf0 && b <= 0xf4)
            n = 4, cp = b & 0x07, min = 0x10000;
        else
            return 0;
        if ((size_t)(c->end - p) < n)
            return 0;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        p += n;
    }
    return 0;
}

/* An integer as "%lld" prints it: no "-0", no leading zero, no fraction or
 * exponent (a real is an error), short enough to fit without checking. */
static int canon_integer(struct canon_scan *c)
{
    const unsigned char *p = c->p, *start;
    if (p < c->end && *p == '-')
        p++;
    start = p;
    while (p < c->end && *p >= '0' && *p <= '9')
        p++;
    size_t n = (size_t)(p - start);
    if (n == 0 || n > 18 || (n > 1 && *start == '0') || (n == 1 && *start == '0' && start != c->p))
        return 0;
    if (p < c->end && (*p == '.' || *p == 'e' || *p == 'E'))
        return 0;
    c->p = p;
    return 1;
}

static int canon_value(struct canon_scan *c, int depth);

/* An object (p at '{'): keys without escapes in strictly increasing byte
 * order (jansson's JSON_SORT_KEYS; no duplicate), ':' and ',' without
 * spaces.  A top-level member `want` with a string value without escapes is
 * pointed at by *val / *vlen. */
static int canon_object(struct canon_scan *c, int depth, const char *want, const char **val,
                        size_t *vlen)
{
    if (depth > c->max_depth)
        return 0;
    c->p++;
    if (c->p < c->end && *c->p == '}') {
        c->p++;
        return 1;
    }
    const unsigned char *prev = NULL;
    size_t prev_len = 0;
    for (;;) {
        if (c->p >= c->end || *c->p != '"')
            return 0;
        const unsigned char *key = c->p + 1;
        int raw;
        if (!canon_string(c, &raw) || !raw)
            return 0;
        size_t klen = (size_t)(c->p - 1 - key);
        if (prev) { /* prev < key in byte order (keys are short: no memcmp call) */
            size_t m = klen < prev_len ? klen : prev_len, i = 0;
            while (i < m && prev[i] == key[i])
                i++;
            if (i < m ? prev[i] > key[i] : prev_len >= klen)
                return 0;
        }
        prev = key;
        prev_len = klen;
        if (c->p >= c->end || *c->p != ':')
            return 0;
        c->p++;
        const unsigned char *v = c->p;
        if (!canon_value(c, depth))
            return 0;
        if (want && *v == '"' && klen == strlen(want) && !memcmp(key, want, klen)) {
            struct canon_scan s = {v, c->end, c->max_depth};
            int vraw;
            if (canon_string(&s, &vraw) && vraw) {
                *val = (const char *)v + 1;
                *vlen = (size_t)(s.p - v) - 2;
            }
        }
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end && *c->p == '}') {
            c->p++;
            return 1;
        }
        return 0;
    }
}

/* Any value (depth: the containers around it). */
static int canon_value(struct canon_scan *c, int depth)
{
    if (c->p >= c->end)
        return 0;
    int raw;
    switch (*c->p) {
    case '{':
        return canon_object(c, depth + 1, NULL, NULL, NULL);
    case '[':
        if (depth + 1 > c->max_depth)
            return 0;
        c->p++;
        if (c->p < c->end && *c->p == ']') {
            c->p++;
            return 1;
        }
        for (;;) {
            if (!canon_value(c, depth + 1))
                return 0;
            if (c->p < c->end && *c->p == ',') {
                c->p++;
                continue;
            }
            if (c->p < c->end && *c->p == ']') {
                c->p++;
                return 1;
            }
            return 0;
        }
    case '"':
        return canon_string(c, &raw);
    case 't':
    case 'f':
    case 'n': {
        const char *w = *c->p == 't' ? "true" : *c->p == 'f' ? "false" : "null";
        size_t n = strlen(w);
        if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
            return 0;
        c->p += n;
        return 1;
    }
    default:
        return canon_integer(c);
    }
}

int xa_json_canonical_object(const char *s, size_t len, int max_depth, const char *key,
                             const char **val, size_t *vlen)
{
    if (val)
        *val = NULL, *vlen = 0;
    struct canon_scan c = {(const unsigned char *)s, (const unsigned char *)s + len, max_depth};
    if (len == 0 || *c.p != '{' || memchr(s, '\0', len))
        return 0;
    return canon_object(&c, 1, key, val, vlen) && c.p == c.end;
}

/* ---- a cursor over canonical text (decoding a known shape without a tree) ---- */

void xa_jcur_init(xa_jcur *c, const char *s, size_t len, int max_depth, xa_buf *arena)
{
    c->p = (const unsigned char *)s;
    c->end = c->p + len;
    c->depth = 0;
    c->max_depth = max_depth;
    c->first = 1;
    c->arena = arena;
    xa_buf_reset(arena);
    /* every string decodes to at most its bytes between the quotes, and its
     * NUL takes the place of a quote: the arena never moves while in use */
    xa_buf_reserve(arena, len + 1);
}

/* Expect the byte b. */
static int jc_byte(xa_jcur *c, unsigned char b)
{
    if (c->p >= c->end || *c->p != b)
        return 0;
    c->p++;
    return 1;
}

/* A ',' unless right after the opening bracket. */
static int jc_sep(xa_jcur *c)
{
    if (c->first) {
        c->first = 0;
        return 1;
    }
    return jc_byte(c, ',');
}

int xa_jcur_obj(xa_jcur *c)
{
    if (c->depth + 1 > c->max_depth || !jc_byte(c, '{'))
        return 0;
    c->depth++;
    c->first = 1;
    return 1;
}

int xa_jcur_key(xa_jcur *c, const char *key)
{
    /* "key": compared byte by byte as far as the text goes (no strlen) */
    if (!jc_sep(c))
        return 0;
    const unsigned char *p = c->p, *end = c->end;
    if (p >= end || *p++ != '"')
        return 0;
    while (*key && p < end && *p == (unsigned char)*key)
        p++, key++;
    if (*key || end - p < 2 || p[0] != '"' || p[1] != ':')
        return 0;
    c->p = p + 2;
    return 1;
}

int xa_jcur_has_key(const xa_jcur *c, const char *key)
{
    size_t n = strlen(key), at = c->first ? 0 : 1;
    if ((size_t)(c->end - c->p) < at + n + 3 || (!c->first && c->p[0] != ',') ||
        c->p[at] != '"' || memcmp(c->p + at + 1, key, n) != 0 || c->p[at + n + 1] != '"')
        return 0;
    return 1;
}

int xa_jcur_obj_end(xa_jcur *c)
{
    if (!jc_byte(c, '}'))
        return 0;
    c->depth--;
    c->first = 0;
    return 1;
}

int xa_jcur_arr(xa_jcur *c)
{
    if (c->depth + 1 > c->max_depth || !jc_byte(c, '['))
        return 0;
    c->depth++;
    c->first = 1;
    return 1;
}

int xa_jcur_next(xa_jcur *c)
{
    if (c->p < c->end && *c->p == ']') {
        c->p++;
        c->depth--;
        c->first = 0;
        return 0;
    }
    return jc_sep(c) ? 1 : -1;
}

int xa_jcur_str(xa_jcur *c, const char **out, size_t *len)
{
    if (c->p >= c->end || *c->p != '"')
        return 0;
    struct canon_scan s = {c->p, c->end, c->max_depth};
    int raw;
    if (!canon_string(&s, &raw))
        return 0;
    const unsigned char *q = c->p + 1, *e = s.p - 1; /* between the quotes */
    char *dst = c->arena->data + c->arena->len, *d = dst;
    if (raw) {
        memcpy(d, q, (size_t)(e - q));
        d += e - q;
    } else {
        while (q < e) {
            if (*q != '\\') {
                *d++ = (char)*q++;
                continue;
            }
            /* canon_string let through only these escapes */
            switch (q[1]) {
            case 'b': *d++ = '\b'; break;
            case 'f': *d++ = '\f'; break;
            case 'n': *d++ = '\n'; break;
            case 'r': *d++ = '\r'; break;
            case 't': *d++ = '\t'; break;
            default: *d++ = (char)q[1]; break; /* '"' or '\\' */
            }
            q += 2;
        }
    }
    *d = '\0';
    c->arena->len += (size_t)(d - dst) + 1;
    c->p = s.p;
    c->first = 0;
    *out = dst;
    if (len)
        *len = (size_t)(d - dst);
    return 1;
}

int xa_jcur_null(xa_jcur *c)
{
    if ((size_t)(c->end - c->p) < 4 || memcmp(c->p, "null", 4) != 0)
        return 0;
    c->p += 4;
    c->first = 0;
    return 1;
}

int xa_jcur_bool(xa_jcur *c, int *b)
{
    if ((size_t)(c->end - c->p) >= 4 && memcmp(c->p, "true", 4) == 0) {
        c->p += 4;
        *b = 1;
    } else if ((size_t)(c->end - c->p) >= 5 && memcmp(c->p, "false", 5) == 0) {
        c->p += 5;
        *b = 0;
    } else {
        return 0;
    }
    c->first = 0;
    return 1;
}

int xa_jcur_int(xa_jcur *c, int64_t *v)
{
    struct canon_scan s = {c->p, c->end, c->max_depth};
    if (c->p >= c->end || (*c->p != '-' && (*c->p < '0' || *c->p > '9')) || !canon_integer(&s))
        return 0;
    const unsigned char *q = c->p;
    int neg = *q == '-';
    int64_t x = 0;
    for (q += neg; q < s.p; q++)
        x = x * 10 + (*q - '0'); /* at most 18 digits: no overflow */
    *v = neg ? -x : x;
    c->p = s.p;
    c->first = 0;
    return 1;
}

int xa_jcur_done(const xa_jcur *c)
{
    return c->p == c->end && c->depth == 0;
}

/* ---- scanning ---- */

static size_t sp(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* Past the string starting at t[i] == '"'; 0 when unterminated. */
static size_t skip_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        const char *q = memchr(t + i, '"', len - i);
        if (!q)
            return 0;
        size_t j = (size_t)(q - t), bs = 0;
        while (j - bs > i && t[j - bs - 1] == '\\')
            bs++;
        if (!(bs & 1))
            return j + 1;
        i = j;
    }
    return 0;
}

int xa_json_skip(const char *t, size_t len, size_t *pos, size_t *start)
{
    size_t i = sp(t, len, *pos);
    if (i >= len)
        return 0;
    *start = i;
    if (t[i] == '"') {
        size_t e = skip_string(t, len, i);
        if (!e)
            return 0;
        *pos = e;
        return 1;
    }
    if (t[i] == '{' || t[i] == '[') {
        int depth = 0;
        while (i < len) {
            char c = t[i];
            if (c == '"') {
                if (!(i = skip_string(t, len, i)))
                    return 0;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0) {
                *pos = i + 1;
                return 1;
            }
            i++;
        }
        return 0;
    }
    /* a number, true, false or null */
    size_t j = i;
    while (j < len && t[j] != ',' && t[j] != '}' && t[j] != ']' && t[j] != ' ' && t[j] != '\n' &&
           t[j] != '\t' && t[j] != '\r')
        j++;
    if (j == i)
        return 0;
    *pos = j;
    return 1;
}

int xa_json_each_element(const char *t, size_t len,
                         int (*fn)(void *ctx, const char *elem, size_t n), void *ctx)
{
    size_t i = sp(t, len, 0);
    if (i >= len || t[i] != '[')
        return -1;
    i = sp(t, len, i + 1);
    if (i < len && t[i] == ']')
        return sp(t, len, i + 1) == len ? 0 : -1;
    for (;;) {
        size_t start;
        if (!xa_json_skip(t, len, &i, &start))
            return -1;
        int r = fn(ctx, t + start, i - start);
        if (r)
            return r;
        i = sp(t, len, i);
        if (i < len && t[i] == ',') {
            i++;
            continue;
        }
        if (i < len && t[i] == ']')
            return sp(t, len, i + 1) == len ? 0 : -1;
        return -1;
    }
}

int xa_json_next_member(const char *o, size_t n, size_t *pos, const char **key, size_t *klen,
                        const char **val, size_t *vlen)
{
    size_t i;
    if (*pos == 0) { /* the first member, after the brace */
        i = sp(o, n, 0);
        if (i >= n || o[i] != '{')
            return -1;
        i = sp(o, n, i + 1);
        if (i < n && o[i] == '}') {
            *pos = i;
            return 0;
        }
    } else {
        i = sp(o, n, *pos);
        if (i < n && o[i] == '}')
            return 0;
        if (i >= n || o[i] != ',')
            return -1;
        i = sp(o, n, i + 1);
    }
    if (i >= n || o[i] != '"')
        return -1;
    size_t e = skip_string(o, n, i);
    if (!e)
        return -1;
    *key = o + i + 1;
    *klen = e - i - 2;
    i = sp(o, n, e);
    if (i >= n || o[i] != ':')
        return -1;
    i++;
    size_t start;
    if (!xa_json_skip(o, n, &i, &start))
        return -1;
    *val = o + start;
    *vlen = i - start;
    *pos = i;
    return 1;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}

static void put_utf8(xa_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    xa_buf_add(b, u, n);
}

int xa_json_unescape(const char *v, size_t n, xa_buf *out)
{
    if (n < 2 || v[0] != '"' || v[n - 1] != '"')
        return 0;
    size_t i = 1, end = n - 1;
    while (i < end) {
        const char *bs = memchr(v + i, '\\', end - i);
        size_t run = bs ? (size_t)(bs - v) - i : end - i;
        for (size_t k = 0; k < run; k++)
            if ((unsigned char)v[i + k] < 0x20 || v[i + k] == '"')
                return 0;
        xa_buf_add(out, v + i, run);
        i += run;
        if (i >= end)
            break;
        if (i + 1 >= end)
            return 0;
        char c = v[i + 1];
        i += 2;
        switch (c) {
        case '"': xa_buf_putc(out, '"'); break;
        case '\\': xa_buf_putc(out, '\\'); break;
        case '/': xa_buf_putc(out, '/'); break;
        case 'b': xa_buf_putc(out, '\b'); break;
        case 'f': xa_buf_putc(out, '\f'); break;
        case 'n': xa_buf_putc(out, '\n'); break;
        case 'r': xa_buf_putc(out, '\r'); break;
        case 't': xa_buf_putc(out, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (i + 4 > end || !hex4(v + i, &cp))
                return 0;
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00) {
                if (i + 6 > end || v[i] != '\\' || v[i + 1] != 'u' || !hex4(v + i + 2, &lo) ||
                    lo < 0xDC00 || lo >= 0xE000)
                    return 0;
                i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if ((cp >= 0xDC00 && cp < 0xE000) || cp == 0) {
                return 0;
            }
            put_utf8(out, cp);
            break;
        }
        default: return 0;
        }
    }
    xa_buf_putc(out, '\0');
    out->len--;
    return 1;
}
