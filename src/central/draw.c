/* draw.c — the verifiable weighted draw (draw.h, docs/draw.md): plan
 * validation and feasibility, the commitment, the keyed-BLAKE2b random
 * stream, weighted sampling without replacement, team assignment under the
 * county constraint, the plan file's JSON and the verification.
 *
 * Everything here is deterministic and integer-only, because another
 * implementation must reproduce a draw bit for bit from docs/draw.md.  No
 * store, no clock, no randomness: the caller passes the seed. */
#include "xiaoan/draw.h"

#include "xiaoan/clock.h"
#include "xiaoan/identity.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"
#include "xiaoan/vocab.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define DRAW_DOMAIN "xiaoan-draw-v1"
#define ASSIGN_DOMAIN "xiaoan-assignment-v1"

_Static_assert(XA_TIER_KEY + 1 == XA_DRAW_NTIERS, "one weight per roster tier");

/* ---- freeing ------------------------------------------------------------------- */

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void xa_draw_assignments_free(struct xa_draw_assignment *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        free(a[i].team);
    free(a);
}

void xa_draw_clear(struct xa_draw *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->created);
    free(d->as_of);
    free(d->office_name);
    free(d->office_fp);
    strv_free(d->p.counties, d->p.ncounties);
    free(d->p.kind);
    strv_free(d->p.forms, d->p.nforms);
    free(d->p.due);
    for (size_t i = 0; i < d->nschools; i++) {
        free(d->schools[i].code);
        free(d->schools[i].name);
        free(d->schools[i].county);
        free(d->schools[i].last_visit);
    }
    free(d->schools);
    for (size_t i = 0; i < d->ninsp; i++) {
        free(d->insp[i].fingerprint);
        free(d->insp[i].name);
        free(d->insp[i].county);
    }
    free(d->insp);
    free(d->beacon);
    xa_draw_assignments_free(d->asg, d->nasg);
    sodium_memzero(d, sizeof *d);
}

/* ---- validation ------------------------------------------------------------------ */

/* Non-empty (unless may_be_empty), valid UTF-8, no control characters: so
 * the canonical bytes need no escapes but \" and \\ (docs/draw.md). */
