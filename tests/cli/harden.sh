# tests/cli/harden.sh — the attacks of issue 11 through the command line:
# hostile file names and senders cannot forge the operator's output; every
# refusal is one line naming the file and the reason, exit 1.
. "$(dirname "$0")/../lib/t.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export XIAOAN_NOW=2026-12-01T09:00:00+08:00
unset XIAOAN_STORE XIAOAN_PASSPHRASE_FILE XIAOAN_HOME
S=$T_TMP/central.db
P=$T_TMP/pass
echo "office secret" >"$P"
export XIAOAN_STORE=$S
"$XA" central init --kdf interactive --passphrase-file "$P" >/dev/null
"$XA" central id >"$T_TMP/office.id"
FX=${XIAOAN_BUILD:-$ROOT/build}/tests/test_merge
ESC=$(printf '\033')
CR=$(printf '\r')

# no raw ESC, CR, C1 or bidi control in the text
harmless() {
    case "$2" in
        *"$ESC"* | *"$CR"* | *$'\xc2\x9b'* | *$'\xe2\x80\xae'*) t_bad "$1" "raw control in: $(printf '%s' "$2" | od -c | head -3)" ;;
        *) t_ok "$1" ;;
    esac
}

if [ -x "$FX" ] && mkdir -p "$T_TMP/fx" && "$FX" fixture "$T_TMP/fx" "$T_TMP/office.id" >/dev/null 2>&1; then
    # ---- item 3: a file name that would rewrite the terminal line -------------------
    evil="$T_TMP/e${ESC}[2K${CR}merged e.xab: 9 visits (9 new)"$'\xe2\x80\xae'".xab"
    cp "$T_TMP/fx/stranger.xab" "$evil"
    t_run "a hostile file name is rejected" 1 "$XA" central merge --passphrase-file "$P" "$evil"
    harmless "the rejection line carries no raw control" "$OUT"
    t_has "the name is shown escaped" "$OUT" 'e\x1b[2K\x0dmerged e.xab: 9 visits (9 new)\u202e.xab: not from a known sender'
    t_eq "one line" "$(printf '%s\n' "$OUT" | wc -l)" "1"
    t_run "merge a missing hostile name" 1 "$XA" central merge --passphrase-file "$P" "$T_TMP/x${ESC}]0;pwned"$'\a'".xab"
    harmless "missing file: no raw control" "$OUT$ERR"
    # ---- item 7: -o never overwrites (the store least of all), never follows a symlink ----
    "$XA" central enroll "$T_TMP/fx/inspector.id" >/dev/null
    FXFP=$(sed -n 's/^fingerprint: //p' "$T_TMP/fx/inspector.id")
    before=$(sha256sum <"$S")
    t_run "brief -o onto the store itself is refused" 1 "$XA" central brief --inspector "$FXFP" -o "$S" --passphrase-file "$P"
    t_has "it says the file exists" "$ERR" "already exists"
    t_eq "one line" "$(printf '%s\n' "$ERR" | wc -l)" "1"
    t_eq "the store is untouched" "$(sha256sum <"$S")" "$before"
    echo "precious" >"$T_TMP/target"
    ln -s "$T_TMP/target" "$T_TMP/link.xbrief"
    t_run "brief -o onto a symlink is refused" 1 "$XA" central brief --inspector "$FXFP" -o "$T_TMP/link.xbrief" --passphrase-file "$P"
    t_eq "the symlink's target is untouched" "$(cat "$T_TMP/target")" "precious"
    ln -s "$T_TMP/nowhere" "$T_TMP/dangling.xbrief"
    t_run "brief -o onto a dangling symlink is refused" 1 "$XA" central brief --inspector "$FXFP" -o "$T_TMP/dangling.xbrief" --passphrase-file "$P"
    t_eq "nothing created through it" "$(ls "$T_TMP/nowhere" 2>/dev/null)" ""
    t_run "brief to a new file" 0 "$XA" central brief --inspector "$FXFP" -o "$T_TMP/a.xbrief" --passphrase-file "$P"
    t_run "brief again onto it is refused" 1 "$XA" central brief --inspector "$FXFP" -o "$T_TMP/a.xbrief" --passphrase-file "$P"
    t_run "--force replaces it" 0 "$XA" central brief --inspector "$FXFP" -o "$T_TMP/a.xbrief" --force --passphrase-file "$P"
    t_run "--force replaces a symlink, not its target" 0 "$XA" central brief --inspector "$FXFP" -o "$T_TMP/link.xbrief" --force --passphrase-file "$P"
    t_eq "the target is still untouched" "$(cat "$T_TMP/target")" "precious"
    t_eq "the link is a file now" "$(test -L "$T_TMP/link.xbrief" && echo link || echo file)" "file"
    # ---- item 10: a re-encrypted copy of a merged bundle is that bundle, not a fork ------
    t_run "merge a genuine bundle" 0 "$XA" central merge --passphrase-file "$P" "$T_TMP/fx/b1.xab"
    "$XA" central export-identity --passphrase-file "$P" >"$T_TMP/office.key"
    chmod 600 "$T_TMP/office.key"
    OREC=$(sed -n 's/^age: //p' "$T_TMP/office.id")
    age -d -i "$T_TMP/office.key" "$T_TMP/fx/b1.xab" | age -r "$OREC" >"$T_TMP/b1-again.xab"
    rm -f "$T_TMP/office.key"
    t_eq "the copy's file bytes differ" "$(cmp -s "$T_TMP/fx/b1.xab" "$T_TMP/b1-again.xab" && echo same || echo differ)" "differ"
    nb=$(sqlite3 "$S" "SELECT count(*) FROM bundles")
    t_run "merge the re-encrypted copy under another name" 0 "$XA" central merge --passphrase-file "$P" "$T_TMP/b1-again.xab"
    t_has "it is recognised: nothing new" "$OUT" "(0 new)"
    t_lacks "no anomaly note" "$ERR" "anomal"
    t_eq "no second bundle row" "$(sqlite3 "$S" "SELECT count(*) FROM bundles")" "$nb"
    t_eq "no bundle-fork" "$(sqlite3 "$S" "SELECT count(*) FROM anomalies WHERE kind LIKE '%fork%'")" "0"
    t_eq "the bundle row carries its content hash" "$(sqlite3 "$S" "SELECT length(content) FROM bundles WHERE file = 'b1.xab'")" "128"
    # ---- item 13: concurrent briefs never share a sequence number -----------------------
    for i in 1 2 3 4; do
        "$XA" central brief --inspector "$FXFP" -o "$T_TMP/c$i.xbrief" --passphrase-file "$P" >/dev/null 2>&1 &
    done
    wait
    seqs=$(sqlite3 "$S" "SELECT seq FROM briefs WHERE inspector = '$FXFP' ORDER BY seq" | tr '\n' ' ')
    dups=$(sqlite3 "$S" "SELECT count(*) FROM (SELECT seq FROM briefs GROUP BY inspector, seq HAVING count(*) > 1)")
    t_eq "no two briefs with one sequence number ($seqs)" "$dups" "0"
    t_eq "every brief file on disk is in the store" "$(ls "$T_TMP"/c*.xbrief 2>/dev/null | wc -l)" "$(sqlite3 "$S" "SELECT count(*) FROM briefs WHERE file LIKE 'c_.xbrief'")"
    # ---- item 11: central quarantine lists, and purges what is older than DAYS ----------
    QD="$S.quarantine"
    cp "$T_TMP/fx/stranger.xab" "$T_TMP/q1.xab"
    cp "$T_TMP/fx/stranger.xab" "$T_TMP/q2.xab"
    XIAOAN_NOW=2026-12-01T10:00:00+08:00 "$XA" central merge --passphrase-file "$P" "$T_TMP/q1.xab" >/dev/null 2>&1
    XIAOAN_NOW=2026-12-20T10:00:00+08:00 "$XA" central merge --passphrase-file "$P" "$T_TMP/q1.xab" "$T_TMP/q2.xab" >/dev/null 2>&1
    t_run "central quarantine lists them" 0 "$XA" central quarantine
    t_has "with the file name" "$OUT" "q2.xab"
    t_has "with the reason" "$OUT" "not from a known sender"
    t_has "with the time" "$OUT" "2026-12-20 10:00"
    qsize=$(stat -c %s "$T_TMP/fx/stranger.xab")
    t_has "with the size kept" "$OUT" "$(if [ "$qsize" -lt 1024 ]; then echo "$qsize B"; else awk -v n="$qsize" 'BEGIN{printf "%.1f KiB", n/1024}'; fi)"
    harmless "the listing: no raw control (the hostile name of item 3 is there too)" "$OUT"
    nrows=$(sqlite3 "$S" "SELECT count(*) FROM quarantine")
    t_eq "one summary line counts every row" "$(printf '%s\n' "$OUT" | tail -1 | cut -d' ' -f1)" "$nrows"
    t_run "--purge-older not a number" 2 "$XA" central quarantine --purge-older abc
    t_has "one clear line" "$ERR" "--purge-older wants a whole number of days from 0 to 36500, not 'abc'"
    t_eq "one line" "$(printf '%s\n' "$ERR" | wc -l)" "1"
    t_run "--purge-older negative" 2 "$XA" central quarantine --purge-older -3
    t_run "--purge-older too large" 2 "$XA" central quarantine --purge-older 99999999
    t_eq "bad input changed nothing" "$(sqlite3 "$S" "SELECT count(*) FROM quarantine")" "$nrows"
    echo "not yours" >"$T_TMP/victim"
    ecopy=$(sqlite3 "$S" "SELECT path FROM quarantine WHERE file LIKE 'e%'")
    sqlite3 "$S" "UPDATE quarantine SET path = '$T_TMP/victim' WHERE file LIKE 'e%'"
    q1copy=$(sqlite3 "$S" "SELECT path FROM quarantine WHERE file = 'q1.xab' LIMIT 1")
    t_eq "the two q1 rows share one copy" "$(sqlite3 "$S" "SELECT count(DISTINCT path) FROM quarantine WHERE file = 'q1.xab'")" "1"
    t_run "purge what is older than 10 days" 0 env XIAOAN_NOW=2026-12-25T10:00:00+08:00 "$XA" central quarantine --purge-older 10
    t_has "it says what went" "$OUT" "received before 2026-12-15 10:00"
    t_eq "the old rows are gone, the 12-20 ones stay" "$(sqlite3 "$S" "SELECT count(*) FROM quarantine")" "2"
    t_eq "the copy a newer row names is kept" "$(test -f "$q1copy" && echo kept)" "kept"
    t_eq "a path edited to point outside the quarantine is never removed" "$(cat "$T_TMP/victim")" "not yours"
    t_eq "the purge is audited" "$(sqlite3 "$S" "SELECT count(*) FROM audit WHERE command = 'central quarantine'")" "1"
    t_run "purge everything (0 days)" 0 env XIAOAN_NOW=2026-12-25T10:00:00+08:00 "$XA" central quarantine --purge-older 0
    t_eq "no rows left" "$(sqlite3 "$S" "SELECT count(*) FROM quarantine")" "0"
    t_eq "no copies left but the one whose row was pointed elsewhere" "$(ls -A "$QD" | grep -v '^\.')" "$(basename "$ecopy")"
    t_run "an empty quarantine" 0 "$XA" central quarantine
    t_has "says so" "$OUT" "nothing in quarantine"
    # ---- item 1: revocation by sequence: a backdated bundle gains nothing; --allow FILE ----
    # b1 (bundle 1) was merged above; b2 (bundle 2) claims a date before the revocation
    t_run "--allow for an inspector not revoked" 1 "$XA" central revoke "$FXFP" --allow "$T_TMP/fx/b2.xab"
    t_has "it says so" "$ERR" "is not revoked"
    t_run "revoke the fixture inspector" 0 "$XA" central revoke "$FXFP"
    t_has "it names the limits" "$OUT" "bundles up to 1 and visits up to"
    t_run "bundle 2, dated before the revocation, is refused" 1 "$XA" central merge --passphrase-file "$P" "$T_TMP/fx/b2.xab"
    t_has "the reason names the revocation" "$OUT" "was revoked on"
    t_eq "the refusal is quarantined with the reason" "$(sqlite3 "$S" "SELECT count(*) FROM quarantine WHERE file = 'b2.xab' AND reason LIKE '%revoked%'")" "1"
    t_run "--allow a missing file" 1 "$XA" central revoke "$FXFP" --allow "$T_TMP/none.xab"
    t_eq "one line" "$(printf '%s\n' "$ERR" | wc -l)" "1"
    t_run "--allow the one file" 0 "$XA" central revoke "$FXFP" --allow "$T_TMP/fx/b2.xab"
    t_eq "audited" "$(sqlite3 "$S" "SELECT count(*) FROM audit WHERE command = 'central revoke' AND summary LIKE 'allowed b2.xab%'")" "1"
    t_run "the allowed bundle merges" 0 "$XA" central merge --passphrase-file "$P" "$T_TMP/fx/b2.xab"
    t_has "merged" "$OUT" "merged $T_TMP/fx/b2.xab: "
