#!/usr/bin/env python3
"""leaseprobe.py FILE [UID] - what sertel's settle check (spool/spool.c,
still_open) sees on FILE: it opens FILE read-only and non-blocking and asks
for a read lease (fcntl F_SETLEASE F_RDLCK), as that user when UID is given
(the descriptor is opened first, then the process drops to UID: only the
lease is asked as that user).  Prints one word:
  free     the lease was granted: nobody has the file open for writing
  busy     EAGAIN: a writer holds it open (still_open says "not settled")
  refused  EACCES: not the file's owner and no CAP_LEASE (settle time only)
  blocked  the open itself would block: someone holds a write lease on it
           (smbd with kernel oplocks); still_open reads this as not open"""
import errno
import fcntl
import os
import sys

F_SETLEASE = 1024
try:
    fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
except OSError as e:
    print("blocked" if e.errno == errno.EWOULDBLOCK else "open-failed:" + e.strerror)
    sys.exit(0)
if len(sys.argv) > 2:
    os.setgroups([])
    os.setgid(int(sys.argv[2]))
    os.setuid(int(sys.argv[2]))
try:
    fcntl.fcntl(fd, F_SETLEASE, fcntl.F_RDLCK)
    fcntl.fcntl(fd, F_SETLEASE, fcntl.F_UNLCK)
    print("free")
except OSError as e:
    print({errno.EAGAIN: "busy", errno.EACCES: "refused"}.get(e.errno, "error:" + e.strerror))
