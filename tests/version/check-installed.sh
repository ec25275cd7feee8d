#!/bin/sh
# The version of every installed artefact of a prefix (make dist + install.sh) is VERSION:
# evsm --version, vsmctl --version, pkg-config --modversion of both .pc files, the header's
# CACIPHER_VERSION, the jar manifests' Implementation-Version, the compat pom, and
# org.cacipher.CACipher.version() / bindingVersion() called from Java.
# Prints "  ok   ..." / "  FAIL ..." lines (tests/dist/run.sh counts them).
#   tests/version/check-installed.sh PREFIX VERSION WORKDIR
prefix=$1; v=$2; work=$3
ok()  { echo "  ok   version: $1"; }
bad() { echo "  FAIL version: $1"; }
same() { [ "$2" = "$v" ] && ok "$1 is $v" || bad "$1 is '$2', want $v"; }
same "evsm --version" "$("$prefix/bin/evsm" --version 2>&1)"
same "vsmctl --version" "$("$prefix/bin/vsmctl" --version 2>&1)"
same "pkg-config cacipher" "$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --modversion cacipher 2>&1)"
same "pkg-config cacipher-tass" "$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --modversion cacipher-tass 2>&1)"
same "cacipher.h CACIPHER_VERSION" "$(sed -n 's/^#define CACIPHER_VERSION  *"\(.*\)"$/\1/p' "$prefix/include/cacipher.h")"
manifest() { python3 -c 'import sys,zipfile
m=zipfile.ZipFile(sys.argv[1]).read("META-INF/MANIFEST.MF").decode()
print(next((l.split(":",1)[1].strip() for l in m.splitlines() if l.startswith("Implementation-Version:")), ""))' "$1" 2>&1; }
same "cacipher.jar manifest Implementation-Version" "$(manifest "$prefix/share/java/cacipher.jar")"
same "cacipher-tass-compat.jar manifest Implementation-Version" "$(manifest "$prefix/share/java/cacipher-tass-compat.jar")"
same "cacipher-tass-compat.pom version" "$(python3 -c 'import sys,xml.etree.ElementTree as E
r=E.parse(sys.argv[1]).getroot(); ns=r.tag.split("}")[0]+"}" if r.tag.startswith("{") else ""
print(r.find(ns+"version").text)' "$prefix/share/java/cacipher-tass-compat.pom" 2>&1)"
if command -v javac >/dev/null && command -v java >/dev/null; then
    mkdir -p "$work/jv"
    cat > "$work/jv/V.java" <<'J'
public class V { public static void main(String[] a) { System.out.println(org.cacipher.CACipher.version() + " " + org.cacipher.CACipher.bindingVersion()); } }
J
    if javac -cp "$prefix/share/java/cacipher.jar" -d "$work/jv" "$work/jv/V.java" 2>"$work/jv/javac.log"; then
        same "CACipher.version() and bindingVersion() from Java" \
            "$(java -Djava.library.path="$prefix/lib" -cp "$prefix/share/java/cacipher.jar:$work/jv" V 2>&1 | awk '$1==$2 {print $1} $1!=$2 {print}')"
    else bad "a Java program against cacipher.jar compiles: $(head -3 "$work/jv/javac.log")"; fi
else
    bad "no JDK (javac, java) to call CACipher.version()"
fi
