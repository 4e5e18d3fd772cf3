/* test_roster.c — the school roster: the sample file, the accepted spellings
 * (Chinese labels, 是/否), every validation problem with its line and
 * column, profiles, search, and the JSON round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>

#include "helpers/problems_fx.h"
#include "xiaoan/county.h"
#include "xiaoan/csvtab.h"
#include "xiaoan/forms.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/roster.h"

#define HDR "code,name,county,type,boarding,canteen,lab,bus,students,address,pinyin\n"

/* Parse a roster from a string. */
static xa_code parse(const char *csv, xa_roster **r, xa_problems *p)
{
    xa_roster *tmp = NULL;
    xa_err err;
    xa_code c = xa_roster_parse("r.csv", csv, strlen(csv), &tmp, p, &err);
    if (r)
        *r = tmp;
    else
        xa_roster_free(tmp);
    return c;
}

/* Expect a problem at line:col containing want. */
static void expect_problem(const char *csv, size_t line, size_t col, const char *want)
{
    xa_problems p = XA_PROBLEMS_INIT;
    xa_roster *r = NULL;
    assert_int_equal(parse(csv, &r, &p), XA_EFORMAT);
    assert_null(r);
    if (fx_has_problem(&p, line, col, want)) {
        xa_problems_clear(&p);
        return;
    }
    fx_dump_problems(&p);
    fail_msg("wanted %zu:%zu: %s", line, col, want);
}

/* Parse a roster that must be valid. */
static xa_roster *must_parse(const char *csv)
{
    xa_problems p = XA_PROBLEMS_INIT;
    xa_roster *r = NULL;
    if (parse(csv, &r, &p) != XA_OK) {
        fx_dump_problems(&p);
        fail();
    }
    xa_problems_clear(&p);
    return r;
}

/* The sample roster shipped in docs/examples. */
static void sample(void **state)
{
    (void)state;
    const char *paths[] = {"docs/examples/roster.csv", "../docs/examples/roster.csv",
                           "../../docs/examples/roster.csv"};
    const char *path = NULL;
    for (size_t i = 0; i < sizeof paths / sizeof *paths && !path; i++)
        if (xa_path_exists(paths[i]))
            path = paths[i];
    if (!path)
        skip();
    xa_roster *r = NULL;
    xa_problems p = XA_PROBLEMS_INIT;
    xa_err err;
    if (xa_roster_load(path, &r, &p, &err) != XA_OK) {
        fx_dump_problems(&p);
        fail_msg("%s", err.msg);
    }
    assert_true(r->n >= 50 && r->n <= 80);
    /* Every type, 市直 and all nine county-level divisions of Lishui. */
    int types[XA_SCHOOL_NTYPES] = {0};
    int seen[XA_NCOUNTIES] = {0};
    for (size_t i = 0; i < r->n; i++) {
        const xa_school *s = &r->schools[i];
        types[s->type]++;
        int rank = xa_county_rank(s->county);
        assert_true(rank < XA_NCOUNTIES);
        assert_string_equal(s->county, xa_county_at((size_t)rank)->name);
        seen[rank]++;
        assert_true(strlen(s->pinyin) > 0);
        assert_true(s->students > 0);
    }
    for (int t = 0; t < XA_SCHOOL_NTYPES; t++)
        assert_true(types[t] > 0);
    for (int c = 0; c < XA_NCOUNTIES; c++)
        assert_true(seen[c] > 0);
    const xa_school *s = NULL;
    for (size_t i = 0; i < r->n && !s; i++)
        if (!strcmp(r->schools[i].name, "莲都区实验小学"))
            s = &r->schools[i];
    assert_non_null(s);
    assert_string_equal(s->pinyin, "ldqsyxx");
    assert_true(xa_school_matches(s, "ldqsyxx"));
    assert_ptr_equal(xa_roster_find(r, s->code), s);
    assert_int_equal(s->line, 3); /* after the comment and the header */
    xa_roster_free(r);
}

