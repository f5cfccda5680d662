#!/usr/bin/env python3
"""pdfinc.py - incremental updates and signatures the way other software writes
them, for the verification tests (stdlib + the openssl CLI; a module, and a
small command line).

Not a general PDF library: it reads the classic-xref files tests/lib/mkpdf.py
writes and the updates it appends itself (every object uncompressed, found as
the last "N 0 obj ... endobj" in the file), which is enough to build attack and
control files from a description: what a later revision changes, and how the
signature over it is made.

    import pdfinc
    p = pdfinc.Pdf(open("in.pdf", "rb").read())
    p.update({7: b"<</Type/Annot ...>>"})              # one incremental update
    p.sign(pdfinc.Signer(key, cert, chain), field="ttd2", page=1)
    open("out.pdf", "wb").write(p.data)

Building blocks for attack files (tests/lib/mkupdate.py uses them): p.body(num,
objs) reads an object as an update being built (objs) will leave it;
p.add_annot(page, num, objs) puts an annotation into a page's /Annots (direct
or indirect array); stream(dict, data) makes a stream body; update() takes
offsets= (xref entries that lie) and hidden= (objects listed only in a
/XRefStm cross-reference stream of the update, as hybrid files do); sign()
takes objs= (more objects in the signing update) and ap= (an appearance for
the new widget).

Encrypted originals (RC4, V 2 R 3, qpdf --encrypt '' OWNER 128 --use-aes=n) that
open with the empty user password: update() encrypts, with each object's key
(ISO 32000-1 7.6.2, algorithms 1 and 2), every literal string "(...)" and
stream of the objects it writes and keeps the trailer's /Encrypt; hex strings
are left as they are (the /Contents placeholder is one, and is never
encrypted).  The objects it rewrites must then hold no strings of their own
(true of the catalog and pages mkpdf.py writes).  sign(typed=False) leaves out
the optional /Type/Sig, as some signers do.

Command line (a signed control to start from; the parts of its last
signature, for checks with other tools):

    pdfinc.py sign IN.pdf OUT.pdf --key K --cert C [--chain P] [--md sha256]
              [--subfilter adbe.pkcs7.detached|ETSI.CAdES.detached|
                           adbe.pkcs7.sha1|adbe.x509.rsa_sha1]
              [--noattr] [--pss] [--mislabel-pss] [--attached]
              [--attached-content FILE] [--certify P] [--field NAME]
              [--contents empty|missing] [--untyped]
    pdfinc.py parts IN.pdf DIR     DIR/ranges.bin (the signed bytes),
              DIR/contents.der (/Contents without its zero padding) and, for a
              CMS, DIR/attrs.der (the signed attributes as signed: a SET OF) and
              DIR/sig.bin (the signature value); for an OCTET STRING (PKCS#1),
              DIR/sig.bin

The CMS is made by `openssl cms -sign`, except for Ed25519 and Ed448 keys, which
OpenSSL 3.0's CMS cannot sign with: that SignedData is assembled here (RFC 8419:
SHA-512 or SHAKE256/512 for the messageDigest, pure EdDSA over the DER of the
signed attributes, or over the content itself without them) and the signature
made by `openssl pkeyutl -rawin`.  An RSASSA-PSS key (a PSS-only key type)
always signs with PSS and says so, as a conforming signer does; --mislabel-pss
instead leaves what `openssl cms -sign` writes for such a key without -keyopt
(a PSS signature labelled rsaEncryption, PKCS#1 v1.5: not a valid signature).
"""
import argparse
import base64
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time

PLACEHOLDER = 16384     # hex digits kept for /Contents: an 8 KiB CMS


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key, data):
    """RC4, the stream cipher of PDF encryption V 1 and 2."""
    box, j = list(range(256)), 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) & 255
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for c in data:
        i = (i + 1) & 255
        j = (j + box[i]) & 255
        box[i], box[j] = box[j], box[i]
        out.append(c ^ box[(box[i] + box[j]) & 255])
    return bytes(out)


