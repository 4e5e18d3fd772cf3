# tests/cli/split.sh — `xiaoan export --max-size`: a visit with several photos
# exported in bundles of at most 1 MiB gives several files, each within the
# limit (a photo larger than the limit alone in its own, as the note says),
# each an ordinary bundle the standard `age` + `zstd` tools open, chained by
# seq and prev; the office merges them in any order (reverse here) to the same
# bytes (sha256 through `central attachments -o`); with one part missing the
# office lists its photos as missing and the later part fills them in, and the
# brief's receipts leave the visit unacknowledged on the laptop until its last
# part merged (then every part's receipt names it); a part
# with one flipped byte is refused whole and quarantined while the others
# merge; bad --max-size values are one usage line (exit 2).
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/../lib/office.sh"

t_attach_env
b2() { python3 -c "import hashlib,sys;print(hashlib.blake2b(open(sys.argv[1],'rb').read(),digest_size=32).hexdigest())" "$1"; }
sha() { sha256sum <"$1" | cut -c1-64; }

# ---- bad values: one line, exit 2, before the passphrase is asked for
export XIAOAN_HOME=$H
for bad in 100 abc 0M 2G 1.5M 5X -1M 100MBB ''; do
    t_run "--max-size '$bad' refused" 2 "$XA" export --max-size "$bad"
    t_eq "--max-size '$bad': one line" "$(printf '%s\n' "$ERR" | wc -l)" "1"
    t_has "--max-size '$bad': says what is wrong" "$ERR" "xiaoan: --max-size"
done
t_has "the line says how" "$ERR" "e.g. 100M"

# ---- an office, an inspector, a visit with photos
C=$S OP=$P # the office and the inspector share one passphrase file here
t_office --no-forms && t_office_brief b || { t_bad "office set-up"; t_done; exit 1; }
export XIAOAN_STORE=$S
t_run "valid sizes accepted (1M, 20MB, 1G, 512KiB is too small)" 0 "$XA" export --max-size 20MB
t_run "1G accepted" 0 "$XA" export --max-size 1G
t_run "512K refused" 2 "$XA" export --max-size 512K

V=$("$FX" draft "$H" "$P")
mkdir -p "$T_TMP/photos"
for i in 1 2 3 4; do
    $MK "$T_TMP/photos/IMG_000$i.jpg" --taken "2026:12:01 09:3$i:05" --size 420000 --seed $i
done
$MK "$T_TMP/photos/BIG.jpg" --size 1300000 --seed 9    # larger than 1 MiB: alone
$MK "$T_TMP/photos/AFTER.jpg" --size 300000 --seed 10
"$XA" attach "$V" --hazard 1 "$T_TMP"/photos/IMG_000{1,2,3,4}.jpg "$T_TMP/photos/BIG.jpg" >/dev/null
"$XA" attach "$V" --followup 1 "$T_TMP/photos/AFTER.jpg" >/dev/null
"$FX" seal "$H" "$P" "$V"

