# tests/cli/office.sh — the office's view of visits (central visits / central
# visit) and the period report and ledger outputs (text, CSV with BOM, JSON,
# XLSX read back with openpyxl, PDF through pdftotext/pdffonts), on the
# bundles of the unit-test fixture (tests/unit/test_merge.c `fixture`).
. "$(dirname "$0")/../lib/t.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export XIAOAN_NOW=2026-12-01T09:00:00+08:00
unset XIAOAN_STORE XIAOAN_PASSPHRASE_FILE
# The office's text views are checked in Chinese (tests/cli/i18n.sh checks English).
export XIAOAN_LANG=zh
S=$T_TMP/central.db
P=$T_TMP/pass
echo "office secret" >"$P"

one_line() {
    local n
    n=$(printf '%s\n' "$ERR" | wc -l)
    case "$ERR" in "xiaoan: "*) [ "$n" -eq 1 ] && t_ok "$1" || t_bad "$1" "$n lines: $ERR" ;; *) t_bad "$1" "got: $ERR" ;; esac
}

"$XA" central init --store "$S" --kdf interactive --passphrase-file "$P" --name "丽水市教育局安全科" >/dev/null
export XIAOAN_STORE=$S
"$XA" central schools import "$ROOT/docs/examples/roster.csv" >/dev/null 2>&1
"$XA" central forms import "$ROOT/forms" >/dev/null 2>&1

# ---- visits before anything was merged -------------------------------------------
t_run "visits (empty)" 0 "$XA" central visits
t_has "visits: header" "$OUT" "到校时间"
t_has "visits: count" "$OUT" "0 次检查"
t_run "visits json (empty)" 0 "$XA" central visits --format json
t_eq "visits json empty" "$OUT" "[]"
t_run "visits bad format" 2 "$XA" central visits --format xml
one_line "visits bad format: one line"
t_run "visits bad date" 1 "$XA" central visits --from 2026-13-01
one_line "visits bad date: one line"
t_run "visits from after to" 1 "$XA" central visits --from 2026-11-02 --to 2026-11-01
one_line "visits from after to: one line"
t_run "visits extra argument" 2 "$XA" central visits extra
t_run "visit without an id" 2 "$XA" central visit
t_run "visit unknown id" 1 "$XA" central visit 0123456789abcdef
one_line "visit unknown: one line"
t_has "visit unknown says so" "$ERR" "没有检查"
t_run "visit not an id" 2 "$XA" central visit zz
t_run "visit csv is not offered" 2 "$XA" central visit 0123456789abcdef --format csv

FX=${XIAOAN_BUILD:-$ROOT/build}/tests/test_merge
"$XA" central id >"$T_TMP/office.id"
if ! { [ -x "$FX" ] && mkdir -p "$T_TMP/fx" && "$FX" fixture "$T_TMP/fx" "$T_TMP/office.id" >/dev/null 2>&1; }; then
    t_bad "fixture bundles" "cannot run $FX fixture"
    t_done
    exit
fi
"$XA" central enroll "$T_TMP/fx/inspector.id" >/dev/null
FXFP=$(sed -n 's/^fingerprint: //p' "$T_TMP/fx/inspector.id")
"$XA" central merge --passphrase-file "$P" "$T_TMP/fx/b1.xab" "$T_TMP/fx/b2.xab" >/dev/null 2>&1

# ---- central visits ----------------------------------------------------------------
t_run "visits" 0 "$XA" central visits
t_has "visits: ten" "$OUT" "10 次检查"
t_has "visits: a school" "$OUT" "莲都区实验小学"
t_has "visits: kind in Chinese" "$OUT" "四不两直"
t_run "visits csv" 0 "$XA" central visits --format csv
t_eq "visits csv BOM" "$(printf '%s' "$OUT" | head -c 3 | od -An -tx1 | tr -d ' ')" "efbbbf"
t_eq "visits csv rows" "$(printf '%s\n' "$OUT" | wc -l)" "11"
t_run "visits json" 0 "$XA" central visits --format json
t_eq "visits json rows" "$(printf '%s' "$OUT" | grep -c '"arrived"')" "10"
t_run "visits of one inspector" 0 "$XA" central visits --inspector "$FXFP"
t_has "inspector filter: all ten" "$OUT" "10 次检查"
t_run "visits of an unknown inspector" 0 "$XA" central visits --inspector 11111-11111-11111-11111
t_has "unknown inspector: none" "$OUT" "0 次检查"
t_run "visits by date" 0 "$XA" central visits --from 2026-10-04 --to 2026-10-04
t_has "date filter: two on 4 October" "$OUT" "2 次检查"
CODE=$("$XA" central visits --format json | sed -n 's/.*"code": "\([0-9]*\)".*/\1/p' | head -1)
NCODE=$("$XA" central visits --format json | grep -c "\"code\": \"$CODE\"")
t_run "visits of one school" 0 "$XA" central visits --school "$CODE"
t_has "school filter" "$OUT" "$NCODE 次检查"

