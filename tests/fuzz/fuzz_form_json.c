/* fuzz_form_json.c — forms as they arrive inside a brief (JSON): no crash,
 * no leak, and whatever is accepted writes back to JSON that is accepted
 * again with the same hash and writes back identically (the input itself
 * may differ: "BOARDING" or 一般 are accepted and normalised). */
#include "xiaoan/forms.h"
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
    xa_form *f = NULL;
    xa_err err;
    if (xa_form_from_json(v, &f, &err) == XA_OK) {
        json_t *j = xa_form_to_json(f);
        xa_form *g = NULL;
        if (xa_form_from_json(j, &g, NULL) != XA_OK || strcmp(g->hash_hex, f->hash_hex) != 0)
            abort();
        json_t *k = xa_form_to_json(g);
        if (!json_equal(j, k))
            abort();
        json_decref(k);
        xa_form_free(g);
        json_decref(j);
        xa_form_free(f);
    } else if (f || err.code != XA_EFORMAT) {
        abort();
    }
    json_decref(v);
    return 0;
}
