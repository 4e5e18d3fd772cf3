# tests/tui/journal.sh — an answer key saves only its change (the draft's
# journal in field.db, issue 17) and loses nothing: kill -9 right after
# answer keys, restart, the answers are there; the journal is folded into
# the visit's record when the keys rest, and on quitting.
# XIAOAN_COMPACT_MS (how long the keys must rest before the fold) holds
# the journal open in the first run, so the kill finds it unfolded.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

command -v sqlite3 >/dev/null 2>&1 || { t_skip "sqlite3 shell" "not installed"; t_done; exit 0; }

tui_workspace || { t_done; exit 1; }
journal() { sqlite3 "$H/field.db" "SELECT count(*) FROM visit_journal" 2>&1; }
answers() {
    "$XA" visits --json --home "$H" --passphrase-file "$P" |
        python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[0]["answers"] if v else -1)'
}

tui_start 80 24 XIAOAN_COMPACT_MS=600000
t_screen "home" "检查任务 (1)"
tui_keys n
tui_type ldqsyxx
t_screen "picker" "莲都区实验小学"
tui_keys Enter
t_screen "visit start" "不用陪同接待"
tui_keys F2
t_screen "checklist" "GN-01"
before=$(answers)
tui_keys 1
t_screen "GN-01 answered" "GN-01    符合"
tui_keys 1
t_screen "GN-02 answered" "GN-02    符合"
tui_keys 3
t_screen "GN-03 answered" "GN-03    不适用"
t_saved "the answers are shown as saved"
t_eq "three answers in the journal, not in a whole save" "$(journal)" 3
pid=$(tui_pid)
kill -9 "$pid"
t_exits "killed right after the answer keys"
t_eq "field.db intact" "$(sqlite3 "$H/field.db" 'PRAGMA integrity_check')" ok
t_eq "xiaoan visits counts the journaled answers" "$(answers)" $((before + 3))

# Restart: the draft reopens with its answers; resting folds the journal in.
tui_start 80 24 XIAOAN_COMPACT_MS=0
t_screen "restart reopens the checklist" "GN-03    不适用" 10
t_screen "GN-01 survived" "GN-01    符合"
t_screen "GN-02 survived" "GN-02    符合"
i=0
while [ "$(journal)" != 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
t_eq "resting folded the journal into the visit's record" "$(journal)" 0
tui_keys u 1
t_saved "one more answer (the next unanswered item)"
tui_keys C-q
t_exits "quit from the checklist (Ctrl-Q)"
t_eq "nothing left in the journal after quitting" "$(journal)" 0
t_eq "every answer in the record" "$(answers)" $((before + 4))

# Once more: journaled again on top of the folded record, killed again.
tui_start 80 24 XIAOAN_COMPACT_MS=600000
t_screen "the draft's checklist again" "GN-01    符合" 10
tui_keys u 3
t_saved "an n/a saved"
t_eq "journaled" "$(journal)" 1
pid=$(tui_pid)
kill -9 "$pid"
t_exits "killed again"
t_eq "five answers after the second kill" "$(answers)" $((before + 5))
tui_done
