#!/usr/bin/env python3
"""mkupdate.py - attack and control files for what may change after a signature
(issue 12), built on pdfinc.py: signed like other software signs, then
changed by later incremental updates.

    mkupdate.py --key K --cert C [--chain P] OUTDIR [CLASS ...]

writes OUTDIR/CLASS-VARIANT.pdf for every class (all when none is named).
A VARIANT starting with "control" is a change the policy allows (README,
"What may change after a signature"): sertel verify must say intact (exit 0
with the CA as anchor, 3 without). One starting with "attack" changes what a
signed page shows, or breaks the file's structure: sertel verify must say
tampered (exit 1). tests/e2e/62-verify-updates.sh holds the reason each
attack must be reported with.

Classes (the base is tests/lib/mkpdf.py's two-page document):
  xmp      the catalog's XMP /Metadata updated at each signature (in place, at
           a new object, with /Info) / with an /OpenAction added, or pointing at
           page 1's content stream rewritten as "XMP"
  version  catalog /Version and /Extensions updated / with a new page tree
  widget   a second widget, on page 2, of an empty signature field signed later
           (indirect /Kids and /Annots arrays) / a widget added to the signed
           field, or to a field left empty, painting over page 2
  newfield an empty signature field added in one update and signed in a later
           one; an invisible empty field left for later / an empty field whose
           widget paints over page 1
  flags    a field's /F changed by signing it / a text widget hidden (/F)
  docmdp   an approval signature after a certification with P=2 (a new field,
           or the empty field prepared for it); an annotation after P=3 / an
           annotation after P=2; a signature after P=1
  replace  shadow replace-form: a field filled in with its appearance / the
           signed widgets redefined without their /AP (the viewer regenerates
           them from a value the appearance hid)
  hideform shadow hide-form-via-form: fields filled in and locked / several
           text widgets redefined (/V, /DV, /Ff, /AP /N), one xref entry past
           the end of the file; the same with honest offsets; fields only
           filled in, one entry past the end or at another object's bytes
  sneaky   an empty signature field signed with its own appearance / the
           signed text widget's appearance stream (behind an indirect /AP)
           replaced in the update that signs: in its table, behind /XRefStm,
           or as the new signature's own appearance
  orphan   only /Info updated / the signature removed from the form (catalog
           without /AcroForm, or /Fields emptied) while page 1 is redrawn;
           or the whole document rewritten in a later revision under a fresh
           cross-reference table without /Prev and a smaller /Size, so the
           signature dictionary's number lies past the table a reader sees
  dag      a field's value, 40 levels of arrays each naming the next twice,
           rewritten as an equal value of new objects (a walk without a
           memo or a budget takes 2**40 steps)
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfinc  # noqa: E402
from pdfinc import stream  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
XMP = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
       b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
       b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
       b'<xmp:ModifyDate>%s</xmp:ModifyDate><xmp:CreatorTool>%s</xmp:CreatorTool>'
       b'</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>')


def xmp(when, tool=b"Penandatanganan Nasional"):
    return stream(b"/Type/Metadata/Subtype/XML", XMP % (when, tool))


def base(pages=2):
    """mkpdf.py's document (classic xref): catalog 1, pages 2, font 3, info 4,
    then page and content stream pairs."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "base.pdf")
        subprocess.run([sys.executable, os.path.join(HERE, "mkpdf.py"), "--pages", str(pages),
                        "--text", "Keputusan Bupati Musi Rawas", out], check=True)
        return pdfinc.Pdf(open(out, "rb").read())


def font(p):
    return p.find(rb"/Type/Font")[0]


def content_of(p, pg, objs=None):
    return int(re.search(rb"/Contents\s*(\d+) 0 R", p.body(pg, objs or {})).group(1))


