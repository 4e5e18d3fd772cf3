/* utf8.c — decoding, display width, sanitising, cutting, padding and
 * wrapping of UTF-8 text (see utf8.h for the width rules).  The width table
 * is our own rather than wcwidth(3) so results do not depend on the locale
 * installed on an inspector's laptop and so Chinese punctuation is wide. */
#include "xiaoan/utf8.h"

#include "xiaoan/error.h"
#include "xiaoan/mem.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Decode one UTF-8 sequence strictly (no overlongs, surrogates, > U+10FFFF). */
size_t xa_utf8_decode(const char *s, size_t len, uint32_t *cp, int *valid)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c;
    size_t n;
    if (len == 0)
        goto bad;
    if (p[0] < 0x80) {
        *cp = p[0];
        if (valid)
            *valid = 1;
        return 1;
    } else if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
        c = p[0] & 0x1F;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        c = p[0] & 0x0F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        c = p[0] & 0x07;
    } else {
        goto bad;
    }
    if (len < n)
        goto bad;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
        (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *cp = c;
    if (valid)
        *valid = 1;
    return n;
bad:
    *cp = XA_REPLACEMENT;
    if (valid)
        *valid = 0;
    return 1;
}

/* Encode one code point. */
size_t xa_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Validate a whole byte string. */
int xa_utf8_valid(const char *s, size_t len, size_t *bad_off)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int ok;
        size_t n = xa_utf8_decode(s + i, len - i, &cp, &ok);
        if (!ok) {
            if (bad_off)
                *bad_off = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

struct range {
    uint32_t lo, hi;
};

/* Zero-width: combining marks, zero-width spaces/joiners, variation selectors. */
static const struct range zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},
    {0x20D0, 0x20FF}, {0x302A, 0x302D}, {0x3099, 0x309A}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

