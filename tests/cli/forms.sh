# tests/cli/forms.sh — `xiaoan forms check` on the real forms/ folder and on
# a broken copy of it, and `xiaoan roster check` on the sample roster and a
# broken one: listings, FILE:LINE:COLUMN problems, exit codes.
. "$(dirname "$0")/../lib/t.sh"
cd "$(dirname "$0")/../.." || exit 1

# ---- the real checklists ----
t_run "forms check forms/ passes" 0 "$XA" forms check forms/
t_lacks "forms check forms/ prints nothing on stderr" "$ERR" "xiaoan:"
nforms=$(tail -n +2 forms/index.csv | grep -c '^[a-z0-9]')
t_has "total line counts every indexed form" "$OUT" "$nforms form"
bad_lines=$(printf '%s\n' "$OUT" | sed '$d' | grep -cvE '^[a-z0-9-]+ +v[0-9]+ +[0-9]+ items +[0-9]+ major  [0-9a-f]{16}$')
t_eq "each form line is: id, version, items, major, hash" "$bad_lines" "0"
t_eq "one line per form plus the total" "$(printf '%s\n' "$OUT" | wc -l)" "$((nforms + 1))"
for id in $(tail -n +2 forms/index.csv | cut -d, -f1 | tr -d '\r\357\273\277'); do
    case "$id" in ''|'#'*) continue ;; esac
    t_has "form $id is listed" "$OUT" "$id "
done
listing=$OUT
t_run "forms check without DIR uses ./forms" 0 "$XA" forms check
t_eq "same listing as forms/" "$OUT" "$listing"

# ---- a broken copy: every problem on its own line ----
B=$T_TMP/broken
cp -r forms "$B"
first=$(tail -n +2 forms/index.csv | cut -d, -f1 | tr -d '\r' | grep -m1 '^[a-z0-9]')
f=$B/$first.csv
[ -z "$(tail -c1 "$f")" ] || echo >> "$f"
n=$(($(wc -l < "$f") + 1))
hdr=$(head -1 "$f" | tr -d '\r\357\273\277')
# A row in the file's own column order with an unknown type and severity.
row=$(echo "$hdr" | tr ',' '\n' | while read -r col; do
    case "$col" in
        section) printf 'S,' ;; code) printf 'ZZ-99,' ;; type) printf 'chek,' ;;
        text) printf 'T,' ;; severity) printf 'serious,' ;; *) printf ',' ;;
    esac
done | sed 's/,$//')
echo "$row" >> "$f"
typecol=$(echo "$hdr" | tr ',' '\n' | grep -n '^type$' | cut -d: -f1)
sevcol=$(echo "$hdr" | tr ',' '\n' | grep -n '^severity$' | cut -d: -f1)
printf 'ghost-form,1,幽灵,Ghost,general,\n' >> "$B/index.csv"
ghost_line=$(grep -n '^ghost-form,' "$B/index.csv" | cut -d: -f1)
printf 'section,code,type,text,severity\nA,X-1,check,t,general\n' > "$B/stray.csv"

t_run "broken copy fails" 1 "$XA" forms check "$B"
t_has "unknown type with file:line:column" "$ERR" "$f:$n:$typecol: unknown type 'chek'"
t_has "unknown severity with file:line:column" "$ERR" "$f:$n:$sevcol: unknown severity 'serious'"
t_has "index entry without a file" "$ERR" "$B/index.csv:$ghost_line:1: no form file ghost-form.csv"
t_has "file not in the index" "$ERR" "$B/stray.csv:1:1: form file is not listed in index.csv"
t_eq "summary is the last line" "$(printf '%s\n' "$ERR" | tail -1)" "xiaoan: 4 problems in $B"
t_eq "nothing on stdout" "$OUT" ""

