#!/bin/sh
# 93-cert.sh - the certificate registry (issue 15, Pasal 8-20) end to end:
# `sertel cert request` (Pasal 14 data validated, KTP and photo decoded and
# kept, key pair + PKCS#10 request, the key only in a PKCS#12 under the
# holder's passphrase), verify/reject by a verifikator, a certificate from
# the development CA (scripts/devca.sh) imported only when it matches the
# request and chains to the trust anchors, list/show (text and JSON,
# filters), revoke with the RFC 5280 reason, and every illegal transition
# refused, by sertel and by the database's triggers; checked with openssl,
# sqlite3 and `sertel audit verify`.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/base.yaml"
sh "$ROOT/scripts/devca.sh" init "$T/devca" > /dev/null
cfg="$T/sertel.yaml"
sed "s|^trust: \[ \(.*\) \]|trust: [ \1, $T/devca/ca.pem ]|" "$T/base.yaml" > "$cfg"
verifier=198501012010011001
cat >> "$cfg" <<EOF
certs:
  email_domain: musirawaskab.go.id
  verifiers: ["$verifier"]
EOF
export SERTEL_CONFIG="$cfg"
db="$T/state/sertel.db"
q() { sqlite3 "$db" "$1"; }

# the application's files: a JPEG KTP copy, a PNG photo, the holder's passphrase
python3 "$ROOT/tests/lib/mkpdf.py" --text "KARTU TANDA PENDUDUK" "$T/ktp.pdf"
pdftoppm -jpeg -r 40 -singlefile "$T/ktp.pdf" "$T/ktp"
python3 "$ROOT/tests/lib/mkpng.py" "$T/photo.png" 120 160
secret="sandi-pemegang-93"
echo "$secret" > "$T/holder.pass"
rina=198506152010012003
rina_nik=1605014506850002

# request [OPTION=VALUE...] - cert request for Rina, the options given replacing hers
request() {
	name="Rina Marlina" nik=$rina_nik nip=$rina email=rina@musirawaskab.go.id
	ktp="$T/ktp.jpg" photo="$T/photo.png" pass="$T/holder.pass"
	for kv in "$@"; do eval "$kv"; done
	"$SERTEL" cert request --name "$name" --nik "$nik" ${nip:+--nip "$nip"} \
		--jabatan "Kepala Bidang Aplikasi Informatika" --pangkat "Pembina (IV/a)" \
		--unit "Bidang Aplikasi Informatika" --pd diskominfo --phone 081234567890 \
		--email "$email" --ktp "$ktp" --photo "$photo" --recommender 197103012006042006 \
		--key "${key:-rsa}" --passphrase-file "$pass"
}
# code CMD... - the exit status of CMD, its stderr in $T/err.txt
code() { "$@" > "$T/out.txt" 2> "$T/err.txt"; echo $?; }

# --- bad applications: each refused (65) before anything is made
cp "$T/ktp.pdf" "$T/fake.jpg"
head -c 1200 "$T/ktp.jpg" > "$T/cut.jpg"
is "$(code request nik=160501450685000)" 65 "a NIK of 15 digits is refused (65)"
grep -q -- "--nik" "$T/err.txt"
ok $? "... naming --nik"
is "$(code request nik=$rina)" 65 "a NIP given as the NIK is refused"
is "$(code request email=rina@gmail.com)" 65 "an e-mail outside the configured domain is refused"
grep -q "@musirawaskab.go.id" "$T/err.txt"
ok $? "... naming the domain of the configuration"
is "$(code request ktp="$T/fake.jpg")" 65 "a PDF named .jpg as the KTP copy is refused"
grep -q "not a JPEG or PNG" "$T/err.txt"
ok $? "... as not a JPEG or PNG image"
is "$(code request photo="$T/cut.jpg")" 65 "a truncated JPEG as the photo is refused (decoded, not sniffed)"
echo "pendek" > "$T/short.pass"
is "$(code request pass="$T/short.pass")" 65 "a passphrase shorter than 8 characters is refused"
[ "$(q 'SELECT count(*) FROM certs')" = 0 ] && [ "$(ls "$T/state/certs" 2>/dev/null | wc -l)" = 0 ]
ok $? "... none of them left a request or files"

