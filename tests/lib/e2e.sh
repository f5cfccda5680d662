# lib.sh - shared helpers for the end-to-end tests (sourced, not run).
# TAP output: ok/not ok lines, plan at the end.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERTEL=${SERTEL:-$ROOT/build/sertel}
T=$(mktemp -d "${TMPDIR:-/tmp}/sertel-e2e.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
n=0
fails=0

ok() {	# ok CONDITION-EXIT-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
is() {	# is GOT WANT DESCRIPTION
	n=$((n + 1))
	if [ "$1" = "$2" ]; then echo "ok $n - $3"; else
		echo "not ok $n - $3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; fails=$((fails + 1)); fi
}
done_testing() { echo "1..$n"; [ "$fails" -eq 0 ]; }

# pki - test CA and signers under $T/pki (ca.pem, signer-rsa.p12, signer-ec.p12, pass.txt),
# plus expired.p12 (issued by the test sub CA, valid 2020-2021) and foreign.p12
# (self-signed: chains to no configured anchor)
pki() {
	sh "$ROOT/tests/lib/pki.sh" "$T/pki" >/dev/null
	(
		cd "$T/pki" || exit 1
		mkdir -p ca.d && : > ca.d/index.txt && echo 1000 > ca.d/serial
		cat > ca.d/ca.cnf <<CNF
[ca]
default_ca = c
[c]
database = ca.d/index.txt
serial = ca.d/serial
new_certs_dir = ca.d
policy = p
x509_extensions = signer
default_md = sha256
[p]
commonName = supplied
serialNumber = optional
[signer]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
CNF
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout expired.key \
			-subj "/C=ID/CN=Sertifikat Kedaluwarsa/serialNumber=197505052000031002" -out expired.csr 2>/dev/null
		openssl ca -batch -config ca.d/ca.cnf -cert sub.pem -keyfile sub.key -in expired.csr \
			-startdate 20200101000000Z -enddate 20210101000000Z -notext -out expired.pem 2>/dev/null
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout foreign.key \
			-subj "/C=ID/CN=CA Asing/serialNumber=198001012005011001" -days 365 -out foreign.pem 2>/dev/null
		openssl pkcs12 -export -inkey expired.key -in expired.pem -certfile chain.pem \
			-passout file:pass.txt -out expired.p12
		openssl pkcs12 -export -inkey foreign.key -in foreign.pem -passout file:pass.txt -out foreign.p12
	) || echo "# pki: could not make the expired/foreign signers" >&2
}

# registry SIGNER... - the certificate registry's tests: the test PKI, a
# development CA (scripts/devca.sh) in $T/devca, $T/sertel.yaml (SERTEL_CONFIG)
# with one worker, the mkconfig.sh signers given, that CA among trust: and a
# certs: section whose verifikator is $verifier, q SQL for the database, and a
# KTP copy and photo ($T/ktp.png, $T/foto.png) for applications
registry() {
	pki
	sh "$ROOT/scripts/devca.sh" init "$T/devca" > /dev/null
	verifier=198501012010011001
	db="$T/state/sertel.db"
	export SERTEL_CONFIG="$T/sertel.yaml"
	sh "$ROOT/tests/lib/mkconfig.sh" -d "$T" -w 1 -L "doc_memory_mb:${DOC_MEM:-1024}" \
		$(for s in "$@"; do printf ' -S %s' "$s"; done) |
		sed "s|^trust: \[ \(.*\) \]|trust: [ \1, $T/devca/ca.pem ]|" > "$T/sertel.yaml"
	printf 'certs:\n  email_domain: musirawaskab.go.id\n  verifiers: ["%s"]\n' $verifier \
		>> "$T/sertel.yaml"
	python3 "$ROOT/tests/lib/mkpng.py" "$T/ktp.png" 320 200
	python3 "$ROOT/tests/lib/mkpng.py" "$T/foto.png" 120 160
}
q() { sqlite3 "$T/state/sertel.db" "$1"; }

# config FILE [settle] [sidecar_wait] - a configuration for a spool under $T
# (WORKERS, DOC_MEM and BATCH in the environment): tests/lib/mkconfig.sh with
# both usable signers (one reading $SERTEL_TEST_PASS) and three that cannot
# sign.  Tests sed, grep and append to its lines: see mkconfig.sh on the layout.
config() {
	sh "$ROOT/tests/lib/mkconfig.sh" -d "$T" -w "${WORKERS:-2}" \
		-t "surat_keluar:Surat Keluar:1" -t "nota_dinas:Nota Dinas" \
		-S siti -S ahmad:env -S wrong-pass -S expired -S foreign \
		-s "${2:-0}" -L "sidecar_wait_seconds:${3:-3600}" -L doc_timeout_seconds:30 \
		-L "doc_memory_mb:${DOC_MEM:-1024}" -L "batch_size:${BATCH:-32}" > "$1"
	echo "salah-sandi" > "$T/wrong.pass"
	export SERTEL_TEST_PASS="$(cat "$T/pki/pass.txt")"
}

# sidecar PDF [SIGNER] [HASH] - write PDF's .yaml next to it
sidecar() { sh "$ROOT/tests/lib/mksidecar.sh" "$@"; }

# drop PD NAME [PAGES] - a fresh one-page PDF with its sidecar in incoming/PD
drop() {
	mkdir -p "$T/spool/incoming/$1"
	python3 "$ROOT/tests/lib/mkpdf.py" --text "$2 $(date +%s%N)" "$T/spool/incoming/$1/$2.pdf"
	sidecar "$T/spool/incoming/$1/$2.pdf"
}

# wait_for CMD... - poll (every 0.1 s, at most 30 s) until CMD succeeds
wait_for() {
	i=0
	while ! "$@" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	"$@"
}
# put PD NAME [SIGNER] - a fresh PDF and its sidecar, renamed into incoming/PD (whole,
# at once: nothing to settle), and listed in $T/inputs.txt (endstate.sh)
put() {
	mkdir -p "$T/stage" "$T/spool/incoming/$1"
	python3 "$ROOT/tests/lib/mkpdf.py" --text "$2 $(date +%s%N)" "$T/stage/$2.pdf"
	sidecar "$T/stage/$2.pdf" ${3:-}
	mv "$T/stage/$2.yaml" "$T/spool/incoming/$1/$2.yaml"
	mv "$T/stage/$2.pdf" "$T/spool/incoming/$1/$2.pdf"
	echo "$1/$2.pdf" >> "$T/inputs.txt"
}

# populate PREFIX [N] - N (40) one-page documents with sidecars in each of five PD folders
populate() {
	for pd in diskominfo setda bappeda dinkes disdik; do
		mkdir -p "$T/spool/incoming/$pd"
		python3 "$ROOT/tests/lib/mkpdf.py" --count "${2:-40}" --out "$T/spool/incoming/$pd" \
			--prefix "$1-$pd"
		for f in "$T/spool/incoming/$pd"/*.pdf; do sidecar "$f"; done
	done
}

count() { find "$@" -type f 2>/dev/null | wc -l | tr -d ' '; }
