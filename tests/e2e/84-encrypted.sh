#!/bin/sh
# 84-encrypted.sh - encrypted PDFs (made by qpdf --encrypt).
#
# Refused with pdf.encrypted and a reason that tells the cases apart: one that
# needs a password to open; one that opens without a password but whose
# permissions (P) forbid adding a signature field (qpdf --modify=none,
# --annotate=n: bits 4 and 6, ISO 32000-2 table 22).  Each comes back as it came.
#
# Signed (issue 13), as readers sign them: one that opens with the empty user
# password and allows signing, in RC4-40 (R2), RC4-128 (R3), AES-128 (R4) and
# AES-256 (R6), with a classic xref table and with object streams (AES-128 and
# AES-256: an xref stream, the catalog and pages compressed), and with a form
# (the catalog's /AcroForm, with its /DA string, is rewritten).  The revision is
# encrypted with the document's key, /Contents excepted (ISO 32000-1 7.6.1):
# pdfsig valid, qpdf --check clean, the encryption and permissions unchanged
# (qpdf --show-encryption before and after), no plain string of the revision
# left (the ID TTE appears nowhere in its bytes), the rewritten /Info and
# /AcroForm read as before (pdfinfo, qpdf --decrypt), and after qpdf --decrypt
# the original text and the mark's text are there (pdftotext) and the QR code
# reads the verification URL (zbarimg); sertel verify says intact and trusted.
# Signed by others: poppler's pdfsig signs an encrypted one (AES-128); sertel
# verify reads that signature (before: "encrypted documents are not supported"),
# and sertel countersigns it: both signatures valid for pdfsig, and verify's diff
# analysis accepts the signing revision after poppler's signature.
# A signer that leaves out the optional /Type/Sig (tests/lib/pdfinc.py --untyped,
# RC4): MuPDF then decrypts /Contents like any string; sertel verify reads it raw
# from the file and finds the signature intact (OpenSSL agrees on the same bytes).
# DocMDP rules as for plain documents: an RC4 one certified by other software
# (pdfinc.py --certify) with P=1 is refused (pdf.certified_locked), with P=2 it
# is countersigned, and verify accepts the signing revision under the
# certification.
# Before, all of these were refused with pdf.encrypted.
. "$(dirname "$0")/../lib/e2e.sh"
pki
export SERTEL_CONFIG="$T/sertel.yaml"
URL=https://tte.example.go.id/v/
config "$T/sertel.yaml"
cat >> "$T/sertel.yaml" <<YAML
marks:
  url: "$URL{id}"
  default: qrtext
  profiles:
    qrtext: { kinds: [qr, text] }
YAML
in=$T/spool/incoming/diskominfo
failed=$T/spool/failed/diskominfo
out=$T/spool/done/diskominfo
mkdir -p "$in" "$T/src"
text="enkripsi $$"
python3 "$ROOT/tests/lib/mkpdf.py" --text "$text" "$T/src/asli.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" --acroform --text "$text" "$T/src/formulir.pdf"
# enc NAME USER-PASSWORD KEY-BITS [qpdf --encrypt options] - the original encrypted into
# the spool; a NAME ending in -objstm also gets object streams, one with -form is made
# from a PDF with a form (strings in the catalog's /AcroForm, rewritten when signing)
enc() {
	name=$1 user=$2 bits=$3 os=preserve src=asli
	shift 3
	case $name in *-objstm) os=generate ;; esac
	case $name in *-form*) src=formulir ;; esac
	qpdf --allow-weak-crypto --object-streams=$os --encrypt "$user" pemilik "$bits" "$@" -- \
		"$T/src/$src.pdf" "$in/$name.pdf"
	cp "$in/$name.pdf" "$T/spool/src-$name.pdf"
	sidecar "$in/$name.pdf" 197103012006042006
}
enc sandi rahasia 256
enc tanpa-ubah "" 256 --modify=none
enc tanpa-anotasi "" 256 --annotate=n
enc rc4-40 "" 40
enc rc4-r3 "" 128 --use-aes=n
enc aes-r4 "" 128 --use-aes=y
enc aes-r6 "" 256
enc aes-r4-objstm "" 128 --use-aes=y
enc aes-r6-objstm "" 256
enc aes-r4-form "" 128 --use-aes=y
enc aes-r6-form-objstm "" 256
qpdf --show-encryption "$in/rc4-40.pdf" | grep -q '^R = 2$'
ok $? "rc4-40 is RC4 revision 2, 40 bits (qpdf --show-encryption)"
qpdf --show-encryption "$in/rc4-r3.pdf" | grep -q '^R = 3$'
ok $? "rc4-r3 is RC4 revision 3 (qpdf --show-encryption)"
qpdf --show-encryption "$in/aes-r4.pdf" | grep -q 'stream encryption method: AESv2'
ok $? "aes-r4 is AESv2"
qpdf --show-encryption "$in/aes-r6.pdf" | grep -q 'stream encryption method: AESv3'
ok $? "aes-r6 is AESv3"
grep -aq '/ObjStm' "$in/aes-r6-objstm.pdf" || qpdf --qdf --password= "$in/aes-r6-objstm.pdf" - |
	grep -aq '/ObjStm'