def text_ap(p, text, w=228, h=20):
    """A form XObject showing text (a widget's appearance)."""
    data = b"/Tx BMC q BT /Helv 10 Tf 0 g 2 6 Td (" + text + b") Tj ET Q EMC"
    return stream(b"/Type/XObject/Subtype/Form/BBox[0 0 %d %d]/Resources<</Font<</Helv %d 0 R>>>>"
                  % (w, h, font(p)), data)


def stamp_ap(p, text, w=400, h=60):
    """A big appearance: text painted over whatever lies below."""
    data = b"q 1 1 1 rg 0 0 %d %d re f Q BT /Helv 28 Tf 1 0 0 rg 10 20 Td (%s) Tj ET" % (w, h, text)
    return stream(b"/Type/XObject/Subtype/Form/BBox[0 0 %d %d]/Resources<</Font<</Helv %d 0 R>>>>"
                  % (w, h, font(p)), data)


def form(p, objs):
    """An indirect /AcroForm with an indirect /Fields array (created if missing)."""
    cat_num = p.root()
    cat = p.body(cat_num, objs)
    if b"/AcroForm" in cat:
        return
    acro, fields = p.new(2)
    objs[fields] = b"[]"
    objs[acro] = (b"<</Fields %d 0 R/DA(/Helv 0 Tf 0 g)/DR<</Font<</Helv %d 0 R>>>>>>"
                  % (fields, font(p)))
    objs[cat_num] = cat[:cat.rindex(b">>")] + b"/AcroForm %d 0 R>>" % acro


def add_to_form(p, num, objs):
    form(p, objs)
    cat_num = p.root()
    cat = p.add_field(p.body(cat_num, objs), num, objs)
    if cat != p.body(cat_num, objs):
        objs[cat_num] = cat


def text_field(p, objs, name, page, y, value, shown, indirect_ap=False, ff=0):
    """A text field merged with its widget on page (index), showing shown
    while its value is value.  Returns (field, appearance stream[, ap dict])."""
    pg = p.pages()[page]
    f, x = p.new(2)
    objs[x] = text_ap(p, shown)
    if indirect_ap:
        apd = p.new()
        objs[apd] = b"<</N %d 0 R>>" % x
        ap = b"/AP %d 0 R" % apd
    else:
        apd = None
        ap = b"/AP<</N %d 0 R>>" % x
    objs[f] = (b"<</Type/Annot/Subtype/Widget/FT/Tx/T(%s)/V(%s)/DV(%s)/Ff %d/Rect[72 %d 300 %d]"
               b"/F 4/P %d 0 R/DA(/Helv 10 Tf 0 g)%s>>"
               % (name, value, value, ff, y, y + 20, pg, ap))
    p.add_annot(pg, f, objs)
    add_to_form(p, f, objs)
    return (f, x, apd) if indirect_ap else (f, x)


def sig_field(p, objs, name, page, rect=b"[0 0 0 0]", kids=False, flags=4):
    """An empty signature field with one widget on page (index); kids: the
    field apart from its widget, /Kids an indirect array.  Returns (field,
    widget, kids array or None)."""
    pg = p.pages()[page]
    if not kids:
        f = p.new()
        objs[f] = (b"<</Type/Annot/Subtype/Widget/FT/Sig/T(%s)/Rect%s/F %d/P %d 0 R>>"
                   % (name, rect, flags, pg))
        p.add_annot(pg, f, objs)
        add_to_form(p, f, objs)
        return f, f, None
    f, w, k = p.new(3)
    objs[f] = b"<</FT/Sig/T(%s)/Kids %d 0 R>>" % (name, k)
    objs[k] = b"[%d 0 R]" % w
    objs[w] = (b"<</Type/Annot/Subtype/Widget/Parent %d 0 R/Rect%s/F %d/P %d 0 R>>"
               % (f, rect, flags, pg))
    p.add_annot(pg, w, objs)
    add_to_form(p, f, objs)
    return f, w, k


