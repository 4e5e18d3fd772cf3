# tests/cli/attachments.sh — the office side of photos (issue 15): after a
# real field → bundle → merge, `central attachments HAZARD|VISIT` lists a
# hazard's 整改前 photo (from the finding) and 整改后 photo (from a later
# re-check visit) and with -o DIR writes them under names people understand
# (莲都-2026-0001-整改前-1.jpg) with the same bytes (sha256); existing files
# are refused unless --force, a stored file changed at the office is refused;
# `central hazard` lists them (text and JSON).
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/../lib/office.sh"

t_attach_env

# The office and the inspector share one passphrase file here.
C=$S OP=$P
t_office --no-forms && t_office_brief b || { t_bad "office set-up"; t_done; exit 1; }
export XIAOAN_STORE=$S XIAOAN_HOME=$H
blake() { python3 -c "import hashlib,sys;print(hashlib.blake2b(open(sys.argv[1],'rb').read(),digest_size=32).hexdigest())" "$1"; }
sha() { sha256sum <"$1" | cut -c1-64; }

# visit 1: a hazard with two 整改前 photos and a PDF for the visit itself
V1=$("$FX" draft "$H" "$P")
$MK "$T_TMP/IMG_0001.jpg" --taken '2026:12:01 09:30:05' --size 300000 --wh 64 48 --seed 1
$MK "$T_TMP/IMG_0002.jpg" --size 2000 --seed 2
printf '%%PDF-1.4\n%% sign-in book\n' >"$T_TMP/签到簿.pdf"
"$XA" attach "$V1" --hazard 1 "$T_TMP/IMG_0001.jpg" "$T_TMP/IMG_0002.jpg" >/dev/null
"$XA" attach "$V1" "$T_TMP/签到簿.pdf" >/dev/null
"$FX" seal "$H" "$P" "$V1"
mkdir -p "$T_TMP/b1" "$T_TMP/b2"
"$XA" export -o "$T_TMP/b1" >/dev/null
t_run "merge the finding" 0 "$XA" central merge "$T_TMP"/b1/*.xab
HZ=$(sqlite3 "$S" "SELECT id FROM hazards")
NUM=$(sqlite3 "$S" "SELECT number FROM hazards WHERE id='$HZ'")
t_has "the hazard is registered" "$NUM" "莲都-"

# the 整改通知书 shows the hazard's 整改前 photos, the JPEG bytes embedded as they are
t_run "notice with photos" 0 "$XA" central notice --visit "$V1" -o "$T_TMP/notice.pdf"
if command -v pdftotext >/dev/null && command -v pdfimages >/dev/null; then
    pdftotext -layout "$T_TMP/notice.pdf" "$T_TMP/notice.txt"
    NT=$(tr -d '\f' <"$T_TMP/notice.txt" | tr -s ' ')
    t_has "notice: the photo appendix" "$NT" "附：隐患照片（整改前）"
    t_has "notice: caption with the capture time" "$NT" "整改前-1 IMG_0001.jpg 拍摄 2026-12-01 09:30"
    t_has "notice: second photo, time unknown" "$NT" "整改前-2 IMG_0002.jpg 拍摄时间未知"
    t_lacks "notice: not the visit's own PDF" "$NT" "签到簿"
    pdfimages -list "$T_TMP/notice.pdf" >"$T_TMP/imgs.txt" 2>/dev/null
    t_eq "notice: two images, both JPEG (DCT)" "$(awk 'NR>2 {print $9}' "$T_TMP/imgs.txt" | sort | uniq -c | tr -s ' ')" " 2 jpeg"
    mkdir -p "$T_TMP/img"
    pdfimages -j "$T_TMP/notice.pdf" "$T_TMP/img/p" 2>/dev/null
    t_eq "notice: the embedded bytes are the photo's (no re-encoding)" \
        "$(sha256sum "$T_TMP"/img/*.jpg | cut -c1-64 | sort | tr '\n' ' ')" \
        "$( (sha "$T_TMP/IMG_0001.jpg"; sha "$T_TMP/IMG_0002.jpg") | sort | tr '\n' ' ')"
else
    t_skip "notice photos" "poppler-utils missing"
fi
t_run "notice as text" 0 "$XA" central notice --reprint "$(date +%Y)-1" --format text
t_has "text notice: the photo's name" "$OUT" "照片：$NUM-整改前-1.jpg（拍摄 2026-12-01 09:30）"
t_run "reprint the PDF" 0 "$XA" central notice --reprint "$(date +%Y)-1" -o "$T_TMP/again.pdf"
t_eq "reprint: the same bytes" "$(sha "$T_TMP/again.pdf")" "$(sha "$T_TMP/notice.pdf")"

# visit 2: a re-check of that hazard with a 整改后 photo
V2=$("$FX" draft "$H" "$P" "$HZ")
$MK "$T_TMP/IMG_0100.jpg" --taken '2026:12:10 14:00:00' --size 5000 --seed 3
"$XA" attach "$V2" --followup 1 "$T_TMP/IMG_0100.jpg" >/dev/null
"$FX" seal "$H" "$P" "$V2"
"$XA" export -o "$T_TMP/b2" >/dev/null
t_run "merge the re-check" 0 "$XA" central merge "$T_TMP"/b2/*.xab

# the listing
t_run "list a hazard's attachments" 0 "$XA" central attachments "$NUM"
t_has "list: 整改前 1" "$OUT" "$NUM-整改前-1.jpg"
t_has "list: 整改前 2" "$OUT" "$NUM-整改前-2.jpg"
t_has "list: 整改后 1" "$OUT" "$NUM-整改后-1.jpg"
t_has "list: the original name" "$OUT" "IMG_0001.jpg"
t_has "list: the photo's time" "$OUT" "2026-12-01T09:30"
t_lacks "list: the visit's own PDF is not the hazard's" "$OUT" "签到簿"
t_run "list by the hazard id" 0 "$XA" central attachments "$HZ"
t_has "by id: same names" "$OUT" "$NUM-整改后-1.jpg"
t_run "list a visit's attachments (prefix)" 0 "$XA" central attachments "${V1:0:8}"
t_has "visit: the hazard's photo" "$OUT" "$NUM-整改前-1.jpg"
t_has "visit: its own PDF" "$OUT" "-检查记录-1.pdf"
t_lacks "visit: not the re-check's photo" "$OUT" "整改后"
t_run "json listing" 0 "$XA" central attachments "$NUM" --format json
t_eq "json: three entries, hashes as signed" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys;print(" ".join(a["stage"]+":"+a["hash"][:8] for a in json.load(sys.stdin)))')" \
    "hazard:$(blake "$T_TMP/IMG_0001.jpg" | cut -c1-8) hazard:$(blake "$T_TMP/IMG_0002.jpg" | cut -c1-8) followup:$(blake "$T_TMP/IMG_0100.jpg" | cut -c1-8)"
t_run "unknown name" 1 "$XA" central attachments "ffffffffff"
t_has "unknown: one clear line" "$ERR" "xiaoan: no hazard or visit 'ffffffffff'"

# written out: the same bytes under people's names
t_run "write out" 0 "$XA" central attachments "$NUM" -o "$T_TMP/photos"
t_eq "three files" "$(ls "$T_TMP/photos" | wc -l)" "3"
t_eq "整改前-1 = IMG_0001 (sha256)" "$(sha "$T_TMP/photos/$NUM-整改前-1.jpg")" "$(sha "$T_TMP/IMG_0001.jpg")"
t_eq "整改前-2 = IMG_0002 (sha256)" "$(sha "$T_TMP/photos/$NUM-整改前-2.jpg")" "$(sha "$T_TMP/IMG_0002.jpg")"
t_eq "整改后-1 = IMG_0100 (sha256)" "$(sha "$T_TMP/photos/$NUM-整改后-1.jpg")" "$(sha "$T_TMP/IMG_0100.jpg")"
t_eq "written 0600" "$(stat -c %a "$T_TMP/photos/$NUM-整改后-1.jpg")" "600"
t_run "again: refused" 1 "$XA" central attachments "$NUM" -o "$T_TMP/photos"
t_has "again: says it exists" "$ERR" "already exists"
t_run "again with --force" 0 "$XA" central attachments "$NUM" -o "$T_TMP/photos" --force
t_eq "still three files" "$(ls "$T_TMP/photos" | wc -l)" "3"
t_run "the visit's PDF" 0 "$XA" central attachments "$V1" -o "$T_TMP/visit"
t_eq "PDF = 签到簿.pdf" "$(sha "$T_TMP/visit/"*检查记录-1.pdf)" "$(sha "$T_TMP/签到簿.pdf")"

# a stored file changed at the office: refused, nothing written
K="$S.attachments/$(blake "$T_TMP/IMG_0100.jpg" | cut -c1-2)/$(blake "$T_TMP/IMG_0100.jpg")"
chmod u+w "$K"
python3 -c "import sys;p=sys.argv[1];b=bytearray(open(p,'rb').read());b[100]^=1;open(p,'wb').write(b)" "$K"
t_run "changed at the office" 1 "$XA" central attachments "$NUM" -o "$T_TMP/bad"
t_has "changed: the reason" "$ERR" "no longer matches its signed hash"
t_eq "changed: nothing written" "$(ls "$T_TMP/bad" 2>/dev/null | wc -l)" "0"

# the XLSX ledger names the photos (last column 照片, the names -o writes)
t_run "ledger workbook" 0 env XIAOAN_LANG=zh "$XA" central ledger --state all --format xlsx -o "$T_TMP/ledger.xlsx"
# openpyxl from Debian's python3-openpyxl (a pyenv python3 may lack it)
PY=python3
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
t_eq "ledger: the 照片 column" "$("$PY" - "$T_TMP/ledger.xlsx" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["隐患台账"]
rows = list(ws.iter_rows(values_only=True))
print(rows[0][-1] + "|" + "|".join((r[-1] or "").replace("\n", ",") for r in rows[1:]))
PY
)" "照片|$NUM-整改前-1.jpg,$NUM-整改前-2.jpg,$NUM-整改后-1.jpg"

# central hazard lists them
t_run "central hazard" 0 env XIAOAN_LANG=zh "$XA" central hazard "$NUM"
t_has "hazard: the 附件 block" "$OUT" "附件"
t_has "hazard: 整改前 photo with its time" "$OUT" "$NUM-整改前-1.jpg  整改前  IMG_0001.jpg  300000 字节  拍摄 2026-12-01 09:30"
t_has "hazard: 整改后 photo" "$OUT" "$NUM-整改后-1.jpg  整改后  IMG_0100.jpg"
t_run "central hazard --format json" 0 "$XA" central hazard "$NUM" --format json
t_eq "hazard json: the attachments' files" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys;print(" ".join(a["file"] for a in json.load(sys.stdin)["attachments"]))')" \
    "$NUM-整改前-1.jpg $NUM-整改前-2.jpg $NUM-整改后-1.jpg"


t_done
