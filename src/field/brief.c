/* brief.c — the stored brief read for the screens (field.h xa_brief_load).
 *
 * A brief may list 20,000 schools and a 1,000-item form; the first screen
 * after unlock needs neither.  The field store keeps the brief in parts
 * (fieldstore.h xa_brief_part): xa_brief_load reads the head (settings,
 * open hazards, assignments, receipts) and the few schools those name;
 * the forms are read at the first xa_brief_forms, every school at the
 * first xa_brief_schools (the school picker).  A part's text is walked
 * record by record (json.h's scanner): a school record's members are read
 * straight from the text into an xa_school (the roster module's checks,
 * xa_school_from_texts); the other records are parsed one at a time.  A
 * school record the fast path cannot read (an escaped key, a nested value,
 * a member the roster rejects) goes through jansson and the old rules.
 * Every school is read from the compact school table instead (below): made
 * once from the records at import (xa_brief_table_make), its strings are
 * used in place in the decrypted table, with the picker's search strings. */
#include "xiaoan/field.h"

#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/pinyin.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

/* The strings of a school table, in blocks of ARENA_BLOCK bytes: one
 * allocation per block instead of six per school (20,000 schools' strings
 * took twice their size in malloc headers and rounding), and each county
 * name once. */
#define ARENA_BLOCK (64 * 1024)
#define ARENA_COUNTIES 32

struct xa_brief_arena {
    char **blocks;
    size_t nblocks, used; /* used: bytes of the last block */
    const char *county[ARENA_COUNTIES];
    size_t ncounty;
    xa_big table; /* or: the school table the strings point into (xa_big_alloc: */
    xa_big vmap;  /* huge pages) and the schools (v) and by_code read from it */
};

/* A copy of s in the arena. */
static char *arena_dup(struct xa_brief_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > ARENA_BLOCK / 4) { /* a long one: a block of its own, before the current one */
        a->blocks = xa_reallocarray(a->blocks, a->nblocks + 1, sizeof *a->blocks);
        char *own = xa_malloc(n);
        memcpy(own, s, n);
        if (a->nblocks) {
            a->blocks[a->nblocks] = a->blocks[a->nblocks - 1];
            a->blocks[a->nblocks - 1] = own;
        } else {
            a->blocks[0] = own;
            a->used = ARENA_BLOCK; /* the next string opens a new block */
        }
        a->nblocks++;
        return own;
    }
    if (!a->nblocks || a->used + n > ARENA_BLOCK) {
        a->blocks = xa_reallocarray(a->blocks, a->nblocks + 1, sizeof *a->blocks);
        a->blocks[a->nblocks++] = xa_malloc(ARENA_BLOCK);
        a->used = 0;
    }
    char *p = a->blocks[a->nblocks - 1] + a->used;
    memcpy(p, s, n);
    a->used += n;
    return p;
}

/* Move a school's strings (xa_strdup'd by the roster module) into the
 * arena; the school is then never given to xa_school_clear. */
static void arena_take(struct xa_brief_arena *a, xa_school *sc)
{
    char **f[] = {&sc->code, &sc->name, &sc->address, &sc->pinyin, &sc->school_id};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        char *old = *f[i];
        *f[i] = arena_dup(a, old ? old : "");
        free(old);
    }
    const char *county = sc->county ? sc->county : "";
    size_t k = 0;
    while (k < a->ncounty && strcmp(a->county[k], county) != 0)
        k++;
    char *c = k < a->ncounty ? (char *)a->county[k] : arena_dup(a, county);
    if (k == a->ncounty && a->ncounty < ARENA_COUNTIES)
        a->county[a->ncounty++] = c;
    free(sc->county);
    sc->county = c;
}

static void arena_free(struct xa_brief_arena *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nblocks; i++)
        free(a->blocks[i]);
    free(a->blocks);
    xa_big_free(&a->table);
    xa_big_free(&a->vmap);
    free(a);
}

