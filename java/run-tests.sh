#!/usr/bin/env bash
# The Java suite: java/test/org/cacipher/test/CACipherTest.java on the installed binding
# (PREFIX/share/java/cacipher.jar, PREFIX/lib/libcacipher_jni.so, PREFIX/lib/libcacipher.so)
# against one local evsm in test-LMK mode (ephemeral port, header length 2), run with
# -Xcheck:jni (any JNI warning fails the suite). Ends with `java: N passed, M failed`.
#
#   java/run-tests.sh PREFIX WORKDIR EVSM_BINARY
set -u
prefix=$1; work=$2; evsm=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
mkdir -p "$work"
# shellcheck source=../scripts/lib/evsm.sh
. "$root/scripts/lib/evsm.sh"
trap evsm_stop_all EXIT INT TERM
fail_out() { echo "FAIL - $1"; echo "java: 0 passed, 1 failed"; exit 1; }

jar="$prefix/share/java/cacipher.jar"
so="$prefix/lib/libcacipher_jni.so"
# The glue exports only its JNI entry points and depends on libcacipher.so.0 (no Swift runtime).
extra=$(nm -D --defined-only -g "$so" | awk '{print $NF}' | grep -Ev '^(Java_org_cacipher_CACipher_n[A-Za-z0-9]+|JNI_OnLoad)$')
[ -z "$extra" ] || fail_out "libcacipher_jni.so exports only Java_* and JNI_OnLoad (also: $(echo $extra))"
ldd "$so" | grep -q 'libcacipher\.so\.0 => '"$prefix/lib/" || { ldd "$so"; fail_out "libcacipher_jni.so resolves libcacipher.so.0 from the prefix"; }
! ldd "$so" | grep -q libswift || fail_out "libcacipher_jni.so needs no Swift runtime"
javac -Xlint:all -Werror --release 17 -cp "$jar" -d "$work/classes" "$here"/test/org/cacipher/test/*.java > "$work/javac.log" 2>&1 \
    || { cat "$work/javac.log"; fail_out "CACipherTest.java compiles"; }

evsm_start evsm "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 2 --log-level warning \
    || fail_out "evsm starts"
port=${EVSM_ADDR_evsm##*:}

mkdir -p "$work/log"
evsm_single_ini "$work/cacipher.ini" "$port" error,warn "$work/log"

timeout 180 java -Xcheck:jni -Djava.library.path="$prefix/lib" -cp "$jar:$work/classes" org.cacipher.test.CACipherTest \
    "$work/cacipher.ini" "$port" "$work/log" > "$work/java.out" 2>&1
rc=$?
if grep -q 'WARNING in native method\|FATAL ERROR in native method' "$work/java.out"; then
    grep -B2 -A8 'in native method' "$work/java.out" | head -60
    grep -v '^java: ' "$work/java.out"
    fail_out "-Xcheck:jni reported a JNI misuse"
fi
cat "$work/java.out"
grep -q '^java: [0-9]* passed, [0-9]* failed' "$work/java.out" || fail_out "java test exited $rc without a summary"
exit $rc
