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
t_screen "guide without identity" "xiaoan init --name"
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
t_screen "help overlay" "帮助（按任意键关闭）"
t_screen "help lists the screen's keys" "新检查"
tui_keys x
t_screen "any key closes help" "检查任务 (1)"

# English.
tui_keys L
t_screen "L switches to English" "Assignments (1)"
tui_keys q
t_exits "q quits from home"
TUI_ARGS="--lang en" tui_start 80 24
t_screen "--lang en" "Schools with open hazards (1)"
tui_keys q
tui_done
