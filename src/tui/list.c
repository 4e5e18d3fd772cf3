/* list.c — a scrolling selection shared by the list screens.  On a thin
 * link (tui_thin) the list turns a whole page when the selection leaves it
 * (like mutt without $menu_scroll): the moves within a page then cost only
 * the marker, where scrolling line by line sends a new row on every move
 * at the page's edge. */
#include "tui_int.h"

int tlist_move(struct tlist *l, enum tui_action a, int rows)
{
    int page = rows > 2 ? rows - 1 : 1, sel = l->sel, top = l->top;
    switch (a) {
    case ACT_UP: l->sel--; break;
    case ACT_DOWN: l->sel++; break;
    case ACT_PGUP: l->sel -= page; break;
    case ACT_PGDN: l->sel += page; break;
    case ACT_FIRST: l->sel = 0; break;
    case ACT_LAST: l->sel = l->n - 1; break;
    default: return R_NONE;
    }
    tlist_fit(l, rows);
    return l->sel != sel || l->top != top ? R_REDRAW : R_HANDLED;
}

void tlist_fit(struct tlist *l, int rows)
{
    if (l->sel >= l->n)
        l->sel = l->n - 1;
    if (l->sel < 0)
        l->sel = 0;
    if (rows < 1)
        rows = 1;
    if (tui_thin && l->sel >= l->top + rows)
        l->top += (l->sel - l->top) / rows * rows;
    if (tui_thin && l->sel < l->top)
        l->top -= (l->top - l->sel + rows - 1) / rows * rows;
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + rows)
        l->top = l->sel - rows + 1;
    if (l->top > l->n - rows)
        l->top = l->n - rows;
    if (l->top < 0)
        l->top = 0;
}
