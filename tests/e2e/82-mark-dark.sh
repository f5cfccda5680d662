#!/bin/sh
# 82-mark-dark.sh - the mark reads on a page painted black (mkhostile.py
# dark-page): by default its box is opaque white, so the text block (black)
# reads beside the QR code (which zbarimg reads): most of the box renders light.
# `background: none` opts out: only the QR code's own white backing is light,
# the text is black on black.  Before issue 13 the default was none: 17% of
# the box was light and the text invisible.
. "$(dirname "$0")/../lib/e2e.sh"
pki
export SERTEL_CONFIG="$T/sertel.yaml"
URL=https://tte.example.go.id/v/
in=$T/spool/incoming/diskominfo
out=$T/spool/done/diskominfo
# marks [BACKGROUND-LINE] - the standard QR + text mark, 260 x 80 pt at 40/40 from bottom-right
marks() {
	config "$T/sertel.yaml"
	cat >> "$T/sertel.yaml" <<YAML
marks:
  url: "$URL{id}"
  default: standar
  profiles:
    standar: { kinds: [qr, text]$1 }
YAML
}
# signed NAME - NAME.pdf (a page painted black) through the pipeline; the signed file
signed() {
	mkdir -p "$in"
	python3 "$ROOT/tests/lib/mkhostile.py" make dark-page "$in/$1.pdf"
	sidecar "$in/$1.pdf"
	"$SERTEL" -q run --once 2>> "$T/err.txt"
	[ -f "$out/$1.pdf" ]
	ok $? "$1: signed"
}
# light FILE - the share of light pixels in the mark's box on the rendered page (72 dpi)
light() {
	pdftoppm -r 72 -gray -f 1 -l 1 -singlefile "$1" "$T/page" 2>/dev/null
	python3 - "$T/page.pgm" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
# P5 width height maxval, then the pixels
parts = d.split(maxsplit=4)
w, h = int(parts[1]), int(parts[2])
px = parts[4]
# the box: 260 x 80 pt, 40 pt from the right and the bottom (1 px = 1 pt at 72 dpi)
x0, x1, y0, y1 = w - 40 - 260, w - 40, h - 40 - 80, h - 40
n = sum(1 for y in range(y0 + 2, y1 - 2) for x in range(x0 + 2, x1 - 2) if px[y * w + x] > 200)
print(int(100 * n / ((x1 - x0 - 4) * (y1 - y0 - 4))))
PY
}
decoded() {
	pdftoppm -r 150 -png -f 1 -l 1 -singlefile "$1" "$T/render" 2>/dev/null
	zbarimg --raw -q "$T/render.png" 2>/dev/null
}

marks ""
signed gelap
got=$(decoded "$out/gelap.pdf")
case $got in "$URL"*) r=0 ;; *) r=1 ;; esac
ok $r "default background: zbarimg reads the QR code on the black page ($got)"
pct=$(light "$out/gelap.pdf")
ok "$([ "$pct" -ge 60 ]; echo $?)" "default background: the mark's box is light ($pct% of its pixels)"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$out/gelap.pdf" > "$T/check.txt" 2>&1
ok $? "pdfsig and qpdf --check accept it"

marks ", background: none"
signed tembus
pct=$(light "$out/tembus.pdf")
ok "$([ "$pct" -lt 20 ]; echo $?)" "background: none: the mark's box stays dark ($pct% light)"
done_testing
