#!/bin/sh
# 43-p11.sh - signers whose keys live in a PKCS#11 token (issue 19), on SoftHSM2:
# RSA-2048 and ECDSA P-256 keys imported into a token, one signer through the
# default module (p11-kit's proxy, which loads SoftHSM) with its certificate and
# the intermediate stored on the token, one through SoftHSM's module named by
# pkcs11_module with its certificate from a PEM file (certificate:).  Documents
# go through the spool (run) and are checked with pdfsig (NSS), qpdf --check and
# `sertel verify`.  The module is mapped in the key process only, never in a
# worker (/proc/PID/maps).  A wrong PIN: one C_Login (counted by OpenSC's
# pkcs11-spy between sertel and SoftHSM), one clear error naming the token and
# the fix, that signer's documents refused, the other signer still signs; the
# next run does not try the same PIN again (state/tokens), the right one signs.
# RSASSA-PSS (rsa_padding: pss) with the token's RSA key.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/softhsm.sh"
if why=$(softhsm_skip); then echo "1..0 # SKIP $why"; exit 0; fi
pki
softhsm_cast	# one token per official, as each holds their own
SPY=/usr/lib/x86_64-linux-gnu/pkcs11-spy.so

WORKERS=2 config "$T/sertel.yaml"
# p11 CONFIG - siti and ahmad's keystores moved to the token (the PIN is the
# same passphrase_file / passphrase_env); ahmad's module is $MODULE
p11() {
	sed -i "0,/keystore: .*signer-rsa.p12/s|keystore: $T/pki/signer-rsa.p12\$|keystore: \"pkcs11:token=siti;object=ttd\"|
		s|keystore: $T/pki/signer-ec.p12\$|keystore: \"pkcs11:token=ahmad;id=%02\"\\
    pkcs11_module: $MODULE\\
    certificate: $T/ahmad.pem|" "$1"
}
MODULE=$SOFTHSM_MODULE p11 "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
grep -q 'pkcs11:token=siti;object=ttd' "$T/sertel.yaml" && grep -q "certificate: $T/ahmad.pem" "$T/sertel.yaml"
ok $? "configuration: two signers on the token"

# pids of MASTER's children, and whether PID maps SoftHSM
kids() { pgrep -P "$1"; }
maps_softhsm() { grep -q libsofthsm2 "/proc/$1/maps" 2>/dev/null; }

"$SERTEL" config check > "$T/check.txt" 2>&1
is "$(grep -c 'signer 19710301200604200[6] .*OK\|signer 198204152008011002 .*OK' "$T/check.txt")" 2 \
	"config check opens both token keys: OK for each"

for i in 1 2 3; do put diskominfo rsa$i; put setda ec$i 198204152008011002; done
"$SERTEL" watch > "$T/out.txt" 2> "$T/log.txt" &
pid=$!
ndone() { [ "$(count "$T/spool/done" -name '*.pdf')" -ge "$1" ]; }
wait_for ndone 6
is "$(count "$T/spool/done" -name '*.pdf')" 6 "six documents signed through the spool"
keys='' workers='' wmapped=0
for k in $(kids $pid); do
	if [ "$(cat /proc/$k/comm 2>/dev/null)" = sertel-keys ]; then keys=$k; else
		workers="$workers $k"; maps_softhsm $k && wmapped=$((wmapped + 1)); fi
done
maps_softhsm "$keys"
ok $? "the key process ($keys) has SoftHSM's module mapped"
[ -n "$workers" ]
ok $? "workers are running:$workers"
is $wmapped 0 "no worker maps SoftHSM's module"
maps_softhsm $pid
ok $((1 - $?)) "nor does the master"
kill -TERM $pid; wait $pid

sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/spool/done/*/*.pdf > /dev/null
ok $? "pdfsig (NSS): every signature valid and trusted, whole file; qpdf --check clean"
pdfsig "$T/spool/done/diskominfo/rsa1.pdf" 2>/dev/null | grep -q 'Signer full Distinguished Name: serialNumber=197103012006042006'
ok $? "... rsa1 signed by Siti's certificate (from the token)"
pdfsig "$T/spool/done/setda/ec1.pdf" 2>/dev/null | grep -q 'Signature Type: ECDSA\|Signer full Distinguished Name: serialNumber=198204152008011002'
ok $? "... ec1 by Ahmad's (ECDSA, certificate from the file)"
vbad=0
for f in "$T"/spool/done/*/*.pdf; do "$SERTEL" verify "$f" > /dev/null 2>&1 || vbad=$((vbad + 1)); done
is $vbad 0 "sertel verify: every one intact and trusted (exit 0)"
is "$(q "select count(*) from documents")" 6 "six documents recorded"

