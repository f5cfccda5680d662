#!/usr/bin/env python3
"""widgets.py FILE.pdf - the signature widgets with an appearance, one per line:

    PAGE X0 Y0 X1 Y1 FIELD

PAGE is 1-based, the rectangle is the widget's /Rect in default user space,
FIELD the signature field's name.  Read with qpdf --json (an independent parser).
"""
import json
import subprocess
import sys

j = json.loads(subprocess.run(["qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf",
                               sys.argv[1]], capture_output=True, check=True).stdout)
objs = j["qpdf"][1]
page_of = {p["object"]: p["pageposfrom1"] for p in j["pages"]}


def val(ref):
    return objs.get("obj:" + ref, {}).get("value", {})


for key, o in objs.items():
    d = o.get("value")
    if not isinstance(d, dict) or d.get("/Subtype") != "/Widget" or "/AP" not in d:
        continue
    field = val(d["/Parent"]) if "/Parent" in d else d
    if field.get("/FT") != "/Sig":
        continue
    name = field.get("/T", "")[2:]
    print(page_of.get(d.get("/P")), " ".join("%.2f" % v for v in d["/Rect"]), name)