else
    t_skip "hostile file names" "no fixture ($FX)"
fi

# ---- item 6: the pinned office key in field.db is authenticated ------------------------
H=$T_TMP/home6
FPASS=$T_TMP/fpass
echo "field secret" >"$FPASS"
"$XA" init --home "$H" --name 张三 --kdf interactive --passphrase-file "$FPASS" >/dev/null
"$XA" id --home "$H" >"$T_TMP/h6.id"
H6FP=$(sed -n 's/^fingerprint: //p' "$T_TMP/h6.id")
"$XA" central enroll "$T_TMP/h6.id" >/dev/null
"$XA" central brief --inspector "$H6FP" -o "$T_TMP/h6.xbrief" --passphrase-file "$P" >/dev/null
"$XA" brief import "$T_TMP/h6.xbrief" --home "$H" --passphrase-file "$FPASS" >/dev/null
mkdir -p "$T_TMP/out6"
t_run "export with the genuine pin" 0 "$XA" export -o "$T_TMP/out6" --home "$H" --passphrase-file "$FPASS"
# someone with write access to field.db (no passphrase) swaps the office's age key
sqlite3 "$H/field.db" "UPDATE office SET age_pk = randomblob(32)"
t_run "export refuses an edited pin" 1 "$XA" export -o "$T_TMP/out6" --home "$H" --passphrase-file "$FPASS"
t_has "it says field.db was edited" "$ERR" "field.db was edited: its pinned office key does not match"
t_eq "one line" "$(printf '%s\n' "$ERR" | wc -l)" "1"
t_run "brief import refuses it too" 1 "$XA" brief import "$T_TMP/h6.xbrief" --home "$H" --passphrase-file "$FPASS"
t_has "the same reason" "$ERR" "field.db was edited"