static int text_ok(const char *s, int may_be_empty)
{
    if (!s || (!*s && !may_be_empty))
        return 0;
    size_t len = strlen(s);
    if (!xa_utf8_valid(s, len, NULL))
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

static int date_ok(const char *s)
{
    int64_t d;
    return s && strlen(s) == 10 && xa_date_parse(s, &d, NULL) == XA_OK;
}

static int kind_ok(const char *k)
{
    xa_kind kind = xa_kind_of(k);
    return kind == XA_KIND_RANDOM || kind == XA_KIND_CROSS || kind == XA_KIND_SPECIAL;
}

static int is_cross(const struct xa_draw *d)
{
    return !strcmp(d->p.kind, "cross");
}

/* The weight of row i (docs/draw.md step 2). */
static uint64_t row_weight(const struct xa_draw *d, size_t i)
{
    const struct xa_draw_school *s = &d->schools[i];
    uint64_t w = (uint64_t)d->p.weights[s->tier];
    if (d->p.boost_days > 0) {
        int64_t asof = 0, last = 0;
        xa_date_parse(d->as_of, &asof, NULL);
        if (!s->last_visit || (xa_date_parse(s->last_visit, &last, NULL) == XA_OK &&
                               asof - last >= d->p.boost_days))
            w *= 2;
    }
    return w;
}

/* May inspector j inspect school i under the plan's kind? */
static int allowed(const struct xa_draw *d, size_t j, size_t i)
{
    if (!is_cross(d))
        return 1;
    const char *ic = d->insp[j].county;
    return ic && strcmp(ic, d->schools[i].county) != 0;
}

/* How many inspectors may inspect school i. */
static size_t eligible(const struct xa_draw *d, size_t i)
{
    size_t n = 0;
    for (size_t j = 0; j < d->ninsp; j++)
        n += (size_t)allowed(d, j, i);
    return n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is there a repeated string among n (sorted copy)?  *dup gets it. */
static int has_dup(char *const *v, size_t n, const char **dup)
{
    if (n < 2)
        return 0;
    char **c = xa_malloc(n * sizeof *c);
    memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp_str);
    int found = 0;
    for (size_t i = 1; i < n && !found; i++)
        if (!strcmp(c[i - 1], c[i])) {
            *dup = c[i];
            found = 1;
        }
    free(c);
    return found;
}

/* Check fields and rows (not feasibility). */
static xa_code check_fields(const struct xa_draw *d, xa_err *err)
{
    const struct xa_draw_params *p = &d->p;
    if (!d->id || !xa_id_valid(d->id))
        return xa_fail(err, XA_EFORMAT, "plan id must be 32 lowercase hex digits");
    int64_t t;
    int off;
    if (!d->created || xa_time_parse(d->created, &t, &off, NULL) != XA_OK)
        return xa_fail(err, XA_EFORMAT, "plan 'created' is not an RFC 3339 time");
    if (!date_ok(d->as_of))
        return xa_fail(err, XA_EFORMAT, "plan 'as_of' is not a date (YYYY-MM-DD)");
    if (!text_ok(d->office_name, 0) || !text_ok(d->office_fp, 0))
        return xa_fail(err, XA_EFORMAT, "plan 'office' needs a name and a fingerprint");
    if (p->schools < 1 || p->schools > XA_DRAW_SCHOOLS_MAX)
        return xa_fail(err, XA_EFORMAT, "number of schools to draw must be 1..%d",
                       XA_DRAW_SCHOOLS_MAX);
    if (p->team < 1 || p->team > XA_DRAW_TEAM_MAX)
        return xa_fail(err, XA_EFORMAT, "team size must be 1..%d", XA_DRAW_TEAM_MAX);
    if (p->boost_days < 0 || p->boost_days > XA_DRAW_BOOST_MAX)
        return xa_fail(err, XA_EFORMAT, "boost-unvisited days must be 0..%d", XA_DRAW_BOOST_MAX);
    int64_t wsum = 0;
    for (int k = 0; k < XA_DRAW_NTIERS; k++) {
        if (p->weights[k] < 0 || p->weights[k] > XA_DRAW_WEIGHT_MAX)
            return xa_fail(err, XA_EFORMAT, "weight of %s must be 0..%d", xa_tier_label((xa_tier)k),
                           XA_DRAW_WEIGHT_MAX);
        wsum += p->weights[k];
    }
    if (!wsum)
        return xa_fail(err, XA_EFORMAT, "every weight is 0: nothing can be drawn");
    if (!kind_ok(p->kind))
        return xa_fail(err, XA_EFORMAT, "kind must be random, cross or special");
    if (p->due && !date_ok(p->due))
        return xa_fail(err, XA_EFORMAT, "due date must be YYYY-MM-DD");
    const char *dup;
    for (size_t i = 0; i < p->ncounties; i++)
        if (!text_ok(p->counties[i], 0))
            return xa_fail(err, XA_EFORMAT, "a county name is empty or has control characters");
    if (has_dup(p->counties, p->ncounties, &dup))
        return xa_fail(err, XA_EFORMAT, "county '%s' is named twice", dup);
    for (size_t i = 0; i < p->nforms; i++)
        if (!text_ok(p->forms[i], 0))
            return xa_fail(err, XA_EFORMAT, "a form id is empty or has control characters");
    if (has_dup(p->forms, p->nforms, &dup))
        return xa_fail(err, XA_EFORMAT, "form '%s' is named twice", dup);
    if (d->nschools > XA_DRAW_SCHOOLS_MAX)
        return xa_fail(err, XA_ELIMIT, "more than %d schools in the plan", XA_DRAW_SCHOOLS_MAX);
    if (d->ninsp > XA_DRAW_INSPECTORS_MAX)
        return xa_fail(err, XA_ELIMIT, "more than %d inspectors in the plan",
                       XA_DRAW_INSPECTORS_MAX);

    char **codes = xa_malloc((d->nschools ? d->nschools : 1) * sizeof *codes);
    xa_code c = XA_OK;
    for (size_t i = 0; i < d->nschools && c == XA_OK; i++) {
        const struct xa_draw_school *s = &d->schools[i];
        codes[i] = s->code;
        if (!text_ok(s->code, 0) || !text_ok(s->name, 0) || !text_ok(s->county, 0))
            c = xa_fail(err, XA_EFORMAT, "school row %zu: code, name and county are required "
                        "(no control characters)", i + 1);
        else if (s->tier < 0 || s->tier >= XA_DRAW_NTIERS)
            c = xa_fail(err, XA_EFORMAT, "school %s: bad tier", s->code);
        else if (s->last_visit && !date_ok(s->last_visit))
            c = xa_fail(err, XA_EFORMAT, "school %s: last_visit is not a date", s->code);
        else if (p->ncounties) {
            size_t k = 0;
            while (k < p->ncounties && strcmp(p->counties[k], s->county) != 0)
                k++;
            if (k == p->ncounties)
                c = xa_fail(err, XA_EFORMAT, "school %s is in %s, outside the plan's counties",
                            s->code, s->county);
        }
    }
    if (c == XA_OK && has_dup(codes, d->nschools, &dup))
        c = xa_fail(err, XA_EFORMAT, "school %s is listed twice", dup);
    free(codes);
    if (c != XA_OK)
        return c;

    char **fps = xa_malloc((d->ninsp ? d->ninsp : 1) * sizeof *fps);
    for (size_t j = 0; j < d->ninsp && c == XA_OK; j++) {
        const struct xa_draw_inspector *in = &d->insp[j];
        char fp[XA_FP_MAX];
        fps[j] = in->fingerprint;
        if (!in->fingerprint || xa_fingerprint_normalize(in->fingerprint, fp, NULL) != XA_OK ||
            strcmp(fp, in->fingerprint) != 0)
            c = xa_fail(err, XA_EFORMAT, "inspector row %zu: bad fingerprint", j + 1);
        else if (!text_ok(in->name, 0) || (in->county && !text_ok(in->county, 0)))
            c = xa_fail(err, XA_EFORMAT, "inspector %s: bad name or county", in->fingerprint);
    }
    if (c == XA_OK && has_dup(fps, d->ninsp, &dup))
        c = xa_fail(err, XA_EFORMAT, "inspector %s is listed twice", dup);
    free(fps);
    return c;
}

xa_code xa_draw_check(const struct xa_draw *d, xa_err *err)
{
    xa_code c = check_fields(d, err);
    if (c != XA_OK)
        return c;
    size_t positive = 0;
    for (size_t i = 0; i < d->nschools; i++)
        positive += row_weight(d, i) > 0;
    if ((uint64_t)d->p.schools > positive)
        return xa_fail(err, XA_ESTATE,
                       "infeasible: %lld schools to draw but only %zu in the pool with a "
                       "weight above 0",
                       (long long)d->p.schools, positive);
    if ((uint64_t)d->p.team > d->ninsp)
        return xa_fail(err, XA_ESTATE, "infeasible: teams of %lld but only %zu inspectors",
                       (long long)d->p.team, d->ninsp);
    if (is_cross(d))
        for (size_t j = 0; j < d->ninsp; j++)
            if (!d->insp[j].county)
                return xa_fail(err, XA_ESTATE,
                               "infeasible: inspector %s (%s) has no home county for a cross "
                               "check (xiaoan central inspector FP --county C)",
                               d->insp[j].name, d->insp[j].fingerprint);
    /* Every school that could be drawn must be coverable, so no beacon can
     * make the reveal fail (a failed reveal would be a second chance). */
    for (size_t i = 0; i < d->nschools; i++) {
        if (!row_weight(d, i))
            continue;
        size_t e = eligible(d, i);
        if (e < (size_t)d->p.team)
            return xa_fail(err, XA_ESTATE,
                           "infeasible: school %s %s (%s) could be drawn but only %zu "
                           "inspectors are from other counties, teams need %lld",
                           d->schools[i].code, d->schools[i].name, d->schools[i].county, e,
                           (long long)d->p.team);
    }
    return XA_OK;
}

/* ---- hashing -------------------------------------------------------------------- */

static json_t *strv_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The "plan" object (the part the commitment binds). */
static json_t *plan_json(const struct xa_draw *d)
{
    const struct xa_draw_params *p = &d->p;
    json_t *w = json_object();
    for (int k = 0; k < XA_DRAW_NTIERS; k++)
        json_object_set_new(w, xa_tier_key((xa_tier)k), json_integer(p->weights[k]));
    json_t *params = json_pack("{s:I, s:o, s:o, s:I, s:s, s:o, s:I, s:o}", "schools",
                               (json_int_t)p->schools, "counties",
                               strv_json(p->counties, p->ncounties), "weights", w,
                               "boost_unvisited", (json_int_t)p->boost_days, "kind", p->kind,
                               "forms", strv_json(p->forms, p->nforms), "team",
                               (json_int_t)p->team, "due", str_or_null(p->due));
    json_t *schools = json_array();
    for (size_t i = 0; i < d->nschools; i++) {
        const struct xa_draw_school *s = &d->schools[i];
        json_array_append_new(schools,
                              json_pack("{s:s, s:s, s:s, s:s, s:o}", "code", s->code, "name",
                                        s->name, "county", s->county, "tier",
                                        xa_tier_key((xa_tier)s->tier), "last_visit",
                                        str_or_null(s->last_visit)));
    }
    json_t *insp = json_array();
    for (size_t j = 0; j < d->ninsp; j++) {
        const struct xa_draw_inspector *in = &d->insp[j];
        json_array_append_new(insp, json_pack("{s:s, s:s, s:o}", "fingerprint", in->fingerprint,
                                              "name", in->name, "county",
                                              str_or_null(in->county)));
    }
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:o}", "id", d->id, "created",
                     d->created, "as_of", d->as_of, "office", "name", d->office_name,
                     "fingerprint", d->office_fp, "params", params, "schools", schools,
                     "inspectors", insp);
}

