#!/bin/sh
# 31-owners.sh - drops as a file server leaves them: (1) a writer that holds a
# write lease on the file (smbd for a client with an oplock) and pauses longer
# than settle_seconds is not taken half-written: the settle check's open is
# refused by the lease, which counts as "still being written"; (2) a drop
# sertel may read but not write (another owner, mode 0644) that is refused
# leaves the queue for failed/ with its report, instead of waiting there for
# ever because its original could not be opened for writing.
. "$(dirname "$0")/../lib/e2e.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP leases on another's file and setpriv need root"; exit 0; }
command -v setpriv > /dev/null || { echo "1..0 # SKIP setpriv (util-linux) is missing"; exit 0; }
pki
config "$T/sertel.yaml" 1
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming
mkdir -p "$in/diskominfo" "$T/src"

# (1) a write lease held while the upload pauses 4 s (settle 1 s)
python3 "$ROOT/tests/lib/mkbig.py" "$T/src/sewa.pdf" 20 200 > /dev/null
sidecar "$T/src/sewa.pdf"
"$SERTEL" -q watch 2> "$T/log.txt" &
w=$!
sleep 1
cp "$T/src/sewa.yaml" "$in/diskominfo/"
python3 "$ROOT/tests/lib/leasewriter.py" "$T/src/sewa.pdf" "$in/diskominfo/sewa.pdf" 4 2> "$T/lease.txt"
for i in $(seq 150); do [ -f "$T/spool/done/diskominfo/sewa.pdf" ] || [ -n "$(ls "$T/spool/failed/diskominfo" 2>/dev/null)" ] && break; sleep 0.1; done
grep -q broken "$T/lease.txt"; ok $? "the settle check broke the writer's lease (as it does smbd's)"
[ -f "$T/spool/done/diskominfo/sewa.pdf" ] && [ -z "$(ls "$T/spool/failed/diskominfo" 2>/dev/null)" ]
ok $? "the upload is taken only once whole: signed, nothing refused"
cmp -s -n "$(stat -c %s "$T/src/sewa.pdf")" "$T/src/sewa.pdf" "$T/spool/done/diskominfo/sewa.pdf"
ok $? "... the signed file begins with every byte uploaded"
kill "$w"; wait "$w" 2> /dev/null

# (2) sertel as nobody; a refused drop it may read but not write
chown -R nobody:nogroup "$T/spool" "$T/state" "$T/pki" "$T/wrong.pass"
chmod 0755 "$T"
setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$T" ||
	{ echo "ok $((n + 1)) # SKIP nobody cannot reach $T (a parent folder is private)"; n=$((n + 1)); done_testing; exit 0; }
python3 "$ROOT/tests/lib/mkpdf.py" "$in/diskominfo/milik-lain.pdf"
sidecar "$in/diskominfo/milik-lain.pdf" 196001011990031001
chown root:root "$in/diskominfo/milik-lain.pdf" "$in/diskominfo/milik-lain.yaml"
chmod 0644 "$in/diskominfo/milik-lain.pdf" "$in/diskominfo/milik-lain.yaml"
touch -d '1 minute ago' "$in/diskominfo/milik-lain.pdf" "$in/diskominfo/milik-lain.yaml"
setpriv --reuid=65534 --regid=65534 --clear-groups "$SERTEL" -q run --once > /dev/null 2> "$T/once.txt"
is "$?" 1 "sertel as another user refuses the drop it may only read (exit 1)"
[ -f "$T/spool/failed/diskominfo/milik-lain.error.yaml" ] && [ -f "$T/spool/failed/diskominfo/milik-lain.pdf" ]
ok $? "... it is in failed/ with its report"
is "$(ls "$T/spool/queue" | wc -l | tr -d ' ')" 0 "... and nothing is left in queue/"
done_testing
