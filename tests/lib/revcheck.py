#!/usr/bin/env python3
"""revcheck.py - what the last incremental update of a PDF changes, read with
qpdf (an independent reader: --show-xref for where each object is, --json=2
for what it holds), judged by the rules pyHanko's difference analysis applies
to a revision that adds a signature (stdlib + the qpdf CLI).

    revcheck.py OLD.pdf NEW.pdf

NEW must be OLD plus one or more appended revisions.  Every object written
after OLD's bytes is listed ("new" or "changed"), and each must be one that a
signer may write, with pyHanko's rules (pyhanko/sign/diff_analysis/ in
pyHanko, default policy):

  catalog      only /AcroForm, /DSS, /Extensions, /Metadata, /MarkInfo and
               /Version may differ (CatalogModificationRule,
               ROOT_EXEMPT_STRICT_COMPARISON);
  AcroForm     only /Fields, /DR, /DA, /Q and /NeedAppearances may differ, so
               /SigFlags may not (FormUpdatingRule,
               ACROFORM_EXEMPT_STRICT_COMPARISON); a document without one
               may get its first;
  page         only /Annots may differ, and it may only gain widgets of new
               signature fields (SigFieldCreationRule, _walk_page_tree_annots);
               an indirect /Annots or /Fields array likewise only grows;
  new objects  a signature field (and its widgets), its signature dictionary,
               the objects its /AP draws with, a new /Info dictionary
               (DocInfoRule); nothing else;
  certified    when OLD carries a DocMDP certification, a new signature field
               must be invisible (/Rect of zero area): SigFieldCreationRule
               marks a visible one valid_when_certifying=False, and
               StandardDiffPolicy.apply refuses such an update "only allowed
               after an approval signature, not a certification signature";
  contents     every page's /Contents (reference and decoded data) is as in OLD.

Prints one line per object and per finding; exits 0 when everything is
allowed, 1 otherwise, 2 on a usage or qpdf error.
"""
import json
import re
import subprocess
import sys

ROOT_FREE = {"/AcroForm", "/DSS", "/Extensions", "/Metadata", "/MarkInfo", "/Version"}
ACROFORM_FREE = {"/Fields", "/DR", "/DA", "/Q", "/NeedAppearances"}


def qpdf_objects(path):
    out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                          path], capture_output=True, text=True)
    if out.returncode not in (0, 3):
        raise RuntimeError("qpdf --json %s: %s" % (path, out.stderr.strip()))
    objs = json.loads(out.stdout)["qpdf"][1]
    return {k: v for k, v in objs.items()}


def qpdf_offsets(path):
    """object number -> byte offset, for the uncompressed objects; -1 in an object stream."""
    out = subprocess.run(["qpdf", "--show-xref", path], capture_output=True, text=True)
    if out.returncode not in (0, 3):
        raise RuntimeError("qpdf --show-xref %s: %s" % (path, out.stderr.strip()))
    offs = {}
    for line in out.stdout.splitlines():
        m = re.match(r"(\d+)/(\d+): uncompressed; offset = (\d+)", line)
        if m:
            offs[int(m.group(1))] = int(m.group(3))
            continue
        m = re.match(r"(\d+)/(\d+): compressed", line)
        if m:
            offs[int(m.group(1))] = -1
    return offs


class Doc:
    def __init__(self, path):
        self.objs = qpdf_objects(path)
        self.offs = qpdf_offsets(path)

    def get(self, ref):
        """The value (or stream dict) of 'N 0 R', or None."""
        o = self.objs.get("obj:" + ref)
        if o is None:
            return None
        return o["value"] if "value" in o else o["stream"]["dict"]

    def stream_data(self, ref):
        o = self.objs.get("obj:" + ref)
        return o["stream"].get("data") if o and "stream" in o else None

    def resolve(self, v):
        return self.get(v) if isinstance(v, str) and v.endswith(" R") else v

    def trailer(self):
        return self.objs["trailer"]["value"]

    def root_ref(self):
        return self.trailer()["/Root"]

    def pages(self):
        """Page references in order (a walk of /Kids, each node once)."""
        out, seen = [], set()

        def walk(ref):
            if ref in seen:
                return
            seen.add(ref)
            node = self.get(ref)
            if node is None:
                return
            if node.get("/Type") == "/Pages" or ("/Kids" in node and "/MediaBox" not in node):
                for k in self.resolve(node.get("/Kids", [])) or []:
                    walk(k)
            else:
                out.append(ref)
        walk(self.get(self.root_ref())["/Pages"])
        return out


