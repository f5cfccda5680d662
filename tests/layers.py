#!/usr/bin/env python3
"""layers.py [ROOT] - the layering rule of README "Design", checked on the tree (TAP).

Each source file's layer is its folder's (LAYERS below, lowest first; folders
on one line are siblings of one layer).  A file may include a project header
only from its own folder or a lower layer; two folders never include each
other; no two modules (x.c + x.h) include each other, directly or round a
longer circle; every folder holding C sources has a place in the table; no .c
file is over MAX_LINES.  A failure names the file and line.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYERS = [
    ["base"],
    ["config", "spool"],
    ["db"],
    ["pki"],
    ["stages/pdf", "stages/paraf"],
    ["stages/mark"],
    ["stages"],
    ["web"],
    ["pipeline"],
]
MAX_LINES = 1200
RANK = {d: i for i, row in enumerate(LAYERS) for d in row}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

tests = []


def ok(good, name, why=()):
    tests.append((good, name, list(why)))


def sources():
    for dirpath, dirs, files in os.walk(ROOT):
        rel = os.path.relpath(dirpath, ROOT)
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("build", "build-san", "var")]
        if rel == "." or rel.startswith("tests"):
            continue
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield rel, f


files = list(sources())
folders = sorted({d for d, _ in files})
ok(all(d in RANK for d in folders), "every folder with C sources has a layer",
   ["%s: not in LAYERS of tests/layers.py: say where it stands" % d for d in folders if d not in RANK])

upward, edges, folder_edges = [], {}, {}
for d, f in files:
    path = os.path.join(ROOT, d, f)
    mod = (d, os.path.splitext(f)[0])
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = os.path.normpath(os.path.join(d, m.group(1)))
            td = os.path.dirname(target)
            if td not in RANK or d not in RANK:
                continue
            if RANK[td] > RANK[d]:
                upward.append("%s/%s:%d: includes %s (%s is above %s)" % (d, f, n, target, td, d))
            if td != d:
                folder_edges.setdefault((d, td), "%s/%s:%d" % (d, f, n))
            tmod = (td, os.path.splitext(os.path.basename(target))[0])
            if tmod != mod:
                edges.setdefault(mod, {}).setdefault(tmod, "%s/%s:%d" % (d, f, n))

ok(not upward, "no include reaches up a layer", upward)

mutual = ["%s and %s include each other (%s, %s)" % (a, b, where, folder_edges[(b, a)])
          for (a, b), where in sorted(folder_edges.items()) if (b, a) in folder_edges and a < b]
ok(not mutual, "no two folders include each other", mutual)

# Tarjan's strongly connected components over the module graph.
index, low, stack, on, circles = {}, {}, [], set(), []


def strong(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in edges.get(v, {}):
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            names = sorted("%s/%s" % m for m in comp)
            where = sorted(edges[a][b] for a in comp for b in edges.get(a, {}) if b in comp)
            circles.append("circle: %s (%s)" % (" <-> ".join(names), ", ".join(where)))


sys.setrecursionlimit(10000)
for v in sorted({m for m in edges} | {t for m in edges for t in edges[m]}):
    if v not in index:
        strong(v)
ok(not circles, "no import circles between modules", circles)

long_files = []
for d, f in files:
    if f.endswith(".c"):
        with open(os.path.join(ROOT, d, f), encoding="utf-8", errors="replace") as fh:
            n = sum(1 for _ in fh)
        if n > MAX_LINES:
            long_files.append("%s/%s: %d lines (at most %d: split it along its seams)" % (d, f, n, MAX_LINES))
ok(not long_files, "no .c file is over %d lines" % MAX_LINES, long_files)

print("1..%d" % len(tests))
for i, (good, name, why) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if good else "not ok", i, name))
    for w in why:
        print("#   %s" % w)
sys.exit(0 if all(t[0] for t in tests) else 1)
