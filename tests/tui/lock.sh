# tests/tui/lock.sh — one UI per home (issue 11 #5): a second TUI on the same
# home prints one line naming the first one's process and since when, exits 1
# and changes nothing; the first one goes on working; a writing command is
# refused while it runs; the lock is free again after q and after kill -9.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }
tui_start 100 30
t_screen "the first TUI is on its home screen" "检查任务" 10
FIRST=$(tui_pid)
t_has "the lock records its process" "$(cat "$H/lock" 2>/dev/null)" "pid $FIRST"
t_has "and since when, and which command" "$(cat "$H/lock" 2>/dev/null)" "since 2026-11-29T09:30:00+08:00
command xiaoan tui"
t_eq "the lock file is private" "$(stat -c %a "$H/lock")" "600"

# --- the second TUI, in another window of the same tmux server ---
db=$(sha256sum <"$H/field.db")
state=$(cat "$H/tui-state.json" 2>/dev/null)
$TM new-window -d -n second \
    "env LANG=C.UTF-8 LC_ALL= XIAOAN_LANG= '$XA' --home '$H' --passphrase-file '$P'; echo \"status \$?\""
# the pane's text with its history (a line printed before the window had its size may
# have scrolled up), wrapped lines joined
second() { $TM capture-pane -p -J -S - -t second 2>/dev/null | grep -v '^Pane is dead'; }
i=0
while [ $i -lt 160 ] && [ "$($TM display-message -p -t second '#{pane_dead}' 2>/dev/null)" != 1 ]; do
    sleep 0.05
    i=$((i + 1))
done
t_eq "the second TUI exits" "$($TM display-message -p -t second '#{pane_dead}' 2>/dev/null)" "1"
t_has "with status 1" "$(second)" "status 1"
OUT2=$(second | sed '/^$/d; /^status /d')
t_has "one line naming the first one's process and since when" "$OUT2" \
    "xiaoan: 数据目录 $H 正由另一个 xiaoan 使用（进程 $FIRST，xiaoan tui，自 2026-11-29 09:30 起）：请先关闭它"
t_eq "one line only" "$(printf '%s\n' "$OUT2" | grep -c .)" "1"
t_eq "field.db untouched by it" "$(sha256sum <"$H/field.db")" "$db"
t_eq "tui-state.json untouched by it" "$(cat "$H/tui-state.json" 2>/dev/null)" "$state"
$TM kill-window -t second 2>/dev/null

# --- in English (--lang en) ---
$TM new-window -d -n second \
    "exec env LANG=C.UTF-8 LC_ALL= XIAOAN_LANG= '$XA' --lang en --home '$H' --passphrase-file '$P'"
i=0
while [ $i -lt 160 ] && [ "$($TM display-message -p -t second '#{pane_dead}' 2>/dev/null)" != 1 ]; do
    sleep 0.05
    i=$((i + 1))
done
t_has "--lang en: the line in English" "$(second)" \
    "xiaoan: the home folder $H is in use by another xiaoan (process $FIRST, xiaoan tui, since 2026-11-29 09:30): close it first"
$TM kill-window -t second 2>/dev/null

# --- a writing command meanwhile is refused the same way; a reading one runs ---
t_run "export while the TUI runs exits 1" 1 "$XA" export -o "$T_TMP" --home "$H" --passphrase-file "$P"
t_has "it names the TUI's process" "$ERR" "(process $FIRST, xiaoan tui"
t_run "visits (read-only) runs beside the TUI" 0 "$XA" visits --home "$H" --passphrase-file "$P"

# --- the first TUI still works: a visit started and an answer saved ---
t_eq "the first TUI is still running" "$(tui_pid)" "$FIRST"
t_new_visit
tui_keys 1
t_saved "an answer saved in the first TUI"

# --- kill -9: the kernel releases the lock; the next TUI opens ---
kill -9 "$FIRST"
t_exits "the first TUI is gone (kill -9)"
tui_start 100 30
t_screen "a new TUI opens after kill -9 (where the first one was)" "GN-01" 10
t_has "and the answer is there" "$SCREEN" "GN-01    符合"
NEXT=$(tui_pid)
t_has "the lock now records the new process" "$(cat "$H/lock" 2>/dev/null)" "pid $NEXT"
tui_keys Escape
t_screen "home" "检查任务"
tui_keys q
t_exits "q quits"
t_eq "the lock file is gone at exit" "$(test -e "$H/lock" && echo there || echo gone)" "gone"

mkdir -p "$T_TMP/usb"
t_run "after q export runs" 0 "$XA" export -o "$T_TMP/usb" --home "$H" --passphrase-file "$P"

tui_done