ok $? "aes-r6-objstm has object streams"
qpdf --show-encryption --password= "$in/tanpa-anotasi.pdf" | grep -q '^modify annotations: not allowed'
ok $? "... --annotate=n forbids annotations (qpdf --show-encryption)"
# signed before by poppler (NSS)
mkdir "$T/nss"
certutil -N -d "sql:$T/nss" --empty-password
pk12util -i "$T/pki/signer-rsa.p12" -d "sql:$T/nss" -w "$T/pki/pass.txt" -K "" > /dev/null 2>&1
qpdf --encrypt "" pemilik 128 --use-aes=y -- "$T/src/asli.pdf" "$T/src/enc-r4.pdf"
pdfsig -nssdir "sql:$T/nss" -add-signature -nick signer-rsa -reason "Paraf Kasubbag" \
	"$T/src/enc-r4.pdf" "$in/poppler.pdf" > /dev/null 2>&1
is "$(pdfsig -nssdir "sql:$T/nss" "$in/poppler.pdf" 2>/dev/null | grep -c 'Signature is Valid')" 1 \
	"an encrypted PDF signed by poppler's pdfsig to start from"
"$SERTEL" verify --trust "$T/pki/ca.pem" "$in/poppler.pdf" > "$T/verify.txt" 2>&1
is "$?" 0 "sertel verify reads poppler's signature of the encrypted PDF: intact and trusted"
grep -q 'integrity: *OK' "$T/verify.txt"
ok $? "... its integrity checked ($(grep 'integrity:' "$T/verify.txt" | head -1 | tr -s ' '))"
# signed by a signer that writes no /Type/Sig
qpdf --allow-weak-crypto --encrypt "" pemilik 128 --use-aes=n -- "$T/src/asli.pdf" \
	"$T/src/enc-r3.pdf"
python3 "$ROOT/tests/lib/pdfinc.py" sign "$T/src/enc-r3.pdf" "$T/src/untyped.pdf" --untyped \
	--key "$T/pki/signer-rsa.key" --cert "$T/pki/signer-rsa.pem" --chain "$T/pki/chain.pem"
mkdir "$T/parts"
python3 "$ROOT/tests/lib/pdfinc.py" parts "$T/src/untyped.pdf" "$T/parts"
openssl cms -verify -binary -inform DER -in "$T/parts/contents.der" \
	-content "$T/parts/ranges.bin" -CAfile "$T/pki/ca.pem" -purpose any -out /dev/null 2>/dev/null
ok $? "a signature without /Type/Sig on an RC4 PDF (pdfinc.py): OpenSSL verifies it"
! grep -aq '/Type */Sig' "$T/src/untyped.pdf"
ok $? "... and its dictionary has no /Type/Sig"
"$SERTEL" verify --trust "$T/pki/ca.pem" "$T/src/untyped.pdf" > "$T/verify.txt" 2>&1
is "$?" 0 "... sertel verify reads its /Contents raw: intact and trusted"
[ $? -eq 0 ] || sed 's/^/#   /' "$T/verify.txt"
# certified by other software (DocMDP P=1 and P=2), with another certificate than
# sertel's signer: pdfsig says "Unknown issue with Certificate" for a second
# signature by the same certificate, in plain documents too
for p in 1 2; do
	python3 "$ROOT/tests/lib/pdfinc.py" sign "$T/src/enc-r3.pdf" "$in/sertifikasi-p$p.pdf" \
		--certify $p --key "$T/pki/signer-rsa.key" --cert "$T/pki/signer-rsa.pem" \
		--chain "$T/pki/chain.pem"
	sidecar "$in/sertifikasi-p$p.pdf" 198204152008011002
done
cp "$in/poppler.pdf" "$T/spool/src-poppler.pdf"
sidecar "$in/poppler.pdf" 198204152008011002
"$SERTEL" -q run --once 2>> "$T/err.txt"

# --- refused -------------------------------------------------------------
# reason NAME - the message of the document's refusal
reason() { sed -n 's/^ *rincian: //p' "$failed/$1.error.yaml" 2>/dev/null | head -1; }
for f in sandi tanpa-ubah tanpa-anotasi; do
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
grep -q 'tanpa kata sandi' "$failed/sandi.error.yaml"
ok $? "... and the advice says what to do"

