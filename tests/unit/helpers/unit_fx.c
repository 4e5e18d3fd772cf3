/* unit_fx.c — scratch folders and repository files for the unit tests
 * (unit_fx.h). */
#include "unit_fx.h"

#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fx_tmpdir(char *buf, size_t size, const char *name)
{
    const char *t = getenv("TMPDIR");
    int n = snprintf(buf, size, "%s/xa-%s-XXXXXX", t && *t ? t : "/tmp", name);
    if (n < 0 || (size_t)n >= size)
        return -1;
    return mkdtemp(buf) ? 0 : -1;
}

int fx_rmrf(const char *dir)
{
    char *cmd = xa_asprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    if (rc != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return rc == 0 ? 0 : -1;
}

char *fx_repo_file(const char *rel)
{
    static const char *const roots[] = {".", "..", "../..", NULL};
    const char *tdir = getenv("XIAOAN_TESTS_DIR");
    if (tdir) {
        char *p = xa_asprintf("%s/../%s", tdir, rel);
        if (xa_path_exists(p))
            return p;
        free(p);
    }
    for (int i = 0; roots[i]; i++) {
        char *p = xa_asprintf("%s/%s", roots[i], rel);
        if (xa_path_exists(p))
            return p;
        free(p);
    }
    return xa_strdup(rel);
}

xa_code fx_example_data(xa_roster **roster, xa_form_set **forms, xa_err *err)
{
    char *rp = fx_repo_file("docs/examples/roster.csv"), *fp = fx_repo_file("forms");
    xa_code c = xa_roster_load(rp, roster, NULL, err);
    if (c == XA_OK)
        c = xa_form_set_load(fp, forms, NULL, err);
    free(rp);
    free(fp);
    return c;
}

/* The LCG of Knuth's MMIX; the high bits, the low ones repeat quickly. */
uint64_t fx_rand(uint64_t *state, uint64_t n)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (*state >> 33) % n;
}

/* Overwrite, insert or delete: the three edits a damaged or hostile text
 * has (an empty text can only grow). */
void fx_mutate(char *buf, size_t *len, const char *alphabet, uint64_t *state)
{
    size_t n = *len, at = n ? (size_t)fx_rand(state, n) : 0;
    char ch = alphabet[fx_rand(state, strlen(alphabet))];
    switch (n ? fx_rand(state, 3) : 1) {
    case 0:
        buf[at] = ch;
        break;
    case 1:
        memmove(buf + at + 1, buf + at, n - at);
        buf[at] = ch;
        *len = n + 1;
        break;
    default:
        memmove(buf + at, buf + at + 1, n - at - 1);
        *len = n - 1;
    }
}

/* One clock and one name, so the visit tests' drafts agree. */
int fx_signing_inspector(xa_identity **id)
{
    setenv("XIAOAN_NOW", "2026-11-29T09:30:00+08:00", 1);
    xa_err e;
    return xa_identity_generate("张三", id, &e) == XA_OK ? 0 : -1;
}
