/* roster.c — the school roster: one validator for a school row, used for
 * the CSV and for schools arriving as JSON; profiles, lookup, search
 * (roster.h). */
#include "xiaoan/roster.h"

#include "xiaoan/county.h"

#include "xiaoan/fsutil.h"
#include "xiaoan/i18n.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    R_CODE, R_NAME, R_COUNTY, R_TYPE, R_BOARDING, R_CANTEEN,
    R_LAB, R_BUS, R_STUDENTS, R_ADDRESS, R_PINYIN,
    R_SCHOOL_ID, R_PRIVATE, R_KCLASS, R_BOARDERS, R_TIER, R_NCOLS
};
static const xa_csv_col roster_cols[R_NCOLS] = {
    {"code", 1},      {"name", 1},    {"county", 1},   {"type", 1},
    {"boarding", 0},  {"canteen", 0}, {"lab", 0},      {"bus", 0},
    {"students", 0},  {"address", 0}, {"pinyin", 0},   {"school_id", 0},
    {"private", 0},   {"kindergarten_class", 0},       {"boarders", 0},
    {"tier", 0},
};
/* The first column that is optional in a school's JSON (older briefs). */
#define R_FIRST_OPTIONAL R_SCHOOL_ID
_Static_assert(R_NCOLS == XA_SCHOOL_NMEMBERS && R_FIRST_OPTIONAL == XA_SCHOOL_FIRST_OPTIONAL,
               "roster.h names the school members in column order");

static const char *const tier_keys[] = {"normal", "weak", "key"};
static const char *const tier_labels[] = {"一般", "薄弱", "重点"};

/* Key of a tier. */
const char *xa_tier_key(xa_tier t)
{
    return (unsigned)t <= XA_TIER_KEY ? tier_keys[t] : "?";
}

/* Chinese label of a tier. */
const char *xa_tier_label(xa_tier t)
{
    return (unsigned)t <= XA_TIER_KEY ? tier_labels[t] : "?";
}

/* A tier from its key or label. */
int xa_tier_parse(const char *s, xa_tier *out)
{
    for (int t = 0; t <= XA_TIER_KEY; t++)
        if (!strcasecmp(s, tier_keys[t]) || !strcmp(s, tier_labels[t])) {
            *out = (xa_tier)t;
            return 1;
        }
    return 0;
}

/* A yes/no cell: 1/0, yes/no, 是/否, y/n, true/false; empty is no.
 * Returns 0 when it is none of these. */
static int parse_flag(const char *s, int *out)
{
    static const char *const yes[] = {"1", "yes", "y", "true", "是"};
    static const char *const no[] = {"", "0", "no", "n", "false", "否"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!strcasecmp(s, yes[i])) {
            *out = 1;
            return 1;
        }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (!strcasecmp(s, no[i])) {
            *out = 0;
            return 1;
        }
    return 0;
}

/* Is s non-empty and made of ASCII letters, digits and '-'? */
static int code_ok(const char *s)
{
    if (!*s || strlen(s) > XA_SCHOOL_CODE_MAX)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              *s == '-'))
            return 0;
    return 1;
}

/* Check a non-empty required text column. */
static int need_text(const xa_csv_row *row, size_t c)
{
    if (*xa_csv_val(row, c) || !row->col[c])
        return 1;
    xa_csv_problem(row, c, "%s is empty", roster_cols[c].name);
    return 0;
}

/* Validate a school row; fills *s (owned strings) and returns 1 when
 * valid, records problems and returns 0 otherwise. */
