# tests/cli/i18n.sh — the command line speaks the user's language: Chinese
# when the locale is Chinese (LANG=zh_CN.UTF-8, whether or not the machine
# has that locale generated), with XIAOAN_LANG=zh or --lang zh; English
# otherwise.  The catalog is po/zh_CN.po compiled by msgfmt at build time.
. "$(dirname "$0")/../lib/t.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

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
t_eq "wrong passphrase in Chinese, and what to do" "$ERR" \
    "xiaoan: 口令错误：请核对后重试；忘记口令无法找回：请用新的 --home 运行“xiaoan init”，并请安全科重新登记（本文件夹中未导出的检查记录将无法打开）"
t_run "wrong passphrase in English" 1 env LC_ALL= LANG=C.UTF-8 "$XA" visits --home "$T_TMP/h" --passphrase-file "$W"
t_has "wrong passphrase in English says what to do" "$ERR" "ask the office to enrol you again"
t_run "nothing to export, in Chinese" 0 env LC_ALL= LANG=zh_CN.UTF-8 "$XA" export --home "$T_TMP/h" --passphrase-file "$P"
t_has "nothing to export says what to do" "$OUT" "没有需要导出的检查：请先在检查界面封存检查"

# ---- every command's output, on a demo workspace with a history ----------------
D=$T_TMP/demo
"$XA" demo "$D" --no-tui >/dev/null 2>&1 || t_bad "demo workspace" "xiaoan demo failed"
S=$D/office.db HM=$D/home PD=$D/passphrase.txt
V=$("$XA" central visits --store "$S" --format csv | sed -n 2p | cut -d, -f1)
HZ=$("$XA" central ledger --store "$S" --format csv | sed -n 2p | cut -d, -f1)
# Form ids are ids (general-4n2d, fire, …): allowed in any language.
FORMIDS=$(ls "$ROOT"/forms/*.csv | xargs -n1 basename | sed 's/\.csv$//' | tr '\n' ' ')

# The English words left in a text once what is not prose is taken out: paths,
# the command words after "xiaoan", options, hex ids, fingerprints, codes
# (GN-01, 莲都-2026-0001, deadline.general, four-not-two-direct), upper-case
# names (CSV, PDF, UTF-8), numbers, file kinds and the form ids.
english_words() {
    FORMIDS="$FORMIDS" perl -CSD -pe '
        my $b = "(?<![A-Za-z0-9])"; my $e = "(?![A-Za-z0-9])";   # ASCII word edges
        s{[^\s（）“”]*/[^\s（）“”]*}{ }g; s/(?:xiaoan|central)( [a-z-]+)*/ /g; s/(?<![A-Za-z0-9])--?[a-z][a-z-]*/ /g;
        s/${b}[0-9a-f]{6,}$e/ /g; s/${b}[A-Za-z0-9]+(?:[-_.][A-Za-z0-9_]+)+$e/ /g;
        s/${b}[A-Z][A-Z0-9]+$e/ /g; s/${b}[0-9]+[A-Za-z]*$e/ /g;
        s/${b}(?:age|zstd|xab|xbrief|MB|KB|MiB)$e/ /g;
        for my $f (split / /, $ENV{FORMIDS}) { s/${b}\Q$f\E$e/ /g }' |
        grep -oE '[A-Za-z]{2,}' | sort -u | tr '\n' ' '
}
# CJK characters in a text.
cjk() { perl -CSD -ne 'print "$1 " while /(\p{Han}+)/g'; }

