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
#   softhsm_p11kit LOG         $HOME/.config/pkcs11/modules/softhsm.module
#                              (HOME=$T): p11-kit's proxy loads SoftHSM and
#                              logs every PKCS#11 call (log-calls)
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

softhsm_p11kit() {
	export HOME="$T"
	mkdir -p "$T/.config/pkcs11/modules"
	printf 'module: %s\nlog-calls: yes\n' "$SOFTHSM_MODULE" > "$T/.config/pkcs11/modules/softhsm.module"
}
