#!/usr/bin/env bash
# The metrics suite (`make test-metrics`): tests/metrics/metrics.c against the installed
# libcacipher (CACipher_MetricsText, CACipher_SetStateCallback with a dead standby,
# CACipher_TransmitTimeout on a silent HSM); the C program's metrics text and evsm's own
# GET /metrics (evsm --metrics-port) checked by check_exposition.py. Loopback only.
# Ends with `metrics: N passed, M failed`.
#
#   tests/metrics/run.sh PREFIX WORKDIR EVSM_BINARY
set -u
prefix=$1; work=$2; evsm=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
# shellcheck source=../common/suite.sh
. "$root/tests/common/suite.sh"
suite_init metrics "$prefix"
silent_pid=""
cleanup() { evsm_stop_all; [ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT INT TERM
tally() { suite_tally "$@"; }   # counts the ok/FAIL lines of a step's output

suite_cc "$work/metrics" cacipher "$here/metrics.c" || fail_out "metrics.c compiles"

evsm_start evsm "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 2 --log-level warning \
    --metrics-port 0 || fail_out "evsm --metrics-port 0 starts"
port=${EVSM_ADDR_evsm##*:}
murl=$(grep -m1 '^evsm metrics on ' "$work/evsm.out" | awk '{print $4}')
[ -n "$murl" ] || fail_out "evsm prints its metrics address"

# A port nothing listens on (the dead standby): bind an ephemeral port, then close it.
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
# A silent HSM: accepts, reads, never answers; ends by itself after 60 s.
python3 -c '
import socket, sys, time, select
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
conns, end = [], time.time() + 60
while time.time() < end:
    r, _, _ = select.select([s] + conns, [], [], 0.2)
    for c in r:
        if c is s: conns.append(s.accept()[0])
        elif not c.recv(4096): conns.remove(c)
' > "$work/silent.port" &
silent_pid=$!
for _ in $(seq 1 100); do [ -s "$work/silent.port" ] && break; sleep 0.05; done
silent=$(head -1 "$work/silent.port")
[ -n "$silent" ] || fail_out "silent HSM starts"

cat > "$work/good.ini" <<INI
[LOGGER]
logsw=error
logPath=$work
[GROUP]
standbyCheckInterval=200
[HOST1]
host=127.0.0.1
port=$port
linkNum=-2
connTimeout=2
readTimeout=5
msgheadlength=2
[HOST2]
host=127.0.0.1
port=$dead
linkNum=-2
connTimeout=1
readTimeout=5
msgheadlength=2
INI
cat > "$work/silent.ini" <<INI
[LOGGER]
logsw=error
logPath=$work
[HOST1]
host=127.0.0.1
port=$silent
linkNum=-1
connTimeout=2
readTimeout=5
msgheadlength=2
INI

LD_LIBRARY_PATH="$prefix/lib" timeout 60 "$work/metrics" "$work/good.ini" "$work/silent.ini" "$work/client.metrics" > "$work/c.out" 2>&1
rc=$?
cat "$work/c.out"
tally "$work/c.out"
grep -q '^metrics-c: ' "$work/c.out" || fail_out "metrics program exited $rc without a summary"

# The client's text: valid exposition, the counters of the calls and the ejected standby.
python3 "$here/check_exposition.py" "$work/client.metrics" \
    'cacipher_calls_total==4' 'cacipher_member_replies_total{member="HOST1"}==4' \
    'cacipher_member_state{member="HOST2",state="ejected"}==1' 'cacipher_member_calls_total{member="HOST2"}==0' \
    'cacipher_member_standby_probes_total{member="HOST2"}>=1' 'cacipher_call_duration_seconds_count==4' \
    > "$work/client.check" 2>&1
cat "$work/client.check"; tally "$work/client.check"

# evsm's own counters over HTTP (curl when installed, else python3).
fetch() {
    if command -v curl > /dev/null; then curl -s -m 5 -o "$2" -w '%{http_code}' "$1"
    else python3 -c '
import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=5); open(sys.argv[2], "wb").write(r.read()); print(r.status)
except urllib.error.HTTPError as e: print(e.code)' "$1" "$2"; fi
}
code=$(fetch "$murl" "$work/evsm.metrics")
if [ "$code" = 200 ]; then echo "ok - GET $murl -> 200"; passed=$((passed + 1)); else echo "FAIL - GET $murl -> $code"; failed=$((failed + 1)); fi
python3 "$here/check_exposition.py" "$work/evsm.metrics" \
    'evsm_commands_total{command="NC"}>=4' 'evsm_connections_total>=1' 'evsm_connections_open>=0' > "$work/evsm.check" 2>&1
cat "$work/evsm.check"; tally "$work/evsm.check"
code=$(fetch "${murl%/metrics}/other" "$work/other.out")
if [ "$code" = 404 ]; then echo "ok - GET /other -> 404"; passed=$((passed + 1)); else echo "FAIL - GET /other -> $code"; failed=$((failed + 1)); fi
# An error reply is counted by code: A0 with a bad key type answers an error.
python3 - "$port" > "$work/err.out" 2>&1 <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
body = b"00" + b"ZZ"
s.sendall(len(body).to_bytes(2, "big") + body)
print(s.recv(100))
PY
fetch "$murl" "$work/evsm2.metrics" > /dev/null
python3 "$here/check_exposition.py" "$work/evsm2.metrics" 'evsm_command_errors_total{code="68"}>=1' > "$work/evsm2.check" 2>&1
cat "$work/evsm2.check"; tally "$work/evsm2.check"
finish
