/* fuzz_json.c — the strict JSON parser and canonical serialiser every
 * record reader stands on: no crash, no leak, and canonical bytes re-parse
 * to the same canonical bytes. */
#include "xiaoan/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = NULL;
    if (xa_json_parse((const char *)data, size, XA_JSON_MAX_DEPTH, &v, NULL) != XA_OK)
        return 0;
    xa_buf a = XA_BUF_INIT, b = XA_BUF_INIT;
    if (xa_json_canonical(v, &a, NULL) == XA_OK) {
        json_t *w = NULL;
        if (xa_json_parse(a.data, a.len, XA_JSON_MAX_DEPTH + 1, &w, NULL) != XA_OK)
            abort();
        if (xa_json_canonical(w, &b, NULL) != XA_OK || a.len != b.len ||
            memcmp(a.data, b.data, a.len) != 0)
            abort();
        json_decref(w);
    }
    xa_buf_clear(&a);
    xa_buf_clear(&b);
    json_decref(v);
    return 0;
}
