/* fuzz_visit.c — the visit document validator (src/crypto/visit.c) on
 * arbitrary JSON, and what stands on it: canonical bytes, hash, sealing and
 * verification.
 *
 * Checks: no crash, no leak; a refusal is XA_EFORMAT with one line naming
 * a field ("visit…"); a bundle record verifies only when its document
 * validates, is sealed and has the hash verification reports; a document
 * that validates has canonical bytes that parse back to a document that
 * validates with the same bytes and hash; a valid draft (its inspector made
 * the fixed identity) seals into a document that validates, is sealed,
 * verifies with the fixed key (as a doc and as a bundle record, with the
 * hash the seal gave), and does not verify with a changed signature; a
 * sealed document cannot be sealed again (XA_ESTATE); a document without a
 * seal fails verification (XA_ESTATE); repeated answers (form, code) and
 * hazard ids are found exactly as a pairwise scan in array order finds them
 * (the first repeat is the one named), however the validator looks. */
#include "fuzz_keys.h"

#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/visit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void refused(xa_code c, const xa_err *e, const char *prefix)
{
    if (c != XA_EFORMAT || e->code != c || !fuzz_one_line(e->msg) ||
        strncmp(e->msg, prefix, strlen(prefix)) != 0)
        abort();
}

/* Seal a valid draft with the fixed identity and check the result. */
static void seal_and_verify(const json_t *draft, int64_t seq)
{
    const xa_identity *id = fuzz_identity();
    json_t *d = json_deep_copy(draft);
    json_object_set_new(json_object_get(d, "inspector"), "fingerprint",
                        json_string(id->fingerprint));
    xa_err e;
    if (xa_visit_validate(d, &e) != XA_OK)
        abort(); /* the fixed fingerprint is a valid one */
    uint8_t prev[XA_HASH_BYTES], sig[XA_SIG_BYTES], hash[XA_HASH_BYTES], h2[XA_HASH_BYTES];
    memset(prev, 0x5a, sizeof prev);
    json_t *sealed = NULL;
    if (xa_visit_seal(d, id, seq, seq > 1 ? prev : NULL, 1764379800 + seq, &sealed, sig, hash,
                      &e) != XA_OK)
        abort();
    if (!xa_visit_is_sealed(sealed) || xa_visit_is_sealed(d) ||
        xa_visit_validate(sealed, &e) != XA_OK || xa_visit_hash(sealed, h2, &e) != XA_OK ||
        memcmp(hash, h2, sizeof hash) != 0)
        abort();
    xa_visit_verified v;
    if (xa_visit_verify_doc(sealed, sig, id->sign_pk, &v, &e) != XA_OK || v.seq != seq ||
        v.has_prev != (seq > 1) || strcmp(v.fingerprint, id->fingerprint) != 0)
        abort();
    char hex[XA_HASH_HEX];
    xa_hex_encode(hash, sizeof hash, hex);
    if (strcmp(hex, v.hash) != 0)
        abort();
    json_t *rec = xa_visit_record(sealed, sig);
    xa_visit_verified v2;
    if (xa_visit_verify_record(rec, id->sign_pk, &v2, &e) != XA_OK || strcmp(v2.hash, v.hash))
        abort();
    json_decref(rec);
    sig[seq % XA_SIG_BYTES] ^= 1;
    if (xa_visit_verify_doc(sealed, sig, id->sign_pk, NULL, &e) != XA_ESIG)
        abort();
    json_t *again = NULL;
    if (xa_visit_seal(sealed, id, seq + 1, prev, 0, &again, sig, hash, &e) != XA_ESTATE || again)
        abort();
    json_decref(sealed);
    json_decref(d);
}

/* The key of answer i ("form\x1fcode"), or NULL when it has no string
 * form and code. */
static char *answer_key(const json_t *answers, size_t i)
{
    const json_t *a = json_array_get(answers, i);
    const char *f = json_string_value(json_object_get(a, "form"));
    const char *c = json_string_value(json_object_get(a, "code"));
    return f && c ? xa_asprintf("%s\x1f%s", f, c) : NULL;
}

/* The first index in array order whose key repeats an earlier one (and that
 * earlier one in *first), or -1: the pairwise scan the validator must agree
 * with, whatever way it finds repeats.  key(arr, i) gives a new string. */
static long first_repeat(const json_t *arr, char *(*key)(const json_t *, size_t), size_t *first)
{
    size_t n = json_array_size(arr);
    char **k = xa_calloc(n ? n : 1, sizeof *k);
    long r = -1;
    for (size_t i = 0; i < n && r < 0; i++) {
        k[i] = key(arr, i);
        for (size_t j = 0; k[i] && j < i && r < 0; j++)
            if (k[j] && !strcmp(k[i], k[j])) {
                r = (long)i;
                *first = j;
            }
    }
    for (size_t i = 0; i < n; i++)
        free(k[i]);
    free(k);
    return r;
}

static char *hazard_key(const json_t *hazards, size_t i)
{
    const char *id = json_string_value(json_object_get(json_array_get(hazards, i), "id"));
    return id ? xa_strdup(id) : NULL;
}

/* "visit.NAME[i]…" → i (and the rest of the message in *rest), or -1. */
static long item_index(const char *msg, const char *name, const char **rest)
{
    char pre[32];
    int n = snprintf(pre, sizeof pre, "visit.%s[", name);
    if (strncmp(msg, pre, (size_t)n) != 0)
        return -1;
    char *end;
    long i = strtol(msg + n, &end, 10);
    if (end == msg + n || *end != ']')
        return -1;
    *rest = end + 1;
    return i;
}

