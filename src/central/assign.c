/* assign.c — the office side of draws and assignments (assign.h): the plan
 * built from the central store and committed with a fresh seed kept in the
 * store until the reveal, the reveal that turns it into assignments, the
 * assignments' state and their brief records.  The algorithm is draw.c's. */
#include "xiaoan/assign.h"

#include "xiaoan/central.h"
#include "xiaoan/clock.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/identity.h"
#include "xiaoan/ids.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

xa_code xa_draw_list_parse(const char *spec, const char *what, char ***out, size_t *n,
                           xa_err *err)
{
    char **v = NULL;
    size_t k = 0;
    const char *p = spec;
    for (;;) {
        /* items end at ',' or the full-width '，' (a whole UTF-8 sequence) */
        const char *next = p;
        while (*next && *next != ',' && strncmp(next, "，", strlen("，")) != 0)
            next++;
        size_t len = (size_t)(next - p);
        /* trim spaces around an item */
        const char *a = p, *b = p + len;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if (a == b) {
            for (size_t i = 0; i < k; i++)
                free(v[i]);
            free(v);
            return xa_fail(err, XA_EUSAGE, "an empty item in the %s list '%s'", what, spec);
        }
        v = xa_reallocarray(v, k + 1, sizeof *v);
        v[k++] = xa_strndup(a, (size_t)(b - a));
        if (!*next)
            break;
        p = next + (*next == ',' ? 1 : strlen("，"));
    }
    *out = v;
    *n = k;
    return XA_OK;
}

xa_code xa_draw_weights_parse(const char *spec, int64_t w[XA_DRAW_NTIERS], xa_err *err)
{
    char **items = NULL;
    size_t n = 0;
    xa_code c = xa_draw_list_parse(spec, "weights", &items, &n, err);
    for (size_t i = 0; i < n && c == XA_OK; i++) {
        char *eq = strchr(items[i], '=');
        xa_tier tier = XA_TIER_NORMAL;
        int known = 0;
        char *end = NULL;
        long long v = -1;
        if (eq) {
            *eq = 0;
            known = xa_tier_parse(items[i], &tier);
            v = strtoll(eq + 1, &end, 10);
        }
        if (!known || !end || end == eq + 1 || *end || v < 0 || v > XA_DRAW_WEIGHT_MAX)
            c = xa_fail(err, XA_EUSAGE,
                        "bad weight '%s' (want TIER=N with TIER 重点/薄弱/一般 or key/weak/normal, "
                        "N 0..%d)",
                        items[i], XA_DRAW_WEIGHT_MAX);
        else
            w[tier] = v;
    }
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    return c;
}

static int cmp_school(const void *a, const void *b)
{
    return strcmp(((const struct xa_draw_school *)a)->code,
                  ((const struct xa_draw_school *)b)->code);
}

static int cmp_insp(const void *a, const void *b)
{
    return strcmp(((const struct xa_draw_inspector *)a)->fingerprint,
                  ((const struct xa_draw_inspector *)b)->fingerprint);
}

static char **strv_dup(char *const *v, size_t n)
{
    char **o = xa_calloc(n + 1, sizeof *o);
    for (size_t i = 0; i < n; i++)
        o[i] = xa_strdup(v[i]);
    return o;
}

