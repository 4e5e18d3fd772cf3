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
t_run "init" 0 "$XA" central init --store "$S" --kdf interactive --passphrase-file "$P" --name "丽水市教育局安全办"
t_has "init prints the fingerprint" "$OUT" "fingerprint: "
t_has "init prints the name" "$OUT" "name: 丽水市教育局安全办"
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
t_run "schools import missing file" 1 "$XA" central schools import "$T_TMP/none.csv"
t_run "schools import without CSV" 2 "$XA" central schools import
t_run "schools --county without value" 2 "$XA" central schools --county

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
t_has "settings default major" "$OUT" "deadline.major = 15"
t_run "settings set" 0 "$XA" central settings deadline.major 10
t_run "settings get" 0 "$XA" central settings deadline.major
t_eq "settings value" "$OUT" "deadline.major = 10"
t_run "settings unknown key" 2 "$XA" central settings colour blue
t_run "settings bad value" 2 "$XA" central settings deadline.major soon
"$XA" central settings deadline.major 15 >/dev/null

# ---- ledger / report ---------------------------------------------------------------------
t_run "ledger (empty)" 0 "$XA" central ledger
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

# ---- help -------------------------------------------------------------------------
t_run "central merge --help" 0 "$XA" central ledger --help
t_has "help shows usage" "$OUT" "usage: xiaoan central ledger"
t_done
