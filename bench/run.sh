#!/usr/bin/env bash
# make bench: libcacipher against a minimal C client, libcacipher over TLSv1.3 against
# itself over TCP, evsm's own throughput, and the failure drill. Not part of the tests.
# Loopback only.
#
#   bench/run.sh [RESULTS_DIR]          (default results/)
#
# Writes RESULTS_DIR/bench-latest.json, bench-latest.md and bench-latest.png (the plot is
# made from the JSON by bench/report.py, which installs matplotlib from PyPI if missing).
# Environment: SWIFT; BENCH_SECONDS per comparison run (3); BENCH_REPEAT runs per client and
# cell (3, median reported); BENCH_EVSM_SECONDS per evsm --bench cell (2); BENCH_THREADS
# thread counts compared ("1 8"); BENCH_DRILL_THREADS (8).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SWIFT=${SWIFT:-swift}
RESULTS=${1:-$ROOT/results}
CELL=${BENCH_SECONDS:-3}
REPEAT=${BENCH_REPEAT:-3}
EVSM_CELL=${BENCH_EVSM_SECONDS:-2}
THREADS_LIST=${BENCH_THREADS:-1 8}
DRILL_THREADS=${BENCH_DRILL_THREADS:-8}
OUTDIR=$ROOT/out/bench
SCRATCH=$ROOT/.build-bench-emulator # release evsm (emulator package), apart from the library's release build
mkdir -p "$OUTDIR" "$RESULTS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cacipher-bench.XXXXXX")
# shellcheck source=../scripts/lib/evsm.sh
. scripts/lib/evsm.sh
cleanup() { trap - EXIT INT TERM; evsm_stop_all; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
die() { echo "bench: $*" >&2; exit 1; }

echo "== build (release)"
"$SWIFT" build --package-path "$ROOT/emulator" -c release --product evsm --scratch-path "$SCRATCH" >"$OUTDIR/build-evsm.log" 2>&1 \
    || { tail -n 30 "$OUTDIR/build-evsm.log"; die "release build of evsm failed"; }
EVSM=$("$SWIFT" build --package-path "$ROOT/emulator" -c release --scratch-path "$SCRATCH" --show-bin-path)/evsm
PREFIX=$OUTDIR/prefix
make --no-print-directory install PREFIX="$PREFIX" SWIFT="$SWIFT" >"$OUTDIR/install.log" 2>&1 \
    || { tail -n 30 "$OUTDIR/install.log"; die "make install failed"; }
export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
CFLAGS_B="-std=c11 -O2 -Wall -Wextra -Werror -pthread"
# shellcheck disable=SC2086
cc $CFLAGS_B bench/baseline.c -o "$OUTDIR/baseline" || die "baseline.c does not compile"
# shellcheck disable=SC2046,SC2086
cc $CFLAGS_B bench/libclient.c -o "$OUTDIR/libclient" $(pkg-config --cflags --libs cacipher) -Wl,-rpath,"$PREFIX/lib" || die "libclient.c does not compile"
# shellcheck disable=SC2046,SC2086
cc $CFLAGS_B bench/drill.c -o "$OUTDIR/drill" $(pkg-config --cflags --libs cacipher) -Wl,-rpath,"$PREFIX/lib" -lm || die "drill.c does not compile"
# shellcheck disable=SC2046,SC2086
cc $CFLAGS_B -DAPI_CACIPHER bench/apiclient.c -o "$OUTDIR/api-cacipher" $(pkg-config --cflags --libs cacipher) -Wl,-rpath,"$PREFIX/lib" || die "apiclient.c (cacipher) does not compile"
# shellcheck disable=SC2046,SC2086
cc $CFLAGS_B -DAPI_TASS bench/apiclient.c -o "$OUTDIR/api-tass" $(pkg-config --cflags --libs cacipher-tass) -Wl,-rpath,"$PREFIX/lib" || die "apiclient.c (tass) does not compile"

echo "== machine"
mem_kb=$(awk '/^MemTotal/ {print $2}' /proc/meminfo)
cat >"$WORK/machine.json" <<EOF
{"nproc": $(nproc), "cpu": "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo | sed 's/"/ /g')",
 "memoryGiB": $(awk -v k="$mem_kb" 'BEGIN{printf "%.1f", k / 1048576}'),
 "os": "$(. /etc/os-release && echo "$PRETTY_NAME")", "kernel": "$(uname -r)",
 "swift": "$("$SWIFT" --version 2>/dev/null | head -n 1 | sed 's/"/ /g')",
 "library": "$(pkg-config --modversion cacipher)", "commit": "$(git rev-parse --short HEAD 2>/dev/null)",
 "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "load": "$(cut -d' ' -f1-3 /proc/loadavg)"}
EOF
cat "$WORK/machine.json"

echo "== evsm --bench (in-process listener, ${EVSM_CELL}s per cell)"
"$EVSM" --bench --bench-seconds "$EVSM_CELL" | tee "$WORK/evsm-bench.txt" || die "evsm --bench failed"

echo "== libcacipher vs baseline.c, and libcacipher over TLSv1.3 (one evsm --test-lmk, release; ${CELL}s per cell)"
# Throw-away certificates (removed with WORK): the evsm's TLS host port requires a client
# certificate of the test CA; the library verifies the server's (tlsVerify=1).
"$ROOT/scripts/make-test-certs.sh" "$WORK/certs" >"$WORK/certs.log" 2>&1 || { cat "$WORK/certs.log"; die "make-test-certs.sh failed"; }
evsm_start cmp "$WORK" "$EVSM" --test-lmk --port 0 --tls-port 0 --tls-cert "$WORK/certs/server.pem" \
    --tls-key "$WORK/certs/server-key.pem" --tls-client-ca "$WORK/certs/ca.pem" --log-level warning || die "evsm did not start"
port=${EVSM_ADDR_cmp##*:}
tls_port=${EVSM_TLS_cmp##*:}
[ -n "$tls_port" ] || die "evsm did not report its TLS host port"
: >"$WORK/compare.jsonl"
# The evsm's CPU time (user + system, clock ticks) from /proc: read around each run, it
# gives the server's CPU per call (serverCpuMicrosPerCall) beside the client's own.
CLK_TCK=$(getconf CLK_TCK)
evsm_cpu_ticks() { sed 's/^.*) //' "/proc/$EVSM_PID_cmp/stat" | awk '{print $12 + $13}'; }
# Each cell runs REPEAT times, the three clients alternating (baseline over TCP, the
# library over TCP, the library over TLSv1.3 to the same evsm); the run with the median
# calls/s of each client is reported (all runs are kept in the JSON).
for cmd in B2 CC; do
    for n in $THREADS_LIST; do
        for rep in $(seq 1 "$REPEAT"); do
            for client in baseline libclient libclient-tls; do
                ticks0=$(evsm_cpu_ticks)
                case $client in
                    libclient-tls) line=$("$OUTDIR/libclient" "$tls_port" "$cmd" "$n" "$CELL" "$WORK/certs") ;;
                    *) line=$("$OUTDIR/$client" "$port" "$cmd" "$n" "$CELL") ;;
                esac || die "$client $cmd $n threads reported errors: $line"
                ticks1=$(evsm_cpu_ticks)
                line=$(echo "$line" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); t=(int(sys.argv[2])-int(sys.argv[1]))/float(sys.argv[3]); r["serverCpuMicrosPerCall"]=round(t*1e6/r["calls"], 2) if r["calls"] else None; print(json.dumps(r))' "$ticks0" "$ticks1" "$CLK_TCK")
                echo "$line" >>"$WORK/compare.jsonl"
                echo "$line" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print("  %-11s %-7s %s %2d threads: %8.0f calls/s  p50 %6.0f us  p99 %6.0f us  CPU/call client %5.1f us, evsm %5.1f us" % (r["client"], r["transport"], r["command"], r["threads"], r["callsPerSecond"], r["p50Micros"], r["p99Micros"], r["clientCpuMicrosPerCall"], r["serverCpuMicrosPerCall"] or 0))'
            done
        done
    done
done

echo "== the vendor API (libcacipher-tass) vs the native typed call, same TI translation, same evsm"
: >"$WORK/api.jsonl"
for n in $THREADS_LIST; do
    for rep in $(seq 1 "$REPEAT"); do
        for client in api-cacipher api-tass; do
            line=$("$OUTDIR/$client" "$port" "$n" "$CELL") || die "$client $n threads reported errors: $line"
            echo "$line" >>"$WORK/api.jsonl"
            echo "$line" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print("  %-14s TI %2d threads: %8.0f calls/s  p50 %6.0f us  p99 %6.0f us  CPU/call %5.1f us" % (r["client"], r["threads"], r["callsPerSecond"], r["p50Micros"], r["p99Micros"], r["clientCpuMicrosPerCall"]))'
        done
    done
done
evsm_stop_all

echo "== failure drill (three evsm --test-lmk, $DRILL_THREADS threads of CC through libcacipher)"
for n in 1 2 3; do
    evsm_start "d$n" "$WORK" "$EVSM" --test-lmk --port 0 --log-level warning || die "evsm d$n did not start"
done
{
    printf '[LOGGER]\nlogsw=error,warn,info\nlogPath=%s\n' "$WORK"
    for n in 1 2 3; do
        a=EVSM_ADDR_d$n
        printf '\n[HOST%s]\nhost=127.0.0.1\nport=%s\nlinkNum=-%s\nconnTimeout=1\nreadTimeout=1\n' "$n" "${!a##*:}" "$DRILL_THREADS"
    done
} >"$WORK/drill.ini"
EVENTS=$WORK/drill-events
: >"$EVENTS"
ev() { echo "$(date +%s.%N) $*" >>"$EVENTS"; echo "  $(date +%T) $*"; }
"$OUTDIR/drill" "$WORK/drill.ini" "$DRILL_THREADS" 30 "$EVENTS" "$WORK/drill-ready" >"$WORK/drill.json" &
drill=$!
for _ in $(seq 1 100); do [ -e "$WORK/drill-ready" ] && break; sleep 0.05; done
[ -e "$WORK/drill-ready" ] || die "the drill did not start"
restart() { # member-number
    local a=EVSM_ADDR_d$1
    evsm_start "d$1" "$WORK" "$EVSM" --test-lmk --port "${!a##*:}" --log-level warning
}
sleep 3
ev "a fault 0 (a) kill HOST1 with SIGKILL"
kill -KILL "$EVSM_PID_d1"; wait "$EVSM_PID_d1" 2>/dev/null
sleep 1
restart 1 && ev "a recover 0 (a) HOST1 restarted on the same port"
sleep 4
ev "b fault 1 (b) stop HOST2 with SIGSTOP (connections stay open, nothing answers)"
kill -STOP "$EVSM_PID_d2"
sleep 3
kill -CONT "$EVSM_PID_d2"
ev "b recover 1 (b) resume HOST2 with SIGCONT"
sleep 5
ev "c fault 2 (c) HOST3 refuses connections: killed, port kept closed"
kill -KILL "$EVSM_PID_d3"; wait "$EVSM_PID_d3" 2>/dev/null
sleep 5
restart 3 && ev "c recover 2 (c) HOST3 restarted on the same port"
wait "$drill" || die "the drill program failed"
evsm_stop_all

echo "== results"
python3 - "$WORK" "$RESULTS/bench-latest.json" <<'PY' || die "cannot write the results"
import json, re, sys
work, out = sys.argv[1], sys.argv[2]
machine = json.load(open(work + "/machine.json"))
evsm = []
lines = open(work + "/evsm-bench.txt").read().splitlines()
header = next((l for l in lines if l.startswith("command")), "")
conns = [int(x) for x in re.findall(r"(\d+) conn", header)]
for l in lines:
    m = re.match(r"^(\S+ .*?)\s{2,}([\d\s]+)$", l)
    if m and not l.startswith("command"):
        rates = [float(x) for x in m.group(2).split()]
        evsm.append({"command": m.group(1).strip(), "perConnections": dict(zip([str(c) for c in conns], rates))})
rows = [json.loads(l) for l in open(work + "/compare.jsonl") if l.strip()]
def median_run(client, cmd, threads, transport="TCP"):
    runs = sorted((x for x in rows if x["client"] == client and x["command"] == cmd and x["threads"] == threads
                   and x.get("transport", "TCP") == transport),
                  key=lambda x: x["callsPerSecond"])
    if not runs:
        return None, []
    return runs[len(runs) // 2], [x["callsPerSecond"] for x in runs]
def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None
comparison = []
tls = []
cells = []
for x in rows:
    if (x["command"], x["threads"]) not in cells:
        cells.append((x["command"], x["threads"]))
for cmd, threads in cells:
    r, rruns = median_run("libcacipher", cmd, threads)
    b, bruns = median_run("baseline", cmd, threads)
    comparison.append({"command": cmd, "threads": threads, "connections": r["connections"],
                       "library": r, "baseline": b, "runs": {"library": rruns, "baseline": bruns},
                       "ratio": {"callsPerSecond": round(r["callsPerSecond"] / b["callsPerSecond"], 3) if b["callsPerSecond"] else None,
                                 "p50": round(r["p50Micros"] / b["p50Micros"], 3) if b["p50Micros"] else None,
                                 "p99": round(r["p99Micros"] / b["p99Micros"], 3) if b["p99Micros"] else None}})
    t, truns = median_run("libcacipher", cmd, threads, "TLSv1.3")
    if t:
        tls.append({"command": cmd, "threads": threads, "connections": t["connections"], "tcp": r, "tls": t,
                    "runs": {"tcp": rruns, "tls": truns},
                    "ratio": {"callsPerSecond": ratio(t["callsPerSecond"], r["callsPerSecond"]),
                              "p50": ratio(t["p50Micros"], r["p50Micros"]), "p99": ratio(t["p99Micros"], r["p99Micros"])}})
api = []
arows = [json.loads(l) for l in open(work + "/api.jsonl") if l.strip()]
for threads in sorted({x["threads"] for x in arows}):
    def med(client):
        runs = sorted((x for x in arows if x["client"] == client and x["threads"] == threads), key=lambda x: x["callsPerSecond"])
        return (runs[len(runs) // 2] if runs else None), [x["callsPerSecond"] for x in runs]
    n, nruns = med("cacipher-typed")
    t, truns = med("tass-compat")
    if n and t:
        api.append({"command": "TI", "threads": threads, "native": n, "compat": t, "runs": {"native": nruns, "compat": truns},
                    "ratio": {"callsPerSecond": ratio(t["callsPerSecond"], n["callsPerSecond"]),
                              "clientCpuPerCall": ratio(t["clientCpuMicrosPerCall"], n["clientCpuMicrosPerCall"])}})
drill = json.load(open(work + "/drill.json"))
doc = {"machine": machine, "evsmBench": evsm, "comparison": comparison, "tls": tls, "vendorApi": api, "drill": drill,
       "notes": {"comparison": "same evsm (release, --test-lmk), same command, one connection per thread on both sides; library: one [HOST1] with linkNum=-threads, logging off; each side run several times alternating, the median run (by calls/s) reported, all runs' calls/s in runs; clientCpuMicrosPerCall: the client process's CPU time (getrusage) per call; serverCpuMicrosPerCall: the evsm process's CPU time (/proc/PID/stat, 1/CLK_TCK resolution) per call during that run",
                 "tls": "libcacipher over TLSv1.3 (mutual TLS, server certificate verified, throw-away test certificates) against libcacipher over TCP, same evsm process, same command, threads and pool size (linkNum=-threads); the TCP figures are the library runs of the comparison. evsm's plain host port is SwiftNIO, its TLS host port is a thread-per-connection OpenSSL listener, so the ratio includes that server difference, not only the cost of TLS in the library",
                 "vendorApi": "the same TI translation through CACipher_TranslatePIN (libcacipher) and HSM_RCL_TransferCipherPin_Zpk2Zpk (libcacipher-tass), same evsm, one [HOST1] with linkNum=-threads, logging off, alternating runs, median by calls/s; clientCpuPerCall ratio: the compat layer's CPU cost over the native call's",
                 "drill": "8 threads of CC through libcacipher on three evsm (connTimeout=1, readTimeout=1, linkNum=-threads); times in seconds from the start of the load"}}
json.dump(doc, open(out, "w"), indent=1)
print("wrote " + out)
PY
python3 bench/report.py "$RESULTS/bench-latest.json" "$RESULTS/bench-latest.md" "$RESULTS/bench-latest.png" || die "report failed"
cat "$RESULTS/bench-latest.md"
