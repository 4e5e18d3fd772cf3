# tests/cli/central.sh — the office's commands: each one's success, its
# usage errors (exit 2) and a failure (exit 1, one line "xiaoan: ...").
. "$(dirname "$0")/../lib/t.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export XIAOAN_NOW=2026-12-01T09:00:00+08:00
unset XIAOAN_STORE XIAOAN_PASSPHRASE_FILE
S=$T_TMP/central.db
P=$T_TMP/pass
echo "office secret" >"$P"
echo "wrong" >"$T_TMP/wrong"

# one line on stderr, starting "xiaoan: "
one_line() {
    local n
    n=$(printf '%s\n' "$ERR" | wc -l)
    case "$ERR" in "xiaoan: "*) [ "$n" -eq 1 ] && t_ok "$1" || t_bad "$1" "$n lines: $ERR" ;; *) t_bad "$1" "got: $ERR" ;; esac
}

# ---- central init ---------------------------------------------------------
t_run "init without a store is a usage error" 2 "$XA" central init --kdf interactive --passphrase-file "$P"
one_line "init without a store: one line"
t_run "init --kdf bogus" 2 "$XA" central init --store "$S" --kdf bogus --passphrase-file "$P"
t_run "init unknown option" 2 "$XA" central init --store "$S" --frob
t_run "init extra argument" 2 "$XA" central init --store "$S" extra
t_run "init" 0 "$XA" central init --store "$S" --kdf interactive --passphrase-file "$P" --name "丽水市教育局安全科"
t_has "init prints the fingerprint" "$OUT" "fingerprint: "
t_has "init prints the name" "$OUT" "name: 丽水市教育局安全科"
OFP=$(printf '%s\n' "$OUT" | sed -n 's/^office fingerprint: //p')
t_eq "fingerprint shape" "$(printf '%s' "$OFP" | grep -cE '^[0-9]{5}-[0-9]{5}-[0-9]{5}-[0-9]{5}$')" 1
t_eq "store is 0600" "$(stat -c %a "$S")" "600"
t_run "init again fails" 1 "$XA" central init --store "$S" --kdf interactive --passphrase-file "$P"
one_line "init again: one line"
t_has "init again says exists" "$ERR" "already exists"
export XIAOAN_STORE=$S

# ---- central id / export-identity -----------------------------------------
t_run "id" 0 "$XA" central id
t_has "id prints the fingerprint" "$OUT" "fingerprint: $OFP"
t_run "id extra argument" 2 "$XA" central id extra
t_run "id on a missing store" 1 "$XA" central id --store "$T_TMP/none.db"
one_line "missing store: one line"
t_run "export-identity" 0 "$XA" central export-identity --passphrase-file "$P"
t_has "export-identity prints the age key" "$OUT" "AGE-SECRET-KEY-1"
printf '%s\n' "$OUT" >"$T_TMP/office.key"
if command -v age-keygen >/dev/null 2>&1; then
    AGE_REC=$("$XA" central id | sed -n 's/^age: //p')
    t_eq "age-keygen -y agrees" "$(age-keygen -y "$T_TMP/office.key")" "$AGE_REC"
else
    t_skip "age-keygen -y agrees" "age-keygen not installed"
fi
t_run "export-identity wrong passphrase" 1 "$XA" central export-identity --passphrase-file "$T_TMP/wrong"
one_line "wrong passphrase: one line"
t_eq "wrong office passphrase says what is possible" "$ERR" \
    "xiaoan: wrong office passphrase: check it and try again; a forgotten one cannot be recovered (the office key is locked with it)"
t_run "export-identity extra argument" 2 "$XA" central export-identity extra

