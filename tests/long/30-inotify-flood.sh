#!/bin/sh
# 30-inotify-flood.sh - 20,000 drops at once under `sertel watch`, with the
# kernel's inotify queue cut to 64 events so that it overflows (IN_Q_OVERFLOW):
# the daemon must fall back to scanning and still take every drop, once.
# (sertel does not log the overflow: it drains the queue and scans on every
# wake-up, which is why an overflow loses nothing.)
# FLOOD_N sets the number of documents (default 20000, over five PDs).
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
total=${FLOOD_N:-20000}
per=$((total / 5))
q=/proc/sys/fs/inotify/max_queued_events
old=$(cat "$q")
if ! echo 64 > "$q" 2>/dev/null; then
	echo "ok 1 # skip cannot shrink the inotify queue (not root)"
	echo "1..1"
	exit 0
fi
trap 'echo "$old" > "$q"; [ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null; [ -z "${KEEP:-}" ] && rm -rf "$T"' EXIT
pki
config "$T/sertel.yaml" 0
export SERTEL_CONFIG="$T/sertel.yaml"

# the documents and their sidecars, made beside the spool (same file system)
for pd in diskominfo setda bappeda dinkes disdik; do
	mkdir -p "$T/stage/$pd" "$T/spool/incoming/$pd"
	python3 "$ROOT/tests/lib/mkpdf.py" --count "$per" --out "$T/stage/$pd" --prefix "banjir-$pd"
done
python3 - "$T/stage" <<'PY'
import hashlib, os, sys
# tests/lib/mksidecar.sh's sidecar, written in bulk (20,000 shells would take minutes)
for pd in os.listdir(sys.argv[1]):
    d = os.path.join(sys.argv[1], pd)
    for f in os.listdir(d):
        if not f.endswith(".pdf"):
            continue
        sha = hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
        with open(os.path.join(d, f[:-4] + ".yaml"), "w") as y:
            y.write('schema: 1\ntype: surat_keluar\nnumber: "800/%s/2026"\n'
                    'subject: "Undangan rapat koordinasi"\nsigner: "197103012006042006"\n'
                    'parafs:\n  - nip: "198005052005011003"\n    name: "Budi Santoso"\n'
                    '    role: kasubbag_umum\n    time: "2026-11-23T14:05:00+07:00"\n'
                    '    sha256: "%s"\n' % (f[:-4], sha))
PY
( cd "$T/stage" && find . -name '*.pdf' | sed 's|^\./||' ) > "$T/inputs.txt"
is "$(wc -l < "$T/inputs.txt" | tr -d ' ')" "$total" "$total documents made"

"$SERTEL" -q watch 2> "$T/log.txt" &
pid=$!
sleep 1
t0=$(date +%s)
# every pair renamed in at once: tens of thousands of events into a queue of 64
for pd in diskominfo setda bappeda dinkes disdik; do
	find "$T/stage/$pd" -name '*.yaml' -exec mv -t "$T/spool/incoming/$pd" {} +
	find "$T/stage/$pd" -name '*.pdf' -exec mv -t "$T/spool/incoming/$pd" {} +
done
waited=0
while [ "$(count "$T/spool/done" "$T/spool/failed" -name '*.pdf')" -lt "$total" ] && [ $waited -lt 1200 ]; do
	sleep 1
	waited=$((waited + 1))
done
echo "# $total drops taken in $(($(date +%s) - t0)) s"
kill -TERM $pid
wait $pid
is "$?" 0 "SIGTERM: the daemon exits 0"
pid=
is "$(count "$T/spool/done" -name '*.pdf')" "$total" "every drop signed"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents')" "$total" "one database row each"
# pdfsig + qpdf on 500 drawn at random; hashes, rows and store copies of all
ENDSTATE_SAMPLE=500 endstate "$T/inputs.txt"
done_testing
