#!/bin/sh
# 63-walks.sh - documents whose object graphs make a walk that enters an object
# once per path to it exponential, or a lookup that starts from the first page
# quadratic (tests/lib/mkwalk.py): a form listing the same child twice at each of
# 26 levels (3 KB), a page tree listing one /Pages node twice at each level, a
# page whose /Annots lists one widget 20000 times, a /Kids cycle, 20000 pages
# in one /Kids with a mark on every page, and the same with an anchor on every
# page (a mark where the text says ${ttd}).  verify, validate and the pipeline
# answer each within a few seconds: a document is refused with a clear code
# (pdf.corrupt, naming what repeats) or signed, never worker.timeout.  Before
# issue 12, verify took minutes on the form and the pipeline ran into
# worker.timeout on the form, the page tree and the 20000 pages.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
LIMIT=10	# seconds for any one command (and a worker's document)
sed -i "s/^  doc_timeout_seconds: .*/  doc_timeout_seconds: $LIMIT/" "$T/sertel.yaml"
cat >> "$T/sertel.yaml" <<YAML
marks:
  url: "https://tte.example.go.id/v/{id}"
  default: tiap
  document_types: { nota_dinas: anker }
  profiles:
    tiap: { kinds: [qr], page: every, width: 70, height: 70 }
    anker: { kinds: [qr], anchor: "\${ttd}", width: 70, height: 70 }
YAML
mk() { python3 "$ROOT/tests/lib/mkwalk.py" "$@"; }
# quick CMD... - CMD killed after LIMIT seconds (exit 124)
quick() { timeout "$LIMIT" "$@"; }
w=$T/w
mkdir -p "$w"
mk fields 26 "$w/form.pdf"
mk pages 26 "$w/pages.pdf"
mk pages 26 "$w/pages-lie.pdf" --count lie
mk annots 20000 "$w/annots.pdf"
mk annots 20000 "$w/annots-fields.pdf" --in-fields
mk cycle 6 "$w/cycle.pdf"
mk flat 20000 "$w/flat.pdf"
mk flat 20000 "$w/anchors.pdf" --anchor '${ttd}'
is "$(stat -c %s "$w/form.pdf" | cut -c1)" 2 "the 26-level form is a file of 2-3 KB"

# --- independent readers on the inputs: qpdf calls a /Pages node listed twice a loop
qpdf --check "$w/pages.pdf" > "$T/q.txt" 2>&1
is "$?" 2 "qpdf --check refuses the page tree listing a node twice"
grep -q 'Loop detected in /Pages structure' "$T/q.txt"
ok $? "qpdf: Loop detected in /Pages structure"
for f in form annots cycle flat; do
	qpdf --check "$w/$f.pdf" > /dev/null 2>&1
	ok $? "qpdf --check accepts $f.pdf"
done

# --- verify: the unsigned files, at once
for f in form pages pages-lie annots cycle flat; do
	quick "$SERTEL" verify "$w/$f.pdf" > "$T/v.txt" 2>&1
	is "$?" 2 "verify $f.pdf: could not decide, within $LIMIT s"
	grep -q 'the document has no signature' "$T/v.txt"
	ok $? "verify $f.pdf: says there is no signature"
done

# --- verify: the form, signed by other software (a new field beside the DAG)
python3 "$ROOT/tests/lib/pdfinc.py" sign "$w/form.pdf" "$w/form-signed.pdf" \
	--key "$T/pki/signer-rsa.key" --cert "$T/pki/signer-rsa.pem" --chain "$T/pki/chain.pem"
quick "$SERTEL" verify --trust "$T/pki/ca.pem" "$w/form-signed.pdf" > "$T/v.txt" 2>&1
is "$?" 0 "verify: a signature beside the 26-level form is intact and trusted, within $LIMIT s"
grep -q '^Signature 1 of 1: field "ttd"' "$T/v.txt"
ok $? "verify: finds that one signature"

# --- validate: refused with pdf.corrupt naming what repeats, or signable
for f in form pages pages-lie annots annots-fields cycle flat anchors; do
	sh "$ROOT/tests/lib/mksidecar.sh" "$w/$f.pdf"
