#!/bin/sh
# devca.sh - a DEVELOPMENT certificate authority for `sertel cert`: NOT FOR
# PRODUCTION.  Real certificates come from the national CA (BSrE); this one
# lets tests, the demo and a developer's machine run the whole lifecycle
# (request -> verify -> issue -> import) with the openssl CLI alone.  Its
# root says so in its name, and its key lies unencrypted in DIR.
#
#   devca.sh init DIR
#       a new CA in DIR: ca.pem (the anchor to add to trust:), ca.key, index
#   devca.sh issue DIR REQUEST.csr.pem OUT.pem [DAYS | START END]
#       a certificate for the request: its subject as requested (CN = the
#       holder's name, serialNumber = NIP or NIK, emailAddress) and its
#       subjectAltName e-mail copied, for digital signature and
#       non-repudiation; DAYS (default 730: two years, Pasal 17) or START
#       and END as YYYYMMDDHHMMSSZ.  The request's own signature is checked.
set -eu
usage() { echo "usage: devca.sh init DIR | issue DIR REQUEST.csr.pem OUT.pem [DAYS | START END]" >&2; exit 64; }
[ $# -ge 2 ] || usage
cmd=$1 dir=$2
case $cmd in
init)
	mkdir -p "$dir"
	: > "$dir/index.txt"
	echo 01 > "$dir/crlnumber"
	openssl rand -hex 8 > "$dir/serial"
	cat > "$dir/ca.cnf" <<CNF
# sertel development CA - NOT FOR PRODUCTION
[ca]
default_ca = devca
[devca]
dir = $dir
database = \$dir/index.txt
serial = \$dir/serial
crlnumber = \$dir/crlnumber
new_certs_dir = \$dir
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
default_md = sha256
default_days = 730
default_crl_days = 30
policy = holder
copy_extensions = copyall
x509_extensions = holder_ext
unique_subject = no
preserve = yes
[holder]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
serialNumber = supplied
emailAddress = optional
[holder_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$dir/ca.key" -out "$dir/ca.pem" -days 3650 -config "$dir/ca.cnf" \
		-extensions root_ext \
		-subj "/C=ID/O=sertel development/CN=sertel DEVELOPMENT CA - NOT FOR PRODUCTION" \
		2> "$dir/init.log"
	echo "devca: $dir/ca.pem (development only: never add it to a production trust:)"
	;;
issue)
	[ $# -ge 4 ] || usage
	csr=$3 out=$4
	[ -f "$dir/ca.cnf" ] || { echo "devca: $dir is not a development CA (devca.sh init)" >&2; exit 66; }
	openssl req -in "$csr" -noout -verify 2> /dev/null ||
		{ echo "devca: $csr: not a request with a valid signature" >&2; exit 65; }
	if [ $# -ge 6 ]; then
		when="-startdate $5 -enddate $6"
	else
		when="-days ${5:-730}"
	fi
	# shellcheck disable=SC2086
	openssl ca -batch -config "$dir/ca.cnf" -in "$csr" -out "$out" -notext $when \
		2> "$dir/issue.log" || { cat "$dir/issue.log" >&2; exit 1; }
	echo "devca: $out (serial $(openssl x509 -in "$out" -noout -serial | cut -d= -f2))"
	;;
*)
	usage
	;;
esac
