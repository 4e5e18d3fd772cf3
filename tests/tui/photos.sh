# tests/tui/photos.sh — photos in the field TUI (issue 15): from the hazard
# editor F5 opens the file picker at ~/Pictures; it lists folders and only
# real photos/PDFs (a renamed zip is not listed), each with its size and the
# photo's own EXIF time; Space marks two, Enter attaches both; the review
# warns about the photo taken before the visit and Enter on the warning
# opens the photos, where F8 twice removes it; the visit is sealed and
# exported from the TUI, and the office's merge keeps the attached photo
# byte for byte (sha256).  Test JPEGs come from tests/lib/mkjpeg.py.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"
. "$(dirname "$0")/../lib/office.sh"

MK="python3 $TUI_ROOT/tests/lib/mkjpeg.py"
OUT_DIR=$T_TMP/bundles
U=$T_TMP/user               # the inspector's own home folder (HOME)
mkdir -p "$OUT_DIR" "$U/Pictures/现场照片" "$U/文档" "$U/大文件"

tui_has_cmd central merge && tui_has_cmd brief import ||
    { t_skip "photos" "this build has no office commands"; t_done; exit 0; }
t_office && t_office_brief b || { t_bad "office set-up"; t_done; exit 1; }

# The photos, as copied from a phone: one taken during the visit (the test
# clock is 2026-11-29 09:30 CST, the gate time of a new visit), one weeks
# before; a zip renamed .jpg that must not be listed; a PDF elsewhere.
$MK "$U/Pictures/现场照片/配电房.jpg" --taken '2026:11:29 09:30:00' --gps 28.4517 119.9220 --wh 16 8 --seed 3
$MK "$U/Pictures/现场照片/旧照片.jpg" --taken '2026:10:01 08:00:00' --seed 4
printf 'PK\003\004 a zip archive, renamed\n' >"$U/Pictures/现场照片/假照片.jpg"
printf '%%PDF-1.4\n%% sign-in book\n%%%%EOF\n' >"$U/文档/签到簿.pdf"
$MK "$U/大文件/big.jpg" --size $((20 * 1024 * 1024 + 1))

tui_start 120 40 "HOME=$U"
t_screen "home" "检查任务"
tui_keys n
tui_type ldqsyxx
t_screen "school found" "莲都区实验小学"
tui_keys Enter
t_screen "visit start" "四不两直"
tui_keys Tab Tab Space Tab Space Tab Space Tab Space
t_screen "four nots ticked" "[x] 不用陪同接待"
tui_keys F2

# --- a hazard with two photos ---
t_screen "checklist" "GN-01"
tui_keys 2
t_screen "hazard editor" "隐患描述"
t_screen "the editor counts no photos yet" "照片：0 个（F5 添加、查看）"
tui_keys C-u
tui_type "配电房堆放杂物，未设置挡鼠板"
tui_keys Tab
tui_type "配电房"
t_saved "hazard text saved"
tui_keys F5
t_screen "F5 opens the picker" "照片 · 隐患 1 GN-01（整改前）"
t_screen "it starts in ~/Pictures" "文件夹：$U/Pictures"
t_screen "nothing attached yet" "（还没有）"
t_screen "the folder is listed" "现场照片/"
tui_keys Down Enter
t_screen "into the folder" "文件夹：$U/Pictures/现场照片"
t_screen "a photo is listed with its type" "配电房.jpg"
t_screen "the photo's own time is shown" "2026-11-29 09:30"
t_screen "the old photo's time too" "2026-10-01 08:00"
t_lacks "a renamed zip is not listed" "$SCREEN" "假照片"
# ".." is first, then the two photos in name order (旧 before 配).
tui_keys Down Space Space
t_screen "two marked" "已选中 2 个文件"
tui_keys Enter
t_screen "both attached" "已附上 2 个文件"
t_screen "the attached list counts them" "已附文件（2）"
t_screen "with the time each was taken" "拍摄 2026-10-01 08:00"
t_saved "attached is saved"
# Backspace goes up a folder; ~ goes home; a PDF is listed there.
tui_keys BSpace
t_screen "Backspace goes up" "现场照片/"
tui_keys '~'
t_screen "~ lists the home folder" "文件夹：$U"
# ".." Pictures/ 大文件/ 文档/: a file over the limit is refused, in Chinese.
tui_keys Down Down Enter
t_screen "into 大文件" "big.jpg"
tui_keys Down Enter
t_screen "over 20 MB is refused with the reason" "big.jpg 太大：每个文件不超过 20 MB"
t_screen "nothing more attached" "已附文件（2）"
tui_keys BSpace Down Enter
t_screen "a PDF is listed" "签到簿.pdf"
t_screen "as a PDF" "PDF"
tui_keys Escape
t_screen "back in the editor, which counts them" "照片：2 个（F5 添加、查看）"
tui_keys Tab Tab Tab Tab
tui_type "总务处李主任"
t_saved "responsible saved"
tui_keys F2

