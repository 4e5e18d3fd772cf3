# tests/tui/keys.sh — terminals whose TERM does not match (issue 16 bug 7):
# box lines are drawn as box characters (never the "lqqqk" of a character-set
# switch a UTF-8 terminal ignores) where the terminal has line drawing, ASCII
# where it has none; F-keys sent in another terminal's form (tmux's xterm
# form under TERM=vt100 or linux, rxvt's, the Linux console's) still work and
# never act as Esc; an unknown sequence is dropped with a word; every F-key
# has a control-key twin the footer shows.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }

# Raw bytes, as another terminal would send them (hex after ESC).
send_esc() { $TM send-keys -H 1b $(printf '%s' "$1" | od -An -tx1); }

# --- line drawing ---
# vt100 has line drawing (acsc): box characters as text, not "lqqqk".
TUI_TERM=vt100 tui_start 80 24
t_screen "vt100: home" "检查任务 (1)"
tui_keys '?'
t_screen "vt100: help is drawn with box characters" "┌───"
t_lacks "vt100: no lqqqk" "$SCREEN" "lqqq"
t_has "vt100: side lines" "$SCREEN" "│ 帮助"
tui_keys q
tui_keys q
t_exits "vt100: quits"

# A terminal without line drawing (xterm-r5's terminfo has no acsc): ASCII.
TUI_TERM=xterm-r5 tui_start 80 24
t_screen "xterm-r5: home" "检查任务 (1)"
t_has "xterm-r5: the rule is ASCII" "$SCREEN" "--------------------"
t_lacks "xterm-r5: no box-drawing rule" "$SCREEN" "─"
tui_keys '?'
t_screen "xterm-r5: help box in ASCII" "+-----"
t_lacks "xterm-r5: no box characters in the help" "$SCREEN" "│"
tui_keys q
tui_keys q

# XIAOAN_LINES=ascii for a font without box characters.
tui_start 80 24 XIAOAN_LINES=ascii
t_screen "XIAOAN_LINES=ascii: home" "检查任务 (1)"
t_has "XIAOAN_LINES=ascii: ASCII rule" "$SCREEN" "--------------------"
t_lacks "XIAOAN_LINES=ascii: no box characters" "$SCREEN" "─"
tui_keys q

# --- F-keys under a TERM that does not match ---
# vt100's terminfo says F9 is ESC O w; tmux sends ESC [ 2 0 ~.  Before, the
# checklist took it as Esc (back home) plus stray characters.
TUI_TERM=vt100 tui_start 80 24
t_screen "vt100: home again" "检查任务 (1)"
tui_keys Enter
t_screen "vt100: a visit starts" "不用陪同接待"
tui_keys F2
t_screen "vt100: checklist" "GN-01"
tui_keys F9
t_screen "vt100: F9 opens the review" "核对无误后按 S 封存"
t_lacks "vt100: F9 did not go home" "$SCREEN" "草稿 ("
tui_keys Escape
t_screen "vt100: Esc is still Esc" "GN-01"
tui_keys Escape
t_screen "vt100: home" "草稿 (1)"
tui_keys q

# linux's terminfo says F1 is ESC [ [ A; tmux sends ESC O P.
TUI_TERM=linux tui_start 80 24
t_screen "linux: home" "检查任务 (1)"
tui_keys F1
t_screen "linux: F1 opens the help" "帮助（↑↓ 翻看"
tui_keys q
tui_keys q

# Other terminals' F2 on the start page (xterm-256color here): rxvt's
# ESC [ 1 2 ~ and the Linux console's ESC [ [ B.
tui_start 80 24
t_screen "xterm: home" "草稿 (1)"
tui_keys Enter
t_screen "start page" "不用陪同接待"
send_esc '[12~'
t_screen "rxvt's F2 closes the start page" "GN-01"
tui_keys i
t_screen "start page again" "不用陪同接待"
send_esc '[[B'
t_screen "the Linux console's F2 closes it too" "GN-01"
# An unknown sequence: dropped with a word, not Esc + characters.
send_esc '[99~'
t_screen "an unknown sequence says so" "不认识这个键"
t_has "and the checklist stays" "$SCREEN" "GN-01"

# --- every F-key has a control-key twin the footer shows ---
tui_keys i
t_screen "start page: the footer shows F2/^S" "F2/^S 完成"
tui_keys C-s
t_screen "Ctrl-S closes the start page" "GN-01"
tui_keys a
t_screen "a: the hazard editor" "隐患描述"
t_screen "hazard editor footer: F8/^R and F2/^S" "F8/^R 删除  F2/^S 完成"
t_has "while typing, help is F1/^G" "$SCREEN" "F1/^G 帮助"
tui_keys C-g
t_screen "Ctrl-G opens the help" "帮助（↑↓ 翻看"
t_has "the help lists Ctrl-S for done" "$SCREEN" "F2 / Ctrl-S"
tui_keys q
tui_keys C-r
t_screen "Ctrl-R asks once more" "再按一次 F8（或 Ctrl-R）"
tui_keys C-r
t_screen "Ctrl-R twice deletes the hazard" "GN-01"
tui_keys Escape
t_screen "home" "草稿 (2)"
tui_keys q
t_exits "quits"
tui_done
