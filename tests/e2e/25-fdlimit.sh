#!/bin/sh
# 25-fdlimit.sh - too few file descriptors (issue 11, defect 2), the short
# version (tests/long/25-fdlimit-sweep.sh sweeps every limit from 16 to 64).
#   - below the minimum sertel computes from RLIMIT_NOFILE, `run --once` and
#     `watch` refuse to start: exit 75, one line naming the limit, what is
#     needed and how to raise it, nothing moved;
#   - at the minimum and above, every drop is signed (or still queued, exit
#     75): none is refused, none lands in failed/ signed;
#   - the limit lowered under a running master, then under running workers,
#     then under `watch` (prlimit; EMFILE in the middle of scans, claims,
#     store copies, signing): the documents stay queued, the run exits 75
#     (the daemon too), never refuses;
#   - a run with a normal limit then finishes, and the end state holds.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
pki
WORKERS=2 BATCH=16 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
populate lim 20
inputs() { ls "$T/spool/incoming"/*/*.pdf 2>/dev/null | sed 's|.*/incoming/||'; }
inputs > "$T/inputs.txt"
ndrops=$(wc -l < "$T/inputs.txt" | tr -d ' ')

# limited N ARGS... - sertel with at most N descriptors (soft and hard)
limited() { ( ulimit -n "$1" && shift && exec "$SERTEL" "$@" ); }

# --- below the minimum: refuse, say so in one line, touch nothing
limited 16 -q run --once > "$T/out.txt" 2> "$T/err.txt"
is "$?" 75 "ulimit -n 16: run --once exits 75"
grep -q 'too few file descriptors: the limit is 16, sertel needs at least [0-9]* with 2 worker' \
	"$T/err.txt"
ok $? "... saying the limit and what is needed"
grep -q 'ulimit -n' "$T/err.txt" && grep -q 'LimitNOFILE=' "$T/err.txt"
ok $? "... and how to raise it (ulimit -n, LimitNOFILE=)"
is "$(wc -l < "$T/err.txt" | tr -d ' ')" 1 "... in one line"
[ -s "$T/err.txt" ] || echo "#   stderr was empty"
is "$(count "$T/spool/incoming" -name '*.pdf')" "$ndrops" "... every drop still in incoming/"
is "$(count "$T/spool/queue" "$T/spool/done" "$T/spool/failed")" 0 "... nothing claimed, signed or refused"
need=$(sed -n 's/.*needs at least \([0-9]*\).*/\1/p' "$T/err.txt")
need=${need:-64}
echo "# the minimum here: $need descriptors"
ok "$([ "$need" -gt 16 ] && [ "$need" -le 64 ]; echo $?)" "the minimum is within 17..64 ($need)"

limited $((need - 1)) -q run --once > /dev/null 2> "$T/err.txt"
is "$?" 75 "ulimit -n $((need - 1)) (one below): exit 75"
is "$(count "$T/spool/incoming" -name '*.pdf')" "$ndrops" "... nothing moved"
limited 20 -q watch > /dev/null 2> "$T/err.txt" &
wpid=$!
waited=0
while kill -0 $wpid 2>/dev/null && [ $waited -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
kill $wpid 2>/dev/null
wait $wpid
is "$?" 75 "ulimit -n 20: watch refuses to start, exit 75"
grep -q 'too few file descriptors: the limit is 20' "$T/err.txt"
ok $? "... with the same message"

# --- at the minimum and above: signed, or still queued; never refused
for lim in "$need" $((need + 7)) 64; do
	[ "$lim" -lt "$need" ] && continue
	if [ "$(count "$T/spool/incoming" -name '*.pdf')" -eq 0 ]; then
		populate "lim$lim" 8
		inputs >> "$T/inputs.txt"
	fi
	limited "$lim" -q run --once > /dev/null 2> "$T/err-$lim.txt"
	rc=$?
	ok "$([ $rc -eq 0 ] || [ $rc -eq 75 ]; echo $?)" "ulimit -n $lim: exit 0 or 75 (got $rc)"
	is "$(count "$T/spool/failed" -name '*.pdf')" 0 "... nothing refused"
	grep -q 'Too many open files' "$T/err-$lim.txt" && echo "# ulimit -n $lim: EMFILE seen and survived"
done

# --- EMFILE in the middle of a run: the limit lowered under a running master
# (stopped for a moment, so the fault lands while documents are in flight)
populate mid 16
inputs >> "$T/inputs.txt"
"$SERTEL" -q run --once > /dev/null 2> "$T/mid.txt" &
pid=$!
tries=0
while [ -z "$(ls "$T/spool/queue" 2>/dev/null)" ] && [ $tries -lt 2000 ]; do sleep 0.002; tries=$((tries + 1)); done
kill -STOP $pid
prlimit --pid $pid --nofile=24:24
kill -CONT $pid
wait $pid
is "$?" 75 "limit lowered to 24 under a running master: exit 75"
grep -q 'stays queued for the next run' "$T/mid.txt"
ok $? "... saying what stays queued"
is "$(count "$T/spool/failed" -name '*.pdf')" 0 "... nothing refused"
ok "$([ "$(count "$T/spool/queue" -name '*.pdf')" -gt 0 ]; echo $?)" "... documents left in queue/"

"$SERTEL" -q run --once > /dev/null 2> "$T/mid2.txt"
is "$?" 0 "... a run with a normal limit takes them"

# ... and under running workers (the master keeps its limit)
populate wrk 16
inputs >> "$T/inputs.txt"
"$SERTEL" -q run --once > /dev/null 2> "$T/wrk.txt" &
pid=$!
tries=0
while { [ -z "$(ls "$T/spool/queue" 2>/dev/null)" ] || [ "$(pgrep -c -P $pid)" -lt 2 ]; } &&
	[ $tries -lt 2000 ]; do sleep 0.002; tries=$((tries + 1)); done
kill -STOP $pid
for w in $(pgrep -P $pid); do prlimit --pid "$w" --nofile=6:6; done
kill -CONT $pid
wait $pid
rc=$?
ok "$([ $rc -eq 75 ]; echo $?)" "limit lowered under running workers: exit 75 (got $rc)"
is "$(count "$T/spool/failed" -name '*.pdf')" 0 "... nothing refused"

# ... and under a running daemon: it stops (exit 75, systemd restarts it)
"$SERTEL" -q watch > /dev/null 2> "$T/watch.txt" &
pid=$!
sleep 1
prlimit --pid $pid --nofile=20:20
populate wat 4
inputs >> "$T/inputs.txt"
waited=0
while kill -0 $pid 2>/dev/null && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
kill $pid 2>/dev/null
wait $pid
is "$?" 75 "limit lowered under watch: it exits 75"
is "$(count "$T/spool/failed" -name '*.pdf')" 0 "... nothing refused"

# --- a run with a normal limit finishes the rest
"$SERTEL" -q run --once > /dev/null 2> "$T/final.txt"
is "$?" 0 "a run with a normal limit finishes (exit 0)"
is "$(count "$T/spool/done" -name '*.pdf')" "$(sort -u "$T/inputs.txt" | wc -l | tr -d ' ')" \
	"every drop signed"
sort -u "$T/inputs.txt" > "$T/all.txt"
endstate "$T/all.txt"
done_testing
