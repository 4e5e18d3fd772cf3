# tests/tui/thin.sh — thin-link mode (issue 17): `xiaoan --thin` marks the
# checklist's selection with a marker in the first column instead of
# reverse video, and shows the detail pane only once the cursor rests; the
# answers and the walk work as in the normal mode.  Also the normal mode's
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
tui_keys n
tui_type ldqsyxx
t_screen "picker" "3311020001"
tui_keys Enter
t_screen "visit start" "不用陪同接待"
tui_keys F2
t_screen "checklist" "GN-01"
sleep 0.6
SCREEN=$(tui_screen)
t_eq "the marker is on the first item" "$(marked)" "GN-01"
t_eq "the cursor rests: the detail pane shows it" "$(detail)" "GN-01"
t_eq "no reverse video on the selected row" "$(reversed 'GN-01 ')" "0"

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
t_eq "the walk moved on to GN-03" "$(marked)" "GN-03"
t_eq "its detail shows after the rest" "$(detail)" "GN-03"
tui_keys Up Up
sleep 0.6
SCREEN=$(tui_screen)
t_eq "Up twice: GN-01" "$(marked)" "GN-01"
t_eq "one marker after moving back" "$(printf '%s\n' "$SCREEN" | grep -c '^>')" "1"
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
tui_done
