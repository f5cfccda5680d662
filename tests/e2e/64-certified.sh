#!/bin/sh
# 64-certified.sh - sertel's approval signature on documents certified by other
# software (DocMDP P=2 and 3, tests/lib/pdfinc.py --certify): the revision sertel
# appends changes only what pyHanko's difference analysis lets a signer change
# after a certification, read with qpdf by tests/lib/revcheck.py: a new invisible
# signature field (its widget, its signature dictionary), the page's /Annots, the
# form's /Fields, a new /Info; the catalog's other keys, /SigFlags, every page's
# other keys and every content stream as they were.  A mark profile is
# configured: a certified document is signed without the mark (a new visible
# signature field after a certification is what pyHanko refuses), an
# uncertified one still gets it.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
cat >> "$T/sertel.yaml" <<YAML
marks:
  url: "https://tte.example.go.id/v/{id}"
  default: qr
  profiles:
    qr: { kinds: [qr], width: 80, height: 80 }
YAML
in=$T/spool/incoming/diskominfo
out=$T/spool/done/diskominfo
mkdir -p "$in" "$T/orig"
check() { python3 "$ROOT/tests/lib/revcheck.py" "$@"; }

# certify SRC NAME P - SRC certified with DocMDP P by other software, as NAME.pdf
certify() {
	python3 "$ROOT/tests/lib/pdfinc.py" sign "$1" "$T/orig/$2.pdf" --certify "$3" \
		--key "$T/pki/signer-ec.key" --cert "$T/pki/signer-ec.pem" --chain "$T/pki/chain.pem"
}
python3 "$ROOT/tests/lib/mkpdf.py" --text "bersertifikat $$" "$T/plain.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" --acroform-indirect --text "formulir $$" "$T/form.pdf"
certify "$T/plain.pdf" p2 2
certify "$T/form.pdf" p2-form 2
certify "$T/plain.pdf" p3 3
# a certifier that wrote /SigFlags 1 (SignaturesExist only)
python3 - "$ROOT/tests/lib" "$T/plain.pdf" "$T/flags1.pdf" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import pdfinc
p = pdfinc.Pdf(open(sys.argv[2], "rb").read())
cat = p.obj(p.root())
p.update({p.root(): cat[:cat.rindex(b">>")] + b"/AcroForm<</Fields[]/SigFlags 1>>>>"})
open(sys.argv[3], "wb").write(p.data)
PY
certify "$T/flags1.pdf" p2-flags1 2
cp "$T/plain.pdf" "$T/orig/biasa.pdf"
for f in p2 p2-form p3 p2-flags1 biasa; do
	cp "$T/orig/$f.pdf" "$in/"
	sidecar "$in/$f.pdf"
done
grep -q '/SigFlags 1' "$T/orig/p2-flags1.pdf"
ok $? "the certifier of p2-flags1.pdf wrote /SigFlags 1"

"$SERTEL" run --once > "$T/run.txt" 2> "$T/err.txt"
is "$?" 0 "run --once: all five signed"

for f in p2 p2-form p3 p2-flags1; do
	check "$T/orig/$f.pdf" "$out/$f.pdf" > "$T/rc-$f.txt" 2>&1
	rc=$?
	ok $rc "$f.pdf: sertel's revision changes only what a certification lets a signer change"
	[ $rc -eq 0 ] || sed 's/^/# /' "$T/rc-$f.txt"
	grep -q '^    widget .*(invisible)$' "$T/rc-$f.txt"
	ok $? "$f.pdf: the new signature widget is invisible, without /AP"
	grep -q 'contents: 1 page(s), every content stream as before$' "$T/rc-$f.txt"
	ok $? "$f.pdf: the page's content stream is as certified"
	sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$out/$f.pdf" > "$T/check.txt" 2>&1
	rc=$?
	ok $rc "$f.pdf: pdfsig (both signatures valid and trusted) and qpdf --check"
	[ $rc -eq 0 ] || sed 's/^/# /' "$T/check.txt" | head -20
	"$SERTEL" verify "$out/$f.pdf" > /dev/null 2>&1
	is "$?" 0 "$f.pdf: sertel verify: intact and trusted"
done
grep -q 'the document is certified (DocMDP P=2): signed without mark profile qr, invisibly' \
	"$T/err.txt"
ok $? "the log says why a certified document got no mark"
grep -q "changed [0-9]*: AcroForm, keys differing: \['/Fields'\]" "$T/rc-p2-form.txt"
ok $? "p2-form.pdf: the indirect AcroForm changes only in /Fields"
grep -q 'changed [0-9]*: /Annots array of page' "$T/rc-p2-form.txt"
ok $? "p2-form.pdf: its indirect /Annots array gains the widget, the page is not rewritten"
grep -q "changed 1: catalog, keys differing: \['/AcroForm'\]" "$T/rc-p2-flags1.txt" &&
	! grep -q 'SigFlags' "$T/rc-p2-flags1.txt"
ok $? "p2-flags1.pdf: /SigFlags 1 left as the certifier wrote it"

# the control: an uncertified document still gets its (visible) mark
check "$T/orig/biasa.pdf" "$out/biasa.pdf" > "$T/rc-biasa.txt" 2>&1
ok $? "biasa.pdf: its revision is a signature field, its widget and appearance"
grep -q '^    widget .*(visible), /AP$' "$T/rc-biasa.txt"
ok $? "biasa.pdf (not certified): the mark is there, a visible widget with /AP"

# revcheck itself finds what pyHanko refuses: a changed content stream, /SigFlags
python3 - "$ROOT/tests/lib" "$T/orig/p2.pdf" "$T/bad" <<'PY'
import re, sys, zlib
sys.path.insert(0, sys.argv[1])
import pdfinc
src = open(sys.argv[2], "rb").read()
p = pdfinc.Pdf(src)
pg = p.pages()[0]
c = int(re.search(rb"/Contents\s*(\d+) 0 R", p.obj(pg)).group(1))
text = b"BT /F1 24 Tf 72 700 Td (ISI DIUBAH) Tj ET"
p.update({c: b"<</Length %d>>stream\n%s\nendstream" % (len(text), text)})
open(sys.argv[3] + "-content.pdf", "wb").write(p.data)
p = pdfinc.Pdf(src)
cat = p.obj(p.root())
p.update({p.root(): cat.replace(b"/SigFlags 3", b"/SigFlags 1")})
open(sys.argv[3] + "-flags.pdf", "wb").write(p.data)
PY
check "$T/orig/p2.pdf" "$T/bad-content.pdf" > "$T/rc.txt" 2>&1
is "$?" 1 "revcheck refuses a revision that redraws the page"
grep -q 'FAIL: page .*: content stream .* changed' "$T/rc.txt"
ok $? "revcheck names the changed content stream"
check "$T/orig/p2.pdf" "$T/bad-flags.pdf" > "$T/rc.txt" 2>&1
is "$?" 1 "revcheck refuses a revision that changes /SigFlags"
grep -q 'FAIL: AcroForm: /SigFlags changed' "$T/rc.txt"
ok $? "revcheck names /SigFlags"
done_testing
