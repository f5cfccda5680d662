#!/bin/sh
# pdfcheck.sh CA.pem FILE.pdf... - independent verification of signed PDFs.
#
# For every file: pdfsig (poppler + NSS, with CA.pem as the only trust
# anchor) must report at least one signature, every one "Signature is Valid."
# and "Certificate is Trusted.", and the last one must cover the whole file
# ("Total document signed"); qpdf --check must exit 0 (no errors, no
# warnings).  Exits 0 only if every file passes; says why otherwise.
set -u

[ $# -ge 2 ] || { echo "usage: pdfcheck.sh CA.pem FILE.pdf..." >&2; exit 2; }
ca=$1
shift
for t in pdfsig qpdf certutil; do
	command -v "$t" >/dev/null || { echo "pdfcheck: $t not installed" >&2; exit 2; }
done

db=$(mktemp -d "${TMPDIR:-/tmp}/pdfcheck.XXXXXX")
trap 'rm -rf "$db"' EXIT INT TERM
certutil -N -d "sql:$db" --empty-password >/dev/null 2>&1 &&
	certutil -A -d "sql:$db" -n sertel-test-ca -t "CT,C,C" -i "$ca" >/dev/null 2>&1 ||
	{ echo "pdfcheck: cannot build NSS db with $ca" >&2; exit 2; }

bad=0
for f in "$@"; do
	why=""
	out=$(pdfsig -nssdir "sql:$db" "$f" 2>&1)
	nsig=$(printf '%s\n' "$out" | grep -c '^Signature #')
	nvalid=$(printf '%s\n' "$out" | grep -c 'Signature Validation: Signature is Valid\.')
	ntrust=$(printf '%s\n' "$out" | grep -c 'Certificate Validation: Certificate is Trusted\.')
	last=$(printf '%s\n' "$out" | grep -E 'Total document signed|Not total document signed' | tail -n 1)
	if [ "$nsig" -eq 0 ]; then
		why="no signature found"
	elif [ "$nvalid" -ne "$nsig" ]; then
		why="$((nsig - nvalid)) of $nsig signature(s) not valid"
	elif [ "$ntrust" -ne "$nsig" ]; then
		why="$((nsig - ntrust)) of $nsig certificate(s) not trusted"
	elif [ "$last" != "  - Total document signed" ]; then
		why="last signature does not cover the whole file"
	fi
	qout=$(qpdf --check "$f" 2>&1)
	qrc=$?
	if [ $qrc -ne 0 ] || ! printf '%s\n' "$qout" | grep -q 'No syntax or stream encoding errors'; then
		why="${why:+$why; }qpdf --check exit $qrc"
	fi
	if [ -n "$why" ]; then
		echo "FAIL $f: $why"
		printf '%s\n' "$out" | sed 's/^/  pdfsig| /'
		printf '%s\n' "$qout" | sed 's/^/  qpdf| /'
		bad=1
	else
		echo "ok $f: $nsig signature(s) valid and trusted, qpdf clean"
	fi
done
exit $bad
