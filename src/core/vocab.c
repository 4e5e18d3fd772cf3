/* vocab.c — the tables of vocab.h expanded once, the lookups over them, and
 * the settings table with its one validator.  Every table is a handful of
 * rows, so lookups scan; nothing here allocates except xa_*_keys. */
#include "xiaoan/vocab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROW_(e, key, zh, en) {e, key, zh, en},
#define TABLE_(name, what, LIST)                                           \
    static const xa_term name##_rows[] = {LIST(ROW_)};                     \
    const xa_vocab name = {what, name##_rows, sizeof name##_rows / sizeof name##_rows[0]};

TABLE_(xa_vocab_kinds, "visit kind", XA_KINDS)
TABLE_(xa_vocab_results, "result", XA_RESULTS)
TABLE_(xa_vocab_severities, "severity", XA_SEVERITIES)
TABLE_(xa_vocab_verdicts, "verdict", XA_VERDICTS)
TABLE_(xa_vocab_hstates, "hazard state", XA_HSTATES)
TABLE_(xa_vocab_escalations, "escalation level", XA_ESCALATIONS)
TABLE_(xa_vocab_categories, "category", XA_CATEGORIES)
#undef TABLE_
#undef ROW_

/* The row of an enum, or NULL. */
static const xa_term *row_of(const xa_vocab *v, int id)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->terms[i].id == id)
            return &v->terms[i];
    return NULL;
}

/* The enum of an exact key, or -1. */
int xa_vocab_id(const xa_vocab *v, const char *key)
{
    if (key)
        for (size_t i = 0; i < v->n; i++)
            if (!strcmp(v->terms[i].key, key))
                return v->terms[i].id;
    return -1;
}

/* The enum of a key (any case) or a Chinese label, or -1. */
int xa_vocab_parse(const xa_vocab *v, const char *s)
{
    if (s)
        for (size_t i = 0; i < v->n; i++)
            if (!strcasecmp(v->terms[i].key, s) || !strcmp(v->terms[i].zh, s))
                return v->terms[i].id;
    return -1;
}

/* The key of an enum, "" when unknown. */
const char *xa_vocab_key(const xa_vocab *v, int id)
{
    const xa_term *t = row_of(v, id);
    return t ? t->key : "";
}

/* The label of an enum in one of the two languages, "" when unknown. */
const char *xa_vocab_label(const xa_vocab *v, int id, int en)
{
    const xa_term *t = row_of(v, id);
    return t ? (en ? t->en : t->zh) : "";
}

/* The label of a key; an unknown key shows as itself (a record from a newer
 * version still reads as something). */
const char *xa_vocab_label_of(const xa_vocab *v, const char *key, int en)
{
    int id = xa_vocab_id(v, key);
    return id >= 0 ? xa_vocab_label(v, id, en) : (key ? key : "");
}

/* The keys, comma-separated, for "known: ..." messages. */
void xa_vocab_keys(const xa_vocab *v, xa_buf *out)
{
    for (size_t i = 0; i < v->n; i++)
        xa_buf_printf(out, "%s%s", i ? ", " : "", v->terms[i].key);
}

/* ---- forms.h's names for two of the tables ---- */

/* Key of a category ("?" out of range, as before the table moved here). */
const char *xa_category_key(xa_category c)
{
    const xa_term *t = row_of(&xa_vocab_categories, (int)c);
    return t ? t->key : "?";
}

/* Chinese label of a category. */
const char *xa_category_label(xa_category c)
{
    const xa_term *t = row_of(&xa_vocab_categories, (int)c);
    return t ? t->zh : "?";
}

/* A category from its key in any case; 0 when unknown. */
int xa_category_parse(const char *s, xa_category *out)
{
    for (size_t i = 0; s && i < xa_vocab_categories.n; i++)
        if (!strcasecmp(s, xa_vocab_categories.terms[i].key)) {
            *out = (xa_category)xa_vocab_categories.terms[i].id;
            return 1;
        }
    return 0;
}

/* Key of a severity: "" for none, "?" out of range. */
const char *xa_severity_key(xa_severity s)
{
    if (s == XA_SEV_NONE)
        return "";
    const xa_term *t = row_of(&xa_vocab_severities, (int)s);
    return t ? t->key : "?";
}

/* Chinese label of a severity: "" for none, "?" out of range. */
const char *xa_severity_label(xa_severity s)
{
    if (s == XA_SEV_NONE)
        return "";
    const xa_term *t = row_of(&xa_vocab_severities, (int)s);
    return t ? t->zh : "?";
}

/* ---- settings ---- */

#define SET_ROW_(e, key, type, def, min, max, choices, help) {e, key, type, def, min, max, choices, help},
const xa_setting xa_settings[XA_SET_N] = {XA_SETTINGS(SET_ROW_)};
#undef SET_ROW_

/* The setting of a key, or NULL. */
const xa_setting *xa_setting_find(const char *key)
{
    for (int i = 0; key && i < XA_SET_N; i++)
        if (!strcmp(xa_settings[i].key, key))
            return &xa_settings[i];
    return NULL;
}

/* Is word one of the '|'-separated choices? */
static int is_choice(const char *choices, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = choices; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (n && len == n && !memcmp(p, word, n))
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* Check a value against its row; the message says what is allowed. */
xa_code xa_setting_check(const xa_setting *s, const char *value, xa_err *err)
{
    switch (s->type) {
    case XA_SETTING_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (!*value || *end || errno || v < s->min || v > s->max)
            return xa_fail(err, XA_EUSAGE, "%s must be a number of days from %lld to %lld",
                           s->key, (long long)s->min, (long long)s->max);
        return XA_OK;
    }
    case XA_SETTING_CHOICE:
        if (!is_choice(s->choices, value))
            return xa_fail(err, XA_EUSAGE, "%s must be one of %s, not '%s'", s->key, s->choices,
                           value);
        return XA_OK;
    case XA_SETTING_TEXT: {
        size_t n = strlen(value);
        if ((int64_t)n < s->min || (int64_t)n > s->max || strpbrk(value, "\r\n"))
            return xa_fail(err, XA_EUSAGE, "%s must be one line of %lld to %lld bytes", s->key,
                           (long long)s->min, (long long)s->max);
        return XA_OK;
    }
    }
    return xa_fail(err, XA_EUSAGE, "%s: unknown setting type", s->key);
}

/* The default of an INT setting. */
int64_t xa_setting_default_int(xa_setting_id id)
{
    if ((unsigned)id >= XA_SET_N)
        return 0;
    return strtoll(xa_settings[id].def, NULL, 10);
}

/* The keys, comma-separated. */
void xa_setting_keys(xa_buf *out)
{
    for (int i = 0; i < XA_SET_N; i++)
        xa_buf_printf(out, "%s%s", i ? ", " : "", xa_settings[i].key);
}