/* The validator and the pairwise scan in array order agree on repeated
 * answers (form, code) and hazard ids, however the validator looks for
 * them: a valid document has none; a refusal at item b of the answers or
 * the hazards means no repeat before b, and a refusal for a repeat names
 * the first repeat (and, for answers, where its key first came); a refusal
 * in a later section means none at all in the earlier ones. */
static void check_repeats(const json_t *v, xa_code c, const xa_err *e)
{
    size_t first = 0, f2 = 0;
    long ra = first_repeat(json_object_get(v, "answers"), answer_key, &first);
    long rh = first_repeat(json_object_get(v, "hazards"), hazard_key, &f2);
    if (c == XA_OK) {
        if (ra >= 0 || rh >= 0)
            abort(); /* a repeat got through */
        return;
    }
    const char *rest;
    long b;
    if ((b = item_index(e->msg, "answers", &rest)) >= 0) {
        if (strncmp(rest, ": a second answer for ", 22) == 0) {
            char at[48];
            snprintf(at, sizeof at, "(first at [%zu])", first);
            if (ra != b || !strstr(rest, at))
                abort();
        } else if (ra >= 0 && ra < b) {
            abort(); /* a repeat before the item refused */
        }
    } else if ((b = item_index(e->msg, "hazards", &rest)) >= 0) {
        if (ra >= 0)
            abort(); /* the answers were all checked */
        if (strcmp(rest, ".id: the same id as an earlier hazard") == 0) {
            if (rh != b)
                abort();
        } else if (rh >= 0 && rh < b) {
            abort();
        }
    } else if (item_index(e->msg, "followups", &rest) >= 0 ||
               item_index(e->msg, "attachments", &rest) >= 0) {
        if (ra >= 0 || rh >= 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = NULL;
    if (xa_json_parse((const char *)data, size, XA_JSON_MAX_DEPTH, &v, NULL) != XA_OK)
        return 0;
    xa_err e;
    xa_code c = xa_visit_validate(v, &e);
    (void)xa_visit_hazard_count(v);
    if (json_is_object(v))
        check_repeats(v, c, &e);
#ifdef FUZZ_DEBUG
    fprintf(stderr, "%s\n", c == XA_OK ? (xa_visit_is_sealed(v) ? "valid, sealed" : "valid draft")
                                       : e.msg);
#endif
    (void)xa_visit_is_sealed(v);

    /* A bundle record around it: the record's own checks, then the doc's. */
    uint8_t pk[32], zsig[XA_SIG_BYTES] = {0};
    fuzz_sign_sk(pk);
    if (json_is_object(v) && json_object_get(v, "doc")) {
        xa_err re;
        xa_visit_verified vv;
        xa_code rc = xa_visit_verify_record(v, pk, &vv, &re);
        if (rc != XA_OK && !fuzz_one_line(re.msg))
            abort();
        if (rc == XA_OK) { /* a seed signed with the fixed key, or a mutation of one */
            const json_t *doc = json_object_get(v, "doc");
            uint8_t h[XA_HASH_BYTES];
            char hex[XA_HASH_HEX];
            if (xa_visit_validate(doc, &re) != XA_OK || !xa_visit_is_sealed(doc) ||
                xa_visit_hash(doc, h, &re) != XA_OK)
                abort();
            xa_hex_encode(h, sizeof h, hex);
            if (strcmp(hex, vv.hash) != 0 || vv.seq < 1)
                abort();
        }
    }

    if (c != XA_OK) {
        refused(c, &e, "visit");
        xa_buf b = XA_BUF_INIT;
        if (xa_visit_canonical(v, &b, NULL) != c || b.len)
            abort();
        xa_buf_clear(&b);
        json_decref(v);
        return 0;
    }

    /* Valid: canonical bytes are a fixed point. */
    xa_buf a = XA_BUF_INIT, b = XA_BUF_INIT;
    uint8_t h1[XA_HASH_BYTES], h2[XA_HASH_BYTES];
    if (xa_visit_canonical(v, &a, &e) != XA_OK || xa_visit_hash(v, h1, &e) != XA_OK)
        abort();
    json_t *w = NULL;
    if (xa_json_parse(a.data, a.len, XA_JSON_MAX_DEPTH + 1, &w, &e) != XA_OK ||
        xa_visit_validate(w, &e) != XA_OK || xa_visit_canonical(w, &b, &e) != XA_OK ||
        a.len != b.len || memcmp(a.data, b.data, a.len) != 0 ||
        xa_visit_hash(w, h2, &e) != XA_OK || memcmp(h1, h2, sizeof h1) != 0)
        abort();
    json_decref(w);
    xa_buf_clear(&a);
    xa_buf_clear(&b);

    if (xa_visit_is_sealed(v)) {
        /* The fuzzer cannot sign with the fixed key. */
        if (xa_visit_verify_doc(v, zsig, pk, NULL, &e) != XA_ESIG)
            abort();
        json_t *again = NULL;
        uint8_t sig[XA_SIG_BYTES], hash[XA_HASH_BYTES];
        if (xa_visit_seal(v, fuzz_identity(), 1, NULL, 0, &again, sig, hash, &e) != XA_ESTATE)
            abort();
    } else {
        if (xa_visit_verify_doc(v, zsig, pk, NULL, &e) != XA_ESTATE)
            abort();
        seal_and_verify(v, 1);
        seal_and_verify(v, 2 + (int64_t)(size % 1000));
    }
    json_decref(v);
    return 0;
}
