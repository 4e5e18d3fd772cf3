# tests/cli/i18n.sh — the command line speaks the user's language: Chinese
# when the locale is Chinese (LANG=zh_CN.UTF-8, whether or not the machine
# has that locale generated), with XIAOAN_LANG=zh or --lang zh; English
# otherwise.  The catalog is po/zh_CN.po compiled by msgfmt at build time.
. "$(dirname "$0")/../lib/t.sh"

unset XIAOAN_HOME XIAOAN_STORE XIAOAN_PASSPHRASE_FILE XIAOAN_LANG LANGUAGE
H=$T_TMP/nohome

t_run "English by default" 1 env LANG=C.UTF-8 LC_ALL= "$XA" visits --home "$H"
t_eq "English message" "$ERR" "xiaoan: no field store in $H: run 'xiaoan init --name NAME' first"
t_run "Chinese locale" 1 env LC_ALL= LANG=zh_CN.UTF-8 "$XA" visits --home "$H"
t_eq "Chinese message in a Chinese locale" "$ERR" "xiaoan: $H 中没有检查员数据库：请先运行“xiaoan init --name 姓名”"
t_run "XIAOAN_LANG=zh" 1 env LANG=C.UTF-8 LC_ALL= XIAOAN_LANG=zh "$XA" visits --home "$H"
t_has "XIAOAN_LANG=zh gives Chinese" "$ERR" "中没有检查员数据库"
t_run "XIAOAN_LANG=en in a Chinese locale" 1 env LC_ALL= LANG=zh_CN.UTF-8 XIAOAN_LANG=en "$XA" visits --home "$H"
t_has "XIAOAN_LANG=en gives English" "$ERR" "no field store"
t_run "unknown command in Chinese" 2 env LC_ALL= LANG=zh_CN.UTF-8 "$XA" frobnicate
t_eq "unknown command message" "$ERR" "xiaoan: 未知命令“frobnicate”（见 xiaoan --help）"
t_run "no central store in Chinese" 2 env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central ledger
t_has "central store message in Chinese" "$ERR" "没有中心库"

# A wrong passphrase, and a file that is not for this inspector, in Chinese.
P=$T_TMP/pass W=$T_TMP/wrong
echo "correct horse battery" >"$P"; echo "not it at all, no" >"$W"
"$XA" init --name 张三 --kdf interactive --home "$T_TMP/h" --passphrase-file "$P" >/dev/null 2>&1
t_run "wrong passphrase" 1 env LC_ALL= LANG=zh_CN.UTF-8 "$XA" visits --home "$T_TMP/h" --passphrase-file "$W"
t_eq "wrong passphrase in Chinese" "$ERR" "xiaoan: 口令错误"
t_done
