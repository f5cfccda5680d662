#!/bin/sh
# 84-encrypted.sh - encrypted PDFs (made by qpdf --encrypt, AES-256) are refused with
# pdf.encrypted and a reason that tells the three cases apart: one that needs a
# password to open; one that opens without a password but whose permissions (P)
# forbid adding a signature field (qpdf --modify=none, --annotate=n: bits 4 and 6,
# ISO 32000-2 table 22); and one that opens without a password and allows it, which
# readers sign but sertel does not yet (issue 13: it should be signed).  Each comes
# back as it came.  Before, all three said only "PDF terenkripsi".
. "$(dirname "$0")/../lib/e2e.sh"
pki
export SERTEL_CONFIG="$T/sertel.yaml"
config "$T/sertel.yaml"
in=$T/spool/incoming/diskominfo
failed=$T/spool/failed/diskominfo
mkdir -p "$in" "$T/src"
python3 "$ROOT/tests/lib/mkpdf.py" --text "enkripsi $$" "$T/src/asli.pdf"
# NAME USER-PASSWORD [qpdf restrictions]
enc() {
	name=$1 user=$2
	shift 2
	qpdf --encrypt "$user" pemilik 256 "$@" -- "$T/src/asli.pdf" "$in/$name.pdf"
	cp "$in/$name.pdf" "$T/spool/src-$name.pdf"
	sidecar "$in/$name.pdf" 197103012006042006
}
enc sandi rahasia
enc tanpa-ubah "" --modify=none
enc tanpa-anotasi "" --annotate=n
enc boleh ""
qpdf --check --password= "$in/boleh.pdf" > /dev/null 2>&1
ok $? "the allowing one opens with an empty user password (qpdf --check --password=)"
qpdf --show-encryption --password= "$in/tanpa-anotasi.pdf" | grep -q '^modify annotations: not allowed'
ok $? "... --annotate=n forbids annotations (qpdf --show-encryption)"
"$SERTEL" -q run --once 2>> "$T/err.txt"
# reason NAME - the message of the document's refusal
reason() { sed -n 's/^ *rincian: //p' "$failed/$1.error.yaml" 2>/dev/null | head -1; }
for f in sandi tanpa-ubah tanpa-anotasi boleh; do
	grep -q 'kode: pdf.encrypted' "$failed/$f.error.yaml"
	ok $? "$f: refused, pdf.encrypted"
	cmp -s "$T/spool/src-$f.pdf" "$failed/$f.pdf"
	ok $? "... handed back as it came"
done
reason sandi | grep -q 'hanya dapat dibuka dengan kata sandi'
ok $? "needs a password: the reason says so ($(reason sandi))"
reason tanpa-ubah | grep -q 'izin dokumennya melarang menambah bidang tanda tangan'
ok $? "--modify=none: the reason names the permissions"
reason tanpa-anotasi | grep -q 'izin dokumennya melarang'
ok $? "--annotate=n: the reason names the permissions"
reason boleh | grep -q 'belum dapat menandatangani PDF terenkripsi'
ok $? "empty password, signing allowed: the reason says sertel cannot yet ($(reason boleh))"
grep -q 'tanpa kata sandi dan tanpa pembatasan izin' "$failed/boleh.error.yaml"
ok $? "... and the advice says what to do"
done_testing
