# tests/tui/stale.sh — a save refused as stale (issue 11 #5, the revision
# check of docs/security.md) in a real terminal: the TUI answers items, a
# second writer saves the same visit meanwhile, the TUI's next save is
# refused: the title says 保存失败! and the message line the reason (in
# Chinese), the answers stay on screen, later keys and the 2 s rest are
# refused again, quitting says in Chinese that the last change was NOT saved
# (exit 1) — and the second writer's stored visit is never overwritten.
#
# The second writer: the home lock (HOME/lock, flock) keeps a second xiaoan
# out, so a second writer can only come in where flock does not hold — a
# file system without flock runs unlocked (docs/security.md). That is
# simulated by removing the lock file while the TUI holds it: the TUI keeps
# its lock on the old, now nameless inode, and `xiaoan attach` (a real
# command that saves the visit through the same store API) creates and locks
# a new file at HOME/lock. Bumping visits.rev with the sqlite3 shell would
# not do: rev is bound into the record's associated data, so the "other
# writer's" visit would no longer decrypt and nothing real would be saved.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

command -v sqlite3 >/dev/null 2>&1 || { t_skip "sqlite3 shell" "not installed"; t_done; exit 0; }

tui_workspace || { t_done; exit 1; }
# The stored visit as bytes: its row and journal (nothing may overwrite them).
stored() {
    sqlite3 "$H/field.db" "SELECT hex(id), rev, hex(doc) FROM visits;
        SELECT count(*) FROM visit_journal" 2>&1 | sha256sum
}
visits_json() { "$XA" visits --json --home "$H" --passphrase-file "$P" 2>&1; }

# Answer keys write journal entries; after 2 s of rest (XIAOAN_COMPACT_MS,
# the default said explicitly) the visit is saved whole: both are checked.
# Not exec'd (unlike tui_start): the shell prints xiaoan's exit status in
# the pane (tmux's pane_dead_status is not always filled in).
tui_stop
$TM new-session -d -x 100 -y 30 \
    "env LANG=C.UTF-8 LC_ALL= TERM=tmux-256color XIAOAN_COMPACT_MS=2000 '$XA' --home '$H' --passphrase-file '$P'; echo \"status \$?\"" \; \
    set-option -g remain-on-exit on 2>/dev/null
t_screen "home" "检查任务"
t_new_visit
# What the start screen answered (counted by xiaoan visits), before the keys.
answers() {
    "$XA" visits --json --home "$H" --passphrase-file "$P" |
        python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[0]["answers"] if v else -1)'
}
before=$(answers)
tui_keys 1
t_screen "GN-01 answered" "GN-01    符合"
tui_keys 1
t_screen "GN-02 answered" "GN-02    符合"
t_saved "both answers saved"
# Let the 2 s rest fold the journal: the whole save moves the revision too.
sleep 2.5
t_saved "still saved after the rest"

V=$("$XA" visits --home "$H" --passphrase-file "$P" | grep -oE '[0-9a-f]{32}' | head -1)
t_eq "the draft is listed" "${#V}" 32

# --- the second writer, past the lock ---
printf '%%PDF-1.4\n%% sign-in book\n%%%%EOF\n' >"$T_TMP/签到簿.pdf"
rm -f "$H/lock"
t_run "a second writer (attach) saves the visit while the TUI runs" 0 \
    "$XA" attach "$V" "$T_TMP/签到簿.pdf" --home "$H" --passphrase-file "$P"
t_run "its attachment is stored" 0 "$XA" attach "$V" --list --home "$H" --passphrase-file "$P"
t_has "attach --list names it" "$OUT" "签到簿.pdf"
theirs=$(stored)
theirs_json=$(visits_json)
t_eq "the other writer's visit has the two answers" "$(answers)" $((before + 2))

# --- the TUI's next answer: refused as stale ---
tui_keys 3
t_screen "GN-03 answered on screen" "GN-03    不适用"
t_screen "the title says 保存失败" "保存失败!"
t_screen "the message line gives the reason, in Chinese" "打开后已在别处保存"
t_has "the reason names the visit" "$SCREEN" "检查 $V"
t_lacks "no English on the message line" "$SCREEN" "saved elsewhere"
t_lacks "not shown as saved" "$SCREEN" "已保存 ✓"
t_has "the earlier answers still on screen" "$SCREEN" "GN-01    符合"
t_has "GN-02 too" "$SCREEN" "GN-02    符合"
t_eq "the other writer's stored visit is unchanged" "$(stored)" "$theirs"

# The 2 s rest retries the whole save: refused again, nothing written.
sleep 2.5
t_screen "after the rest: still 保存失败" "保存失败!"
t_has "the answer still on screen" "$SCREEN" "GN-03    不适用"
t_eq "still unchanged after the rest" "$(stored)" "$theirs"

# Another answer key: refused again, kept in memory.
tui_keys 1
t_screen "GN-04 answered on screen" "GN-04    符合"
t_screen "still 保存失败" "保存失败!"
t_has "GN-03 still on screen" "$SCREEN" "GN-03    不适用"
t_eq "still unchanged after another key" "$(stored)" "$theirs"

# --- quitting: the loss is said, in Chinese, and the exit status is 1 ---
tui_keys C-q
t_exits "Ctrl-Q quits"
OUTQ=$($TM capture-pane -p -J -S - 2>/dev/null)
t_has "quitting says the last change was not saved, and why" "$OUTQ" \
    "xiaoan: 最后的修改没有保存：检查 $V 打开后已在别处保存"
t_has "exit status 1" "$OUTQ" "status 1"

t_eq "the other writer's stored visit is still unchanged" "$(stored)" "$theirs"
t_eq "xiaoan visits shows the other writer's visit" "$(visits_json)" "$theirs_json"
t_run "its attachment is still there" 0 "$XA" attach "$V" --list --home "$H" --passphrase-file "$P"
t_has "attach --list still names it" "$OUT" "签到簿.pdf"
t_eq "field.db intact" "$(sqlite3 "$H/field.db" 'PRAGMA integrity_check')" ok

# Opened again, the visit is the stored one: the other writer's two answers.
tui_start 100 30
t_screen "the draft reopens" "GN-02    符合" 10
t_lacks "GN-03 was not saved" "$SCREEN" "GN-03    不适用"
t_lacks "no failure now" "$SCREEN" "保存失败"
tui_keys C-q
t_exits "quit"
tui_done
