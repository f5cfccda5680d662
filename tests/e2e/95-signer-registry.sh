#!/bin/sh
# 95-signer-registry.sh - with a certs: section, signing obeys the
# certificate registry (issue 15): documents dropped in the spool are
# refused when their signer's keystore certificate (by issuer and serial) is
# not in the registry (signer.unregistered), suspended, revoked, expired or
# not yet valid, each with its code in the refusal report; the registry's
# certificate signs (pdfsig).  Certificates come from the development CA
# through `sertel cert request/verify/import`; a suspension and a
# not-yet-valid row are written with sqlite3 the way the schema allows.
. "$(dirname "$0")/../lib/e2e.sh"
registry siti ahmad
siti=197103012006042006 ahmad=198204152008011002

# holder NIP NIK NAME PD [START END] - request, verify, issue (devca), import: the keystore's path
holder() {
	out=$("$SERTEL" cert request --name "$3" --nik "$2" --nip "$1" --jabatan "Kepala" \
		--pangkat "Pembina (IV/a)" --unit "Unit" --pd "$4" --phone 081200000000 \
		--email "x$1@musirawaskab.go.id" --ktp "$T/ktp.png" --photo "$T/foto.png" \
		--recommender $verifier --key ec --passphrase-file "$T/pki/pass.txt")
	id=$(echo "$out" | sed -n 's/^cert: request \([0-9]*\) .*/\1/p')
	req=$(echo "$out" | sed -n 's/^  request (PKCS#10): //p')
	"$SERTEL" -q cert verify "$id" --by $verifier --note "lengkap" > /dev/null
	sh "$ROOT/scripts/devca.sh" issue "$T/devca" "$req" "$T/$1.pem" ${5:+"$5"} ${6:+"$6"} > /dev/null
	"$SERTEL" cert import "$id" "$T/$1.pem" --by $verifier \
		--passphrase-file "$T/pki/pass.txt" > /dev/null || echo "# import of $1 failed" >&2
	echo "$(dirname "$req")/keystore.p12"
}
# keystore NIP PATH - the signer NIP's keystore: PATH
keystore() {
	awk -v nip="\"$1\"" -v ks="$2" '$0 ~ "nip: " nip { s = 1 }
		s && /keystore:/ { sub(/keystore: .*/, "keystore: " ks); s = 0 } { print }' \
		"$T/sertel.yaml" > "$T/y" && mv "$T/y" "$T/sertel.yaml"
}
# run_docs NAME:NIP... - a document for each signer into diskominfo, then run --once
run_docs() {
	for d in "$@"; do
		drop diskominfo "${d%%:*}"
		sidecar "$T/spool/incoming/diskominfo/${d%%:*}.pdf" "${d#*:}"
	done
	"$SERTEL" -q run --once > /dev/null 2> "$T/run.txt"
}
# code NAME - the refusal code of a document in failed/
code() { sed -n 's/^  - kode: //p' "$T/spool/failed/diskominfo/$1.error.yaml" 2>/dev/null | head -1; }

ks=$(holder $siti 1605014103710001 "Dr. Siti Aminah, M.Si" diskominfo)
keystore $siti "$ks"
run_docs sah:$siti asing:$ahmad
ok "$(test -f "$T/spool/done/diskominfo/sah.pdf"; echo $?)" "the registry's certificate signs"
pdfsig "$T/spool/done/diskominfo/sah.pdf" 2>&1 | grep -q "Signer Certificate Common Name: Dr. Siti Aminah, M.Si"
ok $? "... with Siti's certificate from the registry (pdfsig)"
is "$(code asing)" signer.unregistered "the test PKI's certificate, not in the registry: signer.unregistered"
grep -q "tidak terdaftar di registri" "$T/spool/failed/diskominfo/asing.error.yaml"
ok $? "... in Bahasa Indonesia"

q "UPDATE certs SET state = 'suspended', state_at = strftime('%s') WHERE holder = '$siti'"
run_docs tunda:$siti
is "$(code tunda)" signer.suspended "a suspended certificate: signer.suspended"

