#!/usr/bin/env bash
# The demo as a test suite (`make test-demo`): runs scripts/demo.sh for a few seconds in
# JSON mode and checks what it reports, once over TCP and once with --tls (TLSv1.3, mutual
# TLS), then runs it again and interrupts it (SIGINT to its process group, as Ctrl-C does)
# to check the clean-up, and once with a build that fails.
# Prints "demo: N passed, M failed".
#
#   examples/demo/test.sh [WORKDIR]      (default out/test-demo)
# Environment: SWIFT, TEST_DEMO_SECONDS (default 4), TEST_DEMO_TLS_SECONDS (default 3).
set -u
unset DEMO_TLS   # each run below says itself whether it wants --tls
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
work=${1:-$ROOT/out/test-demo}
rm -rf "$work" && mkdir -p "$work/interrupt"
passed=0; failed=0
ok()  { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# Processes whose command line mentions DIR (the demo's evsm, payflow, ...), if any.
procs_under() {
    local dir=$1 p
    for p in /proc/[0-9]*; do
        [ "${p#/proc/}" = "$$" ] && continue
        tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF "$dir" && echo "${p#/proc/}"
    done
}

# ---- 1. a short run over TCP, then a shorter one over TLSv1.3 (--tls), same checks
# short_run NAME TRANSPORT SECONDS [demo options...]: runs the demo in $work/NAME with
# --json and checks what it reports.
short_run() {
    local name=$1 transport=$2 secs=$3
    shift 3
    local dir=$work/$name
    mkdir -p "$dir/tmp"
    echo "running: scripts/demo.sh --seconds $secs --json $*"
    DEMO_TMPDIR=$dir/tmp timeout 300 scripts/demo.sh --seconds "$secs" --json "$@" >"$dir/result.json" 2>"$dir/human.log"
    local rc=$?
    sed 's/^/    /' "$dir/human.log"
    check "[$transport] the demo exits 0" '[ "$rc" -eq 0 ]'
    local last
    last=$(tail -n 1 "$dir/human.log")
    check "[$transport] the last line reads calls=N failed=0 ... transport=$transport ($last)" \
        '[[ $last =~ ^calls=[1-9][0-9]*\ failed=0(\ |$) ]] && [[ $last == *" transport=$transport" ]]'
    check "[$transport] the summary names the transport" 'grep -q "^transport: $transport" "$dir/human.log"'
    python3 - "$dir/result.json" "$transport" >"$dir/json-checks" 2>&1 <<'PY'
import json, sys
transport = sys.argv[2]
def line(cond, text): print(("ok " if cond else "FAIL ") + "[%s] %s" % (transport, text))
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    line(False, "stdout is one JSON document (%s)" % e); sys.exit(0)
line(True, "stdout is one JSON document")
c = r.get("ceremony") or {}
line(c.get("ok") is True and len(c.get("devices", [])) == 3, "ceremony ok on three devices")
cvs = [d.get("dmkCheckValue") for d in c.get("devices", [])] + [m.get("dmkCheckValue") for m in r.get("members", [])]
line(len(cvs) == 6 and len(set(cvs)) == 1 and len(cvs[0] or "") == 16,
     "equal DMK check values (ceremony and every member's NC): %s" % sorted(set(cvs)))
load = r.get("load", {})
line(load.get("calls", 0) > 0, "calls made: %s" % load.get("calls"))
line(load.get("failed") == 0 and load.get("bad") == 0, "no call failed, no result wrong (failed=%s bad=%s)" % (load.get("failed"), load.get("bad")))
ch = r.get("checks", {})
line(ch.get("ejectionSeen") is True and ch.get("rejoinSeen") is True,
     "the killed member was ejected and rejoined (%s, ejected at %s s, back at %s s)" % (ch.get("rejoinMember"), ch.get("ejectedAt"), ch.get("rejoinedAt")))
line(any(e["text"].startswith("kill HOST2") for e in r.get("events", [])) and any(e["text"].startswith("restart HOST2") for e in r.get("events", [])),
     "the kill and the restart are in the events")
members = r.get("members", [])
line(r.get("transport") == transport and len(members) == 3 and all(m.get("socketProtocol") == transport for m in members),
     "the JSON's transport and every member's socketProtocol are %s (%s; %s)" % (transport, r.get("transport"), [m.get("socketProtocol") for m in members]))
devices = c.get("devices", [])
if transport == "TCP":
    line([m.get("address") for m in members] == [d.get("address") for d in devices],
         "the library used the devices' plain host ports")
else:
    tls = [d.get("tlsAddress") for d in devices]
    line(all(tls) and [m.get("address") for m in members] == tls and tls != [d.get("address") for d in devices],
         "the library used the devices' TLS host ports (%s), not the plain ones" % tls)
    line(r.get("tlsVerify") is True, "certificates verified (tlsVerify=1)")
line(r.get("ok") is True, "the JSON says ok")
PY
    local word text
    while read -r word text; do
        if [ "$word" = ok ]; then ok "$text"; else bad "$text"; fi
    done <"$dir/json-checks"
    local left
    left=$(procs_under "$dir/tmp")
    check "[$transport] no process left behind${left:+ (pids $left)}" '[ -z "$left" ]'
    check "[$transport] no temporary file left behind (state, UKEYs, certificates)" '[ -z "$(ls -A "$dir/tmp")" ]'
}
short_run run TCP "${TEST_DEMO_SECONDS:-4}"
short_run tls TLSv1.3 "${TEST_DEMO_TLS_SECONDS:-3}" --tls

# ---- 2. Ctrl-C in the middle of the load
echo "running: scripts/demo.sh --seconds 60, interrupted once the load runs"
set -m   # the demo gets its own process group, with SIGINT not ignored
DEMO_TMPDIR=$work/interrupt scripts/demo.sh --seconds 60 >"$work/interrupt.log" 2>&1 &
demo=$!
set +m
for _ in $(seq 1 1200); do
    ls "$work"/interrupt/cacipher-demo.*/ready >/dev/null 2>&1 && break
    kill -0 "$demo" 2>/dev/null || break
    sleep 0.1
done
running=$(ls "$work"/interrupt/cacipher-demo.*/ready 2>/dev/null)
check "the demo's load started" '[ -n "$running" ]'
kill -INT -- "-$demo" 2>/dev/null
ended=0
for _ in $(seq 1 150); do
    kill -0 "$demo" 2>/dev/null || { ended=1; break; }
    sleep 0.1
done
wait "$demo" 2>/dev/null
irc=$?
check "an interrupted demo stops within 15 s and exits non-zero (exit $irc)" '[ "$ended" -eq 1 ] && [ "$irc" -ne 0 ]'
sleep 0.2
left=$(procs_under "$work/interrupt")
check "after Ctrl-C no process is left${left:+ (pids $left)}" '[ -z "$left" ]'
check "after Ctrl-C no temporary file is left" '[ -z "$(ls -A "$work/interrupt")" ]'
if [ -n "$left" ]; then kill -KILL $left 2>/dev/null; fi   # only the ones this test started

# ---- 3. a step that fails still ends with the closing line, non-zero, and cleans up
mkdir -p "$work/broken"
DEMO_TMPDIR=$work/broken SWIFT=false scripts/demo.sh --seconds 2 >"$work/broken.log" 2>&1
brc=$?
blast=$(tail -n 1 "$work/broken.log")
check "a demo whose build fails exits non-zero and ends with '$blast'" '[ "$brc" -ne 0 ] && [ "$blast" = "calls=0 failed=1 error=build" ]'
check "a failed demo leaves no temporary file" '[ -z "$(ls -A "$work/broken")" ]'

echo "demo: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
