#!/usr/bin/env python3
"""mkbig.py OUT [PAGES] [KIB-PER-PAGE] - a large, valid PDF: PAGES pages, each
drawing a little text and carrying an incompressible (random, /Filter-less)
stream of KIB-PER-PAGE KiB in its resources, so the file is big for real.
Written with a classic xref table.  Defaults: 500 pages x 200 KiB (~100 MB)."""
import os
import sys

out = sys.argv[1]
pages = int(sys.argv[2]) if len(sys.argv) > 2 else 500
kib = int(sys.argv[3]) if len(sys.argv) > 3 else 200
offsets = {}
with open(out, "wb") as f:
    def obj(num, body):
        offsets[num] = f.tell()
        f.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    def stream(num, data, extra=b""):
        offsets[num] = f.tell()
        f.write(b"%d 0 obj\n<</Length %d%s>>\nstream\n" % (num, len(data), extra))
        f.write(data)
        f.write(b"\nendstream\nendobj\n")

    f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    # 1 catalog, 2 pages, 3 font; page i uses 4+3i (page), 5+3i (content), 6+3i (blob)
    kids = b" ".join(b"%d 0 R" % (4 + 3 * i) for i in range(pages))
    obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    obj(2, b"<</Type/Pages/Count %d/Kids[%s]>>" % (pages, kids))
    obj(3, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")
    for i in range(pages):
        p, c, b = 4 + 3 * i, 5 + 3 * i, 6 + 3 * i
        obj(p, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents %d 0 R"
               b"/Resources<</Font<</F1 3 0 R>>/XObject<</B %d 0 R>>>>>>" % (c, b))
        stream(c, b"BT /F1 12 Tf 72 770 Td (Halaman %d dari %d) Tj ET" % (i + 1, pages))
        # an unused form XObject holding random bytes: size without rendering cost
        stream(b, os.urandom(kib * 1024), b"/Type/XObject/Subtype/Form/BBox[0 0 1 1]")
    size = 4 + 3 * pages
    xref = f.tell()
    f.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for n in range(1, size):
        f.write(b"%010d 00000 n \n" % offsets[n])
    f.write(b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