xa_code xa_draw_plan_hash(const struct xa_draw *d, uint8_t out[32], xa_err *err)
{
    json_t *pj = plan_json(d);
    if (!pj)
        return xa_fail(err, XA_EFORMAT, "the plan has a missing field");
    xa_buf b = XA_BUF_INIT;
    xa_code c = xa_json_canonical(pj, &b, err);
    json_decref(pj);
    if (c == XA_OK)
        crypto_generichash(out, 32, (const uint8_t *)b.data, b.len, NULL, 0);
    xa_buf_clear(&b);
    return c;
}

/* commitment = BLAKE2b-256(seed ‖ plan hash), hex. */
static void commitment_of(const uint8_t seed[XA_DRAW_SEED_BYTES], const uint8_t ph[32],
                          char out[65])
{
    uint8_t in[XA_DRAW_SEED_BYTES + 32], h[32];
    memcpy(in, seed, XA_DRAW_SEED_BYTES);
    memcpy(in + XA_DRAW_SEED_BYTES, ph, 32);
    crypto_generichash(h, 32, in, sizeof in, NULL, 0);
    sodium_memzero(in, sizeof in);
    xa_hex_encode(h, 32, out);
}

xa_code xa_draw_commit(struct xa_draw *d, const uint8_t seed[XA_DRAW_SEED_BYTES], xa_err *err)
{
    uint8_t ph[32];
    xa_code c = xa_draw_check(d, err);
    if (c == XA_OK)
        c = xa_draw_plan_hash(d, ph, err);
    if (c == XA_OK)
        commitment_of(seed, ph, d->commitment);
    return c;
}

xa_code xa_draw_beacon_normalise(const char *in, char **out, xa_err *err)
{
    const char *ws = " \t\r\n\v\f";
    while (*in && strchr(ws, *in))
        in++;
    size_t len = strlen(in);
    while (len && strchr(ws, in[len - 1]))
        len--;
    if (!len)
        return xa_fail(err, XA_EUSAGE, "the beacon is empty");
    if (len > XA_DRAW_BEACON_MAX)
        return xa_fail(err, XA_ELIMIT, "the beacon is longer than %d bytes", XA_DRAW_BEACON_MAX);
    char *s = xa_strndup(in, len);
    if (!text_ok(s, 0)) {
        free(s);
        return xa_fail(err, XA_EFORMAT,
                       "the beacon must be UTF-8 text on one line without control characters");
    }
    *out = s;
    return XA_OK;
}

/* ---- the random stream ------------------------------------------------------------ */

/* Counter-mode stream: block j = BLAKE2b-512(key = randomness, u64le(j)),
 * read as eight u64le words (docs/draw.md step 3). */
struct stream {
    uint8_t key[32];
    uint64_t block;
    uint8_t buf[64];
    unsigned pos; /* next word 0..8 */
};