# ---- enroll / revoke / inspectors -------------------------------------------
# Inspector identities: any identity text of the formats.md shape will do;
# another office's identity has exactly that shape.
mkid() {
    "$XA" central init --store "$T_TMP/$1.db" --kdf interactive --passphrase-file "$P" --name "$2" >/dev/null &&
        "$XA" central id --store "$T_TMP/$1.db" >"$T_TMP/$1.id"
}
mkid zhang 张三
mkid li 李四
ZFP=$(sed -n 's/^fingerprint: //p' "$T_TMP/zhang.id")
LFP=$(sed -n 's/^fingerprint: //p' "$T_TMP/li.id")
t_run "inspectors when none" 0 "$XA" central inspectors
t_has "inspectors says none" "$OUT" "no inspectors"
t_run "enroll" 0 "$XA" central enroll "$T_TMP/zhang.id"
t_has "enroll prints name and fingerprint" "$OUT" "enrolled 张三 $ZFP"
t_run "enroll from stdin" 0 sh -c "\"$XA\" central enroll - <\"$T_TMP/li.id\""
t_run "enroll again fails" 1 "$XA" central enroll "$T_TMP/zhang.id"
one_line "enroll again: one line"
t_run "enroll the office itself fails" 1 sh -c "\"$XA\" central id | \"$XA\" central enroll -"
t_has "enroll office: says so" "$ERR" "office"
printf 'name: x\nsign: AAAA\n' >"$T_TMP/bad.id"
t_run "enroll malformed identity" 1 "$XA" central enroll "$T_TMP/bad.id"
one_line "enroll malformed: one line"
t_run "enroll missing file" 1 "$XA" central enroll "$T_TMP/nope.id"
t_run "enroll without IDFILE" 2 "$XA" central enroll
t_run "enroll two files" 2 "$XA" central enroll a b
t_run "inspectors" 0 "$XA" central inspectors
t_has "inspectors lists 张三" "$OUT" "张三"
t_has "inspectors lists active" "$OUT" "active"
t_run "revoke without dashes" 0 "$XA" central revoke "$(printf '%s' "$LFP" | tr -d -)"
t_has "revoke prints the fingerprint" "$OUT" "revoked $LFP"
t_run "revoke again fails" 1 "$XA" central revoke "$LFP"
one_line "revoke again: one line"
t_run "revoke unknown" 1 "$XA" central revoke 12345-12345-12345-12345
t_run "revoke malformed" 2 "$XA" central revoke 123
t_run "revoke without argument" 2 "$XA" central revoke
t_run "inspectors after revoke" 0 "$XA" central inspectors
t_has "inspectors shows revoked" "$OUT" "revoked 2026-12-01"

# ---- schools ---------------------------------------------------------------------
t_run "schools when none" 0 "$XA" central schools
t_run "schools import" 0 "$XA" central schools import "$ROOT/docs/examples/roster.csv"
t_has "schools import counts" "$OUT" "new"
t_run "schools import again: unchanged" 0 "$XA" central schools import "$ROOT/docs/examples/roster.csv"
t_has "schools import again counts" "$OUT" "0 new, 0 updated"
t_run "schools" 0 "$XA" central schools
t_has "schools lists 莲都区实验小学" "$OUT" "莲都区实验小学"
t_run "schools --county" 0 "$XA" central schools --county 龙泉市
t_lacks "schools --county filters" "$OUT" "莲都区实验小学"
t_has "schools --county lists 龙泉" "$OUT" "龙泉市实验小学"
printf 'code,name,county,type\n1,甲,莲都区,nonsense\n' >"$T_TMP/bad.csv"
t_run "schools import bad CSV" 1 "$XA" central schools import "$T_TMP/bad.csv"
one_line "bad roster: one line"
iconv -f UTF-8 -t GB18030 "$ROOT/docs/examples/roster.csv" > "$T_TMP/ansi.csv"
t_run "schools import of a GB18030 roster" 0 "$XA" central schools import "$T_TMP/ansi.csv"
t_has "GB18030 roster: noted" "$ERR" "is GB18030"
t_has "GB18030 roster: same schools, unchanged" "$OUT" "0 new, 0 updated"
t_run "schools import missing file" 1 "$XA" central schools import "$T_TMP/none.csv"
t_run "schools import without CSV" 2 "$XA" central schools import
t_run "schools --county without value" 2 "$XA" central schools --county
t_run "schools --county takes a short name" 0 "$XA" central schools --county 景宁
t_has "schools --county 景宁 lists 景宁畲族自治县" "$OUT" "景宁畲族自治县实验小学"
t_lacks "schools --county 景宁 filters" "$OUT" "莲都区实验小学"
t_run "schools --county refuses an unknown county" 1 "$XA" central schools --county 杭州
t_has "unknown county names the known ones" "$ERR" "xiaoan: unknown county '杭州' (one of 市直, 莲都区"
t_run "schools lists every school" 0 "$XA" central schools
t_eq "schools: 市直 first, then by code" "$(printf '%s\n' "$OUT" | grep -oE '市直|莲都区|青田县|缙云县|遂昌县|松阳县|云和县|庆元县|景宁畲族自治县|龙泉市' | uniq | tr '\n' ' ')" "市直 莲都区 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁畲族自治县 龙泉市 "