struct loader {
    xa_brief *b;
    struct xa_brief_schools *tab; /* where school records go */
    size_t cap_schools, cap_haz, cap_asg, cap_forms;
    xa_buf val[XA_SCHOOL_NMEMBERS]; /* one scratch buffer per school member */
    size_t mlen[XA_SCHOOL_NMEMBERS]; /* strlen of each member's name */
    xa_code code;
    xa_err *err;
};

/* Grow an array by doubling so that n + 1 elements fit. */
static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 64;
    return xa_reallocarray(p, *cap, size);
}

/* A school record the roster module does not accept (an older or newer
 * brief writer): keep what a person needs to find it. */
static void school_lenient(const json_t *r, xa_brief_school *b)
{
    memset(&b->s, 0, sizeof b->s);
    b->s.code = xa_strdup(xa_doc_str(r, "code"));
    b->s.name = xa_strdup(xa_doc_str(r, "name"));
    b->s.county = xa_strdup(xa_doc_str(r, "county"));
    b->s.address = xa_strdup(xa_doc_str(r, "address"));
    b->s.pinyin = xa_strdup(xa_doc_str(r, "pinyin"));
    b->s.school_id = xa_strdup("");
    b->s.students = -1;
    b->s.boarders = -1;
    b->s.boarding = json_is_true(json_object_get(r, "boarding"));
    b->s.canteen = json_is_true(json_object_get(r, "canteen"));
    b->s.lab = json_is_true(json_object_get(r, "lab"));
    b->s.bus = json_is_true(json_object_get(r, "bus"));
    const char *t = json_string_value(json_object_get(r, "school_type"));
    if (!t)
        t = json_string_value(json_object_get(r, "type"));
    b->typed = t && xa_school_type_parse(t, &b->s.type);
    b->profile = (b->typed ? xa_school_type_profile(b->s.type) : 0) |
                 (b->s.boarding ? XA_PF_BOARDING : 0) | (b->s.canteen ? XA_PF_CANTEEN : 0) |
                 (b->s.lab ? XA_PF_LAB : 0) | (b->s.bus ? XA_PF_BUS : 0);
}

/* A school record through jansson (the rules before the compact table). */
static void school_slow(struct loader *L, const char *rec, size_t n, xa_brief_school *sc)
{
    json_t *r = NULL;
    if (xa_json_parse(rec, n, XA_JSON_MAX_DEPTH, &r, NULL) != XA_OK)
        r = json_object();
    if (xa_school_from_json(r, &sc->s, NULL) == XA_OK) {
        sc->typed = 1;
        sc->profile = xa_school_profile(&sc->s);
    } else {
        school_lenient(r, sc);
    }
    json_decref(r);
    (void)L;
}

/* A member's value as the text xa_school_from_texts takes; 0 when it is
 * not of the member's kind (the slow path then says what is wrong). */
