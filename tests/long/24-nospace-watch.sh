#!/bin/sh
# 24-nospace-watch.sh - a full disk under the daemon (issue 11, defect 5):
# documents that do not fit are held, not refused, the daemon pauses and
# keeps running, and once space is freed it signs them (within a minute:
# held documents are tried again 30 s after the last hold).  Also a big
# document that cannot fit while small ones can: it waits alone, the small
# ones are signed meanwhile.  The short cases are tests/e2e/24-nospace.sh.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
if [ "$(id -u)" -ne 0 ]; then echo "1..0 # SKIP mounting tmpfs needs root"; exit 0; fi
mkdir -p "$T/fs" "$T/spool" "$T/state"
trap 'kill "$pid" 2>/dev/null; umount "$T/spool" "$T/state" "$T/fs" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
pid=
# spool and state on one tmpfs (bind mounts: the spool's path must not be a link)
mount -t tmpfs -o size=32m tmpfs "$T/fs" && mkdir "$T/fs/spool" "$T/fs/state" "$T/fs/stage" &&
	mount --bind "$T/fs/spool" "$T/spool" && mount --bind "$T/fs/state" "$T/state" ||
	{ echo "1..0 # SKIP cannot mount tmpfs"; exit 0; }
pki
WORKERS=2 BATCH=4 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
for pd in diskominfo setda bappeda dinkes disdik; do mkdir -p "$T/spool/incoming/$pd"; done
"$SERTEL" watch 2> "$T/log.txt" &
pid=$!
sleep 1

# stage PREFIX N - N documents per PD written on the file system, then
# dropped by rename (which needs no room): the disk can be full when they land
stage() {
	rm -rf "$T/spool/incoming.stage" "$T/fs/stage"/*
	mv "$T/spool/incoming" "$T/spool/incoming.stage"
	mkdir "$T/spool/incoming"
	populate "$1" "$2"
	mv "$T/spool/incoming"/* "$T/fs/stage/"
	rmdir "$T/spool/incoming"
	mv "$T/spool/incoming.stage" "$T/spool/incoming"
}
drop_staged() {
	for d in "$T/fs/stage"/*; do
		for f in "$d"/*; do mv "$f" "$T/fs/spool/incoming/$(basename "$d")/"; done
	done
}
# fill KIB - leave KIB KiB free in the file system
fill() {
	rm -f "$T/fs/filler"
	avail=$(df -k --output=avail "$T/fs" | tail -1 | tr -d ' ')
	[ "$avail" -gt "$1" ] && fallocate -l "$(( (avail - $1) * 1024 ))" "$T/fs/filler"
}
# wait_for N SECONDS - until N PDFs are in done/ (or the time is up)
wait_for() {
	_w=0
	while [ "$(count "$T/spool/done" -name '*.pdf')" -lt "$1" ] && [ $_w -lt $(($2 * 5)) ]; do
		sleep 0.2; _w=$((_w + 1))
	done
}

# all held: no room at all for a signature
stage a 4
fill 0
drop_staged
sleep 8
held=$(grep -c 'stays queued\|cannot record claims' "$T/log.txt")
ok "$([ "$held" -ge 1 ] && [ "$held" -le 4 ]; echo $?)" \
	"full: the documents wait (claims or signatures held), and the daemon pauses ($held log lines in 8 s)"
is "$(count "$T/spool/failed" -name '*.pdf')" 0 "full: nothing is refused"
ok "$(kill -0 "$pid"; echo $?)" "full: the daemon keeps running"
rm -f "$T/fs/filler"
start=$(date +%s)
wait_for 20 60
is "$(count "$T/spool/done" -name '*.pdf')" 20 "freed: the daemon signs them all"
echo "# within $(( $(date +%s) - start )) s of the space being freed"

# one big document cannot fit, small ones can: the big one waits alone
python3 "$ROOT/tests/lib/mkbig.py" "$T/fs/stage/besar.pdf" 40 200
sidecar "$T/fs/stage/besar.pdf"
fill 3000	# room for small documents' store copies, not for the big one's 8 MB
mv "$T/fs/stage/besar.yaml" "$T/fs/stage/besar.pdf" "$T/fs/spool/incoming/bappeda/"
sleep 3
populate b 2
wait_for 30 40
is "$(count "$T/spool/done" -name '*.pdf')" 30 "big: the small documents are signed meanwhile"
ok "$([ "$(grep -c 'besar.pdf stays queued' "$T/log.txt")" -ge 1 ]; echo $?)" "big: the big one is held"
is "$(count "$T/spool/failed" -name '*.pdf')" 0 "big: nothing is refused"
rm -f "$T/fs/filler"
wait_for 31 60
ok "$([ -f "$T/spool/done/bappeda/besar.pdf" ]; echo $?)" "big: freed, it is signed"

kill -TERM "$pid"
wait "$pid"
is $? 0 "SIGTERM: the daemon exits 0"
pid=
is "$(grep -c 'worker lost\|failed:' "$T/log.txt")" 0 "no worker lost, no refusal in the log"
ls "$T/spool/done"/*/*.pdf | sed 's|.*/done/||' | sort > "$T/inputs.txt"
endstate "$T/inputs.txt"
done_testing