def indirect_annots(p, objs, page):
    """Page (index) with its /Annots as an indirect array (created empty)."""
    pg = p.pages()[page]
    body = p.body(pg, objs)
    m = re.search(rb"/Annots\s*\[([^\]]*)\]", body)
    arr = p.new()
    objs[arr] = b"[" + (m.group(1) if m else b"") + b"]"
    body = re.sub(rb"/Annots\s*\[[^\]]*\]", b"", body)
    objs[pg] = body[:body.rindex(b">>")] + b"/Annots %d 0 R>>" % arr
    return arr


def prepared(build):
    """base() plus one unsigned update made by build(p, objs) (its return kept)."""
    p = base()
    objs = {}
    ret = build(p, objs)
    p.update(objs)
    return p, ret


def copy(p):
    return pdfinc.Pdf(p.data)


def new_annot_text(p, page, text=b"DIBATALKAN"):
    """A FreeText annotation painting text over page (index)."""
    pg = p.pages()[page]
    objs = {}
    a = p.new()
    objs[a] = (b"<</Type/Annot/Subtype/FreeText/Rect[72 400 500 460]/Contents(%s)"
               b"/DA(/Helv 28 Tf 1 0 0 rg)/P %d 0 R>>" % (text, pg))
    p.add_annot(pg, a, objs)
    return objs


# --- the classes -----------------------------------------------------------

def c_xmp(s):
    def build(p, objs):
        m = p.new()
        objs[m] = xmp(b"2026-01-05T08:00:00+07:00", b"Aplikasi Persuratan")
        cat = p.body(p.root(), objs)
        objs[p.root()] = cat[:cat.rindex(b">>")] + b"/Metadata %d 0 R>>" % m
        return m
    p0, meta = prepared(build)
    out = {}

    # in place: each signature's update rewrites the XMP stream, as the platform does
    p = copy(p0)
    p.sign(s, field="ttd1", objs={meta: xmp(b"2026-01-06T09:00:00+07:00")})
    p.sign(s, field="ttd2", objs={meta: xmp(b"2026-01-06T10:00:00+07:00")})
    out["control-inplace"] = p.data

    # at a new object each time, the catalog's /Metadata repointed
    p = copy(p0)
    p.sign(s, field="ttd1")
    m2 = p.new()
    cat = p.set_key(p.obj(p.root()), b"Metadata", b"%d 0 R" % m2)
    p.sign(s, field="ttd2", objs={m2: xmp(b"2026-01-06T10:00:00+07:00"), p.root(): cat})
    out["control-newobj"] = p.data

    # an update of only XMP and /Info after the signature
    p = copy(p0)
    p.sign(s, field="ttd1")
    info = 4
    p.update({meta: xmp(b"2026-01-07T11:00:00+07:00"),
              info: p.set_key(p.obj(info), b"ModDate", b"(D:20260107110000+07'00')")})
    out["control-only"] = p.data

    # the same update also adds a catalog /OpenAction (JavaScript run on opening)
    p = copy(p0)
    p.sign(s, field="ttd1")
    cat = p.obj(p.root())
    cat = cat[:cat.rindex(b">>")] + b"/OpenAction<</S/JavaScript/JS(app.alert\\(1\\))>>>>"
    p.update({meta: xmp(b"2026-01-07T11:00:00+07:00"), p.root(): cat})
    out["attack-openaction"] = p.data

    # /Metadata pointed at page 1's content stream, rewritten as an "XMP" stream
    p = copy(p0)
    p.sign(s, field="ttd1")
    c = content_of(p, p.pages()[0])
    cat = p.set_key(p.obj(p.root()), b"Metadata", b"%d 0 R" % c)
    p.update({c: xmp(b"2026-01-07T11:00:00+07:00"), p.root(): cat})
    out["attack-shared"] = p.data
    return out


