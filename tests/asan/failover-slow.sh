#!/usr/bin/env bash
# tests/failover/failover.c for a slow-starting program (valgrind): the same three local
# evsm and the same kill/restart of member 2 as tests/failover/run.sh, but the kill waits
# until the program has made calls (its log shows traffic), and the run is longer.
# Ends with `failover: N passed, M failed`.
#
#   tests/asan/failover-slow.sh PREFIX WORKDIR EVSM_BINARY
set -u
prefix=$1; work=$2; evsm=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
# shellcheck source=../../scripts/lib/evsm.sh
. "$root/scripts/lib/evsm.sh"
trap evsm_stop_all EXIT INT TERM
fail_out() { echo "FAIL - $1"; echo "failover: 0 passed, 1 failed"; exit 1; }

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -pthread "$root/tests/failover/failover.c" -o "$work/failover" \
    $(pkg-config --cflags --libs cacipher) || fail_out "failover.c compiles"

start_evsm() { # index port -> device evsmINDEX (EVSM_PID_evsmINDEX, EVSM_ADDR_evsmINDEX)
    evsm_start "evsm$1" "$work" "$evsm" --test-lmk --port "$2" --bind 127.0.0.1 --log-level warning
}
ports=()
for i in 1 2 3; do start_evsm "$i" 0 || fail_out "evsm $i starts"; addr=EVSM_ADDR_evsm$i; ports[$i]=${!addr##*:}; done
{
    printf '[LOGGER]\nlogsw=error,warn,info\nlogPath=%s\n' "$work"
    for i in 1 2 3; do printf '[HOST%d]\nhost=127.0.0.1\nport=%s\nlinkNum=-4\nconnTimeout=1\nreadTimeout=2\n' "$i" "${ports[$i]}"; done
} > "$work/cacipher.ini"

LD_LIBRARY_PATH="$prefix/lib" timeout 300 "$work/failover" "$work/cacipher.ini" "${FAILOVER_SECONDS:-12}" 8 > "$work/failover.out" 2>&1 &
client=$!
# wait (at most 60 s) for the program's first logged traffic, then 1 s more
for _ in $(seq 1 600); do
    grep -qs 'HOST2' "$work"/cacipher-*.log && break
    sleep 0.1
done
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
