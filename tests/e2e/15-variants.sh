#!/bin/sh
# 15-variants.sh - the signer is faithful to every kind of PDF structure:
# classic xref tables, xref streams, object streams, linearized files, files
# rewritten by qpdf and MuPDF, existing AcroForms, documents without /ID or
# Info, a multi-page document, and documents signed before (countersignature:
# the Sekretaris signs, then the Kepala Dinas; both signatures stay valid).
# Each is dropped into the spool and signed by `sertel run --once`; each output
# must keep the original as a byte prefix and pass pdfsig and qpdf --check.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
in="$T/spool/incoming/setda"
mkdir -p "$in" "$T/src"

mk() { v=$1; shift; python3 "$ROOT/tests/lib/mkpdf.py" --text "$v $$" "$@" "$T/src/$v.pdf"; }
mk tabel --xref table
mk aliran --xref stream
mk halaman-banyak --pages 25
mk formulir --acroform
mk formulir-tak-langsung --acroform-indirect --xref stream
mk tanpa-id --no-id --no-info
mk tanpa-eol --no-eol
mk hibrida --xref hybrid --pages 3 --acroform
# rewritten by other tools: object streams, linearization, MuPDF's own writer
qpdf --object-streams=generate "$T/src/tabel.pdf" "$T/src/objstm.pdf"
qpdf --linearize "$T/src/halaman-banyak.pdf" "$T/src/linear.pdf"
qpdf --linearize --object-streams=generate "$T/src/formulir.pdf" "$T/src/linear-objstm.pdf"
mutool clean -gg "$T/src/aliran.pdf" "$T/src/mupdf-clean.pdf"
mutool clean -z "$T/src/tabel.pdf" "$T/src/mupdf-deflate.pdf"
# written by real producers: groff's gropdf and Ghostscript (this project's
# man page), and pdfTeX files shipped by Debian packages when present
groff -mandoc -Tpdf "$ROOT/man/sertel.1" > "$T/src/groff.pdf" 2>/dev/null
groff -mandoc -Tps "$ROOT/man/sertel.1" 2>/dev/null | ps2pdf - "$T/src/ghostscript.pdf"
variants="tabel aliran halaman-banyak formulir formulir-tak-langsung tanpa-id tanpa-eol hibrida objstm linear linear-objstm mupdf-clean mupdf-deflate groff ghostscript"
for f in /usr/share/doc/libtasn1-doc/libtasn1.pdf /usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf; do
	[ -f "$f" ] || continue
	v=pdftex-$(basename "$f" .pdf)
	cp "$f" "$T/src/$v.pdf"
	variants="$variants $v"
done
# signed before by another tool: poppler's pdfsig (NSS, adbe.pkcs7.detached,
# with a visible appearance), then countersigned by sertel below
mkdir "$T/nss"
certutil -N -d "sql:$T/nss" --empty-password
pk12util -i "$T/pki/signer-rsa.p12" -d "sql:$T/nss" -w "$T/pki/pass.txt" -K "" > /dev/null 2>&1
mk poppler-src
pdfsig -nssdir "sql:$T/nss" -add-signature -nick signer-rsa -reason "Paraf Kasubbag" \
	"$T/src/poppler-src.pdf" "$T/src/poppler.pdf" > /dev/null 2>&1
is "$(pdfsig -nssdir "sql:$T/nss" "$T/src/poppler.pdf" 2>/dev/null | grep -c 'Signature is Valid')" 1 \
	"a PDF signed by poppler's pdfsig (adbe.pkcs7.detached) to start from"
variants="$variants poppler"
for v in $variants; do cp "$T/src/$v.pdf" "$in/"; sidecar "$in/$v.pdf" 198204152008011002; done
# an encrypted PDF that needs a password is refused with a clear error
qpdf --encrypt rahasia pemilik 256 -- "$T/src/tabel.pdf" "$in/terenkripsi.pdf"
sidecar "$in/terenkripsi.pdf" 198204152008011002

"$SERTEL" -q run --once 2> "$T/err.txt"
is "$?" 1 "run --once: the encrypted one failed, the rest signed"
for v in $variants; do
	out="$T/spool/done/setda/$v.pdf"
	if [ ! -f "$out" ]; then
		ok 1 "$v: signed"; sed -n 's/^  - kode: /# /p' "$T/spool/failed/setda/$v.error.yaml" 2>/dev/null
		continue
	fi
	cmp -s -n "$(stat -c %s "$T/src/$v.pdf")" "$T/src/$v.pdf" "$out"
	ok $? "$v: the original is a byte prefix of the signed file"
	sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$out" > "$T/check-$v.txt" 2>&1
	ok $? "$v: pdfsig valid and trusted, total document signed, qpdf --check clean"
done
grep -q 'kode: pdf.encrypted' "$T/spool/failed/setda/terenkripsi.error.yaml"
ok $? "an encrypted PDF -> pdf.encrypted"
[ "$(sha256sum < "$T/spool/failed/setda/terenkripsi.pdf")" = "$(grep -o '[0-9a-f]\{64\}' "$T/spool/failed/setda/terenkripsi.yaml" | head -1)  -" ]
ok $? "... and is handed back as it came (its paraf hash still matches)"

