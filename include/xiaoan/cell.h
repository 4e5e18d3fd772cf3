/* cell.h — the one spreadsheet formula guard (issue 11 item 8), for every
 * writer of cells a person opens in Excel or WPS: the CSV ledger and report
 * (src/central/ledger.c) and the XLSX writer.
 *
 * A cell whose text starts with = + - @, a tab or a carriage return (the
 * OWASP "CSV injection" list), or with the full-width ＝ ＋ － ＠ a Chinese
 * input method types, may be run as a formula by a spreadsheet.  Such text
 * gets a leading apostrophe, which spreadsheets show as text. */
#ifndef XIAOAN_CELL_H
#define XIAOAN_CELL_H

/* Would a spreadsheet take s as a formula (NULL is harmless)? */
int xa_cell_risky(const char *s);

/* s as a new string that is safe as a cell's text: "'" + s when risky,
 * else a copy (NULL gives ""). */
char *xa_cell_guard(const char *s);

#endif
