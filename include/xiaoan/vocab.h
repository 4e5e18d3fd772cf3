/* vocab.h — the domain vocabulary, once: every word a record, a report or a
 * screen uses for a visit kind, an answer result, a hazard's severity,
 * category, state or escalation level, and a follow-up verdict.  Each is
 * one X-macro table of rows X(ENUM, "key", "中文", "English"): the key is
 * what files and records carry, the labels are what people read.  Code
 * turns keys into the enum once (xa_vocab_id) and compares enums, never
 * strings such as "pass".
 *
 * The settings of the office (defaults, bounds, help) are one table here
 * too (XA_SETTINGS), read by the central store's users and by
 * `xiaoan central settings`.
 *
 * Adding a word: one row in its table (keep existing keys: records and
 * stores carry them).  Adding a setting: one row in XA_SETTINGS; no
 * migration is needed, a missing row in the store means the default. */
#ifndef XIAOAN_VOCAB_H
#define XIAOAN_VOCAB_H

#include "xiaoan/error.h"
#include "xiaoan/mem.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the tables ---------------------------------------------------------- */

/* Visit kinds (visit.kind), in the order the start screen offers them. */
#define XA_KINDS(X)                                                          \
    X(XA_KIND_4N2D, "four-not-two-direct", "四不两直", "four-not-two-direct") \
    X(XA_KIND_RANDOM, "random", "随机督查", "random supervision")             \
    X(XA_KIND_SPECIAL, "special", "专项检查", "special inspection")           \
    X(XA_KIND_FOLLOWUP, "follow-up", "复查", "follow-up")                     \
    X(XA_KIND_SELF, "self", "自查", "self-check")                             \
    X(XA_KIND_CROSS, "cross", "交叉互查", "cross-check")                      \
    X(XA_KIND_JOINT, "joint", "联合抽查", "joint spot check")                 \
    X(XA_KIND_THIRD, "third-party", "第三方检查", "third-party check")

/* Answer results (answers[].result). */
#define XA_RESULTS(X)                                     \
    X(XA_RESULT_PASS, "pass", "符合", "pass")              \
    X(XA_RESULT_HAZARD, "hazard", "隐患", "hazard")        \
    X(XA_RESULT_NA, "na", "不适用", "n/a")                 \
    X(XA_RESULT_UNCHECKED, "unchecked", "未查", "unchecked")

/* Severities of a hazard or an item (after XA_SEV_NONE, which text items
 * have and which no record carries).  ADVICE (建议项) is an item's only:
 * an item with no legal basis, whose failure is a recommendation, never a
 * hazard; a hazard record is general or major (visit validation). */
#define XA_SEVERITIES(X)                            \
    X(XA_SEV_GENERAL, "general", "一般", "general") \
    X(XA_SEV_MAJOR, "major", "重大", "major")       \
    X(XA_SEV_ADVICE, "advice", "建议", "advice")

/* Follow-up verdicts on an earlier hazard (followups[].verdict). */
#define XA_VERDICTS(X)                                                \
    X(XA_VERDICT_RECTIFIED, "rectified", "已整改", "rectified")        \
    X(XA_VERDICT_PARTLY, "partly", "部分整改", "partly")               \
    X(XA_VERDICT_NOT, "not-rectified", "未整改", "not rectified")      \
    X(XA_VERDICT_UNABLE, "unable", "无法核查", "could not check")

/* Hazard states at the office (the stored `state`), then the derived
 * `overdue` (not closed, deadline passed), which is never stored. */
#define XA_HSTATES(X)                                                   \
    X(XA_HS_OPEN, "open", "待整改", "open")                         \
    X(XA_HS_RECHECKED, "rechecked", "已整改待销号", "rectified, awaiting sign-off") \
    X(XA_HS_CLOSED, "closed", "已销号", "closed")                   \
    X(XA_HS_OVERDUE, "overdue", "逾期", "overdue")

/* Escalation levels of an overdue hazard (督查督办); the enum is the level. */
#define XA_ESCALATIONS(X)                                    \
    X(XA_ESC_NONE, "none", "无", "none")                      \
    X(XA_ESC_SUPERVISED, "supervised", "督办", "supervised")  \
    X(XA_ESC_LISTED, "listed", "挂牌督办", "listed for supervision")

