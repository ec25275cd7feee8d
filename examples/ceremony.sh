#!/usr/bin/env bash
# The DMK ceremony end to end, on this machine only (127.0.0.1):
#   three evsm devices (A, B, C) with temporary state directories and ephemeral ports;
#   original initialisation on A (3 component UKEYs, 2-of-3 authorisation UKEYs);
#   recovery on B (authorisation synchronised from one of A's authorisation UKEYs);
#   recovery on C (a new 1-of-1 authorisation UKEY of its own);
#   the DMK check value of every device (management port, and NC on the host port), which
#   must be equal; one line per device: "DMK check value <host>:<host port> <16 hex>";
#   a few refusals (wrong fingerprint, duplicate component, re-initialisation without quorum,
#   an unwritable UKEY directory).
# Everything runs non-interactively (--yes, PINs from --pin-env / --pin-fd).
# Prints "ceremony: N passed, M failed"; exits 0 only when all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

echo "building evsm and vsmctl..."
$SWIFT build --package-path emulator --product evsm >/dev/null || { echo "ceremony: 0 passed, 1 failed"; exit 1; }
$SWIFT build --package-path emulator --product vsmctl >/dev/null || { echo "ceremony: 0 passed, 1 failed"; exit 1; }
BIN=$($SWIFT build --package-path emulator --show-bin-path)
EVSM=$BIN/evsm
VSMCTL=$BIN/vsmctl

