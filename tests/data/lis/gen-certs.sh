#!/bin/sh
# Regenerates the throwaway test credentials of this directory (see README).
# Run from anywhere: sh tests/data/lis/gen-certs.sh
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
days=36500

ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# test CA; its key is thrown away
ec "$tmp/ca.key"
openssl req -x509 -new -key "$tmp/ca.key" -days $days -subj "/CN=locphone test CA" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

# leaf signed by the test CA: $1 output, $2 subjectAltName
leaf() {
	ec "$tmp/leaf.key"
	openssl req -new -key "$tmp/leaf.key" -subj "/CN=locphone test LIS" -out "$tmp/leaf.csr"
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$2" >"$tmp/ext"
	openssl x509 -req -in "$tmp/leaf.csr" -CA ca.pem -CAkey "$tmp/ca.key" -CAserial "$tmp/ca.srl" -CAcreateserial \
		-days $days -extfile "$tmp/ext" -out "$tmp/leaf.pem"
	cat "$tmp/leaf.pem" "$tmp/leaf.key" >"$1"
}

leaf server.pem "IP:127.0.0.1,DNS:localhost"
leaf wronghost.pem "DNS:lis.example.net"

# self-signed, not from the test CA, otherwise like server.pem
ec "$tmp/rogue.key"
openssl req -x509 -new -key "$tmp/rogue.key" -days $days -subj "/CN=locphone rogue LIS" \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -out "$tmp/rogue.pem"
cat "$tmp/rogue.pem" "$tmp/rogue.key" >rogue.pem