# --- a wrong PIN: tried once, one error, the other signer goes on
echo "salah-pin" > "$T/wrong.pin"
sed -i "s|passphrase_file: $T/pki/pass.txt|passphrase_file: $T/wrong.pin|" "$T/sertel.yaml"
sed -i "s|pkcs11_module: $SOFTHSM_MODULE|pkcs11_module: $SPY|" "$T/sertel.yaml"
sed -i "s|keystore: \"pkcs11:token=siti;object=ttd\"|&\\
    pkcs11_module: $SPY|" "$T/sertel.yaml"
export PKCS11SPY=$SOFTHSM_MODULE PKCS11SPY_OUTPUT="$T/spy.log"
for i in 4 5; do put diskominfo rsa$i; put setda ec$i 198204152008011002; done
"$SERTEL" run --once > "$T/out2.txt" 2> "$T/log2.txt"
is "$(grep -c 'C_Login$' "$T/spy.log")" 2 "two C_Login in all: one for each signer, none retried"
is "$(grep -c 'CKR_PIN_INCORRECT' "$T/spy.log")" 1 "... one of them with the wrong PIN"
is "$(grep -c "signer 197103012006042006: wrong PIN for PKCS#11 token 'siti'" "$T/log2.txt")" 1 \
	"one error at start-up, naming the token"
grep "wrong PIN for PKCS#11 token" "$T/log2.txt" | grep -q "passphrase_file or passphrase_env and restart"
ok $? "... and the fix"
grep -q salah-pin "$T/log2.txt" "$T/out2.txt"
ok $((1 - $?)) "the PIN itself is not in the log"
is "$(count "$T/spool/done/setda" -name 'ec*.pdf')" 5 "Ahmad's documents are still signed"
is "$(count "$T/spool/done/diskominfo" -name 'rsa*.pdf')" 3 "Siti's new ones are not"
is "$(grep -c "rsa[45].pdf failed: signer.keystore: wrong PIN for PKCS#11 token 'siti'" "$T/log2.txt")" 2 \
	"... they are refused with the same cause"
is "$(q "select count(*) from documents")" 8 "eight documents recorded, each once"

# --- the next run (a timer's run --once) with the same wrong PIN: not tried again
ls "$T"/state/tokens/refused-* > /dev/null 2>&1
ok $? "the refused PIN is remembered in state/tokens (salted PBKDF2, not the PIN)"
grep -rq salah-pin "$T/state/tokens"
ok $((1 - $?)) "... the PIN itself is not there"
put diskominfo rsa6
"$SERTEL" run --once > "$T/out3.txt" 2> "$T/log3.txt"
is "$(grep -c 'CKR_PIN_INCORRECT' "$T/spy.log")" 1 "a second run with the same wrong PIN: no C_Login for it"
grep -q "refused this PIN in an earlier run" "$T/log3.txt"
ok $? "... the log says the token refused this PIN before"
# --- the right PIN: tried (another PIN is a new attempt), signs, forgotten
sed -i "s|passphrase_file: $T/wrong.pin|passphrase_file: $T/pki/pass.txt|" "$T/sertel.yaml"
put diskominfo rsa7
"$SERTEL" run --once > "$T/out4.txt" 2> "$T/log4.txt"
is $? 0 "with the right PIN the next run signs (exit 0)"
[ -f "$T/spool/done/diskominfo/rsa7.pdf" ]
ok $? "... Siti's new document is signed"
is "$(find "$T/state/tokens" -name 'refused-*' | wc -l)" 0 "... and the refused PIN is forgotten"

# --- RSASSA-PSS with the token's RSA key (rsa_padding: pss): the padding is
# the key process's, through libp11's EVP_PKEY
printf 'rsa_padding: pss\n' >> "$T/sertel.yaml"
put diskominfo pss1
"$SERTEL" run --once > "$T/out5.txt" 2> "$T/log5.txt"
is $? 0 "rsa_padding: pss with the token's key: run --once exits 0"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T/spool/done/diskominfo/pss1.pdf" > /dev/null
ok $? "... pdfsig (NSS): valid and trusted, whole file; qpdf --check clean"
"$SERTEL" verify --json "$T/spool/done/diskominfo/pss1.pdf" > "$T/pss1.json" 2>&1
is $? 0 "... sertel verify: intact and trusted"
python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["signatures"][0]["integrity_detail"])' \
	"$T/pss1.json" | grep -qF "RSA-PSS signature"
ok $? "... and an RSA-PSS signature"
done_testing
