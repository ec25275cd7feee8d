#!/usr/bin/env bash
# Runs the three examples (examples/c, examples/java, examples/swift) against one local
# evsm in test-LMK mode that this script starts and stops. Each example counts once; the
# last line is `examples: N passed, M failed`. With --verbose every example's output is
# shown (make examples); without, only a failing one's (make test-examples).
#
#   examples/run.sh [--verbose] PREFIX WORKDIR SWIFT_BIN_DIR [EVSM_BIN_DIR]
#     PREFIX         make install-java prefix (libcacipher, cacipher.pc, cacipher.jar, libcacipher_jni.so)
#     SWIFT_BIN_DIR  where swift build put PaymentExample (the library package)
#     EVSM_BIN_DIR   where evsm is (the emulator package, emulator/); default SWIFT_BIN_DIR
set -u
verbose=0
if [ "${1:-}" = --verbose ]; then verbose=1; shift; fi
prefix=$1; work=$2; bin=$3; evsm_bin=${4:-$3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
mkdir -p "$work"
# shellcheck source=../scripts/lib/evsm.sh
. "$root/scripts/lib/evsm.sh"
trap evsm_stop_all EXIT INT TERM

if ! evsm_start evsm "$work" "$evsm_bin/evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 2 --log-level warning; then
    echo "FAIL - evsm starts"; echo "examples: 0 passed, 1 failed"; exit 1
fi
port=${EVSM_ADDR_evsm##*:}
[ $verbose = 1 ] && echo "evsm (test LMK) listening on 127.0.0.1:$port"

mkdir -p "$work/log"
ini="$work/cacipher.ini"
evsm_single_ini "$ini" "$port" error,warn "$work/log"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
jar="$prefix/share/java/cacipher.jar"
passed=0; failed=0

run_example() { # name description build-function command...
    local name=$1 what=$2 build=$3; shift 3
    local out="$work/$name.out"
    [ $verbose = 1 ] && { echo; echo "=== $name: $what"; }
    local rc=0
    "$build" > "$out" 2>&1 || rc=$?
    [ $rc -eq 0 ] && { timeout 120 "$@" >> "$out" 2>&1 || rc=$?; }
    if [ $verbose = 1 ] || [ $rc -ne 0 ]; then sed 's/^/    /' "$out"; fi
    if [ $rc -eq 0 ] && grep -q '^payment flow done$' "$out"; then
        passed=$((passed + 1)); echo "ok - example $name"
    else
        failed=$((failed + 1)); echo "FAIL - example $name (exit $rc)"
    fi
}

# C: the example's own Makefile (pkg-config --cflags --libs cacipher); -B because the
# prefix (and so the run path) differs between runs.
build_c() { make -s -B -C "$here/c" app; }
build_java() {
    mkdir -p "$work/java-classes" &&
    javac -Xlint:all -Werror --release 17 -cp "$jar" -d "$work/java-classes" "$here/java/PaymentExample.java"
}
build_swift() { test -x "$bin/PaymentExample"; }   # built by `swift build --product PaymentExample`

run_example c "examples/c/payment.c on libcacipher (pkg-config), global instance" build_c "$here/c/app" "$ini"
run_example java "examples/java/PaymentExample.java on org.cacipher.CACipher (JNI)" build_java \
    java -Djava.library.path="$prefix/lib" -cp "$jar:$work/java-classes" PaymentExample "$ini"
run_example swift "examples/swift/main.swift on CACipherClient (Swift, no C layer)" build_swift "$bin/PaymentExample" "$ini"

echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
