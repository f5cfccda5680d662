#!/bin/sh
# 22-worker-kill.sh - SIGKILL single workers while they hold a document
# (issue 11: "20 of single workers").  Each document waits 0.4 s on a slow
# TSA in its worker, so a worker found with queue/<id>.pdf open is surely in
# the middle of one.  The master must replace every killed worker and retry
# its document; a document whose worker is killed max_attempts (2) times
# goes to failed/ with worker.crashed.  One document is made to meet that
# fate on purpose (its worker killed, then the one that retries it), the
# others are killed once at most by luck of the draw; either way the
# accounting is checked against the master's own log, and the end state holds.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
. "$ROOT/tests/lib/crash.sh"
pki
WORKERS=3 BATCH=16 config "$T/sertel.yaml"
slow_tsa 0.4
export SERTEL_CONFIG="$T/sertel.yaml"
populate doc 12
( cd "$T/spool/incoming" && ls */*.pdf ) | sort > "$T/inputs.txt"

setsid "$SERTEL" run --once > "$T/out.txt" 2> "$T/log.txt" &
pid=$!
kills=0 target= tries=0 full=0
: > "$T/killed.txt"
# 19 kills at random, and one kept for the target's retry (which comes last)
while [ $kills -lt 20 ] && kill -0 $pid 2>/dev/null && [ $tries -lt 3000 ]; do
	tries=$((tries + 1))
	w=
	[ -n "$target" ] && [ "$(grep -c " $target\$" "$T/killed.txt")" -eq 1 ] &&
		w=$(busy_worker $pid "$target")
	[ -n "$w" ] || [ $kills -ge 19 ] || w=$(busy_worker $pid) || { sleep 0.01; continue; }
	[ -n "$w" ] || { sleep 0.01; continue; }
	kill -9 "${w% *}" && kills=$((kills + 1)) && echo "$w" >> "$T/killed.txt"
	[ -n "$target" ] || target=${w#* }
	# the master forks a replacement: the pool is back to 3 workers
	i=0
	while [ "$(pgrep -P $pid | wc -l)" -lt 3 ] && kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.02; i=$((i + 1)); done
	[ $i -lt 50 ] || { full=1; echo "# no replacement after kill $kills: $(pgrep -P $pid | wc -l) workers"; }
	# no pause once only the target's retry is awaited: it must not slip by
	[ $kills -ge 19 ] || sleep "$(printf "0.%03d" "$(shuf -i 20-150 -n 1)")"
done
wait $pid
rc=$?
echo "# $kills workers killed; target $target"
is $kills 20 "20 single workers killed while they held a document"
ok $full "after each kill the master had forked a replacement"
lost=$(grep -c 'worker lost on' "$T/log.txt")
echo "# the master saw $lost workers lost with a document"
ok "$([ "$lost" -ge 1 ] && [ "$lost" -le $kills ]; echo $?)" "the master noticed the lost documents ($lost)"
# documents whose worker died max_attempts times: failed, worker.crashed
sed -n 's/.*: \([2-9A-Z]\{16\}\): worker lost on .*attempt 2 of 2$/\1/p' "$T/log.txt" | sort > "$T/crashed.txt"
grep -q "^$target\$" "$T/crashed.txt"
ok $? "the document killed twice on purpose is among those that reached max_attempts"
ncrashed=$(wc -l < "$T/crashed.txt" | tr -d ' ')
is $rc "$([ "$ncrashed" -gt 0 ] && echo 1 || echo 0)" "run --once exits 1 when a document failed, 0 otherwise"
is "$(sqlite3 "$T/state/sertel.db" "select id from jobs where outcome='failed' and code='worker.crashed' order by id")" \
	"$(cat "$T/crashed.txt")" "exactly those failed with worker.crashed"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where outcome='failed'")" "$ncrashed" \
	"no other document failed"
is "$(count "$T/spool/failed" -name '*.error.yaml')" "$ncrashed" "each has its report in failed/"
is "$(count "$T/spool/done" -name '*.pdf')" $((60 - ncrashed)) "every other document signed"
endstate "$T/inputs.txt"
done_testing
