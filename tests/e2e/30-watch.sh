#!/bin/sh
# 30-watch.sh - the daemon: a PDF written slowly is signed once, after it is
# complete; a new PD folder is picked up; SIGTERM exits cleanly.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml" 1
export SERTEL_CONFIG="$T/sertel.yaml"
mkdir -p "$T/spool/incoming/diskominfo"
"$SERTEL" -q watch 2> "$T/log.txt" &
pid=$!
sleep 1

python3 "$ROOT/tests/lib/mkpdf.py" --pages 3 "$T/slow.pdf"
sidecar "$T/slow.pdf"
mv "$T/slow.yaml" "$T/spool/incoming/diskominfo/lambat.yaml"
# write the PDF in pieces, pausing longer than settle_seconds: only the
# "still open for writing" check (a read lease) keeps it from being taken early
size=$(stat -c %s "$T/slow.pdf"); third=$((size / 3 + 1))
( for i in 0 1 2; do dd if="$T/slow.pdf" bs="$third" skip=$i count=1 2>/dev/null; sleep 1.5; done ) \
	> "$T/spool/incoming/diskominfo/lambat.pdf"
waited=0
while [ ! -f "$T/spool/done/diskominfo/lambat.pdf" ] && [ $waited -lt 100 ]; do sleep 0.2; waited=$((waited + 1)); done
ok "$(test -f "$T/spool/done/diskominfo/lambat.pdf"; echo $?)" "a slowly written drop is signed by the daemon"
is "$(count "$T/spool/failed")" 0 "it was not taken early (nothing failed)"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents')" 1 "signed exactly once"

mkdir -p "$T/spool/incoming/pd-baru"
sleep 0.3
drop pd-baru baru
waited=0
while [ ! -f "$T/spool/done/pd-baru/baru.pdf" ] && [ $waited -lt 100 ]; do sleep 0.2; waited=$((waited + 1)); done
ok "$(test -f "$T/spool/done/pd-baru/baru.pdf"; echo $?)" "a new PD folder is watched too"

kill -TERM $pid
wait $pid
is "$?" 0 "SIGTERM: the daemon exits 0"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/spool/done/*/*.pdf > /dev/null 2>&1
ok $? "the daemon's outputs verify"
done_testing
