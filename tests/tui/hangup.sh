# tests/tui/hangup.sh — SIGHUP (SSH dropped), SIGTERM and a terminal that
# disappears (the pane closed) while a note is being typed: the text is
# saved and the program exits at once instead of spinning.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

tui_workspace || { t_done; exit 1; }

# Open a new visit's second item note, type without waiting for the save.
open_note() {
    tui_start 80 24
    if [ -n "${2:-}" ]; then
        # Resume: the draft opens where it was left (the item screen).
        t_screen "$1: draft reopened" "检查项 GN-02"
    else
        t_screen "$1: home" "检查任务 (1)"
        tui_keys n; tui_type ldqsyxx; tui_keys Enter
        t_screen "$1: visit start" "不用陪同接待"
        tui_keys F2
        t_screen "$1: checklist" "GN-01"
        tui_keys Down Enter
        t_screen "$1: item" "检查项 GN-02"
    fi
    tui_keys Tab C-e
}

# Wait until pid has exited (at most 3 s); 0 when it did.  A zombie has
# exited too: tmux does not always reap its panes at once.
gone() {
    local i=0 st
    while [ $i -lt 60 ]; do
        st=$(ps -o stat= -p "$1" 2>/dev/null)
        case "$st" in "" | Z*) return 0 ;; esac
        sleep 0.05; i=$((i + 1))
    done
    return 1
}

open_note "hup"
tui_type "挂断前输入"
pid=$(tui_pid)
kill -HUP "$pid"
gone "$pid" && t_ok "SIGHUP: exits" || { t_bad "SIGHUP: exits"; kill -9 "$pid"; }

open_note "after hup" resume
t_screen "SIGHUP: the text typed before was saved" "挂断前输入"
tui_type "终止前"
pid=$(tui_pid)
kill -TERM "$pid"
gone "$pid" && t_ok "SIGTERM: exits" || { t_bad "SIGTERM: exits"; kill -9 "$pid"; }

open_note "after term" resume
t_screen "SIGTERM: saved" "挂断前输入终止前"
tui_type "断线前"
pid=$(tui_pid)
# The terminal goes away (like an SSH session dropping): kill the tmux server.
$TM kill-server
gone "$pid" && t_ok "lost terminal: exits" || { t_bad "lost terminal: exits (still running)"; ps -o pid,stat,pcpu,cmd -p "$pid"; kill -9 "$pid"; }

open_note "after lost terminal" resume
t_screen "lost terminal: saved" "挂断前输入终止前断线前"
tui_keys C-q
t_exits "Ctrl-Q quits"

# A terminal that goes away without any SIGHUP (the program runs in a
# session of its own, so only reads fail): it must notice and leave.
tui_stop
$TM new-session -d -x 80 -y 24 \
    "setsid -w env LANG=C.UTF-8 TERM=tmux-256color '$XA' --home '$H' --passphrase-file '$P'; sleep 60"
t_screen "no-HUP: draft reopened" "检查项 GN-02"
tui_keys Tab C-e
tui_type "无信号"
t_screen "no-HUP: typed" "断线前无信号"
pid=$(pgrep -f "xiaoan --home $H --passphrase-file" | head -1)
$TM kill-server
gone "$pid" && t_ok "no-HUP lost terminal: exits" || { t_bad "no-HUP lost terminal: exits (still running)"; ps -o pid,stat,pcpu,cmd -p "$pid"; kill -9 "$pid"; }

open_note "after the no-HUP loss" resume
t_screen "no-HUP lost terminal: saved" "断线前无信号"
pid=$(tui_pid)
# A terminal that stays but returns errors must not spin: the CPU time of
# an idle minute's fraction stays tiny.
sleep 1
cpu=$(ps -o time= -p "$pid" | tr -d ' :')
t_eq "idle: no busy loop" "$((10#${cpu:-0} < 2))" 1
tui_keys C-q
gone "$pid" && t_ok "Ctrl-Q quits" || t_bad "Ctrl-Q quits"
tui_done
