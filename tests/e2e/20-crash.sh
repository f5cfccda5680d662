#!/bin/sh
# 20-crash.sh - SIGKILL the whole batch (master and workers) at random moments,
# at least 20 times over a 200-document run, restarting each time.  In the end
# every input is exactly once in done/ or failed/ and the database agrees.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
pki
# Small batches: many more commit points for the kills to land between.
WORKERS=1 BATCH=1 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
# `make soak` raises both: CRASH_PER_PD documents per PD, CRASH_KILLS kills
per_pd=${CRASH_PER_PD:-40}
kills_wanted=${CRASH_KILLS:-25}
populate doc "$per_pd"
# a few refusals too, so failed/ is part of the accounting
for i in 1 2 3 4 5; do drop setda "rusak-$i"; printf 'rusak' > "$T/spool/incoming/setda/rusak-$i.pdf"; done
ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' | sort > "$T/inputs.txt"

# Odd rounds kill at a random moment of start-up, recovery and claiming;
# even rounds wait until documents are in flight and kill during signing
# and group commits.
# A run that ends by itself (every round without a kill) is bounded too: a
# run that cannot start would otherwise be tried for ever.
kills=0
rounds=0
while [ $kills -lt "$kills_wanted" ] && [ $rounds -lt $((kills_wanted * 4)) ]; do
	rounds=$((rounds + 1))
	setsid "$SERTEL" -q run --once > /dev/null 2>> "$T/log.txt" &
	pid=$!
	if [ $((kills % 2)) -eq 0 ]; then
		sleep "$(printf "0.%03d" "$(shuf -i 1-40 -n 1)")"
	else
		tries=0
		while [ -z "$(ls "$T/spool/queue")" ] && [ $tries -lt 500 ]; do sleep 0.002; tries=$((tries + 1)); done
		sleep "$(printf "0.%03d" "$(shuf -i 1-60 -n 1)")"
	fi
	kill -9 "-$pid" 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
	[ "$(count "$T/spool/incoming" -name '*.pdf')" -eq 0 ] && [ -z "$(ls "$T/spool/queue")" ] && break
done
echo "# killed $kills times in $rounds rounds; $(count "$T/spool/done" -name '*.pdf') signed before the final run"
"$SERTEL" -q run --once > /dev/null 2>> "$T/log.txt"
rc=$?
ok "$([ $rc -le 1 ]; echo $?)" "the final run completes (exit $rc)"
[ $rc -le 1 ] || grep -v -e 'signer 19' "$T/log.txt" | tail -3 | sed 's/^/#   /'
ok "$([ $kills -ge 20 ]; echo $?)" "the batch was killed mid-run at least 20 times ($kills)"

( cd "$T/spool/done" && ls */*.pdf; cd "$T/spool/failed" && ls */*.pdf ) | sort > "$T/outputs.txt"
is "$(sort -u "$T/outputs.txt" | wc -l | tr -d ' ')" "$(wc -l < "$T/outputs.txt" | tr -d ' ')" "no input appears twice"
diff "$T/inputs.txt" "$T/outputs.txt" > "$T/diff.txt"
ok $? "every input is exactly once in done/ or failed/ under its own name"
[ -s "$T/diff.txt" ] && sed 's/^/# /' "$T/diff.txt" | head
is "$(count "$T/spool/done" -name '*.pdf')" $((per_pd * 5)) "all $((per_pd * 5)) good documents signed"
is "$(count "$T/spool/failed" -name '*.error.yaml')" 5 "the 5 broken ones refused, with reports"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents')" $((per_pd * 5)) "database: one row per signed document"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where outcome='failed'")" 5 "database: 5 failures"
is "$(count "$T/spool/incoming" "$T/spool/queue" -type f)" 0 "nothing left in incoming/ or queue/"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/spool/done/*/*.pdf > "$T/check.txt" 2>&1
ok $? "every signed file still verifies after the crashes"
missing=0
for f in $(sqlite3 "$T/state/sertel.db" 'select store_path from documents'); do
	[ -f "$T/state/$f" ] || missing=$((missing + 1))
done
is $missing 0 "every database row points at a stored copy"
endstate "$T/inputs.txt"
done_testing