def pdf_string(tok):
    """The bytes of a PDF string token, literal "(...)" or hex "<...>"."""
    if tok.startswith(b"<"):
        h = re.sub(rb"\s", b"", tok[1:-1])
        return bytes.fromhex((h + b"0" * (len(h) % 2)).decode())
    out, i, body = bytearray(), 0, tok[1:-1]
    esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(body):
        c = body[i]
        i += 1
        if c != 0x5C:
            out.append(c)
            continue
        c = body[i]
        i += 1
        if c in esc:
            out.append(esc[c])
        elif 0x30 <= c <= 0x37:
            k = i - 1
            while i < len(body) and i - k < 3 and 0x30 <= body[i] <= 0x37:
                i += 1
            out.append(int(body[k:i], 8) & 255)
        elif c in (10, 13):
            if c == 13 and i < len(body) and body[i] == 10:
                i += 1
        else:
            out.append(c)
    return bytes(out)


STRING = rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>"


class Rc4Crypt:
    """The standard security handler, RC4 with revision 2 or 3, opened with the
    empty user password (algorithm 2); key(num) is object num's key (algorithm 1)."""

    def __init__(self, enc, ident):
        def get(key):
            return re.search(rb"/%s\s*(%s|-?\d+)" % (key, STRING), enc, re.S).group(1)
        v, r = int(get(b"V")), int(get(b"R"))
        if v not in (1, 2) or r not in (2, 3):
            raise ValueError("only RC4 encryption (V 1 or 2, R 2 or 3) is supported")
        self.n = int(get(b"Length")) // 8 if r == 3 else 5
        h = hashlib.md5(PAD + pdf_string(get(b"O")) +
                        (int(get(b"P")) & 0xFFFFFFFF).to_bytes(4, "little") + ident).digest()
        if r == 3:
            for _ in range(50):
                h = hashlib.md5(h[:self.n]).digest()
        self.file_key = h[:self.n]

    def key(self, num, gen=0):
        return hashlib.md5(self.file_key + num.to_bytes(3, "little") +
                           gen.to_bytes(2, "little")).digest()[:min(self.n + 5, 16)]

    def body(self, num, body):
        """body with its literal strings and its stream data encrypted for object num."""
        k = self.key(num)
        m = re.search(rb"stream\r?\n", body)
        head, data = (body[:m.end()], body[m.end():]) if m else (body, None)
        head = re.sub(rb"\((?:[^()\\]|\\.)*\)",
                      lambda x: b"<" + rc4(k, pdf_string(x.group(0))).hex().upper().encode() + b">",
                      head)
        if data is None:
            return head
        end = data.rindex(b"endstream")
        raw = data[:end]
        eol = b"\n" if raw.endswith(b"\n") else b""
        raw = raw[:len(raw) - len(eol)]
        return head + rc4(k, raw) + eol + data[end:]     # RC4 keeps the /Length


