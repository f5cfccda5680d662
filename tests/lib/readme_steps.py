#!/usr/bin/env python3
"""readme_steps.py README SERTEL-HELP CONFIG-DIR - the README's section for the
district IT officer points at things that exist (TAP-free: one line per
problem, exit 1): every section it names in a "(see ...)" is a heading or a
bold paragraph label of the README, every `sertel COMMAND` in its commands is
in `sertel help`, and every sertel unit it names is in CONFIG-DIR.
"""
import os
import re
import sys


def main(readme, helpfile, confdir):
    text = open(readme, encoding="utf-8").read()
    m = re.search(r"^## For the district IT officer.*?(?=^## )", text, re.S | re.M)
    if not m:
        print("no section '## For the district IT officer'")
        return 1
    part = m.group(0)
    headings = {h.strip() for h in re.findall(r"^#+ (.*)$", text, re.M)}
    labels = {l.strip() for l in re.findall(r"\*\*([^*]+?)\.\*\*", text)}
    known = set(re.findall(r"^  ([a-z]+) ", open(helpfile, encoding="utf-8").read(), re.M))
    bad = 0
    for see in re.findall(r"\(see ([^)]*)\)", part, re.S):
        for name in re.findall(r'"([^"]+)"', see):
            if name not in headings and name not in labels:
                print("names no section or label: %r" % name)
                bad += 1
    for line in part.splitlines():
        if not line.startswith("       "):
            continue             # commands are the indented lines
        for cmd in re.findall(r"(?<!-u )\bsertel(?: --config \S+)? ([a-z]+)", line):
            if cmd not in known:
                print("no such command: sertel %s" % cmd)
                bad += 1
    for unit in set(re.findall(r"\b(sertel[a-z@-]*\.(?:timer|service))", part)):
        if not os.path.exists(os.path.join(confdir, unit)):
            print("no such unit: %s" % unit)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
