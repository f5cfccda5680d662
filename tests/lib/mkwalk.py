#!/usr/bin/env python3
"""mkwalk.py - small PDFs whose object graphs are DAGs that a naive tree walk
visits exponentially often (stdlib only).

  mkwalk.py fields N OUT.pdf [--ft Tx|Sig]
        the form's field tree lists the same child twice at every level: /Fields
        [F0 F0], F(i) /Kids [F(i+1) F(i+1)], N levels, one widget at the bottom
        (on page 1): 2^N paths to it, N+1 field objects, about 2.5 KB for N=26
  mkwalk.py pages N OUT.pdf [--count honest|lie]
        the page tree lists one /Pages node twice at every level: P(i) /Kids
        [P(i+1) P(i+1)], N levels, one page at the bottom.  honest: every /Count
        says 2^(N-i) (the tree claims 2^N pages, all the same object); lie: the
        root says /Count 1
  mkwalk.py annots M OUT.pdf [--in-fields]
        page 1's /Annots lists the same widget (a text field) M times; with
        --in-fields the form's /Fields lists it M times too
  mkwalk.py cycle N OUT.pdf
        a /Kids cycle in the field tree: F(N-1) /Kids [F0 ...], besides a widget
  mkwalk.py flat N OUT.pdf
        a valid document of N pages in one flat /Kids array, all drawing the same
        content stream (a lookup by page number that walks the /Kids from the
        start is quadratic over all pages)
  Common: --text "..." (the page's text), --anchor TEXT (a second line, e.g. ${ttd})

Every file is otherwise valid (classic xref table, one content stream), so a
reader that visits each object once opens it at once.
"""
import argparse
import sys

FONT = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"


def pdf_str(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def content(opts):
    ops = "BT /F1 12 Tf 72 760 Td %s Tj ET" % pdf_str(opts.text)
    if opts.anchor:
        ops += "\nBT /F1 12 Tf 360 200 Td %s Tj ET" % pdf_str(opts.anchor)
    data = ops.encode("latin-1", "replace")
    return b"<</Length %d>>\nstream\n%s\nendstream" % (len(data), data)


def page(parent, font, cont, annots=b""):
    return (b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 595.276 841.89]"
            b"/Resources<</Font<</F1 %d 0 R>>>>/Contents %d 0 R%s>>" % (parent, font, cont, annots))


def widget(parent_or_ft, pg, name=b"leaf"):
    """A widget: the kid of field parent (an int) or a field itself (an FT name)."""
    if isinstance(parent_or_ft, int):
        head = b"/Parent %d 0 R/T(%s)" % (parent_or_ft, name)
    else:
        head = b"/FT/%s/T(%s)" % (parent_or_ft, name)
    return (b"<</Type/Annot/Subtype/Widget%s/Rect[72 600 300 620]/F 4/P %d 0 R"
            b"/DA(/Helv 10 Tf 0 g)>>" % (head, pg))


def form(fields, font):
    return (b"<</Fields[%s]/DA(/Helv 0 Tf 0 g)/DR<</Font<</Helv %d 0 R>>>>>>"
            % (b" ".join(b"%d 0 R" % f for f in fields), font))


def build(opts):
    objs = {}
    n = [0]

    def new():
        n[0] += 1
        return n[0]

    cat, pages, font, cont = new(), new(), new(), new()
    objs[font] = FONT
    objs[cont] = content(opts)
    acro = b""
    if opts.kind in ("fields", "cycle"):
        pg = new()
        chain = [new() for _ in range(opts.n)]
        leaf = new()
        objs[pages] = b"<</Type/Pages/Kids[%d 0 R]/Count 1>>" % pg
        objs[pg] = page(pages, font, cont, b"/Annots[%d 0 R]" % leaf)
        for i, f in enumerate(chain):
            head = b"/FT/%s" % opts.ft.encode() if i == 0 else b"/Parent %d 0 R" % chain[i - 1]
            nxt = chain[i + 1] if i + 1 < len(chain) else leaf
            if opts.kind == "fields":
                kids = b"%d 0 R %d 0 R" % (nxt, nxt)
            elif i + 1 < len(chain):
                kids = b"%d 0 R" % nxt
            else:
                kids = b"%d 0 R %d 0 R" % (nxt, chain[0])   # back to the top
            objs[f] = b"<<%s/T(f%d)/Kids[%s]>>" % (head, i, kids)
        objs[leaf] = widget(chain[-1], pg)
        top = [chain[0], chain[0]] if opts.kind == "fields" else [chain[0]]
        acro = b"/AcroForm" + form(top, font)
    elif opts.kind == "pages":
        chain = [pages] + [new() for _ in range(opts.n - 1)]
        pg = new()
        for i, p in enumerate(chain):
            nxt = chain[i + 1] if i + 1 < len(chain) else pg
            count = 1 << (opts.n - i)
            if opts.count == "lie" and i == 0:
                count = 1
            parent = b"/Parent %d 0 R" % chain[i - 1] if i else b""
            objs[p] = b"<</Type/Pages%s/Kids[%d 0 R %d 0 R]/Count %d>>" % (parent, nxt, nxt, count)
        objs[pg] = page(chain[-1], font, cont)
    elif opts.kind == "flat":
        pgs = [new() for _ in range(opts.n)]
        objs[pages] = b"<</Type/Pages/Kids[%s]/Count %d>>" % (
            b" ".join(b"%d 0 R" % p for p in pgs), opts.n)
        for p in pgs:
            objs[p] = page(pages, font, cont)
    else:  # annots
        pg = new()
        w = new()
        refs = b" ".join([b"%d 0 R" % w] * opts.n)
        objs[pages] = b"<</Type/Pages/Kids[%d 0 R]/Count 1>>" % pg
        objs[pg] = page(pages, font, cont, b"/Annots[%s]" % refs)
        objs[w] = widget(b"Tx", pg, b"nomor_surat")
        acro = b"/AcroForm<</Fields[%s]/DA(/Helv 0 Tf 0 g)/DR<</Font<</Helv %d 0 R>>>>>>" % (
            refs if opts.in_fields else b"%d 0 R" % w, font)
    objs[cat] = b"<</Type/Catalog/Pages %d 0 R%s>>" % (pages, acro)

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for num in sorted(objs):
        offs[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objs[num])
    xref = len(out)
    size = n[0] + 1
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % size
    out += b"".join(b"%010d 00000 n\r\n" % offs[i] for i in range(1, size))
    out += b"trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, cat, xref)
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description="PDFs whose trees repeat a child at every level")
    ap.add_argument("kind", choices=("fields", "pages", "annots", "cycle", "flat"))
    ap.add_argument("n", type=int, help="levels (fields, pages, cycle), repeats (annots) or pages (flat)")
    ap.add_argument("output")
    ap.add_argument("--ft", choices=("Tx", "Sig"), default="Tx")
    ap.add_argument("--count", choices=("honest", "lie"), default="honest")
    ap.add_argument("--in-fields", action="store_true")
    ap.add_argument("--text", default="Surat Keputusan Bupati Musi Rawas")
    ap.add_argument("--anchor")
    opts = ap.parse_args()
    if opts.n < 1:
        ap.error("N must be at least 1")
    with open(opts.output, "wb") as f:
        f.write(build(opts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
