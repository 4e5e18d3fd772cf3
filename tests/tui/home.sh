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

# select_row TEXT — move the home list's selection down (from where it is)
# until the row showing TEXT is the selected one (drawn highlighted).
select_row() {
    local i=0 line
    while [ $i -lt 45 ]; do
        line=$($TM capture-pane -p -e 2>/dev/null | grep -F -- "$1" | head -1)
        case "$line" in *$'\e[46m'* | *$'\e[7m'*) return 0 ;; esac
        tui_keys Down
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

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

# --- a re-check note written on two lines reads as two lines, never "?" ---
select_row "#4 莲都区老竹畲族镇中心学校  复查" && t_ok "the sealed re-check is selected" || t_bad "the sealed re-check is selected" "$(tui_screen)"
tui_keys Enter
t_screen "the sealed re-check opens" "已封存（只读）"
tui_keys Escape
sleep 0.3
tui_keys r
t_screen "the re-check list shows the note" "电动车已移出"
t_screen "the note's second line" "飞线未拆除，充电棚在建"
case "$SCREEN" in *"电动车已移出?"*) t_bad "no ? for the line break" ;; *) t_ok "no ? for the line break" ;; esac
tui_keys Escape Escape Escape
t_screen "back home" "检查员：张明"
tui_keys q
t_exits "q quits (bug 8)"
tui_start 100 40
t_screen "home for the correction" "检查员：张明"

# --- a correction of a sealed visit (c) ---
select_row "#6 莲都区城北小学" && t_ok "the sealed visit is selected" || t_bad "the sealed visit is selected" "$(tui_screen)"
tui_keys Enter
t_screen "a sealed visit opens read-only and offers c" "按 c 开始一次更正检查"
tui_keys c
t_screen "c starts a correction on its start page" "更正检查：更正"
t_screen "the correction keeps the arrival time" "2026-11-29 09:20"
tui_keys F2
t_screen "the correction's checklist has the original's answers" "莲都区城北小学"
tui_keys s
t_screen "review of the correction: answers copied" "未答 0"
tui_keys S
t_screen "seal asks" "确认封存"
tui_keys y
t_screen "the correction is sealed" "已封存，序号 7"
tui_keys Escape Escape Escape
t_screen "home lists both sealed" "已封存待导出 (2)"
tui_keys q
t_exits "q quits again"
# c on a draft says what to do instead
tui_start 100 40
t_screen "home again" "检查员：张明"
select_row "莲都区城南初级中学  四不两直" && t_ok "the draft is selected" || t_bad "the draft is selected" "$(tui_screen)"
tui_keys c
t_screen "c on a draft: edit it instead" "草稿直接修改即可"
tui_keys q
t_exits "q quits a third time"

# the office sees both, linked
"$XA" export --home "$H" --passphrase-file "$P" -o "$T_TMP/usb" --mkdir >/dev/null 2>&1 &&
    "$XA" central merge --store "$S" --passphrase-file "$P" "$T_TMP"/usb/*.xab >/dev/null 2>&1 &&
    t_ok "exported and merged" || t_bad "exported and merged"
export XIAOAN_LANG=zh # the office's views in Chinese (tests/cli/i18n.sh checks English)
csv=$("$XA" central visits --store "$S" --school 3311020002 --format csv)
orig=$(printf '%s\n' "$csv" | grep '被 ' | cut -d, -f1)
corr=$(printf '%s\n' "$csv" | grep ',更正 ' | cut -d, -f1)
t_eq "two visits at the school" "$(printf '%s\n' "$csv" | grep -c 莲都区城北小学)" "2"
t_has "the correction names the original" "$csv" "更正 $orig"
t_has "the original is marked corrected" "$csv" "被 $corr 更正"
t_run "central visits (text)" 0 "$XA" central visits --store "$S" --school 3311020002
t_has "text list: 更正 of" "$OUT" "更正 ${orig:0:8}"
t_has "text list: 被更正" "$OUT" "被 ${corr:0:8} 更正"
t_run "central visit of the original" 0 "$XA" central visit --store "$S" "$orig"
t_has "the original: 被更正" "$OUT" "已被 $corr 更正"
t_run "central visit of the correction" 0 "$XA" central visit --store "$S" "$corr"
t_has "the correction: 更正" "$OUT" "本记录更正 $orig 的记录"
t_run "central visit --format json" 0 "$XA" central visit --store "$S" "$orig" --format json
t_has "json: corrected_by" "$OUT" "\"corrected_by\": \"$corr\""
unset XIAOAN_LANG

tui_done