/* Wide: East Asian Wide/Fullwidth blocks. */
static const struct range wide[] = {
    {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A},
    {0x23E9, 0x23EC}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2E80, 0x303E},
    {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
    {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Binary search of a sorted range table. */
static int in_table(uint32_t cp, const struct range *t, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < t[mid].lo)
            hi = mid;
        else if (cp > t[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* The ambiguous punctuation of Chinese text (·—‘’“”…): East Asian Width
 * "A", drawn in one column by most terminals (tmux, the Linux console,
 * PuTTY, glibc's wcwidth in every UTF-8 locale) and in two by some set up
 * for CJK.  The program must agree with the terminal, or every row that
 * holds one is shifted. */
static const struct range ambiguous[] = {
    {0x00B7, 0x00B7}, {0x2014, 0x2014}, {0x2018, 0x2019}, {0x201C, 0x201D}, {0x2026, 0x2026},
};

static int ambiguous_width = 1;

void xa_utf8_set_ambiguous_width(int w)
{
    ambiguous_width = w == 2 ? 2 : 1;
}

int xa_utf8_ambiguous_width(void)
{
    return ambiguous_width;
}

/* The terminal's own answer is the locale's wcwidth (what curses uses too);
 * XIAOAN_WIDE_PUNCT overrides it for a terminal configured otherwise. */
void xa_utf8_ambiguous_from_locale(void)
{
    const char *env = getenv("XIAOAN_WIDE_PUNCT");
    if (env && *env) {
        xa_utf8_set_ambiguous_width(!strcmp(env, "1") || !strcmp(env, "wide") ? 2 : 1);
        return;
    }
    xa_utf8_set_ambiguous_width(wcwidth(0x201C) == 2 ? 2 : 1);
}

/* Columns of one code point. */
int xa_cp_width(uint32_t cp)
{
    if (xa_cp_unsafe(cp))
        return 1; /* drawn as '?' */
    if (in_table(cp, ambiguous, sizeof ambiguous / sizeof ambiguous[0]))
        return ambiguous_width;
    if (cp < 0x300)
        return 1;
    if (in_table(cp, zero_width, sizeof zero_width / sizeof zero_width[0]))
        return 0;
    if (in_table(cp, wide, sizeof wide / sizeof wide[0]))
        return 2;
    return 1;
}

size_t xa_utf8_nwidth(const char *s, size_t len)
{
    size_t w = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        i += xa_utf8_decode(s + i, len - i, &cp, NULL);
        w += (size_t)xa_cp_width(cp);
    }
    return w;
}

size_t xa_utf8_width(const char *s)
{
    return xa_utf8_nwidth(s, strlen(s));
}

/* Is cp a character that must not reach the terminal (the sanitiser's own
 * list in error.c: controls, bidi controls, line separators)? */
static int is_control(uint32_t cp)
{
    return xa_cp_unsafe(cp);
}

/* Append the drawable form of one decoded character. */
static void put_clean(xa_buf *b, uint32_t cp, int keep_newlines)
{
    char enc[4];
    if (cp == '\n' && keep_newlines)
        xa_buf_putc(b, '\n');
    else if (is_control(cp))
        xa_buf_putc(b, '?');
    else
        xa_buf_add(b, enc, xa_utf8_encode(cp, enc));
}

char *xa_utf8_sanitize(const char *s, size_t len, int keep_newlines)
{
    xa_buf b = XA_BUF_INIT;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        i += xa_utf8_decode(s + i, len - i, &cp, NULL);
        put_clean(&b, cp, keep_newlines);
    }
    return xa_buf_steal(&b);
}

#define ELLIPSIS "\xE2\x80\xA6" /* … */
#define ELLIPSIS_W ((size_t)ambiguous_width)

char *xa_utf8_cut(const char *s, size_t cols)
{
    size_t len = strlen(s);
    if (xa_utf8_width(s) <= cols)
        return xa_utf8_sanitize(s, len, 0);
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "");
    if (cols < ELLIPSIS_W) {
        /* No room for the ellipsis: as many narrow characters as fit. */
        size_t i = 0, w = 0;
        while (i < len) {
            uint32_t cp;
            size_t n = xa_utf8_decode(s + i, len - i, &cp, NULL);
            if (w + (size_t)xa_cp_width(cp) > cols)
                break;
            put_clean(&b, cp, 0);
            w += (size_t)xa_cp_width(cp);
            i += n;
        }
        return xa_buf_steal(&b);
    }
    size_t room = cols - ELLIPSIS_W, i = 0, w = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = xa_utf8_decode(s + i, len - i, &cp, NULL);
        int cw = xa_cp_width(cp);
        if (w + (size_t)cw > room)
            break;
        put_clean(&b, cp, 0);
        w += (size_t)cw;
        i += n;
    }
    xa_buf_puts(&b, ELLIPSIS);
    return xa_buf_steal(&b);
}

char *xa_utf8_pad(const char *s, size_t cols, int right_align)
{
    char *cut = xa_utf8_cut(s, cols);
    size_t w = xa_utf8_width(cut);
    xa_buf b = XA_BUF_INIT;
    xa_buf_puts(&b, "");
    if (right_align)
        for (size_t i = w; i < cols; i++)
            xa_buf_putc(&b, ' ');
    xa_buf_puts(&b, cut);
    if (!right_align)
        for (size_t i = w; i < cols; i++)
            xa_buf_putc(&b, ' ');
    free(cut);
    return xa_buf_steal(&b);
}

void xa_utf8_row(struct xa_buf *out, const char *indent, const char *const *cells,
                 const size_t *w, const int *right, int n)
{
    size_t start = out->len;
    xa_buf_puts(out, indent);
    for (int j = 0; j < n; j++) {
        char *p = xa_utf8_pad(cells[j], w[j], right && right[j]);
        if (j)
            xa_buf_puts(out, "  ");
        xa_buf_puts(out, p);
        free(p);
    }
    while (out->len > start && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
    xa_buf_putc(out, '\n');
}

/* Characters that may not begin a line (Chinese line-breaking rules). */
static int no_line_start(uint32_t cp)
{
    static const uint32_t set[] = {
        0xFF0C /* ， */, 0x3002 /* 。 */, 0x3001 /* 、 */, 0xFF1A /* ： */,
        0xFF1B /* ； */, 0xFF1F /* ？ */, 0xFF01 /* ！ */, 0xFF09 /* ） */,
        0x300B /* 》 */, 0x300D /* 」 */, 0x300F /* 』 */, 0x3011 /* 】 */,
        0x201D /* ” */, 0x2019 /* ’ */, 0x2026 /* … */, 0x3009 /* 〉 */,
        ',', '.', ';', ':', '?', '!', ')', ']', '}',
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return 1;
    return 0;
}

/* A character after which (and before which) a line may break freely. */
static int is_cjk(uint32_t cp)
{
    return xa_cp_width(cp) == 2;
}

/* One unbreakable piece of a paragraph. */
struct token {
    size_t off, len, width;
    int space;   /* a run of spaces: a break opportunity, dropped at line ends */
    int newline; /* a forced break */
};

/* Split s into tokens: a CJK character, a Latin word, a space run or a
 * newline; closing punctuation is glued to the token before it so it never
 * starts a line. */
static struct token *tokenize(const char *s, size_t len, size_t *ntok)
{
    size_t cap = 16, n = 0;
    struct token *t = xa_malloc(cap * sizeof *t);
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t cl = xa_utf8_decode(s + i, len - i, &cp, NULL);
        if (n && no_line_start(cp) && !t[n - 1].space && !t[n - 1].newline) {
            t[n - 1].len += cl;
            t[n - 1].width += (size_t)xa_cp_width(cp);
            i += cl;
            continue;
        }
        if (n == cap) {
            cap *= 2;
            t = xa_reallocarray(t, cap, sizeof *t);
        }
        struct token *k = &t[n++];
        memset(k, 0, sizeof *k);
        k->off = i;
        if (cp == '\n') {
            k->newline = 1;
            k->len = cl;
            i += cl;
        } else if (cp == ' ' || cp == '\t') {
            k->space = 1;
            while (i < len && (s[i] == ' ' || s[i] == '\t')) {
                i++;
                k->width++;
            }
            k->len = i - k->off;
        } else if (is_cjk(cp)) {
            k->len = cl;
            k->width = 2;
            i += cl;
        } else {
            /* A Latin word: up to a space, newline, CJK or line-start punct. */
            k->len = cl;
            k->width = (size_t)xa_cp_width(cp);
            i += cl;
            while (i < len) {
                uint32_t c2;
                size_t l2 = xa_utf8_decode(s + i, len - i, &c2, NULL);
                if (c2 == ' ' || c2 == '\t' || c2 == '\n' || is_cjk(c2))
                    break;
                k->len += l2;
                k->width += (size_t)xa_cp_width(c2);
                i += l2;
            }
        }
    }
    *ntok = n;
    return t;
}

/* Lines under construction. */
struct lines {
    char **v;
    size_t n, cap;
};

static void lines_push(struct lines *L, xa_buf *cur)
{
    if (L->n + 2 > L->cap) {
        L->cap = L->cap ? L->cap * 2 : 8;
        L->v = xa_reallocarray(L->v, L->cap, sizeof *L->v);
    }
    /* Trailing spaces are not part of a wrapped line. */
    while (cur->len && cur->data[cur->len - 1] == ' ')
        cur->data[--cur->len] = '\0';
    L->v[L->n++] = xa_buf_steal(cur);
    L->v[L->n] = NULL;
}

/* Append text sanitised (no controls) to the current line. */
static void line_add(xa_buf *cur, const char *s, size_t len)
{
    char *clean = xa_utf8_sanitize(s, len, 0);
    xa_buf_puts(cur, clean);
    free(clean);
}

char **xa_utf8_wrap(const char *s, size_t cols, size_t *nlines)
{
    struct lines L = {NULL, 0, 0};
    L.cap = 8;
    L.v = xa_malloc(L.cap * sizeof *L.v);
    L.v[0] = NULL;
    if (cols == 0)
        cols = 1;
    size_t len = strlen(s), ntok;
    struct token *t = tokenize(s, len, &ntok);
    xa_buf cur = XA_BUF_INIT;
    size_t w = 0;
    int started = 0; /* the current line has content (or a forced break made it) */
    for (size_t k = 0; k < ntok; k++) {
        struct token *tk = &t[k];
        if (tk->newline) {
            lines_push(&L, &cur);
            w = 0;
            started = 0;
            continue;
        }
        if (tk->space) {
            if (w == 0)
                continue; /* no line starts with spaces from a wrap */
            if (w + tk->width <= cols) {
                line_add(&cur, s + tk->off, tk->len);
                w += tk->width;
            } else {
                lines_push(&L, &cur);
                w = 0;
                started = 0;
            }
            continue;
        }
        if (w + tk->width <= cols) {
            line_add(&cur, s + tk->off, tk->len);
            w += tk->width;
            started = 1;
            continue;
        }
        if (tk->width <= cols) {
            lines_push(&L, &cur);
            line_add(&cur, s + tk->off, tk->len);
            w = tk->width;
            started = 1;
            continue;
        }
        /* Longer than a whole line: split by characters. */
        size_t i = tk->off, end = tk->off + tk->len;
        while (i < end) {
            uint32_t cp;
            size_t cl = xa_utf8_decode(s + i, end - i, &cp, NULL);
            size_t cw = (size_t)xa_cp_width(cp);
            if (w + cw > cols && w > 0) {
                lines_push(&L, &cur);
                w = 0;
            }
            line_add(&cur, s + i, cl);
            w += cw;
            i += cl;
        }
        started = 1;
    }
    if (started || cur.len)
        lines_push(&L, &cur);
    xa_buf_clear(&cur);
    free(t);
    *nlines = L.n;
    return L.v;
}

void xa_lines_free(char **lines)
{
    if (!lines)
        return;
    for (char **p = lines; *p; p++)
        free(*p);
    free(lines);
}
