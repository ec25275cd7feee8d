#!/usr/bin/env bash
# The failover suite: three local evsm (test-LMK mode, so they share the payShield test
# LMK and report one DMK check value), a C program loading the installed libcacipher and
# calling CACipher_Transmit from 8 threads, one evsm killed (SIGKILL) mid-run and started
# again on the same port. Then a second run over four members: HOST2 an evsm initialised
# with vsmctl (another DMK, so the DMK guard keeps it out: no command completes on it) and
# HOST1 stopped (SIGSTOP, a member that accepts but never answers) for 2.5 s mid-run and
# continued: no call fails, HOST1 is ejected and rejoins. Ends with `failover: N passed, M failed`.
#
#   tests/failover/run.sh PREFIX WORKDIR EVSM_BINARY [VSMCTL_BINARY]
#
# VSMCTL_BINARY defaults to the vsmctl beside EVSM_BINARY.
# Environment: FAILOVER_SECONDS (load, default 4), FAILOVER_TIMEOUT (bound on the program,
# default 120 s), FAILOVER_WAIT_FOR_TRAFFIC=1 for a slow-starting program (valgrind): the
# kill waits (at most 60 s) until the program's log shows traffic.
set -u
prefix=$1; work=$2; evsm=$3; vsmctl=${4:-$(dirname "$evsm")/vsmctl}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
# shellcheck source=../common/suite.sh
. "$root/tests/common/suite.sh"
suite_init failover "$prefix"

suite_cc "$work/failover" cacipher "$here/failover.c" || fail_out "failover.c compiles"

start_evsm() { # index port -> device evsmINDEX (EVSM_PID_evsmINDEX, EVSM_ADDR_evsmINDEX)
    evsm_start "evsm$1" "$work" "$evsm" --test-lmk --port "$2" --bind 127.0.0.1 --log-level warning
}

ports=()
for i in 1 2 3; do
    start_evsm "$i" 0 || fail_out "evsm $i starts"
    addr=EVSM_ADDR_evsm$i; ports[$i]=${!addr##*:}
done
member_ini() { # port... -> [HOSTn] sections on stdout
    local n=0 p
    for p in "$@"; do
        n=$((n + 1))
        printf '[HOST%d]\nhost=127.0.0.1\nport=%s\nlinkNum=-4\nconnTimeout=1\nreadTimeout=2\n' "$n" "$p"
    done
}
cat > "$work/cacipher.ini" <<INI
[LOGGER]
logsw=error,warn,info
logPath=$work

$(member_ini "${ports[1]}" "${ports[2]}" "${ports[3]}")
INI
echo "members: 127.0.0.1:${ports[1]} 127.0.0.1:${ports[2]} 127.0.0.1:${ports[3]}"

LD_LIBRARY_PATH="$prefix/lib" timeout "${FAILOVER_TIMEOUT:-120}" "$work/failover" "$work/cacipher.ini" "${FAILOVER_SECONDS:-4}" 8 \
    > "$work/failover.out" 2>&1 &
client=$!
if [ "${FAILOVER_WAIT_FOR_TRAFFIC:-0}" = 1 ]; then
    for _ in $(seq 1 600); do
        grep -qs 'HOST2' "$work"/cacipher-*.log && break
        sleep 0.1
    done
fi
sleep 1
echo "killing member 2 (pid $EVSM_PID_evsm2) with SIGKILL"
evsm_kill evsm2 KILL
sleep 1
echo "restarting member 2 on port ${ports[2]}"
start_evsm 2 "${ports[2]}" || echo "warning: member 2 did not restart"
wait "$client"; rc=$?
cat "$work/failover.out"
suite_add_summary "$work/failover.out" failover "$rc"

echo "== a stopped member and a member with another DMK"
[ -x "$vsmctl" ] || fail_out "vsmctl found at $vsmctl (needed to give a member another DMK)"
evsm_start odd "$work" "$evsm" --port 0 --mgmt-port 0 --bind 127.0.0.1 --log-level warning || fail_out "the odd member starts"
mkdir -p "$work/ukeys-odd"
FAILOVER_ODD_PINS=$'odd-comp-1\nodd-comp-2\nodd-auth-1' timeout 60 "$vsmctl" init original --device "$EVSM_MGMT_odd" \
    --pin "$EVSM_FP_odd" --components 2 --auth 1-of-1 --ukey-dir "$work/ukeys-odd" --pin-env FAILOVER_ODD_PINS --yes \
    > "$work/vsmctl-odd.out" 2>&1 || { cat "$work/vsmctl-odd.out"; fail_out "vsmctl gives the odd member its own DMK"; }
odd_cv=$(evsm_nc_check_value "$EVSM_ADDR_odd")
group_cv=$(evsm_nc_check_value "$EVSM_ADDR_evsm1")
echo "odd member DMK check value $odd_cv, the others $group_cv"
[ -n "$odd_cv" ] && [ "$odd_cv" != "$group_cv" ] && pass "the odd member holds another DMK" || fail "the odd member holds another DMK ($odd_cv)"
mkdir -p "$work/run2"
cat > "$work/run2/cacipher.ini" <<INI
[LOGGER]
logsw=error,warn,info
logPath=$work/run2

$(member_ini "${ports[1]}" "${EVSM_ADDR_odd##*:}" "${ports[2]}" "${ports[3]}")
INI
LD_LIBRARY_PATH="$prefix/lib" FAILOVER_ODD_MEMBER=2 timeout "${FAILOVER_TIMEOUT:-120}" "$work/failover" "$work/run2/cacipher.ini" \
    "${FAILOVER_SECONDS:-4}" 8 > "$work/failover2.out" 2>&1 &
client=$!
if [ "${FAILOVER_WAIT_FOR_TRAFFIC:-0}" = 1 ]; then
    for _ in $(seq 1 600); do
        grep -qs 'HOST1' "$work"/run2/cacipher-*.log && break
        sleep 0.1
    done
fi
sleep 1
echo "stopping member 1 (pid $EVSM_PID_evsm1) with SIGSTOP for 2.5 s"
kill -STOP "$EVSM_PID_evsm1"
sleep 2.5
kill -CONT "$EVSM_PID_evsm1"
echo "member 1 continued"
wait "$client"; rc=$?
cat "$work/failover2.out"
suite_add_summary "$work/failover2.out" failover "$rc"
grep -s "\[error\].*HOST2 .*-> dmkMismatch: DMK check value $odd_cv differs" "$work"/run2/cacipher-*.log >/dev/null \
    && pass "the DMK guard's refusal of HOST2 is logged at error, with its check value" \
    || fail "the DMK guard's refusal of HOST2 is logged at error, with its check value"
finish

