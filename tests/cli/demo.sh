# tests/cli/demo.sh — `xiaoan demo`: a workspace with a history (three
# inspectors, four months of visits, re-checks, bundles, merges, briefs) so
# that the office's commands show something on the first run: the ledger
# holds every state, the report non-zero figures; and every command the demo
# prints works when pasted as it is.  The clock is fixed (XIAOAN_NOW).
. "$(dirname "$0")/../lib/t.sh"

ROOT=$(cd "${XIAOAN_TESTS_DIR:-$(dirname "$0")/..}/.." && pwd)
export XIAOAN_NOW=2026-12-01T10:00:00+08:00
unset XIAOAN_HOME XIAOAN_PASSPHRASE_FILE XIAOAN_STORE XIAOAN_LANG
D=$T_TMP/demo

t_run "demo builds a workspace" 0 "$XA" demo "$D" --no-tui --roster "$ROOT/docs/examples/roster.csv" --forms "$ROOT/forms"
DEMO=$OUT
t_has "demo names three inspectors and the history" "$DEMO" "3 inspectors, 15 visits, 13 bundles merged"
t_has "history starts four months back" "$DEMO" "history        2026-08-03 to 2026-11-30"
t_has "hazards of every state" "$DEMO" "hazards        13: 2 open, 4 overdue, 2 re-checked, 5 closed"

# the office's view
t_run "ledger --state all" 0 env XIAOAN_LANG=zh "$XA" central ledger --store "$D/office.db" --state all --wide
LEDGER=$OUT
for st in 待整改 逾期 已整改待销号 已销号; do
    t_has "ledger holds $st" "$LEDGER" "$st"
done
t_has "ledger counts 13" "$LEDGER" "13"
t_run "ledger --state overdue" 0 "$XA" central ledger --store "$D/office.db" --state overdue --wide
# four open past their deadline and two re-checked majors waiting for the sign-off
# (逾期 = deadline passed, not closed: issue 12)
t_eq "six overdue" "$(printf '%s\n' "$OUT" | grep -c -- '-2026-0')" "6"
OVERDUE=$(printf '%s\n' "$OUT" | grep -oE '^[^ ]+-2026-[0-9]{4}' | sort | tr '\n' ' ')
t_run "ledger --state closed" 0 "$XA" central ledger --store "$D/office.db" --state closed --wide
t_has "closed on the spot is in it" "$OUT" "教学楼西侧安全出口内堆放体育器材"
t_run "report over the history" 0 env XIAOAN_LANG=zh "$XA" central report --store "$D/office.db" --from 2026-08-01 --to 2026-12-01
REPORT=$OUT
t_has "report: 13 visits in the total row" "$REPORT" "合计"
total=$(printf '%s\n' "$REPORT" | grep -m1 '^  合计' | awk '{print $5}')
t_eq "report: visits counted in the coverage total" "$total" "13"
t_has "report lists name hazards by registration number" "$REPORT" "-2026-000"
t_lacks "report lists no old date-and-id numbers" "$REPORT" "20260"
t_eq "report: the overdue list is the ledger's" "$(printf '%s\n' "$REPORT" | sed -n '/逾期隐患：/,/^$/p' | grep -oE '^  [^ ]+-2026-[0-9]{4}' | tr -d ' ' | sort | tr '\n' ' ')" "$OVERDUE"
t_lacks "report has no empty month of findings in August" "$(printf '%s\n' "$REPORT" | grep '2026年8月')" " 0     0           0"
# The November report as PDF: no section heading is left alone at the foot of
# a page with its table on the next (the last line above each page's footer).
if command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null; then
    t_run "report pdf for November" 0 env XIAOAN_LANG=zh "$XA" central report --store "$D/office.db" \
        --from 2026-11-01 --to 2026-11-30 --format pdf -o "$T_TMP/nov.pdf"
    NP=$(pdfinfo "$T_TMP/nov.pdf" | sed -n 's/^Pages: *//p')
    alone=""
    for pg in $(seq 1 "$NP"); do
        last=$(pdftotext -layout -f "$pg" -l "$pg" "$T_TMP/nov.pdf" - | grep -v '第 *[0-9]* *页' |
            grep -v '^[[:space:]]*$' | tail -n 1 | sed 's/^ *//')
        case $last in [一二三四五六七八九十]*、*|图表) alone="$alone p$pg:$last" ;; esac
    done
    t_eq "pdf: no heading alone at the foot of a page ($NP pages)" "$alone" ""
else
    t_skip "pdf headings" "poppler-utils is not installed"
fi
t_run "central visits" 0 "$XA" central visits --store "$D/office.db"
t_has "visits of three inspectors" "$OUT" "王芳"
t_has "visits count" "$OUT" "13"
FIRST=$(printf '%s\n' "$OUT" | awk 'NR == 2 {print $1}')
t_run "central visit (the first visit, three hazards)" 0 "$XA" central visit "$FIRST" --store "$D/office.db"
t_has "central visit names hazards by registration number" "$OUT" "莲都-2026-0002"
t_lacks "central visit: no old date-and-id numbers" "$OUT" "20260803-"
t_run "central assignments" 0 "$XA" central assignments --store "$D/office.db"
t_eq "three assignments from the draw" "$(printf '%s\n' "$OUT" | grep -c ' open')" "3"

# the inspector's view
t_run "field visits" 0 "$XA" visits --home "$D/home" --passphrase-file "$D/passphrase.txt"
FV=$OUT
for st in draft sealed exported acknowledged; do
    t_has "the demo inspector has a $st visit" "$FV" "$st"
done

# every command printed works when pasted (the TUI line is checked to be
# there; the TUI itself is tests/tui's)
bin=$(readlink -f "$XA")
t_has "commands use the program's full path" "$DEMO" "  $bin --home $D/home --passphrase-file $D/passphrase.txt"
n=0
while IFS= read -r line; do
    case "$line" in "  $bin --home "*) continue ;; "  $bin "*) ;; *) continue ;; esac
    n=$((n + 1))
    (cd / && eval "$line") >"$T_TMP/cmd.out" 2>"$T_TMP/cmd.err"
    rc=$?
    if [ "$rc" -eq 0 ]; then t_ok "pasted: ${line#  "$bin" }"; else t_bad "pasted: $line" "exit $rc: $(head -c 300 "$T_TMP/cmd.err")"; fi
done <<EOF
$DEMO
EOF
[ "$n" -ge 10 ] && t_ok "at least ten commands printed ($n)" || t_bad "commands printed" "$n"
t_run "after the pasted export, merge and brief import nothing is left to acknowledge" 0 "$XA" visits --home "$D/home" --passphrase-file "$D/passphrase.txt"
t_lacks "no exported visit waits" "$OUT" " exported "

# a second run finds the workspace and prints the commands again
t_run "demo again" 0 "$XA" demo "$D" --no-tui
t_has "already there" "$OUT" "already there"
t_has "commands again" "$OUT" "central ledger --store"
t_run "demo into a folder that is something else" 1 "$XA" demo "$ROOT/forms" --no-tui
t_has "refused with a reason" "$ERR" "not a demo workspace"
t_done
