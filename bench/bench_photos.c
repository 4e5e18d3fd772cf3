/* bench_photos.c — the resident memory the merge of a bundle with photos
 * needs once the office key is unlocked (issue 15: ten 20 MB photos, ≤ 64 MB).
 *
 * The bundle is made by bench/bench_photos.sh through the real commands.
 * Unlocking the office key runs argon2id, which alone takes the KDF's memory
 * (64 MiB for --kdf interactive) and would hide the merge under it; so this
 * program unlocks first, then resets the kernel's high-water mark
 * (/proc/self/clear_refs ← 5) and reads VmHWM after xa_merge_file: the peak
 * resident set of the merge itself, libraries and store included.
 *
 * usage: bench_photos STORE PASSFILE BUNDLE → one ROW (floor: the limit). */
#include "bench.h"

#include "xiaoan/central.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"
#include "xiaoan/pass.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line "Key:  N kB" of /proc/self/status, in KiB (-1 when missing). */
static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, n) && line[n] == ':')
            v = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_photos STORE PASSFILE BUNDLE...\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    xa_err e;
    xa_cstore *s = NULL;
    xa_identity *office = NULL;
    char *pass = NULL;
    b_check(xa_pass_read("", argv[2], 0, &pass, &e), &e, "passphrase");
    b_check(xa_cstore_open(argv[1], &s, &e), &e, argv[1]);
    b_check(xa_office_unlock(s, pass, &office, &e), &e, "office unlock");
    xa_pass_free(pass);
    long unlocked = status_kb("VmHWM");
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f || fputs("5", f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "bench_photos: cannot reset the high-water mark\n");
        return 1;
    }
    long before = status_kb("VmHWM");
    /* an export over 100 MB is split (export --max-size): every part, one
     * after the other, as `central merge A B C` does */
    for (int i = 3; i < argc; i++) {
        struct xa_merge_result r;
        memset(&r, 0, sizeof r);
        b_check(xa_merge_file(s, office, argv[i], &r, &e), &e, "xa_merge_file");
        if (!r.accepted) {
            fprintf(stderr, "bench_photos: %s was rejected: %s\n", argv[i], r.reason);
            return 1;
        }
    }
    long peak = status_kb("VmHWM");
    b_note("%d bundles; unlock peak %.1f MiB; after the reset %.1f MiB; merge peak %.1f MiB",
           argc - 3, unlocked / 1024.0, before / 1024.0, peak / 1024.0);
    b_row1("merge with photos after unlock: peak RSS", "MiB", peak / 1024.0, 64.0,
           "limit 64 MiB", 1);
    xa_identity_free(office);
    xa_cstore_close(s);
    return 0;
}
