#!/usr/bin/env bash
# Makes throw-away TLS material for tests and demos with the openssl command line:
#
#   scripts/make-test-certs.sh DIR
#
#   ca.pem / ca-key.pem               test CA (EC P-256)
#   server.pem / server-key.pem       HSM certificate, SAN IP:127.0.0.1, IP:::1, DNS:localhost
#   client.pem / client-key.pem       client certificate (mutual TLS), signed by the test CA
#   other-ca.pem / other-ca-key.pem   a second, unrelated CA
#   other-server.pem / -key.pem       a server certificate for 127.0.0.1 signed by the other CA
#   other-client.pem / -key.pem       a client certificate signed by the other CA
#   expired.pem / expired-key.pem     server certificate for 127.0.0.1 that expired (test CA)
#   wrong-name.pem / wrong-name-key.pem  server certificate for hsm.example.invalid only (test CA)
#
# Keys are private to the caller (mode 0600) and belong in a temporary directory, never in
# the repository. Everything is valid for 30 days except expired.pem.
set -euo pipefail
dir=${1:?usage: make-test-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/cacipher-certs.XXXXXX")
trap 'rm -rf "$work"' EXIT

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

ca() { # name subject
    key "$1-key.pem"
    openssl req -x509 -new -key "$1-key.pem" -subj "/CN=$2" -days 30 -sha256 \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$1.pem" 2>/dev/null
}

# leaf name ca subject san usage [expired]
leaf() {
    local name=$1 signer=$2 subject=$3 san=$4 usage=$5 expired=${6:-}
    key "$name-key.pem"
    openssl req -new -key "$name-key.pem" -subj "/CN=$subject" -out "$work/$name.csr" 2>/dev/null
    {
        echo "basicConstraints=critical,CA:FALSE"
        echo "keyUsage=critical,digitalSignature"
        echo "extendedKeyUsage=$usage"
        [ -n "$san" ] && echo "subjectAltName=$san"
    } > "$work/$name.ext"
    if [ -n "$expired" ]; then
        # A certificate whose validity ended yesterday: signed through `openssl ca` with
        # explicit dates (x509 -days cannot go into the past).
        mkdir -p "$work/ca-db"
        : > "$work/ca-db/index.txt"
        cat > "$work/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
database = $work/ca-db/index.txt
new_certs_dir = $work/ca-db
serial = $work/ca-db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
EOF
        openssl rand -hex 8 > "$work/ca-db/serial"
        openssl ca -batch -config "$work/ca.cnf" -cert "$signer.pem" -keyfile "$signer-key.pem" \
            -in "$work/$name.csr" -out "$name.pem" -notext \
            -startdate "$(date -u -d '-3 days' +%Y%m%d%H%M%SZ)" -enddate "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" \
            -extfile "$work/$name.ext" >/dev/null 2>&1
    else
        openssl x509 -req -in "$work/$name.csr" -CA "$signer.pem" -CAkey "$signer-key.pem" -CAcreateserial \
            -CAserial "$work/$signer.srl" -days 30 -sha256 -extfile "$work/$name.ext" -out "$name.pem" 2>/dev/null
    fi
}

loopback="IP:127.0.0.1,IP:::1,DNS:localhost"
ca ca "cacipher test CA"
ca other-ca "cacipher unrelated test CA"
leaf server ca "evsm test HSM" "$loopback" serverAuth
leaf client ca "cacipher test client" "" clientAuth
leaf other-server other-ca "evsm test HSM (other CA)" "$loopback" serverAuth
leaf other-client other-ca "cacipher test client (other CA)" "" clientAuth
leaf expired ca "evsm test HSM (expired)" "$loopback" serverAuth expired
leaf wrong-name ca "hsm.example.invalid" "DNS:hsm.example.invalid" serverAuth

chmod 600 ./*-key.pem
chmod 644 ca.pem other-ca.pem server.pem client.pem other-server.pem other-client.pem expired.pem wrong-name.pem
echo "test certificates in $(pwd)"
