#!/usr/bin/env python3
"""mkhostile.py - one small hostile PDF per class that must be refused (issue 13),
and the sound-but-unusual documents that must still be signed (stdlib only).

  mkhostile.py list                 every case: NAME OUTCOME (refuse:CODE or sign)
  mkhostile.py make NAME OUT.pdf    write one case
  mkhostile.py all DIR              write every case to DIR/NAME.pdf

Every hostile file is otherwise well formed (classic xref table, right
offsets), so only the one defect named below decides its outcome:

  contents-loop   page 1's /Contents is an array that contains itself
  xobject-loop    a dictionary reference cycle a viewer follows: the page's
                  resources name a form XObject whose resources are the page's
                  own, and its content draws it again
  xobject-dag     no loop, but form XObjects 26 levels deep, each drawing the
                  next twice: 2^26 draws of a 1.7 KB file (pdf.bomb: a page's
                  drawing budget)
  dict-cycle      a dictionary reference cycle that is not an XObject: a
                  widget's /Parent is a field whose /Parent is the widget
                  (viewers follow /Parent for the field's name and its
                  inherited /FT, /V, /DA)
  outline-cycle   the bookmarks' /Next chain comes back to its first item
                  (viewers follow it to show the bookmarks panel, which
                  /PageMode /UseOutlines opens)
  pattern-loop    a tiling pattern whose cell paints with itself
  deep-tree       a page tree 1000 levels deep, one page at the bottom:
                  MuPDF's viewer gives up at 100 levels, qpdf --check
                  crashes at 50,000 (pdf.loop: nesting budget)
  deep-nesting    an object that is an array nested 100,000 deep (MuPDF
                  stops at its exception stack; recursive readers overflow)
  jbig2-bomb      a 65536 x 65536 JBIG2 image drawn on the page: a generic
                  region of "typical" rows, 60 bytes that make the decoder
                  allocate 1 GiB of bitmaps before it gives out a byte
                  (tests/lib/jbig2.py encodes it)
  jbig2-outside   a JBIG2 image on an A4 page at 300 dpi whose region is
                  133,552 pixels wide: 58 MiB that jbig2dec decodes pixel by
                  pixel and clips away (the fuzzer's find: 5 s for 72 bytes;
                  pdf.bomb: a region past its page)
  jbig2-many      16 JBIG2 images of an A3 page at 600 dpi each, 278 MiB of
                  bitmaps in all (pdf.bomb: the document's JBIG2 budget)
  inline-bomb     the same JBIG2 data as an inline image (BI ... ID ... EI)
                  in the page's content: MuPDF unpacks it into a 4 GiB pixmap
                  when it runs the content (pdf.bomb: counted from the image's
                  dictionary before the run)
  draw-spread     40 pages, each with its own content drawing a 19-level
                  form XObject DAG: 2^19 forms run and 2^18 fills a page,
                  under the page's budget, 30 million for the document
                  (pdf.bomb: the document's drawing budget)
  form-dag        one page drawing a 17-level form XObject DAG: 131,071
                  forms run and 65,536 fills, under both drawing budgets,
                  yet a second of a worker's time for a 3.4 KB file
                  (pdf.bomb: the document's budget of forms run)
  annot-flood     page 1 lists one annotation 1,100,000 times: a viewer runs
                  its appearance as often (pdf.bomb: objects visited)
  prev-loop       an incremental update whose trailer /Prev points at itself
  type3-loop      a Type 3 font whose glyph draws with a Type 3 font that draws
                  the first
  flate-bomb      a content stream under /FlateDecode /FlateDecode: 300 bytes
                  that inflate to 256 MiB
  flate-error     a content stream whose deflate data is broken mid-way
  lzw-badcode     a content stream under /LZWDecode with a code not yet defined
  undecodable     a content stream under a filter no reader knows
  bad-font        an embedded TrueType font (/FontFile2) that is not a font
  short-length    a stream whose /Length is shorter than its data: readers that
                  trust /Length and readers that look for endstream show
                  different pages
  stream-eol      bytes after the `stream` keyword that are not an end of line
  xref-comment    the xref offset of the page's content points into a comment
                  ("%4 0 obj ..."): a reader that scans the file sees another
                  content stream than one that follows the offset
  xref-huge       an incremental update whose xref names object 8,000,000 (a
                  2 KB file: a reader builds a table entry for every number
                  below it, and a check that visits each number runs 8
                  million times)
  cert-repair     a signature field whose /Cert lists two strings; the xref
                  entry of the second points at the first's bytes (a repair
                  on loading it), and the first is written again, longer,
                  after it: a repair while /Cert is read makes the first
                  another string than the one counted (sertel verify copied
                  the longer one into a buffer sized for the shorter:
                  heap-buffer-overflow)

Sound but unusual (must sign): shared-forms (2000 pages sharing one
resource dictionary of 2000 form XObjects: a check that walks the forms
again for every page does 4 million walks), jbig2-scan (an A4 page scanned
at 300 dpi as JBIG2, as scanners write it: the JBIG2 budget must let it
through), inline-image (a small inline image, with strings, a comment and
binary data around it, that must not be taken for a bomb), pdf20 (a PDF 2.0 header, /Version 2.0),
many-updates (20 incremental updates), box-offset (a media box not at the
origin with a crop box inside it), dark-page (the whole page painted black,
white text: a mark must stay readable on it); tests/e2e/65-hostile.sh adds mkpdf.py's
rotated, UserUnit, object-stream and hybrid files, a form, a signed file and a
linearized one (qpdf --linearize).
"""
import sys
import zlib

