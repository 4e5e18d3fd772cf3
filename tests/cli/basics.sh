# tests/cli/basics.sh — the command table: --help, --version, help CMD,
# unknown commands and options.
. "$(dirname "$0")/../lib/t.sh"

t_run "--version exits 0" 0 "$XA" --version
t_has "--version prints the version" "$OUT" "xiaoan 0."
t_run "--help exits 0" 0 "$XA" --help
t_has "--help lists commands" "$OUT" "commands:"
t_has "--help lists help" "$OUT" "help [COMMAND]"
t_run "help help" 0 "$XA" help help
t_has "help help shows usage" "$OUT" "usage: xiaoan help"
t_run "unknown command exits 2" 2 "$XA" frobnicate
t_eq "unknown command message" "$ERR" "xiaoan: unknown command 'frobnicate' (see xiaoan --help)"
t_run "help of unknown command exits 2" 2 "$XA" help frobnicate
t_run "unknown option exits 2" 2 "$XA" --frobnicate
t_has "unknown option is one line" "$ERR" "xiaoan: unknown option '--frobnicate'"

# ---- help is generated from the command entries: it cannot drift ---------------
t_run "help demo" 0 "$XA" help demo
for o in --no-tui --roster --forms --lang; do t_has "help demo lists $o" "$OUT" "$o"; done
t_run "help init" 0 "$XA" help init
t_has "init's synopsis has --home" "$OUT" "[--home DIR]"
t_has "init's synopsis has --passphrase-file" "$OUT" "[--passphrase-file FILE]"
t_has "init's synopsis has --name as required" "$OUT" "usage: xiaoan init --name NAME"
t_run "init --help is help init" 0 "$XA" init --help
t_eq "CMD --help and help CMD agree" "$OUT" "$("$XA" help init)"
t_run "help of a two-word command" 0 "$XA" help central merge
t_has "help central merge" "$OUT" "usage: xiaoan central merge"
t_has "an office command lists --store" "$OUT" "--store FILE"
t_run "help of a command with extra words exits 2" 2 "$XA" help central merge now
# every command of the overview answers --help with its own usage line, exit 0
"$XA" --help | sed -n 's/^  \([a-z][a-z -]*[a-z]\)\( \[\|\s\s\| --\| [A-Z]\|$\).*/\1/p' >"$T_TMP/names"
n=0
while read -r name; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    out=$("$XA" $name --help 2>&1); rc=$?
    case "$out" in "usage: xiaoan $name"*) [ $rc -eq 0 ] && t_ok "$name --help" || t_bad "$name --help" "exit $rc" ;;
        *) t_bad "$name --help" "$(printf '%s' "$out" | head -1)" ;; esac
done <"$T_TMP/names"
[ "$n" -ge 25 ] && t_ok "the overview lists every command ($n)" || t_bad "the overview lists every command" "only $n"

# ---- one parser: the same messages for every command -------------------------
t_run "an option without its value" 2 "$XA" central ledger --state
t_eq "needs a value: one line" "$ERR" "xiaoan: option '--state' needs a value (see xiaoan central ledger --help)"
t_run "a required option missing" 2 "$XA" central brief -o x.xbrief
t_eq "required option: one line" "$ERR" "xiaoan: central brief needs --inspector FINGERPRINT (see xiaoan central brief --help)"
t_run "a missing operand" 2 "$XA" roster check
t_eq "missing operand: one line" "$ERR" "xiaoan: roster check needs FILE (see xiaoan roster check --help)"
t_run "a bad choice" 2 "$XA" demo --lang fr --no-tui
t_eq "bad choice: one line" "$ERR" "xiaoan: --lang takes zh or en, not 'fr' (see xiaoan demo --help)"
t_run "the same choice for the TUI" 2 "$XA" --lang fr
t_eq "tui bad choice: one line" "$ERR" "xiaoan: --lang takes zh or en, not 'fr' (see xiaoan --help)"
t_run "an office command without a store" 2 env -u XIAOAN_STORE "$XA" central inspectors
t_eq "no store: one line" "$ERR" "xiaoan: no central store: give --store FILE or set XIAOAN_STORE"
# every field command says the same when there is no field store
printf 'x\n' >"$T_TMP/pass"
for cmd in "visits" "export" "passwd" "brief import $T_TMP/none.xbrief"; do
    # shellcheck disable=SC2086
    t_run "$cmd without a field store exits 1" 1 "$XA" $cmd --home "$T_TMP/nohome" --passphrase-file "$T_TMP/pass"
    t_eq "$cmd: the one message" "$ERR" "xiaoan: no field store in $T_TMP/nohome: run 'xiaoan init --name NAME' first"
done
t_done