# --- the request
is "$(code request)" 0 "a complete application is recorded"
dir="$T/state/$(q 'SELECT dir FROM certs WHERE id = 1')"
is "$(q 'SELECT state FROM certs WHERE id = 1')" requested "... in state requested"
grep -q "^  recommendation letter (Lampiran II, PDF): $dir/rekomendasi.pdf$" "$T/out.txt" &&
	qpdf --check "$dir/rekomendasi.pdf" > /dev/null 2>&1
ok $? "... with the Lampiran II recommendation letter, a sound PDF (qpdf --check)"
pdftotext -layout "$dir/rekomendasi.pdf" - 2>/dev/null | tr -s ' ' > "$T/letter.txt"
grep -q "SURAT REKOMENDASI PERMOHONAN PENERBITAN SERTIFIKAT ELEKTRONIK" "$T/letter.txt" &&
	grep -q "Nama Lengkap : Rina Marlina" "$T/letter.txt" && grep -q "NIP : $rina" "$T/letter.txt" &&
	grep -q "NIK e-KTP : $rina_nik" "$T/letter.txt" &&
	grep -q "Pangkat/Golongan : Pembina (IV/a)" "$T/letter.txt" &&
	grep -q "Jabatan : Kepala Bidang Aplikasi Informatika" "$T/letter.txt" &&
	grep -q "Email Individu : rina@musirawaskab.go.id" "$T/letter.txt" &&
	grep -q "No. Telp. (HP) : 081234567890" "$T/letter.txt" &&
	grep -q "Nama Lengkap : Dr. Siti Aminah, M.Si" "$T/letter.txt" &&
	grep -q "(Dr. Siti Aminah, M.Si)" "$T/letter.txt" && grep -q "NIP 197103012006042006" "$T/letter.txt"
ok $? "... filled with the applicant's data and the recommending official's (pdftotext)"
pdftoppm -r 50 -gray -singlefile "$dir/rekomendasi.pdf" "$T/letter" &&
	python3 - "$T/letter.pgm" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
# P5 header: magic, width, height, maxval, then one byte per pixel
parts = data.split(maxsplit=4)
w, h = int(parts[1]), int(parts[2])
px = parts[4][-w * h:]
dark = sum(1 for b in px if b < 128)
sys.exit(not (w > 350 and h > 500 and 0.005 < dark / (w * h) < 0.3))
PY
ok $? "... and renders as an A4 page with text on it (pdftoppm)"
openssl req -in "$dir/request.csr.pem" -noout -verify > /dev/null 2>&1
ok $? "the PKCS#10 request's signature verifies (openssl req -verify)"
subj=$(openssl req -in "$dir/request.csr.pem" -noout -subject -nameopt RFC2253)
case $subj in *"CN=Rina Marlina"*"serialNumber=$rina"* | *"serialNumber=$rina"*"CN=Rina Marlina"*) r=0 ;; *) r=1 ;; esac
ok $r "... names the holder and her NIP (serialNumber): $subj"
openssl req -in "$dir/request.csr.pem" -noout -text | grep -q "email:rina@musirawaskab.go.id"
ok $? "... and asks for her e-mail as subjectAltName"
openssl pkcs12 -in "$dir/key.p12" -passin "file:$T/holder.pass" -nocerts -nodes 2> /dev/null |
	openssl pkey -pubout > "$T/p12.pub" 2> /dev/null
openssl req -in "$dir/request.csr.pem" -noout -pubkey > "$T/csr.pub"
[ -s "$T/csr.pub" ] && cmp -s "$T/p12.pub" "$T/csr.pub"
ok $? "the PKCS#12 opens with the holder's passphrase and holds the request's key"
echo "salah-sandi-sekali" > "$T/wrong.pass"
[ -s "$dir/key.p12" ] && ! openssl pkcs12 -in "$dir/key.p12" -passin "file:$T/wrong.pass" \
	-nocerts -nodes > /dev/null 2>&1
