#!/usr/bin/env bash
# make test-dist: the release tarball installs and works on a machine without a Swift
# toolchain. Unpacks it, runs its install.sh with PREFIX=<temp>, then - with PATH stripped
# of every directory holding swift and LD_LIBRARY_PATH unset (env -i) - checks with ldd that
# nothing resolves into the toolchain, compiles the C example with pkg-config from the
# prefix, runs it against the tarball's own evsm (127.0.0.1, ephemeral port), asks that evsm
# for its status with the tarball's vsmctl, and checks every installed version
# (tests/version/check-installed.sh).
#   tests/dist/run.sh TARBALL WORKDIR
set -uo pipefail
cd "$(dirname "$0")/../.."
tarball=$1; work=$2
. scripts/lib/evsm.sh
trap evsm_stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "  ok   $1"; }
bad() { fail=$((fail + 1)); echo "  FAIL $1"; }
finish() { echo "dist: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
v=$(tr -d ' \n' < VERSION)

rm -rf "$work/unpacked" "$work/prefix" "$work/c" && mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked" && ok "tarball unpacks" || { bad "tarball unpacks"; finish; }
src=$(echo "$work"/unpacked/cacipher-*)
for f in install.sh LICENSE NOTICE VERSION bin/evsm bin/vsmctl include/cacipher.h include/tass lib/libcacipher.so.0 \
         lib/libcacipher-tass.so.0 lib/libcacipher_jni.so share/java/cacipher.jar share/java/cacipher-tass-compat.jar \
         share/cacipher/packaging/evsm.service share/cacipher/packaging/Containerfile share/doc/cacipher/ceremony.md \
         share/doc/cacipher/examples/c/payment.c; do
    [ -e "$src/$f" ] || { bad "tarball holds $f"; finish; }
done
ok "tarball holds install.sh, licence, binaries, libraries, headers, jars, docs, packaging"

# The toolchain-free environment: PATH without any directory containing swift, nothing else.
clean_path=$(echo "$PATH" | tr ':' '\n' | while read -r d; do [ -n "$d" ] && [ ! -e "$d/swift" ] && [ ! -e "$d/swiftc" ] && printf '%s:' "$d"; done)
clean_path=${clean_path%:}
clean() { env -i PATH="$clean_path" HOME="$work" LANG=C "$@"; }
clean sh -c 'command -v swift || command -v swiftc' >/dev/null && bad "swift is off PATH" || ok "swift is off PATH"

prefix=$work/prefix
clean env PREFIX="$prefix" "$src/install.sh" > "$work/install.log" 2>&1 && ok "install.sh PREFIX=$prefix" || { cat "$work/install.log"; bad "install.sh"; finish; }
grep -q "^prefix=$prefix\$" "$prefix/lib/pkgconfig/cacipher.pc" && ok "cacipher.pc names the prefix" || bad "cacipher.pc names the prefix"
clean env PREFIX=relative "$src/install.sh" >/dev/null 2>&1 && bad "install.sh refuses a relative PREFIX" || ok "install.sh refuses a relative PREFIX"

# Nothing resolves into the toolchain, nothing is missing.
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
for f in "$prefix/bin/evsm" "$prefix/bin/vsmctl" "$prefix/lib/libcacipher.so.0" "$prefix/lib/libcacipher-tass.so.0" "$prefix/lib/libcacipher_jni.so"; do
    out=$(clean ldd "$f" 2>&1)
    if echo "$out" | grep -q "not found"; then bad "ldd $(basename "$f"): $(echo "$out" | grep 'not found' | head -2)"
    elif echo "$out" | grep -Eq "$toolchain|/opt/swift|libswift|libFoundation|libdispatch"; then bad "ldd $(basename "$f") resolves into the toolchain: $(echo "$out" | grep -E 'swift|Foundation|dispatch' | head -2)"
    else ok "ldd $(basename "$f"): no toolchain library, nothing missing"; fi
done
grep -qF "libcacipher.so.0 => $prefix/lib/" <<< "$(clean ldd "$prefix/lib/libcacipher_jni.so")" && ok "JNI glue finds libcacipher.so.0 beside it (\$ORIGIN)" || bad "JNI glue finds libcacipher.so.0 beside it"

# The C example, built with pkg-config from the prefix, against the tarball's evsm.
cp -R "$prefix/share/doc/cacipher/examples/c" "$work/c"
if clean env PKG_CONFIG_PATH="$prefix/lib/pkgconfig" make -C "$work/c" > "$work/c/build.log" 2>&1; then ok "C example compiles with pkg-config from the prefix"
else cat "$work/c/build.log"; bad "C example compiles"; finish; fi
grep -qF "libcacipher.so.0 => $prefix/lib/" <<< "$(clean ldd "$work/c/app")" && ok "C example links the prefix's libcacipher" || bad "C example links the prefix's libcacipher"
if evsm_start dist "$work" env -i PATH="$clean_path" HOME="$work" "$prefix/bin/evsm" --test-lmk --port 0 --bind 127.0.0.1 \
        --header-length 2 --mgmt-port 0 --log-level warning; then
    ok "the tarball's evsm starts without the toolchain"
else bad "the tarball's evsm starts"; finish; fi
mkdir -p "$work/log"
evsm_single_ini "$work/cacipher.ini" "${EVSM_ADDR_dist##*:}" error,warn "$work/log"
if timeout 60 env -i PATH="$clean_path" HOME="$work" "$work/c/app" "$work/cacipher.ini" > "$work/app.out" 2>&1 && grep -q '^payment flow done$' "$work/app.out"; then
    ok "C example runs against the tarball's evsm"
else cat "$work/app.out"; bad "C example runs against the tarball's evsm"; fi
if timeout 30 env -i PATH="$clean_path" HOME="$work" "$prefix/bin/vsmctl" device status --device "$EVSM_MGMT_dist" --pin "$EVSM_FP_dist" --json > "$work/vsmctl.out" 2>"$work/vsmctl.err" \
        && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["ok"] and d["initialised"] else 1)' "$work/vsmctl.out"; then
    ok "the tarball's vsmctl talks to its evsm"
else cat "$work/vsmctl.out" "$work/vsmctl.err"; bad "the tarball's vsmctl talks to its evsm"; fi

# Every installed version is VERSION (the JDK is a system package, not the toolchain).
clean tests/version/check-installed.sh "$prefix" "$v" "$work" > "$work/version.out" 2>&1
cat "$work/version.out"
pass=$((pass + $(grep -c '^  ok ' "$work/version.out")))
fail=$((fail + $(grep -c '^  FAIL ' "$work/version.out")))
finish
