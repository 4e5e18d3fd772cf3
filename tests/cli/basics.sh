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
t_done