ok $? "... and not with another passphrase"
[ -s "$dir/key.p12" ] && ! grep -rlq "PRIVATE KEY" "$dir" && ! grep -rlaq -- "$secret" "$dir" "$T/state"
ok $? "no clear private key and no passphrase anywhere in the state folder"
cmp -s "$T/ktp.jpg" "$dir/ktp.jpg" && cmp -s "$T/photo.png" "$dir/photo.png"
ok $? "the KTP copy and the photo are kept with the request"
is "$(code request nip= nik=1605014506850003 name='Sari' email=sari@musirawaskab.go.id)" 0 \
	"an applicant without a NIP applies with her NIK"
is "$(q "SELECT holder FROM certs WHERE id = 2")" 1605014506850003 "... which is her key in the registry"
is "$(code request)" 1 "a second application while one is open is refused (1)"
grep -q "cert.open" "$T/err.txt"
ok $? "... with cert.open"

# --- illegal transitions before verification
pem() { sh "$ROOT/scripts/devca.sh" issue "$T/devca" "$@" > /dev/null; }
pem "$dir/request.csr.pem" "$T/rina.pem"
is "$(code "$SERTEL" cert import 1 "$T/rina.pem" --by $verifier)" 1 "import into a request not yet verified is refused (1)"
grep -q "cert.transition" "$T/err.txt" && grep -q "is requested" "$T/err.txt"
ok $? "... with cert.transition, naming the state"
is "$(code "$SERTEL" cert verify 1 --by 199001012015011001 --note ok)" 1 "a verifier not in certs.verifiers is refused"
grep -q "cert.verifier" "$T/err.txt"
ok $? "... with cert.verifier"
is "$(code "$SERTEL" cert verify 9 --by $verifier --note ok)" 69 "an unknown request number: 69"
is "$(code "$SERTEL" cert verify 1 --by $verifier)" 64 "verify without --note: usage (64)"
grep -q -- "--note" "$T/err.txt"
ok $? "... asking for --note"

# --- verify, then every wrong certificate refused
is "$(code "$SERTEL" cert verify 1 --by $verifier --note "KTP, foto dan surat rekomendasi sesuai")" 0 "the verifikator verifies request 1"
is "$(code "$SERTEL" cert verify 1 --by $verifier --note again)" 1 "verifying it twice is refused"
is "$(code "$SERTEL" cert reject 1 --by $verifier --note late)" 1 "rejecting a verified request is refused"
grep -q "it may become: issued" "$T/err.txt"
ok $? "... saying what may follow"
# another key pair with Rina's subject
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/other.key" \
	-subj "/C=ID/CN=Rina Marlina/serialNumber=$rina/emailAddress=rina@musirawaskab.go.id" \
	-out "$T/other.csr" 2> /dev/null
pem "$T/other.csr" "$T/other.pem"
is "$(code "$SERTEL" cert import 1 "$T/other.pem" --by $verifier)" 1 "a certificate for another key is refused"
grep -q "cert.mismatch" "$T/err.txt" && grep -q "public key" "$T/err.txt"
ok $? "... as cert.mismatch: the public key"
# Rina's key, another NIP
openssl pkcs12 -in "$dir/key.p12" -passin "file:$T/holder.pass" -nocerts -nodes -out "$T/rina.key" 2> /dev/null
openssl req -new -key "$T/rina.key" -subj "/C=ID/CN=Rina Marlina/serialNumber=199001012015011001/emailAddress=rina@musirawaskab.go.id" \
	-out "$T/nip.csr" 2> /dev/null
pem "$T/nip.csr" "$T/nip.pem"
is "$(code "$SERTEL" cert import 1 "$T/nip.pem" --by $verifier)" 1 "a certificate naming another NIP is refused"
grep -q "serialNumber" "$T/err.txt"
ok $? "... as cert.mismatch: the serialNumber"
openssl req -new -key "$T/rina.key" -subj "/C=ID/CN=Rini Marlina/serialNumber=$rina/emailAddress=rina@musirawaskab.go.id" \
	-out "$T/name.csr" 2> /dev/null
pem "$T/name.csr" "$T/name.pem"
is "$(code "$SERTEL" cert import 1 "$T/name.pem" --by $verifier)" 1 "a certificate naming another person is refused"
# self-signed, but not a CA certificate: only the chain is wrong
openssl req -new -key "$T/rina.key" -out "$T/self.csr" \
	-subj "/C=ID/CN=Rina Marlina/serialNumber=$rina/emailAddress=rina@musirawaskab.go.id" 2> /dev/null
