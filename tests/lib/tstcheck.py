#!/usr/bin/env python3
"""tstcheck.py FILE.pdf OUTDIR - take apart the last signature of a signed PDF.

Writes OUTDIR/cms.der (the CMS from /Contents), OUTDIR/sig.bin (the
SignerInfo's signature value) and OUTDIR/token.der (the RFC 3161 token in the
unsigned attribute id-aa-signatureTimeStampToken, 1.2.840.113549.1.9.16.2.14),
so that `openssl ts -verify -data sig.bin -in token.der -token_in` can check
the token independently of sertel.  Exits 1 when the signature has no token.
A minimal DER reader: Python 3 standard library only.
"""
import os
import re
import sys

TST_OID = bytes.fromhex("060b2a864886f70d010910020e")


def tlv(b, i):
    """(tag, start of content, end of content) of the element at i"""
    tag, n = b[i], b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    return tag, i, i + n


def kids(b, start, end):
    """the elements inside [start, end), as (tag, header start, content start, end)"""
    i = start
    while i < end:
        tag, cs, ce = tlv(b, i)
        yield tag, i, cs, ce
        i = ce


def cms_of(pdf):
    """the DER in the /Contents hole of the last /ByteRange"""
    r = [m for m in re.finditer(rb"/ByteRange\s*\[\s*(\d+) (\d+) (\d+) (\d+)", pdf)][-1]
    a, b = int(r.group(2)), int(r.group(3))
    der = bytes.fromhex(pdf[a + 1:b - 1].decode())
    _, cs, ce = tlv(der, 0)
    return der[:ce]


def main():
    pdf, out = sys.argv[1], sys.argv[2]
    der = cms_of(open(pdf, "rb").read())
    _, cs, ce = tlv(der, 0)                        # ContentInfo
    ci = list(kids(der, cs, ce))
    _, _, cs, ce = ci[1]                           # [0] EXPLICIT
    _, cs, ce = tlv(der, cs)                       # SignedData
    sets = [k for k in kids(der, cs, ce) if k[0] == 0x31]
    _, _, cs, ce = sets[-1]                        # signerInfos
    _, cs, ce = tlv(der, cs)                       # the first SignerInfo
    si = list(kids(der, cs, ce))
    sig = [k for k in si if k[0] == 0x04][0]
    unsigned = [k for k in si if k[0] == 0xA1]
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, "cms.der"), "wb").write(der)
    open(os.path.join(out, "sig.bin"), "wb").write(der[sig[2]:sig[3]])
    tokens = []
    for _, _, acs, ace in (kids(der, unsigned[0][2], unsigned[0][3]) if unsigned else []):
        parts = list(kids(der, acs, ace))
        if der[parts[0][1]:parts[0][3]] == TST_OID:
            for _, h, _, e in kids(der, parts[1][2], parts[1][3]):
                tokens.append(der[h:e])
    if len(tokens) != 1:
        print(f"{pdf}: {len(tokens)} signature timestamp tokens, expected 1", file=sys.stderr)
        return 1
    open(os.path.join(out, "token.der"), "wb").write(tokens[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