static void stream_init(struct stream *s, const uint8_t key[32])
{
    memcpy(s->key, key, 32);
    s->block = 0;
    s->pos = 8;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint64_t stream_next(struct stream *s)
{
    if (s->pos == 8) {
        uint8_t ctr[8];
        for (int i = 0; i < 8; i++)
            ctr[i] = (uint8_t)(s->block >> (8 * i));
        crypto_generichash(s->buf, 64, ctr, 8, s->key, 32);
        s->block++;
        s->pos = 0;
    }
    return le64(s->buf + 8 * s->pos++);
}

/* A uniform integer in [0, n), n >= 1, by rejection: words at or above the
 * largest multiple of n below 2^64 are discarded.  Always takes at least
 * one word (even for n = 1), so the stream position is easy to follow. */
static uint64_t uniform(struct stream *s, uint64_t n)
{
    uint64_t rem = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t x = stream_next(s);
        if (rem == 0 || x < 0 - rem)
            return x % n;
    }
}

/* ---- the draw -------------------------------------------------------------------- */

/* Assignment id: hex of BLAKE2b-128(domain ‖ 0 ‖ plan id ‖ 0 ‖ school code). */
static void assignment_id(const char *plan_id, const char *code, char out[33])
{
    crypto_generichash_state st;
    uint8_t h[16], zero = 0;
    crypto_generichash_init(&st, NULL, 0, 16);
    crypto_generichash_update(&st, (const uint8_t *)ASSIGN_DOMAIN, strlen(ASSIGN_DOMAIN));
    crypto_generichash_update(&st, &zero, 1);
    crypto_generichash_update(&st, (const uint8_t *)plan_id, strlen(plan_id));
    crypto_generichash_update(&st, &zero, 1);
    crypto_generichash_update(&st, (const uint8_t *)code, strlen(code));
    crypto_generichash_final(&st, h, 16);
    xa_hex_encode(h, 16, out);
}

/* Is inspector j in the team of as? */
static int in_team(const struct xa_draw_assignment *as, size_t team, size_t j)
{
    for (size_t q = 0; q < team; q++)
        if (as->team[q] == j)
            return 1;
    return 0;
}

/* Step 6: while some member i of a team could be replaced by an allowed
 * inspector j outside it with load[j] + 2 <= load[i], replace the first
 * such member (assignments in draw order, members in team order) by the
 * least-loaded such j (first in plan order).  Each move lowers the sum of
 * squared loads, so it ends; afterwards no single swap evens the loads. */
static void rebalance(const struct xa_draw *d, struct xa_draw_assignment *a, size_t n,
                      uint64_t *load)
{
    size_t team = (size_t)d->p.team;
    int moved = 1;
    while (moved) {
        moved = 0;
        for (size_t k = 0; k < n && !moved; k++) {
            for (size_t m = 0; m < team && !moved; m++) {
                size_t i = a[k].team[m], best = SIZE_MAX;
                for (size_t j = 0; j < d->ninsp; j++) {
                    if (load[j] + 2 > load[i] || !allowed(d, j, a[k].school) ||
                        in_team(&a[k], team, j))
                        continue;
                    if (best == SIZE_MAX || load[j] < load[best])
                        best = j;
                }
                if (best != SIZE_MAX) {
                    a[k].team[m] = best;
                    load[i]--;
                    load[best]++;
                    moved = 1;
                }
            }
        }
    }
}

xa_code xa_draw_compute(const struct xa_draw *d, const uint8_t seed[XA_DRAW_SEED_BYTES],
                        const char *beacon, char randomness[65],
                        struct xa_draw_assignment **asg, size_t *nasg, xa_err *err)
{
    uint8_t ph[32];
    xa_code c = xa_draw_check(d, err);
    if (c == XA_OK)
        c = xa_draw_plan_hash(d, ph, err);
    if (c != XA_OK)
        return c;
    if (!beacon || !text_ok(beacon, 0) || strlen(beacon) > XA_DRAW_BEACON_MAX)
        return xa_fail(err, XA_EFORMAT, "the beacon is empty or not one line of UTF-8 text");

    /* Step 3: randomness = BLAKE2b-256(key = seed, domain ‖ plan hash ‖ beacon). */
    uint8_t r[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, seed, XA_DRAW_SEED_BYTES, 32);
    crypto_generichash_update(&st, (const uint8_t *)DRAW_DOMAIN, strlen(DRAW_DOMAIN));
    crypto_generichash_update(&st, ph, 32);
    crypto_generichash_update(&st, (const uint8_t *)beacon, strlen(beacon));
    crypto_generichash_final(&st, r, 32);
    xa_hex_encode(r, 32, randomness);
    struct stream s;
    stream_init(&s, r);

    /* Step 4: weighted sampling without replacement, rows in plan order. */
    size_t n = (size_t)d->p.schools, npool = 0;
    size_t *pool = xa_malloc(d->nschools * sizeof *pool);
    uint64_t *w = xa_malloc(d->nschools * sizeof *w);
    uint64_t total = 0;
    for (size_t i = 0; i < d->nschools; i++) {
        uint64_t wi = row_weight(d, i);
        if (wi) {
            pool[npool] = i;
            w[npool++] = wi;
            total += wi;
        }
    }
    size_t *drawn = xa_malloc(n * sizeof *drawn);
    for (size_t k = 0; k < n; k++) {
        uint64_t x = uniform(&s, total);
        size_t at = 0;
        while (x >= w[at])
            x -= w[at++];
        drawn[k] = pool[at];
        total -= w[at];
        memmove(pool + at, pool + at + 1, (npool - at - 1) * sizeof *pool);
        memmove(w + at, w + at + 1, (npool - at - 1) * sizeof *w);
        npool--;
    }
    free(pool);
    free(w);