printf 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n' > "$T/ee.ext"
openssl x509 -req -in "$T/self.csr" -signkey "$T/rina.key" -days 30 -extfile "$T/ee.ext" \
	-out "$T/self.pem" 2> /dev/null
is "$(code "$SERTEL" cert import 1 "$T/self.pem" --by $verifier)" 1 "a self-signed certificate is refused"
grep -q "cert.untrusted" "$T/err.txt"
ok $? "... as cert.untrusted"
pem "$dir/request.csr.pem" "$T/old.pem" 20200101000000Z 20210101000000Z
is "$(code "$SERTEL" cert import 1 "$T/old.pem" --by $verifier)" 1 "an expired certificate is refused"
grep -q "expired" "$T/err.txt"
ok $? "... saying it expired"
printf 'keyUsage = critical, keyEncipherment\n' > "$T/enc.ext"
openssl x509 -req -in "$dir/request.csr.pem" -CA "$T/devca/ca.pem" -CAkey "$T/devca/ca.key" \
	-set_serial 77 -days 30 -extfile "$T/enc.ext" -out "$T/enc.pem" 2> /dev/null
is "$(code "$SERTEL" cert import 1 "$T/enc.pem" --by $verifier)" 1 "a certificate only for key encipherment is refused"
grep -q "not for signatures" "$T/err.txt"
ok $? "... as not for signatures"
is "$(q 'SELECT state FROM certs WHERE id = 1')" verified "... and the request is still verified"
[ -s "$dir/key.p12" ] && [ ! -e "$dir/cert.pem" ]
ok $? "... without a certificate kept"

# --- the CA's certificate
is "$(code "$SERTEL" cert import 1 "$T/rina.pem" --by $verifier --passphrase-file "$T/wrong.pass")" 65 \
	"the right certificate with a wrong passphrase for the keystore is refused (65)"
grep -q "cert.keystore" "$T/err.txt" && [ "$(q 'SELECT state FROM certs WHERE id = 1')" = verified ]
ok $? "... as cert.keystore, the request still verified"
is "$(code "$SERTEL" cert import 1 "$T/rina.pem" --by $verifier --passphrase-file "$T/holder.pass")" 0 \
	"the development CA's certificate is imported, with the holder's passphrase"
serial=$(openssl x509 -in "$T/rina.pem" -noout -serial | cut -d= -f2)
is "$(q 'SELECT state || " " || serial FROM certs WHERE id = 1')" "issued $serial" "... issued, with the serial openssl reads"
end=$(date -u -d "$(openssl x509 -in "$T/rina.pem" -noout -enddate | cut -d= -f2)" +%s)
is "$(q 'SELECT not_after FROM certs WHERE id = 1')" "$end" "... and the end of its validity"
cmp -s "$T/rina.pem" "$dir/cert.pem"
ok $? "... kept with the request"
openssl pkcs12 -in "$dir/keystore.p12" -passin "file:$T/holder.pass" -nokeys 2> /dev/null |
	grep -c "BEGIN CERTIFICATE" > "$T/ncerts.txt"
openssl pkcs12 -in "$dir/keystore.p12" -passin "file:$T/holder.pass" -nocerts -nodes 2> /dev/null |
	openssl pkey -pubout 2> /dev/null | cmp -s - "$T/csr.pub" && [ "$(cat "$T/ncerts.txt")" = 2 ]
ok $? "... and the signing keystore: the request's key, the certificate and the CA (openssl pkcs12)"
is "$(code "$SERTEL" cert import 1 "$T/rina.pem" --by $verifier)" 1 "importing it twice is refused"

# --- config check: each signer's certificate, and whether it names the signer
awk -v ks="$dir/keystore.p12" -v pf="$T/holder.pass" '{ print } /^signers:/ {
	print "  - { nip: \"198506152010012003\", name: \"Rina Marlina\", jabatan: \"Kepala Bidang\", pd: diskominfo, keystore: " ks ", passphrase_file: " pf " }" }' \
	"$cfg" > "$T/signers.yaml"
