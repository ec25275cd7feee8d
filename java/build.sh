#!/usr/bin/env bash
# Builds the Java binding against an installed libcacipher:
#   OUTDIR/classes, OUTDIR/include/org_cacipher_CACipher.h (javac -h), OUTDIR/cacipher.jar,
#   OUTDIR/lib/libcacipher_jni.so (linked -lcacipher through pkg-config, rpath PREFIX/lib;
#   exports only the Java_org_cacipher_* functions and JNI_OnLoad).
#
#   [DESTDIR=/stage] java/build.sh PREFIX OUTDIR
#
# With DESTDIR the library is looked for under DESTDIR/PREFIX (a staged install) while the
# rpath still names PREFIX/lib, where it will be at run time.
set -euo pipefail
prefix=$1; out=$2
here=$(cd "$(dirname "$0")" && pwd)
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
rm -rf "$out/classes" "$out/include" "$out/lib"
mkdir -p "$out/classes" "$out/include" "$out/lib"
javac -Xlint:all -Werror --release 17 -d "$out/classes" -h "$out/include" "$here"/src/org/cacipher/*.java
jar cf "$out/cacipher.jar" -C "$out/classes" .
export PKG_CONFIG_PATH="${DESTDIR:-}$prefix/lib/pkgconfig"
[ -n "${DESTDIR:-}" ] && export PKG_CONFIG_SYSROOT_DIR="$DESTDIR"
# shellcheck disable=SC2046
cc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -fvisibility=hidden -shared \
    -I"$java_home/include" -I"$java_home/include/linux" -I"$out/include" \
    "$here/jni/cacipher_jni.c" -o "$out/lib/libcacipher_jni.so" \
    $(pkg-config --cflags --libs cacipher) -Wl,-rpath,"$prefix/lib" -Wl,-z,defs
