# shellcheck shell=bash
# The shell half of the C test harness, sourced by the suites' tests/*/run.sh (the C half is
# tests/common/harness.h). It brings scripts/lib/evsm.sh: local evsm devices on ephemeral
# loopback ports (evsm_start waits at most 10 s for one), stopped with evsm_stop_all.
#
#   suite_init NAME [PREFIX]
#                          counts from zero for the summary line `NAME: N passed, M failed`;
#                          stops every evsm started on exit (trap evsm_stop_all: a script with
#                          more to clean sets its own trap after this); with PREFIX (an
#                          installed library) PKG_CONFIG_PATH=PREFIX/lib/pkgconfig
#   pass TEXT / fail TEXT  one `ok - TEXT` / `FAIL - TEXT` line, counted
#   finish                 prints the summary line, exits 0 when nothing failed, else 1
#   fail_out TEXT          fail TEXT, then finish (a suite that cannot go on)
#   suite_tally FILE...    counts the `ok - ` / `FAIL - ` lines of a program's output
#   suite_add_summary FILE PREFIX RC
#                          adds the counts of the last `PREFIX: N passed, M failed` line of
#                          FILE (a program's output, exit status RC): no such line is one
#                          failure, and so is a non-zero RC with nothing failed
#   suite_cc OUT PKG SRC...
#                          compiles SRC with tests/common/harness.c into OUT against the
#                          installed PKG (pkg-config; PKG_CONFIG_PATH set by the caller), C11,
#                          warnings as errors, -pthread, plus $SUITE_CFLAGS; the compiler's
#                          output into OUT.cc.log, shown on failure; returns its status

SUITE_COMMON_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../scripts/lib/evsm.sh
. "$SUITE_COMMON_DIR/../../scripts/lib/evsm.sh"

suite_init() {
    SUITE_NAME=$1; passed=0; failed=0
    trap evsm_stop_all EXIT INT TERM
    if [ $# -ge 2 ]; then export PKG_CONFIG_PATH="$2/lib/pkgconfig"; fi
}
pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; }
finish() { echo "$SUITE_NAME: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
fail_out() { fail "$1"; finish; }

suite_tally() {
    passed=$((passed + $(cat "$@" | grep -c '^ok - '))); failed=$((failed + $(cat "$@" | grep -c '^FAIL - ')))
}

suite_add_summary() {
    local file=$1 prefix=$2 rc=$3 line p f
    line=$(grep -E "^$prefix: [0-9]+ passed, [0-9]+ failed" "$file" | tail -1)
    if [ -z "$line" ]; then fail "$prefix did not finish (exit $rc)"; return; fi
    p=$(echo "$line" | awk '{print $2}'); f=$(echo "$line" | awk '{print $4}')
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then fail "$prefix exited $rc"; fi
}

suite_cc() {
    local out=$1 pkg=$2; shift 2
    # shellcheck disable=SC2046,SC2086
    cc -std=c11 -Wall -Wextra -Werror -pthread ${SUITE_CFLAGS:-} "$@" "$SUITE_COMMON_DIR/harness.c" -o "$out" \
        $(pkg-config --cflags --libs "$pkg") > "$out.cc.log" 2>&1 || { cat "$out.cc.log"; return 1; }
}
