#!/usr/bin/env bash
# Runs an XCTest command as a suite of `make test` (mk/suite.mk): its output into LOG, the
# last lines of it shown, and one line `NAME: N passed, M failed (K LABEL)` from XCTest's
# "Executed N tests, with M failures" and the count of lines matching REPORT (sanitizer
# reports: each one fails the suite once more; the first ones are shown). A non-zero exit
# without a failed test counts as one failure.
#
#   tests/common/xctest-suite.sh NAME LOG REPORT LABEL command...
set -u
name=$1; log=$2; report=$3; label=$4; shift 4
mkdir -p "$(dirname "$log")"
"$@" > "$log" 2>&1
rc=$?
tail -5 "$log"
reports=$(grep -c -- "$report" "$log")
line=$(grep -Eo 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -1)
n=$(echo "$line" | awk '{print $2}'); f=$(echo "$line" | awk '{print $5}'); n=${n:-0}; f=${f:-0}
if [ "$reports" -gt 0 ]; then grep -A30 -- "$report" "$log" | head -80; f=$((f + 1)); fi
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
echo "$name: $((n - f < 0 ? 0 : n - f)) passed, $f failed ($reports $label)"
[ "$f" -eq 0 ]