sleep 1	# a revocation in the signing second counts as before it
"$SERTEL" -q cert revoke $siti --reason kunci-bocor --by $verifier --note "uji" > /dev/null
run_docs cabut:$siti
is "$(code cabut)" signer.revoked "a revoked certificate: signer.revoked"
grep -q "dicabut pada .* (alasan: kunci-bocor)" "$T/spool/failed/diskominfo/cabut.error.yaml"
ok $? "... naming when and why"
# the document Siti signed before: still valid as signed then, and verify says it was revoked afterwards
"$SERTEL" verify "$T/spool/done/diskominfo/sah.pdf" > "$T/verify.txt" 2>&1
is "$?" 0 "verify of a document signed before the revocation: exit 0 (intact and trusted)"
grep -q "revocation: *revoked afterwards (the certificate was revoked on .* (registry, reason kunci-bocor), after this signature" "$T/verify.txt"
ok $? "... and says the certificate was revoked afterwards"
"$SERTEL" verify --json "$T/spool/done/diskominfo/sah.pdf" | python3 -c "
import json, sys
s = json.load(sys.stdin)['signatures'][0]
sys.exit(not (s['revocation'] == 'revoked' and s['revoked_after_signing'] and s['trust'] == 'trusted'))"
ok $? "... in JSON too (revocation revoked, revoked_after_signing, trust trusted)"
# the verification page says so as well (issue 17)
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp "$T/sertel.yaml" "$T/web.yaml"
printf 'web:\n  listen: "127.0.0.1:%s"\n  public_url: "http://127.0.0.1:%s/verifikasi/"\n' "$P" "$P" >> "$T/web.yaml"
"$SERTEL" --config "$T/web.yaml" serve > "$T/serve.txt" 2>&1 &
spid=$!
i=0; until curl -s -o /dev/null "http://127.0.0.1:$P/verifikasi/" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
sah=$(sqlite3 "$T/state/sertel.db" "select d.id from documents d join jobs j on j.id = d.id where j.file = 'sah.pdf'")
curl -s "http://127.0.0.1:$P/verifikasi/$sah" > "$T/page.html"
grep -q "SERTIFIKAT DICABUT SETELAH PENANDATANGANAN" "$T/page.html" && grep -q "alasan: kunci-bocor" "$T/page.html"
ok $? "the verification page of that document: SERTIFIKAT DICABUT SETELAH PENANDATANGANAN, with the reason"
curl -s "http://127.0.0.1:$P/verifikasi/$sah?format=json" | python3 -c "
import json, sys
d = json.load(sys.stdin)
sys.exit(not (d['status'] == 'SERTIFIKAT_DICABUT_SETELAH_PENANDATANGANAN' and d['certificate_revoked']['reason'] == 'kunci-bocor'))"
ok $? "... and its JSON"
kill $spid; wait $spid 2> /dev/null

# a certificate that ends 15 seconds after it is imported
start=$(date -u -d '-1 hour' +%Y%m%d%H%M%SZ)
end=$(date -u -d '+15 seconds' +%Y%m%d%H%M%SZ)
ks=$(holder $ahmad 1605011504820002 "Ahmad Fauzi, S.T." setda "$start" "$end")
keystore $ahmad "$ks"
is "$(q "SELECT state FROM certs WHERE holder = '$ahmad'")" issued "Ahmad's short certificate is issued"
sleep 16
run_docs lewat:$ahmad
is "$(code lewat)" signer.expired "after its end: signer.expired (not signer.cert_invalid)"
"$SERTEL" watch > /dev/null 2> "$T/expire.log" &
wpid=$!
for i in $(seq 50); do [ "$(q "SELECT state FROM certs WHERE holder = '$ahmad' ORDER BY id DESC LIMIT 1")" = expired ] && break; sleep 0.1; done
kill $wpid; wait $wpid 2> /dev/null
is "$(q "SELECT state FROM certs WHERE holder = '$ahmad' ORDER BY id DESC LIMIT 1")" expired \
	"watch marks a certificate past its end expired in the registry"
is "$(q "SELECT count(*) FROM audit WHERE event = 'cert.expired'")" 1 "... with its audit record"

# the test PKI's certificate of Ahmad, recorded as valid only from tomorrow
q "UPDATE certs SET state = 'expired', state_at = strftime('%s') WHERE holder = '$ahmad' AND state = 'issued'"
serial=$(openssl x509 -in "$T/pki/signer-ec.pem" -noout -serial | cut -d= -f2)
issuer=$(openssl x509 -in "$T/pki/signer-ec.pem" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')
q "INSERT INTO certs (holder, state, recommender, key_alg, pubkey_sha256, dir, requested_at, state_at)
   VALUES ('$ahmad', 'requested', '$verifier', 'ec-p256', 'x', 'certs/manual', 0, 0);
   UPDATE certs SET state = 'verified' WHERE dir = 'certs/manual';
   UPDATE certs SET state = 'issued', serial = '$serial', issuer = '$issuer',
     not_before = strftime('%s') + 86400, not_after = strftime('%s') + 86400 * 700
   WHERE dir = 'certs/manual'"
keystore $ahmad "$T/pki/signer-ec.p12"
run_docs besok:$ahmad
is "$(code besok)" signer.not_yet_valid "a certificate the registry says starts tomorrow: signer.not_yet_valid"

# without certs: the same keystore signs as before
sed '/^certs:/,$d' "$T/sertel.yaml" > "$T/nocerts.yaml"
drop diskominfo tanpa; sidecar "$T/spool/incoming/diskominfo/tanpa.pdf" $ahmad
"$SERTEL" --config "$T/nocerts.yaml" -q run --once > /dev/null 2>&1
ok "$(test -f "$T/spool/done/diskominfo/tanpa.pdf"; echo $?)" "without certs: the registry is not asked"

done_testing