# --- signed --------------------------------------------------------------
title() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Title: *//p'; }
for f in rc4-40 rc4-r3 aes-r4 aes-r6 aes-r4-objstm aes-r6-objstm aes-r4-form aes-r6-form-objstm; do
	s=$out/$f.pdf
	[ -f "$s" ]
	ok $? "$f: signed ($(sed -n 's/^ *rincian: //p' "$failed/$f.error.yaml" 2>/dev/null))"
	sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$s" > "$T/check.txt" 2>&1
	ok $? "... pdfsig valid and trusted, qpdf --check clean"
	[ $? -eq 0 ] || sed 's/^/#   /' "$T/check.txt"
	head -c "$(stat -c %s "$T/spool/src-$f.pdf")" "$s" | cmp -s - "$T/spool/src-$f.pdf"
	ok $? "... an incremental update: the original bytes untouched"
	qpdf --show-encryption "$T/spool/src-$f.pdf" > "$T/enc-before.txt" 2>&1
	qpdf --show-encryption "$s" > "$T/enc-after.txt" 2>&1
	cmp -s "$T/enc-before.txt" "$T/enc-after.txt" && grep -q '^P = ' "$T/enc-after.txt"
	ok $? "... encryption and permissions unchanged (qpdf --show-encryption)"
	"$SERTEL" verify "$s" > "$T/verify.txt" 2>&1
	is "$?" 0 "... sertel verify: intact and trusted"
	id=$("$SERTEL" verify --json "$s" 2>/dev/null | grep -o '"sertel_id": *"[^"]*"' | head -1 |
		sed 's/.*"\([^"]*\)"$/\1/')
	[ -n "$id" ] && ! tail -c +"$(($(stat -c %s "$T/spool/src-$f.pdf") + 1))" "$s" |
		grep -aq "$id"
	ok $? "... no plain string in the revision (the ID TTE ${id:-?} is not in its bytes)"
	is "$(title "$s")" "$(title "$T/spool/src-$f.pdf")" \
		"... the rewritten /Info decrypts as before (pdfinfo: Title)"
	pdfinfo "$s" 2>/dev/null | grep -q "^ModDate: .*$(date -u +%Y)"
	ok $? "... and its new /ModDate string too (pdfinfo)"
	case $f in *-form*)
		qpdf --decrypt --qdf "$s" - 2>/dev/null | grep -aq '/DA (/Helv 0 Tf 0 g)'
		ok $? "... the rewritten /AcroForm's /DA string decrypts as before (qpdf --decrypt)"
	esac
	qpdf --decrypt "$s" "$T/plain.pdf" 2>/dev/null
	pdftotext "$T/plain.pdf" - 2>/dev/null > "$T/text.txt"
	grep -q "$text" "$T/text.txt" && grep -q "ID TTE: $id" "$T/text.txt"
	ok $? "... decrypted (qpdf --decrypt): the original text and the mark's (pdftotext)"
	pdftoppm -r 150 -png -singlefile "$s" "$T/render" 2>/dev/null
	is "$(zbarimg --raw -q "$T/render.png" 2>/dev/null | tr -d '\n')" "$URL$id" \
		"... the mark's QR code reads the verification URL (pdftoppm, zbarimg)"
done

# --- certified by others ------------------------------------------------
grep -q 'kode: pdf.certified_locked' "$failed/sertifikasi-p1.error.yaml"
ok $? "certified with DocMDP P=1: refused, pdf.certified_locked"
s=$out/sertifikasi-p2.pdf
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$s" > "$T/check.txt" 2>&1
ok $? "certified with DocMDP P=2: countersigned; pdfsig both valid, qpdf --check clean"
[ $? -eq 0 ] || sed 's/^/#   /' "$T/check.txt"
"$SERTEL" verify --trust "$T/pki/ca.pem" "$s" > "$T/verify.txt" 2>&1
is "$?" 0 "... sertel verify: intact and trusted, the signing revision allowed under P=2"

# --- countersigned after poppler ------------------------------------------
s=$out/poppler.pdf
[ -f "$s" ]
ok $? "poppler's encrypted PDF: countersigned ($(sed -n 's/^ *rincian: //p' \
	"$failed/poppler.error.yaml" 2>/dev/null))"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$s" > "$T/check.txt" 2>&1
ok $? "... pdfsig: both signatures valid and trusted, qpdf --check clean"
[ $? -eq 0 ] || sed 's/^/#   /' "$T/check.txt"
is "$(pdfsig -nssdir "sql:$T/nss" "$s" 2>/dev/null | grep -c 'Signature is Valid')" 2 \
	"... pdfsig counts two valid signatures"
"$SERTEL" verify --trust "$T/pki/ca.pem" "$s" > "$T/verify.txt" 2>&1
is "$?" 0 "... sertel verify: intact and trusted"
grep -q "later changes: *only allowed changes" "$T/verify.txt"
ok $? "... poppler's signature: the signing revision after it is an allowed change"
[ $? -eq 0 ] || sed 's/^/#   /' "$T/verify.txt"
done_testing
