#!/usr/bin/env bash
# Runs the Swift tests, then every extra suite (`make test-NAME`), and prints one closing
# line `summary: N passed, M failed` summed over all of them. Exits non-zero if any failed.
set -u
cd "$(dirname "$0")/.."
mkdir -p out/test-logs
passed=0; failed=0; rc_all=0
timings=()

run_suite() { # name command...
    local name=$1; shift
    local log=out/test-logs/$name.log
    echo "=== $name"
    local started=$SECONDS
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    timings+=("$(printf '%6d s  %s' $((SECONDS - started)) "$name")")
    local p f
    if [ "$name" = swift ] || [ "$name" = swift-emulator ]; then
        # XCTest: "Executed N tests, with M failures"; Swift Testing: "Test run with N tests ... passed/failed"
        p=$(grep -Eo 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -1 | awk '{print $2}')
        f=$(grep -Eo 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -1 | awk '{print $5}')
        p=${p:-0}; f=${f:-0}; p=$((p - f))
    else
        local line
        line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
        p=$(echo "$line" | awk '{print $2}'); f=$(echo "$line" | awk '{print $4}')
        p=${p:-0}; f=${f:-0}
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$name: exited $rc"; fi
    [ "$rc" -ne 0 ] && rc_all=1
    passed=$((passed + p)); failed=$((failed + f))
}

run_suite swift make --no-print-directory swift-test-lib
run_suite swift-emulator make --no-print-directory swift-test-emulator
for s in "$@"; do
    run_suite "$s" make --no-print-directory "test-$s"
done
echo
echo "time per suite (wall clock; $SECONDS s in all):"
printf '%s\n' "${timings[@]}" | sort -rn | head -n 12
echo
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$rc_all" -eq 0 ]
