#!/bin/sh
# 97-cert-renew.sh - the rest of the certificate lifecycle (issue 15):
# `cert reset` suspends a certificate (nothing signs with it: signer.suspended
# through the spool), `cert renew` makes a new request linked to the old one,
# which stays in use until the renewal is imported and is then superseded
# (a suspended one issued again first, both in the audit trail); the old
# keystore no longer signs, the new one does (pdfsig); `cert expiring
# --within Nd` lists the certificates in use ending within N days; `cert
# update` (a mutasi) changes the mark's jabatan from its date (pdftotext),
# and the verification page names the jabatan each letter was signed under;
# `sertel watch` logs a warning once a day for each of them.
. "$(dirname "$0")/../lib/e2e.sh"
registry siti
siti=197103012006042006 ahmad=198204152008011002

# apply SUB [OLD] NIP NIK NAME - cert request (or renew OLD) for the holder; the request's id
apply() {
	sub=$1; shift
	[ "$sub" = renew ] && { old=$1; shift; } || old=
	"$SERTEL" cert $sub $old --name "$3" --nik "$2" --nip "$1" --jabatan "Kepala" \
		--pangkat "Pembina (IV/a)" --unit "Unit" --pd diskominfo --phone 081200000000 \
		--email "x$1@musirawaskab.go.id" --ktp "$T/ktp.png" --photo "$T/foto.png" \
		--recommender $verifier --key ec --passphrase-file "$T/pki/pass.txt" > "$T/apply.txt" 2> "$T/apply.err"
}
# issue ID [DAYS] - verify, devca, import with the passphrase: the keystore's path
issue() {
	"$SERTEL" -q cert verify "$1" --by $verifier --note "lengkap" > /dev/null
	req="$T/state/$(q "SELECT dir FROM certs WHERE id = $1")/request.csr.pem"
	sh "$ROOT/scripts/devca.sh" issue "$T/devca" "$req" "$T/c$1.pem" ${2:-} > /dev/null
	"$SERTEL" cert import "$1" "$T/c$1.pem" --by $verifier \
		--passphrase-file "$T/pki/pass.txt" > /dev/null || echo "# import of $1 failed" >&2
	echo "$(dirname "$req")/keystore.p12"
}
# sign NAME KEYSTORE - a document by Siti, signed with KEYSTORE; its refusal code or "signed"
sign() {
	sed -i "s|keystore: .*|keystore: $2|" "$T/sertel.yaml"
	drop diskominfo "$1"
	"$SERTEL" -q run --once > /dev/null 2>&1
	if [ -f "$T/spool/done/diskominfo/$1.pdf" ]; then echo signed; else
		sed -n 's/^  - kode: //p' "$T/spool/failed/diskominfo/$1.error.yaml" | head -1; fi
}

apply request $siti 1605014103710001 "Dr. Siti Aminah, M.Si"
ks1=$(issue 1)
is "$(sign satu "$ks1")" signed "Siti's first certificate signs"

is "$("$SERTEL" cert reset $siti --by $verifier > /dev/null 2>&1; echo $?)" 64 "cert reset without --note: 64"
"$SERTEL" cert reset $siti --by $verifier --note "lupa kata sandi" > "$T/reset.txt"
is "$?" 0 "cert reset: 0"
is "$(q 'SELECT state FROM certs WHERE id = 1')" suspended "... the certificate is suspended"
is "$(sign dua "$ks1")" signer.suspended "... and nothing signs with it (signer.suspended)"
is "$("$SERTEL" cert reset $siti --by $verifier --note lagi > /dev/null 2>&1; echo $?)" 1 \
	"a second reset is an illegal transition: 1"

apply renew $ahmad $ahmad 1605011504820002 "Ahmad Fauzi, S.T."
is "$?" 69 "cert renew of a holder without a certificate: 69"
apply renew $siti $ahmad 1605011504820002 "Ahmad Fauzi, S.T."
is "$?" 65 "cert renew of Siti's certificate for another holder: 65"
apply renew $siti $siti 1605014103710001 "Dr. Siti Aminah, M.Si"
is "$?" 0 "cert renew: a new request while the old certificate is open"
is "$(q 'SELECT renews || state FROM certs WHERE id = 2')" 1requested "... linked to the old (renews 1)"
is "$(q 'SELECT state FROM certs WHERE id = 1')" suspended "... the old one unchanged until the import"
ks2=$(issue 2)
is "$(q 'SELECT group_concat(x, " ") FROM (SELECT id || state AS x FROM certs ORDER BY id)')" "1superseded 2issued" \
	"the renewal imported: it is issued, the old one superseded"
q "SELECT event FROM audit WHERE event LIKE 'cert.%' ORDER BY seq" | tr '\n' ' ' > "$T/events.txt"
grep -q "cert.suspended cert.requested cert.verified cert.issued cert.issued cert.superseded" "$T/events.txt"
ok $? "... the audit trail: suspended, the renewal requested, verified, issued, the old issued again and superseded"
is "$(sign tiga "$ks1")" signer.unregistered "the old keystore no longer signs (superseded: signer.unregistered)"
is "$(sign empat "$ks2")" signed "the renewal's keystore signs"
pdfsig "$T/spool/done/diskominfo/empat.pdf" 2>&1 | grep -q "Signer Certificate Common Name: Dr. Siti Aminah, M.Si"
ok $? "... with Siti's new certificate (pdfsig)"

