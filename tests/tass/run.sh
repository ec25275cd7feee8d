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
if suite_cc "$work/field_patterns" cacipher-tass "$here"/field_patterns.c; then
    pass "field_patterns.c compiles"
else
    fail "field_patterns.c compiles"; finish
fi
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
for h in hsmapi.h hsmapi_define.h hsmapi_init.h hsmapi_racal.h hsmapi_ic.h hsmapi_asym.h hsmapi_tools.h; do
    printf '#include <%s>\nint main() { return 0; }\n' "$h" | c++ -std=c++11 -Wall -Werror -x c++ - -I"$prefix/include/tass" -o "$work/cxx" \
        > "$work/cxx.log" 2>&1 || { cat "$work/cxx.log"; fail "$h compiles as C++"; continue; }
done
printf '#include <hsmapi.h>\nint main(void) { void *d = 0; return SDF_OpenDevice(&d, "1.2.3.4", 1) + SDF_OpenDevice(&d, "1.2.3.4", 1, 8); }\n' \
    | c++ -std=c++11 -Wall -x c++ - -I"$prefix/include/tass" -L"$prefix/lib" -lcacipher-tass -o "$work/cxx-open" > "$work/cxx.log" 2>&1 \
    && pass "every header compiles as C++; both SDF_OpenDevice forms from C++" || { cat "$work/cxx.log"; fail "C++ callers"; }

# 3b. How programs of the field build (docs/vendor-compat.md, "Field patterns"): strict C90 /
#     C++98 (-pedantic-errors, both SDF_OpenDevice forms), <tass/hsmapi.h> from PREFIX/include,
#     -lTassApi_LINUX_64 (the vendor's file name as an -l), their own copy of the vendor's
#     constants header before or after <hsmapi.h> (its include guard), TASS_SPRINTF, and their
#     own prototypes for the functions the vendor's header did not declare.
printf '#include <hsmapi.h>\nint main(void) { void *d = 0; int rc = SDF_OpenDevice(&d, "127.0.0.1", 1); rc += SDF_OpenDevice(&d, "127.0.0.1", 1, 8); return rc == 0; }\n' > "$work/c90.c"
c90_ok=1
for flags in "-std=c89 -pedantic-errors" "-ansi -pedantic -Werror" "-std=gnu89 -pedantic -Werror"; do
    # shellcheck disable=SC2086
    cc $flags -Wall -c "$work/c90.c" -I"$prefix/include/tass" -o "$work/c90.o" > "$work/c90.log" 2>&1 || { cat "$work/c90.log"; c90_ok=0; fail "C90 program with $flags"; }
done
c++ -std=c++98 -pedantic-errors -Wno-write-strings -x c++ -c "$work/c90.c" -I"$prefix/include/tass" -o "$work/c90.o" > "$work/c90.log" 2>&1 \
    || { cat "$work/c90.log"; c90_ok=0; fail "C++98 program with -pedantic-errors"; }
[ "$c90_ok" = 1 ] && pass "C90 (-std=c89 -pedantic-errors, -ansi -pedantic -Werror, gnu89) and C++98 -pedantic-errors programs compile, both SDF_OpenDevice forms"
# Strict builds: every header, each function declared once (-Wredundant-decls), prototypes
# only (-Wstrict-prototypes), pedantic C11, warnings as errors.
printf '#include <hsmapi.h>\n#include <hsmapi_init.h>\n#include <hsmapi_racal.h>\n#include <hsmapi_ic.h>\n#include <hsmapi_asym.h>\n#include <hsmapi_define.h>\n#include <hsmapi_tools.h>\nint main(void) { return HAR_OK; }\n' > "$work/strict.c"
if cc -std=c11 -Wall -Wextra -Wpedantic -Wredundant-decls -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Wundef -Werror \
        -c "$work/strict.c" -I"$prefix/include/tass" -o "$work/strict.o" > "$work/strict.log" 2>&1; then
    pass "all headers under -Wpedantic -Wredundant-decls -Wstrict-prototypes -Wundef -Werror (each function declared once)"
else
    cat "$work/strict.log"; fail "the headers under strict warnings"
