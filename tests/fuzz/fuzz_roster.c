/* fuzz_roster.c — the school roster CSV loader: no crash, no leak; every
 * school that loads survives the JSON round trip unchanged. */
#include "xiaoan/roster.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xa_roster *r = NULL;
    xa_problems p = XA_PROBLEMS_INIT;
    xa_code c = xa_roster_parse("fuzz.csv", (const char *)data, size, &r, &p, NULL);
    if (c == XA_OK) {
        for (size_t i = 0; i < r->n; i++) {
            json_t *j = xa_school_to_json(&r->schools[i]);
            xa_school s;
            if (xa_school_from_json(j, &s, NULL) != XA_OK)
                abort();
            json_t *k = xa_school_to_json(&s);
            if (!json_equal(j, k))
                abort();
            json_decref(k);
            json_decref(j);
            xa_school_clear(&s);
        }
    } else if (c != XA_EFORMAT || r || p.n == 0) {
        abort();
    }
    xa_roster_free(r);
    xa_problems_clear(&p);
    return 0;
}