# mutasi: the mark's {jabatan} is the registry's, and a cert update changes it from its date
printf 'marks:\n  url: "https://tte.example.go.id/v/{id}"\n  default: standar\n  profiles:\n    standar: { kinds: [qr, text] }\n' >> "$T/sertel.yaml"
jab() { pdftotext "$T/spool/done/diskominfo/$1.pdf" - 2>/dev/null | tr '\n' ' '; }
sign lima "$ks2" > /dev/null
case $(jab lima) in *"Kepala Dinas Komunikasi"*) r=1 ;; *Kepala*) r=0 ;; *) r=1 ;; esac
ok $r "with certs: the mark names the registry's jabatan (Kepala), not the configuration's"
besok=$(TZ=WIB-7 date -d tomorrow +%Y-%m-%d) hari=$(TZ=WIB-7 date +%Y-%m-%d)
"$SERTEL" cert update $siti --jabatan "Asisten Administrasi Umum" --from "$besok" --by $verifier \
	--note "SK mutasi 821/1/2026" > /dev/null
is "$?" 0 "cert update from tomorrow: 0"
sign enam "$ks2" > /dev/null
case $(jab enam) in *"Asisten Administrasi"*) r=1 ;; *Kepala*) r=0 ;; *) r=1 ;; esac
ok $r "... a mark made today still names the old jabatan"
"$SERTEL" cert update $siti --jabatan "Staf Ahli Bupati" --from "$hari" --by $verifier \
	--note "SK mutasi 821/2/2026" > /dev/null
sign tujuh "$ks2" > /dev/null
case $(jab tujuh) in *"Staf Ahli Bupati"*) r=0 ;; *) r=1 ;; esac
ok $r "a mutasi from today: the mark names the new jabatan (Staf Ahli Bupati)"
is "$(q "SELECT count(*) FROM cert_holder_changes WHERE holder = '$siti'")" 2 "both adjustments are kept"
q "UPDATE cert_holder_changes SET jabatan = 'x'" 2> "$T/trig.txt"
grep -q "identity history is kept" "$T/trig.txt" && [ "$(q "SELECT count(*) FROM cert_holder_changes WHERE jabatan = 'x'")" = 0 ]
ok $? "... and the history cannot be edited (trigger)"
is "$(q "SELECT count(*) FROM audit WHERE event = 'cert.updated'")" 2 "... and each is in the audit trail"
# the verification page: the jabatan each letter's mark named when it was signed
# (recorded with it, schema 8), never today's: the Staf Ahli mutasi dated today
# was entered after enam was signed (all may fall within one second)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P=$(port)
printf 'web:\n  listen: "127.0.0.1:%s"\n' "$P" >> "$T/sertel.yaml"
"$SERTEL" serve > "$T/serve.log" 2>&1 &
spid=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$P/v/" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
# jab_at NAME - the signer_jabatan the page's JSON gives for the letter NAME.pdf
jab_at() {
	curl -s "http://127.0.0.1:$P/v/$(q "SELECT id FROM jobs WHERE file = '$1.pdf'")?format=json" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["signer_jabatan"])'
}
is "$(jab_at lima)" "Kepala" "the page: lima was signed as Kepala (the registry's), not the configuration's jabatan"
is "$(jab_at enam)" "Kepala" "... enam too: a mutasi dated today but entered after it does not rewrite it"
is "$(jab_at tujuh)" "Staf Ahli Bupati" "... tujuh, signed after the mutasi: Staf Ahli Bupati"
curl -s "http://127.0.0.1:$P/v/$(q "SELECT id FROM jobs WHERE file = 'lima.pdf'")" > "$T/lima.html"
grep -q "<dt>Jabatan</dt>" "$T/lima.html" && ! grep -q "Staf Ahli" "$T/lima.html"
ok $? "... and the HTML page says the same"
kill $spid; wait $spid 2> /dev/null
is "$("$SERTEL" cert update $siti --jabatan X --from 2026-13-01 --by $verifier --note n > /dev/null 2>&1; echo $?)" 65 \
	"cert update with a date that is no date: 65"

# expiring: Ahmad's certificate ends in 10 days
apply request $ahmad 1605011504820002 "Ahmad Fauzi, S.T."
issue 3 10 > /dev/null
"$SERTEL" cert expiring --within 30d > "$T/exp.txt"
is "$(grep -c '^[0-9]' "$T/exp.txt")" 1 "cert expiring --within 30d: one certificate"
grep -q "^3 *issued *$ahmad" "$T/exp.txt"
ok $? "... Ahmad's"
"$SERTEL" cert expiring --within 5d > "$T/exp5.txt"
is "$(grep -c '^[0-9]' "$T/exp5.txt")" 0 "cert expiring --within 5d: none"
"$SERTEL" cert expiring --within 30d --json | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(not (len(d)==1 and d[0]['id']==3))"
ok $? "... and as JSON"

# the daemon: once a day, a warning for each certificate in use ending within 30 days
"$SERTEL" watch > /dev/null 2> "$T/watch.log" &
pid=$!
sleep 3
kill -TERM $pid; wait $pid
is "$(grep -c "certificate 3 of Ahmad Fauzi, S.T. ($ahmad, PD diskominfo), serial .* ends .* (9 day(s) left\|certificate 3 of Ahmad Fauzi, S.T. ($ahmad, PD diskominfo), serial .* ends .* (10 day(s) left" "$T/watch.log")" 1 \
	"watch logs one warning for Ahmad's certificate (ends in 10 days), not one per loop"
is "$(grep -c "apply for its renewal" "$T/watch.log")" 1 "... and none for Siti's (two years)"
"$SERTEL" -q run --once 2> "$T/once.log" > /dev/null
is "$(grep -c "apply for its renewal" "$T/once.log")" 0 "run --once (the nightly batch) does not remind"

done_testing
