# tests/crash/crash.bash — crash tests (docs/crashtest.md): kill -9 at a
# random moment while the field store is saving (TRIALS) and while the TUI
# in tmux is saving typed text (TUI_TRIALS), then reopen and check that
# everything that had been acknowledged / shown as saved is there, that
# `PRAGMA integrity_check` says ok and that the visits decrypt; and the
# disk full while saving (a small tmpfs when we may mount one, and a
# file-size limit; the store and the TUI) → one clear line, nothing lost,
# the program carries on.
#
#   make crashtest [TRIALS=200] [TUI_TRIALS=40]     the full run
#   tests/crash/crash_short.sh                       a short run in make check
#
# Environment: XIAOAN_BIN, XIAOAN_BUILD (for $XIAOAN_BUILD/tests/crash_saver
# and tests/test_tui), TRIALS, TUI_TRIALS, CRASH_SEED (the random seed; the
# run prints it), CRASH_KILL_MS (the kill moment is uniform in 0..this after
# the start, which includes unlocking: 1500), CRASH_CLI_EVERY (ask `xiaoan
# visits --json` every Nth trial: 1), CRASH_LOG (append one line per trial).
# Not a suite on its own (no .sh): tests/run.sh runs crash_short.sh.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/t.sh"

TRIALS=${TRIALS:-200}
TUI_TRIALS=${TUI_TRIALS:-40}
KILL_MS=${CRASH_KILL_MS:-1500}
CLI_EVERY=${CRASH_CLI_EVERY:-1}
SEED=${CRASH_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$SEED
BUILD_DIR=${XIAOAN_BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}
SAVER=$BUILD_DIR/tests/crash_saver
LOG=${CRASH_LOG:-/dev/null}
echo "crash test: seed $SEED, $TRIALS store trials, $TUI_TRIALS TUI trials"

if [ ! -x "$SAVER" ]; then
    t_bad "crash driver" "$SAVER is missing (make tests)"
    t_done
    exit 1
fi
# Never leave the small tmpfs mounted, whatever happens.
crash_cleanup() {
    if mountpoint -q "$T_TMP/small" 2>/dev/null; then umount "$T_TMP/small" 2>/dev/null || umount -l "$T_TMP/small"; fi
    rm -rf "$T_TMP"
}
t_cleanup() { crash_cleanup; }
command -v sqlite3 >/dev/null 2>&1 || { t_bad "sqlite3" "the sqlite3 command is missing"; t_done; exit 1; }

# A random duration in seconds for sleep: 0..max_ms milliseconds.
rand_sleep() {
    local ms=$(( (RANDOM * 32768 + RANDOM) % ($1 + 1) ))
    printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

# PRAGMA integrity_check of a store ("ok" or what is wrong).
integrity() { sqlite3 "$1/field.db" 'PRAGMA integrity_check' 2>&1 | head -5 | tr '\n' ' ' | sed 's/ $//'; }

# The rev `xiaoan visits --json` lists for visit $3 in home $1.
cli_rev() {
    "$XA" visits --json --home "$1" --passphrase-file "$2" 2>&1 |
        grep -A3 "\"id\": \"$3\"" | sed -n 's/.*"rev": \([0-9]*\).*/\1/p' | head -1
}

# ---- kill -9 while the store saves ----------------------------------------

store_trials() {
    local H=$T_TMP/store P=$T_TMP/pass id i
    mkdir -p "$H"
    echo "crash test passphrase 崩溃" >"$P"
    id=$("$SAVER" init "$H" "$P") || { t_bad "store: init" "$id"; return; }
    local kack=0 sid="" seq="" fails=0 during_open=0 saves_total=0 t0=$SECONDS
    for ((i = 1; i <= TRIALS; i++)); do
        local out=$T_TMP/save.out err=$T_TMP/save.err delay pid rc when
        delay=$(rand_sleep "$KILL_MS")
        "$SAVER" save "$H" "$P" "$id" >"$out" 2>"$err" &
        pid=$!
        # One trial in eight kills at a random moment from the start (most
        # land while unlocking); the others once saving has begun.
        when="after start"
        if [ $((RANDOM % 8)) -ne 0 ]; then
            when="into saving"
            local w=0
            while ! grep -q '^start ' "$out" 2>/dev/null && [ $w -lt 600 ] &&
                kill -0 "$pid" 2>/dev/null; do
                sleep 0.02; w=$((w + 1))
            done
        fi
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        rc=$?
        local n0=$kack last sl why=""
        last=$(grep '^saved ' "$out" | tail -1 | cut -d' ' -f2)
        [ -n "$last" ] && kack=$last
        sl=$(grep '^sealed ' "$out" | tail -1)
        if [ -n "$sl" ]; then
            sid=$(echo "$sl" | cut -d' ' -f2)
            seq=$(echo "$sl" | cut -d' ' -f3)
        fi
        grep -q '^start ' "$out" || during_open=$((during_open + 1))
        # kack is "k" (a whole save) or "k.j" (the j-th answer journaled after it)
        saves_total=$((saves_total + ${kack%%.*} - ${n0%%.*}))
        [ "$rc" -eq 137 ] || why="the saver was not killed but exited $rc: $(head -c 300 "$err")"
        local ic found=""
        ic=$(integrity "$H")
        [ -z "$why" ] && [ "$ic" != ok ] && why="integrity_check: $ic"
        if [ -z "$why" ]; then
            found=$("$SAVER" check "$H" "$P" "$id" "$kack" $sid $seq 2>&1) || why="$found"
        fi
        if [ -z "$why" ] && [ $((i % CLI_EVERY)) -eq 0 ]; then
            local k rev want
            k=$(echo "$found" | cut -d' ' -f2)
            k=${k%%.*}
            want=$(echo "$found" | cut -d' ' -f4)
            rev=$(cli_rev "$H" "$P" "$id")
            [ "$rev" = "$want" ] || why="xiaoan visits --json lists rev '$rev', the store holds k=$k (rev $want)"
        fi
        echo "store trial $i: kill ${delay}s $when, acknowledged $kack${sid:+ (sealed $seq)}: ${why:-$found}" >>"$LOG"
        if [ -n "$why" ]; then
            fails=$((fails + 1))
            t_bad "store trial $i (seed $SEED, kill ${delay}s $when, acknowledged save $kack)" "$why"
            cp -r "$H" "$T_TMP/../xiaoan-crash-failed-$SEED-$i" 2>/dev/null &&
                echo "     kept the store in ${TMPDIR:-/tmp}/xiaoan-crash-failed-$SEED-$i"
            [ $fails -ge 5 ] && { t_bad "store trials" "stopping after 5 failures"; break; }
        else
            local f=($found)
            t_ok "store trial $i: killed ${delay}s $when; save $kack acknowledged, the store has save ${f[1]} (rev ${f[3]}), ${f[5]} sealed"
        fi
    done
    echo "store trials: $TRIALS in $((SECONDS - t0)) s, $saves_total acknowledged saves, $during_open killed while unlocking, $fails failed"
}

# ---- the disk full while saving -------------------------------------------

diskfull_trials() {
    local P=$T_TMP/pass out
    echo "crash test passphrase 崩溃" >"$P"
    # A 2 MiB tmpfs (real ENOSPC) when we may mount one.
    local M=$T_TMP/small
    mkdir -p "$M"
    if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2m,mode=0700 xiaoan-crash "$M" 2>/dev/null; then
        mkdir -p "$M/home"
        out=$("$SAVER" diskfull "$M/home" "$P" "$M/filler" 2>&1)
        local rc=$? ic
        ic=$(integrity "$M/home")
        echo "$out" | sed 's/^/     /'
        if [ $rc -eq 0 ] && [ "$ic" = ok ]; then
            t_ok "disk full (tmpfs, ENOSPC): clear message, nothing lost, saved again"
        else
            t_bad "disk full (tmpfs, ENOSPC)" "exit $rc, integrity: $ic"
        fi
        local rev
        rev=$(cli_rev "$M/home" "$P" "$(sqlite3 "$M/home/field.db" 'SELECT id FROM visits LIMIT 1' 2>/dev/null)")
        [ -n "$rev" ] && t_ok "disk full (tmpfs): xiaoan visits lists the visit (rev $rev)" ||
            t_bad "disk full (tmpfs): xiaoan visits lists the visit"
        umount "$M" 2>/dev/null || umount -l "$M"
    else
        t_skip "disk full on a small tmpfs" "cannot mount a tmpfs here (not root?)"
    fi
    # RLIMIT_FSIZE: EFBIG (SIGXFSZ ignored by the driver).
    mkdir -p "$T_TMP/fsize"
    out=$("$SAVER" diskfull "$T_TMP/fsize" "$P" fsize:200000 2>&1)
    local rc=$? ic
    ic=$(integrity "$T_TMP/fsize")
    echo "$out" | sed 's/^/     /'
    if [ $rc -eq 0 ] && [ "$ic" = ok ]; then
        t_ok "file-size limit (EFBIG): clear message, nothing lost, saved again"
    else
        t_bad "file-size limit (EFBIG)" "exit $rc, integrity: $ic"
    fi
}

# ---- kill -9 while the TUI saves typed text --------------------------------

# The item screen of GN-02 with the cursor in the note, on a new workspace.
tui_to_note() {
    tui_workspace || return 1
    tui_start 80 24
    tui_wait "检查任务" 10 || { t_bad "tui: home" "$SCREEN"; return 1; }
    tui_keys n; tui_type ldqsyxx
    tui_wait "莲都区实验小学" || { t_bad "tui: picker" "$SCREEN"; return 1; }
    tui_keys Enter
    tui_wait "不用陪同接待" || { t_bad "tui: visit start" "$SCREEN"; return 1; }
    tui_keys F2
    tui_wait "GN-01" || { t_bad "tui: checklist" "$SCREEN"; return 1; }
    tui_keys 1
    tui_wait "已保存 ✓" || { t_bad "tui: first answer saved" "$SCREEN"; return 1; }
    tui_keys Enter
    tui_wait "本项隐患" || { t_bad "tui: item screen" "$SCREEN"; return 1; }
    tui_keys Tab
    return 0
}

# The highest token x0000..x9999 on the screen text $1 (empty if none).
max_token() { echo "$1" | grep -o 'x[0-9]\{4\}' | sort | tail -1; }

tui_trials() {
    if ! command -v tmux >/dev/null 2>&1; then
        t_skip "TUI kill -9 trials" "tmux is not installed"
        return
    fi
    if [ ! -x "$BUILD_DIR/tests/test_tui" ]; then
        t_skip "TUI kill -9 trials" "$BUILD_DIR/tests/test_tui (the brief fixture) is missing"
        return
    fi
    # tui.inc wants T_TMP, XA and XIAOAN_BUILD; it defines tui_* and t_screen.
    export XIAOAN_BUILD=$BUILD_DIR
    . "$(dirname "${BASH_SOURCE[0]}")/../tui/tui.inc"
    t_cleanup() { tui_stop; crash_cleanup; }
    local i fails=0 t0=$SECONDS shown_total=0
    for ((i = 1; i <= TUI_TRIALS; i++)); do
        local base=$T_TMP
        T_TMP=$base/tui$i
        mkdir -p "$T_TMP"
        if ! tui_to_note; then
            fails=$((fails + 1)); tui_stop; T_TMP=$base; continue
        fi
        # Type tokens in bursts with pauses (so the idle save fires at
        # random points), watching the screen; kill -9 at a random moment.
        local typed="" n=0 saved_tok="" until_ms=$(( (RANDOM * 32768 + RANDOM) % 4000 + 300 ))
        local start_ms=$(( $(date +%s%3N) )) screen tok
        while :; do
            local burst=$((RANDOM % 6 + 1)) j
            for ((j = 0; j < burst; j++)); do
                n=$((n + 1))
                local t
                t=$(printf 'x%04d' "$n")
                case $((RANDOM % 3)) in
                    0) t="$t门卫" ;;
                    1) t="$t，" ;;
                    *) t="$t " ;;
                esac
                typed="$typed$t"
                tui_type "$t"
            done
            sleep "$(rand_sleep 450)"
            screen=$(tui_screen)
            [ -n "${CRASH_DEBUG:-}" ] && echo "$screen" | sed -n '1p;10p' >&2
            if [[ "$screen" == *"已保存 ✓"* ]]; then
                tok=$(max_token "$screen")
                [ -n "$tok" ] && saved_tok=$tok
            fi
            [ $(( $(date +%s%3N) - start_ms )) -ge "$until_ms" ] && break
        done
        # The very last look, then the kill.
        screen=$(tui_screen)
        if [[ "$screen" == *"已保存 ✓"* ]]; then
            tok=$(max_token "$screen")
            [ -n "$tok" ] && saved_tok=$tok
        fi
        local pid
        pid=$(tui_pid)
        kill -9 "$pid" 2>/dev/null
        sleep 0.2
        tui_stop
        local ic dump note why=""
        ic=$(integrity "$H")
        [ "$ic" = ok ] || why="integrity_check: $ic"
        dump=$("$SAVER" dump "$H" "$P" 2>&1) || why="${why:+$why; }the drafts do not decrypt: $dump"
        # The note: the one string in the dump holding our tokens.
        note=$(echo "$dump" | grep -o '"x[0-9][0-9][0-9][0-9][^"]*"' | head -1 | sed 's/^"//; s/"$//')
        if [ -z "$why" ] && [ -n "$saved_tok" ] && [[ "$note" != *"$saved_tok"* ]]; then
            why="the screen showed '$saved_tok' as saved, the store's note is '${note:0:80}…'"
        fi
        if [ -z "$why" ] && [ -n "$note" ] && [[ "$typed" != "$note"* ]]; then
            why="the store's note is not a prefix of what was typed: '${note:0:80}…'"
        fi
        echo "tui trial $i: kill after ${until_ms}ms, typed $n tokens, shown saved ${saved_tok:-none}, stored ${#note} chars: ${why:-ok}" >>"$LOG"
        if [ -n "$why" ]; then
            fails=$((fails + 1))
            t_bad "tui trial $i (seed $SEED)" "$why"
        else
            t_ok "tui trial $i: killed after ${until_ms} ms and $n tokens; shown saved up to ${saved_tok:-nothing yet}, the store has ${#note} chars"
            [ -n "$saved_tok" ] && shown_total=$((shown_total + 1))
        fi
        rm -rf "$T_TMP"
        T_TMP=$base
        [ $fails -ge 5 ] && { t_bad "tui trials" "stopping after 5 failures"; break; }
    done
    echo "tui trials: $TUI_TRIALS in $((SECONDS - t0)) s, $shown_total with text shown as saved before the kill, $fails failed"
    [ "${CRASH_DISKFULL:-1}" = 1 ] && tui_diskfull
}