/* The pool: schools of the counties asked for, with tier and last visit. */
static xa_code pool_from_store(xa_cstore *s, struct xa_draw *d, xa_err *err)
{
    struct xa_clastvisit *lv = NULL;
    size_t nlv = 0;
    char **codes = NULL, **tiers = NULL;
    size_t nt = 0;
    xa_code c = xa_cstore_last_visits(s, &lv, &nlv, err);
    if (c == XA_OK)
        c = xa_cstore_school_tiers(s, &codes, &tiers, &nt, err);
    if (c != XA_OK)
        goto done;
    d->schools = xa_calloc(nlv + 1, sizeof *d->schools);
    for (size_t i = 0; i < nlv; i++) {
        size_t k = 0;
        if (d->p.ncounties) {
            while (k < d->p.ncounties && strcmp(d->p.counties[k], lv[i].county) != 0)
                k++;
            if (k == d->p.ncounties)
                continue;
        }
        struct xa_draw_school *r = &d->schools[d->nschools++];
        r->code = xa_strdup(lv[i].code);
        r->name = xa_strdup(lv[i].name);
        r->county = xa_strdup(lv[i].county);
        xa_tier tier = XA_TIER_NORMAL;
        for (size_t t = 0; t < nt; t++)
            if (!strcmp(codes[t], lv[i].code) && !xa_tier_parse(tiers[t], &tier))
                tier = XA_TIER_NORMAL;
        r->tier = (int)tier;
        if (lv[i].last) {
            char date[XA_DATE_MAX];
            xa_date_format(xa_date_of(lv[i].last_at, XA_CST_OFFSET), date);
            r->last_visit = xa_strdup(date);
        }
    }
    if (!d->nschools)
        c = xa_fail(err, XA_ENOTFOUND, "no schools in the roster%s (xiaoan central schools)",
                    d->p.ncounties ? " of those counties" : "");
    else
        qsort(d->schools, d->nschools, sizeof *d->schools, cmp_school);
done:
    xa_clastvisits_free(lv, nlv);
    xa_strv_free(codes, nt);
    xa_strv_free(tiers, nt);
    return c;
}

/* The inspectors asked for (every active one when none is named). */
static xa_code insp_from_store(xa_cstore *s, const struct xa_draw_request *r, struct xa_draw *d,
                               xa_err *err)
{
    struct xa_inspector *all = NULL;
    size_t nall = 0;
    xa_code c = xa_cstore_inspectors(s, &all, &nall, err);
    if (c != XA_OK)
        return c;
    d->insp = xa_calloc(nall + 1, sizeof *d->insp);
    for (size_t i = 0; i < nall && c == XA_OK; i++) {
        int want = !r->ninspectors;
        for (size_t k = 0; k < r->ninspectors && !want; k++) {
            char fp[XA_FP_MAX];
            want = xa_fingerprint_normalize(r->inspectors[k], fp, NULL) == XA_OK &&
                   !strcmp(fp, all[i].fingerprint);
        }
        if (!want)
            continue;
        if (all[i].revoked) {
            if (r->ninspectors)
                c = xa_fail(err, XA_ESTATE, "inspector %s %s was revoked", all[i].name,
                            all[i].fingerprint);
            continue;
        }
        struct xa_draw_inspector *in = &d->insp[d->ninsp++];
        in->fingerprint = xa_strdup(all[i].fingerprint);
        in->name = xa_strdup(all[i].name);
        if (c == XA_OK)
            c = xa_cstore_inspector_county(s, all[i].fingerprint, &in->county, err);
    }
    /* every named inspector must be enrolled */
    for (size_t k = 0; k < r->ninspectors && c == XA_OK; k++) {
        char fp[XA_FP_MAX];
        if ((c = xa_fingerprint_normalize(r->inspectors[k], fp, err)) != XA_OK)
            break;
        size_t i = 0;
        while (i < nall && strcmp(all[i].fingerprint, fp) != 0)
            i++;
        if (i == nall)
            c = xa_fail(err, XA_ENOTFOUND, "inspector %s is not enrolled", fp);
    }
    xa_inspectors_free(all, nall);
    if (c == XA_OK && !d->ninsp)
        c = xa_fail(err, XA_ENOTFOUND, "no active inspectors (xiaoan central enroll)");
    if (c == XA_OK)
        qsort(d->insp, d->ninsp, sizeof *d->insp, cmp_insp);
    return c;
}

/* Every named form must be imported. */
static xa_code forms_known(xa_cstore *s, char *const *ids, size_t n, xa_err *err)
{
    struct xa_cform *f = NULL;
    size_t nf = 0;
    xa_code c = xa_cstore_forms(s, 1, &f, &nf, err);
    for (size_t i = 0; i < n && c == XA_OK; i++) {
        size_t k = 0;
        while (k < nf && strcmp(f[k].id, ids[i]) != 0)
            k++;
        if (k == nf)
            c = xa_fail(err, XA_ENOTFOUND, "unknown form '%s' (xiaoan central forms)", ids[i]);
    }
    xa_cforms_free(f, nf);
    return c;
}

