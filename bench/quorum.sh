#!/usr/bin/env bash
# bench/quorum.sh - the "quorum" scenario of `make bench` (issue 15 goal: "DMK: 0 of 100 fresh
# client processes send anything to the odd member, whatever its position or speed; the
# majority never refused"). Called by bench/run.sh (its own block); runs on its own too:
#
#   bench/quorum.sh EVSM VSMCTL QUORUM_CLIENT RESULTS_JSON
#
# Three members: two `evsm --test-lmk` (the group's DMK) and one normal-mode evsm initialised
# by `vsmctl init original` (another DMK, "the odd member"), which serves --metrics-port.
# No [GROUP] dmkCheckValue. Four arrangements: the odd member as HOST1, HOST2, HOST3, and
# "fastest" (the odd member HOST1 and the two others SIGSTOPped for 100 ms as each client
# starts, so its NC answer comes first). Per arrangement QUORUM_CLIENTS (100) fresh processes
# of bench/quorum.c, each QUORUM_CALLS (3) x CC. Counted: the commands other than NC that
# reached the odd member (its evsm_commands_total counters before and after), the client
# calls that failed, and the processes that had the odd member serving (state up). A control
# client against the odd member alone checks that its counter does count commands.
# Loopback only; every device stopped at exit.
set -uo pipefail
[ $# -eq 4 ] || { echo "usage: bench/quorum.sh EVSM VSMCTL QUORUM_CLIENT RESULTS_JSON" >&2; exit 2; }
EVSM=$1 VSMCTL=$2 CLIENT=$3 OUT=$4
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=${QUORUM_CLIENTS:-100}
CALLS=${QUORUM_CALLS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cacipher-quorum.XXXXXX")
# shellcheck source=../scripts/lib/evsm.sh
. "$ROOT/scripts/lib/evsm.sh"
cleanup() { trap - EXIT INT TERM; evsm_stop_all; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
die() { echo "quorum: $*" >&2; exit 1; }

for g in 1 2; do
    evsm_start "q$g" "$WORK" "$EVSM" --test-lmk --port 0 --log-level warning || die "evsm q$g did not start"
done
evsm_start odd "$WORK" "$EVSM" --port 0 --state "$WORK/odd-state" --mgmt-port 0 --metrics-port 0 --log-level warning \
    || die "the odd evsm did not start"
mkdir -p "$WORK/odd-ukeys"
# Throw-away ceremony secrets of a throw-away device (removed with WORK).
export QUORUM_ODD_PINS=$'quorum-odd-component-1\nquorum-odd-component-2\nquorum-odd-auth-pin'
"$VSMCTL" init original --device "$EVSM_MGMT_odd" --pin "$EVSM_FP_odd" --components 2 --auth 1-of-1 \
    --ukey-dir "$WORK/odd-ukeys" --pin-env QUORUM_ODD_PINS --yes >"$WORK/odd-ceremony.out" 2>&1 \
    || { cat "$WORK/odd-ceremony.out"; die "vsmctl init original failed"; }
unset QUORUM_ODD_PINS
metrics_url=$(grep -m1 -o 'http://[^ ]*/metrics' "$WORK/odd.out") || die "the odd evsm did not print its metrics port"
group_cv=$(evsm_nc_check_value "$EVSM_ADDR_q1")
odd_cv=$(evsm_nc_check_value "$EVSM_ADDR_odd")
[ -n "$group_cv" ] && [ -n "$odd_cv" ] && [ "$group_cv" != "$odd_cv" ] \
    || die "the odd member does not hold another DMK (group '$group_cv', odd '$odd_cv')"
echo "  group DMK check value $group_cv (HOST q1, q2), odd member $odd_cv"

# The odd member's commands other than NC (evsm_commands_total), from its /metrics.
odd_commands() {
    python3 - "$metrics_url" <<'PY'
import re, sys, urllib.request
text = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
n = 0
for m in re.finditer(r'^evsm_commands_total\{command="([^"]*)"\} (\d+)', text, re.M):
    if m.group(1) != "NC":
        n += int(m.group(2))
print(n)
PY
}

p1=${EVSM_ADDR_q1##*:} p2=${EVSM_ADDR_q2##*:} po=${EVSM_ADDR_odd##*:}
: >"$WORK/quorum.jsonl"
for arr in odd-HOST1 odd-HOST2 odd-HOST3 odd-fastest; do
    case $arr in
        odd-HOST1 | odd-fastest) order="$po $p1 $p2" ;;
        odd-HOST2) order="$p1 $po $p2" ;;
        odd-HOST3) order="$p1 $p2 $po" ;;
    esac
    mkdir -p "$WORK/log-$arr"
    {
        printf '[LOGGER]\nlogsw=error,warn,info\nlogPath=%s\n' "$WORK/log-$arr"
        n=1
        for p in $order; do
            printf '\n[HOST%d]\nhost=127.0.0.1\nport=%s\nlinkNum=-2\nconnTimeout=1\nreadTimeout=2\n' "$n" "$p"
            n=$((n + 1))
        done
    } >"$WORK/$arr.ini"
    before=$(odd_commands) || die "cannot read the odd member's metrics"
    : >"$WORK/$arr.jsonl"
    for _ in $(seq 1 "$CLIENTS"); do
        if [ "$arr" = odd-fastest ]; then
            kill -STOP "$EVSM_PID_q1" "$EVSM_PID_q2"
            timeout 60 "$CLIENT" "$WORK/$arr.ini" "$CALLS" >>"$WORK/$arr.jsonl" 2>>"$WORK/$arr.err" &
            c=$!
            sleep 0.1
            kill -CONT "$EVSM_PID_q1" "$EVSM_PID_q2"
            wait "$c" || die "a client failed to start ($arr): $(tail -n 1 "$WORK/$arr.err")"
        else
            timeout 60 "$CLIENT" "$WORK/$arr.ini" "$CALLS" >>"$WORK/$arr.jsonl" 2>>"$WORK/$arr.err" \
                || die "a client failed to start ($arr): $(tail -n 1 "$WORK/$arr.err")"
        fi
    done
    after=$(odd_commands) || die "cannot read the odd member's metrics"
    odd_index=$(case $arr in odd-HOST2) echo 1 ;; odd-HOST3) echo 2 ;; *) echo 0 ;; esac)
    python3 - "$arr" "$odd_index" "$before" "$after" "$CALLS" "$WORK/$arr.jsonl" "$WORK/log-$arr" >>"$WORK/quorum.jsonl" <<'PY' || die "quorum result ($arr)"