static int check_school(const xa_csv_row *row, xa_school *s)
{
    char shown[160];
    int ok = 1;
    xa_school v;
    memset(&v, 0, sizeof v);
    const char *code = xa_csv_val(row, R_CODE);
    if (row->col[R_CODE] && !*code) {
        xa_csv_problem(row, R_CODE, "code is empty");
        ok = 0;
    } else if (row->col[R_CODE] && !code_ok(code)) {
        xa_csv_problem(row, R_CODE, "school code '%s' must be 1 to %d of A-Z, a-z, 0-9 and '-'",
                       xa_csv_show(code, shown, sizeof shown), XA_SCHOOL_CODE_MAX);
        ok = 0;
    }
    ok &= need_text(row, R_NAME);
    const char *county = xa_csv_val(row, R_COUNTY);
    const xa_county *cty = NULL;
    if (!need_text(row, R_COUNTY)) {
        ok = 0;
    } else if (row->col[R_COUNTY] && !(cty = xa_county_find(county))) {
        xa_csv_problem(row, R_COUNTY,
                       "unknown county '%s' (one of %s; short names such as 莲都 or 景宁 "
                       "are accepted)",
                       xa_csv_show(county, shown, sizeof shown), xa_county_names());
        ok = 0;
    }

    const char *type = xa_csv_val(row, R_TYPE);
    if (row->col[R_TYPE] && !*type) {
        xa_csv_problem(row, R_TYPE, "type is empty");
        ok = 0;
    } else if (row->col[R_TYPE] && !xa_school_type_parse(type, &v.type)) {
        xa_csv_problem(row, R_TYPE,
                       "unknown school type '%s' (kindergarten, primary, junior, senior, "
                       "nine-year, complete, vocational, special, higher, or 幼儿园, 小学, 初中, "
                       "高中, 九年一贯制, 完全中学, 中职, 特殊教育, 高校)",
                       xa_csv_show(type, shown, sizeof shown));
        ok = 0;
    }

    static const size_t flag_cols[] = {R_BOARDING, R_CANTEEN, R_LAB, R_BUS, R_PRIVATE, R_KCLASS};
    int *flags[] = {&v.boarding, &v.canteen, &v.lab, &v.bus, &v.private_, &v.kindergarten_class};
    for (size_t k = 0; k < sizeof flag_cols / sizeof *flag_cols; k++) {
        size_t c = flag_cols[k];
        const char *f = xa_csv_val(row, c);
        if (!parse_flag(f, flags[k])) {
            xa_csv_problem(row, c, "%s '%s' is not yes or no (1/0, yes/no, 是/否, y/n, true/false)",
                           roster_cols[c].name, xa_csv_show(f, shown, sizeof shown));
            ok = 0;
        }
    }

    const char *st = xa_csv_val(row, R_STUDENTS);
    v.students = -1;
    if (*st && !xa_csv_count(st, XA_STUDENTS_MAX, &v.students)) {
        xa_csv_problem(row, R_STUDENTS, "students '%s' is not a whole number from 0 to %ld",
                       xa_csv_show(st, shown, sizeof shown), XA_STUDENTS_MAX);
        ok = 0;
    }

    /* 寄宿生数: a number; more than none needs boarding = yes, and no more
     * than the students when both are known. */
    const char *bd = xa_csv_val(row, R_BOARDERS);
    v.boarders = -1;
    if (*bd && !xa_csv_count(bd, XA_STUDENTS_MAX, &v.boarders)) {
        xa_csv_problem(row, R_BOARDERS, "boarders '%s' is not a whole number from 0 to %ld",
                       xa_csv_show(bd, shown, sizeof shown), XA_STUDENTS_MAX);
        ok = 0;
    } else if (v.boarders > 0 && !v.boarding) {
        xa_csv_problem(row, R_BOARDERS, "boarders is %ld but boarding is no", v.boarders);
        ok = 0;
    } else if (v.boarders > 0 && v.students >= 0 && v.boarders > v.students) {
        xa_csv_problem(row, R_BOARDERS, "boarders %ld is more than students %ld", v.boarders,
                       v.students);
        ok = 0;
    }
    if (!v.boarding && v.boarders < 0)
        v.boarders = 0;

    /* 学校标识码: ten digits (2 类别 + 2 省 + 6 序号) where given. */
    const char *sid = xa_csv_val(row, R_SCHOOL_ID);
    int sid_ok = !*sid || strlen(sid) == XA_SCHOOL_ID_LEN;
    for (const char *p = sid; *p && sid_ok; p++)
        sid_ok = *p >= '0' && *p <= '9';
    if (!sid_ok) {
        xa_csv_problem(row, R_SCHOOL_ID, "school_id '%s' is not a 学校标识码 (exactly %d digits)",
                       xa_csv_show(sid, shown, sizeof shown), XA_SCHOOL_ID_LEN);
        ok = 0;
    }

    const char *tier = xa_csv_val(row, R_TIER);
    v.tier = XA_TIER_NORMAL;
    if (*tier && !xa_tier_parse(tier, &v.tier)) {
        xa_csv_problem(row, R_TIER, "unknown tier '%s' (重点/key, 薄弱/weak, 一般/normal)",
                       xa_csv_show(tier, shown, sizeof shown));
        ok = 0;
    }

    const char *py = xa_csv_val(row, R_PINYIN);
    int py_ok = strlen(py) <= XA_PINYIN_MAX;
    for (const char *p = py; *p && py_ok; p++)
        py_ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
    if (!py_ok) {
        xa_csv_problem(row, R_PINYIN,
                       "pinyin '%s' may only hold up to %d letters a-z (initials such as ldqsyxx)",
                       xa_csv_show(py, shown, sizeof shown), XA_PINYIN_MAX);
        ok = 0;
    }
    if (!ok)
        return 0;
    v.code = xa_strdup(code);
    v.name = xa_strdup(xa_csv_val(row, R_NAME));
    v.county = xa_strdup(cty ? cty->name : county);
    v.address = xa_strdup(xa_csv_val(row, R_ADDRESS));
    v.pinyin = xa_strdup(py);
    v.school_id = xa_strdup(sid);
    for (char *p = v.pinyin; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    v.line = row->line;
    *s = v;
    return 1;
}

/* Free the strings of a school. */
void xa_school_clear(xa_school *s)
{
    if (!s)
        return;
    free(s->code);
    free(s->name);
    free(s->county);
    free(s->address);
    free(s->pinyin);
    free(s->school_id);
    memset(s, 0, sizeof *s);
}

struct roster_ctx {
    xa_roster *r;
    size_t alloc;
    xa_csv_keys codes;
    xa_csv_keys ids; /* 学校标识码, unique where given */
};

/* Row callback for the roster. */
static void roster_row(void *ctx, const xa_csv_row *row)
{
    struct roster_ctx *rc = ctx;
    const char *code = xa_csv_val(row, R_CODE);
    if (code_ok(code))
        xa_csv_keys_add(&rc->codes, code, row->lines[R_CODE], row->col[R_CODE]);
    const char *sid = xa_csv_val(row, R_SCHOOL_ID);
    if (*sid)
        xa_csv_keys_add(&rc->ids, sid, row->lines[R_SCHOOL_ID], row->col[R_SCHOOL_ID]);
    xa_school s;
    if (!check_school(row, &s))
        return;
    if (rc->r->n == rc->alloc) {
        rc->alloc = rc->alloc ? rc->alloc * 2 : 64;
        rc->r->schools = xa_reallocarray(rc->r->schools, rc->alloc, sizeof *rc->r->schools);
    }
    rc->r->schools[rc->r->n++] = s;
}

/* Free a roster. */
void xa_roster_free(xa_roster *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        xa_school_clear(&r->schools[i]);
    free(r->schools);
    free(r);
}

/* Parse a roster CSV from memory. */
xa_code xa_roster_parse(const char *file, const char *bytes, size_t len, xa_roster **out,
                        xa_problems *probs, xa_err *err)
{
    xa_problems local = XA_PROBLEMS_INIT;
    xa_problems *pp = probs ? probs : &local;
    size_t from = xa_problems_count(pp);
    *out = NULL;
    struct roster_ctx rc;
    memset(&rc, 0, sizeof rc);
    rc.r = xa_calloc(1, sizeof *rc.r);
    if (len > XA_ROSTER_FILE_MAX) {
        xa_problem_add(pp, file, 1, 1, "file is larger than %u bytes", XA_ROSTER_FILE_MAX);
    } else {
        xa_csv_stats st;
        xa_csv_read(file, bytes, len, roster_cols, R_NCOLS, XA_CSV_COMMENTS, roster_row, &rc, pp,
                    &st);
        xa_csv_keys_check(&rc.codes, file, N_("school code"), pp);
        xa_csv_keys_check(&rc.ids, file, "school_id", pp);
        if (st.header_line && st.rows == 0)
            xa_problem_add(pp, file, st.header_line, 1, "roster has no schools");
    }
    xa_code c = XA_OK;
    if (xa_problems_count(pp) > from) {
        xa_problems_sort(pp, from);
        c = xa_problems_fail(pp, from, err);
        xa_roster_free(rc.r);
    } else {
        *out = rc.r;
    }
    xa_problems_clear(&local);
    return c;
}

/* Read and parse a roster file. */
xa_code xa_roster_load(const char *path, xa_roster **out, xa_problems *probs, xa_err *err)
{
    xa_buf b = XA_BUF_INIT;
    *out = NULL;
    xa_code c = xa_read_file(path, XA_ROSTER_FILE_MAX, &b, err);
    int gb = c == XA_OK && b.data && xa_csv_from_gb18030(b.data, b.len, &b);
    if (c == XA_OK)
        c = xa_roster_parse(path, b.data ? b.data : "", b.len, out, probs, err);
    if (c == XA_OK)
        (*out)->gb18030 = gb;
    xa_buf_clear(&b);
    return c;
}

/* The school with this code. */
const xa_school *xa_roster_find(const xa_roster *r, const char *code)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->schools[i].code, code))
            return &r->schools[i];
    return NULL;
}

