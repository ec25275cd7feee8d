#!/usr/bin/env bash
# The C suite: compiles tests/c against an installed libcacipher (through pkg-config, as
# a user would), runs them, and checks the shared object itself (no Swift runtime
# dependency, only the C API exported, soname). Ends with `c: N passed, M failed`.
#
#   tests/c/run.sh PREFIX WORKDIR
set -u
prefix=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../common/suite.sh
. "$here/../common/suite.sh"
suite_init c "$prefix"

lib="$prefix/lib/libcacipher.so"

# 1. pkg-config finds the installed library.
if version=$(pkg-config --modversion cacipher 2>&1); then
    pass "pkg-config finds cacipher $version"
else
    fail "pkg-config --modversion cacipher: $version"; finish
fi

# 2. The tests compile against the installed header, warnings as errors.
bin="$work/ctest"
if SUITE_CFLAGS="-DEXPECTED_VERSION=\"$version\"" suite_cc "$bin" cacipher "$here"/*.c; then
    pass "C tests compile with \$(pkg-config --cflags --libs cacipher)"
else
    fail "C tests compile"; finish
fi

# 3. The header is also valid C++ (extern "C", no C-only constructs in declarations).
if echo '#include <cacipher.h>
int main(void) { return CACipher_Version() == nullptr; }' \
    | c++ -std=c++17 -Wall -Werror -x c++ - -o "$work/cxx-check" $(pkg-config --cflags --libs cacipher) > "$work/cxx.log" 2>&1; then
    pass "header compiles as C++"
else
    cat "$work/cxx.log"; fail "header compiles as C++"
fi

# 4. The test program itself (run in an empty directory: logPath=./ writes there).
mkdir -p "$work/run"
out="$work/ctest.out"
(cd "$work/run" && LD_LIBRARY_PATH="$prefix/lib" timeout 300 "$bin") > "$out" 2>&1
rc=$?
cat "$out"
suite_add_summary "$out" ctest "$rc"

# 5. No Swift runtime needed at run time.
if ldd "$lib" > "$work/ldd.txt" 2>&1 && ! grep -q 'libswift' "$work/ldd.txt"; then
    pass "ldd shows no libswift* ($(awk '{print $1}' "$work/ldd.txt" | tr '\n' ' '))"
else
    cat "$work/ldd.txt"; fail "ldd shows no libswift*"
fi

# 6. Only the C API is exported: every global defined dynamic symbol is CACipher_*.
#    (The linker adds no _init/_fini/__bss_start/_edata/_end to the
#    dynamic table of this object, so none are allowed. Swift type metadata that nm -D
#    lists with lower-case letters is LOCAL binding, not exported.)
nm -D --defined-only -g "$lib" | awk '{print $NF}' | sort > "$work/exports.txt"
bad=$(grep -Ev '^CACipher_[A-Za-z0-9_]+$' "$work/exports.txt" || true)
if [ -z "$bad" ] && grep -qx 'CACipher_Init' "$work/exports.txt"; then
    pass "exports only the C API ($(wc -l < "$work/exports.txt") symbols)"
else
    echo "unexpected exports:"; echo "$bad"; fail "exports only the C API"
fi

# 7. Every function declared in the header is exported.
missing=""
for f in $(grep -Eo '\bCACipher_[A-Za-z]+\(' "$prefix/include/cacipher.h" | tr -d '(' | sort -u); do
    grep -qx "$f" "$work/exports.txt" || missing="$missing $f"
done
if [ -z "$missing" ]; then pass "every header function is exported"; else fail "not exported:$missing"; fi

# 8. soname carries the major version.
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" = "libcacipher.so.${version%%.*}" ]; then
    pass "soname $soname"
else
    fail "soname is '$soname', expected libcacipher.so.${version%%.*}"
fi

finish