# The disk full under the TUI: a workspace on a small tmpfs, the rest of the
# disk filled while the cursor is in a note; typing must give "保存失败!"
# and the reason, the program keeps running, and once space is back the
# idle save goes through (and the message goes); after kill -9 the note is
# in the store.
tui_diskfull() {
    local base=$T_TMP M=$T_TMP/small
    mkdir -p "$M"
    if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=4m,mode=0700 xiaoan-crash "$M" 2>/dev/null; then
        t_skip "TUI on a full disk" "cannot mount a tmpfs here (not root?)"
        return
    fi
    T_TMP=$M
    if tui_to_note; then
        dd if=/dev/zero of="$M/filler" bs=4k >/dev/null 2>&1
        local i failed="" tok=""
        for ((i = 1; i <= 60; i++)); do
            tok=$(printf 'x%04d' "$i")
            tui_type "$tok$(printf '%0300d' 0 | tr 0 a)"
            if tui_wait "保存失败" 1; then failed=$i; break; fi
        done
        if [ -n "$failed" ]; then
            t_ok "TUI on a full disk: the screen says 保存失败! (after $failed bursts)"
        else
            t_bad "TUI on a full disk: the screen says 保存失败!" "$(tui_screen | head -3)"
        fi
        if [[ "$SCREEN" == *"磁盘"* || "$SCREEN" == *"disk full"* ]]; then
            t_ok "TUI on a full disk: the screen says why (disk full)"
        else
            t_bad "TUI on a full disk: the screen says why" "no 'disk full' on the screen:
$SCREEN"
        fi
        sleep 0.5
        tui_dead && t_bad "TUI on a full disk: keeps running" || t_ok "TUI on a full disk: keeps running"
        rm -f "$M/filler"
        if tui_wait "已保存 ✓" 5; then
            t_ok "TUI on a full disk: space back, the idle save goes through"
            sleep 0.3
            SCREEN=$(tui_screen)
            [[ "$SCREEN" == *"disk full"* ]] &&
                t_bad "TUI on a full disk: the message goes once saving works" "$(echo "$SCREEN" | tail -2)" ||
                t_ok "TUI on a full disk: the message goes once saving works"
        else
            t_bad "TUI on a full disk: space back, the idle save goes through" "$(tui_screen | head -1)"
        fi
        local pid note
        pid=$(tui_pid)
        kill -9 "$pid" 2>/dev/null
        sleep 0.2
        tui_stop
        note=$("$SAVER" dump "$H" "$P" 2>&1 | grep -o '"x0001[^"]*"')
        [[ "$note" == *"$tok"* ]] && t_ok "TUI on a full disk: after kill -9 the note is whole ($tok)" ||
            t_bad "TUI on a full disk: after kill -9 the note is whole" "$tok missing"
        local ic
        ic=$(integrity "$H")
        [ "$ic" = ok ] && t_ok "TUI on a full disk: integrity_check ok" || t_bad "TUI on a full disk: integrity_check" "$ic"
    fi
    tui_stop
    umount "$M" 2>/dev/null || umount -l "$M"
    T_TMP=$base
}

[ "$TRIALS" -gt 0 ] && store_trials
[ "${CRASH_DISKFULL:-1}" = 1 ] && diskfull_trials
[ "$TUI_TRIALS" -gt 0 ] && tui_trials
t_done
