#!/bin/sh
# mkproducers.sh DIR - the same one-page letter as the producers a district
# office meets write it, each as DIR/NAME.pdf (issue 13: "sign every real
# document that is sound").  Prints one line per file: NAME WHAT.
#
#   gs14, gs17, gs-pdfa2b   Ghostscript pdfwrite from PostScript: PDF 1.4,
#                           PDF 1.7, PDF/A-2b (with its sRGB output intent)
#   cairo                   poppler's pdftocairo -pdf (cairo's PDF surface)
#   qpdf-objstm, qpdf-lin,  qpdf rewrites: object streams, linearized,
#   qpdf-qdf                QDF (uncompressed, annotated)
#   mutool-clean            mutool clean -gggg (garbage-collected, renumbered)
#   mutool-create           mutool create from a content stream
#   reportlab               ReportLab (python3-reportlab, Debian's python)
#   soffice                 LibreOffice Writer, only when soffice is installed
#                           (too big for CI: not in install-deps.sh)
set -eu
[ $# -eq 1 ] || { echo "usage: mkproducers.sh DIR" >&2; exit 2; }
out=$1
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkproducers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# The letter, as PostScript: a letterhead rule, a title, body text, a table.
cat > "$tmp/letter.ps" <<'PS'
%!PS-Adobe-3.0
%%BoundingBox: 0 0 595 842
<< /PageSize [595 842] >> setpagedevice
/Helvetica-Bold findfont 14 scalefont setfont
72 780 moveto (PEMERINTAH KABUPATEN MUSI RAWAS) show
2 setlinewidth 72 770 moveto 523 770 lineto stroke
/Helvetica findfont 11 scalefont setfont
72 740 moveto (Nomor: 800/123/DISKOMINFO/2026) show
72 720 moveto (Perihal: Undangan rapat koordinasi) show
72 690 moveto (Dengan hormat, bersama ini kami mengundang Bapak/Ibu untuk hadir) show
72 675 moveto (pada rapat koordinasi penandatanganan elektronik.) show
0.5 setlinewidth
72 560 451 80 rectstroke 72 600 moveto 523 600 lineto stroke 250 560 moveto 250 640 lineto stroke
80 620 moveto (Hari/tanggal) show 260 620 moveto (Senin, 7 Desember 2026) show
80 580 moveto (Tempat) show 260 580 moveto (Ruang rapat Diskominfo) show
showpage
PS

gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -dCompatibilityLevel=1.4 \
	-o "$out/gs14.pdf" "$tmp/letter.ps"
echo "gs14 Ghostscript pdfwrite, PDF 1.4"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -dCompatibilityLevel=1.7 \
	-o "$out/gs17.pdf" "$tmp/letter.ps"
echo "gs17 Ghostscript pdfwrite, PDF 1.7"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -dPDFA=2 -dPDFACompatibilityPolicy=1 \
	-sColorConversionStrategy=RGB -o "$out/gs-pdfa2b.pdf" "$tmp/letter.ps"
echo "gs-pdfa2b Ghostscript pdfwrite, PDF/A-2b"

pdftocairo -pdf "$out/gs17.pdf" "$out/cairo.pdf"
echo "cairo pdftocairo -pdf"

qpdf --object-streams=generate "$out/gs17.pdf" "$out/qpdf-objstm.pdf"
echo "qpdf-objstm qpdf --object-streams=generate"
qpdf --linearize "$out/gs17.pdf" "$out/qpdf-lin.pdf"
echo "qpdf-lin qpdf --linearize"
qpdf --qdf "$out/gs17.pdf" "$out/qpdf-qdf.pdf"
echo "qpdf-qdf qpdf --qdf"

mutool clean -gggg "$out/gs17.pdf" "$out/mutool-clean.pdf" 2>/dev/null
echo "mutool-clean mutool clean -gggg"
cat > "$tmp/page.txt" <<'PAGE'
%%MediaBox 0 0 595 842
%%Font F1 Helvetica
BT /F1 14 Tf 72 780 Td (PEMERINTAH KABUPATEN MUSI RAWAS) Tj ET
2 w 72 770 m 523 770 l S
BT /F1 11 Tf 72 740 Td (Nomor: 800/123/DISKOMINFO/2026) Tj 0 -20 Td (Perihal: Undangan rapat koordinasi) Tj ET
0.5 w 72 560 451 80 re S
PAGE
mutool create -o "$out/mutool-create.pdf" "$tmp/page.txt" 2>/dev/null
echo "mutool-create mutool create"

# ReportLab is Debian's python3-reportlab: Debian's own python, not a venv's
/usr/bin/python3 - "$out/reportlab.pdf" <<'PY'
import sys
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
c = canvas.Canvas(sys.argv[1], pagesize=A4)
c.setFont("Helvetica-Bold", 14)
c.drawString(72, 780, "PEMERINTAH KABUPATEN MUSI RAWAS")
c.setLineWidth(2)
c.line(72, 770, 523, 770)
c.setFont("Helvetica", 11)
c.drawString(72, 740, "Nomor: 800/123/DISKOMINFO/2026")
c.drawString(72, 720, "Perihal: Undangan rapat koordinasi")
c.setLineWidth(0.5)
c.rect(72, 560, 451, 80)
c.showPage()
c.save()
PY
echo "reportlab ReportLab canvas"

if command -v soffice >/dev/null 2>&1; then
	printf 'PEMERINTAH KABUPATEN MUSI RAWAS\nNomor: 800/123/DISKOMINFO/2026\n' > "$tmp/surat.txt"
	soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/surat.txt" >/dev/null 2>&1 &&
		mv "$tmp/surat.pdf" "$out/soffice.pdf" && echo "soffice LibreOffice Writer"
fi
exit 0