# zh_run NAME CMD...: in a Chinese locale, the output (stdout and stderr) of
# a command has no English words but ids, paths, codes and the command line's own words.
zh_run() {
    local name=$1; shift
    local out
    out=$(env LC_ALL= LANG=zh_CN.UTF-8 XIAOAN_LANG= "$XA" "$@" 2>&1)
    t_eq "zh: $name has no English" "$(printf '%s\n' "$out" | english_words)" ""
}
zh_run "visits" visits --home "$HM" --passphrase-file "$PD"
zh_run "export" export --home "$HM" --passphrase-file "$PD" -o "$D/bundles/zhangming"
zh_run "central inspectors" central inspectors --store "$S"
zh_run "central schools" central schools --store "$S"
zh_run "central forms" central forms --store "$S"
zh_run "central visits" central visits --store "$S"
zh_run "central visit" central visit --store "$S" "$V"
zh_run "central ledger" central ledger --store "$S"
zh_run "central ledger overdue" central ledger --store "$S" --state overdue
zh_run "central assignments" central assignments --store "$S"
zh_run "central report" central report --store "$S"
zh_run "central hazard" central hazard --store "$S" "$HZ"
zh_run "central settings" central settings --store "$S" deadline.major
zh_run "forms check" forms check "$ROOT/forms"
zh_run "roster check" roster check "$ROOT/docs/examples/roster.csv"

# The problems found in a roster or in forms, in Chinese: the office reads them
# when it loads the schools or edits a checklist (column names and the CSV's
# own values stay as they are in the file).
BR=$T_TMP/badroster.csv
{ head -3 "$ROOT/docs/examples/roster.csv"
  echo '3311020001,重复小学,莲都区,小学,否,是,是,否,100,,,,,,,'
  echo '3311020099,某小学,火星区,大学,也许,是,是,否,abc,5,123,,,超级,,拼音'
  echo '3311020098,某中学,莲都区,初中'; } >"$BR"
t_run "roster problems in Chinese" 1 env LC_ALL= LANG=zh_CN.UTF-8 XIAOAN_LANG= "$XA" roster check "$BR"
t_has "duplicate school code in Chinese" "$ERR" "badroster.csv:4:1: 学校代码“3311020001”重复（第一次出现在第 3 行）"
t_has "unknown county in Chinese" "$ERR" "未知的县（市、区）“火星区”"
t_has "unknown school type in Chinese" "$ERR" "未知的学校类型“大学”"
t_has "students not a number in Chinese" "$ERR" "学生数“abc”不是 0 到"
t_has "school id in Chinese" "$ERR" "school_id“123”不是学校标识码（应为 10 位数字）"
t_has "short row in Chinese" "$ERR" "badroster.csv:6:5: 此行有 4 个字段，但表头有 16 个"
t_has "the count in Chinese" "$ERR" "中有 10 处问题"
t_lacks "no English problem text" "$ERR" "unknown"
t_run "roster problems in English" 1 env LC_ALL= LANG=C.UTF-8 XIAOAN_LANG= "$XA" roster check "$BR"
t_has "duplicate school code in English" "$ERR" "duplicate school code '3311020001' (first on line 3)"
t_has "short row in English" "$ERR" "row has 4 fields but the header has 16"
BF=$T_TMP/badforms
cp -r "$ROOT/forms" "$BF"
printf '燃气管理,GS-99,check,燃气,Gas,致命,《城镇燃气管理条例》,,,,,,,\nx,y\n' >>"$BF/gas.csv"
t_run "forms problems in Chinese" 1 env LC_ALL= LANG=zh_CN.UTF-8 XIAOAN_LANG= "$XA" forms check "$BF"
t_has "unknown severity in Chinese" "$ERR" "未知的隐患等级“致命”（general、major、advice、一般、重大或建议）"
t_has "short row of a form in Chinese" "$ERR" "此行有 2 个字段，但表头有 14 个"
t_lacks "no English in the forms problems" "$ERR" "severity '"
cp "$ROOT/forms/gas.csv" "$BF/gas.csv"
sed -i 's/^\(燃气管理,GS-01,check,[^,]*\),/\1（原文未见）,/' "$BF/gas.csv"
t_run "an editor's note in an item, in Chinese" 1 env LC_ALL= LANG=zh_CN.UTF-8 XIAOAN_LANG= "$XA" forms check "$BF"
t_has "the note is named in Chinese" "$ERR" "GS-01：text 中有编者注（“原文未”）"
zh_run "central visit of no visit" central visit --store "$S" 0123456789abcdef
zh_run "brief import of a missing file" brief import --home "$HM" --passphrase-file "$PD" "$T_TMP/none.xbrief"
zh_run "export to a missing folder" export --home "$HM" --passphrase-file "$PD" -o "$T_TMP/no/such"

