#!/usr/bin/env bash
# The TLS suite: the installed libcacipher over TLSv1.3 against local evsm TLS host ports
# (test-LMK mode, certificates from scripts/make-test-certs.sh in WORKDIR).
#
#   tests/tls/run.sh PREFIX WORKDIR EVSM_BINARY          checks, ends with `tls: N passed, M failed`
#   tests/tls/run.sh PREFIX WORKDIR EVSM_BINARY bench    B2 calls/s over TCP and over TLSv1.3
#                                                        (BENCH_SECONDS, BENCH_THREADS)
set -u
prefix=$1; work=$2; evsm=$3; mode=${4:-test}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
# shellcheck source=../common/suite.sh
. "$root/tests/common/suite.sh"
suite_init tls "$prefix"
cleanup() { evsm_stop_all; rm -rf "$work/certs"; }
trap cleanup EXIT INT TERM

suite_cc "$work/tls" cacipher "$here/tls.c" || fail_out "tls.c compiles"
"$root/scripts/make-test-certs.sh" "$work/certs" > /dev/null || fail_out "make-test-certs.sh"
certs=$work/certs

tcp_port=""; tls_port=""
start_evsm() { # index cert [extra...] -> device evsmINDEX, $tcp_port, $tls_port
    local i=$1 cert=$2 addr tls; shift 2
    evsm_start "evsm$i" "$work" "$evsm" --test-lmk --port 0 --tls-port 0 --tls-cert "$certs/$cert.pem" \
        --tls-key "$certs/$cert-key.pem" --log-level warning "$@" || return 1
    addr=EVSM_ADDR_evsm$i; tls=EVSM_TLS_evsm$i
    [ -n "${!tls}" ] || return 1
    tcp_port=${!addr##*:}; tls_port=${!tls##*:}
}

ini() { # file port... : one TLSv1.3 section per port
    local f=$1 n=0; shift
    printf '[LOGGER]\nlogsw=error,warn\nlogPath=%s\n' "$work" > "$f"
    for p in "$@"; do
        n=$((n + 1))
        printf '[HOST%d]\nhost=127.0.0.1\nport=%s\nlinkNum=-8\nconnTimeout=1\nreadTimeout=2\nsocketProtocol=TLSv1.3\ntlsCAFile=%s/ca.pem\n' \
            "$n" "$p" "$certs" >> "$f"
    done
}

export LD_LIBRARY_PATH="$prefix/lib"
if [ "$mode" = bench ]; then
    start_evsm 1 server || fail_out "evsm starts"
    printf '[LOGGER]\nlogsw=error\nlogPath=%s\n[HOST1]\nhost=127.0.0.1\nport=%s\nlinkNum=-8\n' "$work" "$tcp_port" > "$work/tcp.ini"
    ini "$work/tls.ini" "$tls_port"
    s=${BENCH_SECONDS:-3}; t=${BENCH_THREADS:-8}
    echo "B2 (16 bytes), $t threads, 8 pooled connections, one evsm, $s s each:"
    printf '  TCP      '; "$work/tls" bench "$work/tcp.ini" "$s" "$t" | grep calls/s
    printf '  TLSv1.3  '; "$work/tls" bench "$work/tls.ini" "$s" "$t" | grep calls/s
    exit 0
fi

start_evsm 1 server || fail_out "evsm 1 starts"; tcp1=$tcp_port; tls1=$tls_port
start_evsm 2 server --tls-client-ca "$certs/ca.pem" || fail_out "evsm 2 (mutual TLS) starts"; mtls=$tls_port
start_evsm 3 expired || fail_out "evsm 3 (expired certificate) starts"; expired=$tls_port
start_evsm 4 server || fail_out "evsm 4 starts"; tls4=$tls_port

"$work/tls" check "$certs" "$tcp1" "$tls1" "$mtls" "$expired" > "$work/check.out" 2>&1
cat "$work/check.out"

# Failover over TLS: members 1 and 4, member 1 killed with SIGKILL while 8 threads call.
ini "$work/load.ini" "$tls1" "$tls4"
timeout 60 "$work/tls" load "$work/load.ini" "${TLS_LOAD_SECONDS:-3}" 8 > "$work/load.out" 2>&1 &
client=$!
sleep 1
evsm_kill evsm1 KILL
wait "$client"; rc=$?
cat "$work/load.out"
[ $rc -le 1 ] || echo "FAIL - load program exited $rc (a signal such as SIGPIPE?)" | tee -a "$work/load.out"

suite_tally "$work/check.out" "$work/load.out"
finish
