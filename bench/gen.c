/* gen.c — deterministic synthetic data for the benchmarks (bench.h): a
 * roster of Chinese school names in the counties of 丽水 with their pinyin
 * initials, a checklist of any size, and visits with about 60 answers, a
 * few hazards and follow-ups, built and sealed through the real APIs
 * (visit.h, via the test fixture central_fx.h).
 *
 * Everything is drawn from one splitmix64 PRNG, so the same seed gives the
 * same schools, forms, answers, hazards, ids and times.  What libsodium
 * draws (keys, nonces, age file keys) is fresh in each run; it changes no
 * count and no size. */
#include "bench.h"

#include "xiaoan/clock.h"
#include "xiaoan/field.h"
#include "xiaoan/fsutil.h"
#include "xiaoan/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG ---- */

void gen_seed(gen_rng *r, uint64_t seed)
{
    r->s = seed ^ 0x9e3779b97f4a7c15ull;
}

uint64_t gen_u64(gen_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t gen_below(gen_rng *r, uint32_t n)
{
    return n ? (uint32_t)(gen_u64(r) % n) : 0;
}

void gen_hex_id(gen_rng *r, char out[33])
{
    uint64_t a = gen_u64(r), b = gen_u64(r);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- schools ---- */

struct part {
    const char *zh, *py;
};

static const struct {
    const char *zh, *py, *code;
} counties[] = {
    {"莲都区", "ldq", "331102"}, {"青田县", "qtx", "331121"}, {"缙云县", "jyx", "331122"},
    {"遂昌县", "scx", "331123"}, {"松阳县", "syx", "331124"}, {"云和县", "yhx", "331125"},
    {"庆元县", "qyx", "331126"}, {"景宁畲族自治县", "jnszzzx", "331127"},
    {"龙泉市", "lqs", "331181"},
};

static const struct part towns[] = {
    {"城关镇", "cgz"},  {"新华镇", "xhz"},   {"东山镇", "dsz"},  {"西溪乡", "xxx"},
    {"南山镇", "nsz"},  {"北坑乡", "bkx"},   {"石门镇", "smz"},  {"大港头镇", "dgtz"},
    {"碧湖镇", "bhz"},  {"水南乡", "snx"},   {"黄田镇", "htz"},  {"白岩镇", "byz"},
    {"上垟镇", "syz"},  {"八都镇", "bdz"},   {"小顺镇", "xsz"},  {"竹垟乡", "zyx"},
    {"岭头乡", "ltx"},  {"双溪镇", "sxz"},   {"高坪乡", "gpx"},  {"安仁镇", "arz"},
    {"舒桥乡", "sqx"},  {"云峰镇", "yfz"},   {"紫金街道", "zjjd"}, {"万象街道", "wxjd"},
};

static const struct part mids[] = {
    {"中心", "zx"}, {"实验", "sy"}, {"第一", "dy"}, {"第二", "de"}, {"第三", "ds"},
    {"育才", "yc"}, {"明德", "md"}, {"希望", "xw"}, {"启明", "qm"}, {"民族", "mz"},
    {"阳光", "yg"}, {"新城", "xc"}, {"红星", "hx"}, {"光明", "gm"}, {"春晖", "ch"},
    {"树人", "sr"},
};

static const struct {
    const char *zh, *py, *type; /* name suffix, its initials, the roster's type */
    int boarding_pct;
} kinds[] = {
    {"小学", "xx", "小学", 15},           {"幼儿园", "yey", "幼儿园", 0},
    {"初级中学", "cjzx", "初中", 45},     {"九年一贯制学校", "jnygzxx", "九年一贯制", 40},
    {"中学", "zx", "完全中学", 60},       {"高级中学", "gjzx", "高中", 85},
    {"职业技术学校", "zyjsxx", "中职", 70},
};

static const char *const roads[] = {"人民路", "解放街", "丽阳街", "北苑路", "新民街", "中山路",
                                    "文化路", "学院路", "建设路", "府前路", "溪口路", "环城路"};

char *gen_roster_csv(uint64_t seed, size_t n, size_t *len)
{
    gen_rng r;
    gen_seed(&r, seed);
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "code,name,county,type,boarding,canteen,lab,bus,students,address,pinyin\n");
    size_t nt = N(towns), nm = N(mids), nk = N(kinds), nc = N(counties);
    if (n > nc * nt * nm * nk)
        b_die("at most %zu synthetic schools", nc * nt * nm * nk);
    size_t *per_county = xa_calloc(nc, sizeof *per_county);
    for (size_t i = 0; i < n; i++) {
        /* mixed radix: every school gets its own name */
        size_t c = i % nc, rest = i / nc;
        size_t t = rest % nt, m = (rest / nt) % nm, k = (rest / nt / nm) % nk;
        int boarding = (int)gen_below(&r, 100) < kinds[k].boarding_pct;
        int canteen = gen_below(&r, 100) < 85;
        int lab = k != 1 && gen_below(&r, 100) < 75;
        int bus = gen_below(&r, 100) < 20;
        unsigned students = 80 + gen_below(&r, k == 1 ? 400 : 2800);
        xa_buf_printf(&b, "%s%06zu,%s%s%s%s,%s,%s,%s,%s,%s,%s,%u,%s%s%s%u号,%s%s%s%s\n",
                      counties[c].code, ++per_county[c], counties[c].zh, towns[t].zh, mids[m].zh,
                      kinds[k].zh, counties[c].zh, kinds[k].type, boarding ? "是" : "否",
                      canteen ? "是" : "否", lab ? "是" : "否", bus ? "是" : "否", students,
                      counties[c].zh, towns[t].zh, roads[gen_below(&r, N(roads))],
                      1 + gen_below(&r, 300), counties[c].py, towns[t].py, mids[m].py,
                      kinds[k].py);
    }
    free(per_county);
    *len = b.len;
    return xa_buf_steal(&b);
}

/* ---- a checklist of any size ---- */

static const char *const places[] = {"教学楼", "学生宿舍", "食堂", "实验室", "图书馆", "体育馆",
                                     "配电房", "校门", "围墙", "操场", "锅炉房", "消防控制室",
                                     "报告厅", "地下车库", "校车停靠点", "危化品仓库"};
static const char *const objects[] = {"灭火器", "疏散指示标志", "应急照明", "室内消火栓",
                                      "安全出口", "电气线路", "燃气管道", "视频监控",
                                      "防护栏杆", "防滑设施", "防盗门窗", "一键报警装置",
                                      "防冲撞设施", "紧急广播", "烟感报警器", "配电箱"};
static const char *const conds[] = {
    "配置齐全、在有效期内，并有专人每月检查记录",
    "保持畅通，无杂物堵塞、无上锁或封闭",
    "完好有效，定期维护保养，故障能及时报修",
    "设置规范、标识清晰，位置符合设计要求",
    "有专人管理，台账完整，责任落实到岗位",
    "符合国家标准，未私拉乱接、无老化破损",
};

void gen_form_dir(const char *dir, uint64_t seed, const char *id, size_t nitems)
{
    gen_rng r;
    gen_seed(&r, seed);
    xa_err e;
    b_check(xa_mkdir_p(dir, 0700, &e), &e, dir);
    char *p = xa_asprintf("%s/index.csv", dir);
    char *idx = xa_asprintf("id,version,title,title_en,category,scope\n"
                            "%s,1,校园安全综合检查表（%zu项，基准测试）,"
                            "Campus safety checklist (%zu items; benchmark),general,\n",
                            id, nitems, nitems);
    b_write(p, idx, strlen(idx));
    free(p);
    free(idx);
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "section,code,type,text,text_en,severity,basis,hint,applies,min,max\n");
    for (size_t i = 0; i < nitems; i++) {
        const char *place = places[(i / 25) % N(places)];
        char section[96];
        snprintf(section, sizeof section, "第%zu部分 %s", i / 25 + 1, place);
        const char *obj = objects[gen_below(&r, N(objects))];
        const char *cond = conds[gen_below(&r, N(conds))];
        const char *applies = gen_below(&r, 100) < 5 ? "boarding" : "";
        if (i % 50 == 49) {
            xa_buf_printf(&b, "%s,BX-%04zu,text,记录%s%s的其他情况,Notes on item %zu,,"
                              "《中小学幼儿园安全管理办法》,如实记录,%s,,\n",
                          section, i + 1, place, obj, i + 1, applies);
        } else if (i % 20 == 19) {
            xa_buf_printf(&b, "%s,BX-%04zu,count,%s%s数量（具）,Count of item %zu,general,"
                              "《建筑灭火器配置设计规范》,逐一清点,%s,%u,%u\n",
                          section, i + 1, place, obj, i + 1, applies, 1 + gen_below(&r, 4),
                          20 + gen_below(&r, 60));
        } else {
            xa_buf_printf(&b, "%s,BX-%04zu,check,%s%s%s,Item %zu is in order,%s,"
                              "《中小学幼儿园安全管理办法》第%u条,现场查看并调阅记录,%s,,\n",
                          section, i + 1, place, obj, cond, i + 1,
                          gen_below(&r, 10) ? "general" : "major", 10 + gen_below(&r, 60),
                          applies);
        }
    }
    p = xa_asprintf("%s/%s.csv", dir, id);
    b_write(p, b.data, b.len);
    free(p);
    xa_buf_clear(&b);
}

