#!/usr/bin/env bash
# bench/outlier.sh - the "outlier" scenarios of `make bench` (issue 15 goals: "wrong-reply
# member: fewer than 10 ejections in 30 s; slow (1.5 s) member: p99.9 of the group within 2x
# of the no-fault run; all blackholed: every call fails within readTimeout + 100 ms").
# Called by bench/run.sh (its own block); runs on its own too:
#
#   bench/outlier.sh EVSM OUTLIER_CLIENT RESULTS_JSON
#
# OUTLIER_THREADS (16) threads of CC through libcacipher (bench/outlier.c), connTimeout=1,
# readTimeout=2, linkNum=-threads, no [GROUP] dmkCheckValue (the quorum decides), hedgeDelay
# default (auto). Runs:
#   wrong           HOST1 is bench/faulty_member.py wrong in front of an evsm (NC answered
#                   correctly, every other command "ZZ00"), HOST2, HOST3 evsm; OUTLIER_SECONDS
#                   (30 = 10 x BENCH_SECONDS)
#   nofault         three evsm --test-lmk; OUTLIER_SLOW_SECONDS (15 = 5 x BENCH_SECONDS)
#   slow            HOST1 is faulty_member.py slow (every reply held 1.5 s) in front of an evsm;
#                   OUTLIER_SLOW_SECONDS (15)
#   blackhole       all three members faulty_member.py blackhole (accept, never reply),
#                   [GROUP] dmkCheckValue pinned (the group's value); OUTLIER_BLACKHOLE_SECONDS
#                   (10 = 3 x BENCH_SECONDS + 1)
#   blackhole-quorum  the same without the pin
# OUTLIER_RUNS ("wrong slow blackhole") selects the groups of runs.
# Loopback only; every process stopped at exit.
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: bench/outlier.sh EVSM OUTLIER_CLIENT RESULTS_JSON" >&2; exit 2; }
EVSM=$1 CLIENT=$2 OUT=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
THREADS=${OUTLIER_THREADS:-16}
BASE=${BENCH_SECONDS:-3}                       # make bench's cell (3 s): the runs scale with it
[[ $BASE =~ ^[0-9]+$ ]] && [ "$BASE" -ge 1 ] || BASE=3
WRONG_SECONDS=${OUTLIER_SECONDS:-$((10 * BASE))}
SLOW_SECONDS=${OUTLIER_SLOW_SECONDS:-$((5 * BASE))}
BH_SECONDS=${OUTLIER_BLACKHOLE_SECONDS:-$((3 * BASE + 1))}
READ_MS=2000
RUNS=" ${OUTLIER_RUNS:-wrong slow blackhole} "   # which groups of runs (slow includes nofault)
want() { [[ $RUNS == *" $1 "* ]]; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cacipher-outlier.XXXXXX")
# shellcheck source=../scripts/lib/evsm.sh
. "$ROOT/scripts/lib/evsm.sh"
FAKE_PIDS=()
stop_fakes() {
    local p
    for p in "${FAKE_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${FAKE_PIDS[@]}"; do wait "$p" 2>/dev/null; done
    FAKE_PIDS=()
}
# OUTLIER_KEEP_LOGS=DIR: the library's logs of each run are copied there (default: removed).
cleanup() {
    trap - EXIT INT TERM; stop_fakes; evsm_stop_all
    [ -n "${OUTLIER_KEEP_LOGS:-}" ] && mkdir -p "$OUTLIER_KEEP_LOGS" && cp -r "$WORK"/log-* "$OUTLIER_KEEP_LOGS"/ 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
die() { echo "outlier: $*" >&2; exit 1; }

# fake_start NAME MODE [UPSTREAM_PORT]: sets FAKE_PORT_<NAME>.
fake_start() {
    local name=$1 out=$WORK/fake-$1.out i line=""
    shift
    python3 "$ROOT/bench/faulty_member.py" "$@" >"$out" 2>"$WORK/fake-$name.err" &
    FAKE_PIDS+=("$!")
    for i in $(seq 1 100); do
        line=$(grep -m1 '^faulty listening on ' "$out" 2>/dev/null) && break
        sleep 0.05
    done
    [ -n "$line" ] || { cat "$WORK/fake-$name.err" >&2; return 1; }
    printf -v "FAKE_PORT_$name" '%s' "${line##*:}"
}

# run NAME SECONDS BOUND_MS PIN PORT... : one load run on the members PORT... (HOST1 first).
: >"$WORK/outlier.jsonl"
run() {
    local name=$1 seconds=$2 bound=$3 pin=$4 n=1 p
    shift 4
    mkdir -p "$WORK/log-$name"
    {
        printf '[LOGGER]\nlogsw=error,warn\nlogPath=%s\n' "$WORK/log-$name"
        [ -n "$pin" ] && printf '\n[GROUP]\ndmkCheckValue=%s\n' "$pin"
        for p in "$@"; do
            printf '\n[HOST%d]\nhost=127.0.0.1\nport=%s\nlinkNum=-%s\nconnTimeout=1\nreadTimeout=%s\n' "$n" "$p" "$THREADS" "$((READ_MS / 1000))"
            n=$((n + 1))
        done
    } >"$WORK/$name.ini"
    timeout $((seconds + 120)) "$CLIENT" "$WORK/$name.ini" "$THREADS" "$seconds" "$bound" >"$WORK/$name.json" \
        || die "the load program failed ($name)"
    python3 - "$name" "$WORK/$name.json" "$WORK/log-$name" >>"$WORK/outlier.jsonl" <<'PY' || die "outlier result ($name)"
import glob, json, sys
name, path, logdir = sys.argv[1:4]
r = json.load(open(path))
log = "".join(open(f, errors="replace").read() for f in glob.glob(logdir + "/*"))
r.update({"run": name, "ejections": sum(m["ejections"] for m in r["memberList"]),
          "dampedLines": log.count("re-admission damped"), "drainedLines": log.count("drained, kept in")})
print(json.dumps(r))
PY
    tail -n 1 "$WORK/outlier.jsonl" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print("  %-16s %8d calls, %6d failed, p50 %7.2f ms, p99.9 %8.2f ms, max %8.1f ms, ejections %s, hedges %d%s" % (r["run"], r["calls"], r["failed"], r["p50Micros"]/1e3, r["p999Micros"]/1e3, r["maxMicros"]/1e3, [m["ejections"] for m in r["memberList"]], r["hedgesSent"], ("; failed calls: max %.0f ms, %d over %d ms" % (r["failedMaxMicros"]/1e3, r["failedOverBound"], r["boundMs"])) if r["failed"] else ""))'
}

for n in 1 2 3; do
    evsm_start "o$n" "$WORK" "$EVSM" --test-lmk --port 0 --log-level warning || die "evsm o$n did not start"
done
p1=${EVSM_ADDR_o1##*:} p2=${EVSM_ADDR_o2##*:} p3=${EVSM_ADDR_o3##*:}
group_cv=$(evsm_nc_check_value "$EVSM_ADDR_o1")
[ -n "$group_cv" ] || die "cannot read the group's DMK check value"

if want wrong; then
    echo "  wrong-reply member (HOST1), ${WRONG_SECONDS}s"
    fake_start wrong wrong "$p1" || die "the wrong-reply member did not start"
    run wrong "$WRONG_SECONDS" 0 "" "$FAKE_PORT_wrong" "$p2" "$p3"
    stop_fakes
fi
if want slow; then
    echo "  slow member (HOST1, every reply after 1.5 s) against no fault, ${SLOW_SECONDS}s each"
    run nofault "$SLOW_SECONDS" 0 "" "$p1" "$p2" "$p3"
    fake_start slow slow "$p1" || die "the slow member did not start"
    run slow "$SLOW_SECONDS" 0 "" "$FAKE_PORT_slow" "$p2" "$p3"
    stop_fakes
fi
evsm_stop_all
if want blackhole; then
    echo "  every member blackholed (accept, never reply), ${BH_SECONDS}s; goal: each call fails within readTimeout + 100 ms"
    for n in 1 2 3; do fake_start "bh$n" blackhole || die "blackhole member $n did not start"; done
    run blackhole "$BH_SECONDS" $((READ_MS + 100)) "$group_cv" "$FAKE_PORT_bh1" "$FAKE_PORT_bh2" "$FAKE_PORT_bh3"
    run blackhole-quorum "$BH_SECONDS" $((READ_MS + 100)) "" "$FAKE_PORT_bh1" "$FAKE_PORT_bh2" "$FAKE_PORT_bh3"
    stop_fakes
fi

python3 - "$WORK/outlier.jsonl" "$OUT" "$THREADS" <<'PY' || die "cannot write $OUT"
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {r["run"]: r for r in runs}
nf, sl = by.get("nofault"), by.get("slow")
json.dump({"runs": runs,
           "slowP999Ratio": round(sl["p999Micros"] / nf["p999Micros"], 2) if nf and sl and nf["p999Micros"] else None,
           "notes": "%s threads of CC (test LMK) through libcacipher on three members (connTimeout=1, readTimeout=2, linkNum=-threads, hedgeDelay auto); faulty members are bench/faulty_member.py on 127.0.0.1 (wrong: NC forwarded to an evsm, every other command answered ZZ00; slow: every reply of an evsm held back 1.5 s; blackhole: accepts, never replies); no dmkCheckValue except in the blackhole run (pinned; blackhole-quorum: not pinned). ejections: the sum of the members' cacipher_host_status.ejections at the end; hedges: cacipher_hedges_total. Goals: wrong < 10 ejections; slow p99.9 <= 2x nofault; blackhole: every call fails within readTimeout + 100 ms (failedOverBound = 0)" % sys.argv[3]},
          open(sys.argv[2], "w"), indent=1)
print("wrote " + sys.argv[2])
PY
