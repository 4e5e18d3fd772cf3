/* test_draw.c — the verifiable draw (draw.h, docs/draw.md): the fixed test
 * vector in tests/data/draw/, weights honoured over 10,000 draws (a
 * chi-square bound), the cross-county constraint and load balance over
 * many seeds, verification catching any edited field, row or seed, and
 * infeasible plans refused with one line.
 *
 * XA_DRAW_WRITE_VECTOR=PATH rewrites the vector file (only when the
 * algorithm is changed on purpose, with a new format version). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xiaoan/draw.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

static const char *const counties[] = {"莲都区", "青田县", "缙云县", "遂昌县"};

/* A school row. */
static void add_school(struct xa_draw *d, const char *code, const char *name, const char *county,
                       int tier, const char *last)
{
    d->schools = xa_realloc(d->schools, (d->nschools + 1) * sizeof *d->schools);
    struct xa_draw_school *s = &d->schools[d->nschools++];
    s->code = xa_strdup(code);
    s->name = xa_strdup(name);
    s->county = xa_strdup(county);
    s->tier = tier;
    s->last_visit = last ? xa_strdup(last) : NULL;
}

/* An inspector row; fingerprint made from n. */
static void add_insp(struct xa_draw *d, unsigned n, const char *name, const char *county)
{
    d->insp = xa_realloc(d->insp, (d->ninsp + 1) * sizeof *d->insp);
    struct xa_draw_inspector *in = &d->insp[d->ninsp++];
    in->fingerprint = xa_asprintf("%05u-%05u-%05u-%05u", 10000 + n, 20000 + n, 30000 + n,
                                  40000 + n);
    in->name = xa_strdup(name);
    in->county = county ? xa_strdup(county) : NULL;
}

/* The common header of a plan. */
static void base(struct xa_draw *d, const char *kind, int64_t n, int64_t team)
{
    memset(d, 0, sizeof *d);
    d->id = xa_strdup("0123456789abcdef0123456789abcdef");
    d->created = xa_strdup("2026-12-01T09:00:00+08:00");
    d->as_of = xa_strdup("2026-12-01");
    d->office_name = xa_strdup("丽水市教育局安全科");
    d->office_fp = xa_strdup("11111-22222-33333-44444");
    d->p.schools = n;
    d->p.team = team;
    d->p.kind = xa_strdup(kind);
    d->p.weights[XA_TIER_KEY] = 3;
    d->p.weights[XA_TIER_WEAK] = 2;
    d->p.weights[XA_TIER_NORMAL] = 1;
}

/* The plan of the fixed test vector: 20 schools in four counties, six
 * inspectors, a cross check of 6 schools by teams of 2, unvisited boost. */
static void vector_plan(struct xa_draw *d)
{
    static const char *const last[] = {NULL, "2026-11-20", "2025-03-01", NULL, "2026-06-01"};
    base(d, "cross", 6, 2);
    d->p.boost_days = 180;
    d->p.due = xa_strdup("2026-12-31");
    d->p.nforms = 2;
    d->p.forms = xa_calloc(2, sizeof(char *));
    d->p.forms[0] = xa_strdup("canteen-food");
    d->p.forms[1] = xa_strdup("fire-buildings");
    for (int i = 0; i < 20; i++) {
        char code[32], name[64];
        snprintf(code, sizeof code, "3311%02d0%05d", 2 + i % 4, 101 + i);
        snprintf(name, sizeof name, "%s第%d小学", counties[i % 4], i + 1);
        add_school(d, code, name, counties[i % 4], i % 7 == 0 ? XA_TIER_KEY
                                                   : i % 3 == 0 ? XA_TIER_WEAK
                                                                : XA_TIER_NORMAL,
                   last[i % 5]);
    }
    /* Rows sorted by code, as `central draw plan` writes them. */
    for (size_t i = 1; i < d->nschools; i++)
        for (size_t j = i; j > 0 && strcmp(d->schools[j - 1].code, d->schools[j].code) > 0; j--) {
            struct xa_draw_school t = d->schools[j];
            d->schools[j] = d->schools[j - 1];
            d->schools[j - 1] = t;
        }
    add_insp(d, 1, "张三", "莲都区");
    add_insp(d, 2, "李四", "莲都区");
    add_insp(d, 3, "王五", "青田县");
    add_insp(d, 4, "赵六", "缙云县");
    add_insp(d, 5, "钱七", "遂昌县");
    add_insp(d, 6, "孙八", "龙泉市");
}