class Pdf:
    def __init__(self, data):
        self.data = bytes(data)
        self.crypt = None
        try:
            enc = re.search(rb"/Encrypt\s*(\d+)\s+0\s+R", self.trailer())
        except ValueError:  # no classic trailer (an xref stream): not for these
            enc = None
        if enc:
            ident = re.search(rb"/ID\s*\[\s*(%s)" % STRING, self.trailer(), re.S)
            self.crypt = Rc4Crypt(self.obj(int(enc.group(1))),
                                  pdf_string(ident.group(1)) if ident else b"")
            self.encrypt = int(enc.group(1))

    # --- reading ---------------------------------------------------------
    def trailer(self):
        """The last trailer dictionary's bytes (classic xref)."""
        t = self.data.rindex(b"trailer")
        return self.data[t:self.data.index(b"startxref", t)]

    def root(self):
        return int(re.search(rb"/Root\s*(\d+)\s+0\s+R", self.trailer()).group(1))

    def size(self):
        return int(re.search(rb"/Size\s*(\d+)", self.trailer()).group(1))

    def startxref(self):
        return int(re.findall(rb"startxref\s+(\d+)", self.data)[-1])

    def obj(self, num):
        """The body of the last definition of object num (between obj and endobj)."""
        m = list(re.finditer(rb"(?<![0-9])%d 0 obj\s*(.*?)\s*endobj" % num, self.data, re.S))
        if not m:
            raise KeyError("object %d not found" % num)
        return m[-1].group(1)

    def find(self, pattern):
        """Numbers of the objects whose latest body matches the regex pattern."""
        nums = sorted({int(m.group(1)) for m in re.finditer(rb"(?<![0-9])(\d+) 0 obj", self.data)})
        return [n for n in nums if re.search(pattern, self.obj(n), re.S)]

    def pages(self):
        """Page object numbers, in order (a flat /Kids, as mkpdf.py writes)."""
        cat = self.obj(self.root())
        pages = int(re.search(rb"/Pages\s*(\d+) 0 R", cat).group(1))
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", self.obj(pages)).group(1)
        return [int(n) for n in re.findall(rb"(\d+)\s+0\s+R", kids)]

    # --- writing ---------------------------------------------------------
    def new(self, count=1):
        """count fresh object numbers (reserved: the next update's /Size covers them)."""
        first = max(self.size(), getattr(self, "_next", 0))
        self._next = first + count
        return list(range(first, first + count)) if count > 1 else first

    def update(self, objs, trailer=b"", xref_extra=b"", offsets=None, hidden=None):
        """Append one incremental update holding objs {num: body bytes}; trailer:
        extra trailer keys; xref_extra: raw extra xref subsections (for attacks);
        offsets {num: offset}: xref entries that say so instead of the truth
        (for attacks); hidden {num: body}: objects written too, but listed only
        in a cross-reference stream that the trailer names with /XRefStm."""
        out, offs = bytearray(self.data), {}
        if not out.endswith(b"\n"):
            out += b"\n"
        for num in sorted(objs):
            offs[num] = len(out)
            body = self.crypt.body(num, objs[num]) if self.crypt else objs[num]
            out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
        hid = {}
        for num in sorted(hidden or {}):
            hid[num] = len(out)
            out += b"%d 0 obj\n" % num + hidden[num] + b"\nendobj\n"
        if hid:
            xs = self.new()
        size = max([self.size(), getattr(self, "_next", 0)] + [n + 1 for n in objs] +
                   [n + 1 for n in hid])
        if hid:
            rows = b"".join(b"\x01" + hid[n].to_bytes(4, "big") + b"\x00\x00" for n in sorted(hid))
            offs[xs] = len(out)
            out += (b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Index[%s]/Length %d>>stream\n"
                    % (xs, size, b" ".join(b"%d 1" % n for n in sorted(hid)), len(rows)) +
                    rows + b"\nendstream\nendobj\n")
            trailer += b"/XRefStm %d" % offs[xs]
        table = dict(offs)
        table.update(offsets or {})
        xref = len(out)
        out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n\r\n" % (n, table[n]) for n in sorted(table))
        out += xref_extra
        ident = re.search(rb"/ID\s*(\[[^\]]*\])", self.trailer())
        if self.crypt:      # the original's handler: its key is the one used above
            trailer = b"/Encrypt %d 0 R" % self.encrypt + trailer
        out += b"trailer\n<</Size %d/Root %d 0 R/Prev %d%s%s>>\nstartxref\n%d\n%%%%EOF\n" % (
            size, self.root(), self.startxref(), b"/ID" + ident.group(1) if ident else b"",
            trailer, xref)
        self.data = bytes(out)
        return offs

    def body(self, num, objs):
        """Object num as the update being built (objs) leaves it."""
        return objs[num] if num in objs else self.obj(num)

    def add_annot(self, pg, num, objs):
        """Annotation num appended to page pg's /Annots (objs updated: the page,
        or its indirect /Annots array)."""
        pbody = self.body(pg, objs)
        m = re.search(rb"/Annots\s*\[([^\]]*)\]", pbody)
        if m:
            objs[pg] = pbody[:m.start()] + b"/Annots[" + m.group(1) + b" %d 0 R]" % num + pbody[m.end():]
        elif re.search(rb"/Annots\s*\d+ 0 R", pbody):
            an = int(re.search(rb"/Annots\s*(\d+) 0 R", pbody).group(1))
            arr = self.body(an, objs)
            objs[an] = arr[:arr.rindex(b"]")] + b" %d 0 R]" % num
        else:
            objs[pg] = pbody[:pbody.rindex(b">>")] + b"/Annots[%d 0 R]>>" % num

    def set_key(self, body, key, value):
        """body with /key set to value (bytes), replacing a simple earlier value."""
        pat = rb"/%s(?![A-Za-z0-9])\s*(\d+\s+0\s+R|\[[^\]]*\]|<<(?:[^<>]|<<[^<>]*>>)*>>|/[^/\s<>\[\]()]+|\([^)]*\)|[-\d.]+|true|false)" % key
        if re.search(pat, body):
            return re.sub(pat, lambda _: b"/" + key + b" " + value, body, count=1)
        return body[:body.rindex(b">>")] + b"/" + key + b" " + value + b">>"

    # --- signing ---------------------------------------------------------
    def sign(self, signer, field="ttd", page=0, rect=b"[0 0 0 0]", existing=None,
             subfilter="adbe.pkcs7.detached", certify=0, contents=None, extra=b"",
             objs=None, ap=None, typed=True):
        """Append one update that signs the document: a signature field (new,
        or the empty field object number existing) with its widget on page
        (index), the form updated; then the CMS over the byte ranges made by
        signer.  certify=P makes it a DocMDP certification signature.
        contents="empty"|"missing" leaves /Contents so (an attack class).
        objs: more objects written in the same update (the field, page and
        catalog are taken from it when there); ap: the content stream of an
        appearance for a new widget (give rect too); typed=False: no /Type/Sig."""
        cat_num = self.root()
        objs = dict(objs or {})
        cat = self.body(cat_num, objs)
        sig = self.new()
        sigref = b""
        if certify:
            sigref = (b"/Reference[<</Type/SigRef/TransformMethod/DocMDP/TransformParams"
                      b"<</Type/TransformParams/P %d/V/1.2>>>>]" % certify)
        cert_key = b""
        if subfilter == "adbe.x509.rsa_sha1":
            # the signer's certificate, or an array: the signer's first, then the chain
            ders = [signer.cert_der()]
            for der in _pem_ders(signer.chain) if signer.chain else []:
                if der not in ders:
                    ders.append(der)
            hexes = [b"<" + d.hex().upper().encode() + b">" for d in ders]
            cert_key = b"/Cert" + (hexes[0] if len(hexes) == 1 else b"[" + b"".join(hexes) + b"]")
        if contents == "missing":
            cont = b""
        elif contents == "empty":
            cont = b"/Contents<>"
        else:
            cont = b"/Contents<" + b"0" * PLACEHOLDER + b">"
        objs[sig] = (b"<<" + (b"/Type/Sig" if typed else b"") +
                     b"/Filter/Adobe.PPKLite/SubFilter/" + subfilter.encode() +
                     b"/ByteRange[0 ********** ********** **********]" + cont + cert_key +
                     b"/M(D:" + time.strftime("%Y%m%d%H%M%S", time.gmtime()).encode() + b"Z)/Name(" + signer.name.encode() + b")" +
                     sigref + extra + b">>")
        if existing:
            fld = self.body(existing, objs)
            objs[existing] = self.set_key(fld, b"V", b"%d 0 R" % sig)
            # /V on each widget of a field with /Kids too: poppler reads it there
            kids = re.search(rb"/Kids\s*(?:\[([^\]]*)\]|(\d+) 0 R)", fld)
            if kids:
                arr = kids.group(1) if kids.group(1) is not None else self.body(int(kids.group(2)), objs)
                for k in re.findall(rb"(\d+)\s+0\s+R", arr):
                    objs[int(k)] = self.set_key(self.body(int(k), objs), b"V", b"%d 0 R" % sig)
        else:
            pg = self.pages()[page]
            w = self.new()
            apk = b""
            if ap is not None:
                x = self.new()
                r = [float(v) for v in rect.strip(b"[]").split()]
                objs[x] = stream(b"/Type/XObject/Subtype/Form/BBox[0 0 %g %g]"
                                 % (abs(r[2] - r[0]), abs(r[3] - r[1])), ap)
                apk = b"/AP<</N %d 0 R>>" % x
            objs[w] = (b"<</Type/Annot/Subtype/Widget/FT/Sig/T(" + field.encode() +
                       b")/V %d 0 R/Rect" % sig + rect + b"/F 132/P %d 0 R" % pg + apk + b">>")
            self.add_annot(pg, w, objs)
            cat = self.add_field(cat, w, objs)
        m = re.search(rb"/AcroForm\s*<<", cat)
        if m and b"/SigFlags" not in cat:
            cat = cat[:m.end()] + b"/SigFlags 3" + cat[m.end():]
        if certify:
            cat = self.set_key(cat, b"Perms", b"<</DocMDP %d 0 R>>" % sig)
        if cat != self.body(cat_num, objs):
            objs[cat_num] = cat
        self.update(objs)
        if contents in ("missing", "empty"):
            self.fill_byterange(sig, hole=None)
            return sig
        a, b = self.fill_byterange(sig, hole=True)
        signed = self.data[:a] + self.data[b:]
        der = signer.cms(signed, subfilter)
        hexd = der.hex().upper().encode()
        if len(hexd) > PLACEHOLDER:
            raise ValueError("CMS of %d bytes does not fit" % len(der))
        d = bytearray(self.data)
        d[a + 1:a + 1 + len(hexd)] = hexd
        self.data = bytes(d)
        return sig

    def add_field(self, cat, widget, objs):
        """cat with widget in /AcroForm /Fields (direct or indirect form and array)."""
        m = re.search(rb"/AcroForm\s*(\d+) 0 R", cat)
        if m:
            num = int(m.group(1))
            form = self.body(num, objs)
            objs[num] = self._add_to_fields(form, widget, objs)
            if b"/SigFlags" not in objs[num]:
                objs[num] = objs[num][:objs[num].rindex(b">>")] + b"/SigFlags 3>>"
            return cat
        if b"/AcroForm" not in cat:
            return cat[:cat.rindex(b">>")] + b"/AcroForm<</Fields[%d 0 R]/SigFlags 3>>>>" % widget
        return self._add_to_fields(cat, widget, objs)

    def _add_to_fields(self, body, widget, objs):
        m = re.search(rb"/Fields\s*\[([^\]]*)\]", body)
        if m:
            return body[:m.start()] + b"/Fields[" + m.group(1) + b" %d 0 R]" % widget + body[m.end():]
        m = re.search(rb"/Fields\s*(\d+) 0 R", body)
        num = int(m.group(1))
        arr = self.body(num, objs)
        objs[num] = arr[:arr.rindex(b"]")] + b" %d 0 R]" % widget
        return body

    def fill_byterange(self, sig, hole):
        """Write the /ByteRange of object sig (in the last update); return the
        hole (start of '<', end after '>') of its /Contents."""
        start = self.data.rindex(b"%d 0 obj" % sig)
        br = self.data.index(b"/ByteRange[", start)
        end = self.data.index(b"]", br) + 1
        if hole:
            c = self.data.index(b"/Contents<", start) + len(b"/Contents")
            a, b = c, self.data.index(b">", c) + 1
        else:
            a = b = len(self.data)
        text = b"/ByteRange[0 %d %d %d]" % (a, b, len(self.data) - b)
        text = text.ljust(end - br)
        d = bytearray(self.data)
        d[br:end] = text
        self.data = bytes(d)
        return a, b