"$SERTEL" --config "$T/signers.yaml" config check > "$T/check.txt" 2>&1
grep -A2 "^signer $rina (Rina Marlina): OK, certificate $serial" "$T/check.txt" > "$T/rina.txt" &&
	grep -q "^  subject: .*CN=Rina Marlina" "$T/rina.txt" &&
	grep -q "^  issuer: CN=sertel DEVELOPMENT CA - NOT FOR PRODUCTION" "$T/rina.txt"
ok $? "config check prints a signer's certificate: serial, expiry, subject, issuer"
grep -q "^signer $rina (Rina Marlina): OK" "$T/check.txt" &&
	! grep -A3 "^signer $rina" "$T/check.txt" | grep -q REFUSED
ok $? "... and no refusal for a certificate that names its signer"
grep -q "^signer 197103012006042006 (Dr. Siti Aminah, M.Si): OK" "$T/check.txt" &&
	! grep -q REFUSED "$T/check.txt"
ok $? "... and the test PKI's certificates name their signers (94-signer.sh: one that does not)"

# --- a second holder, whose certificate ends within 30 days
"$SERTEL" cert verify 2 --by $verifier --note "NIK sesuai" > /dev/null
sari_dir="$T/state/$(q 'SELECT dir FROM certs WHERE id = 2')"
pem "$sari_dir/request.csr.pem" "$T/sari.pem" 20
is "$(code "$SERTEL" cert import 2 "$T/sari.pem" --by $verifier)" 0 "a certificate naming the NIK (no NIP) is imported"

# --- list and show
"$SERTEL" cert list > "$T/list.txt"
grep -q "^1 *issued *$rina .*$serial .*diskominfo *Rina Marlina$" "$T/list.txt"
ok $? "cert list shows request 1, issued, with its serial"
"$SERTEL" cert list --expiring 30d > "$T/exp.txt"
is "$(grep -c '^[0-9]' "$T/exp.txt")" 1 "cert list --expiring 30d lists one certificate"
grep -q "Sari" "$T/exp.txt"
ok $? "... Sari's, which ends in 20 days"
"$SERTEL" cert list --json --state issued --pd diskominfo > "$T/list.json"
python3 -c "
import json, sys
v = json.load(open(sys.argv[1]))
assert [c['id'] for c in v] == [1, 2], v
assert v[0]['serial'] == sys.argv[2] and v[0]['nip'] == sys.argv[3] and v[1]['nip'] is None
" "$T/list.json" "$serial" "$rina"
ok $? "cert list --json --state issued --pd diskominfo: both, as JSON"
is "$("$SERTEL" cert list --json --pd setda)" "[]" "... and none of another PD"
"$SERTEL" cert show "$rina" --json > "$T/show.json"
python3 -c "
import json, sys
c = json.load(open(sys.argv[1]))
assert c['id'] == 1 and c['state'] == 'issued' and c['email'] == 'rina@musirawaskab.go.id'
assert c['state_by'] == sys.argv[2] and 'NOT FOR PRODUCTION' in c['issuer']
" "$T/show.json" $verifier
ok $? "cert show NIP --json: her certificate, who issued it in the registry, the CA"
"$SERTEL" cert show "$serial" | grep -q "^pangkat *Pembina (IV/a)$"
ok $? "cert show SERIAL: labelled lines"

# --- revocation: final
is "$(code "$SERTEL" cert revoke "$rina" --reason bosan --by $verifier)" 65 "an unknown revocation reason is refused (65)"
is "$(code "$SERTEL" cert revoke "$rina" --reason kunci-bocor --by $verifier --note "laptop hilang")" 0 "revoked for a compromised key"
is "$(q 'SELECT state || " " || revoke_reason || " " || revoke_code FROM certs WHERE id = 1')" \
	"revoked kunci-bocor 1" "... recorded with RFC 5280 keyCompromise (1)"
is "$(code "$SERTEL" cert revoke "$serial" --reason pensiun --by $verifier)" 1 "revoking it again is refused"
grep -q "final" "$T/err.txt"
ok $? "... revoked is final"
is "$(code "$SERTEL" cert revoke "$rina" --reason pensiun --by $verifier)" 69 "her NIP has no certificate in use any more (69)"