#define VECTOR_BEACON "  中国福利彩票双色球 2026138 期（2026-12-01 开奖）：03 07 12 19 25 31 + 09 \n"

static void vector_seed(uint8_t seed[32])
{
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
}

/* Find a file from the repository root or the build folder. */
static const char *find_data(const char *rel, char *buf, size_t cap)
{
    const char *pre[] = {"", "../", "../../"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(buf, cap, "%s%s", pre[i], rel);
        if (xa_path_exists(buf))
            return buf;
    }
    return NULL;
}

/* Canonical bytes of a draw's plan file. */
static char *canon(const struct xa_draw *d)
{
    json_t *j = NULL;
    xa_buf b = XA_BUF_INIT;
    assert_int_equal(xa_draw_to_json(d, &j, NULL), XA_OK);
    assert_int_equal(xa_json_canonical(j, &b, NULL), XA_OK);
    json_decref(j);
    return xa_buf_steal(&b);
}

/* Same plan + seed + beacon → the committed vector, byte for byte. */
static void fixed_vector(void **state)
{
    (void)state;
    struct xa_draw d;
    uint8_t seed[32];
    xa_err err;
    vector_plan(&d);
    vector_seed(seed);
    assert_int_equal(xa_draw_commit(&d, seed, &err), XA_OK);
    assert_int_equal(xa_draw_reveal(&d, seed, VECTOR_BEACON, &err), XA_OK);
    assert_string_equal(d.beacon, "中国福利彩票双色球 2026138 期（2026-12-01 开奖）：03 07 12 19 25 31 + 09");
    assert_int_equal(d.nasg, 6);
    char *mine = canon(&d);

    const char *out = getenv("XA_DRAW_WRITE_VECTOR");
    if (out) {
        json_t *j = NULL;
        assert_int_equal(xa_draw_to_json(&d, &j, NULL), XA_OK);
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
        xa_buf b = XA_BUF_INIT;
        xa_buf_printf(&b, "%s\n", text);
        assert_int_equal(xa_write_atomic(out, b.data, b.len, NULL), XA_OK);
        xa_buf_clear(&b);
        free(text);
        json_decref(j);
    }

    char path[256];
    assert_non_null(find_data("tests/data/draw/vector.json", path, sizeof path));
    xa_buf file = XA_BUF_INIT;
    assert_int_equal(xa_read_file(path, XA_DRAW_FILE_MAX, &file, &err), XA_OK);
    struct xa_draw v;
    if (xa_draw_parse(file.data, file.len, &v, &err) != XA_OK)
        fail_msg("%s", err.msg);
    char *theirs = canon(&v);
    assert_string_equal(mine, theirs);
    assert_int_equal(xa_draw_verify(&v, &err), XA_OK);
    /* The published commitment of the vector (docs/draw.md quotes it). */
    assert_string_equal(v.commitment, d.commitment);
    free(mine);
    free(theirs);
    xa_buf_clear(&file);
    xa_draw_clear(&v);
    xa_draw_clear(&d);
}

/* Weights honoured: 10,000 single draws from one seed with beacons 0..9999;
 * the first pick's frequencies against weight/total, chi-square below the
 * 0.001 critical value for 7 degrees of freedom (24.32). */
