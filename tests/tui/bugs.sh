# tests/tui/bugs.sh — bugs of issue 16 a new user hit: s/F9 on an empty
# 复查以往隐患 screen (4); the two times checked on the review page (10);
# after sealing: home, the message once, no 封存 on offer; the hazard view's
# section counts are the full view's (11); the footer of a sealed visit's
# review opened from home offers 更正, not 封存; home keeps no stale message;
# the 开始使用 page prints the --home it was started with (11, the rest).
# (Bug 9, a sealed visit nagging about its own hazards, is test_tui's
# recheck_own_hazards.)
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
tui_start 100 30
tui_wait "检查任务" 10

# --- bug 4: a school without open hazards, the empty follow-up screen ---
tui_keys n
tui_type ldqcbxx
t_screen "picker" "3311020002"
tui_keys Enter
t_screen "start page" "不用陪同接待"
tui_keys F2
t_screen "checklist" "GN-01"
tui_keys r
t_screen "empty follow-ups" "复查以往隐患"
tui_keys s
t_screen "s on the empty follow-ups opens the review" "核对与封存"
tui_keys Escape
t_screen "back on the empty follow-ups" "复查以往隐患"
tui_keys F9
t_screen "F9 too" "核对与封存"
tui_keys Escape Escape
t_screen "checklist again" "GN-01"

# --- bug 10: the first site before the gate, and long after it ---
tui_keys i
t_screen "start page from the checklist" "到达首个现场时间"
tui_keys Tab Tab Tab Tab Tab Tab Tab C-u
tui_type "2026-11-29 09:00"
t_saved "first site typed"
tui_keys F2
tui_keys s
t_screen "first site before the gate is flagged" "到达首个现场时间早于到达校门时间"
tui_keys Escape i Tab Tab Tab Tab Tab Tab Tab C-u
tui_type "2026-11-29 09:40"
t_saved "first site after now (XIAOAN_NOW 09:30)"
tui_keys F2 s
t_screen "a first site later than now is flagged" "到达首个现场时间晚于现在"
tui_keys Escape i Tab Tab Tab Tab Tab Tab C-u
tui_type "2026-11-29 08:00"
tui_keys Tab C-u
tui_type "2026-11-29 09:00"
t_saved "gate 08:00, first site 09:00"
tui_keys F2 s
t_screen "a long gate → first site gap is flagged" "从校门到首个现场用了 60 分钟"
tui_keys Escape i Tab Tab Tab Tab Tab Tab C-u
tui_type "2026-11-29 08:55"
t_saved "the gate 5 minutes before the first site"
tui_keys F2 s
t_screen "review" "核对与封存"
t_lacks "no time warning then" "$SCREEN" "到达首个现场时间早于"
t_lacks "no gap warning then" "$SCREEN" "分钟（超过"

# --- bug 11: the hazard view's section counts; sealing goes home ---
tui_keys Escape
t_screen "checklist" "GN-01"
tui_keys g 1 2
t_screen "hazard editor" "隐患描述"
tui_type "门卫空岗"
t_saved "hazard saved"
tui_keys F2
full=$(tui_screen | grep -F "入校环节（检验门卫）" | head -1 | sed 's/ *$//')
tui_keys h
t_screen "hazard view" "只看隐患"
haz=$(printf '%s\n' "$SCREEN" | grep -F "入校环节（检验门卫）" | head -1 | sed 's/ *$//')
t_eq "the hazard view's section count is the full view's" "$haz" "$full"
tui_keys h s S
t_screen "seal asks" "确认封存"
tui_keys y
t_screen "sealing goes home" "已封存待导出 (1)"
t_screen "saying so once" "已封存，序号 1"
n=$(tui_screen | grep -c "序号 1")
t_eq "the sequence is said once" "$n" "1"
t_lacks "home is not the review" "$(tui_screen)" "S 封存"

# --- bug 11, the rest: no stale message on home ---
tui_keys G
sleep 0.5
t_lacks "the next key on home clears the seal message" "$(tui_screen)" "已封存，序号 1"
tui_keys Escape
t_screen "Esc on home says how to quit" "已在首页"
tui_keys k
sleep 0.5
t_lacks "and the next key clears that too" "$(tui_screen)" "已在首页"

# --- the sealed visit's review, opened from home: 更正, not 封存 ---
tui_keys G Enter
t_screen "the sealed visit opens on its review" "已封存（只读）"
foot=$(tui_screen | tail -1)
t_lacks "its footer does not offer S 封存" "$foot" "S 封存"
t_has "its footer offers c 更正" "$foot" "c 更正已封存的检查"
tui_keys Escape
t_screen "its read-only checklist" "GN-01"
foot=$(tui_screen | tail -1)
t_lacks "the read-only checklist offers no answers" "$foot" "1 符合"
t_has "the read-only checklist offers c 更正" "$foot" "c 更正已封存的检查"
tui_keys Escape
t_screen "home again" "已封存待导出 (1)"
t_lacks "the sealed visit's hint stays behind" "$(tui_screen)" "已封存（只读）"
tui_keys q
t_exits "quits"

# --- the 开始使用 page prints the --home the program was started with ---
H="$T_TMP/new home"
mkdir -p "$H"
chmod 700 "$H"
tui_start 100 30
t_screen "开始使用 page" "开始使用"
t_screen "init names the home (quoted)" "xiaoan init --home '$H' --name 你的姓名"
t_has "id names it" "$SCREEN" "xiaoan id --home '$H'"
t_has "brief import names it" "$SCREEN" "xiaoan brief import --home '$H' FILE.xbrief"
t_has "starting names it" "$SCREEN" "xiaoan --home '$H'"
tui_keys q
tui_done
