# tests/lib/office.sh — sourced after t.sh by the suites that need a real
# office and a real inspector (merge, attachments, the TUI end to end): the
# office set-up once instead of a copy in every suite.
#
# t_office [--no-forms] [--county COUNTY]
#   A central store $C (office 丽水市教育局安全科, passphrase file $OP) with
#   the roster of docs/examples/roster.csv and, unless --no-forms, the
#   checklists of forms/; an inspector 张三 at $H (passphrase file $P) whose
#   public identity is $T_TMP/id.txt, enrolled at the office (--county: the
#   county whose draws it belongs to).  C, H, P, OP keep what the suite set,
#   else they are $T_TMP/central.db, $T_TMP/home, $T_TMP/pass ("correct horse
#   battery") and $T_TMP/office-pass ("office secret"); a suite may give the
#   office and the inspector the same file.  Sets FP (the inspector's
#   fingerprint) and OFP (the office's) and defines co (an office command
#   with --store and --passphrase-file).  What the commands print is
#   dropped; the first one that fails makes it return 1.
#
# t_attach_env
#   The set-up of the attachment suites: ROOT (the source folder), FX (the
#   test_attach fixture), MK (the JPEG maker), H, S and P (one passphrase
#   file the inspector and the office share, exported as
#   XIAOAN_PASSPHRASE_FILE), with XIAOAN_HOME and XIAOAN_STORE unset.
#
# t_office_brief NAME
#   The office writes a brief for $FP to $T_TMP/NAME.xbrief and the inspector
#   imports it, checking the office's fingerprint $OFP.

T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

co() { "$XA" "$@" --store "$C" --passphrase-file "$OP"; }

t_office() {
    local forms=1 enroll=()
    while [ $# -gt 0 ]; do
        case $1 in
        --no-forms) forms=0 ;;
        --county) enroll=(--county "$2"); shift ;;
        *) echo "t_office: unknown option $1" >&2; return 1 ;;
        esac
        shift
    done
    C=${C:-$T_TMP/central.db} H=${H:-$T_TMP/home}
    P=${P:-$T_TMP/pass} OP=${OP:-$T_TMP/office-pass}
    [ -e "$P" ] || echo "correct horse battery" >"$P"
    [ -e "$OP" ] || echo "office secret" >"$OP"
    mkdir -p "$H"
    "$XA" central init --store "$C" --kdf interactive --passphrase-file "$OP" \
        --name 丽水市教育局安全科 >/dev/null &&
        co central schools import "$T_ROOT/docs/examples/roster.csv" >/dev/null 2>&1 &&
        { [ $forms = 0 ] || co central forms import "$T_ROOT/forms" >/dev/null; } &&
        "$XA" init --name 张三 --kdf interactive --home "$H" --passphrase-file "$P" >/dev/null &&
        "$XA" id --home "$H" >"$T_TMP/id.txt" &&
        co central enroll "$T_TMP/id.txt" "${enroll[@]}" >/dev/null || return 1
    FP=$(sed -n 's/^fingerprint: //p' "$T_TMP/id.txt")
    OFP=$("$XA" central id --store "$C" | sed -n 's/^fingerprint: //p')
    [ -n "$FP" ] && [ -n "$OFP" ]
}

t_office_brief() {
    co central brief --inspector "$FP" -o "$T_TMP/$1.xbrief" >/dev/null &&
        "$XA" brief import "$T_TMP/$1.xbrief" --home "$H" --passphrase-file "$P" \
            --expect-fingerprint "$OFP" >/dev/null
}

t_attach_env() {
    ROOT=$T_ROOT
    FX=${XIAOAN_BUILD:-$ROOT/build}/tests/test_attach
    MK="python3 $ROOT/tests/lib/mkjpeg.py"
    H=$T_TMP/home S=$T_TMP/central.db P=$T_TMP/pass
    printf '山路十八弯弯又弯的山路\n' >"$P"
    unset XIAOAN_HOME XIAOAN_STORE
    export XIAOAN_PASSPHRASE_FILE=$P
}
