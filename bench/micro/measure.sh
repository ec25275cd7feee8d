#!/bin/sh
# make perf: instructions and allocations per call (valgrind, repeatable on a shared
# machine) and calls/s with 1 and 8 threads for each path of CACipherBench.
#
# Per call = (count for N2 calls - count for N1 calls) / (N2 - N1): start-up, the pool's
# first connection and the DMK check cancel out. Only the client process is counted (the
# forked echo HSM writes its own valgrind output, which is ignored).
#
#   bench/micro/measure.sh BENCH_BINARY [MODES]
set -eu
BIN=$1
MODES=${2:-transmit capi echo mac}
N1=${PERF_N1:-1000}
N2=${PERF_N2:-5000}
RATE_CALLS=${PERF_RATE_CALLS:-20000}
RATE_REPEAT=${PERF_RATE_REPEAT:-3}   # 0: valgrind counts only
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# valgrind TOOL N MODE -> prints the client's figure (Ir or allocs)
count() {
    tool=$1 n=$2 m=$3
    if [ "$tool" = callgrind ]; then
        valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.%p" --log-file="$TMP/log.%p" \
            "$BIN" --mode "$m" --calls "$n" >/dev/null &
        pid=$!; wait $pid
        sed -n 's/^summary: *//p' "$TMP/cg.$pid"
    else
        valgrind --tool=memcheck --leak-check=no --log-file="$TMP/log.%p" \
            "$BIN" --mode "$m" --calls "$n" >/dev/null &
        pid=$!; wait $pid
        sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' "$TMP/log.$pid" | tr -d ,
    fi
}

# median calls/s of RATE_REPEAT runs ("-" when PERF_RATE_REPEAT=0)
rate() {
    m=$1 t=$2 n=$3
    [ "$RATE_REPEAT" -gt 0 ] || { echo -; return; }
    for i in $(seq "$RATE_REPEAT"); do
        "$BIN" --mode "$m" --threads "$t" --calls "$n" | sed -n 's/.*calls\/s=\([0-9]*\).*/\1/p'
    done | sort -n | sed -n "$(( (RATE_REPEAT + 1) / 2 ))p"
}

echo "| path | instructions/call | allocations/call | calls/s 1 thread | calls/s 8 threads |"
echo "|---|---:|---:|---:|---:|"
for m in $MODES; do
    i1=$(count callgrind "$N1" "$m"); i2=$(count callgrind "$N2" "$m")
    a1=$(count memcheck "$N1" "$m"); a2=$(count memcheck "$N2" "$m")
    ir=$(( (i2 - i1) / (N2 - N1) ))
    al=$(awk -v a="$a1" -v b="$a2" -v n="$(( N2 - N1 ))" 'BEGIN { printf "%.2f", (b - a) / n }')
    r1=$(rate "$m" 1 "$RATE_CALLS")
    r8=$(rate "$m" 8 "$(( RATE_CALLS / 8 ))")
    echo "| $m | $ir | $al | $r1 | $r8 |"
done
