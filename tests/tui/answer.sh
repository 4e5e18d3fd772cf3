# tests/tui/answer.sh — answering fast and right (issue 16): the hazard
# editor starts with an empty description under the item's text as a
# reference and takes the item's location; F2 after adding a hazard from the
# item's details goes straight back to the checklist; the review flags an
# empty or copied description, Enter on a hazard warning opens that hazard
# (never a new blank one) and F2 there comes back to the review.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
tui_start 100 30

# The line of the screen that holds TEXT.
line_of() { printf '%s\n' "$SCREEN" | grep -F -- "$1" | head -1; }
# The checklist's selected item: the code at the top of its detail pane
# (the line after the rule).
selected() {
    sleep 0.3
    SCREEN=$(tui_screen)
    printf '%s\n' "$SCREEN" | awk '/^────/ {getline; print $1; exit}'
}

tui_wait "检查任务" 10
t_new_visit

# --- item details: a location, then a hazard added from there ---
tui_keys Enter
t_screen "item details" "检查项 GN-01"
tui_keys Tab Tab
tui_type "南校门"
t_saved "location saved"
tui_keys F4
t_screen "hazard editor from the item" "隐患描述"
t_screen "the item's text is shown as the reference" "检查项（合格要求）：GN-01"
desc=$(line_of "隐患描述")
t_eq "the description starts empty" "$(echo "$desc" | sed 's/ *$//')" " 隐患描述"
t_screen "the item's location is copied into the hazard" "南校门"
tui_type "门卫未查验证件即放行"
t_saved "description saved"
tui_keys F2
t_screen "F2 goes straight back to the checklist" "进度"
t_lacks "not the item's details" "$SCREEN" "本项隐患"
t_has "GN-01 is a hazard" "$SCREEN" "GN-01    隐患"

# --- a hazard left with the item's own text, one left empty ---
tui_keys Down 2
t_screen "hazard editor for GN-02" "隐患 1 · GN-02"
tui_type "门卫室有人值守，保安员着装规范、在岗在位，防暴钢叉、盾牌、头盔、防割手套等器械齐全且随手可取"
tui_keys Escape
t_screen "back in the checklist" "GN-02    隐患"
t_eq "answering 隐患 and closing the editor moves on to GN-03" "$(selected)" "GN-03"
tui_keys 2
t_screen "hazard editor for GN-03" "隐患 1 · GN-03"
tui_keys Escape
t_screen "back again" "GN-03    隐患"

# --- review ---
tui_keys s
t_screen "review" "核对与封存"
t_screen "review flags the empty description" "隐患未写描述：GN-03"
t_screen "review flags a description copied from the item" "隐患描述照抄了检查项原文（那是合格要求）：GN-02"
# Warnings: the four nots, then GN-01 (no responsible), GN-02 (copied, no
# responsible), GN-03 (no description, ...): the fifth is GN-03's.
tui_keys Down Down Down Down Enter
t_screen "Enter on the warning opens that hazard" "隐患 1 · GN-03"
t_lacks "not a new blank one" "$SCREEN" "隐患 2 · GN-03"
tui_type "一键报警装置未通电"
t_saved "description of GN-03 saved"
tui_keys F2
t_screen "F2 goes back to the review page" "核对与封存"
t_lacks "the warning is gone" "$SCREEN" "隐患未写描述"
t_screen "still three hazards" "隐患：3 条"
tui_keys Escape
t_screen "Esc from the review: the checklist" "进度"

# --- counts typed on the item in the list (bug 1 and answering faster) ---
tui_keys g Down Down Down Down Down Down Down Down Down
t_eq "GN-10 selected" "$(selected)" "GN-10"
t_screen "the range is shown with the count" "范围 ≥ 2"
tui_type "-"
t_screen "a sign is refused on the spot" "数量只能是 0 或正整数"
tui_type "2."
t_screen "a decimal point is refused on the spot" "数量只能是 0 或正整数"
tui_keys Escape
tui_wait "GN-10    ·" 3
t_has "Esc drops the number typed" "$(line_of "GN-10 ")" "GN-10    ·"
tui_type "2"
t_screen "the number shows on the item as it is typed" "GN-10    2_"
tui_keys Enter
t_screen "in range: 符合" "GN-10    符合"
t_eq "Enter moves to the next unanswered item" "$(selected)" "GN-11"
tui_keys Up
t_screen "the number is kept" "数量：2"
tui_type "1"
tui_keys Enter
t_screen "out of range opens the hazard editor" "隐患 1 · GN-10"
tui_keys Escape
t_screen "the count is a hazard" "GN-10    隐患"

# --- the count on the item screen: refused with a word, never 符合 without a number ---
tui_keys Up Enter
t_screen "GN-10 details" "检查项 GN-10"
tui_keys Tab C-u
tui_type "3"
t_screen "3 is within the range" "< 符合 >"
tui_type ".5"
t_screen "3.5 is refused at once" "数量只能是 0 或正整数"
t_screen "and the item is no longer 符合" "< 未查 >"
tui_keys F2
t_screen "F2 does not drop a bad number silently" "数量只能是 0 或正整数"
t_screen "still on the item" "检查项 GN-10"
tui_keys C-u
tui_type "abc"
t_screen "words are refused" "数量只能是 0 或正整数"
tui_keys C-u BTab Right
t_screen "符合 is stepped over without a number" "< 隐患 >"
t_screen "with a word why" "先输入数量"
tui_keys Escape
t_screen "back in the checklist" "进度"

# --- a text item: typing on it answers it; the text is in the bottom pane ---
tui_keys G
t_eq "GN-21 (text) selected" "$(selected)" "GN-21"
tui_type "校长陪同，未提前知情"
t_screen "the text shows in the bottom pane as it is typed" "回答：校长陪同，未提前知情"
tui_keys Enter
t_screen "typing answered the text item" "进度 6/21"
tui_keys G
t_screen "GN-21 is answered" "GN-21    符合"
t_saved "text answer saved"
tui_keys q
tui_done
