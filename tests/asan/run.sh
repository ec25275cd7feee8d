#!/usr/bin/env bash
# The C suites (tests/c, tests/typed, tests/failover, tests/hostile) with their programs
# under AddressSanitizer + UBSan or under valgrind memcheck (docs/hardening.md).
#
#   tests/asan/run.sh asan     LIBSO WORKDIR EVSM   programs built with clang
#                                                   -fsanitize=address,undefined against
#                                                   LIBSO (a libcacipher.so built with
#                                                   swift build --sanitize=address); EVSM
#                                                   should be an ASan build too
#   tests/asan/run.sh valgrind LIBSO WORKDIR EVSM   programs run under valgrind memcheck
#                                                   (--error-exitcode=1, definite leaks)
#
# The suites' own run.sh scripts compile with `cc`: a `cc` wrapper first on PATH adds the
# sanitizer flags (asan), or turns the program into a script that runs the real binary
# under valgrind. Sanitizer reports anywhere in the work directory (programs, evsm logs)
# fail the suite. Ends with `NAME: N passed, M failed` (NAME = asan or valgrind).
set -u
mode=$1; libso=$2; work=$3; evsm=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$work" && mkdir -p "$work" && work=$(cd "$work" && pwd)
libso=$(cd "$(dirname "$libso")" && pwd)/$(basename "$libso")
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; }
finish() { echo "$mode: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# A prefix like `make install` makes, around LIBSO.
version=$(awk '/static let major =/ {a=$NF} /static let minor =/ {b=$NF} /static let patch =/ {c=$NF} END {print a"."b"."c}' \
    "$root/Sources/CACipherCore/Client/CACipherVersion.swift")
prefix=$work/prefix
mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
cp "$root/include/cacipher.h" "$prefix/include/"
cp "$libso" "$prefix/lib/libcacipher.so.$version"
ln -sf "libcacipher.so.$version" "$prefix/lib/libcacipher.so.${version%%.*}"
ln -sf "libcacipher.so.${version%%.*}" "$prefix/lib/libcacipher.so"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" "$root/pkgconfig/cacipher.pc.in" > "$prefix/lib/pkgconfig/cacipher.pc"

wrap=$work/wrap
mkdir -p "$wrap"
realcc=$(command -v cc)
case "$mode" in
asan)
    clang=$(command -v clang) || { fail "clang (from the Swift toolchain) on PATH"; finish; }
    # clang's ASan runtime, linked into the program, also serves the Swift library (one runtime).
    cat > "$wrap/cc" <<W
#!/usr/bin/env bash
exec "$clang" -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g "\$@"
W
    cat > "$wrap/c++" <<W
#!/usr/bin/env bash
exec "$clang++" -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g "\$@"
W
    chmod +x "$wrap/c++"
    # Swift's runtime keeps metadata and static texts for the life of the process: leaks
    # are checked with valgrind (definite only), not here.
    export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
    ;;
valgrind)
    command -v valgrind > /dev/null || { fail "valgrind on PATH"; finish; }
    cat > "$wrap/cc" <<W
#!/usr/bin/env bash
# compile to OUT.bin, and make OUT a script running it under valgrind
out=""; args=()
while [ \$# -gt 0 ]; do
    if [ "\$1" = "-o" ]; then out=\$2; args+=(-o "\$2.bin"); shift 2; else args+=("\$1"); shift; fi
done
[ -n "\$out" ] || exec "$realcc" "\${args[@]}"
"$realcc" -g "\${args[@]}" || exit \$?
printf '#!/bin/sh\nexec valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --track-origins=no --suppressions=%s "%s" "\$@"\n' \
    "$here/valgrind.supp" "\$out.bin" > "\$out"
chmod +x "\$out"
W
    ;;
*) echo "usage: $0 asan|valgrind LIBSO WORKDIR EVSM"; exit 2 ;;
esac
chmod +x "$wrap/cc"
export PATH="$wrap:$PATH"

reports() { grep -rlIE 'ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|== ?Invalid (read|write)|definitely lost in [1-9]|Conditional jump or move depends' "$1" 2>/dev/null; }

suite() {   # name command...
    local name=$1; shift
    local out=$work/$name.out
    mkdir -p "$work/$name"
    "$@" > "$out" 2>&1
    local rc=$? line
    line=$(grep -E "^[a-z]+: [0-9]+ passed, [0-9]+ failed" "$out" | tail -1)
    local found
    found=$(reports "$work/$name")
    if [ "$rc" -eq 0 ] && [ -z "$found" ]; then
        pass "$name under $mode ($line)"
    else
        grep -E '^(FAIL|  )' "$out" | head -20
        for f in $found; do echo "--- $f"; grep -m1 -B2 -A25 -E 'ERROR: AddressSanitizer|runtime error:|Invalid (read|write)|definitely lost|Conditional jump' "$f"; done
        fail "$name under $mode (exit $rc; $line)"
    fi
}

case "$mode" in
asan) suites=${ASAN_SUITES:-c typed failover hostile} ;;
*)    suites=${VALGRIND_SUITES:-typed failover hostile c} ;;
esac
for s in $suites; do
    case "$s" in
    c)        suite c "$root/tests/c/run.sh" "$prefix" "$work/c" ;;
    typed)    suite typed "$root/tests/typed/run.sh" "$prefix" "$work/typed" "$evsm" ;;
    failover)   # under valgrind the program starts slowly: the kill must wait for its traffic
        if [ "$mode" = valgrind ]; then
            FAILOVER_WAIT_FOR_TRAFFIC=1 FAILOVER_SECONDS=12 FAILOVER_TIMEOUT=300 \
                suite failover "$root/tests/failover/run.sh" "$prefix" "$work/failover" "$evsm"
        else suite failover "$root/tests/failover/run.sh" "$prefix" "$work/failover" "$evsm"; fi ;;
    hostile)  suite hostile "$root/tests/hostile/run.sh" "$prefix" "$work/hostile" "$evsm" ;;
    esac
done
finish