/* The plan file's bytes: indented JSON with a final newline. */
static xa_code plan_text(const struct xa_draw *d, xa_buf *out, xa_err *err)
{
    json_t *j = NULL;
    xa_code c = xa_draw_to_json(d, &j, err);
    if (c != XA_OK)
        return c;
    char *t = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(j);
    if (!t)
        return xa_fail(err, XA_EFORMAT, "cannot write the plan as JSON");
    xa_buf_puts(out, t);
    xa_buf_putc(out, '\n');
    free(t);
    return XA_OK;
}

xa_code xa_office_draw_plan(xa_cstore *s, const struct xa_draw_request *r, const char *path,
                            struct xa_draw *d, xa_err *err)
{
    memset(d, 0, sizeof *d);
    if (xa_path_exists(path))
        return xa_fail(err, XA_EEXIST, "%s exists already (a plan is never written over)", path);
    xa_identity *office = NULL;
    xa_code c = xa_office_public(s, &office, err);
    if (c != XA_OK)
        return c;
    char id[XA_ID_HEX], now[XA_RFC3339_MAX], today[XA_DATE_MAX];
    xa_random_id(id);
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    xa_date_format(xa_today(), today);
    d->id = xa_strdup(id);
    d->created = xa_strdup(now);
    d->as_of = xa_strdup(today);
    d->office_name = xa_strdup(office->name);
    d->office_fp = xa_strdup(office->fingerprint);
    xa_identity_free(office);
    d->p.schools = r->schools;
    d->p.counties = strv_dup(r->counties, r->ncounties);
    d->p.ncounties = r->ncounties;
    memcpy(d->p.weights, r->weights, sizeof d->p.weights);
    d->p.boost_days = r->boost_days;
    d->p.kind = xa_strdup(r->kind);
    d->p.forms = strv_dup(r->forms, r->nforms);
    d->p.nforms = r->nforms;
    d->p.team = r->team;
    d->p.due = r->due ? xa_strdup(r->due) : NULL;
    int64_t due;
    if (r->due && (c = xa_date_parse(r->due, &due, err)) == XA_OK && due < xa_today())
        c = xa_fail(err, XA_EUSAGE, "due date %s is in the past", r->due);
    if (c == XA_OK)
        c = forms_known(s, r->forms, r->nforms, err);
    if (c == XA_OK)
        c = pool_from_store(s, d, err);
    if (c == XA_OK)
        c = insp_from_store(s, r, d, err);
    if (c != XA_OK)
        goto fail;

    uint8_t *seed = xa_secret_alloc(XA_DRAW_SEED_BYTES);
    char *seedhex = xa_secret_alloc(2 * XA_DRAW_SEED_BYTES + 1);
    randombytes_buf(seed, XA_DRAW_SEED_BYTES);
    xa_hex_encode(seed, XA_DRAW_SEED_BYTES, seedhex);
    uint8_t ph[32];
    char phex[65];
    xa_buf text = XA_BUF_INIT;
    xa_outfile kept;
    memset(&kept, 0, sizeof kept);
    kept.fd = -1;
    if ((c = xa_draw_commit(d, seed, err)) == XA_OK &&
        (c = xa_draw_plan_hash(d, ph, err)) == XA_OK && (c = plan_text(d, &text, err)) == XA_OK) {
        xa_hex_encode(ph, 32, phex);
        struct xa_cdraw row = {d->id, d->commitment, seedhex, phex, d->p.kind, d->created,
                               NULL, NULL};
        char *summary = xa_asprintf("draw %s planned: %lld %s schools of %zu, %zu inspectors, "
                                    "commitment %s",
                                    d->id, (long long)d->p.schools, d->p.kind, d->nschools,
                                    d->ninsp, d->commitment);
        if ((c = xa_cstore_begin(s, err)) == XA_OK) {
            /* a new file, never over one (not even one made since the check) */
            if ((c = xa_cstore_draw_add(s, &row, err)) == XA_OK)
                c = xa_write_new(path, text.data, text.len, 0, &kept, err);
            if ((c = xa_cstore_end(s, c, "central draw plan", summary, err)) != XA_OK)
                xa_out_unpublish(&kept); /* only the file this call wrote */
            xa_out_clear(&kept);
        }
        free(summary);
    }
    xa_buf_clear(&text);
    xa_secret_free(seed);
    xa_secret_free(seedhex);
    if (c == XA_OK)
        return XA_OK;
fail:
    xa_draw_clear(d);
    return c;
}

