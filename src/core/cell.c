/* cell.c — the spreadsheet formula guard (see cell.h): owns the list of
 * first characters that make a spreadsheet run a cell as a formula. */
#include "xiaoan/cell.h"

#include "xiaoan/mem.h"

#include <string.h>

/* Does s start with a character a spreadsheet would read as a formula? */
int xa_cell_risky(const char *s)
{
    static const char *const fullwidth[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                            "\xEF\xBC\xA0"}; /* ＝ ＋ － ＠ */
    if (!s || !*s)
        return 0;
    if (strchr("=+-@\t\r", s[0]))
        return 1;
    for (size_t i = 0; i < sizeof fullwidth / sizeof fullwidth[0]; i++)
        if (!strncmp(s, fullwidth[i], 3))
            return 1;
    return 0;
}

/* The guarded text of a cell (a new string). */
char *xa_cell_guard(const char *s)
{
    if (!s)
        return xa_strdup("");
    return xa_cell_risky(s) ? xa_asprintf("'%s", s) : xa_strdup(s);
}