# ---- export in bundles of at most 1 MiB
mkdir -p "$T_TMP/bundles"
t_run "export --max-size 1M" 0 "$XA" export -o "$T_TMP/bundles" --max-size 1M
mapfile -t PARTS <<<"$OUT"
N=${#PARTS[@]}
t_eq "several files (one path a line)" "$([ "$N" -ge 4 ] && echo yes)" "yes"
t_has "stderr: every one must go to the office" "$ERR" "exported $N files"
t_has "stderr: the over-limit note" "$ERR" "larger than that, alone"
over=0
for f in "${PARTS[@]}"; do
    sz=$(stat -c %s "$f")
    if [ "$sz" -gt 1048576 ]; then over=$((over + 1)); BIGPART=$f; fi
    t_eq "$(basename "$f"): 0600" "$(stat -c %a "$f")" "600"
done
t_eq "every file within 1 MiB but the one with the big photo" "$over" "1"
t_has "the note names that file" "$ERR" "$(basename "$BIGPART")"
t_eq "nothing left to export" "$("$XA" export -o "$T_TMP/bundles")" "nothing to export"
t_eq "no pending note left" "$(ls "$H"/export.pending 2>/dev/null | wc -l)" "0"

# ---- each part is an ordinary bundle: age + zstd open it; seq/prev chained
if command -v age >/dev/null && command -v zstd >/dev/null; then
    "$XA" central export-identity >"$T_TMP/office.key" 2>/dev/null
    prevhash=""
    seq0=""
    allatt=0
    for i in "${!PARTS[@]}"; do
        f=${PARTS[$i]}
        age -d -i "$T_TMP/office.key" "$f" | zstd -dc >"$T_TMP/lines.$i" 2>/dev/null
        t_eq "part $((i + 1)) opens with age + zstd (trailer last)" "$(tail -n1 "$T_TMP/lines.$i" | grep -c '"type":"end"')" "1"
        t_eq "part $((i + 1)): the visit's record" "$(grep -c '"type":"visit"' "$T_TMP/lines.$i")" "1"
        t_eq "part $((i + 1)): a carry record" "$(grep -c '"type":"carry"' "$T_TMP/lines.$i")" "1"
        m=$(head -n1 "$T_TMP/lines.$i")
        s=$(printf '%s' "$m" | python3 -c 'import json,sys;print(json.load(sys.stdin)["seq"])')
        p=$(printf '%s' "$m" | python3 -c 'import json,sys;p=json.load(sys.stdin)["prev"];print(p or "")')
        [ -z "$seq0" ] && seq0=$s
        t_eq "part $((i + 1)): seq follows" "$s" "$((seq0 + i))"
        [ -n "$prevhash" ] && t_eq "part $((i + 1)): prev = the last part's hash" "$p" "$prevhash"
        prevhash=$(b2 "$f")
        # the attachments each part carries whole: every id of its carry record
        python3 - "$T_TMP/lines.$i" >"$T_TMP/carry.$i" <<'EOF'
import json, sys
off = {}
carry = []
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("type") == "attachment":
        off.setdefault(r["id"], 0)
        assert r["offset"] == off[r["id"]]
        off[r["id"]] += len(__import__("base64").b64decode(r["data"]))
        assert off[r["id"]] <= r["size"]
        size = r["size"]
    if r.get("type") == "carry":
        carry = r["ids"]
print(len(carry), "ok" if sorted(carry) == sorted(off) else "differs")
EOF
        t_eq "part $((i + 1)): carries exactly what its carry record names" "$(cut -d' ' -f2 "$T_TMP/carry.$i")" "ok"
        allatt=$((allatt + $(cut -d' ' -f1 "$T_TMP/carry.$i")))
    done
    t_eq "the six photos, each in one part" "$allatt" "6"
else
    t_skip "parts with age + zstd" "age or zstd missing"
fi

# ---- the office: parts in reverse order give the same bytes
cp "$S" "$T_TMP/empty.db"
for ((i = N - 1; i >= 0; i--)); do
    t_run "merge part $((i + 1)) (reverse order)" 0 "$XA" central merge "${PARTS[$i]}"
    t_has "part $((i + 1)) merged" "$OUT" "merged"
done
t_run "central attachments -o" 0 "$XA" central attachments "$V" -o "$T_TMP/got"
t_eq "six files written" "$(ls "$T_TMP/got" | wc -l)" "6"
for f in "$T_TMP"/photos/*.jpg; do
    HB=$(b2 "$f")
    K="$S.attachments/${HB:0:2}/$HB"
    t_eq "$(basename "$f"): sha256 at the office = the original" "$(sha "$K" 2>/dev/null)" "$(sha "$f")"
done
got=$(for f in "$T_TMP"/got/*; do sha "$f"; done | sort | tr '\n' ' ')
want=$(for f in "$T_TMP"/photos/*.jpg; do sha "$f"; done | sort | tr '\n' ' ')
t_eq "the written files' sha256 = the originals'" "$got" "$want"
t_eq "one visit at the office" "$(sqlite3 "$S" "SELECT count(*) FROM visits")" "1"
t_eq "$N bundles, no chain anomaly (gap, fork) left" "$(sqlite3 "$S" "SELECT count(*) FROM bundles"):$(sqlite3 "$S" "SELECT count(*) FROM anomalies WHERE kind LIKE '%gap%' OR kind LIKE '%fork%'")" "$N:0"

# ---- a second office store: one part missing, then it arrives
S2=$T_TMP/second.db
cp "$T_TMP/empty.db" "$S2"
MISS=1 # the second part
for i in "${!PARTS[@]}"; do
    [ "$i" -eq "$MISS" ] && continue
    XIAOAN_STORE=$S2 "$XA" central merge "${PARTS[$i]}" >"$T_TMP/m.out" 2>"$T_TMP/m.err"
    t_eq "without part 2: part $((i + 1)) merged" "$?" "0"
    cat "$T_TMP/m.err" >>"$T_TMP/notes"
done
t_has "the merge says photos are still to come" "$(cat "$T_TMP/notes")" "not arrived yet"
nmiss=$(cut -d' ' -f1 "$T_TMP/carry.$MISS" 2>/dev/null || echo 1)
t_run "central attachments with a part missing" 0 env XIAOAN_STORE=$S2 "$XA" central attachments "$V"
t_eq "its photos are listed as missing" "$(printf '%s\n' "$OUT" | grep -c 'missing')" "$nmiss"
t_eq "the others as received" "$(printf '%s\n' "$OUT" | grep -c 'received')" "$((6 - nmiss))"
HZ=$(sqlite3 "$S2" "SELECT id FROM hazards LIMIT 1")
t_run "central hazard with a part missing" 0 env XIAOAN_STORE=$S2 "$XA" central hazard "$HZ"
t_has "central hazard: not received" "$OUT" "(file not received)"
t_run "-o refuses while a file is missing" 1 env XIAOAN_STORE=$S2 "$XA" central attachments "$V" -o "$T_TMP/got2"
# the office's receipts while part 2 is missing: the laptop must not take the
# visit as acknowledged (已确认) — its photos of part 2 have not arrived
receipts() { # BRIEF → one line per receipt: "seq visit-ids…", sorted by seq
    age -d -i "$T_TMP/office.key" "$1" | zstd -dc | python3 -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin]
for r in sorted((r for r in rs if r.get("type") == "receipt"), key=lambda r: r["seq"]):
    print(r["seq"], *r["visits"])'
}
visit_state() { "$XA" visits | awk -v v="$V" '$1 == v || index(v, $1) == 1 { print $2 }'; }
t_run "a brief from the office without part 2" 0 env XIAOAN_STORE=$S2 "$XA" central brief --inspector "$FP" -o "$T_TMP/part-missing.xbrief"
t_has "it has a receipt for each merged part" "$OUT" "$((N - 1)) receipts"
if command -v age >/dev/null && command -v zstd >/dev/null; then
    t_eq "no receipt names the incomplete visit" "$(receipts "$T_TMP/part-missing.xbrief" | grep -c "$V")" "0"
else
    t_skip "no receipt names the incomplete visit" "age or zstd missing"
fi
t_run "the inspector imports it" 0 "$XA" brief import "$T_TMP/part-missing.xbrief" --expect-fingerprint "$OFP"
t_lacks "import: nothing acknowledged" "$OUT" "acknowledged"
t_eq "the split visit stays exported, not yet confirmed" "$(visit_state)" "exported"
t_run "the missing part arrives" 0 env XIAOAN_STORE=$S2 "$XA" central merge "${PARTS[$MISS]}"
t_run "central attachments after it" 0 env XIAOAN_STORE=$S2 "$XA" central attachments "$V"
t_eq "nothing missing any more" "$(printf '%s\n' "$OUT" | grep -c 'missing')" "0"
t_eq "the same visits as merging in reverse" "$(sqlite3 "$S2" "SELECT id, hash FROM visits")" "$(sqlite3 "$S" "SELECT id, hash FROM visits")"
t_eq "the same anomalies" "$(sqlite3 "$S2" "SELECT kind, visit, bundle FROM anomalies ORDER BY 1, 2, 3")" "$(sqlite3 "$S" "SELECT kind, visit, bundle FROM anomalies ORDER BY 1, 2, 3")"
t_eq "the same hazards" "$(sqlite3 "$S2" "SELECT id, visit FROM hazards ORDER BY 1")" "$(sqlite3 "$S" "SELECT id, visit FROM hazards ORDER BY 1")"
t_eq "the same attachment files" "$(cd "$S2.attachments" && find . -type f | sort)" "$(cd "$S.attachments" && find . -type f | sort)"
t_run "a brief after the last part's merge" 0 env XIAOAN_STORE=$S2 "$XA" central brief --inspector "$FP" -o "$T_TMP/all-parts.xbrief"
if command -v age >/dev/null && command -v zstd >/dev/null; then
    t_eq "every part's receipt names the visit now" "$(receipts "$T_TMP/all-parts.xbrief" | grep -c "$V")" "$N"
else
    t_skip "every part's receipt names the visit now" "age or zstd missing"
fi
t_run "the inspector imports it" 0 "$XA" brief import "$T_TMP/all-parts.xbrief" --expect-fingerprint "$OFP"
t_has "import: the visit acknowledged" "$OUT" "1 exported visit acknowledged"
t_eq "the split visit is acknowledged (已确认)" "$(visit_state)" "acknowledged"

# ---- a part with one flipped byte (good signature, wrong photo): refused whole, the others merge
S3=$T_TMP/third.db
cp "$T_TMP/empty.db" "$S3"
"$FX" flip "$H" "$P" "${PARTS[0]}" "$T_TMP/flipped.xab"
t_run "merge the flipped part" 1 env XIAOAN_STORE=$S3 "$XA" central merge "$T_TMP/flipped.xab"
t_has "flipped: rejected with the reason" "$OUT" "does not match its signed hash"
t_eq "flipped: in quarantine" "$(ls "$S3.quarantine" | wc -l)" "1"
t_eq "flipped: store unchanged" "$(sqlite3 "$S3" "SELECT count(*) FROM visits")" "0"
for ((i = 1; i < N; i++)); do
    XIAOAN_STORE=$S3 "$XA" central merge "${PARTS[$i]}" >/dev/null 2>&1
    t_eq "the others merge: part $((i + 1))" "$?" "0"
done
nfirst=$(cut -d' ' -f1 "$T_TMP/carry.0" 2>/dev/null || echo 1)
t_run "central attachments without the refused part" 0 env XIAOAN_STORE=$S3 "$XA" central attachments "$V"
t_eq "the refused part's photos are missing" "$(printf '%s\n' "$OUT" | grep -c 'missing')" "$nfirst"
t_run "the good first part fills them in" 0 env XIAOAN_STORE=$S3 "$XA" central merge "${PARTS[0]}"
t_eq "then nothing is missing" "$(XIAOAN_STORE=$S3 "$XA" central attachments "$V" | grep -c missing)" "0"

t_done