/* Store the assignments of a revealed draw. */
static xa_code store_assignments(xa_cstore *s, const struct xa_draw *d, const char *now,
                                 xa_err *err)
{
    xa_buf forms = XA_BUF_INIT;
    for (size_t i = 0; i < d->p.nforms; i++)
        xa_buf_printf(&forms, "%s%s", i ? "," : "", d->p.forms[i]);
    xa_code c = XA_OK;
    char **team = xa_calloc((size_t)d->p.team, sizeof *team);
    for (size_t k = 0; k < d->nasg && c == XA_OK; k++) {
        for (size_t m = 0; m < (size_t)d->p.team; m++)
            team[m] = d->insp[d->asg[k].team[m]].fingerprint;
        struct xa_cassign a;
        memset(&a, 0, sizeof a);
        a.id = d->asg[k].id;
        a.draw = d->id;
        a.school = d->schools[d->asg[k].school].code;
        a.kind = d->p.kind;
        a.due = d->p.due;
        a.forms = forms.data ? forms.data : "";
        a.created = now;
        a.team = team;
        a.nteam = (size_t)d->p.team;
        c = xa_cstore_assign_add(s, &a, err);
    }
    free(team);
    xa_buf_clear(&forms);
    return c;
}

xa_code xa_office_draw_reveal(xa_cstore *s, const char *path, const char *beacon,
                              struct xa_draw *d, xa_err *err)
{
    memset(d, 0, sizeof *d);
    xa_buf orig = XA_BUF_INIT, text = XA_BUF_INIT;
    struct xa_cdraw row;
    memset(&row, 0, sizeof row);
    uint8_t *seed = xa_secret_alloc(XA_DRAW_SEED_BYTES);
    xa_code c = xa_read_file(path, XA_DRAW_FILE_MAX, &orig, err);
    if (c == XA_OK && (c = xa_draw_parse(orig.data, orig.len, d, err)) != XA_OK)
        xa_err_prefix(err, "%s is not a draw plan (nothing written)", path);
    if (c != XA_OK)
        goto done;
    if (d->revealed) {
        c = xa_fail(err, XA_ESTATE, "%s is revealed already (xiaoan draw verify %s)", path, path);
        goto done;
    }
    if ((c = xa_cstore_draw_get(s, d->id, &row, err)) == XA_ENOTFOUND)
        c = xa_fail(err, XA_ENOTFOUND, "%s is a plan of another store (draw %s is not here)",
                    path, d->id);
    if (c != XA_OK)
        goto done;
    if (strcmp(row.commitment, d->commitment) != 0) {
        c = xa_fail(err, XA_EDIFF, "%s: its commitment is not the one this store made", path);
        goto done;
    }
    if (row.revealed) {
        c = xa_fail(err, XA_ESTATE, "draw %s was revealed on %s already", d->id, row.revealed);
        goto done;
    }
    if ((c = xa_hex_decode(row.seed, seed, XA_DRAW_SEED_BYTES, err)) != XA_OK ||
        (c = xa_draw_reveal(d, seed, beacon, err)) != XA_OK || (c = plan_text(d, &text, err)))
        goto done;
    char now[XA_RFC3339_MAX];
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    char *summary = xa_asprintf("draw %s revealed with beacon '%s': %zu assignments", d->id,
                                d->beacon, d->nasg);
    int written = 0;
    if ((c = xa_cstore_begin(s, err)) == XA_OK) {
        if ((c = store_assignments(s, d, now, err)) == XA_OK &&
            (c = xa_cstore_draw_reveal(s, d->id, d->beacon, err)) == XA_OK &&
            (c = xa_write_atomic(path, text.data, text.len, err)) == XA_OK)
            written = 1;
        c = xa_cstore_end(s, c, "central draw reveal", summary, err);
        if (c != XA_OK && written) /* put the unrevealed plan back: the store has no assignments */
            xa_write_atomic(path, orig.data, orig.len, NULL);
    }
    free(summary);
done:
    xa_secret_free(seed);
    xa_cdraw_clear(&row);
    xa_buf_clear(&orig);
    xa_buf_clear(&text);
    if (c != XA_OK)
        xa_draw_clear(d);
    return c;
}

