# tests/cli/draw.sh — random supervision and cross-checks from the command
# line: home counties (enroll --county, central inspector, inspectors), the
# draw plan (usage errors, an infeasible plan stores nothing, 0600, never
# written over), the reveal (beacon, refusals), `draw verify` with no store
# (通过, an edited file fails), central assignments by state, and the
# independent Python implementation of docs/draw.md agreeing over many seeds.
. "$(dirname "$0")/../lib/t.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REF=$ROOT/tests/data/draw/draw_ref.py
export XIAOAN_NOW=2026-12-01T09:00:00+08:00
unset XIAOAN_STORE XIAOAN_PASSPHRASE_FILE
S=$T_TMP/central.db
P=$T_TMP/pass
echo "office secret" >"$P"
export XIAOAN_STORE=$S XIAOAN_PASSPHRASE_FILE=$P

one_line() {
    local n
    n=$(printf '%s\n' "$ERR" | wc -l)
    case "$ERR" in "xiaoan: "*) [ "$n" -eq 1 ] && t_ok "$1" || t_bad "$1" "$n lines: $ERR" ;; *) t_bad "$1" "got: $ERR" ;; esac
}

"$XA" central init --kdf interactive --name 丽水市教育局安全科 >/dev/null &&
    "$XA" central schools import "$ROOT/docs/examples/roster.csv" >/dev/null &&
    "$XA" central forms import "$ROOT/forms" >/dev/null || { t_bad "office set-up"; t_done; exit 1; }

# Inspector identities: other offices' identities have the same shape.
mkid() {
    "$XA" central init --store "$T_TMP/$1.db" --kdf interactive --name "$2" >/dev/null &&
        "$XA" central id --store "$T_TMP/$1.db" >"$T_TMP/$1.id"
}
mkid zhang 张三
mkid li 李四
mkid wang 王五
mkid zhao 赵六
fp() { sed -n 's/^fingerprint: //p' "$T_TMP/$1.id"; }

# ---- home counties -------------------------------------------------------------
t_run "enroll --county" 0 "$XA" central enroll "$T_TMP/zhang.id" --county 莲都
t_run "enroll --county unknown (bad input)" 1 "$XA" central enroll "$T_TMP/li.id" --county 杭州
one_line "unknown county: one line"
t_run "enroll --county 青田县" 0 "$XA" central enroll "$T_TMP/li.id" --county 青田县
t_run "enroll without county" 0 "$XA" central enroll "$T_TMP/wang.id"
t_run "enroll --county code" 0 "$XA" central enroll "$T_TMP/zhao.id" --county 331122
t_run "central inspector --county" 0 "$XA" central inspector "$(fp wang)" --county jinyun
t_has "says the county" "$OUT" "缙云县"
t_run "central inspector without --county" 2 "$XA" central inspector "$(fp wang)"
t_run "central inspector bad fingerprint" 2 "$XA" central inspector 123 --county 莲都
t_run "central inspector not enrolled" 1 "$XA" central inspector 12345-12345-12345-12345 --county 莲都
one_line "not enrolled: one line"
t_run "inspectors" 0 "$XA" central inspectors
t_has "inspectors show 莲都区" "$OUT" "莲都区"
t_has "inspectors show 青田县" "$OUT" "青田县"
t_has "inspectors show 缙云县" "$OUT" "缙云县"

# ---- plan ------------------------------------------------------------------------
PLAN=$T_TMP/plan.json
t_run "plan without --schools" 2 "$XA" central draw plan -o "$PLAN"
t_run "plan without -o" 2 "$XA" central draw plan --schools 3
t_run "plan --kind bogus" 2 "$XA" central draw plan --schools 3 --kind joint -o "$PLAN"
t_run "plan --weights bogus" 2 "$XA" central draw plan --schools 3 --weights 重点=x -o "$PLAN"
one_line "bad weights: one line"
t_run "plan --county unknown (bad input)" 1 "$XA" central draw plan --schools 3 --county 杭州 -o "$PLAN"
t_run "plan --due bogus" 2 "$XA" central draw plan --schools 3 --due 2026-13-01 -o "$PLAN"
t_run "plan --inspectors and --all" 2 "$XA" central draw plan --schools 3 --all --inspectors "$(fp li)" -o "$PLAN"
t_run "plan --schools 0" 2 "$XA" central draw plan --schools 0 -o "$PLAN"
t_run "plan infeasible (teams of 4, cross)" 1 "$XA" central draw plan --schools 3 --county "莲都，青田" --kind cross --team 4 -o "$PLAN"
one_line "infeasible: one line"
t_has "infeasible says so" "$ERR" "infeasible"
[ -e "$PLAN" ] && t_bad "infeasible writes no file" || t_ok "infeasible writes no file"
t_run "plan unknown form" 1 "$XA" central draw plan --schools 3 --forms nope -o "$PLAN"
t_run "plan unknown inspector" 1 "$XA" central draw plan --schools 3 --inspectors 12345-12345-12345-12345 -o "$PLAN"
t_run "assignments: none yet" 0 "$XA" central assignments
t_has "none yet" "$OUT" "no assignments"

t_run "plan" 0 "$XA" central draw plan --schools 4 --county 莲都,青田,缙云 --weights 重点=3,薄弱=2,一般=1 \
    --boost-unvisited 90 --kind cross --forms fire-buildings,canteen-food --team 2 --all --due 2026-12-20 -o "$PLAN"
