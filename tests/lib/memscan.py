#!/usr/bin/env python3
"""memscan.py - search live processes' memory for a private key and a passphrase.

    memscan.py [--key KEYFILE]... [--secret TEXT]... PID...

For each PID, reads /proc/PID/maps and every readable mapping through
/proc/PID/mem (root, or the same user and a dumpable process), and prints one
line per thing found:  PID  WHAT  (e.g. "1234 signer-rsa.key:prime1:le").
Nothing printed: none of it is there.  Mappings larger than 4 GiB (ASan's
shadow memory, reserved and empty) are skipped.  Exit 2 when a process could not be read
at all (so an unreadable process never passes as a clean one).

The private parts of a key (RSA d, p, q, dP, dQ, qInv; the EC scalar) are
taken from `openssl pkey -text` of KEYFILE, each searched as a 24-byte window
both big-endian (as in the key's PKCS#8 DER) and little-endian (OpenSSL's
BIGNUM limbs on x86-64).  Public parts (n, e, the EC point) are not
searched: every process has the certificate.
"""
import os
import re
import subprocess
import sys

PRIVATE = ("privateExponent", "prime1", "prime2", "exponent1", "exponent2",
           "coefficient", "priv")
WINDOW = 24
CHUNK = 16 << 20
HUGE = 4 << 30


def key_patterns(path):
    """(label, bytes) windows of path's private numbers and PKCS#8 DER."""
    text = subprocess.run(["openssl", "pkey", "-in", path, "-text", "-noout"],
                          check=True, capture_output=True, text=True).stdout
    name = os.path.basename(path)
    out = []
    current, digits = None, []

    def flush():
        if current in PRIVATE and digits:
            raw = bytes.fromhex("".join(digits)).lstrip(b"\0")
            if len(raw) >= WINDOW:
                out.append(("%s:%s:be" % (name, current), raw[:WINDOW]))
                out.append(("%s:%s:le" % (name, current), raw[::-1][:WINDOW]))

    for line in text.splitlines():
        m = re.match(r"^(\w+):\s*$", line)
        if m:
            flush()
            current, digits = m.group(1), []
        elif current and re.match(r"^\s+[0-9a-f:]+$", line):
            digits.extend(x for x in line.strip().split(":") if x)
        else:
            flush()
            current, digits = None, []
    flush()
    return out


def scan(pid, patterns):
    """The labels of patterns found in pid's memory; None when unreadable."""
    found = set()
    try:
        maps = open("/proc/%d/maps" % pid).read().splitlines()
        mem = open("/proc/%d/mem" % pid, "rb", buffering=0)
    except OSError:
        return None
    nread = 0
    overlap = max((len(p) for _, p in patterns), default=1) - 1
    with mem:
        for line in maps:
            f = line.split()
            lo, hi = (int(x, 16) for x in f[0].split("-"))
            if f[1][0] != "r" or (len(f) > 5 and f[5] in ("[vvar]", "[vsyscall]", "[vvar_vclock]")):
                continue
            # ASan's shadow: terabytes reserved, nothing of ours in it
            if hi - lo > HUGE:
                continue
            tail = b""
            for at in range(lo, hi, CHUNK):
                try:
                    mem.seek(at)
                    data = tail + mem.read(min(CHUNK, hi - at))
                except (OSError, OverflowError, ValueError):
                    break
                nread += len(data) - len(tail)
                for label, pat in patterns:
                    if label not in found and data.find(pat) >= 0:
                        found.add(label)
                tail = data[-overlap:] if overlap else b""
    return found if nread else None


def main(argv):
    keys, secrets, pids = [], [], []
    it = iter(argv)
    for a in it:
        if a == "--key":
            keys.append(next(it))
        elif a == "--secret":
            secrets.append(next(it))
        else:
            pids.append(int(a))
    patterns = []
    for k in keys:
        patterns.extend(key_patterns(k))
    for i, s in enumerate(secrets):
        patterns.append(("secret%d" % i, s.encode()))
    rc = 0
    for pid in pids:
        found = scan(pid, patterns)
        if found is None:
            print("%d unreadable" % pid)
            rc = 2
            continue
        for label in sorted(found):
            print("%d %s" % (pid, label))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
