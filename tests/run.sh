#!/usr/bin/env bash
# tests/run.sh — run every test binary given as arguments and every test
# script under tests/*/ (cli, data, tui, ...), each with its own summary,
# then print the total as one line "N passed, N failed, N skipped".
# A suite that dies without a summary counts as one failure.
set -u
cd "$(dirname "$0")/.."
: "${XIAOAN_BIN:?XIAOAN_BIN must point at the xiaoan binary}"
export XIAOAN_BIN LC_ALL=C.UTF-8 LANG=C.UTF-8
export CMOCKA_MESSAGE_OUTPUT=stdout
# Library caches that fontconfig/pango/cairo never free (tests/lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export XIAOAN_TESTS_DIR="$PWD/tests"
logdir="${XIAOAN_BUILD:-build}/test-logs"
mkdir -p "$logdir"
P=0 F=0 S=0
failed_suites=()

# Add one suite's counts, parsed from its log (cmocka or "N passed, N failed").
tally() {
    local name=$1 log=$2 rc=$3 p=0 f=0 s=0 line
    if grep -q '^\[  PASSED  \]\|^\[  FAILED  \]\|^\[==========\]' "$log"; then
        line=$(grep -oE '^\[  PASSED  \] [0-9]+ test' "$log" | tail -1); [ -n "$line" ] && p=$(echo "$line" | grep -oE "[0-9]+")
        line=$(grep -oE '^\[  FAILED  \] [0-9]+ test' "$log" | tail -1); [ -n "$line" ] && f=$(echo "$line" | grep -oE "[0-9]+")
        line=$(grep -oE '^\[  SKIPPED \] [0-9]+ test' "$log" | tail -1); [ -n "$line" ] && s=$(echo "$line" | grep -oE "[0-9]+")
    fi
    line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    if [ -n "$line" ]; then
        line=${line#*: }
        p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
        s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p'); s=${s:-0}
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then f=1; fi
    P=$((P + p)) F=$((F + f)) S=$((S + s))
    printf '%-28s %4d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
    if [ "$f" -ne 0 ]; then
        failed_suites+=("$name")
        echo "---- $log (last 40 lines) ----"; tail -n 40 "$log"; echo "----"
    fi
}

for bin in "$@"; do
    name=$(basename "$bin")
    log="$logdir/$name.log"
    args=()
    case "$name" in
        replay_*) args=("tests/fuzz/corpus/${name#replay_}" "tests/fuzz/regress/${name#replay_}") ;;
    esac
    "$bin" "${args[@]}" >"$log" 2>&1; rc=$?
    tally "$name" "$log" "$rc"
done

for script in tests/*/*.sh; do
    [ -e "$script" ] || continue
    case "$script" in tests/lib/*) continue ;; esac
    name=$(echo "$script" | sed 's|^tests/||; s|\.sh$||; s|/|-|')
    log="$logdir/$name.log"
    timeout 900 bash "$script" >"$log" 2>&1; rc=$?
    tally "$name" "$log" "$rc"
done

if [ ${#failed_suites[@]} -ne 0 ]; then echo "failed suites: ${failed_suites[*]}"; fi
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