def rect_area(r):
    try:
        x0, y0, x1, y1 = (float(v) for v in r)
        return abs(x1 - x0) * abs(y1 - y0)
    except (TypeError, ValueError):
        return 0.0


def refs_in(v):
    """Every 'N 0 R' inside a JSON value."""
    if isinstance(v, str):
        return [v] if re.fullmatch(r"\d+ \d+ R", v) else []
    if isinstance(v, list):
        return [r for x in v for r in refs_in(x)]
    if isinstance(v, dict):
        return [r for x in v.values() for r in refs_in(x)]
    return []


def differing_keys(a, b):
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def docmdp(doc):
    perms = doc.resolve(doc.get(doc.root_ref()).get("/Perms"))
    if not isinstance(perms, dict) or "/DocMDP" not in perms:
        return 0
    sig = doc.resolve(perms["/DocMDP"]) or {}
    for r in doc.resolve(sig.get("/Reference", [])) or []:
        r = doc.resolve(r)
        if isinstance(r, dict) and r.get("/TransformMethod") == "/DocMDP":
            return (doc.resolve(r.get("/TransformParams")) or {}).get("/P", 2)
    return 2


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    old_path, new_path = sys.argv[1:]
    with open(old_path, "rb") as f:
        old_bytes = f.read()
    with open(new_path, "rb") as f:
        if f.read(len(old_bytes)) != old_bytes:
            print("FAIL: %s does not begin with %s: not an incremental update" % (new_path, old_path))
            return 1
    try:
        old, new = Doc(old_path), Doc(new_path)
    except RuntimeError as e:
        print("ERROR: %s" % e)
        return 2
    bad = []
    level = docmdp(old)
    print("OLD: %s, certified: %s" % (old_path, "DocMDP P=%d" % level if level else "no"))

    written = sorted(n for n, off in new.offs.items() if off < 0 or off >= len(old_bytes))
    for n in written:
        if new.offs[n] < 0:
            bad.append("object %d is in an object stream: not judged here" % n)
    ref = lambda n: "%d 0 R" % n
    changed = [n for n in written if n in old.offs]
    fresh = [n for n in written if n not in old.offs]

    # the new signature fields: new objects with /FT /Sig, their widgets and values
    new_fields, new_widgets, sig_values, ap_deps = set(), set(), set(), set()
    for n in fresh:
        o = new.get(ref(n))
        if isinstance(o, dict) and o.get("/FT") == "/Sig":
            new_fields.add(ref(n))
            kids = new.resolve(o.get("/Kids")) or []
            new_widgets.update(kids if kids else [ref(n)])
            if "/V" in o:
                sig_values.add(o["/V"])
    for w in list(new_widgets):
        o = new.get(w) or {}
        if "/V" in o:
            sig_values.add(o["/V"])
        pending = refs_in(o.get("/AP", {}))
        while pending:
            r = pending.pop()
            if r in ap_deps or int(r.split()[0]) not in fresh:
                continue
            ap_deps.add(r)
            pending += refs_in(new.get(r))
    info = new.trailer().get("/Info")

    for n in fresh:
        r = ref(n)
        o = new.get(r)
        if r in new_fields:
            what = "new signature field %s" % re.sub(r"^[ub]:", "", str(o.get("/T", "?")))
        elif r in new_widgets:
            what = "widget of a new signature field"
        elif r in sig_values:
            what = "signature dictionary (%s)" % (o or {}).get("/Type", "?")
        elif r in ap_deps:
            what = "appearance of a new signature widget"
        elif r == info:
            what = "new /Info dictionary"
        else:
            what = "NOT ALLOWED: a new object no rule accounts for"
            bad.append("new object %d: no rule accounts for it" % n)
        print("new %d: %s" % (n, what))
    for w in sorted(new_widgets):
        o = new.get(w) or {}
        area = rect_area(o.get("/Rect"))
        if level and area > 0:
            bad.append("new signature widget %s is visible (/Rect %s) after a certification"
                       % (w, o.get("/Rect")))
        print("    widget %s: /Rect %s (%s)%s" % (w, o.get("/Rect"), "visible" if area else "invisible",
                                                 ", /AP" if "/AP" in o else ""))

    root = old.root_ref()
    pages = old.pages()
    annots_arrays = {old.get(p).get("/Annots"): p for p in pages
                     if isinstance(old.get(p).get("/Annots"), str)}
    old_acro = old.get(root).get("/AcroForm")
    fields_ref = (old.resolve(old_acro) or {}).get("/Fields")

    def grows(a, b, what):
        a, b = old.resolve(a) or [], new.resolve(b) or []
        if b[:len(a)] != a:
            bad.append("%s: earlier entries removed or moved" % what)
        extra = [x for x in b[len(a):] if x not in new_widgets and x not in new_fields]
        if extra:
            bad.append("%s: gains %s, not new signature widgets" % (what, extra))
        return len(b) - len(a)

    def form_dict(a, b, what):
        if a is None:
            return []	# the first form of the document: nothing signed to compare with
        keys = [k for k in differing_keys(a, b or {}) if k not in ACROFORM_FREE]
        if keys:
            bad.append("%s: %s changed (only %s may)" % (what, ", ".join(keys),
                                                        ", ".join(sorted(ACROFORM_FREE))))
        return keys

    for n in changed:
        r = ref(n)
        a, b = old.get(r), new.get(r)
        if r == root:
            keys = differing_keys(a, b)
            print("changed %d: catalog, keys differing: %s" % (n, keys or "none"))
            for k in keys:
                if k not in ROOT_FREE:
                    bad.append("catalog: %s changed" % k)
            if isinstance(a.get("/AcroForm"), dict) or isinstance(b.get("/AcroForm"), dict):
                form_dict(old.resolve(a.get("/AcroForm")), new.resolve(b.get("/AcroForm")),
                          "AcroForm")
        elif r == old_acro:
            print("changed %d: AcroForm, keys differing: %s" % (n, differing_keys(a, b)))
            form_dict(a, b, "AcroForm")
        elif r in pages:
            keys = differing_keys(a, b)
            print("changed %d: page %d, keys differing: %s" % (n, pages.index(r) + 1, keys))
            if [k for k in keys if k != "/Annots"]:
                bad.append("page %s: %s changed" % (r, [k for k in keys if k != "/Annots"]))
            if "/Annots" in keys:
                grows(a.get("/Annots"), b.get("/Annots"), "page %s /Annots" % r)
        elif r in annots_arrays:
            k = grows(a, b, "/Annots array %s" % r)
            print("changed %d: /Annots array of page %s, +%d" % (n, annots_arrays[r], k))
        elif r == fields_ref:
            k = grows(a, b, "/Fields array %s" % r)
            print("changed %d: /Fields array, +%d" % (n, k))
        else:
            bad.append("object %d (%s) rewritten" % (n, str(a)[:80]))
            print("changed %d: NOT ALLOWED: %s" % (n, str(a)[:80]))

    for p in pages:
        oc, nc = old.get(p).get("/Contents"), (new.get(p) or {}).get("/Contents")
        if oc != nc:
            bad.append("page %s: /Contents now %s, was %s" % (p, nc, oc))
            continue
        for c in ([oc] if isinstance(oc, str) else oc or []):
            if old.stream_data(c) != new.stream_data(c):
                bad.append("page %s: content stream %s changed" % (p, c))
    print("contents: %d page(s), every content stream as before%s"
          % (len(pages), "" if not [x for x in bad if "content" in x.lower()] else ": NO"))

    for b in bad:
        print("FAIL: %s" % b)
    print("%s: %d object(s) new, %d changed" % ("ALLOWED" if not bad else "NOT ALLOWED",
                                                len(fresh), len(changed)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
