#!/usr/bin/env bash
# The vendor-compatibility suite: the conformance tests (tests/tass/*.c, written only against
# include/tass/hsmapi.h) compiled against the installed libcacipher-tass through pkg-config
# and run against local `evsm --test-lmk` devices; the initialisation forms, one process
# each; the host command each function sends, byte for byte against the spec's field tables
# (wire_layouts.c, a recording peer on 127.0.0.1); the library itself (exports = the headers'
# functions, no Swift runtime, soname, the vendor's file name); and a vendor-style program over a group of three evsm with the
# member it opened killed and restarted, plus a fourth member holding another DMK (never
# used). Ends with `tass: N passed, M failed`.
#
#   tests/tass/run.sh PREFIX WORKDIR EVSM_BINARY
set -u
prefix=$1; work=$2; evsm=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
# shellcheck source=../common/suite.sh
. "$root/tests/common/suite.sh"
suite_init tass "$prefix"

lib="$prefix/lib/libcacipher-tass.so"
CFLAGS="-std=c11 -Wall -Wextra -Werror -pthread"

# 1. pkg-config and the vendor's file name.
if version=$(pkg-config --modversion cacipher-tass 2>&1); then pass "pkg-config finds cacipher-tass $version"; else fail "pkg-config: $version"; finish; fi
if [ -e "$prefix/lib/libTassApi_LINUX_64.so" ] && [ "$(readlink -f "$prefix/lib/libTassApi_LINUX_64.so")" = "$(readlink -f "$lib")" ]; then
    pass "installed also as libTassApi_LINUX_64.so"
else
    fail "libTassApi_LINUX_64.so is not installed as a link to libcacipher-tass"
fi

# 2. The suite compiles against the installed headers only (warnings are errors).
if suite_cc "$work/conformance" cacipher-tass "$here"/main.c "$here"/test_*.c; then
    pass "conformance suite compiles with \$(pkg-config --cflags --libs cacipher-tass)"
else
    fail "conformance suite compiles"; finish
fi
# shellcheck disable=SC2046
cc $CFLAGS "$here/init_variants.c" -o "$work/init_variants" $(pkg-config --cflags --libs cacipher-tass) > "$work/cc2.log" 2>&1 \
    && cc $CFLAGS "$here/vendor_style.c" -o "$work/vendor_style" $(pkg-config --cflags --libs cacipher-tass) >> "$work/cc2.log" 2>&1 \
    && pass "init_variants.c and vendor_style.c compile" || { cat "$work/cc2.log"; fail "init_variants.c / vendor_style.c compile"; finish; }
if suite_cc "$work/wire_layouts" cacipher-tass "$here"/wire_layouts.c; then
    pass "wire_layouts.c compiles"
else
    fail "wire_layouts.c compiles"; finish
fi
# A program that links the vendor's file name, as a deployed program does.
if cc $CFLAGS "$here/vendor_style.c" -o "$work/vendor_style_by_name" -I"$prefix/include/tass" -L"$prefix/lib" -l:libTassApi_LINUX_64.so \
        > "$work/cc3.log" 2>&1; then pass "a program links against -l:libTassApi_LINUX_64.so"; else cat "$work/cc3.log"; fail "link by the vendor's file name"; fi

# 3. Every header compiles as C++ (extern "C"), and C99 / C89-style callers with both
#    SDF_OpenDevice forms.
for h in hsmapi.h hsmapi_define.h hsmapi_init.h hsmapi_racal.h hsmapi_ic.h hsmapi_asym.h; do
    printf '#include <%s>\nint main() { return 0; }\n' "$h" | c++ -std=c++11 -Wall -Werror -x c++ - -I"$prefix/include/tass" -o "$work/cxx" \
        > "$work/cxx.log" 2>&1 || { cat "$work/cxx.log"; fail "$h compiles as C++"; continue; }
done
printf '#include <hsmapi.h>\nint main(void) { void *d = 0; return SDF_OpenDevice(&d, "1.2.3.4", 1) + SDF_OpenDevice(&d, "1.2.3.4", 1, 8); }\n' \
    | c++ -std=c++11 -Wall -x c++ - -I"$prefix/include/tass" -L"$prefix/lib" -lcacipher-tass -o "$work/cxx-open" > "$work/cxx.log" 2>&1 \
    && pass "every header compiles as C++; both SDF_OpenDevice forms from C++" || { cat "$work/cxx.log"; fail "C++ callers"; }

# 4. The library: no Swift runtime, exports exactly the functions the headers declare, soname.
if ldd "$lib" > "$work/ldd.txt" 2>&1 && ! grep -q 'libswift' "$work/ldd.txt"; then
    pass "ldd shows no libswift* ($(awk '{print $1}' "$work/ldd.txt" | tr '\n' ' '))"
else
    cat "$work/ldd.txt"; fail "ldd shows no libswift*"
