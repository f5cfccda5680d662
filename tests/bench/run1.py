#!/usr/bin/env python3
"""One measured run of sertel for tests/bench/bench.sh (stdlib only).

  run1.py batch SPOOL -- SERTEL ARGS...     run --once over what lies in
                                            SPOOL/incoming/<pd>/
  run1.py watch SPOOL DROPS DIR -- SERTEL ARGS...
                                            start `watch`, drop DROPS + 1 of
                                            DIR's PDFs + sidecars one by one
                                            into incoming/pd0/, each after the
                                            last was delivered (the first
                                            waits for the start-up, untimed)

Prints one tab-separated row on stdout:
  docs secs docs_s cpu_ms_doc p50_ms p99_ms rss_master rss_workers rss_keys bytes_added
RSS in MiB (VmHWM: the peak of each process, the largest of each kind).

Every figure comes from outside the service: CPU is the rusage of the whole
tree (wait4 on the master, which reaps its workers and key process), peaks
are /proc/PID/status VmHWM sampled every 20 ms (a high-water mark: only the
last 20 ms of a process can escape), and latency is timed with inotify on
the spool's folders: a document is claimed when its PDF leaves incoming/<pd>
(IN_MOVED_FROM) and delivered when it arrives in done/<pd> (IN_MOVED_TO),
which sertel does only after the group commit made it durable.  watch: the
latency is from the drop's close (the PDF's rename into incoming/pd0, the
sidecar already there) to its delivery.
"""
import ctypes
import os
import shutil
import struct
import subprocess
import sys
import threading
import time

IN_MOVED_FROM, IN_MOVED_TO = 0x40, 0x80
libc = ctypes.CDLL(None, use_errno=True)


class Watcher:
    """inotify on incoming/<pd> and done/<pd>: (monotonic time, kind, name) per event."""

    def __init__(self, spool, pds):
        self.fd = libc.inotify_init1(0)
        if self.fd < 0:
            raise SystemExit("run1: inotify_init1 failed")
        self.wds = {}
        for pd in pds:
            for top, mask, kind in (("incoming", IN_MOVED_FROM, "claim"),
                                    ("done", IN_MOVED_TO, "done")):
                d = os.path.join(spool, top, pd)
                os.makedirs(d, exist_ok=True)
                wd = libc.inotify_add_watch(self.fd, d.encode(), mask)
                if wd < 0:
                    raise SystemExit("run1: inotify_add_watch %s failed" % d)
                self.wds[wd] = kind
        self.events = {"claim": {}, "done": {}}
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            buf = os.read(self.fd, 1 << 16)
            now = time.monotonic()
            i = 0
            with self.cond:
                while i + 16 <= len(buf):
                    wd, mask, _, n = struct.unpack_from("iIII", buf, i)
                    name = buf[i + 16:i + 16 + n].rstrip(b"\0").decode()
                    i += 16 + n
                    kind = self.wds.get(wd)
                    if kind and name.endswith(".pdf"):
                        self.events[kind].setdefault(name, now)
                self.cond.notify_all()

    def wait_done(self, name, timeout):
        end = time.monotonic() + timeout
        with self.cond:
            while name not in self.events["done"]:
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.events["done"][name]


def tree(pid):
    """pid and its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


class Sampler:
    """The largest VmHWM of each kind of process: master, worker, key process."""

    def __init__(self, master):
        self.master = master
        self.peak = {"master": 0, "worker": 0, "keys": 0}
        self.stop = False
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self):
        while not self.stop:
            for p in tree(self.master):
                try:
                    with open("/proc/%d/status" % p) as f:
                        st = f.read()
                except OSError:
                    continue
                name = st.split("\n", 1)[0].split("\t", 1)[-1]
                kb = [int(l.split()[1]) for l in st.split("\n") if l.startswith("VmHWM:")]
                if not kb:
                    continue
                kind = "master" if p == self.master else \
                    "keys" if name.startswith("sertel-keys") else "worker"
                self.peak[kind] = max(self.peak[kind], kb[0])
            time.sleep(0.02)

    def finish(self):
        self.stop = True
        self.t.join()


def pct(v, q):
    if not v:
        return 0.0
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))]


def pdfs(spool, top):
    out = {}
    d = os.path.join(spool, top)
    for pd in os.listdir(d) if os.path.isdir(d) else []:
        for f in os.listdir(os.path.join(d, pd)):
            if f.endswith(".pdf"):
                out[f] = os.path.getsize(os.path.join(d, pd, f))
    return out


def wait4(proc):
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ru


def main():
    mode, spool = sys.argv[1], sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    # sertel's own lines go beside the spool; a failed run shows their end
    log = open(os.path.join(os.path.dirname(os.path.abspath(spool)), "sertel.log"), "w+")
    if mode == "batch":
        inputs = pdfs(spool, "incoming")
        pds = os.listdir(os.path.join(spool, "incoming"))
        w = Watcher(spool, pds)
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stderr=log)
        s = Sampler(proc.pid)
        ru = wait4(proc)
        secs = time.monotonic() - t0
        s.finish()
        time.sleep(0.1)  # the last inotify events
        out = pdfs(spool, "done")
        lat = [(w.events["done"][n] - w.events["claim"][n]) * 1000
               for n in out if n in w.events["done"] and n in w.events["claim"]]
        added = sum(out[n] - inputs[n] for n in out if n in inputs)
        docs = len(out)
        if proc.returncode != 0 or docs != len(inputs):
            print("run1: exit %d, %d of %d documents signed" % (proc.returncode, docs, len(inputs)),
                  file=sys.stderr)
            log.seek(0)
            sys.stderr.write("".join(log.readlines()[-5:]))
    else:
        drops, src = int(sys.argv[3]), sys.argv[4]
        stems = sorted(f[:-4] for f in os.listdir(src) if f.endswith(".pdf"))[:drops + 1]
        inputs = 0
        inc = os.path.join(spool, "incoming", "pd0")
        w = Watcher(spool, ["pd0"])
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stderr=log)
        s = Sampler(proc.pid)
        lat, added = [], 0
        for i, stem in enumerate(stems):  # the first warms up: it waits for the start-up
            shutil.copyfile(os.path.join(src, stem + ".yaml"), os.path.join(inc, ".%s.yaml" % stem))
            shutil.copyfile(os.path.join(src, stem + ".pdf"), os.path.join(inc, ".%s.pdf" % stem))
            inputs += os.path.getsize(os.path.join(src, stem + ".pdf"))
            os.rename(os.path.join(inc, ".%s.yaml" % stem), os.path.join(inc, stem + ".yaml"))
            os.rename(os.path.join(inc, ".%s.pdf" % stem), os.path.join(inc, stem + ".pdf"))
            closed = time.monotonic()
            got = w.wait_done(stem + ".pdf", 60 if i == 0 else 20)
            if got is None:
                print("run1: %s not delivered" % stem, file=sys.stderr)
                break
            if i > 0:
                lat.append((got - closed) * 1000)
        proc.terminate()
        ru = wait4(proc)
        secs = time.monotonic() - t0
        s.finish()
        out = pdfs(spool, "done")
        docs = len(out)
        added = sum(out.values()) - inputs
    cpu = (ru.ru_utime + ru.ru_stime) * 1000
    n = max(docs, 1)
    print("%d\t%.2f\t%.0f\t%.2f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%d" % (
        docs, secs, docs / secs if secs > 0 else 0, cpu / n, pct(lat, 0.5), pct(lat, 0.99),
        s.peak["master"] / 1024, s.peak["worker"] / 1024, s.peak["keys"] / 1024, added // n))


if __name__ == "__main__":
    main()