# ---- the checks forms check adds (issue 18) ----
t_run "real forms: figures on the total line" 0 "$XA" forms check forms/
t_has "total line gives the 推定 share" "$OUT" "推定 "
pct=$(printf '%s\n' "$OUT" | tail -1 | sed -E 's/.*\(([0-9]+)\.[0-9]%\)$/\1/')
if [ "$pct" -lt 20 ]; then t_ok "推定 share under 20 % ($pct %)"; else t_bad "推定 share under 20 % ($pct %)"; fi
L=$T_TMP/lint
mkdir -p "$L"
printf 'id,version,title,category\na,1,甲,general\nb,1,乙,fire\n' > "$L/index.csv"
{
    printf 'section,code,type,text,severity,basis,min,same_as,provenance\n'
    printf 's,A-01,count,人数,general,某规定第一条,,,\n'
    printf 's,A-02,check,无依据,general,,,,\n'
    printf 's,A-03,check,可信度写进依据,general,推定（◇，参照《某办法》）,,,\n'
    printf 's,A-04,check,重大无条款,major,《某办法》,,,二手来源\n'
    printf 's,A-05,check,同一问题,general,某规定第二条,,,\n'
    printf 's,A-06,check,链接错,general,某规定第二条,,b/B-09,\n'
    printf 's,A-07,check,无依据的建议项,advice,,,,\n'
} > "$L/a.csv"
printf 'section,code,type,text,severity,basis\ns,B-01,check,同一问题,general,某规定第二条\n' > "$L/b.csv"
t_run "lint: a folder breaking each rule fails" 1 "$XA" forms check "$L"
t_has "count without a range" "$ERR" "$L/a.csv:2:7: A-01: count item has no range"
t_has "empty basis graded as a hazard" "$ERR" "$L/a.csv:3:6: A-02: no basis"
t_has "provenance words in the basis" "$ERR" "$L/a.csv:4:6: A-03: the basis holds provenance words"
t_has "major without a clause or a reasoned 推定" "$ERR" "$L/a.csv:5:6: A-04: major item cites no clause"
t_has "duplicate not linked" "$ERR" "$L/b.csv:2:1: B-01: asks the same as a/A-05"
t_has "same_as to nothing" "$ERR" "$L/a.csv:7:8: A-06: same_as names no item: b/B-09"
t_lacks "an advice item without basis is fine" "$ERR" "A-07"
t_eq "lint summary" "$(printf '%s\n' "$ERR" | tail -1)" "xiaoan: 6 problems in $L"

# ---- editor's notes in what the inspector reads (GN-12 once ended with
# "（指南第10项“存放……”以下原文未见，见提示）") ----
N=$T_TMP/notes
mkdir -p "$N"
printf 'id,version,title,category\nn,1,甲,lab\n' > "$N/index.csv"
{
    printf 'section,code,type,text,text_en,severity,basis,hint,provenance\n'
    printf 's,N-01,check,实验室内未违规存放、使用易燃易爆危险品（指南第10项“存放……”以下原文未见，见提示）,Labs,major,某指南第三条第10项,看试剂柜,二手来源\n'
    printf 's,N-02,check,门卫在岗,Guard on duty (TODO: wording),general,某规定第一条,看门卫室,\n'
    printf 's,N-03,check,围墙完好,Wall,general,某规定第二条,条文待核；看围墙,\n'
    printf 's,N-04,check,气瓶固定,Cylinders,general,某规定第三条,看气瓶,二手来源：只在转载中读到，后文未见……\n'
} > "$N/n.csv"
t_run "notes: forms check refuses editor's notes" 1 "$XA" forms check "$N"
t_has "a note in the text, with file:line:column" "$ERR" "$N/n.csv:2:4: N-01: the text holds an editor's note"
t_has "a note in the English text" "$ERR" "$N/n.csv:3:5: N-02: the text_en holds an editor's note ('TODO')"
t_has "a note in the hint" "$ERR" "$N/n.csv:4:8: N-03: the hint holds an editor's note ('待核')"
t_lacks "remarks in provenance are where they belong" "$ERR" "N-04"
t_eq "notes summary" "$(printf '%s\n' "$ERR" | tail -1)" "xiaoan: 3 problems in $N"

# ---- GB18030 ("ANSI") files from Excel/WPS on a Chinese Windows ----
iconv -f UTF-8 -t GB18030 docs/examples/roster.csv > "$T_TMP/ansi.csv"
t_run "a GB18030 roster is read" 0 "$XA" roster check "$T_TMP/ansi.csv"
t_has "GB18030 roster: said in one line" "$ERR" "xiaoan: note: $T_TMP/ansi.csv is GB18030"
t_eq "GB18030 roster: one line on stderr" "$(printf '%s\n' "$ERR" | wc -l)" "1"
t_has "GB18030 roster: counties read" "$OUT" "景宁畲族自治县"
G=$T_TMP/gbforms
cp -r forms "$G"
iconv -f UTF-8 -t GB18030 forms/dormitory.csv > "$G/dormitory.csv"
t_run "a GB18030 form is read" 0 "$XA" forms check "$G"
t_has "GB18030 form: said" "$ERR" "$G/dormitory.csv is GB18030"
t_eq "GB18030 form: same hash as the UTF-8 one" "$(printf '%s\n' "$OUT" | grep '^dormitory ')" "$(printf '%s\n' "$listing" | grep '^dormitory ')"
printf 'code,name,county,type\n1,\377\376\377,莲都区,小学\n' > "$T_TMP/junk.csv"
t_run "neither UTF-8 nor GB18030 is refused" 1 "$XA" roster check "$T_TMP/junk.csv"
t_has "bad bytes located" "$ERR" "$T_TMP/junk.csv:2:2: invalid UTF-8"

