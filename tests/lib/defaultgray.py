#!/usr/bin/env python3
"""defaultgray.py FILE.pdf [OUT.icc] - how a signed PDF/A file without an output intent
keeps its claim: one line per signature widget with an appearance, then exit 0 only if

  - the catalog has no /OutputIntents (sertel adds none),
  - the widget's appearance and every form XObject it paints set
    /ColorSpace/DefaultGray to [/ICCBased S] (resources do not inherit), and
  - S is a stream with /N 1 whose bytes are an ICC profile (signature 'acsp')
    of colour space 'GRAY'; with OUT.icc, they are written there (for transicc).

Read with qpdf --json (an independent parser), stream data decoded.
"""
import base64
import json
import subprocess
import sys

j = json.loads(subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                               sys.argv[1]], capture_output=True, check=True).stdout)
objs = j["qpdf"][1]
bad = []


def get(ref):
    o = objs.get("obj:" + ref, {})
    return o.get("value", o.get("stream", {}).get("dict", {}))


def stream(ref):
    return objs.get("obj:" + ref, {}).get("stream", {})


root = get(objs["trailer"]["value"]["/Root"])
if "/OutputIntents" in root:
    bad.append("the catalog has /OutputIntents")


def check_form(ref, where, seen):
    """DefaultGray in form ref and in the forms it paints; the profile's bytes."""
    if ref in seen:
        return None
    seen.add(ref)
    res = get(ref).get("/Resources", {})
    if isinstance(res, str):
        res = get(res)
    cs = res.get("/ColorSpace", {})
    cs = get(cs) if isinstance(cs, str) else cs
    dg = cs.get("/DefaultGray")
    if not (isinstance(dg, list) and len(dg) == 2 and dg[0] == "/ICCBased"):
        bad.append("%s: form %s has no DefaultGray ICCBased" % (where, ref))
        return None
    icc = stream(dg[1])
    data = base64.b64decode(icc.get("data", ""))
    if icc.get("dict", {}).get("/N") != 1 or data[36:40] != b"acsp" or data[16:20] != b"GRAY":
        bad.append("%s: DefaultGray %s is not a Gray ICC profile with /N 1" % (where, dg[1]))
    xo = res.get("/XObject", {})
    for sub in (get(xo) if isinstance(xo, str) else xo).values():
        if get(sub).get("/Subtype") == "/Form":
            check_form(sub, where, seen)
    return data


n = 0
for key, o in objs.items():
    d = o.get("value")
    if not isinstance(d, dict) or d.get("/Subtype") != "/Widget" or "/AP" not in d:
        continue
    field = get(d["/Parent"]) if "/Parent" in d else d
    if field.get("/FT") != "/Sig":
        continue
    n += 1
    ap = d["/AP"] if isinstance(d["/AP"], dict) else get(d["/AP"])
    data = check_form(ap["/N"], key, set())
    if data is not None:
        print("%s: appearance %s DefaultGray ICC Gray profile, %d bytes" % (key, ap["/N"], len(data)))
        if len(sys.argv) > 2:
            open(sys.argv[2], "wb").write(data)
if n == 0:
    bad.append("no signature widget with an appearance")
for b in bad:
    print("FAIL", b)
sys.exit(1 if bad else 0)
