/* test_identity.c — identity keys: generation, the passphrase wrap (round
 * trip, wrong passphrase, tampering, cost caps, unknown kdf), public
 * identity text (round trip, an age-keygen vector, strict parse errors),
 * fingerprints and signatures.  INTERACTIVE cost only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "xiaoan/identity.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"

static xa_kdf_params fast(void)
{
    return xa_kdf_params_of(XA_KDF_INTERACTIVE);
}

/* Keys are generated, consistent, and the secrets are in guarded memory. */
static void generate(void **state)
{
    (void)state;
    xa_identity *id = NULL;
    xa_err e;
    assert_int_equal(xa_identity_generate("张三", &id, &e), XA_OK);
    assert_string_equal(id->name, "张三");
    assert_non_null(id->sec);
    uint8_t pk[32];
    crypto_sign_ed25519_sk_to_pk(pk, id->sec->sign_sk);
    assert_memory_equal(pk, id->sign_pk, 32);
    crypto_scalarmult_base(pk, id->sec->age_sk);
    assert_memory_equal(pk, id->age_pk, 32);
    char fp[XA_FP_MAX];
    xa_fingerprint(id->sign_pk, id->age_pk, fp);
    assert_string_equal(fp, id->fingerprint);
    assert_int_equal(strlen(fp), 23);
    xa_identity *d = xa_identity_dup(id, 0);
    assert_null(d->sec);
    assert_string_equal(d->fingerprint, id->fingerprint);
    xa_identity_free(d);
    xa_identity_free(id);
    /* bad names */
    assert_int_equal(xa_identity_generate("", &id, &e), XA_EFORMAT);
    assert_int_equal(xa_identity_generate("a\nb", &id, &e), XA_EFORMAT);
    assert_int_equal(xa_identity_generate(" 张三", &id, &e), XA_EFORMAT);
    assert_int_equal(xa_identity_generate("\xff", &id, &e), XA_EFORMAT);
}

/* Wrap then unwrap gives the same secrets; wrong passphrase is XA_EPASS. */
static void wrap_roundtrip(void **state)
{
    (void)state;
    xa_identity *id = NULL, *back = NULL;
    xa_err e;
    assert_int_equal(xa_identity_generate("李四", &id, &e), XA_OK);
    xa_kdf_params k = fast();
    json_t *w = NULL;
    assert_int_equal(xa_identity_wrap(id, "correct horse", &k, &w, &e), XA_OK);
    assert_string_equal(json_string_value(json_object_get(w, "kdf")), "argon2id13");
    assert_int_equal(json_integer_value(json_object_get(w, "mem")), (json_int_t)k.mem);
    assert_int_equal(json_integer_value(json_object_get(w, "ops")), (json_int_t)k.ops);
    assert_int_equal(xa_identity_unwrap(w, "correct horse", &back, &e), XA_OK);
    assert_memory_equal(back->sec, id->sec, sizeof *id->sec);
    assert_string_equal(back->name, "李四");
    assert_string_equal(back->fingerprint, id->fingerprint);
    xa_identity_free(back);
    back = NULL;
    assert_int_equal(xa_identity_unwrap(w, "wrong horse", &back, &e), XA_EPASS);
    assert_string_equal(e.msg, "wrong passphrase");
    assert_null(back);
    /* public parts without the passphrase */
    assert_int_equal(xa_identity_wrapped_public(w, &back, &e), XA_OK);
    assert_null(back->sec);
    assert_string_equal(back->fingerprint, id->fingerprint);
    xa_identity_free(back);
    back = NULL;
    /* serialised and parsed again */
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_json_canonical(w, &b, &e), XA_OK);
    json_t *w2 = NULL;
    assert_int_equal(xa_json_parse(b.data, b.len, 4, &w2, &e), XA_OK);
    assert_int_equal(xa_identity_unwrap(w2, "correct horse", &back, &e), XA_OK);
    xa_identity_free(back);
    back = NULL;
    json_decref(w2);
    xa_buf_clear(&b);
    /* a public identity cannot be wrapped; an empty passphrase is refused */
    xa_identity *pub = xa_identity_dup(id, 0);
    assert_int_equal(xa_identity_wrap(pub, "x", &k, &w2, &e), XA_ESTATE);
    assert_int_equal(xa_identity_wrap(id, "", &k, &w2, &e), XA_EUSAGE);
    xa_identity_free(pub);
    json_decref(w);
    xa_identity_free(id);
}

