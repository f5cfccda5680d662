#!/bin/sh
# 45-p11-certreq.sh - `sertel cert request --token pkcs11:...` (issue 19) on
# SoftHSM2: the key pair is generated inside the token (RSA-2048, private key
# sensitive and never extractable: its attributes read with pkcs11-tool), no
# key.p12 is written, the PKCS#10 request is signed by the token's key
# (openssl req -verify) whose public key it carries; `cert import`
# of the certificate the development CA issued writes the signer's lines
# (keystore: "pkcs11:...", certificate:) instead of a keystore.p12, and with
# them the signer signs through the spool (pdfsig).
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/softhsm.sh"
if why=$(softhsm_skip); then echo "1..0 # SKIP $why"; exit 0; fi
registry siti
cfg="$T/sertel.yaml"
PIN=246810
softhsm_init rina $PIN
echo $PIN > "$T/pin.txt"
P11() { pkcs11-tool --module "$SOFTHSM_MODULE" --token-label rina --login --pin $PIN "$@"; }

# request [OPTION...] - cert request for Rina with the key in her token
request() {
	"$SERTEL" cert request --name "Rina Marlina" --nik 1605014506850002 --nip 198506152010012003 \
		--jabatan "Kepala Bidang Aplikasi Informatika" --pangkat "Pembina (IV/a)" \
		--unit "Bidang Aplikasi Informatika" --pd diskominfo --phone 081234567890 \
		--email rina@musirawaskab.go.id --ktp "$T/ktp.png" --photo "$T/foto.png" \
		--recommender 197103012006042006 --passphrase-file "$T/pin.txt" "$@"
}
request --token "pkcs11:token=rina;object=ttd" --key ec > "$T/out0.txt" 2> "$T/err0.txt"
is $? 65 "--token with --key ec is refused (65): a token key is RSA-2048"
request --token "pkcs11:token=rina;object=ttd" --pkcs11-module "$SOFTHSM_MODULE" > "$T/out.txt" 2> "$T/err.txt"
is $? 0 "cert request --token: exit 0"
cat "$T/err.txt"
dir="$T/state/$(sqlite3 "$T/state/sertel.db" "select dir from certs where id = 1")"
[ -f "$dir/request.csr.pem" ] && [ ! -e "$dir/key.p12" ]
ok $? "the request is written, no key.p12"
grep -q "key: made in the token, not extractable: pkcs11:token=rina;object=ttd" "$T/out.txt"
ok $? "... and it says the key is in the token"
P11 --list-objects --type privkey > "$T/objs.txt" 2>&1
grep -q "label: *ttd" "$T/objs.txt"
ok $? "the token holds the private key 'ttd' (pkcs11-tool)"
grep -A6 "label: *ttd" "$T/objs.txt" | grep -q "Access: *sensitive, always sensitive, never extractable"
ok $? "... sensitive, never extractable"
openssl req -in "$dir/request.csr.pem" -noout -verify > /dev/null 2>&1
ok $? "the request's signature verifies (openssl req -verify): made by the token's key"
P11 --read-object --type pubkey --label ttd -o "$T/pub.der" > /dev/null 2>&1
is "$(openssl pkey -pubin -inform DER -in "$T/pub.der" -outform DER 2>/dev/null | sha256sum)" \
	"$(openssl req -in "$dir/request.csr.pem" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum)" \
	"... and carries the token's public key"
is "$(sqlite3 "$T/state/sertel.db" "select key_alg from certs where id = 1")" rsa-2048 \
	"the registry records an RSA-2048 key"

"$SERTEL" cert verify 1 --by $verifier --note "sesuai" > /dev/null
sh "$ROOT/scripts/devca.sh" issue "$T/devca" "$dir/request.csr.pem" "$T/rina.pem" > /dev/null
"$SERTEL" cert import 1 "$T/rina.pem" --by $verifier > "$T/imp.txt" 2> "$T/imp.err"
is $? 0 "cert import: exit 0"
[ ! -e "$dir/keystore.p12" ] && grep -q "signer.yaml" "$T/imp.txt"
ok $? "... no keystore.p12; it names the signer's lines"
is "$(cat "$dir/signer.yaml")" "keystore: \"pkcs11:token=rina;object=ttd\"
pkcs11_module: $SOFTHSM_MODULE
certificate: $dir/cert.pem" "signer.yaml: the token's URI, its module, the certificate"

# the new signer, with those lines, signs through the spool
sed -i "0,/keystore: .*signer-rsa.p12/s|keystore: $T/pki/signer-rsa.p12\$|KEYSTORE|" "$cfg"
awk -v f="$dir/signer.yaml" '/^    KEYSTORE$/ { while ((getline l < f) > 0) print "    " l; next } { print }' \
	"$cfg" > "$cfg.new" && mv "$cfg.new" "$cfg"
sed -i "0,/nip: \"197103012006042006\"/s//nip: \"198506152010012003\"/
	0,/name: \"Dr. Siti Aminah, M.Si\"/s//name: \"Rina Marlina\"/
	0,/passphrase_file: .*pki\/pass.txt/s||passphrase_file: $T/pin.txt|" "$cfg"
put diskominfo surat1 198506152010012003
"$SERTEL" run --once > "$T/run.txt" 2> "$T/run.err"
is $? 0 "run --once with the token signer: exit 0"
pdfsig "$T/spool/done/diskominfo/surat1.pdf" 2>/dev/null | grep -q 'Signer full Distinguished Name:.*CN=Rina Marlina'
ok $? "the document is signed by Rina's certificate, her key in the token (pdfsig)"
done_testing