static void weights_honoured(void **state)
{
    (void)state;
    struct xa_draw d;
    base(&d, "random", 1, 1);
    d.p.boost_days = 90;
    /* weights: key 3, weak 2, normal 1; unvisited (never, or 90+ days) x2 */
    add_school(&d, "A1", "甲一", "莲都区", XA_TIER_KEY, "2026-11-30");   /* 3 */
    add_school(&d, "A2", "甲二", "莲都区", XA_TIER_KEY, NULL);           /* 6 */
    add_school(&d, "B1", "乙一", "青田县", XA_TIER_WEAK, "2026-10-01");  /* 2 */
    add_school(&d, "B2", "乙二", "青田县", XA_TIER_WEAK, "2026-09-01");  /* 4: 91 days */
    add_school(&d, "C1", "丙一", "缙云县", XA_TIER_NORMAL, "2026-11-01"); /* 1 */
    add_school(&d, "C2", "丙二", "缙云县", XA_TIER_NORMAL, "2026-09-02"); /* 1: 90 days */
    add_school(&d, "C3", "丙三", "缙云县", XA_TIER_NORMAL, NULL);         /* 2 */
    add_school(&d, "C4", "丙四", "缙云县", XA_TIER_NORMAL, "2020-01-01"); /* 2 */
    add_insp(&d, 1, "张三", "莲都区");
    static const unsigned w[] = {3, 6, 2, 4, 1, 2, 2, 2};
    /* C2: 2026-12-01 minus 2026-09-02 is 90 days: boosted too. */
    unsigned total = 0;
    for (size_t i = 0; i < 8; i++)
        total += w[i];
    uint8_t seed[32];
    vector_seed(seed);
    xa_err err;
    assert_int_equal(xa_draw_commit(&d, seed, &err), XA_OK);
    unsigned long count[8] = {0};
    const unsigned trials = 10000;
    for (unsigned t = 0; t < trials; t++) {
        char beacon[32], rnd[65];
        struct xa_draw_assignment *a = NULL;
        size_t n = 0;
        snprintf(beacon, sizeof beacon, "%u", t);
        assert_int_equal(xa_draw_compute(&d, seed, beacon, rnd, &a, &n, &err), XA_OK);
        assert_int_equal(n, 1);
        count[a[0].school]++;
        xa_draw_assignments_free(a, n);
    }
    double chi = 0;
    for (size_t i = 0; i < 8; i++) {
        double e = (double)trials * w[i] / total;
        double diff = (double)count[i] - e;
        chi += diff * diff / e;
        print_message("%s weight %u: %lu (expected %.0f)\n", d.schools[i].code, w[i], count[i],
                      e);
    }
    print_message("chi-square %.2f (bound 24.32, 7 degrees of freedom, p = 0.001)\n", chi);
    assert_true(chi < 24.32);
    /* And it is not trivially uniform: the weight-6 row beats the weight-1 row. */
    assert_true(count[1] > 4 * count[4]);
    xa_draw_clear(&d);
}

/* Weight 0 excludes a tier; drawing every school of positive weight works. */
static void zero_weight(void **state)
{
    (void)state;
    struct xa_draw d;
    base(&d, "special", 2, 1);
    d.p.weights[XA_TIER_NORMAL] = 0;
    add_school(&d, "A", "甲", "莲都区", XA_TIER_NORMAL, NULL);
    add_school(&d, "B", "乙", "莲都区", XA_TIER_KEY, NULL);
    add_school(&d, "C", "丙", "莲都区", XA_TIER_WEAK, NULL);
    add_insp(&d, 1, "张三", NULL);
    uint8_t seed[32];
    vector_seed(seed);
    xa_err err;
    for (int t = 0; t < 50; t++) {
        seed[0] = (uint8_t)t;
        assert_int_equal(xa_draw_commit(&d, seed, &err), XA_OK);
        char rnd[65];
        struct xa_draw_assignment *a = NULL;
        size_t n = 0;
        assert_int_equal(xa_draw_compute(&d, seed, "b", rnd, &a, &n, &err), XA_OK);
        assert_int_equal(n, 2);
        assert_true(a[0].school != 0 && a[1].school != 0 && a[0].school != a[1].school);
        xa_draw_assignments_free(a, n);
    }
    xa_draw_clear(&d);
}

/* Over many seeds: nobody inspects a school of their own county, teams have
 * K different people, each school is drawn once; for random draws the load
 * differs by at most one between inspectors. */