def stream(dict_keys, data):
    """The body of a stream object: dict_keys (bytes inside << >>) plus /Length, then data."""
    return b"<<" + dict_keys + b"/Length %d>>stream\n" % len(data) + data + b"\nendstream"


class Signer:
    """A key and certificate (PEM files) and how the CMS is made."""

    def __init__(self, key, cert, chain=None, md="sha256", noattr=False, pss=False,
                 attached=False, name="Penanda Tangan", mislabel_pss=False, content=None):
        self.key, self.cert, self.chain = key, cert, chain
        self.md, self.noattr, self.pss, self.attached = md, noattr, pss, attached
        self.name, self.mislabel_pss = name, mislabel_pss
        self.content = content      # bytes the CMS signs and carries instead (an attack)

    def key_type(self):
        """The certificate's public key algorithm, as openssl names it (rsaEncryption,
        rsassaPss, id-ecPublicKey, ED25519, ED448)."""
        text = subprocess.run(["openssl", "x509", "-in", self.cert, "-noout", "-text"],
                              capture_output=True, check=True, text=True).stdout
        return re.search(r"Public Key Algorithm:\s*(\S+)", text).group(1)

    def cert_der(self):
        return subprocess.run(["openssl", "x509", "-in", self.cert, "-outform", "DER"],
                              capture_output=True, check=True).stdout

    def cms(self, signed, subfilter):
        """The /Contents bytes for the signed byte ranges."""
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "in")
            if subfilter == "adbe.x509.rsa_sha1":
                # a PKCS#1 signature over the SHA-1 of the ranges, as a DER OCTET STRING
                with open(src, "wb") as f:
                    f.write(signed)
                raw = subprocess.run(["openssl", "dgst", "-sha1", "-sign", self.key, src],
                                     capture_output=True, check=True).stdout
                return _der_octets(raw)
            # adbe.pkcs7.sha1: the CMS carries (and signs) the SHA-1 of the ranges
            msg = hashlib.sha1(signed).digest() if subfilter == "adbe.pkcs7.sha1" else signed
            if self.content is not None:
                msg = self.content
            kt = self.key_type()
            if kt in ("ED25519", "ED448"):
                return self.cms_eddsa(msg, kt, self.attached or self.content is not None or
                                      subfilter == "adbe.pkcs7.sha1", d)
            with open(src, "wb") as f:
                f.write(msg)
            cmd = ["openssl", "cms", "-sign", "-binary", "-outform", "DER", "-in", src,
                   "-signer", self.cert, "-inkey", self.key, "-md", self.md]
            if self.chain:
                cmd += ["-certfile", self.chain]
            if self.noattr:
                cmd += ["-noattr"]
            if self.pss or (kt == "rsassaPss" and not self.mislabel_pss):
                cmd += ["-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"]
            attach = self.attached or self.content is not None or subfilter == "adbe.pkcs7.sha1"
            if not attach:
                cmd += ["-nosmimecap"]
            if attach:
                cmd += ["-nodetach"]
            return subprocess.run(cmd, capture_output=True, check=True).stdout


    def cms_eddsa(self, msg, kt, attached, d):
        """A CMS SignedData by an Ed25519/Ed448 key over msg (RFC 8419)."""
        if kt == "ED25519":
            md_oid, digest, sig_oid = "2.16.840.1.101.3.4.2.3", hashlib.sha512(msg).digest(), "1.3.101.112"
        else:
            md_oid, digest, sig_oid = ("2.16.840.1.101.3.4.2.12", hashlib.shake_256(msg).digest(64),
                                       "1.3.101.113")
        certs = _pem_ders(self.cert)
        for extra in _pem_ders(self.chain) if self.chain else []:
            if extra not in certs:
                certs.append(extra)
        issuer, serial = _issuer_serial(certs[0])
        md_alg = _tlv(0x30, _oid(md_oid))
        if self.noattr:
            tbs, attrs = msg, b""
        else:
            ess = _tlv(0x30, _tlv(0x30, _tlv(0x30, _tlv(0x04, hashlib.sha256(certs[0]).digest()))))
            items = sorted([_attr("1.2.840.113549.1.9.3", _oid("1.2.840.113549.1.7.1")),
                            _attr("1.2.840.113549.1.9.4", _tlv(0x04, digest)),
                            _attr("1.2.840.113549.1.9.16.2.47", ess)])
            tbs = _tlv(0x31, b"".join(items))
            attrs = _tlv(0xA0, b"".join(items))
        with open(os.path.join(d, "tbs"), "wb") as f:
            f.write(tbs)
        sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", self.key, "-in",
                              os.path.join(d, "tbs")], capture_output=True, check=True).stdout
        si = _tlv(0x30, _tlv(0x02, b"\x01") + _tlv(0x30, issuer + serial) + md_alg + attrs +
                  _tlv(0x30, _oid(sig_oid)) + _tlv(0x04, sig))
        eci = _oid("1.2.840.113549.1.7.1") + (_tlv(0xA0, _tlv(0x04, msg)) if attached else b"")
        sd = _tlv(0x30, _tlv(0x02, b"\x01") + _tlv(0x31, md_alg) + _tlv(0x30, eci) +
                  _tlv(0xA0, b"".join(certs)) + _tlv(0x31, si))
        return _tlv(0x30, _oid("1.2.840.113549.1.7.2") + _tlv(0xA0, sd))


