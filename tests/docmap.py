#!/usr/bin/env python3
"""docmap.py [ROOT] - the README's module map ("Layers: where code lives", up to
"Why these libraries") matches the tree: every source file it names exists,
and every .c file (and every header without a .c of its name) is named.

A name may be a path from the root (`stages/pdf/verify.c`), a tail of one
(`pdf/accept.h`) or a bare file name in its folder's row (`err.c`).  Names of
one letter (`x.c`, the README's placeholder) are examples, not files.  Prints
one line per mismatch and exits 1, or prints nothing and exits 0.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START, END = "### Layers: where code lives", "### Why these libraries"

with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
    text = fh.read()
if START not in text or END not in text:
    print("README.md: no section between %r and %r" % (START, END))
    sys.exit(1)
section = text[text.index(START):text.index(END)]
named = {t for t in re.findall(r"`([A-Za-z0-9_./-]+\.[ch])`", section)
         if len(os.path.splitext(os.path.basename(t))[0]) > 1}
folders = set(re.findall(r"`([a-z][a-z_/]*/)`", section))

sources = []
for dirpath, dirs, files in os.walk(ROOT):
    rel = os.path.relpath(dirpath, ROOT)
    dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("build", "build-san", "build-fuzz", "var")]
    if rel == "." or rel.split(os.sep)[0] == "tests":
        continue
    sources += [os.path.join(rel, f) for f in files if f.endswith((".c", ".h"))]


def matches(path, name):
    return path == name or path.endswith("/" + name)


bad = []
for name in sorted(named):
    if not any(matches(p, name) for p in sources):
        bad.append("named but not in the tree: %s" % name)
for d in sorted(folders):
    if not os.path.isdir(os.path.join(ROOT, d)) and not os.path.isdir(os.path.join(ROOT, "stages", d)):
        bad.append("named but not in the tree: folder %s" % d)
have = set(sources)
for p in sorted(sources):
    placed = p.endswith(".c") or os.path.splitext(p)[0] + ".c" not in have
    if placed and not any(matches(p, n) for n in named):
        bad.append("not placed in the map: %s" % p)
for line in bad:
    print(line)
sys.exit(1 if bad else 0)