# A brief written for someone else: "this brief is not for you" and what to do.
"$XA" central brief --store "$S" --passphrase-file "$PD" --inspector \
    "$("$XA" central inspectors --store "$S" | awk 'NR>1 && $2!="张明"{print $1; exit}')" -o "$T_TMP/other.xbrief" >/dev/null 2>&1
t_run "someone else's brief" 1 env LC_ALL= LANG=zh_CN.UTF-8 "$XA" brief import --home "$HM" --passphrase-file "$PD" "$T_TMP/other.xbrief"
t_has "it says the brief is not for you" "$ERR" "此检查任务单不是发给您的"
t_has "and what to do" "$ERR" "请向安全科索取"

# en_run NAME CMD...: in English, the messages and the table heads and
# counts have no Chinese; the rows between (school and inspector names,
# hazard texts, titles of the forms) are data and stay as they were typed.
en_heads() {
    local name=$1; shift
    local out
    out=$(env LC_ALL= LANG=C.UTF-8 XIAOAN_LANG=en "$XA" "$@" 2>&1)
    t_eq "en: $name head has no Chinese" "$(printf '%s\n' "$out" | head -1 | cjk)" ""
    [ "${COUNT:-}" ] && t_eq "en: $name count has no Chinese" "$(printf '%s\n' "$out" | tail -1 | cjk)" ""
}
en_heads "visits" visits --home "$HM" --passphrase-file "$PD"
en_heads "central inspectors" central inspectors --store "$S"
en_heads "central forms" central forms --store "$S"
COUNT=1 en_heads "central schools" central schools --store "$S"
COUNT=1 en_heads "central visits" central visits --store "$S"
t_has "en: central schools counts in English" "$(env LANG=C.UTF-8 "$XA" central schools --store "$S")" "70 schools"
t_has "en: central ledger counts in English" "$(env LANG=C.UTF-8 "$XA" central ledger --store "$S")" "hazards"
# central visit: every label (the first column) is English.
out=$(env LC_ALL= LANG=C.UTF-8 XIAOAN_LANG=en "$XA" central visit --store "$S" "$V")
t_eq "en: central visit labels have no Chinese" \
    "$(printf '%s\n' "$out" | sed -n '1,/^$/p' | perl -CSD -ne 'print "$1\n" if /^(\S[^ ]*(?: [^ ]+)*?)  /' | cjk)" ""
t_has "en: central visit says signature" "$out" "signature"
t_has "en: --lang en also works on central visit" \
    "$(env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central visit --store "$S" "$V" --lang en)" "record chain"
t_run "en: someone else's brief" 1 env LC_ALL= LANG=C.UTF-8 "$XA" brief import --home "$HM" --passphrase-file "$PD" "$T_TMP/other.xbrief"
t_eq "en: no Chinese in the message" "$(printf '%s' "$ERR" | cjk)" ""

# ---- central hazard, the ledger's heads and the report follow the language ----
out=$(env LC_ALL= LANG=C.UTF-8 XIAOAN_LANG= "$XA" central hazard --store "$S" "$HZ")
t_eq "en: central hazard labels have no Chinese" \
    "$(printf '%s\n' "$out" | sed -n '2,/^$/p' | cut -c1-30 | cjk)" ""
