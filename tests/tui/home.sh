# tests/tui/home.sh — the home screen on the demo workspace (a history of
# exports, some acknowledged by the office's receipts): which bundles the
# office has acknowledged, and that a new brief after a merge acknowledges
# the rest.  The real program in tmux; XIAOAN_NOW fixed.
. "$(dirname "$0")/../lib/t.sh"
export XIAOAN_NOW=2026-12-01T10:00:00+08:00
. "$(dirname "$0")/tui.inc"

D=$T_TMP/demo
"$XA" demo "$D" --no-tui --roster "$TUI_ROOT/docs/examples/roster.csv" --forms "$TUI_ROOT/forms" >"$T_TMP/demo.out" 2>&1 ||
    { t_bad "demo workspace" "$(cat "$T_TMP/demo.out")"; tui_done; exit 1; }
H=$D/home P=$D/passphrase.txt S=$D/office.db

# --- acknowledged exports ---
tui_start 100 40
t_screen "home opens on the demo" "检查员：张明" 10
t_screen "exported visits: how many the office acknowledged" "已导出 (5) · 安全科已确认 4"
t_screen "bundles listed with their acknowledgement" "回传数据包 (5) · 安全科已确认 4"
t_screen "the newest bundle waits for a receipt" "数据包 #5  2026-11-27 17:10 导出  1 次检查  待安全科确认"
t_screen "an acknowledged bundle says when the office merged it" "数据包 #4  2026-11-22 17:10 导出  1 次检查  安全科已合并（2026-11-23 09:00）"
t_screen "an unacknowledged visit is marked" "莲都区雅溪镇中学  四不两直"
case "$SCREEN" in *"1 条隐患  待安全科确认"*) t_ok "the visit row says it waits" ;; *) t_bad "the visit row says it waits" "$SCREEN" ;; esac
tui_keys q
t_exits "q quits"

# the office writes the next brief (it merged bundle 5 already); the
# inspector imports it: every export is acknowledged now
fp=$(sed -n 's/^fingerprint: //p' "$D/inspector.id")
"$XA" central brief --store "$S" --passphrase-file "$P" --inspector "$fp" -o "$T_TMP/next.xbrief" >/dev/null 2>&1 &&
    "$XA" brief import --home "$H" --passphrase-file "$P" "$T_TMP/next.xbrief" >/dev/null 2>&1 &&
    t_ok "next brief imported" || t_bad "next brief imported"
tui_start 100 40
t_screen "after the brief: all five acknowledged" "回传数据包 (5) · 安全科已确认 5"
t_screen "bundle 5 merged" "数据包 #5  2026-11-27 17:10 导出  1 次检查  安全科已合并（2026-11-28 09:00）"
tui_keys q
t_exits "q quits again"

tui_done