from jbig2 import blank_page

FONT = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"
TEXT = b"BT /F1 12 Tf 72 760 Td (Surat Keputusan Bupati Musi Rawas) Tj ET"

CASES = [
    ("contents-loop", "refuse:pdf.loop"),
    ("xobject-loop", "refuse:pdf.loop"),
    ("xobject-dag", "refuse:pdf.bomb"),
    ("dict-cycle", "refuse:pdf.loop"),
    ("outline-cycle", "refuse:pdf.loop"),
    ("pattern-loop", "refuse:pdf.loop"),
    ("deep-tree", "refuse:pdf.loop"),
    ("deep-nesting", "refuse:pdf.loop"),
    ("jbig2-bomb", "refuse:pdf.bomb"),
    ("inline-bomb", "refuse:pdf.bomb"),
    ("jbig2-outside", "refuse:pdf.bomb"),
    ("jbig2-many", "refuse:pdf.bomb"),
    ("draw-spread", "refuse:pdf.bomb"),
    ("form-dag", "refuse:pdf.bomb"),
    ("annot-flood", "refuse:pdf.bomb"),
    ("prev-loop", "refuse:pdf.loop"),
    ("type3-loop", "refuse:pdf.loop"),
    ("flate-bomb", "refuse:pdf.bomb"),
    ("flate-error", "refuse:pdf.corrupt"),
    ("lzw-badcode", "refuse:pdf.corrupt"),
    ("undecodable", "refuse:pdf.corrupt"),
    ("bad-font", "refuse:pdf.corrupt"),
    ("short-length", "refuse:pdf.ambiguous"),
    ("stream-eol", "refuse:pdf.ambiguous"),
    ("xref-comment", "refuse:pdf.ambiguous"),
    ("xref-huge", "refuse:pdf.corrupt"),
    ("cert-repair", "refuse:pdf.corrupt"),
    ("shared-forms", "sign"),
    ("jbig2-scan", "sign"),
    ("inline-image", "sign"),
    ("pdf20", "sign"),
    ("many-updates", "sign"),
    ("box-offset", "sign"),
    ("dark-page", "sign"),
]


def stream(data, extra=b""):
    return b"<<%s/Length %d>>\nstream\n%s\nendstream" % (extra, len(data), data)


def page(res=b"<</Font<</F1 3 0 R>>>>", contents=b"4 0 R", box=b"[0 0 595.276 841.89]", more=b""):
    return b"<</Type/Page/Parent 2 0 R/MediaBox%s/Resources%s/Contents %s%s>>" % (
        box, res, contents, more)


def base():
    """1 catalog, 2 pages, 3 font, 4 content, 5 page."""
    return {1: b"<</Type/Catalog/Pages 2 0 R>>",
            2: b"<</Type/Pages/Kids[5 0 R]/Count 1>>",
            3: FONT,
            4: stream(TEXT),
            5: page()}


