/* bench_unlock.c — unlock: opening a field store at the stored Argon2id cost.
 *
 * A field store is created at MODERATE (the default: ops 3, 256 MiB) and at
 * INTERACTIVE (ops 2, 64 MiB; tests and demos); then, back to back in each
 * repetition, xa_fstore_open + close (read the wrapped key, Argon2id,
 * unwrap, open SQLite) against the floor: crypto_pwhash alone with the same
 * parameters.  Wall time (the inspector waits for it) and CPU.
 *
 * usage: bench_unlock WORKDIR */
#include "bench.h"

#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASS "bench passphrase"

static void one(const char *work, const char *name, xa_kdf_cost cost, size_t reps)
{
    char *home = b_tmpdir(work, name);
    xa_kdf_params kdf = xa_kdf_params_of(cost);
    xa_fstore *s = NULL;
    xa_err e;
    b_check(xa_fstore_create(home, "张三", PASS, &kdf, &s, &e), &e, "field store");
    xa_fstore_close(s);
    double *w = xa_calloc(reps, sizeof(double)), *fw = xa_calloc(reps, sizeof(double));
    double *c = xa_calloc(reps, sizeof(double)), *fc = xa_calloc(reps, sizeof(double));
    uint8_t out[32], salt[crypto_pwhash_SALTBYTES];
    randombytes_buf(salt, sizeof salt);
    for (size_t r = 0; r < reps; r++) {
        for (int k = 0; k < 2; k++) {
            double a = b_wall(), b = b_cpu();
            if ((k == 0) == (r % 2 == 0)) {
                b_check(xa_fstore_open(home, PASS, &s, &e), &e, "xa_fstore_open");
                xa_fstore_close(s);
                w[r] = b_wall() - a;
                c[r] = b_cpu() - b;
            } else {
                if (crypto_pwhash(out, sizeof out, PASS, strlen(PASS), salt, kdf.ops,
                                  (size_t)kdf.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
                    b_die("crypto_pwhash");
                fw[r] = b_wall() - a;
                fc[r] = b_cpu() - b;
            }
        }
    }
    char fig[128], fl[96];
    snprintf(fl, sizeof fl, "crypto_pwhash alone (ops %llu, %llu MiB)",
             (unsigned long long)kdf.ops, (unsigned long long)(kdf.mem >> 20));
    snprintf(fig, sizeof fig, "unlock at %s cost: xa_fstore_open, wall", name);
    b_row(fig, "s", w, fw, reps, fl);
    snprintf(fig, sizeof fig, "unlock at %s cost: xa_fstore_open, CPU", name);
    b_row(fig, "s", c, fc, reps, fl);
    free(w), free(fw), free(c), free(fc);
    b_rmrf(home);
    free(home);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        b_die("usage: bench_unlock WORKDIR");
    if (sodium_init() < 0)
        b_die("sodium_init");
    size_t reps = (size_t)b_env("BENCH_REPS", 5);
    char *dir = b_tmpdir(argv[1], "unlock");
    one(dir, "moderate", XA_KDF_MODERATE, reps);
    one(dir, "interactive", XA_KDF_INTERACTIVE, reps);
    b_note("unlock: peak RSS of this process (the KDF's memory) %.0f MiB",
           (double)b_peak_rss() / 1048576.0);
    free(dir);
    return 0;
}