/* Each member is bound: changing a public part or cost breaks the unwrap. */
static void wrap_tamper(void **state)
{
    (void)state;
    xa_identity *id = NULL, *other = NULL, *back = NULL;
    xa_err e;
    xa_kdf_params k = fast();
    json_t *w = NULL;
    assert_int_equal(xa_identity_generate("王五", &id, &e), XA_OK);
    assert_int_equal(xa_identity_generate("赵六", &other, &e), XA_OK);
    assert_int_equal(xa_identity_wrap(id, "pw", &k, &w, &e), XA_OK);

    json_t *t = json_deep_copy(w);
    json_object_set_new(t, "name", json_string("赵六"));
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_EPASS);
    json_decref(t);

    t = json_deep_copy(w);
    char *s = xa_b64_encode(other->sign_pk, 32);
    json_object_set_new(t, "sign", json_string(s));
    free(s);
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_EPASS);
    json_decref(t);

    t = json_deep_copy(w);
    json_object_set_new(t, "ops", json_integer((json_int_t)k.ops + 1));
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_EPASS);
    json_decref(t);

    /* memory cap: more than 1 GiB is refused before any work */
    t = json_deep_copy(w);
    json_object_set_new(t, "mem", json_integer((json_int_t)(2048ll * 1024 * 1024)));
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_ELIMIT);
    assert_non_null(strstr(e.msg, "1024 MiB"));
    assert_null(strchr(e.msg, '\n'));
    json_decref(t);
    t = json_deep_copy(w);
    json_object_set_new(t, "ops", json_integer(1000));
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_ELIMIT);
    json_decref(t);

    t = json_deep_copy(w);
    json_object_set_new(t, "kdf", json_string("scrypt"));
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_EFORMAT);
    assert_string_equal(e.msg, "key record: unknown kdf 'scrypt'");
    json_decref(t);

    t = json_deep_copy(w);
    json_object_set_new(t, "extra", json_true());
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_EFORMAT);
    json_decref(t);

    t = json_deep_copy(w);
    json_object_del(t, "ct");
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_EFORMAT);
    json_decref(t);

    t = json_deep_copy(w);
    json_object_set_new(t, "salt", json_string("AAAA"));
    assert_int_equal(xa_identity_unwrap(t, "pw", &back, &e), XA_EFORMAT);
    json_decref(t);

    xa_kdf_params huge = {2, 2048ull * 1024 * 1024};
    assert_int_equal(xa_identity_wrap(id, "pw", &huge, &t, &e), XA_ELIMIT);

    xa_kdf_params p;
    assert_int_equal(xa_identity_wrapped_params(w, &p, &e), XA_OK);
    assert_int_equal(p.ops, k.ops);
    assert_int_equal(p.mem, k.mem);
    assert_null(back);
    json_decref(w);
    xa_identity_free(id);
    xa_identity_free(other);
}

/* Identity text: render, parse back, and a vector from age-keygen. */
static void text_roundtrip(void **state)
{
    (void)state;
    xa_identity *id = NULL, *back = NULL;
    xa_err e;
    assert_int_equal(xa_identity_generate("张三", &id, &e), XA_OK);
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_identity_text(id, &b, &e), XA_OK);
    assert_memory_equal(b.data, "name: 张三\nsign: ", strlen("name: 张三\nsign: "));
    assert_non_null(strstr(b.data, "\nage: age1"));
    assert_non_null(strstr(b.data, id->fingerprint));
    assert_int_equal(xa_identity_parse_text(b.data, b.len, &back, &e), XA_OK);
    assert_null(back->sec);
    assert_memory_equal(back->sign_pk, id->sign_pk, 32);
    assert_memory_equal(back->age_pk, id->age_pk, 32);
    assert_string_equal(back->fingerprint, id->fingerprint);
    xa_identity_free(back);
    xa_buf_clear(&b);
    xa_identity_free(id);

    /* age-keygen: AGE-SECRET-KEY-1SJALL3EFTMSAVSG09803R5QMWW3NFY32QS22G30MWWQH273QY3USZ6CKTR */
    uint8_t sk[32], age_pk[32], sign_pk[32] = {0};
    assert_int_equal(xa_hex_decode("84bbffc7295ee1d6410f29df11d01b73a334922a0414a445fb7381757a202479",
                                   sk, 32, &e),
                     XA_OK);
    crypto_scalarmult_base(age_pk, sk);
    assert_int_equal(xa_identity_from_public("office", sign_pk, age_pk, &id, &e), XA_OK);
    assert_int_equal(xa_identity_text(id, &b, &e), XA_OK);
    assert_non_null(
        strstr(b.data, "age: age12m3w4v5yxft7z96p2hjvn2j2hsk3s7kazf5chut5s8pxy9dagqeqnjljqy\n"));
    /* CRLF line ends are accepted */
    xa_buf crlf = XA_BUF_INIT;
    for (const char *p = b.data; *p; p++) {
        if (*p == '\n')
            xa_buf_putc(&crlf, '\r');
        xa_buf_putc(&crlf, *p);
    }
    assert_int_equal(xa_identity_parse_text(crlf.data, crlf.len, &back, &e), XA_OK);
    assert_memory_equal(back->age_pk, age_pk, 32);
    xa_identity_free(back);
    xa_buf_clear(&crlf);
    xa_buf_clear(&b);
    xa_identity_free(id);
}

