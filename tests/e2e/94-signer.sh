#!/bin/sh
# 94-signer.sh - a signer's certificate must be the signer's own (issue 15,
# signer.identity): a keystore whose certificate names another person (CN) or
# another NIP (serialNumber) stops `config check`, `run` and `watch` with 78
# before anything is signed; config check prints each signer's subject,
# issuer, serial and expiry (checked against openssl x509).
. "$(dirname "$0")/../lib/e2e.sh"
pki
siti=197103012006042006

# cfg FILE KEYSTORE [NIP] - the one-signer configuration, Siti with KEYSTORE (and NIP)
cfg() {
	sh "$ROOT/tests/lib/mkconfig.sh" -d "$T" -w 1 -L "doc_memory_mb:${DOC_MEM:-1024}" -S siti |
		sed -e "s|pki/signer-rsa.p12|pki/$2|" -e "s|\"$siti\"|\"${3:-$siti}\"|" > "$1"
}
cfg "$T/good.yaml" signer-rsa.p12
cfg "$T/other.yaml" signer-ec.p12
cfg "$T/nip.yaml" signer-rsa.p12 197103012006042099

"$SERTEL" --config "$T/good.yaml" config check > "$T/good.txt" 2>&1
is "$?" 0 "config check: the test PKI's certificate names Siti: exit 0"
serial=$(openssl x509 -in "$T/pki/signer-rsa.pem" -noout -serial | cut -d= -f2)
until=$(openssl x509 -in "$T/pki/signer-rsa.pem" -noout -enddate | cut -d= -f2)
grep -q "^signer $siti (Dr. Siti Aminah, M.Si): OK, certificate $serial valid until $until" "$T/good.txt" &&
	grep -q "^  subject: CN=Dr. Siti Aminah\\\\, M.Si,serialNumber=$siti\|^  subject: serialNumber=$siti,CN=Dr. Siti Aminah\\\\, M.Si" "$T/good.txt" &&
	grep -q "^  issuer: CN=Sertel Uji Sub CA,O=Pemerintah Kabupaten Musi Rawas,C=ID" "$T/good.txt"
ok $? "... and prints its serial, expiry, subject and issuer as openssl reads them"

"$SERTEL" --config "$T/other.yaml" config check > "$T/other.txt" 2>&1
is "$?" 78 "config check: Siti's keystore holds Ahmad's certificate: exit 78"
grep -q "^  REFUSED (signer.identity): signer $siti: the certificate names 'Ahmad Fauzi, S.T.' (serialNumber 198204152008011002), the signer is 'Dr. Siti Aminah, M.Si' ($siti)" "$T/other.txt"
ok $? "... naming whom the certificate names"
"$SERTEL" --config "$T/nip.yaml" config check > "$T/nip.txt" 2>&1
is "$?" 78 "config check: the right name but another NIP in serialNumber: exit 78"

drop diskominfo surat
"$SERTEL" --config "$T/other.yaml" -q run --once > /dev/null 2> "$T/run.txt"
is "$?" 78 "run --once with that keystore: exit 78"
grep -q "signer.identity\|the certificate names 'Ahmad Fauzi, S.T.'" "$T/run.txt"
ok $? "... the log says why"
is "$(count "$T/spool/done" "$T/spool/failed")" 0 "... nothing signed, nothing refused"
is "$(count "$T/spool/incoming" -name '*.pdf')" 1 "... the document waits in incoming/"
timeout 20 "$SERTEL" --config "$T/nip.yaml" -q watch > /dev/null 2>&1
is "$?" 78 "watch with another NIP's certificate: exit 78 at start-up"
"$SERTEL" --config "$T/good.yaml" -q run --once > /dev/null 2>&1
is "$?" 0 "with Siti's own certificate the document is signed"
is "$(count "$T/spool/done" -name '*.pdf')" 1 "... into done/"

done_testing
