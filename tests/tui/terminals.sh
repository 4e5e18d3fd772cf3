# tests/tui/terminals.sh — any terminal: xterm-256color, screen-256color,
# tmux-256color, linux and vt100; NO_COLOR; a locale without UTF-8 (ASCII
# line drawing, English, and a one-line warning).
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
# SGR colours (30-38, 40-48, 90-97, 100-107); 39/49 are tmux's "default colour".
colour_codes() { $TM capture-pane -e -p | grep -cE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m' || true; }
reverse_codes() { $TM capture-pane -e -p | grep -cE $'\e\\[([0-9;]*;)?7(;[0-9;]*)?m' || true; }

for term in xterm-256color screen-256color tmux-256color linux vt100; do
    TUI_TERM=$term tui_start 80 24
    t_screen "$term: home" "检查任务 (1)"
    tui_keys n; tui_type ldqsyxx
    t_screen "$term: picker" "莲都区实验小学"
    tui_keys Escape
    t_screen "$term: back home" "草稿 (0)"
    tui_keys q
        t_exits "$term: quits"
done

# Ambiguous-width punctuation (· “ ” … —) follows the terminal: tmux draws it
# in one column, so the title has no gap after the dot (it had one when the
# program counted two columns for it).
tui_start 80 24
t_screen "ambiguous punctuation: no gap after ·" "校安 · 首页"
# The picker finds schools by full pinyin and by a mix of initials and
# syllables, computed from Unihan's readings (no hand-typed table).
tui_keys n
tui_type longquanshishiyan
t_screen "full pinyin finds the school" "龙泉市实验小学"
tui_keys C-u
tui_type lqssy
t_screen "initials find it too" "龙泉市实验小学"
tui_keys Escape
tui_keys q

# Colour where the terminal has it (the control for the checks below).
TUI_TERM=xterm-256color tui_start 80 24
t_screen "colour: home" "检查任务 (1)"
n=$(colour_codes)
[ "$n" -gt 0 ] && t_ok "xterm-256color uses colour" || t_bad "xterm-256color uses colour"
tui_keys q

# vt100 with NO_COLOR: usable, reverse/bold only, no colour escapes.
TUI_TERM=vt100 tui_start 80 24 NO_COLOR=1
t_screen "vt100+NO_COLOR: home" "检查任务 (1)"
t_eq "vt100+NO_COLOR: no colour escapes" "$(colour_codes)" 0
[ "$(reverse_codes)" -gt 0 ] && t_ok "vt100+NO_COLOR: selection in reverse" || t_bad "vt100+NO_COLOR: selection in reverse"
tui_keys Enter
t_screen "vt100: a visit starts" "不用陪同接待"
tui_keys F2 1
t_saved "vt100: an answer is saved"
t_eq "vt100: still no colour" "$(colour_codes)" 0
tui_keys Escape
t_screen "vt100: home again" "草稿 (1)"
tui_keys q

# NO_COLOR alone on a colour terminal.
TUI_TERM=xterm-256color tui_start 80 24 NO_COLOR=1
t_screen "NO_COLOR: home" "检查任务 (1)"
t_eq "NO_COLOR: no colour escapes" "$(colour_codes)" 0
tui_keys q

# No UTF-8 in the locale: English, ASCII rules, a warning about Chinese.
tui_start 80 24 LANG=C
t_screen "C locale: English" "Assignments (1)"
t_screen "C locale: warning" "needs a UTF-8 terminal"
t_screen "C locale: ASCII rule" "--------------------"
t_lacks "C locale: no box drawing" "$SCREEN" "─"
tui_keys q
tui_done