fi
nm -D --defined-only -g "$lib" | awk '{print $NF}' | sort > "$work/exports.txt"
grep -hEo '^(HSMAPI )?int [A-Za-z_0-9]+\(' "$prefix"/include/tass/*.h | sed -E 's/^(HSMAPI )?int //; s/\($//' | sort -u > "$work/declared.txt"
if diff "$work/declared.txt" "$work/exports.txt" > "$work/exports.diff"; then
    pass "exports = the $(wc -l < "$work/exports.txt") functions the headers declare"
else
    echo "declared (<) versus exported (>):"; cat "$work/exports.diff"; fail "exports = declared functions"
fi
# hsmapi.h marks the Tass_* functions (and SDF_GenerateRandom) HSMAPI, the vendor's
# dllexport on WIN32; the five initialisation / device / session functions and their older
# Tass_ names do not carry it (vendor spec 1.1).
unmarked=$(grep -E '^int (Tass_|SDF_GenerateRandom)' "$prefix/include/tass/hsmapi.h" \
    | grep -vE '^int Tass_(HsmApiInit|OpenDevice|CloseDevice|OpenSession|CloseSession)\(' || true)
if [ -z "$unmarked" ] && ! grep -qE '^HSMAPI int SDF_(HsmApiInit|OpenDevice|CloseDevice|OpenSession|CloseSession)\(' "$prefix/include/tass/hsmapi.h"; then
    pass "hsmapi.h: the Tass_* functions and SDF_GenerateRandom are HSMAPI, the SDF_ lifecycle functions are not"
else
    echo "$unmarked"; fail "hsmapi.h: HSMAPI marking differs from the vendor's"
fi
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "libcacipher-tass.so.${version%%.*}" ] && pass "soname $soname" || fail "soname is '$soname'"

# 5. Two devices: no header, and an 8-byte header (the 4-argument SDF_OpenDevice).
evsm_start A "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 0 --log-level warning || { fail "evsm A starts"; finish; }
evsm_start B "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 8 --log-level warning || { fail "evsm B starts"; finish; }
portA=${EVSM_ADDR_A##*:}; portB=${EVSM_ADDR_B##*:}
mkdir -p "$work/log" "$work/run"
cat > "$work/CfgTassHsmApi.ini" <<INI
logsw=error
logpath=$work/log/
timeout=5
msgheadlen=0
host1=127.0.0.1
port1=$portA
INI
(cd "$work/run" && LD_LIBRARY_PATH="$prefix/lib" timeout 300 "$work/conformance" "$work/CfgTassHsmApi.ini" "$portA" "$portB") > "$work/conformance.out" 2>&1
rc=$?
cat "$work/conformance.out"
suite_add_summary "$work/conformance.out" conformance "$rc"
# Failures were logged, and no log line holds a secret of the suite (clear key K, PIN block, PIN).
# (Failed calls are logged one line per second per return code, so which function's line
# is there depends on the order of the tests: look for the line format.)
if ls "$work"/log/*.log > /dev/null 2>&1 && grep -qE '(Tass|HSM|SDF)_[A-Za-z_0-9]+ - .*return code = \[' "$work"/log/*.log; then
    pass "failed calls are logged in logpath (function - message, return code)"
else
    fail "no error log in logpath"
fi
if grep -qE '0123456789ABCDEFFEDCBA9876543210|C967C8198151A458|12a4|123456789012' "$work"/log/*.log 2>/dev/null; then
    fail "a log line holds a secret"; else pass "no log line holds a clear key, PIN block or PIN"; fi

# The host command each function sends, byte for byte, against the spec's field tables (a
# recording peer on 127.0.0.1; one process: it initialises with Tass_HsmApiInitByContent).
mkdir -p "$work/wire-log"
(cd "$work/run" && LD_LIBRARY_PATH="$prefix/lib" timeout 150 "$work/wire_layouts" "$work/wire-log") > "$work/wire_layouts.out" 2>&1
rc=$?
cat "$work/wire_layouts.out"
suite_add_summary "$work/wire_layouts.out" wire_layouts "$rc"

# 6. Initialisation forms, one process each.
run_init() { # description mode arg
    if (cd "$work/run" && LD_LIBRARY_PATH="$prefix/lib" timeout 60 "$work/init_variants" "$2" "$3" "$portA") > "$work/init.out" 2>&1; then
        pass "$1"
    else
        cat "$work/init.out"; fail "$1"
    fi
}
cat > "$work/cacipher.ini" <<INI
[LOGGER]
logsw=error
logPath=$work/log

[HOST1]
host=127.0.0.1
port=$portA
linkNum=-2
INI
run_init "SDF_HsmApiInit with a cacipher.ini" file "$work/cacipher.ini"
run_init "SDF_HsmApiInit with a {...} string" brace "{[LOGGER];logsw=error;logPath=$work/log;[HOST1];host=127.0.0.1;port=$portA}"
run_init "Tass_HsmApiInitByContent" content "$work/log"
bad() { # description hex-code file-content
    printf '%s' "$3" > "$work/bad.ini"
    run_init "$1" "expect-$2" "$work/bad.ini"
}
good="logsw=error
logpath=$work/log/
timeout=5
msgheadlen=0
host1=127.0.0.1
port1=$portA
"
bad "vendor ini without host1: HAR_CFGFILE_KEY_NOEXIST" 0600000F "$(printf '%s' "$good" | grep -v '^host1=')"
bad "vendor ini with 'host1 = ...' (no trimming): HAR_CFGFILE_VALUE_INVALID" 06000011 "$(printf '%s' "$good" | sed 's/^host1=/host1 = /')"
bad "vendor ini with a host name: HAR_CFGFILE_VALUE_INVALID" 06000011 "$(printf '%s' "$good" | sed 's/^host1=.*/host1=localhost/')"
bad "vendor ini with a line 'timeout' without '=': HAR_CFGFILE_VALUE_NOEXIST" 06000010 "$(printf '%s' "$good" | sed 's/^timeout=5/timeout/')"
bad "vendor ini with host2 but no port2: HAR_CFGFILE_KEY_NOEXIST" 0600000F "${good}host2=127.0.0.1"
bad "malformed cacipher.ini: HAR_CFGFILE_VALUE_INVALID" 06000011 "[HOST1]
port=notanumber"
for dup in TLS GLOBAL LOGGER GROUP; do
    bad "cacipher.ini with [$dup] twice: HAR_CFGFILE_VALUE_INVALID" 06000011 "[$dup]
