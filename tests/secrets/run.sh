#!/usr/bin/env bash
# Secrets never reach logs or error texts (docs/hardening.md, "Secrets").
#
#   tests/secrets/run.sh PREFIX WORKDIR BIN_DIR
#
# 1. The typed C suite (tests/typed/typed.c) against evsm --test-lmk --log-level trace,
#    with the library at logsw=error,warn,info,debug,trace: the library's log files and
#    evsm's output must contain none of the clear values the suite uses or that the HSM
#    computes (clear keys, clear PIN blocks, PIN blocks, PINs).
# 2. The DMK ceremony (vsmctl init original, then recover on a second device) with evsm at
#    --log-level trace: neither evsm's output nor vsmctl's contains a UKEY PIN, and evsm's
#    output holds no run of 32 or more hex digits (a DMK component or a clear key).
# Ends with `secrets: N passed, M failed`.
set -u
prefix=$1; work=$2; bin=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
# shellcheck source=../common/suite.sh
. "$root/tests/common/suite.sh"
suite_init secrets "$prefix"

# ---- 1. typed suite at trace
suite_cc "$work/typed" cacipher "$root/tests/typed/typed.c" || fail_out "typed.c compiles"
mkdir -p "$work/typed-logs"
evsm_start T "$work" "$bin/evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 2 --log-level trace \
    || { fail "evsm --log-level trace starts"; finish; }