# countersignature: the Sekretaris' signed letter goes back in for the Kepala Dinas
first="$T/spool/done/setda/formulir.pdf"
cp "$first" "$T/spool/incoming/setda/formulir-ttd2.pdf"
sidecar "$T/spool/incoming/setda/formulir-ttd2.pdf" 197103012006042006
"$SERTEL" -q run --once 2>> "$T/err.txt"
is "$?" 0 "the signed letter is countersigned"
second="$T/spool/done/setda/formulir-ttd2.pdf"
cmp -s -n "$(stat -c %s "$first")" "$first" "$second"
ok $? "the first signed file is a byte prefix of the countersigned one"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$second" > "$T/check-cs.txt" 2>&1
ok $? "pdfsig: both signatures valid and trusted"
is "$(pdfsig "$second" 2>/dev/null | grep -c '^Signature #')" 2 "two signatures in the countersigned file"
is "$(pdfsig "$second" 2>/dev/null | grep -c 'Signature is Valid')" 2 "both say 'Signature is Valid.'"
is "$(grep -ao '/SertelID *([A-Z0-9]*)' "$second" | sort -u | wc -l | tr -d ' ')" 2 "two distinct IDs TTE"
is "$(grep -ao '/SertelID *([A-Z0-9]*)' "$second" | wc -l | tr -d ' ')" 4 "each in its signature dictionary and its revision's Info"

# the poppler-signed PDF, countersigned by sertel: both signatures hold
p="$T/spool/done/setda/poppler.pdf"
is "$(pdfsig "$p" 2>/dev/null | grep -c 'Signature is Valid')" 2 "poppler's signature and sertel's countersignature both valid in pdfsig"
"$SERTEL" verify --json "$p" > "$T/poppler.json"
is "$?" 0 "sertel verify: the poppler-signed, countersigned file is intact and trusted"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(s["subfilter"] + ":" + s["modifications"] for s in d["signatures"]))' "$T/poppler.json")" \
	"adbe.pkcs7.detached:allowed ETSI.CAdES.detached:none" "... the first sees only the countersignature as a later change"

# certification (DocMDP) per document type: P=2 lets a countersignature in,
# P=1 refuses it before signing
sed -i '/^  nota_dinas:/a\  sk: { title: "Surat Keputusan", certify: 2 }\n  sk_final: { title: "SK final", certify: 1 }' "$T/sertel.yaml"
rm -rf "$T/spool/done" "$T/spool/failed"
cp "$T/src/tabel.pdf" "$in/sk-2.pdf"; sidecar "$in/sk-2.pdf" 198204152008011002
cp "$T/src/aliran.pdf" "$in/sk-1.pdf"; sidecar "$in/sk-1.pdf" 198204152008011002
sed -i 's/^type: surat_keluar/type: sk/' "$in/sk-2.yaml"
sed -i 's/^type: surat_keluar/type: sk_final/' "$in/sk-1.yaml"
"$SERTEL" -q run --once 2>> "$T/err.txt"
is "$?" 0 "documents of certifying types are signed"
c2="$T/spool/done/setda/sk-2.pdf"; c1="$T/spool/done/setda/sk-1.pdf"
grep -aq '/Perms<</DocMDP [0-9]* 0 R>>' "$c2" &&
	grep -aq '/TransformMethod/DocMDP/TransformParams<</Type/TransformParams/P 2/V/1.2>>' "$c2"
ok $? "certify 2: the catalog's /Perms /DocMDP names a signature with DocMDP P=2"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$c2" > "$T/check-sk2.txt" 2>&1
ok $? "... valid in pdfsig and qpdf"
"$SERTEL" verify "$c2" > /dev/null
is "$?" 0 "... and in sertel verify"
cp "$c2" "$in/sk-2-ttd2.pdf"; sidecar "$in/sk-2-ttd2.pdf" 197103012006042006
sed -i 's/^type: surat_keluar/type: sk/' "$in/sk-2-ttd2.yaml"
cp "$c1" "$in/sk-1-ttd2.pdf"; sidecar "$in/sk-1-ttd2.pdf" 197103012006042006
"$SERTEL" -q run --once 2>> "$T/err.txt"
cc="$T/spool/done/setda/sk-2-ttd2.pdf"
is "$(grep -ac '/TransformMethod/DocMDP' "$cc")" 1 \
	"a certified (P=2) document countersigned: an approval signature, not a second certification"
is "$(pdfsig "$cc" 2>/dev/null | grep -c 'Signature is Valid')" 2 "... both valid in pdfsig"
"$SERTEL" verify --json "$cc" > "$T/sk2.json"
is "$?" 0 "... and intact in sertel verify (the countersignature is a change P=2 allows)"
grep -q 'kode: pdf.certified_locked' "$T/spool/failed/setda/sk-1-ttd2.error.yaml"
ok $? "a document certified with P=1 is not countersigned: pdf.certified_locked"
cmp -s "$c1" "$T/spool/failed/setda/sk-1-ttd2.pdf"
ok $? "... and comes back untouched"

done_testing