# ---- item 5: one xiaoan per home: a writing command on a locked home says who has it -------
H5=$T_TMP/home5
"$XA" init --home "$H5" --name 赵六 --kdf interactive --passphrase-file "$FPASS" >"$T_TMP/h5.id"
"$XA" central enroll "$T_TMP/h5.id" >/dev/null
H5FP=$(sed -n 's/^fingerprint: //p' "$T_TMP/h5.id")
"$XA" central brief --inspector "$H5FP" -o "$T_TMP/h5.xbrief" --passphrase-file "$P" >/dev/null
t_eq "init took the home's lock and removed it at the end" "$(ls -A "$H5" | grep -cx lock)" "0"
# another xiaoan holds the lock (as a TUI does: flock on HOME/lock, its record inside)
( exec 9<>"$H5/lock"; flock -x 9
  printf 'pid %s\nsince 2026-12-01T18:40:07+08:00\ncommand xiaoan tui\n' "$BASHPID" >&9
  exec sleep 60 ) &
HOLDER=$!
for _ in $(seq 50); do grep -q pid "$H5/lock" 2>/dev/null && break; sleep 0.1; done
db5=$(sha256sum <"$H5/field.db")
t_run "export on a locked home exits 1" 1 "$XA" export -o "$T_TMP" --home "$H5" --passphrase-file "$FPASS"
t_eq "one line" "$(printf '%s\n' "$ERR" | wc -l)" "1"
t_has "it names the folder, the process and since when" "$ERR" "xiaoan: the home folder $H5 is in use by another xiaoan (process $HOLDER, xiaoan tui, since 2026-12-01 18:40): close it first"
t_run "brief import on a locked home exits 1" 1 "$XA" brief import "$T_TMP/h5.xbrief" --home "$H5" --passphrase-file "$FPASS"
t_has "the same line" "$ERR" "is in use by another xiaoan (process $HOLDER"
t_run "attach on a locked home exits 1" 1 "$XA" attach 0123456789abcdef0123456789abcdef "$ROOT/docs/examples/roster.csv" --home "$H5" --passphrase-file "$FPASS"
t_has "attach: the same line" "$ERR" "is in use by another xiaoan (process $HOLDER"
t_run "passwd on a locked home exits 1" 1 "$XA" passwd --home "$H5" --passphrase-file "$FPASS" --new-passphrase-file "$P"
t_has "passwd: the same line" "$ERR" "is in use by another xiaoan (process $HOLDER"
t_run "in Chinese" 1 env LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 XIAOAN_LANG= "$XA" export -o "$T_TMP" --home "$H5" --passphrase-file "$FPASS"
t_has "the line in Chinese" "$ERR" "xiaoan: 数据目录 $H5 正由另一个 xiaoan 使用（进程 $HOLDER，xiaoan tui，自 2026-12-01 18:40 起）：请先关闭它"
t_run "--lang en in a Chinese locale" 1 env LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 "$XA" export --lang en -o "$T_TMP" --home "$H5" --passphrase-file "$FPASS"
t_has "the line in English" "$ERR" "is in use by another xiaoan (process $HOLDER"
t_eq "field.db untouched by the refused commands" "$(sha256sum <"$H5/field.db")" "$db5"
t_has "the holder's record untouched" "$(cat "$H5/lock")" "pid $HOLDER"
t_run "read-only: visits runs beside it" 0 "$XA" visits --home "$H5" --passphrase-file "$FPASS"
t_run "read-only: id runs beside it" 0 "$XA" id --home "$H5"
t_run "read-only: attach --list runs beside it (unknown visit)" 1 "$XA" attach 0123456789abcdef0123456789abcdef --list --home "$H5" --passphrase-file "$FPASS"
t_lacks "attach --list is not refused for the lock" "$ERR" "in use by another xiaoan"
kill -9 "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null
t_run "the holder died (kill -9): the lock is free again" 0 "$XA" brief import "$T_TMP/h5.xbrief" --home "$H5" --passphrase-file "$FPASS"
t_eq "the dead holder's file is gone after the next command" "$(test -e "$H5/lock" && echo there || echo gone)" "gone"
# a held lock with no record yet (the holder between flock and its write)
( exec 9<>"$H5/lock"; flock -x 9; exec sleep 60 ) &
HOLDER=$!
for _ in $(seq 50); do flock -n "$H5/lock" true 2>/dev/null || break; sleep 0.1; done
t_run "a holder without a record: still refused" 1 "$XA" export -o "$T_TMP" --home "$H5" --passphrase-file "$FPASS"
t_has "it says so without a process" "$ERR" "the home folder $H5 is in use by another xiaoan: close it first"
kill -9 "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null
rm -f "$H5/lock"
printf 'keep\n' >"$T_TMP/lock-target"
ln -s "$T_TMP/lock-target" "$H5/lock"
t_run "a symlink in place of the lock is refused" 1 "$XA" export -o "$T_TMP" --home "$H5" --passphrase-file "$FPASS"
t_has "it names the file" "$ERR" "$H5/lock is a symbolic link: remove it"
t_eq "its target untouched" "$(cat "$T_TMP/lock-target")" "keep"
rm -f "$H5/lock"

