#!/bin/sh
# 80-mark.sh - the visual mark (QR code, barcode, image, text) inside the signed
# revision.  Every signed page is rendered (pdftoppm) and decoded (zbarimg): the QR
# code gives exactly the verification URL with the ID TTE, the barcode exactly the
# ID.  Rotated pages, odd MediaBox/CropBox origins and UserUnit, anchors, page
# selection, PDF/A inputs and a countersignature; every output passes pdfsig,
# qpdf --check and `sertel verify`.  Prints the bytes each kind adds.
. "$(dirname "$0")/../lib/e2e.sh"
pki
export SERTEL_CONFIG="$T/sertel.yaml"
URL=https://tte.example.go.id/v/
in=$T/spool/incoming/diskominfo
out=$T/spool/done/diskominfo
python3 "$ROOT/tests/lib/mkpng.py" "$T/ttd.png"
python3 "$ROOT/tests/lib/mkpdf.py" --mediabox "0 0 200 100" "$T/logo-src.pdf"
pdftoppm -jpeg -r 72 -singlefile "$T/logo-src.pdf" "$T/logo" 2>/dev/null

# marks DEFAULT-PROFILE - the test configuration with every profile, DEFAULT for all
marks() {
	config "$T/sertel.yaml"
	cat >> "$T/sertel.yaml" <<YAML
marks:
  url: "$URL{id}"
  default: $1
  signers: { "198204152008011002": ${2:-$1} }
  profiles:
    qrtext: { kinds: [qr, text] }
    qr: { kinds: [qr], width: 80, height: 80, qr_ecc: H }
    barcode: { kinds: [barcode], width: 200, height: 50 }
    image: { kinds: [image], width: 120, height: 60, image: ttd.png }
    jpeg: { kinds: [image], width: 120, height: 60, image: logo.jpg }
    text: { kinds: [text], width: 200, height: 70 }
    semua: { kinds: [qr, image, text, barcode], width: 300, height: 120, image: ttd.png,
             background: white }
    kiri_atas: { kinds: [qr, text], corner: top-left, x: 30, y: 30 }
    tiap: { kinds: [qr], page: every, width: 70, height: 70 }
    kedua: { kinds: [qr], page: 2, width: 70, height: 70 }
    anchor: { kinds: [qr, text], anchor: "\${ttd}", width: 220, height: 70 }
    cadangan: { kinds: [qr, text], anchor: "\${ttd}", anchor_missing: corner }
YAML
}

# sign NAME SIGNER [mkpdf options] - a fresh PDF into the drop folder
sign() {
	name=$1 signer=$2
	shift 2
	mkdir -p "$in"
	python3 "$ROOT/tests/lib/mkpdf.py" --text "$name $$" "$@" "$in/$name.pdf"
	sidecar "$in/$name.pdf" "$signer"
}
run() { "$SERTEL" -q run --once 2>> "$T/err.txt"; }
# decoded FILE PAGE - what zbarimg reads on the rendered page, sorted
decoded() {
	pdftoppm -r 150 -png -f "$2" -l "$2" -singlefile "$1" "$T/render" 2>/dev/null
	zbarimg --raw -q "$T/render.png" 2>/dev/null | sort
}
id_of() { grep -ao '/SertelID *([A-Z0-9]*)' "$1" | tail -1 | sed 's/.*(\(.*\))/\1/'; }
checked() {	# checked FILE WHAT - pdfsig, qpdf --check and sertel verify
	sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$1" > "$T/check.txt" 2>&1
	ok $? "$2: pdfsig valid and trusted, qpdf --check clean"
	"$SERTEL" verify "$1" > "$T/verify.txt" 2>&1
	is "$?" 0 "$2: sertel verify says intact and trusted"
}
revision() { echo $(( $(stat -c %s "$out/$1.pdf") - $(stat -c %s "$T/orig-$1.pdf") )); }
keep() { cp "$in/$1.pdf" "$T/orig-$1.pdf"; }

# --- every kind, and the bytes each adds ---------------------------------
sizes=""
for k in none qrtext qr barcode image jpeg text semua; do
	marks "$k"
	sign "k-$k" 197103012006042006
	keep "k-$k"
	run
	sizes="$sizes $k=$(revision "k-$k")"