# --- the review warns about the old photo; remove it from there ---
t_screen "back in the checklist" "GN-01    隐患"
tui_keys s
t_screen "review" "核对与封存"
t_screen "review warns: a photo taken before the visit" "照片 旧照片.jpg 拍摄于 2026-10-01 08:00，不在本次检查时间内"
t_lacks "the photo taken during the visit is not flagged" "$SCREEN" "照片 配电房.jpg"
tui_keys Enter
t_screen "Enter opens the hazard's photos" "已附文件（2）"
t_screen "the picker starts in the folder used last" "文件夹：$U/文档"
tui_keys Tab
tui_keys F8
t_screen "F8 asks first" "再按一次 F8 移除 旧照片.jpg"
tui_keys F8
t_screen "removed" "已移除 旧照片.jpg"
t_screen "one left" "已附文件（1）"
tui_keys Escape
t_screen "back in the review" "核对与封存"
tui_wait "核对与封存"
t_lacks "the warning is gone" "$SCREEN" "拍摄于 2026-10-01"

# --- seal, export, merge ---
tui_keys S y
t_screen "sealed" "已封存，序号 1"
t_export "export screen" "bundle written" ".xab"
tui_keys Escape q
t_exits "quit"

V=$("$XA" visits --home "$H" --passphrase-file "$P" | grep -oE '[0-9a-f]{32}' | head -1)
t_run "the sealed visit lists its photo" 0 "$XA" attach "$V" --list --home "$H" --passphrase-file "$P"
t_has "the photo is listed" "$OUT" "配电房.jpg"
t_lacks "the removed one is not" "$OUT" "旧照片.jpg"
t_lacks "the home folder keeps no folder name" "$(cat "$H"/tui-state.json 2>/dev/null)" "Pictures"
bundle=$(ls "$OUT_DIR"/*.xab 2>/dev/null | head -1)
t_run "central merge accepts the bundle" 0 co central merge "$bundle"
HB=$(python3 -c 'import hashlib,sys; print(hashlib.blake2b(open(sys.argv[1],"rb").read(), digest_size=32).hexdigest())' "$U/Pictures/现场照片/配电房.jpg")
K="$C.attachments/${HB:0:2}/$HB"
t_eq "the office has the photo, byte for byte" "$(sha256sum <"$K" 2>/dev/null | cut -d' ' -f1)" "$(sha256sum <"$U/Pictures/现场照片/配电房.jpg" | cut -d' ' -f1)"
t_eq "and only that one" "$(find "$C.attachments" -type f | wc -l)" "1"

# --- a 复查: the follow-up of the merged hazard gets its 整改后 photo ---
$MK "$U/Pictures/现场照片/整改后.jpg" --taken '2026:11:29 09:30:00' --seed 5
t_office_brief b2 && t_ok "second brief imported" || t_bad "second brief imported"
tui_start 120 40 "HOME=$U"
t_screen "home again" "检查任务"
tui_keys n
tui_type ldqsyxx
t_screen "the school has an open hazard" "1 条隐患"
tui_keys Enter
t_screen "visit start" "< 四不两直 >"
tui_keys Right Right Right
t_screen "method 复查" "< 复查 >"
t_saved "method saved"
tui_keys F2 r
t_screen "follow-ups list the merged hazard" "配电房堆放杂物，未设置挡鼠板"
t_screen "the follow-up counts no photos" "照片：0 个（F5 添加、查看）"
tui_keys F5
t_screen "photos need the verdict first" "先按 1–4 给出复查结论，再附照片"
tui_keys 1
t_saved "verdict saved"
tui_keys F5
t_screen "the follow-up's photos" "照片 · 复查（整改后）"
t_screen "a new run starts in ~/Pictures" "文件夹：$U/Pictures"
# ".." 现场照片/ → ".." 整改后 旧照片 配电房 (byte order)
tui_keys Down Enter
t_screen "into the folder" "整改后.jpg"
tui_keys Down Enter
t_screen "attached to the follow-up" "已附上 1 个文件"
tui_keys Escape
t_screen "the follow-up counts it" "照片：1 个（F5 添加、查看）"
tui_keys s
t_screen "review" "核对与封存"
tui_wait "核对与封存"
t_lacks "no photo warning" "$SCREEN" "拍摄于"
tui_keys S y
t_screen "sealed" "已封存，序号 2"
t_export "export screen" "second bundle written" "-0002.xab"
tui_keys Escape q
t_exits "quit again"
bundle2=$(ls "$OUT_DIR"/*-0002.xab 2>/dev/null | head -1)
t_run "central merge accepts the second bundle" 0 co central merge "$bundle2"
HB=$(python3 -c 'import hashlib,sys; print(hashlib.blake2b(open(sys.argv[1],"rb").read(), digest_size=32).hexdigest())' "$U/Pictures/现场照片/整改后.jpg")
K="$C.attachments/${HB:0:2}/$HB"
t_eq "the office has the 整改后 photo, byte for byte" "$(sha256sum <"$K" 2>/dev/null | cut -d' ' -f1)" "$(sha256sum <"$U/Pictures/现场照片/整改后.jpg" | cut -d' ' -f1)"
tui_done
