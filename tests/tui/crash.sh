# tests/tui/crash.sh — never lose work: kill -9 in the middle of typing a
# note; on restart the draft opens where it was left and everything the
# screen had shown as saved ("已保存 ✓") is there.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
tui_start 80 24
t_screen "home" "检查任务 (1)"
tui_keys n
tui_type ldqsyxx
t_screen "picker finds by pinyin initials" "莲都区实验小学"
tui_keys Enter
t_screen "visit start" "不用陪同接待"
tui_keys F2
t_screen "checklist" "GN-01"
tui_keys 1
t_saved "first answer saved"
# The second item: open it, go to the note, type.
tui_keys Enter
t_screen "item screen" "本项隐患"
tui_keys Tab
tui_type "门卫室无人值守，保安在宿舍楼3号402休息"
t_screen "note on screen" "保安在宿舍楼3号402休息"
t_saved "note saved"
# Keep typing and kill the program before that part can be saved.
tui_type "，未登记"
pid=$(tui_pid)
kill -9 "$pid"
t_exits "killed"

tui_start 80 24
t_screen "restart opens the draft where it was left" "检查项 GN-02"
t_screen "the saved note is there" "门卫室无人值守，保安在宿舍楼3号402休息"
tui_keys Escape
t_screen "back to the checklist" "GN-01    符合"
# Where the UI is, by the screen's name (not a number that moves when screens are added).
state=$(cat "$H/tui-state.json" 2>/dev/null)
t_has "tui-state.json names the screen" "$state" '"screen":"check"'
visit=$(printf '%s' "$state" | sed -n 's/.*"visit":"\([0-9a-f]*\)".*/\1/p')
tui_keys Escape
t_screen "home lists the draft" "草稿 (1)"
tui_keys q
t_exits "quit"
t_has "at home the file says home" "$(cat "$H/tui-state.json")" '"screen":"home"'

# A tui-state.json of an older version kept the screen as the enum's number
# (7 = the item screen): read once, then written back by name.
printf '{"visit":"%s","screen":7,"form":0,"item":1,"sub":0}' "$visit" >"$H/tui-state.json"
tui_start 80 24
t_screen "an old state file reopens the item screen" "检查项 GN-02"
state=$(cat "$H/tui-state.json" 2>/dev/null)
t_has "and is written back by name" "$state" '"screen":"item"'
tui_keys Escape
t_screen "back to the checklist again" "GN-01    符合"
tui_keys Escape
t_screen "home again" "草稿 (1)"
tui_keys q
t_exits "quit again"

# The ui position file holds no content (ids and numbers only).
state=$(cat "$H/tui-state.json" 2>/dev/null)
t_lacks "tui-state.json has no school name" "$state" "莲都"
t_lacks "tui-state.json has no note" "$state" "门卫"
tui_done