/* The JSON form carries the same four fields as the text form, in the
 * order a brief's settings record has always written them. */
static void public_json(void **state)
{
    (void)state;
    xa_identity *id = NULL;
    xa_err e;
    assert_int_equal(xa_identity_generate("丽水市教育局安全科", &id, &e), XA_OK);
    json_t *o = xa_identity_public_json(id);
    char *dump = json_dumps(o, JSON_COMPACT);
    assert_memory_equal(dump, "{\"name\":\"丽水市教育局安全科\",\"fingerprint\":\"",
                        strlen("{\"name\":\"丽水市教育局安全科\",\"fingerprint\":\""));
    free(dump);
    assert_string_equal(json_string_value(json_object_get(o, "fingerprint")), id->fingerprint);
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_identity_text(id, &b, &e), XA_OK);
    char *line = xa_asprintf("\nsign: %s\nage: %s\n",
                             json_string_value(json_object_get(o, "sign")),
                             json_string_value(json_object_get(o, "age")));
    assert_non_null(strstr(b.data, line));
    assert_int_equal(json_object_size(o), 4);
    free(line);
    xa_buf_clear(&b);
    json_decref(o);
    xa_identity_free(id);
}

/* Parse a text expecting failure; check the message contains want. */
static void parse_fails(const char *text, const char *want)
{
    xa_identity *id = NULL;
    xa_err e;
    xa_code c = xa_identity_parse_text(text, strlen(text), &id, &e);
    if (c == XA_OK || !strstr(e.msg, want)) {
        print_error("text %s: code %d message '%s', wanted '%s'\n", text, c, e.msg, want);
        fail();
    }
    assert_null(strchr(e.msg, '\n'));
    assert_null(id);
}

/* Strict parse errors, one line each, naming the line. */
static void text_errors(void **state)
{
    (void)state;
    xa_identity *id = NULL;
    xa_err e;
    assert_int_equal(xa_identity_generate("张三", &id, &e), XA_OK);
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_identity_text(id, &b, &e), XA_OK);
    char *good = xa_buf_steal(&b);
    char *sign_line = strstr(good, "sign: ") + 6;
    char *age_line = strstr(good, "age: ") + 5;
    char *fp_line = strstr(good, "fingerprint: ") + 13;

    parse_fails("", "missing 'name:' line");
    parse_fails("name: x\n", "missing 'sign:' line");
    parse_fails("name x\n", "line 1: expected 'key: value'");
    parse_fails("nickname: x\n", "line 1: unknown key 'nickname'");

    char *t = xa_asprintf("%.*sname: 李四\n", (int)(strchr(fp_line, '\n') - good + 1), good);
    parse_fails(t, "line 5: 'name' given twice (first on line 1)");
    free(t);

    t = xa_strdup(good);
    t[sign_line - good + 3] = '!';
    parse_fails(t, "line 2: sign: not a base64 Ed25519 public key");
    free(t);

    t = xa_strdup(good);
    /* another key: the fingerprint no longer matches */
    t[sign_line - good + 3] = t[sign_line - good + 3] == 'A' ? 'B' : 'A';
    parse_fails(t, "line 4: fingerprint");
    free(t);

    t = xa_strdup(good);
    t[age_line - good + 10] = t[age_line - good + 10] == 'q' ? 'p' : 'q';
    parse_fails(t, "line 3: age: not an age1… recipient");
    free(t);

    t = xa_strdup(good);
    t[fp_line - good] = t[fp_line - good] == '1' ? '2' : '1';
    parse_fails(t, "line 4: fingerprint");
    free(t);

    t = xa_strdup(good);
    t[fp_line - good + 2] = 'x';
    parse_fails(t, "line 4: not a fingerprint");
    free(t);

    t = xa_asprintf("name: 张三\n\n%s", strstr(good, "sign: "));
    parse_fails(t, "line 2: empty line");
    free(t);

    /* without dashes in the fingerprint line: still accepted */
    t = xa_strdup(good);
    char *d = strstr(t, "fingerprint: ") + 13;
    for (char *q = d; *q; q++)
        if (*q == '-')
            memmove(q, q + 1, strlen(q));
    xa_identity *back = NULL;
    assert_int_equal(xa_identity_parse_text(t, strlen(t), &back, &e), XA_OK);
    xa_identity_free(back);
    free(t);
    free(good);
    xa_identity_free(id);
}

