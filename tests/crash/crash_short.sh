# tests/crash/crash_short.sh — the short crash test of `make check` (well
# under a minute): eight kill -9 trials on the field store, the disk full
# under the store (tmpfs and file-size limit) and under the TUI, and one
# kill -9 of the TUI in tmux.  The full run is `make crashtest`
# (tests/crash/crash.bash, docs/crashtest.md).
export TRIALS=${CRASH_SHORT_TRIALS:-8} TUI_TRIALS=${CRASH_SHORT_TUI_TRIALS:-1}
export CRASH_KILL_MS=${CRASH_KILL_MS:-600} CRASH_CLI_EVERY=${CRASH_CLI_EVERY:-5}
exec bash "$(dirname "$0")/crash.bash"
