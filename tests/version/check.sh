#!/bin/sh
# make test-version: every place that states the version agrees with the VERSION file.
#   [EVSM=path VSMCTL=path] tests/version/check.sh
cd "$(dirname "$0")/../.." || exit 1
v=$(tr -d ' \n' < VERSION)
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "version: FAIL $1"; }
echo "$v" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' && ok || bad "VERSION '$v' is not MAJOR.MINOR.PATCH"
maj=${v%%.*}; rest=${v#*.}; min=${rest%%.*}; pat=${rest#*.}
f=Sources/CACipherCore/Client/CACipherVersion.swift
sv="$(awk '/static let major =/{a=$NF}/static let minor =/{b=$NF}/static let patch =/{c=$NF}END{print a"."b"."c}' $f)"
[ "$sv" = "$v" ] && ok || bad "$f says $sv, VERSION says $v"
hv=$(sed -n 's/^#define CACIPHER_VERSION  *"\(.*\)"$/\1/p' include/cacipher.h)
[ "$hv" = "$v" ] && ok || bad "cacipher.h CACIPHER_VERSION '$hv', VERSION $v"
hn=$(sed -n 's/^#define CACIPHER_VERSION_NUMBER  *\([0-9]*\)$/\1/p' include/cacipher.h)
want=$((maj*1000000 + min*1000 + pat))
[ "$hn" = "$want" ] && ok || bad "cacipher.h CACIPHER_VERSION_NUMBER '$hn', want $want"
grep -q 'Version: @VERSION@' pkgconfig/cacipher.pc.in && ok || bad "cacipher.pc.in Version is not @VERSION@"
grep -q 'Version: @VERSION@' pkgconfig/cacipher-tass.pc.in && ok || bad "cacipher-tass.pc.in Version is not @VERSION@"
grep -q "^## \[$v\]" CHANGELOG.md && ok || bad "CHANGELOG.md has no [$v] entry"
grep -q '<version>@VERSION@</version>' java/compat/pom.xml.in && ok || bad "java/compat/pom.xml.in version is not @VERSION@"
grep -q 'Implementation-Version: %s' java/build.sh && ok || bad "java/build.sh writes no Implementation-Version into cacipher.jar"
grep -q 'version: CACipherVersion.string' emulator/Sources/evsm/main.swift && ok || bad "evsm's --version is not CACipherVersion.string"
grep -q 'version: OperatorVersion.string' emulator/Sources/vsmctl/main.swift && ok || bad "vsmctl's --version is not OperatorVersion.string"
f=emulator/Sources/VSMOperator/OperatorVersion.swift
ov=$(sed -n 's/^ *public static let string = "\(.*\)"$/\1/p' $f)
[ "$ov" = "$v" ] && ok || bad "$f says '$ov', VERSION says $v"
# the built executables (mk/version.mk passes them; the installed artefacts, jar and Java
# call included, are checked by tests/version/check-installed.sh from make test-dist)
for exe in ${EVSM:-} ${VSMCTL:-}; do
  got=$("$exe" --version 2>&1)
  [ "$got" = "$v" ] && ok || bad "$(basename "$exe") --version says '$got'"
done
[ -n "${EVSM:-}" ] && [ -n "${VSMCTL:-}" ] && ok || bad "EVSM and VSMCTL not given (make test-version gives them)"
# the compiled header: a C program sees the same numbers
if command -v cc >/dev/null; then
  t=$(mktemp -d); printf '#include "cacipher.h"\n#include <stdio.h>\nint main(void){printf("%%s %%d\\n",CACIPHER_VERSION,CACIPHER_VERSION_NUMBER);return 0;}\n' > $t/v.c
  out=$(cc -Iinclude -o $t/v $t/v.c 2>&1 && $t/v); rm -rf "$t"
  [ "$out" = "$v $want" ] && ok || bad "compiled header prints '$out'"
else bad "no C compiler"; fi
echo "version: $pass passed, $fail failed"
[ $fail -eq 0 ]