    /* Step 5: teams.  Schools with fewer eligible inspectors first (stable
     * in draw order); each member is drawn uniformly among the eligible
     * inspectors not yet in the team with the lowest load so far and, among
     * those, the fewest schools still to come that they may inspect. */
    size_t *order = xa_malloc(n * sizeof *order), *elig = xa_malloc(n * sizeof *elig);
    for (size_t k = 0; k < n; k++) {
        order[k] = k;
        elig[k] = eligible(d, drawn[k]);
    }
    for (size_t k = 1; k < n; k++) { /* insertion sort: stable, by eligible count */
        size_t v = order[k], m = k;
        while (m > 0 && elig[order[m - 1]] > elig[v]) {
            order[m] = order[m - 1];
            m--;
        }
        order[m] = v;
    }
    size_t team = (size_t)d->p.team;
    uint64_t *load = xa_calloc(d->ninsp ? d->ninsp : 1, sizeof *load);
    size_t *cand = xa_malloc((d->ninsp ? d->ninsp : 1) * sizeof *cand);
    struct xa_draw_assignment *a = xa_calloc(n, sizeof *a);
    for (size_t k = 0; k < n; k++) {
        a[k].school = drawn[k];
        a[k].team = xa_malloc(team * sizeof *a[k].team);
        assignment_id(d->id, d->schools[drawn[k]].code, a[k].id);
    }
    /* left[j]: schools from this one on (in processing order) that
     * inspector j may inspect; fewer chances left wins a tie on load. */
    uint64_t *left = xa_calloc(d->ninsp ? d->ninsp : 1, sizeof *left);
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < d->ninsp; j++)
            left[j] += (uint64_t)allowed(d, j, drawn[k]);
    for (size_t o = 0; o < n && c == XA_OK; o++) {
        struct xa_draw_assignment *as = &a[order[o]];
        for (size_t m = 0; m < team; m++) {
            size_t nc = 0;
            uint64_t min = UINT64_MAX, minleft = UINT64_MAX;
            for (size_t j = 0; j < d->ninsp; j++) {
                int taken = 0;
                for (size_t q = 0; q < m && !taken; q++)
                    taken = as->team[q] == j;
                if (taken || !allowed(d, j, as->school))
                    continue;
                if (load[j] < min || (load[j] == min && left[j] < minleft)) {
                    min = load[j];
                    minleft = left[j];
                    nc = 0;
                }
                if (load[j] == min && left[j] == minleft)
                    cand[nc++] = j;
            }
            if (!nc) { /* xa_draw_check rules this out; kept as a guard */
                c = xa_fail(err, XA_ESTATE, "infeasible: no inspector left for school %s",
                            d->schools[as->school].code);
                break;
            }
            size_t pick = cand[uniform(&s, nc)];
            as->team[m] = pick;
            load[pick]++;
        }
        for (size_t j = 0; j < d->ninsp; j++)
            left[j] -= (uint64_t)allowed(d, j, as->school);
    }
    free(left);
    if (c == XA_OK)
        rebalance(d, a, n, load);
    free(order);
    free(elig);
    free(load);
    free(cand);
    free(drawn);
    sodium_memzero(&s, sizeof s);
    sodium_memzero(r, sizeof r);
    if (c != XA_OK) {
        xa_draw_assignments_free(a, n);
        return c;
    }
    *asg = a;
    *nasg = n;
    return XA_OK;
}

xa_code xa_draw_reveal(struct xa_draw *d, const uint8_t seed[XA_DRAW_SEED_BYTES],
                       const char *beacon, xa_err *err)
{
    if (d->revealed)
        return xa_fail(err, XA_ESTATE, "this draw was revealed already");
    uint8_t ph[32];
    char want[65];
    xa_code c = xa_draw_plan_hash(d, ph, err);
    if (c != XA_OK)
        return c;
    commitment_of(seed, ph, want);
    if (strcmp(want, d->commitment) != 0)
        return xa_fail(err, XA_EDIFF, "the seed does not match the plan's commitment (the plan "
                       "was edited since it was committed)");
    char *b = NULL;
    c = xa_draw_beacon_normalise(beacon, &b, err);
    struct xa_draw_assignment *a = NULL;
    size_t n = 0;
    char rnd[65];
    if (c == XA_OK)
        c = xa_draw_compute(d, seed, b, rnd, &a, &n, err);
    if (c != XA_OK) {
        free(b);
        return c;
    }
    d->revealed = 1;
    memcpy(d->seed, seed, XA_DRAW_SEED_BYTES);
    d->beacon = b;
    memcpy(d->randomness, rnd, sizeof rnd);
    d->asg = a;
    d->nasg = n;
    return XA_OK;
}

/* ---- the plan file ------------------------------------------------------------------ */

xa_code xa_draw_to_json(const struct xa_draw *d, json_t **out, xa_err *err)
{
    json_t *pj = plan_json(d);
    if (!pj)
        return xa_fail(err, XA_EFORMAT, "the plan has a missing field");
    json_t *rev = json_null();
    if (d->revealed) {
        char seed[2 * XA_DRAW_SEED_BYTES + 1];
        xa_hex_encode(d->seed, XA_DRAW_SEED_BYTES, seed);
        json_t *as = json_array();
        for (size_t k = 0; k < d->nasg; k++) {
            json_t *team = json_array();
            for (size_t m = 0; m < (size_t)d->p.team; m++)
                json_array_append_new(team,
                                      json_string(d->insp[d->asg[k].team[m]].fingerprint));
            json_array_append_new(as, json_pack("{s:s, s:s, s:o}", "id", d->asg[k].id,
                                                "school", d->schools[d->asg[k].school].code,
                                                "team", team));
        }
        rev = json_pack("{s:s, s:s, s:s, s:o}", "seed", seed, "beacon", d->beacon, "randomness",
                        d->randomness, "assignments", as);
    }
    *out = json_pack("{s:s, s:o, s:s, s:o}", "format", XA_DRAW_FORMAT, "plan", pj, "commitment",
                     d->commitment, "reveal", rev);
    return *out ? XA_OK : xa_fail(err, XA_EFORMAT, "cannot build the plan file");
}