/* ---- visits ---- */

void gen_world_init(gen_world *w, uint64_t seed, size_t nschools, const char *forms_dir)
{
    memset(w, 0, sizeof *w);
    gen_seed(&w->rng, seed);
    size_t len;
    char *csv = gen_roster_csv(seed + 1, nschools, &len);
    xa_err e;
    b_check(xa_roster_parse("synthetic-roster.csv", csv, len, &w->roster, NULL, &e), &e,
            "synthetic roster");
    free(csv);
    b_check(xa_form_set_load(forms_dir, &w->forms, NULL, &e), &e, forms_dir);
    /* 2026-09-01T08:00:00+08:00 */
    w->t = xa_days_from_civil(2026, 9, 1) * 86400 + 8 * 3600 - 8 * 3600;
}

void gen_world_free(gen_world *w)
{
    xa_roster_free(w->roster);
    xa_form_set_free(w->forms);
    memset(w, 0, sizeof *w);
}

const xa_school *gen_pick_school(gen_world *w)
{
    return &w->roster->schools[gen_below(&w->rng, (uint32_t)w->roster->n)];
}

static const char *const people[] = {"李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊",
                                     "吴敏", "周杰", "徐丽", "孙浩", "胡军", "朱琳", "高峰"};
static const char *const defects[] = {
    "部分已过期或压力不足，未见月度检查记录", "被杂物堵塞，通道宽度不足", "损坏未及时维修",
    "设置位置不符合要求，标识不清", "无专人管理，台账缺失", "线路老化，存在私拉乱接"};