verbs=$(printf '%s\n' "$out" | sed -n '/^history$/,/^$/p' | perl -CSD -ne 'print "$1\n" if /^  \S+ \S+  (\S+(?: \S+)*?)  /')
t_has "en: central hazard history: found" "$verbs" "found"
t_eq "en: central hazard history verbs have no Chinese" "$(printf '%s\n' "$verbs" | cjk)" ""
t_has "en: central hazard says history" "$out" "attachments (central attachments writes them out)"
t_has "zh: central hazard in Chinese" "$(env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central hazard --store "$S" "$HZ")" "经过"
ZH_HEADS="隐患编号,发现日期,检查人,检查方式,区县,学校,部位,隐患描述,类别,等级,依据,整改要求,现场已采取措施,临时管控措施,责任人,整改期限,状态,通知书编号,通知日期,回复日期,复查日期,复查人,复查结论,最近复查说明,延期至,督办级别,逾期天数,销号日期,销号人"
t_eq "zh: the ledger CSV keeps the 隐患台账 heads" \
    "$(env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central ledger --store "$S" --format csv | head -1 | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')" "$ZH_HEADS"
t_eq "en: the ledger CSV heads are English" \
    "$(env LC_ALL= LANG=C.UTF-8 "$XA" central ledger --store "$S" --format csv | head -1 | cjk)" ""
t_has "en: the ledger CSV names the number" \
    "$(env LC_ALL= LANG=C.UTF-8 "$XA" central ledger --store "$S" --format csv | head -1)" "hazard number,found on"
t_eq "en: the ledger's domain words are English" \
    "$(env LC_ALL= LANG=C.UTF-8 "$XA" central ledger --store "$S" --state all --format csv | cut -d, -f4,10 | sort -u | cjk)" ""
t_eq "en: the text ledger head is English" \
    "$(env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central ledger --store "$S" --lang en | head -1 | cjk)" ""