/* Refuse members other than the allowed ones. */
static xa_code only_keys(const json_t *obj, const char *what, const char *const *keys,
                         xa_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k) != 0)
            i++;
        if (!keys[i])
            return xa_fail(err, XA_EFORMAT, "%s: unknown member '%s'", what, k);
    }
    for (size_t i = 0; keys[i]; i++)
        if (!json_object_get(obj, keys[i]))
            return xa_fail(err, XA_EFORMAT, "%s: missing member '%s'", what, keys[i]);
    return XA_OK;
}

static xa_code get_str(const json_t *o, const char *key, const char *what, char **out,
                       int nullable, xa_err *err)
{
    json_t *v = json_object_get(o, key);
    if (nullable && json_is_null(v)) {
        *out = NULL;
        return XA_OK;
    }
    if (!json_is_string(v))
        return xa_fail(err, XA_EFORMAT, "%s.%s must be a string%s", what, key,
                       nullable ? " or null" : "");
    *out = xa_strdup(json_string_value(v));
    return XA_OK;
}

static xa_code get_int(const json_t *o, const char *key, const char *what, int64_t *out,
                       xa_err *err)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        return xa_fail(err, XA_EFORMAT, "%s.%s must be an integer", what, key);
    *out = (int64_t)json_integer_value(v);
    return XA_OK;
}

static xa_code get_strv(const json_t *o, const char *key, const char *what, char ***out,
                        size_t *n, xa_err *err)
{
    json_t *a = json_object_get(o, key), *v;
    if (!json_is_array(a))
        return xa_fail(err, XA_EFORMAT, "%s.%s must be an array", what, key);
    size_t i;
    *n = 0;
    *out = xa_calloc(json_array_size(a) + 1, sizeof **out);
    json_array_foreach(a, i, v) {
        if (!json_is_string(v))
            return xa_fail(err, XA_EFORMAT, "%s.%s[%zu] must be a string", what, key, i);
        (*out)[(*n)++] = xa_strdup(json_string_value(v));
    }
    return XA_OK;
}

static xa_code hex64(const json_t *o, const char *key, const char *what, char out[65],
                     xa_err *err)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_string_value(v);
    uint8_t tmp[32];
    if (!s || strlen(s) != 64 || xa_hex_decode(s, tmp, 32, NULL) != XA_OK)
        return xa_fail(err, XA_EFORMAT, "%s.%s must be 64 hex digits", what, key);
    for (size_t i = 0; i < 64; i++)
        out[i] = (char)((s[i] >= 'A' && s[i] <= 'F') ? s[i] - 'A' + 'a' : s[i]);
    out[64] = 0;
    if (strcmp(out, s) != 0)
        return xa_fail(err, XA_EFORMAT, "%s.%s must be lowercase hex", what, key);
    return XA_OK;
}

