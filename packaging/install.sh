#!/bin/sh
# Installs a libcacipher release tarball (made by `make dist`) into PREFIX (default
# /usr/local), with DESTDIR for a staged install. Needs only a POSIX shell, cp, sed and
# mkdir: no Swift toolchain (the libraries and executables carry the Swift runtime
# statically; they need glibc and OpenSSL 3 libssl/libcrypto).
#
#   ./install.sh                      # into /usr/local
#   PREFIX=/opt/cacipher ./install.sh
#   PREFIX=/usr DESTDIR=/tmp/stage ./install.sh
#
# Installs bin/evsm, bin/vsmctl, include/cacipher.h, include/tass/*.h, lib/libcacipher*.so*,
# lib/libTassApi_LINUX_64.so, lib/libcacipher_jni.so, lib/pkgconfig/cacipher.pc and
# cacipher-tass.pc (written for PREFIX), share/java/*.jar and .pom, share/doc/cacipher/
# (docs, examples, LICENSE, NOTICE) and share/cacipher/packaging/ (systemd unit, container
# file). Existing files are replaced; nothing outside DESTDIR/PREFIX is touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
case "$PREFIX" in /*) ;; *) echo "install.sh: PREFIX must be an absolute path (got '$PREFIX')" >&2; exit 2 ;; esac
case "$PREFIX" in *'|'*|*'&'*|*'\'*) echo "install.sh: PREFIX must not contain | & or \\" >&2; exit 2 ;; esac
version=$(cat "$here/VERSION")
root=$DESTDIR$PREFIX

mkdir -p "$root/bin" "$root/include/tass" "$root/lib/pkgconfig" "$root/share/java" \
         "$root/share/doc/cacipher" "$root/share/cacipher"
cp -f "$here/bin/evsm" "$here/bin/vsmctl" "$root/bin/"
chmod 755 "$root/bin/evsm" "$root/bin/vsmctl"
cp -f "$here/include/cacipher.h" "$root/include/"
cp -f "$here/include/tass/"*.h "$root/include/tass/"
# Real files first, then the symlinks (-P keeps them links).
for f in "$here/lib/"*; do
    [ -L "$f" ] || { cp -f "$f" "$root/lib/"; chmod 755 "$root/lib/$(basename "$f")"; }
done
for f in "$here/lib/"*; do
    [ -L "$f" ] && { rm -f "$root/lib/$(basename "$f")"; cp -P "$f" "$root/lib/"; }
done
for pc in cacipher cacipher-tass; do
    sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@VERSION@|$version|g" "$here/share/cacipher/pkgconfig/$pc.pc.in" \
        > "$root/lib/pkgconfig/$pc.pc"
done
cp -f "$here/share/java/"* "$root/share/java/"
cp -Rf "$here/share/doc/cacipher/." "$root/share/doc/cacipher/"
cp -Rf "$here/share/cacipher/packaging" "$root/share/cacipher/"
echo "libcacipher $version installed into $root"
