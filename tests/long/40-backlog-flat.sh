#!/bin/sh
# 40-backlog-flat.sh - the master's memory does not grow with the backlog
# (issue 20): 1,000, 10,000 and 100,000 tiny documents waiting in one PD folder;
# `sertel run --once`, then `sertel watch`, each stopped (SIGTERM: what is in
# hand finishes) once STOP_AFTER (2,000) documents are delivered, or at the
# end.  The master's peak RSS (VmHWM of /proc/PID/status, sampled: not a
# timing) at 100,000 must stay within 8 MiB of the one at 1,000: the queue is
# read in chunks, never whole.  Prints the wall time to the stop at each size.
# BACKLOG_SIZES sets the sizes (default "1000 10000 100000"; the first is the
# reference).  Only the first documents are signed: the rest are identical
# copies of one PDF, each with its own sidecar (distinct documents).
. "$(dirname "$0")/../lib/e2e.sh"
sizes=${BACKLOG_SIZES:-1000 10000 100000}
stop=${STOP_AFTER:-2000}
pki
mkpdf() { python3 "$ROOT/tests/lib/mkpdf.py" "$T/one.pdf"; }
mkpdf

# measure KIND N - fresh state, N documents in incoming/diskominfo, then
# `sertel KIND` until $stop are delivered: "peak-KiB seconds delivered"
measure() {
	rm -rf "$T/spool" "$T/state"
	config "$T/sertel.yaml"
	python3 - "$T/one.pdf" "$T/spool/incoming/diskominfo" "$2" <<'PY'
import hashlib, os, sys
pdf = open(sys.argv[1], "rb").read()
sha = hashlib.sha256(pdf).hexdigest()
d, n = sys.argv[2], int(sys.argv[3])
os.makedirs(d)
for i in range(n):
    with open(os.path.join(d, "b%06d.yaml" % i), "w") as y:
        y.write('schema: 1\ntype: surat_keluar\nnumber: "800/%d/2026"\n'
                'signer: "197103012006042006"\nparafs:\n  - nip: "198005052005011003"\n'
                '    name: "Budi Santoso"\n    role: kasubbag_umum\n'
                '    time: "2026-11-23T14:05:00+07:00"\n    sha256: "%s"\n' % (i, sha))
    with open(os.path.join(d, "b%06d.pdf" % i), "wb") as f:
        f.write(pdf)
PY
	want=$stop
	[ "$2" -ge "$stop" ] || want=$2
	python3 - "$SERTEL" "$T/sertel.yaml" "$1" "$T/spool/done/diskominfo" "$want" <<'PY'
import os, signal, subprocess, sys, time
sertel, conf, kind, done, stop = sys.argv[1:6]
t0 = time.monotonic()
p = subprocess.Popen([sertel, "-q", "--config", conf] + kind.split(), stderr=subprocess.DEVNULL)
peak, n, stopped = 0, 0, False
while p.poll() is None:
    try:
        with open("/proc/%d/status" % p.pid) as f:
            peak = max([peak] + [int(l.split()[1]) for l in f if l.startswith("VmHWM:")])
    except OSError:
        pass
    try:
        n = sum(1 for x in os.listdir(done) if x.endswith(".pdf")) if not stopped else n
    except OSError:
        pass
    if n >= int(stop) and not stopped:
        secs = time.monotonic() - t0
        p.send_signal(signal.SIGTERM)
        stopped = True
    time.sleep(0.02)
if not stopped:
    secs = time.monotonic() - t0
n = sum(1 for x in os.listdir(done) if x.endswith(".pdf")) if os.path.isdir(done) else 0
print(peak, "%.1f" % secs, n)
PY
}

ref=
for kind in run watch; do
	[ "$kind" = run ] && k="run --once" || k=watch
	for size in $sizes; do
		# shellcheck disable=SC2086
		set -- $(measure "$k" "$size")
		want=$stop
		[ "$size" -ge "$stop" ] || want=$size
		ok "$([ "$3" -ge "$want" ]; echo $?)" "$kind, $size waiting: $3 delivered ($want wanted)"
		echo "# $kind, $size waiting: master peak RSS $(($1 / 1024)) MiB ($1 KiB), $2 s to $3 delivered"
		if [ "$size" = "${sizes%% *}" ]; then
			ref=$1
		else
			ok "$([ "$1" -le $((ref + 8192)) ]; echo $?)" \
				"$kind: peak RSS at $size waiting ($1 KiB) within 8 MiB of at ${sizes%% *} ($ref KiB)"
		fi
	done
done
done_testing
