# tests/tui/passphrase.sh — a new passphrase typed at a real terminal: a weak
# one (fewer than 10 characters, or a common one) is named as weak and must be
# confirmed with "yes"; anything else cancels and nothing is created.
. "$(dirname "$0")/../lib/t.sh"
. "$(dirname "$0")/tui.inc"

# Run `xiaoan init` in the tmux pane (no passphrase file: it asks), in Chinese.
init_in_pane() {
    tui_stop
    $TM new-session -d -x 100 -y 20 \
        "exec env LANG=C.UTF-8 XIAOAN_LANG=zh XIAOAN_PASSPHRASE_FILE= '$XA' init --name 张三 --kdf interactive --home '$1'" \; \
        set-option -g remain-on-exit on 2>/dev/null
}

init_in_pane "$T_TMP/h1"
t_screen "asks for a new passphrase" "新口令"
tui_type "abc12"; tui_keys Enter
t_screen "asks again" "再输一次"
tui_type "abc12"; tui_keys Enter
t_screen "says why it is weak" "少于 10 个字符"
t_screen "asks to confirm" "输入 yes 确认"
tui_type "no"; tui_keys Enter
t_screen "refusing cancels" "未确认使用弱口令"
[ ! -e "$T_TMP/h1/identity.key" ] && [ -z "$(ls -A "$T_TMP/h1" 2>/dev/null | grep -v '^tui.log$' | grep -v '^\.lock$')" ] &&
    t_ok "nothing was created" || t_bad "nothing was created" "$(ls -la "$T_TMP/h1" 2>&1)"

init_in_pane "$T_TMP/h2"
t_screen "asks again for the next one" "新口令"
tui_type "password"; tui_keys Enter
tui_wait "再输一次" 5
tui_type "password"; tui_keys Enter
t_screen "a common password is named" "常见口令"
tui_type "yes"; tui_keys Enter
t_screen "confirmed: the identity is made" "fingerprint"

init_in_pane "$T_TMP/h3"
tui_wait "新口令" 5
tui_type "云和梯田的雾很大很大"; tui_keys Enter
tui_wait "再输一次" 5
tui_type "云和梯田的雾很大很大"; tui_keys Enter
t_screen "a strong one goes straight through" "fingerprint"
case "$(tui_screen)" in *"警告"*) t_bad "no warning for a strong passphrase" "$(tui_screen)" ;; *) t_ok "no warning for a strong passphrase" ;; esac
tui_done