done
base=$(revision k-none)
echo "# revision bytes:$sizes"
for k in qrtext qr barcode image jpeg text semua; do
	echo "# the $k mark adds $(( $(revision "k-$k") - base )) bytes"
done
is "$(python3 "$ROOT/tests/lib/widgets.py" "$out/k-none.pdf" | wc -l | tr -d ' ')" 0 \
	"no mark: the signature stays invisible"
for k in qrtext qr barcode image jpeg text semua; do
	checked "$out/k-$k.pdf" "kind $k"
done
id=$(id_of "$out/k-qrtext.pdf")
is "$(decoded "$out/k-qrtext.pdf" 1)" "$URL$id" "qr+text: the QR code gives exactly the URL with the ID"
pdftotext "$out/k-qrtext.pdf" - 2>/dev/null | grep -q "ID TTE: $id"
ok $? "qr+text: the text (Type 3 font with ToUnicode) is extractable and names the ID"
pdftotext "$out/k-qrtext.pdf" - 2>/dev/null | grep -q "Balai Sertifikasi Elektronik (BSrE), BSSN."
ok $? "... and carries the BSrE sentence"
is "$(pdffonts "$out/k-qrtext.pdf" 2>/dev/null | awk '/Type 3/ && $5 == "yes" { n++ } END { print n + 0 }')" 2 \
	"... in two embedded Type 3 fonts (regular, bold)"
id=$(id_of "$out/k-qr.pdf")
is "$(decoded "$out/k-qr.pdf" 1)" "$URL$id" "qr (ECC H): exactly the URL"
id=$(id_of "$out/k-barcode.pdf")
is "$(decoded "$out/k-barcode.pdf" 1)" "$id" "barcode: the Code 128 gives exactly the ID"
pdfimages -list "$out/k-image.pdf" 2>/dev/null | awk 'NR > 2 { print $3, $6 }' | sort > "$T/img.txt"
is "$(tr '\n' ' ' < "$T/img.txt")" "image rgb smask gray " "image: the PNG is there, its alpha a soft mask"
is "$(pdfimages -list "$out/k-jpeg.pdf" 2>/dev/null | awk 'NR > 2 { print $9 }')" "jpeg" \
	"jpeg: the JPEG goes in as it is (DCTDecode)"
id=$(id_of "$out/k-semua.pdf")
is "$(decoded "$out/k-semua.pdf" 1 | tr '\n' ' ')" "$id $URL$id " "all four kinds: barcode and QR both decode"

# --- where: corners, rotation, odd boxes, UserUnit, pages ------------------
marks qrtext
for r in 0 90 180 270; do
	sign "rot$r" 197103012006042006 --rotate "$r" --mediabox "100 200 700 1000" \
		--cropbox "120 230 680 980" --userunit 1.5