import glob, json, sys
arr, odd, before, after, calls, path, logdir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
rows = [json.loads(l) for l in open(path) if l.strip()]
log = "".join(open(f, errors="replace").read() for f in glob.glob(logdir + "/*"))
r = {"arrangement": arr, "clients": len(rows), "callsPerClient": calls,
     "callsOk": sum(x["ok"] for x in rows), "callsFailed": sum(x["failed"] for x in rows),
     "commandsToOddMember": after - before,
     "clientsWithOddMemberUp": sum(1 for x in rows if x["members"][odd]["state"] == 1),
     "clientsWithOddMemberMismatch": sum(1 for x in rows if x["members"][odd]["state"] == 3),
     "clientsWithAGoodMemberRefused": sum(1 for x in rows if any(m["state"] == 3 for i, m in enumerate(x["members"]) if i != odd)),
     "quorumDecisionLines": log.count("by quorum"), "tieLines": log.count("tie broken"),
     "firstErrors": sorted({x["firstError"] for x in rows if x["firstError"]})[:3]}
print(json.dumps(r))
PY
    tail -n 1 "$WORK/quorum.jsonl" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print("  %-12s %3d clients: commands to the odd member %d, calls ok %d, failed %d, odd member up in %d, a good member refused in %d" % (r["arrangement"], r["clients"], r["commandsToOddMember"], r["callsOk"], r["callsFailed"], r["clientsWithOddMemberUp"], r["clientsWithAGoodMemberRefused"]))'
done
# Control: the counter does see commands. One client against the odd member alone (a group of
# one takes its member's DMK): its CC calls reach it (and fail: another LMK).
printf '[LOGGER]\nlogsw=error\nlogPath=%s\n\n[HOST1]\nhost=127.0.0.1\nport=%s\nlinkNum=-1\nconnTimeout=1\nreadTimeout=2\n' \
    "$WORK/log-control" "$po" >"$WORK/control.ini"
mkdir -p "$WORK/log-control"
before=$(odd_commands) || die "cannot read the odd member's metrics"
timeout 60 "$CLIENT" "$WORK/control.ini" "$CALLS" >"$WORK/control.json" 2>&1 || die "the control client failed: $(cat "$WORK/control.json")"
after=$(odd_commands) || die "cannot read the odd member's metrics"
control=$((after - before))
echo "  control: one client against the odd member alone: $control command(s) counted (expected $CALLS)"
[ "$control" -eq "$CALLS" ] || die "the odd member's counter did not count the control client's $CALLS commands ($control)"
python3 - "$WORK/quorum.jsonl" "$OUT" "$group_cv" "$odd_cv" "$control" <<'PY' || die "cannot write $OUT"
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
tot = lambda k: sum(r[k] for r in runs)
json.dump({"runs": runs, "groupCheckValue": sys.argv[3], "oddCheckValue": sys.argv[4], "controlCommandsCounted": int(sys.argv[5]),
           "total": {"clients": tot("clients"), "commandsToOddMember": tot("commandsToOddMember"),
                     "callsOk": tot("callsOk"), "callsFailed": tot("callsFailed"),
                     "clientsWithOddMemberUp": tot("clientsWithOddMemberUp"),
                     "clientsWithAGoodMemberRefused": tot("clientsWithAGoodMemberRefused")},
           "notes": "fresh client processes (bench/quorum.c: CACipher_Init, N x CC, CACipher_Finalize) on three members, two evsm --test-lmk and one evsm initialised by vsmctl init original (another DMK); no [GROUP] dmkCheckValue; connTimeout=1, readTimeout=2, linkNum=-2; odd-fastest: the odd member is HOST1 and the two others are SIGSTOPped for 100 ms as each client starts. commandsToOddMember: its evsm_commands_total other than NC (from its --metrics-port) after minus before. Goal: 0 commands to the odd member, 0 failed calls"},
          open(sys.argv[2], "w"), indent=1)
print("wrote " + sys.argv[2])
PY
