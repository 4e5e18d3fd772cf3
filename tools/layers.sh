#!/bin/sh
# tools/layers.sh — `make layers`: fail when a file includes a header of a
# higher layer (docs/HACKING.md "Layers"):
#   core 0 <- crypto 1 <- store/forms/exchange/doc 2 <- field/central 3 <- tui 4 <- cmd 5 <- main 6
# plus: <curses.h>/<ncurses*.h> only in src/tui, <sqlite3.h> only in src/store.
# Each public header's layer is the table below (a new header needs a row:
# an unknown header fails too).  Prints one line per violation.
cd "$(dirname "$0")/.." || exit 2
layer_of_header() {
    case "$1" in
    cell|clock|error|fsutil|homelock|i18n|ids|json|mem|pass|pinyin|table|utf8|vocab) echo 0 ;;
    age|bech32|hkdf|identity|visit) echo 1 ;;
    centralstore|cstore_assign|fieldstore|loopstore|container|county|csvtab|forms|roster|pdf|xlsx) echo 2 ;;
    assign|central|draw|field|report) echo 3 ;;
    tui) echo 4 ;;
    cli|cmd) echo 5 ;;
    *) echo "" ;;
    esac
}
layer_of_dir() {
    case "$1" in
    core) echo 0 ;; crypto) echo 1 ;; store|forms|exchange|doc) echo 2 ;;
    field|central) echo 3 ;; tui) echo 4 ;; cmd) echo 5 ;; *) echo "" ;;
    esac
}
bad=0
for f in src/*/*.c src/*/*.h src/main.c include/xiaoan/*.h; do
    case "$f" in
    src/main.c) dir=main; mine=6 ;;
    include/xiaoan/*) dir=include; b=$(basename "$f" .h); mine=$(layer_of_header "$b") ;;
    *) dir=$(basename "$(dirname "$f")"); mine=$(layer_of_dir "$dir") ;;
    esac
    if [ -z "$mine" ]; then
        echo "layers: $f: no layer for it (tools/layers.sh)"; bad=1; continue
    fi
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        case "$line" in
        *'#include "xiaoan/'*)
            h=${line#*\"xiaoan/}; h=${h%%.h\"*}
            hl=$(layer_of_header "$h")
            if [ -z "$hl" ]; then
                echo "layers: $f:$n: xiaoan/$h.h has no layer (add it to tools/layers.sh)"; bad=1
            elif [ "$hl" -gt "$mine" ]; then
                echo "layers: $f:$n: includes xiaoan/$h.h (layer $hl) from layer $mine"; bad=1
            fi ;;
        *'#include <curses.h>'*|*'#include <ncurses'*|*'#include <ncursesw/'*)
            [ "$dir" = tui ] || { echo "layers: $f:$n: curses outside src/tui"; bad=1; } ;;
        *'#include <sqlite3.h>'*)
            [ "$dir" = store ] || { echo "layers: $f:$n: sqlite3.h outside src/store"; bad=1; } ;;
        esac
    done < "$f"
done
[ $bad = 0 ] && echo "layers: every include points down"
exit $bad