# ---- usage and I/O errors ----
t_run "two folders is a usage error" 2 "$XA" forms check forms forms
t_has "usage error says so" "$ERR" "xiaoan: forms check takes one DIR"
t_run "unknown option is a usage error" 2 "$XA" forms check --frobnicate
t_run "--help shows the usage" 0 "$XA" forms check --help
t_has "--help names the command" "$OUT" "usage: xiaoan forms check [DIR]"
t_run "a missing folder fails" 1 "$XA" forms check "$T_TMP/nowhere"
t_has "missing folder: one xiaoan: line" "$ERR" "xiaoan: cannot open $T_TMP/nowhere/index.csv"
(cd "$T_TMP" && "$XA" forms check >out 2>err); rc=$?
if [ "$rc" -eq 0 ]; then
    t_ok "without ./forms the installed forms are used (installed)"
else
    t_has "without ./forms the installed folder is tried" "$(cat "$T_TMP/err")" "/forms/index.csv"
fi

# ---- rosters ----
t_run "sample roster passes" 0 "$XA" roster check docs/examples/roster.csv
t_has "sample roster covers 市直 and the nine divisions" "$OUT" "schools in 10 counties"
t_eq "counties listed 市直 first, then by code" "$(printf '%s\n' "$OUT" | sed '$d' | awk '{print $1}' | tr '\n' ' ')" "市直 莲都区 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁畲族自治县 龙泉市 "
t_has "sample roster lists 景宁" "$OUT" "景宁畲族自治县"
R=$T_TMP/roster.csv
{
    printf '\357\273\277# fictional\r\n'
    printf 'code,name,county,type,boarding,canteen,lab,bus,students,address,pinyin\r\n'
    printf '1,甲校,莲都区,小学,否,是,是,否,100,,jx\r\n'
    printf '2,乙校,莲都区,大学,也许,是,是,否,-3,,jx\r\n'
    printf '1,丙校,莲都区,小学,否,是,是,否,100,,bx\r\n'
} > "$R"
t_run "broken roster fails" 1 "$XA" roster check "$R"
t_has "unknown school type" "$ERR" "$R:4:4: unknown school type '大学'"
t_has "bad flag" "$ERR" "$R:4:5: boarding '也许' is not yes or no"
t_has "bad student count" "$ERR" "$R:4:9: students '-3'"
t_has "duplicate code" "$ERR" "$R:5:1: duplicate school code '1' (first on line 3)"
t_eq "roster summary" "$(printf '%s\n' "$ERR" | tail -1)" "xiaoan: 4 problems in $R"
printf 'code,name,county,type\n1,甲,景宁,小学\n2,乙,市直,高中\n3,丙,丽水县,小学\n' > "$T_TMP/county.csv"
t_run "unknown county fails" 1 "$XA" roster check "$T_TMP/county.csv"
t_has "unknown county at file:line:column" "$ERR" "$T_TMP/county.csv:4:3: unknown county '丽水县'"
sed -i '$d' "$T_TMP/county.csv"
t_run "short county names pass" 0 "$XA" roster check "$T_TMP/county.csv"
t_has "景宁 is 景宁畲族自治县" "$OUT" "景宁畲族自治县"
t_run "roster check needs a file" 2 "$XA" roster check
t_run "roster check of a missing file fails" 1 "$XA" roster check "$T_TMP/none.csv"
t_has "missing roster: one xiaoan: line" "$ERR" "xiaoan: cannot open $T_TMP/none.csv"
t_run "--help lists both commands" 0 "$XA" --help
t_has "forms check in --help" "$OUT" "forms check [DIR]"
t_has "roster check in --help" "$OUT" "roster check FILE"
t_run "forms check: unknown option exits 2" 2 "$XA" forms check -x
t_eq "forms check: unknown option names the command" "$ERR" "xiaoan: unknown option '-x' (see xiaoan forms check --help)"
t_run "roster check: unknown option exits 2" 2 "$XA" roster check -x
t_eq "roster check: unknown option names the command" "$ERR" "xiaoan: unknown option '-x' (see xiaoan roster check --help)"
t_done
