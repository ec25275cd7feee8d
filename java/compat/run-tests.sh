#!/usr/bin/env bash
# The java-compat suite (make test-java-compat): java/compat/test/tasscompat/TassCompatTest.java,
# written only against the vendor SDK's class names, compiled and run with
# PREFIX/share/java/cacipher-tass-compat.jar alone on the classpath (no java.library.path:
# the jar loads its own native libraries):
#   1. every method against one evsm --test-lmk (known answers, round trips, HSM and
#      framework error codes, 16 threads, updateConfigure, the native libraries' origin), the
#      vendor's configuration forms (linkNum=0, a vendor-style file; msgHeadLength=64 against
#      a second evsm with a 64-byte header), the driver tables and TAException's constructors;
#   2. the fallback to java.library.path (-Dcacipher.compat.embedded=false), and
#      org.cacipher and cn.tass in one process (closing one's holder leaves the other working);
#      and the adapter's table of configuration kinds to the vendor's codes (ConfigErrorsCheck);
#   3. a group of three evsm, one killed mid-run: 0 failed calls;
#   4. the pom and the local Maven repository layout (make install-java-m2);
#   5. the migration table of docs/java.md: every member of java/compat/api/vendor-api.txt
#      (the vendor spec's list) has a row, and is in the jar unless marked "not supported";
#   6. java/compat/test/apps/AppPatterns.java: real applications' patterns (properties-built
#      inline configurations with one [HOST n] per device, a lazily shared instance used by 16
#      threads, the vendor's sample program and cacipher.ini, signing a file, static initialisers,
#      catch blocks) and the distinct configuration error codes, against two evsm with the
#      vendor's default header length 0, run in a working directory of its own (logPath=./log/),
#      with -Xcheck:jni (a JNI warning fails the suite); and FieldEncryptor compiled --release 8.
# Ends with `java-compat: N passed, M failed`.
#
#   java/compat/run-tests.sh PREFIX WORKDIR EVSM_BINARY M2_REPO VERSION
set -u
prefix=$1; work=$2; evsm=$3; m2=$4; version=$5
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
# shellcheck source=../../scripts/lib/evsm.sh
. "$root/scripts/lib/evsm.sh"
trap evsm_stop_all EXIT INT TERM
fail_out() { echo "FAIL - $1"; echo "java-compat: $passed passed, $((failed + 1)) failed"; exit 1; }
passed=0; failed=0
add_counts() { # FILE: adds its `java-compat: N passed, M failed` line to the totals
    local line
    line=$(grep '^java-compat: [0-9]* passed, [0-9]* failed' "$1" | tail -n1)
    [ -n "$line" ] || { grep -v '^java-compat: ' "$1" | tail -n 40; fail_out "$(basename "$1") ended without a summary"; }
    set -- $line
    passed=$((passed + $2)); failed=$((failed + $4))
}

