/* tui.h — the inspector's terminal UI (src/tui/): `xiaoan` with no command,
 * `xiaoan tui`, and `xiaoan demo` open it through xa_tui_run.
 *
 * Also declared here: the school filter, a pure piece of the UI the unit
 * tests drive directly (tests/unit/test_tui.c). */
#ifndef XIAOAN_TUI_H
#define XIAOAN_TUI_H

#include "xiaoan/mem.h"

#include <stddef.h>

/* Run the TUI on the field store in `home` (NULL: the usual resolution,
 * see xa_home_resolve).  passfile: read the passphrase from this file
 * instead of asking (tests, demos); NULL asks on the unlock screen.
 * lang: "zh" or "en" (NULL: $XIAOAN_LANG, else zh).  Returns the exit code
 * (0, or 1 with a one-line "xiaoan: ..." on stderr once the terminal is
 * restored). */
int xa_tui_run(const char *home, const char *passfile, const char *lang);

/* Thin-link mode (a phone hotspot, SSH): the checklist marks the selection with
 * a marker column instead of reverse video and the checklist shows its
 * detail pane only when the cursor rests, so a cursor move sends a few
 * dozen bytes.  Set before xa_tui_run; XIAOAN_THIN=1 in the environment
 * turns it on too. */
void xa_tui_thin_link(int on);

/* The minimum terminal size the TUI draws in; smaller shows "终端太小". */
#define XA_TUI_MIN_COLS 60
#define XA_TUI_MIN_ROWS 16

/* The school filter of the picker: every entry is pre-lowercased once;
 * a query is split at spaces and every word must occur in the code, name,
 * county or pinyin initials.  When the query grows (the new one starts with
 * the previous one) only the previous matches are searched again, so typing
 * stays instant with tens of thousands of schools. */
typedef struct xa_filter {
    char **hay;     /* per entry: "code\x1fname\x1fcounty\x1fpinyin", lower case */
    char **py;      /* per entry: the pinyin key of "name county" (pinyin.h) */
    size_t n;
    size_t *match;  /* matching entry indexes, ascending */
    size_t nmatch;
    char *query;    /* the lower-cased query match[] answers */
    unsigned char *own; /* per entry: hay and py are the filter's (else borrowed) */
    xa_big map;         /* hay, py, match and own */
} xa_filter;

void xa_filter_init(xa_filter *f, size_t n);
void xa_filter_set(xa_filter *f, size_t i, const char *code, const char *name,
                   const char *county, const char *pinyin);
/* Entry i searches hay and py as made by xa_search_hay/xa_search_pinyin
 * (pinyin.h), kept elsewhere (the brief's school table): not copied, they
 * must outlive the filter. */
void xa_filter_borrow(xa_filter *f, size_t i, const char *hay, const char *py);
/* Recompute the matches for query ("" matches everything). */
void xa_filter_apply(xa_filter *f, const char *query);
void xa_filter_free(xa_filter *f);

#endif
