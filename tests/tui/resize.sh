# tests/tui/resize.sh — redraw on resize anywhere: a form open at 120×40,
# then 80×24, then 40×12 (the "terminal too small" screen), then back; the
# program keeps running and nothing typed is lost.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
resize() { $TM resize-window -x "$1" -y "$2" 2>/dev/null; sleep 0.3; }

# The widest line on the screen, in display columns (wc -L counts CJK as 2).
widest() { tui_screen | wc -L; }

tui_start 120 40
t_screen "home at 120x40" "检查任务 (1)"
tui_keys n; tui_type ldqsyxx; tui_keys Enter
t_screen "visit start" "不用陪同接待"
tui_keys F2
t_screen "checklist at 120x40" "GN-01"
t_screen "long item text fits at 120" "检查组到达校门时，门卫主动拦询，核验身份、向校内核实并登记后方可放行"

resize 80 24
t_screen "checklist redrawn at 80x24" "GN-01"
t_screen "text cut with an ellipsis at 80" "…"
t_eq "nothing wider than 80 columns" "$(( $(widest) <= 80 ))" 1
t_screen "hints at 80x24" "1 符合"

resize 40 12
t_screen "too small at 40x12" "终端太小"
t_screen "too small in English too" "terminal too small"
t_screen "says the minimum" "40x12 < 60x16"
t_eq "nothing wider than 40 columns" "$(( $(widest) <= 40 ))" 1
# Keys still work while too small (here: answer GN-01 blind).
tui_keys 1

resize 120 40
t_screen "back at 120x40" "GN-01    符合"
t_lacks "the too-small message is gone" "$SCREEN" "终端太小"

# Resize in the middle of typing in the hazard editor.
tui_keys 2
t_screen "hazard editor" "隐患描述"
tui_keys C-u
tui_type "消防通道被电动车堵塞"
resize 80 24
t_screen "editor redrawn at 80x24" "消防通道被电动车堵塞"
resize 60 16
t_screen "editor at the minimum 60x16" "消防通道被电动车堵塞"
t_lacks "60x16 is not too small" "$SCREEN" "终端太小"
resize 59 16
t_screen "59 columns is too small" "终端太小"
resize 100 30
tui_type "，已通知整改"
t_screen "typing continues after resizes" "消防通道被电动车堵塞，已通知整改"
t_saved "and it is saved"

# The help overlay survives a resize too.
tui_keys F1
t_screen "help" "帮助（↑↓ 翻看，其他键关闭）"
resize 80 24
t_screen "help redrawn" "帮助（↑↓ 翻看，其他键关闭）"
tui_keys x
kill -0 "$(tui_pid)" 2>/dev/null && t_ok "still running" || t_bad "still running"
tui_keys C-q
tui_done