static void constraints_hold(void **state)
{
    (void)state;
    for (int kind = 0; kind < 2; kind++) {
        struct xa_draw d;
        base(&d, kind ? "random" : "cross", 12, 3);
        for (int i = 0; i < 40; i++) {
            char code[16], name[32];
            snprintf(code, sizeof code, "S%03d", i);
            snprintf(name, sizeof name, "学校%d", i);
            add_school(&d, code, name, counties[(i * 7) % 4], i % 3, i % 2 ? NULL : "2026-01-01");
        }
        static const char *const home[] = {"莲都区", "莲都区", "莲都区", "青田县", "缙云县",
                                           "遂昌县", "遂昌县", "龙泉市", "云和县"};
        for (unsigned j = 0; j < 9; j++) {
            char name[16];
            snprintf(name, sizeof name, "督查员%u", j);
            add_insp(&d, j, name, home[j]);
        }
        uint8_t seed[32];
        xa_err err;
        unsigned spread = 0;
        for (unsigned t = 0; t < 400; t++) {
            for (int b = 0; b < 32; b++)
                seed[b] = (uint8_t)(t * 31 + b * 7 + (unsigned)kind);
            assert_int_equal(xa_draw_commit(&d, seed, &err), XA_OK);
            char rnd[65], beacon[16];
            snprintf(beacon, sizeof beacon, "t%u", t);
            struct xa_draw_assignment *a = NULL;
            size_t n = 0;
            assert_int_equal(xa_draw_compute(&d, seed, beacon, rnd, &a, &n, &err), XA_OK);
            assert_int_equal(n, 12);
            unsigned load[9] = {0};
            for (size_t k = 0; k < n; k++) {
                for (size_t q = 0; q < k; q++)
                    assert_true(a[q].school != a[k].school);
                for (size_t m = 0; m < 3; m++) {
                    size_t j = a[k].team[m];
                    assert_true(j < 9);
                    load[j]++;
                    for (size_t q = 0; q < m; q++)
                        assert_true(a[k].team[q] != j);
                    if (!kind)
                        assert_string_not_equal(d.insp[j].county, d.schools[a[k].school].county);
                }
            }
            unsigned lo = 99, hi = 0;
            for (size_t j = 0; j < 9; j++) {
                lo = load[j] < lo ? load[j] : lo;
                hi = load[j] > hi ? load[j] : hi;
            }
            if (kind)
                assert_true(hi - lo <= 1);
            else if (hi - lo > spread)
                spread = hi - lo;
            /* No single replacement of a member by an allowed inspector
             * outside the team would even the loads further. */
            for (size_t k = 0; k < n; k++)
                for (size_t m = 0; m < 3; m++)
                    for (size_t j = 0; j < 9; j++) {
                        size_t i = a[k].team[m];
                        int inteam = a[k].team[0] == j || a[k].team[1] == j || a[k].team[2] == j;
                        int ok = kind || strcmp(d.insp[j].county, d.schools[a[k].school].county);
                        assert_false(!inteam && ok && load[j] + 2 <= load[i]);
                    }
            xa_draw_assignments_free(a, n);
        }
        if (!kind) {
            /* 9 inspectors, 12 schools x 3: 4 each when balanced; three
             * live in one county, so a cross draw cannot always reach it. */
            print_message("cross: largest load spread over 400 seeds: %u\n", spread);
        }
        xa_draw_clear(&d);
    }
}

/* Parse a plan text and verify it: XA_OK only when both succeed. */
static xa_code parse_verify(const char *text, xa_err *err)
{
    struct xa_draw d;
    xa_code c = xa_draw_parse(text, strlen(text), &d, err);
    if (c != XA_OK)
        return c;
    c = xa_draw_verify(&d, err);
    xa_draw_clear(&d);
    return c;
}

/* Alter one leaf of v in place so that it stays the same JSON type where
 * that is possible; returns 0 when there is no leaf number `want`. */
