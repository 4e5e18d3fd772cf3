# tests/cli/loop.sh — the office's side of the rectification loop, every
# command: central notice (text, PDF through pdftotext/pdffonts/pdfinfo, a
# 40-hazard notice breaking pages with its header repeated, a one-hazard
# notice on one page, --reprint giving the same bytes), central reply,
# recheck, signoff, extend, escalate and hazard, on the store of
# tests/unit/test_office.c (`test_office fixture FILE`).  Bad input is one
# line, exit 1, and the store (sqlite3 .dump) is unchanged.
. "$(dirname "$0")/../lib/t.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export XIAOAN_NOW=2026-12-05T10:00:00+08:00
unset XIAOAN_PASSPHRASE_FILE
S=$T_TMP/loop.db
FX=${XIAOAN_BUILD:-$ROOT/build}/tests/test_office
if ! "$FX" fixture "$S" >/dev/null 2>&1; then
    t_bad "fixture store" "cannot run $FX fixture"
    t_done
    exit
fi
export XIAOAN_STORE=$S
V1=a1000000000000000000000000000001
V2=a1000000000000000000000000000002

dig() { sqlite3 "$S" .dump | sha256sum; }
one_line() {
    local n
    n=$(printf '%s\n' "$ERR" | wc -l)
    case "$ERR" in "xiaoan: "*) [ "$n" -eq 1 ] && t_ok "$1" || t_bad "$1" "$n lines: $ERR" ;; *) t_bad "$1" "got: $ERR" ;; esac
}
# refused NAME NEEDLE CMD... — exit 1, one line naming NEEDLE, the store unchanged
refused() {
    local name=$1 needle=$2; shift 2
    local before after
    before=$(dig)
    t_run "$name: exit 1" 1 "$XA" "$@"
    one_line "$name: one line"
    t_has "$name: says why" "$ERR" "$needle"
    after=$(dig)
    t_eq "$name: store unchanged" "$after" "$before"
}
# text of page P of a PDF (all pages without P)
pdftxt() { if [ $# -gt 1 ]; then pdftotext -f "$2" -l "$2" "$1" -; else pdftotext "$1" -; fi; }
# one column of the first page's hazard table, cropped by x (points), lines joined
# (the words of page 1 between x0 and x1 from the table's header row down to
# the line below the table, joined)
column() {
    pdftotext -f 1 -l 1 -bbox "$1" - | python3 -c '
import re, sys
x0, x1 = float(sys.argv[1]), float(sys.argv[2])
w = [(float(a), float(b), float(c), t) for a, b, c, t in
     re.findall(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"[\d.]+\">([^<]*)</word>", sys.stdin.read())]
top = min(y for x, y, X, t in w if t == "序号")
end = min(y for x, y, X, t in w if y > top and (t.startswith("临时管控措施") or t == "整改要求") and x < 80)
print("".join(t for x, y, X, t in w if top <= y < end and x >= x0 and X <= x1))' "$2" "$3"
}

# ---- usage errors (exit 2, before the store is opened) ----------------------------------
t_run "notice without a choice" 2 "$XA" central notice
t_has "notice: says what to give" "$ERR" "--visit VISIT, --school CODE or --reprint NUMBER"
t_run "notice with two choices" 2 "$XA" central notice --visit $V1 --school 3311020001
t_run "notice pdf needs -o" 2 "$XA" central notice --visit $V1 --format pdf
t_run "notice bad format" 2 "$XA" central notice --visit $V1 --format docx
t_run "reply needs --date" 2 "$XA" central reply 莲都-2026-0002
t_run "reply needs a hazard" 2 "$XA" central reply --date 2026-12-04
t_run "recheck bad verdict" 2 "$XA" central recheck 莲都-2026-0002 --verdict maybe
t_has "recheck: names the verdicts" "$ERR" "rectified, partly or not"
t_run "recheck one hazard only" 2 "$XA" central recheck 莲都-2026-0002 莲都-2026-0003 --verdict partly
t_run "signoff needs --by" 2 "$XA" central signoff 莲都-2026-0001
t_run "extend needs --reason" 2 "$XA" central extend 莲都-2026-0002 --to 2027-01-31
t_run "escalate level 3" 2 "$XA" central escalate 莲都-2026-0002 --level 3
t_run "hazard bad format" 2 "$XA" central hazard 莲都-2026-0002 --format xml
for c in notice reply recheck signoff extend escalate hazard; do
    t_run "central $c --help" 0 "$XA" central $c --help
done
t_has "help lists the command" "$("$XA" --help 2>&1)" "central signoff"

# ---- bad input (exit 1, one line, nothing changed) ---------------------------------------
refused "unknown hazard" "unknown hazard '莲都-2026-0999'" central reply 莲都-2026-0999 --date 2026-12-04
refused "one unknown among several" "unknown hazard 'nope'" central reply 莲都-2026-0002 nope --date 2026-12-04
refused "invalid date" "not a date (YYYY-MM-DD): '2026-02-30'" central reply 莲都-2026-0002 --date 2026-02-30
refused "reply in the future" "in the future" central reply 莲都-2026-0002 --date 2026-12-06
refused "extend to an invalid date" "not a date" central extend 莲都-2026-0002 --to tomorrow --reason x
refused "extend to an earlier day" "not after" central extend 莲都-2026-0002 --to 2026-12-10 --reason x
refused "sign-off out of order" "莲都-2026-0002 is open" central signoff 莲都-2026-0002 --by 赵科长
refused "sign-off: all or none" "莲都-2026-0002 is open" central signoff 莲都-2026-0001 莲都-2026-0002 --by 赵科长
refused "unknown visit" "unknown visit 'ffff0000'" central notice --visit ffff0000
refused "unknown school" "unknown school '3399999999'" central notice --school 3399999999
refused "notice with no open hazards" "has no open hazards" central notice --visit $V2
refused "unknown notice" "unknown notice '2026-9'" central notice --reprint 2026-9
refused "unwritable notice" "/nonexistent/n.pdf" central notice --visit $V1 -o /nonexistent/n.pdf
refused "unknown hazard story" "unknown hazard" central hazard 莲都-2026-0999

# ---- notice: text ---------------------------------------------------------------------------
t_run "notice for a visit (text)" 0 "$XA" central notice --visit a1000000000000000000000000000001 --format text
for want in "安全隐患整改通知书" "校安整改〔2026〕1号" "莲都区实验小学：" \
    "被检查单位：莲都区实验小学（莲都区，3311020001）" "检查时间：2026年12月1日" \
    "检查方式：四不两直" "检查人员：张三、李四" "1. 隐患编号：莲都-2026-0002" \
    "部位：教学楼一楼" "隐患描述：疏散通道堆放杂物" "等级：一般" \
    "依据：《中华人民共和国消防法》第二十八条" "整改要求：立即清理，保持畅通" "整改期限：2026-12-16" \
    "请于收到本通知书之日起10日内（2026年12月15日前）" "报送莲都区教育局安全科" \
    "被检查单位负责人（签收）" "检查人员（签名）" "签发单位（盖章）：莲都区教育局安全科" \
    "日期：2026年12月5日" "复查确认"; do
    t_has "text notice: $want" "$OUT" "$want"
done
t_lacks "text notice: a rechecked hazard is not on it" "$OUT" "莲都-2026-0001"
t_run "the hazard knows its notice" 0 "$XA" central ledger --state all --format json
t_eq "ledger: notice number" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print([h["notice"] for h in json.load(sys.stdin) if h["number"]=="莲都-2026-0002"][0])')" "校安整改〔2026〕1号"
refused "the same visit again" "on a notice already" central notice --visit $V1

# ---- notice: PDF ---------------------------------------------------------------------------------
P2=$T_TMP/n2.pdf
t_run "notice for a school (PDF)" 0 "$XA" central notice --school 3311020002 -o "$P2"
t_has "says number and counts" "$OUT" "校安整改〔2026〕2号: hazards 2, major 1"
TXT=$(pdftxt "$P2")
for want in "安全隐患整改通知书" "校安整改〔2026〕2号" "莲都区城北小学：" \
    "2026年12月2日，莲都区教育局安全科对你单位进行了安全检查（随机督查），发现安全隐患2" \
    "处，其中重大隐患1处。现将隐患清单通知如下，请你单位按要求限期整改。" \
    "被检查单位：莲都区城北小学（莲都区，3311020002）" "检查时间：2026年12月2日" \
    "检查方式：随机督查" "检查人员：张三、李四" "序号" "隐患编号" "部位" "隐患描述" "等级" \
    "依据" "整改要求" "整改期限" "莲都-2026-0003" "莲都-2026-0004" "食堂" "灭火器过期" \
    "教学楼墙体开裂" "一般" "重大" "2026-12-17" "2027-01-01" \
    "临时管控措施：（检查时未记录：请立即采取临时管控措施，并在整改报告中说明）" \
    "一、请你单位对上列隐患逐项落实整改责任、措施、资金、时限和预案" \
    "（2026年12月15日前）将书面整改报告" "三、逾期未整改或整改不到位的，将依照有关规定予以督办或挂牌督办。" \
    "被检查单位负责人（签收）：" "检查人员（签名）：" "签发单位（盖章）：莲都区教育局安全科" \
    "日期：2026年12月5日" "复查确认" "复查结论" "复查情况说明" "复查人员" "复查日期" \
    "□已整改" "□部分整改" "□未整改" "第 1 页 共 1 页"; do
    t_has "pdf notice: $want" "$TXT" "$want"
done
# whole cells of the table, one column at a time (x in points: 依据 113–141 mm, 整改要求 141–170 mm)
t_eq "pdf notice: 依据 column" "$(column "$P2" 320 400)" "依据《中华人民共和国消防法》第二十八条《中华人民共和国消防法》第二十八条"
t_eq "pdf notice: 整改要求 column" "$(column "$P2" 400 482)" "整改要求立即清理，保持畅通立即清理，保持畅通"
t_eq "two hazards fit one page" "$(pdfinfo "$P2" | sed -n 's/^Pages: *//p')" "1"
t_has "A4" "$(pdfinfo "$P2")" "595.276 x 841.89 pts (A4)"
FONTS=$(pdffonts "$P2" | tail -n +3)
t_has "fonts: Noto CJK" "$FONTS" "NotoSerifCJKsc"
t_eq "fonts: every font embedded as a subset" "$(printf '%s\n' "$FONTS" | awk '$(NF-4) != "yes" || $(NF-3) != "yes"' | wc -l)" "0"
t_eq "fonts: subset names" "$(printf '%s\n' "$FONTS" | grep -cvE '^[A-Z]{6}\+')" "0"
t_eq "file mode 0600" "$(stat -c %a "$P2")" "600"

# ---- one hazard: one page --------------------------------------------------------------------------
"$XA" central recheck 莲都-2026-0001 --verdict partly --by 王五 --note 门禁未装 >/dev/null 2>&1
P1=$T_TMP/n3.pdf
t_run "one-hazard notice" 0 "$XA" central notice --school 3311020001 -o "$P1"
t_has "one-hazard notice: number 3" "$OUT" "校安整改〔2026〕3号: hazards 1, major 1"
t_eq "one hazard fits one page" "$(pdfinfo "$P1" | sed -n 's/^Pages: *//p')" "1"
TXT=$(pdftxt "$P1")
t_has "one-hazard notice: interim" "$TXT" "临时管控措施：停用该场所"
t_has "one-hazard notice: its number" "$TXT" "莲都-2026-0001"

# ---- reprint: the same bytes -----------------------------------------------------------------------
"$XA" central extend 莲都-2026-0003 --to 2027-01-20 --reason 寒假施工 >/dev/null 2>&1
"$XA" central settings notice.prefix 莲教安 >/dev/null 2>&1
t_run "reprint by number" 0 "$XA" central notice --reprint "校安整改〔2026〕2号" -o "$T_TMP/r2.pdf"
t_has "reprint says so" "$OUT" "printed again"
cmp -s "$P2" "$T_TMP/r2.pdf" && t_ok "reprint: the same bytes" || t_bad "reprint: the same bytes" "differs"
t_run "reprint by YEAR-N (text)" 0 "$XA" central notice --reprint 2026-2 --format text
t_has "reprint: the deadline as issued" "$OUT" "整改期限：2026-12-17"
t_has "reprint: the number as issued" "$OUT" "校安整改〔2026〕2号"

# ---- forty hazards: pages break, the header repeats --------------------------------------------
P40=$T_TMP/n40.pdf
t_run "40-hazard notice" 0 "$XA" central notice --school 3311020003 -o "$P40"
t_has "40-hazard notice: counts" "$OUT" "hazards 40, major 8"
t_has "a new notice uses the new prefix, the year's sequence" "$OUT" "莲教安〔2026〕4号"
PAGES=$(pdfinfo "$P40" | sed -n 's/^Pages: *//p')
[ "$PAGES" -gt 2 ] && t_ok "40 hazards take several pages ($PAGES)" || t_bad "40 hazards take several pages" "$PAGES"
bad=0
for p in $(seq 1 "$PAGES"); do
    pt=$(pdftxt "$P40" "$p")
    t_has "page $p: footer" "$pt" "第 $p 页 共 $PAGES 页"
    case "$pt" in
        *复查结论*) case "$pt" in *复查日期*) ;; *) bad=$((bad + 1)) ;; esac ;;
        *莲都-2026-00*) case "$pt" in *隐患描述*整改期限*) ;; *) bad=$((bad + 1)) ;; esac ;;
    esac