static void spellings(void **state)
{
    (void)state;
    xa_roster *r = must_parse(
        "\xEF\xBB\xBF# 虚构 / fictional\r\n"
        "Pinyin,Students,BUS,Lab,canteen,boarding,Type,County,Name,Code\r\n"
        "ABC,1200,是,否,是,否,九年一贯制,莲都区,甲校,S-1\r\n"
        ",,y,n,true,false,complete,龙泉市,乙校,S-2\r\n"
        "\r\n"
        "bcd,0,1,0,YES,No,幼儿园,青田县,\"丙校, 分园\",s3\r\n");
    assert_int_equal(r->n, 3);
    const xa_school *a = &r->schools[0];
    assert_string_equal(a->code, "S-1");
    assert_int_equal(a->type, XA_SCHOOL_NINE_YEAR);
    assert_int_equal(a->bus, 1);
    assert_int_equal(a->lab, 0);
    assert_int_equal(a->canteen, 1);
    assert_int_equal(a->boarding, 0);
    assert_int_equal(a->students, 1200);
    assert_string_equal(a->pinyin, "abc"); /* upper case is lowered */
    assert_string_equal(a->address, "");   /* absent optional column */
    assert_int_equal(a->line, 3);
    const xa_school *b = &r->schools[1];
    assert_int_equal(b->type, XA_SCHOOL_COMPLETE);
    assert_int_equal(b->students, -1);
    assert_int_equal(b->bus + b->canteen, 2);
    assert_int_equal(b->lab + b->boarding, 0);
    const xa_school *c = &r->schools[2];
    assert_string_equal(c->name, "丙校, 分园");
    assert_int_equal(c->students, 0);
    assert_int_equal(c->line, 6);

    /* Profiles. */
    assert_int_equal(xa_school_profile(a), XA_PF_PRIMARY | XA_PF_JUNIOR | XA_PF_CANTEEN | XA_PF_BUS);
    assert_int_equal(xa_school_profile(b), XA_PF_JUNIOR | XA_PF_SENIOR | XA_PF_CANTEEN | XA_PF_BUS);
    assert_int_equal(xa_school_profile(c), XA_PF_KINDERGARTEN | XA_PF_BUS | XA_PF_CANTEEN);

    /* Search. */
    assert_true(xa_school_matches(a, ""));
    assert_true(xa_school_matches(a, "AB"));
    assert_true(xa_school_matches(a, "s-1"));
    assert_true(xa_school_matches(a, "甲"));
    assert_true(xa_school_matches(a, "莲都"));
    assert_false(xa_school_matches(a, "xyz"));
    assert_null(xa_roster_find(r, "S-9"));
    xa_roster_free(r);

    /* Only the required columns. */
    r = must_parse("code,name,county,type\n1,丁校,缙云县,higher\n");
    assert_int_equal(r->schools[0].type, XA_SCHOOL_HIGHER);
    assert_int_equal(r->schools[0].boarding, 0);
    xa_roster_free(r);
}

/* Applicability of a form's items to schools from a roster. */
static void with_forms(void **state)
{
    (void)state;
    static const char form[] =
        "section,code,type,text,severity,applies\n"
        "a,A-1,check,everyone,general,\n"
        "a,A-2,check,dorms,major,boarding\n"
        "a,A-3,check,little ones,general,kindergarten\n"
        "a,A-4,check,chem,major,lab;senior\n";
    xa_form *f = NULL;
    assert_int_equal(xa_form_parse("f.csv", form, strlen(form), NULL, &f, NULL, NULL), XA_OK);
    assert_string_equal(f->id, "f");
    xa_roster *r = must_parse(HDR "1,幼,莲都区,幼儿园,否,是,否,否,300,,\n"
                                  "2,寄,莲都区,九年一贯制,是,是,否,是,400,,\n"
                                  "3,高,莲都区,高中,否,是,否,否,2000,,\n"
                                  "4,职,莲都区,中职,否,是,是,否,1500,,\n");
    size_t want[] = {2, 2, 2, 2};
    size_t idx[4];
    for (size_t i = 0; i < r->n; i++) {
        size_t n = xa_form_applicable(f, xa_school_profile(&r->schools[i]), idx);
        assert_int_equal(n, want[i]);
        assert_int_equal(idx[0], 0);
    }
    assert_int_equal(xa_form_applicable(f, xa_school_profile(&r->schools[0]), idx), 2);
    assert_int_equal(idx[1], 2);
    assert_int_equal(xa_form_applicable(f, xa_school_profile(&r->schools[1]), idx), 2);
    assert_int_equal(idx[1], 1);
    assert_int_equal(xa_form_applicable(f, xa_school_profile(&r->schools[2]), idx), 2);
    assert_int_equal(idx[1], 3);
    assert_int_equal(xa_form_applicable(f, xa_school_profile(&r->schools[3]), idx), 2);
    assert_int_equal(idx[1], 3);
    xa_roster_free(r);
    xa_form_free(f);
}

