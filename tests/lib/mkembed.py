#!/usr/bin/env python3
"""mkembed.py - attach paraf metadata to a PDF as a document-management system
would: sertel-paraf.yaml in /Names /EmbeddedFiles, added as an incremental
update (a new last revision) of a classic-xref PDF (tests/lib/mkpdf.py's).

  mkembed.py IN.pdf META.yaml OUT.pdf [--tamper font|catalog]

--tamper font     the same revision also re-writes the page font (Courier)
--tamper catalog  the same revision also adds /OpenAction to the catalog
Stdlib only; not a general PDF writer.
"""
import argparse
import re
import sys

NAME = b"sertel-paraf.yaml"


def last_trailer(data):
    """(root, size, info, id, startxref) of the last classic trailer."""
    t = data[data.rindex(b"trailer"):]
    root = int(re.search(rb"/Root\s+(\d+)\s+0\s+R", t).group(1))
    size = int(re.search(rb"/Size\s+(\d+)", t).group(1))
    info = re.search(rb"/Info\s+(\d+)\s+0\s+R", t)
    ident = re.search(rb"/ID\s*(\[[^\]]*\])", t)
    sx = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    return root, size, info and int(info.group(1)), ident and ident.group(1), sx


def obj_body(data, num):
    """The text between 'num 0 obj' and 'endobj' of the last definition."""
    m = list(re.finditer(rb"(?:^|[\r\n])%d 0 obj" % num, data))[-1]
    start = m.end()
    return data[start:data.index(b"endobj", start)].strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("meta")
    ap.add_argument("out")
    ap.add_argument("--tamper", choices=["font", "catalog"])
    a = ap.parse_args()
    data = open(a.pdf, "rb").read()
    meta = open(a.meta, "rb").read()
    root, size, info, ident, prev = last_trailer(data)
    catalog = obj_body(data, root)
    assert catalog.startswith(b"<<") and catalog.endswith(b">>"), catalog
    ef, fs, names = size, size + 1, size + 2
    extra = b"/OpenAction[3 0 R/Fit]" if a.tamper == "catalog" else b""
    objs = {
        ef: b"<</Type/EmbeddedFile/Subtype/application#2Fyaml/Length %d>>\nstream\n%s\nendstream"
            % (len(meta), meta),
        fs: b"<</Type/Filespec/F(%s)/UF(%s)/EF<</F %d 0 R>>>>" % (NAME, NAME, ef),
        names: b"<</EmbeddedFiles<</Names[(%s) %d 0 R]>>>>" % (NAME, fs),
        root: catalog[:-2] + b"/Names %d 0 R%s>>" % (names, extra),
    }
    if a.tamper == "font":
        objs[3] = b"<</Type/Font/Subtype/Type1/BaseFont/Courier/Encoding/WinAnsiEncoding>>"
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offs = {}
    for num in sorted(objs):
        offs[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objs[num])
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for num in sorted(objs):
        out += b"%d 1\n%010d 00000 n \n" % (num, offs[num])
    out += b"trailer\n<</Size %d/Root %d 0 R/Prev %d" % (names + 1, root, prev)
    if info:
        out += b"/Info %d 0 R" % info
    if ident:
        out += b"/ID" + ident
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    open(a.out, "wb").write(out)


if __name__ == "__main__":
    sys.exit(main())
