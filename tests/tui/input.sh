# tests/tui/input.sh — the text input widget as a person uses it: Chinese
# (as an input method delivers it), Backspace by character, Home/End,
# Ctrl-A/E/U/W/K, multi-line notes, a long paste; editing the arrival time.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
tui_start 100 30
t_screen "home" "检查任务 (1)"
tui_keys n; tui_type ldqsyxx; tui_keys Enter
t_screen "visit start" "不用陪同接待"

# The arrival time is editable; a malformed one is refused with a message.
tui_keys Tab Tab Tab Tab Tab Tab
tui_keys C-u
tui_type "2026-11-29 8:45"
t_screen "a malformed time is flagged" "时间格式应为 2026-11-29 09:30"
tui_keys C-u
tui_type "2026-11-29 08:45"
t_saved "arrival time saved"
tui_keys F2
t_screen "checklist" "GN-01"

tui_keys 2
t_screen "hazard editor" "隐患描述"
tui_keys C-u
tui_type "消防通道 被 电动车堵塞"
tui_keys C-w
t_screen "Ctrl-W deletes the last Chinese word" "消防通道 被"
t_lacks "the word is gone" "$SCREEN" "电动车"
tui_keys Home
tui_type "东区"
tui_keys End
tui_type "杂物"
t_screen "Home and End" "东区消防通道 被 杂物"
tui_keys C-a Right Right C-k
t_screen "Ctrl-K kills to the end" "隐患描述         东区"
tui_keys C-e
tui_type "宿舍楼3号402"
tui_keys BSpace
t_screen "Backspace removes one character" "东区宿舍楼3号40"
tui_keys BSpace BSpace BSpace BSpace BSpace
t_screen "Backspace over Chinese" "东区宿舍"
t_lacks "Backspace took whole characters" "$SCREEN" "东区宿舍楼"
t_saved "description saved"

# Multi-line notes: Enter starts a new line.
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab
t_screen "notes field" "其他说明"
tui_type "第一行"
tui_keys Enter
tui_type "第二行"
t_screen "two lines" "第二行"
lines=$(tui_screen | grep -c "第一行\|第二行")
t_eq "on two rows" "$lines" 2
t_saved "notes saved"

# A long paste: thousands of characters arrive at once.
paste=$(for i in $(seq 1 200); do printf '第%03d段文字abc，' "$i"; done)
tui_keys Enter
tui_type "$paste"
tui_type "粘贴结束"
t_screen "the end of a long paste is shown" "粘贴结束" 10
t_saved "the paste is saved"
tui_keys F2 Escape
t_screen "home" "草稿 (1)"
tui_keys q
t_exits "quit"

# It is all there after a restart.
tui_start 100 30
t_screen "home again" "草稿 (1)"
# Rows: the assignment, the school with open hazards, then the draft.
tui_keys Down Down Enter
t_screen "the draft opens" "GN-01"
tui_keys i
t_screen "the arrival time kept" "2026-11-29 08:45"
# The checklist opens at the first unanswered item (GN-02); GN-01 is above.
tui_keys Escape Up Enter
t_screen "item" "本项隐患"
t_screen "the hazard is listed" "东区宿舍"
tui_keys Tab Tab Tab
tui_keys Enter
t_screen "hazard editor again" "隐患描述"
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab
t_screen "the pasted notes end where they ended" "粘贴结束"
tui_keys C-q
tui_done
