#!/usr/bin/env bash
# `make test-lib-install`: `make lib` and `make install` must replace libcacipher.so by
# writing a new file and renaming it over the old one, never by rewriting the old file in
# place (a process that has it mapped would crash with SIGBUS). A stand-in `swift` (no
# build: it only names a directory holding a fake library) keeps this to a second. The old
# file is kept alive through a hard link, as a running process's mapping keeps its inode:
# after the install the link must still hold the old bytes.
set -u
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lib-install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
passed=0; failed=0
check() { # name condition...
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}

mkdir -p "$WORK/bin" "$WORK/fakebuild"
cat > "$WORK/bin/swift" <<SH
#!/bin/sh
case " \$* " in *" --show-bin-path "*) echo "$WORK/fakebuild";; esac
exit 0
SH
chmod +x "$WORK/bin/swift"
# Real ELF files, so that `strip` works on them: the "new" library is a copy of true(1), the
# "old" one a copy of false(1).
NEW=$(command -v true); OLD=$(command -v false)
case "$NEW" in /*) ;; *) NEW=/bin/true; OLD=/bin/false;; esac
cp "$NEW" "$WORK/new.so"; cp "$OLD" "$WORK/old.so"
cp "$WORK/new.so" "$WORK/fakebuild/libcacipher.so"
cp "$WORK/new.so" "$WORK/fakebuild/libcacipher-tass.so"

real=$(make --no-print-directory -s -p -n lib SWIFT="$WORK/bin/swift" OUT="$WORK/out" 2>/dev/null \
       | awk -F' := ' '$1 == "LIB_REAL" {print $2; exit}')
check "library file name known ($real)" test -n "$real"

# make lib
mkdir -p "$WORK/out/lib"
cp "$WORK/old.so" "$WORK/out/lib/$real"
ln "$WORK/out/lib/$real" "$WORK/mapped-lib"
make --no-print-directory lib SWIFT="$WORK/bin/swift" OUT="$WORK/out" > "$WORK/lib.log" 2>&1
check "make lib succeeds" test $? -eq 0 || cat "$WORK/lib.log"
check "make lib installs the new library" cmp -s "$WORK/new.so" "$WORK/out/lib/$real"
check "make lib leaves the loaded file's bytes alone (renamed, not rewritten)" cmp -s "$WORK/old.so" "$WORK/mapped-lib"
check "make lib leaves no temporary file" test -z "$(find "$WORK/out/lib" -name '.*tmp*')"
check "libcacipher.so links to the new library" cmp -s "$WORK/new.so" "$WORK/out/lib/libcacipher.so"

# make install (the stripped copy under PREFIX, with the real strip)
P="$WORK/prefix"
mkdir -p "$P/lib"
cp "$WORK/old.so" "$P/lib/$real"
ln "$P/lib/$real" "$WORK/mapped-installed"
make --no-print-directory install SWIFT="$WORK/bin/swift" OUT="$WORK/out" PREFIX="$P" \
    > "$WORK/install.log" 2>&1
check "make install succeeds" test $? -eq 0 || cat "$WORK/install.log"
check "make install installs the new library" sh -c "! cmp -s '$WORK/old.so' '$P/lib/$real' && cmp -s '$WORK/new.so' '$WORK/out/lib/$real'"
check "make install leaves the loaded file's bytes alone" cmp -s "$WORK/old.so" "$WORK/mapped-installed"
check "make install leaves no temporary file" test -z "$(find "$P/lib" -name '.*tmp*')"
check "installed library is executable" test -x "$P/lib/$real"

echo "lib-install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
