#!/bin/sh
# pki.sh DIR - a throwaway test PKI made with the openssl CLI.
#
#   DIR/ca.pem, ca.key            root CA (RSA-2048, 10 years)
#   DIR/sub.pem, sub.key          intermediate CA (ECDSA P-256, 5 years)
#   DIR/chain.pem                 sub.pem + ca.pem
#   DIR/signer-rsa.pem/.key/.p12  RSA-2048 signer, chain inside the PKCS#12
#   DIR/signer-ec.pem/.key/.p12   ECDSA P-256 signer, chain inside
#   DIR/signer-ec384.pem/.key/.p12 ECDSA P-384 signer, chain inside
#   DIR/signer-lama.pem/.key/.p12 ECDSA P-256 signer, chain inside
#   DIR/signer-pss.pem/.key/.p12  RSA-PSS (key type rsassaPss) signer, chain inside
#   DIR/signer-legacy.p12         the RSA signer again, RC2/3DES ("-legacy")
#   DIR/pass.txt                  the PKCS#12 passphrase (first line)
#
# Signer certificates: CN=<name>, serialNumber=<NIP>, O=Pemerintah Kabupaten
# Musi Rawas, C=ID, keyUsage digitalSignature+nonRepudiation, valid for 2
# years.  They name the cast of tests/lib/mkconfig.sh (sertel refuses a
# signer whose certificate names another person: signer.identity):
#   signer-rsa   Dr. Siti Aminah, M.Si   197103012006042006
#   signer-ec    Ahmad Fauzi, S.T.       198204152008011002
#   signer-ec384 Rahmat Hidayat, S.T.    199203152018011001 (tests/e2e/57-paraf.sh)
#   signer-lama  Kepala Lama             197505052000031002 (57-paraf.sh's inactive one)
#   signer-pss   Dewi Lestari, S.E.      no NIP
# Idempotent: does nothing when DIR/ca.pem exists.  Never use outside tests.
set -eu

[ $# -eq 1 ] || { echo "usage: pki.sh DIR" >&2; exit 2; }
dir=$1
[ -f "$dir/ca.pem" ] && exit 0
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
tmp=$(mktemp -d "$dir/.pki.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

O="Pemerintah Kabupaten Musi Rawas"
printf '%s\n' "rahasia-uji-123" > pass.txt
chmod 600 pass.txt

cat > x509.cnf <<'EOF'
[req]
distinguished_name = dn
[dn]
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[sub]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[signer]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

serial() { printf '0x%s' "$(openssl rand -hex 12)"; }

# root: self-signed
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
	-days 3650 -sha256 -set_serial "$(serial)" -config x509.cnf -extensions root \
	-subj "/C=ID/O=$O/CN=Sertel Uji Root CA" 2>/dev/null

# issue NAME KEYSPEC SUBJECT ISSUER EXT DAYS - key + certificate signed by ISSUER;
# SUBJECT is what follows O= ("/CN=...[/serialNumber=...]")
issue() {
	openssl req -new -newkey "$2" -nodes -keyout "$1.key" -out "$1.csr" \
		-config x509.cnf -subj "/C=ID/O=$O$3" 2>/dev/null
	openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" -out "$1.pem" \
		-days "$6" -sha256 -set_serial "$(serial)" -extfile x509.cnf -extensions "$5" \
		2>/dev/null
}

issue sub ec:/dev/stdin "/CN=Sertel Uji Sub CA" ca sub 1825 <<EOF
$(openssl ecparam -name prime256v1)
EOF
cat sub.pem ca.pem > chain.pem

issue signer-rsa rsa:2048 "/CN=Dr. Siti Aminah, M.Si/serialNumber=197103012006042006" sub signer 730
issue signer-ec ec:/dev/stdin "/CN=Ahmad Fauzi, S.T./serialNumber=198204152008011002" sub signer 730 <<EOF
$(openssl ecparam -name prime256v1)
EOF

issue signer-ec384 ec:/dev/stdin "/CN=Rahmat Hidayat, S.T./serialNumber=199203152018011001" sub signer 730 <<EOF
$(openssl ecparam -name secp384r1)
EOF
issue signer-lama ec:/dev/stdin "/CN=Kepala Lama/serialNumber=197505052000031002" sub signer 730 <<EOF
$(openssl ecparam -name prime256v1)
EOF
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out signer-pss.key 2>/dev/null
openssl req -new -key signer-pss.key -out signer-pss.csr -config x509.cnf \
	-subj "/C=ID/O=$O/CN=Dewi Lestari, S.E." 2>/dev/null
openssl x509 -req -in signer-pss.csr -CA sub.pem -CAkey sub.key -out signer-pss.pem \
	-days 730 -sha256 -set_serial "$(serial)" -extfile x509.cnf -extensions signer 2>/dev/null

for s in rsa ec ec384 lama pss; do
	openssl pkcs12 -export -inkey "signer-$s.key" -in "signer-$s.pem" -certfile chain.pem \
		-name "signer-$s" -passout file:pass.txt -out "signer-$s.p12"
done
openssl pkcs12 -export -legacy -inkey signer-rsa.key -in signer-rsa.pem -certfile chain.pem \
	-name signer-legacy -passout file:pass.txt -out signer-legacy.p12

rm -f ./*.csr x509.cnf
chmod 600 ./*.key ./*.p12
# ca.pem last: it is the "already done" marker
mv pass.txt ./*.key sub.pem chain.pem signer-*.pem signer-*.p12 "$dir/"
mv ca.pem "$dir/"
