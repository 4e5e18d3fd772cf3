/* json.c — strict parsing, canonical serialisation and typed getters. */
#include "xiaoan/json.h"

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