# shellcheck source=../scripts/lib/evsm.sh
. scripts/lib/evsm.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/evsm-ceremony.XXXXXX")
cleanup() {
    evsm_stop_all
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "  ok   $1"; }
bad()  { failed=$((failed + 1)); echo "  FAIL $1"; }
finish() {
    echo "ceremony: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# start_device NAME: sets HOST_<NAME>, MGMT_<NAME>, FP_<NAME>
start_device() {
    local name=$1
    evsm_start "$name" "$WORK" "$EVSM" --port 0 --mgmt-port 0 --state "$WORK/state-$name" || return 1
    local m=EVSM_MGMT_$name f=EVSM_FP_$name a=EVSM_ADDR_$name
    if [ -z "${!m}" ]; then
        echo "device $name did not start its management listener:"; cat "$WORK/$name.log"; return 1
    fi
    printf -v "MGMT_$name" '%s' "${!m}"
    printf -v "FP_$name" '%s' "${!f}"
    printf -v "HOST_$name" '%s' "${!a}"
}

for d in A B C; do
    start_device $d || { bad "start device $d"; finish; }
done
echo "devices: A mgmt $MGMT_A, B mgmt $MGMT_B, C mgmt $MGMT_C"
mkdir -p "$WORK/ukeys" "$WORK/ukeys-c" "$WORK/ukeys-x"
U=$WORK/ukeys

echo "== original initialisation on A"
# PINs, in the order vsmctl asks: component UKEYs 1..3, then authorisation UKEYs 1..3.
export CEREMONY_PINS=$'comp-1-pin\ncomp-2-pin\ncomp-3-pin\nauth-1-pin\nauth-2-pin\nauth-3-pin'
if "$VSMCTL" init original --device "$MGMT_A" --pin "$FP_A" --components 3 --auth 2-of-3 \
        --ukey-dir "$U" --pin-env CEREMONY_PINS --yes; then
    ok "original initialisation on A"
else
    bad "original initialisation on A"; finish
fi
unset CEREMONY_PINS
"$VSMCTL" ukey status "$U"/*.ukey && ok "UKEY status without PIN" || bad "UKEY status without PIN"

echo "== recovery on B (authorisation synchronised)"
# Components in another order (3, 1, 2), then the authorisation UKEY 2.
if "$VSMCTL" init recover --device "$MGMT_B" --pin "$FP_B" \
        --component "$U/dmk-component-3-of-3.ukey" "$U/dmk-component-1-of-3.ukey" "$U/dmk-component-2-of-3.ukey" \
        --sync-auth "$U/auth-share-2-of-3.ukey" --yes --pin-fd 3 \
        3< <(printf 'comp-3-pin\ncomp-1-pin\ncomp-2-pin\nauth-2-pin\n'); then
    ok "recovery on B with synchronised authorisation"
else
    bad "recovery on B with synchronised authorisation"
fi

echo "== recovery on C (new 1-of-1 authorisation)"
if "$VSMCTL" init recover --device "$MGMT_C" --pin "$FP_C" \
        --component "$U/dmk-component-1-of-3.ukey" "$U/dmk-component-2-of-3.ukey" "$U/dmk-component-3-of-3.ukey" \
        --new-auth 1-of-1 --ukey-dir "$WORK/ukeys-c" --yes --pin-fd 3 \
        3< <(printf 'comp-1-pin\ncomp-2-pin\ncomp-3-pin\nc-auth-pin\n'); then
    ok "recovery on C with a new 1-of-1 authorisation"
else
    bad "recovery on C with a new 1-of-1 authorisation"
fi

echo "== refusals"
if "$VSMCTL" dmk check --device "$MGMT_B" --pin "$FP_A" >/dev/null 2>"$WORK/err"; then
    bad "a mismatching fingerprint is refused"
else
    grep -q "does not match" "$WORK/err" && ok "a mismatching fingerprint is refused" || bad "a mismatching fingerprint is refused"
fi
if "$VSMCTL" init recover --device "$MGMT_B" --pin "$FP_B" \
        --component "$U/dmk-component-1-of-3.ukey" "$U/dmk-component-1-of-3.ukey" "$U/dmk-component-2-of-3.ukey" \
        --sync-auth "$U/auth-share-1-of-3.ukey" --authorise "$U/auth-share-1-of-3.ukey" "$U/auth-share-3-of-3.ukey" \
        --yes --pin-fd 3 3< <(printf 'auth-1-pin\nauth-3-pin\ncomp-1-pin\ncomp-1-pin\ncomp-2-pin\nauth-1-pin\n') \
        >/dev/null 2>"$WORK/err"; then
    bad "a duplicate component is refused"
else
    grep -q "twice" "$WORK/err" && ok "a duplicate component is refused" || bad "a duplicate component is refused"
fi
if "$VSMCTL" init original --device "$MGMT_B" --pin "$FP_B" --components 2 --auth 1-of-1 \
        --ukey-dir "$WORK/ukeys-x" --authorise "$U/auth-share-1-of-3.ukey" --yes --pin-fd 3 \
        3< <(printf "auth-1-pin\nx-pin-1\nx-pin-2\nx-pin-3\n") >/dev/null 2>"$WORK/err"; then
    bad "re-initialising B without its quorum is refused"
else
    grep -q "quorum" "$WORK/err" && ok "re-initialising B without its quorum is refused" || { cat "$WORK/err"; bad "re-initialising B without its quorum is refused"; }
fi

# A UKEY directory vsmctl cannot write to is found before the device is asked anything (the
# device installs nothing until every new UKEY is on disk; see docs/ceremony.md).
RO=$WORK/ukeys-ro
mkdir -p "$RO" && chmod 0500 "$RO"
[ "$(id -u)" -eq 0 ] && RO=/proc/self   # root writes through 0500; nobody can create files here
if "$VSMCTL" init original --device "$MGMT_A" --pin "$FP_A" --components 2 --auth 1-of-1 \
        --ukey-dir "$RO" --authorise "$U/auth-share-1-of-3.ukey" "$U/auth-share-3-of-3.ukey" --yes --pin-fd 3 \
        3< <(printf "auth-1-pin\nauth-3-pin\nx-pin-1\nx-pin-2\nx-pin-3\n") >/dev/null 2>"$WORK/err"; then
    bad "an unwritable UKEY directory is refused before the device is touched"
else
    grep -q "not writable" "$WORK/err" && ok "an unwritable UKEY directory is refused before the device is touched" \
        || { cat "$WORK/err"; bad "an unwritable UKEY directory is refused before the device is touched"; }
fi
chmod 0700 "$WORK/ukeys-ro"

# The UKEYs are opened first (their PINs given), then the erase is asked on the terminal:
# there is none (setsid), so nothing is confirmed and the device is left alone.
if setsid --wait "$VSMCTL" init recover --device "$MGMT_B" --pin "$FP_B" \
        --component "$U/dmk-component-1-of-3.ukey" "$U/dmk-component-2-of-3.ukey" "$U/dmk-component-3-of-3.ukey" \
        --sync-auth "$U/auth-share-1-of-3.ukey" --pin-fd 3 3< <(printf 'comp-1-pin\ncomp-2-pin\ncomp-3-pin\nauth-1-pin\n') \
        </dev/null >/dev/null 2>"$WORK/err"; then
    bad "an erase is not done without confirmation"
else
    grep -q "not confirmed" "$WORK/err" && ok "an erase is not done without confirmation" || { cat "$WORK/err"; bad "an erase is not done without confirmation"; }
fi
if "$VSMCTL" init recover --device "$MGMT_C" --pin "$FP_C" \
        --component "$U/dmk-component-1-of-3.ukey" "$U/dmk-component-2-of-3.ukey" "$U/dmk-component-3-of-3.ukey" \
        --sync-auth "$U/auth-share-1-of-3.ukey" --authorise "$WORK/ukeys-c/auth-share-1-of-1.ukey" --yes --pin-fd 3 \
        3< <(printf 'c-auth-pin\ncomp-1-pin\nnot-the-pin\n') >/dev/null 2>"$WORK/err"; then
    bad "a wrong PIN is refused before the device is touched"
else
    grep -q "wrong PIN" "$WORK/err" && ok "a wrong PIN is refused before the device is touched" || { cat "$WORK/err"; bad "a wrong PIN is refused before the device is touched"; }
fi
"$VSMCTL" ukey status "$U/dmk-component-2-of-3.ukey" | grep -q "4 of 5 PIN tries left" \
    && ok "the wrong PIN is counted in the UKEY" || bad "the wrong PIN is counted in the UKEY"

echo "== DMK check values"
values=()
for d in A B C; do
    m=MGMT_$d; f=FP_$d; h=HOST_$d
    line=$("$VSMCTL" dmk check --device "${!m}" --pin "${!f}") || { bad "DMK check value of $d"; continue; }
    value=$(echo "$line" | awk '{print $5}')
    echo "DMK check value ${!h} $value"
    values+=("$value")
    [ "$(evsm_nc_check_value "${!h}")" = "$value" ] && ok "NC on $d's host port ${!h} gives the same check value" \
        || bad "NC on $d's host port ${!h} gives the same check value"
done
if [ "${#values[@]}" -eq 3 ] && [ -n "${values[0]}" ] && [ "${values[0]}" = "${values[1]}" ] && [ "${values[1]}" = "${values[2]}" ]; then
    ok "all three devices show the same DMK check value"
else
    bad "all three devices show the same DMK check value"
fi

finish
