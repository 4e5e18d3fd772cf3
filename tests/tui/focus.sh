# tests/tui/focus.sh — targeted visits (issue 16): the start page chooses
# the focus (重点检查内容): the general four-not-two-direct form is ticked,
# the others are listed in checklist order with their item counts; a form
# ticked there is in the checklist after the general one; a 复查 has no
# form and goes on to the follow-ups; items that do not apply to the school
# are still n/a.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
tui_start 100 40

tui_wait "检查任务" 10
tui_keys n
tui_type ldqsyxx
t_screen "picker" "3311020001"
tui_keys Enter
t_screen "start page lists the focus" "重点检查内容"
t_screen "the general form is ticked by default" "[x] 四不两直进校综合检查（21 项"
first=$(printf '%s\n' "$SCREEN" | grep -F '[' | grep -F '项' | sed -n 2p)
t_has "the next form is not ticked" "$first" "[ ]"
# The forms come in checklist order: the general one first.
order=$(printf '%s\n' "$SCREEN" | grep -F '项' | grep -F '[' | sed 's/^ *\[.\] //; s/（.*//' | head -3 | tr '\n' '|')
t_has "checklist order: general first" "$order" "四不两直进校综合检查|"
# Tick the second form: Tab past team, four nots, two times, the general form.
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Space
t_saved "focus saved"
second=$(printf '%s\n' "$(tui_screen)" | grep -F '[x]' | grep -F '项' | sed -n 2p | sed 's/^ *\[x\] //; s/（.*//')
t_has "a second form is ticked" "$(tui_screen)" "[x] $second"
n2=$(printf '%s\n' "$(tui_screen)" | grep -F "[x] $second" | sed 's/.*（\([0-9]*\) 项.*/\1/')
tui_keys F2
t_screen "the checklist has the two forms (n/a items count as answered)" "/$((21 + n2)) "
t_screen "the ticked form is in the checklist" "$second"
t_screen "n/a items are still marked for a day school" "不适用"
tui_keys Escape
t_screen "home" "草稿"

# --- a 复查: no form, straight on to the follow-ups ---
tui_keys n
tui_type ldqsyxx
t_screen "picker again" "3311020001"
tui_keys Enter
t_screen "start page again" "< 四不两直 >"
tui_keys Right Right Right
t_screen "method 复查" "< 复查 >"
t_saved "method saved"
ticked=$(printf '%s\n' "$(tui_screen)" | grep -cF '[x] 四不两直进校综合检查')
t_eq "a 复查 drops the untouched general form" "$ticked" "0"
tui_keys F2
t_screen "a 复查 goes on to the follow-ups" "复查以往隐患"
t_screen "the open hazard is listed" "图书馆未取得消防验收合格意见"
tui_keys Escape
t_screen "underneath: the checklist without forms" "进度 0/0"
tui_keys q
tui_done
