#!/usr/bin/env bash
# The typed C suite: tests/typed/typed.c compiled against the installed libcacipher (through
# pkg-config) and run against one local evsm in test-LMK mode (ephemeral port, header
# length 2). Ends with `typed: N passed, M failed`.
#
#   tests/typed/run.sh PREFIX WORKDIR EVSM_BINARY
set -u
prefix=$1; work=$2; evsm=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
# shellcheck source=../common/suite.sh
. "$root/tests/common/suite.sh"
suite_init typed "$prefix"

suite_cc "$work/typed" cacipher "$here/typed.c" || fail_out "typed.c compiles"

evsm_start evsm "$work" "$evsm" --test-lmk --port 0 --bind 127.0.0.1 --header-length 2 --log-level warning \
    || fail_out "evsm starts"
port=${EVSM_ADDR_evsm##*:}

evsm_single_ini "$work/cacipher.ini" "$port" error,warn "$work"

# typed.c runs the openssl command line itself (tests/typed/rsa_openssl.sh) for the RSA
# cross-checks, so their failures are in its count.
TYPED_RSA_DIR="$work" TYPED_RSA_TOOL="$here/rsa_openssl.sh" LD_LIBRARY_PATH="$prefix/lib" timeout 120 "$work/typed" "$work/cacipher.ini" > "$work/typed.out" 2>&1
rc=$?
# the throw-away RSA key rebuilt for the cross-check, whatever happened
"$here/rsa_openssl.sh" clean "$work" >/dev/null 2>&1
cat "$work/typed.out"
grep -qE '^typed: [0-9]+ passed, [0-9]+ failed' "$work/typed.out" || fail_out "typed program exited $rc without a summary"
suite_add_summary "$work/typed.out" typed "$rc"
# One more check here, counted in the final summary: the signature test_rsa made through
# CACipher_RSASign, verified by the openssl command line.
printf 'RSA typed API test' > "$work/rsa_msg.bin"
if openssl rsa -pubin -inform DER -RSAPublicKey_in -in "$work/rsa_pub.der" -out "$work/rsa_pub.pem" 2>"$work/openssl.log" \
   && openssl dgst -sha256 -verify "$work/rsa_pub.pem" -signature "$work/rsa_sig.bin" "$work/rsa_msg.bin" >>"$work/openssl.log" 2>&1; then
    pass "RSA: openssl verifies the CACipher_RSASign signature"
else
    cat "$work/openssl.log"; fail "RSA: openssl verifies the CACipher_RSASign signature"
fi
finish
