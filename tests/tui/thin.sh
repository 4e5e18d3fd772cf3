# tests/tui/thin.sh — thin-link mode (issue 17): `xiaoan --thin` marks the
# selection with a marker in the first column instead of reverse video —
# the checklist, the form chooser, the follow-ups, the review, home and the
# school picker — and shows a detail pane (checklist, follow-ups) only once
# the cursor rests; the answers and the walk work as in the normal mode.  Also the normal mode's
# partial redraw: after cursor moves within the page the screen is the one
# a full redraw (Ctrl-L) gives.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }

# The line of the screen that starts with the marker.
marked() { printf '%s\n' "$SCREEN" | grep -E '^>' | head -1 | awk '{print $2}'; }
# The code at the top of the detail pane (the line after the rule).
detail() { printf '%s\n' "$SCREEN" | awk '/^────/ {getline; print $1; exit}'; }
# The screen with its attributes: is the line holding TEXT highlighted as the
# selection (black on cyan, or reverse video in monochrome)?
reversed() {
    $TM capture-pane -e -p 2>/dev/null | grep -F -- "$1" | grep -cE $'\e\\[([0-9]*;)*(7|46)(;[0-9]*)*m'
}

TUI_ARGS=--thin tui_start 100 30
tui_wait "检查任务" 10
t_new_visit
sleep 0.6
SCREEN=$(tui_screen)
t_eq "the marker is on the first item" "$(marked)" "GN-01"
t_eq "the cursor rests: the detail pane shows it" "$(detail)" "GN-01"
t_eq "no reverse video on the selected row" "$(reversed 'GN-01 ')" "0"
# The marker is a plain character: bold around it would add two attribute
# changes to every move on the link.
t_lacks "the marker has no attribute of its own" "$($TM capture-pane -e -p | grep -F 'GN-01 ')" $'\e[1m>'
# A row's text is cut at 24 columns on a thin link (a page turned sends
# short rows); the detail pane has the whole text once the cursor rests.
row=$(printf '%s\n' "$SCREEN" | grep -E '^>')
t_has "a thin row's text is cut short" "$row" "GN-01    ·       检查组到达校门时，门卫…"
t_lacks "the rest of the text is not on the row" "$row" "核验身份"
t_has "the detail pane has the whole text" "$SCREEN" "门卫主动拦询，核验身份"

tui_keys Down
sleep 0.6
SCREEN=$(tui_screen)
t_eq "Down moves the marker" "$(marked)" "GN-02"
t_eq "one marker only" "$(printf '%s\n' "$SCREEN" | grep -c '^>')" "1"
t_eq "the detail pane follows once the cursor rests" "$(detail)" "GN-02"

tui_keys 1
t_saved "an answer is saved"
sleep 0.6
SCREEN=$(tui_screen)
t_has "GN-02 passed" "$(printf '%s\n' "$SCREEN" | grep -F 'GN-02')" "符合"
# No colours on a thin row: an answered row's tag is plain text.
t_lacks "the answer's tag has no colour on a thin link" "$($TM capture-pane -e -p | grep -F 'GN-02')" $'\e['
t_eq "the walk moved on to GN-03" "$(marked)" "GN-03"
t_eq "its detail shows after the rest" "$(detail)" "GN-03"
tui_keys Up Up
sleep 0.6
SCREEN=$(tui_screen)
t_eq "Up twice: GN-01" "$(marked)" "GN-01"
t_eq "one marker after moving back" "$(printf '%s\n' "$SCREEN" | grep -c '^>')" "1"
# Many moves, pages turned both ways, Home/End, a resize: the screen shows
# what a full redraw (Ctrl-L) shows, one marker on the item the detail
# pane shows, no highlighted item row.  (The text: a full redraw may leave
# other attributes on blank cells after a heading, which shows nothing.)
thin_same() {
    sleep 0.6
    SCREEN=$(tui_screen)
    local m d moved
    moved=$SCREEN
    m=$(marked)
    d=$(detail)
    t_eq "$1: no highlighted item row" "$($TM capture-pane -e -p 2>/dev/null | grep -F 'GN-' | grep -cE $'\e\\[([0-9]*;)*(7|46)(;[0-9]*)*m')" "0"
    tui_keys C-l
    sleep 0.6
    t_eq "$1: the screen is a full redraw's" "$moved" "$(tui_screen)"
    t_eq "$1: one marker" "$(printf '%s\n' "$SCREEN" | grep -c '^>')" "1"
    t_eq "$1: the marker is on the item the pane shows" "$m" "$d"
    [ -z "${2:-}" ] || t_eq "$1: the marker is on $2" "$m" "$2"
}
for _ in $(seq 30); do tui_keys Down; done
thin_same "30 moves down (pages turned)"
for _ in $(seq 17); do tui_keys Up; done
thin_same "17 moves up (a page turned back)"
tui_keys NPage NPage
thin_same "two pages down"
tui_keys PPage
thin_same "a page up"
tui_keys End
thin_same "End"
tui_keys Home
thin_same "Home" "GN-01"
tui_keys Down Down Down
thin_same "three down from the top" "GN-04"
$TM resize-window -x 90 -y 24 2>/dev/null
thin_same "after a resize" "GN-04"
for _ in $(seq 22); do tui_keys Down; done
thin_same "22 moves down after the resize"
tui_keys Home
thin_same "Home again" "GN-01"
tui_keys C-q
t_exits "quits"

