# tests/tui/golden.sh — golden screens: the main screens at 80×24 with the
# clock fixed (XIAOAN_NOW), compared in full with tests/tui/golden/NAME.txt,
# so an alignment or CJK-cutting regression fails even where the substring
# tests still find their words.  After a deliberate change of a screen,
# `make golden` rewrites the files (XIAOAN_GOLDEN_UPDATE=1); review the diff.
# What differs between runs (fingerprints, random ids) is masked first.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

GOLDEN_DIR=$TUI_TESTS/tui/golden
UPDATE=${XIAOAN_GOLDEN_UPDATE:-0}

# The screen once it has stopped changing (two equal captures 0.2 s apart).
stable_screen() {
    local a b i=0
    a=$(tui_screen)
    while [ $i -lt 25 ]; do
        sleep 0.2
        b=$(tui_screen)
        [ "$a" = "$b" ] && break
        a=$b
        i=$((i + 1))
    done
    printf '%s\n' "$a"
}

# Mask what differs per run: fingerprints (4×5 digits), hex ids (8+ hex
# digits with a letter, so school codes stay), the folder the test runs in
# and its temporary folder (the photo picker's folder line).
normalise() {
    CWD=$PWD TT=$T_TMP perl -pe 's/[0-9]{5}([- ])[0-9]{5}[- ][0-9]{5}[- ][0-9]{5}/FFFFF$1FFFFF$1FFFFF$1FFFFF/g;
        s/\b(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/########/g; s/\Q$ENV{TT}\E/TMP/g; s/\Q$ENV{CWD}\E/CWD/g'
}

# golden NAME WAIT-TEXT — wait for the screen, then compare it with the file.
golden() {
    local name=$1 want=$2 file=$GOLDEN_DIR/$1.txt got
    if ! tui_wait "$want" 5; then
        t_bad "golden $name: screen never showed '$want'" "$SCREEN"
        return
    fi
    got=$(stable_screen | normalise)
    if [ "$UPDATE" = 1 ]; then
        mkdir -p "$GOLDEN_DIR"
        printf '%s\n' "$got" >"$file"
        t_ok "golden $name: written"
        return
    fi
    if [ ! -f "$file" ]; then
        t_bad "golden $name: $file is missing (make golden writes it)"
        return
    fi
    if [ "$got" = "$(cat "$file")" ]; then
        t_ok "golden $name"
    else
        t_bad "golden $name differs from $file (make golden rewrites it after a deliberate change)" \
            "$(diff <(cat "$file") <(printf '%s\n' "$got"))"
    fi
}

tui_workspace || { t_done; exit 1; }
# The photo picker lists HOME/Pictures: two photos made here (tests/lib/mkjpeg.py).
mkdir -p "$T_TMP/user/Pictures/现场照片"
python3 "$TUI_ROOT/tests/lib/mkjpeg.py" "$T_TMP/user/Pictures/配电房.jpg" --taken '2026:11:29 09:30:00' --wh 16 8
python3 "$TUI_ROOT/tests/lib/mkjpeg.py" "$T_TMP/user/Pictures/IMG_0001.jpg"
tui_start 80 24 "HOME=$T_TMP/user"
golden home "检查任务"
tui_keys '?'
golden help "帮助"
tui_keys Escape
tui_wait "检查任务" 5
tui_keys n
tui_type ldqsyxx
golden picker "3311020001"
tui_keys Enter
golden start "不用陪同接待"
tui_keys F2
golden checklist "GN-01"
tui_keys Enter
golden item "GN-01"
tui_keys Escape
tui_wait "GN-01" 5
tui_keys 2
golden hazard "隐患描述"
tui_keys F5
golden photos "文件夹："
tui_keys Escape
tui_wait "隐患描述" 5
tui_keys Escape
tui_wait "GN-01" 5
tui_keys r
golden follow-ups "复查"
tui_keys Escape
tui_wait "GN-01" 5
tui_keys s
golden review "封存"
# Back home one Esc at a time (Esc on the home screen would quit).
for _ in 1 2 3 4 5; do
    tui_wait "检查任务" 1 && break
    tui_keys Escape
done
tui_keys e
golden export "导出"
tui_keys Escape q
tui_done