static int mutate(json_t *v, size_t want, size_t *seen)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        json_object_foreach(v, k, m) {
            if (json_is_object(m) || json_is_array(m)) {
                if (mutate(m, want, seen))
                    return 1;
            } else if ((*seen)++ == want) {
                if (json_is_string(m)) {
                    const char *s = json_string_value(m);
                    size_t len = strlen(s);
                    char *t = xa_strdup(s);
                    /* Flip a digit or letter the way a careful forger would. */
                    char *p = len ? t + len - 1 : NULL;
                    if (p && *p >= '0' && *p <= '8')
                        (*p)++;
                    else if (p && *p == '9')
                        *p = '0';
                    else if (!strcmp(s, "normal") || !strcmp(s, "weak") || !strcmp(s, "key")) {
                        free(t);
                        t = xa_strdup(strcmp(s, "key") ? "key" : "weak");
                    } else if (!strcmp(s, "cross") || !strcmp(s, "random")) {
                        free(t);
                        t = xa_strdup(strcmp(s, "cross") ? "cross" : "special");
                    } else {
                        free(t);
                        t = xa_asprintf("%sX", s);
                    }
                    json_object_set_new(v, k, json_string(t));
                    free(t);
                } else if (json_is_integer(m)) {
                    json_object_set_new(v, k, json_integer(json_integer_value(m) + 1));
                } else {
                    json_object_set_new(v, k, json_string("2026-01-01"));
                }
                return 1;
            }
        }
        return 0;
    }
    size_t i;
    json_t *m;
    json_array_foreach(v, i, m) {
        if (json_is_object(m) || json_is_array(m)) {
            if (mutate(m, want, seen))
                return 1;
        } else if ((*seen)++ == want) {
            const char *s = json_string_value(m);
            char *t = s ? xa_asprintf("%.*s%c", (int)strlen(s) - 1, s,
                                      s[strlen(s) - 1] == '1' ? '2' : '1')
                        : xa_strdup("x");
            json_array_set_new(v, i, json_string(t));
            free(t);
            return 1;
        }
    }
    return 0;
}

/* Every edited leaf, a dropped or swapped row, another seed: not 通过. */
static void verify_detects_edits(void **state)
{
    (void)state;
    struct xa_draw d;
    uint8_t seed[32];
    xa_err err;
    vector_plan(&d);
    vector_seed(seed);
    assert_int_equal(xa_draw_commit(&d, seed, &err), XA_OK);
    assert_int_equal(xa_draw_reveal(&d, seed, VECTOR_BEACON, &err), XA_OK);
    json_t *orig = NULL;
    assert_int_equal(xa_draw_to_json(&d, &orig, NULL), XA_OK);
    char *text = json_dumps(orig, JSON_COMPACT);
    assert_int_equal(parse_verify(text, &err), XA_OK);
    free(text);

    size_t leaves = 0, caught = 0;
    for (size_t want = 0;; want++) {
        json_t *copy = json_deep_copy(orig);
        size_t seen = 0;
        if (!mutate(copy, want, &seen)) {
            json_decref(copy);
            break;
        }
        leaves++;
        text = json_dumps(copy, JSON_COMPACT);
        xa_code c = parse_verify(text, &err);
        if (c == XA_OK)
            print_message("edit of leaf %zu not detected: %s\n", want, text);
        caught += c != XA_OK;
        free(text);
        json_decref(copy);
    }
    print_message("%zu of %zu edited fields detected\n", caught, leaves);
    assert_true(leaves > 150);
    assert_int_equal(caught, leaves);

    /* A row dropped, two rows swapped, an inspector dropped. */
    const char *arrays[] = {"schools", "schools", "inspectors"};
    for (int t = 0; t < 3; t++) {
        json_t *copy = json_deep_copy(orig);
        json_t *rows = json_object_get(json_object_get(copy, "plan"), arrays[t]);
        if (t == 1) {
            json_t *a = json_incref(json_array_get(rows, 0));
            json_array_set(rows, 0, json_array_get(rows, 1));
            json_array_set_new(rows, 1, a);
        } else {
            json_array_remove(rows, json_array_size(rows) - 1);
        }
        text = json_dumps(copy, JSON_COMPACT);
        assert_int_not_equal(parse_verify(text, &err), XA_OK);
        print_message("row edit %d: %s\n", t, err.msg);
        free(text);
        json_decref(copy);
    }

    /* Another seed with the same plan: the commitment no longer matches. */
    d.seed[5] ^= 1;
    assert_int_equal(xa_draw_verify(&d, &err), XA_EDIFF);
    assert_non_null(strstr(err.msg, "commitment differs"));
    d.seed[5] ^= 1;
    /* Another team in an assignment: named as the first difference. */
    size_t t0 = d.asg[2].team[0];
    d.asg[2].team[0] = d.asg[2].team[1];
    d.asg[2].team[1] = t0;
    assert_int_equal(xa_draw_verify(&d, &err), XA_EDIFF);
    assert_non_null(strstr(err.msg, "assignment 3 ("));
    d.asg[2].team[1] = d.asg[2].team[0];
    d.asg[2].team[0] = t0;
    assert_int_equal(xa_draw_verify(&d, &err), XA_OK);
    /* Revealing with the wrong seed is refused. */
    struct xa_draw e;
    vector_plan(&e);
    assert_int_equal(xa_draw_commit(&e, seed, &err), XA_OK);
    seed[0] ^= 1;
    assert_int_equal(xa_draw_reveal(&e, seed, "x", &err), XA_EDIFF);
    xa_draw_clear(&e);
    json_decref(orig);
    xa_draw_clear(&d);
}

