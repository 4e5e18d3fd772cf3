/* utf8.h — UTF-8 text measured and shaped for the terminal.
 *
 * One display-width function for the whole program.  Widths follow Unicode
 * East Asian Width.  The "ambiguous" punctuation Chinese writing uses
 * (‘’“”…—·) follows the terminal: the locale's wcwidth (1 in glibc's UTF-8
 * locales, as tmux, PuTTY and the Linux console draw it) unless
 * XIAOAN_WIDE_PUNCT=1 says the terminal draws it wide.  Combining marks and zero-width
 * characters are 0; control characters and invalid bytes count as the 1
 * column of the `?` / U+FFFD that sanitising draws in their place. */
#ifndef XIAOAN_UTF8_H
#define XIAOAN_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define XA_REPLACEMENT 0xFFFDu

/* Decode one character from s (at most len bytes).  Returns the number of
 * bytes used (1..4) and stores the code point; on invalid or truncated input
 * stores U+FFFD and returns 1 (so callers always make progress), and sets
 * *valid to 0 when valid is non-NULL. */
size_t xa_utf8_decode(const char *s, size_t len, uint32_t *cp, int *valid);

/* Encode cp into out (4 bytes room); returns bytes written. */
size_t xa_utf8_encode(uint32_t cp, char *out);

/* Width of the ambiguous punctuation (‘’“”…—·): 1 (the default) or 2. */
void xa_utf8_set_ambiguous_width(int w);
int xa_utf8_ambiguous_width(void);

/* Set that width from XIAOAN_WIDE_PUNCT (1/wide, 0/narrow) or else from the
 * current locale's wcwidth; call after setlocale. */
void xa_utf8_ambiguous_from_locale(void);

/* Is s (len bytes) entirely valid UTF-8 (no surrogates, no overlongs)?
 * On failure *bad_off (if non-NULL) receives the byte offset of the problem. */
int xa_utf8_valid(const char *s, size_t len, size_t *bad_off);

/* Display columns of one code point: 0, 1 or 2 (controls count 1). */
int xa_cp_width(uint32_t cp);

/* Display columns of a NUL-terminated string. */
size_t xa_utf8_width(const char *s);
/* Display columns of the first len bytes. */
size_t xa_utf8_nwidth(const char *s, size_t len);

/* New string: control characters (C0, DEL, C1) become '?', invalid UTF-8
 * becomes U+FFFD.  Newlines become '?' too unless keep_newlines. */
char *xa_utf8_sanitize(const char *s, size_t len, int keep_newlines);

/* New string of at most cols columns: s itself if it fits, otherwise cut at
 * a character boundary with "…" (counted as 2 columns) at the end.  The
 * result is sanitised.  cols 0 gives "". */
char *xa_utf8_cut(const char *s, size_t cols);

/* New string exactly cols columns wide: cut as above, then padded with
 * spaces on the right (on the left when right_align). */
char *xa_utf8_pad(const char *s, size_t cols, int right_align);

struct xa_buf;

/* Append one table row and '\n' to out: indent, then the n cells padded
 * (xa_utf8_pad) to widths w, right-aligned where right[j] (right may be
 * NULL), two spaces apart, with the row's trailing blanks dropped. */
void xa_utf8_row(struct xa_buf *out, const char *indent, const char *const *cells,
                 const size_t *w, const int *right, int n);

/* Wrap a paragraph to lines of at most cols columns.  Chinese may break
 * between any two characters, Latin words break at spaces (a word longer
 * than a line is split), no line starts with closing punctuation
 * (，。、：；？！）》」』】”’…), and '\n' forces a break.  Returns a NULL-
 * terminated array of new strings (free with xa_lines_free); *nlines gets
 * the count.  An empty string gives zero lines. */
char **xa_utf8_wrap(const char *s, size_t cols, size_t *nlines);
void xa_lines_free(char **lines);

#endif