# ---- item 13: a home others can write is refused; the store's chmod does not follow a symlink
mkdir -p "$T_TMP/open-home"
chmod 777 "$T_TMP/open-home"
t_run "a home writable by others is refused" 1 "$XA" init --home "$T_TMP/open-home" --name 李四 --kdf interactive --passphrase-file "$FPASS"
t_has "it says how to fix it" "$ERR" "is writable by other users: run 'chmod 700 $T_TMP/open-home'"
t_eq "one line" "$(printf '%s\n' "$ERR" | wc -l)" "1"
t_eq "no store was made there" "$(ls "$T_TMP/open-home")" ""
chmod 700 "$T_TMP/open-home"
t_run "after chmod 700 it works" 0 "$XA" init --home "$T_TMP/open-home" --name 李四 --kdf interactive --passphrase-file "$FPASS"
chmod 755 "$H"
t_run "a home only others can read is fine" 0 "$XA" id --home "$H"
chmod 700 "$H"
cp "$S" "$T_TMP/copy.db"
chmod 644 "$T_TMP/copy.db"
ln -s "$T_TMP/copy.db" "$T_TMP/link.db"
"$XA" central inspectors --store "$T_TMP/link.db" >/dev/null 2>&1
t_eq "opening a store through a symlink does not chmod its target" "$(stat -c %a "$T_TMP/copy.db")" "644"
"$XA" central inspectors --store "$T_TMP/copy.db" >/dev/null 2>&1
t_eq "the store file itself is made private" "$(stat -c %a "$T_TMP/copy.db")" "600"

