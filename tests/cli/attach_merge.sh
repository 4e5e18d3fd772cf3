# tests/cli/attach_merge.sh — attachments from the field to the office: a photo
# attached to a hazard travels in the bundle (attachment records), `central
# merge` checks it against the signed hash while it streams and keeps it in
# STORE.attachments/HH/HASH (0600) with the same bytes (sha256); one flipped
# byte under a good signature, or in the file, and the bundle is refused whole,
# the store unchanged, the file in quarantine.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/../lib/office.sh"

t_attach_env

# The office and the inspector share one passphrase file here.
C=$S OP=$P
t_office --no-forms && t_office_brief b || { t_bad "office set-up"; t_done; exit 1; }
export XIAOAN_STORE=$S XIAOAN_HOME=$H
V=$("$FX" draft "$H" "$P")
$MK "$T_TMP/IMG_0001.jpg" --taken '2026:12:01 09:30:05' --size 700000 --seed 7
$MK "$T_TMP/IMG_0002.jpg" --size 1000 --seed 8
"$XA" attach "$V" --hazard 1 "$T_TMP/IMG_0001.jpg" >/dev/null
"$XA" attach "$V" --followup 1 "$T_TMP/IMG_0002.jpg" >/dev/null
"$FX" seal "$H" "$P" "$V"
mkdir -p "$T_TMP/bundles"
t_run "export" 0 "$XA" export -o "$T_TMP/bundles"
B=$OUT
t_has "a bundle" "$B" ".xab"

# the bundle as the standard tools see it: attachment records in pieces
if command -v age >/dev/null && command -v zstd >/dev/null; then
    "$XA" central export-identity >"$T_TMP/office.key" 2>/dev/null
    age -d -i "$T_TMP/office.key" "$B" | zstd -dc >"$T_TMP/lines" 2>/dev/null
    t_eq "four attachment records (700 KB in 192 KiB pieces + one)" "$(grep -c '"type":"attachment"' "$T_TMP/lines")" "5"
else
    t_skip "attachment records" "age or zstd missing"
fi

# a flipped byte under a good signature: refused whole
"$FX" flip "$H" "$P" "$B" "$T_TMP/flipped.xab"
cp "$S" "$T_TMP/before.db"
t_run "merge the flipped bundle" 1 "$XA" central merge "$T_TMP/flipped.xab"
t_has "flipped: rejected with the reason" "$OUT" "does not match its signed hash"
t_eq "flipped: store unchanged (no visit)" "$(sqlite3 "$S" "SELECT count(*) FROM visits")" "0"
t_eq "flipped: no attachment kept" "$(find "$S.attachments" -type f ! -name '.in-*' 2>/dev/null | wc -l)" "0"
t_eq "flipped: in quarantine" "$(ls "$S.quarantine" | wc -l)" "1"
# a flipped byte in the file itself (the age payload's authentication)
cp "$B" "$T_TMP/damaged.xab"
python3 -c "import sys;p=sys.argv[1];b=bytearray(open(p,'rb').read());b[len(b)//2]^=1;open(p,'wb').write(b)" "$T_TMP/damaged.xab"
t_run "merge a damaged file" 1 "$XA" central merge "$T_TMP/damaged.xab"
t_has "damaged: rejected" "$OUT" "rejected"

# the good bundle: the same bytes at the office
t_run "merge" 0 "$XA" central merge "$B"
t_has "merged line" "$OUT" "1 visits (1 new)"
for f in IMG_0001 IMG_0002; do
    HB=$(python3 -c "import hashlib,sys;print(hashlib.blake2b(open(sys.argv[1],'rb').read(),digest_size=32).hexdigest())" "$T_TMP/$f.jpg")
    K="$S.attachments/${HB:0:2}/$HB"
    t_eq "$f: sha256 field = office" "$(sha256sum <"$K" 2>/dev/null | cut -c1-64)" "$(sha256sum <"$T_TMP/$f.jpg" | cut -c1-64)"
    t_eq "$f: 0600" "$(stat -c %a "$K" 2>/dev/null)" "600"
done
t_eq "the folder is 0700" "$(stat -c %a "$S.attachments")" "700"
t_run "merge again: nothing new, nothing doubled" 0 "$XA" central merge "$B"
t_eq "two files, deduplicated by hash" "$(find "$S.attachments" -type f | wc -l)" "2"

# A bundle whose plaintext is over the reader's replay bound (8 MiB): the
# first pass drops what it kept and the second reads the file again (the
# streaming reader) — refused when flipped, merged the same when good.
V2=$("$FX" draft "$H" "$P")
$MK "$T_TMP/IMG_BIG.jpg" --size 9000000 --seed 11
"$XA" attach "$V2" --hazard 1 "$T_TMP/IMG_BIG.jpg" >/dev/null
"$FX" seal "$H" "$P" "$V2"
mkdir -p "$T_TMP/bundles2"
t_run "export the large bundle" 0 "$XA" export -o "$T_TMP/bundles2"
B2=$OUT
if command -v age >/dev/null && command -v zstd >/dev/null; then
    PLAIN=$(age -d -i "$T_TMP/office.key" "$B2" | zstd -dc | wc -c)
    t_eq "large: plaintext over 8 MiB" "$([ "$PLAIN" -gt 8388608 ] && echo yes || echo "no: $PLAIN")" "yes"
else
    t_skip "large: plaintext size" "age or zstd missing"
fi
"$FX" flip "$H" "$P" "$B2" "$T_TMP/flipped2.xab"
t_run "large: merge the flipped bundle" 1 "$XA" central merge "$T_TMP/flipped2.xab"
t_has "large flipped: rejected with the reason" "$OUT" "does not match its signed hash"
t_eq "large flipped: store unchanged" "$(sqlite3 "$S" "SELECT count(*) FROM visits")" "1"
t_run "large: merge" 0 "$XA" central merge "$B2"
t_has "large: merged line" "$OUT" "1 visits (1 new)"
HB=$(python3 -c "import hashlib,sys;print(hashlib.blake2b(open(sys.argv[1],'rb').read(),digest_size=32).hexdigest())" "$T_TMP/IMG_BIG.jpg")
t_eq "large: sha256 field = office" "$(sha256sum <"$S.attachments/${HB:0:2}/$HB" 2>/dev/null | cut -c1-64)" "$(sha256sum <"$T_TMP/IMG_BIG.jpg" | cut -c1-64)"

t_done