/* Fingerprint normaliser and the formats.md algorithm by hand. */
static void fingerprints(void **state)
{
    (void)state;
    char out[XA_FP_MAX];
    xa_err e;
    assert_int_equal(xa_fingerprint_normalize("12345-67890-12345-67890", out, &e), XA_OK);
    assert_string_equal(out, "12345-67890-12345-67890");
    assert_int_equal(xa_fingerprint_normalize("12345678901234567890", out, &e), XA_OK);
    assert_string_equal(out, "12345-67890-12345-67890");
    assert_int_equal(xa_fingerprint_normalize("12345 67890 12345 67890", out, &e), XA_OK);
    assert_string_equal(out, "12345-67890-12345-67890");
    assert_int_equal(xa_fingerprint_normalize("1234-567890-12345-67890", out, &e), XA_EFORMAT);
    assert_int_equal(xa_fingerprint_normalize("12345-67890-12345-6789", out, &e), XA_EFORMAT);
    assert_int_equal(xa_fingerprint_normalize("12345-67890-12345-678901", out, &e), XA_EFORMAT);
    assert_int_equal(xa_fingerprint_normalize("-12345-67890-12345-67890", out, &e), XA_EFORMAT);
    assert_int_equal(xa_fingerprint_normalize("12345--67890-12345-67890", out, &e), XA_EFORMAT);
    assert_int_equal(xa_fingerprint_normalize("", out, &e), XA_EFORMAT);
    assert_int_equal(xa_fingerprint_normalize("abcde-67890-12345-67890", out, &e), XA_EFORMAT);

    uint8_t s[32], a[32], h[32];
    for (int i = 0; i < 32; i++) {
        s[i] = (uint8_t)i;
        a[i] = (uint8_t)(0xff - i);
    }
    uint8_t msg[12 + 64];
    memcpy(msg, "xiaoan-fp-v1", 12);
    memcpy(msg + 12, s, 32);
    memcpy(msg + 44, a, 32);
    crypto_generichash(h, 32, msg, sizeof msg, NULL, 0);
    char want[XA_FP_MAX];
    unsigned g[4];
    for (int i = 0; i < 4; i++)
        g[i] = (unsigned)(((uint32_t)h[4 * i] | (uint32_t)h[4 * i + 1] << 8 |
                           (uint32_t)h[4 * i + 2] << 16 | (uint32_t)h[4 * i + 3] << 24) %
                          100000u);
    snprintf(want, sizeof want, "%05u-%05u-%05u-%05u", g[0], g[1], g[2], g[3]);
    xa_fingerprint(s, a, out);
    assert_string_equal(out, want);
}

/* Signatures verify and fail after any change; base64 is strict. */
static void signatures(void **state)
{
    (void)state;
    xa_identity *id = NULL;
    xa_err e;
    assert_int_equal(xa_identity_generate("张三", &id, &e), XA_OK);
    uint8_t sig[64];
    const char *msg = "封存记录";
    assert_int_equal(xa_identity_sign(id, msg, strlen(msg), sig, &e), XA_OK);
    assert_int_equal(xa_sign_verify(id->sign_pk, msg, strlen(msg), sig, &e), XA_OK);
    sig[5] ^= 1;
    assert_int_equal(xa_sign_verify(id->sign_pk, msg, strlen(msg), sig, &e), XA_ESIG);
    xa_identity *pub = xa_identity_dup(id, 0);
    assert_int_equal(xa_identity_sign(pub, msg, 1, sig, &e), XA_ESTATE);
    xa_identity_free(pub);
    xa_identity_free(id);

    uint8_t k[32], back[32];
    randombytes_buf(k, 32);
    char *b64 = xa_b64_encode(k, 32);
    assert_int_equal(strlen(b64), 44);
    assert_int_equal(xa_b64_decode_exact(b64, back, 32, &e), XA_OK);
    assert_memory_equal(k, back, 32);
    b64[43] = 'A'; /* padding removed */
    assert_int_equal(xa_b64_decode_exact(b64, back, 32, &e), XA_EFORMAT);
    free(b64);
    assert_int_equal(xa_b64_decode_exact("AAB=", back, 2, &e), XA_EFORMAT); /* leftover bits */
    assert_int_equal(xa_b64_decode_exact("AAA=", back, 2, &e), XA_OK);
    xa_kdf_cost cost;
    assert_int_equal(xa_kdf_cost_parse("interactive", &cost, &e), XA_OK);
    assert_int_equal(cost, XA_KDF_INTERACTIVE);
    assert_int_equal(xa_kdf_cost_parse("slow", &cost, &e), XA_EUSAGE);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generate),      cmocka_unit_test(wrap_roundtrip),
        cmocka_unit_test(wrap_tamper),   cmocka_unit_test(text_roundtrip),
        cmocka_unit_test(text_errors),   cmocka_unit_test(fingerprints),
        cmocka_unit_test(signatures),    cmocka_unit_test(public_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
