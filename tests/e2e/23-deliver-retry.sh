#!/bin/sh
# 23-deliver-retry.sh - deliveries that fail (issue 11, defect 7): done/<pd>
# or failed/<pd> cannot be written, after the outcome was recorded.
#  - run --once: done/setda read-only from the start, done/bappeda made
#    read-only right after its first delivery (the master stopped meanwhile,
#    so the moment is exact), failed/disdik read-only for a refusal.  The run
#    retries a few times, then exits 75 saying how many signed documents wait;
#    they stay in queue/ with their outcome recorded, counted apart in the
#    summary.  Made writable, the next run delivers them.
#  - watch: done/kecamatan made read-only while the daemon runs; its documents
#    are signed and wait; made writable, they are delivered without a restart.
# As root the folders' modes do not bind, so sertel runs without
# CAP_DAC_OVERRIDE (setpriv) and a mode 555 folder refuses it as it would the
# sertel user.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
pki
WORKERS=2 BATCH=4 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
# a command prefix, so that "$NODAC sertel &" leaves $! the sertel process
NODAC=
[ "$(id -u)" -eq 0 ] && NODAC="setpriv --inh-caps=-all --bounding-set=-dac_override,-dac_read_search"
sp=$T/spool
populate doc 20
drop disdik rusak && printf 'rusak' > "$sp/incoming/disdik/rusak.pdf"
( cd "$sp/incoming" && ls */*.pdf ) | sort > "$T/inputs.txt"
mkdir -p "$sp/done/setda" "$sp/done/bappeda" "$sp/failed/disdik"
chmod 555 "$sp/done/setda" "$sp/failed/disdik"
wpid=
cleanup() {
	[ -n "$wpid" ] && kill -TERM "$wpid" 2>/dev/null && wait "$wpid"
	chmod -R u+w "$T" 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

inotifywait -q -q -e moved_to "$sp/done/bappeda" &
iw=$!
sleep 0.3
$NODAC "$SERTEL" run --once > "$T/out1.txt" 2> "$T/log1.txt" &
pid=$!
wait $iw && kill -STOP $pid && chmod 555 "$sp/done/bappeda" && kill -CONT $pid
wait $pid
rc=$?
is $rc 75 "run --once: exit 75 when signed documents cannot be delivered"
inq=$(ls "$sp/queue" | grep -c '\.pdf$')
inbap=$(count "$sp/done/bappeda" -name '*.pdf')
echo "# bappeda: $inbap delivered before its folder became read-only; $inq PDFs in queue/"
is "$(count "$sp/done/diskominfo" -name '*.pdf')" 20 "the writable PDs are delivered in full"
is "$(count "$sp/done/setda" -name '*.pdf')" 0 "nothing in the read-only done/setda"
ok "$([ "$inbap" -ge 1 ] && [ "$inbap" -lt 20 ]; echo $?)" "done/bappeda became read-only mid-run ($inbap of 20 in)"
is "$inq" $((20 + 20 - inbap + 1)) "the undelivered documents (and the refusal) are still in queue/"
line=$(grep "$((40 - inbap)) signed document(s) and 1 refusal(s) wait for delivery" "$T/log1.txt")
echo "$line" | grep 'done/setda: Permission denied' | grep 'done/bappeda: Permission denied' |
	grep -q 'failed/disdik: Permission denied'
ok $? "stderr says how many signed documents and refusals wait for delivery, and which folders refused"
grep 'wait for delivery' "$T/log1.txt" | tail -1 | sed 's/^/#   /'
grep -q "sertel: $((60 + inbap)) signed, $((40 - inbap + 1)) waiting for delivery, 0 failed" "$T/out1.txt"
ok $? "the summary counts them apart from the signed ones"
sed -n 1p "$T/out1.txt" | sed 's/^/#   /'
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where outcome is null")" 0 \
	"every outcome is recorded"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from documents")" 100 "every document recorded as signed"
is "$(ls "$sp/queue" | grep -c '\.error\.yaml$')" 1 "the refusal waits with its report"
grep -c 'retried later' "$T/log1.txt" | sed 's/^/# deliveries that failed in the commit: /'

chmod 755 "$sp/done/setda" "$sp/done/bappeda" "$sp/failed/disdik"
$NODAC "$SERTEL" -q run --once > /dev/null 2> "$T/log2.txt"
is $? 0 "made writable: the next run delivers them (exit 0: it refused nothing itself)"
is "$(count "$sp/done" -name '*.pdf')" 100 "all 100 signed documents in done/"
is "$(count "$sp/failed/disdik" -name 'rusak.error.yaml')" 1 "the refusal in failed/ with its report"
endstate "$T/inputs.txt"

# watch: the daemon keeps them and delivers when it can
$NODAC "$SERTEL" watch > /dev/null 2> "$T/log3.txt" &
pid=$! wpid=$!
sleep 1
mkdir -p "$sp/done/kecamatan" "$sp/incoming/kecamatan" "$T/stage"
chmod 555 "$sp/done/kecamatan"
python3 "$ROOT/tests/lib/mkpdf.py" --count 10 --out "$T/stage" --prefix harian
for f in "$T/stage"/*.pdf; do sidecar "$f"; done
( cd "$T/stage" && ls ./*.pdf ) | sed 's|^\./|kecamatan/|' >> "$T/inputs.txt"
mv "$T/stage"/* "$sp/incoming/kecamatan/"
waited=0
while [ "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where file like 'harian-%' and outcome = 'signed'" 2>/dev/null)" != 10 ] &&
      [ $waited -lt 600 ]; do sleep 0.2; waited=$((waited + 1)); done
sleep 1.5
is "$(ls "$sp/queue" | grep -c '\.pdf$')" 10 "watch: 10 signed documents wait in queue/"
is "$(count "$sp/done/kecamatan" -name '*.pdf')" 0 "watch: none in the read-only done/kecamatan"
chmod 755 "$sp/done/kecamatan"
waited=0
while [ "$(count "$sp/done/kecamatan" -name '*.pdf')" != 10 ] && [ $waited -lt 600 ]; do
	sleep 0.2; waited=$((waited + 1)); done
is "$(count "$sp/done/kecamatan" -name '*.pdf')" 10 "watch: made writable, they are delivered without a restart"
echo "# watch delivered them $((waited / 5)) s after the folder became writable"
grep -q 'wait for delivery (done/kecamatan: Permission denied); next try in' "$T/log3.txt"
ok $? "watch: the log says they wait, why, and when it tries again"
kill -TERM $pid
wait $pid
is $? 0 "watch: SIGTERM exits 0"
wpid=
endstate "$T/inputs.txt"
done_testing
