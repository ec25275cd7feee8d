#!/usr/bin/env bash
# make demo: the whole system on this machine (127.0.0.1 only).
#
#   1. builds evsm and vsmctl (debug) and installs libcacipher into a temporary prefix;
#   2. starts three evsm devices (normal mode, state directories and management ports);
#   3. runs the DMK ceremony: original initialisation on HOST1, recovery on HOST2 (its
#      authorisation synchronised from HOST1's UKEYs) and on HOST3 (a new 1-of-1
#      authorisation); shows the three DMK check values, which must be equal;
#   4. compiles examples/demo/payflow.c against the installed library (pkg-config) and runs
#      the payment flow in several threads through a cacipher.ini naming the three devices
#      ([GROUP] dmkCheckValue = the ceremony's value);
#   5. kills HOST2 with SIGKILL in the middle of the run and later restarts it (same state
#      directory: it keeps its DMK), and shows the summary: calls, failures (must be 0),
#      the members' states over time and the rejoin.
#
#   scripts/demo.sh [--seconds S] [--threads N] [--json] [--tls]
#     --seconds S   length of the load (default DEMO_SECONDS, else 20)
#     --threads N   client threads (default DEMO_THREADS, else 4)
#     --json        stdout gets one JSON document; progress and the summary go to stderr
#     --tls         (or DEMO_TLS=1) the library talks to the devices over TLSv1.3, mutual
#                   TLS with throw-away certificates (scripts/make-test-certs.sh), verified
#
# The last line of the (human) output is "calls=N failed=F ... transport=T". Every process
# and temporary file is removed at the end, also on Ctrl-C. Exit status 0 only when
# everything held.
# Environment: SWIFT (swift), DEMO_TMPDIR (parent of the temporary directory, default
# TMPDIR or /tmp), DEMO_KEEP=1 keeps the temporary directory (it holds logs, no secrets but
# the ceremony's UKEY files, which are PIN-protected, and with --tls the throw-away test
# certificates and keys).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SWIFT=${SWIFT:-swift}
SECONDS_OPT=${DEMO_SECONDS:-20}
THREADS=${DEMO_THREADS:-4}
JSON=0
TLS=${DEMO_TLS:-0}
[ "$TLS" = 1 ] || TLS=0
while [ $# -gt 0 ]; do
    case $1 in
        --seconds) SECONDS_OPT=${2:-}; shift 2 ;;
        --seconds=*) SECONDS_OPT=${1#*=}; shift ;;
        --threads) THREADS=${2:-}; shift 2 ;;
        --threads=*) THREADS=${1#*=}; shift ;;
        --json) JSON=1; shift ;;
        --tls) TLS=1; shift ;;
        -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "demo: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
if ! [[ $SECONDS_OPT =~ ^[0-9]+([.][0-9]+)?$ ]] || ! awk -v s="$SECONDS_OPT" 'BEGIN{exit !(s >= 2 && s <= 3600)}'; then
    echo "demo: --seconds must be a number from 2 to 3600" >&2; exit 2
fi
if ! [[ $THREADS =~ ^[0-9]+$ ]] || [ "$THREADS" -lt 1 ] || [ "$THREADS" -gt 64 ]; then
    echo "demo: --threads must be 1 to 64" >&2; exit 2
fi
if [ "$TLS" -eq 1 ]; then TRANSPORT=TLSv1.3; else TRANSPORT=TCP; fi

# Human output: stdout, or stderr with --json (stdout then carries the JSON document only).
if [ "$JSON" -eq 1 ]; then exec 3>&2; else exec 3>&1; fi
say() { printf '%s\n' "$*" >&3; }