done
t_eq "every page of a table repeats its header" "$bad" "0"
ALL=$(pdftxt "$P40")
miss=0
for i in $(seq 5 44); do
    n=$(printf '莲都-2026-%04d' "$i")
    [ "$(printf '%s' "$ALL" | grep -c -- "$n")" -ge 2 ] || miss=$((miss + 1))
done
t_eq "every hazard in the table and in 复查确认" "$miss" "0"
t_eq "every major's interim line" "$(printf '%s' "$ALL" | grep -c '临时管控措施：停用该实验室')" "8"

# ---- reply, recheck, extend, escalate, signoff ---------------------------------------------------
t_run "reply" 0 "$XA" central reply 莲都-2026-0004 --date 2026-12-04 --note 已设置警戒线
t_has "reply: state shown" "$OUT" "莲都-2026-0004"
t_run "recheck partly with a new deadline" 0 "$XA" central recheck 莲都-2026-0004 --verdict partly --by 王五 --note 裂缝已监测未加固 --deadline 2026-12-28
t_has "recheck: new deadline" "$OUT" "2026-12-28"
t_run "extend" 0 "$XA" central extend 莲都-2026-0004 --to 2027-02-28 --reason 需专业加固
t_has "extend: deadline" "$OUT" "2027-02-28"
t_run "escalate 1" 0 "$XA" central escalate 莲都-2026-0004 --level 1 --note 限期加固
refused "escalate to the same level" "level 1 already" central escalate 莲都-2026-0004 --level 1
t_run "escalate 2" 0 "$XA" central escalate 莲都-2026-0004 --level 2
t_run "ledger of escalated" 0 env XIAOAN_LANG=zh "$XA" central ledger --state escalated --wide
t_has "escalated: listed" "$OUT" "莲都-2026-0004"
t_has "escalated: level" "$OUT" "挂牌督办"
t_run "recheck rectified (a major)" 0 "$XA" central recheck 莲都-2026-0004 --verdict rectified --by 王五 --note 已加固并鉴定
t_run "ledger of rechecked" 0 "$XA" central ledger --state rechecked --wide
t_has "rechecked: waits for the sign-off" "$OUT" "莲都-2026-0004"
t_run "signoff" 0 "$XA" central signoff 莲都-2026-0004 --by 赵科长 --note 鉴定报告已存档
t_run "ledger of closed" 0 "$XA" central ledger --state closed --wide
t_has "closed: listed" "$OUT" "莲都-2026-0004"
t_has "closed: by" "$OUT" "赵科长"
AUD=$(sqlite3 "$S" "SELECT command FROM audit ORDER BY id" | tr '\n' ' ')
for c in "central notice" "central reply" "central recheck" "central extend" "central escalate" "central signoff"; do
    t_has "audit: $c" "$AUD" "$c"
