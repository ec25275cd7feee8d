#!/usr/bin/env bash
# The openssl command line's side of the typed suite's RSA cross-checks (typed.c,
# test_rsa_openssl, runs it with system()). Works in DIR on files typed.c writes and reads.
#
#   rsa_openssl.sh encrypt DIR pkcs1|oaep   pub.der (PKCS#1 RSAPublicKey) + msg.bin -> ct.bin
#   rsa_openssl.sh sign DIR ZMKHEX          n.hex e.hex (clear, hex text) and d p q dp dq
#                                           qinv .enc (bytes under the double-length ZMK, 3DES ECB, left zero
#                                           padding: the TR export) -> key.pem; signs msg.bin
#                                           with SHA-256 PKCS#1 v1.5 -> sig.bin
#   rsa_openssl.sh verify DIR pkcs1|pss     verifies hsm_sig.bin over msg.bin with pub.der
#   rsa_openssl.sh decrypt DIR oaep         decrypts hsm_ct.bin with key.pem -> hsm_pt.bin
#   rsa_openssl.sh clean DIR                removes the rebuilt private key and components
#
# The private key is a throw-away test key made by the suite's evsm for this check; its
# files are removed by `clean` (and by run.sh with the work directory's key files).
# Exit status 0 on success; openssl's messages go to DIR/openssl.log.
set -uo pipefail
op=$1; dir=$2; arg=${3:-}
log=$dir/openssl.log
fail() { echo "rsa_openssl.sh $op: $*" >&2; echo "--- $log" >&2; tail -n 20 "$log" >&2; exit 1; }
pubpem() {
    openssl rsa -pubin -inform DER -RSAPublicKey_in -in "$dir/pub.der" -out "$dir/pub.pem" >>"$log" 2>&1 \
        || fail "openssl rsa cannot read pub.der"
}
case $op in
encrypt)
    pubpem
    case $arg in
        pkcs1) opt=(-pkeyopt rsa_padding_mode:pkcs1) ;;
        oaep) opt=(-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1) ;;
        *) fail "padding $arg" ;;
    esac
    openssl pkeyutl -encrypt -pubin -inkey "$dir/pub.pem" "${opt[@]}" -in "$dir/msg.bin" -out "$dir/ct.bin" >>"$log" 2>&1 \
        || fail "openssl pkeyutl -encrypt"
    ;;
sign)
    [[ $arg =~ ^[0-9A-Fa-f]{32}$ ]] || fail "the ZMK must be 32 hex digits"
    declare -A v
    for c in n e; do v[$c]=$(cat "$dir/$c.hex") || fail "$c.hex missing"; done
    for c in d p q dp dq qinv; do
        v[$c]=$(openssl enc -d -des-ede-ecb -nopad -K "$arg" -in "$dir/$c.enc" 2>>"$log" | od -An -v -tx1 | tr -d ' \n') \
            || fail "openssl enc cannot unwrap $c"
        [ -n "${v[$c]}" ] || fail "component $c is empty"
    done
    cat >"$dir/key.cnf" <<CNF
asn1=SEQUENCE:rsakey
[rsakey]
version=INTEGER:0
n=INTEGER:0x${v[n]}
e=INTEGER:0x${v[e]}
d=INTEGER:0x${v[d]}
p=INTEGER:0x${v[p]}
q=INTEGER:0x${v[q]}
dp=INTEGER:0x${v[dp]}
dq=INTEGER:0x${v[dq]}
qinv=INTEGER:0x${v[qinv]}
CNF
    unset v
    openssl asn1parse -genconf "$dir/key.cnf" -noout -out "$dir/key.der" >>"$log" 2>&1 || fail "openssl asn1parse -genconf"
    openssl rsa -inform DER -in "$dir/key.der" -check -out "$dir/key.pem" >>"$log" 2>&1 || fail "the rebuilt key does not check"
    openssl dgst -sha256 -sign "$dir/key.pem" -out "$dir/sig.bin" "$dir/msg.bin" >>"$log" 2>&1 || fail "openssl dgst -sign"
    ;;
verify)
    pubpem
    case $arg in
        pkcs1) opt=() ;;
        pss) opt=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt rsa_mgf1_md:sha256) ;;
        *) fail "padding $arg" ;;
    esac
    openssl dgst -sha256 -verify "$dir/pub.pem" "${opt[@]}" -signature "$dir/hsm_sig.bin" "$dir/msg.bin" >>"$log" 2>&1 \
        || fail "openssl does not verify the HSM's $arg signature"
    ;;
decrypt)
    [ "$arg" = oaep ] || fail "padding $arg"
    openssl pkeyutl -decrypt -inkey "$dir/key.pem" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 \
        -pkeyopt rsa_mgf1_md:sha1 -in "$dir/hsm_ct.bin" -out "$dir/hsm_pt.bin" >>"$log" 2>&1 \
        || fail "openssl does not decrypt the HSM's OAEP ciphertext"
    ;;
clean)
    rm -f "$dir"/{d,p,q,dp,dq,qinv}.enc "$dir"/{n,e}.hex "$dir"/key.{cnf,der,pem}
    ;;
*) fail "unknown operation" ;;
esac
