# tests/tui/itemtext.sh — what the inspector reads of a checklist item is the
# check itself, at 80×24 in Chinese: the laboratory item of the Ministry's
# guide (art. 3 (1) item 10, whose only copy is cut off) once ended with
# "（指南第10项“存放……”以下原文未见，见提示）" on the screen.  GN-12 (in the
# four-not-two-direct form) and LB-06 (added through the form picker) show
# their text, hint and basis with no editor's note (forms version 4).
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
tui_start 80 24

# The checklist's selected item: the code at the top of its detail pane
# (the line after the rule).
selected() {
    sleep 0.3
    SCREEN=$(tui_screen)
    printf '%s\n' "$SCREEN" | awk '/^────/ {getline; print $1; exit}'
}
# Move down the checklist until CODE is selected (at most 80 moves).
select_item() {
    local i=0
    while [ "$(selected)" != "$1" ] && [ $i -lt 80 ]; do
        tui_keys Down
        i=$((i + 1))
    done
    t_eq "$1 selected" "$(selected)" "$1"
    SCREEN=$(tui_screen) # selected ran in a subshell
}
# The screen holds no editor's note (the words forms check refuses).
no_note() {
    local w
    for w in 原文未 见提示 后文未见 未读到 待核 转载 …… 二手来源 推定; do
        case "$SCREEN" in *"$w"*) t_bad "$1: no editor's note" "'$w' on screen:
$SCREEN"; return ;; esac
    done
    t_ok "$1: no editor's note"
}
LAB_TEXT=实验室内未违规存放、使用易燃易爆危险品
LAB_BASIS="依据：教发厅函〔2024〕20号 第三条（一）直接判定第10项"

tui_wait "检查任务" 10
t_new_visit

# --- GN-12 in the checklist and in its details ---
select_item GN-12
t_has "GN-12's row reads the check" "$SCREEN" "GN-12    ·       $LAB_TEXT"
no_note "GN-12 in the checklist"
tui_keys Enter
t_screen "GN-12's details" "检查项 GN-12"
t_screen "GN-12's text is the check, whole" " $LAB_TEXT
"
t_screen "GN-12's hint says how to check" "看试剂柜"
t_screen "GN-12's basis" "$LAB_BASIS"
no_note "GN-12's details"
tui_keys Escape
t_screen "back in the checklist" "进度"

# --- LB-06: add the laboratory form (the cursor starts on the picker's
# first form; count the rows down to the laboratory form on the screen) ---
tui_keys f
t_screen "form picker" "实验室与危险化学品"
first=$(printf '%s\n' "$SCREEN" | grep -n '^ \[' | head -1 | cut -d: -f1)
lab=$(printf '%s\n' "$SCREEN" | grep -n '^ \[ \] 实验室与危险化学品' | cut -d: -f1)
i=$first
while [ $i -lt "${lab:-0}" ]; do tui_keys Down; i=$((i + 1)); done
tui_keys Space
t_screen "the laboratory form is added" "[x] 实验室与危险化学品"
tui_keys Escape
t_screen "back in the checklist" "进度"
select_item LB-06
t_has "LB-06's row reads the check" "$SCREEN" "LB-06    ·       $LAB_TEXT"
no_note "LB-06 in the checklist"
tui_keys Enter
t_screen "LB-06's details" "检查项 LB-06"
t_screen "LB-06's text is the check, whole" " $LAB_TEXT
"
t_screen "LB-06's hint says how to check" "看试剂柜"
t_screen "LB-06's basis" "$LAB_BASIS"
no_note "LB-06's details"

t_done