static void problems(void **state)
{
    (void)state;
    expect_problem("", 1, 1, "file is empty");
    expect_problem("# only a comment\n", 1, 1, "file is empty");
    expect_problem(HDR, 1, 1, "roster has no schools");
    expect_problem("code,name,county\n1,甲,莲都区\n", 1, 1, "missing required column 'type'");
    expect_problem("code,name,county,type,phone\n1,甲,莲都区,小学,123\n", 1, 5,
                   "unknown column 'phone'");
    expect_problem(HDR "1,甲,莲都区,大学,否,是,否,否,1,,\n", 2, 4, "unknown school type '大学'");
    expect_problem(HDR "1,甲,莲都区,,否,是,否,否,1,,\n", 2, 4, "type is empty");
    expect_problem(HDR "1,甲,莲都区,小学,maybe,是,否,否,1,,\n", 2, 5,
                   "boarding 'maybe' is not yes or no");
    expect_problem(HDR "1,甲,莲都区,小学,否,是,否,2,1,,\n", 2, 8, "bus '2'");
    expect_problem(HDR "1,甲,莲都区,小学,否,是,否,否,-5,,\n", 2, 9, "students '-5'");
    expect_problem(HDR "1,甲,莲都区,小学,否,是,否,否,\"1,200\",,\n", 2, 9, "students '1,200'");
    expect_problem(HDR "1,甲,莲都区,小学,否,是,否,否,9999999,,\n", 2, 9, "not a whole number");
    expect_problem(HDR "1,甲,莲都区,小学,否,是,否,否,1,,ld qs\n", 2, 11, "pinyin 'ld qs'");
    expect_problem(HDR "1,甲,莲都区,小学,否,是,否,否,1,,莲都\n", 2, 11, "only hold");
    expect_problem(HDR "1,,莲都区,小学,否,是,否,否,1,,\n", 2, 2, "name is empty");
    expect_problem(HDR "1,甲,,小学,否,是,否,否,1,,\n", 2, 3, "county is empty");
    expect_problem(HDR ",甲,莲都区,小学,否,是,否,否,1,,\n", 2, 1, "code is empty");
    expect_problem(HDR "3311 02,甲,莲都区,小学,否,是,否,否,1,,\n", 2, 1,
                   "school code '3311 02'");
    expect_problem(HDR "1,甲,莲都区,小学,否,是,否,否,1,,\n"
                       "2,乙,莲都区,小学,否,是,否,否,1,,\n"
                       "1,丙,莲都区,小学,否,是,否,否,1,,\n",
                   4, 1, "duplicate school code '1' (first on line 2)");
    expect_problem(HDR "1,甲,莲都区,小学,否,是,否,否,1\n", 2, 10, "row has 9 fields");
    expect_problem(HDR "1,甲\xC0,莲都区,小学,否,是,否,否,1,,\n", 2, 2, "invalid UTF-8");
    expect_problem(HDR "1,\"甲\"乙,莲都区,小学,否,是,否,否,1,,\n", 2, 2, "misplaced quote");
    /* Comments only before the header. */
    expect_problem(HDR "# not a comment,甲,莲都区,小学,否,是,否,否,1,,\n", 2, 1, "school code");

    /* Several problems, each its own. */
    xa_problems p = XA_PROBLEMS_INIT;
    assert_int_equal(parse(HDR "1,,莲都区,x,?,是,否,否,a,,\n", NULL, &p), XA_EFORMAT);
    assert_int_equal(p.n, 4);
    char *s = xa_problem_str(&p.v[0]);
    assert_string_equal(s, "r.csv:2:2: name is empty");
    free(s);
    xa_problems_clear(&p);

    xa_roster *r = NULL;
    xa_err err;
    assert_int_equal(xa_roster_load("/nonexistent/roster.csv", &r, &p, &err), XA_EIO);
    assert_int_equal(p.n, 0);
}

