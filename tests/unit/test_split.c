/* test_split.c — the splitting rule of `xiaoan export --max-size`: the
 * --max-size parser (units, range, one usage line), the rule that starts the
 * next bundle (never before a bundle's first record, over the size bound or
 * the reader's plaintext cap), the plaintext bound of an attachment's
 * records against the records the export really writes, and the writer's
 * size bound against the finished file (incompressible data: the bound must
 * hold, and stay close). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "xiaoan/container.h"
#include "xiaoan/field.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

/* Sizes with units; everything else refused with one usage line. */
static void max_size_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint64_t bytes;
    } good[] = {{"100M", 100ull << 20}, {"20MB", 20ull << 20}, {"1G", 1ull << 30},
                {"1m", 1ull << 20},     {"2048K", 2ull << 20}, {"5MiB", 5ull << 20},
                {"1024KB", 1ull << 20}, {"1GB", 1ull << 30}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint64_t n = 0;
        xa_err e;
        assert_int_equal(xa_export_max_size_parse(good[i].text, &n, &e), XA_OK);
        assert_true(n == good[i].bytes);
    }
    static const char *const bad[] = {"",    "100", "M",   "0M",    "2G",    "1.5M", "5X",
                                      "-1M", "1MBB", "512K", "99999999999999M", " 1M", NULL};
    for (size_t i = 0; bad[i]; i++) {
        uint64_t n = 7;
        xa_err e;
        assert_int_equal(xa_export_max_size_parse(bad[i], &n, &e), XA_EUSAGE);
        assert_true(n == 7);
        assert_non_null(strstr(e.msg, "--max-size"));
        assert_null(strchr(e.msg, '\n'));
    }
    assert_int_equal(xa_export_max_size_parse(NULL, &(uint64_t){0}, NULL), XA_EUSAGE);
}

/* The next bundle starts only when the current one holds a record and the
 * record would pass the limit or the plaintext cap. */
static void split_rule(void **state)
{
    (void)state;
    xa_export_split sp = {.limit = 1000, .plain_max = 5000, .records = 0};
    assert_false(xa_export_split_here(&sp, 999999, 999999)); /* first record: alone */
    sp.records = 1;
    assert_false(xa_export_split_here(&sp, 1000, 5000)); /* exactly at the limits */
    assert_true(xa_export_split_here(&sp, 1001, 10));
    assert_true(xa_export_split_here(&sp, 10, 5001));
    /* greedy plan over attachment bounds: each part within the limit but
     * for an item larger than the limit, alone; order kept */
    const uint64_t items[] = {300, 300, 300, 1500, 200, 900, 100};
    uint64_t used = 0;
    int part = 0, parts[7];
    sp.records = 0;
    for (int i = 0; i < 7; i++) {
        if (xa_export_split_here(&sp, used + items[i], used + items[i])) {
            part++;
            used = 0;
            sp.records = 0;
        }
        used += items[i];
        sp.records++;
        parts[i] = part;
    }
    const int want[] = {0, 0, 0, 1, 2, 3, 3};
    assert_memory_equal(parts, want, sizeof want);
}

/* The plaintext bound of an attachment covers the records as the export
 * writes them (canonical lines of 192 KiB pieces, base64). */
