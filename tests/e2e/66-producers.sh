#!/bin/sh
# 66-producers.sh - the same letter as the producers a district office meets
# write it (tests/lib/mkproducers.sh: Ghostscript 1.4/1.7/PDF-A-2b, cairo,
# qpdf object streams/linearized/QDF, mutool clean/create, ReportLab, and
# LibreOffice when installed) goes through the spool: every one is signed,
# pdfsig finds the signature valid and trusted, qpdf --check is clean,
# pdftoppm renders the signed page and zbarimg decodes the mark's QR code.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
URL=https://tte.example.go.id/v/
cat >> "$T/sertel.yaml" <<YAML
marks:
  url: "$URL{id}"
  default: qrtext
  profiles:
    qrtext: { kinds: [qr, text] }
YAML
in=$T/spool/incoming/diskominfo
sh "$ROOT/tests/lib/mkproducers.sh" "$in" > "$T/producers.txt"
ok $? "mkproducers.sh wrote $(wc -l < "$T/producers.txt" | tr -d ' ') letters"
command -v soffice >/dev/null 2>&1 || echo "# soffice not installed: no LibreOffice letter"
for f in "$in"/*.pdf; do sidecar "$f"; done

timeout 300 "$SERTEL" -q run --once > "$T/run.txt" 2> "$T/err.txt"
is "$?" 0 "run --once: exit 0 (every letter signed)"
done_=$T/spool/done/diskominfo
fail=$T/spool/failed/diskominfo
while read -r name what; do
	out=$done_/$name.pdf
	if [ ! -f "$out" ]; then
		ok 1 "$name ($what): signed"
		sed 's/^/# /' "$fail/$name.error.yaml" 2>/dev/null | grep 'kode\|rincian'
		continue
	fi
	sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$out" > "$T/check.txt" 2>&1
	rc=$?
	ok $rc "$name ($what): signed; pdfsig valid and trusted, qpdf --check clean"
	[ $rc -eq 0 ] || sed 's/^/# /' "$T/check.txt" | head -8
	rm -f "$T/render.png"
	pdftoppm -r 150 -png -f 1 -l 1 -singlefile "$out" "$T/render" 2>/dev/null
	ok $? "$name: pdftoppm renders the signed page"
	qr=$(zbarimg --raw -q "$T/render.png" 2>/dev/null | head -1)
	case $qr in "$URL"?*) ok 0 "$name: zbarimg decodes the mark's QR code ($qr)" ;;
	*) ok 1 "$name: zbarimg decodes the mark's QR code (got '$qr')" ;; esac
done < "$T/producers.txt"
done_testing
