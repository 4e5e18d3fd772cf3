#!/usr/bin/env bash
# bench/bench_photos.sh WORKDIR XIAOAN TEST_ATTACH — peak resident memory of
# moving photos from the field to the office (issue 15): one draft visit with
# BENCH_PHOTOS (10) JPEGs of BENCH_PHOTO_MB (20) MB each attached to its
# hazard, sealed, exported (200 MB: split into bundles of at most 100 MB, the
# default --max-size), merged into a fresh central store.
# Each run is a real process measured by /usr/bin/time (maximum resident set
# size).  Every one of these commands first unlocks a key with argon2id,
# which alone takes the KDF's memory (64 MiB for --kdf interactive, more for
# moderate) — so the floor is the peak of a process that only unlocks the
# same key (`central export-identity`, `visits`), and the last rows give
# what the photos add above it against the issue's 64 MB limit; and
# bench_photos (C) merges the same bundle into a copy of the store with the
# high-water mark reset after the unlock: the merge's own peak, next to the
# limit.
# Short form: BENCH_PHOTO_MB=2.
set -euo pipefail
W=$1 XA=$2 FX=$3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${BENCH_PHOTOS:-10}
MB=${BENCH_PHOTO_MB:-20}
LIMIT_KB=$((64 * 1024))
D=$(mktemp -d "$W/photos.XXXXXX")
trap 'rm -rf "$D"' EXIT
P=$D/pass
printf 'bench photos passphrase\n' >"$P"
unset XIAOAN_HOME XIAOAN_STORE
export XIAOAN_PASSPHRASE_FILE=$P XIAOAN_STORE=$D/central.db XIAOAN_HOME=$D/home
"$XA" central init --kdf interactive --name "丽水市教育局安全科" >/dev/null
"$XA" central schools import "$ROOT/docs/examples/roster.csv" >/dev/null 2>&1
"$XA" init --name 张三 --kdf interactive >/dev/null
"$XA" id >"$D/me.id"
"$XA" central enroll "$D/me.id" >/dev/null
FP=$(sed -n 's/^fingerprint: //p' "$D/me.id")
OFP=$("$XA" central id | sed -n 's/^fingerprint: //p')
"$XA" central brief --inspector "$FP" -o "$D/b.xbrief" >/dev/null
"$XA" brief import "$D/b.xbrief" --expect-fingerprint "$OFP" >/dev/null
V=$("$FX" draft "$D/home" "$P")
echo "  .. $N photos of $MB MB" >&2
for i in $(seq 1 "$N"); do
    python3 "$ROOT/tests/lib/mkjpeg.py" "$D/IMG_$i.jpg" --size $((MB * 1000 * 1000)) --seed "$i"
    "$XA" attach "$V" --hazard 1 "$D/IMG_$i.jpg" >/dev/null
    rm -f "$D/IMG_$i.jpg"
done
"$FX" seal "$D/home" "$P" "$V"
mkdir -p "$D/out"
/usr/bin/time -f %M -o "$D/fvisits.rss" "$XA" visits >/dev/null
/usr/bin/time -f %M -o "$D/export.rss" "$XA" export -o "$D/out" >/dev/null
/usr/bin/time -f %M -o "$D/cunlock.rss" "$XA" central export-identity >/dev/null
cp "$D/central.db" "$D/copy.db"
"$(dirname "$FX")/../bench/bench_photos" "$D/copy.db" "$P" "$D"/out/*.xab
/usr/bin/time -f %M -o "$D/merge.rss" "$XA" central merge "$D"/out/*.xab >/dev/null
got=$(find "$D/central.db.attachments" -type f | wc -l)
[ "$got" -eq "$N" ] || { echo "bench photos: $got of $N photos at the office" >&2; exit 1; }
row() { # figure, KB, floor KB, floor name
    awk -v f="$1" -v k="$2" -v l="$3" -v n="$4" \
        'BEGIN { printf "ROW\t%s\t%.1f\tMiB\t%.1f\t%s\t%.3g\t1\n", f, k / 1024, l / 1024, n, k / l }'
}
m=$(tail -1 "$D/merge.rss") e=$(tail -1 "$D/export.rss")
cu=$(tail -1 "$D/cunlock.rss") fu=$(tail -1 "$D/fvisits.rss")
row "merge $N×$MB MB photos: peak RSS" "$m" "$cu" "unlock only"
row "export $N×$MB MB photos: peak RSS" "$e" "$fu" "unlock only"
row "merge: RSS above the unlock" "$((m > cu ? m - cu : 0))" "$LIMIT_KB" "limit 64 MiB"
row "export: RSS above the unlock" "$((e > fu ? e - fu : 0))" "$LIMIT_KB" "limit 64 MiB"