/* Hazard and form categories. */
#define XA_CATEGORIES(X)                                                          \
    X(XA_CAT_GENERAL, "general", "综合", "general")                                \
    X(XA_CAT_FIRE, "fire", "消防", "fire safety")                                  \
    X(XA_CAT_DORMITORY, "dormitory", "宿舍", "dormitories")                        \
    X(XA_CAT_FOOD, "food", "食品", "food safety")                                  \
    X(XA_CAT_GAS, "gas", "燃气", "gas")                                            \
    X(XA_CAT_ELECTRICAL, "electrical", "用电", "electrical")                       \
    X(XA_CAT_LAB, "lab", "实验室", "laboratories")                                 \
    X(XA_CAT_STORAGE, "storage", "危化品与仓储", "hazardous materials and storage") \
    X(XA_CAT_TRAINING, "training", "实训场所", "training sites")                   \
    X(XA_CAT_SECURITY, "security", "安保", "security")                             \
    X(XA_CAT_TRAFFIC, "traffic", "交通", "traffic")                                \
    X(XA_CAT_CONSTRUCTION, "construction", "施工", "construction works")           \
    X(XA_CAT_BUILDING, "building", "校舍", "school buildings")                     \
    X(XA_CAT_DROWNING, "drowning", "防溺水", "drowning prevention")                \
    X(XA_CAT_HEALTH, "health", "卫生防疫", "health and epidemics")                 \
    X(XA_CAT_DISASTER, "disaster", "自然灾害", "natural disasters")                \
    X(XA_CAT_MENTAL_HEALTH, "mental-health", "心理健康", "mental health")          \
    X(XA_CAT_MANAGEMENT, "management", "安全管理", "safety management")

#define XA_VOCAB_ENUM_(e, key, zh, en) e,
/* Unknown (a key no table has) is -1 in every enum. */
typedef enum { XA_KIND_UNKNOWN = -1, XA_KINDS(XA_VOCAB_ENUM_) XA_KIND_N } xa_kind;
typedef enum { XA_RESULT_UNKNOWN = -1, XA_RESULTS(XA_VOCAB_ENUM_) XA_RESULT_N } xa_result;
typedef enum { XA_SEV_UNKNOWN = -1, XA_SEV_NONE, XA_SEVERITIES(XA_VOCAB_ENUM_) XA_SEV_N } xa_severity;
typedef enum { XA_VERDICT_UNKNOWN = -1, XA_VERDICTS(XA_VOCAB_ENUM_) XA_VERDICT_N } xa_verdict;
typedef enum { XA_HS_UNKNOWN = -1, XA_HSTATES(XA_VOCAB_ENUM_) XA_HS_N } xa_hstate;
typedef enum { XA_ESC_UNKNOWN = -1, XA_ESCALATIONS(XA_VOCAB_ENUM_) XA_ESC_N } xa_escalation;
typedef enum { XA_CAT_UNKNOWN = -1, XA_CATEGORIES(XA_VOCAB_ENUM_) XA_CAT_N } xa_category;
#undef XA_VOCAB_ENUM_

/* ---- looking words up ------------------------------------------------------ */

/* One row of a table. */
typedef struct xa_term {
    int id;                  /* the enum value */
    const char *key, *zh, *en;
} xa_term;

/* A table: what it is called (for messages) and its rows. */
typedef struct xa_vocab {
    const char *what;        /* "visit kind", "result", ... */
    const xa_term *terms;
    size_t n;
} xa_vocab;

extern const xa_vocab xa_vocab_kinds, xa_vocab_results, xa_vocab_severities, xa_vocab_verdicts,
    xa_vocab_hstates, xa_vocab_escalations, xa_vocab_categories;

/* The enum of an exact key, or -1 (also for NULL). */
int xa_vocab_id(const xa_vocab *v, const char *key);
/* The enum of a key in any case or of its Chinese label (input typed by
 * people: CSV files, options), or -1. */
int xa_vocab_parse(const xa_vocab *v, const char *s);
/* The key of an enum ("" when there is none). */
const char *xa_vocab_key(const xa_vocab *v, int id);
/* The label of an enum, Chinese or (en != 0) English ("" when there is none). */
const char *xa_vocab_label(const xa_vocab *v, int id, int en);
/* The label of a key; an unknown key is shown as itself, NULL as "". */
const char *xa_vocab_label_of(const xa_vocab *v, const char *key, int en);
/* Append the keys, comma-separated ("pass, hazard, na, unchecked"). */
void xa_vocab_keys(const xa_vocab *v, xa_buf *out);

/* Typed shorthands for the lookups code makes most. */
#define xa_kind_of(key) ((xa_kind)xa_vocab_id(&xa_vocab_kinds, (key)))
#define xa_result_of(key) ((xa_result)xa_vocab_id(&xa_vocab_results, (key)))
#define xa_severity_of(key) ((xa_severity)xa_vocab_id(&xa_vocab_severities, (key)))
#define xa_verdict_of(key) ((xa_verdict)xa_vocab_id(&xa_vocab_verdicts, (key)))
#define xa_hstate_of(key) ((xa_hstate)xa_vocab_id(&xa_vocab_hstates, (key)))
#define xa_category_of(key) ((xa_category)xa_vocab_id(&xa_vocab_categories, (key)))

