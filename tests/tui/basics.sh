# tests/tui/basics.sh — opening the TUI: usage errors, no terminal, the
# first-run guide, unlock (three wrong passphrases leave), home with the
# brief, the help overlay, English.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

t_run "unknown option exits 2" 2 "$XA" --frobnicate
t_has "unknown option message" "$ERR" "xiaoan: unknown option '--frobnicate'"
t_run "tui --lang fr exits 2" 2 "$XA" tui --lang fr
t_run "no terminal exits 1" 1 "$XA" tui --home "$T_TMP/nohome" </dev/null
t_has "no terminal says so" "$ERR" "needs a terminal"
t_run "help lists tui" 0 "$XA" --help
t_has "help lists tui" "$OUT" "tui [--lang zh|en]"

# No identity yet: the guide says what to do.
H=$T_TMP/empty P=$T_TMP/nopass
echo x >"$P"
tui_start 80 24
t_screen "guide without identity (with the --home it was started with)" "xiaoan init --home $H --name"
t_screen "guide names brief import" "xiaoan brief import"
tui_keys q
t_exits "q leaves the guide"

tui_workspace || { t_done; exit 1; }

# A wrong passphrase file: one line, exit 1, no screen.
echo wrong >"$T_TMP/wrong"
t_run "wrong passphrase file exits 1" 1 "$XA" --home "$H" --passphrase-file "$T_TMP/wrong"
t_has "wrong passphrase message" "$ERR" "wrong passphrase"

# Unlock screen: three wrong tries and out.
tui_stop
$TM new-session -d -x 80 -y 24 "exec env LANG=C.UTF-8 '$XA' --home '$H'" \; set-option -g remain-on-exit on
t_screen "unlock screen" "请输入口令"
tui_type "nope"
tui_keys Enter
t_screen "wrong try counted" "还可以再试 2 次"
t_lacks "passphrase not echoed" "$SCREEN" "nope"
tui_type "nope2"; tui_keys Enter
tui_type "nope3"; tui_keys Enter
t_exits "three wrong tries exit"

# The right passphrase on the unlock screen opens home.
tui_stop
$TM new-session -d -x 80 -y 24 "exec env LANG=C.UTF-8 '$XA' --home '$H'" \; set-option -g remain-on-exit on
t_screen "unlock screen again" "请输入口令"
tui_type "correct horse battery"; tui_keys Enter
t_screen "home after unlock" "检查任务 (1)"
t_screen "home shows the office fingerprint" "安全科指纹：$OFFICE_FP"
t_screen "home shows the open-hazard school" "有未闭环隐患的学校 (1)"
t_screen "home counts drafts" "草稿 (0)"
t_screen "home hints from the action table" "n 新检查"

# Help overlay, generated from the same table.
tui_keys '?'
t_screen "help overlay" "帮助（↑↓ 翻看，其他键关闭）"
t_screen "help lists the screen's keys" "新检查"
tui_keys x
t_screen "any key closes help" "检查任务 (1)"

# Esc on the home screen does not quit: it says how to.
tui_keys Escape
t_screen "Esc on home says q quits" "按 q 保存并退出"
tui_dead && t_bad "Esc on home keeps the program running" || t_ok "Esc on home keeps the program running"

# At 80×24 the checklist's help is longer than the window: it scrolls, and
# the last lines (the global keys, the saving note) can be reached.
tui_keys n
tui_type ldqsyxx
tui_wait "莲都区实验小学" 5
tui_keys Enter
tui_wait "不用陪同接待" 5
tui_keys F2
tui_wait "GN-01" 5
tui_keys '?'
t_screen "checklist help shows where it is" "共"
tui_keys End
t_screen "help scrolled to the end shows the global keys" "重画屏幕"
t_screen "and the saving note" "已保存"
tui_keys Home
t_screen "back at the top" "本屏按键"
tui_keys x
t_screen "help closed" "GN-01"
for _ in 1 2 3 4; do tui_wait "检查任务" 1 && break; tui_keys Escape; done

# English.
tui_keys L
t_screen "L switches to English" "Assignments (1)"
tui_keys q
t_exits "q quits from home"
TUI_ARGS="--lang en" tui_start 80 24
t_screen "--lang en" "Schools with open hazards (1)"
tui_keys q
tui_done