# ---- forms ------------------------------------------------------------------------
t_run "forms when none" 0 "$XA" central forms
t_run "forms import" 0 "$XA" central forms import "$ROOT/forms"
t_has "forms import lists fire-buildings" "$OUT" "fire-buildings"
t_run "forms import again" 0 "$XA" central forms import "$ROOT/forms"
t_has "forms import again unchanged" "$OUT" "unchanged"
t_run "forms" 0 "$XA" central forms
t_has "forms lists 消防" "$OUT" "消防"
# a changed form under the same version is refused
mkdir -p "$T_TMP/forms2"
cp "$ROOT"/forms/*.csv "$T_TMP/forms2/"
sed -i '2s/^\([^,]*\),\([^,]*\),\([^,]*\),/\1,\2,\3,改动 /' "$T_TMP/forms2/gas.csv"
t_run "forms import changed same version" 1 "$XA" central forms import "$T_TMP/forms2"
one_line "changed form: one line"
t_has "changed form: says new version" "$ERR" "new version"
t_run "forms import missing dir" 1 "$XA" central forms import "$T_TMP/none"
t_run "forms import without DIR" 2 "$XA" central forms import
t_run "forms --all" 0 "$XA" central forms --all

# ---- settings ------------------------------------------------------------------------
t_run "settings" 0 "$XA" central settings
t_has "settings default major" "$OUT" "deadline.major = 30"
t_run "settings set" 0 "$XA" central settings deadline.major 10
t_run "settings get" 0 "$XA" central settings deadline.major
t_eq "settings value" "$OUT" "deadline.major = 10"
t_run "settings unknown key" 2 "$XA" central settings colour blue
t_run "settings bad value" 2 "$XA" central settings deadline.major soon
"$XA" central settings deadline.major 15 >/dev/null

# ---- ledger / report ---------------------------------------------------------------------
t_run "ledger (empty)" 0 env XIAOAN_LANG=zh "$XA" central ledger
t_has "ledger header" "$OUT" "隐患编号"
t_run "ledger csv" 0 "$XA" central ledger --format csv --state all
t_eq "ledger csv BOM" "$(printf '%s' "$OUT" | head -c 3 | od -An -tx1 | tr -d ' ')" "efbbbf"
t_run "ledger json" 0 "$XA" central ledger --format json
t_eq "ledger json empty" "$OUT" "[]"
t_run "ledger bad state" 2 "$XA" central ledger --state later
one_line "bad state: one line"
t_run "ledger bad format" 2 "$XA" central ledger --format xml
t_run "ledger extra argument" 2 "$XA" central ledger extra
t_run "report" 0 "$XA" central report
t_has "report unvisited" "$OUT" "90"
t_run "report extra argument" 2 "$XA" central report extra
printf 'not a database at all, just some text to fill a page\n' >"$T_TMP/junk.db"
t_run "report on a non-store" 1 "$XA" central report --store "$T_TMP/junk.db"
one_line "non-store: one line"

# ---- merge, brief, brief import (bundles from the unit-test fixture) ---------------
FX=${XIAOAN_BUILD:-$ROOT/build}/tests/test_merge
"$XA" central id >"$T_TMP/office.id"
t_run "merge without files" 2 "$XA" central merge --passphrase-file "$P"
one_line "merge without files: one line"
t_run "merge unknown option" 2 "$XA" central merge --frob x.xab
if [ -x "$FX" ] && mkdir -p "$T_TMP/fx" && "$FX" fixture "$T_TMP/fx" "$T_TMP/office.id" >/dev/null 2>&1; then
    FXFP=$(sed -n 's/^fingerprint: //p' "$T_TMP/fx/inspector.id")
    t_run "merge from an unknown sender" 1 "$XA" central merge --passphrase-file "$P" "$T_TMP/fx/b1.xab"
    t_has "unknown sender: rejected line" "$OUT" "rejected $T_TMP/fx/b1.xab: not from a known sender"
    "$XA" central enroll "$T_TMP/fx/inspector.id" >/dev/null
    t_run "merge" 0 "$XA" central merge --passphrase-file "$P" "$T_TMP/fx/b1.xab"
    t_eq "merge line" "$OUT" "merged $T_TMP/fx/b1.xab: 6 visits (6 new)"
    t_run "merge again and the next" 0 "$XA" central merge --passphrase-file "$P" "$T_TMP/fx/b1.xab" "$T_TMP/fx/b2.xab"
    t_has "merge again: nothing new" "$OUT" "merged $T_TMP/fx/b1.xab: 6 visits (0 new)"
    t_has "merge next" "$OUT" "merged $T_TMP/fx/b2.xab: 4 visits (4 new)"
    t_eq "no progress bar without a terminal" "$ERR" ""
    printf 'garbage garbage garbage' >"$T_TMP/garbage.xab"
    : >"$T_TMP/empty.xab"
    t_run "merge garbage, empty and a stranger" 1 "$XA" central merge --passphrase-file "$P" "$T_TMP/garbage.xab" "$T_TMP/empty.xab" "$T_TMP/fx/stranger.xab" "$T_TMP/fx/b2.xab"
    t_has "garbage rejected" "$OUT" "rejected $T_TMP/garbage.xab: not a bundle"
    t_has "empty rejected" "$OUT" "rejected $T_TMP/empty.xab: empty file"
    t_has "stranger rejected" "$OUT" "rejected $T_TMP/fx/stranger.xab: not from a known sender"
    t_has "the good one still merges" "$OUT" "merged $T_TMP/fx/b2.xab"
    t_eq "rejected files are quarantined" "$(ls "$S.quarantine" | wc -l)" "4"
    t_run "merge a missing file" 1 "$XA" central merge --passphrase-file "$P" "$T_TMP/none.xab"
    t_has "missing: rejected" "$OUT" "rejected $T_TMP/none.xab: cannot read it"
    t_run "merge with the wrong passphrase" 1 "$XA" central merge --passphrase-file "$T_TMP/wrong" "$T_TMP/fx/b1.xab"
    one_line "merge wrong passphrase: one line"
    t_run "ledger after merge" 0 "$XA" central ledger --state all
    t_has "ledger lists the hazards" "$OUT" "疏散通道堆放杂物"
    t_has "ledger counts" "$OUT" "4 hazards"
    t_has "ledger heads in English in C" "$(printf '%s\n' "$OUT" | head -1)" "hazard number"
    # the 隐患台账 (heads and states in Chinese) in a Chinese locale or with XIAOAN_LANG=zh
    t_run "ledger after merge, in Chinese" 0 env XIAOAN_LANG=zh "$XA" central ledger --state all
    t_has "ledger shows a re-checked major one" "$OUT" "已整改待销号"
    t_run "ledger json after merge" 0 "$XA" central ledger --state all --format json
    t_eq "ledger json rows" "$(printf '%s' "$OUT" | grep -c '"number"')" "4"
    t_run "ledger closed" 0 "$XA" central ledger --state closed --format csv
    # (printf drops the last newline: the count is the header + rows - 1)
    t_eq "ledger closed: one row + header (the major one waits for the office)" "$(printf '%s' "$OUT" | wc -l)" "1"
    t_run "ledger rechecked" 0 "$XA" central ledger --state rechecked --format csv
    t_eq "ledger rechecked: one row + header" "$(printf '%s' "$OUT" | wc -l)" "1"
    t_run "report after merge" 0 env XIAOAN_LANG=zh "$XA" central report --from 2026-10-01
    t_lacks "report: roster and forms were there, no unknown schools" "$OUT" "unknown-school"
    t_has "report: visits by kind" "$OUT" "四不两直"
    t_has "report: rejected files counted" "$OUT" "隔离文件：4"
    # the standard tools open what the office receives and sends
    if command -v age >/dev/null && command -v zstd >/dev/null; then
        "$XA" central export-identity --passphrase-file "$P" >"$T_TMP/office.key"
        first=$(age -d -i "$T_TMP/office.key" "$T_TMP/fx/b1.xab" | zstd -dc | head -1)
        t_has "age -d | zstd -dc opens a bundle" "$first" '"format":"xiaoan.bundle/2"'
        lines=$(age -d -i "$T_TMP/office.key" "$T_TMP/fx/b1.xab" | zstd -dc | grep -c '"type":"visit"')
        t_eq "the bundle's visit lines" "$lines" "6"
    else
        t_skip "age -d | zstd -dc opens a bundle" "age or zstd not installed"
        t_skip "the bundle's visit lines" "age or zstd not installed"
    fi
    t_run "brief" 0 "$XA" central brief --inspector "$FXFP" -o "$T_TMP/fx.xbrief" --passphrase-file "$P"
    t_has "brief summary" "$OUT" "2 receipts"
    if command -v age >/dev/null && command -v zstd >/dev/null; then
        plain=$(age -d -i "$T_TMP/office.key" "$T_TMP/fx.xbrief" | zstd -dc)
        t_has "age -d | zstd -dc opens a brief" "$plain" '"format":"xiaoan.brief/2"'
        t_has "the brief carries receipts" "$plain" '"type":"receipt"'
        t_has "the brief carries open hazards" "$plain" '"type":"hazard"'
        t_has "the brief carries the office age key" "$plain" "$("$XA" central id | sed -n 's/^age: //p')"
    else
        for n in 1 2 3 4; do t_skip "age -d | zstd -dc opens a brief ($n)" "age or zstd not installed"; done
    fi
    t_run "brief of one county" 0 "$XA" central brief --inspector "$FXFP" --county 龙泉市 -o "$T_TMP/fx2.xbrief" --passphrase-file "$P"
    t_has "county brief: fewer schools" "$OUT" "7 schools"
    t_run "brief of an unknown county" 1 "$XA" central brief --inspector "$FXFP" --county 火星 -o "$T_TMP/fx3.xbrief" --passphrase-file "$P"
    t_eq "no file for a failed brief" "$(ls "$T_TMP/fx3.xbrief" 2>/dev/null)" ""
else
    for n in 1 2 3; do t_skip "merge and brief with fixture bundles ($n)" "no fixture ($FX)"; done
fi
t_run "brief without -o" 2 "$XA" central brief --inspector "$ZFP"
t_run "brief without --inspector" 2 "$XA" central brief -o "$T_TMP/x.xbrief"
t_run "brief bad fingerprint" 2 "$XA" central brief --inspector 12 -o "$T_TMP/x.xbrief"
t_run "brief for an unknown inspector" 1 "$XA" central brief --inspector 12345-12345-12345-12345 -o "$T_TMP/x.xbrief" --passphrase-file "$P"
one_line "brief unknown inspector: one line"
t_run "brief for a revoked inspector" 1 "$XA" central brief --inspector "$LFP" -o "$T_TMP/x.xbrief" --passphrase-file "$P"
t_has "revoked: says so" "$ERR" "revoked"

# ---- brief import in the field ---------------------------------------------------
H=$T_TMP/home
FP_PASS=$T_TMP/fpass
echo "field secret" >"$FP_PASS"
if "$XA" init --home "$H" --name 张三 --kdf interactive --passphrase-file "$FP_PASS" >/dev/null 2>&1; then
    "$XA" id --home "$H" >"$T_TMP/h.id"
    HFP=$(sed -n 's/^fingerprint: //p' "$T_TMP/h.id")
    "$XA" central enroll "$T_TMP/h.id" >/dev/null
    "$XA" central brief --inspector "$HFP" -o "$T_TMP/h1.xbrief" --passphrase-file "$P" >/dev/null
    t_run "brief import: wrong expected fingerprint" 1 "$XA" brief import "$T_TMP/h1.xbrief" --home "$H" --passphrase-file "$FP_PASS" --expect-fingerprint 11111-11111-11111-11111
    one_line "expect mismatch: one line"
    t_run "brief import" 0 "$XA" brief import "$T_TMP/h1.xbrief" --home "$H" --passphrase-file "$FP_PASS" --expect-fingerprint "$(printf '%s' "$OFP" | tr -d -)"
    t_has "brief import prints the office fingerprint" "$OUT" "office fingerprint: $OFP"
    t_has "brief import pins" "$OUT" "pinned"
    t_has "brief import counts" "$OUT" "70 schools"
    "$XA" central brief --inspector "$HFP" -o "$T_TMP/h2.xbrief" --passphrase-file "$P" >/dev/null
    t_run "brief import of the next brief" 0 "$XA" brief import "$T_TMP/h2.xbrief" --home "$H" --passphrase-file "$FP_PASS"
    t_has "next brief: seq 2" "$OUT" "imported brief 2"
    t_lacks "next brief: no new pin" "$OUT" "pinned:"
    t_run "an older brief is refused" 1 "$XA" brief import "$T_TMP/h1.xbrief" --home "$H" --passphrase-file "$FP_PASS"
    one_line "older brief: one line"
    # tampered: one byte flipped in the middle
    cp "$T_TMP/h2.xbrief" "$T_TMP/tampered.xbrief"
    size=$(stat -c %s "$T_TMP/tampered.xbrief")
    printf '\001' | dd of="$T_TMP/tampered.xbrief" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
    t_run "a tampered brief is refused" 1 "$XA" brief import "$T_TMP/tampered.xbrief" --home "$H" --passphrase-file "$FP_PASS"
    one_line "tampered: one line"
    # another office (the zhang store is an office too) briefs the same inspector
    "$XA" central enroll --store "$T_TMP/zhang.db" "$T_TMP/h.id" >/dev/null
    "$XA" central brief --store "$T_TMP/zhang.db" --inspector "$HFP" -o "$T_TMP/other.xbrief" --passphrase-file "$P" >/dev/null
    t_run "a brief from another office is refused" 1 "$XA" brief import "$T_TMP/other.xbrief" --home "$H" --passphrase-file "$FP_PASS"
    t_has "another office: says so" "$ERR" "another office key"
    one_line "another office: one line"
    t_run "brief import without FILE" 2 "$XA" brief import --home "$H"
    t_run "brief import bad --expect-fingerprint" 2 "$XA" brief import "$T_TMP/h1.xbrief" --home "$H" --expect-fingerprint 12
    t_run "brief import without a field store" 1 "$XA" brief import "$T_TMP/h1.xbrief" --home "$T_TMP/nohome" --passphrase-file "$FP_PASS"
    one_line "no field store: one line"
    t_run "brief import wrong passphrase" 1 "$XA" brief import "$T_TMP/h1.xbrief" --home "$H" --passphrase-file "$T_TMP/wrong"
else
    t_skip "brief import" "this build has no 'xiaoan init'"
fi

# ---- demo ------------------------------------------------------------------------
t_run "demo" 0 sh -c "cd \"$ROOT\" && \"$XA\" demo \"$T_TMP/demo\" --no-tui"
t_has "demo prints the passphrase" "$OUT" "passphrase     demo"
t_has "demo prints the commands" "$OUT" "xiaoan central ledger --store $(readlink -f "$T_TMP/demo")/office.db"
t_run "demo store works" 0 "$XA" central inspectors --store "$T_TMP/demo/office.db"
t_has "demo inspector enrolled" "$OUT" "张明"
t_run "demo field store has its visits" 0 "$XA" visits --home "$T_TMP/demo/home" --passphrase-file "$T_TMP/demo/passphrase.txt"
t_has "demo field store: acknowledged visits" "$OUT" "acknowledged"
t_run "demo again reuses it" 0 "$XA" demo "$T_TMP/demo" --no-tui
t_has "demo again says so" "$OUT" "already there"
mkdir -p "$T_TMP/notdemo" && echo x >"$T_TMP/notdemo/file"
t_run "demo in a folder with other things" 1 "$XA" demo "$T_TMP/notdemo" --no-tui
one_line "demo other folder: one line"
t_run "demo bad option" 2 "$XA" demo --frob
t_run "demo two folders" 2 "$XA" demo a b

# ---- help -------------------------------------------------------------------------
t_run "central merge --help" 0 "$XA" central ledger --help
t_has "help shows usage" "$OUT" "usage: xiaoan central ledger"
t_done
