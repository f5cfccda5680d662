#!/bin/sh
# 25-fdlimit-sweep.sh - too few file descriptors, the long version of
# tests/e2e/25-fdlimit.sh (issue 11, defect 2).
#   - `ulimit -n` from 16 to 64, a run at each over a few hundred drops:
#     below the minimum sertel computes, exit 75 with the message and
#     nothing moved; at and above it, every drop is signed or still queued
#     (exit 75), none refused;
#   - FDLIMIT_TRIALS (20) runs whose master or workers get a random lower
#     limit at a random moment (prlimit): EMFILE anywhere, never a refusal;
#   - then a run with a normal limit finishes, and the end state holds.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
pki
WORKERS=2 BATCH=16 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
trials=${FDLIMIT_TRIALS:-20}
inputs() { ls "$T/spool/incoming"/*/*.pdf 2>/dev/null | sed 's|.*/incoming/||'; }
limited() { ( ulimit -n "$1" && shift && exec "$SERTEL" "$@" ); }
populate sweep 60
inputs > "$T/inputs.txt"

need=
below_bad=0 above_bad=0 refused=0 runs=0
for lim in $(seq 16 64); do
	if [ "$(count "$T/spool/incoming" -name '*.pdf')" -eq 0 ]; then
		populate "s$lim" 4
		inputs >> "$T/inputs.txt"
	fi
	waiting=$(count "$T/spool/incoming" -name '*.pdf')
	limited "$lim" -q run --once > /dev/null 2> "$T/err-$lim.txt"
	rc=$?
	runs=$((runs + 1))
	if [ -z "$need" ]; then
		need=$(sed -n 's/.*needs at least \([0-9]*\).*/\1/p' "$T/err-$lim.txt")
		echo "# the minimum here: ${need:-?} descriptors"
		need=${need:-17}
	fi
	if [ "$lim" -lt "$need" ]; then
		if [ $rc -ne 75 ] || ! grep -q "too few file descriptors: the limit is $lim" "$T/err-$lim.txt" ||
		   [ "$(count "$T/spool/incoming" -name '*.pdf')" -ne "$waiting" ]; then
			echo "#   ulimit -n $lim: exit $rc, $(head -c 200 "$T/err-$lim.txt")"
			below_bad=$((below_bad + 1))
		fi
	elif [ $rc -ne 0 ] && [ $rc -ne 75 ]; then
		echo "#   ulimit -n $lim: exit $rc"
		above_bad=$((above_bad + 1))
	fi
	r=$(count "$T/spool/failed" -name '*.pdf')
	[ "$r" -gt "$refused" ] && echo "#   ulimit -n $lim: $((r - refused)) refused"
	refused=$r
done
is $below_bad 0 "below the minimum ($need): exit 75 with the message, nothing moved (ulimit -n 16..$((need - 1)))"
is $above_bad 0 "at and above it: exit 0 or 75 (ulimit -n $need..64)"
is "$refused" 0 "no drop refused in $runs runs"

# --- random limits at random moments, under the master or the workers
bad=0
i=0
while [ $i -lt "$trials" ]; do
	i=$((i + 1))
	populate "t$i" 8
	inputs >> "$T/inputs.txt"
	"$SERTEL" -q run --once > /dev/null 2> "$T/trial-$i.txt" &
	pid=$!
	tries=0
	while { [ -z "$(ls "$T/spool/queue" 2>/dev/null)" ] || [ "$(pgrep -c -P $pid)" -lt 2 ]; } &&
		[ $tries -lt 2000 ]; do sleep 0.002; tries=$((tries + 1)); done
	sleep "$(printf "0.%03d" "$(shuf -i 0-150 -n 1)")"
	kill -STOP $pid 2>/dev/null
	if [ $((i % 2)) -eq 0 ]; then
		prlimit --pid $pid --nofile="$(shuf -i 8-40 -n 1)" 2>/dev/null
	else
		for w in $(pgrep -P $pid); do prlimit --pid "$w" --nofile="$(shuf -i 3-14 -n 1)" 2>/dev/null; done
	fi
	kill -CONT $pid 2>/dev/null
	wait $pid
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 75 ]; then
		echo "#   trial $i: exit $rc"
		bad=$((bad + 1))
	fi
	r=$(count "$T/spool/failed" -name '*.pdf')
	[ "$r" -gt "$refused" ] && echo "#   trial $i: $((r - refused)) refused" && bad=$((bad + 1))
	refused=$r
done
is $bad 0 "$trials runs with a limit lowered mid-run: exit 0 or 75, nothing refused"

"$SERTEL" -q run --once > /dev/null 2> "$T/final.txt"
is "$?" 0 "a run with a normal limit finishes (exit 0)"
sort -u "$T/inputs.txt" > "$T/all.txt"
is "$(count "$T/spool/done" -name '*.pdf')" "$(wc -l < "$T/all.txt" | tr -d ' ')" "every drop signed"
endstate "$T/all.txt"
done_testing
