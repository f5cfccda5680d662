#!/usr/bin/env python3
"""ttyscreen.py FILE - what a terminal shows of a captured session (script -q):
each line as it stands after carriage returns and erase-in-line (CSI K) are
applied, one per output line; other escape sequences are dropped.  With
--count PATTERN, print instead how many times PATTERN (a regex) occurs in
the raw bytes (how often something was drawn)."""
import re
import sys


def screen(raw):
    out = []
    for chunk in raw.split("\n"):
        line, col, i = [], 0, 0
        while i < len(chunk):
            c = chunk[i]
            if c == "\r":
                col = 0
            elif c == "\x1b":
                m = re.match(r"\x1b\[([0-9;?]*)([A-Za-z])", chunk[i:])
                if m:
                    if m.group(2) == "K" and m.group(1) in ("", "0"):
                        del line[col:]
                    i += len(m.group(0))
                    continue
            else:
                if col < len(line):
                    line[col] = c
                else:
                    line.extend(" " * (col - len(line)))
                    line.append(c)
                col += 1
            i += 1
        out.append("".join(line).rstrip())
    return out


def main():
    args = sys.argv[1:]
    if args[0] == "--count":
        raw = open(args[2], encoding="utf-8", errors="replace", newline="").read()
        print(len(re.findall(args[1], raw)))
        return
    raw = open(args[0], encoding="utf-8", errors="replace", newline="").read()
    for line in screen(raw):
        print(line)


main()
