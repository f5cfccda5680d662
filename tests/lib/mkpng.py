#!/usr/bin/env python3
"""mkpng.py OUT.png [W H] - an RGBA PNG (stdlib only): a dark blue "signature"
stroke on a transparent background, for the image kind of the mark."""
import math
import struct
import sys
import zlib

out = sys.argv[1]
w, h = (int(v) for v in sys.argv[2:4]) if len(sys.argv) >= 4 else (240, 120)
rows = []
for y in range(h):
    row = bytearray([0])                    # filter: none
    for x in range(w):
        cy = h / 2 + math.sin(x / w * 4 * math.pi) * h / 4
        a = max(0, 255 - int(abs(y - cy) * 255 / (h / 12)))
        row += bytes((20, 40, 140, a))
    rows.append(bytes(row))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


with open(out, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