fi
cat > "$work/field_build.c" <<'EOF'
#include <stdio.h>
#include <tass/hsmapi.h>
/* the program's own prototypes, as the vendor's header declared neither */
int Tass_EncryptData(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, int iEncMode, int iDeriveNum, char *pcDeriveData, int iSessionKeyMode, char *pcSessionKeyData, int iPaddingMode, char *pcInData, char *pcIv, char *pcOutData);
int Tass_GenVerifyCvn(int iKeyIdx, char *pcKeyCipherByLmk, int iMode, char *pcPan, char *pcValidity, char *pcServiceCode, char *pcCvn);
int main(void) {
    char msg[64];
    void *d = NULL;
    int rc = SDF_OpenDevice(&d, "127.0.0.1", 1);
    TASS_SPRINTF(msg, sizeof msg, "return code = [%#010X]", (unsigned)rc);
    puts(msg);
    return rc == HAR_SOCK_CONNECT ? 0 : 1;
}
EOF
# shellcheck disable=SC2046
if cc -std=c11 -Wall -Wextra -Werror "$work/field_build.c" $(pkg-config --cflags cacipher-tass) -L"$prefix/lib" -lTassApi_LINUX_64 -o "$work/field_build" > "$work/field_build.log" 2>&1 \
        && LD_LIBRARY_PATH="$prefix/lib" "$work/field_build" | grep -q '^return code = \[0X06000002\]$'; then
    pass "<tass/hsmapi.h> with \$(pkg-config --cflags cacipher-tass), -lTassApi_LINUX_64, the program's own prototypes, TASS_SPRINTF; runs (HAR_SOCK_CONNECT)"
else
    cat "$work/field_build.log"; fail "a program built as in the field (<tass/hsmapi.h>, -lTassApi_LINUX_64, own prototypes, TASS_SPRINTF)"
fi
own_ok=1
for first in own hsmapi; do
    if [ "$first" = own ]; then a="#include \"$here/own-copy/hsmapi_define.h\""; b='#include <hsmapi.h>'; else a='#include <hsmapi.h>'; b="#include \"$here/own-copy/hsmapi_define.h\""; fi
    printf '%s\n%s\nint main(void) { return HAR_SOCK_CONNECT == 0x06000002 && HAR_PARAM_ISNULL == 0x06000029 ? 0 : 1; }\n' "$a" "$b" > "$work/own_copy.c"
    { cc -std=c11 -Wall -Werror "$work/own_copy.c" -I"$prefix/include/tass" -o "$work/own_copy" > "$work/own_copy.log" 2>&1 && "$work/own_copy"; } \
        || { cat "$work/own_copy.log"; own_ok=0; fail "the program's own copy of hsmapi_define.h with <hsmapi.h> ($first first)"; }
done
[ "$own_ok" = 1 ] && pass "a program's own copy of the vendor's hsmapi_define.h, before or after <hsmapi.h>: one set of definitions (-Werror)"

# 4. The library: no Swift runtime, exports exactly the functions the headers declare, soname.
if ldd "$lib" > "$work/ldd.txt" 2>&1 && ! grep -q 'libswift' "$work/ldd.txt"; then
    pass "ldd shows no libswift* ($(awk '{print $1}' "$work/ldd.txt" | tr '\n' ' '))"
else
    cat "$work/ldd.txt"; fail "ldd shows no libswift*"