jar="$prefix/share/java/cacipher-tass-compat.jar"
[ -f "$jar" ] || fail_out "the compat jar is installed"
if grep -nE 'org\.cacipher\.[A-Za-z]' "$here"/test/tasscompat/*.java "$here"/test/apps/*.java; then fail_out "the test uses vendor class names only"; fi
jar tf "$jar" > "$work/jar.list"
for e in cn/tass/hsmApi/hsmGeneralFinance/hsmGeneralFinance.class cn/tass/exceptions/TAException.class cn/tass/kits/Forms.class \
         native/linux-x86_64/libcacipher.so native/linux-x86_64/libcacipher_jni.so META-INF/maven/org.cacipher/cacipher-tass-compat/pom.xml; do
    grep -qx "$e" "$work/jar.list" || fail_out "the jar holds $e"
done
passed=$((passed + 1))
javac -Xlint:all -Werror --release 17 -cp "$jar" -d "$work/classes" "$here"/test/tasscompat/*.java > "$work/javac.log" 2>&1 \
    || { cat "$work/javac.log"; fail_out "TassCompatTest.java compiles against the jar"; }

# 1. one device
evsm_start evsm "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 2 --log-level warning \
    || fail_out "evsm starts"
port=${EVSM_ADDR_evsm##*:}
# a second device with a 64-byte message header (msgHeadLength's maximum in the vendor's jar)
evsm_start evsm64 "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 64 --log-level warning \
    || fail_out "evsm with a 64-byte header starts"
port64=${EVSM_ADDR_evsm64##*:}
mkdir -p "$work/log"
evsm_single_ini "$work/cacipher.ini" "$port" error,warn "$work/log"
(unset LD_LIBRARY_PATH; export TACFG_INTERFACE_J="$work/cacipher.ini"; timeout 180 java -cp "$jar:$work/classes" tasscompat.TassCompatTest single "$work/cacipher.ini" "$work/log" "$prefix" "$port64") \
    > "$work/single.out" 2>&1
grep -v '^java-compat: ' "$work/single.out"
add_counts "$work/single.out"
# 2. the fallback to java.library.path
(unset LD_LIBRARY_PATH; timeout 60 java -Dcacipher.compat.embedded=false -Djava.library.path="$prefix/lib" -cp "$jar:$work/classes" \
    tasscompat.TassCompatTest fallback "$work/cacipher.ini" "$prefix") > "$work/fallback.out" 2>&1
grep -v '^java-compat: ' "$work/fallback.out"
add_counts "$work/fallback.out"
# 2b. both APIs in one process: closing an org.cacipher holder leaves the compat singleton working
javac -Xlint:all -Werror --release 17 -cp "$jar" -d "$work/mixed-classes" "$here"/test/mixed/*.java > "$work/javac-mixed.log" 2>&1 \
    || { cat "$work/javac-mixed.log"; fail_out "MixedHolders.java compiles"; }
(unset LD_LIBRARY_PATH; timeout 60 java -Djava.library.path="$prefix/lib" -cp "$jar:$work/mixed-classes" mixed.MixedHolders "$work/cacipher.ini") \
    > "$work/mixed.out" 2>&1
grep -v '^java-compat: ' "$work/mixed.out"
add_counts "$work/mixed.out"
evsm_kill evsm
evsm_kill evsm64

# 2c. the adapter's table from the library's configuration kind to the vendor's code (no device)
javac -Xlint:all -Werror --release 17 -cp "$jar" -d "$work/impl-classes" "$here"/test/impl/*.java > "$work/javac-impl.log" 2>&1 \
    || { cat "$work/javac-impl.log"; fail_out "ConfigErrorsCheck.java compiles"; }
timeout 60 java -cp "$jar:$work/impl-classes" impl.ConfigErrorsCheck > "$work/impl.out" 2>&1
grep -v '^java-compat: ' "$work/impl.out"
add_counts "$work/impl.out"

# 3. three devices, member 2 killed mid-run
ports=()
for i in 1 2 3; do
    evsm_start "evsm$i" "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --log-level warning || fail_out "evsm $i starts"
    addr=EVSM_ADDR_evsm$i; ports[$i]=${!addr##*:}
done
{
    echo "[LOGGER]"; echo "logsw=error,warn"; echo "logPath=$work/log"
    for i in 1 2 3; do
        printf '[HOST%s]\nhost=127.0.0.1\nport=%s\nlinkNum=-4\nconnTimeout=1\nreadTimeout=2\n' "$i" "${ports[$i]}"
    done
} > "$work/group.ini"
rm -f "$work/started"
(unset LD_LIBRARY_PATH; timeout 150 java -cp "$jar:$work/classes" tasscompat.TassCompatTest failover "$work/group.ini" 4 16 "$work/started") \
    > "$work/failover.out" 2>&1 &
client=$!
for _ in $(seq 1 300); do [ -f "$work/started" ] && break; sleep 0.1; done
sleep 0.5
echo "killing member 2 (pid $EVSM_PID_evsm2) with SIGKILL"
evsm_kill evsm2 KILL
wait "$client"
grep -v '^java-compat: ' "$work/failover.out"
add_counts "$work/failover.out"

# 4. the pom and the local Maven repository
m2dir="$m2/org/cacipher/cacipher-tass-compat/$version"
[ -f "$m2dir/cacipher-tass-compat-$version.jar" ] && [ -f "$m2dir/cacipher-tass-compat-$version.pom" ] \
    || fail_out "make install-java-m2 wrote the Maven layout under $m2dir"
cmp -s "$m2dir/cacipher-tass-compat-$version.jar" "$jar" || fail_out "the Maven jar is the installed jar"
passed=$((passed + 1))
java -cp "$jar:$work/classes" tasscompat.TassCompatTest pom "$m2dir/cacipher-tass-compat-$version.pom" "$version" > "$work/pom.out" 2>&1
grep -v '^java-compat: ' "$work/pom.out"
add_counts "$work/pom.out"

# 5. the migration table of docs/java.md against the vendor list and the jar (reflection)
javac -Xlint:all -Werror --release 17 -cp "$jar" -d "$work/apicheck-classes" "$here"/test/apicheck/*.java > "$work/javac-apicheck.log" 2>&1 \
    || { cat "$work/javac-apicheck.log"; fail_out "VendorApiCheck.java compiles"; }
java -cp "$jar:$work/apicheck-classes" apicheck.VendorApiCheck "$here/api/vendor-api.txt" "$root/docs/java.md" > "$work/apicheck.out" 2>&1
grep -v '^java-compat: ' "$work/apicheck.out"
add_counts "$work/apicheck.out"

# 6. real applications' patterns against two devices with the vendor's default header length 0
javac -Xlint:all -Werror --release 17 -cp "$jar" -d "$work/apps-classes" "$here"/test/apps/*.java > "$work/javac-apps.log" 2>&1 \
    || { cat "$work/javac-apps.log"; fail_out "AppPatterns.java compiles"; }
# an application built for Java 8 (S2's Maven build targets 1.8) compiles against the jar
javac -Xlint:-options --release 8 -cp "$jar" -d "$work/apps8-classes" "$here"/test/apps/FieldEncryptor.java > "$work/javac-apps8.log" 2>&1 \
    || { cat "$work/javac-apps8.log"; fail_out "FieldEncryptor.java compiles with --release 8 against the jar"; }
passed=$((passed + 1))
for d in appsA appsB; do
    evsm_start "$d" "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 0 --log-level warning || fail_out "evsm $d starts"
done
rm -rf "$work/apps-cwd" "$work/apps-log"; mkdir -p "$work/apps-cwd" "$work/apps-log"
(cd "$work/apps-cwd" && unset LD_LIBRARY_PATH && timeout 240 java -Xcheck:jni -cp "$jar:$work/apps-classes" apps.AppPatterns \
    "${EVSM_ADDR_appsA##*:}" "${EVSM_ADDR_appsB##*:}" "$work/apps-log" "$jar") > "$work/apps.out" 2>&1
grep -v '^java-compat: ' "$work/apps.out"
add_counts "$work/apps.out"
if grep -q 'WARNING in native method\|FATAL ERROR in native method' "$work/apps.out"; then fail_out "-Xcheck:jni reported a JNI misuse in AppPatterns"; fi
passed=$((passed + 1))
evsm_kill appsA
evsm_kill appsB

echo "java-compat: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