/* Category and severity as forms.h has always named them. */
const char *xa_category_key(xa_category c);    /* "fire"; "?" when out of range */
const char *xa_category_label(xa_category c);  /* "消防"; "?" when out of range */
/* Parse a category key (any case); 0 when unknown. */
int xa_category_parse(const char *s, xa_category *out);
const char *xa_severity_key(xa_severity s);    /* "general", "major", "advice", "" for none */
const char *xa_severity_label(xa_severity s);  /* "一般", "重大", "建议", "" for none */

/* ---- settings of the office --------------------------------------------------- */

/* How a setting's value is checked. */
typedef enum {
    XA_SETTING_INT,    /* a whole number from min to max */
    XA_SETTING_CHOICE, /* one of the words of `choices` ("field|office") */
    XA_SETTING_TEXT,   /* text of min to max bytes, one line */
} xa_setting_type;

/* X(ENUM, "key", type, "default", min, max, choices, "help") — one row per
 * setting.  The default is text, as the store keeps every value. */
#define XA_SETTINGS(X)                                                                         \
    X(XA_SET_DEADLINE_GENERAL, "deadline.general", XA_SETTING_INT, "15", 1, 3650, NULL,          \
      "days a school gets to rectify a general hazard (the default deadline)")                 \
    X(XA_SET_DEADLINE_MAJOR, "deadline.major", XA_SETTING_INT, "30", 1, 3650, NULL,              \
      "days a school gets to rectify a major hazard (the default deadline)")                   \
    X(XA_SET_REPORT_UNVISITED, "report.unvisited_days", XA_SETTING_INT, "90", 1, 3650, NULL,     \
      "a school not visited for this many days is listed by central report")                   \
    X(XA_SET_SIGNOFF_GENERAL, "signoff.general", XA_SETTING_CHOICE, "field", 0, 0,               \
      "field|office",                                                                          \
      "who closes a general hazard: a field re-check (field) or the office's sign-off (office)") \
    X(XA_SET_NOTICE_PREFIX, "notice.prefix", XA_SETTING_TEXT, "校安整改", 1, 60, NULL,            \
      "the prefix of notice numbers: {prefix}〔{year}〕{n}号")                                    \
    X(XA_SET_NOTICE_REPLY_DAYS, "notice.reply_days", XA_SETTING_INT, "10", 1, 365, NULL,          \
      "days a school has to send its 整改报告 after a notice")                                   \
    X(XA_SET_ESCALATE_AFTER, "escalate.after_days", XA_SETTING_INT, "7", 1, 3650, NULL,          \
      "days overdue after which a hazard is due for 督办 (twice that: 挂牌督办)")           \
    X(XA_SET_ATTACH_FILE_MB, "attach.file_mb", XA_SETTING_INT, "20", 1, 1024, NULL,             \
      "the largest photo or PDF an inspector may attach, in MB (sent in the brief)")          \
    X(XA_SET_ATTACH_VISIT_MB, "attach.visit_mb", XA_SETTING_INT, "200", 1, 10240, NULL,         \
      "the most attachments one visit may carry, in MB (sent in the brief)")

#define XA_SET_ENUM_(e, key, type, def, min, max, choices, help) e,
typedef enum { XA_SET_UNKNOWN = -1, XA_SETTINGS(XA_SET_ENUM_) XA_SET_N } xa_setting_id;
#undef XA_SET_ENUM_

typedef struct xa_setting {
    xa_setting_id id;
    const char *key;
    xa_setting_type type;
    const char *def;
    int64_t min, max;        /* INT: the range; TEXT: the length in bytes */
    const char *choices;     /* CHOICE: the words, '|'-separated */
    const char *help;
} xa_setting;

extern const xa_setting xa_settings[XA_SET_N];

/* The setting of a key, or NULL. */
const xa_setting *xa_setting_find(const char *key);
/* Check a value for a setting: XA_EUSAGE with one line saying what is
 * allowed ("deadline.major must be a number of days from 1 to 3650"). */
xa_code xa_setting_check(const xa_setting *s, const char *value, xa_err *err);
/* The default of an INT setting as a number. */
int64_t xa_setting_default_int(xa_setting_id id);
/* The known keys, comma-separated, for messages. */
void xa_setting_keys(xa_buf *out);

#endif
