# tests/tui/draw.sh — a drawn assignment from end to end: the office plans
# and reveals a cross-check (交叉互查), the inspector's brief carries it,
# the TUI home's 检查任务 lists it (school, due date, method, team, focus
# forms; 逾期 once past due), Enter starts the visit with the assignment's
# method and forms, the visit is sealed and exported, the office merges it
# and the assignment is done.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"
. "$(dirname "$0")/../lib/office.sh"

if ! tui_has_cmd central draw plan || ! tui_has_cmd brief import; then
    t_skip "draw end to end" "this build has no 'central draw plan'"
    tui_done
    exit
fi

export XIAOAN_NOW=2026-12-01T09:30:00+08:00
OUT_DIR=$T_TMP/bundles
mkdir -p "$OUT_DIR"
t_office --county 莲都 || { t_bad "office set-up"; tui_done; exit 1; }

# --- the draw: one school of 青田县 for a 莲都区 inspector ---
PLAN=$T_TMP/plan.json
t_run "draw plan" 0 co central draw plan --schools 1 --county 青田 --kind cross --team 1 \
    --forms fire-buildings --due 2026-12-10 -o "$PLAN"
t_run "draw reveal" 0 co central draw reveal "$PLAN" --beacon "双色球 2026138 期 03 07 12 19 25 31 + 09"
t_run "draw verify" 0 "$XA" draw verify "$PLAN"
read -r CODE ASG <<EOF
$(python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
a = d['reveal']['assignments'][0]
print(a['school'], a['id'])" "$PLAN")
EOF
SCHOOL=$(awk -F, -v c="$CODE" '$1 == c { print $2 }' "$TUI_ROOT/docs/examples/roster.csv")
[ -n "$SCHOOL" ] && t_ok "drawn school $CODE $SCHOOL" || t_bad "drawn school found in the roster"
t_run "brief" 0 co central brief --inspector "$FP" -o "$T_TMP/brief.xbrief"
t_run "brief import" 0 "$XA" brief import "$T_TMP/brief.xbrief" --home "$H" --passphrase-file "$P"
t_has "brief import counts the assignment" "$OUT" "1 assignments"

# --- past the due date the home marks it 逾期 ---
tui_start 160 40 XIAOAN_NOW=2026-12-11T09:00:00+08:00
t_screen "home lists the assignment" "检查任务 (1)"
t_screen "overdue marked" "截止 2026-12-10 逾期"
tui_keys q
t_exits "quit"

# --- on time: the row, then Enter starts the visit ---
tui_start 160 40
t_screen "assignment: school" "$SCHOOL  青田县  交叉互查  截止 2026-12-10"
t_screen "assignment: team" "小组 张三"
t_screen "assignment: focus forms" "表单 教学楼、图书馆、体育馆消防安全"
case "$SCREEN" in *"截止 2026-12-10 逾期"*) t_bad "not overdue on time" ;; *) t_ok "not overdue on time" ;; esac
tui_keys Down Enter
t_screen "visit start with the assignment's method" "< 交叉互查 >"
tui_keys F2
t_screen "the checklist is the focus form" "教学楼、图书馆、体育馆消防安全"
case "$(tui_screen)" in *"四不两直综合检查"*) t_bad "only the focus form" ;; *) t_ok "only the focus form" ;; esac
tui_keys 1
t_saved "an answer saved"

# --- seal and export ---
tui_keys s
t_screen "review" "核对与封存"
tui_keys S
t_screen "seal asks first" "确认封存"
tui_keys y
t_screen "sealed" "已封存"
t_screen "home counts the sealed visit" "已封存待导出 (1)"
t_export "export screen" "bundle written" ".xab"
tui_keys Escape q
t_exits "quit"
bundle=$(ls "$OUT_DIR"/*.xab 2>/dev/null | head -1)
[ -n "$bundle" ] && t_ok "bundle file exists" || t_bad "bundle file exists"

# --- the office: merge, the assignment is done ---
t_run "assignments open before the merge" 0 co central assignments --state open
t_has "open: the school" "$OUT" "$CODE"
t_run "merge" 0 co central merge "$bundle"
t_run "assignments done" 0 co central assignments --state done
t_has "done: the school" "$OUT" "$CODE $SCHOOL"
t_has "done: state" "$OUT" " done"
t_run "no open assignments left" 0 co central assignments --state open
t_has "none open" "$OUT" "no assignments"
VID=$(co central visits --format json | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])" 2>/dev/null)
t_run "the visit record" 0 co central visit "$VID" --format json
t_has "the visit names the assignment" "$OUT" "$ASG"
# The next brief no longer carries it.
t_run "second brief" 0 co central brief --inspector "$FP" -o "$T_TMP/brief2.xbrief"
t_run "second brief import" 0 "$XA" brief import "$T_TMP/brief2.xbrief" --home "$H" --passphrase-file "$P"
t_has "second brief: no assignments" "$OUT" "0 assignments"

tui_done