# ---- item 13: every line a command prints goes through the sanitiser --------------------
# File names (a roster, a brief, a bundle folder on a USB stick) and what is read from them
# reach the terminal escaped: no raw ESC, CR, C1 or bidi control, on stdout or stderr.
RLO=$'\xe2\x80\xae'
BAD="${ESC}[2J${RLO}${CR}"
cp "$ROOT/docs/examples/roster.csv" "$T_TMP/roster${BAD}.csv"
t_run "schools import of a hostile file name" 0 "$XA" central schools import "$T_TMP/roster${BAD}.csv"
harmless "schools import: stdout" "$OUT$ERR"
t_has "the name is shown escaped" "$OUT" 'roster\x1b[2J\u202e\x0d.csv: '
t_run "roster check of a hostile file name" 0 "$XA" roster check "$T_TMP/roster${BAD}.csv"
harmless "roster check: output" "$OUT$ERR"
printf 'code,name,county,type,boarding,canteen,lab,bus,students,boarders,school_id,private,kindergarten_class,tier,address,pinyin\n3311029901,坏\033[31m校,莲都区,小学,否,是,是,否,1,,,,,,a,x\n' >"$T_TMP/bad${BAD}.csv"
t_run "a bad roster with a hostile name" 1 "$XA" roster check "$T_TMP/bad${BAD}.csv"
harmless "its problem lines" "$OUT$ERR"
t_has "they name the file escaped" "$ERR" 'bad\x1b[2J\u202e\x0d.csv'
H13=$T_TMP/home13
"$XA" init --home "$H13" --name 王五 --kdf interactive --passphrase-file "$P" >"$T_TMP/h13.id"
t_run "enrol from a hostile file name" 0 "$XA" central enroll "$T_TMP/h13.id"
H13FP=$(sed -n 's/^fingerprint: //p' "$T_TMP/h13.id")
t_run "a brief written to a hostile name" 0 "$XA" central brief --inspector "$H13FP" -o "$T_TMP/b${BAD}.xbrief" --passphrase-file "$P"
harmless "central brief: output" "$OUT$ERR"
t_has "central brief names the file escaped" "$OUT" 'b\x1b[2J\u202e\x0d.xbrief'
t_run "brief import of a hostile file name" 0 "$XA" brief import "$T_TMP/b${BAD}.xbrief" --home "$H13" --passphrase-file "$P"
harmless "brief import: output" "$OUT$ERR"
t_run "brief import of a missing hostile name" 1 "$XA" brief import "$T_TMP/gone${BAD}.xbrief" --home "$H13" --passphrase-file "$P"
harmless "its refusal" "$OUT$ERR"
mkdir -p "$T_TMP/usb${BAD}"
t_run "export to a hostile folder name" 0 "$XA" export -o "$T_TMP/usb${BAD}" --home "$H13" --passphrase-file "$P"
harmless "export: output" "$OUT$ERR"
t_run "a missing file with a hostile name" 1 "$XA" central schools import "$T_TMP/none${BAD}.csv"
harmless "the missing file's error" "$OUT$ERR"
# the rule itself: no command prints with bare printf/fprintf/fputs (only cli.c's helpers do)
raw=$(grep -nE '(^|[^A-Za-z_])(printf|fprintf|puts|fputs|vfprintf)\(' "$ROOT"/src/cmd/*.c | grep -v '^[^:]*/cli\.c:' |
      grep -vE 'fprintf\(stderr, "\\r\\033\[K|fputs\("\\r\\033\[K", stderr\)|fputs\(key, stdout\)')
