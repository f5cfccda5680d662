"""jbig2.py - a JBIG2 stream for PDF's /JBIG2Decode, encoded by hand (stdlib only).

ITU T.88: a page information segment and one immediate generic region
segment (template 0, arithmetic coding, TPGDON on).  With typical prediction
every row is "the same as the row above" (the row above the first is white),
so the whole region is one LTP bit per row, all in one context: an MQ coder
(T.88 annex E) packs a million such rows into a few dozen bytes.  The
decoder still allocates the page and the region at full size first: a
small file that asks for gigabytes.

  blank_page(width, height[, region_width]) -> bytes   the segments, as a PDF stream holds them
"""
import struct

# T.88 table E.1: Qe, NMPS, NLPS, SWITCH
QE = [
    (0x5601, 1, 1, 1), (0x3401, 2, 6, 0), (0x1801, 3, 9, 0), (0x0AC1, 4, 12, 0),
    (0x0521, 5, 29, 0), (0x0221, 38, 33, 0), (0x5601, 7, 6, 1), (0x5401, 8, 14, 0),
    (0x4801, 9, 14, 0), (0x3801, 10, 14, 0), (0x3001, 11, 17, 0), (0x2401, 12, 18, 0),
    (0x1C01, 13, 20, 0), (0x1601, 29, 21, 0), (0x5601, 15, 14, 1), (0x5401, 16, 14, 0),
    (0x5101, 17, 15, 0), (0x4801, 18, 16, 0), (0x3801, 19, 17, 0), (0x3401, 20, 18, 0),
    (0x3001, 21, 19, 0), (0x2801, 22, 19, 0), (0x2401, 23, 20, 0), (0x2201, 24, 21, 0),
    (0x1C01, 25, 22, 0), (0x1801, 26, 23, 0), (0x1601, 27, 24, 0), (0x1401, 28, 25, 0),
    (0x1201, 29, 26, 0), (0x1101, 30, 27, 0), (0x0AC1, 31, 28, 0), (0x09C1, 32, 29, 0),
    (0x08A1, 33, 30, 0), (0x0521, 34, 31, 0), (0x0441, 35, 32, 0), (0x02A1, 36, 33, 0),
    (0x0221, 37, 34, 0), (0x0141, 38, 35, 0), (0x0111, 39, 36, 0), (0x0085, 40, 37, 0),
    (0x0049, 41, 38, 0), (0x0025, 42, 39, 0), (0x0015, 43, 40, 0), (0x0009, 44, 41, 0),
    (0x0005, 45, 42, 0), (0x0001, 45, 43, 0), (0x5601, 46, 46, 0),
]


class MQEncoder:
    """The arithmetic encoder of T.88 annex E.2 (the software conventions of E.2.9)."""

    def __init__(self):
        self.a, self.c, self.ct = 0x8000, 0, 12
        self.out = bytearray([0])	# out[0] is the byte before the first (BPST - 1)
        self.index, self.mps = {}, {}

    def _byteout(self):
        if self.out[-1] == 0xFF:
            self.out.append(self.c >> 20)
            self.c &= 0xFFFFF
            self.ct = 7
            return
        if self.c >= 0x8000000:
            self.out[-1] += 1
            self.c &= 0x7FFFFFF
            if self.out[-1] == 0xFF:
                self.out.append(self.c >> 20)
                self.c &= 0xFFFFF
                self.ct = 7
                return
        self.out.append(self.c >> 19)
        self.c &= 0x7FFFF
        self.ct = 8

    def _renorm(self):
        while True:
            self.a = (self.a << 1) & 0xFFFF
            self.c = (self.c << 1) & 0xFFFFFFFF
            self.ct -= 1
            if self.ct == 0:
                self._byteout()
            if self.a & 0x8000:
                break

    def encode(self, cx, d):
        i, mps = self.index.get(cx, 0), self.mps.get(cx, 0)
        qe, nmps, nlps, switch = QE[i]
        self.a -= qe
        if d == mps:
            if self.a & 0x8000:
                self.c += qe
                return
            if self.a < qe:
                self.a = qe
            else:
                self.c += qe
            self.index[cx] = nmps
        else:
            if self.a < qe:
                self.c += qe
            else:
                self.a = qe
            if switch:
                self.mps[cx] = 1 - mps
            self.index[cx] = nlps
        self._renorm()

    def flush(self):
        temp = self.c + self.a
        self.c |= 0xFFFF
        if self.c >= temp:
            self.c -= 0x8000
        self.c <<= self.ct
        self._byteout()
        self.c <<= self.ct
        self._byteout()
        if self.out[-1] != 0xFF:
            self.out.append(0xFF)
        self.out.append(0xAC)
        return bytes(self.out[1:])


def segment(number, kind, data, page=1):
    """A segment: header (no referred-to segments, 1-byte page association) and data."""
    return struct.pack(">IBBBI", number, kind, 0, page, len(data)) + data


def blank_page(width, height, region_width=None):
    """A white width x height page, generic-region coded with typical prediction;
    region_width: a region that wide instead (past the page's edge when wider)."""
    page_info = struct.pack(">IIIIBH", width, height, 0, 0, 0, 0)
    mq = MQEncoder()
    for row in range(height):
        mq.encode(0x9B25, 1 if row == 0 else 0)	# SLTP: LTP on at row 0, never off again
    region = struct.pack(">IIIIB", region_width or width, height, 0, 0, 0)
    flags = 0x08	# MMR 0, GBTEMPLATE 0, TPGDON 1
    at = bytes([3, 0xFF, 0xFD, 0xFF, 2, 0xFE, 0xFE, 0xFE])	# the nominal AT pixels
    return segment(0, 48, page_info) + segment(1, 38, region + bytes([flags]) + at + mq.flush())
