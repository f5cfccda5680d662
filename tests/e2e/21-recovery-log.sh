#!/bin/sh
# 21-recovery-log.sh - a restart after a crash says what it recovered in one
# line, not one line per open job (issue 11, defect 11: tens of thousands of
# lines over a night of restarts); `sertel -v` still lists each job.  The
# crash: the whole batch is SIGKILLed while the first document waits for a
# slow TSA, after the round that claimed all 150 drops.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
pki
WORKERS=2 config "$T/base.yaml"
cfg="$T/sertel.yaml"
export SERTEL_CONFIG="$cfg"
per_pd=30

# wait_for CMD... - poll (every 0.1 s, at most 30 s) until CMD succeeds
wait_for() {
	i=0
	while ! "$@" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	"$@"
}
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --make-pki > /dev/null 2>&1 ||
	echo "# tsa.py --make-pki failed"
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --port-file "$T/slow.port" --log "$T/slow.log" \
	--ttl 300 --slow 15 2> "$T/tsa.log" &
pids="$pids $!"
wait_for test -s "$T/slow.port"
: >> "$T/slow.log"

# crash PREFIX - drop 150 documents, start a batch with the slow TSA, kill it
# (master and workers) once the first document is at the TSA
crash() {
	populate "$1" $per_pd
	ls "$T/spool/incoming"/*/"$1"-*.pdf | sed 's|.*/incoming/||' >> "$T/inputs.txt"
	{
		cat "$T/base.yaml"
		echo "timestamp:"
		echo "  tsa:"
		echo "    - url: http://127.0.0.1:$(cat "$T/slow.port")/tsr"
		echo "      timeout_seconds: 20"
		echo "  trust: [ $T/tsa/tsa-ca.pem ]"
	} > "$cfg"
	: > "$T/slow.log"
	setsid "$SERTEL" -q run --once > /dev/null 2> "$T/crash-$1.txt" &
	p=$!
	wait_for test -s "$T/slow.log"
	kill -9 -$p
	wait $p 2>/dev/null
	cp "$T/base.yaml" "$cfg"	# the restart signs without the TSA
}
: > "$T/inputs.txt"
open_jobs() { sqlite3 "$T/state/sertel.db" 'select count(*) from jobs where outcome is null'; }

crash a
is "$(open_jobs)" $((per_pd * 5)) "crash 1: $((per_pd * 5)) open jobs left"
"$SERTEL" -q run --once > /dev/null 2> "$T/log1.txt"
is "$?" 0 "the restart finishes them (exit 0)"
is "$(grep -c 'recovered ' "$T/log1.txt")" 0 "... without a line per recovered job"
grep 'recovery:' "$T/log1.txt" | sed 's/^/#   /'
is "$(grep -c 'recovery:' "$T/log1.txt")" 1 "... but one summary line"
grep -q "recovery: $((per_pd * 5)) open job(s)" "$T/log1.txt"
ok $? "... which counts them ($((per_pd * 5)))"
is "$(grep -c '/a-[a-z]*-[0-9]*\.pdf' "$T/log1.txt")" 0 "no line of the log names a recovered document"

crash b
is "$(open_jobs)" $((per_pd * 5)) "crash 2: $((per_pd * 5)) open jobs left"
"$SERTEL" -v -q run --once > /dev/null 2> "$T/log2.txt"
is "$?" 0 "the restart with -v finishes them (exit 0)"
is "$(grep -c ': recovered ' "$T/log2.txt")" $((per_pd * 5)) "... and -v lists each recovered job"
is "$(grep -c 'recovery:' "$T/log2.txt")" 1 "... besides the summary"

endstate "$T/inputs.txt"
done_testing