def c_version(s):
    p0 = base()
    out = {}
    p = copy(p0)
    p.sign(s, field="ttd1")
    cat = p.obj(p.root())
    cat = cat[:cat.rindex(b">>")] + (b"/Version/2.0/Extensions<</ADBE<</BaseVersion/1.7"
                                     b"/ExtensionLevel 8>>/ESIC<</BaseVersion/1.7/ExtensionLevel 2>>>>>>")
    p.update({p.root(): cat})
    p.sign(s, field="ttd2")
    out["control"] = p.data

    # the same catalog update also points /Pages at a new tree whose page 1 says otherwise
    p = copy(p0)
    p.sign(s, field="ttd1")
    pages, page, cont = p.new(3)
    old = p.pages()
    text = b"BT /F1 24 Tf 72 700 Td (ISI DIUBAH) Tj ET"
    objs = {cont: stream(b"", text),
            page: re.sub(rb"/Contents\s*\d+ 0 R", b"/Contents %d 0 R" % cont,
                         re.sub(rb"/Parent\s*\d+ 0 R", b"/Parent %d 0 R" % pages, p.obj(old[0]))),
            pages: b"<</Type/Pages/Kids[%d 0 R %d 0 R]/Count 2>>" % (page, old[1])}
    cat = p.set_key(p.obj(p.root()), b"Pages", b"%d 0 R" % pages)
    objs[p.root()] = cat[:cat.rindex(b">>")] + b"/Version/2.0>>"
    p.update(objs)
    out["attack-pages"] = p.data
    return out


def c_widget(s):
    def build(p, objs):
        t1 = sig_field(p, objs, b"ttd1", 0, rect=b"[72 100 272 160]", kids=True)
        t2 = sig_field(p, objs, b"ttd2", 0, rect=b"[300 100 500 160]", kids=True)
        a2 = indirect_annots(p, objs, 1)
        return t1, t2, a2
    p0, ((f1, w1, k1), (f2, w2, k2), a2) = prepared(build)
    p0.sign(s, existing=f1)
    pg2 = p0.pages()[1]
    out = {}

    def second_widget(p, field, kids, ap):
        objs = {}
        w, x = p.new(2)
        objs[x] = stamp_ap(p, ap)
        objs[w] = (b"<</Type/Annot/Subtype/Widget/Parent %d 0 R/Rect[100 300 500 360]/F 4"
                   b"/P %d 0 R/AP<</N %d 0 R>>>>" % (field, pg2, x))
        objs[kids] = p.body(kids, objs)[:-1] + b" %d 0 R]" % w
        objs[a2] = p.body(a2, objs)[:-1] + b" %d 0 R]" % w
        return objs

    # ttd2, empty when ttd1 signed, is signed with a second widget on page 2
    p = copy(p0)
    p.sign(s, existing=f2, objs=second_widget(p, f2, k2, b"Ditandatangani ttd2"))
    out["control"] = p.data

    # a widget painting over page 2 added to ttd1's field, already signed
    p = copy(p0)
    p.update(second_widget(p, f1, k1, b"DIBATALKAN"))
    out["attack-signed"] = p.data

    # the same widget added to ttd2, which stays empty
    p = copy(p0)
    p.update(second_widget(p, f2, k2, b"DIBATALKAN"))
    out["attack-empty"] = p.data
    return out


def c_newfield(s):
    p0 = base()
    p0.sign(s, field="ttd1")
    out = {}

    # an empty field added (visible box, no appearance), signed in a later update
    p = copy(p0)
    objs = {}
    f, _, _ = sig_field(p, objs, b"ttd2", 0, rect=b"[300 100 500 160]")
    p.update(objs)
    xa = p.new()
    objs = {xa: stamp_ap(p, b"Ditandatangani", 200, 60)}
    objs[f] = p.set_key(p.obj(f), b"AP", b"<</N %d 0 R>>" % xa)
    p.sign(s, existing=f, objs=objs)
    out["control"] = p.data

    # an invisible empty field, left for a later signer
    p = copy(p0)
    objs = {}
    sig_field(p, objs, b"ttd2", 0)
    p.update(objs)
    out["control-pending"] = p.data

    # an empty field whose widget paints over page 1, never signed
    p = copy(p0)
    objs = {}
    f, _, _ = sig_field(p, objs, b"ttd2", 0, rect=b"[72 600 472 660]")
    xa = p.new()
    objs[xa] = stamp_ap(p, b"DIBATALKAN")
    objs[f] = p.set_key(objs[f], b"AP", b"<</N %d 0 R>>" % xa)
    p.update(objs)
    out["attack"] = p.data
    return out


