#!/usr/bin/env bash
# The connection-limits suite (issue 18): tests/limits/limits.py against three local evsm
# (test-LMK mode, ephemeral ports on 127.0.0.1, TLS material from
# scripts/make-test-certs.sh). Ends with `limits: N passed, M failed`.
#
#   tests/limits/run.sh PREFIX WORKDIR EVSM_BINARY
#
# PREFIX: an installed libcacipher (tests/limits/pooled_idle.c is built against it).
set -u
prefix=$1; work=$2; evsm=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
# shellcheck source=../common/suite.sh
. "$root/tests/common/suite.sh"
suite_init limits "$prefix"
command -v python3 > /dev/null || fail_out "python3 is installed (make setup)"
"$root/scripts/make-test-certs.sh" "$work/certs" > /dev/null 2>&1 || fail_out "make-test-certs.sh"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$here/pooled_idle.c" -o "$work/pooled_idle" $(pkg-config --cflags --libs cacipher) \
    > "$work/cc.log" 2>&1 || { cat "$work/cc.log"; fail_out "pooled_idle.c compiles"; }
LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    timeout 400 python3 "$here/limits.py" "$evsm" "$work" "$work/certs" "$work/pooled_idle" > "$work/limits.out" 2>&1
rc=$?
cat "$work/limits.out"
grep -q '^limits: [0-9]* passed, [0-9]* failed' "$work/limits.out" || fail_out "limits.py exited $rc without a summary"
exit $rc