/* The school's profile flags. */
xa_profile xa_school_profile(const xa_school *s)
{
    xa_profile p = xa_school_type_profile(s->type);
    if (s->boarding)
        p |= XA_PF_BOARDING;
    if (s->canteen)
        p |= XA_PF_CANTEEN;
    if (s->lab)
        p |= XA_PF_LAB;
    if (s->bus)
        p |= XA_PF_BUS;
    if (s->private_)
        p |= XA_PF_PRIVATE;
    if (s->kindergarten_class)
        p |= XA_PF_KINDERGARTEN;
    return p;
}

/* The numbers count rules need. */
xa_facts xa_school_facts(const xa_school *s)
{
    xa_facts f = {s->students, s->boarding ? s->boarders : 0};
    return f;
}

/* Is needle a substring of hay, ignoring ASCII case? */
static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return n == 0;
}

/* Does the school match a typed query? */
int xa_school_matches(const xa_school *s, const char *query)
{
    return !*query || contains_nocase(s->code, query) || contains_nocase(s->name, query) ||
           contains_nocase(s->county, query) || contains_nocase(s->pinyin, query) ||
           (s->school_id && *s->school_id && contains_nocase(s->school_id, query));
}

/* The school as JSON. */
json_t *xa_school_to_json(const xa_school *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("school"));
    json_object_set_new(o, "code", json_string(s->code));
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "county", json_string(s->county));
    json_object_set_new(o, "school_type", json_string(xa_school_type_key(s->type)));
    json_object_set_new(o, "boarding", json_boolean(s->boarding));
    json_object_set_new(o, "canteen", json_boolean(s->canteen));
    json_object_set_new(o, "lab", json_boolean(s->lab));
    json_object_set_new(o, "bus", json_boolean(s->bus));
    json_object_set_new(o, "students", s->students >= 0 ? json_integer(s->students) : json_null());
    json_object_set_new(o, "address", json_string(s->address));
    json_object_set_new(o, "pinyin", json_string(s->pinyin));
    json_object_set_new(o, "school_id", json_string(s->school_id ? s->school_id : ""));
    json_object_set_new(o, "private", json_boolean(s->private_));
    json_object_set_new(o, "kindergarten_class", json_boolean(s->kindergarten_class));
    json_object_set_new(o, "boarders", s->boarders >= 0 ? json_integer(s->boarders) : json_null());
    json_object_set_new(o, "tier", json_string(xa_tier_key(s->tier)));
    return o;
}

