#!/usr/bin/env python3
"""mkpdf.py - small valid PDFs for tests (stdlib only).

  mkpdf.py [options] OUT.pdf
  mkpdf.py [options] --count N --out DIR [--prefix surat]   (N distinct files)

Options:
  --xref table|stream|hybrid
                        classic xref table (default), xref stream + object stream,
                        or a hybrid file (ISO 32000 7.5.8.4): a classic table for
                        the plain objects and /XRefStm for those in the object stream
  --pages N             number of pages (default 1)
  --text "..."          first line of text on every page
  --acroform            an AcroForm with one text field (widget on page 1);
                        AcroForm dict direct in the catalog, /Annots direct
  --acroform-indirect   the same, but AcroForm and the page /Annots array are
                        indirect objects
  --no-id               no trailer /ID
  --no-info             no Info dictionary
  --no-eol              no end-of-line after the final %%EOF
"""
import argparse
import hashlib
import os
import sys
import zlib

FIELD_NAME = "nomor_surat"


def pdf_str(s):
    """A PDF literal string for ASCII text."""
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def build(opts, seed):
    """Return the bytes of one PDF; seed makes the content distinct."""
    npages = max(1, opts.pages)
    objs = {}  # num -> bytes of the object body (dict) or (dict, stream)
    n = [0]

    def new():
        n[0] += 1
        return n[0]

    catalog, pages, font = new(), new(), new()
    info = None if opts.no_info else new()
    page_nums, content_nums = [], []
    for _ in range(npages):
        page_nums.append(new())
        content_nums.append(new())
    acro = opts.acroform or opts.acroform_indirect
    field = new() if acro else None
    acro_num = new() if opts.acroform_indirect else None
    annots_num = new() if opts.acroform_indirect else None

    objs[font] = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"
    kids = " ".join("%d 0 R" % p for p in page_nums)
    objs[pages] = ("<</Type/Pages/Kids[%s]/Count %d>>" % (kids, npages)).encode()
    for i, (p, c) in enumerate(zip(page_nums, content_nums)):
        annots = ""
        if acro and i == 0:
            annots = "/Annots %d 0 R" % annots_num if annots_num else "/Annots[%d 0 R]" % field
        objs[p] = ("<</Type/Page/Parent %d 0 R/MediaBox[0 0 595.276 841.89]"
                   "/Resources<</Font<</F1 %d 0 R>>>>/Contents %d 0 R%s>>"
                   % (pages, font, c, annots)).encode()
        lines = [opts.text, "Halaman %d dari %d" % (i + 1, npages), "Nomor: %s" % seed]
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 760 Td"]
        ops += ["%s '" % pdf_str(line) for line in lines]
        ops.append("ET")
        data = zlib.compress("\n".join(ops).encode("latin-1", "replace"))
        objs[c] = (b"<</Length %d/Filter/FlateDecode>>" % len(data), data)
    if acro:
        objs[field] = ("<</Type/Annot/Subtype/Widget/FT/Tx/T%s/V%s/Rect[72 600 300 620]"
                       "/F 4/P %d 0 R/DA(/Helv 10 Tf 0 g)>>"
                       % (pdf_str(FIELD_NAME), pdf_str(str(seed)), page_nums[0])).encode()
        form = ("<</Fields[%d 0 R]/DA(/Helv 0 Tf 0 g)/DR<</Font<</Helv %d 0 R>>>>>>"
                % (field, font))
        if acro_num:
            objs[acro_num] = form.encode()
            objs[annots_num] = ("[%d 0 R]" % field).encode()
            form = "%d 0 R" % acro_num
        objs[catalog] = ("<</Type/Catalog/Pages %d 0 R/AcroForm %s>>" % (pages, form)).encode()
    else:
        objs[catalog] = ("<</Type/Catalog/Pages %d 0 R>>" % pages).encode()
    if info:
        objs[info] = ("<</Title%s/Author(Sekretariat Daerah)/Producer(mkpdf.py)"
                      "/CreationDate(D:20240102030405+07'00')>>"
                      % pdf_str("%s %s" % (opts.text, seed))).encode()

    size = n[0] + 1
    ident = hashlib.md5(("%s/%s" % (seed, opts.text)).encode()).hexdigest().upper()
    trailer = "/Size %d/Root %d 0 R" % (size, catalog)
    if info:
        trailer += "/Info %d 0 R" % info
    if not opts.no_id:
        trailer += "/ID[<%s><%s>]" % (ident, ident)

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if opts.xref == "stream":
        write_stream_xref(out, objs, size, trailer)
    elif opts.xref == "hybrid":
        write_hybrid_xref(out, objs, size, trailer)
    else:
        write_table_xref(out, objs, size, trailer)
    if opts.no_eol:
        while out[-1:] in (b"\n", b"\r"):
            del out[-1]
    return bytes(out)


def put_obj(out, num, body):
    """Append "num 0 obj ... endobj"; body is bytes or (dict, stream data)."""
    out += b"%d 0 obj\n" % num
    if isinstance(body, tuple):
        out += body[0] + b"\nstream\n" + body[1] + b"\nendstream"
    else:
        out += body
    out += b"\nendobj\n"


