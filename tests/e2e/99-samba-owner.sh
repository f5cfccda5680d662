#!/bin/sh
# 99-samba-owner.sh - the share without `force user = sertel`: dropped files
# belong to another user (root here, sertel runs as nobody), the kernel does
# not let sertel take the settle check's lease, and settle_seconds alone
# decides, as the README's "Sharing the folder" says:
#   - a file group-writable for sertel (create mask 0660, force group) is
#     signed in place although sertel does not own it;
#   - an upload pausing less than settle_seconds (1 s, settle 3 s) is signed
#     whole; one pausing longer (4 s) is taken half-written and refused.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/smbd.sh"
if ! smbd_usable; then echo "1..0 # SKIP $SMBD_WHY"; exit 0; fi
command -v setpriv > /dev/null || { echo "1..0 # SKIP setpriv (util-linux) is missing"; exit 0; }
pki
config "$T/sertel.yaml" 3
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming
mkdir -p "$in/diskominfo" "$T/state" "$T/src"
# sertel as nobody:nogroup owns its spool, state and keys
chown -R nobody:nogroup "$T/spool" "$T/state" "$T/pki" "$T/wrong.pass"
chmod 0755 "$T"
setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$T" ||
	{ echo "ok $((n + 1)) # SKIP nobody cannot reach $T (a parent folder is private)"; n=$((n + 1)); done_testing; exit 0; }
smbd_start "[sertel]
  path = $T/spool
  read only = no
  guest ok = yes
  force user = root
  force group = nogroup
  create mask = 0660
  map archive = no"
ok $? "smbd serves the spool on 127.0.0.1:$SMBD_PORT"
setpriv --reuid=65534 --regid=65534 --clear-groups "$SERTEL" -q watch 2> "$T/log.txt" &
pid=$!
sleep 1

for d in kurang lebih; do
	python3 "$ROOT/tests/lib/mkbig.py" "$T/src/$d.pdf" 20 200 > /dev/null
	sidecar "$T/src/$d.pdf"
	smb sertel "put $T/src/$d.yaml incoming/diskominfo/$d.yaml" > /dev/null 2>&1
done
# feed SRC FIFO PAUSE - SRC into FIFO in 1 MiB pieces PAUSE seconds apart
feed() {
	size=$(stat -c %s "$1") k=0
	while [ $((k * 1048576)) -lt "$size" ]; do
		[ $k -eq 0 ] || sleep "$3"
		dd if="$1" bs=1048576 skip=$k count=1 2> /dev/null
		k=$((k + 1))
	done > "$2"
}
mkfifo "$T/fifo-kurang" "$T/fifo-lebih"
feed "$T/src/kurang.pdf" "$T/fifo-kurang" 1 &
smb sertel "iosize 65536; put $T/fifo-kurang incoming/diskominfo/kurang.pdf" > "$T/put-kurang.txt" 2>&1 &
p1=$!
feed "$T/src/lebih.pdf" "$T/fifo-lebih" 4 &
smb sertel "iosize 65536; put $T/fifo-lebih incoming/diskominfo/lebih.pdf" > "$T/put-lebih.txt" 2>&1 &
p2=$!
sleep 0.5
is "$(stat -c %U "$in/diskominfo/lebih.pdf")" root "the dropped file is not sertel's user's"
is "$(python3 "$ROOT/tests/lib/leaseprobe.py" "$in/diskominfo/lebih.pdf" 65534)" refused \
	"the settle check's lease is not allowed to sertel's user (EACCES)"
wait $p1 $p2
waited=0
while [ "$(count "$T/spool/done" "$T/spool/failed" -name '*.pdf')" -lt 2 ] && [ $waited -lt 300 ]; do
	sleep 0.2; waited=$((waited + 1))
done
ok "$(test -f "$T/spool/done/diskominfo/kurang.pdf"; echo $?)" \
	"pauses shorter than settle_seconds: signed in place, the file group-writable for sertel"
cmp -s -n "$(stat -c %s "$T/src/kurang.pdf")" "$T/src/kurang.pdf" "$T/spool/done/diskominfo/kurang.pdf"
ok $? "... whole: the signed original is the dropped bytes"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T/spool/done/diskominfo/kurang.pdf" > "$T/check.txt" 2>&1
ok $? "... and it verifies"
ok "$(test -f "$T/spool/failed/diskominfo/lebih.error.yaml"; echo $?)" \
	"pauses longer than settle_seconds: taken half-written and refused (settle time only)"
kill -TERM $pid
wait $pid
is "$?" 0 "SIGTERM: the daemon exits 0"
done_testing
