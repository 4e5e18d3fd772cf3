#!/usr/bin/env bash
# bench/run.sh [PART...] — run the benchmarks and print one table.
#
# PART: unlock export merge tui report photos keys (default: all of them, in
# that order).
# Environment: BENCH_BUILD (default build/bench: libxiaoan.a, xiaoan and the
# bench binaries, as `make bench` builds them), BENCH_TMP (work folder,
# default $BENCH_BUILD/tmp), BENCH_SCALE (multiplies the data sizes),
# BENCH_REPS (repetitions; each bench has its own default), BENCH_LARGE=1
# (merge: also 10x the data).  Every figure is measured next to its floor in
# the same run; the ratio is what counts on a shared, noisy machine.
# The rows also go to $BENCH_BUILD/results.tsv (docs/performance.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
B=${BENCH_BUILD:-build/bench}
W=${BENCH_TMP:-$B/tmp}
mkdir -p "$W"
export LC_ALL=C.UTF-8

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(unlock export merge tui report photos keys)

out=$B/results.tsv
: >"$out"
start=$(date +%s)

run_part() {
    case $1 in
    unlock) "$B/bench/bench_unlock" "$W" ;;
    export) "$B/bench/bench_export" "$W" forms ;;
    merge) "$B/bench/bench_merge" "$W" forms ;;
    tui) "$B/bench/bench_tui" "$W" "$B/xiaoan" "$B/bench/floor_tui" ;;
    report) "$B/bench/bench_report" "$W" "$B/xiaoan" ;;
    photos) bash bench/bench_photos.sh "$W" "$B/xiaoan" "$B/tests/test_attach" ;;
    keys) "$B/bench/bench_keys" "$W" "$B/xiaoan" ;;
    *)
        echo "bench: unknown part '$1' (unlock export merge tui report photos keys)" >&2
        return 2
        ;;
    esac
}

for p in "${parts[@]}"; do
    echo "== $p" >&2
    t0=$(date +%s)
    if ! run_part "$p" >>"$out"; then
        echo "bench: $p failed" >&2
        printf 'ROW\t%s: FAILED\tnan\t-\tnan\t-\tnan\t0\n' "$p" >>"$out"
    fi
    echo "   ($p: $(($(date +%s) - t0)) s)" >&2
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo
echo "xiaoan benchmarks — $(date '+%Y-%m-%d %H:%M %z'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "scale ${BENCH_SCALE:-1}, total $(($(date +%s) - start)) s; value and floor are medians, ratio = median of per-repetition value/floor"
echo
awk -F'\t' '
function num(x) { return (x == "nan" || x == "-nan") ? "-" : x }
$1 == "ROW" {
    n++; fig[n] = $2; val[n] = num($3) " " $4; flo[n] = num($5); fname[n] = $6;
    rat[n] = num($7); reps[n] = $8
    if (length(fig[n]) > w1) w1 = length(fig[n])
    if (length(val[n]) > w2) w2 = length(val[n])
    f = flo[n] " (" fname[n] ")"; floor_s[n] = f
    if (length(f) > w3) w3 = length(f)
}
END {
    if (w1 < 6) w1 = 6; if (w2 < 5) w2 = 5; if (w3 < 5) w3 = 5
    printf "%-" w1 "s  %" w2 "s  %-" w3 "s  %8s  %4s\n", "figure", "value", "floor", "ratio", "reps"
    for (i = 1; i <= n; i++)
        printf "%-" w1 "s  %" w2 "s  %-" w3 "s  %8s  %4s\n", fig[i], val[i], floor_s[i], rat[i], reps[i]
}' "$out"
