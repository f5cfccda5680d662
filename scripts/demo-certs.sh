#!/bin/sh
# demo-certs.sh DIR - the demo's signers get their certificates through the
# registry (issue 15), so each names the official it belongs to: a
# development CA (scripts/devca.sh, NOT FOR PRODUCTION) in DIR/devca, a
# certs: section and that CA in trust: of DIR/sertel.yaml, and for Dr. Siti
# Aminah and Ahmad Fauzi an application (`sertel cert request`),
# verification, issuance and import; the keystores import writes (the key
# from the request, the certificate, the CA) replace the test PKI's in the
# signers: entries.
# Run by scripts/demo.sh after it wrote the configuration.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERTEL=${SERTEL:-$ROOT/build/sertel}
D=$1
cfg=$D/sertel.yaml
pass=$D/pki/pass.txt
verifier=199001012015011001
rm -rf "$D/devca" "$D/keystores"
mkdir -p "$D/keystores"
sh "$ROOT/scripts/devca.sh" init "$D/devca" > /dev/null
sed -i "s|^trust: \[ \(.*\) \]|trust: [ \1, devca/ca.pem ]|" "$cfg"
cat >> "$cfg" <<YAML
certs:
  email_domain: musirawaskab.go.id
  verifiers: ["$verifier"]
YAML
python3 "$ROOT/tests/lib/mkpng.py" "$D/keystores/ktp.png" 320 200
python3 "$ROOT/tests/lib/mkpng.py" "$D/keystores/foto.png" 120 160

# holder NIP NIK NAME JABATAN PANGKAT UNIT PD EMAIL OLD_KEYSTORE
holder() {
	out=$("$SERTEL" --config "$cfg" cert request --name "$3" --nik "$2" --nip "$1" \
		--jabatan "$4" --pangkat "$5" --unit "$6" --pd "$7" --phone 081200000000 \
		--email "$8" --ktp "$D/keystores/ktp.png" --photo "$D/keystores/foto.png" \
		--recommender 197103012006042006 --key ec --passphrase-file "$pass")
	id=$(echo "$out" | sed -n 's/^cert: request \([0-9]*\) .*/\1/p')
	req=$(echo "$out" | sed -n 's/^  request (PKCS#10): //p')
	"$SERTEL" --config "$cfg" -q cert verify "$id" --by $verifier \
		--note "Berkas lengkap (demo)" > /dev/null
	sh "$ROOT/scripts/devca.sh" issue "$D/devca" "$req" "$D/keystores/$1.pem" > /dev/null
	# with the holder's passphrase, import also writes the signing keystore
	"$SERTEL" --config "$cfg" cert import "$id" "$D/keystores/$1.pem" --by $verifier \
		--passphrase-file "$pass" | head -1
	cp "$(dirname "$req")/keystore.p12" "$D/keystores/$1.p12"
	chmod 600 "$D/keystores/$1.p12"
	sed -i "s|keystore: $9\$|keystore: keystores/$1.p12|" "$cfg"
}
holder 197103012006042006 1605014103710001 "Dr. Siti Aminah, M.Si" \
	"Kepala Dinas Komunikasi dan Informatika" "Pembina Utama Muda (IV/c)" \
	"Dinas Komunikasi dan Informatika" diskominfo siti.aminah@musirawaskab.go.id \
	pki/signer-rsa.p12
holder 198204152008011002 1605011504820002 "Ahmad Fauzi, S.T." "Sekretaris Daerah" \
	"Pembina Utama Madya (IV/d)" "Sekretariat Daerah" setda ahmad.fauzi@musirawaskab.go.id \
	pki/signer-ec.p12
