/* fuzz_forms.c — the checklist CSV loader (libcsv underneath): no crash, no
 * leak; a form that loads survives the JSON round trip with the same hash,
 * and a form that does not load has well-formed problems. */
#include "xiaoan/forms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const xa_form_info info = {"fuzz", 1, "模糊测试", "Fuzz", XA_CAT_GENERAL, 0};
    xa_form *f = NULL;
    xa_problems p = XA_PROBLEMS_INIT;
    xa_code c = xa_form_parse("fuzz.csv", (const char *)data, size, &info, &f, &p, NULL);
    if (c == XA_OK) {
        json_t *j = xa_form_to_json(f);
        xa_form *g = NULL;
        if (p.n || xa_form_from_json(j, &g, NULL) != XA_OK ||
            strcmp(g->hash_hex, f->hash_hex) != 0)
            abort();
        xa_form_free(g);
        json_decref(j);
    } else {
        if (c != XA_EFORMAT || f || p.n == 0)
            abort();
        for (size_t i = 0; i < p.n; i++)
            if (p.v[i].line == 0 || p.v[i].col == 0 || strchr(p.v[i].msg, '\n'))
                abort();
    }
    xa_form_free(f);
    xa_problems_clear(&p);
    return 0;
}