def write(objs, header=b"%PDF-1.7", raw=None, offsets=None):
    """A classic-xref file; raw[num] replaces 'N 0 obj ... endobj' verbatim,
    offsets[num] = (marker) points the entry at that marker instead."""
    out = bytearray(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for num in sorted(objs):
        offs[num] = len(out)
        if raw and num in raw:
            out += raw[num]
        else:
            out += b"%d 0 obj\n%s\nendobj\n" % (num, objs[num])
    if offsets:
        for num, marker in offsets.items():
            offs[num] = bytes(out).index(marker)
    size = max(objs) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % size
    for i in range(1, size):
        out += b"%010d 00000 n\r\n" % offs[i] if i in offs else b"0000000000 65535 f\r\n"
    out += b"trailer\n<</Size %d/Root 1 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, b"ab" * 16, b"ab" * 16, xref)
    return bytes(out)


def update(data, objs, prev_self=False):
    """Append an incremental update replacing objs; /Prev the previous xref
    (or, with prev_self, this update's own xref)."""
    prev = int(data[data.rindex(b"startxref") + 9:].split()[0])
    size = max(int(data[data.index(b"/Size") + 5:].split(b"/")[0].split()[0]), max(objs) + 1)
    out = bytearray(data)
    offs = {}
    for num in sorted(objs):
        offs[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objs[num])
    xref = len(out)
    out += b"xref\n"
    for num in sorted(objs):
        out += b"%d 1\n%010d 00000 n\r\n" % (num, offs[num])
    out += b"trailer\n<</Size %d/Root 1 0 R/Prev %d/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, xref if prev_self else prev, b"ab" * 16, b"ab" * 16, xref)
    return bytes(out)


def lzw_encode_codes(codes, width=9):
    """Pack 9-bit codes MSB first (enough for the few codes used here)."""
    bits = "".join(format(c, "0%db" % width) for c in codes)
    bits += "0" * (-len(bits) % 8)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


def make(name):
    o = base()
    if name == "contents-loop":
        o[6] = b"[4 0 R 6 0 R]"
        o[5] = page(contents=b"6 0 R")
        return write(o)
    if name == "xobject-loop":
        o[6] = b"<</Font<</F1 3 0 R>>/XObject<</X1 7 0 R>>>>"
        o[7] = stream(b"q /X1 Do Q " + TEXT, b"/Type/XObject/Subtype/Form/BBox[0 0 595 842]/Resources 6 0 R")
        o[4] = stream(b"/X1 Do")
        o[5] = page(res=b" 6 0 R")
        return write(o)
    if name == "dict-cycle":
        o[1] = b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]>>>>"
        o[6] = b"<</T(surat)/FT/Tx/Kids[7 0 R]/Parent 7 0 R>>"
        o[7] = b"<</Type/Annot/Subtype/Widget/Rect[72 600 200 620]/P 5 0 R/Parent 6 0 R/T(nomor)>>"
        o[5] = page(more=b"/Annots[7 0 R]")
        return write(o)
    if name == "outline-cycle":
        o[1] = b"<</Type/Catalog/Pages 2 0 R/Outlines 6 0 R/PageMode/UseOutlines>>"
        o[6] = b"<</Type/Outlines/First 7 0 R/Last 8 0 R/Count 2>>"
        o[7] = b"<</Title(Menimbang)/Parent 6 0 R/Next 8 0 R/Dest[5 0 R/Fit]>>"
        o[8] = b"<</Title(Memutuskan)/Parent 6 0 R/Prev 7 0 R/Next 7 0 R/Dest[5 0 R/Fit]>>"
        return write(o)
    if name == "pattern-loop":
        o[6] = b"<</Font<</F1 3 0 R>>/Pattern<</P0 7 0 R>>>>"
        o[7] = stream(b"/Pattern cs /P0 scn 0 0 10 10 re f", b"/Type/Pattern/PatternType 1/PaintType 1"
                      b"/TilingType 1/BBox[0 0 10 10]/XStep 10/YStep 10/Resources 6 0 R")
        o[4] = stream(TEXT + b" /Pattern cs /P0 scn 72 600 100 100 re f")
        o[5] = page(res=b" 6 0 R")
        return write(o)
    if name == "deep-tree":
        levels = 1000
        o[2] = b"<</Type/Pages/Kids[10 0 R]/Count 1>>"
        for i in range(levels):
            kid = b"%d 0 R" % (11 + i) if i < levels - 1 else b"5 0 R"
            o[10 + i] = b"<</Type/Pages/Parent %d 0 R/Kids[%s]/Count 1>>" % (2 if i == 0 else 9 + i, kid)
        o[5] = page().replace(b"/Parent 2 0 R", b"/Parent %d 0 R" % (9 + levels))
        return write(o)
    if name == "deep-nesting":
        o[6] = b"[" * 100000 + b"]" * 100000
        return write(o)
    if name in ("jbig2-bomb", "jbig2-scan"):
        # 65536: the widest and highest image MuPDF loads; 2480 x 3508: A4 at 300 dpi
        w, h = (65536, 65536) if name == "jbig2-bomb" else (2480, 3508)
        o[6] = stream(blank_page(w, h), b"/Type/XObject/Subtype/Image/Width %d/Height %d"
                      b"/ColorSpace/DeviceGray/BitsPerComponent 1/Filter/JBIG2Decode" % (w, h))
        o[5] = page(res=b"<</Font<</F1 3 0 R>>/XObject<</Im0 6 0 R>>>>")
        o[4] = stream(b"q 595.276 0 0 841.89 0 0 cm /Im0 Do Q " + TEXT)
        return write(o)
    if name == "jbig2-outside":
        o[6] = stream(blank_page(2480, 3508, 133552), b"/Type/XObject/Subtype/Image/Width 2480"
                      b"/Height 3508/ColorSpace/DeviceGray/BitsPerComponent 1/Filter/JBIG2Decode")
        o[5] = page(res=b"<</Font<</F1 3 0 R>>/XObject<</Im0 6 0 R>>>>")
        o[4] = stream(b"q 595.276 0 0 841.89 0 0 cm /Im0 Do Q " + TEXT)
        return write(o)
    if name == "jbig2-many":
        data = blank_page(9921, 7016)
        for i in range(16):
            o[10 + i] = stream(data, b"/Type/XObject/Subtype/Image/Width 9921/Height 7016"
                               b"/ColorSpace/DeviceGray/BitsPerComponent 1/Filter/JBIG2Decode")
        o[5] = page(res=b"<</Font<</F1 3 0 R>>/XObject<<%s>>>>" % b"".join(
            b"/Im%d %d 0 R" % (i, 10 + i) for i in range(16)))
        o[4] = stream(b"".join(b"q 30 0 0 40 %d 700 cm /Im%d Do Q " % (30 * i, i) for i in range(16)) + TEXT)
        return write(o)
    if name == "inline-bomb":
        data = blank_page(65536, 65536)
        o[4] = stream(TEXT + b" q 200 0 0 200 72 500 cm BI /W 65536 /H 65536 /CS /G /BPC 1"
                      b" /F /JBIG2Decode ID " + data + b"\nEI Q")
        return write(o)
    if name == "inline-image":
        pixels = bytes([0, 255, 128, 69, 73, 32, 66, 73]) * 8	# 8 x 8 gray, with "EI BI" in it
        o[4] = stream(b"% BI /W 99999 /H 99999 ID in a comment\n" + TEXT +
                      b" BT /F1 10 Tf 72 700 Td (BI /W 99999 /H 99999 ID in a string) Tj ET"
                      b" q 64 0 0 64 72 600 cm BI /W 8 /H 8 /CS /G /BPC 8 /D [0 1] ID " + pixels + b" EI Q")
        return write(o)
    if name in ("xobject-dag", "draw-spread", "form-dag"):
        levels, pages = {"xobject-dag": (26, 1), "draw-spread": (19, 40), "form-dag": (17, 1)}[name]
        o[4] = stream(TEXT + b" /X0 Do")
        o[5] = page(res=b"<</Font<</F1 3 0 R>>/XObject<</X0 10 0 R>>>>")
        for i in range(levels):
            if i == levels - 1:
                o[10 + i] = stream(b"0 0 1 1 re f", b"/Type/XObject/Subtype/Form/BBox[0 0 10 10]")
            else:
                o[10 + i] = stream(b"/Y Do /Y Do", b"/Type/XObject/Subtype/Form/BBox[0 0 10 10]"
                                   b"/Resources<</XObject<</Y %d 0 R>>>>" % (11 + i))
        for p in range(1, pages):	# each page its own content: no two runs are the same
            o[100 + 2 * p] = stream(TEXT + b" /X0 Do %% %d" % p)
            o[101 + 2 * p] = page(res=b"<</Font<</F1 3 0 R>>/XObject<</X0 10 0 R>>>>",
                                  contents=b"%d 0 R" % (100 + 2 * p))
        o[2] = b"<</Type/Pages/Kids[5 0 R%s]/Count %d>>" % (
            b"".join(b" %d 0 R" % (101 + 2 * p) for p in range(1, pages)), pages)
        return write(o)
    if name == "annot-flood":
        o[6] = stream(b"0 0 1 rg 0 0 20 20 re f", b"/Type/XObject/Subtype/Form/BBox[0 0 20 20]")
        o[7] = b"<</Type/Annot/Subtype/Square/Rect[72 600 92 620]/AP<</N 6 0 R>>>>"
        o[5] = page(more=b"/Annots[" + b"7 0 R " * 1100000 + b"]")
        return write(o)
    if name == "shared-forms":
        pages, forms = 2000, 2000
        o[6] = stream(b"0 0 1 1 re f", b"/Type/XObject/Subtype/Form/BBox[0 0 10 10]")
        o[7] = b"<</XObject<</Z 6 0 R>>>>"
        o[8] = b"<</Font<</F1 3 0 R>>/XObject<<%s>>>>" % b"".join(
            b"/X%d %d 0 R" % (i, 10 + i) for i in range(forms))
        for i in range(forms):
            o[10 + i] = stream(b"/Z Do " + b"0 0 5 5 re S " * 40,
                               b"/Type/XObject/Subtype/Form/BBox[0 0 10 10]/Resources 7 0 R")
        first = 10 + forms
        for p in range(pages):
            o[first + 2 * p] = stream(TEXT + b" /X%d Do" % p)
            o[first + 2 * p + 1] = page(res=b" 8 0 R", contents=b"%d 0 R" % (first + 2 * p))
        o[2] = b"<</Type/Pages/Kids[%s]/Count %d>>" % (
            b" ".join(b"%d 0 R" % (first + 2 * p + 1) for p in range(pages)), pages)
        del o[4], o[5]
        return write(o)
    if name == "prev-loop":
        return update(write(o), {4: stream(TEXT + b" BT /F1 12 Tf 72 700 Td (revisi) Tj ET")},
                      prev_self=True)
    if name == "type3-loop":
        def t3(me, other):
            return (b"<</Type/Font/Subtype/Type3/FontBBox[0 0 1000 1000]/FontMatrix[0.001 0 0 0.001 0 0]"
                    b"/CharProcs<</a %d 0 R>>/Encoding<</Type/Encoding/Differences[97/a]>>"
                    b"/FirstChar 97/LastChar 97/Widths[1000]/Resources<</Font<</T %d 0 R>>>>>>" % (me, other))
        glyph = stream(b"1000 0 d0 BT /T 1000 Tf 0 0 Td (a) Tj ET")
        o[6], o[7] = t3(7, 8), glyph      # font 6: glyph 7 draws with font 8
        o[8], o[9] = t3(9, 6), glyph      # font 8: glyph 9 draws with font 6
        o[5] = page(res=b"<</Font<</F1 3 0 R/T 6 0 R>>>>")
        o[4] = stream(TEXT + b" BT /T 12 Tf 72 700 Td (a) Tj ET")
        return write(o)
    if name == "flate-bomb":
        inner = zlib.compressobj(9)
        blob = bytearray()
        chunk = b" " * (1 << 20)
        for _ in range(256):
            blob += inner.compress(chunk)
        blob += inner.flush()
        data = zlib.compress(bytes(blob), 9)
        o[4] = stream(data, b"/Filter[/FlateDecode/FlateDecode]")
        return write(o)
    if name == "flate-error":
        data = bytearray(zlib.compress(TEXT * 20, 9))
        for i in range(10, 30):
            data[i] ^= 0x5a
        o[4] = stream(bytes(data), b"/Filter/FlateDecode")
        return write(o)
    if name == "lzw-badcode":
        # clear, 'B', 'T', then code 300 (the table only reaches 259)
        o[4] = stream(lzw_encode_codes([256, ord("B"), ord("T"), 300, 300, 257]), b"/Filter/LZWDecode")
        return write(o)
    if name == "undecodable":
        o[4] = stream(TEXT, b"/Filter/SertelSecretDecode")
        return write(o)
    if name == "bad-font":
        junk = b"\x00\x01\x00\x00" + b"not a font, just text " * 30
        o[6] = stream(junk, b"/Length1 %d" % len(junk))
        o[7] = (b"<</Type/FontDescriptor/FontName/Rusak/Flags 32/FontBBox[0 0 1000 1000]/ItalicAngle 0"
                b"/Ascent 800/Descent -200/CapHeight 700/StemV 80/FontFile2 6 0 R>>")
        o[3] = (b"<</Type/Font/Subtype/TrueType/BaseFont/Rusak/FirstChar 32/LastChar 126"
                b"/Widths[%s]/FontDescriptor 7 0 R/Encoding/WinAnsiEncoding>>" % b" ".join([b"500"] * 95))
        return write(o)
    if name == "short-length":
        hidden = b"BT /F1 12 Tf 72 700 Td (dibayar Rp 900.000.000) Tj ET"
        data = TEXT + b"\n" + hidden
        raw = {4: b"4 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n" % (len(TEXT), data)}
        return write(o, raw=raw)
    if name == "stream-eol":
        raw = {4: b"4 0 obj\n<</Length %d>>\nstream %s\nendstream\nendobj\n" % (len(TEXT), TEXT)}
        return write(o, raw=raw)
    if name == "xref-comment":
        fake = b"BT /F1 12 Tf 72 760 Td (Surat ini dibatalkan) Tj ET"
        raw = {4: b"%%4 0 obj <</Length %d>> stream\n%s\nendstream endobj\n"
                  b"4 0 obj\n%s\nendobj\n" % (len(fake), fake, stream(TEXT))}
        return write(o, raw=raw, offsets={4: b"4 0 obj <<"})
    if name == "xref-huge":
        return update(write(o), {8000000: b"<</Sertel 1>>"})
    if name == "pdf20":
        o[1] = b"<</Type/Catalog/Pages 2 0 R/Version/2.0>>"
        return write(o, header=b"%PDF-2.0")
    if name == "cert-repair":
        o[1] = b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[6 0 R]>>>>"
        o[6] = b"<</FT/Sig/T(ttd)/V 7 0 R>>"
        o[7] = (b"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.x509.rsa_sha1"
                b"/ByteRange[0 1 2 3]/Contents<00>/Cert[8 0 R 9 0 R]>>")
        o[8] = o[9] = b"(A)"
        raw = {8: b"8 0 obj\n(A)\nendobj\n8 0 obj\n(%s)\nendobj\n" % (b"A" * 4096)}
        return write(o, raw=raw, offsets={9: b"8 0 obj"})
    if name == "many-updates":
        data = write(o)
        for i in range(20):
            data = update(data, {4: stream(TEXT + b" BT /F1 10 Tf 72 %d Td (revisi %d) Tj ET" % (700 - 12 * i, i))})
        return data
    if name == "box-offset":
        o[5] = page(box=b"[200 300 795.276 1141.89]",
                    more=b"/CropBox[220 320 775 1120]")
        o[4] = stream(b"BT /F1 12 Tf 272 1060 Td (Surat Keputusan Bupati Musi Rawas) Tj ET")
        return write(o)
    if name == "dark-page":
        o[4] = stream(b"0 g 0 0 595.276 841.89 re f 1 g " + TEXT)
        return write(o)
    raise SystemExit("mkhostile: unknown case %s" % name)


def main(argv):
    if len(argv) == 2 and argv[1] == "list":
        for name, outcome in CASES:
            print(name, outcome)
        return 0
    if len(argv) == 4 and argv[1] == "make":
        with open(argv[3], "wb") as f:
            f.write(make(argv[2]))
        return 0
    if len(argv) == 3 and argv[1] == "all":
        for name, _ in CASES:
            with open("%s/%s.pdf" % (argv[2], name), "wb") as f:
                f.write(make(name))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