# --- the normal mode: rows drawn after moves equal a full redraw ---
tui_start 100 30
t_screen "the draft reopens on its checklist" "进度" 10
tui_keys Down Down Down Up Down Down
sleep 0.5
moved=$(tui_screen)
t_eq "the selected row is in reverse video" "$(reversed "$(printf '%s\n' "$moved" | awk '/^────/ {getline; print $1; exit}') ")" "1"
t_lacks "no marker column in the normal mode" "$(printf '%s\n' "$moved" | grep -E '^>')" ">"
tui_keys C-l
sleep 0.5
t_eq "the screen after moves is the full redraw's" "$moved" "$(tui_screen)"
$TM capture-pane -e -p >"$T_TMP/a" 2>/dev/null
tui_keys Down Up
sleep 0.5
$TM capture-pane -e -p >"$T_TMP/b" 2>/dev/null
t_eq "attributes too: down and up again leaves the screen as it was" "$(cat "$T_TMP/b")" "$(cat "$T_TMP/a")"
tui_keys C-q
t_exits "quits"
# --- thin mode on the other list screens: a marker, never a highlight ---
# Lines carrying the highlight (black on cyan, or reverse video).
highlighted() {
    $TM capture-pane -e -p 2>/dev/null | grep -cE $'\e\\[([0-9]*;)*(7|46)(;[0-9]*)*m'
}
# The marked lines (the marker is in column 0 or 1).
marks() { printf '%s\n' "$SCREEN" | grep -E '^ ?>'; }
# thin_list NAME FIRST SECOND: the marker on the row with FIRST, one marker,
# no highlighted row; Down moves it to the row with SECOND.
thin_list() {
    sleep 0.3
    SCREEN=$(tui_screen)
    t_has "$1: the marker is on $2" "$(marks)" "$2"
    t_eq "$1: exactly one marker" "$(marks | wc -l)" "1"
    t_eq "$1: no highlighted row" "$(highlighted)" "0"
    tui_keys Down
    sleep 0.3
    SCREEN=$(tui_screen)
    t_has "$1: Down moves the marker to $3" "$(marks)" "$3"
    t_eq "$1: one marker after the move" "$(marks | wc -l)" "1"
    t_eq "$1: still no highlighted row" "$(highlighted)" "0"
}
TUI_ARGS=--thin tui_start 100 30
t_screen "thin: the draft reopens on its checklist" "进度" 10
tui_keys f
t_screen "thin: the form chooser" "[x]"
thin_list "form chooser" "[x] 四不两直进校综合检查" "[ ] "
tui_keys Escape
t_screen "thin: back on the checklist" "进度"
tui_keys r
t_screen "thin: the follow-up list" "复查"
thin_list "follow-ups" "图书馆未取得消防验收合格意见" "图书馆未取得消防验收合格意见"
sleep 0.6
SCREEN=$(tui_screen)
t_has "follow-ups: the pane shows the hazard once the cursor rests" "$SCREEN" "位置：图书馆"
t_has "follow-ups: with its note line" "$SCREEN" "复查说明"
tui_keys Escape
t_screen "thin: the checklist again" "进度"
tui_keys s
t_screen "thin: the review" "封存"
thin_list "review" "“四不”未全部勾选" "1 条以往隐患未复查"
tui_keys Escape
t_screen "thin: the checklist once more" "进度"
for _ in 1 2 3 4; do
    tui_wait "检查任务 (" 1 && break
    tui_keys Escape
done
t_screen "thin: home" "检查任务 ("
thin_list "home" "莲都区城北小学" "莲都区实验小学  莲都区  1 条隐患"
tui_keys n
tui_type ldq
t_screen "thin: the school picker" "3311020001"
thin_list "picker" "3311020001" "3311020002"
tui_keys Escape
tui_keys C-q
t_exits "quits"

tui_done