static void attachment_bound(void **state)
{
    (void)state;
    const uint64_t sizes[] = {1, 2, 3, 196607, 196608, 196609, 700000, 20u * 1000 * 1000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        uint64_t size = sizes[k], total = 0;
        for (uint64_t off = 0; off < size; off += 196608) {
            uint64_t len = size - off < 196608 ? size - off : 196608;
            size_t b64 = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL) - 1;
            char *data = xa_malloc(b64 + 1);
            memset(data, 'A', b64);
            data[b64] = 0;
            json_t *r = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "type", "attachment",
                                  "visit", "0123456789abcdef0123456789abcdef", "id",
                                  "fedcba9876543210fedcba9876543210", "hash",
                                  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                  "size", (json_int_t)99999999999, "offset",
                                  (json_int_t)99999999999, "data", data);
            xa_buf line = XA_BUF_INIT;
            assert_int_equal(xa_json_canonical(r, &line, NULL), XA_OK);
            total += line.len + 1;
            xa_buf_clear(&line);
            json_decref(r);
            free(data);
        }
        assert_true(xa_export_attachment_plain(size) >= total);
        assert_true(xa_export_attachment_plain(size) <= total + 128 * (size / 196608 + 1));
    }
    /* a carry record naming n ids */
    json_t *ids = json_array();
    for (int i = 0; i < 50; i++)
        json_array_append_new(ids, json_string("fedcba9876543210fedcba9876543210"));
    json_t *c = json_pack("{s:s, s:s, s:o}", "type", "carry", "visit",
                          "0123456789abcdef0123456789abcdef", "ids", ids);
    xa_buf line = XA_BUF_INIT;
    assert_int_equal(xa_json_canonical(c, &line, NULL), XA_OK);
    assert_true(xa_export_carry_plain(50) >= line.len + 1);
    xa_buf_clear(&line);
    json_decref(c);
}

/* The writer's bound is never below the finished file, also for
 * incompressible data, and within one age chunk + zstd's margin of it. */
static void size_bound_holds(void **state)
{
    (void)state;
    uint8_t pk[32], sk[64], apk[32], ask[32];
    crypto_sign_keypair(pk, sk);
    crypto_box_keypair(apk, ask);
    const uint8_t *rcpt[1] = {apk};
    char path[] = "/tmp/xa-split-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "wb");
    xa_container_writer *w = NULL;
    assert_int_equal(xa_container_create_fp(fp, rcpt, 1, &w, NULL), XA_OK);
    json_t *m = json_pack("{s:s, s:{s:s}, s:I}", "format", XA_BUNDLE_FORMAT, "sender",
                          "fingerprint", "12345-67890-12345-67890", "seq", (json_int_t)1);
    assert_int_equal(xa_container_manifest(w, m, pk, NULL), XA_OK);
    json_decref(m);
    uint64_t first = 0, last = 0;
    uint8_t raw[150000];
    char *b64 = xa_malloc(sizeof raw * 2);
    for (int i = 0; i < 12; i++) {
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(b64, sizeof raw * 2, raw, sizeof raw, sodium_base64_VARIANT_ORIGINAL);
        json_t *r = json_pack("{s:s, s:s}", "type", "attachment", "data", b64);
        xa_buf line = XA_BUF_INIT;
        assert_int_equal(xa_json_canonical(r, &line, NULL), XA_OK);
        uint64_t b = 0;
        assert_int_equal(xa_container_size_bound(w, line.len + 1, &b, NULL), XA_OK);
        if (!first)
            first = b;
        last = b;
        assert_int_equal(xa_container_add(w, r, NULL), XA_OK);
        xa_buf_clear(&line);
        json_decref(r);
    }
    uint64_t after = 0;
    assert_int_equal(xa_container_size_bound(w, 0, &after, NULL), XA_OK);
    assert_int_equal(xa_container_finish(w, sk, NULL), XA_OK);
    uint64_t bytes = 0;
    assert_non_null(xa_container_written(w, &bytes));
    fclose(fp);
    FILE *in = fopen(path, "rb");
    fseek(in, 0, SEEK_END);
    long real = ftell(in);
    fclose(in);
    unlink(path);
    assert_true((uint64_t)real == bytes);  /* counted while written */
    assert_true(last >= bytes && after >= bytes); /* never below the file */
    assert_true(after - bytes < 65536 + 16384);   /* and close to it */
    assert_true(first < last);
    xa_container_writer_free(w);
    free(b64);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(max_size_parse),
        cmocka_unit_test(split_rule),
        cmocka_unit_test(attachment_bound),
        cmocka_unit_test(size_bound_holds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