/* Expect xa_draw_check to refuse with one line containing want. */
static void expect_infeasible(struct xa_draw *d, const char *want)
{
    xa_err err;
    uint8_t seed[32] = {0};
    assert_int_not_equal(xa_draw_commit(d, seed, &err), XA_OK);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, want));
    assert_null(strchr(err.msg, '\n'));
    xa_draw_clear(d);
}

static void infeasible(void **state)
{
    (void)state;
    struct xa_draw d;
    /* More schools than the pool. */
    base(&d, "random", 3, 1);
    add_school(&d, "A", "甲", "莲都区", 0, NULL);
    add_school(&d, "B", "乙", "莲都区", 0, NULL);
    add_insp(&d, 1, "张三", NULL);
    expect_infeasible(&d, "infeasible: 3 schools to draw but only 2");
    /* A weight of 0 shrinks the pool. */
    base(&d, "random", 2, 1);
    d.p.weights[XA_TIER_WEAK] = 0;
    add_school(&d, "A", "甲", "莲都区", XA_TIER_NORMAL, NULL);
    add_school(&d, "B", "乙", "莲都区", XA_TIER_WEAK, NULL);
    add_insp(&d, 1, "张三", NULL);
    expect_infeasible(&d, "only 1 in the pool");
    /* Teams larger than the inspectors. */
    base(&d, "random", 1, 3);
    add_school(&d, "A", "甲", "莲都区", 0, NULL);
    add_insp(&d, 1, "张三", NULL);
    add_insp(&d, 2, "李四", NULL);
    expect_infeasible(&d, "teams of 3 but only 2 inspectors");
    /* Cross: a school whose county has all but one inspector. */
    base(&d, "cross", 1, 2);
    add_school(&d, "A", "甲", "莲都区", 0, NULL);
    add_school(&d, "B", "乙", "青田县", 0, NULL);
    add_insp(&d, 1, "张三", "莲都区");
    add_insp(&d, 2, "李四", "莲都区");
    add_insp(&d, 3, "王五", "青田县");
    expect_infeasible(&d, "school A 甲 (莲都区) could be drawn but only 1 inspectors");
    base(&d, "cross", 1, 1);
    add_school(&d, "A", "甲", "莲都区", 0, NULL);
    add_insp(&d, 1, "张三", "青田县");
    add_insp(&d, 2, "李四", NULL);
    expect_infeasible(&d, "inspector 李四");
    /* Fields. */
    base(&d, "random", 1, 1);
    add_school(&d, "A", "甲", "莲都区", 0, NULL);
    add_school(&d, "A", "乙", "莲都区", 0, NULL);
    add_insp(&d, 1, "张三", NULL);
    expect_infeasible(&d, "school A is listed twice");
    base(&d, "joint", 1, 1);
    add_school(&d, "A", "甲", "莲都区", 0, NULL);
    add_insp(&d, 1, "张三", NULL);
    expect_infeasible(&d, "kind must be");
}

static void beacon_rules(void **state)
{
    (void)state;
    char *b = NULL;
    xa_err err;
    assert_int_equal(xa_draw_beacon_normalise(" \t 03 07 12 \r\n", &b, &err), XA_OK);
    assert_string_equal(b, "03 07 12");
    free(b);
    assert_int_equal(xa_draw_beacon_normalise("  \n", &b, &err), XA_EUSAGE);
    assert_int_equal(xa_draw_beacon_normalise("a\nb", &b, &err), XA_EFORMAT);
    assert_int_equal(xa_draw_beacon_normalise("\xff", &b, &err), XA_EFORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_vector),         cmocka_unit_test(weights_honoured),
        cmocka_unit_test(zero_weight),          cmocka_unit_test(constraints_hold),
        cmocka_unit_test(verify_detects_edits), cmocka_unit_test(infeasible),
        cmocka_unit_test(beacon_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