fi
nm -D --defined-only -g "$lib" | awk '{print $NF}' | sort > "$work/exports.txt"
grep -hEo '^(HSMAPI )?(int|void) [A-Za-z_0-9]+\(' "$prefix"/include/tass/*.h | sed -E 's/^(HSMAPI )?(int|void) //; s/\($//' | sort -u > "$work/declared.txt"
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
if grep -qE '(Tass|HSM|SDF)_[A-Za-z_0-9]+ - .*return code = \[' "$work"/log/TassHsmApi.log 2>/dev/null && ! ls "$work"/log/cacipher-*.log > /dev/null 2>&1; then
    pass "failed calls are logged in logpath/TassHsmApi.log, the vendor's file (function - message, return code)"
else
    fail "no error log in logpath"
fi
if grep -qE '0123456789ABCDEFFEDCBA9876543210|C967C8198151A458|12a4|123456789012' "$work"/log/*.log 2>/dev/null; then
    fail "a log line holds a secret"; else pass "no log line holds a clear key, PIN block or PIN"; fi

# The calling patterns of the vendor's test programs and of applications built like them
# (field_patterns.c: its own process, initialised by the same CfgTassHsmApi.ini), and the
# API from Python through ctypes, loaded by the vendor's file name.
(cd "$work/run" && LD_LIBRARY_PATH="$prefix/lib" timeout 120 "$work/field_patterns" "$work/CfgTassHsmApi.ini" "$portA") > "$work/field_patterns.out" 2>&1
rc=$?
cat "$work/field_patterns.out"
suite_add_summary "$work/field_patterns.out" field_patterns "$rc"
# The same without any initialisation, as the vendor's own test programs run: devices and
# sessions work, and the failures the patterns provoke are logged in ./TassHsmApi.log.
mkdir -p "$work/run-noinit"
(cd "$work/run-noinit" && LD_LIBRARY_PATH="$prefix/lib" TASSDBGENV= timeout 120 "$work/field_patterns" - "$portA") > "$work/field_patterns_noinit.out" 2>&1
rc=$?
sed 's/^field_patterns:/field_patterns (no init):/' "$work/field_patterns_noinit.out"
suite_add_summary "$work/field_patterns_noinit.out" field_patterns "$rc"
if grep -qE 'Tass_Decrypt_PIN - .*return code = \[0x06000027\]|Tass_Decrypt_PIN - .*return code = \[0x06000012\]' "$work/run-noinit/TassHsmApi.log" 2>/dev/null; then
    pass "without initialisation, failures are logged in ./TassHsmApi.log (the vendor's default directory)"
else
    fail "without initialisation, no ./TassHsmApi.log with the failures"
fi
(cd "$work/run" && timeout 60 python3 "$here/ctypes_client.py" "$prefix/lib/libTassApi_LINUX_64.so" "$portA" "$work/log") > "$work/ctypes.out" 2>&1
rc=$?
cat "$work/ctypes.out"
suite_tally "$work/ctypes.out"
if [ "$rc" -ne 0 ] && ! grep -q '^FAIL - ' "$work/ctypes.out"; then fail "ctypes_client.py exited $rc"; fi

# A program linked against the vendor's own libTassApi_LINUX_64.so (no soname: its NEEDED
# entry is the file name), run unchanged on the installed link, not relinked: a stand-in
# with the same file name, four functions that fail, is what it was built against.
mkdir -p "$work/vendor-lib"
printf 'int SDF_OpenDevice(void **h, char *ip, int port) { (void)h; (void)ip; (void)port; return -1; }\nint SDF_OpenSession(void *d, void **s) { (void)d; (void)s; return -1; }\nint SDF_GenerateRandom(void *s, int n, char *r) { (void)s; (void)n; (void)r; return -1; }\nint SDF_CloseDevice(void *d) { (void)d; return -1; }\n' > "$work/vendor-lib/stand_in.c"
cat > "$work/vendor_binary.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hsmapi.h>
int main(int argc, char **argv) {
    void *d = NULL, *s = NULL;
    char r[33] = {0};
    int rc = argc == 2 ? SDF_OpenDevice(&d, "127.0.0.1", atoi(argv[1])) : -1;
    if (rc == 0) rc = SDF_OpenSession(d, &s);
    if (rc == 0) rc = SDF_GenerateRandom(s, 16, r);
    printf("rc=%d random=%zu\n", rc, strlen(r));
    SDF_CloseDevice(d);
    return rc == 0 && strlen(r) == 32 ? 0 : 1;
}
EOF
if cc -shared -fPIC "$work/vendor-lib/stand_in.c" -o "$work/vendor-lib/libTassApi_LINUX_64.so" > "$work/vendor_binary.log" 2>&1 \
        && cc -std=c11 "$work/vendor_binary.c" -I"$prefix/include/tass" -L"$work/vendor-lib" -lTassApi_LINUX_64 -o "$work/vendor_binary" >> "$work/vendor_binary.log" 2>&1 \
        && readelf -d "$work/vendor_binary" | grep -q 'NEEDED.*\[libTassApi_LINUX_64.so\]' \
        && ! LD_LIBRARY_PATH="$work/vendor-lib" "$work/vendor_binary" "$portA" > /dev/null 2>&1 \
        && (cd "$work/run" && LD_LIBRARY_PATH="$prefix/lib" timeout 30 "$work/vendor_binary" "$portA") >> "$work/vendor_binary.log" 2>&1; then
    pass "a binary linked against the vendor's libTassApi_LINUX_64.so (NEEDED by file name) runs unchanged on the installed link"
else
    cat "$work/vendor_binary.log"; fail "a binary built against the vendor's file runs on the installed link"
fi

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
# Vendor files as programs keep them: the keys inside the program's own sectioned file (the
# vendor's reader looks only at lines starting with its keys), saved with CRLF and no newline
# at the end and a '#' line before the real host1, saved with a UTF-8 byte order mark.
printf '[APP]\nworkers=4\n\n[HSM]\n%s' "$good" > "$work/app.ini"
run_init "vendor keys inside a program's own [APP] / [HSM] file" file "$work/app.ini"
printf '%s' "$good" | sed 's/^host1=/#host1=10.0.0.1\nhost1=/' | sed 's/$/\r/' | head -c -2 > "$work/crlf.ini"
run_init "vendor ini with CRLF lines, a '#host1=' line first, no newline at the end" file "$work/crlf.ini"
printf '\357\273\277%s' "$good" > "$work/bom.ini"
run_init "vendor ini saved with a UTF-8 byte order mark" file "$work/bom.ini"
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
    if grep -q 'dmkMismatch' "$work"/log/TassHsmApi.log 2>/dev/null && ! grep -q '^Tass' "$work/group.out"; then
        pass "the member with another DMK was kept out (logged) and no call failed"
    else
        fail "the member with another DMK was not reported"
    fi
fi
finish