# ---- central visit ID --------------------------------------------------------------
ID=$("$XA" central visits --format json | python3 -c 'import json,sys; print([v["id"] for v in json.load(sys.stdin) if v["hazards"] == 1][0])')
t_run "visit" 0 "$XA" central visit "$ID"
t_has "visit: id" "$OUT" "检查记录 $ID"
t_has "visit: attestations" "$OUT" "不发通知 是"
t_has "visit: gate time" "$OUT" "到校时间"
t_has "visit: first site" "$OUT" "到达现场"
t_has "visit: signature checked" "$OUT" "签名        有效"
t_has "visit: chain" "$OUT" "记录链      完整"
t_has "visit: bundle" "$OUT" "b1.xab"
# The form's version as forms/index.csv gives it (it goes up when the text changes).
GNV=$(awk -F, '$1 == "general-4n2d" {print $2}' "$ROOT/forms/index.csv")
t_has "visit: answers by form" "$OUT" "表 general-4n2d 第 $GNV 版"
t_has "visit: an answer" "$OUT" "符合"
t_has "visit: one hazard" "$OUT" "隐患 1 条"
# every answer with its item's text from the imported form set (issue 13:
# "every answer by form with its result, count and note"), in the form's order
VTEXT=$OUT
t_has "visit: the form's title next to its id" "$VTEXT" "表 general-4n2d 第 $GNV 版  四不两直进校综合检查"
GN01=$(awk -F, '$2 == "GN-01" {print $4}' "$ROOT/forms/general-4n2d.csv")
t_has "visit: GN-01 with its item text" "$VTEXT" "GN-01       符合    $GN01"
t_eq "visit: every answer line carries an item text" \
    "$(printf '%s\n' "$VTEXT" | sed -n '/项$/,/^$/p' | grep -E '^    [A-Z]+-[0-9]+ ' | grep -cvE '^    [A-Z0-9-]+ +[^ ]+ +[^ ]{4,}')" "0"
t_eq "visit: answers in the form's item order" \
    "$(printf '%s\n' "$VTEXT" | sed -n '/表 general-4n2d/,/表 /p' | grep -oE '^    GN-[0-9]+' | tr -d ' ' | sort -c 2>&1 && echo sorted)" "sorted"
t_run "visit by prefix" 0 "$XA" central visit "${ID:0:8}"
t_has "prefix finds it" "$OUT" "检查记录 $ID"
t_run "visit json" 0 "$XA" central visit "$ID" --format json
t_has "visit json: signature" "$OUT" '"status": "valid"'
t_has "visit json: document" "$OUT" '"attest"'
t_has "visit json: bundle" "$OUT" '"file": "b1.xab"'
t_eq "visit json: each answer by form with its item text" "$(printf '%s' "$OUT" | python3 -c '
import csv, json, sys
d = json.load(sys.stdin)
texts = {}
for f in d["document"]["forms"]:
    for row in csv.DictReader(open(sys.argv[1] + "/" + f["id"] + ".csv", encoding="utf-8-sig")):
        texts[(f["id"], row["code"])] = (row["text"], row["text_en"])
rows = d["answers_by_form"]
ok = len(rows) == len(d["document"]["answers"]) and all(
    (r["item"], r["item_en"]) == texts[(r["form"], r["code"])] for r in rows)
print("ok" if ok else "bad")' "$ROOT/forms")" "ok"
t_run "visit en" 0 env XIAOAN_LANG=en "$XA" central visit "$ID"
GN01EN=$(python3 -c 'import csv,sys; print([r["text_en"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["code"] == "GN-01"][0])' "$ROOT/forms/general-4n2d.csv")
t_has "visit en: GN-01 with its English item text" "$OUT" "GN-01       pass    $GN01EN"

t_done