[HOST1]
host=127.0.0.1
port=$portA
[$dup]
"
done
run_init "a missing file: HAR_CFGFILE_OPEN" expect-0600000E "$work/does-not-exist.ini"
run_init "an empty path (the vendor's fopen fails): HAR_CFGFILE_OPEN" expect-0600000E ""

# 7. A vendor-style program over a group: HOST1 (the address it opened) killed and restarted,
#    a fourth member with another DMK (initialised by the ceremony) never used.
for i in 1 2 3; do
    evsm_start "g$i" "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --log-level warning || { fail "group evsm $i starts"; finish; }
done
g1=${EVSM_ADDR_g1##*:}; g2=${EVSM_ADDR_g2##*:}; g3=${EVSM_ADDR_g3##*:}
odd_ok=0
vsmctl="$(dirname "$evsm")/vsmctl"
if [ -x "$vsmctl" ] && evsm_start odd "$work" "$evsm" --port 0 --bind 127.0.0.1 --state "$work/odd-state" --mgmt-port 0 --log-level warning; then
    mkdir -p "$work/odd-ukeys"
    export TASS_ODD_PINS=$'odd-component-1\nodd-component-2\nodd-auth-pin'
    if "$vsmctl" init original --device "$EVSM_MGMT_odd" --pin "$EVSM_FP_odd" --components 2 --auth 1-of-1 \
            --ukey-dir "$work/odd-ukeys" --pin-env TASS_ODD_PINS --yes > "$work/odd-ceremony.out" 2>&1; then
        odd_ok=1
    else
        cat "$work/odd-ceremony.out"
    fi
fi
dmk=$(evsm_nc_check_value "127.0.0.1:$g1")
oddcv=$( [ "$odd_ok" = 1 ] && evsm_nc_check_value "$EVSM_ADDR_odd" || echo "")
if [ "$odd_ok" = 1 ] && [ -n "$oddcv" ] && [ "$oddcv" != "$dmk" ]; then pass "a fourth evsm holds another DMK ($oddcv, the group's $dmk)"; else fail "the odd-DMK member could not be set up"; fi
{
    echo "[LOGGER]"; echo "logsw=error,warn"; echo "logPath=$work/log"
    echo "[GROUP]"; echo "dmkCheckValue=$dmk"
    n=1
    for p in "${EVSM_ADDR_odd##*:}" "$g1" "$g2" "$g3"; do
        [ "$p" = "" ] && continue
        printf '[HOST%d]\nhost=127.0.0.1\nport=%s\nlinkNum=-4\nconnTimeout=1\nreadTimeout=2\n' "$n" "$p"
        n=$((n + 1))
    done
} > "$work/group.ini"
(cd "$work/run" && LD_LIBRARY_PATH="$prefix/lib" timeout 120 "$work/vendor_style" "$work/group.ini" 127.0.0.1 "$g1" 5 4) > "$work/group.out" 2>&1 &
client=$!
sleep 1.5
evsm_kill g1 KILL
sleep 1.5
evsm_start g1 "$work" "$evsm" --test-lmk --port "$g1" --bind 127.0.0.1 --log-level warning || echo "warning: HOST1 did not restart"
wait "$client"; rc=$?
tail -n 3 "$work/group.out"
if [ "$rc" -eq 0 ] && grep -qE '^calls=[1-9][0-9]* failed=0$' "$work/group.out"; then
    pass "vendor-style program over the group, the opened member killed and restarted: $(tail -n 1 "$work/group.out")"
else
    fail "vendor-style program over the group (exit $rc)"
fi
if [ "$odd_ok" = 1 ]; then
    if grep -q 'dmkMismatch' "$work"/log/cacipher-*.log 2>/dev/null && ! grep -q '^Tass' "$work/group.out"; then
        pass "the member with another DMK was kept out (logged) and no call failed"
    else
        fail "the member with another DMK was not reported"
    fi
fi
finish
