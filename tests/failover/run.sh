#!/usr/bin/env bash
# The failover suite: three local evsm (test-LMK mode, so they share the payShield test
# LMK and report one DMK check value), a C program loading the installed libcacipher and
# calling CACipher_Transmit from 8 threads, one evsm killed (SIGKILL) mid-run and started
# again on the same port. Ends with `failover: N passed, M failed`.
#
#   tests/failover/run.sh PREFIX WORKDIR EVSM_BINARY
#
# Environment: FAILOVER_SECONDS (load, default 4), FAILOVER_TIMEOUT (bound on the program,
# default 120 s), FAILOVER_WAIT_FOR_TRAFFIC=1 for a slow-starting program (valgrind): the
# kill waits (at most 60 s) until the program's log shows traffic.
set -u
prefix=$1; work=$2; evsm=$3
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
cat > "$work/cacipher.ini" <<INI
[LOGGER]
logsw=error,warn,info
logPath=$work

[HOST1]
host=127.0.0.1
port=${ports[1]}
linkNum=-4
connTimeout=1
readTimeout=2
[HOST2]
host=127.0.0.1
port=${ports[2]}
linkNum=-4
connTimeout=1
readTimeout=2
[HOST3]
host=127.0.0.1
port=${ports[3]}
linkNum=-4
connTimeout=1
readTimeout=2
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
grep -q '^failover: [0-9]* passed, [0-9]* failed' "$work/failover.out" || fail_out "failover program exited $rc without a summary"
exit $rc
