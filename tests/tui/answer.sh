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
tui_keys n
tui_type ldqsyxx
t_screen "picker" "3311020001"
tui_keys Enter
t_screen "visit start" "不用陪同接待"
tui_keys F2
t_screen "checklist" "GN-01"

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
tui_keys q
tui_done