static xa_code read_plan(const json_t *pj, struct xa_draw *d, xa_err *err)
{
    static const char *const pkeys[] = {"id", "created", "as_of", "office", "params",
                                        "schools", "inspectors", NULL};
    static const char *const okeys[] = {"name", "fingerprint", NULL};
    static const char *const prkeys[] = {"schools", "counties", "weights", "boost_unvisited",
                                         "kind", "forms", "team", "due", NULL};
    static const char *const skeys[] = {"code", "name", "county", "tier", "last_visit", NULL};
    static const char *const ikeys[] = {"fingerprint", "name", "county", NULL};
    xa_code c;
    if (!json_is_object(pj))
        return xa_fail(err, XA_EFORMAT, "'plan' must be an object");
    if ((c = only_keys(pj, "plan", pkeys, err)) != XA_OK ||
        (c = get_str(pj, "id", "plan", &d->id, 0, err)) != XA_OK ||
        (c = get_str(pj, "created", "plan", &d->created, 0, err)) != XA_OK ||
        (c = get_str(pj, "as_of", "plan", &d->as_of, 0, err)) != XA_OK)
        return c;
    json_t *of = json_object_get(pj, "office");
    if (!json_is_object(of))
        return xa_fail(err, XA_EFORMAT, "plan.office must be an object");
    if ((c = only_keys(of, "plan.office", okeys, err)) != XA_OK ||
        (c = get_str(of, "name", "plan.office", &d->office_name, 0, err)) != XA_OK ||
        (c = get_str(of, "fingerprint", "plan.office", &d->office_fp, 0, err)) != XA_OK)
        return c;
    json_t *pr = json_object_get(pj, "params");
    if (!json_is_object(pr))
        return xa_fail(err, XA_EFORMAT, "plan.params must be an object");
    struct xa_draw_params *p = &d->p;
    if ((c = only_keys(pr, "params", prkeys, err)) != XA_OK ||
        (c = get_int(pr, "schools", "params", &p->schools, err)) != XA_OK ||
        (c = get_strv(pr, "counties", "params", &p->counties, &p->ncounties, err)) != XA_OK ||
        (c = get_int(pr, "boost_unvisited", "params", &p->boost_days, err)) != XA_OK ||
        (c = get_str(pr, "kind", "params", &p->kind, 0, err)) != XA_OK ||
        (c = get_strv(pr, "forms", "params", &p->forms, &p->nforms, err)) != XA_OK ||
        (c = get_int(pr, "team", "params", &p->team, err)) != XA_OK ||
        (c = get_str(pr, "due", "params", &p->due, 1, err)) != XA_OK)
        return c;
    json_t *w = json_object_get(pr, "weights");
    if (!json_is_object(w))
        return xa_fail(err, XA_EFORMAT, "params.weights must be an object");
    static const char *const wkeys[] = {"normal", "weak", "key", NULL};
    if ((c = only_keys(w, "params.weights", wkeys, err)) != XA_OK)
        return c;
    for (int k = 0; k < XA_DRAW_NTIERS; k++)
        if ((c = get_int(w, xa_tier_key((xa_tier)k), "params.weights", &p->weights[k], err)) != XA_OK)
            return c;

    json_t *rows = json_object_get(pj, "schools"), *v;
    if (!json_is_array(rows))
        return xa_fail(err, XA_EFORMAT, "plan.schools must be an array");
    if (json_array_size(rows) > XA_DRAW_SCHOOLS_MAX)
        return xa_fail(err, XA_ELIMIT, "more than %d schools in the plan", XA_DRAW_SCHOOLS_MAX);
    d->schools = xa_calloc(json_array_size(rows) + 1, sizeof *d->schools);
    size_t i;
    json_array_foreach(rows, i, v) {
        struct xa_draw_school *s = &d->schools[d->nschools++];
        char *tier = NULL;
        s->tier = -1;
        if (!json_is_object(v))
            return xa_fail(err, XA_EFORMAT, "plan.schools[%zu] must be an object", i);
        if ((c = only_keys(v, "plan.schools[]", skeys, err)) != XA_OK ||
            (c = get_str(v, "code", "school", &s->code, 0, err)) != XA_OK ||
            (c = get_str(v, "name", "school", &s->name, 0, err)) != XA_OK ||
            (c = get_str(v, "county", "school", &s->county, 0, err)) != XA_OK ||
            (c = get_str(v, "last_visit", "school", &s->last_visit, 1, err)) != XA_OK ||
            (c = get_str(v, "tier", "school", &tier, 0, err)) != XA_OK)
            return c;
        for (int k = 0; k < XA_DRAW_NTIERS; k++)
            if (!strcmp(tier, xa_tier_key((xa_tier)k)))
                s->tier = k;
        free(tier);
        if (s->tier < 0)
            return xa_fail(err, XA_EFORMAT, "school %s: tier must be normal, weak or key",
                           s->code);
    }
    rows = json_object_get(pj, "inspectors");
    if (!json_is_array(rows))
        return xa_fail(err, XA_EFORMAT, "plan.inspectors must be an array");
    if (json_array_size(rows) > XA_DRAW_INSPECTORS_MAX)
        return xa_fail(err, XA_ELIMIT, "more than %d inspectors in the plan",
                       XA_DRAW_INSPECTORS_MAX);
    d->insp = xa_calloc(json_array_size(rows) + 1, sizeof *d->insp);
    json_array_foreach(rows, i, v) {
        struct xa_draw_inspector *in = &d->insp[d->ninsp++];
        if (!json_is_object(v))
            return xa_fail(err, XA_EFORMAT, "plan.inspectors[%zu] must be an object", i);
        if ((c = only_keys(v, "plan.inspectors[]", ikeys, err)) != XA_OK ||
            (c = get_str(v, "fingerprint", "inspector", &in->fingerprint, 0, err)) != XA_OK ||
            (c = get_str(v, "name", "inspector", &in->name, 0, err)) != XA_OK ||
            (c = get_str(v, "county", "inspector", &in->county, 1, err)) != XA_OK)
            return c;
    }
    return check_fields(d, err);
}

/* The index of the row with this code / fingerprint, or SIZE_MAX. */
static size_t school_index(const struct xa_draw *d, const char *code)
{
    for (size_t i = 0; i < d->nschools; i++)
        if (!strcmp(d->schools[i].code, code))
            return i;
    return SIZE_MAX;
}

static size_t insp_index(const struct xa_draw *d, const char *fp)
{
    for (size_t j = 0; j < d->ninsp; j++)
        if (!strcmp(d->insp[j].fingerprint, fp))
            return j;
    return SIZE_MAX;
}

static xa_code read_reveal(const json_t *rv, struct xa_draw *d, xa_err *err)
{
    static const char *const rkeys[] = {"seed", "beacon", "randomness", "assignments", NULL};
    static const char *const akeys[] = {"id", "school", "team", NULL};
    char seed[65];
    xa_code c;
    if (!json_is_object(rv))
        return xa_fail(err, XA_EFORMAT, "'reveal' must be an object or null");
    if ((c = only_keys(rv, "reveal", rkeys, err)) != XA_OK ||
        (c = hex64(rv, "seed", "reveal", seed, err)) != XA_OK ||
        (c = hex64(rv, "randomness", "reveal", d->randomness, err)) != XA_OK ||
        (c = get_str(rv, "beacon", "reveal", &d->beacon, 0, err)) != XA_OK)
        return c;
    xa_hex_decode(seed, d->seed, XA_DRAW_SEED_BYTES, NULL);
    json_t *as = json_object_get(rv, "assignments"), *v;
    if (!json_is_array(as))
        return xa_fail(err, XA_EFORMAT, "reveal.assignments must be an array");
    if (json_array_size(as) > d->nschools)
        return xa_fail(err, XA_EFORMAT, "more assignments than schools in the plan");
    d->asg = xa_calloc(json_array_size(as) + 1, sizeof *d->asg);
    size_t k;
    json_array_foreach(as, k, v) {
        struct xa_draw_assignment *a = &d->asg[d->nasg++];
        a->team = xa_calloc((size_t)d->p.team, sizeof *a->team);
        if (!json_is_object(v) || only_keys(v, "reveal.assignments[]", akeys, err) != XA_OK)
            return json_is_object(v) ? XA_EFORMAT
                                     : xa_fail(err, XA_EFORMAT, "an assignment must be an object");
        const char *id = json_string_value(json_object_get(v, "id"));
        const char *code = json_string_value(json_object_get(v, "school"));
        json_t *team = json_object_get(v, "team"), *m;
        if (!id || !xa_id_valid(id))
            return xa_fail(err, XA_EFORMAT, "assignment %zu: id must be 32 hex digits", k + 1);
        memcpy(a->id, id, 33);
        if (!code || (a->school = school_index(d, code)) == SIZE_MAX)
            return xa_fail(err, XA_EDIFF, "assignment %zu names school %s, which is not in the plan",
                           k + 1, code ? code : "?");
        if (!json_is_array(team) || json_array_size(team) != (size_t)d->p.team)
            return xa_fail(err, XA_EDIFF, "assignment %zu: the team does not have %lld members",
                           k + 1, (long long)d->p.team);
        size_t q;
        json_array_foreach(team, q, m) {
            const char *fp = json_string_value(m);
            if (!fp || (a->team[q] = insp_index(d, fp)) == SIZE_MAX)
                return xa_fail(err, XA_EDIFF,
                               "assignment %zu names inspector %s, who is not in the plan", k + 1,
                               fp ? fp : "?");
        }
    }
    d->revealed = 1;
    return XA_OK;
}