static int member_text(struct loader *L, size_t m, const char *v, size_t n)
{
    xa_buf *out = &L->val[m];
    out->len = 0;
    switch (xa_school_member_kind(m)) {
    case XA_SM_TEXT:
        return v[0] == '"' && xa_json_unescape(v, n, out);
    case XA_SM_FLAG:
        if (n == 4 && !memcmp(v, "true", 4))
            xa_buf_puts(out, "1");
        else if (n == 5 && !memcmp(v, "false", 5))
            xa_buf_puts(out, "0");
        else
            return 0;
        return 1;
    case XA_SM_NUMBER:
        if (n == 4 && !memcmp(v, "null", 4)) {
            xa_buf_puts(out, "");
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            if (!((v[i] >= '0' && v[i] <= '9') || (i == 0 && v[i] == '-' && n > 1)))
                return 0;
        xa_buf_add(out, v, n);
        xa_buf_putc(out, '\0');
        out->len--;
        return 1;
    }
    return 0;
}

/* A school record read from its text; returns 0 when the fast path cannot
 * (the caller then parses it). */
static int school_fast(struct loader *L, const char *rec, size_t n, xa_brief_school *sc)
{
    const char *vals[XA_SCHOOL_NMEMBERS] = {0};
    size_t pos = 0, klen, vlen;
    const char *k, *v;
    int r;
    while ((r = xa_json_next_member(rec, n, &pos, &k, &klen, &v, &vlen)) == 1) {
        if (klen == 4 && !memcmp(k, "type", 4))
            continue; /* "school": the caller looked */
        size_t m = 0;
        while (m < XA_SCHOOL_NMEMBERS &&
               !(L->mlen[m] == klen && !memcmp(xa_school_members[m], k, klen)))
            m++;
        if (m == XA_SCHOOL_NMEMBERS || vals[m] || !member_text(L, m, v, vlen))
            return 0; /* unknown, repeated or of the wrong kind */
        vals[m] = L->val[m].data;
    }
    if (r < 0 || xa_school_from_texts(vals, &sc->s, NULL) != XA_OK)
        return 0;
    sc->typed = 1;
    sc->profile = xa_school_profile(&sc->s);
    return 1;
}

/* The type of a record from its text ("" when it has none). */
static void record_type(const char *rec, size_t n, char out[24])
{
    size_t pos = 0, klen, vlen;
    const char *k, *v;
    out[0] = '\0';
    while (xa_json_next_member(rec, n, &pos, &k, &klen, &v, &vlen) == 1)
        if (klen == 4 && !memcmp(k, "type", 4)) {
            if (vlen >= 2 && vlen - 2 < 24 && v[0] == '"' && !memchr(v + 1, '\\', vlen - 2)) {
                memcpy(out, v + 1, vlen - 2);
                out[vlen - 2] = '\0';
            }
            return;
        }
}

/* One record of the brief (xa_json_each_element callback). */
static int take_record(void *ctx, const char *rec, size_t n)
{
    struct loader *L = ctx;
    xa_brief *b = L->b;
    char type[24];
    record_type(rec, n, type);
    if (!strcmp(type, "school")) {
        struct xa_brief_schools *t = L->tab;
        if (!t)
            return 0; /* not a part with schools */
        t->v = grow(t->v, &L->cap_schools, t->n, sizeof *t->v);
        xa_brief_school *sc = &t->v[t->n++];
        memset(sc, 0, sizeof *sc);
        if (!school_fast(L, rec, n, sc)) {
            xa_school_clear(&sc->s);
            school_slow(L, rec, n, sc);
        }
        if (!t->arena)
            t->arena = xa_calloc(1, sizeof *t->arena);
        arena_take(t->arena, &sc->s);
        return 0;
    }
    json_t *r = NULL;
    if ((L->code = xa_json_parse(rec, n, XA_JSON_MAX_DEPTH, &r, L->err)) != XA_OK)
        return 1;
    if (strcmp(type, "form") != 0)
        json_array_append_new(b->records, r);
    if (!strcmp(type, "settings")) {
        json_t *o = json_object_get(r, "office");
        b->office_name = xa_doc_str(o, "name");
        b->office_fp = xa_doc_str(o, "fingerprint");
        json_t *d = json_object_get(r, "deadline_days");
        if (json_is_integer(json_object_get(d, "general")))
            b->days.general = (int)json_integer_value(json_object_get(d, "general"));
        if (json_is_integer(json_object_get(d, "major")))
            b->days.major = (int)json_integer_value(json_object_get(d, "major"));
    } else if (!strcmp(type, "form")) {
        xa_form *f = NULL;
        if (xa_form_from_json(r, &f, NULL) == XA_OK) {
            b->forms = grow(b->forms, &L->cap_forms, b->nforms, sizeof *b->forms);
            b->forms[b->nforms++] = f;
        }
        json_decref(r); /* forms are kept as xa_form only */
    } else if (!strcmp(type, "hazard")) {
        b->haz = grow(b->haz, &L->cap_haz, b->nhaz, sizeof *b->haz);
        xa_brief_hazard *h = &b->haz[b->nhaz++];
        h->id = xa_doc_str(r, "id");
        h->school = xa_doc_str(r, "school");
        h->form = xa_doc_str(r, "form");
        h->code = xa_doc_str(r, "code");
        h->category = xa_doc_str(r, "category");
        h->severity = xa_doc_str(r, "severity");
        h->description = xa_doc_str(r, "description");
        h->location = xa_doc_str(r, "location");
        h->requirement = xa_doc_str(r, "requirement");
        h->deadline = xa_doc_str(r, "deadline");
        h->responsible = xa_doc_str(r, "responsible");
        h->found = xa_doc_str(r, "found");
        h->state = xa_doc_str(r, "state");
    } else if (!strcmp(type, "assignment")) {
        b->asg = grow(b->asg, &L->cap_asg, b->nasg, sizeof *b->asg);
        xa_brief_assign *as = &b->asg[b->nasg++];
        as->id = xa_doc_str(r, "id");
        as->school = xa_doc_str(r, "school");
        as->kind = xa_doc_str(r, "kind");
        as->due = xa_doc_str(r, "due");
        as->note = xa_doc_str(r, "note");
        as->forms = json_object_get(r, "forms");
        as->team = json_object_get(r, "team");
    }
    return 0;
}

struct code_ix {
    const char *code;
    size_t i;
};

static int code_cmp(const void *x, const void *y)
{
    const struct code_ix *a = x, *b = y;
    int c = strcmp(a->code, b->code);
    return c ? c : (a->i > b->i) - (a->i < b->i); /* the first of a repeated code wins */
}

/* Walk one part of the brief into b (schools into tab, may be NULL).
 * XA_ESTATE when the part belongs to another brief than b (a newer one was
 * imported since b was read). */
static xa_code load_part(xa_fstore *s, xa_brief *b, xa_brief_part part,
                         struct xa_brief_schools *tab, int first, xa_err *err)
{
    xa_buf plain = XA_BUF_INIT;
    xa_brief_meta meta;
    xa_code c = xa_fstore_brief_part(s, part, &plain, &meta, err);
    if (c != XA_OK) {
        xa_buf_wipe(&plain);
        return c;
    }
    if (first)
        b->meta = meta;
    else if (meta.seq != b->meta.seq) {
        xa_buf_wipe(&plain);
        return xa_fail(err, XA_ESTATE,
                       "another brief was imported meanwhile: quit and start xiaoan again");
    }
    struct loader L = {.b = b, .tab = tab, .code = XA_OK, .err = err};
    for (size_t m = 0; m < XA_SCHOOL_NMEMBERS; m++)
        L.mlen[m] = strlen(xa_school_members[m]);
    int r = xa_json_each_element(plain.data, plain.len, take_record, &L);
    xa_buf_wipe(&plain);
    for (size_t m = 0; m < XA_SCHOOL_NMEMBERS; m++)
        xa_buf_wipe(&L.val[m]);
    if (r != 0)
        return L.code != XA_OK ? L.code
                               : xa_fail(err, XA_EDB, "the stored brief is not a list of records");
    return XA_OK;
}

/* Index a table by code. */
static void sort_codes(struct xa_brief_schools *t)
{
    struct code_ix *ix = xa_calloc(t->n + 1, sizeof *ix);
    for (size_t i = 0; i < t->n; i++)
        ix[i] = (struct code_ix){t->v[i].s.code ? t->v[i].s.code : "", i};
    qsort(ix, t->n, sizeof *ix, code_cmp);
    t->by_code = xa_calloc(t->n + 1, sizeof *t->by_code);
    for (size_t i = 0; i < t->n; i++)
        t->by_code[i] = ix[i].i;
    free(ix);
}

/* Count the brief's open hazards at each school of a table. */
static void count_hazards(const xa_brief *b, struct xa_brief_schools *t)
{
    for (size_t k = 0; k < b->nhaz; k++) {
        xa_brief_school *sc = xa_brief_schools_find(t, b->haz[k].school);
        if (sc) {
            sc->nopen++;
            sc->noverdue += xa_hstate_of(b->haz[k].state) == XA_HS_OVERDUE;
        }
    }
}

/* Index a table by code and count the brief's open hazards at each school. */
static void index_schools(const xa_brief *b, struct xa_brief_schools *t)
{
    sort_codes(t);
    count_hazards(b, t);
}

/* ---- the compact school table (fieldstore.h xa_fstore_brief_table) ----
 * The schools as xa_brief_schools gives them, made once so that the picker
 * opens without reading 20,000 JSON records.  Little-endian 32-bit words:
 *   "XASCHTB1"; the xa_search_stamp of the build that made it; n; slen
 *   n records of REC_WORDS words: the offsets of the school's strings in
 *     the strings below (code, name, county, address, pinyin, school_id,
 *     then the search strings hay and py), its type, flags, students and
 *     boarders (64 bits each, two words), tier and profile
 *   n words: the records' indexes sorted by code (the first of a repeated
 *     code first, as sort_codes does)
 *   slen bytes: the strings, each ending with a NUL.
 * The strings are used where they are in the decrypted table.  The search
 * strings are used only when the stamp is this build's (another readings
 * table would give other keys); the picker makes them otherwise. */
#define TABLE_MAGIC "XASCHTB1"
#define TABLE_HEAD 20
#define TABLE_ZSTD_LEVEL 3
#define TABLE_MAX ((unsigned long long)1 << 31) /* far above 20,000 schools' 7 MB */
enum {
    T_CODE, T_NAME, T_COUNTY, T_ADDRESS, T_PINYIN, T_SCHOOL_ID, T_HAY, T_PY, T_NSTR,
    T_TYPE = T_NSTR, T_FLAGS, T_STUDENTS, T_STUDENTS_HI, T_BOARDERS, T_BOARDERS_HI, T_TIER,
    T_PROFILE, REC_WORDS
};
enum { F_TYPED = 1, F_BOARDING = 2, F_CANTEEN = 4, F_LAB = 8, F_BUS = 16, F_PRIVATE = 32,
       F_KG = 64 };

static void put32(xa_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    xa_buf_add(b, x, 4);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The table of t (indexed by sort_codes) into out. */
static void table_build(const struct xa_brief_schools *t, xa_buf *out)
{
    xa_buf str = XA_BUF_INIT;
    out->len = 0;
    xa_buf_add(out, TABLE_MAGIC, 8);
    put32(out, xa_search_stamp());
    put32(out, (uint32_t)t->n);
    size_t slen_at = out->len;
    put32(out, 0);
    for (size_t i = 0; i < t->n; i++) {
        const xa_brief_school *sc = &t->v[i];
        const xa_school *x = &sc->s;
        char *hay = xa_search_hay(x->code, x->name, x->county, x->pinyin);
        char *py = xa_search_pinyin(x->name, x->county);
        const char *sv[T_NSTR] = {x->code, x->name,      x->county, x->address,
                                  x->pinyin, x->school_id, hay,       py};
        for (int k = 0; k < T_NSTR; k++) {
            const char *v = sv[k] ? sv[k] : "";
            put32(out, (uint32_t)str.len);
            xa_buf_add(&str, v, strlen(v) + 1);
        }
        free(hay);
        free(py);
        uint32_t flags = (sc->typed ? F_TYPED : 0) | (x->boarding ? F_BOARDING : 0) |
                         (x->canteen ? F_CANTEEN : 0) | (x->lab ? F_LAB : 0) |
                         (x->bus ? F_BUS : 0) | (x->private_ ? F_PRIVATE : 0) |
                         (x->kindergarten_class ? F_KG : 0);
        uint64_t st = (uint64_t)(int64_t)x->students, bo = (uint64_t)(int64_t)x->boarders;
        put32(out, (uint32_t)x->type);
        put32(out, flags);
        put32(out, (uint32_t)st);
        put32(out, (uint32_t)(st >> 32));
        put32(out, (uint32_t)bo);
        put32(out, (uint32_t)(bo >> 32));
        put32(out, (uint32_t)x->tier);
        put32(out, (uint32_t)sc->profile);
    }
    for (size_t i = 0; i < t->n; i++)
        put32(out, (uint32_t)t->by_code[i]);
    uint8_t *sl = (uint8_t *)out->data + slen_at;
    size_t slen = str.len;
    for (int k = 0; k < 4; k++)
        sl[k] = (uint8_t)(slen >> (8 * k));
    xa_buf_add(out, str.data, str.len);
    xa_buf_wipe(&str);
}

/* Read a table (in the mapping tab, taking it over: the strings stay in
 * it) into t; 0 when it is not one this build reads (t is then left
 * empty, tab still the caller's). */
static int table_read(char *data, size_t len, xa_big *tab, struct xa_brief_schools *t)
{
    const uint8_t *p = (const uint8_t *)data;
    if (len < TABLE_HEAD || memcmp(p, TABLE_MAGIC, 8) != 0)
        return 0;
    size_t n = get32(p + 8 + 4), slen = get32(p + 16);
    if (n > len / (4 * (REC_WORDS + 1)) || slen == 0 ||
        TABLE_HEAD + 4 * (REC_WORDS + 1) * n + slen != len || p[len - 1] != '\0')
        return 0;
    const uint8_t *rec = p + TABLE_HEAD, *ix = rec + 4 * REC_WORDS * n;
    char *strs = data + TABLE_HEAD + 4 * (REC_WORDS + 1) * n;
    int keys = get32(p + 8) == xa_search_stamp();
    xa_big vmap = {NULL, 0}; /* v then by, zero-filled */
    xa_brief_school *v = xa_big_alloc((n + 1) * (sizeof *v + sizeof(size_t)), &vmap);
    size_t *by = (size_t *)(void *)(v + n + 1);
    for (size_t i = 0; i < n; i++, rec += 4 * REC_WORDS) {
        uint32_t w[REC_WORDS];
        for (int k = 0; k < REC_WORDS; k++)
            w[k] = get32(rec + 4 * k);
        for (int k = 0; k < T_NSTR; k++)
            if (w[k] >= slen)
                goto bad;
        if (w[T_TYPE] >= XA_SCHOOL_NTYPES || w[T_TIER] > XA_TIER_KEY || get32(ix + 4 * i) >= n)
            goto bad;
        xa_brief_school *sc = &v[i];
        xa_school *x = &sc->s;
        x->code = strs + w[T_CODE];
        x->name = strs + w[T_NAME];
        x->county = strs + w[T_COUNTY];
        x->address = strs + w[T_ADDRESS];
        x->pinyin = strs + w[T_PINYIN];
        x->school_id = strs + w[T_SCHOOL_ID];
        x->type = (xa_school_type)w[T_TYPE];
        x->boarding = !!(w[T_FLAGS] & F_BOARDING);
        x->canteen = !!(w[T_FLAGS] & F_CANTEEN);
        x->lab = !!(w[T_FLAGS] & F_LAB);
        x->bus = !!(w[T_FLAGS] & F_BUS);
        x->private_ = !!(w[T_FLAGS] & F_PRIVATE);
        x->kindergarten_class = !!(w[T_FLAGS] & F_KG);
        x->students = (long)(int64_t)((uint64_t)w[T_STUDENTS] | (uint64_t)w[T_STUDENTS_HI] << 32);
        x->boarders = (long)(int64_t)((uint64_t)w[T_BOARDERS] | (uint64_t)w[T_BOARDERS_HI] << 32);
        x->tier = (xa_tier)w[T_TIER];
        sc->typed = !!(w[T_FLAGS] & F_TYPED);
        sc->profile = (xa_profile)w[T_PROFILE];
        if (keys) {
            sc->hay = strs + w[T_HAY];
            sc->py = strs + w[T_PY];
        }
        by[i] = get32(ix + 4 * i);
    }
    t->v = v;
    t->n = n;
    t->by_code = by;
    t->arena = xa_calloc(1, sizeof *t->arena);
    t->arena->table = *tab;
    t->arena->vmap = vmap;
    tab->base = NULL;
    tab->len = 0;
    return 1;
bad:
    xa_big_free(&vmap);
    return 0;
}

/* Make the school table of t and store it for the brief of seq, zstd
 * compressed (a quarter of the size: a quarter of the pages SQLite reads
 * and of the bytes decrypted when the picker opens). */
static xa_code table_store(xa_fstore *s, const struct xa_brief_schools *t, int64_t seq,
                           xa_err *err)
{
    xa_buf tab = XA_BUF_INIT, z = XA_BUF_INIT;
    table_build(t, &tab);
    size_t bound = ZSTD_compressBound(tab.len);
    xa_buf_reserve(&z, bound);
    size_t zn = ZSTD_compress(z.data, bound, tab.data, tab.len, TABLE_ZSTD_LEVEL);
    xa_code c;
    if (ZSTD_isError(zn)) {
        c = xa_fail(err, XA_ELIMIT, "compressing the school table: %s", ZSTD_getErrorName(zn));
    } else {
        z.len = zn;
        c = xa_fstore_brief_table_put(s, seq, &z, err);
    }
    xa_buf_wipe(&tab);
    xa_buf_wipe(&z);
    return c;
}

/* The compressed table as its chunks arrive (xa_fstore_brief_table): into
 * a mapping sized from the first chunk's frame header (the table's size;
 * the compressed bytes are at most ZSTD_compressBound of it). */
struct zin {
    xa_big map;
    char *data;
    size_t len, cap;
    unsigned long long n; /* the table's size */
};

static int zin_chunk(void *ctx, const void *chunk, size_t len)
{
    struct zin *z = ctx;
    if (!z->data) {
        z->n = ZSTD_getFrameContentSize(chunk, len);
        if (z->n == ZSTD_CONTENTSIZE_ERROR || z->n == ZSTD_CONTENTSIZE_UNKNOWN ||
            z->n >= TABLE_MAX)
            return 1;
        z->cap = ZSTD_compressBound((size_t)z->n);
        z->data = xa_big_alloc(z->cap, &z->map);
    }
    if (len > z->cap - z->len)
        return 1;
    memcpy(z->data + z->len, chunk, len);
    z->len += len;
    return 0;
}

/* The stored table of the brief b, decompressed and read into t; 0 when
 * there is none for b or it cannot be read. */
static int table_load(xa_fstore *s, const xa_brief *b, struct xa_brief_schools *t)
{
    struct zin z;
    memset(&z, 0, sizeof z);
    int64_t seq = -1;
    int ok = 0;
    if (xa_fstore_brief_table(s, &seq, zin_chunk, &z, NULL) == XA_OK && seq == b->meta.seq) {
        xa_big tab = {NULL, 0};
        char *data = xa_big_alloc((size_t)z.n + 1, &tab);
        size_t got = ZSTD_decompress(data, (size_t)z.n, z.data, z.len);
        ok = !ZSTD_isError(got) && got == z.n && table_read(data, (size_t)z.n, &tab, t);
        xa_big_free(&tab); /* nothing when table_read took it */
    }
    xa_big_free(&z.map);
    return ok;
}

/* Free a table's schools (their strings are the arena's). */
static void schools_clear(struct xa_brief_schools *t)
{
    if (t->arena && t->arena->vmap.base)
        t->v = NULL, t->by_code = NULL; /* the arena's mapping */
    arena_free(t->arena);
    free(t->v);
    free(t->by_code);
    memset(t, 0, sizeof *t);
}

xa_code xa_brief_load(xa_fstore *s, xa_brief **out, xa_err *err)
{
    *out = NULL;
    xa_brief *b = xa_calloc(1, sizeof *b);
    b->records = json_array();
    b->days.general = (int)xa_setting_default_int(XA_SET_DEADLINE_GENERAL);
    b->days.major = (int)xa_setting_default_int(XA_SET_DEADLINE_MAJOR);
    xa_code c = load_part(s, b, XA_BRIEF_HEAD, NULL, 1, err);
    if (c == XA_OK)
        c = load_part(s, b, XA_BRIEF_CITED, &b->cited, 0, err);
    if (c != XA_OK) {
        xa_brief_free(b);
        return c;
    }
    index_schools(b, &b->cited);
    /* The pinned office is the authority; the settings record only names
     * it.  The check decrypts the head again: a few kilobytes. */
    xa_identity *office = NULL;
    if (xa_fstore_office(s, &office, NULL) == XA_OK) {
        memcpy(b->office_fp_pinned, office->fingerprint, sizeof b->office_fp_pinned);
        b->office_fp = b->office_fp_pinned;
        xa_identity_free(office);
    }
    *out = b;
    return XA_OK;
}

xa_code xa_brief_forms(xa_fstore *s, xa_brief *b, xa_err *err)
{
    if (b->forms_loaded)
        return XA_OK;
    xa_code c = load_part(s, b, XA_BRIEF_FORMS, NULL, 0, err);
    if (c != XA_OK) {
        for (size_t i = 0; i < b->nforms; i++)
            xa_form_free(b->forms[i]);
        free(b->forms);
        b->forms = NULL;
        b->nforms = 0;
        return c;
    }
    b->forms_loaded = 1;
    return XA_OK;
}

xa_code xa_brief_schools(xa_fstore *s, xa_brief *b, xa_err *err)
{
    if (b->schools_loaded)
        return XA_OK;
    struct xa_brief_schools t;
    memset(&t, 0, sizeof t);
    if (table_load(s, b, &t)) {
        count_hazards(b, &t);
    } else {
        /* No table (a brief imported before field store schema 6): read
         * the records, then store the table for the next time (a failure
         * to store it only means reading the records again). */
        xa_code c = load_part(s, b, XA_BRIEF_SCHOOLS, &t, 0, err);
        if (c != XA_OK) {
            schools_clear(&t);
            return c;
        }
        index_schools(b, &t);
        (void)table_store(s, &t, b->meta.seq, NULL);
    }
    b->all = t;
    b->schools = t.v;
    b->nschools = t.n;
    b->schools_loaded = 1;
    return XA_OK;
}

xa_code xa_brief_table_make(xa_fstore *s, xa_err *err)
{
    xa_brief *b = NULL;
    xa_code c = xa_brief_load(s, &b, err);
    if (c != XA_OK)
        return c;
    struct xa_brief_schools t;
    memset(&t, 0, sizeof t);
    if ((c = load_part(s, b, XA_BRIEF_SCHOOLS, &t, 0, err)) == XA_OK) {
        sort_codes(&t);
        c = table_store(s, &t, b->meta.seq, err);
    }
    schools_clear(&t);
    xa_brief_free(b);
    return c;
}

xa_brief_school *xa_brief_schools_find(const struct xa_brief_schools *t, const char *code)
{
    if (!t || !code)
        return NULL;
    size_t lo = 0, hi = t->n;
    while (lo < hi) { /* the first index whose code is not below code */
        size_t mid = lo + (hi - lo) / 2;
        const char *m = t->v[t->by_code[mid]].s.code;
        if (strcmp(m ? m : "", code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->n) {
        xa_brief_school *sc = &t->v[t->by_code[lo]];
        if (sc->s.code && !strcmp(sc->s.code, code))
            return sc;
    }
    return NULL;
}

xa_brief_school *xa_brief_school_find(const xa_brief *b, const char *code)
{
    if (!b)
        return NULL;
    xa_brief_school *sc = xa_brief_schools_find(&b->cited, code);
    return sc ? sc : xa_brief_schools_find(&b->all, code);
}

void xa_brief_free(xa_brief *b)
{
    if (!b)
        return;
    schools_clear(&b->cited);
    schools_clear(&b->all);
    for (size_t i = 0; i < b->nforms; i++)
        xa_form_free(b->forms[i]);
    free(b->forms);
    free(b->haz);
    free(b->asg);
    json_decref(b->records);
    free(b);
}
