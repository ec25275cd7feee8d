#!/usr/bin/env bash
# Builds the Java binding against an installed libcacipher:
#   OUTDIR/classes, OUTDIR/include/org_cacipher_CACipher.h (javac -h), OUTDIR/cacipher.jar,
#   OUTDIR/lib/libcacipher_jni.so (linked -lcacipher through pkg-config and -lcrypto, the
#   system's OpenSSL 3 that libcacipher needs too, for CACipher.localHash; rpath PREFIX/lib;
#   exports only the Java_org_cacipher_* functions and JNI_OnLoad),
#   OUTDIR/cacipher-tass-compat.jar (java/compat: the vendor SDK's cn.tass.* classes over
#   org.cacipher, with the org.cacipher classes and native/linux-x86_64/libcacipher.so and
#   libcacipher_jni.so inside) and OUTDIR/cacipher-tass-compat.pom (its Maven description,
#   from java/compat/pom.xml.in). The JDK alone (javac, jar) builds them; no network.
#
#   [DESTDIR=/stage] java/build.sh PREFIX OUTDIR
#
# With DESTDIR the library is looked for under DESTDIR/PREFIX (a staged install) while the
# rpath still names PREFIX/lib, where it will be at run time. JNI_RPATH overrides that run
# path (`make dist`: '$ORIGIN', so the glue finds libcacipher.so.0 beside itself anywhere).
# The jar's manifest carries Implementation-Version (the library's, from pkg-config).
set -euo pipefail
prefix=$1; out=$2
here=$(cd "$(dirname "$0")" && pwd)
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
rm -rf "$out/classes" "$out/include" "$out/lib"
mkdir -p "$out/classes" "$out/include" "$out/lib"
javac -Xlint:all -Werror --release 17 -d "$out/classes" -h "$out/include" "$here"/src/org/cacipher/*.java
export PKG_CONFIG_PATH="${DESTDIR:-}$prefix/lib/pkgconfig"
[ -n "${DESTDIR:-}" ] && export PKG_CONFIG_SYSROOT_DIR="$DESTDIR"
version=$(pkg-config --modversion cacipher)
printf 'Implementation-Title: cacipher\nImplementation-Version: %s\nImplementation-Vendor: libcacipher\n' "$version" > "$out/manifest.txt"
rm -f "$out/cacipher.jar"
jar cfm "$out/cacipher.jar" "$out/manifest.txt" -C "$out/classes" .
# shellcheck disable=SC2046
cc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -fvisibility=hidden -shared \
    -I"$java_home/include" -I"$java_home/include/linux" -I"$out/include" \
    "$here"/jni/*.c -o "$out/lib/libcacipher_jni.so" \
    $(pkg-config --cflags --libs cacipher) -lcrypto -Wl,-rpath,"${JNI_RPATH:-$prefix/lib}" -Wl,-z,defs

# The compatibility jar (docs/java.md, "Migrating from the vendor SDK").
rm -rf "$out/compat-classes"
mkdir -p "$out/compat-classes/native/linux-x86_64"
# shellcheck disable=SC2046
javac -Xlint:all -Werror --release 17 -cp "$out/classes" -d "$out/compat-classes" $(find "$here/compat/src" -name '*.java' | sort)
cp -R "$out/classes/org" "$out/compat-classes/"
cp -L "${DESTDIR:-}$prefix/lib/libcacipher.so" "$out/compat-classes/native/linux-x86_64/libcacipher.so"
cp "$out/lib/libcacipher_jni.so" "$out/compat-classes/native/linux-x86_64/libcacipher_jni.so"
sed -e "s|@VERSION@|$version|g" "$here/compat/pom.xml.in" > "$out/cacipher-tass-compat.pom"
mkdir -p "$out/compat-classes/META-INF/maven/org.cacipher/cacipher-tass-compat"
cp "$out/cacipher-tass-compat.pom" "$out/compat-classes/META-INF/maven/org.cacipher/cacipher-tass-compat/pom.xml"
printf 'Implementation-Title: cacipher-tass-compat\nImplementation-Version: %s\n' "$version" > "$out/compat-manifest.txt"
rm -f "$out/cacipher-tass-compat.jar"
jar cfm "$out/cacipher-tass-compat.jar" "$out/compat-manifest.txt" -C "$out/compat-classes" .