# --- a little DER, enough for the EdDSA SignedData -----------------------------
def _tlv(tag, body):
    n = len(body)
    if n < 128:
        return bytes([tag, n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(ln)]) + ln + body


def _der_octets(b):
    return _tlv(0x04, b)


def _oid(dotted):
    arcs = [int(x) for x in dotted.split(".")]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7F]
        while a > 0x7F:
            a >>= 7
            chunk.insert(0, 0x80 | (a & 0x7F))
        out += bytes(chunk)
    return _tlv(0x06, bytes(out))


def _attr(oid, value):
    return _tlv(0x30, _oid(oid) + _tlv(0x31, value))


def _read_tlv(der, off):
    """(start of the body, end of the element) of the element at off."""
    n = der[off + 1]
    if n < 128:
        return off + 2, off + 2 + n
    k = n & 0x7F
    n = int.from_bytes(der[off + 2:off + 2 + k], "big")
    return off + 2 + k, off + 2 + k + n


def _issuer_serial(cert):
    """The issuer Name and serialNumber INTEGER elements of a DER certificate."""
    tbs, _ = _read_tlv(cert, 0)
    off, _ = _read_tlv(cert, tbs)
    if cert[off] == 0xA0:                   # [0] version
        off = _read_tlv(cert, off)[1]
    serial_end = _read_tlv(cert, off)[1]
    serial = cert[off:serial_end]
    off = _read_tlv(cert, serial_end)[1]    # signature AlgorithmIdentifier
    return cert[off:_read_tlv(cert, off)[1]], serial