done
sed -i 's/^type: surat_keluar/type: nota_dinas/' "$w/anchors.yaml"
quick "$SERTEL" validate "$w/form.pdf" > "$T/v.txt" 2>&1
is "$?" 1 "validate form.pdf: refused within $LIMIT s"
grep -q 'pdf.corrupt' "$T/v.txt" && grep -q 'formulir (AcroForm) rusak: the form lists the same fields again and again: a reader following its /Kids would visit 268435454 fields, for 27 field objects' "$T/v.txt"
ok $? "validate form.pdf: pdf.corrupt, the form repeats its fields (2^28 - 2 visits for 27 objects)"
quick "$SERTEL" validate "$w/annots-fields.pdf" > "$T/v.txt" 2>&1
is "$?" 1 "validate annots-fields.pdf (/Fields listing one field 20000 times): refused"
grep -q 'would visit 20000 fields, for 1 field object"' "$T/v.txt"
ok $? "validate annots-fields.pdf: says how often the field is listed"
for f in pages pages-lie; do
	quick "$SERTEL" validate "$w/$f.pdf" > "$T/v.txt" 2>&1
	is "$?" 1 "validate $f.pdf: refused within $LIMIT s"
	grep -q 'pohon halaman (page tree) rusak: the page tree lists object [0-9]* more than once' "$T/v.txt"
	ok $? "validate $f.pdf: pdf.corrupt, a page tree node listed twice"
done
for f in annots cycle flat; do
	quick "$SERTEL" validate "$w/$f.pdf" > "$T/v.txt" 2>&1
	is "$?" 0 "validate $f.pdf: signable, within $LIMIT s"
done

# --- the pipeline: a mark on every page; refused or signed, never worker.timeout
in=$T/spool/incoming/diskominfo
mkdir -p "$in"
for f in form pages annots cycle flat anchors; do
	cp "$w/$f.pdf" "$w/$f.yaml" "$in/"
done
start=$(date +%s)
timeout $((4 * LIMIT)) "$SERTEL" -q run --once > "$T/run.txt" 2> "$T/err.txt"
is "$?" 1 "run --once: exit 1 (two documents refused)"
took=$(($(date +%s) - start))
ok "$([ "$took" -lt $((2 * LIMIT)) ]; echo $?)" "run --once took ${took} s for the six (under $((2 * LIMIT)) s)"
fail=$T/spool/failed/diskominfo
done_=$T/spool/done/diskominfo
timeouts=$(cat "$fail"/*.error.yaml 2>/dev/null | grep -c 'worker.timeout')
is "$timeouts" 0 "no document ran into worker.timeout"
for f in form pages; do
	grep -q 'kode: pdf.corrupt' "$fail/$f.error.yaml" 2>/dev/null
	ok $? "$f.pdf: refused, pdf.corrupt"
done
grep -q 'formulir (AcroForm) rusak' "$fail/form.error.yaml" 2>/dev/null
ok $? "form.pdf: the report names the form"
grep -q 'pohon halaman (page tree) rusak' "$fail/pages.error.yaml" 2>/dev/null
ok $? "pages.pdf: the report names the page tree"
for f in annots cycle flat anchors; do
	[ -f "$done_/$f.pdf" ]
	ok $? "$f.pdf: signed"
done
is "$(python3 - "$done_/anchors.pdf" <<'PY'
import re, sys
d = open(sys.argv[1], "rb").read()
rev = d[d.rindex(b"%%EOF", 0, len(d) - 8):]
print(len(re.findall(rb"/Subtype/Widget", rev)))
PY
)" 20000 "anchors.pdf: a widget at the anchor of each of its 20000 pages"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$done_/annots.pdf" "$done_/cycle.pdf" \
	> "$T/check.txt" 2>&1
rc=$?
ok $rc "pdfsig and qpdf --check accept the signed annots.pdf and cycle.pdf"
[ $rc -eq 0 ] || sed 's/^/# /' "$T/check.txt" | head -20
# (pdfsig needs minutes for 20000 signature widgets: qpdf and sertel verify for that one)
qpdf --check "$done_/flat.pdf" > /dev/null 2>&1
ok $? "qpdf --check accepts the signed flat.pdf"
is "$(qpdf --show-npages "$done_/flat.pdf")" 20000 "flat.pdf keeps its 20000 pages"
for f in annots cycle flat; do
	quick "$SERTEL" verify --trust "$T/pki/ca.pem" "$done_/$f.pdf" > /dev/null 2>&1
	is "$?" 0 "verify the signed $f.pdf: intact and trusted, within $LIMIT s"
done
done_testing
