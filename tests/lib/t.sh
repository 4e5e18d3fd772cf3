# tests/lib/t.sh — sourced by every shell test: assertions that count, a
# private scratch folder, and the closing "N passed, N failed" line.
set -u
T_PASS=0 T_FAIL=0 T_SKIP=0
: "${XIAOAN_BIN:?XIAOAN_BIN must point at the xiaoan binary}"
XA=$XIAOAN_BIN
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/xiaoan-test.XXXXXX")
trap 't_cleanup' EXIT
t_cleanup() { rm -rf "$T_TMP"; }

t_ok()   { T_PASS=$((T_PASS + 1)); echo "ok   $1"; }
t_bad()  { T_FAIL=$((T_FAIL + 1)); echo "FAIL $1${2:+: $2}"; }
t_skip() { T_SKIP=$((T_SKIP + 1)); echo "SKIP $1${2:+: $2}"; }

# t_run NAME EXPECTED_RC CMD... — run CMD, keep stdout/stderr in $OUT/$ERR.
t_run() {
    local name=$1 want=$2; shift 2
    "$@" >"$T_TMP/out" 2>"$T_TMP/err"; local rc=$?
    OUT=$(cat "$T_TMP/out"); ERR=$(cat "$T_TMP/err")
    if [ "$rc" -eq "$want" ]; then t_ok "$name"; else t_bad "$name" "exit $rc, wanted $want; stderr: $(head -c 300 "$T_TMP/err")"; fi
}

# t_has NAME HAYSTACK NEEDLE — the text contains the needle.
t_has() {
    case "$2" in *"$3"*) t_ok "$1" ;; *) t_bad "$1" "missing '$3' in: $(printf '%s' "$2" | head -c 400)" ;; esac
}
# t_lacks NAME HAYSTACK NEEDLE
t_lacks() {
    case "$2" in *"$3"*) t_bad "$1" "unexpected '$3'" ;; *) t_ok "$1" ;; esac
}
# t_eq NAME GOT WANT
t_eq() {
    if [ "$2" = "$3" ]; then t_ok "$1"; else t_bad "$1" "got '$2', wanted '$3'"; fi
}

t_done() {
    echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
    [ "$T_FAIL" -eq 0 ]
}