static void json(void **state)
{
    (void)state;
    xa_roster *r = must_parse(HDR "3311020001,莲都区实验小学,莲都区,小学,否,是,是,否,2150,"
                                  "\"莲都区紫金街道丽阳街18号\",ldqsyxx\n"
                                  "3311020002,某校,莲都区,special,1,1,0,1,,,\n");
    for (size_t i = 0; i < r->n; i++) {
        const xa_school *s = &r->schools[i];
        json_t *j = xa_school_to_json(s);
        assert_string_equal(json_string_value(json_object_get(j, "type")), "school");
        xa_buf b = XA_BUF_INIT;
        assert_int_equal(xa_json_canonical(j, &b, NULL), XA_OK);
        json_t *back = NULL;
        assert_int_equal(xa_json_parse(b.data, b.len, XA_JSON_MAX_DEPTH, &back, NULL), XA_OK);
        xa_school t;
        xa_err err;
        if (xa_school_from_json(back, &t, &err) != XA_OK)
            fail_msg("%s", err.msg);
        assert_string_equal(t.code, s->code);
        assert_string_equal(t.name, s->name);
        assert_string_equal(t.county, s->county);
        assert_int_equal(t.type, s->type);
        assert_int_equal(t.boarding, s->boarding);
        assert_int_equal(t.canteen, s->canteen);
        assert_int_equal(t.lab, s->lab);
        assert_int_equal(t.bus, s->bus);
        assert_int_equal(t.students, s->students);
        assert_string_equal(t.address, s->address);
        assert_string_equal(t.pinyin, s->pinyin);
        assert_int_equal(t.line, 0);
        json_t *again = xa_school_to_json(&t);
        assert_true(json_equal(again, j));
        json_decref(again);
        xa_school_clear(&t);
        json_decref(back);
        json_decref(j);
        xa_buf_clear(&b);
    }

    /* Bad JSON schools are refused with the CSV's messages. */
    json_t *good = xa_school_to_json(&r->schools[0]);
    struct {
        const char *key;
        json_t *val; /* NULL: delete the key */
        const char *want;
    } cases[] = {
        {"school_type", json_string("大学"), "field 'school_type': unknown school type"},
        {"school_type", json_string("九年一贯制"), NULL},
        {"boarding", json_string("yes"), "field 'boarding' has the wrong type"},
        {"students", json_integer(-1), "field 'students': students '-1'"},
        {"students", json_string("5"), "wrong type"},
        {"pinyin", json_string("ld-qs"), "field 'pinyin'"},
        {"code", json_string(""), "code is empty"},
        {"name", json_string("a\033[2Jb"), "control character"},
        {"colour", json_string("red"), "unknown field 'colour'"},
        {"county", NULL, "missing field 'county'"},
        {"type", json_string("form"), "must be \"school\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *bad = json_deep_copy(good);
        if (cases[i].val)
            json_object_set_new(bad, cases[i].key, cases[i].val);
        else
            json_object_del(bad, cases[i].key);
        xa_school t;
        xa_err err;
        xa_code c = xa_school_from_json(bad, &t, &err);
        if (!cases[i].want) {
            assert_int_equal(c, XA_OK);
            xa_school_clear(&t);
        } else {
            assert_int_equal(c, XA_EFORMAT);
            if (!strstr(err.msg, cases[i].want))
                fail_msg("case %zu: %s", i, err.msg);
            assert_null(t.code);
        }
        json_decref(bad);
    }
    xa_school t;
    assert_int_equal(xa_school_from_json(json_object_get(good, "code"), &t, NULL), XA_EFORMAT);
    json_decref(good);
    xa_roster_free(r);
}

/* The county table: names, codes, order, short names, spellings. */
static void county_table(void **state)
{
    (void)state;
    static const char *const names[XA_NCOUNTIES] = {
        "市直", "莲都区", "青田县", "缙云县", "遂昌县", "松阳县", "云和县", "庆元县",
        "景宁畲族自治县", "龙泉市"};
    static const char *const codes[XA_NCOUNTIES] = {"331100", "331102", "331121", "331122",
                                                    "331123", "331124", "331125", "331126",
                                                    "331127", "331181"};
    for (size_t i = 0; i < XA_NCOUNTIES; i++) {
        const xa_county *c = xa_county_at(i);
        assert_string_equal(c->name, names[i]);
        assert_string_equal(c->code, codes[i]);
        assert_int_equal(xa_county_rank(c->name), (int)i);
        assert_ptr_equal(xa_county_find(c->abbr), c);
        assert_ptr_equal(xa_county_find(c->code), c);
        assert_ptr_equal(xa_county_find(c->pinyin), c);
        if (i)
            assert_true(strcmp(codes[i - 1], codes[i]) < 0); /* by code, 市直 first */
    }
    assert_null(xa_county_at(XA_NCOUNTIES));
    struct {
        const char *in, *want;
    } spell[] = {
        {"景宁", "景宁畲族自治县"}, {"景宁县", "景宁畲族自治县"}, {" 莲都 ", "莲都区"},
        {"莲都区", "莲都区"},       {"龙泉", "龙泉市"},           {"丽水市莲都区", "莲都区"},
        {"浙江省丽水市景宁县", "景宁畲族自治县"},                 {"市直属", "市直"},
        {"JingNing", "景宁畲族自治县"},                            {"331181", "龙泉市"},
        {"丽水市", NULL},           {"莲都县", NULL},             {"火星", NULL},
        {"", NULL},                 {"丽水", NULL},               {"3311", NULL},
    };
    for (size_t i = 0; i < sizeof spell / sizeof *spell; i++) {
        const char *got = xa_county_normalise(spell[i].in);
        if (!spell[i].want ? got != NULL : !got || strcmp(got, spell[i].want))
            fail_msg("'%s' -> %s", spell[i].in, got ? got : "NULL");
    }
    assert_null(xa_county_normalise(NULL));
    assert_string_equal(xa_county_abbr("景宁畲族自治县"), "景宁");
    assert_string_equal(xa_county_abbr("莲都区"), "莲都");
    assert_string_equal(xa_county_abbr("市直"), "市直");
    assert_string_equal(xa_county_abbr("外省"), "外省");
    assert_int_equal(xa_county_rank("火星"), XA_NCOUNTIES);
    assert_true(xa_county_cmp("市直", "莲都区") < 0);
    assert_true(xa_county_cmp("龙泉市", "景宁畲族自治县") > 0);
    assert_true(xa_county_cmp("景宁", "景宁畲族自治县") == 0);
    assert_true(xa_county_cmp("龙泉市", "火星") < 0);
    assert_true(xa_county_cmp("乙", "甲") != 0);
    assert_true(xa_county_cmp(NULL, "莲都区") > 0);
    assert_non_null(strstr(xa_county_names(), "景宁畲族自治县"));
}

/* The roster stores the full county name and refuses unknown ones. */
static void roster_counties(void **state)
{
    (void)state;
    xa_roster *r = must_parse(HDR "1,甲,景宁,小学,,,,,,,\n"
                                  "2,乙,莲都,小学,,,,,,,\n"
                                  "3,丙,市直,高中,,,,,,,\n"
                                  "4,丁,景宁县,幼儿园,,,,,,,\n");
    assert_string_equal(r->schools[0].county, "景宁畲族自治县");
    assert_string_equal(r->schools[1].county, "莲都区");
    assert_string_equal(r->schools[2].county, "市直");
    assert_string_equal(r->schools[3].county, "景宁畲族自治县");
    xa_roster_free(r);
    expect_problem(HDR "1,甲,莲都区,小学,,,,,,,\n2,乙,丽水县,小学,,,,,,,\n", 3, 3,
                   "unknown county '丽水县'");
    expect_problem("code,type,name,county\n1,小学,甲,杭州市\n", 2, 4, "unknown county '杭州市'");
    /* A school arriving as JSON is checked the same way. */
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:n,s:s,s:s}", "type", "school",
                          "code", "1", "name", "甲", "county", "景宁", "school_type", "primary",
                          "boarding", 0, "canteen", 0, "lab", 0, "bus", 0, "students", "address",
                          "", "pinyin", "");
    xa_school t;
    xa_err err;
    assert_int_equal(xa_school_from_json(o, &t, &err), XA_OK);
    assert_string_equal(t.county, "景宁畲族自治县");
    xa_school_clear(&t);
    json_object_set_new(o, "county", json_string("外省"));
    assert_int_equal(xa_school_from_json(o, &t, &err), XA_EFORMAT);
    assert_non_null(strstr(err.msg, "unknown county"));
    json_decref(o);
}