xa_code xa_office_inspector_county(xa_cstore *s, const char *fingerprint, const char *county,
                                   xa_err *err)
{
    char *summary = xa_asprintf("inspector %s home county %s", fingerprint, county);
    xa_code c = xa_cstore_begin(s, err);
    if (c == XA_OK)
        c = xa_cstore_end(s, xa_cstore_inspector_county_set(s, fingerprint, county, err),
                          "central inspector", summary, err);
    free(summary);
    return c;
}

const char *xa_assign_state_on(const struct xa_cassign *a, int64_t today)
{
    if (a->visit)
        return "done";
    int64_t due;
    if (a->due && xa_date_parse(a->due, &due, NULL) == XA_OK && today > due)
        return "overdue";
    return "open";
}

const char *xa_assign_state_label(const char *state)
{
    if (!strcmp(state, "done"))
        return "已完成";
    if (!strcmp(state, "overdue"))
        return "逾期";
    return "待完成";
}

xa_code xa_assign_brief_records(xa_cstore *s, const char *inspector, json_t *recs, size_t *n,
                                xa_err *err)
{
    struct xa_cassign *a = NULL;
    size_t na = 0;
    xa_code c = xa_cstore_assigns(s, inspector, 1, &a, &na, err);
    if (c != XA_OK)
        return c;
    for (size_t i = 0; i < na; i++) {
        json_t *forms = json_array(), *team = json_array();
        char **f = NULL;
        size_t nf = 0;
        if (*a[i].forms && xa_draw_list_parse(a[i].forms, "forms", &f, &nf, NULL) == XA_OK) {
            for (size_t k = 0; k < nf; k++) {
                json_array_append_new(forms, json_string(f[k]));
                free(f[k]);
            }
            free(f);
        }
        for (size_t m = 0; m < a[i].nteam; m++)
            json_array_append_new(team, json_pack("{s:s, s:s}", "name", a[i].team_names[m],
                                                  "fingerprint", a[i].team[m]));
        char *note = xa_asprintf("抽签 %.8s", a[i].draw);
        json_array_append_new(recs, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s}", "type",
                                              "assignment", "id", a[i].id, "school", a[i].school,
                                              "kind", a[i].kind, "due",
                                              a[i].due ? json_string(a[i].due) : json_null(),
                                              "forms", forms, "team", team, "note", note));
        free(note);
    }
    *n = na;
    xa_cassigns_free(a, na);
    return XA_OK;
}

/* The day of an RFC 3339 time in China Standard Time, or -1. */
static int64_t day_of(const char *t)
{
    int64_t at;
    int off;
    return t && xa_time_parse(t, &at, &off, NULL) == XA_OK ? xa_date_of(at, XA_CST_OFFSET) : -1;
}

xa_code xa_assign_tally(xa_cstore *s, int64_t from, int64_t to, struct xa_assign_tally **out,
                        size_t *n, xa_err *err)
{
    struct xa_cassign *a = NULL;
    size_t na = 0, k = 0;
    xa_code c = xa_cstore_assigns(s, NULL, 0, &a, &na, err);
    if (c != XA_OK)
        return c;
    struct xa_assign_tally *v = xa_calloc(na + 1, sizeof *v);
    for (size_t i = 0; i < na; i++) {
        int64_t due = -1, done = day_of(a[i].done);
        if (!a[i].due || xa_date_parse(a[i].due, &due, NULL) != XA_OK)
            due = -1;
        int64_t when = due >= 0 ? due : day_of(a[i].created);
        if (when < from || when > to)
            continue;
        size_t j = 0;
        while (j < k && strcmp(v[j].county, a[i].county) != 0)
            j++;
        if (j == k) {
            /* keep the rows ordered by county name */
            while (j > 0 && strcmp(v[j - 1].county, a[i].county) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            memset(&v[j], 0, sizeof v[j]);
            v[j].county = xa_strdup(a[i].county);
            k++;
        }
        v[j].total++;
        int is_done = a[i].visit && done >= 0 && done <= to;
        v[j].done += is_done;
        v[j].overdue += !is_done && due >= 0 && due < to;
    }
    xa_cassigns_free(a, na);
    *out = v;
    *n = k;
    return XA_OK;
}

void xa_assign_tally_free(struct xa_assign_tally *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].county);
    free(v);
}