# --- rejection, and a new application after revocation (Pasal 16(4))
is "$(code request)" 0 "after the revocation she may apply again"
is "$(code "$SERTEL" cert reject 3 --by $verifier --note "foto tidak jelas")" 0 "the verifikator rejects it"
is "$(code "$SERTEL" cert verify 3 --by $verifier --note later)" 1 "a rejected request cannot be verified"

# --- the database holds the same rules against a hand edit
! sqlite3 "$db" "UPDATE certs SET state = 'issued' WHERE id = 3" 2> "$T/sql.txt" &&
	grep -q "illegal certificate state transition" "$T/sql.txt"
ok $? "sqlite3: a rejected request cannot be set issued by hand: the trigger says why"
! sqlite3 "$db" "UPDATE certs SET state = 'issued' WHERE id = 1" 2> "$T/sql.txt" &&
	grep -q "illegal certificate state transition" "$T/sql.txt"
ok $? "... nor a revoked one"
! sqlite3 "$db" "UPDATE certs SET not_after = not_after + 86400 WHERE id = 2" 2> "$T/sql.txt" &&
	grep -q "identity is fixed at its issuance" "$T/sql.txt"
ok $? "... nor an issued certificate's validity changed"
is "$(q "SELECT group_concat(state, ',') FROM (SELECT state FROM certs ORDER BY id)")" "revoked,issued,rejected" "the registry as the lifecycle left it"

# --- the audit trail: every change, who and why, in an intact chain
"$SERTEL" audit show > "$T/audit.txt"
is "$(grep -o 'cert\.[a-z]*' "$T/audit.txt" | tr '\n' ' ')" \
	"cert.requested cert.requested cert.verified cert.issued cert.verified cert.issued cert.revoked cert.requested cert.rejected " \
	"audit: a record per change, in order"
grep "cert.revoked" "$T/audit.txt" | grep -q "$verifier.*kunci-bocor: laptop hilang"
ok $? "... the revocation with the verifikator's NIP, the reason and the note"
"$SERTEL" audit verify > /dev/null
ok $? "sertel audit verify: the chain is intact"

# --- the passphrase typed on a terminal (script(1) gives the command one), twice, unechoed
# tty NAME NIK PASS1 PASS2 - cert request for NAME with the passphrase typed on a pty
tty() {
	(sleep 1; printf '%s\n' "$3"; sleep 0.5; printf '%s\n' "$4"; sleep 2) |
		script -qec "'$SERTEL' cert request --name '$1' --nik $2 --jabatan Staf --pangkat 'Penata (III/c)' \
			--unit Umum --pd setda --phone 081200000001 --email staf@musirawaskab.go.id \
			--ktp '$T/ktp.jpg' --photo '$T/photo.png' --recommender 197103012006042006 --key ec; \
			echo exit=\$?" /dev/null > "$T/tty.txt" 2>&1
}
tty "Dewi Anggraini" 1605014506900004 "ketik-di-terminal" "ketik-lain-kali"
grep -q "passphrases differ" "$T/tty.txt" && grep -q "exit=65" "$T/tty.txt"
ok $? "typed twice differently on the terminal: refused (65)"
tty "Dewi Anggraini" 1605014506900004 "ketik-di-terminal" "ketik-di-terminal"
grep -q "exit=0" "$T/tty.txt" && ! grep -q "ketik-di-terminal" "$T/tty.txt"
ok $? "typed twice alike: the request is made, the passphrase not echoed"
echo "ketik-di-terminal" > "$T/typed.pass"
openssl pkcs12 -in "$T/state/$(q "SELECT dir FROM certs WHERE holder = '1605014506900004'")/key.p12" \
	-passin "file:$T/typed.pass" -nocerts -nodes 2> /dev/null | grep -q "PRIVATE KEY"
ok $? "... and its PKCS#12 opens with what was typed"

# --- without a certs: section the registry is not used
"$SERTEL" --config "$T/base.yaml" cert list > /dev/null 2>&1
is $? 78 "no certs: section in the configuration: 78"
done_testing