def c_flags(s):
    def build(p, objs):
        t = text_field(p, objs, b"nomor", 0, 600, b"800/12/2026", b"800/12/2026")
        e = sig_field(p, objs, b"ttd2", 0, flags=4)
        return t, e
    p0, ((tf, tx), (f2, _, _)) = prepared(build)
    p0.sign(s, field="ttd1")
    out = {}
    # signing ttd2 sets its widget's /F from Print (4) to Print|Locked (132)
    p = copy(p0)
    p.sign(s, existing=f2, objs={f2: p.set_key(p.obj(f2), b"F", b"132")})
    out["control"] = p.data
    # the same update hides the signed text field (/F Hidden|Print)
    p = copy(p0)
    p.sign(s, existing=f2, objs={f2: p.set_key(p.obj(f2), b"F", b"132"),
                                 tf: p.set_key(p.obj(tf), b"F", b"6")})
    out["attack"] = p.data
    return out


def c_docmdp(s):
    p0 = base()
    out = {}
    p = copy(p0)
    p.sign(s, field="ttd1", certify=2)
    p.sign(s, field="ttd2")
    out["control-p2"] = p.data

    # the approver signs the field prepared for it, with an appearance, /F set by signing
    def build(p, objs):
        return sig_field(p, objs, b"ttd2", 0, rect=b"[300 100 500 160]")[0]
    p, f2 = prepared(build)
    p.sign(s, field="ttd1", certify=2)
    x = p.new()
    body = p.set_key(p.set_key(p.obj(f2), b"F", b"132"), b"AP", b"<</N %d 0 R>>" % x)
    p.sign(s, existing=f2, objs={f2: body, x: stamp_ap(p, b"Disetujui", 200, 60)})
    out["control-p2-field"] = p.data

    p = copy(p0)
    p.sign(s, field="ttd1", certify=3)
    p.update(new_annot_text(p, 0, b"Catatan"))
    out["control-p3"] = p.data

    p = copy(p0)
    p.sign(s, field="ttd1", certify=2)
    p.update(new_annot_text(p, 0))
    out["attack-p2"] = p.data

    p = copy(p0)
    p.sign(s, field="ttd1", certify=1)
    p.sign(s, field="ttd2")
    out["attack-p1"] = p.data
    return out


def shadow_form(p, objs):
    """Three text fields whose appearance shows one amount while the value
    (and default value) hold another: what a shadow attack prepares."""
    return [text_field(p, objs, b"jumlah%d" % i, 0, 600 - 40 * i, b"Rp 900.000.000",
                       b"Rp 9.000.000") for i in range(3)]


def c_replace(s):
    p0, fields = prepared(shadow_form)
    p0.sign(s, field="ttd1")
    out = {}
    # form filling: a value and its appearance changed together
    p = copy(p0)
    f, _ = fields[0]
    x = p.new()
    body = p.set_key(p.set_key(p.obj(f), b"V", b"(Rp 7.500.000)"), b"AP", b"<</N %d 0 R>>" % x)
    p.update({f: body, x: text_ap(p, b"Rp 7.500.000")})
    out["control"] = p.data
    # the signed widgets redefined without /AP: the viewer draws the hidden value
    p = copy(p0)
    objs = {}
    for f, _ in fields:
        objs[f] = re.sub(rb"/AP<<[^>]*>>", b"", p.obj(f))
    p.update(objs)
    out["attack"] = p.data
    return out


