#!/bin/sh
# 83-mark-pdfa.sh - a document that claims PDF/A (XMP pdfaid:part) but has no output
# intent is signed with its mark, and the claim stays as true as it was: the mark is
# gray only (DeviceGray; its image converted to gray, flattened), and every form of
# its appearance sets DefaultGray to an ICCBased Gray profile, which makes that gray
# device-independent (ISO 19005-2 6.2.4.3); sertel adds no output intent.  Checked
# with pdfsig, qpdf --check and qpdf --json (tests/lib/defaultgray.py), the profile
# with LittleCMS's transicc when installed.  Before issue 13 these were refused
# (mark.pdfa).
. "$(dirname "$0")/../lib/e2e.sh"
pki
export SERTEL_CONFIG="$T/sertel.yaml"
URL=https://tte.example.go.id/v/
in=$T/spool/incoming/diskominfo
out=$T/spool/done/diskominfo
python3 "$ROOT/tests/lib/mkpng.py" "$T/ttd.png"
config "$T/sertel.yaml"
cat >> "$T/sertel.yaml" <<YAML
marks:
  url: "$URL{id}"
  default: semua
  profiles:
    semua: { kinds: [qr, image, text, barcode], width: 300, height: 120, image: ttd.png }
    qrtext: { kinds: [qr, text] }
YAML
mkdir -p "$in"
python3 "$ROOT/tests/lib/mkpdf.py" --text "pdfa $$" --pdfa NOINTENT "$in/tanpa.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" --text "pdfa 2 $$" --pages 2 --pdfa NOINTENT "$in/tanpa2.pdf"
sidecar "$in/tanpa.pdf" 197103012006042006
sidecar "$in/tanpa2.pdf" 197103012006042006
"$SERTEL" -q run --once 2>> "$T/err.txt"

f=$out/tanpa.pdf
[ -f "$f" ]
ok $? "PDF/A claimed, no output intent: signed (was refused with mark.pdfa)"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$f" > "$T/check.txt" 2>&1
ok $? "... pdfsig valid and trusted, qpdf --check clean"
python3 "$ROOT/tests/lib/defaultgray.py" "$f" "$T/gray.icc" > "$T/dg.txt" 2>&1
ok $? "... no /OutputIntents; the appearance and its forms set DefaultGray [/ICCBased Gray /N 1]"
is "$(grep -c 'DefaultGray ICC Gray' "$T/dg.txt")" 1 "... one widget checked"
grep -aq 'pdfaid:part' "$f" && ! grep -aq '/SMask\|/CA \|/ca \|/BM\|/DeviceRGB\|/DeviceCMYK' "$f"
ok $? "... the claim stays; no transparency, no RGB or CMYK anywhere in the file"
# poppler paints a DeviceGray image in the DefaultGray in force: "icc", not "gray"
is "$(pdfimages -list "$f" 2>/dev/null | awk 'NR > 2 { print $3, $6 }')" "image icc" \
	"... the image is gray under DefaultGray (pdfimages: icc), with no soft mask"
is "$(pdffonts "$f" 2>/dev/null | awk '/Type 3/ && $5 == "yes" { n++ } END { print n + 0 }')" 2 \
	"... the mark's two fonts embedded"
"$SERTEL" verify "$f" > "$T/verify.txt" 2>&1
is "$?" 0 "... sertel verify: intact and trusted"
if command -v transicc >/dev/null; then
	# 128 of 255 under gamma 2.2 is L* 54 (a profile LittleCMS cannot read gives none)
	l=$(echo 128 | transicc -i "$T/gray.icc" -o '*Lab' 2>&1 | sed -n 's/^L\*=\([0-9]*\).*/\1/p')
	is "$l" 53 "... LittleCMS reads the embedded profile: gray 128 is L* 53.99"
else
	ok 0 "# SKIP transicc (liblcms2-utils) not installed"
fi
pdftoppm -r 150 -png -singlefile "$f" "$T/render" 2>/dev/null
id=$(grep -ao '/SertelID *([A-Z0-9]*)' "$f" | tail -1 | sed 's/.*(\(.*\))/\1/')
is "$(zbarimg --raw -q "$T/render.png" 2>/dev/null | sort | tr '\n' ' ')" "$id $URL$id " \
	"... barcode and QR decode"

f=$out/tanpa2.pdf
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$f" > "$T/check2.txt" 2>&1 &&
	python3 "$ROOT/tests/lib/defaultgray.py" "$f" > "$T/dg2.txt" 2>&1
ok $? "two pages: signed, checked, DefaultGray set"
done_testing