/* A school from JSON, through the CSV row validator. */
const char *const xa_school_members[XA_SCHOOL_NMEMBERS] = {
    "code",     "name",    "county",  "school_type", "boarding",           "canteen",
    "lab",      "bus",     "students", "address",    "pinyin",             "school_id",
    "private",  "kindergarten_class",  "boarders",   "tier"};

enum xa_school_member_kind xa_school_member_kind(size_t i)
{
    if ((i >= R_BOARDING && i <= R_BUS) || i == R_PRIVATE || i == R_KCLASS)
        return XA_SM_FLAG;
    if (i == R_STUDENTS || i == R_BOARDERS)
        return XA_SM_NUMBER;
    return XA_SM_TEXT;
}

xa_code xa_school_from_texts(const char *const vals[XA_SCHOOL_NMEMBERS], xa_school *out,
                             xa_err *err)
{
    memset(out, 0, sizeof *out);
    const char *v[R_NCOLS];
    size_t col[R_NCOLS], lines[R_NCOLS];
    for (size_t i = 0; i < R_NCOLS; i++) {
        v[i] = vals[i];
        if (!v[i] && i >= R_FIRST_OPTIONAL)
            v[i] = ""; /* a brief from before these members */
        else if (!v[i])
            return xa_fail(err, XA_EFORMAT, "school JSON: missing field '%s'",
                           xa_school_members[i]);
        if (!xa_csv_text_ok(v[i]))
            return xa_fail(err, XA_EFORMAT, "school JSON: field '%s' holds a control character",
                           xa_school_members[i]);
        col[i] = i + 1;
        lines[i] = 1;
    }
    xa_problems probs = XA_PROBLEMS_INIT;
    xa_csv_row row = {"<json>", &probs, 1, v, col, lines};
    xa_code c = XA_OK;
    if (!check_school(&row, out))
        c = xa_fail(err, XA_EFORMAT, "school JSON, field '%s': %s",
                    xa_school_members[probs.v[0].col - 1], probs.v[0].msg);
    else
        out->line = 0;
    xa_problems_clear(&probs);
    return c;
}