def c_hideform(s):
    p0, fields = prepared(shadow_form)
    p0.sign(s, field="ttd1")
    out = {}

    def redefine(p, value, keys):
        objs = {}
        for f, _ in fields:
            x = p.new()
            body = p.set_key(p.set_key(p.obj(f), b"V", b"(" + value + b")"),
                             b"AP", b"<</N %d 0 R>>" % x)
            for k, v in keys:
                body = p.set_key(body, k, v)
            objs[f] = body
            objs[x] = text_ap(p, value)
        return objs

    # filled in, and made read-only by the form filler (/Ff bit 1)
    p = copy(p0)
    p.update(redefine(p, b"Rp 9.000.000", [(b"Ff", b"1")]))
    out["control"] = p.data
    # /V, /DV, /Ff (Password) and /AP /N redefined; one xref entry past the end of the file
    p = copy(p0)
    objs = redefine(p, b"Rp 950.000.000", [(b"DV", b"(Rp 950.000.000)"), (b"Ff", b"8192")])
    p.update(objs, offsets={fields[1][0]: len(p.data) + 100000})
    out["attack"] = p.data
    # the same with honest offsets: /DV and /Ff are named
    p = copy(p0)
    p.update(redefine(p, b"Rp 950.000.000", [(b"DV", b"(Rp 950.000.000)"), (b"Ff", b"8192")]))
    out["attack-fields"] = p.data
    # only new values with their appearances (form filling), but one entry past the end of the file
    p = copy(p0)
    objs = redefine(p, b"Rp 7.500.000", [])
    p.update(objs, offsets={fields[1][0]: len(p.data) + 100000})
    out["attack-xref"] = p.data
    # ... or at the bytes of another object of the update
    p = copy(p0)
    objs = redefine(p, b"Rp 7.500.000", [])
    offs = p.update(objs)
    p = copy(p0)
    p.new(len(fields))
    p.update(objs, offsets={fields[1][0]: offs[fields[2][0]]})
    out["attack-xref-wrong"] = p.data
    return out


def c_sneaky(s):
    def build(p, objs):
        t = text_field(p, objs, b"nomor", 0, 600, b"800/12/2026", b"800/12/2026",
                       indirect_ap=True)
        e = sig_field(p, objs, b"ttd2", 0, rect=b"[300 100 500 160]")
        return t, e
    p0, ((tf, tx, apd), (f2, _, _)) = prepared(build)
    p0.sign(s, field="ttd1")
    out = {}

    def sign_ttd2(p, ap_obj, **kw):
        objs = {f2: p.set_key(p.obj(f2), b"AP", b"<</N %d 0 R>>" % ap_obj)}
        objs.update(kw.get("objs", {}))
        p.sign(s, existing=f2, objs=objs)

    # ttd2 signed with an appearance of its own
    p = copy(p0)
    x = p.new()
    sign_ttd2(p, x, objs={x: stamp_ap(p, b"Ditandatangani", 200, 60)})
    out["control"] = p.data
    # the same update replaces the text widget's appearance stream (reached
    # through its indirect /AP dictionary)
    p = copy(p0)
    x = p.new()
    sign_ttd2(p, x, objs={x: stamp_ap(p, b"Ditandatangani", 200, 60),
                          tx: text_ap(p, b"800/99/2026")})
    out["attack-apdict"] = p.data
    # the replacement listed only in the update's /XRefStm (the trailer's trick)
    p = copy(p0)
    x = p.new()
    sig_objs = {x: stamp_ap(p, b"Ditandatangani", 200, 60)}
    p.update({}, hidden={tx: text_ap(p, b"800/99/2026")})
    sign_ttd2(p, x, objs=sig_objs)
    out["attack-xrefstm"] = p.data
    # ttd2's own appearance is the text widget's stream, rewritten
    p = copy(p0)
    sign_ttd2(p, tx, objs={tx: text_ap(p, b"800/99/2026")})
    out["attack-shared"] = p.data
    return out