t_has "plan prints the full commitment" "$OUT" "$(sed -n 's/.*"commitment": "\([0-9a-f]*\)".*/\1/p' "$PLAN")"
t_eq "plan file is 0600" "$(stat -c %a "$PLAN")" "600"
t_eq "plan file has no seed" "$(grep -c '"seed"' "$PLAN")" "0"
t_eq "plan lists the three counties' schools only" "$(python3 -c "
import json,sys; d=json.load(open(sys.argv[1])); print(sorted({s['county'] for s in d['plan']['schools']}))" "$PLAN")" "['缙云县', '莲都区', '青田县']"
cp "$PLAN" "$T_TMP/plan.orig"
t_run "plan never writes over a file" 1 "$XA" central draw plan --schools 2 -o "$PLAN"
one_line "exists: one line"
cmp -s "$PLAN" "$T_TMP/plan.orig" && t_ok "the plan file is unchanged" || t_bad "the plan file is unchanged"

# ---- verify before the reveal, reveal ---------------------------------------------
t_run "verify before the reveal" 1 "$XA" draw verify "$PLAN"
one_line "not revealed: one line"
t_run "reveal without --beacon" 2 "$XA" central draw reveal "$PLAN"
echo '{"format":"something else"}' >"$T_TMP/other.json"
t_run "reveal refuses another file" 1 "$XA" central draw reveal "$T_TMP/other.json" --beacon x
one_line "other file: one line"
t_eq "the other file is untouched" "$(cat "$T_TMP/other.json")" '{"format":"something else"}'
sed 's/"schools": 4/"schools": 3/' "$PLAN" >"$T_TMP/edited.json"
chmod 600 "$T_TMP/edited.json"
t_run "reveal refuses an edited plan" 1 "$XA" central draw reveal "$T_TMP/edited.json" --beacon x
t_has "edited: says the commitment" "$ERR" "commitment"
t_run "reveal empty beacon (usage)" 2 "$XA" central draw reveal "$PLAN" --beacon "  "
t_run "reveal" 0 "$XA" central draw reveal "$PLAN" --beacon "双色球 2026138 期：03 07 12 19 25 31 + 09"
t_has "reveal lists the teams" "$OUT" "team"
t_eq "revealed plan still 0600" "$(stat -c %a "$PLAN")" "600"
t_eq "revealed plan has the seed" "$(grep -c '"seed"' "$PLAN")" "1"
t_run "reveal again" 1 "$XA" central draw reveal "$PLAN" --beacon other
one_line "again: one line"

# ---- verify (no store, no key) -------------------------------------------------------
t_run "verify" 0 env -u XIAOAN_STORE -u XIAOAN_PASSPHRASE_FILE "$XA" draw verify "$PLAN"
t_has "verify says passed" "$OUT" "passed: commitment"
t_run "verify in Chinese" 0 "$XA" draw verify "$PLAN" --lang zh
t_has "verify says 通过" "$OUT" "通过"
t_run "verify the fixed test vector" 0 "$XA" draw verify "$ROOT/tests/data/draw/vector.json"
sed 's/2026138/2026139/' "$PLAN" >"$T_TMP/beacon.json"
t_run "verify: edited beacon" 1 "$XA" draw verify "$T_TMP/beacon.json"
one_line "edited beacon: one line"
t_has "edited beacon: names it" "$ERR" "randomness differs"
python3 - "$PLAN" "$T_TMP/team.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["reveal"]["assignments"][1]["team"]
t[0], t[1] = t[1], t[0]
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
EOF
t_run "verify: swapped team" 1 "$XA" draw verify "$T_TMP/team.json"
t_has "swapped team: the first difference" "$ERR" "assignment 2 ("
python3 - "$PLAN" "$T_TMP/row.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["plan"]["schools"][0]["tier"] = "key" if d["plan"]["schools"][0]["tier"] != "key" else "weak"
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
EOF
t_run "verify: edited row" 1 "$XA" draw verify "$T_TMP/row.json"
t_has "edited row: commitment" "$ERR" "commitment differs"
t_run "verify missing file" 1 "$XA" draw verify "$T_TMP/none.json"
t_run "verify without a file" 2 "$XA" draw verify

# ---- the independent implementation agrees ---------------------------------------------
if command -v python3 >/dev/null 2>&1; then
    t_run "python reference verifies the reveal" 0 python3 "$REF" "$PLAN"
    agree=0 n=0
    for i in $(seq 1 40); do
        seed=$(printf '%064x' $((i * 7919)))
        python3 "$REF" make "$T_TMP/plan.orig" "$seed" " beacon $i " >"$T_TMP/p$i.json" || continue
        n=$((n + 1))
        "$XA" draw verify "$T_TMP/p$i.json" >/dev/null 2>&1 && agree=$((agree + 1))
    done
    t_eq "xiaoan agrees with the python implementation on 40 seeds" "$agree/$n" "40/40"
else
    t_skip "python reference" "python3 not installed"
fi

# ---- assignments ------------------------------------------------------------------------
t_run "assignments" 0 "$XA" central assignments
t_has "assignments: cross-check" "$OUT" "cross"
t_run "assignments in Chinese" 0 "$XA" central assignments --lang zh
t_has "assignments: 交叉互查" "$OUT" "交叉互查"
t_has "assignments: 待完成" "$OUT" "待完成"
t_has "assignments: due" "$OUT" "2026-12-20"
t_run "assignments (English)" 0 "$XA" central assignments
t_eq "assignments: 4 open" "$(printf '%s\n' "$OUT" | grep -c ' open$')" "4"
t_run "assignments --state done" 0 "$XA" central assignments --state done
t_has "none done" "$OUT" "no assignments"
t_run "assignments --state bogus" 2 "$XA" central assignments --state bogus
XIAOAN_NOW=2026-12-21T09:00:00+08:00 t_run "assignments --state overdue" 0 "$XA" central assignments --state overdue
t_eq "overdue after the due date" "$(printf '%s\n' "$OUT" | grep -c ' overdue$')" "4"

t_done
