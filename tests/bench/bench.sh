#!/bin/sh
# bench.sh - `make bench`: end-to-end throughput of `sertel run --once`.
#   N=1000 WORKERS=2 PDS=5 make bench
#   MARKS=1 make bench        with a QR code + text mark on every document
#   CERTS=1 make bench        with a certs: section: signing obeys the certificate
#                             registry (the signer's certificate recorded in it)
#   LETTERS=1 make bench      realistic letters instead of tiny PDFs: one-page
#                             letters of 30-60 KB with an embedded TrueType subset
#                             and an image (tests/bench/make-letters.py, the
#                             team's generator; Debian's python3-reportlab, -pil)
# Generates N one-page documents with sidecars (not timed), then times the
# whole batch: claim, validate, sign, own verification, store, group commit,
# deliver.  Reports documents, seconds, docs/s and peak RSS (largest process
# of the tree).  Then tests/bench/sign_cost.c times one document's phases in
# a worker: one page (RSA-2048, ECDSA P-256; encrypted with AES-128 and AES-256)
# and 500 pages (~100 MB), with the validate stage's checks per page (issue 13:
# under 0.5 ms for a one-page letter), and the checks on the letter as each
# producer of mkproducers.sh writes it.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERTEL=${SERTEL:-$ROOT/build/sertel}
N=${N:-1000}
WORKERS=${WORKERS:-2}
PDS=${PDS:-5}
T=$(mktemp -d "${TMPDIR:-/tmp}/sertel-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
sh "$ROOT/tests/lib/pki.sh" "$T/pki" >/dev/null
marks=
[ -z "${MARKS:-}" ] || marks="https://tte.example.go.id/v/{id}"
# mkconfig.sh's defaults: one document type (surat_keluar), one RSA signer
sh "$ROOT/tests/lib/mkconfig.sh" -d "$T" -w "$WORKERS" ${marks:+-m "$marks"} > "$T/sertel.yaml"
if [ -n "${CERTS:-}" ]; then
	# the registry's row for the test PKI's certificate, as the schema allows it by hand
	printf 'certs:\n  email_domain: musirawaskab.go.id\n  verifiers: ["198501012010011001"]\n' \
		>> "$T/sertel.yaml"
	"$SERTEL" --config "$T/sertel.yaml" cert list > /dev/null
	serial=$(openssl x509 -in "$T/pki/signer-rsa.pem" -noout -serial | cut -d= -f2)
	issuer=$(openssl x509 -in "$T/pki/signer-rsa.pem" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')
	sqlite3 "$T/state/sertel.db" "INSERT INTO cert_holders VALUES ('197103012006042006',
	  '1605014103710001', '197103012006042006', 'Dr. Siti Aminah, M.Si', 'Kepala Dinas', 'IV/c',
	  'Diskominfo', 'diskominfo', '0812', 's@musirawaskab.go.id', 0);
	  INSERT INTO certs (holder, state, recommender, key_alg, pubkey_sha256, dir, requested_at,
	  state_at) VALUES ('197103012006042006', 'requested', '198501012010011001', 'rsa-2048', 'x',
	  'certs/bench', 0, 0);
	  UPDATE certs SET state = 'verified'; UPDATE certs SET state = 'issued', serial = '$serial',
	  issuer = '$issuer', not_before = 0, not_after = strftime('%s') + 86400"
fi
per=$(( (N + PDS - 1) / PDS ))
if [ -n "${LETTERS:-}" ]; then
	# Debian's python (reportlab and PIL are Debian packages, not in a virtualenv)
	/usr/bin/python3 "$ROOT/tests/bench/make-letters.py" "$T/letters" "$N" 0 | sed 's/^/bench: letters: /'
	# dealt round the PDs
	ls "$T/letters/onepage" | awk -v n="$PDS" '{ print (NR - 1) % n, $0 }' | while read -r k f; do
		mkdir -p "$T/spool/incoming/pd$k"
		mv "$T/letters/onepage/$f" "$T/spool/incoming/pd$k/doc$k-$f"
	done
fi
i=0
while [ $i -lt "$PDS" ]; do
	d="$T/spool/incoming/pd$i"
	mkdir -p "$d"
	[ -n "${LETTERS:-}" ] || python3 "$ROOT/tests/lib/mkpdf.py" --count "$per" --out "$d" --prefix "doc$i"
	python3 - "$d" <<'PY'
import hashlib, os, sys
d = sys.argv[1]
for f in os.listdir(d):
    if not f.endswith(".pdf"):
        continue
    h = hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
    with open(os.path.join(d, f[:-4] + ".yaml"), "w") as y:
        y.write('schema: 1\ntype: surat_keluar\nsigner: "197103012006042006"\nparafs:\n'
                '  - nip: "198005052005011003"\n    name: "Budi Santoso"\n'
                '    role: kasubbag_umum\n    time: "2026-11-23T14:05:00+07:00"\n'
                '    sha256: "%s"\n' % h)
PY
	i=$((i + 1))
done
total=$(ls "$T"/spool/incoming/*/*.pdf | wc -l)
sync
${BENCH_WRAP:-} /usr/bin/time -f '%e %M %U %S' -o "$T/time.txt" "$SERTEL" ${BENCH_FLAGS:--q} --config "$T/sertel.yaml" run --once
read -r secs rss usr sys < "$T/time.txt"
done_n=$(ls "$T"/spool/done/*/*.pdf | wc -l)
echo "bench: $done_n/$total documents signed, $WORKERS workers, ${secs}s," \
     "$(echo "$done_n $secs" | awk '{ printf "%.0f", $1 / ($2 > 0 ? $2 : 1) }') docs/s," \
     "peak RSS $((rss / 1024)) MiB, CPU ${usr}s user + ${sys}s system"
# What a signature costs through the key process, against signing in the worker itself.
[ -z "${KEY_COST:-}" ] || "$KEY_COST" "$T/sertel.yaml" 500
# What one document costs in a worker, phase by phase (parse, sign, own verification).
if [ -n "${SIGN_COST:-}" ]; then
	python3 "$ROOT/tests/lib/mkpdf.py" "$T/one.pdf"
	"$SIGN_COST" "$T/one.pdf" "$T/pki/signer-rsa.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 300
	"$SIGN_COST" "$T/one.pdf" "$T/pki/signer-ec.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 300
	# the same letter encrypted (empty user password): AES-128 (R4) and AES-256 (R6)
	qpdf --encrypt "" pemilik 128 --use-aes=y -- "$T/one.pdf" "$T/one-aes128.pdf"
	qpdf --encrypt "" pemilik 256 -- "$T/one.pdf" "$T/one-aes256.pdf"
	"$SIGN_COST" "$T/one-aes128.pdf" "$T/pki/signer-rsa.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 300
	"$SIGN_COST" "$T/one-aes256.pdf" "$T/pki/signer-rsa.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 50
	python3 "$ROOT/tests/lib/mkbig.py" "$T/big.pdf" 500 200
	"$SIGN_COST" "$T/big.pdf" "$T/pki/signer-rsa.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 5
	# the same letter as other producers write it: what the checks cost on each
	sh "$ROOT/tests/lib/mkproducers.sh" "$T/producers" > "$T/producers.txt"
	while read -r name _; do
		"$SIGN_COST" "$T/producers/$name.pdf" "$T/pki/signer-ec.p12" "$T/pki/pass.txt" \
			"$T/pki/ca.pem" 50 | sed -n "s|^sign_cost: the validate stage's checks: |sign_cost: $name: checks |p"
	done < "$T/producers.txt"
fi
# keys in a SoftHSM2 token against PKCS#12 (issue 19); says why and goes on without softhsm
[ -z "${KEY_COST:-}" ] || SERTEL="$SERTEL" sh "$ROOT/tests/bench/p11.sh" || echo "p11: failed"