port=${EVSM_ADDR_T##*:}
evsm_single_ini "$work/cacipher.ini" "$port" error,warn,info,debug,trace "$work/typed-logs"
# (the RSA cross-checks of typed.c run the openssl command line in typed-rsa/; the rebuilt
# throw-away key is removed afterwards)
mkdir -p "$work/typed-rsa"
if TYPED_RSA_DIR="$work/typed-rsa" TYPED_RSA_TOOL="$root/tests/typed/rsa_openssl.sh" LD_LIBRARY_PATH="$prefix/lib" \
   timeout 180 "$work/typed" "$work/cacipher.ini" > "$work/typed.out" 2>&1; then
    pass "typed suite passes with every log category on ($(tail -1 "$work/typed.out"))"
else
    tail -20 "$work/typed.out"; fail "typed suite with every log category on"
fi
"$root/tests/typed/rsa_openssl.sh" clean "$work/typed-rsa" >/dev/null 2>&1
evsm_stop_all
lines=$(cat "$work"/typed-logs/* 2>/dev/null | wc -l)
[ "$lines" -gt 100 ] && pass "the library logged at trace ($lines lines)" || fail "the library logged at trace ($lines lines)"
[ -s "$work/T.log" ] || [ -s "$work/T.out" ] && pass "evsm logged at trace" || fail "evsm logged at trace"

# Values the suite sends or gets back, or the HSM computes in the clear (tests/typed/typed.c):
#   clear ZMK, clear K, the clear ISO 0 PIN block of PIN 1234 / account 987654321098,
#   PIN blocks under TPK/ZPK, the clear PIN digits as they appear in an NG reply or BA request.
secrets=(8A7C04A1CD916464D6B361B05BBF6780 0123456789ABCDEFFEDCBA9876543210 0412AC89ABCDEF67
         C967C8198151A458 DBEEBF06C9ED0A48 NH001234 NH00123456 041234FFFFFFFFFF 06123456FFFFFFFF)
check_clean() {   # what files...
    local what=$1; shift
    local found=""
    for s in "${secrets[@]}"; do
        if grep -qi -- "$s" "$@" 2>/dev/null; then found="$found $s"; fi
    done
    # the clear PIN after a field separator or as a whole word next to "PIN"
    if grep -qiE 'pin[^a-z0-9]{0,3}(1234|123456)([^0-9]|$)' "$@" 2>/dev/null; then found="$found PIN-digits"; fi
    if [ -z "$found" ]; then pass "$what: no clear key, PIN, PIN block"; else fail "$what contains:$found"; grep -ni -m5 -E "$(echo "$found" | sed 's/^ //; s/ /|/g; s/PIN-digits/pin.{0,3}1234/')" "$@" | head -5; fi
}
check_clean "library log at trace" "$work"/typed-logs/*
check_clean "evsm output at trace" "$work/T.log" "$work/T.out"
check_clean "typed suite output (error texts)" "$work/typed.out"

# ---- 2. the ceremony at trace
W=$work/ceremony; mkdir -p "$W/ukeys" "$W/ukeys-b"
evsm_start A "$W" "$bin/evsm" --port 0 --mgmt-port 0 --bind 127.0.0.1 --state "$W/state-A" --log-level trace || { fail "evsm A starts"; finish; }
evsm_start B "$W" "$bin/evsm" --port 0 --mgmt-port 0 --bind 127.0.0.1 --state "$W/state-B" --log-level trace || { fail "evsm B starts"; finish; }
pins=$'Secret-Comp-PIN-1\nSecret-Comp-PIN-2\nSecret-Auth-PIN-1'
if CEREMONY_PINS=$pins "$bin/vsmctl" init original --device "$EVSM_MGMT_A" --pin "$EVSM_FP_A" --components 2 --auth 1-of-1 \
        --ukey-dir "$W/ukeys" --pin-env CEREMONY_PINS --yes > "$W/vsmctl.out" 2>&1; then
    pass "ceremony: original initialisation at trace"
else
    cat "$W/vsmctl.out"; fail "ceremony: original initialisation at trace"
fi
if "$bin/vsmctl" init recover --device "$EVSM_MGMT_B" --pin "$EVSM_FP_B" \
        --component "$W/ukeys/dmk-component-2-of-2.ukey" "$W/ukeys/dmk-component-1-of-2.ukey" \
        --new-auth 1-of-1 --ukey-dir "$W/ukeys-b" --yes --pin-fd 3 \
        3< <(printf 'Secret-Comp-PIN-2\nSecret-Comp-PIN-1\nSecret-Auth-PIN-B\n') >> "$W/vsmctl.out" 2>&1; then
    pass "ceremony: recovery on a second device at trace"
else
    cat "$W/vsmctl.out"; fail "ceremony: recovery on a second device at trace"
fi
# a wrong PIN: the refusal names the file, never the PIN typed
"$bin/vsmctl" init recover --device "$EVSM_MGMT_B" --pin "$EVSM_FP_B" \
    --component "$W/ukeys/dmk-component-1-of-2.ukey" "$W/ukeys/dmk-component-2-of-2.ukey" \
    --sync-auth "$W/ukeys/auth-share-1-of-1.ukey" --authorise "$W/ukeys-b/auth-share-1-of-1.ukey" --yes --pin-fd 3 \
    3< <(printf 'Wrong-PIN-Typed-XYZ\n') >> "$W/vsmctl.out" 2>&1
evsm_stop_all
if grep -q -e 'Secret-Comp-PIN' -e 'Secret-Auth-PIN' -e 'Wrong-PIN-Typed' "$W"/*.log "$W"/*.out; then
    grep -n -e 'Secret-Comp-PIN' -e 'Secret-Auth-PIN' -e 'Wrong-PIN-Typed' "$W"/*.log "$W"/*.out | head -5
    fail "ceremony: a UKEY PIN reached evsm's or vsmctl's output"
else
    pass "ceremony: no UKEY PIN in evsm's (trace) or vsmctl's output"
fi
# (certificate fingerprints "SHA256:<64 hex>" are public and removed first)
hexruns() { sed -E 's/SHA256:[0-9A-Fa-f]+//g' "$@" | grep -E '[0-9A-Fa-f]{32,}'; }
if hexruns "$W"/A.log "$W"/A.out "$W"/B.log "$W"/B.out > "$W/hexruns" 2>/dev/null; then
    head -5 "$W/hexruns"
    fail "ceremony: evsm's trace output holds 32+ hex digits (key material?)"
else
    pass "ceremony: evsm's trace output holds no run of 32+ hex digits"
fi
if hexruns "$W/vsmctl.out" > "$W/hexruns-vsmctl"; then
    head -5 "$W/hexruns-vsmctl"
    fail "ceremony: vsmctl's output holds 32+ hex digits"
else
    pass "ceremony: vsmctl's output holds no run of 32+ hex digits"
fi
# UKEY files hold the components sealed: no 32-hex run in the clear either way we can see
ls "$W"/state-A "$W"/state-B > /dev/null 2>&1 && pass "device state directories written" || fail "device state directories written"
finish