xa_code xa_school_from_json(const json_t *obj, xa_school *out, xa_err *err)
{
    const char *const *member = xa_school_members;
    memset(out, 0, sizeof *out);
    if (!json_is_object(obj))
        return xa_fail(err, XA_EFORMAT, "school JSON is not an object");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        int known = !strcmp(k, "type");
        for (size_t c = 0; c < R_NCOLS && !known; c++)
            known = !strcmp(k, member[c]);
        if (!known)
            return xa_fail(err, XA_EFORMAT, "school JSON has an unknown field '%s'", k);
    }
    const char *type = NULL;
    if (xa_json_str(obj, "type", &type, NULL) != XA_OK || strcmp(type, "school") != 0)
        return xa_fail(err, XA_EFORMAT, "school JSON: field 'type' must be \"school\"");
    char *vals[R_NCOLS] = {0};
    xa_code c = XA_OK;
    for (size_t i = 0; i < R_NCOLS && c == XA_OK; i++) {
        json_t *m = json_object_get(obj, member[i]);
        enum xa_school_member_kind kind = xa_school_member_kind(i);
        if (!m)
            vals[i] = NULL; /* missing: xa_school_from_texts says whether it may be */
        else if (kind == XA_SM_FLAG && json_is_boolean(m))
            vals[i] = xa_strdup(json_is_true(m) ? "1" : "0");
        else if (kind == XA_SM_NUMBER && json_is_integer(m))
            vals[i] = xa_asprintf("%" JSON_INTEGER_FORMAT, json_integer_value(m));
        else if (kind == XA_SM_NUMBER && json_is_null(m))
            vals[i] = xa_strdup("");
        else if (kind == XA_SM_TEXT && json_is_string(m))
            vals[i] = xa_strdup(json_string_value(m));
        else
            c = xa_fail(err, XA_EFORMAT, "school JSON: field '%s' has the wrong type", member[i]);
    }
    if (c == XA_OK)
        c = xa_school_from_texts((const char *const *)vals, out, err);
    for (size_t i = 0; i < R_NCOLS; i++)
        free(vals[i]);
    return c;
}
