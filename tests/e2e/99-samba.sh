#!/bin/sh
# 99-samba.sh - the spool shared by Debian's smbd on loopback, drops made with
# smbclient the way Windows clients make them, `sertel watch` behind it:
#   a) written under the final name, the handle held open across chunks that
#      come 1.5 s apart (longer than settle_seconds: only the settle check's
#      lease, refused while smbd holds the file open, keeps it from being
#      taken half-written)
#   b) written under a temporary name (~WRL0001.tmp, as Office does), then
#      renamed, through a per-PD share
#   c) a slow upload of the PDF whose sidecar arrives seconds later
#   d) a big file (tests/lib/mkbig.py, ~30 MB)
#   e) Explorer's clutter (Thumbs.db, desktop.ini) beside them
# Every pair is signed exactly once (done/ and the database), none is taken
# half-written (nothing in failed/, the signed file starts with the dropped
# bytes), and the results read back through the share verify (pdfsig, qpdf).
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/smbd.sh"
if ! smbd_usable; then echo "1..0 # SKIP $SMBD_WHY"; exit 0; fi
pki
config "$T/sertel.yaml" 1
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming
mkdir -p "$in/diskominfo" "$in/bappeda" "$T/spool/done/bappeda" "$T/src" "$T/got"
# the README's stanza ("Sharing the folder"), forcing the user sertel runs as
# (root here): files dropped through the share are sertel's own, so its lease
# probe is allowed
opts="  read only = no
  guest ok = yes
  force user = root
  force group = root
  create mask = 0640
  directory mask = 0750
  map archive = no"
smbd_start "[sertel]
  path = $T/spool
$opts
  veto files = /queue/corrupt/
[bappeda]
  path = $in/bappeda
$opts
[bappeda-selesai]
  path = $T/spool/done/bappeda
  read only = yes
  guest ok = yes
  force user = root"
ok $? "smbd serves the spool on 127.0.0.1:$SMBD_PORT"

"$SERTEL" -q watch 2> "$T/log.txt" &
pid=$!
sleep 1

# four distinct documents (random filler: no two alike), sidecars beside them
for d in surat-a:20 surat-b:20 surat-c:20 rencana-d:150; do
	python3 "$ROOT/tests/lib/mkbig.py" "$T/src/${d%:*}.pdf" "${d#*:}" 200 > /dev/null
	sidecar "$T/src/${d%:*}.pdf"
done
# feed SRC FIFO - SRC into FIFO in 1 MiB pieces 1.5 s apart, one open
feed() {
	size=$(stat -c %s "$1") k=0
	while [ $((k * 1048576)) -lt "$size" ]; do
		[ $k -eq 0 ] || sleep 1.5
		dd if="$1" bs=1048576 skip=$k count=1 2> /dev/null
		k=$((k + 1))
	done > "$2"
}
# with iosize 65536 smbclient sends each MiB it reads as it comes (by default
# it reads ahead so far that a FIFO's file stays empty until complete)
mkfifo "$T/fifo-a" "$T/fifo-b" "$T/fifo-c"
start=$(date +%s.%N)

# a) the sidecar first, then the PDF growing under its own name
smb sertel "put $T/src/surat-a.yaml incoming/diskominfo/surat-a.yaml" > /dev/null 2>&1
feed "$T/src/surat-a.pdf" "$T/fifo-a" &
smb sertel "iosize 65536; put $T/fifo-a incoming/diskominfo/surat-a.pdf" > "$T/put-a.txt" 2>&1 &
put_a=$!
# b) a temporary name, renamed when complete (per-PD share)
feed "$T/src/surat-b.pdf" "$T/fifo-b" &
smb bappeda "put $T/src/surat-b.yaml surat-b.yaml; iosize 65536; put $T/fifo-b ~WRL0001.tmp; rename ~WRL0001.tmp surat-b.pdf" \
	> "$T/put-b.txt" 2>&1 &
put_b=$!
# c) the PDF slowly, its sidecar 3 s after the upload ended
feed "$T/src/surat-c.pdf" "$T/fifo-c" &
( smb sertel "iosize 65536; put $T/fifo-c incoming/diskominfo/surat-c.pdf" > "$T/put-c.txt" 2>&1
  sleep 3
  # waiting for its sidecar, not refused
  [ -f "$in/diskominfo/surat-c.pdf" ] && [ "$(count "$T/spool/failed")" -eq 0 ] && echo waiting > "$T/c-state"
  smb sertel "put $T/src/surat-c.yaml incoming/diskominfo/surat-c.yaml" > /dev/null 2>&1 ) &
put_c=$!
# d) the big one, sidecar first
( smb sertel "put $T/src/rencana-d.yaml incoming/bappeda/rencana-d.yaml" > /dev/null 2>&1
  s=$(date +%s.%N)
  smb sertel "put $T/src/rencana-d.pdf incoming/bappeda/rencana-d.pdf" > "$T/put-d.txt" 2>&1
  echo "$(date +%s.%N) - $s" | bc > "$T/put-d.secs" ) &
