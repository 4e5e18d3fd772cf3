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
else
    t_skip "hostile file names" "no fixture ($FX)"
fi

t_done
