#!/usr/bin/env python3
"""leasewriter.py SRC DST PAUSE - copy SRC to DST the way smbd does for a
client holding an oplock: DST opened for writing with a write lease taken
(F_SETLEASE F_WRLCK), half of SRC written, then a pause of PAUSE seconds
before the rest; when someone opens DST meanwhile the kernel breaks the
lease (SIGIO) and the writer gives it back, keeping the file open.  Prints
"broken" on stderr when the lease was broken.  Linux only, stdlib only."""
import fcntl
import os
import signal
import sys
import time

F_SETLEASE = 1024
src, dst, pause = sys.argv[1], sys.argv[2], float(sys.argv[3])
data = open(src, "rb").read()
broken = []


def on_break(sig, frame):
    fcntl.fcntl(fd, F_SETLEASE, fcntl.F_UNLCK)
    broken.append(1)


signal.signal(signal.SIGIO, on_break)
fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
fcntl.fcntl(fd, F_SETLEASE, fcntl.F_WRLCK)
half = len(data) // 2
os.write(fd, data[:half])
end = time.time() + pause
while time.time() < end:
    time.sleep(0.05)
os.write(fd, data[half:])
os.close(fd)
if broken:
    print("broken", file=sys.stderr)