WORK=$(mktemp -d "${DEMO_TMPDIR:-${TMPDIR:-/tmp}}/cacipher-demo.XXXXXX") || { echo "demo: cannot make a temporary directory" >&2; exit 1; }
# shellcheck source=lib/evsm.sh
. scripts/lib/evsm.sh
CLIENT_PID=""
cleanup() {
    trap - EXIT INT TERM
    [ -n "$CLIENT_PID" ] && kill "$CLIENT_PID" 2>/dev/null && wait "$CLIENT_PID" 2>/dev/null
    evsm_stop_all
    if [ "${DEMO_KEEP:-0}" = 1 ]; then echo "demo: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'say "demo: interrupted; stopping everything"; exit 130' INT
trap 'exit 143' TERM

# fail STEP MESSAGE: the closing line for a run that did not get to the payment flow.
fail() {
    say "demo: $2"
    [ "$JSON" -eq 1 ] && printf '{"ok": false, "failedStep": "%s", "transport": "%s", "calls": 0, "failed": 1}\n' "$1" "$TRANSPORT"
    say "calls=0 failed=1 error=$1"
    exit 1
}

# Build quietly (logs in the temporary directory, shown on failure).
build() { # LOGNAME command...
    local log=$WORK/$1.log
    shift
    "$@" >"$log" 2>&1 || { tail -n 40 "$log" >&3; return 1; }
}
say "== build"
build build-evsm "$SWIFT" build --package-path "$ROOT/emulator" --product evsm || fail build "building evsm failed"
build build-vsmctl "$SWIFT" build --package-path "$ROOT/emulator" --product vsmctl || fail build "building vsmctl failed"
BIN=$("$SWIFT" build --package-path "$ROOT/emulator" --show-bin-path)
PREFIX=$WORK/prefix
build install make --no-print-directory install PREFIX="$PREFIX" SWIFT="$SWIFT" || fail build "make install failed"
export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
# shellcheck disable=SC2046
build cc cc -std=c11 -O2 -Wall -Wextra -Werror -pthread "$ROOT/examples/demo/payflow.c" -o "$WORK/payflow" \
    $(pkg-config --cflags --libs cacipher) -Wl,-rpath,"$PREFIX/lib" -lm || fail build "compiling payflow.c failed"
say "evsm, vsmctl: $BIN; libcacipher $(pkg-config --modversion cacipher) installed in a temporary prefix; payflow compiled with pkg-config"

# --tls: throw-away CA, server and client certificates (removed with the directory); every
# evsm also gets a TLS host port that requires a client certificate of that CA.
TLS_OPTS=()
if [ "$TLS" -eq 1 ]; then
    say "== test certificates (TLS)"
    CERTS=$WORK/certs
    build certs "$ROOT/scripts/make-test-certs.sh" "$CERTS" || fail certs "scripts/make-test-certs.sh failed"
    TLS_OPTS=(--tls-cert "$CERTS/server.pem" --tls-key "$CERTS/server-key.pem" --tls-client-ca "$CERTS/ca.pem")
    say "throw-away CA, server certificate (IP:127.0.0.1) and client certificate in the demo's temporary directory"
fi

say "== three evsm devices"
NAMES=(HOST1 HOST2 HOST3)
for n in "${NAMES[@]}"; do
    if [ "$TLS" -eq 1 ]; then extra=(--tls-port 0 "${TLS_OPTS[@]}"); else extra=(); fi
    evsm_start "$n" "$WORK" "$BIN/evsm" --port 0 --mgmt-port 0 --state "$WORK/state-$n" --log-level warning "${extra[@]}" \
        || fail evsm "device $n did not start"
    a=EVSM_ADDR_$n; m=EVSM_MGMT_$n; t=EVSM_TLS_$n
    if [ "$TLS" -eq 1 ]; then
        [ -n "${!t}" ] || fail evsm "device $n did not report its TLS host port"
        say "$n: host port ${!a}, TLS host port ${!t} (mutual TLS), management ${!m}, state directory state-$n, not initialised"
    else
        say "$n: host port ${!a}, management ${!m}, state directory state-$n, not initialised"
    fi
done

say "== DMK ceremony"
# PINs for the UKEYs, made for this run only (vsmctl reads them from a file descriptor).
pin() { od -An -N6 -tx1 /dev/urandom | tr -d ' \n'; }
P_C1=$(pin); P_C2=$(pin); P_C3=$(pin); P_A1=$(pin); P_A2=$(pin); P_A3=$(pin); P_N1=$(pin)
U=$WORK/ukeys
mkdir -p "$U" "$WORK/ukeys-host3"
VSMCTL=$BIN/vsmctl
ceremony_step() { # DESCRIPTION PINS vsmctl-args...
    local what=$1 pins=$2
    shift 2
    if "$VSMCTL" "$@" --yes --pin-fd 4 4< <(printf '%s\n' "$pins") >"$WORK/vsmctl.out" 2>&1; then
        say "  ok   $what"
    else
        sed 's/^/       /' "$WORK/vsmctl.out" >&3
        fail ceremony "$what failed"
    fi
}
ceremony_step "original initialisation on HOST1 (3 DMK components, 2-of-3 authorisation UKEYs)" \
    "$P_C1"$'\n'"$P_C2"$'\n'"$P_C3"$'\n'"$P_A1"$'\n'"$P_A2"$'\n'"$P_A3" \
    init original --device "$EVSM_MGMT_HOST1" --pin "$EVSM_FP_HOST1" --components 3 --auth 2-of-3 --ukey-dir "$U"
ceremony_step "recovery on HOST2 (components 3, 1, 2; authorisation synchronised from HOST1's UKEY 2)" \
    "$P_C3"$'\n'"$P_C1"$'\n'"$P_C2"$'\n'"$P_A2" \
    init recover --device "$EVSM_MGMT_HOST2" --pin "$EVSM_FP_HOST2" \
    --component "$U/dmk-component-3-of-3.ukey" "$U/dmk-component-1-of-3.ukey" "$U/dmk-component-2-of-3.ukey" \
    --sync-auth "$U/auth-share-2-of-3.ukey"
ceremony_step "recovery on HOST3 (components 1, 2, 3; a new 1-of-1 authorisation UKEY)" \
    "$P_C1"$'\n'"$P_C2"$'\n'"$P_C3"$'\n'"$P_N1" \
    init recover --device "$EVSM_MGMT_HOST3" --pin "$EVSM_FP_HOST3" \
    --component "$U/dmk-component-1-of-3.ukey" "$U/dmk-component-2-of-3.ukey" "$U/dmk-component-3-of-3.ukey" \
    --new-auth 1-of-1 --ukey-dir "$WORK/ukeys-host3"
unset P_C1 P_C2 P_C3 P_A1 P_A2 P_A3 P_N1

say ""
say "device  host port          DMK check value (vsmctl)  NC on the host port"
CVS=()
roles=("original" "recovery, synchronised authorisation" "recovery, new 1-of-1 authorisation")
CEREMONY_JSON="{\"ok\": true, \"devices\": ["
for i in 0 1 2; do
    n=${NAMES[$i]}; a=EVSM_ADDR_$n; m=EVSM_MGMT_$n; f=EVSM_FP_$n; t=EVSM_TLS_$n
    cv=$("$VSMCTL" dmk check --device "${!m}" --pin "${!f}" 2>/dev/null | awk '/^DMK check value/ {print $5}')
    nc=$(evsm_nc_check_value "${!a}" 2>/dev/null || true)
    say "$(printf '%-7s %-18s %-25s %s' "$n" "${!a}" "${cv:-?}" "${nc:-?}")"
    [ -n "$cv" ] && [ "$cv" = "$nc" ] || fail ceremony "$n: the management port and NC disagree on the DMK check value"
    CVS+=("$cv")
    [ "$i" -gt 0 ] && CEREMONY_JSON+=", "
    CEREMONY_JSON+="{\"name\": \"$n\", \"address\": \"${!a}\", \"tlsAddress\": \"${!t}\", \"management\": \"${!m}\", \"role\": \"${roles[$i]}\", \"dmkCheckValue\": \"$cv\"}"
done
[ "${CVS[0]}" = "${CVS[1]}" ] && [ "${CVS[1]}" = "${CVS[2]}" ] || fail ceremony "the DMK check values differ"
DMKCV=${CVS[0]}
say "equal DMK check values on all three devices: $DMKCV"
CEREMONY_JSON+="], \"equalCheckValues\": true, \"dmkCheckValue\": \"$DMKCV\"}"
printf '%s\n' "$CEREMONY_JSON" >"$WORK/ceremony.json"

# The application's configuration: the three devices as one group (with --tls: their TLS
# host ports, TLSv1.3 only, the server certificate verified against the test CA, and the
# client certificate for mutual TLS).
mkdir -p "$WORK/log"
{
    printf '[LOGGER]\nlogsw=error,warn,info\nlogPath=%s\n\n[GROUP]\ndmkCheckValue=%s\n' "$WORK/log" "$DMKCV"
    for n in "${NAMES[@]}"; do
        if [ "$TLS" -eq 1 ]; then a=EVSM_TLS_$n; else a=EVSM_ADDR_$n; fi
        printf '\n[%s]\nhost=%s\nport=%s\nlinkNum=-%s\nconnTimeout=1\nreadTimeout=2\n' "$n" "${!a%:*}" "${!a##*:}" "$THREADS"
        if [ "$TLS" -eq 1 ]; then
            printf 'socketProtocol=TLSv1.3\ntlsCAFile=%s\ntlsCertFile=%s\ntlsKeyFile=%s\ntlsVerify=1\n' \
                "$CERTS/ca.pem" "$CERTS/client.pem" "$CERTS/client-key.pem"
        fi
    done
} >"$WORK/cacipher.ini"

say ""
if [ "$TLS" -eq 1 ]; then
    say "== payment flow over TLSv1.3 (cacipher.ini: HOST1..HOST3 on their TLS ports, mutual TLS, [GROUP] dmkCheckValue=$DMKCV)"
else
    say "== payment flow over TCP (cacipher.ini: HOST1..HOST3, [GROUP] dmkCheckValue=$DMKCV)"
fi
EVENTS=$WORK/events
: >"$EVENTS"
event() { echo "$(date +%s.%N) $*" >>"$EVENTS"; say "  >> $*"; }
client_args=("$WORK/cacipher.ini" --seconds "$SECONDS_OPT" --threads "$THREADS" --events "$EVENTS"
             --ceremony "$WORK/ceremony.json" --ready "$WORK/ready")
if [ "$JSON" -eq 1 ]; then
    "$WORK/payflow" "${client_args[@]}" --json >"$WORK/result.json" &
else
    "$WORK/payflow" "${client_args[@]}" &
fi
CLIENT_PID=$!
for _ in $(seq 1 200); do
    [ -e "$WORK/ready" ] && break
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.05
done

# HOST2 dies at 30 % of the run (SIGKILL: no goodbye) and comes back at 55 %.
kill_at=$(awk -v s="$SECONDS_OPT" 'BEGIN{printf "%.2f", s * 0.30}')
back_at=$(awk -v s="$SECONDS_OPT" 'BEGIN{printf "%.2f", s * 0.25}')
if [ -e "$WORK/ready" ]; then
    sleep "$kill_at"
    victim=$EVSM_PID_HOST2
    event "kill HOST2 (evsm pid $victim) with SIGKILL"
    kill -KILL "$victim" 2>/dev/null
    wait "$victim" 2>/dev/null
    sleep "$back_at"
    port=${EVSM_ADDR_HOST2##*:}
    if [ "$TLS" -eq 1 ]; then extra=(--tls-port "${EVSM_TLS_HOST2##*:}" "${TLS_OPTS[@]}"); else extra=(); fi
    if evsm_start HOST2 "$WORK" "$BIN/evsm" --port "$port" --state "$WORK/state-HOST2" --log-level warning "${extra[@]}"; then
        if [ "$TLS" -eq 1 ]; then where="$EVSM_TLS_HOST2 (TLS) and $EVSM_ADDR_HOST2"; else where=$EVSM_ADDR_HOST2; fi
        event "restart HOST2 on $where (same state directory: DMK $(evsm_nc_check_value "$EVSM_ADDR_HOST2"))"
    else
        event "HOST2 did not restart"
    fi
fi
wait "$CLIENT_PID"
rc=$?
CLIENT_PID=""
[ "$JSON" -eq 1 ] && cat "$WORK/result.json"
exit "$rc"
