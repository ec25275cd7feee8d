#!/usr/bin/env bash
# make test-vsmctl: the operator CLI's contract (docs/ceremony.md, "Exit statuses" and
# "JSON output"): --timeout against a closed port and a silent listener, the exit status
# of every kind of failure, --json parsed by python3 for every command, the warning when
# the device certificate is not pinned. 127.0.0.1 only; every vsmctl run is bounded by
# `timeout` (a hang fails the check instead of stalling the suite).
#   tests/vsmctl/run.sh EVSM VSMCTL
set -uo pipefail
cd "$(dirname "$0")/../.."
EVSM=$1; VSMCTL=$2
. scripts/lib/evsm.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vsmctl-test.XXXXXX")
SILENT_PID=""
cleanup() {
    evsm_stop_all
    [ -n "$SILENT_PID" ] && kill "$SILENT_PID" 2>/dev/null && wait "$SILENT_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "  ok   $1"; }
bad() { fail=$((fail + 1)); echo "  FAIL $1"; [ -s "$WORK/err" ] && sed 's/^/       /' "$WORK/err" | head -5; }
# run EXPECTED_STATUS NAME vsmctl-args...: stdout to $WORK/out, stderr to $WORK/err
run() {
    local want=$1 name=$2; shift 2
    timeout 30 "$VSMCTL" "$@" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$name (exit $rc)"; return 0; fi
    bad "$name: exit $rc, want $want"; return 1
}
# json NAME PYTHON-EXPRESSION: evaluates the expression with `d` = the JSON on stdout
json() {
    local name=$1 expr=$2
    if python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$WORK/out" "$expr" 2>>"$WORK/err"; then ok "$name"
    else bad "$name: $(head -c 300 "$WORK/out")"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "== a closed port fails fast (exit 3)"
P=$(free_port)
run 3 "closed port" dmk check --device "127.0.0.1:$P" --timeout 2
grep -q "cannot connect" "$WORK/err" && ok "closed port: clear message" || bad "closed port: clear message"
run 3 "closed port --json" dmk check --device "127.0.0.1:$P" --timeout 2 --json
json "closed port: JSON error" 'd["ok"] is False and d["exitStatus"] == 3 and d["error"]["kind"] == "connect" and d["error"]["code"] == "channel" and "cannot connect" in d["error"]["message"]'

echo "== a listening but silent server times out (exit 3)"
# Accepts connections (the kernel does, into the backlog) and never answers; exits by itself.
python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1",0)); s.listen(8)
print(s.getsockname()[1], flush=True)
s.settimeout(1); conns=[]; end=time.time()+60
while time.time() < end:
    try: conns.append(s.accept()[0])
    except socket.timeout: pass
' >"$WORK/silent.port" &
SILENT_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/silent.port" ] && break; sleep 0.05; done
SP=$(head -1 "$WORK/silent.port")
run 3 "silent server" dmk check --device "127.0.0.1:$SP" --timeout 1
grep -q "did not answer" "$WORK/err" && ok "silent server: says it did not answer" || bad "silent server: says it did not answer"
run 3 "silent server --json" device status --device "127.0.0.1:$SP" --timeout 1 --json
json "silent server: JSON error code timeout" 'd["ok"] is False and d["error"]["code"] == "timeout" and d["error"]["kind"] == "connect"'
run 3 "silent server, device fingerprint" device fingerprint --device "127.0.0.1:$SP" --timeout 1
kill "$SILENT_PID" 2>/dev/null; wait "$SILENT_PID" 2>/dev/null; SILENT_PID=""

echo "== usage errors (exit 64)"
run 64 "no --device" dmk check
run 64 "--timeout 0" dmk check --device 127.0.0.1:1 --timeout 0
run 64 "--device without a port" dmk check --device 127.0.0.1
run 64 "fingerprint with neither --device nor --state" device fingerprint
run 64 "init original, --device without a port, --json" init original --device 127.0.0.1 --ukey-dir "$WORK" --yes --json
[ ! -s "$WORK/out" ] && ok "usage error: no JSON on stdout" || bad "usage error: no JSON on stdout: $(head -c 200 "$WORK/out")"
run 64 "init original --auth foo --json" init original --device 127.0.0.1:1 --auth foo --ukey-dir "$WORK" --yes --json
[ ! -s "$WORK/out" ] && grep -q "K-of-N" "$WORK/err" && ok "bad --auth: usage text, no JSON" || bad "bad --auth: usage text, no JSON: $(head -c 200 "$WORK/out")"
run 64 "init recover --new-auth 0-of-0" init recover --device 127.0.0.1:1 --component a b --new-auth 0-of-x --ukey-dir "$WORK" --json
run 64 "device fingerprint --device without a port" device fingerprint --device 127.0.0.1 --json
run 64 "--pin-fd and --pin-env together" init original --device 127.0.0.1:1 --ukey-dir "$WORK" --pin-fd 0 --pin-env X --yes --json
[ ! -s "$WORK/out" ] && grep -q "not both" "$WORK/err" && ok "--pin-fd with --pin-env: usage text, no JSON" || bad "--pin-fd with --pin-env: usage text, no JSON"
[ ! -s "$WORK/out" ] && ok "device fingerprint usage error: no JSON" || bad "device fingerprint usage error: no JSON: $(head -c 200 "$WORK/out")"

echo "== local failures come before the device is contacted (docs/ceremony.md, step 1)"
P=$(free_port)
export VSMCTL_TEST_PINS=$'pin-1-abc\npin-2-abc\npin-3-abc'
run 5 "init original, missing UKEY directory, device unreachable (file, not connect)" init original \
    --device "127.0.0.1:$P" --timeout 2 --components 2 --auth 1-of-1 --ukey-dir "$WORK/no-such-dir" --pin-env VSMCTL_TEST_PINS --yes --json
json "missing UKEY directory: JSON error ukey-io" 'd["error"]["code"] == "ukey-io" and d["error"]["kind"] == "file" and "certificate" not in d'
run 2 "init original, 1 component, device unreachable (refused, not connect)" init original \
    --device "127.0.0.1:$P" --timeout 2 --components 1 --auth 1-of-1 --ukey-dir "$WORK" --pin-env VSMCTL_TEST_PINS --yes --json
json "1 component: JSON error component-count" 'd["error"]["code"] == "component-count"'
unset VSMCTL_TEST_PINS

echo "== a device"
evsm_start A "$WORK" "$EVSM" --port 0 --mgmt-port 0 --state "$WORK/state-A" || { bad "evsm starts"; echo "vsmctl: $pass passed, $fail failed"; exit 1; }
M=$EVSM_MGMT_A; FP=$EVSM_FP_A
run 0 "device status --json" device status --device "$M" --pin "$FP" --json
json "device status: JSON fields" 'd["ok"] is True and d["command"] == "device status" and d["device"] == "'"$M"'" and d["initialised"] is False and d["dmkCheckValue"] is None and d["authorisation"] is None and d["busy"] is False and d["certificate"] == {"fingerprint": "'"$FP"'", "pinned": True}'
grep -q "(pinned)" "$WORK/err" && ! grep -q "NOT pinned" "$WORK/err" && ok "pinned: says so" || bad "pinned: says so"
run 0 "device status, not pinned" device status --device "$M"
grep -q "warning: .*NOT pinned" "$WORK/err" && ok "not pinned: warning on stderr" || bad "not pinned: warning on stderr"
grep -q "not initialised" "$WORK/out" && ok "device status: text" || bad "device status: text"
run 0 "device fingerprint --json (device)" device fingerprint --device "$M" --json
json "device fingerprint: JSON" 'd["ok"] is True and d["fingerprint"] == "'"$FP"'" and d["source"] == "device" and d["certificate"]["pinned"] is False'
run 0 "device fingerprint --json (state)" device fingerprint --state "$WORK/state-A" --json
json "device fingerprint --state: JSON" 'd["fingerprint"] == "'"$FP"'" and d["source"] == "state"'
run 5 "device fingerprint of a missing state directory" device fingerprint --state "$WORK/nope" --json
json "missing state: JSON error kind file" 'd["ok"] is False and d["error"]["kind"] == "file"'
run 2 "dmk check of a device not initialised (refused)" dmk check --device "$M" --pin "$FP" --json
json "not initialised: JSON error code" 'd["error"]["code"] == "not-initialised" and d["exitStatus"] == 2'

OTHER=SHA256:$(printf '0%.0s' $(seq 1 64))
run 4 "another certificate pinned" dmk check --device "$M" --pin "$OTHER" --json
json "mismatch: JSON error code certificate" 'd["error"]["code"] == "certificate" and d["error"]["kind"] == "auth" and "does not match" in d["error"]["message"]'

echo "== initialisation and UKEYs with --json"
mkdir -p "$WORK/ukeys" "$WORK/ukeys2"
export VSMCTL_TEST_PINS=$'comp-1-pin\ncomp-2-pin\nauth-1-pin'
run 0 "init original --json" init original --device "$M" --pin "$FP" --components 2 --auth 1-of-1 \
    --ukey-dir "$WORK/ukeys" --pin-env VSMCTL_TEST_PINS --yes --json
json "init original: JSON" 'd["ok"] is True and d["command"] == "init original" and len(d["dmkCheckValue"]) == 16 and len(d["written"]) == 3 and len(d["authorisationSetID"]) == 16'
CV=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dmkCheckValue"])' "$WORK/out" 2>/dev/null)
grep -q "device prepared ceremony" "$WORK/err" && ok "init --json: progress on stderr" || bad "init --json: progress on stderr"
run 0 "dmk check --json" dmk check --device "$M" --pin "$FP" --json
json "dmk check: JSON" 'd["dmkCheckValue"] == "'"$CV"'" and d["certificate"]["pinned"] is True'
run 0 "dmk check, not pinned" dmk check --device "$M"
grep -q "^DMK check value $M $CV\$" "$WORK/out" && ok "dmk check: text line" || bad "dmk check: text line"
grep -q "warning: .*NOT pinned" "$WORK/err" && ok "dmk check, not pinned: warning" || bad "dmk check, not pinned: warning"
run 0 "ukey status --json" ukey status "$WORK/ukeys/dmk-component-1-of-2.ukey" "$WORK/ukeys/auth-share-1-of-1.ukey" --json
json "ukey status: JSON" 'd["ok"] is True and [u["kind"] for u in d["ukeys"]] == ["dmk-component", "authorisation"] and d["ukeys"][0]["triesLeft"] == 5 and d["ukeys"][1]["threshold"] == 1'
run 5 "ukey status of a missing file" ukey status "$WORK/ukeys/nope.ukey" --json
json "missing UKEY: JSON" 'd["ok"] is False and d["ukeys"][0]["ok"] is False and d["ukeys"][0]["error"]["kind"] == "file"'
run 5 "ukey status of a good and a missing file" ukey status "$WORK/ukeys/auth-share-1-of-1.ukey" "$WORK/ukeys/nope.ukey" --json
json "ukey status failure: top-level error of the first failing file" 'd["ok"] is False and d["exitStatus"] == 5 and d["error"]["kind"] == "file" and d["error"]["code"] == "ukey-io" and d["ukeys"][0]["ok"] is True and d["ukeys"][1]["error"] == d["error"]'
export VSMCTL_TEST_PINS=$'wrong-pin'
run 4 "re-initialisation with a wrong authorising PIN (auth)" init original --device "$M" --pin "$FP" --components 2 --auth 1-of-1 \
    --ukey-dir "$WORK/ukeys2" --authorise "$WORK/ukeys/auth-share-1-of-1.ukey" --pin-env VSMCTL_TEST_PINS --yes --json
json "wrong PIN: JSON error code" 'd["error"]["code"] == "wrong-pin"'
export VSMCTL_TEST_PINS=$'comp-1-pin\ncomp-1-pin\nauth-1-pin'
run 2 "a duplicate component (refused)" init recover --device "$M" --pin "$FP" \
    --component "$WORK/ukeys/dmk-component-1-of-2.ukey" "$WORK/ukeys/dmk-component-1-of-2.ukey" \
    --sync-auth "$WORK/ukeys/auth-share-1-of-1.ukey" --pin-env VSMCTL_TEST_PINS --yes --json
json "duplicate: JSON error code" 'd["error"]["code"] == "duplicate-component" and d["exitStatus"] == 2'
run 2 "a duplicate component, device unreachable, no --yes (refused before connect and confirm)" init recover \
    --device "127.0.0.1:$P" --timeout 2 \
    --component "$WORK/ukeys/dmk-component-1-of-2.ukey" "$WORK/ukeys/dmk-component-1-of-2.ukey" \
    --sync-auth "$WORK/ukeys/auth-share-1-of-1.ukey" --pin-env VSMCTL_TEST_PINS --json </dev/null
json "duplicate, unreachable: JSON error duplicate-component" 'd["error"]["code"] == "duplicate-component" and "certificate" not in d'
unset VSMCTL_TEST_PINS
run 0 "dmk check after the refusals" dmk check --device "$M" --pin "$FP" --json
json "the refusals left the DMK" 'd["dmkCheckValue"] == "'"$CV"'"'

echo "vsmctl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