/* Round-two roster columns: 学校标识码, 民办, 附设幼儿班, boarders, tier,
 * the new types, and a GB18030 ("ANSI") file. */
static void new_columns(void **state)
{
    (void)state;
    xa_roster *r = must_parse(
        "code,name,county,type,boarding,students,school_id,private,kindergarten_class,boarders,tier\n"
        "1,甲校,莲都,十二年一贯制,是,1800,3433001234,是,否,600,重点\n"
        "2,乙点,景宁,教学点,否,30,,,是,,weak\n"
        "3,丙培训,市直,校外培训机构,否,,,yes,,,\n"
        "4,丁校,龙泉,小学,是,300,2133000001,,,,\n");
    const xa_school *a = &r->schools[0], *b = &r->schools[1], *c = &r->schools[2],
                    *d = &r->schools[3];
    assert_int_equal(a->type, XA_SCHOOL_TWELVE_YEAR);
    assert_string_equal(a->school_id, "3433001234");
    assert_int_equal(a->private_, 1);
    assert_int_equal(a->boarders, 600);
    assert_int_equal(a->tier, XA_TIER_KEY);
    assert_int_equal(xa_school_profile(a), XA_PF_PRIMARY | XA_PF_JUNIOR | XA_PF_SENIOR |
                                               XA_PF_BOARDING | XA_PF_PRIVATE);
    xa_facts fa = xa_school_facts(a);
    assert_int_equal(fa.students, 1800);
    assert_int_equal(fa.boarders, 600);
    assert_int_equal(b->type, XA_SCHOOL_TEACHING_POINT);
    assert_int_equal(b->tier, XA_TIER_WEAK);
    assert_int_equal(b->boarders, 0); /* not boarding: none */
    /* A kindergarten class makes kindergarten items apply (FB-06). */
    assert_int_equal(xa_school_profile(b), XA_PF_PRIMARY | XA_PF_KINDERGARTEN);
    assert_int_equal(c->type, XA_SCHOOL_TUTORING);
    assert_int_equal(xa_school_profile(c), XA_PF_TUTORING | XA_PF_PRIVATE);
    assert_int_equal(c->tier, XA_TIER_NORMAL);
    assert_int_equal(d->boarders, -1); /* boarding, number not given */
    assert_true(xa_school_matches(d, "2133000001"));
    /* The JSON carries them; a school without them (an older brief) still reads. */
    json_t *j = xa_school_to_json(a);
    xa_school t;
    xa_err err;
    assert_int_equal(xa_school_from_json(j, &t, &err), XA_OK);
    assert_string_equal(t.school_id, "3433001234");
    assert_int_equal(t.boarders, 600);
    assert_int_equal(t.tier, XA_TIER_KEY);
    assert_int_equal(t.private_, 1);
    xa_school_clear(&t);
    static const char *const later[] = {"school_id", "private", "kindergarten_class", "boarders",
                                        "tier"};
    for (size_t i = 0; i < sizeof later / sizeof *later; i++)
        json_object_del(j, later[i]);
    assert_int_equal(xa_school_from_json(j, &t, &err), XA_OK);
    assert_string_equal(t.school_id, "");
    assert_int_equal(t.boarders, -1);
    assert_int_equal(t.tier, XA_TIER_NORMAL);
    xa_school_clear(&t);
    json_object_set_new(j, "tier", json_string("vip"));
    assert_int_equal(xa_school_from_json(j, &t, &err), XA_EFORMAT);
    json_decref(j);
    xa_roster_free(r);
    xa_tier tr;
    assert_true(xa_tier_parse("薄弱", &tr) && tr == XA_TIER_WEAK);
    assert_string_equal(xa_tier_label(XA_TIER_KEY), "重点");
    assert_string_equal(xa_tier_key(XA_TIER_NORMAL), "normal");

#define H2 "code,name,county,type,boarding,students,school_id,boarders,tier\n"
    expect_problem(H2 "1,甲,莲都,小学,否,100,12345,,\n", 2, 7, "not a 学校标识码 (exactly 10 digits)");
    expect_problem(H2 "1,甲,莲都,小学,否,100,21330000AB,,\n", 2, 7, "not a 学校标识码");
    expect_problem(H2 "1,甲,莲都,小学,否,100,2133000001,,\n2,乙,莲都,小学,否,100,2133000001,,\n",
                   3, 7, "duplicate school_id '2133000001' (first on line 2)");
    expect_problem(H2 "1,甲,莲都,小学,否,100,,20,\n", 2, 8, "boarders is 20 but boarding is no");
    expect_problem(H2 "1,甲,莲都,小学,是,100,,200,\n", 2, 8, "boarders 200 is more than students 100");
    expect_problem(H2 "1,甲,莲都,小学,是,100,,many,\n", 2, 8, "boarders 'many' is not a whole number");
    expect_problem(H2 "1,甲,莲都,小学,是,100,,,vip\n", 2, 9, "unknown tier 'vip'");
}