done
sign a4-kiri 198204152008011002
run
for r in 0 90 180 270; do
	f=$out/rot$r.pdf
	id=$(id_of "$f")
	pdftoppm -r 150 -png -singlefile "$f" "$T/render" 2>/dev/null
	is "$(zbarimg --xml -q "$T/render.png" 2>/dev/null | grep -o "orientation='[A-Z]*'><data><!\[CDATA\[[^]]*" | sed "s/><data><!\[CDATA\[/ /")" \
		"orientation='UP' $URL$id" "/Rotate $r, CropBox off the origin, UserUnit 1.5: the QR decodes upright"
	checked "$f" "/Rotate $r"
done
# the mark keeps its size in points (260 x 80 default) whatever the UserUnit and rotation
for r in 0 90; do
	set -- $(python3 "$ROOT/tests/lib/widgets.py" "$out/rot$r.pdf")
	is "$(echo "$4 $2 $5 $3" | awk '{ printf "%.0f x %.0f", ($1 - $2) * 1.5, ($3 - $4) * 1.5 }')" \
		"$([ "$r" = 0 ] && echo "260 x 80" || echo "80 x 260")" \
		"/Rotate $r: the widget is 260 x 80 points as the reader sees it"
done

marks qrtext kiri_atas
sign kiri-atas 198204152008011002
sign tiga 197103012006042006 --pages 3
run
is "$(python3 "$ROOT/tests/lib/widgets.py" "$out/kiri-atas.pdf" | cut -d' ' -f1-5)" \
	"1 30.00 731.89 290.00 811.89" "corner top-left, 30/30 points: the widget's /Rect"
is "$(python3 "$ROOT/tests/lib/widgets.py" "$out/tiga.pdf" | cut -d' ' -f1,2,3)" "3 295.28 40.00" \
	"page last (default), corner bottom-right 40/40"
marks tiap
sign tiap 197103012006042006 --pages 3
run
id=$(id_of "$out/tiap.pdf")
is "$(python3 "$ROOT/tests/lib/widgets.py" "$out/tiap.pdf" | cut -d' ' -f1 | tr '\n' ' ')" "1 2 3 " \
	"page every: a widget on each page (one signature field, three widgets)"
is "$(decoded "$out/tiap.pdf" 2)" "$URL$id" "... and each page's QR decodes (page 2)"
# poppler lists a field once per widget, and NSS only trusts the first of the repeats
is "$(pdfsig "$out/tiap.pdf" 2>/dev/null | grep -c 'Signature is Valid')" 3 \
	"page every: pdfsig finds the signature valid through each of its widgets"
qpdf --check "$out/tiap.pdf" > /dev/null 2>&1
ok $? "page every: qpdf --check clean"
"$SERTEL" verify "$out/tiap.pdf" > "$T/verify.txt" 2>&1
is "$?" 0 "page every: sertel verify says intact and trusted"
marks kedua
sign kedua 197103012006042006 --pages 3
sign pendek 197103012006042006
run
is "$(python3 "$ROOT/tests/lib/widgets.py" "$out/kedua.pdf" | cut -d' ' -f1)" 2 "page 2: on the second page"
grep -q 'kode: mark.placement' "$T/spool/failed/diskominfo/pendek.error.yaml"
ok $? "page 2 of a one-page document -> mark.placement"
grep -q 'rincian: .*tetapi dokumen hanya berisi 1 halaman' "$T/spool/failed/diskominfo/pendek.error.yaml"
ok $? "... its detail in Bahasa Indonesia, for the drafter (README, where Indonesian text lives)"

# --- anchors ----------------------------------------------------------------
marks anchor
sign jangkar 197103012006042006 --anchor '${ttd}' --anchor-at "330 180"
keep jangkar
sign tanpa-jangkar 197103012006042006
cp "$in/tanpa-jangkar.pdf" "$T/orig-tanpa-jangkar.pdf"
run
set -- $(pdftotext -bbox "$T/orig-jangkar.pdf" - 2>/dev/null | grep '\${ttd}' | grep -o '"[0-9.]*"' | tr -d '"')
anchor="$1 $(echo "841.89 - $2" | bc) $3 $(echo "841.89 - $4" | bc)"	# x0 top x1 bottom, user space
set -- $(python3 "$ROOT/tests/lib/widgets.py" "$out/jangkar.pdf")
echo "# anchor (x0 top x1 bottom): $anchor; widget /Rect: $2 $3 $4 $5"
# the top differs by the ascent each text extractor assumes (MuPDF's is taller)
echo "$anchor $2 $3 $4 $5" | awk '{ exit !($5 - 1 <= $1 && $1 <= $5 + 1 && $8 >= $2 && $8 <= $2 + 6 && $7 >= $3 && $6 <= $4) }'
ok $? "anchor: the widget hangs from the anchor's top left and covers its box"
pdftoppm -r 150 -png -singlefile "$out/jangkar.pdf" "$T/render" 2>/dev/null
pdftotext "$out/jangkar.pdf" - 2>/dev/null | grep -c 'ttd' > "$T/ttd.txt"
is "$(decoded "$out/jangkar.pdf" 1)" "$URL$(id_of "$out/jangkar.pdf")" "anchor: the QR decodes"
checked "$out/jangkar.pdf" "anchor"
grep -q 'kode: mark.anchor_missing' "$T/spool/failed/diskominfo/tanpa-jangkar.error.yaml"
ok $? "no anchor in the document -> mark.anchor_missing"
grep -q 'rincian: .*tidak ada di 1 halaman dokumen' "$T/spool/failed/diskominfo/tanpa-jangkar.error.yaml"
ok $? "... its detail in Bahasa Indonesia"
cmp -s "$T/orig-tanpa-jangkar.pdf" "$T/spool/failed/diskominfo/tanpa-jangkar.pdf"
ok $? "... and the PDF goes back untouched"
"$SERTEL" validate "$T/orig-tanpa-jangkar.pdf" "$T/spool/failed/diskominfo/tanpa-jangkar.yaml" > "$T/val.txt" 2>&1
is "$?" 1 "sertel validate reports the missing anchor before anything is dropped"
grep -q 'mark.anchor_missing' "$T/val.txt"
ok $? "... with its code"
marks cadangan
sign cadangan 197103012006042006
run
is "$(python3 "$ROOT/tests/lib/widgets.py" "$out/cadangan.pdf" | cut -d' ' -f1,2,3)" "1 295.28 40.00" \
	"anchor_missing: corner -> the corner placement instead"

# --- several signers: a countersignature gets its own mark -----------------
marks qrtext
cp "$out/k-qrtext.pdf" "$in/kontra.pdf"
sidecar "$in/kontra.pdf" 198204152008011002
run
f=$out/kontra.pdf
is "$(python3 "$ROOT/tests/lib/widgets.py" "$f" | wc -l | tr -d ' ')" 2 "countersigned: two widgets, one per signer"
python3 "$ROOT/tests/lib/widgets.py" "$f" | awk '{ y0[NR] = $3; y1[NR] = $5 } END { exit !(y1[2] <= y0[1] || y1[1] <= y0[2]) }'
ok $? "... stacked, not overlapping"
is "$(decoded "$f" 1 | wc -l | tr -d ' ')" 2 "... both QR codes decode"
is "$(decoded "$f" 1 | sed "s|$URL||" | sort | tr '\n' ' ')" \
	"$(grep -ao '/SertelID *([A-Z0-9]*)' "$f" | sed 's/.*(\(.*\))/\1/' | sort -u | tr '\n' ' ')" \
	"... each with its own signature's ID"
checked "$f" "countersignature"
grep -q 'allowed: new signature widget' "$T/verify.txt"
ok $? "sertel verify: the second widget is an allowed change to the first signature"

# --- PDF/A -------------------------------------------------------------------
marks semua
sign pdfa-rgb 197103012006042006 --pdfa RGB
sign pdfa-cmyk 197103012006042006 --pdfa CMYK
sign pdfa-gray 197103012006042006 --pdfa GRAY
run
for k in rgb cmyk gray; do
	f=$out/pdfa-$k.pdf
	pdfimages -list "$f" 2>/dev/null | awk 'NR > 2 { print $3, $6 }' > "$T/img.txt"
	is "$(cat "$T/img.txt")" "image $k" "PDF/A, output intent $k: the image is $k, flattened (no soft mask)"
	grep -aq 'pdfaid:part' "$f" && ! grep -aq '/SMask\|/CA \|/ca \|/BM' "$f"
	ok $? "... the PDF/A claim stays, the file has no transparency"
	[ -z "$(pdfinfo "$f" 2>/dev/null | sed -n 's/^ModDate: *//p')" ]
	ok $? "... Info keeps agreeing with the XMP: no new /ModDate (the time is in /M)"
	id=$(id_of "$f")
	is "$(decoded "$f" 1 | tr '\n' ' ')" "$id $URL$id " "... barcode and QR decode"
	"$SERTEL" verify "$f" > "$T/verify.txt" 2>&1
	is "$?" 0 "... sertel verify: intact and trusted"
done
# PDF/A claimed without an output intent: 83-mark-pdfa.sh

# --- configuration mistakes are caught at start-up ------------------------------
config "$T/bad.yaml"
cat >> "$T/bad.yaml" <<YAML
marks:
  default: x
  profiles:
    x: { kinds: [qr, ttd], image: nope.png }
YAML
"$SERTEL" --config "$T/bad.yaml" config check > "$T/bad.txt" 2>&1
is "$?" 78 "a wrong marks: section stops sertel (exit 78)"
grep -q "bad.yaml:.*marks.profiles.x.kinds: unknown kind 'ttd'" "$T/bad.txt"
ok $? "... naming the file, line and field"

! grep -q 'AddressSanitizer\|runtime error' "$T/err.txt"
ok $? "no sanitizer reports"
done_testing
