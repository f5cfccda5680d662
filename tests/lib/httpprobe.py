#!/usr/bin/env python3
"""httpprobe.py - measure an HTTP server from outside (stdlib only), for 95-serve.sh.

  httpprobe.py timing N URL...    N rounds, each URL once per round in turn, a new
                                  connection each: per URL the median and p90 in ms
                                  ("URL median p90"), one line each
  httpprobe.py load HOST PORT PID SECONDS CLIENTS PATH...
                                  CLIENTS keep-alive connections asking for the PATHs
                                  in turn for SECONDS; prints key=value lines:
                                  requests, errors, rps, p50_ms, p99_ms, and the
                                  server's RSS (kB, /proc/PID/status) after the first
                                  second (rss_start), its highest and at the end
  httpprobe.py idle HOST PORT     send half a request and wait: seconds until the
                                  server closes the connection
"""
import asyncio
import socket
import statistics
import sys
import time
import urllib.error
import urllib.request


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))]


def timing(n, urls):
    times = {u: [] for u in urls}
    for _ in range(n):
        for u in urls:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(u) as r:
                    r.read()
            except urllib.error.HTTPError as e:
                e.read()
            times[u].append((time.perf_counter() - t0) * 1000)
    for u in urls:
        print("%s %.2f %.2f" % (u, statistics.median(times[u]), pct(times[u], 0.9)))


def rss(pid):
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def client(host, port, paths, until, lat, errs):
    reader = writer = None
    i = 0
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            t0 = time.perf_counter()
            writer.write(("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (path, host)).encode())
            await writer.drain()
            status = int((await reader.readline()).split()[1])
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                k, _, v = line.decode().partition(":")
                if k.lower() == "content-length":
                    length = int(v)
            await reader.readexactly(length)
            lat.append((time.perf_counter() - t0) * 1000)
            if status not in (200, 404):
                errs.append(status)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as e:
            errs.append(repr(e))
            if writer:
                writer.close()
            reader = writer = None
    if writer:
        writer.close()


async def sampler(pid, until, out):
    t_start = time.monotonic()
    while time.monotonic() < until:
        await asyncio.sleep(0.25)
        out.append((time.monotonic() - t_start, rss(pid)))


async def load(host, port, pid, seconds, clients, paths):
    until = time.monotonic() + seconds
    lat, errs, mem = [], [], []
    t0 = time.monotonic()
    await asyncio.gather(sampler(pid, until, mem),
                         *(client(host, port, paths, until, lat, errs) for _ in range(clients)))
    took = time.monotonic() - t0
    after1 = [m for t, m in mem if t >= 1.0] or [rss(pid)]
    print("requests=%d" % len(lat))
    print("errors=%d" % len(errs))
    if errs:
        print("first_error=%s" % errs[0])
    print("rps=%.0f" % (len(lat) / took))
    print("p50_ms=%.1f" % pct(lat, 0.5))
    print("p99_ms=%.1f" % pct(lat, 0.99))
    print("rss_start=%d" % after1[0])
    print("rss_max=%d" % max(after1))
    print("rss_end=%d" % rss(pid))


def idle(host, port):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET /verifikasi/ HTTP/1.1\r\nHost: x\r\n")
    t0 = time.monotonic()
    s.settimeout(60)
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    print("%.1f" % (time.monotonic() - t0))


def main(argv):
    if len(argv) > 2 and argv[1] == "timing":
        timing(int(argv[2]), argv[3:])
    elif len(argv) > 7 and argv[1] == "load":
        asyncio.run(load(argv[2], int(argv[3]), argv[4], float(argv[5]), int(argv[6]), argv[7:]))
    elif len(argv) == 4 and argv[1] == "idle":
        idle(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