PY=python3
for p in /usr/bin/python3 python3; do "$p" -c 'import openpyxl' 2>/dev/null && { PY=$p; break; }; done
if "$PY" -c 'import openpyxl' 2>/dev/null; then
    env LC_ALL= LANG=C.UTF-8 "$XA" central ledger --store "$S" --format xlsx -o "$T_TMP/en.xlsx" >/dev/null 2>&1
    env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central ledger --store "$S" --format xlsx -o "$T_TMP/zh.xlsx" >/dev/null 2>&1
    heads() { "$PY" -c 'import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.worksheets[0]
print(ws.title + ":" + ",".join(str(c.value) for c in ws[1]))' "$1"; }
    t_eq "en: the ledger workbook's sheet and heads are English" "$(heads "$T_TMP/en.xlsx" | cjk)" ""
    t_has "en: the ledger workbook's photos column" "$(heads "$T_TMP/en.xlsx")" "Hazard ledger:hazard number,"
    t_eq "zh: the ledger workbook is the 隐患台账" "$(heads "$T_TMP/zh.xlsx")" "隐患台账:$ZH_HEADS,照片"
else
    t_skip "ledger workbook heads" "python3-openpyxl not installed"
fi
# The period report: the same language choice as every command (it was Chinese
# whatever the locale); an explicit --lang still wins.
t_has "report in a Chinese locale is Chinese" "$(env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central report --store "$S")" "统计期间："
t_lacks "report in the C locale is English" "$(env LC_ALL= LANG=C.UTF-8 "$XA" central report --store "$S")" "统计期间："
t_has "report in the C locale says Period" "$(env LC_ALL= LANG=C.UTF-8 "$XA" central report --store "$S")" "Period: "
t_has "report --lang zh in the C locale is Chinese" "$(env LC_ALL= LANG=C.UTF-8 "$XA" central report --store "$S" --lang zh)" "统计期间："
t_has "report with XIAOAN_LANG=zh is Chinese" "$(env LC_ALL= LANG=C.UTF-8 XIAOAN_LANG=zh "$XA" central report --store "$S")" "统计期间："
t_has "report --lang en in a Chinese locale is English" "$(env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central report --store "$S" --lang en)" "Period: "

# ---- --help of every command, the groups and the overview, in both languages ----
# The command words, options, placeholders (FILE, DIR) and the values a user
# types (the choices a|b|c, key=3, the ledger's states, format names) stay as
# they are; everything else is Chinese in a Chinese locale and English in C.
HELP_VALUES="open rechecked overdue escalated closed all text csv json xlsx pdf Excel Argon2id"
help_words() {
    HELP_VALUES="$HELP_VALUES" perl -CSD -Mutf8 -0777 -pe '
        my %v = map { $_ => 1 } split / /, $ENV{HELP_VALUES};
        $v{$_} = 1 for map { split /\|/ } /(?<![A-Za-z0-9-])([a-z0-9-]+(?:\|[a-z0-9-]+)+)/g;
        $v{$_} = 1 for /(?<![A-Za-z])([a-z]+)=[0-9]/g;
        s/^  [a-z][a-z-]*(?: [a-z][a-z-]*)*//mg;   # the command column of an overview
        s/“[^”]*”/ /g;                              # a quoted literal: what is typed
        for my $w (keys %v) { s/(?<![A-Za-z0-9])\Q$w\E(?![A-Za-z0-9])/ /g }' | english_words
}
NAMES=$("$XA" --help | sed -n 's/^  \([a-z][a-z -]*[a-z]\)\( \[\|\s\s\| --\| [A-Z]\|$\).*/\1/p' | sed 's/ --.*//')
t_eq "every command is in the overview" "$(printf '%s\n' "$NAMES" | wc -l | tr -d ' ')" "$(printf '%s\n' "$NAMES" | sort -u | wc -l | tr -d ' ')"
zh_help() {
    local name=$1; shift
    local out
    out=$(env LC_ALL= LANG=zh_CN.UTF-8 XIAOAN_LANG= "$XA" "$@" 2>&1)
    t_eq "zh: $name has no English" "$(printf '%s\n' "$out" | help_words)" ""
}
en_help() {
    local name=$1; shift
    local out
    out=$(env LC_ALL= LANG=zh_CN.UTF-8 "$XA" "$@" --lang en 2>&1)
    # 校安办公室 is central init's default office name: a value, the same in both
    t_eq "en: $name has no Chinese" "$(printf '%s\n' "$out" | sed 's/校安办公室//' | cjk)" ""
}
zh_help "--help" --help
zh_help "help central" help central
en_help "--help" --help
while read -r name; do
    # shellcheck disable=SC2086
    zh_help "$name --help" $name --help
    # shellcheck disable=SC2086
    en_help "$name --help" $name --help
done <<EOF2
$NAMES
EOF2
t_run "central --help lists the office commands" 0 env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central --help
t_has "central --help: usage in Chinese" "$OUT" "用法：xiaoan central COMMAND [ARGS]"
t_has "central --help: a command and its help" "$OUT" "central ledger"
t_lacks "central --help: only the office commands" "$OUT" "  visits"
zh_help "central --help" central --help
t_has "central ledger --help in Chinese" "$(env LC_ALL= LANG=zh_CN.UTF-8 "$XA" central ledger --help)" "  隐患台账"
t_has "central ledger --help in English" "$(env LC_ALL= LANG=C.UTF-8 "$XA" central ledger --help)" "  the hazard ledger"
t_run "central alone shows its commands, exit 2" 2 env LC_ALL= LANG=C.UTF-8 "$XA" central
t_has "central alone: the office commands" "$OUT" "central merge"
t_run "an unknown office command" 2 env LC_ALL= LANG=C.UTF-8 "$XA" central frob
t_eq "an unknown office command names the group's help" "$ERR" "xiaoan: unknown command 'central frob' (see xiaoan central --help)"

# The translation is complete and the TUI's strings are gettext's.
if command -v msgfmt >/dev/null; then
    stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$ROOT/po/zh_CN.po" 2>&1)
    t_eq "po/zh_CN.po has no untranslated or fuzzy message" "$(printf '%s' "$stats" | grep -c 'untranslated\|fuzzy')" "0"
fi
t_eq "tui_strings.h holds no Chinese (the po does)" \
    "$(grep -v 'TS(S_A_LANG' "$ROOT/src/tui/tui_strings.h" | cjk)" ""
t_done