t_eq "src/cmd prints only through xa_print/xa_eprint/xa_print_text" "$raw" ""

# ---- item 7: -o of the ledger, the report and a notice never replaces a file unless --force
printf 'keep me\n' > "$T_TMP/taken.csv"
t_run "ledger -o over an existing file is refused" 1 "$XA" central ledger --format csv -o "$T_TMP/taken.csv"
t_has "it names the file and --force" "$ERR" "$T_TMP/taken.csv already exists: not overwriting it (--force replaces it)"
t_eq "one line" "$(printf '%s\n' "$ERR" | wc -l)" "1"
t_eq "the file is untouched" "$(cat "$T_TMP/taken.csv")" "keep me"
t_run "report -o over the store itself is refused" 1 "$XA" central report --format csv -o "$S"
t_run "the store still opens" 0 "$XA" central inspectors
t_run "--force writes over it" 0 "$XA" central ledger --format csv -o "$T_TMP/taken.csv" --force
t_lacks "the ledger replaced it" "$(cat "$T_TMP/taken.csv")" "keep me"
printf 'target\n' > "$T_TMP/target.txt"
ln -s "$T_TMP/target.txt" "$T_TMP/link.csv"
t_run "-o naming a symlink is refused" 1 "$XA" central ledger --format csv -o "$T_TMP/link.csv"
t_run "with --force the link is replaced, not followed" 0 "$XA" central ledger --format csv -o "$T_TMP/link.csv" --force
t_eq "the link's target is untouched" "$(cat "$T_TMP/target.txt")" "target"
t_eq "the name is now a plain file" "$(test -L "$T_TMP/link.csv" && echo link || echo file)" "file"
t_run "a notice -o over an existing file is refused" 1 "$XA" central notice --school 3311020001 -o "$T_TMP/taken.csv"
t_has "before anything is issued" "$ERR" "already exists"
# the document writers (PDF, workbook) publish the same way
printf 'keep me\n' > "$T_TMP/taken.pdf"
t_run "report --format pdf over an existing file is refused" 1 "$XA" central report --format pdf -o "$T_TMP/taken.pdf"
t_eq "the file is untouched" "$(cat "$T_TMP/taken.pdf")" "keep me"
t_run "report --format pdf --force replaces it" 0 "$XA" central report --format pdf -o "$T_TMP/taken.pdf" --force
t_has "it is a PDF now" "$(head -c 5 "$T_TMP/taken.pdf")" "%PDF-"
ln -s "$T_TMP/target.txt" "$T_TMP/link.xlsx"
t_run "ledger xlsx naming a symlink is refused" 1 "$XA" central ledger --format xlsx -o "$T_TMP/link.xlsx"
t_run "ledger xlsx --force replaces the link" 0 "$XA" central ledger --format xlsx -o "$T_TMP/link.xlsx" --force
t_eq "the link's target is untouched" "$(cat "$T_TMP/target.txt")" "target"
t_eq "the name is a plain file" "$(test -L "$T_TMP/link.xlsx" && echo link || echo file)" "file"
t_eq "no temporary file is left" "$(ls -a "$T_TMP" | grep -c '\.tmp\.')" "0"

t_done
