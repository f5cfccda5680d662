# softhsm.sh - SoftHSM2 tokens in $T for the PKCS#11 tests (sourced after
# e2e.sh, whose pki made $T/pki).  Never use outside tests.
#
#   softhsm_init LABEL PIN     an empty token; exports SOFTHSM2_CONF
#                              ($T/softhsm2.conf, tokens under $T/tokens)
#   softhsm_import LABEL PIN NAME ID OBJECT
#                              $T/pki/NAME.key (as PKCS#8) into the token as a
#                              private key with id ID and label OBJECT
#   softhsm_cert LABEL PIN PEM ID OBJECT
#                              a certificate onto the token (pkcs11-tool)
#   softhsm_cast               tokens "siti" (her RSA key, certificate and the
#                              intermediate) and "ahmad" (his ECDSA key only; his
#                              certificate and chain in $T/ahmad.pem), PIN the
#                              passphrase of pki/pass.txt
#   softhsm_siti CONFIG [MODULE]
#                              Siti's RSA key, certificate and the intermediate
#                              on token "siti" (PIN: pki/pass.txt), and CONFIG's
#                              first signer-rsa.p12 keystore (Siti's) moved to
#                              it, through MODULE (default SoftHSM's)
#
# SOFTHSM_MODULE is the module's path; softhsm_skip says why the test cannot run.
SOFTHSM_MODULE=/usr/lib/softhsm/libsofthsm2.so
P11KIT_PROXY=/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so

softhsm_skip() {
	for _t in softhsm2-util pkcs11-tool; do
		command -v $_t >/dev/null || { echo "$_t is missing (scripts/install-deps.sh --tests)"; return 0; }
	done
	[ -f "$SOFTHSM_MODULE" ] || { echo "$SOFTHSM_MODULE is missing"; return 0; }
	return 1
}

softhsm_init() {
	if [ ! -f "$T/softhsm2.conf" ]; then
		mkdir -p "$T/tokens"
		printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
			"$T" > "$T/softhsm2.conf"
	fi
	export SOFTHSM2_CONF="$T/softhsm2.conf"
	softhsm2-util --init-token --free --label "$1" --pin "$2" --so-pin 87654321 >/dev/null
}

softhsm_import() {
	openssl pkcs8 -topk8 -nocrypt -in "$T/pki/$3.key" -out "$T/$3.pk8"
	softhsm2-util --import "$T/$3.pk8" --token "$1" --pin "$2" --id "$4" --label "$5" >/dev/null
	rm -f "$T/$3.pk8"
}

softhsm_cert() {
	pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$1" --login --pin "$2" \
		--write-object "$3" --type cert --id "$4" --label "$5" >/dev/null 2>&1
}

softhsm_cast() {
	_pin=$(cat "$T/pki/pass.txt")
	softhsm_init siti "$_pin"
	softhsm_import siti "$_pin" signer-rsa 01 ttd
	softhsm_cert siti "$_pin" "$T/pki/signer-rsa.pem" 01 ttd
	softhsm_cert siti "$_pin" "$T/pki/sub.pem" 0a sub
	[ "${1:-}" = siti ] && return 0
	softhsm_init ahmad "$_pin"
	softhsm_import ahmad "$_pin" signer-ec 02 ttd
	cat "$T/pki/signer-ec.pem" "$T/pki/chain.pem" > "$T/ahmad.pem"
}

softhsm_siti() {
	softhsm_cast siti
	sed -i "0,/keystore: .*signer-rsa.p12/s|keystore: .*signer-rsa.p12\$|keystore: \"pkcs11:token=siti;object=ttd\"\\
    pkcs11_module: ${2:-$SOFTHSM_MODULE}|" "$1"
}
