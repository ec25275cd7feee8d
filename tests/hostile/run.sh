#!/usr/bin/env bash
# The hostile-input suite: tests/hostile/hostile.c compiled against the installed
# libcacipher and run against one local evsm in test-LMK mode (ephemeral port, header
# length 2) plus a fake HSM inside the program. Ends with `hostile: N passed, M failed`.
#
#   tests/hostile/run.sh PREFIX WORKDIR EVSM_BINARY [WRAPPER...]
#
# WRAPPER (optional): a command the test program runs under (e.g. valgrind ...).
# HOSTILE_CFLAGS (optional): extra compiler flags (e.g. -fsanitize=address,undefined).
set -u
prefix=$1; work=$2; evsm=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work/fake"
# shellcheck source=../common/suite.sh
. "$root/tests/common/suite.sh"
suite_init hostile "$prefix"

SUITE_CFLAGS="-g ${HOSTILE_CFLAGS:-}" suite_cc "$work/hostile" cacipher "$here/hostile.c" || fail_out "hostile.c compiles"

evsm_start evsm "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 2 --log-level warning \
    || fail_out "evsm starts"
port=${EVSM_ADDR_evsm##*:}

evsm_single_ini "$work/cacipher.ini" "$port" error,warn "$work"

LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" timeout 600 "$@" "$work/hostile" "$work/cacipher.ini" "$work/fake" \
    > "$work/hostile.out" 2>&1
rc=$?
cat "$work/hostile.out"
grep -q '^hostile: [0-9]* passed, [0-9]* failed' "$work/hostile.out" || fail_out "hostile program exited $rc without a summary"
exit $rc