put_d=$!
# e) Explorer's clutter
printf 'bukan dokumen\n' > "$T/src/clutter"
smb sertel "put $T/src/clutter incoming/diskominfo/Thumbs.db; put $T/src/clutter incoming/diskominfo/desktop.ini" > /dev/null 2>&1
smb bappeda "put $T/src/clutter Thumbs.db" > /dev/null 2>&1

# what the settle check sees while smbd holds surat-a.pdf open for the client:
# as the file's owner (sertel's user) and as another user (nobody)
sizes="" probe="" probe_other=""
while kill -0 $put_a 2> /dev/null; do
	if s=$(stat -c %s "$in/diskominfo/surat-a.pdf" 2> /dev/null); then
		case " $sizes " in *" $s "*) ;; *) sizes="$sizes $s" ;; esac
		if [ -z "$probe" ] && [ "$s" -gt 0 ]; then
			probe=$(python3 "$ROOT/tests/lib/leaseprobe.py" "$in/diskominfo/surat-a.pdf")
			probe_other=$(python3 "$ROOT/tests/lib/leaseprobe.py" "$in/diskominfo/surat-a.pdf" 65534)
		fi
	fi
	sleep 0.2
done
grew=$(echo $sizes | wc -w)
ok "$([ "$grew" -ge 3 ]; echo $?)" "a) the PDF grew under its final name for seconds (sizes seen:$sizes)"
is "$probe" busy "a) the settle check's lease is refused while smbd holds the client's handle (EAGAIN)"
is "$probe_other" refused "a) as a user that does not own the file the lease is not allowed (EACCES: settle time only)"
wait $put_b $put_c $put_d

want="diskominfo/surat-a diskominfo/surat-c bappeda/surat-b bappeda/rencana-d"
waited=0
while [ "$(count "$T/spool/done" -name '*.pdf')" -lt 4 ] && [ $waited -lt 600 ]; do
	sleep 0.2; waited=$((waited + 1))
done
secs=$(echo "$(date +%s.%N) - $start" | bc)
echo "# the four drops took ${secs}s from the first byte to the last signed; the 30 MB put $(cat "$T/put-d.secs")s"
is "$(cat "$T/c-state" 2> /dev/null)" waiting "c) the slow PDF waited for its late sidecar"
is "$(count "$T/spool/done" -name '*.pdf')" 4 "every drop is signed"
is "$(count "$T/spool/failed")" 0 "nothing refused: none was taken half-written"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents')" 4 "four rows in the database"
is "$(sqlite3 "$T/state/sertel.db" 'select count(distinct number) from documents')" 4 "each pair exactly once"
bad=""
for w in $want; do
	f=$T/src/${w#*/}.pdf
	sqlite3 "$T/state/sertel.db" "select sha256_original from documents" | grep -qx "$(sha256sum < "$f" | cut -d' ' -f1)" &&
		cmp -s -n "$(stat -c %s "$f")" "$f" "$T/spool/done/$w.pdf" || bad="$bad $w"
done
is "$bad" "" "the signed original is the dropped bytes, to the byte (cmp, sha256_original)"
left=0
for f in diskominfo/Thumbs.db diskominfo/desktop.ini bappeda/Thumbs.db; do [ -f "$in/$f" ] || left=1; done
ok $left "e) the clutter is left where it is, not refused"
is "$(stat -c '%U:%G %a' "$in/diskominfo/Thumbs.db")" "root:root 640" \
	"a file dropped through the share is the forced user's, mode 0640 (create mask, map archive = no)"
smb sertel ls > "$T/ls.txt" 2>&1
ok "$(grep -q ' incoming  *D' "$T/ls.txt" && grep -q ' done  *D' "$T/ls.txt" && ! grep -q ' queue ' "$T/ls.txt"; echo $?)" \
	"the share shows incoming/ and done/, not sertel's queue/ (veto files)"

# the results, read back through the share
bad=""
for w in $want; do
	smb sertel "get done/$w.pdf $T/got/${w#*/}.pdf" > /dev/null 2>&1 &&
		cmp -s "$T/got/${w#*/}.pdf" "$T/spool/done/$w.pdf" || bad="$bad $w"
done
is "$bad" "" "done/ reads back through the share"
smb bappeda-selesai "get surat-b.pdf $T/got/selesai-b.pdf" > /dev/null 2>&1
cmp -s "$T/got/selesai-b.pdf" "$T/spool/done/bappeda/surat-b.pdf"
ok $? "... and through the PD's read-only result share"
smb bappeda-selesai "put $T/src/clutter x.pdf" > "$T/ro.txt" 2>&1
ok "$([ ! -e "$T/spool/done/bappeda/x.pdf" ]; echo $?)" "... which takes no writes"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/got/*.pdf > "$T/check.txt" 2>&1
ok $? "the copies from the share verify (pdfsig, qpdf --check)"

kill -TERM $pid
wait $pid
is "$?" 0 "SIGTERM: the daemon exits 0"
done_testing