def _pem_ders(path):
    text = open(path).read()
    return [base64.b64decode("".join(m.split()))
            for m in re.findall(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S)]


def parts(data):
    """The last signature's parts: {name: bytes} as `pdfinc.py parts` writes them."""
    m = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))[-1]
    a, b, c, n = (int(x) for x in m.groups())
    raw = bytes.fromhex(data[a + b + 1:c - 1].decode())
    der = raw[:_read_tlv(raw, 0)[1]]
    out = {"ranges.bin": data[a:a + b] + data[c:c + n], "contents.der": der}
    if der[0] == 0x04:                      # adbe.x509.rsa_sha1: the bare signature
        s, e = _read_tlv(der, 0)
        out["sig.bin"] = der[s:e]
        return out
    # ContentInfo -> [0] -> SignedData -> the last element, signerInfos -> the first
    body = _read_tlv(der, 0)[0]
    body = _read_tlv(der, _read_tlv(der, body)[1])[0]
    sd, sd_end = _read_tlv(der, body)
    off = sd
    while off < sd_end:
        last, off = off, _read_tlv(der, off)[1]
    si, si_end = _read_tlv(der, _read_tlv(der, last)[0])
    fields, off = [], si
    while off < si_end:
        fields.append(off)
        off = _read_tlv(der, off)[1]
    for f in fields:
        if der[f] == 0xA0:                  # [0] IMPLICIT signedAttrs, signed as a SET OF
            out["attrs.der"] = b"\x31" + der[f + 1:_read_tlv(der, f)[1]]
    s, e = _read_tlv(der, fields[-1] if der[fields[-1]] == 0x04 else fields[-2])
    out["sig.bin"] = der[s:e]
    return out


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "parts":
        for name, b in parts(open(sys.argv[2], "rb").read()).items():
            with open(os.path.join(sys.argv[3], name), "wb") as f:
                f.write(b)
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["sign"])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--key", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--chain")
    ap.add_argument("--md", default="sha256")
    ap.add_argument("--subfilter", default="adbe.pkcs7.detached")
    ap.add_argument("--noattr", action="store_true")
    ap.add_argument("--pss", action="store_true")
    ap.add_argument("--mislabel-pss", action="store_true")
    ap.add_argument("--attached-content", metavar="FILE",
                    help="the CMS signs and carries FILE's bytes, not the byte ranges")
    ap.add_argument("--attached", action="store_true")
    ap.add_argument("--certify", type=int, default=0)
    ap.add_argument("--field", default="ttd")
    ap.add_argument("--contents", choices=["empty", "missing"])
    ap.add_argument("--untyped", action="store_true", help="no /Type/Sig (it is optional)")
    a = ap.parse_args()
    p = Pdf(open(a.src, "rb").read())
    s = Signer(a.key, a.cert, a.chain, a.md, a.noattr, a.pss, a.attached,
               mislabel_pss=a.mislabel_pss,
               content=open(a.attached_content, "rb").read() if a.attached_content else None)
    p.sign(s, field=a.field, subfilter=a.subfilter, certify=a.certify, contents=a.contents,
           typed=not a.untyped)
    with open(a.dst, "wb") as f:
        f.write(p.data)


if __name__ == "__main__":
    main()