/* A roster saved by Excel/WPS as "CSV" on a Chinese Windows (GB18030). */
static void gb18030_roster(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/xiaoan-roster.XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    /* 甲校 莲都区 小学 in GB18030. */
    const char csv[] = "code,name,county,type\r\n1,\xBC\xD7\xD0\xA3,\xC1\xAB\xB6\xBC\xC7\xF8,"
                       "\xD0\xA1\xD1\xA7\r\n";
    assert_int_equal(write(fd, csv, sizeof csv - 1), (ssize_t)(sizeof csv - 1));
    close(fd);
    xa_roster *r = NULL;
    xa_problems p = XA_PROBLEMS_INIT;
    xa_err err;
    if (xa_roster_load(tmpl, &r, &p, &err) != XA_OK) {
        fx_dump_problems(&p);
        fail_msg("%s", err.msg);
    }
    assert_int_equal(r->gb18030, 1);
    assert_string_equal(r->schools[0].name, "甲校");
    assert_string_equal(r->schools[0].county, "莲都区");
    assert_int_equal(r->schools[0].type, XA_SCHOOL_PRIMARY);
    xa_roster_free(r);
    /* The same in UTF-8 is not converted. */
    FILE *fp = fopen(tmpl, "wb");
    fputs("code,name,county,type\n1,甲校,莲都区,小学\n", fp);
    fclose(fp);
    assert_int_equal(xa_roster_load(tmpl, &r, &p, &err), XA_OK);
    assert_int_equal(r->gb18030, 0);
    xa_roster_free(r);
    unlink(tmpl);
    xa_problems_clear(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample),    cmocka_unit_test(spellings), cmocka_unit_test(with_forms),
        cmocka_unit_test(problems),  cmocka_unit_test(json),
        cmocka_unit_test(county_table), cmocka_unit_test(roster_counties),
        cmocka_unit_test(new_columns), cmocka_unit_test(gb18030_roster),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