def write_table_xref(out, objs, size, trailer):
    offs = {}
    for num in sorted(objs):
        offs[num] = len(out)
        put_obj(out, num, objs[num])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % size
    for num in range(1, size):
        out += b"%010d 00000 n\r\n" % offs[num]
    out += ("trailer\n<<%s>>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)).encode()


def write_stream_xref(out, objs, size, trailer):
    """Non-stream objects go into one object stream; streams stay top level."""
    packed = [num for num in sorted(objs) if not isinstance(objs[num], tuple)]
    loose = [num for num in sorted(objs) if isinstance(objs[num], tuple)]
    objstm, xrefnum = size, size + 1
    size += 2
    head, body = [], bytearray()
    for num in packed:
        head.append("%d %d" % (num, len(body)))
        body += objs[num] + b"\n"
    head = (" ".join(head) + "\n").encode()
    data = zlib.compress(head + bytes(body))
    objs = dict(objs)
    objs[objstm] = (b"<</Type/ObjStm/N %d/First %d/Length %d/Filter/FlateDecode>>"
                    % (len(packed), len(head), len(data)), data)
    loose.append(objstm)

    entries = {0: (0, 0, 65535)}
    for i, num in enumerate(packed):
        entries[num] = (2, objstm, i)
    for num in loose:
        entries[num] = (1, len(out), 0)
        put_obj(out, num, objs[num])
    xref = len(out)
    entries[xrefnum] = (1, xref, 0)
    rows = b"".join(bytes([t]) + f1.to_bytes(4, "big") + f2.to_bytes(2, "big")
                    for t, f1, f2 in (entries[i] for i in range(size)))
    data = zlib.compress(rows)
    trailer = trailer.replace("/Size %d" % (size - 2), "/Size %d" % size)
    put_obj(out, xrefnum, (("<<%s/Type/XRef/W[1 4 2]/Index[0 %d]/Length %d/Filter/FlateDecode>>"
                            % (trailer, size, len(data))).encode(), data))
    out += b"startxref\n%d\n%%%%EOF\n" % xref


def write_hybrid_xref(out, objs, size, trailer):
    """Non-stream objects in an object stream found through /XRefStm only; a
    reader that knows nothing of xref streams sees them as free."""
    packed = [num for num in sorted(objs) if not isinstance(objs[num], tuple)
              and b"/Type/Catalog" not in objs[num]]
    objstm, xrefstm = size, size + 1
    size += 2
    head, body = [], bytearray()
    for num in packed:
        head.append("%d %d" % (num, len(body)))
        body += objs[num] + b"\n"
    head = (" ".join(head) + "\n").encode()
    data = zlib.compress(head + bytes(body))
    objs = dict(objs)
    objs[objstm] = (b"<</Type/ObjStm/N %d/First %d/Length %d/Filter/FlateDecode>>"
                    % (len(packed), len(head), len(data)), data)
    offs = {}
    for num in sorted(objs):
        if num not in packed:
            offs[num] = len(out)
            put_obj(out, num, objs[num])
    rows = b"".join(bytes([2]) + objstm.to_bytes(4, "big") + i.to_bytes(2, "big")
                    for i in range(len(packed)))
    index = " ".join("%d 1" % num for num in packed)
    offs[xrefstm] = len(out)
    put_obj(out, xrefstm, (("<</Type/XRef/Size %d/W[1 4 2]/Index[%s]/Length %d>>"
                            % (size, index, len(rows))).encode(), rows))
    xref = len(out)
    # the table lists only the plain objects: one subsection per run, the
    # hidden ones left out (as Word's hybrid files do), so that a reader
    # takes them from /XRefStm and never sees them as free
    out += b"xref\n0 1\n0000000000 65535 f\r\n"
    runs, nums = [], sorted(offs)
    for num in nums:
        if runs and runs[-1][-1] == num - 1:
            runs[-1].append(num)
        else:
            runs.append([num])
    for r in runs:
        out += b"%d %d\n" % (r[0], len(r))
        for num in r:
            out += b"%010d 00000 n\r\n" % offs[num]
    trailer = trailer.replace("/Size %d" % (size - 2), "/Size %d" % size)
    out += ("trailer\n<<%s/XRefStm %d>>\nstartxref\n%d\n%%%%EOF\n"
            % (trailer, offs[xrefstm], xref)).encode()


def main():
    ap = argparse.ArgumentParser(description="small valid PDFs for tests")
    ap.add_argument("output", nargs="?")
    ap.add_argument("--xref", choices=("table", "stream", "hybrid"), default="table")
    ap.add_argument("--pages", type=int, default=1)
    ap.add_argument("--text", default="Surat Keputusan Bupati Musi Rawas")
    ap.add_argument("--acroform", action="store_true")
    ap.add_argument("--acroform-indirect", action="store_true")
    ap.add_argument("--no-id", action="store_true")
    ap.add_argument("--no-info", action="store_true")
    ap.add_argument("--no-eol", action="store_true")
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--out", help="directory for --count")
    ap.add_argument("--prefix", default="surat")
    opts = ap.parse_args()

    if opts.count:
        if not opts.out:
            ap.error("--count needs --out DIR")
        os.makedirs(opts.out, exist_ok=True)
        tag = os.urandom(4).hex()
        for i in range(opts.count):
            name = os.path.join(opts.out, "%s-%04d.pdf" % (opts.prefix, i + 1))
            with open(name, "wb") as f:
                f.write(build(opts, "%s/%d-%s" % (opts.prefix, i + 1, tag)))
        return 0
    if not opts.output:
        ap.error("give OUT.pdf or --count N --out DIR")
    with open(opts.output, "wb") as f:
        f.write(build(opts, "800/%s" % os.urandom(3).hex()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