static const char *const spots[] = {"一楼东侧走廊", "三楼楼梯间", "后厨操作间", "二号宿舍楼",
                                    "实验楼二楼", "校门口", "操场西侧", "配电房内"};
static const char *const measures[] = {"现场更换灭火器", "现场清理堵塞物", "现场拆除私拉电线",
                                       "现场补设标识"};
static const char *const verdicts[] = {"rectified", "rectified", "partly", "not-rectified",
                                       "unable"};

static void fmt_time(int64_t t, char out[XA_RFC3339_MAX])
{
    xa_time_format(t, XA_CST_OFFSET, out);
}

void gen_fill_visit(gen_world *w, json_t *doc, const json_t *followup_ids, json_t *new_hazards)
{
    gen_rng *r = &w->rng;
    /* the day's schedule: 1 to 6 hours after the last visit */
    w->t += 3600 + (int64_t)gen_below(r, 5 * 3600);
    int64_t arrived = w->t;
    char ts[XA_RFC3339_MAX];
    json_t *times = json_object_get(doc, "times");
    fmt_time(arrived - 1800, ts);
    json_object_set_new(times, "created", json_string(ts));
    fmt_time(arrived, ts);
    json_object_set_new(times, "arrived", json_string(ts));
    fmt_time(arrived + 600, ts);
    json_object_set_new(times, "first_site", json_string(ts));
    json_t *team = json_object_get(doc, "team");
    json_array_clear(team);
    for (uint32_t i = 0, n = 1 + gen_below(r, 2); i < n; i++)
        json_array_append_new(team, json_string(people[gen_below(r, N(people))]));

    /* forms in a random order until 60 items; answer the first 60 */
    const xa_form_set *fs = w->forms;
    size_t order[64], nf = fs->n < 64 ? fs->n : 64;
    for (size_t i = 0; i < nf; i++)
        order[i] = i;
    for (size_t i = nf; i > 1; i--) {
        size_t j = gen_below(r, (uint32_t)i), t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    const size_t want = 60;
    const xa_form *used[64];
    size_t nused = 0, items = 0;
    for (size_t i = 0; i < nf && items < want; i++) {
        const xa_form *f = fs->forms[order[i]];
        used[nused++] = f;
        items += f->nitems;
        fx_form(doc, f->id, f->version, f->hash_hex);
    }
    json_t *answers = json_object_get(doc, "answers");
    size_t nans = 0;
    const xa_item *cand[64];
    const xa_form *cand_f[64];
    size_t ncand = 0;
    for (size_t u = 0; u < nused && nans < want; u++) {
        const xa_form *f = used[u];
        for (size_t i = 0; i < f->nitems && nans < want; i++, nans++) {
            const xa_item *it = &f->items[i];
            uint32_t roll = gen_below(r, 100);
            const char *res = roll < 88 ? "pass" : roll < 97 ? "na" : "unchecked";
            json_t *a = xa_visit_answer_new(f->id, it->code, res);
            if (it->type == XA_ITEM_COUNT)
                json_object_set_new(a, "value", json_integer(2 + gen_below(r, 30)));
            else if (it->type == XA_ITEM_TEXT)
                json_object_set_new(a, "text", json_string("已查阅相关台账，情况正常"));
            if (gen_below(r, 10) == 0)
                json_object_set_new(a, "note", json_string("已现场查看并拍照留存"));
            json_array_append_new(answers, a);
            if (it->type != XA_ITEM_TEXT && ncand < N(cand)) {
                cand[ncand] = it;
                cand_f[ncand++] = f;
            }
        }
    }

    /* 0..5 hazards, 3 on average, each on an answered item */
    static const int dist[] = {0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 4, 3, 2, 4, 5, 3, 1, 3, 3};
    int nh = dist[gen_below(r, N(dist))];
    json_t *hazards = json_object_get(doc, "hazards");
    for (int h = 0; h < nh && ncand; h++) {
        size_t k = gen_below(r, (uint32_t)ncand);
        const xa_item *it = cand[k];
        const xa_form *f = cand_f[k];
        cand[k] = cand[--ncand];
        cand_f[k] = cand_f[ncand];
        /* the item's answer becomes a hazard */
        size_t i;
        json_t *a;
        json_array_foreach(answers, i, a)
        {
            if (!strcmp(json_string_value(json_object_get(a, "form")), f->id) &&
                !strcmp(json_string_value(json_object_get(a, "code")), it->code))
                json_object_set_new(a, "result", json_string("hazard"));
        }
        int onsite = gen_below(r, 5) == 0;
        const char *sev = it->severity == XA_SEV_MAJOR ? "major" : "general";
        char found[XA_RFC3339_MAX], deadline[XA_DATE_MAX];
        int64_t ft = arrived + 900 + (int64_t)gen_below(r, 5400);
        fmt_time(ft, found);
        xa_date_format(xa_date_of(ft, XA_CST_OFFSET) + (!strcmp(sev, "major") ? 15 : 30),
                       deadline);
        char *desc = xa_asprintf("%s：%s", it->text, defects[gen_below(r, N(defects))]);
        fx_hazard(doc, f->id, it->code, xa_category_key(f->category), sev, desc, found,
                  onsite || gen_below(r, 4) == 0 ? NULL : deadline, onsite);
        free(desc);
        json_t *hz = json_array_get(hazards, json_array_size(hazards) - 1);
        char id[33];
        gen_hex_id(r, id);
        json_object_set_new(hz, "id", json_string(id));
        json_object_set_new(hz, "location", json_string(spots[gen_below(r, N(spots))]));
        if (onsite)
            json_object_set_new(hz, "measures", json_string(measures[gen_below(r, N(measures))]));
        if (new_hazards)
            json_array_append_new(new_hazards, json_string(id));
    }

    size_t i;
    json_t *fid;
    json_array_foreach(followup_ids, i, fid)
    {
        fmt_time(arrived + 1200 + (int64_t)i * 300, ts);
        fx_followup(doc, json_string_value(fid), verdicts[gen_below(r, N(verdicts))], ts);
        json_t *fl = json_object_get(doc, "followups");
        json_object_set_new(json_array_get(fl, json_array_size(fl) - 1), "note",
                            json_string("复查：对照整改报告逐项核实"));
    }
}

json_t *gen_sealed_record(gen_world *w, fx_inspector *in, const json_t *followup_ids,
                          json_t *new_hazards)
{
    static const char *const vkinds[] = {"four-not-two-direct", "four-not-two-direct",
                                         "four-not-two-direct", "random", "special",
                                         "follow-up"};
    const xa_school *sc = gen_pick_school(w);
    char arrived[XA_RFC3339_MAX];
    fmt_time(w->t, arrived);
    json_t *doc = fx_visit(in, sc->code, sc->name, sc->county,
                           vkinds[gen_below(&w->rng, N(vkinds))], arrived);
    char id[33];
    gen_hex_id(&w->rng, id);
    json_object_set_new(doc, "id", json_string(id));
    gen_fill_visit(w, doc, followup_ids, new_hazards);
    char sealed[XA_RFC3339_MAX];
    fmt_time(w->t + 7200, sealed);
    return fx_seal(in, doc, sealed);
}

/* ---- a brief for a field store ---- */

void gen_put_brief(xa_fstore *s, const xa_identity *office, const xa_roster *r,
                   const xa_form_set *fs)
{
    const xa_identity *me = xa_fstore_identity(s);
    json_t *recs = json_array();
    json_array_append_new(recs, json_pack("{s:s, s:o, s:{s:s,s:s}, s:{s:i,s:i}}", "type",
                                          "settings", "office", xa_identity_public_json(office),
                                          "inspector", "name", me->name, "fingerprint",
                                          me->fingerprint, "deadline_days", "general", 30, "major",
                                          15));
    for (size_t i = 0; r && i < r->n; i++)
        json_array_append_new(recs, xa_school_to_json(&r->schools[i]));
    for (size_t i = 0; fs && i < fs->n; i++)
        json_array_append_new(recs, xa_form_to_json(fs->forms[i]));
    xa_brief_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.seq = 1;
    memset(meta.hash, 'a', 64);
    snprintf(meta.created, sizeof meta.created, "2026-08-30T09:00:00+08:00");
    xa_err e;
    b_check(xa_fstore_brief_put(s, office, &meta, recs, NULL, &e), &e, "storing the brief");
    /* the school table, as `xiaoan brief import` makes it */
    b_check(xa_brief_table_make(s, &e), &e, "the school table");
    json_decref(recs);
}

/* The store some benches keep open; the office key only names the office
 * the brief pins, so it is handed back only to a bench that encrypts to it. */
xa_fstore *gen_field_store(const char *home, const char *pass, const xa_roster *r,
                           const xa_form_set *fs, xa_identity **office_out)
{
    xa_err e;
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    xa_fstore *s = NULL;
    b_check(xa_fstore_create(home, "张三", pass, &kdf, &s, &e), &e, "field store");
    xa_identity *office = NULL;
    b_check(xa_identity_generate("丽水市教育局安全科", &office, &e), &e, "office");
    gen_put_brief(s, office, r, fs);
    if (office_out)
        *office_out = office;
    else
        xa_identity_free(office);
    return s;
}

/* A closed field home whose brief lists nschools generated schools and the
 * checklists already written in formdir. */
void gen_field_home(const char *home, const char *pass, const char *formdir,
                    uint64_t roster_seed, size_t nschools)
{
    xa_err e;
    xa_form_set *fs = NULL;
    b_check(xa_form_set_load(formdir, &fs, NULL, &e), &e, formdir);
    size_t len;
    char *csv = gen_roster_csv(roster_seed, nschools, &len);
    xa_roster *r = NULL;
    b_check(xa_roster_parse("roster.csv", csv, len, &r, NULL, &e), &e, "roster");
    free(csv);
    xa_fstore_close(gen_field_store(home, pass, r, fs, NULL));
    xa_roster_free(r);
    xa_form_set_free(fs);
}