def c_orphan(s):
    p0 = base()
    p0.sign(s, field="ttd1")
    out = {}
    p = copy(p0)
    p.update({4: p.set_key(p.obj(4), b"ModDate", b"(D:20260107110000+07'00')")})
    out["control"] = p.data

    def redraw(p):
        c = content_of(p, p.pages()[0])
        return {c: stream(b"", b"BT /F1 24 Tf 72 700 Td (ISI DIUBAH) Tj ET")}

    # the catalog rewritten without /AcroForm, page 1 redrawn
    p = copy(p0)
    objs = redraw(p)
    objs[p.root()] = re.sub(rb"/AcroForm\s*<<.*>>(?=>>$)", b"", p.obj(p.root()), flags=re.S)
    p.update(objs)
    out["attack"] = p.data
    # /Fields emptied and the widget taken off the page, page 1 redrawn
    p = copy(p0)
    objs = redraw(p)
    objs[p.root()] = re.sub(rb"/Fields\s*\[[^\]]*\]", b"/Fields[]", p.obj(p.root()))
    pg = p.pages()[0]
    objs[pg] = re.sub(rb"/Annots\s*\[[^\]]*\]", b"", p.obj(pg))
    p.update(objs)
    out["attack-fields"] = p.data
    out["attack-rewritten"] = rewritten(p0.data)
    return out


def rewritten(data):
    """data with a last revision that is a whole new document of four
    objects: its xref has no /Prev and /Size 5, so objects the earlier
    revisions define (the signature dictionary among them) lie past it."""
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
            stream(b"", b"BT /F1 24 Tf 72 700 Td (ISI DIUBAH) Tj ET")]
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, o)
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def dag(p, objs, depth=40):
    """A value of depth levels, each an array listing the next level twice:
    2**depth paths to its one leaf.  Returns the top object's number."""
    nums = p.new(depth + 1)
    for i in range(depth):
        objs[nums[i]] = b"[%d 0 R %d 0 R]" % (nums[i + 1], nums[i + 1])
    objs[nums[depth]] = b"(800/12/2026)"
    return nums[0]


def c_dag(s):
    def build(p, objs):
        f, _ = text_field(p, objs, b"nomor", 0, 600, b"x", b"800/12/2026")
        objs[f] = p.set_key(objs[f], b"V", b"%d 0 R" % dag(p, objs))
        return f
    p, f = prepared(build)
    p.sign(s, field="ttd1")
    # the value rewritten as an equal one of new objects: comparing them path by
    # path would take 2**40 steps
    objs = {}
    objs[f] = p.set_key(p.obj(f), b"V", b"%d 0 R" % dag(p, objs))
    p.update(objs)
    return {"control": p.data}


CLASSES = {"xmp": c_xmp, "version": c_version, "widget": c_widget, "newfield": c_newfield,
           "flags": c_flags, "docmdp": c_docmdp, "replace": c_replace, "hideform": c_hideform,
           "sneaky": c_sneaky, "orphan": c_orphan, "dag": c_dag}


def main():
    ap = argparse.ArgumentParser(description="attack and control files for later revisions")
    ap.add_argument("outdir")
    ap.add_argument("classes", nargs="*")
    ap.add_argument("--key", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--chain")
    a = ap.parse_args()
    s = pdfinc.Signer(a.key, a.cert, a.chain)
    os.makedirs(a.outdir, exist_ok=True)
    for name in a.classes or CLASSES:
        if name not in CLASSES:
            ap.error("unknown class %s (one of %s)" % (name, ", ".join(CLASSES)))
        for variant, data in CLASSES[name](s).items():
            with open(os.path.join(a.outdir, "%s-%s.pdf" % (name, variant)), "wb") as f:
                f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