xa_code xa_draw_from_json(const json_t *obj, struct xa_draw *d, xa_err *err)
{
    static const char *const keys[] = {"format", "plan", "commitment", "reveal", NULL};
    memset(d, 0, sizeof *d);
    if (!json_is_object(obj))
        return xa_fail(err, XA_EFORMAT, "a draw plan must be a JSON object");
    const char *fmt = json_string_value(json_object_get(obj, "format"));
    if (!fmt || strcmp(fmt, XA_DRAW_FORMAT) != 0)
        return xa_fail(err, XA_EFORMAT, "not a draw plan (format must be %s)", XA_DRAW_FORMAT);
    xa_code c = only_keys(obj, "draw plan", keys, err);
    if (c == XA_OK)
        c = read_plan(json_object_get(obj, "plan"), d, err);
    if (c == XA_OK)
        c = hex64(obj, "commitment", "draw plan", d->commitment, err);
    json_t *rv = json_object_get(obj, "reveal");
    if (c == XA_OK && !json_is_null(rv))
        c = read_reveal(rv, d, err);
    if (c != XA_OK)
        xa_draw_clear(d);
    return c;
}

xa_code xa_draw_parse(const char *bytes, size_t len, struct xa_draw *d, xa_err *err)
{
    json_t *j = NULL;
    memset(d, 0, sizeof *d);
    if (len > XA_DRAW_FILE_MAX)
        return xa_fail(err, XA_ELIMIT, "a draw plan is larger than %u MiB",
                       XA_DRAW_FILE_MAX >> 20);
    xa_code c = xa_json_parse(bytes, len, 8, &j, err);
    if (c == XA_OK)
        c = xa_draw_from_json(j, d, err);
    json_decref(j);
    return c;
}

/* "A、B" of the names of a team, for a difference message. */
static char *team_names(const struct xa_draw *d, const size_t *team)
{
    xa_buf b = XA_BUF_INIT;
    for (size_t m = 0; m < (size_t)d->p.team; m++)
        xa_buf_printf(&b, "%s%s", m ? "、" : "", d->insp[team[m]].name);
    return xa_buf_steal(&b);
}

xa_code xa_draw_verify(const struct xa_draw *d, xa_err *err)
{
    if (!d->revealed)
        return xa_fail(err, XA_ESTATE, "the draw is not revealed yet (no seed, no beacon)");
    uint8_t ph[32];
    char want[65];
    xa_code c = xa_draw_plan_hash(d, ph, err);
    if (c != XA_OK)
        return c;
    commitment_of(d->seed, ph, want);
    if (strcmp(want, d->commitment) != 0)
        return xa_fail(err, XA_EDIFF,
                       "commitment differs: the seed and the plan give %.16s..., the file says "
                       "%.16s... (the seed, a parameter or a row is not what was committed)",
                       want, d->commitment);
    struct xa_draw_assignment *a = NULL;
    size_t n = 0;
    char rnd[65];
    c = xa_draw_compute(d, d->seed, d->beacon, rnd, &a, &n, err);
    if (c != XA_OK)
        return c;
    if (strcmp(rnd, d->randomness) != 0)
        c = xa_fail(err, XA_EDIFF,
                    "randomness differs: the seed and the beacon give %.16s..., the file says "
                    "%.16s... (the beacon or the randomness was changed)",
                    rnd, d->randomness);
    for (size_t k = 0; k < n && k < d->nasg && c == XA_OK; k++) {
        const struct xa_draw_assignment *x = &a[k], *y = &d->asg[k];
        if (x->school != y->school) {
            c = xa_fail(err, XA_EDIFF,
                        "assignment %zu differs: the school should be %s %s, the file says %s %s",
                        k + 1, d->schools[x->school].code, d->schools[x->school].name,
                        d->schools[y->school].code, d->schools[y->school].name);
        } else if (memcmp(x->team, y->team, (size_t)d->p.team * sizeof *x->team) != 0) {
            char *tw = team_names(d, x->team), *ty = team_names(d, y->team);
            c = xa_fail(err, XA_EDIFF,
                        "assignment %zu (%s) differs: the team should be %s, the file says %s",
                        k + 1, d->schools[x->school].name, tw, ty);
            free(tw);
            free(ty);
        } else if (strcmp(x->id, y->id) != 0) {
            c = xa_fail(err, XA_EDIFF,
                        "assignment %zu (%s) differs: the id should be %s, the file says %s",
                        k + 1, d->schools[x->school].name, x->id, y->id);
        }
    }
    if (c == XA_OK && n != d->nasg)
        c = xa_fail(err, XA_EDIFF,
                    "the number of assignments differs: %zu computed, %zu in the file", n,
                    d->nasg);
    xa_draw_assignments_free(a, n);
    return c;
}