done
t_has "audit: who and what" "$(sqlite3 "$S" "SELECT summary FROM audit WHERE command = 'central signoff'")" "signoff 莲都-2026-0004 by 赵科长"

# ---- the whole story -------------------------------------------------------------------------------------
t_run "hazard story" 0 env XIAOAN_LANG=zh "$XA" central hazard 莲都-2026-0004
for want in "隐患 莲都-2026-0004" "莲都区城北小学" "临时管控措施  （未记录）" "已销号" \
    "发现  张三" "下发整改通知书  校安整改〔2026〕2号（2026-12-05）" "收到整改报告  2026-12-04" \
    "说明：已设置警戒线" "书面复查  部分整改  王五  新整改期限 2026-12-28" "说明：裂缝已监测未加固" \
    "延期  至 2027-02-28" "说明：需专业加固" "督办" "挂牌督办" "书面复查  已整改  王五" \
    "说明：已加固并鉴定" "销号  赵科长" "说明：鉴定报告已存档"; do
    t_has "story: $want" "$OUT" "$want"
done
t_run "hazard story (json)" 0 "$XA" central hazard b4000000 --format json
t_eq "json: history length" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["history"]))')" "9"
t_eq "json: state" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" "closed"
t_eq "json: re-check notes reach the office" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(",".join(e["note"] or "" for e in json.load(sys.stdin)["history"] if e["event"]=="recheck"))')" "裂缝已监测未加固,已加固并鉴定"
t_run "field re-check notes too" 0 env XIAOAN_LANG=zh "$XA" central hazard 莲都-2026-0001
t_has "field note" "$OUT" "说明：杂物已清空，加装门禁"

t_done
